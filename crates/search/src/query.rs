//! The one query a reader asks: the words they typed, made into alternatives
//! per word (the stem in title, text and identifiers; compounds that begin or
//! end with it; the parts of a compound they typed; a near spelling when the
//! word is nowhere), every word required; limited to what the reader may read;
//! filtered by facet; the best page of hits with highlighted snippets, the
//! counts per facet and a "menade du …".

use std::collections::{BTreeMap, HashMap};

use samordna_domain::search::DocKind;
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query,
    RegexQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::analysis::{self, tokens};
use crate::facets::{Counts, FacetCollector};
use crate::{kind_number, SearchError, SearchIndex};

/// What a reader may read, as the policy has it (web: `Visitor` → `Access`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Everything (the register keeper).
    Everything,
    /// Published records, people when `people`, and the internal records of
    /// the groups in `internal`.
    Limited { people: bool, internal: Vec<i64> },
}

impl Access {
    /// An anonymous reader of an installation that hides people.
    pub fn public() -> Access {
        Access::Limited {
            people: false,
            internal: Vec::new(),
        }
    }
}

/// How a word finds compounds it is part of, and a compound typed finds its
/// parts. The served search uses [`Compounds::Decompound`]; the others are for
/// measuring it (`samordna search compare`, BENCHMARKS.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compounds {
    /// Stems only: no compound handling.
    Stems,
    /// Compounds beginning or ending with the word (the stems' prefixes and
    /// suffixes), and a compound typed split into two words of the register.
    #[default]
    Decompound,
    /// The word's four-letter pieces, 60 % of them required (needs an index made
    /// by [`SearchIndex::in_memory_with_grams`]).
    Ngrams,
}

/// A search as asked.
#[derive(Debug, Clone)]
pub struct SearchQuery {
    /// The words as typed.
    pub text: String,
    pub kind: Option<DocKind>,
    pub org: Option<i64>,
    pub year: Option<i32>,
    /// `"<kind>:<type>"`, as [`Facets::doc_types`] names them.
    pub doc_type: Option<String>,
    /// Hits to skip (paging).
    pub offset: usize,
    /// Hits to return.
    pub limit: usize,
    pub access: Access,
    pub compounds: Compounds,
}

impl SearchQuery {
    /// The first `limit` hits of `text` for `access`: no filters, compounds as
    /// the portal searches.
    pub fn new(text: impl Into<String>, access: Access, limit: usize) -> SearchQuery {
        SearchQuery {
            text: text.into(),
            kind: None,
            org: None,
            year: None,
            doc_type: None,
            offset: 0,
            limit,
            access,
            compounds: Compounds::default(),
        }
    }
}

/// One hit.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub key: String,
    pub kind: DocKind,
    /// `"<kind>:<type>"`.
    pub doc_type: Option<String>,
    pub org_id: Option<i64>,
    pub org_name: Option<String>,
    pub title: String,
    /// The title with the words found between `<mark>` and `</mark>`, the rest
    /// HTML-escaped.
    pub title_html: String,
    /// The page that shows it (a path).
    pub url: String,
    pub date: Option<String>,
    /// A part of the text with the words found between `<mark>` and `</mark>`;
    /// everything else HTML-escaped.
    pub snippet: String,
    pub score: f32,
}

/// Counts of the matches per facet value, largest first.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    pub kinds: Vec<(DocKind, u64)>,
    /// (group id, count); the caller names the groups.
    pub orgs: Vec<(i64, u64)>,
    /// Newest first.
    pub years: Vec<(i32, u64)>,
    /// `"<kind>:<type>"` ("matter:remissvar", "charter:uppdragshandling").
    pub doc_types: Vec<(String, u64)>,
}

/// What a search found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Results {
    /// Matches in all (of what the reader may read, with the filters).
    pub total: u64,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// The query with misspelt words replaced by near words that find something
    /// the reader may read; `None` when every word was found.
    pub suggestion: Option<String>,
}

/// Words shorter than this (in characters) are not matched as parts of
/// compounds: "vård" alone would match half the register.
const AFFIX_MIN: usize = 5;

