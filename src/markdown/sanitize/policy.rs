//! The allow-list: which elements, attributes, style properties and URL schemes raw HTML may
//! use. One table feeds both the ammonia cleaner (what is published) and the findings (what the
//! author is told was removed).

use super::tags::{Attr, Tag};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Elements kept (what the corpus and ordinary documents need: text-level markup, lists,
/// tables, figures, ruby, details, sections).
pub(super) const TAGS: &[&str] = &[
    "a",
    "abbr",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "nav",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Elements removed together with their content (a script's text is not prose).
pub(super) const DROPPED_WITH_CONTENT: &[&str] = &[
    "script", "style", "iframe", "object", "embed", "template", "noscript", "textarea", "title",
    "xmp", "noembed", "noframes", "svg", "math", "select",
];

/// Attributes allowed on every kept element (plus every `aria-*`).
const GENERIC_ATTRS: &[&str] = &["class", "dir", "id", "lang", "role", "style", "title"];

/// Attributes allowed on one element.
const TAG_ATTRS: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang"]),
    ("img", &["src", "alt", "width", "height"]),
    ("blockquote", &["cite"]),
    ("q", &["cite"]),
    ("del", &["cite", "datetime"]),
    ("ins", &["cite", "datetime"]),
    ("time", &["datetime"]),
    ("data", &["value"]),
    ("details", &["open"]),
    ("ol", &["start", "reversed", "type"]),
    ("li", &["value"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("td", &["colspan", "rowspan", "headers"]),
    ("th", &["colspan", "rowspan", "headers", "scope", "abbr"]),
];

/// Attributes holding a URL, whose scheme is checked.
const URL_ATTRS: &[&str] = &["href", "src", "cite"];

/// URL schemes a link or image may use; a URL without a scheme (relative) is kept.
pub(super) const SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// CSS properties a `style` attribute may set (layout and type, nothing that loads a URL or
/// moves an element over the page's own interface).
const STYLE_PROPERTIES: &[&str] = &[
    "align-items",
    "align-self",
    "border",
    "border-bottom",
    "border-left",
    "border-right",
    "border-top",
    "display",
    "flex",
    "flex-direction",
    "flex-wrap",
    "font-size",
    "font-style",
    "font-weight",
    "gap",
    "justify-content",
    "margin",
    "margin-bottom",
    "margin-left",
    "margin-right",
    "margin-top",
    "max-width",
    "padding",
    "text-align",
    "vertical-align",
    "white-space",
    "width",
];

/// The cleaner, built once.
pub(super) fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut b = ammonia::Builder::empty();
        b.tags(TAGS.iter().copied().collect())
            .clean_content_tags(DROPPED_WITH_CONTENT.iter().copied().collect())
            .generic_attributes(GENERIC_ATTRS.iter().copied().collect())
            .generic_attribute_prefixes(HashSet::from(["aria-"]))
            .tag_attributes(
                TAG_ATTRS
                    .iter()
                    .map(|(t, a)| (*t, a.iter().copied().collect()))
                    .collect::<HashMap<_, _>>(),
            )
            .url_schemes(SCHEMES.iter().copied().collect())
            .url_relative(ammonia::UrlRelative::PassThrough)
            .filter_style_properties(STYLE_PROPERTIES.iter().copied().collect())
            // The site adds no rel of its own: links keep what the author wrote.
            .link_rel(None)
            .strip_comments(true);
        b
    })
}

/// What the cleaner removes at one place: (byte offset, length, what, hint).
pub(super) type Removal = (usize, usize, String, &'static str);

/// What the cleaner will remove from the tag `t`.
pub(super) fn removals(t: &Tag) -> Vec<Removal> {
    if t.end {
        return Vec::new();
    }
    let name = t.name.as_str();
    if DROPPED_WITH_CONTENT.contains(&name) {
        return vec![(
            t.at,
            t.len,
            format!("raw HTML `<{name}>` removed with its content"),
            "scripts, styles, frames and embedded objects are never published; use Markdown or an allowed element",
        )];
    }
    if !TAGS.contains(&name) {
        return vec![(
            t.at,
            t.len,
            format!("raw HTML element `<{name}>` removed (its text is kept)"),
            "see the allowed elements in docs/content-format.md (Raw HTML)",
        )];
    }
    t.attrs
        .iter()
        .filter_map(|a| attr_removal(name, a))
        .collect()
}

pub(super) fn attr_removal(tag: &str, a: &Attr) -> Option<Removal> {
    let n = a.name.as_str();
    let allowed = GENERIC_ATTRS.contains(&n)
        || n.starts_with("aria-")
        || TAG_ATTRS
            .iter()
            .any(|(t, attrs)| *t == tag && attrs.contains(&n));
    if !allowed {
        let hint = if n.starts_with("on") {
            "event handlers (on…) run scripts and are never published"
        } else {
            "see the allowed attributes in docs/content-format.md (Raw HTML)"
        };
        return Some((
            a.at,
            n.len(),
            format!("attribute `{n}` removed from raw `<{tag}>`"),
            hint,
        ));
    }
    if URL_ATTRS.contains(&n) && !url_allowed(&decode(&a.value)) {
        return Some((
            a.at,
            n.len(),
            format!(
                "`{n}` with a `{}:` URL removed from raw `<{tag}>`",
                scheme(&decode(&a.value)).unwrap_or_default()
            ),
            "links and images may use http, https, mailto and tel URLs, or relative ones",
        ));
    }
    if n == "style" {
        return style_removal(tag, a);
    }
    None
}

fn style_removal(tag: &str, a: &Attr) -> Option<Removal> {
    let value = decode(&a.value).to_ascii_lowercase();
    let bad: Vec<&str> = value
        .split(';')
        .filter_map(|d| {
            let (p, v) = d.split_once(':')?;
            let p = p.trim();
            let loads = v.contains("url(") || v.contains("expression(") || v.contains('\\');
            (!STYLE_PROPERTIES.contains(&p) || loads).then_some(p)
        })
        .collect();
    (!bad.is_empty()).then(|| {
        (
            a.at,
            a.name.len(),
            format!("style `{}` removed from raw `<{tag}>`", bad.join("`, `")),
            "style may set layout and type only (no positioning, no URLs); prefer a class",
        )
    })
}

/// The scheme of `url` (lower case), if it has one. Browsers ignore leading spaces and control
/// characters and every tab and line break, so this does too.
pub(super) fn scheme(url: &str) -> Option<String> {
    if !url.contains(':') {
        return None;
    }
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (s, _) = cleaned.split_once(':')?;
    let mut chars = s.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    ok.then(|| s.to_ascii_lowercase())
}

/// Whether a link or image may point at `url`.
pub(super) fn url_allowed(url: &str) -> bool {
    scheme(url).is_none_or(|s| SCHEMES.contains(&s.as_str()))
}

/// Decodes the character references that can hide a scheme (`&#106;avascript&colon;`).
fn decode(v: &str) -> String {
    if !v.contains('&') {
        return v.to_string();
    }
    let mut out = String::with_capacity(v.len());
    let mut rest = v;
    while let Some(k) = rest.find('&') {
        out.push_str(&rest[..k]);
        rest = &rest[k..];
        let end = rest.find(';').filter(|&e| e < 12);
        let ent = end.map(|e| &rest[1..e]);
        let ch = ent.and_then(|e| match e {
            "colon" => Some(':'),
            "tab" | "Tab" => Some('\t'),
            "newline" | "NewLine" => Some('\n'),
            "amp" => Some('&'),
            _ => {
                let n = e.strip_prefix('#')?;
                let code = match n.strip_prefix(['x', 'X']) {
                    Some(h) => u32::from_str_radix(h, 16).ok()?,
                    None => n.parse().ok()?,
                };
                char::from_u32(code)
            }
        });
        match (ch, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_found_through_disguises() {
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:x",
            "data:text/html,x",
            "vbscript:x",
        ] {
            assert!(!url_allowed(bad), "{bad}");
        }
        assert!(!url_allowed(&decode("&#106;avascript&colon;x")));
        assert!(!url_allowed(&decode("&#x6A;avascript:x")));
        for good in [
            "https://x.org",
            "mailto:a@b",
            "../a/",
            "#x",
            "a.html?q=b:c",
            "",
        ] {
            assert!(url_allowed(good), "{good}");
        }
    }
}
