//! HTML pages.

use askama::Template;
use axum::extract::{Path, State};
use samordna_domain::calendar::swedish_date;

use crate::extract::Query;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use samordna_domain::collation;
use samordna_domain::parse::Block;
use samordna_domain::{CharterStatus, RegistryNumber};

use std::collections::HashMap;

use samordna_store::{in_force, CharterVersion, Organization};
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::error::AppError;
use crate::i18n::{Arg, Lang, Tr};
use crate::paging::{PageQuery, Pager, Paging};
use crate::render::page as render;
use crate::request::LANG_COOKIE;
use crate::state::AppState;
use crate::view::{
    charter_state, frequency_label, in_tree, kind_label, status_label, CaseView, LocalTime,
    OrgLink, Snapshot,
};

use crate::i18n::current_tr as tr;

pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/samordna.css"),
    )
}

pub async fn not_found() -> AppError {
    AppError::NotFound(tr().t("error-not-found-page"))
}

/// No route matched: a 404 page, or JSON under `/api/`.
pub async fn fallback() -> Response {
    AppError::NotFound(tr().t("error-not-found-page")).respond()
}

/// A method the address does not take (405; axum adds `Allow`).
pub async fn method_not_allowed() -> Response {
    AppError::MethodNotAllowed.respond()
}

use crate::state::no_group;

pub(crate) fn no_version(version: impl ToString) -> AppError {
    AppError::NotFound(tr().t1("error-no-version", "version", version))
}

#[derive(Deserialize)]
pub struct SwitchQuery {
    till: Option<String>,
}

/// The visible language switch: remembers the choice in a cookie and goes back.
pub async fn switch_language(Path(code): Path<String>, Query(q): Query<SwitchQuery>) -> Response {
    let Some(lang) = Lang::from_code(&code).filter(|l| l.code() == code) else {
        return not_found().await.into_response();
    };
    let back = crate::return_path::ReturnPath::parse(q.till.as_deref());
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    );
    ([(header::SET_COOKIE, cookie)], Redirect::to(back.as_str())).into_response()
}

/// One node of the register tree.
pub struct TreeNode {
    pub href: String,
    pub name: String,
    pub kind: String,
    pub area: Option<String>,
    pub status: String,
    pub charter_label: String,
    pub charter_css: &'static str,
    pub children: usize,
    pub children_label: String,
}

/// The tree, flattened into what nested lists open and close.
pub enum TreeRow {
    Open,
    Close,
    Item(TreeNode),
    EndItem(bool),
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    c: Chrome,
    rows: Vec<TreeRow>,
    others: Vec<OtherBody>,
    summary: String,
    pager: Option<Pager>,
}

struct OtherBody {
    href: String,
    name: String,
    kind: String,
}

/// The register's groups by the group they report to (`None`: the tops), each
/// list in the register's order: councils before groups, then Swedish order.
fn tree_index(snap: &Snapshot) -> HashMap<Option<i64>, Vec<&Organization>> {
    let mut by_parent: HashMap<Option<i64>, Vec<&Organization>> = HashMap::new();
    for o in snap.current().filter(|o| in_tree(o.kind)) {
        // A group whose parent is outside the tree is a top of its own.
        let parent = o
            .reports_to_id
            .filter(|p| snap.get(*p).is_some_and(|p| in_tree(p.kind)));
        by_parent.entry(parent).or_default().push(o);
    }
    for nodes in by_parent.values_mut() {
        nodes.sort_by(|a, b| {
            a.kind
                .cmp(&b.kind)
                .then_with(|| collation::cmp(&a.name, &b.name))
        });
    }
    by_parent
}

