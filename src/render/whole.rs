//! The pages that hold every area (print, survey, worksheets): frames with
//! a mark per area, each area's part rendered with its own task, and the
//! assembly of frame and parts.

use super::*;

/// A page that holds every area: its frame, in which each area's part is
/// put.
pub(super) struct Whole {
    pub(super) frame: PageJob,
    pub(super) kind: WholeKind,
    /// Each area's part is a file of its own that the page loads when it
    /// is needed (a large model), not put in the page.
    pub(super) split: bool,
}

#[derive(Clone, Copy, PartialEq, Debug)]
pub(super) enum WholeKind {
    Print,
    Survey,
    Worksheets,
}

impl WholeKind {
    /// The template of an area's part.
    pub(super) fn part(self) -> &'static str {
        match self {
            WholeKind::Print => "print_area.html",
            WholeKind::Survey => "survey_area.html",
            WholeKind::Worksheets => "worksheet_body.html",
        }
    }
}

/// Above this many areas, the pages of the whole model load their areas on
/// demand (book.toml's `whole-pages-split-above`): 60 areas make a survey
/// page of some 3 MB, which a browser still opens in well under a second.
pub(super) const SPLIT_ABOVE: usize = 60;

/// Where an area's part goes in a whole-model page's frame. Content cannot
/// hold the mark: the loader drops control characters.
pub(super) fn part_mark(a: usize) -> String {
    format!("{PART}{a}{PART}")
}

pub(super) const PART: char = '\u{2}';

impl Site<'_> {
    /// The pages that hold every area: the print page, the survey and the
    /// worksheets. Each is rendered as a frame in which every area stands as
    /// a part mark; the parts are rendered with each area's own task.
    /// Without `all` the frames list no area: only an area's parts are
    /// rendered from them, and those do not show the list.
    pub(super) fn whole_model(&self, sh: &Shared, all: bool) -> Vec<Whole> {
        let m = &self.b.model;
        let split = m.areas.len() > m.book.split_above.unwrap_or(SPLIT_ABOVE);
        // Just what the frames list: links, names and the part to put in.
        let areas: Vec<(usize, Value)> = (0..m.areas.len())
            .filter(|&a| all && self.b.urls.contains_key(&Elem::Area(a)))
            .map(|a| {
                let area = &m.areas[a];
                let mut v = json!(self.link(Elem::Area(a)));
                v["code"] = json!(area.code.text);
                v["slug"] = json!(slug(&area.code.text));
                v["name"] = json!(area.name);
                v["worksheet_url"] = json!(urls::worksheet(&area.code.text));
                v["survey_anchor"] = json!(urls::survey_area_anchor(&area.code.text));
                v["worksheet_anchor"] = json!(urls::worksheet_anchor(&area.code.text));
                v["part"] = json!(part_mark(a));
                (a, v)
            })
            .collect();
        // The areas as one frame lists them: with the part mark, or with the
        // place its part will be loaded into.
        let list_for = |kind: WholeKind| {
            let vs: Vec<(String, tera::Value)> = areas
                .iter()
                .map(|(a, v)| {
                    let mut v = v.clone();
                    if split {
                        v["part"] = json!(slot(kind, &v));
                    }
                    (m.areas[*a].code.text.clone(), tv(&v))
                })
                .collect();
            let list = tera::Value::from(vs.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>());
            let by_code: std::collections::BTreeMap<String, tera::Value> = vs.into_iter().collect();
            (list, by_code)
        };
        let (list, by_code) = list_for(WholeKind::Print);
        let mut out = vec![Whole {
            frame: self.job(
                urls::PRINT.into(),
                "print.html",
                format!("{} (whole model)", m.title),
                vec![home_crumb()],
                "print",
                vec![
                    ("categories", sh.categories_tv.clone()),
                    ("areas", list),
                    ("parts_on_demand", split.into()),
                    // By code, so that the template finds each area without a
                    // scan (which was quadratic).
                    ("areas_by_code", tera::Value::from(by_code)),
                    ("goals", tera::Value::from(
                        sh.goals_full.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>(),
                    )),
                    ("levels", sh.levels.clone()),
                    ("clusters", sh.clusters_tv.clone()),
                    ("terms", tv(&self.glossary_view())),
                    ("anchors", tv(&urls::print_anchors().into_iter().collect::<std::collections::BTreeMap<_, _>>())),
                    ("pages", tv(&m.pages.iter().map(|p| json!({"title": p.title, "anchor": print_anchor(&urls::page(&p.slug)), "body_html": p.body.html})).collect::<Vec<_>>())),
                ],
            ),
            kind: WholeKind::Print,
            split,
        }];
        if m.survey.is_some() {
            out.push(Whole {
                frame: self.job(
                    urls::SURVEY.into(),
                    "survey.html",
                    "Survey of practice".into(),
                    vec![home_crumb()],
                    "survey",
                    vec![
                        ("areas", list_for(WholeKind::Survey).0),
                        ("parts_on_demand", split.into()),
                        ("levels", sh.levels.clone()),
                    ],
                ),
                kind: WholeKind::Survey,
                split,
            });
            out.push(Whole {
                frame: self.job(
                    urls::WORKSHEETS.into(),
                    "worksheets.html",
                    "Survey worksheets".into(),
                    vec![home_crumb()],
                    "worksheets",
                    vec![
                        ("areas", list_for(WholeKind::Worksheets).0),
                        ("parts_on_demand", split.into()),
                    ],
                ),
                kind: WholeKind::Worksheets,
                split,
            });
        }
        out
    }
}