/// A word in more documents than this is matched as it is, without the
/// compounds it is part of (their postings would be read for every query).
const COMMON: u64 = 2_000;

/// Snippet length, in characters.
const SNIPPET_CHARS: usize = 200;

/// One chunk of the query (text between spaces) as the analysers see it.
struct Chunk {
    /// As written, lower case.
    written: Vec<String>,
    /// Stems (stop words removed).
    stems: Vec<String>,
}

impl SearchIndex {
    /// Runs `q`. Empty text (or only stop words) finds nothing. When a word is
    /// nowhere and a near spelling finds something the reader may read, the
    /// hits are those of the corrected query, ranked as such, and the correction
    /// is the suggestion.
    pub fn search(&self, q: &SearchQuery) -> Result<Results, SearchError> {
        let searcher = self.reader.searcher();
        let Some((query, suggestion)) = self.plan(&searcher, q)? else {
            return Ok(Results::default());
        };
        // A correction is searched instead (the typed query would find only
        // near spellings, all scored alike), unless it finds nothing.
        if let Some(s) = &suggestion {
            let corrected = SearchQuery {
                text: s.clone(),
                ..q.clone()
            };
            if let Some((better, _)) = self.plan(&searcher, &corrected)? {
                let mut r = self.run(&searcher, &better, q)?;
                if r.total > 0 {
                    r.suggestion = suggestion;
                    return Ok(r);
                }
            }
        }
        let mut r = self.run(&searcher, &query, q)?;
        r.suggestion = suggestion;
        Ok(r)
    }

    /// The best page of `query`'s hits, their count and the facets, in one pass.
    fn run(
        &self,
        searcher: &Searcher,
        query: &BooleanQuery,
        q: &SearchQuery,
    ) -> Result<Results, SearchError> {
        let top = TopDocs::with_limit(q.limit.max(1))
            .and_offset(q.offset)
            .order_by_score();
        let (top, counts) = searcher.search(query, &(top, FacetCollector))?;
        let hits = self.hits(searcher, query, top)?;
        Ok(Results {
            total: counts.total,
            hits,
            facets: facets(counts),
            suggestion: None,
        })
    }

