//! The `plansite` command line: parses arguments, runs a command, prints findings, and is the
//! only place that exits.

use clap::{Parser, Subcommand, ValueEnum};
use plansite::build::{CompileError, Options, compile};
use plansite::diagnostic::{
    Diagnostic, Severity, render_github, render_human, render_json, render_sarif,
};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

/// The exit statuses every command shares, shown under each `--help`.
const EXIT_CODES: &str = "Exit status: 0 ok; 1 content errors (or warnings under `--deny \
warnings`, or a failed `diff --fail-on` gate, or a head that cannot be loaded); 2 usage or I/O \
errors (bad flag, no plansite.toml, unknown ID or revision, unwritable output).";

/// `print!` that ends quietly when the reader closed the pipe (`plansite check | head`)
/// instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = write!(std::io::stdout(), $($arg)*)
            && e.kind() != std::io::ErrorKind::BrokenPipe
        {
            eprintln!("error: cannot write the output: {e}");
        }
    }};
}

/// `println!` that ends quietly when the reader closed the pipe.
macro_rules! outln {
    ($($arg:tt)*) => {{
        out!($($arg)*);
        out!("\n");
    }};
}

/// Compile bilingual (ja/en) policy plans into a cross-linked static site where every policy
/// traces back to its goal.
#[derive(Parser)]
#[command(name = "plansite", version, about, long_about = None, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (swapped in only when the build succeeds).
    ///
    /// Errors are printed and fail the build; warnings are only counted (`built … (N
    /// warning(s))`): run `plansite check` to see them with their locations.
    #[command(after_help = EXIT_CODES)]
    Build {
        /// Site root holding plansite.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (default: ROOT/public).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Override base_url from plansite.toml (absolute URL).
        #[arg(long)]
        base_url: Option<String>,
        /// Include documents, sections and items marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Load, link and validate everything without writing a site.
    #[command(after_help = EXIT_CODES)]
    Check {
        /// Site root holding plansite.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output format of the findings.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Treat warnings as errors (exit status 1 when any warning remains).
        #[arg(long, value_name = "warnings")]
        deny: Option<Deny>,
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
    },
    /// Show an item's upstream chain (to its goals) and downstream chain (to its measures); for
    /// a document or section ID, list the items in it.
    #[command(after_help = EXIT_CODES)]
    Trace {
        /// Item, document or section ID, e.g. BP1-GA-P1 (`plansite list` shows them).
        id: String,
        /// Site root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Language of the titles.
        #[arg(long, default_value = "ja")]
        lang: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TraceFormat::Text)]
        format: TraceFormat,
    },
    /// Review a change: compare two git revisions of the site (coverage, links, items,
    /// translations, new and fixed findings) for a pull-request comment.
    ///
    /// Exit status 1 when a `--fail-on` gate fails or the head cannot be loaded; 2 when the base
    /// cannot be loaded, a revision is unknown or git is missing.
    #[command(after_help = EXIT_CODES)]
    Diff {
        /// Base revision, e.g. origin/main.
        #[arg(long)]
        base: String,
        /// Head revision (default: the working tree, uncommitted files included).
        #[arg(long, conflicts_with = "worktree")]
        head: Option<String>,
        /// Compare against the working tree (the default when --head is absent).
        #[arg(long)]
        worktree: bool,
        /// Site root inside the git repository.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output format: Markdown report, JSON, or GitHub annotations of new findings.
        #[arg(long, value_enum, default_value_t = DiffFormat::Markdown)]
        format: DiffFormat,
        /// Gate for exit status 1: errors, new-errors, new-warnings or coverage-drop:N
        /// (percentage points); repeat or separate with commas to combine.
        #[arg(long, value_name = "GATE", value_delimiter = ',', default_value = "new-errors", value_parser = parse_gate)]
        fail_on: Vec<plansite::review::Gate>,
    },
    /// Print the translation hash of a Japanese section file (for `translated_from`).
    ///
    /// An English (or other translation) file is refused without `--write`: its hash is not
    /// what `translated_from` records.
    #[command(after_help = EXIT_CODES)]
    Hash {
        /// The Japanese section file (`*.ja.md`); with `--write`, also a translation file.
        file: PathBuf,
        /// Stamp `translated_from: <hash of the Japanese file>` into the translation's front
        /// matter (given a `.ja.md` file: into every translation of it next to it).
        #[arg(long)]
        write: bool,
    },
    /// List items, documents and sections with their IDs, kinds and locations.
    #[command(after_help = EXIT_CODES)]
    List {
        /// Site root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Only this kind: an item kind (goal, policy, measure, …), document or section.
        #[arg(long)]
        kind: Option<String>,
        /// Only what belongs to this document ID (e.g. BP1).
        #[arg(long, value_name = "ID")]
        document: Option<String>,
        /// Language of the titles.
        #[arg(long, default_value = "ja")]
        lang: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TraceFormat::Text)]
        format: TraceFormat,
    },
    /// Preview the site: build it in memory, serve it over HTTP, rebuild and live-reload the
    /// browser on every edit.
    #[cfg(feature = "serve")]
    #[command(after_help = EXIT_CODES)]
    Serve(plansite::serve::ServeArgs),
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
    Github,
    Sarif,
}

