//! The stages before rendering, shared by every command that needs a checked site: read site.toml
//! and the briefs, load the theme, resolve everything into a `Site`. Every stage that can run does,
//! so that one run reports every problem.

use std::path::Path;
use std::time::Instant;

use crate::cite::style::CitationStyle;
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostics;
use crate::load;
use crate::render::Theme;
use crate::site::{self, Site};

pub struct Inputs<'a> {
    pub root: &'a Path,
    /// Overrides site.toml's base_url.
    pub base_url: Option<&'a str>,
    pub drafts: bool,
}

/// Loads and resolves the site at `inputs.root`, briefs dated in the future included (the preview
/// shows them as scheduled); with `verbose`, prints each stage's time.
pub fn load_site(inputs: &Inputs<'_>, verbose: bool) -> Result<(Site, Theme), Diagnostics> {
    load_site_as_of(inputs, None, verbose)
}

/// Like `load_site`, but the citations are left to format (see `site::resolve_uncited`).
pub fn load_site_uncited(inputs: &Inputs<'_>, verbose: bool) -> Result<(Site, Theme), Diagnostics> {
    load(inputs, None, false, verbose)
}

/// With `-v`, a stage's time and the process's peak memory so far (where the system tells it).
pub fn log_stage(verbose: bool, what: &str, since: Instant) {
    if !verbose {
        return;
    }
    let kb = peak_kb();
    if let (Some(kb), Ok(mut peak)) = (kb, PEAK_STAGE.lock())
        && peak.as_ref().is_none_or(|(before, _)| kb > *before)
    {
        *peak = Some((kb, what.to_owned()));
    }
    let peak = kb
        .map(|kb| format!(", peak memory {} MB", kb / 1024))
        .unwrap_or_default();
    eprintln!("{what:>10}: {} ms{peak}", since.elapsed().as_millis());
}

/// The stage during which the peak memory logged so far was reached, with that peak in KB.
static PEAK_STAGE: std::sync::Mutex<Option<(u64, String)>> = std::sync::Mutex::new(None);

/// With `-v`, the stage where the process's memory peaked (the last one that raised it).
pub fn log_peak(verbose: bool) {
    let Ok(peak) = PEAK_STAGE.lock() else { return };
    if let (true, Some((kb, stage))) = (verbose, peak.as_ref()) {
        eprintln!("      peak: {} MB, reached in {stage}", kb / 1024);
    }
}

/// The process's peak resident memory in KB, where the system tells it.
fn peak_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Like `load_site`, but briefs dated after `now` are left out, as when publishing: `dossier
/// build` and `dossier check` without `--future`. `None` keeps every brief. A date-time is
/// published from its instant on; a bare date from the start of that day where the site is built
/// (so that a brief dated today is published today, east of UTC too).
pub fn load_site_as_of(
    inputs: &Inputs<'_>,
    now: Option<jiff::ZonedDateTime>,
    verbose: bool,
) -> Result<(Site, Theme), Diagnostics> {
    load(inputs, now, true, verbose)
}

/// Loads and resolves, with the citations formatted when `cite`.
fn load(
    inputs: &Inputs<'_>,
    now: Option<jiff::ZonedDateTime>,
    cite: bool,
    verbose: bool,
) -> Result<(Site, Theme), Diagnostics> {
    let log = |what: &str, since: Instant| log_stage(verbose, what, since);
    let step = Instant::now();
    let root = inputs.root;
    let mut config = match SiteConfig::load(root) {
        Ok(config) => config,
        Err(mut problems) => {
            // Still report the briefs' own problems in the same run.
            problems.extend(load::load_briefs(root).1.0);
            return Err(problems.finish());
        }
    };
    if let Some(base_url) = inputs.base_url {
        config.base_url = base_url.to_owned();
    }
    // Briefs, the theme and the citation style (its locales take a while) load side by side.
    let (((mut loaded, mut problems), (pages, page_problems)), (theme, style)) = rayon::join(
        || rayon::join(|| load::load_briefs(root), || load::pages::load_pages(root)),
        || {
            rayon::join(
                || Theme::load(root, &config),
                || CitationStyle::load(&config.citations.style, root, &config.language),
            )
        },
    );
    problems.extend(page_problems.0);
    log("load", step);
    let mut next_due = None;
    if let Some(now) = now {
        loaded.retain(|brief| {
            let future = is_future(&brief.front.date, &now);
            if future {
                let due = due_at(&brief.front.date);
                next_due = Some(next_due.map_or(due, |next: jiff::Timestamp| next.min(due)));
            }
            !future
        });
    }

    let step = Instant::now();
    let theme = theme.map_err(|d| problems.extend(d.0));
    let style = style.map_err(|d| problems.push(d));
    let options = site::Options {
        drafts: inputs.drafts,
    };
    let resolved = match style {
        Ok(style) if cite => site::resolve(root, config, style, loaded, options),
        Ok(style) => site::resolve_uncited(root, config, style, loaded, options),
        // Already reported.
        Err(()) => Err(Diagnostics::default()),
    };
    let site = match resolved {
        Ok(mut site) => {
            problems.extend(site::pages::resolve(&mut site, pages, inputs.drafts).0);
            Ok(site)
        }
        Err(d) => {
            problems.extend(d.0);
            Err(())
        }
    };
    let (Ok(theme), Ok(mut site), true) = (theme, site, problems.0.is_empty()) else {
        return Err(problems.finish());
    };
    site.next_due = next_due;
    log("resolve", step);
    Ok((site, theme))
}

/// The earliest moment a brief dated in the future can be published: a bare date is due at its
/// midnight in the easternmost time zone (UTC+14), wherever the build runs.
fn due_at(date: &crate::load::front_matter::BriefDate) -> jiff::Timestamp {
    if !is_bare_date(date) {
        return date.timestamp;
    }
    date.timestamp
        .checked_sub(jiff::SignedDuration::from_hours(14))
        .unwrap_or(date.timestamp)
}

/// A date written without a time (it counts as midnight UTC).
fn is_bare_date(date: &crate::load::front_matter::BriefDate) -> bool {
    date.bare
}

/// Whether a brief dated `date` waits for a later build.
fn is_future(date: &crate::load::front_matter::BriefDate, now: &jiff::ZonedDateTime) -> bool {
    if is_bare_date(date) {
        date.date > now.date()
    } else {
        date.timestamp > now.timestamp()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::front_matter::BriefDate;

    #[test]
    fn a_brief_dated_today_is_published_today_in_any_time_zone() {
        // 08:00 in Seoul is still the previous day in UTC.
        let now: jiff::ZonedDateTime = "2024-03-15T08:00:00+09:00[+09:00]".parse().unwrap();
        let date = |text: &str| BriefDate::parse(text).unwrap();
        assert!(!is_future(&date("2024-03-15"), &now));
        assert!(is_future(&date("2024-03-16"), &now));
        assert!(!is_future(&date("2024-03-15T07:59:00+09:00"), &now));
        assert!(is_future(&date("2024-03-15T08:01:00+09:00"), &now));
        assert!(is_future(&date("2024-03-14T23:30:00Z"), &now));
    }
}
