-- Every update of a record with a row version moves it, whoever makes it: a
-- correction by `samordna org rename` then makes a save from a form read before it
-- a conflict, never a silent overwrite. Updates that move it themselves (the
-- optimistic locks) are left alone.
CREATE TRIGGER row_version_organizations AFTER UPDATE ON organizations WHEN NEW.row_version = OLD.row_version
BEGIN UPDATE organizations SET row_version = row_version + 1 WHERE id = NEW.id; END;
CREATE TRIGGER row_version_administrations AFTER UPDATE ON administrations WHEN NEW.row_version = OLD.row_version
BEGIN UPDATE administrations SET row_version = row_version + 1 WHERE id = NEW.id; END;
CREATE TRIGGER row_version_people AFTER UPDATE ON people WHEN NEW.row_version = OLD.row_version
BEGIN UPDATE people SET row_version = row_version + 1 WHERE id = NEW.id; END;
CREATE TRIGGER row_version_memberships AFTER UPDATE ON memberships WHEN NEW.row_version = OLD.row_version
BEGIN UPDATE memberships SET row_version = row_version + 1 WHERE id = NEW.id; END;
CREATE TRIGGER row_version_meetings AFTER UPDATE ON meetings WHEN NEW.row_version = OLD.row_version
BEGIN UPDATE meetings SET row_version = row_version + 1 WHERE id = NEW.id; END;
CREATE TRIGGER row_version_matters AFTER UPDATE ON matters WHEN NEW.row_version = OLD.row_version
BEGIN UPDATE matters SET row_version = row_version + 1 WHERE id = NEW.id; END;
CREATE TRIGGER row_version_escalations AFTER UPDATE ON escalations WHEN NEW.row_version = OLD.row_version
BEGIN UPDATE escalations SET row_version = row_version + 1 WHERE id = NEW.id; END;
CREATE TRIGGER row_version_actions AFTER UPDATE ON actions WHEN NEW.row_version = OLD.row_version
BEGIN UPDATE actions SET row_version = row_version + 1 WHERE id = NEW.id; END;
