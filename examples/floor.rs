//! The benchmark "floor": the least work any Markdown site generator must do for a corpus.
//!
//! ```text
//! cargo run --release --example floor -- ROOT OUT_DIR
//! ```
//!
//! Reads every `*.md` file under `ROOT/content`, drops its `---` front matter, renders the body
//! with pulldown-cmark (the same options as plansite: tables, footnotes, strikethrough, heading
//! attributes, GFM) through `pulldown_cmark::html::push_html`, and writes one `.html` file per
//! input into `OUT_DIR` (same relative path). Nothing else: no YAML, no graph, no templates, no
//! syntax highlighting, no cross-references. Files are processed in parallel with rayon, like
//! the real build.

use pulldown_cmark::{Options, Parser, html};
use rayon::prelude::*;
use std::fs;
use std::path::PathBuf;

fn body(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("---\n") else {
        return text;
    };
    let mut offset = 4;
    for line in rest.split_inclusive('\n') {
        offset += line.len();
        if line.trim_end() == "---" {
            return &text[offset..];
        }
    }
    text
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: floor ROOT OUT_DIR");
        std::process::exit(2);
    }
    let content = PathBuf::from(&args[1]).join("content");
    let out = PathBuf::from(&args[2]);

    let files: Vec<PathBuf> = walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.path().strip_prefix(&content).unwrap().to_path_buf())
        .collect();
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| f.parent().map(|p| out.join(p)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        fs::create_dir_all(d).expect("create output folder");
    }

    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM;
    let bytes: usize = files
        .par_iter()
        .map(|rel| {
            let text = fs::read_to_string(content.join(rel)).expect("read input");
            let md = body(&text);
            let mut html_out = String::with_capacity(md.len() * 3 / 2);
            html::push_html(&mut html_out, Parser::new_ext(md, options));
            fs::write(out.join(rel).with_extension("html"), &html_out).expect("write output");
            html_out.len()
        })
        .sum();
    eprintln!(
        "floor: {} files, {bytes} bytes of HTML into {}",
        files.len(),
        out.display()
    );
}
