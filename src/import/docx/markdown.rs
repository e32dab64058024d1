//! Writes the blocks of a Word document as dossier Markdown: headings from `##` (the title is
//! the page's h1), emphasis as `*`/`**` where CommonMark reads it back unchanged (else as HTML
//! tags), GFM tables when simple and HTML tables with Markdown cells when cells are merged,
//! footnotes as `[^n]` and citations as Pandoc markers.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use super::model::{Atom, Block, List, Piece, Table};
use super::styles::{BOLD, Fmt, ITALIC, STRIKE, SUB, SUPER};

/// Where inline text goes: it decides what a line break becomes and what must be escaped.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Normal,
    Cell,
    Heading,
}

pub(super) struct Writer<'a> {
    /// Footnotes (`false`) and endnotes (`true`) by id.
    pub notes: &'a HashMap<(bool, String), Vec<Block>>,
    /// Each citation field's marker.
    pub markers: &'a [String],
    /// Citation-only notes, by id: their merged marker (set in note styles).
    pub note_markers: &'a HashMap<(bool, String), String>,
    /// Image part name -> URL in the brief.
    pub images: &'a HashMap<String, String>,
    /// Bookmarks some link points at.
    pub linked: &'a HashSet<String>,
    definitions: Vec<String>,
    numbers: HashMap<(bool, String), usize>,
    pub notes_written: usize,
}

impl<'a> Writer<'a> {
    pub(super) fn new(
        notes: &'a HashMap<(bool, String), Vec<Block>>,
        markers: &'a [String],
        note_markers: &'a HashMap<(bool, String), String>,
        images: &'a HashMap<String, String>,
        linked: &'a HashSet<String>,
    ) -> Self {
        Writer {
            notes,
            markers,
            note_markers,
            images,
            linked,
            definitions: Vec::new(),
            numbers: HashMap::new(),
            notes_written: 0,
        }
    }

    /// The body: the blocks, then the notes' definitions.
    pub(super) fn document(&mut self, blocks: &[Block]) -> String {
        let mut body = self.blocks(blocks);
        // Definitions in the order of their first reference (a note's own are rendered then).
        let mut written = 0;
        while written < self.definitions.len() {
            let definition = self.definitions[written].clone();
            body.push_str("\n\n");
            body.push_str(&definition);
            written += 1;
        }
        self.notes_written = written;
        body.push('\n');
        body
    }

