//! The checks behind the fuzz targets, one function per target. Each takes the fuzzer's bytes,
//! drives one stage of dossier the way a build or `dossier serve` does, and asserts what must hold
//! for every input, not only that nothing panics.
//!
//! `tests/testsuite/fuzz_regressions.rs` includes this file by path and runs the same checks over the seed
//! corpora and every saved crash, on stable, in `cargo test`: keep it free of crate attributes
//! and of dependencies other than `dossier` and `serde_json`.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use dossier::cite::markers::{find_groups, parse_group};
use dossier::cite::{Source, bibliography, bibtex};
use dossier::config::SiteConfig;
use dossier::diagnostics::Diagnostic;
use dossier::load::front_matter::{self, BriefDate};
use dossier::markdown::{self, Body, Note, Segment};
use dossier::serve::paths::{self, Target};

/// A target's check: the fuzzer's input in, a panic when an invariant fails.
pub type Check = fn(&[u8]);

/// Every target by name: the fuzz binary of that name and the corpus folders share it.
pub const TARGETS: &[(&str, Check)] = &[
    ("front_matter", front_matter),
    ("citation_markers", citation_markers),
    ("markdown_body", markdown_body),
    ("markdown_untrusted", markdown_untrusted),
    ("bibtex", bibtex_file),
    ("csl_json", csl_json_file),
    ("serve_paths", serve_paths),
];

/// A brief file: split off and parse the front matter; every line alone as a date.
pub fn front_matter(data: &[u8]) {
    // Files that are not UTF-8 are refused before splitting.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for line in text.lines().take(16) {
        brief_date(line);
    }
    let split = match front_matter::split(text) {
        Ok(split) => split,
        Err(diagnostic) => return check_diagnostic(text, &diagnostic),
    };
    let (front_start, body_start) = (split.front_start, split.body_start);
    assert!(
        front_start <= body_start && body_start <= text.len(),
        "offsets out of order or bounds: front {front_start}, body {body_start}, len {}",
        text.len()
    );
    assert!(
        text.is_char_boundary(front_start),
        "front_start {front_start}"
    );
    assert!(text.is_char_boundary(body_start), "body_start {body_start}");
    let front_at = split.front.as_ptr() as usize - text.as_ptr() as usize;
    assert_eq!(
        front_at, front_start,
        "`front` is not the text at front_start"
    );
    assert!(front_start + split.front.len() <= body_start);
    for field in front_matter::FIELDS {
        let (line, column) = front_matter::field_position(text, front_start, field);
        check_position(text, line, column);
    }
    match front_matter::parse(text, &split) {
        Ok(front) => {
            check_date(&front.date);
            if let Some(updated) = &front.updated {
                check_date(updated);
            }
        }
        Err(diagnostic) => check_diagnostic(text, &diagnostic),
    }
}

fn brief_date(text: &str) {
    match BriefDate::parse(text) {
        Ok(date) => check_date(&date),
        Err(message) => assert!(!message.is_empty()),
    }
}

fn check_date(date: &BriefDate) {
    let iso = date.iso();
    assert!(!date.display().is_empty());
    let again =
        BriefDate::parse(&iso).unwrap_or_else(|err| panic!("`{iso}` does not parse: {err}"));
    assert_eq!(again.date, date.date, "{iso} read back differently");
}

/// Citation markers in a run of text: with no escapes, and with backslash escapes.
pub fn citation_markers(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let escaped = |i: usize| i > 0 && text.as_bytes()[i - 1] == b'\\';
    for with_escapes in [false, true] {
        let groups = if with_escapes {
            find_groups(text, escaped)
        } else {
            find_groups(text, |_| false)
        };
        let mut previous_end = 0;
        for (range, items) in &groups {
            assert!(
                previous_end <= range.start && range.start < range.end && range.end <= text.len(),
                "group {range:?} after {previous_end} in {} bytes",
                text.len()
            );
            assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
            let group = &text[range.clone()];
            assert!(group.starts_with('[') && group.ends_with(']'), "{group:?}");
            assert!(
                !(with_escapes && escaped(range.start)),
                "escaped `[` at {}",
                range.start
            );
            let inner = &group[1..group.len() - 1];
            assert_eq!(
                parse_group(inner).as_ref(),
                Some(items),
                "{group:?} reparsed"
            );
            check_items(inner, items);
            previous_end = range.end;
        }
    }
    if let Some(items) = parse_group(text) {
        check_items(text, &items);
    }
}

