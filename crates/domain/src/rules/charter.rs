//! Rules on the charter itself: `no-charter`, `charter-undecided`,
//! `group-info-unpublished`.

use super::{quote, Checker, RuleId, Severity, Source};
use crate::message::Text;
use crate::text;

/// `no-charter`: every active council and group has a charter on file.
pub(super) fn no_charter(c: &mut Checker) {
    let g = c.g;
    // no-charter
    if g.charter_in_force.is_none() && g.undecided.is_none() && g.active {
        c.finding(
            RuleId::NoCharter,
            Severity::Error,
            text!("rule-no-charter", "name" => &g.name),
            vec![Text::plain(&g.name)],
            None,
        );
    } else {
        c.ok(RuleId::NoCharter);
    }
}

/// `charter-undecided`: a charter without a decision date is not in force.
pub(super) fn charter_undecided(c: &mut Checker) {
    let g = c.g;
    // charter-undecided
    match (&g.charter_in_force, &g.undecided) {
        (None, Some((label, doc))) => {
            let source = quote(label, doc, &["ifylls"]).or_else(|| {
                Some(Source {
                    charter: label.clone(),
                    section: None,
                    quote: "Datum för beslut: (ifylls av beslutsfattaren vid godkännande)".into(),
                })
            });
            c.finding(
                RuleId::CharterUndecided,
                Severity::Error,
                text!("rule-charter-undecided"),
                vec![label.clone()],
                source,
            );
        }
        (Some(_), Some((label, _))) => c.finding(
            RuleId::CharterUndecided,
            Severity::Info,
            text!("rule-charter-undecided-revision", "label" => label.clone()),
            vec![label.clone()],
            None,
        ),
        _ => c.ok(RuleId::CharterUndecided),
    }
}

/// `group-info-unpublished`: the group, its members and its charter are on the
/// intranet.
pub(super) fn group_info_unpublished(c: &mut Checker) {
    let g = c.g;
    // group-info-unpublished: the group, its members and its charter on the intranet.
    if g.charter_in_force.is_none() || g.members.is_empty() {
        let mut what = Vec::new();
        if g.charter_in_force.is_none() {
            what.push(text!("evidence-no-charter-in-force"));
        }
        if g.members.is_empty() {
            what.push(text!("evidence-no-members"));
        }
        c.finding(
            RuleId::GroupInfoUnpublished,
            Severity::Warning,
            text!("rule-group-info-unpublished"),
            what,
            c.source(&["information om gruppen"]),
        );
    } else {
        c.ok(RuleId::GroupInfoUnpublished);
    }
}
