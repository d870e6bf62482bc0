-- The region's decision log reads newest first, a page at a time.
CREATE INDEX decisions_decided ON decisions(decided_on, id);
