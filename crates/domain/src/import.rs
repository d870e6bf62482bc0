//! Planning an import: which organisations a parsed charter's names denote,
//! which placeholders and aliases it needs, what it changes about the group it
//! describes, and what it may not change silently (PRODUCT.md, "Import").
//!
//! Pure: [`plan`] takes the register's organisations and names as a
//! [`Directory`] and returns an [`ImportPlan`], a list of [`Step`]s that the
//! store applies in order inside one transaction. Nothing here reads or writes
//! a database, so the matching policy is tested without one.

use std::collections::HashMap;

use crate::names::{self, known_body, name_key, same_key, slugify};
use crate::{OrgKind, ParsedCharter};

/// An organisation as the register holds it, the part an import looks at.
#[derive(Debug, Clone, PartialEq)]
pub struct KnownOrg {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: OrgKind,
    pub area: Option<String>,
    pub reports_to_id: Option<i64>,
    /// Created from a mention, not from the group's own charter.
    pub placeholder: bool,
    /// Set when the organisation was merged into another (followed on matching).
    pub merged_into_id: Option<i64>,
}

/// An organisation a plan refers to: one in the register, or one the plan
/// creates (its index among the plan's [`Step::Create`]s, counted from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Handle {
    Registered(i64),
    Planned(usize),
}

#[derive(Debug, Clone)]
struct Entry {
    handle: Handle,
    slug: String,
    name: String,
    kind: OrgKind,
    area: Option<String>,
    reports_to: Option<Handle>,
    placeholder: bool,
    merged_into: Option<i64>,
}

/// The register's organisations and every name they are known by (names and
/// aliases, as [`name_key`]s), for matching. Grows as a plan creates
/// placeholders, so one document's second mention of a new body finds the first.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    entries: Vec<Entry>,
    index: HashMap<Handle, usize>,
    /// Matching key → the organisations known by it, in the order they were added.
    by_key: HashMap<String, Vec<Handle>>,
    /// Every (organisation, key) pair, in order, for near matches.
    keys: Vec<(Handle, String)>,
    /// The same keys, for near matches without a scan.
    near: names::NearIndex,
    slugs: std::collections::HashSet<String>,
    /// How many organisations the plan in progress creates.
    planned: usize,
    /// Where the plan in progress began (entries, keys): what it added is after.
    plan_start: (usize, usize),
}

impl Directory {
    /// A directory of `orgs` and their `aliases` as (organisation id, alias key).
    pub fn new(orgs: Vec<KnownOrg>, aliases: impl IntoIterator<Item = (i64, String)>) -> Self {
        let mut dir = Directory::default();
        for o in orgs {
            let handle = Handle::Registered(o.id);
            dir.insert(Entry {
                handle,
                slug: o.slug,
                name: o.name,
                kind: o.kind,
                area: o.area,
                reports_to: o.reports_to_id.map(Handle::Registered),
                placeholder: o.placeholder,
                merged_into: o.merged_into_id,
            });
        }
        for (id, key) in aliases {
            dir.add_key(Handle::Registered(id), key);
        }
        dir
    }

    fn insert(&mut self, e: Entry) {
        let handle = e.handle;
        self.slugs.insert(e.slug.clone());
        let key = name_key(&e.name);
        self.index.insert(handle, self.entries.len());
        self.entries.push(e);
        self.add_key(handle, key);
    }

    fn add_key(&mut self, handle: Handle, key: String) {
        let ids = self.by_key.entry(key.clone()).or_default();
        if !ids.contains(&handle) {
            ids.push(handle);
            self.near.push(&key);
            self.keys.push((handle, key));
        }
    }

    fn entry(&self, handle: Handle) -> Option<&Entry> {
        self.index.get(&handle).map(|&i| &self.entries[i])
    }

    /// The slug and name of an organisation the directory holds.
    pub fn slug_and_name(&self, handle: Handle) -> Option<(&str, &str)> {
        self.entry(handle)
            .map(|e| (e.slug.as_str(), e.name.as_str()))
    }

