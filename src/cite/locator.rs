//! The locator of a citation (`p. 4`, `paras. 9-15`) in a cached form: a singular value is
//! formatted as a stand-in number and filled in per citation; a plural one made of numbers is
//! formatted by its shape (its numbers as stand-ins, each filled in per citation), so that every
//! page range of a source shares one form; any other plural value is formatted as written.
//!
//! Shapes are exact only where a style prints a locator's numbers as written, which hayagriva
//! does except through `<number variable="locator">` in an ordinal or roman form
//! (`prints_locator_numbers`).

use hayagriva::citationberg::taxonomy::{
    Locator as CslLocator, NumberOrPageVariable, NumberVariable,
};
use hayagriva::citationberg::{IndependentStyle, LayoutRenderingElement, NamesChild, NumberForm};

use super::markers::Locator;

/// The locator part of a form: none, a kind whose singular value is filled in later, or a plural
/// value (`pp. 4-5`), whose label and punctuation the style decides from how it is written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LocatorKey {
    None,
    Kind(&'static str),
    /// A plural value made of numbers, by its shape: the value with each number replaced by a
    /// stand-in (`range_stand_in`), filled in later, so that `pp. 4-5` and `pp. 12-19`
    /// share one form.
    Range(&'static str, String),
    /// Any other plural value, formatted as written.
    Exact(&'static str, String),
}

impl LocatorKey {
    /// `by_shape`: whether the style prints a locator's numbers as written
    /// (`CitationStyle::prints_locator_numbers`), so that plural values can share a form.
    pub fn of(locator: Option<&Locator>, by_shape: bool) -> LocatorKey {
        match locator {
            None => LocatorKey::None,
            Some(l) if is_plural(&l.value) => {
                match by_shape.then(|| range_stand_in(&l.value)).flatten() {
                    Some(stand_in) => LocatorKey::Range(l.kind, stand_in),
                    None => LocatorKey::Exact(l.kind, l.value.clone()),
                }
            }
            Some(l) => LocatorKey::Kind(l.kind),
        }
    }
}

fn is_plural(value: &str) -> bool {
    value.contains(['-', '–', '—', ',', '&']) || value.contains(" and ")
}

/// The number formatted in place of a plural locator's `n`-th number (`n` < `SHAPED_NUMBERS`):
/// eight digits, as no real page is, and a valid number wherever hayagriva parses one.
pub(super) const RANGE_STAND_IN: u32 = 97_531_860;
/// Most numbers in a plural locator formatted by its shape.
pub(super) const SHAPED_NUMBERS: usize = 10;
/// What every stand-in starts with (they differ in their last digit).
pub(super) const RANGE_STAND_IN_PREFIX: &str = "9753186";

/// `value` with its `n`-th number replaced by `RANGE_STAND_IN + n`, if formatting that gives the
/// value's own form once the numbers are put back: each number is made of ASCII digits without
/// a leading zero (which hayagriva drops) and has at most eight (hayagriva reads an `i32`).
/// hayagriva parses a locator by the kind of each character only, so the stand-in is read as
/// the same shape: a range, a list, with the same prefix and suffix.
pub(super) fn range_stand_in(value: &str) -> Option<String> {
    if value.chars().any(|c| c.is_numeric() && !c.is_ascii_digit()) {
        return None;
    }
    let mut shape = String::with_capacity(value.len() + 16);
    let mut numbers = 0;
    let mut rest = value;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        shape.push_str(&rest[..start]);
        let len = rest[start..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len() - start);
        if rest[start..].starts_with('0') || len > 8 || numbers == SHAPED_NUMBERS {
            return None;
        }
        shape.push_str(&(RANGE_STAND_IN + numbers as u32).to_string());
        numbers += 1;
        rest = &rest[start + len..];
    }
    shape.push_str(rest);
    (numbers > 0).then_some(shape)
}

/// The numbers of a locator's value, in order (what `range_stand_in` replaced).
pub(super) fn numbers(value: &str) -> impl Iterator<Item = &str> {
    value
        .split(|c: char| !c.is_ascii_digit())
        .filter(|number| !number.is_empty())
}

/// Whether the style prints a locator's numbers as written: it has no `<number
/// variable="locator">` in another form than numeric (`1st`, `first`, `i`), in its citations,
/// bibliography or macros.
pub(super) fn prints_locator_numbers(style: &IndependentStyle) -> bool {
    fn transforms(elements: &[LayoutRenderingElement]) -> bool {
        elements.iter().any(|element| match element {
            LayoutRenderingElement::Number(number) => {
                number.variable == NumberOrPageVariable::Number(NumberVariable::Locator)
                    && number.form != NumberForm::Numeric
            }
            LayoutRenderingElement::Group(group) => transforms(&group.children),
            LayoutRenderingElement::Choose(choose) => {
                std::iter::once(&choose.if_)
                    .chain(&choose.else_if)
                    .any(|branch| transforms(&branch.children))
                    || choose
                        .otherwise
                        .as_ref()
                        .is_some_and(|branch| transforms(&branch.children))
            }
            LayoutRenderingElement::Names(names) => names
                .children
                .iter()
                .any(|child| matches!(child, NamesChild::Substitute(s) if transforms(&s.children))),
            LayoutRenderingElement::Text(_)
            | LayoutRenderingElement::Date(_)
            | LayoutRenderingElement::Label(_) => false,
        })
    }
    !(transforms(&style.citation.layout.elements)
        || style
            .bibliography
            .as_ref()
            .is_some_and(|b| transforms(&b.layout.elements))
        || style.macros.iter().any(|m| transforms(&m.children)))
}

pub(super) fn csl_locator(kind: &str) -> CslLocator {
    match kind {
        "paragraph" => CslLocator::Paragraph,
        "section" => CslLocator::Section,
        "chapter" => CslLocator::Chapter,
        "issue" => CslLocator::Issue,
        "volume" => CslLocator::Volume,
        "figure" => CslLocator::Figure,
        "note" => CslLocator::Note,
        "article" => CslLocator::ArticleLocator,
        "line" => CslLocator::Line,
        "part" => CslLocator::Part,
        "appendix" => CslLocator::Appendix,
        "sub-verbo" => CslLocator::SubVerbo,
        _ => CslLocator::Page,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use hayagriva::citationberg::json::Item;

    use super::*;
    use crate::cite::style::{CitationStyle, FormKey, NAMED_STYLES, Position};

    fn locator(kind: &'static str, value: &str) -> Locator {
        Locator {
            text: value.to_owned(),
            kind,
            value: value.to_owned(),
        }
    }

    #[test]
    fn plural_values_made_of_numbers_are_keyed_by_shape() {
        assert_eq!(
            range_stand_in("12-19").as_deref(),
            Some("97531860-97531861")
        );
        assert_eq!(
            range_stand_in("4, 7 & 9a"),
            Some("97531860, 97531861 & 97531862a".into())
        );
        assert_eq!(range_stand_in("12–19"), range_stand_in("4–5"));
        assert_ne!(range_stand_in("12–19"), range_stand_in("12-19"));
        // Not numbers hayagriva prints as written: a leading zero, more than eight digits,
        // other digits than ASCII ones, more numbers than there are stand-ins.
        for value in [
            "012-19",
            "123456789-123456790",
            "١٢-١٩",
            "1,2,3,4,5,6,7,8,9,10,11",
        ] {
            assert_eq!(range_stand_in(value), None, "{value}");
        }
        assert_eq!(range_stand_in("xii-xv"), None);
        assert_eq!(
            numbers("pp. 4, 7 & 9a").collect::<Vec<_>>(),
            ["4", "7", "9"]
        );
        let key = |value, by_shape| LocatorKey::of(Some(&locator("page", value)), by_shape);
        assert_eq!(key("12", true), LocatorKey::Kind("page"));
        assert_eq!(key("12-19", true), key("4-5", true));
        assert_eq!(
            key("12-19", false),
            LocatorKey::Exact("page", "12-19".into())
        );
        assert_eq!(
            key("xii-xv", true),
            LocatorKey::Exact("page", "xii-xv".into())
        );
    }

    /// A form by shape, filled in, is the form of the value as written, in every named style,
    /// at every position.
    #[test]
    fn forms_by_shape_fill_in_to_the_forms_of_the_values() {
        let item: Item = serde_json::from_value(serde_json::json!({
            "id": "kim", "type": "article-journal", "title": "Chip Outlook",
            "author": [{"family": "Kim", "given": "Hana"}], "issued": {"date-parts": [[2023]]},
            "container-title": "Asia Review", "page": "100-140",
        }))
        .expect("a CSL-JSON item");
        let values = [
            "12-19", "4–5", "3, 7", "4 & 5", "12a-12c", "101-9", "7 and 9",
        ];
        let positions = [
            Position::First,
            Position::Subsequent,
            Position::Ibid,
            Position::IbidWithLocator,
        ];
        for (name, _) in NAMED_STYLES {
            let style = CitationStyle::load(name, Path::new("."), "en").expect("a bundled style");
            for kind in ["page", "paragraph", "section"] {
                let mut keys = Vec::new();
                for value in values {
                    let l = locator(kind, value);
                    for position in positions {
                        for key in [style.locator_key(Some(&l)), LocatorKey::of(Some(&l), false)] {
                            keys.push(FormKey {
                                position,
                                locator: key,
                                suppress_author: false,
                            });
                        }
                    }
                }
                assert!(
                    keys.iter()
                        .any(|k| matches!(k.locator, LocatorKey::Range(..)))
                );
                let forms = style
                    .format_cluster(&[(&item, keys.clone())])
                    .forms
                    .remove(0);
                for (pair, (value, position)) in forms.chunks(2).zip(
                    values
                        .iter()
                        .flat_map(|v| positions.iter().map(move |p| (v, p))),
                ) {
                    let l = locator(kind, value);
                    let fill = |form: &str| style.fill(form, Some(&l), Some(3), Some(1));
                    assert_eq!(
                        fill(&pair[0]),
                        fill(&pair[1]),
                        "{name}, {kind} {value}, {position:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn styles_that_spell_out_locator_numbers_format_each_value() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let csl = r#"<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
  <info><title>Ordinal locators</title><id>ordinal-locators</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <macro name="where"><group delimiter=" "><label variable="locator"/><number variable="locator" form="ordinal"/></group></macro>
  <citation><layout><text variable="title"/><text macro="where" prefix=", "/></layout></citation>
</style>"#;
        std::fs::write(dir.path().join("ordinal.csl"), csl).expect("the style written");
        let style = CitationStyle::load("ordinal.csl", dir.path(), "en").expect("the style loads");
        let plural = locator("page", "1-2");
        assert_eq!(
            style.locator_key(Some(&plural)),
            LocatorKey::Exact("page", "1-2".into())
        );
        let bundled =
            CitationStyle::load("chicago-notes", Path::new("."), "en").expect("a bundled style");
        assert!(matches!(
            bundled.locator_key(Some(&plural)),
            LocatorKey::Range(..)
        ));
    }
}
