//! `samordna`: the register, rules and intranet portal for a region's
//! cross-organisational governance groups. One binary, several subcommands.
//!
//! Errors: `anyhow` with context here at the edge; the library crates use
//! `thiserror` types.

// The doc comments of the CLI are its --help text, read in a terminal: bare URLs
// stay bare there.
#![allow(rustdoc::bare_urls)]

mod archive;
mod backup;
mod check;
mod demo;
mod generate;
mod import;
mod search;

use samordna_domain::calendar::swedish_date;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::Datelike;
use clap::{Parser, Subcommand};
use samordna_store::Store;

#[derive(Parser)]
#[command(
    name = "samordna",
    version,
    about = "Register och intranätsportal för koncernövergripande grupper"
)]
struct Cli {
    /// Databas: sqlite://FIL (standard) eller postgres://…
    #[arg(
        long,
        global = true,
        env = "SAMORDNA_DB",
        default_value = "sqlite://samordna.db"
    )]
    db: String,
    #[command(subcommand)]
    command: Command,
}

// Parsed once at start: the size of the serve variant does not matter.
#[allow(clippy::large_enum_variant)]
/// The region's defaults for the settings a group may override in the portal.
#[derive(clap::Args, Debug, Clone, Copy)]
struct RegionArgs {
    /// Regionens standard: dagar efter ett möte inom vilka anteckningarna ska justeras.
    #[arg(long, env = "SAMORDNA_MINUTES_OVERDUE_DAYS", default_value_t = 14)]
    minutes_overdue_days: i64,
    /// Regionens standard: så många adjungerade får en grupp ha innan regeln varnar.
    #[arg(long, env = "SAMORDNA_ADJUNCT_LIMIT", default_value_t = 3)]
    adjunct_limit: usize,
}

impl From<RegionArgs> for samordna_domain::rules::RegionDefaults {
    fn from(a: RegionArgs) -> Self {
        samordna_domain::rules::RegionDefaults {
            minutes_overdue_days: a.minutes_overdue_days,
            adjunct_limit: a.adjunct_limit,
        }
    }
}

/// Outgoing mail, for `serve` and `worker`.
#[derive(clap::Args, Debug, Clone)]
struct SmtpArgs {
    /// SMTP-server för e-post (kallelser, justering, påminnelser). Utan den skickas ingen e-post.
    #[arg(long, env = "SAMORDNA_SMTP_HOST")]
    smtp_host: Option<String>,
    #[arg(long, env = "SAMORDNA_SMTP_PORT", default_value_t = 587)]
    smtp_port: u16,
    /// Avsändare, t.ex. "Samordna <samordna@region.example>".
    #[arg(
        long,
        env = "SAMORDNA_SMTP_FROM",
        default_value = "Samordna <samordna@example.org>"
    )]
    smtp_from: String,
    /// Skicka utan STARTTLS (bara mot en server på samma maskin).
    #[arg(long, env = "SAMORDNA_SMTP_PLAIN")]
    smtp_plain: bool,
    #[arg(long, env = "SAMORDNA_SMTP_USER")]
    smtp_user: Option<String>,
    #[arg(long, env = "SAMORDNA_SMTP_PASSWORD", hide_env_values = true)]
    smtp_password: Option<String>,
    /// Sekunder mellan två genomgångar av e-postkön (och av försenade anteckningar).
    #[arg(long, env = "SAMORDNA_MAIL_INTERVAL", default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..=3600))]
    mail_interval: u64,
    /// Sekunder till första nya försöket när ett e-brev inte kunde skickas (SMTP-servern
    /// nere); varje nytt försök väntar längre, högst 30 gånger så länge, i upp till 30
    /// försök (med standardvärdet omkring sex och en halv timme).
    #[arg(long, env = "SAMORDNA_MAIL_RETRY", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    mail_retry: u64,
}

