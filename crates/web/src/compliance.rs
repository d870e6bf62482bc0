//! The region-wide compliance dashboard: groups × rules, with filters and CSV.

use askama::Template;
use axum::extract::State;
use samordna_domain::calendar::swedish_date;

use crate::extract::Query;
use axum::response::Response;
use axum::Extension;
use samordna_domain::collation;
use samordna_domain::policy::Action;
use samordna_domain::rules::{FixedAt, Outcome, RuleId, Severity};
use samordna_domain::OrgKind;
use samordna_store::GroupFilter;
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::error::AppError;
use crate::request::Visitor;
use crate::state::AppState;
use crate::view::{kind_label, OrgLink};

#[derive(Deserialize, Default)]
pub struct Filter {
    #[serde(default)]
    typ: String,
    #[serde(default)]
    allvarlighet: String,
    #[serde(default)]
    ordning: String,
    /// Only groups with a current member on behalf of this administration.
    #[serde(default)]
    forvaltning: String,
    /// The page of the table (100 groups a page).
    sida: Option<usize>,
}

struct Row {
    name: String,
    href: String,
    /// (css class, text, link to the finding on the group page) per rule.
    cells: Vec<(&'static str, String, Option<String>)>,
    /// The most serious finding's severity, for sorting, and as (css, text).
    worst: Option<Severity>,
    worst_cell: (&'static str, String),
    /// Per rule, for sorting by a column.
    severities: Vec<Option<Severity>>,
    /// The charter in force, until its template conformance is shown.
    charter: Option<samordna_domain::ParsedCharter>,
    /// How the charter in force follows its template: (css, text, link); made
    /// for the rows of the page shown.
    template: (&'static str, String, Option<String>),
}

/// A column header: its text, the link that sorts by it, and `aria-sort` when the
/// table is sorted by it.
struct Header {
    text: String,
    code: bool,
    href: String,
    sort: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "compliance.html")]
struct Page {
    c: Chrome,
    /// The visitor may import charter files (the register keeper, a director).
    can_import: bool,
    headers: Vec<Header>,
    /// The last column: how the charter in force follows its template.
    template_header: String,
    rows: Vec<Row>,
    /// Groups in the table, on every page.
    total: usize,
    pager: Option<crate::paging::Pager>,
    sorted_by: String,
    kinds: Vec<(String, String)>,
    severities: Vec<(String, String)>,
    kind: String,
    severity: String,
    administrations: Vec<(String, String)>,
    administration: String,
    csv_href: Option<String>,
}

/// Where a finding of `rule` is fixed, for the group at `group_href`: the
/// address, the message key of the link, and the action the address needs (as
/// its entry in `routes::ROUTES`), so a link is shown only to who may follow it.
pub(crate) fn fix_link(group_href: &str, rule: RuleId) -> (String, &'static str, Action) {
    match rule.fixed_at() {
        FixedAt::Members => (
            format!("{group_href}/medlemmar"),
            "finding-fix-members",
            Action::ReadPeople,
        ),
        FixedAt::Meetings => (
            format!("{group_href}/moten"),
            "finding-fix-meetings",
            Action::ReadPublished,
        ),
        FixedAt::Charters => (
            format!("{group_href}#uppdragshandlingar"),
            "finding-fix-charter",
            Action::ReadPublished,
        ),
        FixedAt::Group => (
            format!("{group_href}/redigera"),
            "finding-fix-group",
            Action::EditGroup,
        ),
        FixedAt::Decisions => (
            format!("{group_href}/beslut"),
            "finding-fix-decisions",
            Action::ReadPublished,
        ),
    }
}

fn checkable() -> Vec<RuleId> {
    RuleId::ALL.to_vec()
}

/// A group of the table: name, address, outcomes, the charter in force.
type TableRow = (
    String,
    String,
    Vec<Outcome>,
    Option<samordna_domain::ParsedCharter>,
);

async fn table(state: &AppState, f: &Filter) -> Result<Vec<TableRow>, AppError> {
    let kind = match f.typ.as_str() {
        "" => None,
        other => match other.parse::<samordna_domain::OrgKind>() {
            Ok(k) => Some(k),
            Err(_) => return Ok(Vec::new()),
        },
    };
    let filter = GroupFilter {
        slug: None,
        kind,
        administration: Some(f.forvaltning.as_str()).filter(|a| !a.is_empty()),
    };
    let today = swedish_date(chrono::Utc::now());
    Ok(state
        .store
        .evaluate(&filter, &state.settings.region, today)
        .await?
        .into_iter()
        .map(|e| {
            (
                e.organization.name.clone(),
                OrgLink::from(&e.organization).href(),
                e.outcomes,
                e.charter_in_force,
            )
        })
        .collect())
}

fn cell(outcomes: &[Outcome], rule: RuleId) -> (&'static str, &'static str, Option<Severity>) {
    let worst = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Finding(f) if f.rule == rule => Some(f.severity),
            _ => None,
        })
        .min();
    match (
        worst,
        outcomes
            .iter()
            .any(|o| matches!(o, Outcome::CannotCheck { rule: r, .. } if *r == rule)),
    ) {
        (Some(Severity::Error), _) => ("missing", "cell-error", worst),
        (Some(Severity::Warning), _) => ("warn", "cell-warning", worst),
        (Some(Severity::Info), _) => ("ok", "cell-info", worst),
        (None, true) => ("", "cell-cannot", None),
        (None, false) => ("ok", "cell-ok", None),
    }
}

