//! Two app nodes on one PostgreSQL behind nginx, started by the one command an
//! operator runs (`scripts/two-nodes`) on an empty database: both nodes migrate
//! at the same moment, then the demo is loaded. Held to what RELIABILITY.md
//! promises: the migrations ran once; a session made on one node is valid on the
//! other; each queued mail is sent once although both nodes run the worker; a
//! change made through one node is on the other's cached pages and in its search
//! at once; and the minutes workflow has one winner when two people act on two
//! nodes at the same moment.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use samordna_web::testing::{free_port, messages, start_smtp};
use serde_json::json;

const GROUP: &str = "samordningsgrupp-for-neonatalvarden";

/// `scripts/two-nodes`, stopped (SIGTERM: it stops its nodes and nginx) when
/// dropped.
struct TwoNodes {
    child: std::process::Child,
}

impl Drop for TwoNodes {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

async fn page(url: &str, cookie: Option<&str>) -> (u16, String) {
    let mut req = client().get(url);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let res = req.send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

fn psql(url: &str, sql: &str) -> String {
    let out = Command::new("psql")
        .args([url, "-Atqc", sql])
        .output()
        .unwrap();
    assert!(out.status.success(), "{sql}: {}", stderr(&out));
    stdout(&out).trim().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_behind_nginx_share_one_postgresql() {
    let db = samordna_store::testing::TestDb::postgres_empty().await;
    let dir = tempfile::tempdir().unwrap();
    let smtp = start_smtp(free_port(), &dir.path().join("maildir"));
    let (port, a, b) = (free_port(), free_port(), free_port());
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/two-nodes");
    let mut child = Command::new(script)
        .env("SAMORDNA_DB", &db.url)
        .env("SAMORDNA_BIN", env!("CARGO_BIN_EXE_samordna"))
        .env("SAMORDNA_PORT", port.to_string())
        .env("SAMORDNA_NODE_A", a.to_string())
        .env("SAMORDNA_NODE_B", b.to_string())
        .env("SAMORDNA_SMTP_HOST", "127.0.0.1")
        .env("SAMORDNA_SMTP_PORT", smtp.port.to_string())
        .env("SAMORDNA_SMTP_PLAIN", "true")
        .env("SAMORDNA_MAIL_INTERVAL", "1")
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("scripts/two-nodes starts");
    let out = child.stdout.take().unwrap();
    let nodes = TwoNodes { child };
    let first = tokio::task::spawn_blocking(move || {
        use std::io::BufRead;
        let mut line = String::new();
        std::io::BufReader::new(out).read_line(&mut line).unwrap();
        line
    })
    .await
    .unwrap();
    assert!(
        first.starts_with("Samordna på"),
        "scripts/two-nodes did not come up: {first:?}"
    );
    let lb = format!("http://127.0.0.1:{port}");
    let (na, nb) = (
        format!("http://127.0.0.1:{a}"),
        format!("http://127.0.0.1:{b}"),
    );

    // Migrations ran once though both nodes started on the empty database at once.
    assert_eq!(
        psql(
            &db.url,
            "SELECT COUNT(*) = COUNT(DISTINCT version) AND COUNT(*) > 20 FROM schema_migrations"
        ),
        "t"
    );
    for base in [&lb, &na, &nb] {
        assert_eq!(page(&format!("{base}/readyz"), None).await.0, 200, "{base}");
    }

    // A session made on node A is valid on node B (and through nginx).
    let key = account_with_key(&db.url, "drift@region.example", Some("admin"));
    let res = post_sign_in(&client(), &na, "drift@region.example", PASSWORD)
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    let session = format!(
        "samordna_session={}",
        set_cookie(&res, "samordna_session").unwrap()
    );
    for base in [&nb, &lb, &lb] {
        let (status, html) = page(&format!("{base}/konto"), Some(&session)).await;
        assert_eq!(status, 200, "signed in on {base}");
        assert!(html.contains("drift@region.example"), "{base}");
    }

    // Each queued mail sent once, though both nodes run the worker.
    let store = samordna_store::Store::open(&db.url).await.unwrap();
    assert!(
        !store.jobs().await.unwrap().is_empty(),
        "the demo queues mail"
    );
    wait_until_queue_empty(&store, 120).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let sent = messages(&smtp.maildir);
    assert!(!sent.is_empty());
    // A job's mail has one Message-ID for every attempt (RFC 5322 3.6.4): a
    // second copy of one is a job sent twice.
    let mut seen = std::collections::HashSet::new();
    for m in &sent {
        let k = m["message_id"].to_string();
        assert!(seen.insert(k.clone()), "sent twice: {k}");
    }

    // A change through node A is on node B's cached page at once.
    let (status, made) = call(
        "POST",
        &format!("{na}/api/v1/organizations/{GROUP}/meetings"),
        &key,
        Some(json!({"kind": "extra", "date": "2027-05-04", "start": "09:00", "end": "10:00", "place": "Sal Alfa"})),
    )
    .await;
    assert_eq!(status, 201, "{made}");
    let id = made["id"].as_i64().unwrap();
    let meeting_page = format!("{nb}/moten/{id}");
    let (_, html) = page(&meeting_page, None).await;
    assert!(html.contains("Sal Alfa"));
    let (_, again) = page(&meeting_page, None).await; // from node B's cache
    assert!(again.contains("Sal Alfa"));
    let (status, _) = call(
        "PUT",
        &format!("{na}/api/v1/meetings/{id}"),
        &key,
        Some(json!({"place": "Sal Beta"})),
    )
    .await;
    assert_eq!(status, 200);
    let (_, html) = page(&meeting_page, None).await;
    assert!(
        html.contains("Sal Beta") && !html.contains("Sal Alfa"),
        "node B's cache shows the meeting as it was"
    );

    // ... and in node B's search within moments (each node's index follows the
    // database's outbox).
    let (status, _) = call(
        "POST",
        &format!("{na}/api/v1/organizations/{GROUP}/matters"),
        &key,
        Some(json!({"kind": "remissvar", "title": "Remiss om zebrafinkar", "source": "national"})),
    )
    .await;
    assert_eq!(status, 201);
    let began = Instant::now();
    loop {
        let (status, found) = call(
            "GET",
            &format!("{nb}/api/v1/search?q=zebrafinkar"),
            &key,
            None,
        )
        .await;
        assert_eq!(status, 200, "{found}");
        if found.to_string().contains("Remiss om zebrafinkar") {
            break;
        }
        assert!(
            began.elapsed() < Duration::from_secs(15),
            "node B's search does not find what node A wrote: {found}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }

    // The minutes workflow across nodes: the chair approves on node A while
    // returning on node B; one wins, the other is told, the state is the winner's.
    let chair = key_for(
        &db.url,
        &format!("ordforande.{GROUP}@demo.samordna.example"),
    );
    for round in 0..5 {
        let (status, made) = call(
            "POST",
            &format!("{lb}/api/v1/organizations/{GROUP}/meetings"),
            &key,
            Some(json!({"kind": "extra", "date": format!("2026-0{}-1{round}", 2 + round), "start": "09:00", "end": "10:00"})),
        )
        .await;
        assert_eq!(status, 201, "{made}");
        let m = made["id"].as_i64().unwrap();
        let (status, _) = call(
            "PUT",
            &format!("{lb}/api/v1/meetings/{m}/minutes"),
            &key,
            Some(json!({"body": "## 1. Öppnande\nMötet öppnades."})),
        )
        .await;
        assert_eq!(status, 200);
        let (status, _) = call(
            "POST",
            &format!("{lb}/api/v1/meetings/{m}/minutes/submit"),
            &key,
            None,
        )
        .await;
        assert_eq!(status, 200);
        let (approve, send_back) = (
            format!("{na}/api/v1/meetings/{m}/minutes/approve"),
            format!("{nb}/api/v1/meetings/{m}/minutes/return"),
        );
        let ((sa, va), (sb, vb)) = tokio::join!(
            call("POST", &approve, &chair, None),
            call(
                "POST",
                &send_back,
                &chair,
                Some(json!({"comment": "Komplettera punkt 1"}))
            ),
        );
        assert!(
            (sa == 200) != (sb == 200),
            "one winner: approve {sa} {va}, return {sb} {vb}"
        );
        let loser = if sa == 200 { (sb, vb) } else { (sa, va) };
        assert_eq!(loser.0, 409, "the other is told: {}", loser.1);
        let (_, read) = call("GET", &format!("{nb}/api/v1/meetings/{m}"), &key, None).await;
        let status = read["minutes"]["status"].as_str().unwrap().to_string();
        if sa == 200 {
            assert!(
                ["approved", "published"].contains(&status.as_str()),
                "{read}"
            );
        } else {
            assert_eq!(status, "returned", "{read}");
        }
    }
    drop(nodes);
    // The nodes stopped with the command.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        client().get(format!("{na}/healthz")).send().await.is_err(),
        "node A still runs after the command stopped"
    );
}
