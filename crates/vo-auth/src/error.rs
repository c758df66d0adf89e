//! What can go wrong: each message says what happened and what to do about it.

use crate::password::MIN_PASSWORD_CHARS;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error(
        "'{0}' is not a valid user name: use up to 64 letters, digits, '.', '_', '@' or '-', \
         starting with a letter or digit."
    )]
    InvalidUserName(String),
    #[error("The password is too weak: choose one of at least {MIN_PASSWORD_CHARS} characters.")]
    WeakPassword,
    #[error("An account named '{0}' already exists: choose another user name.")]
    UserExists(String),
    #[error("There is no account named '{0}': check the user name or create the account first.")]
    NoSuchUser(String),
    #[error("There is no project '{0}': check the project code (e.g. 2017.1.00123.S).")]
    NoSuchProject(String),
    #[error(
        "'{user}' is not the PI of project {project}: only the project's PI may delegate \
         access to it, and delegees cannot delegate further. Ask the PI or the archive operator."
    )]
    NotPi { user: String, project: String },
    #[error("The PI already has access to the project: delegate to another user.")]
    SelfDelegation,
    #[error("Database error: {0}. Check that the database is reachable and migrated.")]
    Db(#[from] tokio_postgres::Error),
}
