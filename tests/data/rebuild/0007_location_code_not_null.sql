-- location.code becomes NOT NULL (0004 filled it in).  coupon_usage
-- points at location ON DELETE CASCADE, and must keep its rows.
-- godwit:up backend=sqlite foreign_keys=off
DROP VIEW location_summary;
CREATE TABLE location_new (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    city       TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    code       TEXT NOT NULL
);
INSERT INTO location_new (id, name, city, created_at, code)
    SELECT id, name, city, created_at, code FROM location;
DROP TABLE location;
ALTER TABLE location_new RENAME TO location;
CREATE UNIQUE INDEX ux_location_name_city ON location (name, city);
CREATE UNIQUE INDEX ux_location_code ON location (code);
CREATE VIEW location_summary AS
SELECT l.id, l.name, l.code, count(c.id) AS coupons_used
  FROM location l
  LEFT JOIN coupon_usage c ON c.location_id = l.id
 GROUP BY l.id, l.name, l.code;

-- godwit:up
ALTER TABLE location ALTER COLUMN code SET NOT NULL;

-- godwit:up backend=mysql
ALTER TABLE location MODIFY code VARCHAR(32) NOT NULL;
