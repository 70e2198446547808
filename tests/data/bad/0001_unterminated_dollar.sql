-- godwit:up
CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$
BEGIN
    RETURN 1;
END;
$bdoy$;
-- godwit:down
DROP FUNCTION f();
