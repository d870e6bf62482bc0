//! Every route of the portal and the API, with the action the policy table must
//! allow. The router is built from this table only, so a route cannot exist without
//! an entry; the route × role test walks it.

use std::collections::HashMap;

use axum::extract::{Path, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{on, MethodFilter, MethodRouter};
use samordna_domain::policy::Action;

use crate::auth;
use crate::error::AppError;
use crate::request::Visitor;
use crate::state::AppState;
use crate::{
    admin, api, api_forms, compliance, conformance, decisions, documents, drafts, edit, exceptions,
    export, matters, meetings, oparl, openapi, orgchart, pages, search, session, tasks,
};

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

/// Builds a route's handler for the method filter the router gives it.
pub type MakeHandler = fn(MethodFilter) -> MethodRouter<AppState>;

/// One route: method, path, the action the policy must allow, how the route
/// names its group, and its handler. The router and the guard are both built from
/// these, so a route is written once.
#[derive(Clone, Copy)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub action: Action,
    pub scope: Scope,
    pub handler: MakeHandler,
}

impl std::fmt::Debug for RouteSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} ({:?}, {:?})",
            self.method, self.path, self.action, self.scope
        )
    }
}

const fn get(path: &'static str, action: Action, scope: Scope, handler: MakeHandler) -> RouteSpec {
    RouteSpec {
        method: "GET",
        path,
        action,
        scope,
        handler,
    }
}

const fn post(path: &'static str, action: Action, scope: Scope, handler: MakeHandler) -> RouteSpec {
    RouteSpec {
        method: "POST",
        path,
        action,
        scope,
        handler,
    }
}

const fn put(path: &'static str, action: Action, scope: Scope, handler: MakeHandler) -> RouteSpec {
    RouteSpec {
        method: "PUT",
        path,
        action,
        scope,
        handler,
    }
}

use Action::*;
use Scope::*;

