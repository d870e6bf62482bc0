//! The crash test, on both databases, through the `samordna` binary as it runs in
//! production: writers at once through the HTTP API (meetings and matters, with an
//! API key) and through the portal's forms (meetings, signed in, with the CSRF
//! token), the server killed with SIGKILL at a random moment, started again on
//! the same database, again and again. Then every write the server acknowledged
//! (201, or the form's 303 to the new meeting) must be there and whole (each
//! field as written), and `samordna integrity` must find the database whole
//! (SQLite's integrity and foreign-key checks; PostgreSQL's foreign keys,
//! constraints, indexes, triggers and amcheck).
//!
//! `SAMORDNA_CRASH_ROUNDS` sets the number of kills (3 in the test command;
//! `scripts/crash-long` runs many more and prints the figures).

mod common;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};

const GROUP: &str = "samordningsgrupp-for-neonatalvarden";
const EMAIL: &str = "krasch@region.example";

/// A write the server acknowledged, and what must be read back.
#[derive(Debug, Clone)]
enum Written {
    Meeting {
        id: i64,
        place: String,
        date: String,
    },
    Matter {
        id: i64,
        title: String,
    },
}

#[derive(Default)]
struct Ledger {
    acknowledged: Mutex<Vec<Written>>,
    refused: AtomicU64,
}

/// A small deterministic generator (xorshift), seeded from the clock and printed,
/// so a failing run can be told apart from another.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A date from 2027 on for the `n`th write, as the forms take it (the writers
/// take turns, so no two plan a meeting at the same time).
fn date(n: u64) -> String {
    let day = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap() + chrono::Days::new(n % 3600);
    day.format("%Y-%m-%d").to_string()
}

