//! Exports for archivists and spreadsheets: the register, members, meetings,
//! matters, decisions and findings, each as CSV (the one CSV writer of the
//! server, `download::csv`: UTF-8 with BOM, `;`) and as XLSX (`rust_xlsxwriter`:
//! typed columns, dates as dates, a bold header row with filters, the header
//! frozen). `GET /export` lists them; `GET /export/{name}.{csv|xlsx}` sends one.
//! Every export is written to the audit log, with whether it holds personal data
//! (GDPR: access to personal data is logged).

use samordna_domain::calendar::swedish_date;
use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use crate::chrome::Chrome;
use crate::download::{disposition, Disposition};
use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use crate::request::Visitor;
use crate::state::AppState;

/// A cell of an export, typed so that a spreadsheet gets numbers, dates and
/// truth values, not text.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    /// A calendar date (no time).
    Date(NaiveDate),
    /// A moment, shown in Swedish time.
    Time(DateTime<Utc>),
    Bool(bool),
    Empty,
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }
    fn opt(s: Option<impl Into<String>>) -> Cell {
        s.map_or(Cell::Empty, |s| Cell::Text(s.into()))
    }
    /// As CSV writes it: dates ISO 8601, moments `YYYY-MM-DD HH:MM` in Swedish
    /// time, truth as "ja"/"nej".
    fn csv(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::Time(t) => local(*t).format("%Y-%m-%d %H:%M").to_string(),
            Cell::Bool(b) => if *b { "ja" } else { "nej" }.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

/// A date as Excel holds it, if its calendar (1900–9999) has the day.
fn excel_date(year: i32, month: u32, day: u32) -> Option<ExcelDateTime> {
    let year = u16::try_from(year)
        .ok()
        .filter(|y| (1900..=9999).contains(y))?;
    ExcelDateTime::from_ymd(year, month as u8, day as u8).ok()
}

fn local(t: DateTime<Utc>) -> chrono::DateTime<chrono_tz::Tz> {
    samordna_domain::calendar::swedish_time(t)
}

/// One export: its file name (without extension), sheet title, Swedish column
/// names and rows, and whether it names people.
pub struct Sheet {
    pub name: &'static str,
    pub title: &'static str,
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
    pub personal_data: bool,
}

/// The exports there are: (file name, message id of the title, names people).
pub const EXPORTS: [(&str, &str, bool); 6] = [
    ("grupper", "export-groups", false),
    ("medlemmar", "export-members", true),
    ("moten", "export-meetings", false),
    ("grupparenden", "export-matters", false),
    ("beslut", "export-decisions", false),
    ("avvikelser", "export-findings", true),
];

/// Builds the export `name` from the register; `None` for an unknown name.
pub async fn sheet(state: &AppState, name: &str) -> Result<Option<Sheet>, AppError> {
    if name == "avvikelser" {
        let rows = crate::compliance::finding_rows(state, &Default::default()).await?;
        return Ok(Some(Sheet {
            name: "avvikelser",
            title: "Avvikelser",
            header: crate::compliance::FINDINGS_HEADER.to_vec(),
            rows: rows
                .into_iter()
                .map(|r| r.into_iter().map(Cell::Text).collect())
                .collect(),
            personal_data: true,
        }));
    }
    if !EXPORTS.iter().any(|(n, ..)| *n == name) {
        return Ok(None);
    }
    let rec = state.store.oparl_records().await?;
    let tr = Tr { lang: Lang::Sv };
    let label = |id: String, raw: &str| {
        if tr.has(&id) {
            tr.t(&id)
        } else {
            raw.to_string()
        }
    };
    let groups: HashMap<i64, &str> = rec.groups.iter().map(|g| (g.0, g.2.as_str())).collect();
    let group = |id: i64| Cell::opt(groups.get(&id).map(|s| s.to_string()));
    let admins: HashMap<i64, &str> = rec
        .administrations
        .iter()
        .map(|a| (a.0, a.2.as_str()))
        .collect();
    let admin = |id: Option<i64>| Cell::opt(id.and_then(|a| admins.get(&a)).map(|s| s.to_string()));
    let sheet = match name {
        "grupper" => {
            let mut in_force: HashMap<i64, &samordna_store::oparl::CharterRow> = HashMap::new();
            for c in rec.charters.iter().filter(|c| c.8 == "decided") {
                in_force.insert(c.1, c);
            }
            Sheet {
                name: "grupper",
                title: "Grupper",
                header: vec![
                    "namn",
                    "kortnamn",
                    "typ",
                    "område",
                    "status",
                    "rapporterar till",
                    "adress",
                    "uppdragshandling version",
                    "beslutad",
                    "diarienummer",
                    "registrerad",
                ],
                rows: rec
                    .groups
                    .iter()
                    .filter(|g| g.8.is_none())
                    .map(|g| {
                        let c = in_force.get(&g.0);
                        vec![
                            Cell::text(&g.2),
                            Cell::opt(g.3.clone()),
                            Cell::text(label(format!("kind-{}", g.4), &g.4)),
                            Cell::opt(g.5.clone()),
                            Cell::text(label(format!("status-{}", g.6), &g.6)),
                            g.7.map_or(Cell::Empty, group),
                            Cell::text(format!(
                                "{}/grupper/{}",
                                state.settings.public_url.trim_end_matches('/'),
                                g.1
                            )),
                            c.map_or(Cell::Empty, |c| Cell::Int(c.2)),
                            c.and_then(|c| c.7).map_or(Cell::Empty, Cell::Date),
                            Cell::opt(c.and_then(|c| c.5.clone())),
                            Cell::Date(swedish_date(g.9)),
                        ]
                    })
                    .collect(),
                personal_data: false,
            }
        }
        "medlemmar" => {
            let people: HashMap<i64, &samordna_store::oparl::PersonRow> =
                rec.people.iter().map(|p| (p.0, p)).collect();
            Sheet {
                name: "medlemmar",
                title: "Medlemmar",
                header: vec![
                    "grupp",
                    "namn",
                    "titel",
                    "förvaltning",
                    "roll",
                    "för förvaltning",
                    "rösträtt",
                    "från",
                    "till",
                ],
                rows: rec
                    .memberships
                    .iter()
                    .map(|m| {
                        let p = people.get(&m.1);
                        vec![
                            group(m.2),
                            Cell::opt(p.map(|p| p.1.clone())),
                            Cell::opt(p.and_then(|p| p.2.clone())),
                            admin(p.and_then(|p| p.3)),
                            Cell::text(label(format!("role-{}", m.3), &m.3)),
                            admin(m.4),
                            Cell::Bool(m.5),
                            Cell::Date(m.6),
                            m.7.map_or(Cell::Empty, Cell::Date),
                        ]
                    })
                    .collect(),
                personal_data: true,
            }
        }
        "moten" => {
            let mut items: HashMap<i64, i64> = HashMap::new();
            for a in &rec.agenda_items {
                *items.entry(a.1).or_default() += 1;
            }
            let mut minutes: HashMap<i64, &str> = HashMap::new();
            for n in &rec.minutes {
                minutes.insert(n.1, n.3.as_str());
            }
            Sheet {
                name: "moten",
                title: "Möten",
                header: vec![
                    "grupp",
                    "typ",
                    "börjar",
                    "slutar",
                    "plats",
                    "status",
                    "dagordning publicerad",
                    "punkter",
                    "anteckningar",
                ],
                rows: rec
                    .meetings
                    .iter()
                    .map(|m| {
                        vec![
                            group(m.1),
                            Cell::text(label(format!("meeting-kind-{}", m.2), &m.2)),
                            Cell::Time(m.3),
                            Cell::Time(m.4),
                            Cell::opt(m.5.clone()),
                            Cell::text({
                                let s =
                                    m.6.parse::<samordna_domain::meetings::MeetingState>()
                                        .map_or(m.6.clone(), |s| {
                                            s.as_seen(m.4, Utc::now()).as_str().to_string()
                                        });
                                label(format!("meeting-state-{s}"), &s)
                            }),
                            Cell::Bool(m.7),
                            Cell::Int(items.get(&m.0).copied().unwrap_or(0)),
                            Cell::opt(
                                minutes
                                    .get(&m.0)
                                    .map(|s| label(format!("export-minutes-{s}"), s)),
                            ),
                        ]
                    })
                    .collect(),
                personal_data: false,
            }
        }
        "grupparenden" => Sheet {
            name: "grupparenden",
            title: "Grupparenden",
            header: vec!["grupp", "typ", "titel", "status", "registrerat", "ändrat"],
            rows: rec
                .matters
                .iter()
                .map(|m| {
                    vec![
                        group(m.1),
                        Cell::text(label(
                            format!("matter-kind-{}", m.2.replace('_', "-")),
                            &m.2,
                        )),
                        Cell::text(&m.3),
                        Cell::text(label(
                            format!("matter-status-{}", m.5.replace('_', "-")),
                            &m.5,
                        )),
                        Cell::Date(swedish_date(m.6)),
                        Cell::Time(rec.modified("matters", m.0, m.7.max(m.6))),
                    ]
                })
                .collect(),
            personal_data: false,
        },
        _ => {
            let meetings: HashMap<i64, DateTime<Utc>> =
                rec.meetings.iter().map(|m| (m.0, m.3)).collect();
            let items: HashMap<i64, &str> = rec
                .agenda_items
                .iter()
                .map(|a| (a.0, a.3.as_str()))
                .collect();
            let matters: HashMap<i64, &str> =
                rec.matters.iter().map(|m| (m.0, m.3.as_str())).collect();
            Sheet {
                name: "beslut",
                title: "Beslut",
                header: vec![
                    "grupp",
                    "beslutsdatum",
                    "beslut",
                    "möte",
                    "dagordningspunkt",
                    "gruppärende",
                    "publicerat",
                ],
                rows: rec
                    .decisions
                    .iter()
                    .map(|d| {
                        vec![
                            group(d.1),
                            Cell::Date(d.6),
                            Cell::text(&d.5),
                            meetings.get(&d.2).map_or(Cell::Empty, |t| Cell::Time(*t)),
                            Cell::opt(d.3.and_then(|i| items.get(&i)).map(|s| s.to_string())),
                            Cell::opt(d.4.and_then(|i| matters.get(&i)).map(|s| s.to_string())),
                            Cell::Bool(d.7),
                        ]
                    })
                    .collect(),
                personal_data: false,
            }
        }
    };
    Ok(Some(sheet))
}

/// The export as an XLSX workbook of one sheet: a bold header row with an
/// autofilter, the header frozen, dates and moments as Excel dates (ISO
/// format), numbers as numbers, truth values as booleans, columns fitted.
pub fn xlsx(sheet: &Sheet) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet.title)?;
    let bold = Format::new().set_bold();
    let day = Format::new().set_num_format("yyyy-mm-dd");
    let moment = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    for (c, h) in sheet.header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => {
                    ws.write_string(r, c, s)?;
                }
                Cell::Int(n) => {
                    ws.write_number(r, c, *n as f64)?;
                }
                Cell::Bool(b) => {
                    ws.write_boolean(r, c, *b)?;
                }
                // A date a spreadsheet cannot hold (Excel's calendar runs from
                // 1900 to 9999; a typo such as 0226 was stored by older
                // versions) is written as the text CSV has: one odd cell, never
                // a refused file (issue 27, item 5).
                Cell::Date(d) => match excel_date(d.year(), d.month(), d.day()) {
                    Some(x) => {
                        ws.write_datetime_with_format(r, c, &x, &day)?;
                    }
                    None => {
                        ws.write_string(r, c, cell.csv())?;
                    }
                },
                Cell::Time(t) => {
                    let l = local(*t);
                    match excel_date(l.year(), l.month(), l.day())
                        .and_then(|x| x.and_hms(l.hour() as u16, l.minute() as u8, 0).ok())
                    {
                        Some(x) => {
                            ws.write_datetime_with_format(r, c, &x, &moment)?;
                        }
                        None => {
                            ws.write_string(r, c, cell.csv())?;
                        }
                    }
                }
                Cell::Empty => {}
            }
        }
    }
    let last_col = sheet.header.len().saturating_sub(1) as u16;
    ws.autofilter(0, 0, sheet.rows.len() as u32, last_col)?;
    ws.set_freeze_panes(1, 0)?;
    ws.autofit();
    // Autofit measures a date's number, not its shown form: widen date and time
    // columns so that `yyyy-mm-dd hh:mm` shows (and not `#####`).
    for c in 0..sheet.header.len() {
        let widest = sheet
            .rows
            .iter()
            .filter_map(|r| match r.get(c) {
                Some(Cell::Date(_)) => Some(12.0),
                Some(Cell::Time(_)) => Some(17.0),
                _ => None,
            })
            .fold(0.0_f64, f64::max);
        if widest > 0.0 {
            let header = sheet.header[c].chars().count() as f64 + 3.0;
            ws.set_column_width(c as u16, widest.max(header))?;
        }
    }
    book.save_to_buffer()
}

