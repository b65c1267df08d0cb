//! Markdown to HTML, with `[[ID]]` cross-references resolved and content
//! kept from injecting markup or script.

use crate::model::ROOT_MARK;
use pulldown_cmark::{
    Alignment, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use std::ops::Range;

mod plain;

pub use plain::plain_text;

pub struct Target<'a> {
    pub url: std::borrow::Cow<'a, str>,
    pub title: std::borrow::Cow<'a, str>,
}

pub struct Rendered {
    pub html: String,
    /// Ids named by `[[...]]` that resolved, with their byte range in the source.
    pub refs: Vec<(String, Range<usize>)>,
    /// Ids that did not.
    pub unresolved: Vec<(String, Range<usize>)>,
}

pub struct MdOptions {
    /// Raw HTML is shown as text unless the book opts in; then it passes
    /// through ammonia, which keeps markup and drops script.
    pub allow_html: bool,
    /// Body headings move down this many levels, below the page's own h1.
    pub heading_shift: u8,
    /// One paragraph renders without its `<p>`, for statements and titles.
    pub inline: bool,
    /// Footnote labels get this prefix, so that two texts on one page (and
    /// every text on the print page) keep distinct anchors.
    pub footnote_prefix: String,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_WIKILINKS
}

/// Links that would run script when followed.
fn dangerous(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    cleaned.starts_with("javascript:")
        || cleaned.starts_with("vbscript:")
        || (cleaned.starts_with("data:") && !cleaned.starts_with("data:image/"))
}

fn shift(level: HeadingLevel, by: u8) -> HeadingLevel {
    let n = (level as u8 + by).min(6);
    HeadingLevel::try_from(n as usize).unwrap_or(HeadingLevel::H6)
}

pub fn render<'t>(
    src: &str,
    opts: &MdOptions,
    resolve: impl Fn(&str) -> Option<Target<'t>>,
) -> Rendered {
    let mut refs = Vec::new();
    let mut unresolved = Vec::new();
    let mut events = Vec::new();
    // A wikilink that did not resolve shows its text without a link.
    let mut drop_link_end = 0usize;
    let mut cells = Cells::default();
    for (ev, range) in Parser::new_ext(src, options()).into_offset_iter() {
        let ev = match ev {
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { .. },
                dest_url,
                ..
            }) => {
                let id = dest_url.trim();
                match resolve(id) {
                    Some(t) => {
                        refs.push((id.to_string(), range));
                        Event::InlineHtml(CowStr::from(xref_open(id, &t)))
                    }
                    None => {
                        unresolved.push((id.to_string(), range));
                        drop_link_end += 1;
                        continue;
                    }
                }
            }
            Event::End(TagEnd::Link) if drop_link_end > 0 => {
                drop_link_end -= 1;
                continue;
            }
            Event::End(TagEnd::Link) => Event::End(TagEnd::Link),
            other => {
                cells.push(made_safe(other, opts), &mut events);
                continue;
            }
        };
        events.push(ev);
    }
    let mut html = String::with_capacity(src.len() + src.len() / 4);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if opts.allow_html {
        html = sanitizer().clean(&html).to_string();
    }
    if opts.inline {
        html = strip_single_paragraph(html);
    }
    // Kept for the whole build: room reserved for growth is memory lost
    // (mimalloc does not shrink a block in place by less than half).
    if html.capacity() > html.len() + html.len() / 8 {
        html = html.as_str().into();
    }
    Rendered {
        html,
        refs,
        unresolved,
    }
}

/// The opening tag of a resolved `[[ID]]` link: its address starts at the
/// root mark, which each page replaces with its way back to the root.
fn xref_open(id: &str, t: &Target) -> String {
    let mut a = String::from("<a class=\"xref\" href=\"");
    a.push(ROOT_MARK);
    pulldown_cmark_escape::escape_href(&mut a, &t.url).ok();
    a.push_str("\" title=\"");
    pulldown_cmark_escape::escape_html(&mut a, id).ok();
    a.push(' ');
    pulldown_cmark_escape::escape_html(&mut a, &t.title).ok();
    a.push_str("\">");
    a
}

/// An event as the site shows it: dangerous link targets neutralised,
/// headings moved below the page title, footnotes named per text, raw HTML
/// shown as text unless the book allows it.
/// Tables as the theme can show them under its Content-Security-Policy:
/// cells carry their column's alignment as a class the stylesheet defines
/// (the `style` attribute pulldown-cmark writes is refused by the CSP, and
/// dropped by ammonia), and each table sits in a box that scrolls sideways
/// on its own, so that a wide table never widens the page.
#[derive(Default)]
struct Cells {
    aligns: Vec<Alignment>,
    head: bool,
    col: usize,
}

