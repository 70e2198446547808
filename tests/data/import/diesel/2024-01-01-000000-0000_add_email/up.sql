-- An 18-digit version: diesel orders versions as text, so this comes
-- before 2024-02-01-000000, while its number is larger.
ALTER TABLE users ADD COLUMN email TEXT;
