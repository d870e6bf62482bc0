//! Search: keeping this node's index current from the database, and `/sok` and
//! `/api/v1/search`, which ask it for what the visitor may read.
//!
//! The index is a copy: [`Search::sync`] rebuilds it when it is missing, of
//! another schema or of another database, and otherwise applies the outbox's
//! changes above its position (`samordna_store` search.rs). `serve` runs
//! [`Search::spawn`], which syncs every [`Settings::search_interval`]; a
//! router without it (tests) syncs before each search.

use std::path::Path as FsPath;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::Utc;
use samordna_domain::policy::{self, Action, Role};
use samordna_domain::search::{DocKind, Document, Entity};
use samordna_search::{Access, Position, SearchIndex, SearchQuery, SCHEMA_VERSION};
use samordna_store::Store;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::chrome::Chrome;
use crate::error::{ApiError, AppError};
use crate::extract::Query;
use crate::i18n::Tr;
use crate::paging::{Pager, Paging};
use crate::render::page as render;
use crate::request::{encode_query, Visitor};
use crate::state::AppState;

/// Groups read from the database at once in a rebuild.
const GROUPS_AT_ONCE: usize = 200;

/// Hits on a page of `/sok`.
const PER_PAGE: usize = 20;

/// This node's index and what keeps it current.
pub struct Search {
    index: Arc<SearchIndex>,
    store: Store,
    /// One sync at a time.
    syncing: tokio::sync::Mutex<()>,
    /// A background task keeps the index current (else each search syncs).
    background: std::sync::atomic::AtomicBool,
}

impl std::fmt::Debug for Search {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Search")
            .field("index", &self.index)
            .finish()
    }
}

/// `dir`, or when another process holds it (a second node on the same
/// machine), `dir-PORT`: each node keeps an index of its own.
pub fn free_dir(dir: std::path::PathBuf, port: u16) -> std::path::PathBuf {
    match SearchIndex::open(&dir) {
        Err(samordna_search::SearchError::Locked(_)) => {
            let mut d = dir.into_os_string();
            d.push(format!("-{port}"));
            d.into()
        }
        _ => dir,
    }
}

/// Why the index could not be brought up to the database.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Store(#[from] samordna_store::StoreError),
    #[error(transparent)]
    Index(#[from] samordna_search::SearchError),
    #[error("sökindexet: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// What a sync did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Synced {
    /// The index was built again from the whole database.
    pub rebuilt: bool,
    /// Groups and people written again from the outbox.
    pub entities: usize,
    /// Documents written.
    pub documents: usize,
}

impl Search {
    /// The index in `dir` (created when missing), or in memory with `None`.
    ///
    /// Errors: the index is another process's (`samordna_search::SearchError::Locked`)
    /// or cannot be opened.
    pub fn open(
        store: Store,
        dir: Option<&FsPath>,
    ) -> Result<Search, samordna_search::SearchError> {
        let index = match dir {
            Some(d) => SearchIndex::open(d)?,
            None => SearchIndex::in_memory()?,
        };
        Ok(Search {
            index: Arc::new(index),
            store,
            syncing: tokio::sync::Mutex::new(()),
            background: false.into(),
        })
    }

    /// The index.
    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// Brings the index up to the database: a rebuild when it has no position
    /// of this schema and database, else the outbox's changes since.
    /// `progress(done, of)` is told of a rebuild's groups and people.
    pub async fn sync(&self, progress: &(dyn Fn(u64, u64) + Sync)) -> Result<Synced, SyncError> {
        let _one = self.syncing.lock().await;
        let instance = self.store.search_instance().await?;
        match self.index.position() {
            Some(p) if p.instance == instance => self.catch_up(p).await,
            _ => {
                let mut s = self.rebuild_locked(&instance, progress).await?;
                let p = self.index.position().unwrap_or(Position {
                    schema: SCHEMA_VERSION,
                    instance,
                    seq: 0,
                });
                let c = self.catch_up(p).await?;
                s.entities += c.entities;
                s.documents += c.documents;
                Ok(s)
            }
        }
    }

    /// Builds the index again from the whole database (`samordna search
    /// reindex`), then applies what changed meanwhile.
    pub async fn rebuild(&self, progress: &(dyn Fn(u64, u64) + Sync)) -> Result<Synced, SyncError> {
        let _one = self.syncing.lock().await;
        let instance = self.store.search_instance().await?;
        let mut s = self.rebuild_locked(&instance, progress).await?;
        if let Some(p) = self.index.position() {
            let c = self.catch_up(p).await?;
            s.documents += c.documents;
        }
        Ok(s)
    }

