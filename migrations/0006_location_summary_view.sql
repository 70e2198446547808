-- How many coupons each location has taken, for the dashboard.
-- godwit:up
CREATE VIEW location_summary AS
SELECT l.id, l.name, l.code, count(c.id) AS coupons_used
  FROM location l
  LEFT JOIN coupon_usage c ON c.location_id = l.id
 GROUP BY l.id, l.name, l.code;

-- godwit:down
DROP VIEW location_summary;
