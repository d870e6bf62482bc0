//! View models: what pages and the API show, built from one read of the register.

use std::collections::HashMap;

use samordna_domain::{CharterStatus, OrgKind};
use samordna_store::{in_force, CharterVersion, Organization, Store};
use serde::Serialize;

use crate::error::AppError;
use crate::i18n::{Arg, Tr};
use crate::paging::Paging;
use crate::request::RequestInfo;

/// One read of the whole register for the pages that show all of it (the register
/// tree, the org chart, the API list): organisations and liaisons, and the version
/// headers of the organisations the page shows.
/// A page about one group uses `Store::group_view` instead.
pub struct Snapshot {
    pub orgs: Vec<Organization>,
    /// Where each organisation is in `orgs`.
    by_id: HashMap<i64, usize>,
    pub liaisons: Vec<(i64, i64)>,
    pub versions: HashMap<i64, Vec<CharterVersion>>,
}

impl Snapshot {
    /// The organisations and liaisons; no charter versions yet (`with_versions_of`).
    pub async fn load(store: &Store) -> Result<Snapshot, AppError> {
        Ok(Snapshot::of(
            store.organizations().await?,
            store.liaisons().await?,
        ))
    }

    /// The part of the register around one group: the group, its parent, its
    /// children and its liaisons both ways, every liaison these name, and the
    /// organisations at the other end. `None` when no group has the slug.
    pub async fn around(store: &Store, slug: &str) -> Result<Option<Snapshot>, AppError> {
        let Some(v) = store.group_view(slug).await? else {
            return Ok(None);
        };
        let mut orgs: Vec<Organization> = std::iter::once(v.org)
            .chain(v.parent)
            .chain(v.children)
            .chain(v.liaisons)
            .chain(v.liaison_of)
            .collect();
        let ids: Vec<i64> = orgs.iter().map(|o| o.id).collect();
        let liaisons = store.liaisons_from(&ids).await?;
        let mut others: Vec<i64> = liaisons
            .iter()
            .map(|(_, b)| *b)
            .filter(|b| !ids.contains(b))
            .collect();
        others.sort_unstable();
        others.dedup();
        orgs.extend(store.organizations_in(&others).await?);
        let mut seen = std::collections::HashSet::new();
        orgs.retain(|o| seen.insert(o.id));
        samordna_domain::collation::sort_by(&mut orgs, |o| &o.name);
        Ok(Some(Snapshot::of(orgs, liaisons)))
    }

    /// A snapshot of `orgs` (in the order pages list them) and `liaisons`.
    pub fn of(orgs: Vec<Organization>, liaisons: Vec<(i64, i64)>) -> Snapshot {
        let by_id = orgs.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
        Snapshot {
            orgs,
            by_id,
            liaisons,
            versions: HashMap::new(),
        }
    }

    /// Reads the charter version headers of the organisations a page shows.
    pub async fn with_versions_of(&mut self, store: &Store, ids: &[i64]) -> Result<(), AppError> {
        for v in store.charter_versions_of(ids).await? {
            self.versions.entry(v.organization_id).or_default().push(v);
        }
        Ok(())
    }

    pub fn get(&self, id: i64) -> Option<&Organization> {
        // `orgs` is in Swedish order of name, so by id it is searched through.
        self.by_id.get(&id).map(|i| &self.orgs[*i])
    }

    pub fn by_slug(&self, slug: &str) -> Option<&Organization> {
        self.orgs.iter().find(|o| o.slug == slug)
    }

    pub fn versions_of(&self, id: i64) -> &[CharterVersion] {
        self.versions.get(&id).map_or(&[], Vec::as_slice)
    }

    /// Active organisations that have not been merged into another.
    pub fn current(&self) -> impl Iterator<Item = &Organization> {
        self.orgs.iter().filter(|o| o.merged_into_id.is_none())
    }

    pub fn children(&self, id: i64) -> Vec<&Organization> {
        self.current()
            .filter(|o| o.reports_to_id == Some(id))
            .collect()
    }

    pub fn link(&self, id: i64) -> Option<OrgLink> {
        self.get(id).map(OrgLink::from)
    }

    /// The groups `id` names as liaisons, in Swedish order.
    pub fn liaisons_of(&self, id: i64) -> Vec<OrgLink> {
        let mut out: Vec<OrgLink> = self
            .liaisons
            .iter()
            .filter(|(a, _)| *a == id)
            .filter_map(|(_, b)| self.link(*b))
            .collect();
        samordna_domain::collation::sort_by(&mut out, |l| &l.name);
        out
    }

    pub fn charter_state(&self, id: i64) -> CharterState {
        charter_state(self.versions_of(id))
    }
}

/// Whether a group has a charter in force, from its versions.
pub fn charter_state(versions: &[CharterVersion]) -> CharterState {
    match in_force(versions) {
        Some(v) => CharterState::InForce {
            version: v.version,
            decided: v.decision_date.map(|d| d.to_string()).unwrap_or_default(),
            newer_undecided: versions
                .iter()
                .any(|x| x.version > v.version && x.status == CharterStatus::Undecided),
        },
        None if versions.is_empty() => CharterState::Missing,
        None => CharterState::Undecided {
            version: versions.iter().map(|v| v.version).max().unwrap_or(1),
        },
    }
}

