//! Matters (ärenden i gruppen): the duties of a group's charter as records with a
//! kind, a status its kind allows, a source, an owner and a due date.

use chrono::{DateTime, NaiveDate, Utc};
use samordna_domain::matters::{
    fits, ActionStatus, MatterKind, MatterSource, MatterStatus, TEXT_MAX, TITLE_MAX,
};
use serde::Serialize;
use sqlx::Row;

use crate::filter::{bind_all, parse, Bind, Where};
use crate::{
    audit, before_after, in_transaction, with_conn, with_pool, Backend, Store, StoreError,
};

/// What a matter is, as entered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatterFields {
    pub organization_id: i64,
    pub kind: MatterKind,
    pub title: String,
    pub description: Option<String>,
    pub source: MatterSource,
    pub owner_person_id: Option<i64>,
    /// A remissvar's national deadline, or any due date.
    pub due_on: Option<NaiveDate>,
}

/// A matter of a group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Matter {
    pub id: i64,
    #[serde(flatten)]
    pub fields: MatterFields,
    pub status: MatterStatus,
    pub owner_name: Option<String>,
    pub row_version: i64,
    pub updated_at: DateTime<Utc>,
}

/// Which matters to list; every field narrows, none lists the region's.
#[derive(Debug, Clone, Default)]
pub struct MatterFilter {
    pub organization_id: Option<i64>,
    pub kind: Option<MatterKind>,
    pub status: Option<MatterStatus>,
    pub owner_person_id: Option<i64>,
    /// Due on or before this date.
    pub due_by: Option<NaiveDate>,
    /// Only matters not yet answered, done or closed.
    pub open_only: bool,
}

const MATTER_COLUMNS: &str = "m.id, m.organization_id, m.kind, m.title, m.description, m.status, m.source, m.owner_person_id, m.due_on, m.row_version, m.updated_at, p.name AS owner_name";

macro_rules! matter {
    ($r:expr) => {
        Matter {
            id: $r.try_get("id")?,
            fields: MatterFields {
                organization_id: $r.try_get("organization_id")?,
                kind: parse($r.try_get("kind")?)?,
                title: $r.try_get("title")?,
                description: $r.try_get("description")?,
                source: parse($r.try_get("source")?)?,
                owner_person_id: $r.try_get("owner_person_id")?,
                due_on: $r.try_get("due_on")?,
            },
            status: parse($r.try_get("status")?)?,
            owner_name: $r.try_get("owner_name")?,
            row_version: $r.try_get("row_version")?,
            updated_at: $r.try_get("updated_at")?,
        }
    };
}

/// The open matter `$f` repeats: of its group and kind with its title (the
/// repeat identity, `matters_open_title`). The same in every other part is that
/// matter; otherwise another matter with its title is open, and `$f` is refused
/// naming it. (A macro: it runs on the connection of either backend.)
macro_rules! repeat_of_matter {
    ($c:expr, $f:expr) => {{
        let f: &MatterFields = $f;
        let (id, description, source, owner, due): (i64, Option<String>, String, Option<i64>, Option<NaiveDate>) =
            sqlx::query_as("SELECT id, description, source, owner_person_id, due_on FROM matters WHERE organization_id = $1 AND kind = $2 AND title = $3 AND status NOT IN ('answered','declined','done','closed')")
                .bind(f.organization_id)
                .bind(f.kind.as_str())
                .bind(&f.title)
                .fetch_one(&mut *$c)
                .await?;
        if description == f.description
            && source == f.source.as_str()
            && owner == f.owner_person_id
            && due == f.due_on
        {
            Ok(id)
        } else {
            Err(StoreError::Conflict(format!(
                "ett öppet gruppärende av samma slag med rubriken \"{}\" finns redan (ärende {id}); ge det nya en annan rubrik eller ändra det som finns",
                f.title
            )))
        }
    }};
}

/// The open action `$f` repeats: of its meeting with its title and owner (the
/// repeat identity, `actions_open_title`). The same due date and matter is that
/// action; otherwise `$f` is refused naming it.
macro_rules! repeat_of_action {
    ($c:expr, $f:expr) => {{
        let f: &ActionFields = $f;
        let (id, due, matter): (i64, Option<NaiveDate>, Option<i64>) =
            sqlx::query_as("SELECT id, due_on, matter_id FROM actions WHERE meeting_id = $1 AND title = $2 AND COALESCE(owner_person_id, 0) = $3 AND status = 'open'")
                .bind(f.meeting_id)
                .bind(&f.title)
                .bind(f.owner_person_id.unwrap_or(0))
                .fetch_one(&mut *$c)
                .await?;
        if due == f.due_on && matter == f.matter_id {
            Ok(id)
        } else {
            Err(StoreError::Conflict(format!(
                "en öppen åtgärd \"{}\" med samma ansvarig finns redan från mötet (åtgärd {id}) med annat datum eller ärende",
                f.title
            )))
        }
    }};
}

