//! The client-side search index: a Pagefind-style index split into files so that a visitor
//! downloads only what a query needs, never the corpus.
//!
//! - `search/index.json`, the manifest: the number of briefs, the first word of each shard and the
//!   stop words left out.
//! - `search/i/<n>.json.gz`, the shards: the sorted vocabulary cut into contiguous ranges of about the
//!   same size, each word with its postings (brief ids, delta-encoded, each with a weight that
//!   counts where the word occurs: title, authors, category and tags, summary, body). A word, or a
//!   prefix as the visitor types, lives in one shard (rarely two): a query fetches one shard per
//!   word.
//! - `search/d/<id>.json.gz`, one small file per brief: title, URL, date, authors and plain text,
//!   fetched only for the results shown, to print them with a highlighted snippet.
//!
//! Shards and documents are JSON written gzip-compressed (about a third of their size: they were
//! a fifth of a large site's bytes), and search.js inflates them with the browser's
//! `DecompressionStream`, as Pagefind does. A server that sends a `.gz` file with
//! `Content-Encoding: gzip` has the browser inflate it first: search.js tells the two apart by
//! gzip's first byte, which JSON never starts with.
//!
//! The number of shards grows with the number of briefs (one per `BRIEFS_PER_SHARD`), so that
//! shards keep the same size as a site grows. `themes/peninsula/static/search.js` reads the files
//! and tokenizes queries exactly as `tokens` does here.

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::fmt::Write as _;

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use super::views::Summary;
use crate::site::Site;

/// Briefs per index shard: about 50 KB of postings per shard for briefs of ~1,200 words.
pub const BRIEFS_PER_SHARD: usize = 25;
const MAX_SHARDS: usize = 4096;
/// Longest word indexed, in characters (longer runs are identifiers or garbage).
const MAX_WORD: usize = 40;
/// Longest text kept per brief for snippets, in bytes.
const MAX_TEXT: usize = 60_000;

/// Defines the stop words once: the list search.js receives, and a `match` to test a word
/// against them (a binary search of the list was a tenth of a large build's CPU time).
macro_rules! stop_words {
    ($($word:literal),* $(,)?) => {
        /// Words too common to help a search, left out of the index and of queries (search.js
        /// receives them in the manifest).
        pub const STOP_WORDS: &[&str] = &[$($word),*];

        fn is_stop_word(word: &str) -> bool {
            matches!(word, $($word)|*)
        }
    };
}

stop_words! {
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "he",
    "her", "his", "if", "in", "into", "is", "it", "its", "may", "more", "most", "no", "not", "of",
    "on", "or", "other", "our", "over", "she", "should", "so", "some", "such", "than", "that",
    "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "was", "we",
    "were", "what", "when", "where", "which", "who", "will", "with", "would", "you",
}

/// How much an occurrence in each field weighs.
const TITLE: f32 = 12.0;
const AUTHOR: f32 = 8.0;
const TERM: f32 = 6.0;
const SUMMARY: f32 = 3.0;
const BODY: f32 = 4.0;

/// The pages of the index for `site`: where they are written relative to the search folder.
pub fn shard_count(site: &Site) -> usize {
    shards_of(doc_count(site))
}

/// The number of shards of an index of `docs` documents.
fn shards_of(docs: usize) -> usize {
    docs.div_ceil(BRIEFS_PER_SHARD).clamp(1, MAX_SHARDS)
}

/// The documents search finds: the briefs, then the standalone pages.
pub fn doc_count(site: &Site) -> usize {
    site.briefs.len() + site.pages.len()
}

/// Words of `text` as the index and search.js see them: lowercase runs of letters and digits
/// (`char::is_alphanumeric`), two to `MAX_WORD` characters, stop words left out.
pub fn tokens(text: &str) -> Tokens<'_> {
    Tokens { text, at: 0 }
}

/// What a byte is to the tokenizer: every byte of a non-ASCII character is `NON_ASCII`, and
/// only those characters are decoded.
const SEPARATOR: u8 = 0;
const LOWER_OR_DIGIT: u8 = 1;
const UPPER: u8 = 2;
const NON_ASCII: u8 = 3;
const BYTE_CLASS: [u8; 256] = {
    let mut table = [NON_ASCII; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c.is_ascii_lowercase() || c.is_ascii_digit() {
            LOWER_OR_DIGIT
        } else if c.is_ascii_uppercase() {
            UPPER
        } else {
            SEPARATOR
        };
        b += 1;
    }
    table
};

