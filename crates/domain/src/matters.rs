//! Matters (ärenden i gruppen): the duties the charters give a group, each with a
//! life of its own — a kind, the statuses that kind passes through, a source, an
//! owner and a due date — and the actions (åtgärder) that follow a meeting.
//!
//! The kinds are PRODUCT.md's duty list, one to one ("Duties in the charters that
//! the system supports as matter kinds"), plus the regional routine and PPR
//! implementation of its core objects, and "other".

use serde::{Deserialize, Serialize};

/// What a matter is, after the duty of the charter it serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatterKind {
    /// Remissvar on national knowledge support, with the national deadline.
    Remissvar,
    /// Turning a nationally decided vårdförlopp into a regional process and
    /// following it up.
    Vardforlopp,
    /// Leading a regional process team.
    ProcessTeam,
    /// Development work: initiated, prioritised, followed up and spread.
    Utvecklingsarbete,
    /// A question prepared for, or an assignment taken from, ledningsgrupp
    /// hälso- och sjukvård.
    UppdragLedningsgrupp,
    /// Nominating chairs and members to the national programme areas (NPO) and
    /// national working groups.
    NomineringNpo,
    /// Spreading good examples between administrations.
    GodaExempel,
    /// (Neonatal) preparing decisions on medical processes within Program Millennium.
    Millennium,
    /// Revising governing documents.
    StyrandeDokument,
    /// A regional routine the chair's mandate covers (SSN 2023-00470).
    RegionalRutin,
    /// Carrying out PPR's priorities.
    PprGenomforande,
    Other,
}

/// Where a matter came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatterSource {
    /// An assignment from ledningsgrupp hälso- och sjukvård.
    Ledningsgrupp,
    /// A decision of Program- och prioriteringsrådet.
    Ppr,
    /// A national body (a remiss, a decided vårdförlopp, an NPO).
    National,
    /// The group's own initiative.
    OwnInitiative,
    Other,
}

/// Where a matter is. Each kind passes through some of these ([`MatterKind::statuses`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatterStatus {
    /// A remiss has arrived.
    Received,
    /// An answer, a nomination or a revision is being prepared.
    Preparing,
    /// The remiss is answered.
    Answered,
    /// The group declined to answer.
    Declined,
    /// A vårdförlopp decided nationally, not yet made regional.
    DecidedNationally,
    /// The regional process is adopted.
    Adopted,
    /// Being followed up.
    FollowingUp,
    /// Development work started.
    Initiated,
    /// Development work given its priority.
    Prioritised,
    /// Being worked on.
    InProgress,
    /// Spread to the administrations.
    Spread,
    /// Done: nominated, revised, carried out.
    Done,
    /// Closed without being done.
    Closed,
}

macro_rules! str_enum {
    ($t:ty { $($v:ident => $s:literal),* $(,)? }) => {
        impl $t {
            /// The stable name stored and used in the API.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s),* }
            }
            /// Every value, in the order written.
            pub const ALL: &'static [$t] = &[$(Self::$v),*];
        }
        impl std::str::FromStr for $t {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s { $($s => Ok(Self::$v),)* other => Err(format!("okänt värde: {other}")) }
            }
        }
    };
}
pub(crate) use str_enum;

str_enum!(MatterKind {
    Remissvar => "remissvar",
    Vardforlopp => "vardforlopp",
    ProcessTeam => "process_team",
    Utvecklingsarbete => "utvecklingsarbete",
    UppdragLedningsgrupp => "uppdrag_ledningsgrupp",
    NomineringNpo => "nominering_npo",
    GodaExempel => "goda_exempel",
    Millennium => "millennium",
    StyrandeDokument => "styrande_dokument",
    RegionalRutin => "regional_rutin",
    PprGenomforande => "ppr_genomforande",
    Other => "other",
});

str_enum!(MatterSource {
    Ledningsgrupp => "ledningsgrupp",
    Ppr => "ppr",
    National => "national",
    OwnInitiative => "own_initiative",
    Other => "other",
});

str_enum!(MatterStatus {
    Received => "received",
    Preparing => "preparing",
    Answered => "answered",
    Declined => "declined",
    DecidedNationally => "decided_nationally",
    Adopted => "adopted",
    FollowingUp => "following_up",
    Initiated => "initiated",
    Prioritised => "prioritised",
    InProgress => "in_progress",
    Spread => "spread",
    Done => "done",
    Closed => "closed",
});

impl MatterKind {
    /// The statuses a matter of this kind passes through, in order; the first is
    /// where it starts, the last ones end it ([`MatterStatus::is_final`]).
    pub fn statuses(self) -> &'static [MatterStatus] {
        use MatterStatus::*;
        match self {
            MatterKind::Remissvar => &[Received, Preparing, Answered, Declined],
            MatterKind::Vardforlopp => &[DecidedNationally, Adopted, FollowingUp, Done, Closed],
            MatterKind::Utvecklingsarbete => &[
                Initiated,
                Prioritised,
                InProgress,
                FollowingUp,
                Spread,
                Done,
                Closed,
            ],
            MatterKind::NomineringNpo | MatterKind::StyrandeDokument => {
                &[Received, Preparing, Done, Closed]
            }
            MatterKind::ProcessTeam | MatterKind::PprGenomforande => {
                &[Initiated, InProgress, FollowingUp, Done, Closed]
            }
            MatterKind::UppdragLedningsgrupp
            | MatterKind::GodaExempel
            | MatterKind::Millennium
            | MatterKind::RegionalRutin
            | MatterKind::Other => &[Received, InProgress, Done, Closed],
        }
    }

    /// Where a new matter of this kind starts.
    pub fn initial(self) -> MatterStatus {
        self.statuses()[0]
    }

    /// Whether a matter of this kind may move from `from` to `to`: both are its
    /// statuses and `from` is not final. Moving back (a remiss sent back for more
    /// work) is allowed; a final status is reopened only by a new matter.
    pub fn may_move(self, from: MatterStatus, to: MatterStatus) -> bool {
        let s = self.statuses();
        from != to && s.contains(&from) && s.contains(&to) && !from.is_final()
    }

    /// The message id of the kind's name (`matter-kind-…`).
    pub fn message_id(self) -> String {
        format!("matter-kind-{}", self.as_str().replace('_', "-"))
    }
}

