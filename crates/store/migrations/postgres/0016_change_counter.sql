-- A counter every change to what the portal shows moves, with a notification to
-- every app node (LISTEN samordna_changes) at commit: how the response cache of
-- each node knows that its pages may be stale. Statement triggers on each table
-- are created by Store::migrate for every table but the excluded ones.
CREATE SEQUENCE change_counter;

CREATE FUNCTION note_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('change_counter');
    PERFORM pg_notify('samordna_changes', '');
    RETURN NULL;
END;
$$;
