//! Reads WordprocessingML (document.xml, footnotes.xml, endnotes.xml) into blocks: paragraphs
//! by style and outline level, lists from numbering, tables with merged cells, runs with their
//! formatting, hyperlinks (elements and `HYPERLINK` fields), images, note references and
//! citation fields. Tracked insertions are kept and deletions dropped; comments are dropped.
mod inline;
mod lists;
mod table;

use std::collections::HashMap;
use std::sync::Arc;

use roxmltree::Node;

use super::model::{Atom, Block, Piece};
use super::package::Relationship;
use super::sources::Collector;
use super::styles::{Fmt, Numbering, ParaKind, Styles, numbering_of, outline_level};
use super::xml::{attr, child};
use inline::tidy;
use lists::structure;

/// What was converted and what was not, for the summary on stderr.
#[derive(Debug, Default)]
pub(super) struct Report {
    pub insertions: usize,
    pub deletions: usize,
    pub comments: std::collections::BTreeSet<String>,
    pub bibliographies: usize,
    pub tables_of_contents: usize,
    pub broken_citations: Vec<String>,
    pub other_citations: usize,
    pub text_boxes: usize,
    pub objects: usize,
    pub equations: usize,
    pub missing_images: usize,
}

/// A paragraph before lists and quotes are put together.
enum Flat {
    Block(Block),
    Para(Vec<Piece>, bool),
    Quote(Vec<Piece>),
    Item {
        key: String,
        level: u8,
        ordered: bool,
        start: u32,
        pieces: Vec<Piece>,
    },
}

/// What a field does with its result.
#[derive(Debug, Clone)]
enum Action {
    Keep,
    Link(Arc<str>),
    Drop,
}

struct Field {
    instr: String,
    separated: bool,
    action: Action,
}

#[derive(Clone, Copy)]
struct Ctx<'c> {
    fmt: Fmt,
    link: Option<&'c Arc<str>>,
}

pub(super) struct Reader<'a> {
    pub styles: &'a Styles,
    pub numbering: &'a Numbering,
    pub rels: &'a HashMap<String, Relationship>,
    pub cites: &'a mut Collector,
    pub report: &'a mut Report,
    /// Whether this part is a notes part (no title there).
    pub in_notes: bool,
    pub title: Option<Vec<Piece>>,
    pub subtitle: Option<Vec<Piece>>,
    fields: Vec<Field>,
    /// Set when a bibliography field starts, so that the heading just above it goes too.
    bibliography_started: bool,
}

impl<'a> Reader<'a> {
    pub(super) fn new(
        styles: &'a Styles,
        numbering: &'a Numbering,
        rels: &'a HashMap<String, Relationship>,
        cites: &'a mut Collector,
        report: &'a mut Report,
        in_notes: bool,
    ) -> Self {
        Reader {
            styles,
            numbering,
            rels,
            cites,
            report,
            in_notes,
            title: None,
            subtitle: None,
            fields: Vec::new(),
            bibliography_started: false,
        }
    }

    /// The blocks of a container: the body, a table cell, a note.
    pub(super) fn blocks(&mut self, node: Node<'_, '_>) -> Vec<Block> {
        let mut flats = Vec::new();
        self.collect(node, &mut flats);
        structure(flats)
    }

    fn collect(&mut self, node: Node<'_, '_>, flats: &mut Vec<Flat>) {
        for c in node.children().filter(Node::is_element) {
            match c.tag_name().name() {
                "p" => {
                    self.bibliography_started = false;
                    match self.paragraph(c) {
                        Some(flat) => flats.push(flat),
                        // The plugin's bibliography under its own heading ("References"): the
                        // heading goes with it, as dossier writes its own.
                        None if self.bibliography_started
                            && matches!(flats.last(), Some(Flat::Block(Block::Heading(..)))) =>
                        {
                            flats.pop();
                        }
                        None => {}
                    }
                }
                "tbl" => {
                    if let Some(table) = self.table(c) {
                        flats.push(Flat::Block(table));
                    }
                }
                "sdt" | "sdtContent" | "customXml" | "ins" | "moveTo" => self.collect(c, flats),
                _ => {}
            }
        }
    }

    fn paragraph(&mut self, p: Node<'_, '_>) -> Option<Flat> {
        let ppr = child(p, "pPr");
        let style = ppr
            .and_then(|n| child(n, "pStyle"))
            .and_then(|n| attr(n, "val"));
        let mut kind = self.styles.kind(style);
        if kind == ParaKind::Normal
            && let Some(level) = ppr.and_then(outline_level)
        {
            kind = ParaKind::Heading(level);
        }
        let numbering = ppr
            .and_then(numbering_of)
            .or_else(|| style.and_then(|s| self.styles.numbering(s)));
        let mut pieces = Vec::new();
        self.inlines(p, Ctx { fmt: 0, link: None }, &mut pieces);
        let pieces = tidy(pieces);
        let visible = pieces.iter().any(|p| {
            !matches!(&p.atom, Atom::Anchor(_)) && p.text().is_none_or(|t| !t.trim().is_empty())
        });
        if !visible {
            return None;
        }
        match kind {
            ParaKind::Title if !self.in_notes && self.title.is_none() => {
                self.title = Some(pieces);
                return None;
            }
            ParaKind::Subtitle if !self.in_notes && self.subtitle.is_none() => {
                self.subtitle = Some(pieces);
                return None;
            }
            ParaKind::Title | ParaKind::Subtitle => {
                return Some(Flat::Block(Block::Heading(1, pieces)));
            }
            ParaKind::Heading(level) if !self.in_notes => {
                return Some(Flat::Block(Block::Heading(level, pieces)));
            }
            _ => {}
        }
        if let Some((num, ilvl)) = &numbering
            && let Some(level) = self.numbering.level(num, *ilvl)
            && !level.unmarked
        {
            let key = if *ilvl == 0 {
                num.clone()
            } else {
                self.numbering.abstract_of(num).unwrap_or(num).to_owned()
            };
            return Some(Flat::Item {
                key,
                level: *ilvl,
                ordered: level.ordered,
                start: level.start,
                pieces,
            });
        }
        if kind == ParaKind::Quote {
            return Some(Flat::Quote(pieces));
        }
        let indented = numbering.is_some()
            || ppr
                .and_then(|n| child(n, "ind"))
                .and_then(|n| attr(n, "left").or_else(|| attr(n, "start")))
                .and_then(|v| v.parse::<i64>().ok())
                .is_some_and(|left| left > 0);
        Some(Flat::Para(pieces, indented))
    }
}

/// The notes of footnotes.xml or endnotes.xml, by id (the separators, ids -1 and 0 and those
/// typed as separators, are not notes).
pub(super) fn notes(reader: &mut Reader<'_>, root: Node<'_, '_>) -> HashMap<String, Vec<Block>> {
    let mut notes = HashMap::new();
    for note in root
        .children()
        .filter(|n| matches!(n.tag_name().name(), "footnote" | "endnote"))
    {
        let Some(id) = attr(note, "id") else { continue };
        if attr(note, "type").is_some_and(|t| t != "normal") || matches!(id, "-1" | "0") {
            continue;
        }
        notes.insert(id.to_owned(), reader.blocks(note));
    }
    notes
}
