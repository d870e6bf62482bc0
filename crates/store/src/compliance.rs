//! The facts the rules of `samordna_domain::rules` look at, gathered for one group.

use samordna_domain::calendar::swedish_date;
use std::collections::HashMap;

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
    /// The charter in force, parsed: the dashboard compares the ones it shows
    /// with their template (about a millisecond each), not the region's.
    pub charter_in_force: Option<samordna_domain::ParsedCharter>,
}

/// Groups checked at a time when the whole register is: their meetings and
/// decisions are in memory together.
const GROUPS_AT_ONCE: usize = 500;

impl Store {
    /// Checks the governance groups the filter names against the rules of their
    /// own charters, as of `today`: one place for `samordna check`, the compliance
    /// dashboard and a group's page. In the order of `organizations` (Swedish).
    ///
    /// One group by its address reads that group's rows by index; more reads each
    /// table once per range of 500 groups (`Gathered`), not a dozen queries a
    /// group (issue #14: 78 s for the nation's 10,000 groups that way).
    pub async fn evaluate(
        &self,
        filter: &GroupFilter<'_>,
        region: &RegionDefaults,
        today: chrono::NaiveDate,
    ) -> Result<Vec<Evaluation>, StoreError> {
        let orgs = match filter.slug {
            Some(slug) => self.organization_by_slug(slug).await?.into_iter().collect(),
            None => self.organizations().await?,
        };
        let groups: Vec<&Organization> = orgs
            .iter()
            .filter(|o| {
                o.merged_into_id.is_none()
                    && o.kind.is_governance_group()
                    && filter.slug.is_none_or(|s| o.slug == s)
                    && filter.kind.is_none_or(|k| o.kind == k)
            })
            .collect();
        let mut out = Vec::new();
        if filter.slug.is_some() {
            if let Some(org) = groups.first() {
                let gathered = self.gather_one(org).await?;
                self.judge(&gathered, org, filter, region, today, &mut out);
            }
            return Ok(out);
        }
        // The register a range of groups (by id) at a time: the meetings and
        // decisions of one range in memory, not the nation's.
        let _one_at_a_time = self
            .whole_register
            .acquire()
            .await
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut gathered = self.gather_common(&orgs).await?;
        let mut ids: Vec<i64> = groups.iter().map(|o| o.id).collect();
        ids.sort_unstable();
        let mut judged: HashMap<i64, Evaluation> = HashMap::new();
        for range in ids.chunks(GROUPS_AT_ONCE) {
            let (first, last) = (range[0], range[range.len() - 1]);
            self.gather_range(&mut gathered, first, last).await?;
            let mut some = Vec::new();
            for org in groups.iter().filter(|o| o.id >= first && o.id <= last) {
                self.judge(&gathered, org, filter, region, today, &mut some);
            }
            judged.extend(some.into_iter().map(|e| (e.organization.id, e)));
        }
        // In the order of the register.
        Ok(groups.iter().filter_map(|o| judged.remove(&o.id)).collect())
    }

    /// Checks one group from what was gathered, unless the filter's administration
    /// leaves it out.
    fn judge(
        &self,
        gathered: &Gathered,
        org: &Organization,
        filter: &GroupFilter<'_>,
        region: &RegionDefaults,
        today: chrono::NaiveDate,
        out: &mut Vec<Evaluation>,
    ) {
        {
            let facts = gathered.facts(org, region, today);
            if let Some(adm) = filter.administration {
                if !facts
                    .members
                    .iter()
                    .any(|m| m.administration.as_deref() == Some(adm))
                {
                    return;
                }
            }
            out.push(Evaluation {
                outcomes: samordna_domain::rules::check(&facts, today),
                organization: org.clone(),
                charter_in_force: facts.charter_in_force.map(|(_, doc)| doc),
            });
        }
    }

    /// A group's charter, members, parent's contact persons and meetings, as the rules see them.
    pub async fn group_facts(
        &self,
        org: &Organization,
        region: &RegionDefaults,
        today: chrono::NaiveDate,
    ) -> Result<GroupFacts, StoreError> {
        Ok(self.gather_one(org).await?.facts(org, region, today))
    }