    async fn rebuild_locked(
        &self,
        instance: &str,
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> Result<Synced, SyncError> {
        let all = self.store.search_entities().await?;
        let of = (all.orgs.len() + all.people.len()) as u64;
        let mut done = 0u64;
        let mut documents = 0;
        let mut first = true;
        progress(0, of);
        for chunk in all.orgs.chunks(GROUPS_AT_ONCE) {
            let docs = self
                .store
                .search_documents_of_orgs(chunk[0], chunk[chunk.len() - 1])
                .await?;
            documents += self.stage(first, docs).await?;
            first = false;
            done += chunk.len() as u64;
            progress(done, of);
        }
        let today = Utc::now().date_naive();
        for chunk in all.people.chunks(GROUPS_AT_ONCE * 5) {
            let docs = self
                .store
                .search_documents_of_people(chunk[0], chunk[chunk.len() - 1], today)
                .await?;
            documents += self.stage(first, docs).await?;
            first = false;
            done += chunk.len() as u64;
            progress(done, of);
        }
        if first {
            self.stage(true, Vec::new()).await?;
        }
        let position = Position {
            schema: SCHEMA_VERSION,
            instance: instance.to_string(),
            seq: all.position,
        };
        let index = self.index.clone();
        tokio::task::spawn_blocking(move || index.commit_staged(&position)).await??;
        Ok(Synced {
            rebuilt: true,
            entities: of as usize,
            documents,
        })
    }

    async fn stage(&self, first: bool, docs: Vec<Document>) -> Result<usize, SyncError> {
        let index = self.index.clone();
        Ok(tokio::task::spawn_blocking(move || {
            let docs = with_file_text(docs);
            let n = docs.len();
            index.stage(first, docs).map(|_| n)
        })
        .await??)
    }

    async fn catch_up(&self, mut position: Position) -> Result<Synced, SyncError> {
        let mut out = Synced::default();
        loop {
            let changes = self.store.search_changes(position.seq).await?;
            if changes.entities.is_empty() {
                return Ok(out);
            }
            let today = Utc::now().date_naive();
            let mut docs = Vec::new();
            for e in &changes.entities {
                docs.extend(match e {
                    Entity::Org(id) => self.store.search_documents_of_orgs(*id, *id).await?,
                    Entity::Person(id) => {
                        self.store
                            .search_documents_of_people(*id, *id, today)
                            .await?
                    }
                });
            }
            out.entities += changes.entities.len();
            out.documents += docs.len();
            position.seq = changes.position;
            let index = self.index.clone();
            let p = position.clone();
            tokio::task::spawn_blocking(move || {
                index.apply(false, &changes.entities, with_file_text(docs), &p)
            })
            .await??;
        }
    }

    /// Keeps the index current in the background: a sync now (a rebuild when
    /// it is missing or stale), then one every `interval`. Errors are logged
    /// and tried again at the next turn.
    pub fn spawn(self: &Arc<Self>, interval: Duration) -> tokio::task::JoinHandle<()> {
        self.background
            .store(true, std::sync::atomic::Ordering::Relaxed);
        let me = self.clone();
        tokio::spawn(async move {
            loop {
                let log = |done: u64, of: u64| {
                    if of > 0 && (done == of || done.is_multiple_of(2000)) {
                        tracing::info!(done, of, "sökindexet byggs");
                    }
                };
                match me.sync(&log).await {
                    Ok(s) if s.rebuilt => {
                        tracing::info!(documents = s.documents, "sökindexet byggt")
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "sökindexet kunde inte hållas aktuellt"),
                }
                tokio::time::sleep(interval).await;
            }
        })
    }

    /// Runs `q` for a visitor, syncing first when no background task does.
    async fn search(&self, q: SearchQuery) -> Result<samordna_search::Results, AppError> {
        if !self.background.load(std::sync::atomic::Ordering::Relaxed) {
            self.sync(&|_, _| {})
                .await
                .map_err(|e| AppError::Internal(format!("sökindexet: {e}")))?;
        }
        let index = self.index.clone();
        tokio::task::spawn_blocking(move || index.search(&q))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .map_err(|e| AppError::Internal(e.to_string()))
    }
}

/// Attachments' text, extracted where it can be (PDF, Word, plain text);
/// an attachment whose text cannot be read is found by its name.
fn with_file_text(mut docs: Vec<Document>) -> Vec<Document> {
    for d in &mut docs {
        if let Some((_, bytes)) = d.file.take() {
            if let Ok((_, text)) = samordna_documents::extract::charter_text_of(&bytes) {
                d.body = text;
            }
        }
    }
    docs
}

/// What `visitor` may read, as the search index filters it (policy.rs:
/// `ReadPeople`, `ReadGroupInternal` through current memberships and the
/// groups reporting to them; the register keeper everything).
pub(crate) async fn access_of(state: &AppState, visitor: &Visitor) -> Result<Access, AppError> {
    let roles = crate::auth::roles(state, visitor, None).await?;
    if roles.contains(&Role::Admin) {
        return Ok(Access::Everything);
    }
    let people = policy::may(&roles, Action::ReadPeople, state.settings.anonymous_access);
    let internal = match visitor.account().and_then(|a| a.person_id) {
        Some(person) => {
            state
                .store
                .internal_readable(person, Utc::now().date_naive())
                .await?
        }
        None => Vec::new(),
    };
    Ok(Access::Limited { people, internal })
}

/// `?q=&typ=&grupp=&ar=&dokumenttyp=&sida=` of `/sok`.
#[derive(Debug, Deserialize, Default)]
pub struct PageParams {
    pub q: Option<String>,
    pub typ: Option<String>,
    pub grupp: Option<i64>,
    pub ar: Option<i32>,
    pub dokumenttyp: Option<String>,
    pub sida: Option<usize>,
}

/// `?q=&kind=&group=&year=&type=&page=&per_page=` of `/api/v1/search`.
#[derive(Debug, Deserialize, Default)]
pub struct ApiParams {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub group: Option<i64>,
    pub year: Option<i32>,
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    pub page: Option<usize>,
    pub per_page: Option<usize>,
}

/// The longest query read, in characters (the rest is ignored).
const LONGEST_QUERY: usize = 200;

fn kind_param(name: &str, value: Option<&str>) -> Result<Option<DocKind>, AppError> {
    match value.filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => DocKind::parse(v).map(Some).ok_or_else(|| {
            let known: Vec<&str> = DocKind::ALL.iter().map(|k| k.as_str()).collect();
            AppError::BadRequest(crate::i18n::current_tr().args(
                "search-error-kind",
                &[
                    ("name", crate::i18n::Arg::Text(name.into())),
                    ("value", crate::i18n::Arg::Text(v.into())),
                    ("known", crate::i18n::Arg::Text(known.join(", "))),
                ],
            ))
        }),
    }
}

