//! Live reload: the Server-Sent Events hub at [`EVENTS_PATH`], which pages changed between two
//! builds, and what is injected into every HTML response (the reload script and, while the
//! latest build has errors, the error overlay).

use crate::ground::lock;
use axum::body::Body;
use futures_util::StreamExt as _;
use std::convert::Infallible;
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::mpsc::{self, UnboundedReceiver, UnboundedSender};

/// The URL of the event stream.
pub const EVENTS_PATH: &str = "/__plansite/events";

/// How often an idle event stream sends a comment, so dead clients are noticed.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// The connected event-stream clients.
#[derive(Default)]
pub struct Hub {
    // Unbounded: the rebuilder (a plain thread) sends without waiting, and a client gets at
    // most one small message per rebuild.
    clients: Mutex<Vec<UnboundedSender<String>>>,
}

impl Hub {
    /// Registers a client; it receives every message sent from now on.
    pub fn subscribe(&self) -> UnboundedReceiver<String> {
        let (tx, rx) = mpsc::unbounded_channel();
        lock(&self.clients).push(tx);
        rx
    }

    /// Sends a `reload` event naming `paths` to every client (none when `paths` is empty);
    /// returns how many clients got it. Clients that went away are dropped.
    pub fn reload(&self, paths: &[String]) -> usize {
        if paths.is_empty() {
            return 0;
        }
        let msg = reload_event(paths);
        let mut clients = lock(&self.clients);
        clients.retain(|c| c.send(msg.clone()).is_ok());
        clients.len()
    }
}

/// The SSE text of a reload event.
pub fn reload_event(paths: &[String]) -> String {
    format!("event: reload\ndata: {}\n\n", paths.join(" "))
}

/// The body of one client's event stream: a `retry` hint, then every message of the hub
/// from now on, with a comment after each idle [`KEEPALIVE`] so a dead client is noticed. It
/// ends when the client goes away (the server drops the body, and with it the receiver).
pub fn event_stream(hub: &Hub) -> Body {
    // Subscribed before the first byte goes out: a client that has read the head misses nothing.
    let rx = hub.subscribe();
    let first =
        futures_util::stream::once(async { Ok::<_, Infallible>("retry: 1000\n\n".to_string()) });
    let rest = futures_util::stream::unfold(rx, |mut rx| async move {
        let msg = match tokio::time::timeout(KEEPALIVE, rx.recv()).await {
            Ok(Some(msg)) => msg,
            Ok(None) => return None,
            Err(_) => ": keepalive\n\n".to_string(),
        };
        Some((Ok::<_, Infallible>(msg), rx))
    });
    Body::from_stream(first.chain(rest))
}

