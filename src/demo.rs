//! `serve --demo`: the bundled seed documents, imported into an empty database.

use anyhow::{Context, Result};
use samordna_store::{Source, Store};

/// The five seed documents, compiled into the binary so that `--demo` works anywhere.
pub const SEEDS: [(&str, &str); 5] = [
    (
        "sor-rattspsykiatri-2024.txt",
        include_str!("../fixtures/seeds/sor-rattspsykiatri-2024.txt"),
    ),
    (
        "sor-neurologi-2026.txt",
        include_str!("../fixtures/seeds/sor-neurologi-2026.txt"),
    ),
    (
        "sor-ortopedi-2026.txt",
        include_str!("../fixtures/seeds/sor-ortopedi-2026.txt"),
    ),
    (
        "sor-onkologi-2026.txt",
        include_str!("../fixtures/seeds/sor-onkologi-2026.txt"),
    ),
    (
        "samordningsgrupp-neonatalvard-2023.txt",
        include_str!("../fixtures/seeds/samordningsgrupp-neonatalvard-2023.txt"),
    ),
];

/// Imports the seeds when the register is empty and says whether it did; leaves a
/// register with content alone.
pub async fn load(store: &Store) -> Result<bool> {
    if store.counts().await?.organizations > 0 {
        return Ok(false);
    }
    for (name, text) in SEEDS {
        let doc =
            samordna_domain::parse_charter(text).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
        store
            .import_charter(&doc, &Source { name, text }, "demo")
            .await
            .with_context(|| format!("kunde inte importera {name}"))?;
    }
    populate(store).await?;
    tracing::info!(
        "demodata importerad: {} dokument, personer, medlemskap och möten",
        SEEDS.len()
    );
    Ok(true)
}

/// The administrations (förvaltningar) the demo people come from.
const ADMINISTRATIONS: [(&str, &str); 10] = [
    ("Sahlgrenska Universitetssjukhuset", "SU"),
    ("Skaraborgs Sjukhus", "SkaS"),
    ("NU-sjukvården", "NU"),
    ("Södra Älvsborgs Sjukhus", "SÄS"),
    ("Sjukhusen i väster", "SiV"),
    ("Närhälsan", "NH"),
    ("Regionhälsan", "RH"),
    ("Habilitering & Hälsa", "H&H"),
    ("Folktandvården", "FTV"),
    ("Koncernkontoret", "KK"),
];

const FIRST: [&str; 24] = [
    "Anna", "Björn", "Cecilia", "David", "Elin", "Fredrik", "Gunilla", "Hassan", "Ingrid", "Johan",
    "Karin", "Lars", "Maria", "Nils", "Olivia", "Per", "Rebecka", "Sara", "Tobias", "Ulrika",
    "Viktor", "Ylva", "Åsa", "Örjan",
];
const LAST: [&str; 20] = [
    "Exempelsson",
    "Demodotter",
    "Provsson",
    "Testberg",
    "Påhittad",
    "Fiktivsson",
    "Låtsasdal",
    "Modellström",
    "Skissgren",
    "Utkastsson",
    "Mallberg",
    "Övningsson",
    "Prototypdal",
    "Förebildsson",
    "Attrapp",
    "Lekström",
    "Dummyhed",
    "Skenberg",
    "Låtsaslund",
    "Modellqvist",
];

/// A small deterministic generator: the same demo every time.
struct Dice(u64);

