-- godwit:up transactional=no
CREATE TABLE t (id INT);
