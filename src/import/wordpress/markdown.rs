//! HTML to Markdown with htmd (a turndown.js port on html5ever). What Markdown cannot say is
//! kept as HTML, which dossier passes through: tables without a header row or with merged or
//! multi-line cells, figures with their captions, audio, video, embedded frames, and inline
//! elements Markdown has no syntax for (`sup`, `sub`, `abbr`, `cite`, `q`, `ins`, `mark`, ...).

use std::rc::Rc;

use htmd::element_handler::{HandlerResult, Handlers};
use htmd::options::{BulletListMarker, Options};
use htmd::{Element, HtmlToMarkdown, Node};
use html5ever::serialize::{SerializeOpts, TraversalScope, serialize};
use markup5ever_rcdom::{NodeData, SerializableHandle};

/// Block elements kept whole as HTML.
const RAW_BLOCKS: &[&str] = &[
    "figure", "audio", "video", "iframe", "object", "embed", "dl", "details", "form", "svg", "math",
];
/// Inline elements kept as HTML (their content stays Markdown-free text and markup).
const RAW_INLINE: &[&str] = &[
    "sup", "sub", "abbr", "acronym", "cite", "q", "ins", "del", "s", "strike", "mark", "kbd",
    "small", "big", "var", "dfn", "samp", "u",
];

pub(super) fn converter() -> HtmlToMarkdown {
    HtmlToMarkdown::builder()
        .options(Options {
            bullet_list_marker: BulletListMarker::Dash,
            ul_bullet_spacing: 1,
            ol_number_spacing: 1,
            ..Options::default()
        })
        .skip_tags(vec!["script", "style", "noscript", "head", "template"])
        .add_handler(RAW_BLOCKS.to_vec(), |_: &dyn Handlers, element: Element| {
            Some(block(serialized(element.node)))
        })
        .add_handler(RAW_INLINE.to_vec(), |_: &dyn Handlers, element: Element| {
            Some(HandlerResult::from(
                serialized(element.node).replace("\n\n", "\n"),
            ))
        })
        .add_handler(
            vec!["table"],
            |handlers: &dyn Handlers, element: Element| {
                if is_simple_table(element.node) {
                    handlers.fallback(element)
                } else {
                    Some(block(serialized(element.node)))
                }
            },
        )
        // Preformatted text with markup in it (WordPress's verse and preformatted blocks break
        // lines with <br>): kept as HTML, which keeps its lines and spaces.
        .add_handler(vec!["pre"], |handlers: &dyn Handlers, element: Element| {
            let has_markup = element
                .node
                .children
                .borrow()
                .iter()
                .any(|c| tag(c).is_some_and(|t| t != "code"));
            if has_markup {
                Some(block(serialized(element.node)))
            } else {
                handlers.fallback(element)
            }
        })
        .build()
}

/// A block of raw HTML, set apart by blank lines and without blank lines inside (which would end
/// it in CommonMark).
fn block(html: String) -> HandlerResult {
    let mut compact = String::with_capacity(html.len());
    let mut in_pre = false;
    for line in html.split('\n') {
        if line.contains("<pre") {
            in_pre = true;
        }
        if line.trim().is_empty() && !in_pre {
            continue;
        }
        if line.contains("</pre>") {
            in_pre = false;
        }
        compact.push_str(line);
        compact.push('\n');
    }
    HandlerResult::from(format!("\n\n{}\n\n", compact.trim_end()))
}

fn serialized(node: &Rc<Node>) -> String {
    let mut bytes = Vec::new();
    let opts = SerializeOpts {
        traversal_scope: TraversalScope::IncludeNode,
        ..Default::default()
    };
    let handle: SerializableHandle = node.clone().into();
    serialize(&mut bytes, &handle, opts).expect("writing to a Vec cannot fail");
    String::from_utf8(bytes).expect("html5ever serializes to UTF-8")
}

fn tag(node: &Rc<Node>) -> Option<String> {
    match &node.data {
        NodeData::Element { name, .. } => Some(name.local.to_string()),
        _ => None,
    }
}

