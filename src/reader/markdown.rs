//! Markdown runs → blocks, through pulldown-cmark's offset iterator so that every block and
//! link knows where it was written. A small stack machine, one handler per event kind, in the
//! manner of pulldown-cmark's own HTML renderer.

use super::{html, nunjucks, PageCtx};
use crate::model::*;
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// The length of a markdown-it-attrs block (`{.a .b #id key=value}`) opening `text`.
fn attribute_block_len(text: &str) -> Option<usize> {
    let inner = text.strip_prefix('{')?;
    let end = inner.find('}')?;
    let tokens: Vec<&str> = inner[..end].split_whitespace().collect();
    let is_attr = |t: &&str| {
        (t.len() > 1 && (t.starts_with('.') || t.starts_with('#'))) || (t.contains('=') && !t.starts_with('='))
    };
    (!tokens.is_empty() && tokens.iter().all(is_attr)).then_some(end + 2)
}

/// CommonMark plus what markdown-it enables on the site: GFM tables, strikethrough, and
/// `{#id .class}` after headings (markdown-it-attrs).
fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_HEADING_ATTRIBUTES
}

enum Frame {
    Root(Vec<Block>),
    Paragraph(Pos, Vec<Inline>),
    Heading {
        pos: Pos,
        level: u8,
        attr: Attr,
        content: Vec<Inline>,
    },
    BlockQuote(Pos, Vec<Block>),
    List {
        pos: Pos,
        start: Option<u64>,
        items: Vec<ListItem>,
    },
    /// A list item; `Vec<Inline>` holds the text of a tight item not yet put in a paragraph.
    Item(Pos, Vec<Block>, Vec<Inline>),
    Code {
        pos: Pos,
        language: Option<String>,
        text: String,
    },
    Table {
        pos: Pos,
        alignments: Vec<Align>,
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
        in_head: bool,
    },
    /// A table row's cells, and the row's span in the page (to recover the cells
    /// pulldown-cmark drops beyond the header's count).
    Row(Vec<Vec<Inline>>, Range<usize>),
    Cell(Vec<Inline>),
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    Strike(Vec<Inline>),
    Link {
        pos: Pos,
        href: String,
        title: Option<String>,
        content: Vec<Inline>,
    },
    Image {
        pos: Pos,
        src: String,
        title: Option<String>,
        alt: String,
    },
    /// An inline HTML element opened by a tag event, closed by its end tag.
    HtmlInline {
        name: String,
        element: html::Element,
        content: Vec<Inline>,
    },
    /// Raw HTML block lines, mapped once complete.
    HtmlBlock(usize, usize),
}

struct Builder<'c, 'a> {
    ctx: &'c mut PageCtx<'a>,
    stack: Vec<Frame>,
    /// Containers nested beyond the depth limit, flattened into their parent.
    suppressed: usize,
}

/// Parses `ctx.text[range]` as Markdown.
pub fn parse(ctx: &mut PageCtx, range: Range<usize>) -> Vec<Block> {
    let text = ctx.text;
    let chunk = &text[range.clone()];
    let mut b = Builder { ctx, stack: vec![Frame::Root(Vec::new())], suppressed: 0 };
    for (event, span) in Parser::new_ext(chunk, options()).into_offset_iter() {
        if let Event::Start(Tag::Paragraph) = event {
            report_rejected_table(b.ctx, &chunk[span.clone()], range.start + span.start);
        }
        b.event(event, range.start + span.start..range.start + span.end);
    }
    while b.stack.len() > 1 {
        b.close_top();
    }
    match b.stack.pop() {
        Some(Frame::Root(blocks)) => blocks,
        _ => Vec::new(),
    }
}

