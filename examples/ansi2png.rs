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

use std::collections::HashMap;
use std::error::Error;
use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;

use fontdue::{Font, FontSettings, Metrics};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// Default font size in pixels.
const DEFAULT_PX: f32 = 16.0;
/// Space around the grid, in pixels.
const PADDING: usize = 12;

/// An RGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Rgb(u8, u8, u8);

const DEFAULT_BG: Rgb = Rgb(0x1e, 0x1e, 0x2e);
const DEFAULT_FG: Rgb = Rgb(0xcd, 0xd6, 0xf4);

/// The 16 ANSI colours (a Catppuccin-Mocha-like xterm palette that reads well on `DEFAULT_BG`).
const PALETTE16: [Rgb; 16] = [
    Rgb(0x45, 0x47, 0x5a), // black
    Rgb(0xf3, 0x8b, 0xa8), // red
    Rgb(0xa6, 0xe3, 0xa1), // green
    Rgb(0xf9, 0xe2, 0xaf), // yellow
    Rgb(0x89, 0xb4, 0xfa), // blue
    Rgb(0xf5, 0xc2, 0xe7), // magenta
    Rgb(0x94, 0xe2, 0xd5), // cyan
    Rgb(0xba, 0xc2, 0xde), // white
    Rgb(0x7f, 0x84, 0x9c), // bright black
    Rgb(0xf7, 0xa1, 0xba), // bright red
    Rgb(0xbd, 0xf0, 0xb8), // bright green
    Rgb(0xfb, 0xea, 0xc4), // bright yellow
    Rgb(0xa6, 0xc8, 0xfc), // bright blue
    Rgb(0xf8, 0xd3, 0xee), // bright magenta
    Rgb(0xb0, 0xec, 0xe2), // bright cyan
    Rgb(0xf0, 0xf3, 0xfb), // bright white
];

