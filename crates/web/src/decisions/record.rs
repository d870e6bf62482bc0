//! Recording what a meeting decided, in its minutes.

use crate::view::LocalTime;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use chrono::Utc;
use samordna_domain::calendar::swedish_date;
use samordna_domain::decisions::{Basis, Topic};
use samordna_store::{MatterFilter, NewDecision};

use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, Field, FieldKind, Form, FormView, Posted, Posts};
use crate::i18n::current_tr;
use crate::request::Visitor;
use crate::state::AppState;

use super::{basis_label, topic_label};

/// The form as typed (or empty).
#[derive(Default)]
struct Typed {
    item: String,
    matter: String,
    text: String,
    basis: String,
    topic: String,
    binds: Vec<String>,
}

async fn form(
    state: &AppState,
    v: &Visitor,
    id: &str,
    typed: &Typed,
    errors: &Errors,
) -> Result<Response, AppError> {
    let (m, org) = state.meeting_and_group(id).await?;
    let c = Chrome::new("decisions");
    let t = c.t;
    let items: Vec<(String, String)> = state
        .store
        .agenda(m.id)
        .await?
        .into_iter()
        .map(|a| (a.id.to_string(), format!("§ {} {}", a.position, a.title)))
        .collect();
    let mut matters = vec![(String::new(), t.t("decision-no-matter"))];
    matters.extend(
        state
            .store
            .matters(
                &MatterFilter {
                    organization_id: Some(org.id),
                    open_only: true,
                    ..Default::default()
                },
                0,
                200,
            )
            .await?
            .into_iter()
            .map(|x| (x.id.to_string(), x.fields.title)),
    );
    let adms: Vec<(String, String, bool)> = member_administrations(state, org.id)
        .await?
        .into_iter()
        .map(|(id, name)| {
            let id = id.to_string();
            let on = typed.binds.contains(&id);
            (id, name, on)
        })
        .collect();
    let mut bases = vec![(String::new(), t.t("decision-choose-basis"))];
    bases.extend(
        Basis::ALL
            .iter()
            .map(|b| (b.as_str().to_string(), basis_label(&t, *b))),
    );
    let topics: Vec<(String, String)> = Topic::ALL
        .iter()
        .map(|x| (x.as_str().to_string(), topic_label(&t, *x)))
        .collect();
    let mut fields = vec![
        Field::new(
            "item",
            t.t("decision-item"),
            FieldKind::Select(items),
            &typed.item,
        ),
        Field::new(
            "text",
            t.t("decision-text"),
            FieldKind::Textarea,
            &typed.text,
        )
        .hint(t.t("decision-text-hint")),
        Field::new(
            "basis",
            t.t("decision-basis"),
            FieldKind::Select(bases),
            &typed.basis,
        )
        .hint(t.t("decision-basis-hint")),
        Field::new(
            "topic",
            t.t("decision-topic"),
            FieldKind::Select(topics),
            if typed.topic.is_empty() {
                "own_area"
            } else {
                &typed.topic
            },
        )
        .hint(t.t("decision-topic-hint")),
    ];
    if !adms.is_empty() {
        fields.push(Field::new(
            "binds",
            t.t("decision-binds"),
            FieldKind::Checkboxes(adms),
            "",
        ));
    }
    fields.push(Field::new(
        "matter",
        t.t("decision-matter"),
        FieldKind::Select(matters),
        &typed.matter,
    ));
    let f = FormView {
        title: t.t1("decision-new-title", "name", &org.name),
        intro: Some(t.t("decision-new-intro")),
        action: format!("/moten/{}/beslut", m.id),
        csrf: v.csrf(),
        row_version: None,
        hidden: vec![],
        fields,
        submit: t.t("decision-save"),
        back: Some((
            format!("/moten/{}", m.id),
            t.t1(
                "decision-back-to-meeting",
                "date",
                m.fields.starts_at.local_date(),
            ),
        )),
    }
    .with_errors(errors);
    crate::forms::render_form(c.section, f)
}

/// The administrations the group's current members represent, in Swedish order:
/// what a decision on their mandates can bind.
async fn member_administrations(
    state: &AppState,
    organization_id: i64,
) -> Result<Vec<(i64, String)>, AppError> {
    let today = swedish_date(Utc::now());
    let mut adms: Vec<(i64, String)> = Vec::new();
    for ms in state.store.memberships(Some(organization_id), None).await? {
        if !ms.is_current(today) {
            continue;
        }
        if let (Some(id), Some(name)) = (ms.fields.on_behalf_of_id, ms.on_behalf_of_name) {
            if !adms.iter().any(|a| a.0 == id) {
                adms.push((id, name));
            }
        }
    }
    samordna_domain::collation::sort_by(&mut adms, |a| &a.1);
    Ok(adms)
}