impl SmtpArgs {
    fn settings(&self) -> Option<samordna_web::mail::SmtpSettings> {
        self.smtp_host
            .clone()
            .map(|host| samordna_web::mail::SmtpSettings {
                host,
                port: self.smtp_port,
                from: self.smtp_from.clone(),
                starttls: !self.smtp_plain,
                username: self.smtp_user.clone(),
                password: self.smtp_password.clone(),
            })
    }
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per run
enum Command {
    /// Starta portalen.
    Serve {
        /// Adress att lyssna på.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Importera de medföljande exempeldokumenten till en tom databas.
        #[arg(long)]
        demo: bool,
        /// E-postadress för att rapportera brister i tillgängligheten.
        #[arg(
            long,
            env = "SAMORDNA_CONTACT_EMAIL",
            default_value = "samordna@example.org"
        )]
        contact_email: String,
        /// Vad besökare som inte loggat in får läsa: published, everything eller nothing.
        #[arg(long, env = "SAMORDNA_ANONYMOUS", default_value = "published", value_parser = ["published", "everything", "nothing"])]
        anonymous: String,
        /// Sätt Secure på kakor (när portalen nås över HTTPS).
        #[arg(long, env = "SAMORDNA_SECURE_COOKIES")]
        secure_cookies: bool,
        /// OpenID Connect: utfärdarens adress (till exempel Entra ID).
        #[arg(long, env = "SAMORDNA_OIDC_ISSUER", requires_all = ["oidc_client_id", "oidc_client_secret", "public_url"])]
        oidc_issuer: Option<String>,
        #[arg(long, env = "SAMORDNA_OIDC_CLIENT_ID")]
        oidc_client_id: Option<String>,
        #[arg(long, env = "SAMORDNA_OIDC_CLIENT_SECRET", hide_env_values = true)]
        oidc_client_secret: Option<String>,
        /// Anspråket som bär e-postadressen.
        #[arg(long, env = "SAMORDNA_OIDC_EMAIL_CLAIM", default_value = "email")]
        oidc_email_claim: String,
        /// Portalens adress som identitetsleverantören ser den, t.ex. https://samordna.example.se
        #[arg(long, env = "SAMORDNA_PUBLIC_URL")]
        public_url: Option<String>,
        #[command(flatten)]
        smtp: SmtpArgs,
        /// Skicka ingen e-post från den här noden (när `samordna worker` körs för sig).
        #[arg(long, env = "SAMORDNA_NO_WORKER")]
        no_worker: bool,
        /// Bakom en lastbalanserare: ta klientens adress från X-Forwarded-For.
        #[arg(long, env = "SAMORDNA_TRUST_PROXY")]
        trust_proxy: bool,
        /// Rendera varje sida på nytt, utan svarscache för läsare som inte loggat in
        /// (för mätningar och felsökning).
        #[arg(long, env = "SAMORDNA_NO_CACHE")]
        no_cache: bool,
        #[command(flatten)]
        index: IndexArgs,
        #[command(flatten)]
        region: RegionArgs,
    },
    /// Skicka e-post ur kön och påminn om försenade anteckningar, utan att visa portalen
    /// (för installationer där app-noderna körs med --no-worker).
    Worker {
        #[command(flatten)]
        smtp: SmtpArgs,
        /// Portalens adress i länkar i e-post, t.ex. https://samordna.example.se
        #[arg(
            long,
            env = "SAMORDNA_PUBLIC_URL",
            default_value = "http://127.0.0.1:8080"
        )]
        public_url: String,
        #[command(flatten)]
        region: RegionArgs,
    },
    /// Läs en uppdragshandling och skriv ut dess innehåll som JSON. Rör ingen databas.
    Parse {
        /// Textfil (.txt eller .md) med uppdragshandlingen.
        file: PathBuf,
    },
    /// Läs in uppdragshandlingar (filer eller kataloger) i registret.
    Import {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Kör databasmigreringar.
    Migrate,
    /// Pröva grupperna mot reglerna i deras uppdragshandlingar.
    /// Slutstatus 0 utan fel, 1 med fel, 2 om prövningen inte kunde göras.
    Check {
        /// Bara denna grupp (adressen, t.ex. samordningsrad-neurologi).
        #[arg(long)]
        group: Option<String>,
        /// Fynden som JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        region: RegionArgs,
    },
    /// Rätta grupper i registret: byt namn, slå ihop, hantera alias.
    #[command(subcommand)]
    Org(OrgCommand),
    /// Undantag från en regel, till exempel en mötesfrekvens som avtalats med kontaktpersonen.
    #[command(subcommand)]
    Exception(ExceptionCommand),
    /// Demodata: exempeldokumenten, påhittade personer, möten och anteckningar.
    #[command(subcommand)]
    Demo(DemoCommand),
    /// Sökindexet: bygg om det, sök, mät.
    #[command(subcommand)]
    Search(SearchCommand),
    /// Konton: lägg till, byt lösenord.
    #[command(subcommand)]
    User(UserCommand),
    /// API-nycklar: skapa, återkalla.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Arkivpaket för e-arkivet: beslutade uppdragshandlingar och justerade
    /// mötesanteckningar som PDF/A med metadata, efter FGS Paketstruktur (METS med
    /// kontrollsummor). `archive verify KATALOG` kontrollerar ett paket.
    Archive(archive::ArchiveArgs),
    /// Säkerhetskopia av registret medan servern kör: SQLite med VACUUM INTO,
    /// PostgreSQL med pg_dump. Skriver aldrig över en fil.
    Backup {
        /// Filen kopian skrivs till (ny).
        #[arg(long)]
        out: PathBuf,
    },
    /// Återställ en säkerhetskopia till en tom databas (--db): en ny SQLite-fil eller
    /// en tom PostgreSQL-databas.
    Restore {
        /// Säkerhetskopian (från samordna backup).
        #[arg(long)]
        from: PathBuf,
    },
    /// Kontrollera att databasen är hel: SQLite:s integritetskontroll och främmande
    /// nycklar; i PostgreSQL främmande nycklar, villkor, index och utlösare (med
    /// tillägget amcheck även varje B-trädsindex mot sin tabell). Slutstatus 0 när den
    /// är hel, 1 med fel.
    Integrity,
    /// Gallringsbeslut: registrera och lista. Samordna gallrar aldrig själv.
    #[command(subcommand)]
    Gallring(archive::GallringCommand),
}

