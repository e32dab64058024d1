//! Reads a WordPress export (WXR 1.0-1.2, an RSS 2.0 file with the `wp:` namespace) as a stream
//! of XML events: the channel's facts, its authors and terms, and one `Item` per `<item>`, handed
//! on as soon as it ends. The importer reads the file twice: first every item without its body
//! (`Pass::Index`, a small index of what links between items need), then only the bodies of the
//! items it imports (`Pass::Bodies`), so a large export is never held whole. Only the fields the
//! importer uses are kept; comments are counted, not stored. Namespaces are resolved by URI, so
//! `http://` and `https://` `wordpress.org/export/1.x/` both count.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

/// The channel: the blog itself.
#[derive(Debug, Default)]
pub struct Channel {
    pub title: String,
    pub link: String,
    pub description: String,
    pub language: String,
    pub base_blog_url: String,
    pub wxr_version: String,
}

#[derive(Debug, Default)]
pub struct Author {
    pub login: String,
    pub display_name: String,
    pub first_name: String,
    pub last_name: String,
    pub description: String,
}

/// A `wp:category`, `wp:tag` or `wp:term` of the channel.
#[derive(Debug, Default, Clone)]
pub struct Term {
    pub id: String,
    pub taxonomy: String,
    pub slug: String,
    pub name: String,
}

/// An item's `<category domain=".." nicename="..">Name</category>`.
#[derive(Debug, Default, Clone)]
pub struct ItemTerm {
    pub domain: String,
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Default)]
pub struct Item {
    /// Its place among the export's items, from 0: the same in both passes.
    pub seq: usize,
    /// The byte offset of its `<item>` in the export, for the line a warning names.
    pub offset: u64,
    pub title: String,
    pub link: String,
    pub creator: String,
    pub content: String,
    pub excerpt: String,
    pub id: u64,
    pub date: String,
    pub date_gmt: String,
    pub modified_gmt: String,
    pub name: String,
    pub status: String,
    pub parent: u64,
    pub menu_order: i64,
    pub post_type: String,
    pub password: String,
    pub attachment_url: String,
    pub terms: Vec<ItemTerm>,
    pub meta: Vec<(String, String)>,
    pub comments: usize,
}

impl Item {
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// The channel's facts, authors and terms: everything but the items.
#[derive(Debug, Default)]
pub struct Header {
    pub channel: Channel,
    pub authors: Vec<Author>,
    pub terms: Vec<Term>,
}

/// The index of an export: its header and every item without its body.
#[derive(Debug, Default)]
pub struct Export {
    pub channel: Channel,
    pub authors: Vec<Author>,
    pub terms: Vec<Term>,
    pub items: Vec<Item>,
}

/// What a reading keeps.
#[derive(Clone, Copy)]
pub enum Pass<'a> {
    /// Every item, without its body: no `content:encoded`, no comments, and only the post meta
    /// in `INDEX_META`.
    Index,
    /// Only the items `wanted` names by their `seq`, with their body and `footnotes` meta.
    Bodies(&'a dyn Fn(usize) -> bool),
}

/// The post meta the index keeps: featured images, Yoast's primary category, attachments' alt
/// text and menu entries.
const INDEX_META: &[&str] = &[
    "_thumbnail_id",
    "_yoast_wpseo_primary_category",
    "_wp_attachment_image_alt",
    "_menu_item_type",
    "_menu_item_object",
    "_menu_item_object_id",
    "_menu_item_menu_item_parent",
    "_menu_item_url",
];

/// Why an export could not be read: the message, and the line and column when known.
#[derive(Debug)]
pub struct ReadError {
    pub message: String,
    pub position: Option<(usize, usize)>,
    pub hint: String,
}

/// Which namespace an element is in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ns {
    None,
    Wp,
    Content,
    Excerpt,
    Dc,
    Other,
}

fn namespace(resolved: &ResolveResult) -> Ns {
    match resolved {
        ResolveResult::Unbound => Ns::None,
        ResolveResult::Bound(ns) => {
            let uri = String::from_utf8_lossy(ns.0);
            let uri = uri
                .trim_start_matches("https://")
                .trim_start_matches("http://");
            if uri == "purl.org/rss/1.0/modules/content/" {
                Ns::Content
            } else if uri == "purl.org/dc/elements/1.1/" {
                Ns::Dc
            } else if let Some(rest) = uri.strip_prefix("wordpress.org/export/") {
                if rest.ends_with("/excerpt/") {
                    Ns::Excerpt
                } else {
                    Ns::Wp
                }
            } else {
                Ns::Other
            }
        }
        ResolveResult::Unknown(_) => Ns::Other,
    }
}

