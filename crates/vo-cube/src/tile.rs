//! A channel's pixels as a pyramid of square tiles: level L shows one value per 2^L × 2^L
//! cube pixels (their mean, blank pixels left out), cut into [`TILE`] × [`TILE`] tiles
//! numbered from the image's first pixel (x right, y up, as FITS stores them).

use crate::error::{index, ViewError};
use crate::Cube;

/// The side of a tile, in its level's pixels.
pub const TILE: usize = 256;

/// Beyond this many cube pixels per output pixel along an axis, a tile averages this many,
/// evenly spread, instead of all of them: the work per tile stays bounded at every level.
const MOST_SAMPLES_PER_AXIS: usize = 4;

/// How many levels an `nx` × `ny` plane has: level 0 is full resolution and the last shows
/// the whole plane in one tile.
pub fn levels(nx: usize, ny: usize) -> usize {
    let mut level = 0;
    while nx.max(ny).div_ceil(1 << level) > TILE {
        level += 1;
    }
    level + 1
}

/// Tiles across and up at `level`.
pub fn tile_grid(nx: usize, ny: usize, level: usize) -> (usize, usize) {
    let step = 1usize << level;
    (
        nx.div_ceil(step).div_ceil(TILE),
        ny.div_ceil(step).div_ceil(TILE),
    )
}

/// One tile: `width` × `height` values, row by row from its lowest row (y up); NaN where
/// every pixel it stands for is blank. Edge tiles are smaller than [`TILE`].
#[derive(Debug, Clone, PartialEq)]
pub struct Tile {
    pub width: usize,
    pub height: usize,
    pub values: Vec<f32>,
}

/// Where a tile is, checked against the cube.
struct Placement {
    channel: usize,
    step: usize,
    x0: usize,
    y0: usize,
    width: usize,
    height: usize,
}

fn place(cube: &Cube, channel: i64, level: i64, tx: i64, ty: i64) -> Result<Placement, ViewError> {
    let channel = index("channel", channel, cube.channels, "channels")?;
    let level = index("level", level, levels(cube.nx, cube.ny), "levels")?;
    let (across, up) = tile_grid(cube.nx, cube.ny, level);
    let tx = index("x", tx, across, &format!("tiles across at level {level}"))?;
    let ty = index("y", ty, up, &format!("tiles up at level {level}"))?;
    let step = 1usize << level;
    let (x0, y0) = (tx * TILE, ty * TILE);
    Ok(Placement {
        channel,
        step,
        x0,
        y0,
        width: TILE.min(cube.nx.div_ceil(step) - x0),
        height: TILE.min(cube.ny.div_ceil(step) - y0),
    })
}

/// The offsets inside a block of `step` pixels that a tile averages.
fn offsets(step: usize) -> Vec<usize> {
    if step <= MOST_SAMPLES_PER_AXIS {
        (0..step).collect()
    } else {
        let n = MOST_SAMPLES_PER_AXIS;
        (0..n).map(|i| i * step / n + step / (2 * n)).collect()
    }
}

/// Tile (`tx`, `ty`) of `channel` at `level`.
pub fn tile(cube: &Cube, channel: i64, level: i64, tx: i64, ty: i64) -> Result<Tile, ViewError> {
    let p = place(cube, channel, level, tx, ty)?;
    read_ahead(cube, &p);
    let mut sums = vec![0f32; p.width * p.height];
    let mut counts = vec![0u8; p.width * p.height];
    let mut add = |cell: usize, v: f32| {
        if v.is_finite() {
            sums[cell] += v;
            counts[cell] += 1;
        }
    };
    let first_x = p.x0 * p.step;
    if p.step <= MOST_SAMPLES_PER_AXIS {
        // every pixel: whole row segments
        let len = (p.width * p.step).min(cube.nx - first_x);
        let mut row = vec![0f32; len];
        for j in 0..p.height {
            for dy in 0..p.step {
                let y = (p.y0 + j) * p.step + dy;
                if y >= cube.ny {
                    break;
                }
                cube.read(p.channel, first_x + cube.nx * y, &mut row);
                for (k, &v) in row.iter().enumerate() {
                    add(j * p.width + k / p.step, v);
                }
            }
        }
    } else {
        let offsets = offsets(p.step);
        let mut one = [0f32];
        for j in 0..p.height {
            for &dy in &offsets {
                let y = (p.y0 + j) * p.step + dy;
                if y >= cube.ny {
                    continue;
                }
                for i in 0..p.width {
                    for &dx in &offsets {
                        let x = (p.x0 + i) * p.step + dx;
                        if x < cube.nx {
                            cube.read(p.channel, x + cube.nx * y, &mut one);
                            add(j * p.width + i, one[0]);
                        }
                    }
                }
            }
        }
    }
    let values = sums
        .iter()
        .zip(&counts)
        .map(|(&s, &n)| if n == 0 { f32::NAN } else { s / n as f32 })
        .collect();
    Ok(Tile {
        width: p.width,
        height: p.height,
        values,
    })
}

