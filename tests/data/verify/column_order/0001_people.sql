-- People.
-- godwit:up
CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, email TEXT);

-- godwit:down
DROP TABLE people;
