//! `samordna search reindex | query | bench`: the search index from the command
//! line (the server keeps its own index current by itself).

use std::time::Instant;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use samordna_search::{Access, SearchQuery};
use samordna_store::Store;
use samordna_web::search::Search;

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
            let r = search.index().search(&SearchQuery {
                text,
                kind: None,
                org: None,
                year: None,
                doc_type: None,
                offset: 0,
                limit: 10,
                access: Access::public(),
            })?;
            if json {
                println!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                if let Some(s) = &r.suggestion {
                    println!("Menade du: {s}");
                }
                println!("{} träffar", r.total);
                for h in &r.hits {
                    println!("{:6.2}  {}  {}", h.score, h.title, h.url);
                }
            }
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
            let mut found = 0u64;
            for round in 0..rounds.max(1) {
                for q in &set {
                    let started = Instant::now();
                    let r = search.index().search(&SearchQuery {
                        text: q.to_string(),
                        kind: None,
                        org: None,
                        year: None,
                        doc_type: None,
                        offset: 0,
                        limit: 20,
                        access: Access::public(),
                    })?;
                    times.push(started.elapsed().as_secs_f64() * 1000.0);
                    if round == 0 {
                        found += r.total;
                    }
                }
            }
            times.sort_by(|a, b| a.total_cmp(b));
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
    }
    Ok(())
}

/// The index brought up to the database first (built when missing).
async fn open_current(store: &Store, db: &str, index: &crate::IndexArgs) -> Result<Search> {
    let search = Search::open(store.clone(), index.dir(store, db).as_deref())?;
    search.sync(&|_, _| {}).await?;
    Ok(search)
}
