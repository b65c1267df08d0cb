//! The print stylesheet made from the model: every printed page numbered,
//! with a running header that names the site and, on an area's pages (its
//! own pages, its worksheet and its part of the print edition), the area.
//! Chromium fills CSS page-margin boxes but has no `string-set`, so each
//! area gets a named page whose header is written here, in a stylesheet of
//! the site's own rather than in the pages (the CSP allows no inline style).

use super::*;

impl Site<'_> {
    pub(super) fn write_print_css(&self, w: &mut dyn Write) -> std::io::Result<()> {
        let m = &self.b.model;
        let mut site = m.title.clone();
        if !m.version.is_empty() {
            site = format!("{site}, version {}", m.version);
        }
        writeln!(
            w,
            "/* Written by refbook from the model: page numbers and running headers. */\n\
             @media print {{\n\
             @page {{\n  @top-left {{ content: {}; }}\n  \
             @bottom-center {{ content: \"Page \" counter(page) \" of \" counter(pages); }}\n}}",
            css_string(&site)
        )?;
        for area in &m.areas {
            let name = urls::print_page(&area.code.text);
            let header = format!("{} {}", area.code.text, area.name);
            writeln!(
                w,
                ".{name} {{ page: {name}; }}\n\
                 @page {name} {{ @top-left {{ content: {}; }} @top-right {{ content: {}; }} }}",
                css_string(&site),
                css_string(&header)
            )?;
        }
        writeln!(w, "}}")
    }
}

/// A CSS string literal holding `text` as text: quotes and backslashes
/// escaped, line breaks as `\a`, other control characters dropped, so that
/// no content can end the string or the rule.
fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\a "),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::css_string;

    #[test]
    fn content_cannot_leave_its_css_string() {
        assert_eq!(css_string("A \"B\" \\ C"), r#""A \"B\" \\ C""#);
        assert_eq!(css_string("x\ny\u{0}}"), "\"x\\a y}\"");
        assert_eq!(css_string("</style>{}"), "\"</style>{}\"");
    }
}
