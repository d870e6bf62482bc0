//! Importing a parsed charter: load what the plan needs, let the domain plan it
//! ([`samordna_domain::import::plan`]: name matching, placeholders, slugs,
//! conflicts), apply the plan and add the charter version. Runs inside one
//! transaction; the caller commits.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use samordna_domain::import::{
    plan_with, Authority, Directory, Handle, ImportPlan, KnownOrg, PlannedOrg, Step,
};
use samordna_domain::ParsedCharter;

use crate::conn::{Conn, NewAudit, NewOrg, NewVersion};
use crate::models::{ImportChange, ImportOutcome, Source};
use crate::StoreError;

/// The directory of one import kept for the next, while the register has not
/// changed: valid while the audit log holds as many events as when it was kept.
/// Every write to organisations or their names records an audit event in its
/// transaction, and the log only grows (triggers), so another count means
/// another register.
#[derive(Default)]
pub struct ImportCache {
    pub(crate) held: Option<(Directory, i64)>,
}

/// The register's organisations and names, as the import plan matches them.
async fn directory<C: Conn>(c: &mut C) -> Result<Directory, StoreError> {
    let orgs = c
        .organizations()
        .await?
        .into_iter()
        .map(|o| KnownOrg {
            id: o.id,
            slug: o.slug,
            name: o.name,
            kind: o.kind,
            area: o.area,
            reports_to_id: o.reports_to_id,
            placeholder: o.placeholder,
            merged_into_id: o.merged_into_id,
        })
        .collect();
    let aliases = c
        .aliases()
        .await?
        .into_iter()
        .map(|a| (a.organization_id, a.alias_key));
    Ok(Directory::new(orgs, aliases))
}

pub(crate) use crate::checksum::sha256_hex;

/// What makes two imports the same document: the SHA-256 of the normalised
/// text, and the parsed content as stored (JSON). `text` is already normalised.
pub(crate) fn identity(text: &str, doc: &ParsedCharter) -> Result<(String, String), StoreError> {
    let content = serde_json::to_string(doc).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok((sha256_hex(text), content))
}

/// One audit entry of the import's `changes` list.
fn change(action: &str, object_type: &str, id: Option<i64>, detail: &str) -> serde_json::Value {
    serde_json::json!({
        "action": action, "object_type": object_type, "object_id": id, "detail": detail,
    })
}

/// Applies the plan's steps in order; returns the register id of every
/// organisation the plan refers to and the changes for the audit log.
async fn apply<C: Conn>(
    c: &mut C,
    plan: &ImportPlan,
    now: DateTime<Utc>,
) -> Result<(HashMap<Handle, i64>, Vec<serde_json::Value>), StoreError> {
    let mut ids: HashMap<Handle, i64> = HashMap::new();
    let mut planned = 0;
    let mut changes = Vec::new();
    let id_of = |ids: &HashMap<Handle, i64>, h: Handle| match h {
        Handle::Registered(id) => Ok(id),
        Handle::Planned(_) => ids.get(&h).copied().ok_or_else(|| {
            StoreError::Corrupt(format!("import plan refers to {h:?} before creating it"))
        }),
    };
    for step in &plan.steps {
        match step {
            Step::Create(PlannedOrg {
                slug,
                name,
                short_name,
                kind,
                area,
                reports_to,
                placeholder,
                note,
            }) => {
                let reports_to_id = reports_to.map(|h| id_of(&ids, h)).transpose()?;
                let id = c
                    .insert_org(
                        &NewOrg {
                            slug,
                            name,
                            short_name: short_name.as_deref(),
                            kind: kind.as_str(),
                            area: area.as_deref(),
                            reports_to_id,
                            placeholder: *placeholder,
                        },
                        now,
                    )
                    .await?;
                ids.insert(Handle::Planned(planned), id);
                planned += 1;
                changes.push(change(
                    "organization.created",
                    "organization",
                    Some(id),
                    note,
                ));
            }
            Step::Update {
                org,
                name,
                kind,
                area,
                reports_to,
                note,
            } => {
                let id = id_of(&ids, *org)?;
                let reports_to = reports_to.map(|h| id_of(&ids, h)).transpose()?;
                c.update_org(id, name, kind.as_str(), area.as_deref(), reports_to, false)
                    .await?;
                changes.push(change(
                    "organization.updated",
                    "organization",
                    Some(id),
                    note,
                ));
            }
            Step::Conflict { id, text } => {
                changes.push(change("import.conflict", "organization", Some(*id), text));
            }
            Step::Alias { org, alias, key } => {
                let id = id_of(&ids, *org)?;
                if c.insert_alias(id, alias, key).await? {
                    changes.push(change(
                        "organization.alias_added",
                        "organization",
                        Some(id),
                        alias,
                    ));
                }
            }
            Step::Liaison { org, liaison, name } => {
                let (org, liaison) = (id_of(&ids, *org)?, id_of(&ids, *liaison)?);
                if c.insert_liaison(org, liaison).await? {
                    changes.push(change(
                        "organization.liaison_added",
                        "organization",
                        Some(org),
                        name,
                    ));
                }
            }
        }
    }
    Ok((ids, changes))
}

