-- godwit:up
CREATE TABLE t (id INT); /* the /* nested */ comment
never ends
-- godwit:down
DROP TABLE t;
