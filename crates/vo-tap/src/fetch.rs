//! Fetching a table named by URL (`UPLOAD=name,https://…`) without becoming a way into the
//! service's own network: the host must resolve to public addresses — every address it
//! resolves to is checked, at every redirect, and connections go only to checked addresses —
//! unless the operator allows private hosts (`[tap] upload_from_private_hosts`).

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use vo_endpoint::Failure;

/// How long the service waits for a table named by URL.
const FETCH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// Whether an address is reachable from the internet at large (not loopback, private,
/// link-local, shared, documentation, multicast or unspecified).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.is_multicast()
                || a == 0
                || (a == 100 && (64..128).contains(&b)))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}

/// Resolves `host:port`, keeping only public addresses (or all, when private hosts are allowed).
fn resolve(netloc: &str, allow_private: bool) -> std::io::Result<Vec<SocketAddr>> {
    let all: Vec<SocketAddr> = netloc.to_socket_addrs()?.collect();
    let kept: Vec<SocketAddr> = all
        .iter()
        .copied()
        .filter(|a| allow_private || is_public(a.ip()))
        .collect();
    if kept.is_empty() && !all.is_empty() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            format!("{netloc} is a private or local address, which uploads may not be fetched from; send the table inline (UPLOAD=name,param:part)"),
        ));
    }
    Ok(kept)
}

/// The document at `url`, at most `max_bytes` long.
pub fn fetch(
    name: &str,
    url: &str,
    max_bytes: usize,
    allow_private: bool,
) -> Result<Vec<u8>, Failure> {
    use std::io::Read;
    let agent = ureq::AgentBuilder::new()
        .timeout(FETCH_TIMEOUT)
        .redirects(5)
        .resolver(move |netloc: &str| resolve(netloc, allow_private))
        .build();
    let response = agent
        .get(url)
        .call()
        .map_err(|e| Failure::bad_request(format!("UPLOAD {name}: could not fetch {url}: {e}")))?;
    let mut data = Vec::new();
    response
        .into_reader()
        .take(max_bytes as u64 + 1)
        .read_to_end(&mut data)
        .map_err(|e| Failure::bad_request(format!("UPLOAD {name}: reading {url} failed: {e}")))?;
    if data.len() > max_bytes {
        return Err(Failure::bad_request(format!(
            "UPLOAD {name}: {url} is larger than this service's upload limit of {max_bytes} bytes"
        )));
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::is_public;

    #[test]
    fn only_public_addresses_are_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "224.0.0.1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in ["8.8.8.8", "193.40.1.1", "2001:4860:4860::8888"] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }
}
