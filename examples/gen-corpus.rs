//! Writes a synthetic dossier site of N briefs for benchmarks, and optionally the equivalent Hugo
//! site (same Markdown bodies, Hugo front matter, the minimal templates of `bench/hugo/`).
//!
//! ```sh
//! cargo run --release --example gen-corpus -- N DIR [--seed S] [--hugo HUGO_DIR]
//!     [--shape standard|independent|small] [--authors N] [--categories N] [--tags N]
//!     [--tags-per-brief N] [--words N] [--sources N] [--citations LO-HI] [--zipf X]
//!     [--wxr FILE]
//! ```
//!
//! `--wxr FILE` also writes the corpus as a WordPress export (see `gen_corpus/wxr.rs`), for
//! benchmarking `dossier import wordpress`.
//!
//! The standard shape: `site.toml` with 200 authors, `briefs/<year>/` with one brief per file.
//! Each brief has one or two authors, one of 20 categories, three of 100 tags, a date over ten
//! years, a summary on half of them (TOML front matter on four in five, YAML on the rest) and a
//! body of about 1,250 words with `##` headings, a bulleted and a numbered list, a table, a
//! footnote, links, and 3-8 Pandoc citation markers (`[@id]`, `[@id, p. 4]`, `[see @a; @b]`) into
//! a pool of 500 sources cited with a Zipf-like skew (exponent 0.8), so that the most popular
//! sources are cited by hundreds or thousands of briefs. `--shape` picks another preset (see
//! `Shape`) and the other options change one number of it; the standard shape's output is what
//! the generator wrote before it had shapes. A source's CSL-JSON definition is a function of its index and the seed
//! alone, so every brief that defines it defines it identically; a brief defines every source it
//! cites, except that a source an earlier brief already defined is left out one time in four.
//!
//! Output is a function of N and the seed alone (a splitmix64 generator, no `rand`). Existing
//! `DIR/briefs`, `DIR/site.toml`, `HUGO_DIR/content`, `HUGO_DIR/layouts` and `HUGO_DIR/config.toml`
//! are replaced; nothing else in DIR or HUGO_DIR is touched.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[path = "common/rng.rs"]
mod rng;
#[path = "gen_corpus/wxr.rs"]
mod wxr;

use rng::Rng;

const FIRST_YEAR: i32 = 2016;
const YEARS: i32 = 10;
/// One brief in this many has YAML front matter.
const YAML_EVERY: u64 = 5;

/// The minimal Hugo theme, kept as files in `bench/hugo/` so that they can be read and edited.
const HUGO_FILES: &[(&str, &str)] = &[
    (
        "layouts/_default/baseof.html",
        include_str!("../bench/hugo/layouts/_default/baseof.html"),
    ),
    (
        "layouts/_default/single.html",
        include_str!("../bench/hugo/layouts/_default/single.html"),
    ),
    (
        "layouts/_default/list.html",
        include_str!("../bench/hugo/layouts/_default/list.html"),
    ),
    (
        "layouts/_default/taxonomy.html",
        include_str!("../bench/hugo/layouts/_default/taxonomy.html"),
    ),
    (
        "layouts/_default/term.html",
        include_str!("../bench/hugo/layouts/_default/term.html"),
    ),
    (
        "layouts/index.html",
        include_str!("../bench/hugo/layouts/index.html"),
    ),
    (
        "layouts/404.html",
        include_str!("../bench/hugo/layouts/404.html"),
    ),
    (
        "layouts/partials/card.html",
        include_str!("../bench/hugo/layouts/partials/card.html"),
    ),
    (
        "layouts/partials/byline.html",
        include_str!("../bench/hugo/layouts/partials/byline.html"),
    ),
];
const HUGO_CONFIG: &str = include_str!("../bench/hugo/config.toml");

fn main() -> ExitCode {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("gen-corpus: {message}");
            eprintln!(
                "usage: gen-corpus N DIR [--seed S] [--hugo HUGO_DIR] [--shape NAME] \
                 [--authors N] [--categories N] [--tags N] [--tags-per-brief N] [--words N] \
                 [--sources N] [--citations LO-HI] [--zipf X]"
            );
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("gen-corpus: {err}");
            ExitCode::FAILURE
        }
    }
}

struct Args {
    count: usize,
    dir: PathBuf,
    seed: u64,
    hugo: Option<PathBuf>,
    shape: Shape,
    wxr: Option<PathBuf>,
}

/// The numbers that make a corpus's shape: how many of each thing the site has and each brief
/// draws.
#[derive(Clone, Copy)]
struct Shape {
    authors: usize,
    categories: usize,
    tags: usize,
    tags_per_brief: usize,
    /// About how many words a body has (its number of sections follows from it).
    words: usize,
    sources: usize,
    /// Citation groups per brief, `lo..=hi`.
    citations: (usize, usize),
    /// Exponent of source popularity: rank r is cited with weight r^-zipf (0: all alike).
    zipf: f64,
}

impl Shape {
    /// What the generator always wrote: the figures in bench/README.md before 2026-12-06.
    const STANDARD: Shape = Shape {
        authors: 200,
        categories: 20,
        tags: 100,
        tags_per_brief: 3,
        words: 1250,
        sources: 500,
        citations: (3, 8),
        zipf: 0.8,
    };
    /// The site of issue 20's independent check, as far as it was described: 1-2 of 200 authors,
    /// one of 20 categories, 3 of 100 tags, ~1,200 words, citations into 600 shared sources;
    /// what it did not say is drawn differently from the standard shape (more citations, cited
    /// much more evenly).
    const INDEPENDENT: Shape = Shape {
        sources: 600,
        words: 1200,
        citations: (4, 12),
        zipf: 0.3,
        ..Shape::STANDARD
    };
    /// Short briefs in a wide taxonomy: ~350 words, 8 of 2,000 tags, 1,000 authors, 60
    /// categories, 0-2 citations into 3,000 sources.
    const SMALL: Shape = Shape {
        authors: 1000,
        categories: 60,
        tags: 2000,
        tags_per_brief: 8,
        words: 350,
        sources: 3000,
        citations: (0, 2),
        zipf: 1.0,
    };

