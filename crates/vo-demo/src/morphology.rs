//! The shapes of the demo's sources on the sky: a documented set of classes, each drawn as a
//! brightness map (peak 1) over an image's pixels, with its parameters in fractions of the
//! image so any size draws the same shape. Which class a source has follows its science
//! (disks with rings around young stars, spirals among nearby galaxies, lensed arcs at high
//! redshift, …) and is drawn from the seed; `write_files` lists every product's class in a
//! manifest beside the data (not served), so that similarity search can be scored.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::f64::consts::PI;

/// The classes a source's continuum can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    /// Unresolved: the beam.
    PointSource,
    /// A resolved elliptical Gaussian.
    Gaussian,
    /// A protoplanetary disk with bright rings and dark gaps.
    RingedDisk,
    /// A spiral galaxy with two to four arms.
    Spiral,
    /// A disk seen edge-on: long and thin.
    EdgeOnDisk,
    /// A young star's outflow: two lobes on either side of it.
    BipolarOutflow,
    /// A long, thin filament of a molecular cloud: gently curved, with dense cores along
    /// it.
    Filament,
    /// A galaxy lensed into an arc on an Einstein ring.
    LensedArc,
    /// A clumpy star-forming region: several compact clumps in the diffuse gas of their
    /// cloud.
    Clumpy,
    /// A mosaic of a field: sources spread over the whole map.
    MosaicField,
}

pub const CLASSES: [Class; 10] = [
    Class::PointSource,
    Class::Gaussian,
    Class::RingedDisk,
    Class::Spiral,
    Class::EdgeOnDisk,
    Class::BipolarOutflow,
    Class::Filament,
    Class::LensedArc,
    Class::Clumpy,
    Class::MosaicField,
];

impl Class {
    pub fn name(self) -> &'static str {
        match self {
            Class::PointSource => "point source",
            Class::Gaussian => "Gaussian",
            Class::RingedDisk => "disk with rings",
            Class::Spiral => "spiral",
            Class::EdgeOnDisk => "edge-on disk",
            Class::BipolarOutflow => "bipolar outflow",
            Class::Filament => "filament",
            Class::LensedArc => "lensed arc",
            Class::Clumpy => "clumpy star-forming region",
            Class::MosaicField => "mosaic of a field",
        }
    }
}

/// A source's shape: its class and what draws it. Lengths are fractions of the image's
/// side; angles are radians (position angle from the image's y axis towards x).
#[derive(Debug, Clone, PartialEq)]
pub struct Morphology {
    pub class: Class,
    /// Position angle of the major axis (or of the lobes, the filament, the arc).
    pub angle: f64,
    /// Minor over major axis, ≤ 1.
    pub axis_ratio: f64,
    /// Size: σ of a Gaussian, radius of a disk or ring, distance of the lobes.
    pub size: f64,
    /// Ring radii (disk), a filament's curvature, an arc's half-length.
    pub radii: Vec<f64>,
    /// A spiral's number of arms.
    pub arms: usize,
    /// Compact components (clumps, field sources): position and σ; a filament's cores:
    /// where along it (fraction of its size), width (in its widths), brightness.
    pub components: Vec<(f64, f64, f64)>,
}

