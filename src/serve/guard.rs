//! What reaches the routes: only connections that send their request head
//! in time, and only requests addressed to this server.

use super::http::respond;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

/// How long a client may take over a request head. Browsers send theirs at
/// once; a connection that trickles it, or sends nothing, would hold its
/// socket and task for ever (slowloris). Idle keep-alive connections get the
/// same deadline for their next head; a response that streams (the event
/// stream) is not a head and is not cut.
pub(super) const HEAD_TIMEOUT: Duration = Duration::from_secs(5);

/// Serves `app` over HTTP/1.1 on `listener`; never returns.
///
/// `axum::serve` cannot be given a timer, and hyper's head deadline does
/// nothing without one: hence this loop instead.
pub(super) async fn serve(mut listener: tokio::net::TcpListener, app: Router) {
    loop {
        // axum's accept skips errors of one connection and waits out the
        // others (out of file descriptors) instead of failing.
        let (io, _) = axum::serve::Listener::accept(&mut listener).await;
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            // A connection's end, timed out or reset, concerns it alone.
            let _ = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEAD_TIMEOUT)
                .serve_connection(TokioIo::new(io), service)
                .await;
        });
    }
}

/// The hosts a request may name: the address serve listens on.
///
/// Without this check, DNS rebinding would let any web page read the site
/// and the status: the page's own name is made to resolve to 127.0.0.1, and
/// the browser then sends it our way as same-origin, with `Host: its.name`.
/// An IP literal cannot be rebound, so one is fine wherever it is ours.
#[derive(Debug)]
pub(super) struct Hosts {
    /// `--hostname` as given, lowercased, without a trailing dot.
    name: String,
    ip: IpAddr,
    port: u16,
}

impl Hosts {
    pub(super) fn new(hostname: &str, addr: SocketAddr) -> Hosts {
        Hosts {
            name: normal_name(hostname),
            ip: addr.ip(),
            port: addr.port(),
        }
    }

    /// Whether `authority` (a `Host` value, or the authority of an
    /// absolute-form target) names this server: the right port, and the
    /// name given, the address listened on, or for a loopback address also
    /// `localhost`, `127.0.0.1` and `[::1]`. Listening on every address
    /// (`0.0.0.0`, `::`), any IP literal and `localhost` are ours too.
    pub(super) fn allows(&self, authority: &str) -> bool {
        let Some((host, port)) = split_authority(authority) else {
            return false;
        };
        // A browser leaves out the default port.
        if port.unwrap_or(80) != self.port {
            return false;
        }
        let everywhere = self.ip.is_unspecified();
        let loopback = self.ip.is_loopback() || everywhere;
        match host {
            Host::Ip(ip) => {
                ip == self.ip
                    || everywhere
                    || (loopback
                        && (ip == IpAddr::V4(Ipv4Addr::LOCALHOST)
                            || ip == IpAddr::V6(Ipv6Addr::LOCALHOST)))
            }
            Host::Name(n) => n == self.name || (loopback && n == "localhost"),
        }
    }
}

enum Host {
    Ip(IpAddr),
    Name(String),
}

fn normal_name(name: &str) -> String {
    name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase()
}

/// `host[:port]` or `[v6][:port]`; `None` for anything else (userinfo,
/// an empty host, a port that is not a number).
fn split_authority(a: &str) -> Option<(Host, Option<u16>)> {
    let port = |p: &str| -> Option<u16> {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse().ok()
    };
    if let Some(rest) = a.strip_prefix('[') {
        let (ip, after) = rest.split_once(']')?;
        let ip: Ipv6Addr = ip.parse().ok()?;
        let port = match after {
            "" => None,
            p => Some(port(p.strip_prefix(':')?)?),
        };
        return Some((Host::Ip(IpAddr::V6(ip)), port));
    }
    let (host, p) = match a.rsplit_once(':') {
        Some((h, p)) => (h, Some(port(p)?)),
        None => (a, None),
    };
    let ok = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_';
    if host.is_empty() || !host.bytes().all(ok) {
        return None;
    }
    let host = match host.parse::<Ipv4Addr>() {
        Ok(ip) => Host::Ip(IpAddr::V4(ip)),
        Err(_) => Host::Name(normal_name(host)),
    };
    Some((host, p))
}

