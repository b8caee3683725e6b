//! Renders findings for terminals (with source excerpts), JSON, GitHub annotations and SARIF.

use super::{Diagnostic, Summary};
use crate::source::SourceMap;
use std::fmt::Write;
use unicode_width::UnicodeWidthChar;

/// Compiler-style text with a source excerpt and a caret under the offending text. Carets are
/// placed by display width, so they line up under double-width Japanese characters.
pub fn render_human(diags: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = String::new();
    for d in diags {
        let waived = d
            .waived
            .as_ref()
            .map(|w| format!(" (waived: {w})"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{}[{}]: {}{}",
            d.severity.as_str(),
            d.code,
            clip(&d.message, MESSAGE_CHARS),
            waived
        );
        if let Some(span) = &d.span {
            let _ = writeln!(out, "  --> {span}");
            if let Some(line) = sources.get(&span.file).and_then(|f| f.line(span.line)) {
                excerpt(&mut out, span, line);
            }
        }
        for r in &d.related {
            let _ = writeln!(out, "  note: also at {r}");
        }
        if let Some(h) = &d.hint {
            let _ = writeln!(out, "  = help: {h}");
        }
        if let Some(note) = d.follow_on_note() {
            let _ = writeln!(out, "  = note: {note}");
        }
        out.push('\n');
    }
    let s = Summary::of(diags);
    let _ = writeln!(
        out,
        "{} error(s), {} warning(s), {} info, {} waived",
        s.errors, s.warnings, s.infos, s.waived
    );
    out
}

/// Characters of a source line shown around the column (a 100,000-character line is not
/// echoed whole).
const EXCERPT_CHARS: usize = 200;

/// Characters of a message shown in text formats.
const MESSAGE_CHARS: usize = 300;

/// `text` cut to `max` characters, with `…` where it was cut.
fn clip(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]).into(),
        None => text.into(),
    }
}

