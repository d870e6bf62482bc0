//! Decisions, escalations and the distribution of charters: what a decision is
//! about, the mandate it rests on (the charters' "Beslutsfattande"), whom it was
//! communicated to, where an escalated question goes ("Samband och
//! gränsdragning"), and to whom a decided charter was sent.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::matters::str_enum;
use crate::parse::ParsedCharter;
use crate::OrgKind;

/// What a decision or a question is about, as far as the charters route it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// Within the group's own area, where the members' mandates apply.
    OwnArea,
    /// A regional routine: the chair's mandate (SSN 2023-00470) may cover it.
    RegionalRoutine,
    /// Changed working methods and processes in several areas: Klinisk ledning.
    CrossAreaWorkingMethods,
    /// New drugs and medical methods with major organisational or economic
    /// consequences: Program- och prioriteringsrådet (PPR).
    NewDrugOrMethod,
    /// Organisation and working conditions, pay and premises included: the
    /// region-wide groups, not the councils.
    OrganisationAndWorkingConditions,
    /// Support processes: the responsible function.
    SupportProcess,
}

/// Where a question is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// The council the group reports to (via its chair).
    ParentCouncil,
    /// The contact person in ledningsgrupp hälso- och sjukvård.
    ContactPerson,
    /// Within the member's own administration.
    Administration,
    KliniskLedning,
    Ppr,
    /// A region-wide (koncernövergripande) group.
    RegionWideGroup,
    /// The function responsible for a support process.
    ResponsibleFunction,
}

impl Topic {
    /// Where the charters send questions on this topic; `None` for the group's own
    /// area and regional routines, which the group may decide within its mandates.
    pub fn belongs_to(self) -> Option<Target> {
        match self {
            Topic::OwnArea | Topic::RegionalRoutine => None,
            Topic::CrossAreaWorkingMethods => Some(Target::KliniskLedning),
            Topic::NewDrugOrMethod => Some(Target::Ppr),
            Topic::OrganisationAndWorkingConditions => Some(Target::RegionWideGroup),
            Topic::SupportProcess => Some(Target::ResponsibleFunction),
        }
    }

    /// The topic in words (message ids `topic-…`).
    pub fn describe(self) -> crate::message::Text {
        crate::message::Text::id(match self {
            Topic::OwnArea => "topic-own-area",
            Topic::RegionalRoutine => "topic-regional-routine",
            Topic::CrossAreaWorkingMethods => "topic-cross-area-methods",
            Topic::NewDrugOrMethod => "topic-new-drug-or-method",
            Topic::OrganisationAndWorkingConditions => "topic-organisation-and-conditions",
            Topic::SupportProcess => "topic-support-process",
        })
    }

    /// Words of the charter sentence that routes this topic, for the quote.
    pub(crate) fn quote_words(self) -> &'static [&'static str] {
        match self {
            Topic::OwnArea => &["eskaleras"],
            Topic::RegionalRoutine => &["regionala rutiner", "mandat"],
            Topic::CrossAreaWorkingMethods => &["klinisk ledning", "omhänderta"],
            Topic::NewDrugOrMethod => &["PPR", "läkemedel"],
            Topic::OrganisationAndWorkingConditions => &["organisation och arbetsvillkor"],
            Topic::SupportProcess => &["stödprocesser"],
        }
    }
}

impl Target {
    /// Where a question goes, in words (message ids `target-…`).
    pub fn describe(self) -> crate::message::Text {
        crate::message::Text::id(match self {
            Target::ParentCouncil => "target-parent-council",
            Target::ContactPerson => "target-contact-person",
            Target::Administration => "target-administration",
            Target::KliniskLedning => "target-klinisk-ledning",
            Target::Ppr => "target-ppr",
            Target::RegionWideGroup => "target-region-wide-group",
            Target::ResponsibleFunction => "target-responsible-function",
        })
    }
}

/// The mandate a decision rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The mandates the members have in their own administrations: each
    /// administration the decision binds must then decide in line, anchor it
    /// (förankra) and hold union consultation (facklig samverkan) itself.
    MemberMandates,
    /// The chair's mandate for regional routines (SSN 2023-00470).
    ChairMandate,
    /// No mandate holds: the question must be escalated.
    NotStated,
}

str_enum!(Topic {
    OwnArea => "own_area",
    RegionalRoutine => "regional_routine",
    CrossAreaWorkingMethods => "cross_area_methods",
    NewDrugOrMethod => "new_drug_or_method",
    OrganisationAndWorkingConditions => "organisation_and_conditions",
    SupportProcess => "support_process",
});

str_enum!(Target {
    ParentCouncil => "parent_council",
    ContactPerson => "contact_person",
    Administration => "administration",
    KliniskLedning => "klinisk_ledning",
    Ppr => "ppr",
    RegionWideGroup => "region_wide_group",
    ResponsibleFunction => "responsible_function",
});

str_enum!(Basis {
    MemberMandates => "member_mandates",
    ChairMandate => "chair_mandate",
    NotStated => "none",
});

