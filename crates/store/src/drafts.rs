//! Charter drafts and revisions (issue 13): the structured content of a charter
//! being written in the portal, saved with optimistic locking, submitted, and
//! decided by a director — which writes it out as the region's text
//! (`samordna_domain::render`) and adds it as a decided charter version through
//! the same import as a file, so the case, references and names work as for any
//! document.

use chrono::{DateTime, NaiveDate, Utc};
use samordna_domain::parse::NameAndTitle;
use samordna_domain::ParsedCharter;
use serde::Serialize;
use sqlx::Row;

use crate::{
    audit, before_after, in_transaction, with_conn, with_pool, Backend, Store, StoreError,
};

/// Where a draft stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DraftStatus {
    Draft,
    Submitted,
    Decided,
    Withdrawn,
}

impl DraftStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DraftStatus::Draft => "draft",
            DraftStatus::Submitted => "submitted",
            DraftStatus::Decided => "decided",
            DraftStatus::Withdrawn => "withdrawn",
        }
    }
}

impl std::str::FromStr for DraftStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "draft" => Ok(DraftStatus::Draft),
            "submitted" => Ok(DraftStatus::Submitted),
            "decided" => Ok(DraftStatus::Decided),
            "withdrawn" => Ok(DraftStatus::Withdrawn),
            other => Err(format!("okänt värde: {other}")),
        }
    }
}

/// A draft of a group's charter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Draft {
    pub id: i64,
    pub organization_id: i64,
    /// The version it revises, or `None` for a new charter from a template.
    pub base_version: Option<i64>,
    pub template_id: Option<String>,
    pub content: ParsedCharter,
    pub status: DraftStatus,
    /// The version its decision made.
    pub decided_version: Option<i64>,
    pub row_version: i64,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, organization_id, base_version, template_id, content, status, decided_version, row_version, created_by, updated_at";

macro_rules! draft {
    ($r:expr) => {{
        let content: String = $r.try_get("content")?;
        Draft {
            id: $r.try_get("id")?,
            organization_id: $r.try_get("organization_id")?,
            base_version: $r.try_get("base_version")?,
            template_id: $r.try_get("template_id")?,
            content: serde_json::from_str(&content)
                .map_err(|e| StoreError::Corrupt(format!("utkast: {e}")))?,
            status: crate::filter::parse($r.try_get("status")?)?,
            decided_version: $r.try_get("decided_version")?,
            row_version: $r.try_get("row_version")?,
            created_by: $r.try_get("created_by")?,
            updated_at: $r.try_get("updated_at")?,
        }
    }};
}

fn json(doc: &ParsedCharter) -> Result<String, StoreError> {
    serde_json::to_string(doc).map_err(|e| StoreError::Corrupt(e.to_string()))
}

impl Store {
    /// Starts a draft for a group: one open draft per group, so a second start
    /// (a double click, two coordinators) answers with the one there is.
    pub async fn start_draft(
        &self,
        organization_id: i64,
        base_version: Option<i64>,
        template_id: Option<&str>,
        content: &ParsedCharter,
        actor: &str,
    ) -> Result<i64, StoreError> {
        let body = json(content)?;
        in_transaction!(self, |c| {
            let now = Utc::now();
            let inserted: Option<i64> = sqlx::query_scalar("INSERT INTO charter_drafts (organization_id, base_version, template_id, content, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT DO NOTHING RETURNING id")
                .bind(organization_id)
                .bind(base_version)
                .bind(template_id)
                .bind(&body)
                .bind(actor)
                .bind(now)
                .fetch_optional(&mut *c)
                .await?;
            let Some(id) = inserted else {
                return Ok(sqlx::query_scalar("SELECT id FROM charter_drafts WHERE organization_id = $1 AND status IN ('draft','submitted')")
                    .bind(organization_id)
                    .fetch_one(&mut *c)
                    .await?);
            };
            audit(
                c,
                actor,
                "draft.started",
                "charter_draft",
                id,
                &content.title,
                serde_json::json!({"base_version": base_version, "template": template_id}),
            )
            .await?;
            Ok(id)
        })
    }

