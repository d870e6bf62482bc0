//! People, administrations and memberships: the editable records, each with a
//! `row_version` for optimistic locking, each write one transaction and one audit
//! event with its before and after.

use chrono::{NaiveDate, Utc};
use samordna_domain::collation;
use samordna_domain::names::slugify;
use samordna_domain::policy::MembershipRole;
use serde::Serialize;
use sqlx::Row;

use crate::{
    audit, before_after, in_transaction, with_conn, with_pool, Backend, Store, StoreError,
};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Administration {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub short_name: Option<String>,
    pub row_version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct PersonFields {
    pub name: String,
    pub title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub administration_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Person {
    pub id: i64,
    #[serde(flatten)]
    pub fields: PersonFields,
    pub row_version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MembershipFields {
    pub person_id: i64,
    pub organization_id: i64,
    pub role: MembershipRole,
    pub on_behalf_of_id: Option<i64>,
    pub voting_right: bool,
    pub appointed_by: Option<String>,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Membership {
    pub id: i64,
    #[serde(flatten)]
    pub fields: MembershipFields,
    pub row_version: i64,
    pub person_name: String,
    pub on_behalf_of_name: Option<String>,
    /// The administration the person works in (not part of the membership's record).
    #[serde(skip)]
    pub person_administration_name: Option<String>,
}

impl Membership {
    /// Current on `day`: started and not ended.
    pub fn is_current(&self, day: NaiveDate) -> bool {
        self.fields.start_date <= day && self.fields.end_date.is_none_or(|e| e >= day)
    }
}

macro_rules! administration {
    ($r:expr) => {
        Administration {
            id: $r.try_get("id")?,
            slug: $r.try_get("slug")?,
            name: $r.try_get("name")?,
            short_name: $r.try_get("short_name")?,
            row_version: $r.try_get("row_version")?,
        }
    };
}

macro_rules! person {
    ($r:expr) => {
        Person {
            id: $r.try_get("id")?,
            fields: PersonFields {
                name: $r.try_get("name")?,
                title: $r.try_get("title")?,
                email: $r.try_get("email")?,
                phone: $r.try_get("phone")?,
                administration_id: $r.try_get("administration_id")?,
            },
            row_version: $r.try_get("row_version")?,
        }
    };
}

macro_rules! membership {
    ($r:expr) => {
        Membership {
            id: $r.try_get("id")?,
            fields: MembershipFields {
                person_id: $r.try_get("person_id")?,
                organization_id: $r.try_get("organization_id")?,
                role: $r
                    .try_get::<String, _>("role")?
                    .parse()
                    .map_err(StoreError::Corrupt)?,
                on_behalf_of_id: $r.try_get("on_behalf_of_id")?,
                voting_right: $r.try_get("voting_right")?,
                appointed_by: $r.try_get("appointed_by")?,
                start_date: $r.try_get("start_date")?,
                end_date: $r.try_get("end_date")?,
            },
            row_version: $r.try_get("row_version")?,
            person_name: $r.try_get("person_name")?,
            on_behalf_of_name: $r.try_get("on_behalf_of_name")?,
            person_administration_name: $r.try_get("person_administration_name")?,
        }
    };
}

const MEMBERSHIP_SELECT: &str = "SELECT m.id, m.person_id, m.organization_id, m.role, m.on_behalf_of_id, m.voting_right, m.appointed_by, m.start_date, m.end_date, m.row_version, p.name AS person_name, a.name AS on_behalf_of_name, pa.name AS person_administration_name FROM memberships m JOIN people p ON p.id = m.person_id LEFT JOIN administrations a ON a.id = m.on_behalf_of_id LEFT JOIN administrations pa ON pa.id = p.administration_id";

fn stale(what: &str, current: i64) -> StoreError {
    StoreError::Stale {
        what: what.to_string(),
        current_version: current,
    }
}

impl Store {
    /// Every administration, in Swedish order of name.
    pub async fn administrations(&self) -> Result<Vec<Administration>, StoreError> {
        let mut out: Vec<Administration> = with_conn!(self, |c| {
            let rows = sqlx::query(
                "SELECT id, slug, name, short_name, row_version FROM administrations ORDER BY name",
            )
            .fetch_all(&mut *c)
            .await?;
            rows.iter()
                .map(|r| Ok(administration!(r)))
                .collect::<Result<Vec<_>, StoreError>>()
        })?;
        collation::sort_by(&mut out, |a| &a.name);
        Ok(out)
    }

    pub async fn create_administration(
        &self,
        name: &str,
        short_name: Option<&str>,
        actor: &str,
    ) -> Result<i64, StoreError> {
        let name = name.trim();
        in_transaction!(self, |c| {
            let inserted: Option<i64> = sqlx::query_scalar("INSERT INTO administrations (slug, name, short_name, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING id")
                .bind(slugify(name))
                .bind(name)
                .bind(short_name)
                .bind(Utc::now())
                .fetch_optional(&mut *c)
                .await?;
            // The same administration again (a form sent twice) is the one there
            // is; another with its name (or its address) is refused.
            let Some(id) = inserted else {
                let there: Option<(i64, Option<String>)> =
                    sqlx::query_as("SELECT id, short_name FROM administrations WHERE name = $1")
                        .bind(name)
                        .fetch_optional(&mut *c)
                        .await?;
                return match there {
                    Some((id, short)) if short.as_deref() == short_name => Ok(id),
                    _ => Err(StoreError::Conflict(
                        "en förvaltning med det namnet finns redan".into(),
                    )),
                };
            };
            audit(
                c,
                actor,
                "administration.created",
                "administration",
                id,
                name,
                before_after(
                    (),
                    serde_json::json!({"name": name, "short_name": short_name}),
                ),
            )
            .await?;
            Ok(id)
        })
    }

    pub async fn update_administration(
        &self,
        id: i64,
        expected_version: i64,
        name: &str,
        short_name: Option<&str>,
        actor: &str,
    ) -> Result<(), StoreError> {
        let name = name.trim();
        in_transaction!(self, |c| {
            let before = sqlx::query(
                "SELECT id, slug, name, short_name, row_version FROM administrations WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
            .map(|r| Ok::<_, StoreError>(administration!(r)))
            .transpose()?
            .ok_or_else(|| StoreError::NotFound(format!("förvaltning {id}")))?;
            let done = sqlx::query("UPDATE administrations SET name = $1, short_name = $2, row_version = row_version + 1 WHERE id = $3 AND row_version = $4")
                .bind(name)
                .bind(short_name)
                .bind(id)
                .bind(expected_version)
                .execute(&mut *c)
                .await
                .map_err(|e| unique_conflict(e, "en förvaltning med det namnet finns redan"))?;
            if done.rows_affected() == 0 {
                return Err(stale("förvaltningen", before.row_version));
            }
            let changes = before_after(
                serde_json::json!({"name": before.name, "short_name": before.short_name}),
                serde_json::json!({"name": name, "short_name": short_name}),
            );
            audit(
                c,
                actor,
                "administration.updated",
                "administration",
                id,
                name,
                changes,
            )
            .await?;
            Ok(())
        })
    }

    /// Every person, in Swedish order of name.
    pub async fn people(&self) -> Result<Vec<Person>, StoreError> {
        let mut out: Vec<Person> = with_conn!(self, |c| {
            let rows = sqlx::query("SELECT id, name, title, email, phone, administration_id, row_version FROM people ORDER BY name, id")
                .fetch_all(&mut *c)
                .await?;
            rows.iter()
                .map(|r| Ok(person!(r)))
                .collect::<Result<Vec<_>, StoreError>>()
        })?;
        collation::sort_by(&mut out, |p| &p.fields.name);
        Ok(out)
    }

    pub async fn person(&self, id: i64) -> Result<Option<Person>, StoreError> {
        with_conn!(self, |c| {
            sqlx::query("SELECT id, name, title, email, phone, administration_id, row_version FROM people WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *c)
                .await?
                .map(|r| Ok(person!(r)))
                .transpose()
        })
    }

    pub async fn create_person(&self, f: &PersonFields, actor: &str) -> Result<i64, StoreError> {
        Ok(self.create_person_once(f, None, actor).await?.id())
    }

    /// Adds a person from a form carrying the key `once`: a person has no
    /// identity of their own (names repeat, e-mail is optional), so the same
    /// form sent twice is known by its key. Errors: as [`Store::create_person`].
    pub async fn create_person_once(
        &self,
        f: &PersonFields,
        once: Option<&str>,
        actor: &str,
    ) -> Result<crate::Made, StoreError> {
        let fingerprint =
            crate::checksum::repeat_key(&[actor, &serde_json::to_string(f).unwrap_or_default()]);
        let made = in_transaction!(self, |c| {
            crate::once!(c, once, "person", &fingerprint, async {
                let id: i64 = sqlx::query_scalar("INSERT INTO people (name, title, email, phone, administration_id, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
                    .bind(&f.name)
                    .bind(&f.title)
                    .bind(&f.email)
                    .bind(&f.phone)
                    .bind(f.administration_id)
                    .bind(Utc::now())
                    .fetch_one(&mut *c)
                    .await?;
                audit(
                    c,
                    actor,
                    "person.created",
                    "person",
                    id,
                    &f.name,
                    before_after((), f),
                )
                .await?;
                Ok::<i64, StoreError>(id)
            }
            .await)
        });
        self.made_or_again(made, once, &fingerprint).await
    }

    pub async fn update_person(
        &self,
        id: i64,
        expected_version: i64,
        f: &PersonFields,
        actor: &str,
    ) -> Result<(), StoreError> {
        in_transaction!(self, |c| {
            let before = sqlx::query("SELECT id, name, title, email, phone, administration_id, row_version FROM people WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *c)
                .await?
                .map(|r| Ok::<_, StoreError>(person!(r)))
                .transpose()?
                .ok_or_else(|| StoreError::NotFound(format!("person {id}")))?;
            let done = sqlx::query("UPDATE people SET name = $1, title = $2, email = $3, phone = $4, administration_id = $5, row_version = row_version + 1 WHERE id = $6 AND row_version = $7")
                .bind(&f.name)
                .bind(&f.title)
                .bind(&f.email)
                .bind(&f.phone)
                .bind(f.administration_id)
                .bind(id)
                .bind(expected_version)
                .execute(&mut *c)
                .await?;
            if done.rows_affected() == 0 {
                return Err(stale("personen", before.row_version));
            }
            audit(
                c,
                actor,
                "person.updated",
                "person",
                id,
                &f.name,
                before_after(&before.fields, f),
            )
            .await?;
            Ok(())
        })
    }

    /// Memberships, current and former, of one organisation or one person: those
    /// without an end date first, then by role, then in Swedish order of name.
    pub async fn memberships(
        &self,
        organization_id: Option<i64>,
        person_id: Option<i64>,
    ) -> Result<Vec<Membership>, StoreError> {
        // One statement per case, not `$1 IS NULL OR …`, so that the index on the
        // group or the person is used.
        let (filter, value) = match (organization_id, person_id) {
            (Some(o), Some(p)) => ("m.organization_id = $1 AND m.person_id = $2", vec![o, p]),
            (Some(o), None) => ("m.organization_id = $1", vec![o]),
            (None, Some(p)) => ("m.person_id = $1", vec![p]),
            (None, None) => ("TRUE", vec![]),
        };
        let sql = format!("{MEMBERSHIP_SELECT} WHERE {filter} ORDER BY m.end_date IS NOT NULL, m.role, p.name, m.id");
        let mut out: Vec<Membership> = with_conn!(self, |c| {
            let mut q = sqlx::query(&sql);
            for v in &value {
                q = q.bind(*v);
            }
            let rows = q.fetch_all(&mut *c).await?;
            rows.iter()
                .map(|r| Ok(membership!(r)))
                .collect::<Result<Vec<_>, StoreError>>()
        })?;
        // The chair first, in the catalogue's order of roles, not by the role's name.
        let rank = |r: MembershipRole| MembershipRole::ALL.iter().position(|x| *x == r);
        out.sort_by(|a, b| {
            (a.fields.end_date.is_some(), rank(a.fields.role))
                .cmp(&(b.fields.end_date.is_some(), rank(b.fields.role)))
                .then_with(|| collation::cmp(&a.person_name, &b.person_name))
        });
        Ok(out)
    }

    pub async fn membership(&self, id: i64) -> Result<Option<Membership>, StoreError> {
        let sql = format!("{MEMBERSHIP_SELECT} WHERE m.id = $1");
        with_conn!(self, |c| {
            sqlx::query(&sql)
                .bind(id)
                .fetch_optional(&mut *c)
                .await?
                .map(|r| Ok(membership!(r)))
                .transpose()
        })
    }

    pub async fn create_membership(
        &self,
        f: &MembershipFields,
        actor: &str,
    ) -> Result<i64, StoreError> {
        let key = membership_key(f);
        in_transaction!(self, |c| {
            let inserted: Option<i64> = sqlx::query_scalar("INSERT INTO memberships (person_id, organization_id, role, on_behalf_of_id, voting_right, appointed_by, start_date, end_date, created_at, repeat_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING id")
                .bind(f.person_id)
                .bind(f.organization_id)
                .bind(f.role.as_str())
                .bind(f.on_behalf_of_id)
                .bind(f.voting_right)
                .bind(&f.appointed_by)
                .bind(f.start_date)
                .bind(f.end_date)
                .bind(Utc::now())
                .bind(&key)
                .fetch_optional(&mut *c)
                .await?;
            // The same membership again (a form sent twice) is the one there is;
            // another with its person, role and first day is refused, naming it.
            let Some(id) = inserted else {
                let sql = format!(
                    "{MEMBERSHIP_SELECT} WHERE m.organization_id = $1 AND m.repeat_key = $2"
                );
                let there = sqlx::query(&sql)
                    .bind(f.organization_id)
                    .bind(&key)
                    .fetch_one(&mut *c)
                    .await?;
                let there = membership!(there);
                return if there.fields == *f {
                    Ok(there.id)
                } else {
                    Err(StoreError::Conflict(format!(
                        "{} är redan {} i gruppen från {} (medlemskap {}); ändra det i stället",
                        there.person_name,
                        f.role.as_str(),
                        f.start_date,
                        there.id
                    )))
                };
            };
            audit(
                c,
                actor,
                "membership.created",
                "membership",
                id,
                f.role.as_str(),
                before_after((), f),
            )
            .await?;
            Ok(id)
        })
    }

    /// Changes a membership. Ending one sets its end date; its history stays.
    pub async fn update_membership(
        &self,
        id: i64,
        expected_version: i64,
        f: &MembershipFields,
        actor: &str,
    ) -> Result<(), StoreError> {
        let sql = format!("{MEMBERSHIP_SELECT} WHERE m.id = $1");
        in_transaction!(self, |c| {
            let before = sqlx::query(&sql)
                .bind(id)
                .fetch_optional(&mut *c)
                .await?
                .map(|r| Ok::<_, StoreError>(membership!(r)))
                .transpose()?
                .ok_or_else(|| StoreError::NotFound(format!("medlemskap {id}")))?;
            let done = sqlx::query("UPDATE memberships SET person_id = $1, organization_id = $2, role = $3, on_behalf_of_id = $4, voting_right = $5, appointed_by = $6, start_date = $7, end_date = $8, repeat_key = $11, row_version = row_version + 1 WHERE id = $9 AND row_version = $10")
                .bind(f.person_id)
                .bind(f.organization_id)
                .bind(f.role.as_str())
                .bind(f.on_behalf_of_id)
                .bind(f.voting_right)
                .bind(&f.appointed_by)
                .bind(f.start_date)
                .bind(f.end_date)
                .bind(id)
                .bind(expected_version)
                .bind(membership_key(f))
                .execute(&mut *c)
                .await
                .map_err(|e| match StoreError::from(e) {
                    e if e.is_duplicate() => StoreError::Conflict(
                        "personen har redan den rollen i gruppen från det datumet (ett annat medlemskap)".into(),
                    ),
                    e => e,
                })?;
            if done.rows_affected() == 0 {
                return Err(stale("medlemskapet", before.row_version));
            }
            audit(
                c,
                actor,
                "membership.updated",
                "membership",
                id,
                f.role.as_str(),
                before_after(&before.fields, f),
            )
            .await?;
            Ok(())
        })
    }
}

/// The repeat identity of a membership (`memberships_repeat`, with its group):
/// its person, role and first day.
fn membership_key(f: &MembershipFields) -> String {
    crate::checksum::repeat_key(&[
        &f.person_id.to_string(),
        f.role.as_str(),
        &f.start_date.to_string(),
    ])
}

/// What an editor sets on an organisation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgFields {
    pub name: String,
    pub short_name: Option<String>,
    pub kind: samordna_domain::OrgKind,
    pub area: Option<String>,
    pub reports_to_id: Option<i64>,
    pub status: String,
    pub aliases: Vec<String>,
    pub liaison_ids: Vec<i64>,
    /// Approved minutes wait for a separate publishing step.
    pub publish_minutes_separately: bool,
    /// Days to approve minutes; `None`: the region's default.
    pub minutes_overdue_days: Option<i64>,
    /// The most adjuncts before the adjunct-limit rule warns; `None`: the region's default.
    pub adjunct_limit: Option<i64>,
}

impl Store {
    /// The fields of an organisation as an editor sees them.
    pub async fn org_fields(&self, org: &crate::Organization) -> Result<OrgFields, StoreError> {
        let mut aliases: Vec<String> = self
            .aliases()
            .await?
            .into_iter()
            .filter(|a| a.organization_id == org.id && a.alias != org.name)
            .map(|a| a.alias)
            .collect();
        aliases.sort();
        let liaison_ids = self
            .liaisons()
            .await?
            .into_iter()
            .filter(|(a, _)| *a == org.id)
            .map(|(_, b)| b)
            .collect();
        Ok(OrgFields {
            name: org.name.clone(),
            short_name: org.short_name.clone(),
            kind: org.kind,
            area: org.area.clone(),
            reports_to_id: org.reports_to_id,
            status: org.status.clone(),
            aliases,
            liaison_ids,
            publish_minutes_separately: org.publish_minutes_separately,
            minutes_overdue_days: org.minutes_overdue_days,
            adjunct_limit: org.adjunct_limit,
        })
    }

    /// Creates a group; returns its slug.
    pub async fn create_organization(
        &self,
        f: &OrgFields,
        actor: &str,
    ) -> Result<String, StoreError> {
        let base = slugify(&f.name);
        in_transaction!(self, |c| {
            // New groups one at a time: the name and the address are read and
            // taken in one step.
            crate::serialise!(self, c, crate::Serialise::Register, 0_i64);
            // The same group again (a form sent twice) is the one there is; a
            // group with its name and anything else is refused below (`name_free`).
            type Row = (
                i64,
                String,
                Option<String>,
                String,
                Option<String>,
                Option<i64>,
                String,
            );
            let there: Option<Row> = sqlx::query_as(
                "SELECT id, slug, short_name, kind, area, reports_to_id, status FROM organizations WHERE name = $1 AND merged_into_id IS NULL ORDER BY id LIMIT 1",
            )
            .bind(f.name.trim())
            .fetch_optional(&mut *c)
            .await?;
            if let Some((id, slug, short_name, kind, area, reports_to_id, status)) = there {
                let mut aliases = crate::conn::Conn::aliases_of(&mut *c, id).await?;
                aliases.retain(|a| a != f.name.trim());
                let mut asked: Vec<String> = f
                    .aliases
                    .iter()
                    .map(|a| a.trim().to_string())
                    .filter(|a| !a.is_empty())
                    .collect();
                aliases.sort();
                asked.sort();
                if short_name == f.short_name
                    && kind == f.kind.as_str()
                    && area == f.area
                    && reports_to_id == f.reports_to_id
                    && status == f.status
                    && aliases == asked
                {
                    return Ok(slug);
                }
            }
            let taken: Vec<String> = sqlx::query_scalar(
                "SELECT slug FROM organizations WHERE slug = $1 OR slug LIKE $2",
            )
            .bind(&base)
            .bind(format!("{base}-%"))
            .fetch_all(&mut *c)
            .await?;
            let mut slug = base.clone();
            let mut n = 2;
            while taken.contains(&slug) {
                slug = format!("{base}-{n}");
                n += 1;
            }
            let id: i64 = sqlx::query_scalar("INSERT INTO organizations (slug, name, short_name, kind, area, reports_to_id, status, placeholder, created_at, publish_minutes_separately, minutes_overdue_days, adjunct_limit) VALUES ($1, $2, $3, $4, $5, $6, $7, FALSE, $8, $9, $10, $11) RETURNING id")
                .bind(&slug)
                .bind(&f.name)
                .bind(&f.short_name)
                .bind(f.kind.as_str())
                .bind(&f.area)
                .bind(f.reports_to_id)
                .bind(&f.status)
                .bind(Utc::now())
                .bind(f.publish_minutes_separately)
                .bind(f.minutes_overdue_days)
                .bind(f.adjunct_limit)
                .fetch_one(&mut *c)
                .await?;
            write_names_and_liaisons(c, id, f).await?;
            audit(
                c,
                actor,
                "organization.created",
                "organization",
                id,
                &f.name,
                before_after((), f),
            )
            .await?;
            Ok(slug)
        })
    }

    /// Saves an edit of a group, unless someone else saved it since `expected_version`.
    pub async fn update_organization(
        &self,
        slug: &str,
        expected_version: i64,
        f: &OrgFields,
        actor: &str,
    ) -> Result<(), StoreError> {
        let org = self
            .organization_by_slug(slug)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("gruppen {slug:?}")))?;
        let before = self.org_fields(&org).await?;
        in_transaction!(self, |c| {
            no_reporting_loop(c, org.id, f.reports_to_id).await?;
            let done = sqlx::query("UPDATE organizations SET name = $1, short_name = $2, kind = $3, area = $4, reports_to_id = $5, status = $6, placeholder = FALSE, row_version = row_version + 1, publish_minutes_separately = $9, minutes_overdue_days = $10, adjunct_limit = $11 WHERE id = $7 AND row_version = $8")
                .bind(&f.name)
                .bind(&f.short_name)
                .bind(f.kind.as_str())
                .bind(&f.area)
                .bind(f.reports_to_id)
                .bind(&f.status)
                .bind(org.id)
                .bind(expected_version)
                .bind(f.publish_minutes_separately)
                .bind(f.minutes_overdue_days)
                .bind(f.adjunct_limit)
                .execute(&mut *c)
                .await?;
            if done.rows_affected() == 0 {
                return Err(stale("gruppen", org.row_version));
            }
            sqlx::query("DELETE FROM organization_aliases WHERE organization_id = $1")
                .bind(org.id)
                .execute(&mut *c)
                .await?;
            sqlx::query("DELETE FROM organization_liaisons WHERE organization_id = $1")
                .bind(org.id)
                .execute(&mut *c)
                .await?;
            write_names_and_liaisons(c, org.id, f).await?;
            audit(
                c,
                actor,
                "organization.updated",
                "organization",
                org.id,
                &f.name,
                before_after(&before, f),
            )
            .await?;
            Ok(())
        })
    }
}

/// Refuses a reporting line that would close a loop, checked inside the saving
/// transaction against the register as it is then (the form and the API check it
/// first, with a message per field; this is the guarantee).
async fn no_reporting_loop<C>(c: &mut C, id: i64, parent: Option<i64>) -> Result<(), StoreError>
where
    C: crate::conn::Conn,
{
    let Some(parent) = parent else {
        return Ok(());
    };
    let orgs = c.organizations().await?;
    let parent_of = |x: i64| orgs.iter().find(|o| o.id == x)?.reports_to_id;
    match samordna_domain::model::reporting_cycle(parent_of, id, parent) {
        Some(_) => Err(StoreError::Conflict(
            "rapportvägen skulle gå i en ring; välj en grupp högre upp".into(),
        )),
        None => Ok(()),
    }
}

async fn write_names_and_liaisons<C>(c: &mut C, id: i64, f: &OrgFields) -> Result<(), StoreError>
where
    C: crate::conn::Conn,
{
    use samordna_domain::names::name_key;
    crate::name_free(c, &f.name, id).await?;
    c.insert_alias(id, &f.name, &name_key(&f.name)).await?;
    for a in &f.aliases {
        let key = name_key(a);
        if !key.is_empty() {
            c.insert_alias(id, a.trim(), &key).await?;
        }
    }
    for l in &f.liaison_ids {
        if *l != id {
            c.insert_liaison(id, *l).await?;
        }
    }
    Ok(())
}

/// A unique-constraint violation becomes a conflict with a message for the user.
pub(crate) fn unique_conflict(e: sqlx::Error, message: &str) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            StoreError::Conflict(message.to_string())
        }
        _ => StoreError::Database(e),
    }
}
