//! Sending a decided charter to its distribution list (sändlista): each entry
//! resolved to the people who hold a role in a body of the register, queued
//! through the mail queue and marked delivered by the worker; the entry asking
//! for the register to be updated is fulfilled by the register itself.

use chrono::{DateTime, Utc};
use samordna_domain::decisions::{addressees, Addressee};
use samordna_domain::policy::MembershipRole;
use samordna_domain::CharterStatus;
use serde::Serialize;
use sqlx::Row;

use crate::filter::parse;
use crate::{audit, in_transaction, with_conn, with_pool, Backend, Store, StoreError};

/// How an addressee of the list is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DistributionKind {
    /// By mail to the holders of a role in a body.
    Mail,
    /// The register's own update: done by the decision.
    Register,
    /// Someone the register cannot resolve: sent by hand.
    Manual,
}

impl DistributionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DistributionKind::Mail => "mail",
            DistributionKind::Register => "register",
            DistributionKind::Manual => "manual",
        }
    }
}

impl std::str::FromStr for DistributionKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "mail" => Ok(DistributionKind::Mail),
            "register" => Ok(DistributionKind::Register),
            "manual" => Ok(DistributionKind::Manual),
            other => Err(format!("okänt värde: {other}")),
        }
    }
}

/// An addressee resolved before sending: (entry position, part, entry, kind,
/// body, role).
type Planned = (
    i64,
    i64,
    String,
    DistributionKind,
    Option<i64>,
    Option<MembershipRole>,
);

/// One addressee of a charter's distribution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DistributionRow {
    pub id: i64,
    pub version_id: i64,
    /// The entry of the list (from 0) and the addressee within it.
    pub position: i64,
    pub part: i64,
    pub entry: String,
    pub kind: DistributionKind,
    pub organization_id: Option<i64>,
    pub organization: Option<String>,
    pub role: Option<MembershipRole>,
    pub recipients: Option<String>,
    pub queued_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

