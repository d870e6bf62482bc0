//! Archival packages for the e-archive: decided charters and approved minutes as
//! PDF/A-2a files with their metadata, packaged after Riksarkivet's FGS
//! Paketstruktur (Common Specification for Swedish packages, METS 1.x profile
//! `CommonSpecificationSwedenPackageProfile.xml`): a directory with `mets.xml`
//! at its root, the records under `content/`, one metadata file per record under
//! `metadata/`, and every file in `mets.xml` with its size and SHA-256
//! (`CHECKSUMTYPE="SHA-256"`).
//!
//! [`build`] writes a package into a new directory, first under a temporary name
//! beside it and renamed when complete, so a package is never half-written.
//! [`verify`] reads `mets.xml` and checks each file's presence, size and
//! checksum, and that no file is there that `mets.xml` does not name.

use samordna_domain::calendar::swedish_date;
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use askama::Template;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use samordna_store::{Store, StoreError};

/// What went wrong building or reading a package.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// The I/O error is shown in the message, not chained (it would be shown twice).
    #[error("{path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("ingen grupp har adressen {0}")]
    NoGroup(String),
    #[error("{0} finns redan och är inte tom; välj en ny katalog för paketet")]
    NotEmpty(PathBuf),
    #[error("PDF/A för {what}: {message}")]
    Pdf { what: String, message: String },
    #[error("mets.xml: {0}")]
    Mets(String),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ArchiveError + '_ {
    move |error| ArchiveError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// Which groups a package holds.
#[derive(Debug, Clone)]
pub enum Selection {
    /// One group, by its address (slug).
    Group(String),
    /// Every group of the register.
    All,
}

/// A file of the package as `mets.xml` names it.
#[derive(Debug, Clone)]
struct PackageFile {
    /// Relative to the package root, `/`-separated.
    path: String,
    mime: &'static str,
    size: u64,
    sha256: String,
}

/// One record: its file and its metadata file.
struct Record {
    kind: &'static str,
    label: String,
    file: PackageFile,
    metadata: PackageFile,
}

#[derive(Template)]
#[template(path = "mets.xml")]
struct Mets<'a> {
    p: &'a Package,
}

struct Package {
    uuid: String,
    label: String,
    created: String,
    archivist: String,
    creator: String,
    software: String,
    agreement: String,
    records: Vec<Record>,
}

/// A record's metadata file.
#[derive(Template)]
#[template(path = "record.xml")]
struct RecordXml<'a> {
    m: &'a RecordMeta,
}

struct RecordMeta {
    kind: &'static str,
    title: String,
    group: String,
    group_slug: String,
    fields: Vec<(&'static str, String)>,
    file: String,
    file_sha256: String,
}

/// What [`build`] wrote.
#[derive(Debug, Clone, Default)]
pub struct Built {
    pub charters: usize,
    pub minutes: usize,
    pub bytes: u64,
}

/// Who the package is for and from: the archive's organisation and the
/// submission agreement's reference (FGS `altRecordID SUBMISSIONAGREEMENT`).
#[derive(Debug, Clone)]
pub struct Parties {
    pub archivist: String,
    pub agreement: String,
}

impl Default for Parties {
    fn default() -> Self {
        Parties {
            archivist: "Regionen".into(),
            agreement: "Samordna".into(),
        }
    }
}

/// Writes a package of the selected groups' decided charters and approved
/// minutes into `out` (which must not exist, or be empty). `progress(done,
/// total)` is called after each group. Errors: a group that does not exist, a
/// directory not empty, a file that cannot be written, a PDF that breaks PDF/A.
pub async fn build(
    store: &Store,
    selection: &Selection,
    out: &Path,
    parties: &Parties,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Built, ArchiveError> {
    if out.exists() && std::fs::read_dir(out).map_err(io(out))?.next().is_some() {
        return Err(ArchiveError::NotEmpty(out.to_path_buf()));
    }
    let groups = match selection {
        Selection::Group(slug) => vec![store
            .organization_by_slug(slug)
            .await?
            .ok_or_else(|| ArchiveError::NoGroup(slug.clone()))?],
        Selection::All => store
            .organizations()
            .await?
            .into_iter()
            .filter(|o| o.merged_into_id.is_none())
            .collect(),
    };
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "paket".into());
    let tmp = parent.join(format!(".{name}.ofullstandigt-{}", std::process::id()));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(io(&tmp))?;
    }
    let result = write_package(store, &groups, &tmp, parties, progress).await;
    match result {
        Ok(built) => {
            if out.exists() {
                std::fs::remove_dir(out).map_err(io(out))?;
            }
            std::fs::rename(&tmp, out).map_err(io(out))?;
            Ok(built)
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            Err(e)
        }
    }
}

