//! Measures what a writer of `plansite serve` waits for: from saving a one-section edit to the
//! `reload` event reaching the browser. It starts the real server on a site, listens to the
//! live-reload event stream like a browser tab, appends a sentence to the first Japanese
//! section file, and times until a `reload` event arrives; the file is restored at the end.
//!
//! `cargo run --release --example serve_latency -- SITE_ROOT [RUNS] [PLANSITE_BINARY]`
//! (the binary defaults to `target/release/plansite`; build it first). With
//! `SERVE_EDIT=heading` each edit appends a heading with a new ID instead (patched too), and
//! with `SERVE_EDIT=title` it changes the section's title, which `serve` cannot patch: that
//! times the cached compile path. `SERVE_PAUSE_MS` sets the pause before each edit (800 ms).

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(
        args.next()
            .expect("usage: serve_latency SITE_ROOT [RUNS] [BIN]"),
    );
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(10);
    let bin = args
        .next()
        .unwrap_or_else(|| "target/release/plansite".to_string());
    let mut server = Command::new(&bin)
        .args(["serve", "--port", "0", "--root"])
        .arg(&root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the plansite binary starts");
    // `Serving on http://127.0.0.1:PORT/` is printed after the first build.
    let mut out = BufReader::new(server.stdout.take().expect("stdout"));
    let mut line = String::new();
    while !line.starts_with("Serving on ") {
        line.clear();
        assert!(
            out.read_line(&mut line).expect("reads") > 0,
            "server exited"
        );
    }
    let addr = line
        .trim()
        .trim_start_matches("Serving on http://")
        .trim_end_matches('/')
        .to_string();
    // Keep the server's stderr flowing (it reports each rebuild) into a string for the end.
    let mut err = server.stderr.take().expect("stderr");
    let log = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let mut events = TcpStream::connect(&addr).expect("connects");
    write!(
        events,
        "GET /__plansite/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .expect("request");
    events
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut events = BufReader::new(events);
    let file = support::first_japanese_section(&root);
    let original = std::fs::read_to_string(&file).expect("readable");
    let mut times = Vec::new();
    let pause = Duration::from_millis(
        std::env::var("SERVE_PAUSE_MS")
            .ok()
            .and_then(|p| p.parse().ok())
            .unwrap_or(800),
    );
    for k in 0..=runs {
        // Let the previous rebuild's data files finish (a writer pauses longer than this), and
        // drop the events they sent: the search files' paths (`search/ja/…`) would otherwise
        // be taken for this edit's reload.
        std::thread::sleep(pause);
        drain(&mut events);
        let t = Instant::now();
        let edited = match std::env::var("SERVE_EDIT").as_deref() {
            Ok("heading") => format!("{original}\n## 追記 {{#added-{k}}}\n"),
            // A title is shown wherever the section is linked: a site-wide change.
            Ok("title") => original.replacen("\ntitle: ", &format!("\ntitle: {k} "), 1),
            _ => format!("{original}\n追記{k}。\n"),
        };
        std::fs::write(&file, edited).expect("writable");
        let mut l = String::new();
        loop {
            l.clear();
            events
                .read_line(&mut l)
                .expect("a reload event within 10 s");
            if l.starts_with("data: ") && l.contains("/ja/") {
                break;
            }
        }
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        // Edit 0 also makes the English translation stale (a site-wide change); the rest
        // are the common case, a prose edit on top of a prose edit.
        println!("edit {k}: reload event after {ms:.1} ms");
        if k > 0 {
            times.push(ms);
        }
    }
    std::fs::write(&file, original).expect("restored");
    std::thread::sleep(Duration::from_millis(800));
    let _ = server.kill();
    let _ = server.wait();
    times.sort_by(f64::total_cmp);
    println!(
        "save → reload event, {} edits after the first: median {:.1} ms, min {:.1}, max {:.1}",
        times.len(),
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
    if std::env::var_os("SERVE_LOG").is_some() {
        eprint!("{}", log.join().unwrap_or_default());
    }
}

/// Reads and drops whatever events are already waiting.
fn drain(events: &mut BufReader<TcpStream>) {
    let stream = events.get_ref();
    let _ = stream.set_read_timeout(Some(Duration::from_millis(50)));
    let mut l = String::new();
    while events.read_line(&mut l).is_ok_and(|n| n > 0) {
        l.clear();
    }
    let _ = events
        .get_ref()
        .set_read_timeout(Some(Duration::from_secs(10)));
}
