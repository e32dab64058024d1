//! A small .docx writer for tests (and the import benchmark's generator): a Word document is a zip
//! of XML parts, so a test writes exactly the WordprocessingML it is about.

use std::io::Write;

pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL_BASE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// The styles every test document has: Normal, Title, headings 1-3, Quote, List Paragraph,
/// footnote text, with Word's built-in English names.
const BASE_STYLES: &str = r#"
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/></w:style>
<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/></w:style>
<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/></w:style>
<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style>
"#;

#[derive(Default, Clone)]
pub struct Docx {
    body: String,
    styles: String,
    numbering: Option<String>,
    footnotes: Vec<(String, String)>,
    endnotes: Vec<(String, String)>,
    rels: Vec<(String, String, String, bool)>,
    footnote_rels: Vec<(String, String, String, bool)>,
    media: Vec<(String, Vec<u8>)>,
    core: Option<String>,
    custom: Option<String>,
    /// Parts written as they are (name, content), e.g. a damaged or huge part.
    raw: Vec<(String, Vec<u8>)>,
    no_document: bool,
}

impl Docx {
    pub fn new() -> Docx {
        Docx::default()
    }

    /// Appends body XML (paragraphs, tables).
    pub fn body(mut self, xml: &str) -> Docx {
        self.body.push_str(xml);
        self
    }

    /// Appends `<w:style>` elements to styles.xml.
    pub fn styles(mut self, xml: &str) -> Docx {
        self.styles.push_str(xml);
        self
    }

    /// The inside of `<w:numbering>`.
    pub fn numbering(mut self, xml: &str) -> Docx {
        self.numbering = Some(xml.to_owned());
        self
    }

    pub fn footnote(mut self, id: &str, xml: &str) -> Docx {
        self.footnotes.push((id.to_owned(), xml.to_owned()));
        self
    }

    pub fn endnote(mut self, id: &str, xml: &str) -> Docx {
        self.endnotes.push((id.to_owned(), xml.to_owned()));
        self
    }

    /// A relationship of document.xml (`kind` is the last segment of the type URI).
    pub fn rel(mut self, id: &str, kind: &str, target: &str, external: bool) -> Docx {
        self.rels
            .push((id.to_owned(), kind.to_owned(), target.to_owned(), external));
        self
    }

    /// A relationship of footnotes.xml.
    pub fn footnote_rel(mut self, id: &str, kind: &str, target: &str, external: bool) -> Docx {
        self.footnote_rels
            .push((id.to_owned(), kind.to_owned(), target.to_owned(), external));
        self
    }

    /// A file under `word/` (e.g. `media/chart.png`).
    pub fn media(mut self, name: &str, bytes: &[u8]) -> Docx {
        self.media.push((format!("word/{name}"), bytes.to_vec()));
        self
    }

    /// docProps/core.xml with a title and authors (`;`-separated).
    pub fn core(mut self, title: &str, creator: &str) -> Docx {
        self.core = Some(format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>{}</dc:title><dc:creator>{}</dc:creator><cp:keywords>sanctions; energy</cp:keywords></cp:coreProperties>"#,
            escape(title),
            escape(creator)
        ));
        self
    }

    /// A custom document property (docProps/custom.xml) holding a text value.
    pub fn custom_property(mut self, name: &str, value: &str) -> Docx {
        self.custom = Some(format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="{}"><vt:lpwstr>{}</vt:lpwstr></property></Properties>"#,
            escape(name),
            escape(value)
        ));
        self
    }

    /// A part written as given, compressed.
    pub fn raw(mut self, name: &str, bytes: Vec<u8>) -> Docx {
        self.raw.push((name.to_owned(), bytes));
        self
    }

    /// Leaves word/document.xml out.
    pub fn without_document(mut self) -> Docx {
        self.no_document = true;
        self
    }

    pub fn bytes(&self) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let mut put = |name: &str, bytes: &[u8]| {
            zip.start_file(name, options).expect("zip entry");
            zip.write_all(bytes).expect("zip write");
        };
        put("[Content_Types].xml", CONTENT_TYPES.as_bytes());
        let mut root_rels = vec![(
            "rId1".to_owned(),
            "officeDocument".to_owned(),
            "word/document.xml".to_owned(),
            false,
        )];
        if let Some(core) = &self.core {
            put("docProps/core.xml", core.as_bytes());
            root_rels.push((
                "rId2".into(),
                "metadata/core-properties".into(),
                "docProps/core.xml".into(),
                false,
            ));
        }
        if let Some(custom) = &self.custom {
            put("docProps/custom.xml", custom.as_bytes());
        }
        put("_rels/.rels", rels(&root_rels).as_bytes());
        if !self.no_document {
            let document = format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}" xmlns:r="{R}" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>{}<w:sectPr/></w:body></w:document>"#,
                self.body
            );
            put("word/document.xml", document.as_bytes());
        }
        let styles = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="{W}">{BASE_STYLES}{}</w:styles>"#,
            self.styles
        );
        put("word/styles.xml", styles.as_bytes());
        let mut doc_rels = vec![(
            "rIdStyles".to_owned(),
            "styles".to_owned(),
            "styles.xml".to_owned(),
            false,
        )];
        if let Some(numbering) = &self.numbering {
            let xml = format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering xmlns:w="{W}">{numbering}</w:numbering>"#
            );
            put("word/numbering.xml", xml.as_bytes());
            doc_rels.push((
                "rIdNum".into(),
                "numbering".into(),
                "numbering.xml".into(),
                false,
            ));
        }
        for (part, notes, tag) in [
            ("footnotes", &self.footnotes, "footnote"),
            ("endnotes", &self.endnotes, "endnote"),
        ] {
            if notes.is_empty() {
                continue;
            }
            let mut xml = format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{part} xmlns:w="{W}" xmlns:r="{R}"><w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}><w:{tag} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{tag}>"#
            );
            for (id, body) in notes {
                xml.push_str(&format!(r#"<w:{tag} w:id="{id}">{body}</w:{tag}>"#));
            }
            xml.push_str(&format!("</w:{part}>"));
            put(&format!("word/{part}.xml"), xml.as_bytes());
            doc_rels.push((
                format!("rId{part}"),
                part.to_owned(),
                format!("{part}.xml"),
                false,
            ));
        }
        if !self.footnote_rels.is_empty() {
            put(
                "word/_rels/footnotes.xml.rels",
                rels(&self.footnote_rels).as_bytes(),
            );
        }
        doc_rels.extend(self.rels.iter().cloned());
        put("word/_rels/document.xml.rels", rels(&doc_rels).as_bytes());
        for (name, bytes) in self.media.iter().chain(&self.raw) {
            put(name, bytes);
        }
        zip.finish().expect("finish zip").into_inner()
    }

    pub fn write(&self, path: &std::path::Path) {
        std::fs::write(path, self.bytes()).expect("write the .docx");
    }
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

