//! What every handler can reach: the store and the settings.

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
}

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
}
