//! The `/api/v1` OpenAPI description held against the running server by
//! schemathesis (from PyPI), on both databases: no server error, every answer's
//! status, content type, headers and body as described, over every operation,
//! as an administrator with an API key (writes included). And the API's writes
//! as a client uses them: a meeting planned, minutes written, submitted,
//! approved by the chair and published, a matter, a decision, a membership —
//! each refused where the portal refuses it.

mod common;

use std::process::Command;

use common::*;
use serde_json::json;

/// Runs schemathesis against the server; its output on failure.
fn schemathesis(base: &str, key: &str, dir: &std::path::Path) {
    let out = Command::new("schemathesis")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args([
            "run",
            &format!("{base}/api/v1/openapi.json"),
            "--url",
            base,
            "-H",
            &format!("Authorization: Bearer {key}"),
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance",
            "--max-examples",
            "25",
            "--seed",
            "20261130",
            "--request-timeout",
            "30",
            "--generation-database",
            ":memory:",
            "--no-color",
        ])
        .output()
        .expect("schemathesis runs (scripts/test installs it from PyPI)");
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(out.status.success(), "schemathesis found failures:\n{text}");
    let summary = text
        .lines()
        .filter(|l| l.contains("generated") || l.contains("Tested:"))
        .collect::<Vec<_>>()
        .join(" | ");
    eprintln!("schemathesis: {summary}");
    assert!(
        text.contains("Tested: 29"),
        "every operation tested:\n{text}"
    );
}

async fn schema_holds_on(db: &str) {
    let dir = tempfile::tempdir().unwrap();
    assert!(run(&["--db", db, "demo", "load"]).status.success());
    let admin = account_with_key(db, "api@region.example", Some("admin"));
    let (_node, base) = start_serve(db, &["--no-worker"]);
    schemathesis(&base, &admin, dir.path());
}

#[tokio::test]
async fn schemathesis_finds_nothing_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    schema_holds_on(&format!("sqlite://{}", dir.path().join("s.db").display())).await;
}

#[tokio::test]
async fn schemathesis_finds_nothing_on_postgresql() {
    let pg = samordna_store::testing::TestDb::postgres().await;
    schema_holds_on(&pg.url.clone()).await;
}

