//! `samordna demo generate`: a deterministic register of any size for scale tests
//! and benchmarks (BENCHMARKS.md): councils with charters drafted from the 2026
//! template with realistic deviations (imported through the ordinary import, so
//! the import is measured too), their coordination groups, process teams and
//! subgroups, people and memberships, meetings with agendas and minutes, matters,
//! decisions and actions — with the gaps that give findings of every kind the rules
//! check from data (no chair, no coordinator, too few meetings, minutes missing or
//! not approved, adjuncts over the limit, chair and contact from one administration).
//!
//! Proportions (issue #14): about 15 members per group, 4–8 meetings a year,
//! agendas of 5–10 items, minutes of 2,000–5,000 characters of Swedish text. The
//! same `--groups`, `--years`, `--seed` and day give the same data.

use std::time::Instant;

use anyhow::{Context, Result};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use samordna_domain::decisions::{Basis, Topic};
use samordna_domain::matters::{MatterKind, MatterSource};
use samordna_domain::templates::{AREA, TEMPLATES};
use samordna_store::{sha256_hex, Batch, BulkTable as T, BulkValue as V, Source, Store};

/// What to generate.
pub struct Options {
    /// Groups in all (councils and the groups under them), at least 1.
    pub groups: usize,
    /// Years of meetings, ending at `today`.
    pub years: u32,
    pub seed: u64,
    pub today: NaiveDate,
    /// Draw a progress bar (on a terminal).
    pub progress: bool,
}

/// What was generated, and how fast.
#[derive(Debug, Default)]
pub struct Report {
    pub councils: usize,
    pub groups: usize,
    pub rows: usize,
    pub meetings: usize,
    pub seconds: f64,
    /// The charters' import: all of it, and its first half (a constant rate per
    /// file makes the second half take as long as the first).
    pub import_seconds: f64,
    pub import_first_half_seconds: f64,
}

impl Report {
    /// Rows written per second, the charters' import included.
    pub fn rows_per_second(&self) -> f64 {
        self.rows as f64 / self.seconds.max(1e-9)
    }
}

const ACTOR: &str = "generator";
/// Groups written per transaction.
const GROUPS_PER_BATCH: usize = 25;

