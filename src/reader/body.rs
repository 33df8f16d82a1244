//! The first pass over a (rendered) page body: a line scanner that finds the structure
//! Markdown does not know — `:::` and `???` containers, HTML wrappers on their own lines, HTML
//! block elements, the HTML islands components printed, and components kept for their
//! meaning — and leaves everything else as Markdown runs for pulldown-cmark.
//!
//! All ranges are byte offsets into the full page text, so positions stay exact.

use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// Lines of ordinary Markdown.
    Markdown(Range<usize>),
    /// `:::NAME ARGS` … `:::`.
    Container(Wrapper),
    /// `<div …>` / `<section …>` alone on a line … its closing tag alone on a line.
    HtmlWrapper(Wrapper),
    /// One HTML block element (heading, paragraph, list, image, script…), to be mapped.
    HtmlBlock(Range<usize>),
    /// A component kept for its meaning: its placeholder's index, at `offset`.
    Component { index: usize, offset: usize },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wrapper {
    /// Container name (`callout`) or HTML tag name (`div`).
    pub name: String,
    /// Container arguments, or the HTML opening tag's text.
    pub args: String,
    /// Offset of the first non-blank character of the opening line.
    pub start: usize,
    pub children: Vec<Node>,
    /// False when the page ended before the closing line.
    pub closed: bool,
    /// True for an HTML wrapper, false for a `:::` container.
    pub html: bool,
    /// Number of marker characters of a container's opening line (0 for HTML).
    pub markers: usize,
    /// The container's marker character: `:`, or `?` for the accordions of the DSFR starter.
    pub marker: char,
}

/// Something odd the scanner met, reported by the caller with the offset's position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanIssue {
    pub offset: usize,
    pub code: &'static str,
    pub message: String,
}

/// HTML elements that start an HTML block when they open a line.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "button",
    "details",
    "dl",
    "embed",
    "fieldset",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "iframe",
    "img",
    "br",
    "input",
    "link",
    "main",
    "meta",
    "nav",
    "noscript",
    "object",
    "ol",
    "p",
    "pre",
    "script",
    "select",
    "style",
    "svg",
    "table",
    "textarea",
    "ul",
    "video",
    "audio",
    "canvas",
    "div",
    "section",
];

/// Elements that have no closing tag.
pub const VOID_TAGS: &[&str] = &["area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"];

struct Scanner<'a> {
    text: &'a str,
    /// Output of components and includes, each one HTML fragment.
    islands: &'a [Range<usize>],
    markers: &'a [char],
    next_island: usize,
    stack: Vec<Wrapper>,
    markdown_start: Option<usize>,
    issues: Vec<ScanIssue>,
    reported_depth: bool,
}

/// Container markers when no site says otherwise: markdown-it-container's `:` and the DSFR
/// starter's `?` accordions.
const DEFAULT_MARKERS: [char; 2] = [':', '?'];

/// Scans `text[body]` into a tree of nodes.
pub fn scan(text: &str, body: Range<usize>) -> (Vec<Node>, Vec<ScanIssue>) {
    scan_with(text, body, &[], &DEFAULT_MARKERS)
}

/// `scan`, where each of `islands` (sorted offsets into `text`) that starts a line is one
/// HTML fragment, as markdown-it reads the HTML block a component prints.
/// Containers open with three or more of one of `markers`.
pub fn scan_with(
    text: &str,
    body: Range<usize>,
    islands: &[Range<usize>],
    markers: &[char],
) -> (Vec<Node>, Vec<ScanIssue>) {
    let root = Wrapper {
        name: String::new(),
        args: String::new(),
        start: body.start,
        children: Vec::new(),
        closed: true,
        html: false,
        markers: usize::MAX,
        marker: ':',
    };
    let mut s = Scanner {
        text,
        islands,
        markers,
        next_island: 0,
        stack: vec![root],
        markdown_start: None,
        issues: Vec::new(),
        reported_depth: false,
    };
    let mut pos = body.start;
    let mut fence: Option<(char, usize)> = None;
    while pos < body.end {
        let line_end = memchr::memchr(b'\n', &text.as_bytes()[pos..body.end]).map_or(body.end, |i| pos + i + 1);
        let line = &text[pos..line_end];
        if let Some(open) = fence {
            if closes_fence(line, open) {
                fence = None;
            }
            s.markdown_line(pos);
            pos = line_end;
            continue;
        }
        if let Some(next) = s.island_line(pos, line_end, body.end) {
            pos = next;
            continue;
        }
        // Most lines are prose: a first character that opens no container, fence, component or
        // tag (and is no space that might indent one) settles it without the checks below.
        if line.as_bytes().first().is_some_and(|b| {
            b.is_ascii()
                && !b.is_ascii_whitespace()
                && !matches!(b, b'<' | b'`' | b'~')
                && !s.markers.contains(&char::from(*b))
        }) {
            s.markdown_line(pos);
            pos = line_end;
            continue;
        }
        if let Some(open) = opens_fence(line) {
            fence = Some(open);
            s.markdown_line(pos);
            pos = line_end;
            continue;
        }
        pos = s.structural_line(pos, line_end, body.end);
    }
    s.flush_markdown(body.end);
    while s.stack.len() > 1 {
        s.close_top(false);
    }
    let root = s.stack.pop().map(|w| w.children).unwrap_or_default();
    (root, s.issues)
}

