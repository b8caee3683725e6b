//! What `plansite serve` holds against clients that misbehave or are simply many: keep-alive
//! connections, the request-head timeout, the connection cap, and that an event stream outlives
//! the head timeout. The numbers are those of `src/serve/server.rs`.
#![cfg(feature = "serve")]

mod serve_common;

use serve_common::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// `HEADER_TIMEOUT` of the server.
const HEADER_TIMEOUT: Duration = Duration::from_secs(5);
/// `MAX_CONNECTIONS` of the server.
const MAX_CONNECTIONS: usize = 256;

fn connect(server: &Server) -> TcpStream {
    let stream = TcpStream::connect_timeout(&server.addr, TIMEOUT).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    stream.set_write_timeout(Some(TIMEOUT)).unwrap();
    stream
}

#[test]
fn keep_alive_serves_several_requests_on_one_connection() {
    let server = Server::start();
    let mut stream = connect(&server);
    let addr = server.addr;
    for target in [
        "/ja/",
        "/no/such/page/",
        "/static/style.css",
        "/../plansite.toml",
    ] {
        write!(stream, "GET {target} HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
        let reply = read_reply(&mut stream)
            .unwrap_or_else(|| panic!("the connection was closed before the reply to {target}"));
        let wanted = if target == "/ja/" || target.starts_with("/static") {
            200
        } else {
            404
        };
        assert_eq!(reply.status, wanted, "{target}");
        assert!(!reply.body.contains("base_url"), "{target} leaked a file");
    }
    // HEAD on the same connection: no body, so the next reply still parses.
    write!(stream, "HEAD /ja/ HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        assert_eq!(stream.read(&mut byte).unwrap(), 1, "closed after HEAD");
        head.push(byte[0]);
    }
    write!(stream, "GET / HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    assert_eq!(read_reply(&mut stream).map(|r| r.status), Some(200));
}

#[test]
fn a_client_sending_its_head_slowly_is_dropped() {
    let server = Server::start();
    let mut stream = connect(&server);
    stream
        .set_read_timeout(Some(Duration::from_millis(250)))
        .unwrap();
    let started = Instant::now();
    stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    // One header byte every 250 ms: each read of the old server's waited for at most 10 s,
    // so it never gave up on such a client.
    let limit = HEADER_TIMEOUT + Duration::from_secs(4);
    let closed = loop {
        if started.elapsed() > limit {
            break false;
        }
        if stream.write_all(b"X").is_err() {
            break true;
        }
        let mut buf = [0u8; 1024];
        match stream.read(&mut buf) {
            Ok(0) => break true,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => break true, // reset
            Ok(_) => {}           // an error reply; the close follows
        }
    };
    let took = started.elapsed();
    assert!(closed, "still connected after {took:?}");
    assert!(
        took >= HEADER_TIMEOUT - Duration::from_secs(1),
        "dropped too early ({took:?}): not by the head timeout"
    );
    // The server goes on serving.
    assert_eq!(server.get("/ja/").status, 200);
}

#[test]
fn an_oversized_head_is_refused() {
    let server = Server::start();
    let mut stream = connect(&server);
    let big = "a".repeat(20 * 1024);
    // The server may answer and close before reading all of it.
    let _ = write!(stream, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {big}\r\n\r\n");
    let reply = read_reply(&mut stream).expect("an answer");
    assert_eq!(reply.status, 431);
    assert_eq!(server.get("/ja/").status, 200);
}

/// Threads of a process.
#[cfg(target_os = "linux")]
fn threads(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/task"))
        .map(|d| d.count())
        .unwrap_or_else(|e| panic!("cannot count the server's threads: {e}"))
}

#[cfg(target_os = "linux")]
#[test]
fn connections_over_the_cap_are_refused_and_need_no_thread() {
    let server = Server::start();
    let pid = server.child.id();
    assert_eq!(server.get("/ja/").status, 200);
    let before = threads(pid);
    let extra = 20;
    // Idle connections that send nothing: all opened well within the head timeout.
    let mut conns: Vec<TcpStream> = (0..MAX_CONNECTIONS + extra)
        .map(|_| connect(&server))
        .collect();
    // The over-cap ones are answered 503 and closed (the old server answered none of them).
    let mut refused = 0;
    for stream in &mut conns[MAX_CONNECTIONS..] {
        stream
            .set_read_timeout(Some(Duration::from_secs(1)))
            .unwrap();
        let mut reply = String::new();
        let _ = stream.read_to_string(&mut reply);
        if reply.starts_with("HTTP/1.1 503") {
            refused += 1;
        }
    }
    // A thread per connection would add ~276; tasks add none (a little slack for the runtime).
    let during = threads(pid);
    assert!(
        during <= before + 8,
        "{before} threads before, {during} with {} connections open",
        conns.len()
    );
    assert_eq!(refused, extra, "over-cap connections must be refused");
    // Closing them frees the slots: the server answers again (bounded retries).
    drop(conns);
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let mut stream = connect(&server);
        write!(stream, "GET /ja/ HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        if read_reply(&mut stream).is_some_and(|r| r.status == 200) {
            break;
        }
        assert!(Instant::now() < deadline, "no slot came free");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn an_event_stream_outlives_the_head_timeout() {
    let server = Server::start();
    let mut events = Events::connect(server.addr);
    std::thread::sleep(HEADER_TIMEOUT + Duration::from_secs(1));
    let text = server
        .read(CH1)
        .replace("毎年見直す。", "毎年見直す。late-marker");
    server.save(CH1, &text);
    events.wait_reload(CH1_PAGE);
    assert!(server.get(CH1_PAGE).body.contains("late-marker"));
}
