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
        .stderr(Stdio::null())
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
        .write_all(b"ett langt losenord 2026\n")
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
