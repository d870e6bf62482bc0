//! Names of organisations: display forms, URL slugs, and matching.
//!
//! Documents name the same body in many ways: "SOR barn", "samordningsråd (SOR) barn",
//! "Samordningsråd barn"; with misspellings ("SOR Antestesi, Operation, Intensivvård"
//! and "samordningsråd anesthesi, operation, intensivvård"); and under old names
//! ("koncernledning hälso- och sjukvård", renamed "ledningsgrupp hälso- och sjukvård").
//!
//! Matching works on a *key*: the name folded to lower-case ASCII, punctuation
//! removed, and the abbreviation "SOR" spelled out. Two names denote the same
//! organisation when their keys are equal, or when they are of the same kind and the
//! rest of the key (the area) differs only by a few letters (normalised Levenshtein
//! similarity of at least [`FUZZY_THRESHOLD`] on an area of six letters or more).
//! Well-known bodies that are renamed or abbreviated are listed in [`KNOWN_BODIES`].

use std::sync::LazyLock;

use regex::Regex;

use crate::model::OrgKind;

/// The least similarity of two areas that are taken to name the same group.
pub const FUZZY_THRESHOLD: f64 = 0.85;

/// A URL slug: lower-case ASCII letters, digits and hyphens; å, ä and ö become a, a, o.
pub fn slugify(name: &str) -> String {
    let ascii = deunicode::deunicode(name).to_lowercase();
    let mut out = String::with_capacity(ascii.len());
    for ch in ascii.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        "grupp".to_string()
    } else {
        out
    }
}

/// The matching key of a name (see the module documentation).
pub fn name_key(name: &str) -> String {
    let folded = deunicode::deunicode(&crate::normalize::line(name)).to_lowercase();
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut out: Vec<&str> = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        match *w {
            "sor" if i == 0 => out.push("samordningsrad"),
            // "samordningsråd (SOR) barn"
            "sor" if out.last() == Some(&"samordningsrad") => {}
            "samordningsradet" if i == 0 => out.push("samordningsrad"),
            other => out.push(other),
        }
    }
    out.join(" ")
}

/// Whether two matching keys denote the same organisation.
pub fn same_key(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (Some((kind_a, area_a)), Some((kind_b, area_b))) = (a.split_once(' '), b.split_once(' '))
    else {
        return false;
    };
    if kind_a != kind_b || area_a.len() < 6 || area_b.len() < 6 {
        return false;
    }
    strsim::normalized_levenshtein(area_a, area_b) >= FUZZY_THRESHOLD
}

/// Near matches ([`same_key`]) among many keys without comparing with each, so that
/// importing a charter costs the same in a register of ten groups or ten thousand.
///
/// A count filter on the area's letter pairs (bigrams; Ukkonen, "Approximate string
/// matching with q-grams and maximal matches", 1992): two areas within edit distance
/// `d` share at least `len - 1 - 2d` bigrams of the query's. Near keys are within
/// `d ≤ 0.15·max(len)` ([`FUZZY_THRESHOLD`]), so `d ≤ ⌊0.15·len/0.85⌋` of the query's
/// own length; a key sharing that many of the query's distinct bigrams must hold at
/// least one of its rarest `distinct − needed + 1`. Only the keys listed under those
/// few bigrams are compared. Positions are those of [`NearIndex::push`], in order;
/// [`NearIndex::first_near`] gives the first, as a scan in that order would.
#[derive(Debug, Clone, Default)]
pub struct NearIndex {
    keys: Vec<String>,
    /// (kind word, bigram of the area) → positions, ascending.
    grams: std::collections::HashMap<(String, [char; 2]), Vec<usize>>,
    /// Kind word → positions of keys whose area can match (six letters or more).
    by_kind: std::collections::HashMap<String, Vec<usize>>,
}

/// The area's distinct bigrams, and how many bigrams it has in all.
fn bigrams(area: &str) -> (Vec<[char; 2]>, usize) {
    let chars: Vec<char> = area.chars().collect();
    let all: Vec<[char; 2]> = chars.windows(2).map(|w| [w[0], w[1]]).collect();
    let n = all.len();
    let mut distinct = all;
    distinct.sort_unstable();
    distinct.dedup();
    (distinct, n)
}

impl NearIndex {
    /// Adds a key at the next position.
    pub fn push(&mut self, key: &str) {
        let pos = self.keys.len();
        self.keys.push(key.to_string());
        let Some((kind, area)) = key.split_once(' ') else {
            return;
        };
        if area.len() < 6 {
            return;
        }
        self.by_kind.entry(kind.to_string()).or_default().push(pos);
        for g in bigrams(area).0 {
            self.grams
                .entry((kind.to_string(), g))
                .or_default()
                .push(pos);
        }
    }