pub const ROUTES: &[RouteSpec] = &[
    get("/", ReadPublished, Global, |f| on(f, pages::register)),
    get("/grupper/{slug}", ReadPublished, GroupSlug, |f| {
        on(f, pages::group)
    }),
    get(
        "/grupper/{slug}/uppdragshandlingar/{version}",
        ReadPublished,
        GroupSlug,
        |f| on(f, pages::charter),
    ),
    post("/grupper/{slug}/utkast", EditGroup, GroupSlug, |f| {
        on(f, drafts::start)
    }),
    get("/grupper/{slug}/utkast/{id}", ReadDrafts, GroupSlug, |f| {
        on(f, drafts::show)
    }),
    post(
        "/grupper/{slug}/utkast/{id}/spara",
        EditGroup,
        GroupSlug,
        |f| on(f, drafts::save),
    ),
    post(
        "/grupper/{slug}/utkast/{id}/skicka",
        EditGroup,
        GroupSlug,
        |f| on(f, drafts::submit),
    ),
    post(
        "/grupper/{slug}/utkast/{id}/ateroppna",
        EditGroup,
        GroupSlug,
        |f| on(f, drafts::reopen),
    ),
    post(
        "/grupper/{slug}/utkast/{id}/kommentera",
        ReadDrafts,
        GroupSlug,
        |f| on(f, drafts::comment),
    ),
    post(
        "/grupper/{slug}/utkast/{id}/besluta",
        DecideCharter,
        GroupSlug,
        |f| on(f, drafts::decide),
    ),
    post(
        "/grupper/{slug}/uppdragshandlingar/{version}/skicka",
        EditGroup,
        GroupSlug,
        |f| on(f, pages::charter_send),
    ),
    get(
        "/grupper/{slug}/uppdragshandlingar/{version}/jamfor",
        ReadPublished,
        GroupSlug,
        |f| on(f, conformance::compare),
    ),
    get(
        "/grupper/{slug}/uppdragshandlingar/{version}/mall",
        ReadPublished,
        GroupSlug,
        |f| on(f, conformance::page),
    ),
    get(
        "/grupper/{slug}/uppdragshandlingar/{version}/pdf",
        ReadPublished,
        GroupSlug,
        |f| on(f, documents::pdf),
    ),
    get(
        "/grupper/{slug}/uppdragshandlingar/{version}/docx",
        ReadPublished,
        GroupSlug,
        |f| on(f, documents::docx),
    ),
    get("/uppdragshandlingar/las-in", CreateGroup, Global, |f| {
        on(f, documents::form)
    }),
    // A charter file up to the server's body limit (10 MB), not axum's 2 MB,
    // both as uploaded and as confirmed (base64 in the form).
    post("/uppdragshandlingar/las-in", CreateGroup, Global, |f| {
        on(f, documents::preview).layer(axum::extract::DefaultBodyLimit::disable())
    }),
    post(
        "/uppdragshandlingar/las-in/spara",
        CreateGroup,
        Global,
        |f| on(f, documents::save).layer(axum::extract::DefaultBodyLimit::disable()),
    ),
    get(
        "/grupper/{slug}/uppdragshandlingar/{version}/kalla",
        ReadPublished,
        GroupSlug,
        |f| on(f, pages::charter_source),
    ),
    get("/sok", ReadPublished, Global, |f| on(f, search::page)),
    get("/api/v1/search", ReadPublished, Global, |f| {
        on(f, search::api)
    }),
    get("/arenden", ReadPublished, Global, |f| on(f, pages::cases)),
    get("/arenden/{slug}", ReadPublished, Global, |f| {
        on(f, pages::case)
    }),
    get("/tillganglighet", ReadPublished, Global, |f| {
        on(f, pages::accessibility)
    }),
    get("/forvaltningar", ReadPublished, Global, |f| {
        on(f, edit::administrations)
    }),
    get("/grupper/{slug}/medlemmar", ReadPeople, GroupSlug, |f| {
        on(f, edit::members)
    }),
    get("/personer", ReadPeople, Global, |f| on(f, edit::people)),
    get("/grupper/ny", CreateGroup, Global, |f| {
        on(f, edit::group_new)
    }),
    post("/grupper/ny", CreateGroup, Global, |f| {
        on(f, edit::group_create)
    }),
    get("/grupper/{slug}/redigera", EditGroup, GroupSlug, |f| {
        on(f, edit::group_edit)
    }),
    post("/grupper/{slug}/redigera", EditGroup, GroupSlug, |f| {
        on(f, edit::group_save)
    }),
    get(
        "/grupper/{slug}/medlemmar/ny",
        EditMemberships,
        GroupSlug,
        |f| on(f, edit::membership_new),
    ),
    post(
        "/grupper/{slug}/medlemmar/ny",
        EditMemberships,
        GroupSlug,
        |f| on(f, edit::membership_create),
    ),
    get(
        "/medlemskap/{id}/redigera",
        EditMemberships,
        MembershipId,
        |f| on(f, edit::membership_edit),
    ),
    post(
        "/medlemskap/{id}/redigera",
        EditMemberships,
        MembershipId,
        |f| on(f, edit::membership_save),
    ),
    get("/personer/ny", EditPeople, Global, |f| {
        on(f, edit::person_new)
    }),
    post("/personer/ny", EditPeople, Global, |f| {
        on(f, edit::person_create)
    }),
    get("/personer/{id}/redigera", EditPeople, Global, |f| {
        on(f, edit::person_edit)
    }),
    post("/personer/{id}/redigera", EditPeople, Global, |f| {
        on(f, edit::person_save)
    }),
    get("/forvaltningar/ny", EditAdministrations, Global, |f| {
        on(f, edit::administration_new)
    }),
    post("/forvaltningar/ny", EditAdministrations, Global, |f| {
        on(f, edit::administration_create)
    }),
    get(
        "/forvaltningar/{id}/redigera",
        EditAdministrations,
        Global,
        |f| on(f, edit::administration_edit),
    ),
    post(
        "/forvaltningar/{id}/redigera",
        EditAdministrations,
        Global,
        |f| on(f, edit::administration_save),
    ),
    get("/organisation", ReadPublished, Global, |f| {
        on(f, orgchart::region)
    }),
    get(
        "/grupper/{slug}/organisation",
        ReadPublished,
        GroupSlug,
        |f| on(f, orgchart::group),
    ),
    get("/regelefterlevnad", ReadPeople, Global, |f| {
        on(f, compliance::dashboard)
    }),
    get("/grupper/{slug}/undantag", EditGroup, GroupSlug, |f| {
        on(f, exceptions::list)
    }),
    post("/grupper/{slug}/undantag", EditGroup, GroupSlug, |f| {
        on(f, exceptions::add)
    }),
    post(
        "/grupper/{slug}/undantag/{id}/avsluta",
        EditGroup,
        GroupSlug,
        |f| on(f, exceptions::end),
    ),
    get("/regelefterlevnad.csv", Export, Global, |f| {
        on(f, compliance::csv)
    }),
    get("/export", Export, Global, |f| on(f, export::page)),
    get("/export/{file}", Export, Global, |f| {
        on(f, export::download)
    }),
    get("/admin/logg", ReadAudit, Global, |f| {
        on(f, admin::audit_log)
    }),
    get("/admin/logg.csv", Export, Global, |f| {
        on(f, admin::audit_csv)
    }),
    get("/konto", OwnAccount, Global, |f| on(f, session::account)),
    post("/konto/nycklar", OwnAccount, Global, |f| {
        on(f, session::token_create)
    }),
    post("/konto/nycklar/{id}/aterkalla", OwnAccount, Global, |f| {
        on(f, session::token_revoke)
    }),
    post("/konto/kalenderlankar", OwnAccount, Global, |f| {
        on(f, session::calendar_link_create)
    }),
    post(
        "/konto/kalenderlankar/{id}/aterkalla",
        OwnAccount,
        Global,
        |f| on(f, session::calendar_link_revoke),
    ),
    post("/logga-ut", OwnAccount, Global, |f| {
        on(f, session::sign_out)
    }),
    get("/grupper/{slug}/moten", ReadPublished, GroupSlug, |f| {
        on(f, meetings::list)
    }),
    get("/grupper/{slug}/moten/ny", PlanMeetings, GroupSlug, |f| {
        on(f, meetings::new)
    }),
    post("/grupper/{slug}/moten/ny", PlanMeetings, GroupSlug, |f| {
        on(f, meetings::create)
    }),
    get(
        "/grupper/{slug}/moten/planera-ar",
        PlanMeetings,
        GroupSlug,
        |f| on(f, meetings::year_new),
    ),
    post(
        "/grupper/{slug}/moten/planera-ar",
        PlanMeetings,
        GroupSlug,
        |f| on(f, meetings::year_create),
    ),
    get(
        "/grupper/{slug}/kalender.ics",
        ReadPublished,
        GroupSlug,
        |f| on(f, meetings::calendar),
    ),
    get(
        "/grupper/{slug}/anteckningar.atom",
        ReadPublished,
        GroupSlug,
        |f| on(f, meetings::feed),
    ),
    get("/moten/{id}", ReadPublished, MeetingId, |f| {
        on(f, meetings::show)
    }),
    get("/moten/{id}/redigera", PlanMeetings, MeetingId, |f| {
        on(f, meetings::edit)
    }),
    post("/moten/{id}/redigera", PlanMeetings, MeetingId, |f| {
        on(f, meetings::save)
    }),
    post("/moten/{id}/installa", PlanMeetings, MeetingId, |f| {
        on(f, meetings::cancel)
    }),
    post("/moten/{id}/narvaro", PlanMeetings, MeetingId, |f| {
        on(f, meetings::attendance)
    }),
    post("/moten/{id}/bilagor", PlanMeetings, MeetingId, |f| {
        on(f, meetings::upload).layer(axum::extract::DefaultBodyLimit::disable())
    }),
    get(
        "/moten/{id}/bilagor/{file}",
        ReadPublished,
        MeetingId,
        |f| on(f, meetings::download),
    ),
    post("/moten/{id}/dagordning", PlanMeetings, MeetingId, |f| {
        on(f, meetings::add_item)
    }),
    post(
        "/moten/{id}/dagordning/publicera",
        PlanMeetings,
        MeetingId,
        |f| on(f, meetings::publish_agenda),
    ),
    get("/moten/{id}/anteckningar", DraftMinutes, MeetingId, |f| {
        on(f, meetings::minutes_edit)
    }),
    post("/moten/{id}/anteckningar", DraftMinutes, MeetingId, |f| {
        on(f, meetings::minutes_save)
    }),
    post(
        "/moten/{id}/anteckningar/skicka",
        DraftMinutes,
        MeetingId,
        |f| on(f, meetings::submit),
    ),
    post(
        "/moten/{id}/anteckningar/rattelse",
        DraftMinutes,
        MeetingId,
        |f| on(f, meetings::correct),
    ),
    post(
        "/moten/{id}/anteckningar/justera",
        ApproveMinutes,
        MeetingId,
        |f| on(f, meetings::approve),
    ),
    post(
        "/moten/{id}/anteckningar/aterforvisa",
        ApproveMinutes,
        MeetingId,
        |f| on(f, meetings::return_minutes),
    ),
    post(
        "/moten/{id}/anteckningar/publicera",
        PublishMinutes,
        MeetingId,
        |f| on(f, meetings::publish),
    ),
    get("/beslut", ReadPublished, Global, |f| {
        on(f, decisions::region_log)
    }),
    get("/grupper/{slug}/beslut", ReadPublished, GroupSlug, |f| {
        on(f, decisions::group_log)
    }),
    get(
        "/grupper/{slug}/beslut/{id}",
        ReadPublished,
        GroupSlug,
        |f| on(f, decisions::show),
    ),
    post(
        "/grupper/{slug}/beslut/{id}/forankring",
        RecordAnchoring,
        GroupSlug,
        |f| on(f, decisions::anchor),
    ),
    post(
        "/grupper/{slug}/beslut/{id}/skicka-igen",
        ManageMatters,
        GroupSlug,
        |f| on(f, decisions::resend),
    ),
    get("/moten/{id}/beslut", DraftMinutes, MeetingId, |f| {
        on(f, decisions::record_form)
    }),
    post("/moten/{id}/beslut", DraftMinutes, MeetingId, |f| {
        on(f, decisions::record_save)
    }),
    post("/moten/{id}/atgarder", PlanMeetings, MeetingId, |f| {
        on(f, meetings::add_action)
    }),
    post(
        "/moten/{id}/dagordning/mall",
        PlanMeetings,
        MeetingId,
        |f| on(f, meetings::apply_template),
    ),
    get(
        "/grupper/{slug}/dagordningsmall",
        PlanMeetings,
        GroupSlug,
        |f| on(f, meetings::template_form),
    ),
    post(
        "/grupper/{slug}/dagordningsmall",
        PlanMeetings,
        GroupSlug,
        |f| on(f, meetings::template_save),
    ),
    get("/grupper/{slug}/eskalera", ManageMatters, GroupSlug, |f| {
        on(f, decisions::escalate_form)
    }),
    post("/grupper/{slug}/eskalera", ManageMatters, GroupSlug, |f| {
        on(f, decisions::escalate_save)
    }),
    post("/fragor/{id}/svara", OwnAccount, Global, |f| {
        on(f, tasks::answer)
    }),
    get("/grupparenden", ReadPublished, Global, |f| {
        on(f, matters::region)
    }),
    get(
        "/grupper/{slug}/grupparenden",
        ReadPublished,
        GroupSlug,
        |f| on(f, matters::group),
    ),
    get(
        "/grupper/{slug}/grupparenden/ny",
        ManageMatters,
        GroupSlug,
        |f| on(f, matters::new),
    ),
    post(
        "/grupper/{slug}/grupparenden/ny",
        ManageMatters,
        GroupSlug,
        |f| on(f, matters::create),
    ),
    get(
        "/grupper/{slug}/grupparenden/{id}",
        ReadPublished,
        GroupSlug,
        |f| on(f, matters::show),
    ),
    post(
        "/grupper/{slug}/grupparenden/{id}/status",
        ManageMatters,
        GroupSlug,
        |f| on(f, matters::move_status),
    ),
    get("/mina-uppgifter", OwnAccount, Global, |f| {
        on(f, tasks::tasks)
    }),
    post("/atgarder/{id}/klar", OwnAccount, Global, |f| {
        on(f, tasks::action_done)
    }),
    get("/api/v1/organizations", ReadPublished, Global, |f| {
        on(f, api::organizations)
    }),
    get(
        "/api/v1/organizations/{slug}",
        ReadPublished,
        GroupSlug,
        |f| on(f, api::organization),
    ),
    put("/api/v1/organizations/{slug}", EditGroup, GroupSlug, |f| {
        on(f, api::organization_put)
    }),
    get(
        "/api/v1/organizations/{slug}/charters",
        ReadPublished,
        GroupSlug,
        |f| on(f, api::charters),
    ),
    get(
        "/api/v1/organizations/{slug}/charters/{version}",
        ReadPublished,
        GroupSlug,
        |f| on(f, api::charter),
    ),
    get(
        "/api/v1/organizations/{slug}/memberships",
        ReadPeople,
        GroupSlug,
        |f| on(f, api::memberships),
    ),
    get(
        "/api/v1/organizations/{slug}/decisions",
        ReadPublished,
        GroupSlug,
        |f| on(f, decisions::api::decisions),
    ),
    get(
        "/api/v1/organizations/{slug}/decisions/{id}",
        ReadPublished,
        GroupSlug,
        |f| on(f, decisions::api::decision),
    ),
    get(
        "/api/v1/organizations/{slug}/matters",
        ReadPublished,
        GroupSlug,
        |f| on(f, decisions::api::matters),
    ),
    get(
        "/api/v1/organizations/{slug}/matters/{id}",
        ReadPublished,
        GroupSlug,
        |f| on(f, decisions::api::matter),
    ),
    get("/oparl/v1.1", ReadPublished, Global, |f| {
        on(f, oparl::system)
    }),
    get("/oparl/v1.1/", ReadPublished, Global, |f| {
        on(f, oparl::system)
    }),
    get("/oparl/v1.1/bodies", ReadPublished, Global, |f| {
        on(f, oparl::bodies)
    }),
    get(
        "/oparl/v1.1/body/{body}/{list}",
        ReadPublished,
        Global,
        |f| on(f, oparl::list),
    ),
    get("/oparl/v1.1/{kind}/{key}", ReadPublished, Global, |f| {
        on(f, oparl::one)
    }),
    get("/api/v1/openapi.json", ReadPublished, Global, |f| {
        on(f, openapi::spec)
    }),
    post(
        "/api/v1/organizations/{slug}/memberships",
        EditMemberships,
        GroupSlug,
        |f| on(f, api_forms::membership_create),
    ),
    put(
        "/api/v1/memberships/{id}",
        EditMemberships,
        MembershipId,
        |f| on(f, api_forms::membership_put),
    ),
    get(
        "/api/v1/organizations/{slug}/meetings",
        ReadPublished,
        GroupSlug,
        |f| on(f, api_forms::meetings),
    ),
    post(
        "/api/v1/organizations/{slug}/meetings",
        PlanMeetings,
        GroupSlug,
        |f| on(f, api_forms::meeting_create),
    ),
    get("/api/v1/meetings/{id}", ReadPublished, MeetingId, |f| {
        on(f, api_forms::meeting)
    }),
    put("/api/v1/meetings/{id}", PlanMeetings, MeetingId, |f| {
        on(f, api_forms::meeting_put)
    }),
    post(
        "/api/v1/meetings/{id}/cancel",
        PlanMeetings,
        MeetingId,
        |f| on(f, api_forms::meeting_cancel),
    ),
    put(
        "/api/v1/meetings/{id}/minutes",
        DraftMinutes,
        MeetingId,
        |f| on(f, api_forms::minutes_put),
    ),
    post(
        "/api/v1/meetings/{id}/minutes/submit",
        DraftMinutes,
        MeetingId,
        |f| on(f, api_forms::minutes_submit),
    ),
    post(
        "/api/v1/meetings/{id}/minutes/approve",
        ApproveMinutes,
        MeetingId,
        |f| on(f, api_forms::minutes_approve),
    ),
    post(
        "/api/v1/meetings/{id}/minutes/return",
        ApproveMinutes,
        MeetingId,
        |f| on(f, api_forms::minutes_return),
    ),
    post(
        "/api/v1/meetings/{id}/minutes/publish",
        PublishMinutes,
        MeetingId,
        |f| on(f, api_forms::minutes_publish),
    ),
    post(
        "/api/v1/meetings/{id}/minutes/correct",
        DraftMinutes,
        MeetingId,
        |f| on(f, api_forms::minutes_correct),
    ),
    post(
        "/api/v1/organizations/{slug}/matters",
        ManageMatters,
        GroupSlug,
        |f| on(f, api_forms::matter_create),
    ),
    post(
        "/api/v1/organizations/{slug}/matters/{id}/status",
        ManageMatters,
        GroupSlug,
        |f| on(f, api_forms::matter_status),
    ),
    post(
        "/api/v1/meetings/{id}/decisions",
        DraftMinutes,
        MeetingId,
        |f| on(f, api_forms::decision_create),
    ),
    get("/api/v1/cases", ReadPublished, Global, |f| {
        on(f, api::cases)
    }),
    get("/api/v1/cases/{slug}", ReadPublished, Global, |f| {
        on(f, api::case)
    }),
];

