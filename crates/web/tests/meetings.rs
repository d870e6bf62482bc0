//! Meetings and minutes as readers and members see them: unapproved minutes stay
//! inside the group; approval publishes; corrections are new versions; the calendar
//! parses with a standard iCalendar parser and keeps each meeting's UID.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{Duration, Utc};
use samordna_domain::meetings::{MeetingKind, MinutesStep};
use samordna_store::testing::{import_seeds, TestDb};
use samordna_store::MeetingFields;
use samordna_web::testing;

/// (status, content type, body) of `GET uri`, through the shared harness.
async fn get(app: &axum::Router, uri: &str, cookie: Option<&str>) -> (StatusCode, String, String) {
    let r = testing::get(app, uri, cookie).await;
    (r.status, r.content_type, r.body)
}

struct World {
    db: TestDb,
    app: axum::Router,
    meeting: i64,
    member_cookie: String,
}

async fn world() -> World {
    let db = TestDb::sqlite().await;
    import_seeds(&db.store).await;
    let neo = db
        .store
        .organization_by_slug("samordningsgrupp-for-neonatalvarden")
        .await
        .unwrap()
        .unwrap();
    let start = Utc::now() - Duration::days(3);
    let meeting = db
        .store
        .create_meeting(
            &MeetingFields {
                organization_id: neo.id,
                kind: MeetingKind::Ordinary,
                starts_at: start,
                ends_at: start + Duration::hours(2),
                place: Some("Regionens hus, Vänersborg".into()),
                digital_link: Some("https://möte.example/neo".into()),
            },
            "kim",
        )
        .await
        .unwrap();
    db.store
        .add_agenda_item(meeting, "Vårdplatsläget", Some("Kim"), Some(20), "kim")
        .await
        .unwrap();
    // A member, signed in with a session made directly in the store.
    let person = testing::person(&db.store, "Maja Medlem", None).await;
    testing::member(
        &db.store,
        neo.id,
        person,
        samordna_domain::policy::MembershipRole::Deltagare,
    )
    .await;
    let (_, member_cookie) =
        testing::signed_in(&db.store, "maja@region.example", None, Some(person)).await;
    let app = samordna_web::router(db.store.clone());
    World {
        db,
        app,
        meeting,
        member_cookie,
    }
}

#[tokio::test]
async fn unapproved_minutes_stay_in_the_group_until_the_chair_approves() {
    let w = world().await;
    let page = format!("/moten/{}", w.meeting);
    let secret = "Beslut: anslagen fördelas enligt bilaga.";
    w.db.store
        .save_minutes(w.meeting, &format!("## 1. Vårdplatsläget\n{secret}"), "kim")
        .await
        .unwrap();
    w.db.store
        .minutes_step(w.meeting, MinutesStep::Submit, None, "kim")
        .await
        .unwrap();
    let (status, _, anonymous) = get(&w.app, &page, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !anonymous.contains(secret),
        "a reader outside the group does not see the draft"
    );
    assert!(
        !anonymous.contains("https://möte.example/neo"),
        "nor the meeting link"
    );
    let (_, _, member) = get(&w.app, &page, Some(&w.member_cookie)).await;
    assert!(member.contains(secret), "a member sees the submitted draft");
    assert!(member.contains("Väntar på justering av ordföranden"));
    let (_, _, feed) = get(
        &w.app,
        "/grupper/samordningsgrupp-for-neonatalvarden/anteckningar.atom",
        None,
    )
    .await;
    assert!(
        !feed.contains("<entry>"),
        "nothing in the feed before approval"
    );

    w.db.store
        .minutes_step(w.meeting, MinutesStep::Approve, None, "cleo")
        .await
        .unwrap();
    let (_, _, anonymous) = get(&w.app, &page, None).await;
    assert!(anonymous.contains(secret), "approved minutes are published");
    assert!(
        anonymous.contains("<h4>1. Vårdplatsläget</h4>"),
        "Markdown is rendered"
    );
    let (status, ct, feed) = get(
        &w.app,
        "/grupper/samordningsgrupp-for-neonatalvarden/anteckningar.atom",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("application/atom+xml"));
    assert_eq!(feed.matches("<entry>").count(), 1);
    assert!(feed.contains(&format!("/moten/{}#v1", w.meeting)));
    w.db.close().await;
}

