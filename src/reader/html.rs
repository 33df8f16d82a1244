//! Raw HTML mapped to meaning. A tolerant tokenizer and tree builder, then one function per
//! element kind: links, emphasis, breaks, images and lists survive; layout wrappers vanish;
//! active content (script, style, iframe, form) is dropped with a diagnostic. DSFR components
//! (tables, cards, alerts, callouts, quotes, accordions, tabs…) are mapped in `dsfr.rs`.

#[path = "dsfr.rs"]
mod dsfr;

use super::body::VOID_TAGS;
use super::PageCtx;
use crate::model::*;

#[derive(Debug, Clone, PartialEq)]
pub enum HtmlNode {
    Element(Element),
    /// Text with entities decoded, and its offset in the page.
    Text(String, usize),
    /// Content already mapped (Markdown or Nunjucks between an HTML wrapper's lines), and its
    /// offset: it takes its place among the wrapper's elements.
    Blocks(Vec<Block>, usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<HtmlNode>,
    pub offset: usize,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn has_class(&self, class: &str) -> bool {
        self.attr("class").is_some_and(|c| c.split_whitespace().any(|x| x == class))
    }
}

/// One tag as written: `<a href="x">`, `</a>`, `<br/>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub closing: bool,
    pub self_closing: bool,
}

/// Elements whose content is never shown: dropped whole.
const ACTIVE: &[&str] = &[
    "script", "style", "iframe", "form", "object", "embed", "noscript", "template", "select", "textarea", "input",
    "link", "meta", "canvas", "video", "audio", "svg",
];

/// Parses one tag from `s` (which starts with `<`); returns it and its length.
pub fn parse_tag(s: &str) -> Option<(Tag, usize)> {
    let start = super::body::html_tag_at(s)?;
    if start.name == "!--" {
        return None;
    }
    let inner = &s[..start.len];
    let body = inner.trim_start_matches('<').trim_start_matches('/');
    let body = body.strip_suffix('>').unwrap_or(body);
    let self_closing = body.trim_end().ends_with('/');
    let attrs = parse_attrs(&body[start.name.len()..]);
    Some((Tag { name: start.name, attrs, closing: start.closing, self_closing }, start.len))
}

fn parse_attrs(mut s: &str) -> Vec<(String, String)> {
    let mut attrs = Vec::new();
    loop {
        s = s.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if s.is_empty() {
            return attrs;
        }
        let name_len = s.find(|c: char| c.is_whitespace() || c == '=' || c == '/').unwrap_or(s.len());
        let name = s[..name_len].to_ascii_lowercase();
        s = s[name_len..].trim_start();
        let mut value = String::new();
        if let Some(rest) = s.strip_prefix('=') {
            let rest = rest.trim_start();
            let (v, after) = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => match rest[1..].find(q) {
                    Some(end) => (&rest[1..1 + end], &rest[end + 2..]),
                    None => (&rest[1..], ""),
                },
                _ => {
                    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                    (&rest[..end], &rest[end..])
                }
            };
            value = decode_entities(v);
            s = after;
        }
        if name.is_empty() {
            s = &s[1.min(s.len())..];
            continue;
        }
        attrs.push((name, value));
    }
}

pub fn decode_entities(s: &str) -> String {
    if s.contains('&') {
        html_escape::decode_html_entities(s).into_owned()
    } else {
        s.to_string()
    }
}

/// Builds a tree from `text[range]`. Unmatched closing tags are ignored; unclosed elements
/// close at the end. Nesting deeper than the page limit is flattened.
pub fn parse_fragment(text: &str, range: std::ops::Range<usize>, max_depth: usize) -> Vec<HtmlNode> {
    let mut stack: Vec<Element> =
        vec![Element { name: String::new(), attrs: Vec::new(), children: Vec::new(), offset: range.start }];
    let mut i = range.start;
    let mut text_start = i;
    while i < range.end {
        let rest = &text[i..range.end];
        let Some(lt) = rest.find('<') else { break };
        i += lt;
        if text[i..range.end].starts_with("<!--") {
            push_text(&mut stack, text, text_start, i);
            i = text[i..range.end].find("-->").map_or(range.end, |e| i + e + 3);
            text_start = i;
            continue;
        }
        let Some((tag, len)) = parse_tag(&text[i..range.end]) else {
            i += 1;
            continue;
        };
        push_text(&mut stack, text, text_start, i);
        apply_tag(&mut stack, tag, i, max_depth);
        i += len;
        text_start = i;
    }
    push_text(&mut stack, text, text_start, range.end);
    while stack.len() > 1 {
        pop_into_parent(&mut stack);
    }
    stack.pop().map(|root| root.children).unwrap_or_default()
}

