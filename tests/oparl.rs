//! The OParl 1.1 API as a harvester uses it, through the running `samordna
//! serve` on the demo: every object validates against the specification's
//! schemas (`fixtures/oparl-1.1/schema`, checked by `tests/oparl/check.py` with
//! Python's `jsonschema`), following `next` from the System object reaches every
//! object exactly once, references resolve; the time filters and a deleted
//! record; only what an anonymous reader may see.

mod common;

use std::process::Command;

use common::*;
use serde_json::Value;

fn repo() -> &'static std::path::Path {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs one SQL statement on the database, as an operator (or another program)
/// would, past Samordna.
fn sql(db: &str, statement: &str) {
    let status = if let Some(file) = db.strip_prefix("sqlite://") {
        Command::new("python3")
            .args([
                "-c",
                "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA foreign_keys = ON'); c.execute(sys.argv[2]); c.commit()",
                file,
                statement,
            ])
            .status()
    } else {
        Command::new("psql")
            .args([db, "-v", "ON_ERROR_STOP=1", "-qc", statement])
            .status()
    };
    assert!(status.unwrap().success(), "{statement}");
}

async fn get(url: &str) -> (u16, Value) {
    let res = reqwest::get(url).await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("{url}: not JSON: {text}")),
    )
}

/// Runs the schema checker against a running server; its summary.
fn check(base: &str) -> Value {
    let out = Command::new("python3")
        .arg(repo().join("tests/oparl/check.py"))
        .arg(format!("{base}/oparl/v1.1"))
        .arg(repo().join("fixtures/oparl-1.1/schema"))
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "the OParl check failed:\n{}{}",
        stdout(&out),
        stderr(&out)
    );
    let last = stdout(&out).lines().last().unwrap_or_default().to_string();
    serde_json::from_str(&last).unwrap()
}

async fn harvest_on(db: &str) {
    assert!(run(&["--db", db, "demo", "load"]).status.success());
    let (_node, base) = start_serve(db, &["--no-worker", "--anonymous", "everything"]);
    let lists = format!("{base}/oparl/v1.1/body/region");

    // A membership deleted past the portal: still listed, as deleted.
    let (_, members) = get(&format!("{lists}/memberships?limit=100")).await;
    let total = members["pagination"]["totalElements"].as_u64().unwrap();
    // Stamps are in whole seconds: the demo's are at least a second before.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let now = chrono::Utc::now();
    let since = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let until =
        (now - chrono::Duration::seconds(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    sql(
        db,
        "DELETE FROM memberships WHERE id = (SELECT MAX(id) FROM memberships)",
    );

    let summary = check(&base);
    eprintln!("OParl check: {summary}");
    assert!(summary["objects"].as_u64().unwrap() > 500, "{summary}");

    let (status, changed) = get(&format!("{lists}/memberships?modified_since={since}")).await;
    assert_eq!(status, 200);
    let data = changed["data"].as_array().unwrap();
    assert_eq!(
        data.len(),
        1,
        "only the deleted membership changed: {}",
        changed["pagination"]
    );
    assert_eq!(data[0]["deleted"], true);
    assert!(data[0]["id"].as_str().unwrap().starts_with(&base));
    let (_, after) = get(&format!("{lists}/memberships?limit=100")).await;
    assert_eq!(
        after["pagination"]["totalElements"].as_u64().unwrap(),
        total,
        "a deleted membership stays in the list"
    );
    let (_, old) = get(&format!(
        "{lists}/memberships?modified_until={until}&limit=100"
    ))
    .await;
    assert_eq!(
        old["pagination"]["totalElements"].as_u64().unwrap(),
        total - 1
    );
    // Filters are kept in the paging links.
    let (_, paged) = get(&format!(
        "{lists}/meetings?limit=7&created_since=2000-01-01T00:00:00Z"
    ))
    .await;
    let next = paged["links"]["next"].as_str().unwrap();
    assert!(
        next.contains("limit=7")
            && next.contains("created_since=2000-01-01T00%3A00%3A00Z")
            && next.contains("page=2"),
        "{next}"
    );
    let (_, none) = get(&format!(
        "{lists}/meetings?created_since=2999-01-01T00:00:00Z"
    ))
    .await;
    assert_eq!(none["pagination"]["totalElements"], 0);

    // Bad input: a clear 400 naming the parameter; unknown object: 404.
    let (status, bad) = get(&format!("{lists}/papers?modified_since=i%20går")).await;
    assert_eq!(status, 400);
    assert!(
        bad["error"]["message"]
            .as_str()
            .unwrap()
            .contains("modified_since"),
        "{bad}"
    );
    let (status, bad) = get(&format!("{lists}/papers?limit=0")).await;
    assert_eq!(status, 400, "{bad}");
    // More than the largest page is lowered to it; an unencoded `+` is the offset's.
    let (status, big) = get(&format!("{lists}/meetings?limit=500")).await;
    assert_eq!(status, 200);
    assert_eq!(big["pagination"]["elementsPerPage"], 100);
    let (status, plus) = get(&format!(
        "{lists}/meetings?modified_since=2020-01-01T00:00:00+01:00"
    ))
    .await;
    assert_eq!(status, 200, "{plus}");
    // Errors are JSON and open to every origin too.
    let res = reqwest::get(format!("{base}/oparl/v1.1/nope"))
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 404);
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let (status, _) = get(&format!("{base}/oparl/v1.1/meeting/999999")).await;
    assert_eq!(status, 404);
    let (status, _) = get(&format!("{base}/oparl/v1.1/body/kommunen/meetings")).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_harvester_reaches_every_valid_object_once_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("o.db").display());
    harvest_on(&db).await;
}

