//! The harness of the `plansite serve` tests (tests/serve.rs, tests/serve_limits.rs): the real
//! binary serving a copy of the minimal fixture on an ephemeral port, driven over raw TCP.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Every wait in these tests is bounded by this.
pub const TIMEOUT: Duration = Duration::from_secs(10);
pub const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/minimal");
pub const CH1: &str = "content/plan/010-ch1.ja.md";
pub const CH1_PAGE: &str = "/ja/test-plan/tp-1/";

/// A running `plansite serve`; killed when dropped.
pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
    pub stderr: Arc<Mutex<String>>,
    pub dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Copies the fixture to a temporary root and starts the server on port 0.
    pub fn start() -> Server {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(Path::new(FIXTURE), dir.path());
        let mut child = Command::new(env!("CARGO_BIN_EXE_plansite"))
            .args(["serve", "--port", "0", "--root"])
            .arg(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = drain(child.stderr.take().unwrap());
        let (tx, rx) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("Serving on ") {
                    let _ = tx.send(url.to_string());
                }
            }
        });
        let mut server = Server {
            child,
            addr: "127.0.0.1:0".parse().unwrap(),
            stderr,
            dir,
        };
        let url = rx
            .recv_timeout(TIMEOUT)
            .unwrap_or_else(|_| panic!("no `Serving on` line; stderr:\n{}", server.stderr()));
        let host = url
            .strip_prefix("http://")
            .and_then(|r| r.strip_suffix('/'))
            .unwrap_or_else(|| panic!("odd URL {url}"));
        server.addr = host.parse().unwrap();
        server
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Whether stderr shows `needle` within 5 s: the server writes before it tells the
    /// browsers, but the thread that reads its pipe here may not have caught up yet.
    pub fn stderr_shows(&self, needle: &str) -> bool {
        let until = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while !self.stderr().contains(needle) {
            if std::time::Instant::now() > until {
                return false;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        true
    }

    pub fn get(&self, target: &str) -> Reply {
        request(self.addr, "GET", target)
    }

    /// Replaces a source file the way many editors save: write a temporary file, rename it.
    pub fn save(&self, rel: &str, text: &str) {
        let path = self.dir.path().join(rel);
        let tmp = path.with_file_name(".plansite-test.tmp");
        std::fs::write(&tmp, text).unwrap();
        std::fs::rename(&tmp, &path).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(rel)).unwrap()
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

pub fn drain(mut from: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let text = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&text);
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = from.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    text
}

/// A parsed HTTP response.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    /// The header block, names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Sends one request with the target exactly as given (no client-side normalisation).
pub fn request(addr: SocketAddr, method: &str, target: &str) -> Reply {
    let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    stream.set_write_timeout(Some(TIMEOUT)).unwrap();
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {raw:?}"));
    let mut reply = parse_head(head);
    reply.body = body.to_string();
    reply
}

/// The status and headers of a response head (without the blank line); the body is empty.
pub fn parse_head(head: &str) -> Reply {
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line in {head:?}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: String::new(),
    }
}

/// Reads exactly one response with a `Content-Length` from `stream`, leaving the connection
/// open for the next; `None` if the server closed it first (bounded by the stream's timeout).
pub fn read_reply(stream: &mut TcpStream) -> Option<Reply> {
    let mut raw = Vec::new();
    let mut byte = [0u8; 1];
    while !raw.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => raw.push(byte[0]),
            _ => return None,
        }
    }
    let head = String::from_utf8_lossy(&raw[..raw.len() - 4]).into_owned();
    let mut reply = parse_head(&head);
    let len: usize = reply
        .header("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or_else(|| panic!("no content-length in {head:?}"));
    let mut body = vec![0u8; len];
    stream.read_exact(&mut body).ok()?;
    reply.body = String::from_utf8_lossy(&body).into_owned();
    Some(reply)
}

/// A client of the live-reload event stream.
pub struct Events {
    pub stream: TcpStream,
    pub buf: String,
}

impl Events {
    /// Connects and waits until the server has registered the client (its first bytes).
    pub fn connect(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        write!(
            stream,
            "GET /__plansite/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut events = Events {
            stream,
            buf: String::new(),
        };
        let deadline = Instant::now() + TIMEOUT;
        while !events.buf.contains("retry:") {
            assert!(Instant::now() < deadline, "no event-stream response");
            events.fill();
        }
        let (head, rest) = events.buf.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        // Header names are case-insensitive (hyper writes them in lower case).
        assert!(
            head.to_ascii_lowercase()
                .contains("content-type: text/event-stream"),
            "{head}"
        );
        events.buf = rest.to_string();
        events
    }

    pub fn fill(&mut self) {
        let mut chunk = [0u8; 4096];
        match self.stream.read(&mut chunk) {
            Ok(0) => panic!("event stream closed"),
            Ok(n) => self.buf.push_str(&String::from_utf8_lossy(&chunk[..n])),
            Err(_) => {} // read timeout: poll again
        }
    }

    /// The `data` of the next `reload` event (bounded wait; `None` on timeout).
    pub fn next_reload(&mut self, deadline: Instant) -> Option<String> {
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let event: String = self.buf.drain(..end + 2).collect();
                if event.contains("event: reload") {
                    let data = event.lines().find_map(|l| l.strip_prefix("data: "))?;
                    return Some(data.to_string());
                }
                continue;
            }
            if Instant::now() >= deadline {
                return None;
            }
            self.fill();
        }
    }

    /// Waits for a reload event whose data contains `path` (or `*`); returns its data.
    pub fn wait_reload(&mut self, path: &str) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let data = self
                .next_reload(deadline)
                .unwrap_or_else(|| panic!("no reload event for {path} within {TIMEOUT:?}"));
            if data.split(' ').any(|p| p == path || p == "*") {
                return data;
            }
        }
    }
}