/// Where the search index is.
#[derive(clap::Args, Clone)]
struct IndexArgs {
    /// Sökindexets katalog (en kopia som byggs om ur databasen). Utan: bredvid
    /// SQLite-filen (FIL.sok), i minnet för en databas i minnet, och för PostgreSQL
    /// i användarens cachekatalog (~/.cache/samordna/sok-…). En server som finner
    /// standardkatalogen upptagen av en annan nod tar en egen (…-PORT).
    #[arg(long = "search-index", env = "SAMORDNA_SEARCH_INDEX")]
    search_index: Option<std::path::PathBuf>,
}

impl IndexArgs {
    /// The directory given, or the default for `store`.
    fn dir(&self, store: &Store, db: &str) -> Option<std::path::PathBuf> {
        if let Some(d) = &self.search_index {
            return Some(d.clone());
        }
        match store.backend_name() {
            "postgres" => {
                let base = std::env::var_os("XDG_CACHE_HOME")
                    .map(PathBuf::from)
                    .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
                    .unwrap_or_else(std::env::temp_dir);
                let id = samordna_store::sha256_hex(&redact(db));
                Some(base.join("samordna").join(format!("sok-{}", &id[..12])))
            }
            _ => store.sqlite_file().map(|f| {
                let mut d = f.into_os_string();
                d.push(".sok");
                d.into()
            }),
        }
    }
}

