//! The frame around every page: UI text in the reader's language, the language
//! switch, the signed-in account, the section of the site.

use crate::i18n::Tr;
use crate::request::{current_visitor, encode_query, RequestInfo};

/// What every page shows around its content: UI text in the reader's language,
/// the language switch, and which part of the site the page belongs to.
pub struct Chrome {
    pub t: Tr,
    pub lang: &'static str,
    pub switch_href: String,
    pub switch_lang: &'static str,
    pub section: &'static str,
    /// The signed-in account's name.
    pub signed_in: Option<String>,
    /// The CSRF token for the sign-out form.
    pub csrf: String,
    pub sign_in_href: String,
}

impl Chrome {
    pub fn new(section: &'static str) -> Chrome {
        let info = RequestInfo::current();
        let other = info.lang.other();
        let visitor = current_visitor();
        let back = if info.path.starts_with("/logga-in") {
            "/".to_string()
        } else {
            info.path.clone()
        };
        Chrome {
            t: Tr { lang: info.lang },
            lang: info.lang.code(),
            switch_href: format!("/sprak/{}?till={}", other.code(), encode_query(&info.path)),
            switch_lang: other.code(),
            section,
            signed_in: visitor.account().map(|a| a.name.clone()),
            csrf: visitor.csrf(),
            sign_in_href: format!("/logga-in?till={}", encode_query(&back)),
        }
    }
}
