//! UI text: Fluent message files per locale, Swedish first, English second.
//!
//! The language of a request is chosen, in order, by the `lang` cookie (set by the
//! visible language switch), then by `Accept-Language`, else Swedish. It is held in a
//! task-local for the duration of the request, so that error pages too are rendered
//! in the reader's language.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::langid;

pub use crate::lang::Lang;
use crate::request::RequestInfo;

pub const SV_FTL: &str = include_str!("../locales/sv.ftl");
pub const EN_FTL: &str = include_str!("../locales/en.ftl");

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let (id, source) = match lang {
        Lang::Sv => (langid!("sv"), SV_FTL),
        Lang::En => (langid!("en"), EN_FTL),
    };
    let resource = FluentResource::try_new(source.to_string()).expect("the message files parse");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .expect("message ids are unique");
    bundle
}

static SV: LazyLock<FluentBundle<FluentResource>> = LazyLock::new(|| bundle(Lang::Sv));
static EN: LazyLock<FluentBundle<FluentResource>> = LazyLock::new(|| bundle(Lang::En));

/// The marker shown where a message is missing; tests look for it.
pub const MISSING: &str = "⟦";

/// Looks up UI text in one locale.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
}

/// The translator for the language of the request being served.
pub fn current_tr() -> Tr {
    Tr {
        lang: RequestInfo::current().lang,
    }
}

impl Tr {
    fn format(&self, id: &str, args: Option<&FluentArgs>) -> String {
        let bundle: &FluentBundle<FluentResource> = match self.lang {
            Lang::Sv => &SV,
            Lang::En => &EN,
        };
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            tracing::warn!(id, lang = self.lang.code(), "missing message");
            return format!("{MISSING}{id}⟧");
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(id, ?errors, "message formatting");
            return format!("{MISSING}{id}⟧");
        }
        text.into_owned()
    }

    /// Whether the message files have `id` (for labels of stored values).
    pub fn has(&self, id: &str) -> bool {
        let bundle: &FluentBundle<FluentResource> = match self.lang {
            Lang::Sv => &SV,
            Lang::En => &EN,
        };
        bundle.has_message(id)
    }

    /// A message without arguments.
    pub fn t(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// A message with named arguments; numbers select plural forms.
    pub fn args(&self, id: &str, args: &[(&str, Arg)]) -> String {
        let mut fa = FluentArgs::new();
        for (k, v) in args {
            match v {
                Arg::Text(s) => fa.set(*k, FluentValue::from(s.clone())),
                Arg::Num(n) => fa.set(*k, FluentValue::from(*n)),
            }
        }
        self.format(id, Some(&fa))
    }

    /// A message with one text argument.
    pub fn t1(&self, id: &str, key: &str, value: impl ToString) -> String {
        self.args(id, &[(key, Arg::Text(value.to_string()))])
    }

    /// A message with one number argument.
    pub fn n1(&self, id: &str, key: &str, value: impl std::borrow::Borrow<i64>) -> String {
        self.args(id, &[(key, Arg::Num(*value.borrow()))])
    }

    /// The domain's text (a rule's message, its evidence, why it could not be
    /// checked) in this language; nested messages are rendered first.
    pub fn text(&self, text: &samordna_domain::message::Text) -> String {
        use samordna_domain::message::{Arg as DArg, Text};
        match text {
            Text::Plain(s) => s.clone(),
            Text::Message { id, args } => {
                let args: Vec<(&str, Arg)> = args
                    .iter()
                    .map(|(k, v)| {
                        let v = match v {
                            DArg::Str(s) => Arg::Text(s.clone()),
                            DArg::Num(n) => Arg::Num(*n),
                            DArg::Text(t) => Arg::Text(self.text(t)),
                        };
                        (*k, v)
                    })
                    .collect();
                self.args(id, &args)
            }
        }
    }

    /// Several texts joined with `sep`.
    pub fn texts(&self, texts: &[samordna_domain::message::Text], sep: &str) -> String {
        texts
            .iter()
            .map(|t| self.text(t))
            .collect::<Vec<_>>()
            .join(sep)
    }
}

/// A message argument.
pub enum Arg {
    Text(String),
    Num(i64),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_supported() {
        assert_eq!(
            Lang::from_accept_language("en-GB,en;q=0.9,sv;q=0.8"),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_accept_language("de-DE, sv;q=0.5, en;q=0.4"),
            Some(Lang::Sv)
        );
        assert_eq!(Lang::from_accept_language("de, fr"), None);
        assert_eq!(
            Lang::from_accept_language("en;q=0, sv;q=0.1"),
            Some(Lang::Sv)
        );
    }

    fn ids(ftl: &str) -> Vec<String> {
        let mut ids: Vec<String> = ftl
            .lines()
            .filter(|l| !l.starts_with([' ', '#']) && l.contains(" = "))
            .map(|l| l.split(" = ").next().unwrap().trim().to_string())
            .collect();
        ids.sort();
        ids
    }

