//! Samordna's domain: the types that describe governance groups and their charters,
//! the charter parser, and the rules for naming and matching organisations.
//!
//! Architecture invariant: this crate does no I/O. It knows nothing of HTTP, SQL,
//! files or search indexes; everything here is a pure function of its input.

pub mod calendar;
pub mod collation;
pub mod decisions;
pub mod diff;
pub mod drafts;
pub mod holidays;
pub mod import;
pub mod matters;
pub mod meetings;
pub mod message;
pub mod model;
pub mod names;
pub mod normalize;
pub mod parse;
pub mod policy;
pub mod quotes;
pub mod render;
pub mod rules;
pub mod search;
pub mod templates;
mod text;

pub use model::{CharterStatus, DocumentKind, OrgKind, RegistryNumber};
pub use parse::{parse_charter, ParseError, ParsedCharter};
