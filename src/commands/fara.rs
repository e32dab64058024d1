//! `dossier fara`: the briefs distributed for a foreign principal in a window of time, each with
//! the moment its distribution started and its filing deadline (48 hours later), the overdue ones
//! flagged; their labeled PDFs and a manifest (`manifest.csv`, `manifest.json`) in one folder,
//! ready for the FARA eFile system.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fara::{FaraConfig, deadline, distributed_at, rfc3339, shown};
use crate::load::front_matter::BriefDate;
use crate::pipeline;
use crate::render::urls::Urls;
use crate::site::Site;

#[derive(Debug, clap::Args)]
pub struct FaraArgs {
    /// The site's folder, holding site.toml and briefs/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Start of the window: a date (from its midnight in [fara] time_zone) or an RFC 3339
    /// date-time [default: the first brief].
    #[arg(long)]
    pub since: Option<String>,
    /// End of the window: a date (to the end of that day) or a date-time [default: now].
    #[arg(long)]
    pub until: Option<String>,
    /// Where to write the PDFs and the manifests [default: <root>/fara].
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// One distribution to file: a brief first published, or updated, in the window.
#[derive(Debug, Clone, Serialize)]
pub struct Filing {
    pub title: String,
    pub url: String,
    pub authors: Vec<String>,
    /// `first` for the first distribution, `update` for an updated brief.
    pub distribution: &'static str,
    /// When the distribution started (RFC 3339, in the filing time zone).
    pub published: String,
    pub deadline: String,
    pub overdue: bool,
    pub principal: String,
    pub file: String,
    pub sha256: String,
    #[serde(skip)]
    brief: usize,
    #[serde(skip)]
    at: jiff::Timestamp,
}

#[derive(Serialize)]
struct Manifest<'a> {
    registrant: &'a str,
    registration_number: Option<&'a str>,
    time_zone: &'a str,
    since: Option<String>,
    until: String,
    generated: String,
    filings: &'a [Filing],
}

pub fn run(args: &FaraArgs, quiet: bool, verbose: bool) -> Result<(), Diagnostics> {
    let now = jiff::ZonedDateTime::now();
    let (site, theme) = pipeline::load_site_as_of(
        &pipeline::Inputs {
            root: &args.root,
            base_url: None,
            drafts: false,
        },
        Some(now.clone()),
        verbose,
    )?;
    let Some(fara) = &site.config.fara else {
        return Err(Diagnostic::new("site.toml has no [fara] table")
            .in_file("site.toml")
            .with_hint("add [fara] with `registrant` and a [fara.principals.<key>] table with the principal's `name`; see the README, \"Filing under FARA\"")
            .into());
    };
    let zone = fara.zone().map_err(Diagnostic::new)?;
    let bound = |text: &Option<String>,
                 end: bool,
                 flag: &str|
     -> Result<Option<jiff::Timestamp>, Diagnostic> {
        let Some(text) = text else { return Ok(None) };
        let date = BriefDate::parse(text).map_err(|err| {
            let (message, hint) = err.split_once("; hint: ").unwrap_or((&err, ""));
            Diagnostic::new(format!("{flag}: {message}")).with_hint(hint.to_owned())
        })?;
        Ok(Some(window_bound(&date, &zone, end)))
    };
    let since = bound(&args.since, false, "--since")?;
    let until = bound(&args.until, true, "--until")?.unwrap_or(now.timestamp());
    let mut filings = filings(&site, fara, &zone, since, until, now.timestamp());
    let out = args.out.clone().unwrap_or_else(|| args.root.join("fara"));
    write_bundle(&site, &theme, &mut filings, &out)?;
    let manifest = Manifest {
        registrant: &fara.registrant,
        registration_number: fara.registration_number.as_deref(),
        time_zone: &fara.time_zone,
        since: since.map(|s| rfc3339(s, &zone)),
        until: rfc3339(until, &zone),
        generated: rfc3339(now.timestamp(), &zone),
        filings: &filings,
    };
    let json = serde_json::to_string_pretty(&manifest)
        .expect("the manifest has only string keys and plain values")
        + "\n";
    write(&out.join("manifest.json"), json.as_bytes())?;
    write(&out.join("manifest.csv"), csv(&filings).as_bytes())?;
    if !quiet {
        print!("{}", report(fara, &zone, &filings, &out));
    }
    Ok(())
}

/// A window's start (`end` false) or end: a bare date from the start of that day in `zone`, or
/// to the end of it; a date-time as written.
pub fn window_bound(date: &BriefDate, zone: &jiff::tz::TimeZone, end: bool) -> jiff::Timestamp {
    if !date.bare {
        return date.timestamp;
    }
    let day = if end {
        date.date.tomorrow().ok()
    } else {
        Some(date.date)
    };
    let start = day.and_then(|d| d.to_zoned_datetime(zone.clone()).ok());
    match start {
        Some(start) if end => start.timestamp() - jiff::SignedDuration::from_nanos(1),
        Some(start) => start.timestamp(),
        None => date.timestamp,
    }
}

