//! A small, forgiving reader of the tags in a raw HTML fragment, with their byte offsets. It
//! only decides how far a raw HTML fragment reaches and where to point a finding; what is
//! published is decided by ammonia on the parsed fragment, never by this reader.

/// One attribute of a start tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Attr {
    /// Lower-case name.
    pub name: String,
    /// The value as written (entities not decoded), empty when there is none.
    pub value: String,
    /// Byte offset of the name in the fragment.
    pub at: usize,
}

/// A tag of the fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Tag {
    /// Lower-case element name.
    pub name: String,
    /// An end tag (`</p>`).
    pub end: bool,
    /// Written `<br/>`.
    pub self_closing: bool,
    /// Attributes of a start tag.
    pub attrs: Vec<Attr>,
    /// Byte offset of the `<`.
    pub at: usize,
    /// Byte length up to and including the `>` (or the end of the fragment).
    pub len: usize,
}

/// Elements with no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];

/// Elements whose content is text up to their end tag (what looks like a tag inside is not).
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

impl Tag {
    /// How the element depth changes at this tag: +1 for a start tag of an element that will
    /// be closed, -1 for an end tag.
    pub fn depth_change(&self) -> isize {
        match (
            self.end,
            self.self_closing || VOID.contains(&self.name.as_str()),
        ) {
            (true, _) => -1,
            (false, true) => 0,
            (false, false) => 1,
        }
    }
}

/// The tags of `html`, in order (comments, doctypes and text are skipped).
pub(super) fn tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(k) = memchr::memchr(b'<', &b[i..]) {
        let at = i + k;
        let rest = &html[at..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            i = comment.find("-->").map_or(b.len(), |e| at + 4 + e + 3);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            i = rest.find('>').map_or(b.len(), |e| at + e + 1);
            continue;
        }
        let end = rest.starts_with("</");
        let name_at = at + if end { 2 } else { 1 };
        if !b.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            i = at + 1;
            continue;
        }
        let tag = read_tag(html, at, name_at, end);
        i = at + tag.len;
        if !tag.end && RAW_TEXT.contains(&tag.name.as_str()) {
            // Skip the element's text: `</script>` ends it, whatever case.
            let close = format!("</{}", tag.name);
            let lower = html[i..].to_ascii_lowercase();
            i = lower.find(&close).map_or(b.len(), |e| i + e);
        }
        out.push(tag);
    }
    out
}

fn read_tag(html: &str, at: usize, name_at: usize, end: bool) -> Tag {
    let b = html.as_bytes();
    let mut i = name_at;
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'/' && b[i] != b'>' {
        i += 1;
    }
    let name = html[name_at..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            self_closing = b[i] == b'/';
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' {
            break;
        }
        self_closing = false;
        let name_start = i;
        // The first character of a name may be `=` (the HTML tokenizer says so).
        i += 1;
        while i < b.len() && !matches!(b[i], b'=' | b'>' | b'/') && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        let attr_name = html[name_start..i].to_ascii_lowercase();
        let mut j = i;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        let mut value = String::new();
        if b.get(j) == Some(&b'=') {
            j += 1;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            let (v, next) = read_value(html, j);
            value = v;
            i = next;
        }
        attrs.push(Attr {
            name: attr_name,
            value,
            at: name_start,
        });
    }
    let len = (i + 1).min(b.len()) - at;
    Tag {
        name,
        end,
        self_closing,
        attrs: if end { Vec::new() } else { attrs },
        at,
        len,
    }
}

fn read_value(html: &str, j: usize) -> (String, usize) {
    let b = html.as_bytes();
    match b.get(j) {
        Some(&q @ (b'"' | b'\'')) => {
            let close = memchr::memchr(q, &b[j + 1..]).map_or(b.len(), |e| j + 1 + e);
            (html[j + 1..close].to_string(), (close + 1).min(b.len()))
        }
        _ => {
            let mut e = j;
            while e < b.len() && !b[e].is_ascii_whitespace() && b[e] != b'>' {
                e += 1;
            }
            (html[j..e].to_string(), e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_attributes_and_offsets() {
        let t = tags("x <IMG src=x onerror='a(1)' alt=\"b > c\"/>y</p><!-- <b> -->");
        assert_eq!(t.len(), 2);
        assert_eq!(
            (t[0].name.as_str(), t[0].at, t[0].self_closing),
            ("img", 2, true)
        );
        let names: Vec<_> = t[0].attrs.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["src", "onerror", "alt"]);
        assert_eq!(t[0].attrs[1].value, "a(1)");
        assert_eq!(t[0].attrs[1].at, 13);
        assert_eq!(t[0].attrs[2].value, "b > c");
        assert!(t[1].end);
        assert_eq!(t[0].depth_change() + t[1].depth_change(), -1);
    }

    #[test]
    fn script_text_is_not_read_as_tags() {
        let t = tags("<script>if (a<b) { x('<img src=y onerror=z>') }</SCRIPT><b>");
        let names: Vec<_> = t.iter().map(|t| (t.name.as_str(), t.end)).collect();
        assert_eq!(names, [("script", false), ("script", true), ("b", false)]);
    }

    #[test]
    fn slash_separated_attributes_are_attributes() {
        let t = tags("<img/src=\"x\"/onerror=alert(1)>");
        let names: Vec<_> = t[0].attrs.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["src", "onerror"]);
    }
}
