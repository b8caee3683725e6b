//! `plansite serve`: builds the site into memory, serves it over HTTP and rebuilds on every
//! change under `content/`, `themes/`, `templates/`, `static/` or to `plansite.toml`.
//!
//! Rebuilds are incremental (see [`crate::incremental`]): unchanged YAML is not parsed again,
//! unchanged Markdown not rendered again, and only the pages whose inputs changed are rendered
//! and handed over; the rest of the served site is kept by reference. A rebuild publishes in
//! two steps: first the pages (then the `reload` event names the pages whose bytes changed, so
//! open pages that did not change keep their state and scroll position), then the generated
//! data files (search indexes, exports), which take longer and no open page waits for. The
//! served site equals a full build after each rebuild (tests/incremental.rs).
//!
//! A build with errors never replaces the last good site: its diagnostics go to stderr and into
//! an overlay on every served page until a build succeeds again. Nothing is written to disk.

mod http;
mod rebuild;
mod reload;
mod server;
mod snapshot;
mod stall;
mod watch;

use crate::build::{CompileError, Options};
use crate::incremental::Rebuilder;
use http::{Request, Resolved, Response};
use rebuild::rebuild;
use snapshot::{Snapshot, State};
use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};
use watch::{spawn_rebuilder, start_watching};

/// Serve the site locally, rebuilding and reloading the browser on every change.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Site root holding plansite.toml and content/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Address to listen on (use 0.0.0.0 to reach the server from other machines).
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Port to listen on; 0 picks a free one (the URL is printed).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Include documents, sections and items marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Open the site in a browser (prints the URL if no opener is available).
    #[arg(long)]
    pub open: bool,
}

/// Quiet time after a file event before rebuilding: the events of one save (write, rename,
/// attribute change) arrive within a few milliseconds of each other. A build that still catches
/// a half-written file is followed by another, since the rest of the write is an event too.
const QUIET: Duration = Duration::from_millis(5);
/// Longest wait for a burst of events to end (a large `git checkout`) before building anyway.
const MAX_WAIT: Duration = Duration::from_millis(300);
/// Folders under the root whose changes trigger a rebuild.
const WATCHED_DIRS: [&str; 4] = ["content", "themes", "templates", "static"];

/// Runs the server until the process is stopped; returns an error (exit status 2) when the
/// root has no `plansite.toml` or the address cannot be listened on.
pub fn run(args: ServeArgs) -> anyhow::Result<u8> {
    // A wrong --root is a usage error; content errors later on never stop the server.
    if !args.root.join(crate::config::CONFIG_FILE).is_file() {
        return Err(CompileError::NoConfig(args.root).into());
    }
    let listener = listen(args.bind, args.port)?;
    let base_url = base_url(listener.local_addr()?);
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: anyone on the network can read this site, drafts \
             included (the dev server has no authentication)",
            args.bind
        );
    }
    let root = std::fs::canonicalize(&args.root).unwrap_or_else(|_| args.root.clone());
    let opts = Options {
        root: root.clone(),
        drafts: args.drafts,
        base_url: Some(base_url.clone()),
        html: crate::build::Html::Kept,
    };
    let state = Arc::new(State::default());
    let (tx, rx) = mpsc::channel();
    // Watch before the first build, so no edit made during it is missed.
    let watcher = start_watching(&root, tx);
    let started = Instant::now();
    let mut rebuilder = Rebuilder::new(opts);
    rebuild(&mut rebuilder, &state, &[], true, started);
    if let Some((watcher, watched)) = watcher {
        spawn_rebuilder(watcher, watched, rx, &root, Arc::clone(&state), rebuilder)?;
    }
    let url = format!("{base_url}/");
    println!("Serving on {url}");
    let _ = std::io::stdout().flush();
    if args.open {
        open_browser(&url);
    }
    server::serve(listener, state)?;
    Ok(0)
}

