//! The rendered Markdown bodies pages are built from: kept from the compile (`serve`, tests),
//! or rendered here one section at a time, so that a full build never holds every section's
//! HTML at once (see [`crate::build::Html::OnDemand`]).

use crate::diagnostic::Diagnostic;
use crate::load::guard::Guard;
use crate::markdown::{self, Rendered};
use crate::site::{LinkContext, Site};
use crate::source::SourceFile;
use std::borrow::Cow;
use std::sync::Arc;

/// Looks up a section's rendered body in one language.
pub(crate) struct Bodies<'a> {
    site: &'a Site,
    /// The bodies of the section being rendered, when the compile kept none.
    local: Vec<(usize, String, Arc<Rendered>)>,
    /// Why a body is missing: its file, released after the check, could not be read back as
    /// it was (see [`SourceMap::release`](crate::source::SourceMap::release)).
    problems: Vec<Diagnostic>,
}

impl<'a> Bodies<'a> {
    /// The bodies the compile kept in [`Site::rendered`].
    pub(crate) fn kept(site: &'a Site) -> Bodies<'a> {
        Bodies {
            site,
            local: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// Every language variant of section `si`: kept ones are shared, missing ones rendered now
    /// (a released file is read again through `guard`). A page of that section, of an item
    /// whose prose lives there, or its search records, needs nothing else.
    pub(crate) fn of_section(site: &'a Site, si: usize, guard: Option<&Guard>) -> Bodies<'a> {
        Self::of_variants(site, si, guard, |_| true)
    }

    /// Only the variant of section `si` in `lang` (the single-page document needs no other).
    pub(crate) fn of_variant(
        site: &'a Site,
        si: usize,
        lang: &str,
        guard: Option<&Guard>,
    ) -> Bodies<'a> {
        Self::of_variants(site, si, guard, |l| l == lang)
    }

    fn of_variants(
        site: &'a Site,
        si: usize,
        guard: Option<&Guard>,
        wanted: impl Fn(&str) -> bool,
    ) -> Bodies<'a> {
        let ctx = LinkContext { site };
        let mut problems = Vec::new();
        let local = site.content.sections[si]
            .variants
            .iter()
            .filter(|v| wanted(&v.lang))
            .filter_map(|v| {
                if let Some(r) = site.rendered.get(&(si, v.lang.clone())) {
                    return Some((si, v.lang.clone(), Arc::clone(r)));
                }
                let file = match source(site, &v.file, guard)? {
                    Ok(file) => file,
                    Err(d) => {
                        problems.push(d);
                        return None;
                    }
                };
                let body = markdown::render_with(&file, v.body_offset, &v.lang, &ctx, true);
                Some((si, v.lang.clone(), Arc::new(body)))
            })
            .collect();
        Bodies {
            site,
            local,
            problems,
        }
    }

    /// Why bodies are missing (each an error: the build must not publish without them).
    pub(crate) fn take_problems(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.problems)
    }

    /// The body of section `si` in `lang`, if that variant exists.
    pub(crate) fn get(&self, si: usize, lang: &str) -> Option<&Rendered> {
        if let Some((_, _, r)) = self.local.iter().find(|(s, l, _)| *s == si && l == lang) {
            return Some(r);
        }
        self.site
            .rendered
            .get(&(si, lang.to_string()))
            .map(|r| r.as_ref())
    }
}

/// The source file at `rel`: the one the compile kept, or a released one read again (through
/// `guard`, or a guard made now) and found unchanged. `None` when `rel` is no source at all.
fn source<'s>(
    site: &'s Site,
    rel: &str,
    guard: Option<&Guard>,
) -> Option<Result<Cow<'s, SourceFile>, Diagnostic>> {
    if let Some(file) = site.sources.get(rel) {
        return Some(Ok(Cow::Borrowed(file)));
    }
    let hash = site.sources.released(rel)?;
    let made;
    let guard = match guard {
        Some(g) => g,
        None => {
            made = Guard::new(&site.root);
            &made
        }
    };
    let max = site.config.max_file_bytes();
    Some(crate::load::read_again(guard, rel, max, hash).map(Cow::Owned))
}