#[derive(Subcommand)]
enum SearchCommand {
    /// Bygg om sökindexet från databasen (databasen är källan; indexet en kopia).
    /// Servern ska inte köra mot samma katalog: den håller indexet aktuellt själv.
    Reindex {
        #[command(flatten)]
        index: IndexArgs,
    },
    /// Sök som en anonym läsare och skriv ut träffarna (JSON med --json).
    Query {
        /// Sökorden.
        text: String,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        index: IndexArgs,
    },
    /// Jämför sätten att hitta delar av sammansättningar (bara stammar,
    /// sammansättningsdelning, n-gram) mot relevansprovet i FIL, på databasens
    /// innehåll i ett index i minnet: hur många frågor som klarar sig och
    /// medelvärdet av 1/rang.
    Compare {
        /// Relevansprovet (tests/search-relevance.tsv).
        queries: std::path::PathBuf,
    },
    /// Mät frågetiden: varje fråga i FIL (en per rad, som i relevansprovet) körs
    /// --rounds gånger; median och 99:e percentil skrivs ut som JSON.
    Bench {
        /// Frågorna: en per rad; text före en tabb är frågan.
        queries: std::path::PathBuf,
        #[arg(long, default_value_t = 50)]
        rounds: usize,
        #[command(flatten)]
        index: IndexArgs,
    },
}

#[derive(Subcommand)]
enum DemoCommand {
    /// Läs in demodata i en tom databas (samma data som serve --demo).
    Load,
    /// Generera ett påhittat register av vald storlek i en tom databas, för prov av
    /// skala och prestanda: råd med uppdragshandlingar, grupper under dem, personer,
    /// möten med dagordningar och anteckningar, ärenden, beslut och åtgärder.
    /// Samma värden ger samma data. Region: --groups 300 --years 5; nation:
    /// --groups 10000 --years 10.
    Generate {
        /// Antal grupper (råd och grupperna under dem).
        #[arg(long)]
        groups: usize,
        /// Antal år av möten, fram till --today.
        #[arg(long, default_value_t = 5)]
        years: u32,
        /// Slumpfrö.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Dagen datat slutar (ÅÅÅÅ-MM-DD); utan: i dag.
        #[arg(long)]
        today: Option<chrono::NaiveDate>,
    },
}

#[derive(Subcommand)]
enum ExceptionCommand {
    /// Registrera ett undantag; det tar bort regelns fynd för gruppen till och med datumet.
    Add {
        #[arg(long)]
        group: String,
        /// Regelns id, t.ex. meeting-frequency.
        #[arg(long)]
        rule: String,
        /// Sista dag undantaget gäller (ÅÅÅÅ-MM-DD).
        #[arg(long)]
        until: chrono::NaiveDate,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Lägg till ett konto. Lösenordet läses från standard in (en rad); utan
    /// lösenord loggar kontot in med regionens konto (OpenID Connect).
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Systemroll: admin (registerhållare) eller director (direktör).
        #[arg(long, value_parser = ["admin", "director", "reader"], default_value = "reader")]
        role: String,
        /// Personen i registret som kontot tillhör (för roller i grupper).
        #[arg(long)]
        person_id: Option<i64>,
        /// Läs inget lösenord.
        #[arg(long)]
        no_password: bool,
    },
    /// Byt lösenord; det nya läses från standard in. Kontots sessioner avslutas.
    Passwd {
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Skapa en API-nyckel för ett konto; nyckeln skrivs ut en gång.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
    /// Återkalla en API-nyckel.
    Revoke {
        #[arg(long)]
        email: String,
        #[arg(long)]
        id: i64,
    },
}

#[derive(Subcommand)]
enum OrgCommand {
    /// Lista grupper med adress (slug), typ och alias.
    List,
    /// Byt namn; det gamla namnet blir ett alias och adressen är densamma.
    Rename { slug: String, name: String },
    /// Slå ihop FRÅN med TILL när två namn visade sig vara samma grupp.
    Merge { from: String, into: String },
    /// Lägg till ett alias (flyttas från en annan grupp som hade det).
    AliasAdd { slug: String, alias: String },
    /// Ta bort ett alias som kom till genom en felaktig matchning.
    AliasRemove { slug: String, alias: String },
}

fn actor() -> String {
    format!(
        "cli:{}",
        std::env::var("USER").unwrap_or_else(|_| "okänd".into())
    )
}

fn init_tracing(default: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("SAMORDNA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    // Colours only on a terminal: a log written to a file or a journal stays text.
    use std::io::IsTerminal;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}

/// mimalloc, not glibc's malloc: glibc's was about 14 % of the CPU a cached
/// page costs at 64 connections (BENCHMARKS.md, "What changed it").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Output read by a program that stops reading (`samordna parse FILE | head`)
/// ends the command quietly, as Unix programs do, instead of a panic with a
/// backtrace: Rust ignores SIGPIPE, and `println!` panics on the closed pipe.
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(141);
        }
        default(info);
    }));
}

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    let cli = Cli::parse();
    if let Command::Parse { file } = &cli.command {
        return parse(file);
    }
    init_tracing(
        if matches!(cli.command, Command::Serve { .. } | Command::Worker { .. }) {
            "info"
        } else {
            "warn"
        },
    );
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("samordna: kunde inte starta: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("samordna: {}", report(&e));
            ExitCode::FAILURE
        }
    }
}

