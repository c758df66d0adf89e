//! Drawing a sky map as an image preview: the map in the colour gradient between robust
//! percentiles (blank pixels grey), enlarged or reduced as its [`MapLayout`] says, a colour
//! bar with round-numbered ticks, a title, a subtitle and a caption.

use crate::canvas::{Canvas, BLACK, DARK_GREY, WHITE};
use crate::colour::gradient;
use crate::font::{draw_text, fit_text, text_width};
use crate::layout::{self, MapLayout};
use crate::maps::SkyMap;
use crate::scaling::DisplayRange;
use crate::ticks::{format_tick, format_value, nice_ticks};

/// The words on an image preview.
pub(crate) struct MapText {
    pub(crate) title: String,
    pub(crate) subtitle: String,
    pub(crate) caption: String,
}

/// The value shown in each display cell: the map itself, or the largest finite value of each
/// block when reduced. In FITS order over the cells.
fn cell_values(map: &SkyMap, layout: &MapLayout) -> Vec<f32> {
    let block = layout.block();
    if block == 1 {
        return map.values.clone();
    }
    let (cx, cy) = layout.cells();
    let mut cells = vec![f32::NAN; cx * cy];
    for y in 0..map.ny {
        let row = &map.values[y * map.nx..(y + 1) * map.nx];
        let cells_row = &mut cells[(y / block) * cx..(y / block + 1) * cx];
        for (x, &v) in row.iter().enumerate() {
            let cell = &mut cells_row[x / block];
            *cell = cell.max(v);
        }
    }
    cells
}

/// Draws the preview of `map`, which must hold at least one finite value for a meaningful
/// scale (a map without any is drawn all grey).
pub(crate) fn draw_map(map: &SkyMap, layout: &MapLayout, text: &MapText) -> Canvas {
    let (width, height) = layout.canvas_size;
    let mut canvas = Canvas::new(width, height, WHITE);
    let values = cell_values(map, layout);
    let range = DisplayRange::robust(&values).unwrap_or(DisplayRange {
        low: 0.0,
        high: 0.0,
    });
    let (ox, oy) = layout.image_origin;
    let (w, h) = layout.image_size;
    let (cx, _) = layout.cells();
    let cell = layout.cell_size();
    for py in 0..h {
        for px in 0..w {
            let (x, y) = layout.cell_at((px / cell) as usize, (py / cell) as usize);
            let value = values[x + cx * y] as f64;
            canvas.put(
                (ox + px) as i64,
                (oy + py) as i64,
                gradient(range.position(value)),
            );
        }
    }
    canvas.outline(ox as i64, oy as i64, w, h, DARK_GREY);
    draw_colour_bar(&mut canvas, layout, &range);

    let room = width - 2 * layout::MARGIN;
    let mut title_scale = layout::TITLE_SCALE;
    if text_width(&text.title, title_scale) > room {
        title_scale = 1;
    }
    let title = fit_text(&text.title, room, title_scale);
    let left = layout::MARGIN as i64;
    draw_text(
        &mut canvas,
        left,
        layout::TITLE_TOP as i64,
        &title,
        title_scale,
        BLACK,
    );
    let subtitle = fit_text(&text.subtitle, room, 1);
    draw_text(
        &mut canvas,
        left,
        layout::SUBTITLE_TOP as i64,
        &subtitle,
        1,
        BLACK,
    );
    let caption = fit_text(&text.caption, room, 1);
    let caption_top = (oy + h + layout::CAPTION_GAP) as i64;
    draw_text(&mut canvas, left, caption_top, &caption, 1, DARK_GREY);
    canvas
}

/// The gradient beside the map, top = high end, with ticks at round values.
fn draw_colour_bar(canvas: &mut Canvas, layout: &MapLayout, range: &DisplayRange) {
    let top = layout.image_origin.1 as i64;
    let h = layout.image_size.1;
    let left = (canvas.width() - layout::MARGIN - layout::BAR_LABELS - layout::BAR_WIDTH) as i64;
    let span = (h.max(2) - 1) as f64;
    let flat = range.high <= range.low;
    for row in 0..h {
        let t = if flat { 0.5 } else { 1.0 - row as f64 / span };
        canvas.fill_rect(left, top + row as i64, layout::BAR_WIDTH, 1, gradient(t));
    }
    canvas.outline(left, top, layout::BAR_WIDTH, h, DARK_GREY);
    let right = left + layout::BAR_WIDTH as i64 + 1;
    let label = |canvas: &mut Canvas, y: i64, text: &str| {
        canvas.fill_rect(right, y, 5, 1, BLACK);
        // centred on the tick, kept beside the bar
        let text_top = (y - 3).clamp(top - 3, top + h as i64 - 4);
        draw_text(canvas, right + 10, text_top, text, 1, BLACK);
    };
    if flat {
        label(canvas, top + h as i64 / 2, &format_value(range.low));
        return;
    }
    let target = (h as usize / 60).clamp(2, 8);
    let (ticks, step) = nice_ticks(range.low, range.high, target);
    for v in ticks {
        let y = top + ((1.0 - range.position(v)) * span).round() as i64;
        label(canvas, y, &format_tick(v, step));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::colour::{BLANK_GREY, BRIGHTEST};
    use vo_fits::{CelestialWcs, ImageWcs, Projection};

    fn layout(nx: usize, ny: usize) -> MapLayout {
        MapLayout::for_wcs(&ImageWcs {
            celestial: CelestialWcs {
                projection: Projection::Sin,
                crval: (0.0, 0.0),
                crpix: (1.0, 1.0),
                cdelt: (-1e-4, 1e-4),
                pc: None,
            },
            spectral: None,
            stokes: None,
            shape: vec![nx, ny],
            beam: None,
        })
    }

    fn text() -> MapText {
        MapText {
            title: "T".into(),
            subtitle: "S".into(),
            caption: "C".into(),
        }
    }

    #[test]
    fn blocks_keep_their_maximum_and_ignore_blanks() {
        let layout = layout(2050, 3);
        assert_eq!(layout.block(), 3);
        let mut values = vec![0.0f32; 2050 * 3];
        values[2049 + 2050] = 7.0;
        values[0] = f32::NAN;
        let map = SkyMap {
            nx: 2050,
            ny: 3,
            values,
        };
        let cells = cell_values(&map, &layout);
        assert_eq!(cells.len(), 684);
        assert_eq!(cells[683], 7.0);
        assert_eq!(cells[0], 0.0);
    }

    #[test]
    fn peak_is_brightest_and_blank_is_grey() {
        let layout = layout(4, 3);
        let mut values = vec![1.0f32; 12];
        values[1 + 4 * 2] = 10.0; // x = 2, y = 3 (1-based): top row
        values[3] = f32::NAN; // x = 4, y = 1: bottom-right
        let map = SkyMap {
            nx: 4,
            ny: 3,
            values,
        };
        let canvas = draw_map(&map, &layout, &text());
        let (px, py) = layout.position_of(2, 3).unwrap();
        assert_eq!(canvas.get(px, py), BRIGHTEST);
        let (px, py) = layout.position_of(4, 1).unwrap();
        assert_eq!(canvas.get(px, py), BLANK_GREY);
        let (px, py) = layout.position_of(1, 1).unwrap();
        assert_eq!(canvas.get(px, py), gradient(0.0));
    }
}
