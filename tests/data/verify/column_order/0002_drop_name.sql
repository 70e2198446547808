-- The name goes.  The down adds it back, but at the end: the columns are
-- the same, their order is not (SELECT * now gives id, email, name).
-- godwit:up
ALTER TABLE people DROP COLUMN name;

-- godwit:down
ALTER TABLE people ADD COLUMN name TEXT;