/// The shape a source of this science has (category as in `fields::SCIENCE`), drawn from
/// `rng`; a mosaic is most often a field of sources.
pub fn draw(rng: &mut ChaCha8Rng, category: &str, mosaic: bool) -> Morphology {
    let choices: &[(Class, u32)] = if mosaic && rng.gen_bool(0.7) {
        &[(Class::MosaicField, 1)]
    } else if category.starts_with("Cosmology") {
        &[
            (Class::PointSource, 4),
            (Class::LensedArc, 3),
            (Class::Gaussian, 3),
        ]
    } else if category.starts_with("Galaxies") {
        &[
            (Class::Spiral, 45),
            (Class::Gaussian, 25),
            (Class::Clumpy, 30),
        ]
    } else if category.starts_with("ISM") {
        &[
            (Class::BipolarOutflow, 35),
            (Class::Filament, 35),
            (Class::Clumpy, 30),
        ]
    } else if category.starts_with("Circumstellar") {
        &[
            (Class::RingedDisk, 60),
            (Class::EdgeOnDisk, 25),
            (Class::PointSource, 15),
        ]
    } else {
        &[(Class::PointSource, 1), (Class::Gaussian, 1)]
    };
    let total: u32 = choices.iter().map(|c| c.1).sum();
    let mut pick = rng.gen_range(0..total);
    let class = choices
        .iter()
        .find(|c| {
            if pick < c.1 {
                true
            } else {
                pick -= c.1;
                false
            }
        })
        .map(|c| c.0)
        .unwrap_or(Class::PointSource);
    let angle = rng.gen_range(0.0..PI);
    let mut m = Morphology {
        class,
        angle,
        axis_ratio: 1.0,
        size: 0.0,
        radii: Vec::new(),
        arms: 0,
        components: Vec::new(),
    };
    match class {
        Class::PointSource => m.size = Morphology::point().size,
        Class::Gaussian => {
            m.size = rng.gen_range(0.06..0.1);
            m.axis_ratio = rng.gen_range(0.55..1.0);
        }
        Class::RingedDisk => {
            m.axis_ratio = rng.gen_range(0.75..1.0);
            let rings = rng.gen_range(2..=3);
            let mut r = rng.gen_range(0.08..0.11);
            for _ in 0..rings {
                m.radii.push(r);
                r += rng.gen_range(0.08..0.11);
            }
            m.size = r;
        }
        Class::Spiral => {
            m.arms = rng.gen_range(2..=4);
            m.size = rng.gen_range(0.3..0.38);
            m.axis_ratio = rng.gen_range(0.85..1.0);
        }
        Class::EdgeOnDisk => {
            m.size = rng.gen_range(0.16..0.22);
            m.axis_ratio = rng.gen_range(0.1..0.16);
        }
        Class::BipolarOutflow => {
            m.size = rng.gen_range(0.18..0.26);
            m.axis_ratio = rng.gen_range(0.3..0.5);
        }
        Class::Filament => {
            m.size = rng.gen_range(0.3..0.4);
            m.axis_ratio = rng.gen_range(0.06..0.1);
            // its curvature (per unit of image side), either way
            let bend: f64 = rng.gen_range(1.0..2.2);
            m.radii.push(if rng.gen_bool(0.5) { bend } else { -bend });
            // cores along it: where (along, as a fraction of its size), how wide, how bright
            for _ in 0..rng.gen_range(2..=4) {
                m.components.push((
                    rng.gen_range(-0.8..0.8),
                    rng.gen_range(1.0..1.6),
                    rng.gen_range(0.5..0.9),
                ));
            }
        }
        Class::LensedArc => {
            m.size = rng.gen_range(0.15..0.22);
            m.radii.push(rng.gen_range(0.6..1.4)); // the arc's half-length, radians
        }
        Class::Clumpy => {
            m.size = rng.gen_range(0.14..0.2);
            m.axis_ratio = rng.gen_range(0.6..1.0);
            for _ in 0..rng.gen_range(5..=8) {
                let (r, phi) = (rng.gen_range(0.06..0.3), rng.gen_range(0.0..2.0 * PI));
                m.components
                    .push((r * phi.cos(), r * phi.sin(), rng.gen_range(0.02..0.035)));
            }
        }
        Class::MosaicField => {
            for _ in 0..rng.gen_range(7..=12) {
                m.components.push((
                    rng.gen_range(-0.42..0.42),
                    rng.gen_range(-0.42..0.42),
                    rng.gen_range(0.015..0.03),
                ));
            }
        }
    }
    m
}

impl Morphology {
    /// A shape of this class drawn from `seed` (for tests and benchmarks of what measures
    /// shapes).
    pub fn example(class: Class, seed: u64) -> Morphology {
        let mut rng = <ChaCha8Rng as rand::SeedableRng>::seed_from_u64(seed);
        loop {
            let category = match class {
                Class::PointSource | Class::LensedArc => "Cosmology",
                Class::Spiral | Class::Gaussian => "Galaxies",
                Class::BipolarOutflow | Class::Filament | Class::Clumpy => "ISM",
                Class::RingedDisk | Class::EdgeOnDisk => "Circumstellar",
                Class::MosaicField => "Galaxies",
            };
            let m = draw(&mut rng, category, class == Class::MosaicField);
            if m.class == class {
                return m;
            }
        }
    }

