//! Escalations: a question a group cannot decide on its members' mandates, taken
//! where the charters send it ("Samband och gränsdragning") — or elsewhere, with
//! the reason recorded — and answered or passed on by whoever it went to.

use chrono::{DateTime, Utc};
use samordna_domain::calendar::swedish_date;
use samordna_domain::decisions::{EscalationStatus, Target, Topic};
use serde::Serialize;
use sqlx::Row;

use crate::filter::parse;
use crate::{
    audit, before_after, in_transaction, with_conn, with_pool, Backend, Store, StoreError,
};

/// A question to take elsewhere, as entered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewEscalation {
    /// The asking group.
    pub organization_id: i64,
    pub decision_id: Option<i64>,
    pub matter_id: Option<i64>,
    pub topic: Topic,
    pub target: Target,
    /// What the charters suggest ([`samordna_domain::decisions::suggested_target`]).
    pub suggested_target: Target,
    /// The body it goes to (a council, PPR, Klinisk ledning, a region-wide group).
    pub target_organization_id: Option<i64>,
    /// The person it goes to (a contact person).
    pub target_person_id: Option<i64>,
    /// Why not the suggested target; required when the target differs.
    pub deviation_reason: Option<String>,
    pub question: String,
}

/// An escalation with where it stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Escalation {
    pub id: i64,
    #[serde(flatten)]
    pub fields: NewEscalation,
    pub organization: String,
    pub organization_slug: String,
    pub target_organization: Option<String>,
    pub target_person: Option<String>,
    pub status: EscalationStatus,
    pub answer: Option<String>,
    pub answered_by: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    pub forwarded_from_id: Option<i64>,
    pub row_version: i64,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

const COLUMNS: &str = "e.id, e.organization_id, e.decision_id, e.matter_id, e.topic, e.target, e.suggested_target, e.target_organization_id, e.target_person_id, e.deviation_reason, e.question, e.status, e.answer, e.answered_by, e.answered_at, e.forwarded_from_id, e.row_version, e.created_by, e.created_at,
    o.name AS organization, o.slug AS organization_slug, t.name AS target_organization, p.name AS target_person";
const FROM: &str = "FROM escalations e JOIN organizations o ON o.id = e.organization_id LEFT JOIN organizations t ON t.id = e.target_organization_id LEFT JOIN people p ON p.id = e.target_person_id";

macro_rules! escalation {
    ($r:expr) => {
        Escalation {
            id: $r.try_get("id")?,
            fields: NewEscalation {
                organization_id: $r.try_get("organization_id")?,
                decision_id: $r.try_get("decision_id")?,
                matter_id: $r.try_get("matter_id")?,
                topic: parse($r.try_get("topic")?)?,
                target: parse($r.try_get("target")?)?,
                suggested_target: parse($r.try_get("suggested_target")?)?,
                target_organization_id: $r.try_get("target_organization_id")?,
                target_person_id: $r.try_get("target_person_id")?,
                deviation_reason: $r.try_get("deviation_reason")?,
                question: $r.try_get("question")?,
            },
            organization: $r.try_get("organization")?,
            organization_slug: $r.try_get("organization_slug")?,
            target_organization: $r.try_get("target_organization")?,
            target_person: $r.try_get("target_person")?,
            status: parse($r.try_get("status")?)?,
            answer: $r.try_get("answer")?,
            answered_by: $r.try_get("answered_by")?,
            answered_at: $r.try_get("answered_at")?,
            forwarded_from_id: $r.try_get("forwarded_from_id")?,
            row_version: $r.try_get("row_version")?,
            created_by: $r.try_get("created_by")?,
            created_at: $r.try_get("created_at")?,
        }
    };
}

/// The repeat identity of an open question (`escalations_repeat`): what it is
/// raised from, where it goes, and its words.
fn repeat_key(e: &NewEscalation) -> String {
    let id = |x: Option<i64>| x.map(|v| v.to_string()).unwrap_or_default();
    crate::checksum::repeat_key(&[
        &id(e.decision_id),
        &id(e.matter_id),
        e.target.as_str(),
        &id(e.target_organization_id),
        &id(e.target_person_id),
        &e.question,
    ])
}