    /// What the rules read about one group (and its parent), by index.
    async fn gather_one(&self, org: &Organization) -> Result<Gathered, StoreError> {
        let mut g = Gathered::default();
        g.versions
            .insert(org.id, self.charter_versions(Some(org.id)).await?);
        let mut memberships = self.memberships(Some(org.id), None).await?;
        if let Some(parent) = org.reports_to_id {
            if let Some(p) = self.organization(parent).await? {
                g.orgs.insert(p.id, p);
            }
            memberships.extend(self.memberships(Some(parent), None).await?);
        }
        g.memberships = group_by(memberships, |m| m.fields.organization_id);
        g.minutes = self
            .latest_minutes_status(org.id)
            .await?
            .into_iter()
            .collect();
        g.meetings
            .insert(org.id, self.meetings(Some(org.id)).await?);
        let decided = self
            .decisions(&crate::DecisionFilter {
                organization_id: Some(org.id),
                approved_only: true,
                ..Default::default()
            })
            .await?;
        g.decisions.insert(org.id, decided);
        g.escalations.insert(
            org.id,
            self.escalations(crate::EscalationsOf::Group(org.id))
                .await?,
        );
        g.exceptions
            .insert(org.id, self.rule_exceptions(org.id).await?);
        self.gather_charters(&mut g).await?;
        Ok(g)
    }

    /// What the rules read about every group that is small beside the meetings
    /// and decisions: each table read once.
    async fn gather_common(&self, orgs: &[Organization]) -> Result<Gathered, StoreError> {
        let mut g = Gathered {
            orgs: orgs.iter().map(|o| (o.id, o.clone())).collect(),
            ..Default::default()
        };
        g.versions = group_by(self.charter_versions(None).await?, |v| v.organization_id);
        g.memberships = group_by(self.memberships(None, None).await?, |m| {
            m.fields.organization_id
        });
        g.escalations = group_by(self.escalations(crate::EscalationsOf::All).await?, |e| {
            e.fields.organization_id
        });
        g.exceptions = self.rule_exceptions_all().await?;
        self.gather_charters(&mut g).await?;
        Ok(g)
    }

    /// The meetings, minutes and approved decisions of the groups with ids from
    /// `first` to `last`, in place of the previous range's.
    async fn gather_range(
        &self,
        g: &mut Gathered,
        first: i64,
        last: i64,
    ) -> Result<(), StoreError> {
        g.meetings = group_by(self.meetings_between(first, last).await?, |m| {
            m.fields.organization_id
        });
        g.minutes = self.latest_minutes_status_between(first, last).await?;
        let decided = self
            .decisions(&crate::DecisionFilter {
                organization_ids: Some((first, last)),
                approved_only: true,
                ..Default::default()
            })
            .await?;
        g.decisions = group_by(decided, |d| d.organization_id);
        Ok(())
    }

    /// The content of the charters in force and of the newest undecided ones, where
    /// the ones in force were sent, and the bodies their decisions go to.
    async fn gather_charters(&self, g: &mut Gathered) -> Result<(), StoreError> {
        let mut wanted = Vec::new();
        let mut in_force_ids = Vec::new();
        for versions in g.versions.values() {
            if let Some(v) = in_force(versions) {
                wanted.push(v.id);
                in_force_ids.push(v.id);
            }
            if let Some(v) = newest_undecided(versions) {
                wanted.push(v.id);
            }
        }
        g.documents = self.charter_contents(&wanted).await?;
        g.sent_to = self.charter_sent_to_many(&in_force_ids).await?;
        // The bodies the charters in force name to be told of decisions, each
        // name looked up once.
        let mut names = Vec::new();
        for id in &in_force_ids {
            if let Some(doc) = g.documents.get(id) {
                names.extend(samordna_domain::decisions::bodies_to_inform(doc));
            }
        }
        names.sort();
        names.dedup();
        for name in names {
            let org = self.organization_named(&name).await?;
            g.named.insert(name, org);
        }
        Ok(())
    }

