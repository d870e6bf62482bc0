//! The import plan, without a database: what a document's names become.

use super::*;
use crate::parse::{Decision, Mention, OrgRef};
use crate::DocumentKind;
use OrgKind::*;

fn org(id: i64, name: &str, kind: OrgKind) -> KnownOrg {
    KnownOrg {
        id,
        slug: slugify(name),
        name: name.into(),
        kind,
        area: None,
        reports_to_id: None,
        placeholder: false,
        merged_into_id: None,
    }
}

fn placeholder(id: i64, name: &str, kind: OrgKind) -> KnownOrg {
    KnownOrg {
        placeholder: true,
        ..org(id, name, kind)
    }
}

/// A charter for `name` (a council unless the name says otherwise) that reports
/// to `parent` and names `mentions`; the ones starting with `*` as liaisons.
fn doc(name: &str, parent: Option<&str>, mentions: &[&str]) -> ParsedCharter {
    let kind = OrgKind::from_name(name).unwrap_or(Samordningsrad);
    let mut all: Vec<&str> = parent.into_iter().collect();
    all.extend(mentions.iter().map(|m| m.trim_start_matches('*')));
    ParsedCharter {
        document_kind: DocumentKind::Uppdragshandling,
        title: format!("Uppdragshandling för {name}"),
        revision: None,
        organization: OrgRef {
            name: name.into(),
            kind,
            area: names::area_from_name(name),
        },
        reports_to: parent.map(str::to_string),
        liaisons: mentions
            .iter()
            .filter_map(|m| m.strip_prefix('*'))
            .map(str::to_string)
            .collect(),
        date: None,
        registry_number: None,
        issuing_unit: None,
        case_officer: None,
        responsibility_area: None,
        commissioner: None,
        assignee: None,
        duties: Vec::new(),
        meeting_frequency: None,
        references: Vec::new(),
        preamble: Vec::new(),
        sections: Vec::new(),
        decision: Decision {
            date: None,
            decided_by: None,
        },
        distribution: Vec::new(),
        mentions: all
            .into_iter()
            .map(|m| Mention {
                name: m.into(),
                written: m.into(),
                kind: OrgKind::from_name(m).unwrap_or(Samordningsrad),
            })
            .collect(),
        warnings: Vec::new(),
    }
}

/// The plan's steps in one line each, aliases left out unless `aliases`.
fn show(plan: &ImportPlan, aliases: bool) -> Vec<String> {
    let h = |h: &Handle| match h {
        Handle::Registered(id) => format!("#{id}"),
        Handle::Planned(i) => format!("new{i}"),
    };
    plan.steps
        .iter()
        .filter_map(|s| match s {
            Step::Create(PlannedOrg {
                slug,
                kind,
                reports_to,
                placeholder,
                ..
            }) => Some(format!(
                "create {slug} {} {}{}",
                kind.as_str(),
                if *placeholder { "placeholder" } else { "group" },
                reports_to
                    .as_ref()
                    .map(|r| format!(" under {}", h(r)))
                    .unwrap_or_default()
            )),
            Step::Update {
                org,
                name,
                kind,
                reports_to,
                ..
            } => Some(format!(
                "update {} {name} {}{}",
                h(org),
                kind.as_str(),
                reports_to
                    .as_ref()
                    .map(|r| format!(" under {}", h(r)))
                    .unwrap_or_default()
            )),
            Step::Alias { org, alias, .. } => aliases.then(|| format!("alias {} {alias}", h(org))),
            Step::Liaison { org, liaison, .. } => {
                Some(format!("liaison {} {}", h(org), h(liaison)))
            }
            Step::Conflict { id, text } => Some(format!("conflict #{id}: {text}")),
        })
        .collect()
}

const LG: &str = "Ledningsgrupp hälso- och sjukvård";