const PLACES: [&str; 12] = [
    "Alingsås",
    "Borås",
    "Falköping",
    "Göteborg",
    "Kungälv",
    "Lidköping",
    "Mölndal",
    "Skövde",
    "Trollhättan",
    "Uddevalla",
    "Vänersborg",
    "Östra Göteborg",
];
const ADMINISTRATION_KINDS: [&str; 4] = ["sjukhus", "primärvård", "habilitering", "psykiatri"];
const FIRST: [&str; 24] = [
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Kerstin", "Ingrid", "Emma", "Sofia",
    "Helena", "Johanna", "Lars", "Anders", "Johan", "Per", "Karl", "Erik", "Mikael", "Peter",
    "Jonas", "Fredrik", "Magnus", "Ahmed",
];
const LAST: [&str; 24] = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Jönsson",
    "Lindberg",
    "Jakobsson",
    "Magnusson",
    "Lindström",
    "Olofsson",
    "Lindqvist",
    "Lindgren",
    "Berg",
];
const TITLES: [&str; 6] = [
    "verksamhetschef",
    "sektionschef",
    "överläkare",
    "enhetschef",
    "utvecklingsledare",
    "förvaltningschef",
];
const TOPICS: [&str; 16] = [
    "vårdförlopp",
    "remissflöden",
    "läkemedelsfrågor",
    "kompetensförsörjning",
    "digitala vårdmöten",
    "kvalitetsregister",
    "väntetider",
    "patientsäkerhet",
    "vårdplatser",
    "uppföljning",
    "nära vård",
    "rehabilitering",
    "screening",
    "palliativ vård",
    "journalföring",
    "samverkan",
];
const SENTENCES: [&str; 20] = [
    "Gruppen diskuterade läget i arbetet med {t} och konstaterade att förvaltningarna har kommit olika långt.",
    "Ordföranden redogjorde för det senaste mötet i koncernledningen och vad det innebär för {t}.",
    "Deltagarna lyfte att resurserna för {t} behöver ses över inför nästa verksamhetsår.",
    "Koordinatorn presenterade en sammanställning av remissvaren och de synpunkter som kommit in.",
    "En arbetsgrupp får i uppdrag att ta fram ett förslag till gemensam rutin för {t}.",
    "Frågan om {t} förankras i respektive förvaltnings ledningsgrupp före nästa möte.",
    "Uppföljningen visar att målen för {t} nås i flertalet förvaltningar men inte i alla.",
    "Det framkom att vårdförloppet behöver anpassas efter de regionala förutsättningarna.",
    "Gruppen enades om att sprida de goda exemplen från två förvaltningar till övriga.",
    "Kontaktpersonen informerade om pågående beslut i regionen som berör {t}.",
    "Diskussionen om {t} fortsätter vid nästa möte med underlag från kvalitetsregistret.",
    "Synpunkter på förslaget lämnas till koordinatorn senast två veckor före nästa möte.",
    "Deltagarna rapporterade från sina förvaltningar om läget för {t} och de hinder som finns.",
    "Mötet noterade att facklig samverkan sker inom varje förvaltning innan beslut verkställs.",
    "Ett underlag om {t} skickas ut tillsammans med dagordningen inför nästa möte.",
    "Gruppen konstaterade att frågan ligger utanför rådets mandat och lyfts till kontaktpersonen.",
    "Nationella rekommendationer om {t} har publicerats och behöver omsättas i regionala rutiner.",
    "Läkemedelsfrågorna hanteras i samråd med läkemedelskommittén och terapigruppen.",
    "Statistiken för senaste kvartalet visar en förbättring jämfört med föregående år.",
    "Inga övriga frågor anmäldes och ordföranden tackade för ett konstruktivt möte.",
];
const ITEMS: [&str; 8] = [
    "Mötets öppnande",
    "Föregående mötesanteckningar",
    "Information från koncernledningen",
    "Rapporter från förvaltningarna",
    "Remisser",
    "Uppföljning av {t}",
    "Arbetet med {t}",
    "Övriga frågor",
];

/// A deterministic random source (fastrand's wyrand, seeded).
struct Dice(fastrand::Rng);