fn listen(ip: IpAddr, port: u16) -> anyhow::Result<TcpListener> {
    TcpListener::bind(SocketAddr::new(ip, port)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            anyhow::anyhow!(
                "port {port} is in use; try --port {} or --port 0",
                port.saturating_add(1)
            )
        } else {
            anyhow::anyhow!("cannot listen on {}: {e}", SocketAddr::new(ip, port))
        }
    })
}

/// `http://HOST:PORT` for the bound address (loopback for an unspecified address).
fn base_url(mut addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        addr.set_ip(match addr.ip() {
            IpAddr::V4(_) => IpAddr::from([127, 0, 0, 1]),
            IpAddr::V6(_) => IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
        });
    }
    format!("http://{addr}")
}

fn open_browser(url: &str) {
    let opener: &[&str] = if cfg!(target_os = "macos") {
        &["open"]
    } else if cfg!(windows) {
        &["cmd", "/C", "start", ""]
    } else {
        &["xdg-open"]
    };
    let spawned = std::process::Command::new(opener[0])
        .args(&opener[1..])
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match spawned {
        Ok(mut child) => {
            // Reap the opener so it does not linger as a zombie.
            let _ = std::thread::Builder::new().spawn(move || child.wait());
        }
        Err(_) => println!("Open {url} in your browser"),
    }
}

// ---------------------------------------------------------------------------------------------
// Serving

/// The response to a request for the site in `snap`.
fn respond(request: &Request, snap: &Snapshot) -> Response {
    if !request.is_supported() {
        return Response::method_not_allowed();
    }
    let Some(path) = http::safe_path(&request.target) else {
        return not_found(snap);
    };
    match http::resolve(&path, |p| snap.files.contains_key(p)) {
        Resolved::File(file) => serve_file(snap, &file, 200),
        Resolved::AddSlash => Response::redirect(http::slash_location(&request.target)),
        Resolved::NotFound => not_found(snap),
    }
}

fn serve_file(snap: &Snapshot, file: &str, status: u16) -> Response {
    let Some(bytes) = snap.files.get(file) else {
        return not_found(snap);
    };
    let content_type = http::content_type(file);
    let body = if content_type.starts_with("text/html") {
        reload::inject(bytes, &reload::url_path(file), snap.errors.as_deref())
    } else {
        bytes.to_vec()
    };
    Response::new(status, content_type, body)
}

/// The site's `404.html` with status 404; before any good build, a stand-in page (503) that
/// carries the error overlay and reloads once the site builds.
fn not_found(snap: &Snapshot) -> Response {
    if snap.files.contains_key("404.html") {
        return serve_file(snap, "404.html", 404);
    }
    let (status, text) = if snap.good {
        (404, "Not found.")
    } else {
        (
            503,
            "The site could not be built yet. Fix the errors shown here (and on the terminal); \
             this page reloads by itself when the next build succeeds.",
        )
    };
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>plansite serve</title></head><body><h1>plansite serve</h1><p>{text}</p></body></html>\n"
    );
    let body = reload::inject(page.as_bytes(), "", snap.errors.as_deref());
    Response::new(status, "text/html; charset=utf-8", body)
}

#[cfg(test)]
mod tests {
    use super::snapshot::Outcome;
    use super::watch::is_source_path;
    use super::*;
    use crate::render::OutputFile;
    use std::path::Path;

    fn good(files: &[(&str, &str)]) -> Outcome {
        let files: Vec<OutputFile> = files
            .iter()
            .map(|(p, b)| OutputFile {
                path: (*p).into(),
                bytes: b.as_bytes().to_vec(),
            })
            .collect();
        Outcome::Pages {
            delta: crate::render::Delta {
                paths: files.iter().map(|f| f.path.clone()).collect(),
                files,
                same_paths: false,
            },
            full: true,
            warnings: 0,
            stats: Default::default(),
        }
    }

    fn get(state: &State, target: &str) -> Response {
        let req = Request {
            method: "GET".into(),
            target: target.into(),
        };
        respond(&req, &state.snapshot())
    }

