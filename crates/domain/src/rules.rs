//! The rules catalogue of PRODUCT.md, as checks on a group's data. Every finding
//! carries the rule id, a severity, a message a coordinator understands (as a
//! [`Text`]: its words are in the UI's message files, ids `rule-…`, `evidence-…`,
//! `cannot-…`), the evidence, and — where the rule comes from the charter — the
//! charter version, section and the sentence quoted. A rule whose data is missing says so
//! (`CannotCheck`) instead of passing silently.

use chrono::NaiveDate;
use serde::Serialize;

use crate::decisions::{self, Basis, DecisionFacts, EscalationFacts, Target, Topic};
use crate::meetings::{MeetingKind, MinutesStatus};
use crate::message::Text;
use crate::parse::{Block, ParsedCharter};
use crate::policy::MembershipRole;
use crate::text;
use crate::OrgKind;

/// Every rule id of PRODUCT.md, in its order.
pub const RULE_IDS: [&str; 17] = [
    "no-charter",
    "charter-undecided",
    "missing-chair",
    "missing-coordinator",
    "missing-contact-person",
    "chair-contact-same-administration",
    "member-not-appointed",
    "adjunct-limit",
    "meeting-frequency",
    "minutes-missing",
    "minutes-unapproved",
    "minutes-unpublished",
    "group-info-unpublished",
    "decision-outside-mandate",
    "escalation-route",
    "decision-not-communicated",
    "charter-distribution",
];

