//! The site's URL scheme, in one place. Every URL is a folder ending in `/` (pretty URLs that need
//! no server rewrites) under the path prefix of `base_url`.

use crate::config::SiteConfig;
use crate::site::TermKind;

/// The file name of an Atom feed, in the folder of what it follows (the site, an author, a
/// category), and of the site's RSS feed.
pub const ATOM_FILE: &str = "atom.xml";
pub const RSS_FILE: &str = "rss.xml";

/// The search index's manifest, relative to the base path.
pub const SEARCH_MANIFEST: &str = "search/index.json";

/// Shard `n` of the search index, relative to the base path (written gzip-compressed).
pub fn search_shard(n: usize) -> String {
    format!("search/i/{n}.json.gz")
}

/// The search result document of brief `b` (its index), relative to the base path (written
/// gzip-compressed).
pub fn search_doc(b: usize) -> String {
    format!("search/d/{b}.json.gz")
}

pub struct Urls {
    /// `https://example.org` for `https://example.org/blog`.
    origin: String,
    /// `/blog/` for `https://example.org/blog`, `/` without a prefix.
    base_path: String,
}

impl Urls {
    pub fn new(config: &SiteConfig) -> Urls {
        let base_path = config.base_path();
        let base_url = config.base_url();
        let origin = base_url
            .strip_suffix(base_path.trim_end_matches('/'))
            .unwrap_or(base_url)
            .to_owned();
        Urls { origin, base_path }
    }

    pub fn home(&self) -> String {
        self.base_path.clone()
    }

    /// A top-level section such as `authors/`.
    pub fn section(&self, name: &str) -> String {
        format!("{}{name}/", self.base_path)
    }

    pub fn brief(&self, slug: &str) -> String {
        self.section(slug)
    }

    pub fn author(&self, slug: &str) -> String {
        format!("{}authors/{slug}/", self.base_path)
    }

    pub fn term(&self, kind: TermKind, slug: &str) -> String {
        format!("{}{}/{slug}/", self.base_path, kind.section())
    }

    /// An author's Atom feed.
    pub fn author_feed(&self, slug: &str) -> String {
        format!("{}{ATOM_FILE}", self.author(slug))
    }

    /// A category's (or tag's) Atom feed.
    pub fn term_feed(&self, kind: TermKind, slug: &str) -> String {
        format!("{}{ATOM_FILE}", self.term(kind, slug))
    }

    pub fn year(&self, year: i16) -> String {
        format!("{}archive/{year}/", self.base_path)
    }

    pub fn source(&self, slug: &str) -> String {
        format!("{}citations/{slug}/", self.base_path)
    }

    /// A static file given relative to the static root (`images/x.jpg`); web URLs pass. Any
    /// other scheme (`javascript://`) is refused when loading; should one get here it stays a path
    /// under the site, which runs nothing.
    pub fn asset(&self, path: &str) -> String {
        if path.contains("://") && crate::html::is_web_url(path) {
            return path.trim().to_owned();
        }
        format!("{}{}", self.base_path, path.trim_start_matches('/'))
    }

    /// Page `n` of a listing whose first page is `first`.
    pub fn page(&self, first: &str, n: usize) -> String {
        if n <= 1 {
            first.to_owned()
        } else {
            format!("{first}page/{n}/")
        }
    }

    pub fn permalink(&self, url: &str) -> String {
        format!("{}{url}", self.origin)
    }

    /// The file a page URL is written to, relative to the output folder.
    pub fn output_path(&self, url: &str) -> String {
        let rel = url
            .strip_prefix(&self.base_path)
            .unwrap_or(url)
            .trim_start_matches('/');
        if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(base: &str) -> Urls {
        let config: SiteConfig =
            toml::from_str(&format!("title = 't'\nbase_url = '{base}'")).unwrap();
        Urls::new(&config)
    }

    #[test]
    fn urls_carry_the_base_path() {
        let u = urls("https://example.org/the-peninsula/");
        assert_eq!(u.brief("a"), "/the-peninsula/a/");
        assert_eq!(
            u.permalink(&u.brief("a")),
            "https://example.org/the-peninsula/a/"
        );
        assert_eq!(u.output_path(&u.page(&u.home(), 2)), "page/2/index.html");
        assert_eq!(u.output_path(&u.home()), "index.html");
        assert_eq!(u.asset("images/x.svg"), "/the-peninsula/images/x.svg");
        assert_eq!(u.asset("https://a.org/x.jpg"), "https://a.org/x.jpg");
        assert_eq!(
            u.asset("javascript://%0aalert(1)"),
            "/the-peninsula/javascript://%0aalert(1)"
        );
        let bare = urls("https://example.org");
        assert_eq!(bare.author("x"), "/authors/x/");
        assert_eq!(bare.permalink("/"), "https://example.org/");
    }
}
