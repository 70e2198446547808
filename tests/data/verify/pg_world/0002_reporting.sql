-- A function created unqualified, then named with its schema, and a view
-- in a schema of its own.
-- godwit:up backend=postgres
CREATE FUNCTION depth(p ltree) RETURNS integer
    LANGUAGE sql IMMUTABLE AS 'SELECT nlevel(p)';
CREATE VIEW category_depth AS
    SELECT id, public.depth(path) AS depth FROM public.category;
CREATE SCHEMA reporting;
CREATE VIEW reporting.deep_categories AS
    SELECT id FROM public.category_depth WHERE depth > 3;

-- godwit:down backend=postgres
DROP SCHEMA reporting CASCADE;
DROP VIEW category_depth;
DROP FUNCTION public.depth(ltree);
