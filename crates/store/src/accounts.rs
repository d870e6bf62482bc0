//! Accounts, sessions, sign-in attempts, API tokens and pending OpenID Connect
//! sign-ins. Secrets are never stored: sessions and tokens are kept as SHA-256
//! hashes, passwords as argon2id hashes made by the caller.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::Row;

use crate::{
    audit, before_after, in_transaction, people::unique_conflict, with_conn, with_pool, Backend,
    Store, StoreError,
};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub name: String,
    #[serde(skip)]
    pub password_hash: Option<String>,
    pub oidc_subject: Option<String>,
    pub system_role: Option<String>,
    pub person_id: Option<i64>,
    pub disabled: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Session {
    pub account: Account,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A personal calendar address (`/kalender/{token}.ics`): it reads the meetings of
/// its owner's groups and nothing else.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalendarLink {
    pub id: i64,
    pub account_id: i64,
    #[serde(skip)]
    pub token: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// The two kinds of secret an account holds besides its sessions.
#[derive(Debug, Clone, Copy)]
enum Secret {
    ApiToken,
    CalendarLink,
}

impl Secret {
    /// (table, column holding the secret, audit object type).
    fn parts(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Secret::ApiToken => ("api_tokens", "token_hash", "api_token"),
            Secret::CalendarLink => ("calendar_links", "token", "calendar_link"),
        }
    }
}

/// A sign-in with OpenID Connect that has left for the provider.
#[derive(Debug, Clone, PartialEq)]
pub struct OidcPending {
    pub nonce: String,
    pub pkce_verifier: String,
    pub return_to: String,
    pub created_at: DateTime<Utc>,
}

const ACCOUNT_COLUMNS: &str = "a.id, a.email, a.name, a.password_hash, a.oidc_subject, a.system_role, a.person_id, a.disabled";

macro_rules! account {
    ($r:expr) => {
        Account {
            id: $r.try_get("id")?,
            email: $r.try_get("email")?,
            name: $r.try_get("name")?,
            password_hash: $r.try_get("password_hash")?,
            oidc_subject: $r.try_get("oidc_subject")?,
            system_role: $r.try_get("system_role")?,
            person_id: $r.try_get("person_id")?,
            disabled: $r.try_get("disabled")?,
        }
    };
}

/// A new account.
#[derive(Debug, Clone, Default)]
pub struct NewAccount<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: Option<&'a str>,
    pub oidc_subject: Option<&'a str>,
    pub system_role: Option<&'a str>,
    pub person_id: Option<i64>,
}

impl Store {
    pub async fn create_account(&self, a: &NewAccount<'_>, actor: &str) -> Result<i64, StoreError> {
        let email = a.email.trim().to_lowercase();
        in_transaction!(self, |c| {
            let id: i64 = sqlx::query_scalar("INSERT INTO accounts (email, name, password_hash, oidc_subject, system_role, person_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
                .bind(&email)
                .bind(a.name)
                .bind(a.password_hash)
                .bind(a.oidc_subject)
                .bind(a.system_role)
                .bind(a.person_id)
                .bind(Utc::now())
                .fetch_one(&mut *c)
                .await
                .map_err(|e| unique_conflict(e, "det finns redan ett konto med den e-postadressen"))?;
            let after = serde_json::json!({"email": email, "name": a.name, "system_role": a.system_role, "person_id": a.person_id, "password": a.password_hash.is_some(), "oidc": a.oidc_subject.is_some()});
            audit(
                c,
                actor,
                "account.created",
                "account",
                id,
                &email,
                before_after((), after),
            )
            .await?;
            Ok(id)
        })
    }

    pub async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts a ORDER BY a.email");
        with_conn!(self, |c| {
            let rows = sqlx::query(&sql).fetch_all(&mut *c).await?;
            rows.iter().map(|r| Ok(account!(r))).collect()
        })
    }