impl Store {
    /// Opens a matter in its kind's first status. Errors: [`StoreError::Conflict`]
    /// when the title is empty.
    pub async fn create_matter(&self, f: &MatterFields, actor: &str) -> Result<i64, StoreError> {
        if f.title.trim().is_empty() {
            return Err(StoreError::Conflict("ärendet behöver en rubrik".into()));
        }
        if !fits(&f.title, TITLE_MAX) || !fits(f.description.as_deref().unwrap_or(""), TEXT_MAX) {
            return Err(StoreError::Conflict(
                "rubriken eller beskrivningen är för lång".into(),
            ));
        }
        let status = f.kind.initial();
        let created = in_transaction!(self, |c| {
            let now = Utc::now();
            let inserted: Option<i64> = sqlx::query_scalar("INSERT INTO matters (organization_id, kind, title, description, status, source, owner_person_id, due_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) ON CONFLICT DO NOTHING RETURNING id")
                .bind(f.organization_id)
                .bind(f.kind.as_str())
                .bind(&f.title)
                .bind(&f.description)
                .bind(status.as_str())
                .bind(f.source.as_str())
                .bind(f.owner_person_id)
                .bind(f.due_on)
                .bind(now)
                .fetch_optional(&mut *c)
                .await?;
            // The same open matter again (a form sent twice) is the one there is.
            let Some(id) = inserted else {
                return repeat_of_matter!(c, f);
            };
            audit(
                c,
                actor,
                "matter.created",
                "matter",
                id,
                &f.title,
                before_after((), serde_json::json!({"fields": f, "status": status})),
            )
            .await?;
            Ok(id)
        });
        match created {
            // The same matter sent twice at once: the other one is open.
            Err(e) if e.is_duplicate() => with_conn!(self, |c| repeat_of_matter!(c, f)),
            other => other,
        }
    }

    /// One matter with its owner's name.
    pub async fn matter(&self, id: i64) -> Result<Option<Matter>, StoreError> {
        let sql = format!("SELECT {MATTER_COLUMNS} FROM matters m LEFT JOIN people p ON p.id = m.owner_person_id WHERE m.id = $1");
        with_conn!(self, |c| {
            match sqlx::query(&sql).bind(id).fetch_optional(&mut *c).await? {
                Some(r) => Ok(Some(matter!(r))),
                None => Ok(None),
            }
        })
    }

    /// How many matters the filter lets through.
    pub async fn matter_count(&self, f: &MatterFilter) -> Result<i64, StoreError> {
        let w = matter_where(f);
        let sql = format!("SELECT COUNT(*) FROM matters m{}", w.sql());
        with_conn!(self, |c| {
            let q = bind_all!(sqlx::query_scalar(&sql), &w.binds);
            Ok(q.fetch_one(&mut *c).await?)
        })
    }

    /// A page of matters: the earliest due first (none last), then the newest.
    pub async fn matters(
        &self,
        f: &MatterFilter,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Matter>, StoreError> {
        let w = matter_where(f);
        let n = w.binds.len();
        let sql = format!(
            "SELECT {MATTER_COLUMNS} FROM matters m LEFT JOIN people p ON p.id = m.owner_person_id{} ORDER BY m.due_on IS NULL, m.due_on, m.id DESC LIMIT ${} OFFSET ${}",
            w.sql(),
            n + 1,
            n + 2
        );
        with_conn!(self, |c| {
            let q = bind_all!(sqlx::query(&sql), &w.binds)
                .bind(limit as i64)
                .bind(offset as i64);
            q.fetch_all(&mut *c)
                .await?
                .iter()
                .map(|r| Ok(matter!(r)))
                .collect()
        })
    }

    /// Moves a matter to `to`, if its kind allows it from where it is and nobody
    /// moved it since `row_version`. A repeat of the same move is done.
    pub async fn move_matter(
        &self,
        id: i64,
        row_version: i64,
        to: MatterStatus,
        actor: &str,
    ) -> Result<MatterStatus, StoreError> {
        let m = self
            .matter(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("ärende {id}")))?;
        if m.status == to {
            return Ok(to);
        }
        if !m.fields.kind.may_move(m.status, to) {
            return Err(StoreError::Conflict(format!(
                "ärendet kan inte gå från {} till {}",
                m.status.as_str(),
                to.as_str()
            )));
        }
        in_transaction!(self, |c| {
            let done = sqlx::query("UPDATE matters SET status = $1, row_version = row_version + 1, updated_at = $2 WHERE id = $3 AND row_version = $4 AND status = $5")
                .bind(to.as_str())
                .bind(Utc::now())
                .bind(id)
                .bind(row_version)
                .bind(m.status.as_str())
                .execute(&mut *c)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Stale {
                    what: "ärendet".into(),
                    current_version: m.row_version,
                });
            }
            audit(
                c,
                actor,
                "matter.status",
                "matter",
                id,
                &m.fields.title,
                before_after(m.status.as_str(), to.as_str()),
            )
            .await?;
            Ok(to)
        })
    }
}

