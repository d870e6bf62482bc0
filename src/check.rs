//! `samordna check [--group SLUG] [--json]`: every group against the rules of its
//! own charter. Exit 0 without errors, 1 with errors, 2 when the check could not run.

use anyhow::{Context, Result};
use chrono::Utc;
use samordna_domain::meetings::{MeetingState, MinutesStatus};
use samordna_domain::policy::MembershipRole;
use samordna_domain::rules::{self, GroupFacts, MeetingFacts, MemberFacts, Outcome, Severity};
use samordna_domain::{CharterStatus, OrgKind};
use samordna_store::{in_force, Organization, Store};

/// The adjuncts a group may have before the rule warns (a setting per group later).
const ADJUNCT_LIMIT: usize = 3;

async fn facts(
    store: &Store,
    org: &Organization,
    orgs: &[Organization],
    region_days: i64,
) -> Result<GroupFacts> {
    let versions = store.charter_versions(Some(org.id)).await?;
    let label = |v: &samordna_store::CharterVersion| match v.decision_date {
        Some(d) => format!("{}, version {} (beslutad {d})", v.title, v.version),
        None => format!("{}, version {} (ej beslutad)", v.title, v.version),
    };
    let charter_in_force = match in_force(&versions) {
        Some(v) => store
            .charter_document(org.id, v.version)
            .await?
            .map(|d| (label(v), d.content)),
        None => None,
    };
    let newest = versions.iter().max_by_key(|v| v.version);
    let undecided = match newest.filter(|v| v.status == CharterStatus::Undecided) {
        Some(v) => store
            .charter_document(org.id, v.version)
            .await?
            .map(|d| (label(v), d.content)),
        None => None,
    };
    let today = Utc::now().date_naive();
    let people = store.people().await?;
    let members: Vec<MemberFacts> = store
        .memberships(Some(org.id), None)
        .await?
        .into_iter()
        .filter(|m| m.is_current(today))
        .map(|m| MemberFacts {
            name: m.person_name.clone(),
            role: m.fields.role,
            administration: m.on_behalf_of_name.clone().or_else(|| {
                let p = people.iter().find(|p| p.id == m.fields.person_id)?;
                p.fields.administration_id.map(|a| a.to_string())
            }),
            appointed_by: m.fields.appointed_by.clone(),
        })
        .collect();
    let parent_contacts = match org
        .reports_to_id
        .and_then(|id| orgs.iter().find(|o| o.id == id))
    {
        Some(parent) => Some(
            store
                .memberships(Some(parent.id), None)
                .await?
                .into_iter()
                .filter(|m| m.is_current(today) && m.fields.role == MembershipRole::Kontaktperson)
                .map(|m| m.person_name)
                .collect(),
        ),
        None => None,
    };
    let mut meetings = Vec::new();
    for m in store.meetings(Some(org.id)).await? {
        let minutes: Option<MinutesStatus> = store.minutes(m.id).await?.last().map(|v| v.status);
        let date = m.fields.starts_at.date_naive();
        meetings.push(MeetingFacts {
            label: format!("möte {date}"),
            kind: m.fields.kind,
            date,
            cancelled: m.state == MeetingState::Cancelled,
            minutes,
        });
    }
    Ok(GroupFacts {
        slug: org.slug.clone(),
        name: org.name.clone(),
        kind: org.kind,
        active: org.status == "active",
        charter_in_force,
        undecided,
        members,
        parent_contacts,
        meetings,
        exceptions: vec![],
        approve_days: org.minutes_overdue_days.unwrap_or(region_days),
        adjunct_limit: ADJUNCT_LIMIT,
    })
}

/// Runs the check; returns the exit status.
pub async fn run(store: &Store, group: Option<&str>, json: bool) -> Result<u8> {
    let orgs = store
        .organizations()
        .await
        .context("kunde inte läsa grupperna")?;
    let chosen: Vec<&Organization> = orgs
        .iter()
        .filter(|o| {
            o.merged_into_id.is_none()
                && matches!(
                    o.kind,
                    OrgKind::Samordningsrad
                        | OrgKind::Samordningsgrupp
                        | OrgKind::RegionaltProcessteam
                        | OrgKind::Undergrupp
                )
        })
        .filter(|o| group.is_none_or(|g| o.slug == g))
        .collect();
    if let Some(g) = group {
        if chosen.is_empty() {
            anyhow::bail!("det finns ingen grupp med adressen {g}");
        }
    }
    let today = Utc::now().date_naive();
    let mut outcomes = Vec::new();
    for org in chosen {
        let f = facts(store, org, &orgs, 14).await?;
        outcomes.extend(rules::check(&f, today));
    }
    let findings: Vec<_> = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Finding(f) => Some(f),
            _ => None,
        })
        .collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&findings)?);
    } else {
        for f in &findings {
            let sev = match f.severity {
                Severity::Error => "FEL",
                Severity::Warning => "VARNING",
                Severity::Info => "INFO",
            };
            println!("{sev} [{}] {}: {}", f.rule, f.group, f.message);
            if !f.evidence.is_empty() {
                println!("    underlag: {}", f.evidence.join("; "));
            }
            if let Some(s) = &f.source {
                println!(
                    "    enligt {}{}: ”{}”",
                    s.charter,
                    s.section
                        .as_ref()
                        .map(|x| format!(", {x}"))
                        .unwrap_or_default(),
                    s.quote
                );
            }
        }
        let cannot: Vec<_> = outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::CannotCheck { .. }))
            .collect();
        println!(
            "{} fynd, {} regler kunde inte prövas.",
            findings.len(),
            cannot.len()
        );
    }
    Ok(if findings.iter().any(|f| f.severity == Severity::Error) {
        1
    } else {
        0
    })
}
