//! Meetings and minutes (mötesanteckningar): the states they pass through. The
//! calendar and feed that publish them are written by the web layer.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingKind {
    Ordinary,
    Extra,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingState {
    Planned,
    Held,
    Cancelled,
}

/// Minutes: drafted by the coordinator, submitted to the chair, approved (justerade)
/// or returned with a comment, then published. Approval freezes the text; a
/// correction is a new version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MinutesStatus {
    Draft,
    Submitted,
    Returned,
    Approved,
    Published,
}

/// What can be done to minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MinutesStep {
    Edit,
    Submit,
    Approve,
    Return,
    Publish,
}

macro_rules! str_enum {
    ($t:ty { $($v:ident => $s:literal),* $(,)? }) => {
        impl $t {
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s),* }
            }
        }
        impl std::str::FromStr for $t {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s { $($s => Ok(Self::$v),)* other => Err(format!("okänt värde: {other}")) }
            }
        }
    };
}

str_enum!(MeetingKind { Ordinary => "ordinary", Extra => "extra" });
str_enum!(MeetingState { Planned => "planned", Held => "held", Cancelled => "cancelled" });

impl MeetingState {
    /// The state as a reader understands it at `now`: a planned meeting that
    /// ended before `now` was held (nobody marks it so). Every page, list, export
    /// and API shows this one.
    pub fn as_seen(
        self,
        ends_at: chrono::DateTime<chrono::Utc>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> MeetingState {
        if self == MeetingState::Planned && ends_at < now {
            MeetingState::Held
        } else {
            self
        }
    }
}
str_enum!(MinutesStatus { Draft => "draft", Submitted => "submitted", Returned => "returned", Approved => "approved", Published => "published" });

impl MinutesStatus {
    /// The status after a step, or why the step is not possible now.
    /// `publish_separately` is the group's setting: without it approval publishes.
    pub fn after(
        self,
        step: MinutesStep,
        publish_separately: bool,
    ) -> Result<MinutesStatus, &'static str> {
        use MinutesStatus::*;
        use MinutesStep::*;
        match (self, step) {
            (Draft | Returned, Edit) => Ok(self),
            (Draft | Returned, Submit) => Ok(Submitted),
            (Submitted, Approve) if publish_separately => Ok(Approved),
            (Submitted, Approve) => Ok(Published),
            (Submitted, Return) => Ok(Returned),
            (Approved, Publish) => Ok(Published),
            (Approved | Published, Edit) => {
                Err("justerade anteckningar ändras inte; gör en rättelse i stället")
            }
            (Submitted, Edit) => Err("anteckningarna väntar på justering"),
            _ => Err("det steget går inte att ta nu"),
        }
    }

    /// The status in Swedish, for messages outside the portal (CLI, logs).
    pub fn label_sv(self) -> &'static str {
        match self {
            MinutesStatus::Draft => "utkast",
            MinutesStatus::Submitted => "skickade för justering",
            MinutesStatus::Returned => "återförvisade",
            MinutesStatus::Approved => "justerade",
            MinutesStatus::Published => "publicerade",
        }
    }

    /// Approved minutes are frozen and may be read outside the group once published.
    pub fn is_approved(self) -> bool {
        matches!(self, MinutesStatus::Approved | MinutesStatus::Published)
    }
}

/// Whether the number of ordinary meetings in a year is inside the charter's range.
pub fn frequency_outside(count: u32, min: Option<u32>, max: Option<u32>) -> bool {
    min.is_some_and(|m| count < m) || max.is_some_and(|m| count > m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use MinutesStatus::*;
    use MinutesStep::*;

    #[test]
    fn minutes_go_from_draft_to_published() {
        assert_eq!(Draft.after(Submit, false), Ok(Submitted));
        assert_eq!(Submitted.after(Return, false), Ok(Returned));
        assert_eq!(Returned.after(Submit, false), Ok(Submitted));
        assert_eq!(
            Submitted.after(Approve, false),
            Ok(Published),
            "approval publishes by default"
        );
        assert_eq!(Submitted.after(Approve, true), Ok(Approved));
        assert_eq!(Approved.after(Publish, true), Ok(Published));
        assert!(
            Approved.after(Edit, true).is_err(),
            "approved text is frozen"
        );
        assert!(Published.after(Edit, false).is_err());
        assert!(
            Draft.after(Approve, false).is_err(),
            "the chair approves only what was submitted"
        );
        assert!(Published.after(Return, false).is_err());
    }

    #[test]
    fn frequency_range() {
        assert!(frequency_outside(3, Some(4), Some(8)));
        assert!(!frequency_outside(4, Some(4), Some(8)));
        assert!(frequency_outside(9, Some(4), Some(8)));
        assert!(!frequency_outside(0, None, None));
    }
}