/// What the reader is inside of.
#[derive(Default)]
struct State {
    /// Element names from the root, each with its namespace.
    stack: Vec<(Ns, String)>,
    text: String,
    item: Option<Item>,
    author: Option<Author>,
    term: Option<Term>,
    item_term: Option<ItemTerm>,
    meta: Option<(String, String)>,
    saw_wp: bool,
    /// Items begun so far.
    items: usize,
    /// While set, text is not kept: the depth of the element whose text the pass does not need.
    skip_from: Option<usize>,
}

/// Reads the index of the export at `path`: its header and every item without its body.
pub fn read_index(path: &Path) -> Result<Export, ReadError> {
    let mut items = Vec::new();
    let header = read(path, Pass::Index, |item| items.push(item))?;
    Ok(Export {
        channel: header.channel,
        authors: header.authors,
        terms: header.terms,
        items,
    })
}

/// Reads the export at `path`, handing each item the pass keeps to `on_item` as it ends.
pub fn read(path: &Path, pass: Pass, on_item: impl FnMut(Item)) -> Result<Header, ReadError> {
    let file = File::open(path).map_err(|e| ReadError {
        message: format!("cannot read the export: {e}"),
        position: None,
        hint: "give the path of the .xml file that WordPress's Tools → Export wrote".to_owned(),
    })?;
    read_from(BufReader::with_capacity(1 << 16, file), pass, on_item).map_err(
        |(mut error, offset)| {
            if let Some(offset) = offset {
                error.position = line_column(path, offset);
            }
            error
        },
    )
}

/// The 1-based lines of the sorted byte `offsets` of the file, in one reading.
pub fn lines_of(path: &Path, offsets: &[u64]) -> Vec<usize> {
    let mut lines = Vec::with_capacity(offsets.len());
    let Ok(file) = File::open(path) else {
        return lines;
    };
    let mut reader = BufReader::with_capacity(1 << 16, file);
    // The line of an offset is one more than the newlines before it.
    let (mut line, mut at) = (1, 0u64);
    let mut next = offsets.iter().peekable();
    while let Ok(chunk) = reader.fill_buf() {
        if chunk.is_empty() {
            break;
        }
        let (len, mut counted) = (chunk.len(), 0);
        while let Some(&&offset) = next.peek() {
            let Some(i) = offset
                .checked_sub(at)
                .map(|i| i as usize)
                .filter(|&i| i < len)
            else {
                break;
            };
            line += memchr::memchr_iter(b'\n', &chunk[counted..i]).count();
            counted = i;
            lines.push(line);
            next.next();
        }
        line += memchr::memchr_iter(b'\n', &chunk[counted..]).count();
        at += len as u64;
        reader.consume(len);
    }
    lines.extend(next.map(|_| line));
    lines
}

/// The line and column (1-based, in characters) of byte `offset` of the file.
fn line_column(path: &Path, offset: u64) -> Option<(usize, usize)> {
    let mut bytes = Vec::new();
    File::open(path)
        .ok()?
        .take(offset)
        .read_to_end(&mut bytes)
        .ok()?;
    let line_start = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&bytes[line_start..])
        .chars()
        .count()
        + 1;
    Some((line, column))
}

fn error(message: impl Into<String>, hint: &str, offset: u64) -> (ReadError, Option<u64>) {
    (
        ReadError {
            message: message.into(),
            position: None,
            hint: hint.to_owned(),
        },
        Some(offset),
    )
}

const REEXPORT: &str = "the file looks cut off or damaged: export it again from WordPress (Tools → Export) and import the new file";

