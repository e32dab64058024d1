//! The export as a stream of XML events: which namespace each element is in, what the reader is
//! inside of, and the errors that say where the file stops being an export.

use std::io::BufRead;

use quick_xml::events::{BytesDecl, BytesRef, BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use super::elements::{close, open};
use super::{Author, Header, Item, ItemTerm, Pass, ReadError, Term};

/// Which namespace an element is in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Ns {
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
pub(super) struct State {
    /// Element names from the root, each with its namespace.
    pub(super) stack: Vec<(Ns, String)>,
    pub(super) text: String,
    pub(super) item: Option<Item>,
    pub(super) author: Option<Author>,
    pub(super) term: Option<Term>,
    pub(super) item_term: Option<ItemTerm>,
    pub(super) meta: Option<(String, String)>,
    pub(super) saw_wp: bool,
    /// Items begun so far.
    pub(super) items: usize,
    /// While set, text is not kept: the depth of the element whose text the pass does not need.
    pub(super) skip_from: Option<usize>,
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

pub(super) fn read_from<R: BufRead>(
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
        if let Event::Eof = event {
            if let Some((_, open)) = state.stack.last() {
                return Err(error(
                    format!("the export ends inside <{open}>: the file is truncated"),
                    REEXPORT,
                    reader.buffer_position(),
                ));
            }
            break;
        }
        on_event(
            &mut state,
            &mut header,
            &mut on_item,
            pass,
            ns,
            event,
            before,
        )?;
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

/// One event before the end of the file, which starts at byte `before`.
fn on_event(
    state: &mut State,
    header: &mut Header,
    on_item: &mut impl FnMut(Item),
    pass: Pass,
    ns: Ns,
    event: Event,
    before: u64,
) -> Result<(), (ReadError, Option<u64>)> {
    let not_utf8 = |e: &dyn std::fmt::Display| {
        error(
            format!("the export is not valid UTF-8: {e}"),
            "save the export as UTF-8",
            before,
        )
    };
    match event {
        Event::Decl(decl) => check_encoding(&decl, before)?,
        Event::Start(start) => {
            let local = local_name(&start);
            if state.stack.is_empty() && (ns, local.as_str()) != (Ns::None, "rss") {
                return Err(not_wxr(
                    format!("its root element is <{local}>, not <rss>"),
                    before,
                ));
            }
            open(state, pass, ns, &local, &start, before);
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
            open(state, pass, ns, &local, &start, before);
            state.stack.push((ns, local));
            state.text.clear();
            close(state, header, on_item);
        }
        Event::End(_) => close(state, header, on_item),
        Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) if state.skip_from.is_some() => {}
        Event::Text(text) => {
            let text = text.xml_content().map_err(|e| not_utf8(&e))?;
            state.text.push_str(&text);
        }
        Event::CData(data) => {
            let text = data.decode().map_err(|e| not_utf8(&e))?;
            state.text.push_str(&text.replace("\r\n", "\n"));
        }
        Event::GeneralRef(reference) => push_reference(&mut state.text, &reference),
        Event::Eof | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
    }
    Ok(())
}

/// WordPress writes UTF-8; an export declaring another encoding was converted by something else.
fn check_encoding(decl: &BytesDecl, before: u64) -> Result<(), (ReadError, Option<u64>)> {
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
    Ok(())
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

pub(super) fn attribute(start: &BytesStart, name: &str) -> String {
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
