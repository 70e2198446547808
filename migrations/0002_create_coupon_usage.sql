-- Coupons used at a location; they go when the location goes.
-- godwit:up
CREATE TABLE coupon_usage (
    id          INTEGER PRIMARY KEY,
    location_id INTEGER NOT NULL REFERENCES location (id) ON DELETE CASCADE,
    code        TEXT NOT NULL,
    used_at     TEXT NOT NULL
);
CREATE INDEX ix_coupon_usage_location_id ON coupon_usage (location_id);

-- godwit:up backend=postgres
CREATE TABLE coupon_usage (
    id          BIGSERIAL PRIMARY KEY,
    location_id BIGINT NOT NULL REFERENCES location (id) ON DELETE CASCADE,
    code        TEXT NOT NULL,
    used_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX ix_coupon_usage_location_id ON coupon_usage (location_id);

-- godwit:up backend=mysql
CREATE TABLE coupon_usage (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    location_id BIGINT NOT NULL,
    code        VARCHAR(64) NOT NULL,
    used_at     DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    FOREIGN KEY (location_id) REFERENCES location (id) ON DELETE CASCADE
);
CREATE INDEX ix_coupon_usage_location_id ON coupon_usage (location_id);

-- godwit:down
DROP TABLE coupon_usage;

-- godwit:down backend=postgres
DROP TABLE coupon_usage;

-- godwit:down backend=mysql
DROP TABLE coupon_usage;