    /// The first position whose key is near `key` ([`same_key`]).
    pub fn first_near(&self, key: &str) -> Option<usize> {
        let (kind, area) = key.split_once(' ')?;
        if area.len() < 6 {
            return None;
        }
        let la = area.chars().count();
        let d = (0.15 * la as f64 / FUZZY_THRESHOLD + 1e-9).floor() as usize;
        let (mut distinct, total) = bigrams(area);
        let needed = (total as i64 - 2 * d as i64) - (total - distinct.len()) as i64;
        let near = |pos: &usize| same_key(&self.keys[*pos], key);
        if needed < 1 {
            // Too short or repetitive to filter: compare with every key of the kind.
            return self.by_kind.get(kind)?.iter().copied().find(|p| near(p));
        }
        let list = |g: &[char; 2]| self.grams.get(&(kind.to_string(), *g));
        distinct.sort_by_key(|g| list(g).map_or(0, Vec::len));
        let probes = distinct.len() + 1 - needed as usize;
        distinct
            .iter()
            .take(probes)
            .filter_map(|g| list(g).and_then(|ps| ps.iter().copied().find(|p| near(p))))
            .min()
    }
}

/// Upper-cases the first letter.
pub fn capitalize_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Lower-cases the first letter.
pub fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Misspellings of areas seen in the region's documents and the word the
/// register uses (issue 27, item 6): a document's spelling is kept as an alias of
/// the group it names; the register's name is spelled right. The neonatal
/// charter writes "SOR Antestesi, Operation, Intensivvård" and, in its
/// distribution list, "anesthesi".
pub const AREA_SPELLINGS: [(&str, &str); 2] =
    [("antestesi", "anestesi"), ("anesthesi", "anestesi")];

/// The display name of a council from the area written after "SOR" or
/// "samordningsråd": "Antestesi, Operation, Intensivvård" becomes
/// "Samordningsråd anestesi, operation, intensivvård" (words in lower case,
/// known misspellings corrected: [`AREA_SPELLINGS`]).
pub fn council_name(area: &str) -> String {
    let area = lowercase_words(area);
    let corrected: Vec<String> = area
        .split(' ')
        .map(|w| {
            let bare = w.trim_end_matches([',', '.', ';']);
            match AREA_SPELLINGS.iter().find(|(wrong, _)| *wrong == bare) {
                Some((_, right)) => format!("{right}{}", &w[bare.len()..]),
                None => w.to_string(),
            }
        })
        .collect();
    format!("Samordningsråd {}", corrected.join(" "))
}

/// A group's display name: the first letter capitalised, the other words in lower
/// case as Swedish writes common nouns ("Samordningsgrupp för Neonatalvården"
/// becomes "Samordningsgrupp för neonatalvården"). Words in capitals
/// (abbreviations such as "ÖNH" or "SOR") keep their case.
pub fn group_name(name: &str) -> String {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    match name.split_once(' ') {
        Some((first, rest)) => format!("{} {}", capitalize_first(first), lowercase_words(rest)),
        None => capitalize_first(&name),
    }
}

/// The area of a group from its name: the name without its kind word
/// ("Samordningsråd barn" → "barn", "Samordningsgrupp för neonatalvården" →
/// "neonatalvården").
pub fn area_from_name(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let mut i = 0;
    if words
        .first()
        .is_some_and(|w| w.eq_ignore_ascii_case("regionalt") || w.eq_ignore_ascii_case("regionala"))
    {
        i = 2;
    } else if words
        .first()
        .is_some_and(|w| OrgKind::from_name(w).is_some())
    {
        i = 1;
    }
    if words.get(i).is_some_and(|w| w.eq_ignore_ascii_case("för")) {
        i += 1;
    }
    let area = words[i.min(words.len())..].join(" ");
    (!area.is_empty()).then_some(area)
}

fn lowercase_words(text: &str) -> String {
    let words: Vec<String> = text
        .split(' ')
        .map(|w| {
            let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
            let all_caps = letters.len() > 1 && letters.iter().all(|c| c.is_uppercase());
            if all_caps {
                w.to_string()
            } else {
                w.to_lowercase()
            }
        })
        .collect();
    words.join(" ")
}

/// A body known by a fixed name that documents write in several ways.
#[derive(Debug, Clone, Copy)]
pub struct KnownBody {
    pub name: &'static str,
    pub short_name: Option<&'static str>,
    pub kind: OrgKind,
    /// Other names in use, including former names that references must survive.
    pub aliases: &'static [&'static str],
    pattern: &'static str,
}

