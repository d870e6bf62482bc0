//! The backup drill as an operator runs it, through the `samordna` binary on both
//! databases: the demo served, `samordna backup` while the server runs,
//! `samordna restore` into an empty database, and every CSV export of
//! the copy byte-identical to the original's at the moment of the copy.

mod common;

use common::*;

async fn exports(base: &str, key: &str) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for name in [
        "grupper",
        "medlemmar",
        "moten",
        "grupparenden",
        "beslut",
        "avvikelser",
    ] {
        let res = reqwest::Client::new()
            .get(format!("{base}/export/{name}.csv"))
            .bearer_auth(key)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200, "{name}");
        out.push((name.to_string(), res.bytes().await.unwrap().to_vec()));
    }
    out
}

async fn drill(source: &str, target: &str, copy: &std::path::Path) {
    assert!(run(&["--db", source, "demo", "load"]).status.success());
    let key = account_with_key(source, "drift@region.example", Some("admin"));
    let public = [
        "--no-worker",
        "--public-url",
        "https://samordna.region.example",
    ];
    let (_a, base) = start_serve(source, &public);
    let before = exports(&base, &key).await;
    let out = run(&["--db", source, "backup", "--out", copy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The copy is refused a second time, and a restore into a database in use.
    assert!(
        !run(&["--db", source, "backup", "--out", copy.to_str().unwrap()])
            .status
            .success()
    );
    let again = run(&["--db", source, "restore", "--from", copy.to_str().unwrap()]);
    assert!(!again.status.success());
    let restored = run(&["--db", target, "restore", "--from", copy.to_str().unwrap()]);
    assert!(restored.status.success(), "{}", stderr(&restored));
    assert!(
        stdout(&restored).contains("grupper"),
        "{}",
        stdout(&restored)
    );
    let (_b, base_b) = start_serve(target, &public);
    let after = exports(&base_b, &key).await;
    for ((name, a), (_, b)) in before.iter().zip(&after) {
        assert!(a == b, "{name}.csv differs after the restore");
    }
}

#[tokio::test]
async fn a_backup_restores_to_the_same_exports_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let source = format!("sqlite://{}", dir.path().join("a.db").display());
    let target = format!("sqlite://{}", dir.path().join("b.db").display());
    drill(&source, &target, &dir.path().join("kopia.sqlite")).await;
    // The copy is one file, and the restore leaves nothing of its own beside the
    // database (its check's write-ahead log folded in and removed).
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("kopia.sqlite-") || n.contains("aterstalls"))
        .collect();
    assert!(left.is_empty(), "left beside the files: {left:?}");
}

#[tokio::test]
async fn a_backup_restores_to_the_same_exports_on_postgresql() {
    let a = samordna_store::testing::TestDb::postgres().await;
    let b = samordna_store::testing::TestDb::postgres_empty().await;
    let dir = tempfile::tempdir().unwrap();
    drill(
        &a.url.clone(),
        &b.url.clone(),
        &dir.path().join("kopia.pgdump"),
    )
    .await;
    a.close().await;
    b.close().await;
}
