-- migrate:up transaction:false
CREATE INDEX users_email ON users (email);
-- migrate:down transaction:false
DROP INDEX users_email;