/// The distributions in `[since, until]`: each brief's first publication, and its update.
pub fn filings(
    site: &Site,
    fara: &FaraConfig,
    zone: &jiff::tz::TimeZone,
    since: Option<jiff::Timestamp>,
    until: jiff::Timestamp,
    now: jiff::Timestamp,
) -> Vec<Filing> {
    let urls = Urls::new(&site.config);
    let mut filings = Vec::new();
    for (b, brief) in site.briefs.iter().enumerate() {
        let front = &brief.loaded.front;
        let Some(key) = fara.principal_of(front.fara.as_ref()) else {
            continue;
        };
        let Some(principal) = fara.principals.get(key) else {
            continue;
        };
        let dates = [("first", Some(front.date)), ("update", front.updated)];
        for (distribution, date) in dates {
            let Some(date) = date else { continue };
            let at = distributed_at(&date, zone);
            if since.is_some_and(|s| at < s) || at > until {
                continue;
            }
            let due = deadline(at);
            let slug = brief.loaded.slug.replace('/', "-");
            let day = at.to_zoned_datetime(zone.clone()).date();
            let suffix = if distribution == "update" {
                "-updated"
            } else {
                ""
            };
            filings.push(Filing {
                title: front.title.clone(),
                url: urls.permalink(&urls.brief(&brief.loaded.slug)),
                authors: brief
                    .authors
                    .iter()
                    .map(|&a| site.authors[a].config.name.clone())
                    .collect(),
                distribution,
                published: rfc3339(at, zone),
                deadline: rfc3339(due, zone),
                overdue: now > due,
                principal: principal.name.clone(),
                file: format!("{day}-{slug}{suffix}.pdf"),
                sha256: String::new(),
                brief: b,
                at,
            });
        }
    }
    filings.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.file.cmp(&b.file)));
    filings
}

/// Writes each filing's PDF into `out` (made fresh or from the cache), with its SHA-256.
fn write_bundle(
    site: &Site,
    theme: &crate::render::Theme,
    filings: &mut [Filing],
    out: &Path,
) -> Result<(), Diagnostics> {
    std::fs::create_dir_all(out)
        .map_err(|err| Diagnostic::new(format!("cannot create {}: {err}", out.display())))?;
    let maker = crate::pdf::Maker::new(site, &theme.static_files);
    let mut problems = Diagnostics::default();
    for filing in filings.iter_mut() {
        let brief = &site.briefs[filing.brief];
        match maker.make(filing.brief) {
            Ok(made) => {
                crate::pdf::warn(&brief.loaded.path, &made.warnings);
                filing.sha256 = crate::pdf::sha256(&made.bytes);
                if let Err(problem) = write(&out.join(&filing.file), &made.bytes) {
                    problems.push(problem);
                }
            }
            Err(message) => problems.push(
                Diagnostic::new(format!("cannot make the PDF to file: {message}"))
                    .in_file(&brief.loaded.path),
            ),
        }
    }
    maker.finish();
    problems.into_result(())
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    std::fs::write(path, bytes)
        .map_err(|err| Diagnostic::new(format!("cannot write {}: {err}", path.display())))
}

/// The manifest as CSV (RFC 4180): one row per filing.
pub fn csv(filings: &[Filing]) -> String {
    let mut out = String::from(
        "title,url,authors,distribution,published,deadline,overdue,principal,file,sha256\r\n",
    );
    for f in filings {
        let fields = [
            f.title.as_str(),
            &f.url,
            &f.authors.join("; "),
            f.distribution,
            &f.published,
            &f.deadline,
            if f.overdue { "yes" } else { "no" },
            &f.principal,
            &f.file,
            &f.sha256,
        ];
        let row: Vec<String> = fields.iter().map(|v| csv_field(v)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

fn csv_field(value: &str) -> String {
    // A leading `=`, `+`, `-` or `@` would be a formula in a spreadsheet.
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

fn report(fara: &FaraConfig, zone: &jiff::tz::TimeZone, filings: &[Filing], out: &Path) -> String {
    let mut text = String::new();
    let number = fara
        .registration_number
        .as_deref()
        .map_or_else(String::new, |n| format!(" (registration no. {n})"));
    let _ = writeln!(
        text,
        "FARA filings for {}{number}, times in {}:",
        fara.registrant, fara.time_zone
    );
    if filings.is_empty() {
        text.push_str("  no brief was distributed for a foreign principal in this window\n");
    }
    for f in filings {
        let at = shown(f.at, zone);
        let due = shown(deadline(f.at), zone);
        let kind = if f.distribution == "update" {
            "updated  "
        } else {
            "published"
        };
        let flag = if f.overdue { "  OVERDUE" } else { "" };
        let _ = writeln!(
            text,
            "  {kind} {at}  due {due}{flag}  {}  ({})",
            f.title, f.file
        );
    }
    let overdue = filings.iter().filter(|f| f.overdue).count();
    let _ = writeln!(
        text,
        "{} to file ({overdue} overdue): PDFs, manifest.csv and manifest.json in {}",
        filings.len(),
        out.display()
    );
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_ends_take_whole_days_in_the_filing_zone() {
        let zone = jiff::tz::TimeZone::get("America/New_York").unwrap();
        let day = BriefDate::parse("2024-03-10").unwrap();
        assert_eq!(
            rfc3339(window_bound(&day, &zone, false), &zone),
            "2024-03-10T00:00:00-05:00"
        );
        // The day of the change has 23 hours: it ends at 23:59:59 EDT.
        assert_eq!(
            rfc3339(window_bound(&day, &zone, true), &zone),
            "2024-03-10T23:59:59-04:00"
        );
        let instant = BriefDate::parse("2024-03-10T12:00:00-04:00").unwrap();
        assert_eq!(window_bound(&instant, &zone, true), instant.timestamp);
    }

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(csv_field("a, \"b\""), "\"a, \"\"b\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_field("plain"), "plain");
    }
}
