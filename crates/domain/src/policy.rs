//! Who may do what: every "may this account do X to Y" decision of Samordna, in one
//! table that a reader can check against PRODUCT.md.
//!
//! Roles are of two sorts. *System roles* are given to an account: `admin` (the
//! register keeper at Koncernkontoret) and `director` (decides charters; establishes
//! and dissolves councils). *Group roles* follow from the account's current
//! memberships in the group acted on: ordförande (chair, also vice ordförande),
//! koordinator, kontaktperson, and deltagare/adjungerad/sekreterare (member).
//! A signed-in account with no role is a *reader*: every employee reads.

use serde::{Deserialize, Serialize};

/// Who is asking, as the policy sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Anonymous,
    Reader,
    Member,
    Chair,
    Coordinator,
    ContactPerson,
    Director,
    Admin,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Anonymous,
        Role::Reader,
        Role::Member,
        Role::Chair,
        Role::Coordinator,
        Role::ContactPerson,
        Role::Director,
        Role::Admin,
    ];

    /// The group role a membership role gives.
    pub fn from_membership(role: MembershipRole) -> Role {
        match role {
            MembershipRole::Ordforande | MembershipRole::ViceOrdforande => Role::Chair,
            MembershipRole::Koordinator => Role::Coordinator,
            MembershipRole::Kontaktperson => Role::ContactPerson,
            MembershipRole::Deltagare
            | MembershipRole::Adjungerad
            | MembershipRole::Sekreterare => Role::Member,
        }
    }
}

/// The role of a person in a group (PRODUCT.md: Membership).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MembershipRole {
    Ordforande,
    ViceOrdforande,
    Deltagare,
    Adjungerad,
    Koordinator,
    Kontaktperson,
    Sekreterare,
}

impl MembershipRole {
    pub const ALL: [MembershipRole; 7] = [
        MembershipRole::Ordforande,
        MembershipRole::ViceOrdforande,
        MembershipRole::Deltagare,
        MembershipRole::Adjungerad,
        MembershipRole::Koordinator,
        MembershipRole::Kontaktperson,
        MembershipRole::Sekreterare,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MembershipRole::Ordforande => "ordforande",
            MembershipRole::ViceOrdforande => "vice_ordforande",
            MembershipRole::Deltagare => "deltagare",
            MembershipRole::Adjungerad => "adjungerad",
            MembershipRole::Koordinator => "koordinator",
            MembershipRole::Kontaktperson => "kontaktperson",
            MembershipRole::Sekreterare => "sekreterare",
        }
    }

    /// The Swedish word, as a person reads it ("vice ordförande").
    pub fn label_sv(self) -> &'static str {
        match self {
            MembershipRole::Ordforande => "ordförande",
            MembershipRole::ViceOrdforande => "vice ordförande",
            MembershipRole::Deltagare => "deltagare",
            MembershipRole::Adjungerad => "adjungerad",
            MembershipRole::Koordinator => "koordinator",
            MembershipRole::Kontaktperson => "kontaktperson",
            MembershipRole::Sekreterare => "sekreterare",
        }
    }

    /// Adjuncts have no voting right; everybody else has by default.
    pub fn votes_by_default(self) -> bool {
        !matches!(
            self,
            MembershipRole::Adjungerad | MembershipRole::Koordinator | MembershipRole::Sekreterare
        )
    }
}

impl std::str::FromStr for MembershipRole {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MembershipRole::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("okänd roll: {s}"))
    }
}

/// What can be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Read what is published: the register, groups, charters, cases.
    ReadPublished,
    /// Read people and memberships (personal data).
    ReadPeople,
    /// Edit a group's names, aliases, area, reporting line and liaisons.
    EditGroup,
    /// Create a group in the register.
    CreateGroup,
    /// Establish or dissolve a group (change its status).
    EstablishOrDissolve,
    /// Add, change and end memberships of a group.
    EditMemberships,
    /// Create and edit people.
    EditPeople,
    /// Create and edit administrations (förvaltningar).
    EditAdministrations,
    /// Read the audit log.
    ReadAudit,
    /// Export the audit log or personal data (the export is itself logged).
    Export,
    /// Create accounts and give system roles.
    ManageAccounts,
    /// Sign out, see one's own account, create and revoke one's own API tokens.
    OwnAccount,
    /// Read what the group has not yet published: agendas before publication,
    /// minutes before approval.
    ReadGroupInternal,
    /// Plan, change and cancel meetings; build and publish agendas.
    PlanMeetings,
    /// Draft minutes and submit them to the chair; start a correction.
    DraftMinutes,
    /// Approve (justera) or return minutes.
    ApproveMinutes,
    /// Publish approved minutes (when the group publishes in a separate step).
    PublishMinutes,
    /// Open and move the group's matters, record actions, keep its agenda
    /// template, raise escalations and send a decision's notice again.
    ManageMatters,
    /// Record that an administration anchored a decision and held union
    /// consultation (a representative for their own administration; the
    /// handler checks which).
    RecordAnchoring,
    /// Read a charter draft: the group and the director.
    ReadDrafts,
    /// Decide a submitted charter draft (the director the charters name).
    DecideCharter,
}

impl Action {
    pub const ALL: [Action; 21] = [
        Action::ReadPublished,
        Action::ReadPeople,
        Action::EditGroup,
        Action::CreateGroup,
        Action::EstablishOrDissolve,
        Action::EditMemberships,
        Action::EditPeople,
        Action::EditAdministrations,
        Action::ReadAudit,
        Action::Export,
        Action::ManageAccounts,
        Action::OwnAccount,
        Action::ReadGroupInternal,
        Action::PlanMeetings,
        Action::DraftMinutes,
        Action::ApproveMinutes,
        Action::PublishMinutes,
        Action::ManageMatters,
        Action::RecordAnchoring,
        Action::ReadDrafts,
        Action::DecideCharter,
    ];
}

