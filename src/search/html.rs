//! The words of a rendered page for search: tags and glossary tooltips removed, entities
//! decoded, whitespace collapsed, and the text cut into passages at each heading that has an
//! anchor (so a hit can link to the nearest heading and show the passage around it). One pass
//! over every page of a build, without intermediate copies.

/// Tags after which the text of the next block starts (a space in the search text).
const BLOCK: &[&str] = &[
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "td",
    "th",
    "div",
    "br",
    "dt",
    "dd",
    "section",
    "blockquote",
    "aside",
    "tr",
    "figcaption",
];

/// The entities the renderer writes, decoded.
const ENTITIES: [(&str, char); 5] = [
    ("&amp;", '&'),
    ("&lt;", '<'),
    ("&gt;", '>'),
    ("&quot;", '"'),
    ("&#39;", '\''),
];

/// Appends text with runs of whitespace collapsed to one space and none at the start.
struct Collapsed {
    out: String,
    space: bool,
}

impl Collapsed {
    fn push(&mut self, c: char) {
        if c.is_whitespace() {
            self.space = !self.out.is_empty();
        } else {
            if self.space {
                self.out.push(' ');
                self.space = false;
            }
            self.out.push(c);
        }
    }

    /// Text between tags, with entities decoded and the theme's placeholders (`@@t:key@@`,
    /// interface words such as a footnotes heading, filled in only when a page is written)
    /// left out: they are not content.
    fn push_text(&mut self, text: &str) {
        let mut rest = text;
        let ui = crate::markdown::UI;
        while let Some(at) = rest.find(ui) {
            let Some(end) = rest[at + ui.len()..].find("@@") else {
                break;
            };
            self.push_plain(&rest[..at]);
            rest = &rest[at + ui.len() + end + 2..];
        }
        self.push_plain(rest);
    }

    fn push_plain(&mut self, mut text: &str) {
        while let Some(amp) = text.find('&') {
            text[..amp].chars().for_each(|c| self.push(c));
            let rest = &text[amp..];
            match ENTITIES.iter().find(|(e, _)| rest.starts_with(e)) {
                Some((e, c)) => {
                    self.push(*c);
                    text = &rest[e.len()..];
                }
                None => {
                    self.push('&');
                    text = &rest[1..];
                }
            }
        }
        text.chars().for_each(|c| self.push(c));
    }
}

/// One passage of a page: the text under one anchored heading (the first passage, before any
/// heading, has no anchor).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Passage {
    /// The heading's `id` ("" for the text before the first heading).
    pub anchor: String,
    /// The heading's text.
    pub heading: String,
    /// The text under the heading.
    pub text: String,
}

/// The value of attribute `id` in the inside of a tag.
fn id_of(tag: &str) -> Option<&str> {
    let at = tag.find(" id=\"")? + 5;
    let end = tag[at..].find('"')?;
    Some(&tag[at..at + end])
}

fn collapsed() -> Collapsed {
    Collapsed {
        out: String::new(),
        space: false,
    }
}

/// Cuts rendered HTML into passages at each `<h2>`–`<h6>` with an `id`, removing tags (and
/// glossary tooltips, which repeat definitions) and decoding the few entities the renderer
/// writes. Inline tags join their text without a space, so Japanese words that contain a link
/// still form bigrams. Passages without text or heading are left out.
pub fn html_passages(html: &str) -> Vec<Passage> {
    let mut cut = Cutter {
        done: Vec::new(),
        anchor: String::new(),
        heading: collapsed(),
        body: collapsed(),
        in_heading: None,
        skip_depth: 0,
    };
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        cut.text(&rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            rest = &rest[lt..];
            break;
        };
        cut.tag(&rest[lt + 1..lt + gt]);
        rest = &rest[lt + gt + 1..];
    }
    cut.text(rest);
    cut.flush();
    cut.done
}

/// The state of [`html_passages`] between two pieces of the page.
struct Cutter {
    /// The passages finished so far.
    done: Vec<Passage>,
    /// The `id` of the heading of the passage being read.
    anchor: String,
    heading: Collapsed,
    body: Collapsed,
    /// The level of the anchored heading being read.
    in_heading: Option<String>,
    /// How deep inside a glossary tooltip (whose text is left out) the reader is.
    skip_depth: usize,
}