#[derive(Template)]
#[template(path = "exports.html")]
struct ExportsPage {
    c: Chrome,
    exports: Vec<(&'static str, String, bool)>,
}

/// `GET /export`: the exports, each as CSV and XLSX.
pub async fn page() -> Result<Response, AppError> {
    let c = Chrome::new("exports");
    let exports = EXPORTS
        .iter()
        .map(|(name, title, people)| (*name, c.t.t(title), *people))
        .collect();
    crate::render::page(&ExportsPage { c, exports })
}

/// `GET /export/{name}.{csv|xlsx}`: one export, logged in the audit log.
pub async fn download(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let missing =
        || AppError::NotFound(crate::i18n::current_tr().t1("export-unknown", "name", &file));
    let (name, ext) = file.rsplit_once('.').ok_or_else(missing)?;
    if !matches!(ext, "csv" | "xlsx") {
        return Err(missing());
    }
    let sheet = sheet(&state, name).await?.ok_or_else(missing)?;
    let filename = format!("samordna-{}.{ext}", sheet.name);
    let response = if ext == "csv" {
        crate::download::csv(
            &filename,
            &sheet.header,
            sheet
                .rows
                .iter()
                .map(|r| r.iter().map(Cell::csv).collect::<Vec<_>>()),
        )?
    } else {
        let bytes = xlsx(&sheet).map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
        (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    ),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    disposition(Disposition::Attachment, &filename),
                ),
            ],
            bytes,
        )
            .into_response()
    };
    let what = if sheet.personal_data {
        format!("{} (personuppgifter, {ext})", sheet.name)
    } else {
        format!("{} ({ext})", sheet.name)
    };
    state
        .store
        .log_export(&v.actor(), &what, sheet.rows.len())
        .await?;
    Ok(response)
}
