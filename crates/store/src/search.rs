//! What the search index is made from, and the change log (outbox) that keeps
//! each node's index current.
//!
//! The outbox is one row per entity — a group with everything in it, or a person
//! — holding the change counter's value ([`crate::changes`]) at its latest change.
//! Triggers on the searched tables write it in the writing transaction
//! ([`SEARCHED`], created by [`Store::migrate`] like the change triggers). The
//! counter's row is locked from a transaction's first change until it commits, so
//! values are taken in commit order: a reader that sees value `s` committed has
//! seen every smaller one, and "every row above my position" is exactly what
//! changed since (on SQLite and PostgreSQL alike).

use samordna_domain::calendar::swedish_date;
use std::collections::HashMap;

use chrono::NaiveDate;
use samordna_domain::policy::MembershipRole;
use samordna_domain::search::{minutes_sections, Audience, DocKind, Document, Entity};
use samordna_domain::{OrgKind, ParsedCharter};

use crate::{with_conn, with_pool, Backend, Store, StoreError};

/// The rows of a statement over a range of ids (its `$1` and `$2`), as a
/// tuple type the caller names.
macro_rules! rows_between {
    ($self:expr, $sql:expr, $first:expr, $last:expr) => {
        with_conn!($self, |c| {
            sqlx::query_as($sql)
                .bind($first)
                .bind($last)
                .fetch_all(&mut *c)
                .await?
        })
    };
}

/// The searched tables and, for each, the entities a row of it belongs to: an
/// SQL expression over the row (`{r}` is `NEW` or `OLD`) per entity kind.
pub(crate) const SEARCHED: &[(&str, &[(&str, &str)])] = &[
    ("organizations", &[("org", "{r}.id")]),
    ("organization_aliases", &[("org", "{r}.organization_id")]),
    ("charter_versions", &[("org", "{r}.organization_id")]),
    ("meetings", &[("org", "{r}.organization_id")]),
    (
        "agenda_items",
        &[(
            "org",
            "(SELECT organization_id FROM meetings WHERE id = {r}.meeting_id)",
        )],
    ),
    (
        "minutes",
        &[(
            "org",
            "(SELECT organization_id FROM meetings WHERE id = {r}.meeting_id)",
        )],
    ),
    (
        "attachments",
        &[(
            "org",
            "(SELECT m.organization_id FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id WHERE a.id = {r}.agenda_item_id)",
        )],
    ),
    ("matters", &[("org", "{r}.organization_id")]),
    ("decisions", &[("org", "{r}.organization_id")]),
    ("people", &[("person", "{r}.id")]),
    (
        "memberships",
        &[("person", "{r}.person_id"), ("org", "{r}.organization_id")],
    ),
];

/// The statements creating the outbox triggers missing; `present` lists the
/// names of the triggers (or, on PostgreSQL, functions) already there.
pub(crate) fn missing_triggers(is_pg: bool, present: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for (table, entities) in SEARCHED {
        if is_pg {
            let name = format!("search_{table}");
            if present.contains(&name) {
                continue;
            }
            let mut body = String::new();
            for (row, guard) in [("NEW", "DELETE"), ("OLD", "INSERT")] {
                body.push_str(&format!("    IF TG_OP <> '{guard}' THEN\n"));
                for (kind, expr) in *entities {
                    let e = expr.replace("{r}", row);
                    body.push_str(&format!("        PERFORM search_touch('{kind}', {e});\n"));
                }
                body.push_str("    END IF;\n");
            }
            out.push(format!(
                "CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n{body}    RETURN NULL;\nEND;\n$$"
            ));
            out.push(format!(
                "CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()"
            ));
        } else {
            for op in ["insert", "update", "delete"] {
                let name = format!("search_{table}_{op}");
                if present.contains(&name) {
                    continue;
                }
                let rows: &[&str] = match op {
                    "insert" => &["NEW"],
                    "update" => &["NEW", "OLD"],
                    _ => &["OLD"],
                };
                let mut body = String::new();
                for row in rows {
                    for (kind, expr) in *entities {
                        let e = expr.replace("{r}", row);
                        body.push_str(&format!(
                            "UPDATE change_counter SET n = n + 1 WHERE id = 1; \
                             INSERT INTO search_outbox (kind, ref_id, seq) SELECT '{kind}', x, (SELECT n FROM change_counter WHERE id = 1) FROM (SELECT {e} AS x) WHERE x IS NOT NULL \
                             ON CONFLICT (kind, ref_id) DO UPDATE SET seq = excluded.seq; "
                        ));
                    }
                }
                out.push(format!(
                    "CREATE TRIGGER {name} AFTER {} ON {table} BEGIN {body}END",
                    op.to_uppercase()
                ));
            }
        }
    }
    out
}

