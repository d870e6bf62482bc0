//! The `samordna` binary as a user runs it: parse, import, migrate, org, serve.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_samordna"));
    c.env_remove("SAMORDNA_DB");
    c
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn parse_prints_the_contract_as_json() {
    for entry in std::fs::read_dir(fixtures().join("seeds")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let out = run(&["parse", path.to_str().unwrap()]);
        assert!(out.status.success(), "{}: {}", path.display(), stderr(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let stem = path.file_stem().unwrap().to_str().unwrap();
        let expected: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(fixtures().join(format!("seeds/expected/{stem}.json")))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(v["registry_number"], expected["registry_number"], "{stem}");
        assert_eq!(
            v["decision"]["date"], expected["decision"]["date"],
            "{stem}"
        );
        assert_eq!(v["document_kind"], expected["document_kind"], "{stem}");
    }
}

#[test]
fn parse_refuses_what_is_not_a_charter_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 4] = [
        ("tom.txt", b"", "rad 1: filen är tom"),
        (
            "brev.txt",
            b"Hej!\n\nVi ses p\xc3\xa5 fredag.\n",
            "rad 3: ingen rubrik",
        ),
        (
            "bild.png",
            b"\x89PNG\r\n\x1a\n\0\0\0",
            "rad 1: filen är inte text",
        ),
        (
            "latin1.txt",
            b"Uppdragshandling\n\nSyfte med uppdraget\n\nV\xe4stra\n",
            "rad 5: filen är inte UTF-8-text",
        ),
    ];
    for (name, bytes, reason) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = run(&["parse", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert!(out.stdout.is_empty(), "{name}: nothing on stdout");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{name}: one line, got {err:?}");
        assert!(err.contains(reason), "{name}: {err}");
    }
    let out = run(&["parse", "/finns/inte.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out).lines().count(), 1);
}

#[test]
fn import_reports_each_file_and_keeps_going_after_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("dokument");
    std::fs::create_dir(&docs).unwrap();
    for entry in std::fs::read_dir(fixtures().join("seeds")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, docs.join(path.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(
        docs.join("anteckningar.txt"),
        "Mötesanteckningar\n\nInget här.\n",
    )
    .unwrap();
    let db = format!("sqlite://{}", dir.path().join("s.db").display());

    let out = run(&["--db", &db, "import", docs.to_str().unwrap()]);
    let text = stdout(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a failed file makes the run fail: {text}"
    );
    assert_eq!(text.matches("importerad: ").count(), 5, "{text}");
    assert!(
        text.contains("FEL: ") && text.contains("anteckningar.txt: rad 3: ingen rubrik"),
        "{text}"
    );
    assert!(
        text.contains("6 filer: 5 importerade, 0 oförändrade, 1 med fel"),
        "{text}"
    );

    let again = run(&[
        "--db",
        &db,
        "import",
        docs.join("sor-neurologi-2026.txt").to_str().unwrap(),
    ]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stdout(&again).contains("oförändrad: Samordningsråd neurologi"),
        "{}",
        stdout(&again)
    );

    let list = stdout(&run(&["--db", &db, "org", "list"]));
    assert!(
        list.contains("samordningsrad-barn\tSamordningsråd\tSamordningsråd barn"),
        "{list}"
    );
    assert!(
        list.contains("alias: samordningsråd anesthesi, operation, intensivvård"),
        "{list}"
    );

    let rename = run(&[
        "--db",
        &db,
        "org",
        "rename",
        "samordningsrad-barn",
        "Samordningsråd barn och ungdom",
    ]);
    assert!(rename.status.success(), "{}", stderr(&rename));
    let missing = run(&[
        "--db",
        &db,
        "org",
        "merge",
        "finns-inte",
        "samordningsrad-barn",
    ]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).contains("finns-inte"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn import_of_a_missing_path_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("s.db").display());
    let out = run(&["--db", &db, "import", "/finns/inte"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("/finns/inte finns inte"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn migrate_runs_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("m.db").display());
    let first = run(&["--db", &db, "migrate"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stdout(&first).contains("Körde migrering 0001_register"));
    assert!(stdout(&run(&["--db", &db, "migrate"])).contains("redan uppdaterad"));
    let bad = run(&["--db", "mysql://x", "migrate"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("stöds inte"), "{}", stderr(&bad));
}

/// `serve --demo` over real HTTP on a free loopback port, stopped by the test.
#[tokio::test]
async fn serve_demo_answers_over_http() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("demo.db").display());
    let (child, base) = start_demo(&db);
    let client = reqwest::Client::new();
    let register = client.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(register.status(), 200);
    let html = register.text().await.unwrap();
    for name in [
        "Samordningsråd rättspsykiatri",
        "Samordningsråd neurologi",
        "Samordningsråd ortopedi",
        "Samordningsråd onkologi",
        "Samordningsgrupp för neonatalvården",
    ] {
        assert!(html.contains(name), "{name}");
    }
    let missing = client.get(format!("{base}/nej")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    let api = client
        .get(format!("{base}/api/v1/organizations"))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 200);
    drop(child);
    // A second start on the same database does not import the demo again.
    let (again, _) = start_demo(&db);
    drop(again);
    let list = stdout(&run(&["--db", &db, "org", "list"]));
    assert_eq!(
        list.matches("\tSamordningsråd neurologi").count(),
        1,
        "{list}"
    );
}

/// Starts `serve --demo` on a free port; returns the process and its base URL once
/// it listens.
fn start_demo(db: &str) -> (KillOnDrop, String) {
    let mut child = bin()
        .args(["--db", db, "serve", "--demo", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop_guard();
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .trim_end_matches('/')
        .to_string();
    (child, base)
}

/// A child process that is killed when the test ends, pass or fail.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

trait SpawnGuard {
    fn kill_on_drop_guard(&mut self) -> KillOnDrop;
}

impl SpawnGuard for Command {
    fn kill_on_drop_guard(&mut self) -> KillOnDrop {
        KillOnDrop(self.spawn().expect("the samordna binary starts"))
    }
}

#[test]
fn user_and_token_commands() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("u.db").display());
    let with_stdin = |args: &[&str], input: &str| {
        use std::io::Write;
        let mut child = bin()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let short = with_stdin(
        &[
            "--db",
            &db,
            "user",
            "add",
            "--email",
            "a@region.example",
            "--name",
            "A",
            "--role",
            "admin",
        ],
        "kort\n",
    );
    assert_eq!(short.status.code(), Some(1));
    assert!(
        stderr(&short).contains("minst 12 tecken"),
        "{}",
        stderr(&short)
    );
    let ok = with_stdin(
        &[
            "--db",
            &db,
            "user",
            "add",
            "--email",
            "a@region.example",
            "--name",
            "A",
            "--role",
            "admin",
        ],
        "ett långt lösenord\n",
    );
    assert!(ok.status.success(), "{}", stderr(&ok));
    let again = with_stdin(
        &[
            "--db",
            &db,
            "user",
            "add",
            "--email",
            "A@region.example",
            "--name",
            "A",
        ],
        "ett långt lösenord\n",
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("finns redan"), "{}", stderr(&again));
    let pw = with_stdin(
        &["--db", &db, "user", "passwd", "--email", "a@region.example"],
        "ett annat långt lösenord\n",
    );
    assert!(pw.status.success(), "{}", stderr(&pw));
    let token = run(&[
        "--db",
        &db,
        "token",
        "create",
        "--email",
        "a@region.example",
        "--name",
        "skript",
    ]);
    assert!(token.status.success());
    assert!(
        stdout(&token).trim().starts_with("smd_"),
        "only the key on stdout"
    );
    assert!(run(&[
        "--db",
        &db,
        "token",
        "revoke",
        "--email",
        "a@region.example",
        "--id",
        "1"
    ])
    .status
    .success());
    let twice = run(&[
        "--db",
        &db,
        "token",
        "revoke",
        "--email",
        "a@region.example",
        "--id",
        "1",
    ]);
    assert_eq!(twice.status.code(), Some(1));
    assert!(
        run(&[
            "--db",
            &db,
            "user",
            "passwd",
            "--email",
            "nobody@region.example"
        ])
        .status
        .code()
            == Some(1)
    );
}

/// The demo is a living portal: people in the real administrations with every role
/// in every seed group and SOR barn, two years of meetings, minutes in every state.
#[tokio::test]
async fn the_demo_has_people_meetings_and_minutes_in_every_state() {
    use samordna_domain::meetings::MinutesStatus;
    use samordna_domain::policy::MembershipRole;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("demo.db").display());
    let (child, _) = start_demo(&db);
    drop(child);
    let store = samordna_store::Store::open(&db).await.unwrap();
    let adms: Vec<String> = store
        .administrations()
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    for a in [
        "Sahlgrenska Universitetssjukhuset",
        "Skaraborgs Sjukhus",
        "NU-sjukvården",
        "Södra Älvsborgs Sjukhus",
        "Närhälsan",
        "Koncernkontoret",
    ] {
        assert!(adms.contains(&a.to_string()), "{a}");
    }
    let today = chrono::Utc::now().date_naive();
    let mut states = std::collections::HashSet::new();
    for slug in [
        "samordningsrad-neurologi",
        "samordningsrad-ortopedi",
        "samordningsrad-onkologi",
        "samordningsrad-rattspsykiatri",
        "samordningsgrupp-for-neonatalvarden",
        "samordningsrad-barn",
    ] {
        let org = store.organization_by_slug(slug).await.unwrap().unwrap();
        let members = store.memberships(Some(org.id), None).await.unwrap();
        for role in [
            MembershipRole::Ordforande,
            MembershipRole::Koordinator,
            MembershipRole::Kontaktperson,
            MembershipRole::Deltagare,
            MembershipRole::Adjungerad,
        ] {
            // Rättspsykiatri lacks a coordinator on purpose, for the rules check.
            if role == MembershipRole::Koordinator && slug == "samordningsrad-rattspsykiatri" {
                continue;
            }
            assert!(
                members
                    .iter()
                    .any(|m| m.fields.role == role && m.is_current(today)),
                "{slug} lacks {role:?}"
            );
        }
        assert!(
            members.iter().any(|m| !m.is_current(today)),
            "{slug} has history"
        );
        assert!(members
            .iter()
            .filter(|m| m.fields.role == MembershipRole::Deltagare)
            .all(|m| m.on_behalf_of_name.is_some()));
        let meetings = store.meetings(Some(org.id)).await.unwrap();
        assert!(meetings.len() >= 10, "{slug}: {} meetings", meetings.len());
        let first = meetings.first().unwrap().fields.starts_at.date_naive();
        assert!(
            (today - first).num_days() > 600,
            "{slug}: two years of meetings"
        );
        for m in &meetings {
            for v in store.minutes(m.id).await.unwrap() {
                states.insert(v.status.as_str());
            }
        }
    }
    for s in [
        MinutesStatus::Draft,
        MinutesStatus::Submitted,
        MinutesStatus::Returned,
        MinutesStatus::Approved,
        MinutesStatus::Published,
    ] {
        assert!(
            states.contains(s.as_str()),
            "no minutes in state {s:?}: {states:?}"
        );
    }
}

#[test]
fn check_reports_findings_with_quotes_and_exit_status() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("c.db").display());
    let (child, _) = start_demo(&db);
    drop(child);
    let out = run(&["--db", &db, "check", "--json"]);
    assert_eq!(out.status.code(), Some(1), "errors found: {}", stderr(&out));
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let find = |rule: &str, group: &str| {
        findings
            .iter()
            .find(|f| f["rule"] == rule && f["group"] == group)
            .cloned()
    };
    let undecided = find("charter-undecided", "samordningsrad-rattspsykiatri")
        .expect("charter-undecided for rättspsykiatri");
    assert!(!undecided["source"]["quote"].as_str().unwrap().is_empty());
    assert!(find("no-charter", "samordningsrad-barn").is_some());
    // The demo breaks every rule that can be checked at least once.
    for rule in samordna_domain::rules::RULE_IDS
        .iter()
        .filter(|r| !samordna_domain::rules::NOT_YET_CHECKABLE.contains(r))
    {
        assert!(
            findings.iter().any(|f| f["rule"] == *rule),
            "no finding for {rule}"
        );
    }
    for f in &findings {
        for key in ["rule", "severity", "group", "message", "evidence", "source"] {
            assert!(f.get(key).is_some(), "{key} in {f}");
        }
    }
    let human = run(&[
        "--db",
        &db,
        "check",
        "--group",
        "samordningsrad-rattspsykiatri",
    ]);
    assert!(
        stdout(&human).contains("FEL [charter-undecided] samordningsrad-rattspsykiatri"),
        "{}",
        stdout(&human)
    );
    // The rules whose facts the register does not hold yet say so, by name.
    let all = run(&["--db", &db, "check"]);
    for rule in samordna_domain::rules::NOT_YET_CHECKABLE {
        assert!(
            stdout(&all)
                .lines()
                .any(|l| l.starts_with(&format!("KAN INTE PRÖVAS [{rule}]")) && l.contains("ännu")),
            "{rule} listed as not checkable yet:\n{}",
            stdout(&all)
        );
    }
    let missing = run(&["--db", &db, "check", "--group", "finns-inte"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("finns-inte"));
}

#[test]
fn an_exception_clears_a_finding_while_it_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("e.db").display());
    let (child, _) = start_demo(&db);
    drop(child);
    let rules_of = |db: &str| -> Vec<String> {
        let out = run(&[
            "--db",
            db,
            "check",
            "--group",
            "samordningsgrupp-for-neonatalvarden",
            "--json",
        ]);
        let v: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        v.iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(
        rules_of(&db).contains(&"meeting-frequency".to_string()),
        "the demo has too few meetings last year here"
    );
    let bad = run(&[
        "--db",
        &db,
        "exception",
        "add",
        "--group",
        "samordningsgrupp-for-neonatalvarden",
        "--rule",
        "ingen-regel",
        "--until",
        "2099-12-31",
        "--reason",
        "x",
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("okänd regel"));
    let ok = run(&[
        "--db",
        &db,
        "exception",
        "add",
        "--group",
        "samordningsgrupp-for-neonatalvarden",
        "--rule",
        "meeting-frequency",
        "--until",
        "2099-12-31",
        "--reason",
        "Två möten avtalade med kontaktpersonen",
    ]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(
        !rules_of(&db).contains(&"meeting-frequency".to_string()),
        "cleared by the exception"
    );
}

#[test]
fn demo_load_fills_an_empty_database_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("d.db").display());
    let first = run(&["--db", &db, "demo", "load"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stdout(&first).contains("Demodata inläst"));
    let check = run(&["--db", &db, "check", "--json"]);
    assert_eq!(
        check.status.code(),
        Some(1),
        "the demo breaks rules on purpose"
    );
    let again = run(&["--db", &db, "demo", "load"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("har redan innehåll"),
        "{}",
        stderr(&again)
    );
    let after = run(&["--db", &db, "check", "--json"]);
    assert_eq!(
        after.stdout, check.stdout,
        "a refused second load changes nothing"
    );
}
