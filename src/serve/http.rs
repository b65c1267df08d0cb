//! The HTTP side: the site's files, the reload script, the status and the
//! event stream.

use super::files::Held;
use super::guard::{self, Hosts};
use super::status::{Msg, Shared};
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware;
use axum::response::Response;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use serde_json::json;
use std::borrow::Cow;
use std::convert::Infallible;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

/// The path of the reload script, as `render::RELOAD_SCRIPT` names it in
/// the pages it renders for serve.
const RELOAD_JS_PATH: &str = "/__refbook/reload.js";
const EVENTS_PATH: &str = "/__refbook/events";
const STATUS_PATH: &str = "/__refbook/status";

/// Shown while the book has never built.
const NO_SITE: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>refbook serve: no site yet</title></head><body><h1>The book does not build yet</h1><p>Its errors are listed in the terminal and above. The site appears here as soon as it builds.</p><script src=\"/__refbook/reload.js\"></script></body></html>";

/// The client side: reloads a page when its file (or any asset) changed,
/// and shows build errors as an overlay. Text only goes in through
/// `textContent`; styles through the CSSOM (allowed by the pages' CSP).
const RELOAD_JS: &str = include_str!("reload.js");

/// The file a request path names inside `site`, without touching the disk:
/// `None` when any part is `..`, `.`, hidden, or holds a backslash or NUL
/// (after percent-decoding, so `%2e%2e` and `%2f` cannot hide them).
fn site_path(site: &Path, raw_path: &str) -> Option<(PathBuf, Vec<String>)> {
    let decoded = percent_encoding::percent_decode_str(raw_path)
        .decode_utf8()
        .ok()?;
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        if part.is_empty() {
            continue;
        }
        if part.starts_with('.') || part.contains(['\\', '\0']) {
            return None;
        }
        // One plain name, nothing a platform could read as a root or prefix.
        let mut c = Path::new(part).components();
        match (c.next(), c.next()) {
            (Some(Component::Normal(_)), None) => {}
            _ => return None,
        }
        parts.push(part.to_string());
    }
    let mut p = site.to_path_buf();
    for part in &parts {
        p.push(part);
    }
    Some((p, parts))
}

/// The content type of a served file, by its extension. Text is sent as
/// UTF-8, which is what a build writes.
fn content_type(path: &Path) -> Cow<'static, str> {
    match mime_guess::from_path(path).first_raw() {
        Some(t) if t.starts_with("text/") || t == "application/javascript" => {
            format!("{t}; charset=utf-8").into()
        }
        Some(t) => t.into(),
        None => "application/octet-stream".into(),
    }
}

