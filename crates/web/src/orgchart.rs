//! The register as a picture: councils in columns with their groups below them,
//! reporting lines solid, liaisons dashed. Server-side SVG, every box a link, with the
//! same content as a list beside it for those who do not see the picture.
//!
//! Each chart is drawn twice: three councils to a band for screens and paper, and
//! one column for phones, where the wide picture would shrink its text below
//! reading size. CSS shows one of them; the hidden one is out of the tab order.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use crate::chrome::Chrome;
use crate::error::AppError;
use crate::state::AppState;
use crate::view::{in_tree, OrgLink, Snapshot};

const BOX_W: i64 = 200;
const BOX_H: i64 = 70;
const COL_W: i64 = 230;
const ROW_H: i64 = 100;
const MARGIN: i64 = 15;
/// Room right of the boxes for liaison arcs within a column.
const ARC: i64 = 44;

/// The two layouts: councils side by side, or one column.
#[derive(Clone, Copy, PartialEq)]
enum Layout {
    Wide,
    Narrow,
}

impl Layout {
    fn columns(self) -> usize {
        match self {
            Layout::Wide => 3,
            Layout::Narrow => 1,
        }
    }

    fn class(self) -> &'static str {
        match self {
            Layout::Wide => "wide",
            Layout::Narrow => "narrow",
        }
    }
}

/// Splits a name over at most three lines of about 24 characters.
fn lines(name: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![String::new()];
    for w in name.split_whitespace() {
        let cur = out.last_mut().expect("one line");
        if !cur.is_empty() && cur.chars().count() + w.chars().count() > 23 {
            if out.len() == 3 {
                out[2].push('…');
                break;
            }
            out.push(w.to_string());
        } else {
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(w);
        }
    }
    out
}

struct Placed {
    id: i64,
    link: OrgLink,
    x: i64,
    y: i64,
}

/// The groups of `ids` whose parent is not among them: the tops of the picture.
fn roots(snap: &Snapshot, ids: &[i64]) -> Vec<i64> {
    ids.iter()
        .copied()
        .filter(|id| {
            snap.get(*id)
                .is_some_and(|o| o.reports_to_id.is_none_or(|p| !ids.contains(&p)))
        })
        .collect()
}

/// The groups of `ids` reporting to `id`, in id order.
fn children_in(snap: &Snapshot, id: i64, ids: &[i64]) -> Vec<i64> {
    let mut kids: Vec<i64> = snap
        .children(id)
        .iter()
        .map(|c| c.id)
        .filter(|c| ids.contains(c))
        .collect();
    kids.sort();
    kids
}

/// The SVG of a set of groups laid out by reporting line.
fn svg(snap: &Snapshot, ids: &[i64], title: &str, layout: Layout) -> Result<String, AppError> {
    let cols_per_band = layout.columns();
    let roots = roots(snap, ids);
    // Councils in columns, at most COLS to a band, so that the picture stays
    // readable on a screen and on paper; each council's groups below it.
    let mut placed: Vec<Placed> = Vec::new();
    let mut band_top = MARGIN;
    for band in roots.chunks(cols_per_band) {
        let mut band_rows = 1;
        for (col, root) in band.iter().enumerate() {
            let x = MARGIN + col as i64 * COL_W;
            let mut stack = vec![(*root, 0i64)];
            let mut row = 0;
            while let Some((id, depth)) = stack.pop() {
                let Some(o) = snap.get(id) else { continue };
                placed.push(Placed {
                    id,
                    link: OrgLink::from(o),
                    x: x + depth * 12,
                    y: band_top + row * ROW_H,
                });
                row += 1;
                for k in children_in(snap, id, ids).into_iter().rev() {
                    stack.push((k, depth + 1));
                }
            }
            band_rows = band_rows.max(row);
        }
        band_top += band_rows * ROW_H + ROW_H / 3;
    }
    let cols = roots.len().clamp(1, cols_per_band) as i64;
    // How far the deepest group is indented under its council.
    let indent = placed
        .iter()
        .map(|p| (p.x - MARGIN) % COL_W)
        .max()
        .unwrap_or(0);
    let width = MARGIN * 2 + (cols - 1) * COL_W + BOX_W + indent + ARC;
    let height = band_top - ROW_H / 3 - (ROW_H - BOX_H) + MARGIN;
    let at = |id: i64| placed.iter().find(|p| p.id == id);
    // Reporting lines, then liaisons (dashed), under the boxes.
    let reports = placed
        .iter()
        .filter_map(|p| {
            let parent = snap.get(p.id).and_then(|o| o.reports_to_id).and_then(at)?;
            Some(format!(
                "M{} {} V{} H{}",
                parent.x + 12,
                parent.y + BOX_H,
                p.y + BOX_H / 2,
                p.x
            ))
        })
        .collect();
    let mut arcs = Vec::new();
    let mut lines = Vec::new();
    for (a, b) in &snap.liaisons {
        let (Some(pa), Some(pb)) = (at(*a), at(*b)) else {
            continue;
        };
        let (ya, yb) = (pa.y + BOX_H / 2, pb.y + BOX_H / 2);
        if (pa.x - pb.x).abs() < COL_W / 2 {
            // Same column: an arc right of the boxes.
            let (xa, xb) = (pa.x + BOX_W, pb.x + BOX_W);
            let bulge = xa.max(xb) + ARC - 8;
            arcs.push(format!("M{xa} {ya} C{bulge} {ya} {bulge} {yb} {xb} {yb}"));
        } else {
            let (left, right) = if pa.x < pb.x { (pa, pb) } else { (pb, pa) };
            lines.push([
                left.x + BOX_W,
                left.y + BOX_H / 2,
                right.x,
                right.y + BOX_H / 2,
            ]);
        }
    }
    let boxes = placed
        .iter()
        .map(|p| {
            let name = self::lines(&p.link.name);
            // Centred vertically: 18 units a line, the baseline about 5 below the middle.
            let text_y = p.y + BOX_H / 2 + 5 - 9 * (name.len() as i64 - 1);
            SvgBox {
                href: p.link.href(),
                x: p.x,
                y: p.y,
                text_x: p.x + 10,
                text_y,
                lines: name,
            }
        })
        .collect();
    let picture = Svg {
        width,
        height,
        box_w: BOX_W,
        box_h: BOX_H,
        class: layout.class(),
        title,
        reports,
        arcs,
        lines,
        boxes,
    };
    picture
        .render()
        .map_err(|e| AppError::Internal(format!("org chart template: {e}")))
}