/// A colour as the terminal was told it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
enum Color {
    #[default]
    Default,
    /// 0–255: the 16 ANSI colours, the 6×6×6 cube, the grey ramp.
    Indexed(u8),
    Rgb(u8, u8, u8),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
struct Style {
    fg: Color,
    bg: Color,
    bold: bool,
    dim: bool,
    italic: bool,
    underline: bool,
    reverse: bool,
    hidden: bool,
    strike: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Cell {
    ch: char,
    style: Style,
}

impl Default for Cell {
    fn default() -> Self {
        Self {
            ch: ' ',
            style: Style::default(),
        }
    }
}

/// A wide character's second cell: nothing is drawn there but its background.
const CONTINUATION: char = '\0';

/// Applies one SGR sequence's parameters (the text between `ESC [` and `m`) to `style`.
fn apply_sgr(style: &mut Style, params: &str) {
    // Parameters are separated by ';'; a parameter may carry ':'-separated sub-parameters
    // (ITU T.416 form, e.g. `38:2::R:G:B` or `4:3`).
    let params: Vec<&str> = if params.is_empty() {
        vec!["0"]
    } else {
        params.split(';').collect()
    };
    let num = |s: &str| s.parse::<u16>().ok();
    let mut i = 0;
    while i < params.len() {
        let param = params[i];
        i += 1;
        let mut subs = param.split(':');
        let code = match subs.next() {
            None | Some("") => 0,
            Some(s) => match num(s) {
                Some(code) => code,
                None => continue,
            },
        };
        match code {
            0 => *style = Style::default(),
            1 => style.bold = true,
            2 => style.dim = true,
            3 => style.italic = true,
            4 => style.underline = subs.next().is_none_or(|s| s != "0"),
            7 => style.reverse = true,
            8 => style.hidden = true,
            9 => style.strike = true,
            21 => style.underline = true,
            22 => {
                style.bold = false;
                style.dim = false;
            }
            23 => style.italic = false,
            24 => style.underline = false,
            27 => style.reverse = false,
            28 => style.hidden = false,
            29 => style.strike = false,
            30..=37 => style.fg = Color::Indexed((code - 30) as u8),
            39 => style.fg = Color::Default,
            40..=47 => style.bg = Color::Indexed((code - 40) as u8),
            49 => style.bg = Color::Default,
            90..=97 => style.fg = Color::Indexed((code - 90 + 8) as u8),
            100..=107 => style.bg = Color::Indexed((code - 100 + 8) as u8),
            38 | 48 | 58 => {
                let sub: Vec<&str> = subs.collect();
                let color = if sub.is_empty() {
                    // `38;5;N` / `38;2;R;G;B`: the rest are further ';' parameters.
                    let kind = params.get(i).and_then(|s| num(s));
                    i += 1;
                    match kind {
                        Some(5) => {
                            let n = params.get(i).and_then(|s| num(s));
                            i += 1;
                            n.and_then(|n| u8::try_from(n).ok()).map(Color::Indexed)
                        }
                        Some(2) => {
                            let rgb: Vec<Option<u8>> = (0..3)
                                .map(|k| {
                                    params
                                        .get(i + k)
                                        .and_then(|s| num(s))
                                        .and_then(|n| u8::try_from(n).ok())
                                })
                                .collect();
                            i += 3;
                            match rgb[..] {
                                [Some(r), Some(g), Some(b)] => Some(Color::Rgb(r, g, b)),
                                _ => None,
                            }
                        }
                        _ => None,
                    }
                } else {
                    // `38:5:N`, `38:2::R:G:B` (empty colour-space id) or `38:2:R:G:B`.
                    let n = |s: &&str| num(s).and_then(|n| u8::try_from(n).ok());
                    match sub.first().and_then(|s| num(s)) {
                        Some(5) => sub.get(1).and_then(n).map(Color::Indexed),
                        Some(2) => {
                            let rgb = if sub.len() >= 5 {
                                &sub[2..5]
                            } else {
                                &sub[1..]
                            };
                            match rgb {
                                [r, g, b] => match (n(r), n(g), n(b)) {
                                    (Some(r), Some(g), Some(b)) => Some(Color::Rgb(r, g, b)),
                                    _ => None,
                                },
                                _ => None,
                            }
                        }
                        _ => None,
                    }
                };
                if let Some(color) = color {
                    match code {
                        38 => style.fg = color,
                        48 => style.bg = color,
                        _ => {} // 58: underline colour, not rendered
                    }
                }
            }
            _ => {} // blink, overline, fonts, …: not rendered
        }
    }
}

/// Display width of a character in terminal cells (0, 1 or 2), as ratatui (and so the app)
/// measures it.
fn char_width(ch: char) -> usize {
    let mut buf = [0u8; 4];
    ratatui::text::Span::raw(&*ch.encode_utf8(&mut buf)).width()
}

/// Parses captured terminal text into rows of cells. The SGR state carries over from one line to
/// the next, as it does on a terminal. Other escape sequences (CSI, OSC, …) are skipped.
fn parse(text: &str) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    let mut row: Vec<Cell> = Vec::new();
    let mut style = Style::default();
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\n' => rows.push(std::mem::take(&mut row)),
            '\r' => {}
            '\x1b' => match chars.next() {
                Some('[') => {
                    let mut params = String::new();
                    let mut last = None;
                    for c in chars.by_ref() {
                        if ('\x40'..='\x7e').contains(&c) {
                            last = Some(c);
                            break;
                        }
                        params.push(c);
                    }
                    if last == Some('m') && !params.starts_with(['?', '>', '<', '=']) {
                        apply_sgr(&mut style, &params);
                    }
                }
                Some(']' | 'P' | '_' | '^') => {
                    // OSC / DCS / APC / PM: up to BEL or ST (ESC \).
                    while let Some(c) = chars.next() {
                        if c == '\x07' {
                            break;
                        }
                        if c == '\x1b' && chars.peek() == Some(&'\\') {
                            chars.next();
                            break;
                        }
                    }
                }
                _ => {}
            },
            '\t' => {
                let next = (row.len() / 8 + 1) * 8;
                while row.len() < next {
                    row.push(Cell { ch: ' ', style });
                }
            }
            c if c.is_control() => {}
            c => match char_width(c) {
                0 => {} // combining marks and other zero-width characters: not rendered
                w => {
                    row.push(Cell { ch: c, style });
                    for _ in 1..w {
                        row.push(Cell {
                            ch: CONTINUATION,
                            style,
                        });
                    }
                }
            },
        }
    }
    if !row.is_empty() {
        rows.push(row);
    }
    rows
}

