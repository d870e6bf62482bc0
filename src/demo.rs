//! `serve --demo`: the bundled seed documents, imported into an empty database.

use anyhow::{Context, Result};
use samordna_domain::calendar::swedish_date;
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
            .import_charter(
                &doc,
                &Source {
                    name,
                    text,
                    file: None,
                },
                "demo",
            )
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
    use samordna_domain::decisions::{Basis, Topic};
    use samordna_domain::meetings::{MeetingKind, MinutesStep};
    use samordna_domain::policy::MembershipRole;
    use samordna_store::{MeetingFields, MembershipFields, NewAccount, NewDecision, PersonFields};

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
    let today = swedish_date(Utc::now());
    let since = NaiveDate::from_ymd_opt(today.year() - 2, 1, 1).unwrap_or(today);
    let mut accounts: Vec<GroupDemo> = Vec::new();
    // The councils the neonatal group informs have a chair and a coordinator,
    // so that its decisions reach them.
    for o in orgs.iter().filter(|o| {
        o.placeholder
            && o.kind == samordna_domain::OrgKind::Samordningsrad
            && o.slug != "samordningsrad-barn"
    }) {
        for role in [MembershipRole::Ordforande, MembershipRole::Koordinator] {
            let name = person(&mut dice);
            join(
                store,
                &PersonFields {
                    name: name.clone(),
                    email: Some(email(&name)),
                    administration_id: Some(
                        adms[if role == MembershipRole::Koordinator {
                            9
                        } else {
                            0
                        }],
                    ),
                    ..Default::default()
                },
                MembershipFields {
                    person_id: 0,
                    organization_id: o.id,
                    role,
                    on_behalf_of_id: None,
                    voting_right: role.votes_by_default(),
                    appointed_by: Some(if role == MembershipRole::Ordforande {
                        "Ledningsgrupp hälso- och sjukvård".into()
                    } else {
                        "Koncernkontoret".into()
                    }),
                    start_date: since,
                    end_date: None,
                },
            )
            .await?;
        }
    }
    for (gi, g) in groups.iter().enumerate() {
        // One group publishes approved minutes in a step of its own.
        if g.kind == samordna_domain::OrgKind::Samordningsgrupp {
            store
                .set_publish_minutes_separately(g.id, true, actor)
                .await?;
        }
        let mut members: Vec<(MembershipRole, i64)> = Vec::new();
        let mut participant_adms: Vec<i64> = Vec::new();
        let mut chair_adm: Option<i64> = None;
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
        // (group 1), too many adjuncts and no coordinator (3), a participant not
        // appointed by the head of administration and two chairs (4), a chair appointed
        // by the wrong body (2), too few meetings
        // last year (0: the one group whose charter was in force all of last year).
        let mut roles = roles.to_vec();
        if gi == 3 {
            roles.extend([MembershipRole::Adjungerad; 3]);
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
            let pid = join(store, &PersonFields {
                        name: name.clone(),
                        title: Some(title.into()),
                        email: Some(email(&name)),
                        phone: None,
                        administration_id: Some(adm),
                    }, MembershipFields { person_id: 0,
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
                    }).await?;
            // The chair and the coordinator of every group have accounts, so that
            // the minutes are submitted and approved by them; all sign in with
            // the demo password (one hash, computed once).
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
                            password_hash: Some(hash.as_str()),
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
            if *role == MembershipRole::Deltagare && !participant_adms.contains(&adm) {
                participant_adms.push(adm);
            }
            if *role == MembershipRole::Ordforande {
                chair_adm.get_or_insert(adm);
            }
        }
        accounts.push(GroupDemo {
            org: g.clone(),
            members: members.clone(),
            chair: chair_account.clone(),
            coordinator: coordinator_account.clone(),
        });
        // A former member, to show history.
        let name = person(&mut dice);
        join(
            store,
            &PersonFields {
                name,
                administration_id: Some(adms[gi % adms.len()]),
                ..Default::default()
            },
            MembershipFields {
                person_id: 0,
                organization_id: g.id,
                role: MembershipRole::Deltagare,
                on_behalf_of_id: Some(adms[gi % adms.len()]),
                voting_right: true,
                appointed_by: None,
                start_date: since,
                end_date: Some(since + Duration::days(300)),
            },
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
            let start = swedish_hour(held_on, 9);
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
            let mut items = Vec::new();
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
                    let item = store
                        .add_agenda_item(
                            mid,
                            title,
                            (i == 0).then_some("Ordförande"),
                            Some(10 + 5 * i as i64),
                            actor,
                        )
                        .await?;
                    items.push(item);
                }
            }
            let past = held_on < today;
            // Decisions are recorded in the minutes, before they are approved.
            if past && n != 3 {
                // Under "Aktuellt från förvaltningarna" (§ 3), which the minutes have.
                let item = items[2.min(items.len() - 1)];
                let coordinator = coordinator_account.as_deref().unwrap_or(actor);
                let mut decided: Vec<(String, Basis, Topic, Vec<i64>)> = Vec::new();
                if n % 2 == 0 && !participant_adms.is_empty() {
                    // Binding a participant's administration and the chair's: the
                    // chair (a demo account) has anchoring to do on recent ones.
                    let mut binds = vec![participant_adms[0]];
                    binds.extend(chair_adm.filter(|a| *a != participant_adms[0]));
                    let text = DECISIONS[(gi + n) % DECISIONS.len()];
                    decided.push((text.into(), Basis::MemberMandates, Topic::OwnArea, binds));
                }
                if n % 4 == 1 {
                    decided.push((
                        "Regional rutin för överrapportering mellan akutmottagning och vårdavdelning fastställs.".into(),
                        Basis::ChairMandate,
                        Topic::RegionalRoutine,
                        Vec::new(),
                    ));
                }
                // On purpose: a council decides what no mandate covers (and never
                // escalates it); the neonatal group records one it escalates.
                let neonatal = g.kind == samordna_domain::OrgKind::Samordningsgrupp;
                if (g.slug == "samordningsrad-onkologi" && n == 2) || (neonatal && n == 4) {
                    let text =
                        "Gemensamma riktlinjer för bemanning av jourlinjer mellan förvaltningarna.";
                    decided.push((text.into(), Basis::NotStated, Topic::OwnArea, Vec::new()));
                }
                for (text, basis, topic, binds) in decided {
                    let d = NewDecision {
                        meeting_id: mid,
                        agenda_item_id: Some(item),
                        matter_id: None,
                        text,
                        basis,
                        topic,
                        binds,
                    };
                    store.record_decision(&d, coordinator).await?;
                }
            }
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
    follow_up(store, &accounts, today).await?;
    distribute(store).await?;
    Ok(())
}

