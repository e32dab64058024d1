//! "Cite this brief": each brief's own bibliography entry in the site's style.
//!
//! Every brief is the same kind of source (a report or a post of one organization), so entries
//! differ only in the brief's title, names, year and address. hayagriva needs about half a
//! millisecond per entry; instead of a run per brief, an entry is formatted once per *shape*
//! with stand-ins in those places and filled in per brief, as citation forms are filled with
//! their locators (`style.rs`).
//!
//! A stand-in takes a value's place only where the style cannot tell them apart:
//! - A name's words are Latin letters, the first capitalized or lower case as the brief's is and
//!   the rest lower case (what initials and particles read), or initials ("D."), kept as they
//!   are; a title has no quotation marks or markup, apostrophes only inside words, and ends in a
//!   letter, a digit, "?" or "!" (which the stand-in then ends in too: styles join end
//!   punctuation with their own); an address is a plain web URL. Briefs with other values are
//!   formatted on their own (`values.rs`).
//! - A *coarse* shape hides every name and the month and day. It is formatted again with other
//!   stand-ins for the names, the month, the day and the rest, and used only if each gives the
//!   same entry around them: a style that prints initials or the day tells the two apart. The
//!   brief then gets a *finer* shape, keeping what the style reads (its names' first letters,
//!   its month, its day) as it is.
//! - A title may come out in any of CSL's text cases. Its stand-in has words of every kind
//!   (stop words first, inside and last, lower case, capitalized, capitals, initials), so the
//!   case the style applied shows, and the brief's title is put in that case with hayagriva's
//!   own code.
//! - A stand-in shown in a form not recognised (the year as "48", a name in capitals), or shown
//!   where nothing may be (the brief's id, its abstract), makes the shape unusable; the brief's
//!   entry is then formatted on its own.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use super::Source;
use super::style::CitationStyle;
use crate::html::escape;
use hayagriva::citationberg::TextCase;
use hayagriva::citationberg::json::Item;
use hayagriva::lang::Case;
use stand::{MARK, Own, Set, Stand, stand_in};
use values::Values;

mod stand;
mod values;

/// Shapes formatted so far, by their stand-in source's CSL-JSON, and how entries were made.
#[derive(Default)]
pub(super) struct Shapes {
    made: Mutex<HashMap<String, Arc<OnceLock<Shape>>>>,
    filled: AtomicUsize,
    alone: AtomicUsize,
}

/// How "cite this brief" entries were made (`dossier build -v` prints it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ReferenceCounts {
    /// Entries filled in from a template.
    pub(crate) filled: usize,
    /// Templates made (each one hayagriva run, and four more to prove a coarse shape).
    pub(crate) templates: usize,
    /// Entries formatted on their own.
    pub(crate) alone: usize,
}

/// An entry with holes for what differs from brief to brief.
type Template = Vec<Piece>;

#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    /// The title, in the text case (or cases: they agreed on the stand-in) the style gave it.
    Title(Vec<Case>),
    /// The `n`-th word of the brief's names.
    Word(usize),
    Year,
    Url,
}

/// What the style made of a shape.
enum Shape {
    Template(Template),
    /// The style shows the stand-ins' initials or dates (APA's "Marsh, E.", a post's day):
    /// briefs need a finer shape that keeps theirs.
    Finer(Own),
    /// Briefs of this shape are formatted on their own.
    Alone,
}

/// The cases a CSL style can put text in, as hayagriva applies them.
fn cases() -> [Case; 7] {
    [
        Case::NoTransform,
        TextCase::Uppercase.into(),
        TextCase::Lowercase.into(),
        TextCase::TitleCase.into(),
        TextCase::SentenceCase.into(),
        TextCase::CapitalizeFirst.into(),
        TextCase::CapitalizeAll.into(),
    ]
}

/// The entry formatted with stand-ins, read back as a template: `None` if a stand-in shows in a
/// form not recognised.
fn template(html: &str, values: &Values, stand: Stand) -> Option<Template> {
    let mut patterns: Vec<(String, Piece)> = Vec::new();
    if values.title.is_some() {
        for case in cases() {
            let shown = case.transform(&stand.title(values.title_end));
            match patterns.iter_mut().find(|(text, _)| *text == shown) {
                Some((_, Piece::Title(same))) => same.push(case),
                _ => patterns.push((shown, Piece::Title(vec![case]))),
            }
        }
    }
    for (n, word) in values.words.iter().enumerate() {
        patterns.push((stand.word(n, word), Piece::Word(n)));
    }
    if let Some(url) = values.url {
        patterns.push((stand.url(url.ends_with('/')), Piece::Url));
    }
    let year = stand.year().to_string();
    if values.year.is_some() {
        patterns.push((year.clone(), Piece::Year));
    }
    let mut pieces = Vec::new();
    let mut rest = html;
    loop {
        // The first stand-in in the rest; of two starting there, the longer.
        let next = patterns
            .iter()
            .filter_map(|(text, piece)| rest.find(text.as_str()).map(|at| (at, text.len(), piece)))
            .min_by_key(|&(at, len, _)| (at, std::cmp::Reverse(len)));
        let Some((at, len, piece)) = next else { break };
        if at > 0 {
            pieces.push(Piece::Text(rest[..at].to_owned()));
        }
        pieces.push(piece.clone());
        rest = &rest[at + len..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest.to_owned()));
    }
    let short_year = &year[2..];
    let clean = pieces.iter().all(|piece| match piece {
        Piece::Text(text) => !text.to_lowercase().contains(MARK) && !text.contains(short_year),
        _ => true,
    });
    clean.then_some(pieces)
}

