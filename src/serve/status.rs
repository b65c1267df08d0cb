//! What the builder tells the server: the last outcome, kept for new pages
//! and `/__refbook/status`, and sent to the open pages as it happens.

use super::rebuild::Outcome;
use crate::diag::{Diagnostic, Severity};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::broadcast;

/// An event for the open pages: its name and its JSON.
#[derive(Clone, Debug)]
pub(super) struct Msg {
    pub(super) event: &'static str,
    pub(super) data: String,
    /// For a reload: what changed, so that a page that said where it is
    /// is sent only the reloads that concern it.
    pub(super) changed: Option<Arc<Changed>>,
}

/// The files a good build changed.
#[derive(Debug)]
pub(super) struct Changed {
    pages: HashSet<String>,
    /// A file other than a page (a script, a style sheet, data) changed:
    /// every page may show it.
    other: bool,
}

impl Msg {
    /// Whether the page at `page` (relative to the site) should hear this.
    pub(super) fn concerns(&self, page: Option<&str>) -> bool {
        match (&self.changed, page) {
            (Some(c), Some(p)) => c.other || c.pages.contains(p),
            _ => true,
        }
    }
}

/// At most this many pages are remembered as open (a page that says where
/// it is past that is served as any other).
const MAX_OPEN: usize = 256;

/// The last build, as pages and `/__refbook/status` see it.
pub(super) struct Status {
    build: u64,
    ok: bool,
    /// A good build has written the site.
    pub(super) has_site: bool,
    errors: Vec<Value>,
}

/// What the builder and the server share. `instance` tells a page that the
/// server was restarted (its page may then be stale).
pub(super) struct Shared {
    pub(super) site: PathBuf,
    /// Files made and not yet written: served before the site's.
    pub(super) held: Arc<super::files::Held>,
    instance: String,
    status: RwLock<Status>,
    pub(super) tx: broadcast::Sender<Msg>,
    /// The pages open in a browser (by their path in the site), each with
    /// how many browsers show it: a change of the theme renders them first.
    open: Mutex<HashMap<String, usize>>,
}

/// A page counted open while this lives (its event stream).
pub(super) struct Open {
    shared: Arc<Shared>,
    pub(super) page: String,
}

impl Drop for Open {
    fn drop(&mut self) {
        let mut open = self.shared.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.page) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.page);
            }
        }
    }
}

impl Shared {
    /// Before the first build: no site yet, and no errors either.
    pub(super) fn new(site: PathBuf, held: Arc<super::files::Held>) -> Shared {
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let (tx, _) = broadcast::channel(64);
        Shared {
            site,
            held,
            instance: format!("{}-{stamp}", std::process::id()),
            status: RwLock::new(Status {
                build: 0,
                ok: true,
                has_site: false,
                errors: Vec::new(),
            }),
            tx,
            open: Mutex::default(),
        }
    }

    /// Counts `page` open until the returned guard is dropped; `None` when
    /// too many pages are open already.
    pub(super) fn opened(self: &Arc<Self>, page: String) -> Option<Open> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if !open.contains_key(&page) && open.len() >= MAX_OPEN {
            return None;
        }
        *open.entry(page.clone()).or_insert(0) += 1;
        Some(Open {
            shared: self.clone(),
            page,
        })
    }

    /// The pages open in a browser now.
    pub(super) fn open_pages(&self) -> HashSet<String> {
        let open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        open.keys().cloned().collect()
    }

    pub(super) fn status(&self) -> std::sync::RwLockReadGuard<'_, Status> {
        self.status.read().unwrap_or_else(|e| e.into_inner())
    }

    /// What `/__refbook/status` says.
    pub(super) fn to_json(&self) -> Value {
        let st = self.status();
        json!({
            "instance": self.instance,
            "build": st.build,
            "ok": st.ok,
            "has_site": st.has_site,
            "errors": st.errors,
        })
    }

    /// The first events of a new page's stream: who we are, and the errors
    /// the book has now.
    pub(super) fn greeting(&self) -> VecDeque<Msg> {
        let st = self.status();
        let mut first = VecDeque::new();
        first.push_back(Msg {
            event: "hello",
            data: json!({"instance": self.instance, "build": st.build}).to_string(),
            changed: None,
        });
        if !st.ok {
            first.push_back(Msg {
                event: "errors",
                data: json!({"build": st.build, "errors": st.errors}).to_string(),
                changed: None,
            });
        }
        first
    }

    /// Records an outcome and tells the open pages.
    pub(super) fn publish(&self, outcome: &Outcome) {
        let msg = {
            let mut s = self.status.write().unwrap_or_else(|e| e.into_inner());
            s.build += 1;
            match outcome {
                Outcome::Good { changed, .. } => {
                    s.ok = true;
                    s.has_site = true;
                    s.errors.clear();
                    // A long list is not worth sending: every page reloads.
                    let all = changed.len() > 200;
                    let list: &[String] = if all { &[] } else { changed };
                    Msg {
                        event: "reload",
                        data: json!({"build": s.build, "all": all, "changed": list}).to_string(),
                        changed: Some(Arc::new(Changed {
                            pages: changed
                                .iter()
                                .filter(|f| f.ends_with(".html"))
                                .cloned()
                                .collect(),
                            other: changed.iter().any(|f| !f.ends_with(".html")),
                        })),
                    }
                }
                Outcome::Stopped => return,
                Outcome::Bad { diags, .. } => {
                    s.ok = false;
                    s.errors = diags
                        .iter()
                        .filter(|d| d.severity == Severity::Error)
                        .map(diag_json)
                        .collect();
                    Msg {
                        event: "errors",
                        data: json!({"build": s.build, "errors": s.errors}).to_string(),
                        changed: None,
                    }
                }
            }
        };
        // No open page is not an error.
        let _ = self.tx.send(msg);
    }
}

