-- Data migration: the head office exists everywhere, and every location
-- gets a code derived from its city and id.
-- godwit:up
INSERT INTO location (name, city) VALUES ('Head office', 'Wellington');
UPDATE location
   SET code = upper(substr(city, 1, 3)) || '-' || CAST(id AS TEXT)
 WHERE code IS NULL;

-- godwit:down
UPDATE location SET code = NULL;
DELETE FROM location WHERE name = 'Head office' AND city = 'Wellington';
