//! Links written in brief bodies, resolved as a browser would: for feeds (whose readers need
//! absolute URLs) and for `dossier check` (which looks for the page and anchor a link names).

/// Where a link written on a page leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A path on the site's host (`/blog/other/`), with the fragment after `#` if any.
    Local {
        path: String,
        /// After `?`, for feeds to keep; pages of a static site ignore it.
        query: Option<String>,
        fragment: Option<String>,
    },
    /// An `http(s)` URL on another host, or on the site's own origin given in full.
    Web(String),
    /// `mailto:`, `tel:` and other schemes; nothing to check.
    Other,
}

/// Resolves `href` written on the page whose URL path is `page` (`/blog/a/`). `origin` is the
/// site's scheme and host (`https://example.org`): a full URL on it counts as local.
pub fn resolve(page: &str, href: &str, origin: &str) -> Target {
    let href = href.trim();
    if let Some(rest) = href.strip_prefix(origin)
        && (rest.is_empty() || rest.starts_with(['/', '?', '#']))
    {
        return resolve(page, if rest.is_empty() { "/" } else { rest }, origin);
    }
    if let Some(rest) = href.strip_prefix("//") {
        return Target::Web(format!("https://{rest}"));
    }
    if let Some(colon) = href.find(':')
        && !href[..colon].contains(['/', '?', '#'])
    {
        let scheme = href[..colon].to_ascii_lowercase();
        return if scheme == "http" || scheme == "https" {
            Target::Web(href.to_owned())
        } else {
            Target::Other
        };
    }
    let (without_fragment, fragment) = match href.split_once('#') {
        Some((before, fragment)) => (before, Some(fragment.to_owned())),
        None => (href, None),
    };
    let (without_query, query) = match without_fragment.split_once('?') {
        Some((before, query)) => (before, Some(query.to_owned())),
        None => (without_fragment, None),
    };
    let path = if without_query.is_empty() {
        page.to_owned()
    } else if without_query.starts_with('/') {
        normalize(without_query)
    } else {
        let dir = &page[..page.rfind('/').map_or(0, |i| i + 1)];
        normalize(&format!("{dir}{without_query}"))
    };
    Target::Local {
        path,
        query,
        fragment,
    }
}

/// Removes `.` and `..` segments of an absolute path, keeping a trailing slash.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len() - 1;
    let mut trailing_slash = false;
    for (i, segment) in segments.into_iter().enumerate() {
        match segment {
            "" | "." => trailing_slash = i == last,
            ".." => {
                parts.pop();
                trailing_slash = i == last;
            }
            other => {
                parts.push(other);
                trailing_slash = false;
            }
        }
    }
    let mut out = String::from("/");
    out.push_str(&parts.join("/"));
    if trailing_slash && !parts.is_empty() {
        out.push('/');
    }
    out
}

/// The absolute URL of `href` written on the page at `page_url` (`/blog/a/`), for feed readers.
pub fn absolute(page_url: &str, href: &str, origin: &str) -> String {
    match resolve(page_url, href, origin) {
        Target::Local {
            path,
            query,
            fragment,
        } => {
            let mut url = format!("{origin}{path}");
            if let Some(query) = query {
                url.push('?');
                url.push_str(&query);
            }
            if let Some(fragment) = fragment {
                url.push('#');
                url.push_str(&fragment);
            }
            url
        }
        Target::Web(url) => url,
        Target::Other => href.to_owned(),
    }
}

/// Rewrites every `href` and `src` attribute of `html` to an absolute URL.
pub fn absolutize_html(html: &str, page_url: &str, origin: &str) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    each_attribute(html, |piece| match piece {
        Piece::Text(text) => out.push_str(text),
        Piece::Url { value, quote } => {
            let decoded = value.replace("&amp;", "&");
            let absolute = absolute(page_url, &decoded, origin);
            out.push(quote);
            out.push_str(&absolute.replace('&', "&amp;").replace(quote, ""));
            out.push(quote);
        }
    });
    out
}