fn diag_json(d: &Diagnostic) -> Value {
    json!({
        "severity": if d.severity == Severity::Error { "error" } else { "warning" },
        "file": &*d.loc.file,
        "line": d.loc.line,
        "col": d.loc.col,
        "message": d.message,
        "help": d.help,
        "note": d.note.as_deref().map(|(l, m)| json!({
            "file": &*l.file, "line": l.line, "col": l.col, "message": m
        })),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn good(changed: &[&str]) -> Outcome {
        Outcome::Good {
            pages: 1,
            changed: changed.iter().map(|c| c.to_string()).collect(),
            elapsed: Duration::ZERO,
            warnings: Vec::new(),
        }
    }

    /// A page hears the reloads of its own file and of anything that is not
    /// a page; a stream that named no page hears them all; and a page stops
    /// counting as open when its last stream ends.
    #[test]
    fn a_page_hears_the_reloads_that_concern_it() {
        let shared = Arc::new(Shared::new(PathBuf::from("/nowhere"), Arc::default()));
        let mut rx = shared.tx.subscribe();
        let heard = |rx: &mut broadcast::Receiver<Msg>, page: Option<&str>| {
            rx.try_recv().unwrap().concerns(page)
        };
        let many: Vec<String> = (0..300).map(|i| format!("areas/a{i}/index.html")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        for (changed, page, want) in [
            (
                &["areas/ef/index.html"][..],
                Some("areas/ef/index.html"),
                true,
            ),
            (&["areas/ef/index.html"][..], Some("index.html"), false),
            (&["areas/ef/index.html"][..], None, true),
            (
                &["areas/ef/index.html", "assets/x.css"][..],
                Some("index.html"),
                true,
            ),
            (&many[..], Some("index.html"), false),
            (&many[..], Some("areas/a299/index.html"), true),
        ] {
            shared.publish(&good(changed));
            assert_eq!(heard(&mut rx, page), want, "{page:?} of {}", changed.len());
        }
        let a = shared.opened("index.html".into()).unwrap();
        let b = shared.opened("index.html".into()).unwrap();
        let c = shared.opened("glossary/index.html".into()).unwrap();
        let both = HashSet::from(["glossary/index.html".to_string(), "index.html".to_string()]);
        assert_eq!(shared.open_pages(), both);
        drop(a);
        drop(c);
        assert_eq!(
            shared.open_pages(),
            HashSet::from(["index.html".to_string()])
        );
        drop(b);
        assert!(shared.open_pages().is_empty());
    }

    #[test]
    fn no_more_than_so_many_pages_are_remembered_open() {
        let shared = Arc::new(Shared::new(PathBuf::from("/nowhere"), Arc::default()));
        let kept: Vec<Open> = (0..MAX_OPEN)
            .map(|i| shared.opened(format!("p{i}.html")).unwrap())
            .collect();
        assert!(shared.opened("one-more.html".into()).is_none());
        // A page already open still counts another stream.
        assert!(shared.opened("p0.html".into()).is_some());
        drop(kept);
    }
}
