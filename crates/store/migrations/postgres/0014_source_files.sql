-- The original file a charter version was read from (a PDF or DOCX uploaded in
-- the portal or given to `samordna import`), kept as the source beside the text
-- extracted from it. Part of the public record: never changed, never deleted.
CREATE TABLE charter_source_files (
    charter_version_id BIGINT PRIMARY KEY REFERENCES charter_versions(id),
    media_type         TEXT NOT NULL,
    size               BIGINT NOT NULL,
    sha256             TEXT NOT NULL,
    data               BYTEA NOT NULL
);

CREATE FUNCTION charter_source_files_guard() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'charter source files are immutable and never deleted';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER charter_source_files_guard BEFORE UPDATE OR DELETE ON charter_source_files
    FOR EACH ROW EXECUTE FUNCTION charter_source_files_guard();
