//! Races (issue 27, item 4): a state change two people can make at once is
//! answered with the outcome — one succeeds, the other is told what happened
//! (`Stale`, `Conflict`) or finds it done — never with "the register cannot be
//! reached" (SQLite's `database is locked` of a deferred transaction that read
//! and then wrote) and never with a database error (a unique index hit, a 500).

use std::future::Future;

use chrono::{NaiveDate, TimeZone, Utc};
use samordna_domain::decisions::{Target, Topic};
use samordna_domain::matters::{ActionStatus, MatterKind, MatterSource};
use samordna_domain::meetings::MeetingKind;
use samordna_domain::parse::NameAndTitle;
use samordna_store::testing::import_seeds;
use samordna_store::{
    ActionFields, DraftStatus, MatterFields, MeetingFields, NewEscalation, Store, StoreError,
};

suite!(
    two_directors_deciding_one_draft_at_once_make_one_version,
    a_matter_moved_by_several_at_once_moves_once,
    a_question_answered_by_several_at_once_has_one_answer,
    a_meeting_cancelled_and_its_agenda_published_at_once_by_several,
    an_action_ended_by_several_at_once_ends_once,
    a_draft_started_by_several_at_once_is_one_draft,
);

const NEONATAL: &str = "samordningsgrupp-for-neonatalvarden";
const AT_ONCE: usize = 6;

/// Runs `AT_ONCE` copies of `make(i)` at the same time (each on a task of its
/// own) and returns their answers. Every refusal must be an answer a person can
/// act on: never "unavailable", never a database error.
async fn at_once<T, F, Fut>(make: F) -> Vec<Result<T, StoreError>>
where
    T: Send + 'static,
    F: Fn(usize) -> Fut,
    Fut: Future<Output = Result<T, StoreError>> + Send + 'static,
{
    let tasks: Vec<_> = (0..AT_ONCE).map(|i| tokio::spawn(make(i))).collect();
    let mut out = Vec::new();
    for t in tasks {
        let r = t.await.unwrap();
        if let Err(e) = &r {
            assert!(
                !e.is_unavailable(),
                "a race answered 'the register cannot be reached': {e}"
            );
            assert!(
                !matches!(e, StoreError::Database(_)),
                "a race answered with a database error: {e}"
            );
        }
        out.push(r);
    }
    out
}

async fn events(store: &Store, action: &str) -> usize {
    store
        .audit_events()
        .await
        .unwrap()
        .iter()
        .filter(|e| e.action == action)
        .count()
}

async fn neonatal(store: &Store) -> i64 {
    import_seeds(store).await;
    super::org(store, NEONATAL).await.id
}

async fn held_meeting(store: &Store, org: i64) -> i64 {
    store
        .create_meeting(
            &MeetingFields {
                organization_id: org,
                kind: MeetingKind::Ordinary,
                starts_at: Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap(),
                ends_at: Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap(),
                place: None,
                digital_link: None,
            },
            "kim",
        )
        .await
        .unwrap()
}

async fn two_directors_deciding_one_draft_at_once_make_one_version(store: &Store) {
    let org = neonatal(store).await;
    let before = store.charter_versions(Some(org)).await.unwrap().len();
    let base = store
        .charter_versions(Some(org))
        .await
        .unwrap()
        .iter()
        .map(|v| v.version)
        .max();
    let content = store
        .charter_document(org, base.unwrap())
        .await
        .unwrap()
        .unwrap()
        .content;
    let id = store
        .start_draft(org, base, None, &content, "kim")
        .await
        .unwrap();
    let v = store.draft(id).await.unwrap().unwrap().row_version;
    store.submit_draft(id, v, "kim").await.unwrap();
    let v = store.draft(id).await.unwrap().unwrap().row_version;
    let answers = at_once(|i| {
        let store = store.clone();
        async move {
            store
                .decide_draft(
                    id,
                    v,
                    NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
                    NameAndTitle {
                        name: format!("Direktör {i}"),
                        title: Some("Hälso- och sjukvårdsdirektör".into()),
                    },
                    &format!("account:{i}"),
                )
                .await
        }
    })
    .await;
    let won: Vec<i64> = answers
        .iter()
        .filter_map(|r| r.as_ref().ok().copied())
        .collect();
    assert_eq!(won.len(), 1, "one decision: {answers:?}");
    assert!(
        answers
            .iter()
            .filter_map(|r| r.as_ref().err())
            .all(|e| matches!(e, StoreError::Stale { .. })),
        "the others are told someone acted first: {answers:?}"
    );
    let after = store.charter_versions(Some(org)).await.unwrap();
    assert_eq!(after.len(), before + 1, "one new version");
    let d = store.draft(id).await.unwrap().unwrap();
    assert_eq!(d.status, DraftStatus::Decided);
    assert_eq!(d.decided_version, Some(won[0]));
    assert_eq!(events(store, "draft.decided").await, 1);
}

