//! The HTTP side of `plansite serve`: hyper's HTTP/1.1 connections on a small tokio runtime,
//! with axum routing the event stream and the site. Each connection is a task, not a thread;
//! at most [`MAX_CONNECTIONS`] are open at once (more are answered `503` and closed); a client
//! has [`HEADER_TIMEOUT`] to send a request head, also between keep-alive requests, and a
//! response that the client leaves unread for [`WRITE_STALL`] ends the connection.

use super::http::{Request, Response};
use super::reload;
use super::snapshot::State;
use super::stall::Stall;
use axum::Router;
use axum::body::Body;
use axum::extract::State as Shared;
use axum::http::{HeaderValue, header};
use axum::routing::get;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

/// Connections served at once, event streams included. A browser opens about six per site and
/// one event stream per tab, so this is never reached by a writer previewing the site; it
/// bounds what a misbehaving client can hold.
pub(super) const MAX_CONNECTIONS: usize = 256;
/// Time a client has to send a whole request head, counted from the connection's start or the
/// end of its previous response: a slow or idle client is dropped, and its slot freed.
pub(super) const HEADER_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a write may wait for a client that reads nothing before the connection is dropped.
const WRITE_STALL: Duration = Duration::from_secs(10);
/// The largest request head accepted (bigger: `431`); hyper's read buffer, at least 8 KiB.
const MAX_HEAD: usize = 16 * 1024;
/// The body of the answer to a connection over [`MAX_CONNECTIONS`].
const BUSY: &str = "503 Service Unavailable\ntoo many connections; try again\n";

/// Serves `state` on `listener` until the process is stopped.
pub(super) fn serve(listener: std::net::TcpListener, state: Arc<State>) -> anyhow::Result<()> {
    // A few workers are plenty: every response is a lookup in memory.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .thread_name("plansite-http")
        .enable_io()
        .enable_time()
        .build()?;
    listener.set_nonblocking(true)?;
    runtime.block_on(accept(listener, state))
}

async fn accept(listener: std::net::TcpListener, state: Arc<State>) -> anyhow::Result<()> {
    let listener = TcpListener::from_std(listener)?;
    let app = router(state);
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .keep_alive(true)
        .max_buf_size(MAX_HEAD);
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors, say: wait a moment instead of spinning.
                eprintln!("warning: accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            refuse(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let conn = http.serve_connection(
            TokioIo::new(Stall::new(stream, WRITE_STALL)),
            TowerToHyperService::new(app.clone()),
        );
        tokio::spawn(async move {
            // A failed or timed-out connection just ends; the browser retries.
            let _ = conn.await;
            drop(slot);
        });
    }
}

/// Answers a connection over the cap with `503` if the socket takes it at once (a fresh
/// socket's send buffer is empty), and closes it; nothing waits on the client.
fn refuse(stream: TcpStream) {
    use std::io::Write as _;
    let Ok(mut stream) = stream.into_std() else {
        return;
    };
    let reply = format!(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Content-Length: {}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n{BUSY}",
        BUSY.len()
    );
    let _ = stream.write(reply.as_bytes());
    let _ = stream.shutdown(std::net::Shutdown::Write);
}

fn router(state: Arc<State>) -> Router {
    Router::new()
        .route(reload::EVENTS_PATH, get(events))
        .fallback(site)
        .with_state(state)
}

/// The live-reload event stream.
async fn events(Shared(state): Shared<Arc<State>>) -> axum::response::Response {
    let mut response = axum::response::Response::new(reload::event_stream(&state.hub));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Everything else: a file of the site, a redirect, the 404 page or 405.
async fn site(
    Shared(state): Shared<Arc<State>>,
    request: axum::extract::Request,
) -> axum::response::Response {
    let uri = request.uri();
    // Only the origin form (`/path?query`) names a file; anything else (`http://host/…`,
    // `*`) is kept whole and so fails the path check.
    let target = match (uri.scheme(), uri.authority(), uri.path_and_query()) {
        (None, None, Some(pq)) => pq.as_str().to_string(),
        _ => uri.to_string(),
    };
    let request = Request {
        method: request.method().as_str().to_string(),
        target,
    };
    into_http(super::respond(&request, &state.snapshot()))
}

fn into_http(r: Response) -> axum::response::Response {
    let mut response = axum::response::Response::new(Body::from(r.body));
    *response.status_mut() = axum::http::StatusCode::from_u16(r.status)
        .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(r.content_type),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    for (name, value) in r.headers {
        if let (Ok(name), Ok(value)) = (
            header::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            headers.insert(name, value);
        }
    }
    response
}
