//! Fetching a table named by URL (`UPLOAD=name,https://…`) without becoming a way into the
//! service's own network: the host must resolve to public addresses — every address it
//! resolves to is checked, at every redirect, and connections go only to checked addresses —
//! unless the operator allows private hosts (`[tap] upload_from_private_hosts`).

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use vo_endpoint::Failure;

/// How long the service waits for a table named by URL.
const FETCH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// Whether an address is reachable from the internet at large, as the IANA special-purpose
/// registries classify it (the `ip_network` crate): not loopback, private, link-local,
/// site-local, shared, documentation, benchmarking, reserved or unspecified — nor multicast. An
/// IPv6 address that carries an IPv4 one (IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible
/// `::a.b.c.d`, NAT64 `64:ff9b::/96` and `64:ff9b:1::/48`, 6to4 `2002::/16`) is public only
/// if the IPv4 address inside is too: each reaches that IPv4 host.
pub fn is_public(ip: IpAddr) -> bool {
    // the registries' "globally reachable" does not speak of multicast, which is no host
    let network = ip_network::IpNetwork::from(ip);
    if !network.is_global() || network.is_multicast() {
        return false;
    }
    match ip {
        IpAddr::V4(_) => true,
        IpAddr::V6(v6) => embedded_ipv4(v6).is_none_or(|v4| is_public(IpAddr::V4(v4))),
    }
}

/// The IPv4 address an IPv6 transition address leads to, if it is one.
fn embedded_ipv4(v6: std::net::Ipv6Addr) -> Option<std::net::Ipv4Addr> {
    let s = v6.segments();
    let last32 =
        std::net::Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    match s {
        // IPv4-mapped and IPv4-compatible (::/96, deprecated)
        [0, 0, 0, 0, 0, 0xffff, ..] | [0, 0, 0, 0, 0, 0, ..] => Some(last32),
        // NAT64: the well-known prefix and the local-use one (RFC 6052, RFC 8215)
        [0x64, 0xff9b, 0, 0, 0, 0, ..] | [0x64, 0xff9b, 1, ..] => Some(last32),
        // 6to4: the IPv4 address follows the prefix
        [0x2002, hi, lo, ..] => Some(std::net::Ipv4Addr::new(
            (hi >> 8) as u8,
            hi as u8,
            (lo >> 8) as u8,
            lo as u8,
        )),
        _ => None,
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
            "::ffff:10.0.0.1",
            "::127.0.0.1",
            "64:ff9b::7f00:1",
            "64:ff9b::a00:1",
            "64:ff9b:1::a00:1",
            "2002:7f00:1::1",
            "2002:c0a8:101::1",
            "fec0::1",
            "2001:db8::1",
            "::",
            "224.0.0.1",
            "198.18.0.1",
            "240.0.0.1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in [
            "8.8.8.8",
            "193.40.1.1",
            "2001:4860:4860::8888",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }
}
