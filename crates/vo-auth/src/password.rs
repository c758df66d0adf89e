//! Password hashes: argon2id with the crate's default parameters and a random salt, kept as
//! PHC strings (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::rngs::OsRng;

/// The fewest characters a password may have.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// The argon2id PHC string of `password`, with a fresh random salt.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters hashes any password")
        .to_string()
}

/// Whether `password` matches the PHC string `hash`; false for a malformed hash.
pub fn verify_password(hash: &str, password: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A valid hash, with the default parameters, of a password nobody has: checking a password for
/// a user name that does not exist verifies against it, so that the answer takes as long as
/// for a real account and its timing does not tell which user names exist.
pub(crate) const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$2/cfwl6MCKhZ3uMP/pN/0Q$L6bjaajmkbNpOmvS2Cd97J7pi2q99LtfNWHmpNlkldU";

/// Whether `password` is long enough to be accepted.
pub fn is_strong_enough(password: &str) -> bool {
    password.chars().count() >= MIN_PASSWORD_CHARS
}

/// At most one hashing per core at a time: a flood of login attempts queues here instead of
/// taking every blocking thread (each hashing also takes 19 MiB).
fn hashing_slots() -> &'static tokio::sync::Semaphore {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    SLOTS.get_or_init(|| {
        tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
    })
}

/// Runs CPU-heavy hashing off the async worker threads; a panic in it is passed on.
pub(crate) async fn off_runtime<T, F>(work: F) -> T
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let _slot = hashing_slots()
        .acquire()
        .await
        .expect("the hashing semaphore is never closed");
    match tokio::task::spawn_blocking(work).await {
        Ok(value) => value,
        Err(failure) if failure.is_panic() => std::panic::resume_unwind(failure.into_panic()),
        Err(failure) => panic!("password hashing task did not finish: {failure}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_then_verify() {
        let hash = hash_password("correct horse");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password(&hash, "correct horse"));
        assert!(!verify_password(&hash, "correct horsE"));
        assert!(!verify_password(&hash, ""));
    }

    #[test]
    fn salts_differ() {
        assert_ne!(
            hash_password("same password"),
            hash_password("same password")
        );
    }

    #[test]
    fn malformed_hash_verifies_nothing() {
        assert!(!verify_password("", ""));
        assert!(!verify_password("plaintext", "plaintext"));
        assert!(!verify_password(
            "$argon2id$v=19$m=19456,t=2,p=1$broken",
            "x"
        ));
    }

    #[test]
    fn dummy_hash_costs_what_a_real_one_does() {
        let real = hash_password("anything at all");
        let params = |hash: &str| hash.split('$').nth(3).unwrap().to_string();
        assert_eq!(params(DUMMY_HASH), params(&real));
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
        assert!(verify_password(DUMMY_HASH, "not-a-password-of-anyone"));
    }

    #[test]
    fn strength_counts_characters_not_bytes() {
        assert!(!is_strong_enough("1234567"));
        assert!(is_strong_enough("12345678"));
        assert!(!is_strong_enough("ééééééé"), "7 characters, 14 bytes");
    }
}
