//! Reads WordprocessingML (document.xml, footnotes.xml, endnotes.xml) into blocks: paragraphs
//! by style and outline level, lists from numbering, tables with merged cells, runs with their
//! formatting, hyperlinks (elements and `HYPERLINK` fields), images, note references and
//! citation fields. Tracked insertions are kept and deletions dropped; comments are dropped.

use std::collections::HashMap;
use std::sync::Arc;

use roxmltree::Node;

use super::fields::{self, Instruction};
use super::model::{Atom, Block, Cell, Image, List, Piece, Table};
use super::package::Relationship;
use super::sources::Collector;
use super::styles::{Fmt, Numbering, ParaKind, Styles, numbering_of, outline_level, run_fmt};
use super::xml::{attr, child, descendant, on_off, text_of};

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

    fn inlines(&mut self, node: Node<'_, '_>, ctx: Ctx<'_>, out: &mut Vec<Piece>) {
        for c in node.children().filter(Node::is_element) {
            match c.tag_name().name() {
                "r" => self.run(c, ctx, out),
                "hyperlink" => {
                    let target = attr(c, "id")
                        .and_then(|id| self.rels.get(id))
                        .map(|r| r.target.clone());
                    let anchor = attr(c, "anchor").map(|a| format!("#{a}"));
                    let url = match (target, anchor) {
                        (Some(t), Some(a)) => Some(format!("{t}{a}")),
                        (t, a) => t.or(a),
                    };
                    match url {
                        Some(url) if ctx.link.is_none() => {
                            let link: Arc<str> = Arc::from(url);
                            self.inlines(
                                c,
                                Ctx {
                                    link: Some(&link),
                                    ..ctx
                                },
                                out,
                            );
                        }
                        _ => self.inlines(c, ctx, out),
                    }
                }
                "fldSimple" => {
                    let instr = attr(c, "instr").unwrap_or_default().to_owned();
                    self.fields.push(Field {
                        instr,
                        separated: false,
                        action: Action::Keep,
                    });
                    self.separate(out);
                    self.inlines(c, ctx, out);
                    self.fields.pop();
                }
                "ins" | "moveTo" => {
                    self.report.insertions += 1;
                    self.inlines(c, ctx, out);
                }
                "del" | "moveFrom" => self.report.deletions += 1,
                "smartTag" | "customXml" | "sdt" | "sdtContent" | "dir" | "bdo" => {
                    self.inlines(c, ctx, out)
                }
                "bookmarkStart" => {
                    if let Some(name) = attr(c, "name") {
                        self.emit(Atom::Anchor(name.to_owned()), ctx, out);
                    }
                }
                "oMath" | "oMathPara" => {
                    self.report.equations += 1;
                    let text = text_of(c);
                    self.emit(Atom::Text(text), ctx, out);
                }
                _ => {}
            }
        }
    }

    fn run(&mut self, r: Node<'_, '_>, ctx: Ctx<'_>, out: &mut Vec<Piece>) {
        let mut fmt = ctx.fmt;
        let mut hidden = false;
        if let Some(rpr) = child(r, "rPr") {
            if let Some(style) = child(rpr, "rStyle").and_then(|n| attr(n, "val")) {
                let (style_fmt, style_hidden) = self.styles.run_style(style);
                fmt |= style_fmt;
                hidden |= style_hidden;
            }
            if let Some(vanish) = child(rpr, "vanish") {
                hidden = on_off(vanish);
            }
            let (on, off) = run_fmt(rpr);
            fmt = (fmt | on) & !off;
        }
        let ctx = Ctx { fmt, ..ctx };
        self.run_content(r, ctx, hidden, out);
    }

    fn run_content(&mut self, r: Node<'_, '_>, ctx: Ctx<'_>, hidden: bool, out: &mut Vec<Piece>) {
        for c in r.children().filter(Node::is_element) {
            let name = c.tag_name().name();
            match name {
                "fldChar" => match attr(c, "fldCharType") {
                    Some("begin") => self.fields.push(Field {
                        instr: String::new(),
                        separated: false,
                        action: Action::Keep,
                    }),
                    Some("separate") => self.separate(out),
                    Some("end") => {
                        if self.fields.last().is_some_and(|f| !f.separated) {
                            self.separate(out);
                        }
                        self.fields.pop();
                    }
                    _ => {}
                },
                "instrText" => {
                    if let Some(field) = self.fields.last_mut()
                        && !field.separated
                    {
                        field.instr.push_str(c.text().unwrap_or_default());
                    }
                }
                _ if hidden => {}
                "t" => {
                    let text = c.text().unwrap_or_default().to_owned();
                    self.emit(Atom::Text(text), ctx, out);
                }
                "tab" | "ptab" => self.emit(Atom::Text(" ".into()), ctx, out),
                "br" | "cr" if !matches!(attr(c, "type"), Some("page" | "column")) => {
                    self.emit(Atom::Break, ctx, out);
                }
                "noBreakHyphen" => self.emit(Atom::Text("-".into()), ctx, out),
                "sym" => {
                    let symbol = attr(c, "char")
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        // Symbol fonts map their glyphs into the private use area at F000.
                        .map(|code| {
                            if (0xF020..=0xF0FF).contains(&code) {
                                code - 0xF000
                            } else {
                                code
                            }
                        })
                        .and_then(char::from_u32);
                    if let Some(symbol) = symbol {
                        self.emit(Atom::Text(symbol.to_string()), ctx, out);
                    }
                }
                "footnoteReference" | "endnoteReference" => {
                    if let Some(id) = attr(c, "id") {
                        let endnote = name == "endnoteReference";
                        self.emit(Atom::Note(endnote, id.to_owned()), ctx, out);
                    }
                }
                "drawing" => self.drawing(c, ctx, out),
                "pict" => self.picture(c, ctx, out),
                "object" => self.report.objects += 1,
                "AlternateContent" => {
                    // The first choice is what Word shows; fall back only when it has no picture.
                    let choice = c.children().find(|n| n.tag_name().name() == "Choice");
                    let fallback = c.children().find(|n| n.tag_name().name() == "Fallback");
                    let pick = match (choice, fallback) {
                        (Some(ch), Some(fb)) if descendant(ch, "blip").is_none() => fb,
                        (Some(ch), _) => ch,
                        (None, Some(fb)) => fb,
                        (None, None) => continue,
                    };
                    self.run_content(pick, ctx, hidden, out);
                }
                "commentReference" => {
                    let id = attr(c, "id").unwrap_or_default().to_owned();
                    self.report.comments.insert(id);
                }
                _ => {}
            }
        }
    }

    /// Whether output is dropped: inside a field's instruction, or the result of a field whose
    /// result is not kept (a citation, a bibliography). Else the link a field gives.
    fn emit(&mut self, atom: Atom, ctx: Ctx<'_>, out: &mut Vec<Piece>) {
        self.emit_under(self.fields.len(), atom, ctx, out);
    }

    fn emit_under(&mut self, depth: usize, atom: Atom, ctx: Ctx<'_>, out: &mut Vec<Piece>) {
        let mut link = ctx.link.cloned();
        for field in &self.fields[..depth] {
            match (&field.action, field.separated) {
                (_, false) | (Action::Drop, true) => return,
                (Action::Link(url), true) if link.is_none() => link = Some(url.clone()),
                _ => {}
            }
        }
        if let Atom::Text(text) = &atom
            && let Some(Piece {
                fmt,
                link: last_link,
                atom: Atom::Text(last),
            }) = out.last_mut()
            && *fmt == ctx.fmt
            && *last_link == link
        {
            last.push_str(text);
            return;
        }
        out.push(Piece {
            fmt: ctx.fmt,
            link,
            atom,
        });
    }

    /// A field's instruction is complete: decide what its result becomes.
    fn separate(&mut self, out: &mut Vec<Piece>) {
        let Some(field) = self.fields.last_mut() else {
            return;
        };
        if field.separated {
            return;
        }
        field.separated = true;
        let instr = std::mem::take(&mut field.instr);
        let action = match fields::parse(&instr) {
            Instruction::Hyperlink(url) => Action::Link(Arc::from(url)),
            Instruction::Citation(json) => match self.cites.add(json) {
                Ok(index) => {
                    let depth = self.fields.len() - 1;
                    let ctx = Ctx { fmt: 0, link: None };
                    self.emit_under(depth, Atom::Cite(index), ctx, out);
                    Action::Drop
                }
                Err(why) => {
                    self.report.broken_citations.push(why);
                    Action::Keep
                }
            },
            Instruction::Bibliography => {
                self.report.bibliographies += 1;
                self.bibliography_started = true;
                Action::Drop
            }
            Instruction::TableOfContents => {
                self.report.tables_of_contents += 1;
                Action::Drop
            }
            Instruction::OtherCitation => {
                self.report.other_citations += 1;
                Action::Keep
            }
            Instruction::Other => Action::Keep,
        };
        if let Some(field) = self.fields.last_mut() {
            field.action = action;
        }
    }

    fn image_from(&mut self, rel: Option<&str>, alt: String, title: String) -> Option<Atom> {
        let Some(rel) = rel.and_then(|id| self.rels.get(id)) else {
            self.report.missing_images += 1;
            return None;
        };
        Some(Atom::Image(Image {
            target: rel.target.clone(),
            external: rel.external,
            alt,
            title,
        }))
    }

    fn drawing(&mut self, node: Node<'_, '_>, ctx: Ctx<'_>, out: &mut Vec<Piece>) {
        let Some(blip) = descendant(node, "blip") else {
            if descendant(node, "txbxContent").is_some() {
                self.report.text_boxes += 1;
            } else {
                self.report.objects += 1;
            }
            return;
        };
        let doc_pr = descendant(node, "docPr");
        let alt = doc_pr
            .and_then(|n| attr(n, "descr"))
            .unwrap_or_default()
            .to_owned();
        let title = doc_pr
            .and_then(|n| attr(n, "title"))
            .unwrap_or_default()
            .to_owned();
        let rel = attr(blip, "embed").or_else(|| attr(blip, "link"));
        if let Some(atom) = self.image_from(rel, alt, title) {
            self.emit(atom, ctx, out);
        }
    }

    /// An old-style (VML) picture.
    fn picture(&mut self, node: Node<'_, '_>, ctx: Ctx<'_>, out: &mut Vec<Piece>) {
        let Some(data) = descendant(node, "imagedata") else {
            if descendant(node, "txbxContent").is_some() {
                self.report.text_boxes += 1;
            }
            return;
        };
        let shape = descendant(node, "shape");
        let alt = shape
            .and_then(|s| attr(s, "alt"))
            .or_else(|| attr(data, "title"))
            .unwrap_or_default()
            .to_owned();
        if let Some(atom) = self.image_from(attr(data, "id"), alt, String::new()) {
            self.emit(atom, ctx, out);
        }
    }

    fn table(&mut self, tbl: Node<'_, '_>) -> Option<Block> {
        let first_row_look = child(tbl, "tblPr")
            .and_then(|n| child(n, "tblLook"))
            .is_some_and(|look| {
                attr(look, "firstRow").map_or_else(
                    || {
                        attr(look, "val")
                            .and_then(|v| u32::from_str_radix(v, 16).ok())
                            .is_some_and(|v| v & 0x20 != 0)
                    },
                    |v| v == "1" || v == "true",
                )
            });
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        let mut header_rows = 0;
        let mut counting_headers = true;
        // Grid column -> (row, cell) of the cell a vertical merge started at.
        let mut merges: HashMap<usize, (usize, usize)> = HashMap::new();
        let tr_nodes: Vec<Node<'_, '_>> = tbl
            .children()
            .flat_map(|n| match n.tag_name().name() {
                "tr" => vec![n],
                // Rows inside content controls or tracked insertions.
                "sdt" | "customXml" => n
                    .descendants()
                    .filter(|d| d.tag_name().name() == "tr")
                    .collect(),
                _ => Vec::new(),
            })
            .collect();
        for tr in tr_nodes {
            let trpr = child(tr, "trPr");
            if counting_headers && trpr.and_then(|n| child(n, "tblHeader")).is_some_and(on_off) {
                header_rows += 1;
            } else {
                counting_headers = false;
            }
            let mut column = trpr
                .and_then(|n| child(n, "gridBefore"))
                .and_then(|n| attr(n, "val"))
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0);
            let row_index = rows.len();
            let mut row = Vec::new();
            let tcs = tr.children().flat_map(|n| match n.tag_name().name() {
                "tc" => vec![n],
                "sdt" | "customXml" => n
                    .descendants()
                    .filter(|d| d.tag_name().name() == "tc")
                    .collect(),
                _ => Vec::new(),
            });
            for tc in tcs.collect::<Vec<_>>() {
                let tcpr = child(tc, "tcPr");
                let span = tcpr
                    .and_then(|n| child(n, "gridSpan"))
                    .and_then(|n| attr(n, "val"))
                    .and_then(|v| v.parse::<u32>().ok())
                    .unwrap_or(1)
                    .clamp(1, 1000);
                let vmerge = tcpr
                    .and_then(|n| child(n, "vMerge"))
                    .map(|n| attr(n, "val"));
                let continues = matches!(vmerge, Some(None | Some("continue")));
                if continues && let Some(&(r, c)) = merges.get(&column) {
                    rows[r][c].rowspan += 1;
                    column += span as usize;
                    continue;
                }
                if matches!(vmerge, Some(Some("restart"))) {
                    merges.insert(column, (row_index, row.len()));
                } else {
                    merges.remove(&column);
                }
                row.push(Cell {
                    blocks: self.blocks(tc),
                    colspan: span,
                    rowspan: 1,
                });
                column += span as usize;
            }
            rows.push(row);
        }
        if rows.iter().all(Vec::is_empty) {
            return None;
        }
        if header_rows == 0 && first_row_look {
            header_rows = 1;
        }
        Some(Block::Table(Table { rows, header_rows }))
    }
}