struct FacetLink {
    label: String,
    count: u64,
    href: String,
    selected: bool,
}

struct FacetGroup {
    id: &'static str,
    heading: String,
    links: Vec<FacetLink>,
}

struct HitView {
    title: String,
    href: String,
    meta: String,
    snippet: String,
}

#[derive(askama::Template)]
#[template(path = "search.html")]
struct SearchPage {
    c: Chrome,
    q: String,
    summary: Option<String>,
    suggestion: Option<(String, String)>,
    facets: Vec<FacetGroup>,
    clear: Option<String>,
    hits: Vec<HitView>,
    first: usize,
    pager: Option<Pager>,
}

/// The label of a kind, in the reader's language.
fn kind_label(t: &Tr, k: DocKind) -> String {
    t.t(&format!("search-kind-{}", k.as_str()))
}

/// The label of a `"<kind>:<type>"` document type: the word the rest of the
/// portal uses for it, else the stored value.
fn type_label(t: &Tr, value: &str) -> String {
    let (kind, ty) = value.split_once(':').unwrap_or(("", value));
    let dashed = ty.replace(['_', '/', '.', '+'], "-");
    let candidates = match kind {
        "group" => vec![format!("kind-{ty}")],
        "matter" => vec![format!("matter-kind-{dashed}")],
        "decision" => vec![format!("topic-{dashed}")],
        _ => vec![format!("search-type-{dashed}")],
    };
    candidates
        .into_iter()
        .find(|id| t.has(id))
        .map(|id| {
            let s = t.t(&id);
            let mut c = s.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        })
        .unwrap_or_else(|| ty.to_string())
}