impl Cutter {
    /// Where text goes now: the heading's text or the passage's.
    fn target(&mut self) -> &mut Collapsed {
        if self.in_heading.is_some() {
            &mut self.heading
        } else {
            &mut self.body
        }
    }

    /// Text between two tags.
    fn text(&mut self, text: &str) {
        if self.skip_depth == 0 {
            self.target().push_text(text);
        }
    }

    /// A tag (what is between `<` and `>`): a tooltip starts or ends, an anchored heading
    /// starts a passage or ends, a block ends a word.
    fn tag(&mut self, tag: &str) {
        let closing = tag.starts_with('/');
        let inner = tag.trim_start_matches('/');
        let name_len = inner.bytes().take_while(u8::is_ascii_alphanumeric).count();
        let name = &inner[..name_len];
        if name == "span" {
            if self.skip_depth > 0 {
                if closing {
                    self.skip_depth -= 1;
                } else {
                    self.skip_depth += 1;
                }
            } else if tag.contains("class=\"term-def\"") {
                self.skip_depth = 1;
            }
        }
        let is_h = matches!(name, "h2" | "h3" | "h4" | "h5" | "h6");
        if is_h && !closing && self.skip_depth == 0 {
            if let Some(id) = id_of(tag) {
                self.flush();
                self.anchor = id.to_string();
                self.in_heading = Some(name.to_string());
            }
        } else if is_h && closing && self.in_heading.as_deref() == Some(name) {
            self.in_heading = None;
        } else if self.skip_depth == 0 && BLOCK.contains(&name) {
            self.target().push(' ');
        }
    }

    /// Ends the passage being read (kept when it has a heading or text).
    fn flush(&mut self) {
        let (h, t) = (
            std::mem::take(&mut self.heading.out),
            std::mem::take(&mut self.body.out),
        );
        self.heading.space = false;
        self.body.space = false;
        if !h.is_empty() || !t.is_empty() {
            self.done.push(Passage {
                anchor: self.anchor.clone(),
                heading: h,
                text: t,
            });
        }
    }
}

/// The whole text of rendered HTML (headings included), as one string.
pub fn html_text(html: &str) -> String {
    let mut out = String::new();
    for p in html_passages(html) {
        for part in [p.heading, p.text] {
            if part.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&part);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_text_strips_tags() {
        assert_eq!(
            html_text("<p>政府は<a href=\"x\">基準</a>を&amp;</p><p>次</p>"),
            "政府は基準を& 次"
        );
        let term = "<span class=\"term\"><a>重要インフラ</a><span class=\"term-def\" role=\"tooltip\">定義<span lang=\"ja\">語</span></span></span>の";
        assert_eq!(html_text(term), "重要インフラの");
    }

    #[test]
    fn interface_placeholders_are_not_text() {
        assert_eq!(
            html_text("<aside><p>@@t:note_editorial@@</p><p>本文</p></aside><p>a@@b</p>"),
            "本文 a@@b"
        );
    }

    #[test]
    fn entities_are_decoded_once_and_whitespace_collapses() {
        assert_eq!(html_text("<p>a &amp;lt; b</p>"), "a &lt; b");
        assert_eq!(
            html_text("<p>x &quot;y&quot; &#39;z&#39; &gt;</p>"),
            "x \"y\" 'z' >"
        );
        assert_eq!(
            html_text("  <p>一\u{3000}\n 二</p><li>三</li>  "),
            "一 二 三"
        );
        assert_eq!(html_text("&unknown; & done"), "&unknown; & done");
        assert_eq!(html_text("text <unclosed"), "text <unclosed");
    }

    #[test]
    fn passages_start_at_anchored_headings() {
        let html = "<p>前文</p><h2 id=\"a\">見出し<em>A</em></h2><p>本文A</p><h3>無名</h3><p>続き</p>\
                    <h3 id=\"BP1-X\" class=\"item-heading\">項目</h3><p>本文B</p>";
        let p = html_passages(html);
        assert_eq!(p.len(), 3);
        assert_eq!((p[0].anchor.as_str(), p[0].text.as_str()), ("", "前文"));
        assert_eq!(p[1].anchor, "a");
        assert_eq!(p[1].heading, "見出しA");
        assert_eq!(p[1].text, "本文A 無名 続き");
        assert_eq!(p[2].anchor, "BP1-X");
        assert_eq!(p[2].heading, "項目");
        assert_eq!(p[2].text, "本文B");
    }
}
