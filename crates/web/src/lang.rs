//! The languages of the portal: Swedish first, English second, and how a request
//! names one (a code, an `Accept-Language` header).

/// The locales of the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Sv,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Sv, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Sv => Lang::En,
            Lang::En => Lang::Sv,
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "sv" => Some(Lang::Sv),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The preferred supported language of an `Accept-Language` header.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("");
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(lang) = Lang::from_code(tag) {
                if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, lang));
                }
            }
        }
        best.map(|(_, l)| l)
    }
}