    pub async fn account_by_email(&self, email: &str) -> Result<Option<Account>, StoreError> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.email = $1");
        let email = email.trim().to_lowercase();
        with_conn!(self, |c| {
            sqlx::query(&sql)
                .bind(&email)
                .fetch_optional(&mut *c)
                .await?
                .map(|r| Ok(account!(r)))
                .transpose()
        })
    }

    pub async fn account_by_oidc_subject(
        &self,
        subject: &str,
    ) -> Result<Option<Account>, StoreError> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.oidc_subject = $1");
        with_conn!(self, |c| {
            sqlx::query(&sql)
                .bind(subject)
                .fetch_optional(&mut *c)
                .await?
                .map(|r| Ok(account!(r)))
                .transpose()
        })
    }

    /// Links an account to its OpenID Connect subject on first sign-in.
    pub async fn link_oidc_subject(
        &self,
        account_id: i64,
        subject: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        in_transaction!(self, |c| {
            sqlx::query("UPDATE accounts SET oidc_subject = $1 WHERE id = $2")
                .bind(subject)
                .bind(account_id)
                .execute(&mut *c)
                .await?;
            audit(
                c,
                actor,
                "account.oidc_linked",
                "account",
                account_id,
                subject,
                before_after((), subject),
            )
            .await?;
            Ok(())
        })
    }

    pub async fn set_password(
        &self,
        account_id: i64,
        password_hash: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        in_transaction!(self, |c| {
            let done = sqlx::query("UPDATE accounts SET password_hash = $1 WHERE id = $2")
                .bind(password_hash)
                .bind(account_id)
                .execute(&mut *c)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound(format!("konto {account_id}")));
            }
            // Other sessions of the account end with a password change.
            sqlx::query("DELETE FROM sessions WHERE account_id = $1")
                .bind(account_id)
                .execute(&mut *c)
                .await?;
            audit(
                c,
                actor,
                "account.password_changed",
                "account",
                account_id,
                "",
                before_after("***", "***"),
            )
            .await?;
            Ok(())
        })
    }

    /// Starts a session; `token_hash` is the SHA-256 of the cookie's secret.
    pub async fn create_session(
        &self,
        token_hash: &str,
        account_id: i64,
        csrf_token: &str,
        expires_at: DateTime<Utc>,
        how: &str,
    ) -> Result<(), StoreError> {
        in_transaction!(self, |c| {
            let now = Utc::now();
            sqlx::query("INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)")
                .bind(token_hash)
                .bind(account_id)
                .bind(csrf_token)
                .bind(now)
                .bind(expires_at)
                .execute(&mut *c)
                .await?;
            sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
                .bind(now)
                .execute(&mut *c)
                .await?;
            let actor = format!("account:{account_id}");
            audit(
                c,
                &actor,
                "account.signed_in",
                "account",
                account_id,
                how,
                before_after((), serde_json::json!({"how": how})),
            )
            .await?;
            Ok(())
        })
    }

    pub async fn session(&self, token_hash: &str) -> Result<Option<Session>, StoreError> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS}, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = $1");
        with_conn!(self, |c| {
            sqlx::query(&sql)
                .bind(token_hash)
                .fetch_optional(&mut *c)
                .await?
                .map(|r| {
                    Ok(Session {
                        account: account!(r),
                        csrf_token: r.try_get("csrf_token")?,
                        created_at: r.try_get("created_at")?,
                        last_seen_at: r.try_get("last_seen_at")?,
                        expires_at: r.try_get("expires_at")?,
                    })
                })
                .transpose()
        })
    }

    /// Records activity on a session (for the idle timeout). Not audited: it
    /// changes no record.
    pub async fn touch_session(&self, token_hash: &str) -> Result<(), StoreError> {
        with_conn!(self, |c| {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(Utc::now())
                .bind(token_hash)
                .execute(&mut *c)
                .await?;
            Ok(())
        })
    }

    /// Ends a session: signing out, or a timeout.
    pub async fn end_session(&self, token_hash: &str, why: &str) -> Result<(), StoreError> {
        in_transaction!(self, |c| {
            let account: Option<i64> = sqlx::query_scalar(
                "DELETE FROM sessions WHERE token_hash = $1 RETURNING account_id",
            )
            .bind(token_hash)
            .fetch_optional(&mut *c)
            .await?;
            if let Some(id) = account {
                let actor = format!("account:{id}");
                audit(
                    c,
                    &actor,
                    "account.signed_out",
                    "account",
                    id,
                    why,
                    before_after(
                        serde_json::json!({"session": true}),
                        serde_json::json!({"session": false, "why": why}),
                    ),
                )
                .await?;
            }
            Ok(())
        })
    }

    /// Records a failed sign-in under each key (account and address).
    pub async fn record_failed_sign_in(
        &self,
        keys: &[String],
        email: &str,
    ) -> Result<(), StoreError> {
        in_transaction!(self, |c| {
            let now = Utc::now();
            let mut last = 0;
            for k in keys {
                last = sqlx::query_scalar("INSERT INTO login_attempts (attempt_key, succeeded, attempted_at) VALUES ($1, FALSE, $2) RETURNING id")
                    .bind(k)
                    .bind(now)
                    .fetch_one(&mut *c)
                    .await?;
            }
            audit(
                c,
                "anonymous",
                "account.sign_in_failed",
                "login_attempt",
                last,
                email,
                before_after((), serde_json::json!({"keys": keys})),
            )
            .await?;
            Ok(())
        })
    }

    /// Counts one sign-in attempt under each key, in order, and says whether every
    /// key is still within its limit: `(key, most attempts in the window)`. Keys
    /// after one past its limit are not counted: attempts refused for an account
    /// do not use up the limit of the address they came from.
    ///
    /// Each count is one atomic upsert (`INSERT … ON CONFLICT DO UPDATE …
    /// RETURNING`), taken before the password is checked, so requests sent at
    /// once are counted one by one and those past the limit are never checked. A
    /// window starts at a key's first attempt and lasts `window`; an attempt that
    /// turns out right is taken back with [`Store::forget_sign_in_attempt`].
    pub async fn count_sign_in_attempt(
        &self,
        limits: &[(String, i64)],
        window: chrono::Duration,
    ) -> Result<bool, StoreError> {
        let now = Utc::now();
        in_transaction!(self, |c| {
            let mut within = true;
            for (key, most) in limits {
                let n: i64 = sqlx::query_scalar(
                    "INSERT INTO sign_in_counters (attempt_key, window_start, attempts) VALUES ($1, $2, 1) \
                     ON CONFLICT (attempt_key) DO UPDATE SET \
                     attempts = CASE WHEN sign_in_counters.window_start < $3 THEN 1 ELSE sign_in_counters.attempts + 1 END, \
                     window_start = CASE WHEN sign_in_counters.window_start < $3 THEN $2 ELSE sign_in_counters.window_start END \
                     RETURNING attempts",
                )
                .bind(key)
                .bind(now)
                .bind(now - window)
                .fetch_one(&mut *c)
                .await?;
                if n > *most {
                    within = false;
                    break;
                }
            }
            Ok(within)
        })
    }

    /// Takes back an attempt counted by [`Store::count_sign_in_attempt`] (the
    /// password was right): only failures use up the limit.
    pub async fn forget_sign_in_attempt(&self, keys: &[String]) -> Result<(), StoreError> {
        in_transaction!(self, |c| {
            for key in keys {
                sqlx::query("UPDATE sign_in_counters SET attempts = attempts - 1 WHERE attempt_key = $1 AND attempts > 0")
                    .bind(key)
                    .execute(&mut *c)
                    .await?;
            }
            Ok(())
        })
    }

    /// A new calendar link for an account: `token` is the secret in its address.
    pub async fn create_calendar_link(
        &self,
        account_id: i64,
        token: &str,
        actor: &str,
    ) -> Result<i64, StoreError> {
        Ok(self
            .create_calendar_link_once(account_id, token, None, actor)
            .await?
            .id())
    }

    /// A calendar link from a form carrying the key `once`: the same form sent
    /// twice makes one link (an account may have several, so the key tells).
    pub async fn create_calendar_link_once(
        &self,
        account_id: i64,
        token: &str,
        once: Option<&str>,
        actor: &str,
    ) -> Result<crate::Made, StoreError> {
        let fingerprint = crate::checksum::repeat_key(&[actor, &account_id.to_string()]);
        let made = in_transaction!(self, |c| {
            crate::once!(c, once, "calendar_link", &fingerprint, async {
                let id: i64 = sqlx::query_scalar("INSERT INTO calendar_links (account_id, token, created_at) VALUES ($1, $2, $3) RETURNING id")
                    .bind(account_id)
                    .bind(token)
                    .bind(Utc::now())
                    .fetch_one(&mut *c)
                    .await?;
                audit(
                    c,
                    actor,
                    "calendar_link.created",
                    "calendar_link",
                    id,
                    "",
                    before_after((), serde_json::json!({"account_id": account_id})),
                )
                .await?;
                Ok::<i64, StoreError>(id)
            }
            .await)
        });
        self.made_or_again(made, once, &fingerprint).await
    }

    /// An account's calendar links, revoked ones included, oldest first.
    pub async fn calendar_links(&self, account_id: i64) -> Result<Vec<CalendarLink>, StoreError> {
        with_conn!(self, |c| {
            let rows = sqlx::query("SELECT id, account_id, token, created_at, last_used_at, revoked_at FROM calendar_links WHERE account_id = $1 ORDER BY id")
                .bind(account_id)
                .fetch_all(&mut *c)
                .await?;
            rows.iter()
                .map(|r| {
                    Ok(CalendarLink {
                        id: r.try_get("id")?,
                        account_id: r.try_get("account_id")?,
                        token: r.try_get("token")?,
                        created_at: r.try_get("created_at")?,
                        last_used_at: r.try_get("last_used_at")?,
                        revoked_at: r.try_get("revoked_at")?,
                    })
                })
                .collect()
        })
    }

    /// Revokes one of an account's calendar links; false when there was none.
    pub async fn revoke_calendar_link(
        &self,
        account_id: i64,
        id: i64,
        actor: &str,
    ) -> Result<bool, StoreError> {
        self.revoke_secret(Secret::CalendarLink, account_id, id, actor)
            .await
    }

    /// The account whose live calendar link has this token; nothing else opens
    /// with it.
    pub async fn account_by_calendar_link(
        &self,
        token: &str,
    ) -> Result<Option<Account>, StoreError> {
        self.account_by_secret(Secret::CalendarLink, token).await
    }

    /// Failed sign-ins under a key since a moment.
    pub async fn failed_sign_ins_since(
        &self,
        key: &str,
        since: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        with_conn!(self, |c| {
            Ok(sqlx::query_scalar("SELECT COUNT(*) FROM login_attempts WHERE attempt_key = $1 AND succeeded = FALSE AND attempted_at >= $2")
                .bind(key)
                .bind(since)
                .fetch_one(&mut *c)
                .await?)
        })
    }

    pub async fn create_api_token(
        &self,
        account_id: i64,
        name: &str,
        token_hash: &str,
        actor: &str,
    ) -> Result<i64, StoreError> {
        Ok(self
            .create_api_token_once(account_id, name, token_hash, None, actor)
            .await?
            .id())
    }

    /// An API key from a form carrying the key `once`: the same form sent twice
    /// makes one key ([`crate::Made::Again`]: its secret was shown once, to the
    /// first answer, and is not stored).
    pub async fn create_api_token_once(
        &self,
        account_id: i64,
        name: &str,
        token_hash: &str,
        once: Option<&str>,
        actor: &str,
    ) -> Result<crate::Made, StoreError> {
        let fingerprint = crate::checksum::repeat_key(&[actor, &account_id.to_string(), name]);
        let made = in_transaction!(self, |c| {
            crate::once!(c, once, "api_token", &fingerprint, async {
                let id: i64 = sqlx::query_scalar("INSERT INTO api_tokens (account_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
                    .bind(account_id)
                    .bind(name)
                    .bind(token_hash)
                    .bind(Utc::now())
                    .fetch_one(&mut *c)
                    .await?;
                audit(
                    c,
                    actor,
                    "api_token.created",
                    "api_token",
                    id,
                    name,
                    before_after(
                        (),
                        serde_json::json!({"account_id": account_id, "name": name}),
                    ),
                )
                .await?;
                Ok::<i64, StoreError>(id)
            }
            .await)
        });
        self.made_or_again(made, once, &fingerprint).await
    }

    pub async fn api_tokens(&self, account_id: i64) -> Result<Vec<ApiToken>, StoreError> {
        with_conn!(self, |c| {
            let rows = sqlx::query("SELECT id, account_id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE account_id = $1 ORDER BY id")
                .bind(account_id)
                .fetch_all(&mut *c)
                .await?;
            rows.iter()
                .map(|r| {
                    Ok(ApiToken {
                        id: r.try_get("id")?,
                        account_id: r.try_get("account_id")?,
                        name: r.try_get("name")?,
                        created_at: r.try_get("created_at")?,
                        last_used_at: r.try_get("last_used_at")?,
                        revoked_at: r.try_get("revoked_at")?,
                    })
                })
                .collect()
        })
    }

    /// Revokes one of an account's tokens; false when there was none to revoke.
    pub async fn revoke_api_token(
        &self,
        account_id: i64,
        token_id: i64,
        actor: &str,
    ) -> Result<bool, StoreError> {
        self.revoke_secret(Secret::ApiToken, account_id, token_id, actor)
            .await
    }

    /// The account a live (not revoked) token belongs to.
    pub async fn account_by_token(&self, token_hash: &str) -> Result<Option<Account>, StoreError> {
        self.account_by_secret(Secret::ApiToken, token_hash).await
    }

    /// Revokes a secret of an account, with one audit event; false when there was
    /// none live to revoke.
    async fn revoke_secret(
        &self,
        kind: Secret,
        account_id: i64,
        id: i64,
        actor: &str,
    ) -> Result<bool, StoreError> {
        let (table, _, object) = kind.parts();
        let sql = format!("UPDATE {table} SET revoked_at = $1 WHERE id = $2 AND account_id = $3 AND revoked_at IS NULL");
        let action = format!("{object}.revoked");
        in_transaction!(self, |c| {
            let done = sqlx::query(&sql)
                .bind(Utc::now())
                .bind(id)
                .bind(account_id)
                .execute(&mut *c)
                .await?;
            let revoked = done.rows_affected() > 0;
            if revoked {
                audit(
                    c,
                    actor,
                    &action,
                    object,
                    id,
                    "",
                    before_after(
                        serde_json::json!({"revoked": false}),
                        serde_json::json!({"revoked": true}),
                    ),
                )
                .await?;
            }
            Ok(revoked)
        })
    }

    /// The account a live secret belongs to; notes when it was last used.
    async fn account_by_secret(
        &self,
        kind: Secret,
        value: &str,
    ) -> Result<Option<Account>, StoreError> {
        let (table, column, _) = kind.parts();
        let sql = format!("SELECT {ACCOUNT_COLUMNS}, t.last_used_at AS secret_used_at FROM {table} t JOIN accounts a ON a.id = t.account_id WHERE t.{column} = $1 AND t.revoked_at IS NULL");
        let touch = format!("UPDATE {table} SET last_used_at = $1 WHERE {column} = $2");
        with_conn!(self, |c| {
            let row = sqlx::query(&sql)
                .bind(value)
                .fetch_optional(&mut *c)
                .await?;
            let Some(r) = row else { return Ok(None) };
            let found = account!(r);
            let used: Option<DateTime<Utc>> = r.try_get("secret_used_at")?;
            // When it was last used, to the minute: a read is not a write each time
            // (one per key a minute), and a write that fails (a full disk, a
            // database that is read-only for a moment) does not refuse the read.
            let now = Utc::now();
            if used.is_none_or(|u| now - u > chrono::Duration::seconds(60)) {
                let _ = sqlx::query(&touch)
                    .bind(now)
                    .bind(value)
                    .execute(&mut *c)
                    .await;
            }
            Ok(Some(found))
        })
    }

    pub async fn put_oidc_pending(&self, state: &str, p: &OidcPending) -> Result<(), StoreError> {
        with_conn!(self, |c| {
            sqlx::query("INSERT INTO oidc_pending (state, nonce, pkce_verifier, return_to, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(state)
                .bind(&p.nonce)
                .bind(&p.pkce_verifier)
                .bind(&p.return_to)
                .bind(p.created_at)
                .execute(&mut *c)
                .await?;
            Ok(())
        })
    }

    /// Takes (and deletes) a pending sign-in: a state is good once.
    pub async fn take_oidc_pending(&self, state: &str) -> Result<Option<OidcPending>, StoreError> {
        with_conn!(self, |c| {
            let row = sqlx::query("DELETE FROM oidc_pending WHERE state = $1 RETURNING nonce, pkce_verifier, return_to, created_at")
                .bind(state)
                .fetch_optional(&mut *c)
                .await?;
            row.map(|r| {
                Ok(OidcPending {
                    nonce: r.try_get("nonce")?,
                    pkce_verifier: r.try_get("pkce_verifier")?,
                    return_to: r.try_get("return_to")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .transpose()
        })
    }
}

impl Store {
    /// The names of the actors the audit log and the records write as
    /// `account:{id}`, by that text. An actor not in the map (`cli`, `import`,
    /// an account removed) is shown as written.
    pub async fn actor_names(
        &self,
    ) -> Result<std::collections::HashMap<String, String>, StoreError> {
        Ok(self
            .accounts()
            .await?
            .into_iter()
            .map(|a| (format!("account:{}", a.id), a.name))
            .collect())
    }

    /// Records that someone exported data (the audit log, personal data): exports of
    /// personal data are themselves logged.
    pub async fn log_export(&self, actor: &str, what: &str, rows: usize) -> Result<(), StoreError> {
        in_transaction!(self, |c| {
            let id: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM audit_events")
                .fetch_one(&mut *c)
                .await?;
            audit(
                c,
                actor,
                "export.downloaded",
                what,
                id,
                &format!("{rows} rader"),
                before_after((), serde_json::json!({"what": what, "rows": rows})),
            )
            .await?;
            Ok(())
        })
    }
}
