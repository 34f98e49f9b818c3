//! Lingering reads: an answer given before the request body was read must still reach the
//! client.
//!
//! A handler may answer without reading the whole body: 413 for a body over the limit, 401 for a
//! wrong token, 405 on a read-only service. If the connection is then closed while the client is
//! still writing, the kernel resets it and a client that writes the whole body before it reads
//! (most do, unless they send `Expect: 100-continue`) sees a broken pipe instead of the answer.
//! So, like a web server's lingering close, what the handler left of the body is read and thrown
//! away before the answer goes out, up to [`LINGER_BYTES`] and [`LINGER_TIME`]; past either the
//! answer goes out with `Connection: close` and the client may still miss it.
//!
//! A client that sent `Expect: 100-continue` and whose body was never asked for is waiting for
//! our word and sends nothing more: it is answered at once, and the connection closed.

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use http_body::{Body as _, Frame, SizeHint};

use crate::config::{LINGER_BYTES, LINGER_TIME};

/// The request body, shared between the handler and this middleware so that what the handler
/// did not read can be taken back once it has answered.
struct Shared {
    slot: Arc<Mutex<Option<Body>>>,
    polled: Arc<AtomicBool>,
}

impl http_body::Body for Shared {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        self.polled.store(true, Ordering::Relaxed);
        let mut guard = match self.slot.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        match guard.as_mut() {
            Some(body) => Pin::new(body).poll_frame(cx),
            None => Poll::Ready(None),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self.slot.lock() {
            Ok(g) => g.as_ref().is_none_or(|b| b.is_end_stream()),
            Err(_) => true,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self.slot.lock() {
            Ok(g) => g.as_ref().map(|b| b.size_hint()).unwrap_or_default(),
            Err(_) => SizeHint::default(),
        }
    }
}

/// Middleware: runs the handler, then discards what it left of the body (bounded).
pub async fn linger(req: Request, next: Next) -> Response {
    let expects_continue = req
        .headers()
        .get(header::EXPECT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"));
    let (parts, body) = req.into_parts();
    if body.is_end_stream() {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let slot = Arc::new(Mutex::new(Some(body)));
    let polled = Arc::new(AtomicBool::new(false));
    let shared = Shared {
        slot: Arc::clone(&slot),
        polled: Arc::clone(&polled),
    };
    let mut resp = next
        .run(Request::from_parts(parts, Body::new(shared)))
        .await;
    let rest = match slot.lock() {
        Ok(mut g) => g.take(),
        Err(poisoned) => poisoned.into_inner().take(),
    };
    let Some(rest) = rest else { return resp };
    if rest.is_end_stream() {
        return resp;
    }
    let read_all = if expects_continue && !polled.load(Ordering::Relaxed) {
        // the client waits for a 100 before it sends; reading now would invite the body
        false
    } else {
        discard(rest).await
    };
    if !read_all {
        resp.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    resp
}

/// Reads a body to its end, up to the bounds; whether the end was reached.
async fn discard(mut body: Body) -> bool {
    let drained = async {
        let mut n = 0usize;
        while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await
        {
            match frame {
                Ok(f) => {
                    n += f.data_ref().map_or(0, Bytes::len);
                    if n > LINGER_BYTES {
                        return false;
                    }
                }
                Err(_) => return false,
            }
        }
        true
    };
    tokio::time::timeout(LINGER_TIME, drained)
        .await
        .unwrap_or(false)
}
