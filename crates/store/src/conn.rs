//! Every SQL statement of the store, written once and compiled for both backends.
//!
//! [`Conn`] lists the operations; the `backend!` macro implements it for
//! `SqliteConnection` and `PgConnection` from the same source text. The SQL is the
//! common dialect of both (`$1` parameters, `RETURNING`, `ON CONFLICT DO NOTHING`);
//! where the dialects differ (triggers, column types) the migrations differ.

use std::future::Future;

use chrono::{DateTime, NaiveDate, Utc};

use crate::models::*;
use crate::StoreError;

type R<T> = Result<T, StoreError>;

/// A new organisation.
pub(crate) struct NewOrg<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub short_name: Option<&'a str>,
    pub kind: &'a str,
    pub area: Option<&'a str>,
    pub reports_to_id: Option<i64>,
    pub placeholder: bool,
}

/// A new audit event: who did what to which object, and the change.
pub(crate) struct NewAudit<'a> {
    pub now: DateTime<Utc>,
    pub actor: &'a str,
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: Option<i64>,
    pub detail: &'a str,
    /// JSON: `{"before": …, "after": …}` or a list of what changed.
    pub changes: Option<String>,
}

/// A new charter version.
pub(crate) struct NewVersion<'a> {
    pub organization_id: i64,
    pub version: i64,
    pub case_id: Option<i64>,
    pub registry_number: Option<String>,
    pub document_kind: &'a str,
    pub title: &'a str,
    pub revision: Option<&'a str>,
    pub document_date: Option<NaiveDate>,
    pub decision_date: Option<NaiveDate>,
    pub decided_by_name: Option<&'a str>,
    pub decided_by_title: Option<&'a str>,
    pub status: &'a str,
    pub content: String,
    pub source_name: &'a str,
    pub source_text: &'a str,
    pub source_sha256: &'a str,
}

/// What makes two stored charters the same document: their content without
/// the warnings of the extraction that read them (the JSON of `ParsedCharter`).
fn same_document_key(content: &str) -> Option<samordna_domain::ParsedCharter> {
    let mut doc: samordna_domain::ParsedCharter = serde_json::from_str(content).ok()?;
    doc.warnings.clear();
    Some(doc)
}

pub(crate) trait Conn: Send {
    fn organizations(&mut self) -> impl Future<Output = R<Vec<Organization>>> + Send;
    fn organization_by_slug(
        &mut self,
        slug: &str,
    ) -> impl Future<Output = R<Option<Organization>>> + Send;
    fn organization_by_id(
        &mut self,
        id: i64,
    ) -> impl Future<Output = R<Option<Organization>>> + Send;
    fn aliases(&mut self) -> impl Future<Output = R<Vec<Alias>>> + Send;
    /// Runs one of the `one_group` queries that return organisations.
    fn groups_by(
        &mut self,
        sql: &'static str,
        id: i64,
    ) -> impl Future<Output = R<Vec<Organization>>> + Send;
    fn aliases_of(&mut self, id: i64) -> impl Future<Output = R<Vec<String>>> + Send;
    /// The address of another organisation (not merged away) than `except` whose
    /// name is exactly `name`.
    fn name_holder(
        &mut self,
        name: &str,
        except: i64,
    ) -> impl Future<Output = R<Option<String>>> + Send;
    fn versions_of(&mut self, id: i64) -> impl Future<Output = R<Vec<CharterVersion>>> + Send;
    /// The versions of several organisations (`organization_id IN (…)`, by index).
    fn versions_in(&mut self, ids: &[i64]) -> impl Future<Output = R<Vec<CharterVersion>>> + Send;
    fn liaisons(&mut self) -> impl Future<Output = R<Vec<(i64, i64)>>> + Send;
    fn liaisons_from(&mut self, ids: &[i64]) -> impl Future<Output = R<Vec<(i64, i64)>>> + Send;
    fn organizations_in(
        &mut self,
        ids: &[i64],
    ) -> impl Future<Output = R<Vec<Organization>>> + Send;
    fn versions(
        &mut self,
        organization_id: Option<i64>,
    ) -> impl Future<Output = R<Vec<CharterVersion>>> + Send;
    fn versions_in_case(
        &mut self,
        case_id: i64,
    ) -> impl Future<Output = R<Vec<CharterVersion>>> + Send;
    fn version_content(
        &mut self,
        organization_id: i64,
        version: i64,
    ) -> impl Future<Output = R<Option<(CharterVersion, String, String)>>> + Send;
    fn cases(&mut self) -> impl Future<Output = R<Vec<Case>>> + Send;
    fn case_count(&mut self) -> impl Future<Output = R<i64>> + Send;
    fn case_document_count(&mut self, case_id: i64) -> impl Future<Output = R<i64>> + Send;
    fn case_documents_page(
        &mut self,
        case_id: i64,
        offset: i64,
        limit: i64,
    ) -> impl Future<Output = R<Vec<CharterVersion>>> + Send;
    fn cases_page(
        &mut self,
        offset: i64,
        limit: i64,
    ) -> impl Future<Output = R<Vec<CaseSummary>>> + Send;
    fn case_by_number(
        &mut self,
        registry_number: &str,
    ) -> impl Future<Output = R<Option<Case>>> + Send;
    fn references_of(&mut self, version_id: i64) -> impl Future<Output = R<Vec<String>>> + Send;
    fn audit_events(&mut self) -> impl Future<Output = R<Vec<AuditEvent>>> + Send;
    fn counts(&mut self) -> impl Future<Output = R<Counts>> + Send;

