//! Loading: the files of a book become the typed model, with every problem
//! of every file collected rather than stopping at the first.

use crate::diag::{Diagnostic, Loc, did_you_mean};
use crate::fence::rel_path;
use crate::model::*;
use crate::yaml::{self, Key, Node, Pos, Value};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where a YAML text sits in its file, so that positions map to file lines.
struct Cx<'a> {
    file: Arc<str>,
    /// File line of YAML line 1, minus one.
    line_offset: u32,
    /// The YAML text, for where the parts of a scalar stand.
    yaml: &'a str,
    diags: &'a mut Vec<Diagnostic>,
}

impl Cx<'_> {
    fn loc(&self, pos: Pos) -> Loc {
        Loc {
            file: self.file.clone(),
            line: pos.line + self.line_offset,
            col: pos.col,
        }
    }
    /// The YAML text of a node, as written.
    fn raw(&self, span: yaml::Span) -> &str {
        self.yaml.get(span.range()).unwrap_or("")
    }
    /// Where a scalar's value starts: inside its quotes, if it has them.
    fn start(&self, pos: Pos, span: yaml::Span) -> Loc {
        let quoted = self.raw(span).starts_with(['"', '\'']);
        self.loc(Pos {
            col: pos.col + u32::from(quoted),
            ..pos
        })
    }
    /// Where the parts of `value`, the value of scalar `n`, stand in the file
    /// (positions in the YAML text become file lines).
    fn runs(&self, n: &Node, value: &str) -> Vec<yaml::Run> {
        let mut runs = yaml::runs(self.raw(n.span), n.pos, value);
        for r in &mut runs {
            r.pos.line += self.line_offset;
        }
        runs
    }
    fn err(&mut self, pos: Pos, msg: impl Into<String>) {
        let d = Diagnostic::error(self.loc(pos), msg);
        self.diags.push(d);
    }
}

/// The fields of a YAML mapping, consumed one by one; what is left over is
/// an unknown field.
struct Fields<'n> {
    pos: Pos,
    entries: &'n [(Key, Node)],
    used: Vec<bool>,
    asked: Vec<&'static str>,
}

impl<'n> Fields<'n> {
    fn of(cx: &mut Cx, node: &'n Node, what: &str) -> Option<Fields<'n>> {
        match &node.value {
            Value::Map(m) => Some(Fields {
                pos: node.pos,
                entries: m,
                used: vec![false; m.len()],
                asked: Vec::new(),
            }),
            Value::Null => Some(Fields {
                pos: node.pos,
                entries: &[],
                used: Vec::new(),
                asked: Vec::new(),
            }),
            other => {
                cx.err(
                    node.pos,
                    format!("{what} must be a mapping of fields, found {}", other.kind()),
                );
                None
            }
        }
    }

    fn take(&mut self, name: &'static str) -> Option<&'n Node> {
        self.asked.push(name);
        let i = self.entries.iter().position(|(k, _)| k.name == name)?;
        self.used[i] = true;
        let n = &self.entries[i].1;
        // `field:` with nothing after it is the same as leaving it out.
        if matches!(n.value, Value::Null) {
            None
        } else {
            Some(n)
        }
    }

    /// Where the value of `name` is written, for errors found later.
    fn pos_of(&self, name: &str) -> Option<Pos> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == name)
            .map(|(_, n)| n.pos)
    }

    fn require(&mut self, cx: &mut Cx, name: &'static str, what: &str) -> Option<&'n Node> {
        let n = self.take(name);
        if n.is_none() {
            cx.err(self.pos, format!("missing field `{name}` in {what}"));
        }
        n
    }

    fn finish(self, cx: &mut Cx, what: &str) {
        for (i, (k, _)) in self.entries.iter().enumerate() {
            if !self.used[i] {
                let help = did_you_mean(&k.name, self.asked.iter().copied())
                    .unwrap_or_else(|| format!("{what} takes: {}", self.asked.join(", ")));
                let len = k.name.chars().count();
                let d = Diagnostic::error(
                    cx.loc(k.pos),
                    format!("unknown field `{}` in {what}", k.name),
                );
                cx.diags.push(d.help(help).len(len));
            }
        }
    }
}

fn string(cx: &mut Cx, n: &Node, what: &str) -> Option<String> {
    match &n.value {
        Value::Str(s) => Some(clean(s)),
        // `version: 2007` means the text 2007.
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        other => {
            cx.err(
                n.pos,
                format!("{what} must be text, found {}", other.kind()),
            );
            None
        }
    }
}

/// Control characters have no place in a page, and U+0001 marks links.
fn clean(s: &str) -> String {
    // Control characters are C0, DEL (single bytes) and C1 (0xC2 0x80-0x9F):
    // a byte scan rules them out for nearly every text without decoding it.
    // Whole chunks without an early exit, so that the compiler vectorises it.
    let suspect = |chunk: &[u8]| {
        chunk.iter().fold(false, |seen, &b| {
            seen | ((b < 0x20) & (b != b'\n') & (b != b'\t')) | (b == 0x7f) | (b == 0xc2)
        })
    };
    if s.as_bytes().chunks(64).any(suspect)
        && s.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        s.chars()
            .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
            .collect()
    } else {
        s.to_owned()
    }
}

