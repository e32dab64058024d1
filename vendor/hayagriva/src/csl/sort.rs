use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use citationberg::taxonomy::Variable;
use citationberg::{
    DemoteNonDroppingParticle, InheritableNameOptions, LocaleCode, LongShortForm, Sort,
    SortDirection, SortKey,
};
use icu_collator::{Collator, CollatorBorrowed, CollatorPreferences};
use icu_collator::options::{AlternateHandling, CollatorOptions, Strength};
use icu_collator::preferences::CollationNumericOrdering;
use icu_locale::Locale as IcuLocale;

use crate::csl::BufWriteFormat;
use crate::csl::rendering::RenderCsl;

use super::taxonomy::EntryLike;
use super::{CitationItem, InstanceContext, StyleContext};
use crate::types::MaybeTyped;

/// What an entry sorts by under a style's `<sort>`: one value per sort key, each reduced to bytes
/// that compare as the style compares them (strings through the locale's collation), so that
/// entries formatted apart can be ordered later, or cached, without the style at hand.
///
/// Compare keys made by the same style and locale. Empty values sort last, in both directions
/// (CSL 1.0.2, "Sorting"); entries whose keys are equal keep their order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EntrySortKey(Vec<SortValue>);

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
struct SortValue {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    descending: bool,
    /// `None`: the entry has no value for this key.
    value: Option<Vec<Vec<u8>>>,
}

impl Ord for EntrySortKey {
    fn cmp(&self, other: &Self) -> Ordering {
        for (a, b) in self.0.iter().zip(&other.0) {
            let ordering = match (&a.value, &b.value) {
                (Some(x), Some(y)) if a.descending => y.cmp(x),
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            };
            if ordering != Ordering::Equal {
                return ordering;
            }
        }
        self.0.len().cmp(&other.0.len())
    }
}

impl PartialOrd for EntrySortKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Computes entries' bibliography sort keys, for callers that format entries one by one and
/// order them afterwards (as [`BibliographyDriver`](super::BibliographyDriver) would).
pub struct BibliographySorter<'a> {
    style: StyleContext<'a>,
    collator: Option<CollatorBorrowed<'static>>,
}

impl<'a> BibliographySorter<'a> {
    /// A sorter for the bibliography of the request's style and locale.
    pub fn new(request: &super::BibliographyRequest<'a>) -> Self {
        let style = request.style();
        let collator = style.collator();
        Self { style, collator }
    }

    /// The entry's bibliography sort key; `None` if the style does not sort its
    /// bibliography (entries then keep their citation order). `citation_number` counts
    /// from zero and matters only to styles that sort by `citation-number`.
    pub fn key<T: EntryLike>(
        &self,
        entry: &T,
        citation_number: usize,
    ) -> Option<EntrySortKey> {
        let sort = self.style.csl.bibliography.as_ref()?.sort.as_ref()?;
        let item = CitationItem::with_entry(entry);
        Some(self.style.sort_key(
            &item,
            citation_number,
            sort,
            self.style.locale_override.as_ref(),
            self.collator.as_ref(),
        ))
    }
}

/// Bytes that compare as the collator compares the (lower-cased) text.
fn text_key(collator: Option<&CollatorBorrowed<'static>>, text: &str) -> Vec<u8> {
    let text = text.to_lowercase();
    match collator {
        Some(collator) => {
            let mut key = Vec::with_capacity(text.len() * 2);
            let Ok(()) = collator.write_sort_key_to(&text, &mut key);
            key
        }
        None => text.into_bytes(),
    }
}

/// Appends a string such that the concatenation compares part by part, shorter first.
fn push_part(buf: &mut Vec<u8>, part: &str) {
    for &b in part.as_bytes() {
        buf.push(b);
        if b == 0 {
            buf.push(0xFF);
        }
    }
    buf.extend_from_slice(&[0, 1]);
}

