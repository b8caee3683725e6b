//! Whole-site rules that need the rendered graph (coverage, translations, glossary use), and
//! the final pass that applies waivers and configured severities.

mod fiscal;

use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::graph::Target;
use crate::site::Site;
use rustc_hash::FxHashSet as HashSet;
use std::collections::BTreeMap;

mod correspondence;

/// The fiscal years the annual plans cover, ascending.
pub fn fiscal_years(site: &Site) -> Vec<i32> {
    site.content.fiscal_years()
}

/// The hash of each section's default-language body, computed in parallel (hashing every
/// Japanese body is the bulk of the translation rule) by `hash` (file, body offset): the
/// compile passes [`crate::source::content_hash`] or a remembered one.
pub fn base_hashes(
    content: &crate::model::Content,
    sources: &crate::source::SourceMap,
    default: &str,
    hash: &(dyn Fn(&crate::source::SourceFile, usize) -> String + Sync),
) -> Vec<Option<String>> {
    use rayon::prelude::*;
    content
        .sections
        .par_iter()
        .map(|s| {
            let base = s.variant(default)?;
            let file = sources.get(&base.file)?;
            Some(hash(file, base.body_offset))
        })
        .collect()
}

/// Runs every warning-level rule.
pub fn rules(site: &Site) -> Vec<Diagnostic> {
    // The rules only read the site: four groups run in parallel, and their findings are
    // joined in the order the rules always ran in.
    let ((mut out, b), (c, d)) = rayon::join(
        || {
            rayon::join(
                || collect(site, &[translations]),
                || collect(site, &[coverage, fiscal::measures, fiscal::plans]),
            )
        },
        || {
            rayon::join(
                || collect(site, &[glossary, item_languages]),
                || collect(site, &[correspondence::rules]),
            )
        },
    );
    out.extend(b.into_iter().chain(c).chain(d));
    out
}

/// A rule: reads the site, adds its findings.
type Rule = fn(&Site, &mut Vec<Diagnostic>);

/// The findings of `rules`, run in order.
fn collect(site: &Site, rules: &[Rule]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rule in rules {
        rule(site, &mut out);
    }
    out
}

fn item_languages(site: &Site, out: &mut Vec<Diagnostic>) {
    for it in &site.content.items {
        for lang in site.languages() {
            if it.title.get(lang).is_none_or(|t| t.trim().is_empty()) {
                out.push(
                    Diagnostic::error(
                        "TR007",
                        format!("{} `{}` has no `{lang}` title", it.kind, it.id),
                    )
                    .at(it.span.clone())
                    .hint(format!("add `{lang}:` under `title:`"))
                    .ids([it.id.clone()]),
                );
            }
        }
    }
}

fn translations(site: &Site, out: &mut Vec<Diagnostic>) {
    for si in 0..site.content.sections.len() {
        translation_findings(site, si, out);
    }
}

/// The TR106 findings of section `si`: a missing default-language file or translation, and
/// translations that are stale or do not record what they translate.
pub fn translation_findings(site: &Site, si: usize, out: &mut Vec<Diagnostic>) {
    let default = &site.config.default_language;
    let s = &site.content.sections[si];
    let base_hash = site.base_hashes.get(si).cloned().flatten();
    {
        let Some(base) = s.variant(default) else {
            let at = s.variants.first().map(|v| v.span.clone());
            let mut d = Diagnostic::warning(
                "TR106",
                format!("section `{}` has no `{default}` file", s.id),
            )
            .ids([s.id.clone()]);
            if let Some(a) = at {
                d = d.at(a);
            }
            out.push(d);
            return;
        };
        for lang in site.languages().iter().filter(|l| *l != default) {
            match s.variant(lang) {
                None => out.push(
                    Diagnostic::warning(
                        "TR106",
                        format!("section `{}` is not translated into `{lang}`", s.id),
                    )
                    .at(base.span.clone())
                    .hint(format!(
                        "add {}; the page falls back to the `{default}` text meanwhile",
                        base.file
                            .replace(&format!(".{default}.md"), &format!(".{lang}.md"))
                    ))
                    .ids([s.id.clone()]),
                ),
                Some(v) => {
                    let Some(hash) = &base_hash else { continue };
                    match &v.translated_from {
                        Some((h, span)) if h == hash => {}
                        Some((old, span)) => {
                            let mut d = Diagnostic::warning("TR106", format!("`{lang}` translation of `{}` is stale: the `{default}` text changed", s.id))
                                .at(span.clone())
                                .hint(format!("update the translation from {}, then set `translated_from: {hash}` (`plansite hash --write {}`)", base.file, v.file))
                                .ids([s.id.clone()]);
                            if let Some(b) = changed_line(site, &base.file, base.body_offset, old) {
                                d = d.related(b);
                            }
                            out.push(d);
                        }
                        None => out.push(
                            Diagnostic::warning("TR106", format!("`{lang}` translation of `{}` does not record which `{default}` text it translates", s.id))
                                .at(v.span.clone())
                                .hint(format!("add `translated_from: {hash}` to the front matter"))
                                .ids([s.id.clone()]),
                        ),
                    }
                }
            }
        }
    }
}

/// The secondary location of a stale translation: the first line of the Japanese body that
/// differs from the text the translation was made from (found in git history by its hash), or,
/// when that text cannot be found, the first non-blank line of the body.
fn changed_line(site: &Site, file: &str, offset: usize, old_hash: &str) -> Option<Span> {
    let f = site.sources.get(file)?;
    let body = f.text.get(offset..)?;
    let at = match crate::load::previous::body_with_hash(&site.root, file, old_hash) {
        Some(old) => {
            let n = crate::load::previous::first_changed_line(&old, body);
            let line = body
                .split_inclusive('\n')
                .take(n)
                .map(str::len)
                .sum::<usize>();
            offset + line
        }
        None => {
            let skip = body.len() - body.trim_start().len();
            body[..skip].rfind('\n').map_or(offset, |i| offset + i + 1)
        }
    };
    let (line, _) = f.line_col(at);
    Some(Span::new(file, line, 1))
}