    /// An unresolved source at the centre.
    pub fn point() -> Morphology {
        Morphology {
            class: Class::PointSource,
            angle: 0.0,
            axis_ratio: 1.0,
            size: 0.02,
            radii: Vec::new(),
            arms: 0,
            components: Vec::new(),
        }
    }

    /// The brightness at a point of the image (x, y in fractions of its side from its
    /// centre), before the beam; the peak of the map is near 1.
    pub fn brightness(&self, x: f64, y: f64) -> f64 {
        // along (u) and across (v) the major axis
        let (s, c) = self.angle.sin_cos();
        let (u, v) = (x * s + y * c, x * c - y * s);
        let gauss = |d2: f64, sigma: f64| (-d2 / (2.0 * sigma * sigma)).exp();
        match self.class {
            Class::PointSource => gauss(x * x + y * y, self.size),
            Class::Filament => {
                // across the ridge, which bends away from the major axis as u²
                let bend = self.radii.first().copied().unwrap_or(0.0);
                let width = self.size * self.axis_ratio;
                let across = v - bend * u * u / 2.0;
                let ridge = gauss(across * across, width) * gauss(u * u, self.size);
                let cores: f64 = self
                    .components
                    .iter()
                    .map(|(along, wider, bright)| {
                        let at = along * self.size;
                        let d2 = (u - at).powi(2) + (across).powi(2);
                        bright * gauss(d2, width * wider)
                    })
                    .sum();
                0.6 * ridge + cores
            }
            Class::Gaussian | Class::EdgeOnDisk => {
                let (a, b) = (self.size, self.size * self.axis_ratio);
                (-(u * u) / (2.0 * a * a) - (v * v) / (2.0 * b * b)).exp()
            }
            Class::RingedDisk => {
                let r = (u * u + (v / self.axis_ratio).powi(2)).sqrt();
                let width = 0.018;
                let rings: f64 = self
                    .radii
                    .iter()
                    .map(|rk| gauss((r - rk).powi(2), width))
                    .sum();
                0.6 * gauss(r * r, 0.03) + rings
            }
            Class::Spiral => {
                let r = (u * u + (v / self.axis_ratio).powi(2)).sqrt();
                let phi = v.atan2(u);
                // logarithmic arms of pitch 20°, starting at the bulge
                let theta = (r.max(1e-3) / 0.04).ln() / (20f64.to_radians()).tan();
                let arm = ((self.arms as f64 * (phi - theta)).cos() + 1.0) / 2.0;
                let disk = (-r / (self.size * 0.45)).exp() * (r < self.size) as u8 as f64;
                0.8 * gauss(r * r, 0.035) + disk * arm.powi(4)
            }
            Class::BipolarOutflow => {
                let lobe = |sign: f64| {
                    let du = u - sign * self.size;
                    let (a, b) = (self.size * 0.45, self.size * 0.45 * self.axis_ratio);
                    (-(du * du) / (2.0 * a * a) - (v * v) / (2.0 * b * b)).exp()
                };
                lobe(1.0) + lobe(-1.0) + 0.5 * gauss(x * x + y * y, 0.02)
            }
            Class::LensedArc => {
                let r = (x * x + y * y).sqrt();
                let phi = v.atan2(u);
                let half = self.radii[0];
                let along = gauss(phi * phi, half / 2.0);
                gauss((r - self.size).powi(2), 0.015) * (0.25 + 0.75 * along)
            }
            Class::Clumpy | Class::MosaicField => {
                let clumps: f64 = self
                    .components
                    .iter()
                    .map(|(cx, cy, s)| gauss((x - cx).powi(2) + (y - cy).powi(2), *s))
                    .sum();
                // a star-forming region's clumps sit in the diffuse gas of their cloud; a
                // field's sources are apart on empty sky
                let cloud = if self.class == Class::Clumpy {
                    0.45 * gauss(u * u + (v / self.axis_ratio).powi(2), self.size)
                } else {
                    0.0
                };
                clumps + cloud
            }
        }
    }