/// The councils' charters in force were sent to their distribution lists through
/// Samordna, delivered the day after the decision; neurologi's never reached its
/// coordinator, on purpose (`charter-distribution`).
async fn distribute(store: &Store) -> Result<()> {
    use chrono::Duration;
    for org in store.organizations().await? {
        if !org.kind.is_governance_group() || org.placeholder {
            continue;
        }
        let versions = store.charter_versions(Some(org.id)).await?;
        let Some(v) = samordna_store::in_force(&versions) else {
            continue;
        };
        let rows = store.distribute_charter(org.id, v.version, "demo").await?;
        let at = v
            .decision_date
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .map(|d| d.and_utc() + Duration::days(1))
            .unwrap_or_else(chrono::Utc::now)
            .min(chrono::Utc::now());
        for r in rows {
            let broken = org.slug == "samordningsrad-neurologi"
                && r.role == Some(samordna_domain::policy::MembershipRole::Koordinator);
            if r.kind == samordna_store::DistributionKind::Mail && !broken {
                store.distribution_delivered(r.id, "demo", at).await?;
            }
        }
    }
    // The queued mail of history is done: it was sent at the time, or (the one
    // broken on purpose) never arrived.
    for job in store.jobs().await? {
        if job.kind == "mail.charter_distribution" && job.done_at.is_none() {
            store.complete_job(job.id).await?;
        }
    }
    Ok(())
}

/// Creates a person and their membership in one group; returns the person.
async fn join(
    store: &Store,
    person: &samordna_store::PersonFields,
    mut membership: samordna_store::MembershipFields,
) -> Result<i64> {
    let pid = store.create_person(person, "demo").await?;
    membership.person_id = pid;
    store.create_membership(&membership, "demo").await?;
    Ok(pid)
}

