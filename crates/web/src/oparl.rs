//! The OParl 1.1 read API under `/oparl/v1.1/` (<https://oparl.org/spezifikation/>,
//! schemas in `shared/oparl-1.1/schema`): the register as System → Body (the
//! region) → lists of Organization (groups and administrations), Person,
//! Membership, Meeting, AgendaItem, Paper (charter versions, published minutes,
//! matters), Consultation (a matter on an agenda item), File (charter PDF/A and
//! DOCX, attachments) and Location (a meeting's place).
//!
//! Only what an anonymous reader may see, whoever asks: people and memberships
//! when the installation lets anonymous visitors read people
//! ([`AnonymousAccess::Everything`]), agenda items and attachments of published
//! agendas, minutes once published, decisions (an agenda item's `result` and
//! `resolutionText`) once their minutes are. Ids are absolute URLs under the
//! installation's public address; `web` links to the portal page. Data without
//! an OParl property is carried in properties prefixed `samordna:` (OParl 1.1,
//! chapter "Erweiterungen"), the same name in every object type.
//!
//! Lists are paginated (`page`, `limit` ≤ 100, default 50) with `pagination`
//! and `links` (`first`, `prev`, `next`, `last`) and take the specification's
//! filters `created_since`, `created_until`, `modified_since`, `modified_until`
//! (RFC 3339 date-times). A deleted record stays in its list as `{"id", "type",
//! "deleted": true, "modified"}` (migration 0020 keeps its stamp). Every
//! response carries `Access-Control-Allow-Origin: *`.

use samordna_domain::calendar::swedish_date;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock, Mutex};

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use samordna_domain::meetings::MeetingState;
use samordna_domain::policy::AnonymousAccess;
use samordna_store::oparl::Records;
use serde_json::{json, Map, Value};

use crate::error::{ApiError, AppError};
use crate::i18n::Tr;
use crate::lang::Lang;
use crate::state::AppState;

/// Where the API lives under the installation's address.
pub const BASE: &str = "/oparl/v1.1";
/// The schema address of OParl 1.1 object types.
const SCHEMA: &str = "https://schema.oparl.org/1.1/";
/// The one body's key: the region.
const BODY: &str = "region";
/// A list page's size when the client names none, and the largest it may ask.
const DEFAULT_LIMIT: usize = 50;
const MAX_LIMIT: usize = 100;
/// The licence of the published data: CC0 (public-sector information, free to
/// reuse; Lag (2022:818) om den offentliga sektorns tillhandahållande av data).
pub const LICENSE: &str = "https://creativecommons.org/publicdomain/zero/1.0/";

/// An object list of the body, in the order the body names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ListKind {
    Organization,
    Person,
    Membership,
    Meeting,
    AgendaItem,
    Paper,
    Consultation,
    File,
    Location,
    LegislativeTerm,
}

impl ListKind {
    /// Every list, in the body's order.
    pub const ALL: [ListKind; 10] = [
        ListKind::Organization,
        ListKind::Person,
        ListKind::Membership,
        ListKind::Meeting,
        ListKind::AgendaItem,
        ListKind::Paper,
        ListKind::Consultation,
        ListKind::File,
        ListKind::Location,
        ListKind::LegislativeTerm,
    ];

    /// The OParl type name (`Organization`, `AgendaItem`, …).
    pub fn type_name(self) -> &'static str {
        match self {
            ListKind::Organization => "Organization",
            ListKind::Person => "Person",
            ListKind::Membership => "Membership",
            ListKind::Meeting => "Meeting",
            ListKind::AgendaItem => "AgendaItem",
            ListKind::Paper => "Paper",
            ListKind::Consultation => "Consultation",
            ListKind::File => "File",
            ListKind::Location => "Location",
            ListKind::LegislativeTerm => "LegislativeTerm",
        }
    }

    /// The path segment of one object (`/oparl/v1.1/{segment}/{key}`).
    fn segment(self) -> &'static str {
        match self {
            ListKind::Organization => "organization",
            ListKind::Person => "person",
            ListKind::Membership => "membership",
            ListKind::Meeting => "meeting",
            ListKind::AgendaItem => "agenda-item",
            ListKind::Paper => "paper",
            ListKind::Consultation => "consultation",
            ListKind::File => "file",
            ListKind::Location => "location",
            ListKind::LegislativeTerm => "legislative-term",
        }
    }

    /// The path segment of the body's list (`/oparl/v1.1/body/region/{list}`).
    fn list(self) -> &'static str {
        match self {
            ListKind::Organization => "organizations",
            ListKind::Person => "people",
            ListKind::Membership => "memberships",
            ListKind::Meeting => "meetings",
            ListKind::AgendaItem => "agenda-items",
            ListKind::Paper => "papers",
            ListKind::Consultation => "consultations",
            ListKind::File => "files",
            ListKind::Location => "locations",
            ListKind::LegislativeTerm => "legislative-terms",
        }
    }

    fn from_list(s: &str) -> Option<ListKind> {
        ListKind::ALL.into_iter().find(|k| k.list() == s)
    }
}

