//! Culling (gallring) decisions: a region's information management plan may
//! allow culling a kind of record after a period. Samordna records such a
//! decision (migration 0020, `culling_decisions`, with an audit event) and lists
//! what it would allow culling; it never deletes a record itself. Public records
//! (decided charters, approved minutes, decisions) are not kinds that can be
//! named: they are kept for ever.

use chrono::{DateTime, NaiveDate, Utc};
use samordna_domain::calendar::swedish_date;

use crate::{in_transaction, with_conn, with_pool, Backend, Store, StoreError};

/// The kinds of record a culling decision may name, with the statement listing
/// the records of that kind older than a cut-off (`$1`, a moment): id,
/// description, the moment that counts.
pub const CULLABLE: [(&str, &str, &str); 4] = [
    (
        "attachments",
        "bilagor till möten (inte anteckningar eller beslut)",
        "SELECT f.id, f.filename, f.created_at FROM attachments f WHERE f.created_at < $1 ORDER BY f.id",
    ),
    (
        "minutes_drafts",
        "utkast och återförvisade versioner av mötesanteckningar som ersatts av en justerad version",
        "SELECT n.id, 'möte ' || CAST(n.meeting_id AS TEXT) || ', version ' || CAST(n.version AS TEXT), n.created_at FROM minutes n WHERE n.status IN ('draft','returned','submitted') AND n.created_at < $1 AND EXISTS (SELECT 1 FROM minutes a WHERE a.meeting_id = n.meeting_id AND a.version > n.version AND a.status IN ('approved','published')) ORDER BY n.id",
    ),
    (
        "closed_matters",
        "avslutade grupparenden utan beslut",
        "SELECT m.id, m.title, m.updated_at FROM matters m WHERE m.status IN ('answered','declined','done','closed') AND m.updated_at < $1 AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.matter_id = m.id) ORDER BY m.id",
    ),
    (
        "cancelled_meetings",
        "inställda möten utan anteckningar",
        "SELECT m.id, 'inställt möte ' || CAST(m.id AS TEXT), m.starts_at FROM meetings m WHERE m.state = 'cancelled' AND m.starts_at < $1 AND NOT EXISTS (SELECT 1 FROM minutes n WHERE n.meeting_id = m.id) ORDER BY m.id",
    ),
];

/// A recorded culling decision.
#[derive(Debug, Clone)]
pub struct CullingDecision {
    pub id: i64,
    /// One of [`CULLABLE`]'s kinds.
    pub record_kind: String,
    /// Records of the kind older than this many years may be culled.
    pub after_years: i64,
    /// The decision's reference (diarienummer of the information management plan).
    pub decision_ref: String,
    pub decided_on: NaiveDate,
    pub note: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// A record a culling decision would allow culling: id, description, and the
/// moment its age counts from (an attachment's or draft's creation, a matter's
/// closing, a cancelled meeting's date).
pub type Cullable = (i64, String, DateTime<Utc>);

impl Store {
    /// Records a culling decision. Errors: [`StoreError::Conflict`] for a kind
    /// not in [`CULLABLE`], a period outside 1–100 years or an empty reference.
    pub async fn add_culling_decision(
        &self,
        record_kind: &str,
        after_years: i64,
        decision_ref: &str,
        decided_on: NaiveDate,
        note: Option<&str>,
        actor: &str,
    ) -> Result<i64, StoreError> {
        if !CULLABLE.iter().any(|(k, ..)| *k == record_kind) {
            return Err(StoreError::Conflict(format!(
                "gallring kan inte beslutas för {record_kind:?}; möjliga slag: {}",
                CULLABLE.map(|(k, ..)| k).join(", ")
            )));
        }
        if !(1..=100).contains(&after_years) {
            return Err(StoreError::Conflict(
                "tiden före gallring anges i år, 1–100".into(),
            ));
        }
        if decided_on > swedish_date(Utc::now()) {
            return Err(StoreError::Conflict(format!(
                "beslutsdatumet {decided_on} har inte kommit än; registrera beslutet när det är fattat"
            )));
        }
        if decision_ref.trim().is_empty() {
            return Err(StoreError::Conflict(
                "ett gallringsbeslut behöver sin beteckning (diarienummer)".into(),
            ));
        }
        // A culling decision is its kind of record and its reference: the same
        // again is the one recorded; the same reference with other terms is refused.
        let key = crate::checksum::repeat_key(&[record_kind, decision_ref]);
        in_transaction!(self, |c| {
            let inserted: Option<i64> = sqlx::query_scalar("INSERT INTO culling_decisions (record_kind, after_years, decision_ref, decided_on, note, created_by, created_at, repeat_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id")
                .bind(record_kind)
                .bind(after_years)
                .bind(decision_ref.trim())
                .bind(decided_on)
                .bind(note)
                .bind(actor)
                .bind(Utc::now())
                .bind(&key)
                .fetch_optional(&mut *c)
                .await?;
            let Some(id) = inserted else {
                let (id, years, on, was): (i64, i64, NaiveDate, Option<String>) = sqlx::query_as(
                    "SELECT id, CAST(after_years AS BIGINT), decided_on, note FROM culling_decisions WHERE repeat_key = $1",
                )
                .bind(&key)
                .fetch_one(&mut *c)
                .await?;
                return if years == after_years && on == decided_on && was.as_deref() == note {
                    Ok(id)
                } else {
                    Err(StoreError::Conflict(format!(
                        "gallringsbeslutet {} för {record_kind} är redan registrerat (nummer {id}) med andra villkor",
                        decision_ref.trim()
                    )))
                };
            };
            crate::audit(
                c,
                actor,
                "culling_decision.recorded",
                "culling_decision",
                id,
                decision_ref.trim(),
                crate::before_after(
                    (),
                    serde_json::json!({"record_kind": record_kind, "after_years": after_years, "decided_on": decided_on}),
                ),
            )
            .await?;
            Ok(id)
        })
    }

    /// Every culling decision, oldest first.
    pub async fn culling_decisions(&self) -> Result<Vec<CullingDecision>, StoreError> {
        type Row = (
            i64,
            String,
            i64,
            String,
            NaiveDate,
            Option<String>,
            String,
            DateTime<Utc>,
        );
        let rows: Vec<Row> = with_conn!(self, |c| {
            sqlx::query_as("SELECT id, record_kind, CAST(after_years AS BIGINT), decision_ref, decided_on, note, created_by, created_at FROM culling_decisions ORDER BY id")
                .fetch_all(&mut *c)
                .await?
        });
        Ok(rows
            .into_iter()
            .map(|r| CullingDecision {
                id: r.0,
                record_kind: r.1,
                after_years: r.2,
                decision_ref: r.3,
                decided_on: r.4,
                note: r.5,
                created_by: r.6,
                created_at: r.7,
            })
            .collect())
    }

    /// The records of `record_kind` older than `before`: what a decision would
    /// allow culling today. Reads only.
    pub async fn cullable(
        &self,
        record_kind: &str,
        before: DateTime<Utc>,
    ) -> Result<Vec<Cullable>, StoreError> {
        let Some((_, _, sql)) = CULLABLE.iter().find(|(k, ..)| *k == record_kind) else {
            return Ok(Vec::new());
        };
        Ok(with_conn!(self, |c| {
            sqlx::query_as(sql).bind(before).fetch_all(&mut *c).await?
        }))
    }
}