fn has_attr(node: &Rc<Node>, names: &[&str]) -> bool {
    match &node.data {
        NodeData::Element { attrs, .. } => attrs
            .borrow()
            .iter()
            .any(|a| names.contains(&a.name.local.as_ref()) && a.value.trim() != "1"),
        _ => false,
    }
}

/// A table GFM can hold: rows of cells, a header row, no merged cells, no blocks inside cells,
/// the same number of cells in every row.
fn is_simple_table(table: &Rc<Node>) -> bool {
    let mut rows: Vec<Rc<Node>> = Vec::new();
    for child in table.children.borrow().iter() {
        match tag(child).as_deref() {
            Some("thead" | "tbody" | "tfoot") => {
                for row in child.children.borrow().iter() {
                    match tag(row).as_deref() {
                        Some("tr") => rows.push(row.clone()),
                        Some(_) => return false,
                        None => {}
                    }
                }
            }
            Some("tr") => rows.push(child.clone()),
            Some("caption" | "colgroup" | "col") | Some(_) => return false,
            None => {}
        }
    }
    let Some(first) = rows.first() else {
        return false;
    };
    let mut width = None;
    for (i, row) in rows.iter().enumerate() {
        let mut cells = 0;
        for cell in row.children.borrow().iter() {
            match tag(cell).as_deref() {
                Some("th") if i == 0 => {}
                Some("td") if i > 0 => {}
                Some(_) => return false,
                None => continue,
            }
            if has_attr(cell, &["colspan", "rowspan"]) || has_block(cell) {
                return false;
            }
            cells += 1;
        }
        if *width.get_or_insert(cells) != cells {
            return false;
        }
    }
    !Rc::ptr_eq(first, &rows[0]) || width.unwrap_or(0) > 0
}

fn has_block(node: &Rc<Node>) -> bool {
    node.children.borrow().iter().any(|child| {
        matches!(
            tag(child).as_deref(),
            Some(
                "p" | "div"
                    | "ul"
                    | "ol"
                    | "table"
                    | "pre"
                    | "blockquote"
                    | "br"
                    | "h1"
                    | "h2"
                    | "h3"
                    | "h4"
                    | "h5"
                    | "h6"
                    | "figure"
                    | "img"
            )
        ) || has_block(child)
    })
}

#[cfg(test)]
mod tests {
    use super::converter;

    #[test]
    fn simple_tables_become_gfm_and_others_stay_html() {
        let md = converter()
            .convert("<table><thead><tr><th>Year</th><th>Exports</th></tr></thead><tbody><tr><td>2023</td><td>$632 bn</td></tr></tbody></table>")
            .unwrap();
        assert!(md.contains("| Year | Exports |"), "{md}");
        let merged = converter()
            .convert(
                "<table><tr><td colspan=\"2\">Both</td></tr><tr><td>a</td><td>b</td></tr></table>",
            )
            .unwrap();
        assert!(merged.starts_with("<table>"), "{merged}");
        assert!(merged.contains("colspan=\"2\""), "{merged}");
    }

    #[test]
    fn preformatted_text_with_line_breaks_stays_html() {
        let md = converter()
            .convert("<pre class=\"wp-block-verse\">A line<br>  another (\\_/)<br><br>end</pre><pre><code>plain code</code></pre>")
            .unwrap();
        assert!(
            md.starts_with(
                "<pre class=\"wp-block-verse\">A line<br>  another (\\_/)<br><br>end</pre>"
            ),
            "{md}"
        );
        assert!(md.contains("```\nplain code\n```"), "{md}");
    }

    #[test]
    fn figures_and_superscripts_are_kept_as_html() {
        let md = converter()
            .convert("<p>E = mc<sup>2</sup></p><figure><img src=\"a.jpg\" alt=\"A\"><figcaption>The <em>caption</em></figcaption></figure>")
            .unwrap();
        assert!(md.contains("E = mc<sup>2</sup>"), "{md}");
        assert!(md.contains("\n\n<figure><img src=\"a.jpg\" alt=\"A\"><figcaption>The <em>caption</em></figcaption></figure>"), "{md}");
    }
}
