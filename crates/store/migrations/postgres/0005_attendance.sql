-- Who attended a meeting: members, substitutes and guests.
CREATE TABLE attendance (
    id         BIGSERIAL PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings(id),
    person_id  BIGINT REFERENCES people(id),
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('member','substitute','guest')),
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (meeting_id, person_id)
);
CREATE INDEX attendance_meeting ON attendance(meeting_id);
