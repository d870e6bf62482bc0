//! Text for people, without the words: a message id of the UI's message files
//! (`crates/web/locales/{sv,en}.ftl`) with its arguments, or a name or label taken
//! as it is. The domain says *what* to tell (a rule's finding, why a rule could not
//! be checked); the web layer and the CLI say it in the reader's language.

use serde::Serialize;

/// One argument of a message.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Arg {
    Str(String),
    Num(i64),
    /// A message of its own, rendered first (a topic, a body to escalate to).
    Text(Box<Text>),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Str(s.to_string())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Str(s)
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::Str(s.clone())
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Arg {
        Arg::Num(n)
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Arg {
        Arg::Num(n as i64)
    }
}

impl From<u32> for Arg {
    fn from(n: u32) -> Arg {
        Arg::Num(i64::from(n))
    }
}

impl From<i32> for Arg {
    fn from(n: i32) -> Arg {
        Arg::Num(i64::from(n))
    }
}

impl From<Text> for Arg {
    fn from(t: Text) -> Arg {
        Arg::Text(Box::new(t))
    }
}

/// A piece of text for people.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Text {
    /// A name, a label or a quote, shown as it is in every language.
    Plain(String),
    /// A message of the message files, by id, with named arguments.
    Message {
        id: &'static str,
        args: Vec<(&'static str, Arg)>,
    },
}

impl Text {
    /// Text shown as it is.
    pub fn plain(s: impl Into<String>) -> Text {
        Text::Plain(s.into())
    }

    /// A message without arguments.
    pub fn id(id: &'static str) -> Text {
        Text::Message { id, args: vec![] }
    }

    /// A message with arguments.
    pub fn msg(id: &'static str, args: Vec<(&'static str, Arg)>) -> Text {
        Text::Message { id, args }
    }

    /// The message id, if this is a message.
    pub fn message_id(&self) -> Option<&'static str> {
        match self {
            Text::Message { id, .. } => Some(id),
            Text::Plain(_) => None,
        }
    }

    /// An argument by name.
    pub fn arg(&self, name: &str) -> Option<&Arg> {
        match self {
            Text::Message { args, .. } => args.iter().find(|(k, _)| *k == name).map(|(_, v)| v),
            Text::Plain(_) => None,
        }
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text::Plain(s)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::Plain(s.to_string())
    }
}

/// `Text::msg(id, vec![(name, value.into()), …])`, shorter.
#[macro_export]
macro_rules! text {
    ($id:literal) => {
        $crate::message::Text::id($id)
    };
    ($id:literal, $($k:literal => $v:expr),+ $(,)?) => {
        $crate::message::Text::msg($id, vec![$(($k, $crate::message::Arg::from($v))),+])
    };
}
