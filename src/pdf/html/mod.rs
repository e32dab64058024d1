//! HTML that render made (a brief's body with its citations and notes, references, bios) into
//! Typst markup. The PDF shows what the page shows, formatted once: no citation is formatted a
//! second time for print.
//!
//! The HTML is dossier's own (pulldown-cmark's, the citation formatter's, escaped front matter) or
//! an author's raw HTML inside a brief; unknown elements keep their text, and whatever the
//! nesting, the markup written is balanced.

#[cfg(test)]
mod tests;
mod tokens;

use super::escape;
use tokens::{Token, Tokens, attribute};

/// What the conversion needs from outside: where images are, what notes say.
pub trait Resolver {
    /// The Typst path of the image at `src` (a URL of the site or the web), or `None` when it is
    /// not among the site's files.
    fn image(&mut self, src: &str) -> Option<String>;
    /// The HTML of note `number`.
    fn note(&self, number: usize) -> Option<&str>;
    /// An absolute URL for a link, or `None` for a link inside the page (`#note-1`).
    fn link(&self, href: &str) -> Option<String>;
}

/// A table wider than this many columns is set in small type, its columns shrunk to fit.
pub const WIDE_TABLE: usize = 6;

/// What a conversion noticed: tables too wide for the page.
#[derive(Default, Debug)]
pub struct Report {
    pub widest_table: usize,
}

/// Converts `html` to Typst markup, appended to `out`.
pub fn convert(html: &str, resolver: &mut dyn Resolver, out: &mut String) -> Report {
    let mut converter = Converter {
        out,
        stack: Vec::new(),
        resolver,
        report: Report::default(),
        notes_seen: Vec::new(),
    };
    for token in Tokens::new(html) {
        converter.token(token);
    }
    while !converter.stack.is_empty() {
        converter.close_top();
    }
    converter.report
}

/// An image the PDF cannot show: its description, framed.
pub fn described(alt: &str) -> String {
    format!(
        "#box(stroke: 0.5pt + luma(160), inset: 4pt)[Image: {}]",
        escape::text(alt)
    )
}

/// An element open in the output: what closes it.
struct Open {
    name: String,
    close: Close,
}

