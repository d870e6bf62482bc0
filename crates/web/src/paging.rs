//! Lists that grow with the region are shown a page at a time: `?sida=N` on
//! pages, `?page=N&per_page=M` in the API.

use serde::{Deserialize, Serialize};

use crate::i18n::{Arg, Tr};

/// Which page of a list, and how long the list is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// From 1.
    pub page: usize,
    pub per_page: usize,
    pub total: usize,
}

impl Paging {
    /// The page asked for, within 1 ..= the last page (an empty list has one).
    pub fn new(page: Option<usize>, per_page: usize, total: usize) -> Paging {
        let per_page = per_page.max(1);
        let last = total.div_ceil(per_page).max(1);
        Paging {
            page: page.unwrap_or(1).clamp(1, last),
            per_page,
            total,
        }
    }

    pub fn last(&self) -> usize {
        self.total.div_ceil(self.per_page).max(1)
    }

    pub fn is_last(&self) -> bool {
        self.page == self.last()
    }

    /// How many items come before this page.
    pub fn offset(&self) -> usize {
        (self.page - 1) * self.per_page
    }

    /// The items of this page.
    pub fn slice<'a, T>(&self, items: &'a [T]) -> &'a [T] {
        let start = ((self.page - 1) * self.per_page).min(items.len());
        let end = (start + self.per_page).min(items.len());
        &items[start..end]
    }

    /// The links to the pages before and after, for `base` (a path, maybe with a
    /// query); `None` when the list fits on one page.
    pub fn pager(&self, t: &Tr, base: &str) -> Option<Pager> {
        if self.last() == 1 {
            return None;
        }
        let sep = if base.contains('?') { '&' } else { '?' };
        let href = |n: usize| format!("{base}{sep}sida={n}");
        Some(Pager {
            label: t.args(
                "pager-label",
                &[
                    ("page", Arg::Num(self.page as i64)),
                    ("pages", Arg::Num(self.last() as i64)),
                ],
            ),
            prev: (self.page > 1).then(|| (href(self.page - 1), t.t("pager-prev"))),
            next: (self.page < self.last()).then(|| (href(self.page + 1), t.t("pager-next"))),
        })
    }
}

/// The page links under a list.
pub struct Pager {
    /// "Sida 2 av 80".
    pub label: String,
    pub prev: Option<(String, String)>,
    pub next: Option<(String, String)>,
}

/// `?sida=N` of a page.
#[derive(Debug, Deserialize, Default)]
pub struct PageQuery {
    pub sida: Option<usize>,
}

/// `?page=N&per_page=M` of an API list (at most 500 a page; 100 by default).
#[derive(Debug, Deserialize, Default)]
pub struct ApiPageQuery {
    pub page: Option<usize>,
    pub per_page: Option<usize>,
}

impl ApiPageQuery {
    /// The page length asked for, within 1 ..= 500; 100 when not given.
    pub fn per_page(&self) -> usize {
        self.per_page.unwrap_or(100).clamp(1, 500)
    }

    pub fn paging(&self, total: usize) -> Paging {
        Paging::new(self.page, self.per_page(), total)
    }
}

/// The paging part of an API list's answer.
#[derive(Debug, Serialize)]
pub struct ApiPage {
    pub page: usize,
    pub per_page: usize,
    pub total: usize,
    /// The address of the next page, if there is one.
    pub next: Option<String>,
}

impl ApiPage {
    pub fn of(p: &Paging, base: &str) -> ApiPage {
        ApiPage {
            page: p.page,
            per_page: p.per_page,
            total: p.total,
            next: (!p.is_last())
                .then(|| format!("{base}?page={}&per_page={}", p.page + 1, p.per_page)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_clamped_and_sliced() {
        let items: Vec<u32> = (0..120).collect();
        let p = Paging::new(Some(3), 50, items.len());
        assert_eq!(p.slice(&items), &items[100..120]);
        assert!(p.is_last());
        assert_eq!(Paging::new(Some(99), 50, 120).page, 3);
        assert_eq!(Paging::new(Some(0), 50, 120).page, 1);
        assert_eq!(Paging::new(None, 50, 0).last(), 1);
    }
}
