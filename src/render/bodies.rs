//! The rendered Markdown bodies pages are built from: kept from the compile (`serve`, tests),
//! or rendered here one section at a time, so that a full build never holds every section's
//! HTML at once (see [`crate::build::Html::OnDemand`]).

use crate::markdown::{self, Rendered};
use crate::site::{LinkContext, Site};
use std::sync::Arc;

/// Looks up a section's rendered body in one language.
pub(crate) struct Bodies<'a> {
    site: &'a Site,
    /// The bodies of the section being rendered, when the compile kept none.
    local: Vec<(usize, String, Arc<Rendered>)>,
}

impl<'a> Bodies<'a> {
    /// The bodies the compile kept in [`Site::rendered`].
    pub(crate) fn kept(site: &'a Site) -> Bodies<'a> {
        Bodies {
            site,
            local: Vec::new(),
        }
    }

    /// Every language variant of section `si`: kept ones are shared, missing ones rendered now.
    /// A page of that section, of an item whose prose lives there, or its search records,
    /// needs nothing else.
    pub(crate) fn of_section(site: &'a Site, si: usize) -> Bodies<'a> {
        Self::of_variants(site, si, |_| true)
    }

    /// Only the variant of section `si` in `lang` (the single-page document needs no other).
    pub(crate) fn of_variant(site: &'a Site, si: usize, lang: &str) -> Bodies<'a> {
        Self::of_variants(site, si, |l| l == lang)
    }

    fn of_variants(site: &'a Site, si: usize, wanted: impl Fn(&str) -> bool) -> Bodies<'a> {
        let ctx = LinkContext { site };
        let local = site.content.sections[si]
            .variants
            .iter()
            .filter(|v| wanted(&v.lang))
            .filter_map(|v| {
                let kept = site.rendered.get(&(si, v.lang.clone())).cloned();
                let body = match kept {
                    Some(r) => r,
                    None => {
                        let file = site.sources.get(&v.file)?;
                        Arc::new(markdown::render_with(
                            file,
                            v.body_offset,
                            &v.lang,
                            &ctx,
                            true,
                        ))
                    }
                };
                Some((si, v.lang.clone(), body))
            })
            .collect();
        Bodies { site, local }
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
