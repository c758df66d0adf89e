//! Finding lines in one spectrum whose noise per channel is known (from the cube's planes):
//! the continuum is a straight line fitted to the channels that are not line (clipped above
//! 2.5σ until nothing changes, so that broad lines filling much of a window do not lift it,
//! and a spectral index's tilt is not taken for a line), then runs of channels above 2.5σ
//! whose peak passes 5σ.

/// The least peak signal-to-noise of a line, and the level its channels stay above.
pub const PEAK_SNR: f64 = 5.0;
pub const EDGE_SNR: f64 = 2.5;

/// Where a line was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The spectrum: "brightest pixel", "continuum peak" or "aperture".
    pub spectrum: &'static str,
    /// Channels averaged (1, 2, 4).
    pub binning: usize,
}

/// A line: its channels (native), centre and width, peak signal-to-noise.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    pub first_channel: usize,
    pub last_channel: usize,
    /// Intensity-weighted centre, GHz.
    pub frequency_ghz: f64,
    /// From the first to the last channel's edge, GHz.
    pub width_ghz: f64,
    pub peak_snr: f64,
    pub found: Vec<Found>,
}

fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mid = values.len() / 2;
    *values.select_nth_unstable_by(mid, f64::total_cmp).1
}

/// The spectrum minus its continuum: a straight line in channel (a source's spectral index
/// tilts it across a window) fitted to the channels not above it by 2.5σ, fitted again until
/// those channels do not change (at most 10 rounds), starting from their median.
pub(crate) fn subtract_continuum(spectrum: &[f64], noise: &[f64]) -> Vec<f64> {
    let mut line_free: Vec<bool> = spectrum.iter().map(|v| v.is_finite()).collect();
    let mut finite: Vec<f64> = spectrum.iter().copied().filter(|v| v.is_finite()).collect();
    let (mut level, mut slope) = (median(&mut finite), 0.0);
    for _ in 0..10 {
        let next: Vec<bool> = spectrum
            .iter()
            .zip(noise)
            .enumerate()
            .map(|(k, (v, n))| v.is_finite() && *v - (level + slope * k as f64) < EDGE_SNR * n)
            .collect();
        let free: Vec<(f64, f64)> = spectrum
            .iter()
            .enumerate()
            .filter(|(k, _)| next[*k])
            .map(|(k, v)| (k as f64, *v))
            .collect();
        if free.len() < 3 {
            break;
        }
        let n = free.len() as f64;
        let (mk, mv) = (
            free.iter().map(|p| p.0).sum::<f64>() / n,
            free.iter().map(|p| p.1).sum::<f64>() / n,
        );
        let spread: f64 = free.iter().map(|p| (p.0 - mk).powi(2)).sum();
        slope = if spread > 0.0 {
            free.iter().map(|p| (p.0 - mk) * (p.1 - mv)).sum::<f64>() / spread
        } else {
            0.0
        };
        level = mv - slope * mk;
        if next == line_free {
            break;
        }
        line_free = next;
    }
    spectrum
        .iter()
        .enumerate()
        .map(|(k, v)| {
            if v.is_finite() {
                v - (level + slope * k as f64)
            } else {
                0.0
            }
        })
        .collect()
}

/// `spectrum` and its noise averaged over `binning` channels (the last bin may be shorter).
pub(crate) fn binned(spectrum: &[f64], noise: &[f64], binning: usize) -> (Vec<f64>, Vec<f64>) {
    let values = spectrum
        .chunks(binning)
        .map(|c| c.iter().sum::<f64>() / c.len() as f64)
        .collect();
    let noises = noise
        .chunks(binning)
        .map(|c| c.iter().map(|n| n * n).sum::<f64>().sqrt() / c.len() as f64)
        .collect();
    (values, noises)
}

