//! Full-text search over the register with tantivy: the index, what is written
//! to it, and the one query a reader asks (Swedish analysers in [`analysis`],
//! the query in [`query`]). Knows the domain's [`Document`], nothing of SQL or
//! HTTP; the database stays the source of truth and the index can always be
//! rebuilt from it.

pub mod analysis;
mod facets;
pub mod query;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::Datelike;
use samordna_domain::search::{DocKind, Document, Entity};
use serde::{Deserialize, Serialize};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
    STRING,
};
use tantivy::{doc, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

pub use query::{Access, Compounds, Facets, Hit, Results, SearchQuery};

/// The version of the schema and analysers: an index written with another is
/// rebuilt (a change to either is a new number).
pub const SCHEMA_VERSION: u32 = 4;

/// Memory the writer may use before it writes a segment, in bytes.
const WRITER_BUDGET: usize = 64 * 1024 * 1024;

/// What can go wrong with the index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("sökindexet i {dir}: {source}")]
    Open {
        dir: PathBuf,
        source: tantivy::TantivyError,
    },
    #[error("sökindexet i {0} används av en annan process (en server som kör?); stoppa den eller låt servern bygga om indexet själv")]
    Locked(PathBuf),
    #[error("sökindexet är öppnat bara för läsning")]
    ReadOnly,
    #[error("sökindexet: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("sökindexet: {0}")]
    Io(#[from] std::io::Error),
}

/// Where an index is in the database's change log, kept in its commits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// [`SCHEMA_VERSION`] of the writer.
    pub schema: u32,
    /// The database's identity (`Store::search_instance`).
    pub instance: String,
    /// The outbox position every change up to which is in the index.
    pub seq: i64,
}

/// The index's fields.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub key: Field,
    pub kind: Field,
    pub doc_type: Field,
    pub org: Field,
    pub org_name: Field,
    pub audience: Field,
    pub title: Field,
    pub body: Field,
    pub codes: Field,
    pub words: Field,
    pub reversed: Field,
    pub url: Field,
    /// The title shown, where the indexed title is left empty (agenda items).
    pub display: Field,
    /// The group's name, searched beside each thing's own words.
    pub context: Field,
    pub date: Field,
    pub year: Field,
    /// Group, year and kind in one number for counting ([`facet_code`]): one
    /// column read per match instead of three.
    pub facet: Field,
    /// The words' four-letter pieces (only in an index made for comparing ways
    /// to find parts of compounds: [`SearchIndex::in_memory_with_grams`]).
    pub grams: Option<Field>,
}

/// The length of the pieces of words in the n-gram comparison.
pub(crate) const GRAM: usize = 4;

/// The four-letter pieces of each word of `text` (a word shorter is itself),
/// separated by spaces: "läkemedel" → "läke äkem keme emed mede edel".
pub(crate) fn grams(text: &str) -> String {
    let mut out = String::new();
    for w in analysis::tokens(&mut analysis::words(), text) {
        let chars: Vec<char> = w.chars().collect();
        if chars.len() <= GRAM {
            out.push_str(&w);
            out.push(' ');
            continue;
        }
        for piece in chars.windows(GRAM) {
            out.extend(piece);
            out.push(' ');
        }
    }
    out
}

fn schema() -> (Schema, Fields) {
    schema_with(false)
}

fn schema_with(with_grams: bool) -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str, positions: bool, stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(if positions {
                IndexRecordOption::WithFreqsAndPositions
            } else {
                IndexRecordOption::Basic
            });
        let o = TextOptions::default().set_indexing_options(indexing);
        if stored {
            o.set_stored()
        } else {
            o
        }
    };
    // Filters read these by term; the facets read `facet`, one column.
    let number = NumericOptions::default().set_indexed().set_stored();
    let fields = Fields {
        key: b.add_text_field("key", STRING | STORED),
        kind: b.add_u64_field("kind", number.clone()),
        doc_type: b.add_text_field("doc_type", STRING | STORED | FAST),
        facet: b.add_u64_field("facet", NumericOptions::default().set_fast()),
        org: b.add_u64_field("org", number.clone()),
        org_name: b.add_text_field("org_name", STORED),
        audience: b.add_text_field("audience", STRING),
        title: b.add_text_field("title", text(analysis::SV, true, true)),
        body: b.add_text_field("body", text(analysis::SV, true, true)),
        codes: b.add_text_field("codes", text(analysis::SV, true, true)),
        words: b.add_text_field("words", text(analysis::SV_WORDS, false, false)),
        reversed: b.add_text_field("reversed", text(analysis::SV_REVERSED, false, false)),
        url: b.add_text_field("url", STORED),
        display: b.add_text_field("display", STORED),
        context: b.add_text_field("context", text(analysis::SV, false, false)),
        date: b.add_text_field("date", STORED),
        year: b.add_u64_field("year", number),
        grams: with_grams
            .then(|| b.add_text_field("grams", text(analysis::SV_WORDS, false, false))),
    };
    (b.build(), fields)
}

