//! `blocks_to_dita → block_to_dita`: one arm per model block, each writing DITA 1.2 elements
//! that the enclosing element allows.

use super::inlines::{split_lines, trimmed, InlineCtx};
use super::page::PageWriter;
use super::xml::{El, Node};
use crate::model::*;

/// The element the blocks are written into, as far as DITA restricts its content:
/// a `note` holds no `note`, an `lq` no `lq`. Everything else (`section`, `li`, `info`…)
/// takes any block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Flow,
    Note,
    Quote,
}

impl PageWriter<'_> {
    pub fn blocks(&mut self, blocks: &[Block], container: Container) -> Vec<Node> {
        let mut out = Vec::new();
        for block in blocks {
            self.block(block, container, &mut out);
        }
        out
    }

    pub fn block(&mut self, block: &Block, container: Container, out: &mut Vec<Node>) {
        self.pos = block.pos();
        match block {
            Block::Heading(h) => {
                out.push(self.heading_paragraph(h.level, &h.attr, &h.content, h.pos).into());
            }
            Block::Paragraph(p) => out.extend(self.paragraph(p)),
            Block::List(l) => out.extend(self.list(l)),
            Block::BlockQuote(q) => self.block_quote(q, container, out),
            Block::Code(c) => out.push(codeblock(c.language.as_deref(), &c.text).at(c.pos).into()),
            Block::Diagram(d) => out.push(self.diagram(d).into()),
            Block::Table(t) => out.extend(self.table(t)),
            Block::Figure(f) => out.push(self.figure(f).into()),
            Block::Callout(c) => self.callout(c, container, out),
            Block::QuoteFigure(q) => self.quote_figure(q, container, out),
            Block::Section(s) => {
                out.push(self.heading_paragraph(s.level, &s.attr, &s.title, s.pos).into());
                out.extend(self.blocks(&s.blocks, container));
            }
            Block::Card(c) => out.push(self.card(c).into()),
            Block::PageList(l) => out.extend(self.page_list(l)),
            Block::SeeAlsoList(l) => out.extend(self.see_also_list(l)),
            Block::ThematicBreak(t) => {
                self.note(
                    crate::codes::DITA_THEMATIC_BREAK,
                    "DITA has no thematic break: written as an empty <p outputclass=\"thematic-break\">",
                );
                out.push(El::new("p").attr("outputclass", "thematic-break").at(t.pos).into());
            }
            Block::Raw(r) => out.push(
                El::new("pre").attr("outputclass", format!("raw-{}", r.format)).at(r.pos).text(r.text.clone()).into(),
            ),
        }
    }

    /// A heading where DITA allows no section: a bold paragraph carrying the heading's id.
    pub fn heading_paragraph(&mut self, level: u8, attr: &Attr, title: &[Inline], pos: Pos) -> El {
        // `b` allows no image.
        let bold = El::new("b").children(self.inlines(&trimmed(title), InlineCtx { xref: true, image: false }));
        El::new("p")
            .opt_attr("id", self.element_id(attr))
            .attr("outputclass", format!("heading h{level}"))
            .at(pos)
            .child(bold)
    }

    /// A `<p>`, or one per line when the paragraph has hard line breaks.
    fn paragraph(&mut self, paragraph: &ParagraphBlock) -> Vec<Node> {
        let lines = split_lines(&paragraph.content);
        if lines.len() <= 1 {
            return vec![El::new("p")
                .at(paragraph.pos)
                .children(self.inlines(&paragraph.content, InlineCtx::FULL))
                .into()];
        }
        lines
            .into_iter()
            .map(|line| El::new("p").at(paragraph.pos).children(self.inlines(line, InlineCtx::FULL)).into())
            .collect()
    }

    fn list(&mut self, list: &ListBlock) -> Option<Node> {
        if list.items.is_empty() {
            return None;
        }
        let mut el = El::new(if list.start.is_some() { "ol" } else { "ul" }).at(list.pos);
        if let Some(start) = list.start.filter(|&n| n != 1) {
            self.note(
                crate::codes::DITA_LIST_START,
                format!("DITA 1.2 lists cannot start at {start}: written as outputclass=\"start-{start}\""),
            );
            el = el.attr("outputclass", format!("start-{start}"));
        }
        for item in &list.items {
            el.push(El::new("li").children(self.blocks(&item.blocks, Container::Flow)));
        }
        Some(el.into())
    }

    fn block_quote(&mut self, quote: &BlockQuoteBlock, container: Container, out: &mut Vec<Node>) {
        if container == Container::Quote {
            self.warn(
                crate::codes::DITA_NESTED_QUOTE,
                "DITA forbids a quotation inside a quotation: its blocks join the outer one",
            );
            out.extend(self.blocks(&quote.blocks, Container::Quote));
            return;
        }
        out.push(El::new("lq").at(quote.pos).children(self.blocks(&quote.blocks, Container::Quote)).into());
    }

    fn diagram(&mut self, diagram: &DiagramBlock) -> El {
        let source = codeblock(Some(&diagram.language), &diagram.source);
        let mut fig = El::new("fig").attr("outputclass", "diagram").at(diagram.pos);
        if let Some(rendered) = self.diagrams.get(&diagram.digest) {
            let name: String = diagram.digest.chars().filter(char::is_ascii_hexdigit).take(16).collect();
            let out = format!("images/diagrams/{name}.svg");
            self.files.insert(out.clone(), rendered.svg.clone().into_bytes());
            let image = El::new("image").attr("href", format!("../{out}")).attr("placement", "break");
            fig.push(image.child(El::new("alt").text(rendered.description.clone())));
        }
        fig.child(source)
    }

    fn table(&mut self, table: &TableBlock) -> Option<Node> {
        let cols = std::iter::once(table.header.len()).chain(table.rows.iter().map(Vec::len)).max().unwrap_or(0);
        if cols == 0 {
            return None;
        }
        let mut tgroup = El::new("tgroup").attr("cols", cols.to_string());
        for n in 1..=cols {
            let align = table.alignments.get(n - 1).and_then(|a| align_name(*a));
            tgroup.push(
                El::new("colspec")
                    .attr("colname", format!("c{n}"))
                    .attr("colnum", n.to_string())
                    .opt_attr("align", align),
            );
        }
        if !table.header.is_empty() {
            tgroup.push(El::new("thead").child(self.table_row(&table.header, cols)));
        }
        let mut tbody = El::new("tbody");
        for row in &table.rows {
            tbody.push(self.table_row(row, cols));
        }
        if table.rows.is_empty() {
            self.note(crate::codes::DITA_TABLE_EMPTY_BODY, "a DITA table needs a body row: an empty one is added");
            tbody.push(self.table_row(&[], cols));
        }
        Some(El::new("table").at(table.pos).child(tgroup.child(tbody)).into())
    }

    /// One row, padded with empty entries up to `cols`, as CALS requires.
    fn table_row(&mut self, cells: &[Vec<Inline>], cols: usize) -> El {
        let mut row = El::new("row");
        for n in 0..cols {
            let cell = cells.get(n).map(Vec::as_slice).unwrap_or_default();
            let lines = split_lines(cell);
            let content = if lines.len() <= 1 {
                self.inlines(cell, InlineCtx::FULL)
            } else {
                lines
                    .into_iter()
                    .map(|line| El::new("p").children(self.inlines(line, InlineCtx::FULL)).into())
                    .collect()
            };
            row.push(El::new("entry").children(content));
        }
        row
    }

    fn figure(&mut self, figure: &FigureBlock) -> El {
        let mut fig = El::new("fig").at(figure.pos);
        if !figure.caption.is_empty() {
            fig.push(El::new("title").children(self.inlines(&figure.caption, InlineCtx::TITLE)));
        }
        match self.image(&figure.image, "break") {
            Some(image) => fig.child(image),
            None => fig.child(El::new("p").attr("outputclass", "image-unavailable").text(figure.image.alt.clone())),
        }
    }
}

/// `<codeblock outputclass="language-x">`.
pub fn codeblock(language: Option<&str>, text: &str) -> El {
    El::new("codeblock")
        .opt_attr("outputclass", language.filter(|l| !l.is_empty()).map(|l| format!("language-{l}")))
        .text(text.to_string())
}

fn align_name(align: Align) -> Option<&'static str> {
    match align {
        Align::None => None,
        Align::Left => Some("left"),
        Align::Center => Some("center"),
        Align::Right => Some("right"),
    }
}
