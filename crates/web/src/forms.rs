//! One form template for every edit page, and what posted forms hold.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use chrono::{NaiveDate, NaiveTime};

use crate::chrome::Chrome;
use crate::error::AppError;
use crate::i18n::Tr;

pub enum FieldKind {
    /// `<input type=…>`
    Input(&'static str),
    Textarea,
    /// (value, label)
    Select(Vec<(String, String)>),
    Checkbox,
    /// (value, label, checked)
    Checkboxes(Vec<(String, String, bool)>),
}

pub struct Field {
    pub name: &'static str,
    pub label: String,
    pub kind: FieldKind,
    pub value: String,
    pub error: Option<String>,
    pub hint: Option<String>,
    pub required: bool,
    pub disabled: bool,
    pub autocomplete: Option<&'static str>,
}

impl Field {
    pub fn new(
        name: &'static str,
        label: String,
        kind: FieldKind,
        value: impl Into<String>,
    ) -> Field {
        Field {
            name,
            label,
            kind,
            value: value.into(),
            error: None,
            hint: None,
            required: false,
            disabled: false,
            autocomplete: None,
        }
    }
    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }
    pub fn hint(mut self, hint: String) -> Field {
        self.hint = Some(hint);
        self
    }
    pub fn disabled(mut self, disabled: bool) -> Field {
        self.disabled = disabled;
        self
    }
    pub fn autocomplete(mut self, ac: &'static str) -> Field {
        self.autocomplete = Some(ac);
        self
    }
}

/// The name of the hidden field that carries a form's key ([`FormView::once`]).
pub const ONCE: &str = "_once";

pub struct FormView {
    pub title: String,
    pub intro: Option<String>,
    pub action: String,
    pub csrf: String,
    pub row_version: Option<i64>,
    pub hidden: Vec<(String, String)>,
    pub fields: Vec<Field>,
    pub submit: String,
    pub back: Option<(String, String)>,
}

impl FormView {
    pub fn has_errors(&self) -> bool {
        self.fields.iter().any(|f| f.error.is_some())
    }

    /// Carries the form's key (`_once`): the one posted (a form shown again after
    /// an error keeps it, nothing was made), or a new one for a new form. A
    /// record without an identity of its own (a person) is made once per key
    /// (ARCHITECTURE.md, "A form sent twice").
    pub fn once(mut self, posted: Option<String>) -> FormView {
        self.hidden.push((
            ONCE.to_string(),
            posted.unwrap_or_else(crate::auth::random_token),
        ));
        self
    }

    /// Puts what was typed back into the fields `names` (numbers that could not
    /// be read, say: the form is rebuilt from the parsed values, which lost them).
    pub fn keep_typed(mut self, posted: &Posted, names: &[&str]) -> FormView {
        for f in &mut self.fields {
            if names.contains(&f.name) {
                f.value = posted.get(f.name);
            }
        }
        self
    }

    /// Puts the validation messages next to their fields.
    pub fn with_errors(mut self, errors: &Errors) -> FormView {
        for f in &mut self.fields {
            if let Some((_, m)) = errors.0.iter().find(|(n, _)| *n == f.name) {
                f.error = Some(m.clone());
            }
        }
        self
    }
}

#[derive(Template)]
#[template(path = "form.html")]
struct FormPage {
    c: Chrome,
    f: FormView,
}

/// Renders a form page with a status (200, or 422 when it has errors).
pub fn render_form(section: &'static str, f: FormView) -> Result<Response, AppError> {
    let status = if f.has_errors() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let errors = FieldErrors(
        f.fields
            .iter()
            .filter_map(|x| x.error.clone().map(|e| (x.name.to_string(), e)))
            .collect(),
    );
    let html = FormPage {
        c: Chrome::new(section),
        f,
    }
    .render()
    .map_err(|e| AppError::Internal(format!("template: {e}")))?;
    let mut response = (status, Html(html)).into_response();
    response.extensions_mut().insert(errors);
    Ok(response)
}

