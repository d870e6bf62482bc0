//! `samordna search reindex | query | bench`: the search index from the command
//! line (the server keeps its own index current by itself).

use samordna_domain::calendar::swedish_date;
use std::time::Instant;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use samordna_search::{Access, SearchQuery};
use samordna_store::Store;
use samordna_web::search_sync::Search;

use crate::SearchCommand;

pub async fn run(store: &Store, db: &str, cmd: SearchCommand) -> Result<()> {
    match cmd {
        SearchCommand::Reindex { index } => {
            let dir = index
                .dir(store, db)
                .context("en databas i minnet har inget sökindex på disk; ange --search-index")?;
            let search = Search::open(store.clone(), Some(&dir))?;
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template(
                    "{bar:30} {pos}/{len} grupper och personer ({eta} kvar)",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            let started = Instant::now();
            let done = search
                .rebuild(&|done, of| {
                    bar.set_length(of);
                    bar.set_position(done);
                })
                .await?;
            bar.finish_and_clear();
            println!(
                "Sökindexet i {} är ombyggt: {} dokument ur {} grupper och personer på {:.1} s; {:.1} MB på disk.",
                dir.display(),
                search.index().len(),
                done.entities,
                started.elapsed().as_secs_f64(),
                search.index().size_on_disk() as f64 / 1e6,
            );
        }
        SearchCommand::Query { text, json, index } => {
            let search = open_current(store, db, &index).await?;
            let r = search
                .index()
                .search(&SearchQuery::new(text, Access::public(), 10))?;
            // Written as far as the reader reads (`| head` is no error).
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            let _ = if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&r)?)
            } else {
                if let Some(s) = &r.suggestion {
                    let _ = writeln!(out, "Menade du: {s}");
                }
                let _ = match r.total {
                    1 => writeln!(out, "1 träff"),
                    n => writeln!(out, "{n} träffar"),
                };
                r.hits
                    .iter()
                    .try_for_each(|h| writeln!(out, "{:6.2}  {}  {}", h.score, h.title, h.url))
            };
        }
        SearchCommand::Bench {
            queries,
            rounds,
            index,
        } => {
            let search = open_current(store, db, &index).await?;
            let text = std::fs::read_to_string(&queries)
                .with_context(|| format!("kunde inte läsa {}", queries.display()))?;
            let set: Vec<&str> = text
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                .map(|l| l.split('\t').next().unwrap_or(l))
                .collect();
            anyhow::ensure!(!set.is_empty(), "{} har inga frågor", queries.display());
            let mut times = Vec::with_capacity(set.len() * rounds);
            let mut each: Vec<Vec<f64>> = vec![Vec::new(); set.len()];
            let mut found = 0u64;
            for round in 0..rounds.max(1) {
                for (qi, q) in set.iter().enumerate() {
                    let started = Instant::now();
                    let r = search
                        .index()
                        .search(&SearchQuery::new(*q, Access::public(), 20))?;
                    let ms = started.elapsed().as_secs_f64() * 1000.0;
                    times.push(ms);
                    each[qi].push(ms);
                    if round == 0 {
                        found += r.total;
                    }
                }
            }
            times.sort_by(|a, b| a.total_cmp(b));
            // The slowest queries by their median, on standard error.
            let mut slow: Vec<(f64, &str)> = each
                .iter_mut()
                .zip(&set)
                .map(|(t, q)| {
                    t.sort_by(|a, b| a.total_cmp(b));
                    (t[t.len() / 2], *q)
                })
                .collect();
            slow.sort_by(|a, b| b.0.total_cmp(&a.0));
            for (ms, q) in slow.iter().take(10) {
                eprintln!("{ms:8.2} ms  {q}");
            }
            let at = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
            println!(
                "{}",
                serde_json::json!({
                    "queries": set.len(),
                    "rounds": rounds,
                    "documents": search.index().len(),
                    "size_bytes": search.index().size_on_disk(),
                    "matches_first_round": found,
                    "p50_ms": at(0.5),
                    "p90_ms": at(0.9),
                    "p99_ms": at(0.99),
                    "max_ms": at(1.0),
                })
            );
        }
        SearchCommand::Compare { queries } => compare(store, &queries).await?,
    }
    Ok(())
}

/// `search compare`: the relevance set against each way of handling compounds.
async fn compare(store: &Store, queries: &std::path::Path) -> Result<()> {
    use samordna_search::Compounds;
    let index = samordna_search::SearchIndex::in_memory_with_grams()?;
    let all = store.search_entities().await?;
    let today = swedish_date(chrono::Utc::now());
    let mut docs = Vec::new();
    for chunk in all.orgs.chunks(200) {
        docs.extend(
            store
                .search_documents_of_orgs(chunk[0], chunk[chunk.len() - 1])
                .await?,
        );
    }
    for chunk in all.people.chunks(1000) {
        docs.extend(
            store
                .search_documents_of_people(chunk[0], chunk[chunk.len() - 1], today)
                .await?,
        );
    }
    index.stage(true, samordna_web::search_sync::with_file_text(docs))?;
    index.commit_staged(&samordna_search::Position {
        schema: samordna_search::SCHEMA_VERSION,
        instance: String::new(),
        seq: 0,
    })?;
    let text = std::fs::read_to_string(queries)
        .with_context(|| format!("kunde inte läsa {}", queries.display()))?;
    let lines: Vec<Vec<&str>> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
        .filter(|c: &Vec<&str>| c.len() >= 4)
        .collect();
    println!("| sätt | klarar | 1/rang (medel) | ms per fråga | missar |");
    println!("|---|---|---|---|---|");
    for (name, mode) in [
        ("bara stammar", Compounds::Stems),
        ("sammansättningsdelning (i bruk)", Compounds::Decompound),
        ("n-gram (4)", Compounds::Ngrams),
    ] {
        let (mut passed, mut rr, mut missed) = (0, 0.0, Vec::new());
        let started = Instant::now();
        for c in &lines {
            let k: usize = c[2].parse().unwrap_or(1);
            let access = if c[3] == "reader" {
                Access::Limited {
                    people: true,
                    internal: Vec::new(),
                }
            } else {
                Access::public()
            };
            let r = index.search(&SearchQuery {
                compounds: mode,
                ..SearchQuery::new(c[0], access, 10)
            })?;
            match r.hits.iter().position(|h| h.url.contains(c[1])) {
                Some(i) => {
                    rr += 1.0 / (i + 1) as f64;
                    if i < k {
                        passed += 1;
                    } else {
                        missed.push(c[0]);
                    }
                }
                None => missed.push(c[0]),
            }
        }
        let ms = started.elapsed().as_secs_f64() * 1000.0 / lines.len().max(1) as f64;
        println!(
            "| {name} | {passed} av {} | {:.3} | {ms:.2} | {} |",
            lines.len(),
            rr / lines.len().max(1) as f64,
            missed.join(", ")
        );
    }
    Ok(())
}

/// The index brought up to the database first (built when missing); the
/// running server's as it is, when a server keeps it (it keeps it current).
async fn open_current(store: &Store, db: &str, index: &crate::IndexArgs) -> Result<Search> {
    let dir = index.dir(store, db);
    match Search::open(store.clone(), dir.as_deref()) {
        Ok(search) => {
            search.sync(&|_, _| {}).await?;
            Ok(search)
        }
        Err(samordna_search::SearchError::Locked(d)) => Ok(Search::with_index(
            store.clone(),
            samordna_search::SearchIndex::open_to_read(&d)?,
        )),
        Err(e) => Err(e.into()),
    }
}
