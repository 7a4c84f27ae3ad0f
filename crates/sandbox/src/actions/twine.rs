//! twine 7's output as it lands in a job's log. twine prints through rich with a forced terminal
//! 80 columns wide (GitHub's runner has no TTY and sets no `COLUMNS`): `print` wraps at 80, log
//! records are `LEVEL    message` with the message wrapped at 71 columns and padded, the level
//! coloured, and every upload draws a progress bar with cursor codes. Captured from twine 7.0.0
//! against a loopback server (research `oidc/twine/`).

/// Width of rich's console when it is not a terminal.
const WIDTH: usize = 80;
/// The level column (`WARNING `) and the space after it.
const LEVEL: usize = 9;
const HIDE_CURSOR: &str = "\x1b[?25l";
pub const SHOW_CURSOR: &str = "\x1b[?25h";

/// Greedy word wrap at `width`, folding words longer than a line; a wrapped line keeps the space
/// it broke at, as rich's does.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split(' ') {
        let fits = current.chars().count() + 1 + word.chars().count() <= width;
        if current.is_empty() && word.chars().count() <= width {
            current = word.to_owned();
            continue;
        }
        if fits && !current.is_empty() {
            current.push(' ');
            current.push_str(word);
            continue;
        }
        if !current.is_empty() {
            lines.push(format!("{current} "));
        }
        let mut rest: Vec<char> = word.chars().collect();
        while rest.len() > width {
            lines.push(rest.drain(..width).collect());
        }
        current = rest.into_iter().collect();
    }
    lines.push(current);
    lines
}

/// What `print(text)` writes.
pub fn print(text: &str) -> Vec<String> {
    wrap(text, WIDTH)
}

/// A log record: `WARNING  message`, `ERROR    message` (colours as rich writes them); each line
/// of the message wrapped at 71 columns and padded to the width, continuation lines indented.
pub fn log(level: &str, message: &str) -> Vec<String> {
    let colour = match level {
        "WARNING" => "33",
        "ERROR" => "31",
        _ => "34",
    };
    let width = WIDTH - LEVEL;
    let mut out = Vec::new();
    for paragraph in message.split('\n') {
        for line in wrap(paragraph, width) {
            let text = format!("{:<width$}", line.trim_end());
            if out.is_empty() {
                out.push(format!("\x1b[{colour}m{level:<8}\x1b[0m {text}"));
            } else {
                out.push(format!("{:LEVEL$}{text}", ""));
            }
        }
    }
    out
}

/// rich's download column: `812/812 bytes`, `2.3/2.3 kB`.
fn size(done: usize, total: usize) -> String {
    if total < 1000 {
        return format!("{done}/{total} bytes");
    }
    let (unit, suffix) = if total < 1_000_000 {
        (1e3, "kB")
    } else {
        (1e6, "MB")
    };
    format!(
        "{:.1}/{:.1} {suffix}",
        done as f64 / unit,
        total as f64 / unit
    )
}

/// The progress bar of one upload: 0 % then 100 % on one line, the cursor hidden.
pub fn progress(bytes: usize) -> String {
    let bar = "━".repeat(40);
    let frame = |pct: &str, done: usize, eta: &str, eta_colour: &str| {
        format!(
            "\r\x1b[2K\x1b[35m{pct}\x1b[0m \x1b[90m{bar}\x1b[0m \x1b[32m{}\x1b[0m • \x1b[{eta_colour}m{eta}\x1b[0m • \x1b[31m?\x1b[0m",
            size(done, bytes)
        )
    };
    format!(
        "{HIDE_CURSOR}{}{}",
        frame("  0%", 0, "--:--", "36"),
        frame("100%", bytes, "00:00", "33")
    )
}

/// twine's answer to a refused upload (`HTTPError: 403 Forbidden from URL` and the reason).
pub fn http_error(status: u16, url: &str) -> Vec<String> {
    let phrase = axum::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Unknown Status");
    http_error_with_reason(status, phrase, url, phrase)
}

pub fn http_error_with_reason(status: u16, phrase: &str, url: &str, reason: &str) -> Vec<String> {
    let mut lines = log(
        "WARNING",
        "Error during upload. Retry with the --verbose option for more details.",
    );
    lines.extend(log(
        "ERROR",
        &format!("HTTPError: {status} {phrase} from {url}\n{reason}"),
    ));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_like_rich() {
        // Captured from twine 7.0.0 (`cat -A`): the URL moves to its own line.
        let lines = log(
            "ERROR",
            "HTTPError: 403 Forbidden from http://127.0.0.1:18531/octo-org-123456789012/pypi/widgets/\nForbidden",
        );
        assert_eq!(
            lines,
            vec![
                format!(
                    "\x1b[31mERROR   \x1b[0m HTTPError: 403 Forbidden from{}",
                    " ".repeat(42)
                ),
                format!(
                    "         http://127.0.0.1:18531/octo-org-123456789012/pypi/widgets/{}",
                    " ".repeat(13)
                ),
                format!("         Forbidden{}", " ".repeat(62)),
            ]
        );
        let long = "http://127.0.0.1:18531/octo-org-123456789012/pypi/widgets-with-a-very-long-repository-name-abcdefgh/";
        assert_eq!(
            print(&format!("Uploading distributions to {long}")),
            vec![
                "Uploading distributions to ".to_owned(),
                long[..80].to_owned(),
                long[80..].to_owned()
            ]
        );
        let skip = log(
            "ERROR",
            "UnsupportedConfiguration: The configured repository 'http://127.0.0.1:18532/octo-org-123456789012/pypi/widgets/' does not have support for the following features: --skip-existing and is an unsupported configuration",
        );
        assert_eq!(
            skip[1],
            "         'http://127.0.0.1:18532/octo-org-123456789012/pypi/widgets/' does not  "
        );
        assert_eq!(skip.len(), 4);
    }

    #[test]
    fn sizes_as_rich_shows_them() {
        assert_eq!(size(0, 2300), "0.0/2.3 kB");
        assert_eq!(size(812, 812), "812/812 bytes");
    }
}
