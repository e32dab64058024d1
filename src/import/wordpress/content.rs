//! A post's body as WordPress shows it, then as Markdown: block-editor comments removed (or, for
//! classic-editor posts, paragraphs added by `wpautop`), bare embed URLs made links, shortcodes
//! expanded, footnotes (block editor's and shortcodes') turned into Markdown footnotes, links to
//! imported posts and uploads rewritten, then htmd.

use std::collections::HashMap;
use std::sync::LazyLock;

use htmd::HtmlToMarkdown;
use regex::{Captures, Regex};

use super::autop::wpautop;
use super::links::Links;
use super::shortcodes::{self, Shortcode};
use crate::html::escape;

/// An attachment, for featured images and galleries.
#[derive(Debug, Clone, Default)]
pub(super) struct Attachment {
    pub url: String,
    pub alt: String,
    pub caption: String,
}

/// What a body needs from the rest of the export.
pub(super) struct Context<'a> {
    pub attachments: &'a HashMap<u64, Attachment>,
    /// Each post's attachments in their order, for `[gallery]` without `ids`.
    pub children: &'a HashMap<u64, Vec<u64>>,
    pub links: &'a Links,
}

/// A converted body and what the report should say about it.
#[derive(Debug, Default)]
pub(super) struct Converted {
    pub markdown: String,
    pub notes: Vec<String>,
    /// Upload URLs the body refers to that were not copied into the site.
    pub external_uploads: Vec<String>,
    /// Upload files to copy: (path under the uploads folder).
    pub copied_uploads: Vec<String>,
}

const KNOWN: &[&str] = &[
    "caption",
    "wp_caption",
    "gallery",
    "embed",
    "audio",
    "video",
    "efn_note",
    "mfn",
    "ref",
    "footnote",
];
const FOOTNOTE_SHORTCODES: &[&str] = &["efn_note", "mfn", "ref", "footnote"];

/// A footnote's place in the text while it goes through htmd: letters only, so nothing escapes
/// it, and unlikely in any text.
fn marker(n: usize) -> String {
    format!("Qdossierfn{n}Q")
}

static BLOCK_COMMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<!--\s*(/?)wp:([a-z0-9/-]+)(.*?)(/?)-->\n?").expect("fixed"));
static MORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<!--(more|noteaser|nextpage)(.*?)-->").expect("fixed"));
static BARE_URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?m)^(\s*)(https?://[^\s<>"]+)(\s*)$"#).expect("fixed"));
static BARE_URL_P: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(<p(?: [^>]*)?>|<div class="wp-block-embed__wrapper">)\s*(https?://[^\s<>"]+)\s*(</p>|</div>)"#)
        .expect("fixed")
});
static BLOCK_FOOTNOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?s)<sup[^>]*\bdata-fn="([^"]+)"[^>]*>.*?</sup>"#).expect("fixed")
});
static WRAPPED_BLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)<p>\s*(<(?:figure|audio|video|div)\b.*?</(?:figure|audio|video|div)>)\s*</p>")
        .expect("fixed")
});

/// htmd's only error is reading its input, which is a string here.
const HTMD_IN_MEMORY: &str = "htmd reads HTML from memory, which cannot fail";