fn coverage(site: &Site, out: &mut Vec<Diagnostic>) {
    let years = fiscal_years(site);
    for it in &site.content.items {
        match it.kind.as_str() {
            "goal" if site.graph.into_of(&it.id, Some("advances")).next().is_none() => out.push(
                Diagnostic::warning("TR101", format!("goal `{}` has no policy that advances it", it.id))
                    .at(it.span.clone())
                    .hint("add `advances: [<this goal>]` to the policies that serve it, or waive the gap with a reason")
                    .ids([it.id.clone()]),
            ),
            "policy" if !years.is_empty() => {
                let covered: HashSet<i32> = site
                    .graph
                    .into_of(&it.id, Some("implements"))
                    .filter_map(|e| match site.graph.index.get(e.from.as_str()) {
                        Some(Target::Item(i)) => site.content.items[*i].fiscal_year,
                        _ => None,
                    })
                    .collect();
                let missing: Vec<String> = years.iter().filter(|y| !covered.contains(y)).map(|y| format!("FY{y}")).collect();
                if !missing.is_empty() {
                    out.push(
                        Diagnostic::warning("TR102", format!("policy `{}` has no recorded measure in {}", it.id, missing.join(", ")))
                            .at(it.span.clone())
                            .hint("record the annual-plan measures that implement it (`implements:`), or waive the gap with a reason")
                            .ids([it.id.clone()]),
                    );
                }
            }
            _ => {}
        }
    }
}

fn glossary(site: &Site, out: &mut Vec<Diagnostic>) {
    let used = &site.terms_used;
    // A term linked on Japanese pages only is still unlinked for English readers: the use is
    // counted per language.
    let mut used_in: BTreeMap<&str, HashSet<&str>> = BTreeMap::new();
    let terms = site
        .content
        .items
        .iter()
        .filter(|i| i.kind == "term")
        .count();
    for ((_, lang), r) in &site.rendered {
        let set = used_in.entry(lang.as_str()).or_default();
        // Pages list only term IDs: once a language has them all, its other pages add nothing
        // (and inserting every page's terms was most of this rule's time).
        if set.len() < terms {
            set.extend(r.terms_used.iter().map(|id| &**id));
        }
    }
    let mut headwords: BTreeMap<(String, String), Span> = BTreeMap::new();
    for it in site.content.items.iter().filter(|i| i.kind == "term") {
        if !used.contains(it.id.as_str()) {
            out.push(
                Diagnostic::warning(
                    "TR107",
                    format!("glossary term `{}` is never used in the documents", it.id),
                )
                .at(it.span.clone())
                .hint("check its spelling against the text, add an alias, or remove it")
                .ids([it.id.clone()]),
            );
        } else {
            for lang in site.languages() {
                if used_in
                    .get(lang.as_str())
                    .is_some_and(|s| s.contains(it.id.as_str()))
                {
                    continue;
                }
                out.push(
                    Diagnostic::warning(
                        "TR107",
                        format!(
                            "glossary term `{}`: none of its `{lang}` forms occurs in the `{lang}` text",
                            it.id
                        ),
                    )
                    .at(it.span.clone())
                    .hint(format!(
                        "add the forms the `{lang}` text writes (plural, spelling, numerals) to `aliases: {{ {lang}: [...] }}`"
                    ))
                    .ids([it.id.clone()]),
                );
            }
        }
        for (lang, word) in &it.title {
            if let Some(first) = headwords.get(&(lang.clone(), word.clone())) {
                out.push(
                    Diagnostic::warning(
                        "TR107",
                        format!("`{word}` is defined twice in the glossary"),
                    )
                    .at(it.span.clone())
                    .related(first.clone())
                    .ids([it.id.clone()]),
                );
            } else {
                headwords.insert((lang.clone(), word.clone()), it.span.clone());
            }
        }
    }
}

/// Applies content waivers (finding stays, marked waived) and `[severity]` overrides, and
/// reports expired waivers.
pub fn finalize(site: &Site, diags: &mut Vec<Diagnostic>) {
    let now = fiscal_years(site).last().copied();
    let mut expired = Vec::new();
    for it in &site.content.items {
        for w in &it.waivers {
            if let (Some(until), Some(now)) = (w.until, now)
                && until < now
            {
                expired.push(
                    Diagnostic::new(
                        Severity::Info,
                        "TR109",
                        format!("waiver of {} on `{}` expired in FY{until}", w.code, it.id),
                    )
                    .at(w.span.clone())
                    .hint("renew it with a new `until`, or close the gap")
                    .ids([it.id.clone()]),
                );
                continue;
            }
            for d in diags
                .iter_mut()
                .filter(|d| d.code == w.code && d.ids.first() == Some(&it.id))
            {
                let reason = w
                    .reason
                    .get("en")
                    .or_else(|| w.reason.values().next())
                    .cloned()
                    .unwrap_or_default();
                d.waived = Some(reason);
            }
        }
    }
    diags.extend(expired);
    diags.retain_mut(
        |d| match site.config.severity.get(&d.code).map(String::as_str) {
            Some("off") => false,
            Some(s) => {
                if let Some(sev) = Severity::parse(s) {
                    d.severity = sev;
                }
                true
            }
            None => true,
        },
    );
}
