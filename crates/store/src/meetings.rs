//! Meetings, agendas and minutes. Approved minutes are frozen by the database; a
//! correction is a new version, and every version stays readable.

use chrono::{DateTime, Utc};
use samordna_domain::meetings::{MeetingKind, MeetingState, MinutesStatus, MinutesStep};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::{
    audit, before_after, in_transaction, with_conn, with_pool, Backend, Store, StoreError,
};

/// Inserts a meeting with its audit event on the transaction's connection `c`;
/// its id.
macro_rules! insert_meeting {
    ($c:expr, $f:expr, $uid:expr, $actor:expr) => {
        async {
            let (c, f) = ($c, $f);
            let now = Utc::now();
            let id: i64 = sqlx::query_scalar("INSERT INTO meetings (organization_id, kind, starts_at, ends_at, place, digital_link, uid, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id")
                .bind(f.organization_id)
                .bind(f.kind.as_str())
                .bind(f.starts_at)
                .bind(f.ends_at)
                .bind(&f.place)
                .bind(&f.digital_link)
                .bind($uid)
                .bind(now)
                .fetch_one(&mut *c)
                .await?;
            audit(c, $actor, "meeting.created", "meeting", id, &f.starts_at.to_rfc3339(), before_after((), f)).await?;
            Ok::<i64, StoreError>(id)
        }
        .await
    };
}