fn write_file(
    root: &Path,
    rel: &str,
    mime: &'static str,
    bytes: &[u8],
) -> Result<PackageFile, ArchiveError> {
    let path = root.join(rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    std::fs::write(&path, bytes).map_err(io(&path))?;
    Ok(PackageFile {
        path: rel.to_string(),
        mime,
        size: bytes.len() as u64,
        sha256: sha256(bytes),
    })
}

/// SHA-256 of the bytes, upper-case hexadecimal (as FGS examples write it).
fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

async fn write_package(
    store: &Store,
    groups: &[samordna_store::Organization],
    root: &Path,
    parties: &Parties,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Built, ArchiveError> {
    std::fs::create_dir_all(root).map_err(io(root))?;
    let mut built = Built::default();
    let mut records = Vec::new();
    let total = groups.len() as u64;
    let names = store.actor_names().await?;
    let name_of = |actor: String| names.get(&actor).cloned().unwrap_or(actor);
    for (i, g) in groups.iter().enumerate() {
        for v in store.charter_versions(Some(g.id)).await? {
            if v.status != samordna_domain::CharterStatus::Decided {
                continue;
            }
            let Some(doc) = store.charter_document(g.id, v.version).await? else {
                continue;
            };
            let content = doc.content;
            let pdf = laid_out(&v.title, move || {
                samordna_documents::pdf::charter_pdf(&content)
            })
            .await?;
            let stem = format!("{}/uppdragshandling-version-{}", g.slug, v.version);
            let file = write_file(
                root,
                &format!("content/{stem}.pdf"),
                "application/pdf",
                &pdf,
            )?;
            let mut fields = vec![
                ("dokumenttyp", v.document_kind.label_sv().to_string()),
                ("version", v.version.to_string()),
            ];
            fields.extend(v.registry_number.clone().map(|r| ("diarienummer", r)));
            fields.extend(v.revision.clone().map(|r| ("revidering", r)));
            fields.extend(v.document_date.map(|d| ("dokumentdatum", d.to_string())));
            fields.extend(v.decision_date.map(|d| ("beslutsdatum", d.to_string())));
            fields.extend(v.decided_by_name.clone().map(|n| ("beslutad-av", n)));
            fields.extend(v.decided_by_title.clone().map(|n| ("beslutad-av-titel", n)));
            fields.push(("kallfil", v.source_name.clone()));
            fields.push(("kallfil-sha256", v.source_sha256.clone()));
            fields.push(("registrerad", stamp(v.imported_at)));
            let label = format!("{} (version {})", v.title, v.version);
            let meta = RecordMeta {
                kind: "uppdragshandling",
                title: v.title.clone(),
                group: g.name.clone(),
                group_slug: g.slug.clone(),
                fields,
                file: file.path.clone(),
                file_sha256: file.sha256.clone(),
            };
            let record = with_metadata(root, &stem, meta, label, file)?;
            built.charters += 1;
            built.bytes += record.file.size + record.metadata.size;
            records.push(record);
        }
        for m in store.meetings(Some(g.id)).await? {
            for n in store.minutes(m.id).await? {
                let (Some(approved_at), Some(approved_by)) =
                    (n.approved_at, n.approved_by.clone().map(name_of))
                else {
                    continue;
                };
                let day: NaiveDate = swedish_date(m.fields.starts_at);
                let title = format!("Mötesanteckningar {} {day}", g.name);
                let mut meta_lines = vec![
                    format!("Grupp: {}", g.name),
                    format!(
                        "Möte: {}",
                        samordna_domain::calendar::swedish_time(m.fields.starts_at)
                            .format("%Y-%m-%d %H:%M")
                    ),
                ];
                meta_lines.extend(m.fields.place.clone().map(|p| format!("Plats: {p}")));
                meta_lines.push(format!("Version {}", n.version));
                meta_lines.push(format!(
                    "Justerade {} av {approved_by}",
                    swedish_date(approved_at)
                ));
                meta_lines.extend(
                    n.correction_reason
                        .clone()
                        .map(|r| format!("Rättelse: {r}")),
                );
                let body = as_text(&n.body);
                let (t, lines) = (title.clone(), meta_lines.clone());
                let approved_day = swedish_date(approved_at);
                let pdf = laid_out(&title, move || {
                    samordna_documents::pdf::minutes_pdf(&t, &lines, &body, approved_day)
                })
                .await?;
                let stem = format!(
                    "{}/motesanteckningar-{day}-mote-{}-version-{}",
                    g.slug, m.id, n.version
                );
                let file = write_file(
                    root,
                    &format!("content/{stem}.pdf"),
                    "application/pdf",
                    &pdf,
                )?;
                let mut fields = vec![
                    ("mote", day.to_string()),
                    ("version", n.version.to_string()),
                    ("justerade", stamp(approved_at)),
                    ("justerade-av", approved_by),
                ];
                fields.extend(n.published_at.map(|p| ("publicerade", stamp(p))));
                fields.extend(n.correction_reason.clone().map(|r| ("rattelse", r)));
                let label = format!("{title} (version {})", n.version);
                let meta = RecordMeta {
                    kind: "motesanteckningar",
                    title,
                    group: g.name.clone(),
                    group_slug: g.slug.clone(),
                    fields,
                    file: file.path.clone(),
                    file_sha256: file.sha256.clone(),
                };
                let record = with_metadata(root, &stem, meta, label, file)?;
                built.minutes += 1;
                built.bytes += record.file.size + record.metadata.size;
                records.push(record);
            }
        }
        progress(i as u64 + 1, total);
    }
    let mut id = [0u8; 16];
    getrandom::fill(&mut id).map_err(|e| ArchiveError::Mets(e.to_string()))?;
    id[6] = (id[6] & 0x0f) | 0x40;
    id[8] = (id[8] & 0x3f) | 0x80;
    let hex: String = id.iter().map(|b| format!("{b:02x}")).collect();
    let uuid = format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    );
    let creator = match groups {
        [one] => one.name.clone(),
        _ => parties.archivist.clone(),
    };
    let package = Package {
        uuid,
        label: match groups {
            [one] => format!("Samordna: {}", one.name),
            _ => "Samordna: alla grupper".into(),
        },
        created: stamp(Utc::now()),
        archivist: parties.archivist.clone(),
        creator,
        software: format!("samordna {}", env!("CARGO_PKG_VERSION")),
        agreement: parties.agreement.clone(),
        records,
    };
    let mets = Mets { p: &package }
        .render()
        .map_err(|e| ArchiveError::Mets(e.to_string()))?;
    let path = root.join("mets.xml");
    std::fs::write(&path, mets).map_err(io(&path))?;
    Ok(built)
}

/// Minutes' Markdown as the reader of the portal reads it, in the plain form the
/// PDF writer lays out: headings as `## `/`### `, list items as `- `, paragraphs
/// as lines; a link is its text, emphasis and code their words, raw HTML its text
/// (as the portal shows it). So the archived text is the published text.
fn as_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
    let mut out = String::new();
    let mut line = String::new();
    let mut prefix = "";
    let flush = |out: &mut String, line: &mut String, prefix: &str| {
        let text = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            out.push_str(prefix);
            out.push_str(&text);
            out.push('\n');
        }
        line.clear();
    };
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                flush(&mut out, &mut line, prefix);
                prefix = if level <= HeadingLevel::H2 {
                    "## "
                } else {
                    "### "
                };
            }
            Event::Start(Tag::Item) => {
                flush(&mut out, &mut line, prefix);
                prefix = "- ";
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Item | TagEnd::Paragraph) => {
                flush(&mut out, &mut line, prefix);
                prefix = "";
            }
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                line.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => line.push(' '),
            _ => {}
        }
    }
    flush(&mut out, &mut line, prefix);
    out
}