/// An error and its causes on one line, as `{:#}` writes them, but without a
/// cause whose text the line already holds (an error that shows its source in
/// its own message, as `thiserror`'s `{0}`/`{source}` do, would otherwise be
/// read twice).
pub(crate) fn report(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

/// `samordna parse FILE`: JSON on stdout, or one line on stderr and exit 1.
fn parse(file: &std::path::Path) -> ExitCode {
    let result = import::read_document(file).and_then(|(text, _)| {
        samordna_domain::parse_charter(&text).map_err(|e| anyhow::anyhow!("{e}"))
    });
    match result {
        Ok(doc) => {
            println!(
                "{}",
                serde_json::to_string_pretty(&doc).expect("a parsed charter serialises")
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("samordna parse: {}: {}", file.display(), report(&e));
            ExitCode::FAILURE
        }
    }
}

/// Opens the database, creating and migrating it if need be (serve, import, demo).
async fn open(db: &str) -> Result<Store> {
    Store::open(db)
        .await
        .with_context(|| format!("kunde inte öppna databasen {}", redact(db)))
}

/// Opens a database that must already exist (check, org, user, token, exception):
/// a mistyped path is an error, not a new empty register that checks clean.
async fn open_existing(db: &str) -> Result<Store> {
    Store::open_existing(db)
        .await
        .with_context(|| format!("kunde inte öppna databasen {}", redact(db)))
}

/// The database URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

async fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Parse { .. } => unreachable!("handled before the runtime starts"),
        Command::Migrate => {
            let store = Store::connect(&cli.db)
                .await
                .with_context(|| format!("kunde inte ansluta till {}", redact(&cli.db)))?;
            let applied = store.migrate().await?;
            if applied.is_empty() {
                println!("Databasen är redan uppdaterad.");
            }
            for m in applied {
                println!("Körde migrering {m}");
            }
        }
        Command::Import { paths } => {
            let store = open(&cli.db).await?;
            let report = import::import_paths(&store, &paths, &actor()).await?;
            if report.failed > 0 {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Serve {
            listen,
            demo,
            contact_email,
            anonymous,
            secure_cookies,
            oidc_issuer,
            oidc_client_id,
            oidc_client_secret,
            oidc_email_claim,
            public_url,
            smtp,
            no_worker,
            region,
            trust_proxy,
            no_cache,
            index,
        } => {
            let store = open(&cli.db).await?;
            let search_index = match (&index.search_index, index.dir(&store, &cli.db)) {
                (None, Some(d)) => Some(samordna_web::search_sync::free_dir(d, listen.port())),
                (_, d) => d,
            };
            if demo && !demo::load(&store).await? {
                tracing::info!("databasen har redan innehåll; demodata läses inte in");
            }
            let anonymous_access = match anonymous.as_str() {
                "everything" => samordna_domain::policy::AnonymousAccess::Everything,
                "nothing" => samordna_domain::policy::AnonymousAccess::Nothing,
                _ => samordna_domain::policy::AnonymousAccess::Published,
            };
            let public = public_url
                .clone()
                .unwrap_or_else(|| format!("http://{listen}"));
            let interval = std::time::Duration::from_secs(smtp.mail_interval);
            let job_retry_base = chrono::Duration::seconds(smtp.mail_retry as i64);
            let smtp = smtp.settings();
            let oidc = match (oidc_issuer, oidc_client_id, oidc_client_secret, public_url) {
                (Some(issuer), Some(client_id), Some(client_secret), Some(public_url)) => {
                    Some(samordna_web::OidcSettings {
                        issuer,
                        client_id,
                        client_secret,
                        public_url,
                        email_claim: oidc_email_claim,
                    })
                }
                _ => None,
            };
            let settings = samordna_web::Settings {
                contact_email,
                anonymous_access,
                secure_cookies,
                oidc,
                smtp,
                public_url: public,
                region: region.into(),
                trust_forwarded_for: trust_proxy,
                cache: !no_cache,
                search_index,
                job_retry_base,
                ..Default::default()
            };
            serve(store, settings, listen, (!no_worker).then_some(interval)).await?;
        }
        Command::Worker {
            smtp,
            public_url,
            region,
        } => {
            let store = open(&cli.db).await?;
            let interval = std::time::Duration::from_secs(smtp.mail_interval);
            let job_retry_base = chrono::Duration::seconds(smtp.mail_retry as i64);
            let Some(smtp) = smtp.settings() else {
                anyhow::bail!("ange en SMTP-server med --smtp-host (eller SAMORDNA_SMTP_HOST)");
            };
            let state = samordna_web::AppState::new(
                store,
                samordna_web::Settings {
                    smtp: Some(smtp),
                    public_url,
                    region: region.into(),
                    job_retry_base,
                    ..Default::default()
                },
            );
            println!(
                "Samordna skickar e-post ur kön med {} sekunders mellanrum (databas: {})",
                interval.as_secs(),
                state.store.backend_name()
            );
            let worker = samordna_web::mail::spawn_worker(state, interval);
            shutdown().await;
            worker.abort();
        }
        Command::Org(cmd) => org(&open_existing(&cli.db).await?, cmd).await?,
        Command::Demo(DemoCommand::Generate {
            groups,
            years,
            seed,
            today,
        }) => {
            // Arguments first: a refused command creates no database.
            generate::check_arguments(groups, years)?;
            let store = open(&cli.db).await?;
            let report = generate::generate(
                &store,
                &generate::Options {
                    groups,
                    years,
                    seed,
                    today: today.unwrap_or_else(|| swedish_date(chrono::Utc::now())),
                    progress: std::io::IsTerminal::is_terminal(&std::io::stderr()),
                },
            )
            .await?;
            println!(
                "Genererat i {}: {} grupper ({} råd med uppdragshandling), {} möten, {} rader på {:.1} s ({:.0} rader/s); import av uppdragshandlingarna {:.1} s (första halvan {:.1} s, andra {:.1} s).",
                redact(&cli.db),
                report.groups,
                report.councils,
                report.meetings,
                report.rows,
                report.seconds,
                report.rows_per_second(),
                report.import_seconds,
                report.import_first_half_seconds,
                report.import_seconds - report.import_first_half_seconds,
            );
        }
        Command::Search(cmd) => search::run(&open_existing(&cli.db).await?, &cli.db, cmd).await?,
        Command::Archive(args) => {
            // Verifying a package reads files only, no database.
            let code = match args.command {
                Some(archive::ArchiveCommand::Verify { dir }) => archive::verify(&dir)?,
                None => archive::archive(&open_existing(&cli.db).await?, args).await?,
            };
            if code != 0 {
                std::process::exit(code);
            }
        }
        Command::Backup { out } => backup::backup(&cli.db, &out).await?,
        Command::Restore { from } => backup::restore(&cli.db, &from).await?,
        Command::Integrity => return backup::integrity(&open_existing(&cli.db).await?).await,
        Command::Gallring(cmd) => archive::gallring(&open_existing(&cli.db).await?, cmd).await?,
        Command::Demo(DemoCommand::Load) => {
            let store = open(&cli.db).await?;
            if !demo::load(&store).await? {
                anyhow::bail!(
                    "databasen {} har redan innehåll; demodata läses bara in i en tom databas",
                    redact(&cli.db)
                );
            }
            println!("Demodata inläst i {}.", redact(&cli.db));
        }
        Command::Check {
            group,
            json,
            region,
        } => {
            let status = match open_existing(&cli.db).await {
                Ok(store) => match check::run(&store, group.as_deref(), json, &region.into()).await
                {
                    Ok(s) => s,
                    Err(e) => {
                        eprintln!("samordna check: {}", report(&e));
                        2
                    }
                },
                Err(e) => {
                    eprintln!("samordna check: {}", report(&e));
                    2
                }
            };
            return Ok(ExitCode::from(status));
        }
        Command::User(cmd) => user(&open(&cli.db).await?, cmd).await?,
        Command::Exception(ExceptionCommand::Add {
            group,
            rule,
            until,
            reason,
        }) => {
            // As the portal's form: a known rule, a date to come, a reason.
            let rule: samordna_domain::rules::RuleId =
                rule.parse().map_err(|e: String| anyhow::anyhow!(e))?;
            let today = swedish_date(chrono::Utc::now());
            if until < today || until.year() > 2200 {
                anyhow::bail!(
                    "--until ska vara i dag eller senare (och före år 2200), inte {until}"
                );
            }
            let reason = samordna_domain::normalize::line(&reason);
            if reason.is_empty() {
                anyhow::bail!("ange skälet med --reason");
            }
            let store = open_existing(&cli.db).await?;
            let org = store
                .organization_by_slug(&group)
                .await?
                .with_context(|| format!("det finns ingen grupp med adressen {group}"))?;
            store
                .add_rule_exception(org.id, rule, until, &reason, &actor())
                .await?;
            println!(
                "Undantag från {rule} för {} till och med {until}.",
                org.name
            );
        }
        Command::Token(cmd) => token(&open_existing(&cli.db).await?, cmd).await?,
    }
    Ok(ExitCode::SUCCESS)
}

async fn org(store: &Store, cmd: OrgCommand) -> Result<()> {
    let who = actor();
    match cmd {
        OrgCommand::List => {
            use std::io::Write;
            let aliases = store.aliases().await?;
            let orgs = store.organizations().await?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let written = (|| -> std::io::Result<()> {
                for o in &orgs {
                    let merged = if o.merged_into_id.is_some() {
                        " (sammanslagen)"
                    } else {
                        ""
                    };
                    writeln!(out, "{}\t{}\t{}{merged}", o.slug, o.kind.label_sv(), o.name)?;
                    for a in aliases.iter().filter(|a| a.organization_id == o.id) {
                        writeln!(out, "\t\talias: {}", a.alias)?;
                    }
                }
                out.flush()
            })();
            // A reader that stops early (`| head`) is no error.
            match written {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    return Err(e).context("kunde inte skriva listan")
                }
                _ => {}
            }
        }
        OrgCommand::Rename { slug, name } => {
            store.rename_organization(&slug, &name, &who).await?;
            println!("{slug} heter nu {name:?}; det gamla namnet finns kvar som alias.");
        }
        OrgCommand::Merge { from, into } => {
            store.merge_organizations(&from, &into, &who).await?;
            println!("{from} är sammanslagen med {into}.");
        }
        OrgCommand::AliasAdd { slug, alias } => {
            let added = store.add_alias(&slug, &alias, &who).await?;
            println!(
                "{}",
                if added {
                    "Aliaset är tillagt."
                } else {
                    "Aliaset fanns redan."
                }
            );
        }
        OrgCommand::AliasRemove { slug, alias } => {
            let removed = store.remove_alias(&slug, &alias, &who).await?;
            println!(
                "{}",
                if removed {
                    "Aliaset är borttaget."
                } else {
                    "Gruppen hade inget sådant alias."
                }
            );
        }
    }
    Ok(())
}

/// One line from standard input: a new password, checked and hashed.
fn read_password() -> Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .context("kunde inte läsa lösenordet från standard in")?;
    let password = line.trim_end_matches(['\r', '\n']);
    samordna_web::auth::check_new_password(password).map_err(|e| anyhow::anyhow!(e))?;
    samordna_web::auth::hash_password(password)
        .map_err(|e| anyhow::anyhow!("kunde inte hasha lösenordet: {e}"))
}