/// The most tiles [`tiles`] gives at once (a screen needs about 20 at any zoom).
pub const MOST_TILES: usize = 64;

/// The tiles `x.0..=x.1` across and `y.0..=y.1` up of `channel` at `level`, each with its
/// column and row, row by row from the lowest: a viewer's whole screen in one read.
pub fn tiles(
    cube: &Cube,
    channel: i64,
    level: i64,
    x: (i64, i64),
    y: (i64, i64),
) -> Result<Vec<((usize, usize), Tile)>, ViewError> {
    for (name, (low, high)) in [("x", x), ("y", y)] {
        if low > high {
            return Err(ViewError::Invalid(format!(
                "{name}0={low} is above {name}1={high}: the tiles go from {name}0 to {name}1"
            )));
        }
    }
    let count = (x.1 - x.0 + 1).saturating_mul(y.1 - y.0 + 1);
    if count > MOST_TILES as i64 {
        return Err(ViewError::Invalid(format!(
            "{count} tiles asked for; at most {MOST_TILES} at once"
        )));
    }
    let mut out = Vec::with_capacity(count as usize);
    for ty in y.0..=y.1 {
        for tx in x.0..=x.1 {
            out.push((
                (tx as usize, ty as usize),
                tile(cube, channel, level, tx, ty)?,
            ));
        }
    }
    Ok(out)
}

/// Asks the kernel to read ahead what the same tile of `channel` needs (a viewer stepping
/// through channels asks for it next); a tile or channel outside the cube is ignored.
pub fn prefetch(cube: &Cube, channel: i64, level: i64, tx: i64, ty: i64) {
    if let Ok(p) = place(cube, channel, level, tx, ty) {
        read_ahead(cube, &p);
    }
}

/// The most bytes one read-ahead request spans: a tile whose rows lie closer together than
/// this is asked for in one request (rows and the gaps between them), else row by row.
const MOST_READ_AHEAD_SPAN: usize = 16 << 20;