    #[test]
    fn errors_keep_the_last_good_site_and_add_the_overlay() {
        let state = State::default();
        let failed = || Outcome::Failed {
            diagnostics: "error[TR003]: <bad>\n".into(),
            in_render: false,
        };
        assert_eq!(state.apply(failed()), ["*"]);
        let r = get(&state, "/");
        assert_eq!(r.status, 503);
        assert!(String::from_utf8_lossy(&r.body).contains("error[TR003]: &lt;bad&gt;"));
        let site = [
            ("index.html", "<body>root</body>"),
            ("ja/index.html", "<body>ja</body>"),
            ("404.html", "<body>missing</body>"),
        ];
        assert_eq!(state.apply(good(&site)), ["*"]);
        assert_eq!(state.apply(good(&site)), Vec::<String>::new());
        assert_eq!(state.apply(failed()), ["*"]);
        assert_eq!(
            state.apply(failed()),
            Vec::<String>::new(),
            "same errors: no reload"
        );
        let r = get(&state, "/ja/");
        let body = String::from_utf8_lossy(&r.body);
        assert_eq!(r.status, 200);
        assert!(body.contains("ja") && body.contains("plansite-overlay"));
        assert_eq!(state.apply(good(&site)), ["*"]);
        let r = get(&state, "/nope");
        assert_eq!(r.status, 404);
        let body = String::from_utf8_lossy(&r.body);
        assert!(body.contains("missing") && !body.contains("plansite-overlay"));
        let mut changed = site;
        changed[1].1 = "<body>JA</body>";
        assert_eq!(state.apply(good(&changed)), ["/ja/"]);
    }

    #[test]
    fn responds_with_redirects_and_405() {
        let state = State::default();
        state.apply(good(&[
            ("ja/index.html", "<body>ja</body>"),
            ("404.html", "x"),
        ]));
        let r = get(&state, "/ja?q=1");
        assert_eq!(r.status, 301);
        assert_eq!(r.headers, [("Location", "/ja/?q=1".to_string())]);
        assert_eq!(get(&state, "/../ja/").status, 404);
        let post = Request {
            method: "POST".into(),
            target: "/ja/".into(),
        };
        assert_eq!(respond(&post, &state.snapshot()).status, 405);
    }

    #[test]
    fn only_source_paths_trigger_rebuilds() {
        let root = Path::new("/site");
        for yes in [
            "/site/plansite.toml",
            "/site/content/plan/010.ja.md",
            "/site/content",
            "/site/themes/x/templates/base.html",
            "/site/templates/item.html",
            "/site/static/logo.svg",
        ] {
            assert!(is_source_path(root, Path::new(yes)), "{yes}");
        }
        for no in [
            "/site/public/index.html",
            "/site/.public.plansite-new-1-0",
            "/site/content/.010.ja.md.swp",
            "/site/content/010.ja.md~",
            "/site/target/debug/x",
            "/site/README.md",
            "/elsewhere/content/x.md",
        ] {
            assert!(!is_source_path(root, Path::new(no)), "{no}");
        }
    }

    #[test]
    fn lost_events_stand_for_the_whole_root_and_accesses_for_nothing() {
        use notify::event::{AccessKind, Event, EventKind, Flag};
        let root = Path::new("/site");
        let mut changed = std::collections::BTreeSet::new();
        super::watch::relevant_changes(
            root,
            Ok(Event::new(EventKind::Access(AccessKind::Any))
                .add_path("/site/content/a.md".into())),
            &mut changed,
        );
        assert!(changed.is_empty());
        super::watch::relevant_changes(
            root,
            Ok(Event::new(EventKind::Other).set_flag(Flag::Rescan)),
            &mut changed,
        );
        assert_eq!(
            changed.into_iter().collect::<Vec<_>>(),
            [root.to_path_buf()]
        );
    }

    #[test]
    fn base_url_uses_loopback_for_unspecified_addresses() {
        assert_eq!(
            base_url("0.0.0.0:8080".parse().unwrap()),
            "http://127.0.0.1:8080"
        );
        assert_eq!(base_url("[::]:80".parse().unwrap()), "http://[::1]:80");
        assert_eq!(
            base_url("127.0.0.1:1111".parse().unwrap()),
            "http://127.0.0.1:1111"
        );
    }
}