/// The filter's conditions; only those asked for.
fn matter_where(f: &MatterFilter) -> Where {
    let mut w = Where::default();
    if let Some(id) = f.organization_id {
        w.add("m.organization_id = ?", Bind::I(id));
    }
    if let Some(k) = f.kind {
        w.add("m.kind = ?", Bind::S(k.as_str()));
    }
    if let Some(s) = f.status {
        w.add("m.status = ?", Bind::S(s.as_str()));
    }
    if let Some(p) = f.owner_person_id {
        w.add("m.owner_person_id = ?", Bind::I(p));
    }
    if let Some(d) = f.due_by {
        w.add("m.due_on <= ?", Bind::D(d));
    }
    if f.open_only {
        w.raw("m.status NOT IN ('answered','declined','done','closed')");
    }
    w
}

/// A follow-up task (åtgärd), as entered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionFields {
    pub organization_id: i64,
    pub title: String,
    pub owner_person_id: Option<i64>,
    pub due_on: Option<NaiveDate>,
    /// The meeting it was agreed at.
    pub meeting_id: Option<i64>,
    pub decision_id: Option<i64>,
    pub matter_id: Option<i64>,
}

/// An action with its status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Action {
    pub id: i64,
    #[serde(flatten)]
    pub fields: ActionFields,
    pub status: ActionStatus,
    pub owner_name: Option<String>,
    pub organization: String,
    pub organization_slug: String,
    pub done_at: Option<DateTime<Utc>>,
    pub row_version: i64,
}

const ACTION_COLUMNS: &str = "x.id, x.organization_id, x.title, x.owner_person_id, x.due_on, x.meeting_id, x.decision_id, x.matter_id, x.status, x.done_at, x.row_version, p.name AS owner_name, o.name AS organization, o.slug AS organization_slug";
const ACTION_FROM: &str = "FROM actions x JOIN organizations o ON o.id = x.organization_id LEFT JOIN people p ON p.id = x.owner_person_id";

macro_rules! action {
    ($r:expr) => {
        Action {
            id: $r.try_get("id")?,
            fields: ActionFields {
                organization_id: $r.try_get("organization_id")?,
                title: $r.try_get("title")?,
                owner_person_id: $r.try_get("owner_person_id")?,
                due_on: $r.try_get("due_on")?,
                meeting_id: $r.try_get("meeting_id")?,
                decision_id: $r.try_get("decision_id")?,
                matter_id: $r.try_get("matter_id")?,
            },
            status: parse($r.try_get("status")?)?,
            owner_name: $r.try_get("owner_name")?,
            organization: $r.try_get("organization")?,
            organization_slug: $r.try_get("organization_slug")?,
            done_at: $r.try_get("done_at")?,
            row_version: $r.try_get("row_version")?,
        }
    };
}

/// Whose actions to list.
#[derive(Debug, Clone, Copy)]
pub enum ActionsOf {
    /// A group's open actions (for "Uppföljning av åtgärder").
    OpenInGroup(i64),
    /// Every action of a group.
    Group(i64),
    /// A person's open actions ("Mina uppgifter").
    OpenOwnedBy(i64),
    /// The actions of a matter.
    Matter(i64),
    /// Open actions with an owner, due before this date (for reminders).
    OverdueOn(chrono::NaiveDate),
}

