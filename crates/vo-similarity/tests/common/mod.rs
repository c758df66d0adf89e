//! Scoring a ranking against known classes: precision@10 and mean average precision per
//! class, each image asked for its most similar in turn.

#[allow(dead_code)] // not every test turns images
pub mod warp;

use vo_similarity::ImageIndex;

/// One class's figures.
pub struct ClassScore {
    pub class: String,
    pub images: usize,
    pub precision_at_10: f64,
    pub mean_average_precision: f64,
    /// The other class most often among the ten, and its share of them.
    pub confused_with: Option<(String, f64)>,
}

/// Scores `index`, whose image `i` has class `classes[i]`, over the classes in `order`.
pub fn score(index: &mut ImageIndex, classes: &[String], order: &[String]) -> Vec<ClassScore> {
    let mut out = Vec::new();
    for class in order {
        let mine: Vec<usize> = (0..classes.len())
            .filter(|&i| &classes[i] == class)
            .collect();
        if mine.len() < 2 {
            continue;
        }
        let (mut precision, mut average_precision) = (0.0, 0.0);
        let mut others: std::collections::HashMap<&str, usize> = Default::default();
        for &i in &mine {
            let ranked = index.similar(&[i], classes.len() - 1);
            for (j, _) in ranked.iter().take(10) {
                if &classes[*j] != class {
                    *others.entry(classes[*j].as_str()).or_default() += 1;
                }
            }
            let hits = ranked
                .iter()
                .take(10)
                .filter(|(j, _)| &classes[*j] == class)
                .count();
            precision += hits as f64 / 10f64.min((mine.len() - 1) as f64);
            let (mut found, mut sum) = (0, 0.0);
            for (rank, (j, _)) in ranked.iter().enumerate() {
                if &classes[*j] == class {
                    found += 1;
                    sum += found as f64 / (rank + 1) as f64;
                }
            }
            average_precision += sum / (mine.len() - 1) as f64;
        }
        out.push(ClassScore {
            class: class.clone(),
            images: mine.len(),
            precision_at_10: precision / mine.len() as f64,
            mean_average_precision: average_precision / mine.len() as f64,
            confused_with: others
                .into_iter()
                .max_by_key(|(c, n)| (*n, std::cmp::Reverse(*c)))
                .map(|(c, n)| (c.to_string(), n as f64 / (10 * mine.len()) as f64)),
        });
    }
    out
}

/// The figures as lines of text, and their mean precision@10 over the classes.
pub fn report(scores: &[ClassScore]) -> (String, f64) {
    let lines: Vec<String> = scores
        .iter()
        .map(|s| {
            format!(
                "{:28} {:5} images  precision@10 {:.2}  mAP {:.2}{}",
                s.class,
                s.images,
                s.precision_at_10,
                s.mean_average_precision,
                s.confused_with
                    .as_ref()
                    .map(|(c, share)| format!("  (then {c}: {share:.2})"))
                    .unwrap_or_default()
            )
        })
        .collect();
    let mean = scores.iter().map(|s| s.precision_at_10).sum::<f64>() / scores.len().max(1) as f64;
    (lines.join("\n"), mean)
}
