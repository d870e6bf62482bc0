//! The rules catalogue of PRODUCT.md, as checks on a group's data: [`RuleId`]
//! names every rule; each rule is one function, in a file by what it looks at —
//! `charter.rs` (no-charter, charter-undecided, group-info-unpublished),
//! `members.rs` (missing-chair … adjunct-limit), `meetings.rs` (meeting-frequency,
//! minutes-*), `decisions.rs` (decision-outside-mandate, escalation-route,
//! decision-not-communicated, charter-distribution). [`check`] runs them in the
//! catalogue's order.
//!
//! Every finding carries the rule id, a severity, a message a coordinator understands (as a
//! [`Text`]: its words are in the UI's message files, ids `rule-…`, `evidence-…`,
//! `cannot-…`), the evidence, and — where the rule comes from the charter — the
//! charter version, section and the sentence quoted. A rule whose data is missing says so
//! (`CannotCheck`) instead of passing silently.

use chrono::NaiveDate;
use serde::Serialize;

use crate::decisions::{DecisionFacts, EscalationFacts};
use crate::meetings::{MeetingKind, MinutesStatus};
use crate::message::Text;
use crate::parse::ParsedCharter;
use crate::policy::MembershipRole;
pub use crate::quotes::{quote, Source};
use crate::OrgKind;

mod charter;
mod decisions;
mod meetings;
mod members;
#[cfg(test)]
mod tests;

/// Every rule of PRODUCT.md's catalogue, by its stable id (`as_str`, and as
/// serialised: `"no-charter"` …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleId {
    NoCharter,
    CharterUndecided,
    MissingChair,
    MissingCoordinator,
    MissingContactPerson,
    ChairContactSameAdministration,
    MemberNotAppointed,
    AdjunctLimit,
    MeetingFrequency,
    MinutesMissing,
    MinutesUnapproved,
    MinutesUnpublished,
    GroupInfoUnpublished,
    DecisionOutsideMandate,
    EscalationRoute,
    DecisionNotCommunicated,
    CharterDistribution,
}

/// Where in the register the fact a rule looks at is put right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixedAt {
    /// The group's members.
    Members,
    /// The group's meetings and minutes.
    Meetings,
    /// The group's charter versions.
    Charters,
    /// The group itself (its publication and settings).
    Group,
    /// The group's decision log: each decision's basis, escalations and notices.
    Decisions,
}

impl RuleId {
    /// Every rule, in the catalogue's order.
    pub const ALL: [RuleId; 17] = [
        RuleId::NoCharter,
        RuleId::CharterUndecided,
        RuleId::MissingChair,
        RuleId::MissingCoordinator,
        RuleId::MissingContactPerson,
        RuleId::ChairContactSameAdministration,
        RuleId::MemberNotAppointed,
        RuleId::AdjunctLimit,
        RuleId::MeetingFrequency,
        RuleId::MinutesMissing,
        RuleId::MinutesUnapproved,
        RuleId::MinutesUnpublished,
        RuleId::GroupInfoUnpublished,
        RuleId::DecisionOutsideMandate,
        RuleId::EscalationRoute,
        RuleId::DecisionNotCommunicated,
        RuleId::CharterDistribution,
    ];