fn apply_tag(stack: &mut Vec<Element>, tag: Tag, offset: usize, max_depth: usize) {
    if tag.closing {
        if let Some(pos) = stack.iter().rposition(|e| e.name == tag.name) {
            if pos > 0 {
                while stack.len() > pos {
                    pop_into_parent(stack);
                }
            }
        }
        return;
    }
    close_implied(stack, &tag.name);
    let element = Element { name: tag.name, attrs: tag.attrs, children: Vec::new(), offset };
    if tag.self_closing || VOID_TAGS.contains(&element.name.as_str()) || stack.len() > max_depth {
        if let Some(top) = stack.last_mut() {
            top.children.push(HtmlNode::Element(element));
        }
    } else {
        stack.push(element);
    }
}

/// Elements whose start tag ends an open `<p>`, as in browsers (`<p>A<ul>` puts the list after
/// the paragraph, not inside it).
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "div",
    "dl",
    "fieldset",
    "figcaption",
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
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
];

/// The end tags HTML implies before a start tag: an open `<p>` before a block, the previous
/// `<li>`, `<tr>`, `<td>`/`<th>`, `<dt>`/`<dd>` before the next one. Every sibling stays a
/// sibling instead of nesting in the element left open.
fn close_implied(stack: &mut Vec<Element>, name: &str) {
    let (targets, boundaries): (&[&str], &[&str]) = match name {
        "li" => (&["li"], &["ul", "ol", "menu", "table"]),
        "tr" => (&["tr"], &["table", "thead", "tbody", "tfoot"]),
        "td" | "th" => (&["td", "th"], &["tr", "table"]),
        "dt" | "dd" => (&["dt", "dd"], &["dl"]),
        "tbody" | "tfoot" | "thead" => (&["thead", "tbody", "tfoot"], &["table"]),
        n if CLOSES_P.contains(&n) => (&["p"], &["button", "table", "td", "th", "caption", "object", "template"]),
        _ => return,
    };
    let is_target = |e: &Element| targets.contains(&e.name.as_str());
    let Some(pos) = stack.iter().rposition(|e| is_target(e) || boundaries.contains(&e.name.as_str())) else {
        return;
    };
    if pos == 0 || !is_target(&stack[pos]) {
        return;
    }
    while stack.len() > pos {
        pop_into_parent(stack);
    }
}

fn pop_into_parent(stack: &mut Vec<Element>) {
    if let Some(done) = stack.pop() {
        if let Some(parent) = stack.last_mut() {
            parent.children.push(HtmlNode::Element(done));
        }
    }
}

fn push_text(stack: &mut [Element], text: &str, start: usize, end: usize) {
    if start < end {
        if let Some(top) = stack.last_mut() {
            top.children.push(HtmlNode::Text(decode_entities(&text[start..end]), start));
        }
    }
}

/// Maps HTML nodes at block level to blocks.
pub fn to_blocks(nodes: &[HtmlNode], ctx: &mut PageCtx) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut pending: Vec<HtmlNode> = Vec::new();
    for node in nodes {
        if is_inline_node(node) {
            pending.push(node.clone());
            continue;
        }
        flush_inline_run(&mut pending, &mut blocks, ctx);
        match node {
            HtmlNode::Element(e) => element_to_blocks(e, ctx, &mut blocks),
            HtmlNode::Blocks(mapped, _) => blocks.extend(mapped.iter().cloned()),
            HtmlNode::Text(..) => {}
        }
    }
    flush_inline_run(&mut pending, &mut blocks, ctx);
    blocks
}

fn is_inline_node(node: &HtmlNode) -> bool {
    match node {
        HtmlNode::Text(..) => true,
        HtmlNode::Blocks(..) => false,
        HtmlNode::Element(e) => matches!(
            e.name.as_str(),
            "a" | "b"
                | "strong"
                | "i"
                | "em"
                | "code"
                | "br"
                | "span"
                | "small"
                | "sup"
                | "sub"
                | "abbr"
                | "u"
                | "mark"
                | "s"
                | "del"
                | "img"
                | "kbd"
                | "q"
                | "cite"
                | "time"
        ),
    }
}