    fn blocks(&mut self, blocks: &[Block]) -> String {
        let mut out = String::new();
        let mut previous_list: Option<(bool, bool)> = None;
        for block in blocks {
            let text = match block {
                Block::List(list) => {
                    // Two lists in a row are told apart by their markers (`-`/`*`, `.`/`)`).
                    let alternate = matches!(previous_list, Some((ordered, alt)) if ordered == list.ordered && !alt);
                    previous_list = Some((list.ordered, alternate));
                    self.list(list, alternate)
                }
                other => {
                    previous_list = None;
                    self.block(other)
                }
            };
            if text.trim().is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&text);
        }
        out
    }

    fn block(&mut self, block: &Block) -> String {
        match block {
            Block::Para(pieces) => self.inlines(pieces, Mode::Normal),
            Block::Heading(level, pieces) => {
                let anchor = pieces.iter().find_map(|p| match &p.atom {
                    Atom::Anchor(name) if self.linked.contains(name) && is_plain_id(name) => {
                        Some(name.clone())
                    }
                    _ => None,
                });
                let mut text = self.inlines(pieces, Mode::Heading);
                if text.ends_with('#') {
                    text.insert(text.len() - 1, '\\');
                }
                if text.trim().is_empty() {
                    return String::new();
                }
                let hashes = "#".repeat(usize::from(*level + 1).min(6));
                match anchor {
                    Some(id) => format!("{hashes} {text} {{#{id}}}"),
                    None => format!("{hashes} {text}"),
                }
            }
            Block::Quote(blocks) => {
                let inner = self.blocks(blocks);
                prefix_lines(&inner, "> ", "> ")
            }
            Block::List(list) => self.list(list, false),
            Block::Table(table) => self.table(table),
        }
    }

    fn list(&mut self, list: &List, alternate: bool) -> String {
        // Tight when every item is a paragraph, perhaps followed by lists that may interrupt one.
        let simple = |item: &Vec<Block>| {
            matches!(item.first(), Some(Block::Para(_)))
                && item[1..]
                    .iter()
                    .all(|b| matches!(b, Block::List(l) if !l.ordered || l.start == 1))
        };
        let tight = list.items.iter().all(simple);
        let mut out = String::new();
        for (k, item) in list.items.iter().enumerate() {
            let marker = if list.ordered {
                let n = u64::from(list.start) + k as u64;
                format!("{n}{}", if alternate { ')' } else { '.' })
            } else {
                (if alternate { "*" } else { "-" }).to_owned()
            };
            let content = if tight {
                let parts: Vec<String> = item.iter().map(|b| self.block(b)).collect();
                parts.join("\n")
            } else {
                self.blocks(item)
            };
            let indent = " ".repeat(marker.len() + 1);
            if k > 0 {
                out.push_str(if tight { "\n" } else { "\n\n" });
            }
            out.push_str(&prefix_lines(&content, &format!("{marker} "), &indent));
        }
        out
    }

    fn table(&mut self, table: &Table) -> String {
        let width = table
            .rows
            .iter()
            .map(|r| r.iter().map(|c| c.colspan as usize).sum::<usize>())
            .max()
            .unwrap_or(0);
        let simple = table.header_rows == 1
            && table.rows.iter().flatten().all(|c| {
                c.colspan == 1
                    && c.rowspan == 1
                    && (c.blocks.is_empty() || matches!(c.blocks.as_slice(), [Block::Para(_)]))
            });
        if simple && width > 0 {
            let mut out = String::new();
            for (r, row) in table.rows.iter().enumerate() {
                let mut cells: Vec<String> = row
                    .iter()
                    .map(|c| match c.blocks.first() {
                        Some(Block::Para(pieces)) => self.inlines(pieces, Mode::Cell),
                        _ => String::new(),
                    })
                    .collect();
                cells.resize(width, String::new());
                let _ = writeln!(out, "| {} |", cells.join(" | "));
                if r == 0 {
                    let _ = writeln!(out, "|{}", " --- |".repeat(width));
                }
            }
            out.truncate(out.trim_end().len());
            return out;
        }
        // Merged cells: an HTML table whose cells hold Markdown (blank lines around it make
        // CommonMark read it as Markdown, so notes and citations in cells still work).
        let mut out = String::from("<table>\n");
        for (r, row) in table.rows.iter().enumerate() {
            let head = r < table.header_rows;
            if r == 0 && head {
                out.push_str("<thead>\n");
            }
            if r == table.header_rows {
                out.push_str("<tbody>\n");
            }
            out.push_str("<tr>\n");
            let tag = if head { "th" } else { "td" };
            for cell in row {
                let mut open = format!("<{tag}");
                if cell.colspan > 1 {
                    let _ = write!(open, " colspan=\"{}\"", cell.colspan);
                }
                if cell.rowspan > 1 {
                    let _ = write!(open, " rowspan=\"{}\"", cell.rowspan);
                }
                open.push('>');
                let inner = self.blocks(&cell.blocks);
                if inner.trim().is_empty() {
                    let _ = writeln!(out, "{open}</{tag}>");
                } else {
                    let _ = writeln!(out, "{open}\n\n{inner}\n\n</{tag}>");
                }
            }
            out.push_str("</tr>\n");
            if head && r + 1 == table.header_rows {
                out.push_str("</thead>\n");
            }
        }
        if table.rows.len() > table.header_rows {
            out.push_str("</tbody>\n");
        }
        out.push_str("</table>");
        out
    }

    /// A note reference: the citation marker itself for a citation-only note, else `[^n]`.
    fn note(&mut self, endnote: bool, id: &str) -> String {
        let key = (endnote, id.to_owned());
        if let Some(marker) = self.note_markers.get(&key) {
            return marker.clone();
        }
        if let Some(n) = self.numbers.get(&key) {
            return format!("[^{n}]");
        }
        let Some(blocks) = self.notes.get(&key) else {
            return String::new();
        };
        let n = self.numbers.len() + 1;
        self.numbers.insert(key, n);
        let content = self.blocks(blocks);
        self.definitions
            .push(prefix_lines(&content, &format!("[^{n}]: "), "    "));
        format!("[^{n}]")
    }

    fn inlines(&mut self, pieces: &[Piece], mode: Mode) -> String {
        let pieces = normalize(pieces);
        let mut out = String::new();
        let mut i = 0;
        while i < pieces.len() {
            let link = pieces[i].link.clone();
            let mut j = i + 1;
            while j < pieces.len() && pieces[j].link == link {
                j += 1;
            }
            match link {
                Some(url) => {
                    let inner = self.styled(&pieces[i..j], mode, "");
                    let _ = write!(out, "[{inner}]({})", link_target(&url));
                }
                None => {
                    let text = self.styled(&pieces[i..j], mode, &out);
                    out.push_str(&text);
                }
            }
            i = j;
        }
        out
    }

    /// Pieces with their formatting: each run of a format opens and closes once, nested.
    fn styled(&mut self, pieces: &[Piece], mode: Mode, before: &str) -> String {
        const BITS: [Fmt; 5] = [BOLD, ITALIC, STRIKE, SUPER, SUB];
        let n = pieces.len();
        let run_end =
            |bit: Fmt, from: usize| (from..n).find(|&j| pieces[j].fmt & bit == 0).unwrap_or(n);
        let mut out = String::new();
        let mut stack: Vec<(Fmt, usize, bool)> = Vec::new();
        for i in 0..n {
            let fmt = pieces[i].fmt;
            while let Some(pos) = stack.iter().position(|(bit, _, _)| fmt & bit == 0) {
                for (bit, _, md) in stack.drain(pos..).rev() {
                    out.push_str(delimiter(bit, md, false));
                }
            }
            let mut opening: Vec<(Fmt, usize)> = BITS
                .iter()
                .filter(|&&bit| fmt & bit != 0 && !stack.iter().any(|(b, _, _)| *b == bit))
                .map(|&bit| (bit, run_end(bit, i)))
                .collect();
            opening.sort_by_key(|b| std::cmp::Reverse(b.1));
            for (bit, end) in opening {
                let end = stack.last().map_or(end, |top| end.min(top.1));
                let preceding = out.chars().last().or_else(|| before.chars().last());
                let md = markdown_ok(bit, &pieces[i..end], preceding);
                out.push_str(delimiter(bit, md, true));
                stack.push((bit, end, md));
            }
            let at_line_start = out.is_empty() && before.is_empty() || out.ends_with('\n');
            let atom = self.atom(&pieces[i].atom, mode, at_line_start);
            out.push_str(&atom);
        }
        for (bit, _, md) in stack.into_iter().rev() {
            out.push_str(delimiter(bit, md, false));
        }
        out
    }

    fn atom(&mut self, atom: &Atom, mode: Mode, line_start: bool) -> String {
        match atom {
            Atom::Text(text) => escape(text, mode, line_start),
            Atom::Break => match mode {
                Mode::Normal => "\\\n".to_owned(),
                Mode::Cell => "<br>".to_owned(),
                Mode::Heading => " ".to_owned(),
            },
            Atom::Note(endnote, id) => self.note(*endnote, id),
            Atom::Cite(index) => self.markers.get(*index).cloned().unwrap_or_default(),
            Atom::Anchor(name)
                if mode != Mode::Heading && self.linked.contains(name) && is_plain_id(name) =>
            {
                format!("<span id=\"{name}\"></span>")
            }
            Atom::Anchor(_) => String::new(),
            Atom::Image(image) => {
                let url = if image.external {
                    Some(image.target.clone())
                } else {
                    self.images.get(&image.target).cloned()
                };
                let Some(url) = url else {
                    return String::new();
                };
                let alt = escape(
                    &image.alt.split_whitespace().collect::<Vec<_>>().join(" "),
                    Mode::Cell,
                    false,
                );
                let title = image.title.trim();
                if title.is_empty() {
                    format!("![{alt}]({})", link_target(&url))
                } else {
                    let title = title.replace('\\', "\\\\").replace('"', "\\\"");
                    format!("![{alt}]({} \"{title}\")", link_target(&url))
                }
            }
        }
    }
}

