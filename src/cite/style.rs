//! CSL styles through hayagriva (Typst's citation engine): Chicago notes by default, any of its
//! bundled styles by name, or any independent `.csl` file.
//!
//! Formatting a citation costs about a millisecond in hayagriva, so dossier never formats per
//! brief what it can format per source: every distinct *form* of a citation — a source at a CSL
//! position (first, subsequent, ibid), with a kind of locator — is formatted once per build, with
//! the locator's value and the citation number left as placeholders that each brief fills in.
//! Sources that share a first author are formatted together, so the style can disambiguate them
//! (`2017a`, `2017b`).

use std::borrow::Cow;
use std::path::Path;

use hayagriva::archive::{ArchivedStyle, LOCALES};
use hayagriva::citationberg::{
    IndependentStyle, Locale, LocaleCode, Style, StyleClass, json::Item,
};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, ElemChild,
    ElemChildren, ElemMeta, EntrySortKey, IndexedItem, LocatorPayload, SpecificLocator,
};

use std::sync::Arc;

use super::cache::FormatCache;
use super::html;
pub use super::locator::LocatorKey;
use super::locator::csl_locator;
use super::markers::Locator;
use super::reference::Shapes;
use crate::diagnostics::Diagnostic;

/// Styles a site can name; any other bundled hayagriva style name or a `.csl` path works too.
pub const NAMED_STYLES: &[(&str, &str)] = &[
    ("chicago-notes", "chicago-notes"),
    ("chicago-shortened-notes", "chicago-shortened-notes"),
    ("chicago-author-date", "chicago-author-date"),
    ("apa", "apa"),
    ("ieee", "ieee"),
    ("mla", "modern-language-association"),
    ("harvard", "harvard-cite-them-right"),
];

/// Note numbers given to the citations formatted together: large enough that a number a style
/// prints from them ("see note 1000003") is recognisably ours and can become a placeholder.
pub(super) const NOTE_BASE: usize = 1_000_000;

/// A citation's CSL position in its brief.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Position {
    First,
    Subsequent,
    /// Same source and locator as the citation just before.
    Ibid,
    /// Same source as just before, another locator.
    IbidWithLocator,
}

/// One form of a citation of one source.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FormKey {
    pub position: Position,
    pub locator: LocatorKey,
    pub suppress_author: bool,
}

#[derive(Clone)]
pub struct CitationStyle {
    pub name: String,
    style: IndependentStyle,
    pub(super) locales: Vec<Locale>,
    pub(super) locale: Option<LocaleCode>,
    numeric: bool,
    /// Whether plural locators made of numbers share a form by their shape
    /// (`locator::prints_locator_numbers`).
    locators_by_shape: bool,
    /// The bibliography's "subsequent author substitute" ("———" in MLA), applied where a list
    /// of references is joined (`substitute_authors`), not where each is formatted: formatted
    /// apart, an entry cannot know the one before it.
    substitute: Option<String>,
    /// Cited between two citations of a source to make the second one "subsequent".
    separator: Item,
    cache: Arc<FormatCache>,
    /// "Cite this brief" templates by shape (`reference/`).
    shapes: Arc<Shapes>,
}

/// A formatted cluster of sources.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Formatted {
    /// Per source: its bibliography entry.
    pub references: Vec<String>,
    /// Per source: where the names (authors) are in its entry, as byte offsets.
    pub reference_names: Vec<Option<(usize, usize)>>,
    /// Per source: whether a list of references shows it (the style's bibliography printed an
    /// entry for it, or the style has no bibliography and its entry is the full note).
    pub listed: Vec<bool>,
    /// Per source: its forms, in the order asked for.
    pub forms: Vec<Vec<String>>,
    /// Per source: its key in the style's bibliography order (`None`: the style does not sort,
    /// references keep the order they are cited in).
    pub sort_keys: Vec<Option<EntrySortKey>>,
}