/// Rules that need decisions and charter distribution, which the register records
/// only from a later issue on; until then their facts are `None` and they say so.
pub const NOT_YET_CHECKABLE: [&str; 4] = [
    "decision-outside-mandate",
    "escalation-route",
    "decision-not-communicated",
    "charter-distribution",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// Where in the charter a rule comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    /// Which charter version: its title, version and decision.
    pub charter: Text,
    pub section: Option<String>,
    pub quote: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
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
    Ok { rule: &'static str },
    Finding(Finding),
    CannotCheck { rule: &'static str, reason: Text },
}

impl Outcome {
    pub fn rule(&self) -> &'static str {
        match self {
            Outcome::Ok { rule } | Outcome::CannotCheck { rule, .. } => rule,
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

pub(crate) fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        cur.push(c);
        let end =
            matches!(c, '.' | '!' | '?') && chars.get(i + 1).is_none_or(|n| n.is_whitespace());
        if end || c == '\n' {
            let s = cur.trim().to_string();
            if !s.is_empty() {
                out.push(s);
            }
            cur.clear();
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// Every paragraph and list item of a charter with its section heading, then the
/// preamble (no heading).
pub(crate) fn charter_texts(doc: &ParsedCharter) -> Vec<(Option<&str>, &str)> {
    let mut out = Vec::new();
    for s in &doc.sections {
        for b in &s.blocks {
            match b {
                Block::Paragraph { text } => out.push((Some(s.heading.as_str()), text.as_str())),
                Block::List { items } => {
                    out.extend(items.iter().map(|i| (Some(s.heading.as_str()), i.as_str())))
                }
            }
        }
    }
    out.extend(doc.preamble.iter().map(|p| (None, p.as_str())));
    out
}

/// The first sentence of the charter containing all `words` (case-insensitive).
pub fn quote(label: &Text, doc: &ParsedCharter, words: &[&str]) -> Option<Source> {
    let hit = |t: &str| {
        let l = t.to_lowercase();
        words.iter().all(|w| l.contains(&w.to_lowercase()))
    };
    charter_texts(doc).into_iter().find_map(|(section, text)| {
        sentences(text)
            .into_iter()
            .find(|x| hit(x))
            .map(|q| Source {
                charter: label.clone(),
                section: section.map(str::to_string),
                quote: q,
            })
    })
}

struct Checker<'a> {
    g: &'a GroupFacts,
    today: NaiveDate,
    out: Vec<Outcome>,
}

impl Checker<'_> {
    fn charter(&self) -> Option<(&Text, &ParsedCharter)> {
        self.g
            .charter_in_force
            .as_ref()
            .or(self.g.undecided.as_ref())
            .map(|(l, d)| (l, d))
    }

    fn source(&self, words: &[&str]) -> Option<Source> {
        self.charter().and_then(|(l, d)| quote(l, d, words))
    }

    fn excepted(&self, rule: &str) -> bool {
        self.g
            .exceptions
            .iter()
            .any(|e| e.rule == rule && e.valid_until >= self.today)
    }

    fn finding(
        &mut self,
        rule: &'static str,
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
    fn finding_unless_none(
        &mut self,
        rule: &'static str,
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

    fn ok(&mut self, rule: &'static str) {
        self.out.push(Outcome::Ok { rule });
    }

    fn cannot(&mut self, rule: &'static str, reason: Text) {
        self.out.push(Outcome::CannotCheck { rule, reason });
    }

    fn with_role(&self, role: MembershipRole) -> Vec<&MemberFacts> {
        self.g.members.iter().filter(|m| m.role == role).collect()
    }
}

/// Checks one group against every rule of the catalogue.
pub fn check(g: &GroupFacts, today: NaiveDate) -> Vec<Outcome> {
    let mut c = Checker {
        g,
        today,
        out: Vec::new(),
    };
    let council = g.kind == OrgKind::Samordningsrad;

    // no-charter
    if g.charter_in_force.is_none() && g.undecided.is_none() && g.active {
        c.finding(
            "no-charter",
            Severity::Error,
            text!("rule-no-charter", "name" => &g.name),
            vec![Text::plain(&g.name)],
            None,
        );
    } else {
        c.ok("no-charter");
    }

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
                "charter-undecided",
                Severity::Error,
                text!("rule-charter-undecided"),
                vec![label.clone()],
                source,
            );
        }
        (Some(_), Some((label, _))) => c.finding(
            "charter-undecided",
            Severity::Info,
            text!("rule-charter-undecided-revision", "label" => label.clone()),
            vec![label.clone()],
            None,
        ),
        _ => c.ok("charter-undecided"),
    }

    if g.members.is_empty() {
        for rule in [
            "missing-chair",
            "missing-coordinator",
            "missing-contact-person",
            "chair-contact-same-administration",
            "member-not-appointed",
            "adjunct-limit",
        ] {
            c.cannot(rule, text!("cannot-no-members"));
        }
    } else {
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
                    "missing-chair",
                    Severity::Warning,
                    text!("rule-chair-appointed-by", "by" => by, "body" => body),
                    vec![Text::plain(name)],
                    src,
                ),
                None => c.ok("missing-chair"),
            },
            0 => c.finding(
                "missing-chair",
                Severity::Error,
                text!("rule-no-chair"),
                vec![],
                src,
            ),
            n => c.finding(
                "missing-chair",
                Severity::Error,
                text!("rule-chairs", "count" => n),
                chairs.iter().map(|m| Text::plain(&m.name)).collect(),
                src,
            ),
        }
        // missing-coordinator
        let src = c.source(&["koordinat"]);
        if c.with_role(MembershipRole::Koordinator).is_empty() {
            c.finding(
                "missing-coordinator",
                Severity::Error,
                text!("rule-no-coordinator"),
                vec![],
                src,
            );
        } else {
            c.ok("missing-coordinator");
        }
        // missing-contact-person; a group has its council's contact person.
        let contacts: Vec<String> = c
            .with_role(MembershipRole::Kontaktperson)
            .iter()
            .map(|m| m.name.clone())
            .collect();
        let src = c.source(&["kontaktperson"]);
        if council && contacts.is_empty() {
            c.finding(
                "missing-contact-person",
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
                        "missing-contact-person",
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
                    "missing-contact-person",
                    Severity::Error,
                    text!("rule-no-contact"),
                    vec![],
                    src,
                ),
                None if contacts.is_empty() => {
                    c.cannot("missing-contact-person", text!("cannot-no-council"))
                }
                _ => c.ok("missing-contact-person"),
            }
        } else {
            c.ok("missing-contact-person");
        }
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
                "chair-contact-same-administration",
                text!("cannot-no-administration"),
            );
        } else if !clash.is_empty() {
            let src = c.source(&["huvudprincip", "olika förvaltningar"]);
            c.finding(
                "chair-contact-same-administration",
                Severity::Warning,
                text!("rule-chair-contact-same"),
                clash,
                src,
            );
        } else {
            c.ok("chair-contact-same-administration");
        }
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
            "member-not-appointed",
            Severity::Error,
            text!("rule-member-not-appointed"),
            unappointed,
            src,
        );
        // adjunct-limit (warn)
        let adjuncts: Vec<Text> = c
            .with_role(MembershipRole::Adjungerad)
            .iter()
            .map(|m| Text::plain(&m.name))
            .collect();
        if adjuncts.len() > g.adjunct_limit {
            let src = c.source(&["adjungera"]);
            c.finding(
                "adjunct-limit",
                Severity::Warning,
                text!("rule-adjuncts", "count" => adjuncts.len(), "limit" => g.adjunct_limit),
                adjuncts,
                src,
            );
        } else {
            c.ok("adjunct-limit");
        }
    }

    // meeting-frequency: ordinary meetings in the last full calendar year under the
    // charter in force; before a full year has passed under it, only too many
    // meetings this year can be told.
    meeting_frequency(&mut c);

    // minutes-missing, minutes-unapproved, minutes-unpublished
    let held: Vec<&MeetingFacts> = g
        .meetings
        .iter()
        .filter(|m| m.kind == MeetingKind::Ordinary && !m.cancelled && m.date < today)
        .collect();
    let src = c
        .source(&["mötesanteckningar"])
        .or_else(|| c.source(&["anteckningar"]));
    // An error where the group's own charter requires minutes (the neonatal group's
    // does); elsewhere the region's practice, a warning.
    let minutes_severity = if src.is_some() {
        Severity::Error
    } else {
        Severity::Warning
    };
    let missing: Vec<Text> = held
        .iter()
        .filter(|m| m.minutes.is_none())
        .map(|m| m.label.clone())
        .collect();
    c.finding_unless_none(
        "minutes-missing",
        minutes_severity,
        text!("rule-minutes-missing", "count" => missing.len()),
        missing,
        src.clone(),
    );
    let late: Vec<Text> = held
        .iter()
        .filter(|m| {
            m.minutes.is_some_and(|s| !s.is_approved())
                && (today - m.date).num_days() > g.approve_days
        })
        .map(|m| m.label.clone())
        .collect();
    c.finding_unless_none(
        "minutes-unapproved",
        minutes_severity,
        text!("rule-minutes-unapproved", "days" => g.approve_days),
        late,
        src.clone(),
    );
    let unpublished: Vec<Text> = held
        .iter()
        .filter(|m| m.minutes == Some(MinutesStatus::Approved))
        .map(|m| m.label.clone())
        .collect();
    c.finding_unless_none(
        "minutes-unpublished",
        Severity::Warning,
        text!("rule-minutes-unpublished"),
        unpublished,
        c.source(&["publiceras"]),
    );

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
            "group-info-unpublished",
            Severity::Warning,
            text!("rule-group-info-unpublished"),
            what,
            c.source(&["information om gruppen"]),
        );
    } else {
        c.ok("group-info-unpublished");
    }

    decision_rules(&mut c);
    c.out
}

