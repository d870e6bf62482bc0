//! What the binary's tests share: the binary, run or served on a free port.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The binary, without the caller's SAMORDNA_DB, with a cache directory of the
/// tests' own (where a PostgreSQL node keeps its search index by default).
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_samordna"));
    c.env_remove("SAMORDNA_DB");
    c.env_remove("SAMORDNA_SEARCH_INDEX");
    c.env(
        "XDG_CACHE_HOME",
        std::env::temp_dir().join("samordna-test-cache"),
    );
    c
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A child process that is killed when the test ends, pass or fail.
pub struct KillOnDrop(pub std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub trait SpawnGuard {
    fn kill_on_drop_guard(&mut self) -> KillOnDrop;
}

impl SpawnGuard for Command {
    fn kill_on_drop_guard(&mut self) -> KillOnDrop {
        KillOnDrop(self.spawn().expect("the samordna binary starts"))
    }
}

/// Starts `serve` on a free port with `extra` arguments; returns the process and
/// its base URL once it listens.
pub fn start_serve(db: &str, extra: &[&str]) -> (KillOnDrop, String) {
    let mut child = bin()
        .args(["--db", db, "serve", "--listen", "127.0.0.1:0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(if std::env::var_os("SAMORDNA_TEST_SERVER_LOG").is_some() {
            Stdio::inherit()
        } else {
            Stdio::null()
        })
        .kill_on_drop_guard();
    let base = listening_at(&mut child);
    (child, base)
}

/// The base address a starting `serve` prints on its first line of output.
pub fn listening_at(child: &mut KillOnDrop) -> String {
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    line.split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .trim_end_matches('/')
        .to_string()
}

/// Adds an account (password on stdin) and returns an API key for it.
pub fn account_with_key(db: &str, email: &str, role: Option<&str>) -> String {
    use std::io::Write;
    let mut args = vec!["--db", db, "user", "add", "--email", email, "--name", email];
    if let Some(r) = role {
        args.extend(["--role", r]);
    }
    let mut add = bin()
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    add.stdin
        .take()
        .unwrap()
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .unwrap();
    assert!(add.wait().unwrap().success(), "user add {email}");
    key_for(db, email)
}

/// An API key for an account that exists (a demo account).
pub fn key_for(db: &str, email: &str) -> String {
    try_key_for(db, email).unwrap_or_else(|| panic!("no account {email}"))
}

/// An API key for the account, if there is one.
pub fn try_key_for(db: &str, email: &str) -> Option<String> {
    let out = run(&[
        "--db", db, "token", "create", "--email", email, "--name", "sök",
    ]);
    out.status
        .success()
        .then(|| stdout(&out).trim().to_string())
}

/// The value of the cookie `name` that a response sets.
pub fn set_cookie(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix(&format!("{name}=")))
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
}

/// Every job in the queue is done, within `secs` seconds.
pub async fn wait_until_queue_empty(store: &samordna_store::Store, secs: u64) {
    for _ in 0..secs * 4 {
        let jobs = store.jobs().await.unwrap();
        if jobs.iter().all(|j| j.done_at.is_some()) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    let left: Vec<_> = store
        .jobs()
        .await
        .unwrap()
        .into_iter()
        .filter(|j| j.done_at.is_none())
        .map(|j| (j.kind, j.attempts, j.last_error))
        .collect();
    panic!("{} jobs still unsent after {secs} s: {left:?}", left.len());
}

/// The password `account_with_key` gives every account it adds.
pub const PASSWORD: &str = "ett langt losenord 2026";

/// A client as the tests' browsers and API clients are: no redirects followed, a
/// 30 s timeout.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap()
}

/// An API call with a key: the status and the JSON answer (null when none).
pub async fn call(
    method: &str,
    url: &str,
    key: &str,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let c = client();
    let mut req = match method {
        "POST" => c.post(url),
        "PUT" => c.put(url),
        _ => c.get(url),
    }
    .bearer_auth(key);
    if let Some(b) = body {
        req = req
            .header("content-type", "application/json")
            .body(b.to_string());
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
    )
}

/// Signs in through the sign-in form as a browser does (the CSRF cookie of the
/// form page sent back with the form): the answer to the post, or an error while
/// the server cannot be reached.
pub async fn post_sign_in(
    c: &reqwest::Client,
    base: &str,
    email: &str,
    password: &str,
) -> Result<reqwest::Response, String> {
    let page = c
        .get(format!("{base}/logga-in"))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let csrf = set_cookie(&page, "samordna_csrf").ok_or("no CSRF cookie")?;
    c.post(format!("{base}/logga-in"))
        .header("cookie", format!("samordna_csrf={csrf}"))
        .form(&[
            ("email", email),
            ("password", password),
            ("till", "/"),
            ("_csrf", csrf.as_str()),
        ])
        .send()
        .await
        .map_err(|e| e.to_string())
}
