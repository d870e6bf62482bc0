//! `samordna import PATH...`: files or directories, one transaction per file; a
//! failed file is reported and the rest go in.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use samordna_documents::extract::{self, Kind};
use samordna_store::{ImportChange, Source, SourceFile, Store};

/// Reads a file as UTF-8 text, with a clear error for anything else.
fn read_text(bytes: Vec<u8>) -> Result<String> {
    if bytes.contains(&0) {
        bail!("rad 1: filen är inte text (den innehåller nollbyte)");
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() + 1;
        anyhow::anyhow!("rad {line}: filen är inte UTF-8-text (ogiltig byte vid position {at}); spara den som UTF-8")
    })
}

/// An original PDF or DOCX and what it is.
pub type Original = (Kind, Vec<u8>);

/// The text of a charter file and, for a PDF or DOCX, the original to keep:
/// what the file is, is read from its content (`samordna_documents::extract`).
pub fn read_document(path: &Path) -> Result<(String, Option<Original>)> {
    let bytes = extract::read_file(path)?;
    match extract::kind_of(&bytes) {
        // Binary that is neither PDF nor DOCX (an image, an archive) is named as
        // the portal names it.
        Err(e @ samordna_documents::DocumentError::UnknownKind) if bytes.contains(&0) => {
            bail!("rad 1: {e}")
        }
        // Text, and text that is not UTF-8, go to the text reader, which names
        // the line where it fails ("rad 1: filen är tom", "rad 5: … inte UTF-8").
        Ok(Kind::Text)
        | Err(
            samordna_documents::DocumentError::UnknownKind
            | samordna_documents::DocumentError::Empty,
        ) => Ok((read_text(bytes)?, None)),
        Ok(kind) => {
            let (_, text) = extract::charter_text_of(&bytes)?;
            Ok((text, Some((kind, bytes))))
        }
        Err(e) => Err(e.into()),
    }
}

fn is_document(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_lowercase)
            .as_deref(),
        Some("txt" | "md" | "markdown" | "pdf" | "docx")
    )
}

/// Expands directories (recursively) into the documents they hold, sorted.
fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut stack = vec![p.clone()];
            while let Some(dir) = stack.pop() {
                let entries = std::fs::read_dir(&dir)
                    .with_context(|| format!("kunde inte läsa katalogen {}", dir.display()))?;
                for e in entries {
                    let path = e?.path();
                    if path.is_dir() {
                        stack.push(path);
                    } else if is_document(&path) {
                        out.push(path);
                    }
                }
            }
        } else if p.exists() {
            out.push(p.clone());
        } else {
            bail!("{} finns inte", p.display());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

#[derive(Debug, Default)]
pub struct Report {
    pub imported: usize,
    pub unchanged: usize,
    pub failed: usize,
}

pub async fn import_paths(store: &Store, paths: &[PathBuf], actor: &str) -> Result<Report> {
    let files = collect(paths)?;
    let bar = ProgressBar::new(files.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .expect("a valid progress template")
            .progress_chars("=> "),
    );
    if files.len() < 3 {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let mut report = Report::default();
    // The register's names are loaded once and kept from file to file while
    // nothing else changes the register.
    let mut cache = samordna_store::ImportCache::default();
    for path in &files {
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        bar.set_message(name.clone());
        let outcome = async {
            let (text, original) = read_document(path)?;
            let doc = samordna_domain::parse_charter(&text).map_err(|e| anyhow::anyhow!("{e}"))?;
            let file = original.as_ref().map(|(kind, bytes)| SourceFile {
                media_type: kind.media_type(),
                bytes,
            });
            Ok::<_, anyhow::Error>(
                store
                    .import_charter_with(
                        &mut cache,
                        &doc,
                        &Source {
                            name: &name,
                            text: &text,
                            file,
                        },
                        actor,
                    )
                    .await?,
            )
        }
        .await;
        let line = match outcome {
            Ok(o) => {
                let created = if o.created.is_empty() {
                    String::new()
                } else {
                    format!("; nya i registret: {}", o.created.join(", "))
                };
                let conflicts: String = o
                    .conflicts
                    .iter()
                    .map(|c| format!("\n  OBS: {c} (rätta med samordna org eller i portalen om dokumentet har rätt)"))
                    .collect();
                match o.change {
                    ImportChange::NewVersion(n) => {
                        report.imported += 1;
                        format!(
                            "importerad: {} version {n} ({}){created}{conflicts}",
                            o.organization_name,
                            path.display()
                        )
                    }
                    ImportChange::Unchanged => {
                        report.unchanged += 1;
                        format!(
                            "oförändrad: {} ({}: samma innehåll finns redan i registret)",
                            o.organization_name,
                            path.display()
                        )
                    }
                }
            }
            Err(e) => {
                report.failed += 1;
                format!("FEL: {}: {}", path.display(), crate::report(&e))
            }
        };
        bar.suspend(|| println!("{line}"));
        bar.inc(1);
    }
    bar.finish_and_clear();
    println!(
        "{} {}: {} importerade, {} oförändrade, {} med fel",
        files.len(),
        if files.len() == 1 { "fil" } else { "filer" },
        report.imported,
        report.unchanged,
        report.failed
    );
    Ok(report)
}
