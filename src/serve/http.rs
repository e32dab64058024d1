//! The HTTP side: GET and HEAD only (405 otherwise), pages from memory with the serve-mode
//! additions, static files (embedded in the binary, or read from disk only when they resolve inside
//! the site's folder, so a symlink cannot lead out of it), `index.html` for folders and a redirect
//! for a folder without its slash, ETags with `304 Not Modified`, the site's own 404 page with
//! status 404, and no directory listings. Request paths are confined by `paths::target`.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::early::Early;
use super::paths::{self, Refused, Target};
use super::reload::{self, Additions, EVENTS_PATH, Event};
use super::state::{First, PageEntry, Served, Shared, StaticSource};

pub(super) fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

/// What a request path leads to.
enum Found {
    /// A rendered page or file, and its output path.
    Page(Arc<PageEntry>, String),
    Static(Arc<StaticSource>, String),
    Redirect(String),
    Missing(Option<Arc<PageEntry>>),
    /// A page the first build has not rendered yet, to render now (`early`), by output path; the
    /// site's 404 page when `missing`.
    Early {
        early: Arc<Early>,
        rel: String,
        missing: bool,
    },
    NotBuilt,
}

fn lookup(served: &Served, raw: &str) -> Result<Found, Refused> {
    let early = served.early.as_ref();
    if !served.built && early.is_none() {
        return Ok(Found::NotBuilt);
    }
    let is_page =
        |rel: &str| served.pages.contains_key(rel) || early.is_some_and(|early| early.has(rel));
    let rel = match paths::target(raw, &served.base_path)? {
        Target::Site(rel) => rel,
        Target::BaseWithoutSlash => return Ok(Found::Redirect(served.base_path.clone())),
        Target::Outside if raw == "/" => return Ok(Found::Redirect(served.base_path.clone())),
        Target::Outside => return Ok(missing(served)),
    };
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.clone()
    };
    if let Some(page) = served.pages.get(&key) {
        return Ok(Found::Page(page.clone(), key));
    }
    if let Some(file) = served.statics.get(&key) {
        return Ok(Found::Static(file.clone(), key));
    }
    if let Some(early) = early.filter(|early| early.has(&key)) {
        return Ok(Found::Early {
            early: early.clone(),
            rel: key,
            missing: false,
        });
    }
    if !rel.is_empty() && !rel.ends_with('/') && is_page(&format!("{rel}/index.html")) {
        return Ok(Found::Redirect(format!("{raw}/")));
    }
    Ok(missing(served))
}

/// The site's 404 page, rendered or to render.
fn missing(served: &Served) -> Found {
    const NOT_FOUND: &str = "404.html";
    if let Some(page) = served.pages.get(NOT_FOUND) {
        return Found::Missing(Some(page.clone()));
    }
    match &served.early {
        Some(early) if early.has(NOT_FOUND) => Found::Early {
            early: early.clone(),
            rel: NOT_FOUND.to_owned(),
            missing: true,
        },
        _ => Found::Missing(None),
    }
}

/// What `raw` leads to, with a page the first build has not rendered yet rendered now. A request
/// that comes while the site is loading waits for it; one whose page shows citations, while
/// they are formatted, waits for them (a brief's, a source's or an author's page formats its
/// own, see `early`); one whose page cannot be rendered alone (the search index) or fails to
/// render waits for the first build.
async fn find(shared: &Arc<Shared>, raw: &str) -> Result<Found, Refused> {
    shared.first_past(First::Loading).await;
    let mut found = lookup(&shared.read(), raw)?;
    if let Some(page) = render_early(shared, &found).await {
        return Ok(page);
    }
    // A page that shows citations (a feed, the citation index), asked for while they are
    // formatted, waits for them.
    let citing = match &found {
        Found::Early { early, .. } => !early.is_cited(),
        // Between the model without citations and the one with them (or just after it).
        Found::NotBuilt => *shared.first.borrow() != First::Done,
        _ => false,
    };
    if citing {
        // Not holding the model meanwhile: the build takes it back to put the citations in.
        drop(found);
        shared.first_past(First::Citing).await;
        found = lookup(&shared.read(), raw)?;
        if let Some(page) = render_early(shared, &found).await {
            return Ok(page);
        }
    }
    if !matches!(found, Found::Early { .. }) {
        return Ok(found);
    }
    shared.first_past(First::Rendering).await;
    match lookup(&shared.read(), raw)? {
        // Only when the first build failed: nothing to show but the problems.
        Found::Early { .. } => Ok(Found::NotBuilt),
        found => Ok(found),
    }
}

