//! styles.xml and numbering.xml: what a paragraph style means (title, heading of a level, quote,
//! in any of Word's interface languages), what formatting a character style gives, and whether a
//! list level is numbered.

use std::collections::HashMap;

use roxmltree::{Document, Node};

use super::xml::{attr, child, on_off};

/// What a paragraph style makes of its paragraphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ParaKind {
    Title,
    Subtitle,
    /// 1-based, as Word numbers headings.
    Heading(u8),
    Quote,
    Normal,
}

/// Run formatting, as bits.
pub(super) type Fmt = u8;
pub(super) const BOLD: Fmt = 1;
pub(super) const ITALIC: Fmt = 2;
pub(super) const STRIKE: Fmt = 4;
pub(super) const SUPER: Fmt = 8;
pub(super) const SUB: Fmt = 16;

#[derive(Debug, Default, Clone)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    numbering: Option<(String, u8)>,
    /// Formatting set on (first) and off (second) by the style.
    fmt_on: Fmt,
    fmt_off: Fmt,
    hidden: bool,
}

#[derive(Debug, Default)]
pub(super) struct Styles {
    by_id: HashMap<String, Style>,
}

/// Names of the heading styles ("Heading 1") in Word's interface languages, lower case.
const HEADING_NAMES: &[&str] = &[
    "heading",
    "überschrift",
    "titre",
    "título",
    "titulo",
    "titolo",
    "kop",
    "rubrik",
    "overskrift",
    "otsikko",
    "nagłówek",
    "nadpis",
    "címsor",
    "заголовок",
    "başlık",
    "naslov",
    "antraštė",
    "virsraksts",
    "pealkiri",
    "kepala",
    "judul",
    "tiêu đề",
    "見出し",
    "제목",
    "标题",
    "標題",
    "عنوان",
    "כותרת",
    "επικεφαλίδα",
    "заглавие",
    "titlu",
    "cabeçalho",
    "encabezado",
];
const TITLE_NAMES: &[&str] = &[
    "title",
    "titel",
    "titre",
    "título",
    "titulo",
    "titolo",
    "tytuł",
    "název",
    "cím",
    "otsikko",
    "naslov",
    "название",
    "заголовок",
    "konu başlığı",
    "表題",
    "제목",
    "标题",
    "標題",
    "عنوان",
    "τίτλος",
    "titlu",
    "rubrik",
];
const SUBTITLE_NAMES: &[&str] = &[
    "subtitle",
    "untertitel",
    "sous-titre",
    "subtítulo",
    "subtitulo",
    "sottotitolo",
    "podtytuł",
    "podtitul",
    "undertitel",
    "ondertitel",
    "alaotsikko",
    "alcím",
    "подзаголовок",
    "副題",
    "부제",
    "副标题",
    "副標題",
    "alt konu başlığı",
    "υπότιτλος",
    "subtitlu",
];
const QUOTE_NAMES: &[&str] = &[
    "quote",
    "intense quote",
    "block text",
    "block quote",
    "blockquote",
    "quotations",
    "quotation",
    "zitat",
    "intensives zitat",
    "citation",
    "citation intense",
    "cita",
    "cita destacada",
    "citazione",
    "citazione intensa",
    "citaat",
    "duidelijk citaat",
    "citat",
    "cytat",
    "cytat intensywny",
    "цитата",
    "выделенная цитата",
    "引用",
    "引用文",
    "인용",
    "강한 인용",
    "lainaus",
    "idézet",
    "alıntı",
];

impl Styles {
    pub(super) fn parse(doc: &Document<'_>) -> Styles {
        let mut by_id = HashMap::new();
        for node in doc.descendants().filter(|n| n.tag_name().name() == "style") {
            let Some(id) = attr(node, "styleId") else {
                continue;
            };
            let ppr = child(node, "pPr");
            let rpr = child(node, "rPr");
            let (fmt_on, fmt_off) = rpr.map(run_fmt).unwrap_or_default();
            let style = Style {
                name: child(node, "name")
                    .and_then(|n| attr(n, "val"))
                    .unwrap_or(id)
                    .to_owned(),
                based_on: child(node, "basedOn")
                    .and_then(|n| attr(n, "val"))
                    .map(str::to_owned),
                outline: ppr.and_then(outline_level),
                numbering: ppr.and_then(numbering_of),
                fmt_on,
                fmt_off,
                hidden: rpr.and_then(|r| child(r, "vanish")).is_some_and(on_off),
            };
            by_id.insert(id.to_owned(), style);
        }
        Styles { by_id }
    }

