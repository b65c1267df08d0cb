//! Writing what a rebuild made into the served folder: a partial
//! rebuild's files held in memory (served from there) until flushed after
//! the browsers are told, a whole render's written at once, with what it no
//! longer makes removed.

use super::Builder;
use super::files::{self, Fresh, write_atomic, write_lock};
use crate::diag::Diagnostic;
use std::collections::HashSet;
use std::sync::Arc;

impl Builder {
    /// Holds the files of `fresh` that differ, to be served from memory
    /// until `flush` writes them; returns what changed.
    pub(super) fn hold(&mut self, fresh: Vec<Fresh>, diags: &mut Vec<Diagnostic>) -> Vec<String> {
        let mut rest = Vec::new();
        let mut changed = Vec::new();
        for f in fresh {
            match f {
                Fresh::Changed(rel, bytes, digest) => {
                    write_lock(&self.files).insert(rel.clone(), digest);
                    let bytes: Arc<[u8]> = bytes.into();
                    self.held.put(&rel, bytes.clone());
                    self.unwritten.push((rel.clone(), bytes));
                    changed.push(rel);
                }
                Fresh::Same(_) => {}
                // Not made by a partial render (which keeps files in memory).
                f => rest.push(f),
            }
        }
        changed.extend(self.write(rest, false, diags));
        changed
    }

    /// Writes the files held since the last rebuild; a failed write is an
    /// error in what it returns (the file is still served from memory).
    pub(in crate::serve) fn flush(&mut self) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        for (rel, bytes) in std::mem::take(&mut self.unwritten) {
            if self.stopped {
                break;
            }
            match write_atomic(&self.site, &rel, &bytes) {
                Ok(()) => self.held.release(&rel, Some(&bytes)),
                Err(e) => diags.push(files::unwritable(&self.site.join(&rel), &e)),
            }
        }
        diags
    }

    /// Writes the files that differ and, when `whole` (`fresh` is the whole
    /// site), removes those no longer rendered; returns what changed. A
    /// failed write is an error in `diags`.
    pub(super) fn write(
        &mut self,
        fresh: Vec<Fresh>,
        whole: bool,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<String> {
        let mut keep = HashSet::new();
        let mut changed = Vec::new();
        for f in fresh {
            let (rel, bytes, digest) = match f {
                Fresh::Same(rel) => {
                    keep.insert(rel);
                    continue;
                }
                Fresh::Written(rel) => {
                    keep.insert(rel.clone());
                    changed.push(rel);
                    continue;
                }
                Fresh::Staged(rel, from, digest) => {
                    keep.insert(rel.clone());
                    match files::move_in(&self.site, &rel, &from) {
                        Ok(()) => {
                            self.held.release(&rel, None);
                            write_lock(&self.files).insert(rel.clone(), digest);
                            changed.push(rel);
                        }
                        Err(e) => diags.push(files::unwritable(&self.site.join(&rel), &e)),
                    }
                    continue;
                }
                Fresh::Changed(rel, bytes, digest) => (rel, bytes, digest),
            };
            keep.insert(rel.clone());
            if let Err(e) = write_atomic(&self.site, &rel, &bytes) {
                diags.push(files::unwritable(&self.site.join(&rel), &e));
                continue;
            }
            changed.push(rel.clone());
            self.held.release(&rel, None);
            write_lock(&self.files).insert(rel, digest);
        }
        if !whole {
            return changed;
        }
        let mut files = write_lock(&self.files);
        let gone: Vec<String> = files
            .keys()
            .filter(|k| !keep.contains(*k))
            .cloned()
            .collect();
        for rel in gone {
            let _ = std::fs::remove_file(self.site.join(&rel));
            self.held.release(&rel, None);
            files.remove(&rel);
            changed.push(rel);
        }
        changed
    }
}