impl Dice {
    fn pick<'a>(&mut self, xs: &'a [&'a str]) -> &'a str {
        xs[self.0.usize(..xs.len())]
    }
    fn range(&mut self, lo: usize, hi_incl: usize) -> usize {
        self.0.usize(lo..=hi_incl)
    }
    fn chance(&mut self, p: f64) -> bool {
        self.0.f64() < p
    }
}

/// Ids handed out per table, after the highest already in the database.
struct Ids(std::collections::HashMap<T, i64>);

impl Ids {
    fn next(&mut self, t: T) -> i64 {
        let n = self.0.entry(t).or_insert(0);
        *n += 1;
        *n
    }
}

/// An invented area name, distinct from every other one generated ("lomedilogi").
/// Names generated so far: a near index and the exact keys.
type Seen = (
    samordna_domain::names::NearIndex,
    std::collections::HashSet<String>,
);

fn area(dice: &mut Dice, seen: &mut Seen) -> String {
    const CONS: &[char] = &[
        'b', 'd', 'f', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v',
    ];
    const VOW: &[char] = &['a', 'e', 'i', 'o', 'u', 'y', 'å', 'ä', 'ö'];
    const TAIL: [&str; 4] = ["logi", "vård", "medicin", "kirurgi"];
    loop {
        let mut w = String::new();
        for _ in 0..dice.range(2, 3) {
            w.push(CONS[dice.0.usize(..CONS.len())]);
            w.push(VOW[dice.0.usize(..VOW.len())]);
        }
        w.push_str(dice.pick(&TAIL));
        // Not near any other: the import would rightly take a near spelling for
        // the same council.
        let key = samordna_domain::names::name_key(&format!("samordningsråd {w}"));
        if !seen.1.contains(&key) && seen.0.first_near(&key).is_none() {
            seen.0.push(&key);
            seen.1.insert(key);
            return w;
        }
    }
}

/// A council's charter: the 2026 template for `area` with this council's
/// diarienummer and, for some, a realistic deviation (another meeting frequency,
/// an added duty, not yet decided).
fn charter_text(dice: &mut Dice, area: &str, serial: usize, today: NaiveDate) -> String {
    let template = TEMPLATES
        .iter()
        .find(|t| t.id == "samordningsrad-2026")
        .expect("the 2026 council template");
    // Decided within the two years before `today`, dated the day before.
    let decided = today - Duration::days(dice.range(30, 700) as i64);
    let year = decided.year();
    let mut text = template
        .text()
        .replace(AREA, area)
        .replace("RS 2024-00784", &format!("RS {year}-{:05}", serial + 1))
        .replace(
            "Datum 2026-06-16",
            &format!("Datum {}", decided - Duration::days(1)),
        )
        .replace(
            "Datum för beslut: 2026-06-17",
            &format!("Datum för beslut: {decided}"),
        );
    match dice.range(0, 19) {
        0..=2 => {
            text = text.replace("4 till maximalt 8 ggr/år", "6 till maximalt 10 ggr/år");
        }
        3 => {
            text = text.replace("4 till maximalt 8 ggr/år", "2 till maximalt 4 ggr/år");
        }
        4 | 5 => {
            text = text.replace(
                "- Verka för spridning av goda exempel mellan deltagande utförarförvaltningar.",
                "- Verka för spridning av goda exempel mellan deltagande utförarförvaltningar.\n- Följa upp de nationella vårdförloppen inom området.",
            );
        }
        6 => {
            text = text.replace(
                &format!("Datum för beslut: {decided}"),
                "Datum för beslut: ",
            );
        }
        _ => {}
    }
    text
}

/// The hour on a day in Swedish time, in UTC.
fn at(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    let time = chrono::NaiveTime::from_hms_opt(hour, 0, 0).expect("a valid hour");
    samordna_domain::calendar::local_moment(day, time)
        .expect("no Swedish day skips an hour between 08:00 and 18:00")
}

/// Minutes of 2,000–5,000 characters: one paragraph per agenda item.
fn minutes_body(dice: &mut Dice, items: &[String], topic: &str) -> String {
    let target = dice.range(2000, 5000);
    let mut body = String::with_capacity(target + 200);
    let mut i = 0;
    while body.chars().count() < target {
        let item = &items[i % items.len()];
        body.push_str(&format!("§{} {item}\n", i + 1));
        for _ in 0..dice.range(2, 4) {
            body.push_str(&dice.pick(&SENTENCES).replace("{t}", topic));
            body.push(' ');
        }
        body.push_str("\n\n");
        i += 1;
    }
    body
}

/// The sizes `generate` accepts: at least one group, 1–50 years.
pub fn check_arguments(groups: usize, years: u32) -> Result<()> {
    anyhow::ensure!(groups >= 1, "--groups måste vara minst 1");
    anyhow::ensure!((1..=50).contains(&years), "--years måste vara 1–50");
    Ok(())
}

/// Fills an empty register. Refuses a register with content.
pub async fn generate(store: &Store, o: &Options) -> Result<Report> {
    check_arguments(o.groups, o.years)?;
    if store.counts().await?.organizations > 0 {
        anyhow::bail!("databasen har redan innehåll; data genereras bara i en tom databas");
    }
    let started = Instant::now();
    let mut dice = Dice(fastrand::Rng::with_seed(o.seed));
    let mut ids = Ids(store.bulk_max_ids().await?.into_iter().collect());
    let mut report = Report::default();
    let councils = o.groups.div_ceil(4);
    let bar = ProgressBar::new(o.groups as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} grupper {msg} ({eta} kvar)")
            .expect("a valid progress template")
            .progress_chars("=> "),
    );
    if !o.progress {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let created = at(o.today - Duration::days(365 * o.years as i64 + 30), 8);

    // Administrations.
    let mut batch = Batch::default();
    let mut administrations = Vec::new();
    for place in PLACES {
        for kind in ADMINISTRATION_KINDS {
            let id = ids.next(T::Administrations);
            let name = format!("{} {place}", capitalise(kind));
            batch.push(
                T::Administrations,
                vec![
                    id.into(),
                    samordna_domain::names::slugify(&name).into(),
                    name.into(),
                    V::Null,
                    created.into(),
                ],
            );
            administrations.push(id);
        }
    }
    report.rows += store.bulk_write(batch).await?;

    // Councils: charters through the import, as an operator would read them in.
    bar.set_message("uppdragshandlingar");
    let mut seen = Seen::default();
    let mut areas = Vec::with_capacity(councils);
    let mut slugs = Vec::with_capacity(councils);
    let mut cache = samordna_store::ImportCache::default();
    let importing = Instant::now();
    for i in 0..councils {
        if i == councils / 2 {
            report.import_first_half_seconds = importing.elapsed().as_secs_f64();
        }
        let a = area(&mut dice, &mut seen);
        let text = charter_text(&mut dice, &a, i, o.today);
        let doc = samordna_domain::parse_charter(&text)
            .map_err(|e| anyhow::anyhow!("genererad uppdragshandling {i}: {e}"))?;
        let name = format!("sor-{i:05}.txt");
        let outcome = store
            .import_charter_with(
                &mut cache,
                &doc,
                &Source {
                    name: &name,
                    text: &text,
                    file: None,
                },
                ACTOR,
            )
            .await
            .with_context(|| format!("kunde inte importera {name}"))?;
        report.rows += 2;
        slugs.push(outcome.organization_slug);
        areas.push(a);
        bar.set_message(format!("uppdragshandling {}/{councils}", i + 1));
    }
    report.councils = councils;
    report.import_seconds = importing.elapsed().as_secs_f64();
    let by_slug: std::collections::HashMap<String, i64> = store
        .organizations()
        .await?
        .into_iter()
        .map(|org| (org.slug, org.id))
        .collect();
    let council_ids: Vec<i64> = slugs
        .iter()
        .map(|slug| {
            by_slug
                .get(slug)
                .copied()
                .with_context(|| format!("rådet {slug} saknas efter importen"))
        })
        .collect::<Result<_>>()?;
    ids.0.insert(
        T::Organizations,
        by_slug.values().copied().max().unwrap_or(0),
    );

    // People: a pool the groups draw their members from (people sit in several).
    let people_count = (o.groups * 10).max(20);
    let first_person = ids.0.get(&T::People).copied().unwrap_or(0) + 1;
    let mut batch = Batch::default();
    for n in 0..people_count {
        let id = ids.next(T::People);
        let (f, l) = (dice.pick(&FIRST), dice.pick(&LAST));
        batch.push(
            T::People,
            vec![
                id.into(),
                format!("{f} {l}").into(),
                dice.pick(&TITLES).into(),
                format!("{}.{}{n}@example.se", f.to_lowercase(), l.to_lowercase()).into(),
                V::Null,
                administrations[n % administrations.len()].into(),
                created.into(),
            ],
        );
        if batch.len() >= 5000 {
            report.rows += store.bulk_write(std::mem::take(&mut batch)).await?;
        }
    }
    report.rows += store.bulk_write(batch).await?;
    let person = |dice: &mut Dice| first_person + dice.0.i64(0..people_count as i64);
    let admin_of = |p: i64| administrations[((p - first_person) as usize) % administrations.len()];

    // Every group: councils first, then the groups under them.
    let mut batch = Batch::default();
    let kinds = [
        ("samordningsgrupp", "Samordningsgrupp"),
        ("regionalt_processteam", "Regionalt processteam"),
        ("undergrupp", "Arbetsgrupp"),
    ];
    for g in 0..o.groups {
        let (org, topic) = if g < councils {
            (council_ids[g], dice.pick(&TOPICS).to_string())
        } else {
            let parent = council_ids[g % councils];
            let (kind, label) = kinds[dice.range(0, kinds.len() - 1)];
            let topic = dice.pick(&TOPICS);
            let id = ids.next(T::Organizations);
            let name = format!("{label} {topic} {}", areas[g % councils]);
            let slug = format!("{}-{id}", samordna_domain::names::slugify(&name));
            batch.push(
                T::Organizations,
                vec![
                    id.into(),
                    slug.into(),
                    name.into(),
                    V::Null,
                    kind.into(),
                    V::Text(areas[g % councils].clone()),
                    parent.into(),
                    "active".into(),
                    created.into(),
                ],
            );
            (id, topic.to_string())
        };
        let council = g < councils;
        group(
            &mut dice,
            &mut ids,
            &mut batch,
            o,
            org,
            council,
            &topic,
            &person,
            &admin_of,
            &mut report,
        );
        report.groups += 1;
        bar.inc(1);
        if (g + 1) % GROUPS_PER_BATCH == 0 {
            bar.set_message(format!("{} rader", report.rows + batch.len()));
            report.rows += store.bulk_write(std::mem::take(&mut batch)).await?;
        }
    }
    report.rows += store.bulk_write(batch).await?;
    bar.set_message("index och statistik");
    store.bulk_finish().await?;
    bar.finish_and_clear();
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// One group's members, meetings, agendas, minutes, matters, decisions and actions.
#[allow(clippy::too_many_arguments)]
fn group(
    dice: &mut Dice,
    ids: &mut Ids,
    batch: &mut Batch,
    o: &Options,
    org: i64,
    council: bool,
    topic: &str,
    person: &dyn Fn(&mut Dice) -> i64,
    admin_of: &dyn Fn(i64) -> i64,
    report: &mut Report,
) {
    let since = o.today - Duration::days(365 * o.years as i64);
    let created = at(since, 8);
    // Members: about 15; a few groups lack a chair or coordinator, some councils
    // have too many adjuncts or chair and contact from one administration.
    let mut roles: Vec<&str> = Vec::new();
    if !dice.chance(0.04) {
        roles.push("ordforande");
    }
    if !dice.chance(0.05) {
        roles.push("koordinator");
    }
    if council && !dice.chance(0.05) {
        roles.push("kontaktperson");
    }
    let adjuncts = if dice.chance(0.05) {
        4
    } else {
        dice.range(0, 2)
    };
    roles.extend(std::iter::repeat_n("adjungerad", adjuncts));
    let participants = dice.range(10, 14);
    roles.extend(std::iter::repeat_n("deltagare", participants));
    let mut members = Vec::with_capacity(roles.len());
    let mut represented = Vec::new();
    let mut chair_admin = None;
    for role in roles {
        let mut p = person(dice);
        if role == "kontaktperson" && dice.chance(0.1) {
            // Chair and contact person from one administration (a finding).
            if let Some(a) = chair_admin {
                while admin_of(p) != a {
                    p = person(dice);
                }
            }
        }
        if role == "ordforande" {
            chair_admin = Some(admin_of(p));
        }
        let start = since - Duration::days(dice.range(0, 400) as i64);
        let end = if role == "deltagare" && dice.chance(0.1) {
            Some(o.today - Duration::days(dice.range(30, 300) as i64))
        } else {
            None
        };
        let id = ids.next(T::Memberships);
        batch.push(
            T::Memberships,
            vec![
                id.into(),
                p.into(),
                org.into(),
                role.into(),
                if role == "deltagare" {
                    V::Int(admin_of(p))
                } else {
                    V::Null
                },
                (role == "deltagare" || role == "ordforande").into(),
                if role == "deltagare" && !dice.chance(0.01) {
                    V::from("förvaltningschef")
                } else {
                    V::Null
                },
                start.into(),
                end.into(),
                created.into(),
            ],
        );
        members.push(p);
        if role == "deltagare" {
            represented.push(admin_of(p));
        }
    }
    represented.sort_unstable();
    represented.dedup();
    // Matters: a few a year.
    let kinds = MatterKind::ALL;
    let mut matters = Vec::new();
    for y in 0..o.years {
        for _ in 0..dice.range(1, 4) {
            let kind = kinds[dice.0.usize(..kinds.len())];
            let statuses = kind.statuses();
            let status = if y + 1 < o.years {
                statuses[statuses.len() - 2]
            } else {
                statuses[dice.0.usize(..statuses.len())]
            };
            let opened = since + Duration::days(365 * y as i64 + dice.range(0, 300) as i64);
            let id = ids.next(T::Matters);
            let title = format!(
                "{} {} ({id})",
                capitalise(topic),
                dice.pick(&["remiss", "rutin", "uppföljning", "införande", "nominering"])
            );
            batch.push(
                T::Matters,
                vec![
                    id.into(),
                    org.into(),
                    kind.as_str().into(),
                    title.into(),
                    V::from(format!("Ärendet gäller {topic} inom gruppens område.")),
                    status.as_str().into(),
                    MatterSource::ALL[dice.0.usize(..MatterSource::ALL.len())]
                        .as_str()
                        .into(),
                    members[dice.0.usize(..members.len())].into(),
                    (opened + Duration::days(90)).into(),
                    at(opened, 9).into(),
                    at(opened, 9).into(),
                ],
            );
            matters.push(id);
        }
    }
    // Meetings: 4–8 a year, fewer for a few groups (meeting-frequency).
    let few = dice.chance(0.05);
    for y in 0..o.years {
        let per_year = if few {
            dice.range(1, 3)
        } else {
            dice.range(4, 8)
        };
        let year_start = since + Duration::days(365 * y as i64);
        for m in 0..per_year {
            let day = year_start + Duration::days((m * 365 / per_year + dice.range(0, 20)) as i64);
            let held = day < o.today;
            let cancelled = held && dice.chance(0.03);
            let mid = ids.next(T::Meetings);
            report.meetings += 1;
            let hour = 9 + dice.range(0, 4) as u32;
            batch.push(
                T::Meetings,
                vec![
                    mid.into(),
                    org.into(),
                    "ordinary".into(),
                    at(day, hour).into(),
                    at(day, hour + 2).into(),
                    V::from(format!("Regionens hus, {}", dice.pick(&PLACES))),
                    (if cancelled {
                        "cancelled"
                    } else if held {
                        "held"
                    } else {
                        "planned"
                    })
                    .into(),
                    if cancelled {
                        V::from("För få deltagare kunde delta.")
                    } else {
                        V::Null
                    },
                    format!("gen-{mid}@samordna").into(),
                    (held || dice.chance(0.5)).into(),
                    at(day - Duration::days(60), 8).into(),
                    at(day - Duration::days(60), 8).into(),
                ],
            );
            if cancelled {
                continue;
            }
            // The agenda: 5–10 items, some concerning a matter.
            let n_items = dice.range(5, 10);
            let mut titles = Vec::with_capacity(n_items);
            let mut item_ids = Vec::with_capacity(n_items);
            for pos in 0..n_items {
                let title = ITEMS[pos.min(ITEMS.len() - 1)].replace("{t}", topic);
                let aid = ids.next(T::AgendaItems);
                let matter = (pos >= 4 && !matters.is_empty() && dice.chance(0.5))
                    .then(|| matters[dice.0.usize(..matters.len())]);
                batch.push(
                    T::AgendaItems,
                    vec![
                        aid.into(),
                        mid.into(),
                        (pos as i64 + 1).into(),
                        title.clone().into(),
                        V::Null,
                        (dice.range(1, 6) as i64 * 5).into(),
                        matter.into(),
                        at(day - Duration::days(14), 8).into(),
                    ],
                );
                titles.push(title);
                item_ids.push((aid, matter));
            }
            if !held {
                continue;
            }
            // Decisions: up to two a meeting; some outside the mandate.
            for k in 0..dice.range(0, 2) {
                let did = ids.next(T::Decisions);
                let (aid, matter) = item_ids[(4 + k).min(item_ids.len() - 1)];
                let (basis, topic_kind) = if dice.chance(0.01) {
                    (
                        Basis::MemberMandates,
                        Topic::OrganisationAndWorkingConditions,
                    )
                } else if dice.chance(0.2) {
                    (Basis::ChairMandate, Topic::RegionalRoutine)
                } else {
                    (Basis::MemberMandates, Topic::OwnArea)
                };
                let text =
                    format!("Gruppen beslutar att införa gemensam rutin för {topic} ({did}).");
                let sha = sha256_hex(&text);
                batch.push(
                    T::Decisions,
                    vec![
                        did.into(),
                        org.into(),
                        mid.into(),
                        aid.into(),
                        matter.into(),
                        V::Text(text),
                        V::Text(sha),
                        basis.as_str().into(),
                        topic_kind.as_str().into(),
                        day.into(),
                        ACTOR.into(),
                        at(day, hour + 2).into(),
                    ],
                );
                if basis == Basis::MemberMandates {
                    // The administrations the participants represent; now and then
                    // one nobody represents (outside the mandate).
                    let mut admins: Vec<i64> = represented.iter().take(6).copied().collect();
                    if dice.chance(0.01) {
                        admins.push(admin_of(person(dice)));
                        admins.sort_unstable();
                        admins.dedup();
                    }
                    for a in admins {
                        let anchored = dice.chance(0.9) && day + Duration::days(30) < o.today;
                        batch.push(
                            T::DecisionAdministrations,
                            vec![
                                did.into(),
                                a.into(),
                                anchored.then(|| day + Duration::days(21)).into(),
                                anchored.then(|| day + Duration::days(14)).into(),
                                anchored.then_some(ACTOR).into(),
                                anchored.then(|| at(day + Duration::days(21), 9)).into(),
                            ],
                        );
                    }
                }
                if dice.chance(0.6) {
                    let done = day + Duration::days(60) < o.today && dice.chance(0.8);
                    batch.push(
                        T::Actions,
                        vec![
                            ids.next(T::Actions).into(),
                            org.into(),
                            format!("Genomföra beslutet om {topic} ({did})").into(),
                            members[dice.0.usize(..members.len())].into(),
                            (day + Duration::days(45)).into(),
                            (if done { "done" } else { "open" }).into(),
                            mid.into(),
                            did.into(),
                            matter.into(),
                            done.then(|| at(day + Duration::days(40), 10)).into(),
                            ACTOR.into(),
                            at(day, hour + 2).into(),
                        ],
                    );
                }
            }
            // Minutes: approved for most; recent ones still drafts, sent in, or missing.
            let age = (o.today - day).num_days();
            let state = if age < 21 {
                dice.range(0, 2)
            } else if dice.chance(0.03) {
                dice.range(0, 1)
            } else {
                3
            };
            if state == 0 {
                continue;
            }
            let body = minutes_body(dice, &titles, topic);
            let chair = members[0];
            let (status, submitted, approved) = match state {
                1 => ("draft", None, None),
                2 => ("submitted", Some(at(day + Duration::days(7), 10)), None),
                _ => (
                    if dice.chance(0.98) {
                        "published"
                    } else {
                        "approved"
                    },
                    Some(at(day + Duration::days(7), 10)),
                    Some(at(day + Duration::days(14), 10)),
                ),
            };
            let published = approved.filter(|_| status == "published");
            batch.push(
                T::Minutes,
                vec![
                    ids.next(T::Minutes).into(),
                    mid.into(),
                    1i64.into(),
                    status.into(),
                    body.into(),
                    submitted.into(),
                    submitted
                        .map(|_| format!("person-{}", members[1.min(members.len() - 1)]))
                        .into(),
                    approved.into(),
                    approved.map(|_| format!("person-{chair}")).into(),
                    published.into(),
                    at(day + Duration::days(2), 10).into(),
                ],
            );
        }
    }
}
