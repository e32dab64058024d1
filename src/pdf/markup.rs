//! A brief as one Typst document: the organization's header, the disclosure at the top of page 1,
//! title, authors and dates, the lead image, the body with its notes as footnotes, references,
//! author bios, acknowledgments, and a footer with the brief's URL and page numbers.
//!
//! Notes are footnotes, at the foot of the page that cites them, whatever the style: a printed
//! brief is read on paper, where a reader checks a source without turning to the end (Chicago's
//! notes-bibliography style is a footnote style in print; endnotes are the web page's substitute
//! for pages). They keep the page's numbers, so "see note 3" reads the same in both, and the
//! full bibliography still closes the brief.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::escape::{string, text};
use super::html::{self, Resolver};
use super::world;
use crate::render::href;
use crate::render::theme::StaticFile;
use crate::render::urls::Urls;
use crate::site::{Brief, Site};

/// A brief's document, ready to compile.
pub struct Document {
    pub markup: String,
    /// Typst path and bytes of each image the markup shows.
    pub images: Vec<(String, Vec<u8>)>,
    /// Where each image came from, for warnings: (Typst path, what the brief wrote).
    pub image_sources: Vec<(String, String)>,
    /// Images found but not decodable, shown as their descriptions: (what the brief wrote, why).
    pub undecodable: Vec<(String, String)>,
    pub widest_table: usize,
}

/// Whether images are placed (a second attempt, after one failed to decode, leaves them out).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Images {
    Placed,
    Described,
}

pub fn document(
    site: &Site,
    static_files: &BTreeMap<String, StaticFile>,
    b: usize,
    paper: &str,
    images: Images,
) -> Document {
    let brief = &site.briefs[b];
    let urls = Urls::new(&site.config);
    let page_url = urls.brief(&brief.loaded.slug);
    let permalink = urls.permalink(&page_url);
    let (body_html, notes) = crate::render::brief::body_and_notes(site, site.citations_of(b, None));
    let notes: BTreeMap<usize, String> = notes.into_iter().map(|n| (n.number, n.html)).collect();
    let mut resolver = Files {
        site,
        static_files,
        urls: &urls,
        page_url: &page_url,
        notes,
        images,
        placed: Vec::new(),
        sources: Vec::new(),
        undecodable: Vec::new(),
    };
    let authors: Vec<&str> = brief
        .authors
        .iter()
        .map(|&a| site.authors[a].config.name.as_str())
        .collect();
    let mut m = String::with_capacity(body_html.len() * 2 + 4096);
    let footer_url = format!("#link({})[{}]", string(&permalink), text(&permalink));
    settings(&mut m, site, brief, &authors, paper, &footer_url);
    letterhead(&mut m, site);
    // The disclosure, conspicuous at the top of the first page.
    let disclosure = crate::fara::disclosure_html(site, brief);
    if !disclosure.is_empty() {
        m.push_str(
            "#block(width: 100%, fill: luma(238), stroke: 1.5pt + black, inset: 9pt, radius: 2pt)[#text(weight: \"bold\", size: 11pt)[Disclosure] \\\n#text(size: 10.5pt, weight: \"bold\")[",
        );
        html::convert(&disclosure, &mut resolver, &mut m);
        m.push_str("]]\n\n");
    }
    title_block(&mut m, site, brief, &authors);
    lead_image(&mut m, brief, &urls, &mut resolver);
    let report = html::convert(&body_html, &mut resolver, &mut m);
    m.push_str("\n\n");
    references(&mut m, site, brief, &mut resolver);
    back_matter(&mut m, site, brief, &mut resolver);
    let _ = writeln!(
        m,
        "#v(1em)\n#text(size: 8.5pt, fill: luma(70))[Read online: {footer_url}]"
    );
    Document {
        markup: m,
        images: resolver.placed,
        image_sources: resolver.sources,
        undecodable: resolver.undecodable,
        widest_table: report.widest_table,
    }
}

/// A Typst array of strings.
fn list(items: &[&str]) -> String {
    let mut out: String = items.iter().map(|s| string(s) + ",").collect();
    out.insert(0, '(');
    out.push(')');
    out
}

