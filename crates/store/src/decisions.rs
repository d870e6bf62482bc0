//! Matters, decisions with their basis and each administration's anchoring,
//! escalations, notifications of decisions, actions and agenda templates (the
//! charters' "Beslutsfattande", "Rapportering" and "Samband och gränsdragning").
//!
//! A decision is recorded in a meeting's minutes; when the minutes are approved it
//! becomes a public record (the database refuses changes, like the minutes' text),
//! and the bodies the group's charter names are notified through the mail queue.
//! Until then it is visible only to the group.

use chrono::{DateTime, NaiveDate, Utc};
use samordna_domain::decisions::{Basis, Topic};
use serde::Serialize;
use sqlx::Row;

use crate::filter::{bind_all, parse, Bind, Where};
use crate::{
    audit, before_after, in_transaction, with_conn, with_pool, Backend, Store, StoreError,
};

/// An administration a decision binds, and whether it has anchored the decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Anchoring {
    pub administration_id: i64,
    pub administration: String,
    /// When the administration anchored the decision (förankrat).
    pub anchored_on: Option<NaiveDate>,
    /// When it held union consultation (facklig samverkan).
    pub union_consulted_on: Option<NaiveDate>,
    pub recorded_by: Option<String>,
}

impl Anchoring {
    /// Both steps recorded.
    pub fn is_done(&self) -> bool {
        self.anchored_on.is_some() && self.union_consulted_on.is_some()
    }
}

/// A body told of a decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Notification {
    pub organization_id: i64,
    pub organization: String,
    pub queued_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub recipients: Option<String>,
}

/// What a decision records, as entered in the minutes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewDecision {
    pub meeting_id: i64,
    pub agenda_item_id: Option<i64>,
    pub matter_id: Option<i64>,
    pub text: String,
    pub basis: Basis,
    pub topic: Topic,
    /// The administrations a decision on the members' mandates binds.
    pub binds: Vec<i64>,
}

/// A decision of a group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub id: i64,
    pub organization_id: i64,
    pub meeting_id: i64,
    pub agenda_item_id: Option<i64>,
    /// The agenda item's number (§), when the decision is under one.
    pub paragraph: Option<i64>,
    pub matter_id: Option<i64>,
    pub text: String,
    pub basis: Basis,
    pub topic: Topic,
    pub decided_on: NaiveDate,
    /// The minutes holding it are approved: a public record, never changed.
    pub approved: bool,
    /// The minutes holding it are published: shown outside the group.
    pub published: bool,
    pub binds: Vec<Anchoring>,
    pub notifications: Vec<Notification>,
    /// How many escalations were raised from it.
    pub escalations: i64,
}

impl Decision {
    /// "2026-03-04 § 5" (or the date alone): how a person finds the decision.
    pub fn label(&self) -> String {
        match self.paragraph {
            Some(p) => format!("{} § {p}", self.decided_on),
            None => self.decided_on.to_string(),
        }
    }

    /// Every administration it binds has anchored it and held union consultation.
    pub fn fully_anchored(&self) -> bool {
        self.binds.iter().all(Anchoring::is_done)
    }
}

/// Which decisions to list.
#[derive(Debug, Clone, Default)]
pub struct DecisionFilter {
    pub organization_id: Option<i64>,
    /// Organisations with ids from the first to the second, both included (the
    /// rules check reads the register a range of groups at a time).
    pub organization_ids: Option<(i64, i64)>,
    pub meeting_id: Option<i64>,
    pub matter_id: Option<i64>,
    pub basis: Option<Basis>,
    pub topic: Option<Topic>,
    /// Only decisions whose minutes are published (what anyone may read).
    pub published_only: bool,
    /// Only decisions whose minutes are approved (what the rules look at).
    pub approved_only: bool,
    /// `Some(true)`: only those anchored everywhere ([`Decision::fully_anchored`]
    /// and binding some administration); `Some(false)`: only those with a step
    /// outstanding somewhere.
    pub fully_anchored: Option<bool>,
    /// Only those escalated (`Some(true)`) or not (`Some(false)`).
    pub escalated: Option<bool>,
}

