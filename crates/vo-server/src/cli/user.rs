//! `voarchive user …`: archive accounts (create, reset a password, grant or revoke staff,
//! list, end sessions, delete). Passwords are read from standard input — typed without echo on a terminal, or the
//! first line of a pipe — never from the command line, where other users could see them.

use crate::config::Config;
use std::io::{BufRead, IsTerminal};

#[derive(clap::Subcommand)]
pub enum UserCommand {
    /// Create an account (the password is asked for, or read from standard input).
    Create {
        /// Account name: letters, digits, `. _ @ -`, up to 64.
        user: String,
        #[arg(long, default_value = "")]
        name: String,
        #[arg(long, default_value = "")]
        email: String,
        /// Archive staff may fetch every proprietary dataset.
        #[arg(long)]
        staff: bool,
    },
    /// Set a new password (read like the first); the user's tokens stop working.
    Password { user: String },
    /// Make an account staff, or (with --revoke) no longer staff.
    Staff {
        user: String,
        #[arg(long)]
        revoke: bool,
    },
    /// List the accounts.
    List,
    /// End every session of an account: its bearer tokens stop working.
    Logout { user: String },
    /// Delete an account, with its tokens and delegations.
    Delete { user: String },
}

fn read_password(user: &str) -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("password for {user}: "))?;
        let again = rpassword::prompt_password("again: ")?;
        anyhow::ensure!(
            first == again,
            "the two passwords differ; nothing was changed"
        );
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    }
}

pub async fn run(config: &Config, command: UserCommand) -> anyhow::Result<()> {
    let client = super::ready_database(config).await?;
    match command {
        UserCommand::Create {
            user,
            name,
            email,
            staff,
        } => {
            let password = read_password(&user)?;
            let account =
                vo_auth::create_account(&client, &user, &password, &name, &email, staff).await?;
            println!(
                "created {}{}",
                account.user_id,
                if account.is_staff { " (staff)" } else { "" }
            );
        }
        UserCommand::Password { user } => {
            let password = read_password(&user)?;
            vo_auth::set_password(&client, &user, &password).await?;
            println!("password of {user} changed; its tokens were revoked");
        }
        UserCommand::Staff { user, revoke } => {
            vo_auth::set_staff(&client, &user, !revoke).await?;
            println!("{user} is {}staff", if revoke { "no longer " } else { "" });
        }
        UserCommand::Logout { user } => {
            let ended = vo_auth::revoke_tokens(&client, &user).await?;
            println!("{ended} token(s) of {user} revoked");
        }
        UserCommand::Delete { user } => {
            vo_auth::delete_account(&client, &user).await?;
            println!("{user} deleted, with its tokens and delegations");
        }
        UserCommand::List => {
            for a in vo_auth::list_accounts(&client).await? {
                println!(
                    "{}\t{}\t{}\t{}",
                    a.user_id,
                    if a.is_staff { "staff" } else { "-" },
                    a.full_name,
                    a.email
                );
            }
        }
    }
    Ok(())
}