/// Imports `doc` inside the caller's transaction. On success returns, with the
/// outcome, the directory and audit count for the cache, to be kept only once
/// the transaction has committed.
pub(crate) async fn import<C: Conn>(
    c: &mut C,
    cache: Option<(Directory, i64)>,
    doc: &ParsedCharter,
    source: &Source<'_>,
    authority: Authority,
    actor: &str,
) -> Result<(ImportOutcome, (Directory, i64)), StoreError> {
    let now = Utc::now();
    let events = c.audit_event_mark().await?;
    let mut dir = match cache {
        Some((dir, held)) if held == events => dir,
        _ => directory(c).await?,
    };
    // The source is kept as the parser read it: normalised once (no soft hyphens,
    // no-break spaces or ligatures in the database), so the same document with or
    // without extraction artefacts is the same text.
    let text = samordna_domain::normalize::text(source.text);
    let source = &Source {
        name: source.name,
        text: &text,
        file: source.file,
    };
    let (sha, content) = identity(source.text, doc)?;
    let org_name = doc.organization.name.as_str();

    // The same document again changes nothing: the same text, or the same content
    // extracted another way (line endings, bullets, page breaks).
    if let Some(h @ Handle::Registered(id)) = dir.resolve(org_name) {
        if c.version_with_same_text(id, &sha, &content)
            .await?
            .is_some()
        {
            let (slug, name) = dir
                .slug_and_name(h)
                .expect("resolved organisations are held");
            let outcome = ImportOutcome {
                organization_slug: slug.to_string(),
                organization_name: name.to_string(),
                change: ImportChange::Unchanged,
                created: Vec::new(),
                conflicts: Vec::new(),
            };
            return Ok((outcome, (dir, events)));
        }
    }

    let plan = plan_with(&mut dir, doc, source.name, authority);
    let (ids, mut changes) = apply(c, &plan, now).await?;
    let org_id = match plan.group {
        Handle::Registered(id) => id,
        h => ids[&h],
    };

    // The case and the new charter version.
    let case_id = match &doc.registry_number {
        Some(rn) => {
            let case = rn.case();
            Some(
                c.upsert_case(
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
    let number = c
        .versions(Some(org_id))
        .await?
        .iter()
        .map(|v| v.version)
        .max()
        .unwrap_or(0)
        + 1;
    let decided_by = doc.decision.decided_by.as_ref();
    let version_id = c
        .insert_version(
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
        c.insert_reference(version_id, &r.to_string(), i as i64)
            .await?;
    }
    if let Some(file) = &source.file {
        c.insert_source_file(version_id, file).await?;
    }
    let detail = format!(
        "version {number} av uppdragshandlingen för {org_name} från {}",
        source.name
    );
    changes.push(change(
        "charter_version.created",
        "charter_version",
        Some(version_id),
        &detail,
    ));
    c.insert_audit(&NewAudit {
        now,
        actor,
        action: "charter_version.imported",
        object_type: "charter_version",
        object_id: Some(version_id),
        detail: &detail,
        changes: serde_json::to_string(&changes).ok(),
    })
    .await?;
    dir.settle(&ids)
        .map_err(|h| StoreError::Corrupt(format!("import plan left {h:?} without an id")))?;
    let events = c.audit_event_mark().await?;
    let outcome = ImportOutcome {
        organization_slug: plan.group_slug,
        organization_name: plan.group_name,
        change: ImportChange::NewVersion(number),
        created: plan.created,
        conflicts: plan.conflicts,
    };
    Ok((outcome, (dir, events)))
}
