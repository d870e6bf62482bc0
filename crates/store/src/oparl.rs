//! What the OParl 1.1 read API and the exports are made from: every public
//! record with the time it was created and last changed ([`Records`]), and the
//! stamps of changed and deleted records (migration 0020, `record_stamps`).
//!
//! Which of these an anonymous reader may see is the web crate's decision (the
//! policy); this module reads the register as it is.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::{with_conn, with_pool, Backend, Store, StoreError};

/// A group: id, slug, name, short name, kind, area, status, reports to,
/// merged into, created.
pub type GroupRow = (
    i64,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    String,
    Option<i64>,
    Option<i64>,
    DateTime<Utc>,
);
/// An administration: id, slug, name, short name, created.
pub type AdministrationRow = (i64, String, String, Option<String>, DateTime<Utc>);
/// A person: id, name, title, administration, created (never e-mail or phone).
pub type PersonRow = (i64, String, Option<String>, Option<i64>, DateTime<Utc>);
/// A membership: id, person, group, role, on behalf of (administration),
/// voting right, start, end, created.
pub type MembershipRow = (
    i64,
    i64,
    i64,
    String,
    Option<i64>,
    bool,
    NaiveDate,
    Option<NaiveDate>,
    DateTime<Utc>,
);
/// A meeting: id, group, kind, starts, ends, place, state, agenda published,
/// created, updated.
pub type MeetingRow = (
    i64,
    i64,
    String,
    DateTime<Utc>,
    DateTime<Utc>,
    Option<String>,
    String,
    bool,
    DateTime<Utc>,
    DateTime<Utc>,
);
/// An agenda item: id, meeting, position, title, matter, created.
pub type AgendaItemRow = (i64, i64, i64, String, Option<i64>, DateTime<Utc>);
/// A version of minutes: id, meeting, version, status, body, approved at,
/// published at, created.
pub type MinutesRow = (
    i64,
    i64,
    i64,
    String,
    String,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    DateTime<Utc>,
);
/// A charter version: id, group, version, title, document kind, diarienummer,
/// document date, decision date, status, source file name, created (imported).
pub type CharterRow = (
    i64,
    i64,
    i64,
    String,
    String,
    Option<String>,
    Option<NaiveDate>,
    Option<NaiveDate>,
    String,
    String,
    DateTime<Utc>,
);
/// A matter: id, group, kind, title, description, status, created, updated.
pub type MatterRow = (
    i64,
    i64,
    String,
    String,
    Option<String>,
    String,
    DateTime<Utc>,
    DateTime<Utc>,
);
/// A decision: id, group, meeting, agenda item, matter, text, decided on,
/// published (its minutes are), created.
pub type DecisionRow = (
    i64,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    String,
    NaiveDate,
    bool,
    DateTime<Utc>,
);
/// An attachment, without its bytes: id, agenda item, file name, content type,
/// size in bytes, SHA-256 (hex), created.
pub type AttachmentRow = (i64, i64, String, String, i64, String, DateTime<Utc>);

/// When a record last changed, and whether it was deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub modified: DateTime<Utc>,
    pub deleted: bool,
}

/// Every public record of the register, each list in id order, and the stamps
/// of the records changed or deleted since they were created, by (table, id).
#[derive(Debug, Default)]
pub struct Records {
    pub groups: Vec<GroupRow>,
    pub administrations: Vec<AdministrationRow>,
    pub people: Vec<PersonRow>,
    pub memberships: Vec<MembershipRow>,
    pub meetings: Vec<MeetingRow>,
    pub agenda_items: Vec<AgendaItemRow>,
    pub minutes: Vec<MinutesRow>,
    pub charters: Vec<CharterRow>,
    pub matters: Vec<MatterRow>,
    pub decisions: Vec<DecisionRow>,
    pub attachments: Vec<AttachmentRow>,
    pub stamps: HashMap<(String, i64), Stamp>,
}

impl Records {
    /// When the record `id` of `table` last changed: its stamp, or `created`
    /// when it never changed.
    pub fn modified(&self, table: &str, id: i64, created: DateTime<Utc>) -> DateTime<Utc> {
        self.stamps
            .get(&(table.to_string(), id))
            .map_or(created, |s| s.modified.max(created))
    }

    /// The records of the tables deleted since they were created: (table, id,
    /// when).
    pub fn deleted(&self) -> impl Iterator<Item = (&str, i64, DateTime<Utc>)> {
        self.stamps
            .iter()
            .filter(|(_, s)| s.deleted)
            .map(|((t, id), s)| (t.as_str(), *id, s.modified))
    }
}

/// The rows of one statement without parameters, as the tuple type asked for.
macro_rules! all_rows {
    ($c:expr, $sql:expr) => {
        sqlx::query_as($sql).fetch_all(&mut *$c).await?
    };
}

impl Store {
    /// Every public record with its times, read in one transaction-free pass
    /// (each list is consistent in itself). Drafts of charters and minutes that
    /// are not approved are left out; attachments come without their bytes
    /// ([`Store::attachment`] has them).
    pub async fn oparl_records(&self) -> Result<Records, StoreError> {
        with_conn!(self, |c| {
            let stamps: Vec<(String, i64, DateTime<Utc>, bool)> =
                all_rows!(c, "SELECT tbl, id, modified, deleted FROM record_stamps");
            Ok(Records {
                groups: all_rows!(c, "SELECT id, slug, name, short_name, kind, area, status, reports_to_id, merged_into_id, created_at FROM organizations ORDER BY id"),
                administrations: all_rows!(c, "SELECT id, slug, name, short_name, created_at FROM administrations ORDER BY id"),
                people: all_rows!(c, "SELECT id, name, title, administration_id, created_at FROM people ORDER BY id"),
                memberships: all_rows!(c, "SELECT id, person_id, organization_id, role, on_behalf_of_id, voting_right, start_date, end_date, created_at FROM memberships ORDER BY id"),
                meetings: all_rows!(c, "SELECT id, organization_id, kind, starts_at, ends_at, place, state, agenda_published, created_at, updated_at FROM meetings ORDER BY id"),
                agenda_items: all_rows!(c, "SELECT id, meeting_id, position, title, matter_id, created_at FROM agenda_items ORDER BY id"),
                minutes: all_rows!(c, "SELECT id, meeting_id, version, status, body, approved_at, published_at, created_at FROM minutes WHERE status IN ('approved','published') ORDER BY id"),
                charters: all_rows!(c, "SELECT id, organization_id, version, title, document_kind, registry_number, document_date, decision_date, status, source_name, imported_at FROM charter_versions ORDER BY id"),
                matters: all_rows!(c, "SELECT id, organization_id, kind, title, description, status, created_at, updated_at FROM matters ORDER BY id"),
                decisions: all_rows!(c, "SELECT d.id, d.organization_id, d.meeting_id, d.agenda_item_id, d.matter_id, d.text, d.decided_on, EXISTS (SELECT 1 FROM minutes mi WHERE mi.meeting_id = d.meeting_id AND mi.status = 'published') AS published, d.created_at FROM decisions d ORDER BY d.id"),
                attachments: all_rows!(c, "SELECT id, agenda_item_id, filename, content_type, size, sha256, created_at FROM attachments ORDER BY id"),
                stamps: stamps
                    .into_iter()
                    .map(|(t, id, modified, deleted)| ((t, id), Stamp { modified, deleted }))
                    .collect(),
            })
        })
    }
}