/// `found`'s page rendered now, when it is one the first build has not rendered yet and can be
/// rendered alone (see `Early::page`).
async fn render_early(shared: &Arc<Shared>, found: &Found) -> Option<Found> {
    let Found::Early {
        early,
        rel,
        missing,
    } = found
    else {
        return None;
    };
    let (from, key, early) = (shared.clone(), rel.clone(), early.clone());
    let page = tokio::task::spawn_blocking(move || early.page(&from, &key))
        .await
        .ok()??;
    Some(if *missing {
        Found::Missing(Some(page))
    } else {
        Found::Page(page, rel.clone())
    })
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let method = request.method().clone();
    if method != Method::GET && method != Method::HEAD {
        let mut response = plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "Only GET and HEAD are allowed.\n",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let raw = request.uri().path().to_owned();
    if raw == EVENTS_PATH {
        return events(&shared, request.uri().query());
    }
    let headers = request.headers();
    let found = find(&shared, &raw).await;
    let (overlay, overlay_gen) = {
        let served = shared.read();
        (served.overlay.clone(), served.overlay_gen)
    };
    let found = match found {
        Ok(found) => found,
        Err(Refused(why)) => {
            return plain(StatusCode::BAD_REQUEST, &format!("Bad request: {why}.\n"));
        }
    };
    // A brief's PDF is made when asked for, not with every rebuild.
    if matches!(found, Found::Missing(_)) && raw.ends_with(".pdf") {
        let base_path = shared.read().base_path.clone();
        if let Ok(Target::Site(rel)) = paths::target(&raw, &base_path)
            && let Some(pdf) = shared.pdf(&rel).await
        {
            return bytes(StatusCode::OK, "application/pdf", pdf);
        }
    }
    let additions = |version: u64, badge: Option<&'static str>| Additions {
        instance: shared.instance,
        version,
        overlay: overlay.as_deref(),
        badge,
    };
    match found {
        Found::Page(page, key) => {
            let etag = format!("\"{:x}-{}-{}\"", shared.instance, page.version, overlay_gen);
            if matches_etag(headers, &etag) {
                return not_modified(&etag);
            }
            // Only HTML pages get the reload script: feeds and the search index's JSON and gzip
            // files are served as they are written.
            let mut response = if key.ends_with(".html") {
                let html = reload::inject(&page.html, &additions(page.version, page.badge));
                bytes(StatusCode::OK, "text/html; charset=utf-8", html)
            } else {
                bytes(
                    StatusCode::OK,
                    paths::content_type(&key),
                    page.html.to_vec(),
                )
            };
            set(&mut response, header::ETAG, &etag);
            response
        }
        Found::Static(file, rel) => serve_static(&shared, &file, &rel, headers).await,
        Found::Redirect(location) => {
            let mut response = plain(StatusCode::FOUND, &format!("See {location}\n"));
            set(&mut response, header::LOCATION, &location);
            response
        }
        Found::Missing(Some(page)) => {
            let html = reload::inject(&page.html, &additions(page.version, None));
            bytes(StatusCode::NOT_FOUND, "text/html; charset=utf-8", html)
        }
        Found::Missing(None) => plain(StatusCode::NOT_FOUND, "Not found.\n"),
        // `find` renders these.
        Found::NotBuilt | Found::Early { .. } => {
            let page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
                <title>The site does not build yet</title></head><body>\
                <h1>The site does not build yet</h1>\
                <p>This page reloads by itself when the problems below are fixed.</p></body></html>";
            let html = reload::inject(page.as_bytes(), &additions(0, None));
            bytes(
                StatusCode::SERVICE_UNAVAILABLE,
                "text/html; charset=utf-8",
                html,
            )
        }
    }
}

/// The live-reload stream. A page says which server (`instance`) and which version of itself
/// (`version`) it shows; a stale page is told to reload at once.
fn events(shared: &Shared, query: Option<&str>) -> Response {
    let mut instance = None;
    let mut version = None;
    let mut path = None;
    for pair in query.unwrap_or_default().split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = paths::decode_query_value(value);
        match key {
            "instance" => instance = value.and_then(|v| v.parse::<u64>().ok()),
            "version" => version = value.and_then(|v| v.parse::<u64>().ok()),
            "path" => path = value,
            _ => {}
        }
    }
    let receiver = shared.events.subscribe();
    let served = shared.read();
    let mut first = vec![Event::Overlay(served.overlay.clone())];
    if let (Some(instance), Some(version), Some(path)) = (instance, version, path) {
        let current = match lookup(&served, &path) {
            Ok(Found::Page(page, _)) | Ok(Found::Missing(Some(page))) => page.version,
            _ => 0,
        };
        if instance != shared.instance || version != current {
            first.push(Event::Reload(None));
        }
    }
    drop(served);
    reload::stream_response(first, receiver, shared.shutdown.clone())
}