/// Asks the kernel for every row a tile reads, at once: on a file not in the page cache the
/// reads then overlap instead of each waiting for the one before (a tile's rows are far
/// apart in the file, so the kernel's own read-ahead does not find them).
fn read_ahead(cube: &Cube, p: &Placement) {
    let first_x = p.x0 * p.step;
    let len = (p.width * p.step).min(cube.nx - first_x);
    let rows: Vec<usize> = (0..p.height)
        .flat_map(|j| {
            offsets(p.step)
                .into_iter()
                .map(move |dy| (p.y0 + j) * p.step + dy)
        })
        .filter(|&y| y < cube.ny)
        .collect();
    let (Some(&low), Some(&high)) = (rows.first(), rows.last()) else {
        return;
    };
    let span = ((high - low) * cube.nx + len) * cube.sample_bytes();
    if span <= MOST_READ_AHEAD_SPAN {
        cube.will_need(
            p.channel,
            first_x + cube.nx * low,
            (high - low) * cube.nx + len,
        );
    } else {
        for y in rows {
            cube.will_need(p.channel, first_x + cube.nx * y, len);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::cube_file;

    #[test]
    fn levels_end_with_the_whole_plane_in_one_tile() {
        assert_eq!(levels(100, 80), 1);
        assert_eq!(levels(256, 256), 1);
        assert_eq!(levels(257, 10), 2);
        assert_eq!(levels(2048, 2048), 4);
        assert_eq!(tile_grid(2048, 2048, 0), (8, 8));
        assert_eq!(tile_grid(2048, 2048, 3), (1, 1));
        assert_eq!(tile_grid(600, 300, 1), (2, 1));
    }

    #[test]
    fn level_zero_tiles_are_the_pixels_and_edge_tiles_are_smaller() {
        let dir = tempfile::tempdir().unwrap();
        let cube = cube_file(dir.path(), 300, 260, 3, |x, y, k| {
            (x + 1000 * y + 1_000_000 * k) as f32
        });
        let t = tile(&cube, 2, 0, 1, 0).unwrap();
        assert_eq!((t.width, t.height), (300 - 256, 256));
        // first value: pixel (256, 0) of channel 2; next row: y = 1
        assert_eq!(t.values[0], 2_000_256.0);
        assert_eq!(t.values[t.width], 2_001_256.0);
        let corner = tile(&cube, 0, 0, 1, 1).unwrap();
        assert_eq!((corner.width, corner.height), (44, 4));
        assert_eq!(*corner.values.last().unwrap(), (299 + 1000 * 259) as f32);
    }

    #[test]
    fn coarser_levels_average_their_blocks_and_leave_out_blanks() {
        let dir = tempfile::tempdir().unwrap();
        let cube = cube_file(dir.path(), 300, 260, 1, |x, y, _| {
            if x == 1 && y == 0 {
                f32::NAN
            } else {
                (x % 2) as f32 + 10.0 * (y % 2) as f32
            }
        });
        let t = tile(&cube, 0, 1, 0, 0).unwrap();
        assert_eq!((t.width, t.height), (150, 130));
        // block (0,0): 0 (x0y0), NaN (x1y0), 10 (x0y1), 11 (x1y1)
        assert!((t.values[0] - 7.0).abs() < 1e-6, "{}", t.values[0]);
        assert!((t.values[1] - 5.5).abs() < 1e-6, "{}", t.values[1]);
    }

    #[test]
    fn coarse_levels_sample_a_bounded_number_of_pixels_evenly() {
        let dir = tempfile::tempdir().unwrap();
        // a plane 2048 wide: level 3 has 8 × 8 blocks, averaged over 4 × 4 of them
        let cube = cube_file(dir.path(), 2048, 16, 1, |x, _, _| x as f32);
        let t = tile(&cube, 0, 3, 0, 0).unwrap();
        assert_eq!((t.width, t.height), (256, 2));
        // block 0 holds x = 0..8, sampled at 1, 3, 5, 7: mean 4 (the block's centre, 3.5, ± ½)
        assert_eq!(t.values[0], 4.0);
        assert_eq!(t.values[255], (255 * 8 + 4) as f32);
        let all_blank = cube_file(dir.path(), 2048, 16, 1, |_, _, _| f32::NAN);
        assert!(tile(&all_blank, 0, 3, 0, 0)
            .unwrap()
            .values
            .iter()
            .all(|v| v.is_nan()));
    }

    #[test]
    fn tiles_outside_the_cube_are_refused_with_the_valid_range() {
        let dir = tempfile::tempdir().unwrap();
        let cube = cube_file(dir.path(), 300, 260, 3, |_, _, _| 0.0);
        let message = tile(&cube, 3, 0, 0, 0).unwrap_err().to_string();
        assert_eq!(
            message,
            "channel=3 is out of range: the cube has 3 channels, 0 to 2"
        );
        let message = tile(&cube, 0, 0, 2, 0).unwrap_err().to_string();
        assert_eq!(
            message,
            "x=2 is out of range: the cube has 2 tiles across at level 0, 0 to 1"
        );
        assert!(tile(&cube, 0, 2, 0, 0)
            .unwrap_err()
            .to_string()
            .starts_with("level=2"));
        assert!(tile(&cube, -1, 0, 0, 0).is_err());
        // several at once, row by row; a range turned round or too large is refused
        let many = tiles(&cube, 1, 0, (0, 1), (0, 1)).unwrap();
        let order: Vec<_> = many.iter().map(|(at, _)| *at).collect();
        assert_eq!(order, vec![(0, 0), (1, 0), (0, 1), (1, 1)]);
        assert_eq!(many[3].1, tile(&cube, 1, 0, 1, 1).unwrap());
        assert_eq!(
            tiles(&cube, 0, 0, (1, 0), (0, 0)).unwrap_err().to_string(),
            "x0=1 is above x1=0: the tiles go from x0 to x1"
        );
        assert!(tiles(&cube, 0, 0, (0, 1), (0, 2))
            .unwrap_err()
            .to_string()
            .starts_with("y=2 is out of range"));
        assert!(tiles(&cube, 0, 0, (0, 99), (0, 0))
            .unwrap_err()
            .to_string()
            .contains("at most 64"));
        // prefetching outside the cube does nothing
        prefetch(&cube, 7, 0, 0, 0);
        prefetch(&cube, 1, 0, 1, 1);
    }
}