/// The post's body as Markdown.
pub(super) fn convert(
    id: u64,
    html: &str,
    footnotes_meta: Option<&str>,
    cx: &Context,
    md: &HtmlToMarkdown,
) -> Converted {
    let mut out = Converted::default();
    let text = MORE.replace_all(html, "").into_owned();
    let text = if html.contains("<!-- wp:") {
        without_block_comments(&text, &mut out)
    } else {
        // WordPress's autoembed: a URL alone on its line is an embed; here a link.
        let text = BARE_URL.replace_all(&text, |c: &Captures| {
            format!("{}<a href=\"{}\">{}</a>{}", &c[1], &c[2], &c[2], &c[3])
        });
        wpautop(&text)
    };
    // Footnotes, numbered in order of appearance.
    let mut notes: Vec<String> = Vec::new();
    let mut text = block_footnotes(&text, footnotes_meta, &mut notes, &mut out);
    let mut unknown: Vec<String> = Vec::new();
    text = shortcodes::replace(
        &text,
        KNOWN,
        |s| expand(id, s, cx, &mut notes, &mut out.notes),
        |name| unknown.push(name.to_owned()),
    );
    unknown.sort();
    unknown.dedup();
    for name in unknown {
        out.notes.push(format!(
            "the shortcode `[{name}]` is not known to dossier: left in the text as written"
        ));
    }
    // Shortcodes that made a block sit alone in a paragraph (`shortcode_unautop`).
    text = WRAPPED_BLOCK.replace_all(&text, "$1").into_owned();

    text = cx.links.rewrite_html(&text, &mut out);
    // htmd writes a <br /> as a hard break: the newline after it would start the next line with
    // a space.
    text = text.replace("<br />\n", "<br />");
    let mut markdown = tidy(&md.convert(&text).expect(HTMD_IN_MEMORY));

    let mut definitions = String::new();
    for (i, note) in notes.iter().enumerate() {
        let n = i + 1;
        markdown = markdown.replacen(&marker(n), &format!("[^{n}]"), 1);
        let note_html = cx.links.rewrite_html(note, &mut out);
        let note_md = md.convert(&note_html).expect(HTMD_IN_MEMORY);
        let body = note_md.trim().replace("\n\n", "\n\n    ");
        definitions.push_str(&format!("\n[^{n}]: {body}\n"));
    }
    if !definitions.is_empty() {
        markdown.push('\n');
        markdown.push_str(&definitions);
    }
    out.markdown = format!("{}\n", markdown.trim_end());
    out
}

/// A block editor post without its block comments (the report names the dynamic blocks, which
/// WordPress makes when the page is shown and so are not in the export), and a URL alone in a
/// paragraph or embed made a link.
fn without_block_comments(text: &str, out: &mut Converted) -> String {
    let mut dynamic: Vec<String> = Vec::new();
    let text = BLOCK_COMMENT.replace_all(text, |c: &Captures| {
        let name = &c[2];
        let self_closing = &c[4] == "/";
        if self_closing && !is_static_block(name) && !dynamic.iter().any(|d| d == name) {
            dynamic.push(name.to_owned());
        }
        String::new()
    });
    if !dynamic.is_empty() {
        let names: Vec<String> = dynamic.iter().map(|d| format!("`wp:{d}`")).collect();
        out.notes.push(format!(
            "blocks that WordPress makes when the page is shown were left out: {}",
            names.join(", ")
        ));
    }
    BARE_URL_P
        .replace_all(&text, |c: &Captures| {
            format!("{}<a href=\"{}\">{}</a>{}", &c[1], &c[2], &c[2], &c[3])
        })
        .into_owned()
}

/// The block editor's footnotes (kept in the `footnotes` post meta) as markers, their contents
/// added to `notes`. Meta that is not the JSON WordPress writes is reported, and the references
/// stay as they are.
fn block_footnotes(
    text: &str,
    footnotes_meta: Option<&str>,
    notes: &mut Vec<String>,
    out: &mut Converted,
) -> String {
    let meta = footnotes_meta
        .map(str::trim)
        .filter(|json| !json.is_empty());
    let listed = match meta.map(serde_json::from_str::<Vec<serde_json::Value>>) {
        None => Vec::new(),
        Some(Ok(listed)) => listed,
        Some(Err(err)) => {
            out.notes.push(format!(
                "its footnotes (the `footnotes` post meta) are not valid JSON ({err}): left out"
            ));
            Vec::new()
        }
    };
    let block_notes: HashMap<String, String> = listed
        .into_iter()
        .filter_map(|note| {
            Some((
                note.get("id")?.as_str()?.to_owned(),
                note.get("content")?.as_str()?.to_owned(),
            ))
        })
        .collect();
    BLOCK_FOOTNOTE
        .replace_all(text, |c: &Captures| match block_notes.get(&c[1]) {
            Some(content) => {
                notes.push(content.clone());
                marker(notes.len())
            }
            None => c[0].to_owned(),
        })
        .into_owned()
}

