//! What the dev server makes of a request, independent of the HTTP library that carries it
//! (see `server.rs`): checks the request path for safety, resolves it against the in-memory
//! site and describes the response. GET and HEAD only.

use axum::http::StatusCode;

/// The parts of a request line the server looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `GET`, `HEAD`, …
    pub method: String,
    /// The raw request target (`/ja/?x=1`).
    pub target: String,
}

impl Request {
    /// Whether only the head of the response is wanted.
    pub fn is_head(&self) -> bool {
        self.method == "HEAD"
    }

    /// Whether the server answers this method at all.
    pub fn is_supported(&self) -> bool {
        self.method == "GET" || self.is_head()
    }
}

fn split_query(target: &str) -> (&str, &str) {
    let end = target.find(['?', '#']).unwrap_or(target.len());
    target.split_at(end)
}

/// The site-relative path a request target names, percent-decoded and with a trailing `/`
/// kept (`""` for the root, `"ja/"`, `"static/style.css"`). `None` for anything unsafe or
/// odd: not starting with `/`, empty or `.`/`..` segments (also percent-encoded), encoded
/// slashes, backslashes, control characters, bad escapes.
pub fn safe_path(target: &str) -> Option<String> {
    let path = split_query(target).0;
    let rest = path.strip_prefix('/')?;
    if path.bytes().any(|b| b <= b' ' || b == 0x7f || b == b'\\') {
        return None;
    }
    let segments: Vec<&str> = rest.split('/').collect();
    let last = segments.len() - 1;
    let mut out = String::with_capacity(rest.len());
    for (i, raw) in segments.iter().enumerate() {
        if raw.is_empty() {
            // Only the segment after a trailing slash (or the root itself) may be empty.
            if i == last {
                break;
            }
            return None;
        }
        let seg = percent_decode(raw)?;
        if seg == "."
            || seg == ".."
            || seg.contains(['/', '\\'])
            || seg.chars().any(char::is_control)
        {
            return None;
        }
        out.push_str(&seg);
        if i != last {
            out.push('/');
        }
    }
    Some(out)
}

/// Decodes `%XX` escapes; `None` for a bad escape or bytes that are not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// What a safe path names in the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// This output file.
    File(String),
    /// A directory asked for without its trailing slash: redirect there.
    AddSlash,
    /// Nothing.
    NotFound,
}

/// Resolves a [`safe_path`] against the site (`exists` tells whether an output file exists):
/// `""` and `dir/` map to their `index.html`; `dir` redirects to `dir/` when that exists.
pub fn resolve(path: &str, exists: impl Fn(&str) -> bool) -> Resolved {
    if path.is_empty() || path.ends_with('/') {
        let index = format!("{path}index.html");
        return if exists(&index) {
            Resolved::File(index)
        } else {
            Resolved::NotFound
        };
    }
    if exists(path) {
        Resolved::File(path.to_string())
    } else if exists(&format!("{path}/index.html")) {
        Resolved::AddSlash
    } else {
        Resolved::NotFound
    }
}

/// The `Location` for [`Resolved::AddSlash`]: the raw path plus `/`, query kept.
pub fn slash_location(target: &str) -> String {
    let (path, query) = split_query(target);
    format!("{path}/{query}")
}

/// The `Content-Type` for an output path, by extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// The reason phrase of a status code (`""` for an unknown one).
fn reason(status: u16) -> &'static str {
    StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("")
}

/// A complete response.
#[derive(Debug, Clone)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Extra headers besides `Content-Type`, `Content-Length` and the fixed ones.
    pub headers: Vec<(&'static str, String)>,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// Body (not sent for HEAD).
    pub body: Vec<u8>,
}

impl Response {
    /// A response with a body.
    pub fn new(status: u16, content_type: &'static str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: Vec::new(),
            content_type,
            body,
        }
    }

    /// A short plain-text response (errors).
    pub fn text(status: u16, text: &str) -> Response {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            format!("{status} {}\n{text}\n", reason(status)).into_bytes(),
        )
    }

    /// A permanent redirect.
    pub fn redirect(location: String) -> Response {
        let mut r = Response::text(301, &location);
        r.headers.push(("Location", location));
        r
    }

    /// `405` with the `Allow` header.
    pub fn method_not_allowed() -> Response {
        let mut r = Response::text(405, "only GET and HEAD are supported");
        r.headers.push(("Allow", "GET, HEAD".into()));
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_paths_keep_trailing_slash_and_decode() {
        assert_eq!(safe_path("/").as_deref(), Some(""));
        assert_eq!(safe_path("/ja/").as_deref(), Some("ja/"));
        assert_eq!(safe_path("/ja").as_deref(), Some("ja"));
        assert_eq!(
            safe_path("/static/style.css?v=1#x").as_deref(),
            Some("static/style.css")
        );
        assert_eq!(safe_path("/a%20b/").as_deref(), Some("a b/"));
        assert_eq!(safe_path("/%E8%A8%88/").as_deref(), Some("計/"));
    }

    #[test]
    fn traversal_and_odd_paths_are_rejected() {
        for bad in [
            "/../plansite.toml",
            "/ja/../../plansite.toml",
            "/%2e%2e/plansite.toml",
            "/%2E%2E/plansite.toml",
            "/.%2e/plansite.toml",
            "/ja/..%2f..%2fplansite.toml",
            "/ja/%2f/x",
            "/..\\plansite.toml",
            "/ja/%5c..%5cplansite.toml",
            "/./index.html",
            "//etc/passwd",
            "/ja//index.html",
            "plansite.toml",
            "http://example.org/",
            "*",
            "/%zz",
            "/%",
            "/%00",
            "/%ff",
            "/a\tb",
        ] {
            assert_eq!(safe_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn resolves_indexes_and_redirects_directories() {
        let files = ["index.html", "ja/index.html", "static/style.css"];
        let exists = |p: &str| files.contains(&p);
        assert_eq!(resolve("", exists), Resolved::File("index.html".into()));
        assert_eq!(
            resolve("ja/", exists),
            Resolved::File("ja/index.html".into())
        );
        assert_eq!(resolve("ja", exists), Resolved::AddSlash);
        assert_eq!(
            resolve("static/style.css", exists),
            Resolved::File("static/style.css".into())
        );
        assert_eq!(resolve("static/", exists), Resolved::NotFound);
        assert_eq!(resolve("nope", exists), Resolved::NotFound);
        assert_eq!(slash_location("/ja?x=1"), "/ja/?x=1");
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type("ja/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("static/style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("a.JS"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("graph.json"), "application/json");
        assert_eq!(
            content_type("sitemap.xml"),
            "application/xml; charset=utf-8"
        );
        assert_eq!(content_type("goals.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("robots.txt"), "text/plain; charset=utf-8");
        assert_eq!(content_type("d.svg"), "image/svg+xml");
        assert_eq!(content_type("p.png"), "image/png");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