/// A PDF laid out off the async threads (CPU work); a failure names the record.
async fn laid_out(
    what: &str,
    make: impl FnOnce() -> Result<Vec<u8>, samordna_documents::DocumentError> + Send + 'static,
) -> Result<Vec<u8>, ArchiveError> {
    let fail = |message: String| ArchiveError::Pdf {
        what: what.to_string(),
        message,
    };
    tokio::task::spawn_blocking(make)
        .await
        .map_err(|e| fail(e.to_string()))?
        .map_err(|e| fail(e.to_string()))
}

/// Writes a record's metadata file (`metadata/{stem}.xml`) beside its file.
fn with_metadata(
    root: &Path,
    stem: &str,
    meta: RecordMeta,
    label: String,
    file: PackageFile,
) -> Result<Record, ArchiveError> {
    let xml = RecordXml { m: &meta }
        .render()
        .map_err(|e| ArchiveError::Mets(e.to_string()))?;
    let metadata = write_file(
        root,
        &format!("metadata/{stem}.xml"),
        "text/xml",
        xml.as_bytes(),
    )?;
    Ok(Record {
        kind: meta.kind,
        label,
        file,
        metadata,
    })
}

/// What [`verify`] found.
#[derive(Debug, Clone, Default)]
pub struct Verified {
    /// Files `mets.xml` names (records and metadata).
    pub files: usize,
    /// One line per problem, each naming the file.
    pub problems: Vec<String>,
}