fn tree_rows(
    t: &Tr,
    snap: &Snapshot,
    index: &HashMap<Option<i64>, Vec<&Organization>>,
    nodes: &[&Organization],
    depth: usize,
    out: &mut Vec<TreeRow>,
) {
    if nodes.is_empty() || depth > 12 {
        return;
    }
    out.push(TreeRow::Open);
    for o in nodes {
        let kids = index.get(&Some(o.id)).map_or(&[][..], Vec::as_slice);
        let children = kids.len();
        let state = snap.charter_state(o.id);
        out.push(TreeRow::Item(TreeNode {
            href: OrgLink::from(*o).href(),
            name: o.name.clone(),
            kind: kind_label(t, o.kind),
            area: o.area.clone(),
            status: status_label(t, &o.status),
            charter_label: state.label(t),
            charter_css: state.css(),
            children,
            children_label: t.args(
                "tree-children",
                &[
                    ("count", Arg::Num(children as i64)),
                    ("name", Arg::Text(o.name.clone())),
                ],
            ),
        }));
        tree_rows(t, snap, index, kids, depth + 1, out);
        out.push(TreeRow::EndItem(children > 0));
    }
    out.push(TreeRow::Close);
}

/// Councils (with their groups) on one page of the register.
const REGISTER_PAGE: usize = 50;

/// `/`: the register as a tree by reporting line, fifty tops to a page; the
/// bodies the charters refer to on the last page.
pub async fn register(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let c = Chrome::new("register");
    let t = c.t;
    let mut snap = Snapshot::load(&state.store).await?;
    let (paging, shown) = {
        let index = tree_index(&snap);
        let tops = index.get(&None).map_or(&[][..], Vec::as_slice);
        let paging = Paging::new(q.sida, REGISTER_PAGE, tops.len());
        // The groups this page shows: its tops and everything below them.
        let mut shown: Vec<i64> = Vec::new();
        let mut stack: Vec<i64> = paging.slice(tops).iter().map(|o| o.id).collect();
        let mut seen = std::collections::HashSet::new();
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            shown.push(id);
            stack.extend(index.get(&Some(id)).into_iter().flatten().map(|o| o.id));
        }
        (paging, shown)
    };
    // Only their charter versions.
    snap.with_versions_of(&state.store, &shown).await?;
    let index = tree_index(&snap);
    let tops = index.get(&None).map_or(&[][..], Vec::as_slice);
    let mut rows = Vec::new();
    tree_rows(&t, &snap, &index, paging.slice(tops), 0, &mut rows);
    let mut others: Vec<OtherBody> = if paging.is_last() {
        snap.current()
            .filter(|o| !in_tree(o.kind))
            .map(|o| OtherBody {
                href: OrgLink::from(o).href(),
                name: o.name.clone(),
                kind: kind_label(&t, o.kind),
            })
            .collect()
    } else {
        Vec::new()
    };
    collation::sort_by(&mut others, |o| &o.name);
    let councils = snap
        .current()
        .filter(|o| o.kind == samordna_domain::OrgKind::Samordningsrad)
        .count();
    let groups = snap.current().filter(|o| in_tree(o.kind)).count() - councils;
    let summary = t.args(
        "register-summary",
        &[
            ("councils", Arg::Num(councils as i64)),
            ("groups", Arg::Num(groups as i64)),
        ],
    );
    let pager = paging.pager(&t, "/");
    render(&RegisterPage {
        c,
        rows,
        others,
        summary,
        pager,
    })
}

/// One finding of the rules check, as the group page shows it.
struct FindingView {
    severity: String,
    css: &'static str,
    rule: &'static str,
    message: String,
    evidence: String,
    /// (quote, where from)
    quote: Option<(String, String)>,
    /// Where to fix it: (href, link text).
    /// Where the finding is fixed, when the visitor may go there.
    fix: Option<(String, String)>,
    /// Where to record an exception, for those who may.
    exception: Option<String>,
}

struct VersionRow {
    version: i64,
    href: String,
    title: String,
    date: String,
    decision: String,
}

fn decision_label(t: &Tr, v: &CharterVersion) -> String {
    match (v.status, v.decision_date) {
        (CharterStatus::Decided, Some(d)) => t.t1("decision-decided", "date", d),
        _ => t.t("decision-undecided"),
    }
}