    /// The style and those it is based on, nearest first (a loop is cut).
    fn chain<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a Style> + 'a {
        let mut next = self.by_id.get(id);
        let mut steps = 0;
        std::iter::from_fn(move || {
            let style = next?;
            steps += 1;
            next = match (&style.based_on, steps < 12) {
                (Some(base), true) => self.by_id.get(base),
                _ => None,
            };
            Some(style)
        })
    }

    /// The kind of a paragraph style, by its name (or its base's) and outline level.
    pub(super) fn kind(&self, id: Option<&str>) -> ParaKind {
        let Some(id) = id else {
            return ParaKind::Normal;
        };
        for style in self.chain(id) {
            if let Some(kind) = kind_by_name(&style.name) {
                return kind;
            }
            if let Some(level) = style.outline {
                return ParaKind::Heading(level);
            }
        }
        ParaKind::Normal
    }

    /// The numbering a paragraph style gives its paragraphs.
    pub(super) fn numbering(&self, id: &str) -> Option<(String, u8)> {
        self.chain(id).find_map(|s| s.numbering.clone())
    }

    /// The formatting a character style gives, and whether it hides its text.
    pub(super) fn run_style(&self, id: &str) -> (Fmt, bool) {
        let mut fmt: Fmt = 0;
        let mut decided: Fmt = 0;
        let mut hidden = false;
        for style in self.chain(id) {
            fmt |= style.fmt_on & !decided;
            decided |= style.fmt_on | style.fmt_off;
            hidden |= style.hidden;
        }
        (fmt, hidden)
    }
}

/// A style name's kind, in any of the languages above: "Heading 2", "Überschrift 2",
/// "heading2", "Titre 1", "제목 1", "Title", "Quote".
fn kind_by_name(name: &str) -> Option<ParaKind> {
    let lower = name.trim().to_lowercase();
    let digits_at = lower
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit())
        .last()
        .map(|(i, _)| i);
    if let Some(at) = digits_at {
        let word = lower[..at].trim_end();
        if let Ok(level) = lower[at..].parse::<u8>()
            && (1..=9).contains(&level)
            && HEADING_NAMES.contains(&word)
        {
            return Some(ParaKind::Heading(level));
        }
        return None;
    }
    if TITLE_NAMES.contains(&lower.as_str()) {
        Some(ParaKind::Title)
    } else if SUBTITLE_NAMES.contains(&lower.as_str()) {
        Some(ParaKind::Subtitle)
    } else if QUOTE_NAMES.contains(&lower.as_str()) {
        Some(ParaKind::Quote)
    } else {
        None
    }
}

/// `w:outlineLvl` 0-8 is a heading of level 1-9; 9 is body text.
pub(super) fn outline_level(ppr: Node<'_, '_>) -> Option<u8> {
    let level: u8 = attr(child(ppr, "outlineLvl")?, "val")?.parse().ok()?;
    (level < 9).then_some(level + 1)
}

/// `w:numPr`: the numbering instance and level.
pub(super) fn numbering_of(ppr: Node<'_, '_>) -> Option<(String, u8)> {
    let numpr = child(ppr, "numPr")?;
    let num = attr(child(numpr, "numId")?, "val")?.to_owned();
    let level = child(numpr, "ilvl")
        .and_then(|n| attr(n, "val"))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Some((num, level))
}

/// The formatting a `w:rPr` turns on, and the formatting it turns off explicitly.
pub(super) fn run_fmt(rpr: Node<'_, '_>) -> (Fmt, Fmt) {
    let mut on = 0;
    let mut off = 0;
    let mut set = |bit: Fmt, value: Option<bool>| match value {
        Some(true) => on |= bit,
        Some(false) => off |= bit,
        None => {}
    };
    set(BOLD, child(rpr, "b").map(on_off));
    set(ITALIC, child(rpr, "i").map(on_off));
    let strike = match (child(rpr, "strike"), child(rpr, "dstrike")) {
        (None, None) => None,
        (a, b) => Some(a.is_some_and(on_off) || b.is_some_and(on_off)),
    };
    set(STRIKE, strike);
    match child(rpr, "vertAlign").and_then(|n| attr(n, "val")) {
        Some("superscript") => on |= SUPER,
        Some("subscript") => on |= SUB,
        Some(_) => off |= SUPER | SUB,
        None => {}
    }
    (on, off)
}