const DECISION_COLUMNS: &str = "d.id, d.organization_id, d.meeting_id, d.agenda_item_id, a.position AS paragraph, d.matter_id, d.text, d.basis, d.topic, d.decided_on,
    EXISTS (SELECT 1 FROM minutes mi WHERE mi.meeting_id = d.meeting_id AND mi.status IN ('approved','published')) AS approved,
    EXISTS (SELECT 1 FROM minutes mi WHERE mi.meeting_id = d.meeting_id AND mi.status = 'published') AS published,
    (SELECT COUNT(*) FROM escalations e WHERE e.decision_id = d.id) AS escalations";

macro_rules! decision {
    ($r:expr) => {
        Decision {
            id: $r.try_get("id")?,
            organization_id: $r.try_get("organization_id")?,
            meeting_id: $r.try_get("meeting_id")?,
            agenda_item_id: $r.try_get("agenda_item_id")?,
            paragraph: $r.try_get("paragraph")?,
            matter_id: $r.try_get("matter_id")?,
            text: $r.try_get("text")?,
            basis: parse($r.try_get("basis")?)?,
            topic: parse($r.try_get("topic")?)?,
            decided_on: $r.try_get("decided_on")?,
            approved: $r.try_get("approved")?,
            published: $r.try_get("published")?,
            binds: Vec::new(),
            notifications: Vec::new(),
            escalations: $r.try_get("escalations")?,
        }
    };
}

/// Maps the database's refusal to touch a decision of approved minutes (the
/// triggers of migration 0011) to a clear conflict.
fn frozen(e: StoreError) -> StoreError {
    match &e {
        StoreError::Database(sqlx::Error::Database(d))
            if d.message().contains("decisions of approved minutes") =>
        {
            StoreError::Conflict(
                "anteckningarna är justerade: deras beslut ändras inte (en rättelse är en ny version)"
                    .into(),
            )
        }
        _ => e,
    }
}

/// The decision `$d` repeats: the one of its meeting and agenda item with its
/// text (the repeat identity, `decisions_repeat`). The same in every other part
/// (basis, topic, matter, what it binds) is that decision; otherwise `$d` is
/// another decision with the same words, refused naming the one recorded.
/// (A macro: it runs on the connection of either backend.)
macro_rules! repeat_of_decision {
    ($c:expr, $d:expr, $sha:expr) => {{
        let d: &NewDecision = $d;
        let (id, basis, topic, matter): (i64, String, String, Option<i64>) = sqlx::query_as(
            "SELECT id, basis, topic, matter_id FROM decisions WHERE meeting_id = $1 AND COALESCE(agenda_item_id, 0) = $2 AND text_sha = $3",
        )
        .bind(d.meeting_id)
        .bind(d.agenda_item_id.unwrap_or(0))
        .bind($sha)
        .fetch_one(&mut *$c)
        .await?;
        let mut binds: Vec<i64> = sqlx::query_scalar(
            "SELECT administration_id FROM decision_administrations WHERE decision_id = $1",
        )
        .bind(id)
        .fetch_all(&mut *$c)
        .await?;
        binds.sort_unstable();
        let mut asked = d.binds.clone();
        asked.sort_unstable();
        asked.dedup();
        if basis == d.basis.as_str()
            && topic == d.topic.as_str()
            && matter == d.matter_id
            && binds == asked
        {
            Ok(id)
        } else {
            Err(StoreError::Conflict(format!(
                "ett beslut med samma text är redan registrerat under samma punkt (beslut {id}) med annan grund, ämne, ärende eller andra förvaltningar; ändra det i stället för att registrera det igen"
            )))
        }
    }};
}