impl Scanner<'_> {
    /// An island starting this line (after blanks) is one HTML block; returns where scanning
    /// goes on (the rest of its last line, when text follows it there).
    fn island_line(&mut self, pos: usize, line_end: usize, body_end: usize) -> Option<usize> {
        while self.islands.get(self.next_island).is_some_and(|i| i.start < pos) {
            self.next_island += 1;
        }
        let island = self.islands.get(self.next_island)?.clone();
        if island.start >= line_end || !self.text[pos..island.start].trim().is_empty() {
            return None;
        }
        self.next_island += 1;
        if !self.text[island.clone()].trim_start().starts_with('<') {
            return None;
        }
        self.flush_markdown(pos);
        self.push(Node::HtmlBlock(island.clone()));
        let after = line_after(self.text, island.end, body_end);
        Some(if self.text[island.end..after].trim().is_empty() { after } else { island.end })
    }

    /// Handles a line outside code fences; returns where the next line starts.
    fn structural_line(&mut self, pos: usize, line_end: usize, body_end: usize) -> usize {
        let line = &self.text[pos..line_end];
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let start = pos + indent;
        let opener = trimmed
            .chars()
            .next()
            .filter(|c| indent <= 3 && self.markers.contains(c) && trimmed.starts_with(&*String::from(*c).repeat(3)));
        if let Some(marker) = opener {
            self.flush_markdown(pos);
            let markers = trimmed.len() - trimmed.trim_start_matches(marker).len();
            self.container_line(start, marker, markers, trimmed.trim_start_matches(marker).trim());
            return line_end;
        }
        if let Some((index, len)) = crate::reader::templates::markers::component_at(trimmed) {
            self.flush_markdown(pos);
            self.push(Node::Component { index, offset: start });
            return line_after(self.text, start + len, body_end);
        }
        if let Some(tag) = html_tag_at(trimmed) {
            if let Some(next) = self.html_line(&tag, start, line_end, body_end) {
                return next;
            }
        }
        self.markdown_line(pos);
        line_end
    }

    /// As in markdown-it-container, a closing line of M colons ends the outermost open
    /// container opened with at most M colons (and everything nested in it).
    fn container_line(&mut self, start: usize, marker: char, markers: usize, params: &str) {
        if params.is_empty() {
            match self.stack.iter().position(|w| !w.html && w.marker == marker && w.markers <= markers) {
                Some(i) if i > 0 => {
                    while self.stack.len() > i + 1 {
                        self.close_top(false);
                    }
                    self.close_top(true);
                }
                _ => self.issue(
                    start,
                    crate::codes::CONTAINER_STRAY_CLOSE,
                    format!("`{}` closes no open container; ignored", String::from(marker).repeat(markers)),
                ),
            }
            return;
        }
        let (name, args) = params.split_once(char::is_whitespace).unwrap_or((params, ""));
        if self.too_deep(start) {
            return;
        }
        self.stack.push(Wrapper {
            name: name.to_string(),
            args: args.trim().to_string(),
            start,
            children: Vec::new(),
            closed: false,
            html: false,
            markers,
            marker,
        });
    }

    /// Returns the start of the next line when the line was HTML structure, else `None`.
    fn html_line(&mut self, tag: &HtmlTagStart, start: usize, line_end: usize, body_end: usize) -> Option<usize> {
        let rest_of_line = self.text[start..line_end].trim_end();
        let is_wrapper = matches!(tag.name.as_str(), "div" | "section");
        if is_wrapper && !tag.closing && rest_of_line.len() == tag.len {
            self.flush_markdown(start);
            let args = rest_of_line.to_string();
            if self.too_deep(start) {
                return Some(line_end);
            }
            self.stack.push(Wrapper {
                name: tag.name.clone(),
                args,
                start,
                children: Vec::new(),
                closed: false,
                html: true,
                markers: 0,
                marker: '<',
            });
            return Some(line_end);
        }
        if is_wrapper && tag.closing {
            self.flush_markdown(start);
            // `</div></div>` closes as many wrappers as it has end tags.
            let mut rest = rest_of_line;
            let mut at = start;
            while let Some(t) = html_tag_at(rest).filter(|t| t.closing && matches!(t.name.as_str(), "div" | "section"))
            {
                self.close_html(&t.name, at);
                at += t.len;
                let trimmed = rest[t.len..].trim_start();
                at += rest[t.len..].len() - trimmed.len();
                rest = trimmed;
            }
            return Some(line_end);
        }
        if tag.closing || !(tag.name == "!--" || BLOCK_TAGS.contains(&tag.name.as_str())) {
            return None;
        }
        self.flush_markdown(start);
        let end = html_block_end(self.text, start, &tag.name, body_end);
        if end.is_none() {
            self.issue(
                start,
                crate::codes::HTML_UNCLOSED,
                format!("<{}> is never closed; it ends at the next blank line", tag.name),
            );
        }
        // As in CommonMark, the block runs on after its first element's end tag, to the end of
        // its paragraph: siblings and text after the end tag belong to it. Wrapper lines stop
        // it, since they are structure the scanner keeps.
        let end = match end {
            Some(e) => self.paragraph_rest(e, body_end),
            None => blank_line_after(self.text, start, body_end),
        };
        self.push(Node::HtmlBlock(start..end));
        Some(line_after(self.text, end, body_end))
    }

    /// From `end` (inside a line) to the end of its paragraph: the rest of its line, then the
    /// lines up to a blank line, a wrapper line, a container line or a fence.
    fn paragraph_rest(&self, end: usize, body_end: usize) -> usize {
        let mut at = line_after(self.text, end, body_end);
        while at < body_end {
            let next = memchr::memchr(b'\n', &self.text.as_bytes()[at..body_end]).map_or(body_end, |i| at + i + 1);
            let line = self.text[at..next].trim();
            let wrapper = html_tag_at(line).is_some_and(|t| matches!(t.name.as_str(), "div" | "section"));
            let structure =
                line.starts_with("```") || line.starts_with("~~~") || self.markers.iter().any(|m| line.starts_with(*m));
            if line.is_empty() || wrapper || structure || self.islands.iter().any(|i| (at..next).contains(&i.start)) {
                break;
            }
            at = next;
        }
        at
    }

    /// Containers nested beyond the limit are not opened (their content stays in the parent).
    fn too_deep(&mut self, at: usize) -> bool {
        if self.stack.len() <= super::MAX_DEPTH {
            return false;
        }
        if !self.reported_depth {
            self.reported_depth = true;
            self.issue(
                at,
                crate::codes::CONTAINER_TOO_DEEP,
                format!("containers nested deeper than {} levels are flattened; the text is kept", super::MAX_DEPTH),
            );
        }
        true
    }

    fn close_html(&mut self, name: &str, at: usize) {
        let Some(i) = self.stack.iter().rposition(|w| w.html && w.name == name) else {
            self.issue(at, crate::codes::HTML_STRAY_CLOSE, format!("</{name}> closes nothing; ignored"));
            return;
        };
        while self.stack.len() > i + 1 {
            self.close_top(false);
        }
        self.close_top(true);
    }

    fn close_top(&mut self, closed: bool) {
        let Some(mut w) = self.stack.pop() else { return };
        w.closed = closed;
        if !closed {
            let what = if w.html {
                format!("<{}>", w.name)
            } else {
                format!("{}{}", String::from(w.marker).repeat(w.markers.min(4)), w.name)
            };
            self.issue(
                w.start,
                crate::codes::CONTAINER_UNCLOSED,
                format!("{what} is never closed; it runs to the end of its parent"),
            );
        }
        let node = if w.html { Node::HtmlWrapper(w) } else { Node::Container(w) };
        self.push(node);
    }

    fn markdown_line(&mut self, pos: usize) {
        self.markdown_start.get_or_insert(pos);
    }

    fn flush_markdown(&mut self, end: usize) {
        if let Some(start) = self.markdown_start.take() {
            if !self.text[start..end].trim().is_empty() {
                self.push(Node::Markdown(start..end));
            }
        }
    }

    fn push(&mut self, node: Node) {
        if let Some(top) = self.stack.last_mut() {
            top.children.push(node);
        }
    }

    fn issue(&mut self, offset: usize, code: &'static str, message: String) {
        self.issues.push(ScanIssue { offset, code, message });
    }
}

