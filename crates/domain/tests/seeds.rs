//! Every seed document parses to every field and value of its `expected/*.json`,
//! and meets the further conditions listed under `_checks`.

use std::path::PathBuf;

use samordna_domain::parse_charter;
use serde_json::Value;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Compares `expected` into `actual` at `path`, collecting differences.
fn compare(path: &str, expected: &Value, actual: &Value, diffs: &mut Vec<String>) {
    let case_insensitive = ["organization.name", "organization.area", "reports_to"].contains(&path);
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                if k.starts_with('_') {
                    continue;
                }
                let sub = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match a.get(k) {
                    Some(av) => compare(&sub, ev, av, diffs),
                    None => diffs.push(format!("{sub}: missing")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                diffs.push(format!(
                    "{path}: {} items expected, got {}: {actual}",
                    e.len(),
                    a.len()
                ));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                compare(&format!("{path}[{i}]"), ev, av, diffs);
            }
        }
        (Value::String(e), Value::String(a)) => {
            let (e, a) = (squash(e), squash(a));
            let same = if case_insensitive {
                e.to_lowercase() == a.to_lowercase()
            } else {
                e == a
            };
            if !same {
                diffs.push(format!("{path}: expected {e:?}, got {a:?}"));
            }
        }
        (e, a) if e == a => {}
        (e, a) => diffs.push(format!("{path}: expected {e}, got {a}")),
    }
}

/// Checks one parsed text against an expectation file; returns the differences.
pub fn differences(text: &str, expected: &Value) -> Vec<String> {
    let parsed = match parse_charter(text) {
        Ok(p) => p,
        Err(e) => return vec![format!("parse failed: {e}")],
    };
    let actual = serde_json::to_value(&parsed).unwrap();
    let mut diffs = Vec::new();
    compare("", expected, &actual, &mut diffs);

    let checks = &expected["_checks"];
    let refs: Vec<String> = parsed.references.iter().map(|r| r.to_string()).collect();
    for r in checks["references_include"]
        .as_array()
        .into_iter()
        .flatten()
    {
        if !refs.iter().any(|x| x == r.as_str().unwrap()) {
            diffs.push(format!("references: {r} missing from {refs:?}"));
        }
    }
    let headings: Vec<&str> = parsed.sections.iter().map(|s| s.heading.as_str()).collect();
    let mut pos = 0;
    for h in checks["headings_in_order"].as_array().into_iter().flatten() {
        let h = h.as_str().unwrap();
        match headings[pos..].iter().position(|x| squash(x) == squash(h)) {
            Some(p) => pos += p + 1,
            None => diffs.push(format!("heading {h:?} not found in order in {headings:?}")),
        }
    }
    let full = squash(&parsed.full_text());
    for t in checks["text_must_contain"].as_array().into_iter().flatten() {
        if !full.contains(&squash(t.as_str().unwrap())) {
            diffs.push(format!("text lacks {t}"));
        }
    }
    let everything = format!("{full}\n{}", squash(&actual.to_string()));
    for t in checks["text_must_not_contain"]
        .as_array()
        .into_iter()
        .flatten()
    {
        if everything.contains(t.as_str().unwrap()) {
            diffs.push(format!("text contains {t}"));
        }
    }
    for l in checks["liaisons_match"].as_array().into_iter().flatten() {
        let l = l.as_str().unwrap().to_lowercase();
        if !parsed
            .liaisons
            .iter()
            .any(|x| x.to_lowercase().contains(&l))
        {
            diffs.push(format!("no liaison matches {l:?} in {:?}", parsed.liaisons));
        }
    }
    diffs
}

fn read(path: &str) -> String {
    std::fs::read_to_string(fixtures().join(path)).unwrap()
}

fn check_seed(stem: &str) {
    let text = read(&format!("seeds/{stem}.txt"));
    let expected: Value =
        serde_json::from_str(&read(&format!("seeds/expected/{stem}.json"))).unwrap();
    let diffs = differences(&text, &expected);
    assert!(diffs.is_empty(), "{stem}:\n  {}", diffs.join("\n  "));
}

#[test]
fn neurologi_2026() {
    check_seed("sor-neurologi-2026");
}

#[test]
fn ortopedi_2026() {
    check_seed("sor-ortopedi-2026");
}

#[test]
fn onkologi_2026() {
    check_seed("sor-onkologi-2026");
}

#[test]
fn rattspsykiatri_2024() {
    check_seed("sor-rattspsykiatri-2024");
}

#[test]
fn neonatalvard_2023() {
    check_seed("samordningsgrupp-neonatalvard-2023");
}

#[test]
fn every_seed_has_a_test() {
    let mut stems: Vec<String> = std::fs::read_dir(fixtures().join("seeds/expected"))
        .unwrap()
        .map(|e| {
            e.unwrap()
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    stems.sort();
    assert_eq!(
        stems,
        [
            "samordningsgrupp-neonatalvard-2023",
            "sor-neurologi-2026",
            "sor-onkologi-2026",
            "sor-ortopedi-2026",
            "sor-rattspsykiatri-2024"
        ]
    );
}

/// Variants of the seeds with the artefacts of PDF and Word extraction: CRLF line
/// endings, `•`/`–` bullets, hyphenated and broken lines, page headers, footers and
/// letterhead blocks in mid-sentence, Markdown headings and bold, heading variants.
#[test]
fn extraction_variants_parse_like_their_seeds() {
    let dir = fixtures().join("variants");
    let mut failures = Vec::new();
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            continue;
        }
        seen += 1;
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let expected: Value =
            serde_json::from_str(&read(&format!("variants/expected/{stem}.json"))).unwrap();
        let diffs = differences(&text, &expected);
        if !diffs.is_empty() {
            failures.push(format!("{stem}:\n  {}", diffs.join("\n  ")));
        }
    }
    assert!(seen >= 5, "only {seen} variants found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
