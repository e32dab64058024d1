//! Micro-benchmarks of the build's hot stages, on the bundled example site's briefs:
//! front-matter parsing, Markdown rendering with citations, template rendering and writing; and
//! hayagriva formatting citations without dossier's cache (what a first build pays).
//!
//!     cargo bench --bench stages
//!
//! Whole builds against Hugo are measured by `bench/compare.sh`; these isolate one stage each,
//! so that a change to it can be measured on its own (divan reports per-brief or per-page times).

use std::hint::black_box;
use std::path::{Path, PathBuf};

use divan::{Bencher, counter::ItemsCount};
use dossier::load::front_matter;
use dossier::output::Staging;
use dossier::{markdown, pipeline, render};

// The allocator the dossier binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

fn example_site() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The example site's briefs, as files on disk hold them.
fn brief_files() -> Vec<String> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(example_site().join("briefs"))
        .into_iter()
        .flatten()
        .map(|entry| entry.into_path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| std::fs::read_to_string(path).expect("an example brief"))
        .collect()
}

#[divan::bench]
fn front_matter_split_and_parse(bencher: Bencher) {
    let files = brief_files();
    bencher.counter(ItemsCount::new(files.len())).bench(|| {
        for text in &files {
            let split = front_matter::split(text).expect("front matter");
            black_box(front_matter::parse(text, &split).expect("valid front matter"));
        }
    });
}

#[divan::bench]
fn markdown_with_citation_markers(bencher: Bencher) {
    let files = brief_files();
    let starts: Vec<usize> = files
        .iter()
        .map(|text| front_matter::split(text).expect("front matter").body_start)
        .collect();
    bencher.counter(ItemsCount::new(files.len())).bench(|| {
        for (text, &start) in files.iter().zip(&starts) {
            black_box(markdown::render_body(text, start));
        }
    });
}

/// Every page of the example site through the templates, in memory (rendering is parallel, as
/// in a build).
#[divan::bench(sample_count = 20)]
fn templates_every_page(bencher: Bencher) {
    let inputs = pipeline::Inputs {
        root: example_site(),
        base_url: None,
        drafts: false,
    };
    let (site, theme) = pipeline::load_site(&inputs, false).expect("the example site loads");
    let summaries = render::summaries(&site);
    let pages = render::plan(&site);
    bencher.counter(ItemsCount::new(pages.len())).bench(|| {
        render::render_pages(&site, &theme, &summaries, &pages, |_, page| {
            black_box(page);
            Ok(())
        })
        .expect("the example site renders")
    });
}

/// 200 pages of 9 KB, each in its own folder, into a new staging folder (the swap and the
/// deletion of the staging folder are not timed).
#[divan::bench(sample_count = 20)]
fn writing_200_pages(bencher: Bencher) {
    let page = "<p>A paragraph of a brief.</p>\n".repeat(300);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let output = dir.path().join("public");
    bencher
        .counter(ItemsCount::new(200usize))
        .with_inputs(|| Staging::create(&output).expect("staging"))
        .bench_local_values(|staging| {
            for i in 0..200 {
                staging
                    .write(&format!("brief-{i}/index.html"), page.as_bytes())
                    .expect("write");
            }
            // Dropped after the timing: an uncommitted staging folder deletes itself.
            staging
        });
}

/// CSL-JSON items of the kinds policy briefs cite, each different (as a large site's sources are).
fn csl_items(count: usize) -> Vec<hayagriva::citationberg::json::Item> {
    (0..count)
        .map(|k| {
            let year = 1995 + (k % 30) as i64;
            let json = match k % 5 {
                0 => serde_json::json!({
                    "id": format!("S/RES/{}", 2100 + k), "type": "legislation",
                    "title": format!("Resolution {} ({year})", 2100 + k),
                    "author": [{ "literal": "United Nations Security Council" }],
                    "number": format!("S/RES/{} ({year})", 2100 + k),
                    "issued": { "date-parts": [[year, 1 + k % 12, 1 + k % 28]] },
                    "URL": format!("https://undocs.org/S/RES/{}({year})", 2100 + k),
                }),
                1 => serde_json::json!({
                    "id": format!("kdi-{k}"), "type": "report",
                    "title": format!("Export Controls and the Chip Supply Chain, Part {k}"),
                    "author": [{ "family": "Han", "given": "Ji-woo" }, { "family": "Marsh", "given": "Elena" }],
                    "publisher": "Korea Development Institute",
                    "number": format!("Working Paper {year}-{}", k % 40),
                    "issued": { "date-parts": [[year, 1 + k % 12]] },
                    "URL": format!("https://example.org/kdi/{year}/wp-{k}.pdf"),
                }),
                2 => serde_json::json!({
                    "id": format!("okafor{year}-{k}"), "type": "article-journal",
                    "title": format!("Alliance Burden Sharing after {year}"),
                    "author": [{ "family": "Okafor", "given": "Amara" }],
                    "container-title": "Journal of East Asian Studies",
                    "volume": format!("{}", 1 + k % 60), "issue": "2", "page": "101-129",
                    "issued": { "date-parts": [[year]] },
                    "DOI": format!("10.5555/bench.{year}.{k:04}"),
                }),
                3 => serde_json::json!({
                    "id": format!("herald-{k}"), "type": "article-newspaper",
                    "title": format!("Port Strike Enters Its {k}th Day"),
                    "author": [{ "family": "Calloway", "given": "Ruth" }],
                    "container-title": "The Korea Herald",
                    "issued": { "date-parts": [[year, 1 + k % 12, 1 + k % 28]] },
                    "URL": format!("https://news.example.com/herald/{year}/story-{k}"),
                }),
                _ => serde_json::json!({
                    "id": format!("book-{k}"), "type": "book",
                    "title": format!("The Peninsula Economy, Volume {k}"),
                    "author": [{ "family": "Kim", "given": "Min-jun" }],
                    "publisher": "Oxford University Press", "publisher-place": "Oxford",
                    "issued": { "date-parts": [[year]] },
                }),
            };
            serde_json::from_value(json).expect("a CSL-JSON item")
        })
        .collect()
}

/// hayagriva alone (no cache): 50 sources, each cited once with a page, then the bibliography,
/// in Chicago notes and bibliography, the default style. Per source formatted.
#[divan::bench]
fn citations_formatted_by_hayagriva(bencher: Bencher) {
    use hayagriva::archive::{ArchivedStyle, locales};
    use hayagriva::citationberg::Style;
    use hayagriva::citationberg::taxonomy::Locator;
    use hayagriva::{
        BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, LocatorPayload,
        SpecificLocator,
    };
    let Some(Style::Independent(style)) =
        ArchivedStyle::by_name("chicago-notes").map(ArchivedStyle::get)
    else {
        panic!("chicago-notes is bundled");
    };
    // American English only, as dossier passes only the locales a site needs.
    let locales: Vec<_> = locales()
        .into_iter()
        .filter(|l| l.lang == Some(hayagriva::citationberg::LocaleCode::en_us()))
        .collect();
    assert_eq!(locales.len(), 1);
    let items = csl_items(50);
    bencher.counter(ItemsCount::new(items.len())).bench(|| {
        let mut driver = BibliographyDriver::new();
        for (n, item) in items.iter().enumerate() {
            let locator = SpecificLocator(Locator::Page, LocatorPayload::Str("12"));
            driver.citation(CitationRequest::new(
                vec![CitationItem::with_locator(item, Some(locator))],
                &style,
                None,
                &locales,
                Some(n + 1),
            ));
        }
        black_box(driver.finish(BibliographyRequest::new(&style, None, &locales)))
    });
}
