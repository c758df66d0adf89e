//! HTTPS: the rustls server configuration from a PEM certificate chain and private key.

use std::path::Path;

pub fn server_config(certificate: &Path, key: &Path) -> anyhow::Result<rustls::ServerConfig> {
    let read = |path: &Path| {
        std::fs::read(path).map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))
    };
    let chain = rustls_pemfile::certs(&mut read(certificate)?.as_slice())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            anyhow::anyhow!(
                "{}: not a PEM certificate chain: {e}",
                certificate.display()
            )
        })?;
    anyhow::ensure!(
        !chain.is_empty(),
        "{}: no certificate in it (expected -----BEGIN CERTIFICATE-----)",
        certificate.display()
    );
    let private_key = rustls_pemfile::private_key(&mut read(key)?.as_slice())
        .map_err(|e| anyhow::anyhow!("{}: not a PEM private key: {e}", key.display()))?
        .ok_or_else(|| anyhow::anyhow!("{}: no private key in it", key.display()))?;
    rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| anyhow::anyhow!("TLS protocol versions: {e}"))?
    .with_no_client_auth()
    .with_single_cert(chain, private_key)
    .map_err(|e| {
        anyhow::anyhow!(
            "{} and {} do not make a TLS identity: {e}",
            certificate.display(),
            key.display()
        )
    })
}