/// 09:00 Swedish time on a day, in UTC.
fn swedish_hour(day: chrono::NaiveDate, hour: u32) -> chrono::DateTime<chrono::Utc> {
    let time = chrono::NaiveTime::from_hms_opt(hour, 0, 0).expect("a valid hour");
    samordna_domain::calendar::local_moment(day, time)
        .expect("no Swedish day skips an hour between 08:00 and 18:00")
}

/// A demo group as `populate` made it: its members and the accounts of its chair
/// and coordinator (`account:N`, the actor of their steps).
struct GroupDemo {
    org: samordna_store::Organization,
    members: Vec<(samordna_domain::policy::MembershipRole, i64)>,
    chair: Option<String>,
    coordinator: Option<String>,
}

/// A demo matter: kind, title, source, due in days, statuses it moves through.
type MatterSample = (
    samordna_domain::matters::MatterKind,
    String,
    samordna_domain::matters::MatterSource,
    Option<i64>,
    Vec<samordna_domain::matters::MatterStatus>,
);

/// What the demo's groups decide on their members' mandates.
const DECISIONS: [&str; 5] = [
    "Gemensam rutin för överrapportering mellan akutmottagning och vårdavdelning införs i förvaltningarna.",
    "Gemensam mall för patientinformation om vårdförloppet används i alla förvaltningar från nästa kvartal.",
    "Förvaltningarna inför gemensamma kvalitetsindikatorer för området enligt bilaga.",
    "Utbildningsinsats för nya medarbetare genomförs gemensamt under hösten.",
    "Förvaltningarna följer upp väntetiderna med samma mått och redovisar dem vid varje möte.",
];