impl Store {
    /// Sends the decided version `version` of a group's charter to its
    /// distribution list, once: a second call answers with what was sent.
    ///
    /// Errors: [`StoreError::NotFound`] for no such version;
    /// [`StoreError::Conflict`] for a version not decided.
    pub async fn distribute_charter(
        &self,
        organization_id: i64,
        version: i64,
        actor: &str,
    ) -> Result<Vec<DistributionRow>, StoreError> {
        let doc = self
            .charter_document(organization_id, version)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("version {version}")))?;
        if doc.meta.status != CharterStatus::Decided {
            return Err(StoreError::Conflict(
                "uppdragshandlingen är inte beslutad; den skickas när den är beslutad".into(),
            ));
        }
        // Resolve every entry before the transaction (reads by key).
        let mut plan: Vec<Planned> = Vec::new();
        for (position, entry) in doc.content.distribution.iter().enumerate() {
            for (part, to) in addressees(entry).into_iter().enumerate() {
                let (kind, org, role) = match to {
                    Addressee::Register => (DistributionKind::Register, None, None),
                    Addressee::Unresolved => (DistributionKind::Manual, None, None),
                    Addressee::Role { role, body: None } => {
                        (DistributionKind::Mail, Some(organization_id), Some(role))
                    }
                    Addressee::Role {
                        role,
                        body: Some(name),
                    } => match self.organization_named(&name).await? {
                        Some(o) => (DistributionKind::Mail, Some(o.id), Some(role)),
                        None => (DistributionKind::Manual, None, None),
                    },
                };
                plan.push((position as i64, part as i64, entry.clone(), kind, org, role));
            }
        }
        let version_id = doc.meta.id;
        let now = Utc::now();
        in_transaction!(self, |c| {
            // The first statement writes, so two sends at once queue on the lock.
            for (position, part, entry, kind, org, role) in &plan {
                let delivered = (*kind == DistributionKind::Register).then_some(now);
                let inserted: Option<i64> = sqlx::query_scalar("INSERT INTO charter_distributions (version_id, position, part, entry, kind, organization_id, role, queued_at, delivered_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING id")
                    .bind(version_id)
                    .bind(position)
                    .bind(part)
                    .bind(entry)
                    .bind(kind.as_str())
                    .bind(org)
                    .bind(role.map(|r| r.as_str()))
                    .bind(now)
                    .bind(delivered)
                    .bind(actor)
                    .fetch_optional(&mut *c)
                    .await?;
                if let (Some(id), DistributionKind::Mail) = (inserted, kind) {
                    let payload = serde_json::json!({"distribution_id": id, "version_id": version_id, "organization_id": organization_id, "version": version});
                    crate::jobs::enqueue_in!(
                        c,
                        "mail.charter_distribution",
                        payload,
                        Some(format!("charter_distribution:{id}"))
                    )?;
                }
            }
            audit(
                c,
                actor,
                "charter.distributed",
                "charter_version",
                version_id,
                &doc.meta.title,
                serde_json::json!({"entries": doc.content.distribution}),
            )
            .await?;
            Ok(())
        })?;
        self.charter_distribution(version_id).await
    }

    /// What was sent of a charter version, in the list's order.
    pub async fn charter_distribution(
        &self,
        version_id: i64,
    ) -> Result<Vec<DistributionRow>, StoreError> {
        with_conn!(self, |c| {
            sqlx::query("SELECT d.id, d.version_id, d.position, d.part, d.entry, d.kind, d.organization_id, o.name AS organization, d.role, d.recipients, d.queued_at, d.delivered_at FROM charter_distributions d LEFT JOIN organizations o ON o.id = d.organization_id WHERE d.version_id = $1 ORDER BY d.position, d.part")
                .bind(version_id)
                .fetch_all(&mut *c)
                .await?
                .iter()
                .map(|r| {
                    let role: Option<String> = r.try_get("role")?;
                    Ok(DistributionRow {
                        id: r.try_get("id")?,
                        version_id: r.try_get("version_id")?,
                        position: r.try_get("position")?,
                        part: r.try_get("part")?,
                        entry: r.try_get("entry")?,
                        kind: parse(r.try_get("kind")?)?,
                        organization_id: r.try_get("organization_id")?,
                        organization: r.try_get("organization")?,
                        role: role.map(parse).transpose()?,
                        recipients: r.try_get("recipients")?,
                        queued_at: r.try_get("queued_at")?,
                        delivered_at: r.try_get("delivered_at")?,
                    })
                })
                .collect()
        })
    }

    /// One addressee of a distribution.
    pub async fn distribution_row(&self, id: i64) -> Result<Option<DistributionRow>, StoreError> {
        let version: Option<i64> = with_conn!(self, |c| {
            Ok::<_, StoreError>(
                sqlx::query_scalar("SELECT version_id FROM charter_distributions WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *c)
                    .await?,
            )
        })?;
        Ok(match version {
            Some(v) => self
                .charter_distribution(v)
                .await?
                .into_iter()
                .find(|r| r.id == id),
            None => None,
        })
    }

    /// Marks an addressee reached at `at`, with the addresses the mail went to.
    pub async fn distribution_delivered(
        &self,
        id: i64,
        recipients: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        in_transaction!(self, |c| {
            let done = sqlx::query("UPDATE charter_distributions SET delivered_at = $1, recipients = $2 WHERE id = $3 AND delivered_at IS NULL")
                .bind(at)
                .bind(recipients)
                .bind(id)
                .execute(&mut *c)
                .await?;
            if done.rows_affected() > 0 {
                audit(
                    c,
                    "system",
                    "charter.distribution_delivered",
                    "charter_distribution",
                    id,
                    recipients,
                    serde_json::json!({}),
                )
                .await?;
            }
            Ok(())
        })
    }

    /// The entries of a version's distribution list that have reached everyone
    /// they name (the register's own update included); `None` when the version
    /// was never sent through Samordna.
    pub async fn charter_sent_to(
        &self,
        version_id: i64,
    ) -> Result<Option<Vec<String>>, StoreError> {
        let rows = self.charter_distribution(version_id).await?;
        let rows: Vec<(&str, bool)> = rows
            .iter()
            .map(|r| (r.entry.as_str(), r.delivered_at.is_some()))
            .collect();
        Ok(reached(&rows))
    }

    /// [`Store::charter_sent_to`] of each of these versions that was sent:
    /// version id → entries that reached everyone.
    pub(crate) async fn charter_sent_to_many(
        &self,
        version_ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, Vec<String>>, StoreError> {
        let mut out = std::collections::HashMap::new();
        for chunk in version_ids.chunks(500) {
            let sql = crate::one_group::with_ids("SELECT version_id, entry, delivered_at IS NOT NULL FROM charter_distributions WHERE version_id IN ({ids}) ORDER BY version_id, position, part", chunk.len());
            let rows: Vec<(i64, String, bool)> = with_conn!(self, |c| {
                let mut q = sqlx::query_as(&sql);
                for id in chunk {
                    q = q.bind(id);
                }
                q.fetch_all(&mut *c).await?
            });
            let mut start = 0;
            while start < rows.len() {
                let id = rows[start].0;
                let end = rows[start..]
                    .iter()
                    .position(|r| r.0 != id)
                    .map_or(rows.len(), |n| start + n);
                let one: Vec<(&str, bool)> = rows[start..end]
                    .iter()
                    .map(|r| (r.1.as_str(), r.2))
                    .collect();
                if let Some(entries) = reached(&one) {
                    out.insert(id, entries);
                }
                start = end;
            }
        }
        Ok(out)
    }
}

/// The entries of a distribution list (entry, delivered, in the list's order)
/// whose every row was delivered; `None` for no list.
fn reached(rows: &[(&str, bool)]) -> Option<Vec<String>> {
    if rows.is_empty() {
        return None;
    }
    let mut entries: Vec<&str> = Vec::new();
    for (entry, _) in rows {
        if !entries.contains(entry) {
            entries.push(entry);
        }
    }
    Some(
        entries
            .into_iter()
            .filter(|e| rows.iter().filter(|r| r.0 == *e).all(|r| r.1))
            .map(str::to_string)
            .collect(),
    )
}
