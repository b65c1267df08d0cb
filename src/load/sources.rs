//! Reading a book's files: through the fence, as text without BOM and CR,
//! folders listed, front matter split from the Markdown after it and read
//! as YAML.

use super::fields::{Cx, clean};
use crate::diag::{Diagnostic, Loc};
use crate::fence::rel_path;
use crate::model::Md;
use crate::yaml::{self, Node, Pos};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file read from disk: its text without BOM, with LF line ends.
pub struct SourceFile {
    pub rel: Arc<str>,
    pub text: String,
}

impl SourceFile {
    /// Without a byte order mark, with LF line ends.
    pub fn new(rel: Arc<str>, text: &str) -> SourceFile {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let text = if text.contains('\r') {
            text.replace("\r\n", "\n")
        } else {
            text.to_owned()
        };
        SourceFile { rel, text }
    }
}

/// A file of the book, read through the fence; why it cannot be read is
/// a diagnostic.
pub(super) fn read_file(src: &Src, path: &Path, diags: &mut Vec<Diagnostic>) -> Option<SourceFile> {
    let rel: Arc<str> = rel_path(src.root, path).into();
    if let Err(d) = src.fence.check(path, &rel) {
        diags.push(d);
        return None;
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::error(
                Loc {
                    file: rel,
                    line: 0,
                    col: 0,
                },
                format!("cannot read the file: {e}"),
            ));
            return None;
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            // Up to the first bad byte the file is text.
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let good = std::str::from_utf8(good).unwrap_or_default();
            let (line, col) = crate::diag::line_col(good, good.len());
            diags.push(
                Diagnostic::error(
                    Loc {
                        file: rel,
                        line,
                        col,
                    },
                    "the file is not valid UTF-8",
                )
                .help("save the file as UTF-8"),
            );
            return None;
        }
    };
    Some(SourceFile::new(rel, &text))
}

/// Where a book's files are read from, and what may be read.
pub(super) struct Src<'a> {
    pub(super) root: &'a Path,
    pub(super) fence: crate::fence::Fence,
}

impl<'a> Src<'a> {
    /// The files of the book at `root`, as its settings `book` fence them.
    pub(super) fn of(root: &'a Path, book: &crate::model::BookConfig) -> Src<'a> {
        Src {
            root,
            fence: crate::fence::Fence::new(root, book.allow_outside_links),
        }
    }
}

/// The YAML of a file, read: its tree, and where its text stands in the
/// file, which every position found in it is reported against.
pub(super) struct Yaml<'t> {
    pub(super) node: Node,
    file: &'t SourceFile,
    text: &'t str,
    /// The file line of the YAML's first line.
    first_line: u32,
}

impl<'t> Yaml<'t> {
    /// Where the fields of this YAML are decoded, their problems going to
    /// `diags`.
    pub(super) fn cx<'a>(&self, diags: &'a mut Vec<Diagnostic>) -> Cx<'a>
    where
        't: 'a,
    {
        Cx {
            file: self.file.rel.clone(),
            line_offset: self.first_line - 1,
            yaml: self.text,
            diags,
        }
    }
}

/// A file that is YAML throughout (model.yaml, glossary.yaml), read.
pub(super) fn yaml_file<'t>(file: &'t SourceFile, diags: &mut Vec<Diagnostic>) -> Option<Yaml<'t>> {
    let node = parse_yaml(file, &file.text, 1, diags)?;
    Some(Yaml {
        node,
        file,
        text: &file.text,
        first_line: 1,
    })
}

/// A file of front matter and Markdown: the front matter read as YAML, and
/// the Markdown after it.
pub(super) fn front_matter<'t>(
    file: &'t SourceFile,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Yaml<'t>, Md)> {
    let (text, first_line, body, body_line) = split_front_matter(file, diags)?;
    let node = parse_yaml(file, text, first_line, diags)?;
    let yaml = Yaml {
        node,
        file,
        text,
        first_line,
    };
    Some((yaml, body_md(file, body, body_line)))
}

/// `body`, the Markdown of `f` from file line `line` on, as the model keeps
/// it.
pub(super) fn body_md(f: &SourceFile, body: &str, line: u32) -> Md {
    Md {
        src: clean(body),
        loc: Loc {
            file: f.rel.clone(),
            line,
            col: 1,
        },
        runs: Box::default(),
        html: String::new(),
    }
}

