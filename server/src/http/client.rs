//! Who is asking, for the per-address rate limits: the client's real
//! address, not the TCP peer's. In production a TLS proxy sits in front of
//! the server (the `__Host-` cookie needs HTTPS), and every citizen of the
//! city would otherwise share the proxy's address and its limit.
//!
//! Only proxies the configuration names (`DIDAR_TRUSTED_PROXIES`) are
//! believed. Their `Forwarded` (RFC 7239) or `X-Forwarded-For` header is
//! read from the right — each proxy appends the peer it saw — skipping our
//! own trusted proxies; the first address that is not one of them is the
//! client. Whatever a client writes further left is its own claim and is
//! never believed. A peer that is not a trusted proxy is the client itself,
//! whatever headers it sends.
//!
//! IPv6 clients are keyed by their /64: one home or phone gets a whole
//! /64, so a single address per key would let one device take as many
//! buckets as it likes.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::str::FromStr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

use super::AppState;
use crate::error::ApiError;

/// A network of trusted proxies: an address, or an address with a prefix
/// length (`10.0.0.0/8`, `fd00::/8`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Network {
    address: IpAddr,
    prefix: u8,
}

#[derive(Debug, thiserror::Error)]
#[error("{0:?} is not an IP address or network (10.0.0.1, 10.0.0.0/8, fd00::/8)")]
pub struct NetworkError(String);

impl FromStr for Network {
    type Err = NetworkError;

    fn from_str(text: &str) -> Result<Network, NetworkError> {
        let error = || NetworkError(text.to_string());
        let (address, prefix) = match text.trim().split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text.trim(), None),
        };
        let address: IpAddr = address.parse().map_err(|_| error())?;
        let max = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(prefix) => prefix
                .parse()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(error)?,
        };
        Ok(Network { address, prefix })
    }
}

impl Network {
    fn contains(&self, address: IpAddr) -> bool {
        match (self.address, canonical(address)) {
            (IpAddr::V4(network), IpAddr::V4(address)) => {
                same_prefix(&network.octets(), &address.octets(), self.prefix)
            }
            (IpAddr::V6(network), IpAddr::V6(address)) => {
                same_prefix(&network.octets(), &address.octets(), self.prefix)
            }
            _ => false,
        }
    }
}

fn same_prefix(a: &[u8], b: &[u8], prefix: u8) -> bool {
    let bits = a.iter().zip(b).flat_map(|(x, y)| {
        (0..8)
            .rev()
            .map(move |bit| ((x >> bit) & 1) == ((y >> bit) & 1))
    });
    bits.take(usize::from(prefix)).all(|same| same)
}

/// An IPv4 address written as IPv6 (`::ffff:10.0.0.1`) is the IPv4 address.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        v4 => v4,
    }
}

/// The client's address, as a rate-limit key: an IPv4 address, or an IPv6
/// address's /64 network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientKey(String);

impl ClientKey {
    pub fn of(address: IpAddr) -> ClientKey {
        match canonical(address) {
            IpAddr::V4(v4) => ClientKey(v4.to_string()),
            IpAddr::V6(v6) => {
                let segments = v6.segments();
                let network = Ipv6Addr::new(
                    segments[0],
                    segments[1],
                    segments[2],
                    segments[3],
                    0,
                    0,
                    0,
                    0,
                );
                ClientKey(format!("{network}/64"))
            }
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key for `peer`, believing forwarding headers only from trusted
    /// proxies.
    pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &[Network]) -> ClientKey {
        let is_trusted = |address: IpAddr| trusted.iter().any(|network| network.contains(address));
        let mut client = peer;
        if is_trusted(peer) {
            for hop in forwarded_hops(headers).into_iter().rev() {
                // An entry that is not an address (`unknown`, a secret
                // token, garbage) ends the chain: the last good hop stands.
                let Some(hop) = hop else { break };
                client = hop;
                if !is_trusted(hop) {
                    break;
                }
            }
        }
        ClientKey::of(client)
    }
}

/// The addresses the forwarding header lists, leftmost first: `Forwarded`
/// when present (the standard), else `X-Forwarded-For`. Every header line
/// counts, in order.
fn forwarded_hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let forwarded: Vec<&str> = header_lines(headers, "forwarded");
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .flat_map(|line| line.split(','))
            .map(|element| {
                element
                    .split(';')
                    .find_map(|pair| {
                        let (name, value) = pair.trim().split_once('=')?;
                        name.eq_ignore_ascii_case("for").then_some(value)
                    })
                    .and_then(forwarded_address)
            })
            .collect();
    }
    header_lines(headers, "x-forwarded-for")
        .iter()
        .flat_map(|line| line.split(','))
        .map(|hop| forwarded_address(hop.trim()))
        .collect()
}