/// Inserts an escalation inside the caller's transaction (a macro: it runs on
/// either backend's connection) and audits it; evaluates to its id. The same
/// open question again (a form sent twice) is the one there is.
macro_rules! insert {
    ($c:expr, $e:expr, $from:expr, $actor:expr) => {{
        let e: &NewEscalation = $e;
        let key = repeat_key(e);
        let inserted: Option<i64> = sqlx::query_scalar("INSERT INTO escalations (organization_id, decision_id, matter_id, topic, target, suggested_target, target_organization_id, target_person_id, deviation_reason, question, forwarded_from_id, created_by, created_at, repeat_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT DO NOTHING RETURNING id")
            .bind(e.organization_id)
            .bind(e.decision_id)
            .bind(e.matter_id)
            .bind(e.topic.as_str())
            .bind(e.target.as_str())
            .bind(e.suggested_target.as_str())
            .bind(e.target_organization_id)
            .bind(e.target_person_id)
            .bind(&e.deviation_reason)
            .bind(&e.question)
            .bind($from)
            .bind($actor)
            .bind(Utc::now())
            .bind(&key)
            .fetch_optional(&mut *$c)
            .await?;
        let Some(id) = inserted else {
            return Ok(sqlx::query_scalar(
                "SELECT id FROM escalations WHERE organization_id = $1 AND repeat_key = $2 AND status = 'open'",
            )
            .bind(e.organization_id)
            .bind(&key)
            .fetch_one(&mut *$c)
            .await?);
        };
        audit($c, $actor, "escalation.raised", "escalation", id, &e.question, before_after((), e)).await?;
        Ok(id)
    }};
}

/// Whose escalations to list.
#[derive(Debug, Clone, Copy)]
pub enum EscalationsOf {
    /// Every escalation (the whole register's rules check).
    All,
    /// Raised by this group.
    Group(i64),
    /// Raised from this matter.
    Matter(i64),
    /// Raised from this decision.
    Decision(i64),
    /// Addressed to this person: to them by name, or to a body where they are a
    /// current chair, vice chair or coordinator.
    AddressedTo(i64),
}

impl Store {
    /// Raises an escalation.
    ///
    /// Errors: [`StoreError::Conflict`] for an empty question, a target other
    /// than the suggested one without a reason, or no decision or matter.
    pub async fn escalate(&self, e: &NewEscalation, actor: &str) -> Result<i64, StoreError> {
        check_new(e)?;
        in_transaction!(self, |c| insert!(c, e, None::<i64>, actor))
    }

    /// Escalations raised by a group, from a matter or decision, addressed to a
    /// person, or all; newest first.
    pub async fn escalations(&self, of: EscalationsOf) -> Result<Vec<Escalation>, StoreError> {
        let (w, id) = match of {
            EscalationsOf::All => ("TRUE", None),
            EscalationsOf::Group(id) => ("e.organization_id = $1", Some(id)),
            EscalationsOf::Matter(id) => ("e.matter_id = $1", Some(id)),
            EscalationsOf::Decision(id) => ("e.decision_id = $1", Some(id)),
            EscalationsOf::AddressedTo(id) => ("(e.target_person_id = $1 OR e.target_organization_id IN (SELECT ms.organization_id FROM memberships ms WHERE ms.person_id = $1 AND ms.role IN ('ordforande','vice_ordforande','koordinator') AND ms.start_date <= $2 AND (ms.end_date IS NULL OR ms.end_date >= $2)))", Some(id)),
        };
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE {w} ORDER BY e.id DESC");
        let today = swedish_date(Utc::now());
        with_conn!(self, |c| {
            let mut q = sqlx::query(&sql);
            if let Some(id) = id {
                q = q.bind(id);
            }
            if matches!(of, EscalationsOf::AddressedTo(_)) {
                q = q.bind(today);
            }
            q.fetch_all(&mut *c)
                .await?
                .iter()
                .map(|r| Ok(escalation!(r)))
                .collect()
        })
    }

    pub async fn escalation(&self, id: i64) -> Result<Option<Escalation>, StoreError> {
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE e.id = $1");
        with_conn!(self, |c| {
            match sqlx::query(&sql).bind(id).fetch_optional(&mut *c).await? {
                Some(r) => Ok(Some(escalation!(r))),
                None => Ok(None),
            }
        })
    }