impl Basis {
    /// The basis in words (message ids `basis-…`).
    pub fn message_id(self) -> String {
        format!("basis-{}", self.as_str().replace('_', "-"))
    }
}

/// Where an escalated question is: open until the target answers it, or passes
/// it on (a new escalation from the target, this one marked forwarded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationStatus {
    Open,
    Answered,
    Forwarded,
}

str_enum!(EscalationStatus { Open => "open", Answered => "answered", Forwarded => "forwarded" });

impl EscalationStatus {
    /// The status in words (message ids `escalation-status-…`).
    pub fn message_id(self) -> String {
        format!("escalation-status-{}", self.as_str())
    }
}

/// Where the charters send a question on `topic` from a group of `kind`:
/// a topic that belongs to a body goes there (Klinisk ledning, PPR, the
/// region-wide groups, the responsible function); otherwise a coordination group
/// under a council goes via the council's chair, and a council to its contact
/// person in ledningsgrupp hälso- och sjukvård. This is the route the
/// `escalation-route` rule checks against.
pub fn suggested_target(kind: OrgKind, has_parent_council: bool, topic: Topic) -> Target {
    match topic.belongs_to() {
        Some(owner) => owner,
        None if kind == OrgKind::Samordningsgrupp && has_parent_council => Target::ParentCouncil,
        None => Target::ContactPerson,
    }
}

/// A decision of the group.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionFacts {
    /// How a person finds it, e.g. "beslut 2026-03-04 § 5".
    pub label: String,
    pub date: NaiveDate,
    pub topic: Topic,
    pub basis: Basis,
    /// The administrations the decision binds.
    pub binds: Vec<String>,
    /// The bodies it was communicated to, by their names in the register.
    pub communicated_to: Vec<String>,
    /// The question was escalated from this decision: a decision no mandate
    /// covers, or on a topic that belongs elsewhere, has then gone where it should.
    pub escalated: bool,
}

/// A question the group took elsewhere.
#[derive(Debug, Clone, PartialEq)]
pub struct EscalationFacts {
    pub label: String,
    pub topic: Topic,
    pub target: Target,
}

/// The bodies a charter says its group's decisions must be communicated to: the
/// bodies named in a sentence that says decisions "ska … kommuniceras" or
/// "ska informeras", by their names in the register (from the charter's mentions).
pub fn bodies_to_inform(doc: &ParsedCharter) -> Vec<String> {
    let says_inform = |s: &str| {
        let l = s.to_lowercase();
        l.contains("beslut") && (l.contains("kommuniceras") || l.contains("informeras"))
    };
    let mut out: Vec<String> = Vec::new();
    for (_, text) in crate::quotes::charter_texts(doc) {
        for sentence in crate::quotes::sentences(text) {
            if !says_inform(&sentence) {
                continue;
            }
            for m in &doc.mentions {
                if sentence.contains(&m.written) && !out.contains(&m.name) {
                    out.push(m.name.clone());
                }
            }
        }
    }
    out
}

/// The body that appoints the chair, from the charter's "Ordförande: Utses av …"
/// sentence: the first body named after "utses av", by its name in the register.
pub fn chair_appointer(doc: &ParsedCharter) -> Option<String> {
    for (_, text) in crate::quotes::charter_texts(doc) {
        for sentence in crate::quotes::sentences(text) {
            let lower = sentence.to_lowercase();
            if !lower.contains("ordförande") {
                continue;
            }
            let Some(at) = lower.find("utses av") else {
                continue;
            };
            // Byte offsets of the lower-cased text match the original for these
            // Swedish letters (å, ä, ö keep their length when lower-cased).
            let rest = sentence.get(at..).unwrap_or(&sentence);
            let first = doc
                .mentions
                .iter()
                .filter_map(|m| rest.find(&m.written).map(|pos| (pos, &m.name)))
                .min_by_key(|(pos, _)| *pos);
            if let Some((_, name)) = first {
                return Some(name.clone());
            }
        }
    }
    None
}

/// Whether a free text (such as a membership's "appointed by") names `body`: one of
/// the bodies it mentions is `body`, by name, former name or a near spelling.
pub fn names_body(text: &str, body: &str) -> bool {
    use crate::names;
    let body_key = names::name_key(body);
    let known = names::known_body(body).map(|b| b.name);
    names::same_key(&names::name_key(text), &body_key)
        || names::find_known_bodies(text)
            .iter()
            .any(|(b, _)| Some(b.name) == known || names::name_key(b.name) == body_key)
        || names::find_council_mentions(text)
            .iter()
            .any(|(name, _)| names::same_key(&names::name_key(name), &body_key))
}

/// The entries of a charter's distribution list that must receive it: all but
/// those that only ask for the register of groups to be updated, which the
/// decision itself does in Samordna.
pub fn distribution_recipients(doc: &ParsedCharter) -> Vec<String> {
    doc.distribution
        .iter()
        .filter(|e| !e.to_lowercase().contains("förteckning"))
        .cloned()
        .collect()
}

