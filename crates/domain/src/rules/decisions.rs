//! Rules on decisions, escalations and charter distribution:
//! `decision-outside-mandate`, `escalation-route`, `decision-not-communicated`,
//! `charter-distribution`. The register records decisions, escalations and
//! notifications (issue 12); a charter's distribution is not recorded yet.

use super::{Checker, RuleId, Severity, Source};
use crate::decisions::{self, Basis, Target, Topic};
use crate::message::Text;
use crate::policy::MembershipRole;
use crate::text;
use crate::OrgKind;

/// Says a rule cannot be checked yet because the register does not hold its facts.
fn not_recorded() -> Text {
    text!("cannot-not-recorded")
}

/// decision-outside-mandate: every decision rests on the members' mandates in the
/// administrations it binds, or on the chair's mandate for regional routines.
pub(super) fn decision_outside_mandate(c: &mut Checker) {
    let g = c.g;
    match &g.decisions {
        None => c.cannot(RuleId::DecisionOutsideMandate, not_recorded()),
        Some(decisions) => {
            let mandated: Vec<&String> = g
                .members
                .iter()
                .filter(|m| {
                    matches!(
                        m.role,
                        MembershipRole::Ordforande
                            | MembershipRole::ViceOrdforande
                            | MembershipRole::Deltagare
                    )
                })
                .filter_map(|m| m.administration.as_ref())
                .collect();
            let mut evidence = Vec::new();
            let mut words: &[&str] = &["fattas", "mandat"];
            for d in decisions {
                match d.basis {
                    // Escalated: the question went where no mandate was needed.
                    Basis::NotStated if d.escalated => {}
                    Basis::NotStated => {
                        evidence.push(text!("evidence-no-mandate", "decision" => &d.label));
                    }
                    Basis::ChairMandate if d.topic != Topic::RegionalRoutine => {
                        evidence.push(text!(
                            "evidence-chair-mandate",
                            "decision" => &d.label,
                            "topic" => d.topic.describe()
                        ));
                        words = &["regionala rutiner", "mandat"];
                    }
                    Basis::ChairMandate => {}
                    Basis::MemberMandates => {
                        let outside: Vec<&str> = d
                            .binds
                            .iter()
                            .filter(|a| !mandated.contains(a))
                            .map(String::as_str)
                            .collect();
                        if !outside.is_empty() {
                            evidence.push(text!(
                                "evidence-binds",
                                "decision" => &d.label,
                                "administrations" => outside.join(", ")
                            ));
                        }
                    }
                }
            }
            let src = c.source(words).or_else(|| c.source(&["eskaleras"]));
            c.finding_unless_none(
                RuleId::DecisionOutsideMandate,
                Severity::Error,
                text!("rule-decision-outside-mandate"),
                evidence,
                src,
            );
        }
    }
}

/// escalation-route: questions go where the charters send them.
pub(super) fn escalation_route(c: &mut Checker) {
    let g = c.g;
    let via_council = g.kind == OrgKind::Samordningsgrupp && g.parent.is_some();
    match (&g.decisions, &g.escalations) {
        (None, None) => c.cannot(RuleId::EscalationRoute, not_recorded()),
        (decisions, escalations) => {
            let mut evidence = Vec::new();
            let mut words: Option<&[&str]> = None;
            for d in decisions.iter().flatten().filter(|d| !d.escalated) {
                if let Some(owner) = d.topic.belongs_to() {
                    evidence.push(text!(
                        "evidence-belongs-to",
                        "decision" => &d.label,
                        "topic" => d.topic.describe(),
                        "owner" => owner.describe()
                    ));
                    words = words.or(Some(d.topic.quote_words()));
                }
            }
            for e in escalations.iter().flatten() {
                let wrong = match e.topic.belongs_to() {
                    // A coordination group may take any question to its council first.
                    Some(owner) => {
                        e.target != owner && !(via_council && e.target == Target::ParentCouncil)
                    }
                    None if via_council => e.target != Target::ParentCouncil,
                    None => !matches!(
                        e.target,
                        Target::ContactPerson | Target::Administration | Target::RegionWideGroup
                    ),
                };
                if !wrong {
                    continue;
                }
                let expected = match e.topic.belongs_to() {
                    Some(owner) => owner.describe(),
                    None if via_council => match g.parent.as_deref() {
                        Some(council) => text!("target-chair-of", "council" => council),
                        None => text!("target-chair-of-council"),
                    },
                    None => text!("target-administration-or-group"),
                };
                evidence.push(text!(
                    "evidence-escalated-wrongly",
                    "escalation" => &e.label,
                    "target" => e.target.describe(),
                    "expected" => expected
                ));
                words = words.or(Some(if via_council && e.topic.belongs_to().is_none() {
                    &["frågor från samordningsgruppen"]
                } else {
                    e.topic.quote_words()
                }));
            }
            let src = words.and_then(|w| c.source(w));
            c.finding_unless_none(
                RuleId::EscalationRoute,
                Severity::Warning,
                text!("rule-escalation-route"),
                evidence,
                src,
            );
        }
    }
}

/// decision-not-communicated: the bodies the charter names are told of every decision.
pub(super) fn decision_not_communicated(c: &mut Checker) {
    let g = c.g;
    match (&g.decisions, c.charter()) {
        (None, _) => c.cannot(RuleId::DecisionNotCommunicated, not_recorded()),
        (Some(_), None) => c.cannot(
            RuleId::DecisionNotCommunicated,
            text!("cannot-no-charter-informs"),
        ),
        (Some(decisions), Some((_, doc))) => {
            let must = decisions::bodies_to_inform(doc);
            let evidence: Vec<Text> = decisions
                .iter()
                .filter_map(|d| {
                    let missing: Vec<&str> = must
                        .iter()
                        .filter(|b| !d.communicated_to.contains(b))
                        .map(String::as_str)
                        .collect();
                    (!missing.is_empty()).then(|| {
                        text!(
                            "evidence-not-communicated",
                            "decision" => &d.label,
                            "bodies" => missing.join(", ")
                        )
                    })
                })
                .collect();
            let src = c.source(&["beslut", "kommuniceras"]);
            c.finding_unless_none(
                RuleId::DecisionNotCommunicated,
                Severity::Error,
                text!("rule-decision-not-communicated"),
                evidence,
                src,
            );
        }
    }
}

/// charter-distribution: a decided charter is sent to its distribution list.
pub(super) fn charter_distribution(c: &mut Checker) {
    let g = c.g;
    match (&g.charter_in_force, &g.charter_sent_to) {
        (None, _) => c.ok(RuleId::CharterDistribution),
        (Some(_), None) => c.cannot(RuleId::CharterDistribution, not_recorded()),
        (Some((label, doc)), Some(sent)) => {
            let to = decisions::distribution_recipients(doc);
            if to.is_empty() {
                c.cannot(RuleId::CharterDistribution, text!("cannot-no-distribution"));
                return;
            }
            let missing: Vec<String> = to.into_iter().filter(|e| !sent.contains(e)).collect();
            let source = Source {
                charter: label.clone(),
                section: Some("Uppdraget skickas till".into()),
                quote: missing.join("; "),
            };
            c.finding_unless_none(
                RuleId::CharterDistribution,
                Severity::Error,
                text!("rule-charter-distribution"),
                missing.into_iter().map(Text::plain).collect(),
                Some(source),
            );
        }
    }
}
