//! Reading what a failed run reported: the `error: file:line:column: message` blocks of stderr.

/// One `error: ...` report parsed from stderr.
#[derive(Debug)]
pub struct Reported {
    /// The whole report: message line, snippet and hint.
    pub text: String,
    pub position: Option<(usize, usize)>,
    pub message: String,
    pub hint: Option<String>,
}

/// Every report in stderr about `file` (a path relative to the site root, as dossier shows it).
pub fn reports_about(stderr: &str, file: &str) -> Vec<Reported> {
    stderr
        .split("\n\n")
        .filter_map(|block| {
            let block = block.trim_matches('\n');
            let rest = block.strip_prefix("error: ")?.strip_prefix(file)?;
            let first_line = rest.lines().next().unwrap_or_default();
            let located = first_line
                .strip_prefix(':')
                .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
            let (position, message) = match located {
                Some(located) => {
                    let mut parts = located.splitn(3, ':');
                    let line = parts.next()?.parse().ok()?;
                    let column = parts.next()?.parse().ok()?;
                    (Some((line, column)), parts.next()?.trim().to_owned())
                }
                None => (None, first_line.strip_prefix(": ")?.to_owned()),
            };
            let hint = block
                .lines()
                .find_map(|l| l.trim_start().strip_prefix("= help: "))
                .map(str::to_owned);
            Some(Reported {
                text: block.to_owned(),
                position,
                message,
                hint,
            })
        })
        .collect()
}

/// The only report about `file`.
pub fn report_about(stderr: &str, file: &str) -> Reported {
    let mut found = reports_about(stderr, file);
    assert_eq!(
        found.len(),
        1,
        "expected one report about {file}\n--- stderr\n{stderr}"
    );
    found.remove(0)
}