async fn account(store: &Store, email: &str) -> Result<samordna_store::Account> {
    store
        .account_by_email(email)
        .await?
        .with_context(|| format!("det finns inget konto för {email}"))
}

async fn user(store: &Store, cmd: UserCommand) -> Result<()> {
    match cmd {
        UserCommand::Add {
            email,
            name,
            role,
            person_id,
            no_password,
        } => {
            let (email, name) = (
                samordna_domain::normalize::line(&email),
                samordna_domain::normalize::line(&name),
            );
            let at = email.split_once('@');
            if !at.is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
                || email.contains(char::is_whitespace)
            {
                anyhow::bail!("{email:?} är ingen e-postadress");
            }
            if name.is_empty() {
                anyhow::bail!("ange kontots namn med --name");
            }
            let hash = if no_password {
                None
            } else {
                Some(read_password()?)
            };
            let system_role = Some(role.as_str()).filter(|r| *r != "reader");
            let new = samordna_store::NewAccount {
                email: &email,
                name: &name,
                password_hash: hash.as_deref(),
                system_role,
                person_id,
                ..Default::default()
            };
            let id = store.create_account(&new, &actor()).await?;
            println!("Konto {id} skapat för {email}.");
        }
        UserCommand::Passwd { email } => {
            let a = account(store, &email).await?;
            store
                .set_password(a.id, &read_password()?, &actor())
                .await?;
            println!("Lösenordet är bytt för {email}; kontots sessioner är avslutade.");
        }
    }
    Ok(())
}