async fn a_matter_moved_by_several_at_once_moves_once(store: &Store) {
    let org = neonatal(store).await;
    let id = store
        .create_matter(
            &MatterFields {
                organization_id: org,
                kind: MatterKind::Remissvar,
                title: "Remiss om vårdförlopp".into(),
                description: None,
                source: MatterSource::National,
                owner_person_id: None,
                due_on: None,
            },
            "kim",
        )
        .await
        .unwrap();
    let m = store.matter(id).await.unwrap().unwrap();
    let to = MatterKind::Remissvar
        .statuses()
        .iter()
        .copied()
        .find(|s| MatterKind::Remissvar.may_move(m.status, *s))
        .expect("a status to move to");
    let answers = at_once(|_| {
        let store = store.clone();
        let rv = m.row_version;
        async move { store.move_matter(id, rv, to, "kim").await }
    })
    .await;
    assert!(answers.iter().any(Result::is_ok), "{answers:?}");
    assert_eq!(store.matter(id).await.unwrap().unwrap().status, to);
    assert_eq!(events(store, "matter.status").await, 1, "{answers:?}");
}

async fn a_question_answered_by_several_at_once_has_one_answer(store: &Store) {
    let org = neonatal(store).await;
    let barn = super::org(store, "samordningsrad-barn").await.id;
    let matter = store
        .create_matter(
            &MatterFields {
                organization_id: org,
                kind: MatterKind::RegionalRutin,
                title: "Rutin för transporter".into(),
                description: None,
                source: MatterSource::OwnInitiative,
                owner_person_id: None,
                due_on: None,
            },
            "kim",
        )
        .await
        .unwrap();
    let id = store
        .escalate(
            &NewEscalation {
                organization_id: org,
                decision_id: None,
                matter_id: Some(matter),
                topic: Topic::OwnArea,
                target: Target::ParentCouncil,
                suggested_target: Target::ParentCouncil,
                target_organization_id: Some(barn),
                target_person_id: None,
                deviation_reason: None,
                question: "Vem äger rutinen?".into(),
            },
            "kim",
        )
        .await
        .unwrap();
    let answers = at_once(|i| {
        let store = store.clone();
        async move {
            store
                .answer_escalation(id, &format!("Svar nummer {i}"), &format!("account:{i}"))
                .await
        }
    })
    .await;
    assert_eq!(
        answers.iter().filter(|r| r.is_ok()).count(),
        1,
        "{answers:?}"
    );
    assert_eq!(events(store, "escalation.answered").await, 1);
}

async fn a_meeting_cancelled_and_its_agenda_published_at_once_by_several(store: &Store) {
    let org = neonatal(store).await;
    let later = store
        .create_meeting(
            &MeetingFields {
                organization_id: org,
                kind: MeetingKind::Ordinary,
                starts_at: Utc::now() + chrono::Duration::days(10),
                ends_at: Utc::now() + chrono::Duration::days(10) + chrono::Duration::hours(2),
                place: None,
                digital_link: None,
            },
            "kim",
        )
        .await
        .unwrap();
    store
        .add_agenda_item(later, "Vårdplatsläget", None, None, "kim")
        .await
        .unwrap();
    at_once(|_| {
        let store = store.clone();
        async move { store.publish_agenda(later, "kim").await }
    })
    .await;
    assert_eq!(events(store, "agenda.published").await, 1);
    at_once(|_| {
        let store = store.clone();
        async move { store.cancel_meeting(later, "Förhinder", "kim").await }
    })
    .await;
    assert_eq!(events(store, "meeting.cancelled").await, 1);
}

async fn an_action_ended_by_several_at_once_ends_once(store: &Store) {
    let org = neonatal(store).await;
    let meeting = held_meeting(store, org).await;
    let id = store
        .create_action(
            &ActionFields {
                organization_id: org,
                title: "Ring SU".into(),
                owner_person_id: None,
                due_on: None,
                meeting_id: Some(meeting),
                decision_id: None,
                matter_id: None,
            },
            "kim",
        )
        .await
        .unwrap();
    at_once(|_| {
        let store = store.clone();
        async move { store.end_action(id, ActionStatus::Done, "kim").await }
    })
    .await;
    assert_eq!(events(store, "action.ended").await, 1);
}

async fn a_draft_started_by_several_at_once_is_one_draft(store: &Store) {
    let org = neonatal(store).await;
    let base = store
        .charter_versions(Some(org))
        .await
        .unwrap()
        .iter()
        .map(|v| v.version)
        .max()
        .unwrap();
    let content = store
        .charter_document(org, base)
        .await
        .unwrap()
        .unwrap()
        .content;
    let answers = at_once(|_| {
        let (store, content) = (store.clone(), content.clone());
        async move {
            store
                .start_draft(org, Some(base), None, &content, "kim")
                .await
        }
    })
    .await;
    let ids: std::collections::BTreeSet<i64> = answers
        .iter()
        .filter_map(|r| r.as_ref().ok().copied())
        .collect();
    assert_eq!(ids.len(), 1, "{answers:?}");
}