fn version_href(slug: &str, version: i64) -> String {
    format!("/grupper/{slug}/uppdragshandlingar/{version}")
}

#[derive(Template)]
#[template(path = "group.html")]
struct GroupPage {
    /// How the charter shown follows its template: (summary, comparison).
    template: Option<(String, String)>,
    /// The group's open draft, for who may read drafts.
    draft_href: Option<String>,
    /// The visitor may start a revision (posted to `{self_href}/utkast`).
    can_revise: bool,
    /// The label of "a revision from the template", when the charter deviates.
    revise_from_template: Option<String>,
    self_href: String,
    csrf: String,
    c: Chrome,
    name: String,
    kind: String,
    area: Option<String>,
    status: String,
    placeholder: bool,
    charter_label: String,
    charter_css: &'static str,
    parent: Option<OrgLink>,
    children: Vec<OrgLink>,
    liaisons: Vec<OrgLink>,
    liaison_of: Vec<OrgLink>,
    aliases: Vec<String>,
    frequency: Option<String>,
    purpose: Option<Vec<String>>,
    duties: Vec<String>,
    content_from: Option<String>,
    versions: Vec<VersionRow>,
    /// Links to what the visitor may do here: edit, members.
    actions: Vec<(String, String)>,
    /// Published minutes: (link, label), newest first.
    minutes: Vec<(String, String)>,
    /// Current members (name, role, administration, adjunct), for those who may read people.
    members: Option<Vec<(String, String, String, bool)>>,
    /// Former members (name, role, from, to).
    former: Vec<(String, String, String, String)>,
    /// Findings of the rules check, for signed-in employees.
    findings: Option<Vec<FindingView>>,
    feed_href: String,
}

