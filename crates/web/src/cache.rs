//! The response cache of what anonymous readers see (issue #14).
//!
//! A `GET` from a visitor with no session, no API key and no cookie but the
//! language is answered from memory when the same page (path with query, language,
//! gzip or not) was rendered since the last change. Only complete `200` responses
//! without `Set-Cookie` or `Cache-Control: no-store`/`private` are kept.
//!
//! **Never stale after a write, on any node.** Every change to a table the
//! portal shows moves the database's change counter in the same transaction
//! (triggers; the store's `changes` module). Before a page is served from memory,
//! the node reads the counter — a read that began after the request did — and
//! drops everything cached when it moved; one read serves every request that
//! waited for it, so a node under load reads the counter a few thousand times a
//! second, not once per request. A write through node A is therefore on node B's
//! next read, whatever the timing, and so is a write by `samordna import` or the
//! worker. Entries carry the generation their rendering began in, so a page
//! rendered across a change is never kept. When the counter cannot be read,
//! nothing is served from memory.
//!
//! Entries also age out after [`MAX_AGE`]: pages show today's date and the rules
//! depend on it. Each entry holds its body, a strong `ETag` (`If-None-Match` gets a
//! `304`), and its gzip form made once. Memory is bounded by [`BUDGET`] bytes.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use samordna_store::Store;

/// The longest an entry is served.
pub const MAX_AGE: Duration = Duration::from_secs(60);
/// The most bytes kept (bodies, both encodings).
pub const BUDGET: usize = 48 * 1024 * 1024;
/// The largest body kept.
const LARGEST: u64 = 2 * 1024 * 1024;

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    path: String,
    lang: &'static str,
    head: bool,
}

struct Entry {
    generation: u64,
    made: Instant,
    /// The response's headers with its ETag and `Vary: accept-encoding`.
    headers: HeaderMap,
    body: Bytes,
    etag: String,
    /// The gzip form with its headers and ETag, made at its first request (none
    /// when it cannot be made).
    gzip: OnceLock<Option<(Bytes, HeaderMap, String)>>,
}

impl Entry {
    fn size(&self) -> usize {
        self.body.len() * 2 + 512
    }
}

/// The cache of one app node. Shared by every request through [`AppState`](crate::AppState).
pub struct ResponseCache {
    enabled: bool,
    generation: AtomicU64,
    validator: OnceLock<Validator>,
    entries: RwLock<(HashMap<Key, Arc<Entry>>, usize)>,
}

impl ResponseCache {
    /// A cache; `enabled: false` serves nothing from memory (the uncached render
    /// path, for benchmarks and tests that write past the portal).
    pub fn new(enabled: bool) -> ResponseCache {
        ResponseCache {
            enabled,
            generation: AtomicU64::new(1),
            validator: OnceLock::new(),
            entries: RwLock::new((HashMap::new(), 0)),
        }
    }

