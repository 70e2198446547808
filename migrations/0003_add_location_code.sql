-- A short public code per location, printed on receipts.
-- godwit:up
ALTER TABLE location ADD COLUMN code TEXT;
CREATE UNIQUE INDEX ux_location_code ON location (code);

-- godwit:down
DROP INDEX ux_location_code;
ALTER TABLE location DROP COLUMN code;

-- godwit:up backend=mysql
ALTER TABLE location ADD COLUMN code VARCHAR(32);
CREATE UNIQUE INDEX ux_location_code ON location (code);

-- godwit:down backend=mysql
DROP INDEX ux_location_code ON location;
ALTER TABLE location DROP COLUMN code;
