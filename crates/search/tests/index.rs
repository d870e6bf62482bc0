//! The index on its own: what each reader finds of a small register, counts and
//! suggestions that never tell of what they may not read, highlighting, and a
//! change replacing a group's documents.

use chrono::NaiveDate;
use samordna_domain::search::{Audience, DocKind, Document, Entity};
use samordna_search::{Access, Compounds, Position, SearchIndex, SearchQuery};

fn doc(
    key: &str,
    kind: DocKind,
    org: Option<i64>,
    audience: Audience,
    title: &str,
    body: &str,
) -> Document {
    Document {
        key: key.into(),
        kind,
        doc_type: None,
        org_id: org,
        org_name: org.map(|o| {
            if o == 1 {
                "Samordningsråd barn"
            } else {
                "Samordningsråd onkologi"
            }
            .to_string()
        }),
        audience,
        title: title.into(),
        body: body.into(),
        codes: Vec::new(),
        url: format!("/{key}"),
        date: NaiveDate::from_ymd_opt(2025, 3, 3),
        file: None,
    }
}

fn position(seq: i64) -> Position {
    Position {
        schema: samordna_search::SCHEMA_VERSION,
        instance: "test".into(),
        seq,
    }
}

fn index() -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    let docs = vec![
        doc(
            "group:1",
            DocKind::Group,
            Some(1),
            Audience::Public,
            "Samordningsråd barn",
            "Samordningsråd",
        ),
        doc(
            "group:2",
            DocKind::Group,
            Some(2),
            Audience::Public,
            "Samordningsråd onkologi",
            "Samordningsråd",
        ),
        doc(
            "matter:1",
            DocKind::Matter,
            Some(1),
            Audience::Public,
            "Gemensam uppföljning av väntetider (barn)",
            "Ärendet bereds av koordinatorn.",
        ),
        doc(
            "minutes:1",
            DocKind::Minutes,
            Some(1),
            Audience::Internal,
            "2. Övrigt",
            "Rådet diskuterade hemlighetsmakeriet och väntetiderna.",
        ),
        doc(
            "minutes:2",
            DocKind::Minutes,
            Some(2),
            Audience::Public,
            "1. Öppnande",
            "Remisshanteringen går bra; väntetiderna följs upp.",
        ),
        doc(
            "agenda:1",
            DocKind::Agenda,
            Some(2),
            Audience::Public,
            "4. Vårdförlopp och kunskapsstöd",
            "",
        ),
        doc(
            "person:1",
            DocKind::Person,
            None,
            Audience::People,
            "Ada Exempelsson",
            "koordinator, Samordningsråd barn",
        ),
    ];
    index.apply(true, &[], docs, &position(1)).unwrap();
    index
}

fn keys(index: &SearchIndex, text: &str, access: Access) -> (Vec<String>, u64, Option<String>) {
    let r = index.search(&SearchQuery::new(text, access, 20)).unwrap();
    (
        r.hits.iter().map(|h| h.key.clone()).collect(),
        r.total,
        r.suggestion,
    )
}

#[test]
fn each_reader_finds_what_they_may_read_and_nothing_tells_of_the_rest() {
    let index = index();
    let member = Access::Limited {
        people: true,
        internal: vec![1],
    };
    let other = Access::Limited {
        people: true,
        internal: vec![2],
    };
    assert_eq!(
        keys(&index, "hemlighetsmakeriet", member.clone()).0,
        vec!["minutes:1"]
    );
    assert_eq!(
        keys(&index, "hemlighetsmakeriet", Access::Everything).0,
        vec!["minutes:1"]
    );
    for access in [Access::public(), other.clone()] {
        let (hits, total, suggestion) = keys(&index, "hemlighetsmakeriet", access.clone());
        assert!(hits.is_empty() && total == 0, "{access:?}");
        // A near spelling suggests nothing only the group may read.
        let (hits, total, suggestion2) = keys(&index, "hemlighetsmakerie", access.clone());
        assert!(hits.is_empty() && total == 0 && suggestion.is_none() && suggestion2.is_none());
        // A word in public and internal records counts only the public ones.
        let (hits, total, _) = keys(&index, "väntetiderna", access.clone());
        assert!(
            !hits.contains(&"minutes:1".to_string()),
            "{access:?}: {hits:?}"
        );
        assert_eq!(total as usize, hits.len());
    }
    // People: for those who may read people.
    assert!(keys(&index, "Exempelsson", Access::public()).0.is_empty());
    assert_eq!(keys(&index, "Exempelsson", other).0, vec!["person:1"]);
    let r = index
        .search(&SearchQuery::new("väntetiderna", Access::public(), 20))
        .unwrap();
    assert_eq!(r.facets.kinds.iter().map(|k| k.1).sum::<u64>(), r.total);
}