/// The document's metadata, fonts, page (with the footer) and the look of its elements.
fn settings(
    m: &mut String,
    site: &Site,
    brief: &Brief,
    authors: &[&str],
    paper: &str,
    footer_url: &str,
) {
    let front = &brief.loaded.front;
    let keywords: Vec<&str> = brief
        .category
        .map(|c| site.categories[c].name.as_str())
        .into_iter()
        .chain(brief.tags.iter().map(|&t| site.tags[t].name.as_str()))
        .collect();
    let date = front.updated.unwrap_or(front.date);
    let at = date.timestamp.to_zoned_datetime(jiff::tz::TimeZone::UTC);
    let _ = writeln!(
        m,
        "#set document(title: {}, author: {}, description: {}, keywords: {}, date: datetime(year: {}, month: {}, day: {}, hour: {}, minute: {}, second: {}))",
        string(&front.title),
        list(authors),
        string(&brief.summary),
        list(&keywords),
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
    );
    let serif = list(world::SERIF);
    let mono = list(world::MONO);
    let _ = writeln!(
        m,
        "#set text(font: {serif}, size: 10.5pt, lang: {}, fallback: false)",
        string(language(&site.config.language))
    );
    let _ = writeln!(m, "#show raw: set text(font: {mono}, size: 9pt)");
    let _ = writeln!(
        m,
        "#set page(paper: {}, margin: (x: 2.2cm, top: 2cm, bottom: 2.4cm), footer: context [#set text(size: 8pt, fill: luma(70)); {footer_url} #h(1fr) Page #counter(page).display() of #counter(page).final().first()])",
        string(paper)
    );
    m.push_str(concat!(
        "#set par(justify: true, leading: 0.62em, spacing: 1.1em)\n",
        "#set heading(numbering: none)\n",
        "#show heading.where(level: 1): set text(size: 19pt, weight: \"bold\")\n",
        "#show heading.where(level: 2): set text(size: 13pt, weight: \"bold\")\n",
        "#show heading: set block(above: 1.3em, below: 0.7em)\n",
        "#show link: set text(fill: rgb(\"#1d4e89\"))\n",
        "#set footnote.entry(separator: line(length: 30%, stroke: 0.5pt))\n",
        "#set table(stroke: 0.5pt + luma(150), inset: 5pt)\n",
        "#show figure.caption: set text(size: 9pt)\n",
        "#set figure(numbering: none)\n",
        "#show quote.where(block: true): set pad(x: 1.5em)\n",
    ));
}

/// The organization's header.
fn letterhead(m: &mut String, site: &Site) {
    let (name, details) = match &site.config.organization {
        Some(org) => {
            let details: Vec<&str> = [
                org.address.as_deref(),
                org.phone.as_deref(),
                org.url.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect();
            (org.name.as_str(), details)
        }
        None => (site.config.title.as_str(), Vec::new()),
    };
    let _ = write!(
        m,
        "#block(width: 100%, stroke: (bottom: 1pt + luma(40)), inset: (bottom: 6pt))[#text(size: 13pt, weight: \"bold\")[{}]",
        text(name)
    );
    if !details.is_empty() {
        let joined: Vec<String> = details.iter().map(|d| text(d)).collect();
        let _ = write!(m, " \\\n#text(size: 8.5pt)[{}]", joined.join(" · "));
    }
    m.push_str("]\n\n");
}

/// Category, title, authors, dates.
fn title_block(m: &mut String, site: &Site, brief: &Brief, authors: &[&str]) {
    let front = &brief.loaded.front;
    if let Some(c) = brief.category {
        let _ = writeln!(
            m,
            "#text(size: 9pt, weight: \"bold\", fill: luma(80))[{}]\n",
            text(&site.categories[c].name.to_uppercase())
        );
    }
    let _ = writeln!(m, "#heading(level: 1)[{}]\n", text(&front.title));
    if !authors.is_empty() {
        let _ = writeln!(m, "By {}\n", text(&join_names(authors)));
    }
    let _ = write!(
        m,
        "#text(fill: luma(60))[Published {}",
        text(&front.date.display())
    );
    if let Some(updated) = front.updated {
        let _ = write!(m, " · Updated {}", text(&updated.display()));
    }
    m.push_str("]\n\n");
}

/// The lead image with its credit.
fn lead_image(m: &mut String, brief: &Brief, urls: &Urls, resolver: &mut Files<'_>) {
    let front = &brief.loaded.front;
    let Some(image) = &front.image else {
        return;
    };
    let alt = front.image_alt.as_deref().unwrap_or("");
    match resolver.image(&urls.asset(image)) {
        Some(path) => {
            let _ = write!(
                m,
                "#figure(image({}, alt: {}, width: 100%, height: 7cm, fit: \"contain\")",
                string(&path),
                string(alt)
            );
            if let Some(credit) = &front.image_credit {
                let credit = if credit.contains(':') {
                    credit.clone()
                } else {
                    format!("Photo credit: {credit}")
                };
                let _ = write!(m, ", caption: [{}]", text(&credit));
            }
            m.push_str(")\n\n");
        }
        // Not among the site's files (a web address), or left out: its description.
        None if !alt.is_empty() => {
            let _ = writeln!(m, "{}\n", html::described(alt));
        }
        None => {}
    }
}

/// The brief's references: numbered in a numeric style, else with a hanging indent.
fn references(m: &mut String, site: &Site, brief: &Brief, resolver: &mut Files<'_>) {
    let listed = site.listed_references(brief);
    if listed.is_empty() {
        return;
    }
    m.push_str("#heading(level: 2)[References]\n\n");
    let numeric = site.style.is_numeric();
    if numeric {
        m.push_str("#enum(");
    }
    for &s in &listed {
        if numeric {
            m.push('[');
        } else {
            m.push_str("#par(hanging-indent: 1.5em, justify: false)[");
        }
        html::convert(&site.sources[s].reference_html, resolver, m);
        m.push_str(if numeric { "]," } else { "]\n" });
    }
    if numeric {
        m.push_str(")\n");
    }
    m.push('\n');
}

/// About the authors, and the acknowledgments.
fn back_matter(m: &mut String, site: &Site, brief: &Brief, resolver: &mut Files<'_>) {
    if !brief.authors.is_empty() {
        let plural = if brief.authors.len() > 1 { "s" } else { "" };
        let _ = writeln!(m, "#heading(level: 2)[About the author{plural}]\n");
        for &a in &brief.authors {
            let author = &site.authors[a];
            let _ = write!(m, "#strong[{}]", text(&author.config.name));
            if let Some(title) = &author.config.title {
                let _ = write!(m, ", {}", text(title));
            }
            m.push_str("\n\n");
            html::convert(&author.bio_html, resolver, m);
            m.push_str("\n\n");
        }
    }
    if !brief.acknowledgments_html.is_empty() {
        m.push_str("#heading(level: 2)[Acknowledgments]\n\n");
        html::convert(&brief.acknowledgments_html, resolver, m);
        m.push_str("\n\n");
    }
}

/// "A", "A and B", "A, B and C".
fn join_names(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Typst wants an ISO 639 code: `en` of `en-US`.
fn language(tag: &str) -> &str {
    let primary = tag.split(['-', '_']).next().unwrap_or("en");
    if (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_alphabetic()) {
        primary
    } else {
        "en"
    }
}

/// The site's files as the converter sees them.
struct Files<'a> {
    site: &'a Site,
    static_files: &'a BTreeMap<String, StaticFile>,
    urls: &'a Urls,
    page_url: &'a str,
    notes: BTreeMap<usize, String>,
    images: Images,
    placed: Vec<(String, Vec<u8>)>,
    sources: Vec<(String, String)>,
    undecodable: Vec<(String, String)>,
}

impl Files<'_> {
    fn origin(&self) -> String {
        self.urls.permalink("")
    }
}

