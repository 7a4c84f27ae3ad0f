//! The ANSI side: SGR escape sequences parsed into a grid of styled cells, and the palette that
//! turns their colours into RGB.

/// An RGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Rgb(pub(crate) u8, pub(crate) u8, pub(crate) u8);

pub(crate) const DEFAULT_BG: Rgb = Rgb(0x1e, 0x1e, 0x2e);
pub(crate) const DEFAULT_FG: Rgb = Rgb(0xcd, 0xd6, 0xf4);

/// The 16 ANSI colours (a Catppuccin-Mocha-like xterm palette that reads well on `DEFAULT_BG`).
pub(crate) const PALETTE16: [Rgb; 16] = [
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
pub(crate) enum Color {
    #[default]
    Default,
    /// 0–255: the 16 ANSI colours, the 6×6×6 cube, the grey ramp.
    Indexed(u8),
    Rgb(u8, u8, u8),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) struct Style {
    pub(crate) fg: Color,
    pub(crate) bg: Color,
    pub(crate) bold: bool,
    pub(crate) dim: bool,
    pub(crate) italic: bool,
    pub(crate) underline: bool,
    pub(crate) reverse: bool,
    pub(crate) hidden: bool,
    pub(crate) strike: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Cell {
    pub(crate) ch: char,
    pub(crate) style: Style,
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
pub(crate) const CONTINUATION: char = '\0';

/// Applies one SGR sequence's parameters (the text between `ESC [` and `m`) to `style`.
pub(crate) fn apply_sgr(style: &mut Style, params: &str) {
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
pub(crate) fn char_width(ch: char) -> usize {
    let mut buf = [0u8; 4];
    ratatui::text::Span::raw(&*ch.encode_utf8(&mut buf)).width()
}

/// Parses captured terminal text into rows of cells. The SGR state carries over from one line to
/// the next, as it does on a terminal. Other escape sequences (CSI, OSC, …) are skipped.
pub(crate) fn parse(text: &str) -> Vec<Vec<Cell>> {
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

pub(crate) fn resolve(color: Color, default: Rgb) -> Rgb {
    match color {
        Color::Default => default,
        Color::Rgb(r, g, b) => Rgb(r, g, b),
        Color::Indexed(n) => indexed(n),
    }
}

/// The xterm 256-colour palette (with `PALETTE16` for the first 16).
pub(crate) fn indexed(n: u8) -> Rgb {
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

pub(crate) fn mix(a: Rgb, b: Rgb, t: f32) -> Rgb {
    let m = |x: u8, y: u8| (f32::from(x) + (f32::from(y) - f32::from(x)) * t).round() as u8;
    Rgb(m(a.0, b.0), m(a.1, b.1), m(a.2, b.2))
}

/// The foreground and background a cell is drawn with.
pub(crate) fn cell_colors(style: &Style) -> (Rgb, Rgb) {
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
}
