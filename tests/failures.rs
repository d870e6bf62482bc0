//! Failure of the parts Samordna runs on, through the `samordna` binary as it runs
//! in production (RELIABILITY.md):
//!
//! - PostgreSQL stopped and started again while the server serves: requests are
//!   answered 503 with a page (or JSON) that says what happened and a
//!   `Retry-After`, `/readyz` says not ready, nothing is lost or half-written, and
//!   the server serves again by itself once the database is back.
//! - The SMTP server down: mail is retried with back-off (the base shortened here
//!   with `--mail-retry 1`) and sent once when it returns.
//! - The disk full under SQLite: writes are refused with a page that says so and
//!   nothing half-written; reads go on; writes work again once space is freed.
//!
//! The PostgreSQL test runs a server of its own (initdb in a temporary directory,
//! on a free port) so that stopping it disturbs no other test; the disk test
//! mounts a small tmpfs (root, as in CI, or passwordless sudo).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::*;
use samordna_web::testing::{free_port, messages, start_smtp};
use serde_json::{json, Value};

const GROUP: &str = "samordningsgrupp-for-neonatalvarden";

/// Plans a meeting through the API: the status and the answer.
async fn plan(base: &str, key: &str, place: &str, date: &str) -> (u16, Value, Option<String>) {
    let res = client()
        .post(format!("{base}/api/v1/organizations/{GROUP}/meetings"))
        .bearer_auth(key)
        .header("content-type", "application/json")
        .body(
            json!({"kind": "extra", "date": date, "start": "10:00", "end": "11:00", "place": place})
                .to_string(),
        )
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let retry = res
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    let body = serde_json::from_str(&res.text().await.unwrap()).unwrap_or(Value::Null);
    (status, body, retry)
}

async fn status_of(url: &str) -> u16 {
    client().get(url).send().await.unwrap().status().as_u16()
}

