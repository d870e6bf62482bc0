//! Sign-in, sessions, CSRF, conflicts, tokens, and the route × role matrix: every
//! route in `routes::ROUTES`, for every role, allowed or refused as the policy table
//! in the domain crate says.

use samordna_domain::calendar::swedish_date;
use std::collections::HashMap;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::NaiveDate;
use samordna_domain::policy::{self, Action, AnonymousAccess, MembershipRole, Role};
use samordna_store::testing::{import_seeds, raw_execute, TestDb};
use samordna_store::{MembershipFields, NewAccount, PersonFields, Store};
use samordna_web::auth::{hash_password, hash_secret};
use samordna_web::routes::{Scope, ROUTES};
use samordna_web::testing::{send, Browser, Res};

const PASSWORD: &str = "ett långt lösenord";

/// Signs in with the password every account of the world has.
async fn sign_in(app: &axum::Router, email: &str) -> Browser {
    Browser::sign_in(app, email, PASSWORD).await
}

struct World {
    db: TestDb,
    app: axum::Router,
    ids: HashMap<&'static str, i64>,
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

async fn world() -> World {
    world_on(TestDb::sqlite().await).await
}

async fn world_on(db: TestDb) -> World {
    let store: &Store = &db.store;
    import_seeds(store).await;
    let neo = store
        .organization_by_slug("samordningsgrupp-for-neonatalvarden")
        .await
        .unwrap()
        .unwrap();
    let adm = store
        .create_administration("Sahlgrenska Universitetssjukhuset", Some("SU"), "test")
        .await
        .unwrap();
    let hash = hash_password(PASSWORD).unwrap();
    let mut ids = HashMap::new();
    ids.insert("administration", adm);
    for (who, role, membership) in [
        ("admin", Some("admin"), None),
        ("director", Some("director"), None),
        ("reader", None, None),
        ("member", None, Some(MembershipRole::Deltagare)),
        ("chair", None, Some(MembershipRole::Ordforande)),
        ("coordinator", None, Some(MembershipRole::Koordinator)),
        ("contact", None, Some(MembershipRole::Kontaktperson)),
    ] {
        let person = store
            .create_person(
                &PersonFields {
                    name: format!("Person {who}"),
                    administration_id: Some(adm),
                    ..Default::default()
                },
                "test",
            )
            .await
            .unwrap();
        if let Some(r) = membership {
            let m = store
                .create_membership(
                    &MembershipFields {
                        person_id: person,
                        organization_id: neo.id,
                        role: r,
                        on_behalf_of_id: Some(adm),
                        voting_right: true,
                        appointed_by: None,
                        start_date: d("2024-01-01"),
                        end_date: None,
                    },
                    "test",
                )
                .await
                .unwrap();
            ids.insert("membership", m);
        }
        ids.insert("person", person);
        let email = format!("{who}@region.example");
        let acc = store
            .create_account(
                &NewAccount {
                    email: &email,
                    name: &format!("Person {who}"),
                    password_hash: Some(&hash),
                    system_role: role,
                    person_id: Some(person),
                    ..Default::default()
                },
                "test",
            )
            .await
            .unwrap();
        ids.insert(who, acc);
    }
    let meeting = store
        .create_meeting(
            &samordna_store::MeetingFields {
                organization_id: neo.id,
                kind: samordna_domain::meetings::MeetingKind::Ordinary,
                starts_at: chrono::Utc::now() + chrono::Duration::days(7),
                ends_at: chrono::Utc::now()
                    + chrono::Duration::days(7)
                    + chrono::Duration::hours(2),
                place: None,
                digital_link: None,
            },
            "test",
        )
        .await
        .unwrap();
    ids.insert("meeting", meeting);
    let app = samordna_web::router(db.store.clone());
    World { db, app, ids }
}

fn roles_of(who: &str) -> Vec<Role> {
    match who {
        "anonymous" => vec![Role::Anonymous],
        "reader" => vec![Role::Reader],
        "member" => vec![Role::Reader, Role::Member],
        "chair" => vec![Role::Reader, Role::Chair],
        "coordinator" => vec![Role::Reader, Role::Coordinator],
        "contact" => vec![Role::Reader, Role::ContactPerson],
        "director" => vec![Role::Reader, Role::Director],
        "admin" => vec![Role::Reader, Role::Admin],
        other => panic!("{other}"),
    }
}

/// How a route names the group its action is checked in, read from its path
/// independently of `ROUTES`: a group's pages and API by `{slug}`, a meeting's
/// by its `{id}`, a membership's by its `{id}`; everything else is global.
fn expected_scope(path: &str) -> Scope {
    if path.starts_with("/grupper/{slug}") || path.starts_with("/api/v1/organizations/{slug}") {
        Scope::GroupSlug
    } else if path.starts_with("/moten/{id}") || path.starts_with("/api/v1/meetings/{id}") {
        Scope::MeetingId
    } else if path.starts_with("/medlemskap/{id}") || path.starts_with("/api/v1/memberships/{id}") {
        Scope::MembershipId
    } else {
        Scope::Global
    }
}

/// Every route names its group as its path does: a group-scoped action checked
/// globally would let a coordinator of one group act in every group (issue 27,
/// item 7: the route × role test compared the scope and threw the answer away).
#[test]
fn every_route_is_checked_in_the_group_its_path_names() {
    let wrong: Vec<String> = ROUTES
        .iter()
        .filter(|r| r.scope != expected_scope(r.path))
        .map(|r| format!("{} {}: {:?}", r.method, r.path, r.scope))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// What each route is for, written down independently of `ROUTES`: a route whose
/// action in the table differs from this fails the test.
fn expected_action(method: &str, path: &str) -> Option<Action> {
    use Action::*;
    Some(match (method, path) {
        (
            "GET",
            "/"
            | "/grupper/{slug}"
            | "/grupper/{slug}/uppdragshandlingar/{version}"
            | "/grupper/{slug}/uppdragshandlingar/{version}/kalla"
            | "/grupper/{slug}/uppdragshandlingar/{version}/mall"
            | "/grupper/{slug}/uppdragshandlingar/{version}/jamfor"
            | "/grupper/{slug}/uppdragshandlingar/{version}/pdf"
            | "/grupper/{slug}/uppdragshandlingar/{version}/docx"
            | "/arenden"
            | "/arenden/{slug}"
            | "/sok"
            | "/tillganglighet"
            | "/forvaltningar",
        ) => ReadPublished,
        (
            "GET",
            "/api/v1/organizations"
            | "/api/v1/organizations/{slug}"
            | "/api/v1/organizations/{slug}/charters"
            | "/api/v1/organizations/{slug}/charters/{version}"
            | "/api/v1/cases"
            | "/api/v1/cases/{slug}"
            | "/api/v1/search"
            | "/api/v1/organizations/{slug}/decisions"
            | "/api/v1/organizations/{slug}/decisions/{id}"
            | "/api/v1/organizations/{slug}/matters"
            | "/api/v1/organizations/{slug}/matters/{id}"
            | "/oparl/v1.1"
            | "/oparl/v1.1/"
            | "/oparl/v1.1/bodies"
            | "/oparl/v1.1/body/{body}/{list}"
            | "/oparl/v1.1/{kind}/{key}",
        ) => ReadPublished,
        (
            "GET",
            "/grupper/{slug}/medlemmar" | "/personer" | "/api/v1/organizations/{slug}/memberships",
        ) => ReadPeople,
        ("GET", "/export" | "/export/{file}") => Export,
        (
            "GET",
            "/api/v1/openapi.json"
            | "/api/v1/organizations/{slug}/meetings"
            | "/api/v1/meetings/{id}",
        ) => ReadPublished,
        ("POST", "/api/v1/organizations/{slug}/memberships")
        | ("PUT", "/api/v1/memberships/{id}") => EditMemberships,
        ("POST", "/api/v1/organizations/{slug}/meetings" | "/api/v1/meetings/{id}/cancel")
        | ("PUT", "/api/v1/meetings/{id}") => PlanMeetings,
        ("PUT", "/api/v1/meetings/{id}/minutes")
        | (
            "POST",
            "/api/v1/meetings/{id}/minutes/submit"
            | "/api/v1/meetings/{id}/minutes/correct"
            | "/api/v1/meetings/{id}/decisions",
        ) => DraftMinutes,
        (
            "POST",
            "/api/v1/meetings/{id}/minutes/approve" | "/api/v1/meetings/{id}/minutes/return",
        ) => ApproveMinutes,
        ("POST", "/api/v1/meetings/{id}/minutes/publish") => PublishMinutes,
        (
            "POST",
            "/api/v1/organizations/{slug}/matters"
            | "/api/v1/organizations/{slug}/matters/{id}/status",
        ) => ManageMatters,
        (_, "/grupper/ny" | "/uppdragshandlingar/las-in" | "/uppdragshandlingar/las-in/spara") => {
            CreateGroup
        }
        (
            _,
            "/grupper/{slug}/redigera"
            | "/grupper/{slug}/undantag"
            | "/grupper/{slug}/undantag/{id}/avsluta"
            | "/grupper/{slug}/uppdragshandlingar/{version}/skicka",
        )
        | ("PUT", "/api/v1/organizations/{slug}") => EditGroup,
        (_, "/grupper/{slug}/medlemmar/ny" | "/medlemskap/{id}/redigera") => EditMemberships,
        (_, "/personer/ny" | "/personer/{id}/redigera") => EditPeople,
        (_, "/forvaltningar/ny" | "/forvaltningar/{id}/redigera") => EditAdministrations,
        ("GET", "/admin/logg") => ReadAudit,
        ("GET", "/regelefterlevnad") => ReadPeople,
        ("GET", "/organisation" | "/grupper/{slug}/organisation") => ReadPublished,
        ("GET", "/regelefterlevnad.csv") => Export,
        ("GET", "/admin/logg.csv") => Export,
        (
            _,
            "/konto"
            | "/konto/nycklar"
            | "/konto/nycklar/{id}/aterkalla"
            | "/konto/kalenderlankar"
            | "/konto/kalenderlankar/{id}/aterkalla"
            | "/logga-ut",
        ) => OwnAccount,
        (
            "GET",
            "/grupper/{slug}/moten"
            | "/grupper/{slug}/kalender.ics"
            | "/grupper/{slug}/anteckningar.atom"
            | "/moten/{id}"
            | "/moten/{id}/bilagor/{file}",
        ) => ReadPublished,
        (
            _,
            "/grupper/{slug}/moten/ny"
            | "/grupper/{slug}/moten/planera-ar"
            | "/moten/{id}/redigera"
            | "/moten/{id}/installa"
            | "/moten/{id}/narvaro"
            | "/moten/{id}/bilagor"
            | "/moten/{id}/dagordning"
            | "/moten/{id}/dagordning/publicera",
        ) => PlanMeetings,
        (
            _,
            "/moten/{id}/anteckningar"
            | "/moten/{id}/anteckningar/skicka"
            | "/moten/{id}/anteckningar/rattelse",
        ) => DraftMinutes,
        (_, "/moten/{id}/anteckningar/justera" | "/moten/{id}/anteckningar/aterforvisa") => {
            ApproveMinutes
        }
        (_, "/moten/{id}/anteckningar/publicera") => PublishMinutes,
        (
            "GET",
            "/beslut"
            | "/grupper/{slug}/beslut"
            | "/grupper/{slug}/beslut/{id}"
            | "/grupparenden"
            | "/grupper/{slug}/grupparenden"
            | "/grupper/{slug}/grupparenden/{id}",
        ) => ReadPublished,
        ("POST", "/grupper/{slug}/beslut/{id}/forankring") => RecordAnchoring,
        ("GET", "/grupper/{slug}/utkast/{id}")
        | ("POST", "/grupper/{slug}/utkast/{id}/kommentera") => ReadDrafts,
        ("POST", "/grupper/{slug}/utkast/{id}/besluta") => DecideCharter,
        (
            "POST",
            "/grupper/{slug}/utkast"
            | "/grupper/{slug}/utkast/{id}/spara"
            | "/grupper/{slug}/utkast/{id}/skicka"
            | "/grupper/{slug}/utkast/{id}/ateroppna",
        ) => EditGroup,
        (
            _,
            "/grupper/{slug}/beslut/{id}/skicka-igen"
            | "/grupper/{slug}/eskalera"
            | "/grupper/{slug}/grupparenden/ny"
            | "/grupper/{slug}/grupparenden/{id}/status",
        ) => ManageMatters,
        (_, "/moten/{id}/beslut") => DraftMinutes,
        (
            _,
            "/moten/{id}/atgarder"
            | "/moten/{id}/dagordning/mall"
            | "/grupper/{slug}/dagordningsmall",
        ) => PlanMeetings,
        (_, "/mina-uppgifter" | "/fragor/{id}/svara" | "/atgarder/{id}/klar") => OwnAccount,
        _ => return None,
    })
}

/// A concrete request for each route pattern. A route in ROUTES without a sample
/// here fails the test.
fn sample(path: &str, ids: &HashMap<&str, i64>) -> Option<String> {
    let p = match path {
        "/grupper/{slug}"
        | "/grupper/{slug}/redigera"
        | "/grupper/{slug}/undantag"
        | "/grupper/{slug}/medlemmar"
        | "/grupper/{slug}/medlemmar/ny" => {
            path.replace("{slug}", "samordningsgrupp-for-neonatalvarden")
        }
        "/grupper/{slug}/uppdragshandlingar/{version}"
        | "/grupper/{slug}/uppdragshandlingar/{version}/mall"
        | "/grupper/{slug}/uppdragshandlingar/{version}/jamfor"
        | "/grupper/{slug}/uppdragshandlingar/{version}/skicka"
        | "/grupper/{slug}/uppdragshandlingar/{version}/pdf"
        | "/grupper/{slug}/uppdragshandlingar/{version}/docx"
        | "/grupper/{slug}/uppdragshandlingar/{version}/kalla" => path
            .replace("{slug}", "samordningsgrupp-for-neonatalvarden")
            .replace("{version}", "1"),
        "/arenden/{slug}" => "/arenden/rs-2023-04038".into(),
        "/grupper/{slug}/beslut"
        | "/grupper/{slug}/utkast"
        | "/grupper/{slug}/eskalera"
        | "/grupper/{slug}/grupparenden"
        | "/grupper/{slug}/grupparenden/ny"
        | "/grupper/{slug}/dagordningsmall" => {
            path.replace("{slug}", "samordningsgrupp-for-neonatalvarden")
        }
        "/grupper/{slug}/beslut/{id}"
        | "/grupper/{slug}/utkast/{id}"
        | "/grupper/{slug}/utkast/{id}/spara"
        | "/grupper/{slug}/utkast/{id}/skicka"
        | "/grupper/{slug}/utkast/{id}/kommentera"
        | "/grupper/{slug}/utkast/{id}/ateroppna"
        | "/grupper/{slug}/utkast/{id}/besluta"
        | "/grupper/{slug}/beslut/{id}/forankring"
        | "/grupper/{slug}/beslut/{id}/skicka-igen"
        | "/grupper/{slug}/grupparenden/{id}"
        | "/grupper/{slug}/grupparenden/{id}/status" => path
            .replace("{slug}", "samordningsgrupp-for-neonatalvarden")
            .replace("{id}", "999999"),
        "/fragor/{id}/svara" | "/atgarder/{id}/klar" => path.replace("{id}", "999999"),
        "/grupper/{slug}/organisation"
        | "/grupper/{slug}/moten"
        | "/grupper/{slug}/moten/ny"
        | "/grupper/{slug}/moten/planera-ar"
        | "/grupper/{slug}/kalender.ics"
        | "/grupper/{slug}/anteckningar.atom" => {
            path.replace("{slug}", "samordningsgrupp-for-neonatalvarden")
        }
        p if p.starts_with("/moten/{id}") => p
            .replace("{id}", &ids["meeting"].to_string())
            .replace("{file}", "999"),
        "/medlemskap/{id}/redigera" => path.replace("{id}", &ids["membership"].to_string()),
        "/personer/{id}/redigera" => path.replace("{id}", &ids["person"].to_string()),
        "/forvaltningar/{id}/redigera" => path.replace("{id}", &ids["administration"].to_string()),
        "/konto/nycklar/{id}/aterkalla" | "/konto/kalenderlankar/{id}/aterkalla" => {
            path.replace("{id}", "999999")
        }
        "/grupper/{slug}/undantag/{id}/avsluta" => path
            .replace("{slug}", "samordningsgrupp-for-neonatalvarden")
            .replace("{id}", "999999"),
        "/api/v1/organizations/{slug}/decisions/{id}"
        | "/api/v1/organizations/{slug}/matters/{id}" => path
            .replace("{slug}", "samordningsgrupp-for-neonatalvarden")
            .replace("{id}", "999999"),
        "/api/v1/organizations/{slug}"
        | "/api/v1/organizations/{slug}/charters"
        | "/api/v1/organizations/{slug}/decisions"
        | "/api/v1/organizations/{slug}/matters"
        | "/api/v1/organizations/{slug}/memberships" => {
            path.replace("{slug}", "samordningsgrupp-for-neonatalvarden")
        }
        "/api/v1/organizations/{slug}/charters/{version}" => path
            .replace("{slug}", "samordningsgrupp-for-neonatalvarden")
            .replace("{version}", "1"),
        "/api/v1/cases/{slug}" => "/api/v1/cases/rs-2023-04038".into(),
        "/oparl/v1.1/body/{body}/{list}" => "/oparl/v1.1/body/region/meetings".into(),
        "/oparl/v1.1/{kind}/{key}" => "/oparl/v1.1/body/region".into(),
        p if p.starts_with("/api/v1/meetings/{id}") => {
            p.replace("{id}", &ids["meeting"].to_string())
        }
        "/api/v1/memberships/{id}" => path.replace("{id}", &ids["membership"].to_string()),
        "/api/v1/organizations/{slug}/matters/{id}/status" => path
            .replace("{slug}", "samordningsgrupp-for-neonatalvarden")
            .replace("{id}", "999999"),
        "/api/v1/organizations/{slug}/meetings" => {
            path.replace("{slug}", "samordningsgrupp-for-neonatalvarden")
        }
        "/export/{file}" => "/export/medlemmar.xlsx".into(),
        p if !p.contains('{') => p.to_string(),
        _ => return None,
    };
    Some(p)
}

#[tokio::test]
async fn every_route_for_every_role_is_allowed_or_refused_as_the_policy_says() {
    let w = world().await;
    let mut failures = Vec::new();
    for spec in ROUTES {
        assert!(
            sample(spec.path, &w.ids).is_some(),
            "route {} {} has no entry in the test table",
            spec.method,
            spec.path
        );
        let expected = expected_action(spec.method, spec.path);
        assert_eq!(
            expected,
            Some(spec.action),
            "route {} {} is guarded by the wrong action",
            spec.method,
            spec.path
        );
    }
    for who in [
        "anonymous",
        "reader",
        "member",
        "chair",
        "coordinator",
        "contact",
        "director",
        "admin",
    ] {
        let start = || async {
            if who == "anonymous" {
                let mut b = Browser::default();
                b.get(&w.app, "/logga-in").await;
                b
            } else {
                sign_in(&w.app, &format!("{who}@region.example")).await
            }
        };
        let mut b = start().await;
        for spec in ROUTES {
            let uri = sample(spec.path, &w.ids).unwrap();
            let r = match spec.method {
                "GET" => b.get(&w.app, &uri).await,
                "POST" => b.post(&w.app, &uri, &[("name", "")]).await,
                "PUT" => {
                    let req = Request::put(&uri)
                        .header("cookie", b.cookie_header())
                        .header("x-csrf-token", b.csrf.clone())
                        .header("content-type", "application/json")
                        .body(Body::from(r#"{"row_version": 1, "name": "Samordningsgrupp för neonatalvården", "kind": "samordningsgrupp"}"#))
                        .unwrap();
                    send(&w.app, req).await
                }
                m => panic!("{m}"),
            };
            let refused = matches!(r.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
                || r.headers
                    .get("location")
                    .is_some_and(|l| l.to_str().unwrap().starts_with("/logga-in"));
            let expected = policy::may(&roles_of(who), spec.action, AnonymousAccess::Published);
            if refused == expected {
                failures.push(format!(
                    "{who} {} {}: expected {}, got {}",
                    spec.method,
                    uri,
                    if expected { "allowed" } else { "refused" },
                    r.status
                ));
            }
            if !refused && r.status.is_server_error() {
                failures.push(format!("{who} {} {}: {}", spec.method, uri, r.status));
            }
            // A page's title is text: no markup leaks into it.
            if let Some(title) = r
                .body
                .split_once("<title>")
                .and_then(|(_, rest)| rest.split_once("</title>"))
                .map(|(t, _)| t)
            {
                if title.contains('<') {
                    failures.push(format!(
                        "{who} {} {}: markup in <title>: {title:.80}",
                        spec.method, uri
                    ));
                }
            }
            if spec.path == "/logga-ut" {
                b = start().await;
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    w.db.close().await;
}

#[tokio::test]
async fn a_state_changing_request_without_a_valid_csrf_token_is_refused() {
    let w = world().await;
    let mut admin = sign_in(&w.app, "admin@region.example").await;
    let before = w.db.store.people().await.unwrap().len();
    let good = admin.csrf.clone();
    for token in ["", "fel", "x".repeat(43).as_str()] {
        admin.csrf = token.to_string();
        let r = admin
            .post(&w.app, "/personer/ny", &[("name", "Ny Person")])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "token {token:?}");
        assert!(r.body.contains("Formuläret har gått ut"), "{}", r.body);
    }
    assert_eq!(
        w.db.store.people().await.unwrap().len(),
        before,
        "nothing was written"
    );
    admin.csrf = good;
    let r = admin
        .post(&w.app, "/personer/ny", &[("name", "Ny Person")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(w.db.store.people().await.unwrap().len(), before + 1);
    // Signing out needs the token too, so another site cannot sign a reader out.
    let mut reader = sign_in(&w.app, "reader@region.example").await;
    reader.csrf = "fel".into();
    assert_eq!(
        reader.post(&w.app, "/logga-ut", &[]).await.status,
        StatusCode::FORBIDDEN
    );
    w.db.close().await;
}

#[tokio::test]
async fn a_stale_save_gets_the_conflict_page_and_the_first_save_survives() {
    let w = world().await;
    let mut first = sign_in(&w.app, "coordinator@region.example").await;
    let mut second = sign_in(&w.app, "chair@region.example").await;
    let uri = format!("/medlemskap/{}/redigera", w.ids["membership"]);
    let form = first.get(&w.app, &uri).await;
    assert_eq!(form.status, StatusCode::OK);
    second.get(&w.app, &uri).await;
    let m =
        w.db.store
            .membership(w.ids["membership"])
            .await
            .unwrap()
            .unwrap();
    let person = m.fields.person_id.to_string();
    let fields = |role: &'static str, end: &'static str| {
        vec![
            ("person", person.clone()),
            ("role", role.to_string()),
            ("start_date", "2024-01-01".to_string()),
            ("end_date", end.to_string()),
            ("voting_right", "on".to_string()),
            ("row_version", "1".to_string()),
        ]
    };
    let as_refs = |v: &Vec<(&'static str, String)>| {
        v.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>()
    };
    let f1 = as_refs(&fields("koordinator", "2026-12-31"));
    let r1 = first
        .post(
            &w.app,
            &uri,
            &f1.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(r1.status, StatusCode::SEE_OTHER, "{}", r1.body);
    let events = w.db.store.audit_events().await.unwrap().len();
    let f2 = as_refs(&fields("deltagare", ""));
    let r2 = second
        .post(
            &w.app,
            &uri,
            &f2.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(r2.status, StatusCode::CONFLICT);
    assert!(
        r2.body.contains("Någon annan har sparat ändringar"),
        "{}",
        r2.body
    );
    assert!(
        r2.body.contains("Deltagare")
            && r2.body.contains("Koordinator")
            && r2.body.contains("2026-12-31"),
        "both versions are shown"
    );
    let saved =
        w.db.store
            .membership(w.ids["membership"])
            .await
            .unwrap()
            .unwrap();
    assert_eq!(
        saved.fields.role,
        MembershipRole::Koordinator,
        "the first save survives"
    );
    assert_eq!(saved.fields.end_date, Some(d("2026-12-31")));
    assert_eq!(
        w.db.store.audit_events().await.unwrap().len(),
        events,
        "a refused save writes nothing"
    );
    w.db.close().await;
}

#[tokio::test]
async fn a_form_save_leaves_one_audit_event_with_the_actor_and_the_change() {
    let w = world().await;
    let mut coord = sign_in(&w.app, "coordinator@region.example").await;
    let uri = format!("/medlemskap/{}/redigera", w.ids["membership"]);
    coord.get(&w.app, &uri).await;
    let m =
        w.db.store
            .membership(w.ids["membership"])
            .await
            .unwrap()
            .unwrap();
    let before = w.db.store.audit_events().await.unwrap().len();
    let person = m.fields.person_id.to_string();
    let r = coord
        .post(
            &w.app,
            &uri,
            &[
                ("person", &person),
                ("role", "koordinator"),
                ("start_date", "2024-01-01"),
                ("end_date", "2026-06-30"),
                ("row_version", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let events = w.db.store.audit_events().await.unwrap();
    assert_eq!(events.len(), before + 1);
    let e = events.last().unwrap();
    assert_eq!(e.actor, format!("account:{}", w.ids["coordinator"]));
    assert_eq!(e.action, "membership.updated");
    let change: serde_json::Value = serde_json::from_str(e.changes.as_deref().unwrap()).unwrap();
    assert_eq!(change["before"]["end_date"], serde_json::Value::Null);
    assert_eq!(change["after"]["end_date"], "2026-06-30");
    w.db.close().await;
}

#[tokio::test]
async fn validation_messages_stand_next_to_their_fields_in_swedish() {
    let w = world().await;
    let mut coord = sign_in(&w.app, "coordinator@region.example").await;
    coord
        .get(
            &w.app,
            "/grupper/samordningsgrupp-for-neonatalvarden/medlemmar/ny",
        )
        .await;
    let r = coord
        .post(
            &w.app,
            "/grupper/samordningsgrupp-for-neonatalvarden/medlemmar/ny",
            &[
                ("role", "deltagare"),
                ("start_date", "2026-02-30"),
                ("end_date", "2020-01-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("<p class=\"field-error\" id=\"e-person\">Fyll i person.</p>"),
        "{}",
        r.body
    );
    assert!(r
        .body
        .contains("id=\"e-start_date\">Skriv datumet som ÅÅÅÅ-MM-DD"));
    assert!(r
        .body
        .contains("aria-invalid=\"true\" aria-describedby=\"e-start_date\""));
    assert!(r.body.contains("Formuläret har fel som behöver rättas"));
    w.db.close().await;
}

#[tokio::test]
async fn failed_sign_ins_are_limited_per_account() {
    let w = world().await;
    let mut b = Browser::default();
    b.get(&w.app, "/logga-in").await;
    for _ in 0..5 {
        let r = b
            .post(
                &w.app,
                "/logga-in",
                &[
                    ("email", "reader@region.example"),
                    ("password", "fel lösenord"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.body.contains("Fel e-postadress eller lösenord."));
        assert!(!b.cookies.contains_key("samordna_session"));
    }
    let r = b
        .post(
            &w.app,
            "/logga-in",
            &[("email", "reader@region.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    // Another account from the same address is not locked by these five.
    let r = b
        .post(
            &w.app,
            "/logga-in",
            &[("email", "admin@region.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    w.db.close().await;
}

#[tokio::test]
async fn sessions_are_http_only_end_when_idle_and_on_sign_out() {
    let w = world().await;
    let mut b = Browser::default();
    b.get(&w.app, "/logga-in").await;
    let r = b
        .post(
            &w.app,
            "/logga-in",
            &[("email", "reader@region.example"), ("password", PASSWORD)],
        )
        .await;
    let cookie = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|c| c.starts_with("samordna_session="))
        .unwrap()
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain http on loopback");
    let page = b.get(&w.app, "/").await;
    assert!(
        page.body.contains("Person reader"),
        "the header names the account"
    );
    // Idle for longer than the idle timeout.
    raw_execute(
        &w.db.store,
        "UPDATE sessions SET last_seen_at = '2000-01-01T00:00:00Z'",
    )
    .await
    .unwrap();
    let page = b.get(&w.app, "/").await;
    assert!(
        !page.body.contains("Person reader"),
        "signed out after idling"
    );
    assert!(w
        .db
        .store
        .audit_events()
        .await
        .unwrap()
        .iter()
        .any(|e| e.action == "account.signed_out" && e.detail == "idle-timeout"));
    // Behind HTTPS the cookie is Secure.
    let mut b = Browser::default();
    b.get(&w.app, "/logga-in").await;
    let req = Request::post("/logga-in")
        .header("cookie", b.cookie_header())
        .header("x-forwarded-proto", "https")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(
            serde_urlencoded::to_string([
                ("_csrf", b.csrf.as_str()),
                ("email", "reader@region.example"),
                ("password", PASSWORD),
            ])
            .unwrap(),
        ))
        .unwrap();
    let r = send(&w.app, req).await;
    assert!(r
        .headers
        .get_all("set-cookie")
        .iter()
        .any(|c| c.to_str().unwrap().contains("; Secure")));
    // Signing out ends the session for good.
    let mut b = sign_in(&w.app, "reader@region.example").await;
    let secret = b.cookies["samordna_session"].clone();
    b.post(&w.app, "/logga-ut", &[]).await;
    assert!(w
        .db
        .store
        .session(&hash_secret(&secret))
        .await
        .unwrap()
        .is_none());
    w.db.close().await;
}

#[tokio::test]
async fn api_tokens_authorise_the_json_api_until_revoked() {
    let w = world().await;
    let uri = "/api/v1/organizations/samordningsgrupp-for-neonatalvarden/memberships";
    let call = |token: Option<&str>| {
        let mut req = Request::get(uri);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        send(&w.app, req.body(Body::empty()).unwrap())
    };
    let r = call(None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.starts_with("{\"error\""), "{}", r.body);
    let id =
        w.db.store
            .create_api_token(
                w.ids["reader"],
                "skript",
                &hash_secret("smd_hemlig"),
                "test",
            )
            .await
            .unwrap();
    let r = call(Some("smd_hemlig")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["count"], 4);
    w.db.store
        .revoke_api_token(w.ids["reader"], id, "test")
        .await
        .unwrap();
    assert_eq!(
        call(Some("smd_hemlig")).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        call(Some("smd_påhittad")).await.status,
        StatusCode::UNAUTHORIZED
    );
    // A token changes state without a CSRF token: it is not a cookie.
    let t2 = "smd_andra";
    w.db.store
        .create_api_token(w.ids["coordinator"], "skript", &hash_secret(t2), "test")
        .await
        .unwrap();
    let org =
        w.db.store
            .organization_by_slug("samordningsgrupp-for-neonatalvarden")
            .await
            .unwrap()
            .unwrap();
    let body = format!(
        r#"{{"row_version": {}, "name": "Samordningsgrupp för neonatalvården", "kind": "samordningsgrupp", "short_name": "SG neo", "reports_to": "samordningsrad-barn"}}"#,
        org.row_version
    );
    let put = |body: String| {
        send(
            &w.app,
            Request::put("/api/v1/organizations/samordningsgrupp-for-neonatalvarden")
                .header("authorization", format!("Bearer {t2}"))
                .header("content-type", "application/json")
                .body(Body::from(body))
                .unwrap(),
        )
    };
    let r = put(body.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = put(body).await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "the same row_version again is stale"
    );
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["saved"]["short_name"], "SG neo");
    assert!(v["yours"].is_object());
    w.db.close().await;
}

#[tokio::test]
async fn the_audit_log_is_for_admins_and_its_export_is_logged() {
    let w = world().await;
    let mut admin = sign_in(&w.app, "admin@region.example").await;
    let page = admin.get(&w.app, "/admin/logg?action=membership").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("membership.created"));
    assert!(!page.body.contains("charter_version.imported"), "filtered");
    let csv = admin
        .get(&w.app, "/admin/logg.csv?action=account.created")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert_eq!(
        csv.body.lines().count(),
        1 + 7,
        "a header and the seven accounts"
    );
    let last = w.db.store.audit_events().await.unwrap().pop().unwrap();
    assert_eq!(last.action, "export.downloaded");
    assert_eq!(last.actor, format!("account:{}", w.ids["admin"]));
    let mut director = sign_in(&w.app, "director@region.example").await;
    assert_eq!(
        director.get(&w.app, "/admin/logg").await.status,
        StatusCode::FORBIDDEN
    );
    w.db.close().await;
}

#[tokio::test]
async fn only_the_director_changes_a_groups_status() {
    let w = world().await;
    for (who, allowed) in [("admin", false), ("director", true)] {
        let mut b = sign_in(&w.app, &format!("{who}@region.example")).await;
        let form = b.get(&w.app, "/grupper/samordningsrad-barn/redigera").await;
        let disabled = form.body.contains("name=\"status\" disabled");
        assert_eq!(
            disabled,
            !allowed,
            "{who}: the status field is {}",
            if disabled { "disabled" } else { "enabled" }
        );
        let org =
            w.db.store
                .organization_by_slug("samordningsrad-barn")
                .await
                .unwrap()
                .unwrap();
        let v = org.row_version.to_string();
        let r = b
            .post(
                &w.app,
                "/grupper/samordningsrad-barn/redigera",
                &[
                    ("name", "Samordningsråd barn"),
                    ("kind", "samordningsrad"),
                    ("status", "dissolved"),
                    ("row_version", &v),
                ],
            )
            .await;
        let now =
            w.db.store
                .organization_by_slug("samordningsrad-barn")
                .await
                .unwrap()
                .unwrap();
        if allowed {
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
            assert_eq!(now.status, "dissolved");
        } else {
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(r.body.contains("Bara direktören kan ändra status."));
            assert_eq!(now.status, "active");
        }
    }
    w.db.close().await;
}

#[tokio::test]
async fn the_year_planner_warns_outside_the_charters_range() {
    let w = world().await;
    let mut kim = sign_in(&w.app, "coordinator@region.example").await;
    let uri = "/grupper/samordningsgrupp-for-neonatalvarden/moten/planera-ar";
    let form = kim.get(&w.app, uri).await;
    assert!(
        form.body
            .contains("Uppdragshandlingen anger 4–8 möten per år, digitalt när så är möjligt."),
        "{}",
        form.body
    );
    let fields = [
        ("first", "2027-02-01"),
        ("count", "2"),
        ("start", "09:00"),
        ("end", "11:00"),
    ];
    let r = kim.post(&w.app, uri, &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Utanför uppdragshandlingens intervall"));
    let before = w.db.store.meetings(None).await.unwrap().len();
    let r = kim
        .post(
            &w.app,
            uri,
            &[
                ("first", "2027-02-01"),
                ("count", "2"),
                ("start", "09:00"),
                ("end", "11:00"),
                ("confirm", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = kim
        .post(
            &w.app,
            uri,
            &[
                ("first", "2028-02-01"),
                ("count", "6"),
                ("start", "13:00"),
                ("end", "15:00"),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "inside the range: no question asked"
    );
    let all = w.db.store.meetings(None).await.unwrap();
    assert_eq!(all.len(), before + 8);
    let planned_2028: Vec<_> = all
        .iter()
        .filter(|m| m.fields.starts_at.format("%Y").to_string() == "2028")
        .collect();
    assert_eq!(planned_2028.len(), 6);
    assert!(
        planned_2028
            .windows(2)
            .all(|p| (p[1].fields.starts_at - p[0].fields.starts_at).num_days() >= 55),
        "spread over the year"
    );
    // Twelve meetings from a Saturday: none on a weekend or a Swedish public
    // holiday (2029: Easter on 1 April, midsommarafton 22 June, Christmas).
    let r = kim
        .post(
            &w.app,
            uri,
            &[
                ("first", "2029-01-06"),
                ("count", "12"),
                ("start", "09:00"),
                ("end", "11:00"),
                ("confirm", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let days: Vec<chrono::NaiveDate> =
        w.db.store
            .meetings(None)
            .await
            .unwrap()
            .iter()
            .map(|m| swedish_date(m.fields.starts_at))
            .filter(|d| d.format("%Y").to_string() == "2029")
            .collect();
    assert_eq!(days.len(), 12);
    for d in &days {
        use chrono::Datelike;
        assert!(
            !matches!(d.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun),
            "{d} is a weekend day"
        );
        assert!(
            !samordna_domain::holidays::is_holiday(*d),
            "{d} is a holiday"
        );
    }
    assert_eq!(
        days[0].to_string(),
        "2029-01-08",
        "Trettondedag jul on a Saturday → Monday"
    );
    // The same year planned again (a double click) adds nothing.
    let before = w.db.store.meetings(None).await.unwrap().len();
    let r = kim
        .post(
            &w.app,
            uri,
            &[
                ("first", "2029-01-06"),
                ("count", "12"),
                ("start", "09:00"),
                ("end", "11:00"),
                ("confirm", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        w.db.store.meetings(None).await.unwrap().len(),
        before,
        "no duplicates"
    );
    // A year no calendar can write is refused.
    let r = kim
        .post(
            &w.app,
            uri,
            &[
                ("first", "9999-12-31"),
                ("count", "4"),
                ("start", "09:00"),
                ("end", "11:00"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("från 1999-01-01, då regionen bildades"),
        "{}",
        r.body
    );
    w.db.close().await;
}

#[tokio::test]
async fn a_group_sets_its_publishing_step_days_to_approve_and_adjunct_limit() {
    let w = world().await;
    let mut kim = sign_in(&w.app, "coordinator@region.example").await;
    let uri = "/grupper/samordningsgrupp-for-neonatalvarden/redigera";
    kim.get(&w.app, uri).await;
    let org =
        w.db.store
            .organization_by_slug("samordningsgrupp-for-neonatalvarden")
            .await
            .unwrap()
            .unwrap();
    assert!(!org.publish_minutes_separately);
    let v = org.row_version.to_string();
    let base = [
        ("name", org.name.as_str()),
        ("kind", "samordningsgrupp"),
        ("status", "active"),
        ("row_version", v.as_str()),
    ];
    let mut bad = base.to_vec();
    bad.push(("overdue_days", "tusen"));
    let r = kim.post(&w.app, uri, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Skriv ett antal dagar mellan 1 och 365"));
    let mut bad = base.to_vec();
    bad.push(("adjunct_limit", "-1"));
    let r = kim.post(&w.app, uri, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Skriv ett antal mellan 0 och 100"));
    let mut good = base.to_vec();
    good.extend([
        ("publish_separately", "on"),
        ("overdue_days", "7"),
        ("adjunct_limit", "1"),
    ]);
    let r = kim.post(&w.app, uri, &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let org =
        w.db.store
            .organization_by_slug("samordningsgrupp-for-neonatalvarden")
            .await
            .unwrap()
            .unwrap();
    assert!(org.publish_minutes_separately);
    assert_eq!(org.minutes_overdue_days, Some(7));
    assert_eq!(org.adjunct_limit, Some(1));
    w.db.close().await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_sign_ins_are_limited_per_forwarded_address() {
    let w = world().await;
    let settings = samordna_web::Settings {
        trust_forwarded_for: true,
        ..Default::default()
    };
    let app = samordna_web::router_with(w.db.store.clone(), settings);
    let mut b = Browser::default();
    b.get(&app, "/logga-in").await;
    let attempt = |ip: &'static str, email: String, b: &Browser| {
        let body = serde_urlencoded::to_string([
            ("_csrf", b.csrf.as_str()),
            ("email", email.as_str()),
            ("password", "fel"),
        ])
        .unwrap();
        let req = Request::post("/logga-in")
            .header("cookie", b.cookie_header())
            // Whatever the client sent, then the address the proxy appended.
            .header("x-forwarded-for", format!("203.0.113.99, {ip}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        send(&app, req)
    };
    for i in 0..20 {
        assert_eq!(
            attempt("192.0.2.7", format!("nobody{i}@region.example"), &b)
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        attempt("192.0.2.7", "someone@region.example".into(), &b)
            .await
            .status,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        attempt("192.0.2.8", "someone@region.example".into(), &b)
            .await
            .status,
        StatusCode::UNAUTHORIZED,
        "another address is not locked"
    );
    // A client cannot pick its address: what it puts first is not believed.
    let body = serde_urlencoded::to_string([
        ("_csrf", b.csrf.as_str()),
        ("email", "someone@region.example"),
        ("password", "fel"),
    ])
    .unwrap();
    let forged = Request::post("/logga-in")
        .header("cookie", b.cookie_header())
        .header("x-forwarded-for", "9.9.9.9, 192.0.2.7")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    assert_eq!(
        send(&app, forged).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    w.db.close().await;
}

#[tokio::test]
async fn the_compliance_dashboard_shows_groups_by_rule_and_its_export_is_logged() {
    let w = world().await;
    let mut reader = sign_in(&w.app, "reader@region.example").await;
    let page = reader.get(&w.app, "/regelefterlevnad").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Regelefterlevnad i regionen"));
    assert!(page.body.contains(">Samordningsråd rättspsykiatri</a>"));
    assert!(page.body.contains("missing-chair") && page.body.contains("meeting-frequency"));
    assert!(page.body.contains("✗ fel"));
    // A column for the template: the 2026 councils follow it.
    assert!(page.body.contains("<th scope=\"col\">Mall</th>"));
    assert!(
        page.body.contains(">följer mallen<"),
        "a council in force follows its template"
    );
    let by_adm = reader
        .get(
            &w.app,
            "/regelefterlevnad?forvaltning=Sahlgrenska%20Universitetssjukhuset",
        )
        .await;
    assert!(
        by_adm.body.contains("Samordningsgrupp för neonatalvården"),
        "members on behalf of SU are in the neonatal group"
    );
    assert!(
        !by_adm.body.contains(">Samordningsråd rättspsykiatri</a>"),
        "no SU members there"
    );
    let only = reader
        .get(&w.app, "/regelefterlevnad?typ=samordningsgrupp")
        .await;
    assert!(
        only.body.contains("Samordningsgrupp för neonatalvården")
            && !only.body.contains(">Samordningsråd rättspsykiatri</a>")
    );
    assert_eq!(
        reader.get(&w.app, "/regelefterlevnad.csv").await.status,
        StatusCode::FORBIDDEN,
        "exports are for admins"
    );
    let mut admin = sign_in(&w.app, "admin@region.example").await;
    let csv = admin.get(&w.app, "/regelefterlevnad.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.body
            .contains("\nSamordningsråd rättspsykiatri;charter-undecided;Fel;"),
        "{}",
        &csv.body[..300.min(csv.body.len())]
    );
    let last = w.db.store.audit_events().await.unwrap().pop().unwrap();
    assert_eq!(last.action, "export.downloaded");
    assert_eq!(last.object_type, "compliance_findings");
    let anonymous = send(
        &w.app,
        Request::get("/regelefterlevnad")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(anonymous
        .headers
        .get("location")
        .is_some_and(|l| l.to_str().unwrap().starts_with("/logga-in")));
    w.db.close().await;
}

#[tokio::test]
async fn the_dashboard_sorts_by_any_column_and_links_each_finding() {
    let w = world().await;
    let mut reader = sign_in(&w.app, "reader@region.example").await;
    let pos = |body: &str, name: &str| {
        body.find(&format!(">{name}</a></th>"))
            .unwrap_or_else(|| panic!("{name} in the table"))
    };
    let by_name = reader.get(&w.app, "/regelefterlevnad").await.body;
    assert!(
        pos(&by_name, "Samordningsråd neurologi") < pos(&by_name, "Samordningsråd rättspsykiatri"),
        "by name at first"
    );
    assert!(by_name.contains("aria-sort=\"ascending\""));
    let by_rule = reader
        .get(&w.app, "/regelefterlevnad?ordning=charter-undecided")
        .await
        .body;
    assert!(
        pos(&by_rule, "Samordningsråd rättspsykiatri") < pos(&by_rule, "Samordningsråd neurologi"),
        "the group whose charter is undecided comes first"
    );
    let sorted_header = "aria-sort=\"descending\"><a href=\"/regelefterlevnad?typ=&#38;allvarlighet=&#38;forvaltning=&#38;ordning=charter-undecided\">";
    assert!(
        by_rule.contains(sorted_header),
        "{}",
        &by_rule[by_rule.find("<thead>").unwrap()..][..600]
    );
    assert!(by_rule.contains("sorterad efter charter-undecided"));
    assert!(
        by_rule.contains("href=\"/grupper/samordningsrad-rattspsykiatri#fynd-charter-undecided\""),
        "the cell links to the finding on the group page"
    );
    let group = reader
        .get(&w.app, "/grupper/samordningsrad-rattspsykiatri")
        .await
        .body;
    assert!(group.contains("id=\"fynd-charter-undecided\""));
    assert!(
        group.contains("href=\"/grupper/samordningsrad-rattspsykiatri#uppdragshandlingar\""),
        "and the finding links to where it is fixed"
    );
    assert!(group.contains("id=\"uppdragshandlingar\""));
    w.db.close().await;
}

#[tokio::test]
async fn a_coordinator_records_an_exception_that_clears_the_finding() {
    let w = world().await;
    let slug = "samordningsgrupp-for-neonatalvarden";
    let group_uri = format!("/grupper/{slug}");
    let uri = format!("/grupper/{slug}/undantag");
    let mut reader = sign_in(&w.app, "reader@region.example").await;
    let seen = reader.get(&w.app, &group_uri).await.body;
    assert!(
        seen.contains("id=\"fynd-meeting-frequency\""),
        "no meetings last year"
    );
    assert!(seen.contains(&format!("href=\"/grupper/{slug}/moten\">Till mötena")));
    assert!(
        !seen.contains("Registrera undantag"),
        "a reader may not record exceptions"
    );
    let mut kim = sign_in(&w.app, "coordinator@region.example").await;
    let seen = kim.get(&w.app, &group_uri).await.body;
    assert!(seen.contains(&format!("href=\"{uri}?regel=meeting-frequency\"")));
    let form = kim
        .get(&w.app, &format!("{uri}?regel=meeting-frequency"))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form
        .body
        .contains("<option value=\"meeting-frequency\" selected>"));
    assert!(form.body.contains("Gruppen har inga undantag."));

    let bad = kim
        .post(
            &w.app,
            &uri,
            &[
                ("rule", "meeting-frequency"),
                ("until", "2020-01-01"),
                ("reason", "  "),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Slutdatumet har redan passerat."));
    assert!(bad.body.contains("Skriv skälet till undantaget."));
    let bad = kim
        .post(
            &w.app,
            &uri,
            &[("rule", "ingen-regel"), ("until", "31/12"), ("reason", "x")],
        )
        .await;
    assert!(bad.body.contains("Välj en regel ur listan."));
    assert!(bad.body.contains("Skriv datumet som ÅÅÅÅ-MM-DD"));
    let org =
        w.db.store
            .organization_by_slug(slug)
            .await
            .unwrap()
            .unwrap();
    assert!(w.db.store.rule_exceptions(org.id).await.unwrap().is_empty());

    let until = (swedish_date(chrono::Utc::now()) + chrono::Duration::days(60)).to_string();
    let ok = kim
        .post(
            &w.app,
            &uri,
            &[
                ("rule", "meeting-frequency"),
                ("until", &until),
                ("reason", "Två möten avtalade med kontaktpersonen"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let list = kim.get(&w.app, &uri).await.body;
    assert!(list.contains("Två möten avtalade med kontaktpersonen"));
    assert!(list.contains("<td>Person coordinator</td>"));
    let after = reader.get(&w.app, &group_uri).await.body;
    assert!(
        !after.contains("id=\"fynd-meeting-frequency\""),
        "the exception clears the finding"
    );
    let last = w.db.store.audit_events().await.unwrap().pop().unwrap();
    assert_eq!(last.action, "rule_exception.added");
    assert_eq!(last.actor, format!("account:{}", w.ids["coordinator"]));

    // Ended early, the exception stays in the list and the finding is back.
    let end = list
        .split("action=\"")
        .filter_map(|rest| rest.split('"').next())
        .find(|href| href.ends_with("/avsluta"))
        .expect("an end button for the valid exception");
    let ended = kim.post(&w.app, end, &[]).await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER, "{}", ended.body);
    let list = kim.get(&w.app, &uri).await.body;
    assert!(list.contains("har löpt ut") && list.contains("Två möten avtalade"));
    assert!(!list.contains("/avsluta"), "nothing left to end");
    assert!(reader
        .get(&w.app, &group_uri)
        .await
        .body
        .contains("id=\"fynd-meeting-frequency\""));
    let events = w.db.store.audit_events().await.unwrap().len();
    assert_eq!(
        kim.post(&w.app, end, &[]).await.status,
        StatusCode::SEE_OTHER,
        "ending it again (a double click) is done"
    );
    let after = w.db.store.audit_events().await.unwrap();
    assert_eq!(after.len(), events, "and changes nothing");
    assert_eq!(after.last().unwrap().action, "rule_exception.ended");
    w.db.close().await;
}

/// Every return address becomes a path on this site or `/`: in the language switch,
/// on the sign-in form and after signing in. Never a 5xx.
#[tokio::test]
async fn return_addresses_never_leave_the_site() {
    let w = world().await;
    let bad = [
        "/\t/evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "/x\r\nSet-Cookie: a=b",
        " //evil.example",
        "/\u{0}/evil",
        "%2F%2Fevil.example",
    ];
    for till in bad {
        let q = serde_urlencoded::to_string([("till", till)]).unwrap();
        let r = send(
            &w.app,
            Request::get(format!("/sprak/en?{q}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert!(r.status.is_redirection(), "{till:?}: {}", r.status);
        assert_eq!(r.headers["location"], "/", "{till:?}");
        let mut b = Browser::default();
        let page = b.get(&w.app, &format!("/logga-in?{q}")).await;
        assert_eq!(page.status, StatusCode::OK, "{till:?}");
        assert!(
            page.body.contains("name=\"till\" value=\"/\""),
            "{till:?}: the form carries /"
        );
        let r = b
            .post(
                &w.app,
                "/logga-in",
                &[
                    ("email", "reader@region.example"),
                    ("password", PASSWORD),
                    ("till", till),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{till:?}");
        assert_eq!(r.headers["location"], "/", "{till:?}");
    }
    let r = send(
        &w.app,
        Request::get("/sprak/en?till=%2Fregelefterlevnad%3Fordning%3Dallvar")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.headers["location"], "/regelefterlevnad?ordning=allvar");
    w.db.close().await;
}

/// Forty wrong passwords sent at once: five are checked, the rest are refused
/// before the password is looked at.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_in_limit_holds_against_requests_sent_at_once() {
    let w = world().await;
    let mut b = Browser::default();
    b.get(&w.app, "/logga-in").await;
    // All spawned before any is awaited: they run at once on the two workers.
    let handles: Vec<_> = (0..40)
        .map(|_| {
            let app = w.app.clone();
            let body = serde_urlencoded::to_string([
                ("_csrf", b.csrf.as_str()),
                ("email", "reader@region.example"),
                ("password", "fel lösenord"),
            ])
            .unwrap();
            let req = Request::post("/logga-in")
                .header("cookie", b.cookie_header())
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap();
            tokio::spawn(async move { send(&app, req).await.status })
        })
        .collect();
    let mut statuses = Vec::new();
    for h in handles {
        statuses.push(h.await.unwrap());
    }
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((checked, refused), (5, 35), "{statuses:?}");
    let failures =
        w.db.store
            .audit_events()
            .await
            .unwrap()
            .iter()
            .filter(|e| e.action == "account.sign_in_failed")
            .count();
    assert_eq!(failures, 5);
    // The 35 refused for the account did not use up the address's limit: another
    // account from the same address still signs in.
    let r = b
        .post(
            &w.app,
            "/logga-in",
            &[("email", "admin@region.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "another account is not locked out"
    );
    w.db.close().await;
}

/// A new sign-in sends one session cookie, with a stale cookie or a live one, and
/// ends the session it replaces.
#[tokio::test]
async fn a_new_sign_in_sends_one_cookie_and_ends_the_session_it_replaces() {
    let w = world().await;
    let session_cookies = |r: &Res| {
        r.headers
            .get_all("set-cookie")
            .iter()
            .filter(|c| c.to_str().unwrap().starts_with("samordna_session="))
            .count()
    };
    // A stale cookie from a session long gone.
    let mut b = Browser::default();
    b.get(&w.app, "/logga-in").await;
    b.cookies
        .insert("samordna_session".into(), "gammal-och-okand".into());
    let r = b
        .post(
            &w.app,
            "/logga-in",
            &[("email", "reader@region.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(session_cookies(&r), 1, "one session cookie");
    let first = b.cookies["samordna_session"].clone();
    assert_ne!(first, "gammal-och-okand");
    // Signing in again over a live session ends it.
    b.get(&w.app, "/logga-in").await;
    let r = b
        .post(
            &w.app,
            "/logga-in",
            &[("email", "admin@region.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(session_cookies(&r), 1);
    let second = b.cookies["samordna_session"].clone();
    assert_ne!(first, second);
    assert!(
        w.db.store
            .session(&hash_secret(&first))
            .await
            .unwrap()
            .is_none(),
        "the replaced session no longer works"
    );
    assert!(w
        .db
        .store
        .session(&hash_secret(&second))
        .await
        .unwrap()
        .is_some());
    w.db.close().await;
}

/// A reporting line that would close a loop is refused, by the form and the API
/// alike; the API makes every check the form makes, and says which field is wrong.
/// `GET` gives the version (`row_version` and an `ETag`) that `PUT` needs.
#[tokio::test]
async fn the_form_and_the_api_check_a_group_edit_the_same_way() {
    let w = world().await;
    let store = &w.db.store;
    let ortopedi = store
        .organization_by_slug("samordningsrad-ortopedi")
        .await
        .unwrap()
        .unwrap();
    let neurologi = store
        .organization_by_slug("samordningsrad-neurologi")
        .await
        .unwrap()
        .unwrap();
    // Neurologi reports to ortopedi; then ortopedi → neurologi through the form.
    let mut admin = sign_in(&w.app, "admin@region.example").await;
    let edit = |slug: &str| format!("/grupper/{slug}/redigera");
    admin.get(&w.app, &edit("samordningsrad-neurologi")).await;
    let r = admin
        .post(
            &w.app,
            &edit("samordningsrad-neurologi"),
            &[
                ("row_version", &neurologi.row_version.to_string()),
                ("name", "Samordningsråd neurologi"),
                ("kind", "samordningsrad"),
                ("reports_to", &ortopedi.id.to_string()),
                ("status", "active"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    admin.get(&w.app, &edit("samordningsrad-ortopedi")).await;
    let r = admin
        .post(
            &w.app,
            &edit("samordningsrad-ortopedi"),
            &[
                ("row_version", &ortopedi.row_version.to_string()),
                ("name", "Samordningsråd ortopedi"),
                ("kind", "samordningsrad"),
                ("reports_to", &neurologi.id.to_string()),
                ("status", "active"),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the form again, with its error"
    );
    assert!(
        r.body.contains("Rapportvägen skulle gå i en ring"),
        "{}",
        r.body
    );
    let o = store
        .organization_by_slug("samordningsrad-ortopedi")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(o.reports_to_id, None, "nothing saved");
    // Both groups are still in the register.
    let register = admin.get(&w.app, "/").await.body;
    assert!(
        register.contains("Samordningsråd ortopedi")
            && register.contains("Samordningsråd neurologi")
    );

    // The API: GET gives the version and an ETag.
    let token = "smd_registerhallare";
    store
        .create_api_token(w.ids["admin"], "api", &hash_secret(token), "test")
        .await
        .unwrap();
    let uri = "/api/v1/organizations/samordningsrad-ortopedi";
    let got = send(
        &w.app,
        Request::get(uri)
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let v: serde_json::Value = serde_json::from_str(&got.body).unwrap();
    let version = v["organization"]["row_version"]
        .as_i64()
        .expect("row_version");
    let tag = got.headers["etag"].to_str().unwrap().to_string();
    assert_eq!(tag, format!("\"{version}\""));
    let put = |body: serde_json::Value, if_match: Option<String>| {
        let mut req = Request::put(uri)
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json");
        if let Some(m) = if_match {
            req = req.header("if-match", m);
        }
        send(&w.app, req.body(Body::from(body.to_string())).unwrap())
    };
    let base = serde_json::json!({
        "name": "Samordningsråd ortopedi",
        "kind": "samordningsrad",
        "row_version": version,
    });
    let with = |k: &str, v: serde_json::Value| {
        let mut b = base.clone();
        b[k] = v;
        b
    };
    for (body, field) in [
        (
            with("reports_to", "samordningsrad-ortopedi".into()),
            "reports_to",
        ),
        (
            with("reports_to", "samordningsrad-neurologi".into()),
            "reports_to",
        ),
        (
            with("minutes_overdue_days", (-5).into()),
            "minutes_overdue_days",
        ),
        (with("adjunct_limit", 1000.into()), "adjunct_limit"),
        (
            with("aliases", serde_json::json!(["SOR ortopedi", "  "])),
            "aliases",
        ),
        (with("name", "   ".into()), "name"),
        (with("kind", "kommitté".into()), "kind"),
        (
            with("liaisons", serde_json::json!(["finns-inte"])),
            "liaisons",
        ),
    ] {
        let r = put(body.clone(), None).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}: {}", r.body);
        let e: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert!(
            e["errors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["field"] == field),
            "{body}: {}",
            r.body
        );
    }
    assert_eq!(
        store
            .organization_by_slug("samordningsrad-ortopedi")
            .await
            .unwrap()
            .unwrap()
            .row_version,
        version,
        "nothing was saved"
    );
    // If-Match with the ETag saves; the same tag again is stale: 412.
    let mut body = base.clone();
    body.as_object_mut().unwrap().remove("row_version");
    body["short_name"] = "SOR ortopedi".into();
    let r = put(body.clone(), Some(tag.clone())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.headers["etag"].to_str().unwrap(),
        format!("\"{}\"", version + 1)
    );
    let r = put(body, Some(tag)).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED, "{}", r.body);
    w.db.close().await;
}

/// Odd input in every place a visitor can put it — path parameters, queries, form
/// fields, file names, JSON — never gives a server error, on either database.
async fn no_input_gives_a_server_error(db: TestDb) {
    let w = world_on(db).await;
    let odd = [
        "%00",
        "a%00b",
        "%FF%FE",
        "..%2F..%2Fetc",
        "-1",
        "99999999999999999999999",
        "%27%3B%20DROP%20TABLE%20organizations%3B--",
        "%3Cscript%3E",
        "%E2%80%AE%C2%AD",
        &"x".repeat(3000),
    ];
    let mut admin = sign_in(&w.app, "admin@region.example").await;
    let mut failures = Vec::new();
    let mut check = |what: String, r: &Res| {
        if r.status.is_server_error() {
            failures.push(format!(
                "{what}: {} {}",
                r.status,
                &r.body[..r.body.len().min(200)]
            ));
        }
    };
    // Every GET route with odd path parameters, as an admin (who may see most).
    for spec in ROUTES.iter().filter(|s| s.method == "GET") {
        for o in odd {
            let uri = spec
                .path
                .replace("{slug}", o)
                .replace("{id}", o)
                .replace("{version}", o)
                .replace("{file}", o);
            let r = admin.get(&w.app, &uri).await;
            check(format!("GET {uri}"), &r);
        }
    }
    // Queries.
    for path in [
        "/admin/logg?action=",
        "/admin/logg?actor=",
        "/regelefterlevnad?typ=",
        "/regelefterlevnad?ordning=",
        "/regelefterlevnad?forvaltning=",
        "/sprak/en?till=",
        "/logga-in?till=",
        "/admin/logg.csv?action=",
        "/grupper/samordningsrad-neurologi/undantag?regel=",
    ] {
        for o in odd {
            let uri = format!("{path}{o}");
            let r = admin.get(&w.app, &uri).await;
            check(format!("GET {uri}"), &r);
        }
    }
    // Form fields.
    let texts = [
        "\u{0}",
        "a\u{0}b",
        "\u{202e}\u{ad}\u{feff}",
        "'; DROP TABLE organizations;--",
        "<script>alert(1)</script>",
        "=cmd|' /C calc'!A0",
        "-5000-01-01",
        "+275760-09-13",
        "2026-02-30",
        "25:61",
        "99999999999999999999",
    ];
    let meeting = format!("/moten/{}", w.ids["meeting"]);
    let forms: Vec<(String, Vec<&str>)> = vec![
        (
            "/grupper/ny".into(),
            vec![
                "name",
                "short_name",
                "kind",
                "area",
                "reports_to",
                "status",
                "aliases",
                "overdue_days",
                "adjunct_limit",
                "liaisons",
            ],
        ),
        (
            "/personer/ny".into(),
            vec!["name", "title", "email", "phone", "administration"],
        ),
        ("/forvaltningar/ny".into(), vec!["name", "short_name"]),
        (
            "/grupper/samordningsgrupp-for-neonatalvarden/moten/ny".into(),
            vec!["date", "start", "end", "kind", "place", "digital_link"],
        ),
        (
            "/grupper/samordningsgrupp-for-neonatalvarden/moten/planera-ar".into(),
            vec!["first", "count", "start", "end", "place"],
        ),
        (
            "/grupper/samordningsgrupp-for-neonatalvarden/medlemmar/ny".into(),
            vec![
                "person",
                "role",
                "on_behalf_of",
                "appointed_by",
                "start_date",
                "end_date",
            ],
        ),
        (
            "/grupper/samordningsgrupp-for-neonatalvarden/undantag".into(),
            vec!["rule", "until", "reason"],
        ),
        (
            format!("{meeting}/dagordning"),
            vec!["title", "presenter", "minutes"],
        ),
        (format!("{meeting}/anteckningar"), vec!["body"]),
        (
            format!("{meeting}/narvaro"),
            vec!["present", "substitutes", "guests"],
        ),
        (format!("{meeting}/installa"), vec!["reason"]),
        ("/konto/nycklar".into(), vec!["name"]),
        ("/logga-in".into(), vec!["email", "password", "till"]),
    ];
    for (action, fields) in &forms {
        for t in texts {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|f| (*f, t)).collect();
            let r = admin.post(&w.app, action, &pairs).await;
            check(format!("POST {action} with {t:?}"), &r);
            if *action == "/logga-in" {
                admin = sign_in(&w.app, "admin@region.example").await;
            }
        }
    }
    // File names.
    let item =
        w.db.store
            .add_agenda_item(w.ids["meeting"], "Punkt", None, None, "test")
            .await
            .unwrap();
    for name in [
        "",
        ".",
        "..",
        "\u{0}.pdf",
        "a/b\\c.pdf",
        "\"\r\n.pdf",
        "Förslag till åtgärder 2026.pdf",
        &format!("{}.pdf", "å".repeat(500)),
        "\u{202e}fdp.exe",
    ] {
        let boundary = "XyZ";
        let body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"item\"\r\n\r\n{item}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n--{boundary}--\r\n");
        let req = Request::post(format!("{meeting}/bilagor?_csrf={}", admin.csrf))
            .header("cookie", admin.cookie_header())
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        let r = send(&w.app, req).await;
        check(format!("upload {name:?}"), &r);
    }
    for a in w.db.store.attachments(w.ids["meeting"]).await.unwrap() {
        let r = admin
            .get(&w.app, &format!("{meeting}/bilagor/{}", a.id))
            .await;
        check(format!("download {:?}", a.filename), &r);
    }
    // JSON.
    let token = "smd_udda";
    w.db.store
        .create_api_token(w.ids["admin"], "udda", &hash_secret(token), "test")
        .await
        .unwrap();
    for body in [
        "{}".to_string(),
        "[]".into(),
        "null".into(),
        "{\"row_version\": 1}".into(),
        "{\"row_version\": 1, \"name\": \"a\\u0000b\", \"kind\": \"samordningsgrupp\"}".into(),
        "{\"row_version\": 99999999999999999999, \"name\": \"x\", \"kind\": \"x\"}".into(),
        format!("{{\"row_version\": 1, \"name\": \"{}\", \"kind\": \"samordningsgrupp\", \"aliases\": [\"\\u0000\"], \"reports_to\": \"\\u0000\"}}", "y".repeat(5000)),
    ] {
        let req = Request::put("/api/v1/organizations/samordningsgrupp-for-neonatalvarden")
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .header("if-match", "\"abc\"")
            .body(Body::from(body.clone()))
            .unwrap();
        let r = send(&w.app, req).await;
        check(format!("PUT {body:.80}"), &r);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    w.db.close().await;
}

#[tokio::test]
async fn no_input_gives_a_server_error_sqlite() {
    no_input_gives_a_server_error(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn no_input_gives_a_server_error_postgres() {
    no_input_gives_a_server_error(TestDb::postgres().await).await;
}

/// Through the portal: a double click on a minutes step is answered as done; a
/// step the minutes have moved past gets 409 naming the state they are in now.
#[tokio::test]
async fn a_double_click_on_a_minutes_step_is_done_and_a_late_step_gets_409() {
    let w = world().await;
    // A meeting held yesterday (minutes are sent after the meeting).
    let neo =
        w.db.store
            .organization_by_slug("samordningsgrupp-for-neonatalvarden")
            .await
            .unwrap()
            .unwrap();
    let held_at = chrono::Utc::now() - chrono::Duration::days(1);
    let held =
        w.db.store
            .create_meeting(
                &samordna_store::MeetingFields {
                    organization_id: neo.id,
                    kind: samordna_domain::meetings::MeetingKind::Ordinary,
                    starts_at: held_at,
                    ends_at: held_at + chrono::Duration::hours(2),
                    place: None,
                    digital_link: None,
                },
                "test",
            )
            .await
            .unwrap();
    let meeting = format!("/moten/{held}");
    let mut kim = sign_in(&w.app, "coordinator@region.example").await;
    kim.get(&w.app, &format!("{meeting}/anteckningar")).await;
    let r = kim
        .post(
            &w.app,
            &format!("{meeting}/anteckningar"),
            &[("body", "## 1. Punkt\nBeslut.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    kim.get(&w.app, &meeting).await;
    for _ in 0..2 {
        let r = kim
            .post(&w.app, &format!("{meeting}/anteckningar/skicka"), &[])
            .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "submit (twice): {}",
            r.body
        );
    }
    let mut chair = sign_in(&w.app, "chair@region.example").await;
    chair.get(&w.app, &meeting).await;
    for _ in 0..2 {
        let r = chair
            .post(&w.app, &format!("{meeting}/anteckningar/justera"), &[])
            .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "approve (twice): {}",
            r.body
        );
    }
    let r = chair
        .post(
            &w.app,
            &format!("{meeting}/anteckningar/aterforvisa"),
            &[("comment", "Komplettera")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("De är nu: Publicerad"), "{}", r.body);
    let events = w.db.store.audit_events().await.unwrap();
    for action in ["minutes.submitted", "minutes.published"] {
        assert_eq!(
            events.iter().filter(|e| e.action == action).count(),
            1,
            "{action} once"
        );
    }
    w.db.close().await;
}

/// A `PUT` changes what it names: liaisons and aliases left out stay; a stale
/// answer names other groups by slug, as `GET` does.
#[tokio::test]
async fn a_put_leaves_what_it_does_not_name() {
    let w = world().await;
    let token = "smd_put";
    w.db.store
        .create_api_token(w.ids["admin"], "api", &hash_secret(token), "test")
        .await
        .unwrap();
    let uri = "/api/v1/organizations/samordningsgrupp-for-neonatalvarden";
    let neo =
        w.db.store
            .organization_by_slug("samordningsgrupp-for-neonatalvarden")
            .await
            .unwrap()
            .unwrap();
    let before = w.db.store.org_fields(&neo).await.unwrap();
    assert_eq!(before.liaison_ids.len(), 2, "the seed names two councils");
    let put = |body: String| {
        send(
            &w.app,
            Request::put(uri)
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .body(Body::from(body))
                .unwrap(),
        )
    };
    let body = format!(
        r#"{{"row_version": {}, "name": "Samordningsgrupp för neonatalvården", "kind": "samordningsgrupp", "short_name": "SG neo"}}"#,
        neo.row_version
    );
    let r = put(body.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let neo =
        w.db.store
            .organization_by_slug("samordningsgrupp-for-neonatalvarden")
            .await
            .unwrap()
            .unwrap();
    let after = w.db.store.org_fields(&neo).await.unwrap();
    assert_eq!(after.liaison_ids, before.liaison_ids, "liaisons kept");
    assert_eq!(after.aliases, before.aliases, "aliases kept");
    assert_eq!(after.reports_to_id, before.reports_to_id);
    let r = put(body).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["saved"]["reports_to"], "samordningsrad-barn");
    assert_eq!(v["saved"]["liaisons"].as_array().unwrap().len(), 2);
    assert!(v["saved"]["liaisons"][0].is_string(), "slugs, not ids");
    let got = send(&w.app, Request::get(uri).body(Body::empty()).unwrap()).await;
    let g: serde_json::Value = serde_json::from_str(&got.body).unwrap();
    assert!(
        !g["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "Samordningsgrupp för neonatalvården"),
        "the group's own name is not among its aliases"
    );
    w.db.close().await;
}

/// Errors speak the reader's language too, the API's included; a client without a
/// key that tries to write through the API gets JSON 401, not a page.
#[tokio::test]
async fn errors_are_in_the_readers_language_and_the_api_answers_json() {
    let w = world().await;
    let en = |req: axum::http::request::Builder| req.header("accept-language", "en");
    let r = send(
        &w.app,
        en(Request::get("/api/v1/organizations/finns-inte"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(
        r.body
            .contains("There is no group at the address finns-inte"),
        "{}",
        r.body
    );
    let r = send(
        &w.app,
        en(Request::put("/api/v1/organizations/samordningsrad-barn"))
            .header("content-type", "application/json")
            .body(Body::from("{}"))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    assert!(r.body.contains("Send an API key"), "{}", r.body);
    let r = send(
        &w.app,
        en(Request::post("/logga-ut"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from("_csrf=fel"))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("The form has expired"), "{}", r.body);
    assert!(!r.body.contains("Formuläret har gått ut"));
    w.db.close().await;
}

/// A query string or a JSON body that cannot be read is a 400 that names the
/// parameter or field in the reader's language (a page, or the API's JSON); a
/// method an address does not take is a 405 in the same shapes.
#[tokio::test]
async fn unreadable_input_is_named_in_the_readers_language() {
    let w = world().await;
    let token = "smd_bad_input";
    w.db.store
        .create_api_token(w.ids["admin"], "api", &hash_secret(token), "test")
        .await
        .unwrap();
    let req = |method: &str, uri: &str, lang: &str| {
        Request::builder()
            .method(method)
            .uri(uri)
            .header("accept-language", lang)
            .header("authorization", format!("Bearer {token}"))
    };
    // Pages: a page of the site, in Swedish and in English.
    for (uri, param, value) in [
        ("/?sida=abc", "sida", "abc"),
        ("/?sida=-1", "sida", "-1"),
        ("/arenden?sida=2x", "sida", "2x"),
        ("/?sida=2&sida=3", "sida", "2"),
    ] {
        for (lang, words) in [
            ("sv", "har ett värde som inte kan läsas"),
            ("en", "has a value that cannot be read"),
        ] {
            let r = send(&w.app, req("GET", uri, lang).body(Body::empty()).unwrap()).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
            assert!(r.body.contains("<main"), "a page with its chrome: {uri}");
            assert!(
                r.body.contains(words)
                    && r.body.contains(param)
                    && (r.body.contains(&format!("”{value}”"))
                        || r.body.contains(&format!("“{value}”"))),
                "{uri} ({lang}): {}",
                r.body
            );
        }
    }
    // The API: JSON with the status and the parameter named.
    for uri in [
        "/api/v1/organizations?page=-1",
        "/api/v1/cases?per_page=abc",
        "/api/v1/organizations?page=99999999999999999999",
    ] {
        let r = send(&w.app, req("GET", uri, "en").body(Body::empty()).unwrap()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        let v: serde_json::Value = serde_json::from_str(&r.body).expect(uri);
        assert_eq!(v["error"]["status"], 400);
        let m = v["error"]["message"].as_str().unwrap();
        assert!(
            m.starts_with("The address parameter")
                && (m.contains("page") || m.contains("per_page")),
            "{m}"
        );
    }
    // A JSON body: the missing or wrong field is named.
    let put = |body: &'static str, lang: &str| {
        req("PUT", "/api/v1/organizations/samordningsrad-barn", lang)
            .header("content-type", "application/json")
            .body(Body::from(body))
            .unwrap()
    };
    let r = send(&w.app, put(r#"{"kind": "samordningsrad"}"#, "sv")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("Fältet name kan inte läsas"),
        "{v}"
    );
    let r = send(
        &w.app,
        put(r#"{"name": 5, "kind": "samordningsrad"}"#, "en"),
    )
    .await;
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("The field name cannot be read"),
        "{v}"
    );
    let r = send(&w.app, put("{", "en")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("Invalid JSON"), "{}", r.body);
    // 405: JSON under /api/ with Allow, a page elsewhere.
    let r = send(
        &w.app,
        req("DELETE", "/api/v1/organizations/samordningsrad-barn", "en")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    let v: serde_json::Value = serde_json::from_str(&r.body).expect("a JSON error");
    assert_eq!(v["error"]["status"], 405);
    assert!(
        r.headers
            .get("allow")
            .is_some_and(|a| a.to_str().unwrap().contains("GET")),
        "{:?}",
        r.headers
    );
    let r = send(
        &w.app,
        req("PUT", "/arenden", "sv").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(r.body.contains("Metoden stöds inte"), "{}", r.body);
    w.db.close().await;
}

/// Every link a page offers can be followed by the visitor it is offered to: a
/// crawl of the site as a reader, a member, a coordinator and a director finds no
/// link that answers 401, 403, 404 or 5xx.
#[tokio::test]
async fn every_link_a_visitor_is_offered_can_be_followed() {
    let w = world().await;
    for who in ["reader", "member", "coordinator", "director"] {
        let mut b = sign_in(&w.app, &format!("{who}@region.example")).await;
        let mut queue = vec![("/".to_string(), "start".to_string())];
        let mut seen = std::collections::HashSet::new();
        let mut broken = Vec::new();
        while let Some((uri, from)) = queue.pop() {
            if !seen.insert(uri.clone()) || seen.len() > 400 {
                continue;
            }
            let r = b.get(&w.app, &uri).await;
            let code = r.status.as_u16();
            if code >= 400 {
                broken.push(format!("{code} {uri} (linked from {from})"));
                continue;
            }
            if !r.content_type.starts_with("text/html") {
                continue;
            }
            for part in r.body.split("<a ").skip(1) {
                let Some(start) = part.find("href=\"") else {
                    continue;
                };
                let rest = &part[start + 6..];
                let href = rest[..rest.find('"').unwrap_or(0)]
                    .replace("&#38;", "&")
                    .replace("&amp;", "&");
                let href = href.split('#').next().unwrap_or("").to_string();
                // Same site; not the language switch or signing out (they change
                // the visit, not the page).
                if href.starts_with('/')
                    && !href.starts_with("//")
                    && !href.starts_with("/sprak/")
                    && !href.starts_with("/logga-ut")
                {
                    queue.push((href, uri.clone()));
                }
            }
        }
        assert!(seen.len() > 30, "{who} reached {} pages", seen.len());
        assert!(broken.is_empty(), "{who}:\n{}", broken.join("\n"));
    }
    w.db.close().await;
}