/// A paragraph that would be a GFM table if its header and delimiter rows had as many cells
/// as each other. markdown-it (the site) and pulldown-cmark both read it as text, so folio
/// does too, but says so: a migration team wants to fix the source.
fn report_rejected_table(ctx: &mut PageCtx, paragraph: &str, offset: usize) {
    // Every paragraph passes here: most have no `|` at all and cost one memchr.
    if memchr::memchr(b'|', paragraph.as_bytes()).is_none() {
        return;
    }
    let mut lines = paragraph.lines().map(unquoted);
    let (Some(header), Some(delimiter)) = (lines.next(), lines.next()) else { return };
    let is_delimiter_row = delimiter.contains('-')
        && delimiter.contains('|')
        && delimiter.chars().all(|c| matches!(c, '|' | ':' | '-' | ' ' | '\t'));
    if !is_delimiter_row || !header.contains('|') {
        return;
    }
    let (header_cells, delimiter_cells) = (table_cells(header), table_cells(delimiter));
    if header_cells != delimiter_cells {
        ctx.warn(offset, crate::codes::MARKDOWN_NOT_A_TABLE, format!(
            "this looks like a table, but its header row has {header_cells} cells and its delimiter row {delimiter_cells}: like markdown-it, folio reads it as text"
        ));
    }
}

/// A line of a paragraph without its indentation and blockquote markers.
fn unquoted(line: &str) -> &str {
    line.trim_start().trim_start_matches('>').trim()
}

/// Cells of a table row: unescaped `|` separators, outer pipes optional.
fn table_cells(row: &str) -> usize {
    let row = row.trim();
    let row = row.strip_prefix('|').unwrap_or(row);
    let row = if row.ends_with('|') && !row.ends_with("\\|") { &row[..row.len() - 1] } else { row };
    let mut escaped = false;
    let mut separators = 0;
    for c in row.chars() {
        if c == '|' && !escaped {
            separators += 1;
        }
        escaped = c == '\\' && !escaped;
    }
    separators + 1
}