fn meeting_frequency(c: &mut Checker) {
    use chrono::Datelike;
    let g = c.g;
    let Some((_, doc)) = &g.charter_in_force else {
        c.cannot("meeting-frequency", text!("cannot-no-charter-in-force"));
        return;
    };
    let Some(f) = doc.meeting_frequency.clone() else {
        c.cannot("meeting-frequency", text!("cannot-no-frequency"));
        return;
    };
    let count = |year: i32| {
        g.meetings
            .iter()
            .filter(|m| m.kind == MeetingKind::Ordinary && !m.cancelled && m.date.year() == year)
            .count() as u32
    };
    let range = format!(
        "{}–{}",
        f.min.unwrap_or(0),
        f.max.map(|m| m.to_string()).unwrap_or_else(|| "∞".into())
    );
    let year = c.today.year() - 1;
    let whole_year = doc
        .decision
        .date
        .is_none_or(|d| NaiveDate::from_ymd_opt(year, 1, 1).is_some_and(|jan1| d <= jan1));
    let src = c.source(&["mötesfrekvens"]);
    if whole_year {
        let n = count(year);
        if crate::meetings::frequency_outside(n, f.min, f.max) {
            c.finding(
                "meeting-frequency",
                Severity::Error,
                text!("rule-meeting-frequency", "count" => n, "year" => year, "range" => range),
                vec![text!("evidence-meetings-in-year", "year" => year, "count" => n)],
                src,
            );
        } else {
            c.ok("meeting-frequency");
        }
        return;
    }
    let this_year = c.today.year();
    let n = count(this_year);
    if f.max.is_some_and(|max| n > max) {
        c.finding(
            "meeting-frequency",
            Severity::Error,
            text!("rule-meeting-frequency-this-year", "count" => n, "year" => this_year, "range" => range),
            vec![text!("evidence-meetings-in-year", "year" => this_year, "count" => n)],
            src,
        );
    } else {
        let why = match doc.decision.date {
            Some(d) => text!("cannot-frequency-not-a-year-since", "date" => d.to_string()),
            None => text!("cannot-frequency-not-a-year"),
        };
        c.cannot("meeting-frequency", why);
    }
}

/// Says a rule cannot be checked yet because the register does not hold its facts.
fn not_recorded() -> Text {
    text!("cannot-not-recorded")
}

