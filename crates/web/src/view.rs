//! View models: what pages and the API show, built from one read of the register.

use std::collections::HashMap;

use samordna_domain::{CharterStatus, OrgKind};
use samordna_store::{in_force, CharterVersion, Organization, Store};
use serde::Serialize;

use crate::AppError;

/// One consistent read of the register: organisations, names, liaisons, versions.
pub struct Snapshot {
    pub orgs: Vec<Organization>,
    pub aliases: HashMap<i64, Vec<String>>,
    pub liaisons: Vec<(i64, i64)>,
    pub versions: HashMap<i64, Vec<CharterVersion>>,
}

impl Snapshot {
    pub async fn load(store: &Store) -> Result<Snapshot, AppError> {
        let orgs = store.organizations().await?;
        let mut aliases: HashMap<i64, Vec<String>> = HashMap::new();
        for a in store.aliases().await? {
            aliases.entry(a.organization_id).or_default().push(a.alias);
        }
        let mut versions: HashMap<i64, Vec<CharterVersion>> = HashMap::new();
        for v in store.charter_versions(None).await? {
            versions.entry(v.organization_id).or_default().push(v);
        }
        let liaisons = store.liaisons().await?;
        Ok(Snapshot {
            orgs,
            aliases,
            liaisons,
            versions,
        })
    }

    pub fn get(&self, id: i64) -> Option<&Organization> {
        self.orgs.iter().find(|o| o.id == id)
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

    pub fn liaisons_of(&self, id: i64) -> Vec<OrgLink> {
        self.liaisons
            .iter()
            .filter(|(a, _)| *a == id)
            .filter_map(|(_, b)| self.link(*b))
            .collect()
    }

    pub fn liaison_of(&self, id: i64) -> Vec<OrgLink> {
        self.liaisons
            .iter()
            .filter(|(_, b)| *b == id)
            .filter_map(|(a, _)| self.link(*a))
            .collect()
    }

    pub fn charter_state(&self, id: i64) -> CharterState {
        let versions = self.versions_of(id);
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
    pub fn label(&self) -> String {
        match self {
            CharterState::InForce {
                decided,
                newer_undecided: false,
                ..
            } => format!("Uppdragshandling i kraft, beslutad {decided}"),
            CharterState::InForce {
                decided,
                newer_undecided: true,
                ..
            } => {
                format!(
                    "Uppdragshandling i kraft, beslutad {decided}; en ej beslutad revidering finns"
                )
            }
            CharterState::Undecided { .. } => "Ingen beslutad uppdragshandling i kraft".into(),
            CharterState::Missing => "Uppdragshandling saknas i registret".into(),
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
    matches!(
        kind,
        OrgKind::Samordningsrad
            | OrgKind::Samordningsgrupp
            | OrgKind::RegionaltProcessteam
            | OrgKind::Undergrupp
    )
}

pub fn status_label(status: &str) -> &'static str {
    match status {
        "dissolved" => "Avvecklad",
        _ => "Aktiv",
    }
}

/// "4–8 möten per år, digitalt när så är möjligt"
pub fn frequency_label(f: &samordna_domain::parse::MeetingFrequency) -> String {
    let range = match (f.min, f.max) {
        (Some(a), Some(b)) if a == b => format!("{a} möten per år"),
        (Some(a), Some(b)) => format!("{a}–{b} möten per år"),
        (Some(a), None) => format!("minst {a} möten per år"),
        (None, Some(b)) => format!("högst {b} möten per år"),
        (None, None) => "inte angiven".into(),
    };
    if f.digital_preferred {
        format!("{range}, digitalt när så är möjligt")
    } else {
        range
    }
}