impl MatterStatus {
    /// Whether the matter is over: answered, declined, done or closed.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            MatterStatus::Answered
                | MatterStatus::Declined
                | MatterStatus::Done
                | MatterStatus::Closed
        )
    }

    /// The message id of the status's name (`matter-status-…`).
    pub fn message_id(self) -> String {
        format!("matter-status-{}", self.as_str().replace('_', "-"))
    }
}

impl MatterSource {
    /// The message id of the source's name (`matter-source-…`).
    pub fn message_id(self) -> String {
        format!("matter-source-{}", self.as_str().replace('_', "-"))
    }
}

/// An action (åtgärd): open until done or cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Open,
    Done,
    Cancelled,
}

str_enum!(ActionStatus { Open => "open", Done => "done", Cancelled => "cancelled" });

impl ActionStatus {
    /// The message id of the status's name (`action-status-…`).
    pub fn message_id(self) -> String {
        format!("action-status-{}", self.as_str())
    }
}

/// The longest title of a matter or an action, in characters: a line a person
/// reads in a list, not a document.
pub const TITLE_MAX: usize = 300;

/// The longest text of a decision, a description, a question or an answer, in
/// characters (about four pages).
pub const TEXT_MAX: usize = 10_000;

/// Whether `text` fits within `max` characters.
pub fn fits(text: &str, max: usize) -> bool {
    text.chars().count() <= max
}

/// The standing items of an agenda when a group has written no template of its
/// own (message ids; the agenda is written in Swedish, the group's language).
pub const STANDARD_AGENDA: &[&str] = &[
    "Mötets öppnande",
    "Föregående mötesanteckningar",
    "Uppföljning av åtgärder",
    "Information från förvaltningarna",
    "Övriga frågor",
    "Mötet avslutas",
];

/// The standing item under which open actions are followed up.
pub const FOLLOW_UP_ITEM: &str = "Uppföljning av åtgärder";

#[cfg(test)]
mod tests {
    use super::*;

    /// PRODUCT.md's duty list ("Duties in the charters that the system supports
    /// as matter kinds"), word for word, each duty to exactly one kind.
    const DUTIES: &[(&str, MatterKind)] = &[
        (
            "remissvar on national knowledge support",
            MatterKind::Remissvar,
        ),
        (
            "turning decided vårdförlopp into regional processes and following them up",
            MatterKind::Vardforlopp,
        ),
        ("leading regional process teams", MatterKind::ProcessTeam),
        (
            "initiating, prioritising, following up and spreading development work",
            MatterKind::Utvecklingsarbete,
        ),
        (
            "preparing questions and taking assignments from ledningsgrupp hälso- och sjukvård",
            MatterKind::UppdragLedningsgrupp,
        ),
        (
            "nominating members to national programme areas",
            MatterKind::NomineringNpo,
        ),
        (
            "spreading good examples between administrations",
            MatterKind::GodaExempel,
        ),
        (
            "(neonatal) preparing decisions on medical processes within Program Millennium",
            MatterKind::Millennium,
        ),
        ("revising governing documents", MatterKind::StyrandeDokument),
    ];

    #[test]
    fn every_duty_of_product_md_is_one_kind() {
        let mut kinds: Vec<MatterKind> = Vec::new();
        for (_, kind) in DUTIES {
            assert!(!kinds.contains(kind), "{kind:?} serves two duties");
            kinds.push(*kind);
        }
        // The rest of the kinds are PRODUCT.md's core objects' words.
        for kind in MatterKind::ALL {
            assert!(
                kinds.contains(kind)
                    || matches!(
                        kind,
                        MatterKind::RegionalRutin | MatterKind::PprGenomforande | MatterKind::Other
                    ),
                "{kind:?} serves no duty"
            );
        }
    }

    #[test]
    fn each_kind_starts_and_ends() {
        for kind in MatterKind::ALL {
            let s = kind.statuses();
            assert!(!s[0].is_final(), "{kind:?} starts open");
            assert!(s.iter().any(|x| x.is_final()), "{kind:?} can end");
            assert_eq!(kind.as_str().parse::<MatterKind>(), Ok(*kind));
        }
        let r = MatterKind::Remissvar;
        assert!(r.may_move(MatterStatus::Received, MatterStatus::Preparing));
        assert!(r.may_move(MatterStatus::Preparing, MatterStatus::Answered));
        assert!(!r.may_move(MatterStatus::Answered, MatterStatus::Preparing));
        assert!(!r.may_move(MatterStatus::Preparing, MatterStatus::Adopted));
    }
}