/// Merges neighbouring text of the same formatting and trims the paragraph's ends.
fn tidy(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    for piece in pieces {
        if let (Some(last), Atom::Text(text)) = (out.last_mut(), &piece.atom)
            && last.fmt == piece.fmt
            && last.link == piece.link
            && let Atom::Text(last_text) = &mut last.atom
        {
            last_text.push_str(text);
            continue;
        }
        if matches!(&piece.atom, Atom::Text(t) if t.is_empty()) {
            continue;
        }
        out.push(piece);
    }
    if let Some(Piece {
        atom: Atom::Text(t),
        ..
    }) = out.first_mut()
    {
        *t = t.trim_start().to_owned();
    }
    while matches!(
        out.last(),
        Some(Piece {
            atom: Atom::Break,
            ..
        })
    ) {
        out.pop();
    }
    if let Some(Piece {
        atom: Atom::Text(t),
        ..
    }) = out.last_mut()
    {
        t.truncate(t.trim_end().len());
    }
    out.retain(|p| !matches!(&p.atom, Atom::Text(t) if t.is_empty()));
    out
}

struct Open {
    key: String,
    level: u8,
    list: List,
}

/// Puts list items into (nested) lists and quote paragraphs into block quotes.
fn structure(flats: Vec<Flat>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    fn close_top(open: &mut Vec<Open>, out: &mut Vec<Block>) {
        let Some(top) = open.pop() else { return };
        let block = Block::List(top.list);
        match open
            .last_mut()
            .and_then(|parent| parent.list.items.last_mut())
        {
            Some(item) => item.push(block),
            None => out.push(block),
        }
    }
    for flat in flats {
        match flat {
            Flat::Item {
                key,
                level,
                ordered,
                start,
                pieces,
            } => {
                while open.last().is_some_and(|top| top.level > level) {
                    close_top(&mut open, &mut out);
                }
                let continues = open.last().is_some_and(|top| {
                    top.level == level
                        && top.list.ordered == ordered
                        && (top.key == key || level > 0)
                });
                if !continues && open.last().is_some_and(|top| top.level == level) {
                    close_top(&mut open, &mut out);
                }
                if !continues {
                    open.push(Open {
                        key,
                        level,
                        list: List {
                            ordered,
                            start,
                            items: Vec::new(),
                        },
                    });
                }
                if let Some(top) = open.last_mut() {
                    top.list.items.push(vec![Block::Para(pieces)]);
                }
            }
            Flat::Para(pieces, true) if !open.is_empty() => {
                if let Some(item) = open.last_mut().and_then(|top| top.list.items.last_mut()) {
                    item.push(Block::Para(pieces));
                }
            }
            other => {
                while !open.is_empty() {
                    close_top(&mut open, &mut out);
                }
                match other {
                    Flat::Quote(pieces) => match out.last_mut() {
                        Some(Block::Quote(blocks)) => blocks.push(Block::Para(pieces)),
                        _ => out.push(Block::Quote(vec![Block::Para(pieces)])),
                    },
                    Flat::Para(pieces, _) => out.push(Block::Para(pieces)),
                    Flat::Block(block) => out.push(block),
                    Flat::Item { .. } => {}
                }
            }
        }
    }
    while !open.is_empty() {
        close_top(&mut open, &mut out);
    }
    out
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
