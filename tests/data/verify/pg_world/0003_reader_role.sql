-- A role that reads the categories.  Roles belong to the server, not to
-- a database: the name is the database's own, so that two databases on
-- one server (a scratch one among them) each get theirs.
-- godwit:up backend=postgres
DO $$
BEGIN
    EXECUTE format('CREATE ROLE %I NOLOGIN', current_database() || '_reader');
    EXECUTE format('GRANT SELECT ON category TO %I',
                   current_database() || '_reader');
END
$$;

-- godwit:down backend=postgres
DO $$
BEGIN
    EXECUTE format('REVOKE SELECT ON category FROM %I',
                   current_database() || '_reader');
    EXECUTE format('DROP ROLE %I', current_database() || '_reader');
END
$$;
