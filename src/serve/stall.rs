//! A connection wrapper that fails a write the client has left unread for a while: hyper has no
//! write timeout, and a client that stops reading would otherwise hold its connection slot (and
//! the response in memory) for as long as it keeps the socket open.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Sleep;

/// `inner`, whose writes fail with `TimedOut` once one has made no progress for `limit`.
pub(super) struct Stall<T> {
    inner: T,
    limit: Duration,
    /// Running while a write is pending; any progress clears it.
    stalled: Option<Pin<Box<Sleep>>>,
}

impl<T: AsyncWrite + Unpin> Stall<T> {
    pub(super) fn new(inner: T, limit: Duration) -> Stall<T> {
        Stall {
            inner,
            limit,
            stalled: None,
        }
    }

    /// Passes a finished write through; turns a pending one into an error past the limit.
    fn guard<R>(&mut self, cx: &mut Context<'_>, poll: Poll<io::Result<R>>) -> Poll<io::Result<R>> {
        if poll.is_ready() {
            self.stalled = None;
            return poll;
        }
        let limit = self.limit;
        let timer = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        if timer.as_mut().poll(cx).is_ready() {
            self.stalled = None;
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client read nothing for too long",
            )));
        }
        Poll::Pending
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Stall<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Stall<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.guard(cx, poll)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.guard(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_flush(cx);
        self.guard(cx, poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_shutdown(cx);
        self.guard(cx, poll)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    fn run<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn a_write_nobody_reads_fails_after_the_limit() {
        run(async {
            let (mut client, server) = tokio::io::duplex(64);
            let mut server = Stall::new(server, Duration::from_millis(100));
            // Progress resets the clock: a slow reader is fine.
            let reader = tokio::spawn(async move {
                let mut buf = [0u8; 64];
                for _ in 0..4 {
                    tokio::time::sleep(Duration::from_millis(60)).await;
                    client.read_exact(&mut buf).await.unwrap();
                }
                client // kept open but no longer read
            });
            server.write_all(&[7u8; 64 * 4]).await.unwrap();
            let started = tokio::time::Instant::now();
            let stalled = server.write_all(&[7u8; 1000]);
            let err = tokio::time::timeout(Duration::from_secs(2), stalled)
                .await
                .expect("the stalled write never ended")
                .unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::TimedOut);
            let waited = started.elapsed();
            assert!(waited >= Duration::from_millis(100), "{waited:?}");
            drop(reader.await.unwrap());
        });
    }
}
