-- A counter every change to what the portal shows moves, in the same transaction
-- (a row, not a sequence: a sequence moves before the change commits, and a node
-- reading it then would keep a page rendered from the data before): how the
-- response cache of each app node knows that its pages may be stale. Statement
-- triggers on each table are created by Store::migrate for every table but the
-- excluded ones. Writers take the row's lock until they commit; the portal's
-- writes are few.
CREATE TABLE change_counter (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO change_counter (id, n) VALUES (1, 0);

CREATE FUNCTION note_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE change_counter SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;
