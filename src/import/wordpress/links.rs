//! Where the old site's URLs lead on the new one: permalinks and `?p=`/`?page_id=` URLs of
//! imported posts and pages, and files under `wp-content/uploads`.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::LazyLock;

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};
use regex::{Captures, Regex};

use super::content::Converted;

/// The parts of a URL the importer compares.
#[derive(Debug, PartialEq)]
pub(super) struct Url<'a> {
    pub host: Option<&'a str>,
    pub path: &'a str,
    pub query: &'a str,
    pub fragment: &'a str,
}

/// Splits `scheme://host/path?query#fragment` (or a path without host).
pub(super) fn split_url(url: &str) -> Url<'_> {
    let (rest, fragment) = url.split_once('#').unwrap_or((url, ""));
    let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (host, path) = match rest.split_once("://") {
        Some((_, after)) => match after.find('/') {
            Some(i) => (Some(&after[..i]), &after[i..]),
            None => (Some(after), "/"),
        },
        None => match rest.strip_prefix("//") {
            Some(after) => match after.find('/') {
                Some(i) => (Some(&after[..i]), &after[i..]),
                None => (Some(after), "/"),
            },
            None => (None, rest),
        },
    };
    Url {
        host,
        path,
        query,
        fragment,
    }
}

/// A path's decoded form with one trailing slash, for comparing permalinks.
pub(super) fn normal_path(path: &str) -> String {
    let decoded = percent_decode_str(path).decode_utf8_lossy().to_lowercase();
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    if segments.is_empty() {
        "/".to_owned()
    } else {
        format!("/{}/", segments.join("/"))
    }
}

/// What may stay unencoded in a path segment of a rewritten upload URL.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

pub(super) struct Links {
    hosts: Vec<String>,
    old_base_path: String,
    new_base_path: String,
    by_path: HashMap<String, String>,
    by_id: HashMap<u64, String>,
    /// Posts by their WordPress name (`post_name`), for date permalinks written with another date.
    by_name: HashMap<String, Option<String>>,
    uploads: Option<PathBuf>,
}

/// Where an upload URL leads.
pub(super) enum Upload {
    /// Copied into the site: its path under `static/`.
    Copied(String),
    /// Left where it is.
    External,
    /// Its path tries to leave the uploads folder.
    Unsafe,
}

static ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(\s(?:href|src|poster|srcset)\s*=\s*)(?:"([^"]*)"|'([^']*)')"#)
        .expect("fixed")
});

impl Links {
    pub(super) fn new(site_urls: &[&str], new_base_path: &str, uploads: Option<PathBuf>) -> Links {
        let mut hosts = Vec::new();
        let mut old_base_path = "/".to_owned();
        for (i, url) in site_urls.iter().enumerate() {
            let parts = split_url(url);
            if let Some(host) = parts.host {
                let host = host.to_ascii_lowercase();
                let bare = host.trim_start_matches("www.").to_owned();
                hosts.push(format!("www.{bare}"));
                hosts.push(bare);
                if i == 0 {
                    old_base_path = normal_path(parts.path);
                }
            }
        }
        Links {
            hosts,
            old_base_path,
            new_base_path: new_base_path.to_owned(),
            by_path: HashMap::new(),
            by_id: HashMap::new(),
            by_name: HashMap::new(),
            uploads,
        }
    }

    /// Records an old path of the site (from its root, `category/trade/`) that leads somewhere
    /// on the new one (a URL under the base path, or a web address).
    pub(super) fn add_path(&mut self, old_path: &str, new_url: &str) {
        let path = format!("{}{}", self.old_base_path, old_path.trim_start_matches('/'));
        self.by_path
            .entry(normal_path(&path))
            .or_insert_with(|| new_url.to_owned());
    }

    /// Records a post's name, for links that name it under a date other than its own (WordPress
    /// finds the post by name then); a name two posts share leads nowhere.
    pub(super) fn add_name(&mut self, name: &str, new_url: &str) {
        if name.is_empty() {
            return;
        }
        self.by_name
            .entry(name.to_lowercase())
            .and_modify(|url| *url = None)
            .or_insert_with(|| Some(new_url.to_owned()));
    }

    /// Where the site's pages under the new base path are, for `add_path`.
    pub(super) fn new_base_path(&self) -> &str {
        &self.new_base_path
    }

