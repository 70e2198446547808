-- The view and the function change.  The down puts them back as they
-- were, but laid out differently: only blanks differ, so the schema is
-- restored.
-- godwit:up
DROP VIEW cheap;
CREATE VIEW cheap AS SELECT id, price, price * 2 AS twice FROM items WHERE (price < 10);

-- godwit:up backend=postgres
DROP VIEW cheap;
CREATE VIEW cheap AS SELECT id, price, price * 2 AS twice FROM items WHERE (price < 10);
CREATE OR REPLACE FUNCTION cheap_count() RETURNS bigint LANGUAGE plpgsql
SET search_path = public AS $$
BEGIN
    RETURN (SELECT count(*) * 2 FROM cheap);
END
$$;

-- godwit:down
DROP VIEW cheap;
CREATE VIEW cheap AS
    SELECT id , price
      FROM items
     WHERE ( price < 10 );

-- godwit:down backend=postgres
DROP VIEW cheap;
CREATE VIEW cheap AS
    SELECT id , price
      FROM items
     WHERE ( price < 10 );
CREATE OR REPLACE FUNCTION cheap_count() RETURNS bigint LANGUAGE plpgsql
SET search_path = public AS $$
    BEGIN
        RETURN ( SELECT count( * ) FROM cheap );
    END
$$;