    /// The parsed content of the charter versions with these ids.
    async fn charter_contents(
        &self,
        ids: &[i64],
    ) -> Result<HashMap<i64, samordna_domain::ParsedCharter>, StoreError> {
        let mut out = HashMap::new();
        for chunk in ids.chunks(500) {
            let sql = crate::one_group::with_ids(
                "SELECT id, content FROM charter_versions WHERE id IN ({ids})",
                chunk.len(),
            );
            let rows: Vec<(i64, String)> = crate::with_conn!(self, |c| {
                let mut q = sqlx::query_as(&sql);
                for id in chunk {
                    q = q.bind(id);
                }
                q.fetch_all(&mut *c).await?
            });
            for (id, content) in rows {
                let parsed = serde_json::from_str(&content)
                    .map_err(|e| StoreError::Corrupt(format!("uppdragshandling {id}: {e}")))?;
                out.insert(id, parsed);
            }
        }
        Ok(out)
    }

    /// The latest minutes status of the meetings with minutes of the groups with
    /// ids from `first` to `last`: meeting id → status.
    async fn latest_minutes_status_between(
        &self,
        first: i64,
        last: i64,
    ) -> Result<HashMap<i64, MinutesStatus>, StoreError> {
        let rows: Vec<(i64, String)> = crate::with_conn!(self, |c| {
            sqlx::query_as(
                "SELECT n.meeting_id, n.status FROM minutes n JOIN meetings m ON m.id = n.meeting_id \
                 WHERE m.organization_id >= $1 AND m.organization_id <= $2 \
                 AND n.version = (SELECT MAX(x.version) FROM minutes x WHERE x.meeting_id = n.meeting_id)",
            )
            .bind(first)
            .bind(last)
            .fetch_all(&mut *c)
            .await?
        });
        rows.into_iter()
            .map(|(id, s)| Ok((id, s.parse().map_err(StoreError::Corrupt)?)))
            .collect()
    }

    /// Every group's exceptions, oldest first.
    async fn rule_exceptions_all(
        &self,
    ) -> Result<HashMap<i64, Vec<samordna_domain::rules::Exception>>, StoreError> {
        let rows: Vec<(i64, String, chrono::NaiveDate, String)> = crate::with_conn!(self, |c| {
            sqlx::query_as(
                "SELECT organization_id, rule, valid_until, reason FROM rule_exceptions ORDER BY id",
            )
            .fetch_all(&mut *c)
            .await?
        });
        Ok(group_by(rows, |r| r.0)
            .into_iter()
            .map(|(id, rows)| {
                let list = rows
                    .into_iter()
                    .map(
                        |(_, rule, valid_until, reason)| samordna_domain::rules::Exception {
                            rule,
                            valid_until,
                            reason,
                        },
                    )
                    .collect();
                (id, list)
            })
            .collect())
    }
}

/// `items` by `key`, each list in the order of `items`.
fn group_by<T>(items: Vec<T>, key: impl Fn(&T) -> i64) -> HashMap<i64, Vec<T>> {
    let mut out: HashMap<i64, Vec<T>> = HashMap::new();
    for item in items {
        out.entry(key(&item)).or_default().push(item);
    }
    out
}

/// The newest version when it is undecided.
fn newest_undecided(versions: &[crate::CharterVersion]) -> Option<&crate::CharterVersion> {
    versions
        .iter()
        .max_by_key(|v| v.version)
        .filter(|v| v.status == CharterStatus::Undecided)
}

/// What the rules read, for one group or for the whole register: rows by the
/// group they belong to (charter content, minutes status and distribution by the
/// version or meeting). Read by [`Store::evaluate`], turned into each group's
/// [`GroupFacts`] without another query.
#[derive(Default)]
struct Gathered {
    versions: HashMap<i64, Vec<crate::CharterVersion>>,
    /// By version id: the versions in force and the newest undecided ones.
    documents: HashMap<i64, samordna_domain::ParsedCharter>,
    memberships: HashMap<i64, Vec<crate::Membership>>,
    /// Organisations a group may report to.
    orgs: HashMap<i64, Organization>,
    /// By meeting id: the status of its latest minutes.
    minutes: HashMap<i64, MinutesStatus>,
    meetings: HashMap<i64, Vec<crate::Meeting>>,
    /// Decisions whose minutes are approved.
    decisions: HashMap<i64, Vec<crate::Decision>>,
    /// The organisation each body named in a charter denotes.
    named: HashMap<String, Option<Organization>>,
    escalations: HashMap<i64, Vec<crate::Escalation>>,
    /// By version id: the entries of its distribution that reached everyone.
    sent_to: HashMap<i64, Vec<String>>,
    exceptions: HashMap<i64, Vec<samordna_domain::rules::Exception>>,
}