/// Text shown as it is written: titles, names, questions, summaries,
/// labels. `[[...]]` is no link there (it would show with its brackets, and
/// go unchecked), so it is an error, at the brackets.
fn text(cx: &mut Cx, n: &Node, what: &str) -> Option<String> {
    let t = string(cx, n, what)?;
    if let Some(at) = t.find("[[") {
        let link = match t[at..].find("]]") {
            Some(end) => &t[at..at + end + 2],
            None => "[[",
        };
        let runs = cx.runs(n, &t);
        let loc = match yaml::pos_in(&runs, &t, at) {
            Some(p) => Loc {
                file: cx.file.clone(),
                line: p.line,
                col: p.col,
            },
            None => cx.loc(n.pos),
        };
        let d = Diagnostic::error(
            loc,
            format!("`{link}` in {what}, which is plain text: links work only in Markdown fields"),
        )
        .len(link.chars().count())
        .help("name the element in words here, and link to it from a statement, notes or the body");
        cx.diags.push(d);
    }
    Some(t)
}

fn s(cx: &mut Cx, n: &Node, what: &str) -> Option<Str> {
    let text = string(cx, n, what)?;
    Some(Str {
        text,
        loc: cx.start(n.pos, n.span),
    })
}

fn md(cx: &mut Cx, n: &Node, what: &str) -> Option<Md> {
    let src = string(cx, n, what)?;
    let loc = cx.loc(n.pos);
    // Only links are pointed at inside a text, and most texts stand in the
    // file as they are (plain scalars, literal blocks): those keep no runs.
    let runs = if src.contains("[[") && !yaml::as_written(cx.raw(n.span), &src, n.pos.col) {
        let runs = cx.runs(n, &src);
        if yaml::counted_from(
            &runs,
            &src,
            yaml::Pos {
                line: loc.line,
                col: loc.col,
            },
        ) {
            Box::default()
        } else {
            runs.into_boxed_slice()
        }
    } else {
        Box::default()
    };
    Some(Md {
        src,
        loc,
        runs,
        html: String::new(),
    })
}

fn int(cx: &mut Cx, n: &Node, what: &str) -> Option<i64> {
    match &n.value {
        Value::Int(i) => Some(*i),
        other => {
            cx.err(
                n.pos,
                format!("{what} must be a whole number, found {}", other.kind()),
            );
            None
        }
    }
}

fn boolean(cx: &mut Cx, n: &Node, what: &str) -> Option<bool> {
    match &n.value {
        Value::Bool(b) => Some(*b),
        other => {
            cx.err(
                n.pos,
                format!("{what} must be true or false, found {}", other.kind()),
            );
            None
        }
    }
}

fn list<'n>(cx: &mut Cx, n: Option<&'n Node>, what: &str) -> &'n [Node] {
    match n.map(|n| (n, &n.value)) {
        None => &[],
        Some((_, Value::Seq(items))) => items,
        Some((n, other)) => {
            cx.err(
                n.pos,
                format!("{what} must be a list, found {}", other.kind()),
            );
            &[]
        }
    }
}

fn str_list(cx: &mut Cx, n: Option<&Node>, what: &str) -> Vec<Str> {
    list(cx, n, what)
        .iter()
        .filter_map(|i| s(cx, i, &format!("each entry of {what}")))
        .collect()
}

fn opt<T>(
    cx: &mut Cx,
    f: &mut Fields,
    name: &'static str,
    conv: impl FnOnce(&mut Cx, &Node, &str) -> Option<T>,
) -> Option<T> {
    let n = f.take(name)?;
    conv(cx, n, &format!("`{name}`"))
}

fn req<T>(
    cx: &mut Cx,
    f: &mut Fields,
    name: &'static str,
    what: &str,
    conv: impl FnOnce(&mut Cx, &Node, &str) -> Option<T>,
) -> Option<T> {
    let n = f.require(cx, name, what)?;
    conv(cx, n, &format!("`{name}`"))
}

// ---------------------------------------------------------------- files

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

/// Decodes one area file's text, as a build would: for tests and fuzzing.
pub fn area_from_str(rel: &str, text: &str) -> (Option<Area>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let area = area_file(&SourceFile::new(rel.into(), text), &mut diags);
    (area, diags)
}

