//! Measures `serve`'s incremental rebuild after a one-section prose edit, in memory: a full
//! build with an empty cache, then per edit both ways [`Rebuilder`] (what `serve` runs) can
//! take — the patch of the last site (what a prose edit takes) and the cached compile (what
//! any other edit takes) — each with the rendering of the changed pages (what the reload
//! message waits for), then the generated data files (search indexes, exports), which `serve`
//! publishes after the reload.
//!
//! `cargo run --release --example rebuild -- SITE_ROOT [RUNS]`; with `REBUILD_PAUSE=1` it waits
//! 0.8 s before each rebuild, as a writer does between saves (caches are then cold, which is
//! what `serve` sees; back-to-back rebuilds look faster than they are). It edits the same file
//! as `examples/serve_latency.rs`: the first Japanese section file in path order.

mod support;

use plansite::build::Options;
use plansite::incremental::{Outcome, Rebuilder};
use std::path::PathBuf;
use std::time::Instant;

/// One rebuild: (pages ready ms, data files done ms, files handed over, patched).
fn timed(rebuilder: &mut Rebuilder, changed: &[PathBuf], full: bool) -> (f64, f64, usize, bool) {
    let t = Instant::now();
    let (mut pages, mut n) = (f64::NAN, 0);
    rebuilder.rebuild_with(changed, full, &mut |o| match o {
        Outcome::Pages { delta, .. } => {
            pages = t.elapsed().as_secs_f64() * 1000.0;
            n += delta.paths.len();
        }
        Outcome::Later { files } | Outcome::Generated { files } => n += files.len(),
        Outcome::Failed { diagnostics, .. } => panic!("the rebuild failed:\n{diagnostics}"),
    });
    let all = t.elapsed().as_secs_f64() * 1000.0;
    (pages, all, n, rebuilder.stats().patched)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().expect("usage: rebuild SITE_ROOT [RUNS]"));
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let opts = Options {
        base_url: Some("http://127.0.0.1:1111".into()),
        ..Options::new(&root)
    };
    let mut rebuilder = Rebuilder::new(opts);
    let (_, cold, n, _) = timed(&mut rebuilder, &[], true);
    println!("cold build: {cold:.0} ms, {n} files");
    let file = support::first_japanese_section(&root);
    let original = std::fs::read_to_string(&file).expect("readable");
    let (mut patched, mut times, mut totals) = (Vec::new(), Vec::new(), Vec::new());
    for k in 0..runs {
        std::fs::write(&file, format!("{original}\n追記{k}。\n")).expect("writable");
        if std::env::var_os("REBUILD_PAUSE").is_some() {
            std::thread::sleep(std::time::Duration::from_millis(800));
        }
        // Told which file changed, as `serve` is: a prose edit patches the last site.
        match timed(&mut rebuilder, std::slice::from_ref(&file), false) {
            (ms, _, _, true) => {
                patched.push(ms);
                println!("edit {k}: patched, pages ready in {ms:.1} ms");
            }
            _ => println!("edit {k}: not patchable (compiled)"),
        }
        // Not told (as after lost watcher events): the cached compile. Its Markdown cache has
        // not seen the patched text, so the edited file is rendered again, as for the edit.
        let (ms, all, _, _) = timed(&mut rebuilder, &[], false);
        times.push(ms);
        totals.push(all);
        let s = rebuilder.stats();
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
