//! (feature `test-support`) What every web test stands on: the router driven
//! in-process (`send`, `get`), a browser that keeps cookies and the CSRF token
//! (`Browser`), builders for people, members, accounts and meetings, Python's
//! standard parsers (`python`), and a real SMTP server on loopback (aiosmtpd
//! writing to a Maildir, read back with Python's `email` package).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use chrono::{DateTime, Duration, Utc};
use http_body_util::BodyExt;
use samordna_domain::meetings::MeetingKind;
use samordna_domain::policy::MembershipRole;
use samordna_store::{MeetingFields, MembershipFields, NewAccount, PersonFields, Store};
use tower::ServiceExt;

/// An answer of the router.
#[derive(Debug, Clone)]
pub struct Res {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The body as text (lossy UTF-8).
    pub body: String,
    /// The body as sent.
    pub bytes: Vec<u8>,
    /// The `Content-Type`, or empty.
    pub content_type: String,
}

impl Res {
    /// The `Location` of a redirect, or empty.
    pub fn location(&self) -> &str {
        self.headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The cookies the answer sets, by name (an empty value: removed).
    pub fn set_cookies(&self) -> HashMap<String, String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| {
                v.to_str()
                    .ok()?
                    .split(';')
                    .next()?
                    .split_once('=')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
            })
            .collect()
    }
}

/// Sends one request through the router.
pub async fn send(app: &axum::Router, req: Request<Body>) -> Res {
    let res = app.clone().oneshot(req).await.expect("the router answers");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes()
        .to_vec();
    Res {
        status,
        content_type: headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string(),
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        bytes,
    }
}

/// `GET uri`, with a `Cookie` header if given.
pub async fn get(app: &axum::Router, uri: &str, cookie: Option<&str>) -> Res {
    let mut req = Request::get(uri);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    send(app, req.body(Body::empty()).expect("a request")).await
}

/// A browser: cookies, and the CSRF token of the last page that had one.
#[derive(Debug, Clone, Default)]
pub struct Browser {
    pub cookies: HashMap<String, String>,
    pub csrf: String,
}

impl Browser {
    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Keeps the cookies an answer sets and the CSRF token of its form.
    pub fn absorb(&mut self, r: &Res) {
        for (k, v) in r.set_cookies() {
            if v.is_empty() {
                self.cookies.remove(&k);
            } else {
                self.cookies.insert(k, v);
            }
        }
        if let Some(i) = r.body.find("name=\"_csrf\" value=\"") {
            let rest = &r.body[i + 20..];
            self.csrf = rest[..rest.find('"').unwrap_or(0)].to_string();
        }
    }

    pub async fn get(&mut self, app: &axum::Router, uri: &str) -> Res {
        let req = Request::get(uri)
            .header("cookie", self.cookie_header())
            .body(Body::empty())
            .expect("a request");
        let r = send(app, req).await;
        self.absorb(&r);
        r
    }

    /// Posts a form with the CSRF token of the last page.
    pub async fn post(&mut self, app: &axum::Router, uri: &str, fields: &[(&str, &str)]) -> Res {
        let mut pairs: Vec<(&str, &str)> = vec![("_csrf", self.csrf.as_str())];
        pairs.extend_from_slice(fields);
        let body = serde_urlencoded::to_string(&pairs).expect("a form");
        let req = Request::post(uri)
            .header("cookie", self.cookie_header())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("a request");
        let r = send(app, req).await;
        self.absorb(&r);
        r
    }

    /// Signs in through the sign-in form; panics unless it succeeds.
    pub async fn sign_in(app: &axum::Router, email: &str, password: &str) -> Browser {
        let mut b = Browser::default();
        b.get(app, "/logga-in").await;
        let r = b
            .post(
                app,
                "/logga-in",
                &[("email", email), ("password", password), ("till", "/")],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "sign-in of {email}: {}",
            r.body
        );
        b.get(app, "/").await;
        b
    }
}

/// A person in the register.
pub async fn person(store: &Store, name: &str, email: Option<&str>) -> i64 {
    store
        .create_person(
            &PersonFields {
                name: name.into(),
                email: email.map(str::to_string),
                ..Default::default()
            },
            "test",
        )
        .await
        .expect("a person")
}

/// A current membership since 2024 (the role's usual voting right).
pub async fn member(
    store: &Store,
    organization_id: i64,
    person_id: i64,
    role: MembershipRole,
) -> i64 {
    store
        .create_membership(
            &MembershipFields {
                person_id,
                organization_id,
                role,
                on_behalf_of_id: None,
                voting_right: role.votes_by_default(),
                appointed_by: None,
                start_date: "2024-01-01".parse().expect("a date"),
                end_date: None,
            },
            "test",
        )
        .await
        .expect("a membership")
}

/// An account (no password) with a live session; the `Cookie` header value that
/// signs a request in as it. The session's CSRF token is `csrf`.
pub async fn signed_in(
    store: &Store,
    email: &str,
    system_role: Option<&str>,
    person_id: Option<i64>,
) -> (i64, String) {
    let id = store
        .create_account(
            &NewAccount {
                email,
                name: email,
                system_role,
                person_id,
                ..Default::default()
            },
            "test",
        )
        .await
        .expect("an account");
    let secret = format!("session-{id}");
    store
        .create_session(
            &crate::auth::hash_secret(&secret),
            id,
            "csrf",
            Utc::now() + Duration::hours(1),
            "test",
        )
        .await
        .expect("a session");
    (id, format!("samordna_session={secret}"))
}

/// An ordinary meeting of two hours.
pub async fn meeting(store: &Store, organization_id: i64, starts_at: DateTime<Utc>) -> i64 {
    store
        .create_meeting(
            &MeetingFields {
                organization_id,
                kind: MeetingKind::Ordinary,
                starts_at,
                ends_at: starts_at + Duration::hours(2),
                place: Some("Regionens hus".into()),
                digital_link: None,
            },
            "test",
        )
        .await
        .expect("a meeting")
}

/// Runs a Python script with `input` on standard input; its standard output.
pub fn python(script: &str, input: &[u8]) -> String {
    use std::io::Write;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 (scripts/test installs what the tests need)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("written");
    let out = child.wait_with_output().expect("python3 ran");
    assert!(
        out.status.success(),
        "python: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 from python")
}

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
/// objects with `to` (sorted addresses), `subject` (decoded), `body` (the text
/// part), `message_id`, `mime_version`, `content_type` and `attachments`
/// (`filename`, `content_type`, `base64`).
pub fn messages(maildir: &Path) -> Vec<serde_json::Value> {
    let script = r#"
import sys, json, mailbox, base64
from email.header import decode_header, make_header
out = []
for key, msg in sorted(mailbox.Maildir(sys.argv[1], create=False).items(), key=lambda kv: kv[1].get("Date", "")):
    text, files = None, []
    for part in (msg.walk() if msg.is_multipart() else [msg]):
        if part.is_multipart():
            continue
        if part.get_content_disposition() == "attachment":
            data = part.get_payload(decode=True)
            files.append({"filename": part.get_filename(), "content_type": part.get_content_type(), "base64": base64.b64encode(data).decode()})
        elif text is None and part.get_content_type() == "text/plain":
            text = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    out.append({"to": sorted(a.strip() for a in str(msg["To"]).split(",")), "subject": str(make_header(decode_header(msg["Subject"]))), "body": text, "message_id": msg["Message-ID"], "mime_version": msg["MIME-Version"], "content_type": msg.get_content_type(), "attachments": files})
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
