-- +goose Up
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, touched INTEGER);
-- +goose StatementBegin
CREATE TRIGGER users_touch AFTER UPDATE ON users
BEGIN
    UPDATE users SET touched = 1 WHERE id = NEW.id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE users;
