//! Text going out: whatever users typed (or older data holds), every format the
//! server writes is read by a standard parser — the Atom feed by feedparser, the
//! org chart's SVG by Python's XML parser, the calendar by `icalendar`, download
//! names by Python's `email` package (RFC 6266/8187), CSV by Python's `csv` module
//! as Excel in a Swedish locale reads it.

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use samordna_domain::meetings::{MeetingKind, MinutesStep};
use samordna_store::testing::{import_seeds, TestDb};
use samordna_store::{MeetingFields, PersonFields};
use samordna_web::testing::{self, python, Res};

async fn get(app: &axum::Router, uri: &str, cookie: Option<&str>) -> Res {
    testing::get(app, uri, cookie).await
}

async fn session(db: &TestDb, email: &str, role: Option<&str>, person: Option<i64>) -> String {
    testing::signed_in(&db.store, email, role, person).await.1
}

#[tokio::test]
async fn feeds_charts_calendars_downloads_and_csv_parse_whatever_was_typed() {
    let db = TestDb::sqlite().await;
    let store = &db.store;
    import_seeds(store).await;
    let slug = "samordningsgrupp-for-neonatalvarden";
    // Older data, or data from a path that did not normalise, with what XML forbids.
    store
        .rename_organization(
            slug,
            "Samordningsgrupp för neonatalvården\u{c}\u{b}",
            "test",
        )
        .await
        .unwrap();
    let neo = store.organization_by_slug(slug).await.unwrap().unwrap();
    let start = Utc::now() - Duration::days(3);
    let meeting = store
        .create_meeting(
            &MeetingFields {
                organization_id: neo.id,
                kind: MeetingKind::Ordinary,
                starts_at: start,
                ends_at: start + Duration::hours(2),
                place: Some("Rum\u{c}1".into()),
                digital_link: None,
            },
            "kim",
        )
        .await
        .unwrap();
    let item = store
        .add_agenda_item(meeting, "Förslag", None, None, "kim")
        .await
        .unwrap();
    store.publish_agenda(meeting, "kim").await.unwrap();
    store
        .save_minutes(
            meeting,
            "## 1. Förslag\nSida ett\u{c}sida två\u{b}slut <b>&</b> \u{1}",
            "kim",
        )
        .await
        .unwrap();
    store
        .minutes_step(meeting, MinutesStep::Submit, None, "kim")
        .await
        .unwrap();
    store
        .minutes_step(meeting, MinutesStep::Approve, None, "cleo")
        .await
        .unwrap();
    let app = samordna_web::router(store.clone());

    // Atom: well-formed for feedparser (bozo 0), the text kept.
    let feed = get(&app, &format!("/grupper/{slug}/anteckningar.atom"), None).await;
    assert_eq!(feed.status, StatusCode::OK);
    let parsed = python(
        "import sys, json, feedparser\nf = feedparser.parse(sys.stdin.buffer.read())\nprint(json.dumps({'bozo': f.bozo, 'error': str(f.get('bozo_exception', '')), 'title': f.feed.get('title'), 'summaries': [e.summary for e in f.entries]}))",
        &feed.bytes,
    );
    let parsed: serde_json::Value = serde_json::from_str(&parsed).unwrap();
    assert_eq!(parsed["bozo"], false, "the feed is well-formed: {parsed}");
    assert!(parsed["summaries"][0]
        .as_str()
        .unwrap()
        .contains("Sida ett sida två"));

    // The org chart: each SVG parses as XML.
    for page in [
        "/organisation".to_string(),
        format!("/grupper/{slug}/organisation"),
    ] {
        let html = get(&app, &page, None).await.body.clone();
        let svgs: Vec<&str> = html
            .split("<svg ")
            .skip(1)
            .map(|s| s.split("</svg>").next().unwrap())
            .collect();
        assert_eq!(svgs.len(), 2, "{page}: two pictures");
        for svg in svgs {
            let doc = format!("<svg {svg}</svg>");
            let title = python(
                "import sys, xml.etree.ElementTree as ET\nroot = ET.fromstring(sys.stdin.buffer.read())\nprint(sum(1 for e in root.iter() if e.tag.endswith('}a')))",
                doc.as_bytes(),
            );
            assert!(title.trim().parse::<usize>().unwrap() >= 1, "{page}");
        }
    }

    // The calendar: parsed by icalendar, the names without control characters.
    let ics = get(&app, &format!("/grupper/{slug}/kalender.ics"), None).await;
    let summary = python(
        "import sys, icalendar\ncal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())\nprint([str(e.get('location')) for e in cal.walk('VEVENT')][0])",
        &ics.bytes,
    );
    assert_eq!(summary.trim(), "Rum 1");

    // Downloads: the name comes back whole, parsed as RFC 6266/8187 by `email`.
    let member = session(&db, "admin@region.example", Some("admin"), None).await;
    for name in ["Förslag till åtgärder 2026.pdf", "Svar \"remiss\" ÅÄÖ.pdf"] {
        let id = store
            .add_attachment(item, name, "application/pdf", b"%PDF-1.4", "kim")
            .await
            .unwrap();
        let got = get(
            &app,
            &format!("/moten/{meeting}/bilagor/{id}"),
            Some(&member),
        )
        .await;
        assert_eq!(got.status, StatusCode::OK);
        let header = got.headers["content-disposition"].to_str().unwrap();
        // An ASCII fallback first, for old clients; then the name itself, which
        // RFC 6266 has clients prefer. Python's `email` decodes the latter alone.
        let (fallback, extended) = header.split_once("; filename*=").unwrap();
        assert!(fallback.starts_with("attachment; filename=\""), "{header}");
        assert!(fallback.is_ascii());
        let back = python(
            "import sys\nfrom email.message import Message\nm = Message()\nm['Content-Disposition'] = 'attachment; filename*=' + sys.stdin.read()\nprint(m.get_filename())",
            extended.as_bytes(),
        );
        assert_eq!(back.trim_end_matches('\n'), name, "{header}");
    }

    // CSV: a BOM, `;`, and no formula runs in Excel.
    store
        .create_person(
            &PersonFields {
                name: "=HYPERLINK(\"http://evil.example\";\"Klicka\")".into(),
                ..Default::default()
            },
            "test",
        )
        .await
        .unwrap();
    let csv = get(&app, "/admin/logg.csv", Some(&member)).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.bytes.starts_with(b"\xef\xbb\xbf"), "UTF-8 with a BOM");
    let rows = python(
        "import sys, csv, json\nprint(json.dumps(list(csv.reader(sys.stdin.buffer.read().decode('utf-8-sig').splitlines(), delimiter=';'))))",
        &csv.bytes,
    );
    let rows: Vec<Vec<String>> = serde_json::from_str(&rows).unwrap();
    assert_eq!(rows[0][..3], ["id", "tid", "vem"]);
    assert!(rows.iter().all(|r| r.len() == 8), "every row has 8 fields");
    assert!(rows.iter().flatten().any(|c| c.starts_with("'=HYPERLINK")));
    assert!(!rows.iter().flatten().any(|c| c.starts_with('=')));
    let findings = get(&app, "/regelefterlevnad.csv", Some(&member)).await;
    assert!(findings.bytes.starts_with(b"\xef\xbb\xbf"));
    assert!(findings
        .body
        .clone()
        .lines()
        .next()
        .unwrap()
        .contains("grupp;regel;"));
    db.close().await;
}