/// The URL path of an output file: `ja/index.html` → `/ja/`, `index.html` → `/`,
/// `static/style.css` → `/static/style.css`; percent-encoded like a browser's
/// `location.pathname`, so it never contains a space.
pub fn url_path(file: &str) -> String {
    let dir = if file == "index.html" {
        ""
    } else {
        file.strip_suffix("/index.html")
            .map_or(file, |d| &file[..d.len() + 1])
    };
    let mut out = String::from("/");
    for b in dir.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The URL paths to reload for these changed output files (added, removed or changed in
/// bytes), plus `*` (every page) when a static asset changed, since pages use assets without
/// naming them.
pub fn paths_of(mut changed: Vec<String>) -> Vec<String> {
    changed.sort();
    changed.dedup();
    let mut paths: Vec<String> = changed.iter().map(|k| url_path(k)).collect();
    if changed.iter().any(|k| k.starts_with("static/")) {
        paths.insert(0, "*".into());
    }
    paths
}

/// The inline reload script for the page at URL path `page`. It reloads when a `reload` event
/// names `page` or `*`, and keeps the scroll position across the reload (sessionStorage).
pub fn script(page: &str) -> String {
    // A JSON string is a JS string literal; `<\/` keeps `</script>` from ending the element.
    let page = serde_json::to_string(page)
        .unwrap_or_else(|_| "\"\"".into())
        .replace("</", "<\\/");
    format!(
        r#"<script>/* plansite live reload */(function(){{var page={page},key="plansite-scroll:"+location.pathname;try{{var y=sessionStorage.getItem(key);if(y!==null){{sessionStorage.removeItem(key);var go=function(){{scrollTo(0,+y)}};if(document.readyState==="complete")go();else addEventListener("load",go)}}}}catch(_){{}}var es=new EventSource("{EVENTS_PATH}");es.addEventListener("reload",function(e){{var p=e.data.split(" ");if(p.indexOf("*")<0&&p.indexOf(page)<0)return;try{{sessionStorage.setItem(key,String(scrollY))}}catch(_){{}}es.close();location.reload()}})}})();</script>"#
    )
}

/// The fixed-position error overlay showing `diagnostics` (plain text, escaped here).
pub fn overlay(diagnostics: &str) -> String {
    format!(
        concat!(
            r#"<div id="plansite-overlay" role="alert" style="position:fixed;top:0;left:0;right:0;"#,
            r#"max-height:70vh;overflow:auto;z-index:2147483647;margin:0;padding:1em 1.25em;"#,
            r#"background:#2b0b0e;color:#ffe8e8;border-bottom:4px solid #e5484d;text-align:left;"#,
            r#"font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace">"#,
            r#"<button type="button" aria-label="Dismiss" onclick="this.parentNode.remove()" "#,
            r#"style="float:right;font:inherit;cursor:pointer">&#215;</button>"#,
            r#"<strong>plansite: the site has errors; showing the last good build</strong>"#,
            r#"<pre style="white-space:pre-wrap;margin:.75em 0 0;font:inherit;color:inherit">{}</pre></div>"#
        ),
        crate::markdown::escape_html(diagnostics)
    )
}

/// `html` with the reload script for `page` (and the overlay when `diagnostics` is given)
/// inserted before the last `</body>`, or appended when there is none.
pub fn inject(html: &[u8], page: &str, diagnostics: Option<&str>) -> Vec<u8> {
    let mut snippet = diagnostics.map(overlay).unwrap_or_default();
    snippet.push_str(&script(page));
    let at = rfind_ignore_case(html, b"</body").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn rfind_ignore_case(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_paths_of_output_files() {
        assert_eq!(url_path("index.html"), "/");
        assert_eq!(url_path("ja/index.html"), "/ja/");
        assert_eq!(url_path("ja/items/TP-P1/index.html"), "/ja/items/TP-P1/");
        assert_eq!(url_path("404.html"), "/404.html");
        assert_eq!(url_path("static/style.css"), "/static/style.css");
        assert_eq!(url_path("a b/計/index.html"), "/a%20b/%E8%A8%88/");
    }

    #[test]
    fn reload_paths_are_url_paths_and_a_static_change_reloads_all() {
        let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            paths_of(v(&["new.csv", "ja/index.html", "gone.txt", "new.csv"])),
            ["/gone.txt", "/ja/", "/new.csv"]
        );
        assert!(paths_of(Vec::new()).is_empty());
        assert_eq!(
            paths_of(v(&["static/style.css"])),
            ["*", "/static/style.css"]
        );
    }

    #[test]
    fn injects_before_last_body_close() {
        let html = b"<html><body><p>x</p></BODY></html>";
        let out = String::from_utf8(inject(html, "/ja/", None)).unwrap();
        let script_at = out.find("<script>").unwrap();
        assert!(script_at < out.find("</BODY>").unwrap());
        assert!(out.contains("var page=\"/ja/\""));
        assert!(out.contains(EVENTS_PATH));
        assert!(!out.contains("plansite-overlay"));
        let bare = String::from_utf8(inject(b"<p>x</p>", "/", None)).unwrap();
        assert!(bare.starts_with("<p>x</p><script>"));
    }

    #[test]
    fn overlay_escapes_diagnostics() {
        let html = b"<body></body>";
        let out = String::from_utf8(inject(html, "/", Some("error <b>&\"x\"</b>"))).unwrap();
        assert!(out.contains(r#"<div id="plansite-overlay" role="alert""#));
        assert!(out.contains("error &lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;"));
        assert!(out.find("plansite-overlay").unwrap() < out.find("<script>").unwrap());
    }

    #[test]
    fn script_page_cannot_close_the_element() {
        let s = script("/</script><x>/");
        assert_eq!(s.matches("</script>").count(), 1);
    }

    #[test]
    fn hub_sends_reload_events() {
        let hub = Hub::default();
        let mut rx = hub.subscribe();
        assert_eq!(hub.reload(&[]), 0);
        assert_eq!(hub.reload(&["/ja/".into(), "/en/".into()]), 1);
        assert_eq!(rx.try_recv().unwrap(), "event: reload\ndata: /ja/ /en/\n\n");
        drop(rx);
        assert_eq!(hub.reload(&["*".into()]), 0);
    }
}
