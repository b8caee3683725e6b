//! Measures `serve`'s incremental rebuild after a one-section prose edit, in memory: a full
//! build with an empty cache, then per edit both ways `serve` can take — the patch of the last
//! site (what a prose edit takes) and the cached compile (what any other edit takes) — each
//! with the rendering of the changed pages (what the reload message waits for), then the
//! generated data files (search indexes, exports), which `serve` publishes after the reload.
//!
//! `cargo run --release --example rebuild -- SITE_ROOT [RUNS]`; with `REBUILD_PAUSE=1` it waits
//! 0.8 s before each rebuild, as a writer does between saves (caches are then cold, which is
//! what `serve` sees; back-to-back rebuilds look faster than they are). It edits the same file
//! as `examples/serve_latency.rs`: the first Japanese section file in path order.

mod support;

use plansite::build::{Options, compile_with};
use plansite::incremental::{Cache, patch};
use plansite::render::{plan, plan_with_theme};
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
    // The compile path; returns (pages ready ms, data files done ms, files, the site, its theme).
    let build = |full: bool| {
        cache.begin();
        let t = Instant::now();
        let (site, _) = compile_with(&opts, Some(&cache)).expect("compiles");
        let compiled = t.elapsed().as_secs_f64() * 1000.0;
        let plan = plan(&site, &root).expect("theme loads");
        let delta = plan.render_delta(&cache, full).expect("renders");
        let pages = t.elapsed().as_secs_f64() * 1000.0;
        let generated = plan.generated_files();
        let all = t.elapsed().as_secs_f64() * 1000.0;
        if std::env::var_os("PLANSITE_TIMINGS").is_some() {
            eprintln!(
                "  compile {compiled:.0} ms, pages {:.0} ms, data files {:.0} ms",
                pages - compiled,
                all - pages
            );
        }
        let theme = plan.theme();
        let n = delta.paths.len() + generated.len();
        drop(plan);
        (pages, all, n, site, theme)
    };
    let (_, cold, n, mut site, mut theme) = build(true);
    println!("cold build: {cold:.0} ms, {n} files");
    let file = support::first_japanese_section(&root);
    let original = std::fs::read_to_string(&file).expect("readable");
    let (mut patched, mut times, mut totals) = (Vec::new(), Vec::new(), Vec::new());
    for k in 0..runs {
        std::fs::write(&file, format!("{original}\n追記{k}。\n")).expect("writable");
        if std::env::var_os("REBUILD_PAUSE").is_some() {
            std::thread::sleep(std::time::Duration::from_millis(800));
        }
        // The patch of the last site, as `serve` does for a prose edit.
        cache.begin();
        let t = Instant::now();
        match patch(&mut site, &root, std::slice::from_ref(&file)) {
            Some(p) => {
                let plan = plan_with_theme(&site, theme.clone());
                plan.render_patched(&cache, &p).expect("renders");
                let ms = t.elapsed().as_secs_f64() * 1000.0;
                patched.push(ms);
                println!("edit {k}: patched, pages ready in {ms:.1} ms");
            }
            None => println!("edit {k}: not patchable"),
        }
        // The same edit by the cached compile, from the same previous state.
        let (ms, all, _, s, th) = build(false);
        (site, theme) = (s, th);
        times.push(ms);
        totals.push(all);
        let s = cache.stats();
        println!(
            "edit {k}: compiled, pages ready in {ms:.0} ms, data files at {all:.0} ms (Markdown {} re-rendered / {} reused, pages {} re-rendered / {} reused)",
            s.markdown_rendered, s.markdown_reused, s.pages_rendered, s.pages_reused
        );
    }
    std::fs::write(&file, original).expect("restored");
    for v in [&mut patched, &mut times, &mut totals] {
        v.sort_by(f64::total_cmp);
    }
    if let Some(p) = patched.get(patched.len() / 2) {
        println!(
            "median over {} patched edits: pages ready (reload sent) {p:.1} ms",
            patched.len()
        );
    }
    println!(
        "median over {runs} compiled edits: pages ready {:.0} ms, data files done {:.0} ms",
        times[runs / 2],
        totals[runs / 2]
    );
}