impl CitationStyle {
    /// Loads a style by name (`chicago-notes`, `apa`, ...) or from a `.csl` file under `root`.
    /// `language` picks the locale for terms and dates (e.g. `en` or `en-GB`).
    pub fn load(spec: &str, root: &Path, language: &str) -> Result<CitationStyle, Diagnostic> {
        let mut style_text = String::new();
        let style = if spec.ends_with(".csl") {
            let path = root.join(spec);
            let xml = std::fs::read_to_string(&path).map_err(|err| {
                Diagnostic::new(format!("cannot read the citation style {spec}: {err}"))
                    .in_file("site.toml")
            })?;
            style_text = xml.clone();
            IndependentStyle::from_xml(&xml).map_err(|err| {
                Diagnostic::new(format!("{spec} is not an independent CSL style: {err}"))
                    .in_file(spec)
                    .with_hint("dossier reads independent CSL 1.0 styles; for a dependent style, name its parent style")
            })?
        } else {
            let archived = NAMED_STYLES
                .iter()
                .find(|(name, _)| *name == spec)
                .map_or(spec, |(_, archived)| archived);
            let known = || NAMED_STYLES.iter().map(|(name, _)| *name);
            match ArchivedStyle::by_name(archived).map(ArchivedStyle::get) {
                Some(Style::Independent(style)) => style,
                _ => {
                    let diagnostic = Diagnostic::new(format!("unknown citation style `{spec}`"))
                        .in_file("site.toml");
                    let hint = match crate::diagnostics::nearest(spec, known()) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => format!(
                            "use one of {}, another style bundled with hayagriva, or a path to a .csl file",
                            known().collect::<Vec<_>>().join(", ")
                        ),
                    };
                    return Err(diagnostic.with_hint(hint));
                }
            }
        };
        let locale = locale_code(language);
        let mut style = style;
        let locators_by_shape = super::locator::prints_locator_numbers(&style);
        let substitute = style
            .bibliography
            .as_mut()
            .and_then(|b| b.subsequent_author_substitute.take());
        let mut citation_style = CitationStyle {
            name: spec.to_owned(),
            style,
            locales: locales_for(language),
            locale,
            numeric: false,
            locators_by_shape,
            substitute,
            separator: dummy_item(),
            cache: Arc::new(FormatCache::open(
                Some(root),
                &[spec, &style_text, language],
            )),
            shapes: Arc::default(),
        };
        citation_style.numeric = citation_style.uses_citation_numbers();
        Ok(citation_style)
    }

    /// Note styles put citations in numbered notes; in-text styles put them in the text.
    pub fn is_note_style(&self) -> bool {
        self.style.settings.class == StyleClass::Note
    }

    /// A citation's locator as its form's key.
    pub fn locator_key(&self, locator: Option<&Locator>) -> LocatorKey {
        LocatorKey::of(locator, self.locators_by_shape)
    }

    /// Numeric styles (IEEE) cite by the source's number in the brief's reference list.
    pub fn is_numeric(&self) -> bool {
        self.numeric
    }

    fn uses_citation_numbers(&self) -> bool {
        let probe = dummy_item();
        let probe = IndexedItem::new(&probe);
        let mut driver = BibliographyDriver::new();
        driver.citation(self.request(vec![CitationItem::with_entry(&probe)], NOTE_BASE));
        let rendered = driver.finish(BibliographyRequest::new(
            &self.style,
            self.locale.clone(),
            &self.locales,
        ));
        rendered
            .citations
            .iter()
            .any(|c| has_citation_number(&c.citation))
    }

    /// Whether the style's bibliography is sorted (`<bibliography><sort>`); if not, references
    /// are listed in the order they are first cited.
    pub fn sorts_references(&self) -> bool {
        self.style
            .bibliography
            .as_ref()
            .is_some_and(|b| b.sort.is_some())
            && !self.numeric
    }

    pub(super) fn csl(&self) -> &IndependentStyle {
        &self.style
    }

    pub(super) fn shapes(&self) -> &Shapes {
        &self.shapes
    }

    pub(super) fn separator(&self) -> &Item {
        &self.separator
    }

    pub(super) fn request<'a, 'i>(
        &'a self,
        items: Vec<CitationItem<'a, IndexedItem<'i>>>,
        note: usize,
    ) -> CitationRequest<'a, IndexedItem<'i>> {
        CitationRequest::new(
            items,
            &self.style,
            self.locale.clone(),
            &self.locales,
            Some(note),
        )
    }

    /// Formats a cluster of sources that may need disambiguating from each other: each one's
    /// bibliography entry and the forms asked for it. Cached between builds.
    pub fn format_cluster(&self, cluster: &[(&Item, Vec<FormKey>)]) -> Formatted {
        let input: Vec<(String, &Vec<FormKey>)> = cluster
            .iter()
            .map(|(item, keys)| {
                // A key made of an empty string would serve one source's formatting for another.
                let json = serde_json::to_string(&item.0)
                    .expect("a JSON value always serializes: its map keys are strings");
                (json, keys)
            })
            .collect();
        self.cache
            .get_or_make(&input, || self.format_cluster_now(cluster, true))
    }

    /// Writes the formatting cache for the next build.
    pub fn save_cache(&self) {
        self.cache.save();
    }

    /// The bibliography entry of one item, formatted on its own (see `reference`): without the
    /// sort key a cluster's sources get, so cached apart from clusters.
    pub(super) fn reference_now(&self, item: &Item) -> String {
        let cluster = [(item, Vec::new())];
        let input = (
            "reference",
            serde_json::to_string(&item.0).unwrap_or_default(),
        );
        self.cache
            .get_or_make(&input, || self.format_cluster_now(&cluster, false))
            .references
            .remove(0)
    }

    pub(super) fn item<'a, 'i>(
        &self,
        item: &'a IndexedItem<'i>,
        locator: &'a LocatorKey,
    ) -> CitationItem<'a, IndexedItem<'i>> {
        let locator = match locator {
            LocatorKey::None => None,
            // A numeric stand-in, not hayagriva's transparent locator: with that, styles drop
            // the label of some locator types ("chap.", "line").
            LocatorKey::Kind(kind) => Some(SpecificLocator(
                csl_locator(kind),
                LocatorPayload::Str(html::LOCATOR_STAND_IN),
            )),
            LocatorKey::Range(kind, value) | LocatorKey::Exact(kind, value) => Some(
                SpecificLocator(csl_locator(kind), LocatorPayload::Str(value)),
            ),
        };
        CitationItem::with_locator(item, locator)
    }

    /// A rendered single citation carries the layout's affixes (`(`, `)`, a final `.`); groups
    /// are joined by `join` with the affixes once around the whole group.
    pub(super) fn strip_layout(&self, html: String) -> String {
        let layout = &self.style.citation.layout;
        let mut text = html.as_str();
        if let Some(prefix) = layout.prefix.as_deref().map(crate::html::escape)
            && let Some(rest) = text.strip_prefix(prefix.as_str())
        {
            text = rest;
        }
        if let Some(suffix) = layout.suffix.as_deref().map(crate::html::escape)
            && let Some(rest) = text.strip_suffix(suffix.as_str())
        {
            text = rest;
        }
        text.to_owned()
    }

    /// A list of references in the order shown, each with where its names are: an entry whose
    /// names are those of the entry before it gets the style's substitute ("———") in their
    /// place (CSL's "complete-all" rule, the default and MLA's; other rules are read as it).
    pub fn substitute_authors<'a>(
        &self,
        references: impl IntoIterator<Item = (&'a str, Option<(usize, usize)>)>,
    ) -> Vec<Cow<'a, str>> {
        let Some(substitute) = &self.substitute else {
            return references
                .into_iter()
                .map(|(html, _)| Cow::Borrowed(html))
                .collect();
        };
        let mut previous: Option<&str> = None;
        references
            .into_iter()
            .map(|(html, span)| {
                let names = span.and_then(|(start, end)| html.get(start..end));
                match (names, previous) {
                    (Some(names), Some(before)) if names == before && !names.is_empty() => {
                        let (start, end) = span.unwrap_or_default();
                        let escaped = crate::html::escape(substitute);
                        Cow::Owned(format!("{}{escaped}{}", &html[..start], &html[end..]))
                    }
                    _ => {
                        previous = names;
                        Cow::Borrowed(html)
                    }
                }
            })
            .collect()
    }

    /// Joins the items of one citation group with the style's delimiter and affixes.
    pub fn join(&self, items: &[String]) -> String {
        let layout = &self.style.citation.layout;
        let escape = |s: Option<&String>| s.map(|s| crate::html::escape(s)).unwrap_or_default();
        let delimiter = layout
            .delimiter
            .as_deref()
            .map_or("; ".to_owned(), crate::html::escape);
        let mut joined = items.join(&delimiter);
        if let Some(suffix) = layout.suffix.as_ref().map(|s| crate::html::escape(s))
            && joined.ends_with(suffix.as_str())
        {
            joined.truncate(joined.len() - suffix.len());
        }
        format!(
            "{}{joined}{}",
            escape(layout.prefix.as_ref()),
            escape(layout.suffix.as_ref())
        )
    }

    /// Fills a form's placeholders: the locator's value, the source's number in the brief's
    /// references (numeric styles), and the note that first cited it.
    pub fn fill(
        &self,
        form: &str,
        locator: Option<&Locator>,
        number: Option<usize>,
        first_note: Option<usize>,
    ) -> String {
        html::fill(form, locator.map(|l| l.value.as_str()), number, first_note)
    }
}

