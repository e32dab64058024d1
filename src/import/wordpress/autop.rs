//! WordPress's `wpautop` (wp-includes/formatting.php), which WordPress runs when it shows a post
//! written in the classic editor: such posts are stored without `<p>`; a blank line is a paragraph
//! and a single newline a `<br />`. Ported step by step so that paragraphs split where they split
//! on the old site; `<pre>` blocks are left alone.

use std::sync::LazyLock;

use regex::{Captures, Regex};

const ALL_BLOCKS: &str = "(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)";

fn re(pattern: &str) -> Regex {
    Regex::new(&pattern.replace("ALLBLOCKS", ALL_BLOCKS)).expect("a fixed pattern")
}

struct Patterns {
    double_br: Regex,
    block_open: Regex,
    block_close: Regex,
    hr: Regex,
    tag: Regex,
    figcaption_open: Regex,
    figcaption_close: Regex,
    many_newlines: Regex,
    paragraph_split: Regex,
    empty_p: Regex,
    p_in_div: Regex,
    p_around_block: Regex,
    p_li: Regex,
    p_blockquote: Regex,
    p_before_block: Regex,
    p_after_block: Regex,
    raw_newlines: Regex,
    br_after_block: Regex,
    br_before_block: Regex,
    source_track: Regex,
}

static P: LazyLock<Patterns> = LazyLock::new(|| Patterns {
    double_br: re(r"<br\s*/?>\s*<br\s*/?>"),
    block_open: re(r"(<ALLBLOCKS[\s/>])"),
    block_close: re(r"(</ALLBLOCKS>)"),
    hr: re(r"(<hr\s*?/?>)"),
    tag: re(r"(?s)<!--.*?-->|<[^>]*>"),
    figcaption_open: re(r"\s*(<figcaption[^>]*>)"),
    figcaption_close: re(r"</figcaption>\s*"),
    many_newlines: re(r"\n\n+"),
    paragraph_split: re(r"\n\s*\n"),
    empty_p: re(r"<p>\s*</p>"),
    p_in_div: re(r"<p>([^<]+)</(div|address|form)>"),
    p_around_block: re(r"<p>\s*(</?ALLBLOCKS[^>]*>)\s*</p>"),
    p_li: re(r"<p>(<li.+?)</p>"),
    p_blockquote: re(r"(?i)<p><blockquote([^>]*)>"),
    p_before_block: re(r"<p>\s*(</?ALLBLOCKS[^>]*>)"),
    p_after_block: re(r"(</?ALLBLOCKS[^>]*>)\s*</p>"),
    raw_newlines: re(r"(?s)<(script|style|svg|math)\b.*?</(?:script|style|svg|math)>"),
    br_after_block: re(r"(</?ALLBLOCKS[^>]*>)\s*<br />"),
    br_before_block: re(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)"),
    source_track: re(r"\s*(<(?:source|track)[^>]*>)\s*"),
});

/// Paragraphs and line breaks for classic-editor content, as WordPress adds them.
pub(super) fn wpautop(text: &str) -> String {
    if text.trim().is_empty() {
        return String::new();
    }
    // <pre> blocks are kept out of everything below.
    let (text, pre_tags) = hold_pre(format!("{text}\n"));
    let text = separate_blocks(text);
    let text = paragraphs(&text);
    let mut text = line_breaks(text);
    if text.ends_with("\n</p>") {
        let cut = text.len() - "\n</p>".len();
        text.replace_range(cut.., "</p>");
    }
    for (i, pre) in pre_tags.iter().enumerate() {
        text = text.replace(&format!("<pre wp-pre-tag-{i}></pre>"), pre);
    }
    if text.contains("<!-- wpnl -->") {
        text = text
            .replace(" <!-- wpnl --> ", "\n")
            .replace("<!-- wpnl -->", "\n");
    }
    text
}

/// Each `<pre>` block replaced by a placeholder, and the blocks, to put back at the end.
fn hold_pre(text: String) -> (String, Vec<String>) {
    let mut pre_tags: Vec<String> = Vec::new();
    if !text.contains("<pre") {
        return (text, pre_tags);
    }
    let mut out = String::new();
    let parts: Vec<&str> = text.split("</pre>").collect();
    let last = parts.len() - 1;
    for (i, part) in parts.iter().enumerate() {
        if i == last {
            out.push_str(part);
            break;
        }
        match part.find("<pre") {
            Some(start) => {
                out.push_str(&part[..start]);
                out.push_str(&format!("<pre wp-pre-tag-{}></pre>", pre_tags.len()));
                pre_tags.push(format!("{}</pre>", &part[start..]));
            }
            None => {
                out.push_str(part);
                out.push_str("</pre>");
            }
        }
    }
    (out, pre_tags)
}

