//! Counting the matches of a query by kind, group, year and document type, from
//! the fast fields, in the same pass that finds the best ones.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Counts per value of each facet: kind number, group id, year, document type.
#[derive(Debug, Default, Clone)]
pub(crate) struct Counts {
    pub kinds: HashMap<u64, u64>,
    pub orgs: HashMap<u64, u64>,
    pub years: HashMap<u64, u64>,
    pub doc_types: HashMap<String, u64>,
    pub total: u64,
}

pub(crate) struct FacetCollector;

pub(crate) struct FacetSegment {
    facet: Column<u64>,
    doc_type: Option<StrColumn>,
    total: u64,
    // Counters indexed by value: a million matches are a million increments,
    // not a million hash lookups.
    kinds: Vec<u64>,
    orgs: Vec<u64>,
    years: Vec<u64>,
    doc_type_ords: Vec<u64>,
}

/// Counts `v` in `counts`, growing it as needed (bounded: a value beyond `max` is
/// not counted; group ids and years are far below it).
#[inline]
fn bump(counts: &mut Vec<u64>, v: u64, max: u64) {
    if v >= max {
        return;
    }
    let i = v as usize;
    if i >= counts.len() {
        counts.resize(i + 1, 0);
    }
    counts[i] += 1;
}

fn nonzero(v: &[u64]) -> impl Iterator<Item = (u64, u64)> + '_ {
    v.iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(i, n)| (i as u64, *n))
}

impl Collector for FacetCollector {
    type Fruit = Counts;
    type Child = FacetSegment;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegment> {
        let ff = segment.fast_fields();
        Ok(FacetSegment {
            facet: ff.u64("facet")?,
            doc_type: ff.str("doc_type")?,
            total: 0,
            kinds: vec![0; 16],
            orgs: Vec::new(),
            years: Vec::new(),
            doc_type_ords: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut out = Counts::default();
        for c in fruits {
            out.total += c.total;
            for (k, v) in c.kinds {
                *out.kinds.entry(k).or_default() += v;
            }
            for (k, v) in c.orgs {
                *out.orgs.entry(k).or_default() += v;
            }
            for (k, v) in c.years {
                *out.years.entry(k).or_default() += v;
            }
            for (k, v) in c.doc_types {
                *out.doc_types.entry(k).or_default() += v;
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.total += 1;
        if let Some(code) = self.facet.first(doc) {
            let (o, y, k) = crate::facet_parts(code);
            bump(&mut self.kinds, k, 64);
            if o != 0 {
                bump(&mut self.orgs, o, 50_000_000);
            }
            if y != 0 {
                bump(&mut self.years, y, 10_000);
            }
        }
        if let Some(col) = &self.doc_type {
            if let Some(ord) = col.term_ords(doc).next() {
                bump(&mut self.doc_type_ords, ord, 1_000_000);
            }
        }
    }

    fn harvest(self) -> Counts {
        let mut out = Counts {
            total: self.total,
            kinds: nonzero(&self.kinds).collect(),
            orgs: nonzero(&self.orgs).collect(),
            years: nonzero(&self.years).collect(),
            doc_types: HashMap::new(),
        };
        if let Some(col) = &self.doc_type {
            let mut s = String::new();
            for (ord, n) in nonzero(&self.doc_type_ords) {
                if col.ord_to_str(ord, &mut s).unwrap_or(false) && !s.is_empty() {
                    *out.doc_types.entry(s.clone()).or_default() += n;
                }
            }
        }
        out
    }
}