fn flush_inline_run(pending: &mut Vec<HtmlNode>, blocks: &mut Vec<Block>, ctx: &mut PageCtx) {
    if pending.is_empty() {
        return;
    }
    let offset = node_offset(&pending[0]);
    let content = trim_inlines(to_inlines(pending, ctx));
    pending.clear();
    if content.is_empty() {
        return;
    }
    let pos = ctx.pos(offset);
    match content.as_slice() {
        [Inline::Image(img)] => {
            blocks.push(Block::Figure(Box::new(FigureBlock { pos, image: (**img).clone(), caption: Vec::new() })))
        }
        [Inline::LineBreak] => {}
        _ => blocks.push(Block::Paragraph(ParagraphBlock { pos, content })),
    }
}

fn node_offset(node: &HtmlNode) -> usize {
    match node {
        HtmlNode::Text(_, o) | HtmlNode::Blocks(_, o) => *o,
        HtmlNode::Element(e) => e.offset,
    }
}

fn element_to_blocks(e: &Element, ctx: &mut PageCtx, out: &mut Vec<Block>) {
    if dsfr::element_to_blocks(e, ctx, out) {
        return;
    }
    let pos = ctx.pos(e.offset);
    match e.name.as_str() {
        "p" => {
            let content = trim_inlines(to_inlines(&e.children, ctx));
            if !content.is_empty() {
                out.push(Block::Paragraph(ParagraphBlock { pos, content }));
            }
        }
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => out.push(heading(e, ctx)),
        "ul" | "ol" => out.push(list(e, ctx)),
        "blockquote" => out.push(Block::BlockQuote(BlockQuoteBlock { pos, blocks: to_blocks(&e.children, ctx) })),
        "pre" => {
            report_active(&e.children, ctx);
            out.push(Block::Code(CodeBlock { pos, language: None, text: text_content(&e.children) }))
        }
        "hr" => out.push(Block::ThematicBreak(ThematicBreakBlock { pos })),
        "table" => table(e, ctx, out),
        name if ACTIVE.contains(&name) => report_dropped(ctx, e.offset, name),
        "div" | "section" | "article" | "main" | "header" | "footer" | "nav" | "aside" | "figure" | "figcaption"
        | "details" | "summary" | "dl" | "dt" | "dd" | "li" | "button" | "address" | "fieldset" => {
            out.extend(to_blocks(&e.children, ctx));
        }
        other => {
            ctx.note(
                e.offset,
                crate::codes::HTML_UNMAPPED,
                format!("<{other}> has no mapping; its content is kept as plain blocks"),
            );
            out.extend(to_blocks(&e.children, ctx));
        }
    }
}

fn heading(e: &Element, ctx: &mut PageCtx) -> Block {
    let level = e.name[1..].parse().unwrap_or(3);
    let content = trim_inlines(to_inlines(&e.children, ctx));
    let id = e.attr("id").map(str::to_string);
    Block::Heading(Box::new(HeadingBlock {
        pos: ctx.pos(e.offset),
        level,
        attr: Attr { id, classes: classes(e) },
        content,
    }))
}

fn classes(e: &Element) -> Vec<String> {
    e.attr("class").map(|c| c.split_whitespace().map(str::to_string).collect()).unwrap_or_default()
}

fn list(e: &Element, ctx: &mut PageCtx) -> Block {
    let start = (e.name == "ol").then(|| e.attr("start").and_then(|s| s.parse().ok()).unwrap_or(1));
    let items = e
        .children
        .iter()
        .filter_map(|c| match c {
            HtmlNode::Element(li) if li.name == "li" => Some(ListItem { blocks: to_blocks(&li.children, ctx) }),
            // Stray content between items (text, a Markdown run in a wrapper) is an item of its own.
            other @ (HtmlNode::Element(_) | HtmlNode::Blocks(..)) => {
                Some(ListItem { blocks: to_blocks(std::slice::from_ref(other), ctx) })
            }
            HtmlNode::Text(t, _) if t.trim().is_empty() => None,
            text @ HtmlNode::Text(..) => Some(ListItem { blocks: to_blocks(std::slice::from_ref(text), ctx) }),
        })
        .collect();
    Block::List(ListBlock { pos: ctx.pos(e.offset), start, items })
}