    /// Follows merges to the organisation that stands for `handle` now (at most
    /// 16 steps, so a loop in bad data cannot hang an import).
    fn current(&self, mut handle: Handle) -> Handle {
        for _ in 0..16 {
            match self.entry(handle).and_then(|e| e.merged_into) {
                Some(next) => handle = Handle::Registered(next),
                None => break,
            }
        }
        handle
    }

    /// The organisation a name denotes. A known body's own name and aliases come
    /// first, then an exact key, then the first near key ([`same_key`]).
    pub fn resolve(&self, name: &str) -> Option<Handle> {
        let mut key = name_key(name);
        if let Some(body) = known_body(name) {
            key = name_key(body.name);
            if let Some(h) = self.exact(&key) {
                return Some(h);
            }
            for alias in body.aliases {
                if let Some(h) = self.exact(&name_key(alias)) {
                    return Some(h);
                }
            }
        }
        self.exact(&key).or_else(|| {
            self.near
                .first_near(&key)
                .map(|pos| self.current(self.keys[pos].0))
        })
    }

    fn exact(&self, key: &str) -> Option<Handle> {
        self.by_key
            .get(key)
            .and_then(|hs| hs.first())
            .map(|h| self.current(*h))
    }

    fn has_key(&self, handle: Handle, key: &str) -> bool {
        self.by_key.get(key).is_some_and(|hs| hs.contains(&handle))
    }

    /// Makes the organisations a plan created registered ones, with the ids the
    /// store gave them (`ids` maps every [`Handle::Planned`] of the plan), so the
    /// directory can serve the next import without being loaded again.
    ///
    /// # Errors
    /// The first planned handle `ids` has no id for; the directory is then
    /// unusable and must be loaded again.
    pub fn settle(&mut self, ids: &HashMap<Handle, i64>) -> Result<(), Handle> {
        let map = |h: Handle| match h {
            Handle::Planned(_) => ids.get(&h).copied().map(Handle::Registered).ok_or(h),
            registered => Ok(registered),
        };
        let (e0, k0) = self.plan_start;
        for e in &mut self.entries {
            if let Some(r) = e.reports_to {
                e.reports_to = Some(map(r)?);
            }
        }
        for i in e0..self.entries.len() {
            let (old, new) = (self.entries[i].handle, map(self.entries[i].handle)?);
            self.entries[i].handle = new;
            self.index.remove(&old);
            self.index.insert(new, i);
        }
        for i in k0..self.keys.len() {
            let (old, new) = (self.keys[i].0, map(self.keys[i].0)?);
            self.keys[i].0 = new;
            if let Some(hs) = self.by_key.get_mut(&self.keys[i].1) {
                for h in hs.iter_mut().filter(|h| **h == old) {
                    *h = new;
                }
            }
        }
        self.planned = 0;
        self.plan_start = (self.entries.len(), self.keys.len());
        Ok(())
    }

    /// A slug for `name` that no organisation has: `slugify(name)`, then `-2`, `-3`…
    pub fn unique_slug(&self, name: &str) -> String {
        let base = slugify(name);
        let mut slug = base.clone();
        let mut n = 2;
        while self.slugs.contains(&slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        slug
    }
}

/// One change an import makes, applied in order. Texts are Swedish: they go
/// into the audit log as they are.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// A new organisation: the group itself, or a placeholder for one it names.
    /// It becomes [`Handle::Planned`] with the index of this step among the
    /// plan's creations.
    Create(PlannedOrg),
    /// The group's register entry takes what the document says (a placeholder
    /// promoted, an area or reporting line filled in). Never changes a kind or
    /// a reporting line the register already holds.
    Update {
        org: Handle,
        name: String,
        kind: OrgKind,
        area: Option<String>,
        reports_to: Option<Handle>,
        note: String,
    },
    /// A written form of a name, recorded so later documents match it.
    Alias {
        org: Handle,
        alias: String,
        key: String,
    },
    /// The group names `liaison` as a body it works with (PRODUCT.md, liaisons).
    Liaison {
        org: Handle,
        liaison: Handle,
        name: String,
    },
    /// The document disagrees with the register; the register's value stands.
    Conflict { id: i64, text: String },
}

