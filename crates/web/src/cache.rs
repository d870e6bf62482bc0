//! The response cache of what anonymous readers see (issue #14).
//!
//! A `GET` from a visitor with no session, no API key and no cookie but the
//! language is answered from memory when the same page (path with query, language,
//! gzip or not) was rendered since the last change. Only complete `200` responses
//! without `Set-Cookie` or `Cache-Control: no-store`/`private` are kept.
//!
//! **Never stale after a write.** Every entry carries the cache's generation at the
//! moment its rendering began; a hit needs the generation unchanged. The generation
//! moves:
//! - when this node finishes any request that is not `GET`/`HEAD`/`OPTIONS` (a
//!   write through the portal or the API, before its response leaves);
//! - when the database's change counter moves (triggers on every shown table, see
//!   the store's `changes` module): on PostgreSQL every node is notified at commit
//!   (`LISTEN`), so a write through node A drops node B's pages; the counter is
//!   also read every [`POLL`] (writes by `samordna import` and the worker on
//!   SQLite, a notification lost with its connection);
//! - when the notification connection is lost: until it is back, nothing is
//!   served from the cache.
//!
//! Entries also age out after [`MAX_AGE`]: pages show today's date and the rules
//! depend on it. Each entry holds its body, a strong `ETag` (`If-None-Match` gets a
//! `304`), and its gzip form made once. Memory is bounded by [`BUDGET`] bytes.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use samordna_store::Store;

/// How often the database's change counter is read.
pub const POLL: Duration = Duration::from_millis(250);
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
    /// False while changes by other nodes could go unseen.
    current: AtomicBool,
    entries: RwLock<(HashMap<Key, Arc<Entry>>, usize)>,
}

impl ResponseCache {
    /// A cache; `enabled: false` serves nothing from memory (the uncached render
    /// path, for benchmarks and tests that write past the portal).
    pub fn new(enabled: bool) -> ResponseCache {
        ResponseCache {
            enabled,
            generation: AtomicU64::new(1),
            current: AtomicBool::new(true),
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

    /// Watches the database for changes made past this node (see the module
    /// documentation) until the program ends.
    pub fn watch(self: Arc<Self>, store: Store) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut seen = store.change_count().await.ok();
            let mut listener = None;
            let mut poll = tokio::time::interval(POLL);
            loop {
                if listener.is_none() {
                    match store.change_listener().await {
                        Ok(l) => {
                            listener = Some(l);
                            // Changes may have come while none was listening.
                            self.invalidate();
                            self.current.store(true, Ordering::SeqCst);
                        }
                        Err(e) => {
                            self.current.store(false, Ordering::SeqCst);
                            tracing::warn!("cachen kan inte lyssna efter ändringar: {e}");
                        }
                    }
                }
                let next = async {
                    match listener.as_mut() {
                        Some(l) => l.next().await,
                        None => std::future::pending().await,
                    }
                };
                tokio::select! {
                    r = next => match r {
                        Ok(true) => self.invalidate(),
                        Ok(false) => {
                            // The connection was lost: changes may have gone unseen.
                            self.invalidate();
                        }
                        Err(e) => {
                            tracing::warn!("cachen tappade lyssnandet efter ändringar: {e}");
                            self.current.store(false, Ordering::SeqCst);
                            self.invalidate();
                            listener = None;
                        }
                    },
                    _ = poll.tick() => match store.change_count().await {
                        Ok(n) => {
                            if seen != Some(n) {
                                if seen.is_some() {
                                    self.invalidate();
                                }
                                seen = Some(n);
                            }
                        }
                        Err(_) => self.current.store(false, Ordering::SeqCst),
                    },
                }
            }
        })
    }
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
    if !cache.enabled
        || method == Method::OPTIONS
        || !cache.current.load(Ordering::SeqCst)
        || !anonymous(req.headers())
    {
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
            let mut h = std::collections::hash_map::DefaultHasher::new();
            body.hash(&mut h);
            let etag = format!("\"{:016x}-{}\"", h.finish(), body.len());
            let mut headers = parts.headers;
            headers.remove(header::CONTENT_LENGTH);
            if let Ok(v) = HeaderValue::from_str(&etag) {
                headers.insert(header::ETAG, v);
            }
            headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
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
    let matches = if_none_match
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
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