    /// Records an imported post or page: its id, its old permalink and its new URL (site path).
    pub(super) fn add(&mut self, id: u64, old_link: &str, new_url: &str) {
        self.by_id.insert(id, new_url.to_owned());
        let parts = split_url(old_link);
        if self.is_site_host(parts.host) && parts.query.is_empty() {
            self.by_path
                .insert(normal_path(parts.path), new_url.to_owned());
        }
    }

    fn is_site_host(&self, host: Option<&str>) -> bool {
        match host {
            None => true,
            Some(host) => self.hosts.iter().any(|h| h.eq_ignore_ascii_case(host)),
        }
    }

    /// The old link's path relative to the old site's root (`/2013/01/slug/`), for an alias; or
    /// `None` when it is on another host or is the site's root.
    pub(super) fn alias_of(&self, old_link: &str) -> Option<String> {
        let parts = split_url(old_link);
        if parts.host.is_none() || !self.is_site_host(parts.host) {
            return None;
        }
        let decoded = percent_decode_str(parts.path).decode_utf8_lossy();
        // One slash between segments (WordPress writes `//` now and then), the last kept.
        let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
        let mut path = format!("/{}", segments.join("/"));
        if decoded.ends_with('/') && !segments.is_empty() {
            path.push('/');
        }
        let rest = path.strip_prefix(self.old_base_path.as_str()).or_else(|| {
            (format!("{}/", path.trim_end_matches('/')) == self.old_base_path).then_some("")
        })?;
        if !parts.query.is_empty() {
            return Some(format!("/{rest}?{}", parts.query));
        }
        if rest.is_empty() {
            return None;
        }
        Some(format!("/{rest}"))
    }

    /// The new URL of a link to the old site, if it leads to an imported post or page.
    pub(super) fn page(&self, url: &str) -> Option<String> {
        let parts = split_url(url);
        if !self.is_site_host(parts.host) || (parts.host.is_none() && !parts.path.starts_with('/'))
        {
            return None;
        }
        let fragment = if parts.fragment.is_empty() {
            String::new()
        } else {
            format!("#{}", parts.fragment)
        };
        for pair in parts.query.split('&') {
            if let Some((key, value)) = pair.split_once('=')
                && matches!(key, "p" | "page_id")
                && let Ok(id) = value.parse::<u64>()
            {
                return self.by_id.get(&id).map(|u| format!("{u}{fragment}"));
            }
        }
        if !parts.query.is_empty() {
            return None;
        }
        let path = normal_path(parts.path);
        if let Some(url) = self.by_path.get(&path) {
            return Some(format!("{url}{fragment}"));
        }
        // `/2018/11/03/name/`: a date permalink with another date than the post's.
        let rest = path.strip_prefix(&self.old_base_path)?;
        let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
        let (name, dates) = segments.split_last()?;
        if dates.is_empty() || !dates.iter().all(|d| d.bytes().all(|b| b.is_ascii_digit())) {
            return None;
        }
        let url = self.by_name.get(*name)?.as_ref()?;
        Some(format!("{url}{fragment}"))
    }

    /// The file of an upload URL under the uploads folder (`2013/01/x.jpg`), if it is one.
    pub(super) fn upload_path(url: &str) -> Option<String> {
        let parts = split_url(url);
        let path = match parts.path.find("/wp-content/uploads/") {
            Some(i) => &parts.path[i + "/wp-content/uploads/".len()..],
            None if parts
                .host
                .is_some_and(|h| h.ends_with(".files.wordpress.com")) =>
            {
                parts.path.trim_start_matches('/')
            }
            None => return None,
        };
        Some(percent_decode_str(path).decode_utf8_lossy().into_owned())
    }

    /// Where an upload (its path under the uploads folder) goes.
    pub(super) fn upload(&self, relative: &str) -> Upload {
        let safe = !relative.is_empty()
            && !relative.contains(['\\', '\0'])
            && Path::new(relative)
                .components()
                .all(|c| matches!(c, Component::Normal(_)));
        if !safe {
            return Upload::Unsafe;
        }
        let Some(folder) = &self.uploads else {
            return Upload::External;
        };
        let file = folder.join(relative);
        // The file itself, not a link out of the uploads folder.
        let inside = match (file.canonicalize(), folder.canonicalize()) {
            (Ok(file), Ok(folder)) => file.starts_with(folder) && file.is_file(),
            _ => false,
        };
        if inside {
            Upload::Copied(format!("wp-content/uploads/{relative}"))
        } else {
            Upload::External
        }
    }

