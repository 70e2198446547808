-- Change parent.name to NOT NULL: SQLite's ALTER TABLE cannot, so the
-- table is rebuilt, with foreign keys off so that DROP TABLE parent does
-- not cascade to child.
-- godwit:up foreign_keys=off
CREATE TABLE parent_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');
INSERT INTO parent_new (id, name) SELECT id, coalesce(name, '') FROM parent;
DROP TABLE parent;
ALTER TABLE parent_new RENAME TO parent;
-- godwit:down foreign_keys=off
CREATE TABLE parent_old (id INTEGER PRIMARY KEY, name TEXT);
INSERT INTO parent_old SELECT id, name FROM parent;
DROP TABLE parent;
ALTER TABLE parent_old RENAME TO parent;