fn read_file(src: &Src, path: &Path, diags: &mut Vec<Diagnostic>) -> Option<SourceFile> {
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
struct Src<'a> {
    root: &'a Path,
    fence: crate::fence::Fence,
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

// ---------------------------------------------------------------- book

/// A file of elements read on its own: what it defines, its problems, and
/// when it failed, the ids it seems to define (`None`: unknown).
type Loaded<T> = (Option<T>, Vec<Diagnostic>, Option<Vec<String>>);

/// Reads a whole book. Problems go to `diags`; the model holds what could be read.
pub fn load_book(root: &Path, diags: &mut Vec<Diagnostic>) -> Model {
    let mut model = Model {
        book: crate::config::load(root, diags),
        terms: Terms::defaults(),
        ..Model::default()
    };
    let src = Src {
        root,
        fence: crate::fence::Fence::new(root, model.book.allow_outside_links),
    };
    let src = &src;
    let content = root.join(&model.book.content_dir);
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(
                Loc {
                    file: rel_path(root, &content).into(),
                    line: 0,
                    col: 0,
                },
                "the content directory does not exist",
            )
            .help("create it, or set `content-dir` under [build] in book.toml"),
        );
        return model;
    }
    let model_yaml = content.join("model.yaml");
    if model_yaml.is_file() {
        if let Some(f) = read_file(src, &model_yaml, diags)
            && let Some(n) = parse_yaml(&f, &f.text, 1, diags)
        {
            let mut cx = Cx {
                file: f.rel.clone(),
                line_offset: 0,
                yaml: &f.text,
                diags,
            };
            model_yaml_fields(&mut cx, &n, &mut model);
        } else {
            model.lost.categories = true;
            model
                .lost
                .ids
                .extend(salvage(&model_yaml).unwrap_or_default());
        }
    } else {
        model.lost.categories = true;
        let problem = if model_yaml.exists() {
            "model.yaml is a folder: the model's identity, categories and survey scale live in a file of that name"
        } else {
            "missing model.yaml: the model's identity, categories and survey scale live there"
        };
        diags.push(Diagnostic::error(
            Loc {
                file: rel_path(root, &model_yaml).into(),
                line: 0,
                col: 0,
            },
            problem,
        ));
    }

    let mut folder = |name: &str, holds: &str| {
        let dir = content.join(name);
        let ok = not_a_folder(root, &dir, holds, diags);
        let (files, d) = list_dir(root, &dir);
        diags.extend(d);
        (files, ok)
    };
    let (area_files, areas_ok) = folder("areas", "area files (`<CODE>.md`)");
    let (goal_files, goals_ok) = folder("generic", "generic goal files (`<GOAL>.md`)");
    let (cat_files, _) = folder("categories", "category descriptions (`<id>.md`)");
    let (page_files, _) = folder("pages", "free pages (`<slug>.md`)");
    // Any id may have been in a folder that could not be read.
    model.lost.all |= !areas_ok || !goals_ok;

    // Files are independent: read and decode them on every core. Of a file
    // that fails, what it seems to define is kept, so that references to
    // it do not add errors of their own.
    let areas: Vec<Loaded<Area>> = area_files
        .par_iter()
        .map(|p| {
            let mut d = Vec::new();
            let a = read_file(src, p, &mut d).and_then(|f| area_file(&f, &mut d));
            let lost = if a.is_none() {
                salvage(p)
            } else {
                Some(Vec::new())
            };
            (a, d, lost)
        })
        .collect();
    for (a, d, lost) in areas {
        diags.extend(d);
        model.areas.extend(a);
        model.lost.record(lost);
    }
    let goals: Vec<Loaded<GenericGoal>> = goal_files
        .par_iter()
        .map(|p| {
            let mut d = Vec::new();
            let g = read_file(src, p, &mut d).and_then(|f| goal_file(&f, &mut d));
            let lost = if g.is_none() {
                salvage(p)
            } else {
                Some(Vec::new())
            };
            (g, d, lost)
        })
        .collect();
    for (g, d, lost) in goals {
        diags.extend(d);
        model.generic_goals.extend(g);
        model.lost.record(lost);
    }
    for p in &cat_files {
        if let Some(f) = read_file(src, p, diags) {
            category_file(&f, p, &mut model, diags);
        }
    }
    for p in &page_files {
        match read_file(src, p, diags).and_then(|f| page_file(&f, p, diags)) {
            Some(page) => model.pages.push(page),
            None => {
                let stem = p.file_stem().unwrap_or_default().to_string_lossy();
                model.lost.ids.insert(slug(&stem));
            }
        }
    }
    duplicate_pages(&mut model.pages, diags);
    model
        .pages
        .sort_by(|a, b| a.order.cmp(&b.order).then(a.slug.cmp(&b.slug)));
    let glossary = content.join("glossary.yaml");
    if glossary.is_dir() {
        diags.push(Diagnostic::error(
            Loc {
                file: rel_path(root, &glossary).into(),
                line: 0,
                col: 0,
            },
            "glossary.yaml is a folder: the glossary is a file of that name",
        ));
    }
    if glossary.is_file() {
        if let Some(f) = read_file(src, &glossary, diags)
            && let Some(n) = parse_yaml(&f, &f.text, 1, diags)
        {
            let mut cx = Cx {
                file: f.rel.clone(),
                line_offset: 0,
                yaml: &f.text,
                diags,
            };
            model.glossary = glossary_fields(&mut cx, &n);
        } else {
            // `[[glossary]]` names the glossary page, which a glossary
            // that could not be read would have had.
            model.lost.ids.insert("glossary".into());
        }
    }
    model
        .generic_goals
        .sort_by(|a, b| natural_cmp(&a.id.text, &b.id.text));
    model
}