fn resolve(color: Color, default: Rgb) -> Rgb {
    match color {
        Color::Default => default,
        Color::Rgb(r, g, b) => Rgb(r, g, b),
        Color::Indexed(n) => indexed(n),
    }
}

/// The xterm 256-colour palette (with `PALETTE16` for the first 16).
fn indexed(n: u8) -> Rgb {
    match n {
        0..=15 => PALETTE16[usize::from(n)],
        16..=231 => {
            let level = |v: u8| if v == 0 { 0 } else { 55 + v * 40 };
            let v = n - 16;
            Rgb(level(v / 36), level((v / 6) % 6), level(v % 6))
        }
        232..=255 => {
            let g = 8 + (n - 232) * 10;
            Rgb(g, g, g)
        }
    }
}

fn mix(a: Rgb, b: Rgb, t: f32) -> Rgb {
    let m = |x: u8, y: u8| (f32::from(x) + (f32::from(y) - f32::from(x)) * t).round() as u8;
    Rgb(m(a.0, b.0), m(a.1, b.1), m(a.2, b.2))
}

/// The foreground and background a cell is drawn with.
fn cell_colors(style: &Style) -> (Rgb, Rgb) {
    let mut fg = resolve(style.fg, DEFAULT_FG);
    let mut bg = resolve(style.bg, DEFAULT_BG);
    if style.reverse {
        std::mem::swap(&mut fg, &mut bg);
    }
    if style.dim {
        fg = mix(fg, bg, 0.45);
    }
    (fg, bg)
}

/// An RGB image.
struct Canvas {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

impl Canvas {
    fn new(width: usize, height: usize, color: Rgb) -> Self {
        let mut pixels = Vec::with_capacity(width * height * 3);
        for _ in 0..width * height {
            pixels.extend([color.0, color.1, color.2]);
        }
        Self {
            width,
            height,
            pixels,
        }
    }

    /// Blends `color` over the pixel at (x, y) with coverage `alpha` (0–255).
    fn blend(&mut self, x: i64, y: i64, color: Rgb, alpha: u8) {
        if alpha == 0 || x < 0 || y < 0 {
            return;
        }
        let (Ok(x), Ok(y)) = (usize::try_from(x), usize::try_from(y)) else {
            return;
        };
        if x >= self.width || y >= self.height {
            return;
        }
        let i = (y * self.width + x) * 3;
        let a = u32::from(alpha);
        for (k, c) in [color.0, color.1, color.2].into_iter().enumerate() {
            let old = u32::from(self.pixels[i + k]);
            self.pixels[i + k] = ((u32::from(c) * a + old * (255 - a) + 127) / 255) as u8;
        }
    }

    fn fill(&mut self, x: i64, y: i64, w: i64, h: i64, color: Rgb, alpha: u8) {
        for yy in y..y + h {
            for xx in x..x + w {
                self.blend(xx, yy, color, alpha);
            }
        }
    }

    fn write_png(&self, path: &PathBuf) -> Result<()> {
        let file = File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut encoder = png::Encoder::new(
            BufWriter::new(file),
            u32::try_from(self.width)?,
            u32::try_from(self.height)?,
        );
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&self.pixels)?;
        writer.finish()?;
        Ok(())
    }
}

/// The faces, indexed by `bold as usize + 2 * italic as usize`, and the fallback.
struct Fonts {
    faces: [Font; 4],
    fallback: [Font; 2],
    px: f32,
    cell_w: usize,
    cell_h: usize,
    /// Baseline offset from the top of a cell.
    ascent: i64,
    cache: HashMap<(char, usize), (Metrics, Vec<u8>)>,
}

