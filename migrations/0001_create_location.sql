-- Locations: the shops where coupons are redeemed.
-- godwit:up
CREATE TABLE location (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    city       TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE UNIQUE INDEX ux_location_name_city ON location (name, city);

-- godwit:up backend=postgres
CREATE TABLE location (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL,
    city       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX ux_location_name_city ON location (name, city);

-- godwit:up backend=mysql
CREATE TABLE location (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    name       VARCHAR(200) NOT NULL,
    city       VARCHAR(200) NOT NULL,
    created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
);
CREATE UNIQUE INDEX ux_location_name_city ON location (name, city);

-- godwit:down
DROP TABLE location;

-- godwit:down backend=postgres
DROP TABLE location;

-- godwit:down backend=mysql
DROP TABLE location;
