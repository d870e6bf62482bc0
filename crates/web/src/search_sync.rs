//! Keeping this node's search index current from the database.
//!
//! The index is a copy: [`Search::sync`] rebuilds it when it is missing, of
//! another schema or of another database, and otherwise applies the outbox's
//! changes above its position (`samordna_store` search.rs). `serve` runs
//! [`Search::spawn`], which syncs every `Settings::search_interval`; a node
//! without it (tests, the worker) syncs before each search.

use samordna_domain::calendar::swedish_date;
use std::path::Path as FsPath;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use samordna_domain::search::{Document, Entity};
use samordna_search::{Position, SearchIndex, SearchQuery, SCHEMA_VERSION};
use samordna_store::Store;

use crate::error::AppError;

/// Groups read from the database at once in a rebuild.
const GROUPS_AT_ONCE: usize = 200;

/// This node's index and what keeps it current.
pub struct Search {
    index: Arc<SearchIndex>,
    store: Store,
    /// One sync at a time.
    syncing: tokio::sync::Mutex<()>,
    /// A background task keeps the index current (else each search syncs).
    background: std::sync::atomic::AtomicBool,
}

impl std::fmt::Debug for Search {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Search")
            .field("index", &self.index)
            .finish()
    }
}

/// `dir`, or when another process holds it (a second node on the same
/// machine), `dir-PORT`: each node keeps an index of its own.
pub fn free_dir(dir: std::path::PathBuf, port: u16) -> std::path::PathBuf {
    match SearchIndex::open(&dir) {
        Err(samordna_search::SearchError::Locked(_)) => {
            let mut d = dir.into_os_string();
            d.push(format!("-{port}"));
            d.into()
        }
        _ => dir,
    }
}

/// Why the index could not be brought up to the database.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Store(#[from] samordna_store::StoreError),
    #[error(transparent)]
    Index(#[from] samordna_search::SearchError),
    #[error("sökindexet: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// What a sync did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Synced {
    /// The index was built again from the whole database.
    pub rebuilt: bool,
    /// Groups and people written again from the outbox.
    pub entities: usize,
    /// Documents written.
    pub documents: usize,
}

impl Search {
    /// The index in `dir` (created when missing), or in memory with `None`.
    ///
    /// Errors: the index is another process's (`samordna_search::SearchError::Locked`)
    /// or cannot be opened.
    pub fn open(
        store: Store,
        dir: Option<&FsPath>,
    ) -> Result<Search, samordna_search::SearchError> {
        let index = match dir {
            Some(d) => SearchIndex::open(d)?,
            None => SearchIndex::in_memory()?,
        };
        Ok(Search {
            index: Arc::new(index),
            store,
            syncing: tokio::sync::Mutex::new(()),
            background: false.into(),
        })
    }

    /// A search over an index opened elsewhere (one to read only: the CLI
    /// beside a running server).
    pub fn with_index(store: Store, index: SearchIndex) -> Search {
        Search {
            index: Arc::new(index),
            store,
            syncing: tokio::sync::Mutex::new(()),
            background: false.into(),
        }
    }

    /// The index.
    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// Brings the index up to the database: a rebuild when it has no position
    /// of this schema and database, else the outbox's changes since.
    /// `progress(done, of)` is told of a rebuild's groups and people.
    pub async fn sync(&self, progress: &(dyn Fn(u64, u64) + Sync)) -> Result<Synced, SyncError> {
        let _one = self.syncing.lock().await;
        let instance = self.store.search_instance().await?;
        match self.index.position() {
            Some(p) if p.instance == instance => self.catch_up(p).await,
            _ => {
                let mut s = self.rebuild_locked(&instance, progress).await?;
                let p = self.index.position().unwrap_or(Position {
                    schema: SCHEMA_VERSION,
                    instance,
                    seq: 0,
                });
                let c = self.catch_up(p).await?;
                s.entities += c.entities;
                s.documents += c.documents;
                Ok(s)
            }
        }
    }

    /// Builds the index again from the whole database (`samordna search
    /// reindex`), then applies what changed meanwhile.
    pub async fn rebuild(&self, progress: &(dyn Fn(u64, u64) + Sync)) -> Result<Synced, SyncError> {
        let _one = self.syncing.lock().await;
        let instance = self.store.search_instance().await?;
        let mut s = self.rebuild_locked(&instance, progress).await?;
        if let Some(p) = self.index.position() {
            let c = self.catch_up(p).await?;
            s.documents += c.documents;
        }
        Ok(s)
    }

