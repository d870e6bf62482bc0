//! Importing a parsed charter: matching the names it uses to organisations,
//! creating placeholders for the ones not yet known, and adding a charter version.
//! Runs inside one transaction; the caller commits.

use chrono::{DateTime, Utc};
use samordna_domain::names::{self, known_body, name_key, same_key, slugify};
use samordna_domain::{OrgKind, ParsedCharter};
use sha2::{Digest, Sha256};

use crate::conn::{Conn, NewAudit, NewOrg, NewVersion};
use crate::models::{ImportChange, ImportOutcome, Organization, Source};
use crate::StoreError;

/// The organisations and their names, loaded once per transaction.
pub(crate) struct Directory {
    orgs: Vec<Organization>,
    /// (organisation id, matching key) for names and aliases.
    keys: Vec<(i64, String)>,
}

impl Directory {
    pub async fn load<C: Conn>(c: &mut C) -> Result<Directory, StoreError> {
        let orgs = c.organizations().await?;
        let mut keys: Vec<(i64, String)> = orgs.iter().map(|o| (o.id, name_key(&o.name))).collect();
        keys.extend(
            c.aliases()
                .await?
                .into_iter()
                .map(|a| (a.organization_id, a.alias_key)),
        );
        Ok(Directory { orgs, keys })
    }

    fn get(&self, id: i64) -> Option<&Organization> {
        self.orgs.iter().find(|o| o.id == id)
    }

    /// Follows merges to the organisation that stands for `id` now.
    fn current(&self, mut id: i64) -> i64 {
        for _ in 0..16 {
            match self.get(id).and_then(|o| o.merged_into_id) {
                Some(next) => id = next,
                None => break,
            }
        }
        id
    }

    /// The organisation a name denotes: an exact key match wins over a near one.
    pub fn resolve(&self, name: &str) -> Option<i64> {
        let mut key = name_key(name);
        if let Some(body) = known_body(name) {
            key = name_key(body.name);
            if let Some(id) = self.by_key(&key) {
                return Some(id);
            }
            for alias in body.aliases {
                if let Some(id) = self.by_key(&name_key(alias)) {
                    return Some(id);
                }
            }
        }
        self.by_key(&key).or_else(|| {
            self.keys
                .iter()
                .find(|(_, k)| same_key(k, &key))
                .map(|(id, _)| self.current(*id))
        })
    }

    fn by_key(&self, key: &str) -> Option<i64> {
        self.keys
            .iter()
            .find(|(_, k)| k == key)
            .map(|(id, _)| self.current(*id))
    }

    fn has_key(&self, id: i64, key: &str) -> bool {
        self.keys.iter().any(|(i, k)| *i == id && k == key)
    }

    fn unique_slug(&self, name: &str) -> String {
        let base = slugify(name);
        let mut slug = base.clone();
        let mut n = 2;
        while self.orgs.iter().any(|o| o.slug == slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        slug
    }

    fn remember(&mut self, org: Organization) {
        self.keys.push((org.id, name_key(&org.name)));
        self.orgs.push(org);
    }
}

pub(crate) fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

struct Importer<'c, C> {
    c: &'c mut C,
    dir: Directory,
    now: DateTime<Utc>,
    created: Vec<String>,
    /// Everything this import changed; written as one audit event at the end.
    changes: Vec<serde_json::Value>,
}

