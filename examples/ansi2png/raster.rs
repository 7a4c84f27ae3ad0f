//! The pixel side: the canvas, the DejaVu faces (with a cache of rasterized glyphs), box-drawing
//! and block characters as strokes, and the grid drawn cell by cell.

use std::collections::HashMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;

use fontdue::{Font, FontSettings, Metrics};

use crate::Result;
use crate::sgr::{CONTINUATION, Cell, DEFAULT_BG, Rgb, cell_colors, char_width};

/// Space around the grid, in pixels.
const PADDING: usize = 12;

/// An RGB image.
pub(crate) struct Canvas {
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

    pub(crate) fn write_png(&self, path: &PathBuf) -> Result<()> {
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
pub(crate) struct Fonts {
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
pub(crate) fn box_strokes(ch: char) -> Option<[u8; 4]> {
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
pub(crate) fn draw_box(
    canvas: &mut Canvas,
    x: i64,
    y: i64,
    w: i64,
    h: i64,
    strokes: [u8; 4],
    fg: Rgb,
) {
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
pub(crate) fn draw_block(
    canvas: &mut Canvas,
    x: i64,
    y: i64,
    w: i64,
    h: i64,
    ch: char,
    fg: Rgb,
) -> bool {
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

pub(crate) fn render(rows: &[Vec<Cell>], cols: usize, nrows: usize, px: f32) -> Result<Canvas> {
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
