//! Names to lookup keys, as Sesame compares them: case, spaces, underscores and punctuation
//! do not count; numbers are compared without their leading zeros (`NGC0253` = `ngc 253`);
//! `Messier` is `M`; Greek letters, spelled out or as symbols, are their three-letter
//! abbreviations (`alpha` = `α` = `alf`); a sign counts only before a digit (`J0038-2459`,
//! `MCG -04-03-009`). [`constellation_key`] also writes constellation names as their
//! abbreviations (`Centaurus A` = `Cen A`).

use crate::constellations::CONSTELLATIONS;

/// Greek letters as Sesame abbreviates them: spelled out, as symbols.
const GREEK: &[(&str, char, &str)] = &[
    ("alpha", 'α', "alf"),
    ("beta", 'β', "bet"),
    ("gamma", 'γ', "gam"),
    ("delta", 'δ', "del"),
    ("epsilon", 'ε', "eps"),
    ("zeta", 'ζ', "zet"),
    ("eta", 'η', "eta"),
    ("theta", 'θ', "tet"),
    ("iota", 'ι', "iot"),
    ("kappa", 'κ', "kap"),
    ("lambda", 'λ', "lam"),
    ("mu", 'μ', "mu"),
    ("nu", 'ν', "nu"),
    ("xi", 'ξ', "ksi"),
    ("omicron", 'ο', "omi"),
    ("pi", 'π', "pi"),
    ("rho", 'ρ', "rho"),
    ("sigma", 'σ', "sig"),
    ("tau", 'τ', "tau"),
    ("upsilon", 'υ', "ups"),
    ("phi", 'φ', "phi"),
    ("chi", 'χ', "chi"),
    ("psi", 'ψ', "psi"),
    ("omega", 'ω', "ome"),
];

/// Catalogue names spelled out, as their prefixes.
const PREFIXES: &[(&str, &str)] = &[("messier", "m"), ("caldwell", "c")];

/// The longest name looked at: a longer input is cut (nothing real is that long).
pub const MAX_NAME_CHARS: usize = 200;

/// The words of a name, lower case: split at spaces, underscores and punctuation other than a
/// sign before a digit; Greek symbols become words of their own.
fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().take(MAX_NAME_CHARS).collect();
    let mut words = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, words: &mut Vec<String>| {
        if !word.is_empty() {
            words.push(std::mem::take(word));
        }
    };
    for (i, &c) in chars.iter().enumerate() {
        if let Some((_, _, abbreviation)) = GREEK.iter().find(|g| g.1 == c) {
            flush(&mut word, &mut words);
            words.push(abbreviation.to_string());
        } else if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if (c == '+' || c == '-') && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit()) {
            // a sign belongs to the number after it: keep it, in a word of its own start
            if !word.is_empty() && !word.ends_with(|w: char| w.is_ascii_digit()) {
                flush(&mut word, &mut words);
            }
            word.push(c);
        } else {
            flush(&mut word, &mut words);
        }
    }
    flush(&mut word, &mut words);
    words
}

/// One word as a key: Greek letters and spelled-out catalogue names abbreviated.
fn word_key(word: &str) -> &str {
    if let Some((_, _, abbreviation)) = GREEK.iter().find(|g| g.0 == word) {
        return abbreviation;
    }
    if let Some((_, prefix)) = PREFIXES.iter().find(|p| p.0 == word) {
        return prefix;
    }
    word
}

/// Joins key words and drops the leading zeros of every number. Two numbers written apart
/// stay apart (`NGC 133 3` is not `NGC 1333`).
fn join(words: &[&str]) -> String {
    let mut joined = String::new();
    for word in words {
        if joined.ends_with(|c: char| c.is_ascii_digit())
            && word.starts_with(|c: char| c.is_ascii_digit())
        {
            joined.push(' ');
        }
        joined.push_str(word);
    }
    let mut out = String::with_capacity(joined.len());
    let mut previous_digit = false;
    let chars: Vec<char> = joined.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next_digit = chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        if c == '0' && !previous_digit && next_digit {
            // a leading zero of a number: `0253` is `253`, `0` stays
            continue;
        }
        previous_digit = c.is_ascii_digit();
        out.push(c);
    }
    out
}

/// The key a name is looked up by.
pub fn key(name: &str) -> String {
    let words = words(name);
    let keys: Vec<&str> = words.iter().map(|w| word_key(w)).collect();
    join(&keys)
}