    /// The map over an image of `n`×`n` pixels (FITS order, x fastest), peak 1.
    pub fn render(&self, n: usize) -> Vec<f64> {
        let mut map = Vec::with_capacity(n * n);
        for j in 0..n {
            for i in 0..n {
                let x = (i as f64 + 0.5) / n as f64 - 0.5;
                let y = (j as f64 + 0.5) / n as f64 - 0.5;
                map.push(self.brightness(x, y));
            }
        }
        let peak = map.iter().cloned().fold(0.0, f64::max);
        if peak > 0.0 {
            for v in &mut map {
                *v /= peak;
            }
        }
        map
    }

    /// The map as an image of `n`×`n` pixels whose beam is `beam_pixels` wide (FWHM) shows
    /// it (peak 1): a point source is the beam itself (at least about a pixel wide: a finer
    /// beam is not sampled); any other shape is convolved with the beam.
    pub fn observed(&self, n: usize, beam_pixels: f64) -> Vec<f64> {
        let sigma = beam_pixels / (8f64.ln()).sqrt() / 2.0;
        if self.class == Class::PointSource {
            let point = Morphology {
                size: sigma.max(0.45) / n as f64,
                ..self.clone()
            };
            return point.render(n);
        }
        let map = self.render(n);
        if sigma < 0.5 {
            return map;
        }
        let reach = (3.0 * sigma).ceil() as i64;
        let kernel: Vec<f64> = (-reach..=reach)
            .map(|d| (-(d * d) as f64 / (2.0 * sigma * sigma)).exp())
            .collect();
        // separable: along x, then along y
        let along = |map: &[f64], (sx, sy): (i64, i64)| -> Vec<f64> {
            let mut out = vec![0.0; n * n];
            for j in 0..n as i64 {
                for i in 0..n as i64 {
                    let mut sum = 0.0;
                    for (k, w) in kernel.iter().enumerate() {
                        let d = k as i64 - reach;
                        let (x, y) = (i + d * sx, j + d * sy);
                        if (0..n as i64).contains(&x) && (0..n as i64).contains(&y) {
                            sum += w * map[(y * n as i64 + x) as usize];
                        }
                    }
                    out[(j * n as i64 + i) as usize] = sum;
                }
            }
            out
        };
        let mut blurred = along(&along(&map, (1, 0)), (0, 1));
        let peak = blurred.iter().cloned().fold(0.0, f64::max);
        if peak > 0.0 {
            for v in &mut blurred {
                *v /= peak;
            }
        }
        blurred
    }

