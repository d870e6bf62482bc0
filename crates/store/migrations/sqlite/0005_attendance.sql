-- Who attended a meeting: members, substitutes and guests.
CREATE TABLE attendance (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    person_id  INTEGER REFERENCES people(id),
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('member','substitute','guest')),
    created_at TEXT NOT NULL,
    UNIQUE (meeting_id, person_id)
);
CREATE INDEX attendance_meeting ON attendance(meeting_id);