    fn named(name: &str) -> Option<Shape> {
        match name {
            "standard" => Some(Shape::STANDARD),
            "independent" => Some(Shape::INDEPENDENT),
            "small" => Some(Shape::SMALL),
            _ => None,
        }
    }

    /// `##` sections of a body: four for the standard ~1,250 words.
    fn sections(&self) -> usize {
        (self.words as f64 / 312.5).round().max(1.0) as usize
    }

    fn check(&self) -> Result<(), String> {
        let most_authors = GIVEN_NAMES.len() * FAMILY_NAMES.len() * 26;
        if !(1..=most_authors).contains(&self.authors) {
            return Err(format!("--authors must be 1 to {most_authors}"));
        }
        if self.categories == 0 || self.tags == 0 || self.sources == 0 {
            return Err("--categories, --tags and --sources must be at least 1".into());
        }
        if self.tags > TOPICS.len() * TAG_ASPECTS.len() * (1 + WORDS.len()) {
            return Err("--tags: too many".into());
        }
        if self.tags_per_brief > self.tags {
            return Err("--tags-per-brief cannot exceed --tags".into());
        }
        if self.citations.0 > self.citations.1 {
            return Err("--citations LO-HI needs LO <= HI".into());
        }
        if !(self.zipf >= 0.0 && self.zipf.is_finite()) {
            return Err("--zipf must be a number >= 0".into());
        }
        Ok(())
    }
}

impl Args {
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
        let mut positional = Vec::new();
        let mut seed = 1;
        let mut hugo = None;
        let mut wxr = None;
        let mut shape = Shape::STANDARD;
        // Options of the shape apply over the preset, whatever their order.
        let mut changes: Vec<(String, String)> = Vec::new();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--seed" => {
                    let value = args.next().ok_or("--seed needs a number")?;
                    seed = value
                        .parse()
                        .map_err(|_| format!("--seed: `{value}` is not a number"))?;
                }
                "--hugo" => hugo = Some(PathBuf::from(args.next().ok_or("--hugo needs a folder")?)),
                "--wxr" => wxr = Some(PathBuf::from(args.next().ok_or("--wxr needs a file")?)),
                "--shape" => {
                    let name = args.next().ok_or("--shape needs a name")?;
                    shape = Shape::named(&name).ok_or_else(|| {
                        format!("--shape: `{name}` is not standard, independent or small")
                    })?;
                }
                "--authors" | "--categories" | "--tags" | "--tags-per-brief" | "--words"
                | "--sources" | "--citations" | "--zipf" => {
                    let value = args.next().ok_or(format!("{arg} needs a value"))?;
                    changes.push((arg, value));
                }
                "-h" | "--help" => return Err("writes a synthetic site of N briefs".into()),
                flag if flag.starts_with("--") => return Err(format!("unknown option `{flag}`")),
                _ => positional.push(arg),
            }
        }
        let [count, dir] = <[String; 2]>::try_from(positional)
            .map_err(|_| "expected two arguments, N and DIR".to_owned())?;
        let count = count
            .replace('_', "")
            .parse()
            .map_err(|_| format!("N: `{count}` is not a number"))?;
        for (flag, value) in changes {
            let number = || -> Result<usize, String> {
                value
                    .replace('_', "")
                    .parse()
                    .map_err(|_| format!("{flag}: `{value}` is not a number"))
            };
            match flag.as_str() {
                "--authors" => shape.authors = number()?,
                "--categories" => shape.categories = number()?,
                "--tags" => shape.tags = number()?,
                "--tags-per-brief" => shape.tags_per_brief = number()?,
                "--words" => shape.words = number()?,
                "--sources" => shape.sources = number()?,
                "--zipf" => {
                    shape.zipf = value
                        .parse()
                        .map_err(|_| format!("--zipf: `{value}` is not a number"))?;
                }
                _ => {
                    let (lo, hi) = value.split_once('-').unwrap_or((&value, &value));
                    let parse = |v: &str| {
                        v.parse::<usize>()
                            .map_err(|_| format!("--citations: `{value}` is not LO-HI"))
                    };
                    shape.citations = (parse(lo)?, parse(hi)?);
                }
            }
        }
        shape.check()?;
        Ok(Args {
            count,
            dir: PathBuf::from(dir),
            seed,
            hugo,
            shape,
            wxr,
        })
    }
}