enum Close {
    /// Written as is.
    Text(&'static str),
    /// Text is gathered rather than written (`code`, `pre`, a note reference).
    Gather { start: usize, kind: Gathered },
    /// A table: its markup is finished when it closes, knowing its widest row.
    Table {
        start: usize,
        columns: usize,
        row: usize,
    },
    /// A list: its items only, never loose text.
    Items(&'static str),
    /// Dropped with its content (`script`, `style`).
    Drop { start: usize },
}

#[derive(Clone, Copy, PartialEq)]
enum Gathered {
    Code,
    Pre,
    NoteRef,
}

struct Converter<'a, 'r> {
    out: &'a mut String,
    stack: Vec<Open>,
    resolver: &'r mut dyn Resolver,
    report: Report,
    /// Notes already set as footnotes: a second reference points to the first.
    notes_seen: Vec<usize>,
}

impl Converter<'_, '_> {
    fn token(&mut self, token: Token<'_>) {
        match token {
            Token::Text(text) => self.text(&text),
            Token::Skip(_) => {}
            Token::End(name) => {
                if let Some(depth) = self.stack.iter().rposition(|o| o.name == name) {
                    while self.stack.len() > depth {
                        self.close_top();
                    }
                }
            }
            Token::Start {
                name,
                attrs,
                self_closing,
            } => {
                if matches!(name.as_str(), "img" | "br" | "hr") || self_closing {
                    self.void(&name, &attrs);
                    return;
                }
                if self.gathering() {
                    self.stack.push(Open {
                        name,
                        close: Close::Text(""),
                    });
                    return;
                }
                let close = self.open(&name, &attrs);
                self.stack.push(Open { name, close });
            }
        }
    }

    /// Inside `code`, `pre` or a note reference, or content being dropped.
    fn gathering(&self) -> bool {
        self.stack
            .iter()
            .any(|o| matches!(o.close, Close::Gather { .. } | Close::Drop { .. }))
    }

    fn text(&mut self, text: &str) {
        if self.gathering() {
            self.out.push_str(text);
            return;
        }
        // Between list items or table cells only white space is expected; anything else would
        // be a syntax error in the call, so it goes into a cell or item of its own.
        if let Some(Open {
            close: Close::Items(_) | Close::Table { .. },
            ..
        }) = self.stack.last()
        {
            if !text.trim().is_empty() {
                self.out.push('[');
                escape::text_into(text, self.out);
                self.out.push_str("],");
            }
            return;
        }
        escape::text_into(text, self.out);
    }

    fn open(&mut self, name: &str, attrs: &[(String, String)]) -> Close {
        let attr = |key: &str| attribute(attrs, key);
        let out = &mut *self.out;
        let class = attr("class").unwrap_or("");
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                // The brief's title is the only first-level heading.
                let level = (name.as_bytes()[1] - b'0').max(2);
                out.push_str(&format!("\n\n#heading(level: {level})["));
                Close::Text("]\n\n")
            }
            "sup" if class.split_whitespace().any(|c| c == "note-ref") => Close::Gather {
                start: out.len(),
                kind: Gathered::NoteRef,
            },
            "code" => Close::Gather {
                start: out.len(),
                kind: Gathered::Code,
            },
            "pre" => Close::Gather {
                start: out.len(),
                kind: Gathered::Pre,
            },
            "script" | "style" | "template" => Close::Drop { start: out.len() },
            "a" => match attr("href").and_then(|h| self.resolver.link(h)) {
                Some(url) => {
                    out.push_str("#link(");
                    out.push_str(&escape::string(&url));
                    out.push_str(")[");
                    Close::Text("]")
                }
                None => Close::Text(""),
            },
            "ul" | "ol" | "li" | "table" | "thead" | "tbody" | "tfoot" | "tr" | "td" | "th" => {
                self.open_list_or_table(name, attrs)
            }
            _ => match wrapper(name) {
                Some((before, after)) => {
                    out.push_str(before);
                    Close::Text(after)
                }
                None => Close::Text(""),
            },
        }
    }

    /// Lists and tables: Typst calls whose arguments are their items and cells.
    fn open_list_or_table(&mut self, name: &str, attrs: &[(String, String)]) -> Close {
        let out = &mut *self.out;
        match name {
            "ul" => {
                out.push_str("\n#list(");
                Close::Items(")\n")
            }
            "ol" => {
                let start = attribute(attrs, "start")
                    .and_then(|s| s.trim().parse::<u32>().ok())
                    .unwrap_or(1);
                out.push_str(&format!("\n#enum(start: {start}, "));
                Close::Items(")\n")
            }
            "li" => {
                out.push('[');
                Close::Text("],")
            }
            "table" => {
                out.push('\n');
                Close::Table {
                    start: out.len(),
                    columns: 0,
                    row: 0,
                }
            }
            "thead" => {
                out.push_str("table.header(");
                Close::Items("),")
            }
            "tr" => {
                if let Some(Close::Table { row, .. }) = self.table() {
                    *row = 0;
                }
                Close::Items("")
            }
            "td" | "th" => {
                if let Some(Close::Table { columns, row, .. }) = self.table() {
                    *row += 1;
                    *columns = (*columns).max(*row);
                }
                let out = &mut *self.out;
                out.push('[');
                if name == "th" {
                    out.push_str("#strong[");
                    Close::Text("]],")
                } else {
                    Close::Text("],")
                }
            }
            // `tbody`, `tfoot`
            _ => Close::Items(""),
        }
    }

    /// The innermost open table.
    fn table(&mut self) -> Option<&mut Close> {
        self.stack
            .iter_mut()
            .rev()
            .map(|o| &mut o.close)
            .find(|c| matches!(c, Close::Table { .. }))
    }