/// Splits `---` front matter from the Markdown after it. Returns the YAML,
/// the file line of its first line, the body and the file line of the body.
fn split_front_matter<'t>(
    f: &'t SourceFile,
    diags: &mut Vec<Diagnostic>,
) -> Option<(&'t str, u32, &'t str, u32)> {
    let t = &f.text;
    let first_end = t.find('\n').unwrap_or(t.len());
    if t[..first_end].trim_end() != "---" {
        diags.push(
            Diagnostic::error(
                Loc {
                    file: f.rel.clone(),
                    line: 1,
                    col: 1,
                },
                "expected front matter: the file must start with a line `---`",
            )
            .help("put the fields between two lines `---` at the top of the file"),
        );
        return None;
    }
    let yaml_start = (first_end + 1).min(t.len());
    let mut pos = yaml_start;
    let mut line = 2u32;
    while pos < t.len() {
        let end = t[pos..].find('\n').map(|i| pos + i).unwrap_or(t.len());
        let l = t[pos..end].trim_end();
        if l == "---" || l == "..." {
            let body_start = (end + 1).min(t.len());
            return Some((&t[yaml_start..pos], 2, &t[body_start..], line + 1));
        }
        pos = end + 1;
        line += 1;
    }
    diags.push(
        Diagnostic::error(
            Loc {
                file: f.rel.clone(),
                line: 1,
                col: 1,
            },
            "front matter opened here is never closed",
        )
        .len(3)
        .help("end the front matter with a line `---`"),
    );
    None
}

fn parse_yaml(
    f: &SourceFile,
    yaml_text: &str,
    first_line: u32,
    diags: &mut Vec<Diagnostic>,
) -> Option<Node> {
    match yaml::parse(yaml_text) {
        Ok(n) => Some(n),
        Err(e) => {
            let loc = |p: Pos| Loc {
                file: f.rel.clone(),
                line: p.line + first_line - 1,
                col: p.col,
            };
            let mut d = Diagnostic::error(loc(e.pos), format!("YAML syntax error: {}", e.message))
                .len(e.len as usize)
                .maybe_help(e.help);
            if let Some((p, text)) = e.note {
                d = d.note(loc(p), text);
            }
            diags.push(d);
            None
        }
    }
}

/// Whether `dir` is a folder or absent; a file (or anything else) in its
/// place is an error, which says what the folder holds.
pub(super) fn not_a_folder(
    root: &Path,
    dir: &Path,
    holds: &str,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    if !dir.exists() || dir.is_dir() {
        return true;
    }
    let rel = rel_path(root, dir);
    diags.push(
        Diagnostic::error(
            Loc {
                file: rel.clone().into(),
                line: 0,
                col: 0,
            },
            format!("`{rel}` is a file, but it must be a folder: it holds the book's {holds}"),
        )
        .help(format!("make `{rel}` a folder and put the files in it")),
    );
    false
}

/// The `.md` files directly in `dir`, in name order; a missing dir is empty.
pub(super) fn list_dir(root: &Path, dir: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    if !dir.exists() {
        return (files, diags);
    }
    for entry in walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .follow_links(true)
        .sort_by_file_name()
    {
        match entry {
            Ok(e) => {
                let p = e.path();
                if e.file_type().is_file() && p.extension().is_some_and(|x| x == "md") {
                    files.push(p.to_path_buf());
                } else if e.file_type().is_dir() {
                    diags.push(Diagnostic::warning(
                        Loc {
                            file: rel_path(root, p).into(),
                            line: 0,
                            col: 0,
                        },
                        "folders here are not read: put the files directly in the folder above",
                    ));
                }
            }
            Err(e) => {
                let file = e
                    .path()
                    .map(|p| rel_path(root, p))
                    .unwrap_or_else(|| rel_path(root, dir));
                let msg = if e.loop_ancestor().is_some() {
                    "a symbolic link here loops back to a folder above it".to_string()
                } else {
                    format!(
                        "cannot read: {}",
                        e.io_error().map(|e| e.to_string()).unwrap_or_default()
                    )
                };
                diags.push(Diagnostic::error(
                    Loc {
                        file: file.into(),
                        line: 0,
                        col: 0,
                    },
                    msg,
                ));
            }
        }
    }
    (files, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("content/areas/X.md".into(), text)
    }

    #[test]
    fn yaml_errors_point_at_the_file_line() {
        let f = file("---\ncode: EF\nname: [unclosed\n---\n");
        let mut d = Vec::new();
        assert!(front_matter(&f, &mut d).is_none());
        assert_eq!(d.len(), 1);
        assert!(d[0].loc.line >= 3, "{:?}", d[0]);
        assert!(d[0].message.starts_with("YAML syntax error"), "{:?}", d[0]);
    }

    #[test]
    fn front_matter_that_never_closes() {
        let f = file("---\ncode: EF\n");
        let mut d = Vec::new();
        assert!(front_matter(&f, &mut d).is_none());
        assert_eq!(d[0].message, "front matter opened here is never closed");
        assert_eq!((d[0].loc.line, d[0].loc.col), (1, 1));
    }

    #[test]
    fn file_of_front_matter_alone() {
        let f = file("---\nid: GG1\ntitle: T\nstatement: S\n---");
        let mut d = Vec::new();
        let (yaml, body) = front_matter(&f, &mut d).unwrap();
        assert!(d.is_empty(), "{d:?}");
        assert!(matches!(yaml.node.value, crate::yaml::Value::Map(_)));
        assert_eq!((body.src.as_str(), body.loc.line), ("", 6));
    }
}
