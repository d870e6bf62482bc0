//! The portal as a reader sees it: pages and API answers after the seeds are imported.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use samordna_store::testing::{import_seeds, TestDb};
use samordna_web::testing::{self, Res};

async fn get(app: &axum::Router, uri: &str) -> Res {
    testing::get(app, uri, None).await
}

/// The text of the page with tags removed and white space folded.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Links on the page as (href, text).
fn links(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<a ") {
        rest = &rest[i..];
        let end = rest.find("</a>").unwrap();
        let tag = &rest[..end];
        let href = tag
            .split("href=\"")
            .nth(1)
            .map(|h| h.split('"').next().unwrap().to_string())
            .unwrap_or_default();
        let label = text(&tag[tag.find('>').unwrap() + 1..]);
        out.push((href, label));
        rest = &rest[end..];
    }
    out
}

async fn app() -> (TestDb, axum::Router) {
    let db = TestDb::sqlite().await;
    import_seeds(&db.store).await;
    let app = samordna_web::router(db.store.clone());
    (db, app)
}

#[tokio::test]
async fn register_lists_every_group_once_as_a_tree() {
    let (db, app) = app().await;
    let page = get(&app, "/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.content_type.starts_with("text/html"));
    assert!(page.body.contains("<html lang=\"sv\">"));
    let links = links(&page.body);
    for council in [
        "Samordningsråd rättspsykiatri",
        "Samordningsråd neurologi",
        "Samordningsråd ortopedi",
        "Samordningsråd onkologi",
        "Samordningsråd barn",
        "Samordningsråd kvinnosjukdomar och förlossningar",
        "Samordningsråd anestesi, operation, intensivvård",
        "Samordningsgrupp för neonatalvården",
    ] {
        let n = links.iter().filter(|(_, t)| t == council).count();
        assert_eq!(n, 1, "{council} is listed {n} times");
    }
    // The neonatal group sits in the list under SOR barn, before the next council.
    let body = &page.body;
    let barn = body.find(">Samordningsråd barn</a>").unwrap();
    let neo = body
        .find(">Samordningsgrupp för neonatalvården</a>")
        .unwrap();
    let next = body
        .find(">Samordningsråd kvinnosjukdomar och förlossningar</a>")
        .unwrap();
    assert!(barn < neo && neo < next);
    let between = body[barn..neo]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("> <", "><");
    assert!(
        between.contains(
            "<details open><summary>1 grupp under Samordningsråd barn</summary><ul class=\"tree\">"
        ),
        "{between}"
    );
    // Rättspsykiatri has no decided charter in force; neurologi has.
    let t = text(body);
    assert!(t.contains("Samordningsråd rättspsykiatri Samordningsråd · rättspsykiatri · Aktiv Ingen beslutad uppdragshandling i kraft"), "{t}");
    assert!(t.contains("Samordningsråd neurologi Samordningsråd · neurologi · Aktiv Uppdragshandling i kraft, beslutad 2026-06-17"));
    assert!(t.contains(
        "Samordningsråd barn Samordningsråd · barn · Aktiv Uppdragshandling saknas i registret"
    ));
    // Bodies the charters refer to are listed apart from the tree.
    assert!(t.contains("Övriga organ"));
    assert!(links
        .iter()
        .any(|(h, t)| h == "/grupper/ledningsgrupp-halso-och-sjukvard"
            && t == "Ledningsgrupp hälso- och sjukvård"));
    db.close().await;
}

#[tokio::test]
async fn group_page_shows_purpose_duties_reporting_line_and_versions() {
    let (db, app) = app().await;
    let page = get(&app, "/grupper/samordningsgrupp-for-neonatalvarden").await;
    assert_eq!(page.status, StatusCode::OK);
    let t = text(&page.body);
    assert!(t.contains("Samordningsgrupp för neonatalvården"));
    assert!(t.contains("Rapporterar till Samordningsråd barn"));
    assert!(t.contains("Mötesfrekvens 4–8 möten per år, digitalt när så är möjligt"));
    assert!(t.contains("Syfte Samordningsgruppens uppgift är att samordna"));
    assert!(t.contains("bedriva verksamhetsutveckling"));
    let links = links(&page.body);
    assert!(links.contains(&(
        "/grupper/samordningsrad-barn".into(),
        "Samordningsråd barn".into()
    )));
    assert!(links
        .iter()
        .any(|(h, _)| h == "/grupper/samordningsrad-kvinnosjukdomar-och-forlossningar"));
    assert!(links
        .iter()
        .any(|(h, _)| h == "/grupper/samordningsgrupp-for-neonatalvarden/uppdragshandlingar/1"));
    // The parent lists the group under it.
    let barn = get(&app, "/grupper/samordningsrad-barn").await;
    assert!(links_contains(
        &barn.body,
        "/grupper/samordningsgrupp-for-neonatalvarden"
    ));
    assert!(text(&barn.body).contains("Dess egen uppdragshandling har inte importerats"));
    db.close().await;
}

fn links_contains(html: &str, href: &str) -> bool {
    links(html).iter().any(|(h, _)| h == href)
}

#[tokio::test]
async fn charter_page_reads_as_the_document_with_its_facts() {
    let (db, app) = app().await;
    let page = get(
        &app,
        "/grupper/samordningsrad-neurologi/uppdragshandlingar/1",
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    let t = text(&page.body);
    for expected in [
        "Uppdragshandling för samordningsråd neurologi, reviderad juni 2026",
        "Diarienummer RS 2024-00784",
        "Beslutsstatus Beslutad",
        "Beslutsdatum 2026-06-17",
        "Beslutsfattare Jonas Claesson, Hälso- och sjukvårdsdirektör",
        "Gruppen ska beakta konsekvenser för linjeorganisationen",
        "Uppdraget skickas till Ordförande samordningsråd för genomförande",
        "Koordinator samordningsråd",
    ] {
        assert!(t.contains(expected), "missing {expected:?} in {t}");
    }
    for absent in ["Postadress", "Regionens Hus", "**"] {
        assert!(!t.contains(absent), "{absent}");
    }
    assert!(links_contains(&page.body, "/arenden/rs-2024-00784"));
    let source = get(
        &app,
        "/grupper/samordningsrad-neurologi/uppdragshandlingar/1/kalla",
    )
    .await;
    assert_eq!(source.status, StatusCode::OK);
    assert!(source.content_type.starts_with("text/plain"));
    assert!(
        source.body.contains("Postadress:"),
        "the source is the file as imported"
    );

    let undecided = get(
        &app,
        "/grupper/samordningsrad-rattspsykiatri/uppdragshandlingar/1",
    )
    .await;
    let t = text(&undecided.body);
    assert!(
        t.contains("Ej beslutad. Beslutsdatum saknas – dokumentet är inte i kraft."),
        "{t}"
    );
    db.close().await;
}

#[tokio::test]
async fn case_page_lists_its_documents() {
    let (db, app) = app().await;
    let page = get(&app, "/arenden/rs-2024-00784").await;
    assert_eq!(page.status, StatusCode::OK);
    let t = text(&page.body);
    assert!(t.contains("Ärende RS 2024-00784"));
    assert!(t.contains("4 dokument i registret"));
    for slug in ["rattspsykiatri", "neurologi", "ortopedi", "onkologi"] {
        assert!(
            links_contains(
                &page.body,
                &format!("/grupper/samordningsrad-{slug}/uppdragshandlingar/1")
            ),
            "{slug}"
        );
    }
    let list = get(&app, "/arenden").await;
    assert!(links_contains(&list.body, "/arenden/rs-2023-04038"));
    // The list's title is the title alone; the pager (if any) is below the list.
    assert!(list.body.contains("<title>Ärenden"), "{}", list.body);
    // A page past the end is the last page; a page that is not a number is named.
    let past = get(&app, "/arenden/rs-2024-00784?sida=9").await;
    assert_eq!(past.status, StatusCode::OK);
    assert!(text(&past.body).contains("4 dokument i registret"));
    let bad = get(&app, "/arenden/rs-2024-00784?sida=tva").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(text(&bad.body).contains("sida"), "{}", text(&bad.body));
    db.close().await;
}

#[tokio::test]
async fn missing_pages_are_404_in_swedish() {
    let (db, app) = app().await;
    for uri in [
        "/finns-inte",
        "/grupper/finns-inte",
        "/grupper/samordningsrad-neurologi/uppdragshandlingar/9",
        "/grupper/samordningsrad-neurologi/uppdragshandlingar/-1",
        "/grupper/samordningsrad-neurologi/uppdragshandlingar/nio/kalla",
        "/arenden/inte-ett-diarienummer",
        "/arenden/rs-1999-00001",
    ] {
        let page = get(&app, uri).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(page.body.contains("<html lang=\"sv\">"), "{uri}");
        assert!(text(&page.body).contains("Sidan hittades inte"), "{uri}");
        assert!(links_contains(&page.body, "/"), "{uri}: a way back");
    }
    db.close().await;
}

#[tokio::test]
async fn api_serves_the_same_data_as_json() {
    let (db, app) = app().await;
    let res = get(&app, "/api/v1/organizations").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.content_type.starts_with("application/json"));
    let v: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    let names: Vec<&str> = v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(v["count"], names.len());
    assert!(names.contains(&"Samordningsråd rättspsykiatri"));
    let ratt = v["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["slug"] == "samordningsrad-rattspsykiatri")
        .unwrap();
    assert_eq!(ratt["charter"]["state"], "undecided");
    let neo = v["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["slug"] == "samordningsgrupp-for-neonatalvarden")
        .unwrap();
    assert_eq!(neo["reports_to"], "samordningsrad-barn");

    let one: serde_json::Value = serde_json::from_str(
        &get(
            &app,
            "/api/v1/organizations/samordningsgrupp-for-neonatalvarden",
        )
        .await
        .body,
    )
    .unwrap();
    assert_eq!(one["liaisons"].as_array().unwrap().len(), 2);
    assert_eq!(one["charter_in_force"], 1);

    let charter: serde_json::Value = serde_json::from_str(
        &get(
            &app,
            "/api/v1/organizations/samordningsrad-neurologi/charters/1",
        )
        .await
        .body,
    )
    .unwrap();
    assert_eq!(charter["content"]["duties"].as_array().unwrap().len(), 8);
    assert_eq!(charter["decision_date"], "2026-06-17");
    assert_eq!(charter["registry_number"], "RS 2024-00784");

    let case: serde_json::Value =
        serde_json::from_str(&get(&app, "/api/v1/cases/rs-2024-00784").await.body).unwrap();
    assert_eq!(case["documents"].as_array().unwrap().len(), 4);
    assert_eq!(case["total"], 4);
    // A case's documents a page at a time, the next page named.
    let first: serde_json::Value = serde_json::from_str(
        &get(&app, "/api/v1/cases/rs-2024-00784?per_page=3")
            .await
            .body,
    )
    .unwrap();
    assert_eq!(first["documents"].as_array().unwrap().len(), 3);
    assert_eq!(first["total"], 4);
    let next = first["next"].as_str().unwrap().to_string();
    assert_eq!(next, "/api/v1/cases/rs-2024-00784?page=2&per_page=3");
    let second: serde_json::Value = serde_json::from_str(&get(&app, &next).await.body).unwrap();
    assert_eq!(second["documents"].as_array().unwrap().len(), 1);
    assert!(second["next"].is_null());
    let titles = |v: &serde_json::Value| {
        v["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["organization"]["slug"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let mut paged = titles(&first);
    paged.extend(titles(&second));
    assert_eq!(
        paged,
        titles(&case),
        "the pages together are the whole case"
    );

    for (uri, status) in [
        ("/api/v1/organizations/finns-inte", 404),
        (
            "/api/v1/organizations/samordningsrad-neurologi/charters/x",
            400,
        ),
        (
            "/api/v1/organizations/samordningsrad-neurologi/charters/7",
            404,
        ),
        ("/api/v1/cases/nej", 404),
        ("/api/v1/inget", 404),
    ] {
        let res = get(&app, uri).await;
        assert_eq!(res.status.as_u16(), status, "{uri}");
        let e: serde_json::Value =
            serde_json::from_str(&res.body).unwrap_or_else(|_| panic!("{uri}: {}", res.body));
        assert_eq!(e["error"]["status"], status);
        assert!(!e["error"]["message"].as_str().unwrap().is_empty());
    }
    db.close().await;
}

#[tokio::test]
async fn merged_groups_redirect_to_the_group_they_became() {
    let (db, app) = app().await;
    db.store
        .merge_organizations(
            "samordningsrad-kvinnosjukdomar-och-forlossningar",
            "samordningsrad-barn",
            "test",
        )
        .await
        .unwrap();
    let page = get(
        &app,
        "/grupper/samordningsrad-kvinnosjukdomar-och-forlossningar",
    )
    .await;
    assert_eq!(page.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(
        Some(page.location()).filter(|l| !l.is_empty()),
        Some("/grupper/samordningsrad-barn")
    );
    let register = get(&app, "/").await;
    assert!(!text(&register.body).contains("kvinnosjukdomar och förlossningar"));
    db.close().await;
}

#[tokio::test]
async fn text_from_documents_is_escaped() {
    let db = TestDb::sqlite().await;
    let text = "Uppdragshandling\n\nUppdragshandling för samordningsråd <script>alert(1)</script>\n\nSyfte med uppdraget\n\nText & mer.\n";
    let doc = samordna_domain::parse_charter(text).unwrap();
    let outcome = db
        .store
        .import_charter(
            &doc,
            &samordna_store::Source {
                name: "x.txt",
                text,
                file: None,
            },
            "test",
        )
        .await
        .unwrap();
    let app = samordna_web::router(db.store.clone());
    for uri in [
        "/".to_string(),
        format!("/grupper/{}", outcome.organization_slug),
        format!(
            "/grupper/{}/uppdragshandlingar/1",
            outcome.organization_slug
        ),
    ] {
        let page = get(&app, &uri).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        assert!(!page.body.contains("<script>"), "{uri}");
        assert!(
            page.body.contains("&#60;script&#62;") || page.body.contains("&lt;script&gt;"),
            "{uri}"
        );
    }
    db.close().await;
}

#[tokio::test]
async fn stylesheet_and_security_headers() {
    let (db, app) = app().await;
    let css = get(&app, "/static/samordna.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.content_type.starts_with("text/css"));
    assert!(css.body.contains("@media print"));
    let res = get(&app, "/").await;
    assert_eq!(res.headers["x-content-type-options"], "nosniff");
    assert!(res.headers["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("default-src 'self'"));
    db.close().await;
}

/// `GET uri` with one header.
async fn get_with(app: &axum::Router, uri: &str, header: (&str, &str)) -> Res {
    let req = Request::get(uri)
        .header(header.0, header.1)
        .body(Body::empty())
        .unwrap();
    testing::send(app, req).await
}

const PAGE_TYPES: [&str; 7] = [
    "/",
    "/grupper/samordningsgrupp-for-neonatalvarden",
    "/grupper/samordningsrad-rattspsykiatri/uppdragshandlingar/1",
    "/arenden",
    "/arenden/rs-2024-00784",
    "/tillganglighet",
    "/finns-inte",
];

#[tokio::test]
async fn every_page_has_every_message_in_both_locales() {
    let (db, app) = app().await;
    for (cookie, lang, register) in [
        ("lang=sv", "sv", "Förteckning"),
        ("lang=en", "en", "Register"),
    ] {
        for uri in PAGE_TYPES {
            let page = get_with(&app, uri, ("cookie", cookie)).await;
            assert!(
                !page.body.contains(samordna_web::i18n::MISSING),
                "{uri} ({lang}) lacks a message: {}",
                page.body
            );
            assert!(
                page.body.contains(&format!("<html lang=\"{lang}\">")),
                "{uri} ({lang})"
            );
            assert!(
                links(&page.body)
                    .iter()
                    .any(|(h, t)| h == "/" && t == register),
                "{uri} ({lang})"
            );
            // The accessibility statement is linked from every page footer.
            assert!(
                links_contains(&page.body, "/tillganglighet"),
                "{uri} ({lang})"
            );
        }
    }
    db.close().await;
}

#[tokio::test]
async fn language_follows_accept_language_and_the_switch() {
    let (db, app) = app().await;
    let en = get_with(&app, "/", ("accept-language", "en-GB,en;q=0.9")).await;
    assert!(text(&en.body).contains("Register of region-wide governance groups"));
    assert!(text(&en.body).contains("No decided terms of reference in force"));
    let sv = get_with(&app, "/", ("accept-language", "sv-SE")).await;
    assert!(text(&sv.body).contains("Förteckning över koncernövergripande grupper"));
    let default = get(&app, "/").await;
    assert!(default.body.contains("<html lang=\"sv\">"));
    // The switch is a link on every page that remembers the choice and goes back.
    assert!(links(&default.body)
        .iter()
        .any(|(h, t)| h == "/sprak/en?till=/" && t == "English"));
    let res = get(&app, "/sprak/en?till=/grupper/samordningsrad-barn").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location(), "/grupper/samordningsrad-barn");
    assert!(res.headers["set-cookie"]
        .to_str()
        .unwrap()
        .starts_with("lang=en;"));
    // The cookie wins over the browser's language; no open redirects.
    let page = get_with(&app, "/grupper/samordningsrad-barn", ("cookie", "lang=en")).await;
    assert!(text(&page.body).contains("About the group"));
    let evil = get(&app, "/sprak/sv?till=//evil.example").await;
    assert_eq!(evil.location(), "/");
    assert_eq!(get(&app, "/sprak/de").await.status, StatusCode::NOT_FOUND);
    // Error pages speak the reader's language too.
    let missing = get_with(&app, "/nope", ("cookie", "lang=en")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(text(&missing.body).contains("Page not found"));
    db.close().await;
}

#[tokio::test]
async fn accessibility_statement_says_how_to_report_a_problem() {
    let db = TestDb::sqlite().await;
    let settings = samordna_web::Settings {
        contact_email: "tillganglighet@region.example".into(),
        ..Default::default()
    };
    let app = samordna_web::router_with(db.store.clone(), settings);
    let page = get(&app, "/tillganglighet").await;
    assert_eq!(page.status, StatusCode::OK);
    let t = text(&page.body);
    assert!(t.contains("Tillgänglighetsredogörelse"));
    assert!(t.contains("Rapportera brister i webbplatsens tillgänglighet"));
    assert!(t.contains("Tillsyn"));
    assert!(links(&page.body)
        .iter()
        .any(|(h, _)| h.starts_with("mailto:tillganglighet@region.example")));
    db.close().await;
}

#[tokio::test]
async fn the_org_chart_is_an_svg_of_links_with_a_text_alternative() {
    let (db, app) = app().await;
    let page = get(&app, "/organisation").await;
    assert_eq!(page.status, StatusCode::OK);
    let svg_start = page.body.find("<svg").expect("an SVG");
    let svg = &page.body[svg_start..page.body.find("</svg>").unwrap()];
    for href in [
        "/grupper/samordningsrad-barn",
        "/grupper/samordningsgrupp-for-neonatalvarden",
        "/grupper/samordningsrad-neurologi",
    ] {
        assert!(
            svg.contains(&format!("<a href=\"{href}\">")),
            "{href} in the picture"
        );
        assert!(
            links_contains(&page.body[page.body.find("</svg>").unwrap()..], href),
            "{href} in the text alternative"
        );
    }
    assert!(svg.contains("class=\"reports\""), "a reporting line");
    assert!(svg.contains("class=\"liaison\""), "a liaison");
    let near = get(
        &app,
        "/grupper/samordningsgrupp-for-neonatalvarden/organisation",
    )
    .await;
    assert!(
        near.body.contains("/grupper/samordningsrad-barn")
            && !near.body.contains("/grupper/samordningsrad-ortopedi\""),
        "only the neighbourhood"
    );
    db.close().await;
}

/// Every list a person reads is in Swedish order: A … Z, Å, Ä, Ö, case aside, É
/// with E; the API's lists too.
#[tokio::test]
async fn lists_are_in_swedish_order() {
    let (db, app) = app().await;
    let names = [
        "Zetas sjukhus",
        "Ängsgårdens vårdcentral",
        "Ågrenska",
        "Éva-kliniken",
        "bergslagens hälsa",
    ];
    for n in names {
        db.store
            .create_administration(n, None, "test")
            .await
            .unwrap();
        db.store
            .create_organization(
                &samordna_store::OrgFields {
                    name: format!("{n} grupp"),
                    short_name: None,
                    kind: samordna_domain::OrgKind::Other,
                    area: None,
                    reports_to_id: None,
                    status: "active".into(),
                    aliases: vec![],
                    liaison_ids: vec![],
                    publish_minutes_separately: false,
                    minutes_overdue_days: None,
                    adjunct_limit: None,
                },
                "test",
            )
            .await
            .unwrap();
    }
    let expected = [
        "bergslagens hälsa",
        "Éva-kliniken",
        "Zetas sjukhus",
        "Ågrenska",
        "Ängsgårdens vårdcentral",
    ];
    let order = |body: &str| -> Vec<&str> {
        let mut at: Vec<(usize, &str)> = expected
            .iter()
            .map(|n| (body.find(n).unwrap_or_else(|| panic!("{n} missing")), *n))
            .collect();
        at.sort();
        at.into_iter().map(|(_, n)| n).collect()
    };
    let page = get(&app, "/forvaltningar").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(order(&page.body), expected, "administrations");
    let register = get(&app, "/").await;
    assert_eq!(order(&register.body), expected, "the register");
    let api = get(&app, "/api/v1/organizations").await;
    assert_eq!(order(&api.body), expected, "the API");
    db.close().await;
}

/// Lists that grow with the region come a page at a time: the register by fifty
/// tops, the API by `per_page`, each with the way on.
#[tokio::test]
async fn long_lists_come_a_page_at_a_time() {
    let (db, app) = app().await;
    for i in 0..60 {
        db.store
            .create_organization(
                &samordna_store::OrgFields {
                    name: format!("Samordningsråd område {i:02}"),
                    short_name: None,
                    kind: samordna_domain::OrgKind::Samordningsrad,
                    area: None,
                    reports_to_id: None,
                    status: "active".into(),
                    aliases: vec![],
                    liaison_ids: vec![],
                    publish_minutes_separately: false,
                    minutes_overdue_days: None,
                    adjunct_limit: None,
                },
                "test",
            )
            .await
            .unwrap();
    }
    let first = get(&app, "/").await.body;
    assert!(first.contains("Sida 1 av 2"), "a pager");
    assert!(first.contains("href=\"/?sida=2\""), "the way on");
    assert!(
        !first.contains("id=\"ovriga\""),
        "other bodies on the last page"
    );
    let second = get(&app, "/?sida=2").await.body;
    assert!(second.contains("Sida 2 av 2"));
    assert!(second.contains("id=\"ovriga\""));
    let on = |body: &str| body.matches("class=\"name\"").count();
    assert!(on(&first) >= 50, "fifty tops and their groups");
    assert_eq!(
        get(&app, "/?sida=99").await.status,
        StatusCode::OK,
        "clamped"
    );
    let api: serde_json::Value =
        serde_json::from_str(&get(&app, "/api/v1/organizations?per_page=25").await.body).unwrap();
    assert_eq!(api["count"], 25);
    assert!(api["total"].as_u64().unwrap() > 60);
    assert_eq!(api["next"], "/api/v1/organizations?page=2&per_page=25");
    let last: serde_json::Value =
        serde_json::from_str(&get(&app, "/api/v1/organizations?per_page=500").await.body).unwrap();
    assert_eq!(last["next"], serde_json::Value::Null);
    db.close().await;
}

#[tokio::test]
async fn a_charter_is_compared_with_its_template_section_by_section() {
    let (db, app) = app().await;
    let base = "/grupper/samordningsrad-neurologi/uppdragshandlingar/1";
    let charter = get(&app, base).await;
    assert!(links_contains(&charter.body, &format!("{base}/mall")));
    assert!(text(&charter.body).contains("följer mallen Uppdragshandling samordningsråd 2026"));
    let neuro = text(&get(&app, &format!("{base}/mall")).await.body);
    assert!(
        neuro.contains("Följer mallen; stavningen skiljer: sjukvårdsystem → sjukvårdssystem"),
        "{neuro}"
    );
    let old = get(
        &app,
        "/grupper/samordningsrad-rattspsykiatri/uppdragshandlingar/1/mall",
    )
    .await;
    assert_eq!(old.status, StatusCode::OK);
    let t = text(&old.body);
    assert!(
        t.contains("avviker från mallen Uppdragshandling samordningsråd 2026"),
        "{t}"
    );
    assert!(
        t.contains("Borttaget:") && t.contains("Tillagt:"),
        "changes named in words"
    );
    assert!(
        old.body.contains("<del>") && old.body.contains("<ins>"),
        "and marked, not by colour alone"
    );
    assert!(
        t.contains("Mallens text"),
        "a rewritten section side by side"
    );
    // No template for a kind that has none; a version that does not exist.
    assert_eq!(
        get(
            &app,
            "/grupper/samordningsrad-neurologi/uppdragshandlingar/9/mall"
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    db.close().await;
}

#[tokio::test]
async fn two_versions_are_compared_section_by_section_inline_and_side_by_side() {
    let (db, app) = app().await;
    let one = "/grupper/samordningsrad-neurologi/uppdragshandlingar/1/jamfor";
    let only = get(&app, one).await;
    assert_eq!(
        only.status,
        StatusCode::NOT_FOUND,
        "nothing to compare with yet"
    );
    // A revision: six to ten meetings a year, and a new duty.
    let seed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/seeds/sor-neurologi-2026.txt"
    ))
    .unwrap();
    let revised = seed
        .replace(
            "Mötesfrekvens: 4 till maximalt 8 ggr/år.",
            "Mötesfrekvens: 6 till maximalt 10 ggr/år.",
        )
        .replace(
            "- Nominera ordförande och ledamöter",
            "- Följa upp väntetiderna i regionen.\n- Nominera ordförande och ledamöter",
        )
        .replace("reviderad juni 2026", "reviderad november 2026");
    assert_ne!(revised, seed);
    let doc = samordna_domain::parse_charter(&revised).unwrap();
    db.store
        .import_charter(
            &doc,
            &samordna_store::Source {
                name: "sor-neurologi-2026-11.txt",
                text: &revised,
                file: None,
            },
            "test",
        )
        .await
        .unwrap();
    let inline = get(
        &app,
        "/grupper/samordningsrad-neurologi/uppdragshandlingar/2/jamfor",
    )
    .await;
    assert_eq!(inline.status, StatusCode::OK, "{}", inline.body);
    let t = text(&inline.body);
    assert!(t.contains("Version 2 jämförd med version 1"), "{t}");
    assert!(
        t.contains("Tillagt: Följa upp väntetiderna i regionen."),
        "{t}"
    );
    assert!(
        t.contains("Borttaget: 4") || t.contains("Borttaget: 4 till"),
        "{t}"
    );
    assert!(t.contains("Tillagt: 6"), "{t}");
    assert!(t.contains("Oförändrat."), "untouched sections say so");
    let side = get(
        &app,
        "/grupper/samordningsrad-neurologi/uppdragshandlingar/2/jamfor?med=1&visning=sida",
    )
    .await;
    let s = text(&side.body);
    assert!(
        s.contains("Version 1")
            && s.contains("Version 2")
            && s.contains("Visa ändringarna i löptext"),
        "{s}"
    );
    assert!(side.body.contains("<del>") && side.body.contains("<ins>"));
    // From the charter page.
    let charter = get(
        &app,
        "/grupper/samordningsrad-neurologi/uppdragshandlingar/2",
    )
    .await;
    assert!(links_contains(
        &charter.body,
        "/grupper/samordningsrad-neurologi/uppdragshandlingar/2/jamfor"
    ));
    db.close().await;
}