impl Store {
    /// Records a decision in a meeting's minutes, dated the meeting's day.
    ///
    /// Errors: [`StoreError::NotFound`] for a meeting, agenda item or matter that
    /// is not the meeting's group's; [`StoreError::Conflict`] for an empty text, a
    /// decision on the members' mandates that binds no administration, or minutes
    /// already approved.
    pub async fn record_decision(&self, d: &NewDecision, actor: &str) -> Result<i64, StoreError> {
        if d.text.trim().is_empty() {
            return Err(StoreError::Conflict("beslutet behöver en text".into()));
        }
        if !samordna_domain::matters::fits(&d.text, samordna_domain::matters::TEXT_MAX) {
            return Err(StoreError::Conflict("beslutstexten är för lång".into()));
        }
        if d.basis == Basis::MemberMandates && d.binds.is_empty() {
            return Err(StoreError::Conflict(
                "ett beslut på ledamöternas mandat anger vilka förvaltningar det binder".into(),
            ));
        }
        let meeting = self
            .meeting(d.meeting_id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("möte {}", d.meeting_id)))?;
        let org = meeting.fields.organization_id;
        // A decision is made at a meeting that took place.
        if meeting.state == samordna_domain::meetings::MeetingState::Cancelled {
            return Err(StoreError::Conflict(
                "mötet är inställt; det fattade inga beslut".into(),
            ));
        }
        if meeting.fields.starts_at > Utc::now() {
            return Err(StoreError::Conflict(
                "mötet har inte börjat; beslut registreras när det har hållits".into(),
            ));
        }
        if let Some(item) = d.agenda_item_id {
            if !self
                .agenda(d.meeting_id)
                .await?
                .iter()
                .any(|a| a.id == item)
            {
                return Err(StoreError::NotFound(format!("dagordningspunkt {item}")));
            }
        }
        if let Some(mid) = d.matter_id {
            if self
                .matter(mid)
                .await?
                .is_none_or(|m| m.fields.organization_id != org)
            {
                return Err(StoreError::NotFound(format!("ärende {mid}")));
            }
        }
        let decided_on = samordna_domain::calendar::swedish_date(meeting.fields.starts_at);
        use sha2::{Digest, Sha256};
        let sha: String = Sha256::digest(d.text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        for adm in &d.binds {
            let known: Option<i64> = with_conn!(self, |c| {
                Ok::<_, StoreError>(
                    sqlx::query_scalar("SELECT id FROM administrations WHERE id = $1")
                        .bind(adm)
                        .fetch_optional(&mut *c)
                        .await?,
                )
            })?;
            if known.is_none() {
                return Err(StoreError::NotFound(format!("förvaltning {adm}")));
            }
        }
        // The write comes first, so that two at once queue on the lock rather than
        // one reading a state the other is about to change.
        let result = in_transaction!(self, |c| {
            let inserted: Option<i64> = sqlx::query_scalar("INSERT INTO decisions (organization_id, meeting_id, agenda_item_id, matter_id, text, text_sha, basis, topic, decided_on, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING RETURNING id")
                .bind(org)
                .bind(d.meeting_id)
                .bind(d.agenda_item_id)
                .bind(d.matter_id)
                .bind(&d.text)
                .bind(&sha)
                .bind(d.basis.as_str())
                .bind(d.topic.as_str())
                .bind(decided_on)
                .bind(actor)
                .bind(Utc::now())
                .fetch_optional(&mut *c)
                .await?;
            // The same decision again (a form sent twice) is the one recorded.
            let Some(id) = inserted else {
                return repeat_of_decision!(c, d, &sha);
            };
            for adm in &d.binds {
                sqlx::query("INSERT INTO decision_administrations (decision_id, administration_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(id)
                    .bind(adm)
                    .execute(&mut *c)
                    .await?;
            }
            audit(
                c,
                actor,
                "decision.recorded",
                "decision",
                id,
                &d.text,
                before_after((), d),
            )
            .await?;
            Ok(id)
        });
        match result {
            // The same decision sent twice at once: the other one is recorded.
            Err(e) if e.is_duplicate() => {
                with_conn!(self, |c| repeat_of_decision!(c, d, &sha))
            }
            other => other.map_err(frozen),
        }
    }

    /// Decisions the filter lets through, oldest first, each with the
    /// administrations it binds and the bodies told of it.
    pub async fn decisions(&self, f: &DecisionFilter) -> Result<Vec<Decision>, StoreError> {
        let w = Self::decision_where(f);
        let sql = format!("SELECT {DECISION_COLUMNS} FROM decisions d LEFT JOIN agenda_items a ON a.id = d.agenda_item_id{} ORDER BY d.decided_on, a.position, d.id", w.sql());
        self.read_decisions(&sql, &w.binds, Some(&w)).await
    }

    /// The decisions `sql` selects with `binds`, each with what it binds and who
    /// was told; `all` is the condition of `sql` when it selects every decision it
    /// matches (no `LIMIT`), so that many are filled by it rather than by lists.
    async fn read_decisions(
        &self,
        sql: &str,
        binds: &[Bind],
        all: Option<&Where>,
    ) -> Result<Vec<Decision>, StoreError> {
        let mut out: Vec<Decision> = with_conn!(self, |c| {
            bind_all!(sqlx::query(sql), binds)
                .fetch_all(&mut *c)
                .await?
                .iter()
                .map(|r| Ok(decision!(r)))
                .collect::<Result<Vec<_>, StoreError>>()
        })?;
        let scope = all.filter(|_| out.len() > 500);
        self.fill_decisions(&mut out, scope).await?;
        Ok(out)
    }

    /// How many decisions `f` selects.
    pub async fn decision_count(&self, f: &DecisionFilter) -> Result<usize, StoreError> {
        let w = Self::decision_where(f);
        let sql = format!("SELECT COUNT(*) FROM decisions d{}", w.sql());
        let n: i64 = with_conn!(self, |c| bind_all!(sqlx::query_scalar(&sql), &w.binds)
            .fetch_one(&mut *c)
            .await?);
        Ok(n as usize)
    }

    /// One page of the decisions `f` selects, newest first: a log page reads its
    /// 50 rows, not the whole region (issue #14).
    pub async fn decisions_page(
        &self,
        f: &DecisionFilter,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Decision>, StoreError> {
        let mut w = Self::decision_where(f);
        let n = w.binds.len();
        let sql = format!("SELECT {DECISION_COLUMNS} FROM decisions d LEFT JOIN agenda_items a ON a.id = d.agenda_item_id{} ORDER BY d.decided_on DESC, a.position DESC, d.id DESC LIMIT ${} OFFSET ${}", w.sql(), n + 1, n + 2);
        w.binds.push(Bind::I(limit as i64));
        w.binds.push(Bind::I(offset as i64));
        self.read_decisions(&sql, &w.binds, None).await
    }

    fn decision_where(f: &DecisionFilter) -> Where {
        let mut w = Where::default();
        if let Some(id) = f.organization_id {
            w.add("d.organization_id = ?", Bind::I(id));
        }
        if let Some((first, last)) = f.organization_ids {
            w.add("d.organization_id >= ?", Bind::I(first));
            w.add("d.organization_id <= ?", Bind::I(last));
        }
        if let Some(id) = f.meeting_id {
            w.add("d.meeting_id = ?", Bind::I(id));
        }
        if let Some(id) = f.matter_id {
            w.add("d.matter_id = ?", Bind::I(id));
        }
        if let Some(b) = f.basis {
            w.add("d.basis = ?", Bind::S(b.as_str()));
        }
        if let Some(t) = f.topic {
            w.add("d.topic = ?", Bind::S(t.as_str()));
        }
        if f.published_only {
            w.raw("EXISTS (SELECT 1 FROM minutes mi WHERE mi.meeting_id = d.meeting_id AND mi.status = 'published')");
        }
        if f.approved_only {
            w.raw("EXISTS (SELECT 1 FROM minutes mi WHERE mi.meeting_id = d.meeting_id AND mi.status IN ('approved','published'))");
        }
        const OUTSTANDING: &str = "EXISTS (SELECT 1 FROM decision_administrations x WHERE x.decision_id = d.id AND (x.anchored_on IS NULL OR x.union_consulted_on IS NULL))";
        match f.fully_anchored {
            Some(true) => {
                w.raw(
                    "EXISTS (SELECT 1 FROM decision_administrations x WHERE x.decision_id = d.id)",
                );
                w.raw(&format!("NOT {OUTSTANDING}"));
            }
            Some(false) => w.raw(OUTSTANDING),
            None => {}
        }
        match f.escalated {
            Some(true) => w.raw("EXISTS (SELECT 1 FROM escalations e WHERE e.decision_id = d.id)"),
            Some(false) => {
                w.raw("NOT EXISTS (SELECT 1 FROM escalations e WHERE e.decision_id = d.id)")
            }
            None => {}
        }
        w
    }

    /// One decision, with what it binds and who was told.
    pub async fn decision(&self, id: i64) -> Result<Option<Decision>, StoreError> {
        let sql = format!("SELECT {DECISION_COLUMNS} FROM decisions d LEFT JOIN agenda_items a ON a.id = d.agenda_item_id WHERE d.id = $1");
        let found: Option<Decision> = with_conn!(self, |c| {
            match sqlx::query(&sql).bind(id).fetch_optional(&mut *c).await? {
                Some(r) => Ok::<_, StoreError>(Some(decision!(r))),
                None => Ok(None),
            }
        })?;
        let mut v: Vec<Decision> = found.into_iter().collect();
        self.fill_decisions(&mut v, None).await?;
        Ok(v.pop())
    }

    /// Reads the anchoring and notifications of the decisions: two statements
    /// per batch of up to 500 decisions, by index; or, given the condition that
    /// selected them (`scope`), two statements for all of them.
    async fn fill_decisions(
        &self,
        ds: &mut [Decision],
        scope: Option<&Where>,
    ) -> Result<(), StoreError> {
        use std::collections::HashMap;
        let mut binds: HashMap<i64, Vec<Anchoring>> = HashMap::new();
        let mut notes: HashMap<i64, Vec<Notification>> = HashMap::new();
        // Two statements per batch of decisions, not two per decision: a log or
        // the dashboard reads many at once; the rules check of a region many more.
        let batches: Vec<Vec<i64>> = match scope {
            Some(_) => vec![Vec::new()],
            None => ds
                .chunks(500)
                .map(|chunk| chunk.iter().map(|d| d.id).collect())
                .collect(),
        };
        for ids in batches {
            let within = |column: &str| match scope {
                Some(w) => format!(
                    " WHERE {column} IN (SELECT d.id FROM decisions d{})",
                    w.sql()
                ),
                None => {
                    crate::one_group::with_ids(&format!(" WHERE {column} IN ({{ids}})"), ids.len())
                }
            };
            let values: Vec<Bind> = match scope {
                Some(w) => w.binds.clone(),
                None => ids.iter().map(|id| Bind::I(*id)).collect(),
            };
            let binds_sql = format!("SELECT da.decision_id, da.administration_id, ad.name, da.anchored_on, da.union_consulted_on, da.recorded_by FROM decision_administrations da JOIN administrations ad ON ad.id = da.administration_id{}", within("da.decision_id"));
            let notes_sql = format!("SELECT n.decision_id, n.organization_id, o.name, n.queued_at, n.delivered_at, n.recipients FROM decision_notifications n JOIN organizations o ON o.id = n.organization_id{}", within("n.decision_id"));
            with_conn!(self, |c| {
                let q = bind_all!(sqlx::query(&binds_sql), &values);
                for r in q.fetch_all(&mut *c).await? {
                    binds
                        .entry(r.try_get("decision_id")?)
                        .or_default()
                        .push(Anchoring {
                            administration_id: r.try_get("administration_id")?,
                            administration: r.try_get("name")?,
                            anchored_on: r.try_get("anchored_on")?,
                            union_consulted_on: r.try_get("union_consulted_on")?,
                            recorded_by: r.try_get("recorded_by")?,
                        });
                }
                let q = bind_all!(sqlx::query(&notes_sql), &values);
                for r in q.fetch_all(&mut *c).await? {
                    notes
                        .entry(r.try_get("decision_id")?)
                        .or_default()
                        .push(Notification {
                            organization_id: r.try_get("organization_id")?,
                            organization: r.try_get("name")?,
                            queued_at: r.try_get("queued_at")?,
                            delivered_at: r.try_get("delivered_at")?,
                            recipients: r.try_get("recipients")?,
                        });
                }
                Ok::<_, StoreError>(())
            })?;
        }
        for d in ds.iter_mut() {
            let mut b = binds.remove(&d.id).unwrap_or_default();
            samordna_domain::collation::sort_by(&mut b, |a| &a.administration);
            let mut n = notes.remove(&d.id).unwrap_or_default();
            samordna_domain::collation::sort_by(&mut n, |x| &x.organization);
            d.binds = b;
            d.notifications = n;
        }
        Ok(())
    }

    /// Records that an administration anchored a decision and held union
    /// consultation (either date may be left for later; a date recorded stays
    /// unless a new one is given). Errors: [`StoreError::NotFound`] when the
    /// decision does not bind the administration.
    pub async fn record_anchoring(
        &self,
        decision_id: i64,
        administration_id: i64,
        anchored_on: Option<NaiveDate>,
        union_consulted_on: Option<NaiveDate>,
        actor: &str,
    ) -> Result<(), StoreError> {
        in_transaction!(self, |c| {
            let done = sqlx::query("UPDATE decision_administrations SET anchored_on = COALESCE($1, anchored_on), union_consulted_on = COALESCE($2, union_consulted_on), recorded_by = $3, recorded_at = $4 WHERE decision_id = $5 AND administration_id = $6")
                .bind(anchored_on)
                .bind(union_consulted_on)
                .bind(actor)
                .bind(Utc::now())
                .bind(decision_id)
                .bind(administration_id)
                .execute(&mut *c)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound(format!(
                    "beslut {decision_id} för förvaltning {administration_id}"
                )));
            }
            audit(c, actor, "decision.anchored", "decision", decision_id, "", serde_json::json!({"administration_id": administration_id, "anchored_on": anchored_on, "union_consulted_on": union_consulted_on})).await?;
            Ok(())
        })
    }