impl Store {
    /// Records an action. Errors: [`StoreError::Conflict`] for an empty title.
    pub async fn create_action(&self, f: &ActionFields, actor: &str) -> Result<i64, StoreError> {
        if f.title.trim().is_empty() {
            return Err(StoreError::Conflict("åtgärden behöver en rubrik".into()));
        }
        if !fits(&f.title, TITLE_MAX) {
            return Err(StoreError::Conflict("åtgärdens rubrik är för lång".into()));
        }
        let created = in_transaction!(self, |c| {
            let inserted: Option<i64> = sqlx::query_scalar("INSERT INTO actions (organization_id, title, owner_person_id, due_on, meeting_id, decision_id, matter_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING id")
                .bind(f.organization_id)
                .bind(&f.title)
                .bind(f.owner_person_id)
                .bind(f.due_on)
                .bind(f.meeting_id)
                .bind(f.decision_id)
                .bind(f.matter_id)
                .bind(actor)
                .bind(Utc::now())
                .fetch_optional(&mut *c)
                .await?;
            // The same open action of a meeting again (a form sent twice) is the one there is.
            let Some(id) = inserted else {
                return repeat_of_action!(c, f);
            };
            audit(
                c,
                actor,
                "action.created",
                "action",
                id,
                &f.title,
                before_after((), f),
            )
            .await?;
            Ok(id)
        });
        match (created, f.meeting_id) {
            // The same action sent twice at once: the other one is recorded.
            (Err(e), Some(_)) if e.is_duplicate() => {
                with_conn!(self, |c| repeat_of_action!(c, f))
            }
            (other, _) => other,
        }
    }

    /// Actions of a group, a person or a matter: the earliest due first.
    pub async fn actions(&self, of: ActionsOf) -> Result<Vec<Action>, StoreError> {
        let (w, value) = match of {
            ActionsOf::OpenInGroup(id) => {
                ("x.organization_id = $1 AND x.status = 'open'", Bind::I(id))
            }
            ActionsOf::Group(id) => ("x.organization_id = $1", Bind::I(id)),
            ActionsOf::OpenOwnedBy(id) => {
                ("x.owner_person_id = $1 AND x.status = 'open'", Bind::I(id))
            }
            ActionsOf::Matter(id) => ("x.matter_id = $1", Bind::I(id)),
            ActionsOf::OverdueOn(day) => (
                "x.status = 'open' AND x.due_on < $1 AND x.owner_person_id IS NOT NULL",
                Bind::D(day),
            ),
        };
        let sql = format!("SELECT {ACTION_COLUMNS} {ACTION_FROM} WHERE {w} ORDER BY x.due_on IS NULL, x.due_on, x.id");
        with_conn!(self, |c| {
            bind_all!(sqlx::query(&sql), std::slice::from_ref(&value))
                .fetch_all(&mut *c)
                .await?
                .iter()
                .map(|r| Ok(action!(r)))
                .collect()
        })
    }

    pub async fn action(&self, id: i64) -> Result<Option<Action>, StoreError> {
        let sql = format!("SELECT {ACTION_COLUMNS} {ACTION_FROM} WHERE x.id = $1");
        with_conn!(self, |c| {
            match sqlx::query(&sql).bind(id).fetch_optional(&mut *c).await? {
                Some(r) => Ok(Some(action!(r))),
                None => Ok(None),
            }
        })
    }

    /// Ends an open action as done or cancelled: one conditional update; the same
    /// step again is done, a different one after it a conflict.
    pub async fn end_action(
        &self,
        id: i64,
        to: ActionStatus,
        actor: &str,
    ) -> Result<(), StoreError> {
        if to == ActionStatus::Open {
            return Err(StoreError::Conflict("en åtgärd öppnas inte igen".into()));
        }
        let changed = in_transaction!(self, |c| {
            let done = sqlx::query("UPDATE actions SET status = $1, done_at = $2, row_version = row_version + 1 WHERE id = $3 AND status = 'open'")
                .bind(to.as_str())
                .bind(Utc::now())
                .bind(id)
                .execute(&mut *c)
                .await?;
            if done.rows_affected() == 1 {
                audit(
                    c,
                    actor,
                    "action.ended",
                    "action",
                    id,
                    "",
                    before_after("open", to.as_str()),
                )
                .await?;
            }
            Ok(done.rows_affected() == 1)
        })?;
        match (changed, self.action(id).await?) {
            (true, _) => Ok(()),
            (false, None) => Err(StoreError::NotFound(format!("åtgärd {id}"))),
            (false, Some(a)) if a.status == to => Ok(()),
            (false, Some(_)) => Err(StoreError::Conflict("åtgärden är redan avslutad".into())),
        }
    }