impl Cells {
    fn push<'e>(&mut self, ev: Event<'e>, out: &mut Vec<Event<'e>>) {
        let ev = match ev {
            Event::Start(Tag::Table(aligns)) => {
                self.aligns = aligns;
                out.push(Event::Html(CowStr::Borrowed("<div class=\"table-wrap\">")));
                Event::Start(Tag::Table(Vec::new()))
            }
            Event::End(TagEnd::Table) => {
                out.push(Event::End(TagEnd::Table));
                Event::Html(CowStr::Borrowed("</div>\n"))
            }
            Event::Start(Tag::TableCell) => {
                let tag = if self.head { "th" } else { "td" };
                let class = match self.aligns.get(self.col) {
                    Some(Alignment::Left) => " class=\"align-left\"",
                    Some(Alignment::Center) => " class=\"align-center\"",
                    Some(Alignment::Right) => " class=\"align-right\"",
                    _ => "",
                };
                self.col += 1;
                Event::InlineHtml(CowStr::from(format!("<{tag}{class}>")))
            }
            other => {
                match &other {
                    Event::Start(Tag::TableHead) => (self.head, self.col) = (true, 0),
                    Event::End(TagEnd::TableHead) => self.head = false,
                    Event::Start(Tag::TableRow) => self.col = 0,
                    _ => {}
                }
                other
            }
        };
        out.push(ev);
    }
}

fn escaped(s: &str) -> String {
    let mut out = String::new();
    pulldown_cmark_escape::escape_html(&mut out, s).ok();
    out
}

/// A footnote label made of digits only, shown as its own number.
fn numbered(label: &str) -> bool {
    !label.is_empty() && label.len() < 10 && label.bytes().all(|b| b.is_ascii_digit())
}

fn made_safe<'e>(ev: Event<'e>, opts: &MdOptions) -> Event<'e> {
    match ev {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if dangerous(&dest_url) => Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::Borrowed("#"),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if dangerous(&dest_url) => Event::Start(Tag::Image {
            link_type,
            dest_url: CowStr::Borrowed("#"),
            title,
            id,
        }),
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: shift(level, opts.heading_shift),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => {
            Event::End(TagEnd::Heading(shift(level, opts.heading_shift)))
        }
        // A numbered footnote keeps its number (a report's footnote 17 is 17,
        // not the first of the page); pulldown-cmark would count them from 1.
        Event::FootnoteReference(label) if numbered(&label) => {
            Event::InlineHtml(CowStr::from(format!(
                "<sup class=\"footnote-reference\"><a href=\"#{}{label}\">{label}</a></sup>",
                escaped(&opts.footnote_prefix)
            )))
        }
        Event::Start(Tag::FootnoteDefinition(label)) if numbered(&label) => {
            Event::Html(CowStr::from(format!(
                "<div class=\"footnote-definition\" id=\"{}{label}\"><sup class=\"footnote-definition-label\">{label}</sup>",
                escaped(&opts.footnote_prefix)
            )))
        }
        Event::FootnoteReference(label) => {
            Event::FootnoteReference(CowStr::from(format!("{}{label}", opts.footnote_prefix)))
        }
        Event::Start(Tag::FootnoteDefinition(label)) => Event::Start(Tag::FootnoteDefinition(
            CowStr::from(format!("{}{label}", opts.footnote_prefix)),
        )),
        Event::Html(h) if !opts.allow_html => Event::Text(h),
        Event::InlineHtml(h) if !opts.allow_html => Event::Text(h),
        other => other,
    }
}

/// Built once: what the generated Markdown itself needs (classes, ids of
/// headings and footnotes, link titles) on top of ammonia's safe defaults.
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static B: std::sync::OnceLock<ammonia::Builder<'static>> = std::sync::OnceLock::new();
    B.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes(["class", "id", "title"]);
        // Links are the content's own; `noopener noreferrer` would only add noise.
        b.link_rel(None);
        b
    })
}