/// The query listing the outbox triggers (SQLite) or functions (PostgreSQL)
/// already there.
pub(crate) fn catalog(is_pg: bool) -> &'static str {
    if is_pg {
        "SELECT proname::text FROM pg_proc WHERE proname LIKE 'search\\_%'"
    } else {
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search\\_%' ESCAPE '\\'"
    }
}

/// A group: id, slug, name, short name, kind, area, placeholder.
type OrgRow = (
    i64,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    bool,
);

/// A version of minutes: meeting, version, status, body.
type MinutesRow = (i64, i64, String, String);

/// The changes since a position of the outbox.
#[derive(Debug, Clone, Default)]
pub struct OutboxChanges {
    /// The entities changed, each once.
    pub entities: Vec<Entity>,
    /// The position after them: the highest value read, or the one asked from.
    pub position: i64,
}

/// What a full rebuild reads: every group and every person.
#[derive(Debug, Clone, Default)]
pub struct AllEntities {
    /// The groups' ids, ascending.
    pub orgs: Vec<i64>,
    /// The people's ids, ascending.
    pub people: Vec<i64>,
    /// The outbox's position before they were read: changes after it are caught
    /// up from the outbox.
    pub position: i64,
}

impl Store {
    /// The database's identity for the index: a random text made by the
    /// migration, so an index built from another database is rebuilt.
    pub async fn search_instance(&self) -> Result<String, StoreError> {
        with_conn!(self, |c| {
            Ok(
                sqlx::query_scalar("SELECT instance FROM search_state WHERE id = 1")
                    .fetch_one(&mut *c)
                    .await?,
            )
        })
    }

    /// The entities changed after `position`, coalesced, and the new position.
    pub async fn search_changes(&self, position: i64) -> Result<OutboxChanges, StoreError> {
        let rows: Vec<(String, i64, i64)> = with_conn!(self, |c| {
            sqlx::query_as(
                "SELECT kind, ref_id, seq FROM search_outbox WHERE seq > $1 ORDER BY seq LIMIT 5000",
            )
            .bind(position)
            .fetch_all(&mut *c)
            .await?
        });
        let mut out = OutboxChanges {
            entities: Vec::with_capacity(rows.len()),
            position,
        };
        for (kind, id, seq) in rows {
            out.position = out.position.max(seq);
            out.entities.push(match kind.as_str() {
                "person" => Entity::Person(id),
                _ => Entity::Org(id),
            });
        }
        Ok(out)
    }

    /// Every group and person, with the outbox position read first.
    pub async fn search_entities(&self) -> Result<AllEntities, StoreError> {
        with_conn!(self, |c| {
            let position: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM search_outbox")
                .fetch_one(&mut *c)
                .await?;
            let orgs = sqlx::query_scalar("SELECT id FROM organizations ORDER BY id")
                .fetch_all(&mut *c)
                .await?;
            let people = sqlx::query_scalar("SELECT id FROM people ORDER BY id")
                .fetch_all(&mut *c)
                .await?;
            Ok(AllEntities {
                orgs,
                people,
                position: position.unwrap_or(0),
            })
        })
    }

    /// The groups whose internal records a person may read through a current
    /// membership: the groups they are a member of and every group reporting to
    /// one of those, at any depth (policy.rs: a group role counts for the groups
    /// that report to it).
    pub async fn internal_readable(
        &self,
        person_id: i64,
        today: NaiveDate,
    ) -> Result<Vec<i64>, StoreError> {
        let day = today.to_string();
        with_pool!(self, |pool| {
            let sql = "WITH RECURSIVE r(id) AS ( \
                SELECT organization_id FROM memberships WHERE person_id = $1 \
                  AND CAST(start_date AS TEXT) <= $2 AND (end_date IS NULL OR CAST(end_date AS TEXT) >= $2) \
                UNION SELECT o.id FROM organizations o JOIN r ON o.reports_to_id = r.id) \
                SELECT id FROM r";
            Ok(sqlx::query_scalar(sql)
                .bind(person_id)
                .bind(&day)
                .fetch_all(pool)
                .await?)
        })
    }

