//! Who may read proprietary data: archive accounts with argon2id password hashes, bearer
//! tokens (stored only as their SHA-256, expiring), and the delegations by which a project's PI
//! shares the whole project with other users (manual §2.2). Who may read what follows from
//! them by one rule, kept in the database (`archive.reader_grants`, `archive.may_read`) and
//! loaded per request by the archive crate's `Reader`.
//!
//! This crate owns the `auth` schema and `archive.delegation`. It does not speak HTTP (logging
//! in, reading `Authorization` headers and the account pages are the endpoint crates'), and it
//! does not decide access to files: which files are proprietary and until when is the
//! holdings' business (release dates); the download endpoints combine the two.
//!
//! Functions take a `tokio_postgres::Client` (a pooled connection derefs to one). Password
//! hashing and verifying are deliberately slow and run on Tokio's blocking threads.

pub mod account;
pub mod delegation;
pub mod error;
pub mod password;
pub mod signing;
pub mod token;

pub use account::{
    check_password, create_account, delete_account, get_account, list_accounts,
    password_changed_at, password_record, set_password, set_staff, Account, PasswordRecord,
};
pub use delegation::{
    delegations_granted_by_pi, delegations_of, grant, list_delegations, revoke, Delegation, Granter,
};
pub use error::AuthError;
pub use password::{hash_password, verify_password};
pub use signing::{url_signer, SignatureProblem, UrlSigner};
pub use token::{
    delete_expired_tokens, has_token_shape, issue_token, new_token_text, resolve_token,
    revoke_tokens, token_sha256, IssuedToken,
};