/// `en` -> `en-US`, as CSL locales are regional.
/// The bundled locales a site in `language` can use: those of its language (any region) and
/// en-US, CSL's last fallback. Deserializing all 63 of them took a tenth of a small site's build.
fn locales_for(language: &str) -> Vec<Locale> {
    let primary = language.split(['-', '_']).next().unwrap_or("en");
    LOCALES
        .iter()
        .filter(|bytes| {
            locale_lang(bytes)
                .is_some_and(|lang| lang == "en-US" || lang.split('-').next() == Some(primary))
        })
        .filter_map(|bytes| ciborium::de::from_reader::<Locale, _>(*bytes).ok())
        .collect()
}

/// A bundled locale's `xml:lang`. It is the first entry of the locale's CBOR map and is read
/// from there, without decoding the other 18 KB (that was as long as loading the briefs of a
/// 1,000-brief site); a locale laid out otherwise is deserialized.
fn locale_lang(bytes: &[u8]) -> Option<Cow<'_, str>> {
    use ciborium_ll::{Decoder, Header};
    let text_at = |at: usize| -> Option<(&str, usize)> {
        let mut decoder = Decoder::from(bytes.get(at..)?);
        let Header::Text(Some(len)) = decoder.pull().ok()? else {
            return None;
        };
        let start = at + decoder.offset();
        let text = std::str::from_utf8(bytes.get(start..start + len)?).ok()?;
        Some((text, start + len))
    };
    let mut decoder = Decoder::from(bytes);
    let first_entry = match decoder.pull() {
        Ok(Header::Map(_)) => text_at(decoder.offset())
            .filter(|(key, _)| *key == "@xml:lang")
            .and_then(|(_, next)| text_at(next)),
        _ => None,
    };
    if let Some((lang, _)) = first_entry {
        return Some(Cow::Borrowed(lang));
    }
    #[derive(serde::Deserialize)]
    struct Lang {
        #[serde(rename = "@xml:lang")]
        lang: Option<String>,
    }
    ciborium::de::from_reader::<Lang, _>(bytes)
        .ok()
        .and_then(|found| found.lang)
        .map(Cow::Owned)
}

