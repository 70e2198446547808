-- A note per member.  The down rebuilds the table, as SQLite needs to
-- drop a column on old versions, and writes the foreign key without the
-- parent's column: REFERENCES spaces is REFERENCES spaces (space_id),
-- its primary key, so the schema is restored.
-- godwit:up
ALTER TABLE members ADD COLUMN note TEXT;

-- godwit:down
CREATE TABLE members_old (
    id INTEGER PRIMARY KEY,
    space_id INTEGER REFERENCES spaces
);
INSERT INTO members_old (id, space_id) SELECT id, space_id FROM members;
DROP TABLE members;
ALTER TABLE members_old RENAME TO members;

-- godwit:down backend=postgres
ALTER TABLE members DROP COLUMN note;