/// The kind's number in the index (its place in [`DocKind::ALL`]).
pub(crate) fn kind_number(k: DocKind) -> u64 {
    DocKind::ALL.iter().position(|x| *x == k).unwrap_or(0) as u64
}

/// Group id, year and kind as one number: `org << 12 | (year - 1900) << 4 |
/// kind`, the year 0 when there is none (or it is outside 1901–2155).
pub(crate) fn facet_code(org: u64, year: u64, kind: u64) -> u64 {
    let y = if (1901..=2155).contains(&year) {
        year - 1900
    } else {
        0
    };
    (org << 12) | (y << 4) | (kind & 0xf)
}

/// The parts of a [`facet_code`]: (org, year or 0, kind).
pub(crate) fn facet_parts(code: u64) -> (u64, u64, u64) {
    let y = (code >> 4) & 0xff;
    (code >> 12, if y == 0 { 0 } else { y + 1900 }, code & 0xf)
}

/// Commits what the writer holds, with `position` as the commit's payload.
fn commit_at(w: &mut IndexWriter, position: &Position) -> Result<(), SearchError> {
    let mut commit = w.prepare_commit()?;
    commit.set_payload(&serde_json::to_string(position).unwrap_or_default());
    commit.commit()?;
    Ok(())
}

/// An open index: one writer (behind a lock) and a reader that sees each commit.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    /// `None` when opened to read only ([`SearchIndex::open_to_read`]).
    writer: Option<Mutex<IndexWriter>>,
    fields: Fields,
    dir: Option<PathBuf>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("dir", &self.dir)
            .finish()
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it (and the directory) when missing.
    /// An index of another schema is emptied (its [`Position`] is then `None`,
    /// so the caller rebuilds). Fails with [`SearchError::Locked`] when another
    /// process writes to it.
    pub fn open(dir: &Path) -> Result<SearchIndex, SearchError> {
        std::fs::create_dir_all(dir)?;
        let (schema, _) = schema();
        let open = || -> tantivy::Result<Index> {
            let d = tantivy::directory::MmapDirectory::open(dir)?;
            Index::open_or_create(d, schema.clone())
        };
        let index = match open() {
            Ok(i) => i,
            // Another schema: start again (the caller rebuilds from the database).
            Err(tantivy::TantivyError::SchemaError(_)) => {
                for entry in std::fs::read_dir(dir)? {
                    let p = entry?.path();
                    if p.is_file() {
                        std::fs::remove_file(p)?;
                    }
                }
                open().map_err(|source| SearchError::Open {
                    dir: dir.to_owned(),
                    source,
                })?
            }
            Err(source) => {
                return Err(SearchError::Open {
                    dir: dir.to_owned(),
                    source,
                })
            }
        };
        let (_, fields) = self::schema();
        Self::with_index(index, fields, Some(dir.to_owned()))
    }

    /// The index in `dir` as another process (a running server) keeps it: to
    /// search, never to write. Fails when there is none.
    pub fn open_to_read(dir: &Path) -> Result<SearchIndex, SearchError> {
        let (_, fields) = schema();
        let index = tantivy::directory::MmapDirectory::open(dir)
            .map_err(|e| SearchError::Open {
                dir: dir.to_owned(),
                source: e.into(),
            })
            .and_then(|d| {
                Index::open(d).map_err(|source| SearchError::Open {
                    dir: dir.to_owned(),
                    source,
                })
            })?;
        analysis::register(index.tokenizers());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            writer: None,
            fields,
            dir: Some(dir.to_owned()),
        })
    }

    /// An index in memory (the demo, tests).
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        let (schema, fields) = schema();
        Self::with_index(Index::create_in_ram(schema), fields, None)
    }

    /// An index in memory that also holds the words' four-letter pieces, for
    /// measuring [`Compounds::Ngrams`] against decompounding (`samordna search
    /// compare`); the served index has no pieces.
    pub fn in_memory_with_grams() -> Result<SearchIndex, SearchError> {
        let (schema, fields) = schema_with(true);
        Self::with_index(Index::create_in_ram(schema), fields, None)
    }

    fn with_index(
        index: Index,
        fields: Fields,
        dir: Option<PathBuf>,
    ) -> Result<SearchIndex, SearchError> {
        analysis::register(index.tokenizers());
        let writer = match index.writer(WRITER_BUDGET) {
            Ok(w) => w,
            Err(tantivy::TantivyError::LockFailure(..)) => {
                return Err(SearchError::Locked(dir.unwrap_or_default()))
            }
            Err(e) => return Err(e.into()),
        };
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            writer: Some(Mutex::new(writer)),
            fields,
            dir,
        })
    }

    /// The directory, `None` in memory.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// The position of the last commit; `None` for a new index, one of another
    /// schema or one without a position.
    pub fn position(&self) -> Option<Position> {
        let metas = self.index.load_metas().ok()?;
        let p: Position = serde_json::from_str(metas.payload.as_deref()?).ok()?;
        (p.schema == SCHEMA_VERSION).then_some(p)
    }

    /// How many documents the index holds (every audience).
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes of its files on disk (0 in memory).
    pub fn size_on_disk(&self) -> u64 {
        let Some(dir) = &self.dir else { return 0 };
        std::fs::read_dir(dir)
            .map(|d| {
                d.filter_map(|e| e.ok()?.metadata().ok())
                    .filter(|m| m.is_file())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0)
    }

    /// Replaces what the index holds of `entities` with `docs` and commits at
    /// `position`; readers see the change when this returns. With `everything`,
    /// the whole index is replaced (a rebuild; `entities` is then ignored). A
    /// failure leaves the last commit as it was.
    pub fn apply(
        &self,
        everything: bool,
        entities: &[Entity],
        docs: Vec<Document>,
        position: &Position,
    ) -> Result<(), SearchError> {
        let f = self.fields;
        let mut w = self.writer()?;
        let result = (|| -> Result<(), SearchError> {
            if everything {
                w.delete_all_documents()?;
            } else {
                for e in entities {
                    match e {
                        Entity::Org(id) => w.delete_term(Term::from_field_u64(f.org, *id as u64)),
                        Entity::Person(id) => {
                            w.delete_term(Term::from_field_text(f.key, &format!("person:{id}")))
                        }
                    };
                }
            }
            for d in docs {
                w.add_document(self.tantivy_doc(d))?;
            }
            commit_at(&mut w, position)
        })();
        if result.is_err() {
            // Back to the last commit; the caller tries again.
            let _ = w.rollback();
        }
        result?;
        self.reader.reload()?;
        Ok(())
    }

    /// Adds documents without committing: a rebuild in batches, finished by
    /// [`SearchIndex::apply`] with `everything` and the last batch. The first
    /// call of a rebuild passes `first` to drop what the index held.
    pub fn stage(&self, first: bool, docs: Vec<Document>) -> Result<(), SearchError> {
        let w = self.writer()?;
        if first {
            w.delete_all_documents()?;
        }
        for d in docs {
            w.add_document(self.tantivy_doc(d))?;
        }
        Ok(())
    }

    /// Commits what was staged at `position`, then merges the index into one
    /// segment (a query does its per-segment work once: term dictionaries,
    /// the automata of compounds and near spellings). Later changes add small
    /// segments that the writer's merge policy folds in as they come.
    pub fn commit_staged(&self, position: &Position) -> Result<(), SearchError> {
        let mut w = self.writer()?;
        commit_at(&mut w, position)?;
        let segments = self.index.searchable_segment_ids()?;
        if segments.len() > 1 {
            w.merge(&segments).wait()?;
        }
        drop(w);
        self.reader.reload()?;
        Ok(())
    }

    fn writer(&self) -> Result<std::sync::MutexGuard<'_, IndexWriter>, SearchError> {
        let w = self.writer.as_ref().ok_or(SearchError::ReadOnly)?;
        Ok(w.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn tantivy_doc(&self, d: Document) -> TantivyDocument {
        let f = self.fields;
        let (kind, org) = (kind_number(d.kind), d.org_id.unwrap_or(0).max(0) as u64);
        let year = d.date.map_or(0, |x| x.year().max(0) as u64);
        let mut t = doc!(
            f.key => d.key,
            f.kind => kind,
            f.org => org,
            f.audience => d.audience.as_str(),
            f.url => d.url,
            f.year => year,
            f.facet => facet_code(org, year, kind),
        );
        // By kind: a matter's "other" is not a group's. Every document has one
        // (empty: none), so the column needs no index of which have.
        t.add_text(
            f.doc_type,
            d.doc_type
                .map(|t2| format!("{}:{t2}", d.kind.as_str()))
                .unwrap_or_default(),
        );
        if let Some(n) = d.org_name {
            t.add_text(f.context, &n);
            t.add_text(f.org_name, n);
        }
        if let Some(date) = d.date {
            t.add_text(f.date, date.to_string());
        }
        for text in [&d.title, &d.body] {
            t.add_text(f.words, text);
            t.add_text(f.reversed, text);
            if let Some(g) = f.grams {
                t.add_text(g, grams(text));
            }
        }
        if d.kind == DocKind::Agenda {
            // An agenda item is its title: indexed as text, shown as the title.
            t.add_text(f.body, format!("{}\n{}", d.title, d.body));
            t.add_text(f.display, d.title);
        } else {
            t.add_text(f.title, d.title);
            t.add_text(f.body, d.body);
        }
        for c in d.codes {
            t.add_text(f.codes, c);
        }
        t
    }
}
