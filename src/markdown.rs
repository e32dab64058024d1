//! Markdown to HTML with pulldown-cmark.
//!
//! A brief body becomes HTML in which every citation group is a placeholder segment (its text
//! depends on the citation style and on sources other briefs may define, so `render` fills it in),
//! plus the brief's notes: Markdown footnotes and citation groups share one numbering, in order of
//! appearance, like Chicago endnotes. Headings get stable ids, and the first paragraph gives the
//! summary.
//!
//! Markdown from front matter and site.toml (bios, acknowledgments, the disclosure) is rendered by
//! `render_untrusted`, which escapes raw HTML and drops links that are not web or mail addresses.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use crate::cite::markers::{CitationGroup, find_groups};

/// A brief body, rendered once at load time.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub segments: Vec<Segment>,
    /// Footnotes and citation groups in order of appearance: in a note style they are the notes,
    /// in that order; in an in-text style only the footnotes are.
    pub notes: Vec<Note>,
    /// Citation groups in order of appearance.
    pub citations: Vec<CitationGroup>,
    /// The first paragraph as plain text.
    pub first_paragraph: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Html(String),
    /// Index into `Body::citations`.
    Citation(usize),
    /// A reference to a footnote: its index in `Body::notes`, and whether it is the first
    /// reference (which the note links back to).
    NoteRef {
        note: usize,
        first: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// A footnote's HTML, which may hold citations.
    Footnote(Vec<Segment>),
    /// Index into `Body::citations`.
    Citation(usize),
}

/// Prefixes of element ids that notes, references and the default theme use.
const RESERVED_ID_PREFIXES: &[&str] = &[
    "note-",
    "ref-",
    "brief-",
    "disclosure",
    "month-",
    "source-",
    "sources-",
];

const PLACEHOLDER_OPEN: char = '\u{E000}';
const PLACEHOLDER_CLOSE: char = '\u{E001}';

fn body_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders a brief body. `file` is the whole brief file and `body_start` the byte offset of the body
/// in it, so that citation groups carry their offset in the file (for error messages).
pub fn render_body(file: &str, body_start: usize) -> Body {
    // Placeholders use private-use characters; an author's stray one becomes U+FFFD, which has
    // the same UTF-8 length, so offsets stay valid.
    let cleaned;
    let mut source = &file[body_start..];
    // Both begin with the byte 0xEE, which text rarely holds: one memchr pass over the body
    // rather than decoding every character.
    if memchr::memchr(0xEE, source.as_bytes()).is_some()
        && source.contains([PLACEHOLDER_OPEN, PLACEHOLDER_CLOSE])
    {
        cleaned = source.replace([PLACEHOLDER_OPEN, PLACEHOLDER_CLOSE], "\u{FFFD}");
        source = &cleaned;
    }
    let mut state = BodyState {
        source,
        body_start,
        ..BodyState::default()
    };
    for (event, range) in Parser::new_ext(source, body_options()).into_offset_iter() {
        state.event(event, range);
    }
    state.finish()
}

#[derive(Default)]
struct BodyState<'a> {
    source: &'a str,
    body_start: usize,
    main: Vec<Event<'a>>,
    footnote: Option<(CowStr<'a>, Vec<Event<'a>>)>,
    footnote_html: HashMap<CowStr<'a>, String>,
    footnote_numbers: HashMap<CowStr<'a>, usize>,
    heading: Option<(Tag<'a>, Vec<Event<'a>>)>,
    heading_ids: HashMap<String, usize>,
    text_run: Vec<(CowStr<'a>, Range<usize>)>,
    code_block_depth: usize,
    /// Inside an image, text is its alt attribute: no citation or note marker may go there.
    image_depth: usize,
    paragraph: ParagraphState,
    first_paragraph: String,
    notes: Vec<NoteSlot<'a>>,
    citations: Vec<CitationGroup>,
}

#[derive(Default, PartialEq)]
enum ParagraphState {
    #[default]
    Before,
    InFirst,
    After,
}

enum NoteSlot<'a> {
    Footnote(CowStr<'a>),
    Citation(usize),
}