fn run(args: &Args) -> std::io::Result<()> {
    let started = Instant::now();
    let world = World::new(args.seed, &args.shape);
    let plans = plan_briefs(&world, args.count, args.seed);

    let briefs_dir = args.dir.join("briefs");
    replace_dir(&briefs_dir)?;
    std::fs::write(args.dir.join("site.toml"), world.site_toml())?;
    let content_dir = args.hugo.as_ref().map(|hugo| hugo.join("content/briefs"));
    if let Some(hugo) = &args.hugo {
        replace_dir(&hugo.join("content"))?;
        replace_dir(&hugo.join("layouts"))?;
        std::fs::write(hugo.join("config.toml"), HUGO_CONFIG)?;
        for (path, text) in HUGO_FILES {
            let path = hugo.join(path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(path, text)?;
        }
    }
    for year in FIRST_YEAR..FIRST_YEAR + YEARS {
        std::fs::create_dir_all(briefs_dir.join(year.to_string()))?;
        if let Some(content) = &content_dir {
            std::fs::create_dir_all(content.join(year.to_string()))?;
        }
    }

    // Bodies are written in parallel; each brief's text depends on its index and the seed only.
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let totals: Vec<std::io::Result<(usize, usize)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (world, plans, briefs_dir) = (&world, &plans, &briefs_dir);
                let content_dir = content_dir.as_deref();
                scope.spawn(move || -> std::io::Result<(usize, usize)> {
                    let (mut bytes, mut words) = (0, 0);
                    let mut file = String::with_capacity(16 * 1024);
                    for plan in plans.iter().skip(t).step_by(threads) {
                        let body = body(world, plan, args.seed);
                        words += body.split_whitespace().count();
                        file.clear();
                        front_matter(&mut file, world, plan, Flavor::Dossier);
                        file.push_str(&body);
                        bytes += file.len();
                        std::fs::write(briefs_dir.join(&plan.file), &file)?;
                        if let Some(content) = content_dir {
                            file.clear();
                            front_matter(&mut file, world, plan, Flavor::Hugo);
                            file.push_str(&body);
                            std::fs::write(content.join(&plan.file), &file)?;
                        }
                    }
                    Ok((bytes, words))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a writer thread panicked"))
            .collect()
    });
    let (mut bytes, mut words) = (0, 0);
    for total in totals {
        let (b, w) = total?;
        bytes += b;
        words += w;
    }

    let sources = world.sources.len();
    if let Some(path) = &args.wxr {
        wxr::write(path, &world, &plans, |plan| body(&world, plan, args.seed))?;
        println!("gen-corpus: the WordPress export in {}", path.display());
    }

    let mut citing = vec![0usize; sources];
    for plan in &plans {
        let mut seen: Vec<usize> = plan.groups.iter().flatten().map(|c| c.source).collect();
        seen.sort_unstable();
        seen.dedup();
        for s in seen {
            citing[s] += 1;
        }
    }
    let cited = citing.iter().filter(|&&c| c > 0).count();
    let mut top = citing.clone();
    top.sort_unstable_by(|a, b| b.cmp(a));
    let n = args.count.max(1);
    println!(
        "gen-corpus: {} briefs ({:.1} MB, ~{} words each) in {}{} in {:.2} s",
        args.count,
        bytes as f64 / 1e6,
        words / n,
        args.dir.display(),
        args.hugo
            .as_ref()
            .map(|h| format!(" and the Hugo site in {}", h.display()))
            .unwrap_or_default(),
        started.elapsed().as_secs_f64()
    );
    println!(
        "gen-corpus: {cited} of {sources} sources cited; most-cited sources are cited by {} briefs; \
         the median cited source by {}",
        top.iter()
            .take(5)
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        top[cited.saturating_sub(1) / 2]
    );
    let shape = &args.shape;
    println!(
        "gen-corpus: shape: {} authors, {} categories, {} of {} tags a brief, ~{} words, {}-{} \
         citation groups a brief into {} sources (Zipf exponent {})",
        shape.authors,
        shape.categories,
        shape.tags_per_brief,
        shape.tags,
        shape.words,
        shape.citations.0,
        shape.citations.1,
        shape.sources,
        shape.zipf
    );
    Ok(())
}

/// Removes `dir` if it exists and creates it empty.
fn replace_dir(dir: &Path) -> std::io::Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)
}

/// Streams of the generator, so that each part of the output has its own sequence.
const STREAM_SITE: u64 = 1 << 40;
const STREAM_SOURCE: u64 = 2 << 40;
const STREAM_PLAN: u64 = 3 << 40;
const STREAM_BODY: u64 = 4 << 40;

/// What every brief draws from: authors, categories, tags and the pool of sources.
struct World {
    authors: Vec<Author>,
    categories: Vec<String>,
    tags: Vec<String>,
    /// Each source's definition, as TOML (`[[citations]]` table) and as a YAML list item.
    sources: Vec<Source>,
    /// Cumulative Zipf weights over source ranks.
    popularity: Vec<f64>,
    shape: Shape,
}

struct Author {
    slug: String,
    name: String,
    title: String,
    bio: String,
}

struct Source {
    id: String,
    toml: String,
    yaml: String,
}

impl World {
    fn new(seed: u64, shape: &Shape) -> World {
        let mut rng = Rng::new(seed, STREAM_SITE);
        let mut authors: Vec<Author> = Vec::with_capacity(shape.authors);
        // Past half of the given x family names, a middle initial keeps names apart.
        let initials = shape.authors > GIVEN_NAMES.len() * FAMILY_NAMES.len() / 2;
        while authors.len() < shape.authors {
            let given = rng.pick(GIVEN_NAMES);
            let family = rng.pick(FAMILY_NAMES);
            let name = if initials {
                let initial = char::from(b'A' + rng.below(26) as u8);
                format!("{given} {initial}. {family}")
            } else {
                format!("{given} {family}")
            };
            let slug = slugify(&name);
            if authors.iter().any(|a| a.slug == slug) {
                continue;
            }
            let area = rng.pick(AREAS);
            let title = format!("{} for {area}", rng.pick(ROLES));
            let mut bio = format!(
                "{name} writes on {area} and leads the institute's work on *{}*.",
                rng.pick(WORDS)
            );
            bio.push(' ');
            sentence(&mut rng, &mut bio, 14, None);
            authors.push(Author {
                slug,
                name,
                title,
                bio,
            });
        }
        // Topic x aspect (the standard 100), then the same with a word after them.
        let pairs = TOPICS.len() * TAG_ASPECTS.len();
        let tags = (0..shape.tags)
            .map(|t| {
                let (topic, aspect) = (
                    TOPICS[(t % pairs) / TAG_ASPECTS.len()],
                    TAG_ASPECTS[t % TAG_ASPECTS.len()],
                );
                match t / pairs {
                    0 => format!("{topic} {aspect}"),
                    n => format!("{topic} {aspect} {}", WORDS[n - 1]),
                }
            })
            .collect();
        // The 20 named categories, then numbered series of them.
        let categories = (0..shape.categories)
            .map(|c| match c / CATEGORIES.len() {
                0 => CATEGORIES[c].to_owned(),
                n => format!("{} {}", CATEGORIES[c % CATEGORIES.len()], n + 1),
            })
            .collect();
        let sources = (0..shape.sources).map(|k| source(seed, k)).collect();
        let mut total = 0.0;
        let popularity = (0..shape.sources)
            .map(|rank| {
                total += ((rank + 1) as f64).powf(-shape.zipf);
                total
            })
            .collect();
        World {
            authors,
            categories,
            tags,
            sources,
            popularity,
            shape: *shape,
        }
    }