    /// Drops everything cached (a write happened).
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        let mut e = self.entries.write().unwrap_or_else(|p| p.into_inner());
        e.0.clear();
        e.1 = 0;
    }

    fn get(&self, key: &Key) -> Option<Arc<Entry>> {
        let generation = self.generation.load(Ordering::SeqCst);
        let e = self.entries.read().unwrap_or_else(|p| p.into_inner());
        e.0.get(key)
            .filter(|x| x.generation == generation && x.made.elapsed() < MAX_AGE)
            .cloned()
    }

    fn put(&self, key: Key, entry: Arc<Entry>) {
        if entry.generation != self.generation.load(Ordering::SeqCst) {
            return; // a write happened while it was rendered
        }
        let size = entry.size();
        let mut e = self.entries.write().unwrap_or_else(|p| p.into_inner());
        if e.1 + size > BUDGET {
            // Over the budget: drop the oldest quarter (by when made).
            let mut ages: Vec<(Instant, Key)> =
                e.0.iter().map(|(k, v)| (v.made, k.clone())).collect();
            ages.sort_by_key(|(made, _)| *made);
            for (_, k) in ages.into_iter().take(e.0.len() / 4 + 1) {
                if let Some(old) = e.0.remove(&k) {
                    e.1 -= old.size();
                }
            }
        }
        if let Some(old) = e.0.insert(key, entry) {
            e.1 -= old.size();
        }
        e.1 += size;
    }

    /// Confirms that nothing changed since the request began: waits for a read of
    /// the database's change counter that started after this call (one read
    /// serves every request waiting for it), dropping everything cached when the
    /// counter moved. `false` when the counter cannot be read: then nothing is
    /// served from the cache.
    async fn confirm(&self) -> bool {
        let Some(v) = self.validator.get() else {
            return false;
        };
        // SQLite: no commit since the last read of the counter, so it stands.
        if let Some(w) = &v.witness {
            let validated = v.validated.load(Ordering::SeqCst);
            if validated != UNVALIDATED && w.read().map(u64::from) == Some(validated) {
                return true;
            }
        }
        let need = v.started.load(Ordering::SeqCst) + 1;
        let mut done = v.done.subscribe();
        v.wake.notify_one();
        let ok = match done.wait_for(|(n, _)| *n >= need).await {
            Ok(r) => r.1,
            Err(_) => false,
        };
        ok
    }

    /// Starts the reader of the change counter for this node; without it (tests of
    /// the router alone) nothing is served from the cache.
    pub async fn watch(self: Arc<Self>, store: Store) -> tokio::task::JoinHandle<()> {
        let v = Validator {
            witness: store.commit_witness().await,
            validated: AtomicU64::new(UNVALIDATED),
            started: AtomicU64::new(0),
            wake: tokio::sync::Notify::new(),
            done: tokio::sync::watch::channel((0, false)).0,
        };
        let _ = self.validator.set(v);
        tokio::spawn(async move {
            let Some(v) = self.validator.get() else {
                return;
            };
            let mut seen: Option<i64> = None;
            let mut reader = store.change_reader();
            loop {
                v.wake.notified().await;
                let n = v.started.fetch_add(1, Ordering::SeqCst) + 1;
                // The witness is read before the counter: equal later means no
                // commit since this read of the counter.
                let witnessed = v.witness.as_ref().map(|w| w.read());
                let ok = match reader.read().await {
                    Ok(count) => {
                        if seen.is_some_and(|s| s != count) {
                            self.invalidate();
                        }
                        seen = Some(count);
                        true
                    }
                    Err(e) => {
                        tracing::warn!("cachen kan inte läsa ändringsräknaren: {e}");
                        seen = None;
                        self.invalidate();
                        false
                    }
                };
                let validated = match witnessed {
                    Some(Some(w)) if ok => u64::from(w),
                    _ => UNVALIDATED,
                };
                v.validated.store(validated, Ordering::SeqCst);
                v.done.send_replace((n, ok));
            }
        })
    }
}

/// No witnessed value (a witness's values are 32-bit).
const UNVALIDATED: u64 = u64::MAX;

/// The reader of the change counter: reads are numbered as they start; a request
/// waits for the first read numbered after its arrival.
struct Validator {
    /// SQLite's commit witness, when there is one.
    witness: Option<samordna_store::CommitWitness>,
    /// The witness's value read just before the last successful read of the
    /// counter, or [`UNVALIDATED`].
    validated: AtomicU64,
    started: AtomicU64,
    wake: tokio::sync::Notify,
    /// The number of the last read done, and whether it succeeded.
    done: tokio::sync::watch::Sender<(u64, bool)>,
}

/// Whether `headers` come from a reader the cache may serve: no session, no key,
/// no cookie but the language's.
fn anonymous(headers: &HeaderMap) -> bool {
    if headers.contains_key(header::AUTHORIZATION) {
        return false;
    }
    headers.get_all(header::COOKIE).iter().all(|v| {
        v.to_str().is_ok_and(|s| {
            s.split(';')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .all(|c| c.starts_with(&format!("{}=", crate::request::LANG_COOKIE)))
        })
    })
}

fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|part| {
            let mut it = part.split(';').map(str::trim);
            it.next() == Some("gzip") && it.all(|p| p.replace(' ', "") != "q=0")
        })
}

fn gzip(body: &[u8]) -> Option<Bytes> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(body).ok()?;
    enc.finish().ok().map(Bytes::from)
}

/// Whether a response may be kept.
fn keepable(res: &Response) -> bool {
    res.status() == StatusCode::OK
        && !res.headers().contains_key(header::SET_COOKIE)
        && !res.headers().contains_key(header::CONTENT_ENCODING)
        && !res
            .headers()
            .get_all(header::CACHE_CONTROL)
            .iter()
            .any(|v| {
                v.to_str()
                    .is_ok_and(|s| s.contains("no-store") || s.contains("private"))
            })
        && axum::body::HttpBody::size_hint(res.body())
            .exact()
            .is_some_and(|n| n <= LARGEST)
}