/// The iterator behind `tokens`: one pass over the bytes, each classified by `BYTE_CLASS`, that
/// decodes only non-ASCII characters (the index reads every word of every brief, and a
/// per-character iterator chain was 400 instructions a word).
pub struct Tokens<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Tokens<'a> {
    /// The character starting at byte `i`, which is not ASCII.
    fn char_at(&self, i: usize) -> char {
        self.text[i..].chars().next().unwrap_or(' ')
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Cow<'a, str>;

    fn next(&mut self) -> Option<Cow<'a, str>> {
        let bytes = self.text.as_bytes();
        let mut i = self.at;
        loop {
            // Skip to the next letter or digit.
            loop {
                match BYTE_CLASS[usize::from(*bytes.get(i)?)] {
                    SEPARATOR => i += 1,
                    NON_ASCII => {
                        let c = self.char_at(i);
                        if c.is_alphanumeric() {
                            break;
                        }
                        i += c.len_utf8();
                    }
                    _ => break,
                }
            }
            let start = i;
            let (mut upper, mut ascii) = (false, true);
            while let Some(&b) = bytes.get(i) {
                match BYTE_CLASS[usize::from(b)] {
                    SEPARATOR => break,
                    LOWER_OR_DIGIT => i += 1,
                    UPPER => {
                        upper = true;
                        i += 1;
                    }
                    _ => {
                        let c = self.char_at(i);
                        if !c.is_alphanumeric() {
                            break;
                        }
                        ascii = false;
                        i += c.len_utf8();
                    }
                }
            }
            self.at = i;
            let word = &self.text[start..i];
            if ascii {
                if !(2..=MAX_WORD).contains(&word.len()) {
                    continue;
                }
                if !upper {
                    if is_stop_word(word) {
                        continue;
                    }
                    return Some(Cow::Borrowed(word));
                }
                // Test a capitalized stop word ("The") without allocating its lowercase form.
                let mut small = [0u8; 8];
                if let Some(buffer) = small.get_mut(..word.len()) {
                    buffer.copy_from_slice(word.as_bytes());
                    buffer.make_ascii_lowercase();
                    if std::str::from_utf8(buffer).is_ok_and(is_stop_word) {
                        continue;
                    }
                }
                return Some(Cow::Owned(word.to_ascii_lowercase()));
            }
            if !(2..=MAX_WORD).contains(&word.chars().count()) {
                continue;
            }
            // Lowercase as search.js does (`toLowerCase`), titlecase letters such as `ǅ` included.
            let lower = word.to_lowercase();
            let word = if lower == word {
                Cow::Borrowed(word)
            } else {
                Cow::Owned(lower)
            };
            if !is_stop_word(&word) {
                return Some(word);
            }
        }
    }
}

/// The built index: the manifest and the shards' JSON.
pub struct Index {
    pub manifest: String,
    pub shards: Vec<String>,
}

#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    docs: usize,
    /// The first word of each shard, or null for an empty one.
    shards: Vec<Option<&'a str>>,
    stop: &'a [&'a str],
}

/// Per-brief weights of its words, borrowed from the brief's text where they are lowercase
/// already (most are: an owned copy of each would be millions of allocations on a large site).
fn weights<'a>(summary: &'a Summary, average: f32) -> Vec<(Cow<'a, str>, u32)> {
    // The short fields first (a few dozen words), each word counted once per field.
    let mut fields: HashMap<Cow<'a, str>, f32> = HashMap::default();
    let mut add_field = |text: &'a str, weight: f32| {
        let mut seen: Vec<Cow<'a, str>> = tokens(text).collect();
        seen.sort();
        seen.dedup();
        for word in seen {
            *fields.entry(word).or_default() += weight;
        }
    };
    add_field(&summary.title, TITLE);
    for author in &summary.authors {
        add_field(&author.name, AUTHOR);
    }
    for term in summary.category.iter().chain(&summary.tags) {
        add_field(&term.name, TERM);
    }
    add_field(&summary.summary, SUMMARY);
    // The body: BM25's saturating term frequency, normalized by the brief's length. Its words
    // (hundreds) take the short fields' weights as they go rather than going into their map.
    let mut counts: HashMap<Cow<'a, str>, u32> = HashMap::default();
    for word in tokens(&summary.text) {
        *counts.entry(word).or_default() += 1;
    }
    let (k1, b_param) = (1.2f32, 0.75f32);
    let norm = 1.0 - b_param + b_param * body_length(summary) / average.max(1.0);
    let mut weights: Vec<(Cow<'a, str>, u32)> = Vec::with_capacity(counts.len() + fields.len());
    let rounded = |weight: f32| weight.round().max(1.0) as u32;
    for (word, tf) in counts {
        let tf = tf as f32;
        let other = fields.remove(&word).unwrap_or_default();
        weights.push((
            word,
            rounded(other + BODY * tf * (k1 + 1.0) / (tf + k1 * norm)),
        ));
    }
    weights.extend(
        fields
            .into_iter()
            .map(|(word, weight)| (word, rounded(weight))),
    );
    weights
}

