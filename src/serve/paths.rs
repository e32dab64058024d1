//! Request paths to site paths, confined to the site. A request path is split into segments and
//! each is percent-decoded on its own, so `%2f` can never add a separator; any segment that is or
//! decodes to `.` or `..`, or that holds a slash, a backslash or a NUL byte, rejects the request,
//! as do empty segments (`//`, an absolute path after the first slash). What remains is a relative
//! `/`-separated path that is only ever used as a key into the site's maps of pages and static
//! files, never joined onto a folder unchecked.

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A path below the site's base path, relative to it (`""` for the home page, `a/` for a
    /// folder, `style.css` for a file), decoded.
    Site(String),
    /// The base path without its trailing slash (`/blog` for `/blog/`): redirect to the folder.
    BaseWithoutSlash,
    /// A well-formed path outside the base path.
    Outside,
}

/// A request path that is refused outright.
#[derive(Debug, PartialEq, Eq)]
pub struct Refused(pub &'static str);

/// Maps the raw (still percent-encoded) path of a request to a path below `base_path`
/// (`/` or `/blog/`).
pub fn target(raw: &str, base_path: &str) -> Result<Target, Refused> {
    let Some(rest) = raw.strip_prefix('/') else {
        return Err(Refused("the path is not absolute"));
    };
    let mut decoded = String::with_capacity(raw.len());
    decoded.push('/');
    if !rest.is_empty() {
        let segments: Vec<&str> = rest.split('/').collect();
        let last = segments.len() - 1;
        for (i, segment) in segments.iter().enumerate() {
            if segment.is_empty() {
                // `a//b`, or `//etc/passwd`; a trailing slash is the only empty segment allowed.
                if i == last {
                    break;
                }
                return Err(Refused("empty path segment"));
            }
            let part = decode_segment(segment)?;
            decoded.push_str(&part);
            if i != last {
                decoded.push('/');
            }
        }
        if rest.ends_with('/') && !decoded.ends_with('/') {
            decoded.push('/');
        }
    }
    if let Some(rel) = decoded.strip_prefix(base_path) {
        return Ok(Target::Site(rel.to_owned()));
    }
    if base_path.len() > 1 && decoded == base_path.trim_end_matches('/') {
        return Ok(Target::BaseWithoutSlash);
    }
    Ok(Target::Outside)
}

/// Percent-decodes one segment and checks that it stays one ordinary name.
fn decode_segment(segment: &str) -> Result<String, Refused> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or(Refused("malformed percent-encoding"))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let text = String::from_utf8(out).map_err(|_| Refused("the path is not UTF-8"))?;
    if text.contains(['/', '\\', '\0']) {
        return Err(Refused("a separator or NUL byte inside a path segment"));
    }
    if text == "." || text == ".." {
        return Err(Refused("a `.` or `..` path segment"));
    }
    // A Windows drive or stream prefix (`C:`) has no business in a URL path either.
    if text.len() >= 2 && text.as_bytes()[1] == b':' && text.as_bytes()[0].is_ascii_alphabetic() {
        return Err(Refused("a drive prefix in a path segment"));
    }
    Ok(text)
}

/// Decodes a query-string value (`+` is a space).
pub fn decode_query_value(value: &str) -> Option<String> {
    let spaced = value.replace('+', " ");
    let bytes = spaced.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The `Content-Type` of a file by its extension.
pub fn content_type(rel: &str) -> &'static str {
    let extension = rel
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "gz" => "application/gzip",
        "xml" => "application/xml",
        "rss" => "application/rss+xml",
        "atom" => "application/atom+xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "wasm" => "application/wasm",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(rel: &str) -> Result<Target, Refused> {
        Ok(Target::Site(rel.to_owned()))
    }

    #[test]
    fn plain_paths_map_below_the_base_path() {
        assert_eq!(target("/", "/"), site(""));
        assert_eq!(target("/a/b/", "/"), site("a/b/"));
        assert_eq!(target("/blog/style.css", "/blog/"), site("style.css"));
        assert_eq!(target("/blog/", "/blog/"), site(""));
        assert_eq!(target("/blog", "/blog/"), Ok(Target::BaseWithoutSlash));
        assert_eq!(target("/other/", "/blog/"), Ok(Target::Outside));
        assert_eq!(target("/blogger/", "/blog/"), Ok(Target::Outside));
        assert_eq!(
            target("/images/a%20b.svg", "/"),
            site("images/a b.svg"),
            "percent-encoded names decode"
        );
    }

    #[test]
    fn traversal_and_tricks_are_refused() {
        for raw in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2e%2e/etc/passwd",
            "/.%2e/etc/passwd",
            "/a%2f..%2f..%2fetc%2fpasswd",
            "/a%2F..",
            "/..%5c..%5cetc%5cpasswd",
            "/a\\..\\b",
            "/a%00.html",
            "//etc/passwd",
            "/a//b",
            "/./a",
            "/C:/Windows/win.ini",
            "/%ff%fe",
            "/bad%zz",
            "/trunc%2",
            "relative",
        ] {
            assert!(target(raw, "/").is_err(), "{raw} was accepted");
        }
    }

    #[test]
    fn content_types_follow_extensions() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.CSS"), "text/css; charset=utf-8");
        assert_eq!(content_type("images/x.svg"), "image/svg+xml");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }

    #[test]
    fn query_values_decode() {
        assert_eq!(
            decode_query_value("%2Fblog%2Fa%2F").as_deref(),
            Some("/blog/a/")
        );
        assert_eq!(decode_query_value("a+b").as_deref(), Some("a b"));
        assert_eq!(decode_query_value("%zz"), None);
    }
}
