//! Archival packages and culling decisions as an archivist uses them, through
//! the `samordna` binary on the demo: `archive --all` writes decided charters and
//! approved minutes as PDF/A (checked with qpdf through pikepdf,
//! `scripts/pdfa-check`) with a METS `mets.xml` (FGS Paketstruktur) that
//! `archive verify` accepts; one changed byte, a missing file or a stray file
//! makes `verify` fail and name the file. `gallring` records decisions and lists
//! what they would allow, deleting nothing.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

fn files_under(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == ext) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn package_of(db: &str, dir: &Path) -> PathBuf {
    let out_dir = dir.join("paket");
    let out = run(&[
        "--db",
        db,
        "archive",
        "--all",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("justerade mötesanteckningar"),
        "{}",
        stdout(&out)
    );
    let verify = run(&["archive", "verify", out_dir.to_str().unwrap()]);
    assert!(verify.status.success(), "{}", stderr(&verify));
    assert!(stdout(&verify).contains("Paketet stämmer"));
    out_dir
}

#[test]
fn an_archive_of_the_demo_verifies_and_a_changed_byte_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("a.db").display());
    assert!(run(&["--db", &db, "demo", "load"]).status.success());
    let pkg = package_of(&db, dir.path());

    // Every record is a PDF/A-2a file, every metadata file is named in mets.xml.
    let pdfs = files_under(&pkg.join("content"), "pdf");
    assert!(pdfs.len() > 50, "{} files", pdfs.len());
    assert!(pdfs
        .iter()
        .any(|p| p.to_string_lossy().contains("uppdragshandling-version-")));
    let check = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/pdfa-check"))
        .args(&pdfs)
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", stdout(&check));
    let mets = std::fs::read_to_string(pkg.join("mets.xml")).unwrap();
    assert!(mets.contains(r#"CHECKSUMTYPE="SHA-256""#));
    assert!(mets.contains("CommonSpecificationSwedenPackageProfile"));
    assert_eq!(
        files_under(&pkg.join("metadata"), "xml").len(),
        pdfs.len(),
        "one metadata file per record"
    );
    let meta = std::fs::read_to_string(&files_under(&pkg.join("metadata"), "xml")[0]).unwrap();
    assert!(!meta.contains("account:"), "approvers by name: {meta}");

    // One changed byte: verify fails and names the file.
    let victim = &pdfs[pdfs.len() / 2];
    let mut bytes = std::fs::read(victim).unwrap();
    let i = bytes.len() / 2;
    bytes[i] ^= 0x01;
    std::fs::write(victim, &bytes).unwrap();
    let rel = victim
        .strip_prefix(&pkg)
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let verify = run(&["archive", "verify", pkg.to_str().unwrap()]);
    assert_eq!(verify.status.code(), Some(1));
    let err = stderr(&verify);
    assert!(
        err.contains(&rel) && err.contains("kontrollsumman"),
        "{err}"
    );
    assert_eq!(
        err.lines().filter(|l| l.starts_with("FEL:")).count(),
        1,
        "{err}"
    );
    bytes[i] ^= 0x01;
    std::fs::write(victim, &bytes).unwrap();
    assert!(run(&["archive", "verify", pkg.to_str().unwrap()])
        .status
        .success());

    // A missing file and a file mets.xml does not name.
    let gone = &pdfs[0];
    std::fs::rename(gone, dir.path().join("flyttad.pdf")).unwrap();
    std::fs::write(pkg.join("content/extra.txt"), "x").unwrap();
    let verify = run(&["archive", "verify", pkg.to_str().unwrap()]);
    assert_eq!(verify.status.code(), Some(1));
    let err = stderr(&verify);
    let gone_rel = gone
        .strip_prefix(&pkg)
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(err.contains(&format!("{gone_rel}: saknas")), "{err}");
    assert!(
        err.contains("content/extra.txt: finns i paketet men inte i mets.xml"),
        "{err}"
    );

    // One group; an unknown group or a directory in use writes nothing.
    let one = dir.path().join("neurologi");
    let out = run(&[
        "--db",
        &db,
        "archive",
        "--group",
        "samordningsrad-neurologi",
        "--out",
        one.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let names: Vec<String> = std::fs::read_dir(one.join("content"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["samordningsrad-neurologi"]);
    let out = run(&[
        "--db",
        &db,
        "archive",
        "--group",
        "finns-inte",
        "--out",
        dir.path().join("x").to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("finns-inte"), "{}", stderr(&out));
    assert!(!dir.path().join("x").exists(), "nothing written");
    let out = run(&[
        "--db",
        &db,
        "archive",
        "--all",
        "--out",
        one.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("inte tom"), "{}", stderr(&out));
    assert!(
        run(&["archive", "verify", one.to_str().unwrap()])
            .status
            .success(),
        "untouched"
    );
}

#[tokio::test]
async fn an_archive_verifies_on_postgresql() {
    let pg = samordna_store::testing::TestDb::postgres().await;
    let dir = tempfile::tempdir().unwrap();
    assert!(run(&["--db", &pg.url, "demo", "load"]).status.success());
    package_of(&pg.url, dir.path());
}

#[test]
fn culling_is_decided_and_listed_never_done() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("g.db").display());
    assert!(run(&["--db", &db, "demo", "load"]).status.success());
    for (date, says) in [
        ("2026-13-01", "skriv ÅÅÅÅ-MM-DD"),
        ("2999-01-01", "har inte kommit"),
    ] {
        let bad = run(&[
            "--db",
            &db,
            "gallring",
            "add",
            "--kind",
            "attachments",
            "--after-years",
            "10",
            "--decision",
            "RS 2026-00001",
            "--decided-on",
            date,
        ]);
        assert!(!bad.status.success(), "{date}");
        assert!(stderr(&bad).contains(says), "{date}: {}", stderr(&bad));
    }
    let list = run(&["--db", &db, "gallring", "list"]);
    assert!(
        stdout(&list).contains("Inga gallringsbeslut"),
        "{}",
        stdout(&list)
    );
    let bad = run(&[
        "--db",
        &db,
        "gallring",
        "add",
        "--kind",
        "minutes",
        "--after-years",
        "10",
        "--decision",
        "RS 2026-00001",
        "--decided-on",
        "2026-05-01",
    ]);
    assert!(!bad.status.success());
    assert!(
        stderr(&bad).contains("attachments, minutes_drafts, closed_matters, cancelled_meetings"),
        "{}",
        stderr(&bad)
    );
    let add = run(&[
        "--db",
        &db,
        "gallring",
        "add",
        "--kind",
        "cancelled_meetings",
        "--after-years",
        "1",
        "--decision",
        "RS 2026-00001",
        "--decided-on",
        "2026-05-01",
        "--note",
        "IHP 2026 avsnitt 4.2",
    ]);
    assert!(add.status.success(), "{}", stderr(&add));
    let before = run(&[
        "--db",
        &db,
        "archive",
        "--all",
        "--out",
        dir.path().join("p1").to_str().unwrap(),
    ]);
    assert!(before.status.success());
    let list = run(&["--db", &db, "gallring", "list", "--all"]);
    let text = stdout(&list);
    assert!(
        text.contains("RS 2026-00001") && text.contains("IHP 2026 avsnitt 4.2"),
        "{text}"
    );
    assert!(text.contains("Samordna gallrar inte själv"), "{text}");
    // Listing culls nothing: a second package holds the same records.
    let after = run(&[
        "--db",
        &db,
        "archive",
        "--all",
        "--out",
        dir.path().join("p2").to_str().unwrap(),
    ]);
    assert_eq!(
        stdout(&before)
            .split(" till ")
            .nth(1)
            .map(|s| s.split(':').nth(1).map(str::to_string)),
        stdout(&after)
            .split(" till ")
            .nth(1)
            .map(|s| s.split(':').nth(1).map(str::to_string)),
    );
}
