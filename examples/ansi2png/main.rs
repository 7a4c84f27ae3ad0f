//! Renders a terminal screen captured with `tmux capture-pane -e -p` (text with ANSI SGR escape
//! sequences) to a PNG, for the screenshots in `screenshots/` (see `scripts/screenshots`).
//!
//! ```sh
//! cargo run --example ansi2png -- IN.ansi OUT.png [--cols N --rows N] [--px SIZE]
//! ```
//!
//! Without `--cols`/`--rows` the grid is as wide as the longest line and as tall as the input.
//! The font is DejaVu Sans Mono (regular, bold, oblique, bold oblique) from the `dejavu` crate;
//! box-drawing and block characters are drawn as lines and rectangles so that borders join
//! across cells; glyphs DejaVu Sans Mono lacks come from DejaVu Sans.

mod raster;
mod sgr;

use std::error::Error;
use std::path::PathBuf;

use raster::render;
use sgr::parse;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// Default font size in pixels.
const DEFAULT_PX: f32 = 16.0;

struct Args {
    input: PathBuf,
    output: PathBuf,
    cols: Option<usize>,
    rows: Option<usize>,
    px: f32,
}

const USAGE: &str = "usage: ansi2png IN.ansi OUT.png [--cols N --rows N] [--px SIZE]";

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Args> {
    let mut paths = Vec::new();
    let (mut cols, mut rows, mut px) = (None, None, DEFAULT_PX);
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| -> Result<String> {
            args.next()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}").into())
        };
        match arg.as_str() {
            "--cols" => cols = Some(value("--cols")?.parse()?),
            "--rows" => rows = Some(value("--rows")?.parse()?),
            "--px" => px = value("--px")?.parse()?,
            "-h" | "--help" => return Err(USAGE.into()),
            s if s.starts_with("--") => return Err(format!("unknown option {s}\n{USAGE}").into()),
            _ => paths.push(PathBuf::from(arg)),
        }
    }
    let [input, output] = <[PathBuf; 2]>::try_from(paths).map_err(|_| USAGE)?;
    Ok(Args {
        input,
        output,
        cols,
        rows,
        px,
    })
}

fn main() -> Result<()> {
    let args = parse_args(std::env::args().skip(1))?;
    let text = std::fs::read_to_string(&args.input)
        .map_err(|e| format!("{}: {e}", args.input.display()))?;
    let rows = parse(&text);
    let cols = args
        .cols
        .unwrap_or_else(|| rows.iter().map(Vec::len).max().unwrap_or(0))
        .max(1);
    let nrows = args.rows.unwrap_or(rows.len()).max(1);
    let canvas = render(&rows, cols, nrows, args.px)?;
    canvas.write_png(&args.output)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn args() {
        let a =
            parse_args(["in.ansi", "out.png", "--cols", "100", "--rows", "30"].map(String::from))
                .expect("valid");
        assert_eq!((a.cols, a.rows), (Some(100), Some(30)));
        assert!(parse_args(["in.ansi".to_owned()]).is_err());
    }
}
