//! Small value types that parse instead of validate: once one exists, it is valid.

use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The kind of a governance group or other body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// Samordningsråd (SOR): a coordination council.
    Samordningsrad,
    /// Samordningsgrupp: a coordination group, usually under a council.
    Samordningsgrupp,
    /// Regionalt processteam.
    RegionaltProcessteam,
    /// Undergrupp: a subgroup.
    Undergrupp,
    /// Ledningsgrupp, e.g. ledningsgrupp hälso- och sjukvård.
    Ledningsgrupp,
    /// Förvaltning: an administration.
    Forvaltning,
    /// Any other body, such as PPR or Klinisk ledning.
    Other,
}

impl OrgKind {
    pub const ALL: [OrgKind; 7] = [
        OrgKind::Samordningsrad,
        OrgKind::Samordningsgrupp,
        OrgKind::RegionaltProcessteam,
        OrgKind::Undergrupp,
        OrgKind::Ledningsgrupp,
        OrgKind::Forvaltning,
        OrgKind::Other,
    ];

    /// The stable identifier used in storage and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Samordningsrad => "samordningsrad",
            OrgKind::Samordningsgrupp => "samordningsgrupp",
            OrgKind::RegionaltProcessteam => "regionalt_processteam",
            OrgKind::Undergrupp => "undergrupp",
            OrgKind::Ledningsgrupp => "ledningsgrupp",
            OrgKind::Forvaltning => "forvaltning",
            OrgKind::Other => "other",
        }
    }

    /// Whether this is one of the governance groups the register runs (councils,
    /// coordination groups, process teams, subgroups): the groups in the register's
    /// tree, whose charters the rules check. Bodies they refer to (ledningsgrupper,
    /// förvaltningar, PPR …) are not.
    pub fn is_governance_group(self) -> bool {
        matches!(
            self,
            OrgKind::Samordningsrad
                | OrgKind::Samordningsgrupp
                | OrgKind::RegionaltProcessteam
                | OrgKind::Undergrupp
        )
    }

    /// The Swedish word shown to users.
    pub fn label_sv(self) -> &'static str {
        match self {
            OrgKind::Samordningsrad => "Samordningsråd",
            OrgKind::Samordningsgrupp => "Samordningsgrupp",
            OrgKind::RegionaltProcessteam => "Regionalt processteam",
            OrgKind::Undergrupp => "Undergrupp",
            OrgKind::Ledningsgrupp => "Ledningsgrupp",
            OrgKind::Forvaltning => "Förvaltning",
            OrgKind::Other => "Övrigt organ",
        }
    }

    /// Recognises the kind from the first words of a group's name.
    pub fn from_name(name: &str) -> Option<OrgKind> {
        let lower = name.trim().to_lowercase();
        let starts = |p: &str| lower.starts_with(p);
        if starts("samordningsråd") || starts("sor ") {
            Some(OrgKind::Samordningsrad)
        } else if starts("samordningsgrupp") {
            Some(OrgKind::Samordningsgrupp)
        } else if starts("regionalt processteam") || starts("regionala processteam") {
            Some(OrgKind::RegionaltProcessteam)
        } else if starts("undergrupp") {
            Some(OrgKind::Undergrupp)
        } else if starts("ledningsgrupp") || starts("koncernledning") {
            Some(OrgKind::Ledningsgrupp)
        } else {
            None
        }
    }
}

impl fmt::Display for OrgKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OrgKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OrgKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("okänd gruppkategori: {s}"))
    }
}

/// The kind of charter document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Uppdragshandling,
    Verkstallighetsbeslut,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Uppdragshandling => "uppdragshandling",
            DocumentKind::Verkstallighetsbeslut => "verkstallighetsbeslut",
        }
    }
    pub fn label_sv(self) -> &'static str {
        match self {
            DocumentKind::Uppdragshandling => "Uppdragshandling",
            DocumentKind::Verkstallighetsbeslut => "Verkställighetsbeslut",
        }
    }
}

impl FromStr for DocumentKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "uppdragshandling" => Ok(DocumentKind::Uppdragshandling),
            "verkstallighetsbeslut" => Ok(DocumentKind::Verkstallighetsbeslut),
            other => Err(format!("okänd dokumenttyp: {other}")),
        }
    }
}

/// Whether a charter version has been decided. Only a decided version can be in
/// force, and a decided version is never changed again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CharterStatus {
    /// The decision date is still the placeholder ("ifylls av beslutsfattaren").
    Undecided,
    Decided,
}

impl CharterStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CharterStatus::Undecided => "undecided",
            CharterStatus::Decided => "decided",
        }
    }
    pub fn label_sv(self) -> &'static str {
        match self {
            CharterStatus::Undecided => "Ej beslutad",
            CharterStatus::Decided => "Beslutad",
        }
    }
}

impl FromStr for CharterStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "undecided" => Ok(CharterStatus::Undecided),
            "decided" => Ok(CharterStatus::Decided),
            other => Err(format!("okänd beslutsstatus: {other}")),
        }
    }
}

/// A registry number (diarienummer) such as `RS 2024-00784` or `RS 2019-03137-40`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegistryNumber {
    pub prefix: String,
    pub year: u16,
    pub serial: String,
    /// The document suffix, as in `RS 2019-03137-40`.
    pub suffix: Option<String>,
}