impl<'a> BodyState<'a> {
    fn sink(&mut self) -> &mut Vec<Event<'a>> {
        if let Some((_, events)) = &mut self.heading {
            events
        } else if let Some((_, events)) = &mut self.footnote {
            events
        } else {
            &mut self.main
        }
    }

    /// Whether text now is in the body's first paragraph (the summary's fallback).
    fn in_first_paragraph(&self) -> bool {
        self.paragraph == ParagraphState::InFirst && self.footnote.is_none()
    }

    /// Text: kept as is in code and image descriptions, else gathered into a run that is
    /// searched for citations.
    fn text(&mut self, text: CowStr<'a>, range: Range<usize>) {
        if self.code_block_depth > 0 {
            self.sink().push(Event::Text(text));
        } else if self.image_depth > 0 {
            if self.in_first_paragraph() {
                self.first_paragraph.push_str(&text);
            }
            self.sink().push(Event::Text(text));
        } else {
            self.text_run.push((text, range));
        }
    }

    /// A footnote reference: a placeholder for the note's number, given at its first reference.
    fn footnote_reference(&mut self, label: CowStr<'a>) {
        let (note, first) = match self.footnote_numbers.get(&label) {
            Some(&note) => (note, false),
            None => {
                self.notes.push(NoteSlot::Footnote(label.clone()));
                let note = self.notes.len() - 1;
                self.footnote_numbers.insert(label, note);
                (note, true)
            }
        };
        let kind = if first { 'n' } else { 'm' };
        let placeholder = format!("{PLACEHOLDER_OPEN}{kind}{note}{PLACEHOLDER_CLOSE}");
        self.sink().push(Event::InlineHtml(placeholder.into()));
    }

    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        if let Event::Text(text) = event {
            self.text(text, range);
            return;
        }
        self.flush_text();
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                self.code_block_depth += 1;
                self.sink().push(Event::Start(Tag::CodeBlock(kind)));
            }
            Event::End(TagEnd::CodeBlock) => {
                self.code_block_depth -= 1;
                self.sink().push(Event::End(TagEnd::CodeBlock));
            }
            Event::Start(Tag::Image { .. }) => {
                self.image_depth += 1;
                self.sink().push(event);
            }
            Event::End(TagEnd::Image) => {
                self.image_depth = self.image_depth.saturating_sub(1);
                self.sink().push(event);
            }
            Event::FootnoteReference(label) if self.image_depth > 0 => {
                self.sink().push(Event::Text(format!("[^{label}]").into()));
            }
            Event::Start(Tag::Paragraph) => {
                if self.paragraph == ParagraphState::Before && self.footnote.is_none() {
                    self.paragraph = ParagraphState::InFirst;
                }
                self.sink().push(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph) => {
                if self.paragraph == ParagraphState::InFirst && self.footnote.is_none() {
                    self.paragraph = ParagraphState::After;
                }
                self.sink().push(Event::End(TagEnd::Paragraph));
            }
            Event::Start(Tag::Table(alignments)) => {
                // A wide table scrolls sideways; as a labelled region keyboard users can too.
                let sink = self.sink();
                sink.push(Event::Html(
                    "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Table\">\n".into(),
                ));
                sink.push(Event::Start(Tag::Table(alignments)));
            }
            Event::End(TagEnd::Table) => {
                let sink = self.sink();
                sink.push(Event::End(TagEnd::Table));
                sink.push(Event::Html("</div>\n".into()));
            }
            Event::Start(tag @ Tag::Heading { .. }) => self.heading = Some((tag, Vec::new())),
            Event::End(TagEnd::Heading(_)) => self.finish_heading(),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.footnote = Some((label, Vec::new()));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((label, events)) = self.footnote.take() {
                    let mut out = String::new();
                    html::push_html(&mut out, events.into_iter());
                    self.footnote_html.insert(label, out);
                }
            }
            Event::FootnoteReference(label) => self.footnote_reference(label),
            Event::Code(code) => {
                if self.in_first_paragraph() {
                    self.first_paragraph.push_str(&code);
                }
                self.sink().push(Event::Code(code));
            }
            Event::SoftBreak | Event::HardBreak => {
                if self.in_first_paragraph() {
                    self.first_paragraph.push(' ');
                }
                self.sink().push(event);
            }
            other => self.sink().push(other),
        }
    }

    /// Scans a run of adjacent text events for citation groups and emits text and placeholders.
    fn flush_text(&mut self) {
        if self.text_run.is_empty() {
            return;
        }
        let run = std::mem::take(&mut self.text_run);
        // Each piece: (start in merged text, source range, whether text == source slice).
        let mut merged = String::new();
        let mut pieces = Vec::with_capacity(run.len());
        for (text, range) in &run {
            let exact = self.source.get(range.clone()) == Some(&**text);
            pieces.push((merged.len(), range.clone(), exact));
            merged.push_str(text);
        }
        let source = self.source;
        let to_source = |offset: usize| -> (usize, bool) {
            let index = pieces.partition_point(|p| p.0 <= offset).saturating_sub(1);
            let (start, ref range, exact) = pieces[index];
            if exact {
                (range.start + offset - start, true)
            } else {
                (range.start, false)
            }
        };
        let escaped = |offset: usize| {
            let (at, exact) = to_source(offset);
            if exact {
                at > 0 && source.as_bytes()[at - 1] == b'\\'
            } else {
                source[at..].starts_with('\\')
            }
        };
        let groups = find_groups(&merged, escaped);
        let in_first = self.paragraph == ParagraphState::InFirst && self.footnote.is_none();
        let mut cursor = 0;
        for (range, items) in groups {
            let text = &merged[cursor..range.start];
            if in_first {
                // The marker leaves the summary, and so does the space before it.
                self.first_paragraph.push_str(text);
                let kept = self.first_paragraph.trim_end().len();
                self.first_paragraph.truncate(kept);
            }
            self.push_text(text.to_owned());
            let (at, _) = to_source(range.start);
            let offset = self.body_start + at;
            self.citations.push(CitationGroup { items, offset });
            let index = self.citations.len() - 1;
            // A citation inside a footnote stays in the footnote's text, as in Pandoc.
            if self.footnote.is_none() {
                self.notes.push(NoteSlot::Citation(index));
            }
            let placeholder = format!("{PLACEHOLDER_OPEN}c{index}{PLACEHOLDER_CLOSE}");
            self.sink().push(Event::InlineHtml(placeholder.into()));
            cursor = range.end;
        }
        let rest = &merged[cursor..];
        if in_first {
            self.first_paragraph.push_str(rest);
        }
        if cursor == 0 && run.len() == 1 {
            // Nothing found: keep the original event without copying.
            if let Some((text, _)) = run.into_iter().next() {
                self.sink().push(Event::Text(text));
            }
        } else {
            self.push_text(rest.to_owned());
        }
    }

    fn push_text(&mut self, text: String) {
        if !text.is_empty() {
            self.sink().push(Event::Text(text.into()));
        }
    }

    /// Gives the heading an id (its own `{#id}` or a slug of its text, de-duplicated) and keeps
    /// the brief title the page's only h1 by demoting body h1s.
    fn finish_heading(&mut self) {
        let Some((
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            },
            events,
        )) = self.heading.take()
        else {
            return;
        };
        let text: String = events
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(&**t),
                _ => None,
            })
            .collect();
        let base = id.map_or_else(|| slug::slugify(&text), |id| id.to_string());
        // Ids the page itself uses (the skip link's target, notes, references, the theme's
        // sections) are not available to headings.
        let reserved = base == "main"
            || RESERVED_ID_PREFIXES
                .iter()
                .any(|prefix| base.starts_with(prefix));
        let base = if base.is_empty() {
            "section".to_owned()
        } else if reserved {
            format!("section-{base}")
        } else {
            base
        };
        let count = self.heading_ids.entry(base.clone()).or_insert(0);
        *count += 1;
        let id = if *count == 1 {
            base
        } else {
            format!("{base}-{count}")
        };
        let level = if level == HeadingLevel::H1 {
            HeadingLevel::H2
        } else {
            level
        };
        let sink = self.sink();
        sink.push(Event::Start(Tag::Heading {
            level,
            id: Some(id.into()),
            classes,
            attrs,
        }));
        sink.extend(events);
        sink.push(Event::End(TagEnd::Heading(level)));
    }

    fn finish(mut self) -> Body {
        self.flush_text();
        let mut out = String::with_capacity(self.source.len() * 3 / 2);
        html::push_html(&mut out, std::mem::take(&mut self.main).into_iter());
        // A footnote can refer to another footnote: its placeholder must be split off too.
        let note_count = self.notes.len();
        let notes = self
            .notes
            .into_iter()
            .map(|slot| match slot {
                NoteSlot::Footnote(label) => Note::Footnote(split_placeholders(
                    &self.footnote_html.remove(&label).unwrap_or_default(),
                    self.citations.len(),
                    note_count,
                )),
                NoteSlot::Citation(index) => Note::Citation(index),
            })
            .collect::<Vec<_>>();
        Body {
            segments: split_placeholders(&out, self.citations.len(), notes.len()),
            notes,
            citations: self.citations,
            first_paragraph: self
                .first_paragraph
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

fn split_placeholders(html: &str, citations: usize, notes: usize) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find(PLACEHOLDER_OPEN) {
        let after = &rest[open + PLACEHOLDER_OPEN.len_utf8()..];
        let Some(close) = after.find(PLACEHOLDER_CLOSE) else {
            break;
        };
        let code = &after[..close];
        let index = code.get(1..).and_then(|n| n.parse::<usize>().ok());
        let segment = match (code.chars().next(), index) {
            (Some('c'), Some(i)) if i < citations => Segment::Citation(i),
            (Some('n'), Some(i)) if i < notes => Segment::NoteRef {
                note: i,
                first: true,
            },
            (Some('m'), Some(i)) if i < notes => Segment::NoteRef {
                note: i,
                first: false,
            },
            _ => break,
        };
        segments.push(Segment::Html(rest[..open].to_owned()));
        segments.push(segment);
        rest = &after[close + PLACEHOLDER_CLOSE.len_utf8()..];
    }
    segments.push(Segment::Html(rest.to_owned()));
    segments
}

/// Renders Markdown written in front matter or site.toml. Raw HTML is shown as text and only web,
/// mail and relative links survive, so these fields can never inject markup or script.
pub fn render_untrusted(markdown: &str) -> String {
    let mut skipped_links = Vec::new();
    let events = Parser::new_ext(
        markdown,
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION,
    )
    .filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Link { ref dest_url, .. })
        | Event::Start(Tag::Image { ref dest_url, .. }) => {
            let safe = is_safe_link(dest_url);
            skipped_links.push(!safe);
            safe.then_some(event)
        }
        Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
            (!skipped_links.pop().unwrap_or(false)).then_some(event)
        }
        other => Some(other),
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