/// The byte ranges of a table row's cells in `text` (the row's first line within `span`):
/// split at unescaped `|`, outer pipes optional, each range trimmed.
fn row_cells(text: &str, span: Range<usize>) -> Vec<Range<usize>> {
    let line_end = memchr::memchr(b'\n', &text.as_bytes()[span.clone()]).map_or(span.end, |i| span.start + i);
    let bytes = text.as_bytes();
    let mut start = span.start;
    while start < line_end && bytes[start].is_ascii_whitespace() {
        start += 1;
    }
    let mut end = line_end;
    while end > start && bytes[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    if bytes.get(start) == Some(&b'|') {
        start += 1;
    }
    let mut cells = Vec::new();
    let (mut cell, mut escaped) = (start, false);
    for (i, &b) in bytes.iter().enumerate().take(end).skip(start) {
        if b == b'|' && !escaped {
            cells.push(cell..i);
            cell = i + 1;
        }
        escaped = b == b'\\' && !escaped;
    }
    // A trailing pipe closes the last cell; without one, the rest is a cell.
    if cell < end {
        cells.push(cell..end);
    }
    cells
        .into_iter()
        .map(|r| {
            let s = &text[r.clone()];
            let lead = s.len() - s.trim_start().len();
            r.start + lead..r.start + lead + s.trim().len()
        })
        .collect()
}

impl Builder<'_, '_> {
    fn event(&mut self, event: Event, span: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, span),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.text(&t, span.start),
            Event::Code(c) => self.push_inline(Inline::Code(c.into_string())),
            Event::Html(_) => self.html_block_text(span),
            Event::InlineHtml(h) => self.inline_html(&h, span.start),
            Event::SoftBreak => self.soft_break(),
            Event::HardBreak => self.push_inline(Inline::LineBreak),
            Event::Rule => self.push_block(Block::ThematicBreak(ThematicBreakBlock { pos: self.ctx.pos(span.start) })),
            Event::TaskListMarker(done) => self.push_inline(Inline::Text(if done { "☑ " } else { "☐ " }.into())),
            Event::FootnoteReference(_) | Event::InlineMath(_) | Event::DisplayMath(_) => {
                let source = self.ctx.text;
                self.text(&source[span.clone()], span.start)
            }
        }
    }

    fn start(&mut self, tag: Tag, span: Range<usize>) {
        let offset = span.start;
        // Positions cost a line lookup: only constructs that keep one compute it.
        let is_container = matches!(tag, Tag::BlockQuote(_) | Tag::List(_) | Tag::Item);
        if is_container && self.too_deep(offset) {
            return;
        }
        let ctx = &*self.ctx;
        let pos = || ctx.pos(offset);
        let frame = match tag {
            Tag::Paragraph => Frame::Paragraph(pos(), Vec::new()),
            Tag::Heading { level, id, classes, .. } => Frame::Heading {
                pos: pos(),
                level: heading_level(level),
                attr: Attr {
                    id: id.map(|i| i.into_string()),
                    classes: classes.into_iter().map(|c| c.into_string()).collect(),
                },
                content: Vec::new(),
            },
            Tag::BlockQuote(_) => Frame::BlockQuote(pos(), Vec::new()),
            Tag::List(start) => Frame::List { pos: pos(), start, items: Vec::new() },
            Tag::Item => Frame::Item(pos(), Vec::new(), Vec::new()),
            Tag::CodeBlock(kind) => Frame::Code { pos: pos(), language: code_language(&kind), text: String::new() },
            Tag::HtmlBlock => Frame::HtmlBlock(offset, offset),
            Tag::Table(aligns) => Frame::Table {
                pos: pos(),
                alignments: aligns.into_iter().map(align).collect(),
                header: Vec::new(),
                rows: Vec::new(),
                in_head: false,
            },
            Tag::TableHead => {
                self.mark_table_head();
                Frame::Row(Vec::new(), span)
            }
            Tag::TableRow => Frame::Row(Vec::new(), span),
            Tag::TableCell => Frame::Cell(Vec::new()),
            Tag::Emphasis => Frame::Emphasis(Vec::new()),
            Tag::Strong => Frame::Strong(Vec::new()),
            Tag::Strikethrough => Frame::Strike(Vec::new()),
            Tag::Link { link_type, dest_url, title, .. } => Frame::Link {
                pos: pos(),
                // `<name@host>` is a mail link, as markdown-it writes it.
                href: match link_type {
                    pulldown_cmark::LinkType::Email => format!("mailto:{dest_url}"),
                    _ => dest_url.into_string(),
                },
                title: non_empty(title.into_string()),
                content: Vec::new(),
            },
            Tag::Image { dest_url, title, .. } => Frame::Image {
                pos: pos(),
                src: dest_url.into_string(),
                title: non_empty(title.into_string()),
                alt: String::new(),
            },
            // Not enabled: footnotes, definition lists, metadata blocks, super/subscript.
            _ => return,
        };
        self.stack.push(frame);
    }

    fn mark_table_head(&mut self) {
        if let Some(Frame::Table { in_head, .. }) = self.stack.last_mut() {
            *in_head = true;
        }
    }

    /// True (and reported once per run) when a container would exceed the nesting limit.
    fn too_deep(&mut self, offset: usize) -> bool {
        let depth = self
            .stack
            .iter()
            .filter(|f| matches!(f, Frame::BlockQuote(..) | Frame::List { .. } | Frame::Item(..)))
            .count();
        if self.suppressed > 0 || depth >= self.ctx.max_depth {
            if self.suppressed == 0 {
                let limit = self.ctx.max_depth;
                self.ctx.warn(
                    offset,
                    crate::codes::MARKDOWN_TOO_DEEP,
                    format!("nesting deeper than {limit} levels is flattened; the text is kept"),
                );
            }
            self.suppressed += 1;
            return true;
        }
        false
    }

    fn end(&mut self, tag: TagEnd) {
        if matches!(tag, TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item) && self.suppressed > 0 {
            self.suppressed -= 1;
            return;
        }
        if matches!(
            tag,
            TagEnd::FootnoteDefinition
                | TagEnd::MetadataBlock(_)
                | TagEnd::DefinitionList
                | TagEnd::DefinitionListTitle
                | TagEnd::DefinitionListDefinition
                | TagEnd::Superscript
                | TagEnd::Subscript
        ) {
            return;
        }
        // Inline HTML elements left open inside this construct close with it.
        while matches!(self.stack.last(), Some(Frame::HtmlInline { .. })) {
            self.close_top();
        }
        self.close_top();
    }

    /// Pops the top frame and hands its result to the frame below.
    fn close_top(&mut self) {
        let Some(frame) = self.stack.pop() else { return };
        match frame {
            Frame::Root(blocks) => self.stack.push(Frame::Root(blocks)),
            Frame::Paragraph(pos, content) => self.finish_paragraph(pos, content),
            Frame::Heading { pos, level, attr, content } => {
                let content = html::trim_inlines(content);
                self.push_block(Block::Heading(Box::new(HeadingBlock { pos, level, attr, content })))
            }
            Frame::BlockQuote(pos, blocks) => self.push_block(Block::BlockQuote(BlockQuoteBlock { pos, blocks })),
            Frame::List { pos, start, items } => self.push_block(Block::List(ListBlock { pos, start, items })),
            Frame::Item(pos, mut blocks, inlines) => {
                flush_tight(pos, &mut blocks, inlines);
                match self.stack.last_mut() {
                    Some(Frame::List { items, .. }) => items.push(ListItem { blocks }),
                    // pulldown-cmark always opens a list first; were it not to, the text stays.
                    _ => blocks.into_iter().for_each(|b| self.push_block(b)),
                }
            }
            Frame::Code { pos, language, text } => self.finish_code(pos, language, text),
            Frame::Table { pos, alignments, header, rows, .. } => {
                self.push_block(Block::Table(Box::new(TableBlock { pos, alignments, header, rows })))
            }
            Frame::Row(cells, span) => self.finish_row(cells, span),
            Frame::Cell(content) => match self.stack.last_mut() {
                Some(Frame::Row(cells, _)) => cells.push(html::trim_inlines(content)),
                _ => self.finish_paragraph(Pos::default(), content),
            },
            Frame::Emphasis(c) => self.push_inline(Inline::Emphasis(c)),
            Frame::Strong(c) => self.push_inline(Inline::Strong(c)),
            Frame::Strike(c) => self.push_inline(Inline::Strikethrough(c)),
            Frame::Link { pos, href, title, content } => self.push_inline(Inline::Link(Box::new(Link {
                pos,
                href,
                target: super::unresolved(),
                title,
                content,
            }))),
            Frame::Image { pos, src, title, alt } => {
                self.push_inline(Inline::Image(Box::new(Image { pos, src, target: super::unresolved(), alt, title })))
            }
            Frame::HtmlInline { name, element, content } => self.finish_html_inline(&name, element, content),
            Frame::HtmlBlock(start, end) => {
                let nodes = html::parse_fragment(self.ctx.text, start..end, self.ctx.max_depth);
                for block in html::to_blocks(&nodes, self.ctx) {
                    self.push_block(block);
                }
            }
        }
    }

    fn finish_paragraph(&mut self, pos: Pos, content: Vec<Inline>) {
        let content = html::trim_inlines(content);
        match content.as_slice() {
            [] => {}
            [Inline::Image(image)] => self.push_block(Block::Figure(Box::new(FigureBlock {
                pos,
                image: (**image).clone(),
                caption: Vec::new(),
            }))),
            _ => self.push_block(Block::Paragraph(ParagraphBlock { pos, content })),
        }
    }

    fn finish_code(&mut self, pos: Pos, language: Option<String>, text: String) {
        if language.as_deref() == Some("mermaid") {
            let digest = super::digest(&text);
            self.push_block(Block::Diagram(Box::new(DiagramBlock {
                pos,
                language: "mermaid".into(),
                source: text,
                digest,
            })));
        } else {
            self.push_block(Block::Code(CodeBlock { pos, language, text }));
        }
    }

    fn finish_row(&mut self, mut cells: Vec<Vec<Inline>>, span: Range<usize>) {
        let columns = match self.stack.last() {
            Some(Frame::Table { header, in_head: false, .. }) => header.len(),
            _ => 0,
        };
        if columns > 0 {
            self.keep_extra_cells(&mut cells, columns, span);
        }
        match self.stack.last_mut() {
            Some(Frame::Table { header, in_head: in_head @ true, .. }) => {
                *header = cells;
                *in_head = false;
            }
            Some(Frame::Table { rows, .. }) => rows.push(cells),
            // pulldown-cmark always opens a table first; were it not to, the text stays.
            _ => cells.into_iter().for_each(|cell| self.finish_paragraph(Pos::default(), cell)),
        }
    }

    /// GFM tables (pulldown-cmark, markdown-it) drop the cells of a row beyond the header's
    /// count without a word: often an unescaped `|` inside a cell (a regex). The row's
    /// source is read again, the last column's text runs to the end of the row, and the row
    /// is reported. The table stays rectangular, so every exporter shows it as it is.
    fn keep_extra_cells(&mut self, cells: &mut [Vec<Inline>], columns: usize, span: Range<usize>) {
        let text = self.ctx.text;
        let bounds = row_cells(text, span.clone());
        // Extra cells of blanks only (a no-break space after the last pipe) lose nothing.
        if bounds.len() <= columns || cells.len() != columns || bounds[columns..].iter().all(|r| r.is_empty()) {
            return;
        }
        let whole = bounds[columns - 1].start..bounds[bounds.len() - 1].end;
        // Read again as one cell (its diagnostics were already given for the first part).
        let saved = self.ctx.diags.len();
        let reparsed = parse(self.ctx, whole.clone());
        self.ctx.diags.truncate(saved);
        let content = match reparsed.as_slice() {
            [Block::Paragraph(p)] => p.content.clone(),
            _ => vec![Inline::Text(text[whole].trim().to_string())],
        };
        cells[columns - 1] = content;
        let extra = bounds.len() - columns;
        self.ctx.warn(
            span.start,
            crate::codes::MARKDOWN_EXTRA_CELLS,
            format!(
                "this row has {} cells but the table {columns} columns: the {extra} extra cell(s) (an unescaped `|`?) \
             are kept in the last column, `|` included",
                bounds.len()
            ),
        );
    }

    fn push_block(&mut self, block: Block) {
        for frame in self.stack.iter_mut().rev() {
            match frame {
                Frame::Root(blocks) | Frame::BlockQuote(_, blocks) => return push_first_exact(blocks, block),
                Frame::Item(pos, blocks, inlines) => {
                    flush_tight(*pos, blocks, std::mem::take(inlines));
                    return push_first_exact(blocks, block);
                }
                _ => {}
            }
        }
    }

    /// Where an inline goes: the run of inlines the innermost frame is building, or the
    /// text of an image's alt or a code span, or a new paragraph.
    fn inline_slot(&mut self) -> InlineSlot<'_> {
        match self.stack.last_mut() {
            Some(
                Frame::Paragraph(_, c)
                | Frame::Heading { content: c, .. }
                | Frame::Item(_, _, c)
                | Frame::Cell(c)
                | Frame::Emphasis(c)
                | Frame::Strong(c)
                | Frame::Strike(c)
                | Frame::Link { content: c, .. }
                | Frame::HtmlInline { content: c, .. },
            ) => InlineSlot::Run(c),
            Some(Frame::Image { alt: text, .. } | Frame::Code { text, .. }) => InlineSlot::PlainText(text),
            Some(
                Frame::Root(_)
                | Frame::BlockQuote(..)
                | Frame::List { .. }
                | Frame::Table { .. }
                | Frame::Row(..)
                | Frame::HtmlBlock(..),
            )
            | None => InlineSlot::NewParagraph,
        }
    }

    /// True when the inline just written is a link or an image.
    fn after_link_or_image(&mut self) -> bool {
        match self.inline_slot() {
            InlineSlot::Run(run) => matches!(run.last(), Some(Inline::Link(_) | Inline::Image(_))),
            _ => false,
        }
    }

    fn push_inline(&mut self, inline: Inline) {
        match self.inline_slot() {
            InlineSlot::Run(run) => push_merged(run, inline),
            InlineSlot::PlainText(text) => text.push_str(&crate::text::plain_text(std::slice::from_ref(&inline))),
            InlineSlot::NewParagraph => {
                self.push_block(Block::Paragraph(ParagraphBlock { pos: Pos::default(), content: vec![inline] }))
            }
        }
    }

    fn text(&mut self, t: &str, offset: usize) {
        if let Some(Frame::Code { text, .. }) = self.stack.last_mut() {
            return text.push_str(t);
        }
        if let Some(Frame::HtmlInline { name, .. }) = self.stack.last() {
            if html::is_active(name) {
                return;
            }
        }
        let kept = nunjucks::inline_components(t, offset, self.ctx);
        // markdown-it-attrs: `{.class #id}` right after a link or image styles it.
        let kept = match (self.after_link_or_image(), attribute_block_len(&kept)) {
            (true, Some(len)) => std::borrow::Cow::Owned(kept[len..].to_string()),
            _ => kept,
        };
        if kept.is_empty() {
            return;
        }
        // pulldown-cmark splits text at every entity and special character: most events
        // extend the run before them, with no string of their own.
        if let InlineSlot::Run(run) = self.inline_slot() {
            if let Some(Inline::Text(prev)) = run.last_mut() {
                return prev.push_str(&kept);
            }
        }
        self.push_inline(Inline::Text(kept.into_owned()));
    }

    fn soft_break(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Code { text, .. }) => text.push('\n'),
            _ => self.push_inline(Inline::SoftBreak),
        }
    }

    fn html_block_text(&mut self, span: Range<usize>) {
        match self.stack.last_mut() {
            Some(Frame::HtmlBlock(start, end)) => {
                *start = (*start).min(span.start);
                *end = (*end).max(span.end);
            }
            _ => {
                let nodes = html::parse_fragment(self.ctx.text, span, self.ctx.max_depth);
                for block in html::to_blocks(&nodes, self.ctx) {
                    self.push_block(block);
                }
            }
        }
    }

    fn inline_html(&mut self, raw: &str, offset: usize) {
        if raw.starts_with("<!--") {
            return;
        }
        let Some((tag, _)) = html::parse_tag(raw) else {
            return self.push_inline(Inline::Text(raw.to_string()));
        };
        let element = html::Element { name: tag.name.clone(), attrs: tag.attrs, children: Vec::new(), offset };
        if tag.closing {
            return self.close_html_inline(&tag.name);
        }
        if tag.self_closing || super::body::VOID_TAGS.contains(&tag.name.as_str()) {
            let inlines = html::to_inlines(&[html::HtmlNode::Element(element)], self.ctx);
            return inlines.into_iter().for_each(|i| self.push_inline(i));
        }
        self.stack.push(Frame::HtmlInline { name: tag.name, element, content: Vec::new() });
    }

    fn close_html_inline(&mut self, name: &str) {
        let found = self.stack.iter().rposition(|f| matches!(f, Frame::HtmlInline { name: n, .. } if n == name));
        let boundary = self.stack.iter().rposition(|f| {
            !matches!(
                f,
                Frame::HtmlInline { .. }
                    | Frame::Emphasis(_)
                    | Frame::Strong(_)
                    | Frame::Strike(_)
                    | Frame::Link { .. }
            )
        });
        match (found, boundary) {
            (Some(i), Some(b)) if i > b => {
                while self.stack.len() > i {
                    self.close_top();
                }
            }
            _ => {}
        }
    }

    /// Maps a finished inline HTML element, its already-parsed content kept.
    fn finish_html_inline(&mut self, name: &str, element: html::Element, content: Vec<Inline>) {
        match name {
            // A link target (`<a name="x">`, no href) is its text, not a link.
            "a" if element.attr("href").is_none() => {
                if let Some(name) = element.attr("name").or_else(|| element.attr("id")).filter(|n| !n.is_empty()) {
                    let pos = self.ctx.pos(element.offset);
                    self.ctx.anchor_names.push((name.to_string(), pos));
                }
                content.into_iter().for_each(|i| self.push_inline(i))
            }
            "a" => {
                let href = element.attr("href").unwrap_or("").to_string();
                let title = element.attr("title").map(str::to_string);
                let pos = self.ctx.pos(element.offset);
                self.push_inline(Inline::Link(Box::new(Link {
                    pos,
                    href,
                    target: super::unresolved(),
                    title,
                    content,
                })));
            }
            "b" | "strong" => self.push_inline(Inline::Strong(content)),
            "i" | "em" | "cite" => self.push_inline(Inline::Emphasis(content)),
            "s" | "del" => self.push_inline(Inline::Strikethrough(content)),
            "code" | "kbd" => self.push_inline(Inline::Code(crate::text::plain_text(&content))),
            n if html::is_active(n) => html::report_dropped(self.ctx, element.offset, n),
            n => {
                if !html::is_transparent_inline(n) {
                    self.ctx.note(
                        element.offset,
                        crate::codes::HTML_UNMAPPED,
                        format!("<{n}> has no mapping; its text is kept"),
                    );
                }
                content.into_iter().for_each(|i| self.push_inline(i));
            }
        }
    }
}

