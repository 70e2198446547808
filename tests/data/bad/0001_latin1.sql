-- Café in Latin-1
-- godwit:up
SELECT 1;