    /// A source index drawn by popularity.
    fn popular_source(&self, rng: &mut Rng) -> usize {
        let last = self.popularity.len() - 1;
        let u = rng.unit() * self.popularity[last];
        self.popularity.partition_point(|&c| c < u).min(last)
    }

    fn site_toml(&self) -> String {
        let mut out = String::from(
            "title = \"The Benchmark Institute\"\n\
             description = \"A synthetic site of policy briefs for benchmarks.\"\n\
             base_url = \"https://example.org\"\n\
             language = \"en\"\n\
             briefs_per_page = 10\n\
             disclosure = \"This material is distributed by the Benchmark Institute on behalf of \
             the Synthetic Foundation. Additional information is available at the Department of \
             Justice, Washington, DC.\"\n\n\
             [organization]\n\
             name = \"The Benchmark Institute\"\n\
             phone = \"202.555.0100\"\n\
             address = \"1 Example Row NW, Washington, DC\"\n\
             url = \"https://example.org\"\n",
        );
        for a in &self.authors {
            let _ = write!(
                out,
                "\n[authors.{}]\nname = {}\ntitle = {}\nbio = {}\n",
                a.slug,
                quoted(&a.name),
                quoted(&a.title),
                quoted(&a.bio)
            );
        }
        out
    }
}

/// A source's definition, a function of the seed and its index only.
fn source(seed: u64, k: usize) -> Source {
    let mut rng = Rng::new(seed, STREAM_SOURCE + k as u64);
    let year = 1995 + rng.below(31) as i32;
    let (month, day) = (1 + rng.below(12), 1 + rng.below(28));
    let mut title = String::new();
    title_words(&mut rng, &mut title, 4, 9);
    let person = |rng: &mut Rng| {
        format!(
            "{{ family = {}, given = {} }}",
            quoted(rng.pick(FAMILY_NAMES)),
            quoted(rng.pick(GIVEN_NAMES))
        )
    };
    let people = |rng: &mut Rng| {
        let n = rng.range(1, 3);
        (0..n).map(|_| person(rng)).collect::<Vec<_>>().join(", ")
    };
    // (key, TOML value) pairs in CSL-JSON field names.
    let mut fields: Vec<(&str, String)> = Vec::new();
    let roll = rng.below(100);
    let id;
    if roll < 15 {
        let number = 2100 + k;
        id = format!("S/RES/{number}");
        title = format!("Resolution {number} ({year})");
        fields.push(("type", quoted("legislation")));
        fields.push(("title", quoted(&title)));
        fields.push((
            "author",
            "[{ literal = \"United Nations Security Council\" }]".into(),
        ));
        fields.push(("number", quoted(&format!("S/RES/{number} ({year})"))));
        fields.push(("issued", date_parts(&[year, month as i32, day as i32])));
        fields.push((
            "URL",
            quoted(&format!("https://undocs.org/S/RES/{number}({year})")),
        ));
    } else if roll < 45 {
        let (publisher, short) = PUBLISHERS[rng.below(PUBLISHERS.len())];
        id = format!("{short}:{year}-{}-{k}", slugify(rng.pick(WORDS)));
        fields.push(("type", quoted("report")));
        fields.push(("title", quoted(&title)));
        fields.push(("author", format!("[{}]", people(&mut rng))));
        fields.push(("publisher", quoted(publisher)));
        fields.push((
            "number",
            quoted(&format!("Working Paper {}-{}", year, rng.range(1, 40))),
        ));
        fields.push(("issued", date_parts(&[year, month as i32])));
        fields.push((
            "URL",
            quoted(&format!("https://example.org/{short}/{year}/wp-{k}.pdf")),
        ));
    } else if roll < 65 {
        let family = rng.pick(FAMILY_NAMES);
        id = format!("{}{year}-{k}", slugify(family));
        fields.push(("type", quoted("article-journal")));
        fields.push(("title", quoted(&title)));
        fields.push((
            "author",
            format!(
                "[{{ family = {}, given = {} }}]",
                quoted(family),
                quoted(rng.pick(GIVEN_NAMES))
            ),
        ));
        fields.push(("container-title", quoted(rng.pick(JOURNALS))));
        fields.push(("volume", quoted(&rng.range(1, 60).to_string())));
        fields.push(("issue", quoted(&rng.range(1, 4).to_string())));
        let first = rng.range(1, 400);
        fields.push((
            "page",
            quoted(&format!("{first}-{}", first + rng.range(10, 30))),
        ));
        fields.push(("issued", date_parts(&[year])));
        fields.push(("DOI", quoted(&format!("10.5555/bench.{year}.{k:04}"))));
    } else if roll < 85 {
        let paper = rng.pick(NEWSPAPERS);
        id = format!("{}-{year}-{month:02}-{k}", slugify(paper));
        fields.push(("type", quoted("article-newspaper")));
        fields.push(("title", quoted(&title)));
        fields.push(("author", format!("[{}]", person(&mut rng))));
        fields.push(("container-title", quoted(paper)));
        fields.push(("issued", date_parts(&[year, month as i32, day as i32])));
        fields.push((
            "URL",
            quoted(&format!(
                "https://news.example.com/{}/{year}/{month:02}/{day:02}/story-{k}",
                slugify(paper)
            )),
        ));
    } else if roll < 95 {
        let family = rng.pick(FAMILY_NAMES);
        id = format!("{}-{year}-book-{k}", slugify(family));
        fields.push(("type", quoted("book")));
        fields.push(("title", quoted(&title)));
        fields.push((
            "author",
            format!(
                "[{{ family = {}, given = {} }}]",
                quoted(family),
                quoted(rng.pick(GIVEN_NAMES))
            ),
        ));
        fields.push(("publisher", quoted(rng.pick(PRESSES))));
        fields.push(("publisher-place", quoted(rng.pick(CITIES))));
        fields.push(("issued", date_parts(&[year])));
    } else {
        id = format!("web-{k}");
        fields.push(("type", quoted("webpage")));
        fields.push(("title", quoted(&title)));
        fields.push((
            "author",
            format!(
                "[{{ literal = {} }}]",
                quoted(PUBLISHERS[k % PUBLISHERS.len()].0)
            ),
        ));
        fields.push(("issued", date_parts(&[year, month as i32, day as i32])));
        fields.push((
            "accessed",
            date_parts(&[2025, 1 + (k % 12) as i32, 1 + (k % 28) as i32]),
        ));
        fields.push(("URL", quoted(&format!("https://example.org/pages/{k}"))));
    }
    let mut toml = format!("\n[[citations]]\nid = {}\n", quoted(&id));
    let mut yaml = format!("  - id: {}\n", quoted(&id));
    for (key, value) in &fields {
        let _ = writeln!(toml, "{key} = {value}");
        let _ = writeln!(yaml, "    {key}: {}", toml_to_yaml_flow(value));
    }
    Source { id, toml, yaml }
}