impl Fonts {
    fn new(px: f32) -> Result<Self> {
        let load = |bytes: &'static [u8]| -> Result<Font> {
            Ok(Font::from_bytes(bytes, FontSettings::default())
                .map_err(|e| format!("loading a DejaVu font: {e}"))?)
        };
        let faces = [
            load(dejavu::sans_mono::regular())?,
            load(dejavu::sans_mono::bold())?,
            load(dejavu::sans_mono::oblique())?,
            load(dejavu::sans_mono::bold_oblique())?,
        ];
        let fallback = [load(dejavu::sans::regular())?, load(dejavu::sans::bold())?];
        let line = faces[0]
            .horizontal_line_metrics(px)
            .ok_or("DejaVu Sans Mono has no horizontal line metrics")?;
        let cell_w = faces[0].metrics('M', px).advance_width.round().max(1.0) as usize;
        let cell_h = (line.ascent - line.descent + line.line_gap).ceil().max(1.0) as usize;
        // Centre the glyphs' ascent+descent box in the cell.
        let extra = cell_h as f32 - (line.ascent - line.descent);
        let ascent = (line.ascent + extra / 2.0).round() as i64;
        Ok(Self {
            faces,
            fallback,
            px,
            cell_w,
            cell_h,
            ascent,
            cache: HashMap::new(),
        })
    }

    /// The rasterized glyph for `ch` in `face` (falling back to the regular face, then to DejaVu
    /// Sans, shrunk to the cell width when wider).
    fn glyph(&mut self, ch: char, face: usize) -> &(Metrics, Vec<u8>) {
        let (faces, fallback, px, cell_w) = (&self.faces, &self.fallback, self.px, self.cell_w);
        self.cache.entry((ch, face)).or_insert_with(|| {
            if faces[face].has_glyph(ch) {
                return faces[face].rasterize(ch, px);
            }
            if faces[0].has_glyph(ch) {
                return faces[0].rasterize(ch, px);
            }
            let font = &fallback[face & 1];
            let width = font.metrics(ch, px).advance_width;
            let limit = (cell_w * char_width(ch).max(1)) as f32;
            let px = if width > limit {
                px * limit / width
            } else {
                px
            };
            font.rasterize(ch, px)
        })
    }
}

/// Which way a box-drawing character's strokes go from the cell centre: (up, down, left, right),
/// each 0 (none), 1 (light), 2 (heavy) or 3 (double).
fn box_strokes(ch: char) -> Option<[u8; 4]> {
    Some(match ch {
        '─' => [0, 0, 1, 1],
        '━' => [0, 0, 2, 2],
        '│' => [1, 1, 0, 0],
        '┃' => [2, 2, 0, 0],
        '┌' | '╭' => [0, 1, 0, 1],
        '┐' | '╮' => [0, 1, 1, 0],
        '└' | '╰' => [1, 0, 0, 1],
        '┘' | '╯' => [1, 0, 1, 0],
        '┏' => [0, 2, 0, 2],
        '┓' => [0, 2, 2, 0],
        '┗' => [2, 0, 0, 2],
        '┛' => [2, 0, 2, 0],
        '├' => [1, 1, 0, 1],
        '┤' => [1, 1, 1, 0],
        '┬' => [0, 1, 1, 1],
        '┴' => [1, 0, 1, 1],
        '┼' => [1, 1, 1, 1],
        '┣' => [2, 2, 0, 2],
        '┫' => [2, 2, 2, 0],
        '┳' => [0, 2, 2, 2],
        '┻' => [2, 0, 2, 2],
        '╋' => [2, 2, 2, 2],
        '═' => [0, 0, 3, 3],
        '║' => [3, 3, 0, 0],
        '╔' => [0, 3, 0, 3],
        '╗' => [0, 3, 3, 0],
        '╚' => [3, 0, 0, 3],
        '╝' => [3, 0, 3, 0],
        '╠' => [3, 3, 0, 3],
        '╣' => [3, 3, 3, 0],
        '╦' => [0, 3, 3, 3],
        '╩' => [3, 0, 3, 3],
        '╬' => [3, 3, 3, 3],
        '╴' => [0, 0, 1, 0],
        '╵' => [1, 0, 0, 0],
        '╶' => [0, 0, 0, 1],
        '╷' => [0, 1, 0, 0],
        _ => return None,
    })
}