/// `GG2` before `GG10`.
fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    fn key(s: &str) -> Vec<(String, u64)> {
        let mut out = Vec::new();
        let mut text = String::new();
        let mut num = String::new();
        for c in s.chars() {
            if c.is_ascii_digit() {
                num.push(c);
            } else {
                if !num.is_empty() || !text.is_empty() && c == '.' {
                    out.push((std::mem::take(&mut text), num.parse().unwrap_or(0)));
                    num.clear();
                }
                text.push(c);
            }
        }
        out.push((text, num.parse().unwrap_or(0)));
        out
    }
    key(a).cmp(&key(b))
}

/// Whether `dir` is a folder or absent; a file (or anything else) in its
/// place is an error, which says what the folder holds.
fn not_a_folder(root: &Path, dir: &Path, holds: &str, diags: &mut Vec<Diagnostic>) -> bool {
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

/// Ids that a file which could not be read seems to define: the values of
/// its `id:` and `code:` fields, read line by line without YAML, and its
/// name (area and goal files are usually named by their id). `None` when
/// the file cannot be read at all.
fn salvage(path: &Path) -> Option<Vec<String>> {
    let bytes = std::fs::read(path).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let mut ids: Vec<String> = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .into_iter()
        .collect();
    for line in text.lines() {
        // `- id: X`, `  code: X`, `{ id: X, title: T }`.
        for field in ["id:", "code:"] {
            for (at, _) in line.match_indices(field) {
                let before = line[..at].trim_end_matches(' ');
                if !(before.is_empty() || before.ends_with(['-', '{', ',', '['])) {
                    continue;
                }
                let value = line[at + field.len()..]
                    .split(" #")
                    .next()
                    .unwrap_or("")
                    .split([',', '}'])
                    .next()
                    .unwrap_or("")
                    .trim()
                    .trim_matches(['"', '\'']);
                if !value.is_empty() {
                    ids.push(value.to_string());
                }
            }
        }
    }
    Some(ids)
}

impl Lost {
    /// What a file that failed seems to have defined (`None`: anything).
    fn record(&mut self, lost: Option<Vec<String>>) {
        match lost {
            Some(ids) => self.ids.extend(ids),
            None => self.all = true,
        }
    }
}

/// The `.md` files directly in `dir`, in name order; a missing dir is empty.
fn list_dir(root: &Path, dir: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
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

fn body_md(f: &SourceFile, body: &str, line: u32) -> Md {
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

fn model_yaml_fields(cx: &mut Cx, n: &Node, m: &mut Model) {
    let what = "model.yaml";
    let Some(mut f) = Fields::of(cx, n, what) else {
        return;
    };
    m.id = req(cx, &mut f, "id", what, s).unwrap_or_default();
    m.title = req(cx, &mut f, "title", what, text).unwrap_or_default();
    m.version = opt(cx, &mut f, "version", string).unwrap_or_default();
    m.source = opt(cx, &mut f, "source", text);
    m.notice = opt(cx, &mut f, "notice", md);
    if let Some(t) = f.take("terms")
        && let Some(mut tf) = Fields::of(cx, t, "`terms`")
    {
        let d = Terms::defaults();
        let term = |cx: &mut Cx, tf: &mut Fields, name: &'static str, dflt: String| {
            opt(cx, tf, name, text).unwrap_or(dflt)
        };
        m.terms = Terms {
            category: term(cx, &mut tf, "category", d.category),
            area: term(cx, &mut tf, "area", d.area),
            objective: term(cx, &mut tf, "objective", d.objective),
            practice: term(cx, &mut tf, "practice", d.practice),
            generic_goal: term(cx, &mut tf, "generic_goal", d.generic_goal),
            generic_practice: term(cx, &mut tf, "generic_practice", d.generic_practice),
        };
        tf.finish(cx, "`terms`");
    }
    let cats = f.require(cx, "categories", what);
    // Areas name their category: if some could not be read, an unknown
    // category in an area may be one of them.
    m.lost.categories |= !matches!(cats.map(|n| &n.value), Some(Value::Seq(_)));
    for c in list(cx, cats, "`categories`") {
        let w = "a category";
        let Some(mut cf) = Fields::of(cx, c, w) else {
            m.lost.categories = true;
            continue;
        };
        let id = req(cx, &mut cf, "id", w, s);
        let name = req(cx, &mut cf, "name", w, text);
        let summary = opt(cx, &mut cf, "summary", text);
        let order = cf.take("areas").map(|n| str_list(cx, Some(n), "`areas`"));
        cf.finish(cx, w);
        match (id, name) {
            (Some(id), Some(name)) => m.categories.push(Category {
                id,
                name,
                summary,
                description: None,
                area_order: order,
            }),
            (Some(id), None) => {
                m.lost.ids.insert(id.text);
            }
            (None, _) => m.lost.categories = true,
        }
    }
    for c in list(cx, f.take("clusters"), "`clusters`") {
        let w = "a cluster";
        let Some(mut cf) = Fields::of(cx, c, w) else {
            continue;
        };
        let id = req(cx, &mut cf, "id", w, s);
        let name = req(cx, &mut cf, "name", w, text);
        let description = opt(cx, &mut cf, "description", md);
        let an = cf.require(cx, "areas", w);
        let areas = str_list(cx, an, "`areas`");
        cf.finish(cx, w);
        if let Some(id) = &id
            && let Some(first) = m.clusters.iter().find(|c| c.id.text == id.text)
        {
            cx.diags.push(
                Diagnostic::error(
                    id.loc.clone(),
                    format!("duplicate cluster id `{}`", id.text),
                )
                .len(id.text.chars().count())
                .note(
                    first.id.loc.clone(),
                    "the first cluster with this id is here",
                ),
            );
            continue;
        }
        if let (Some(id), Some(name)) = (id, name) {
            m.clusters.push(Cluster {
                id,
                name,
                description,
                areas,
            });
        }
    }
    if let Some(sv) = f.require(cx, "survey", what) {
        let w = "`survey`";
        if let Some(mut sf) = Fields::of(cx, sv, w) {
            let mut scale = Vec::new();
            let sn = sf.require(cx, "scale", w);
            for v in list(cx, sn, "`scale`") {
                let w = "a scale value";
                let Some(mut vf) = Fields::of(cx, v, w) else {
                    continue;
                };
                let loc = cx.loc(vf.pos_of("value").unwrap_or(v.pos));
                let value = req(cx, &mut vf, "value", w, int);
                let label = req(cx, &mut vf, "label", w, text);
                let description = opt(cx, &mut vf, "description", text);
                vf.finish(cx, w);
                if let (Some(value), Some(label)) = (value, label) {
                    scale.push(ScaleValue {
                        value,
                        label,
                        description,
                        loc,
                    });
                }
            }
            let performed_at_loc = cx.loc(sf.pos_of("performed_at").unwrap_or(sv.pos));
            let performed_at = req(cx, &mut sf, "performed_at", w, int);
            let not_applicable = opt(cx, &mut sf, "not_applicable", boolean).unwrap_or(false);
            sf.finish(cx, w);
            if let Some(performed_at) = performed_at {
                m.survey = Some(Survey {
                    scale,
                    performed_at,
                    performed_at_loc,
                    not_applicable,
                    loc: cx.loc(sv.pos),
                });
            }
        }
    }
    for l in list(cx, f.take("capability_levels"), "`capability_levels`") {
        let w = "a capability level";
        let Some(mut lf) = Fields::of(cx, l, w) else {
            continue;
        };
        let loc = cx.loc(lf.pos_of("level").unwrap_or(l.pos));
        let level = req(cx, &mut lf, "level", w, int);
        let name = req(cx, &mut lf, "name", w, text);
        let requires = str_list(cx, lf.take("requires"), "`requires`");
        let description = opt(cx, &mut lf, "description", md);
        lf.finish(cx, w);
        if let (Some(level), Some(name)) = (level, name) {
            m.capability_levels.push(CapabilityLevel {
                level,
                loc,
                name,
                requires,
                description,
            });
        }
    }
    f.finish(cx, what);
}

fn subpractices(cx: &mut Cx, n: Option<&Node>) -> Vec<Subpractice> {
    let mut out = Vec::new();
    for sp in list(cx, n, "`subpractices`") {
        // A bare string is a subpractice with a title only.
        if let Value::Str(_) = sp.value {
            if let Some(title) = md(cx, sp, "a subpractice") {
                out.push(Subpractice { title, notes: None });
            }
            continue;
        }
        let w = "a subpractice";
        let Some(mut f) = Fields::of(cx, sp, w) else {
            continue;
        };
        let title = req(cx, &mut f, "title", w, md);
        let notes = opt(cx, &mut f, "notes", md);
        f.finish(cx, w);
        if let Some(title) = title {
            out.push(Subpractice { title, notes });
        }
    }
    out
}

fn area_file(file: &SourceFile, diags: &mut Vec<Diagnostic>) -> Option<Area> {
    let (yaml_text, yline, body, bline) = split_front_matter(file, diags)?;
    let n = parse_yaml(file, yaml_text, yline, diags)?;
    let mut cx = Cx {
        file: file.rel.clone(),
        line_offset: yline - 1,
        yaml: yaml_text,
        diags,
    };
    let cx = &mut cx;
    let w = "an area";
    let mut f = Fields::of(cx, &n, w)?;
    let code = req(cx, &mut f, "code", w, s);
    let name = req(cx, &mut f, "name", w, text);
    let category = req(cx, &mut f, "category", w, s);
    let group = opt(cx, &mut f, "group", text);
    let status = opt(cx, &mut f, "status", md);
    let purpose = req(cx, &mut f, "purpose", w, md);
    let mut related = Vec::new();
    for r in list(cx, f.take("related"), "`related`") {
        let w = "a related area";
        // `- COMP` is a related area without a note.
        if let Value::Str(_) = r.value {
            related.extend(s(cx, r, w).map(|area| Related { area, note: None }));
            continue;
        }
        let Some(mut rf) = Fields::of(cx, r, w) else {
            continue;
        };
        let area = req(cx, &mut rf, "area", w, s);
        let note = opt(cx, &mut rf, "note", md);
        rf.finish(cx, w);
        related.extend(area.map(|area| Related { area, note }));
    }
    let mut objectives = Vec::new();
    for o in list(cx, f.take("objectives"), "`objectives`") {
        let w = "an objective";
        let Some(mut of) = Fields::of(cx, o, w) else {
            continue;
        };
        let id = req(cx, &mut of, "id", w, s);
        let title = req(cx, &mut of, "title", w, text);
        let statement = req(cx, &mut of, "statement", w, md);
        let notes = opt(cx, &mut of, "notes", md);
        let mut practices = Vec::new();
        for p in list(cx, of.take("practices"), "`practices`") {
            let w = "a practice";
            let Some(mut pf) = Fields::of(cx, p, w) else {
                continue;
            };
            let id = req(cx, &mut pf, "id", w, s);
            let title = req(cx, &mut pf, "title", w, text);
            let statement = req(cx, &mut pf, "statement", w, md);
            let notes = opt(cx, &mut pf, "notes", md);
            let work_products: Vec<String> = list(cx, pf.take("work_products"), "`work_products`")
                .iter()
                .filter_map(|i| text(cx, i, "`work_products`"))
                .collect();
            let subs = subpractices(cx, pf.take("subpractices"));
            let question = opt(cx, &mut pf, "question", text);
            pf.finish(cx, w);
            // A practice missing its title or statement keeps its id, so
            // that references to it do not add errors of their own.
            if let Some(id) = id {
                let (title, statement) = (title.unwrap_or_default(), statement.unwrap_or_default());
                practices.push(Practice {
                    id,
                    title,
                    statement,
                    notes,
                    work_products,
                    subpractices: subs,
                    question,
                });
            }
        }
        of.finish(cx, w);
        if let Some(id) = id {
            let (title, statement) = (title.unwrap_or_default(), statement.unwrap_or_default());
            objectives.push(Objective {
                id,
                title,
                statement,
                notes,
                practices,
            });
        }
    }
    let mut elaborations = Vec::new();
    if let Some(e) = f.take("elaborations") {
        match &e.value {
            Value::Map(m) => {
                for (k, v) in m {
                    if let Some(text) = md(cx, v, "an elaboration") {
                        elaborations.push((
                            Str {
                                text: k.name.clone(),
                                loc: cx.start(k.pos, k.span),
                            },
                            text,
                        ));
                    }
                }
            }
            other => {
                cx.err(
                    e.pos,
                    format!(
                        "`elaborations` must map generic practice ids to text, found {}",
                        other.kind()
                    ),
                );
            }
        }
    }
    f.finish(cx, w);
    Some(Area {
        code: code?,
        name: name?,
        category: category?,
        group,
        status,
        purpose: purpose?,
        related,
        objectives,
        elaborations,
        introduction: body_md(file, body, bline),
        file: file.rel.to_string(),
    })
}

fn goal_file(file: &SourceFile, diags: &mut Vec<Diagnostic>) -> Option<GenericGoal> {
    let (yaml_text, yline, body, bline) = split_front_matter(file, diags)?;
    let n = parse_yaml(file, yaml_text, yline, diags)?;
    let mut cx = Cx {
        file: file.rel.clone(),
        line_offset: yline - 1,
        yaml: yaml_text,
        diags,
    };
    let cx = &mut cx;
    let w = "a generic goal";
    let mut f = Fields::of(cx, &n, w)?;
    let id = req(cx, &mut f, "id", w, s);
    let title = req(cx, &mut f, "title", w, text);
    let statement = req(cx, &mut f, "statement", w, md);
    let mut practices = Vec::new();
    for p in list(cx, f.take("practices"), "`practices`") {
        let w = "a generic practice";
        let Some(mut pf) = Fields::of(cx, p, w) else {
            continue;
        };
        let id = req(cx, &mut pf, "id", w, s);
        let title = req(cx, &mut pf, "title", w, text);
        let statement = req(cx, &mut pf, "statement", w, md);
        let notes = opt(cx, &mut pf, "notes", md);
        let subs = subpractices(cx, pf.take("subpractices"));
        let question = opt(cx, &mut pf, "question", text);
        pf.finish(cx, w);
        if let (Some(id), Some(title), Some(statement)) = (id, title, statement) {
            practices.push(GenericPractice {
                id,
                title,
                statement,
                notes,
                subpractices: subs,
                question,
            });
        }
    }
    f.finish(cx, w);
    Some(GenericGoal {
        id: id?,
        title: title?,
        statement: statement?,
        practices,
        body: body_md(file, body, bline),
    })
}

fn category_file(file: &SourceFile, path: &Path, m: &mut Model, diags: &mut Vec<Diagnostic>) {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Front matter is optional here: a category file may be Markdown alone.
    let (id, body, bline, id_loc) = if file.text.starts_with("---") {
        let Some((yaml_text, yline, body, bline)) = split_front_matter(file, diags) else {
            return;
        };
        let Some(n) = parse_yaml(file, yaml_text, yline, diags) else {
            return;
        };
        let mut cx = Cx {
            file: file.rel.clone(),
            line_offset: yline - 1,
            yaml: yaml_text,
            diags,
        };
        let w = "a category file";
        let Some(mut f) = Fields::of(&mut cx, &n, w) else {
            return;
        };
        let id = opt(&mut cx, &mut f, "id", s);
        f.finish(&mut cx, w);
        let loc = id.as_ref().map(|i| i.loc.clone());
        (id.map(|i| i.text).unwrap_or(stem), body, bline, loc)
    } else {
        (stem, file.text.as_str(), 1, None)
    };
    match m.categories.iter_mut().find(|c| c.id.text == id) {
        Some(c) => {
            let here = id_loc.unwrap_or_else(|| whole_file(file));
            if let Some(first) = &c.description {
                // Two files would write one category page: neither wins silently.
                diags.push(
                    Diagnostic::error(here, format!("a second description of the category `{id}`"))
                        .note(whole_file_of(&first.loc), "the first description is here")
                        .help("keep one description file per category"),
                );
                return;
            }
            c.description = Some(body_md(file, body, bline))
        }
        // model.yaml's own error says why its categories are not known.
        None if m.lost.categories || m.lost.may_define(&id) => {}
        None => {
            let known: Vec<&str> = m.categories.iter().map(|c| c.id.text.as_str()).collect();
            let loc = id_loc.unwrap_or_else(|| whole_file(file));
            diags.push(
                Diagnostic::error(
                    loc,
                    format!("no category `{id}` in model.yaml for this description"),
                )
                .maybe_help(did_you_mean(&id, known)),
            );
        }
    }
}

/// The whole of a file, as a place to point at.
fn whole_file(file: &SourceFile) -> Loc {
    Loc {
        file: file.rel.clone(),
        line: 0,
        col: 0,
    }
}

fn whole_file_of(loc: &Loc) -> Loc {
    Loc {
        file: loc.file.clone(),
        line: 0,
        col: 0,
    }
}

/// Two pages whose file names make one address (`About.md`, `about.md`).
fn duplicate_pages(pages: &mut Vec<Page>, diags: &mut Vec<Diagnostic>) {
    let mut seen: std::collections::HashMap<String, Loc> = std::collections::HashMap::new();
    pages.retain(|p| match seen.get(&p.slug) {
        Some(first) => {
            diags.push(
                Diagnostic::error(
                    whole_file_of(&p.body.loc),
                    format!("this page has the same address (`pages/{}/`) as another", p.slug),
                )
                .note(first.clone(), "the other page is here")
                .help("page addresses come from file names, whatever their case and punctuation: rename one"),
            );
            false
        }
        None => {
            seen.insert(p.slug.clone(), whole_file_of(&p.body.loc));
            true
        }
    });
}

fn page_file(file: &SourceFile, path: &Path, diags: &mut Vec<Diagnostic>) -> Option<Page> {
    let (yaml_text, yline, body, bline) = split_front_matter(file, diags)?;
    let n = parse_yaml(file, yaml_text, yline, diags)?;
    let mut cx = Cx {
        file: file.rel.clone(),
        line_offset: yline - 1,
        yaml: yaml_text,
        diags,
    };
    let cx = &mut cx;
    let w = "a page";
    let mut f = Fields::of(cx, &n, w)?;
    let title = req(cx, &mut f, "title", w, text);
    let order = opt(cx, &mut f, "order", int).unwrap_or(50);
    f.finish(cx, w);
    let stem = path.file_stem()?.to_string_lossy();
    let slug = slug(&stem);
    if slug.is_empty() {
        cx.err(
            Pos { line: 0, col: 0 },
            "this file name gives an empty page address",
        );
        return None;
    }
    Some(Page {
        slug,
        title: title?,
        order,
        body: body_md(file, body, bline),
    })
}

fn glossary_fields(cx: &mut Cx, n: &Node) -> Vec<Term> {
    let mut out = Vec::new();
    let items = match &n.value {
        Value::Seq(items) => items.as_slice(),
        Value::Null => &[],
        other => {
            cx.err(
                n.pos,
                format!(
                    "the glossary must be a list of terms, found {}",
                    other.kind()
                ),
            );
            &[]
        }
    };
    for t in items {
        let w = "a glossary entry";
        let Some(mut f) = Fields::of(cx, t, w) else {
            continue;
        };
        let term = req(cx, &mut f, "term", w, s);
        let definition = req(cx, &mut f, "definition", w, md);
        let source = opt(cx, &mut f, "source", text);
        let see_also = str_list(cx, f.take("see_also"), "`see_also`");
        f.finish(cx, w);
        if let (Some(term), Some(definition)) = (term, definition) {
            out.push(Term {
                term,
                definition,
                source,
                see_also,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_dropped_and_nothing_else() {
        assert_eq!(clean("a\u{1}b\u{7f}c\u{85}d\u{2}"), "abcd");
        // 0xC2 starts both C1 controls and ordinary letters and signs.
        assert_eq!(clean("© ¼ é\n\tx"), "© ¼ é\n\tx");
        assert_eq!(clean("plain text"), "plain text");
    }

    fn file(text: &str) -> SourceFile {
        SourceFile {
            rel: "content/areas/X.md".into(),
            text: text.into(),
        }
    }

    #[test]
    fn reports_every_unknown_and_missing_field_of_a_file() {
        let f = file(
            "---\ncode: EF\nname: Enterprise Focus\ncategory: enterprise\npurpose: P\nobjectives:\n  - id: EF-1\n    title: T\n    statment: S\n    practices:\n      - id: EF-1.1\n        title: T\n        statement: S\n        colour: red\n---\nBody\n",
        );
        let mut d = Vec::new();
        let a = area_file(&f, &mut d).unwrap();
        let msgs: Vec<String> = d
            .iter()
            .map(|d| format!("{} {} {:?}", d.loc, d.message, d.help))
            .collect();
        assert_eq!(msgs.len(), 3, "{msgs:#?}");
        assert!(
            msgs[0].starts_with("content/areas/X.md:11:9 missing field `statement`")
                || msgs
                    .iter()
                    .any(|m| m.contains("missing field `statement` in an objective")),
            "{msgs:#?}"
        );
        assert!(
            msgs.iter().any(|m| m
                .starts_with("content/areas/X.md:9:5 unknown field `statment` in an objective")
                && m.contains("did you mean `statement`?")),
            "{msgs:#?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("content/areas/X.md:14:9 unknown field `colour`")),
            "{msgs:#?}"
        );
        assert_eq!(a.introduction.loc.line, 16);
        // The objective stays, so that references to its id do not fail too.
        assert_eq!(a.objectives.len(), 1);
    }

    #[test]
    fn yaml_errors_point_at_the_file_line() {
        let f = file("---\ncode: EF\nname: [unclosed\n---\n");
        let mut d = Vec::new();
        assert!(area_file(&f, &mut d).is_none());
        assert_eq!(d.len(), 1);
        assert!(d[0].loc.line >= 3, "{:?}", d[0]);
        assert!(d[0].message.starts_with("YAML syntax error"), "{:?}", d[0]);
    }

    #[test]
    fn front_matter_that_never_closes() {
        let f = file("---\ncode: EF\n");
        let mut d = Vec::new();
        assert!(area_file(&f, &mut d).is_none());
        assert_eq!(d[0].message, "front matter opened here is never closed");
        assert_eq!((d[0].loc.line, d[0].loc.col), (1, 1));
    }

    #[test]
    fn file_of_front_matter_alone() {
        let f = file("---\nid: GG1\ntitle: T\nstatement: S\n---");
        let mut d = Vec::new();
        let g = goal_file(&f, &mut d).unwrap();
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(g.body.src, "");
    }

    #[test]
    fn orders_naturally() {
        let mut v = vec!["GG10", "GG2", "GG1"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, ["GG1", "GG2", "GG10"]);
    }
}
