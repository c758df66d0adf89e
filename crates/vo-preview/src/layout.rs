//! Where things go in an image preview: the zoom that brings the sky map to a sensible size,
//! its orientation (north up, east left), and the positions of the map, colour bar and text
//! in the PNG. Public so that a client can map a position in the PNG back to a sky pixel.

use vo_fits::ImageWcs;

/// Sky maps no larger than this (in pixels along their longer side) are enlarged by an
/// integer factor up to it.
const ENLARGE_TO: usize = 512;
/// Sky maps larger than this are reduced by an integer factor down to it.
const REDUCE_TO: usize = 1024;

pub(crate) const MARGIN: u32 = 12;
pub(crate) const TITLE_SCALE: u32 = 2;
pub(crate) const TITLE_TOP: u32 = MARGIN;
pub(crate) const SUBTITLE_TOP: u32 = TITLE_TOP + 7 * TITLE_SCALE + 6;
const IMAGE_TOP: u32 = SUBTITLE_TOP + 7 + 10;
const BAR_GAP: u32 = 14;
pub(crate) const BAR_WIDTH: u32 = 18;
/// Room right of the colour bar for its tick marks and labels.
pub(crate) const BAR_LABELS: u32 = 66;
pub(crate) const CAPTION_GAP: u32 = 8;
const CAPTION_HEIGHT: u32 = 7;

/// How sky pixels become PNG pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zoom {
    /// Each sky pixel drawn as an n × n square (nearest neighbour); 1 is as is.
    Enlarge(u32),
    /// Each n × n block of sky pixels drawn as one PNG pixel showing the block's maximum.
    Reduce(u32),
}

/// The placement of a sky map in an image preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MapLayout {
    /// Sky pixels along RA and Dec (NAXIS1, NAXIS2).
    pub sky_size: (usize, usize),
    pub zoom: Zoom,
    /// FITS column 1 is drawn at the right (CDELT1 > 0), so that east is on the left.
    pub flip_x: bool,
    /// FITS row 1 is drawn at the top (CDELT2 < 0), so that north is up.
    pub flip_y: bool,
    /// PNG position of the map's top-left corner.
    pub image_origin: (u32, u32),
    /// PNG pixels covered by the map.
    pub image_size: (u32, u32),
    /// Size of the whole PNG.
    pub canvas_size: (u32, u32),
}

impl MapLayout {
    /// The layout for an image with this WCS (its first two axes and their CDELTs).
    pub fn for_wcs(wcs: &ImageWcs) -> MapLayout {
        let size = |i: usize| wcs.shape.get(i).copied().unwrap_or(1).max(1);
        let (nx, ny) = (size(0), size(1));
        let longer = nx.max(ny);
        let zoom = if longer > REDUCE_TO {
            Zoom::Reduce(longer.div_ceil(REDUCE_TO) as u32)
        } else {
            Zoom::Enlarge((ENLARGE_TO / longer).max(1) as u32)
        };
        let (cells_x, cells_y) = cells((nx, ny), zoom);
        let cell = match zoom {
            Zoom::Enlarge(n) => n,
            Zoom::Reduce(_) => 1,
        };
        let image_size = (cells_x as u32 * cell, cells_y as u32 * cell);
        let image_origin = (MARGIN, IMAGE_TOP);
        let canvas_size = (
            MARGIN + image_size.0 + BAR_GAP + BAR_WIDTH + BAR_LABELS + MARGIN,
            IMAGE_TOP + image_size.1 + CAPTION_GAP + CAPTION_HEIGHT + MARGIN,
        );
        MapLayout {
            sky_size: (nx, ny),
            zoom,
            flip_x: wcs.celestial.cdelt.0 > 0.0,
            flip_y: wcs.celestial.cdelt.1 < 0.0,
            image_origin,
            image_size,
            canvas_size,
        }
    }

    /// Display cells along x and y: sky pixels, or blocks of them when reduced.
    pub(crate) fn cells(&self) -> (usize, usize) {
        cells(self.sky_size, self.zoom)
    }

    /// PNG pixels per display cell along each axis.
    pub(crate) fn cell_size(&self) -> u32 {
        match self.zoom {
            Zoom::Enlarge(n) => n,
            Zoom::Reduce(_) => 1,
        }
    }

    /// Sky pixels per display cell along each axis.
    pub(crate) fn block(&self) -> usize {
        match self.zoom {
            Zoom::Enlarge(_) => 1,
            Zoom::Reduce(n) => n as usize,
        }
    }

    /// The 0-based cell (along RA, along Dec from FITS row 1) drawn at 0-based display cell
    /// (column from the left, row from the top).
    pub(crate) fn cell_at(&self, column: usize, row: usize) -> (usize, usize) {
        let (cx, cy) = self.cells();
        let x = if self.flip_x { cx - 1 - column } else { column };
        let y = if self.flip_y { row } else { cy - 1 - row };
        (x, y)
    }

