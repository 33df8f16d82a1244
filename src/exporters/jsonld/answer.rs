//! The answer of a question as HTML restricted to what answer engines accept.
//!
//! Google's FAQ rules (which other consumers copy) allow only h1–h6, br, ol, ul, li, a, p, b,
//! strong, i and em, and only `href` attributes. Rather than render full HTML and strip it,
//! this writer produces nothing else from the model, in pandoc's shape:
//! `blocks_to_html → block_to_html → inlines_to_html → inline_to_html`. What cannot be said
//! with those tags is flattened to text and reported as `jsonld/answer-degraded`.

use super::urls::SiteUrls;
use crate::diagnostics::Diagnostic;
use crate::diagrams::DiagramStore;
use crate::model::{
    Block, CalloutBlock, CardBlock, DiagramBlock, FigureBlock, Image, Inline, Link, ListBlock, PageListBlock, Pos,
    QuoteFigureBlock, SeeAlsoListBlock, TableBlock,
};

pub const DEGRADED: &str = crate::codes::JSONLD_ANSWER_DEGRADED;

/// What the writer reads besides the blocks: URLs, page titles and rendered diagrams.
pub struct AnswerEnv<'a> {
    pub urls: &'a SiteUrls<'a>,
    pub diagrams: &'a DiagramStore,
}

/// One answer being written for the page whose source is `source`.
pub struct AnswerWriter<'a> {
    env: &'a AnswerEnv<'a>,
    source: &'a str,
    diags: &'a mut Vec<Diagnostic>,
    /// Position of the block being written: inlines have none of their own.
    pos: Pos,
    /// Set inside `<a>`, where a nested link would be invalid HTML.
    in_link: bool,
    out: String,
}

impl<'a> AnswerWriter<'a> {
    pub fn new(env: &'a AnswerEnv<'a>, source: &'a str, diags: &'a mut Vec<Diagnostic>) -> Self {
        AnswerWriter { env, source, diags, pos: Pos::default(), in_link: false, out: String::new() }
    }

    /// The HTML written so far.
    pub fn finish(self) -> String {
        self.out
    }

    /// A plain-text paragraph, such as the page's abstract.
    pub fn text_paragraph(&mut self, text: &str) {
        if !text.trim().is_empty() {
            self.out.push_str("<p>");
            self.push_text(text.trim());
            self.out.push_str("</p>");
        }
    }

    pub fn blocks_to_html(&mut self, blocks: &[Block]) {
        for block in blocks {
            self.block_to_html(block);
        }
    }

    fn block_to_html(&mut self, block: &Block) {
        self.pos = block.pos();
        match block {
            Block::Heading(h) => {
                self.heading(h.level, &h.content);
            }
            Block::Paragraph(p) => {
                self.paragraph(&p.content);
            }
            Block::List(l) => self.list(l),
            Block::BlockQuote(q) => {
                self.degraded(q.pos, "block quote written as its plain paragraphs");
                self.blocks_to_html(&q.blocks);
            }
            Block::Code(c) => {
                self.degraded(c.pos, "code block written as a plain paragraph");
                self.preformatted(&c.text);
            }
            Block::Diagram(d) => self.diagram(d),
            Block::Table(t) => self.table(t),
            Block::Figure(f) => self.figure(f),
            Block::Callout(c) => self.callout(c),
            Block::QuoteFigure(q) => self.quote_figure(q),
            Block::Section(s) => {
                self.heading(s.level, &s.title);
                self.blocks_to_html(&s.blocks);
            }
            Block::Card(c) => self.card(c),
            Block::PageList(l) => self.page_list(l),
            Block::SeeAlsoList(l) => self.see_also_list(l),
            Block::ThematicBreak(t) => self.degraded(t.pos, "thematic break left out (no <hr> in answers)"),
            Block::Raw(r) => {
                self.degraded(r.pos, format!("raw {} written as escaped text", r.format));
                self.preformatted(&r.text);
            }
        }
    }