/// Writes through the API until `stop`: a meeting, then a matter, and so on.
async fn api_writer(
    base: String,
    key: String,
    who: usize,
    stop: Arc<AtomicBool>,
    ledger: Arc<Ledger>,
) {
    let c = client();
    let mut n = 0u64;
    while !stop.load(Ordering::SeqCst) {
        n += 1;
        let marker = format!("api-{who}-{n}-{}", std::process::id());
        let (url, body) = if n.is_multiple_of(2) {
            (
                format!("{base}/api/v1/organizations/{GROUP}/meetings"),
                json!({"kind": "extra", "date": date(n * 6 + who as u64), "start": "10:00", "end": "11:00", "place": marker}),
            )
        } else {
            (
                format!("{base}/api/v1/organizations/{GROUP}/matters"),
                json!({"kind": "remissvar", "title": marker, "source": "national"}),
            )
        };
        let sent = c
            .post(url)
            .bearer_auth(&key)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await;
        let Ok(res) = sent else {
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        let status = res.status().as_u16();
        let Ok(text) = res.text().await else { continue };
        if status != 201 {
            assert!(status < 500, "the server answered {status}: {text}");
            ledger.refused.fetch_add(1, Ordering::SeqCst);
            continue;
        }
        let id = serde_json::from_str::<Value>(&text).unwrap()["id"]
            .as_i64()
            .unwrap();
        let w = if n.is_multiple_of(2) {
            Written::Meeting {
                id,
                place: marker,
                date: date(n * 6 + who as u64),
            }
        } else {
            Written::Matter { id, title: marker }
        };
        ledger.acknowledged.lock().unwrap().push(w);
    }
}

/// Signs in through the sign-in form; the session cookie, or None while the
/// server is down.
async fn sign_in(c: &reqwest::Client, base: &str) -> Option<String> {
    let res = post_sign_in(c, base, EMAIL, PASSWORD).await.ok()?;
    set_cookie(&res, "samordna_session")
}

/// Plans meetings through the portal's form until `stop`, as a signed-in
/// coordinator's browser would: the form page (its CSRF token), then the post.
async fn form_writer(base: String, who: usize, stop: Arc<AtomicBool>, ledger: Arc<Ledger>) {
    let c = client();
    let mut session = None;
    let mut n = 1000u64;
    while !stop.load(Ordering::SeqCst) {
        if session.is_none() {
            session = sign_in(&c, &base).await;
            if session.is_none() {
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        }
        let cookie = format!("samordna_session={}", session.as_ref().unwrap());
        let form_page = format!("{base}/grupper/{GROUP}/moten/ny");
        let Ok(page) = c.get(&form_page).header("cookie", &cookie).send().await else {
            continue;
        };
        let Ok(html) = page.text().await else {
            continue;
        };
        let Some(csrf) = html
            .split("name=\"_csrf\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .map(str::to_string)
        else {
            session = None;
            continue;
        };
        n += 1;
        let marker = format!("form-{who}-{n}-{}", std::process::id());
        let d = date(n * 6 + 4 + who as u64);
        let sent = c
            .post(&form_page)
            .header("cookie", &cookie)
            .form(&[
                ("kind", "extra"),
                ("date", d.as_str()),
                ("start", "13:00"),
                ("end", "14:00"),
                ("place", marker.as_str()),
                ("_csrf", csrf.as_str()),
            ])
            .send()
            .await;
        let Ok(res) = sent else { continue };
        let status = res.status().as_u16();
        let to = res
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .map(str::to_string);
        let _ = res.text().await;
        assert!(status < 500, "the form was answered {status}");
        match to.as_deref().and_then(|l| l.strip_prefix("/moten/")) {
            Some(id) if status == 303 => {
                let id = id.split(['/', '?']).next().unwrap().parse().unwrap();
                ledger.acknowledged.lock().unwrap().push(Written::Meeting {
                    id,
                    place: marker,
                    date: d,
                });
            }
            _ => {
                ledger.refused.fetch_add(1, Ordering::SeqCst);
            }
        }
    }
}

/// Every acknowledged write read back through the API: there, and whole.
async fn all_present(base: &str, key: &str, written: &[Written]) {
    let c = client();
    for w in written {
        let url = match w {
            Written::Meeting { id, .. } => format!("{base}/api/v1/meetings/{id}"),
            Written::Matter { id, .. } => {
                format!("{base}/api/v1/organizations/{GROUP}/matters/{id}")
            }
        };
        let res = c.get(&url).bearer_auth(key).send().await.unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        assert_eq!(
            status, 200,
            "an acknowledged write is missing: {w:?}: {text}"
        );
        let got: Value = serde_json::from_str(&text).unwrap();
        match w {
            Written::Meeting { place, date, .. } => {
                let m = if got["meeting"].is_object() {
                    &got["meeting"]
                } else {
                    &got
                };
                assert_eq!(m["place"], json!(place), "{w:?}: {got}");
                assert_eq!(m["kind"], "extra", "{w:?}: {got}");
                let starts = m["starts_at"].as_str().unwrap_or_default();
                assert!(starts.starts_with(date.as_str()), "{w:?}: {got}");
            }
            Written::Matter { title, .. } => {
                let title_read = got["name"].as_str().or(got["title"].as_str());
                assert_eq!(title_read, Some(title.as_str()), "{w:?}: {got}");
            }
        }
    }
}

/// What a run of the crash test did.
struct Figures {
    rounds: usize,
    acknowledged: usize,
    refused: u64,
    seconds: f64,
}

async fn crash(db: &str) -> Figures {
    let rounds: usize = std::env::var("SAMORDNA_CRASH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("krasch: {rounds} omgångar, frö {seed}");
    let mut dice = Dice(seed);
    assert!(run(&["--db", db, "demo", "load"]).status.success());
    let key = account_with_key(db, EMAIL, Some("admin"));
    let ledger = Arc::new(Ledger::default());
    let began = Instant::now();
    for round in 0..rounds {
        let (mut node, base) = start_serve(db, &["--no-worker"]);
        let stop = Arc::new(AtomicBool::new(false));
        let mut writers = Vec::new();
        for who in 0..4 {
            writers.push(tokio::spawn(api_writer(
                base.clone(),
                key.clone(),
                who,
                stop.clone(),
                ledger.clone(),
            )));
        }
        for who in 0..2 {
            writers.push(tokio::spawn(form_writer(
                base.clone(),
                who,
                stop.clone(),
                ledger.clone(),
            )));
        }
        // Killed at a random moment once writes flow: 100 to 1,600 ms in.
        tokio::time::sleep(Duration::from_millis(100 + dice.below(1500))).await;
        node.0.kill().unwrap(); // SIGKILL
        node.0.wait().unwrap();
        // The writers go on a moment against the dead port, then stop.
        tokio::time::sleep(Duration::from_millis(50)).await;
        stop.store(true, Ordering::SeqCst);
        for w in writers {
            w.await
                .expect("a writer panicked (a 5xx or a malformed answer)");
        }
        eprintln!(
            "omgång {}: {} bekräftade skrivningar hittills",
            round + 1,
            ledger.acknowledged.lock().unwrap().len()
        );
    }
    let (_node, base) = start_serve(db, &["--no-worker"]);
    let written = ledger.acknowledged.lock().unwrap().clone();
    assert!(
        written.len() >= rounds,
        "too few writes were acknowledged to tell anything: {}",
        written.len()
    );
    assert!(
        written
            .iter()
            .any(|w| matches!(w, Written::Meeting { place, .. } if place.starts_with("form-"))),
        "no form write was acknowledged"
    );
    all_present(&base, &key, &written).await;
    let check = run(&["--db", db, "integrity"]);
    assert!(
        check.status.success(),
        "samordna integrity: {}{}",
        stdout(&check),
        stderr(&check)
    );
    Figures {
        rounds,
        acknowledged: written.len(),
        refused: ledger.refused.load(Ordering::SeqCst),
        seconds: began.elapsed().as_secs_f64(),
    }
}

fn report(backend: &str, f: &Figures) {
    // Printed for scripts/crash-long (and RELIABILITY.md).
    println!(
        "KRASCH {backend}: {} kill -9, {} bekräftade skrivningar, alla kvar och hela; {} avböjda; databasen hel; {:.0} s",
        f.rounds, f.acknowledged, f.refused, f.seconds
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("krasch.db").display());
    let f = crash(&db).await;
    report("SQLite", &f);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9_on_postgresql() {
    let t = samordna_store::testing::TestDb::postgres_empty().await;
    // amcheck (PostgreSQL's contrib) lets `samordna integrity` check every index.
    let ext = std::process::Command::new("psql")
        .args([&t.url, "-qc", "CREATE EXTENSION IF NOT EXISTS amcheck"])
        .status()
        .expect("psql runs");
    assert!(ext.success(), "CREATE EXTENSION amcheck");
    let f = crash(&t.url).await;
    report("PostgreSQL", &f);
}
