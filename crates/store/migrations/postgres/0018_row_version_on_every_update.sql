-- Every update of a record with a row version moves it, whoever makes it: a
-- correction by `samordna org rename` then makes a save from a form read before it
-- a conflict, never a silent overwrite. Updates that move it themselves (the
-- optimistic locks) are left alone.
CREATE FUNCTION bump_row_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.row_version = OLD.row_version THEN
        NEW.row_version := OLD.row_version + 1;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER row_version_organizations BEFORE UPDATE ON organizations FOR EACH ROW EXECUTE FUNCTION bump_row_version();
CREATE TRIGGER row_version_administrations BEFORE UPDATE ON administrations FOR EACH ROW EXECUTE FUNCTION bump_row_version();
CREATE TRIGGER row_version_people BEFORE UPDATE ON people FOR EACH ROW EXECUTE FUNCTION bump_row_version();
CREATE TRIGGER row_version_memberships BEFORE UPDATE ON memberships FOR EACH ROW EXECUTE FUNCTION bump_row_version();
CREATE TRIGGER row_version_meetings BEFORE UPDATE ON meetings FOR EACH ROW EXECUTE FUNCTION bump_row_version();
CREATE TRIGGER row_version_matters BEFORE UPDATE ON matters FOR EACH ROW EXECUTE FUNCTION bump_row_version();
CREATE TRIGGER row_version_escalations BEFORE UPDATE ON escalations FOR EACH ROW EXECUTE FUNCTION bump_row_version();
CREATE TRIGGER row_version_actions BEFORE UPDATE ON actions FOR EACH ROW EXECUTE FUNCTION bump_row_version();