fn push_opt_part(buf: &mut Vec<u8>, part: Option<&str>) {
    match part {
        Some(part) => {
            buf.push(1);
            push_part(buf, part);
        }
        None => buf.push(0),
    }
}

/// One name's bytes, comparing as [`Person::csl_cmp`](crate::types::Person) orders names.
pub(super) fn person_key(person: &crate::types::Person, demote_particle: bool) -> Vec<u8> {
    let lower = |s: &str| s.to_lowercase();
    let given = person.given_name.as_deref().map(lower);
    let mut buf = Vec::new();
    // CJK names go last.
    if person.is_cjk() {
        buf.push(1);
        push_part(&mut buf, &lower(&person.name));
        push_opt_part(&mut buf, given.as_deref());
        return buf;
    }
    buf.push(0);
    let suffix = person.suffix.as_deref().map(lower);
    if demote_particle {
        push_part(&mut buf, &lower(person.name_without_particle()));
        let particles = person.name_particles().map(|p| lower(&p));
        push_opt_part(&mut buf, particles.as_deref());
    } else {
        push_part(&mut buf, &lower(&person.name));
        let prefix = person.prefix.as_deref().map(lower);
        push_opt_part(&mut buf, prefix.as_deref());
    }
    push_opt_part(&mut buf, given.as_deref());
    push_opt_part(&mut buf, suffix.as_deref());
    buf
}

/// A date's bytes, comparing as [`Date::csl_cmp`](crate::types::Date) orders dates.
pub(super) fn date_key(date: &crate::types::Date) -> Vec<u8> {
    let mut buf = ((date.year as u32) ^ 0x8000_0000).to_be_bytes().to_vec();
    for part in [date.month, date.day] {
        match part {
            Some(n) => buf.extend_from_slice(&[1, n]),
            None => buf.extend_from_slice(&[0, date.approximate as u8]),
        }
    }
    buf
}

/// A number's bytes: typed numbers by value, others as text after all typed ones.
fn number_key<T>(
    value: &MaybeTyped<T>,
    numbers: impl FnOnce(&T) -> Vec<i32>,
) -> Vec<u8> {
    match value {
        MaybeTyped::Typed(typed) => {
            let mut buf = vec![0];
            for n in numbers(typed) {
                buf.extend_from_slice(&((n as u32) ^ 0x8000_0000).to_be_bytes());
            }
            buf
        }
        MaybeTyped::String(s) => {
            let mut buf = vec![1];
            buf.extend_from_slice(s.as_bytes());
            buf
        }
    }
}