fn header_lines<'a>(headers: &'a HeaderMap, name: &str) -> Vec<&'a str> {
    headers
        .get_all(name)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect()
}

/// One hop's address: `1.2.3.4`, `1.2.3.4:5678`, `"[2001:db8::1]:443"`,
/// `2001:db8::1`.
fn forwarded_address(text: &str) -> Option<IpAddr> {
    let text = text.trim().trim_matches('"');
    if let Ok(address) = text.parse::<IpAddr>() {
        return Some(address);
    }
    if let Ok(socket) = text.parse::<SocketAddr>() {
        return Some(socket.ip());
    }
    let bracketed = text.strip_prefix('[')?.split(']').next()?;
    bracketed.parse().ok()
}

impl FromRequestParts<AppState> for ClientKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let ConnectInfo(peer) = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .copied()
            .ok_or_else(|| ApiError::Internal("the connection's address is missing".into()))?;
        Ok(ClientKey::resolve(
            peer.ip(),
            &parts.headers,
            &state.config.trusted_proxies,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).expect("header"));
        }
        map
    }

    fn proxies(list: &[&str]) -> Vec<Network> {
        list.iter()
            .map(|text| text.parse().expect("network"))
            .collect()
    }

    #[test]
    fn a_trusted_proxys_forwarded_for_names_the_client() {
        let trusted = proxies(&["127.0.0.1", "10.0.0.0/8"]);
        let forwarded = headers(&[("x-forwarded-for", "203.0.113.7")]);
        assert_eq!(
            ClientKey::resolve(ip("127.0.0.1"), &forwarded, &trusted).as_str(),
            "203.0.113.7"
        );
        // Through two of our proxies, and with the client's own forged claim
        // on the left, which is never believed.
        let chain = headers(&[("x-forwarded-for", "1.1.1.1, 203.0.113.7, 10.1.2.3")]);
        assert_eq!(
            ClientKey::resolve(ip("10.9.9.9"), &chain, &trusted).as_str(),
            "203.0.113.7"
        );
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_claims() {
        let trusted = proxies(&["127.0.0.1"]);
        let forged = headers(&[
            ("x-forwarded-for", "198.51.100.1"),
            ("forwarded", "for=1.2.3.4"),
        ]);
        assert_eq!(
            ClientKey::resolve(ip("203.0.113.9"), &forged, &trusted).as_str(),
            "203.0.113.9"
        );
        assert_eq!(
            ClientKey::resolve(ip("127.0.0.1"), &forged, &[]).as_str(),
            "127.0.0.1",
            "no proxy is trusted unless configured"
        );
    }

    #[test]
    fn the_standard_forwarded_header_is_read_with_ports_quotes_and_ipv6() {
        let trusted = proxies(&["::1"]);
        let forwarded = headers(&[(
            "forwarded",
            "for=192.0.2.60;proto=https, for=\"[2001:db8:cafe:1:2:3:4:5]:4711\"",
        )]);
        assert_eq!(
            ClientKey::resolve(ip("::1"), &forwarded, &trusted).as_str(),
            "2001:db8:cafe:1::/64"
        );
        let unknown = headers(&[("forwarded", "for=unknown")]);
        assert_eq!(
            ClientKey::resolve(ip("::1"), &unknown, &trusted).as_str(),
            "::/64"
        );
    }

    #[test]
    fn ipv6_clients_share_a_key_per_64_and_mapped_ipv4_is_ipv4() {
        assert_eq!(
            ClientKey::of(ip("2001:db8:1:2:aaaa::1")),
            ClientKey::of(ip("2001:db8:1:2:bbbb::9"))
        );
        assert_ne!(
            ClientKey::of(ip("2001:db8:1:2::1")),
            ClientKey::of(ip("2001:db8:1:3::1"))
        );
        assert_eq!(ClientKey::of(ip("::ffff:10.0.0.1")).as_str(), "10.0.0.1");
    }

    #[test]
    fn networks_parse_and_match_by_prefix() {
        let network: Network = "10.0.0.0/8".parse().expect("network");
        assert!(network.contains(ip("10.200.1.1")));
        assert!(!network.contains(ip("11.0.0.1")));
        assert!(network.contains(ip("::ffff:10.0.0.5")));
        assert!("10.0.0.0/33".parse::<Network>().is_err());
        assert!("proxy.example".parse::<Network>().is_err());
        let v6: Network = "fd00::/8".parse().expect("network");
        assert!(v6.contains(ip("fd12::1")) && !v6.contains(ip("fe80::1")));
    }
}
