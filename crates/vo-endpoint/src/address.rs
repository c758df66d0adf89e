//! The service's own address, and who a client is — from the configuration, never from what a
//! client claims.
//!
//! Absolute URLs the service writes (capabilities, job documents, DataLink access URLs,
//! download scripts, the token endpoint in OpenID discovery) come from `server.public_url`
//! when it is set. Without it they come from the request's `Host`, which is then accepted only
//! when it names this machine (loopback) or a host the operator listed — so a request with a
//! forged `Host` cannot make a cache in front store documents pointing somewhere else.
//! `X-Forwarded-Host`, `X-Forwarded-Proto` and `X-Forwarded-For` are read only from peers in
//! `server.trusted_proxies`; from anyone else they are ignored.

use actix_web::http::header::{self, HeaderMap};
use actix_web::{web, HttpRequest};
use ip_network::IpNetwork;
use std::net::IpAddr;

/// The client of a request whose peer address is unknown; all such requests count as one.
pub(crate) const UNKNOWN_CLIENT: &str = "unknown client";

/// The service's address and the proxies it trusts, from the configuration.
#[derive(Debug, Clone, Default)]
pub struct ServiceAddress {
    public_url: Option<String>,
    /// Host names (lower case, without port) accepted when there is no public URL, besides
    /// loopback.
    allowed_hosts: Vec<String>,
    trusted_proxies: Vec<IpNetwork>,
}

