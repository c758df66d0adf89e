//! Signed download URLs: what lets a download script fetch a proprietary file for its reader
//! without carrying credentials. A URL names the file, the user it is signed for and when it
//! expires, and carries an HMAC-SHA256 of the three under the archive's key (kept in
//! `auth.url_signing_key`, made once, shared by every server): the download endpoint checks
//! the signature and the time, then applies the access rules for that user as they are then
//! (a delegation revoked since makes the URL useless).

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

/// The archive's signing key.
#[derive(Clone)]
pub struct UrlSigner {
    key: [u8; 32],
}

impl std::fmt::Debug for UrlSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UrlSigner(…)")
    }
}

/// Why a signed URL is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureProblem {
    #[error("the signed URL expired at {0} (Unix time); ask the request page for a new script")]
    Expired(i64),
    #[error("the URL's signature does not match its file, user and expiry")]
    Mismatch,
}

impl UrlSigner {
    pub fn new(key: [u8; 32]) -> UrlSigner {
        UrlSigner { key }
    }

    fn mac(&self, name: &str, user: &str, expires: i64) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length");
        // lengths first, so that no two (name, user) pairs give the same bytes
        mac.update(format!("{}:{name}|{}:{user}|{expires}", name.len(), user.len()).as_bytes());
        mac
    }

    /// The signature (hex) of `name` for `user` until `expires` (Unix seconds).
    pub fn sign(&self, name: &str, user: &str, expires: i64) -> String {
        self.mac(name, user, expires)
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Whether `signature` signs `name` for `user` until `expires`, and `now` is before it.
    pub fn verify(
        &self,
        name: &str,
        user: &str,
        expires: i64,
        signature: &str,
        now: i64,
    ) -> Result<(), SignatureProblem> {
        let bytes: Option<Vec<u8>> = (0..signature.len())
            .step_by(2)
            .map(|i| {
                signature
                    .get(i..i + 2)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
            })
            .collect();
        let bytes = bytes
            .filter(|b| b.len() == 32)
            .ok_or(SignatureProblem::Mismatch)?;
        // compared in constant time
        self.mac(name, user, expires)
            .verify_slice(&bytes)
            .map_err(|_| SignatureProblem::Mismatch)?;
        if now >= expires {
            return Err(SignatureProblem::Expired(expires));
        }
        Ok(())
    }
}

/// The archive's key, made (32 random bytes) by the first caller that finds none.
pub async fn url_signer(
    client: &tokio_postgres::Client,
) -> Result<UrlSigner, tokio_postgres::Error> {
    let mut fresh = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut fresh);
    client
        .execute(
            "INSERT INTO auth.url_signing_key (key) VALUES ($1) ON CONFLICT (one_row) DO NOTHING",
            &[&fresh.as_slice()],
        )
        .await?;
    let row = client
        .query_one("SELECT key FROM auth.url_signing_key", &[])
        .await?;
    let stored: Vec<u8> = row.get(0);
    let mut key = [0u8; 32];
    key.copy_from_slice(&stored);
    Ok(UrlSigner::new(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_holds_for_its_file_user_and_time_only() {
        let signer = UrlSigner::new([7; 32]);
        let sig = signer.sign("a.fits", "pi", 2000);
        assert_eq!(signer.verify("a.fits", "pi", 2000, &sig, 1999), Ok(()));
        assert_eq!(
            signer.verify("a.fits", "pi", 2000, &sig, 2000),
            Err(SignatureProblem::Expired(2000))
        );
        for (name, user, expires) in [
            ("b.fits", "pi", 2000),
            ("a.fits", "other", 2000),
            ("a.fits", "pi", 3000),
        ] {
            assert_eq!(
                signer.verify(name, user, expires, &sig, 1000),
                Err(SignatureProblem::Mismatch),
                "{name} {user} {expires}"
            );
        }
        assert_eq!(
            signer.verify("a.fits", "pi", 2000, "zz", 1000),
            Err(SignatureProblem::Mismatch)
        );
        assert_ne!(UrlSigner::new([8; 32]).sign("a.fits", "pi", 2000), sig);
        // no ambiguity between where the name ends and the user begins
        assert_ne!(signer.sign("a|b", "c", 1), signer.sign("a", "b|c", 1));
    }
}