#[test]
fn a_new_council_under_a_body_not_yet_known_creates_a_placeholder_first() {
    let mut dir = Directory::new(vec![], []);
    let p = plan(
        &mut dir,
        &doc("Samordningsråd barn", Some(LG), &[]),
        "barn.txt",
    );
    assert_eq!(
        show(&p, false),
        [
            "create ledningsgrupp-halso-och-sjukvard ledningsgrupp placeholder",
            "create samordningsrad-barn samordningsrad group under new0",
        ]
    );
    assert_eq!(p.group, Handle::Planned(1));
    assert_eq!(p.created, [LG, "Samordningsråd barn"]);
    assert_eq!(
        (p.group_slug.as_str(), p.group_name.as_str()),
        ("samordningsrad-barn", "Samordningsråd barn")
    );
}

#[test]
fn a_former_name_of_a_known_body_finds_the_body() {
    let mut dir = Directory::new(vec![org(1, LG, Ledningsgrupp)], []);
    let p = plan(
        &mut dir,
        &doc(
            "Samordningsråd barn",
            Some("Koncernledning hälso- och sjukvård"),
            &[],
        ),
        "barn.txt",
    );
    assert_eq!(
        show(&p, true),
        [
            "alias #1 Koncernledning hälso- och sjukvård",
            "create samordningsrad-barn samordningsrad group under #1",
        ]
    );
    assert!(p.created == ["Samordningsråd barn"]);
}

#[test]
fn a_placeholder_is_promoted_and_takes_what_the_document_says() {
    let mut dir = Directory::new(
        vec![
            org(1, LG, Ledningsgrupp),
            placeholder(2, "Samordningsråd barn", Samordningsrad),
        ],
        [],
    );
    let p = plan(
        &mut dir,
        &doc("Samordningsråd barn", Some(LG), &[]),
        "barn.txt",
    );
    assert_eq!(
        show(&p, false),
        ["update #2 Samordningsråd barn samordningsrad under #1"]
    );
    assert!(p.created.is_empty() && p.conflicts.is_empty());
    assert_eq!(p.group, Handle::Registered(2));
}

#[test]
fn a_registered_group_keeps_its_kind_and_reporting_line_and_the_plan_says_so() {
    let mut barn = org(2, "Samordningsråd barn", Samordningsrad);
    barn.reports_to_id = Some(1);
    barn.area = names::area_from_name(&barn.name);
    let mut dir = Directory::new(
        vec![
            org(1, LG, Ledningsgrupp),
            barn,
            org(3, "Samordningsråd kvinnosjukvård", Samordningsrad),
        ],
        [],
    );
    let mut d = doc(
        "Samordningsråd barn",
        Some("Samordningsråd kvinnosjukvård"),
        &[],
    );
    d.organization.kind = Samordningsgrupp;
    let p = plan(&mut dir, &d, "barn.txt");
    assert_eq!(
        show(&p, false),
        [
            "conflict #2: dokumentet anger att Samordningsråd barn är samordningsgrupp, registret att den är samordningsråd; registrets uppgift står kvar",
            "conflict #2: dokumentet anger att Samordningsråd barn rapporterar till Samordningsråd kvinnosjukvård, registret till Ledningsgrupp hälso- och sjukvård; registrets uppgift står kvar",
        ]
    );
    assert_eq!(p.conflicts.len(), 2);
}

#[test]
fn liaisons_are_linked_but_never_the_group_itself_or_its_parent() {
    let mut dir = Directory::new(vec![org(1, LG, Ledningsgrupp)], []);
    let d = doc(
        "Samordningsråd barn",
        Some(LG),
        &[
            "*Samordningsråd kvinnosjukvård",
            "Samordningsråd ortopedi",
            "*Samordningsråd barn",
            &format!("*{LG}"),
            "*Samordningsråd kvinnosjukvård",
        ],
    );
    let p = plan(&mut dir, &d, "barn.txt");
    assert_eq!(
        show(&p, false),
        [
            "create samordningsrad-barn samordningsrad group under #1",
            "create samordningsrad-kvinnosjukvard samordningsrad placeholder",
            "liaison new0 new1",
            "create samordningsrad-ortopedi samordningsrad placeholder",
            "liaison new0 new1",
        ]
    );
}

