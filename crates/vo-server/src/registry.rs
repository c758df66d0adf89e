//! The archive's IVOA registry records, made from the configuration (`[registry]`), the
//! protocols' own capability elements and tables, and the holdings' coverage; stored (and
//! dated when their content changes) at start and then every `registry.refresh_seconds`, by
//! one node of the service at a time. `/oai` serves them (vo-oai).

use crate::config::Config;
use std::time::Duration;

/// What the records are made of, but the holdings (read at each refresh).
#[derive(Clone)]
pub struct RegistrySources {
    pub curation: vo_registry::Curation,
    pub documents: vo_registry::ServiceDocuments,
    pub coverages: vo_moc::Coverages,
}

impl RegistrySources {
    pub fn new(
        config: &Config,
        tap: &vo_tap::TapService,
        server_limits: &vo_tap::ServerLimits,
        sia2: &vo_sia2::Sia2Service,
        coverages: vo_moc::Coverages,
    ) -> RegistrySources {
        let curation = vo_registry::Curation::new(&config.registry, &config.public_url());
        let public_url = curation.public_url.clone();
        RegistrySources {
            curation,
            documents: vo_registry::ServiceDocuments {
                tap_capabilities: vo_tap::capability_elements(
                    tap,
                    server_limits,
                    config.server.body_seconds.max(1),
                    &public_url,
                ),
                tap_schemas: vo_tap::schema_elements(&tap.catalogue, true),
                sia2_capabilities: vo_sia2::capability_elements(sia2, &public_url),
                datalink_capabilities: vo_datalink::capability_elements(&public_url),
                soda_capabilities: vo_soda::capability_elements(&public_url),
            },
            coverages,
        }
    }

    /// The OAI-PMH endpoint's view of the registry.
    pub fn oai(&self) -> vo_oai::OaiRegistry {
        vo_oai::OaiRegistry {
            base_url: self.curation.oai_url(),
            repository_name: self.curation.registry_title(),
            admin_email: self.curation.contact_email.clone(),
            registry_ivoid: self.curation.registry_ivoid(),
            page_size: self.curation.records_per_page(),
        }
    }
}

/// Makes the records and stores them, if no other node is doing it; returns how many changed
/// (None: another node has the duty now).
async fn refresh(pool: &vo_db::Pool, sources: &RegistrySources) -> anyhow::Result<Option<usize>> {
    let mut client = pool.get().await?;
    let transaction = client.transaction().await?;
    let duty: bool = transaction
        .query_one("SELECT archive.take_duty('registry records')", &[])
        .await?
        .get(0);
    if !duty {
        return Ok(None);
    }
    // a background duty, but its scan of ivoa.obscore still ends by a limit
    transaction
        .batch_execute("SET LOCAL statement_timeout = '120s'")
        .await?;
    let mut holdings = vo_registry::holdings_ranges(&*transaction).await?;
    holdings.moc =
        match vo_moc::holdings_ascii(&sources.coverages, pool, sources.curation.moc_depth).await {
            Ok(moc) if !moc.trim().is_empty() => Some(moc),
            Ok(_) => None,
            Err(e) => {
                tracing::warn!(error = %e, "registry records without their sky coverage this time");
                None
            }
        };
    let drafts = vo_registry::records(&sources.curation, &sources.documents, &holdings);
    let changes = vo_registry::refresh(&transaction, &drafts, chrono::Utc::now()).await?;
    transaction.commit().await?;
    for (ivoid, change) in &changes {
        tracing::info!(%ivoid, ?change, "registry record dated");
    }
    Ok(Some(changes.len()))
}

/// Refreshes the records now and then every `every`.
pub fn start_refreshing(pool: vo_db::Pool, sources: RegistrySources, every: Duration) {
    actix_web::rt::spawn(async move {
        loop {
            if let Err(e) = refresh(&pool, &sources).await {
                tracing::warn!(error = %e, "cannot refresh the registry records");
            }
            tokio::time::sleep(every).await;
        }
    });
}
