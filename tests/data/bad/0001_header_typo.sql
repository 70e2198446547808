-- godwit:up
SELECT 1;
-- godwit:donw
SELECT 2;