impl Dice {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// The password of the demo accounts; the demo is for trying the portal, never for real data.
pub const DEMO_PASSWORD: &str = "samordna-demo-2026";

/// People, memberships and two years of meetings with agendas and minutes in every
/// state, so that a newcomer sees a living portal. Everyone is fictional.
pub async fn populate(store: &Store) -> Result<()> {
    use chrono::{Datelike, Duration, NaiveDate, Utc};
    use samordna_domain::meetings::{MeetingKind, MinutesStep};
    use samordna_domain::policy::MembershipRole;
    use samordna_store::{MeetingFields, MembershipFields, NewAccount, PersonFields};

    let actor = "demo";
    let mut dice = Dice(2026);
    let mut adms = Vec::new();
    for (name, short) in ADMINISTRATIONS {
        adms.push(
            store
                .create_administration(name, Some(short), actor)
                .await?,
        );
    }
    let mut used = std::collections::HashSet::new();
    let mut person = |dice: &mut Dice| loop {
        let name = format!(
            "{} {}",
            FIRST[dice.next(FIRST.len())],
            LAST[dice.next(LAST.len())]
        );
        if used.insert(name.clone()) {
            return name;
        }
    };
    let email = |name: &str| {
        let ascii: String = samordna_domain::names::slugify(name).replace('-', ".");
        format!("{ascii}@demo.samordna.example")
    };
    let orgs = store.organizations().await?;
    let groups: Vec<_> = orgs
        .iter()
        .filter(|o| {
            matches!(
                o.kind,
                samordna_domain::OrgKind::Samordningsrad
                    | samordna_domain::OrgKind::Samordningsgrupp
            )
        })
        .filter(|o| !o.placeholder || o.slug == "samordningsrad-barn")
        .cloned()
        .collect();
    let hash = samordna_web::auth::hash_password(DEMO_PASSWORD).map_err(|e| anyhow::anyhow!(e))?;
    let today = Utc::now().date_naive();
    let since = NaiveDate::from_ymd_opt(today.year() - 2, 1, 1).unwrap_or(today);
    for (gi, g) in groups.iter().enumerate() {
        // One group publishes approved minutes in a step of its own.
        if g.kind == samordna_domain::OrgKind::Samordningsgrupp {
            store
                .set_publish_minutes_separately(g.id, true, actor)
                .await?;
        }
        let mut members: Vec<(MembershipRole, i64)> = Vec::new();
        let mut chair_account: Option<String> = None;
        let mut coordinator_account: Option<String> = None;
        let roles = [
            MembershipRole::Ordforande,
            MembershipRole::Koordinator,
            MembershipRole::Kontaktperson,
            MembershipRole::Deltagare,
            MembershipRole::Deltagare,
            MembershipRole::Deltagare,
            MembershipRole::Deltagare,
            MembershipRole::Deltagare,
            MembershipRole::Adjungerad,
        ];
        // Some groups break a rule on purpose, so that the compliance check has
        // something to show: the same administration for chair and contact person
        // (group 1), too many adjuncts (3), a participant not appointed by the head of
        // administration and two chairs (4), no coordinator (5), a chair appointed
        // by the wrong body (2), too few meetings
        // last year (0: the one group whose charter was in force all of last year).
        let mut roles = roles.to_vec();
        if gi == 3 {
            roles.extend([MembershipRole::Adjungerad; 3]);
        }
        if gi == 5 {
            roles.retain(|r| *r != MembershipRole::Koordinator);
        }
        if gi == 4 {
            roles.push(MembershipRole::Ordforande);
        }
        for (ri, role) in roles.iter().enumerate() {
            let name = person(&mut dice);
            let adm = adms[(gi + ri) % adms.len()];
            let adm = match role {
                MembershipRole::Koordinator => adms[9],
                MembershipRole::Kontaktperson if gi == 1 => adms[gi % adms.len()],
                _ => adm,
            };
            let title = match role {
                MembershipRole::Ordforande => "Verksamhetschef",
                MembershipRole::Koordinator => "Koordinator, Koncernkontoret",
                MembershipRole::Kontaktperson => "Sjukhusdirektör",
                MembershipRole::Adjungerad => "Professor",
                _ => "Verksamhetschef",
            };
            let pid = store
                .create_person(
                    &PersonFields {
                        name: name.clone(),
                        title: Some(title.into()),
                        email: Some(email(&name)),
                        phone: None,
                        administration_id: Some(adm),
                    },
                    actor,
                )
                .await?;
            store
                .create_membership(
                    &MembershipFields {
                        person_id: pid,
                        organization_id: g.id,
                        role: *role,
                        on_behalf_of_id: Some(adm),
                        voting_right: role.votes_by_default(),
                        appointed_by: Some(match role {
                            // The neonatal chair is appointed by SOR barn, as its
                            // charter says; the neurologi chair, wrongly, by an
                            // administration.
                            MembershipRole::Ordforande
                                if g.kind == samordna_domain::OrgKind::Samordningsgrupp =>
                            {
                                "SOR barn efter avstämning med SOR kvinnosjukdomar och förlossningar samt SOR anestesi, operation, intensivvård".into()
                            }
                            MembershipRole::Ordforande if gi == 2 => "Förvaltningschefen".into(),
                            MembershipRole::Ordforande => {
                                "Ledningsgrupp hälso- och sjukvård".into()
                            }
                            MembershipRole::Deltagare if gi == 4 && ri == 3 => "Ordföranden".into(),
                            MembershipRole::Deltagare => "Förvaltningschefen".into(),
                            _ => "Koncernkontoret".into(),
                        }),
                        start_date: since,
                        end_date: None,
                    },
                    actor,
                )
                .await?;
            // The chair and the coordinator of every group have accounts, so that
            // the minutes are submitted and approved by them; those of the first
            // two groups can sign in with the demo password.
            let slot = match role {
                MembershipRole::Ordforande => Some(("ordforande", &mut chair_account)),
                MembershipRole::Koordinator => Some(("koordinator", &mut coordinator_account)),
                _ => None,
            };
            if let Some((role_name, slot @ None)) = slot {
                let email = format!("{role_name}.{}@demo.samordna.example", g.slug);
                let id = store
                    .create_account(
                        &NewAccount {
                            email: &email,
                            name: &name,
                            password_hash: (gi < 2).then_some(hash.as_str()),
                            person_id: Some(pid),
                            ..Default::default()
                        },
                        actor,
                    )
                    .await?;
                *slot = Some(format!("account:{id}"));
                if gi < 2 && *role == MembershipRole::Ordforande {
                    tracing::info!("demokonton (lösenord {DEMO_PASSWORD}): ordforande.{0}@demo.samordna.example, koordinator.{0}@demo.samordna.example", g.slug);
                }
            }
            members.push((*role, pid));
        }
        // A former member, to show history.
        let name = person(&mut dice);
        let pid = store
            .create_person(
                &PersonFields {
                    name,
                    administration_id: Some(adms[gi % adms.len()]),
                    ..Default::default()
                },
                actor,
            )
            .await?;
        store
            .create_membership(
                &MembershipFields {
                    person_id: pid,
                    organization_id: g.id,
                    role: MembershipRole::Deltagare,
                    on_behalf_of_id: Some(adms[gi % adms.len()]),
                    voting_right: true,
                    appointed_by: None,
                    start_date: since,
                    end_date: Some(since + Duration::days(300)),
                },
                actor,
            )
            .await?;

        // Two years of meetings, about every other month, and two planned ahead.
        let mut day = since + Duration::days(20 + dice.next(20) as i64);
        let mut n = 0;
        let mut last_year_count = 0;
        while day < today + Duration::days(120) {
            if gi == 0 && day.year() == today.year() - 1 {
                last_year_count += 1;
                if last_year_count > 3 {
                    day += Duration::days(55 + dice.next(21) as i64);
                    continue;
                }
            }
            // Meetings are held on working days, as the planner plans them.
            let held_on = samordna_domain::holidays::working_day_from(day);
            let start = chrono_tz_stockholm(held_on, 9);
            let f = MeetingFields {
                organization_id: g.id,
                kind: if n % 7 == 6 {
                    MeetingKind::Extra
                } else {
                    MeetingKind::Ordinary
                },
                starts_at: start,
                ends_at: start + Duration::hours(2),
                place: Some(if n % 2 == 0 {
                    "Regionens hus, Vänersborg".into()
                } else {
                    "Digitalt".into()
                }),
                digital_link: (n % 2 == 1)
                    .then(|| "https://möte.demo.samordna.example/rum".to_string()),
            };
            let mid = store.create_meeting(&f, actor).await?;
            for (i, title) in [
                "Mötets öppnande",
                "Föregående mötesanteckningar",
                "Aktuellt från förvaltningarna",
                "Vårdförlopp och kunskapsstöd",
                "Övriga frågor",
            ]
            .iter()
            .enumerate()
            {
                if i < 3 || dice.next(2) == 0 {
                    store
                        .add_agenda_item(
                            mid,
                            title,
                            (i == 0).then_some("Ordförande"),
                            Some(10 + 5 * i as i64),
                            actor,
                        )
                        .await?;
                }
            }
            let past = held_on < today;
            if n == 3 {
                store
                    .cancel_meeting(
                        mid,
                        "Ordföranden förhindrad; punkterna flyttas till nästa möte.",
                        actor,
                    )
                    .await?;
                n += 1;
                day += Duration::days(55 + dice.next(21) as i64);
                continue;
            }
            if past || held_on < today + Duration::days(30) {
                store.publish_agenda(mid, actor).await?;
            }
            if past {
                let body = format!(
                    "## 1. Mötets öppnande\nOrdföranden öppnade mötet.\n\n## 2. Föregående mötesanteckningar\nGodkändes.\n\n## 3. Aktuellt från förvaltningarna\nRunda bland deltagarna om läget i {}.\n",
                    g.area.clone().unwrap_or_else(|| "verksamheten".into())
                );
                // Most past minutes are published; the latest show every other state.
                let recent = held_on + Duration::days(75) > today;
                // The group that publishes in a step of its own shows "approved,
                // not yet published"; the others draft, submitted, returned, none.
                let separately = g.kind == samordna_domain::OrgKind::Samordningsgrupp;
                let state = match (recent, separately) {
                    (true, true) => 4,
                    (true, false) => gi % 4,
                    (false, _) => 9,
                };
                // The coordinator submits two days after the meeting; the chair
                // approves (justerar) a few days later, and a separate publishing
                // step follows the day after.
                let coordinator = coordinator_account.as_deref().unwrap_or(actor);
                let chair = chair_account.as_deref().unwrap_or(actor);
                let now = chrono::Utc::now();
                let submitted = (start + Duration::days(2)).min(now);
                let approved = (submitted + Duration::days(2 + dice.next(4) as i64)).min(now);
                let submit =
                    |at| store.minutes_step_at(mid, MinutesStep::Submit, None, coordinator, at);
                match state {
                    0 => store.save_minutes(mid, &body, coordinator).await?,
                    1 => {
                        store.save_minutes(mid, &body, coordinator).await?;
                        submit(submitted).await?;
                    }
                    2 => {
                        store.save_minutes(mid, &body, coordinator).await?;
                        submit(submitted).await?;
                        store
                            .minutes_step_at(
                                mid,
                                MinutesStep::Return,
                                Some("Komplettera punkt 3 med beslutet."),
                                chair,
                                approved,
                            )
                            .await?;
                    }
                    3 => {} // no minutes yet
                    _ => {
                        store.save_minutes(mid, &body, coordinator).await?;
                        submit(submitted).await?;
                        store
                            .minutes_step_at(mid, MinutesStep::Approve, None, chair, approved)
                            .await?;
                        if separately && state == 9 {
                            store
                                .minutes_step_at(
                                    mid,
                                    MinutesStep::Publish,
                                    None,
                                    coordinator,
                                    (approved + Duration::days(1)).min(now),
                                )
                                .await?;
                        }
                    }
                }
            }
            n += 1;
            day += Duration::days(55 + dice.next(21) as i64);
        }
    }
    Ok(())
}

/// 09:00 Swedish time on a day, in UTC.
fn chrono_tz_stockholm(day: chrono::NaiveDate, hour: u32) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    let naive = day.and_hms_opt(hour, 0, 0).expect("a valid hour");
    chrono_tz::Europe::Stockholm
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_else(|| chrono::Utc.from_utc_datetime(&naive))
}