pub async fn dashboard(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Query(f): Query<Filter>,
) -> Result<Response, AppError> {
    let c = Chrome::new("compliance");
    let t = c.t;
    let rules = checkable();
    let wanted = match f.allvarlighet.as_str() {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        _ => None,
    };
    let mut rows: Vec<Row> = table(&state, &f)
        .await?
        .into_iter()
        .map(|(name, href, outcomes, charter)| {
            let cells: Vec<_> = rules.iter().map(|r| cell(&outcomes, *r)).collect();
            let worst = cells.iter().filter_map(|c| c.2).min();
            let worst_cell = match worst {
                Some(Severity::Error) => ("missing", t.t("cell-error")),
                Some(Severity::Warning) => ("warn", t.t("cell-warning")),
                Some(Severity::Info) => ("ok", t.t("cell-info")),
                None => ("ok", t.t("cell-ok")),
            };
            Row {
                charter,
                template: ("", String::new(), None),
                severities: cells.iter().map(|c| c.2).collect(),
                cells: cells
                    .into_iter()
                    .zip(&rules)
                    .map(|((css, key, sev), rule)| {
                        (css, t.t(key), sev.map(|_| format!("{href}#fynd-{rule}")))
                    })
                    .collect(),
                name,
                href,
                worst,
                worst_cell,
            }
        })
        .filter(|r| wanted.is_none_or(|w| r.worst.is_some_and(|s| s <= w)))
        .collect();
    // Sorted by name, by the most serious finding, or by one rule's column (most
    // serious first, then by name).
    let rank = |s: Option<Severity>| s.map_or(9, |s| s as u8);
    let by_rule = rules.iter().position(|r| r.as_str() == f.ordning);
    match (f.ordning.as_str(), by_rule) {
        ("allvar", _) => rows.sort_by(|a, b| {
            rank(a.worst)
                .cmp(&rank(b.worst))
                .then_with(|| collation::cmp(&a.name, &b.name))
        }),
        (_, Some(i)) => rows.sort_by(|a, b| {
            rank(a.severities[i])
                .cmp(&rank(b.severities[i]))
                .then_with(|| collation::cmp(&a.name, &b.name))
        }),
        _ => collation::sort_by(&mut rows, |r| &r.name),
    }
    let mut kinds = vec![(String::new(), t.t("compliance-all"))];
    kinds.extend(
        [
            OrgKind::Samordningsrad,
            OrgKind::Samordningsgrupp,
            OrgKind::RegionaltProcessteam,
            OrgKind::Undergrupp,
        ]
        .iter()
        .map(|k| (k.as_str().to_string(), kind_label(&t, *k))),
    );
    let severities = vec![
        (String::new(), t.t("compliance-all")),
        ("error".into(), t.t("compliance-errors")),
        ("warning".into(), t.t("compliance-warnings")),
    ];
    let mut administrations = vec![(String::new(), t.t("compliance-all"))];
    administrations.extend(
        state
            .store
            .administrations()
            .await?
            .into_iter()
            .map(|a| (a.name.clone(), a.name)),
    );
    let q = format!(
        "typ={}&allvarlighet={}&forvaltning={}",
        crate::request::encode_query(&f.typ),
        crate::request::encode_query(&f.allvarlighet),
        crate::request::encode_query(&f.forvaltning)
    );
    let sorted = |key: &str| {
        let active =
            f.ordning == key || (key.is_empty() && by_rule.is_none() && f.ordning != "allvar");
        active.then_some(if key.is_empty() {
            "ascending"
        } else {
            "descending"
        })
    };
    let mut headers = vec![
        Header {
            text: t.t("col-group"),
            code: false,
            href: format!("/regelefterlevnad?{q}"),
            sort: sorted(""),
        },
        Header {
            text: t.t("col-worst"),
            code: false,
            href: format!("/regelefterlevnad?{q}&ordning=allvar"),
            sort: sorted("allvar"),
        },
    ];
    headers.extend(rules.iter().map(|r| Header {
        text: r.to_string(),
        code: true,
        href: format!("/regelefterlevnad?{q}&ordning={r}"),
        sort: sorted(r.as_str()),
    }));
    let sorted_by = headers
        .iter()
        .find(|h| h.sort.is_some())
        .map(|h| t.t1("compliance-sorted-by", "column", &h.text))
        .unwrap_or_default();
    let can_import = crate::auth::may(
        &state,
        &v,
        samordna_domain::policy::Action::CreateGroup,
        None,
    )
    .await;
    // A region of thousands of groups is read a hundred at a time.
    let total = rows.len();
    let paging = crate::paging::Paging::new(f.sida, 100, total);
    // Template conformance for the rows shown only (a charter each).
    let rows: Vec<Row> = rows
        .into_iter()
        .skip(paging.offset())
        .take(paging.per_page)
        .map(|mut r| {
            let conformance = r
                .charter
                .take()
                .and_then(|doc| samordna_domain::templates::conformance(&doc))
                .map(|c| (c.follows(), c.deviating().len()));
            r.template = match conformance {
                Some((true, _)) => ("ok", t.t("template-follows"), None),
                Some((false, n)) => (
                    "warn",
                    t.n1("template-deviates", "count", n as i64),
                    Some(format!("{}#uppdragshandlingar", r.href)),
                ),
                None => ("", t.t("template-none"), None),
            };
            r
        })
        .collect();
    let ordning = if f.ordning.is_empty() {
        String::new()
    } else {
        format!("&ordning={}", crate::request::encode_query(&f.ordning))
    };
    let pager = paging.pager(&t, &format!("/regelefterlevnad?{q}{ordning}"));
    crate::render::page(&Page {
        can_import,
        headers,
        template_header: t.t("col-template"),
        sorted_by,
        rows,
        total,
        pager,
        kinds,
        severities,
        kind: f.typ.clone(),
        severity: f.allvarlighet.clone(),
        administrations,
        administration: f.forvaltning.clone(),
        // The export is for those who may export (it names people).
        csv_href: crate::auth::may(&state, &v, Action::Export, None)
            .await
            .then(|| format!("/regelefterlevnad.csv?{q}")),
        c,
    })
}