    /// The query `q` asks, with the reader's access and the filters, and the
    /// correction of its misspelt words; `None` when it has no word to find.
    fn plan(
        &self,
        searcher: &Searcher,
        q: &SearchQuery,
    ) -> Result<Option<(BooleanQuery, Option<String>)>, SearchError> {
        let f = self.fields;
        let mut sv = analysis::swedish();
        let mut words = analysis::words();
        let chunks: Vec<Chunk> = split_codes(&q.text)
            .split_whitespace()
            .map(|c| Chunk {
                written: tokens(&mut words, c),
                stems: tokens(&mut sv, c),
            })
            .filter(|c| !c.written.is_empty())
            .collect();
        let mut required: Vec<Box<dyn Query>> = Vec::new();
        let mut suggestion_words: Vec<(String, Option<String>)> = Vec::new();
        let mut all_stems = Vec::new();
        for c in &chunks {
            if c.stems.is_empty() {
                // Only stop words ("och"): not required, kept for the suggestion.
                suggestion_words.push((c.written.join(" "), None));
                continue;
            }
            all_stems.extend(c.stems.iter().cloned());
            if c.written.len() > 1 {
                // "2024-00784", "RS-2024": the parts in their order.
                required.push(Box::new(self.phrase(&c.stems)));
                suggestion_words.push((c.written.join("-"), None));
                continue;
            }
            let (clause, near) =
                self.word(searcher, &c.written[0], &c.stems[0], &q.access, q.compounds)?;
            required.push(clause);
            suggestion_words.push((c.written[0].clone(), near));
        }
        if required.is_empty() {
            return Ok(None);
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            required.into_iter().map(|r| (Occur::Must, r)).collect();
        if all_stems.len() > 1 {
            // Words next to each other as typed count for more.
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(self.phrase(&all_stems)), 2.0)),
            ));
        }
        clauses.extend(self.access_clauses(&q.access));
        let number = |field: Field, v: u64| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_u64(field, v),
                IndexRecordOption::Basic,
            ))
        };
        if let Some(k) = q.kind {
            clauses.push((Occur::Must, number(f.kind, kind_number(k))));
        }
        if let Some(o) = q.org {
            clauses.push((Occur::Must, number(f.org, o.max(0) as u64)));
        }
        if let Some(y) = q.year {
            clauses.push((Occur::Must, number(f.year, y.max(0) as u64)));
        }
        if let Some(t) = &q.doc_type {
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.doc_type, t),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        let suggestion = suggestion_words.iter().any(|(_, n)| n.is_some()).then(|| {
            suggestion_words
                .iter()
                .map(|(w, n)| n.clone().unwrap_or_else(|| w.clone()))
                .collect::<Vec<_>>()
                .join(" ")
        });
        Ok(Some((BooleanQuery::new(clauses), suggestion)))
    }

    /// The stems in their order, in title, text or identifiers.
    fn phrase(&self, stems: &[String]) -> BooleanQuery {
        let f = self.fields;
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for field in [f.title, f.body, f.codes] {
            let terms: Vec<Term> = stems
                .iter()
                .map(|s| Term::from_field_text(field, s))
                .collect();
            let q: Box<dyn Query> = if terms.len() == 1 {
                Box::new(TermQuery::new(
                    terms[0].clone(),
                    IndexRecordOption::WithFreqs,
                ))
            } else {
                Box::new(PhraseQuery::new(terms))
            };
            should.push((Occur::Should, q));
        }
        BooleanQuery::new(should)
    }

    /// The alternatives of one word, and a near word when it is nowhere.
    fn word(
        &self,
        searcher: &Searcher,
        written: &str,
        stem: &str,
        access: &Access,
        compounds: Compounds,
    ) -> Result<(Box<dyn Query>, Option<String>), SearchError> {
        let f = self.fields;
        let df = |field: Field, t: &str| -> u64 {
            searcher
                .doc_freq(&Term::from_field_text(field, t))
                .unwrap_or(0)
        };
        let term = |field: Field, t: &str, boost: f32| -> (Occur, Box<dyn Query>) {
            (
                Occur::Should,
                Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, t),
                        IndexRecordOption::WithFreqs,
                    )),
                    boost,
                )),
            )
        };
        let exact = df(f.title, stem) + df(f.body, stem) + df(f.codes, stem) + df(f.context, stem);
        let found = exact > 0;
        let mut alts = vec![term(f.title, stem, 3.0), term(f.body, stem, 1.0)];
        if exact < COMMON {
            // Identifiers ("RS 2024-00784") are rare words.
            alts.push(term(f.codes, stem, 2.0));
            // The form as typed counts for more than another form of the word,
            // and the group a thing belongs to is searched beside it
            // ("vårdförlopp onkologi"); for a common word both would only add
            // documents to score.
            alts.push(term(f.words, written, 1.0));
            alts.push(term(f.context, stem, 0.5));
        }
        // Compounds help find a rare word; a common one is found as it is, and
        // expanding it would read the postings of every compound it is part of.
        let long = stem.chars().count() >= AFFIX_MIN && exact < COMMON;
        if let (Compounds::Ngrams, Some(g)) = (compounds, f.grams) {
            let pieces: Vec<String> = crate::grams(written)
                .split_whitespace()
                .map(str::to_string)
                .collect();
            let need = (pieces.len() * 6).div_ceil(10).max(1);
            let terms: Vec<(Occur, Box<dyn Query>)> = pieces
                .iter()
                .map(|p| {
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(
                            Term::from_field_text(g, p),
                            IndexRecordOption::Basic,
                        )) as Box<dyn Query>,
                    )
                })
                .collect();
            alts.push((
                Occur::Should,
                Box::new(BoostQuery::new(
                    Box::new(BooleanQuery::with_minimum_required_clauses(terms, need)),
                    0.3,
                )),
            ));
        }
        if long && compounds == Compounds::Decompound {
            // Compounds that begin with the word ("läkemedel" → "läkemedelsfrågor")
            // or end with it ("neonatalvård" ← "vård…": the reversed stems).
            let rev: String = stem.chars().rev().collect();
            for (field, pattern) in [
                (f.body, format!("{}.+", regex_escape(stem))),
                (f.title, format!("{}.+", regex_escape(stem))),
                (f.reversed, format!("{}.+", regex_escape(&rev))),
            ] {
                if let Ok(r) = RegexQuery::from_pattern(&pattern, field) {
                    alts.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(
                            Box::new(ConstScoreQuery::new(Box::new(r), 1.0)),
                            0.5,
                        )),
                    ));
                }
            }
        }
        // The parts of a compound typed ("läkemedelsfrågor" → "läkemedel" +
        // "frågor"), when both are words of the register.
        let split = match compounds {
            Compounds::Decompound if exact < COMMON => self.split(searcher, written),
            _ => None,
        };
        if let Some((a, b)) = split {
            let part = |p: &str| -> Box<dyn Query> {
                Box::new(BooleanQuery::new(vec![
                    term(f.title, p, 1.0),
                    term(f.body, p, 1.0),
                ]))
            };
            alts.push((
                Occur::Should,
                Box::new(BoostQuery::new(
                    Box::new(BooleanQuery::new(vec![
                        (Occur::Must, part(&a)),
                        (Occur::Must, part(&b)),
                    ])),
                    0.8,
                )),
            ));
        }
        let mut near = None;
        // Near spellings only of words long enough to have one ("a" is near
        // every two-letter word).
        if !found && df(f.words, written) == 0 && written.chars().count() >= 4 {
            // Nowhere as typed: near spellings (one edit, two for long words),
            // and the likeliest of them that this reader finds as the suggestion.
            let distance = if written.chars().count() >= 8 { 2 } else { 1 };
            let fuzzy =
                FuzzyTermQuery::new(Term::from_field_text(f.words, written), distance, true);
            near = self.nearest(searcher, &fuzzy, access)?;
            alts.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(fuzzy), 0.5)),
            ));
        }
        Ok((Box::new(BooleanQuery::new(alts)), near))
    }

    /// The word nearest `fuzzy`'s that the reader finds: the terms within the
    /// distance, most frequent first, the first with a match they may read.
    fn nearest(
        &self,
        searcher: &Searcher,
        fuzzy: &FuzzyTermQuery,
        access: &Access,
    ) -> Result<Option<String>, SearchError> {
        let f = self.fields;
        let mut candidates: BTreeMap<String, u32> = BTreeMap::new();
        for seg in searcher.segment_readers() {
            let inv = seg.inverted_index(f.words)?;
            let mut stream = inv.terms().search(fuzzy.automaton()?).into_stream()?;
            while stream.advance() {
                if let Ok(k) = std::str::from_utf8(stream.key()) {
                    *candidates.entry(k.to_string()).or_default() += stream.value().doc_freq;
                }
            }
        }
        let mut ranked: Vec<(String, u32)> = candidates.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (w, _) in ranked.into_iter().take(5) {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.words, &w),
                    IndexRecordOption::Basic,
                )),
            )];
            clauses.extend(self.access_clauses(access));
            let q = BooleanQuery::new(clauses);
            if exists(searcher, &q)? {
                return Ok(Some(w));
            }
        }
        Ok(None)
    }

    /// A compound typed, split where both parts are words of the register
    /// (with or without the linking "s"); the split whose rarer part is the
    /// most common.
    fn split(&self, searcher: &Searcher, written: &str) -> Option<(String, String)> {
        let f = self.fields;
        let chars: Vec<char> = written.chars().collect();
        if chars.len() < 8 {
            return None;
        }
        let mut sv = analysis::swedish();
        let df = |w: &str, sv: &mut tantivy::tokenizer::TextAnalyzer| -> (u64, Option<String>) {
            let Some(stem) = tokens(sv, w).into_iter().next() else {
                return (0, None);
            };
            let n = searcher
                .doc_freq(&Term::from_field_text(f.body, &stem))
                .unwrap_or(0)
                + searcher
                    .doc_freq(&Term::from_field_text(f.title, &stem))
                    .unwrap_or(0);
            (n, Some(stem))
        };
        let mut best: Option<(u64, String, String)> = None;
        for i in 4..=chars.len() - 3 {
            let head: String = chars[..i].iter().collect();
            let tail: String = chars[i..].iter().collect();
            let mut heads = vec![head.clone()];
            if let Some(h) = head.strip_suffix('s').filter(|h| h.chars().count() >= 4) {
                heads.push(h.to_string());
            }
            let (nt, tail_stem) = df(&tail, &mut sv);
            if nt == 0 {
                continue;
            }
            for h in heads {
                let (nh, head_stem) = df(&h, &mut sv);
                let score = nh.min(nt);
                if score > 0 && best.as_ref().is_none_or(|b| score > b.0) {
                    best = Some((score, head_stem.clone()?, tail_stem.clone()?));
                }
            }
        }
        best.map(|(_, a, b)| (a, b))
    }

    /// What the reader may read, as a required clause.
    /// What the reader may not read, as clauses that exclude it: documents of
    /// the audiences they are not in (few, next to the public ones, so cheap to
    /// skip, where requiring "public" would walk the largest list of all).
    fn access_clauses(&self, access: &Access) -> Vec<(Occur, Box<dyn Query>)> {
        let f = self.fields;
        let audience = |a: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(f.audience, a),
                IndexRecordOption::Basic,
            ))
        };
        let mut out = Vec::new();
        let Access::Limited { people, internal } = access else {
            return out;
        };
        if !*people {
            out.push((Occur::MustNot, audience("people")));
        }
        if internal.is_empty() {
            out.push((Occur::MustNot, audience("internal")));
        } else {
            // Internal records of a group not theirs.
            let orgs = TermSetQuery::new(
                internal
                    .iter()
                    .map(|o| Term::from_field_u64(f.org, *o as u64)),
            );
            out.push((
                Occur::MustNot,
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, audience("internal")),
                    (Occur::MustNot, Box::new(orgs) as Box<dyn Query>),
                ])),
            ));
        }
        out
    }

    fn hits(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        top: Vec<(f32, DocAddress)>,
    ) -> Result<Vec<Hit>, SearchError> {
        let f = self.fields;
        let mut body_snippets = SnippetGenerator::create(searcher, query, f.body)?;
        body_snippets.set_max_num_chars(SNIPPET_CHARS);
        let mut title_snippets = SnippetGenerator::create(searcher, query, f.title)?;
        title_snippets.set_max_num_chars(1000);
        let mut display_snippets = SnippetGenerator::create(searcher, query, f.body)?;
        display_snippets.set_max_num_chars(1000);
        let mut out = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let d: TantivyDocument = searcher.doc(addr)?;
            let text = |field: Field| -> Option<String> {
                d.get_first(field)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            let number = |field: Field| d.get_first(field).and_then(|v| v.as_u64());
            let body = text(f.body).unwrap_or_default();
            let mut snippet = highlight(&body, &body_snippets.snippet(&body), false);
            if snippet.trim().is_empty() {
                let cut: String = body.chars().take(SNIPPET_CHARS).collect();
                snippet = escape(&cut);
                if cut.len() < body.len() {
                    snippet.push('…');
                }
            }
            // The title shown: an agenda item's is indexed as its text (a title
            // alone is not worth a title's weight), and kept to show.
            let (title, title_html) = match text(f.display) {
                Some(shown) => {
                    let h = highlight(&shown, &display_snippets.snippet(&shown), true);
                    (shown, h)
                }
                None => {
                    let title = text(f.title).unwrap_or_default();
                    let h = highlight(&title, &title_snippets.snippet(&title), true);
                    (title, h)
                }
            };
            let kind = number(f.kind)
                .and_then(|k| DocKind::ALL.get(k as usize).copied())
                .unwrap_or(DocKind::Group);
            out.push(Hit {
                key: text(f.key).unwrap_or_default(),
                kind,
                doc_type: text(f.doc_type).filter(|t| !t.is_empty()),
                org_id: number(f.org).filter(|o| *o != 0).map(|o| o as i64),
                org_name: text(f.org_name),
                title,
                title_html,
                url: text(f.url).unwrap_or_default(),
                date: text(f.date),
                snippet,
                score,
            });
        }
        Ok(out)
    }
}