#[derive(Clone, Copy, ValueEnum)]
enum Deny {
    Warnings,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormat {
    Markdown,
    Json,
    Github,
}

fn parse_gate(s: &str) -> Result<plansite::review::Gate, String> {
    s.parse()
}

#[derive(Clone, Copy, ValueEnum)]
enum TraceFormat {
    Text,
    Json,
}

fn main() -> ExitCode {
    keep_large_blocks_apart();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// glibc raises its mmap threshold each time a large block is freed, up to 32 MiB: later
/// blocks of that size then come from the heap and are kept there when freed. A build frees
/// many (file texts, page buffers, pieces of single pages, search shards), so the heap grows
/// by what it once held. Fixing the threshold at glibc's own default of 128 KiB keeps large
/// blocks in their own mappings, given back when freed: peak memory 8% lower at 5,000 items
/// for the same time (BENCHMARKS.md). The allocator stays glibc's.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn keep_large_blocks_apart() {
    // SAFETY: `mallopt` only sets one of the allocator's parameters, before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_large_blocks_apart() {}

fn print_findings(diags: &[Diagnostic], sources: &plansite::source::SourceMap, format: Format) {
    let text = match format {
        Format::Human => render_human(diags, sources),
        Format::Json => render_json(diags),
        Format::Github => render_github(diags),
        Format::Sarif => render_sarif(diags),
    };
    match format {
        Format::Human => eprint!("{text}"),
        _ => out!("{text}"),
    }
}

fn compile_or_report(
    opts: &Options,
    format: Format,
) -> anyhow::Result<Result<(plansite::site::Site, Vec<Diagnostic>), u8>> {
    match compile(opts) {
        Ok(x) => Ok(Ok(x)),
        Err(CompileError::Invalid(diags, sources)) => {
            print_findings(&diags, &sources, format);
            Ok(Err(1))
        }
        Err(e) => Err(e.into()),
    }
}

/// Exit status of a build stopped by SIGINT or SIGTERM (128 + SIGINT, as shells report it).
const INTERRUPTED: u8 = 130;

/// A flag that SIGINT and SIGTERM raise; a second signal ends the process at once.
fn interrupt_flag() -> anyhow::Result<Arc<AtomicBool>> {
    let flag = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // Registered first, so it sees the flag as the previous signal left it.
        signal_hook::flag::register_conditional_shutdown(
            sig,
            i32::from(INTERRUPTED),
            Arc::clone(&flag),
        )?;
        signal_hook::flag::register(sig, Arc::clone(&flag))?;
    }
    Ok(flag)
}

fn build(
    root: PathBuf,
    output: Option<PathBuf>,
    base_url: Option<String>,
    drafts: bool,
) -> anyhow::Result<u8> {
    use plansite::output::{Destination, PublishError};
    let dest_arg = output.unwrap_or_else(|| root.join("public"));
    let dest = match Destination::choose(&root, &dest_arg) {
        Ok(d) => d,
        Err(e) => {
            eprintln!(
                "error: refusing to write the site there: {e}\n  = help: {}",
                e.hint()
            );
            return Ok(2);
        }
    };
    let cancel = interrupt_flag()?;
    let opts = Options {
        root: root.clone(),
        drafts,
        base_url,
        html: plansite::build::Html::OnDemand,
    };
    let (site, diags) = match compile_or_report(&opts, Format::Human)? {
        Ok(x) => x,
        Err(code) => return Ok(code),
    };
    if diags.iter().any(Diagnostic::is_error) {
        print_findings(&diags, &site.sources, Format::Human);
        eprintln!("build failed: the previous output (if any) is left untouched");
        return Ok(1);
    }
    let mut timer = plansite::build::Timer::new();
    let plan = match plansite::render::plan(&site, &root) {
        Ok(p) => p,
        Err(d) => {
            print_findings(&d, &site.sources, Format::Human);
            return Ok(1);
        }
    };
    let published = match plansite::output::publish(&plan, &dest, Some(cancel)) {
        Ok(p) => p,
        Err(PublishError::Template(d)) => {
            print_findings(&d, &site.sources, Format::Human);
            eprintln!("build failed: the previous output (if any) is left untouched");
            return Ok(1);
        }
        Err(PublishError::Interrupted) => {
            eprintln!("interrupted: nothing was published; the previous output is left untouched");
            return Ok(INTERRUPTED);
        }
        Err(e) => return Err(e.into()),
    };
    timer.lap("render+write");
    for p in &published.cleaned {
        eprintln!("removed {} (left by an interrupted build)", p.display());
    }
    let warnings = diags
        .iter()
        .filter(|d| d.severity == Severity::Warning && d.waived.is_none())
        .count();
    eprintln!(
        "built {} files into {} ({warnings} warning(s); `plansite check` lists them)",
        published.files,
        dest_arg.display()
    );
    drop(plan);
    // The process ends now: let the OS reclaim the site instead of freeing it piece by piece.
    std::mem::forget(site);
    Ok(0)
}

/// `--lang` names one of the site's languages (exit 2 with the accepted ones otherwise).
fn known_language(site: &plansite::site::Site, lang: &str) -> anyhow::Result<()> {
    if site.languages().iter().any(|l| l == lang) {
        return Ok(());
    }
    anyhow::bail!(
        "unknown language `{lang}` for --lang (this site's languages: {})",
        site.languages().join(", ")
    )
}

fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
        } => build(root, output, base_url, drafts),
        Command::Check {
            root,
            format,
            deny,
            drafts,
        } => check(root, format, deny, drafts),
        Command::Trace {
            id,
            root,
            lang,
            format,
        } => trace(&id, root, &lang, format),
        Command::Diff {
            base,
            head,
            worktree: _,
            root,
            format,
            fail_on,
        } => {
            let review = plansite::review::diff(&plansite::review::DiffOptions {
                root,
                base,
                head,
                fail_on,
            })?;
            match format {
                DiffFormat::Markdown => outln!("{}", review.to_markdown()),
                DiffFormat::Json => out!("{}", review.to_json()),
                DiffFormat::Github => out!("{}", review.to_github()),
            }
            Ok(u8::from(review.gate_failed()))
        }
        Command::Hash { file, write } => {
            for line in plansite::stamp::run(&file, write)? {
                outln!("{line}");
            }
            Ok(0)
        }
        Command::List {
            root,
            kind,
            document,
            lang,
            format,
        } => list(root, kind.as_deref(), document.as_deref(), &lang, format),
        #[cfg(feature = "serve")]
        Command::Serve(args) => plansite::serve::run(args),
    }
}