/// The field errors of a form's answer, for the API's write operations
/// ([`crate::api_forms`]): (field name, message).
#[derive(Debug, Clone, Default)]
pub struct FieldErrors(pub Vec<(String, String)>);

/// Why a form's save was refused although its fields were valid (the conflict
/// page: someone saved first), for the API: the message and, per field, (label,
/// what was sent, what is saved).
#[derive(Debug, Clone, Default)]
pub struct Refusal {
    pub message: String,
    pub rows: Vec<(String, String, String)>,
}

/// The choices of a filter (`<select>` of a list page): "all" first, then
/// `(value, label)` of each, with the one picked marked: `(value, label, selected)`.
pub fn filter_choices(
    t: &Tr,
    picked: &str,
    all: Vec<(String, String)>,
) -> Vec<(String, String, bool)> {
    let mut out = vec![(String::new(), t.t("filter-all"), picked.is_empty())];
    out.extend(all.into_iter().map(|(v, l)| {
        let on = v == picked;
        (v, l, on)
    }));
    out
}

/// What a form handler receives: every posted (name, value) pair.
pub type Posts = Form<Vec<(String, String)>>;

/// A posted form (`application/x-www-form-urlencoded`), like `axum::Form`, but a
/// body that cannot be read becomes our error page in the reader's language: too
/// large → 413, anything else → 400.
pub struct Form<T>(pub T);

impl<S, T> axum::extract::FromRequest<S> for Form<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, AppError> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(Form(v)),
            Err(e) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                Err(AppError::TooLarge)
            }
            Err(e) => {
                tracing::info!(error = %e.body_text(), "a form could not be read");
                Err(AppError::BadRequest(
                    crate::i18n::current_tr().t("error-form-unreadable"),
                ))
            }
        }
    }
}

