//! Search pages: `/sok` and `/api/v1/search`, which ask this node's index
//! ([`crate::search_sync`]) for what the visitor may read.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::Utc;
use samordna_domain::calendar::swedish_date;
use samordna_domain::policy::{self, Action, Role};
use samordna_domain::search::DocKind;
use samordna_search::{Access, SearchQuery};
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

/// Hits on a page of `/sok`.
const PER_PAGE: usize = 20;

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
                .internal_readable(person, swedish_date(Utc::now()))
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
    /// A group's id (as the facets give it) or its address (slug).
    pub group: Option<String>,
    pub year: Option<i32>,
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    pub page: Option<usize>,
    pub per_page: Option<usize>,
}

/// The longest query read, in characters (the rest is ignored).
const LONGEST_QUERY: usize = 200;

/// The query as read: at most [`LONGEST_QUERY`] characters, ending at a word,
/// without control characters, trimmed.
fn query_text(q: Option<&str>) -> String {
    let q: String = q
        .unwrap_or("")
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let q = q.trim();
    if q.chars().count() <= LONGEST_QUERY {
        return q.to_string();
    }
    let cut: String = q.chars().take(LONGEST_QUERY).collect();
    match cut.rfind(char::is_whitespace) {
        Some(i) => cut[..i].trim_end().to_string(),
        None => cut,
    }
}

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
    /// The search without this facet's filter, when one is chosen: (link, text).
    all: Option<(String, String)>,
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
    /// A filter that could not be read (the hits are without it).
    notice: Option<String>,
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
    let text = query_text(p.q.as_deref());
    // An unknown kind on the page: said above the hits, which are of every kind.
    let (kind, kind_error) = match kind_param("typ", p.typ.as_deref()) {
        Ok(k) => (k, None),
        Err(_) => (
            None,
            Some(t.t1(
                "search-unknown-kind",
                "value",
                p.typ.as_deref().unwrap_or(""),
            )),
        ),
    };
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
            notice: kind_error,
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
        kind,
        org: p.grupp,
        year: p.ar,
        doc_type: doc_type.clone(),
        offset,
        ..SearchQuery::new(text.clone(), access.clone(), PER_PAGE)
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
            all: kind.map(|_| {
                (
                    href(None, p.grupp, p.ar, doc_type.as_deref()),
                    t.t("search-all-kinds"),
                )
            }),
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
            all: doc_type
                .as_ref()
                .map(|_| (href(cur_kind, p.grupp, p.ar, None), t.t("search-all-types"))),
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
            all: p.grupp.map(|_| {
                (
                    href(cur_kind, None, p.ar, doc_type.as_deref()),
                    t.t("search-all-groups"),
                )
            }),
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
            all: p.ar.map(|_| {
                (
                    href(cur_kind, p.grupp, None, doc_type.as_deref()),
                    t.t("search-all-years"),
                )
            }),
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
        notice: kind_error,
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
#[utoipa::path(get, path = "/api/v1/search", tag = "Sök", params(("q" = Option<String>, Query, description = "Sökfrågan"), ("kind" = Option<String>, Query, description = "Slag av träff"), ("group" = Option<String>, Query, description = "Gruppens id eller adress"), ("year" = Option<i32>, Query, description = "År"), ("type" = Option<String>, Query, description = "Dokumenttyp"), ("page" = Option<u64>, Query, description = "Sidan"), ("per_page" = Option<u64>, Query, description = "Per sida, högst 100")), responses((status = 200, description = "Träffarna", body = crate::api_schema::SearchAnswer)))]
pub async fn api(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Query(p): Query<ApiParams>,
) -> Result<Response, ApiError> {
    let text = query_text(p.q.as_deref());
    let kind = kind_param("kind", p.kind.as_deref())?;
    let group = match p.group.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
        None => None,
        Some(g) => match g.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => Some(state.group(g).await?.id),
        },
    };
    let per_page = p.per_page.unwrap_or(20).clamp(1, 100);
    let access = access_of(&state, &v).await?;
    let q = |offset| SearchQuery {
        kind,
        org: group,
        year: p.year,
        doc_type: p.doc_type.clone().filter(|d| !d.is_empty()),
        offset,
        ..SearchQuery::new(text.clone(), access.clone(), per_page)
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
        let mut parts = vec![format!("q={}", encode_query(&text))];
        if let Some(k) = kind {
            parts.push(format!("kind={}", k.as_str()));
        }
        if let Some(g) = group {
            parts.push(format!("group={g}"));
        }
        if let Some(y) = p.year {
            parts.push(format!("year={y}"));
        }
        if let Some(d) = p.doc_type.as_deref().filter(|d| !d.is_empty()) {
            parts.push(format!("type={}", encode_query(d)));
        }
        parts.push(format!("page={}", paging.page + 1));
        parts.push(format!("per_page={per_page}"));
        format!(
            "{}/api/v1/search?{}",
            public.trim_end_matches('/'),
            parts.join("&")
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