    fn insert_org(
        &mut self,
        org: &NewOrg<'_>,
        now: DateTime<Utc>,
    ) -> impl Future<Output = R<i64>> + Send;
    fn update_org(
        &mut self,
        id: i64,
        name: &str,
        kind: &str,
        area: Option<&str>,
        reports_to_id: Option<i64>,
        placeholder: bool,
    ) -> impl Future<Output = R<()>> + Send;
    fn set_merged(&mut self, id: i64, into: i64) -> impl Future<Output = R<()>> + Send;
    fn insert_alias(
        &mut self,
        organization_id: i64,
        alias: &str,
        key: &str,
    ) -> impl Future<Output = R<bool>> + Send;
    fn delete_alias(
        &mut self,
        organization_id: i64,
        key: &str,
    ) -> impl Future<Output = R<bool>> + Send;
    fn insert_liaison(
        &mut self,
        organization_id: i64,
        liaison_id: i64,
    ) -> impl Future<Output = R<bool>> + Send;
    fn move_references_to_org(
        &mut self,
        from: i64,
        into: i64,
    ) -> impl Future<Output = R<()>> + Send;
    fn move_versions(
        &mut self,
        from: i64,
        into: i64,
        offset: i64,
    ) -> impl Future<Output = R<u64>> + Send;
    fn upsert_case(
        &mut self,
        registry_number: &str,
        prefix: &str,
        year: i64,
        serial: &str,
        now: DateTime<Utc>,
    ) -> impl Future<Output = R<i64>> + Send;
    /// A version of the organisation with the same source text (by SHA-256) or the
    /// same parsed content (the same document extracted another way).
    fn version_with_same_text(
        &mut self,
        organization_id: i64,
        sha: &str,
        content: &str,
    ) -> impl Future<Output = R<Option<i64>>> + Send;
    fn insert_version(
        &mut self,
        v: &NewVersion<'_>,
        now: DateTime<Utc>,
    ) -> impl Future<Output = R<i64>> + Send;
    fn insert_reference(
        &mut self,
        version_id: i64,
        registry_number: &str,
        position: i64,
    ) -> impl Future<Output = R<()>> + Send;
    fn insert_audit(&mut self, e: &NewAudit<'_>) -> impl Future<Output = R<()>> + Send;
    /// Keeps the original file of a charter version (`charter_source_files`).
    fn insert_source_file(
        &mut self,
        version_id: i64,
        file: &SourceFile<'_>,
    ) -> impl Future<Output = R<()>> + Send;
    /// The audit log's highest id: it moves exactly when an event is added.
    fn audit_event_mark(&mut self) -> impl Future<Output = R<i64>> + Send;
}

macro_rules! org_columns {
    ($prefix:literal) => {
        concat!(
            $prefix,
            "id, ",
            $prefix,
            "slug, ",
            $prefix,
            "name, ",
            $prefix,
            "short_name, ",
            $prefix,
            "kind, ",
            $prefix,
            "area, ",
            $prefix,
            "reports_to_id, ",
            $prefix,
            "status, ",
            $prefix,
            "placeholder, ",
            $prefix,
            "merged_into_id, ",
            $prefix,
            "row_version, ",
            $prefix,
            "publish_minutes_separately, ",
            $prefix,
            "minutes_overdue_days, ",
            $prefix,
            "adjunct_limit"
        )
    };
}

macro_rules! version_columns {
    () => {
        "id, organization_id, version, case_id, registry_number, document_kind, title, revision, document_date, decision_date, decided_by_name, decided_by_title, status, source_name, source_sha256, imported_at"
    };
}

const ORG_COLUMNS: &str = org_columns!("");
const VERSION_COLUMNS: &str = version_columns!();

/// The queries of a group's page and of what else shows one group: each reads
/// only the rows shown, through an index (tested with `EXPLAIN QUERY PLAN`).
pub mod one_group {
    /// The groups reporting to one group.
    pub const CHILDREN: &str = concat!(
        "SELECT ",
        org_columns!(""),
        " FROM organizations WHERE reports_to_id = $1 AND merged_into_id IS NULL"
    );
    /// The groups one group names as liaisons.
    pub const LIAISONS: &str = concat!(
        "SELECT ",
        org_columns!("o."),
        " FROM organization_liaisons l JOIN organizations o ON o.id = l.liaison_id WHERE l.organization_id = $1 AND o.merged_into_id IS NULL"
    );
    /// The groups that name one group as their liaison.
    pub const LIAISON_OF: &str = concat!(
        "SELECT ",
        org_columns!("o."),
        " FROM organization_liaisons l JOIN organizations o ON o.id = l.organization_id WHERE l.liaison_id = $1 AND o.merged_into_id IS NULL"
    );
    /// The names one group is known by.
    pub const ALIASES: &str =
        "SELECT alias FROM organization_aliases WHERE organization_id = $1 ORDER BY alias";
    /// One group's charter versions (headers, not content).
    pub const VERSIONS: &str = concat!(
        "SELECT ",
        version_columns!(),
        " FROM charter_versions WHERE organization_id = $1 ORDER BY version"
    );
    /// Organisations by id; `{ids}` is a list of placeholders ([`with_ids`]).
    pub const ORGANIZATIONS_IN: &str = concat!(
        "SELECT ",
        org_columns!(""),
        " FROM organizations WHERE id IN ({ids})"
    );
    /// The liaisons some organisations name, as (organisation, liaison).
    pub const LIAISONS_FROM: &str = "SELECT organization_id, liaison_id FROM organization_liaisons WHERE organization_id IN ({ids}) ORDER BY organization_id, liaison_id";
    /// The charter version headers of some organisations.
    pub const VERSIONS_IN: &str = concat!(
        "SELECT ",
        version_columns!(),
        " FROM charter_versions WHERE organization_id IN ({ids}) ORDER BY organization_id, version"
    );
    /// One page of the list of cases, each with its number of documents,
    /// counted by index per case shown (not by reading every version).
    pub const CASES_PAGE: &str = "SELECT id, registry_number, prefix, year, serial,
            (SELECT COUNT(*) FROM charter_versions v WHERE v.case_id = cases.id) AS documents
         FROM cases ORDER BY year DESC, registry_number LIMIT $1 OFFSET $2";
    /// A page of one case's documents, oldest first.
    pub const CASE_DOCUMENTS_PAGE: &str = concat!(
        "SELECT ",
        version_columns!(),
        " FROM charter_versions WHERE case_id = $1 ORDER BY document_date, id LIMIT $2 OFFSET $3"
    );
    /// How many documents one case holds.
    pub const CASE_DOCUMENT_COUNT: &str =
        "SELECT COUNT(*) FROM charter_versions WHERE case_id = $1";
    /// Every query above, by name, for the query-plan test (lists of three ids).
    pub fn all() -> Vec<(&'static str, String)> {
        vec![
            ("children", CHILDREN.into()),
            ("liaisons", LIAISONS.into()),
            ("liaison_of", LIAISON_OF.into()),
            ("aliases", ALIASES.into()),
            ("versions", VERSIONS.into()),
            ("organizations_in", with_ids(ORGANIZATIONS_IN, 3)),
            ("liaisons_from", with_ids(LIAISONS_FROM, 3)),
            ("versions_in", with_ids(VERSIONS_IN, 3)),
            ("case_documents_page", CASE_DOCUMENTS_PAGE.into()),
            ("case_document_count", CASE_DOCUMENT_COUNT.into()),
        ]
    }

