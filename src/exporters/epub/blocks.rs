//! Blocks to XHTML: one arm per block kind, each delegated to a named helper.

use super::inlines::Href;
use super::writer::Writer;
use crate::model::{
    Align, Block, CalloutBlock, CalloutKind, CardBlock, CodeBlock, DiagramBlock, FigureBlock, HeadingBlock, Inline,
    ListBlock, PageListBlock, QuoteFigureBlock, SectionBlock, SeeAlso, TableBlock,
};

impl Writer<'_> {
    pub fn blocks_to_xhtml(&mut self, blocks: &[Block]) {
        for block in blocks {
            self.block_to_xhtml(block);
        }
    }

    fn block_to_xhtml(&mut self, block: &Block) {
        self.pos = block.pos();
        match block {
            Block::Heading(h) => self.heading(h),
            Block::Paragraph(p) => {
                self.push("<p>");
                self.inlines_to_xhtml(&p.content);
                self.push("</p>\n");
            }
            Block::List(l) => self.list(l),
            Block::BlockQuote(q) => {
                self.push("<blockquote>\n");
                self.blocks_to_xhtml(&q.blocks);
                self.push("</blockquote>\n");
            }
            Block::Code(c) => self.code(c),
            Block::Diagram(d) => self.diagram(d),
            Block::Table(t) => self.table(t),
            Block::Figure(f) => self.figure(f),
            Block::Callout(c) => self.callout(c),
            Block::QuoteFigure(q) => self.quote_figure(q),
            Block::Section(s) => self.section(s),
            Block::Card(c) => self.card(c),
            Block::PageList(l) => self.page_list(l),
            Block::SeeAlsoList(l) => {
                self.see_also_list(&l.items, "see-also-inline");
            }
            Block::ThematicBreak(_) => self.push("<hr/>\n"),
            Block::Raw(r) => {
                // Raw source has no meaning here (the reader reported it): shown, never injected.
                let format = self.attr(&r.format);
                self.push(&format!("<pre class=\"raw raw-{format}\">"));
                self.text(&r.text);
                self.push("</pre>\n");
            }
        }
    }

    /// The chapter title is the only `h1`: headings written `#` in the body become `h2`.
    fn heading(&mut self, h: &HeadingBlock) {
        let level = h.level.clamp(2, 6);
        let id = self.id_attr(h.attr.id.as_deref());
        self.push(&format!("<h{level}{id}>"));
        self.inlines_to_xhtml(trim_inlines(&h.content));
        self.push(&format!("</h{level}>\n"));
    }

    fn list(&mut self, l: &ListBlock) {
        let open = match l.start {
            None => "<ul>".to_string(),
            Some(1) => "<ol>".to_string(),
            Some(n) => format!("<ol start=\"{n}\">"),
        };
        self.push(&open);
        self.push("\n");
        for item in &l.items {
            self.push("<li>");
            // A leading paragraph is the item's own text: written bare, as a tight list.
            match item.blocks.split_first() {
                Some((Block::Paragraph(p), rest)) => {
                    self.pos = p.pos;
                    self.inlines_to_xhtml(&p.content);
                    if !rest.is_empty() {
                        self.push("\n");
                    }
                    self.blocks_to_xhtml(rest);
                }
                _ => self.blocks_to_xhtml(&item.blocks),
            }
            self.push("</li>\n");
        }
        self.push(if l.start.is_some() { "</ol>\n" } else { "</ul>\n" });
    }

    fn code(&mut self, c: &CodeBlock) {
        let class = match c.language.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
            Some(lang) => format!(" class=\"language-{}\"", self.attr(&lang.replace(char::is_whitespace, "-"))),
            None => String::new(),
        };
        self.push(&format!("<pre><code{class}>"));
        self.text(&c.text);
        self.push("</code></pre>\n");
    }

    /// The rendered SVG when the diagram store has one, else the diagram's source as code.
    fn diagram(&mut self, d: &DiagramBlock) {
        match self.ctx.diagrams.get(&d.digest) {
            Some(rendered) => {
                // The cleaned picture was embedded by `Media::for_book`; only the report is left.
                self.report_removed(self.media.removed_from_diagram(&d.digest));
                let src = super::media::Media::diagram_name(&d.digest);
                let alt = self.attr(&rendered.description);
                self.push(&format!("<figure class=\"diagram\"><img src=\"{src}\" alt=\"{alt}\"/></figure>\n"));
            }
            None => {
                let lang = self.attr(&d.language);
                self.push(&format!("<pre class=\"diagram-source\"><code class=\"language-{lang}\">"));
                self.text(&d.source);
                self.push("</code></pre>\n");
            }
        }
    }

    fn table(&mut self, t: &TableBlock) {
        self.push("<div class=\"table\"><table>\n");
        // A header cell without text names no column (Ace's empty-table-header): an empty one
        // is a plain cell, and a header row with no text at all is left out.
        if has_header(t) {
            self.push("<thead><tr>");
            for (i, cell) in t.header.iter().enumerate() {
                let (open, close) = if has_text(cell) { ("th scope=\"col\"", "th") } else { ("td", "td") };
                self.table_cell(open, close, align_class(t.alignments.get(i)), cell);
            }
            self.push("</tr></thead>\n");
        }
        self.push("<tbody>\n");
        for row in &t.rows {
            self.push("<tr>");
            for (i, cell) in row.iter().enumerate() {
                self.table_cell("td", "td", align_class(t.alignments.get(i)), cell);
            }
            self.push("</tr>\n");
        }
        self.push("</tbody>\n</table></div>\n");
    }

    fn table_cell(&mut self, open: &str, close: &str, class: &str, cell: &[Inline]) {
        self.push(&format!("<{open}{class}>"));
        self.inlines_to_xhtml(cell);
        self.push(&format!("</{close}>"));
    }

    fn figure(&mut self, f: &FigureBlock) {
        self.push("<figure>");
        self.image_to_xhtml(&f.image, "figure");
        if !f.caption.is_empty() {
            self.push("<figcaption>");
            self.inlines_to_xhtml(&f.caption);
            self.push("</figcaption>");
        }
        self.push("</figure>\n");
    }

    /// A boxed aside; its title is the given one or, for alerts, what kind of alert it is.
    fn callout(&mut self, c: &CalloutBlock) {
        let kind = callout_class(c.kind);
        let summary = if c.is_summary() { " callout-summary" } else { "" };
        self.push(&format!("<aside class=\"callout callout-{kind}{summary}\" role=\"note\">\n"));
        let title = c.title.clone().or_else(|| self.labels.callout(c.kind).map(str::to_string));
        if let Some(title) = title.filter(|t| !t.trim().is_empty()) {
            self.push("<p class=\"callout-title\">");
            self.text(&title);
            self.push("</p>\n");
        }
        self.blocks_to_xhtml(&c.blocks);
        self.push("</aside>\n");
    }

    fn quote_figure(&mut self, q: &QuoteFigureBlock) {
        self.push("<figure class=\"quote\">\n");
        if let Some(image) = &q.image {
            self.image_to_xhtml(image, "quote-image");
            self.push("\n");
        }
        self.push("<blockquote>\n");
        self.blocks_to_xhtml(&q.blocks);
        self.push("</blockquote>\n</figure>\n");
    }

    /// An accordion of the site: a titled section, always open.
    fn section(&mut self, s: &SectionBlock) {
        let level = s.level.clamp(2, 6);
        let id = self.id_attr(s.attr.id.as_deref());
        self.push(&format!("<section class=\"accordion\"{id}>\n<h{level}>"));
        self.inlines_to_xhtml(trim_inlines(&s.title));
        self.push(&format!("</h{level}>\n"));
        self.blocks_to_xhtml(&s.blocks);
        self.push("</section>\n");
    }

    fn card(&mut self, c: &CardBlock) {
        self.push("<div class=\"card\">\n<p class=\"card-title\">");
        self.linked_text(&c.target, &c.title);
        self.push("</p>\n");
        if let Some(description) = &c.description {
            self.push("<p class=\"card-description\">");
            self.text(description);
            self.push("</p>\n");
        }
        self.tags(&c.tags);
        self.push("</div>\n");
    }

    /// A category's pages as a list of linked titles with their summaries.
    fn page_list(&mut self, l: &PageListBlock) {
        self.push("<ul class=\"page-list\">\n");
        for item in &l.items {
            self.push("<li><p class=\"card-title\">");
            let target = crate::model::LinkTarget::Page { key: item.key.clone(), anchor: None };
            self.linked_text(&target, &item.title);
            self.push("</p>");
            if let Some(summary) = &item.summary {
                self.push("<p class=\"card-description\">");
                self.text(summary);
                self.push("</p>");
            }
            self.tags(&item.tags);
            self.push("</li>\n");
        }
        self.push("</ul>\n");
    }

    /// See-also pages as a list of links, each named by its page title.
    pub fn see_also_list(&mut self, items: &[SeeAlso], class: &str) {
        self.push(&format!("<ul class=\"{class}\">\n"));
        for item in items {
            let title = self.plan.title(&item.key).unwrap_or(&item.key).to_string();
            self.push("<li>");
            self.linked_text(&item.target, &title);
            self.push("</li>\n");
        }
        self.push("</ul>\n");
    }

    /// `text` as a link to `target`, or as text when the target cannot be linked.
    pub fn linked_text(&mut self, target: &crate::model::LinkTarget, text: &str) {
        match self.href(target) {
            Href::To(href) => {
                self.push(&format!("<a href=\"{href}\">"));
                self.text(text);
                self.push("</a>");
            }
            Href::Text => self.text(text),
        }
    }

    fn tags(&mut self, tags: &[String]) {
        if tags.is_empty() {
            return;
        }
        self.push("<ul class=\"tags\">");
        for tag in tags {
            self.push("<li>");
            self.text(tag);
            self.push("</li>");
        }
        self.push("</ul>\n");
    }
}