#[test]
fn inflections_compounds_codes_and_misspellings() {
    let index = index();
    let first = |q: &str| keys(&index, q, Access::public()).0.first().cloned();
    assert_eq!(first("väntetid").as_deref(), Some("matter:1"));
    // A part of a compound finds the compound; the group's name narrows.
    assert_eq!(first("hanteringen").as_deref(), Some("minutes:2"));
    assert_eq!(first("väntetiderna onkologi").as_deref(), Some("minutes:2"));
    // A misspelling: the corrected search, and what it was corrected to.
    let (hits, _, suggestion) = keys(&index, "onkolgi", Access::public());
    assert_eq!(suggestion.as_deref(), Some("onkologi"));
    assert_eq!(hits.first().map(String::as_str), Some("group:2"));
    // Stems only does not find the compound.
    let stems = index
        .search(&SearchQuery {
            compounds: Compounds::Stems,
            ..SearchQuery::new("hanteringen", Access::public(), 20)
        })
        .unwrap();
    assert_eq!(stems.total, 0);
    // Nothing but stop words, or nothing at all, finds nothing.
    assert_eq!(keys(&index, "och att", Access::public()).1, 0);
    assert_eq!(keys(&index, "   ", Access::public()).1, 0);
}

#[test]
fn titles_and_snippets_are_escaped_and_keep_their_punctuation() {
    let index = index();
    let r = index
        .search(&SearchQuery::new("väntetider", Access::public(), 20))
        .unwrap();
    let m = r.hits.iter().find(|h| h.key == "matter:1").unwrap();
    assert_eq!(
        m.title_html,
        "Gemensam uppföljning av <mark>väntetider</mark> (barn)"
    );
    let a = index
        .search(&SearchQuery::new("vårdförloppet", Access::public(), 20))
        .unwrap();
    let agenda = &a.hits[0];
    assert_eq!(agenda.key, "agenda:1");
    assert_eq!(agenda.title, "4. Vårdförlopp och kunskapsstöd");
    assert!(
        agenda.title_html.contains("<mark>Vårdförlopp</mark>"),
        "{}",
        agenda.title_html
    );
    let s = index
        .search(&SearchQuery::new("väntetiderna", Access::public(), 20))
        .unwrap();
    let minutes = s.hits.iter().find(|h| h.key == "minutes:2").unwrap();
    assert!(minutes.snippet.ends_with("upp."), "{}", minutes.snippet);
}

#[test]
fn a_change_replaces_what_the_index_held_of_a_group() {
    let index = index();
    let mut renamed = doc(
        "group:2",
        DocKind::Group,
        Some(2),
        Audience::Public,
        "Samordningsråd hematologi",
        "Samordningsråd",
    );
    renamed.org_name = Some("Samordningsråd hematologi".into());
    index
        .apply(false, &[Entity::Org(2)], vec![renamed], &position(7))
        .unwrap();
    assert_eq!(index.position().unwrap().seq, 7);
    assert_eq!(
        keys(&index, "hematologi", Access::public()).0,
        vec!["group:2"]
    );
    assert_eq!(
        keys(&index, "onkologi", Access::public()).1,
        0,
        "the old documents are gone"
    );
    // The documents of group 1 are untouched.
    assert_eq!(keys(&index, "barn", Access::public()).0.len(), 2);
    index
        .apply(false, &[Entity::Person(1)], vec![], &position(8))
        .unwrap();
    assert!(keys(&index, "Exempelsson", Access::Everything).0.is_empty());
}