    pub async fn draft(&self, id: i64) -> Result<Option<Draft>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM charter_drafts WHERE id = $1");
        with_conn!(self, |c| {
            match sqlx::query(&sql).bind(id).fetch_optional(&mut *c).await? {
                Some(r) => Ok(Some(draft!(r))),
                None => Ok(None),
            }
        })
    }

    /// The group's open draft (being written or awaiting decision), if any.
    pub async fn open_draft(&self, organization_id: i64) -> Result<Option<Draft>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM charter_drafts WHERE organization_id = $1 AND status IN ('draft','submitted')");
        with_conn!(self, |c| {
            match sqlx::query(&sql)
                .bind(organization_id)
                .fetch_optional(&mut *c)
                .await?
            {
                Some(r) => Ok(Some(draft!(r))),
                None => Ok(None),
            }
        })
    }

    /// One conditional update from `from` with the version read; the loser of two
    /// saves is told the draft changed.
    async fn draft_step(
        &self,
        (id, row_version): (i64, i64),
        (from, to): (DraftStatus, DraftStatus),
        content: Option<&ParsedCharter>,
        decided_version: Option<i64>,
        actor: &str,
    ) -> Result<(), StoreError> {
        let body = content.map(json).transpose()?;
        in_transaction!(self, |c| {
            let done = sqlx::query("UPDATE charter_drafts SET status = $1, content = COALESCE($2, content), decided_version = COALESCE($3, decided_version), row_version = row_version + 1, updated_at = $4 WHERE id = $5 AND row_version = $6 AND status = $7")
                .bind(to.as_str())
                .bind(&body)
                .bind(decided_version)
                .bind(Utc::now())
                .bind(id)
                .bind(row_version)
                .bind(from.as_str())
                .execute(&mut *c)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Stale {
                    what: "utkastet".into(),
                    current_version: row_version,
                });
            }
            let action = if from == to {
                "draft.saved".to_string()
            } else {
                format!("draft.{}", to.as_str())
            };
            audit(
                c,
                actor,
                &action,
                "charter_draft",
                id,
                "",
                before_after(from.as_str(), to.as_str()),
            )
            .await?;
            Ok(())
        })
    }

    /// Saves the draft's content (only while it is being written).
    pub async fn save_draft(
        &self,
        id: i64,
        row_version: i64,
        content: &ParsedCharter,
        actor: &str,
    ) -> Result<(), StoreError> {
        self.draft_step(
            (id, row_version),
            (DraftStatus::Draft, DraftStatus::Draft),
            Some(content),
            None,
            actor,
        )
        .await
    }

    /// Submits the draft for decision.
    pub async fn submit_draft(
        &self,
        id: i64,
        row_version: i64,
        actor: &str,
    ) -> Result<(), StoreError> {
        self.draft_step(
            (id, row_version),
            (DraftStatus::Draft, DraftStatus::Submitted),
            None,
            None,
            actor,
        )
        .await
    }

    /// Returns a submitted draft for more work.
    pub async fn reopen_draft(
        &self,
        id: i64,
        row_version: i64,
        actor: &str,
    ) -> Result<(), StoreError> {
        self.draft_step(
            (id, row_version),
            (DraftStatus::Submitted, DraftStatus::Draft),
            None,
            None,
            actor,
        )
        .await
    }

    /// Decides a submitted draft: the charter, with the decision date and
    /// maker, is written out as the region's text and added as a decided
    /// version; the draft records which. Returns the version.
    ///
    /// Errors: [`StoreError::Conflict`] when the draft is not submitted or its
    /// text cannot be read back; [`StoreError::Stale`] when someone acted first.
    pub async fn decide_draft(
        &self,
        id: i64,
        row_version: i64,
        date: NaiveDate,
        decided_by: NameAndTitle,
        actor: &str,
    ) -> Result<i64, StoreError> {
        let d = self
            .draft(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("utkast {id}")))?;
        if d.status != DraftStatus::Submitted {
            return Err(StoreError::Conflict(
                "utkastet är inte inskickat för beslut".into(),
            ));
        }
        let mut content = d.content.clone();
        // A revision is titled by the month it is decided in.
        if d.base_version.is_some() {
            content.title = samordna_domain::drafts::dated_revision(&content.title, date);
        }
        content.decision.date = Some(date);
        // The document is dated the day it is decided.
        content.date = Some(date);
        content.decision.decided_by = Some(decided_by);
        let text = samordna_domain::render::charter_text(&content);
        let parsed = samordna_domain::parse_charter(&text).map_err(|e| {
            StoreError::Conflict(format!(
                "utkastet kan inte läsas som en uppdragshandling: {e}"
            ))
        })?;
        let name = format!("samordna-beslut-{date}.txt");
        let source = crate::Source {
            name: &name,
            text: &text,
            file: None,
        };
        let body = json(&content)?;
        let organization_id = d.organization_id;
        // One transaction: the draft's conditional step first, so that of two
        // directors deciding at once one passes and the other is told (`Stale`)
        // before anything is filed; then the version, filed as a decided
        // charter is; then the draft records which version it became.
        let version = in_transaction!(self, |c| {
            let done = sqlx::query("UPDATE charter_drafts SET status = $1, content = $2, row_version = row_version + 1, updated_at = $3 WHERE id = $4 AND row_version = $5 AND status = $6")
                .bind(DraftStatus::Decided.as_str())
                .bind(&body)
                .bind(Utc::now())
                .bind(id)
                .bind(row_version)
                .bind(DraftStatus::Submitted.as_str())
                .execute(&mut *c)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Stale {
                    what: "utkastet".into(),
                    current_version: row_version,
                });
            }
            let (outcome, _) = crate::import::import(
                c,
                None,
                &parsed,
                &source,
                samordna_domain::import::Authority::Document,
                actor,
            )
            .await?;
            let version = match outcome.change {
                crate::ImportChange::NewVersion(v) => v,
                // The same text decided before (a repeat after a failure): its version.
                crate::ImportChange::Unchanged => sqlx::query_scalar::<_, Option<i64>>(
                    "SELECT MAX(version) FROM charter_versions WHERE organization_id = $1",
                )
                .bind(organization_id)
                .fetch_one(&mut *c)
                .await?
                .unwrap_or(1),
            };
            sqlx::query("UPDATE charter_drafts SET decided_version = $1 WHERE id = $2")
                .bind(version)
                .bind(id)
                .execute(&mut *c)
                .await?;
            audit(
                c,
                actor,
                "draft.decided",
                "charter_draft",
                id,
                "",
                before_after(
                    DraftStatus::Submitted.as_str(),
                    DraftStatus::Decided.as_str(),
                ),
            )
            .await?;
            Ok(version)
        })?;
        Ok(version)
    }
}