/// Bodies the charters refer to, with the names they have had.
pub const KNOWN_BODIES: [KnownBody; 3] = [
    KnownBody {
        name: "Ledningsgrupp hälso- och sjukvård",
        short_name: None,
        kind: OrgKind::Ledningsgrupp,
        aliases: &["Koncernledning hälso- och sjukvård"],
        pattern: r"(?i)\b(?:ledningsgrupp(?:en)?|koncernledning(?:en)?)\s+(?:för\s+)?hälso-\s*och\s+sjukvård(?:en)?",
    },
    KnownBody {
        name: "Program- och prioriteringsrådet",
        short_name: Some("PPR"),
        kind: OrgKind::Other,
        aliases: &["PPR", "Program- och prioriteringsråd"],
        pattern: r"(?i)\bprogram-\s*och\s+prioriteringsråd(?:et|ets)?|\bPPR\b",
    },
    KnownBody {
        name: "Klinisk ledning",
        short_name: None,
        kind: OrgKind::Other,
        aliases: &[],
        pattern: r"(?i)\bklinisk(?:a)?\s+ledning(?:en)?\b",
    },
];

static KNOWN_PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    KNOWN_BODIES
        .iter()
        .map(|b| Regex::new(b.pattern).unwrap())
        .collect()
});

/// The known bodies a text refers to, each once, with the first form it was written in.
pub fn find_known_bodies(text: &str) -> Vec<(&'static KnownBody, String)> {
    let mut found: Vec<(usize, &'static KnownBody, String)> = Vec::new();
    for (body, re) in KNOWN_BODIES.iter().zip(KNOWN_PATTERNS.iter()) {
        if let Some(m) = re.find(text) {
            found.push((m.start(), body, m.as_str().to_string()));
        }
    }
    found.sort_by_key(|(pos, _, _)| *pos);
    found.into_iter().map(|(_, b, raw)| (b, raw)).collect()
}

/// The known body a name denotes, if any.
pub fn known_body(name: &str) -> Option<&'static KnownBody> {
    let key = name_key(name);
    KNOWN_BODIES.iter().find(|b| {
        name_key(b.name) == key
            || b.aliases.iter().any(|a| name_key(a) == key)
            || b.short_name.is_some_and(|s| name_key(s) == key)
    })
}

static COUNCIL_MENTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:\bSOR|(?i:\bsamordningsråd))(?:\s*\(SOR\))?\s+").unwrap());

static MENTION_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)[.;:()]|\s(?:samt|eller|för|efter|till|som|är|och andra|och samordningsråd|och sor|inom|med|vid|har|kan|ska)\s|,?\s*\bSOR\b|,?\s*\bsamordningsråd",
    )
    .unwrap()
});

const NOT_AN_AREA: [&str; 12] = [
    "för", "inom", "i", "och", "som", "möten", "möte", "eller", "har", "kan", "ska", "till",
];

/// Councils a text names ("SOR barn", "samordningsråd (SOR) barn",
/// "samordningsråd anesthesi, operation, intensivvård"), in order, as
/// (display name, the words as written).
pub fn find_council_mentions(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for m in COUNCIL_MENTION.find_iter(text) {
        let rest = &text[m.end()..];
        let end = MENTION_END.find(rest).map_or(rest.len(), |e| e.start());
        let area = rest[..end].trim().trim_end_matches(',').trim();
        let first = area.split_whitespace().next().unwrap_or("");
        if area.is_empty()
            || NOT_AN_AREA.contains(&first.to_lowercase().as_str())
            || area.split_whitespace().count() > 6
            || !first.chars().next().is_some_and(char::is_alphabetic)
        {
            continue;
        }
        let raw = format!("{}{}", m.as_str(), area);
        out.push((
            council_name(area),
            raw.split_whitespace().collect::<Vec<_>>().join(" "),
        ));
    }
    out
}

#[cfg(test)]
mod tests {

