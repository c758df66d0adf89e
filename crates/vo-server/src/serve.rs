//! The HTTP server: every endpoint crate's routes, with what operators need of each node
//! (`operations`: request ids, metrics, health, readiness, the drain).

use crate::config::Config;
use crate::operations;
use crate::registry;
use crate::tls;
use actix_web::dev::Service;
use actix_web::{web, App, HttpServer};

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (overrides server.bind / VO_BIND).
    #[arg(long)]
    bind: Option<String>,
    /// Port to listen on (overrides server.port / VO_PORT).
    #[arg(long)]
    port: Option<u16>,
}

/// The services whose asynchronous jobs this node executes under its lease.
pub(crate) const JOB_SERVICES: &[&str] = &["tap", "soda"];

pub fn run(mut config: Config, args: ServeArgs) -> anyhow::Result<()> {
    if let Some(bind) = args.bind {
        config.server.bind = bind;
    }
    if let Some(port) = args.port {
        config.server.port = port;
    }
    actix_web::rt::System::new().block_on(serve(config))
}

/// The data directory, with the demo's maker when the demo in the database has files made on
/// first access.
async fn data_directory(
    config: &Config,
    pool: &vo_db::Pool,
) -> anyhow::Result<vo_archive::DataDir> {
    let dir = vo_archive::DataDir::new(config.data.dir.clone());
    let Ok(client) = pool.get().await else {
        // the database is down: no demo to make files for until a restart finds it
        return Ok(dir);
    };
    Ok(
        match vo_demo::FilesOnAccess::from_database(&client).await? {
            Some(maker) => {
                tracing::info!("the demo's small files are made on first access");
                dir.making_with(std::sync::Arc::new(maker))
            }
            None => dir,
        },
    )
}