    /// A URL as the new site has it: pages and posts at their new URLs, copied uploads under the
    /// site; anything else as it was.
    pub(super) fn rewrite(&self, url: &str, out: &mut Converted) -> String {
        let decoded = url.replace("&amp;", "&");
        if let Some(new) = self.page(&decoded) {
            // An attachment's page leads to its file, which may be an upload to copy.
            if new.contains("://") && Self::upload_path(&new).is_some() {
                return self.rewrite(&new, out);
            }
            return new;
        }
        if let Some(relative) = Self::upload_path(&decoded) {
            match self.upload(&relative) {
                Upload::Copied(path) => {
                    out.copied_uploads.push(relative);
                    let encoded: Vec<String> = path
                        .split('/')
                        .map(|s| utf8_percent_encode(s, SEGMENT).to_string())
                        .collect();
                    return format!("{}{}", self.new_base_path, encoded.join("/"));
                }
                Upload::External => out.external_uploads.push(decoded.clone()),
                Upload::Unsafe => out.notes.push(format!(
                    "the upload URL `{decoded}` leads out of the uploads folder: left as it was, nothing copied"
                )),
            }
        }
        url.to_owned()
    }

    /// Every `href`, `src`, `poster` and `srcset` of some HTML, rewritten.
    pub(super) fn rewrite_html(&self, html: &str, out: &mut Converted) -> String {
        ATTR.replace_all(html, |c: &Captures| {
            let name = c[1].to_ascii_lowercase();
            let value = c.get(2).or(c.get(3)).map_or("", |m| m.as_str());
            let new = if name.contains("srcset") {
                value
                    .split(',')
                    .map(|candidate| {
                        let candidate = candidate.trim();
                        let (url, size) = candidate.split_once(' ').unwrap_or((candidate, ""));
                        let url = self.rewrite(url, out);
                        if size.is_empty() {
                            url
                        } else {
                            format!("{url} {size}")
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            } else {
                self.rewrite(value, out)
            };
            format!("{}\"{}\"", &c[1], new.replace('"', "&quot;"))
        })
        .into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links() -> Links {
        let mut links = Links::new(&["https://example.org/blog"], "/blog/", None);
        links.add(
            5,
            "https://example.org/blog/2020/01/02/old-slug/",
            "/blog/new-slug/",
        );
        links
    }

    #[test]
    fn permalinks_and_ids_lead_to_new_urls() {
        let links = links();
        assert_eq!(
            links
                .page("https://example.org/blog/2020/01/02/old-slug")
                .as_deref(),
            Some("/blog/new-slug/")
        );
        assert_eq!(
            links
                .page("http://www.example.org/blog/2020/01/02/old-slug/#part")
                .as_deref(),
            Some("/blog/new-slug/#part")
        );
        assert_eq!(
            links.page("https://example.org/blog/?p=5").as_deref(),
            Some("/blog/new-slug/")
        );
        assert_eq!(links.page("https://other.org/blog/?p=5"), None);
        let mut named = Links::new(&["https://example.org/blog"], "/blog/", None);
        named.add_name("old-slug", "/blog/new-slug/");
        assert_eq!(
            named
                .page("https://example.org/blog/2020/01/03/old-slug/")
                .as_deref(),
            Some("/blog/new-slug/")
        );
        assert_eq!(named.page("https://example.org/blog/misc/old-slug/"), None);
        assert_eq!(
            links
                .alias_of("https://example.org/blog/2020/01/02/old-slug/")
                .as_deref(),
            Some("/2020/01/02/old-slug/")
        );
        assert_eq!(
            links.alias_of("https://example.org/blog/?p=5").as_deref(),
            Some("/?p=5")
        );
    }

    #[test]
    fn uploads_are_found_and_traversal_refused() {
        assert_eq!(
            Links::upload_path("https://example.org/wp-content/uploads/2020/01/a%20b.jpg")
                .as_deref(),
            Some("2020/01/a b.jpg")
        );
        assert_eq!(
            Links::upload_path("https://x.files.wordpress.com/2008/06/a.jpg").as_deref(),
            Some("2008/06/a.jpg")
        );
        let links = links();
        assert!(matches!(
            links.upload("2020/../../etc/passwd"),
            Upload::Unsafe
        ));
        assert!(matches!(links.upload("/etc/passwd"), Upload::Unsafe));
        assert!(matches!(links.upload("2020/01/a.jpg"), Upload::External));
    }
}