impl<C: Conn> Importer<'_, C> {
    async fn audit(
        &mut self,
        action: &str,
        object_type: &str,
        id: Option<i64>,
        detail: &str,
    ) -> Result<(), StoreError> {
        self.changes.push(serde_json::json!({
            "action": action, "object_type": object_type, "object_id": id, "detail": detail,
        }));
        Ok(())
    }

    /// Finds the organisation a name denotes or creates a placeholder for it, and
    /// records the written form as an alias when it is new.
    async fn resolve_or_create(
        &mut self,
        name: &str,
        written: &str,
        kind: OrgKind,
    ) -> Result<i64, StoreError> {
        let id = match self.dir.resolve(name).or_else(|| self.dir.resolve(written)) {
            Some(id) => id,
            None => {
                let known = known_body(name);
                let display = known.map_or(name, |b| b.name);
                let slug = self.dir.unique_slug(display);
                let kind = known.map_or(kind, |b| b.kind);
                let area = if known.is_some() {
                    None
                } else {
                    names::area_from_name(display)
                };
                let new = NewOrg {
                    slug: &slug,
                    name: display,
                    short_name: known.and_then(|b| b.short_name),
                    kind: kind.as_str(),
                    area: area.as_deref(),
                    reports_to_id: None,
                    placeholder: true,
                };
                let id = self.c.insert_org(&new, self.now).await?;
                self.audit(
                    "organization.created",
                    "organization",
                    Some(id),
                    &format!("platshållare för {display}, nämnd som \"{written}\""),
                )
                .await?;
                self.created.push(display.to_string());
                let short_name = new.short_name.map(str::to_string);
                self.dir.remember(Organization {
                    id,
                    slug,
                    name: display.to_string(),
                    short_name,
                    kind,
                    area,
                    reports_to_id: None,
                    status: "active".into(),
                    placeholder: true,
                    merged_into_id: None,
                    row_version: 1,
                    publish_minutes_separately: false,
                    minutes_overdue_days: None,
                    adjunct_limit: None,
                });
                if let Some(body) = known {
                    for alias in body.aliases.iter().chain(body.short_name.iter()) {
                        self.add_alias(id, alias).await?;
                    }
                }
                id
            }
        };
        for form in [written, name] {
            self.add_alias(id, form).await?;
        }
        Ok(id)
    }

    async fn add_alias(&mut self, id: i64, alias: &str) -> Result<(), StoreError> {
        let key = name_key(alias);
        if key.is_empty() || self.dir.has_key(id, &key) {
            return Ok(());
        }
        if self.c.insert_alias(id, alias, &key).await? {
            self.audit("organization.alias_added", "organization", Some(id), alias)
                .await?;
        }
        self.dir.keys.push((id, key));
        Ok(())
    }
}