fn rels(rels: &[(String, String, String, bool)]) -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (id, kind, target, external) in rels {
        let kind = if kind.starts_with("metadata/") {
            format!("http://schemas.openxmlformats.org/package/2006/relationships/{kind}")
        } else {
            format!("{REL_BASE}/{kind}")
        };
        let mode = if *external {
            r#" TargetMode="External""#
        } else {
            ""
        };
        xml.push_str(&format!(
            r#"<Relationship Id="{id}" Type="{kind}" Target="{}"{mode}/>"#,
            escape(target)
        ));
    }
    xml.push_str("</Relationships>");
    xml
}

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A run of plain text.
pub fn run(text: &str) -> String {
    format!(
        r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r>"#,
        escape(text)
    )
}

/// A run with run properties (`<w:b/><w:i/>`...).
pub fn run_with(rpr: &str, text: &str) -> String {
    format!(
        r#"<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{}</w:t></w:r>"#,
        escape(text)
    )
}

/// A paragraph of runs and other inline XML.
pub fn p(inner: &str) -> String {
    format!("<w:p>{inner}</w:p>")
}

/// A paragraph in a style.
pub fn styled(style: &str, inner: &str) -> String {
    format!(r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{inner}</w:p>"#)
}

/// A paragraph of plain text.
pub fn para(text: &str) -> String {
    p(&run(text))
}

/// A complex field: instruction split over two `instrText` runs, as Word does, then the result.
pub fn field(instruction: &str, result: &str) -> String {
    let mut half = instruction.len() / 2;
    while !instruction.is_char_boundary(half) {
        half += 1;
    }
    let (a, b) = instruction.split_at(half);
    format!(
        r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">{}</w:instrText></w:r><w:r><w:instrText xml:space="preserve">{}</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>{}<w:r><w:fldChar w:fldCharType="end"/></w:r>"#,
        escape(a),
        escape(b),
        run(result)
    )
}

/// A Zotero citation field for `items` (JSON objects of `citationItems`).
pub fn zotero(items: &str, shown: &str, note_index: u32) -> String {
    field(
        &format!(
            r#" ADDIN ZOTERO_ITEM CSL_CITATION {{"citationID":"a1b2c3","properties":{{"formattedCitation":"{shown}","plainCitation":"{shown}","noteIndex":{note_index}}},"citationItems":[{items}],"schema":"https://github.com/citation-style-language/schema/raw/master/csl-citation.json"}} "#
        ),
        shown,
    )
}

/// A Mendeley citation field.
pub fn mendeley(items: &str, shown: &str) -> String {
    field(
        &format!(
            r#" ADDIN CSL_CITATION {{"citationItems":[{items}],"mendeley":{{"formattedCitation":"{shown}"}},"properties":{{"noteIndex":0}},"schema":"https://github.com/citation-style-language/schema/raw/master/csl-citation.json"}}"#
        ),
        shown,
    )
}

/// A footnote reference run.
pub fn footnote_ref(id: &str) -> String {
    format!(
        r#"<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="{id}"/></w:r>"#
    )
}

/// The body of a footnote: a paragraph with the note mark and `inner`.
pub fn note_body(inner: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>{inner}</w:p>"#
    )
}

/// An inline picture of relationship `rel` with alt text.
pub fn picture(rel: &str, alt: &str) -> String {
    format!(
        r#"<w:r><w:drawing><wp:inline><wp:extent cx="952500" cy="952500"/><wp:docPr id="1" name="Picture 1" descr="{}"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:blipFill><a:blip r:embed="{rel}"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#,
        escape(alt)
    )
}
