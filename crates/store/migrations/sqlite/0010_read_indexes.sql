-- A page reads only what it shows: a group's children and the groups naming it as
-- a liaison are found by index, not by reading every organisation.
CREATE INDEX organizations_reports_to ON organizations(reports_to_id);
CREATE INDEX organization_liaisons_liaison ON organization_liaisons(liaison_id);