/// The minutes workflow and the other writes through the API, with the roles
/// of the portal: the coordinator plans and writes, the chair approves.
#[tokio::test]
async fn a_client_plans_a_meeting_and_carries_its_minutes_to_publication() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("w.db").display());
    assert!(run(&["--db", &db, "demo", "load"]).status.success());
    let admin = account_with_key(&db, "api@region.example", Some("admin"));
    let reader = account_with_key(&db, "lasare@region.example", None);
    let (_node, base) = start_serve(&db, &["--no-worker"]);
    let group = "samordningsgrupp-for-neonatalvarden";

    // The spec is served, at a stable address, and lists the writes.
    let (status, spec) = call("GET", &format!("{base}/api/v1/openapi.json"), &reader, None).await;
    assert_eq!(status, 200);
    assert!(spec["paths"]["/api/v1/meetings/{id}/minutes/approve"]["post"].is_object());

    // A reader may not plan; a field refused is named.
    let meeting = json!({"kind": "extra", "date": "2027-02-03", "start": "13:00", "end": "14:30", "place": "Sal 4"});
    let (status, _) = call(
        "POST",
        &format!("{base}/api/v1/organizations/{group}/meetings"),
        &reader,
        Some(meeting.clone()),
    )
    .await;
    assert_eq!(status, 403);
    let (status, bad) = call(
        "POST",
        &format!("{base}/api/v1/organizations/{group}/meetings"),
        &admin,
        Some(json!({"kind": "extra", "date": "2027-02-30", "start": "13:00", "end": "12:00"})),
    )
    .await;
    assert_eq!(status, 422, "{bad}");
    let fields: Vec<&str> = bad["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"date"), "{bad}");
    let (status, bad) = call(
        "POST",
        &format!("{base}/api/v1/organizations/{group}/meetings"),
        &admin,
        Some(json!({"kind": 3})),
    )
    .await;
    assert_eq!(status, 400, "{bad}");
    assert!(
        bad["error"]["message"].as_str().unwrap().contains("kind"),
        "{bad}"
    );

    let (status, made) = call(
        "POST",
        &format!("{base}/api/v1/organizations/{group}/meetings"),
        &admin,
        Some(meeting),
    )
    .await;
    assert_eq!(status, 201, "{made}");
    let id = made["id"].as_i64().unwrap();
    let (status, m) = call("GET", &format!("{base}/api/v1/meetings/{id}"), &admin, None).await;
    assert_eq!(status, 200);
    assert_eq!(m["place"], "Sal 4");
    assert_eq!(m["state"], "planned");
    // A PUT changes what it names; the rest stays.
    let (status, moved) = call(
        "PUT",
        &format!("{base}/api/v1/meetings/{id}"),
        &admin,
        Some(json!({"start": "13:30", "row_version": m["row_version"]})),
    )
    .await;
    assert_eq!(status, 200, "{moved}");
    let (_, m) = call("GET", &format!("{base}/api/v1/meetings/{id}"), &admin, None).await;
    assert_eq!(m["place"], "Sal 4", "a field left out keeps its value");
    assert!(m["starts_at"].as_str().unwrap().contains(":30:"), "{m}");
    let (status, _) = call(
        "PUT",
        &format!("{base}/api/v1/meetings/999999"),
        &admin,
        Some(json!({"place": "x"})),
    )
    .await;
    assert_eq!(status, 404);

    // The meeting held (minutes are sent after the meeting): moved to a day
    // that has passed.
    let (status, held) = call(
        "PUT",
        &format!("{base}/api/v1/meetings/{id}"),
        &admin,
        Some(json!({"date": "2026-11-03", "row_version": m["row_version"]})),
    )
    .await;
    assert_eq!(status, 200, "{held}");

    // Minutes: written, submitted; the admin is no chair and may not approve.
    let (status, _) = call(
        "PUT",
        &format!("{base}/api/v1/meetings/{id}/minutes"),
        &admin,
        Some(json!({"body": "## 1. Öppnande\nMötet öppnades."})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = call(
        "POST",
        &format!("{base}/api/v1/meetings/{id}/minutes/submit"),
        &admin,
        None,
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = call(
        "POST",
        &format!("{base}/api/v1/meetings/{id}/minutes/approve"),
        &admin,
        None,
    )
    .await;
    assert_eq!(status, 403, "the chair approves");
    let (status, wrong) = call(
        "POST",
        &format!("{base}/api/v1/meetings/{id}/minutes/publish"),
        &admin,
        None,
    )
    .await;
    assert_eq!(status, 409, "not approved yet: {wrong}");
    assert!(
        wrong["error"]["message"].as_str().unwrap().len() > 10,
        "{wrong}"
    );
    let (_, m) = call("GET", &format!("{base}/api/v1/meetings/{id}"), &admin, None).await;
    assert_eq!(m["minutes"]["status"], "submitted");
    // The reader sees no unpublished minutes.
    let (_, m) = call(
        "GET",
        &format!("{base}/api/v1/meetings/{id}"),
        &reader,
        None,
    )
    .await;
    assert!(m["minutes"].is_null(), "{m}");
    // The group's chair approves; then they are published, and public.
    let chair = key_for(&db, &format!("ordforande.{group}@demo.samordna.example"));
    let (status, done) = call(
        "POST",
        &format!("{base}/api/v1/meetings/{id}/minutes/approve"),
        &chair,
        None,
    )
    .await;
    assert_eq!(status, 200, "{done}");
    let (status, again) = call(
        "POST",
        &format!("{base}/api/v1/meetings/{id}/minutes/return"),
        &chair,
        Some(json!({"comment": "för sent"})),
    )
    .await;
    assert_eq!(status, 409, "approved minutes are not returned: {again}");
    let (status, done) = call(
        "POST",
        &format!("{base}/api/v1/meetings/{id}/minutes/publish"),
        &admin,
        None,
    )
    .await;
    assert_eq!(status, 200, "{done}");
    let (_, m) = call(
        "GET",
        &format!("{base}/api/v1/meetings/{id}"),
        &reader,
        None,
    )
    .await;
    assert_eq!(m["minutes"]["status"], "published", "{m}");
    assert!(m["minutes"]["body"]
        .as_str()
        .unwrap()
        .contains("Mötet öppnades"));

    // A matter, moved; a stale move refused.
    let (status, matter) = call(
        "POST",
        &format!("{base}/api/v1/organizations/{group}/matters"),
        &admin,
        Some(json!({"kind": "remissvar", "title": "Remiss om API", "source": "national"})),
    )
    .await;
    assert_eq!(status, 201, "{matter}");
    let matter_id = matter["id"].as_i64().unwrap();
    let (_, read) = call(
        "GET",
        &format!("{base}/api/v1/organizations/{group}/matters/{matter_id}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(read["samordna:rowVersion"], 1, "{read}");
    assert!(
        read["samordna:moves"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == "preparing"),
        "{read}"
    );
    let (status, _) = call(
        "POST",
        &format!("{base}/api/v1/organizations/{group}/matters/{matter_id}/status"),
        &admin,
        Some(json!({"status": "preparing", "row_version": 1})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, stale) = call(
        "POST",
        &format!("{base}/api/v1/organizations/{group}/matters/{matter_id}/status"),
        &admin,
        Some(json!({"status": "answered", "row_version": 1})),
    )
    .await;
    assert_eq!(status, 422, "{stale}");

    // A membership ended through PUT; the same version again is a conflict.
    let (_, members) = call(
        "GET",
        &format!("{base}/api/v1/organizations/{group}/memberships"),
        &admin,
        None,
    )
    .await;
    let m = members["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["current"] == true)
        .unwrap()
        .clone();
    let mid = m["id"].as_i64().unwrap();
    let change = json!({"end_date": "2026-12-31", "row_version": m["row_version"]});
    let (status, done) = call(
        "PUT",
        &format!("{base}/api/v1/memberships/{mid}"),
        &admin,
        Some(change.clone()),
    )
    .await;
    assert_eq!(status, 200, "{done}");
    let (status, conflict) = call(
        "PUT",
        &format!("{base}/api/v1/memberships/{mid}"),
        &admin,
        Some(change),
    )
    .await;
    assert_eq!(status, 409, "{conflict}");
    assert!(
        !conflict["fields"].as_array().unwrap().is_empty(),
        "{conflict}"
    );
    let (_, after) = call(
        "GET",
        &format!("{base}/api/v1/organizations/{group}/memberships"),
        &admin,
        None,
    )
    .await;
    let ended = after["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == mid)
        .unwrap();
    assert_eq!(ended["end_date"], "2026-12-31");
    for kept in [
        "role",
        "voting_right",
        "on_behalf_of",
        "appointed_by",
        "start_date",
        "person_id",
    ] {
        assert_eq!(ended[kept], m[kept], "{kept} left out is kept");
    }
}
