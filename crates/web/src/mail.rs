//! Mail: invitations with the agenda, "minutes awaiting your approval" to the chair,
//! and reminders when minutes are overdue. Sent by a worker from the job queue in
//! the database (see `samordna_store::jobs`); SMTP settings are the installation's.

use crate::view::LocalTime;
use samordna_domain::calendar::swedish_date;
use std::time::Duration as StdDuration;

use chrono::{Duration, Utc};
use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use samordna_domain::meetings::{MeetingKind, MeetingState, MinutesStatus};
use samordna_domain::policy::MembershipRole;
use samordna_store::{Job, Meeting, Organization, Store};

use crate::state::AppState;

pub use crate::config::SmtpSettings;

/// One mail to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Mail {
    /// The `Message-ID` (RFC 5322 3.6.4), the same for every attempt of one job, so
    /// that a mail sent again after a crash is recognisably the same mail.
    pub message_id: String,
    pub to: Vec<String>,
    pub subject: String,
    pub body: String,
    /// Files sent with the text (RFC 2183 `attachment` parts): a decided
    /// charter's PDF/A, say.
    pub attachments: Vec<MailAttachment>,
}

/// A file sent with a mail.
#[derive(Debug, Clone, PartialEq)]
pub struct MailAttachment {
    pub filename: String,
    /// The media type, e.g. `application/pdf`.
    pub media_type: &'static str,
    pub bytes: Vec<u8>,
}

