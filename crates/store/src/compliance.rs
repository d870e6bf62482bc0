//! The facts the rules of `samordna_domain::rules` look at, gathered for one group.

use chrono::Utc;
use samordna_domain::decisions::{DecisionFacts, EscalationFacts};
use samordna_domain::meetings::{MeetingState, MinutesStatus};
use samordna_domain::policy::MembershipRole;
use samordna_domain::rules::{GroupFacts, MeetingFacts, MemberFacts, RegionDefaults};
use samordna_domain::CharterStatus;

use crate::{in_force, with_pool, Backend, Organization, Store, StoreError};

/// Which groups to check: by address, kind, or an administration represented
/// among the members; all governance groups when empty.
#[derive(Debug, Clone, Default)]
pub struct GroupFilter<'a> {
    pub slug: Option<&'a str>,
    pub kind: Option<samordna_domain::OrgKind>,
    /// The name of an administration one of the current members comes from.
    pub administration: Option<&'a str>,
}

/// One group checked: the group and the outcome of every rule for it.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub organization: Organization,
    pub outcomes: Vec<samordna_domain::rules::Outcome>,
    /// How the charter in force follows its template: (follows, sections that
    /// deviate); `None` without a charter in force or a template for its kind.
    pub template: Option<(bool, usize)>,
}

/// Groups whose facts [`Store::evaluate`] reads at the same time.
const EVALUATE_AT_ONCE: usize = 6;

impl Store {
    /// Checks the governance groups the filter names against the rules of their
    /// own charters, as of `today`: one place for `samordna check`, the compliance
    /// dashboard and a group's page. In the order of `organizations` (Swedish).
    pub async fn evaluate(
        &self,
        filter: &GroupFilter<'_>,
        region: &RegionDefaults,
        today: chrono::NaiveDate,
    ) -> Result<Vec<Evaluation>, StoreError> {
        // One group by its address reads that group, not the register.
        let orgs = match filter.slug {
            Some(slug) => self.organization_by_slug(slug).await?.into_iter().collect(),
            None => self.organizations().await?,
        };
        let groups: Vec<Organization> = orgs
            .into_iter()
            .filter(|o| {
                o.merged_into_id.is_none()
                    && o.kind.is_governance_group()
                    && filter.slug.is_none_or(|s| o.slug == s)
                    && filter.kind.is_none_or(|k| o.kind == k)
            })
            .collect();
        // Several groups' facts are read at once, one connection each: the reads
        // of a region are many small queries, each mostly waiting.
        use futures_util::stream::{self, StreamExt, TryStreamExt};
        let reads = groups.into_iter().map(|org| {
            let store = self.clone();
            let region = *region;
            async move {
                let facts = store.group_facts(&org, &region).await?;
                Ok::<_, StoreError>((org, facts))
            }
        });
        let facts: Vec<(Organization, GroupFacts)> = stream::iter(reads)
            .buffered(EVALUATE_AT_ONCE)
            .try_collect()
            .await?;
        let mut out = Vec::new();
        for (org, facts) in facts {
            if let Some(adm) = filter.administration {
                if !facts
                    .members
                    .iter()
                    .any(|m| m.administration.as_deref() == Some(adm))
                {
                    continue;
                }
            }
            let template = facts
                .charter_in_force
                .as_ref()
                .and_then(|(_, doc)| samordna_domain::templates::conformance(doc))
                .map(|c| (c.follows(), c.deviating().len()));
            out.push(Evaluation {
                outcomes: samordna_domain::rules::check(&facts, today),
                organization: org,
                template,
            });
        }
        Ok(out)
    }