/// Whether the meeting can take decisions now: held, not cancelled, minutes not
/// approved. Errors: a 409 that says why not.
async fn open_for_decisions(state: &AppState, m: &samordna_store::Meeting) -> Result<(), AppError> {
    let t = current_tr();
    if m.state == samordna_domain::meetings::MeetingState::Cancelled {
        return Err(AppError::Conflict(t.t("error-decision-cancelled")));
    }
    if m.fields.starts_at > Utc::now() {
        return Err(AppError::Conflict(t.t("error-decision-not-held")));
    }
    if state
        .store
        .minutes(m.id)
        .await?
        .last()
        .is_some_and(|x| x.status.is_approved())
    {
        return Err(AppError::Conflict(t.t("error-decision-approved")));
    }
    Ok(())
}

/// `GET /moten/{id}/beslut`: the form for a decision of the meeting.
pub async fn record_form(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (m, _) = state.meeting_and_group(&id).await?;
    open_for_decisions(&state, &m).await?;
    form(&state, &v, &id, &Typed::default(), &Errors::default()).await
}

/// `POST /moten/{id}/beslut`: records the decision in the minutes.
pub async fn record_save(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let (m, org) = state.meeting_and_group(&id).await?;
    open_for_decisions(&state, &m).await?;
    let t = current_tr();
    let p = Posted(p);
    let typed = Typed {
        item: p.get("item"),
        matter: p.get("matter"),
        text: p.get("text").trim().to_string(),
        basis: p.get("basis"),
        topic: p.get("topic"),
        binds: p.all("binds"),
    };
    let mut e = Errors::default();
    if typed.text.is_empty() {
        e.add(
            "text",
            t.t1("error-required", "field", t.t("decision-text")),
        );
    } else if !samordna_domain::matters::fits(&typed.text, samordna_domain::matters::TEXT_MAX) {
        e.add("text", t.t("error-too-long"));
    }
    let basis = typed.basis.parse::<Basis>().ok();
    if basis.is_none() {
        e.add("basis", t.t("error-decision-basis"));
    }
    let topic = match typed.topic.parse::<Topic>() {
        Ok(x) => x,
        Err(_) => {
            e.add("topic", t.t("error-unknown-choice"));
            Topic::OwnArea
        }
    };
    // Only administrations the members represent, only items of this agenda, only
    // matters of this group: anything else is a choice the form never offered.
    let represented: Vec<i64> = member_administrations(&state, org.id)
        .await?
        .into_iter()
        .map(|a| a.0)
        .collect();
    let binds: Vec<i64> = typed.binds.iter().filter_map(|b| b.parse().ok()).collect();
    if binds.len() != typed.binds.len() || binds.iter().any(|b| !represented.contains(b)) {
        e.add("binds", t.t("error-unknown-choice"));
    }
    let item: Option<i64> = match typed.item.as_str() {
        "" => None,
        x => {
            let on_agenda = state.store.agenda(m.id).await?;
            match x.parse::<i64>() {
                Ok(i) if on_agenda.iter().any(|a| a.id == i) => Some(i),
                _ => {
                    e.add("item", t.t("error-unknown-choice"));
                    None
                }
            }
        }
    };
    let matter: Option<i64> = match typed.matter.as_str() {
        "" => None,
        x => match x.parse::<i64>() {
            Ok(i)
                if state
                    .store
                    .matter(i)
                    .await?
                    .is_some_and(|mt| mt.fields.organization_id == org.id) =>
            {
                Some(i)
            }
            _ => {
                e.add("matter", t.t("error-unknown-choice"));
                None
            }
        },
    };
    if basis == Some(Basis::MemberMandates) && binds.is_empty() {
        e.add("binds", t.t("error-decision-binds"));
    }
    if basis == Some(Basis::ChairMandate) && topic != Topic::RegionalRoutine {
        e.add("basis", t.t("error-decision-chair-mandate"));
    }
    if !e.is_empty() {
        return form(&state, &v, &id, &typed, &e).await;
    }
    let d = NewDecision {
        meeting_id: m.id,
        agenda_item_id: item,
        matter_id: matter,
        text: typed.text.clone(),
        basis: basis.unwrap_or(Basis::NotStated),
        topic,
        binds: if basis == Some(Basis::MemberMandates) {
            binds
        } else {
            Vec::new()
        },
    };
    let id = match state.store.record_decision(&d, &v.actor()).await {
        Ok(id) => id,
        // Another decision with these words under this item: said at the text,
        // with what was typed kept.
        Err(samordna_store::StoreError::Conflict(m)) => {
            let mut e = Errors::default();
            e.add("text", m);
            return form(&state, &v, &id, &typed, &e).await;
        }
        Err(err) => return Err(err.into()),
    };
    Ok(Redirect::to(&format!("/grupper/{}/beslut/{id}", org.slug)).into_response())
}
