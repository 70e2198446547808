-- +goose Up
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
-- +goose StatementBegin
CREATE VIEW user_labels AS
    SELECT id, name || ';' AS label FROM users;
-- +goose StatementEnd

-- +goose Down
DROP VIEW user_labels;
DROP TABLE users;