#[tokio::test]
async fn a_correction_is_a_new_version_and_the_original_stays_readable() {
    let w = world().await;
    w.db.store
        .save_minutes(w.meeting, "Närvarande: 8 deltagare.", "kim")
        .await
        .unwrap();
    w.db.store
        .minutes_step(w.meeting, MinutesStep::Submit, None, "kim")
        .await
        .unwrap();
    w.db.store
        .minutes_step(w.meeting, MinutesStep::Approve, None, "cleo")
        .await
        .unwrap();
    w.db.store
        .correct_minutes(
            w.meeting,
            "Närvarande: 9 deltagare.",
            "En deltagare saknades i listan",
            "kim",
        )
        .await
        .unwrap();
    w.db.store
        .minutes_step(w.meeting, MinutesStep::Submit, None, "kim")
        .await
        .unwrap();
    w.db.store
        .minutes_step(w.meeting, MinutesStep::Approve, None, "cleo")
        .await
        .unwrap();
    let (_, _, page) = get(&w.app, &format!("/moten/{}", w.meeting), None).await;
    assert!(
        page.contains("Närvarande: 8 deltagare."),
        "the original is still readable"
    );
    assert!(page.contains("Närvarande: 9 deltagare."));
    assert!(page.contains("Rättelse: En deltagare saknades i listan"));
    assert!(page.contains("Version 1") && page.contains("Version 2"));
    w.db.close().await;
}

#[tokio::test]
async fn raw_html_in_minutes_is_shown_as_text() {
    let w = world().await;
    w.db.store
        .save_minutes(w.meeting, "<script>alert(1)</script> och <b>fet</b>", "kim")
        .await
        .unwrap();
    w.db.store
        .minutes_step(w.meeting, MinutesStep::Submit, None, "kim")
        .await
        .unwrap();
    w.db.store
        .minutes_step(w.meeting, MinutesStep::Approve, None, "cleo")
        .await
        .unwrap();
    let (_, _, page) = get(&w.app, &format!("/moten/{}", w.meeting), None).await;
    assert!(!page.contains("<script>alert(1)"));
    assert!(page.contains("&lt;script&gt;"));
    w.db.close().await;
}

