//! Polarization selection along the STOKES axis. The kept planes must be evenly spaced so
//! that the output axis is still described by CRVAL/CDELT/CRPIX.

use crate::error::CutoutError;
use crate::plan::AxisCut;
use crate::request::CutoutRequest;
use vo_fits::{stokes_code, STOKES_STATES};

pub(crate) use vo_fits::stokes_name as state_name;

/// The planes of a STOKES axis holding `codes` that the states `wanted` select.
pub(crate) fn stokes_cut(codes: &[i64], wanted: &[String]) -> Result<AxisCut, CutoutError> {
    let request = CutoutRequest::pol_text(wanted);
    let cube_states: Vec<String> = codes
        .iter()
        .map(|&c| state_name(c).map_or_else(|| format!("code {c}"), String::from))
        .collect();
    let mut indices = Vec::new();
    for state in wanted {
        let name = state.trim().to_ascii_uppercase();
        let Some(code) = stokes_code(&name) else {
            let known: Vec<&str> = STOKES_STATES.iter().map(|(_, n)| *n).collect();
            return Err(CutoutError::Usage(format!(
                "{request}: '{state}' is not a polarization state; states are {}, and this \
                 cube holds {}",
                known.join(" "),
                cube_states.join(" ")
            )));
        };
        indices.extend(codes.iter().position(|&c| c == code));
    }
    indices.sort_unstable();
    indices.dedup();
    let Some(&first) = indices.first() else {
        return Err(CutoutError::NoOverlap(format!(
            "{request} does not overlap the cube's polarization states {}",
            cube_states.join(" ")
        )));
    };
    let step = if indices.len() > 1 {
        indices[1] - first
    } else {
        1
    };
    let evenly_spaced = indices.windows(2).all(|w| w[1] - w[0] == step);
    if !evenly_spaced {
        let chosen: Vec<&str> = indices.iter().map(|&i| cube_states[i].as_str()).collect();
        return Err(CutoutError::Usage(format!(
            "{request}: the cube's states are {} in this order; {} are not evenly spaced \
             along the axis, so they cannot be cut as one array. Choose states at a constant \
             spacing (neighbours, or every second, …) or request them in separate cutouts",
            cube_states.join(" "),
            chosen.join(" ")
        )));
    }
    Ok(AxisCut {
        start: first,
        len: indices.len(),
        step,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    const FULL_STOKES: [i64; 4] = [1, 2, 3, 4];

    #[test]
    fn single_contiguous_and_strided_selections() {
        let cut = stokes_cut(&FULL_STOKES, &names(&["U"])).unwrap();
        assert_eq!((cut.start, cut.len, cut.step), (2, 1, 1));
        let cut = stokes_cut(&FULL_STOKES, &names(&["u", "Q", "Q"])).unwrap();
        assert_eq!((cut.start, cut.len, cut.step), (1, 2, 1));
        let cut = stokes_cut(&FULL_STOKES, &names(&["V", "Q"])).unwrap();
        assert_eq!((cut.start, cut.len, cut.step), (1, 2, 2));
    }

    #[test]
    fn uneven_unknown_and_absent_states_are_refused() {
        match stokes_cut(&FULL_STOKES, &names(&["I", "Q", "V"])) {
            Err(CutoutError::Usage(m)) => assert!(m.contains("I Q V are not evenly spaced"), "{m}"),
            other => panic!("{other:?}"),
        }
        match stokes_cut(&FULL_STOKES, &names(&["Z"])) {
            Err(CutoutError::Usage(m)) => assert!(m.contains("this cube holds I Q U V"), "{m}"),
            other => panic!("{other:?}"),
        }
        match stokes_cut(&[-5, -6], &names(&["I"])) {
            Err(CutoutError::NoOverlap(m)) => {
                assert_eq!(
                    m,
                    "POL I does not overlap the cube's polarization states XX YY"
                )
            }
            other => panic!("{other:?}"),
        }
    }
}
