-- no-transaction
CREATE INDEX users_name ON users (name);