pub(crate) async fn import<C: Conn>(
    c: &mut C,
    doc: &ParsedCharter,
    source: &Source<'_>,
    actor: &str,
) -> Result<ImportOutcome, StoreError> {
    let now = Utc::now();
    let dir = Directory::load(c).await?;
    // The source is kept as the parser read it: normalised once (no soft hyphens,
    // no-break spaces or ligatures in the database), so the same document with or
    // without extraction artefacts is the same text.
    let text = samordna_domain::normalize::text(source.text);
    let source = &Source {
        name: source.name,
        text: &text,
    };
    let sha = sha256_hex(source.text);
    let org_name = doc.organization.name.as_str();

    // The same document again changes nothing: the same text, or the same content
    // extracted another way (line endings, bullets, page breaks).
    let content = serde_json::to_string(doc).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    if let Some(id) = dir.resolve(org_name) {
        if c.version_with_same_text(id, &sha, &content)
            .await?
            .is_some()
        {
            let o = dir.get(id).expect("resolved organisations are loaded");
            return Ok(ImportOutcome {
                organization_slug: o.slug.clone(),
                organization_name: o.name.clone(),
                change: ImportChange::Unchanged,
                created: Vec::new(),
                conflicts: Vec::new(),
            });
        }
    }

    let mut im = Importer {
        changes: Vec::new(),
        c,
        dir,
        now,
        created: Vec::new(),
    };
    let parent_id = match &doc.reports_to {
        Some(parent) => Some(
            im.resolve_or_create(
                parent,
                parent,
                OrgKind::from_name(parent).unwrap_or(OrgKind::Samordningsrad),
            )
            .await?,
        ),
        None => None,
    };

    // The group itself: matched, promoted from placeholder, or created.
    let mut conflicts: Vec<String> = Vec::new();
    let kind = doc.organization.kind;
    let area = doc.organization.area.as_deref();
    let org_id = match im.dir.resolve(org_name) {
        Some(id) => {
            let o = im
                .dir
                .get(id)
                .expect("resolved organisations are loaded")
                .clone();
            let name = if o.placeholder {
                org_name
            } else {
                o.name.as_str()
            };
            // A placeholder takes what the document says. A group already in the
            // register keeps its kind and reporting line: where the document says
            // otherwise, that is reported, never applied silently.
            let (kind, reports_to) = if o.placeholder {
                (kind, parent_id.or(o.reports_to_id))
            } else {
                if o.kind != kind {
                    conflicts.push(format!(
                        "dokumentet anger att {} är {}, registret att den är {}; registrets uppgift står kvar",
                        o.name,
                        kind.label_sv().to_lowercase(),
                        o.kind.label_sv().to_lowercase()
                    ));
                }
                let reports_to = match (o.reports_to_id, parent_id) {
                    (Some(held), Some(said)) if held != said => {
                        let label = |id: i64| {
                            im.dir
                                .get(id)
                                .map_or_else(|| id.to_string(), |x| x.name.clone())
                        };
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
            let area = o.area.as_deref().filter(|_| !o.placeholder).or(area);
            if o.placeholder
                || reports_to != o.reports_to_id
                || o.kind != kind
                || o.area.as_deref() != area
            {
                im.c.update_org(id, name, kind.as_str(), area, reports_to, false)
                    .await?;
                im.audit(
                    "organization.updated",
                    "organization",
                    Some(id),
                    &format!("uppgifter från uppdragshandlingen {}", source.name),
                )
                .await?;
            }
            for c in &conflicts {
                im.audit("import.conflict", "organization", Some(id), c)
                    .await?;
            }
            im.add_alias(id, org_name).await?;
            id
        }
        None => {
            let slug = im.dir.unique_slug(org_name);
            let id =
                im.c.insert_org(
                    &NewOrg {
                        slug: &slug,
                        name: org_name,
                        short_name: None,
                        kind: kind.as_str(),
                        area,
                        reports_to_id: parent_id,
                        placeholder: false,
                    },
                    now,
                )
                .await?;
            im.audit(
                "organization.created",
                "organization",
                Some(id),
                &format!("från uppdragshandlingen {}", source.name),
            )
            .await?;
            im.created.push(org_name.to_string());
            im.dir.remember(Organization {
                id,
                slug,
                name: org_name.to_string(),
                short_name: None,
                kind,
                area: area.map(str::to_string),
                reports_to_id: parent_id,
                status: "active".into(),
                placeholder: false,
                merged_into_id: None,
                row_version: 1,
                publish_minutes_separately: false,
                minutes_overdue_days: None,
                adjunct_limit: None,
            });
            id
        }
    };

    // Every organisation the document names; liaisons are linked.
    for m in &doc.mentions {
        let id = im.resolve_or_create(&m.name, &m.written, m.kind).await?;
        let is_liaison = doc
            .liaisons
            .iter()
            .any(|l| same_key(&name_key(l), &name_key(&m.name)));
        if is_liaison
            && id != org_id
            && Some(id) != parent_id
            && im.c.insert_liaison(org_id, id).await?
        {
            im.audit(
                "organization.liaison_added",
                "organization",
                Some(org_id),
                &m.name,
            )
            .await?;
        }
    }

    // The case and the new charter version.
    let case_id = match &doc.registry_number {
        Some(rn) => {
            let case = rn.case();
            Some(
                im.c.upsert_case(
                    &case.to_string(),
                    &case.prefix,
                    i64::from(case.year),
                    &case.serial,
                    now,
                )
                .await?,
            )
        }
        None => None,
    };
    let number =
        im.c.versions(Some(org_id))
            .await?
            .iter()
            .map(|v| v.version)
            .max()
            .unwrap_or(0)
            + 1;
    let decided_by = doc.decision.decided_by.as_ref();
    let version_id =
        im.c.insert_version(
            &NewVersion {
                organization_id: org_id,
                version: number,
                case_id,
                registry_number: doc.registry_number.as_ref().map(|r| r.to_string()),
                document_kind: doc.document_kind.as_str(),
                title: &doc.title,
                revision: doc.revision.as_deref(),
                document_date: doc.date,
                decision_date: doc.decision.date,
                decided_by_name: decided_by.map(|d| d.name.as_str()),
                decided_by_title: decided_by.and_then(|d| d.title.as_deref()),
                status: doc.status().as_str(),
                content,
                source_name: source.name,
                source_text: source.text,
                source_sha256: &sha,
            },
            now,
        )
        .await?;
    for (i, r) in doc.references.iter().enumerate() {
        im.c.insert_reference(version_id, &r.to_string(), i as i64)
            .await?;
    }
    let detail = format!(
        "version {number} av uppdragshandlingen för {org_name} från {}",
        source.name
    );
    im.audit(
        "charter_version.created",
        "charter_version",
        Some(version_id),
        &detail,
    )
    .await?;
    let changes = serde_json::to_string(&im.changes).ok();
    im.c.insert_audit(&NewAudit {
        now,
        actor,
        action: "charter_version.imported",
        object_type: "charter_version",
        object_id: Some(version_id),
        detail: &detail,
        changes,
    })
    .await?;
    let o = im.dir.get(org_id).expect("the group is loaded");
    Ok(ImportOutcome {
        organization_slug: o.slug.clone(),
        organization_name: o.name.clone(),
        change: ImportChange::NewVersion(number),
        created: im.created,
        conflicts,
    })
}
