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
    kind: Column<u64>,
    org: Column<u64>,
    year: Column<u64>,
    doc_type: Option<StrColumn>,
    counts: Counts,
    doc_type_ords: HashMap<u64, u64>,
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
            kind: ff.u64("kind")?,
            org: ff.u64("org")?,
            year: ff.u64("year")?,
            doc_type: ff.str("doc_type")?,
            counts: Counts::default(),
            doc_type_ords: HashMap::new(),
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
        let c = &mut self.counts;
        c.total += 1;
        if let Some(k) = self.kind.first(doc) {
            *c.kinds.entry(k).or_default() += 1;
        }
        if let Some(o) = self.org.first(doc).filter(|o| *o != 0) {
            *c.orgs.entry(o).or_default() += 1;
        }
        if let Some(y) = self.year.first(doc).filter(|y| *y != 0) {
            *c.years.entry(y).or_default() += 1;
        }
        if let Some(col) = &self.doc_type {
            if let Some(ord) = col.term_ords(doc).next() {
                *self.doc_type_ords.entry(ord).or_default() += 1;
            }
        }
    }

    fn harvest(mut self) -> Counts {
        if let Some(col) = &self.doc_type {
            let mut s = String::new();
            for (ord, n) in self.doc_type_ords {
                if col.ord_to_str(ord, &mut s).unwrap_or(false) {
                    *self.counts.doc_types.entry(s.clone()).or_default() += n;
                }
            }
        }
        self.counts
    }
}