/// What [`Store::plan_meeting`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Planned {
    /// Planned: the new meeting's id.
    New(i64),
    /// This meeting was there already (every field equal): its id.
    Same(i64),
    /// The group has another meeting at this start and end: its id; nothing written.
    Clash(i64),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeetingFields {
    pub organization_id: i64,
    pub kind: MeetingKind,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: Option<String>,
    pub digital_link: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meeting {
    pub id: i64,
    #[serde(flatten)]
    pub fields: MeetingFields,
    pub state: MeetingState,
    pub cancel_reason: Option<String>,
    /// The calendar UID: the same for the meeting's whole life.
    pub uid: String,
    /// The calendar SEQUENCE: one more for every change.
    pub sequence: i64,
    pub agenda_published: bool,
    pub row_version: i64,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgendaItem {
    pub id: i64,
    pub meeting_id: i64,
    pub position: i64,
    pub title: String,
    pub presenter: Option<String>,
    pub minutes: Option<i64>,
    /// The group matter the item concerns.
    pub matter_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Minutes {
    pub id: i64,
    pub meeting_id: i64,
    pub version: i64,
    pub status: MinutesStatus,
    pub body: String,
    pub return_comment: Option<String>,
    pub correction_reason: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub submitted_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    pub approved_by: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub row_version: i64,
}

const MEETING_COLUMNS: &str = "id, organization_id, kind, starts_at, ends_at, place, digital_link, state, cancel_reason, uid, sequence, agenda_published, row_version, updated_at";
const MINUTES_COLUMNS: &str = "id, meeting_id, version, status, body, return_comment, correction_reason, submitted_at, submitted_by, approved_at, approved_by, published_at, row_version";

macro_rules! meeting {
    ($r:expr) => {
        Meeting {
            id: $r.try_get("id")?,
            fields: MeetingFields {
                organization_id: $r.try_get("organization_id")?,
                kind: $r
                    .try_get::<String, _>("kind")?
                    .parse()
                    .map_err(StoreError::Corrupt)?,
                starts_at: $r.try_get("starts_at")?,
                ends_at: $r.try_get("ends_at")?,
                place: $r.try_get("place")?,
                digital_link: $r.try_get("digital_link")?,
            },
            state: $r
                .try_get::<String, _>("state")?
                .parse()
                .map_err(StoreError::Corrupt)?,
            cancel_reason: $r.try_get("cancel_reason")?,
            uid: $r.try_get("uid")?,
            sequence: $r.try_get("sequence")?,
            agenda_published: $r.try_get("agenda_published")?,
            row_version: $r.try_get("row_version")?,
            updated_at: $r.try_get("updated_at")?,
        }
    };
}

macro_rules! minutes {
    ($r:expr) => {
        Minutes {
            id: $r.try_get("id")?,
            meeting_id: $r.try_get("meeting_id")?,
            version: $r.try_get("version")?,
            status: $r
                .try_get::<String, _>("status")?
                .parse()
                .map_err(StoreError::Corrupt)?,
            body: $r.try_get("body")?,
            return_comment: $r.try_get("return_comment")?,
            correction_reason: $r.try_get("correction_reason")?,
            submitted_at: $r.try_get("submitted_at")?,
            submitted_by: $r.try_get("submitted_by")?,
            approved_at: $r.try_get("approved_at")?,
            approved_by: $r.try_get("approved_by")?,
            published_at: $r.try_get("published_at")?,
            row_version: $r.try_get("row_version")?,
        }
    };
}

fn refused(why: &str) -> StoreError {
    StoreError::Conflict(why.to_string())
}

/// A step that cannot be taken now, with the state the minutes are in.
fn step_refused(why: &str, now: MinutesStatus) -> StoreError {
    StoreError::Conflict(format!("{why}; anteckningarna är nu {}", now.label_sv()))
}

/// Whether `step` by `actor` is what brought the minutes to where they are: a
/// repeat of it is answered as done.
fn already_done(m: &Minutes, step: MinutesStep, comment: Option<&str>, actor: &str) -> bool {
    match step {
        MinutesStep::Submit => {
            m.status == MinutesStatus::Submitted && m.submitted_by.as_deref() == Some(actor)
        }
        MinutesStep::Approve => m.status.is_approved() && m.approved_by.as_deref() == Some(actor),
        MinutesStep::Return => {
            m.status == MinutesStatus::Returned && m.return_comment.as_deref() == comment
        }
        MinutesStep::Publish => m.status == MinutesStatus::Published,
        MinutesStep::Edit => false,
    }
}

fn new_uid(f: &MeetingFields) -> String {
    let seed = format!(
        "{}|{}|{}",
        f.organization_id,
        f.starts_at.to_rfc3339(),
        Utc::now().timestamp_nanos_opt().unwrap_or_default()
    );
    let hex: String = Sha256::digest(seed.as_bytes())
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{hex}@samordna")
}

impl Store {
    /// The meetings of one group (by index), or of all with `None`; by start.
    pub async fn meetings(&self, organization_id: Option<i64>) -> Result<Vec<Meeting>, StoreError> {
        // Two statements, not `$1 IS NULL OR …`: a planner cannot use the index on
        // such an OR, and one group's meetings would cost a read of all.
        let sql = match organization_id {
            Some(_) => format!("SELECT {MEETING_COLUMNS} FROM meetings WHERE organization_id = $1 ORDER BY starts_at, id"),
            None => format!("SELECT {MEETING_COLUMNS} FROM meetings ORDER BY starts_at, id"),
        };
        with_conn!(self, |c| {
            let mut q = sqlx::query(&sql);
            if let Some(id) = organization_id {
                q = q.bind(id);
            }
            let rows = q.fetch_all(&mut *c).await?;
            rows.iter().map(|r| Ok(meeting!(r))).collect()
        })
    }

    /// The meetings of the groups with ids from `first` to `last`, by start.
    pub async fn meetings_between(
        &self,
        first: i64,
        last: i64,
    ) -> Result<Vec<Meeting>, StoreError> {
        let sql = format!("SELECT {MEETING_COLUMNS} FROM meetings WHERE organization_id >= $1 AND organization_id <= $2 ORDER BY starts_at, id");
        with_conn!(self, |c| {
            let rows = sqlx::query(&sql)
                .bind(first)
                .bind(last)
                .fetch_all(&mut *c)
                .await?;
            rows.iter().map(|r| Ok(meeting!(r))).collect()
        })
    }

    pub async fn meeting(&self, id: i64) -> Result<Option<Meeting>, StoreError> {
        let sql = format!("SELECT {MEETING_COLUMNS} FROM meetings WHERE id = $1");
        with_conn!(self, |c| {
            sqlx::query(&sql)
                .bind(id)
                .fetch_optional(&mut *c)
                .await?
                .map(|r| Ok(meeting!(r)))
                .transpose()
        })
    }

    pub async fn create_meeting(&self, f: &MeetingFields, actor: &str) -> Result<i64, StoreError> {
        let uid = new_uid(f);
        in_transaction!(self, |c| insert_meeting!(c, f, &uid, actor))
    }

    /// Plans a meeting unless the group already has one at that time: the same
    /// meeting again (every field equal: a double click, a form or API call sent
    /// twice) is [`Planned::Same`], another one at the same start and end is
    /// [`Planned::Clash`] and nothing is written. Of two requests at once one
    /// plans and the other sees it: the group's plans are serialised (PostgreSQL:
    /// an advisory lock on the group for the transaction; SQLite: the write lock,
    /// taken before the check).
    pub async fn plan_meeting(
        &self,
        f: &MeetingFields,
        actor: &str,
    ) -> Result<Planned, StoreError> {
        let uid = new_uid(f);
        in_transaction!(self, |c| {
            crate::serialise!(self, c, crate::Serialise::GroupMeetings, f.organization_id);
            let rows = sqlx::query("SELECT id, kind, place, digital_link FROM meetings WHERE organization_id = $1 AND starts_at = $2 AND ends_at = $3 AND state <> 'cancelled' ORDER BY id")
                .bind(f.organization_id)
                .bind(f.starts_at)
                .bind(f.ends_at)
                .fetch_all(&mut *c)
                .await?;
            for r in &rows {
                let same = r.try_get::<String, _>("kind")? == f.kind.as_str()
                    && r.try_get::<Option<String>, _>("place")? == f.place
                    && r.try_get::<Option<String>, _>("digital_link")? == f.digital_link;
                if same {
                    return Ok(Planned::Same(r.try_get("id")?));
                }
            }
            if let Some(r) = rows.first() {
                return Ok(Planned::Clash(r.try_get("id")?));
            }
            let id = insert_meeting!(c, f, &uid, actor)?;
            Ok(Planned::New(id))
        })
    }

    pub async fn update_meeting(
        &self,
        id: i64,
        expected_version: i64,
        f: &MeetingFields,
        actor: &str,
    ) -> Result<(), StoreError> {
        let before = self
            .meeting(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("möte {id}")))?;
        in_transaction!(self, |c| {
            let done = sqlx::query("UPDATE meetings SET kind = $1, starts_at = $2, ends_at = $3, place = $4, digital_link = $5, sequence = sequence + 1, row_version = row_version + 1, updated_at = $6 WHERE id = $7 AND row_version = $8")
                .bind(f.kind.as_str())
                .bind(f.starts_at)
                .bind(f.ends_at)
                .bind(&f.place)
                .bind(&f.digital_link)
                .bind(Utc::now())
                .bind(id)
                .bind(expected_version)
                .execute(&mut *c)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Stale {
                    what: "mötet".into(),
                    current_version: before.row_version,
                });
            }
            audit(
                c,
                actor,
                "meeting.updated",
                "meeting",
                id,
                "",
                before_after(&before.fields, f),
            )
            .await?;
            Ok(())
        })
    }

    /// Cancels a meeting; it stays, with its reason, and calendars are told.
    pub async fn cancel_meeting(
        &self,
        id: i64,
        reason: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        in_transaction!(self, |c| {
            // A meeting that has begun and has minutes or decisions took
            // place: its record is not turned into a cancelled meeting (the
            // public record would read "cancelled" above its published minutes).
            let done = sqlx::query("UPDATE meetings SET state = 'cancelled', cancel_reason = $1, sequence = sequence + 1, row_version = row_version + 1, updated_at = $2 WHERE id = $3 AND state <> 'cancelled' AND NOT (starts_at <= $2 AND (EXISTS (SELECT 1 FROM minutes WHERE meeting_id = $3) OR EXISTS (SELECT 1 FROM decisions WHERE meeting_id = $3)))")
                .bind(reason)
                .bind(Utc::now())
                .bind(id)
                .execute(&mut *c)
                .await?;
            if done.rows_affected() == 0 {
                // Already cancelled (a double click): done. Held: refused.
                // Else it does not exist.
                let state: Option<String> =
                    sqlx::query_scalar("SELECT state FROM meetings WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&mut *c)
                        .await?;
                return match state.as_deref() {
                    Some("cancelled") => Ok(()),
                    Some(_) => Err(StoreError::Conflict(
                        "mötet har anteckningar eller beslut: det har hållits och ställs inte in"
                            .into(),
                    )),
                    None => Err(StoreError::NotFound(format!("möte {id}"))),
                };
            }
            audit(
                c,
                actor,
                "meeting.cancelled",
                "meeting",
                id,
                reason,
                before_after(
                    serde_json::json!({"state": "planned"}),
                    serde_json::json!({"state": "cancelled", "reason": reason}),
                ),
            )
            .await?;
            Ok(())
        })
    }

    pub async fn agenda(&self, meeting_id: i64) -> Result<Vec<AgendaItem>, StoreError> {
        with_conn!(self, |c| {
            let rows = sqlx::query("SELECT id, meeting_id, position, title, presenter, minutes, matter_id FROM agenda_items WHERE meeting_id = $1 ORDER BY position")
                .bind(meeting_id)
                .fetch_all(&mut *c)
                .await?;
            rows.iter()
                .map(|r| {
                    Ok(AgendaItem {
                        id: r.try_get("id")?,
                        meeting_id: r.try_get("meeting_id")?,
                        position: r.try_get("position")?,
                        title: r.try_get("title")?,
                        presenter: r.try_get("presenter")?,
                        minutes: r.try_get("minutes")?,
                        matter_id: r.try_get("matter_id")?,
                    })
                })
                .collect()
        })
    }

    pub async fn add_agenda_item(
        &self,
        meeting_id: i64,
        title: &str,
        presenter: Option<&str>,
        minutes: Option<i64>,
        actor: &str,
    ) -> Result<i64, StoreError> {
        let key = crate::checksum::repeat_key(&[title]);
        in_transaction!(self, |c| {
            crate::serialise!(self, c, crate::Serialise::MeetingAgenda, meeting_id);
            // An item of the agenda is its title: the same again (a form sent
            // twice) is that item; another with its title is refused.
            let there: Option<(i64, i64, Option<String>, Option<i64>)> = sqlx::query_as("SELECT id, position, presenter, minutes FROM agenda_items WHERE meeting_id = $1 AND repeat_key = $2")
                .bind(meeting_id)
                .bind(&key)
                .fetch_optional(&mut *c)
                .await?;
            if let Some((id, position, p, m)) = there {
                return if p.as_deref() == presenter && m == minutes {
                    Ok(id)
                } else {
                    Err(StoreError::Conflict(format!(
                        "punkten \"{title}\" finns redan på dagordningen (§ {position}); ändra den eller ge den nya en annan rubrik"
                    )))
                };
            }
            let next: i64 = sqlx::query_scalar(
                "SELECT COALESCE(MAX(position), 0) + 1 FROM agenda_items WHERE meeting_id = $1",
            )
            .bind(meeting_id)
            .fetch_one(&mut *c)
            .await?;
            let id: i64 = sqlx::query_scalar("INSERT INTO agenda_items (meeting_id, position, title, presenter, minutes, created_at, repeat_key) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
                .bind(meeting_id)
                .bind(next)
                .bind(title)
                .bind(presenter)
                .bind(minutes)
                .bind(Utc::now())
                .bind(&key)
                .fetch_one(&mut *c)
                .await?;
            audit(c, actor, "agenda_item.created", "meeting", meeting_id, title, before_after((), serde_json::json!({"position": next, "title": title, "presenter": presenter, "minutes": minutes}))).await?;
            Ok(id)
        })
    }

    /// Publishes the agenda to the group's members.
    pub async fn publish_agenda(&self, meeting_id: i64, actor: &str) -> Result<(), StoreError> {
        in_transaction!(self, |c| {
            // One conditional update: publishing twice (a double click, two
            // coordinators) publishes once, with one event and one invitation.
            let done = sqlx::query("UPDATE meetings SET agenda_published = TRUE, sequence = sequence + 1, row_version = row_version + 1, updated_at = $1 WHERE id = $2 AND agenda_published = FALSE")
                .bind(Utc::now())
                .bind(meeting_id)
                .execute(&mut *c)
                .await?;
            if done.rows_affected() == 0 {
                let exists: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM meetings WHERE id = $1")
                        .bind(meeting_id)
                        .fetch_optional(&mut *c)
                        .await?;
                return match exists {
                    Some(_) => Ok(()),
                    None => Err(StoreError::NotFound(format!("möte {meeting_id}"))),
                };
            }
            let payload = serde_json::json!({"meeting_id": meeting_id});
            crate::jobs::enqueue_in!(
                c,
                "mail.agenda_published",
                payload,
                Some(format!("agenda:{meeting_id}"))
            )?;
            audit(
                c,
                actor,
                "agenda.published",
                "meeting",
                meeting_id,
                "",
                before_after(false, true),
            )
            .await?;
            Ok(())
        })
    }

    /// Every version of a meeting's minutes, oldest first.
    pub async fn minutes(&self, meeting_id: i64) -> Result<Vec<Minutes>, StoreError> {
        let sql =
            format!("SELECT {MINUTES_COLUMNS} FROM minutes WHERE meeting_id = $1 ORDER BY version");
        with_conn!(self, |c| {
            let rows = sqlx::query(&sql)
                .bind(meeting_id)
                .fetch_all(&mut *c)
                .await?;
            rows.iter().map(|r| Ok(minutes!(r))).collect()
        })
    }

    /// The status of the latest minutes version of each of a group's meetings that
    /// has minutes, in one query: (meeting id, status).
    pub async fn latest_minutes_status(
        &self,
        organization_id: i64,
    ) -> Result<Vec<(i64, MinutesStatus)>, StoreError> {
        with_conn!(self, |c| {
            let rows = sqlx::query(
                "SELECT n.meeting_id, n.status FROM minutes n JOIN meetings m ON m.id = n.meeting_id \
                 WHERE m.organization_id = $1 \
                 AND n.version = (SELECT MAX(x.version) FROM minutes x WHERE x.meeting_id = n.meeting_id)",
            )
            .bind(organization_id)
            .fetch_all(&mut *c)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok((
                        r.try_get("meeting_id")?,
                        r.try_get::<String, _>("status")?
                            .parse()
                            .map_err(StoreError::Corrupt)?,
                    ))
                })
                .collect()
        })
    }

    /// Published minutes of a group (or all), newest first.
    pub async fn published_minutes(
        &self,
        organization_id: Option<i64>,
    ) -> Result<Vec<(Meeting, Minutes)>, StoreError> {
        // Two reads, not one per meeting: the meetings, and the published minutes
        // of the same meetings.
        let meetings = self.meetings(organization_id).await?;
        let cols: Vec<String> = MINUTES_COLUMNS
            .split(", ")
            .map(|c| format!("mi.{c}"))
            .collect();
        let sql = match organization_id {
            Some(_) => format!("SELECT {} FROM minutes mi JOIN meetings m ON m.id = mi.meeting_id WHERE m.organization_id = $1 AND mi.status = 'published'", cols.join(", ")),
            None => format!("SELECT {} FROM minutes mi WHERE mi.status = 'published'", cols.join(", ")),
        };
        let published: Vec<Minutes> = with_conn!(self, |c| {
            let mut q = sqlx::query(&sql);
            if let Some(id) = organization_id {
                q = q.bind(id);
            }
            let rows = q.fetch_all(&mut *c).await?;
            rows.iter()
                .map(|r| Ok(minutes!(r)))
                .collect::<Result<Vec<_>, StoreError>>()
        })?;
        let mut out: Vec<(Meeting, Minutes)> = published
            .into_iter()
            .filter_map(|v| {
                let m = meetings.iter().find(|m| m.id == v.meeting_id)?;
                Some((m.clone(), v))
            })
            .collect();
        out.sort_by_key(|(m, v)| (std::cmp::Reverse(v.published_at), m.id, v.version));
        Ok(out)
    }

    /// Saves the draft: creates version 1, or changes the current draft or returned version.
    pub async fn save_minutes(
        &self,
        meeting_id: i64,
        body: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        let versions = self.minutes(meeting_id).await?;
        let current = versions.last().cloned();
        in_transaction!(self, |c| {
            match &current {
                None => {
                    let inserted: Option<i64> = sqlx::query_scalar("INSERT INTO minutes (meeting_id, version, status, body, created_at) VALUES ($1, 1, 'draft', $2, $3) ON CONFLICT DO NOTHING RETURNING id")
                        .bind(meeting_id)
                        .bind(body)
                        .bind(Utc::now())
                        .fetch_optional(&mut *c)
                        .await?;
                    // Begun by someone else at the same moment: the same text
                    // (a form sent twice) is saved; another text is theirs.
                    let Some(id) = inserted else {
                        let theirs: String = sqlx::query_scalar(
                            "SELECT body FROM minutes WHERE meeting_id = $1 AND version = 1",
                        )
                        .bind(meeting_id)
                        .fetch_one(&mut *c)
                        .await?;
                        return if theirs == body {
                            Ok(())
                        } else {
                            Err(refused(
                                "anteckningarna ändrades medan du sparade; ladda om sidan",
                            ))
                        };
                    };
                    audit(
                        c,
                        actor,
                        "minutes.drafted",
                        "minutes",
                        id,
                        "version 1",
                        before_after((), serde_json::json!({"body": body})),
                    )
                    .await?;
                }
                Some(m) => {
                    m.status.after(MinutesStep::Edit, false).map_err(refused)?;
                    // Conditional on the state and version read: a save racing a
                    // submit never changes submitted minutes.
                    let done = sqlx::query(
                        "UPDATE minutes SET body = $1, row_version = row_version + 1 WHERE id = $2 AND row_version = $3 AND status IN ('draft', 'returned')",
                    )
                    .bind(body)
                    .bind(m.id)
                    .bind(m.row_version)
                    .execute(&mut *c)
                    .await?;
                    if done.rows_affected() == 0 {
                        // The same text saved a moment ago (a form sent twice)
                        // is saved; another change in between is someone else's.
                        let now: Option<String> = sqlx::query_scalar(
                            "SELECT body FROM minutes WHERE id = $1 AND status IN ('draft', 'returned')",
                        )
                        .bind(m.id)
                        .fetch_optional(&mut *c)
                        .await?;
                        return if now.as_deref() == Some(body) {
                            Ok(())
                        } else {
                            Err(refused(
                                "anteckningarna ändrades medan du sparade; ladda om sidan",
                            ))
                        };
                    }
                    audit(
                        c,
                        actor,
                        "minutes.edited",
                        "minutes",
                        m.id,
                        &format!("version {}", m.version),
                        before_after(
                            serde_json::json!({"body": m.body}),
                            serde_json::json!({"body": body}),
                        ),
                    )
                    .await?;
                }
            }
            Ok(())
        })
    }

    /// Takes a step with the current version: submit, approve, return, publish.
    ///
    /// The step is one conditional update on (id, status, row_version), so of two
    /// people acting at once one succeeds and the other gets [`StoreError::Conflict`]
    /// naming the state the minutes are in now. A repeat of the step that already
    /// took effect by the same person (a double click) is answered as done: the
    /// status it reached, with no second audit event or mail job.
    pub async fn minutes_step(
        &self,
        meeting_id: i64,
        step: MinutesStep,
        comment: Option<&str>,
        actor: &str,
    ) -> Result<MinutesStatus, StoreError> {
        self.minutes_step_at(meeting_id, step, comment, actor, Utc::now())
            .await
    }

    /// [`Store::minutes_step`] as of `now` (the demo and imports of earlier minutes
    /// record when a step really happened).
    pub async fn minutes_step_at(
        &self,
        meeting_id: i64,
        step: MinutesStep,
        comment: Option<&str>,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<MinutesStatus, StoreError> {
        let meeting = self
            .meeting(meeting_id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("möte {meeting_id}")))?;
        // Minutes are of a meeting that has begun: they may be drafted and sent
        // to the chair before, but they are approved and published after.
        if meeting.fields.starts_at > now
            && matches!(step, MinutesStep::Approve | MinutesStep::Publish)
        {
            return Err(refused(
                "mötet har inte hållits än; anteckningarna justeras och publiceras efter mötet",
            ));
        }
        let separately: bool = with_conn!(self, |c| {
            Ok::<bool, StoreError>(
                sqlx::query_scalar(
                    "SELECT publish_minutes_separately FROM organizations WHERE id = $1",
                )
                .bind(meeting.fields.organization_id)
                .fetch_one(&mut *c)
                .await?,
            )
        })?;
        let current = self
            .minutes(meeting_id)
            .await?
            .pop()
            .ok_or_else(|| refused("mötet har inga anteckningar ännu"))?;
        let next = match current.status.after(step, separately) {
            Ok(next) => next,
            Err(_) if already_done(&current, step, comment, actor) => return Ok(current.status),
            Err(why) => return Err(step_refused(why, current.status)),
        };
        // Approval makes the meeting's decisions public records: the bodies the
        // group's charter names are told of each, in the same transaction.
        let inform: Vec<i64> = if next.is_approved() {
            self.bodies_to_inform(meeting.fields.organization_id)
                .await?
                .into_iter()
                .filter_map(|(_, o)| o.map(|o| o.id))
                .collect()
        } else {
            Vec::new()
        };
        let result = in_transaction!(self, |c| {
            let sql = match step {
                MinutesStep::Submit => "UPDATE minutes SET status = $1, submitted_at = $2, submitted_by = $3, return_comment = NULL, row_version = row_version + 1 WHERE id = $4 AND row_version = $5 AND status = $6",
                MinutesStep::Approve if next == MinutesStatus::Published => "UPDATE minutes SET status = $1, approved_at = $2, approved_by = $3, published_at = $2, row_version = row_version + 1 WHERE id = $4 AND row_version = $5 AND status = $6",
                MinutesStep::Approve => "UPDATE minutes SET status = $1, approved_at = $2, approved_by = $3, row_version = row_version + 1 WHERE id = $4 AND row_version = $5 AND status = $6",
                MinutesStep::Publish => "UPDATE minutes SET status = $1, published_at = $2, return_comment = COALESCE(return_comment, $3), row_version = row_version + 1 WHERE id = $4 AND row_version = $5 AND status = $6",
                MinutesStep::Return => "UPDATE minutes SET status = $1, return_comment = $3, submitted_at = COALESCE(submitted_at, $2), row_version = row_version + 1 WHERE id = $4 AND row_version = $5 AND status = $6",
                MinutesStep::Edit => return Err(refused("redigering sparas med save_minutes")),
            };
            let third: Option<String> = match step {
                MinutesStep::Return => Some(comment.unwrap_or("").to_string()),
                MinutesStep::Publish => None,
                _ => Some(actor.to_string()),
            };
            let done = sqlx::query(sql)
                .bind(next.as_str())
                .bind(now)
                .bind(third)
                .bind(current.id)
                .bind(current.row_version)
                .bind(current.status.as_str())
                .execute(&mut *c)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Stale {
                    what: "anteckningarna".into(),
                    current_version: current.row_version,
                });
            }
            if next.is_approved() && !inform.is_empty() {
                let decisions: Vec<i64> =
                    sqlx::query_scalar("SELECT id FROM decisions WHERE meeting_id = $1")
                        .bind(meeting_id)
                        .fetch_all(&mut *c)
                        .await?;
                for d in &decisions {
                    for o in &inform {
                        sqlx::query("INSERT INTO decision_notifications (decision_id, organization_id, queued_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                            .bind(d)
                            .bind(o)
                            .bind(now)
                            .execute(&mut *c)
                            .await?;
                        let payload = serde_json::json!({"meeting_id": meeting_id, "decision_id": d, "organization_id": o});
                        crate::jobs::enqueue_in!(
                            c,
                            "mail.decision_notice",
                            payload,
                            Some(format!("decision_notice:{d}:{o}"))
                        )?;
                    }
                }
            }
            if next == MinutesStatus::Submitted {
                let payload =
                    serde_json::json!({"meeting_id": meeting_id, "minutes_id": current.id});
                let key = format!("minutes_submitted:{}:{}", current.id, current.row_version);
                crate::jobs::enqueue_in!(c, "mail.minutes_submitted", payload, Some(key))?;
            }
            let action = format!("minutes.{}", next.as_str());
            audit(
                c,
                actor,
                &action,
                "minutes",
                current.id,
                comment.unwrap_or(""),
                before_after(current.status.as_str(), next.as_str()),
            )
            .await?;
            Ok(next)
        });
        match result {
            // Someone else took a step first: the same step by the same person is
            // done; anything else is a conflict that names the state now.
            Err(StoreError::Stale { .. }) => {
                let now_current = self
                    .minutes(meeting_id)
                    .await?
                    .pop()
                    .ok_or_else(|| refused("mötet har inga anteckningar ännu"))?;
                if already_done(&now_current, step, comment, actor) {
                    Ok(now_current.status)
                } else {
                    Err(step_refused("någon annan hann före", now_current.status))
                }
            }
            other => other,
        }
    }

    /// A correction of approved minutes: a new draft version with the reason; the
    /// approved version stays as it was.
    pub async fn correct_minutes(
        &self,
        meeting_id: i64,
        body: &str,
        reason: &str,
        actor: &str,
    ) -> Result<i64, StoreError> {
        let current = self
            .minutes(meeting_id)
            .await?
            .pop()
            .ok_or_else(|| refused("mötet har inga anteckningar ännu"))?;
        // The same correction again (a form sent twice) is the version it made.
        if current.version > 1
            && current.correction_reason.as_deref() == Some(reason)
            && current.body == body
            && !current.status.is_approved()
        {
            return Ok(current.id);
        }
        if !current.status.is_approved() {
            return Err(refused(
                "bara justerade anteckningar rättas med en ny version; ändra utkastet i stället",
            ));
        }
        if reason.trim().is_empty() {
            return Err(refused("en rättelse behöver ett skäl"));
        }
        in_transaction!(self, |c| {
            let version = current.version + 1;
            let inserted: Option<i64> = sqlx::query_scalar("INSERT INTO minutes (meeting_id, version, status, body, correction_reason, created_at) VALUES ($1, $2, 'draft', $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id")
                .bind(meeting_id)
                .bind(version)
                .bind(body)
                .bind(reason)
                .bind(Utc::now())
                .fetch_optional(&mut *c)
                .await?;
            // Corrected by someone at the same moment: the same correction is
            // that version; another is theirs, and this one is not made.
            let Some(id) = inserted else {
                let (id, theirs, why): (i64, String, Option<String>) = sqlx::query_as(
                    "SELECT id, body, correction_reason FROM minutes WHERE meeting_id = $1 AND version = $2",
                )
                .bind(meeting_id)
                .bind(version)
                .fetch_one(&mut *c)
                .await?;
                return if theirs == body && why.as_deref() == Some(reason) {
                    Ok(id)
                } else {
                    Err(refused(
                        "någon annan rättade anteckningarna samtidigt; läs den nya versionen",
                    ))
                };
            };
            audit(
                c,
                actor,
                "minutes.corrected",
                "minutes",
                id,
                reason,
                before_after(
                    serde_json::json!({"version": current.version}),
                    serde_json::json!({"version": version, "reason": reason}),
                ),
            )
            .await?;
            Ok(id)
        })
    }
}