/// Blank lines around block elements and for double line breaks; newlines inside tags and
/// comments marked, as they are not paragraph breaks.
fn separate_blocks(text: String) -> String {
    let p = &*P;
    let mut text = p.double_br.replace_all(&text, "\n\n").into_owned();
    text = p.block_open.replace_all(&text, "\n\n$1").into_owned();
    text = p.block_close.replace_all(&text, "$1\n\n").into_owned();
    text = p.hr.replace_all(&text, "$1\n\n").into_owned();
    text = text.replace("\r\n", "\n").replace('\r', "\n");
    // Newlines inside tags and comments are not paragraph breaks.
    text = p
        .tag
        .replace_all(&text, |c: &Captures| c[0].replace('\n', " <!-- wpnl --> "))
        .into_owned();
    if text.contains("<source") || text.contains("<track") {
        text = p.source_track.replace_all(&text, "$1").into_owned();
    }
    if text.contains("<figcaption") {
        text = p.figcaption_open.replace_all(&text, "$1").into_owned();
        text = p
            .figcaption_close
            .replace_all(&text, "</figcaption>")
            .into_owned();
    }
    p.many_newlines.replace_all(&text, "\n\n").into_owned()
}

/// Each text between blank lines in `<p>`, then the `<p>` that WordPress takes away again: empty
/// ones and those around or next to block elements.
fn paragraphs(text: &str) -> String {
    let p = &*P;
    let mut out = String::with_capacity(text.len() + 64);
    for paragraph in p.paragraph_split.split(text) {
        if paragraph.is_empty() {
            continue;
        }
        out.push_str("<p>");
        out.push_str(paragraph.trim_matches('\n'));
        out.push_str("</p>\n");
    }
    let mut text = p.empty_p.replace_all(&out, "").into_owned();
    text = p.p_in_div.replace_all(&text, "<p>$1</p></$2>").into_owned();
    text = p.p_around_block.replace_all(&text, "$1").into_owned();
    text = p.p_li.replace_all(&text, "$1").into_owned();
    text = p
        .p_blockquote
        .replace_all(&text, "<blockquote$1><p>")
        .into_owned();
    text = text.replace("</blockquote></p>", "</p></blockquote>");
    text = p.p_before_block.replace_all(&text, "$1").into_owned();
    p.p_after_block.replace_all(&text, "$1").into_owned()
}

/// Single newlines become <br />, except inside script, style, svg and math and next to block
/// elements.
fn line_breaks(text: String) -> String {
    let p = &*P;
    let mut text = p
        .raw_newlines
        .replace_all(&text, |c: &Captures| {
            c[0].replace('\n', "<WPPreserveNewline />")
        })
        .into_owned();
    text = text.replace("<br>", "<br />").replace("<br/>", "<br />");
    text = newlines_to_br(&text);
    text = text.replace("<WPPreserveNewline />", "\n");
    text = p.br_after_block.replace_all(&text, "$1").into_owned();
    p.br_before_block.replace_all(&text, "$1").into_owned()
}

/// `preg_replace('|(?<!<br />)\s*\n|', "<br />\n", ...)`: whitespace ending in a newline becomes
/// `<br />` and the newline, unless a `<br />` comes right before it.
fn newlines_to_br(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 64);
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_whitespace() {
            // The run of whitespace from i; the regex takes it up to its last newline.
            let mut j = i;
            let mut last_newline = None;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                if bytes[j] == b'\n' {
                    last_newline = Some(j);
                }
                j += 1;
            }
            if let Some(end) = last_newline {
                // A match may start later in the run when a <br /> precedes the run start: the
                // regex's lookbehind fails only at positions right after "<br />".
                let start = if text[..i].ends_with("<br />") {
                    // Try to start one byte later (PCRE backtracks to the next position).
                    if i < end { Some(i + 1) } else { None }
                } else {
                    Some(i)
                };
                if let Some(start) = start {
                    out.push_str(&text[copied..start]);
                    out.push_str("<br />\n");
                    copied = end + 1;
                }
                i = end + 1;
                continue;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::wpautop;

    #[test]
    fn blank_lines_are_paragraphs_and_newlines_breaks() {
        assert_eq!(
            wpautop("First line\nsecond line\n\nNew paragraph."),
            "<p>First line<br />\nsecond line</p>\n<p>New paragraph.</p>\n"
        );
    }

    #[test]
    fn blocks_are_not_wrapped_and_pre_is_kept() {
        let out = wpautop("Intro\n<ul>\n<li>One</li>\n<li>Two</li>\n</ul>\n<pre>a\n\nb</pre>\nEnd");
        assert!(out.starts_with("<p>Intro</p>\n<ul>"), "{out}");
        assert!(out.contains("<li>One</li>"), "{out}");
        assert!(!out.contains("<p><li"), "{out}");
        assert!(out.contains("<pre>a\n\nb</pre>"), "{out}");
        assert!(out.contains("<p>End</p>"), "{out}");
    }

    #[test]
    fn newlines_inside_tags_are_not_breaks() {
        let out = wpautop("<a\nhref=\"x\">link</a> text");
        assert_eq!(out, "<p><a\nhref=\"x\">link</a> text</p>\n");
    }
}
