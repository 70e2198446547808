-- Members of spaces; the foreign key names its parent's column.
-- godwit:up
CREATE TABLE spaces (space_id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE members (
    id INTEGER PRIMARY KEY,
    space_id INTEGER REFERENCES spaces (space_id)
);

-- godwit:down
DROP TABLE members;
DROP TABLE spaces;