/// `/sok`: the search page (a plain GET form; works without JavaScript).
pub async fn page(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Query(p): Query<PageParams>,
) -> Result<Response, AppError> {
    let c = Chrome::new("search");
    let t = c.t;
    let text: String =
        p.q.as_deref()
            .unwrap_or("")
            .chars()
            .take(LONGEST_QUERY)
            .collect();
    let kind = kind_param("typ", p.typ.as_deref())?;
    let doc_type = p.dokumenttyp.clone().filter(|d| !d.is_empty());
    // The address of this search with one filter changed (None: removed).
    let href = |typ: Option<&str>, grupp: Option<i64>, ar: Option<i32>, dt: Option<&str>| {
        let mut parts = vec![format!("q={}", encode_query(&text))];
        if let Some(x) = typ {
            parts.push(format!("typ={x}"));
        }
        if let Some(x) = grupp {
            parts.push(format!("grupp={x}"));
        }
        if let Some(x) = ar {
            parts.push(format!("ar={x}"));
        }
        if let Some(x) = dt {
            parts.push(format!("dokumenttyp={}", encode_query(x)));
        }
        format!("/sok?{}", parts.join("&"))
    };
    let cur_kind = kind.map(|k| k.as_str());
    let filtered = kind.is_some() || p.grupp.is_some() || p.ar.is_some() || doc_type.is_some();
    if text.trim().is_empty() {
        return no_store(render(&SearchPage {
            c,
            q: text,
            summary: None,
            suggestion: None,
            facets: Vec::new(),
            clear: None,
            hits: Vec::new(),
            first: 1,
            pager: None,
        }));
    }
    let access = access_of(&state, &v).await?;
    let run = |offset: usize| SearchQuery {
        text: text.clone(),
        kind,
        org: p.grupp,
        year: p.ar,
        doc_type: doc_type.clone(),
        offset,
        limit: PER_PAGE,
        access: access.clone(),
    };
    let mut results = state.search.search(run(0)).await?;
    let paging = Paging::new(p.sida, PER_PAGE, results.total as usize);
    if paging.page > 1 {
        results = state.search.search(run(paging.offset())).await?;
    }
    let names = group_names(&state, &results.facets.orgs).await?;
    let mut facets = vec![
        FacetGroup {
            id: "typ",
            heading: t.t("search-facet-kind"),
            links: results
                .facets
                .kinds
                .iter()
                .map(|(k, n)| FacetLink {
                    label: kind_label(&t, *k),
                    count: *n,
                    href: href(Some(k.as_str()), p.grupp, p.ar, doc_type.as_deref()),
                    selected: kind == Some(*k),
                })
                .collect(),
        },
        FacetGroup {
            id: "dokumenttyp",
            heading: t.t("search-facet-type"),
            links: results
                .facets
                .doc_types
                .iter()
                .take(15)
                .map(|(d, n)| FacetLink {
                    label: type_label(&t, d),
                    count: *n,
                    href: href(cur_kind, p.grupp, p.ar, Some(d)),
                    selected: doc_type.as_deref() == Some(d.as_str()),
                })
                .collect(),
        },
        FacetGroup {
            id: "grupp",
            heading: t.t("search-facet-group"),
            links: results
                .facets
                .orgs
                .iter()
                .take(15)
                .map(|(o, n)| FacetLink {
                    label: names.get(o).cloned().unwrap_or_else(|| o.to_string()),
                    count: *n,
                    href: href(cur_kind, Some(*o), p.ar, doc_type.as_deref()),
                    selected: p.grupp == Some(*o),
                })
                .collect(),
        },
        FacetGroup {
            id: "ar",
            heading: t.t("search-facet-year"),
            links: results
                .facets
                .years
                .iter()
                .take(15)
                .map(|(y, n)| FacetLink {
                    label: y.to_string(),
                    count: *n,
                    href: href(cur_kind, p.grupp, Some(*y), doc_type.as_deref()),
                    selected: p.ar == Some(*y),
                })
                .collect(),
        },
    ];
    facets.retain(|f| !f.links.is_empty());
    let hits = results
        .hits
        .iter()
        .map(|h| {
            let mut meta = vec![kind_label(&t, h.kind)];
            meta.extend(h.org_name.clone().filter(|_| h.kind != DocKind::Group));
            meta.extend(h.date.clone());
            HitView {
                title: h.title_html.clone(),
                href: h.url.clone(),
                meta: meta.join(" · "),
                snippet: h.snippet.clone(),
            }
        })
        .collect();
    let summary = Some(t.args(
        "search-summary",
        &[
            ("count", crate::i18n::Arg::Num(results.total as i64)),
            ("query", crate::i18n::Arg::Text(text.clone())),
        ],
    ));
    let suggestion = results
        .suggestion
        .clone()
        .map(|s| (format!("/sok?q={}", encode_query(&s)), s));
    let base = href(cur_kind, p.grupp, p.ar, doc_type.as_deref());
    let pager = paging.pager(&t, &base);
    no_store(render(&SearchPage {
        c,
        q: text.clone(),
        summary,
        suggestion,
        facets,
        clear: filtered.then(|| format!("/sok?q={}", encode_query(&text))),
        hits,
        first: paging.offset() + 1,
        pager,
    }))
}