    /// A group's charter, members, parent's contact persons and meetings, as the rules see them.
    pub async fn group_facts(
        &self,
        org: &Organization,
        region: &RegionDefaults,
    ) -> Result<GroupFacts, StoreError> {
        let store = self;
        let versions = store.charter_versions(Some(org.id)).await?;
        let label = |v: &crate::CharterVersion| match v.decision_date {
            Some(d) => samordna_domain::text!(
                "charter-label-decided",
                "title" => &v.title,
                "version" => v.version,
                "date" => d.to_string()
            ),
            None => samordna_domain::text!(
                "charter-label-undecided",
                "title" => &v.title,
                "version" => v.version
            ),
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
        let members: Vec<MemberFacts> = store
            .memberships(Some(org.id), None)
            .await?
            .into_iter()
            .filter(|m| m.is_current(today))
            .map(|m| MemberFacts {
                name: m.person_name.clone(),
                role: m.fields.role,
                // Not on behalf of one: the administration the person works in.
                administration: m
                    .on_behalf_of_name
                    .clone()
                    .or_else(|| m.person_administration_name.clone()),
                appointed_by: m.fields.appointed_by.clone(),
            })
            .collect();
        let parent = match org.reports_to_id {
            Some(id) => store.organization(id).await?,
            None => None,
        };
        let parent_contacts = match &parent {
            Some(parent) => Some(
                store
                    .memberships(Some(parent.id), None)
                    .await?
                    .into_iter()
                    .filter(|m| {
                        m.is_current(today) && m.fields.role == MembershipRole::Kontaktperson
                    })
                    .map(|m| m.person_name)
                    .collect(),
            ),
            None => None,
        };
        let latest = store.latest_minutes_status(org.id).await?;
        let mut meetings = Vec::new();
        for m in store.meetings(Some(org.id)).await? {
            let minutes: Option<MinutesStatus> =
                latest.iter().find(|(id, _)| *id == m.id).map(|(_, s)| *s);
            let date = m.fields.starts_at.date_naive();
            meetings.push(MeetingFacts {
                label: samordna_domain::text!("meeting-label", "date" => date.to_string()),
                kind: m.fields.kind,
                date,
                cancelled: m.state == MeetingState::Cancelled,
                minutes,
            });
        }
        // Decisions count once their minutes are approved (a public record); the
        // bodies the charter names, and whether each was told of each decision.
        let decided = store
            .decisions(&crate::DecisionFilter {
                organization_id: Some(org.id),
                approved_only: true,
                ..Default::default()
            })
            .await?;
        let must = if decided.is_empty() {
            Vec::new()
        } else {
            store.bodies_to_inform(org.id).await?
        };
        let decisions = decided
            .iter()
            .map(|d| DecisionFacts {
                label: d.label(),
                date: d.decided_on,
                topic: d.topic,
                basis: d.basis,
                binds: d.binds.iter().map(|a| a.administration.clone()).collect(),
                communicated_to: must
                    .iter()
                    .filter(|(_, body)| {
                        body.as_ref().is_some_and(|body| {
                            d.notifications
                                .iter()
                                .any(|n| n.organization_id == body.id && n.delivered_at.is_some())
                        })
                    })
                    .map(|(name, _)| name.clone())
                    .collect(),
                escalated: d.escalations > 0,
            })
            .collect();
        // The group's own escalations; one passed on by its target is the
        // target's routing, not the group's.
        let escalations = store
            .escalations(crate::EscalationsOf::Group(org.id))
            .await?
            .into_iter()
            .filter(|e| e.forwarded_from_id.is_none())
            .map(|e| EscalationFacts {
                label: short(&e.fields.question),
                topic: e.fields.topic,
                target: e.fields.target,
            })
            .collect();
        // Where the version in force was sent, if it was sent through Samordna.
        let charter_sent_to = match in_force(&versions) {
            Some(v) => store.charter_sent_to(v.id).await?,
            None => None,
        };
        Ok(GroupFacts {
            slug: org.slug.clone(),
            name: org.name.clone(),
            kind: org.kind,
            active: org.status == "active",
            charter_in_force,
            undecided,
            members,
            parent_contacts,
            parent: parent.map(|p| p.name.clone()),
            meetings,
            exceptions: store.rule_exceptions(org.id).await?,
            approve_days: org
                .minutes_overdue_days
                .unwrap_or(region.minutes_overdue_days),
            adjunct_limit: org
                .adjunct_limit
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(region.adjunct_limit),
            decisions: Some(decisions),
            escalations: Some(escalations),
            charter_sent_to,
        })
    }
}

/// The first words of a question, as its label in a finding.
fn short(text: &str) -> String {
    let mut words = text.split_whitespace();
    let mut out = String::new();
    for w in words.by_ref() {
        if out.chars().count() + w.chars().count() > 60 {
            out.push('…');
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    format!("”{out}”")
}

/// A recorded exception with who recorded it and when.
#[derive(Debug, Clone, PartialEq)]
pub struct ExceptionRecord {
    pub id: i64,
    pub exception: samordna_domain::rules::Exception,
    pub created_by: String,
    pub created_at: chrono::DateTime<Utc>,
}

impl Store {
    /// The exceptions recorded for a group, newest first, with who recorded them.
    pub async fn rule_exception_records(
        &self,
        organization_id: i64,
    ) -> Result<Vec<ExceptionRecord>, StoreError> {
        use sqlx::Row;
        crate::with_conn!(self, |c| {
            let rows = sqlx::query("SELECT id, rule, valid_until, reason, created_by, created_at FROM rule_exceptions WHERE organization_id = $1 ORDER BY id DESC")
                .bind(organization_id)
                .fetch_all(&mut *c)
                .await?;
            rows.iter()
                .map(|r| {
                    Ok(ExceptionRecord {
                        id: r.try_get("id")?,
                        exception: samordna_domain::rules::Exception {
                            rule: r.try_get("rule")?,
                            valid_until: r.try_get("valid_until")?,
                            reason: r.try_get("reason")?,
                        },
                        created_by: r.try_get("created_by")?,
                        created_at: r.try_get("created_at")?,
                    })
                })
                .collect()
        })
    }

    /// The exceptions recorded for a group.
    pub async fn rule_exceptions(
        &self,
        organization_id: i64,
    ) -> Result<Vec<samordna_domain::rules::Exception>, StoreError> {
        let mut all: Vec<_> = self
            .rule_exception_records(organization_id)
            .await?
            .into_iter()
            .map(|r| r.exception)
            .collect();
        all.reverse();
        Ok(all)
    }

    /// Records an exception with its reason; it clears the rule's finding until `valid_until`.
    pub async fn add_rule_exception(
        &self,
        organization_id: i64,
        rule: samordna_domain::rules::RuleId,
        valid_until: chrono::NaiveDate,
        reason: &str,
        actor: &str,
    ) -> Result<i64, StoreError> {
        let rule = rule.as_str();
        if reason.trim().is_empty() {
            return Err(StoreError::Conflict("ett undantag behöver ett skäl".into()));
        }
        crate::in_transaction!(self, |c| {
            let id: i64 = sqlx::query_scalar("INSERT INTO rule_exceptions (organization_id, rule, valid_until, reason, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
                .bind(organization_id)
                .bind(rule)
                .bind(valid_until)
                .bind(reason)
                .bind(actor)
                .bind(Utc::now())
                .fetch_one(&mut *c)
                .await?;
            crate::audit(
                c,
                actor,
                "rule_exception.added",
                "organization",
                organization_id,
                rule,
                crate::before_after(
                    (),
                    serde_json::json!({"rule": rule, "valid_until": valid_until, "reason": reason}),
                ),
            )
            .await?;
            Ok(id)
        })
    }

    /// Ends a valid exception today: from tomorrow it no longer clears the finding.
    /// The record stays, with its reason; the change is in the audit log.
    pub async fn end_rule_exception(
        &self,
        organization_id: i64,
        id: i64,
        actor: &str,
    ) -> Result<(), StoreError> {
        let today = Utc::now().date_naive();
        let record = self
            .rule_exception_records(organization_id)
            .await?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or_else(|| StoreError::NotFound(format!("undantaget {id}")))?;
        let ended = today - chrono::Duration::days(1);
        // Ended today already (a double click, or someone else just now): done.
        if record.exception.valid_until == ended {
            return Ok(());
        }
        if record.exception.valid_until < today {
            return Err(StoreError::Conflict(format!(
                "undantaget gällde bara till och med {}",
                record.exception.valid_until
            )));
        }
        crate::in_transaction!(self, |c| {
            let done = sqlx::query("UPDATE rule_exceptions SET valid_until = $1 WHERE id = $2 AND organization_id = $3 AND valid_until >= $4")
                .bind(ended)
                .bind(id)
                .bind(organization_id)
                .bind(today)
                .execute(&mut *c)
                .await?;
            if done.rows_affected() == 0 {
                // Ended by someone else between the read and this update: done.
                return Ok(());
            }
            crate::audit(
                c,
                actor,
                "rule_exception.ended",
                "organization",
                organization_id,
                &record.exception.rule,
                crate::before_after(
                    serde_json::json!({"rule": record.exception.rule, "valid_until": record.exception.valid_until}),
                    serde_json::json!({"rule": record.exception.rule, "valid_until": ended}),
                ),
            )
            .await?;
            Ok(())
        })
    }
}