/// Puts the loose text of a tight list item into a paragraph.
fn flush_tight(pos: Pos, blocks: &mut Vec<Block>, inlines: Vec<Inline>) {
    let content = html::trim_inlines(inlines);
    if !content.is_empty() {
        blocks.push(Block::Paragraph(ParagraphBlock { pos, content }));
    }
}

/// Appends, merging adjacent text so that the model has one `Text` per run.
enum InlineSlot<'a> {
    Run(&'a mut Vec<Inline>),
    PlainText(&'a mut String),
    NewParagraph,
}

fn push_merged(run: &mut Vec<Inline>, inline: Inline) {
    if let (Some(Inline::Text(prev)), Inline::Text(next)) = (run.last_mut(), &inline) {
        prev.push_str(next);
        return;
    }
    // Most runs hold one inline: room for exactly one, not the four a first push makes.
    run.reserve_exact(usize::from(run.is_empty()));
    run.push(inline);
}

/// Like `push_merged`, for blocks: a list item or quotation often holds one.
fn push_first_exact(blocks: &mut Vec<Block>, block: Block) {
    blocks.reserve_exact(usize::from(blocks.is_empty()));
    blocks.push(block);
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn code_language(kind: &CodeBlockKind) -> Option<String> {
    match kind {
        CodeBlockKind::Fenced(info) => info
            .split_whitespace()
            .next()
            .map(|w| w.trim_matches(|c| c == '{' || c == '}').to_string())
            .filter(|w| !w.is_empty()),
        CodeBlockKind::Indented => None,
    }
}

fn align(a: pulldown_cmark::Alignment) -> Align {
    match a {
        pulldown_cmark::Alignment::None => Align::None,
        pulldown_cmark::Alignment::Left => Align::Left,
        pulldown_cmark::Alignment::Center => Align::Center,
        pulldown_cmark::Alignment::Right => Align::Right,
    }
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}
