//! Real Word documents through `dossier import docx`: Pandoc's test documents (kept beside the
//! repository in `../shared/corpora/docx/`, with Pandoc's own reading of each in `.native`).
//! Each must import and build; its text, notes and citations (items, prefixes, locators and
//! suffixes) must agree with Pandoc's reading, its sources with Pandoc's references (authors,
//! titles, dates); the built brief must show formatted citations with working citation-index
//! entries. Ignored by a plain `cargo test`; `.ci/run` runs it with `--include-ignored`.

use std::path::{Path, PathBuf};

use crate::harness::{Site, select_attr, select_text};

// ---- A reader for Haskell's `show` output, which is what .native files are.

#[derive(Debug, Clone)]
enum Value {
    Con(String, Vec<Value>),
    List(Vec<Value>),
    Tuple(Vec<Value>),
    Record(Vec<(String, Value)>),
    Str(String),
    Num,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Str(String),
    Num,
    Punct(char),
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '"' {
            let mut s = String::new();
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                    match chars[i] {
                        'n' => s.push('\n'),
                        't' => s.push('\t'),
                        '&' => {}
                        d if d.is_ascii_digit() => {
                            let start = i;
                            while chars[i].is_ascii_digit() {
                                i += 1;
                            }
                            let code: String = chars[start..i].iter().collect();
                            s.push(char::from_u32(code.parse().unwrap()).unwrap());
                            continue;
                        }
                        other => s.push(other),
                    }
                    i += 1;
                } else {
                    s.push(chars[i]);
                    i += 1;
                }
            }
            i += 1;
            tokens.push(Token::Str(s));
        } else if c.is_ascii_digit()
            || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            i += 1;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || ".-".contains(chars[i])) {
                i += 1;
            }
            tokens.push(Token::Num);
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '\'')
            {
                i += 1;
            }
            tokens.push(Token::Ident(chars[start..i].iter().collect()));
        } else {
            tokens.push(Token::Punct(c));
            i += 1;
        }
    }
    tokens
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Token {
        self.at += 1;
        self.tokens[self.at - 1].clone()
    }

    fn starts_atom(&self) -> bool {
        matches!(
            self.peek(),
            Some(Token::Ident(_) | Token::Str(_) | Token::Num | Token::Punct('[' | '(' | '{'))
        )
    }

    /// A constructor with its arguments, or an atom.
    fn value(&mut self) -> Value {
        if let Some(Token::Ident(name)) = self.peek().cloned() {
            self.next();
            if self.peek() == Some(&Token::Punct('{')) {
                return self.record();
            }
            let mut args = Vec::new();
            while self.starts_atom() {
                args.push(self.atom());
            }
            return Value::Con(name, args);
        }
        self.atom()
    }

    fn atom(&mut self) -> Value {
        match self.next() {
            Token::Ident(name) => {
                if self.peek() == Some(&Token::Punct('{')) {
                    return self.record();
                }
                Value::Con(name, Vec::new())
            }
            Token::Str(s) => Value::Str(s),
            Token::Num => Value::Num,
            Token::Punct('[') => Value::List(self.sequence(']')),
            Token::Punct('(') => {
                let mut items = self.sequence(')');
                if items.len() == 1 {
                    items.pop().unwrap()
                } else {
                    Value::Tuple(items)
                }
            }
            other => panic!("unexpected {other:?} at token {}", self.at),
        }
    }

    fn sequence(&mut self, close: char) -> Vec<Value> {
        let mut items = Vec::new();
        loop {
            if self.peek() == Some(&Token::Punct(close)) {
                self.next();
                return items;
            }
            items.push(self.value());
            if self.peek() == Some(&Token::Punct(',')) {
                self.next();
            }
        }
    }

    fn record(&mut self) -> Value {
        self.next();
        let mut fields = Vec::new();
        loop {
            match self.next() {
                Token::Punct('}') => return Value::Record(fields),
                Token::Punct(',') => {}
                Token::Ident(field) => {
                    assert_eq!(self.next(), Token::Punct('='));
                    fields.push((field, self.value()));
                }
                other => panic!("unexpected {other:?} in a record"),
            }
        }
    }
}

/// The blocks and the metadata of a .native file (`Pandoc meta blocks`, or just blocks).
fn read_native(path: &Path) -> (Vec<Value>, Option<Value>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut parser = Parser {
        tokens: tokenize(&text),
        at: 0,
    };
    match parser.value() {
        Value::Con(name, mut args) if name == "Pandoc" => {
            let Value::List(blocks) = args.pop().unwrap() else {
                panic!("no blocks")
            };
            (blocks, args.pop())
        }
        Value::List(blocks) => (blocks, None),
        other => panic!("not a Pandoc document: {other:?}"),
    }
}

