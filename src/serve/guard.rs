//! What reaches the routes: only connections that send their request head
//! in time.

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
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