    /// The index finds exactly what comparing with every key in order finds.
    #[test]
    fn the_near_index_finds_what_a_scan_finds() {
        let mut rng = 7u64;
        let mut next = move |n: u64| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            (rng % n) as usize
        };
        let letters: Vec<char> = "abdegiklmnorstuv".chars().collect();
        let kinds = ["samordningsrad", "samordningsgrupp"];
        let word = |next: &mut dyn FnMut(u64) -> usize| {
            let len = 4 + next(14);
            let w: String = (0..len)
                .map(|_| letters[next(letters.len() as u64)])
                .collect();
            format!("{} {w}", kinds[next(2)])
        };
        let mut index = NearIndex::default();
        let mut keys: Vec<String> = Vec::new();
        for _ in 0..600 {
            let k = word(&mut next);
            index.push(&k);
            keys.push(k);
        }
        let mut found = 0;
        for i in 0..1500 {
            // Queries: variants of stored keys (one or two letters changed) and new words.
            let q = if i % 2 == 0 {
                let mut chars: Vec<char> = keys[next(keys.len() as u64)].chars().collect();
                for _ in 0..1 + next(2) {
                    let at = next(chars.len() as u64);
                    if chars[at] != ' ' {
                        chars[at] = letters[next(letters.len() as u64)];
                    }
                }
                chars.into_iter().collect()
            } else {
                word(&mut next)
            };
            let scan = keys
                .iter()
                .position(|k| same_key(k, &q) && area_len_ok(k, &q));
            assert_eq!(index.first_near(&q), scan, "{q}");
            found += usize::from(scan.is_some());
        }
        assert!(found > 100, "the test must find near keys: {found}");
    }

    /// Equal keys match whatever their length; the index is for near ones.
    fn area_len_ok(a: &str, b: &str) -> bool {
        a.split_once(' ').is_some_and(|(_, x)| x.len() >= 6)
            && b.split_once(' ').is_some_and(|(_, x)| x.len() >= 6)
    }
    use super::*;

    #[test]
    fn slugs_handle_swedish_letters() {
        assert_eq!(
            slugify("Samordningsråd rättspsykiatri"),
            "samordningsrad-rattspsykiatri"
        );
        assert_eq!(
            slugify("Samordningsråd anestesi, operation, intensivvård"),
            "samordningsrad-anestesi-operation-intensivvard"
        );
        assert_eq!(
            slugify("Öron-, näs- och halssjukvård"),
            "oron-nas-och-halssjukvard"
        );
        assert_eq!(slugify("!!!"), "grupp");
    }

    #[test]
    fn spellings_of_one_council_share_a_key_or_match() {
        let a = name_key("SOR Antestesi, Operation, Intensivvård");
        let b = name_key("samordningsråd anesthesi, operation, intensivvård");
        assert!(same_key(&a, &b), "{a} ~ {b}");
        assert_eq!(name_key("samordningsråd (SOR) barn"), name_key("SOR barn"));
        assert_eq!(name_key("Samordningsråd barn"), "samordningsrad barn");
    }

    #[test]
    fn group_names_and_areas() {
        assert_eq!(
            group_name("Samordningsgrupp för Neonatalvården"),
            "Samordningsgrupp för neonatalvården"
        );
        assert_eq!(group_name("samordningsråd ÖNH"), "Samordningsråd ÖNH");
        assert_eq!(
            area_from_name("Samordningsråd barn").as_deref(),
            Some("barn")
        );
        assert_eq!(
            area_from_name("Samordningsgrupp för neonatalvården").as_deref(),
            Some("neonatalvården")
        );
        assert_eq!(
            area_from_name("Regionalt processteam stroke").as_deref(),
            Some("stroke")
        );
        assert_eq!(area_from_name("Samordningsråd"), None);
    }

    #[test]
    fn different_councils_do_not_match() {
        for (a, b) in [
            ("Samordningsråd ortopedi", "Samordningsråd onkologi"),
            ("Samordningsråd neurologi", "Samordningsråd urologi"),
            ("Samordningsråd barn", "Samordningsråd bild"),
            ("Samordningsråd neurologi", "Samordningsgrupp neurologi"),
        ] {
            assert!(!same_key(&name_key(a), &name_key(b)), "{a} vs {b}");
        }
    }

    #[test]
    fn council_mentions_are_found_with_their_written_form() {
        let text = "En nära samverkan och dialog med SOR barn, SOR kvinnosjukdomar och förlossningar samt SOR Antestesi, Operation, Intensivvård och andra berörda intressenter.";
        let found = find_council_mentions(text);
        let names: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "Samordningsråd barn",
                "Samordningsråd kvinnosjukdomar och förlossningar",
                "Samordningsråd anestesi, operation, intensivvård"
            ]
        );
        assert_eq!(found[2].1, "SOR Antestesi, Operation, Intensivvård");
        let dist = "Ordförande för samordningsråd kvinnosjukdomar och förlossningar och samordningsråd anesthesi, operation, intensivvård för kännedom";
        let names: Vec<String> = find_council_mentions(dist)
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(
            names,
            [
                "Samordningsråd kvinnosjukdomar och förlossningar",
                "Samordningsråd anestesi, operation, intensivvård"
            ]
        );
        assert!(find_council_mentions("Ordförande samordningsråd för genomförande").is_empty());
        assert!(find_council_mentions("deltar i SOR möten efter behov").is_empty());
    }

    #[test]
    fn known_bodies_survive_renaming() {
        let found = find_known_bodies("uppdrag från koncernledning hälso- och sjukvård samt PPR");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].0.name, "Ledningsgrupp hälso- och sjukvård");
        assert_eq!(found[0].1, "koncernledning hälso- och sjukvård");
        assert_eq!(found[1].0.short_name, Some("PPR"));
        assert!(known_body("koncernledning hälso- och sjukvård").is_some());
        assert!(known_body("Samordningsråd barn").is_none());
    }
}