/// `{ date-parts = [[2017, 12, 22]] }`
fn date_parts(parts: &[i32]) -> String {
    let parts: Vec<String> = parts.iter().map(i32::to_string).collect();
    format!("{{ date-parts = [[{}]] }}", parts.join(", "))
}

/// The TOML inline values written here are also YAML flow values once ` = ` becomes `: `
/// (quoted strings, numbers, arrays and inline tables with bare keys).
fn toml_to_yaml_flow(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut in_string = false;
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if in_string => {
                out.push(c);
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            '"' => {
                in_string = !in_string;
                out.push(c);
            }
            ' ' if !in_string && chars.peek() == Some(&'=') => {
                chars.next();
                out.push(':');
            }
            _ => out.push(c),
        }
    }
    out
}

/// One citation item: a source and how it is cited.
struct Cite {
    source: usize,
    prefix: Option<&'static str>,
    suppress_author: bool,
    locator: Option<String>,
}

/// A brief's front matter and the citations of its body, decided before any text is written.
struct Plan {
    index: usize,
    /// `<year>/<slug>.md`, relative to `briefs/` (or Hugo's `content/briefs/`).
    file: String,
    slug: String,
    title: String,
    date: String,
    updated: Option<String>,
    authors: Vec<usize>,
    category: usize,
    tags: Vec<usize>,
    summary: Option<String>,
    yaml: bool,
    groups: Vec<Vec<Cite>>,
    /// Sources defined in this brief's front matter, in order first cited.
    defines: Vec<usize>,
}