/// One attendee of a meeting.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attendee {
    /// A person in the register (members), or none (substitutes and guests by name).
    pub person_id: Option<i64>,
    pub name: String,
    /// `member`, `substitute` or `guest`.
    pub kind: String,
}

impl Store {
    pub async fn attendance(&self, meeting_id: i64) -> Result<Vec<Attendee>, StoreError> {
        with_conn!(self, |c| {
            let rows = sqlx::query("SELECT person_id, name, kind FROM attendance WHERE meeting_id = $1 ORDER BY kind, name")
                .bind(meeting_id)
                .fetch_all(&mut *c)
                .await?;
            rows.iter()
                .map(|r| {
                    Ok(Attendee {
                        person_id: r.try_get("person_id")?,
                        name: r.try_get("name")?,
                        kind: r.try_get("kind")?,
                    })
                })
                .collect()
        })
    }

    /// Records who attended, replacing what was recorded before.
    pub async fn set_attendance(
        &self,
        meeting_id: i64,
        attendees: &[Attendee],
        actor: &str,
    ) -> Result<(), StoreError> {
        let before = self.attendance(meeting_id).await?;
        in_transaction!(self, |c| {
            // The list is replaced whole: two saves at once, one after the other.
            crate::serialise!(self, c, crate::Serialise::MeetingAttendance, meeting_id);
            sqlx::query("DELETE FROM attendance WHERE meeting_id = $1")
                .bind(meeting_id)
                .execute(&mut *c)
                .await?;
            let now = Utc::now();
            for a in attendees {
                if !["member", "substitute", "guest"].contains(&a.kind.as_str())
                    || a.name.trim().is_empty()
                {
                    return Err(StoreError::Conflict(format!(
                        "ogiltig närvaro: {} ({})",
                        a.name, a.kind
                    )));
                }
                sqlx::query("INSERT INTO attendance (meeting_id, person_id, name, kind, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING")
                    .bind(meeting_id)
                    .bind(a.person_id)
                    .bind(a.name.trim())
                    .bind(&a.kind)
                    .bind(now)
                    .execute(&mut *c)
                    .await?;
            }
            audit(
                c,
                actor,
                "meeting.attendance_recorded",
                "meeting",
                meeting_id,
                &format!("{} närvarande", attendees.len()),
                before_after(&before, attendees),
            )
            .await?;
            Ok(())
        })
    }
}