/// An opening or closing HTML tag at the start of a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlTagStart {
    pub name: String,
    pub closing: bool,
    /// Length of the whole tag, `<` to `>` (or to the end of the line if unterminated).
    pub len: usize,
}

pub fn html_tag_at(s: &str) -> Option<HtmlTagStart> {
    // Asked of every line of a page: most do not even start with `<`.
    if s.as_bytes().first() != Some(&b'<') {
        return None;
    }
    if s.starts_with("<!--") {
        return Some(HtmlTagStart {
            name: "!--".into(),
            closing: false,
            len: s.find("-->").map_or(s.len(), |i| i + 3),
        });
    }
    let (name, closing) = tag_name(s)?;
    let len = tag_end(s).unwrap_or(s.len());
    Some(HtmlTagStart { name: name.to_ascii_lowercase(), closing, len })
}

/// The name of the tag opening `s`, as written, and whether it is a closing tag; nothing is
/// allocated and the tag's end is not looked for.
fn tag_name(s: &str) -> Option<(&str, bool)> {
    let rest = s.strip_prefix('<')?;
    let (closing, rest) = match rest.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let name_len = rest.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len());
    if name_len == 0 || !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let after = &rest[name_len..];
    if !(after.is_empty() || after.starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/')) {
        return None;
    }
    Some((&rest[..name_len], closing))
}