/// One object of a list, with the times its filters read.
struct Obj {
    kind: ListKind,
    id: String,
    created: Option<DateTime<Utc>>,
    modified: DateTime<Utc>,
    value: Value,
}

/// An object as kept between requests: its JSON written out (a tenth of the
/// memory of a `serde_json::Value` tree), with what the filters read.
struct Stored {
    kind: ListKind,
    id: Box<str>,
    created: Option<DateTime<Utc>>,
    modified: DateTime<Utc>,
    json: Box<str>,
}

impl From<Obj> for Stored {
    fn from(o: Obj) -> Stored {
        Stored {
            kind: o.kind,
            id: o.id.into(),
            created: o.created,
            modified: o.modified,
            json: o.value.to_string().into(),
        }
    }
}

/// The addresses of the API on this installation.
struct Urls {
    root: String,
    public: String,
}

impl Urls {
    fn new(public_url: &str) -> Urls {
        let public = public_url.trim_end_matches('/').to_string();
        Urls {
            root: format!("{public}{BASE}"),
            public,
        }
    }
    fn system(&self) -> String {
        format!("{}/", self.root)
    }
    fn bodies(&self) -> String {
        format!("{}/bodies", self.root)
    }
    fn body(&self) -> String {
        format!("{}/body/{BODY}", self.root)
    }
    fn list(&self, kind: ListKind) -> String {
        format!("{}/body/{BODY}/{}", self.root, kind.list())
    }
    fn obj(&self, kind: ListKind, key: impl std::fmt::Display) -> String {
        format!("{}/{}/{key}", self.root, kind.segment())
    }
    fn web(&self, path: &str) -> String {
        format!("{}{path}", self.public)
    }
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Adds the object's common properties and drops the absent (null) ones: OParl
/// leaves out a property without a value.
fn object(
    kind: ListKind,
    id: String,
    created: DateTime<Utc>,
    modified: DateTime<Utc>,
    web: Option<String>,
    body: Value,
) -> Obj {
    let mut m = Map::new();
    m.insert("id".into(), json!(id));
    m.insert(
        "type".into(),
        json!(format!("{SCHEMA}{}", kind.type_name())),
    );
    if let Value::Object(b) = body {
        m.extend(b.into_iter().filter(|(_, v)| match v {
            Value::Null => false,
            Value::Array(a) => !a.is_empty(),
            _ => true,
        }));
    }
    m.insert("created".into(), json!(time(created)));
    m.insert("modified".into(), json!(time(modified)));
    if let Some(web) = web {
        m.insert("web".into(), json!(web));
    }
    m.insert("deleted".into(), json!(false));
    Obj {
        kind,
        id,
        created: Some(created),
        modified,
        value: Value::Object(m),
    }
}

/// SHA-512 of attachments by their SHA-256: attachments never change, so each is
/// read and hashed once per process.
static SHA512: LazyLock<Mutex<HashMap<String, String>>> = LazyLock::new(Default::default);

async fn sha512_of(state: &AppState, id: i64, sha256: &str) -> Result<Option<String>, AppError> {
    if let Some(s) = SHA512.lock().ok().and_then(|m| m.get(sha256).cloned()) {
        return Ok(Some(s));
    }
    let Some((_, data)) = state.store.attachment(id).await? else {
        return Ok(None);
    };
    use sha2::Digest;
    let hex: String = sha2::Sha512::digest(&data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if let Ok(mut m) = SHA512.lock() {
        m.insert(sha256.to_string(), hex.clone());
    }
    Ok(Some(hex))
}

/// The objects, from the node's memo ([`crate::state::Memo`]) while the
/// register has not changed.
async fn cached(state: &AppState) -> Result<Arc<Catalogue>, AppError> {
    let count = state.store.change_count().await?;
    let mut slot = state.oparl.0.lock().await;
    if let Some((at, any)) = slot.as_ref() {
        if *at == count {
            if let Ok(cat) = any.clone().downcast::<Catalogue>() {
                return Ok(cat);
            }
        }
    }
    let cat = Arc::new(catalogue(state).await?);
    *slot = Some((count, cat.clone()));
    Ok(cat)
}

/// Every object the API shows, built from the register.
pub struct Catalogue {
    system: Box<str>,
    body: Stored,
    objects: Vec<Stored>,
}

async fn catalogue(state: &AppState) -> Result<Catalogue, AppError> {
    let rec = state.store.oparl_records().await?;
    let u = Urls::new(&state.settings.public_url);
    let tr = Tr { lang: Lang::Sv };
    let people_visible = state.settings.anonymous_access == AnonymousAccess::Everything;
    let group_key = |id: i64| format!("group-{id}");
    let admin_key = |id: i64| format!("administration-{id}");
    let slugs: HashMap<i64, (&str, &str)> = rec
        .groups
        .iter()
        .map(|g| (g.0, (g.1.as_str(), g.2.as_str())))
        .collect();
    let meetings: HashMap<i64, &samordna_store::oparl::MeetingRow> =
        rec.meetings.iter().map(|m| (m.0, m)).collect();
    let label = |id: String| {
        if tr.has(&id) {
            Some(tr.t(&id))
        } else {
            None
        }
    };

    // Files: attachments of published agendas, and each charter version's PDF/A
    // and DOCX.
    let item_meeting: HashMap<i64, i64> = rec.agenda_items.iter().map(|a| (a.0, a.1)).collect();
    let published_agenda = |meeting: i64| meetings.get(&meeting).is_some_and(|m| m.7);
    let mut files_of_item: BTreeMap<i64, Vec<Value>> = BTreeMap::new();
    let mut objects: Vec<Obj> = Vec::new();
    let mut files = Vec::new();
    for (id, item, name, content_type, size, sha256, created) in &rec.attachments {
        let Some(&meeting) = item_meeting.get(item) else {
            continue;
        };
        if !published_agenda(meeting) {
            continue;
        }
        let href = u.web(&format!("/moten/{meeting}/bilagor/{id}"));
        let o = object(
            ListKind::File,
            u.obj(ListKind::File, format!("attachment-{id}")),
            *created,
            rec.modified("attachments", *id, *created),
            Some(u.web(&format!("/moten/{meeting}"))),
            json!({
                "name": name,
                "fileName": name,
                "mimeType": content_type.split(';').next().unwrap_or_default().trim(),
                "date": date(swedish_date(*created)),
                "size": size,
                "sha512Checksum": sha512_of(state, *id, sha256).await?,
                "samordna:sha256Checksum": sha256,
                "accessUrl": href,
                "downloadUrl": href,
                "agendaItem": [u.obj(ListKind::AgendaItem, item)],
                "meeting": [u.obj(ListKind::Meeting, meeting)],
                "license": LICENSE,
            }),
        );
        files_of_item
            .entry(*item)
            .or_default()
            .push(o.value.clone());
        files.push(o);
    }
    let mut charter_files: HashMap<i64, (Value, Value)> = HashMap::new();
    for c in &rec.charters {
        let (id, org, version, title, _kind, _reg, doc_date, ..) = c;
        let created = c.10;
        let Some((slug, _)) = slugs.get(org) else {
            continue;
        };
        let page = format!("/grupper/{slug}/uppdragshandlingar/{version}");
        let paper = u.obj(ListKind::Paper, format!("charter-{id}"));
        let make = |ext: &str, mime: &str, what: &str| {
            let href = u.web(&format!("{page}/{ext}"));
            object(
                ListKind::File,
                u.obj(ListKind::File, format!("charter-{ext}-{id}")),
                created,
                rec.modified("charter_versions", *id, created),
                Some(u.web(&page)),
                json!({
                    "name": format!("{title} ({what})"),
                    "fileName": format!("{slug}-version-{version}.{ext}"),
                    "mimeType": mime,
                    "date": doc_date.map(date),
                    "accessUrl": href,
                    "downloadUrl": href,
                    "paper": [paper],
                    "license": LICENSE,
                }),
            )
        };
        let pdf = make("pdf", "application/pdf", "PDF/A");
        let docx = make(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "DOCX",
        );
        charter_files.insert(*id, (pdf.value.clone(), docx.value.clone()));
        files.push(pdf);
        files.push(docx);
    }

    // Decisions published, by agenda item.
    let mut decisions_of_item: HashMap<i64, Vec<&samordna_store::oparl::DecisionRow>> =
        HashMap::new();
    for d in rec.decisions.iter().filter(|d| d.7) {
        if let Some(item) = d.3 {
            decisions_of_item.entry(item).or_default().push(d);
        }
    }
    let matter_ids: std::collections::HashSet<i64> = rec.matters.iter().map(|m| m.0).collect();

    // Agenda items of published agendas, and the consultations among them.
    let mut items_of_meeting: BTreeMap<i64, Vec<Value>> = BTreeMap::new();
    // The latest change of each meeting's items (a meeting changes with them).
    let mut items_modified: HashMap<i64, DateTime<Utc>> = HashMap::new();
    let mut consultations_of_matter: BTreeMap<i64, Vec<Value>> = BTreeMap::new();
    let mut items = Vec::new();
    let mut consultations = Vec::new();
    for (id, meeting, position, title, matter, created) in &rec.agenda_items {
        let Some(m) = meetings.get(meeting).filter(|m| m.7) else {
            continue;
        };
        let group = u.obj(ListKind::Organization, group_key(m.1));
        let decided = decisions_of_item.get(id);
        let mut modified = rec.modified("agenda_items", *id, *created);
        for d in decided.into_iter().flatten() {
            modified = modified.max(d.8);
        }
        let matter = matter.filter(|m| matter_ids.contains(m));
        let consultation = matter.map(|_| u.obj(ListKind::Consultation, id));
        let o = object(
            ListKind::AgendaItem,
            u.obj(ListKind::AgendaItem, id),
            *created,
            modified,
            Some(u.web(&format!("/moten/{meeting}"))),
            json!({
                "meeting": u.obj(ListKind::Meeting, meeting),
                "number": position.to_string(),
                "order": position,
                "name": title,
                "public": true,
                "consultation": consultation,
                "result": decided.map(|_| tr.t("oparl-result-decided")),
                "resolutionText": decided.map(|ds| ds.iter().map(|d| d.5.as_str()).collect::<Vec<_>>().join("\n\n")),
                "auxiliaryFile": files_of_item.get(id).cloned().unwrap_or_default(),
                "samordna:decisionDate": decided.and_then(|ds| ds.first()).map(|d| date(d.6)),
                "license": LICENSE,
            }),
        );
        if let (Some(matter), Some(cid)) = (matter, consultation) {
            let c = object(
                ListKind::Consultation,
                cid,
                *created,
                modified,
                Some(u.web(&format!("/moten/{meeting}"))),
                json!({
                    "paper": u.obj(ListKind::Paper, format!("matter-{matter}")),
                    "agendaItem": u.obj(ListKind::AgendaItem, id),
                    "meeting": u.obj(ListKind::Meeting, meeting),
                    "organization": [group],
                    "authoritative": decided.is_some(),
                    "role": tr.t("oparl-consultation-role"),
                    "license": LICENSE,
                }),
            );
            consultations_of_matter
                .entry(matter)
                .or_default()
                .push(c.value.clone());
            consultations.push(c);
        }
        items_of_meeting
            .entry(*meeting)
            .or_default()
            .push(o.value.clone());
        let latest = items_modified.entry(*meeting).or_insert(o.modified);
        *latest = (*latest).max(o.modified);
        items.push(o);
    }

    // Minutes as papers: every published version.
    let mut papers = Vec::new();
    let mut minutes_of_meeting: HashMap<i64, String> = HashMap::new();
    for (id, meeting, version, status, body, _approved, published, created) in &rec.minutes {
        if status != "published" {
            continue;
        }
        let Some(m) = meetings.get(meeting) else {
            continue;
        };
        let Some((_, name)) = slugs.get(&m.1) else {
            continue;
        };
        let url = u.obj(ListKind::Paper, format!("minutes-{id}"));
        minutes_of_meeting.insert(*meeting, url.clone());
        let day = swedish_date(m.3);
        papers.push(object(
            ListKind::Paper,
            url,
            *created,
            rec.modified("minutes", *id, published.unwrap_or(*created)),
            Some(u.web(&format!("/moten/{meeting}"))),
            json!({
                "body": u.body(),
                "name": tr.args("oparl-minutes-name", &[("group", crate::i18n::Arg::Text(name.to_string())), ("date", crate::i18n::Arg::Text(date(day)))]),
                "date": date(published.map_or(day, swedish_date)),
                "paperType": tr.t("oparl-paper-minutes"),
                "underDirectionOf": [u.obj(ListKind::Organization, group_key(m.1))],
                "samordna:meeting": u.obj(ListKind::Meeting, meeting),
                "samordna:version": version,
                "samordna:text": body,
                "license": LICENSE,
            }),
        ));
    }

    // Meetings, with their place as a location.
    let mut meeting_objs = Vec::new();
    let mut locations = Vec::new();
    for m in &rec.meetings {
        let (id, org, kind, starts, ends, place, state_, _published, created, updated) = m;
        let state_ = &state_.parse::<MeetingState>().map_or(state_.clone(), |s| {
            s.as_seen(*ends, Utc::now()).as_str().to_string()
        });
        let Some((_, name)) = slugs.get(org) else {
            continue;
        };
        let modified = rec
            .modified("meetings", *id, (*updated).max(*created))
            .max(items_modified.get(id).copied().unwrap_or(*created));
        let location = place.as_ref().filter(|p| !p.trim().is_empty()).map(|p| {
            object(
                ListKind::Location,
                u.obj(ListKind::Location, format!("meeting-{id}")),
                *created,
                rec.modified("meetings", *id, (*updated).max(*created)),
                Some(u.web(&format!("/moten/{id}"))),
                json!({
                    "description": p,
                    "meetings": [u.obj(ListKind::Meeting, id)],
                    "license": LICENSE,
                }),
            )
        });
        meeting_objs.push(object(
            ListKind::Meeting,
            u.obj(ListKind::Meeting, id),
            *created,
            modified,
            Some(u.web(&format!("/moten/{id}"))),
            json!({
                "name": format!("{} – {name}", label(format!("meeting-kind-{kind}")).unwrap_or_else(|| kind.clone())),
                "meetingState": label(format!("meeting-state-{state_}")).unwrap_or_else(|| state_.clone()),
                "cancelled": state_ == "cancelled",
                "start": time(*starts),
                "end": time(*ends),
                "location": location.as_ref().map(|l| l.value.clone()),
                "organization": [u.obj(ListKind::Organization, group_key(*org))],
                "agendaItem": items_of_meeting.get(id).cloned().unwrap_or_default(),
                "samordna:minutes": minutes_of_meeting.get(id),
                "license": LICENSE,
            }),
        ));
        locations.extend(location);
    }

    // Charter versions and matters as papers.
    for c in &rec.charters {
        let (
            id,
            org,
            version,
            title,
            kind,
            registry,
            doc_date,
            decision_date,
            status,
            source,
            created,
        ) = c;
        let Some((slug, _)) = slugs.get(org) else {
            continue;
        };
        let related: Vec<String> = rec
            .charters
            .iter()
            .filter(|o| o.1 == *org && o.0 != *id)
            .map(|o| u.obj(ListKind::Paper, format!("charter-{}", o.0)))
            .collect();
        let (pdf, docx) = charter_files.remove(id).unzip();
        papers.push(object(
            ListKind::Paper,
            u.obj(ListKind::Paper, format!("charter-{id}")),
            *created,
            rec.modified("charter_versions", *id, *created),
            Some(u.web(&format!("/grupper/{slug}/uppdragshandlingar/{version}"))),
            json!({
                "body": u.body(),
                "name": title,
                "reference": registry,
                "date": doc_date.map(date),
                "paperType": kind.parse::<samordna_domain::DocumentKind>().map_or(kind.as_str(), |k| k.label_sv()),
                "mainFile": pdf,
                "auxiliaryFile": docx.into_iter().collect::<Vec<_>>(),
                "underDirectionOf": [u.obj(ListKind::Organization, group_key(*org))],
                "relatedPaper": related,
                "samordna:version": version,
                "samordna:status": status.parse::<samordna_domain::CharterStatus>().map_or(status.as_str(), |k| k.label_sv()),
                "samordna:decisionDate": decision_date.map(date),
                "samordna:sourceFile": source,
                "license": LICENSE,
            }),
        ));
    }
    for (id, org, kind, title, description, status, created, updated) in &rec.matters {
        let Some((slug, _)) = slugs.get(org) else {
            continue;
        };
        papers.push(object(
            ListKind::Paper,
            u.obj(ListKind::Paper, format!("matter-{id}")),
            *created,
            rec.modified("matters", *id, (*updated).max(*created)),
            Some(u.web(&format!("/grupper/{slug}/grupparenden/{id}"))),
            json!({
                "body": u.body(),
                "name": title,
                "date": date(swedish_date(*created)),
                "paperType": label(format!("matter-kind-{}", kind.replace('_', "-"))).unwrap_or_else(|| kind.clone()),
                "underDirectionOf": [u.obj(ListKind::Organization, group_key(*org))],
                "consultation": consultations_of_matter.get(id).cloned().unwrap_or_default(),
                "samordna:status": label(format!("matter-status-{}", status.replace('_', "-"))).unwrap_or_else(|| status.clone()),
                "samordna:description": description,
                "license": LICENSE,
            }),
        ));
    }

    // People and memberships, when anonymous visitors may read people.
    let mut people = Vec::new();
    let mut memberships = Vec::new();
    let mut members_of: HashMap<i64, Vec<String>> = HashMap::new();
    if people_visible {
        let mut of_person: HashMap<i64, Vec<Value>> = HashMap::new();
        for m in &rec.memberships {
            let (id, person, org, role, behalf, voting, start, end, created) = m;
            let Some((slug, _)) = slugs.get(org) else {
                continue;
            };
            let o = object(
                ListKind::Membership,
                u.obj(ListKind::Membership, id),
                *created,
                rec.modified("memberships", *id, *created),
                Some(u.web(&format!("/grupper/{slug}/medlemmar"))),
                json!({
                    "person": u.obj(ListKind::Person, person),
                    "organization": u.obj(ListKind::Organization, group_key(*org)),
                    "role": label(format!("role-{role}")).unwrap_or_else(|| role.clone()),
                    "votingRight": voting,
                    "startDate": date(*start),
                    "endDate": end.map(date),
                    "onBehalfOf": behalf.map(|a| u.obj(ListKind::Organization, admin_key(a))),
                    "license": LICENSE,
                }),
            );
            of_person.entry(*person).or_default().push(o.value.clone());
            members_of.entry(*org).or_default().push(o.id.clone());
            memberships.push(o);
        }
        for (id, name, title, administration, created) in &rec.people {
            people.push(object(
                ListKind::Person,
                u.obj(ListKind::Person, id),
                *created,
                rec.modified("people", *id, *created),
                None,
                json!({
                    "body": u.body(),
                    "name": name,
                    "membership": of_person.remove(id).unwrap_or_default(),
                    "samordna:jobTitle": title,
                    "samordna:administration": administration.map(|a| u.obj(ListKind::Organization, admin_key(a))),
                    "license": LICENSE,
                }),
            ));
        }
    }

    // Organisations: groups, then administrations.
    let mut orgs = Vec::new();
    for g in &rec.groups {
        let (id, slug, name, short, kind, area, status, parent, merged, created) = g;
        orgs.push(object(
            ListKind::Organization,
            u.obj(ListKind::Organization, group_key(*id)),
            *created,
            rec.modified("organizations", *id, *created),
            Some(u.web(&format!("/grupper/{slug}"))),
            json!({
                "body": u.body(),
                "name": name,
                "shortName": short,
                "organizationType": "Gremium",
                "classification": label(format!("kind-{kind}")).unwrap_or_else(|| kind.clone()),
                "subOrganizationOf": parent.map(|p| u.obj(ListKind::Organization, group_key(p))),
                "membership": members_of.remove(id).unwrap_or_default(),
                "samordna:kind": kind,
                "samordna:area": area,
                "samordna:status": status,
                "samordna:mergedInto": merged.map(|m| u.obj(ListKind::Organization, group_key(m))),
                "license": LICENSE,
            }),
        ));
    }
    for (id, _slug, name, short, created) in &rec.administrations {
        orgs.push(object(
            ListKind::Organization,
            u.obj(ListKind::Organization, admin_key(*id)),
            *created,
            rec.modified("administrations", *id, *created),
            Some(u.web("/forvaltningar")),
            json!({
                "body": u.body(),
                "name": name,
                "shortName": short,
                "organizationType": "Verwaltungsbereich",
                "classification": tr.t("oparl-administration"),
                "license": LICENSE,
            }),
        ));
    }

    objects.extend(orgs);
    objects.extend(people);
    objects.extend(memberships);
    objects.extend(meeting_objs);
    objects.extend(items);
    objects.extend(papers);
    objects.extend(consultations);
    objects.extend(files);
    objects.extend(locations);
    objects.extend(tombstones(&rec, &u, people_visible));

    let created = objects
        .iter()
        .filter_map(|o| o.created)
        .min()
        .unwrap_or_else(Utc::now);
    let modified = objects.iter().map(|o| o.modified).max().unwrap_or(created);
    let mut lists = Map::new();
    for kind in ListKind::ALL {
        let key = match kind {
            ListKind::Location => "locationList".to_string(),
            ListKind::LegislativeTerm => "legislativeTermList".to_string(),
            k => {
                let t = k.type_name();
                t[..1].to_lowercase() + &t[1..]
            }
        };
        lists.insert(key, json!(u.list(kind)));
    }
    lists.insert("legislativeTerm".into(), json!([]));
    lists.insert("system".into(), json!(u.system()));
    lists.insert("name".into(), json!(tr.t("oparl-body-name")));
    lists.insert("website".into(), json!(u.web("/")));
    lists.insert("license".into(), json!(LICENSE));
    lists.insert(
        "classification".into(),
        json!(tr.t("oparl-body-classification")),
    );
    lists.insert(
        "contactEmail".into(),
        json!(state.settings.contact_email.clone()),
    );
    let mut body = object(
        ListKind::Organization,
        u.body(),
        created,
        modified,
        Some(u.web("/")),
        Value::Object(lists),
    );
    body.value["type"] = json!(format!("{SCHEMA}Body"));
    // Required by the schema even when empty: Samordna has no legislative terms.
    body.value["legislativeTerm"] = json!([]);
    let system = json!({
        "id": u.system(),
        "type": format!("{SCHEMA}System"),
        "oparlVersion": SCHEMA,
        "license": LICENSE,
        "body": u.bodies(),
        "name": tr.t("site-name"),
        "contactEmail": state.settings.contact_email,
        "website": u.web("/"),
        "web": u.web("/"),
        "created": time(created),
        "modified": time(modified),
    });
    Ok(Catalogue {
        system: system.to_string().into(),
        body: body.into(),
        objects: objects.into_iter().map(Stored::from).collect(),
    })
}

/// Deleted records as `{"id", "type", "deleted": true, "modified"}`.
fn tombstones(rec: &Records, u: &Urls, people_visible: bool) -> Vec<Obj> {
    let mut out: Vec<Obj> = rec
        .deleted()
        .filter_map(|(table, id, when)| {
            let (kind, key) = match table {
                "organizations" => (ListKind::Organization, format!("group-{id}")),
                "administrations" => (ListKind::Organization, format!("administration-{id}")),
                "people" if people_visible => (ListKind::Person, id.to_string()),
                "memberships" if people_visible => (ListKind::Membership, id.to_string()),
                "meetings" => (ListKind::Meeting, id.to_string()),
                "agenda_items" => (ListKind::AgendaItem, id.to_string()),
                "minutes" => (ListKind::Paper, format!("minutes-{id}")),
                "charter_versions" => (ListKind::Paper, format!("charter-{id}")),
                "matters" => (ListKind::Paper, format!("matter-{id}")),
                "attachments" => (ListKind::File, format!("attachment-{id}")),
                _ => return None,
            };
            let id = u.obj(kind, key);
            Some(Obj {
                kind,
                value: json!({
                    "id": id,
                    "type": format!("{SCHEMA}{}", kind.type_name()),
                    "deleted": true,
                    "modified": time(when),
                }),
                id,
                created: None,
                modified: when,
            })
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// A JSON answer of the API (written out), open to every origin (CORS for GET).
fn answer(json: String) -> Response {
    let mut r = json.into_response();
    let h = r.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    r
}

/// 404 in the reader's language (the data itself is Swedish).
fn not_found() -> ApiError {
    ApiError(AppError::NotFound(
        crate::i18n::current_tr().t("oparl-not-found"),
    ))
}

/// `GET /oparl/v1.1/` (and without the slash): the System object.
pub async fn system(State(state): State<AppState>) -> Result<Response, ApiError> {
    Ok(answer(cached(&state).await?.system.to_string()))
}

/// `GET /oparl/v1.1/bodies`: the list of bodies — the region alone.
pub async fn bodies(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let cat = cached(&state).await?;
    let u = Urls::new(&state.settings.public_url);
    let q = ListQuery::parse(q.as_deref())?;
    Ok(answer(page(vec![&cat.body], &q, &u.bodies())))
}

/// `GET /oparl/v1.1/body/region/{list}`: one of the body's object lists.
pub async fn list(
    State(state): State<AppState>,
    Path((body, list)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let kind = ListKind::from_list(&list)
        .filter(|_| body == BODY)
        .ok_or_else(not_found)?;
    let q = ListQuery::parse(q.as_deref())?;
    let cat = cached(&state).await?;
    let u = Urls::new(&state.settings.public_url);
    let of_kind: Vec<&Stored> = cat.objects.iter().filter(|o| o.kind == kind).collect();
    Ok(answer(page(of_kind, &q, &u.list(kind))))
}

/// `GET /oparl/v1.1/{type}/{key}`: one object (the body is `body/region`).
pub async fn one(
    State(state): State<AppState>,
    Path((segment, key)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let cat = cached(&state).await?;
    let u = Urls::new(&state.settings.public_url);
    if segment == "body" && key == BODY {
        return Ok(answer(cat.body.json.to_string()));
    }
    let kind = ListKind::ALL
        .into_iter()
        .find(|k| k.segment() == segment)
        .ok_or_else(not_found)?;
    let id = u.obj(kind, &key);
    let found = cat
        .objects
        .iter()
        .find(|o| *o.id == *id)
        .ok_or_else(not_found)?;
    Ok(answer(found.json.to_string()))
}

/// A list's query: the page, its size and the specification's time filters.
#[derive(Debug, Default)]
struct ListQuery {
    page: usize,
    limit: usize,
    created_since: Option<DateTime<Utc>>,
    created_until: Option<DateTime<Utc>>,
    modified_since: Option<DateTime<Utc>>,
    modified_until: Option<DateTime<Utc>>,
}

impl ListQuery {
    /// Reads the query string; a bad value is a 400 naming the parameter.
    /// Parameters the API does not know are ignored (OParl 1.1, 2.7).
    fn parse(q: Option<&str>) -> Result<ListQuery, ApiError> {
        let tr = crate::i18n::current_tr();
        let bad = |name: &str, value: &str| {
            ApiError(AppError::BadRequest(tr.args(
                "oparl-bad-parameter",
                &[
                    ("name", crate::i18n::Arg::Text(name.to_string())),
                    ("value", crate::i18n::Arg::Text(value.to_string())),
                ],
            )))
        };
        let mut out = ListQuery {
            page: 1,
            limit: DEFAULT_LIMIT,
            ..Default::default()
        };
        for (k, v) in url::form_urlencoded::parse(q.unwrap_or_default().as_bytes()) {
            // A `+` of an offset sent unencoded arrives as a space.
            let when = || {
                DateTime::parse_from_rfc3339(&v.trim().replace(' ', "+"))
                    .map(|t| t.to_utc())
                    .map_err(|_| bad(&k, &v))
            };
            match k.as_ref() {
                "page" => {
                    out.page = v
                        .parse()
                        .ok()
                        .filter(|p| *p >= 1)
                        .ok_or_else(|| bad(&k, &v))?
                }
                // More than the largest page is lowered to it (OParl 1.1 lets the
                // server choose the page size); zero or not a number is refused.
                "limit" => {
                    out.limit = v
                        .parse::<usize>()
                        .ok()
                        .filter(|l| *l >= 1)
                        .map(|l| l.min(MAX_LIMIT))
                        .ok_or_else(|| bad(&k, &v))?
                }
                "created_since" => out.created_since = Some(when()?),
                "created_until" => out.created_until = Some(when()?),
                "modified_since" => out.modified_since = Some(when()?),
                "modified_until" => out.modified_until = Some(when()?),
                _ => {}
            }
        }
        Ok(out)
    }

    fn keeps(&self, o: &Stored) -> bool {
        let created_ok = match (self.created_since, self.created_until) {
            (None, None) => true,
            (since, until) => o
                .created
                .is_some_and(|c| since.is_none_or(|s| c >= s) && until.is_none_or(|u| c <= u)),
        };
        created_ok
            && self.modified_since.is_none_or(|s| o.modified >= s)
            && self.modified_until.is_none_or(|u| o.modified <= u)
    }

    /// The query string of another page of the same list.
    fn href(&self, base: &str, page: usize) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("created_since", self.created_since),
            ("created_until", self.created_until),
            ("modified_since", self.modified_since),
            ("modified_until", self.modified_until),
        ] {
            if let Some(v) = v {
                s.append_pair(k, &time(v));
            }
        }
        if self.limit != DEFAULT_LIMIT {
            s.append_pair("limit", &self.limit.to_string());
        }
        s.append_pair("page", &page.to_string());
        format!("{base}?{}", s.finish())
    }
}

/// One page of a list, with `pagination` and `links` (OParl 1.1, 2.7).
fn page(objects: Vec<&Stored>, q: &ListQuery, base: &str) -> String {
    let kept: Vec<&&Stored> = objects.iter().filter(|o| q.keeps(o)).collect();
    let total = kept.len();
    let pages = total.div_ceil(q.limit).max(1);
    let mut links = Map::new();
    links.insert("first".into(), json!(q.href(base, 1)));
    if q.page > 1 {
        links.insert("prev".into(), json!(q.href(base, (q.page - 1).min(pages))));
    }
    if q.page < pages {
        links.insert("next".into(), json!(q.href(base, q.page + 1)));
    }
    links.insert("last".into(), json!(q.href(base, pages)));
    let rest = json!({
        "pagination": {
            "totalElements": total,
            "elementsPerPage": q.limit,
            "currentPage": q.page,
            "totalPages": pages,
        },
        "links": links,
    });
    // The objects are written out already: the page is put together as text.
    let mut out = String::from("{\"data\":[");
    for (i, o) in kept
        .iter()
        .skip((q.page - 1).saturating_mul(q.limit))
        .take(q.limit)
        .enumerate()
    {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&o.json);
    }
    out.push_str("],");
    let rest = rest.to_string();
    out.push_str(rest.strip_prefix('{').unwrap_or(&rest));
    out
}
