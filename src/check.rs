//! `samordna check [--group SLUG] [--json]`: every group against the rules of its
//! own charter. Exit 0 without errors, 1 with errors, 2 when the check could not run.

use anyhow::{Context, Result};
use chrono::Utc;
use samordna_domain::calendar::swedish_date;
use samordna_domain::rules::{self, Outcome, RuleId, Severity};
use samordna_store::Store;

/// Runs the check; returns the exit status.
pub async fn run(
    store: &Store,
    group: Option<&str>,
    json: bool,
    region: &rules::RegionDefaults,
) -> Result<u8> {
    let filter = samordna_store::GroupFilter {
        slug: group,
        ..Default::default()
    };
    let today = swedish_date(Utc::now());
    let evaluated = store
        .evaluate(&filter, region, today)
        .await
        .context("kunde inte pröva grupperna")?;
    if evaluated.is_empty() {
        match group {
            Some(g) => anyhow::bail!("det finns ingen grupp med adressen {g}"),
            // An empty register is no clean bill of health (a wrong --db, say).
            None => anyhow::bail!("registret har inga grupper att pröva"),
        }
    }
    let outcomes: Vec<Outcome> = evaluated.into_iter().flat_map(|e| e.outcomes).collect();
    let findings: Vec<_> = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Finding(f) => Some(f),
            _ => None,
        })
        .collect();
    // The CLI speaks Swedish, from the same message files as the portal.
    let sv = samordna_web::i18n::Tr {
        lang: samordna_web::i18n::Lang::Sv,
    };
    if json {
        let out: Vec<serde_json::Value> = findings
            .iter()
            .map(|f| {
                serde_json::json!({
                    "rule": f.rule,
                    "severity": f.severity,
                    "group": f.group,
                    "message": sv.text(&f.message),
                    "message_id": f.message.message_id(),
                    "evidence": f.evidence.iter().map(|e| sv.text(e)).collect::<Vec<_>>(),
                    "source": f.source.as_ref().map(|s| serde_json::json!({
                        "charter": sv.text(&s.charter),
                        "section": s.section,
                        "quote": s.quote,
                    })),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        for f in &findings {
            let sev = match f.severity {
                Severity::Error => "FEL",
                Severity::Warning => "VARNING",
                Severity::Info => "INFO",
            };
            println!("{sev} [{}] {}: {}", f.rule, f.group, sv.text(&f.message));
            if !f.evidence.is_empty() {
                println!("    underlag: {}", sv.texts(&f.evidence, "; "));
            }
            if let Some(s) = &f.source {
                println!(
                    "    enligt {}{}: ”{}”",
                    sv.text(&s.charter),
                    s.section
                        .as_ref()
                        .map(|x| format!(", {x}"))
                        .unwrap_or_default(),
                    s.quote
                );
            }
        }
        // What could not be checked, once per rule and reason, with how many groups.
        let mut cannot: Vec<(RuleId, String, usize)> = Vec::new();
        for o in &outcomes {
            if let Outcome::CannotCheck { rule, reason } = o {
                let reason = sv.text(reason);
                match cannot
                    .iter_mut()
                    .find(|(r, why, _)| r == rule && *why == reason)
                {
                    Some(entry) => entry.2 += 1,
                    None => cannot.push((*rule, reason, 1)),
                }
            }
        }
        for (rule, reason, n) in &cannot {
            let groups = if *n == 1 { "grupp" } else { "grupper" };
            println!("KAN INTE PRÖVAS [{rule}] {n} {groups}: {reason}");
        }
        println!(
            "{} fynd; {} prövningar kunde inte göras.",
            findings.len(),
            cannot.iter().map(|c| c.2).sum::<usize>()
        );
    }
    Ok(if findings.iter().any(|f| f.severity == Severity::Error) {
        1
    } else {
        0
    })
}