async fn serve_static(
    shared: &Shared,
    file: &StaticSource,
    rel: &str,
    headers: &HeaderMap,
) -> Response {
    let content_type = paths::content_type(rel);
    match file {
        StaticSource::Embedded(data) => {
            let mut hasher = DefaultHasher::new();
            data.hash(&mut hasher);
            let etag = format!("\"e{:x}\"", hasher.finish());
            if matches_etag(headers, &etag) {
                return not_modified(&etag);
            }
            let mut response = bytes(StatusCode::OK, content_type, data.to_vec());
            set(&mut response, header::ETAG, &etag);
            response
        }
        StaticSource::Disk(path) => {
            let root = shared.root.clone();
            let path = path.clone();
            let inm = headers
                .get(header::IF_NONE_MATCH)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let read = tokio::task::spawn_blocking(move || read_confined(&root, &path, inm)).await;
            match read {
                Ok(Ok(Some(Disk::Fresh(etag)))) => not_modified(&etag),
                Ok(Ok(Some(Disk::Read {
                    data,
                    etag,
                    modified,
                }))) => {
                    let mut response = bytes(StatusCode::OK, content_type, data);
                    set(&mut response, header::ETAG, &etag);
                    if let Some(modified) = modified {
                        set(&mut response, header::LAST_MODIFIED, &http_date(modified));
                    }
                    response
                }
                Ok(Ok(None)) => {
                    let not_found = shared.read().pages.get("404.html").cloned();
                    match not_found {
                        Some(page) => {
                            let additions = Additions {
                                instance: shared.instance,
                                version: page.version,
                                overlay: None,
                                badge: None,
                            };
                            let html = reload::inject(&page.html, &additions);
                            bytes(StatusCode::NOT_FOUND, "text/html; charset=utf-8", html)
                        }
                        None => plain(StatusCode::NOT_FOUND, "Not found.\n"),
                    }
                }
                Ok(Err(err)) => plain(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    &format!("Cannot read the file: {err}\n"),
                ),
                Err(_) => plain(StatusCode::INTERNAL_SERVER_ERROR, "The read failed.\n"),
            }
        }
    }
}

enum Disk {
    Fresh(String),
    Read {
        data: Vec<u8>,
        etag: String,
        modified: Option<SystemTime>,
    },
}

/// Reads a static file only when it is a regular file whose real path (symlinks resolved) is
/// inside `root`; `None` otherwise or when it is gone.
fn read_confined(
    root: &Path,
    path: &Path,
    if_none_match: Option<String>,
) -> std::io::Result<Option<Disk>> {
    let real: PathBuf = match std::fs::canonicalize(path) {
        Ok(real) => real,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(err),
    };
    if !real.starts_with(root) {
        return Ok(None);
    }
    let metadata = std::fs::metadata(&real)?;
    if !metadata.is_file() {
        return Ok(None);
    }
    let modified = metadata.modified().ok();
    let stamp = modified
        .and_then(|m| m.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let etag = format!("\"d{stamp:x}-{:x}\"", metadata.len());
    if if_none_match.is_some_and(|inm| etag_list_matches(&inm, &etag)) {
        return Ok(Some(Disk::Fresh(etag)));
    }
    let data = std::fs::read(&real)?;
    Ok(Some(Disk::Read {
        data,
        etag,
        modified,
    }))
}

fn matches_etag(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|inm| etag_list_matches(inm, etag))
}

fn etag_list_matches(list: &str, etag: &str) -> bool {
    list.split(',')
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == "*" || tag == etag)
}

fn bytes(status: StatusCode, content_type: &'static str, data: Vec<u8>) -> Response {
    let mut response = (status, data).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn plain(status: StatusCode, text: &str) -> Response {
    bytes(
        status,
        "text/plain; charset=utf-8",
        text.as_bytes().to_vec(),
    )
}

fn not_modified(etag: &str) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NOT_MODIFIED;
    set(&mut response, header::ETAG, etag);
    set(&mut response, header::CACHE_CONTROL, "no-cache");
    response
}

fn set(response: &mut Response, name: header::HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        response.headers_mut().insert(name, value);
    }
}

/// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn http_date(time: SystemTime) -> String {
    let Ok(timestamp) = jiff::Timestamp::try_from(time) else {
        return String::new();
    };
    timestamp.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etag_lists_match_exactly_weakly_or_by_star() {
        assert!(etag_list_matches("\"a\"", "\"a\""));
        assert!(etag_list_matches("\"b\", W/\"a\"", "\"a\""));
        assert!(etag_list_matches("*", "\"a\""));
        assert!(!etag_list_matches("\"ab\"", "\"a\""));
    }

    #[test]
    fn http_dates_are_imf_fixdates() {
        let time = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(784_111_777);
        assert_eq!(http_date(time), "Sun, 06 Nov 1994 08:49:37 GMT");
    }
}