    /// No SVG or `<img>` in answers: a drawn diagram is said by its description, an
    /// undrawn one by its source.
    fn diagram(&mut self, diagram: &DiagramBlock) {
        match self.env.diagrams.get(&diagram.digest) {
            Some(rendered) => {
                self.degraded(diagram.pos, "diagram written as its text description (no images in answers)");
                self.text_paragraph(&rendered.description);
            }
            None => {
                self.degraded(diagram.pos, "diagram not rendered: its source is written as text");
                self.preformatted(&diagram.source);
            }
        }
    }

    fn figure(&mut self, figure: &FigureBlock) {
        self.out.push_str("<p>");
        self.image(&figure.image);
        if !figure.caption.is_empty() {
            self.out.push_str("<br>");
            self.inlines_to_html(&figure.caption);
        }
        self.out.push_str("</p>");
    }

    fn quote_figure(&mut self, quote: &QuoteFigureBlock) {
        self.degraded(quote.pos, "quotation written as its plain paragraphs");
        if let Some(image) = &quote.image {
            self.out.push_str("<p>");
            self.image(image);
            self.out.push_str("</p>");
        }
        self.blocks_to_html(&quote.blocks);
    }

    fn heading(&mut self, level: u8, content: &[Inline]) {
        let level = level.clamp(1, 6);
        self.out.push_str(&format!("<h{level}>"));
        self.trimmed_inlines(content);
        self.out.push_str(&format!("</h{level}>"));
    }

    fn paragraph(&mut self, content: &[Inline]) {
        if content.is_empty() {
            return;
        }
        self.out.push_str("<p>");
        self.trimmed_inlines(content);
        self.out.push_str("</p>");
    }

    /// Inlines without the spaces a source leaves at their ends (`<h3> <code>GET`).
    fn trimmed_inlines(&mut self, content: &[Inline]) {
        let start = self.out.len();
        self.inlines_to_html(content);
        let written = self.out.split_off(start);
        self.out.push_str(written.trim());
    }