/// Parses the calendar with Python's `icalendar`, the standard parser the issue names.
fn parse_ical(text: &str) -> serde_json::Value {
    let script = r#"
import sys, json, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.read())
print(json.dumps([{"uid": str(e["UID"]), "sequence": int(e["SEQUENCE"]), "status": str(e["STATUS"]), "location": str(e.get("LOCATION", "")), "start": e.decoded("DTSTART").isoformat()} for e in cal.walk("VEVENT")]))
"#;
    use std::io::Write;
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 is needed to check the calendar (scripts/test installs icalendar)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "icalendar could not parse the feed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test]
async fn the_calendar_parses_and_keeps_the_uid_through_changes_and_cancellation() {
    let w = world().await;
    let uri = "/grupper/samordningsgrupp-for-neonatalvarden/kalender.ics";
    let (status, ct, first) = get(&w.app, uri, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/calendar"));
    let before = parse_ical(&first);
    assert_eq!(before.as_array().unwrap().len(), 1);
    assert_eq!(before[0]["status"], "CONFIRMED");
    assert_eq!(before[0]["location"], "Regionens hus, Vänersborg");
    let m = w.db.store.meeting(w.meeting).await.unwrap().unwrap();
    let mut f = m.fields.clone();
    f.place = Some("Digitalt".into());
    w.db.store
        .update_meeting(m.id, m.row_version, &f, "kim")
        .await
        .unwrap();
    w.db.store
        .cancel_meeting(m.id, "Ordföranden är sjuk", "kim")
        .await
        .unwrap();
    let after = parse_ical(&get(&w.app, uri, None).await.2);
    assert_eq!(
        after[0]["uid"], before[0]["uid"],
        "the same meeting keeps its UID"
    );
    assert!(after[0]["sequence"].as_i64() > before[0]["sequence"].as_i64());
    assert_eq!(after[0]["status"], "CANCELLED");
    w.db.close().await;
}

/// A calendar link is a secret of its own: it reads the owner's calendar and nothing
/// else, an API key does not open the calendar, the account page shows its
/// address, and it stops working when revoked.
#[tokio::test]
async fn a_personal_calendar_holds_the_meetings_of_ones_groups_until_revoked() {
    let w = world().await;
    let maja =
        w.db.store
            .account_by_email("maja@region.example")
            .await
            .unwrap()
            .unwrap();
    let id =
        w.db.store
            .create_calendar_link(maja.id, "kal-maja", "test")
            .await
            .unwrap();
    let (status, ct, body) = get(&w.app, "/kalender/kal-maja.ics", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/calendar"));
    let events = parse_ical(&body);
    assert_eq!(
        events.as_array().unwrap().len(),
        1,
        "the neonatal group's one meeting"
    );
    let group = parse_ical(
        &get(
            &w.app,
            "/grupper/samordningsgrupp-for-neonatalvarden/kalender.ics",
            None,
        )
        .await
        .2,
    );
    assert_eq!(
        events[0]["uid"], group[0]["uid"],
        "the same UID in both feeds"
    );
    // The link's secret is no API key: it cannot read or write the API.
    let api = testing::send(
        &w.app,
        Request::get("/api/v1/organizations/samordningsgrupp-for-neonatalvarden/memberships")
            .header("authorization", "Bearer kal-maja")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    // And an API key does not open the calendar.
    w.db.store
        .create_api_token(
            maja.id,
            "Program",
            &samordna_web::auth::hash_secret("smd_program"),
            "test",
        )
        .await
        .unwrap();
    assert_eq!(
        get(&w.app, "/kalender/smd_program.ics", None).await.0,
        StatusCode::NOT_FOUND
    );
    // The account page shows the address to copy.
    let (_, _, account) = get(&w.app, "/konto", Some(&w.member_cookie)).await;
    assert!(
        account.contains("/kalender/kal-maja.ics"),
        "the address is on the account page"
    );
    w.db.store
        .revoke_calendar_link(maja.id, id, "test")
        .await
        .unwrap();
    assert_eq!(
        get(&w.app, "/kalender/kal-maja.ics", None).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&w.app, "/kalender/påhittad.ics", None).await.0,
        StatusCode::NOT_FOUND
    );
    w.db.close().await;
}

#[tokio::test]
async fn the_group_page_shows_members_to_employees_and_not_to_anonymous_visitors() {
    let w = world().await;
    let (_, _, anonymous) = get(&w.app, "/grupper/samordningsgrupp-for-neonatalvarden", None).await;
    assert!(
        !anonymous.contains("Maja Medlem"),
        "names are published deliberately: not to anonymous visitors by default"
    );
    let (_, _, member) = get(
        &w.app,
        "/grupper/samordningsgrupp-for-neonatalvarden",
        Some(&w.member_cookie),
    )
    .await;
    assert!(member.contains("Maja Medlem, Deltagare"), "{member}");
    w.db.close().await;
}

#[tokio::test]
async fn the_group_page_lists_the_rules_findings_with_their_quotes() {
    let w = world().await;
    let (_, _, anonymous) = get(&w.app, "/grupper/samordningsgrupp-for-neonatalvarden", None).await;
    assert!(!anonymous.contains("Regelefterlevnad"));
    let (_, _, member) = get(
        &w.app,
        "/grupper/samordningsgrupp-for-neonatalvarden",
        Some(&w.member_cookie),
    )
    .await;
    assert!(member.contains("Regelefterlevnad"));
    assert!(
        member.contains("Gruppen har ingen ordförande."),
        "the group has no chair in the register"
    );
    assert!(
        member.contains("Ordförande: Utses av SOR barn efter avstämning"),
        "quoted from the charter"
    );
    assert!(member.contains("(missing-chair)"));
    // In English, the findings are in English too; the quote stays as the charter
    // reads.
    let english = format!("{}; lang=en", w.member_cookie);
    let (_, _, member) = get(
        &w.app,
        "/grupper/samordningsgrupp-for-neonatalvarden",
        Some(&english),
    )
    .await;
    assert!(member.contains("The group has no chair."), "{member}");
    assert!(!member.contains("Gruppen har ingen ordförande."));
    assert!(member.contains("Ordförande: Utses av SOR barn efter avstämning"));
    assert!(
        member.contains("version 1 (decided 2023-"),
        "the charter's label"
    );
    w.db.close().await;
}

/// The public record of a meeting is its published agenda and minutes: an agenda
/// never published stays with the group even after the meeting, attachments too.
#[tokio::test]
async fn an_unpublished_agenda_stays_with_the_group_after_the_meeting() {
    let w = world().await;
    let page = format!("/moten/{}", w.meeting);
    let item = w.db.store.agenda(w.meeting).await.unwrap()[0].id;
    let file =
        w.db.store
            .add_attachment(item, "Underlag.pdf", "application/pdf", b"%PDF-1.4", "kim")
            .await
            .unwrap();
    let download = format!("/moten/{}/bilagor/{file}", w.meeting);
    let (_, _, anonymous) = get(&w.app, &page, None).await;
    assert!(
        !anonymous.contains("Vårdplatsläget"),
        "the meeting was held, but its agenda was never published"
    );
    assert!(anonymous.contains("Dagordningen är inte publicerad"));
    assert_eq!(get(&w.app, &download, None).await.0, StatusCode::NOT_FOUND);
    let (_, _, member) = get(&w.app, &page, Some(&w.member_cookie)).await;
    assert!(member.contains("Vårdplatsläget"), "the group sees it");
    assert_eq!(
        get(&w.app, &download, Some(&w.member_cookie)).await.0,
        StatusCode::OK
    );
    w.db.store.publish_agenda(w.meeting, "kim").await.unwrap();
    let (_, _, anonymous) = get(&w.app, &page, None).await;
    assert!(anonymous.contains("Vårdplatsläget"), "published: public");
    // On an English page the agenda, as the group wrote it, is marked Swedish.
    let (_, _, english) = get(&w.app, &page, Some("lang=en")).await;
    assert!(english.contains("<html lang=\"en\""));
    let agenda = &english[english.find("<ol class=\"agenda\"").expect("the agenda")..];
    assert!(
        agenda.starts_with("<ol class=\"agenda\" lang=\"sv\">"),
        "{}",
        &agenda[..80]
    );
    assert_eq!(get(&w.app, &download, None).await.0, StatusCode::OK);
    w.db.close().await;
}

/// Links users typed are links only with `https`, `http`, `mailto` or `tel`:
/// never `javascript:` from Markdown minutes or a meeting's digital link.
#[tokio::test]
async fn javascript_links_never_render() {
    let w = world().await;
    let meeting = w.db.store.meeting(w.meeting).await.unwrap().unwrap();
    let mut f = meeting.fields.clone();
    f.digital_link = Some("javascript:alert(document.cookie)".into());
    w.db.store
        .update_meeting(w.meeting, meeting.row_version, &f, "kim")
        .await
        .unwrap();
    w.db.store
        .save_minutes(
            w.meeting,
            "[Klicka](javascript:alert(1)) [Också](JaVaScRiPt:alert(2)) ![bild](data:text/html,x) [Rutin](https://vgregion.se/rutin) [Kim](mailto:kim@region.example)",
            "kim",
        )
        .await
        .unwrap();
    let (_, _, member) = get(
        &w.app,
        &format!("/moten/{}", w.meeting),
        Some(&w.member_cookie),
    )
    .await;
    let lower = member.to_lowercase();
    assert!(!lower.contains("href=\"javascript:"), "no javascript: link");
    assert!(!lower.contains("src=\"data:"), "no data: image");
    assert!(member.contains("Klicka"), "the text stays");
    assert!(
        !member.contains("href=\"\""),
        "as text, not as a link to nowhere"
    );
    assert!(member.contains("href=\"https://vgregion.se/rutin\""));
    assert!(member.contains("href=\"mailto:kim@region.example\""));
    assert!(
        member.contains("javascript:alert(document.cookie)"),
        "the digital link is shown as text"
    );
    w.db.close().await;
}

/// Posts a form as the signed-in `cookie` (CSRF token "csrf", see
/// `testing::signed_in`).
async fn post(
    app: &axum::Router,
    uri: &str,
    cookie: &str,
    fields: &[(&str, &str)],
) -> testing::Res {
    let mut pairs = vec![("_csrf", "csrf")];
    pairs.extend_from_slice(fields);
    let req = Request::post(uri)
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(serde_urlencoded::to_string(&pairs).unwrap()))
        .unwrap();
    testing::send(app, req).await
}

/// A form value that cannot be read is said beside its field on the same page,
/// with everything typed kept (issue 27, item 6: "tio" in "Minuter" was a
/// 400 page whose only link went to the register); an item sent twice is one
/// item, and another item with its title is said at the title (item 3).
#[tokio::test]
async fn the_agenda_form_keeps_what_was_typed_and_names_the_field() {
    let w = world().await;
    let neo =
        w.db.store
            .organization_by_slug("samordningsgrupp-for-neonatalvarden")
            .await
            .unwrap()
            .unwrap();
    let kim = testing::person(&w.db.store, "Kim Koordinator", None).await;
    testing::member(
        &w.db.store,
        neo.id,
        kim,
        samordna_domain::policy::MembershipRole::Koordinator,
    )
    .await;
    let (_, cookie) = testing::signed_in(&w.db.store, "kim@region.example", None, Some(kim)).await;
    let uri = format!("/moten/{}/dagordning", w.meeting);
    let r = post(
        &w.app,
        &uri,
        &cookie,
        &[
            ("title", "Remiss om prematuritet"),
            ("presenter", "Ada"),
            ("minutes", "tio"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("<h1>"), "the meeting's page");
    assert!(
        r.body
            .contains("id=\"e-minutes\">Ange minuterna som ett heltal mellan 1 och 1439."),
        "{}",
        r.body
    );
    for kept in [
        "name=\"title\" value=\"Remiss om prematuritet\"",
        "name=\"presenter\" value=\"Ada\"",
        "name=\"minutes\" value=\"tio\"",
    ] {
        assert!(r.body.contains(kept), "{kept} kept");
    }
    let before = w.db.store.agenda(w.meeting).await.unwrap().len();
    // Sent right: one item; sent again (a double click): still one.
    for _ in 0..2 {
        let r = post(
            &w.app,
            &uri,
            &cookie,
            &[
                ("title", "Remiss om prematuritet"),
                ("presenter", "Ada"),
                ("minutes", "10"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    assert_eq!(
        w.db.store.agenda(w.meeting).await.unwrap().len(),
        before + 1
    );
    // Another item with that title: said at the title, nothing added.
    let r = post(
        &w.app,
        &uri,
        &cookie,
        &[("title", "Remiss om prematuritet"), ("presenter", "Bo")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"e-title\""), "{}", r.body);
    assert!(r.body.contains("name=\"presenter\" value=\"Bo\""));
    assert_eq!(
        w.db.store.agenda(w.meeting).await.unwrap().len(),
        before + 1
    );
    // An action with a date that cannot be read: said at the date, title kept.
    let r = post(
        &w.app,
        &format!("/moten/{}/atgarder", w.meeting),
        &cookie,
        &[("title", "Ring SU"), ("due_on", "i morgon")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"e-action-due\""), "{}", r.body);
    assert!(r.body.contains("name=\"title\" value=\"Ring SU\""));
    w.db.close().await;
}

/// The API shows a meeting's digital link to the group only, as the meeting's
/// page does (the new user's trial of issue 27 found it in the API for anyone).
#[tokio::test]
async fn the_api_shows_the_digital_link_to_the_group_only() {
    let w = world().await;
    let uri = format!("/api/v1/meetings/{}", w.meeting);
    let (status, _, anonymous) = get(&w.app, &uri, None).await;
    assert_eq!(status, StatusCode::OK, "{anonymous}");
    let v: serde_json::Value = serde_json::from_str(&anonymous).unwrap();
    assert_eq!(v["digital_link"], serde_json::Value::Null, "{v}");
    let list = "/api/v1/organizations/samordningsgrupp-for-neonatalvarden/meetings";
    let (_, _, listed) = get(&w.app, list, None).await;
    assert!(!listed.contains("möte.example"), "{listed}");
    let (_, _, member) = get(&w.app, &uri, Some(&w.member_cookie)).await;
    let v: serde_json::Value = serde_json::from_str(&member).unwrap();
    assert_eq!(v["digital_link"], "https://möte.example/neo", "{v}");
    w.db.close().await;
}