impl StyleContext<'_> {
    /// The collator for the style's locale, made once per sort: making one is far costlier
    /// than comparing with it.
    ///
    /// It compares as citeproc-js does (`Intl.Collator` with `sensitivity: "base"`,
    /// `ignorePunctuation: true`, `numeric: true`): base letters only, punctuation and spaces
    /// ignored (a quoted title does not sort before every unquoted one), digits by value.
    fn collator(&self) -> Option<CollatorBorrowed<'static>> {
        let locale = self.locale().0.parse::<IcuLocale>().ok()?;
        let mut prefs = CollatorPreferences::from(&locale);
        prefs.numeric_ordering = Some(CollationNumericOrdering::True);
        let mut options = CollatorOptions::default();
        options.strength = Some(Strength::Primary);
        options.alternate_handling = Some(AlternateHandling::Shifted);
        Collator::try_new(prefs, options).ok()
    }

    /// The value of one sort key for an entry.
    fn sort_value<T: EntryLike>(
        &self,
        item: &CitationItem<T>,
        idx: usize,
        key: &SortKey,
        term_locale: Option<&LocaleCode>,
        collator: Option<&CollatorBorrowed<'static>>,
    ) -> Option<Vec<Vec<u8>>> {
        match key {
            SortKey::Variable { variable: Variable::Standard(s), .. } => {
                InstanceContext::variable_sort_instance(item, idx)
                    .resolve_standard_variable(LongShortForm::default(), *s)
                    .map(|s| vec![text_key(collator, &s.to_string())])
            }
            SortKey::Variable { variable: Variable::Date(d), .. } => {
                item.entry.resolve_date_variable(*d).map(|d| vec![date_key(&d)])
            }
            SortKey::Variable { variable: Variable::Name(n), .. } => {
                let demote = self.csl.settings.demote_non_dropping_particle
                    != DemoteNonDroppingParticle::Never;
                let names: Vec<Vec<u8>> = item
                    .entry
                    .resolve_name_variable(*n)
                    .iter()
                    .map(|p| person_key(p, demote))
                    .collect();
                (!names.is_empty()).then_some(names)
            }
            SortKey::Variable { variable: Variable::Number(n), .. } => {
                InstanceContext::variable_sort_instance(item, idx)
                    .resolve_number_variable(*n)
                    .map(|n| match n {
                        super::NumberVariableResult::Regular(n) => {
                            vec![number_key(&n, |n| n.value.into_iter().collect())]
                        }
                        super::NumberVariableResult::Transparent(i) => {
                            vec![vec![2], (i as u64).to_be_bytes().to_vec()]
                        }
                    })
            }
            SortKey::Variable { variable: Variable::Page(pv), .. } => {
                InstanceContext::variable_sort_instance(item, idx)
                    .resolve_page_variable(*pv)
                    .map(|p| {
                        vec![number_key(&p, |p| {
                            p.first()
                                .map(|n| n.value.into_iter().collect())
                                .unwrap_or_default()
                        })]
                    })
            }
            SortKey::MacroName {
                name, names_min, names_use_first, names_use_last, ..
            } => {
                let mut ctx = self.macro_sorting_ctx(
                    item,
                    idx,
                    item.locale.as_ref(),
                    term_locale,
                    false,
                );
                ctx.writing.name_options.push(InheritableNameOptions {
                    et_al_min: *names_min,
                    et_al_subsequent_min: *names_min,
                    et_al_use_first: *names_use_first,
                    et_al_subsequent_use_first: *names_use_first,
                    et_al_use_last: *names_use_last,
                    ..Default::default()
                });
                let m = self.get_macro(name)?;
                for child in &m.children {
                    child.render(&mut ctx)
                }
                let mut text = String::new();
                for child in ctx.flush().0 {
                    child.write_buf(&mut text, BufWriteFormat::Plain).ok()?;
                }
                // An empty rendering is no value: it sorts last.
                (!text.trim().is_empty()).then(|| vec![text_key(collator, &text)])
            }
        }
    }

    /// An entry's values for all keys of a `<sort>`.
    fn sort_key<T: EntryLike>(
        &self,
        item: &CitationItem<T>,
        idx: usize,
        sort: &Sort,
        term_locale: Option<&LocaleCode>,
        collator: Option<&CollatorBorrowed<'static>>,
    ) -> EntrySortKey {
        EntrySortKey(
            sort.keys
                .iter()
                .map(|key| SortValue {
                    descending: key.sort_direction() == SortDirection::Descending,
                    value: self.sort_value(item, idx, key, term_locale, collator),
                })
                .collect(),
        )
    }

    /// Sorts the given citation items by the style's sort keys (stable: items with equal keys
    /// keep their order). Each item's key is computed once.
    pub fn sort<T: EntryLike>(
        &self,
        cites: &mut [CitationItem<T>],
        sort: Option<&Sort>,
        term_locale: Option<&LocaleCode>,
        citation_number: impl Fn(&T) -> usize,
    ) {
        let Some(sort) = sort else { return };
        if cites.len() < 2 {
            return;
        }
        let collator = self.collator();
        cites.sort_by_cached_key(|item| {
            self.sort_key(
                item,
                citation_number(item.entry),
                sort,
                term_locale,
                collator.as_ref(),
            )
        });
    }
}
