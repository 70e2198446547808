-- A migration that forgot its header.
CREATE TABLE t (id INT);
-- godwit:down
DROP TABLE t;