/// Whether `url` answers 200 within 30 s, asked every half second.
async fn answers_200(url: &str) -> bool {
    for _ in 0..60 {
        if status_of(url).await == 200 {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    false
}

/// The places of the group's meetings, read through the API.
async fn places(base: &str, key: &str) -> Vec<String> {
    let res = client()
        .get(format!("{base}/api/v1/organizations/{GROUP}/meetings"))
        .bearer_auth(key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let v: Value = serde_json::from_str(&res.text().await.unwrap()).unwrap();
    v["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["place"].as_str().map(str::to_string))
        .collect()
}

// ---------------------------------------------------------------- PostgreSQL

/// A PostgreSQL server of the test's own; stopped (immediately) when dropped.
struct OwnPostgres {
    dir: tempfile::TempDir,
    port: u16,
}

/// Runs a PostgreSQL program as the user that may run it: `postgres` when the
/// test runs as root (PostgreSQL refuses root), else the test's user.
fn pg_program(name: &str) -> Command {
    let bin = std::fs::read_dir("/usr/lib/postgresql")
        .ok()
        .and_then(|d| d.filter_map(Result::ok).map(|e| e.path()).max())
        .map(|v| v.join("bin").join(name))
        .filter(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from(name));
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(bin);
        c
    } else {
        Command::new(bin)
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

impl OwnPostgres {
    fn start() -> OwnPostgres {
        let dir = tempfile::tempdir().unwrap();
        if is_root() {
            let owned = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path())
                .status()
                .unwrap();
            assert!(owned.success(), "chown to postgres");
        }
        let data = dir.path().join("data");
        let init = pg_program("initdb")
            .args([
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
                "-E",
                "UTF8",
                "-D",
            ])
            .arg(&data)
            .output()
            .expect("initdb (PostgreSQL's server programs) runs");
        assert!(init.status.success(), "initdb: {}", stderr(&init));
        let pg = OwnPostgres {
            port: free_port(),
            dir,
        };
        pg.pg_ctl("start");
        let made = Command::new("psql")
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &pg.port.to_string(),
                "-U",
                "postgres",
                "-qc",
                "CREATE DATABASE samordna",
            ])
            .status()
            .unwrap();
        assert!(made.success(), "createdb");
        pg
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/samordna", self.port)
    }

    fn pg_ctl(&self, what: &str) {
        let data = self.dir.path().join("data");
        let mut c = pg_program("pg_ctl");
        c.arg("-D").arg(&data).args(["-w", "-m", "fast"]);
        if what == "start" {
            c.args([
                "-l",
                data.join("log").to_str().unwrap(),
                "-o",
                &format!(
                    "-p {} -c listen_addresses=127.0.0.1 -k {} -c fsync=off",
                    self.port,
                    data.display()
                ),
            ]);
        }
        let out = c.arg(what).output().unwrap();
        assert!(
            out.status.success(),
            "pg_ctl {what}: {}{}",
            stdout(&out),
            stderr(&out)
        );
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        let _ = pg_program("pg_ctl")
            .arg("-D")
            .arg(self.dir.path().join("data"))
            .args(["-m", "immediate", "stop"])
            .output();
    }
}

#[tokio::test]
async fn postgresql_stopped_and_started_again_while_serving() {
    let pg = OwnPostgres::start();
    let db = pg.url();
    assert!(run(&["--db", &db, "demo", "load"]).status.success());
    let key = account_with_key(&db, "drift@region.example", Some("admin"));
    let (_node, base) = start_serve(&db, &["--no-worker"]);
    let (status, _, _) = plan(&base, &key, "Före avbrottet", "2027-03-01").await;
    assert_eq!(status, 201);
    assert_eq!(status_of(&format!("{base}/readyz")).await, 200);

    pg.pg_ctl("stop");
    // A page: 503, in Swedish, saying nothing was saved, with Retry-After.
    // Answered, not hung: the request has a ceiling of its own far above the
    // pool's wait (5 s); the time it took is printed, not checked.
    let began = Instant::now();
    let res = client()
        .get(format!("{base}/grupper/{GROUP}/moten"))
        .timeout(Duration::from_secs(60))
        .send()
        .await
        .expect("an answer while the database is down, not a hung request");
    eprintln!("503 after {:?}", began.elapsed());
    assert_eq!(res.status().as_u16(), 503);
    assert_eq!(res.headers()["retry-after"], "10");
    let page = res.text().await.unwrap();
    assert!(page.contains("Registret kan inte nås just nu"), "{page}");
    assert!(page.contains("<html"), "a page, not a bare text");
    // The API: JSON 503; the write is not made.
    let (status, body, retry) = plan(&base, &key, "Under avbrottet", "2027-03-02").await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(retry.as_deref(), Some("10"));
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("sparades inte"),
        "{body}"
    );
    assert_eq!(status_of(&format!("{base}/readyz")).await, 503);
    assert_eq!(
        status_of(&format!("{base}/healthz")).await,
        200,
        "the process lives"
    );

    pg.pg_ctl("start");
    // Back by itself, without a restart of samordna.
    assert!(
        answers_200(&format!("{base}/readyz")).await,
        "/readyz not 200 within 30 s of the database's return"
    );
    let (status, body, _) = plan(&base, &key, "Efter avbrottet", "2027-03-03").await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        status_of(&format!("{base}/grupper/{GROUP}/moten")).await,
        200
    );
    let seen = places(&base, &key).await;
    assert!(seen.contains(&"Före avbrottet".to_string()), "{seen:?}");
    assert!(seen.contains(&"Efter avbrottet".to_string()), "{seen:?}");
    assert!(!seen.contains(&"Under avbrottet".to_string()), "{seen:?}");

    // The server up but the database closed to connections (as in maintenance;
    // the connections there ended): 503 as well, not 500; then back.
    let admin = format!("postgres://postgres@127.0.0.1:{}/postgres", pg.port);
    let sql = |q: &str| {
        let out = Command::new("psql")
            .args([admin.as_str(), "-qAtc", q])
            .output()
            .unwrap();
        assert!(out.status.success(), "{q}: {}", stderr(&out));
    };
    sql("ALTER DATABASE samordna ALLOW_CONNECTIONS false");
    sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'samordna'");
    let res = client()
        .get(format!("{base}/grupper/{GROUP}/moten"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 503);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Registret kan inte nås just nu"));
    let (status, body, _) = plan(&base, &key, "Under stängningen", "2027-03-04").await;
    assert_eq!(status, 503, "{body}");
    sql("ALTER DATABASE samordna ALLOW_CONNECTIONS true");
    assert!(
        answers_200(&format!("{base}/grupper/{GROUP}/moten")).await,
        "not back within 30 s of the database's opening"
    );
    let check = run(&["--db", &db, "integrity"]);
    assert!(check.status.success(), "{}", stdout(&check));
}

// ---------------------------------------------------------------------- SMTP

#[tokio::test]
async fn mail_waits_while_the_smtp_server_is_down_and_is_sent_once_when_it_returns() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("post.db").display());
    assert!(run(&["--db", &db, "demo", "load"]).status.success());
    let store = samordna_store::Store::open(&db).await.unwrap();
    let queued = store.jobs().await.unwrap().len();
    assert!(queued > 0, "the demo queues mail");
    // Nothing listens on the port yet: the mail server is down.
    let port = free_port();
    let port_arg = port.to_string();
    let (_node, _) = start_serve(
        &db,
        &[
            "--smtp-host",
            "127.0.0.1",
            "--smtp-port",
            &port_arg,
            "--smtp-plain",
            "--mail-interval",
            "1",
            "--mail-retry",
            "1",
        ],
    );
    // Every job with a mail to send tried and failed at least twice, none given
    // up (a job whose mail is no longer due is done without sending).
    let began = Instant::now();
    loop {
        let jobs = store.jobs().await.unwrap();
        let waiting: Vec<_> = jobs.iter().filter(|j| j.done_at.is_none()).collect();
        assert!(!waiting.is_empty(), "sent with no server? {jobs:?}");
        if waiting
            .iter()
            .all(|j| j.attempts >= 2 && j.last_error.is_some())
        {
            assert!(waiting.iter().all(|j| j.attempts < j.max_attempts));
            break;
        }
        assert!(
            began.elapsed() < Duration::from_secs(60),
            "not retried: {jobs:?}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    // The server returns on the same port: everything is sent, once.
    let smtp = start_smtp(port, &dir.path().join("maildir"));
    wait_until_queue_empty(&store, 120).await;
    let sent = messages(&smtp.maildir);
    assert!(!sent.is_empty());
    // A few more passes of the worker send nothing again.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let again = messages(&smtp.maildir);
    assert_eq!(again.len(), sent.len(), "sent again after delivery");
    // A job's mail has one Message-ID for every attempt (RFC 5322 3.6.4): a
    // second copy of one is a job sent twice.
    let mut seen = std::collections::HashSet::new();
    for m in &again {
        let key = m["message_id"].to_string();
        assert!(seen.insert(key.clone()), "sent twice: {key}");
    }
    let jobs = store.jobs().await.unwrap();
    assert!(jobs.iter().all(|j| j.last_error.is_none()), "{jobs:?}");
}

// ---------------------------------------------------------------- disk full

/// A tmpfs of `mb` megabytes mounted on a new directory; unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

fn privileged(args: &[&str]) -> Command {
    if is_root() {
        let mut c = Command::new(args[0]);
        c.args(&args[1..]);
        c
    } else {
        let mut c = Command::new("sudo");
        c.arg("-n").args(args);
        c
    }
}

impl SmallDisk {
    fn mount(mb: u64) -> SmallDisk {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_str().unwrap().to_string();
        let size = format!("size={mb}m");
        let out = privileged(&["mount", "-t", "tmpfs", "-o", &size, "tmpfs", &path])
            .output()
            .expect("mount runs");
        assert!(
            out.status.success(),
            "mounting a tmpfs needs root or passwordless sudo (scripts/test runs as root in CI): {}",
            stderr(&out)
        );
        if !is_root() {
            let me = std::env::var("USER").unwrap_or_default();
            let _ = privileged(&["chown", &me, &path]).status();
        }
        SmallDisk { dir }
    }
    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let path = self.dir.path().to_str().unwrap().to_string();
        let _ = privileged(&["umount", "-l", &path]).status();
    }
}