    /// The stable id, as PRODUCT.md writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::NoCharter => "no-charter",
            RuleId::CharterUndecided => "charter-undecided",
            RuleId::MissingChair => "missing-chair",
            RuleId::MissingCoordinator => "missing-coordinator",
            RuleId::MissingContactPerson => "missing-contact-person",
            RuleId::ChairContactSameAdministration => "chair-contact-same-administration",
            RuleId::MemberNotAppointed => "member-not-appointed",
            RuleId::AdjunctLimit => "adjunct-limit",
            RuleId::MeetingFrequency => "meeting-frequency",
            RuleId::MinutesMissing => "minutes-missing",
            RuleId::MinutesUnapproved => "minutes-unapproved",
            RuleId::MinutesUnpublished => "minutes-unpublished",
            RuleId::GroupInfoUnpublished => "group-info-unpublished",
            RuleId::DecisionOutsideMandate => "decision-outside-mandate",
            RuleId::EscalationRoute => "escalation-route",
            RuleId::DecisionNotCommunicated => "decision-not-communicated",
            RuleId::CharterDistribution => "charter-distribution",
        }
    }

    /// Where a finding of this rule is fixed.
    pub fn fixed_at(self) -> FixedAt {
        match self {
            RuleId::MissingChair
            | RuleId::MissingCoordinator
            | RuleId::MissingContactPerson
            | RuleId::ChairContactSameAdministration
            | RuleId::MemberNotAppointed
            | RuleId::AdjunctLimit => FixedAt::Members,
            RuleId::MeetingFrequency
            | RuleId::MinutesMissing
            | RuleId::MinutesUnapproved
            | RuleId::MinutesUnpublished => FixedAt::Meetings,
            RuleId::NoCharter | RuleId::CharterUndecided | RuleId::CharterDistribution => {
                FixedAt::Charters
            }
            RuleId::GroupInfoUnpublished => FixedAt::Group,
            RuleId::DecisionOutsideMandate
            | RuleId::EscalationRoute
            | RuleId::DecisionNotCommunicated => FixedAt::Decisions,
        }
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for RuleId {
    type Err = String;

    /// A rule by its id; an unknown id names the known ones.
    fn from_str(s: &str) -> Result<RuleId, String> {
        RuleId::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                let all: Vec<&str> = RuleId::ALL.iter().map(|r| r.as_str()).collect();
                format!("okänd regel {s:?}; reglerna är {}", all.join(", "))
            })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: RuleId,
    pub severity: Severity,
    pub group: String,
    pub message: Text,
    /// What the finding is about: names of people, meetings, decisions.
    pub evidence: Vec<Text>,
    pub source: Option<Source>,
}

/// The result of one rule for one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Outcome {
    Ok { rule: RuleId },
    Finding(Finding),
    CannotCheck { rule: RuleId, reason: Text },
}

impl Outcome {
    pub fn rule(&self) -> RuleId {
        match self {
            Outcome::Ok { rule } | Outcome::CannotCheck { rule, .. } => *rule,
            Outcome::Finding(f) => f.rule,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct MemberFacts {
    pub name: String,
    pub role: MembershipRole,
    pub administration: Option<String>,
    pub appointed_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MeetingFacts {
    /// How the meeting is named in evidence ("möte 2026-03-02").
    pub label: Text,
    pub kind: MeetingKind,
    pub date: NaiveDate,
    pub cancelled: bool,
    /// The latest version's status, if there are minutes.
    pub minutes: Option<MinutesStatus>,
}

/// An agreed exception: clears a rule's finding until it expires.
#[derive(Debug, Clone, PartialEq)]
pub struct Exception {
    pub rule: String,
    pub valid_until: NaiveDate,
    pub reason: String,
}

/// The region's defaults for the settings a group may override.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegionDefaults {
    /// Days after a meeting within which minutes should be approved.
    pub minutes_overdue_days: i64,
    /// The most adjuncts a group should have before `adjunct-limit` warns.
    pub adjunct_limit: usize,
}

impl Default for RegionDefaults {
    fn default() -> Self {
        RegionDefaults {
            minutes_overdue_days: 14,
            adjunct_limit: 3,
        }
    }
}

/// What the rules look at for one group.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupFacts {
    pub slug: String,
    pub name: String,
    pub kind: OrgKind,
    pub active: bool,
    /// The charter in force: its label (title, version, decision) and content.
    pub charter_in_force: Option<(Text, ParsedCharter)>,
    /// The latest undecided version, if any.
    pub undecided: Option<(Text, ParsedCharter)>,
    pub members: Vec<MemberFacts>,
    /// The contact persons of the council this group reports to.
    pub parent_contacts: Option<Vec<String>>,
    /// The name of the group this one reports to.
    pub parent: Option<String>,
    pub meetings: Vec<MeetingFacts>,
    pub exceptions: Vec<Exception>,
    /// Days within which minutes are to be approved.
    pub approve_days: i64,
    /// The most adjuncts the group should have.
    pub adjunct_limit: usize,
    /// The group's decisions; `None` while the register does not record them.
    pub decisions: Option<Vec<DecisionFacts>>,
    /// The questions it took elsewhere; `None` while the register does not record them.
    pub escalations: Option<Vec<EscalationFacts>>,
    /// To whom the charter in force was sent (entries of its distribution list);
    /// `None` while the register does not record it.
    pub charter_sent_to: Option<Vec<String>>,
}

pub(crate) struct Checker<'a> {
    pub(crate) g: &'a GroupFacts,
    pub(crate) today: NaiveDate,
    out: Vec<Outcome>,
}

impl Checker<'_> {
    pub(crate) fn charter(&self) -> Option<(&Text, &ParsedCharter)> {
        self.g
            .charter_in_force
            .as_ref()
            .or(self.g.undecided.as_ref())
            .map(|(l, d)| (l, d))
    }

