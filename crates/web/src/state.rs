//! What every handler can reach: the store and the settings.

use samordna_domain::calendar::swedish_date;
use std::sync::Arc;

use samordna_store::Store;

use crate::config::Settings;
use crate::error::AppError;
use crate::i18n;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: Arc<Settings>,
    /// This node's search index ([`crate::search_sync`]).
    pub search: Arc<crate::search_sync::Search>,
    /// The OParl objects as last built, until the register changes
    /// ([`crate::oparl`]).
    pub oparl: Arc<Memo>,
}

impl AppState {
    /// The state of a node without a search index of its own on disk (the
    /// worker, tests): one in memory, synced before each search.
    pub fn new(store: Store, settings: Settings) -> AppState {
        let search = crate::search_sync::Search::open(store.clone(), None)
            .expect("an index in memory opens");
        AppState {
            store,
            settings: Arc::new(settings),
            search: Arc::new(search),
            oparl: Default::default(),
        }
    }
}

/// A value built from the whole register, kept with the change counter it was
/// built at: the next reader builds it again only when the register changed
/// since (the OParl objects). Of any type: the builder downcasts.
#[derive(Default)]
pub struct Memo(pub tokio::sync::Mutex<Option<(i64, Arc<dyn std::any::Any + Send + Sync>)>>);

/// "There is no group at this address", as a 404 page.
pub(crate) fn no_group(slug: &str) -> AppError {
    AppError::NotFound(i18n::current_tr().t1("error-no-group", "slug", slug))
}

impl AppState {
    /// The group at `slug`, or the 404 page that says there is none.
    pub(crate) async fn group(&self, slug: &str) -> Result<samordna_store::Organization, AppError> {
        self.store
            .organization_by_slug(slug)
            .await?
            .ok_or_else(|| no_group(slug))
    }

    /// The meeting `id` (as written in the path) and its group, or the 404 page.
    pub(crate) async fn meeting_and_group(
        &self,
        id: &str,
    ) -> Result<(samordna_store::Meeting, samordna_store::Organization), AppError> {
        let missing = || AppError::NotFound(i18n::current_tr().t("error-not-found-page"));
        let id: i64 = id.parse().map_err(|_| missing())?;
        let m = self.store.meeting(id).await?.ok_or_else(missing)?;
        let org = self
            .store
            .organization(m.fields.organization_id)
            .await?
            .ok_or_else(missing)?;
        Ok((m, org))
    }

    /// Whether `person` is a current member of the group, in any role.
    pub(crate) async fn is_current_member(
        &self,
        organization_id: i64,
        person: i64,
    ) -> Result<bool, AppError> {
        let today = swedish_date(chrono::Utc::now());
        Ok(self
            .store
            .memberships(Some(organization_id), Some(person))
            .await?
            .iter()
            .any(|m| m.is_current(today)))
    }
}