/// What importing one charter does to the register, before the charter
/// version itself is added (the store numbers it and files it under its case).
#[derive(Debug, Clone, PartialEq)]
pub struct ImportPlan {
    /// The group the charter describes.
    pub group: Handle,
    pub group_slug: String,
    pub group_name: String,
    pub steps: Vec<Step>,
    /// Display names of the organisations created, in the order they were.
    pub created: Vec<String>,
    /// The conflicts, also as [`Step::Conflict`]s, for the person importing.
    pub conflicts: Vec<String>,
}

struct Planner<'d> {
    dir: &'d mut Directory,
    steps: Vec<Step>,
    created: Vec<String>,
}

impl Planner<'_> {
    fn create(&mut self, e: PlannedOrg) -> Handle {
        let handle = Handle::Planned(self.dir.planned);
        self.dir.planned += 1;
        self.dir.insert(Entry {
            handle,
            slug: e.slug.clone(),
            name: e.name.clone(),
            kind: e.kind,
            area: e.area.clone(),
            reports_to: e.reports_to,
            placeholder: e.placeholder,
            merged_into: None,
        });
        self.created.push(e.name.clone());
        self.steps.push(Step::Create(e));
        handle
    }

    fn alias(&mut self, org: Handle, alias: &str) {
        let key = name_key(alias);
        if key.is_empty() || self.dir.has_key(org, &key) {
            return;
        }
        self.dir.add_key(org, key.clone());
        self.steps.push(Step::Alias {
            org,
            alias: alias.to_string(),
            key,
        });
    }

    /// The organisation a mentioned name denotes, or a placeholder for it; the
    /// written form is recorded as an alias when it is new.
    fn resolve_or_create(&mut self, name: &str, written: &str, kind: OrgKind) -> Handle {
        let handle = match self.dir.resolve(name).or_else(|| self.dir.resolve(written)) {
            Some(h) => h,
            None => {
                let known = known_body(name);
                let display = known.map_or(name, |b| b.name);
                let h = self.create(PlannedOrg {
                    slug: self.dir.unique_slug(display),
                    name: display.to_string(),
                    short_name: known.and_then(|b| b.short_name).map(str::to_string),
                    kind: known.map_or(kind, |b| b.kind),
                    area: if known.is_some() {
                        None
                    } else {
                        names::area_from_name(display)
                    },
                    reports_to: None,
                    placeholder: true,
                    note: format!("platshållare för {display}, nämnd som \"{written}\""),
                });
                if let Some(body) = known {
                    for alias in body.aliases.iter().chain(body.short_name.iter()) {
                        self.alias(h, alias);
                    }
                }
                h
            }
        };
        for form in [written, name] {
            self.alias(handle, form);
        }
        handle
    }
}

/// An organisation an import creates.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedOrg {
    pub slug: String,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: OrgKind,
    pub area: Option<String>,
    pub reports_to: Option<Handle>,
    pub placeholder: bool,
    /// The audit detail.
    pub note: String,
}

/// Plans the import of `doc`, read from the file `source_name`, against `dir`.
///
/// The parent is resolved first, then the group (matched, promoted from a
/// placeholder, or created), then every organisation the document mentions,
/// linking the ones it names as liaisons. A group already in the register
/// keeps its kind and reporting line; where the document says otherwise the
/// plan holds a [`Step::Conflict`] instead of a change. `dir` is left holding
/// the planned organisations too, as [`Handle::Planned`] until it is settled.
///
/// # Panics
/// If `dir` holds another plan's organisations not yet [`Directory::settle`]d.
/// Whose word stands where a charter and the register disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authority {
    /// A document read in from outside (an old file, an upload): the register's
    /// value stands and the difference is reported as a conflict.
    Register,
    /// A charter decided in Samordna by its director: the decision is the
    /// source, and the register follows it — kind and reporting line — without
    /// any other step (issue 13, item 4).
    Document,
}

/// [`plan_with`] where the register's values stand.
pub fn plan(dir: &mut Directory, doc: &ParsedCharter, source_name: &str) -> ImportPlan {
    plan_with(dir, doc, source_name, Authority::Register)
}

