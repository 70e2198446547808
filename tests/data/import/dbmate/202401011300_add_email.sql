-- A 12-digit version: dbmate orders file names as text, so this one comes
-- after the 14-digit one above, while its number is smaller.
-- migrate:up
ALTER TABLE users ADD COLUMN email TEXT;

-- migrate:down
ALTER TABLE users DROP COLUMN email;
