//! The settings of an installation, as `samordna serve` reads them from its flags
//! and the environment.

use std::time::Duration;

use samordna_domain::policy::AnonymousAccess;

/// OpenID Connect sign-in with the region's identity provider.
#[derive(Debug, Clone)]
pub struct OidcSettings {
    /// The issuer URL, e.g. `https://login.microsoftonline.com/{tenant}/v2.0`.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// This installation's address as the provider sees it, e.g. `https://samordna.vgregion.se`.
    pub public_url: String,
    /// The claim that carries the e-mail address (Entra ID: `email` or `preferred_username`).
    pub email_claim: String,
}

/// Settings of an installation.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where readers report accessibility problems (shown on /tillganglighet).
    pub contact_email: String,
    /// What visitors who are not signed in may read.
    pub anonymous_access: AnonymousAccess,
    /// A session ends after this long without a request.
    pub session_idle_minutes: i64,
    /// A session ends this long after sign-in, whatever happens.
    pub session_absolute_hours: i64,
    /// Cookies carry `Secure` (set behind HTTPS; also when the proxy says https).
    pub secure_cookies: bool,
    /// The largest request body accepted, in bytes (also the largest attachment).
    pub body_limit: usize,
    /// How long one request may take.
    pub request_timeout: Duration,
    pub oidc: Option<OidcSettings>,
    /// This installation's address, for links in mail.
    pub public_url: String,
    /// Outgoing mail; without it no mail is sent (jobs wait).
    pub smtp: Option<SmtpSettings>,
    /// Region defaults for the settings each group may override (days to approve
    /// minutes, adjunct limit).
    pub region: samordna_domain::rules::RegionDefaults,
    /// The first retry of a failed job waits this long; later ones longer.
    pub job_retry_base: chrono::Duration,
    /// Behind a load balancer: take the client's address from `X-Forwarded-For`
    /// (for sign-in limits per address). Only when the proxy sets that header.
    pub trust_forwarded_for: bool,
    /// Serve anonymous readers' pages from memory until a change (see
    /// [`crate::cache`]). Off by default here (tests that write past the portal
    /// read at once); on in `samordna serve` unless `--no-cache`.
    pub cache: bool,
    /// The search index's directory; `None`: in memory, built at start.
    pub search_index: Option<std::path::PathBuf>,
    /// How often a serving node applies the database's changes to its search
    /// index (the outbox; see [`crate::search_sync`]).
    pub search_interval: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            contact_email: "samordna@example.org".into(),
            anonymous_access: AnonymousAccess::Published,
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            secure_cookies: false,
            body_limit: 10 * 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            oidc: None,
            public_url: "http://127.0.0.1:8080".into(),
            smtp: None,
            region: Default::default(),
            job_retry_base: chrono::Duration::seconds(30),
            trust_forwarded_for: false,
            cache: false,
            search_index: None,
            search_interval: Duration::from_millis(250),
        }
    }
}

/// Where mail goes out.
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    /// The sender, e.g. `Samordna <samordna@region.example>`.
    pub from: String,
    /// STARTTLS (required unless the relay is on loopback).
    pub starttls: bool,
    pub username: Option<String>,
    pub password: Option<String>,
}