/// A part of HTML: text to copy, or the quoted value of an `href` or `src` attribute.
pub enum Piece<'a> {
    Text(&'a str),
    Url { value: &'a str, quote: char },
}

/// Splits `html` into pieces around the quoted values of `href` and `src` attributes inside
/// tags. Unquoted values are left as text.
pub fn each_attribute<'a>(html: &'a str, mut each: impl FnMut(Piece<'a>)) {
    let bytes = html.as_bytes();
    let mut copied = 0;
    let mut i = 0;
    let mut in_tag = false;
    while i < bytes.len() {
        // Only `<` outside tags, and `>` and quotes inside, change anything: jump to the next.
        let next = if in_tag {
            memchr::memchr3(b'>', b'"', b'\'', &bytes[i..])
        } else {
            memchr::memchr(b'<', &bytes[i..])
        };
        let Some(at) = next else { break };
        i += at;
        match bytes[i] {
            b'<' => in_tag = true,
            b'>' => in_tag = false,
            b'"' | b'\'' if in_tag => {
                // Skip other attributes' quoted values whole.
                let quote = bytes[i];
                let before = html[..i].trim_end();
                let is_url = before.strip_suffix('=').is_some_and(|name| {
                    let name = name.trim_end();
                    let start = name
                        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                        .map_or(0, |at| at + 1);
                    let preceded_by_space = name[..start].ends_with(char::is_whitespace);
                    preceded_by_space
                        && ["href", "src"]
                            .iter()
                            .any(|url| name[start..].eq_ignore_ascii_case(url))
                });
                let close = memchr::memchr(quote, &bytes[i + 1..]).map(|j| i + 1 + j);
                let Some(close) = close else { break };
                if is_url {
                    each(Piece::Text(&html[copied..i]));
                    each(Piece::Url {
                        value: &html[i + 1..close],
                        quote: quote as char,
                    });
                    copied = close + 1;
                }
                i = close;
            }
            _ => {}
        }
        i += 1;
    }
    each(Piece::Text(&html[copied..]));
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGIN: &str = "https://example.org";

    fn local(path: &str, fragment: Option<&str>) -> Target {
        Target::Local {
            path: path.to_owned(),
            query: None,
            fragment: fragment.map(str::to_owned),
        }
    }

    #[test]
    fn links_resolve_like_a_browser() {
        let page = "/blog/a/";
        assert_eq!(resolve(page, "../b/", ORIGIN), local("/blog/b/", None));
        assert_eq!(
            resolve(page, "../b/#x", ORIGIN),
            local("/blog/b/", Some("x"))
        );
        assert_eq!(resolve(page, "#n", ORIGIN), local("/blog/a/", Some("n")));
        assert_eq!(
            resolve(page, "img/x.png?v=1", ORIGIN),
            Target::Local {
                path: "/blog/a/img/x.png".to_owned(),
                query: Some("v=1".to_owned()),
                fragment: None
            }
        );
        assert_eq!(
            resolve(page, "/blog/./c/../d", ORIGIN),
            local("/blog/d", None)
        );
        assert_eq!(
            resolve(page, "https://example.org/blog/e/", ORIGIN),
            local("/blog/e/", None)
        );
        assert_eq!(
            resolve(page, "https://example.org", ORIGIN),
            local("/", None)
        );
        assert_eq!(
            resolve(page, "https://example.org.evil/", ORIGIN),
            Target::Web("https://example.org.evil/".to_owned())
        );
        assert_eq!(resolve(page, "mailto:a@b.org", ORIGIN), Target::Other);
        assert_eq!(resolve(page, "../../../..", ORIGIN), local("/", None));
    }

    #[test]
    fn html_gets_absolute_urls() {
        let html = "<p><a href=\"../b/?x=1&amp;y=2\" title='a \"q\"'>b</a> <img src='i.png' alt=\"href=x\"> <a href=\"#note-1\">1</a> href=\"text\"</p>";
        assert_eq!(
            absolutize_html(html, "/blog/a/", ORIGIN),
            "<p><a href=\"https://example.org/blog/b/?x=1&amp;y=2\" title='a \"q\"'>b</a> <img src='https://example.org/blog/a/i.png' alt=\"href=x\"> <a href=\"https://example.org/blog/a/#note-1\">1</a> href=\"text\"</p>"
        );
    }
}