/// `plansite check`: the findings, and whether they fail the run.
fn check(root: PathBuf, format: Format, deny: Option<Deny>, drafts: bool) -> anyhow::Result<u8> {
    let opts = Options {
        root,
        drafts,
        base_url: None,
        html: plansite::build::Html::Never,
    };
    let (site, diags) = match compile_or_report(&opts, format)? {
        Ok(x) => x,
        Err(code) => return Ok(code),
    };
    print_findings(&diags, &site.sources, format);
    let fail = diags.iter().any(|d| d.is_error())
        || (deny.is_some()
            && diags
                .iter()
                .any(|d| d.severity == Severity::Warning && d.waived.is_none()));
    // The process ends now: let the OS reclaim the site instead of freeing it piece by piece.
    std::mem::forget(site);
    Ok(u8::from(fail))
}

/// `plansite trace`: the chains through an item, or what a document or section contains.
fn trace(id: &str, root: PathBuf, lang: &str, format: TraceFormat) -> anyhow::Result<u8> {
    let (site, _) = match compile_or_report(&Options::new(root), Format::Human)? {
        Ok(x) => x,
        Err(code) => return Ok(code),
    };
    if !site.graph.index.contains_key(id) {
        let mut all: Vec<&str> = site.graph.index.keys().map(String::as_str).collect();
        all.sort_unstable();
        let near = plansite::diagnostic::nearest(id, all.iter().copied());
        anyhow::bail!(
            "unknown ID `{id}`{}",
            if near.is_empty() {
                String::new()
            } else {
                format!(" (did you mean {}?)", near.join(", "))
            }
        );
    }
    known_language(&site, lang)?;
    if let Some(items) = plansite::list::contained(&site, id, lang) {
        print_contained(&site, id, lang, &items, format)?;
        return Ok(0);
    }
    let up = plansite::trace::upstream(&site, id, lang);
    let down = plansite::trace::downstream(&site, id, lang);
    match format {
        TraceFormat::Json => {
            let v = serde_json::json!({ "id": id, "title": site.title(id, lang), "upstream": up, "downstream": down });
            outln!("{}", serde_json::to_string_pretty(&v)?);
        }
        TraceFormat::Text => {
            let mut out = format!("{id} {}\n", site.title(id, lang).unwrap_or_default());
            out.push_str("upstream:\n");
            plansite::trace::render_text(&up, 1, &mut out);
            out.push_str("downstream:\n");
            plansite::trace::render_text(&down, 1, &mut out);
            out!("{out}");
        }
    }
    Ok(0)
}