/// One group in the picture: a link around its box and its name in lines.
struct SvgBox {
    href: String,
    x: i64,
    y: i64,
    text_x: i64,
    text_y: i64,
    lines: Vec<String>,
}

/// The picture, written by `orgchart.svg` through the XML escaper.
#[derive(Template)]
#[template(path = "orgchart.svg")]
struct Svg<'a> {
    width: i64,
    height: i64,
    box_w: i64,
    box_h: i64,
    class: &'static str,
    title: &'a str,
    /// Path data of the reporting lines.
    reports: Vec<String>,
    /// Path data of liaison arcs within a column.
    arcs: Vec<String>,
    /// Liaisons across columns: x1, y1, x2, y2.
    lines: Vec<[i64; 4]>,
    boxes: Vec<SvgBox>,
}

#[derive(Template)]
#[template(path = "orgchart.html")]
struct ChartPage {
    c: Chrome,
    title: String,
    /// The picture for screens and paper, and the one for phones.
    svg_wide: String,
    svg_narrow: String,
    /// The text alternative: (indent, link, liaisons).
    items: Vec<(usize, OrgLink, Vec<OrgLink>)>,
    back: Option<OrgLink>,
}

fn alternative(snap: &Snapshot, ids: &[i64]) -> Vec<(usize, OrgLink, Vec<OrgLink>)> {
    let mut out = Vec::new();
    fn walk(
        snap: &Snapshot,
        ids: &[i64],
        id: i64,
        depth: usize,
        out: &mut Vec<(usize, OrgLink, Vec<OrgLink>)>,
    ) {
        if let Some(o) = snap.get(id) {
            out.push((depth, OrgLink::from(o), snap.liaisons_of(id)));
            for k in children_in(snap, id, ids) {
                walk(snap, ids, k, depth + 1, out);
            }
        }
    }
    for id in roots(snap, ids) {
        walk(snap, ids, id, 0, &mut out);
    }
    out
}

fn render(
    c: Chrome,
    title: String,
    snap: &Snapshot,
    ids: Vec<i64>,
    back: Option<OrgLink>,
) -> Result<Response, AppError> {
    let page = ChartPage {
        svg_wide: svg(snap, &ids, &title, Layout::Wide)?,
        svg_narrow: svg(snap, &ids, &title, Layout::Narrow)?,
        items: alternative(snap, &ids),
        title,
        back,
        c,
    };
    crate::render::page(&page)
}

/// `/organisation`: the whole region.
pub async fn region(State(state): State<AppState>) -> Result<Response, AppError> {
    let c = Chrome::new("orgchart");
    let snap = Snapshot::load(&state.store).await?;
    let mut ids: Vec<i64> = snap
        .current()
        .filter(|o| in_tree(o.kind))
        .map(|o| o.id)
        .collect();
    ids.sort_by(|a, b| {
        let name = |id: &i64| snap.get(*id).map_or("", |o| o.name.as_str());
        samordna_domain::collation::cmp(name(a), name(b))
    });
    let title = c.t.t("orgchart-title");
    render(c, title, &snap, ids, None)
}

/// `/grupper/{slug}/organisation`: a group's neighbourhood.
pub async fn group(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let c = Chrome::new("orgchart");
    let missing = || AppError::NotFound(c.t.t1("error-no-group", "slug", &slug));
    let snap = Snapshot::around(&state.store, &slug)
        .await?
        .ok_or_else(missing)?;
    let org = snap.by_slug(&slug).ok_or_else(missing)?;
    let mut ids = vec![org.id];
    ids.extend(org.reports_to_id);
    ids.extend(snap.children(org.id).iter().map(|o| o.id));
    ids.extend(
        snap.liaisons
            .iter()
            .filter(|(a, b)| *a == org.id || *b == org.id)
            .flat_map(|(a, b)| [*a, *b]),
    );
    ids.sort();
    ids.dedup();
    let title = c.t.t1("orgchart-group-title", "name", &org.name);
    render(c, title, &snap, ids, Some(OrgLink::from(org)))
}