/// A response with the headers every answer carries.
pub(super) fn respond(status: StatusCode, ctype: &str, body: Vec<u8>, head: bool) -> Response {
    let len = body.len();
    let mut r = Response::new(if head {
        Body::empty()
    } else {
        Body::from(body)
    });
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(ctype)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    // Always the latest build.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

async fn not_found(s: &Shared, head: bool) -> Response {
    let page = if s.status().has_site {
        tokio::fs::read(s.site.join("404.html")).await.ok()
    } else {
        None
    };
    let body = page.unwrap_or_else(|| NO_SITE.as_bytes().to_vec());
    respond(
        StatusCode::NOT_FOUND,
        "text/html; charset=utf-8",
        body,
        head,
    )
}

async fn serve_file(State(s): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    let head = method == Method::HEAD;
    if method != Method::GET && !head {
        let mut r = respond(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            b"only GET and HEAD\n".to_vec(),
            false,
        );
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let target = locate(&s.site, &s.held, &uri).await;
    match target {
        Target::File(real) => match tokio::fs::read(&real).await {
            Ok(bytes) => respond(StatusCode::OK, &content_type(&real), bytes, head),
            Err(_) => not_found(&s, head).await,
        },
        Target::Held(rel, bytes) => respond(
            StatusCode::OK,
            &content_type(Path::new(&rel)),
            bytes.to_vec(),
            head,
        ),
        Target::Folder(loc) => {
            let mut r = respond(
                StatusCode::MOVED_PERMANENTLY,
                "text/plain; charset=utf-8",
                Vec::new(),
                head,
            );
            if let Ok(v) = HeaderValue::from_str(&loc) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        Target::Missing => not_found(&s, head).await,
    }
}

/// The file a request names among those made and not yet written (`parts`:
/// its checked path in the site): a folder's (with its slash) is its
/// `index.html`; a folder asked for without it is redirected, as on disk.
fn held(held: &Held, parts: &[String], uri: &Uri) -> Option<Target> {
    let rel = parts.join("/");
    let index = match rel.is_empty() {
        true => "index.html".to_string(),
        false => format!("{rel}/index.html"),
    };
    if !uri.path().ends_with('/') && !rel.is_empty() {
        if let Some(bytes) = held.get(&rel) {
            return Some(Target::Held(rel, bytes));
        }
        return (held.get(&index).is_some()).then(|| Target::Folder(folder_location(parts, uri)));
    }
    let bytes = held.get(&index)?;
    Some(Target::Held(index, bytes))
}

/// Where a folder asked for without its slash redirects. Built from the
/// checked parts, so `//host` cannot become an open redirect.
fn folder_location(parts: &[String], uri: &Uri) -> String {
    let mut loc = String::from("/");
    for p in parts {
        loc.push_str(&percent_encoding::utf8_percent_encode(p, PATH_SET).to_string());
        loc.push('/');
    }
    if let Some(q) = uri.query() {
        loc.push('?');
        loc.push_str(q);
    }
    loc
}

/// Where a request leads in the site.
#[derive(Debug, PartialEq)]
enum Target {
    /// A file, by its canonical path, inside the site.
    File(PathBuf),
    /// A file made and not yet written (its path in the site, its bytes).
    Held(String, Arc<[u8]>),
    /// A folder asked for without its slash: where to redirect.
    Folder(String),
    /// Nothing, or nothing we serve.
    Missing,
}

/// Finds the file `uri` names in `site` (a canonical path): first among
/// the files `held`, made and not yet written.
async fn locate(site: &Path, held_files: &Held, uri: &Uri) -> Target {
    let raw = uri.path();
    let Some((mut path, parts)) = site_path(site, raw) else {
        return Target::Missing;
    };
    if let Some(t) = held(held_files, &parts, uri) {
        return t;
    }
    match tokio::fs::metadata(&path).await {
        Ok(m) if m.is_dir() => {
            if !raw.ends_with('/') {
                // Relative links need the slash.
                return Target::Folder(folder_location(&parts, uri));
            }
            path.push("index.html");
        }
        Ok(_) => {}
        Err(_) => return Target::Missing,
    }
    // Symlinks and anything else the lexical check cannot see.
    match tokio::fs::canonicalize(&path).await {
        Ok(real) if real.starts_with(site) => Target::File(real),
        _ => Target::Missing,
    }
}

/// Characters escaped in a redirect's path parts.
const PATH_SET: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'\\');

async fn reload_js() -> Response {
    respond(
        StatusCode::OK,
        "text/javascript; charset=utf-8",
        RELOAD_JS.as_bytes().to_vec(),
        false,
    )
}

async fn status(State(s): State<Arc<Shared>>) -> Response {
    respond(
        StatusCode::OK,
        "application/json",
        s.to_json().to_string().into_bytes(),
        false,
    )
}

fn to_event(m: Msg) -> Event {
    Event::default().event(m.event).data(m.data)
}

async fn events(
    State(s): State<Arc<Shared>>,
    uri: Uri,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    // Subscribe first: a build that ends meanwhile is sent, not lost.
    let rx = s.tx.subscribe();
    let first = s.greeting();
    // Counted open while the stream lives: dropped with it.
    let open = open_page(&uri).and_then(|p| s.opened(p));
    let stream = futures_util::stream::unfold(
        (first, rx, true, open),
        |(mut q, mut rx, start, open)| async move {
            if let Some(m) = q.pop_front() {
                let mut ev = to_event(m);
                if start {
                    // Reconnect soon after a restart.
                    ev = ev.retry(Duration::from_millis(1000));
                }
                return Some((Ok(ev), (q, rx, false, open)));
            }
            let here = open.as_ref().map(|o| o.page.as_str());
            let ev = loop {
                match rx.recv().await {
                    Ok(m) if m.concerns(here) => break to_event(m),
                    Ok(_) => continue,
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        break Event::default()
                            .event("reload")
                            .data(json!({"all": true, "changed": []}).to_string());
                    }
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            };
            Some((Ok(ev), (q, rx, false, open)))
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// The page an event stream is for (`?page=`, as the reload script names
/// it: its path in the site, `index.html` for a folder): a name the site
/// could hold, else `None`.
fn open_page(uri: &Uri) -> Option<String> {
    let raw = uri
        .query()?
        .split('&')
        .find_map(|kv| kv.strip_prefix("page="))?;
    if raw.len() > 1024 {
        return None;
    }
    // `+` is a space in a query; the script encodes spaces as %20 anyway.
    let raw = raw.replace('+', " ");
    let page = percent_encoding::percent_decode_str(&raw)
        .decode_utf8()
        .ok()?
        .into_owned();
    let parts: Vec<&str> = page.split('/').collect();
    let plain = parts
        .iter()
        .all(|p| !p.is_empty() && !p.starts_with('.') && !p.contains(['\\', '\0']));
    plain.then_some(page)
}

/// Every route, the fallback included, behind the `Host` check.
pub(super) fn router(shared: Arc<Shared>, hosts: Hosts) -> Router {
    Router::new()
        .route(RELOAD_JS_PATH, get(reload_js))
        .route(EVENTS_PATH, get(events))
        .route(STATUS_PATH, get(status))
        .fallback(serve_file)
        .layer(middleware::from_fn_with_state(
            Arc::new(hosts),
            guard::check_host,
        ))
        .with_state(shared)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(raw: &str) -> Option<Vec<String>> {
        site_path(Path::new("/site"), raw).map(|(p, parts)| {
            let mut want = PathBuf::from("/site");
            want.extend(&parts);
            assert_eq!(p, want, "{raw}");
            parts
        })
    }

    #[test]
    fn an_event_stream_names_its_page_as_a_path_in_the_site() {
        let page = |q: &str| open_page(&format!("/__refbook/events{q}").parse::<Uri>().unwrap());
        assert_eq!(page("?page=index.html").as_deref(), Some("index.html"));
        assert_eq!(
            page("?x=1&page=areas%2Fef%2Fef-1%2Findex.html").as_deref(),
            Some("areas/ef/ef-1/index.html")
        );
        assert_eq!(
            page("?page=a%20b/index.html").as_deref(),
            Some("a b/index.html")
        );
        for bad in [
            "",
            "?other=1",
            "?page=",
            "?page=..%2Fsecret",
            "?page=areas/../x.html",
            "?page=/etc/passwd",
            "?page=a//b",
            "?page=.hidden/index.html",
            "?page=a%5Cb",
            "?page=a%00b",
            "?page=%ff",
        ] {
            assert_eq!(page(bad), None, "{bad}");
        }
        assert_eq!(page(&format!("?page={}", "a".repeat(2000))), None);
    }

    #[test]
    fn plain_paths_are_split_into_names() {
        assert_eq!(parts("/"), Some(vec![]));
        assert_eq!(parts(""), Some(vec![]));
        assert_eq!(
            parts("/areas/ef/index.html"),
            Some(vec!["areas".into(), "ef".into(), "index.html".into()])
        );
        // Empty parts are dropped: `//etc/passwd` stays in the site.
        assert_eq!(
            parts("//etc//passwd"),
            Some(vec!["etc".into(), "passwd".into()])
        );
        assert_eq!(parts("/a%20b/%C3%A9"), Some(vec!["a b".into(), "é".into()]));
    }

    #[test]
    fn traversal_is_refused_however_it_is_spelled() {
        for raw in [
            "/..",
            "/../book.toml",
            "/assets/../../book.toml",
            "/./index.html",
            "/%2e%2e/book.toml",
            "/%2E%2E/%2E%2E/book.toml",
            "/.%2e/book.toml",
            "/%2e./book.toml",
            "/assets/%2e%2e%2f%2e%2e%2fbook.toml",
            "/assets/..%2f..%2fbook.toml",
            "%2e%2e/book.toml",
            "/%252e%252e/x/../y",
        ] {
            assert_eq!(parts(raw), None, "{raw}");
        }
        // Decoded once only: `%252e` is the name `%2e`, not a dot.
        assert_eq!(
            parts("/%252e%252e/x"),
            Some(vec!["%2e%2e".into(), "x".into()])
        );
    }

    #[test]
    fn backslashes_hidden_names_and_nul_are_refused() {
        for raw in [
            "/..\\book.toml",
            "/..%5c..%5cbook.toml",
            "/assets%5C..%5C..%5Cbook.toml",
            "/a\\b",
            "/.refbook-site",
            "/assets/.hidden",
            "/.%2e",
            "/index.html%00.txt",
            "/%00",
            // Not UTF-8 once decoded.
            "/%ff%fe",
        ] {
            assert_eq!(parts(raw), None, "{raw}");
        }
    }

    /// A site with a page, and symlinks out of it and within it.
    #[cfg(unix)]
    fn symlinked_site() -> (PathBuf, PathBuf) {
        use std::os::unix::fs::symlink;
        let base = std::env::temp_dir().join(format!(
            "refbook-serve-unit-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&base);
        let site = base.join("site");
        std::fs::create_dir_all(site.join("areas/ef")).unwrap();
        std::fs::create_dir_all(base.join("outside")).unwrap();
        let base = base.canonicalize().unwrap();
        let site = site.canonicalize().unwrap();
        std::fs::write(site.join("index.html"), "home").unwrap();
        std::fs::write(site.join("areas/ef/index.html"), "ef").unwrap();
        std::fs::write(base.join("secret.txt"), "TOP SECRET").unwrap();
        std::fs::write(base.join("outside/index.html"), "outside").unwrap();
        symlink(base.join("secret.txt"), site.join("leak.txt")).unwrap();
        symlink(base.join("outside"), site.join("leakdir")).unwrap();
        symlink("../secret.txt", site.join("areas/relative-leak.txt")).unwrap();
        symlink(site.join("index.html"), site.join("alias.html")).unwrap();
        (base, site)
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn symlinks_do_not_lead_out_of_the_site() {
        let (base, site) = symlinked_site();
        let at = |raw: &'static str| {
            let site = site.clone();
            async move { locate(&site, &Held::default(), &raw.parse().unwrap()).await }
        };
        assert_eq!(at("/").await, Target::File(site.join("index.html")));
        assert_eq!(
            at("/alias.html").await,
            Target::File(site.join("index.html"))
        );
        assert_eq!(
            at("/areas/ef/").await,
            Target::File(site.join("areas/ef/index.html"))
        );
        assert_eq!(
            at("/areas/ef?x=1").await,
            Target::Folder("/areas/ef/?x=1".into())
        );
        for raw in [
            "/leak.txt",
            "/leakdir/",
            "/leakdir/index.html",
            "/areas/relative-leak.txt",
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/no/such/page/",
        ] {
            assert_eq!(at(raw).await, Target::Missing, "{raw}");
        }
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[tokio::test]
    async fn files_made_and_not_yet_written_are_served_from_memory() {
        let held = Arc::new(super::super::files::Held::default());
        let s = Arc::new(Shared::new(PathBuf::from("/nowhere"), held.clone()));
        for (rel, body) in [
            ("index.html", "home"),
            ("areas/ef/index.html", "ef"),
            ("assets/refbook.css", "css"),
            ("secret", "no"),
        ] {
            held.put(rel, Arc::from(body.as_bytes()));
        }
        let get =
            |raw: &str, method: Method| serve_file(State(s.clone()), method, raw.parse().unwrap());
        let html = "text/html; charset=utf-8";
        for (raw, body, ctype) in [
            ("/", "home", html),
            ("/index.html", "home", html),
            ("/areas/ef/", "ef", html),
            ("/areas/ef/index.html", "ef", html),
            ("/assets/refbook.css", "css", "text/css; charset=utf-8"),
        ] {
            let r = get(raw, Method::GET).await;
            assert_eq!(r.status(), StatusCode::OK, "{raw}");
            assert_eq!(r.headers()[header::CONTENT_TYPE], ctype, "{raw}");
            let got = axum::body::to_bytes(r.into_body(), usize::MAX)
                .await
                .unwrap();
            assert_eq!(&got[..], body.as_bytes(), "{raw}");
        }
        let r = get("/", Method::HEAD).await;
        assert_eq!(r.headers()[header::CONTENT_LENGTH], "4");
        assert!(
            axum::body::to_bytes(r.into_body(), 9)
                .await
                .unwrap()
                .is_empty()
        );
        // No way out of the site, and nothing held once written: the
        // site's file is served (none here).
        let r = get("/areas/ef?x=1", Method::GET).await;
        assert_eq!(r.status(), StatusCode::MOVED_PERMANENTLY);
        assert_eq!(r.headers()[header::LOCATION], "/areas/ef/?x=1");
        for raw in ["/../secret", "/%2e%2e/secret", "/x/../secret", "/areas"] {
            assert_eq!(
                get(raw, Method::GET).await.status(),
                StatusCode::NOT_FOUND,
                "{raw}"
            );
        }
        held.release("index.html", None);
        assert_eq!(get("/", Method::GET).await.status(), StatusCode::NOT_FOUND);
    }

    #[test]
    fn pages_load_the_script_where_it_is_served() {
        let tag = format!("<script src=\"{RELOAD_JS_PATH}\"></script>");
        assert_eq!(crate::render::RELOAD_SCRIPT, tag);
        assert!(NO_SITE.contains(&tag));
        assert!(RELOAD_JS.contains(&format!("\"{EVENTS_PATH}?page=\"")));
    }

    #[test]
    fn content_types_of_what_a_site_holds() {
        for (name, want) in [
            ("index.html", "text/html; charset=utf-8"),
            ("INDEX.HTM", "text/html; charset=utf-8"),
            ("assets/refbook.css", "text/css; charset=utf-8"),
            ("assets/refbook.js", "text/javascript; charset=utf-8"),
            ("model.json", "application/json"),
            ("notes.txt", "text/plain; charset=utf-8"),
            ("answers.csv", "text/csv; charset=utf-8"),
            ("logo.svg", "image/svg+xml"),
            ("logo.png", "image/png"),
            ("photo.jpeg", "image/jpeg"),
            ("favicon.ico", "image/x-icon"),
            ("font.woff2", "font/woff2"),
            ("print.pdf", "application/pdf"),
            ("no-extension", "application/octet-stream"),
            ("data.unknown-ext", "application/octet-stream"),
        ] {
            assert_eq!(content_type(Path::new(name)), want, "{name}");
        }
    }
}
