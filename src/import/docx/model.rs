//! What the reader makes of a Word document, before it is written as Markdown: blocks of
//! paragraphs, whose inline content is a flat run of pieces, each with its formatting and link.

use std::sync::Arc;

use super::styles::Fmt;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Block {
    Para(Vec<Piece>),
    /// Word's level (1 = Heading 1); anchors are the bookmarks on it.
    Heading(u8, Vec<Piece>),
    Quote(Vec<Block>),
    List(List),
    Table(Table),
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct List {
    pub ordered: bool,
    pub start: u32,
    pub items: Vec<Vec<Block>>,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Table {
    pub rows: Vec<Vec<Cell>>,
    /// How many rows at the top are header rows.
    pub header_rows: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Cell {
    pub blocks: Vec<Block>,
    pub colspan: u32,
    pub rowspan: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Piece {
    pub fmt: Fmt,
    pub link: Option<Arc<str>>,
    pub atom: Atom,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Atom {
    Text(String),
    Break,
    Image(Image),
    /// A footnote (`false`) or endnote (`true`) reference, by the note's id.
    Note(bool, String),
    /// A citation field, by its index in the document's citations.
    Cite(usize),
    /// A bookmark: a link target.
    Anchor(String),
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Image {
    /// The part name in the package, or the URL of a linked (external) image.
    pub target: String,
    pub external: bool,
    pub alt: String,
    pub title: String,
}

/// One item of a citation field: the item's CSL-JSON and how it is cited.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct CiteItem {
    /// Index into the document's distinct sources.
    pub source: usize,
    pub prefix: String,
    pub suffix: String,
    /// The CSL locator type (`page`, `paragraph`, ...) and the value.
    pub locator: Option<(String, String)>,
    pub suppress_author: bool,
}

/// A citation field: its items, and the text Word showed (kept when the field cannot be read).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Citation {
    pub items: Vec<CiteItem>,
}

impl Piece {
    pub(super) fn text(&self) -> Option<&str> {
        match &self.atom {
            Atom::Text(t) => Some(t),
            _ => None,
        }
    }
}