/// A bookmark name that can be an HTML id and a `{#id}` heading attribute as it is.
fn is_plain_id(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Whether a format over `span` can be written with Markdown delimiters: its text starts and
/// ends with a letter or digit (so the delimiters flank it), and no other delimiter touches it.
fn markdown_ok(bit: Fmt, span: &[Piece], preceding: Option<char>) -> bool {
    if bit & (SUPER | SUB) != 0 || matches!(preceding, Some('*' | '~' | '\\')) {
        return false;
    }
    let (Some(first), Some(last)) = (span.first(), span.last()) else {
        return false;
    };
    let starts = first.text().and_then(|t| t.chars().next());
    let ends = last.text().and_then(|t| t.chars().last());
    starts.is_some_and(char::is_alphanumeric) && ends.is_some_and(char::is_alphanumeric)
}

fn delimiter(bit: Fmt, markdown: bool, open: bool) -> &'static str {
    match (bit, markdown, open) {
        (BOLD, true, _) => "**",
        (ITALIC, true, _) => "*",
        (STRIKE, true, _) => "~~",
        (BOLD, false, true) => "<strong>",
        (BOLD, false, false) => "</strong>",
        (ITALIC, false, true) => "<em>",
        (ITALIC, false, false) => "</em>",
        (STRIKE, false, true) => "<del>",
        (STRIKE, false, false) => "</del>",
        (SUPER, _, true) => "<sup>",
        (SUPER, _, false) => "</sup>",
        (SUB, _, true) => "<sub>",
        (SUB, _, false) => "</sub>",
        _ => "",
    }
}

