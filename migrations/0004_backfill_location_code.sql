-- Data migration: the head office exists everywhere, and every location
-- gets a code derived from its city and id.
-- godwit:up
INSERT INTO location (name, city) VALUES ('Head office', 'Wellington');
UPDATE location
   SET code = upper(substr(city, 1, 3)) || '-' || CAST(id AS TEXT)
 WHERE code IS NULL;

-- godwit:up backend=mysql
INSERT INTO location (name, city) VALUES ('Head office', 'Wellington');
UPDATE location
   SET code = CONCAT(upper(substr(city, 1, 3)), '-', id)
 WHERE code IS NULL;

-- godwit:down
UPDATE location SET code = NULL;
DELETE FROM location WHERE name = 'Head office' AND city = 'Wellington';

-- godwit:down backend=mysql
UPDATE location SET code = NULL;
DELETE FROM location WHERE name = 'Head office' AND city = 'Wellington';
