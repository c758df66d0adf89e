//! Numbers as text: shortest round-trip decimal for floats, VOTable's spellings of the
//! non-finite values.

pub(crate) fn push_float(out: &mut Vec<u8>, x: f64) {
    if x.is_nan() {
        out.extend_from_slice(b"NaN");
    } else if x.is_infinite() {
        out.extend_from_slice(if x > 0.0 { b"+Inf" } else { b"-Inf" });
    } else {
        let mut buffer = ryu::Buffer::new();
        let text = buffer.format_finite(x);
        // ryu writes whole numbers as "3.0"; keep that: it marks the value as floating point
        out.extend_from_slice(text.as_bytes());
    }
}

pub(crate) fn push_f32(out: &mut Vec<u8>, x: f32) {
    if !x.is_finite() {
        push_float(out, x as f64);
    } else {
        let mut buffer = ryu::Buffer::new();
        out.extend_from_slice(buffer.format_finite(x).as_bytes());
    }
}

pub(crate) fn push_int(out: &mut Vec<u8>, i: i64) {
    let mut buffer = itoa::Buffer::new();
    out.extend_from_slice(buffer.format(i).as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(x: f64) -> String {
        let mut out = Vec::new();
        push_float(&mut out, x);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn floats_round_trip_and_non_finite_values_use_votable_spellings() {
        for x in [
            0.1,
            204.24712522989094,
            -29.868853678162907,
            1e300,
            5e-324,
            1.875e9,
        ] {
            assert_eq!(text(x).parse::<f64>().unwrap(), x);
        }
        assert_eq!(text(f64::NAN), "NaN");
        assert_eq!(text(f64::INFINITY), "+Inf");
        assert_eq!(text(f64::NEG_INFINITY), "-Inf");
    }
}