/// A file's path inside the package from its `xlink:href` (`file:///content/…`);
/// `None` for an address that leaves the package.
fn inside(href: &str) -> Option<String> {
    let rel = href
        .strip_prefix("file:///")
        .or_else(|| href.strip_prefix("file:"))
        .unwrap_or(href);
    let p = Path::new(rel);
    p.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then(|| rel.to_string())
}

/// Checks the package at `dir` against its `mets.xml`: every file and metadata
/// file named is there with the size and SHA-256 written, and nothing else is
/// under `content/` or `metadata/`. Errors only when `mets.xml` cannot be read
/// or parsed; every other fault is a problem in the answer.
pub fn verify(dir: &Path) -> Result<Verified, ArchiveError> {
    let mets_path = dir.join("mets.xml");
    let text = std::fs::read_to_string(&mets_path).map_err(io(&mets_path))?;
    let doc = roxmltree::Document::parse(&text).map_err(|e| ArchiveError::Mets(e.to_string()))?;
    const XLINK: &str = "http://www.w3.org/1999/xlink";
    let mut out = Verified::default();
    let mut named = BTreeSet::new();
    for node in doc.descendants().filter(|n| n.is_element()) {
        let (href, attrs) = match node.tag_name().name() {
            "file" => (
                node.children()
                    .find(|c| c.tag_name().name() == "FLocat")
                    .and_then(|f| f.attribute((XLINK, "href"))),
                node,
            ),
            "mdRef" => (node.attribute((XLINK, "href")), node),
            _ => continue,
        };
        out.files += 1;
        let Some(href) = href else {
            out.problems.push(format!(
                "mets.xml: en fil utan adress (rad {})",
                doc.text_pos_at(node.range().start).row
            ));
            continue;
        };
        let Some(rel) = inside(href) else {
            out.problems
                .push(format!("{href}: adressen pekar utanför paketet"));
            continue;
        };
        named.insert(rel.clone());
        let path = dir.join(&rel);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                out.problems.push(format!("{rel}: saknas"));
                continue;
            }
            Err(_) => {
                out.problems.push(format!("{rel}: kan inte läsas"));
                continue;
            }
        };
        if let Some(size) = attrs.attribute("SIZE") {
            if size.parse::<u64>().ok() != Some(bytes.len() as u64) {
                out.problems.push(format!(
                    "{rel}: storleken är {} byte, mets.xml anger {size}",
                    bytes.len()
                ));
            }
        }
        match (attrs.attribute("CHECKSUMTYPE"), attrs.attribute("CHECKSUM")) {
            (Some("SHA-256"), Some(sum)) => {
                let actual = sha256(&bytes);
                if !actual.eq_ignore_ascii_case(sum) {
                    out.problems.push(format!(
                        "{rel}: kontrollsumman stämmer inte (SHA-256 {actual}, mets.xml anger {sum}); filen har ändrats"
                    ));
                }
            }
            _ => out
                .problems
                .push(format!("{rel}: mets.xml anger ingen SHA-256-kontrollsumma")),
        }
    }
    for sub in ["content", "metadata"] {
        let mut stack = vec![dir.join(sub)];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if let Ok(rel) = p.strip_prefix(dir) {
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    if !named.contains(&rel) {
                        out.problems
                            .push(format!("{rel}: finns i paketet men inte i mets.xml"));
                    }
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::as_text;

    /// The archived text is what the portal shows: no Markdown syntax, a link's
    /// text without its address, headings and list items kept as such.
    #[test]
    fn minutes_are_archived_as_read() {
        let md = "## 1. Öppnande\nMötet *öppnades*; se [protokollet](javascript:alert(1)).\n\n- punkt ett\n- `två`\n\n### Under\n<b>fet</b>";
        assert_eq!(
            as_text(md),
            "## 1. Öppnande\nMötet öppnades; se protokollet.\n- punkt ett\n- två\n### Under\n<b>fet</b>\n"
        );
    }
}