/// Draws a box-drawing character as strokes that reach the cell edges (so borders join).
fn draw_box(canvas: &mut Canvas, x: i64, y: i64, w: i64, h: i64, strokes: [u8; 4], fg: Rgb) {
    let (cx, cy) = (x + w / 2, y + h / 2);
    let thick = |kind: u8| if kind == 2 { 2 } else { 1 };
    let [up, down, left, right] = strokes;
    // Vertical strokes: from the top edge / to the bottom edge through the centre.
    for (kind, y0, y1) in [(up, y, cy + 1), (down, cy, y + h)] {
        match kind {
            0 => {}
            3 => {
                canvas.fill(cx - 2, y0, 1, y1 - y0, fg, 255);
                canvas.fill(cx + 1, y0, 1, y1 - y0, fg, 255);
            }
            k => canvas.fill(cx - (thick(k) - 1), y0, thick(k), y1 - y0, fg, 255),
        }
    }
    for (kind, x0, x1) in [(left, x, cx + 1), (right, cx, x + w)] {
        match kind {
            0 => {}
            3 => {
                canvas.fill(x0, cy - 2, x1 - x0, 1, fg, 255);
                canvas.fill(x0, cy + 1, x1 - x0, 1, fg, 255);
            }
            k => canvas.fill(x0, cy - (thick(k) - 1), x1 - x0, thick(k), fg, 255),
        }
    }
}

/// Draws block elements as rectangles (so they tile without gaps); false if `ch` is not one.
fn draw_block(canvas: &mut Canvas, x: i64, y: i64, w: i64, h: i64, ch: char, fg: Rgb) -> bool {
    match ch {
        '█' => canvas.fill(x, y, w, h, fg, 255),
        '▀' => canvas.fill(x, y, w, h / 2, fg, 255),
        '▄' => canvas.fill(x, y + h / 2, w, h - h / 2, fg, 255),
        '▌' => canvas.fill(x, y, w / 2, h, fg, 255),
        '▐' => canvas.fill(x + w / 2, y, w - w / 2, h, fg, 255),
        '░' => canvas.fill(x, y, w, h, fg, 64),
        '▒' => canvas.fill(x, y, w, h, fg, 128),
        '▓' => canvas.fill(x, y, w, h, fg, 192),
        '▁'..='▇' => {
            let eighths = i64::from(u32::from(ch) - u32::from('▁') + 1);
            let bar = h * eighths / 8;
            canvas.fill(x, y + h - bar, w, bar, fg, 255);
        }
        _ => return false,
    }
    true
}