fn check_items(inner: &str, items: &[dossier::cite::markers::CitationItem]) {
    assert!(!items.is_empty());
    for item in items {
        assert!(!item.id.is_empty(), "empty key in {inner:?}");
        assert!(
            inner.contains(&item.id),
            "key {:?} not in {inner:?}",
            item.id
        );
        if let Some(locator) = &item.locator {
            assert!(!locator.value.is_empty(), "empty locator in {inner:?}");
            assert!(
                inner.contains(&locator.text),
                "{locator:?} not in {inner:?}"
            );
        }
    }
}

/// A whole brief file through the body renderer, the body starting where the front matter ends.
pub fn markdown_body(data: &[u8]) {
    let Ok(file) = std::str::from_utf8(data) else {
        return;
    };
    let body_start = front_matter::split(file).map_or(0, |split| split.body_start);
    let body = markdown::render_body(file, body_start);
    check_body(file, body_start, &body);
}

fn check_body(file: &str, body_start: usize, body: &Body) {
    let citations = body.citations.len();
    let notes = body.notes.len();
    // Where each citation is shown: the body or a footnote, once.
    let mut shown: HashMap<usize, usize> = HashMap::new();
    let mut first_refs: HashMap<usize, usize> = HashMap::new();
    // Without raw HTML every `<` of the output opens a tag the writer made, and no marker may be
    // inside one (an attribute value cannot hold the markup it becomes).
    let raw_html = file[body_start..].contains('<');
    let mut check_segments = |segments: &[Segment], in_body: bool| {
        let mut in_tag = false;
        for segment in segments {
            if !raw_html && !matches!(segment, Segment::Html(_)) {
                assert!(!in_tag, "a marker inside a tag: {segments:?}");
            }
            match *segment {
                Segment::Html(ref html) => {
                    assert!(
                        !html.contains(['\u{E000}', '\u{E001}']),
                        "a placeholder was left in the HTML: {html:?}"
                    );
                    if let Some(last) = html.rfind(['<', '>']) {
                        in_tag = html.as_bytes()[last] == b'<';
                    }
                }
                Segment::Citation(i) => {
                    assert!(i < citations, "citation {i} of {citations}");
                    *shown.entry(i).or_default() += 1;
                    if in_body {
                        assert!(
                            body.notes.contains(&Note::Citation(i)),
                            "citation {i} in the body has no note"
                        );
                    }
                }
                Segment::NoteRef { note, first } => {
                    assert!(note < notes, "note {note} of {notes}");
                    assert!(matches!(body.notes[note], Note::Footnote(_)));
                    if first {
                        *first_refs.entry(note).or_default() += 1;
                    }
                }
            }
        }
    };
    check_segments(&body.segments, true);
    for note in &body.notes {
        match note {
            Note::Footnote(segments) => check_segments(segments, false),
            Note::Citation(i) => assert!(*i < citations, "note for citation {i} of {citations}"),
        }
    }
    assert!(shown.values().all(|&n| n == 1), "a citation is shown twice");
    assert!(
        first_refs.values().all(|&n| n == 1),
        "a note has two first references"
    );
    let body_line = dossier::diagnostics::line_column(file, body_start).0;
    for group in &body.citations {
        assert!(
            file.is_char_boundary(group.offset),
            "citation group offset {} is not a character boundary",
            group.offset
        );
        let (line, column) = dossier::diagnostics::line_column(file, group.offset);
        check_position(file, line, column);
        assert!(line >= body_line, "citation at line {line} before the body");
        assert!(!group.items.is_empty());
    }
}