pub(crate) static REGISTRY_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([A-ZÅÄÖ]{2,5})\s*(\d{4})\s*[-–—]\s*(\d{3,6})(?:-(\d{1,3}))?\b").unwrap()
});

impl RegistryNumber {
    /// Finds every registry number in a text, in order, written in any of the ways
    /// documents write them ("RS 2024-00370", "RS 2024 – 00370").
    pub fn find_all(text: &str) -> Vec<RegistryNumber> {
        REGISTRY_NUMBER
            .captures_iter(text)
            .filter_map(|c| {
                Some(RegistryNumber {
                    prefix: c[1].to_string(),
                    year: c[2].parse().ok()?,
                    serial: c[3].to_string(),
                    suffix: c.get(4).map(|m| m.as_str().to_string()),
                })
            })
            .collect()
    }

    /// The case this number belongs to: the number without its document suffix.
    pub fn case(&self) -> RegistryNumber {
        RegistryNumber {
            suffix: None,
            ..self.clone()
        }
    }

    /// A URL-safe form: `rs-2024-00784`.
    pub fn slug(&self) -> String {
        self.to_string().to_lowercase().replace(' ', "-")
    }
}

impl fmt::Display for RegistryNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}-{}", self.prefix, self.year, self.serial)?;
        if let Some(s) = &self.suffix {
            write!(f, "-{s}")?;
        }
        Ok(())
    }
}

impl FromStr for RegistryNumber {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        let upper = trimmed.to_uppercase().replacen('-', " ", 1);
        // Accept both "RS 2024-00784" and the slug form "rs-2024-00784".
        for candidate in [trimmed.to_string(), upper] {
            if let Some(m) = REGISTRY_NUMBER.find(&candidate) {
                if m.start() == 0 && m.end() == candidate.len() {
                    return Ok(RegistryNumber::find_all(&candidate).remove(0));
                }
            }
        }
        Err(format!("ogiltigt diarienummer: {trimmed:?}"))
    }
}

impl Serialize for RegistryNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RegistryNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_numbers_are_normalised() {
        let found =
            RegistryNumber::find_all("se (RS 2024 – 00370) och RS 2019-03137-40, SSN 2023-00470.");
        let shown: Vec<String> = found.iter().map(|r| r.to_string()).collect();
        assert_eq!(
            shown,
            ["RS 2024-00370", "RS 2019-03137-40", "SSN 2023-00470"]
        );
        assert_eq!(found[1].case().to_string(), "RS 2019-03137");
    }

    #[test]
    fn registry_number_round_trips_through_its_slug() {
        let r: RegistryNumber = "RS 2024-00784".parse().unwrap();
        assert_eq!(r.slug(), "rs-2024-00784");
        let back: RegistryNumber = r.slug().parse().unwrap();
        assert_eq!(back, r);
        assert!("RS 20x4-1".parse::<RegistryNumber>().is_err());
        assert!("telefon 0708-756704".parse::<RegistryNumber>().is_err());
    }

    #[test]
    fn kinds_are_recognised_from_names() {
        assert_eq!(
            OrgKind::from_name("SOR barn"),
            Some(OrgKind::Samordningsrad)
        );
        assert_eq!(
            OrgKind::from_name("Samordningsgrupp för neonatalvården"),
            Some(OrgKind::Samordningsgrupp)
        );
        assert_eq!(OrgKind::from_name("Klinisk ledning"), None);
        for k in OrgKind::ALL {
            assert_eq!(k.as_str().parse::<OrgKind>().unwrap(), k);
        }
    }
}

/// Whether making `id` report to `new_parent` closes a loop in the reporting
/// lines: the chain from `new_parent` up to `id` (both included) if it does.
/// `parent_of` gives each group's current parent. A group reporting to itself is
/// the shortest loop. Loops already in the data end the walk (at most as many
/// steps as there are groups in a chain, capped at 10 000).
pub fn reporting_cycle(
    parent_of: impl Fn(i64) -> Option<i64>,
    id: i64,
    new_parent: i64,
) -> Option<Vec<i64>> {
    let mut chain = vec![new_parent];
    let mut cur = new_parent;
    for _ in 0..10_000 {
        if cur == id {
            chain.push(id);
            chain.dedup();
            return Some(chain);
        }
        cur = parent_of(cur)?;
        if chain.contains(&cur) && cur != id {
            return None;
        }
        chain.push(cur);
    }
    None
}

#[cfg(test)]
mod cycle_tests {
    use super::reporting_cycle;

    #[test]
    fn loops_in_reporting_lines_are_found() {
        // 1 ← 2 ← 3 (3 reports to 2, 2 to 1)
        let parent = |x: i64| match x {
            2 => Some(1),
            3 => Some(2),
            _ => None,
        };
        assert_eq!(reporting_cycle(parent, 1, 3), Some(vec![3, 2, 1]));
        assert_eq!(reporting_cycle(parent, 1, 1), Some(vec![1]));
        assert_eq!(reporting_cycle(parent, 3, 1), None);
        assert_eq!(reporting_cycle(parent, 4, 3), None);
        // A loop already in the data (5 ↔ 6) does not hang the check.
        let looped = |x: i64| match x {
            5 => Some(6),
            6 => Some(5),
            _ => None,
        };
        assert_eq!(reporting_cycle(looped, 7, 5), None);
    }
}
