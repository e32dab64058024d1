//! What each element of an export starts and ends: the record it fills and the field its text
//! goes to.

use quick_xml::events::BytesStart;

use super::stream::{Ns, State, attribute};
use super::{Author, Header, INDEX_META, Item, ItemTerm, Pass, Term};

/// What starts with an element: a record being filled, or text the pass skips.
pub(super) fn open(
    state: &mut State,
    pass: Pass,
    ns: Ns,
    local: &str,
    start: &BytesStart,
    offset: u64,
) {
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
pub(super) fn close(state: &mut State, header: &mut Header, on_item: &mut impl FnMut(Item)) {
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
        Some((Ns::None, "channel")) => {
            close_in_channel(state, header, on_item, (ns, &local), text, text_skipped)
        }
        Some((Ns::Wp, "author")) if depth == 3 => {
            if let Some(author) = &mut state.author {
                author_field(author, &local, text.trim());
            }
        }
        Some((Ns::Wp, "category" | "tag" | "term")) if depth == 3 => {
            if let Some(term) = &mut state.term {
                term_field(term, &local, text.trim());
            }
        }
        Some((Ns::None, "item")) => close_in_item(state, (ns, &local), text),
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

/// A child of `<channel>` ends: the blog's facts, or an author, term or item is complete.
fn close_in_channel(
    state: &mut State,
    header: &mut Header,
    on_item: &mut impl FnMut(Item),
    (ns, local): (Ns, &str),
    text: String,
    text_skipped: bool,
) {
    match (ns, local) {
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
    }
}

fn author_field(author: &mut Author, local: &str, text: &str) {
    let text = text.to_owned();
    match local {
        "author_login" => author.login = text,
        "author_display_name" => author.display_name = text,
        "author_first_name" => author.first_name = text,
        "author_last_name" => author.last_name = text,
        "author_description" => author.description = text,
        _ => {}
    }
}

fn term_field(term: &mut Term, local: &str, text: &str) {
    let text = text.to_owned();
    match local {
        "term_id" => term.id = text,
        "category_nicename" | "tag_slug" | "term_slug" => term.slug = text,
        "cat_name" | "tag_name" | "term_name" => term.name = text,
        "term_taxonomy" => term.taxonomy = text,
        _ => {}
    }
}

/// A child of `<item>` ends: its text goes to the item's field.
fn close_in_item(state: &mut State, (ns, local): (Ns, &str), text: String) {
    let Some(item) = &mut state.item else { return };
    match (ns, local) {
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
        (Ns::Wp, "postmeta") => {
            if let Some(meta) = state.meta.take()
                && (INDEX_META.contains(&meta.0.as_str()) || meta.0 == "footnotes")
            {
                item.meta.push(meta);
            }
        }
        (Ns::Wp, field) => wp_field(item, field, text.trim()),
        _ => {}
    }
}

fn wp_field(item: &mut Item, field: &str, value: &str) {
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
        _ => {}
    }
}
