//! (feature `test-support`) A real SMTP server on loopback for tests: Python's
//! aiosmtpd writing every message it receives to a Maildir, and the messages read
//! back with Python's standard `email` package.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A running aiosmtpd; stopped when dropped.
pub struct Smtp {
    child: Child,
    /// Where the messages are written (a Maildir).
    pub maildir: PathBuf,
    pub port: u16,
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("a free port on loopback")
        .local_addr()
        .expect("a bound address")
        .port()
}

/// Starts aiosmtpd on `127.0.0.1:port`, writing to `maildir`; waits until it listens.
///
/// Panics when python3 with aiosmtpd is missing (`scripts/test` installs it).
pub fn start_smtp(port: u16, maildir: &Path) -> Smtp {
    let mut child = Command::new("python3")
        .args([
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            &format!("127.0.0.1:{port}"),
            "-c",
            "aiosmtpd.handlers.Mailbox",
            maildir.to_str().expect("a UTF-8 path"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 with aiosmtpd is needed (scripts/test installs it)");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Smtp {
                child,
                maildir: maildir.to_path_buf(),
                port,
            };
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("aiosmtpd did not start on port {port}");
}

/// The messages in the Maildir, oldest first, parsed by Python's email package:
/// objects with `to` (sorted addresses), `subject` (decoded), `body` (text),
/// `message_id`, `mime_version` and `content_type`.
pub fn messages(maildir: &Path) -> Vec<serde_json::Value> {
    let script = r#"
import sys, json, mailbox
from email.header import decode_header, make_header
out = []
for key, msg in sorted(mailbox.Maildir(sys.argv[1], create=False).items(), key=lambda kv: kv[1].get("Date", "")):
    out.append({"to": sorted(a.strip() for a in str(msg["To"]).split(",")), "subject": str(make_header(decode_header(msg["Subject"]))), "body": msg.get_payload(decode=True).decode(msg.get_content_charset() or "utf-8"), "message_id": msg["Message-ID"], "mime_version": msg["MIME-Version"], "content_type": msg.get_content_type()})
print(json.dumps(out))
"#;
    if !maildir.join("new").exists() {
        return vec![];
    }
    let out = Command::new("python3")
        .args(["-c", script, maildir.to_str().expect("a UTF-8 path")])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Vec<serde_json::Value>>(&out.stdout).expect("JSON from python")
}