impl Gathered {
    /// One group's facts, as the rules see them.
    fn facts(
        &self,
        org: &Organization,
        region: &RegionDefaults,
        today: chrono::NaiveDate,
    ) -> GroupFacts {
        let none = Vec::new;
        let versions = self.versions.get(&org.id).map_or(&[][..], |v| &v[..]);
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
        let document = |v: &crate::CharterVersion| {
            self.documents.get(&v.id).map(|doc| (label(v), doc.clone()))
        };
        let in_force_version = in_force(versions);
        let charter_in_force = in_force_version.and_then(document);
        let undecided = newest_undecided(versions).and_then(document);
        let memberships_of = |id: i64| self.memberships.get(&id).map_or(&[][..], |m| &m[..]);
        let members: Vec<MemberFacts> = memberships_of(org.id)
            .iter()
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
        let parent = org.reports_to_id.and_then(|id| self.orgs.get(&id));
        let parent_contacts = parent.map(|parent| {
            memberships_of(parent.id)
                .iter()
                .filter(|m| m.is_current(today) && m.fields.role == MembershipRole::Kontaktperson)
                .map(|m| m.person_name.clone())
                .collect()
        });
        let meetings = self
            .meetings
            .get(&org.id)
            .map_or(&[][..], |m| &m[..])
            .iter()
            .map(|m| {
                let date = swedish_date(m.fields.starts_at);
                MeetingFacts {
                    label: samordna_domain::text!("meeting-label", "date" => date.to_string()),
                    kind: m.fields.kind,
                    date,
                    cancelled: m.state == MeetingState::Cancelled,
                    minutes: self.minutes.get(&m.id).copied(),
                }
            })
            .collect();
        // Decisions count once their minutes are approved (a public record); the
        // bodies the charter names, and whether each was told of each decision.
        let decided = self.decisions.get(&org.id).map_or(&[][..], |d| &d[..]);
        let must: Vec<(String, Option<&Organization>)> = match &charter_in_force {
            Some((_, doc)) if !decided.is_empty() => {
                samordna_domain::decisions::bodies_to_inform(doc)
                    .into_iter()
                    .map(|name| {
                        let org = self.named.get(&name).and_then(|o| o.as_ref());
                        (name, org)
                    })
                    .collect()
            }
            _ => Vec::new(),
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
                        body.is_some_and(|body| {
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
        let escalations = self
            .escalations
            .get(&org.id)
            .map_or(&[][..], |e| &e[..])
            .iter()
            .filter(|e| e.forwarded_from_id.is_none())
            .map(|e| EscalationFacts {
                label: short(&e.fields.question),
                topic: e.fields.topic,
                target: e.fields.target,
            })
            .collect();
        // Where the version in force was sent, if it was sent through Samordna.
        let charter_sent_to = in_force_version.and_then(|v| self.sent_to.get(&v.id).cloned());
        GroupFacts {
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
            exceptions: self.exceptions.get(&org.id).cloned().unwrap_or_else(none),
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
        }
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
        // An exception is its rule, its last day and its reason: the same again
        // (a form sent twice) is the one recorded.
        let key = crate::checksum::repeat_key(&[rule, &valid_until.to_string(), reason]);
        crate::in_transaction!(self, |c| {
            let inserted: Option<i64> = sqlx::query_scalar("INSERT INTO rule_exceptions (organization_id, rule, valid_until, reason, created_by, created_at, repeat_key) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id")
                .bind(organization_id)
                .bind(rule)
                .bind(valid_until)
                .bind(reason)
                .bind(actor)
                .bind(Utc::now())
                .bind(&key)
                .fetch_optional(&mut *c)
                .await?;
            let Some(id) = inserted else {
                return Ok(sqlx::query_scalar(
                    "SELECT id FROM rule_exceptions WHERE organization_id = $1 AND repeat_key = $2",
                )
                .bind(organization_id)
                .bind(&key)
                .fetch_one(&mut *c)
                .await?);
            };
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
        let today = swedish_date(Utc::now());
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