impl ServiceAddress {
    /// `public_url` (used for every URL when set), the host names to accept without it, and
    /// the proxies (addresses or CIDR networks) whose forwarding headers are believed.
    pub fn new(
        public_url: Option<&str>,
        allowed_hosts: &[String],
        trusted_proxies: &[String],
    ) -> Result<ServiceAddress, String> {
        let trusted_proxies = trusted_proxies
            .iter()
            .map(|p| {
                let text = p.trim();
                let cidr = if text.contains('/') {
                    text.to_string()
                } else if text.contains(':') {
                    format!("{text}/128")
                } else {
                    format!("{text}/32")
                };
                cidr.parse::<IpNetwork>().map_err(|e| {
                    format!("server.trusted_proxies: '{p}' is not an address or network ({e})")
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(ServiceAddress {
            public_url: public_url.map(|u| u.trim_end_matches('/').to_string()),
            allowed_hosts: allowed_hosts
                .iter()
                .map(|h| host_name(h.trim()).unwrap_or(h.trim()).to_ascii_lowercase())
                .collect(),
            trusted_proxies,
        })
    }

    /// The configured address of a request's application (loopback only, no proxies, when
    /// none is registered).
    pub fn of(request: &HttpRequest) -> web::Data<ServiceAddress> {
        request
            .app_data::<web::Data<ServiceAddress>>()
            .cloned()
            .unwrap_or_else(|| web::Data::new(ServiceAddress::default()))
    }

    fn trusts(&self, peer: Option<IpAddr>) -> bool {
        peer.is_some_and(|ip| self.trusted_proxies.iter().any(|n| n.contains(ip)))
    }

    /// The first value of header `name` if the request came from a trusted proxy.
    pub(crate) fn forwarded_header(&self, request: &HttpRequest, name: &str) -> Option<String> {
        self.trusts(request.peer_addr().map(|a| a.ip()))
            .then(|| first_value(request.headers(), name))
            .flatten()
    }

    /// The host (with port) a request asked for: a trusted proxy's X-Forwarded-Host, else
    /// its Host header.
    fn requested_host(&self, request: &HttpRequest) -> String {
        let forwarded = self
            .trusts(request.peer_addr().map(|a| a.ip()))
            .then(|| first_value(request.headers(), "x-forwarded-host"))
            .flatten();
        forwarded
            .or_else(|| {
                request
                    .headers()
                    .get(header::HOST)
                    .and_then(|h| h.to_str().ok())
                    .map(str::to_string)
            })
            .or_else(|| request.uri().authority().map(|a| a.to_string()))
            .unwrap_or_else(|| request.app_config().host().to_string())
    }

    /// Why the service will not answer a request addressed to its Host, or `None`: with a
    /// public URL any Host is fine (nothing is built from it); without one, it must name
    /// this machine or an allowed host.
    pub fn host_problem(&self, request: &HttpRequest) -> Option<String> {
        if self.public_url.is_some() {
            return None;
        }
        let requested = self.requested_host(request);
        let shown: String = requested.chars().take(100).collect();
        let Some(name) = host_name(&requested).map(str::to_ascii_lowercase) else {
            return Some(format!(
                "the Host '{shown}' is not a host name with an optional port; send the name the service is reached at"
            ));
        };
        if is_loopback_name(&name) || self.allowed_hosts.contains(&name) {
            return None;
        }
        let mut known = vec!["localhost", "127.0.0.1", "[::1]"];
        for host in &self.allowed_hosts {
            if !known.contains(&host.as_str()) {
                known.push(host);
            }
        }
        Some(format!(
            "this service does not answer to the host name '{shown}': it answers to {} (an operator serving other names sets server.public_url, or server.allowed_hosts)",
            known.join(", ")
        ))
    }

    /// `scheme://host[:port]` for absolute URLs: the public URL, else what the request was
    /// addressed to (checked by [`Self::host_problem`] before any endpoint runs).
    pub fn base_url(&self, request: &HttpRequest) -> String {
        if let Some(url) = &self.public_url {
            return url.clone();
        }
        let peer = request.peer_addr().map(|a| a.ip());
        let forwarded_scheme = self
            .trusts(peer)
            .then(|| first_value(request.headers(), "x-forwarded-proto"))
            .flatten()
            .filter(|s| s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https"));
        let scheme = forwarded_scheme.unwrap_or_else(|| {
            if request.app_config().secure() {
                "https".into()
            } else {
                "http".into()
            }
        });
        format!(
            "{}://{}",
            scheme.to_ascii_lowercase(),
            self.requested_host(request)
        )
    }

    /// Who a request counts against: its peer's address, or behind a trusted proxy the
    /// nearest address in X-Forwarded-For that is not a trusted proxy; an IPv6 address by
    /// its /64 (one host usually has a whole /64 to choose from).
    pub fn client(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> String {
        let mut client = peer;
        if self.trusts(peer) {
            let chain: Vec<&str> = headers
                .get_all("x-forwarded-for")
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .collect();
            // from the nearest hop outwards, while the hops are trusted proxies; an entry
            // that is not an address ends the walk (what lies beyond it is anyone's claim)
            for entry in chain.into_iter().rev() {
                let Some(ip) = forwarded_address(entry) else {
                    break;
                };
                client = Some(ip);
                if !self.trusts(Some(ip)) {
                    break;
                }
            }
        }
        match client {
            Some(IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
            Some(IpAddr::V6(v6)) => v6.to_ipv4_mapped().expect("checked").to_string(),
            Some(ip) => ip.to_string(),
            None => UNKNOWN_CLIENT.to_string(),
        }
    }
}

/// The service's address as the client sees it, for absolute URLs in documents.
pub fn base_url(request: &HttpRequest) -> String {
    ServiceAddress::of(request).base_url(request)
}

/// Who a request counts against (per-client limits and quotas).
pub fn client_of(request: &HttpRequest) -> String {
    ServiceAddress::of(request).client(request.peer_addr().map(|a| a.ip()), request.headers())
}

/// An address of X-Forwarded-For: `a.b.c.d`, `a.b.c.d:port`, an IPv6 address, or
/// `[IPv6]:port`.
fn forwarded_address(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    if let Ok(ip) = entry.parse() {
        return Some(ip);
    }
    if let Some(rest) = entry.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    entry.rsplit_once(':')?.0.parse().ok()
}

fn first_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The host name of a `Host` value, if it is `name`, `name:port`, `[IPv6]` or `[IPv6]:port`
/// with a name of letters, digits, `-` and `.` and a port of digits — nothing else (a `Host`
/// such as `localhost:@evil.example` must not pass as loopback).
fn host_name(host: &str) -> Option<&str> {
    let (name, port) = if host.starts_with('[') {
        let end = host.find(']')?;
        let literal = &host[1..end];
        literal.parse::<std::net::Ipv6Addr>().ok()?;
        let rest = &host[end + 1..];
        (
            &host[..=end],
            if rest.is_empty() {
                None
            } else {
                Some(rest.strip_prefix(':')?)
            },
        )
    } else {
        match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    let name_ok = name.starts_with('[')
        || (!name.is_empty()
            && name.len() <= 253
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.'));
    let port_ok =
        port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    (name_ok && port_ok).then_some(name)
}

fn is_loopback_name(name: &str) -> bool {
    name == "localhost"
        || name.ends_with(".localhost")
        || name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn request(host: &str, peer: &str, extra: &[(&str, &str)]) -> HttpRequest {
        let mut r = TestRequest::default()
            .insert_header((header::HOST, host))
            .peer_addr(peer.parse().unwrap());
        for (k, v) in extra {
            r = r.insert_header((*k, *v));
        }
        r.to_http_request()
    }

    #[test]
    fn without_a_public_url_only_loopback_and_allowed_hosts_are_answered() {
        let address = ServiceAddress::new(None, &["archive.example.org".into()], &[]).unwrap();
        for ok in [
            "127.0.0.1:8080",
            "localhost",
            "[::1]:8080",
            "Archive.Example.org:443",
        ] {
            let r = request(ok, "10.0.0.9:5000", &[]);
            assert_eq!(address.host_problem(&r), None, "{ok}");
        }
        for forged in [
            "localhost:@evil.example.com",
            "[::1]junk",
            "localhost:80/x",
            "127.0.0.1:8080:9",
            "[::1]:x",
            "local host",
        ] {
            let r = request(forged, "10.0.0.9:5000", &[]);
            assert!(address.host_problem(&r).is_some(), "{forged} passes");
        }
        let r = request("evil.example.com", "10.0.0.9:5000", &[]);
        let problem = address.host_problem(&r).unwrap();
        assert!(problem.contains("'evil.example.com'") && problem.contains("server.public_url"));
        let r = request(
            "127.0.0.1:8080",
            "10.0.0.9:5000",
            &[
                ("x-forwarded-host", "evil.example.com"),
                ("x-forwarded-proto", "https"),
            ],
        );
        assert_eq!(
            address.base_url(&r),
            "http://127.0.0.1:8080",
            "an untrusted peer's forwarding headers are ignored"
        );
    }

    #[test]
    fn a_public_url_is_used_whatever_the_request_says() {
        let address = ServiceAddress::new(Some("https://archive.example.org/"), &[], &[]).unwrap();
        let r = request(
            "evil.example.com",
            "10.0.0.9:5000",
            &[("x-forwarded-host", "evil.example.com")],
        );
        assert_eq!(address.host_problem(&r), None);
        assert_eq!(address.base_url(&r), "https://archive.example.org");
    }

    #[test]
    fn trusted_proxies_forward_host_scheme_and_client() {
        let address = ServiceAddress::new(
            None,
            &["archive.example.org".into()],
            &["10.0.0.0/8".into(), "::1".into()],
        )
        .unwrap();
        let r = request(
            "127.0.0.1:8080",
            "10.0.0.2:5000",
            &[
                ("x-forwarded-host", "archive.example.org"),
                ("x-forwarded-proto", "https"),
                ("x-forwarded-for", "1.2.3.4, 10.0.0.7"),
            ],
        );
        assert_eq!(address.host_problem(&r), None);
        assert_eq!(address.base_url(&r), "https://archive.example.org");
        // (forwarded for, peer) → the client the request counts against
        for (forwarded, peer, client, why) in [
            (
                "1.2.3.4, 10.0.0.7",
                "10.0.0.2:5000",
                "1.2.3.4",
                "the nearest untrusted address",
            ),
            (
                "9.9.9.9, 1.2.3.4",
                "10.0.0.2:5000",
                "1.2.3.4",
                "a forged entry further left does not help",
            ),
            (
                "9.9.9.9, 1.2.3.4:5678",
                "10.0.0.2:5000",
                "1.2.3.4",
                "a port is not part of the address",
            ),
            (
                "9.9.9.9, unknown, 10.0.0.7",
                "10.0.0.2:5000",
                "10.0.0.7",
                "the walk stops at what is not an address",
            ),
            (
                "1.2.3.4",
                "192.0.2.1:5000",
                "192.0.2.1",
                "from an untrusted peer the header means nothing",
            ),
            (
                "",
                "[2001:db8:1:2:3:4:5:6]:5000",
                "2001:db8:1:2::/64",
                "an IPv6 client by its /64",
            ),
        ] {
            let headers: Vec<(&str, &str)> = if forwarded.is_empty() {
                Vec::new()
            } else {
                vec![("x-forwarded-for", forwarded)]
            };
            let r = request("127.0.0.1", peer, &headers);
            assert_eq!(
                address.client(r.peer_addr().map(|a| a.ip()), r.headers()),
                client,
                "{why}"
            );
        }
        assert!(ServiceAddress::new(None, &[], &["not an address".into()]).is_err());
    }
}
