//! Live reload. Every HTML page served in serve mode (never in `build` output) gets a small script
//! that listens to `/__dossier/events` with server-sent events: `reload` lists the pages that
//! changed (a page reloads itself only when it is one of them), `css` lists stylesheets to swap
//! without a reload, and `overlay` shows or clears the panel listing the site's problems. The
//! browser reconnects by itself; the script tells the server which version of the page it shows, so
//! a page that missed a rebuild while disconnected (or a server restart) reloads on reconnection.
//!
//! While the site has problems the same panel is also part of every HTML page served, and brief
//! pages of drafts and scheduled briefs get a visible badge.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream};
use tokio::sync::{broadcast, watch};

use crate::diagnostics::Diagnostic;
use crate::html::escape;
use crate::render::Page;
use crate::site::Site;

/// The live-reload endpoint.
pub(super) const EVENTS_PATH: &str = "/__dossier/events";

/// What open pages are told.
#[derive(Clone, Debug)]
pub(super) enum Event {
    /// These URL paths changed (or every page, with `None`).
    Reload(Option<Arc<Vec<String>>>),
    /// These stylesheets (URL paths) changed and nothing else.
    Css(Arc<Vec<String>>),
    /// The problems panel, or `None` when the site is fine again.
    Overlay(Option<Arc<str>>),
}

fn to_sse(event: &Event) -> SseEvent {
    match event {
        Event::Reload(paths) => SseEvent::default()
            .event("reload")
            .data(serde_json::json!({ "paths": paths.as_deref() }).to_string()),
        Event::Css(paths) => SseEvent::default()
            .event("css")
            .data(serde_json::json!({ "paths": paths.as_slice() }).to_string()),
        Event::Overlay(html) => SseEvent::default()
            .event("overlay")
            .data(serde_json::json!({ "html": html.as_deref() }).to_string()),
    }
}

/// The event stream of one page: first what it missed, then every event until shutdown.
pub(super) fn stream_response(
    first: Vec<Event>,
    events: broadcast::Receiver<Event>,
    shutdown: watch::Receiver<bool>,
) -> Response {
    struct State {
        first: std::vec::IntoIter<Event>,
        events: broadcast::Receiver<Event>,
        shutdown: watch::Receiver<bool>,
        hello: bool,
    }
    let state = State {
        first: first.into_iter(),
        events,
        shutdown,
        hello: true,
    };
    let stream = stream::unfold(state, |mut state| async move {
        if state.hello {
            state.hello = false;
            // Reconnect quickly after a restart of the server.
            let hello = SseEvent::default()
                .event("hello")
                .data("{}")
                .retry(Duration::from_millis(500));
            return Some((Ok::<_, Infallible>(hello), state));
        }
        if let Some(event) = state.first.next() {
            return Some((Ok(to_sse(&event)), state));
        }
        if *state.shutdown.borrow() {
            return None;
        }
        let event = tokio::select! {
            received = state.events.recv() => match received {
                Ok(event) => event,
                // Missed events: the safe answer is to reload.
                Err(broadcast::error::RecvError::Lagged(_)) => Event::Reload(None),
                Err(broadcast::error::RecvError::Closed) => return None,
            },
            _ = state.shutdown.changed() => return None,
        };
        Some((Ok(to_sse(&event)), state))
    });
    let stream: std::pin::Pin<Box<dyn Stream<Item = Result<SseEvent, Infallible>> + Send>> =
        Box::pin(stream);
    let mut response = Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response();
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-cache"),
    );
    response
}

