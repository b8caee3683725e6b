//! `sitemap.xml`: every page's URL with its translation alternates.

use super::pages::{PageKey, url};
use crate::markdown::escape_html;
use crate::site::Site;

/// `sitemap.xml` with `xhtml:link` translation alternates for every localized page.
pub(super) fn sitemap(site: &Site, keys: &[PageKey]) -> String {
    let base = &site.config.base_url;
    let owned: Vec<String> = keys.iter().filter_map(|k| url(site, *k)).collect();
    let mut urls: Vec<&str> = owned.iter().map(String::as_str).collect();
    urls.sort_unstable();
    urls.dedup();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for u in urls {
        out.push_str(&format!(
            "<url><loc>{}</loc>",
            escape_html(&format!("{base}/{u}"))
        ));
        let rest = site
            .languages()
            .iter()
            .find_map(|l| u.strip_prefix(&format!("{l}/")));
        if let Some(rest) = rest {
            for l in site.languages() {
                out.push_str(&format!(
                    "<xhtml:link rel=\"alternate\" hreflang=\"{l}\" href=\"{}\"/>",
                    escape_html(&format!("{base}/{l}/{rest}"))
                ));
            }
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}
