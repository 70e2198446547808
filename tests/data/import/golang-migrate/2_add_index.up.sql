-- a second file with version 2: golang-migrate-style sets order it by name
CREATE INDEX users_name ON users (name);