    /// Queues the notice of an approved decision to a body again (a mail that
    /// could not be delivered, a chair added since); when it was first queued stays. Errors: [`StoreError::Conflict`]
    /// when the decision's minutes are not approved or the body was told already.
    pub async fn resend_notification(
        &self,
        decision_id: i64,
        organization_id: i64,
        actor: &str,
    ) -> Result<(), StoreError> {
        let d = self
            .decision(decision_id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("beslut {decision_id}")))?;
        if !d.approved {
            return Err(StoreError::Conflict(
                "beslutets anteckningar är inte justerade".into(),
            ));
        }
        if d.notifications
            .iter()
            .any(|n| n.organization_id == organization_id && n.delivered_at.is_some())
        {
            return Err(StoreError::Conflict(
                "mottagaren har redan fått beslutet".into(),
            ));
        }
        let now = Utc::now();
        in_transaction!(self, |c| {
            sqlx::query("INSERT INTO decision_notifications (decision_id, organization_id, queued_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(decision_id)
                .bind(organization_id)
                .bind(now)
                .execute(&mut *c)
                .await?;
            // A notice still being tried is not queued again: a resend sent twice
            // (a double click) is one mail. The key counts the notices queued
            // before, so two resends at once take the same key and one job.
            let prefix = format!("decision_notice:{decision_id}:{organization_id}");
            let (waiting, queued): (i64, i64) = sqlx::query_as(
                "SELECT COALESCE(SUM(CASE WHEN done_at IS NULL AND attempts < max_attempts THEN 1 ELSE 0 END), 0), COUNT(*) FROM jobs WHERE kind = 'mail.decision_notice' AND (dedupe_key = $1 OR dedupe_key LIKE $2)",
            )
            .bind(&prefix)
            .bind(format!("{prefix}:%"))
            .fetch_one(&mut *c)
            .await?;
            if waiting > 0 {
                return Ok(());
            }
            let payload = serde_json::json!({"meeting_id": d.meeting_id, "decision_id": decision_id, "organization_id": organization_id});
            let key = format!("{prefix}:resend:{queued}");
            let queued = crate::jobs::enqueue_in!(c, "mail.decision_notice", payload, Some(key))?;
            if queued.rows_affected() == 0 {
                return Ok(());
            }
            audit(
                c,
                actor,
                "decision.notice_queued",
                "decision",
                decision_id,
                "",
                serde_json::json!({"organization_id": organization_id}),
            )
            .await?;
            Ok(())
        })
    }

