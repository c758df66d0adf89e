//! The largest groups among a set of images (ALMA's five quick-looks of a similar set):
//! k-means on their unit vectors (cosine), seeded deterministically by farthest-point
//! choice, each group shown by the member nearest its centre.

use crate::image_index::{dot, Unit};

/// A group of images: positions in the set given, the representative first.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub representative: usize,
    pub members: Vec<usize>,
}

/// Rounds of k-means at most.
const ROUNDS: usize = 25;

/// The `largest` biggest of `k` groups of `units`, biggest first.
pub fn groups(units: &[Unit], k: usize, largest: usize) -> Vec<Group> {
    let k = k.min(units.len());
    if k == 0 {
        return Vec::new();
    }
    // farthest-point seeding from the first (the best-ranked) image: deterministic
    let mut centres: Vec<Unit> = vec![units[0]];
    let mut nearest: Vec<f32> = units.iter().map(|u| dot(u, &units[0])).collect();
    while centres.len() < k {
        let (far, _) = nearest
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(b.1))
            .expect("units is not empty");
        centres.push(units[far]);
        for (i, u) in units.iter().enumerate() {
            nearest[i] = nearest[i].max(dot(u, &units[far]));
        }
    }
    let mut assignment = vec![usize::MAX; units.len()];
    for _ in 0..ROUNDS {
        let mut changed = false;
        for (i, u) in units.iter().enumerate() {
            let best = (0..centres.len())
                .max_by(|&a, &b| dot(u, &centres[a]).total_cmp(&dot(u, &centres[b])))
                .unwrap_or(0);
            if assignment[i] != best {
                assignment[i] = best;
                changed = true;
            }
        }
        if !changed {
            break;
        }
        for (c, centre) in centres.iter_mut().enumerate() {
            let mut sum = [0.0f32; crate::FEATURES];
            for (i, u) in units
                .iter()
                .enumerate()
                .filter(|(i, _)| assignment[*i] == c)
            {
                let _ = i;
                for d in 0..sum.len() {
                    sum[d] += u[d];
                }
            }
            let norm = sum.iter().map(|x| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                *centre = sum.map(|x| x / norm);
            }
        }
    }
    let mut out: Vec<Group> = (0..centres.len())
        .filter_map(|c| {
            let members: Vec<usize> = (0..units.len()).filter(|&i| assignment[i] == c).collect();
            let representative = *members.iter().max_by(|&&a, &&b| {
                dot(&units[a], &centres[c]).total_cmp(&dot(&units[b], &centres[c]))
            })?;
            let mut ordered = vec![representative];
            ordered.extend(members.iter().copied().filter(|&m| m != representative));
            Some(Group {
                representative,
                members: ordered,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.members
            .len()
            .cmp(&a.members.len())
            .then(a.representative.cmp(&b.representative))
    });
    out.truncate(largest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FEATURES;

    /// A unit vector near axis `axis`, nudged by `wobble`.
    fn near(axis: usize, wobble: f32) -> Unit {
        let mut u = [0.0f32; FEATURES];
        u[axis] = 1.0;
        u[(axis + 1) % FEATURES] = wobble;
        let norm = u.iter().map(|x| x * x).sum::<f32>().sqrt();
        u.map(|x| x / norm)
    }

    #[test]
    fn well_separated_sets_come_back_as_groups_biggest_first() {
        let mut units = Vec::new();
        // sizes 9, 7, 5, 3, 2, 1 along six axes
        for (axis, size) in [(0, 9), (5, 7), (10, 5), (15, 3), (20, 2), (25, 1)] {
            for k in 0..size {
                units.push(near(axis, k as f32 * 0.02));
            }
        }
        let found = groups(&units, 6, 5);
        let sizes: Vec<usize> = found.iter().map(|g| g.members.len()).collect();
        assert_eq!(sizes, vec![9, 7, 5, 3, 2]);
        for g in &found {
            assert_eq!(g.members[0], g.representative);
            // every member of a group lies along the same axis as its representative
            let axis = units[g.representative]
                .iter()
                .position(|x| *x > 0.9)
                .unwrap();
            assert!(g.members.iter().all(|&m| units[m][axis] > 0.9));
        }
        assert!(groups(&[], 5, 5).is_empty());
    }
}