/// What Pandoc read: body text, note texts, citations (items with prefix and suffix words).
#[derive(Default, Debug)]
struct Reading {
    body: Vec<String>,
    notes: Vec<Vec<String>>,
    citations: Vec<Vec<(Vec<String>, Vec<String>)>>,
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn collect(value: &Value, text: &mut String, reading: &mut Reading) {
    match value {
        Value::Con(name, args) => match (name.as_str(), args.as_slice()) {
            ("Str", [Value::Str(s)]) => text.push_str(s),
            ("Space" | "SoftBreak" | "LineBreak", _) => text.push(' '),
            ("Note", [blocks]) => {
                let mut note = String::new();
                collect(blocks, &mut note, reading);
                reading.notes.push(words(&note));
                text.push(' ');
            }
            ("Cite", [Value::List(citations), _shown]) => {
                let items = citations
                    .iter()
                    .map(|c| {
                        let Value::Record(fields) = c else {
                            panic!("{c:?}")
                        };
                        let field = |name: &str| {
                            let mut t = String::new();
                            let value = &fields.iter().find(|(f, _)| f == name).unwrap().1;
                            collect(value, &mut t, &mut Reading::default());
                            words(&t)
                        };
                        (field("citationPrefix"), field("citationSuffix"))
                    })
                    .collect();
                reading.citations.push(items);
                text.push(' ');
            }
            // An image's inlines are its alt text, not the body's.
            ("Image", _) => text.push(' '),
            _ => args.iter().for_each(|a| collect(a, text, reading)),
        },
        Value::List(items) | Value::Tuple(items) => {
            for item in items {
                collect(item, text, reading);
                text.push(' ');
            }
        }
        Value::Record(fields) => fields.iter().for_each(|(_, v)| collect(v, text, reading)),
        Value::Str(_) | Value::Num => {}
    }
}

/// Pandoc's references: (family names, title words, issued) each.
fn references(meta: &Value) -> Vec<(Vec<String>, Vec<String>, String)> {
    let mut out = Vec::new();
    fn find<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
        let Value::Con(name, args) = value else {
            return None;
        };
        if name == "MetaMap" {
            return find(args.first()?, key);
        }
        let Value::List(pairs) = args.first()? else {
            return None;
        };
        pairs.iter().find_map(|p| match p {
            Value::Tuple(kv) if matches!(&kv[0], Value::Str(k) if k == key) => Some(&kv[1]),
            _ => None,
        })
    }
    fn text_of(value: &Value) -> String {
        match value {
            Value::Con(_, args) if args.len() == 1 && matches!(args[0], Value::Str(_)) => {
                let Value::Str(s) = &args[0] else {
                    unreachable!()
                };
                s.clone()
            }
            other => {
                let mut t = String::new();
                collect(other, &mut t, &mut Reading::default());
                t
            }
        }
    }
    let Value::Record(fields) = meta else {
        return out;
    };
    let Some(Value::Con(_, list)) = fields.first().map(|(_, v)| v) else {
        return out;
    };
    let Some(Value::List(pairs)) = list.first() else {
        return out;
    };
    for pair in pairs {
        let Value::Tuple(kv) = pair else { continue };
        if !matches!(&kv[0], Value::Str(k) if k == "references") {
            continue;
        }
        let Value::Con(_, refs) = &kv[1] else {
            continue;
        };
        let Some(Value::List(refs)) = refs.first() else {
            continue;
        };
        for reference in refs {
            let map = reference;
            let families = match find(map, "author") {
                Some(Value::Con(_, names)) => match names.first() {
                    Some(Value::List(names)) => names
                        .iter()
                        .filter_map(|n| find(n, "family").map(text_of))
                        .collect(),
                    _ => Vec::new(),
                },
                _ => Vec::new(),
            };
            let title = find(map, "title")
                .map(|t| words(&text_of(t)))
                .unwrap_or_default();
            let issued = find(map, "issued").map(text_of).unwrap_or_default();
            out.push((families, title, issued));
        }
    }
    out
}

// ---- The check.

fn corpus() -> PathBuf {
    let dir = match std::env::var_os("DOSSIER_DOCX_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/docx"),
    };
    assert!(
        dir.is_dir(),
        "the Word corpus is not at {} (a copy of the team's shared/ beside the repository)",
        dir.display()
    );
    dir
}

fn dossier(site: &Site, args: &[&str]) -> String {
    let run = crate::harness::run(site.root(), args).success();
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run.stdout.trim().to_owned()
}

/// The text of `.brief-body` without note references.
fn body_words(page: &str) -> Vec<String> {
    let mut html = page.to_owned();
    while let Some(start) = html.find("<sup class=\"note-ref\">") {
        let end = html[start..]
            .find("</sup>")
            .map_or(html.len(), |e| start + e + 6);
        html.replace_range(start..end, " ");
    }
    // Cells and paragraphs are separate words even when the HTML has no space between them.
    for tag in ["</td>", "</th>", "</p>", "</li>", "<br>"] {
        html = html.replace(tag, &format!(" {tag}"));
    }
    words(&select_text(&html, ".brief-body").join(" "))
}