/// Where an area's part is loaded into, on a page that loads its areas on
/// demand: an element of the part's kind with the part's id, its heading,
/// and the address of the part's file (`whole-parts.js` loads it).
fn slot(kind: WholeKind, v: &Value) -> String {
    let text = |k: &str| {
        let mut out = String::new();
        let _ = pulldown_cmark_escape::escape_html(&mut out, v[k].as_str().unwrap_or(""));
        out
    };
    let code = text("code");
    let (_, src) = urls::whole_part("", v["code"].as_str().unwrap_or(""));
    let (tag, attrs) = match kind {
        WholeKind::Survey => (
            "section",
            format!(
                "class=\"survey survey-area part-slot\" id=\"{}\" data-survey-area=\"{code}\"",
                text("survey_anchor")
            ),
        ),
        WholeKind::Print => (
            "article",
            format!("class=\"print-area part-slot\" id=\"{}\"", text("anchor")),
        ),
        WholeKind::Worksheets => (
            "article",
            format!(
                "class=\"worksheet part-slot\" id=\"{}\" data-worksheet=\"{code}\"",
                text("worksheet_anchor")
            ),
        ),
    };
    format!(
        "<{tag} {attrs} data-part=\"{code}\" data-part-src=\"{src}\"><h2><span class=\"id\">{code}</span> {}</h2><p class=\"part-loading\">Loading…</p></{tag}>\n",
        text("name")
    )
}

/// An area's part as the script file that puts it in its page.
pub(super) fn part_script(code: &str, part: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(part.len() + 64);
    out.extend_from_slice(b"refbookParts.put(");
    let _ = serde_json::to_writer(&mut out, code);
    out.push(b',');
    js_template(part, &mut out);
    out.extend_from_slice(b");\n");
    out
}

/// `text` as a JavaScript template literal with no substitutions. The parts
/// are most of a large build's output, and HTML is full of quotes and line
/// breaks that a string literal must escape; a template literal escapes
/// only what HTML nearly never has (a backtick, a backslash, a dollar sign
/// that could start a substitution, a carriage return that would be read as
/// a line feed), so the text is copied as it is, a run at a time.
fn js_template(text: &[u8], out: &mut Vec<u8>) {
    let text = match std::str::from_utf8(text) {
        Ok(_) => std::borrow::Cow::Borrowed(text),
        Err(_) => std::borrow::Cow::Owned(String::from_utf8_lossy(text).into_owned().into_bytes()),
    };
    let escape = |b: u8| -> &'static [u8] {
        match b {
            b'`' => b"\\`",
            b'\\' => b"\\\\",
            b'$' => b"\\$",
            _ => b"\\r",
        }
    };
    out.reserve(text.len() + 2);
    out.push(b'`');
    let mut from = 0;
    let mut put = |at: usize, out: &mut Vec<u8>| {
        out.extend_from_slice(&text[from..at]);
        out.extend_from_slice(escape(text[at]));
        from = at + 1;
    };
    if memchr::memchr(b'\r', &text).is_none() {
        for at in memchr::memchr3_iter(b'`', b'\\', b'$', &text) {
            put(at, out);
        }
    } else {
        let special = |b: &u8| matches!(b, b'`' | b'\\' | b'$' | b'\r');
        for at in (0..text.len()).filter(|&i| special(&text[i])) {
            put(at, out);
        }
    }
    out.extend_from_slice(&text[from..]);
    out.push(b'`');
}

