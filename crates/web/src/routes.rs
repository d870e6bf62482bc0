//! Every route of the portal and the API, with the action the policy table must
//! allow. The router is built from this table only, so a route cannot exist without
//! an entry; the route × role test walks it.

use samordna_domain::policy::Action;

/// How a route finds the group its action applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The action is global.
    Global,
    /// The group named by `{slug}` in the path.
    GroupSlug,
    /// The group of the membership `{id}` in the path.
    MembershipId,
    /// The group of the meeting `{id}` in the path.
    MeetingId,
}

#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub action: Action,
    pub scope: Scope,
}

const fn r(method: &'static str, path: &'static str, action: Action, scope: Scope) -> RouteSpec {
    RouteSpec {
        method,
        path,
        action,
        scope,
    }
}

use Action::*;
use Scope::*;

pub const ROUTES: &[RouteSpec] = &[
    r("GET", "/", ReadPublished, Global),
    r("GET", "/grupper/{slug}", ReadPublished, GroupSlug),
    r(
        "GET",
        "/grupper/{slug}/uppdragshandlingar/{version}",
        ReadPublished,
        GroupSlug,
    ),
    r(
        "GET",
        "/grupper/{slug}/uppdragshandlingar/{version}/kalla",
        ReadPublished,
        GroupSlug,
    ),
    r("GET", "/arenden", ReadPublished, Global),
    r("GET", "/arenden/{slug}", ReadPublished, Global),
    r("GET", "/tillganglighet", ReadPublished, Global),
    r("GET", "/forvaltningar", ReadPublished, Global),
    r("GET", "/grupper/{slug}/medlemmar", ReadPeople, GroupSlug),
    r("GET", "/personer", ReadPeople, Global),
    r("GET", "/grupper/ny", CreateGroup, Global),
    r("POST", "/grupper/ny", CreateGroup, Global),
    r("GET", "/grupper/{slug}/redigera", EditGroup, GroupSlug),
    r("POST", "/grupper/{slug}/redigera", EditGroup, GroupSlug),
    r(
        "GET",
        "/grupper/{slug}/medlemmar/ny",
        EditMemberships,
        GroupSlug,
    ),
    r(
        "POST",
        "/grupper/{slug}/medlemmar/ny",
        EditMemberships,
        GroupSlug,
    ),
    r(
        "GET",
        "/medlemskap/{id}/redigera",
        EditMemberships,
        MembershipId,
    ),
    r(
        "POST",
        "/medlemskap/{id}/redigera",
        EditMemberships,
        MembershipId,
    ),
    r("GET", "/personer/ny", EditPeople, Global),
    r("POST", "/personer/ny", EditPeople, Global),
    r("GET", "/personer/{id}/redigera", EditPeople, Global),
    r("POST", "/personer/{id}/redigera", EditPeople, Global),
    r("GET", "/forvaltningar/ny", EditAdministrations, Global),
    r("POST", "/forvaltningar/ny", EditAdministrations, Global),
    r(
        "GET",
        "/forvaltningar/{id}/redigera",
        EditAdministrations,
        Global,
    ),
    r(
        "POST",
        "/forvaltningar/{id}/redigera",
        EditAdministrations,
        Global,
    ),
    r("GET", "/organisation", ReadPublished, Global),
    r(
        "GET",
        "/grupper/{slug}/organisation",
        ReadPublished,
        GroupSlug,
    ),
    r("GET", "/regelefterlevnad", ReadPeople, Global),
    r("GET", "/grupper/{slug}/undantag", EditGroup, GroupSlug),
    r("POST", "/grupper/{slug}/undantag", EditGroup, GroupSlug),
    r(
        "POST",
        "/grupper/{slug}/undantag/{id}/avsluta",
        EditGroup,
        GroupSlug,
    ),
    r("GET", "/regelefterlevnad.csv", Export, Global),
    r("GET", "/admin/logg", ReadAudit, Global),
    r("GET", "/admin/logg.csv", Export, Global),
    r("GET", "/konto", OwnAccount, Global),
    r("POST", "/konto/nycklar", OwnAccount, Global),
    r("POST", "/konto/nycklar/{id}/aterkalla", OwnAccount, Global),
    r("POST", "/konto/kalenderlankar", OwnAccount, Global),
    r(
        "POST",
        "/konto/kalenderlankar/{id}/aterkalla",
        OwnAccount,
        Global,
    ),
    r("POST", "/logga-ut", OwnAccount, Global),
    r("GET", "/grupper/{slug}/moten", ReadPublished, GroupSlug),
    r("GET", "/grupper/{slug}/moten/ny", PlanMeetings, GroupSlug),
    r("POST", "/grupper/{slug}/moten/ny", PlanMeetings, GroupSlug),
    r(
        "GET",
        "/grupper/{slug}/moten/planera-ar",
        PlanMeetings,
        GroupSlug,
    ),
    r(
        "POST",
        "/grupper/{slug}/moten/planera-ar",
        PlanMeetings,
        GroupSlug,
    ),
    r(
        "GET",
        "/grupper/{slug}/kalender.ics",
        ReadPublished,
        GroupSlug,
    ),
    r(
        "GET",
        "/grupper/{slug}/anteckningar.atom",
        ReadPublished,
        GroupSlug,
    ),
    r("GET", "/moten/{id}", ReadPublished, MeetingId),
    r("GET", "/moten/{id}/redigera", PlanMeetings, MeetingId),
    r("POST", "/moten/{id}/redigera", PlanMeetings, MeetingId),
    r("POST", "/moten/{id}/installa", PlanMeetings, MeetingId),
    r("POST", "/moten/{id}/narvaro", PlanMeetings, MeetingId),
    r("POST", "/moten/{id}/bilagor", PlanMeetings, MeetingId),
    r(
        "GET",
        "/moten/{id}/bilagor/{file}",
        ReadPublished,
        MeetingId,
    ),
    r("POST", "/moten/{id}/dagordning", PlanMeetings, MeetingId),
    r(
        "POST",
        "/moten/{id}/dagordning/publicera",
        PlanMeetings,
        MeetingId,
    ),
    r("GET", "/moten/{id}/anteckningar", DraftMinutes, MeetingId),
    r("POST", "/moten/{id}/anteckningar", DraftMinutes, MeetingId),
    r(
        "POST",
        "/moten/{id}/anteckningar/skicka",
        DraftMinutes,
        MeetingId,
    ),
    r(
        "POST",
        "/moten/{id}/anteckningar/rattelse",
        DraftMinutes,
        MeetingId,
    ),
    r(
        "POST",
        "/moten/{id}/anteckningar/justera",
        ApproveMinutes,
        MeetingId,
    ),
    r(
        "POST",
        "/moten/{id}/anteckningar/aterforvisa",
        ApproveMinutes,
        MeetingId,
    ),
    r(
        "POST",
        "/moten/{id}/anteckningar/publicera",
        PublishMinutes,
        MeetingId,
    ),
    r("GET", "/api/v1/organizations", ReadPublished, Global),
    r(
        "GET",
        "/api/v1/organizations/{slug}",
        ReadPublished,
        GroupSlug,
    ),
    r("PUT", "/api/v1/organizations/{slug}", EditGroup, GroupSlug),
    r(
        "GET",
        "/api/v1/organizations/{slug}/charters",
        ReadPublished,
        GroupSlug,
    ),
    r(
        "GET",
        "/api/v1/organizations/{slug}/charters/{version}",
        ReadPublished,
        GroupSlug,
    ),
    r(
        "GET",
        "/api/v1/organizations/{slug}/memberships",
        ReadPeople,
        GroupSlug,
    ),
    r("GET", "/api/v1/cases", ReadPublished, Global),
    r("GET", "/api/v1/cases/{slug}", ReadPublished, Global),
];

/// Routes anyone may reach, whatever the policy: signing in, the language switch,
/// static files, the health check, and personal calendar feeds (the address holds a
/// secret key, since calendar programs cannot sign in). They change no record.
pub const OPEN_ROUTES: &[(&str, &str)] = &[
    ("GET", "/logga-in"),
    ("POST", "/logga-in"),
    ("GET", "/oidc/start"),
    ("GET", "/oidc/callback"),
    ("GET", "/sprak/{lang}"),
    ("GET", "/kalender/{file}"),
    ("GET", "/static/samordna.css"),
    ("GET", "/healthz"),
];