/// A comment on a draft.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DraftComment {
    pub id: i64,
    pub draft_id: i64,
    /// The section heading the comment is about, if any.
    pub section: Option<String>,
    pub body: String,
    /// The actor (`account:ID`) and the name shown.
    pub author: String,
    pub author_name: String,
    pub created_at: DateTime<Utc>,
}

impl Store {
    /// Adds a comment to an open draft (draft or submitted), in the audit log.
    ///
    /// Errors: [`StoreError::Conflict`] when the draft is decided or withdrawn,
    /// or the comment is empty.
    pub async fn add_draft_comment(
        &self,
        draft_id: i64,
        section: Option<&str>,
        body: &str,
        actor: &str,
        author_name: &str,
    ) -> Result<i64, StoreError> {
        let body = body.trim();
        if body.is_empty() {
            return Err(StoreError::Conflict("kommentaren är tom".into()));
        }
        // A comment is its author, section and words: the same again (a form
        // sent twice) is the one there is.
        let key = crate::checksum::repeat_key(&[actor, section.unwrap_or(""), body]);
        in_transaction!(self, |c| {
            // Only while the draft is open: one statement, so a decision at the
            // same moment gives one clear answer.
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO charter_draft_comments (draft_id, section, body, author, author_name, created_at, repeat_key)
                 SELECT id, $2, $3, $4, $5, $6, $7 FROM charter_drafts WHERE id = $1 AND status IN ('draft','submitted')
                 ON CONFLICT DO NOTHING RETURNING id",
            )
            .bind(draft_id)
            .bind(section)
            .bind(body)
            .bind(actor)
            .bind(author_name)
            .bind(Utc::now())
            .bind(&key)
            .fetch_optional(&mut *c)
            .await?;
            let there: Option<i64> = match id {
                Some(_) => None,
                None => sqlx::query_scalar(
                    "SELECT id FROM charter_draft_comments WHERE draft_id = $1 AND repeat_key = $2",
                )
                .bind(draft_id)
                .bind(&key)
                .fetch_optional(&mut *c)
                .await?,
            };
            if let Some(id) = there {
                return Ok(id);
            }
            let Some(id) = id else {
                return Err(StoreError::Conflict(
                    "utkastet är inte öppet för kommentarer längre".into(),
                ));
            };
            audit(
                c,
                actor,
                "draft.commented",
                "charter_draft",
                draft_id,
                section.unwrap_or(""),
                before_after((), serde_json::json!({"section": section, "body": body})),
            )
            .await?;
            Ok(id)
        })
    }

    /// The comments on a draft, oldest first.
    pub async fn draft_comments(&self, draft_id: i64) -> Result<Vec<DraftComment>, StoreError> {
        with_conn!(self, |c| {
            sqlx::query("SELECT id, draft_id, section, body, author, author_name, created_at FROM charter_draft_comments WHERE draft_id = $1 ORDER BY id")
                .bind(draft_id)
                .fetch_all(&mut *c)
                .await?
                .iter()
                .map(|r| {
                    Ok(DraftComment {
                        id: r.try_get("id")?,
                        draft_id: r.try_get("draft_id")?,
                        section: r.try_get("section")?,
                        body: r.try_get("body")?,
                        author: r.try_get("author")?,
                        author_name: r.try_get("author_name")?,
                        created_at: r.try_get("created_at")?,
                    })
                })
                .collect()
        })
    }
}