/// Middleware: serves and fills the cache, and moves its generation after writes.
/// The outermost layer but the trace: the key holds the language the request asks
/// for, and a kept response the headers every layer inside gave it.
pub async fn layer(
    State(cache): State<Arc<ResponseCache>>,
    mut req: Request,
    next: Next,
) -> Response {
    let method = req.method().clone();
    if !matches!(method, Method::GET | Method::HEAD | Method::OPTIONS) {
        let res = next.run(req).await;
        cache.invalidate();
        return res;
    }
    if !cache.enabled || method == Method::OPTIONS || !anonymous(req.headers()) {
        return next.run(req).await;
    }
    // Nothing changed anywhere since this request began, or nothing is served
    // from memory.
    if !cache.confirm().await {
        return next.run(req).await;
    }
    let key = Key {
        path: req
            .uri()
            .path_and_query()
            .map_or_else(|| "/".to_string(), |p| p.as_str().to_string()),
        lang: crate::middleware::request_lang(req.headers()).code(),
        head: method == Method::HEAD,
    };
    let gz = accepts_gzip(req.headers());
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let entry = match cache.get(&key) {
        Some(e) => e,
        None => {
            let generation = cache.generation.load(Ordering::SeqCst);
            // Rendered plain; the gzip form is the entry's own.
            req.headers_mut().remove(header::ACCEPT_ENCODING);
            let res = next.run(req).await;
            if !keepable(&res) {
                return res;
            }
            let (parts, body) = res.into_parts();
            let Ok(body) = axum::body::to_bytes(body, LARGEST as usize).await else {
                return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
            };
            let mut headers = parts.headers;
            headers.remove(header::CONTENT_LENGTH);
            // A handler's own ETag (the API's row version, for If-Match) is kept.
            let etag = match headers.get(header::ETAG).and_then(|v| v.to_str().ok()) {
                Some(own) => own.to_string(),
                None => {
                    let mut h = std::collections::hash_map::DefaultHasher::new();
                    body.hash(&mut h);
                    format!("\"{:016x}-{}\"", h.finish(), body.len())
                }
            };
            if let Ok(v) = HeaderValue::from_str(&etag) {
                headers.insert(header::ETAG, v);
            }
            let varies = headers.get_all(header::VARY).iter().any(|v| {
                v.to_str()
                    .is_ok_and(|s| s.to_ascii_lowercase().contains("accept-encoding"))
            });
            if !varies {
                headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
            }
            let entry = Arc::new(Entry {
                generation,
                made: Instant::now(),
                headers,
                etag,
                body,
                gzip: OnceLock::new(),
            });
            cache.put(key, entry.clone());
            entry
        }
    };
    respond(&entry, gz, if_none_match.as_ref())
}

/// The response from an entry: `304` when the client has it, else the body,
/// gzipped when the client takes gzip and it is worth it.
fn respond(entry: &Entry, gz: bool, if_none_match: Option<&HeaderValue>) -> Response {
    let zipped = if gz && entry.body.len() > 1024 {
        entry
            .gzip
            .get_or_init(|| {
                let z = gzip(&entry.body)?;
                let etag = format!("{}-gz\"", entry.etag.trim_end_matches('"'));
                let mut headers = entry.headers.clone();
                headers.insert(header::ETAG, HeaderValue::from_str(&etag).ok()?);
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                Some((z, headers, etag))
            })
            .as_ref()
    } else {
        None
    };
    let (body, headers, etag) = match zipped {
        Some((z, h, e)) => (z, h, e),
        None => (&entry.body, &entry.headers, &entry.etag),
    };
    // The weak comparison of RFC 9110 § 13.1.2: `W/"x"` matches `"x"`.
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let matches = if_none_match
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| bare(t) == bare(etag) || t.trim() == "*")
        });
    if matches {
        let mut res = StatusCode::NOT_MODIFIED.into_response();
        let h = res.headers_mut();
        h.extend(headers.clone());
        h.remove(header::CONTENT_TYPE);
        h.remove(header::CONTENT_ENCODING);
        return res;
    }
    let mut res = Response::new(Body::from(body.clone()));
    *res.headers_mut() = headers.clone();
    res
}