/// A title without the blank text and line breaks that HTML indentation leaves around it.
fn trim_inlines(inlines: &[Inline]) -> &[Inline] {
    let blank = |i: &Inline| match i {
        Inline::Text(t) => t.trim().is_empty(),
        Inline::SoftBreak | Inline::LineBreak => true,
        Inline::Emphasis(_)
        | Inline::Strong(_)
        | Inline::Strikethrough(_)
        | Inline::Code(_)
        | Inline::Link(_)
        | Inline::Image(_) => false,
    };
    let start = inlines.iter().position(|i| !blank(i)).unwrap_or(inlines.len());
    let end = inlines.iter().rposition(|i| !blank(i)).map_or(start, |e| e + 1);
    inlines.get(start..end).unwrap_or(&[])
}

/// Whether inlines give a reader words (text, or a picture's alt text).
pub(super) fn has_text(inlines: &[Inline]) -> bool {
    !crate::text::plain_text_cow(inlines).trim().is_empty()
}

/// Whether a table has a header row with text: only then is it written as one.
pub(super) fn has_header(t: &TableBlock) -> bool {
    t.header.iter().any(|cell| has_text(cell))
}

fn align_class(align: Option<&Align>) -> &'static str {
    match align {
        Some(Align::Left) => " class=\"align-left\"",
        Some(Align::Center) => " class=\"align-center\"",
        Some(Align::Right) => " class=\"align-right\"",
        Some(Align::None) | None => "",
    }
}

fn callout_class(kind: CalloutKind) -> &'static str {
    match kind {
        CalloutKind::Note => "note",
        CalloutKind::Info => "info",
        CalloutKind::Warning => "warning",
        CalloutKind::Error => "error",
        CalloutKind::Success => "success",
    }
}