/// Moves white space at the edges of formatted text outside the formatting, and gives note
/// references, citations and bookmarks the formatting around them (a note mark's superscript is
/// the note's own, not text's).
fn normalize(pieces: &[Piece]) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    let fmt_at = |k: usize| pieces.get(k).map_or(0, |p| p.fmt);
    for (k, piece) in pieces.iter().enumerate() {
        let before = if k == 0 { 0 } else { fmt_at(k - 1) };
        let after = fmt_at(k + 1);
        match &piece.atom {
            Atom::Text(text) if piece.fmt != 0 => {
                let core = text.trim();
                if core.is_empty() {
                    out.push(Piece {
                        fmt: piece.fmt & before & after,
                        ..piece.clone()
                    });
                    continue;
                }
                let lead = &text[..text.len() - text.trim_start().len()];
                let trail = &text[text.trim_end().len()..];
                if !lead.is_empty() {
                    out.push(Piece {
                        fmt: piece.fmt & before,
                        link: piece.link.clone(),
                        atom: Atom::Text(lead.to_owned()),
                    });
                }
                out.push(Piece {
                    atom: Atom::Text(core.to_owned()),
                    ..piece.clone()
                });
                if !trail.is_empty() {
                    out.push(Piece {
                        fmt: piece.fmt & after,
                        link: piece.link.clone(),
                        atom: Atom::Text(trail.to_owned()),
                    });
                }
            }
            Atom::Note(..) | Atom::Cite(_) | Atom::Anchor(_) => out.push(Piece {
                fmt: before & after & !(SUPER | SUB),
                ..piece.clone()
            }),
            _ => out.push(piece.clone()),
        }
    }
    out
}

/// Escapes what Markdown would read as markup in plain text.
fn escape(text: &str, mode: Mode, line_start: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let text = if line_start { text.trim_start() } else { text };
    if line_start {
        let digits = text.chars().take_while(char::is_ascii_digit).count();
        match text.chars().next() {
            Some('#' | '>' | '+' | '-' | '=') => out.push('\\'),
            Some(c)
                if c.is_ascii_digit()
                    && matches!(text[digits..].chars().next(), Some('.' | ')')) =>
            {
                out.push_str(&text[..digits]);
                out.push('\\');
                return out + &escape(&text[digits..], mode, false);
            }
            _ => {}
        }
    }
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '|' if mode == Mode::Cell => out.push_str("\\|"),
            '&' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') =>
            {
                out.push_str("\\&");
            }
            '\n' | '\r' => out.push(' '),
            '\t' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A link destination: in angle brackets when it has spaces or parentheses.
fn link_target(url: &str) -> String {
    let url = url.trim();
    if url.contains([' ', '(', ')', '<', '>']) || url.is_empty() {
        format!("<{}>", url.replace('<', "%3C").replace('>', "%3E"))
    } else {
        url.to_owned()
    }
}

/// Prefixes the first line with `first` and every other non-empty line with `rest`.
fn prefix_lines(text: &str, first: &str, rest: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (k, line) in text.split('\n').enumerate() {
        if k > 0 {
            out.push('\n');
        }
        if k == 0 {
            out.push_str(first);
        } else if line.is_empty() {
            out.push_str(rest.trim_end());
            continue;
        } else {
            out.push_str(rest);
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(fmt: Fmt, t: &str) -> Piece {
        Piece {
            fmt,
            link: None,
            atom: Atom::Text(t.to_owned()),
        }
    }

    fn render(pieces: &[Piece]) -> String {
        let (notes, markers, nm, images, linked) = (
            HashMap::new(),
            Vec::new(),
            HashMap::new(),
            HashMap::new(),
            HashSet::new(),
        );
        let mut writer = Writer::new(&notes, &markers, &nm, &images, &linked);
        writer.inlines(pieces, Mode::Normal)
    }

    #[test]
    fn emphasis_nests_and_falls_back_to_tags() {
        assert_eq!(
            render(&[
                text(0, "Regular "),
                text(ITALIC, "italics"),
                text(0, " "),
                text(BOLD, "bold "),
                text(BOLD | ITALIC, "bold italics"),
                text(0, ".")
            ]),
            "Regular *italics* **bold *bold italics***."
        );
        assert_eq!(render(&[text(ITALIC, "\"quoted\"")]), "<em>\"quoted\"</em>");
        assert_eq!(render(&[text(SUPER, "2")]), "<sup>2</sup>");
        assert_eq!(
            render(&[text(0, "1. Not a list *really*")]),
            "1\\. Not a list \\*really\\*"
        );
    }
}
