-- godwit:up
SELECT 1;