    /// The 1-based FITS pixel (x, y) drawn at PNG position (px, py), None outside the map.
    /// When the map is reduced, the block's pixel with the smallest x and y.
    pub fn sky_pixel_at(&self, px: u32, py: u32) -> Option<(usize, usize)> {
        let (ox, oy) = self.image_origin;
        let (w, h) = self.image_size;
        if px < ox || py < oy || px >= ox + w || py >= oy + h {
            return None;
        }
        let cell = self.cell_size();
        let (x, y) = self.cell_at(((px - ox) / cell) as usize, ((py - oy) / cell) as usize);
        Some((x * self.block() + 1, y * self.block() + 1))
    }

    /// The PNG position of the centre of the display cell showing 1-based FITS pixel (x, y),
    /// None outside the image.
    pub fn position_of(&self, x: usize, y: usize) -> Option<(u32, u32)> {
        let (nx, ny) = self.sky_size;
        if x == 0 || y == 0 || x > nx || y > ny {
            return None;
        }
        let (cx, cy) = self.cells();
        let (bx, by) = ((x - 1) / self.block(), (y - 1) / self.block());
        let column = if self.flip_x { cx - 1 - bx } else { bx };
        let row = if self.flip_y { by } else { cy - 1 - by };
        let cell = self.cell_size();
        Some((
            self.image_origin.0 + column as u32 * cell + cell / 2,
            self.image_origin.1 + row as u32 * cell + cell / 2,
        ))
    }
}

fn cells((nx, ny): (usize, usize), zoom: Zoom) -> (usize, usize) {
    match zoom {
        Zoom::Enlarge(_) => (nx, ny),
        Zoom::Reduce(n) => (nx.div_ceil(n as usize), ny.div_ceil(n as usize)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vo_fits::{CelestialWcs, Projection};

    fn wcs(nx: usize, ny: usize, cdelt: (f64, f64)) -> ImageWcs {
        ImageWcs {
            celestial: CelestialWcs {
                projection: Projection::Sin,
                crval: (10.0, -20.0),
                crpix: (1.0, 1.0),
                cdelt,
                pc: None,
            },
            spectral: None,
            stokes: None,
            shape: vec![nx, ny],
            beam: None,
        }
    }

    #[test]
    fn small_maps_are_enlarged_by_an_integer_factor() {
        let layout = MapLayout::for_wcs(&wcs(48, 48, (-1e-4, 1e-4)));
        assert_eq!(layout.zoom, Zoom::Enlarge(10));
        assert_eq!(layout.image_size, (480, 480));
        let layout = MapLayout::for_wcs(&wcs(700, 300, (-1e-4, 1e-4)));
        assert_eq!(layout.zoom, Zoom::Enlarge(1));
        assert_eq!(layout.image_size, (700, 300));
    }

    #[test]
    fn large_maps_are_reduced_to_at_most_1024_pixels() {
        let layout = MapLayout::for_wcs(&wcs(4100, 2000, (-1e-4, 1e-4)));
        assert_eq!(layout.zoom, Zoom::Reduce(5));
        assert_eq!(layout.image_size, (820, 400));
    }

    #[test]
    fn north_up_puts_fits_row_one_at_the_bottom() {
        let layout = MapLayout::for_wcs(&wcs(48, 48, (-1e-4, 1e-4)));
        let (ox, oy) = layout.image_origin;
        assert_eq!(layout.position_of(1, 1), Some((ox + 5, oy + 475)));
        assert_eq!(layout.position_of(48, 48), Some((ox + 475, oy + 5)));
        assert_eq!(layout.sky_pixel_at(ox, oy), Some((1, 48)));
        assert_eq!(layout.sky_pixel_at(ox + 479, oy + 479), Some((48, 1)));
        assert_eq!(layout.sky_pixel_at(ox - 1, oy), None);
        assert_eq!(layout.position_of(49, 1), None);
    }

    #[test]
    fn flipped_axes_keep_north_up_and_east_left() {
        let layout = MapLayout::for_wcs(&wcs(48, 48, (1e-4, -1e-4)));
        let (ox, oy) = layout.image_origin;
        assert_eq!(layout.position_of(1, 1), Some((ox + 475, oy + 5)));
        for (x, y) in [(3, 7), (48, 1), (20, 33)] {
            let (px, py) = layout.position_of(x, y).unwrap();
            assert_eq!(layout.sky_pixel_at(px, py), Some((x, y)));
        }
    }

    #[test]
    fn reduced_positions_name_the_block() {
        let layout = MapLayout::for_wcs(&wcs(2048, 2048, (-1e-4, 1e-4)));
        assert_eq!(layout.zoom, Zoom::Reduce(2));
        let (px, py) = layout.position_of(1000, 6).unwrap();
        assert_eq!(layout.sky_pixel_at(px, py), Some((999, 5)));
    }
}