/// A brief's length for BM25's normalization: its plain text's.
fn body_length(summary: &Summary) -> f32 {
    summary.text.len() as f32
}

/// Builds the whole index (every brief, in parallel) of the first `docs` summaries
/// (`doc_count`).
pub fn build(docs: usize, summaries: &[Summary]) -> Index {
    build_unless(docs, summaries, &AtomicBool::new(false))
        .expect("an index is only given up when asked to")
}

/// `build`, given up (`None`) soon after `given_up` is set: the preview makes the index beside
/// its rebuilds and gives it up when an edit comes.
pub fn build_unless(docs: usize, summaries: &[Summary], given_up: &AtomicBool) -> Option<Index> {
    let count = shards_of(docs);
    let total_length: f32 = summaries.iter().map(body_length).sum();
    let docs = docs.min(summaries.len());
    let average = total_length / docs.max(1) as f32;
    // Each thread gathers the postings of a run of briefs; the runs are merged in brief order,
    // and each list is sorted by brief all the same (a merge in order is rayon's practice, not
    // its promise).
    type Posting = (u32, u32);
    type Postings<'a> = HashMap<Cow<'a, str>, Vec<Posting>>;
    let postings: Postings<'_> = (0..docs)
        .into_par_iter()
        .fold(Postings::default, |mut postings, b| {
            if given_up.load(Ordering::Relaxed) {
                return postings;
            }
            for (word, weight) in weights(&summaries[b], average) {
                postings.entry(word).or_default().push((b as u32, weight));
            }
            postings
        })
        .reduce(Postings::default, |mut left, right| {
            for (word, list) in right {
                left.entry(word).or_default().extend(list);
            }
            left
        });
    if given_up.load(Ordering::Relaxed) {
        return None;
    }
    let mut postings: Vec<(Cow<'_, str>, Vec<Posting>)> = postings.into_iter().collect();
    postings.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    postings
        .par_iter_mut()
        .for_each(|(_, list)| list.sort_unstable_by_key(|&(doc, _)| doc));
    // Each word's JSON, then cut the sorted vocabulary into ranges of similar size.
    let entries: Vec<(&str, String)> = postings
        .par_iter()
        .map(|(word, list)| {
            let mut json = serde_json::to_string(word).unwrap_or_default();
            json.push_str(":[");
            let mut previous = 0;
            for (i, (doc, weight)) in list.iter().enumerate() {
                if i > 0 {
                    json.push(',');
                }
                let _ = write!(json, "{},{weight}", doc - previous);
                previous = *doc;
            }
            json.push(']');
            (word.as_ref(), json)
        })
        .collect();
    let total: usize = entries.iter().map(|(_, json)| json.len() + 1).sum();
    let target = total.div_ceil(count).max(1);
    let mut shards: Vec<String> = Vec::with_capacity(count);
    let mut firsts: Vec<Option<&str>> = Vec::with_capacity(count);
    let mut current = String::new();
    let mut first = None;
    let mut cumulative = 0;
    for (word, json) in &entries {
        if first.is_none() {
            first = Some(*word);
            current.push('{');
        } else {
            current.push(',');
        }
        current.push_str(json);
        cumulative += json.len() + 1;
        // Close a shard when the words so far reach its cumulative share of the total.
        if shards.len() + 1 < count && cumulative >= target * (shards.len() + 1) {
            current.push('}');
            shards.push(std::mem::take(&mut current));
            firsts.push(first.take());
        }
    }
    if first.is_some() {
        current.push('}');
        shards.push(current);
        firsts.push(first);
    }
    while shards.len() < count {
        shards.push("{}".to_owned());
        firsts.push(None);
    }
    let manifest = serde_json::to_string(&Manifest {
        version: 1,
        docs,
        shards: firsts,
        stop: STOP_WORDS,
    })
    .unwrap_or_default();
    Some(Index { manifest, shards })
}

#[derive(Serialize)]
struct Doc<'a> {
    title: &'a str,
    url: &'a str,
    date: &'a str,
    date_display: &'a str,
    authors: Vec<&'a str>,
    category: Option<&'a str>,
    text: &'a str,
}