/// What importing `doc` does to the register in `dir`.
pub fn plan_with(
    dir: &mut Directory,
    doc: &ParsedCharter,
    source_name: &str,
    authority: Authority,
) -> ImportPlan {
    assert_eq!(dir.planned, 0, "a directory serves one plan at a time");
    dir.plan_start = (dir.entries.len(), dir.keys.len());
    let mut p = Planner {
        dir,
        steps: Vec::new(),
        created: Vec::new(),
    };
    let parent = doc.reports_to.as_deref().map(|parent| {
        p.resolve_or_create(
            parent,
            parent,
            OrgKind::from_name(parent).unwrap_or(OrgKind::Samordningsrad),
        )
    });

    let org_name = doc.organization.name.as_str();
    let kind = doc.organization.kind;
    let area = doc.organization.area.clone();
    let mut conflicts = Vec::new();
    let group = match p.dir.resolve(org_name) {
        Some(h) => {
            let o = p
                .dir
                .entry(h)
                .expect("resolved organisations are held")
                .clone();
            // A placeholder takes what the document says; so does a group whose
            // charter was decided here.
            let (kind, reports_to) = if o.placeholder || authority == Authority::Document {
                (kind, parent.or(o.reports_to))
            } else {
                if o.kind != kind {
                    conflicts.push(format!(
                        "dokumentet anger att {} är {}, registret att den är {}; registrets uppgift står kvar",
                        o.name,
                        kind.label_sv().to_lowercase(),
                        o.kind.label_sv().to_lowercase()
                    ));
                }
                let reports_to = match (o.reports_to, parent) {
                    (Some(held), Some(said)) if held != said => {
                        let label =
                            |h: Handle| p.dir.entry(h).map_or_else(String::new, |e| e.name.clone());
                        conflicts.push(format!(
                            "dokumentet anger att {} rapporterar till {}, registret till {}; registrets uppgift står kvar",
                            o.name,
                            label(said),
                            label(held)
                        ));
                        Some(held)
                    }
                    (held, said) => held.or(said),
                };
                (o.kind, reports_to)
            };
            let area = o.area.clone().filter(|_| !o.placeholder).or(area);
            if o.placeholder || reports_to != o.reports_to || o.kind != kind || o.area != area {
                let name = if o.placeholder {
                    org_name
                } else {
                    o.name.as_str()
                };
                p.steps.push(Step::Update {
                    org: h,
                    name: name.to_string(),
                    kind,
                    area: area.clone(),
                    reports_to,
                    note: match authority {
                        Authority::Register => {
                            format!("uppgifter från uppdragshandlingen {source_name}")
                        }
                        Authority::Document => {
                            format!("enligt den beslutade uppdragshandlingen {source_name}")
                        }
                    },
                });
                let i = p.dir.index[&h];
                let e = &mut p.dir.entries[i];
                (e.name, e.kind, e.area, e.reports_to, e.placeholder) =
                    (name.to_string(), kind, area, reports_to, false);
            }
            if let Handle::Registered(id) = h {
                for text in &conflicts {
                    p.steps.push(Step::Conflict {
                        id,
                        text: text.clone(),
                    });
                }
            }
            p.alias(h, org_name);
            h
        }
        None => p.create(PlannedOrg {
            slug: p.dir.unique_slug(org_name),
            name: org_name.to_string(),
            short_name: None,
            kind,
            area,
            reports_to: parent,
            placeholder: false,
            note: format!("från uppdragshandlingen {source_name}"),
        }),
    };

    for m in &doc.mentions {
        let h = p.resolve_or_create(&m.name, &m.written, m.kind);
        let is_liaison = doc
            .liaisons
            .iter()
            .any(|l| same_key(&name_key(l), &name_key(&m.name)));
        if is_liaison && h != group && Some(h) != parent {
            p.steps.push(Step::Liaison {
                org: group,
                liaison: h,
                name: m.name.clone(),
            });
        }
    }

    let (group_slug, group_name) = p
        .dir
        .slug_and_name(group)
        .map(|(s, n)| (s.to_string(), n.to_string()))
        .expect("the group is held");
    ImportPlan {
        group,
        group_slug,
        group_name,
        steps: p.steps,
        created: p.created,
        conflicts,
    }
}

#[cfg(test)]
mod tests;