/// The columns of the findings export.
pub(crate) const FINDINGS_HEADER: [&str; 8] = [
    "grupp",
    "regel",
    "allvarlighet",
    "meddelande",
    "underlag",
    "uppdragshandling",
    "avsnitt",
    "citat",
];

/// Every finding of the groups the filter selects, one row each, in Swedish:
/// group, rule id, severity, message, evidence, charter, section, quote.
pub(crate) async fn finding_rows(
    state: &AppState,
    f: &Filter,
) -> Result<Vec<Vec<String>>, AppError> {
    // The export is in Swedish, as its column names are.
    let sv = crate::i18n::Tr {
        lang: crate::i18n::Lang::Sv,
    };
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (name, _, outcomes, _) in table(state, f).await? {
        for o in outcomes {
            if let Outcome::Finding(x) = o {
                let sev = serde_json::to_value(x.severity)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                // The severity in Swedish, as the dashboard says it ("Fel", "Varning").
                let sev = sv
                    .t(&format!("severity-{sev}"))
                    .trim_end_matches(':')
                    .to_string();
                let (charter, section, quote) = x
                    .source
                    .map(|s| (sv.text(&s.charter), s.section.unwrap_or_default(), s.quote))
                    .unwrap_or_default();
                rows.push(vec![
                    name.clone(),
                    x.rule.to_string(),
                    sev,
                    sv.text(&x.message),
                    sv.texts(&x.evidence, "; "),
                    charter,
                    section,
                    quote,
                ]);
            }
        }
    }
    Ok(rows)
}

/// Every finding as CSV; the export is logged (findings name people).
pub async fn csv(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Query(f): Query<Filter>,
) -> Result<Response, AppError> {
    let rows = finding_rows(&state, &f).await?;
    let n = rows.len();
    let response = crate::download::csv("samordna-regelefterlevnad.csv", &FINDINGS_HEADER, rows)?;
    state
        .store
        .log_export(&v.actor(), "compliance_findings", n)
        .await?;
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fix link names the action of the route it leads to, so that the page
    /// shows it exactly to those the guard lets through.
    #[test]
    fn each_fix_link_needs_what_its_route_needs() {
        for rule in RuleId::ALL {
            let (href, _, action) = fix_link("/grupper/{slug}", rule);
            let path = href.split('#').next().unwrap();
            let route = crate::routes::ROUTES
                .iter()
                .find(|r| r.method == "GET" && r.path == path)
                .unwrap_or_else(|| panic!("{rule}: no route {path}"));
            assert_eq!(route.action, action, "{rule}: {path}");
        }
    }
}
