//! What the server sends as a file: the `Content-Disposition` header of every
//! download, and the one CSV writer of every export.

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::error::AppError;

/// Whether the browser saves the file or shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    Attachment,
    Inline,
}

/// RFC 8187 `attr-char`: what `filename*` may carry without percent-encoding.
const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// `Content-Disposition` for a file name as the user knows it (RFC 6266): the
/// name itself in `filename*=UTF-8''…` (RFC 8187), and an ASCII fallback in
/// `filename="…"` for old clients ("Förslag.pdf" → "Forslag.pdf"). Path
/// separators and control characters never reach either; an empty name becomes
/// `fil`.
pub fn disposition(kind: Disposition, name: &str) -> HeaderValue {
    let name: String = samordna_domain::normalize::line(name)
        .chars()
        .map(|c| if matches!(c, '/' | '\\') { '_' } else { c })
        .collect();
    let name = if name.is_empty() {
        "fil".to_string()
    } else {
        name
    };
    let fallback: String = deunicode::deunicode(&name)
        .chars()
        .map(|c| match c {
            '"' => '\'',
            c if c.is_ascii_graphic() || c == ' ' => c,
            _ => '_',
        })
        .collect();
    let kind = match kind {
        Disposition::Attachment => "attachment",
        Disposition::Inline => "inline",
    };
    let value = format!(
        "{kind}; filename=\"{fallback}\"; filename*=UTF-8''{}",
        utf8_percent_encode(&name, ATTR_CHAR)
    );
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

/// A spreadsheet formula trigger at the start of a cell (`= + - @`, tab, carriage
/// return, and the full-width forms of the four) is neutralised with a leading
/// apostrophe, so that a cell is never run as a formula (CWE-1236).
fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠') => {
            format!("'{cell}").into()
        }
        _ => cell.into(),
    }
}

/// The one CSV writer: UTF-8 with a byte-order mark, `;` between fields and CRLF
/// between records (what Excel expects in a Swedish locale), fields quoted where
/// needed, formula triggers neutralised. Sent as an attachment named `filename`.
pub fn csv<R, C>(filename: &str, header: &[&str], rows: R) -> Result<Response, AppError>
where
    R: IntoIterator<Item = Vec<C>>,
    C: AsRef<str>,
{
    let mut w = ::csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::from("\u{feff}".as_bytes()));
    let fail = |e: ::csv::Error| AppError::Internal(format!("csv: {e}"));
    w.write_record(header).map_err(fail)?;
    for row in rows {
        w.write_record(row.iter().map(|c| neutralise(c.as_ref()).into_owned()))
            .map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::Internal(format!("csv: {e}")))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                disposition(Disposition::Attachment, filename),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_keep_their_letters() {
        let v = disposition(Disposition::Attachment, "Förslag till åtgärder 2026.pdf");
        assert_eq!(
            v.to_str().unwrap(),
            "attachment; filename=\"Forslag till atgarder 2026.pdf\"; filename*=UTF-8''F%C3%B6rslag%20till%20%C3%A5tg%C3%A4rder%202026.pdf"
        );
        let v = disposition(Disposition::Inline, "Svar \"remiss\"\u{7}/../x.txt");
        assert_eq!(
            v.to_str().unwrap(),
            "inline; filename=\"Svar 'remiss'_.._x.txt\"; filename*=UTF-8''Svar%20%22remiss%22_.._x.txt"
        );
        assert!(disposition(Disposition::Attachment, "")
            .to_str()
            .unwrap()
            .contains("filename=\"fil\""));
    }

    #[test]
    fn cells_that_start_a_formula_are_neutralised() {
        for bad in ["=1+1", "+A1", "-2", "@SUM(A1)", "\tx", "\rx", "＝1", "＠x"] {
            assert!(neutralise(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(neutralise("Åsa"), "Åsa");
    }
}