/// Citation groups of the brief's Markdown body: per item, prefix words and locator+suffix words.
fn marker_groups(brief: &str) -> Vec<Vec<(Vec<String>, Vec<String>)>> {
    let body = &brief[brief[3..].find("+++").unwrap() + 6..];
    let escaped = |i: usize| i > 0 && body.as_bytes()[i - 1] == b'\\';
    dossier::cite::markers::find_groups(body, escaped)
        .into_iter()
        .map(|(_, items)| {
            items
                .into_iter()
                .map(|item| {
                    let mut after = item.locator.map(|l| l.value).unwrap_or_default();
                    after.push(' ');
                    after.push_str(&item.suffix);
                    (words(&item.prefix), words(&after))
                })
                .collect()
        })
        .collect()
}

#[test]
#[ignore = "needs the Word corpus in ../shared/corpora/docx (run from .ci/run)"]
fn docx_corpus_agrees_with_pandocs_reading() {
    let dir = corpus();
    let site = Site::new().file(
        "site.toml",
        "title = \"Corpus\"\nbase_url = \"https://example.org/\"\n",
    );
    let mut documents: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "docx"))
        .collect();
    documents.sort();
    assert!(documents.len() >= 12, "{documents:?}");
    let mut briefs = Vec::new();
    for doc in &documents {
        let brief = dossier(&site, &["import", "docx", doc.to_str().unwrap()]);
        briefs.push((doc.clone(), brief));
    }
    dossier(&site, &["build", "--drafts"]);
    let mut checked = 0;
    let mut compared_references = 0;
    for (doc, brief_path) in &briefs {
        let stem = doc.file_stem().unwrap().to_string_lossy().into_owned();
        let slug = brief_path
            .trim_start_matches("briefs/")
            .trim_end_matches(".md");
        let page = site.page(&format!("{slug}/"));
        let brief = site.read(brief_path);
        // Formatted citations, each reference with a working citation-index entry.
        for link in select_attr(&page, ".brief-references a.ref-index", "href") {
            let source = site.page(link.trim_start_matches('/'));
            assert!(
                select_attr(&source, "a", "href").contains(&format!("/{slug}/")),
                "{stem}: {link} does not list the brief"
            );
        }
        let native = ["", "_plus"]
            .iter()
            .map(|s| dir.join(format!("{stem}{s}.native")))
            .find(|p| p.is_file());
        let Some(native) = native else {
            // No reading to compare with (image.docx): its picture must be there.
            assert!(
                !select_attr(&page, ".brief-body img", "src").is_empty(),
                "{stem}"
            );
            continue;
        };
        let (mut blocks, meta) = read_native(&native);
        let pandoc_references = meta.as_ref().map(references).unwrap_or_default();
        let mut reading = Reading::default();
        // The plugin's bibliography field, which Pandoc leaves out, stood under the last heading.
        if !pandoc_references.is_empty()
            && matches!(blocks.last(), Some(Value::Con(name, _)) if name == "Header")
        {
            blocks.pop();
        }
        let mut text = String::new();
        for block in &blocks {
            collect(block, &mut text, &mut reading);
            text.push(' ');
        }
        reading.body = words(&text);
        let title = words(&select_text(&page, "h1").join(" "));
        if reading.body.starts_with(&title) {
            reading.body.drain(..title.len());
        }
        assert_eq!(body_words(&page), reading.body, "{stem}: body text");
        let notes: Vec<Vec<String>> = select_text(&page, ".brief-notes li p")
            .iter()
            .map(|n| words(n))
            .collect();
        let mut at = 0;
        for note in &reading.notes {
            let found = notes[at..].iter().position(|n| n == note);
            assert!(found.is_some(), "{stem}: note {note:?} not among {notes:?}");
            at += found.unwrap() + 1;
        }
        assert_eq!(
            marker_groups(&brief),
            reading.citations,
            "{stem}: citations"
        );
        if !pandoc_references.is_empty() {
            let front: toml::Value =
                toml::from_str(&brief[4..brief[3..].find("+++").unwrap() + 3]).unwrap();
            let sources = front
                .get("citations")
                .and_then(|c| c.as_array())
                .cloned()
                .unwrap_or_default();
            for (families, title, issued) in &pandoc_references {
                let found = sources.iter().any(|s| {
                    let mine_families: Vec<String> = s["author"]
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|n| n.get("family")?.as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default();
                    let parts: Vec<String> = s["issued"]["date-parts"][0]
                        .as_array()
                        .map(|p| {
                            p.iter()
                                .map(|n| n.as_integer().unwrap())
                                .enumerate()
                                .map(|(i, n)| {
                                    if i == 0 {
                                        n.to_string()
                                    } else {
                                        format!("{n:02}")
                                    }
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    &mine_families == families
                        && &words(s["title"].as_str().unwrap_or_default()) == title
                        && &parts.join("-") == issued
                });
                assert!(
                    found,
                    "{stem}: no source for {families:?} {title:?} {issued}"
                );
            }
            compared_references += pandoc_references.len();
            assert_eq!(
                select_text(&page, ".brief-references li").len(),
                sources.len(),
                "{stem}: every source in the references"
            );
        }
        checked += 1;
    }
    assert!(checked >= 11, "{checked} documents compared");
    assert!(
        compared_references >= 5,
        "{compared_references} references compared"
    );
    eprintln!(
        "docx corpus: {} documents imported and built; {checked} agree with Pandoc's reading ({compared_references} references)",
        documents.len()
    );
}
