//! An RGB raster to draw previews on, and its encoding as PNG.

/// A colour as red, green, blue.
pub(crate) type Rgb = [u8; 3];

pub(crate) const WHITE: Rgb = [255, 255, 255];
pub(crate) const BLACK: Rgb = [0, 0, 0];
pub(crate) const DARK_GREY: Rgb = [90, 90, 90];
pub(crate) const LIGHT_GREY: Rgb = [225, 225, 225];

/// Pixels in rows from the top, three bytes each.
pub(crate) struct Canvas {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
}

impl Canvas {
    pub(crate) fn new(width: u32, height: u32, background: Rgb) -> Canvas {
        let pixels = background
            .iter()
            .copied()
            .cycle()
            .take(width as usize * height as usize * 3)
            .collect();
        Canvas {
            width,
            height,
            pixels,
        }
    }

    pub(crate) fn width(&self) -> u32 {
        self.width
    }

    #[cfg(test)]
    pub(crate) fn height(&self) -> u32 {
        self.height
    }

    #[cfg(test)]
    pub(crate) fn get(&self, x: u32, y: u32) -> Rgb {
        let i = (y as usize * self.width as usize + x as usize) * 3;
        [self.pixels[i], self.pixels[i + 1], self.pixels[i + 2]]
    }

    /// Sets one pixel; positions outside the canvas are ignored.
    pub(crate) fn put(&mut self, x: i64, y: i64, colour: Rgb) {
        if x < 0 || y < 0 || x >= self.width as i64 || y >= self.height as i64 {
            return;
        }
        let i = (y as usize * self.width as usize + x as usize) * 3;
        self.pixels[i..i + 3].copy_from_slice(&colour);
    }

    /// Fills the rectangle with top-left corner (x, y), clipped to the canvas.
    pub(crate) fn fill_rect(&mut self, x: i64, y: i64, width: u32, height: u32, colour: Rgb) {
        let x0 = x.max(0);
        let y0 = y.max(0);
        let x1 = (x + width as i64).min(self.width as i64);
        let y1 = (y + height as i64).min(self.height as i64);
        for row in y0..y1 {
            for column in x0..x1 {
                self.put(column, row, colour);
            }
        }
    }

    /// A one-pixel outline just outside the rectangle at (x, y) of the given size.
    pub(crate) fn outline(&mut self, x: i64, y: i64, width: u32, height: u32, colour: Rgb) {
        let (w, h) = (width as i64, height as i64);
        self.fill_rect(x - 1, y - 1, width + 2, 1, colour);
        self.fill_rect(x - 1, y + h, width + 2, 1, colour);
        self.fill_rect(x - 1, y, 1, height, colour);
        self.fill_rect(x + w, y, 1, height, colour);
    }

    /// The canvas as an 8-bit RGB PNG. The same pixels always give the same bytes.
    pub(crate) fn to_png(&self) -> Result<Vec<u8>, png::EncodingError> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, self.width, self.height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&self.pixels)?;
        writer.finish()?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drawing_is_clipped_to_the_canvas() {
        let mut canvas = Canvas::new(4, 3, WHITE);
        canvas.fill_rect(-2, 2, 10, 5, BLACK);
        canvas.put(7, 7, BLACK);
        for x in 0..4 {
            assert_eq!(canvas.get(x, 2), BLACK);
            assert_eq!(canvas.get(x, 1), WHITE);
        }
    }

    #[test]
    fn outline_surrounds_the_rectangle() {
        let mut canvas = Canvas::new(5, 5, WHITE);
        canvas.outline(1, 1, 3, 3, BLACK);
        assert_eq!(canvas.get(0, 0), BLACK);
        assert_eq!(canvas.get(4, 2), BLACK);
        assert_eq!(canvas.get(2, 4), BLACK);
        assert_eq!(canvas.get(2, 2), WHITE);
        assert_eq!(canvas.get(1, 1), WHITE);
    }

    #[test]
    fn png_starts_with_the_signature() {
        let png = Canvas::new(3, 2, WHITE).to_png().unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    }
}
