-- A counter every change to what the portal shows moves (triggers on each table,
-- created by Store::migrate for every table but the excluded ones): how the
-- response cache of each app node knows that its pages may be stale.
CREATE TABLE change_counter (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO change_counter (id, n) VALUES (1, 0);