    /// Marks a body told of a decision at `at`, with the addresses the mail went to.
    pub async fn notification_delivered(
        &self,
        decision_id: i64,
        organization_id: i64,
        recipients: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        in_transaction!(self, |c| {
            let done = sqlx::query("UPDATE decision_notifications SET delivered_at = $1, recipients = $2 WHERE decision_id = $3 AND organization_id = $4 AND delivered_at IS NULL")
                .bind(at)
                .bind(recipients)
                .bind(decision_id)
                .bind(organization_id)
                .execute(&mut *c)
                .await?;
            if done.rows_affected() > 0 {
                audit(
                    c,
                    "system",
                    "decision.notified",
                    "decision",
                    decision_id,
                    recipients,
                    serde_json::json!({"organization_id": organization_id}),
                )
                .await?;
            }
            Ok(())
        })
    }

    /// The bodies a group's charter in force says must be told of its decisions
    /// ([`samordna_domain::decisions::bodies_to_inform`]): the name the charter
    /// uses, and the organisation it denotes in the register, if any.
    pub async fn bodies_to_inform(
        &self,
        organization_id: i64,
    ) -> Result<Vec<(String, Option<crate::Organization>)>, StoreError> {
        let versions = self.charter_versions(Some(organization_id)).await?;
        let Some(v) = crate::in_force(&versions) else {
            return Ok(Vec::new());
        };
        let Some(doc) = self.charter_document(organization_id, v.version).await? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for name in samordna_domain::decisions::bodies_to_inform(&doc.content) {
            let org = self.organization_named(&name).await?;
            out.push((name, org));
        }
        Ok(out)
    }

    /// The organisation a name denotes: by its name or any name seen for it
    /// (aliases, former names), following merges.
    pub async fn organization_named(
        &self,
        name: &str,
    ) -> Result<Option<crate::Organization>, StoreError> {
        let key = samordna_domain::names::name_key(name);
        let id: Option<i64> = with_conn!(self, |c| {
            let by_name: Option<i64> = sqlx::query_scalar("SELECT COALESCE(merged_into_id, id) FROM organizations WHERE name = $1 ORDER BY placeholder, id LIMIT 1")
                .bind(name)
                .fetch_optional(&mut *c)
                .await?;
            Ok::<_, StoreError>(match by_name {
                Some(id) => Some(id),
                None => sqlx::query_scalar("SELECT COALESCE(o.merged_into_id, o.id) FROM organization_aliases a JOIN organizations o ON o.id = a.organization_id WHERE a.alias_key = $1 ORDER BY o.placeholder, o.id LIMIT 1")
                    .bind(&key)
                    .fetch_optional(&mut *c)
                    .await?,
            })
        })?;
        match id {
            Some(id) => self.organization(id).await,
            None => Ok(None),
        }
    }
}
