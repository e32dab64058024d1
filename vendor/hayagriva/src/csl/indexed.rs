//! A CSL-JSON item whose variables are each read from the item once.
//!
//! A style reads the same variables of an item hundreds of times while it formats one citation
//! (every `<if variable>`, `<if type>`, `<text variable>` and macro call), and each read of a
//! `citationberg::json::Item` searched its `BTreeMap` by the variable's name (string
//! comparisons were the largest single cost of formatting) and converted the value again
//! (a new `ChunkedString` or `Person` each time). `IndexedItem` answers every read after the
//! first from a slot indexed by the variable, with exactly what the item itself answers.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::str::FromStr;

use citationberg::json::Item;
use citationberg::taxonomy::{
    DateVariable, Kind, NameVariable, NumberVariable, PageVariable, StandardVariable,
};
use citationberg::LongShortForm;

use super::taxonomy::{kind_name, EntryLike};
use crate::types::{ChunkedString, Date, MaybeTyped, Numeric, Person};
use crate::PageRanges;

/// Variants of each variable enum of citationberg 0.7 (more are answered uncached).
const STANDARD: usize = 48;
const NUMBERS: usize = 18;
const DATES: usize = 8;
const NAMES: usize = 28;

/// A CSL-JSON item for formatting, with its variables looked up once each (see the module).
pub struct IndexedItem<'a> {
    item: &'a Item,
    /// The item's type, if it is a CSL type name (`Kind::from_str` and back give it unchanged).
    kind: Option<Kind>,
    standard: [[OnceCell<Option<ChunkedString>>; 2]; STANDARD],
    numbers: [OnceCell<Option<MaybeTyped<Numeric>>>; NUMBERS],
    dates: [OnceCell<Option<Date>>; DATES],
    names: [OnceCell<Vec<Person>>; NAMES],
    page: OnceCell<Option<MaybeTyped<PageRanges>>>,
    english: Option<bool>,
}

impl<'a> IndexedItem<'a> {
    /// Wraps `item`; nothing is read from it but its type and language until asked.
    pub fn new(item: &'a Item) -> Self {
        let kind = match item.0.get("type") {
            Some(citationberg::json::Value::String(name)) => Kind::from_str(name)
                .ok()
                .filter(|kind| kind_name(*kind) == name),
            _ => None,
        };
        Self {
            item,
            kind,
            standard: std::array::from_fn(|_| [OnceCell::new(), OnceCell::new()]),
            numbers: std::array::from_fn(|_| OnceCell::new()),
            dates: std::array::from_fn(|_| OnceCell::new()),
            names: std::array::from_fn(|_| OnceCell::new()),
            page: OnceCell::new(),
            english: item.is_english(),
        }
    }

    /// The item this one reads.
    pub fn item(&self) -> &'a Item {
        self.item
    }
}

// Entries are told apart as their items are.
impl PartialEq for IndexedItem<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.item == other.item
    }
}

impl Eq for IndexedItem<'_> {}

impl std::hash::Hash for IndexedItem<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.item.hash(state);
    }
}

impl std::fmt::Debug for IndexedItem<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.item.fmt(f)
    }
}

impl EntryLike for IndexedItem<'_> {
    fn resolve_number_variable(
        &self,
        variable: NumberVariable,
    ) -> Option<MaybeTyped<Cow<'_, Numeric>>> {
        let Some(slot) = self.numbers.get(variable as usize) else {
            return self.item.resolve_number_variable(variable);
        };
        let value = slot.get_or_init(|| {
            self.item.resolve_number_variable(variable).map(|value| match value {
                MaybeTyped::Typed(n) => MaybeTyped::Typed(n.into_owned()),
                MaybeTyped::String(s) => MaybeTyped::String(s),
            })
        });
        value.as_ref().map(|value| match value {
            MaybeTyped::Typed(n) => MaybeTyped::Typed(Cow::Borrowed(n)),
            MaybeTyped::String(s) => MaybeTyped::String(s.clone()),
        })
    }

    fn resolve_page_variable(
        &self,
        variable: PageVariable,
    ) -> Option<MaybeTyped<PageRanges>> {
        match variable {
            PageVariable::Page => self
                .page
                .get_or_init(|| self.item.resolve_page_variable(variable))
                .clone(),
        }
    }

    fn resolve_standard_variable(
        &self,
        form: LongShortForm,
        variable: StandardVariable,
    ) -> Option<Cow<'_, ChunkedString>> {
        let form_index = match form {
            LongShortForm::Long => 0,
            LongShortForm::Short => 1,
        };
        let Some(slots) = self.standard.get(variable as usize) else {
            return self.item.resolve_standard_variable(form, variable);
        };
        slots[form_index]
            .get_or_init(|| {
                self.item.resolve_standard_variable(form, variable).map(Cow::into_owned)
            })
            .as_ref()
            .map(Cow::Borrowed)
    }

    fn resolve_name_variable(&self, variable: NameVariable) -> Vec<Cow<'_, Person>> {
        let Some(slot) = self.names.get(variable as usize) else {
            return self.item.resolve_name_variable(variable);
        };
        slot.get_or_init(|| {
            self.item
                .resolve_name_variable(variable)
                .into_iter()
                .map(Cow::into_owned)
                .collect()
        })
        .iter()
        .map(Cow::Borrowed)
        .collect()
    }

    fn resolve_date_variable(&self, variable: DateVariable) -> Option<Cow<'_, Date>> {
        let Some(slot) = self.dates.get(variable as usize) else {
            return self.item.resolve_date_variable(variable);
        };
        slot.get_or_init(|| self.item.resolve_date_variable(variable).map(Cow::into_owned))
            .as_ref()
            .map(Cow::Borrowed)
    }

    fn matches_entry_type(&self, kind: Kind) -> bool {
        self.kind == Some(kind)
    }

    fn is_english(&self) -> Option<bool> {
        self.english
    }

    fn key(&self) -> Cow<'_, str> {
        self.item.key()
    }
}