    /// Every message id the domain and the store name (`text!("rule-…")`, topics,
    /// targets, labels) is in both message files: a typo cannot fall through.
    #[test]
    fn every_message_the_domain_names_exists() {
        let sources = [
            include_str!("../../domain/src/rules/mod.rs"),
            include_str!("../../domain/src/rules/charter.rs"),
            include_str!("../../domain/src/rules/members.rs"),
            include_str!("../../domain/src/rules/meetings.rs"),
            include_str!("../../domain/src/rules/decisions.rs"),
            include_str!("../../domain/src/decisions.rs"),
            include_str!("../../store/src/compliance.rs"),
        ];
        let prefixes = [
            "rule-",
            "evidence-",
            "cannot-",
            "topic-",
            "target-",
            "charter-label-",
            "meeting-label",
        ];
        let mut seen = 0;
        for src in sources {
            for (i, piece) in src.split('"').enumerate() {
                let is_id = i % 2 == 1
                    && prefixes.iter().any(|p| piece.starts_with(p))
                    && piece
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                if !is_id {
                    continue;
                }
                seen += 1;
                for lang in Lang::ALL {
                    let bundle = match lang {
                        Lang::Sv => &*SV,
                        Lang::En => &*EN,
                    };
                    assert!(
                        bundle.get_message(piece).is_some(),
                        "{piece} is missing in {lang:?}"
                    );
                }
            }
        }
        assert!(seen > 40, "the ids were found ({seen})");
    }

    #[test]
    fn both_locales_have_the_same_messages() {
        assert_eq!(ids(SV_FTL), ids(EN_FTL));
        for lang in Lang::ALL {
            let t = Tr { lang };
            for id in ids(SV_FTL) {
                let text = t.args(
                    &id,
                    &[
                        ("slug", Arg::Text("x".into())),
                        ("version", Arg::Num(1)),
                        ("councils", Arg::Num(2)),
                        ("groups", Arg::Num(1)),
                        ("count", Arg::Num(3)),
                        ("name", Arg::Text("N".into())),
                        ("date", Arg::Text("2026-01-01".into())),
                        ("min", Arg::Num(4)),
                        ("max", Arg::Num(8)),
                        ("range", Arg::Text("r".into())),
                        ("phone", Arg::Text("1".into())),
                        ("number", Arg::Text("RS 2024-00001".into())),
                        ("email", Arg::Text("a@b".into())),
                        ("field", Arg::Text("f".into())),
                        ("what", Arg::Text("w".into())),
                        ("who", Arg::Text("w".into())),
                        ("reason", Arg::Text("r".into())),
                        ("comment", Arg::Text("c".into())),
                        ("rules", Arg::Text("r".into())),
                        ("column", Arg::Text("c".into())),
                        ("status", Arg::Text("s".into())),
                        ("chain", Arg::Text("a → b".into())),
                        ("label", Arg::Text("l".into())),
                        ("by", Arg::Text("b".into())),
                        ("body", Arg::Text("b".into())),
                        ("limit", Arg::Num(3)),
                        ("days", Arg::Num(14)),
                        ("year", Arg::Num(2026)),
                        ("decision", Arg::Text("d".into())),
                        ("topic", Arg::Text("t".into())),
                        ("administrations", Arg::Text("a".into())),
                        ("owner", Arg::Text("o".into())),
                        ("escalation", Arg::Text("e".into())),
                        ("target", Arg::Text("t".into())),
                        ("expected", Arg::Text("e".into())),
                        ("bodies", Arg::Text("b".into())),
                        ("council", Arg::Text("c".into())),
                        ("title", Arg::Text("t".into())),
                        ("value", Arg::Text("v".into())),
                        ("detail", Arg::Text("d".into())),
                        ("param", Arg::Text("p".into())),
                        ("current", Arg::Num(3)),
                        ("page", Arg::Num(2)),
                        ("pages", Arg::Num(3)),
                        ("done", Arg::Num(1)),
                        ("union", Arg::Num(0)),
                        ("from", Arg::Text("f".into())),
                        ("template", Arg::Text("t".into())),
                        ("words", Arg::Text("w".into())),
                        ("part", Arg::Text("word/document.xml".into())),
                        ("other", Arg::Num(1)),
                        ("kind", Arg::Text("k".into())),
                        ("administration", Arg::Text("a".into())),
                        ("group", Arg::Text("g".into())),
                        ("decided", Arg::Text("2026-01-01".into())),
                        ("query", Arg::Text("q".into())),
                        ("known", Arg::Text("k".into())),
                        ("id", Arg::Text("7".into())),
                    ],
                );
                assert!(
                    !text.contains(MISSING) && !text.is_empty(),
                    "{id} in {lang:?}: {text}"
                );
            }
        }
        assert_eq!(
            Tr { lang: Lang::Sv }.t("no-such-message"),
            "⟦no-such-message⟧"
        );
    }

    #[test]
    fn plurals_follow_the_count() {
        let sv = Tr { lang: Lang::Sv };
        assert_eq!(
            sv.args(
                "tree-children",
                &[
                    ("count", Arg::Num(1)),
                    ("name", Arg::Text("SOR barn".into()))
                ]
            ),
            "1 grupp under SOR barn"
        );
        assert_eq!(
            sv.args(
                "tree-children",
                &[
                    ("count", Arg::Num(2)),
                    ("name", Arg::Text("SOR barn".into()))
                ]
            ),
            "2 grupper under SOR barn"
        );
        let en = Tr { lang: Lang::En };
        assert_eq!(en.n1("cases-documents", "count", 1), "1 document");
    }
}