/// Refuses, with 421 Misdirected Request, a request that names another
/// host, names none, or names two.
pub(super) async fn check_host(
    State(hosts): State<Arc<Hosts>>,
    req: Request,
    next: Next,
) -> Response {
    let mut named = req.headers().get_all(header::HOST).iter();
    let host = match (named.next(), named.next()) {
        (Some(h), None) => h.to_str().ok(),
        _ => None,
    };
    // An absolute-form target's authority wins over `Host` (RFC 9112,
    // 3.2.2); both must be ours.
    let target = req.uri().authority().map(|a| a.as_str());
    let ours = host.is_some_and(|h| hosts.allows(h)) && target.is_none_or(|t| hosts.allows(t));
    if ours {
        return next.run(req).await;
    }
    respond(
        StatusCode::MISDIRECTED_REQUEST,
        "text/plain; charset=utf-8",
        b"refbook serve answers only requests addressed to the address it listens on\n".to_vec(),
        req.method() == Method::HEAD,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(name: &str, addr: &str) -> Hosts {
        Hosts::new(name, addr.parse().unwrap())
    }

    #[test]
    fn a_loopback_server_answers_to_its_loopback_names_only() {
        let h = hosts("127.0.0.1", "127.0.0.1:3000");
        for ok in [
            "127.0.0.1:3000",
            "localhost:3000",
            "LOCALHOST:3000",
            "localhost.:3000",
            "[::1]:3000",
        ] {
            assert!(h.allows(ok), "{ok}");
        }
        for no in [
            "evil.example",
            "evil.example:3000",
            "localhost.evil.example:3000",
            "127.0.0.1.evil.example:3000",
            "127.0.0.1:3001",
            "127.0.0.1",
            "localhost",
            "127.0.0.2:3000",
            "10.0.0.1:3000",
            "[::2]:3000",
            "127.0.0.1:3000@evil.example",
            "user@127.0.0.1:3000",
            "127.0.0.1:+3000",
            "127.0.0.1:03000x",
            "127.0.0.1:99999",
            "127.0.0.1:",
            ":3000",
            "",
            "[::1",
            "[::1]3000",
            "[evil.example]:3000",
            "local host:3000",
            "localhost:3000/",
            "é.example:3000",
        ] {
            assert!(!h.allows(no), "{no}");
        }
    }

    #[test]
    fn a_named_host_answers_to_its_name() {
        let h = hosts("Book.Example", "127.0.0.1:8080");
        assert!(h.allows("book.example:8080"));
        assert!(h.allows("BOOK.EXAMPLE.:8080"));
        assert!(h.allows("localhost:8080"));
        assert!(!h.allows("other.example:8080"));
        // The default port may go unsaid only when it is the one we use.
        assert!(!h.allows("book.example"));
        assert!(hosts("book.example", "127.0.0.1:80").allows("book.example"));
    }

    #[test]
    fn other_addresses_are_not_loopback() {
        let h = hosts("192.0.2.7", "192.0.2.7:3000");
        assert!(h.allows("192.0.2.7:3000"));
        assert!(!h.allows("localhost:3000"));
        assert!(!h.allows("127.0.0.1:3000"));
        assert!(!h.allows("evil.example:3000"));
        let v6 = hosts("::1", "[::1]:3000");
        assert!(v6.allows("[::1]:3000"));
        assert!(v6.allows("127.0.0.1:3000"));
        assert!(!v6.allows("::1:3000"));
    }

    #[test]
    fn every_address_takes_ip_literals_but_not_other_names() {
        let h = hosts("0.0.0.0", "0.0.0.0:3000");
        assert!(h.allows("192.0.2.7:3000"));
        assert!(h.allows("[2001:db8::1]:3000"));
        assert!(h.allows("localhost:3000"));
        assert!(!h.allows("evil.example:3000"));
        assert!(!h.allows("192.0.2.7:3001"));
    }
}