/// On the print page, links to pages that the print page holds become
/// links to their place in it.
pub(super) fn fix_print_links(html: &[u8]) -> Vec<u8> {
    const HREF: &[u8] = b"href=\"";
    let mut out = Vec::with_capacity(html.len());
    let mut from = 0;
    for at in memchr::memchr_iter(ROOT_MARK as u8, html) {
        if at < from {
            continue; // inside a link target already made an anchor
        }
        out.extend_from_slice(&html[from..at]);
        if html[..at].ends_with(HREF) {
            let url = &html[at + 1..];
            let end = memchr::memchr(b'"', url).unwrap_or(url.len());
            out.push(b'#');
            out.extend_from_slice(print_anchor(&String::from_utf8_lossy(&url[..end])).as_bytes());
            from = at + 1 + end;
        } else {
            out.extend_from_slice(b"../");
            from = at + 1;
        }
    }
    out.extend_from_slice(&html[from..]);
    out
}

/// Writes a whole-model page: its frame, with each part mark replaced by
/// that area's part, straight from the part store.
pub(super) fn assemble<S: Sink>(
    w: &Whole,
    store: &mut PartStore,
    tera: &tera::Tera,
    opts: &BuildOptions,
    sink: &S,
) -> PageOutcome {
    let mut frame = match tera.render(w.frame.template, &w.frame.ctx) {
        Ok(frame) => frame.into_bytes(),
        Err(e) => return PageOutcome::Template(template_error(&e)),
    };
    if opts.live_reload {
        inject_reload(&mut frame);
    }
    let path = &w.frame.path;
    let mut file = match sink.create(path) {
        Ok(f) => f,
        Err(e) => return PageOutcome::Write(e),
    };
    let mark = PART as u8;
    let written = (|| {
        let mut rest = frame.as_slice();
        while let Some(i) = memchr::memchr(mark, rest) {
            let after = &rest[i + 1..];
            let Some(j) = memchr::memchr(mark, after) else {
                break;
            };
            let part = std::str::from_utf8(&after[..j])
                .ok()
                .and_then(|n| n.parse().ok());
            let Some(a) = part else {
                file.write_all(&fix(rest[..=i].to_vec(), w))?;
                rest = after;
                continue;
            };
            file.write_all(&fix(rest[..i].to_vec(), w))?;
            store.copy_to(a, &mut file)?;
            rest = &after[j + 1..];
        }
        file.write_all(&fix(rest.to_vec(), w))
    })();
    written
        .map_err(|e| sink.write_error(path, e))
        .and_then(|()| sink.close(path, file))
        .into()
}

/// The parts of one whole-model page, in the order they were rendered: in a
/// scratch file beside the site (removed when done), in memory when the site
/// is not written to disk, or nowhere when it is thrown away (`check`).
pub(super) struct PartStore {
    pub(super) spill: Spill,
    /// Each area's part: where it starts and how long it is.
    pub(super) at: HashMap<usize, (u64, u64)>,
    pub(super) len: u64,
}

pub(super) enum Spill {
    Mem(Vec<u8>),
    File(std::fs::File, std::path::PathBuf),
    Discard,
}

impl PartStore {
    pub(super) fn new(scratch: Scratch, n: usize) -> std::io::Result<Self> {
        let spill = match scratch {
            Scratch::Memory => Spill::Mem(Vec::new()),
            Scratch::Discard => Spill::Discard,
            Scratch::Dir(dir) => {
                let path = dir.join(format!(".refbook-parts-{n}"));
                let file = std::fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create_new(true)
                    .open(&path)?;
                Spill::File(file, path)
            }
        };
        Ok(PartStore {
            spill,
            at: HashMap::new(),
            len: 0,
        })
    }

    pub(super) fn append(&mut self, a: usize, bytes: &[u8]) -> std::io::Result<()> {
        match &mut self.spill {
            Spill::Mem(v) => v.extend_from_slice(bytes),
            Spill::File(f, _) => f.write_all(bytes)?,
            Spill::Discard => {}
        }
        self.at.insert(a, (self.len, bytes.len() as u64));
        self.len += bytes.len() as u64;
        Ok(())
    }

