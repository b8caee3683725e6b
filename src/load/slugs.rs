//! One rule for every URL slug (documents and sections alike) and the check that no two pages
//! share a URL: lower-case ASCII letters, digits and `-`, not a name the site uses itself, and
//! unique without regard to case (case-insensitive disks would merge them).

use crate::diagnostic::{Diagnostic, Span};
use crate::model::Content;
use std::collections::HashMap;

/// Folder names the site writes itself next to documents (and, for sections, that a reader
/// would take for the site's own pages).
const RESERVED: &[&str] = &[
    "items", "search", "trace", "static", "glossary", "about", "changes", "feed", "all",
];

/// Why `slug` is not a valid slug, if it is not. The glossary document may use `glossary`.
pub fn problem(slug: &str, is_glossary: bool) -> Option<String> {
    if slug.is_empty() {
        return Some("slug is empty".into());
    }
    if !slug
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Some(format!(
            "slug `{}` must be lower-case ASCII letters, digits and `-`",
            shown(slug)
        ));
    }
    if RESERVED.contains(&slug) && !(is_glossary && slug == "glossary") {
        return Some(format!(
            "slug `{slug}` is a name the site uses for its own pages"
        ));
    }
    None
}

/// The finding for an invalid slug at `span`.
pub fn finding(why: String, span: Span) -> Diagnostic {
    Diagnostic::error("LD005", why).at(span).hint(format!(
        "use lower-case ASCII letters, digits and `-`, e.g. `basic-plan-1` (URLs carry no \
         Japanese or romanised text); reserved: {}",
        RESERVED.join(", ")
    ))
}

/// A slug as it may be shown in a message: control characters made visible, cut at 60.
fn shown(slug: &str) -> String {
    let mut s: String = slug
        .chars()
        .take(60)
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect();
    if slug.chars().count() > 60 {
        s.push('…');
    }
    s
}

/// Documents sharing a slug, and sections of one document sharing one: an error at the
/// later one, pointing at the first.
pub fn collisions(content: &Content) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut docs: HashMap<String, &Span> = HashMap::new();
    for d in &content.documents {
        clash(&mut docs, &d.slug, &d.slug_span, "document", &mut out);
    }
    let mut sections: HashMap<(usize, String), &Span> = HashMap::new();
    for s in &content.sections {
        let key = (s.doc, s.slug.to_lowercase());
        match sections.get(&key) {
            Some(first) => out.push(clash_finding(&s.slug, &s.slug_span, first, "section")),
            None => {
                sections.insert(key, &s.slug_span);
            }
        }
    }
    out
}

fn clash<'a>(
    seen: &mut HashMap<String, &'a Span>,
    slug: &str,
    span: &'a Span,
    what: &str,
    out: &mut Vec<Diagnostic>,
) {
    match seen.get(&slug.to_lowercase()) {
        Some(first) => out.push(clash_finding(slug, span, first, what)),
        None => {
            seen.insert(slug.to_lowercase(), span);
        }
    }
}

fn clash_finding(slug: &str, span: &Span, first: &Span, what: &str) -> Diagnostic {
    Diagnostic::error(
        "LD009",
        format!("{what} slug `{}` is already used (same URL)", shown(slug)),
    )
    .at(span.clone())
    .related(first.clone())
    .hint(format!(
        "give this {what} its own `slug:`; two pages at one URL would overwrite each other \
         (slugs that differ only in case count as the same)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_rule_for_every_slug() {
        for ok in ["1", "3-2", "basic-plan-1", "secure-japan-2006"] {
            assert_eq!(problem(ok, false), None, "{ok}");
        }
        for bad in [
            "", ".", "..", "../x", "a/b", "Intro", "第1章", "a b", "\"><img>", "items", "trace",
        ] {
            assert!(problem(bad, false).is_some(), "{bad}");
        }
        assert_eq!(problem("glossary", true), None);
        assert!(problem("glossary", false).is_some());
    }
}