/// `decision-outside-mandate`, `escalation-route`, `decision-not-communicated` and
/// `charter-distribution`.
fn decision_rules(c: &mut Checker) {
    let g = c.g;
    // decision-outside-mandate: every decision rests on the members' mandates in the
    // administrations it binds, or on the chair's mandate for regional routines.
    match &g.decisions {
        None => c.cannot("decision-outside-mandate", not_recorded()),
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
                "decision-outside-mandate",
                Severity::Error,
                text!("rule-decision-outside-mandate"),
                evidence,
                src,
            );
        }
    }

    // escalation-route: questions go where the charters send them.
    let via_council = g.kind == OrgKind::Samordningsgrupp && g.parent.is_some();
    match (&g.decisions, &g.escalations) {
        (None, None) => c.cannot("escalation-route", not_recorded()),
        (decisions, escalations) => {
            let mut evidence = Vec::new();
            let mut words: Option<&[&str]> = None;
            for d in decisions.iter().flatten() {
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
                "escalation-route",
                Severity::Warning,
                text!("rule-escalation-route"),
                evidence,
                src,
            );
        }
    }

    // decision-not-communicated: the bodies the charter names are told of every decision.
    match (&g.decisions, c.charter()) {
        (None, _) => c.cannot("decision-not-communicated", not_recorded()),
        (Some(_), None) => c.cannot(
            "decision-not-communicated",
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
                "decision-not-communicated",
                Severity::Error,
                text!("rule-decision-not-communicated"),
                evidence,
                src,
            );
        }
    }

    // charter-distribution: a decided charter is sent to its distribution list.
    match (&g.charter_in_force, &g.charter_sent_to) {
        (None, _) => c.ok("charter-distribution"),
        (Some(_), None) => c.cannot("charter-distribution", not_recorded()),
        (Some((label, doc)), Some(sent)) => {
            let to = decisions::distribution_recipients(doc);
            if to.is_empty() {
                c.cannot("charter-distribution", text!("cannot-no-distribution"));
                return;
            }
            let missing: Vec<String> = to.into_iter().filter(|e| !sent.contains(e)).collect();
            let source = Source {
                charter: label.clone(),
                section: Some("Uppdraget skickas till".into()),
                quote: missing.join("; "),
            };
            c.finding_unless_none(
                "charter-distribution",
                Severity::Error,
                text!("rule-charter-distribution"),
                missing.into_iter().map(Text::plain).collect(),
                Some(source),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Arg;

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
                "Ordförande samordningsråd för genomförande och vidarebefordran till gruppen"
                    .into(),
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
            "Samordningsråd antestesi, operation, intensivvård".into(),
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
        findings(g).into_iter().find(|f| f.rule == rule)
    }

    #[test]
    fn a_group_in_order_has_no_findings() {
        assert_eq!(findings(&good()), vec![]);
        assert_eq!(findings(&neonatal()), vec![]);
        let outcomes = check(&good(), d("2026-11-22"));
        assert_eq!(outcomes.len(), RULE_IDS.len(), "one outcome per rule");
        for (o, id) in outcomes.iter().map(|o| o.rule()).zip(RULE_IDS) {
            assert!(RULE_IDS.contains(&o), "{o} {id}");
        }
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
        let cannot: Vec<&str> = outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::CannotCheck { .. }))
            .map(|o| o.rule())
            .collect();
        for rule in ["missing-chair", "missing-coordinator", "adjunct-limit"] {
            assert!(cannot.contains(&rule), "{rule}");
        }
        for rule in NOT_YET_CHECKABLE {
            assert!(!cannot.contains(&rule), "{rule} has its facts");
        }
        let mut g = good();
        g.decisions = None;
        g.escalations = None;
        g.charter_sent_to = None;
        let outcomes = check(&g, d("2026-11-22"));
        for rule in NOT_YET_CHECKABLE {
            assert!(
                outcomes.iter().any(|o| matches!(o, Outcome::CannotCheck { rule: r, reason } if *r == rule && reason.message_id() == Some("cannot-not-recorded"))),
                "{rule} cannot be checked yet"
            );
        }
        let mut g = good();
        g.charter_in_force = None;
        assert!(check(&g, d("2026-11-22")).iter().any(|o| matches!(
            o,
            Outcome::CannotCheck {
                rule: "meeting-frequency",
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
            .find(|o| o.rule() == "meeting-frequency")
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
        assert!(
            quote_of(&f).starts_with("Övergripande frågor som rör organisation och arbetsvillkor")
        );

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
        assert!(quote_of(&f)
            .starts_with("Frågor från samordningsgruppen går via ordförande i SOR barn"));
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
            flat(&f.evidence[0]).ends_with("Samordningsråd antestesi, operation, intensivvård"),
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
}
