//! Input that is not a charter gets one line saying why and where; no input panics.

use proptest::prelude::*;
use samordna_domain::parse_charter;

fn seed(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/../../fixtures/seeds/{name}.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn empty_input_is_refused_at_line_one() {
    for input in ["", "   \n\n\t\r\n"] {
        let e = parse_charter(input).unwrap_err();
        assert_eq!(e.to_string(), "rad 1: filen är tom");
    }
}

#[test]
fn prose_without_headings_names_the_last_line() {
    let e = parse_charter("Hej!\n\nHär är protokollet från fikarummet.\nMvh Eva\n").unwrap_err();
    assert_eq!(e.line, 4);
    assert!(e.to_string().starts_with("rad 4: ingen rubrik"), "{e}");
    assert!(!e.to_string().contains('\n'));
}

#[test]
fn headings_without_a_document_kind_name_the_first_heading() {
    let e =
        parse_charter("Mötesanteckningar\n\nDatum 2024-01-01\n\nSyfte med uppdraget\n\nText.\n")
            .unwrap_err();
    assert_eq!(e.line, 5, "{e}");
    assert!(e.reason.contains("dokumenttypen saknas"), "{e}");
}

#[test]
fn a_charter_without_a_group_is_refused() {
    let e = parse_charter("Uppdragshandling\n\nDatum 2024-01-01\n\nSyfte med uppdraget\n\nText.\n")
        .unwrap_err();
    assert_eq!(e.line, 5);
    assert!(e.reason.contains("vilken grupp"), "{e}");
}

#[test]
fn an_invalid_date_is_a_warning_not_a_value() {
    let text = seed("sor-neurologi-2026").replace("Datum 2026-06-16", "Datum 2026-13-45");
    let c = parse_charter(&text).unwrap();
    assert_eq!(c.date, None);
    assert!(
        c.warnings.iter().any(|w| w.contains("2026-13-45")),
        "{:?}",
        c.warnings
    );
}

#[test]
fn the_placeholder_decision_date_means_undecided() {
    let c = parse_charter(&seed("sor-rattspsykiatri-2024")).unwrap();
    assert_eq!(c.status(), samordna_domain::CharterStatus::Undecided);
    let c = parse_charter(&seed("sor-neurologi-2026")).unwrap();
    assert_eq!(c.status(), samordna_domain::CharterStatus::Decided);
}

fn seed_lines() -> Vec<String> {
    [
        "sor-neurologi-2026",
        "samordningsgrupp-neonatalvard-2023",
        "sor-rattspsykiatri-2024",
    ]
    .iter()
    .flat_map(|s| seed(s).lines().map(str::to_string).collect::<Vec<_>>())
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC*") {
        let _ = parse_charter(&s);
    }

    #[test]
    fn arbitrary_markup_never_panics(s in "[#*_\\-–•\\[\\]()\\\\:\r\n 0-9a-zåäöA-ZÅÄÖ]{0,400}") {
        let _ = parse_charter(&s);
    }

    #[test]
    fn shuffled_and_cut_seeds_never_panic(
        picks in proptest::collection::vec(any::<prop::sample::Index>(), 0..120),
        cut in any::<prop::sample::Index>(),
    ) {
        let lines = seed_lines();
        let mut doc: Vec<String> = picks.iter().map(|i| i.get(&lines).clone()).collect();
        if let Some(last) = doc.last_mut() {
            let chars: Vec<char> = last.chars().collect();
            let at = if chars.is_empty() { 0 } else { cut.index(chars.len()) };
            *last = chars[..at].iter().collect();
        }
        if let Ok(c) = parse_charter(&doc.join("\n")) {
            prop_assert!(!c.organization.name.is_empty());
        }
    }
}

/// Text over the parser's bounds is refused before any work is done on it,
/// naming the bound and the line where it was passed (issue 27, item 1: 3 MB of
/// blank lines took about 16 s).
#[test]
fn text_over_the_bounds_is_refused_naming_the_bound_and_the_line() {
    use samordna_domain::parse::{MAX_LINES, MAX_TEXT_BYTES};
    let mut long = seed("sor-neurologi-2026");
    long.push_str(&"\n".repeat(40_000));
    long.push_str(&" ".repeat(MAX_TEXT_BYTES));
    let e = parse_charter(&long).unwrap_err();
    assert!(e.reason.contains("4096 KiB"), "{e}");
    let lines_before = long.as_bytes()[..MAX_TEXT_BYTES]
        .iter()
        .filter(|b| **b == b'\n')
        .count();
    assert_eq!(e.line, lines_before + 1);

    let mut many = seed("sor-neurologi-2026");
    many.push_str(&"x\n".repeat(MAX_LINES));
    assert!(many.len() < MAX_TEXT_BYTES);
    let e = parse_charter(&many).unwrap_err();
    assert_eq!(e.line, MAX_LINES + 1);
    assert!(e.reason.contains("50000 rader"), "{e}");

    // A charter with trailing blank lines up to the bound still parses.
    let mut within = seed("sor-neurologi-2026");
    let lines = within.lines().count();
    within.push_str(&"\n".repeat(MAX_LINES - lines - 1));
    parse_charter(&within).unwrap();
}

/// A date a charter cannot have (issue 27, item 5): "0226-06-17", a typo for
/// 2026, was read as the year 226 and broke the XLSX export later. The parser
/// warns naming the line and reads no date (the charter is then undecided, as
/// its preview and the rule `charter-undecided` say).
#[test]
fn an_implausible_decision_date_is_a_warning_naming_the_line_and_no_date() {
    let good = seed("sor-neurologi-2026");
    let typo = good.replace("2026-06-17", "0226-06-17");
    assert_ne!(good, typo, "the seed has the decision date");
    let line = typo.lines().position(|l| l.contains("0226-06-17")).unwrap() + 1;
    let doc = parse_charter(&typo).unwrap();
    assert_eq!(doc.decision.date, None);
    let warning = doc
        .warnings
        .iter()
        .find(|w| w.contains("0226-06-17"))
        .unwrap_or_else(|| panic!("{:?}", doc.warnings));
    assert!(warning.starts_with(&format!("rad {line}: ")), "{warning}");
    assert!(warning.contains("inte rimligt"), "{warning}");
    // The same with a year far ahead.
    let doc = parse_charter(&good.replace("2026-06-17", "2206-06-17")).unwrap();
    assert_eq!(doc.decision.date, None);
    // The real date is read.
    assert_eq!(
        parse_charter(&good).unwrap().decision.date,
        chrono::NaiveDate::from_ymd_opt(2026, 6, 17)
    );
}