/// The name resolver over the shipped catalogue (the archive's targets are added by its
/// refresh); a missing or unreadable catalogue leaves the archive's targets alone. With the
/// catalogue, its objects and the file's digest (for object types in the database).
fn name_resolver(config: &Config) -> (vo_resolve::Names, Option<(Vec<vo_names::Object>, String)>) {
    let path = config
        .names
        .catalogue
        .clone()
        .unwrap_or_else(|| config.data.dir.join("names").join("openngc.tsv"));
    let objects = std::fs::read_to_string(&path)
        .map_err(|e| e.to_string())
        .and_then(|text| {
            let digest = vo_resolve::catalogue_digest(&text);
            vo_names::read_catalogue(&text, vo_names::Origin::OpenNgc).map(|o| (o, digest))
        });
    match objects {
        Ok((objects, digest)) => {
            tracing::info!(objects = objects.len(), catalogue = %path.display(), "names resolve through the catalogue and the archive's targets");
            (
                vo_resolve::Names::new(objects.clone()),
                Some((objects, digest)),
            )
        }
        Err(e) => {
            tracing::warn!(catalogue = %path.display(), error = %e, "no name catalogue: names resolve to the archive's targets only (deploy/openngc.py writes it)");
            (vo_resolve::Names::new(Vec::new()), None)
        }
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    // bring the schema up to date (a new release may add tables); a database that is down
    // now is reported by /availability and used once it is back
    match vo_db::connect(&config.database_params()).await {
        Ok(mut client) => match vo_db::migrate(&mut client, &config.catalogue()).await {
            Ok(applied) => {
                for name in applied {
                    tracing::info!(migration = %name, "applied");
                }
            }
            Err(e) => anyhow::bail!("migrating the database: {e}"),
        },
        Err(e) => tracing::warn!(error = %e, "the database is not reachable yet"),
    }
    let pool = vo_db::make_pool(&config.database_params(), config.database.pool_size)
        .map_err(anyhow::Error::msg)?;
    check_query_role(&pool).await?;
    // synchronous queries (TAP, SIA2) run on sessions set up once as the query role, with
    // the synchronous time limit: no transaction or settings per query
    let sync_limit = std::time::Duration::from_secs(config.tap.sync_seconds);
    // one shard of sessions per HTTP worker, so a query's connection is its worker's own
    let workers = config.server.worker_threads();
    let query_sessions = vo_db::make_query_pool(
        &config.database_params(),
        config.database.pool_size,
        workers,
        vo_query::QUERY_ROLE,
        sync_limit,
    )
    .map_err(anyhow::Error::msg)?;
    // reads (sync and async queries, the page's) go to the streaming replicas in rotation
    let reads = std::sync::Arc::new(
        vo_db::Reads::primary_only(pool.clone(), Some(query_sessions))
            .with_replicas(
                &config.database.replicas,
                config.database.pool_size,
                workers,
                vo_query::QUERY_ROLE,
                sync_limit,
            )
            .map_err(anyhow::Error::msg)?,
    );
    actix_web::rt::spawn(vo_db::watch_replicas(
        reads.clone(),
        std::time::Duration::from_secs(config.database.replica_check_seconds.max(1)),
        std::time::Duration::from_secs(config.database.replica_max_lag_seconds),
    ));
    if !config.tls_enabled() && !config.public_url().starts_with("https://") {
        tracing::warn!(
            "serving plain HTTP: passwords and tokens cross the network readable; set \
             server.tls_certificate and server.tls_key, or put an HTTPS proxy in front (server.public_url)"
        );
    }
    let pool = web::Data::new(pool);
    let catalogue = std::sync::Arc::new(config.catalogue());
    let sia2 = vo_sia2::Sia2Service {
        catalogue: catalogue.clone(),
        maxrec_default: config.tap.maxrec_default,
        maxrec_hard: config.tap.maxrec_hard,
        seconds: config.tap.sync_seconds,
        reads: Some(reads.clone()),
    };
    let data_dir = data_directory(&config, &pool).await?;
    let datalink = vo_datalink::DataLinkService {
        data_dir: data_dir.clone(),
        max_ids: 1000,
    };
    let reference = vo_reference::Reference::load(
        &config
            .spectra
            .reference
            .clone()
            .unwrap_or_else(|| config.data.dir.join("reference")),
    );
    // what the nodes make and share: jobs' uploads and results, previews; in a bucket, each
    // node writes in a scratch directory of its own
    let jobs_dir = config.data.dir.join("jobs");
    // this node's name (its jobs' leases, its scratch directory)
    let lease = config.lease();
    let scratch = jobs_dir.join(&lease.node);
    let (storage, previews) = match &config.storage.bucket {
        Some(bucket) => (
            vo_storage::Storage::bucket(bucket, "jobs", scratch.clone()),
            vo_storage::Storage::bucket(bucket, "previews", scratch),
        ),
        None => (
            Ok(vo_storage::Storage::Directory(jobs_dir.clone())),
            Ok(vo_storage::Storage::Directory(
                config.data.dir.join("previews"),
            )),
        ),
    };
    let storage = storage.map_err(|e| anyhow::anyhow!("storage.bucket: {e}"))?;
    let previews = previews.map_err(|e| anyhow::anyhow!("storage.bucket: {e}"))?;
    tracing::info!(jobs = %storage.describe_place(), previews = %previews.describe_place(), "what the nodes make is kept");
    let download = vo_download::DownloadService {
        data_dir: data_dir.clone(),
        script_streams: 4,
        lines: reference.shared_lines(),
        signed_url_seconds: config.access.signed_url_seconds,
        previews,
    };
    let requests = vo_requests::RequestService {
        data_dir: data_dir.clone(),
        notify: config.notify.clone(),
    };
    let viewer = vo_viewer::ViewerService {
        data_dir: data_dir.clone(),
    };
    let soda = vo_soda::SodaService {
        data_dir,
        limits: config.soda.clone(),
    };
    let tap = vo_tap::TapService {
        catalogue,
        limits: config.tap.clone(),
        public_url: config.public_url().trim_end_matches('/').to_string(),
        reads: Some(reads.clone()),
    };
    // asynchronous jobs of every service share one storage (job ids are unique)
    for (service, limits) in [("tap", &config.tap.jobs), ("soda", &config.soda.jobs)] {
        if limits.workers > 1 && limits.workers_per_client >= limits.workers {
            tracing::warn!(
                "{service}.async.workers_per_client ({}) is not below {service}.async.workers ({}): one client's jobs can take every worker, and other clients' jobs wait behind them",
                limits.workers_per_client,
                limits.workers
            );
        }
    }
    let tap_jobs = vo_tap::jobs(&tap, jobs_dir.clone())
        .with_quotas(config.quotas.clone())
        .with_storage(storage.clone());
    let soda_jobs = vo_soda::jobs(&soda, jobs_dir)
        .with_quotas(config.quotas.clone())
        .with_storage(storage);
    vo_uws_service::name_is_free(pool.get_ref(), &lease, JOB_SERVICES)
        .await
        .map_err(anyhow::Error::msg)?;
    tracing::info!(node = %lease.node, lease_seconds = lease.term.as_secs(), "this node's jobs are held under its name");
    vo_uws_service::start_workers(tap_jobs.clone(), pool.get_ref().clone(), lease.clone());
    vo_uws_service::start_workers(soda_jobs.clone(), pool.get_ref().clone(), lease.clone());
    config.web.check().map_err(|e| anyhow::anyhow!(e))?;
    let web_page = config.web.clone();
    let access = vo_access::AccessService {
        token_lifetime: std::time::Duration::from_secs(config.access.token_seconds),
    };
    start_release_clock(
        pool.get_ref().clone(),
        std::time::Duration::from_secs(config.access.release_check_seconds.max(1)),
    );
    let (names, catalogue_objects) = name_resolver(&config);
    if let Some((objects, digest)) = catalogue_objects {
        // object types: the catalogue in the database, each observation's objects found
        // again when it is new there (in the background: minutes at a million rows)
        let pool = pool.get_ref().clone();
        actix_web::rt::spawn(async move {
            match vo_resolve::sync_catalogue(&pool, &objects, &digest).await {
                Ok(Some(found)) => tracing::info!(
                    pairs = found,
                    "catalogue objects found in the observations' footprints"
                ),
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "loading the catalogue's objects for object types")
                }
            }
        });
    }
    match vo_resolve::refresh_now(&names, pool.get_ref()).await {
        Ok(count) => tracing::info!(targets = count, "the archive's target names resolve"),
        Err(e) => {
            tracing::warn!(error = %e, "reading the archive's target names; they resolve once the database answers")
        }
    }
    vo_resolve::start_refresh(
        names.clone(),
        pool.get_ref().clone(),
        std::time::Duration::from_secs(config.names.refresh_seconds.max(1)),
    );
    // the background work on the archive's projects, images and cubes, at one pace
    let every = std::time::Duration::from_secs(config.similarity.refresh_seconds.max(1));
    let similar_projects = vo_similar::SimilarProjects::default();
    vo_similar::start_indexing(similar_projects.clone(), pool.get_ref().clone(), every);
    vo_download::start_surveying(download.clone(), pool.get_ref().clone(), every);
    let similar_images = vo_similar::SimilarImages::default();
    vo_similar::start_measuring(
        similar_images.clone(),
        pool.get_ref().clone(),
        config.data.dir.clone(),
        every,
    );
    // the holdings' coverage maps, made again at the pace of the other background work
    let coverages = vo_moc::Coverages::new(every);
    let address = web::Data::new(config.service_address()?);
    let body_deadline = web::Data::new(vo_endpoint::BodyDeadline(std::time::Duration::from_secs(
        config.server.body_seconds.max(1),
    )));
    let server_limits = web::Data::new(vo_tap::ServerLimits {
        per_client_requests: config.access.per_client_requests,
        quotas: config.quotas.clone(),
    });
    // the registry records, refreshed on one node at a time; /oai serves them
    let registry =
        registry::RegistrySources::new(&config, &tap, &server_limits, &sia2, coverages.clone());
    let oai = registry.oai();
    registry::start_refreshing(
        pool.get_ref().clone(),
        registry,
        std::time::Duration::from_secs(config.registry.refresh_seconds.max(1)),
    );
    vo_endpoint::log_panics_with_their_requests();
    // one counter for every worker thread, so the limit is per server, not per thread
    let client_limit = vo_endpoint::ClientLimit::new(config.access.per_client_requests);
    let listen = (config.server.bind.clone(), config.server.port);
    let draining = operations::Draining::default();
    let pools = operations::Pools(reads.clone());
    let drain_state = draining.clone();
    let job_pool = pool.get_ref().clone();
    // how long a drain waits for the answers under way
    let finish = std::time::Duration::from_secs(config.server.drain_seconds.max(1) * 6);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(pool.clone())
            .app_data(web::Data::from(reads.clone()))
            .app_data(address.clone())
            .app_data(body_deadline.clone())
            .app_data(server_limits.clone())
            .wrap(actix_web::middleware::DefaultHeaders::new().add((
                actix_web::http::header::SERVER,
                concat!("voarchive/", env!("CARGO_PKG_VERSION")),
            )))
            // text answers compressed when the client asks (gzip, brotli), files never
            .wrap_fn(|request, service| {
                let answer = service.call(request);
                async move { answer.await.map(vo_endpoint::keep_as_is) }
            })
            .wrap(actix_web::middleware::Compress::default())
            .wrap_fn(|request, service| {
                let answer = service.call(request);
                async move { answer.await.map(vo_endpoint::drop_identity) }
            })
            // a slot is taken only by a request the front door let in
            .wrap(client_limit.clone())
            // limits of the request head, the Host, panics, bodies of error answers
            .wrap(vo_endpoint::FrontDoor)
            // outermost: every request counted and logged once its answer is sent
            .wrap_fn(|request, service| {
                let arrival = operations::request_arrived(&request);
                let response = service.call(request);
                async move {
                    match response.await {
                        Ok(answer) => Ok(arrival.answered(answer)),
                        Err(e) => {
                            arrival.failed(e.as_response_error().status_code().as_u16());
                            Err(e)
                        }
                    }
                }
            })
            .configure(operations::configure(draining.clone(), pools.clone()))
            .configure(vo_tap::configure(tap.clone(), tap_jobs.clone()))
            .configure(vo_sia2::configure(sia2.clone()))
            .configure(vo_datalink::configure(datalink.clone()))
            .configure(vo_download::configure(download.clone()))
            .configure(vo_soda::configure(soda.clone(), soda_jobs.clone()))
            .configure(vo_access::configure(access.clone()))
            .configure(vo_resolve::configure(names.clone()))
            .configure(vo_similar::configure(
                similar_projects.clone(),
                similar_images.clone(),
            ))
            .configure(vo_reference::configure(reference.clone()))
            .configure(vo_viewer::configure(viewer.clone()))
            .configure(vo_calendar::configure)
            .configure(vo_requests::configure(requests.clone()))
            .configure(vo_moc::configure(coverages.clone()))
            .configure(vo_oai::configure(oai.clone()))
            .configure(vo_web::configure(web_page.clone()))
            .default_service(web::to(no_such_resource))
    })
    // the drain is this node's own (operations::drain_on_signal)
    .disable_signals()
    .shutdown_timeout(finish.as_secs())
    .on_connect(no_delay)
    .workers(workers);
    let address = listen;
    let server = match (&config.server.tls_certificate, &config.server.tls_key) {
        (Some(certificate), Some(key)) => {
            server.bind_rustls_0_23(&address, tls::server_config(certificate, key)?)
        }
        (None, None) => server.bind(&address),
        _ => anyhow::bail!(
            "server.tls_certificate and server.tls_key go together: set both for HTTPS, or neither"
        ),
    }
    .map_err(|e| anyhow::anyhow!("cannot listen on {}:{}: {e}", address.0, address.1))?;
    tracing::info!(address = %format!("{}:{}", address.0, address.1), public_url = %config.public_url(), "listening");
    let server = server.run();
    // the jobs this node executes go back to the queue before its workers stop
    let handed_at_drain = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let hand_back_at_drain = {
        let (pool, lease, handed) = (job_pool.clone(), lease.clone(), handed_at_drain.clone());
        async move {
            let n = vo_uws_service::hand_back(&pool, &lease, JOB_SERVICES).await;
            handed.store(n, std::sync::atomic::Ordering::SeqCst);
        }
    };
    actix_web::rt::spawn(operations::drain_on_signal(
        drain_state,
        server.handle(),
        std::time::Duration::from_secs(config.server.drain_seconds),
        finish,
        hand_back_at_drain,
    ));
    server.await?;
    // and any left (the server stopped without a drain)
    let handed = handed_at_drain.load(std::sync::atomic::Ordering::SeqCst)
        + vo_uws_service::hand_back(&job_pool, &lease, JOB_SERVICES).await;
    tracing::info!(jobs_handed_back = handed, "server stopped");
    Ok(())
}

