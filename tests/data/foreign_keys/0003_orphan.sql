-- A mistake: parent 2 is deleted while child 11 still points at it.
-- With foreign keys off nothing stops the DELETE; the check before the
-- commit does, and rolls the migration back.
-- godwit:up foreign_keys=off
DELETE FROM parent WHERE id = 2;
-- godwit:down
SELECT 1;
