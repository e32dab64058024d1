//! Micro-benchmarks of the build's hot stages, on the bundled example site's briefs:
//! front-matter parsing, Markdown rendering with citations, template rendering and writing.
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
