//! A thin wrapper over serde-saphyr: typed YAML with 1-based file positions, and errors turned
//! into diagnostics at the right line of the file (not of the front-matter block).

use crate::diagnostic::{Diagnostic, Span, nearest};
use serde::de::{Deserialize, DeserializeOwned, Deserializer};

/// A value with the 1-based line and column where it was written (in the YAML text given to
/// [`parse`]). Our own type, so that the front-matter fast path can build one too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = serde_saphyr::Spanned::<T>::deserialize(d)?;
        let at = s.referenced;
        Ok(Spanned {
            value: s.value,
            line: u32::try_from(at.line()).unwrap_or(u32::MAX),
            column: u32::try_from(at.column()).unwrap_or(u32::MAX),
        })
    }
}

/// Parses `yaml`, which starts at 0-based line `line_offset` of `file`.
pub fn parse<T: DeserializeOwned>(
    yaml: &str,
    file: &str,
    line_offset: usize,
) -> Result<T, Diagnostic> {
    // The parser's default budget (250,000 nodes) refuses the items file of a document of
    // about 10,000 items. Nodes and events grow with the text, which `max_file_mib` bounds
    // already; the budgets against alias bombs stay as they are.
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_nodes: (yaml.len() / 4).max(250_000),
            max_events: yaml.len().max(1_000_000),
        },
    };
    serde_saphyr::from_str_with_options::<T>(yaml, options).map_err(|e| {
        let (line, col) = e
            .location()
            .map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
        let full = e.without_snippet().to_string();
        let message = first_line(&full);
        let mut d = Diagnostic::error("LD002", format!("invalid YAML: {message}")).at(Span::new(
            file,
            line + line_offset,
            col,
        ));
        if let Some(hint) = unknown_field_hint(&full) {
            d = d.hint(hint);
        } else if full.contains("missing field") {
            d = d.hint("add the field; docs/content-format.md lists the required ones");
        }
        d
    })
}

/// serde-saphyr prefixes messages with its own location; keep only the message itself.
fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or("").trim();
    let line = line.strip_prefix("error: ").unwrap_or(line);
    match line.find(" at line ") {
        Some(i) => line[..i].to_string(),
        None => line.to_string(),
    }
}

/// Builds "did you mean" from serde's `unknown field `x`, expected one of `a`, `b``.
fn unknown_field_hint(msg: &str) -> Option<String> {
    let rest = msg.split("unknown field `").nth(1)?;
    let field = rest.split('`').next()?;
    let list = rest.split("expected").nth(1)?;
    let list = list.trim_start().trim_start_matches("one of").trim();
    let expected: Vec<&str> = list
        .lines()
        .next()?
        .split(" at line ")
        .next()?
        .split(',')
        .map(|f| f.trim().trim_matches('`'))
        .filter(|f| !f.is_empty())
        .collect();
    match nearest(field, expected.iter().copied()).first() {
        Some(best) => Some(format!("did you mean `{best}`?")),
        None => Some(format!("known fields: {}", expected.join(", "))),
    }
}

/// Converts a spanned value's position into a `Span` in `file`.
pub fn span_of<T>(s: &Spanned<T>, file: &str, line_offset: usize) -> Span {
    Span::new(file, s.line as usize + line_offset, s.column as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        id: Spanned<String>,
        #[serde(default)]
        title: Option<String>,
    }

    #[test]
    fn spans_are_file_lines() {
        let d: Doc = parse("title: x\nid: BP1\n", "a.md", 1).unwrap();
        assert_eq!(span_of(&d.id, "a.md", 1).to_string(), "a.md:3:5");
    }

    #[test]
    fn unknown_field_suggests_the_nearest() {
        let e = parse::<Doc>("id: A\ntitel: x\n", "a.md", 1).unwrap_err();
        assert_eq!(e.span.as_ref().unwrap().line, 3, "{e:?}");
        assert_eq!(e.hint.as_deref(), Some("did you mean `title`?"), "{e:?}");
    }

    #[test]
    fn syntax_errors_never_panic_and_have_a_line() {
        for bad in ["id: [", "id: \"x", ": : :", "\t- a", "id: A\nid: B\n"] {
            let e = parse::<Doc>(bad, "a.md", 0).unwrap_err();
            assert!(e.span.is_some());
        }
    }
}