#[tokio::test]
async fn a_harvester_reaches_every_valid_object_once_on_postgresql() {
    let pg = samordna_store::testing::TestDb::postgres().await;
    harvest_on(&pg.url.clone()).await;
}

/// With the default setting, anonymous visitors do not read people: neither does
/// the API, and nothing refers to them.
#[tokio::test]
async fn people_are_shown_only_where_anonymous_visitors_may_read_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("o.db").display());
    assert!(run(&["--db", &db, "demo", "load"]).status.success());
    let (_node, base) = start_serve(&db, &["--no-worker"]);
    let lists = format!("{base}/oparl/v1.1/body/region");
    for list in ["people", "memberships"] {
        let (status, v) = get(&format!("{lists}/{list}")).await;
        assert_eq!(status, 200);
        assert_eq!(v["pagination"]["totalElements"], 0, "{list}: {v}");
    }
    let (status, _) = get(&format!("{base}/oparl/v1.1/person/1")).await;
    assert_eq!(status, 404);
    let (_, orgs) = get(&format!("{lists}/organizations?limit=100")).await;
    assert!(orgs["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|o| o.get("membership").is_none()));
    // Unpublished agendas stay out: every listed item's meeting is listed with it.
    let (_, items) = get(&format!("{lists}/agenda-items?limit=100")).await;
    assert!(items["pagination"]["totalElements"].as_u64().unwrap() > 0);
    let items = items["data"].as_array().unwrap();
    assert!(!items.is_empty());
    for item in items.iter().take(25) {
        let meeting = item["meeting"].as_str().expect("an item's meeting");
        let (status, m) = get(meeting).await;
        assert_eq!(status, 200, "{meeting}");
        let on_agenda = m["agendaItem"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x["id"] == item["id"] || *x == item["id"]));
        assert!(on_agenda, "{} on the agenda of {meeting}: {m}", item["id"]);
    }
    let res = reqwest::get(format!("{base}/oparl/v1.1/")).await.unwrap();
    assert_eq!(
        res.headers()["access-control-allow-origin"],
        "*",
        "CORS for GET"
    );
}