/// Whether `query` matches a document: the first match of each segment, not
/// all of them.
fn exists(searcher: &Searcher, query: &dyn Query) -> Result<bool, SearchError> {
    let weight = query.weight(tantivy::query::EnableScoring::disabled_from_searcher(
        searcher,
    ))?;
    for reader in searcher.segment_readers() {
        let mut scorer = weight.scorer(reader, 1.0)?;
        loop {
            let doc = scorer.doc();
            if doc == tantivy::TERMINATED {
                break;
            }
            if reader.alive_bitset().is_none_or(|a| a.is_alive(doc)) {
                return Ok(true);
            }
            scorer.advance();
        }
    }
    Ok(false)
}

fn facets(c: Counts) -> Facets {
    fn ranked<K: Ord + Clone>(m: HashMap<K, u64>) -> Vec<(K, u64)> {
        let mut v: Vec<(K, u64)> = m.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }
    let mut years: Vec<(i32, u64)> = c.years.into_iter().map(|(y, n)| (y as i32, n)).collect();
    years.sort_by_key(|y| std::cmp::Reverse(y.0));
    Facets {
        kinds: ranked(c.kinds)
            .into_iter()
            .filter_map(|(k, n)| Some((*DocKind::ALL.get(k as usize)?, n)))
            .collect(),
        orgs: ranked(c.orgs)
            .into_iter()
            .map(|(o, n)| (o as i64, n))
            .collect(),
        years,
        doc_types: ranked(c.doc_types),
    }
}