/// One level of a list: numbered or not, and the number it starts at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Level {
    pub ordered: bool,
    pub start: u32,
    /// `none`: the paragraph is numbered with nothing shown.
    pub unmarked: bool,
}

/// A numbering instance: its abstract definition, levels it overrides, start numbers it sets.
type Instance = (String, HashMap<u8, Level>, HashMap<u8, u32>);

#[derive(Debug, Default)]
pub(super) struct Numbering {
    abstracts: HashMap<String, HashMap<u8, Level>>,
    nums: HashMap<String, Instance>,
}

impl Numbering {
    pub(super) fn parse(doc: &Document<'_>) -> Numbering {
        let mut numbering = Numbering::default();
        let root = doc.root_element();
        for node in root
            .children()
            .filter(|n| n.tag_name().name() == "abstractNum")
        {
            let Some(id) = attr(node, "abstractNumId") else {
                continue;
            };
            numbering.abstracts.insert(id.to_owned(), levels(node));
        }
        for node in root.children().filter(|n| n.tag_name().name() == "num") {
            let (Some(id), Some(abs)) = (
                attr(node, "numId"),
                child(node, "abstractNumId").and_then(|n| attr(n, "val")),
            ) else {
                continue;
            };
            let mut starts = HashMap::new();
            let mut overrides = HashMap::new();
            for over in node
                .children()
                .filter(|n| n.tag_name().name() == "lvlOverride")
            {
                let Some(ilvl) = attr(over, "ilvl").and_then(|v| v.parse::<u8>().ok()) else {
                    continue;
                };
                if let Some(start) = child(over, "startOverride")
                    .and_then(|n| attr(n, "val"))
                    .and_then(|v| v.parse().ok())
                {
                    starts.insert(ilvl, start);
                }
                if let Some(level) = child(over, "lvl").and_then(|l| level(l).map(|(_, l)| l)) {
                    overrides.insert(ilvl, level);
                }
            }
            numbering
                .nums
                .insert(id.to_owned(), (abs.to_owned(), overrides, starts));
        }
        numbering
    }

    /// The list level of numbering instance `num` at `ilvl`; `None` for numId 0 ("no list")
    /// or an instance the document does not define.
    pub(super) fn level(&self, num: &str, ilvl: u8) -> Option<Level> {
        let (abs, overrides, starts) = self.nums.get(num)?;
        let mut level = overrides
            .get(&ilvl)
            .copied()
            .or_else(|| self.abstracts.get(abs)?.get(&ilvl).copied())
            .unwrap_or(Level {
                ordered: false,
                start: 1,
                unmarked: false,
            });
        if let Some(start) = starts.get(&ilvl) {
            level.start = *start;
        }
        Some(level)
    }

    /// The abstract definition behind an instance: two instances of one definition are one list.
    pub(super) fn abstract_of(&self, num: &str) -> Option<&str> {
        self.nums.get(num).map(|(abs, _, _)| abs.as_str())
    }
}

fn levels(node: Node<'_, '_>) -> HashMap<u8, Level> {
    node.children()
        .filter(|n| n.tag_name().name() == "lvl")
        .filter_map(level)
        .collect()
}

fn level(node: Node<'_, '_>) -> Option<(u8, Level)> {
    let ilvl = attr(node, "ilvl")?.parse().ok()?;
    let format = child(node, "numFmt")
        .and_then(|n| attr(n, "val"))
        .unwrap_or("decimal");
    let start = child(node, "start")
        .and_then(|n| attr(n, "val"))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    Some((
        ilvl,
        Level {
            ordered: !matches!(format, "bullet" | "none"),
            start,
            unmarked: format == "none",
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn style_names_in_many_languages() {
        assert_eq!(kind_by_name("heading 2"), Some(ParaKind::Heading(2)));
        assert_eq!(kind_by_name("Überschrift 3"), Some(ParaKind::Heading(3)));
        assert_eq!(kind_by_name("Titre 1"), Some(ParaKind::Heading(1)));
        assert_eq!(kind_by_name("제목 1"), Some(ParaKind::Heading(1)));
        assert_eq!(kind_by_name("Heading1"), Some(ParaKind::Heading(1)));
        assert_eq!(kind_by_name("Titel"), Some(ParaKind::Title));
        assert_eq!(kind_by_name("Zitat"), Some(ParaKind::Quote));
        assert_eq!(kind_by_name("Body Text 2"), None);
        assert_eq!(kind_by_name("Normal"), None);
    }
}
