-- Matters, decisions with their basis and anchoring, escalations, notifications of
-- decisions, actions, and each group's agenda template (issue 12).
-- Bodies a charter names are found by their register name.
CREATE INDEX organizations_name ON organizations(name);

CREATE TABLE matters (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    kind            TEXT NOT NULL CHECK (kind IN ('remissvar','vardforlopp','process_team','utvecklingsarbete','uppdrag_ledningsgrupp','nominering_npo','goda_exempel','millennium','styrande_dokument','regional_rutin','ppr_genomforande','other')),
    title           TEXT NOT NULL,
    description     TEXT,
    status          TEXT NOT NULL,
    source          TEXT NOT NULL CHECK (source IN ('ledningsgrupp','ppr','national','own_initiative','other')),
    owner_person_id INTEGER REFERENCES people(id),
    due_on          TEXT CHECK (due_on = date(due_on)),
    row_version     INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX matters_org ON matters(organization_id, status);
-- One open matter of a kind and title per group: a form sent twice opens one.
CREATE UNIQUE INDEX matters_open_title ON matters(organization_id, kind, title)
    WHERE status NOT IN ('answered','declined','done','closed');
CREATE INDEX matters_owner ON matters(owner_person_id);
CREATE INDEX matters_due ON matters(due_on);

ALTER TABLE agenda_items ADD COLUMN matter_id INTEGER REFERENCES matters(id);
ALTER TABLE agenda_items ADD COLUMN notes TEXT;
CREATE INDEX agenda_items_matter ON agenda_items(matter_id);

CREATE TABLE decisions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    meeting_id      INTEGER NOT NULL REFERENCES meetings(id),
    agenda_item_id  INTEGER REFERENCES agenda_items(id),
    matter_id       INTEGER REFERENCES matters(id),
    text            TEXT NOT NULL,
    -- SHA-256 of the text: one decision per text and meeting (a form sent twice
    -- records one).
    text_sha        TEXT NOT NULL,
    basis           TEXT NOT NULL CHECK (basis IN ('member_mandates','chair_mandate','none')),
    topic           TEXT NOT NULL CHECK (topic IN ('own_area','regional_routine','cross_area_methods','new_drug_or_method','organisation_and_conditions','support_process')),
    decided_on      TEXT NOT NULL CHECK (decided_on = date(decided_on)),
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX decisions_org ON decisions(organization_id, decided_on);
CREATE UNIQUE INDEX decisions_meeting ON decisions(meeting_id, text_sha);
CREATE INDEX decisions_matter ON decisions(matter_id);

-- The administrations a decision on the members' mandates binds, and for each
-- whether it has anchored the decision and held union consultation.
CREATE TABLE decision_administrations (
    decision_id        INTEGER NOT NULL REFERENCES decisions(id),
    administration_id  INTEGER NOT NULL REFERENCES administrations(id),
    anchored_on        TEXT CHECK (anchored_on = date(anchored_on)),
    union_consulted_on TEXT CHECK (union_consulted_on = date(union_consulted_on)),
    recorded_by        TEXT,
    recorded_at        TEXT,
    PRIMARY KEY (decision_id, administration_id)
);
CREATE INDEX decision_administrations_adm ON decision_administrations(administration_id);

CREATE TABLE escalations (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id        INTEGER NOT NULL REFERENCES organizations(id),
    decision_id            INTEGER REFERENCES decisions(id),
    matter_id              INTEGER REFERENCES matters(id),
    topic                  TEXT NOT NULL,
    target                 TEXT NOT NULL CHECK (target IN ('parent_council','contact_person','administration','klinisk_ledning','ppr','region_wide_group','responsible_function')),
    suggested_target       TEXT NOT NULL,
    target_organization_id INTEGER REFERENCES organizations(id),
    target_person_id       INTEGER REFERENCES people(id),
    deviation_reason       TEXT,
    question               TEXT NOT NULL,
    status                 TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','answered','forwarded')),
    answer                 TEXT,
    answered_by            TEXT,
    answered_at            TEXT,
    forwarded_from_id      INTEGER REFERENCES escalations(id),
    row_version            INTEGER NOT NULL DEFAULT 1,
    created_by             TEXT NOT NULL,
    created_at             TEXT NOT NULL,
    CHECK (decision_id IS NOT NULL OR matter_id IS NOT NULL),
    CHECK (target = suggested_target OR deviation_reason IS NOT NULL),
    CHECK ((status = 'answered') = (answer IS NOT NULL))
);
CREATE INDEX escalations_org ON escalations(organization_id);
CREATE INDEX escalations_target_org ON escalations(target_organization_id, status);
CREATE INDEX escalations_target_person ON escalations(target_person_id, status);
CREATE INDEX escalations_matter ON escalations(matter_id);
CREATE INDEX escalations_decision ON escalations(decision_id);

-- A decision told to a body its group's charter names: queued with the decision's
-- approval, delivered when the mail has left.
CREATE TABLE decision_notifications (
    decision_id     INTEGER NOT NULL REFERENCES decisions(id),
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    queued_at       TEXT NOT NULL,
    delivered_at    TEXT,
    recipients      TEXT,
    PRIMARY KEY (decision_id, organization_id)
);

CREATE TABLE actions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    title           TEXT NOT NULL,
    owner_person_id INTEGER REFERENCES people(id),
    due_on          TEXT CHECK (due_on = date(due_on)),
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','done','cancelled')),
    meeting_id      INTEGER REFERENCES meetings(id),
    decision_id     INTEGER REFERENCES decisions(id),
    matter_id       INTEGER REFERENCES matters(id),
    done_at         TEXT,
    row_version     INTEGER NOT NULL DEFAULT 1,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX actions_org ON actions(organization_id, status);
CREATE INDEX actions_owner ON actions(owner_person_id, status);
CREATE INDEX actions_matter ON actions(matter_id);
CREATE INDEX actions_due ON actions(status, due_on);
-- One open action of a title per meeting: a form sent twice adds one.
CREATE UNIQUE INDEX actions_open_title ON actions(meeting_id, title)
    WHERE status = 'open' AND meeting_id IS NOT NULL;

CREATE TABLE agenda_template_items (
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    position        INTEGER NOT NULL,
    title           TEXT NOT NULL,
    PRIMARY KEY (organization_id, position)
);

-- A decision in approved minutes is a public record: never changed or deleted,
-- and no decision is added to minutes once approved.
CREATE TRIGGER decisions_frozen BEFORE UPDATE ON decisions
WHEN EXISTS (SELECT 1 FROM minutes WHERE meeting_id = OLD.meeting_id AND status IN ('approved','published'))
BEGIN
    SELECT RAISE(ABORT, 'decisions of approved minutes are immutable');
END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
WHEN EXISTS (SELECT 1 FROM minutes WHERE meeting_id = OLD.meeting_id AND status IN ('approved','published'))
BEGIN
    SELECT RAISE(ABORT, 'decisions of approved minutes are immutable');
END;
CREATE TRIGGER decisions_no_late_insert BEFORE INSERT ON decisions
WHEN EXISTS (SELECT 1 FROM minutes WHERE meeting_id = NEW.meeting_id AND status IN ('approved','published'))
BEGIN
    SELECT RAISE(ABORT, 'decisions of approved minutes are immutable');
END;