    /// The documents of the groups with ids `first..=last` (everything in each:
    /// the group, its charters by section, agendas, minutes by section,
    /// attachments, matters, decisions), in no particular order. A group that
    /// no longer exists has none.
    pub async fn search_documents_of_orgs(
        &self,
        first: i64,
        last: i64,
    ) -> Result<Vec<Document>, StoreError> {
        let mut docs = Vec::new();
        let orgs: Vec<OrgRow> = rows_between!(self, "SELECT id, slug, name, short_name, kind, area, placeholder FROM organizations WHERE id >= $1 AND id <= $2", first, last);
        if orgs.is_empty() {
            return Ok(docs);
        }
        let aliases: Vec<(i64, String)> = rows_between!(self, "SELECT organization_id, alias FROM organization_aliases WHERE organization_id >= $1 AND organization_id <= $2", first, last);
        let mut slugs: HashMap<i64, (String, String)> = HashMap::new();
        for (id, slug, name, short, kind, area, _placeholder) in &orgs {
            slugs.insert(*id, (slug.clone(), name.clone()));
            let mut body = vec![kind
                .parse::<OrgKind>()
                .map_or(kind.as_str(), |k| k.label_sv())
                .to_string()];
            body.extend(short.clone());
            body.extend(area.clone());
            body.extend(
                aliases
                    .iter()
                    .filter(|(o, a)| o == id && a != name)
                    .map(|(_, a)| a.clone()),
            );
            docs.push(Document {
                key: format!("group:{id}"),
                kind: DocKind::Group,
                doc_type: Some(kind.clone()),
                org_id: Some(*id),
                org_name: Some(name.clone()),
                audience: Audience::Public,
                title: name.clone(),
                body: body.join("\n"),
                codes: Vec::new(),
                url: format!("/grupper/{slug}"),
                date: None,
                file: None,
            });
        }
        self.charter_documents(first, last, &slugs, &mut docs)
            .await?;
        self.meeting_documents(first, last, &slugs, &mut docs)
            .await?;
        self.matter_documents(first, last, &slugs, &mut docs)
            .await?;
        Ok(docs)
    }

    async fn charter_documents(
        &self,
        first: i64,
        last: i64,
        slugs: &HashMap<i64, (String, String)>,
        docs: &mut Vec<Document>,
    ) -> Result<(), StoreError> {
        type Row = (
            i64,
            i64,
            i64,
            Option<String>,
            String,
            Option<String>,
            Option<String>,
            String,
        );
        let rows: Vec<Row> = rows_between!(self, "SELECT id, organization_id, version, registry_number, document_kind, CAST(document_date AS TEXT), CAST(decision_date AS TEXT), content FROM charter_versions WHERE organization_id >= $1 AND organization_id <= $2", first, last);
        for (id, org, version, registry, kind, date, decided, content) in rows {
            let Some((slug, name)) = slugs.get(&org) else {
                continue;
            };
            let Ok(p) = serde_json::from_str::<ParsedCharter>(&content) else {
                continue;
            };
            let day =
                |d: &Option<String>| -> Option<NaiveDate> { d.as_ref()?.get(..10)?.parse().ok() };
            let (written, decided) = (day(&date), day(&decided));
            let date = written.or(decided);
            let url = format!("/grupper/{slug}/uppdragshandlingar/{version}");
            let mut codes: Vec<String> = registry.into_iter().collect();
            codes.extend(p.references.iter().map(|r| r.to_string()));
            // Both dates as written: the document's and its decision's.
            codes.extend(written.map(|d| d.to_string()));
            codes.extend(
                decided
                    .filter(|d| Some(*d) != written)
                    .map(|d| d.to_string()),
            );
            let doc = |part: usize, title: String, body: String, codes: Vec<String>| Document {
                key: format!("charter:{id}:{part}"),
                kind: DocKind::Charter,
                doc_type: Some(kind.clone()),
                org_id: Some(org),
                org_name: Some(name.clone()),
                audience: Audience::Public,
                title,
                body,
                codes,
                url: url.clone(),
                date,
                file: None,
            };
            // The header: title, fields, preamble, decision and distribution.
            let mut head = Vec::new();
            head.extend(p.responsibility_area.clone());
            head.extend(p.commissioner.clone());
            head.extend(p.assignee.clone());
            head.extend(p.issuing_unit.clone());
            head.extend(p.preamble.iter().cloned());
            head.extend(
                p.decision
                    .decided_by
                    .iter()
                    .flat_map(|d| [Some(d.name.clone()), d.title.clone()])
                    .flatten(),
            );
            head.extend(p.distribution.iter().cloned());
            docs.push(doc(0, p.title.clone(), head.join("\n"), codes));
            for (i, s) in p.sections.iter().enumerate() {
                let mut body = s.text.clone();
                for item in &s.items {
                    body.push('\n');
                    body.push_str(item);
                }
                docs.push(doc(
                    i + 1,
                    format!("{} – {}", p.title, s.heading),
                    body,
                    Vec::new(),
                ));
            }
        }
        Ok(())
    }