/// A table: the `<caption>` as a paragraph before it (the model's table has no caption), the
/// header row from `<thead>` (else a first row of `<th>` only, else the first row).
fn table(e: &Element, ctx: &mut PageCtx, out: &mut Vec<Block>) {
    if let Some(caption) = e.children.iter().find_map(|c| match c {
        HtmlNode::Element(c) if c.name == "caption" => Some(c),
        _ => None,
    }) {
        let content = trim_inlines(to_inlines(&caption.children, ctx));
        if !content.is_empty() {
            out.push(Block::Paragraph(ParagraphBlock { pos: ctx.pos(caption.offset), content }));
        }
    }
    let mut rows: Vec<(bool, Vec<Vec<Inline>>)> = Vec::new();
    let mut stray = Vec::new();
    collect_rows(&e.children, false, ctx, &mut rows, &mut stray);
    if !stray.is_empty() {
        let offset = node_offset(&stray[0]);
        ctx.warn(
            offset,
            crate::codes::HTML_TABLE_STRAY_CONTENT,
            "content in a table but in no cell; browsers show it before the table, and so does folio".to_string(),
        );
        out.extend(to_blocks(&stray, ctx));
    }
    let header_idx = rows.iter().position(|(is_head, _)| *is_head).unwrap_or(0);
    let header = if rows.is_empty() { Vec::new() } else { rows.remove(header_idx).1 };
    let width = rows.iter().map(|(_, r)| r.len()).chain([header.len()]).max().unwrap_or(0);
    let rows = rows.into_iter().map(|(_, r)| r).collect();
    let pos = ctx.pos(e.offset);
    out.push(Block::Table(Box::new(TableBlock { pos, alignments: vec![Align::None; width], header, rows })));
}

/// Rows in order, each marked as a header row when it is in `<thead>` or all its cells are
/// `<th>`. A nested table's rows are not this table's. Content in no cell (text, a table
/// nested outside a cell) goes to `stray`: browsers move it before the table.
fn collect_rows(
    nodes: &[HtmlNode],
    in_head: bool,
    ctx: &mut PageCtx,
    rows: &mut Vec<(bool, Vec<Vec<Inline>>)>,
    stray: &mut Vec<HtmlNode>,
) {
    for node in nodes {
        let e = match node {
            HtmlNode::Element(e) => e,
            HtmlNode::Text(t, _) if t.trim().is_empty() => continue,
            other => {
                stray.push(other.clone());
                continue;
            }
        };
        match e.name.as_str() {
            "tr" => {
                let mut all_th = true;
                let mut cells: Vec<Vec<Inline>> = Vec::new();
                for child in &e.children {
                    match child {
                        HtmlNode::Element(cell) if cell.name == "td" || cell.name == "th" => {
                            all_th &= cell.name == "th";
                            cells.push(trim_inlines(to_inlines(&cell.children, ctx)));
                        }
                        HtmlNode::Text(t, _) if t.trim().is_empty() => {}
                        other => stray.push(other.clone()),
                    }
                }
                rows.push((in_head || (all_th && !cells.is_empty()), cells));
            }
            "caption" => {}
            "thead" => collect_rows(&e.children, true, ctx, rows, stray),
            "tbody" | "tfoot" | "colgroup" | "col" => collect_rows(&e.children, in_head, ctx, rows, stray),
            // A wrapper a template put around rows is transparent.
            _ if e.name != "table" && has_row(&e.children) => collect_rows(&e.children, in_head, ctx, rows, stray),
            _ => stray.push(node.clone()),
        }
    }
}

fn has_row(nodes: &[HtmlNode]) -> bool {
    nodes
        .iter()
        .any(|n| matches!(n, HtmlNode::Element(e) if e.name == "tr" || (e.name != "table" && has_row(&e.children))))
}

/// Maps HTML nodes at inline level. Whitespace runs collapse to one space, as browsers do.
pub fn to_inlines(nodes: &[HtmlNode], ctx: &mut PageCtx) -> Vec<Inline> {
    let mut out = Vec::new();
    for node in nodes {
        match node {
            HtmlNode::Text(t, _) => push_collapsed(&mut out, t),
            HtmlNode::Element(e) => element_to_inlines(e, ctx, &mut out),
            HtmlNode::Blocks(blocks, _) => blocks_to_inlines(blocks, &mut out),
        }
    }
    out
}