/// The key with constellation names and genitives as abbreviations (`Centaurus A` →
/// `cena`, `alpha Centauri` → `alfcen`); the same as [`key`] where no word is one.
pub fn constellation_key(name: &str) -> String {
    let words = words(name);
    let keys: Vec<&str> = words.iter().map(|w| word_key(w)).collect();
    let mut out: Vec<&str> = Vec::with_capacity(keys.len());
    let mut i = 0;
    while i < keys.len() {
        // two-word names first (Canis Major, Ursae Minoris)
        let pair = keys.get(i + 1).map(|next| format!("{}{}", keys[i], next));
        let found_pair = pair.as_deref().and_then(|pair| {
            CONSTELLATIONS
                .iter()
                .find(|(_, name, genitive)| *name == pair || *genitive == pair)
        });
        if let Some((abbreviation, ..)) = found_pair {
            out.push(abbreviation);
            i += 2;
            continue;
        }
        match CONSTELLATIONS
            .iter()
            .find(|(_, name, genitive)| *name == keys[i] || *genitive == keys[i])
        {
            Some((abbreviation, ..)) => out.push(abbreviation),
            None => out.push(keys[i]),
        }
        i += 1;
    }
    join(&out)
}

/// Words that end many common names and are often left out (`Southern Pinwheel` for the
/// `Southern Pinwheel Galaxy`).
pub const GENERIC_ENDINGS: &[&str] = &["galaxy", "nebula", "cluster", "cloud"];

/// The key of a common name without its generic last word, if it has one and more.
pub fn key_without_generic_ending(name: &str) -> Option<String> {
    let words = words(name);
    let (last, rest) = words.split_last()?;
    if rest.is_empty() || !GENERIC_ENDINGS.contains(&last.as_str()) {
        return None;
    }
    let keys: Vec<&str> = rest.iter().map(|w| word_key(w)).collect();
    Some(join(&keys))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_name_share_a_key() {
        for (a, b) in [
            ("NGC0253", "ngc 253"),
            ("NGC 253", "NGC_253"),
            ("M 83", "Messier 83"),
            ("M083", "m83"),
            ("TW_Hya", "TW Hya"),
            ("TW Hya", "twhya"),
            ("Orion_KL", "orion kl"),
            ("alpha Cen", "α Cen"),
            ("alf Cen", "Alpha Cen"),
            ("MCG -04-03-009", "MCG-04-03-009"),
            ("ESO 474-29", "ESO474-029"),
            ("PGC 2789", "PGC002789"),
            ("C 65", "Caldwell 65"),
            ("J0038-2459", "J0038 -2459"),
        ] {
            assert_eq!(key(a), key(b), "{a} / {b}");
        }
        assert_eq!(key("NGC0253"), "ngc253");
        assert_eq!(key("NGC 1000"), "ngc1000");
        assert_eq!(key("IC 10"), "ic10");
        assert_eq!(key("J1337-2953"), "j1337-2953");
    }

    #[test]
    fn different_names_keep_different_keys() {
        for (a, b) in [
            ("MCG -04-03-009", "MCG +04-03-009"),
            ("NGC 253", "NGC 2530"),
            ("NGC 1333", "NGC 133 3"),
            ("M 8", "M 80"),
        ] {
            assert_ne!(key(a), key(b), "{a} / {b}");
        }
    }

    #[test]
    fn constellations_and_generic_endings() {
        assert_eq!(constellation_key("Centaurus A"), "cena");
        assert_eq!(constellation_key("Cen A"), "cena");
        assert_eq!(constellation_key("alpha Centauri"), "alfcen");
        assert_eq!(constellation_key("Ursa Major"), "uma");
        assert_eq!(constellation_key("Orion_KL"), "orikl");
        assert_eq!(key("Orion_KL"), "orionkl");
        assert_eq!(
            key_without_generic_ending("Southern Pinwheel Galaxy").as_deref(),
            Some("southernpinwheel")
        );
        assert_eq!(key_without_generic_ending("Galaxy"), None);
        assert_eq!(key_without_generic_ending("Cen A"), None);
    }

    #[test]
    fn any_input_gives_a_bounded_key() {
        assert_eq!(key(""), "");
        assert_eq!(key("  ,;_ "), "");
        assert!(key(&"x".repeat(10_000)).len() <= MAX_NAME_CHARS);
        assert_eq!(key("0"), "0");
        assert_eq!(key("-"), "");
        assert_eq!(key("+12"), "+12");
    }
}