#[cfg(all(test, feature = "archive"))]
mod tests {
    use super::*;
    use crate::csl::fidelity::{locales, style};
    use crate::{BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest};
    use std::fmt::Debug;
    use std::hash::Hash;

    fn items() -> Vec<Item> {
        let json = serde_json::json!([
            {"id": "un", "type": "document", "title": "Resolution 2397 (2017)",
             "author": [{"literal": "United Nations Security Council"}],
             "number": "S/RES/2397 (2017)", "issued": {"date-parts": [[2017, 12, 22]]},
             "URL": "https://undocs.org/S/RES/2397(2017)"},
            {"id": "kim", "type": "article-journal", "title": "chip outlook for \"Korea\"",
             "title-short": "Chip Outlook", "container-title": "Asian Survey",
             "container-title-short": "AS", "volume": 12, "issue": "3", "page": "419-56",
             "author": [{"family": "Kim", "given": "Hana"}, {"family": "von Römer", "given": "Jo"}],
             "issued": {"date-parts": [[2023, 4]]}, "language": "en-US"},
            {"id": "odd", "type": "legal-case", "title": "Not a CSL type name",
             "edition": 2, "issued": {"date-parts": [[2001]]}},
            {"id": "num", "type": 7, "title": "A type that is a number"},
        ]);
        serde_json::from_value(json).unwrap()
    }

    /// What a style makes of `entries`: every citation and the bibliography, as text.
    fn format<T: EntryLike + Hash + Eq + Debug>(name: &str, entries: &[T]) -> Vec<String> {
        let style = style(name);
        let locales = locales();
        let mut driver = BibliographyDriver::new();
        for entry in entries {
            driver.citation(CitationRequest::from_items(
                vec![CitationItem::with_entry(entry)],
                &style,
                &locales,
            ));
        }
        let rendered = driver.finish(BibliographyRequest::new(&style, None, &locales));
        let mut out: Vec<String> =
            rendered.citations.iter().map(|c| format!("{:?}", c.citation)).collect();
        for item in rendered.bibliography.into_iter().flat_map(|b| b.items) {
            out.push(format!("{:?}", item.content));
        }
        out
    }

    #[test]
    fn an_indexed_item_formats_exactly_as_the_item() {
        let items = items();
        let indexed: Vec<IndexedItem> = items.iter().map(IndexedItem::new).collect();
        for style in ["chicago-notes", "apa", "ieee", "modern-language-association"] {
            assert_eq!(format(style, &indexed), format(style, &items), "{style}");
        }
    }

    #[test]
    fn groups_and_macros_asked_once_format_as_asked_twice() {
        let items = items();
        let indexed: Vec<IndexedItem> = items.iter().map(IndexedItem::new).collect();
        let styles = [
            "chicago-notes",
            "chicago-shortened-notes",
            "chicago-author-date",
            "apa",
            "ieee",
            "modern-language-association",
            "harvard-cite-them-right",
        ];
        for style in styles {
            let once = format(style, &indexed);
            crate::csl::rendering::ASK_AGAIN.with(|again| again.set(true));
            let twice = format(style, &indexed);
            crate::csl::rendering::ASK_AGAIN.with(|again| again.set(false));
            assert_eq!(once, twice, "{style}");
        }
    }

    #[test]
    fn a_hidden_citation_prints_nothing_and_leaves_the_bibliography_as_it_was() {
        let items = items();
        let indexed: Vec<IndexedItem> = items.iter().map(IndexedItem::new).collect();
        let locales = locales();
        for name in ["chicago-notes", "apa", "ieee"] {
            let style = style(name);
            let bibliography = |hidden: bool| {
                let mut driver = BibliographyDriver::new();
                for entry in &indexed {
                    driver.citation(CitationRequest::from_items(
                        vec![CitationItem::new(entry, None, None, hidden, None)],
                        &style,
                        &locales,
                    ));
                }
                let rendered =
                    driver.finish(BibliographyRequest::new(&style, None, &locales));
                if hidden {
                    assert!(rendered.citations.iter().all(|c| c.citation.0.is_empty()));
                }
                let items = rendered.bibliography.into_iter().flat_map(|b| b.items);
                items.map(|item| format!("{:?}", item.content)).collect::<Vec<_>>()
            };
            let shown = bibliography(false);
            assert_eq!(shown.len(), indexed.len(), "{name}");
            assert_eq!(bibliography(true), shown, "{name}");
        }
    }

    #[test]
    fn only_csl_type_names_match_a_type() {
        let items = items();
        for item in &items {
            let indexed = IndexedItem::new(item);
            for kind in [Kind::Document, Kind::ArticleJournal, Kind::LegalCase, Kind::Book] {
                assert_eq!(
                    indexed.matches_entry_type(kind),
                    item.matches_entry_type(kind),
                    "{kind:?} for {:?}",
                    item.0.get("id")
                );
            }
        }
        assert!(IndexedItem::new(&items[1]).matches_entry_type(Kind::ArticleJournal));
    }
}
