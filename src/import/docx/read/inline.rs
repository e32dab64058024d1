//! Runs and what is inside a paragraph: formatting, hyperlinks, fields (links, citations,
//! bibliographies), images and note references.

use std::sync::Arc;

use roxmltree::Node;

use super::{Action, Ctx, Field, Reader};
use crate::import::docx::fields::{self, Instruction};
use crate::import::docx::model::{Atom, Image, Piece};
use crate::import::docx::styles::run_fmt;
use crate::import::docx::xml::{attr, child, descendant, on_off, text_of};

impl Reader<'_> {
    pub(super) fn inlines(&mut self, node: Node<'_, '_>, ctx: Ctx<'_>, out: &mut Vec<Piece>) {
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
                "fldChar" => self.field_char(c, out),
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
                    if let Some(symbol) = symbol(c) {
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
                    if let Some(pick) = alternative(c) {
                        self.run_content(pick, ctx, hidden, out);
                    }
                }
                "commentReference" => {
                    let id = attr(c, "id").unwrap_or_default().to_owned();
                    self.report.comments.insert(id);
                }
                _ => {}
            }
        }
    }

    /// A complex field's begin, separator (instruction done, result follows) or end.
    fn field_char(&mut self, c: Node<'_, '_>, out: &mut Vec<Piece>) {
        match attr(c, "fldCharType") {
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
}

/// The character of a `w:sym`.
fn symbol(c: Node<'_, '_>) -> Option<char> {
    attr(c, "char")
        .and_then(|h| u32::from_str_radix(h, 16).ok())
        // Symbol fonts map their glyphs into the private use area at F000.
        .map(|code| {
            if (0xF020..=0xF0FF).contains(&code) {
                code - 0xF000
            } else {
                code
            }
        })
        .and_then(char::from_u32)
}

/// Which branch of an `mc:AlternateContent` to read: the first choice is what Word shows; fall
/// back only when it has no picture.
fn alternative<'a, 'i>(c: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
    let choice = c.children().find(|n| n.tag_name().name() == "Choice");
    let fallback = c.children().find(|n| n.tag_name().name() == "Fallback");
    match (choice, fallback) {
        (Some(ch), Some(fb)) if descendant(ch, "blip").is_none() => Some(fb),
        (Some(ch), _) => Some(ch),
        (None, fallback) => fallback,
    }
}

/// Merges neighbouring text of the same formatting and trims the paragraph's ends.
pub(super) fn tidy(pieces: Vec<Piece>) -> Vec<Piece> {
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