/// Markdown from front matter or site.toml: only known tags and attributes, only safe links.
pub fn markdown_untrusted(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let html = markdown::render_untrusted(text);
    check_untrusted_html(&html);
}

const UNTRUSTED_TAGS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "code",
    "ul",
    "ol",
    "li",
    "em",
    "strong",
    "del",
    "a",
    "img",
    "hr",
    "br",
];

const UNTRUSTED_ATTRIBUTES: &[&str] = &["href", "src", "title", "alt", "start", "class"];

fn check_untrusted_html(html: &str) {
    assert!(
        !html.to_ascii_lowercase().contains("<script"),
        "script in {html:?}"
    );
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let close = after
            .find('>')
            .unwrap_or_else(|| panic!("unclosed tag in {html:?}"));
        let tag = after[..close].trim_end_matches('/').trim_end();
        let tag = tag.strip_prefix('/').unwrap_or(tag);
        let (name, mut attributes) = tag.split_once(' ').unwrap_or((tag, ""));
        assert!(UNTRUSTED_TAGS.contains(&name), "tag <{name}> in {html:?}");
        // Attributes as the writer makes them: name="value", the value without quotes.
        while !attributes.trim().is_empty() {
            let (attribute, value_start) = attributes
                .trim_start()
                .split_once("=\"")
                .unwrap_or_else(|| panic!("malformed attributes in <{tag}>"));
            let (value, after_value) = value_start
                .split_once('"')
                .unwrap_or_else(|| panic!("unterminated attribute in <{tag}>"));
            assert!(
                UNTRUSTED_ATTRIBUTES.contains(&attribute),
                "attribute {attribute} in <{tag}>"
            );
            if attribute == "href" || attribute == "src" {
                check_safe_url(value);
            }
            attributes = after_value;
        }
        rest = &after[close + 1..];
    }
}

/// A URL as a browser reads it: entities decoded, tabs and newlines removed, leading control
/// characters and spaces trimmed; a scheme must be http, https or mailto.
fn check_safe_url(written: &str) {
    let decoded = written
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let url: String = decoded
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let url = url.trim_start_matches(|c: char| c <= ' ');
    if let Some(colon) = url.find(':') {
        let scheme = &url[..colon];
        if !scheme.contains(['/', '?', '#']) {
            let scheme = scheme.to_ascii_lowercase();
            assert!(
                matches!(scheme.as_str(), "http" | "https" | "mailto"),
                "unsafe URL {written:?}"
            );
        }
    }
}

/// A `.bib` file as `citations.bibliography` or a brief's `bibliography` names it.
pub fn bibtex_file(data: &[u8]) {
    bibliography_file(data, "bib");
}

/// A CSL-JSON file, as Zotero exports it.
pub fn csl_json_file(data: &[u8]) {
    bibliography_file(data, "json");
}

fn bibliography_file(data: &[u8], extension: &str) {
    // Bibliography files are read with `read_to_string`: not UTF-8 is an I/O error.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let shown = format!("refs/fuzz.{extension}");
    let located = match bibliography::parse(text, extension, Path::new(&shown)) {
        Ok(located) => located,
        Err(diagnostic) => return check_diagnostic(text, &diagnostic),
    };
    for (source, line) in &located {
        check_position(text, *line, 1);
        check_source(source);
    }
}