    pub(super) fn copy_to(&mut self, a: usize, out: &mut impl Write) -> std::io::Result<()> {
        let Some(&(start, len)) = self.at.get(&a) else {
            return Ok(());
        };
        match &mut self.spill {
            Spill::Mem(v) => out.write_all(&v[start as usize..(start + len) as usize]),
            Spill::Discard => Ok(()),
            Spill::File(f, _) => {
                f.seek(std::io::SeekFrom::Start(start))?;
                let copied = std::io::copy(&mut Read::take(&*f, len), out)?;
                if copied == len {
                    Ok(())
                } else {
                    Err(std::io::ErrorKind::UnexpectedEof.into())
                }
            }
        }
    }
}

impl Drop for PartStore {
    fn drop(&mut self) {
        if let Spill::File(_, path) = &self.spill {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// A part or a piece of a whole-model page, made ready for its page: links
/// into the print page become links within it; elsewhere each root mark
/// becomes the page's way back to the root.
pub(super) fn fix(bytes: Vec<u8>, w: &Whole) -> Vec<u8> {
    match w.kind {
        WholeKind::Print => fix_print_links(&bytes),
        _ => with_root(bytes, &w.frame.root),
    }
}

/// A whole page with the way back to the root in place of each root mark.
pub(super) fn with_root(page: Vec<u8>, root: &str) -> Vec<u8> {
    let mark = ROOT_MARK as u8;
    let mut marks = memchr::memchr_iter(mark, &page).peekable();
    if marks.peek().is_none() {
        return page;
    }
    let mut out = Vec::with_capacity(page.len() + 64 * root.len());
    let mut from = 0;
    for at in marks {
        out.extend_from_slice(&page[from..at]);
        out.extend_from_slice(root.as_bytes());
        from = at + 1;
    }
    out.extend_from_slice(&page[from..]);
    out
}

/// Adds the live-reload script before the last `</body>` (or at the end).
pub(super) fn inject_reload(html: &mut Vec<u8>) {
    let at = html
        .windows(7)
        .rposition(|w| w == b"</body>")
        .unwrap_or(html.len());
    html.splice(at..at, RELOAD_SCRIPT.bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files kept in memory, for looking at what a writer made.
    #[derive(Default)]
    struct Kept(Mutex<HashMap<String, Vec<u8>>>);

    impl Sink for Kept {
        type File = Vec<u8>;
        fn create(&self, _: &str) -> Result<Vec<u8>, WriteError> {
            Ok(Vec::new())
        }
        fn close(&self, rel: &str, bytes: Vec<u8>) -> Result<(), WriteError> {
            lock(&self.0).insert(rel.to_string(), bytes);
            Ok(())
        }
    }

    #[test]
    fn whole_model_pages_are_their_frame_with_each_part_put_in() {
        let link = |to: &str| format!("<a href=\"{ROOT_MARK}{to}\">x</a>");
        let mut tera = tera::Tera::default();
        tera.add_raw_template(
            "frame.html",
            &format!(
                "<html><body>{}[{{{{ first | safe }}}}][{{{{ second | safe }}}}][{PART}x{PART}]</body></html>",
                link("index.html")
            ),
        )
        .unwrap();
        for kind in [WholeKind::Print, WholeKind::Survey] {
            let mut ctx = tera::Context::new();
            ctx.insert("first", &part_mark(7));
            ctx.insert("second", &part_mark(3));
            let w = Whole {
                frame: PageJob {
                    path: "whole/index.html".into(),
                    root: "../".into(),
                    template: "frame.html",
                    ctx,
                },
                kind,
                split: false,
            };
            let mut store = PartStore::new(Scratch::Memory, 0).unwrap();
            // Parts arrive in any order; the frame decides where each goes.
            store.append(3, b"three").unwrap();
            store
                .append(7, &fix(link("areas/a/index.html").into_bytes(), &w))
                .unwrap();
            let kept = Kept::default();
            let opts = BuildOptions {
                live_reload: true,
                ..Default::default()
            };
            let done = assemble(&w, &mut store, &tera, &opts, &kept);
            assert!(matches!(done, PageOutcome::Written), "{kind:?}");
            let page =
                String::from_utf8(lock(&kept.0).remove("whole/index.html").unwrap()).unwrap();
            let (home, part) = match kind {
                WholeKind::Print => ("#top", "#areas-a"),
                _ => ("../index.html", "../areas/a/index.html"),
            };
            assert_eq!(
                page,
                format!(
                    "<html><body><a href=\"{home}\">x</a>[<a href=\"{part}\">x</a>][three][{PART}x{PART}]{RELOAD_SCRIPT}</body></html>"
                ),
                "{kind:?}"
            );
        }
    }

    /// Texts a part could hold, and what their template literal must give back.
    const PART_TEXTS: [&[u8]; 10] = [
        b"",
        b"plain <p class=\"a\">text</p>\n",
        b"back\\slash \"quoted\"\n\nend",
        "\u{2028} caf\u{e9} \u{1F600}\n".as_bytes(),
        b"tab\there\r\n and \r alone",
        b"\x01\x1f\x7f",
        b"not utf-8 \xff\xfe <b>\"</b>",
        b"`code` and ${not} a substitution, $ and {}",
        b"\\`\\${",
        b"</script><!-- -->",
    ];

    /// A template literal without substitutions, read as JavaScript reads
    /// the escapes that `js_template` writes (and nothing else).
    fn cooked(js: &str) -> String {
        let inner = js
            .strip_prefix('`')
            .and_then(|s| s.strip_suffix('`'))
            .unwrap();
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => out.push(match chars.next().unwrap() {
                    'r' => '\r',
                    c @ ('`' | '\\' | '$') => c,
                    c => panic!("unexpected escape \\{c} in {js:?}"),
                }),
                '`' => panic!("a backtick ends the literal early in {js:?}"),
                '$' => panic!("a bare dollar sign in {js:?}"),
                '\r' => panic!("a carriage return is read as a line feed in {js:?}"),
                c => out.push(c),
            }
        }
        out
    }

    #[test]
    fn a_part_is_a_template_literal_of_its_text() {
        for text in PART_TEXTS {
            let mut js = Vec::new();
            js_template(text, &mut js);
            let js = String::from_utf8(js).unwrap();
            assert_eq!(cooked(&js), String::from_utf8_lossy(text), "{js:?}");
        }
    }

    /// Node, where it is installed (CI requires it), reads every part script
    /// back as the text it was made from.
    #[test]
    fn node_reads_each_part_back_as_its_text() {
        let mut script = String::from(
            "const got = []; const refbookParts = { put: (c, h) => got.push([c, h]) };\n",
        );
        let mut want = Vec::new();
        for (i, text) in PART_TEXTS.iter().enumerate() {
            let code = format!("A{i}\"'`");
            script.push_str(std::str::from_utf8(&part_script(&code, text)).unwrap());
            want.push((code, String::from_utf8_lossy(text).into_owned()));
        }
        script.push_str("process.stdout.write(JSON.stringify(got));\n");
        let run = std::process::Command::new("node")
            .arg("-e")
            .arg(&script)
            .output();
        let out = match run {
            Ok(o) => o,
            Err(_) if std::env::var_os("REQUIRE_NODE").is_none() => {
                eprintln!("node not found: part scripts not run (REQUIRE_NODE=1 makes this fail)");
                return;
            }
            Err(e) => panic!("node is required: {e}"),
        };
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let got: Vec<(String, String)> = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(got, want);
    }

    #[test]
    fn a_part_on_demand_is_a_script_of_data_and_its_slot_is_escaped() {
        let js =
            String::from_utf8(part_script("EF", "<p class=\"x\">\u{2028}</p>".as_bytes())).unwrap();
        assert_eq!(
            js,
            "refbookParts.put(\"EF\",`<p class=\"x\">\u{2028}</p>`);\n"
        );
        let v = json!({"code": "A&B", "name": "<b>", "survey_anchor": "survey-a-b"});
        let s = slot(WholeKind::Survey, &v);
        assert!(s.starts_with("<section class=\"survey survey-area part-slot\" id=\"survey-a-b\" data-survey-area=\"A&amp;B\" data-part=\"A&amp;B\" data-part-src=\"parts/a-b.js\">"), "{s}");
        assert!(
            s.contains("&lt;b&gt;") && s.ends_with("</section>\n"),
            "{s}"
        );
    }
}
