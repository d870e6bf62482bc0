-- The search index's change log (outbox): one row per entity — a group with
-- everything in it ('org'), or a person ('person') — holding the change
-- counter's value at its latest change. Triggers on the searched tables write it
-- in the writing transaction; Store::migrate creates them (search.rs, SEARCHED).
-- Each app node applies the rows above its own position to its index. The
-- counter's row stays locked until the writer commits, so values are taken in
-- commit order and a node never skips a change committed late.
CREATE TABLE search_outbox (
    kind   TEXT NOT NULL CHECK (kind IN ('org','person')),
    ref_id BIGINT NOT NULL,
    seq    BIGINT NOT NULL,
    PRIMARY KEY (kind, ref_id)
);
CREATE INDEX search_outbox_seq ON search_outbox(seq);

CREATE FUNCTION search_touch(k TEXT, i BIGINT) RETURNS void LANGUAGE plpgsql AS $$
DECLARE s BIGINT;
BEGIN
    IF i IS NULL THEN
        RETURN;
    END IF;
    UPDATE change_counter SET n = n + 1 WHERE id = 1 RETURNING n INTO s;
    INSERT INTO search_outbox (kind, ref_id, seq) VALUES (k, i, s)
    ON CONFLICT (kind, ref_id) DO UPDATE SET seq = excluded.seq;
END;
$$;

-- The database's identity: an index built from another database is rebuilt.
CREATE TABLE search_state (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    instance TEXT NOT NULL
);
INSERT INTO search_state (id, instance) VALUES (1, md5(random()::text || clock_timestamp()::text));