/// Lines of spaces emptied, and runs of blank lines made one, outside fenced code.
fn tidy(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut in_fence = false;
    let mut blank = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if !in_fence && line.trim().is_empty() {
            if !blank {
                out.push('\n');
            }
            blank = true;
            continue;
        }
        blank = false;
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Blocks whose HTML is stored in the post (as opposed to those WordPress makes at display time,
/// stored as a lone comment).
fn is_static_block(name: &str) -> bool {
    matches!(
        name,
        "footnotes"
            | "more"
            | "nextpage"
            | "separator"
            | "spacer"
            | "paragraph"
            | "html"
            | "image"
            | "shortcode"
            | "freeform"
    ) || name.starts_with("core-embed/")
}

/// The HTML a known shortcode stands for.
fn expand(
    id: u64,
    s: &Shortcode,
    cx: &Context,
    footnotes: &mut Vec<String>,
    notes: &mut Vec<String>,
) -> Option<String> {
    if FOOTNOTE_SHORTCODES.contains(&s.name) {
        let content = s.content.map(str::trim).unwrap_or_default();
        if content.is_empty() {
            return None;
        }
        footnotes.push(content.to_owned());
        return Some(marker(footnotes.len()));
    }
    match s.name {
        "caption" | "wp_caption" => {
            let content = s.content.unwrap_or_default().trim();
            // The caption is the text after the image (or its link), or the `caption` attribute.
            let (media, caption) = match s.attr("caption") {
                Some(caption) => (content.to_owned(), caption.to_owned()),
                None => split_caption(content),
            };
            Some(format!(
                "<figure>{}<figcaption>{}</figcaption></figure>",
                media.trim(),
                caption.trim()
            ))
        }
        "gallery" => Some(gallery(id, s, cx, notes)),
        "embed" => {
            let url = s.content.unwrap_or_default().trim();
            Some(format!("<a href=\"{}\">{}</a>", escape(url), escape(url)))
        }
        "audio" | "video" => media(s),
        _ => None,
    }
}

/// A `[gallery]`: the images it names, else those attached to its post, each with its caption.
fn gallery(id: u64, s: &Shortcode, cx: &Context, notes: &mut Vec<String>) -> String {
    let ids: Vec<u64> = match s.attr("ids").or(s.attr("include")) {
        Some(ids) => ids
            .split(',')
            .filter_map(|i| i.trim().parse().ok())
            .collect(),
        None => {
            let parent = s.attr("id").and_then(|i| i.parse().ok()).unwrap_or(id);
            cx.children.get(&parent).cloned().unwrap_or_default()
        }
    };
    let mut html = String::from("<figure class=\"gallery\">");
    let mut count = 0;
    for image in &ids {
        let Some(a) = cx.attachments.get(image) else {
            notes.push(format!(
                "a [gallery] names the attachment {image}, which is not in the export"
            ));
            continue;
        };
        count += 1;
        html.push_str(&format!(
            "<figure><img src=\"{}\" alt=\"{}\">",
            escape(&a.url),
            escape(&a.alt)
        ));
        if !a.caption.trim().is_empty() {
            html.push_str(&format!("<figcaption>{}</figcaption>", a.caption.trim()));
        }
        html.push_str("</figure>");
    }
    html.push_str("</figure>");
    if count == 0 {
        notes.push("a [gallery] with no images in the export was left out".to_owned());
        return String::new();
    }
    html
}

/// An `[audio]` or `[video]`: the player, with a link to the file.
fn media(s: &Shortcode) -> Option<String> {
    let keys: &[&str] = if s.name == "audio" {
        &["src", "mp3", "m4a", "ogg", "wav", "wma"]
    } else {
        &["src", "mp4", "m4v", "webm", "ogv", "wmv", "flv"]
    };
    let url = keys
        .iter()
        .find_map(|k| s.attr(k))
        .map(str::to_owned)
        .or_else(|| {
            s.content
                .map(|c| c.trim().to_owned())
                .filter(|c| c.starts_with("http"))
        })?;
    let poster = s
        .attr("poster")
        .map(|p| format!(" poster=\"{}\"", escape(p)))
        .unwrap_or_default();
    let url = escape(&url);
    Some(format!(
        "<{0} controls src=\"{url}\"{poster}><a href=\"{url}\">{url}</a></{0}>",
        s.name
    ))
}

/// `<a><img></a> The caption` → the media and the caption.
fn split_caption(content: &str) -> (String, String) {
    let lower = content.to_ascii_lowercase();
    let end = if lower.starts_with("<a") {
        lower.find("</a>").map(|i| i + 4)
    } else if lower.starts_with("<img") {
        lower.find('>').map(|i| i + 1)
    } else {
        None
    };
    match end {
        Some(end) => (content[..end].to_owned(), content[end..].to_owned()),
        None => (String::new(), content.to_owned()),
    }
}