fn plan_briefs(world: &World, count: usize, seed: u64) -> Vec<Plan> {
    let shape = &world.shape;
    let mut defined = vec![false; shape.sources];
    (0..count)
        .map(|index| {
            let mut rng = Rng::new(seed, STREAM_PLAN + index as u64);
            let mut title = String::new();
            title_words(&mut rng, &mut title, 4, 9);
            let slug = format!("{}-{index}", slugify(&title));
            let year = FIRST_YEAR + rng.below(YEARS as usize) as i32;
            let month = 1 + rng.below(12);
            let day = 1 + rng.below(days_in_month(year, month));
            let mut date = format!("{year}-{month:02}-{day:02}");
            if rng.chance(0.1) {
                let _ = write!(
                    date,
                    "T{:02}:{:02}:00-05:00",
                    rng.range(7, 19),
                    rng.below(60)
                );
            }
            let updated = rng.chance(0.1).then(|| {
                let later = (year + 1).min(FIRST_YEAR + YEARS - 1);
                format!("{later}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28))
            });
            let mut authors = vec![rng.below(shape.authors)];
            if rng.chance(0.3) {
                let second = rng.below(shape.authors);
                if second != authors[0] {
                    authors.push(second);
                }
            }
            let category = rng.below(world.categories.len());
            let mut tags = Vec::with_capacity(shape.tags_per_brief);
            while tags.len() < shape.tags_per_brief {
                let tag = rng.below(world.tags.len());
                if !tags.contains(&tag) {
                    tags.push(tag);
                }
            }
            let summary = rng.chance(0.5).then(|| {
                let mut s = String::new();
                let words = rng.range(16, 28);
                sentence(&mut rng, &mut s, words, None);
                s
            });
            let yaml = rng.below(YAML_EVERY as usize) == 0;
            let (lo, hi) = shape.citations;
            let groups: Vec<Vec<Cite>> = (0..rng.range(lo, hi))
                .map(|_| {
                    let items = if rng.chance(0.25) && shape.sources > 1 {
                        2
                    } else {
                        1
                    };
                    let mut group: Vec<Cite> = Vec::with_capacity(items);
                    while group.len() < items {
                        let source = world.popular_source(&mut rng);
                        if group.iter().any(|c| c.source == source) {
                            continue;
                        }
                        let locator = match rng.below(20) {
                            0..=7 => Some(format!("p. {}", rng.range(1, 120))),
                            8..=10 => {
                                let first = rng.range(1, 200);
                                Some(format!("pp. {first}-{}", first + rng.range(1, 6)))
                            }
                            11..=12 => Some(format!("para. {}", rng.range(1, 60))),
                            _ => None,
                        };
                        group.push(Cite {
                            source,
                            prefix: None,
                            suppress_author: rng.chance(0.03),
                            locator,
                        });
                    }
                    if rng.chance(0.12) {
                        group[0].prefix = Some(if rng.chance(0.5) { "see" } else { "see also" });
                    }
                    group
                })
                .collect();
            let mut defines = Vec::new();
            for cite in groups.iter().flatten() {
                let s = cite.source;
                if defines.contains(&s) {
                    continue;
                }
                // An earlier brief's definition is enough; still, most briefs carry their own.
                if !defined[s] || !rng.chance(0.25) {
                    defines.push(s);
                }
                defined[s] = true;
            }
            Plan {
                index,
                file: format!("{year}/{slug}.md"),
                slug,
                title,
                date,
                updated,
                authors,
                category,
                tags,
                summary,
                yaml,
                groups,
                defines,
            }
        })
        .collect()
}

fn days_in_month(year: i32, month: usize) -> usize {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Flavor {
    Dossier,
    Hugo,
}

/// The front matter of a brief, with its fences, for dossier or Hugo, in TOML or YAML.
fn front_matter(out: &mut String, world: &World, plan: &Plan, flavor: Flavor) {
    let list = |items: &mut dyn Iterator<Item = &str>| {
        let items: Vec<String> = items.map(quoted).collect();
        format!("[{}]", items.join(", "))
    };
    let authors = list(&mut plan.authors.iter().map(|&a| world.authors[a].slug.as_str()));
    let tags = list(&mut plan.tags.iter().map(|&t| world.tags[t].as_str()));
    let category = &world.categories[plan.category];
    // A date is a TOML date or date-time, and a plain YAML scalar.
    let mut fields: Vec<(&str, String)> =
        vec![("title", quoted(&plan.title)), ("date", plan.date.clone())];
    if let Some(updated) = &plan.updated {
        let key = if flavor == Flavor::Hugo {
            "lastmod"
        } else {
            "updated"
        };
        fields.push((key, updated.clone()));
    }
    if flavor == Flavor::Hugo {
        fields.push(("slug", quoted(&plan.slug)));
    }
    fields.push(("authors", authors));
    match flavor {
        Flavor::Dossier => fields.push(("category", quoted(category))),
        Flavor::Hugo => fields.push(("categories", format!("[{}]", quoted(category)))),
    }
    fields.push(("tags", tags));
    if let Some(summary) = &plan.summary {
        fields.push(("summary", quoted(summary)));
    }
    if plan.yaml {
        out.push_str("---\n");
        for (key, value) in &fields {
            let _ = writeln!(out, "{key}: {value}");
        }
        if !plan.defines.is_empty() {
            out.push_str("citations:\n");
            for &s in &plan.defines {
                out.push_str(&world.sources[s].yaml);
            }
        }
        out.push_str("---\n\n");
    } else {
        out.push_str("+++\n");
        for (key, value) in &fields {
            let _ = writeln!(out, "{key} = {value}");
        }
        for &s in &plan.defines {
            out.push_str(&world.sources[s].toml);
        }
        out.push_str("+++\n\n");
    }
}

/// A brief body of about the shape's words (1,250 for the standard shape): intro, four `##`
/// sections with a bulleted list, a table and a numbered list among their paragraphs, a closing
/// paragraph, footnotes. Fewer words make fewer sections; below ~600 words the intro is one
/// paragraph and there is no closing one.
fn body(world: &World, plan: &Plan, seed: u64) -> String {
    let mut rng = Rng::new(seed, STREAM_BODY + plan.index as u64);
    let mut out = String::with_capacity(world.shape.words * 8);
    let sections = world.shape.sections();
    let short = world.shape.words < 600;
    let (intro, closing) = if short { (1, 0) } else { (2, 1) };
    let per_section: Vec<usize> = (0..sections).map(|_| rng.range(2, 3)).collect();
    let paragraphs = intro + per_section.iter().sum::<usize>() + closing;
    // Which paragraph each citation group, link and footnote goes in.
    let mut marks: Vec<Vec<Mark>> = (0..paragraphs).map(|_| Vec::new()).collect();
    for g in 0..plan.groups.len() {
        marks[rng.below(paragraphs)].push(Mark::Cite(g));
    }
    for _ in 0..rng.range(2, 3) {
        marks[rng.below(paragraphs)].push(Mark::Link);
    }
    let footnotes = if rng.chance(0.3) { 2 } else { 1 };
    for n in 1..=footnotes {
        marks[rng.below(paragraphs)].push(Mark::Footnote(n));
    }
    let mut next = 0;
    let mut next_paragraph = |rng: &mut Rng, out: &mut String| {
        paragraph(rng, out, world, plan, &marks[next]);
        next += 1;
    };
    for _ in 0..intro {
        next_paragraph(&mut rng, &mut out);
    }
    for (s, &count) in per_section.iter().enumerate() {
        out.push_str("## ");
        let start = out.len();
        title_words(&mut rng, &mut out, 2, 5);
        if rng.chance(0.1) {
            let id = slugify(&out[start..]);
            let _ = write!(out, " {{#s{s}-{id}}}");
        }
        out.push_str("\n\n");
        for p in 0..count {
            next_paragraph(&mut rng, &mut out);
            if p == 0 {
                match s % 4 {
                    0 => bullet_list(&mut rng, &mut out),
                    1 => table(&mut rng, &mut out),
                    2 => numbered_list(&mut rng, &mut out),
                    _ => {}
                }
            }
        }
    }
    for _ in 0..closing {
        next_paragraph(&mut rng, &mut out);
    }
    for n in 1..=footnotes {
        let _ = write!(out, "[^{n}]: ");
        let words = rng.range(12, 24);
        sentence(&mut rng, &mut out, words, None);
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

enum Mark {
    Cite(usize),
    Link,
    Footnote(usize),
}

/// A paragraph of 4-6 sentences; citation markers, links and footnote references go at the ends of
/// sentences (before the period, as Pandoc writes them).
fn paragraph(rng: &mut Rng, out: &mut String, world: &World, plan: &Plan, marks: &[Mark]) {
    let sentences = rng.range(4, 6).max(marks.len());
    let mut at: Vec<usize> = marks.iter().map(|_| rng.below(sentences)).collect();
    at.sort_unstable();
    let mut marks_left = marks.iter().zip(at).peekable();
    for i in 0..sentences {
        if i > 0 {
            out.push(' ');
        }
        let mut tail = String::new();
        while let Some((mark, _)) = marks_left.next_if(|(_, s)| *s == i) {
            match mark {
                Mark::Cite(g) => {
                    tail.push(' ');
                    citation_marker(&mut tail, world, &plan.groups[*g]);
                }
                Mark::Link => {
                    let _ = write!(
                        tail,
                        ", as [the {} {}](https://example.org/{}/{}) shows",
                        rng.pick(WORDS),
                        rng.pick(WORDS),
                        rng.pick(WORDS),
                        rng.range(100, 9999)
                    );
                }
                Mark::Footnote(n) => {
                    let _ = write!(tail, "[^{n}]");
                }
            }
        }
        let words = rng.range(10, 21);
        sentence(rng, out, words, Some(&tail));
    }
    out.push_str("\n\n");
}

/// `[see @a, p. 4; @b]`
fn citation_marker(out: &mut String, world: &World, group: &[Cite]) {
    out.push('[');
    for (i, cite) in group.iter().enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        if let Some(prefix) = cite.prefix {
            out.push_str(prefix);
            out.push(' ');
        }
        if cite.suppress_author {
            out.push('-');
        }
        out.push('@');
        out.push_str(&world.sources[cite.source].id);
        if let Some(locator) = &cite.locator {
            out.push_str(", ");
            out.push_str(locator);
        }
    }
    out.push(']');
}

/// A sentence of about `words` words, capitalized, with the occasional comma and emphasis;
/// `tail` (markers) goes before the final period.
fn sentence(rng: &mut Rng, out: &mut String, words: usize, tail: Option<&str>) {
    let comma = (words > 8 && rng.chance(0.5)).then(|| rng.range(3, words - 3));
    for w in 0..words {
        let word = rng.pick(WORDS);
        if w == 0 {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push(' ');
            if rng.chance(0.006) {
                out.push('*');
                out.push_str(word);
                out.push('*');
            } else {
                out.push_str(word);
            }
        }
        if comma == Some(w) {
            out.push(',');
        }
    }
    if let Some(tail) = tail {
        out.push_str(tail);
    }
    out.push('.');
}

fn bullet_list(rng: &mut Rng, out: &mut String) {
    for _ in 0..rng.range(3, 5) {
        out.push_str("- ");
        let words = rng.range(8, 16);
        sentence(rng, out, words, None);
        out.push('\n');
    }
    out.push('\n');
}

fn numbered_list(rng: &mut Rng, out: &mut String) {
    for n in 1..=3 {
        let _ = write!(out, "{n}. **");
        title_words(rng, out, 2, 4);
        out.push_str(".** ");
        let words = rng.range(12, 20);
        sentence(rng, out, words, None);
        out.push('\n');
    }
    out.push('\n');
}

fn table(rng: &mut Rng, out: &mut String) {
    let year = 2015 + rng.below(9);
    let _ = writeln!(out, "| Indicator | {} | {} | Change |", year, year + 1);
    out.push_str("|:--|--:|--:|--:|\n");
    for _ in 0..rng.range(3, 6) {
        out.push_str("| ");
        title_words(rng, out, 1, 3);
        let before = rng.range(100, 9999) as f64 / 10.0;
        let after = before * (0.8 + rng.unit() * 0.4);
        let _ = writeln!(
            out,
            " | {before:.1} | {after:.1} | {:+.1}% |",
            (after / before - 1.0) * 100.0
        );
    }
    out.push('\n');
}

/// `lo..=hi` words in title case (a few short function words stay lowercase inside).
fn title_words(rng: &mut Rng, out: &mut String, lo: usize, hi: usize) {
    let count = rng.range(lo, hi);
    for i in 0..count {
        if i > 0 {
            out.push(' ');
        }
        if i > 0 && i + 1 < count && rng.chance(0.2) {
            out.push_str(rng.pick(&["and", "of", "after", "in", "for", "the", "on"]));
            continue;
        }
        let word = rng.pick(WORDS);
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
}

/// Lowercase ASCII letters and digits, other runs as one hyphen.
fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// A TOML basic string, which is also a YAML double-quoted string for the text written here.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

const CATEGORIES: &[&str] = &[
    "Economics and Trade",
    "Security",
    "Society",
    "Energy and Climate",
    "Diplomacy",
    "Human Rights",
    "Technology",
    "Finance",
    "Defense Industry",
    "Nuclear Policy",
    "Migration",
    "Health",
    "Maritime Affairs",
    "Labor",
    "Agriculture and Food",
    "Cyber",
    "Governance",
    "Regional Politics",
    "Development Aid",
    "Demography",
];

const TOPICS: &[&str] = &[
    "sanctions",
    "semiconductors",
    "alliance",
    "tariffs",
    "shipping",
    "missiles",
    "pensions",
    "fertility",
    "housing",
    "reactors",
    "batteries",
    "fisheries",
    "rice",
    "banking",
    "crypto",
    "elections",
    "courts",
    "refugees",
    "tourism",
    "steel",
    "autos",
    "satellites",
    "vaccines",
    "wages",
    "ports",
];

const TAG_ASPECTS: &[&str] = &["policy", "markets", "security", "diplomacy"];

const ROLES: &[&str] = &[
    "Senior Fellow",
    "Fellow",
    "Director",
    "Research Associate",
    "Visiting Scholar",
    "Senior Adviser",
    "Program Manager",
    "Nonresident Fellow",
];

const AREAS: &[&str] = &[
    "Trade Policy",
    "Security Studies",
    "Society and Demography",
    "Energy",
    "Diplomacy",
    "Finance",
    "Technology",
    "Human Rights",
    "Maritime Affairs",
    "Labor Markets",
];

const GIVEN_NAMES: &[&str] = &[
    "Elena", "Ji-woo", "Thomas", "Ruth", "Min-jun", "Seo-yeon", "Daniel", "Amara", "Hiroshi",
    "Grace", "Kwame", "Sofia", "Jun-ho", "Mei", "Lucas", "Aisha", "Tomas", "Hana", "Omar", "Clara",
    "Yuna", "Samuel", "Ines", "David", "Priya", "Chen", "Marta", "Felix", "Noor", "Jae-hyun",
    "Laura", "Ivan", "Nadia", "Peter", "Eun-ji", "Rafael", "Leila", "Andrew", "Sun-hee", "Victor",
];

const FAMILY_NAMES: &[&str] = &[
    "Marsh", "Han", "Okafor", "Calloway", "Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho",
    "Yoon", "Jang", "Lim", "Tanaka", "Suzuki", "Wang", "Li", "Zhang", "Nguyen", "Smith", "Brown",
    "Garcia", "Muller", "Rossi", "Dubois", "Novak", "Kowalski", "Haddad", "Mensah", "Silva",
    "Costa", "Ivanova", "Petrov", "Andersen", "Larsen", "Fischer", "Weber", "Moreau", "Romano",
    "Santos", "Reyes", "Cruz", "Sato", "Ito", "Rahman", "Khan", "Ali", "Osei", "Baker",
];

const PUBLISHERS: &[(&str, &str)] = &[
    ("Korea Development Institute", "kdi"),
    ("Bank of Korea", "bok"),
    ("Harbor Institute for Korean Affairs", "hika"),
    ("Asan Policy Forum", "apf"),
    ("International Monetary Fund", "imf"),
    ("World Bank", "wb"),
    ("Peterson Policy Center", "ppc"),
    ("Pacific Economic Council", "pec"),
    ("Institute for Security Analysis", "isa"),
    ("Statistics Korea", "kostat"),
];

const JOURNALS: &[&str] = &[
    "Journal of East Asian Studies",
    "Asian Survey",
    "Pacific Affairs",
    "Korea Observer",
    "Journal of Peace Research",
    "International Security",
    "World Development",
    "Journal of Asian Economics",
];

const NEWSPAPERS: &[&str] = &[
    "Pacific Ledger",
    "Seoul Courier",
    "Harbor Times",
    "Financial Gazette",
    "Northeast Asia Wire",
    "Daily Observer",
];

const PRESSES: &[&str] = &[
    "Columbia University Press",
    "Stanford University Press",
    "Cornell University Press",
    "Oxford University Press",
    "Routledge",
    "Brookings Institution Press",
];

const CITIES: &[&str] = &[
    "New York",
    "Stanford",
    "Ithaca",
    "Oxford",
    "London",
    "Washington, DC",
];

const WORDS: &[&str] = &[
    "policy",
    "alliance",
    "export",
    "control",
    "sanctions",
    "maritime",
    "enforcement",
    "budget",
    "labor",
    "migration",
    "energy",
    "transition",
    "reactor",
    "subsidy",
    "tariff",
    "supply",
    "chain",
    "semiconductor",
    "demand",
    "market",
    "treaty",
    "council",
    "resolution",
    "panel",
    "report",
    "analysts",
    "region",
    "peninsula",
    "coast",
    "border",
    "cost",
    "troops",
    "deployment",
    "deterrence",
    "growth",
    "fertility",
    "pension",
    "reform",
    "housing",
    "wages",
    "inflation",
    "the",
    "the",
    "the",
    "the",
    "of",
    "of",
    "of",
    "and",
    "and",
    "and",
    "to",
    "to",
    "in",
    "in",
    "a",
    "a",
    "is",
    "that",
    "for",
    "on",
    "with",
    "as",
    "by",
    "was",
    "are",
    "its",
    "their",
    "this",
    "which",
    "from",
    "has",
    "have",
    "more",
    "than",
    "but",
    "not",
    "will",
    "would",
    "could",
    "government",
    "ministry",
    "parliament",
    "assembly",
    "election",
    "voters",
    "exports",
    "imports",
    "shipments",
    "firms",
    "industry",
    "investment",
    "capital",
    "bank",
    "rates",
    "households",
    "debt",
    "spending",
    "revenue",
    "taxes",
    "workers",
    "employers",
    "unions",
    "productivity",
    "output",
    "capacity",
    "demand",
    "prices",
    "currency",
    "reserves",
    "missile",
    "tests",
    "launches",
    "warheads",
    "drills",
    "exercises",
    "forces",
    "navy",
    "coast guard",
    "patrols",
    "vessels",
    "tankers",
    "ports",
    "cargo",
    "oil",
    "coal",
    "gas",
    "nuclear",
    "renewable",
    "grid",
    "emissions",
    "targets",
    "climate",
    "agreement",
    "talks",
    "summit",
    "envoy",
    "delegation",
    "negotiations",
    "dialogue",
    "pressure",
    "incentives",
    "risks",
    "costs",
    "benefits",
    "evidence",
    "data",
    "survey",
    "estimates",
    "projections",
    "scenario",
    "decade",
    "year",
    "quarter",
    "month",
    "since",
    "after",
    "before",
    "during",
    "while",
    "although",
    "because",
    "however",
    "therefore",
    "instead",
    "likely",
    "unlikely",
    "significant",
    "modest",
    "sharp",
    "steady",
    "gradual",
    "rapid",
    "uneven",
    "broad",
    "narrow",
    "regional",
    "national",
    "local",
    "domestic",
    "foreign",
    "bilateral",
    "multilateral",
    "strategic",
    "economic",
    "political",
    "social",
    "military",
    "civilian",
    "public",
    "private",
    "official",
    "informal",
    "new",
    "old",
    "recent",
    "current",
    "future",
    "earlier",
    "later",
    "first",
    "second",
    "third",
    "largest",
    "smallest",
    "higher",
    "lower",
    "rising",
    "falling",
    "shrinking",
    "expanding",
    "aging",
    "younger",
    "older",
    "rural",
    "urban",
    "coastal",
    "inland",
    "northern",
    "southern",
    "allies",
    "partners",
    "rivals",
    "neighbors",
    "Seoul",
    "Tokyo",
    "Beijing",
    "Washington",
    "Pyongyang",
    "Moscow",
    "Busan",
    "Incheon",
];
