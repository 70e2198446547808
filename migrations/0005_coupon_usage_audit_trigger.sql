-- Every coupon use is written to an append-only audit table.
-- godwit:up
CREATE TABLE coupon_usage_audit (
    usage_id    INTEGER NOT NULL,
    location_id INTEGER NOT NULL,
    code        TEXT NOT NULL,
    logged_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TRIGGER tr_coupon_usage_audit
AFTER INSERT ON coupon_usage
BEGIN
    INSERT INTO coupon_usage_audit (usage_id, location_id, code)
    VALUES (NEW.id, NEW.location_id, NEW.code);
END;

-- godwit:up backend=postgres
CREATE TABLE coupon_usage_audit (
    usage_id    BIGINT NOT NULL,
    location_id BIGINT NOT NULL,
    code        TEXT NOT NULL,
    logged_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE FUNCTION coupon_usage_audit_log() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO coupon_usage_audit (usage_id, location_id, code)
    VALUES (NEW.id, NEW.location_id, NEW.code);
    RETURN NEW;
END;
$$;
CREATE TRIGGER tr_coupon_usage_audit
AFTER INSERT ON coupon_usage
FOR EACH ROW EXECUTE FUNCTION coupon_usage_audit_log();

-- godwit:up backend=mysql
CREATE TABLE coupon_usage_audit (
    usage_id    BIGINT NOT NULL,
    location_id BIGINT NOT NULL,
    code        VARCHAR(64) NOT NULL,
    logged_at   DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
);
CREATE TRIGGER tr_coupon_usage_audit
AFTER INSERT ON coupon_usage
FOR EACH ROW
BEGIN
    INSERT INTO coupon_usage_audit (usage_id, location_id, code)
    VALUES (NEW.id, NEW.location_id, NEW.code);
END;

-- godwit:down
DROP TRIGGER tr_coupon_usage_audit;
DROP TABLE coupon_usage_audit;

-- godwit:down backend=postgres
DROP TRIGGER tr_coupon_usage_audit ON coupon_usage;
DROP FUNCTION coupon_usage_audit_log();
DROP TABLE coupon_usage_audit;

-- godwit:down backend=mysql
DROP TRIGGER tr_coupon_usage_audit;
DROP TABLE coupon_usage_audit;