/// Blocks met where only inlines fit (Markdown in a card's description): paragraphs and
/// headings keep their inlines, other blocks give their text; a space between two blocks.
fn blocks_to_inlines(blocks: &[Block], out: &mut Vec<Inline>) {
    for block in blocks {
        if !out.is_empty() {
            push_collapsed(out, " ");
        }
        match block {
            Block::Paragraph(p) => out.extend(p.content.iter().cloned()),
            Block::Heading(h) => out.extend(h.content.iter().cloned()),
            other => push_collapsed(out, &crate::text::blocks_plain_text(std::slice::from_ref(other))),
        }
    }
}

fn element_to_inlines(e: &Element, ctx: &mut PageCtx, out: &mut Vec<Inline>) {
    if dsfr::element_to_inlines(e, ctx, out) {
        return;
    }
    match e.name.as_str() {
        // `<a name="x">` / `<a id="x">` with no href is a link target, not a link: its text.
        "a" if e.attr("href").is_none() => {
            if let Some(name) = e.attr("name").or_else(|| e.attr("id")).filter(|n| !n.is_empty()) {
                let pos = ctx.pos(e.offset);
                ctx.anchor_names.push((name.to_string(), pos));
            }
            out.extend(to_inlines(&e.children, ctx));
        }
        "a" => out.push(link(e, ctx)),
        "b" | "strong" => out.push(Inline::Strong(to_inlines(&e.children, ctx))),
        "i" | "em" | "cite" => out.push(Inline::Emphasis(to_inlines(&e.children, ctx))),
        "s" | "del" => out.push(Inline::Strikethrough(to_inlines(&e.children, ctx))),
        "code" | "kbd" => {
            report_active(&e.children, ctx);
            out.push(Inline::Code(collapse_ws(&text_content(&e.children)).trim().to_string()))
        }
        "br" => out.push(Inline::LineBreak),
        "img" => out.push(Inline::Image(Box::new(image(e, ctx)))),
        name if ACTIVE.contains(&name) => report_dropped(ctx, e.offset, name),
        "span" | "small" | "sup" | "sub" | "abbr" | "u" | "mark" | "q" | "time" | "button" | "label" | "p" | "div"
        | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
            out.extend(to_inlines(&e.children, ctx));
        }
        other => {
            ctx.note(e.offset, crate::codes::HTML_UNMAPPED, format!("<{other}> has no mapping; its text is kept"));
            out.extend(to_inlines(&e.children, ctx));
        }
    }
}

fn link(e: &Element, ctx: &mut PageCtx) -> Inline {
    link_with(e, &e.children, ctx)
}

/// A link to `e`'s target whose text is `children`.
fn link_with(e: &Element, children: &[HtmlNode], ctx: &mut PageCtx) -> Inline {
    let href = e.attr("href").unwrap_or("").to_string();
    let title = e.attr("title").map(str::to_string);
    let content = trim_inlines(to_inlines(children, ctx));
    Inline::Link(Box::new(Link { pos: ctx.pos(e.offset), href, target: super::unresolved(), title, content }))
}

pub fn image(e: &Element, ctx: &mut PageCtx) -> Image {
    Image {
        pos: ctx.pos(e.offset),
        src: e.attr("src").unwrap_or("").to_string(),
        target: super::unresolved(),
        alt: e.attr("alt").unwrap_or("").to_string(),
        title: e.attr("title").map(str::to_string),
    }
}

/// An active element (script, form, player…) and its content are left out, and said so.
pub fn report_dropped(ctx: &mut PageCtx, offset: usize, name: &str) {
    ctx.warn(
        offset,
        crate::codes::HTML_DROPPED,
        format!("<{name}> has no meaning outside the site; dropped with its content"),
    );
}

/// Reports the elements `text_content` leaves out (a script inside a `<pre>`).
fn report_active(nodes: &[HtmlNode], ctx: &mut PageCtx) {
    for node in nodes {
        if let HtmlNode::Element(e) = node {
            if ACTIVE.contains(&e.name.as_str()) {
                report_dropped(ctx, e.offset, &e.name);
            } else {
                report_active(&e.children, ctx);
            }
        }
    }
}