/// Turns Nagle's algorithm off on every connection. With it on, the last small write of a
/// streamed response on a kept-alive connection waits for the client's delayed ACK: about
/// 40 ms added to every request after a connection's first.
fn no_delay(connection: &dyn std::any::Any, _: &mut actix_web::dev::Extensions) {
    use actix_web::rt::net::TcpStream;
    let tcp = if let Some(plain) = connection.downcast_ref::<TcpStream>() {
        plain
    } else if let Some(tls) =
        connection.downcast_ref::<actix_tls::accept::rustls_0_23::TlsStream<TcpStream>>()
    {
        tls.get_ref().0
    } else {
        return;
    };
    if let Err(e) = tcp.set_nodelay(true) {
        tracing::debug!("cannot set TCP_NODELAY: {e}");
    }
}

/// Marks data public in ivoa.obscore once their release date has passed (files follow the
/// release date by themselves), and forgets expired tokens — at start, then periodically, on
/// one node of the service at a time.
/// Only rows still marked proprietary are looked at; ingest and the operator commands that
/// move release dates reconcile everything (`archive.sync_release()`).
fn start_release_clock(pool: vo_db::Pool, every: std::time::Duration) {
    actix_web::rt::spawn(async move {
        loop {
            if let Ok(client) = pool.get().await {
                // on one node of the service at a time: the others count 0
                match client
                    .query_one(
                        "SELECT CASE WHEN archive.take_duty('release clock') \
                         THEN archive.release_due() ELSE 0 END",
                        &[],
                    )
                    .await
                {
                    Ok(row) if row.get::<_, i64>(0) > 0 => {
                        tracing::info!(
                            rows = row.get::<_, i64>(0),
                            "release dates applied to ivoa.obscore"
                        )
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "cannot apply release dates"),
                }
                if let Err(e) = vo_auth::delete_expired_tokens(&client).await {
                    tracing::warn!(error = %e, "cannot delete expired tokens");
                }
            }
            tokio::time::sleep(every).await;
        }
    });
}