    pub(crate) fn source(&self, words: &[&str]) -> Option<Source> {
        self.charter().and_then(|(l, d)| quote(l, d, words))
    }

    pub(crate) fn excepted(&self, rule: RuleId) -> bool {
        self.g
            .exceptions
            .iter()
            .any(|e| e.rule == rule.as_str() && e.valid_until >= self.today)
    }

    pub(crate) fn finding(
        &mut self,
        rule: RuleId,
        severity: Severity,
        message: Text,
        evidence: Vec<Text>,
        source: Option<Source>,
    ) {
        if self.excepted(rule) {
            self.out.push(Outcome::Ok { rule });
        } else {
            self.out.push(Outcome::Finding(Finding {
                rule,
                severity,
                group: self.g.slug.clone(),
                message,
                evidence,
                source,
            }));
        }
    }

    /// A finding when `evidence` names something, otherwise `Ok`.
    pub(crate) fn finding_unless_none(
        &mut self,
        rule: RuleId,
        severity: Severity,
        message: Text,
        evidence: Vec<Text>,
        source: Option<Source>,
    ) {
        if evidence.is_empty() {
            self.ok(rule);
        } else {
            self.finding(rule, severity, message, evidence, source);
        }
    }

    pub(crate) fn ok(&mut self, rule: RuleId) {
        self.out.push(Outcome::Ok { rule });
    }

    pub(crate) fn cannot(&mut self, rule: RuleId, reason: Text) {
        self.out.push(Outcome::CannotCheck { rule, reason });
    }

    pub(crate) fn with_role(&self, role: MembershipRole) -> Vec<&MemberFacts> {
        self.g.members.iter().filter(|m| m.role == role).collect()
    }
}

/// Checks one group against every rule of the catalogue.
/// Checks one group against every rule of the catalogue, in its order.
pub fn check(g: &GroupFacts, today: NaiveDate) -> Vec<Outcome> {
    let mut c = Checker {
        g,
        today,
        out: Vec::new(),
    };
    charter::no_charter(&mut c);
    charter::charter_undecided(&mut c);
    members::check(&mut c);
    meetings::meeting_frequency(&mut c);
    meetings::minutes_missing(&mut c);
    meetings::minutes_unapproved(&mut c);
    meetings::minutes_unpublished(&mut c);
    charter::group_info_unpublished(&mut c);
    decisions::decision_outside_mandate(&mut c);
    decisions::escalation_route(&mut c);
    decisions::decision_not_communicated(&mut c);
    decisions::charter_distribution(&mut c);
    c.out
}