/// `plansite list`: the items of a kind or document.
fn list(
    root: PathBuf,
    kind: Option<&str>,
    document: Option<&str>,
    lang: &str,
    format: TraceFormat,
) -> anyhow::Result<u8> {
    let (site, _) = match compile_or_report(&Options::new(root), Format::Human)? {
        Ok(x) => x,
        Err(code) => return Ok(code),
    };
    known_language(&site, lang)?;
    let entries = plansite::list::entries(&site, kind, document, lang)?;
    let text = match format {
        TraceFormat::Json => format!("{}\n", serde_json::to_string_pretty(&entries)?),
        TraceFormat::Text => plansite::list::render_text(&entries),
    };
    // A closed pipe (`plansite list | head`) is not an error worth a panic.
    let _ = std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes());
    Ok(0)
}

/// `trace` on a document or section: the items in it instead of (empty) chains.
fn print_contained(
    site: &plansite::site::Site,
    id: &str,
    lang: &str,
    items: &[plansite::list::Entry],
    format: TraceFormat,
) -> anyhow::Result<()> {
    let title = site.title(id, lang).unwrap_or_default();
    match format {
        TraceFormat::Json => {
            let v = serde_json::json!({ "id": id, "title": title, "items": items });
            outln!("{}", serde_json::to_string_pretty(&v)?);
        }
        TraceFormat::Text => {
            outln!("{id} {title}");
            outln!(
                "items ({}; `plansite trace ITEM` for an item's chains):",
                items.len()
            );
            out!("{}", plansite::list::render_text(items));
        }
    }
    Ok(())
}
