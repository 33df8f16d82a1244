//! The book's contents as its two navigation documents list them: the NCX's navPoints and the
//! nav document's `<ol>`, written as epub-builder 0.8 writes them (`Toc::render_epub`,
//! `Toc::render`) but in one pass into one string.
//!
//! epub-builder writes each entry's children to a string, then re-indents that string at every
//! level above it, line by line: a large book's contents were copied several times over at
//! once. Here each line is indented once, by its depth. Blank lines may differ from
//! epub-builder's; `package` removes them from both documents.

use crate::text::push_escaped;
use epub_builder::{Toc, TocElement};

/// Appends the NCX's `navMap` content to `out`, which ends a line: one navPoint per entry,
/// numbered in reading order from 1.
pub fn push_ncx_points(toc: &Toc, out: &mut String) {
    let mut lines = Lines::new(out);
    let mut order = 0;
    for (i, element) in toc.elements.iter().enumerate() {
        if i > 0 {
            lines.line_break();
        }
        nav_point(element, NCX_TOP_DEPTH, &mut order, &mut lines);
    }
}

/// Appends the nav document's contents list to `out`, which ends a line: a numbered list of
/// every entry.
pub fn push_nav_list(toc: &Toc, out: &mut String) {
    let mut lines = Lines::new(out);
    lines.put(NAV_TOP_DEPTH, "<ol>\n");
    for (i, element) in toc.elements.iter().enumerate() {
        if i > 0 {
            lines.line_break();
        }
        list_item(element, NAV_TOP_DEPTH + 1, &mut lines);
    }
    lines.put(NAV_TOP_DEPTH, "\n</ol>");
}

/// epub-builder indents the navMap's entries and the nav's list by two levels.
const NCX_TOP_DEPTH: usize = 2;
const NAV_TOP_DEPTH: usize = 2;

fn nav_point(element: &TocElement, depth: usize, order: &mut u32, lines: &mut Lines<'_>) {
    *order += 1;
    let id = order.to_string();
    lines.put(depth, &format!("<navPoint playOrder=\"{id}\" id=\"navPoint-{id}\">\n  <navLabel>\n   <text>"));
    let mut title = String::new();
    match &element.raw_title {
        Some(raw) => title.push_str(raw),
        None => push_escaped(&mut title, &element.title, false),
    }
    lines.put(depth, title.trim());
    lines.put(depth, "</text>\n  </navLabel>\n  <content src=\"");
    lines.put(depth, &attribute(&element.url));
    lines.put(depth, "\"/>");
    for child in &element.children {
        lines.line_break();
        nav_point(child, depth + 1, order, lines);
    }
    lines.put(depth, "\n</navPoint>");
}

fn list_item(element: &TocElement, depth: usize, lines: &mut Lines<'_>) {
    if element.title.is_empty() {
        return;
    }
    let mut link = format!("<a href=\"{}\">", attribute(&element.url));
    push_escaped(&mut link, &element.title, false);
    link.push_str("</a>");
    if element.children.is_empty() {
        lines.put(depth, &format!("<li>{link}</li>"));
        return;
    }
    lines.put(depth, &format!("<li>\n  {link}\n"));
    lines.put(depth + 1, "<ol>\n");
    for (i, child) in element.children.iter().enumerate() {
        if i > 0 {
            lines.line_break();
        }
        list_item(child, depth + 2, lines);
    }
    lines.put(depth + 1, "\n</ol>");
    lines.put(depth, "\n</li>");
}

fn attribute(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    push_escaped(&mut out, value, true);
    out
}

/// Text written line by line, each line indented by two spaces per level of the depth it was
/// written at, as epub-builder's `indent` does: an empty line stays empty, and `\r\n` ends a
/// line as `\n` does.
struct Lines<'o> {
    out: &'o mut String,
    /// Where the line being written starts in `out`, and its depth.
    line_start: usize,
    depth: Option<usize>,
}

impl<'o> Lines<'o> {
    fn new(out: &'o mut String) -> Self {
        let line_start = out.len();
        Lines { out, line_start, depth: None }
    }

    /// Appends `text` at `depth`: its lines, and the rest of the line being written.
    fn put(&mut self, depth: usize, text: &str) {
        let mut pieces = text.split('\n');
        if let Some(first) = pieces.next() {
            self.extend_line(depth, first);
        }
        for piece in pieces {
            self.line_break();
            self.extend_line(depth, piece);
        }
    }

    fn extend_line(&mut self, depth: usize, text: &str) {
        if text.is_empty() {
            return;
        }
        if self.depth.is_none() {
            self.depth = Some(depth);
            self.out.extend(std::iter::repeat_n(' ', depth * 2));
        }
        self.out.push_str(text);
    }

    fn line_break(&mut self) {
        if self.out[self.line_start..].ends_with('\r') {
            self.out.pop();
        }
        self.out.push('\n');
        self.line_start = self.out.len();
        self.depth = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ncx_points(toc: &Toc) -> String {
        let mut out = String::new();
        push_ncx_points(toc, &mut out);
        out
    }

    fn nav_list(toc: &Toc) -> String {
        let mut out = String::new();
        push_nav_list(toc, &mut out);
        out
    }

    /// What reaches the book: `package` drops the blank lines of both documents.
    fn without_blank_lines(text: &str) -> String {
        text.lines().filter(|l| !l.trim().is_empty()).collect::<Vec<_>>().join("\n")
    }

    fn sample_toc() -> Toc {
        let mut toc = Toc::new();
        let chapter = |file: &str, title: &str, level| TocElement::new(file, title).level(level);
        toc.add(chapter("title.xhtml", "Titre", 1));
        toc.add(chapter("contents.xhtml", "Sommaire", 1));
        toc.add(
            chapter("a.xhtml", "Section A", 1).child(
                chapter("a1.xhtml#folio-title", "Page <A1> & \"co\"", 2).child(chapter("a1.xhtml#h", "Titre", 3)),
            ),
        );
        toc.add(chapter("b.xhtml", "  Titre sur\r\ndeux lignes ", 2));
        toc.add(chapter("c.xhtml?x=1&y=\"2\"", "", 3));
        toc.add(chapter("d.xhtml", "D\n\nfin", 1).child(chapter("d.xhtml#e", "", 2)));
        toc.add(chapter("e.xhtml", "Dernier", 4));
        toc
    }

    #[test]
    fn the_ncx_points_are_epub_builders() {
        let mut toc = sample_toc();
        let ours = ncx_points(&toc);
        assert_eq!(without_blank_lines(&ours), without_blank_lines(&toc.render_epub(true)));
        assert!(ours.contains("playOrder=\"9\""), "{ours}");
    }

    #[test]
    fn the_nav_list_is_epub_builders() {
        let mut toc = sample_toc();
        let ours = nav_list(&toc);
        assert_eq!(without_blank_lines(&ours), without_blank_lines(&toc.render(true, true)));
        assert!(ours.contains("&lt;A1&gt; &amp; \"co\""), "{ours}");
    }

    #[test]
    fn an_empty_contents_gives_no_navpoint_and_an_empty_list() {
        let mut toc = Toc::new();
        assert_eq!(ncx_points(&toc), toc.render_epub(true));
        assert_eq!(without_blank_lines(&nav_list(&toc)), without_blank_lines(&toc.render(true, true)));
    }
}
