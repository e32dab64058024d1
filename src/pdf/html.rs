//! HTML that render made (a brief's body with its citations and notes, references, bios) into
//! Typst markup. The PDF shows what the page shows, formatted once: no citation is formatted a
//! second time for print.
//!
//! The HTML is dossier's own (pulldown-cmark's, the citation formatter's, escaped front matter) or
//! an author's raw HTML inside a brief; unknown elements keep their text, and whatever the
//! nesting, the markup written is balanced.

use super::escape;

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

#[derive(Debug, PartialEq)]
enum Token<'a> {
    Start {
        name: String,
        attrs: Vec<(String, String)>,
        self_closing: bool,
    },
    End(String),
    Text(String),
    /// The raw text of `<script>` or `<style>`, or a comment: dropped.
    Skip(&'a str),
}

/// A small HTML tokenizer: tags with quoted or bare attributes, character references, comments.
struct Tokens<'a> {
    rest: &'a str,
}

impl<'a> Tokens<'a> {
    fn new(html: &'a str) -> Self {
        Tokens { rest: html }
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let rest = self.rest;
        if rest.is_empty() {
            return None;
        }
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->").map_or(after.len(), |i| i + 3);
            self.rest = &after[end..];
            return Some(Token::Skip(&after[..end]));
        }
        if let Some(after) = rest.strip_prefix('<') {
            let next = after.chars().next();
            if next.is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?') {
                let end = tag_end(rest);
                self.rest = &rest[end..];
                let tag = &rest[1..end.saturating_sub(1).max(1)];
                return Some(parse_tag(tag).unwrap_or(Token::Skip("")));
            }
        }
        // Text runs to the next `<`, at least one character (which may be a lone `<`, or a
        // character of several bytes such as a curly quote).
        let first = rest.chars().next().map_or(1, char::len_utf8);
        let end = rest[first..].find('<').map_or(rest.len(), |i| i + first);
        self.rest = &rest[end..];
        Some(Token::Text(decode(&rest[..end])))
    }
}

/// The byte just past the `>` that ends the tag at the start of `html` (quotes respected).
fn tag_end(html: &str) -> usize {
    let mut quote = None;
    for (i, c) in html.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    html.len()
}

fn parse_tag(tag: &str) -> Option<Token<'_>> {
    if tag.starts_with('!') || tag.starts_with('?') {
        return Some(Token::Skip(tag));
    }
    if let Some(name) = tag.strip_prefix('/') {
        let name = name.trim().trim_end_matches('/').to_ascii_lowercase();
        return Some(Token::End(name));
    }
    let self_closing = tag.ends_with('/');
    let tag = tag.trim_end_matches('/');
    let name_end = tag.find(|c: char| c.is_whitespace()).unwrap_or(tag.len());
    let name = tag[..name_end].to_ascii_lowercase();
    let mut attrs = Vec::new();
    let mut rest = tag[name_end..].trim_start();
    while !rest.is_empty() {
        let key_end = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        let key = rest[..key_end].to_ascii_lowercase();
        rest = rest[key_end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (raw, remaining) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let end = body.find(q).unwrap_or(body.len());
                    (&body[..end], body.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after
                        .find(|c: char| c.is_whitespace())
                        .unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            value = decode(raw);
            rest = remaining.trim_start();
        }
        if !key.is_empty() {
            attrs.push((key, value));
        } else if !rest.is_empty() {
            rest = &rest[rest.chars().next().map_or(1, char::len_utf8)..];
        }
    }
    Some(Token::Start {
        name,
        attrs,
        self_closing,
    })
}

/// Decodes character references: numeric ones and the named ones HTML writers use.
fn decode(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 32);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = if let Some(hex) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
            } else if let Some(dec) = name.strip_prefix('#') {
                dec.parse().ok().and_then(char::from_u32)
            } else {
                named(name)
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn named(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "copy" => '©',
        "reg" => '®',
        "sect" => '§',
        "para" => '¶',
        "middot" => '·',
        "times" => '×',
        "eacute" => 'é',
        "shy" => '\u{ad}',
        _ => return None,
    })
}