    /// The manifest's description of the parameters.
    pub fn describe(&self) -> String {
        format!(
            "angle={:.3} axis_ratio={:.3} size={:.3} radii={:?} arms={} components={}",
            self.angle,
            self.axis_ratio,
            self.size,
            self.radii
                .iter()
                .map(|r| (r * 1000.0).round() / 1000.0)
                .collect::<Vec<_>>(),
            self.arms,
            self.components.len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const N: usize = 128;

    fn example(class: Class, seed: u64) -> Morphology {
        Morphology::example(class, seed)
    }

    /// Second moments: (axis ratio, rms radius) of a map, in pixels.
    fn moments(map: &[f64]) -> (f64, f64) {
        let (mut s, mut sx, mut sy) = (0.0, 0.0, 0.0);
        for (k, v) in map.iter().enumerate() {
            let (x, y) = ((k % N) as f64, (k / N) as f64);
            s += v;
            sx += v * x;
            sy += v * y;
        }
        let (mx, my) = (sx / s, sy / s);
        let (mut xx, mut yy, mut xy) = (0.0, 0.0, 0.0);
        for (k, v) in map.iter().enumerate() {
            let (x, y) = ((k % N) as f64 - mx, (k / N) as f64 - my);
            xx += v * x * x;
            yy += v * y * y;
            xy += v * x * y;
        }
        let (xx, yy, xy) = (xx / s, yy / s, xy / s);
        let root = (((xx - yy) / 2.0).powi(2) + xy * xy).sqrt();
        let (l1, l2) = ((xx + yy) / 2.0 + root, (xx + yy) / 2.0 - root);
        ((l2.max(1e-12) / l1).sqrt(), (xx + yy).sqrt())
    }

    /// Local maxima above `floor` (of peak 1) in a 5×5 neighbourhood.
    fn peaks(map: &[f64], floor: f64) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for j in 2..N - 2 {
            for i in 2..N - 2 {
                let v = map[j * N + i];
                if v < floor {
                    continue;
                }
                let top = (j - 2..=j + 2)
                    .flat_map(|jj| (i - 2..=i + 2).map(move |ii| (ii, jj)))
                    .all(|(ii, jj)| (ii, jj) == (i, j) || map[jj * N + ii] < v);
                if top {
                    out.push((i, j));
                }
            }
        }
        out
    }

    /// The azimuthally averaged profile (deprojected with the model's own inclination and
    /// angle, as an astronomer would with the disk's), one value per pixel of radius.
    fn radial(m: &Morphology, map: &[f64]) -> Vec<f64> {
        let (mut sum, mut count) = (vec![0.0; N], vec![0usize; N]);
        let (s, c) = m.angle.sin_cos();
        for (k, v) in map.iter().enumerate() {
            let x = ((k % N) as f64 + 0.5) / N as f64 - 0.5;
            let y = ((k / N) as f64 + 0.5) / N as f64 - 0.5;
            let (u, w) = (x * s + y * c, x * c - y * s);
            let r = (u * u + (w / m.axis_ratio).powi(2)).sqrt() * N as f64;
            let bin = r.round() as usize;
            if bin < N {
                sum[bin] += v;
                count[bin] += 1;
            }
        }
        sum.iter()
            .zip(&count)
            .map(|(s, c)| if *c > 0 { s / *c as f64 } else { 0.0 })
            .collect()
    }

    #[test]
    fn every_class_renders_as_intended() {
        for seed in 0..6 {
            // point source: compact; Gaussian: resolved
            let point = moments(&example(Class::PointSource, seed).render(N)).1;
            let gaussian = example(Class::Gaussian, seed);
            let g = moments(&gaussian.render(N));
            assert!(point < 5.0 && g.1 > 2.0 * point, "{point} {g:?}");
            assert!(
                (g.0 - gaussian.axis_ratio).abs() < 0.05,
                "{g:?} {gaussian:?}"
            );

            // disk with rings: the deprojected profile peaks at each ring's radius
            let disk = example(Class::RingedDisk, seed);
            let profile = radial(&disk, &disk.render(N));
            for rk in &disk.radii {
                let at = (rk * N as f64).round() as usize;
                let local = (at - 2..=at + 2).map(|b| profile[b]).fold(0.0, f64::max);
                let gap = profile[at + ((0.045 * N as f64) as usize)];
                assert!(local > 1.5 * gap, "ring at {rk}: {local} vs gap {gap}");
            }

            // spiral: as many brightness maxima around a circle as arms
            let spiral = example(Class::Spiral, seed);
            let map = spiral.render(N);
            let r = spiral.size * 0.5 * N as f64;
            let (s, c) = spiral.angle.sin_cos();
            let around: Vec<f64> = (0..360)
                .map(|d| {
                    let phi = (d as f64).to_radians();
                    let (u, w) = (r * phi.cos(), r * phi.sin() * spiral.axis_ratio);
                    let (x, y) = (u * s + w * c, u * c - w * s);
                    let (i, j) = ((x + N as f64 / 2.0) as usize, (y + N as f64 / 2.0) as usize);
                    map[j * N + i]
                })
                .collect();
            // rises from below a low mark to above a high one, once round the circle
            let (lo, hi) = (
                around.iter().cloned().fold(f64::MAX, f64::min),
                around.iter().cloned().fold(0.0, f64::max),
            );
            let (low, high) = (lo + 0.3 * (hi - lo), lo + 0.7 * (hi - lo));
            let start = (0..360).find(|&d| around[d] < low).unwrap();
            let (mut rises, mut below) = (0, true);
            for k in 0..360 {
                let v = around[(start + k) % 360];
                if below && v > high {
                    rises += 1;
                    below = false;
                } else if !below && v < low {
                    below = true;
                }
            }
            assert_eq!(rises, spiral.arms, "{spiral:?}");

            // edge-on disk and filament: long and thin; the filament bends, its ridge where
            // the bend puts it, with its cores on it
            let edge = moments(&example(Class::EdgeOnDisk, seed).render(N));
            let filament = example(Class::Filament, seed);
            let straight = Morphology {
                radii: vec![0.0],
                components: Vec::new(),
                ..filament.clone()
            };
            let thin = moments(&straight.render(N));
            assert!(edge.0 < 0.2 && thin.0 < 0.2, "{edge:?} {thin:?}");
            let (bend, (s, c)) = (filament.radii[0], filament.angle.sin_cos());
            let bare = Morphology {
                components: Vec::new(),
                ..filament.clone()
            };
            let ridge = |u: f64, v: f64| bare.brightness(u * s + v * c, u * c - v * s);
            let u = filament.size;
            let on_ridge = bend * u * u / 2.0;
            assert!(
                ridge(u, on_ridge) > 3.0 * ridge(u, -on_ridge),
                "{filament:?}"
            );
            let at = |u: f64, v: f64| filament.brightness(u * s + v * c, u * c - v * s);
            assert!(!filament.components.is_empty());
            for (along, _, _) in &filament.components {
                let u = along * filament.size;
                assert!(at(u, bend * u * u / 2.0) > 0.6, "{filament:?}");
            }

            // bipolar outflow: two lobes on opposite sides, at the model's distance
            let outflow = example(Class::BipolarOutflow, seed);
            let lobes = peaks(&outflow.render(N), 0.5);
            assert_eq!(lobes.len(), 2, "{lobes:?}");
            let (a, b) = (lobes[0], lobes[1]);
            let mid = ((a.0 + b.0) as f64 / 2.0, (a.1 + b.1) as f64 / 2.0);
            let apart = (((a.0 as f64 - b.0 as f64).powi(2) + (a.1 as f64 - b.1 as f64).powi(2))
                .sqrt())
                / N as f64;
            assert!(
                (mid.0 - 63.5).abs() < 2.0 && (mid.1 - 63.5).abs() < 2.0,
                "{mid:?}"
            );
            assert!(
                (apart - 2.0 * outflow.size).abs() < 0.03,
                "{apart} {}",
                outflow.size
            );

            // lensed arc: bright on the Einstein radius, dark inside
            let arc = example(Class::LensedArc, seed);
            let map = arc.render(N);
            let round = Morphology {
                axis_ratio: 1.0,
                ..arc.clone()
            };
            let profile = radial(&round, &map);
            let ring = (arc.size * N as f64).round() as usize;
            let best = (0..N / 2)
                .max_by(|x, y| profile[*x].total_cmp(&profile[*y]))
                .unwrap();
            assert!(best.abs_diff(ring) <= 1, "ring at {best}, model {ring}");
            assert!(profile[ring] > 5.0 * profile[2], "{profile:?}");

            // clumpy region: several clumps; a mosaic field: sources spread over the map
            let clumpy = peaks(&example(Class::Clumpy, seed).render(N), 0.3);
            assert!(clumpy.len() >= 3, "{clumpy:?}");
            let field = peaks(&example(Class::MosaicField, seed).render(N), 0.3);
            let spread = field
                .iter()
                .flat_map(|a| {
                    field
                        .iter()
                        .map(move |b| a.0.abs_diff(b.0).max(a.1.abs_diff(b.1)))
                })
                .max()
                .unwrap_or(0);
            assert!(
                field.len() >= 5 && spread as f64 > 0.5 * N as f64,
                "{field:?}"
            );
        }
    }

    #[test]
    fn the_beam_makes_a_point_source_and_widens_the_rest() {
        // a point source is the beam: rms radius σ√2 for a circular Gaussian of FWHM 8 px
        let (_, rms) = moments(&Morphology::point().observed(N, 8.0));
        let sigma = 8.0 / (8f64.ln()).sqrt() / 2.0;
        assert!((rms - sigma * 2f64.sqrt()).abs() < 0.05 * rms, "{rms}");
        // a finer beam than a pixel still draws the source
        assert!(Morphology::point()
            .observed(N, 0.1)
            .iter()
            .any(|v| *v > 0.99));
        // convolved: the same Gaussian wider, in quadrature
        let gaussian = example(Class::Gaussian, 3);
        let (_, sharp) = moments(&gaussian.observed(N, 0.0));
        let (_, blurred) = moments(&gaussian.observed(N, 10.0));
        let expected = (sharp * sharp + 2.0 * (10.0 / (8f64.ln()).sqrt() / 2.0).powi(2)).sqrt();
        assert!(
            (blurred - expected).abs() < 0.03 * expected,
            "{sharp} {blurred} {expected}"
        );
    }
}