pub async fn group(
    State(state): State<AppState>,
    axum::Extension(visitor): axum::Extension<crate::request::Visitor>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let c = Chrome::new("register");
    let t = c.t;
    // Only the group and its neighbourhood, by index: not the whole register.
    let view = state
        .store
        .group_view(&slug)
        .await?
        .ok_or_else(|| no_group(&slug))?;
    if let Some(into) = &view.merged_into {
        return Ok(Redirect::permanent(&OrgLink::from(into).href()).into_response());
    }
    let org = &view.org;
    let versions = view.versions.as_slice();
    let state_now = charter_state(versions);
    // What the group is for: from the version in force, else the latest version.
    let shown = in_force(versions).or_else(|| versions.iter().max_by_key(|v| v.version));
    let doc = match shown {
        Some(v) => state.store.charter_document(org.id, v.version).await?,
        None => None,
    };
    // How the charter shown follows its template, read once: (summary, link to
    // the comparison), and — when it deviates — a revision from the template.
    let conformance = doc
        .as_ref()
        .and_then(|d| samordna_domain::templates::conformance(&d.content));
    let revise_from_template = conformance
        .as_ref()
        .filter(|c| !c.follows())
        .map(|c| t.t1("draft-start-template", "template", c.template_name));
    let template = match (&conformance, shown) {
        (Some(c), Some(v)) => Some((
            crate::conformance::summary(&t, c),
            format!("{}/mall", version_href(&org.slug, v.version)),
        )),
        _ => None,
    };
    let purpose = doc.as_ref().and_then(|d| {
        d.content
            .sections
            .iter()
            .find(|s| s.heading.to_lowercase().starts_with("syfte"))
            .map(|s| {
                s.blocks
                    .iter()
                    .filter_map(|b| match b {
                        Block::Paragraph { text } => Some(text.clone()),
                        Block::List { .. } => None,
                    })
                    .collect()
            })
    });
    let children: Vec<OrgLink> = view.children.iter().map(OrgLink::from).collect();
    let aliases = view.aliases.clone();
    let mut actions = Vec::new();
    let href = OrgLink::from(org).href();
    actions.push((format!("{href}/moten"), t.t("group-meetings")));
    actions.push((format!("{href}/beslut"), t.t("group-decisions")));
    actions.push((format!("{href}/grupparenden"), t.t("group-matters")));
    actions.push((format!("{href}/organisation"), t.t("group-orgchart")));
    if crate::auth::may(
        &state,
        &visitor,
        samordna_domain::policy::Action::ReadPeople,
        Some(org),
    )
    .await
    {
        actions.push((format!("{href}/medlemmar"), t.t("group-members")));
    }
    let may_edit = crate::auth::may(
        &state,
        &visitor,
        samordna_domain::policy::Action::EditGroup,
        Some(org),
    )
    .await;
    if may_edit {
        actions.push((format!("{href}/redigera"), t.t("group-edit")));
        actions.push((format!("{href}/undantag"), t.t("group-exceptions")));
    }
    let minutes = state
        .store
        .published_minutes(Some(org.id))
        .await?
        .into_iter()
        .take(10)
        .map(|(m, v)| {
            let day = samordna_domain::calendar::swedish_date(m.fields.starts_at);
            (
                format!("/moten/{}#v{}", m.id, v.version),
                t.args(
                    "group-minutes-item",
                    &[
                        ("date", Arg::Text(day.to_string())),
                        ("version", Arg::Num(v.version)),
                    ],
                ),
            )
        })
        .collect();
    let (members, former) = if crate::auth::may(
        &state,
        &visitor,
        samordna_domain::policy::Action::ReadPeople,
        Some(org),
    )
    .await
    {
        let today = swedish_date(chrono::Utc::now());
        let all = state.store.memberships(Some(org.id), None).await?;
        let role =
            |r: samordna_domain::policy::MembershipRole| t.t(&format!("role-{}", r.as_str()));
        let current = all
            .iter()
            .filter(|m| m.is_current(today))
            .map(|m| {
                (
                    m.person_name.clone(),
                    role(m.fields.role),
                    m.on_behalf_of_name.clone().unwrap_or_default(),
                    m.fields.role == samordna_domain::policy::MembershipRole::Adjungerad,
                )
            })
            .collect();
        let former = all
            .iter()
            .filter(|m| !m.is_current(today))
            .map(|m| {
                (
                    m.person_name.clone(),
                    role(m.fields.role),
                    m.fields.start_date.to_string(),
                    m.fields.end_date.map(|d| d.to_string()).unwrap_or_default(),
                )
            })
            .collect();
        (Some(current), former)
    } else {
        (None, Vec::new())
    };
    // Each finding links to where it is fixed, when the visitor may go there.
    let mut may_go = std::collections::HashMap::new();
    for action in [
        samordna_domain::policy::Action::ReadPeople,
        samordna_domain::policy::Action::ReadPublished,
        samordna_domain::policy::Action::EditGroup,
    ] {
        let ok = crate::auth::may(&state, &visitor, action, Some(org)).await;
        may_go.insert(action, ok);
    }
    let findings = if members.is_some() && in_tree(org.kind) {
        let filter = samordna_store::GroupFilter {
            slug: Some(&org.slug),
            ..Default::default()
        };
        let outcomes = state
            .store
            .evaluate(
                &filter,
                &state.settings.region,
                swedish_date(chrono::Utc::now()),
            )
            .await?
            .pop()
            .map(|e| e.outcomes)
            .unwrap_or_default();
        Some(
            outcomes
                .into_iter()
                .filter_map(|o| match o {
                    samordna_domain::rules::Outcome::Finding(f) => Some(FindingView {
                        severity: t.t(&format!(
                            "severity-{}",
                            serde_json::to_value(f.severity).ok()?.as_str()?
                        )),
                        css: match f.severity {
                            samordna_domain::rules::Severity::Error => "missing",
                            samordna_domain::rules::Severity::Warning => "warn",
                            samordna_domain::rules::Severity::Info => "ok",
                        },
                        rule: f.rule.as_str(),
                        fix: {
                            let (h, key, action) = crate::compliance::fix_link(&href, f.rule);
                            may_go
                                .get(&action)
                                .copied()
                                .unwrap_or(false)
                                .then(|| (h, t.t(key)))
                        },
                        exception: may_edit.then(|| format!("{href}/undantag?regel={}", f.rule)),
                        message: t.text(&f.message),
                        evidence: t.texts(&f.evidence, "; "),
                        quote: f.source.map(|s| {
                            (
                                s.quote,
                                format!(
                                    "{}{}",
                                    t.text(&s.charter),
                                    s.section.map(|x| format!(", {x}")).unwrap_or_default()
                                ),
                            )
                        }),
                    }),
                    _ => None,
                })
                .collect(),
        )
    } else {
        None
    };
    let draft_href = if crate::auth::may(
        &state,
        &visitor,
        samordna_domain::policy::Action::ReadDrafts,
        Some(org),
    )
    .await
    {
        state
            .store
            .open_draft(org.id)
            .await?
            .map(|d| format!("/grupper/{}/utkast/{}", org.slug, d.id))
    } else {
        None
    };
    let page = GroupPage {
        template,
        draft_href,
        can_revise: may_edit,
        revise_from_template,
        self_href: OrgLink::from(org).href(),
        csrf: visitor.csrf(),
        findings,
        members,
        former,
        feed_href: format!("{href}/anteckningar.atom"),
        minutes,
        actions,
        name: org.name.clone(),
        kind: kind_label(&t, org.kind),
        area: org.area.clone(),
        status: status_label(&t, &org.status),
        placeholder: org.placeholder,
        charter_label: state_now.label(&t),
        charter_css: state_now.css(),
        parent: view.parent.as_ref().map(OrgLink::from),
        children,
        liaisons: view.liaisons.iter().map(OrgLink::from).collect(),
        liaison_of: view.liaison_of.iter().map(OrgLink::from).collect(),
        aliases,
        frequency: doc
            .as_ref()
            .and_then(|d| d.content.meeting_frequency.as_ref())
            .map(|f| frequency_label(&t, f)),
        purpose,
        duties: doc
            .as_ref()
            .map(|d| d.content.duties.clone())
            .unwrap_or_default(),
        content_from: doc.as_ref().map(|d| match d.meta.status {
            CharterStatus::Decided => t.n1("group-content-in-force", "version", d.meta.version),
            CharterStatus::Undecided => t.n1("group-content-undecided", "version", d.meta.version),
        }),
        versions: versions
            .iter()
            .rev()
            .map(|v| VersionRow {
                version: v.version,
                href: version_href(&org.slug, v.version),
                title: v.title.clone(),
                date: v
                    .document_date
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "–".into()),
                decision: decision_label(&t, v),
            })
            .collect(),
        c,
    };
    render(&page)
}

