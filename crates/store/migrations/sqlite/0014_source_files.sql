-- The original file a charter version was read from (a PDF or DOCX uploaded in
-- the portal or given to `samordna import`), kept as the source beside the text
-- extracted from it. Part of the public record: never changed, never deleted.
CREATE TABLE charter_source_files (
    charter_version_id INTEGER PRIMARY KEY REFERENCES charter_versions(id),
    media_type         TEXT NOT NULL,
    size               INTEGER NOT NULL,
    sha256             TEXT NOT NULL,
    data               BLOB NOT NULL
);

CREATE TRIGGER charter_source_files_immutable BEFORE UPDATE ON charter_source_files
BEGIN
    SELECT RAISE(ABORT, 'charter source files are immutable');
END;

CREATE TRIGGER charter_source_files_no_delete BEFORE DELETE ON charter_source_files
BEGIN
    SELECT RAISE(ABORT, 'charter source files are never deleted');
END;
