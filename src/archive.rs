//! `samordna archive` (packages for the e-archive, and their verification) and
//! `samordna gallring` (culling decisions: recorded and listed, never carried out
//! silently).

use std::path::PathBuf;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use samordna_store::Store;
use samordna_web::archive::{self, Parties, Selection};

/// `samordna archive …`: a package of one group or of all.
#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
#[command(group(clap::ArgGroup::new("vad").args(["group", "all"]).required(true)))]
pub struct ArchiveArgs {
    #[command(subcommand)]
    pub command: Option<ArchiveCommand>,
    /// Gruppen (adressen, t.ex. samordningsrad-neurologi).
    #[arg(long)]
    pub group: Option<String>,
    /// Alla grupper i registret.
    #[arg(long)]
    pub all: bool,
    /// Katalogen paketet skrivs till (ny eller tom).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Arkivbildaren/arkivet som tar emot paketet (METS ARCHIVIST).
    #[arg(long, default_value = "Regionen")]
    pub archivist: String,
    /// Leveransöverenskommelsens beteckning (METS altRecordID SUBMISSIONAGREEMENT).
    #[arg(long, default_value = "Samordna")]
    pub agreement: String,
}

#[derive(clap::Subcommand)]
pub enum ArchiveCommand {
    /// Kontrollera ett paket mot dess mets.xml: varje fil finns, med rätt storlek och
    /// SHA-256, och inget annat. Slutstatus 0 om allt stämmer, 1 annars.
    Verify {
        /// Paketets katalog (där mets.xml ligger).
        dir: PathBuf,
    },
}

/// `samordna gallring …`
#[derive(clap::Subcommand)]
pub enum GallringCommand {
    /// Registrera ett gallringsbeslut ur informationshanteringsplanen. Samordna
    /// gallrar aldrig själv; beslutet visas med vad det skulle tillåta.
    Add {
        /// Slag av handling: attachments, minutes_drafts, closed_matters eller cancelled_meetings.
        #[arg(long)]
        kind: String,
        /// Antal år efter vilka handlingarna får gallras (1–100).
        #[arg(long, value_parser = years)]
        after_years: i64,
        /// Beslutets beteckning (diarienummer).
        #[arg(long)]
        decision: String,
        /// Beslutsdatum (ÅÅÅÅ-MM-DD).
        #[arg(long, value_parser = swedish_date)]
        decided_on: chrono::NaiveDate,
        /// Anteckning.
        #[arg(long)]
        note: Option<String>,
    },
    /// Visa gallringsbesluten och vilka handlingar var och en skulle tillåta att gallra i dag.
    List {
        /// Lista varje handling, inte bara antalet.
        #[arg(long)]
        all: bool,
    },
}

/// `samordna archive verify DIR`: 0 when the package is whole, 1 with each
/// problem on standard error.
pub fn verify(dir: &std::path::Path) -> anyhow::Result<i32> {
    let v = archive::verify(dir)
        .with_context(|| format!("kunde inte läsa paketet i {}", dir.display()))?;
    if v.problems.is_empty() {
        println!(
            "Paketet stämmer: {} filer med rätt storlek och SHA-256.",
            v.files
        );
        return Ok(0);
    }
    for p in &v.problems {
        eprintln!("FEL: {p}");
    }
    eprintln!(
        "Paketet stämmer inte: {} fel bland {} filer.",
        v.problems.len(),
        v.files
    );
    Ok(1)
}

/// `samordna archive --group SLUG|--all --out DIR`.
pub async fn archive(store: &Store, args: ArchiveArgs) -> anyhow::Result<i32> {
    let out = args.out.context("ange --out KATALOG dit paketet skrivs")?;
    let selection = match (args.group, args.all) {
        (Some(slug), false) => Selection::Group(slug),
        (None, true) => Selection::All,
        _ => anyhow::bail!("ange --group ADRESS eller --all"),
    };
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} grupper ({eta} kvar)")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let progress = |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let parties = Parties {
        archivist: args.archivist,
        agreement: args.agreement,
    };
    let built = archive::build(store, &selection, &out, &parties, &progress)
        .await
        .with_context(|| format!("arkivpaketet {} kunde inte skrivas", out.display()))?;
    bar.finish_and_clear();
    if built.charters + built.minutes == 0 {
        eprintln!(
            "OBS: paketet är tomt: ingen beslutad uppdragshandling och inga justerade mötesanteckningar i urvalet."
        );
    }
    println!(
        "Arkivpaket skrivet till {}: {} beslutade uppdragshandlingar och {} justerade mötesanteckningar som PDF/A, {:.1} MB, med mets.xml (FGS Paketstruktur, SHA-256). Kontrollera med: samordna archive verify {}",
        out.display(),
        built.charters,
        built.minutes,
        built.bytes as f64 / 1e6,
        out.display()
    );
    Ok(0)
}

/// A date as `ÅÅÅÅ-MM-DD`, refused in Swedish.
fn swedish_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{s:?} är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2026-05-01"))
}

/// The years of a culling period, 1–100, refused in Swedish.
fn years(s: &str) -> Result<i64, String> {
    s.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (1..=100).contains(n))
        .ok_or_else(|| format!("{s:?}: ange antalet år som ett heltal 1–100"))
}

pub async fn gallring(store: &Store, cmd: GallringCommand) -> anyhow::Result<()> {
    match cmd {
        GallringCommand::Add {
            kind,
            after_years,
            decision,
            decided_on,
            note,
        } => {
            let id = store
                .add_culling_decision(
                    &kind,
                    after_years,
                    &decision,
                    decided_on,
                    note.as_deref(),
                    "cli",
                )
                .await?;
            println!(
                "Gallringsbeslut {id} registrerat ({decision}: {kind} efter {after_years} år). Inget har gallrats; se samordna gallring list."
            );
        }
        GallringCommand::List { all } => {
            let decisions = store.culling_decisions().await?;
            if decisions.is_empty() {
                println!("Inga gallringsbeslut. Allt bevaras.");
            }
            for d in decisions {
                // The same Swedish calendar date N years ago; what is older than
                // its start (Stockholm midnight) may be culled.
                let today = samordna_domain::calendar::swedish_date(chrono::Utc::now());
                let before_day = u32::try_from(d.after_years.max(0) * 12)
                    .ok()
                    .and_then(|months| today.checked_sub_months(chrono::Months::new(months)))
                    .unwrap_or(chrono::NaiveDate::MIN);
                let before = samordna_domain::calendar::day_start(before_day);
                let records = store.cullable(&d.record_kind, before).await?;
                let what = samordna_store::CULLABLE
                    .iter()
                    .find(|(k, ..)| *k == d.record_kind)
                    .map_or(d.record_kind.as_str(), |(_, w, _)| w);
                println!(
                    "{} (beslutat {}): {what} äldre än {} år — {} handlingar skulle få gallras (äldre än {}). Samordna gallrar inte själv.",
                    d.decision_ref,
                    d.decided_on,
                    d.after_years,
                    records.len(),
                    before_day
                );
                if let Some(n) = &d.note {
                    println!("  {n}");
                }
                if all {
                    for (id, label, when) in records {
                        println!(
                            "  {id}\t{}\t{label}",
                            samordna_domain::calendar::swedish_date(when)
                        );
                    }
                }
            }
        }
    }
    Ok(())
}