/// The brief's entry from a template, if its title takes the case the template gives it.
fn fill(template: &Template, values: &Values) -> Option<String> {
    let mut html = String::with_capacity(256);
    for piece in template {
        match piece {
            Piece::Text(text) => html.push_str(text),
            Piece::Title(cases) => {
                let title = values.title.as_deref()?;
                let shown = cases[0].transform(title);
                if cases[1..].iter().any(|case| case.transform(title) != shown) {
                    return None;
                }
                html.push_str(&escape(&shown));
            }
            Piece::Word(n) => html.push_str(&escape(values.words.get(*n)?)),
            Piece::Year => html.push_str(&values.year?.to_string()),
            Piece::Url => html.push_str(&escape(values.url?)),
        }
    }
    Some(html)
}

impl CitationStyle {
    /// The bibliography entry of a brief (or any source) for "cite this brief": filled in from
    /// its shape's template where it has one, else formatted on its own.
    pub fn reference(&self, source: &Source) -> String {
        if let Some(values) = Values::of(source) {
            let mut stand = Stand::A;
            loop {
                let shape = self.shape(source, &values, stand);
                match shape.get() {
                    Some(Shape::Template(template)) => match fill(template, &values) {
                        Some(html) => {
                            self.shapes().filled.fetch_add(1, Ordering::Relaxed);
                            return html;
                        }
                        None => break,
                    },
                    Some(&Shape::Finer(own)) if stand == Stand::A => {
                        stand = Stand { own, ..stand };
                    }
                    _ => break,
                }
            }
        }
        self.shapes().alone.fetch_add(1, Ordering::Relaxed);
        self.reference_now(&source.csl_item())
    }

    /// How the entries so far were made.
    pub(crate) fn reference_counts(&self) -> ReferenceCounts {
        let shapes = self.shapes();
        let templates = shapes.made.lock().map_or(0, |made| {
            made.values()
                .filter(|cell| matches!(cell.get(), Some(Shape::Template(_))))
                .count()
        });
        ReferenceCounts {
            filled: shapes.filled.load(Ordering::Relaxed),
            templates,
            alone: shapes.alone.load(Ordering::Relaxed),
        }
    }

    /// What the style makes of the source's shape under `stand` (`Stand::A`: the coarse shape,
    /// else a finer one), found out the first time a brief of that shape asks.
    fn shape(&self, source: &Source, values: &Values, stand: Stand) -> Arc<OnceLock<Shape>> {
        let item = stand_in(source, values, stand).csl_item();
        let key = serde_json::to_string(&item.0).unwrap_or_default();
        let cell = match self.shapes().made.lock() {
            Ok(mut shapes) => shapes.entry(key).or_default().clone(),
            // A thread panicked while holding the map: go on without sharing templates.
            Err(_) => Arc::default(),
        };
        cell.get_or_init(|| {
            let read = |item: &Item, stand| template(&self.reference_now(item), values, stand);
            let Some(first) = read(&item, stand) else {
                return Shape::Alone;
            };
            if stand != Stand::A {
                // A finer shape, asked for by a coarse one whose title, address and year were
                // shown only as stand-ins: what the style reads of the names' first letters, the
                // month or the day is the brief's own.
                return Shape::Template(first);
            }
            // Other stand-ins for the names, the dates, the rest: whatever the style shows
            // differently besides the stand-ins themselves it reads from them.
            let differs = |other: Stand| {
                let item = stand_in(source, values, other).csl_item();
                read(&item, other).is_none_or(|other| other != first)
            };
            let text = Stand {
                text: Set::B,
                ..stand
            };
            if differs(text) {
                return Shape::Alone;
            }
            let own = Own {
                initials: differs(Stand {
                    names: Set::B,
                    ..stand
                }),
                month: differs(Stand {
                    month: Set::B,
                    ..stand
                }),
                day: differs(Stand {
                    day: Set::B,
                    ..stand
                }),
            };
            if own == Own::default() {
                Shape::Template(first)
            } else {
                Shape::Finer(own)
            }
        });
        cell
    }
}

#[cfg(test)]
mod tests;