    /// Text whose line breaks matter (code, diagram source, raw input): one `<br>` per line.
    fn preformatted(&mut self, text: &str) {
        let lines: Vec<&str> = text.trim_end_matches('\n').lines().collect();
        if lines.is_empty() {
            return;
        }
        self.out.push_str("<p>");
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                self.out.push_str("<br>");
            }
            self.push_text(line);
        }
        self.out.push_str("</p>");
    }

    fn list(&mut self, list: &ListBlock) {
        if list.start.is_some_and(|n| n != 1) {
            self.degraded(list.pos, "ordered list start number left out (no attributes in answers)");
        }
        let tag = if list.start.is_some() { "ol" } else { "ul" };
        self.out.push_str(&format!("<{tag}>"));
        for item in &list.items {
            self.out.push_str("<li>");
            match item.blocks.as_slice() {
                // A tight item is one paragraph: write its text without a `<p>` around it.
                [Block::Paragraph(p)] => self.trimmed_inlines(&p.content),
                blocks => self.blocks_to_html(blocks),
            }
            self.out.push_str("</li>");
        }
        self.out.push_str(&format!("</{tag}>"));
    }

    /// A table has no allowed tags: one list item per row, each cell prefixed by its header.
    fn table(&mut self, table: &TableBlock) {
        self.degraded(table.pos, "table written as a list of rows");
        let has_header = table.header.iter().any(|cell| !cell.is_empty());
        self.out.push_str("<ul>");
        for row in &table.rows {
            self.out.push_str("<li>");
            for (i, cell) in row.iter().enumerate() {
                if i > 0 {
                    self.out.push_str(" ; ");
                }
                if let Some(head) = table.header.get(i).filter(|h| has_header && !h.is_empty()) {
                    self.out.push_str("<b>");
                    self.inlines_to_html(head);
                    self.out.push_str("</b> : ");
                }
                self.inlines_to_html(cell);
            }
            self.out.push_str("</li>");
        }
        self.out.push_str("</ul>");
    }

    fn callout(&mut self, callout: &CalloutBlock) {
        if let Some(title) = callout.title.as_deref().filter(|t| !t.trim().is_empty()) {
            self.out.push_str("<p><strong>");
            self.push_text(title.trim());
            self.out.push_str("</strong></p>");
        }
        self.blocks_to_html(&callout.blocks);
    }

    fn card(&mut self, card: &CardBlock) {
        self.out.push_str("<p>");
        self.link_to(self.env.urls.target(&card.target), &card.title);
        if let Some(description) = card.description.as_deref().filter(|d| !d.trim().is_empty()) {
            self.out.push_str("<br>");
            self.push_text(description.trim());
        }
        self.out.push_str("</p>");
    }

    fn page_list(&mut self, list: &PageListBlock) {
        if list.items.is_empty() {
            return;
        }
        self.out.push_str("<ul>");
        for item in &list.items {
            self.out.push_str("<li>");
            let url = self.env.urls.page_by_key(&item.key).map(|p| self.env.urls.page(p));
            self.link_to(url, &item.title);
            if let Some(summary) = item.summary.as_deref().filter(|s| !s.trim().is_empty()) {
                self.out.push_str(" : ");
                self.push_text(summary.trim());
            }
            self.out.push_str("</li>");
        }
        self.out.push_str("</ul>");
    }

    fn see_also_list(&mut self, list: &SeeAlsoListBlock) {
        if list.items.is_empty() {
            return;
        }
        self.out.push_str("<ul>");
        for item in &list.items {
            self.out.push_str("<li>");
            let title = match &item.target {
                crate::model::LinkTarget::Page { key, .. } => self.env.urls.page_by_key(key).map(|p| p.title.as_str()),
                _ => None,
            };
            self.link_to(self.env.urls.target(&item.target), title.unwrap_or(&item.key));
            self.out.push_str("</li>");
        }
        self.out.push_str("</ul>");
    }

    pub fn inlines_to_html(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            self.inline_to_html(inline);
        }
    }

    fn inline_to_html(&mut self, inline: &Inline) {
        match inline {
            Inline::Text(t) | Inline::Code(t) => self.push_text(t),
            Inline::Emphasis(c) => self.wrapped("em", c),
            Inline::Strong(c) => self.wrapped("strong", c),
            Inline::Strikethrough(c) => {
                self.degraded(self.pos, "struck-through text written as plain text");
                self.inlines_to_html(c);
            }
            Inline::LineBreak => self.out.push_str("<br>"),
            Inline::SoftBreak => self.out.push(' '),
            Inline::Link(link) => self.link(link),
            Inline::Image(image) => self.image(image),
        }
    }

    fn wrapped(&mut self, tag: &str, content: &[Inline]) {
        self.out.push_str(&format!("<{tag}>"));
        self.inlines_to_html(content);
        self.out.push_str(&format!("</{tag}>"));
    }

    /// A link keeps its text; its `href` is absolute, and a broken one leaves the text alone.
    fn link(&mut self, link: &Link) {
        match self.env.urls.target(&link.target).filter(|_| !self.in_link) {
            Some(url) => {
                self.open_anchor(&url);
                self.in_link = true;
                self.inlines_to_html(&link.content);
                self.in_link = false;
                self.out.push_str("</a>");
            }
            None => self.inlines_to_html(&link.content),
        }
    }

    /// No `<img>` in answers: the image becomes a link to it, named by its alt text.
    fn image(&mut self, image: &Image) {
        self.degraded(image.pos, format!("image {:?} written as a link to it", image.src));
        let label = if image.alt.trim().is_empty() { image.src.as_str() } else { image.alt.as_str() };
        let url = self.env.urls.target(&image.target).filter(|_| !self.in_link);
        self.link_to(url, label);
    }

    fn link_to(&mut self, url: Option<String>, label: &str) {
        match url {
            Some(url) => {
                self.open_anchor(&url);
                self.push_text(label);
                self.out.push_str("</a>");
            }
            None => self.push_text(label),
        }
    }

    fn open_anchor(&mut self, url: &str) {
        self.out.push_str("<a href=\"");
        crate::text::push_escaped(&mut self.out, url, true);
        self.out.push_str("\">");
    }

    fn push_text(&mut self, text: &str) {
        crate::text::push_escaped(&mut self.out, text, false);
    }

    fn degraded(&mut self, pos: Pos, message: impl Into<String>) {
        self.diags.push(Diagnostic::note(DEGRADED, self.source, pos, message));
    }
}

#[cfg(test)]
#[path = "answer_tests.rs"]
mod tests;
