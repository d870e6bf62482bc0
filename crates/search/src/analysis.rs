//! The Swedish analysers, registered once on every index: what a text and a query
//! become before they meet.
//!
//! - `sv`: words (letters and digits; å, ä, ö are letters) → lower case →
//!   Swedish stop words → the Snowball Swedish stemmer → the neuter definite
//!   ending "-et", which Snowball's Swedish list leaves ("vårdförloppet",
//!   "remissvaret"). "Vårdförloppen" and "vårdförloppet" both become
//!   `vårdförlopp`.
//! - `sv_words`: words → lower case: the words as written, for "menade du …".
//! - `sv_reversed`: as `sv`, each stem reversed: a suffix of a word is a prefix
//!   here, so "vård" finds the compound "neonatalvården" (`dråvlatanoen`).

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer, TokenizerManager,
};

/// The analyser names, as the schema refers to them.
pub const SV: &str = "sv";
pub const SV_WORDS: &str = "sv_words";
pub const SV_REVERSED: &str = "sv_reversed";

/// Words longer than this (in bytes) are not indexed: no Swedish word is, and a
/// run of letters that long is a hash, a link or an accident.
const LONGEST: usize = 60;

/// The stemming analyser.
pub fn swedish() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST))
        .filter(LowerCaser)
        .filter(StopWordFilter::new(Language::Swedish).expect("tantivy has Swedish stop words"))
        .filter(Stemmer::new(Language::Swedish))
        .filter(NeuterDefinite)
        .build()
}

/// The analyser of words as written.
pub fn words() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST))
        .filter(LowerCaser)
        .build()
}

/// The reversed-stem analyser.
pub fn reversed() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST))
        .filter(LowerCaser)
        .filter(StopWordFilter::new(Language::Swedish).expect("tantivy has Swedish stop words"))
        .filter(Stemmer::new(Language::Swedish))
        .filter(NeuterDefinite)
        .filter(Reverse)
        .build()
}

/// Registers the three analysers.
pub fn register(manager: &TokenizerManager) {
    manager.register(SV, swedish());
    manager.register(SV_WORDS, words());
    manager.register(SV_REVERSED, reversed());
}

/// The tokens `analyzer` makes of `text`.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// A token filter taking "-et" off a stem that keeps four letters or more: the
/// neuter definite form ("förloppet", "svaret", "beslutet" → "förlopp", "svar",
/// "beslut"), which the Snowball Swedish stemmer keeps. Applied to text and
/// query alike, so a word it cuts too much ("paket" → "pak") still meets itself.
#[derive(Clone)]
struct NeuterDefinite;

impl TokenFilter for NeuterDefinite {
    type Tokenizer<T: Tokenizer> = MapFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MapFilter<T> {
        MapFilter(tokenizer, |text| {
            if text.ends_with("et") && text.chars().count() >= 6 && !text.ends_with("het") {
                text.truncate(text.len() - 2);
            }
        })
    }
}

/// A token filter writing each token's text backwards (by character).
#[derive(Clone)]
struct Reverse;

impl TokenFilter for Reverse {
    type Tokenizer<T: Tokenizer> = MapFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MapFilter<T> {
        MapFilter(tokenizer, |text| *text = text.chars().rev().collect())
    }
}

/// A tokenizer changing each token's text in place with a function.
#[derive(Clone)]
struct MapFilter<T>(T, fn(&mut String));

impl<T: Tokenizer> Tokenizer for MapFilter<T> {
    type TokenStream<'a> = MapStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MapStream(self.0.token_stream(text), self.1)
    }
}

struct MapStream<S>(S, fn(&mut String));

impl<S: TokenStream> TokenStream for MapStream<S> {
    fn advance(&mut self) -> bool {
        if !self.0.advance() {
            return false;
        }
        (self.1)(&mut self.0.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_words_meet_their_inflections() {
        let mut sv = swedish();
        assert_eq!(
            tokens(&mut sv, "Vårdförloppen och vårdförloppet"),
            vec!["vårdförlopp", "vårdförlopp"]
        );
        assert_eq!(tokens(&mut sv, "remissvaren"), tokens(&mut sv, "remissvar"));
        assert_eq!(tokens(&mut sv, "remissvaret"), vec!["remissvar"]);
        assert_eq!(tokens(&mut sv, "beslutet"), tokens(&mut sv, "besluten"));
        // "-het" is a suffix of its own ("säkerhet"), not the definite ending.
        assert_eq!(tokens(&mut sv, "säkerhet"), vec!["säker"]);
        assert_eq!(
            tokens(&mut sv, "RS 2024-00784"),
            vec!["rs", "2024", "00784"]
        );
        let mut w = words();
        assert_eq!(
            tokens(&mut w, "Åtgärder i ÖVRIGT"),
            vec!["åtgärder", "i", "övrigt"]
        );
        let mut r = reversed();
        assert_eq!(tokens(&mut r, "neonatalvården"), vec!["dråvlatanoen"]);
    }
}
