//! The benchmark "floor": the least work any Markdown site generator must do for a corpus.
//!
//! ```text
//! cargo run --release --example floor -- [--highlight] ROOT OUT_DIR
//! ```
//!
//! Reads every `*.md` file under `ROOT/content`, drops its `---` front matter, renders the body
//! with pulldown-cmark (the same options as plansite: tables, footnotes, strikethrough, heading
//! attributes, GFM) through `pulldown_cmark::html::push_html`, and writes one `.html` file per
//! input into `OUT_DIR` (same relative path). Nothing else: no YAML, no graph, no templates, no
//! syntax highlighting, no cross-references. Files are processed in parallel with rayon, like
//! the real build.
//!
//! `--highlight` also passes every fenced code block with a language through plansite's own
//! syntect highlighter (`plansite::markdown::code_block`, pure-Rust regex engine, as the build
//! uses it): the floor plus the one piece of work the issue fixes the tool for. It shows how
//! much of the build/floor ratio highlighting alone takes.
//!
//! `--scan` is the floor of `plansite check` instead: every `*.md` file read and parsed by
//! pulldown-cmark (its events consumed, no HTML, nothing written) and every YAML file read and
//! parsed by serde-saphyr (into a generic value): the parsing any checker built on these two
//! crates must do, with no rule, graph or cross-reference. OUT_DIR is not written.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};
use rayon::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};

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

/// `dir/01-intro` for `dir/01-intro.ja.md`: what a section's language variants share.
fn section_stem(path: &Path) -> Option<String> {
    let s = path.to_string_lossy();
    s.rsplitn(3, '.').nth(2).map(str::to_string)
}

/// The parser's events with each fenced, labelled code block replaced by highlighted HTML.
fn highlighted<'a>(parser: Parser<'a>) -> impl Iterator<Item = Event<'a>> {
    let mut code: Option<(String, String)> = None;
    parser.filter_map(move |event| match (&mut code, event) {
        (None, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang)))) if !lang.is_empty() => {
            code = Some((lang.to_string(), String::new()));
            None
        }
        (Some((_, buf)), Event::Text(t)) => {
            buf.push_str(&t);
            None
        }
        (Some(_), Event::End(TagEnd::CodeBlock)) => {
            let (lang, buf) = code.take().unwrap_or_default();
            Some(Event::Html(CowStr::from(plansite::markdown::code_block(
                &lang, &buf,
            ))))
        }
        (_, event) => Some(event),
    })
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// The `--scan` floor (see the module comment): Markdown and YAML parsed, in parallel.
fn scan(content: &Path) {
    let files: Vec<PathBuf> = walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    let (events, yaml_files): (usize, usize) = files
        .par_iter()
        .map(|path| {
            let ext = path.extension().and_then(|x| x.to_str()).unwrap_or("");
            match ext {
                "md" => {
                    let text = fs::read_to_string(path).expect("read input");
                    (Parser::new_ext(body(&text), options()).count(), 0)
                }
                "yaml" | "yml" => {
                    let text = fs::read_to_string(path).expect("read input");
                    // The budget plansite sets (`load::yaml`): the parser's default refuses
                    // the items file of a document of about 10,000 items.
                    let options = serde_saphyr::options! {
                        budget: serde_saphyr::budget! {
                            max_nodes: (text.len() / 4).max(250_000),
                            max_events: text.len().max(1_000_000),
                        },
                    };
                    let value: serde_json::Value =
                        serde_saphyr::from_str_with_options(&text, options).expect("parse YAML");
                    std::hint::black_box(value);
                    (0, 1)
                }
                _ => (0, 0),
            }
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    eprintln!("floor --scan: {events} Markdown events, {yaml_files} YAML files parsed");
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let highlight = args.first().is_some_and(|a| a == "--highlight");
    let scan_only = args.first().is_some_and(|a| a == "--scan");
    if highlight || scan_only {
        args.remove(0);
    }
    if args.len() != 2 {
        eprintln!("usage: floor [--highlight | --scan] ROOT OUT_DIR");
        std::process::exit(2);
    }
    let content = PathBuf::from(&args[0]).join("content");
    let out = PathBuf::from(&args[1]);
    if scan_only {
        return scan(&content);
    }

    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&content)
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

    let options = options();
    // The language variants of a section (`x.ja.md`, `x.en.md`) go to one thread one after
    // the other, as in the build, so the highlighter's per-thread cache sees their shared code.
    files.sort();
    let mut groups: Vec<Vec<PathBuf>> = Vec::new();
    for f in files.iter().cloned() {
        match groups.last_mut() {
            Some(g) if section_stem(&g[0]) == section_stem(&f) => g.push(f),
            _ => groups.push(vec![f]),
        }
    }
    let bytes: usize = groups
        .par_iter()
        .flatten_iter()
        .map(|rel| {
            let text = fs::read_to_string(content.join(rel)).expect("read input");
            let md = body(&text);
            let mut html_out = String::with_capacity(md.len() * 3 / 2);
            let parser = Parser::new_ext(md, options);
            if highlight {
                html::push_html(&mut html_out, highlighted(parser));
            } else {
                html::push_html(&mut html_out, parser);
            }
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
