//! The shapes of `/api/v1`'s bodies as the OpenAPI description names them
//! ([`crate::openapi`]): what clients rely on, field by field. These types
//! describe the JSON the handlers write; they are not built at run time (the
//! handlers write JSON directly), so schemathesis holds the two together.
#![allow(dead_code)]

use utoipa::ToSchema;

/// The API's error answer: `{"error": {"status", "message"}}`; a refused form
/// also lists its fields.
#[derive(ToSchema)]
pub struct ApiErrorBody {
    pub error: ErrorDetail,
    /// The fields refused, each with its message (422).
    pub errors: Option<Vec<FieldError>>,
}

#[derive(ToSchema)]
pub struct ErrorDetail {
    /// The HTTP status, again.
    pub status: u16,
    /// What is wrong and where, in the reader's language (Swedish by default).
    pub message: String,
}

#[derive(ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// A write carried out: the record's page and, where there is one, its id.
#[derive(ToSchema)]
pub struct Written {
    pub location: String,
    pub id: Option<i64>,
}

/// The paging part of a list: page, per page, total and the next page's address.
#[derive(ToSchema)]
pub struct Paged {
    pub count: u64,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
    pub next: Option<String>,
}

/// A group as lists show it.
#[derive(ToSchema)]
pub struct OrgSummary {
    pub slug: String,
    pub name: String,
    pub short_name: Option<String>,
    /// `samordningsrad`, `samordningsgrupp`, `regionalt_processteam`,
    /// `undergrupp`, `ledningsgrupp`, `forvaltning` or `other`.
    pub kind: String,
    pub area: Option<String>,
    /// `active` or `dissolved`.
    pub status: String,
    pub placeholder: bool,
    /// The slug of the group reported to.
    pub reports_to: Option<String>,
    pub charter: serde_json::Value,
    pub url: String,
    pub web_url: String,
    /// The version to send back with `PUT`.
    pub row_version: i64,
}

/// A page of groups.
#[derive(ToSchema)]
pub struct OrgList {
    pub count: u64,
    pub data: Vec<OrgSummary>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
    pub next: Option<String>,
}

/// A link to a group: slug, name, address.
#[derive(ToSchema)]
pub struct OrgLinkBody {
    pub slug: Option<String>,
    pub name: String,
}

/// A charter version's header.
#[derive(ToSchema)]
pub struct CharterHeader {
    pub version: i64,
    pub title: String,
    /// `uppdragshandling` or `verkstallighetsbeslut`.
    pub document_kind: String,
    pub revision: Option<String>,
    /// The diarienummer.
    pub registry_number: Option<String>,
    /// The document's date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// `undecided` or `decided`.
    pub status: String,
    pub decision_date: Option<String>,
    pub decided_by: Option<serde_json::Value>,
    pub source_name: String,
    pub source_sha256: String,
    pub imported_at: String,
    pub url: String,
    pub web_url: String,
}

/// A group with its neighbourhood and charter versions.
#[derive(ToSchema)]
pub struct OrgDetail {
    pub organization: OrgSummary,
    pub aliases: Vec<String>,
    pub children: Vec<OrgLinkBody>,
    pub liaisons: Vec<OrgLinkBody>,
    pub liaison_of: Vec<OrgLinkBody>,
    pub charters: Vec<CharterHeader>,
    pub charter_in_force: Option<i64>,
}

/// A group's edit through the API: the form's fields; left out, unchanged.
#[derive(ToSchema)]
pub struct OrgPutBody {
    /// The version read (or send `If-Match` with the `ETag` of `GET`).
    pub row_version: Option<i64>,
    pub name: String,
    pub kind: String,
    pub short_name: Option<String>,
    pub area: Option<String>,
    pub reports_to: Option<String>,
    pub status: Option<String>,
    pub aliases: Option<Vec<String>>,
    pub liaisons: Option<Vec<String>>,
    pub publish_minutes_separately: Option<bool>,
    pub minutes_overdue_days: Option<i64>,
    pub adjunct_limit: Option<i64>,
}

/// A group saved: its slug and new version.
#[derive(ToSchema)]
pub struct OrgSaved {
    pub slug: String,
    pub row_version: i64,
}

/// A group's charter versions.
#[derive(ToSchema)]
pub struct CharterList {
    pub count: u64,
    pub data: Vec<CharterHeader>,
}

