//! ALMA's `frequency_support`: an observation's spectral windows, each
//! `[low..highGHz,resolution,sensitivities, polarisations]`, joined by ` U `.
//!
//! The archive reads each window's low and high frequency out of the text into an indexed
//! column (`archive.spectral_windows`, schema/migrations/0030_spectral_windows.sql: the text
//! from `GHz` to the window's `]` dropped, then read as ranges). Ingest refuses a text that
//! reading would get wrong or fail on, naming the window and what ALMA writes.

/// What ALMA writes, for the refusals.
const FORM: &str =
    "ALMA writes each window as [95.06..96.94GHz,1128.91kHz,…] and joins them with ' U '";

/// Why `text` is not a list of spectral windows the archive can read, if it is not.
pub(crate) fn support_problem(text: &str) -> Option<String> {
    if text.is_empty() {
        return None;
    }
    for (n, window) in text.split(" U ").enumerate() {
        let n = n + 1;
        let Some((low, high)) = window_frequencies(window) else {
            return Some(format!(
                "window {n} ('{}') is not [low..highGHz,…]: {FORM}",
                shortened(window)
            ));
        };
        if low > high {
            return Some(format!(
                "window {n} runs from {low} GHz down to {high} GHz: write its low frequency first"
            ));
        }
    }
    None
}

/// The low and high frequency of one window `[low..highGHz…]` (no other bracket inside).
fn window_frequencies(window: &str) -> Option<(f64, f64)> {
    let inner = window.strip_prefix('[')?.strip_suffix(']')?;
    if inner.contains(['[', ']']) {
        return None;
    }
    let (frequencies, _rest) = inner.split_once("GHz")?;
    let (low, high) = frequencies.split_once("..")?;
    Some((decimal(low)?, decimal(high)?))
}

/// A plain decimal number: digits with at most one point (how ALMA writes GHz).
fn decimal(text: &str) -> Option<f64> {
    let plain = text.chars().any(|c| c.is_ascii_digit())
        && text.chars().all(|c| c.is_ascii_digit() || c == '.')
        && text.matches('.').count() <= 1;
    plain.then(|| text.parse().ok()).flatten()
}

fn shortened(window: &str) -> String {
    match window.char_indices().nth(40) {
        Some((end, _)) => format!("{}…", &window[..end]),
        None => window.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alma_windows_are_read_and_others_refused_with_the_window_named() {
        let alma = "[112.35..114.23GHz,1952.95kHz,8mJy/beam@10km/s,360.2uJy/beam@native, XX YY] U [114.95..115.19GHz,122.06kHz,8.2mJy/beam@10km/s,1mJy/beam@native, XX YY]";
        assert_eq!(support_problem(alma), None);
        assert_eq!(support_problem(""), None);
        assert_eq!(support_problem("[84..116GHz]"), None);
        let refused = |text: &str| support_problem(text).unwrap_or_default();
        assert!(refused("[84..116GHz] U 117..120GHz")
            .starts_with("window 2 ('117..120GHz') is not [low..highGHz,…]: ALMA writes"));
        assert!(refused("[84..116MHz]").starts_with("window 1 "));
        assert!(refused("[84..1e2GHz]").starts_with("window 1 "));
        assert!(refused("[NaN..116GHz]").starts_with("window 1 "));
        assert!(refused("[84..116GHz]U[117..120GHz]").starts_with("window 1 "));
        assert!(refused("[84..116GHz,[x]]").starts_with("window 1 "));
        assert_eq!(
            refused("[84..116GHz] U [120..117GHz,1kHz]"),
            "window 2 runs from 120 GHz down to 117 GHz: write its low frequency first"
        );
    }
}
