//! The index of image feature vectors: each dimension scaled to unit spread over the
//! collection (so that no measure dominates by its units) and weighted by how well it tells
//! shapes apart, the result normalised, images
//! compared by cosine in an exact scan and ranked by the joint similarity to one or several
//! selected images (the mean of their cosines).

use crate::features::{weight, FEATURES};

/// A standardised, normalised feature vector.
pub type Unit = [f32; FEATURES];

/// Feature vectors and their standardised units (computed once per change).
pub struct ImageIndex {
    ids: Vec<String>,
    vectors: Vec<[f32; FEATURES]>,
    units: Vec<Unit>,
}

impl Default for ImageIndex {
    fn default() -> Self {
        ImageIndex::new()
    }
}

impl ImageIndex {
    pub fn new() -> ImageIndex {
        ImageIndex {
            ids: Vec::new(),
            vectors: Vec::new(),
            units: Vec::new(),
        }
    }

    /// Adds an image's features (see [`crate::features`]); a vector of another length is
    /// refused (false).
    pub fn add(&mut self, id: impl Into<String>, features: &[f32]) -> bool {
        let Ok(v) = <[f32; FEATURES]>::try_from(features) else {
            return false;
        };
        if v.iter().any(|x| !x.is_finite()) {
            return false;
        }
        self.ids.push(id.into());
        self.vectors.push(v);
        self.units.clear();
        true
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn id(&self, i: usize) -> &str {
        &self.ids[i]
    }

    /// Each dimension's mean and spread over the collection, and the vectors scaled by them
    /// and normalised: the caller does this once it has added a batch, so that rankings do
    /// not pay for it (a ranking of an index changed since computes them for itself).
    pub fn standardise(&mut self) {
        if self.units.len() != self.vectors.len() {
            self.units = self.standardised();
        }
    }

    /// The units, computed now if the index changed since [`Self::standardise`].
    fn units(&self) -> std::borrow::Cow<'_, [Unit]> {
        if self.units.len() == self.vectors.len() {
            std::borrow::Cow::Borrowed(&self.units)
        } else {
            std::borrow::Cow::Owned(self.standardised())
        }
    }

    fn standardised(&self) -> Vec<Unit> {
        if self.vectors.is_empty() {
            return Vec::new();
        }
        let n = self.vectors.len() as f64;
        let mut mean = [0.0f64; FEATURES];
        for v in &self.vectors {
            for d in 0..FEATURES {
                mean[d] += v[d] as f64 / n;
            }
        }
        let mut spread = [0.0f64; FEATURES];
        for v in &self.vectors {
            for d in 0..FEATURES {
                spread[d] += (v[d] as f64 - mean[d]).powi(2) / n;
            }
        }
        for s in &mut spread {
            *s = s.sqrt().max(1e-6);
        }
        // then weighted: some measures tell shapes apart better than others
        for (d, s) in spread.iter_mut().enumerate() {
            *s /= weight(d);
        }
        self.vectors
            .iter()
            .map(|v| {
                let mut u = [0.0f32; FEATURES];
                for d in 0..FEATURES {
                    u[d] = ((v[d] as f64 - mean[d]) / spread[d]) as f32;
                }
                let norm = u.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
                u.map(|x| x / norm)
            })
            .collect()
    }

    /// The standardised unit vector of image `i` (what rankings compare).
    pub fn unit(&self, i: usize) -> Unit {
        self.units()[i]
    }

    /// The `n` images most like all of `selected` together (the mean of their cosines), best
    /// first, the selected ones left out: (index, joint similarity).
    pub fn similar(&self, selected: &[usize], n: usize) -> Vec<(usize, f32)> {
        let units = self.units();
        let selected: Vec<usize> = selected
            .iter()
            .copied()
            .filter(|&i| i < units.len())
            .collect();
        if selected.is_empty() {
            return Vec::new();
        }
        // the mean of the cosines is the cosine with the mean of the units (times its norm):
        // one dot product per image whatever the selection
        let mut query = [0.0f32; FEATURES];
        for &i in &selected {
            for d in 0..FEATURES {
                query[d] += units[i][d] / selected.len() as f32;
            }
        }
        let mut scored: Vec<(usize, f32)> = units
            .iter()
            .enumerate()
            .map(|(i, u)| (i, dot(&query, u)))
            .filter(|(i, _)| !selected.contains(i))
            .collect();
        let n = n.min(scored.len());
        if n > 0 {
            scored.select_nth_unstable_by(n - 1, |a, b| b.1.total_cmp(&a.1));
            scored.truncate(n);
        }
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored
    }
}

pub(crate) fn dot(a: &Unit, b: &Unit) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vector(seed: u32) -> Vec<f32> {
        (0..FEATURES)
            .map(|d| ((seed as usize * 7919 + d * 104729) % 1000) as f32 / 1000.0)
            .collect()
    }

    #[test]
    fn the_joint_ranking_is_the_mean_of_the_cosines() {
        let mut index = ImageIndex::new();
        for k in 0..50 {
            assert!(index.add(k.to_string(), &vector(k)));
        }
        assert!(!index.add("short", &[1.0, 2.0]));
        assert!(!index.add("nan", &[f32::NAN; FEATURES]));
        let ranked = index.similar(&[3, 17], 48);
        assert_eq!(ranked.len(), 48);
        assert!(ranked.iter().all(|(i, _)| *i != 3 && *i != 17));
        for (i, score) in &ranked {
            let (a, b, u) = (index.unit(3), index.unit(17), index.unit(*i));
            let mean = (dot(&a, &u) + dot(&b, &u)) / 2.0;
            assert!((mean - score).abs() < 1e-5, "{mean} {score}");
        }
        assert!(ranked.windows(2).all(|w| w[0].1 >= w[1].1));
        // an unknown index is ignored; nothing selected ranks nothing
        assert_eq!(index.similar(&[99], 5), Vec::new());
    }
}