async fn meeting_and_group(store: &Store, id: i64) -> Result<(Meeting, Organization), String> {
    let m = store
        .meeting(id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("mötet finns inte")?;
    let org = store
        .organization(m.fields.organization_id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("gruppen finns inte")?;
    Ok((m, org))
}

/// E-mail addresses of the group's current members, optionally only some roles.
async fn recipients(
    store: &Store,
    org: &Organization,
    roles: Option<&[MembershipRole]>,
) -> Result<Vec<String>, String> {
    let today = swedish_date(Utc::now());
    let mut out = Vec::new();
    // The members' own rows only, not every person in the region.
    for m in store
        .memberships(Some(org.id), None)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter(|m| m.is_current(today) && roles.is_none_or(|r| r.contains(&m.fields.role)))
    {
        let person = store
            .person(m.fields.person_id)
            .await
            .map_err(|e| e.to_string())?;
        out.extend(person.and_then(|p| p.fields.email));
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The mail a job sends, composed from the data as it is now; `None` when there is
/// no one to send it to, or nothing left to say: an invitation to a meeting that has
/// begun or was cancelled, a request to approve minutes that are no longer waiting,
/// a reminder about minutes approved since.
pub async fn compose(state: &AppState, job: &Job) -> Result<Option<Mail>, String> {
    let store = &state.store;
    let base = state.settings.public_url.trim_end_matches('/');
    if job.kind == "mail.action_overdue" {
        return action_reminder(state, job).await;
    }
    if job.kind == "mail.charter_distribution" {
        return charter_mail(state, job).await;
    }
    let meeting_id = job.payload["meeting_id"]
        .as_i64()
        .ok_or("jobbet saknar möte")?;
    let (m, org) = meeting_and_group(store, meeting_id).await?;
    let link = format!("{base}/moten/{}", m.id);
    let latest = store
        .minutes(m.id)
        .await
        .map_err(|e| e.to_string())?
        .pop()
        .map(|v| v.status);
    let still_due = match job.kind.as_str() {
        "mail.agenda_published" => {
            m.state != MeetingState::Cancelled && m.fields.starts_at > Utc::now()
        }
        "mail.minutes_submitted" => latest == Some(MinutesStatus::Submitted),
        "mail.minutes_overdue" => !latest.is_some_and(|s| s.is_approved()),
        // A body already told (the notice sent again, or recorded by hand) is not
        // told twice.
        "mail.decision_notice" => {
            let (d, o) = (
                job.payload["decision_id"].as_i64(),
                job.payload["organization_id"].as_i64(),
            );
            match d {
                Some(d) => store
                    .decision(d)
                    .await
                    .map_err(|e| e.to_string())?
                    .is_some_and(|d| {
                        !d.notifications
                            .iter()
                            .any(|n| Some(n.organization_id) == o && n.delivered_at.is_some())
                    }),
                None => false,
            }
        }
        _ => true,
    };
    if !still_due {
        return Ok(None);
    }
    let message_id = message_id(state, job);
    let mail = match job.kind.as_str() {
        "mail.agenda_published" => {
            let agenda = store.agenda(m.id).await.map_err(|e| e.to_string())?;
            let items: String = agenda.iter().map(|a| format!("{}. {}\n", a.position, a.title)).collect();
            Mail {
                message_id,
                to: recipients(store, &org, None).await?,
                subject: format!("Kallelse: {} {}", org.name, m.fields.starts_at.local_time()),
                body: format!(
                    "Välkommen till {}s möte {}.\nPlats: {}\n\nDagordning:\n{items}\nMötet i Samordna: {link}\n",
                    org.name,
                    m.fields.starts_at.local_time(),
                    m.fields.place.clone().or(m.fields.digital_link.clone()).unwrap_or_else(|| "meddelas senare".into())
                ),
                attachments: Vec::new(),
            }
        }
        "mail.minutes_submitted" => Mail {
            message_id,
            to: recipients(store, &org, Some(&[MembershipRole::Ordforande])).await?,
            subject: format!("Mötesanteckningar väntar på din justering: {} {}", org.name, m.fields.starts_at.local_time()),
            body: format!("Anteckningarna från {}s möte {} väntar på din justering.\n\nLäs och justera: {link}\n", org.name, m.fields.starts_at.local_time()),
            attachments: Vec::new(),
        },
        "mail.minutes_overdue" => Mail {
            message_id,
            to: recipients(store, &org, Some(&[MembershipRole::Koordinator, MembershipRole::Ordforande])).await?,
            subject: format!("Påminnelse: mötesanteckningar saknas för {} {}", org.name, m.fields.starts_at.local_time()),
            body: format!(
                "Anteckningarna från {}s ordinarie möte {} är inte justerade. Enligt uppdragshandlingen ska anteckningar föras vid alla ordinarie möten och godkännas av ordförande.\n\n{link}\n",
                org.name,
                m.fields.starts_at.local_time()
            ),
            attachments: Vec::new(),
        },
        "mail.decision_notice" => {
            let decision_id = job.payload["decision_id"].as_i64().ok_or("jobbet saknar beslut")?;
            let body_id = job.payload["organization_id"].as_i64().ok_or("jobbet saknar mottagare")?;
            let d = store.decision(decision_id).await.map_err(|e| e.to_string())?.ok_or("beslutet finns inte")?;
            let body = store.organization(body_id).await.map_err(|e| e.to_string())?.ok_or("mottagaren finns inte")?;
            Mail {
                message_id,
                to: recipients(store, &body, Some(&[MembershipRole::Ordforande, MembershipRole::Koordinator])).await?,
                subject: format!("Beslut i {}: {}", org.name, d.label()),
                body: format!(
                    "{} har fattat ett beslut som enligt gruppens uppdragshandling ska kommuniceras till {}.\n\nBeslut {}:\n{}\n\nLäs beslutet i Samordna: {base}/grupper/{}/beslut/{}\n",
                    org.name,
                    body.name,
                    d.label(),
                    d.text,
                    org.slug,
                    d.id
                ),
                attachments: Vec::new(),
            }
        }
        other => return Err(format!("okänd jobbtyp {other}")),
    };
    Ok(Some(mail).filter(|m| !m.to.is_empty()))
}

async fn send(smtp: &SmtpSettings, mail: &Mail) -> Result<(), String> {
    let from: Mailbox = smtp
        .from
        .parse()
        .map_err(|e| format!("avsändaren {}: {e}", smtp.from))?;
    let mut builder = Message::builder()
        .from(from)
        .subject(&mail.subject)
        .message_id(Some(mail.message_id.clone()));
    for to in &mail.to {
        builder = builder.to(to
            .parse::<Mailbox>()
            .map_err(|e| format!("mottagaren {to}: {e}"))?);
    }
    // A text/plain part in UTF-8, with MIME-Version; with files, multipart/mixed
    // with the text first (RFC 2046 5.1.3).
    let text = lettre::message::SinglePart::builder()
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body.clone());
    let message = if mail.attachments.is_empty() {
        builder.singlepart(text)
    } else {
        let mut parts = lettre::message::MultiPart::mixed().singlepart(text);
        for a in &mail.attachments {
            let ct = ContentType::parse(a.media_type).map_err(|e| e.to_string())?;
            parts = parts.singlepart(
                lettre::message::Attachment::new(a.filename.clone()).body(a.bytes.clone(), ct),
            );
        }
        builder.multipart(parts)
    }
    .map_err(|e| e.to_string())?;
    let mut transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
        .port(smtp.port)
        .timeout(Some(StdDuration::from_secs(20)));
    if smtp.starttls {
        let tls = TlsParameters::new(smtp.host.clone()).map_err(|e| e.to_string())?;
        transport = transport.tls(Tls::Required(tls));
    }
    if let (Some(u), Some(p)) = (&smtp.username, &smtp.password) {
        transport = transport.credentials(
            lettre::transport::smtp::authentication::Credentials::new(u.clone(), p.clone()),
        );
    }
    transport
        .build()
        .send(message)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// The `Message-ID` of a job's mail: the same for every attempt of the job.
fn message_id(state: &AppState, job: &Job) -> String {
    let base = state.settings.public_url.trim_end_matches('/');
    let host = base
        .split("://")
        .nth(1)
        .and_then(|h| h.split(['/', ':']).next())
        .filter(|h| !h.is_empty())
        .unwrap_or("samordna.invalid");
    format!("<samordna.job.{}@{host}>", job.id)
}

/// A decided charter to one addressee of its distribution list: the holders of
/// the role in the body the entry names, with the document's text and a link.
async fn charter_mail(state: &AppState, job: &Job) -> Result<Option<Mail>, String> {
    let store = &state.store;
    let id = job.payload["distribution_id"]
        .as_i64()
        .ok_or("jobbet saknar mottagare")?;
    let (Some(org_id), Some(version)) = (
        job.payload["organization_id"].as_i64(),
        job.payload["version"].as_i64(),
    ) else {
        return Err("jobbet saknar uppdragshandling".into());
    };
    let Some(row) = store
        .distribution_row(id)
        .await
        .map_err(|e| e.to_string())?
    else {
        return Ok(None);
    };
    if row.delivered_at.is_some() {
        return Ok(None);
    }
    let (Some(to_org), Some(role)) = (row.organization_id, row.role) else {
        return Ok(None);
    };
    let body_org = store
        .organization(to_org)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("mottagaren finns inte")?;
    let group = store
        .organization(org_id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("gruppen finns inte")?;
    let doc = store
        .charter_document(org_id, version)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("uppdragshandlingen finns inte")?;
    let source = store
        .charter_source(org_id, version)
        .await
        .map_err(|e| e.to_string())?
        .map(|(_, text)| text)
        .unwrap_or_default();
    let base = state.settings.public_url.trim_end_matches('/');
    let decided = doc
        .meta
        .decision_date
        .map(|d| d.to_string())
        .unwrap_or_default();
    let to = recipients(store, &body_org, Some(&[role])).await?;
    if to.is_empty() {
        return Ok(None);
    }
    // The decided document itself, as PDF/A (laid out off the async threads).
    let content = doc.content.clone();
    let pdf = tokio::task::spawn_blocking(move || samordna_documents::pdf::charter_pdf(&content))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    Ok(Some(Mail {
        message_id: message_id(state, job),
        to,
        attachments: vec![MailAttachment {
            filename: format!("{}-uppdragshandling-version-{version}.pdf", group.slug),
            media_type: "application/pdf",
            bytes: pdf,
        }],
        subject: format!("Uppdragshandling: {} (beslutad {decided})", doc.meta.title),
        body: format!(
            "Uppdragshandlingen för {} är beslutad {decided}. Den skickas till dig enligt sändlistan: {}. Dokumentet är bifogat som PDF.\n\nLäs den i Samordna: {base}/grupper/{}/uppdragshandlingar/{version}\n\n----\n{source}\n",
            group.name, row.entry, group.slug
        ),
    })
    .filter(|m| !m.to.is_empty()))
}

/// A reminder to the owner of an overdue action, unless it is done since.
async fn action_reminder(state: &AppState, job: &Job) -> Result<Option<Mail>, String> {
    let store = &state.store;
    let id = job.payload["action_id"]
        .as_i64()
        .ok_or("jobbet saknar åtgärd")?;
    let Some(a) = store.action(id).await.map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    if a.status != samordna_domain::matters::ActionStatus::Open {
        return Ok(None);
    }
    let Some(owner) = a.fields.owner_person_id else {
        return Ok(None);
    };
    let to: Vec<String> = store
        .person(owner)
        .await
        .map_err(|e| e.to_string())?
        .and_then(|p| p.fields.email)
        .into_iter()
        .collect();
    let base = state.settings.public_url.trim_end_matches('/');
    let due = a.fields.due_on.map(|d| d.to_string()).unwrap_or_default();
    Ok(Some(Mail {
        message_id: message_id(state, job),
        to,
        subject: format!("Påminnelse: åtgärd i {} skulle vara klar {due}", a.organization),
        body: format!(
            "Åtgärden ”{}” i {} skulle vara klar {due}.\n\nMarkera den som klar under Mina uppgifter: {base}/mina-uppgifter\n",
            a.fields.title, a.organization
        ),
        attachments: Vec::new(),
    })
    .filter(|m| !m.to.is_empty()))
}

/// Enqueues a reminder to the owner of every open action past its due date, once
/// per due date.
pub async fn scan_overdue_actions(state: &AppState) -> Result<usize, String> {
    let today = swedish_date(Utc::now());
    let mut queued = 0;
    for a in state
        .store
        .actions(samordna_store::ActionsOf::OverdueOn(today))
        .await
        .map_err(|e| e.to_string())?
    {
        let due = a.fields.due_on.map(|d| d.to_string()).unwrap_or_default();
        let key = format!("action_overdue:{}:{due}", a.id);
        if state
            .store
            .enqueue_job(
                "mail.action_overdue",
                &serde_json::json!({"action_id": a.id}),
                Some(&key),
            )
            .await
            .map_err(|e| e.to_string())?
        {
            queued += 1;
        }
    }
    Ok(queued)
}

/// Enqueues a reminder for every ordinary meeting whose minutes are overdue; each
/// meeting is reminded about once.
pub async fn scan_overdue(state: &AppState) -> Result<usize, String> {
    let store = &state.store;
    let now = Utc::now();
    let mut queued = 0;
    for m in store.meetings(None).await.map_err(|e| e.to_string())? {
        if m.fields.kind != MeetingKind::Ordinary || m.state == MeetingState::Cancelled {
            continue;
        }
        let days = store
            .minutes_overdue_days(m.fields.organization_id)
            .await
            .map_err(|e| e.to_string())?
            .unwrap_or(state.settings.region.minutes_overdue_days);
        // Counted in Swedish calendar days from the meeting's date, as the rule
        // `minutes-unapproved` counts them, so the mail and the dashboard agree.
        if (swedish_date(now) - swedish_date(m.fields.starts_at)).num_days() <= days {
            continue;
        }
        let approved = store
            .minutes(m.id)
            .await
            .map_err(|e| e.to_string())?
            .iter()
            .any(|v| v.status.is_approved() || v.status == MinutesStatus::Published);
        if !approved {
            let key = format!("minutes_overdue:{}", m.id);
            if store
                .enqueue_job(
                    "mail.minutes_overdue",
                    &serde_json::json!({"meeting_id": m.id}),
                    Some(&key),
                )
                .await
                .map_err(|e| e.to_string())?
            {
                queued += 1;
            }
        }
    }
    Ok(queued)
}

/// Runs the due jobs once; returns how many mails were sent.
pub async fn run_due(state: &AppState) -> usize {
    let Some(smtp) = state.settings.smtp.clone() else {
        return 0;
    };
    let mut sent = 0;
    let pass_began = Utc::now();
    while let Ok(Some(job)) = state
        .store
        .claim_job(Duration::minutes(2), pass_began)
        .await
    {
        let result = match compose(state, &job).await {
            Ok(Some(mail)) => match send(&smtp, &mail).await {
                Ok(()) => delivered(state, &job, &mail).await.map(|_| true),
                Err(e) => Err(e),
            },
            Ok(None) => Ok(false),
            Err(e) => Err(e),
        };
        match result {
            Ok(was_sent) => {
                if let Err(e) = state.store.complete_job(job.id).await {
                    tracing::error!(job = job.id, error = %e, "could not mark a job done");
                }
                sent += usize::from(was_sent);
            }
            Err(e) => {
                tracing::warn!(job = job.id, attempt = job.attempts, error = %e, "mail job failed; it will be retried");
                let _ = state
                    .store
                    .fail_job(&job, &e, state.settings.job_retry_base)
                    .await;
            }
        }
    }
    sent
}

/// What a sent mail leaves in the register: a decision's notice is a delivery
/// record for the body told (the `decision-not-communicated` rule reads it).
async fn delivered(state: &AppState, job: &Job, mail: &Mail) -> Result<(), String> {
    if job.kind == "mail.charter_distribution" {
        if let Some(id) = job.payload["distribution_id"].as_i64() {
            state
                .store
                .distribution_delivered(id, &mail.to.join(", "), Utc::now())
                .await
                .map_err(|e| e.to_string())?;
        }
        return Ok(());
    }
    if job.kind == "mail.decision_notice" {
        let (Some(d), Some(o)) = (
            job.payload["decision_id"].as_i64(),
            job.payload["organization_id"].as_i64(),
        ) else {
            return Ok(());
        };
        state
            .store
            .notification_delivered(d, o, &mail.to.join(", "), Utc::now())
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The worker: scans for overdue minutes and sends due mail, every `every`.
pub fn spawn_worker(state: AppState, every: StdDuration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(e) = scan_overdue(&state).await {
                tracing::warn!(error = %e, "overdue scan");
            }
            if let Err(e) = scan_overdue_actions(&state).await {
                tracing::warn!(error = %e, "overdue actions scan");
            }
            run_due(&state).await;
            tokio::time::sleep(every).await;
        }
    })
}