async fn token(store: &Store, cmd: TokenCommand) -> Result<()> {
    match cmd {
        TokenCommand::Create { email, name } => {
            let a = account(store, &email).await?;
            let secret = format!("smd_{}", samordna_web::auth::random_token());
            let id = store
                .create_api_token(
                    a.id,
                    &name,
                    &samordna_web::auth::hash_secret(&secret),
                    &actor(),
                )
                .await?;
            eprintln!("API-nyckel {id} ({name}) för {email}. Den visas bara nu:");
            println!("{secret}");
        }
        TokenCommand::Revoke { email, id } => {
            let a = account(store, &email).await?;
            if !store.revoke_api_token(a.id, id, &actor()).await? {
                anyhow::bail!("kontot {email} har ingen aktiv API-nyckel {id}");
            }
            println!("API-nyckel {id} är återkallad.");
        }
    }
    Ok(())
}

/// Serves the portal; with `worker` (the interval), this node also sends the
/// queued mail and scans for overdue minutes, if SMTP is set.
async fn serve(
    store: Store,
    mut settings: samordna_web::Settings,
    listen: SocketAddr,
    worker: Option<std::time::Duration>,
) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("kunde inte lyssna på {listen}"))?;
    let addr = listener.local_addr()?;
    // Links name the port the system chose for `--listen …:0`.
    if settings.public_url == format!("http://{listen}") {
        settings.public_url = format!("http://{addr}");
    }
    let worker = match (worker, settings.smtp.is_some()) {
        (Some(every), true) => {
            tracing::info!(seconds = every.as_secs(), "e-post skickas ur kön");
            Some(samordna_web::mail::spawn_worker(
                samordna_web::AppState::new(store.clone(), settings.clone()),
                every,
            ))
        }
        (Some(_), false) => {
            tracing::info!("ingen SMTP-server angiven (--smtp-host): e-post väntar i kön");
            None
        }
        (None, _) => {
            tracing::info!("--no-worker: den här noden skickar ingen e-post");
            None
        }
    };
    println!(
        "Samordna lyssnar på http://{addr}/ (databas: {})",
        store.backend_name()
    );
    let served = samordna_web::serve(listener, store, settings, shutdown()).await;
    if let Some(w) = worker {
        w.abort();
    }
    served.context("servern stannade")?;
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("stänger ner");
}