/// Routes anyone may reach, whatever the policy: signing in, the language switch,
/// static files, the health and readiness checks, and personal calendar feeds (the address holds a
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
    ("GET", "/readyz"),
];

/// Checks the route's action against the policy before its handler runs.
pub(crate) async fn guard(
    State((state, spec)): State<(AppState, RouteSpec)>,
    Path(params): Path<HashMap<String, String>>,
    req: Request,
    next: Next,
) -> Response {
    let visitor = req
        .extensions()
        .get::<Visitor>()
        .cloned()
        .unwrap_or(Visitor::Anonymous { csrf: None });
    let api = crate::error::is_api_path(spec.path);
    let org = scope_org(&state, spec.scope, &params).await;
    let checked = match org {
        Ok(org) => auth::require(&state, &visitor, spec.action, org.as_ref()).await,
        Err(e) => Err(e),
    };
    match checked {
        Ok(()) => next.run(req).await,
        Err(e) if api => e.into_json(),
        Err(e) => e.into_response(),
    }
}

/// The group a route acts on: by slug, or through the meeting or membership its
/// path names. `None` when the path names nothing (the handler answers 404).
async fn scope_org(
    state: &AppState,
    scope: Scope,
    params: &HashMap<String, String>,
) -> Result<Option<samordna_store::Organization>, AppError> {
    let id = || params.get("id").and_then(|i| i.parse::<i64>().ok());
    let org_id = match scope {
        Scope::Global => return Ok(None),
        Scope::GroupSlug => {
            return match params.get("slug") {
                Some(slug) => Ok(state.store.organization_by_slug(slug).await?),
                None => Ok(None),
            }
        }
        Scope::MeetingId => match id() {
            Some(id) => state
                .store
                .meeting(id)
                .await?
                .map(|m| m.fields.organization_id),
            None => None,
        },
        Scope::MembershipId => match id() {
            Some(id) => state
                .store
                .membership(id)
                .await?
                .map(|m| m.fields.organization_id),
            None => None,
        },
    };
    match org_id {
        Some(org_id) => Ok(state.store.organization(org_id).await?),
        None => Ok(None),
    }
}