/// The source line (at most [`EXCERPT_CHARS`] around the column, control characters made
/// visible so content cannot drive the terminal) with a caret under the span.
fn excerpt(out: &mut String, span: &super::Span, line: &str) {
    let chars: Vec<char> = line
        .chars()
        .map(|c| match c {
            '\t' => ' ',
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect();
    let col = (span.col - 1).min(chars.len());
    let start = col.saturating_sub(EXCERPT_CHARS / 2);
    let end = (start + EXCERPT_CHARS).min(chars.len());
    let (lead, tail) = (
        if start > 0 { "…" } else { "" },
        if end < chars.len() { "…" } else { "" },
    );
    let shown: String = chars[start..end].iter().collect();
    let prefix: usize = usize::from(start > 0)
        + chars[start..col]
            .iter()
            .map(|c| c.width().unwrap_or(0))
            .sum::<usize>();
    let marked: usize = chars[col..end]
        .iter()
        .take(span.len.max(1))
        .map(|c| c.width().unwrap_or(1).max(1))
        .sum();
    let gutter = span.line.to_string();
    let pad = " ".repeat(gutter.len());
    let _ = writeln!(out, "{pad} |");
    let _ = writeln!(out, "{gutter} | {lead}{shown}{tail}");
    let _ = writeln!(
        out,
        "{pad} | {}{}",
        " ".repeat(prefix),
        "^".repeat(marked.max(1))
    );
}

/// A SARIF message: the finding, its hint and the follow-on note.
fn sarif_text(d: &Diagnostic) -> String {
    let mut text = d.message.clone();
    if let Some(h) = &d.hint {
        text.push_str(&format!(" (help: {h})"));
    }
    if let Some(note) = d.follow_on_note() {
        text.push_str(&format!(" ({note})"));
    }
    text
}

/// Stable JSON: `{ "version": 1, "summary": {...}, "findings": [...] }`, findings sorted.
pub fn render_json(diags: &[Diagnostic]) -> String {
    let value = serde_json::json!({
        "version": 1,
        "summary": Summary::of(diags),
        "findings": diags,
    });
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}

/// GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=…::message`).
pub fn render_github(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let level = match (d.severity, d.waived.is_some()) {
            (_, true) | (super::Severity::Info, _) => "notice",
            (super::Severity::Warning, _) => "warning",
            (super::Severity::Error, _) => "error",
        };
        let mut props = Vec::new();
        if let Some(s) = &d.span {
            props.push(format!("file={}", escape_property(&s.file)));
            props.push(format!("line={}", s.line));
            props.push(format!("col={}", s.col));
        }
        props.push(format!(
            "title={}",
            escape_property(&format!("plansite {}", d.code))
        ));
        let mut msg = clip(&d.message, MESSAGE_CHARS).into_owned();
        if let Some(h) = &d.hint {
            msg.push_str("\nhelp: ");
            msg.push_str(h);
        }
        if let Some(note) = d.follow_on_note() {
            msg.push_str("\nnote: ");
            msg.push_str(&note);
        }
        let _ = writeln!(out, "::{level} {}::{}", props.join(","), escape_data(&msg));
    }
    out
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// SARIF 2.1.0 log with one run; rules are the distinct codes.
pub fn render_sarif(diags: &[Diagnostic]) -> String {
    let mut codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    let rules: Vec<_> = codes
        .iter()
        .map(|c| serde_json::json!({ "id": c }))
        .collect();
    let results: Vec<_> = diags
        .iter()
        .map(|d| {
            let level = match d.severity {
                super::Severity::Error => "error",
                super::Severity::Warning => "warning",
                super::Severity::Info => "note",
            };
            let mut r = serde_json::json!({
                "ruleId": d.code,
                "level": level,
                "message": { "text": sarif_text(d) },
            });
            if let Some(s) = &d.span {
                r["locations"] = serde_json::json!([{ "physicalLocation": {
                    "artifactLocation": { "uri": s.file },
                    "region": { "startLine": s.line, "startColumn": s.col },
                }}]);
            }
            if let Some(w) = &d.waived {
                r["suppressions"] = serde_json::json!([{ "kind": "inSource", "justification": w }]);
            }
            r
        })
        .collect();
    let log = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": { "name": "plansite", "version": env!("CARGO_PKG_VERSION"), "rules": rules } },
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Span;
    use crate::source::SourceFile;

    #[test]
    fn caret_lines_up_under_japanese_text() {
        let mut map = SourceMap::default();
        map.insert(SourceFile::new("c.md", "政府機関は[統一基準](@BP1-X)を"));
        let d = Diagnostic::error("TR003", "unknown ID `BP1-X`")
            .at(Span::new("c.md", 1, 6).with_len(6))
            .hint("did you mean `BP1-GA-P1`?");
        let text = render_human(&[d], &map);
        let expected = "error[TR003]: unknown ID `BP1-X`\n  --> c.md:1:6\n  |\n1 | 政府機関は[統一基準](@BP1-X)を\n  |           ^^^^^^^^^^\n  = help: did you mean `BP1-GA-P1`?\n";
        assert!(text.starts_with(expected), "got:\n{text}");
    }

    #[test]
    fn long_lines_are_cut_around_the_column_and_control_characters_neutralised() {
        let mut map = SourceMap::default();
        let line = format!("{}\u{1b}[31mX{}", "[".repeat(100_000), "[".repeat(50));
        map.insert(SourceFile::new("c.md", &line));
        let d = Diagnostic::error("MD001", "x".repeat(1000)).at(Span::new("c.md", 1, 100_006));
        let text = render_human(&[d], &map);
        assert!(text.len() < 2_000, "{} bytes", text.len());
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].ends_with('…') && lines[0].chars().count() < 320,
            "{}",
            lines[0]
        );
        let shown = lines[3].strip_prefix("1 | ").unwrap();
        let caret = lines[4].strip_prefix("  | ").unwrap();
        assert_eq!(shown.chars().nth(caret.find('^').unwrap()), Some('X'));
        assert!(
            shown.starts_with('…') && !text.contains('\u{1b}'),
            "{shown}"
        );
    }

    #[test]
    fn github_annotations_escape_newlines_and_commas() {
        let d = Diagnostic::warning("TR101", "goal a, b\nc").at(Span::new("x,y.md", 3, 4));
        assert_eq!(
            render_github(&[d]),
            "::warning file=x%2Cy.md,line=3,col=4,title=plansite TR101::goal a, b%0Ac\n"
        );
    }
}
