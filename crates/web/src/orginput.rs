//! One parsed input for an edit of a group, used by the form (`/grupper/{slug}/
//! redigera`, `/grupper/ny`) and by the API (`PUT /api/v1/organizations/{slug}`)
//! alike, so that the API can never skip a check the form makes.

use samordna_domain::model::reporting_cycle;
use samordna_domain::normalize;
use samordna_domain::policy::Action;
use samordna_domain::OrgKind;
use samordna_store::{OrgFields, Organization};

use crate::auth;
use crate::error::AppError;
use crate::forms::{Errors, Posted};
use crate::i18n::Tr;
use crate::request::Visitor;
use crate::state::AppState;

/// How the input names another group: the form by id (a select), the API by slug.
#[derive(Debug, Clone)]
pub enum GroupRef {
    Id(String),
    Slug(String),
}

/// An edit of a group as posted, before any check. Strings as given.
#[derive(Debug, Clone, Default)]
pub struct OrgInput {
    pub name: String,
    pub short_name: Option<String>,
    pub kind: String,
    pub area: Option<String>,
    pub reports_to: Option<GroupRef>,
    /// `None`: unchanged.
    pub status: Option<String>,
    pub aliases: Vec<String>,
    pub liaisons: Vec<GroupRef>,
    /// `None`: unchanged (the API may leave it out).
    pub publish_minutes_separately: Option<bool>,
    /// `None`: the region's default; the text of a whole number otherwise.
    pub minutes_overdue_days: Option<String>,
    /// `None`: the region's default; the text of a whole number otherwise.
    pub adjunct_limit: Option<String>,
}

impl OrgInput {
    /// The group form as posted. Blank lines among the aliases are no aliases.
    pub fn from_form(p: &Posted) -> OrgInput {
        OrgInput {
            name: p.get("name"),
            short_name: p.opt("short_name"),
            kind: p.get("kind"),
            area: p.opt("area"),
            reports_to: p.opt("reports_to").map(GroupRef::Id),
            status: p.opt("status"),
            aliases: p
                .get("aliases")
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect(),
            liaisons: p.all("liaisons").into_iter().map(GroupRef::Id).collect(),
            publish_minutes_separately: Some(p.checked("publish_separately")),
            minutes_overdue_days: p.opt("overdue_days"),
            adjunct_limit: p.opt("adjunct_limit"),
        }
    }

    /// Checks the input against the register and the visitor's rights; the
    /// fields to save, or the errors by form field name. `org` is the group edited
    /// (`None` for a new one).
    ///
    /// Refused: an empty name or alias, an unknown kind, status or group, a group
    /// reporting to itself or to one that reports to it (a cycle, which would take
    /// both out of the register's tree), days to approve minutes outside 1–365,
    /// an adjunct limit outside 0–100, a change of status by anyone but the
    /// director.
    pub async fn check(
        self,
        state: &AppState,
        visitor: &Visitor,
        org: Option<&Organization>,
        t: &Tr,
    ) -> Result<(OrgFields, Errors), AppError> {
        let mut e = Errors::default();
        let orgs = state.store.organizations().await?;
        let current: Vec<&Organization> =
            orgs.iter().filter(|o| o.merged_into_id.is_none()).collect();
        let find = |r: &GroupRef| -> Option<i64> {
            match r {
                GroupRef::Id(id) => id
                    .parse::<i64>()
                    .ok()
                    .filter(|id| current.iter().any(|o| o.id == *id)),
                GroupRef::Slug(slug) => current.iter().find(|o| o.slug == *slug).map(|o| o.id),
            }
        };
        let name = normalize::line(&self.name);
        if name.is_empty() {
            e.add(
                "name",
                t.t1("error-required", "field", t.t("field-name").to_lowercase()),
            );
        }
        let kind = self.kind.parse::<OrgKind>().unwrap_or_else(|_| {
            e.add("kind", t.t("error-unknown-choice"));
            org.map_or(OrgKind::Samordningsgrupp, |o| o.kind)
        });
        let me = org.map(|o| o.id);
        let reports_to_id = match &self.reports_to {
            None => None,
            Some(r) => match find(r) {
                None => {
                    e.add("reports_to", t.t("error-unknown-choice"));
                    None
                }
                Some(p) if Some(p) == me => {
                    e.add("reports_to", t.t("error-reports-to-self"));
                    None
                }
                Some(p) => {
                    if let Some(id) = me {
                        let parent = |x: i64| orgs.iter().find(|o| o.id == x)?.reports_to_id;
                        if let Some(chain) = reporting_cycle(parent, id, p) {
                            let names: Vec<String> = chain
                                .iter()
                                .filter_map(|x| orgs.iter().find(|o| o.id == *x))
                                .map(|o| o.name.clone())
                                .collect();
                            e.add(
                                "reports_to",
                                t.t1("error-reports-to-cycle", "chain", names.join(" → ")),
                            );
                        }
                    }
                    Some(p)
                }
            },
        };
        let current_status = org.map_or("active".to_string(), |o| o.status.clone());
        let status = match self.status {
            Some(s) if s == "active" || s == "dissolved" => s,
            Some(_) => {
                e.add("status", t.t("error-unknown-choice"));
                current_status.clone()
            }
            None => current_status.clone(),
        };
        if status != current_status
            && !auth::may(state, visitor, Action::EstablishOrDissolve, org).await
        {
            e.add("status", t.t("error-status-director"));
        }
        let number = |e: &mut Errors,
                      field: &'static str,
                      v: &Option<String>,
                      range: std::ops::RangeInclusive<i64>,
                      message: String| {
            let v = v.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
            match v.parse::<i64>() {
                Ok(n) if range.contains(&n) => Some(n),
                _ => {
                    e.add(field, message);
                    None
                }
            }
        };
        let minutes_overdue_days = number(
            &mut e,
            "overdue_days",
            &self.minutes_overdue_days,
            1..=365,
            t.t("error-overdue-days"),
        );
        let adjunct_limit = number(
            &mut e,
            "adjunct_limit",
            &self.adjunct_limit,
            0..=100,
            t.t("error-adjunct-limit"),
        );
        let mut aliases = Vec::new();
        for a in &self.aliases {
            let a = normalize::line(a);
            if a.is_empty() {
                e.add("aliases", t.t("error-alias-empty"));
            } else if !aliases.contains(&a) {
                aliases.push(a);
            }
        }
        let mut liaison_ids = Vec::new();
        for l in &self.liaisons {
            match find(l) {
                Some(id) if Some(id) != me => liaison_ids.push(id),
                Some(_) => {}
                None => e.add("liaisons", t.t("error-unknown-choice")),
            }
        }
        let keep = |v: Option<String>| v.map(|s| normalize::line(&s)).filter(|s| !s.is_empty());
        Ok((
            OrgFields {
                name,
                short_name: keep(self.short_name),
                kind,
                area: keep(self.area),
                reports_to_id,
                status,
                aliases,
                liaison_ids,
                publish_minutes_separately: self
                    .publish_minutes_separately
                    .unwrap_or_else(|| org.is_some_and(|o| o.publish_minutes_separately)),
                minutes_overdue_days,
                adjunct_limit,
            },
            e,
        ))
    }
}