fn check_source(source: &Source) {
    // The site's exports write every source as CSL-JSON and as BibLaTeX: both must read back.
    let json = serde_json::to_string(source).unwrap_or_else(|err| panic!("to JSON: {err}"));
    let again: Source = serde_json::from_str(&json)
        .unwrap_or_else(|err| panic!("{json} does not read back: {err}"));
    assert_eq!(
        floats_rounded(&again),
        floats_rounded(source),
        "CSL-JSON round trip"
    );
    let entry = bibtex::write(source);
    let read = bibtex::parse(&entry)
        .unwrap_or_else(|(message, at)| panic!("{entry} does not read back: {message} at {at}"));
    assert_eq!(read.len(), 1, "{entry} read back as {} entries", read.len());
    assert_eq!(read[0].id, bibtex::bibtex_key(&source.id));
    let _ = source.address();
    for name in source.author.iter().chain(&source.editor) {
        let _ = (name.display(), name.display_inverted(), name.short());
    }
}

/// serde_json (without its `float_roundtrip` feature) reads a float back to within a unit in the
/// last place: fields kept as written compare their floats at `f32` precision.
fn floats_rounded(source: &Source) -> Source {
    fn rounded(value: &Value) -> Value {
        match value {
            Value::Number(n) if n.is_f64() => serde_json::json!(n.as_f64().map(|f| f as f32)),
            Value::Array(items) => items.iter().map(rounded).collect(),
            Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), rounded(v))).collect(),
            other => other.clone(),
        }
    }
    let mut source = source.clone();
    for value in source.other.values_mut() {
        *value = rounded(value);
    }
    source
}

/// A request path for `dossier serve`; the first line, when there are two, is the path of the
/// site's `base_url`.
pub fn serve_paths(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (base, raw) = text.split_once('\n').unwrap_or(("", text));
    let _ = paths::decode_query_value(raw);
    let _ = paths::content_type(raw);
    let config = serde_json::json!({
        "title": "t",
        "base_url": format!("https://example.org/{base}"),
    });
    let Ok(config) = serde_json::from_value::<SiteConfig>(config) else {
        return;
    };
    for base_path in [config.base_path(), "/".to_owned()] {
        assert!(base_path.starts_with('/') && base_path.ends_with('/'));
        match paths::target(raw, &base_path) {
            Ok(Target::Site(rel)) => check_site_path(raw, &rel),
            Ok(Target::BaseWithoutSlash) => assert_ne!(base_path, "/"),
            Ok(Target::Outside) | Err(_) => {}
        }
    }
}

fn check_site_path(raw: &str, rel: &str) {
    assert!(!rel.starts_with('/'), "{raw:?} -> absolute {rel:?}");
    assert!(!rel.contains(['\\', '\0']), "{raw:?} -> {rel:?}");
    let segments: Vec<&str> = rel.split('/').collect();
    for (i, segment) in segments.iter().enumerate() {
        assert!(
            *segment != ".." && *segment != ".",
            "{raw:?} -> dot segment in {rel:?}"
        );
        // Only the last segment is empty, in a folder path (`a/`) or the home page (``).
        assert!(
            !segment.is_empty() || i + 1 == segments.len(),
            "{raw:?} -> empty segment in {rel:?}"
        );
    }
}

/// A user error: a message, a hint, and a place inside the file.
fn check_diagnostic(text: &str, diagnostic: &Diagnostic) {
    assert!(!diagnostic.message.trim().is_empty(), "empty message");
    assert!(diagnostic.hint.is_some(), "no hint: {diagnostic}");
    let (line, column) = diagnostic
        .position
        .unwrap_or_else(|| panic!("no position: {diagnostic}"));
    check_position(text, line, column);
    assert!(!diagnostic.to_string().is_empty());
}

/// A 1-based line and column (in characters) inside `text`, or just past the end of a line.
fn check_position(text: &str, line: usize, column: usize) {
    let lines: Vec<&str> = text.split('\n').collect();
    assert!(
        line >= 1 && line <= lines.len(),
        "line {line} of {}",
        lines.len()
    );
    let chars = lines[line - 1].chars().count();
    assert!(
        column >= 1 && column <= chars + 1,
        "column {column} of line {line}, {chars} characters long"
    );
}