use Role::*;

/// The table. A group role counts only for the group acted on (and, for a
/// coordinator, chair and contact person, the groups that report to it).
/// `Anonymous` on `ReadPublished` and `ReadPeople` is further subject to the
/// installation's setting (default: published content only).
pub const POLICY: [(Action, &[Role]); 21] = [
    (
        Action::ReadPublished,
        &[
            Anonymous,
            Reader,
            Member,
            Chair,
            Coordinator,
            ContactPerson,
            Director,
            Admin,
        ],
    ),
    (
        Action::ReadPeople,
        &[
            Reader,
            Member,
            Chair,
            Coordinator,
            ContactPerson,
            Director,
            Admin,
        ],
    ),
    (Action::EditGroup, &[Coordinator, Director, Admin]),
    (Action::CreateGroup, &[Director, Admin]),
    (Action::EstablishOrDissolve, &[Director]),
    (
        Action::EditMemberships,
        &[Chair, Coordinator, Director, Admin],
    ),
    (Action::EditPeople, &[Coordinator, Director, Admin]),
    (Action::EditAdministrations, &[Admin]),
    (Action::ReadAudit, &[Admin]),
    (Action::Export, &[Admin]),
    (Action::ManageAccounts, &[Admin]),
    (
        Action::ReadGroupInternal,
        &[Member, Chair, Coordinator, ContactPerson, Admin],
    ),
    (Action::PlanMeetings, &[Chair, Coordinator, Admin]),
    (Action::DraftMinutes, &[Coordinator, Admin]),
    (Action::ApproveMinutes, &[Chair]),
    (Action::PublishMinutes, &[Chair, Coordinator, Admin]),
    (Action::ManageMatters, &[Chair, Coordinator, Admin]),
    (
        Action::RecordAnchoring,
        &[Member, Chair, Coordinator, Admin],
    ),
    (
        Action::ReadDrafts,
        &[Member, Chair, Coordinator, ContactPerson, Director, Admin],
    ),
    (Action::DecideCharter, &[Director]),
    (
        Action::OwnAccount,
        &[
            Reader,
            Member,
            Chair,
            Coordinator,
            ContactPerson,
            Director,
            Admin,
        ],
    ),
];

/// What an installation lets anonymous visitors read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnonymousAccess {
    /// The register, groups, charters and cases; not people.
    #[default]
    Published,
    /// Also people and memberships.
    Everything,
    /// Nothing: every page requires sign-in.
    Nothing,
}

/// Whether any of `roles` may do `action`.
pub fn may(roles: &[Role], action: Action, anonymous: AnonymousAccess) -> bool {
    let allowed = POLICY
        .iter()
        .find(|(a, _)| *a == action)
        .map_or(&[][..], |(_, r)| *r);
    roles.iter().any(|r| {
        if *r == Anonymous {
            match (action, anonymous) {
                (_, AnonymousAccess::Nothing) => false,
                (Action::ReadPeople, AnonymousAccess::Everything) => true,
                _ => allowed.contains(r),
            }
        } else {
            allowed.contains(r)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_one_row() {
        for a in Action::ALL {
            assert_eq!(POLICY.iter().filter(|(x, _)| *x == a).count(), 1, "{a:?}");
        }
    }

    #[test]
    fn the_table_reads_as_product_md() {
        let p = AnonymousAccess::Published;
        assert!(may(&[Anonymous], Action::ReadPublished, p));
        assert!(!may(&[Anonymous], Action::ReadPeople, p));
        assert!(may(
            &[Anonymous],
            Action::ReadPeople,
            AnonymousAccess::Everything
        ));
        assert!(!may(
            &[Anonymous],
            Action::ReadPublished,
            AnonymousAccess::Nothing
        ));
        assert!(
            may(&[Reader], Action::ReadPeople, p),
            "every employee reads"
        );
        assert!(!may(&[Reader], Action::EditGroup, p));
        assert!(
            may(&[Director], Action::EstablishOrDissolve, p),
            "the director establishes and dissolves"
        );
        assert!(!may(&[Admin], Action::EstablishOrDissolve, p));
        assert!(may(&[Coordinator], Action::EditMemberships, p));
        assert!(may(&[Chair], Action::EditMemberships, p));
        assert!(!may(&[Member], Action::EditMemberships, p));
        assert!(!may(&[ContactPerson], Action::EditMemberships, p));
        assert!(may(&[Admin], Action::ReadAudit, p) && !may(&[Director], Action::ReadAudit, p));
        assert!(may(&[Reader, Coordinator], Action::EditGroup, p));
        assert!(
            may(&[Chair], Action::ApproveMinutes, p),
            "the chair approves minutes"
        );
        assert!(!may(&[Coordinator, Admin], Action::ApproveMinutes, p));
        assert!(
            !may(&[Reader, Director], Action::ReadGroupInternal, p),
            "unapproved minutes stay in the group"
        );
        assert!(may(&[Member], Action::ReadGroupInternal, p));
    }

    #[test]
    fn membership_roles_map_to_group_roles() {
        assert_eq!(
            Role::from_membership(MembershipRole::ViceOrdforande),
            Role::Chair
        );
        assert_eq!(
            Role::from_membership(MembershipRole::Adjungerad),
            Role::Member
        );
        assert!(!MembershipRole::Adjungerad.votes_by_default());
        for r in MembershipRole::ALL {
            assert_eq!(r.as_str().parse::<MembershipRole>().unwrap(), r);
        }
    }
}