    fn void(&mut self, name: &str, attrs: &[(String, String)]) {
        let attr = |key: &str| attribute(attrs, key);
        if self.gathering() {
            return;
        }
        match name {
            "br" => self.out.push_str(" \\\n"),
            "hr" => self.out.push_str("\n\n#line(length: 100%)\n\n"),
            "img" => {
                let src = attr("src").unwrap_or("");
                let alt = attr("alt").unwrap_or("");
                let caption = attr("title").filter(|t| !t.trim().is_empty());
                match self.resolver.image(src) {
                    Some(path) => {
                        let out = &mut *self.out;
                        out.push_str("#figure(image(");
                        out.push_str(&escape::string(&path));
                        out.push_str(", alt: ");
                        out.push_str(&escape::string(alt));
                        out.push_str(", fit: \"contain\")");
                        if let Some(caption) = caption {
                            out.push_str(", caption: [");
                            escape::text_into(caption, out);
                            out.push(']');
                        }
                        out.push(')');
                    }
                    None => self
                        .out
                        .push_str(&described(if alt.is_empty() { src } else { alt })),
                }
            }
            _ => {}
        }
    }

    fn close_top(&mut self) {
        let Some(open) = self.stack.pop() else {
            return;
        };
        match open.close {
            Close::Text(text) | Close::Items(text) => self.out.push_str(text),
            Close::Drop { start } => self.out.truncate(start),
            Close::Gather { start, kind } => {
                let gathered = self.out.split_off(start);
                self.gathered(kind, &gathered);
            }
            Close::Table { start, columns, .. } => {
                let columns = columns.max(1);
                self.report.widest_table = self.report.widest_table.max(columns);
                let head = if columns > WIDE_TABLE {
                    // Equal shares of the page, in small type: a wide table must fit the page.
                    format!("#text(size: 7pt)[#table(columns: (1fr,) * {columns}, inset: 3pt, ")
                } else {
                    format!("#table(columns: {columns}, ")
                };
                self.out.insert_str(start, &head);
                self.out
                    .push_str(if columns > WIDE_TABLE { ")]\n" } else { ")\n" });
            }
        }
    }

    fn gathered(&mut self, kind: Gathered, text: &str) {
        match kind {
            Gathered::Code => {
                self.out.push_str("#raw(");
                self.out.push_str(&escape::string(text));
                self.out.push(')');
            }
            Gathered::Pre => {
                self.out.push_str("\n#raw(block: true, ");
                self.out
                    .push_str(&escape::string(text.trim_end_matches('\n')));
                self.out.push_str(")\n");
            }
            Gathered::NoteRef => {
                let Ok(number) = text.trim().parse::<usize>() else {
                    return;
                };
                if self.notes_seen.contains(&number) {
                    self.out.push_str(&format!("#footnote(<note-{number}>)"));
                    return;
                }
                let Some(note) = self.resolver.note(number).map(str::to_owned) else {
                    return;
                };
                self.notes_seen.push(number);
                self.out.push_str("#footnote[");
                let start = self.out.len();
                let mut nested = Converter {
                    out: &mut *self.out,
                    stack: Vec::new(),
                    resolver: &mut *self.resolver,
                    report: Report::default(),
                    notes_seen: Vec::new(),
                };
                for token in Tokens::new(&note) {
                    nested.token(token);
                }
                while !nested.stack.is_empty() {
                    nested.close_top();
                }
                let widest = nested.report.widest_table;
                self.report.widest_table = self.report.widest_table.max(widest);
                // Paragraph breaks at the ends of a note would put its number on a line alone.
                let trimmed = self.out.trim_end().len();
                self.out.truncate(trimmed);
                let leading = self.out[start..].len() - self.out[start..].trim_start().len();
                self.out.replace_range(start..start + leading, "");
                self.out.push_str(&format!("]<note-{number}>"));
            }
        }
    }
}

/// Elements written as fixed markup before and after their content.
fn wrapper(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "p" | "div" | "section" | "figure" | "aside" | "article" | "header" | "footer" => {
            ("\n\n", "\n\n")
        }
        "em" | "i" | "cite" => ("#emph[", "]"),
        "strong" | "b" => ("#strong[", "]"),
        "del" | "s" | "strike" => ("#strike[", "]"),
        "u" | "ins" => ("#underline[", "]"),
        "sub" => ("#sub[", "]"),
        "sup" => ("#super[", "]"),
        "blockquote" => ("\n#quote(block: true)[", "]\n"),
        "figcaption" => ("\n\n#emph[", "]\n\n"),
        _ => return None,
    })
}