fn strip_single_paragraph(html: String) -> String {
    let t = html.trim_end();
    if let Some(inner) = t.strip_prefix("<p>").and_then(|r| r.strip_suffix("</p>"))
        && !inner.contains("<p>")
    {
        return inner.to_string();
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> MdOptions {
        MdOptions {
            allow_html: false,
            heading_shift: 1,
            inline: false,
            footnote_prefix: "t1-".into(),
        }
    }

    fn resolve(id: &str) -> Option<Target<'static>> {
        (id == "EF-1.1").then_some(Target {
            url: "areas/ef/ef-1-1/index.html".into(),
            title: "Establish <Objectives>".into(),
        })
    }

    #[test]
    fn wikilinks_become_links_from_the_root() {
        let r = render(
            "See [[EF-1.1]] and [[EF-1.1|the objectives]].",
            &opts(),
            resolve,
        );
        assert_eq!(
            r.html,
            "<p>See <a class=\"xref\" href=\"\u{1}areas/ef/ef-1-1/index.html\" title=\"EF-1.1 Establish &lt;Objectives&gt;\">EF-1.1</a> and <a class=\"xref\" href=\"\u{1}areas/ef/ef-1-1/index.html\" title=\"EF-1.1 Establish &lt;Objectives&gt;\">the objectives</a>.</p>\n"
        );
        assert_eq!(r.refs.len(), 2);
        assert_eq!(r.refs[0].1, 4..14);
    }

    #[test]
    fn table_alignment_is_a_class_never_a_style() {
        let src = "| a | b | c | d |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |\n| 5 | 6 |\n";
        for allow_html in [false, true] {
            let r = render(
                src,
                &MdOptions {
                    allow_html,
                    ..opts()
                },
                resolve,
            );
            assert!(!r.html.contains("style"), "{}", r.html);
            assert!(
                r.html.starts_with("<div class=\"table-wrap\"><table>"),
                "{}",
                r.html
            );
            assert!(r.html.ends_with("</table>\n</div>\n"), "{}", r.html);
            assert!(
                r.html.contains(
                    "<tr><th class=\"align-left\">a</th><th class=\"align-center\">b</th><th class=\"align-right\">c</th><th>d</th></tr>"
                ),
                "{}",
                r.html
            );
            // A short row keeps its columns' classes; the writer fills the rest.
            assert!(
                r.html.contains(
                    "<tr><td class=\"align-left\">5</td><td class=\"align-center\">6</td>"
                ),
                "{}",
                r.html
            );
        }
    }

    #[test]
    fn unresolved_wikilinks_are_reported_with_their_offset() {
        let r = render("x\n\nSee [[EF-9.1]].", &opts(), resolve);
        assert_eq!(r.unresolved, vec![("EF-9.1".to_string(), 7..17)]);
        assert_eq!(r.html, "<p>x</p>\n<p>See EF-9.1.</p>\n");
    }

    #[test]
    fn raw_html_and_script_links_are_neutralised() {
        let r = render(
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y]( JaVa\tScript:alert(1)) <b onclick=x>b</b>",
            &opts(),
            resolve,
        );
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("<b "), "{}", r.html);
        assert!(
            !r.html.to_lowercase().contains("href=\"javascript"),
            "{}",
            r.html
        );
        assert!(r.html.contains("&lt;script&gt;"), "{}", r.html);
    }

    #[test]
    fn footnotes_are_prefixed_per_text() {
        let r = render("A note[^1].\n\n[^1]: The note.", &opts(), resolve);
        assert!(r.html.contains("href=\"#t1-1\""), "{}", r.html);
        assert!(r.html.contains("id=\"t1-1\""), "{}", r.html);
    }

    #[test]
    fn numbered_footnotes_keep_their_numbers() {
        let r = render(
            "Shown[^17], named[^n].\n\n[^17]: Seventeen.\n\n[^n]: Named.",
            &opts(),
            resolve,
        );
        assert!(
            r.html.contains("<a href=\"#t1-17\">17</a></sup>"),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("id=\"t1-17\"><sup class=\"footnote-definition-label\">17</sup>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<a href=\"#t1-n\">1</a>"), "{}", r.html);
    }

    #[test]
    fn allowed_html_is_sanitized_and_keeps_element_links() {
        let o = MdOptions {
            allow_html: true,
            ..opts()
        };
        let r = render(
            "<details><summary>More</summary><b onclick=\"x()\">bold</b></details>\n\nSee [[EF-1.1]] and [j](javascript:alert(1)) <i onmouseover=x>i</i>.\n\n<script>alert(1)</script><img src=x onerror=alert(1)>",
            &o,
            resolve,
        );
        assert!(
            r.html.contains("<details><summary>More</summary>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<b>bold</b>"), "{}", r.html);
        assert!(
            r.html.contains("href=\"\u{1}areas/ef/ef-1-1/index.html\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("class=\"xref\""), "{}", r.html);
        for bad in ["<script", "onerror", "onclick", "javascript:"] {
            assert!(!r.html.to_lowercase().contains(bad), "{bad} in {}", r.html);
        }
    }

    #[test]
    fn headings_move_below_the_page_title_and_inline_strips_the_paragraph() {
        let r = render("# Intro", &opts(), resolve);
        assert_eq!(r.html, "<h2>Intro</h2>\n");
        let r = render(
            "A *statement*.",
            &MdOptions {
                inline: true,
                ..opts()
            },
            resolve,
        );
        assert_eq!(r.html, "A <em>statement</em>.");
    }
}