/// `search/d/<b>.json`: what a result shows.
pub fn doc(summaries: &[Summary], b: usize) -> String {
    let summary = &summaries[b];
    let mut body = &*summary.text;
    if body.len() > MAX_TEXT {
        let mut end = MAX_TEXT;
        while !body.is_char_boundary(end) {
            end -= 1;
        }
        body = &body[..end];
    }
    let text = if body.is_empty() {
        summary.summary.as_str()
    } else {
        body
    };
    serde_json::to_string(&Doc {
        title: &summary.title,
        url: &summary.url,
        date: &summary.date,
        date_display: &summary.date_display,
        authors: summary.authors.iter().map(|a| a.name.as_str()).collect(),
        category: summary.category.as_ref().map(|c| c.name.as_str()),
        text,
    })
    .unwrap_or_default()
}

/// gzip of an index file. Level 6 (zlib's default) makes files ~10 % smaller than level 1, and
/// the compressing is ~1 % of a large build's CPU time (measured in bench/README.md). The output
/// depends only on the input (no time stamp or name in the header), so a rebuild's files are
/// byte-identical and the output folder's unchanged files are kept.
pub fn gzip(text: &str) -> Vec<u8> {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(text.len() / 3 + 64),
        flate2::Compression::new(GZIP_LEVEL),
    );
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(text.as_bytes());
    encoder.finish().unwrap_or_default()
}

const GZIP_LEVEL: u32 = 6;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_round_trips_and_does_not_vary() {
        use std::io::Read as _;
        let text = r#"{"sanctions":[0,12,3,4],"ōsaka":[1,8]}"#.repeat(50);
        let packed = gzip(&text);
        assert_eq!(
            &packed[..2],
            &[0x1f, 0x8b],
            "gzip's magic, which search.js tests"
        );
        assert!(packed.len() < text.len() / 4);
        assert_eq!(
            packed,
            gzip(&text),
            "no time stamp: the same bytes every build"
        );
        let mut back = String::new();
        flate2::read::GzDecoder::new(&packed[..])
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, text);
    }

    #[test]
    fn stop_words_are_recognized_and_nothing_else() {
        assert!(STOP_WORDS.iter().all(|w| is_stop_word(w)));
        assert!(!is_stop_word("sanctions") && !is_stop_word("") && !is_stop_word("The"));
    }

    #[test]
    fn tokens_are_lowercase_words_without_stop_words() {
        let words: Vec<String> =
            tokens("The DPRK's ship-to-ship transfers, in 2023: Ōsaka & 서울 a x")
                .map(Cow::into_owned)
                .collect();
        assert_eq!(
            words,
            ["dprk", "ship", "ship", "transfers", "2023", "ōsaka", "서울"]
        );
    }

    /// The definition, written plainly: what the fast tokenizer must agree with.
    fn reference_tokens(text: &str) -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| (2..=MAX_WORD).contains(&w.chars().count()))
            .map(str::to_lowercase)
            .filter(|w| !is_stop_word(w))
            .collect()
    }

    #[test]
    fn tokens_agree_with_the_plain_definition() {
        let long = "x".repeat(MAX_WORD);
        let longer = "Y".repeat(MAX_WORD + 1);
        let samples = [
            "",
            "   ",
            "The THE tHe Should SHOULD shouldn't Between",
            "Ab AB aB ab a A 1 12 ٣٤ Ⅻ ⅻ ǅemal ǅ ǈ",
            "Ōsaka ŌSAKA ōsaka Élan ÉLAN naïve NAÏVE Straße STRASSE İstanbul",
            "서울 北京 東京都 Москва МОСКВА Αθήνα ΑΘΉΝΑ",
            "U.N. S/RES/2397 (2017), para. 8; pp. 12–15 — “quoted” «guillemets» e\u{301}te",
            "tab\tnew\nline\r\nend, comma;semi:colon!bang?q 3.5% $10bn #tag @id",
            "emoji 👍🏽 mixed a👍b zero\u{200b}width soft\u{ad}hyphen",
            &long,
            &longer,
            &format!("{long}é {long}É"),
        ];
        for sample in samples {
            let fast: Vec<String> = tokens(sample).map(Cow::into_owned).collect();
            assert_eq!(fast, reference_tokens(sample), "tokens of {sample:?}");
        }
    }
}
