//! Decisions in the portal: the decision log of a group and of the region, one
//! decision with its anchoring and who was told, recording a decision in the
//! minutes, and escalating a question where the charter sends it.
//!
//! A decision is the group's until its minutes are published; before that only
//! those who may read the group's internal records see it (`ReadGroupInternal`).

pub mod api;
mod escalate;
mod log;
mod record;

pub(crate) use escalate::{contact_person, target_body};
pub use escalate::{escalate_form, escalate_save};
pub use log::{anchor, group_log, region_log, resend, show};
pub use record::{record_form, record_save};

use samordna_domain::decisions::{Basis, Target, Topic};
use samordna_store::Decision;

use crate::i18n::Tr;
use crate::view::OrgLink;

/// A decision as a line of a log.
pub struct DecisionRow {
    pub href: String,
    pub group: OrgLink,
    pub label: String,
    pub text: String,
    pub basis: String,
    pub topic: String,
    /// "Förankrat i 1 av 2 förvaltningar", or empty for other bases.
    pub anchoring: String,
    pub escalated: bool,
    /// Not yet published: shown only inside the group, marked as such.
    pub unpublished: bool,
}

impl DecisionRow {
    pub fn new(t: &Tr, d: &Decision, group: OrgLink) -> DecisionRow {
        DecisionRow {
            href: format!("/grupper/{}/beslut/{}", group.slug, d.id),
            label: d.label(),
            text: d.text.clone(),
            basis: basis_label(t, d.basis),
            topic: topic_label(t, d.topic),
            anchoring: anchoring_label(t, d),
            escalated: d.escalations > 0,
            unpublished: !d.published,
            group,
        }
    }
}

pub fn basis_label(t: &Tr, b: Basis) -> String {
    t.t(&b.message_id())
}

pub fn topic_label(t: &Tr, topic: Topic) -> String {
    t.text(&topic.describe())
}

pub fn target_label(t: &Tr, target: Target) -> String {
    t.text(&target.describe())
}

/// How far the administrations a decision binds have anchored it and held union
/// consultation ("Förankrat i 1 av 2 förvaltningar; facklig samverkan i 0 av 2").
pub fn anchoring_label(t: &Tr, d: &Decision) -> String {
    if d.binds.is_empty() {
        return String::new();
    }
    if d.fully_anchored() {
        return t.t("anchoring-done");
    }
    let anchored = d.binds.iter().filter(|a| a.anchored_on.is_some()).count();
    let union = d
        .binds
        .iter()
        .filter(|a| a.union_consulted_on.is_some())
        .count();
    t.args(
        "anchoring-partly",
        &[
            ("done", crate::i18n::Arg::Num(anchored as i64)),
            ("union", crate::i18n::Arg::Num(union as i64)),
            ("count", crate::i18n::Arg::Num(d.binds.len() as i64)),
        ],
    )
}