/// A file attached to an agenda item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attachment {
    pub id: i64,
    pub agenda_item_id: i64,
    pub meeting_id: i64,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
}

const ATTACHMENT_SELECT: &str = "SELECT a.id, a.agenda_item_id, i.meeting_id, a.filename, a.content_type, a.size, a.sha256 FROM attachments a JOIN agenda_items i ON i.id = a.agenda_item_id";

macro_rules! attachment {
    ($r:expr) => {
        Attachment {
            id: $r.try_get("id")?,
            agenda_item_id: $r.try_get("agenda_item_id")?,
            meeting_id: $r.try_get("meeting_id")?,
            filename: $r.try_get("filename")?,
            content_type: $r.try_get("content_type")?,
            size: $r.try_get("size")?,
            sha256: $r.try_get("sha256")?,
        }
    };
}

impl Store {
    /// Stores a file for an agenda item with its SHA-256.
    pub async fn add_attachment(
        &self,
        agenda_item_id: i64,
        filename: &str,
        content_type: &str,
        data: &[u8],
        actor: &str,
    ) -> Result<i64, StoreError> {
        let sha = crate::checksum::sha256_hex_bytes(data);
        in_transaction!(self, |c| {
            // An attachment is its item, its name and its bytes: the same file
            // again (a form sent twice) is the one there is.
            let key = crate::checksum::repeat_key(&[filename, &sha]);
            let inserted: Option<i64> = sqlx::query_scalar("INSERT INTO attachments (agenda_item_id, filename, content_type, size, sha256, data, created_at, repeat_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id")
                .bind(agenda_item_id)
                .bind(filename)
                .bind(content_type)
                .bind(data.len() as i64)
                .bind(&sha)
                .bind(data)
                .bind(Utc::now())
                .bind(&key)
                .fetch_optional(&mut *c)
                .await?;
            let Some(id) = inserted else {
                return Ok(sqlx::query_scalar(
                    "SELECT id FROM attachments WHERE agenda_item_id = $1 AND repeat_key = $2",
                )
                .bind(agenda_item_id)
                .bind(&key)
                .fetch_one(&mut *c)
                .await?);
            };
            audit(c, actor, "attachment.added", "agenda_item", agenda_item_id, filename, before_after((), serde_json::json!({"filename": filename, "content_type": content_type, "size": data.len(), "sha256": sha}))).await?;
            Ok(id)
        })
    }

    pub async fn attachments(&self, meeting_id: i64) -> Result<Vec<Attachment>, StoreError> {
        let sql = format!("{ATTACHMENT_SELECT} WHERE i.meeting_id = $1 ORDER BY i.position, a.id");
        with_conn!(self, |c| {
            let rows = sqlx::query(&sql)
                .bind(meeting_id)
                .fetch_all(&mut *c)
                .await?;
            rows.iter().map(|r| Ok(attachment!(r))).collect()
        })
    }

    /// An attachment and its bytes.
    pub async fn attachment(&self, id: i64) -> Result<Option<(Attachment, Vec<u8>)>, StoreError> {
        let sql = format!("SELECT a.data, x.* FROM ({ATTACHMENT_SELECT} WHERE a.id = $1) x JOIN attachments a ON a.id = x.id");
        with_conn!(self, |c| {
            sqlx::query(&sql)
                .bind(id)
                .fetch_optional(&mut *c)
                .await?
                .map(|r| Ok((attachment!(r), r.try_get::<Vec<u8>, _>("data")?)))
                .transpose()
        })
    }
}
