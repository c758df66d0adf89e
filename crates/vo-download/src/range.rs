//! The `Range` header (RFC 9110 §14): one byte range of a file of known length.

/// What to send for a file of `len` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeAnswer {
    /// No usable range: the whole file, 200.
    Whole,
    /// Bytes `start..=end`, 206.
    Part { start: u64, end: u64 },
    /// A range outside the file: 416.
    Unsatisfiable,
}

/// Reads `bytes=a-b`, `bytes=a-` or `bytes=-n`. Several ranges, or another unit, are served
/// whole (allowed by the RFC); a malformed header is ignored.
pub fn answer(header: Option<&str>, len: u64) -> RangeAnswer {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return RangeAnswer::Whole;
    };
    if spec.contains(',') {
        return RangeAnswer::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return RangeAnswer::Whole;
    };
    let (first, last) = (first.trim(), last.trim());
    let parse = |s: &str| s.parse::<u64>().ok();
    match (first.is_empty(), last.is_empty()) {
        (true, true) => RangeAnswer::Whole,
        // the last n bytes
        (true, false) => match parse(last) {
            Some(0) => RangeAnswer::Unsatisfiable,
            Some(_) if len == 0 => RangeAnswer::Unsatisfiable,
            Some(n) => RangeAnswer::Part {
                start: len.saturating_sub(n),
                end: len - 1,
            },
            None => RangeAnswer::Whole,
        },
        (false, _) => {
            let Some(start) = parse(first) else {
                return RangeAnswer::Whole;
            };
            if start >= len {
                return RangeAnswer::Unsatisfiable;
            }
            let end = if last.is_empty() {
                Some(len.saturating_sub(1))
            } else {
                parse(last)
            };
            match end {
                None => RangeAnswer::Whole,
                Some(end) if end < start => RangeAnswer::Whole,
                Some(end) => RangeAnswer::Part {
                    start,
                    end: end.min(len - 1),
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(answer(None, 100), RangeAnswer::Whole);
        assert_eq!(
            answer(Some("bytes=0-9"), 100),
            RangeAnswer::Part { start: 0, end: 9 }
        );
        assert_eq!(
            answer(Some("bytes=90-"), 100),
            RangeAnswer::Part { start: 90, end: 99 }
        );
        assert_eq!(
            answer(Some("bytes=90-1000"), 100),
            RangeAnswer::Part { start: 90, end: 99 }
        );
        assert_eq!(
            answer(Some("bytes=-10"), 100),
            RangeAnswer::Part { start: 90, end: 99 }
        );
        assert_eq!(
            answer(Some("bytes=-1000"), 100),
            RangeAnswer::Part { start: 0, end: 99 }
        );
        assert_eq!(answer(Some("bytes=100-"), 100), RangeAnswer::Unsatisfiable);
        assert_eq!(answer(Some("bytes=0-"), 0), RangeAnswer::Unsatisfiable);
        assert_eq!(answer(Some("bytes=1000-"), 100), RangeAnswer::Unsatisfiable);
        assert_eq!(
            answer(Some("bytes=1000-2000"), 100),
            RangeAnswer::Unsatisfiable
        );
        assert_eq!(answer(Some("bytes=5-2"), 100), RangeAnswer::Whole);
        assert_eq!(answer(Some("bytes=0-1,5-6"), 100), RangeAnswer::Whole);
        assert_eq!(answer(Some("items=0-1"), 100), RangeAnswer::Whole);
        assert_eq!(answer(Some("bytes=x-1"), 100), RangeAnswer::Whole);
    }
}