/// One charter version with its parsed content.
#[derive(ToSchema)]
pub struct CharterOne {
    pub version: i64,
    pub title: String,
    pub status: String,
    pub organization: OrgLinkBody,
    pub content: serde_json::Value,
    pub source_url: String,
}

/// A membership as the members list shows it.
#[derive(ToSchema)]
pub struct MembershipItem {
    pub id: i64,
    pub person: String,
    pub person_id: i64,
    /// `ordforande`, `vice_ordforande`, `deltagare`, `adjungerad`, `koordinator`,
    /// `kontaktperson` or `sekreterare`.
    pub role: String,
    pub on_behalf_of: Option<String>,
    pub voting_right: bool,
    pub appointed_by: Option<String>,
    pub start_date: String,
    pub end_date: Option<String>,
    pub current: bool,
    pub row_version: i64,
}

/// A group's memberships, current and former.
#[derive(ToSchema)]
pub struct MembershipList {
    pub count: u64,
    pub data: Vec<MembershipItem>,
}

/// A decision, as an OParl AgendaItem with Samordna's extensions.
#[derive(ToSchema)]
pub struct DecisionItem {
    pub id: String,
    #[schema(rename = "type")]
    pub kind: String,
    pub name: String,
    pub public: bool,
    #[schema(rename = "resolutionText")]
    pub resolution_text: String,
    pub web: String,
}

/// A page of decisions.
#[derive(ToSchema)]
pub struct DecisionList {
    pub count: u64,
    pub data: Vec<DecisionItem>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
    pub next: Option<String>,
}

/// A matter, as an OParl Paper with Samordna's extensions.
#[derive(ToSchema)]
pub struct MatterItem {
    pub id: String,
    #[schema(rename = "type")]
    pub kind: String,
    pub name: String,
    pub reference: String,
    #[schema(rename = "paperType")]
    pub paper_type: String,
    pub web: String,
    pub consultation: Vec<serde_json::Value>,
}

/// A page of matters.
#[derive(ToSchema)]
pub struct MatterList {
    pub count: u64,
    pub data: Vec<MatterItem>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
    pub next: Option<String>,
}

/// A case (diarienummer) in a list.
#[derive(ToSchema)]
pub struct CaseItem {
    pub registry_number: String,
    pub slug: String,
    pub prefix: String,
    pub year: i64,
    /// The serial as written, leading zeros kept (`00784`).
    pub serial: String,
    pub documents: i64,
    pub url: String,
}

/// A page of cases.
#[derive(ToSchema)]
pub struct CaseList {
    pub count: u64,
    pub data: Vec<CaseItem>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
    pub next: Option<String>,
}

/// A case and a page of its documents.
#[derive(ToSchema)]
pub struct CaseOne {
    pub registry_number: String,
    pub slug: String,
    pub documents: Vec<CharterHeader>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
    pub next: Option<String>,
}

/// Search hits.
#[derive(ToSchema)]
pub struct SearchAnswer {
    pub query: String,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
    pub data: Vec<serde_json::Value>,
    pub facets: serde_json::Value,
    pub suggestion: Option<String>,
    pub next: Option<String>,
}

/// A meeting.
#[derive(ToSchema)]
pub struct MeetingItem {
    pub id: i64,
    /// `ordinary` or `extra`.
    pub kind: String,
    pub starts_at: String,
    pub ends_at: String,
    pub place: Option<String>,
    pub digital_link: Option<String>,
    /// `planned`, `held` or `cancelled`.
    pub state: String,
    pub cancel_reason: Option<String>,
    pub agenda_published: bool,
    pub row_version: i64,
    pub url: String,
    pub web_url: String,
}

/// A group's meetings.
#[derive(ToSchema)]
pub struct MeetingList {
    pub count: u64,
    pub data: Vec<MeetingItem>,
}

/// A meeting with its agenda and minutes (what the reader may see).
#[derive(ToSchema)]
pub struct MeetingOne {
    pub id: i64,
    pub kind: String,
    pub starts_at: String,
    pub ends_at: String,
    pub state: String,
    pub agenda_published: bool,
    pub row_version: i64,
    pub organization: String,
    pub agenda: Option<Vec<serde_json::Value>>,
    pub minutes: Option<serde_json::Value>,
}