/// Who an entry of a charter's distribution list (sändlista) denotes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "to", rename_all = "snake_case")]
pub enum Addressee {
    /// Whoever holds `role` in the body named, by the name the list writes
    /// (`None`: the group the charter is for).
    Role {
        role: crate::policy::MembershipRole,
        body: Option<String>,
    },
    /// "…för uppdatering av förteckning…": the register, which the decision in
    /// Samordna updates itself.
    Register,
    /// Someone the register cannot resolve (a person by name, an address): sent
    /// by hand.
    Unresolved,
}

/// The addressees of one distribution entry: "Ordförande samordningsråd för
/// genomförande" → the group's chair; "Ordförande för samordningsråd barn" → SOR
/// barn's chair; one entry naming two councils → both chairs; "… för
/// uppdatering av förteckning …" → the register.
pub fn addressees(entry: &str) -> Vec<Addressee> {
    use crate::policy::MembershipRole;
    let lower = entry.to_lowercase();
    if lower.contains("förteckning") {
        return vec![Addressee::Register];
    }
    let role = if lower.starts_with("ordförande") {
        MembershipRole::Ordforande
    } else if lower.starts_with("koordinator") {
        MembershipRole::Koordinator
    } else if lower.starts_with("kontaktperson") {
        MembershipRole::Kontaktperson
    } else {
        return vec![Addressee::Unresolved];
    };
    let bodies = crate::names::find_council_mentions(entry);
    if bodies.is_empty() {
        return vec![Addressee::Role { role, body: None }];
    }
    bodies
        .into_iter()
        .map(|(name, _)| Addressee::Role {
            role,
            body: Some(name),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distribution_entries_name_roles_bodies_and_the_register() {
        use crate::policy::MembershipRole::{Koordinator, Ordforande};
        let neuro = charter("sor-neurologi-2026");
        let all: Vec<Vec<Addressee>> = neuro.distribution.iter().map(|e| addressees(e)).collect();
        assert_eq!(
            all,
            [
                vec![Addressee::Role {
                    role: Ordforande,
                    body: None
                }],
                vec![Addressee::Role {
                    role: Koordinator,
                    body: None
                }],
                vec![Addressee::Register],
            ]
        );
        let neo = charter("samordningsgrupp-neonatalvard-2023");
        let to: Vec<Addressee> = neo
            .distribution
            .iter()
            .flat_map(|e| addressees(e))
            .collect();
        assert_eq!(to.len(), 3, "{to:?}");
        assert!(
            to.iter().all(|a| matches!(
                a,
                Addressee::Role {
                    role: Ordforande,
                    body: Some(_)
                }
            )),
            "{to:?}"
        );
        assert_eq!(
            addressees("Anna Andersson, anna@example.se"),
            [Addressee::Unresolved]
        );
    }

    fn charter(name: &str) -> ParsedCharter {
        let text = std::fs::read_to_string(format!(
            "{}/../../fixtures/seeds/{name}.txt",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        crate::parse_charter(&text).unwrap()
    }

    #[test]
    fn the_neonatal_charter_names_three_councils_to_inform() {
        assert_eq!(
            bodies_to_inform(&charter("samordningsgrupp-neonatalvard-2023")),
            [
                "Samordningsråd barn",
                "Samordningsråd kvinnosjukdomar och förlossningar",
                "Samordningsråd anestesi, operation, intensivvård"
            ]
        );
        assert_eq!(
            bodies_to_inform(&charter("sor-neurologi-2026")),
            Vec::<String>::new(),
            "the council charters name no one to inform"
        );
    }

    #[test]
    fn the_charter_says_who_appoints_the_chair() {
        let neonatal = charter("samordningsgrupp-neonatalvard-2023");
        assert_eq!(
            chair_appointer(&neonatal).as_deref(),
            Some("Samordningsråd barn")
        );
        for name in ["sor-neurologi-2026", "sor-rattspsykiatri-2024"] {
            assert_eq!(
                chair_appointer(&charter(name)).as_deref(),
                Some("Ledningsgrupp hälso- och sjukvård"),
                "{name}: also under its former name"
            );
        }
        assert!(names_body("SOR barn", "Samordningsråd barn"));
        assert!(names_body(
            "Koncernledning hälso- och sjukvård, enligt rutin",
            "Ledningsgrupp hälso- och sjukvård"
        ));
        assert!(!names_body(
            "Förvaltningschefen",
            "Ledningsgrupp hälso- och sjukvård"
        ));
        assert!(!names_body(
            "Ledningsgrupp hälso- och sjukvård",
            "Samordningsråd barn"
        ));
    }

    #[test]
    fn the_register_update_is_not_a_recipient() {
        let doc = charter("sor-neurologi-2026");
        assert_eq!(doc.distribution.len(), 3);
        let to = distribution_recipients(&doc);
        assert_eq!(to.len(), 2);
        assert!(to.iter().all(|e| !e.contains("Patrik")));
    }
}
