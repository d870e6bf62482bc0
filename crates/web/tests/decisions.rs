//! Decisions, escalations, anchoring, actions and matters through the portal:
//! a coordinator builds an agenda from the template and records decisions; one
//! no mandate covers is escalated where the charter says and answered by the
//! council's chair; representatives anchor; an action reaches the next meeting;
//! nothing of unapproved minutes is seen outside the group.

use samordna_domain::calendar::swedish_date;
use std::collections::HashMap;

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use samordna_domain::meetings::MinutesStep;
use samordna_domain::policy::MembershipRole;
use samordna_store::testing::{import_seeds, TestDb};
use samordna_store::{DecisionFilter, MembershipFields, Store};
use samordna_web::testing::{self, Browser};

const NEO: &str = "samordningsgrupp-for-neonatalvarden";

/// A browser signed in as a new account linked to `person`.
async fn as_person(store: &Store, email: &str, person: Option<i64>) -> Browser {
    let (_, cookie) = testing::signed_in(store, email, None, person).await;
    let (k, v) = cookie.split_once('=').unwrap();
    Browser {
        cookies: HashMap::from([(k.to_string(), v.to_string())]),
        csrf: "csrf".into(),
    }
}

/// A person who is `role` in the group, on behalf of `administration`.
async fn member(
    store: &Store,
    org: i64,
    name: &str,
    role: MembershipRole,
    adm: Option<i64>,
) -> i64 {
    let p = testing::person(
        store,
        name,
        Some(&format!("{}@region.example", name.to_lowercase())),
    )
    .await;
    store
        .create_membership(
            &MembershipFields {
                person_id: p,
                organization_id: org,
                role,
                on_behalf_of_id: adm,
                voting_right: role.votes_by_default(),
                appointed_by: None,
                start_date: "2024-01-01".parse().unwrap(),
                end_date: None,
            },
            "test",
        )
        .await
        .unwrap();
    p
}

