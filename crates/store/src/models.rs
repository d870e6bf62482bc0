//! What the store returns.

use chrono::{DateTime, NaiveDate, Utc};
use samordna_domain::{CharterStatus, DocumentKind, OrgKind, ParsedCharter};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Organization {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: OrgKind,
    pub area: Option<String>,
    pub reports_to_id: Option<i64>,
    pub status: String,
    /// Created because a document named it; no charter of its own has been imported.
    pub placeholder: bool,
    pub merged_into_id: Option<i64>,
    /// For optimistic locking of edits.
    pub row_version: i64,
    /// Approved minutes wait for a separate publishing step.
    pub publish_minutes_separately: bool,
    /// Days after a meeting within which minutes should be approved; `None`: the
    /// region's default.
    pub minutes_overdue_days: Option<i64>,
    /// The most adjuncts the group should have; `None`: the region's default.
    pub adjunct_limit: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alias {
    pub organization_id: i64,
    pub alias: String,
    pub alias_key: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    pub id: i64,
    pub registry_number: String,
    pub prefix: String,
    pub year: i64,
    pub serial: String,
}

/// A case as a list of cases shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseSummary {
    pub case: Case,
    /// How many charter versions are filed under it.
    pub documents: i64,
}

impl Case {
    pub fn slug(&self) -> String {
        self.registry_number.to_lowercase().replace(' ', "-")
    }
}

/// One version of a group's charter, without its full content.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CharterVersion {
    pub id: i64,
    pub organization_id: i64,
    pub version: i64,
    pub case_id: Option<i64>,
    pub registry_number: Option<String>,
    pub document_kind: DocumentKind,
    pub title: String,
    pub revision: Option<String>,
    pub document_date: Option<NaiveDate>,
    pub decision_date: Option<NaiveDate>,
    pub decided_by_name: Option<String>,
    pub decided_by_title: Option<String>,
    pub status: CharterStatus,
    pub source_name: String,
    pub source_sha256: String,
    pub imported_at: DateTime<Utc>,
}

/// The version in force: the decided version with the latest decision date; of
/// two decided the same day, the later document (then the later import). An
/// undecided version is never in force; the previous decided one stays.
pub fn in_force(versions: &[CharterVersion]) -> Option<&CharterVersion> {
    versions
        .iter()
        .filter(|v| v.status == CharterStatus::Decided)
        .max_by_key(|v| (v.decision_date, v.document_date, v.version))
}

/// A charter version with its parsed content.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CharterDocument {
    #[serde(flatten)]
    pub meta: CharterVersion,
    pub content: ParsedCharter,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEvent {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<i64>,
    pub detail: String,
    /// JSON: the before and after of the change.
    pub changes: Option<String>,
}

/// How many rows each table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct Counts {
    pub organizations: i64,
    pub aliases: i64,
    pub liaisons: i64,
    pub cases: i64,
    pub charter_versions: i64,
    pub references: i64,
    pub audit_events: i64,
}

/// What importing one file did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportOutcome {
    pub organization_slug: String,
    pub organization_name: String,
    pub change: ImportChange,
    /// Organisations created on the way (the group itself, or placeholders for the
    /// groups and bodies the document names).
    pub created: Vec<String>,
    /// Where the document says something else than the register holds (the kind of
    /// group, whom it reports to). The register's value stays; each entry says what
    /// differs, in Swedish, for the person importing to decide.
    pub conflicts: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportChange {
    /// The same document was imported before; nothing changed.
    Unchanged,
    /// A new charter version with this number.
    NewVersion(i64),
}

/// A document as it was read from disk.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    /// The file name as the user gave it.
    pub name: &'a str,
    /// The text the parser read (for a PDF or DOCX, the text extracted from it).
    pub text: &'a str,
    /// The original file when it was not plain text, kept as the source.
    pub file: Option<SourceFile<'a>>,
}

/// An original PDF or DOCX a charter version was read from.
#[derive(Debug, Clone, Copy)]
pub struct SourceFile<'a> {
    /// `application/pdf` or the DOCX media type.
    pub media_type: &'a str,
    pub bytes: &'a [u8],
}

/// One group with what its page shows of its neighbourhood (`Store::group_view`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupView {
    pub org: Organization,
    /// The group this one was merged into, if any.
    pub merged_into: Option<Organization>,
    pub parent: Option<Organization>,
    /// The groups reporting to it, in Swedish order.
    pub children: Vec<Organization>,
    /// The groups it names as liaisons, in Swedish order.
    pub liaisons: Vec<Organization>,
    /// The groups naming it as their liaison, in Swedish order.
    pub liaison_of: Vec<Organization>,
    /// Other names it is known by (not its own name).
    pub aliases: Vec<String>,
    /// Its charter versions, oldest first (headers, not content).
    pub versions: Vec<CharterVersion>,
}