    async fn meeting_documents(
        &self,
        first: i64,
        last: i64,
        slugs: &HashMap<i64, (String, String)>,
        docs: &mut Vec<Document>,
    ) -> Result<(), StoreError> {
        let meetings = self.meetings_between(first, last).await?;
        let by_id: HashMap<i64, &crate::Meeting> = meetings.iter().map(|m| (m.id, m)).collect();
        let date_of = |m: &crate::Meeting| swedish_date(m.fields.starts_at);
        let items: Vec<(i64, i64, i64, String, Option<String>)> = rows_between!(self, "SELECT a.id, a.meeting_id, a.position, a.title, a.presenter FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id WHERE m.organization_id >= $1 AND m.organization_id <= $2", first, last);
        let head = |m: &crate::Meeting| {
            let (_, name) = &slugs[&m.fields.organization_id];
            (name.clone(), format!("/moten/{}", m.id), date_of(m))
        };
        for (id, meeting, position, title, presenter) in items {
            let Some(m) = by_id.get(&meeting) else {
                continue;
            };
            let (name, url, date) = head(m);
            docs.push(Document {
                key: format!("agenda:{id}"),
                kind: DocKind::Agenda,
                doc_type: None,
                org_id: Some(m.fields.organization_id),
                org_name: Some(name),
                audience: if m.agenda_published {
                    Audience::Public
                } else {
                    Audience::Internal
                },
                title: format!("{position}. {title}"),
                body: presenter.unwrap_or_default(),
                codes: vec![date.to_string()],
                url,
                date: Some(date),
                file: None,
            });
        }
        // Minutes: the newest published version for everyone, and a newer one
        // not yet published for the group.
        let minutes: Vec<MinutesRow> = rows_between!(self, "SELECT n.meeting_id, n.version, n.status, n.body FROM minutes n JOIN meetings m ON m.id = n.meeting_id WHERE m.organization_id >= $1 AND m.organization_id <= $2 ORDER BY n.meeting_id, n.version", first, last);
        let mut newest: HashMap<i64, (Option<&MinutesRow>, Option<&MinutesRow>)> = HashMap::new();
        for row in &minutes {
            let e = newest.entry(row.0).or_default();
            if row.2 == "published" {
                e.0 = Some(row);
            }
            e.1 = Some(row);
        }
        for (meeting, (published, latest)) in newest {
            let Some(m) = by_id.get(&meeting) else {
                continue;
            };
            let mut versions = Vec::new();
            versions.extend(published.map(|p| (p, Audience::Public)));
            if let Some(l) = latest.filter(|l| l.2 != "published") {
                versions.push((l, Audience::Internal));
            }
            for ((_, version, _, body), audience) in versions {
                let (name, url, date) = head(m);
                for (i, (heading, text)) in minutes_sections(body).into_iter().enumerate() {
                    docs.push(Document {
                        key: format!("minutes:{meeting}:{version}:{i}"),
                        kind: DocKind::Minutes,
                        doc_type: None,
                        org_id: Some(m.fields.organization_id),
                        org_name: Some(name.clone()),
                        audience,
                        title: if heading.is_empty() {
                            format!("Mötesanteckningar {date}")
                        } else {
                            heading
                        },
                        body: text,
                        codes: vec![date.to_string()],
                        url: url.clone(),
                        date: Some(date),
                        file: None,
                    });
                }
            }
        }
        let files: Vec<(i64, i64, String, String, Vec<u8>)> = rows_between!(self, "SELECT f.id, a.meeting_id, f.filename, f.content_type, f.data FROM attachments f JOIN agenda_items a ON a.id = f.agenda_item_id JOIN meetings m ON m.id = a.meeting_id WHERE m.organization_id >= $1 AND m.organization_id <= $2", first, last);
        for (id, meeting, filename, content_type, data) in files {
            // "text/plain; charset=utf-8" is a text file.
            let content_type = content_type
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_string();
            let Some(m) = by_id.get(&meeting) else {
                continue;
            };
            let (name, url, date) = head(m);
            docs.push(Document {
                key: format!("attachment:{id}"),
                kind: DocKind::Attachment,
                doc_type: Some(content_type.clone()),
                org_id: Some(m.fields.organization_id),
                org_name: Some(name),
                audience: if m.agenda_published {
                    Audience::Public
                } else {
                    Audience::Internal
                },
                title: filename,
                body: String::new(),
                codes: Vec::new(),
                url,
                date: Some(date),
                file: Some((content_type, data)),
            });
        }
        let decisions = self
            .decisions(&crate::DecisionFilter {
                organization_ids: Some((first, last)),
                ..Default::default()
            })
            .await?;
        for d in decisions {
            let Some((slug, name)) = slugs.get(&d.organization_id) else {
                continue;
            };
            docs.push(Document {
                key: format!("decision:{}", d.id),
                kind: DocKind::Decision,
                doc_type: Some(d.topic.as_str().to_string()),
                org_id: Some(d.organization_id),
                org_name: Some(name.clone()),
                audience: if d.published {
                    Audience::Public
                } else {
                    Audience::Internal
                },
                title: format!("Beslut {}", d.label()),
                body: d.text.clone(),
                codes: vec![d.decided_on.to_string()],
                url: format!("/grupper/{slug}/beslut/{}", d.id),
                date: Some(d.decided_on),
                file: None,
            });
        }
        Ok(())
    }