#[test]
fn a_slug_taken_gets_a_number_and_a_merged_group_answers_for_its_successor() {
    let mut old = org(1, "Samordningsråd hud", Samordningsrad);
    old.slug = "samordningsrad-barn".into();
    old.merged_into_id = Some(2);
    let mut dir = Directory::new(
        vec![
            old,
            org(2, "Samordningsråd hud och plastik", Samordningsrad),
        ],
        [(2, name_key("SOR hudsjukdomar"))],
    );
    let p = plan(
        &mut dir,
        &doc(
            "Samordningsråd barn",
            None,
            &["Samordningsråd hud", "SOR hudsjukdomar"],
        ),
        "barn.txt",
    );
    assert_eq!(
        show(&p, false),
        ["create samordningsrad-barn-2 samordningsrad group"]
    );
    assert_eq!(
        dir.resolve("Samordningsråd hud"),
        Some(Handle::Registered(2))
    );
    assert_eq!(dir.resolve("SOR hudsjukdomar"), Some(Handle::Registered(2)));
}

#[test]
fn a_written_form_becomes_an_alias_once() {
    let mut dir = Directory::new(vec![org(1, "Samordningsråd barn", Samordningsrad)], []);
    let mut d = doc("Samordningsråd ortopedi", None, &[]);
    d.mentions = [
        "Samordningsrådet för barn",
        "SOR barn",
        "samordningsrådet för barn",
    ]
    .map(|w| Mention {
        name: "Samordningsråd barn".into(),
        written: w.into(),
        kind: Samordningsrad,
    })
    .to_vec();
    let p = plan(&mut dir, &d, "ortopedi.txt");
    let aliases: Vec<_> = show(&p, true)
        .into_iter()
        .filter(|s| s.starts_with("alias #1"))
        .collect();
    assert_eq!(aliases, ["alias #1 Samordningsrådet för barn"]);
}

#[test]
fn a_settled_directory_serves_the_next_plan_with_the_ids_the_store_gave() {
    let mut dir = Directory::new(vec![], []);
    let p = plan(
        &mut dir,
        &doc("Samordningsråd barn", Some(LG), &[]),
        "barn.txt",
    );
    assert_eq!(p.group, Handle::Planned(1));
    let ids = HashMap::from([(Handle::Planned(0), 10), (Handle::Planned(1), 11)]);
    dir.settle(&ids).unwrap();
    assert_eq!(dir.resolve(LG), Some(Handle::Registered(10)));
    let p = plan(
        &mut dir,
        &doc("Samordningsråd ortopedi", Some(LG), &["*SOR barn"]),
        "ortopedi.txt",
    );
    assert_eq!(
        show(&p, false),
        [
            "create samordningsrad-ortopedi samordningsrad group under #10",
            "liaison new0 #11",
        ]
    );
    // A plan whose ids are not all given leaves the directory to be loaded again.
    assert_eq!(dir.settle(&HashMap::new()), Err(Handle::Planned(0)));
}

#[test]
fn a_charter_decided_in_samordna_moves_the_group_where_it_says() {
    let mut barn = org(2, "Samordningsråd barn", Samordningsrad);
    barn.reports_to_id = Some(1);
    barn.area = names::area_from_name(&barn.name);
    let mut dir = Directory::new(
        vec![
            org(1, LG, Ledningsgrupp),
            barn,
            org(3, "Samordningsråd kvinnosjukvård", Samordningsrad),
        ],
        [],
    );
    let d = doc(
        "Samordningsråd barn",
        Some("Samordningsråd kvinnosjukvård"),
        &[],
    );
    let p = plan_with(&mut dir, &d, "samordna-beslut.txt", Authority::Document);
    assert!(p.conflicts.is_empty(), "{:?}", p.conflicts);
    assert!(
        p.steps.iter().any(|s| matches!(
            s,
            Step::Update { org: Handle::Registered(2), reports_to: Some(Handle::Registered(3)), note, .. }
                if note.contains("beslutade")
        )),
        "{:?}",
        p.steps
    );
}
