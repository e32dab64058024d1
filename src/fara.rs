//! The Foreign Agents Registration Act: which briefs are informational materials distributed for a
//! foreign principal, the label each carries (22 U.S.C. 614(b), 28 CFR 5.402: a conspicuous
//! statement at its beginning), and when each is due at the Justice Department (614(a): within
//! 48 hours of the start of its distribution).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::load::front_matter::BriefDate;

/// `[fara]` in site.toml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaraConfig {
    /// The registered agent: the organization that distributes the briefs.
    pub registrant: String,
    /// Its FARA registration number, for the manifest.
    #[serde(default)]
    pub registration_number: Option<String>,
    /// The principal of every brief that names none (`fara = false` opts a brief out); without
    /// it, only briefs that name a principal are covered.
    #[serde(default)]
    pub default_principal: Option<String>,
    /// Where dates written without a time start, and how deadlines are shown: the filing
    /// office's zone (Washington, DC) unless the site says otherwise.
    #[serde(default = "default_time_zone")]
    pub time_zone: String,
    #[serde(default)]
    pub principals: BTreeMap<String, Principal>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Principal {
    /// As the registration statement names it, e.g. "Gwanghwa Foundation for Policy Research,
    /// Seoul".
    pub name: String,
    /// The label, in Markdown; by default the Department of Justice's standard wording.
    #[serde(default)]
    pub label: Option<String>,
}

fn default_time_zone() -> String {
    "America/New_York".to_owned()
}

/// A brief's `fara` field: `false` to opt out, or the key of its principal.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum FaraField {
    Flag(bool),
    Principal(String),
}

impl FaraConfig {
    /// The label of principal `key`, in Markdown.
    pub fn label(&self, key: &str) -> Option<String> {
        let principal = self.principals.get(key)?;
        Some(principal.label.clone().unwrap_or_else(|| {
            format!(
                "This material is distributed by {} on behalf of {}. Additional information is available at the Department of Justice, Washington, DC.",
                self.registrant, principal.name
            )
        }))
    }

    /// The key of the principal a brief is distributed for, if any.
    pub fn principal_of<'a>(&'a self, field: Option<&'a FaraField>) -> Option<&'a str> {
        match field {
            Some(FaraField::Flag(false)) => None,
            Some(FaraField::Principal(key)) => Some(key),
            Some(FaraField::Flag(true)) | None => self.default_principal.as_deref(),
        }
    }

    pub fn zone(&self) -> Result<jiff::tz::TimeZone, String> {
        jiff::tz::TimeZone::get(&self.time_zone).map_err(|err| {
            format!(
                "[fara] time_zone `{}` is not a known time zone: {err}",
                self.time_zone
            )
        })
    }

    /// Problems in `[fara]` itself, as messages.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.registrant.trim().is_empty() {
            problems.push("[fara] registrant is empty".to_owned());
        }
        if let Some(key) = &self.default_principal
            && !self.principals.contains_key(key)
        {
            problems.push(format!(
                "[fara] default_principal `{key}` is not one of [fara.principals]"
            ));
        }
        if let Err(problem) = self.zone() {
            problems.push(problem);
        }
        problems
    }
}

/// When a brief dated `date` started to be distributed: its instant, or for a bare date the
/// start of that day in `zone` (the earliest it can have gone out there).
pub fn distributed_at(date: &BriefDate, zone: &jiff::tz::TimeZone) -> jiff::Timestamp {
    if !date.bare {
        return date.timestamp;
    }
    date.date
        .to_zoned_datetime(zone.clone())
        .map_or(date.timestamp, |start| start.timestamp())
}

/// 48 hours after `at`: elapsed hours, whatever the clocks do in between.
pub fn deadline(at: jiff::Timestamp) -> jiff::Timestamp {
    at.checked_add(jiff::SignedDuration::from_hours(48))
        .unwrap_or(at)
}

/// `at` as an RFC 3339 date-time with the offset `zone` has then.
pub fn rfc3339(at: jiff::Timestamp, zone: &jiff::tz::TimeZone) -> String {
    at.to_zoned_datetime(zone.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// `at` for people: `2024-03-11 11:00 EDT`.
pub fn shown(at: jiff::Timestamp, zone: &jiff::tz::TimeZone) -> String {
    at.to_zoned_datetime(zone.clone())
        .strftime("%Y-%m-%d %H:%M %Z")
        .to_string()
}

/// Labels rendered once per build: one per principal, in `principals` order.
pub fn label_html(config: &FaraConfig) -> BTreeMap<String, String> {
    config
        .principals
        .keys()
        .filter_map(|key| {
            let label = config.label(key)?;
            Some((key.clone(), crate::markdown::render_untrusted(&label)))
        })
        .collect()
}

/// What a brief shows at its beginning, on its page, in feeds and in its PDF: its FARA label,
/// then the site's disclosure unless it says the same.
pub fn disclosure_html<'a>(
    site: &'a crate::site::Site,
    brief: &crate::site::Brief,
) -> std::borrow::Cow<'a, str> {
    use std::borrow::Cow;
    let label = site.config.fara.as_ref().and_then(|fara| {
        let key = fara.principal_of(brief.loaded.front.fara.as_ref())?;
        site.fara_labels.get(key)
    });
    match label {
        Some(label) if *label != site.disclosure_html && !site.disclosure_html.is_empty() => {
            Cow::Owned(format!("{label}{}", site.disclosure_html))
        }
        Some(label) => Cow::Borrowed(label),
        None => Cow::Borrowed(&site.disclosure_html),
    }
}