fn locale_code(language: &str) -> Option<LocaleCode> {
    let code = match language {
        "" => return None,
        "en" => "en-US",
        "de" => "de-DE",
        "fr" => "fr-FR",
        "es" => "es-ES",
        "ko" => "ko-KR",
        "ja" => "ja-JP",
        "zh" => "zh-CN",
        other => other,
    };
    Some(LocaleCode(code.to_owned()))
}

/// A citation that only serves to separate two citations of the same source.
fn dummy_item() -> Item {
    serde_json::from_value(serde_json::json!({
        "id": "\u{E000}separator",
        "type": "document",
        "title": "\u{E000}",
    }))
    .unwrap_or_else(|_| Item(Default::default()))
}

fn has_citation_number(children: &ElemChildren) -> bool {
    children.0.iter().any(|child| match child {
        ElemChild::Elem(elem) => {
            elem.meta == Some(ElemMeta::CitationNumber) || has_citation_number(&elem.children)
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_locale_language_is_read_from_its_first_entry() {
        for bytes in LOCALES {
            let full = ciborium::de::from_reader::<Locale, _>(*bytes).unwrap().lang;
            let read = locale_lang(bytes);
            assert!(
                matches!(read, Some(Cow::Borrowed(_))),
                "fell back for {full:?}"
            );
            assert_eq!(read.map(|l| l.into_owned()), full.map(|l| l.to_string()));
        }
    }

    fn item(json: serde_json::Value) -> Item {
        serde_json::from_value(json).unwrap()
    }

    fn un() -> Item {
        item(serde_json::json!({
            "id": "S/RES/2397", "type": "document", "title": "Resolution 2397 (2017)",
            "author": [{"literal": "United Nations Security Council"}],
            "number": "S/RES/2397 (2017)", "issued": {"date-parts": [[2017, 12, 22]]},
            "URL": "https://undocs.org/S/RES/2397(2017)"
        }))
    }

    fn key(position: Position, locator: LocatorKey) -> FormKey {
        FormKey {
            position,
            locator,
            suppress_author: false,
        }
    }

    #[test]
    fn chicago_notes_give_full_then_short_forms_with_locators() {
        let style = CitationStyle::load("chicago-notes", Path::new("."), "en").unwrap();
        assert!(style.is_note_style() && !style.is_numeric());
        let un = un();
        let keys = vec![
            key(Position::First, LocatorKey::Kind("paragraph")),
            key(Position::Subsequent, LocatorKey::Kind("paragraph")),
            key(
                Position::Subsequent,
                LocatorKey::Exact("paragraph", "9-15".into()),
            ),
        ];
        let cluster = [(&un, keys)];
        let formatted = style.format_cluster(&cluster);
        let locator = Locator {
            text: "para. 28".into(),
            kind: "paragraph",
            value: "28".into(),
        };
        let first = style.fill(&formatted.forms[0][0], Some(&locator), None, None);
        assert!(first.starts_with("United Nations Security Council, “Resolution 2397 (2017),” S/RES/2397 (2017), December 22, 2017, para. 28, <a class=\"url\""), "{first}");
        let short = style.fill(&formatted.forms[0][1], Some(&locator), None, None);
        assert_eq!(
            short,
            "United Nations Security Council, “Resolution 2397 (2017),” para. 28"
        );
        assert!(
            formatted.forms[0][2].ends_with("paras. 9–15"),
            "{}",
            formatted.forms[0][2]
        );
        assert!(
            formatted.references[0]
                .starts_with("United Nations Security Council. “Resolution 2397 (2017).”")
        );
    }

    #[test]
    fn in_text_and_numeric_styles() {
        let report = item(serde_json::json!({
            "id": "kim", "type": "report", "title": "Chip Outlook",
            "author": [{"family": "Kim", "given": "Hana"}], "issued": {"date-parts": [[2023]]},
        }));
        let apa = CitationStyle::load("apa", Path::new("."), "en").unwrap();
        assert!(!apa.is_note_style());
        let cluster = [(
            &report,
            vec![key(Position::First, LocatorKey::Kind("page"))],
        )];
        let form = apa.format_cluster(&cluster).forms.remove(0).remove(0);
        let locator = Locator {
            text: "p. 4".into(),
            kind: "page",
            value: "4".into(),
        };
        assert_eq!(
            apa.join(&[apa.fill(&form, Some(&locator), None, None)]),
            "(Kim, 2023, p. 4)"
        );
        let ieee = CitationStyle::load("ieee", Path::new("."), "en").unwrap();
        assert!(ieee.is_numeric());
        let form = ieee.format_cluster(&cluster).forms.remove(0).remove(0);
        assert_eq!(
            ieee.join(&[ieee.fill(&form, Some(&locator), Some(3), None)]),
            "[3, p. 4]"
        );
    }

    #[test]
    fn output_is_escaped_and_script_urls_are_not_links() {
        let evil = item(serde_json::json!({
            "id": "e", "type": "webpage", "title": "<Climate> & \"Security\"",
            "URL": "javascript:alert(1)", "issued": {"date-parts": [[2020]]},
        }));
        let style = CitationStyle::load("chicago-notes", Path::new("."), "en").unwrap();
        let reference = style.reference_now(&evil);
        assert!(
            reference.to_lowercase().contains("&lt;climate&gt; &amp;"),
            "{reference}"
        );
        assert!(!reference.contains("<a"), "{reference}");
    }

    #[test]
    fn unknown_styles_suggest_the_nearest() {
        let Err(err) = CitationStyle::load("chicago-note", Path::new("."), "en") else {
            panic!()
        };
        assert_eq!(err.hint.as_deref(), Some("did you mean `chicago-notes`?"));
    }
}