/// The text of `nodes` as a browser shows it, without active elements (`report_active` says which).
pub fn text_content(nodes: &[HtmlNode]) -> String {
    let mut s = String::new();
    for n in nodes {
        match n {
            HtmlNode::Text(t, _) => s.push_str(t),
            HtmlNode::Element(e) if !ACTIVE.contains(&e.name.as_str()) => s.push_str(&text_content(&e.children)),
            HtmlNode::Element(_) => {}
            HtmlNode::Blocks(blocks, _) => s.push_str(&crate::text::blocks_plain_text(blocks)),
        }
    }
    s
}

pub(super) fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_ws = false;
    for c in s.chars() {
        if c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}' {
            if !in_ws {
                out.push(' ');
            }
            in_ws = true;
        } else {
            out.push(c);
            in_ws = false;
        }
    }
    out
}

fn push_collapsed(out: &mut Vec<Inline>, text: &str) {
    let t = collapse_ws(text);
    if t.is_empty() {
        return;
    }
    if let Some(Inline::Text(prev)) = out.last_mut() {
        if prev.ends_with(' ') && t.starts_with(' ') {
            prev.push_str(&t[1..]);
        } else {
            prev.push_str(&t);
        }
        return;
    }
    out.push(Inline::Text(t));
}

/// Drops leading and trailing spaces of a run (and spaces around line breaks).
pub fn trim_inlines(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut inlines = merge_adjacent_text(inlines);
    if let Some(Inline::Text(t)) = inlines.first_mut() {
        trim_start_in_place(t);
    }
    if let Some(Inline::Text(t)) = inlines.last_mut() {
        trim_end_in_place(t);
    }
    for i in 0..inlines.len() {
        let next_is_break = matches!(inlines.get(i + 1), Some(Inline::LineBreak));
        let prev_is_break = i > 0 && matches!(inlines.get(i - 1), Some(Inline::LineBreak));
        if let Inline::Text(t) = &mut inlines[i] {
            if next_is_break {
                trim_end_in_place(t);
            }
            if prev_is_break {
                trim_start_in_place(t);
            }
        }
    }
    inlines.retain(|i| !matches!(i, Inline::Text(t) if t.is_empty()));
    while matches!(inlines.last(), Some(Inline::LineBreak)) {
        inlines.pop();
    }
    while matches!(inlines.first(), Some(Inline::LineBreak)) {
        inlines.remove(0);
    }
    inlines
}

/// Trimming runs on every paragraph: it shortens the string where it is, copying nothing
/// when there is nothing to trim.
fn trim_start_in_place(text: &mut String) {
    let cut = text.len() - text.trim_start().len();
    if cut > 0 {
        text.drain(..cut);
    }
}

fn trim_end_in_place(text: &mut String) {
    let kept = text.trim_end().len();
    text.truncate(kept);
}

/// Site navigation (DSFR breadcrumb, back-to-top link, share buttons, pagination): dropped
/// whole, with a note, wherever it is met.
pub fn is_navigation(e: &Element) -> bool {
    dsfr::navigation(e).is_some()
}

/// Elements dropped with their content (scripts, forms, embedded players…).
pub fn is_active(name: &str) -> bool {
    ACTIVE.contains(&name)
}

/// Inline elements that are pure presentation: their content is kept, silently.
pub fn is_transparent_inline(name: &str) -> bool {
    matches!(name, "span" | "small" | "sup" | "sub" | "abbr" | "u" | "mark" | "q" | "time" | "button" | "label")
}

/// Joins neighbouring `Text` runs, collapsing a doubled space at the seam.
fn merge_adjacent_text(inlines: Vec<Inline>) -> Vec<Inline> {
    let adjacent = inlines.windows(2).any(|w| matches!(w, [Inline::Text(_), Inline::Text(_)]));
    if !adjacent {
        return inlines;
    }
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    for inline in inlines {
        match (out.last_mut(), inline) {
            (Some(Inline::Text(prev)), Inline::Text(next)) => {
                if prev.ends_with(' ') && next.starts_with(' ') {
                    prev.push_str(&next[1..]);
                } else {
                    prev.push_str(&next);
                }
            }
            (_, inline) => out.push(inline),
        }
    }
    out
}