fn render(rows: &[Vec<Cell>], cols: usize, nrows: usize, px: f32) -> Result<Canvas> {
    let mut fonts = Fonts::new(px)?;
    let (cw, ch) = (fonts.cell_w, fonts.cell_h);
    let mut canvas = Canvas::new(
        cols * cw + 2 * PADDING,
        nrows * ch + 2 * PADDING,
        DEFAULT_BG,
    );
    let blank = Cell::default();
    for r in 0..nrows {
        for c in 0..cols {
            let cell = rows.get(r).and_then(|row| row.get(c)).unwrap_or(&blank);
            let (fg, bg) = cell_colors(&cell.style);
            let x = i64::try_from(PADDING + c * cw)?;
            let y = i64::try_from(PADDING + r * ch)?;
            let (w, h) = (i64::try_from(cw)?, i64::try_from(ch)?);
            if bg != DEFAULT_BG {
                canvas.fill(x, y, w, h, bg, 255);
            }
            if cell.style.hidden || cell.ch == CONTINUATION {
                continue;
            }
            if let Some(strokes) = box_strokes(cell.ch) {
                draw_box(&mut canvas, x, y, w, h, strokes, fg);
            } else if !draw_block(&mut canvas, x, y, w, h, cell.ch, fg) && cell.ch != ' ' {
                let face = usize::from(cell.style.bold) + 2 * usize::from(cell.style.italic);
                let baseline = y + fonts.ascent;
                let (metrics, bitmap) = fonts.glyph(cell.ch, face);
                let gx = x + i64::from(metrics.xmin);
                let gy = baseline - i64::try_from(metrics.height)? - i64::from(metrics.ymin);
                for (i, &alpha) in bitmap.iter().enumerate() {
                    let (bx, by) = (i % metrics.width.max(1), i / metrics.width.max(1));
                    canvas.blend(gx + i64::try_from(bx)?, gy + i64::try_from(by)?, fg, alpha);
                }
            }
            if cell.style.underline {
                canvas.fill(x, y + fonts.ascent + 2, w, 1, fg, 255);
            }
            if cell.style.strike {
                canvas.fill(x, y + fonts.ascent * 2 / 3, w, 1, fg, 255);
            }
        }
    }
    Ok(canvas)
}

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

    fn style_of(params: &str) -> Style {
        let mut style = Style::default();
        apply_sgr(&mut style, params);
        style
    }

    #[test]
    fn basic_attributes_and_16_colours() {
        let s = style_of("1;2;3;4;7;31;102");
        assert!(s.bold && s.dim && s.italic && s.underline && s.reverse);
        assert_eq!(s.fg, Color::Indexed(1));
        assert_eq!(s.bg, Color::Indexed(10));
        let s = style_of("94;45");
        assert_eq!((s.fg, s.bg), (Color::Indexed(12), Color::Indexed(5)));
        let mut s = style_of("1;2;4;7;31;41");
        apply_sgr(&mut s, "22;24;27;39;49");
        assert_eq!(s, Style::default());
    }

    #[test]
    fn reset_forms() {
        let mut s = style_of("1;31");
        apply_sgr(&mut s, "");
        assert_eq!(s, Style::default());
        let mut s = style_of("1;31");
        apply_sgr(&mut s, "0;7");
        assert_eq!(
            s,
            Style {
                reverse: true,
                ..Style::default()
            }
        );
    }

    #[test]
    fn extended_colours_semicolon_and_colon_forms() {
        let s = style_of("38;5;208;48;2;10;20;30;1");
        assert_eq!(s.fg, Color::Indexed(208));
        assert_eq!(s.bg, Color::Rgb(10, 20, 30));
        assert!(s.bold, "parameters after an extended colour still apply");
        let s = style_of("38:2::1:2:3;48:5:17");
        assert_eq!(s.fg, Color::Rgb(1, 2, 3));
        assert_eq!(s.bg, Color::Indexed(17));
        let s = style_of("38:2:4:5:6;4:0");
        assert_eq!(s.fg, Color::Rgb(4, 5, 6));
        assert!(!s.underline);
    }

    #[test]
    fn parse_keeps_style_across_lines_and_skips_other_sequences() {
        let rows = parse("\x1b[1m\x1b[38;5;6mab\x1b[?25l\nc\x1b]8;;http://x\x1b\\d\x1b[0m e\n");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].len(), 2);
        assert!(rows[1][0].style.bold, "state carries over the newline");
        assert_eq!(rows[1][0].style.fg, Color::Indexed(6));
        let text: String = rows[1].iter().map(|c| c.ch).collect();
        assert_eq!(text, "cd e");
        assert_eq!(rows[1][3].style, Style::default());
    }

    #[test]
    fn wide_characters_take_two_cells() {
        let rows = parse("✓界x\n");
        let chars: Vec<char> = rows[0].iter().map(|c| c.ch).collect();
        assert_eq!(chars, ['✓', '界', CONTINUATION, 'x']);
    }

    #[test]
    fn xterm_palette() {
        assert_eq!(indexed(16), Rgb(0, 0, 0));
        assert_eq!(indexed(196), Rgb(255, 0, 0));
        assert_eq!(indexed(231), Rgb(255, 255, 255));
        assert_eq!(indexed(232), Rgb(8, 8, 8));
        assert_eq!(indexed(255), Rgb(238, 238, 238));
    }

    #[test]
    fn args() {
        let a =
            parse_args(["in.ansi", "out.png", "--cols", "100", "--rows", "30"].map(String::from))
                .expect("valid");
        assert_eq!((a.cols, a.rows), (Some(100), Some(30)));
        assert!(parse_args(["in.ansi".to_owned()]).is_err());
    }
}
