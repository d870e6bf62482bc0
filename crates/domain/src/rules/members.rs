//! Rules on the members: `missing-chair`, `missing-coordinator`,
//! `missing-contact-person`, `chair-contact-same-administration`,
//! `member-not-appointed`, `adjunct-limit`. Without members in the register none of
//! them can be checked.

use super::{Checker, RuleId, Severity};
use crate::decisions;
use crate::message::Text;
use crate::policy::MembershipRole;
use crate::text;
use crate::OrgKind;

/// The member rules, or "cannot check" for each when the group has no members.
/// The member rules, or "cannot check" for each when the group has no members.
pub(super) fn check(c: &mut Checker) {
    if c.g.members.is_empty() {
        for rule in [
            RuleId::MissingChair,
            RuleId::MissingCoordinator,
            RuleId::MissingContactPerson,
            RuleId::ChairContactSameAdministration,
            RuleId::MemberNotAppointed,
            RuleId::AdjunctLimit,
        ] {
            c.cannot(rule, text!("cannot-no-members"));
        }
        return;
    }
    missing_chair(c);
    missing_coordinator(c);
    missing_contact_person(c);
    chair_contact_same_administration(c);
    member_not_appointed(c);
    adjunct_limit(c);
}

/// `missing-chair`: exactly one current chair, appointed by the body the charter names.
fn missing_chair(c: &mut Checker) {
    // missing-chair: exactly one current chair.
    let chairs = c.with_role(MembershipRole::Ordforande);
    let src = c.source(&["ordförande", "utses"]);
    // Who the charter says appoints the chair, against who did.
    let appointer = c.charter().and_then(|(_, d)| decisions::chair_appointer(d));
    let wrongly_appointed = match (chairs.as_slice(), &appointer) {
        ([chair], Some(body)) => chair
            .appointed_by
            .as_deref()
            .filter(|by| !decisions::names_body(by, body))
            .map(|by| (chair.name.clone(), by.to_string(), body.clone())),
        _ => None,
    };
    match chairs.len() {
        1 => match wrongly_appointed {
            Some((name, by, body)) => c.finding(
                RuleId::MissingChair,
                Severity::Warning,
                text!("rule-chair-appointed-by", "by" => by, "body" => body),
                vec![Text::plain(name)],
                src,
            ),
            None => c.ok(RuleId::MissingChair),
        },
        0 => c.finding(
            RuleId::MissingChair,
            Severity::Error,
            text!("rule-no-chair"),
            vec![],
            src,
        ),
        n => c.finding(
            RuleId::MissingChair,
            Severity::Error,
            text!("rule-chairs", "count" => n),
            chairs.iter().map(|m| Text::plain(&m.name)).collect(),
            src,
        ),
    }
}

/// `missing-coordinator`: Koncernkontoret provides a coordinator.
fn missing_coordinator(c: &mut Checker) {
    // missing-coordinator
    let src = c.source(&["koordinat"]);
    if c.with_role(MembershipRole::Koordinator).is_empty() {
        c.finding(
            RuleId::MissingCoordinator,
            Severity::Error,
            text!("rule-no-coordinator"),
            vec![],
            src,
        );
    } else {
        c.ok(RuleId::MissingCoordinator);
    }
}

/// `missing-contact-person`: a council has one; a group has its council's.
fn missing_contact_person(c: &mut Checker) {
    let g = c.g;
    let council = g.kind == OrgKind::Samordningsrad;
    // missing-contact-person; a group has its council's contact person.
    let contacts: Vec<String> = c
        .with_role(MembershipRole::Kontaktperson)
        .iter()
        .map(|m| m.name.clone())
        .collect();
    let src = c.source(&["kontaktperson"]);
    if council && contacts.is_empty() {
        c.finding(
            RuleId::MissingContactPerson,
            Severity::Error,
            text!("rule-council-no-contact"),
            vec![],
            src,
        );
    } else if !council {
        match &g.parent_contacts {
            Some(parent)
                if !contacts.is_empty() && contacts.iter().any(|x| !parent.contains(x)) =>
            {
                c.finding(
                    RuleId::MissingContactPerson,
                    Severity::Warning,
                    text!("rule-contact-differs"),
                    contacts
                        .iter()
                        .chain(parent.iter())
                        .map(Text::plain)
                        .collect(),
                    src,
                )
            }
            Some(parent) if contacts.is_empty() && parent.is_empty() => c.finding(
                RuleId::MissingContactPerson,
                Severity::Error,
                text!("rule-no-contact"),
                vec![],
                src,
            ),
            None if contacts.is_empty() => {
                c.cannot(RuleId::MissingContactPerson, text!("cannot-no-council"))
            }
            _ => c.ok(RuleId::MissingContactPerson),
        }
    } else {
        c.ok(RuleId::MissingContactPerson);
    }
}

/// `chair-contact-same-administration` (warn): they come from different administrations.
fn chair_contact_same_administration(c: &mut Checker) {
    // chair-contact-same-administration (warn)
    let chairs_adm: Vec<&String> = c
        .with_role(MembershipRole::Ordforande)
        .iter()
        .filter_map(|m| m.administration.as_ref())
        .collect();
    let contact_adm: Vec<(&String, &String)> = c
        .with_role(MembershipRole::Kontaktperson)
        .iter()
        .filter_map(|m| Some((&m.name, m.administration.as_ref()?)))
        .collect();
    let clash: Vec<Text> = contact_adm
        .iter()
        .filter(|(_, a)| chairs_adm.contains(a))
        .map(|(n, a)| Text::plain(format!("{n} ({a})")))
        .collect();
    if chairs_adm.is_empty() || contact_adm.is_empty() {
        c.cannot(
            RuleId::ChairContactSameAdministration,
            text!("cannot-no-administration"),
        );
    } else if !clash.is_empty() {
        let src = c.source(&["huvudprincip", "olika förvaltningar"]);
        c.finding(
            RuleId::ChairContactSameAdministration,
            Severity::Warning,
            text!("rule-chair-contact-same"),
            clash,
            src,
        );
    } else {
        c.ok(RuleId::ChairContactSameAdministration);
    }
}

/// `member-not-appointed`: every member is appointed by the head of the administration they represent.
fn member_not_appointed(c: &mut Checker) {
    // member-not-appointed
    let unappointed: Vec<Text> = c
        .with_role(MembershipRole::Deltagare)
        .iter()
        .filter(|m| {
            m.appointed_by
                .as_deref()
                .is_none_or(|a| !a.to_lowercase().contains("förvaltningschef"))
                || m.administration.is_none()
        })
        .map(|m| Text::plain(&m.name))
        .collect();
    let src = c.source(&["förvaltningschef", "ut"]);
    c.finding_unless_none(
        RuleId::MemberNotAppointed,
        Severity::Error,
        text!("rule-member-not-appointed"),
        unappointed,
        src,
    );
}

/// `adjunct-limit` (warn): a limited number of adjuncts.
fn adjunct_limit(c: &mut Checker) {
    let g = c.g;
    // adjunct-limit (warn)
    let adjuncts: Vec<Text> = c
        .with_role(MembershipRole::Adjungerad)
        .iter()
        .map(|m| Text::plain(&m.name))
        .collect();
    if adjuncts.len() > g.adjunct_limit {
        let src = c.source(&["adjungera"]);
        c.finding(
            RuleId::AdjunctLimit,
            Severity::Warning,
            text!("rule-adjuncts", "count" => adjuncts.len(), "limit" => g.adjunct_limit),
            adjuncts,
            src,
        );
    } else {
        c.ok(RuleId::AdjunctLimit);
    }
}