/// Matters of every kind, escalations answered and open, anchoring partly done,
/// actions carried between meetings, and decisions told to the bodies the charter
/// names — except one notice that never arrived, on purpose.
async fn follow_up(store: &Store, groups: &[GroupDemo], today: chrono::NaiveDate) -> Result<()> {
    use chrono::Duration;
    use samordna_domain::decisions::{suggested_target, Basis, Target, Topic};
    use samordna_domain::matters::{ActionStatus, MatterKind, MatterSource, MatterStatus};
    use samordna_domain::policy::MembershipRole;
    use samordna_store::{ActionFields, DecisionFilter, MatterFields, NewEscalation};

    let actor = "demo";
    if groups.is_empty() {
        return Ok(());
    }
    let person =
        |g: &GroupDemo, r: MembershipRole| g.members.iter().find(|(x, _)| *x == r).map(|(_, p)| *p);
    let neonatal = groups
        .iter()
        .position(|g| g.org.kind == samordna_domain::OrgKind::Samordningsgrupp)
        .unwrap_or(0);
    let area = |g: &GroupDemo| g.org.area.clone().unwrap_or_else(|| g.org.name.clone());
    // (kind, title, source, due in days, statuses to move through)
    let samples: Vec<MatterSample> = {
        use MatterStatus::*;
        vec![
            (
                MatterKind::Remissvar,
                "Remiss: nationellt kliniskt kunskapsstöd".into(),
                MatterSource::National,
                Some(45),
                vec![Preparing],
            ),
            (
                MatterKind::Vardforlopp,
                "Vårdförlopp: regional tillämpning och uppföljning".into(),
                MatterSource::National,
                None,
                vec![Adopted, FollowingUp],
            ),
            (
                MatterKind::ProcessTeam,
                "Regionalt processteam leds av rådet".into(),
                MatterSource::OwnInitiative,
                None,
                vec![InProgress],
            ),
            (
                MatterKind::Utvecklingsarbete,
                "Gemensam uppföljning av väntetider".into(),
                MatterSource::OwnInitiative,
                Some(120),
                vec![Prioritised, InProgress],
            ),
            (
                MatterKind::UppdragLedningsgrupp,
                "Uppdrag från ledningsgruppen: kartläggning av vårdplatser".into(),
                MatterSource::Ledningsgrupp,
                Some(30),
                vec![InProgress],
            ),
            (
                MatterKind::NomineringNpo,
                "Nominering av ledamot till nationellt programområde".into(),
                MatterSource::National,
                Some(20),
                vec![Preparing],
            ),
            (
                MatterKind::GodaExempel,
                "Spridning av digitala återbesök mellan förvaltningarna".into(),
                MatterSource::OwnInitiative,
                None,
                vec![InProgress, Done],
            ),
            (
                MatterKind::Millennium,
                "Beslutsunderlag: neonatala vårdprocesser i Millennium".into(),
                MatterSource::Other,
                Some(60),
                vec![InProgress],
            ),
            (
                MatterKind::StyrandeDokument,
                "Revidering av regional riktlinje".into(),
                MatterSource::OwnInitiative,
                Some(90),
                vec![Preparing],
            ),
            (
                MatterKind::RegionalRutin,
                "Regional rutin för remisshantering".into(),
                MatterSource::OwnInitiative,
                None,
                vec![],
            ),
            (
                MatterKind::PprGenomforande,
                "Genomförande av PPR:s prioritering av ny behandling".into(),
                MatterSource::Ppr,
                Some(75),
                vec![InProgress],
            ),
            (
                MatterKind::Other,
                "Gemensam kompetensförsörjning".into(),
                MatterSource::Other,
                None,
                vec![],
            ),
        ]
    };
    let mut matters = Vec::new();
    for (k, (kind, title, source, due, steps)) in samples.into_iter().enumerate() {
        let gi = if kind == MatterKind::Millennium {
            neonatal
        } else {
            k % groups.len()
        };
        let g = &groups[gi];
        let id = store
            .create_matter(
                &MatterFields {
                    organization_id: g.org.id,
                    kind,
                    title: format!("{title} ({})", area(g)),
                    description: Some(
                        "Ärendet bereds av koordinatorn tillsammans med ordföranden.".into(),
                    ),
                    source,
                    owner_person_id: person(g, MembershipRole::Koordinator)
                        .or(person(g, MembershipRole::Ordforande)),
                    due_on: due.map(|d| today + Duration::days(d)),
                },
                actor,
            )
            .await?;
        for to in steps {
            let m = store.matter(id).await?.context("ärendet finns")?;
            store.move_matter(id, m.row_version, to, actor).await?;
        }
        matters.push((gi, id));
    }
    // The latest held meeting of each group discussed its first matter.
    let mut acted = std::collections::HashSet::new();
    for (gi, matter) in &matters {
        let g = &groups[*gi];
        let Some(meeting) = store
            .meetings(Some(g.org.id))
            .await?
            .into_iter()
            .rfind(|m| {
                swedish_date(m.fields.starts_at) < today
                    && m.state != samordna_domain::meetings::MeetingState::Cancelled
            })
        else {
            continue;
        };
        if let Some(item) = store.agenda(meeting.id).await?.last() {
            if item.title.starts_with("Vårdförlopp") || item.title.starts_with("Övriga") {
                store
                    .set_agenda_item_matter(
                        item.id,
                        Some(*matter),
                        Some("Läget redovisades; arbetet fortsätter."),
                        actor,
                    )
                    .await?;
            }
        }
        // An action from that meeting, open until the next; one done before it
        // (once per group).
        if !acted.insert(*gi) {
            continue;
        }
        let owner =
            person(g, MembershipRole::Koordinator).or(person(g, MembershipRole::Ordforande));
        let open = store
            .create_action(
                &ActionFields {
                    organization_id: g.org.id,
                    title: "Sammanställ förvaltningarnas synpunkter till nästa möte".into(),
                    owner_person_id: owner,
                    due_on: Some(if *gi == 1 {
                        today - Duration::days(10)
                    } else {
                        today + Duration::days(30)
                    }),
                    meeting_id: Some(meeting.id),
                    decision_id: None,
                    matter_id: Some(*matter),
                },
                actor,
            )
            .await?;
        let _ = open;
        let done = store
            .create_action(
                &ActionFields {
                    organization_id: g.org.id,
                    title: "Skicka ut underlag inför mötet".into(),
                    owner_person_id: person(g, MembershipRole::Ordforande),
                    due_on: Some(swedish_date(meeting.fields.starts_at) - Duration::days(7)),
                    meeting_id: Some(meeting.id),
                    decision_id: None,
                    matter_id: None,
                },
                actor,
            )
            .await?;
        store.end_action(done, ActionStatus::Done, actor).await?;
    }

    // Escalations. The neonatal group takes the question no mandate covered to
    // its council's chair, who answers it.
    let neo = &groups[neonatal];
    let barn = groups.iter().find(|g| g.org.slug == "samordningsrad-barn");
    let unmandated = store
        .decisions(&DecisionFilter {
            organization_id: Some(neo.org.id),
            basis: Some(Basis::NotStated),
            ..Default::default()
        })
        .await?;
    if let (Some(d), Some(barn)) = (unmandated.first(), barn) {
        let target = suggested_target(neo.org.kind, true, Topic::OwnArea);
        let id = store
            .escalate(
                &NewEscalation {
                    organization_id: neo.org.id,
                    decision_id: Some(d.id),
                    matter_id: None,
                    topic: Topic::OwnArea,
                    target,
                    suggested_target: target,
                    target_organization_id: Some(barn.org.id),
                    target_person_id: None,
                    deviation_reason: None,
                    question: "Jourlinjernas bemanning berör flera förvaltningar och ryms inte i ledamöternas mandat. Kan rådet ta frågan vidare?".into(),
                },
                neo.coordinator.as_deref().unwrap_or(actor),
            )
            .await?;
        store
            .answer_escalation(
                id,
                "Rådet tar upp frågan på sitt nästa möte och för den vidare till kontaktpersonen i ledningsgruppen.",
                barn.chair.as_deref().unwrap_or(actor),
            )
            .await?;
    }
    // A council asks its contact person (open), and on purpose takes a new
    // treatment there instead of to PPR, with its reason.
    for (gi, topic, question, reason) in [
        (3usize, Topic::OwnArea, "Behöver rådet ledningsgruppens stöd för gemensam uppföljning av väntetider?", None),
        (2, Topic::NewDrugOrMethod, "Hur ska förvaltningarna införa den nya behandlingen, som får stora ekonomiska konsekvenser?", Some("Kontaktpersonen bad att få frågan först.")),
    ] {
        let Some(g) = groups.get(gi) else { continue };
        let Some(&(_, matter)) = matters.iter().find(|(i, _)| *i == gi) else { continue };
        let suggested = suggested_target(g.org.kind, g.org.reports_to_id.is_some(), topic);
        store
            .escalate(
                &NewEscalation {
                    organization_id: g.org.id,
                    decision_id: None,
                    matter_id: Some(matter),
                    topic,
                    target: Target::ContactPerson,
                    suggested_target: suggested,
                    target_organization_id: None,
                    target_person_id: person(g, MembershipRole::Kontaktperson),
                    deviation_reason: reason.filter(|_| suggested != Target::ContactPerson).map(str::to_string),
                    question: question.into(),
                },
                g.coordinator.as_deref().unwrap_or(actor),
            )
            .await?;
    }

    // Anchoring: older decisions anchored everywhere, recent ones in part.
    for g in groups {
        for d in store
            .decisions(&DecisionFilter {
                organization_id: Some(g.org.id),
                ..Default::default()
            })
            .await?
        {
            let old = d.decided_on + Duration::days(90) < today;
            // One council's older decisions are anchored in part, for the log's filter.
            let partly = g.org.slug == "samordningsrad-neurologi";
            for (i, a) in d.binds.iter().enumerate() {
                if (old && !partly) || i == 0 {
                    store
                        .record_anchoring(
                            d.id,
                            a.administration_id,
                            Some(d.decided_on + Duration::days(14)),
                            old.then_some(d.decided_on + Duration::days(21)),
                            actor,
                        )
                        .await?;
                }
            }
        }
    }

    // The notices of past decisions were sent at the time; one to SOR anestesi
    // never arrived, so the neonatal group's first decision is not communicated.
    let mut broken = false;
    for job in store
        .jobs()
        .await?
        .into_iter()
        .filter(|j| j.kind == "mail.decision_notice" && j.done_at.is_none())
    {
        let (Some(d), Some(o)) = (
            job.payload["decision_id"].as_i64(),
            job.payload["organization_id"].as_i64(),
        ) else {
            continue;
        };
        let body = store.organization(o).await?.context("mottagaren finns")?;
        if !broken && body.name.contains("anestesi") {
            broken = true;
        } else {
            // Delivered the day after the minutes were approved.
            let meeting = job.payload["meeting_id"].as_i64().unwrap_or_default();
            let approved = store
                .minutes(meeting)
                .await?
                .iter()
                .filter_map(|v| v.approved_at)
                .min()
                .unwrap_or_else(chrono::Utc::now);
            let at = (approved + Duration::days(1)).min(chrono::Utc::now());
            store.notification_delivered(d, o, "demo", at).await?;
        }
        store.complete_job(job.id).await?;
    }
    Ok(())
}