impl Resolver for Files<'_> {
    fn image(&mut self, src: &str) -> Option<String> {
        if self.images == Images::Described {
            return None;
        }
        let origin = self.origin();
        let href::Target::Local { path, .. } = href::resolve(self.page_url, src, &origin) else {
            return None;
        };
        let base = self.urls.home();
        let decode = |p: &str| {
            percent_encoding::percent_decode_str(p)
                .decode_utf8_lossy()
                .into_owned()
        };
        // Where a browser finds it, else the path as written under static/ (`images/x.png` in a
        // brief means the site's image to most authors, whatever page it is on).
        let written = src.trim_start_matches("./").trim_start_matches('/');
        let (rel, file) = [
            decode(path.strip_prefix(&base).unwrap_or(&path)),
            decode(written),
        ]
        .into_iter()
        .find_map(|rel| {
            let file = self.static_files.get(&rel)?;
            Some((rel, file))
        })?;
        let bytes = match file {
            StaticFile::Embedded(bytes) => bytes.to_vec(),
            StaticFile::Disk(path) => std::fs::read(path).ok()?,
        };
        // One broken file must not cost the brief its other images: each is decoded here, as
        // Typst will (its decoders are memoized, so the PDF does not decode it again).
        if let Err(why) = decodable(&bytes) {
            self.undecodable.push((src.to_owned(), why));
            return None;
        }
        let extension = rel
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .filter(|e| e.len() <= 5 && e.bytes().all(|b| b.is_ascii_alphanumeric()))
            .unwrap_or_else(|| "bin".to_owned());
        let path = world::image_path(self.placed.len(), &extension);
        self.placed.push((path.clone(), bytes));
        self.sources.push((path.clone(), src.to_owned()));
        Some(path)
    }

    fn note(&self, number: usize) -> Option<&str> {
        self.notes.get(&number).map(String::as_str)
    }

    fn link(&self, href: &str) -> Option<String> {
        if href.starts_with('#') {
            return None;
        }
        let _ = self.site;
        Some(href::absolute(self.page_url, href, &self.origin()))
    }
}

/// Whether Typst can show these image bytes, and if not, why.
fn decodable(bytes: &[u8]) -> Result<(), String> {
    use typst::foundations::Bytes;
    use typst::visualize::{ImageFormat, RasterFormat, RasterImage, SvgImage, VectorFormat};
    match ImageFormat::detect(bytes) {
        Some(ImageFormat::Raster(RasterFormat::Exchange(format))) => {
            RasterImage::plain(Bytes::new(bytes.to_vec()), format)
                .map(drop)
                .map_err(|e| e.to_string())
        }
        Some(ImageFormat::Vector(VectorFormat::Svg)) => SvgImage::new(Bytes::new(bytes.to_vec()))
            .map(drop)
            .map_err(|e| format!("{e:?}")),
        Some(_) => Ok(()),
        None => Err("not an image format the PDF can show (PNG, JPEG, GIF, WebP, SVG)".to_owned()),
    }
}