/// The client script. `__INSTANCE__` and `__GEN__` identify the server process and the page's
/// version.
const CLIENT: &str = r#"<script id="dossier-live-reload">
(function () {
  var path = location.pathname.replace(/index\.html$/, '');
  var url = '/__dossier/events?instance=__INSTANCE__&version=__GEN__&path=' + encodeURIComponent(path);
  function overlay(html) {
    var old = document.getElementById('dossier-overlay');
    if (old) old.remove();
    if (!html) return;
    var holder = document.createElement('div');
    holder.innerHTML = html;
    if (holder.firstElementChild) document.body.appendChild(holder.firstElementChild);
  }
  function connect() {
    var source = new EventSource(url);
    source.addEventListener('reload', function (e) {
      var data = JSON.parse(e.data);
      if (!data.paths || data.paths.indexOf(path) >= 0) location.reload();
    });
    source.addEventListener('css', function (e) {
      var changed = JSON.parse(e.data).paths;
      document.querySelectorAll('link[rel~="stylesheet"]').forEach(function (link) {
        var href = new URL(link.href, location.href);
        if (changed.indexOf(href.pathname) < 0) return;
        href.searchParams.set('dossier-reload', Date.now());
        var fresh = link.cloneNode();
        fresh.href = href.toString();
        fresh.onload = function () { link.remove(); };
        link.after(fresh);
      });
    });
    source.addEventListener('overlay', function (e) { overlay(JSON.parse(e.data).html); });
    window.addEventListener('pagehide', function () { source.close(); });
  }
  // A page restored from the back-forward cache may be stale, and its connection is closed.
  window.addEventListener('pageshow', function (e) { if (e.persisted) location.reload(); });
  connect();
})();
</script>"#;

/// What serve mode adds to an HTML page: the live-reload script, the problems panel and a badge.
pub(super) struct Additions<'a> {
    pub instance: u64,
    pub version: u64,
    pub overlay: Option<&'a str>,
    pub badge: Option<&'a str>,
}

/// Inserts the additions into a page: the badge after the first `</h1>`, the rest before the last
/// `</body>` (or at the end when there is none).
pub(super) fn inject(html: &[u8], additions: &Additions<'_>) -> Vec<u8> {
    let script = CLIENT
        .replace("__INSTANCE__", &additions.instance.to_string())
        .replace("__GEN__", &additions.version.to_string());
    let mut tail = String::new();
    if let Some(overlay) = additions.overlay {
        tail.push_str(overlay);
    }
    tail.push_str(&script);
    let body_end = rfind_ascii_ci(html, b"</body>").unwrap_or(html.len());
    let badge = additions.badge.map(badge_html);
    let h1_end = badge
        .as_ref()
        .and_then(|_| find_ascii_ci(html, b"</h1>").map(|at| at + 5))
        .filter(|&at| at <= body_end);
    let mut out = Vec::with_capacity(html.len() + tail.len() + 200);
    match (h1_end, &badge) {
        (Some(at), Some(badge)) => {
            out.extend_from_slice(&html[..at]);
            out.extend_from_slice(badge.as_bytes());
            out.extend_from_slice(&html[at..body_end]);
        }
        _ => out.extend_from_slice(&html[..body_end]),
    }
    if let (None, Some(badge)) = (h1_end, &badge) {
        out.extend_from_slice(badge.as_bytes());
    }
    out.extend_from_slice(tail.as_bytes());
    out.extend_from_slice(&html[body_end..]);
    out
}

/// "Draft" or "Scheduled" on the page of such a brief.
pub(super) fn badge(site: &Site, page: Page, now: jiff::Timestamp) -> Option<&'static str> {
    let Page::Brief(b) = page else {
        return None;
    };
    let front = &site.briefs.get(b.0)?.loaded.front;
    if front.draft {
        Some("Draft")
    } else if front.date.timestamp > now {
        Some("Scheduled")
    } else {
        None
    }
}

fn badge_html(label: &str) -> String {
    format!(
        "<p class=\"dossier-badge\" style=\"display:inline-block;margin:0.5rem 0;padding:0.15rem 0.6rem;\
         border:2px solid #8a1c1c;border-radius:3px;background:#fff4f4;color:#8a1c1c;\
         font:700 0.85rem/1.4 system-ui,sans-serif;letter-spacing:0.05em;text-transform:uppercase\">{}</p>",
        escape(label)
    )
}

fn find_ascii_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

fn rfind_ascii_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

