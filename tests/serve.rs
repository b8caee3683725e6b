//! End-to-end tests of `plansite serve`: the real binary serves a copy of the minimal fixture
//! on an ephemeral port and is driven over raw TCP (HTTP requests and the SSE stream).
#![cfg(feature = "serve")]

mod serve_common;

use serve_common::*;
use std::io::Read;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
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
    assert!(server.stderr_shows("NOPE"), "diagnostics not on stderr");

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