/// Fills the disk under `dir` with a file until there is no room left.
fn fill(dir: &Path) -> PathBuf {
    use std::io::Write;
    let filler = dir.join("fyllning");
    let mut f = std::fs::File::create(&filler).unwrap();
    let block = vec![0x55u8; 64 * 1024];
    while f.write_all(&block).is_ok() {}
    // The last, partial block.
    while f.write_all(&[0x55]).is_ok() {}
    let _ = f.flush();
    filler
}

#[tokio::test]
async fn a_full_disk_refuses_writes_cleanly_and_reads_go_on() {
    let work = tempfile::tempdir().unwrap();
    let original = work.path().join("r.db");
    let original_url = format!("sqlite://{}", original.display());
    assert!(run(&["--db", &original_url, "demo", "load"])
        .status
        .success());
    let key = account_with_key(&original_url, "drift@region.example", Some("admin"));
    let size_mb = std::fs::metadata(&original).unwrap().len() / 1_000_000;
    let disk = SmallDisk::mount(size_mb * 3 + 24);
    let db_file = disk.path().join("r.db");
    // Copied as an operator would (the WAL's last commits included).
    let copy = run(&[
        "--db",
        &original_url,
        "backup",
        "--out",
        db_file.to_str().unwrap(),
    ]);
    assert!(copy.status.success(), "{}", stderr(&copy));
    let db = format!("sqlite://{}", db_file.display());
    let (_node, base) = start_serve(&db, &["--no-worker"]);
    let (status, _, _) = plan(&base, &key, "Före", "2027-04-01").await;
    assert_eq!(status, 201);
    // Let the search index be built before the disk is filled.
    for _ in 0..60 {
        if disk.path().join("r.db.sok").exists() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;

    let filler = fill(disk.path());
    // Writes go on while SQLite finds room in what it already has; one is refused
    // soon. Each acknowledged one is kept.
    let mut acknowledged = Vec::new();
    let mut refusal = None;
    for n in 0..2000u64 {
        let place = format!("Under fyllnaden {n} {}", "x".repeat(2000));
        let date = (chrono::NaiveDate::from_ymd_opt(2028, 1, 1).unwrap() + chrono::Days::new(n))
            .to_string();
        let (status, body, retry) = plan(&base, &key, &place, &date).await;
        match status {
            201 => acknowledged.push(place),
            503 => {
                refusal = Some((body, retry, place));
                break;
            }
            other => panic!("a write on a full disk was answered {other}: {body}"),
        }
    }
    let (body, retry, refused) = refusal.expect("no write was refused on a full disk");
    assert_eq!(retry.as_deref(), Some("10"));
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("disk är full"),
        "{body}"
    );
    // The portal says it too, as a page: signing in writes a session.
    let res = post_sign_in(&client(), &base, "drift@region.example", PASSWORD)
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 503);
    let page = res.text().await.unwrap();
    assert!(page.contains("serverns disk är full"), "{page}");
    for path in [
        "/",
        "/beslut",
        "/grupparenden",
        "/sok?q=neonatal",
        "/oparl/v1.1/",
    ] {
        assert_eq!(
            status_of(&format!("{base}{path}")).await,
            200,
            "GET {path} on a full disk"
        );
    }
    let seen = places(&base, &key).await;
    assert!(!seen.contains(&refused), "the refused write is not there");

    // Room again: writes work, without a restart.
    std::fs::remove_file(&filler).unwrap();
    let (status, body, _) = plan(&base, &key, "Efter", "2027-04-02").await;
    let df = Command::new("df").arg(disk.path()).output().unwrap();
    assert_eq!(status, 201, "{body} {}", stdout(&df));
    let seen = places(&base, &key).await;
    for p in acknowledged
        .iter()
        .chain([&"Före".to_string(), &"Efter".to_string()])
    {
        assert!(seen.contains(p), "an acknowledged write is missing");
    }
    let check = run(&["--db", &db, "integrity"]);
    assert!(check.status.success(), "{}", stdout(&check));
}