/// `text` (whole, or from the snippet's fragment to the end of its sentence)
/// HTML-escaped, with the snippet's words between `<mark>` and `</mark>`.
/// tantivy's own HTML ends the fragment at its last word, dropping the closing
/// parenthesis or full stop after it.
fn highlight(text: &str, snippet: &tantivy::snippet::Snippet, whole: bool) -> String {
    let frag = snippet.fragment();
    if frag.is_empty() {
        return if whole { escape(text) } else { String::new() };
    }
    let start = snippet.fragment_range().start.min(text.len());
    let (from, to) = if whole {
        (0, text.len())
    } else {
        // On to the end of the sentence (within the snippet's length): the
        // words after the last one indexed — stop words, a closing parenthesis,
        // the full stop.
        let end = (start + frag.len()).min(text.len());
        let room = SNIPPET_CHARS.saturating_sub(frag.chars().count());
        let mut more = end;
        for (taken, (i, ch)) in text[end..].char_indices().enumerate() {
            if ch == '\n' || taken >= room {
                break;
            }
            more = end + i + ch.len_utf8();
            if matches!(ch, '.' | '!' | '?' | ';') {
                break;
            }
        }
        (start, more)
    };
    let mut out = String::new();
    let mut at = from;
    for r in snippet.highlighted() {
        let (a, b) = (start + r.start, start + r.end);
        if a < at || b > to || !text.is_char_boundary(a) || !text.is_char_boundary(b) {
            continue;
        }
        out.push_str(&escape(&text[at..a]));
        out.push_str("<mark>");
        out.push_str(&escape(&text[a..b]));
        out.push_str("</mark>");
        at = b;
    }
    out.push_str(&escape(&text[at..to]));
    out
}

/// The query with a space where letters meet digits ("RS2024-00784" →
/// "RS 2024-00784"), as identifiers are written in the register.
fn split_codes(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    let mut prev: Option<char> = None;
    for ch in text.chars() {
        if let Some(p) = prev {
            if (p.is_alphabetic() && ch.is_ascii_digit())
                || (p.is_ascii_digit() && ch.is_alphabetic())
            {
                out.push(' ');
            }
        }
        // Control characters (a NUL from a query string) are no part of a word.
        out.push(if ch.is_control() { ' ' } else { ch });
        prev = Some(ch);
    }
    out
}

/// `text` with the regular expression's special characters escaped (the
/// analysers make words of letters and digits, so this is belt and braces).
fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if !ch.is_alphanumeric() {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// HTML-escaped text.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
