//! Measures `serve`'s incremental rebuild after a one-section edit: full build with an empty
//! cache, then the edit, then the cached rebuild (compile + render, in memory, as `serve` does).
//!
//! `cargo run --release --example rebuild -- SITE_ROOT [RUNS]`

use plansite::build::{Options, compile_with};
use plansite::incremental::Cache;
use plansite::render::render_site_cached;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().expect("usage: rebuild SITE_ROOT [RUNS]"));
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let opts = Options {
        base_url: Some("http://127.0.0.1:1111".into()),
        ..Options::new(&root)
    };
    let cache = Cache::default();
    let build = || {
        cache.begin();
        let t = Instant::now();
        let (site, _) = compile_with(&opts, Some(&cache)).expect("compiles");
        let compiled = t.elapsed().as_secs_f64() * 1000.0;
        let files = render_site_cached(&site, &root, Some(&cache)).expect("renders");
        if std::env::var_os("PLANSITE_TIMINGS").is_some() {
            eprintln!(
                "  compile {compiled:.0} ms, render {:.0} ms",
                t.elapsed().as_secs_f64() * 1000.0 - compiled
            );
        }
        (t.elapsed().as_secs_f64() * 1000.0, files.len())
    };
    let (cold, n) = build();
    println!("cold build: {cold:.0} ms, {n} files");
    // The first section file in file order is the one edited.
    let file = walkdir::WalkDir::new(root.join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .find(|p| p.to_string_lossy().ends_with(".ja.md"))
        .expect("a Japanese section file");
    let original = std::fs::read_to_string(&file).expect("readable");
    let mut times = Vec::new();
    for k in 0..runs {
        std::fs::write(&file, format!("{original}\n追記{k}。\n")).expect("writable");
        let (ms, _) = build();
        times.push(ms);
        let s = cache.stats();
        println!(
            "edit {k}: {ms:.0} ms (Markdown {} re-rendered / {} reused, pages {} re-rendered / {} reused)",
            s.markdown_rendered, s.markdown_reused, s.pages_rendered, s.pages_reused
        );
    }
    std::fs::write(&file, original).expect("restored");
    times.sort_by(f64::total_cmp);
    println!(
        "median incremental rebuild: {:.0} ms over {runs} edits",
        times[runs / 2]
    );
}