/// The lines of a spectrum (`noise` per native channel) whose native channel `k` is centred
/// at `frequency(k)` GHz, `channel_ghz` wide, searched after averaging `binning` channels;
/// channels given back in native channels.
pub(crate) fn find(
    spectrum: &[f64],
    noise: &[f64],
    binning: usize,
    frequency: &dyn Fn(f64) -> f64,
    channel_ghz: f64,
    found: Found,
) -> Vec<Detection> {
    let (values, noises) = binned(spectrum, noise, binning);
    let line = subtract_continuum(&values, &noises);
    let snr: Vec<f64> = line
        .iter()
        .zip(&noises)
        .map(|(v, n)| if *n > 0.0 { v / n } else { 0.0 })
        .collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < snr.len() {
        if snr[k] < EDGE_SNR {
            k += 1;
            continue;
        }
        let start = k;
        while k < snr.len() && snr[k] >= EDGE_SNR {
            k += 1;
        }
        let run = start..k;
        let peak = run.clone().map(|j| snr[j]).fold(f64::MIN, f64::max);
        if peak < PEAK_SNR {
            continue;
        }
        let weight: f64 = run.clone().map(|j| line[j]).sum();
        // a bin's centre is its native channels' mean
        let centre_of =
            |j: usize| frequency(j as f64 * binning as f64 + (binning as f64 - 1.0) / 2.0);
        let centre = run.clone().map(|j| line[j] * centre_of(j)).sum::<f64>() / weight;
        let first = start * binning;
        let last = (k * binning - 1).min(spectrum.len() - 1);
        out.push(Detection {
            first_channel: first,
            last_channel: last,
            frequency_ghz: centre,
            width_ghz: (last - first + 1) as f64 * channel_ghz.abs() / binning as f64,
            peak_snr: peak,
            found: vec![found.clone()],
        });
    }
    out
}

/// Detections merged: the finest resolution first, strongest first; a detection sharing
/// channels with one kept adds only where it was found (a coarser run may span two lines
/// found apart at a finer one), else it is a line of its own (a faint broad line only
/// binning reveals).
pub(crate) fn merge(mut all: Vec<Detection>) -> Vec<Detection> {
    let binning = |d: &Detection| d.found.first().map_or(1, |f| f.binning);
    all.sort_by(|a, b| {
        binning(a)
            .cmp(&binning(b))
            .then(b.peak_snr.total_cmp(&a.peak_snr))
    });
    let mut out: Vec<Detection> = Vec::new();
    for d in all {
        match out
            .iter_mut()
            .find(|o| d.first_channel <= o.last_channel && o.first_channel <= d.last_channel)
        {
            Some(o) => o.found.extend(d.found),
            None => out.push(d),
        }
    }
    out.sort_by(|a, b| a.frequency_ghz.total_cmp(&b.frequency_ghz));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 64 channels of pseudo-noise (a fixed sequence of σ ≈ 1) on a continuum of 10.
    fn noisy() -> Vec<f64> {
        (0..64)
            .map(|k| 10.0 + ((k * 7919 % 101) as f64 / 101.0 - 0.5) * 3.4)
            .collect()
    }

    #[test]
    fn a_line_is_found_at_its_channels_and_noise_is_not() {
        let frequency = |k: f64| 230.0 + 0.01 * k;
        let found = || Found {
            spectrum: "aperture",
            binning: 1,
        };
        let noise = vec![1.0; 64];
        assert!(find(&noisy(), &noise, 1, &frequency, 0.01, found()).is_empty());
        let mut s = noisy();
        for (k, v) in s.iter_mut().enumerate() {
            *v += 20.0 * (-((k as f64 - 30.0).powi(2)) / (2.0 * 2.0f64.powi(2))).exp();
        }
        let lines = find(&s, &noise, 1, &frequency, 0.01, found());
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!((lines[0].frequency_ghz - 230.30).abs() < 0.005, "{lines:?}");
        assert!(lines[0].first_channel <= 28 && lines[0].last_channel >= 32);
        // binned by 2: the same line, in native channels
        let coarse = find(&s, &noise, 2, &frequency, 0.02, found());
        assert!(
            (coarse[0].frequency_ghz - 230.30).abs() < 0.01,
            "{coarse:?}"
        );
        let merged = merge(lines.into_iter().chain(coarse).collect());
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].found.len(), 2);
        // a broad line over most of the window does not lift the continuum
        let mut broad = noisy();
        for (k, v) in broad.iter_mut().enumerate() {
            *v += 8.0 * (-((k as f64 - 32.0).powi(2)) / (2.0 * 12.0f64.powi(2))).exp();
        }
        let wide = find(&broad, &noise, 1, &frequency, 0.01, found());
        assert_eq!(wide.len(), 1, "{wide:?}");
        assert!((wide[0].frequency_ghz - 230.32).abs() < 0.02, "{wide:?}");
        // a tilted continuum is no line
        let tilted: Vec<f64> = noisy()
            .iter()
            .enumerate()
            .map(|(k, v)| v + 0.2 * k as f64)
            .collect();
        assert!(find(&tilted, &noise, 4, &frequency, 0.04, found()).is_empty());
    }
}
