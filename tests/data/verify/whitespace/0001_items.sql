-- Items, a view of the cheap ones and, on PostgreSQL, a function.
-- godwit:up
CREATE TABLE items (id INTEGER PRIMARY KEY, price INTEGER);
CREATE VIEW cheap AS SELECT id, price FROM items WHERE (price < 10);

-- godwit:up backend=postgres
CREATE TABLE items (id INTEGER PRIMARY KEY, price INTEGER);
CREATE VIEW cheap AS SELECT id, price FROM items WHERE (price < 10);
CREATE FUNCTION cheap_count() RETURNS bigint LANGUAGE plpgsql
SET search_path = public AS $$
BEGIN
    RETURN (SELECT count(*) FROM cheap);
END
$$;

-- godwit:down
DROP VIEW cheap;
DROP TABLE items;

-- godwit:down backend=postgres
DROP FUNCTION cheap_count();
DROP VIEW cheap;
DROP TABLE items;