fn read_from<R: BufRead>(
    source: R,
    pass: Pass,
    mut on_item: impl FnMut(Item),
) -> Result<Header, (ReadError, Option<u64>)> {
    let mut reader = NsReader::from_reader(source);
    reader.config_mut().trim_text(false);
    let mut header = Header::default();
    let mut state = State::default();
    let mut buf = Vec::new();
    loop {
        let before = reader.buffer_position();
        let (ns, event) = match reader.read_resolved_event_into(&mut buf) {
            Ok((resolved, event)) => (namespace(&resolved), event),
            Err(e) => {
                let what = match &e {
                    quick_xml::Error::Syntax(_) | quick_xml::Error::IllFormed(_) => {
                        format!("the export is not well-formed XML: {e}")
                    }
                    _ => format!("cannot read the export: {e}"),
                };
                return Err(error(what, REEXPORT, reader.error_position()));
            }
        };
        match event {
            Event::Decl(decl) => {
                if let Some(Ok(encoding)) = decl.encoding() {
                    let name = String::from_utf8_lossy(&encoding).to_ascii_lowercase();
                    if name != "utf-8" && name != "utf8" {
                        return Err(error(
                            format!(
                                "the export declares the encoding `{name}`; dossier reads UTF-8 exports, as WordPress writes them"
                            ),
                            &format!(
                                "convert the file (iconv -f {name} -t UTF-8 export.xml > export-utf8.xml) and change its first line to <?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                            ),
                            before,
                        ));
                    }
                }
            }
            Event::Start(start) => {
                let local = local_name(&start);
                if state.stack.is_empty() && (ns, local.as_str()) != (Ns::None, "rss") {
                    return Err(not_wxr(
                        format!("its root element is <{local}>, not <rss>"),
                        before,
                    ));
                }
                open(&mut state, pass, ns, &local, &start, before);
                state.stack.push((ns, local));
                state.text.clear();
            }
            Event::Empty(start) => {
                let local = local_name(&start);
                if state.stack.is_empty() {
                    return Err(not_wxr(
                        format!("its root element is <{local}/>, not <rss>"),
                        before,
                    ));
                }
                open(&mut state, pass, ns, &local, &start, before);
                state.stack.push((ns, local));
                state.text.clear();
                close(&mut state, &mut header, &mut on_item);
            }
            Event::End(_) => close(&mut state, &mut header, &mut on_item),
            Event::Text(_) | Event::CData(_) | Event::GeneralRef(_)
                if state.skip_from.is_some() => {}
            Event::Text(text) => {
                let text = text.xml_content().map_err(|e| {
                    error(
                        format!("the export is not valid UTF-8: {e}"),
                        "save the export as UTF-8",
                        before,
                    )
                })?;
                state.text.push_str(&text);
            }
            Event::CData(data) => {
                let text = data.decode().map_err(|e| {
                    error(
                        format!("the export is not valid UTF-8: {e}"),
                        "save the export as UTF-8",
                        before,
                    )
                })?;
                state.text.push_str(&text.replace("\r\n", "\n"));
            }
            Event::GeneralRef(reference) => push_reference(&mut state.text, &reference),
            Event::Eof => {
                if let Some((_, open)) = state.stack.last() {
                    return Err(error(
                        format!("the export ends inside <{open}>: the file is truncated"),
                        REEXPORT,
                        reader.buffer_position(),
                    ));
                }
                break;
            }
            Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
        }
        buf.clear();
    }
    if !state.saw_wp {
        return Err(not_wxr(
            "it is an RSS feed without WordPress's export fields (wp:post_id, wp:status, ...)"
                .to_owned(),
            0,
        ));
    }
    Ok(header)
}

fn not_wxr(why: String, offset: u64) -> (ReadError, Option<u64>) {
    error(
        format!("this is not a WordPress export (WXR): {why}"),
        "export the site from WordPress's Tools → Export (All content) and give that .xml file",
        offset,
    )
}

fn local_name(start: &BytesStart) -> String {
    String::from_utf8_lossy(start.local_name().as_ref()).into_owned()
}

fn attribute(start: &BytesStart, name: &str) -> String {
    start
        .try_get_attribute(name)
        .ok()
        .flatten()
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
        .unwrap_or_default()
}

/// `&amp;` and friends, character references, and any other entity kept as written (WordPress's
/// HTML may carry `&nbsp;` that XML does not define).
fn push_reference(text: &mut String, reference: &BytesRef) {
    if let Ok(Some(c)) = reference.resolve_char_ref() {
        text.push(c);
        return;
    }
    let name = String::from_utf8_lossy(reference.as_ref());
    match name.as_ref() {
        "amp" => text.push('&'),
        "lt" => text.push('<'),
        "gt" => text.push('>'),
        "quot" => text.push('"'),
        "apos" => text.push('\''),
        other => {
            text.push('&');
            text.push_str(other);
            text.push(';');
        }
    }
}

/// What starts with an element: a record being filled, or text the pass skips.
fn open(state: &mut State, pass: Pass, ns: Ns, local: &str, start: &BytesStart, offset: u64) {
    let depth = state.stack.len();
    if state.skip_from.is_none() && skips(state, pass, ns, local) {
        state.skip_from = Some(depth);
    }
    match (ns, local) {
        (Ns::None, "item") if depth == 2 => {
            state.item = Some(Item {
                seq: state.items,
                offset,
                ..Item::default()
            });
            state.items += 1;
        }
        (Ns::Wp, "author") if depth == 2 => state.author = Some(Author::default()),
        (Ns::Wp, "category" | "tag" | "term") if depth == 2 => {
            state.term = Some(Term {
                taxonomy: match local {
                    "category" => "category".to_owned(),
                    "tag" => "post_tag".to_owned(),
                    _ => String::new(),
                },
                ..Term::default()
            })
        }
        (Ns::None, "category") if depth == 3 && state.item.is_some() => {
            state.item_term = Some(ItemTerm {
                domain: attribute(start, "domain"),
                slug: attribute(start, "nicename"),
                name: String::new(),
            })
        }
        (Ns::Wp, "postmeta") if depth == 3 => state.meta = Some(Default::default()),
        (Ns::Wp, "comment") if depth == 3 => {
            if let Some(item) = &mut state.item {
                item.comments += 1;
            }
        }
        _ => {}
    }
    if ns == Ns::Wp {
        state.saw_wp = true;
    }
}

/// Whether the pass skips the text of the element `local` that starts here (and all inside it).
fn skips(state: &State, pass: Pass, ns: Ns, local: &str) -> bool {
    let depth = state.stack.len();
    let in_item = state.item.is_some();
    let meta_key = state.meta.as_ref().map(|(key, _)| key.as_str());
    match pass {
        Pass::Index => match (ns, local) {
            (Ns::Content, "encoded") | (Ns::Wp, "comment") => in_item && depth == 3,
            (Ns::Wp, "meta_value") => meta_key.is_some_and(|key| !INDEX_META.contains(&key)),
            _ => false,
        },
        Pass::Bodies(wanted) => match (ns, local) {
            // When the item starts, `state.items` is its `seq` (it is counted just after).
            (Ns::None, "item") => depth == 2 && !wanted(state.items),
            (Ns::Wp, "comment") => in_item && depth == 3,
            (Ns::Wp, "meta_value") => meta_key != Some("footnotes"),
            _ => false,
        },
    }
}

/// What ends with an element: its text goes to its field.
fn close(state: &mut State, header: &mut Header, on_item: &mut impl FnMut(Item)) {
    let Some((ns, local)) = state.stack.pop() else {
        return;
    };
    let depth = state.stack.len();
    let text_skipped = state.skip_from == Some(depth);
    if text_skipped {
        state.skip_from = None;
    }
    let text = std::mem::take(&mut state.text);
    let parent = state.stack.last().map(|(ns, name)| (*ns, name.as_str()));
    match parent {
        Some((Ns::None, "channel")) => match (ns, local.as_str()) {
            (Ns::None, "title") => header.channel.title = text,
            (Ns::None, "link") => header.channel.link = text.trim().to_owned(),
            (Ns::None, "description") => header.channel.description = text,
            (Ns::None, "language") => header.channel.language = text.trim().to_owned(),
            (Ns::Wp, "base_blog_url") => header.channel.base_blog_url = text.trim().to_owned(),
            (Ns::Wp, "wxr_version") => header.channel.wxr_version = text.trim().to_owned(),
            (Ns::Wp, "author") => {
                if let Some(author) = state.author.take() {
                    header.authors.push(author);
                }
            }
            (Ns::Wp, "category" | "tag" | "term") => {
                if let Some(term) = state.term.take() {
                    header.terms.push(term);
                }
            }
            (Ns::None, "item") => {
                // An item the pass skipped whole is not handed on.
                if let Some(item) = state.item.take()
                    && !text_skipped
                {
                    on_item(item);
                }
            }
            _ => {}
        },
        Some((Ns::Wp, "author")) if depth == 3 => {
            if let Some(author) = &mut state.author {
                match local.as_str() {
                    "author_login" => author.login = text.trim().to_owned(),
                    "author_display_name" => author.display_name = text.trim().to_owned(),
                    "author_first_name" => author.first_name = text.trim().to_owned(),
                    "author_last_name" => author.last_name = text.trim().to_owned(),
                    "author_description" => author.description = text.trim().to_owned(),
                    _ => {}
                }
            }
        }
        Some((Ns::Wp, "category" | "tag" | "term")) if depth == 3 => {
            if let Some(term) = &mut state.term {
                let text = text.trim().to_owned();
                match local.as_str() {
                    "term_id" => term.id = text,
                    "category_nicename" | "tag_slug" | "term_slug" => term.slug = text,
                    "cat_name" | "tag_name" | "term_name" => term.name = text,
                    "term_taxonomy" => term.taxonomy = text,
                    _ => {}
                }
            }
        }
        Some((Ns::None, "item")) => {
            let Some(item) = &mut state.item else { return };
            match (ns, local.as_str()) {
                (Ns::None, "title") => item.title = text,
                (Ns::None, "link") => item.link = text.trim().to_owned(),
                (Ns::Dc, "creator") => item.creator = text.trim().to_owned(),
                (Ns::Content, "encoded") => item.content = text,
                (Ns::Excerpt, "encoded") => item.excerpt = text,
                (Ns::None, "category") => {
                    if let Some(mut term) = state.item_term.take() {
                        term.name = text.trim().to_owned();
                        item.terms.push(term);
                    }
                }
                (Ns::Wp, field) => {
                    let value = text.trim();
                    match field {
                        "post_id" => item.id = value.parse().unwrap_or(0),
                        "post_date" => item.date = value.to_owned(),
                        "post_date_gmt" => item.date_gmt = value.to_owned(),
                        "post_modified_gmt" => item.modified_gmt = value.to_owned(),
                        "post_name" => item.name = value.to_owned(),
                        "status" => item.status = value.to_owned(),
                        "post_parent" => item.parent = value.parse().unwrap_or(0),
                        "menu_order" => item.menu_order = value.parse().unwrap_or(0),
                        "post_type" => item.post_type = value.to_owned(),
                        "post_password" => item.password = value.to_owned(),
                        "attachment_url" => item.attachment_url = value.to_owned(),
                        "postmeta" => {
                            if let Some(meta) = state.meta.take()
                                && (INDEX_META.contains(&meta.0.as_str()) || meta.0 == "footnotes")
                            {
                                item.meta.push(meta);
                            }
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        Some((Ns::Wp, "postmeta")) => {
            if let Some(meta) = &mut state.meta {
                match local.as_str() {
                    "meta_key" => meta.0 = text.trim().to_owned(),
                    "meta_value" => meta.1 = text,
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(xml: &str) -> Result<Export, ReadError> {
        let mut items = Vec::new();
        let header =
            read_from(xml.as_bytes(), Pass::Index, |item| items.push(item)).map_err(|(e, _)| e)?;
        Ok(Export {
            channel: header.channel,
            authors: header.authors,
            terms: header.terms,
            items,
        })
    }

    fn bodies(xml: &str, wanted: &dyn Fn(usize) -> bool) -> Vec<Item> {
        let mut items = Vec::new();
        read_from(xml.as_bytes(), Pass::Bodies(wanted), |item| {
            items.push(item)
        })
        .map_err(|(e, _)| e.message)
        .unwrap();
        items
    }

    const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="https://wordpress.org/export/1.2/" xmlns:excerpt="https://wordpress.org/export/1.2/excerpt/"><channel>"#;

    #[test]
    fn reads_items_with_meta_terms_and_entities() {
        let xml = format!(
            "{HEAD}<title>A &amp; B</title><wp:wxr_version>1.2</wp:wxr_version>
<item><title>One</title><dc:creator><![CDATA[ann]]></dc:creator><content:encoded><![CDATA[Hi <b>there</b>]]></content:encoded>
<wp:post_id>7</wp:post_id><wp:post_type>post</wp:post_type><category domain=\"category\" nicename=\"econ\"><![CDATA[Economy]]></category>
<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value><![CDATA[9]]></wp:meta_value></wp:postmeta>
<wp:comment><wp:comment_content>x</wp:comment_content></wp:comment></item></channel></rss>"
        );
        let export = read_str(&xml).unwrap();
        assert_eq!(export.channel.title, "A & B");
        let item = &export.items[0];
        assert_eq!(
            (item.id, item.title.as_str(), item.creator.as_str()),
            (7, "One", "ann")
        );
        assert_eq!(item.content, "", "the index has no bodies");
        assert_eq!(item.terms[0].slug, "econ");
        assert_eq!(item.terms[0].name, "Economy");
        assert_eq!(item.meta("_thumbnail_id"), Some("9"));
        assert_eq!(item.comments, 1);
        let with_body = bodies(&xml, &|seq| seq == 0);
        assert_eq!(with_body[0].content, "Hi <b>there</b>");
    }

    #[test]
    fn the_bodies_pass_keeps_only_the_wanted_items_bodies_and_footnotes() {
        let item = |n: usize| {
            format!(
                "<item><title>T{n}</title><content:encoded><![CDATA[Body {n}]]></content:encoded><wp:post_id>{n}</wp:post_id>\
<wp:postmeta><wp:meta_key>footnotes</wp:meta_key><wp:meta_value><![CDATA[[{{\"id\":\"a\"}}]]]></wp:meta_value></wp:postmeta>\
<wp:postmeta><wp:meta_key>_edit_lock</wp:meta_key><wp:meta_value>1</wp:meta_value></wp:postmeta></item>"
            )
        };
        let xml = format!("{HEAD}{}{}{}</channel></rss>", item(10), item(11), item(12));
        let items = bodies(&xml, &|seq| seq != 1);
        let seen: Vec<(usize, &str)> = items.iter().map(|i| (i.seq, i.content.as_str())).collect();
        assert_eq!(seen, [(0, "Body 10"), (2, "Body 12")]);
        assert_eq!(items[1].meta("footnotes"), Some("[{\"id\":\"a\"}]"));
        assert_eq!(items[1].meta("_edit_lock"), None);
        let index = read_str(&xml).unwrap();
        assert_eq!(index.items.len(), 3);
        assert_eq!(
            index.items[2].meta("footnotes"),
            Some(""),
            "no value in the index"
        );
        assert_eq!(index.items[2].title, "T12");
    }

    #[test]
    fn reads_wxr_1_0_and_1_1_namespaces() {
        for version in ["1.0", "1.1"] {
            let xml = format!(
                "<rss xmlns:wp=\"http://wordpress.org/export/{version}/\" xmlns:excerpt=\"http://wordpress.org/export/{version}/excerpt/\"><channel><item><wp:post_id>3</wp:post_id><excerpt:encoded>Short</excerpt:encoded></item></channel></rss>"
            );
            let export = read_str(&xml).unwrap();
            assert_eq!(export.items[0].id, 3);
            assert_eq!(export.items[0].excerpt, "Short");
        }
    }

    #[test]
    fn lines_of_offsets() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.xml");
        std::fs::write(&path, "a\nbc\n\nd").unwrap();
        assert_eq!(
            lines_of(&path, &[0, 1, 2, 5, 6, 7, 99]),
            [1, 1, 2, 3, 4, 4, 4]
        );
    }

    #[test]
    fn refuses_what_is_not_an_export() {
        let html = read_str("<html><body>hi</body></html>").unwrap_err();
        assert!(
            html.message.contains("not a WordPress export"),
            "{}",
            html.message
        );
        let feed =
            read_str("<rss><channel><item><title>x</title></item></channel></rss>").unwrap_err();
        assert!(
            feed.message.contains("without WordPress"),
            "{}",
            feed.message
        );
        let cut = read_str(&format!("{HEAD}<item><title>x</title>")).unwrap_err();
        assert!(cut.message.contains("truncated"), "{}", cut.message);
        let latin = read_str("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss/>").unwrap_err();
        assert!(latin.message.contains("iso-8859-1"), "{}", latin.message);
    }
}
