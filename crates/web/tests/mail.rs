//! Mail through a real SMTP listener on loopback (Python's aiosmtpd writing to a
//! Maildir): recipients, subjects and links; a job that fails is retried; a sent
//! job is not sent again after a restart.

use chrono::{Duration, Utc};
use samordna_domain::meetings::{MeetingKind, MinutesStep};
use samordna_domain::policy::MembershipRole;
use samordna_store::testing::{import_seeds, TestDb};
use samordna_store::MeetingFields;
use samordna_web::mail::{run_due, scan_overdue, SmtpSettings};
use samordna_web::testing::{self, free_port, messages, start_smtp};
use samordna_web::{AppState, Settings};

fn state(store: &samordna_store::Store, port: u16) -> AppState {
    AppState::new(
        store.clone(),
        Settings {
            public_url: "https://samordna.region.example".into(),
            smtp: Some(SmtpSettings {
                host: "127.0.0.1".into(),
                port,
                from: "Samordna <samordna@region.example>".into(),
                starttls: false,
                username: None,
                password: None,
            }),
            job_retry_base: Duration::seconds(0),
            ..Default::default()
        },
    )
}

#[tokio::test]
async fn invitations_approval_requests_and_reminders_reach_the_right_people_once() {
    let db = TestDb::sqlite().await;
    let store = &db.store;
    import_seeds(store).await;
    let neo = store
        .organization_by_slug("samordningsgrupp-for-neonatalvarden")
        .await
        .unwrap()
        .unwrap();
    for (name, email, role) in [
        (
            "Cleo Ordförande",
            "cleo@region.example",
            MembershipRole::Ordforande,
        ),
        (
            "Kim Koordinator",
            "kim@region.example",
            MembershipRole::Koordinator,
        ),
        (
            "Maja Medlem",
            "maja@region.example",
            MembershipRole::Deltagare,
        ),
    ] {
        let p = testing::person(store, name, Some(email)).await;
        testing::member(store, neo.id, p, role).await;
    }
    let start = Utc::now() + Duration::days(10);
    let meeting = store
        .create_meeting(
            &MeetingFields {
                organization_id: neo.id,
                kind: MeetingKind::Ordinary,
                starts_at: start,
                ends_at: start + Duration::hours(2),
                place: Some("Regionens hus".into()),
                digital_link: None,
            },
            "kim",
        )
        .await
        .unwrap();
    store
        .add_agenda_item(meeting, "Transporter av nyfödda", None, None, "kim")
        .await
        .unwrap();
    store.publish_agenda(meeting, "kim").await.unwrap();

    // No SMTP server yet: the invitation fails and waits for a retry.
    let port = free_port();
    assert_eq!(run_due(&state(store, port)).await, 0);
    let jobs = store.jobs().await.unwrap();
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].attempts, 1);
    assert!(jobs[0].done_at.is_none());
    assert!(jobs[0].last_error.is_some(), "the failure is recorded");

    let dir = tempfile::tempdir().unwrap();
    let smtp = start_smtp(port, &dir.path().join("maildir"));
    store.run_jobs_now().await.unwrap();
    let n = run_due(&state(store, port)).await;
    assert_eq!(
        n,
        1,
        "the retry sends it: {:?}",
        store.jobs().await.unwrap()
    );
    let got = messages(&smtp.maildir);
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0]["to"],
        serde_json::json!([
            "cleo@region.example",
            "kim@region.example",
            "maja@region.example"
        ])
    );
    assert!(
        got[0]["subject"]
            .as_str()
            .unwrap()
            .starts_with("Kallelse: Samordningsgrupp för neonatalvården"),
        "{}",
        got[0]["subject"]
    );
    assert!(got[0]["body"]
        .as_str()
        .unwrap()
        .contains(&format!("https://samordna.region.example/moten/{meeting}")));
    assert!(got[0]["body"]
        .as_str()
        .unwrap()
        .contains("1. Transporter av nyfödda"));

    // A restart (a new worker over the same database) sends nothing again.
    store.run_jobs_now().await.unwrap();
    assert_eq!(run_due(&state(store, port)).await, 0);
    assert_eq!(messages(&smtp.maildir).len(), 1);

    // Submitted minutes (of a meeting held three days ago: minutes are sent
    // after the meeting): a request to the chair alone.
    let held_at = Utc::now() - Duration::days(3);
    let held = store
        .create_meeting(
            &MeetingFields {
                organization_id: neo.id,
                kind: MeetingKind::Ordinary,
                starts_at: held_at,
                ends_at: held_at + Duration::hours(2),
                place: None,
                digital_link: None,
            },
            "kim",
        )
        .await
        .unwrap();
    store
        .save_minutes(held, "Anteckningar", "kim")
        .await
        .unwrap();
    store
        .minutes_step(held, MinutesStep::Submit, None, "kim")
        .await
        .unwrap();
    assert_eq!(run_due(&state(store, port)).await, 1);
    let got = messages(&smtp.maildir);
    let ask = got
        .iter()
        .find(|m| {
            m["subject"]
                .as_str()
                .unwrap()
                .starts_with("Mötesanteckningar väntar på din justering")
        })
        .expect("the request");
    assert_eq!(ask["to"], serde_json::json!(["cleo@region.example"]));

    // A past ordinary meeting without approved minutes: one reminder, once.
    let past = Utc::now() - Duration::days(30);
    let old = store
        .create_meeting(
            &MeetingFields {
                organization_id: neo.id,
                kind: MeetingKind::Ordinary,
                starts_at: past,
                ends_at: past + Duration::hours(2),
                place: None,
                digital_link: None,
            },
            "kim",
        )
        .await
        .unwrap();
    let st = state(store, port);
    assert_eq!(scan_overdue(&st).await.unwrap(), 1);
    assert_eq!(scan_overdue(&st).await.unwrap(), 0, "reminded once");
    assert_eq!(run_due(&st).await, 1);
    let got = messages(&smtp.maildir);
    let reminder = got
        .iter()
        .find(|m| {
            m["subject"]
                .as_str()
                .unwrap()
                .starts_with("Påminnelse: mötesanteckningar saknas")
        })
        .expect("the reminder");
    assert_eq!(
        reminder["to"],
        serde_json::json!(["cleo@region.example", "kim@region.example"])
    );
    assert!(reminder["body"]
        .as_str()
        .unwrap()
        .contains(&format!("/moten/{old}")));
    assert_eq!(got.len(), 3);
    drop(smtp);
    db.close().await;
}
