-- The most adjuncts a group should have before the adjunct-limit rule warns;
-- NULL: the region's default.
ALTER TABLE organizations ADD COLUMN adjunct_limit INTEGER;
