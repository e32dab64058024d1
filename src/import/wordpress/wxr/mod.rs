//! Reads a WordPress export (WXR 1.0-1.2, an RSS 2.0 file with the `wp:` namespace) as a stream
//! of XML events: the channel's facts, its authors and terms, and one `Item` per `<item>`, handed
//! on as soon as it ends. The importer reads the file twice: first every item without its body
//! (`Pass::Index`, a small index of what links between items need), then only the bodies of the
//! items it imports (`Pass::Bodies`), so a large export is never held whole. Only the fields the
//! importer uses are kept; comments are counted, not stored. Namespaces are resolved by URI, so
//! `http://` and `https://` `wordpress.org/export/1.x/` both count.

mod elements;
mod stream;
#[cfg(test)]
mod tests;

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// The channel: the blog itself.
#[derive(Debug, Default)]
pub(super) struct Channel {
    pub title: String,
    pub link: String,
    pub description: String,
    pub language: String,
    pub base_blog_url: String,
    pub wxr_version: String,
}

#[derive(Debug, Default)]
pub(super) struct Author {
    pub login: String,
    pub display_name: String,
    pub first_name: String,
    pub last_name: String,
    pub description: String,
}

/// A `wp:category`, `wp:tag` or `wp:term` of the channel.
#[derive(Debug, Default, Clone)]
pub(super) struct Term {
    pub id: String,
    pub taxonomy: String,
    pub slug: String,
    pub name: String,
}

/// An item's `<category domain=".." nicename="..">Name</category>`.
#[derive(Debug, Default, Clone)]
pub(super) struct ItemTerm {
    pub domain: String,
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Default)]
pub(super) struct Item {
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
    pub(super) fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// The channel's facts, authors and terms: everything but the items.
#[derive(Debug, Default)]
pub(super) struct Header {
    pub channel: Channel,
    pub authors: Vec<Author>,
    pub terms: Vec<Term>,
}

/// The index of an export: its header and every item without its body.
#[derive(Debug, Default)]
pub(super) struct Export {
    pub channel: Channel,
    pub authors: Vec<Author>,
    pub terms: Vec<Term>,
    pub items: Vec<Item>,
}

/// What a reading keeps.
#[derive(Clone, Copy)]
pub(super) enum Pass<'a> {
    /// Every item, without its body: no `content:encoded`, no comments, and only the post meta
    /// in `INDEX_META`.
    Index,
    /// Only the items `wanted` names by their `seq`, with their body and `footnotes` meta.
    Bodies(&'a dyn Fn(usize) -> bool),
}

/// The post meta the index keeps: featured images, Yoast's primary category, attachments' alt
/// text and menu entries.
pub(super) const INDEX_META: &[&str] = &[
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
pub(super) struct ReadError {
    pub message: String,
    pub position: Option<(usize, usize)>,
    pub hint: String,
}

/// Reads the index of the export at `path`: its header and every item without its body.
pub(super) fn read_index(path: &Path) -> Result<Export, ReadError> {
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
pub(super) fn read(
    path: &Path,
    pass: Pass,
    on_item: impl FnMut(Item),
) -> Result<Header, ReadError> {
    let file = File::open(path).map_err(|e| ReadError {
        message: format!("cannot read the export: {e}"),
        position: None,
        hint: "give the path of the .xml file that WordPress's Tools → Export wrote".to_owned(),
    })?;
    stream::read_from(BufReader::with_capacity(1 << 16, file), pass, on_item).map_err(
        |(mut error, offset)| {
            if let Some(offset) = offset {
                error.position = line_column(path, offset);
            }
            error
        },
    )
}

/// The 1-based lines of the sorted byte `offsets` of the file, in one reading.
pub(super) fn lines_of(path: &Path, offsets: &[u64]) -> Vec<usize> {
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
