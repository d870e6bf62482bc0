//! The rules catalogue, case by case.

use super::*;
use crate::decisions::{Basis, DecisionFacts, EscalationFacts, Target, Topic};
use crate::meetings::{MeetingKind, MinutesStatus};
use crate::message::Arg;
use crate::parse::ParsedCharter;
use crate::policy::MembershipRole;
use crate::OrgKind;

/// A message as one line: its id and its arguments (`id k=v …`), for asserts.
fn flat(t: &Text) -> String {
    match t {
        Text::Plain(s) => s.clone(),
        Text::Message { id, args } => {
            let mut out = id.to_string();
            for (k, v) in args {
                let v = match v {
                    Arg::Str(s) => s.clone(),
                    Arg::Num(n) => n.to_string(),
                    Arg::Text(t) => flat(t),
                };
                out.push_str(&format!(" {k}={v}"));
            }
            out
        }
    }
}

fn charter(name: &str) -> ParsedCharter {
    let text = std::fs::read_to_string(format!(
        "{}/../../fixtures/seeds/{name}.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    crate::parse_charter(&text).unwrap()
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn member(name: &str, role: MembershipRole, adm: &str) -> MemberFacts {
    MemberFacts {
        name: name.into(),
        role,
        administration: Some(adm.into()),
        appointed_by: Some("Förvaltningschefen".into()),
    }
}

fn meeting(date: &str, minutes: Option<MinutesStatus>) -> MeetingFacts {
    MeetingFacts {
        label: date.into(),
        kind: MeetingKind::Ordinary,
        date: d(date),
        cancelled: false,
        minutes,
    }
}

/// A council in order.
fn good() -> GroupFacts {
    GroupFacts {
        slug: "samordningsrad-neurologi".into(),
        name: "Samordningsråd neurologi".into(),
        kind: OrgKind::Samordningsrad,
        active: true,
        charter_in_force: Some(("version 1".into(), charter("sor-neurologi-2026"))),
        undecided: None,
        members: vec![
            MemberFacts {
                appointed_by: Some("Ledningsgrupp hälso- och sjukvård".into()),
                ..member("Ada", MembershipRole::Ordforande, "SU")
            },
            member("Bo", MembershipRole::Koordinator, "Koncernkontoret"),
            member("Cy", MembershipRole::Kontaktperson, "SkaS"),
            member("Di", MembershipRole::Deltagare, "NU"),
            member("Ek", MembershipRole::Adjungerad, "Akademin"),
        ],
        parent_contacts: None,
        meetings: ["2025-02-01", "2025-05-01", "2025-09-01", "2025-11-01"]
            .iter()
            .map(|x| meeting(x, Some(MinutesStatus::Published)))
            .collect(),
        exceptions: vec![],
        approve_days: 14,
        adjunct_limit: 3,
        parent: None,
        decisions: Some(vec![decision(
            Topic::OwnArea,
            Basis::MemberMandates,
            &["SU", "NU"],
        )]),
        escalations: Some(vec![EscalationFacts {
            label: "fråga om lönetillägg".into(),
            topic: Topic::OrganisationAndWorkingConditions,
            target: Target::RegionWideGroup,
        }]),
        charter_sent_to: Some(vec![
            "Ordförande samordningsråd för genomförande och vidarebefordran till gruppen".into(),
            "Koordinator samordningsråd".into(),
        ]),
    }
}

fn decision(topic: Topic, basis: Basis, binds: &[&str]) -> DecisionFacts {
    DecisionFacts {
        label: "beslut 2026-03-04 § 5".into(),
        date: d("2026-03-04"),
        topic,
        basis,
        binds: binds.iter().map(|s| s.to_string()).collect(),
        communicated_to: vec![],
        escalated: false,
    }
}

/// The neonatal group under its council, in order.
fn neonatal() -> GroupFacts {
    let mut g = good();
    g.slug = "samordningsgrupp-for-neonatalvarden".into();
    g.name = "Samordningsgrupp för neonatalvården".into();
    g.kind = OrgKind::Samordningsgrupp;
    g.charter_in_force = Some((
        "version 1".into(),
        charter("samordningsgrupp-neonatalvard-2023"),
    ));
    g.parent = Some("Samordningsråd barn".into());
    g.members[0].appointed_by = Some("SOR barn efter avstämning".into());
    g.parent_contacts = Some(vec!["Cy".into()]);
    g.decisions.as_mut().unwrap()[0].communicated_to = vec![
        "Samordningsråd barn".into(),
        "Samordningsråd kvinnosjukdomar och förlossningar".into(),
        "Samordningsråd anestesi, operation, intensivvård".into(),
    ];
    g.escalations = Some(vec![EscalationFacts {
        label: "fråga om ny rutin för hörselscreening".into(),
        topic: Topic::OwnArea,
        target: Target::ParentCouncil,
    }]);
    g.charter_sent_to = Some(g.charter_in_force.as_ref().unwrap().1.distribution.clone());
    g
}

fn findings(g: &GroupFacts) -> Vec<Finding> {
    check(g, d("2026-11-22"))
        .into_iter()
        .filter_map(|o| match o {
            Outcome::Finding(f) => Some(f),
            _ => None,
        })
        .collect()
}

fn quote_of(f: &Finding) -> String {
    f.source
        .as_ref()
        .expect("a quote from the charter")
        .quote
        .clone()
}

fn has(g: &GroupFacts, rule: &str) -> Option<Finding> {
    findings(g).into_iter().find(|f| f.rule.as_str() == rule)
}

#[test]
fn a_group_in_order_has_no_findings() {
    assert_eq!(findings(&good()), vec![]);
    assert_eq!(findings(&neonatal()), vec![]);
    let outcomes = check(&good(), d("2026-11-22"));
    let order: Vec<RuleId> = outcomes.iter().map(|o| o.rule()).collect();
    assert_eq!(
        order,
        RuleId::ALL,
        "one outcome per rule, in the catalogue's order"
    );
}

#[test]
fn each_rule_finds_what_it_should_with_a_quote() {
    let mut g = good();
    g.charter_in_force = None;
    g.undecided = None;
    assert!(has(&g, "no-charter").is_some());

    let mut g = good();
    g.charter_in_force = None;
    g.undecided = Some((
        "version 1 (ej beslutad)".into(),
        charter("sor-rattspsykiatri-2024"),
    ));
    let f = has(&g, "charter-undecided").unwrap();
    assert!(quote_of(&f).contains("ifylls"));

    let mut g = good();
    g.members.retain(|m| m.role != MembershipRole::Ordforande);
    let f = has(&g, "missing-chair").unwrap();
    assert!(
        quote_of(&f).starts_with("Ordförande: Utses av ledningsgrupp"),
        "quoted"
    );

    // One chair, appointed by someone else than the charter says.
    let mut g = neonatal();
    g.members[0].appointed_by = Some("Ledningsgrupp hälso- och sjukvård".into());
    let f = has(&g, "missing-chair").expect("SOR barn appoints the neonatal chair");
    assert_eq!(f.severity, Severity::Warning);
    assert!(
        flat(&f.message).contains("body=Samordningsråd barn"),
        "{:?}",
        f.message
    );
    assert!(quote_of(&f).starts_with("Ordförande: Utses av SOR barn"));
    g.members[0].appointed_by = None;
    assert!(
        has(&g, "missing-chair").is_none(),
        "not recorded: nothing to compare"
    );

    let mut g = good();
    g.members.retain(|m| m.role != MembershipRole::Koordinator);
    assert!(quote_of(&has(&g, "missing-coordinator").unwrap()).contains("koordinator"));

    let mut g = good();
    g.members
        .retain(|m| m.role != MembershipRole::Kontaktperson);
    assert!(has(&g, "missing-contact-person").is_some());

    let mut g = good();
    g.members[2].administration = Some("SU".into());
    let f = has(&g, "chair-contact-same-administration").unwrap();
    assert_eq!(f.severity, Severity::Warning);
    assert!(quote_of(&f).contains("Huvudprincipen"));

    let mut g = good();
    g.members[3].appointed_by = Some("Ordföranden".into());
    assert!(has(&g, "member-not-appointed").is_some());

    let mut g = good();
    g.adjunct_limit = 0;
    assert_eq!(
        has(&g, "adjunct-limit").unwrap().severity,
        Severity::Warning
    );

    let mut g = decided_in_2024(good());
    g.meetings.truncate(3);
    let f = has(&g, "meeting-frequency").unwrap();
    assert!(
        flat(&f.message).starts_with("rule-meeting-frequency count=3 year=2025 range=4–8"),
        "{:?}",
        f.message
    );
    assert!(quote_of(&f).starts_with("Mötesfrekvens: 4 till maximalt 8"));

    let mut g = good();
    g.meetings.push(meeting("2026-10-01", None));
    assert!(has(&g, "minutes-missing").is_some());

    let mut g = good();
    g.meetings
        .push(meeting("2026-10-01", Some(MinutesStatus::Submitted)));
    assert_eq!(
        has(&g, "minutes-unapproved").unwrap().severity,
        Severity::Warning,
        "the neurologi charter says nothing of minutes"
    );
    let mut n = neonatal();
    n.meetings = g.meetings.clone();
    let f = has(&n, "minutes-unapproved").expect("the neonatal charter requires approval");
    assert_eq!(f.severity, Severity::Error);
    assert!(
        quote_of(&f).contains("godkännas av ordförande"),
        "{}",
        quote_of(&f)
    );
    g.meetings.pop();
    g.meetings
        .push(meeting("2026-11-20", Some(MinutesStatus::Submitted)));
    assert!(
        has(&g, "minutes-unapproved").is_none(),
        "still within the days to approve"
    );

    let mut g = good();
    g.meetings
        .push(meeting("2026-10-01", Some(MinutesStatus::Approved)));
    assert!(has(&g, "minutes-unpublished").is_some());

    let mut g = good();
    g.members.clear();
    assert!(has(&g, "group-info-unpublished").is_some());
}

#[test]
fn missing_data_cannot_be_checked_rather_than_passing() {
    let mut g = good();
    g.members.clear();
    let outcomes = check(&g, d("2026-11-22"));
    let cannot: Vec<RuleId> = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::CannotCheck { .. }))
        .map(|o| o.rule())
        .collect();
    for rule in [
        RuleId::MissingChair,
        RuleId::MissingCoordinator,
        RuleId::AdjunctLimit,
    ] {
        assert!(cannot.contains(&rule), "{rule}");
    }
    // The rules that read what the register records of decisions, questions
    // and a charter's sending: with all of it recorded they have their facts;
    // with none of it (a charter decided before Samordna, say) each says it
    // cannot be checked because it is not recorded — never a finding, never
    // silence (issue 27, item 7: this path was looped over an empty list).
    let recorded = [
        RuleId::DecisionOutsideMandate,
        RuleId::EscalationRoute,
        RuleId::DecisionNotCommunicated,
        RuleId::CharterDistribution,
    ];
    for rule in recorded {
        assert!(!cannot.contains(&rule), "{rule} has its facts");
    }
    let mut g = good();
    g.decisions = None;
    g.escalations = None;
    g.charter_sent_to = None;
    let outcomes = check(&g, d("2026-11-22"));
    for rule in recorded {
        let said: Vec<_> = outcomes.iter().filter(|o| o.rule() == rule).collect();
        assert_eq!(said.len(), 1, "{rule}: {said:?}");
        assert!(
            matches!(said[0], Outcome::CannotCheck { reason, .. } if reason.message_id() == Some("cannot-not-recorded")),
            "{rule} cannot be checked, not recorded: {said:?}"
        );
    }
    let mut g = good();
    g.charter_in_force = None;
    assert!(check(&g, d("2026-11-22")).iter().any(|o| matches!(
        o,
        Outcome::CannotCheck {
            rule: RuleId::MeetingFrequency,
            ..
        }
    )));
}

/// The group's charter, as if it had been decided in 2024.
fn decided_in_2024(mut g: GroupFacts) -> GroupFacts {
    g.charter_in_force.as_mut().unwrap().1.decision.date = Some(d("2024-06-17"));
    g
}

#[test]
fn meeting_frequency_counts_only_years_under_the_charter() {
    // Decided 2026-06-17: 2025 was not under it, so three meetings then prove nothing.
    let mut g = good();
    g.meetings.truncate(3);
    let outcome = check(&g, d("2026-11-22"))
        .into_iter()
        .find(|o| o.rule() == RuleId::MeetingFrequency)
        .unwrap();
    assert!(
        matches!(&outcome, Outcome::CannotCheck { reason, .. } if flat(reason).starts_with("cannot-frequency-not-a-year")),
        "{outcome:?}"
    );
    // … but nine ordinary meetings this year are too many whenever they are counted.
    for m in 1..=9 {
        g.meetings.push(meeting(
            &format!("2026-{m:02}-10"),
            Some(MinutesStatus::Published),
        ));
    }
    let f = has(&g, "meeting-frequency").expect("more than eight");
    assert!(
        flat(&f.message).starts_with("rule-meeting-frequency-this-year count=9 year=2026"),
        "{:?}",
        f.message
    );
    // Under a charter decided in 2024, the full year 2025 counts.
    let mut g = decided_in_2024(good());
    assert!(has(&g, "meeting-frequency").is_none(), "four in 2025");
    g.meetings[0].kind = MeetingKind::Extra;
    assert!(
        has(&g, "meeting-frequency").is_some(),
        "extra meetings do not count"
    );
    let mut g = decided_in_2024(good());
    g.meetings[0].cancelled = true;
    assert!(
        has(&g, "meeting-frequency").is_some(),
        "cancelled meetings do not count"
    );
}

#[test]
fn a_valid_exception_clears_a_finding_until_it_expires() {
    let mut g = decided_in_2024(good());
    g.meetings.truncate(3);
    g.exceptions.push(Exception {
        rule: "meeting-frequency".into(),
        valid_until: d("2026-12-31"),
        reason: "Överenskommet med kontaktpersonen".into(),
    });
    assert!(has(&g, "meeting-frequency").is_none());
    g.exceptions[0].valid_until = d("2026-01-31");
    assert!(has(&g, "meeting-frequency").is_some());
}

#[test]
fn a_coordination_group_has_its_councils_contact_person() {
    let mut g = good();
    g.kind = OrgKind::Samordningsgrupp;
    g.parent_contacts = Some(vec!["Cy".into()]);
    assert!(has(&g, "missing-contact-person").is_none());
    g.parent_contacts = Some(vec!["Någon annan".into()]);
    assert_eq!(
        has(&g, "missing-contact-person").unwrap().severity,
        Severity::Warning
    );
}

#[test]
fn decision_outside_mandate() {
    let mut g = good();
    g.decisions = Some(vec![decision(
        Topic::OwnArea,
        Basis::MemberMandates,
        &["SU", "Närhälsan"],
    )]);
    let f = has(&g, "decision-outside-mandate").expect("Närhälsan has no member");
    assert!(
        flat(&f.evidence[0]).contains("Närhälsan"),
        "{:?}",
        f.evidence
    );
    assert!(quote_of(&f).starts_with("Beslut fattas i kraft av de mandat"));

    g.decisions = Some(vec![decision(Topic::OwnArea, Basis::NotStated, &[])]);
    assert!(
        has(&g, "decision-outside-mandate").is_some(),
        "no mandate stated"
    );

    g.decisions = Some(vec![decision(Topic::OwnArea, Basis::ChairMandate, &[])]);
    let f = has(&g, "decision-outside-mandate").expect("the chair's mandate is for routines");
    assert!(quote_of(&f).contains("SSN 2023-0047"));

    g.decisions = Some(vec![decision(
        Topic::RegionalRoutine,
        Basis::ChairMandate,
        &[],
    )]);
    assert!(has(&g, "decision-outside-mandate").is_none());
    g.decisions = Some(vec![]);
    assert!(has(&g, "decision-outside-mandate").is_none());
}

#[test]
fn escalation_route() {
    // A council decides on pay itself: that belongs to the region-wide groups.
    let mut g = good();
    g.decisions = Some(vec![decision(
        Topic::OrganisationAndWorkingConditions,
        Basis::MemberMandates,
        &["SU"],
    )]);
    let f = has(&g, "escalation-route").expect("decided what belongs elsewhere");
    assert!(
        flat(&f.evidence[0]).contains("owner=target-region-wide-group"),
        "{:?}",
        f.evidence
    );
    assert!(quote_of(&f).starts_with("Övergripande frågor som rör organisation och arbetsvillkor"));

    // A new drug taken to Klinisk ledning instead of PPR.
    let mut g = good();
    g.escalations = Some(vec![EscalationFacts {
        label: "fråga om nytt läkemedel".into(),
        topic: Topic::NewDrugOrMethod,
        target: Target::KliniskLedning,
    }]);
    let f = has(&g, "escalation-route").unwrap();
    assert!(quote_of(&f).contains("PPR"));
    g.escalations.as_mut().unwrap()[0].target = Target::Ppr;
    assert!(has(&g, "escalation-route").is_none());

    // The neonatal group goes straight to the contact person, past SOR barn's chair.
    let mut g = neonatal();
    g.escalations.as_mut().unwrap()[0].target = Target::ContactPerson;
    let f = has(&g, "escalation-route").expect("goes via the council's chair");
    assert!(
        flat(&f.evidence[0]).contains("target-chair-of council=Samordningsråd barn"),
        "{:?}",
        f.evidence
    );
    assert!(
        quote_of(&f).starts_with("Frågor från samordningsgruppen går via ordförande i SOR barn")
    );
    // Cross-area questions may go to Klinisk ledning or first to the council.
    g.escalations.as_mut().unwrap()[0].topic = Topic::CrossAreaWorkingMethods;
    g.escalations.as_mut().unwrap()[0].target = Target::ParentCouncil;
    assert!(has(&g, "escalation-route").is_none());
    g.escalations.as_mut().unwrap()[0].target = Target::KliniskLedning;
    assert!(has(&g, "escalation-route").is_none());
}

#[test]
fn decision_not_communicated() {
    let mut g = neonatal();
    g.decisions.as_mut().unwrap()[0].communicated_to.remove(2);
    let f = has(&g, "decision-not-communicated").expect("one council not told");
    assert!(
        flat(&f.evidence[0]).ends_with("Samordningsråd anestesi, operation, intensivvård"),
        "{:?}",
        f.evidence
    );
    assert!(quote_of(&f).starts_with("Beslut och ställningstagande ska särskilt kommuniceras"));

    // A council whose charter names no one to inform has nothing to miss.
    let g = good();
    assert!(g.decisions.as_ref().unwrap()[0].communicated_to.is_empty());
    assert!(has(&g, "decision-not-communicated").is_none());
}

#[test]
fn charter_distribution() {
    let mut g = good();
    g.charter_sent_to.as_mut().unwrap().pop();
    let f = has(&g, "charter-distribution").expect("the coordinator was not sent it");
    assert_eq!(f.evidence, [Text::plain("Koordinator samordningsråd")]);
    assert_eq!(
        f.source.unwrap().section.as_deref(),
        Some("Uppdraget skickas till")
    );
    // The register entry is not owed a letter: the decision updates the register.
    let g = good();
    assert!(has(&g, "charter-distribution").is_none());
    // An undecided charter is sent to no one yet.
    let mut g = good();
    g.undecided = g.charter_in_force.take();
    g.charter_sent_to = Some(vec![]);
    assert!(has(&g, "charter-distribution").is_none());
}

/// The findings of a group, as (rule, severity), in the catalogue's order.
fn found(g: &GroupFacts) -> Vec<(RuleId, Severity)> {
    findings(g).iter().map(|f| (f.rule, f.severity)).collect()
}

type Change = fn(&mut GroupFacts);

/// One case: its name, the group it starts from, the change, the findings.
type Case = (
    &'static str,
    fn() -> GroupFacts,
    Change,
    &'static [(RuleId, Severity)],
);

/// The catalogue case by case: a group in order, one change, and the findings it
/// must give. A new rule is one line here (or more, one per way it can fail).
#[test]
fn the_catalogue_case_by_case() {
    use RuleId::*;
    use Severity::{Error, Info, Warning};
    // (The decision in force binds SU and NU: whoever takes away the member from
    // one of them also takes away the mandate it rested on.)
    #[rustfmt::skip]
    let cases: &[Case] = &[
        ("a council in order", good, |_| {}, &[]),
        ("a coordination group in order", neonatal, |_| {}, &[]),
        ("no charter at all", good, |g| g.charter_in_force = None, &[(NoCharter, Error), (GroupInfoUnpublished, Warning)]),
        ("only an undecided charter", good, |g| g.undecided = g.charter_in_force.take(), &[(CharterUndecided, Error), (GroupInfoUnpublished, Warning)]),
        ("an undecided revision beside the decided one", good, |g| g.undecided = g.charter_in_force.clone(), &[(CharterUndecided, Info)]),
        ("no chair", good, |g| g.members.retain(|m| m.role != MembershipRole::Ordforande), &[(MissingChair, Error), (DecisionOutsideMandate, Error)]),
        ("two chairs", good, |g| g.members.push(member("Fi", MembershipRole::Ordforande, "NU")), &[(MissingChair, Error)]),
        ("a chair appointed by the wrong body", good, |g| g.members[0].appointed_by = Some("Förvaltningschefen".into()), &[(MissingChair, Warning)]),
        ("no coordinator", good, |g| g.members.retain(|m| m.role != MembershipRole::Koordinator), &[(MissingCoordinator, Error)]),
        ("a council without a contact person", good, |g| g.members.retain(|m| m.role != MembershipRole::Kontaktperson), &[(MissingContactPerson, Error)]),
        ("a group with another contact person than its council", neonatal, |g| g.parent_contacts = Some(vec!["Gun".into()]), &[(MissingContactPerson, Warning)]),
        ("chair and contact from one administration", good, |g| g.members[2].administration = Some("SU".into()), &[(ChairContactSameAdministration, Warning)]),
        ("a member appointed by the chair", good, |g| g.members[3].appointed_by = Some("Ordföranden".into()), &[(MemberNotAppointed, Error)]),
        ("a member with no administration", good, |g| g.members[3].administration = None, &[(MemberNotAppointed, Error), (DecisionOutsideMandate, Error)]),
        ("four adjuncts where three are allowed", good, |g| g.members.extend((0..3).map(|i| member(&format!("Adj{i}"), MembershipRole::Adjungerad, "Akademin"))), &[(AdjunctLimit, Warning)]),
        ("three meetings last year", || decided_in_2024(good()), |g| g.meetings.truncate(3), &[(MeetingFrequency, Error)]),
        ("a held meeting without minutes", good, |g| g.meetings.push(meeting("2026-10-01", None)), &[(MinutesMissing, Warning)]),
        ("minutes not approved in time", good, |g| g.meetings.push(meeting("2026-10-01", Some(MinutesStatus::Submitted))), &[(MinutesUnapproved, Warning)]),
        ("approved minutes not published", good, |g| g.meetings.push(meeting("2026-10-01", Some(MinutesStatus::Approved))), &[(MinutesUnpublished, Warning)]),
        ("minutes the group's own charter requires", neonatal, |g| g.meetings.push(meeting("2026-10-01", None)), &[(MinutesMissing, Error)]),
        ("no members in the register", good, |g| g.members.clear(), &[(GroupInfoUnpublished, Warning), (DecisionOutsideMandate, Error)]),
        ("a decision without a mandate", good, |g| g.decisions = Some(vec![decision(Topic::OwnArea, Basis::NotStated, &[])]), &[(DecisionOutsideMandate, Error)]),
        ("a decision without a mandate, escalated", good, |g| g.decisions = Some(vec![DecisionFacts { escalated: true, ..decision(Topic::OwnArea, Basis::NotStated, &[]) }]), &[]),
        ("pay taken to the region-wide groups", good, |g| g.decisions = Some(vec![DecisionFacts { escalated: true, ..decision(Topic::OrganisationAndWorkingConditions, Basis::NotStated, &[]) }]), &[]),
        ("a decision binding an administration no member represents", good, |g| g.decisions = Some(vec![decision(Topic::OwnArea, Basis::MemberMandates, &["Närhälsan"])]), &[(DecisionOutsideMandate, Error)]),
        ("the chair's mandate used for a new drug", good, |g| g.decisions = Some(vec![decision(Topic::NewDrugOrMethod, Basis::ChairMandate, &[])]), &[(DecisionOutsideMandate, Error), (EscalationRoute, Warning)]),
        ("a council deciding pay", good, |g| g.decisions = Some(vec![decision(Topic::OrganisationAndWorkingConditions, Basis::MemberMandates, &["SU"])]), &[(EscalationRoute, Warning)]),
        ("a group going past its council's chair", neonatal, |g| g.escalations.as_mut().unwrap()[0].target = Target::ContactPerson, &[(EscalationRoute, Warning)]),
        ("a decision not told to a council the charter names", neonatal, |g| { g.decisions.as_mut().unwrap()[0].communicated_to.pop(); }, &[(DecisionNotCommunicated, Error)]),
        ("the charter not sent to the coordinator", good, |g| { g.charter_sent_to.as_mut().unwrap().pop(); }, &[(CharterDistribution, Error)]),
        ("an exception in force clears its rule", good, |g| { g.members.retain(|m| m.role != MembershipRole::Koordinator); g.exceptions.push(Exception { rule: "missing-coordinator".into(), valid_until: d("2026-12-31"), reason: "avtalat".into() }); }, &[]),
        ("an exception that has ended does not", good, |g| { g.members.retain(|m| m.role != MembershipRole::Koordinator); g.exceptions.push(Exception { rule: "missing-coordinator".into(), valid_until: d("2026-11-01"), reason: "avtalat".into() }); }, &[(MissingCoordinator, Error)]),
    ];
    let mut wrong = Vec::new();
    for (name, base, change, expected) in cases {
        let mut g = base();
        change(&mut g);
        let got = found(&g);
        if got != *expected {
            wrong.push(format!("{name}: got {got:?}, expected {expected:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Every rule that can be checked has at least one case that breaks it.
    for rule in RuleId::ALL {
        assert!(
            cases
                .iter()
                .any(|(_, _, _, e)| e.iter().any(|(r, _)| *r == rule)),
            "no case breaks {rule}"
        );
    }
}

#[test]
fn the_suggested_target_is_the_route_the_rule_checks() {
    for base in [good as fn() -> GroupFacts, neonatal] {
        for topic in Topic::ALL {
            let mut g = base();
            let target = crate::decisions::suggested_target(g.kind, g.parent.is_some(), *topic);
            g.escalations = Some(vec![EscalationFacts {
                label: "fråga".into(),
                topic: *topic,
                target,
            }]);
            assert!(
                !found(&g).iter().any(|(r, _)| *r == RuleId::EscalationRoute),
                "{:?} {topic:?} → {target:?}",
                g.kind
            );
        }
    }
}