/// Relative URLs and http, https and mailto URLs.
fn is_safe_link(url: &str) -> bool {
    let url = url.trim();
    match url.find(':') {
        Some(colon) if !url[..colon].contains(['/', '?', '#']) => {
            let scheme = url[..colon].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto")
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::line_column;

    fn html_of(body: &Body) -> String {
        body.segments
            .iter()
            .map(|s| match s {
                Segment::Html(h) => h.clone(),
                Segment::Citation(i) => format!("[CITE {i}]"),
                Segment::NoteRef { note, first } => format!("[NOTE {note} {first}]"),
            })
            .collect()
    }

    #[test]
    fn an_authors_placeholder_characters_become_replacement_characters() {
        let text = "+++\n+++\nOdd \u{E000}x\u{E001} text [@a, p. 4] and \u{EE00}.\n";
        let body = render_body(text, 8);
        assert_eq!(body.citations.len(), 1);
        assert_eq!(line_column(text, body.citations[0].offset), (3, 14));
        let html = html_of(&body);
        assert!(
            html.contains("Odd \u{FFFD}x\u{FFFD} text [CITE 0] and \u{EE00}."),
            "{html}"
        );
    }

    #[test]
    fn citations_become_numbered_notes_with_footnotes() {
        let text = "+++\n+++\nIntro [@a, p. 4] and a note.[^n] More [see @b; @c].\n\n[^n]: A *footnote*.\n";
        let body = render_body(text, 8);
        assert_eq!(body.citations.len(), 2);
        assert_eq!(line_column(text, body.citations[0].offset), (3, 7));
        assert!(matches!(body.notes[0], Note::Citation(0)));
        assert!(matches!(body.notes[2], Note::Citation(1)));
        assert!(
            matches!(&body.notes[1], Note::Footnote(s) if matches!(&s[0], Segment::Html(h) if h.contains("<em>footnote</em>")))
        );
        let html = html_of(&body);
        assert!(
            html.contains("Intro [CITE 0] and a note.[NOTE 1 true] More [CITE 1]."),
            "{html}"
        );
        assert_eq!(body.first_paragraph, "Intro and a note. More.");
    }

    #[test]
    fn code_escapes_and_emails_are_not_citations() {
        let text =
            "Mail [press@example.org]. Code `[@a]` and \\[@b] and [\\@c].\n\n```\n[@d]\n```\n";
        let body = render_body(text, 0);
        assert!(body.citations.is_empty(), "{:?}", body.citations);
        assert!(html_of(&body).contains("[press@example.org]"));
    }

    #[test]
    fn citations_in_tables_keep_table_markup() {
        let text = "| a | b |\n|:--|--:|\n| x [@a] | y |\n";
        let body = render_body(text, 0);
        let html = html_of(&body);
        assert!(
            html.contains("<td style=\"text-align: left\">x [CITE 0]</td>"),
            "{html}"
        );
    }

    #[test]
    fn headings_get_unique_ids_and_h1_is_demoted() {
        let body = render_body("# Intro\n\n## Intro\n\n## Custom {#mine}\n\n## Main\n", 0);
        let html = html_of(&body);
        assert!(html.contains("<h2 id=\"intro\">Intro</h2>"), "{html}");
        assert!(html.contains("<h2 id=\"intro-2\">"));
        assert!(html.contains("<h2 id=\"mine\">"));
        assert!(html.contains("<h2 id=\"section-main\">"), "{html}");
    }

    #[test]
    fn untrusted_markdown_cannot_inject() {
        let html =
            render_untrusted("Hi <script>x</script> [a](javascript:alert(1)) [b](https://ok.org)");
        assert!(html.contains("&lt;script&gt;"));
        assert!(!html.contains("javascript:"));
        assert!(html.contains("<a href=\"https://ok.org\">b</a>"));
    }
}
