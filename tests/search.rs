//! Search as readers use it, through the running `samordna serve`: the relevance
//! set over the demo, what each role finds of minutes not yet published, how soon
//! a change is found on the node that made it and on a second node on the same
//! PostgreSQL, and `samordna search reindex`.

mod common;

use std::time::{Duration, Instant};

use common::*;
use samordna_domain::meetings::MinutesStatus;
use serde_json::Value;

/// `/api/v1/search?q=` as the holder of `key` (anonymous without).
async fn search(base: &str, key: Option<&str>, q: &str) -> Value {
    let mut req = reqwest::Client::new()
        .get(format!("{base}/api/v1/search"))
        .query(&[("q", q), ("per_page", "10")]);
    if let Some(k) = key {
        req = req.bearer_auth(k);
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), 200, "{q}");
    serde_json::from_str(&res.text().await.unwrap()).unwrap()
}

fn urls(v: &Value) -> Vec<String> {
    v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["url"].as_str().unwrap().to_string())
        .collect()
}

/// How long a test waits for the index to find a change before it says the
/// change never arrived: a ceiling for a machine under load, not a promise of
/// speed (how fast is measured by `bench/search` and printed here).
const NEVER: Duration = Duration::from_secs(90);

/// Waits until the node's index answers `q` (a node builds its index after it
/// starts listening; a change reaches it a moment after the write); returns how
/// long that took, for the log. The check is that it happens, not how fast
/// (issue 27, item 7).
async fn until_found(base: &str, key: Option<&str>, q: &str) -> Duration {
    let started = Instant::now();
    loop {
        let v = search(base, key, q).await;
        if v["total"].as_u64().unwrap_or(0) > 0 {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < NEVER,
            "{q:?} was never found (waited {NEVER:?})"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn the_relevance_set_passes_over_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("s.db").display());
    assert!(run(&["--db", &db, "demo", "load"]).status.success());
    let reader = account_with_key(&db, "lasare@region.example", None);
    let (_node, base) = start_serve(&db, &["--no-worker"]);
    until_found(&base, None, "onkologi").await;
    let set = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search-relevance.tsv"),
    )
    .unwrap();
    let mut failures = Vec::new();
    let mut n = 0;
    for line in set
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let cols: Vec<&str> = line.split('\t').collect();
        let (q, want, k, who) = (cols[0], cols[1], cols[2].parse::<usize>().unwrap(), cols[3]);
        n += 1;
        let key = (who == "reader").then_some(reader.as_str());
        let v = search(&base, key, q).await;
        let top: Vec<String> = urls(&v).into_iter().take(k).collect();
        if !top.iter().any(|u| u.contains(want)) {
            failures.push(format!(
                "{q:?}: wanted {want} in the first {k}, got {top:?}"
            ));
        }
        if let Some(s) = cols.get(4) {
            if v["suggestion"].as_str() != Some(s) {
                failures.push(format!(
                    "{q:?}: wanted the suggestion {s:?}, got {}",
                    v["suggestion"]
                ));
            }
        }
    }
    assert!(n >= 40, "the set has {n} queries");
    assert!(
        failures.is_empty(),
        "{} of {n} queries failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // People are found only by those who may read people.
    let anon = search(&base, None, "Per Dummyhed").await;
    assert!(
        anon["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["kind"] != "person"),
        "{anon}"
    );
    let known = search(&base, Some(&reader), "Per Dummyhed").await;
    assert_eq!(known["data"][0]["kind"], "person", "{known}");
    // The page: a form in the header of every page, results with highlighting
    // and facets, "menade du", all without JavaScript.
    let home = reqwest::get(format!("{base}/"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains(r#"action="/sok""#) && home.contains(r#"role="search""#));
    let page = reqwest::get(format!("{base}/sok?q=remissvaren"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("<mark>"), "{page}");
    assert!(
        page.contains("Dokumenttyp") && page.contains("typ=charter"),
        "{page}"
    );
    let typo = reqwest::get(format!("{base}/sok?q=onkolgi"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        typo.contains("Menade du") && typo.contains("/sok?q=onkologi"),
        "{typo}"
    );
    let filtered = reqwest::get(format!("{base}/sok?q=onkologi&typ=matter"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(filtered.contains("/grupparenden/") && !filtered.contains("/uppdragshandlingar/1\""));
    let bad = reqwest::get(format!("{base}/api/v1/search?q=x&kind=nope"))
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("nope"));
}

/// A meeting of `slug` held before now whose minutes are not approved (or not
/// written): where a coordinator writes minutes.
async fn open_minutes(db: &str, slug: &str) -> Option<i64> {
    let store = samordna_store::Store::open(db).await.unwrap();
    let org = store.organization_by_slug(slug).await.unwrap()?;
    let now = chrono::Utc::now();
    for m in store
        .meetings_between(org.id, org.id)
        .await
        .unwrap()
        .into_iter()
        .rev()
    {
        if m.fields.starts_at > now || m.cancel_reason.is_some() {
            continue;
        }
        let last = store.minutes(m.id).await.unwrap().pop();
        if last.is_none_or(|x| matches!(x.status, MinutesStatus::Draft | MinutesStatus::Returned)) {
            return Some(m.id);
        }
    }
    None
}

/// Minutes not yet published are the group's: a word in them is found by its
/// coordinator and chair and the register keeper, and by nobody else — not in
/// the hits, the counts or a "menade du". Written through the portal, the word is
/// found within a second on the same node.
#[tokio::test]
async fn unpublished_minutes_are_found_only_by_those_who_may_read_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("m.db").display());
    assert!(run(&["--db", &db, "demo", "load"]).status.success());
    let groups = [
        "samordningsrad-neurologi",
        "samordningsrad-onkologi",
        "samordningsrad-ortopedi",
        "samordningsrad-rattspsykiatri",
    ];
    let coordinator_of =
        |g: &str| try_key_for(&db, &format!("koordinator.{g}@demo.samordna.example"));
    let mut chosen = None;
    for g in groups {
        let Some(key) = coordinator_of(g) else {
            continue;
        };
        if let Some(m) = open_minutes(&db, g).await {
            chosen = Some((g, m, key));
            break;
        }
    }
    let (slug, meeting, coordinator) = chosen.expect("a demo meeting with minutes to write");
    let chair = key_for(&db, &format!("ordforande.{slug}@demo.samordna.example"));
    let other_coordinator = groups
        .iter()
        .filter(|g| **g != slug)
        .find_map(|g| coordinator_of(g))
        .expect("another group's coordinator");
    let reader = account_with_key(&db, "lasare@region.example", None);
    let director = account_with_key(&db, "direktor@region.example", Some("director"));
    let admin = account_with_key(&db, "admin@region.example", Some("admin"));
    let (_node, base) = start_serve(&db, &["--no-worker"]);
    until_found(&base, None, "onkologi").await;

    let word = "Zebrafinksprotokollet";
    let res = reqwest::Client::new()
        .post(format!("{base}/moten/{meeting}/anteckningar"))
        .bearer_auth(&coordinator)
        .form(&[(
            "body",
            format!("## 1. Mötets öppnande\nOrdföranden öppnade mötet.\n\n## 2. Övrigt\nRådet diskuterade {word} och remissvaren.\n"),
        )])
        .send()
        .await
        .unwrap();
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    let took = until_found(&base, Some(&coordinator), word).await;
    eprintln!("found on the same node {took:?} after the write");

    for (who, key) in [("chair", Some(&chair)), ("admin", Some(&admin))] {
        let v = search(&base, key.map(|k| k.as_str()), word).await;
        assert!(
            urls(&v)
                .iter()
                .any(|u| u.ends_with(&format!("/moten/{meeting}"))),
            "{who} finds the minutes: {v}"
        );
    }
    for (who, key) in [
        ("anonymous", None),
        ("reader", Some(&reader)),
        ("director", Some(&director)),
        ("another group's coordinator", Some(&other_coordinator)),
    ] {
        let key = key.map(|k| k.as_str());
        let v = search(&base, key, word).await;
        assert_eq!(v["total"], 0, "{who}: {v}");
        assert_eq!(v["data"].as_array().unwrap().len(), 0, "{who}");
        // A near spelling of the word offers nothing it would find.
        let near = search(&base, key, "Zebrafinksprotokolet").await;
        assert!(
            near["suggestion"].is_null() && near["total"] == 0,
            "{who}: {near}"
        );
        // Counts of a word that is also public do not count the minutes.
        let both = search(&base, key, "remissvaren").await;
        let own = both["data"].as_array().unwrap().iter().any(|h| {
            h["url"]
                .as_str()
                .is_some_and(|u| u.ends_with(&format!("/moten/{meeting}")))
        });
        assert!(!own, "{who}: {both}");
        assert!(
            !both.to_string().contains("Zebrafink"),
            "{who} sees the word in a snippet"
        );
    }
    // The page as an anonymous reader says the same.
    let page = reqwest::get(format!("{base}/sok?q={word}"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Inga träffar") && !page.contains(&format!("/moten/{meeting}\"")));
}

/// Two app nodes on one PostgreSQL, each with an index of its own: a change
/// through node A is found on node B within its catch-up interval; node B
/// stopped during a change catches up when it starts; a node whose index was
/// removed builds it again by itself; `search reindex` builds it from the
/// command line.
#[tokio::test]
async fn a_change_reaches_the_index_of_a_second_node_on_postgresql() {
    let pg = samordna_store::testing::TestDb::postgres().await;
    let db = pg.url.clone();
    assert!(run(&["--db", &db, "demo", "load"]).status.success());
    let admin = account_with_key(&db, "admin@region.example", Some("admin"));
    let dirs = tempfile::tempdir().unwrap();
    let index_a = dirs.path().join("a");
    let index_b = dirs.path().join("b");
    let (_a, node_a) = start_serve(
        &db,
        &["--no-worker", "--search-index", index_a.to_str().unwrap()],
    );
    let (b, node_b) = start_serve(
        &db,
        &["--no-worker", "--search-index", index_b.to_str().unwrap()],
    );
    until_found(&node_a, None, "onkologi").await;
    until_found(&node_b, None, "onkologi").await;

    // A group renamed through node A's portal form.
    let rename = |name: &'static str| {
        let node_a = node_a.clone();
        let admin = admin.clone();
        async move {
            let client = reqwest::Client::new();
            let edit = client
                .get(format!(
                    "{node_a}/api/v1/organizations/samordningsrad-ortopedi"
                ))
                .bearer_auth(&admin)
                .send()
                .await
                .unwrap();
            let etag = edit.headers()["etag"].to_str().unwrap().to_string();
            let res = client
                .put(format!(
                    "{node_a}/api/v1/organizations/samordningsrad-ortopedi"
                ))
                .bearer_auth(&admin)
                .header("if-match", etag)
                .header("content-type", "application/json")
                .body(serde_json::json!({ "name": name, "kind": "samordningsrad" }).to_string())
                .send()
                .await
                .unwrap();
            assert!(res.status().is_success(), "{}", res.text().await.unwrap());
        }
    };
    rename("Samordningsråd ortopedi och handkirurgi").await;
    let took = until_found(&node_b, None, "handkirurgi").await;
    eprintln!("found on node B {took:?} after the write through node A");
    until_found(&node_a, None, "handkirurgi").await;

    // Node B stopped; a change; B started again on its index: it catches up.
    drop(b);
    rename("Samordningsråd ortopedi och fotkirurgi").await;
    let (b, node_b) = start_serve(
        &db,
        &["--no-worker", "--search-index", index_b.to_str().unwrap()],
    );
    until_found(&node_b, None, "fotkirurgi").await;
    let now = search(&node_b, None, "fotkirurgi").await;
    assert_eq!(
        now["data"][0]["title"], "Samordningsråd ortopedi och fotkirurgi",
        "{now}"
    );

    // Its index removed: B builds it again by itself.
    drop(b);
    std::fs::remove_dir_all(&index_b).unwrap();
    let (b, node_b) = start_serve(
        &db,
        &["--no-worker", "--search-index", index_b.to_str().unwrap()],
    );
    until_found(&node_b, None, "fotkirurgi").await;
    drop(b);

    // From the command line, with a progress bar and what it did: into an
    // index that is gone, so that what is found was built by this command.
    std::fs::remove_dir_all(&index_b).unwrap();
    let out = run(&[
        "--db",
        &db,
        "search",
        "reindex",
        "--search-index",
        index_b.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("är ombyggt"), "{}", stdout(&out));
    let q = run(&[
        "--db",
        &db,
        "search",
        "query",
        "fotkirurgi",
        "--json",
        "--search-index",
        index_b.to_str().unwrap(),
    ]);
    let v: Value = serde_json::from_str(&stdout(&q)).unwrap();
    assert!(v["total"].as_u64().unwrap() > 0, "{v}");
    pg.close().await;
}
