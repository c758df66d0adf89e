//! The index of names and the lookup: exact keys first, then constellation abbreviations,
//! then short catalogue prefixes where they are unambiguous; otherwise the most similar
//! names by trigrams, as "did you mean".

use crate::normalize::{constellation_key, key, key_without_generic_ending};
use std::collections::HashMap;

/// Where an object's name and position come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A target name of the archive's own observations (the PI's position).
    Archive,
    /// The shipped catalogue (OpenNGC: NGC, IC, Messier and their cross-identifications).
    OpenNgc,
}

impl Origin {
    pub fn label(self) -> &'static str {
        match self {
            Origin::Archive => "archive",
            Origin::OpenNgc => "OpenNGC",
        }
    }
}

/// A named object with its position (ICRS, degrees).
#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    /// Its main name (`NGC5236`, `TW_Hya`).
    pub name: String,
    pub ra: f64,
    pub dec: f64,
    /// Its type, as a code and in words (`G`, `Galaxy`), when the source knows it.
    pub kind: Option<(String, String)>,
    /// Other names it answers to: identifiers in other catalogues, common names.
    pub aliases: Vec<String>,
    /// Its redshift, when the source gives one (OpenNGC does for most of its galaxies).
    pub redshift: Option<f64>,
    pub origin: Origin,
}

/// What a name resolves to.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution<'a> {
    Found {
        object: &'a Object,
        /// Observations in the archive carry this target name for it, if any do.
        archive_target: Option<&'a Object>,
    },
    /// Nothing has that name; these names are the most alike (best first, at most
    /// [`SUGGESTIONS`]).
    NotFound { suggestions: Vec<&'a str> },
}

/// How many "did you mean" names are offered at most.
pub const SUGGESTIONS: usize = 8;

/// The least trigram similarity (shared over all) of a suggestion.
const LEAST_SIMILARITY: f64 = 0.3;

/// Short prefixes of catalogues accepted where the full one resolves (`N253` = `NGC 253`).
const SHORT_PREFIXES: &[(&str, &str)] = &[("n", "ngc"), ("i", "ic")];

/// Every name the resolver knows.
#[derive(Debug, Default, Clone)]
pub struct Resolver {
    objects: Vec<Object>,
    by_key: HashMap<String, Vec<u32>>,
    by_constellation_key: HashMap<String, Vec<u32>>,
    /// The names suggestions are drawn from (each key once, with its object and the name
    /// to show), and for each trigram the names holding it.
    names: Vec<(String, u32, String)>,
    trigrams: HashMap<[char; 3], Vec<u32>>,
}

fn trigrams_of(key: &str) -> Vec<[char; 3]> {
    let padded: Vec<char> = "  ".chars().chain(key.chars()).chain(" ".chars()).collect();
    let mut out: Vec<[char; 3]> = padded.windows(3).map(|w| [w[0], w[1], w[2]]).collect();
    out.sort_unstable();
    out.dedup();
    out
}

impl Resolver {
    pub fn new() -> Resolver {
        Resolver::default()
    }

    /// Adds an object under its name and aliases.
    pub fn add(&mut self, object: Object) {
        let id = self.objects.len() as u32;
        let mut names = vec![object.name.clone()];
        names.extend(object.aliases.iter().cloned());
        for name in &names {
            let mut keys = vec![key(name)];
            keys.extend(key_without_generic_ending(name));
            for k in keys.into_iter().filter(|k| !k.is_empty()) {
                let ids = self.by_key.entry(k.clone()).or_default();
                if !ids.contains(&id) {
                    ids.push(id);
                    let name_id = self.names.len() as u32;
                    for t in trigrams_of(&k) {
                        self.trigrams.entry(t).or_default().push(name_id);
                    }
                    self.names.push((k, id, name.clone()));
                }
            }
            let c = constellation_key(name);
            if !c.is_empty() {
                let ids = self.by_constellation_key.entry(c).or_default();
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        self.objects.push(object);
    }

    pub fn len(&self) -> usize {
        self.objects.len()
    }

    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    /// The catalogue's object among `ids` if there is one (its position is the
    /// literature's), else the archive's target; and the archive's target among them.
    fn pick(&self, ids: &[u32]) -> Option<Resolution<'_>> {
        let objects: Vec<&Object> = ids.iter().map(|&i| &self.objects[i as usize]).collect();
        let archive_target = objects
            .iter()
            .copied()
            .find(|o| o.origin == Origin::Archive);
        let object = objects
            .iter()
            .copied()
            .find(|o| o.origin != Origin::Archive)
            .or(archive_target)?;
        Some(Resolution::Found {
            object,
            archive_target,
        })
    }

    /// Resolves a name.
    pub fn resolve(&self, name: &str) -> Resolution<'_> {
        let k = key(name);
        if k.is_empty() {
            return Resolution::NotFound {
                suggestions: Vec::new(),
            };
        }
        if let Some(found) = self.by_key.get(&k).and_then(|ids| self.pick(ids)) {
            return found;
        }
        if let Some(found) = self
            .by_constellation_key
            .get(&constellation_key(name))
            .and_then(|ids| self.pick(ids))
        {
            return found;
        }
        for (short, full) in SHORT_PREFIXES {
            if let Some(rest) = k.strip_prefix(short) {
                if rest.starts_with(|c: char| c.is_ascii_digit()) {
                    let expanded = format!("{full}{rest}");
                    if let Some(found) = self.by_key.get(&expanded).and_then(|ids| self.pick(ids)) {
                        return found;
                    }
                }
            }
        }
        Resolution::NotFound {
            suggestions: self.similar(&k),
        }
    }

    /// The names most like `key` by trigrams, best first; one per object.
    fn similar(&self, key: &str) -> Vec<&str> {
        let mine = trigrams_of(key);
        let mut shared: HashMap<u32, u32> = HashMap::new();
        for t in &mine {
            for &name_id in self.trigrams.get(t).map(Vec::as_slice).unwrap_or(&[]) {
                *shared.entry(name_id).or_default() += 1;
            }
        }
        let mut scored: Vec<(f64, u32)> = shared
            .into_iter()
            .map(|(name_id, n)| {
                let theirs = trigrams_of(&self.names[name_id as usize].0).len() as f64;
                (n as f64 / (mine.len() as f64 + theirs - n as f64), name_id)
            })
            .filter(|(score, _)| *score >= LEAST_SIMILARITY)
            .collect();
        scored.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| self.names[a.1 as usize].2.cmp(&self.names[b.1 as usize].2))
        });
        let mut seen = Vec::new();
        let mut out = Vec::new();
        for (_, name_id) in scored {
            let (_, object, name) = &self.names[name_id as usize];
            if seen.contains(object) {
                continue;
            }
            seen.push(*object);
            out.push(name.as_str());
            if out.len() == SUGGESTIONS {
                break;
            }
        }
        out
    }
}