/// Queries run as the role migration 0007 made; a server whose database user cannot take
/// that role would answer every query with an error, so it says so at once.
async fn check_query_role(pool: &vo_db::Pool) -> anyhow::Result<()> {
    let Ok(client) = pool.get().await else {
        return Ok(()); // the database is down: /availability reports it
    };
    let probe = format!("BEGIN; SET LOCAL ROLE {}; COMMIT", vo_query::QUERY_ROLE);
    if let Err(e) = client.batch_execute(&probe).await {
        let _ = client.batch_execute("ROLLBACK").await;
        anyhow::bail!(
            "the database user cannot take the role {} that queries run as ({e}); \
             grant it: GRANT {} TO <the service's database user>",
            vo_query::QUERY_ROLE,
            vo_query::QUERY_ROLE
        );
    }
    Ok(())
}

/// What a request that matches no route gets: a 404 that names the places that exist.
async fn no_such_resource(request: actix_web::HttpRequest) -> actix_web::HttpResponse {
    use vo_catalogue::routes;
    actix_web::HttpResponse::NotFound()
        .content_type("text/plain; charset=utf-8")
        .body(format!(
            "nothing here answers {} {}; the query page is /, the IVOA services are {tap}, {sia2}, {datalink} and {soda} (each describes itself at its /capabilities), files are at {portal}/NAME (a download script at {portal}/script?ID=…), previews at {preview}/NAME/peak.png, and sign-in at {realm}/protocol/openid-connect/token\n",
            request.method(),
            request.path().chars().take(200).collect::<String>(),
            tap = routes::TAP,
            sia2 = routes::SIA2,
            datalink = routes::DATALINK,
            soda = routes::SODA,
            portal = routes::DATA_PORTAL,
            preview = routes::PREVIEW,
            realm = vo_access::REALM_PATH,
        ))
}

#[cfg(test)]
mod tests {
    use super::no_delay;

    #[actix_web::test]
    async fn connections_get_tcp_nodelay() {
        let listener = actix_web::rt::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap();
        let address = listener.local_addr().unwrap();
        let client = actix_web::rt::net::TcpStream::connect(address)
            .await
            .unwrap();
        let (accepted, _) = listener.accept().await.unwrap();
        assert!(!accepted.nodelay().unwrap(), "Nagle is on by default");
        no_delay(&accepted, &mut actix_web::dev::Extensions::new());
        assert!(accepted.nodelay().unwrap());
        drop(client);
    }
}