fn text(html: &str) -> String {
    let no_tags = regex_lite(html);
    no_tags.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The page's text without tags (entities for & < > " decoded).
fn regex_lite(html: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for ch in html.chars() {
        match ch {
            '<' => inside = true,
            '>' => {
                inside = false;
                out.push(' ');
            }
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
}

#[tokio::test]
async fn a_decision_is_recorded_escalated_answered_anchored_and_followed_up() {
    let db = TestDb::sqlite().await;
    let store = &db.store;
    import_seeds(store).await;
    let neo = store.organization_by_slug(NEO).await.unwrap().unwrap();
    let barn = store
        .organization_by_slug("samordningsrad-barn")
        .await
        .unwrap()
        .unwrap();
    let su = store
        .create_administration("Sahlgrenska Universitetssjukhuset", Some("SU"), "t")
        .await
        .unwrap();
    let nu = store
        .create_administration("NU-sjukvården", Some("NU"), "t")
        .await
        .unwrap();
    let kim = member(store, neo.id, "Kim", MembershipRole::Koordinator, None).await;
    let ada = member(store, neo.id, "Ada", MembershipRole::Deltagare, Some(su)).await;
    let nils = member(store, neo.id, "Nils", MembershipRole::Deltagare, Some(nu)).await;
    let bodil = member(store, barn.id, "Bodil", MembershipRole::Ordforande, None).await;
    let app = samordna_web::router(store.clone());
    let mut coordinator = as_person(store, "kim@region.example", Some(kim)).await;
    let mut ada_b = as_person(store, "ada@region.example", Some(ada)).await;
    let mut nils_b = as_person(store, "nils@region.example", Some(nils)).await;
    let mut chair = as_person(store, "bodil@region.example", Some(bodil)).await;
    let mut reader = as_person(store, "reader@region.example", None).await;
    let mut anonymous = Browser::default();

    let held = testing::meeting(store, neo.id, Utc::now() - Duration::days(7)).await;
    let next = testing::meeting(store, neo.id, Utc::now() + Duration::days(30)).await;

    // The agenda from the group's template (the region's standard items).
    let page = coordinator.get(&app, &format!("/moten/{held}")).await;
    assert!(text(&page.body).contains("Fyll i från dagordningsmallen"));
    let r = coordinator
        .post(&app, &format!("/moten/{held}/dagordning/mall"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let agenda = store.agenda(held).await.unwrap();
    assert!(
        agenda.iter().any(|a| a.title == "Uppföljning av åtgärder"),
        "{agenda:?}"
    );
    let item = agenda[3].id.to_string();

    // A decision on the members' mandates, and one that no mandate covers.
    let form = coordinator
        .get(&app, &format!("/moten/{held}/beslut"))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("Sahlgrenska Universitetssjukhuset"),
        "the members' administrations to bind"
    );
    let bad = coordinator
        .post(
            &app,
            &format!("/moten/{held}/beslut"),
            &[
                ("item", &item),
                ("text", "Rutin införs."),
                ("basis", "member_mandates"),
                ("topic", "own_area"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text(&bad.body).contains("Ange vilka förvaltningar beslutet binder"),
        "{}",
        text(&bad.body)
    );
    let bad = coordinator
        .post(
            &app,
            &format!("/moten/{held}/beslut"),
            &[
                ("item", &item),
                ("text", "Rutin införs."),
                ("basis", "chair_mandate"),
                ("topic", "own_area"),
            ],
        )
        .await;
    assert!(
        text(&bad.body).contains("SSN 2023-00470"),
        "the chair's mandate is for regional routines"
    );
    let (su_s, nu_s) = (su.to_string(), nu.to_string());
    let r = coordinator
        .post(
            &app,
            &format!("/moten/{held}/beslut"),
            &[
                ("item", &item),
                ("text", "Gemensam rutin för överflyttning införs."),
                ("basis", "member_mandates"),
                ("topic", "own_area"),
                ("binds", &su_s),
                ("binds", &nu_s),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", text(&r.body));
    let mandated = r.location().to_string();
    let r = coordinator
        .post(
            &app,
            &format!("/moten/{held}/beslut"),
            &[
                ("item", &item),
                ("text", "Jourlinjerna bemannas gemensamt."),
                ("basis", "none"),
                ("topic", "own_area"),
            ],
        )
        .await;
    let unmandated = r.location().to_string();
    let unmandated_id = unmandated.rsplit('/').next().unwrap().to_string();

    // Unapproved: the group sees them, marked; no one outside does.
    assert_eq!(
        anonymous.get(&app, &mandated).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        reader.get(&app, &mandated).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!text(&anonymous.get(&app, "/beslut").await.body).contains("Gemensam rutin"));
    assert!(!text(
        &anonymous
            .get(&app, &format!("/grupper/{NEO}/beslut"))
            .await
            .body
    )
    .contains("Gemensam rutin"));
    assert!(
        !text(&anonymous.get(&app, &format!("/moten/{held}")).await.body)
            .contains("Gemensam rutin")
    );
    let inside = text(
        &ada_b
            .get(&app, &format!("/grupper/{NEO}/beslut"))
            .await
            .body,
    );
    assert!(
        inside.contains("Gemensam rutin") && inside.contains("ej publicerat"),
        "{inside}"
    );

    let api = format!("/api/v1/organizations/{NEO}/decisions");
    let json: serde_json::Value =
        serde_json::from_str(&anonymous.get(&app, &api).await.body).unwrap();
    assert_eq!(
        json["total"], 0,
        "no unapproved decision in the API: {json}"
    );

    // Escalated to where the charter sends it: via the council's chair.
    let form = coordinator
        .get(
            &app,
            &format!("/grupper/{NEO}/eskalera?beslut={unmandated_id}"),
        )
        .await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(
        text(&form.body).contains("samordningsrådet (enligt uppdragshandlingen)"),
        "{}",
        text(&form.body)
    );
    let url = format!("/grupper/{NEO}/eskalera?beslut={unmandated_id}");
    let bad = coordinator
        .post(
            &app,
            &url,
            &[
                ("question", "Kan rådet ta frågan?"),
                ("topic", "own_area"),
                ("target", "contact_person"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text(&bad.body).contains("skriv varför"),
        "{}",
        text(&bad.body)
    );
    let r = coordinator
        .post(
            &app,
            &url,
            &[
                ("question", "Kan rådet ta frågan om jourlinjer?"),
                ("topic", "own_area"),
                ("target", "parent_council"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", text(&r.body));

    // The council's chair sees it among questions to them, and answers.
    let tasks = chair.get(&app, "/mina-uppgifter").await;
    assert!(
        text(&tasks.body).contains("Kan rådet ta frågan om jourlinjer?"),
        "{}",
        text(&tasks.body)
    );
    let question = store
        .escalations(samordna_store::EscalationsOf::AddressedTo(bodil))
        .await
        .unwrap()[0]
        .id;
    assert_eq!(
        reader
            .post(
                &app,
                &format!("/fragor/{question}/svara"),
                &[("answer", "Nej")]
            )
            .await
            .status,
        StatusCode::FORBIDDEN,
        "only whom it is addressed to answers"
    );
    let r = chair
        .post(
            &app,
            &format!("/fragor/{question}/svara"),
            &[("answer", "Rådet tar frågan den 12 juni.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", text(&r.body));
    let page = text(&coordinator.get(&app, &unmandated).await.body);
    assert!(
        page.contains("Rådet tar frågan den 12 juni.") && page.contains("besvarad"),
        "{page}"
    );

    // Approved: public, the three councils notified, and the representatives anchor.
    store
        .save_minutes(held, "Anteckningar", "kim")
        .await
        .unwrap();
    store
        .minutes_step(held, MinutesStep::Submit, None, "kim")
        .await
        .unwrap();
    store
        .minutes_step(held, MinutesStep::Approve, None, "cleo")
        .await
        .unwrap();
    store
        .minutes_step(held, MinutesStep::Publish, None, "kim")
        .await
        .ok();
    let public = anonymous.get(&app, &mandated).await;
    assert_eq!(public.status, StatusCode::OK);
    let public = text(&public.body);
    assert!(
        public.contains("Gemensam rutin för överflyttning införs.")
            && public.contains("Förankrat i 0 av 2 förvaltningar"),
        "{public}"
    );
    for council in [
        "Samordningsråd barn",
        "Samordningsråd kvinnosjukdomar och förlossningar",
    ] {
        assert!(
            public.contains(council),
            "{council} is to be told: {public}"
        );
    }
    assert!(text(&anonymous.get(&app, "/beslut").await.body).contains("Gemensam rutin"));
    let json: serde_json::Value =
        serde_json::from_str(&anonymous.get(&app, &api).await.body).unwrap();
    assert_eq!(json["total"], 2, "{json}");
    let texts: Vec<&str> = json["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["resolutionText"].as_str().unwrap())
        .collect();
    assert!(
        texts.contains(&"Gemensam rutin för överflyttning införs."),
        "{texts:?}"
    );
    assert!(json["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["type"] == "https://schema.oparl.org/1.1/AgendaItem"));
    let one: serde_json::Value = serde_json::from_str(
        &anonymous
            .get(
                &app,
                &format!(
                    "/api/v1{}",
                    mandated
                        .replace("/grupper/", "/organizations/")
                        .replace("/beslut/", "/decisions/")
                ),
            )
            .await
            .body,
    )
    .unwrap();
    assert_eq!(one["samordna:basis"], "member_mandates", "{one}");
    assert_eq!(
        one["samordna:notified"].as_array().unwrap().len(),
        3,
        "{one}"
    );
    // The group's feed carries the decisions, read by a standard Atom parser.
    let feed = anonymous
        .get(&app, &format!("/grupper/{NEO}/anteckningar.atom"))
        .await;
    let titles = testing::python(
        "import sys, feedparser\nf = feedparser.parse(sys.stdin.buffer.read())\nassert not f.bozo, f.bozo_exception\nprint('\\n'.join(e.title for e in f.entries))",
        feed.body.as_bytes(),
    );
    assert_eq!(
        titles.lines().filter(|l| l.starts_with("Beslut ")).count(),
        2,
        "{titles}"
    );
    let anchor = format!("{mandated}/forankring");
    let today = swedish_date(Utc::now()).to_string();
    assert_eq!(
        nils_b
            .post(
                &app,
                &anchor,
                &[("administration", &su_s), ("anchored_on", &today)]
            )
            .await
            .status,
        StatusCode::FORBIDDEN,
        "Nils represents NU, not SU"
    );
    assert_eq!(
        reader
            .post(
                &app,
                &anchor,
                &[("administration", &su_s), ("anchored_on", &today)]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let tasks = text(&ada_b.get(&app, "/mina-uppgifter").await.body);
    assert!(
        tasks.contains("Förankring som återstår") && tasks.contains("Gemensam rutin"),
        "{tasks}"
    );
    for (b, adm) in [(&mut ada_b, &su_s), (&mut nils_b, &nu_s)] {
        let r = b
            .post(
                &app,
                &anchor,
                &[
                    ("administration", adm),
                    ("anchored_on", &today),
                    ("union_consulted_on", &today),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", text(&r.body));
    }
    assert!(
        text(&anonymous.get(&app, &mandated).await.body).contains("Förankrat i alla förvaltningar")
    );
    assert!(!text(&ada_b.get(&app, "/mina-uppgifter").await.body).contains("Gemensam rutin"));
    let d = store
        .decisions(&DecisionFilter {
            meeting_id: Some(held),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(d[0].fully_anchored());

    // An action from the meeting appears on the next meeting's agenda and on
    // its owner's tasks until done.
    let ada_s = ada.to_string();
    let due = (swedish_date(Utc::now()) + Duration::days(20)).to_string();
    let r = coordinator
        .post(
            &app,
            &format!("/moten/{held}/atgarder"),
            &[
                ("title", "Sammanställ avvikelserna"),
                ("owner", &ada_s),
                ("due_on", &due),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", text(&r.body));
    coordinator
        .post(&app, &format!("/moten/{next}/dagordning/mall"), &[])
        .await;
    let next_page = text(&coordinator.get(&app, &format!("/moten/{next}")).await.body);
    assert!(
        next_page.contains("Uppföljning av åtgärder Sammanställ avvikelserna"),
        "{next_page}"
    );
    let tasks = text(&ada_b.get(&app, "/mina-uppgifter").await.body);
    assert!(tasks.contains("Sammanställ avvikelserna"), "{tasks}");
    let action = store
        .actions(samordna_store::ActionsOf::OpenOwnedBy(ada))
        .await
        .unwrap()[0]
        .id;
    assert_eq!(
        nils_b
            .post(&app, &format!("/atgarder/{action}/klar"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN,
        "not Nils's action"
    );
    ada_b
        .post(&app, &format!("/atgarder/{action}/klar"), &[])
        .await;
    assert!(
        !text(&ada_b.get(&app, "/mina-uppgifter").await.body).contains("Sammanställ avvikelserna")
    );

    // English pages are English.
    let english = anonymous.get(&app, "/sprak/en?till=%2Fbeslut").await;
    assert_eq!(english.status, StatusCode::SEE_OTHER);
    let log = text(&anonymous.get(&app, "/beslut").await.body);
    assert!(
        log.contains("Decision log")
            && log.contains("The members' mandates in their administrations"),
        "{log}"
    );
    db.close().await;
}

#[tokio::test]
async fn matters_are_opened_moved_and_listed() {
    let db = TestDb::sqlite().await;
    let store = &db.store;
    import_seeds(store).await;
    let neo = store.organization_by_slug(NEO).await.unwrap().unwrap();
    let kim = member(store, neo.id, "Kim", MembershipRole::Koordinator, None).await;
    let app = samordna_web::router(store.clone());
    let mut coordinator = as_person(store, "kim@region.example", Some(kim)).await;
    let mut reader = as_person(store, "reader@region.example", None).await;
    let mut anonymous = Browser::default();
    let new = format!("/grupper/{NEO}/grupparenden/ny");
    assert_eq!(reader.get(&app, &new).await.status, StatusCode::FORBIDDEN);
    let bad = coordinator
        .post(&app, &new, &[("kind", "remiss"), ("title", "")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&bad.body).contains("Välj en typ ur listan"));
    let kim_s = kim.to_string();
    let r = coordinator
        .post(
            &app,
            &new,
            &[
                ("kind", "remissvar"),
                ("title", "Remiss: prematuritet"),
                ("source", "national"),
                ("owner", &kim_s),
                ("due", "2027-01-15"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", text(&r.body));
    let href = r.location().to_string();
    let page = text(&anonymous.get(&app, &href).await.body);
    assert!(
        page.contains("Remissvar") && page.contains("mottaget") && page.contains("2027-01-15"),
        "{page}"
    );
    let m = store
        .matter(href.rsplit('/').next().unwrap().parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let version = m.row_version.to_string();
    let bad = coordinator
        .post(
            &app,
            &format!("{href}/status"),
            &[("status", "adopted"), ("row_version", &version)],
        )
        .await;
    assert_eq!(
        bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a status of another kind"
    );
    assert!(
        text(&bad.body).contains("Ärendet kan inte gå dit från mottaget"),
        "said on the matter's page: {}",
        text(&bad.body)
    );
    let r = coordinator
        .post(
            &app,
            &format!("{href}/status"),
            &[("status", "preparing"), ("row_version", &version)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let stale = coordinator
        .post(
            &app,
            &format!("{href}/status"),
            &[("status", "answered"), ("row_version", &version)],
        )
        .await;
    assert_eq!(
        stale.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a stale version"
    );
    assert!(text(&stale.body).contains("Någon annan har ändrat ärendet"));
    let api: serde_json::Value = serde_json::from_str(
        &anonymous
            .get(&app, &format!("/api/v1/organizations/{NEO}/matters"))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(
        api["data"][0]["type"], "https://schema.oparl.org/1.1/Paper",
        "{api}"
    );
    assert_eq!(api["data"][0]["samordna:status"], "preparing", "{api}");
    assert_eq!(api["data"][0]["samordna:dueOn"], "2027-01-15", "{api}");
    for (uri, expect) in [
        ("/grupparenden".to_string(), true),
        ("/grupparenden?typ=remissvar".to_string(), true),
        ("/grupparenden?typ=vardforlopp".to_string(), false),
        ("/grupparenden?senast=2026-12-01".to_string(), false),
        (
            format!("/grupper/{NEO}/grupparenden?status=preparing"),
            true,
        ),
    ] {
        let list = text(&anonymous.get(&app, &uri).await.body);
        assert_eq!(
            list.contains("Remiss: prematuritet"),
            expect,
            "{uri}: {list}"
        );
    }
    // An agenda item concerns the matter: it shows in the matter's history.
    let meeting = testing::meeting(store, neo.id, Utc::now() + Duration::days(9)).await;
    let matter_id = m.id.to_string();
    let r = coordinator
        .post(
            &app,
            &format!("/moten/{meeting}/dagordning"),
            &[
                ("title", "Remissen om prematuritet"),
                ("matter", &matter_id),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", text(&r.body));
    let history = text(&anonymous.get(&app, &href).await.body);
    assert!(
        history.contains("På dagordningen Remissen om prematuritet"),
        "{history}"
    );
    let other = coordinator
        .post(
            &app,
            &format!("/moten/{meeting}/dagordning"),
            &[("title", "X"), ("matter", "999999")],
        )
        .await;
    // Said beside the field on the meeting's page, with what was typed kept
    // (issue 27, item 6), not a 400 page.
    assert_eq!(
        other.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a matter of no group of this meeting"
    );
    let page = &other.body;
    assert!(page.contains("id=\"e-matter\""), "{page}");
    assert!(page.contains("name=\"title\" value=\"X\""), "{page}");
    // A filter value that is none of the choices is named, not ignored.
    for (uri, param) in [
        ("/grupparenden?senast=igår", "senast"),
        ("/grupparenden?typ=remiss", "typ"),
        ("/beslut?grund=zzz", "grund"),
        ("/beslut?forankring=kanske", "forankring"),
    ] {
        let bad = anonymous.get(&app, uri).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(
            text(&bad.body).contains(param),
            "{uri}: {}",
            text(&bad.body)
        );
    }
    // "Only mine": the coordinator owns the remiss.
    let mine = text(&coordinator.get(&app, "/grupparenden?mina=ja").await.body);
    assert!(mine.contains("Remiss: prematuritet"), "{mine}");
    db.close().await;
}

#[tokio::test]
async fn forms_refuse_what_they_never_offered_and_say_so_on_their_page() {
    let db = TestDb::sqlite().await;
    let store = &db.store;
    import_seeds(store).await;
    let neo = store.organization_by_slug(NEO).await.unwrap().unwrap();
    let su = store
        .create_administration("Sahlgrenska Universitetssjukhuset", Some("SU"), "t")
        .await
        .unwrap();
    let kim = member(store, neo.id, "Kim", MembershipRole::Koordinator, None).await;
    let ada = member(store, neo.id, "Ada", MembershipRole::Deltagare, Some(su)).await;
    let app = samordna_web::router(store.clone());
    let mut coordinator = as_person(store, "kim@region.example", Some(kim)).await;
    let mut ada_b = as_person(store, "ada@region.example", Some(ada)).await;
    let held = testing::meeting(store, neo.id, Utc::now() - Duration::days(2)).await;
    let later = testing::meeting(store, neo.id, Utc::now() + Duration::days(2)).await;
    let url = format!("/moten/{held}/beslut");
    let su_s = su.to_string();

    // An administration no member represents, a topic or item that is no choice:
    // the form again with the field named, never a server error.
    for (field, value) in [
        ("binds", "99"),
        ("topic", "zzz"),
        ("item", "x"),
        ("matter", "1"),
    ] {
        let mut fields = vec![
            ("text", "Rutin införs."),
            ("basis", "member_mandates"),
            ("topic", "own_area"),
            ("binds", su_s.as_str()),
        ];
        fields.retain(|(k, _)| *k != field || field == "binds");
        fields.push((field, value));
        let r = coordinator.post(&app, &url, &fields).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}={value}: {}",
            text(&r.body)
        );
        assert!(
            text(&r.body).contains("Välj ett av alternativen"),
            "{field}"
        );
    }
    // A meeting not yet held takes no decisions.
    let r = coordinator
        .get(&app, &format!("/moten/{later}/beslut"))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        text(&r.body).contains("Mötet har inte hållits än"),
        "{}",
        text(&r.body)
    );
    // Twice the same: one decision.
    let fields = [
        ("text", "Rutin införs."),
        ("basis", "member_mandates"),
        ("topic", "own_area"),
        ("binds", su_s.as_str()),
    ];
    let a = coordinator.post(&app, &url, &fields).await;
    let b = coordinator.post(&app, &url, &fields).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert_eq!(b.status, StatusCode::SEE_OTHER, "{}", b.body);
    assert!(!a.location().is_empty());
    assert_eq!(a.location(), b.location(), "the same decision");
    let rutin = db
        .store
        .decisions(&samordna_store::DecisionFilter::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|d| d.text == "Rutin införs.")
        .count();
    assert_eq!(rutin, 1, "one decision recorded");
    let decision = a.location().to_string();
    store.save_minutes(held, "Text", "kim").await.unwrap();
    store
        .minutes_step(held, MinutesStep::Submit, None, "kim")
        .await
        .unwrap();
    store
        .minutes_step(held, MinutesStep::Approve, None, "cleo")
        .await
        .unwrap();
    // Approved: the form is closed, with a reason.
    assert_eq!(
        coordinator.get(&app, &url).await.status,
        StatusCode::CONFLICT
    );
    // A date after today: said on the decision's page, nothing saved.
    let r = ada_b
        .post(
            &app,
            &format!("{decision}/forankring"),
            &[("administration", &su_s), ("anchored_on", "2099-01-01")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(&r.body);
    assert!(
        page.contains("Datumet ska ligga mellan beslutsdagen") && page.contains("Beslut "),
        "{page}"
    );
    // An empty answer: said on Mina uppgifter.
    let r = ada_b.post(&app, "/mina-uppgifter", &[]).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    // An action without a title, or due in the past: said on the meeting's page.
    let r = coordinator
        .post(&app, &format!("/moten/{held}/atgarder"), &[("title", " ")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&r.body).contains("Åtgärder"), "the meeting's page");
    let r = coordinator
        .post(
            &app,
            &format!("/moten/{held}/atgarder"),
            &[("title", "Ring"), ("due_on", "2020-01-01")],
        )
        .await;
    assert!(
        text(&r.body).contains("Datumet har redan passerat"),
        "{}",
        text(&r.body)
    );
    db.close().await;
}

#[tokio::test]
async fn a_decided_charter_is_sent_to_its_list_from_its_page() {
    let db = TestDb::sqlite().await;
    let store = &db.store;
    import_seeds(store).await;
    let neuro = store
        .organization_by_slug("samordningsrad-neurologi")
        .await
        .unwrap()
        .unwrap();
    let kim = member(store, neuro.id, "Kim", MembershipRole::Koordinator, None).await;
    member(store, neuro.id, "Olle", MembershipRole::Ordforande, None).await;
    let app = samordna_web::router(store.clone());
    let mut coordinator = as_person(store, "kim@region.example", Some(kim)).await;
    let mut anonymous = Browser::default();
    let page = "/grupper/samordningsrad-neurologi/uppdragshandlingar/1";
    let before = text(&coordinator.get(&app, page).await.body);
    assert!(
        before.contains("har inte skickats genom Samordna")
            && before.contains("Skicka till sändlistan"),
        "{before}"
    );
    assert!(!text(&anonymous.get(&app, page).await.body).contains("Skicka till sändlistan"));
    let r = coordinator.post(&app, &format!("{page}/skicka"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", text(&r.body));
    let after = text(&anonymous.get(&app, page).await.body);
    assert!(
        after.contains("köad") && after.contains("uppfylls av registret"),
        "{after}"
    );
    assert!(!after.contains("Skicka till sändlistan"));
    // An undecided version is not sent.
    let undecided = coordinator
        .post(
            &app,
            "/grupper/samordningsrad-rattspsykiatri/uppdragshandlingar/1/skicka",
            &[],
        )
        .await;
    assert_eq!(
        undecided.status,
        StatusCode::FORBIDDEN,
        "not this coordinator's group"
    );
    db.close().await;
}

#[tokio::test]
async fn a_revision_is_drafted_submitted_and_decided_into_the_version_in_force() {
    let db = TestDb::sqlite().await;
    let store = &db.store;
    import_seeds(store).await;
    let neuro = store
        .organization_by_slug("samordningsrad-neurologi")
        .await
        .unwrap()
        .unwrap();
    let kim = member(store, neuro.id, "Kim", MembershipRole::Koordinator, None).await;
    let app = samordna_web::router(store.clone());
    let mut coordinator = as_person(store, "kim@region.example", Some(kim)).await;
    let (_, director_cookie) =
        testing::signed_in(store, "dir@region.example", Some("director"), None).await;
    let (k, v) = director_cookie.split_once('=').unwrap();
    let mut director = Browser {
        cookies: HashMap::from([(k.to_string(), v.to_string())]),
        csrf: "csrf".into(),
    };
    let mut reader = as_person(store, "reader@region.example", None).await;
    let group = "/grupper/samordningsrad-neurologi";
    assert!(text(&coordinator.get(&app, group).await.body).contains("Ny revision"));
    let r = coordinator
        .post(&app, &format!("{group}/utkast"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", text(&r.body));
    let draft = r.location().to_string();
    // Twice: the same draft.
    assert_eq!(
        coordinator
            .post(&app, &format!("{group}/utkast"), &[])
            .await
            .location(),
        draft
    );
    assert_eq!(
        reader.get(&app, &draft).await.status,
        StatusCode::FORBIDDEN,
        "not public"
    );
    let d = store.open_draft(neuro.id).await.unwrap().unwrap();
    // Unchanged, it has nothing to decide.
    let r = coordinator
        .post(
            &app,
            &format!("{draft}/skicka"),
            &[("row_version", &d.row_version.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text(&r.body).contains("säger samma sak som version 1"),
        "{}",
        text(&r.body)
    );
    let work = d
        .content
        .sections
        .iter()
        .position(|s| s.heading == "Arbetsorganisation")
        .unwrap();
    let body = samordna_domain::drafts::section_body(&d.content.sections[work])
        .replace("4 till maximalt 8 ggr/år", "6 till maximalt 10 ggr/år");
    let field = format!("section-{work}");
    let version = d.row_version.to_string();
    let r = coordinator
        .post(
            &app,
            &format!("{draft}/spara"),
            &[
                ("title", &d.content.title),
                (&field, &body),
                ("row_version", &version),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", text(&r.body));
    // A stale save is refused, the first one kept.
    let stale = coordinator
        .post(
            &app,
            &format!("{draft}/spara"),
            &[("title", "Annat"), ("row_version", &version)],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    // A section sent empty is emptied.
    let d1 = store.draft(d.id).await.unwrap().unwrap();
    let comm = d1
        .content
        .sections
        .iter()
        .position(|s| s.heading == "Kommunikation")
        .unwrap();
    let comm_field = format!("section-{comm}");
    let r = coordinator
        .post(
            &app,
            &format!("{draft}/spara"),
            &[
                ("title", &d1.content.title),
                (&comm_field, ""),
                ("row_version", &d1.row_version.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", text(&r.body));
    let d2 = store.draft(d.id).await.unwrap().unwrap();
    assert!(d2.content.sections[comm].blocks.is_empty(), "emptied");
    let page = text(&coordinator.get(&app, &draft).await.body);
    assert!(
        page.contains("6 till maximalt 10 ggr/år") && page.contains("ändrat"),
        "{page}"
    );
    let d = store.draft(d.id).await.unwrap().unwrap();
    coordinator
        .post(
            &app,
            &format!("{draft}/skicka"),
            &[("row_version", &d.row_version.to_string())],
        )
        .await;
    // Sent twice (a double click): the same draft, submitted, no error.
    let again = coordinator
        .post(
            &app,
            &format!("{draft}/skicka"),
            &[("row_version", &d.row_version.to_string())],
        )
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(again.location(), draft);
    // Taken back for a change and sent again.
    let sub = store.draft(d.id).await.unwrap().unwrap();
    let r = coordinator
        .post(
            &app,
            &format!("{draft}/ateroppna"),
            &[("row_version", &sub.row_version.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let back = store.draft(d.id).await.unwrap().unwrap();
    assert_eq!(back.status, samordna_store::DraftStatus::Draft);
    coordinator
        .post(
            &app,
            &format!("{draft}/skicka"),
            &[("row_version", &back.row_version.to_string())],
        )
        .await;
    // Submitted: no longer editable; the coordinator cannot decide.
    let d = store.draft(d.id).await.unwrap().unwrap();
    let version = d.row_version.to_string();
    assert_eq!(
        coordinator
            .post(
                &app,
                &format!("{draft}/besluta"),
                &[
                    ("date", "2026-11-20"),
                    ("name", "X"),
                    ("row_version", &version)
                ]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Members comment on it; the director reads the comments with the draft.
    let participant = member(store, neuro.id, "Pia", MembershipRole::Deltagare, None).await;
    let mut pia = as_person(store, "pia@region.example", Some(participant)).await;
    let empty = pia
        .post(
            &app,
            &format!("{draft}/kommentera"),
            &[("kommentar", "  "), ("avsnitt", "")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&empty.body).contains("Kommentaren är tom"));
    let r = pia
        .post(
            &app,
            &format!("{draft}/kommentera"),
            &[
                ("kommentar", "Tio möten är många för oss i Borås."),
                ("avsnitt", "Arbetsorganisation"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", text(&r.body));
    assert_eq!(
        reader
            .post(
                &app,
                &format!("{draft}/kommentera"),
                &[("kommentar", "Hej")]
            )
            .await
            .status,
        StatusCode::FORBIDDEN,
        "only those who may read the draft comment"
    );
    let view = text(&director.get(&app, &draft).await.body);
    assert!(
        view.contains("Inskickat för beslut") && view.contains("Tillagt: 6"),
        "the change, word by word: {view}"
    );
    assert!(
        view.contains("Tio möten är många för oss i Borås.") && view.contains("pia@region.example"),
        "the comment, with its author: {view}"
    );
    // A date in the future is refused, and what was typed stays in the form.
    let refused = director
        .post(
            &app,
            &format!("{draft}/besluta"),
            &[
                ("date", "2999-01-01"),
                ("name", "Jonas Claesson"),
                ("title", "Hälso- och sjukvårdsdirektör"),
                ("row_version", &version),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("value=\"Jonas Claesson\"")
            && refused
                .body
                .contains("value=\"Hälso- och sjukvårdsdirektör\"")
            && refused.body.contains("value=\"2999-01-01\""),
        "{}",
        refused.body
    );
    let r = director
        .post(
            &app,
            &format!("{draft}/besluta"),
            &[
                ("date", "2026-11-20"),
                ("name", "Jonas Claesson"),
                ("title", "Hälso- och sjukvårdsdirektör"),
                ("row_version", &version),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", text(&r.body));
    assert_eq!(r.location(), format!("{group}/uppdragshandlingar/2"));
    // Decided twice (a double click): the version it became.
    let twice = director
        .post(
            &app,
            &format!("{draft}/besluta"),
            &[
                ("date", "2026-11-20"),
                ("name", "Jonas Claesson"),
                ("row_version", &version),
            ],
        )
        .await;
    assert_eq!(twice.location(), format!("{group}/uppdragshandlingar/2"));
    // In force, with the real decision date, and the frequency read from it.
    let versions = store.charter_versions(Some(neuro.id)).await.unwrap();
    let in_force = samordna_store::in_force(&versions).unwrap();
    assert_eq!(
        (in_force.version, in_force.decision_date),
        (2, Some("2026-11-20".parse().unwrap()))
    );
    // Dated the day it was decided, not the day of the version it revised.
    assert_eq!(in_force.document_date, Some("2026-11-20".parse().unwrap()));
    let doc = store.charter_document(neuro.id, 2).await.unwrap().unwrap();
    // Titled by the month of its decision.
    assert_eq!(
        doc.content.title,
        "Uppdragshandling för samordningsråd neurologi, reviderad november 2026"
    );
    let f = doc.content.meeting_frequency.clone().unwrap();
    assert_eq!((f.min, f.max), (Some(6), Some(10)));
    let charter = text(
        &reader
            .get(&app, &format!("{group}/uppdragshandlingar/2"))
            .await
            .body,
    );
    assert!(
        charter.contains("Datum för beslut: 2026-11-20"),
        "{charter}"
    );
    assert!(
        store.open_draft(neuro.id).await.unwrap().is_none(),
        "the draft is decided"
    );
    let closed = pia
        .post(
            &app,
            &format!("{draft}/kommentera"),
            &[("kommentar", "Sent påtänkt.")],
        )
        .await;
    assert_eq!(closed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&closed.body).contains("tar inte emot fler kommentarer"));
    assert_eq!(store.draft_comments(d.id).await.unwrap().len(), 1);
    // The decision sent it to its list: the chair's and coordinator's entries
    // queued, the register's own update fulfilled.
    let sent = store.charter_distribution(doc.meta.id).await.unwrap();
    assert_eq!(sent.len(), 3, "{sent:?}");
    assert!(store
        .jobs()
        .await
        .unwrap()
        .iter()
        .any(|j| j.kind == "mail.charter_distribution"));
    db.close().await;
}
