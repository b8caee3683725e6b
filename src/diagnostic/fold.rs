//! Root causes first: a file that failed to load takes the IDs it declares with it, and every
//! "does not exist" finding about those IDs is a consequence, not a second problem. Such
//! findings are folded under the failure ("N follow-on findings hidden; fix this first").

use super::Diagnostic;
use std::collections::HashMap;

/// Codes of findings that a missing ID explains.
const CONSEQUENCES: &[&str] = &["TR003"];

/// Moves every finding that a failed file explains under that file's finding, and puts those
/// root causes first. Keeps the canonical order otherwise.
pub fn fold_follow_ons(diags: &mut Vec<Diagnostic>) {
    let mut cause_of: HashMap<&str, usize> = HashMap::new();
    for (i, d) in diags.iter().enumerate() {
        for id in &d.explains {
            cause_of.entry(id.as_str()).or_insert(i);
        }
    }
    if cause_of.is_empty() {
        return;
    }
    let owner: Vec<Option<usize>> = diags
        .iter()
        .map(|d| {
            if !CONSEQUENCES.contains(&d.code.as_str()) {
                return None;
            }
            d.ids
                .iter()
                .find_map(|id| cause_of.get(id.as_str()).copied())
        })
        .collect();
    let mut kept: Vec<Option<Diagnostic>> = std::mem::take(diags).into_iter().map(Some).collect();
    for (i, o) in owner.iter().enumerate() {
        if let Some(root) = *o
            && let Some(d) = kept[i].take()
            && let Some(r) = kept[root].as_mut()
        {
            r.follow_ons.push(d);
        }
    }
    let (mut roots, rest): (Vec<Diagnostic>, Vec<Diagnostic>) = kept
        .into_iter()
        .flatten()
        .partition(|d| !d.follow_ons.is_empty());
    roots.extend(rest);
    *diags = roots;
}

/// IDs a YAML text declares (`id: X` lines), read line by line so it works on text that does
/// not parse.
pub fn declared_yaml_ids(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            let t = l.trim_start().trim_start_matches("- ").trim_start();
            let v = t.strip_prefix("id:")?.trim();
            let v = v.split(" #").next()?.trim().trim_matches(['"', '\'']);
            (!v.is_empty() && !v.contains(char::is_whitespace)).then(|| v.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Span;

    #[test]
    fn dangling_references_to_ids_of_a_broken_file_fold_under_it() {
        let mut v = vec![
            Diagnostic::error("TR003", "a")
                .at(Span::new("a.md", 1, 1))
                .ids(["G1"]),
            Diagnostic::error("TR003", "b")
                .at(Span::new("a.md", 2, 1))
                .ids(["OTHER"]),
            Diagnostic::error("LD002", "bad")
                .at(Span::new("z.yaml", 3, 1))
                .explains(["G1", "P1"]),
            Diagnostic::error("TR003", "c")
                .at(Span::new("b.md", 1, 1))
                .ids(["P1"]),
        ];
        fold_follow_ons(&mut v);
        let top: Vec<&str> = v.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(top, ["bad", "b"]);
        assert_eq!(v[0].follow_ons.len(), 2);
    }

    #[test]
    fn ids_are_read_from_text_that_does_not_parse() {
        let text =
            "- id: G1\n  kind: goal : [\n- id: \"P1\" # policy\n  title: {ja: x}\n  idea: no\n";
        assert_eq!(declared_yaml_ids(text), ["G1", "P1"]);
    }
}