    /// `sql` with `{ids}` replaced by `$1, …, $n`.
    pub fn with_ids(sql: &str, n: usize) -> String {
        let marks: Vec<String> = (1..=n).map(|i| format!("${i}")).collect();
        sql.replace("{ids}", &marks.join(", "))
    }
}

fn parse_enum<T: std::str::FromStr<Err = String>>(s: String) -> R<T> {
    s.parse().map_err(StoreError::Corrupt)
}

macro_rules! backend {
    ($module:ident, $db:ty, $conn:ty) => {
        mod $module {
            use super::*;
            use sqlx::Row;

            type DbRow = <$db as sqlx::Database>::Row;

            fn org(r: &DbRow) -> R<Organization> {
                Ok(Organization {
                    id: r.try_get("id")?,
                    slug: r.try_get("slug")?,
                    name: r.try_get("name")?,
                    short_name: r.try_get("short_name")?,
                    kind: parse_enum(r.try_get("kind")?)?,
                    area: r.try_get("area")?,
                    reports_to_id: r.try_get("reports_to_id")?,
                    status: r.try_get("status")?,
                    placeholder: r.try_get("placeholder")?,
                    merged_into_id: r.try_get("merged_into_id")?,
                    row_version: r.try_get("row_version")?,
                    publish_minutes_separately: r.try_get("publish_minutes_separately")?,
                    minutes_overdue_days: r.try_get("minutes_overdue_days")?,
                    adjunct_limit: r.try_get("adjunct_limit")?,
                })
            }

            fn version(r: &DbRow) -> R<CharterVersion> {
                Ok(CharterVersion {
                    id: r.try_get("id")?,
                    organization_id: r.try_get("organization_id")?,
                    version: r.try_get("version")?,
                    case_id: r.try_get("case_id")?,
                    registry_number: r.try_get("registry_number")?,
                    document_kind: parse_enum(r.try_get("document_kind")?)?,
                    title: r.try_get("title")?,
                    revision: r.try_get("revision")?,
                    document_date: r.try_get("document_date")?,
                    decision_date: r.try_get("decision_date")?,
                    decided_by_name: r.try_get("decided_by_name")?,
                    decided_by_title: r.try_get("decided_by_title")?,
                    status: parse_enum(r.try_get("status")?)?,
                    source_name: r.try_get("source_name")?,
                    source_sha256: r.try_get("source_sha256")?,
                    imported_at: r.try_get("imported_at")?,
                })
            }

            fn case(r: &DbRow) -> R<Case> {
                Ok(Case {
                    id: r.try_get("id")?,
                    registry_number: r.try_get("registry_number")?,
                    prefix: r.try_get("prefix")?,
                    year: r.try_get("year")?,
                    serial: r.try_get("serial")?,
                })
            }

            /// The rows of a `one_group` statement with an `{ids}` list, bound to `ids`.
            async fn rows_with_ids(c: &mut $conn, template: &str, ids: &[i64]) -> R<Vec<DbRow>> {
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                let sql = one_group::with_ids(template, ids.len());
                let mut q = sqlx::query(&sql);
                for id in ids {
                    q = q.bind(*id);
                }
                Ok(q.fetch_all(&mut *c).await?)
            }

            impl Conn for $conn {
                async fn organizations(&mut self) -> R<Vec<Organization>> {
                    let sql = format!("SELECT {ORG_COLUMNS} FROM organizations ORDER BY name, id");
                    sqlx::query(&sql).fetch_all(&mut *self).await?.iter().map(org).collect()
                }

                async fn organization_by_slug(&mut self, slug: &str) -> R<Option<Organization>> {
                    let sql = format!("SELECT {ORG_COLUMNS} FROM organizations WHERE slug = $1");
                    sqlx::query(&sql).bind(slug).fetch_optional(&mut *self).await?.as_ref().map(org).transpose()
                }

                async fn organization_by_id(&mut self, id: i64) -> R<Option<Organization>> {
                    let sql = format!("SELECT {ORG_COLUMNS} FROM organizations WHERE id = $1");
                    sqlx::query(&sql).bind(id).fetch_optional(&mut *self).await?.as_ref().map(org).transpose()
                }

                async fn groups_by(&mut self, sql: &'static str, id: i64) -> R<Vec<Organization>> {
                    sqlx::query(sql).bind(id).fetch_all(&mut *self).await?.iter().map(org).collect()
                }

                async fn name_holder(&mut self, name: &str, except: i64) -> R<Option<String>> {
                    Ok(sqlx::query_scalar("SELECT slug FROM organizations WHERE name = $1 AND id <> $2 AND merged_into_id IS NULL ORDER BY id LIMIT 1")
                        .bind(name)
                        .bind(except)
                        .fetch_optional(&mut *self)
                        .await?)
                }

                async fn aliases_of(&mut self, id: i64) -> R<Vec<String>> {
                    Ok(sqlx::query_scalar(one_group::ALIASES).bind(id).fetch_all(&mut *self).await?)
                }

                async fn versions_in(&mut self, ids: &[i64]) -> R<Vec<CharterVersion>> {
                    rows_with_ids(self, one_group::VERSIONS_IN, ids).await?.iter().map(version).collect()
                }

                async fn versions_of(&mut self, id: i64) -> R<Vec<CharterVersion>> {
                    sqlx::query(one_group::VERSIONS).bind(id).fetch_all(&mut *self).await?.iter().map(version).collect()
                }

                async fn aliases(&mut self) -> R<Vec<Alias>> {
                    let rows = sqlx::query("SELECT organization_id, alias, alias_key FROM organization_aliases ORDER BY organization_id, alias")
                        .fetch_all(&mut *self)
                        .await?;
                    rows.iter()
                        .map(|r| {
                            Ok(Alias {
                                organization_id: r.try_get("organization_id")?,
                                alias: r.try_get("alias")?,
                                alias_key: r.try_get("alias_key")?,
                            })
                        })
                        .collect()
                }

                async fn organizations_in(&mut self, ids: &[i64]) -> R<Vec<Organization>> {
                    rows_with_ids(self, one_group::ORGANIZATIONS_IN, ids).await?.iter().map(org).collect()
                }

                async fn liaisons_from(&mut self, ids: &[i64]) -> R<Vec<(i64, i64)>> {
                    rows_with_ids(self, one_group::LIAISONS_FROM, ids)
                        .await?
                        .iter()
                        .map(|r| Ok((r.try_get("organization_id")?, r.try_get("liaison_id")?)))
                        .collect()
                }

                async fn liaisons(&mut self) -> R<Vec<(i64, i64)>> {
                    let rows = sqlx::query("SELECT organization_id, liaison_id FROM organization_liaisons ORDER BY organization_id, liaison_id")
                        .fetch_all(&mut *self)
                        .await?;
                    rows.iter()
                        .map(|r| Ok((r.try_get("organization_id")?, r.try_get("liaison_id")?)))
                        .collect()
                }

                async fn versions(&mut self, organization_id: Option<i64>) -> R<Vec<CharterVersion>> {
                    match organization_id {
                        Some(id) => self.versions_of(id).await,
                        None => {
                            let sql = format!("SELECT {VERSION_COLUMNS} FROM charter_versions ORDER BY organization_id, version");
                            sqlx::query(&sql).fetch_all(&mut *self).await?.iter().map(version).collect()
                        }
                    }
                }

                async fn versions_in_case(&mut self, case_id: i64) -> R<Vec<CharterVersion>> {
                    let sql = format!("SELECT {VERSION_COLUMNS} FROM charter_versions WHERE case_id = $1 ORDER BY document_date, id");
                    sqlx::query(&sql).bind(case_id).fetch_all(&mut *self).await?.iter().map(version).collect()
                }

                async fn version_content(&mut self, organization_id: i64, number: i64) -> R<Option<(CharterVersion, String, String)>> {
                    let sql = format!("SELECT {VERSION_COLUMNS}, content, source_text FROM charter_versions WHERE organization_id = $1 AND version = $2");
                    let row = sqlx::query(&sql).bind(organization_id).bind(number).fetch_optional(&mut *self).await?;
                    match row {
                        Some(r) => Ok(Some((version(&r)?, r.try_get("content")?, r.try_get("source_text")?))),
                        None => Ok(None),
                    }
                }

                async fn cases(&mut self) -> R<Vec<Case>> {
                    sqlx::query("SELECT id, registry_number, prefix, year, serial FROM cases ORDER BY year DESC, registry_number")
                        .fetch_all(&mut *self).await?.iter().map(case).collect()
                }

                async fn case_document_count(&mut self, case_id: i64) -> R<i64> {
                    Ok(sqlx::query_scalar(one_group::CASE_DOCUMENT_COUNT).bind(case_id).fetch_one(&mut *self).await?)
                }

                async fn case_documents_page(&mut self, case_id: i64, offset: i64, limit: i64) -> R<Vec<CharterVersion>> {
                    sqlx::query(one_group::CASE_DOCUMENTS_PAGE)
                        .bind(case_id)
                        .bind(limit)
                        .bind(offset)
                        .fetch_all(&mut *self)
                        .await?
                        .iter()
                        .map(version)
                        .collect()
                }

                async fn case_count(&mut self) -> R<i64> {
                    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM cases").fetch_one(&mut *self).await?)
                }

                async fn cases_page(&mut self, offset: i64, limit: i64) -> R<Vec<CaseSummary>> {
                    let rows = sqlx::query(one_group::CASES_PAGE)
                    .bind(limit)
                    .bind(offset)
                    .fetch_all(&mut *self)
                    .await?;
                    rows.iter()
                        .map(|r| Ok(CaseSummary { case: case(r)?, documents: r.try_get("documents")? }))
                        .collect()
                }

                async fn case_by_number(&mut self, registry_number: &str) -> R<Option<Case>> {
                    sqlx::query("SELECT id, registry_number, prefix, year, serial FROM cases WHERE registry_number = $1")
                        .bind(registry_number)
                        .fetch_optional(&mut *self).await?.as_ref().map(case).transpose()
                }

                async fn references_of(&mut self, version_id: i64) -> R<Vec<String>> {
                    let rows = sqlx::query("SELECT registry_number FROM charter_references WHERE charter_version_id = $1 ORDER BY position")
                        .bind(version_id)
                        .fetch_all(&mut *self)
                        .await?;
                    rows.iter().map(|r| Ok(r.try_get("registry_number")?)).collect()
                }

                async fn audit_events(&mut self) -> R<Vec<AuditEvent>> {
                    let rows = sqlx::query("SELECT id, occurred_at, actor, action, object_type, object_id, detail, changes FROM audit_events ORDER BY id")
                        .fetch_all(&mut *self)
                        .await?;
                    rows.iter()
                        .map(|r| {
                            Ok(AuditEvent {
                                id: r.try_get("id")?,
                                occurred_at: r.try_get("occurred_at")?,
                                actor: r.try_get("actor")?,
                                action: r.try_get("action")?,
                                object_type: r.try_get("object_type")?,
                                object_id: r.try_get("object_id")?,
                                detail: r.try_get("detail")?,
                                changes: r.try_get("changes")?,
                            })
                        })
                        .collect()
                }

                async fn counts(&mut self) -> R<Counts> {
                    let r = sqlx::query(
                        "SELECT (SELECT COUNT(*) FROM organizations) AS organizations,
                                (SELECT COUNT(*) FROM organization_aliases) AS aliases,
                                (SELECT COUNT(*) FROM organization_liaisons) AS liaisons,
                                (SELECT COUNT(*) FROM cases) AS cases,
                                (SELECT COUNT(*) FROM charter_versions) AS charter_versions,
                                (SELECT COUNT(*) FROM charter_references) AS refs,
                                (SELECT COUNT(*) FROM audit_events) AS audit_events",
                    )
                    .fetch_one(&mut *self)
                    .await?;
                    Ok(Counts {
                        organizations: r.try_get("organizations")?,
                        aliases: r.try_get("aliases")?,
                        liaisons: r.try_get("liaisons")?,
                        cases: r.try_get("cases")?,
                        charter_versions: r.try_get("charter_versions")?,
                        references: r.try_get("refs")?,
                        audit_events: r.try_get("audit_events")?,
                    })
                }

                async fn insert_org(&mut self, o: &NewOrg<'_>, now: DateTime<Utc>) -> R<i64> {
                    Ok(sqlx::query_scalar(
                        "INSERT INTO organizations (slug, name, short_name, kind, area, reports_to_id, placeholder, created_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                    )
                    .bind(o.slug)
                    .bind(o.name)
                    .bind(o.short_name)
                    .bind(o.kind)
                    .bind(o.area)
                    .bind(o.reports_to_id)
                    .bind(o.placeholder)
                    .bind(now)
                    .fetch_one(&mut *self)
                    .await?)
                }

                async fn update_org(&mut self, id: i64, name: &str, kind: &str, area: Option<&str>, reports_to_id: Option<i64>, placeholder: bool) -> R<()> {
                    sqlx::query("UPDATE organizations SET name = $1, kind = $2, area = $3, reports_to_id = $4, placeholder = $5 WHERE id = $6")
                        .bind(name)
                        .bind(kind)
                        .bind(area)
                        .bind(reports_to_id)
                        .bind(placeholder)
                        .bind(id)
                        .execute(&mut *self)
                        .await?;
                    Ok(())
                }

                async fn set_merged(&mut self, id: i64, into: i64) -> R<()> {
                    sqlx::query("UPDATE organizations SET merged_into_id = $1 WHERE id = $2")
                        .bind(into)
                        .bind(id)
                        .execute(&mut *self)
                        .await?;
                    Ok(())
                }

                async fn insert_alias(&mut self, organization_id: i64, alias: &str, key: &str) -> R<bool> {
                    let done = sqlx::query("INSERT INTO organization_aliases (organization_id, alias, alias_key) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                        .bind(organization_id)
                        .bind(alias)
                        .bind(key)
                        .execute(&mut *self)
                        .await?;
                    Ok(done.rows_affected() > 0)
                }

                async fn delete_alias(&mut self, organization_id: i64, key: &str) -> R<bool> {
                    let done = sqlx::query("DELETE FROM organization_aliases WHERE organization_id = $1 AND alias_key = $2")
                        .bind(organization_id)
                        .bind(key)
                        .execute(&mut *self)
                        .await?;
                    Ok(done.rows_affected() > 0)
                }

                async fn insert_liaison(&mut self, organization_id: i64, liaison_id: i64) -> R<bool> {
                    let done = sqlx::query("INSERT INTO organization_liaisons (organization_id, liaison_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                        .bind(organization_id)
                        .bind(liaison_id)
                        .execute(&mut *self)
                        .await?;
                    Ok(done.rows_affected() > 0)
                }

                async fn move_references_to_org(&mut self, from: i64, into: i64) -> R<()> {
                    for sql in [
                        "UPDATE organizations SET reports_to_id = $2 WHERE reports_to_id = $1",
                        "INSERT INTO organization_aliases (organization_id, alias, alias_key) SELECT $2, alias, alias_key FROM organization_aliases WHERE organization_id = $1 ON CONFLICT DO NOTHING",
                        "DELETE FROM organization_aliases WHERE organization_id = $1 AND $2 = $2",
                        "INSERT INTO organization_liaisons (organization_id, liaison_id) SELECT $2, liaison_id FROM organization_liaisons WHERE organization_id = $1 AND liaison_id <> $2 ON CONFLICT DO NOTHING",
                        "INSERT INTO organization_liaisons (organization_id, liaison_id) SELECT organization_id, $2 FROM organization_liaisons WHERE liaison_id = $1 AND organization_id <> $2 ON CONFLICT DO NOTHING",
                        "DELETE FROM organization_liaisons WHERE (organization_id = $1 OR liaison_id = $1) AND $2 = $2",
                    ] {
                        // Every statement names both parameters: PostgreSQL refuses a
                        // bind with more values than the statement has placeholders.
                        sqlx::query(sql).bind(from).bind(into).execute(&mut *self).await?;
                    }
                    Ok(())
                }

                async fn move_versions(&mut self, from: i64, into: i64, offset: i64) -> R<u64> {
                    let done = sqlx::query("UPDATE charter_versions SET organization_id = $1, version = version + $2 WHERE organization_id = $3")
                        .bind(into)
                        .bind(offset)
                        .bind(from)
                        .execute(&mut *self)
                        .await?;
                    Ok(done.rows_affected())
                }

                async fn upsert_case(&mut self, registry_number: &str, prefix: &str, year: i64, serial: &str, now: DateTime<Utc>) -> R<i64> {
                    sqlx::query("INSERT INTO cases (registry_number, prefix, year, serial, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (registry_number) DO NOTHING")
                        .bind(registry_number)
                        .bind(prefix)
                        .bind(year)
                        .bind(serial)
                        .bind(now)
                        .execute(&mut *self)
                        .await?;
                    Ok(sqlx::query_scalar("SELECT id FROM cases WHERE registry_number = $1")
                        .bind(registry_number)
                        .fetch_one(&mut *self)
                        .await?)
                }

                async fn version_with_same_text(&mut self, organization_id: i64, sha: &str, content: &str) -> R<Option<i64>> {
                    // The same document is the same text, or the same charter
                    // however its text was extracted: a PDF of version 1 reads
                    // to the same content with other warnings (issue 27, item 6).
                    let want = same_document_key(content);
                    let rows: Vec<(i64, String, String)> = sqlx::query_as("SELECT version, source_sha256, content FROM charter_versions WHERE organization_id = $1 ORDER BY version")
                        .bind(organization_id)
                        .fetch_all(&mut *self)
                        .await?;
                    Ok(rows
                        .into_iter()
                        .find(|(_, s, c)| s == sha || (want.is_some() && same_document_key(c) == want))
                        .map(|(v, ..)| v))
                }

                async fn insert_version(&mut self, v: &NewVersion<'_>, now: DateTime<Utc>) -> R<i64> {
                    Ok(sqlx::query_scalar(
                        "INSERT INTO charter_versions (organization_id, version, case_id, registry_number, document_kind, title, revision,
                             document_date, decision_date, decided_by_name, decided_by_title, status, content, source_name, source_text,
                             source_sha256, imported_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
                    )
                    .bind(v.organization_id)
                    .bind(v.version)
                    .bind(v.case_id)
                    .bind(v.registry_number.as_deref())
                    .bind(v.document_kind)
                    .bind(v.title)
                    .bind(v.revision)
                    .bind(v.document_date)
                    .bind(v.decision_date)
                    .bind(v.decided_by_name)
                    .bind(v.decided_by_title)
                    .bind(v.status)
                    .bind(v.content.as_str())
                    .bind(v.source_name)
                    .bind(v.source_text)
                    .bind(v.source_sha256)
                    .bind(now)
                    .fetch_one(&mut *self)
                    .await?)
                }

                async fn insert_reference(&mut self, version_id: i64, registry_number: &str, position: i64) -> R<()> {
                    sqlx::query("INSERT INTO charter_references (charter_version_id, registry_number, position) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                        .bind(version_id)
                        .bind(registry_number)
                        .bind(position)
                        .execute(&mut *self)
                        .await?;
                    Ok(())
                }

                async fn insert_source_file(&mut self, version_id: i64, file: &SourceFile<'_>) -> R<()> {
                    sqlx::query("INSERT INTO charter_source_files (charter_version_id, media_type, size, sha256, data) VALUES ($1, $2, $3, $4, $5)")
                        .bind(version_id)
                        .bind(file.media_type)
                        .bind(file.bytes.len() as i64)
                        .bind(crate::checksum::sha256_hex_bytes(file.bytes))
                        .bind(file.bytes)
                        .execute(&mut *self)
                        .await?;
                    Ok(())
                }

                async fn audit_event_mark(&mut self) -> R<i64> {
                    // The highest id, read from the index: the log is append-only, so it
                    // moves exactly when an event is added (COUNT(*) would read the table).
                    Ok(sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM audit_events").fetch_one(&mut *self).await?)
                }

                async fn insert_audit(&mut self, e: &NewAudit<'_>) -> R<()> {
                    sqlx::query("INSERT INTO audit_events (occurred_at, actor, action, object_type, object_id, detail, changes) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                        .bind(e.now)
                        .bind(e.actor)
                        .bind(e.action)
                        .bind(e.object_type)
                        .bind(e.object_id)
                        .bind(e.detail)
                        .bind(e.changes.as_deref())
                        .execute(&mut *self)
                        .await?;
                    Ok(())
                }
            }
        }
    };
}

backend!(sqlite, sqlx::Sqlite, sqlx::SqliteConnection);
backend!(postgres, sqlx::Postgres, sqlx::PgConnection);