/// Every brief's `fara` field names a principal of `[fara]`.
pub fn check_briefs(
    config: &crate::config::SiteConfig,
    briefs: &[crate::load::LoadedBrief],
    problems: &mut crate::diagnostics::Diagnostics,
) {
    use crate::diagnostics::Diagnostic;
    for brief in briefs {
        let Some(field) = &brief.front.fara else {
            continue;
        };
        let problem = match (&config.fara, field) {
            (_, FaraField::Flag(false)) => None,
            (None, _) => Some((
                "`fara` names a foreign principal, but site.toml has no [fara] table".to_owned(),
                "add [fara] with the registrant and [fara.principals.<key>] to site.toml, or remove `fara`".to_owned(),
            )),
            (Some(fara), FaraField::Flag(true)) if fara.default_principal.is_none() => Some((
                "`fara = true` needs a default principal".to_owned(),
                "name the principal (`fara = \"<key>\"`), or set [fara] default_principal".to_owned(),
            )),
            (Some(fara), FaraField::Principal(key)) if !fara.principals.contains_key(key) => {
                let known: Vec<&str> = fara.principals.keys().map(String::as_str).collect();
                Some((
                    format!("unknown FARA principal `{key}`"),
                    match crate::diagnostics::nearest(key, known.iter().copied()) {
                        Some(best) => format!("did you mean `{best}`? Principals are [fara.principals.<key>] in site.toml"),
                        None => format!("declare it in site.toml as [fara.principals.{key}] with its name, or write `fara = false`"),
                    },
                ))
            }
            _ => None,
        };
        if let Some((message, hint)) = problem {
            problems.push(brief.at_field("fara", Diagnostic::new(message).with_hint(hint)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(name: &str) -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get(name).unwrap()
    }

    fn due(published: &str, zone_name: &str) -> (String, String) {
        let date = BriefDate::parse(published).unwrap();
        let z = zone(zone_name);
        let at = distributed_at(&date, &z);
        (rfc3339(at, &z), rfc3339(deadline(at), &z))
    }

    #[test]
    fn deadlines_are_48_elapsed_hours_across_daylight_saving_changes() {
        // Washington springs forward on 10 March 2024 at 02:00: 48 hours after Saturday 10:00
        // EST is Monday 11:00 EDT.
        assert_eq!(
            due("2024-03-09T10:00:00-05:00", "America/New_York"),
            (
                "2024-03-09T10:00:00-05:00".to_owned(),
                "2024-03-11T11:00:00-04:00".to_owned()
            )
        );
        // And falls back on 3 November 2024: Saturday 10:00 EDT is due Monday 09:00 EST.
        assert_eq!(
            due("2024-11-02T10:00:00-04:00", "America/New_York").1,
            "2024-11-04T09:00:00-05:00"
        );
        // Away from a change, the same wall-clock time two days on.
        assert_eq!(
            due("2024-06-12T16:30:00-04:00", "America/New_York").1,
            "2024-06-14T16:30:00-04:00"
        );
    }

    #[test]
    fn a_date_time_written_in_another_zone_is_the_same_instant() {
        // 09:00 in Seoul is 20:00 the evening before in Washington (EDT).
        assert_eq!(
            due("2024-03-15T09:00:00+09:00", "America/New_York"),
            (
                "2024-03-14T20:00:00-04:00".to_owned(),
                "2024-03-16T20:00:00-04:00".to_owned()
            )
        );
        assert_eq!(
            due("2024-03-15T00:30:00Z", "Asia/Seoul").1,
            "2024-03-17T09:30:00+09:00"
        );
    }

    #[test]
    fn a_bare_date_starts_at_midnight_where_the_site_files() {
        assert_eq!(
            due("2024-03-10", "America/New_York"),
            (
                "2024-03-10T00:00:00-05:00".to_owned(),
                "2024-03-12T01:00:00-04:00".to_owned()
            )
        );
        assert_eq!(
            due("2024-07-01", "Asia/Seoul"),
            (
                "2024-07-01T00:00:00+09:00".to_owned(),
                "2024-07-03T00:00:00+09:00".to_owned()
            )
        );
        // Midnight UTC written in full is an instant, not a bare date.
        assert_eq!(
            due("2024-07-01T00:00:00Z", "Asia/Seoul").0,
            "2024-07-01T09:00:00+09:00"
        );
    }

    #[test]
    fn principals_and_labels() {
        let config: FaraConfig = toml::from_str(
            "registrant = 'Harbor Institute'\ndefault_principal = 'g'\n[principals.g]\nname = 'Gwanghwa Foundation'\n[principals.h]\nname = 'H Ministry'\nlabel = 'Custom.'",
        )
        .unwrap();
        assert!(config.problems().is_empty());
        assert_eq!(config.principal_of(None), Some("g"));
        assert_eq!(config.principal_of(Some(&FaraField::Flag(false))), None);
        assert_eq!(
            config.principal_of(Some(&FaraField::Principal("h".into()))),
            Some("h")
        );
        assert_eq!(
            config.label("g").unwrap(),
            "This material is distributed by Harbor Institute on behalf of Gwanghwa Foundation. Additional information is available at the Department of Justice, Washington, DC."
        );
        assert_eq!(config.label("h").unwrap(), "Custom.");
        let bad: FaraConfig = toml::from_str(
            "registrant = 'x'\ndefault_principal = 'nope'\ntime_zone = 'Mars/Olympus'",
        )
        .unwrap();
        assert_eq!(bad.problems().len(), 2);
    }
}