    async fn matter_documents(
        &self,
        first: i64,
        last: i64,
        slugs: &HashMap<i64, (String, String)>,
        docs: &mut Vec<Document>,
    ) -> Result<(), StoreError> {
        type MatterRow = (
            i64,
            i64,
            String,
            String,
            Option<String>,
            chrono::DateTime<chrono::Utc>,
        );
        let rows: Vec<MatterRow> = rows_between!(self, "SELECT id, organization_id, kind, title, description, created_at FROM matters WHERE organization_id >= $1 AND organization_id <= $2", first, last);
        for (id, org, kind, title, description, created) in rows {
            let Some((slug, name)) = slugs.get(&org) else {
                continue;
            };
            docs.push(Document {
                key: format!("matter:{id}"),
                kind: DocKind::Matter,
                org_id: Some(org),
                org_name: Some(name.clone()),
                audience: Audience::Public,
                title,
                body: description.unwrap_or_default(),
                // The kind as a word ("remissvar", "regional rutin").
                codes: vec![kind.replace('_', " ")],
                doc_type: Some(kind),
                url: format!("/grupper/{slug}/grupparenden/{id}"),
                date: Some(samordna_domain::calendar::swedish_date(created)),
                file: None,
            });
        }
        Ok(())
    }

    /// The documents of the people with ids `first..=last`: name, title,
    /// administration and current roles in groups (never e-mail or phone).
    pub async fn search_documents_of_people(
        &self,
        first: i64,
        last: i64,
        today: NaiveDate,
    ) -> Result<Vec<Document>, StoreError> {
        let people: Vec<(i64, String, Option<String>, Option<String>)> = rows_between!(self, "SELECT p.id, p.name, p.title, a.name FROM people p LEFT JOIN administrations a ON a.id = p.administration_id WHERE p.id >= $1 AND p.id <= $2", first, last);
        type RoleRow = (i64, String, String, String, Option<String>, String);
        let roles: Vec<RoleRow> = rows_between!(self, "SELECT m.person_id, m.role, o.name, CAST(m.start_date AS TEXT), CAST(m.end_date AS TEXT), o.slug FROM memberships m JOIN organizations o ON o.id = m.organization_id WHERE m.person_id >= $1 AND m.person_id <= $2 ORDER BY m.id", first, last);
        let day = today.to_string();
        Ok(people
            .into_iter()
            .map(|(id, name, title, adm)| {
                let mut body: Vec<String> = title.into_iter().chain(adm).collect();
                // Shown where the person is listed: their first group's members.
                let mut url = None;
                for (_, role, org, start, end, slug) in roles.iter().filter(|r| r.0 == id) {
                    if *start <= day && end.as_ref().is_none_or(|e| *e >= day) {
                        url.get_or_insert_with(|| format!("/grupper/{slug}/medlemmar"));
                        let role = role
                            .parse::<MembershipRole>()
                            .map_or(role.as_str(), |r| r.label_sv());
                        body.push(format!("{role}, {org}"));
                    }
                }
                Document {
                    key: format!("person:{id}"),
                    kind: DocKind::Person,
                    doc_type: None,
                    org_id: None,
                    org_name: None,
                    audience: Audience::People,
                    title: name,
                    body: body.join("\n"),
                    codes: Vec::new(),
                    url: url.unwrap_or_else(|| "/personer".to_string()),
                    date: None,
                    file: None,
                }
            })
            .collect())
    }
}
