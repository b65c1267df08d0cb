//! What the builder tells the server: the last outcome, kept for new pages
//! and `/__refbook/status`, and sent to the open pages as it happens.

use super::rebuild::Outcome;
use crate::diag::{Diagnostic, Severity};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::RwLock;
use tokio::sync::broadcast;

/// An event for the open pages: its name and its JSON.
#[derive(Clone, Debug)]
pub(super) struct Msg {
    pub(super) event: &'static str,
    pub(super) data: String,
}

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
    instance: String,
    status: RwLock<Status>,
    pub(super) tx: broadcast::Sender<Msg>,
}

impl Shared {
    /// Before the first build: no site yet, and no errors either.
    pub(super) fn new(site: PathBuf) -> Shared {
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let (tx, _) = broadcast::channel(64);
        Shared {
            site,
            instance: format!("{}-{stamp}", std::process::id()),
            status: RwLock::new(Status {
                build: 0,
                ok: true,
                has_site: false,
                errors: Vec::new(),
            }),
            tx,
        }
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
        });
        if !st.ok {
            first.push_back(Msg {
                event: "errors",
                data: json!({"build": st.build, "errors": st.errors}).to_string(),
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
