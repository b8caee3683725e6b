//! End-to-end tests of `plansite serve`: the real binary serves a copy of the minimal fixture
//! on an ephemeral port and is driven over raw TCP (HTTP requests and the SSE stream).
#![cfg(feature = "serve")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Every wait in these tests is bounded by this.
const TIMEOUT: Duration = Duration::from_secs(10);
const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/minimal");
const CH1: &str = "content/plan/010-ch1.ja.md";
const CH1_PAGE: &str = "/ja/test-plan/tp-1/";

/// A running `plansite serve`; killed when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    stderr: Arc<Mutex<String>>,
    dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Copies the fixture to a temporary root and starts the server on port 0.
    fn start() -> Server {
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

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn get(&self, target: &str) -> Reply {
        request(self.addr, "GET", target)
    }

    /// Replaces a source file the way many editors save: write a temporary file, rename it.
    fn save(&self, rel: &str, text: &str) {
        let path = self.dir.path().join(rel);
        let tmp = path.with_file_name(".plansite-test.tmp");
        std::fs::write(&tmp, text).unwrap();
        std::fs::rename(&tmp, &path).unwrap();
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(rel)).unwrap()
    }
}

fn copy_dir(from: &Path, to: &Path) {
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

fn drain(mut from: impl Read + Send + 'static) -> Arc<Mutex<String>> {
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
struct Reply {
    status: u16,
    /// The header block, names lower-cased.
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Sends one request with the target exactly as given (no client-side normalisation).
fn request(addr: SocketAddr, method: &str, target: &str) -> Reply {
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
        body: body.to_string(),
    }
}

/// A client of the live-reload event stream.
struct Events {
    stream: TcpStream,
    buf: String,
}

impl Events {
    /// Connects and waits until the server has registered the client (its first bytes).
    fn connect(addr: SocketAddr) -> Events {
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
        assert!(head.contains("Content-Type: text/event-stream"), "{head}");
        events.buf = rest.to_string();
        events
    }

    fn fill(&mut self) {
        let mut chunk = [0u8; 4096];
        match self.stream.read(&mut chunk) {
            Ok(0) => panic!("event stream closed"),
            Ok(n) => self.buf.push_str(&String::from_utf8_lossy(&chunk[..n])),
            Err(_) => {} // read timeout: poll again
        }
    }

    /// The `data` of the next `reload` event (bounded wait; `None` on timeout).
    fn next_reload(&mut self, deadline: Instant) -> Option<String> {
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
    fn wait_reload(&mut self, path: &str) -> String {
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

#[test]
fn serves_pages_404s_and_redirects() {
    let server = Server::start();
    let ja = server.get("/ja/");
    assert_eq!(ja.status, 200, "{}", server.stderr());
    assert_eq!(ja.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(ja.body.contains("/__plansite/events"), "no reload script");
    assert!(!ja.body.contains("plansite-overlay"));
    let script = ja.body.find("plansite live reload").unwrap();
    assert!(script < ja.body.rfind("</body>").unwrap());

    let head = request(server.addr, "HEAD", "/ja/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("content-length"), ja.header("content-length"));

    let root = server.get("/");
    assert_eq!(root.status, 200);
    let redirect = server.get("/ja");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("location"), Some("/ja/"));

    let css = server.get("/static/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    let sitemap = server.get("/sitemap.xml");
    assert!(
        sitemap
            .header("content-type")
            .unwrap()
            .starts_with("application/xml")
    );
    let port = server.addr.port();
    assert!(
        sitemap.body.contains(&format!("http://127.0.0.1:{port}/")),
        "base_url not overridden: {}",
        sitemap.body
    );

    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let page_404 = server.get("/404.html");
    assert_eq!(
        missing.body, page_404.body,
        "unknown paths get the site's 404.html"
    );
    assert!(missing.body.contains("<html"));

    assert_eq!(request(server.addr, "POST", "/ja/").status, 405);
    assert_eq!(request(server.addr, "DELETE", "/ja/").status, 405);
}

#[test]
fn traversal_never_leaks_files() {
    let server = Server::start();
    let secret = "base_url";
    assert!(server.read("plansite.toml").contains(secret));
    for target in [
        "/../plansite.toml",
        "/%2e%2e/plansite.toml",
        "/%2E%2E/plansite.toml",
        "/ja/..%2f..%2fplansite.toml",
        "/ja/../../plansite.toml",
        "/..\\plansite.toml",
        "/ja/%5c..%5c..%5cplansite.toml",
        "//plansite.toml",
        "/plansite.toml",
        "/content/plan/010-ch1.ja.md",
        "plansite.toml",
    ] {
        let reply = server.get(target);
        assert_ne!(reply.status, 200, "{target}");
        assert!(!reply.body.contains(secret), "{target} leaked the file");
    }
    // The server is still healthy afterwards.
    assert_eq!(server.get("/ja/").status, 200);
}

/// The Japanese search index shard that holds `token` (the index is split by token).
fn ja_shard_of(server: &Server, token: &str) -> String {
    let meta = server.get("/search/ja.json").body;
    let shards: u32 = meta
        .split("\"shards\":")
        .nth(1)
        .and_then(|r| r.split([',', '}']).next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(1);
    let k = plansite::search::shard_of(token, shards);
    server.get(&format!("/search/ja/s/{k}.json")).body
}

#[test]
fn edit_sends_reload_and_serves_new_text() {
    let server = Server::start();
    let mut events = Events::connect(server.addr);
    let before = server.get(CH1_PAGE);
    assert_eq!(before.status, 200);
    assert!(!before.body.contains("live-reload-marker"));
    assert!(!ja_shard_of(&server, "marker").contains("\"marker\""));

    let text = server
        .read(CH1)
        .replace("毎年見直す。", "毎年見直す。live-reload-marker");
    let saved = Instant::now();
    server.save(CH1, &text);
    let data = events.wait_reload(CH1_PAGE);
    eprintln!("save → reload event: {:?} ({data})", saved.elapsed());
    assert!(
        data.split(' ').any(|p| p == CH1_PAGE),
        "reload should name the page: {data}"
    );
    assert!(
        !data.split(' ').any(|p| p == "/en/glossary/" || p == "*"),
        "unchanged pages reloaded: {data}"
    );
    let after = server.get(CH1_PAGE);
    assert_eq!(after.status, 200);
    assert!(after.body.contains("live-reload-marker"));

    // The search index follows the pages (it is published right after them).
    events.wait_reload("/search/ja.json");
    assert_eq!(server.get("/search/ja.json").status, 200);
    assert!(
        ja_shard_of(&server, "marker").contains("\"marker\""),
        "the new word is searchable"
    );

    // A second prose edit patches the last site as well.
    let text = server
        .read(CH1)
        .replace("live-reload-marker", "second-marker");
    server.save(CH1, &text);
    events.wait_reload(CH1_PAGE);
    assert!(server.get(CH1_PAGE).body.contains("second-marker"));
    // The log is read by another thread: give it a moment to catch up.
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut log = server.stderr();
    while log.lines().filter(|l| l.starts_with("patched ")).count() < 2 && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(20));
        log = server.stderr();
    }
    let patched: Vec<&str> = log.lines().filter(|l| l.starts_with("patched ")).collect();
    assert_eq!(patched.len(), 2, "both edits take the fast path: {log}");
    // The first one made the English translation stale: one more warning than at the start.
    assert!(
        patched.iter().all(|l| l.contains("; 2 warning(s)")),
        "{log}"
    );
}

#[test]
fn broken_edit_shows_overlay_until_fixed() {
    let server = Server::start();
    let mut events = Events::connect(server.addr);
    let original = server.read(CH1);

    let broken = original.replace("毎年見直す。", "毎年見直す。broken-marker [x](@NOPE)");
    server.save(CH1, &broken);
    assert_eq!(events.wait_reload("*"), "*");
    for page in [CH1_PAGE, "/en/", "/no/such/page/"] {
        let reply = server.get(page);
        assert!(
            reply
                .body
                .contains(r#"<div id="plansite-overlay" role="alert""#),
            "{page} has no overlay"
        );
        let (content, overlay) = reply.body.split_once("plansite-overlay").unwrap();
        assert!(overlay.contains("NOPE"), "{page}: diagnostics missing");
        assert!(
            !content.contains("broken-marker"),
            "{page} served the broken build"
        );
    }
    let old = server.get(CH1_PAGE);
    assert_eq!(old.status, 200);
    assert!(old.body.contains("毎年見直す。"));
    assert!(
        server.stderr().contains("NOPE"),
        "diagnostics not on stderr"
    );

    let fixed = original.replace("毎年見直す。", "毎年見直す。fixed-marker");
    std::fs::write(server.dir.path().join(CH1), fixed).unwrap();
    assert_eq!(events.wait_reload("*"), "*");
    let page = server.get(CH1_PAGE);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("fixed-marker"));
    assert!(!page.body.contains("plansite-overlay"));
}

/// Runs `plansite ARGS` to its exit (bounded); returns the exit code and stderr.
fn run_to_exit(args: &[&str], root: &Path) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_plansite"))
        .args(args)
        .arg("--root")
        .arg(root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`plansite {}` kept running", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut text = String::new();
    stderr.read_to_string(&mut text).unwrap();
    (status.code(), text)
}

#[test]
fn busy_port_is_a_clear_error() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new(FIXTURE), dir.path());
    let (code, stderr) = run_to_exit(&["serve", "--port", &port.to_string()], dir.path());
    assert_eq!(code, Some(2), "{stderr}");
    let wanted = format!(
        "port {port} is in use; try --port {} or --port 0",
        port.saturating_add(1)
    );
    assert!(stderr.contains(&wanted), "{stderr}");
    drop(taken);
}

#[test]
fn root_without_config_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = run_to_exit(&["serve", "--port", "0"], dir.path());
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("plansite.toml"), "{stderr}");
}