    /// The group's agenda template: its own, or the region's standard items.
    pub async fn agenda_template(&self, organization_id: i64) -> Result<Vec<String>, StoreError> {
        let own: Vec<String> = with_conn!(self, |c| {
            Ok::<_, StoreError>(
                sqlx::query_scalar("SELECT title FROM agenda_template_items WHERE organization_id = $1 ORDER BY position")
                    .bind(organization_id)
                    .fetch_all(&mut *c)
                    .await?,
            )
        })?;
        Ok(if own.is_empty() {
            samordna_domain::matters::STANDARD_AGENDA
                .iter()
                .map(|s| s.to_string())
                .collect()
        } else {
            own
        })
    }

    /// Replaces the group's agenda template (empty lines left out).
    pub async fn set_agenda_template(
        &self,
        organization_id: i64,
        items: &[String],
        actor: &str,
    ) -> Result<(), StoreError> {
        let items: Vec<&str> = items
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        in_transaction!(self, |c| {
            // The template is replaced whole: two saves at once, one after the other.
            crate::serialise!(self, c, crate::Serialise::GroupRecords, organization_id);
            sqlx::query("DELETE FROM agenda_template_items WHERE organization_id = $1")
                .bind(organization_id)
                .execute(&mut *c)
                .await?;
            for (i, title) in items.iter().enumerate() {
                sqlx::query("INSERT INTO agenda_template_items (organization_id, position, title) VALUES ($1, $2, $3)")
                    .bind(organization_id)
                    .bind(i as i64 + 1)
                    .bind(*title)
                    .execute(&mut *c)
                    .await?;
            }
            audit(
                c,
                actor,
                "agenda_template.saved",
                "organization",
                organization_id,
                "",
                serde_json::json!({"items": items}),
            )
            .await?;
            Ok(())
        })
    }

    /// Adds the group's template items to a meeting's agenda, after what is there;
    /// items already on it (by title) are not added twice. Returns how many were added.
    pub async fn apply_agenda_template(
        &self,
        meeting_id: i64,
        actor: &str,
    ) -> Result<usize, StoreError> {
        let meeting = self
            .meeting(meeting_id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("möte {meeting_id}")))?;
        let template = self.agenda_template(meeting.fields.organization_id).await?;
        let present: Vec<String> = self
            .agenda(meeting_id)
            .await?
            .into_iter()
            .map(|a| a.title)
            .collect();
        let key = |t: &str| crate::checksum::repeat_key(&[t]);
        let present: Vec<String> = present.iter().map(|t| key(t)).collect();
        let mut added = 0;
        for title in template.iter().filter(|t| !present.contains(&key(t))) {
            match self
                .add_agenda_item(meeting_id, title, None, None, actor)
                .await
            {
                Ok(_) => added += 1,
                // Added by someone else meanwhile (with a presenter, say): it is there.
                Err(StoreError::Conflict(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(added)
    }
}

impl Store {
    /// Says which matter an agenda item concerns (`None`: none), and what was
    /// discussed under it; both show on the matter's history.
    pub async fn set_agenda_item_matter(
        &self,
        item_id: i64,
        matter_id: Option<i64>,
        notes: Option<&str>,
        actor: &str,
    ) -> Result<(), StoreError> {
        in_transaction!(self, |c| {
            let done =
                sqlx::query("UPDATE agenda_items SET matter_id = $1, notes = $2 WHERE id = $3")
                    .bind(matter_id)
                    .bind(notes)
                    .bind(item_id)
                    .execute(&mut *c)
                    .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound(format!("dagordningspunkt {item_id}")));
            }
            audit(
                c,
                actor,
                "agenda_item.matter",
                "agenda_item",
                item_id,
                notes.unwrap_or(""),
                serde_json::json!({"matter_id": matter_id}),
            )
            .await?;
            Ok(())
        })
    }

    /// The agenda items that concerned a matter, with their meetings' start,
    /// oldest first: (meeting id, starts at, item title, notes).
    pub async fn matter_agenda_items(
        &self,
        matter_id: i64,
    ) -> Result<Vec<(i64, DateTime<Utc>, String, Option<String>)>, StoreError> {
        with_conn!(self, |c| {
            sqlx::query("SELECT m.id, m.starts_at, a.title, a.notes FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id WHERE a.matter_id = $1 ORDER BY m.starts_at, a.position")
                .bind(matter_id)
                .fetch_all(&mut *c)
                .await?
                .iter()
                .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
                .collect()
        })
    }
}