fn attribute<'a>(attrs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
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
            "p" => {
                out.push_str("\n\n");
                Close::Text("\n\n")
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                // The brief's title is the only first-level heading.
                let level = (name.as_bytes()[1] - b'0').max(2);
                out.push_str(&format!("\n\n#heading(level: {level})["));
                Close::Text("]\n\n")
            }
            "em" | "i" | "cite" => {
                out.push_str("#emph[");
                Close::Text("]")
            }
            "strong" | "b" => {
                out.push_str("#strong[");
                Close::Text("]")
            }
            "del" | "s" | "strike" => {
                out.push_str("#strike[");
                Close::Text("]")
            }
            "u" | "ins" => {
                out.push_str("#underline[");
                Close::Text("]")
            }
            "sub" => {
                out.push_str("#sub[");
                Close::Text("]")
            }
            "sup" if class.split_whitespace().any(|c| c == "note-ref") => Close::Gather {
                start: out.len(),
                kind: Gathered::NoteRef,
            },
            "sup" => {
                out.push_str("#super[");
                Close::Text("]")
            }
            "code" => Close::Gather {
                start: out.len(),
                kind: Gathered::Code,
            },
            "pre" => Close::Gather {
                start: out.len(),
                kind: Gathered::Pre,
            },
            "a" => match attr("href").and_then(|h| self.resolver.link(h)) {
                Some(url) => {
                    out.push_str("#link(");
                    out.push_str(&escape::string(&url));
                    out.push_str(")[");
                    Close::Text("]")
                }
                None => Close::Text(""),
            },
            "ul" => {
                out.push_str("\n#list(");
                Close::Items(")\n")
            }
            "ol" => {
                let start = attr("start")
                    .and_then(|s| s.trim().parse::<u32>().ok())
                    .unwrap_or(1);
                out.push_str(&format!("\n#enum(start: {start}, "));
                Close::Items(")\n")
            }
            "li" => {
                out.push('[');
                Close::Text("],")
            }
            "blockquote" => {
                out.push_str("\n#quote(block: true)[");
                Close::Text("]\n")
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
            "tbody" | "tfoot" => Close::Items(""),
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
            "figcaption" => {
                out.push_str("\n\n#emph[");
                Close::Text("]\n\n")
            }
            "script" | "style" | "template" => Close::Drop { start: out.len() },
            "div" | "section" | "figure" | "aside" | "article" | "header" | "footer" => {
                out.push_str("\n\n");
                Close::Text("\n\n")
            }
            _ => Close::Text(""),
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

#[cfg(test)]
mod tests {
    use super::*;

    struct Site;

    impl Resolver for Site {
        fn image(&mut self, src: &str) -> Option<String> {
            src.ends_with(".png").then(|| "/image-0.png".to_owned())
        }
        fn note(&self, number: usize) -> Option<&str> {
            (number == 1).then_some("<p>Doe, <em>Book</em>, 3.</p>\n")
        }
        fn link(&self, href: &str) -> Option<String> {
            (!href.starts_with('#')).then(|| href.to_owned())
        }
    }

    fn typst(html: &str) -> String {
        let mut out = String::new();
        convert(html, &mut Site, &mut out);
        out.trim().to_owned()
    }

    #[test]
    fn text_may_start_with_a_character_of_several_bytes() {
        assert_eq!(
            typst("<p>“Quoted,” <i>Wire</i>, a “<b>bold</b>” 한국</p>"),
            "“Quoted,” #emph[Wire], a “#strong[bold]” 한국"
        );
        assert_eq!(typst("“"), "“");
    }

    #[test]
    fn inline_markup() {
        assert_eq!(
            typst(
                "<p>A <em>b</em> &amp; <strong>c</strong> <a href=\"https://x.org/a?b=1\">d</a></p>"
            ),
            "A #emph[b] & #strong[c] #link(\"https://x.org/a?b=1\")[d]"
        );
    }

    #[test]
    fn notes_become_footnotes_and_a_second_reference_points_to_the_first() {
        let html = "<p>Text.<sup class=\"note-ref\"><a href=\"#note-1\" id=\"note-ref-1\">1</a></sup> Again<sup class=\"note-ref\"><a href=\"#note-1\">1</a></sup></p>";
        assert_eq!(
            typst(html),
            "Text\\.#footnote[Doe, #emph[Book], 3\\.]<note-1> Again#footnote(<note-1>)"
        );
    }

    #[test]
    fn lists_tables_and_code_are_balanced_calls() {
        assert_eq!(
            typst("<ul>\n<li>a</li>\n<li>b <code>x*y</code></li>\n</ul>"),
            "#list([a],[b #raw(\"x*y\")],)"
        );
        assert_eq!(
            typst(
                "<table><thead><tr><th>H</th><th>I</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>"
            ),
            "#table(columns: 2, table.header([#strong[H]],[#strong[I]],),[1],[2],)"
        );
        // Unclosed and stray tags still give balanced markup.
        assert_eq!(typst("<p><em>a</p></strong>b"), "#emph[a]\n\nb");
    }

    #[test]
    fn images_resolve_or_fall_back_to_their_description() {
        assert_eq!(
            typst("<img src=\"/a.png\" alt=\"A &quot;chart&quot;\" title=\"Fig\">"),
            "#figure(image(\"/image-0.png\", alt: \"A \\\"chart\\\"\", fit: \"contain\"), caption: [Fig])"
        );
        assert_eq!(
            typst("<img src=\"https://x.org/b.jpg\" alt=\"Map\">"),
            "#box(stroke: 0.5pt + luma(160), inset: 4pt)[Image: Map]"
        );
    }

    #[test]
    fn entities_and_scripts() {
        assert_eq!(
            typst("a&nbsp;b &#x41;&#66; &bogus; <script>x</script>"),
            "a\u{a0}b AB &bogus;"
        );
    }
}