/// A case with one page of its documents and the group of each.
pub struct CaseView {
    pub case: samordna_store::Case,
    /// The documents of the page asked for, by document date.
    pub documents: Vec<(CharterVersion, OrgLink)>,
    /// Which page, of how many documents in all.
    pub paging: Paging,
}

impl CaseView {
    /// Loads the case a slug such as `rs-2024-00784` names, and the page
    /// `page` (from 1; clamped) of its documents, `per_page` to a page.
    ///
    /// Errors: [`AppError::NotFound`] when the slug names no case.
    pub async fn load(
        store: &Store,
        slug: &str,
        page: Option<usize>,
        per_page: usize,
    ) -> Result<CaseView, AppError> {
        let t = Tr {
            lang: RequestInfo::current().lang,
        };
        let missing = || AppError::NotFound(t.t1("error-no-case", "slug", slug));
        let number: samordna_domain::RegistryNumber = slug.parse().map_err(|_| missing())?;
        let case = store
            .case_by_number(&number.case().to_string())
            .await?
            .ok_or_else(missing)?;
        let total = store.case_document_count(case.id).await? as usize;
        let paging = Paging::new(page, per_page, total);
        let versions = store
            .case_documents_page(case.id, paging.offset(), paging.per_page)
            .await?;
        let mut ids: Vec<i64> = versions.iter().map(|v| v.organization_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let snap = Snapshot::of(store.organizations_in(&ids).await?, Vec::new());
        let documents = versions
            .into_iter()
            .filter_map(|v| {
                let link = snap.link(v.organization_id)?;
                Some((v, link))
            })
            .collect();
        Ok(CaseView {
            case,
            documents,
            paging,
        })
    }
}

/// Links to the groups `ids` name, read in one query by primary key.
pub async fn org_links(
    store: &Store,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, OrgLink>, AppError> {
    let mut ids: Vec<i64> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(store
        .organizations_in(&ids)
        .await?
        .iter()
        .map(|o| (o.id, OrgLink::from(o)))
        .collect())
}

/// A link to a group.
#[derive(Debug, Clone, Serialize)]
pub struct OrgLink {
    pub slug: String,
    pub name: String,
}

impl OrgLink {
    pub fn href(&self) -> String {
        format!("/grupper/{}", self.slug)
    }
}

impl From<&Organization> for OrgLink {
    fn from(o: &Organization) -> Self {
        OrgLink {
            slug: o.slug.clone(),
            name: o.name.clone(),
        }
    }
}

/// Whether a group has a charter in force.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum CharterState {
    InForce {
        version: i64,
        decided: String,
        newer_undecided: bool,
    },
    Undecided {
        version: i64,
    },
    Missing,
}

impl CharterState {
    pub fn label(&self, t: &Tr) -> String {
        match self {
            CharterState::InForce {
                decided,
                newer_undecided: false,
                ..
            } => t.t1("charter-in-force", "date", decided),
            CharterState::InForce {
                decided,
                newer_undecided: true,
                ..
            } => t.t1("charter-in-force-draft", "date", decided),
            CharterState::Undecided { .. } => t.t("charter-undecided"),
            CharterState::Missing => t.t("charter-missing"),
        }
    }

    pub fn css(&self) -> &'static str {
        match self {
            CharterState::InForce { .. } => "ok",
            CharterState::Undecided { .. } => "warn",
            CharterState::Missing => "missing",
        }
    }
}

/// Kinds shown in the tree of councils and their groups; the rest are other bodies.
pub fn in_tree(kind: OrgKind) -> bool {
    kind.is_governance_group()
}

pub fn status_label(t: &Tr, status: &str) -> String {
    match status {
        "dissolved" => t.t("status-dissolved"),
        _ => t.t("status-active"),
    }
}

pub fn kind_label(t: &Tr, kind: OrgKind) -> String {
    t.t(&format!("kind-{}", kind.as_str()))
}

/// "4–8 möten per år, digitalt när så är möjligt"
pub fn frequency_label(t: &Tr, f: &samordna_domain::parse::MeetingFrequency) -> String {
    let n = |v: u32| Arg::Num(i64::from(v));
    let range = match (f.min, f.max) {
        (Some(a), Some(b)) if a == b => t.args("frequency-exact", &[("count", n(a))]),
        (Some(a), Some(b)) => t.args("frequency-range", &[("min", n(a)), ("max", n(b))]),
        (Some(a), None) => t.args("frequency-min", &[("min", n(a))]),
        (None, Some(b)) => t.args("frequency-max", &[("max", n(b))]),
        (None, None) => t.t("frequency-none"),
    };
    if f.digital_preferred {
        t.t1("frequency-digital", "range", range)
    } else {
        range
    }
}

/// A moment as people in the region read it: Swedish local time (CET/CEST,
/// `Europe/Stockholm`), written the ISO way.
pub trait LocalTime {
    /// `2026-11-30`
    fn local_date(&self) -> String;
    /// `2026-11-30 14:05`
    fn local_time(&self) -> String;
    /// `2026-11-30 14:05:09` (the audit log)
    fn local_seconds(&self) -> String;
}

impl LocalTime for chrono::DateTime<chrono::Utc> {
    fn local_date(&self) -> String {
        samordna_domain::calendar::swedish_date(*self).to_string()
    }
    fn local_time(&self) -> String {
        samordna_domain::calendar::swedish_time(*self)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }
    fn local_seconds(&self) -> String {
        samordna_domain::calendar::swedish_time(*self)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    }
}
