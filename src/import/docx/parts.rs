//! The parts of a Word document read into blocks: the body with its title and subtitle, the
//! footnotes and endnotes, and the citations found in them.

use std::collections::HashMap;

use super::model::{Block, Piece};
use super::package::{self, Package, Problem};
use super::{read, sources, styles, xml};

/// The parts of a document, read and parsed.
pub(super) struct Parts {
    pub(super) body: Vec<Block>,
    pub(super) notes: HashMap<(bool, String), Vec<Block>>,
    pub(super) title: Option<Vec<Piece>>,
    pub(super) subtitle: Option<Vec<Piece>>,
    pub(super) collector: sources::Collector,
    pub(super) report: read::Report,
}

/// The name and text of the main document part (by the package's relationships, else the usual
/// name); a file that is another kind of zip archive is told apart.
fn main_part(package: &mut Package) -> Result<(String, String), Problem> {
    let root_rels = package.relationships("")?;
    let main = root_rels
        .values()
        .find(|r| r.kind == "officeDocument" && !r.external)
        .map(|r| r.target.clone())
        .filter(|t| package.has(t))
        .unwrap_or_else(|| "word/document.xml".to_owned());
    let Some(document) = package.xml(&main)? else {
        let what = if package.has("mimetype") || package.has("content.xml") {
            "it is an OpenDocument file (.odt), not a Word document"
        } else if package.has("xl/workbook.xml") || package.has("ppt/presentation.xml") {
            "it is an Excel or PowerPoint file, not a Word document"
        } else {
            "it is a zip archive, but not a Word document"
        };
        return Err(Problem {
            message: format!("the document has no word/document.xml: {what}"),
            hint: "open it in Word or LibreOffice and save it as a Word document (.docx)",
        });
    };
    Ok((main, document))
}

pub(super) fn read_parts(package: &mut Package) -> Result<Parts, Problem> {
    let (main, document) = main_part(package)?;
    let rels = package.relationships(&main)?;
    let part_of = |kind: &str, default: &str| {
        rels.values()
            .find(|r| r.kind == kind && !r.external)
            .map_or_else(|| default.to_owned(), |r| r.target.clone())
    };
    let styles_text = package.xml(&part_of("styles", "word/styles.xml"))?;
    let numbering_text = package.xml(&part_of("numbering", "word/numbering.xml"))?;
    let footnotes_name = part_of("footnotes", "word/footnotes.xml");
    let endnotes_name = part_of("endnotes", "word/endnotes.xml");
    let footnotes_text = package.xml(&footnotes_name)?;
    let endnotes_text = package.xml(&endnotes_name)?;

    let styles = match &styles_text {
        Some(text) => styles::Styles::parse(&package::parse_xml(text, "word/styles.xml")?),
        None => styles::Styles::default(),
    };
    let numbering = match &numbering_text {
        Some(text) => styles::Numbering::parse(&package::parse_xml(text, "word/numbering.xml")?),
        None => styles::Numbering::default(),
    };
    let doc = package::parse_xml(&document, &main)?;
    let mut collector = sources::Collector::default();
    let mut report = read::Report::default();
    let mut reader = read::Reader::new(
        &styles,
        &numbering,
        &rels,
        &mut collector,
        &mut report,
        false,
    );
    let body = xml::child(doc.root_element(), "body")
        .map(|b| reader.blocks(b))
        .unwrap_or_default();
    let (title, subtitle) = (reader.title.take(), reader.subtitle.take());
    let mut notes = HashMap::new();
    for (text, name, endnote) in [
        (&footnotes_text, &footnotes_name, false),
        (&endnotes_text, &endnotes_name, true),
    ] {
        let Some(text) = text else { continue };
        let notes_doc = package::parse_xml(text, name)?;
        let note_rels = package.relationships(name)?;
        let mut reader = read::Reader::new(
            &styles,
            &numbering,
            &note_rels,
            &mut collector,
            &mut report,
            true,
        );
        for (id, blocks) in read::notes(&mut reader, notes_doc.root_element()) {
            notes.insert((endnote, id), blocks);
        }
    }
    Ok(Parts {
        body,
        notes,
        title,
        subtitle,
        collector,
        report,
    })
}