pub(crate) fn parse_version(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| no_version(raw))
}

#[derive(Template)]
#[template(path = "charter.html")]
struct CharterPage {
    c: Chrome,
    /// The version's address; its PDF and DOCX are at `…/pdf` and `…/docx`.
    files_href: String,
    doc: samordna_domain::ParsedCharter,
    /// The comparison with the template of its kind, if there is one.
    template_href: Option<String>,
    /// The comparison with other versions, when there are any.
    compare_href: Option<String>,
    /// What was sent to the distribution list: (entry, body, status).
    sent: Vec<(String, String, String)>,
    /// The visitor may send a decided version to its list.
    can_send: bool,
    csrf: String,
    template_summary: String,
    group: OrgLink,
    version: i64,
    version_of: String,
    kind: String,
    registry_number: Option<String>,
    case_href: String,
    date: Option<String>,
    status: String,
    decided: bool,
    is_in_force: bool,
    in_force_href: Option<String>,
    decision_date: String,
    decision_date_sv: String,
    references: Vec<String>,
    source_name: String,
    source_href: String,
    imported: String,
}

pub async fn charter(
    State(state): State<AppState>,
    axum::Extension(visitor): axum::Extension<crate::request::Visitor>,
    Path((slug, version)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let c = Chrome::new("register");
    let t = c.t;
    let version = parse_version(&version)?;
    let org = state.group(&slug).await?;
    let doc = state
        .store
        .charter_document(org.id, version)
        .await?
        .ok_or_else(|| no_version(version))?;
    let all = state.store.charter_versions(Some(org.id)).await?;
    let current = in_force(&all).map(|v| v.version);
    let references = state.store.references_of(doc.meta.id).await?;
    let meta = &doc.meta;
    let case_href = meta
        .registry_number
        .as_deref()
        .and_then(|r| r.parse::<RegistryNumber>().ok())
        .map(|r| format!("/arenden/{}", r.case().slug()))
        .unwrap_or_default();
    let conformance = samordna_domain::templates::conformance(&doc.content);
    let template_summary = conformance
        .as_ref()
        .map(|c| crate::conformance::summary(&t, c))
        .unwrap_or_default();
    let sent = state
        .store
        .charter_distribution(doc.meta.id)
        .await?
        .into_iter()
        .map(|r| {
            let status = match (r.kind, r.delivered_at) {
                (samordna_store::DistributionKind::Register, _) => t.t("distribution-register"),
                (samordna_store::DistributionKind::Manual, _) => t.t("distribution-manual"),
                (_, Some(at)) => t.t1("distribution-delivered", "date", at.local_date()),
                (_, None) => t.t("distribution-queued"),
            };
            (r.entry, r.organization.unwrap_or_default(), status)
        })
        .collect();
    let can_send = crate::auth::may(
        &state,
        &visitor,
        samordna_domain::policy::Action::EditGroup,
        Some(&org),
    )
    .await;
    let page = CharterPage {
        sent,
        can_send,
        csrf: visitor.csrf(),
        compare_href: (all.len() > 1)
            .then(|| format!("{}/jamfor", version_href(&org.slug, version))),
        template_href: conformance
            .as_ref()
            .map(|_| format!("{}/mall", version_href(&org.slug, version))),
        template_summary,
        group: OrgLink::from(&org),
        version,
        version_of: t.args(
            "charter-version-of",
            &[
                ("version", Arg::Num(version)),
                ("count", Arg::Num(all.len() as i64)),
            ],
        ),
        kind: t.t(&format!("doc-kind-{}", meta.document_kind.as_str())),
        registry_number: meta.registry_number.clone(),
        case_href,
        date: meta.document_date.map(|d| d.to_string()),
        status: t.t(&format!("doc-status-{}", meta.status.as_str())),
        decided: meta.status == CharterStatus::Decided,
        is_in_force: current == Some(version),
        in_force_href: current
            .filter(|v| *v != version)
            .map(|v| version_href(&org.slug, v)),
        decision_date: meta
            .decision_date
            .map(|d| d.to_string())
            .unwrap_or_else(|| t.t("charter-decision-pending")),
        decision_date_sv: meta
            .decision_date
            .map(|d| d.to_string())
            .unwrap_or_else(|| "(ifylls av beslutsfattaren vid godkännande)".into()),
        references,
        source_name: meta.source_name.clone(),
        source_href: format!("{}/kalla", version_href(&org.slug, version)),
        files_href: version_href(&org.slug, version),
        imported: t.t1(
            "charter-source-as-imported",
            "date",
            meta.imported_at.local_date(),
        ),
        doc: doc.content,
        c,
    };
    render(&page)
}

pub async fn charter_source(
    State(state): State<AppState>,
    Path((slug, version)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let version = parse_version(&version)?;
    let org = state.group(&slug).await?;
    let (name, text) = state
        .store
        .charter_source(org.id, version)
        .await?
        .ok_or_else(|| no_version(version))?;
    // A version read from a PDF or DOCX has its original kept: that is the source.
    if let Some((media, bytes)) = state.store.charter_source_file(org.id, version).await? {
        return Ok((
            StatusCode::OK,
            [
                (
                    header::CONTENT_TYPE,
                    axum::http::HeaderValue::from_str(&media).unwrap_or(
                        axum::http::HeaderValue::from_static("application/octet-stream"),
                    ),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    crate::download::disposition(crate::download::Disposition::Attachment, &name),
                ),
            ],
            bytes,
        )
            .into_response());
    }
    Ok((
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static("text/plain; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                crate::download::disposition(crate::download::Disposition::Inline, &name),
            ),
        ],
        text,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "cases.html")]
struct CasesPage {
    c: Chrome,
    cases: Vec<(String, String, i64)>,
    pager: Option<Pager>,
}

/// `/arenden`: every case, a hundred to a page.
pub async fn cases(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let c = Chrome::new("cases");
    let total = state.store.case_count().await? as usize;
    let paging = Paging::new(q.sida, 100, total);
    let cases = state
        .store
        .cases_page(paging.offset(), paging.per_page)
        .await?
        .into_iter()
        .map(|s| {
            (
                format!("/arenden/{}", s.case.slug()),
                s.case.registry_number,
                s.documents,
            )
        })
        .collect();
    let pager = paging.pager(&c.t, "/arenden");
    render(&CasesPage { c, cases, pager })
}

struct CaseDocument {
    href: String,
    title: String,
    group: OrgLink,
    date: String,
    decision: String,
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    c: Chrome,
    registry_number: String,
    summary: String,
    documents: Vec<CaseDocument>,
    pager: Option<Pager>,
}

/// `/arenden/{slug}`: a case's documents, a hundred to a page (`?sida=N`).
pub async fn case(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let c = Chrome::new("cases");
    let t = c.t;
    let CaseView {
        case,
        documents,
        paging,
    } = CaseView::load(&state.store, &slug, q.sida, 100).await?;
    let documents: Vec<CaseDocument> = documents
        .into_iter()
        .map(|(v, group)| CaseDocument {
            href: version_href(&group.slug, v.version),
            title: v.title.clone(),
            date: v
                .document_date
                .map(|d| d.to_string())
                .unwrap_or_else(|| "–".into()),
            decision: decision_label(&t, &v),
            group,
        })
        .collect();
    let summary = t.args(
        "case-summary",
        &[
            ("number", Arg::Text(case.registry_number.clone())),
            ("count", Arg::Num(paging.total as i64)),
        ],
    );
    let pager = paging.pager(&t, &format!("/arenden/{}", case.slug()));
    render(&CasePage {
        c,
        registry_number: case.registry_number,
        summary,
        documents,
        pager,
    })
}

/// `POST /grupper/{slug}/uppdragshandlingar/{version}/skicka`: sends a decided
/// version to its distribution list through the mail queue, once.
pub async fn charter_send(
    State(state): State<AppState>,
    axum::Extension(visitor): axum::Extension<crate::request::Visitor>,
    Path((slug, version)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let version = parse_version(&version)?;
    let org = state.group(&slug).await?;
    state
        .store
        .distribute_charter(org.id, version, &visitor.actor())
        .await?;
    Ok(
        axum::response::Redirect::to(&format!("{}#utskick", version_href(&slug, version)))
            .into_response(),
    )
}

#[derive(Template)]
#[template(path = "accessibility.html")]
struct AccessibilityPage {
    c: Chrome,
    email: String,
    updated: &'static str,
}

/// The accessibility statement (tillgänglighetsredogörelse) the law requires.
pub async fn accessibility(State(state): State<AppState>) -> Result<Response, AppError> {
    render(&AccessibilityPage {
        c: Chrome::new("a11y"),
        email: state.settings.contact_email.clone(),
        updated: "2026-11-22",
    })
}
