//! The stand-ins: what a brief's values are replaced with to format its shape.

use serde_json::Value;

use super::values::{Values, is_initial};
use crate::cite::Source;

/// Two sets of stand-ins, told apart in every letter and digit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Set {
    A,
    B,
}

/// Which stand-ins a source gets: a set for its names, its month, its day and the rest (title,
/// address, year), except for what it keeps of its own.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Stand {
    pub(super) names: Set,
    pub(super) month: Set,
    pub(super) day: Set,
    pub(super) text: Set,
    pub(super) own: Own,
}

/// What a finer shape keeps of the brief's own: its names' first letters, its month, its day.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(super) struct Own {
    pub(super) initials: bool,
    pub(super) month: bool,
    pub(super) day: bool,
}

impl Stand {
    pub(super) const A: Stand = Stand {
        names: Set::A,
        month: Set::A,
        day: Set::A,
        text: Set::A,
        own: Own {
            initials: false,
            month: false,
            day: false,
        },
    };

    pub(super) const fn year(self) -> i32 {
        // Leap years, so that a brief's 29 February stays a date.
        match self.text {
            Set::A => 1848,
            Set::B => 1852,
        }
    }

    /// A month and a day valid together whichever set each comes from.
    fn month_day(self) -> [i32; 2] {
        let month = match self.month {
            Set::A => 11,
            Set::B => 2,
        };
        let day = match self.day {
            Set::A => 23,
            Set::B => 7,
        };
        [month, day]
    }

    /// The title's stand-in, ending as the title does (a question mark, say).
    pub(super) fn title(self, end: Option<char>) -> String {
        let mut title = match self.text {
            Set::A => "of xzjtaw and Xzjtbw XZJTCW Q.X. xzjtdw of",
            Set::B => "of xzjsaw and Xzjsbw XZJSCW Z.X. xzjsdw of",
        }
        .to_owned();
        title.extend(end);
        title
    }

    pub(super) fn url(self, ends_with_slash: bool) -> String {
        let url = match self.text {
            Set::A => "https://xzjuaw.example/xzjubw",
            Set::B => "https://xzjucw.example/xzjudw",
        };
        if ends_with_slash {
            format!("{url}/")
        } else {
            url.to_owned()
        }
    }

    /// The stand-in for the `n`-th word of the names: its first letter the word's (`initials`)
    /// or one of the same case, then letters no word has.
    pub(super) fn word(self, n: usize, word: &str) -> String {
        let first = word.chars().next().unwrap_or('a');
        let first = match (self.own.initials, self.names, first.is_uppercase()) {
            (true, _, _) => first,
            (false, Set::A, true) => 'Q',
            (false, Set::A, false) => 'q',
            (false, Set::B, true) => 'Z',
            (false, Set::B, false) => 'z',
        };
        // Index letters from a to p, then v: no stand-in is the start of another.
        let mut index = String::new();
        let mut rest = n;
        loop {
            index.insert(0, char::from(b'a' + (rest % 16) as u8));
            rest /= 16;
            if rest == 0 {
                break;
            }
        }
        format!("{first}xzj{index}v")
    }
}

/// What every stand-in has, and no value a shape keeps: text still holding it after the
/// stand-ins are taken out was shown in a form not recognised.
pub(super) const MARK: &str = "xzj";

/// `source` with its values replaced by the stand-ins of `stand`.
pub(super) fn stand_in(source: &Source, values: &Values, stand: Stand) -> Source {
    let mut probe = source.clone();
    probe.id = "xzjidw".to_owned();
    if probe.title.is_some() {
        probe.title = Some(stand.title(values.title_end));
    }
    if let Some(url) = values.url {
        probe.url = Some(stand.url(url.ends_with('/')));
    }
    if let Some(summary) = probe.other.get_mut("abstract") {
        *summary = Value::String("xzjabw".to_owned());
    }
    let mut n = 0;
    for name in &mut probe.author {
        for part in [&mut name.literal, &mut name.family, &mut name.given]
            .into_iter()
            .flatten()
        {
            let mut stood = String::with_capacity(part.len() + 8);
            for piece in part.split_inclusive(['-', ' ']) {
                let word = piece.trim_end_matches(['-', ' ']);
                if is_initial(word) {
                    stood.push_str(word);
                } else {
                    stood.push_str(&stand.word(n, word));
                    n += 1;
                }
                // The separator the value has there.
                stood.push_str(&piece[word.len()..]);
            }
            *part = stood;
        }
    }
    if let Some(date) = &mut probe.issued {
        let own = [stand.own.month, stand.own.day];
        let mut parts = vec![stand.year()];
        for (i, stood) in stand.month_day().into_iter().enumerate() {
            if let Some(&part) = date.parts.get(i + 1) {
                parts.push(if own[i] { part } else { stood });
            }
        }
        date.parts = parts;
    }
    probe
}