    async fn rebuild_locked(
        &self,
        instance: &str,
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> Result<Synced, SyncError> {
        let all = self.store.search_entities().await?;
        let of = (all.orgs.len() + all.people.len()) as u64;
        let mut done = 0u64;
        let mut documents = 0;
        let mut first = true;
        progress(0, of);
        for chunk in all.orgs.chunks(GROUPS_AT_ONCE) {
            let docs = self
                .store
                .search_documents_of_orgs(chunk[0], chunk[chunk.len() - 1])
                .await?;
            documents += self.stage(first, docs).await?;
            first = false;
            done += chunk.len() as u64;
            progress(done, of);
        }
        let today = swedish_date(Utc::now());
        for chunk in all.people.chunks(GROUPS_AT_ONCE * 5) {
            let docs = self
                .store
                .search_documents_of_people(chunk[0], chunk[chunk.len() - 1], today)
                .await?;
            documents += self.stage(first, docs).await?;
            first = false;
            done += chunk.len() as u64;
            progress(done, of);
        }
        if first {
            self.stage(true, Vec::new()).await?;
        }
        let position = Position {
            schema: SCHEMA_VERSION,
            instance: instance.to_string(),
            seq: all.position,
        };
        let index = self.index.clone();
        tokio::task::spawn_blocking(move || index.commit_staged(&position)).await??;
        Ok(Synced {
            rebuilt: true,
            entities: of as usize,
            documents,
        })
    }

    async fn stage(&self, first: bool, docs: Vec<Document>) -> Result<usize, SyncError> {
        let index = self.index.clone();
        Ok(tokio::task::spawn_blocking(move || {
            let docs = with_file_text(docs);
            let n = docs.len();
            index.stage(first, docs).map(|_| n)
        })
        .await??)
    }

    async fn catch_up(&self, mut position: Position) -> Result<Synced, SyncError> {
        let mut out = Synced::default();
        loop {
            let changes = self.store.search_changes(position.seq).await?;
            if changes.entities.is_empty() {
                return Ok(out);
            }
            let today = swedish_date(Utc::now());
            let mut docs = Vec::new();
            for e in &changes.entities {
                docs.extend(match e {
                    Entity::Org(id) => self.store.search_documents_of_orgs(*id, *id).await?,
                    Entity::Person(id) => {
                        self.store
                            .search_documents_of_people(*id, *id, today)
                            .await?
                    }
                });
            }
            out.entities += changes.entities.len();
            out.documents += docs.len();
            position.seq = changes.position;
            let index = self.index.clone();
            let p = position.clone();
            tokio::task::spawn_blocking(move || {
                index.apply(false, &changes.entities, with_file_text(docs), &p)
            })
            .await??;
        }
    }

    /// Keeps the index current in the background: a sync now (a rebuild when
    /// it is missing or stale), then one every `interval`. Errors are logged
    /// and tried again at the next turn.
    pub fn spawn(self: &Arc<Self>, interval: Duration) -> tokio::task::JoinHandle<()> {
        self.background
            .store(true, std::sync::atomic::Ordering::Relaxed);
        let me = self.clone();
        tokio::spawn(async move {
            let mut failing = false;
            loop {
                let log = |done: u64, of: u64| {
                    if of > 0 && (done == of || done.is_multiple_of(2000)) {
                        tracing::info!(done, of, "sökindexet byggs");
                    }
                };
                match me.sync(&log).await {
                    Ok(s) => {
                        if s.rebuilt {
                            tracing::info!(documents = s.documents, "sökindexet byggt");
                        }
                        if std::mem::take(&mut failing) {
                            tracing::info!("sökindexet hålls aktuellt igen");
                        }
                    }
                    // Said once when it starts failing (the database gone for a
                    // while is one line, not four a second), then at debug level.
                    Err(e) if failing => {
                        tracing::debug!(error = %e, "sökindexet kunde inte hållas aktuellt")
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "sökindexet kunde inte hållas aktuellt; försöker igen tills det går");
                        failing = true;
                    }
                }
                tokio::time::sleep(interval).await;
            }
        })
    }

    /// Runs `q` for a visitor, syncing first when no background task does.
    pub(crate) async fn search(
        &self,
        q: SearchQuery,
    ) -> Result<samordna_search::Results, AppError> {
        if !self.background.load(std::sync::atomic::Ordering::Relaxed) {
            self.sync(&|_, _| {})
                .await
                .map_err(|e| AppError::Internal(format!("sökindexet: {e}")))?;
        }
        let index = self.index.clone();
        tokio::task::spawn_blocking(move || index.search(&q))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .map_err(|e| AppError::Internal(e.to_string()))
    }
}

/// Whether an attachment's text is read for search, by its content type: PDF,
/// Word and plain text (a spreadsheet or a picture is found by its name).
pub fn text_is_read(content_type: &str) -> bool {
    let media = content_type.split(';').next().unwrap_or("").trim();
    matches!(
        media,
        "application/pdf"
            | "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            | "text/plain"
    )
}

/// Attachments' text, extracted where it can be (PDF, Word, plain text);
/// an attachment whose text cannot be read is found by its name.
///
/// Extraction is bounded (`samordna_documents::extract`): a file stored before
/// a bound was lowered, or one over a bound for any reason, is skipped with one
/// log line each time it is read, and the rest are indexed — it never stops
/// the node.
pub fn with_file_text(mut docs: Vec<Document>) -> Vec<Document> {
    for d in &mut docs {
        if let Some((content_type, bytes)) = d.file.take() {
            if !text_is_read(&content_type) {
                continue;
            }
            match samordna_documents::extract::charter_text_of(&bytes) {
                Ok((_, text)) => d.body = text,
                Err(samordna_documents::DocumentError::OverLimit(limit)) => {
                    tracing::warn!(document = %d.key, %limit, "an attachment's text is not indexed: it is over a bound");
                }
                Err(e) => {
                    tracing::debug!(document = %d.key, error = %e, "an attachment's text could not be read; found by its name");
                }
            }
        }
    }
    docs
}