/// Search answers are never kept by the response cache or a browser: the index
/// follows the database a moment later than the cache's change counter.
fn no_store(r: Result<Response, AppError>) -> Result<Response, AppError> {
    r.map(|mut r| {
        r.headers_mut().insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
        r
    })
}

fn no_store_json(j: Json<serde_json::Value>) -> Response {
    no_store(Ok(j.into_response())).unwrap_or_else(|e| e.into_response())
}

/// The names of the groups the facet counts.
async fn group_names(
    state: &AppState,
    orgs: &[(i64, u64)],
) -> Result<std::collections::HashMap<i64, String>, AppError> {
    let ids: Vec<i64> = orgs.iter().take(15).map(|(o, _)| *o).collect();
    Ok(state
        .store
        .organizations_in(&ids)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}

/// One hit as the API gives it.
#[derive(Serialize)]
struct ApiHit<'a> {
    kind: DocKind,
    #[serde(rename = "type")]
    doc_type: Option<&'a str>,
    title: &'a str,
    url: String,
    group: Option<i64>,
    group_name: Option<&'a str>,
    date: Option<&'a str>,
    snippet: &'a str,
    score: f32,
}

/// `/api/v1/search`: the same search as JSON, paged (`page`, `per_page` up to
/// 100), with the facets' counts and the suggestion.
pub async fn api(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Query(p): Query<ApiParams>,
) -> Result<Response, ApiError> {
    let text: String =
        p.q.as_deref()
            .unwrap_or("")
            .chars()
            .take(LONGEST_QUERY)
            .collect();
    let kind = kind_param("kind", p.kind.as_deref())?;
    let per_page = p.per_page.unwrap_or(20).clamp(1, 100);
    let access = access_of(&state, &v).await?;
    let q = |offset| SearchQuery {
        text: text.clone(),
        kind,
        org: p.group,
        year: p.year,
        doc_type: p.doc_type.clone().filter(|d| !d.is_empty()),
        offset,
        limit: per_page,
        access: access.clone(),
    };
    let mut r = state.search.search(q(0)).await?;
    let paging = Paging::new(p.page, per_page, r.total as usize);
    if paging.page > 1 {
        r = state.search.search(q(paging.offset())).await?;
    }
    let public = &state.settings.public_url;
    let hits: Vec<ApiHit> = r
        .hits
        .iter()
        .map(|h| ApiHit {
            kind: h.kind,
            doc_type: h.doc_type.as_deref(),
            title: &h.title,
            url: format!("{}{}", public.trim_end_matches('/'), h.url),
            group: h.org_id,
            group_name: h.org_name.as_deref(),
            date: h.date.as_deref(),
            snippet: &h.snippet,
            score: h.score,
        })
        .collect();
    let next = (!paging.is_last()).then(|| {
        format!(
            "/api/v1/search?q={}&page={}&per_page={}",
            encode_query(&text),
            paging.page + 1,
            per_page
        )
    });
    Ok(no_store_json(Json(json!({
        "query": text,
        "page": paging.page,
        "per_page": per_page,
        "total": r.total,
        "next": next,
        "suggestion": r.suggestion,
        "facets": {
            "kind": r.facets.kinds.iter().map(|(k, n)| json!({"value": k, "count": n})).collect::<Vec<_>>(),
            "type": r.facets.doc_types.iter().map(|(k, n)| json!({"value": k, "count": n})).collect::<Vec<_>>(),
            "group": r.facets.orgs.iter().map(|(k, n)| json!({"value": k, "count": n})).collect::<Vec<_>>(),
            "year": r.facets.years.iter().map(|(k, n)| json!({"value": k, "count": n})).collect::<Vec<_>>(),
        },
        "data": hits,
    })))
    .into_response())
}