    /// Answers an open escalation: one conditional update, so of two people
    /// answering at once one succeeds and the other is told it is answered. The
    /// same answer again by the same person is done.
    pub async fn answer_escalation(
        &self,
        id: i64,
        answer: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        if answer.trim().is_empty() {
            return Err(StoreError::Conflict("svaret är tomt".into()));
        }
        if !samordna_domain::matters::fits(answer, samordna_domain::matters::TEXT_MAX) {
            return Err(StoreError::Conflict("svaret är för långt".into()));
        }
        let done = in_transaction!(self, |c| {
            let done = sqlx::query("UPDATE escalations SET status = 'answered', answer = $1, answered_by = $2, answered_at = $3, row_version = row_version + 1 WHERE id = $4 AND status = 'open'")
                .bind(answer)
                .bind(actor)
                .bind(Utc::now())
                .bind(id)
                .execute(&mut *c)
                .await?;
            if done.rows_affected() == 1 {
                audit(
                    c,
                    actor,
                    "escalation.answered",
                    "escalation",
                    id,
                    answer,
                    before_after("open", "answered"),
                )
                .await?;
            }
            Ok(done.rows_affected() == 1)
        })?;
        if done {
            return Ok(());
        }
        match self.escalation(id).await? {
            None => Err(StoreError::NotFound(format!("fråga {id}"))),
            Some(e)
                if e.status == EscalationStatus::Answered
                    && e.answered_by.as_deref() == Some(actor)
                    && e.answer.as_deref() == Some(answer) =>
            {
                Ok(())
            }
            Some(e) => Err(StoreError::Conflict(format!(
                "frågan är redan {}",
                match e.status {
                    EscalationStatus::Answered => "besvarad",
                    EscalationStatus::Forwarded => "vidarebefordrad",
                    EscalationStatus::Open => "öppen",
                }
            ))),
        }
    }

    /// Passes an open escalation on: a new escalation from the same group with
    /// the new target, and this one marked forwarded, in one transaction.
    pub async fn forward_escalation(
        &self,
        id: i64,
        to: &NewEscalation,
        actor: &str,
    ) -> Result<i64, StoreError> {
        check_new(to)?;
        in_transaction!(self, |c| {
            let done = sqlx::query("UPDATE escalations SET status = 'forwarded', row_version = row_version + 1 WHERE id = $1 AND status = 'open'")
                .bind(id)
                .execute(&mut *c)
                .await?;
            if done.rows_affected() == 0 {
                // Passed on already: the same step again (a form sent twice) is
                // done; passed on elsewhere, it is not open any more.
                let onward: Option<(i64, Option<String>)> = sqlx::query_as(
                    "SELECT id, repeat_key FROM escalations WHERE forwarded_from_id = $1",
                )
                .bind(id)
                .fetch_optional(&mut *c)
                .await?;
                return match onward {
                    Some((onward, key)) if key.as_deref() == Some(repeat_key(to).as_str()) => {
                        Ok(onward)
                    }
                    _ => Err(StoreError::Conflict("frågan är inte öppen längre".into())),
                };
            }
            audit(
                c,
                actor,
                "escalation.forwarded",
                "escalation",
                id,
                &to.question,
                before_after("open", "forwarded"),
            )
            .await?;
            insert!(c, to, Some(id), actor)
        })
    }
}

fn check_new(e: &NewEscalation) -> Result<(), StoreError> {
    if e.question.trim().is_empty() {
        return Err(StoreError::Conflict("frågan är tom".into()));
    }
    let limit = samordna_domain::matters::TEXT_MAX;
    if !samordna_domain::matters::fits(&e.question, limit)
        || !samordna_domain::matters::fits(e.deviation_reason.as_deref().unwrap_or(""), limit)
    {
        return Err(StoreError::Conflict(
            "frågan eller skälet är för långt".into(),
        ));
    }
    if e.decision_id.is_none() && e.matter_id.is_none() {
        return Err(StoreError::Conflict(
            "en fråga lyfts från ett beslut eller ett ärende".into(),
        ));
    }
    if e.target != e.suggested_target
        && e.deviation_reason
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
    {
        return Err(StoreError::Conflict(
            "ange varför frågan går någon annanstans än dit uppdragshandlingen säger".into(),
        ));
    }
    Ok(())
}