/// Validation messages by field name.
#[derive(Default, Debug)]
pub struct Errors(pub Vec<(&'static str, String)>);

/// A form written into a page's own template (not a [`FormView`]), sent back
/// with errors: which of the page's forms it was, what was typed, and each
/// field's message. The template asks for a field's value and error, so the
/// page shows the form again as it was sent, the message beside the field
/// (issue 27, item 6: nothing typed is lost).
#[derive(Debug, Clone, Default)]
pub struct Refill {
    pub form: &'static str,
    pub values: Vec<(String, String)>,
    pub errors: Vec<(&'static str, String)>,
}

impl Refill {
    /// `form`'s fields as posted, with `errors`.
    pub fn new(form: &'static str, posted: &Posted, errors: &Errors) -> Refill {
        Refill {
            form,
            values: posted.0.clone(),
            errors: errors.0.clone(),
        }
    }

    /// What was typed into `name` of `form` ("" for another form).
    pub fn value(&self, form: &str, name: &str) -> String {
        if form != self.form {
            return String::new();
        }
        self.values
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// Whether `value` was the one chosen in `name` of `form` (a select).
    pub fn chose(&self, form: &str, name: &str, value: &str) -> bool {
        form == self.form && self.values.iter().any(|(k, v)| k == name && v == value)
    }

    /// The message of `name` of `form`, if it has one.
    pub fn error(&self, form: &str, name: &str) -> Option<String> {
        if form != self.form {
            return None;
        }
        self.errors
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, m)| m.clone())
    }
}

impl Errors {
    pub fn add(&mut self, field: &'static str, message: String) {
        self.0.push((field, message));
    }
    /// Whether `field` has an error already.
    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|(f, _)| *f == field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A posted form: every (name, value) pair, repeated names kept. Values are read
/// normalised ([`samordna_domain::normalize::text`]: no soft hyphens, no-break
/// spaces, ligatures or control characters pasted from PDF or Word) and trimmed.
pub struct Posted(pub Vec<(String, String)>);

fn clean(v: &str) -> String {
    samordna_domain::normalize::text(v).trim().to_string()
}

impl Posted {
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| clean(v))
            .unwrap_or_default()
    }
    pub fn opt(&self, name: &str) -> Option<String> {
        Some(self.get(name)).filter(|v| !v.is_empty())
    }
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| clean(v))
            .collect()
    }
    pub fn checked(&self, name: &str) -> bool {
        self.get(name) == "on"
    }
    pub fn row_version(&self) -> Result<i64, AppError> {
        self.get("row_version")
            .parse()
            .map_err(|_| AppError::BadRequest(crate::i18n::current_tr().t("error-form-version")))
    }

    /// A required text field.
    pub fn required(&self, t: &Tr, errors: &mut Errors, name: &'static str, label: &str) -> String {
        let v = self.get(name);
        if v.is_empty() {
            errors.add(name, t.t1("error-required", "field", label.to_lowercase()));
        }
        v
    }

    /// A date field, empty or `YYYY-MM-DD`.
    pub fn date(&self, t: &Tr, errors: &mut Errors, name: &'static str) -> Option<NaiveDate> {
        let v = self.get(name);
        if v.is_empty() {
            return None;
        }
        match v.parse::<NaiveDate>() {
            Ok(d) if samordna_domain::calendar::plausible(d) => Some(d),
            Ok(_) => {
                errors.add(name, t.t("error-date-range"));
                None
            }
            Err(_) => {
                errors.add(name, t.t("error-date"));
                None
            }
        }
    }

    /// A whole number field (issue 27, item 6: "tio" in "Minuter" was a 400
    /// page that lost the form): empty is `None`; a value that is not a whole
    /// number in `range` is a field error with the message `message` (which
    /// names the range), and what was typed stays in the field.
    pub fn number(
        &self,
        t: &Tr,
        errors: &mut Errors,
        name: &'static str,
        range: std::ops::RangeInclusive<i64>,
        message: &str,
    ) -> Option<i64> {
        let v = self.get(name);
        if v.is_empty() {
            return None;
        }
        match v.replace([' ', '\u{a0}'], "").parse::<i64>() {
            Ok(n) if range.contains(&n) => Some(n),
            _ => {
                errors.add(name, t.t(message));
                None
            }
        }
    }

    /// A time field `TT:MM`; empty is `None`, anything else a field error.
    pub fn time(&self, t: &Tr, errors: &mut Errors, name: &'static str) -> Option<NaiveTime> {
        let v = self.get(name);
        if v.is_empty() {
            return None;
        }
        match NaiveTime::parse_from_str(&v, "%H:%M") {
            Ok(x) => Some(x),
            Err(_) => {
                errors.add(name, t.t("error-time"));
                None
            }
        }
    }

    /// A choice among a kind's stored names (a select's value); empty is
    /// `None`, an unknown one a field error.
    pub fn choice<T: std::str::FromStr>(
        &self,
        t: &Tr,
        errors: &mut Errors,
        name: &'static str,
    ) -> Option<T> {
        let v = self.get(name);
        if v.is_empty() {
            return None;
        }
        match v.parse::<T>() {
            Ok(x) => Some(x),
            Err(_) => {
                errors.add(name, t.t("error-unknown-choice"));
                None
            }
        }
    }

    /// An id chosen from a select; empty means none.
    pub fn id(
        &self,
        t: &Tr,
        errors: &mut Errors,
        name: &'static str,
        allowed: &[i64],
    ) -> Option<i64> {
        let v = self.get(name);
        if v.is_empty() {
            return None;
        }
        match v.parse::<i64>() {
            Ok(id) if allowed.contains(&id) => Some(id),
            _ => {
                errors.add(name, t.t("error-unknown-choice"));
                None
            }
        }
    }
}

/// Whether a text looks like an e-mail address.
pub fn looks_like_email(s: &str) -> bool {
    let mut parts = s.split('@');
    matches!((parts.next(), parts.next(), parts.next()), (Some(a), Some(b), None) if !a.is_empty() && b.contains('.') && !b.starts_with('.') && !b.ends_with('.') && !s.contains(char::is_whitespace))
}