/// The problems panel: every diagnostic with its file, line, column, source line and hint.
pub(super) fn overlay_html(problems: &[Diagnostic]) -> String {
    let mut items = String::new();
    for problem in problems {
        let mut place = String::new();
        if let Some(file) = &problem.file {
            place.push_str(&file.display().to_string());
            if let Some((line, column)) = problem.position {
                place.push_str(&format!(":{line}:{column}"));
            }
        }
        items.push_str("<li style=\"margin:0 0 1rem\">");
        if !place.is_empty() {
            items.push_str(&format!(
                "<code class=\"dossier-place\" style=\"font-weight:700\">{}</code>: ",
                escape(&place)
            ));
        }
        items.push_str(&format!(
            "<span class=\"dossier-message\">{}</span>",
            escape(&problem.message)
        ));
        if let (Some(snippet), Some((line, column))) = (&problem.snippet, problem.position) {
            let gutter = line.to_string().len();
            let caret = snippet
                .char_indices()
                .take_while(|(i, _)| *i < column.saturating_sub(1))
                .count();
            let text = format!(
                "{line} | {snippet}\n{:gutter$} | {:caret$}^",
                "",
                "",
                snippet = snippet.chars().take(160).collect::<String>(),
                caret = caret.min(160)
            );
            items.push_str(&format!(
                "<pre style=\"margin:0.4rem 0;padding:0.5rem;background:#2b2b2b;color:#f2f2f2;\
                 overflow-x:auto;font:0.85rem/1.4 ui-monospace,monospace\">{}</pre>",
                escape(&text)
            ));
        }
        if let Some(hint) = &problem.hint {
            items.push_str(&format!(
                "<p class=\"dossier-hint\" style=\"margin:0.25rem 0 0\">help: {}</p>",
                escape(hint)
            ));
        }
        items.push_str("</li>");
    }
    let count = problems.len();
    format!(
        "<div id=\"dossier-overlay\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;\
         z-index:2147483647;max-height:60vh;overflow:auto;padding:1rem 1.25rem;background:#fff;\
         color:#1a1a1a;border-top:4px solid #b00020;box-shadow:0 -4px 16px rgba(0,0,0,.25);\
         font:0.95rem/1.5 system-ui,sans-serif;text-align:left\">\
         <button type=\"button\" onclick=\"this.parentNode.remove()\" style=\"float:right;\
         font:inherit;padding:0.2rem 0.6rem\">Hide</button>\
         <p style=\"margin:0 0 0.75rem;font-weight:700;color:#b00020\">The site has {count} \
         problem{s}: showing the last version that built. This panel goes away when they are \
         fixed.</p><ol style=\"margin:0;padding-left:1.5rem\">{items}</ol></div>",
        s = if count == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn additions<'a>(overlay: Option<&'a str>, badge: Option<&'a str>) -> Additions<'a> {
        Additions {
            instance: 7,
            version: 3,
            overlay,
            badge,
        }
    }

    #[test]
    fn the_script_goes_before_the_closing_body_tag() {
        let page = b"<html><body><h1>T</h1><p>x</p></BODY></html>";
        let out = String::from_utf8(inject(page, &additions(None, None))).unwrap();
        let script = out.find("<script id=\"dossier-live-reload\">").unwrap();
        assert!(script < out.find("</BODY>").unwrap());
        assert!(out.contains("instance=7&version=3"));
        assert!(out.ends_with("</BODY></html>"));
    }

    #[test]
    fn badge_follows_the_title_and_overlay_is_added() {
        let page = b"<body><h1>T</h1><p>x</p></body>";
        let out = String::from_utf8(inject(
            page,
            &additions(Some("<div>P</div>"), Some("Draft")),
        ))
        .unwrap();
        assert!(out.starts_with("<body><h1>T</h1><p class=\"dossier-badge\""));
        assert!(out.contains(">Draft</p><p>x</p><div>P</div><script"));
    }

    #[test]
    fn overlay_lists_place_message_snippet_and_hint_escaped() {
        let problem = Diagnostic::new("unknown author `<x>`")
            .in_file("briefs/a.md")
            .at("+++\nauthor = \"x\"\n+++\n", 2, 11)
            .with_hint("declare it");
        let html = overlay_html(&[problem]);
        assert!(html.contains("briefs/a.md:2:11"));
        assert!(html.contains("unknown author `&lt;x&gt;`"));
        assert!(html.contains("2 | author = &quot;x&quot;\n  |           ^"));
        assert!(html.contains("help: declare it"));
        assert!(html.contains("1 problem:"));
    }
}