/// Length up to and including the `>` that ends the tag at the start of `s`, skipping quotes.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// End offset of the HTML element opening at `start`: after its matching closing tag.
fn html_block_end(text: &str, start: usize, name: &str, limit: usize) -> Option<usize> {
    if name == "!--" {
        return text[start..limit].find("-->").map(|i| start + i + 3);
    }
    if VOID_TAGS.contains(&name) {
        return tag_end(&text[start..limit]).map(|l| start + l);
    }
    let mut depth = 0usize;
    let mut i = start;
    while let Some(off) = memchr::memchr(b'<', &text.as_bytes()[i..limit]) {
        i += off;
        // Only tags of the same name matter: the others are skipped without finding their end.
        match tag_name(&text[i..limit]) {
            Some((found, closing)) if found.eq_ignore_ascii_case(name) => {
                let len = tag_end(&text[i..limit]).unwrap_or(limit - i);
                if closing {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Some(i + len);
                    }
                } else if !text[i..i + len].ends_with("/>") {
                    depth += 1;
                }
                i += len.max(1);
            }
            _ => i += 1,
        }
    }
    None
}

/// The start of the line following offset `end` (or `end` itself if it is a line start).
fn line_after(text: &str, end: usize, limit: usize) -> usize {
    if end > 0 && text.as_bytes().get(end - 1) == Some(&b'\n') {
        return end;
    }
    memchr::memchr(b'\n', &text.as_bytes()[end..limit]).map_or(limit, |i| end + i + 1)
}

/// End of the paragraph-like run starting at `start`: the next blank line.
fn blank_line_after(text: &str, start: usize, limit: usize) -> usize {
    text[start..limit].find("\n\n").map_or(limit, |i| start + i + 1)
}

fn opens_fence(line: &str) -> Option<(char, usize)> {
    let t = line.trim_start();
    if line.len() - t.len() > 3 && !line.starts_with(char::is_whitespace) {
        return None;
    }
    let c = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = t.chars().take_while(|x| *x == c).count();
    (n >= 3).then_some((c, n))
}

fn closes_fence(line: &str, (c, n): (char, usize)) -> bool {
    let t = line.trim();
    t.chars().take_while(|x| *x == c).count() >= n && t.chars().all(|x| x == c)
}

#[cfg(test)]
#[path = "body_tests.rs"]
mod tests;
