-- Categories as a tree of ltree paths, from an extension created in
-- public: a migration that sees the world it sees under up (public on its
-- search path) finds the type.  PostgreSQL only.
-- godwit:up backend=postgres
CREATE EXTENSION IF NOT EXISTS ltree SCHEMA public;
CREATE TABLE category (
    id BIGINT PRIMARY KEY,
    path ltree NOT NULL
);
CREATE INDEX category_path ON category USING gist (path);

-- godwit:down backend=postgres
DROP TABLE category;
DROP EXTENSION ltree;
