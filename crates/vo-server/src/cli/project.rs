//! `voarchive project …` and `voarchive delegation …`: who may fetch a project's proprietary
//! data. The PI's account (`project pi`), a recorded exception to the proprietary period
//! (`project proprietary`, e.g. for a DDT project that keeps its data), and delegations
//! granted or revoked by the operator on the PI's behalf.

use crate::config::Config;
use vo_auth::Granter;

#[derive(clap::Subcommand)]
pub enum ProjectCommand {
    /// Record the account of a project's PI.
    Pi { project: String, user: String },
    /// Record an exception to the proprietary period (months after the last observation;
    /// `default` returns to the policy) and recompute the release dates.
    Proprietary { project: String, months: String },
    /// Show a project's PI, period and its member OUSes' release dates.
    Show { project: String },
}

#[derive(clap::Subcommand)]
pub enum DelegationCommand {
    /// List delegations (of one project, or all).
    List {
        #[arg(long)]
        project: Option<String>,
    },
    /// Give a user access to a project's proprietary data.
    Grant { project: String, user: String },
    /// Take it back.
    Revoke { project: String, user: String },
}

pub async fn run_project(config: &Config, command: ProjectCommand) -> anyhow::Result<()> {
    let client = super::ready_database(config).await?;
    match command {
        ProjectCommand::Pi { project, user } => {
            anyhow::ensure!(
                vo_auth::get_account(&client, &user).await?.is_some(),
                "no account {user}; create it first (voarchive user create {user})"
            );
            let changed = client
                .execute(
                    "UPDATE archive.project SET pi_userid = $2 WHERE code = $1",
                    &[&project, &user],
                )
                .await?;
            anyhow::ensure!(changed == 1, "no project {project}");
            println!("{user} is the PI of {project}");
        }
        ProjectCommand::Proprietary { project, months } => {
            let months: Option<i32> = match months.as_str() {
                "default" => None,
                n => Some(n.parse().map_err(|_| {
                    anyhow::anyhow!("months must be a number or 'default', not '{n}'")
                })?),
            };
            let changed = client
                .execute(
                    "UPDATE archive.project SET proprietary_months = $2 WHERE code = $1",
                    &[&project, &months],
                )
                .await?;
            anyhow::ensure!(changed == 1, "no project {project}");
            let members = client
                .execute(
                    "UPDATE archive.member_ous SET release_date = archive.policy_release_date(project_code, observed_until) \
                     WHERE project_code = $1 AND observed_until IS NOT NULL",
                    &[&project],
                )
                .await?;
            let rows: i64 = client
                .query_one("SELECT archive.sync_release()", &[])
                .await?
                .get(0);
            println!("{project}: {members} member OUS release dates recomputed, {rows} ObsCore rows updated");
        }
        ProjectCommand::Show { project } => {
            let Some(p) = client
                .query_opt(
                    "SELECT coalesce(pi_userid, '-'), pi_name, is_ddt, proprietary_months FROM archive.project WHERE code = $1",
                    &[&project],
                )
                .await?
            else {
                anyhow::bail!("no project {project}");
            };
            let months: Option<i32> = p.get(3);
            println!(
                "{project}: PI {} ({}), {}, proprietary period {}",
                p.get::<_, String>(0),
                p.get::<_, String>(1),
                if p.get(2) { "DDT" } else { "not DDT" },
                months.map_or("by policy".to_string(), |m| format!(
                    "{m} months (exception)"
                ))
            );
            for m in client
                .query(
                    "SELECT uid, to_char(release_date AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), \
                            coalesce(release_date <= now(), false) \
                     FROM archive.member_ous WHERE project_code = $1 ORDER BY uid",
                    &[&project],
                )
                .await?
            {
                let date: Option<String> = m.get(1);
                println!(
                    "  {}\t{}\t{}",
                    m.get::<_, String>(0),
                    date.unwrap_or_else(|| "not set".into()),
                    if m.get(2) { "public" } else { "proprietary" }
                );
            }
        }
    }
    Ok(())
}

pub async fn run_delegation(config: &Config, command: DelegationCommand) -> anyhow::Result<()> {
    let client = super::ready_database(config).await?;
    match command {
        DelegationCommand::List { project } => {
            for d in vo_auth::list_delegations(&client, project.as_deref()).await? {
                println!(
                    "{}\t{}\tgranted by {} at {}\t{}",
                    d.project_code,
                    d.delegee,
                    d.granted_by,
                    d.granted_at.format("%Y-%m-%d %H:%M"),
                    d.revoked_at.map_or("active".to_string(), |t| format!(
                        "revoked {}",
                        t.format("%Y-%m-%d %H:%M")
                    ))
                );
            }
        }
        DelegationCommand::Grant { project, user } => {
            vo_auth::grant(&client, &Granter::Operator, &project, &user).await?;
            println!("{user} may now fetch the proprietary data of {project}");
        }
        DelegationCommand::Revoke { project, user } => {
            if vo_auth::revoke(&client, &Granter::Operator, &project, &user).await? {
                println!("{user} may no longer fetch the proprietary data of {project}");
            } else {
                anyhow::bail!("{user} had no active delegation for {project}");
            }
        }
    }
    Ok(())
}
