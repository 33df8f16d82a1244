//! Blocks to genpdf elements: `blocks_to_pdf → block_to_pdf`, one arm per block kind.

use super::elements::{Boxed, Gap, NeedsRoom, Rule};
use super::images::{image_element, load_asset_image, rasterize_diagram, PictureCache};
use super::state::{anchor_key, PassRecord, Shared, Traced};
use super::text::{RichText, Span, Wrap};
use super::theme::{rgb, Theme};
use crate::diagnostics::Diagnostic;
use crate::exporter::ExportContext;
use crate::model::*;
use genpdf::elements::{BulletPoint, LinearLayout};
use genpdf::fonts::{Font, FontCache, FontFamily};
use genpdf::style::{Color, Style};
use genpdf::{Element, Margins};
use hyphenation::Standard;
use image::GenericImageView;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// A boxed element, so that lists of elements can be pushed where genpdf wants a type.
pub struct Dyn(pub Box<dyn Element>);

impl Element for Dyn {
    fn render(
        &mut self,
        context: &genpdf::Context,
        area: genpdf::render::Area<'_>,
        style: Style,
    ) -> Result<genpdf::RenderResult, genpdf::error::Error> {
        self.0.render(context, area, style)
    }
}

pub type Elements = Vec<Box<dyn Element>>;

pub struct Writer<'a, 'c> {
    pub ctx: &'a ExportContext<'c>,
    pub theme: &'a Theme,
    pub font_cache: &'a FontCache,
    pub mono: FontFamily<Font>,
    pub state: Shared,
    pub hyphenator: Arc<Standard>,
    /// Decoded images and rasterised diagrams, shared by every pass and chunk.
    pub pictures: &'a PictureCache,
    pub previous: Option<&'a PassRecord>,
    /// Keys of the pages printed in this guide.
    pub in_guide: &'a BTreeSet<String>,
    pub pages: &'a BTreeMap<&'a str, &'a Page>,
    pub diags: Vec<Diagnostic>,
    pub source: String,
    pub page_key: String,
    pub pending_images: Vec<Image>,
    /// How many indenting containers (lists, quotes, callouts) enclose the current block.
    pub depth: usize,
    pub unprintable: BTreeSet<char>,
    /// The words folio adds, and the typography of running text, in the guide's language.
    pub labels: &'static crate::labels::Labels,
}

impl Writer<'_, '_> {
    /// "p. N" for a page of this guide (or "?" in the first pass), the site URL otherwise.
    pub fn page_reference(&self, key: &str, anchor: &str) -> Option<String> {
        if self.in_guide.contains(key) {
            let page = self.previous.and_then(|p| p.page_of(anchor).or_else(|| p.page_of(&anchor_key(key, None))));
            return Some(format!("p.\u{a0}{}", page.map_or("??".to_string(), |n| n.to_string())));
        }
        let page = self.pages.get(key)?;
        Some(format!("{}{}", self.ctx.corpus.site.url.trim_end_matches('/'), page.url))
    }

    pub fn body(&self) -> Style {
        Style::new().with_font_size(self.theme.body_size).with_color(rgb(self.theme.text_color))
    }

    pub fn prose(&self, spans: Vec<Span>) -> RichText {
        RichText::new(spans, Wrap::Prose { hyphenate: true }, &self.state).hyphenator(Some(self.hyphenator.clone()))
    }

    pub fn plain(&self, spans: Vec<Span>) -> RichText {
        RichText::new(spans, Wrap::Prose { hyphenate: false }, &self.state)
    }

    pub fn note_once(&mut self, code: &'static str, pos: Pos, message: &str) {
        self.diags.push(Diagnostic::note(code, self.source.clone(), pos, message));
    }

    pub fn traced(&self, inner: Box<dyn Element>, label: String) -> Box<dyn Element> {
        Box::new(Traced::new(inner, label, &self.state))
    }

    /// Top-level blocks of a chapter: each traced in the layout plan, with a gap after it.
    pub fn chapter_blocks(&mut self, blocks: &[Block]) -> Elements {
        let mut out: Elements = Vec::new();
        for block in blocks {
            let mut elements = self.block_to_pdf(block);
            let element: Box<dyn Element> = if elements.len() == 1 {
                elements.remove(0)
            } else {
                let mut layout = LinearLayout::vertical();
                elements.into_iter().for_each(|e| layout.push(Dyn(e)));
                Box::new(layout)
            };
            let element = match block {
                Block::Table(_) | Block::Code(_) | Block::Callout(_) | Block::Diagram(_) | Block::Raw(_) => {
                    Box::new(NeedsRoom { inner: element, room: 18.0, state: self.state.clone(), started: false })
                }
                // No minimum room: these start wherever the page has reached.
                Block::Heading(_)
                | Block::Paragraph(_)
                | Block::List(_)
                | Block::BlockQuote(_)
                | Block::Figure(_)
                | Block::QuoteFigure(_)
                | Block::Section(_)
                | Block::Card(_)
                | Block::PageList(_)
                | Block::SeeAlsoList(_)
                | Block::ThematicBreak(_) => element,
            };
            out.push(self.traced(element, block_label(block)));
            out.push(Box::new(Gap(self.theme.block_gap)));
        }
        out
    }

    /// Nested blocks, stacked in one layout.
    pub fn blocks_to_pdf(&mut self, blocks: &[Block]) -> LinearLayout {
        let mut layout = LinearLayout::vertical();
        for (i, block) in blocks.iter().enumerate() {
            if i > 0 {
                layout.push(Gap(self.theme.block_gap * 0.6));
            }
            for element in self.block_to_pdf(block) {
                layout.push(Dyn(element));
            }
        }
        layout
    }

    pub fn block_to_pdf(&mut self, block: &Block) -> Elements {
        match block {
            Block::Heading(h) => vec![self.heading(h.level, &h.content, h.attr.id.as_deref(), h.pos)],
            Block::Paragraph(p) => self.paragraph(&p.content, p.pos),
            Block::List(l) => vec![self.list(l)],
            Block::BlockQuote(q) => vec![self.quote(&q.blocks, None, q.pos)],
            Block::Code(c) => vec![self.code(&c.text, c.language.as_deref(), c.pos)],
            Block::Diagram(d) => self.diagram(d),
            Block::Table(t) => self.table(t),
            Block::Figure(f) => self.figure(&f.image, &f.caption),
            Block::Callout(c) => vec![self.callout(c)],
            Block::QuoteFigure(q) => vec![self.quote(&q.blocks, q.image.as_ref(), q.pos)],
            Block::Section(s) => self.section(s),
            Block::Card(c) => vec![self.card(c)],
            Block::PageList(l) => vec![self.page_list(l)],
            Block::SeeAlsoList(l) => vec![self.see_also(&l.items, l.pos)],
            Block::ThematicBreak(_) => vec![Box::new(Rule { color: rgb(self.theme.rule_color) })],
            Block::Raw(r) => vec![self.code(&r.text, Some(&r.format), r.pos)],
        }
    }

    pub fn heading(&mut self, level: u8, content: &[Inline], id: Option<&str>, pos: Pos) -> Box<dyn Element> {
        let style = self.body().bold().with_font_size(self.theme.heading_size(level));
        let style = if level <= 2 { style.with_color(rgb(self.theme.accent_color)) } else { style };
        let spans = self.inlines_to_spans(content, style, pos);
        let text = self.plain(spans).keep_with_next(self.theme.keep_with_next);
        let mut traced = Traced::new(Box::new(text), String::new(), &self.state);
        traced.anchor = id.map(|id| anchor_key(&self.page_key, Some(id)));
        traced.in_plan = false;
        Box::new(traced)
    }

    fn paragraph(&mut self, content: &[Inline], pos: Pos) -> Elements {
        let spans = self.inlines_to_spans(content, self.body(), pos);
        let mut out: Elements = Vec::new();
        if spans.iter().any(|s| !s.text.trim().is_empty()) {
            out.push(Box::new(self.prose(spans)));
        }
        for image in std::mem::take(&mut self.pending_images) {
            out.extend(self.figure(&image, &[]));
        }
        out
    }

    /// Past this many indenting containers the text column would be too narrow for genpdf to
    /// place anything (it then fails the whole guide), so deeper content is set flat.
    const MAX_INDENTED_NESTING: usize = 8;

    /// True when a container at `pos` must be set flat; reported once per page.
    fn too_deep(&mut self, pos: Pos) -> bool {
        if self.depth < Self::MAX_INDENTED_NESTING {
            return false;
        }
        if !self.diags.iter().any(|d| d.code == crate::codes::PDF_TOO_DEEP && d.file == self.source) {
            self.diags.push(Diagnostic::warning(
                crate::codes::PDF_TOO_DEEP,
                self.source.as_str(),
                pos,
                format!(
                    "lists, quotes and callouts nested deeper than {} levels are set without further indentation",
                    Self::MAX_INDENTED_NESTING
                ),
            ));
        }
        true
    }

    /// Builds a nested container one level deeper, or flat when too deep.
    fn nested(
        &mut self,
        pos: Pos,
        blocks: &[&[Block]],
        build: impl FnOnce(&mut Self) -> Box<dyn Element>,
    ) -> Box<dyn Element> {
        if self.too_deep(pos) {
            let mut layout = LinearLayout::vertical();
            for run in blocks {
                layout.push(self.blocks_to_pdf(run));
            }
            return Box::new(layout);
        }
        self.depth += 1;
        let element = build(self);
        self.depth -= 1;
        element
    }

    fn list(&mut self, list: &ListBlock) -> Box<dyn Element> {
        let runs: Vec<&[Block]> = list.items.iter().map(|i| i.blocks.as_slice()).collect();
        self.nested(list.pos, &runs, |w| w.indented_list(list))
    }

    fn indented_list(&mut self, list: &ListBlock) -> Box<dyn Element> {
        let mut layout = LinearLayout::vertical();
        for (i, item) in list.items.iter().enumerate() {
            let content = self.blocks_to_pdf(&item.blocks);
            let bullet = match list.start {
                Some(start) => format!("{}.", start.saturating_add(i as u64)),
                None => "•".to_string(),
            };
            layout.push(BulletPoint::new(content).with_bullet(bullet));
        }
        Box::new(layout)
    }

    fn quote(&mut self, blocks: &[Block], image: Option<&Image>, pos: Pos) -> Box<dyn Element> {
        self.nested(pos, &[blocks], |w| w.boxed_quote(blocks, image))
    }

    fn boxed_quote(&mut self, blocks: &[Block], image: Option<&Image>) -> Box<dyn Element> {
        let mut layout = LinearLayout::vertical();
        if let Some(image) = image {
            for element in self.figure(image, &[]) {
                layout.push(Dyn(element));
            }
        }
        layout.push(self.blocks_to_pdf(blocks));
        let styled = layout.styled(Style::new().italic());
        Box::new(Boxed::new(Box::new(styled), rgb(self.theme.quote_color), None))
    }

    pub fn code(&mut self, text: &str, language: Option<&str>, pos: Pos) -> Box<dyn Element> {
        let style = self.body().with_font_family(self.mono).with_font_size(self.theme.code_size);
        let mut spans = Vec::new();
        if let Some(language) = language.filter(|l| !l.is_empty()) {
            spans.push(Span::new(format!("{language}\n"), self.small(style)));
        }
        spans.push(self.span(text.trim_end_matches('\n'), style, pos));
        let text = RichText::new(spans, Wrap::Code, &self.state);
        Box::new(Boxed::new(Box::new(text), rgb(self.theme.code_color), Some(rgb(self.theme.rule_color))))
    }

    fn diagram(&mut self, diagram: &DiagramBlock) -> Elements {
        let Some(rendered) = self.ctx.diagrams.get(&diagram.digest) else {
            // No rendering in the store: the source is the diagram (no diagnostic needed).
            return vec![self.code(&diagram.source, Some(&diagram.language), diagram.pos)];
        };
        let picture = self
            .pictures
            .get(&format!("diagram:{}", diagram.digest), || rasterize_diagram(rendered))
            .and_then(|(number, img)| image_element(number, img.dimensions(), self.theme, &self.state));
        let caption = vec![self.span(&rendered.description, self.small(self.body()).italic(), diagram.pos)];
        let mut out: Elements = match picture {
            Ok(element) => vec![Box::new(element)],
            Err(reason) => {
                self.note_once(
                    crate::codes::PDF_DIAGRAM_AS_SOURCE,
                    diagram.pos,
                    &format!("diagram printed as its source: {reason}"),
                );
                vec![self.code(&diagram.source, Some(&diagram.language), diagram.pos)]
            }
        };
        out.push(Box::new(self.plain(caption).aligned(genpdf::Alignment::Center)));
        out
    }

    fn figure(&mut self, image: &Image, caption: &[Inline]) -> Elements {
        let mut out: Elements = Vec::new();
        match self.picture(image) {
            Ok(element) => out.push(element),
            Err(reason) => {
                let message = format!("image {} not drawn ({reason}); its description is printed instead", image.src);
                self.diags.push(Diagnostic::warning(crate::codes::PDF_IMAGE, self.source.clone(), image.pos, message));
                let text = format!("[{}{}{}]", self.labels.image, self.labels.colon(), image.src);
                out.push(Box::new(self.plain(vec![Span::new(text, self.small(self.body()))])));
            }
        }
        let mut parts: Vec<String> = Vec::new();
        let caption_text = crate::text::plain_text(caption);
        for part in [caption_text.trim(), image.alt.trim()] {
            if !part.is_empty() && !parts.iter().any(|p| p == part) {
                parts.push(part.to_string());
            }
        }
        if !parts.is_empty() {
            let style = self.small(self.body()).italic();
            let span = self.span(&parts.join(" — "), style, image.pos);
            out.push(Box::new(self.plain(vec![span]).aligned(genpdf::Alignment::Center)));
        }
        out
    }

    fn picture(&mut self, image: &Image) -> Result<Box<dyn Element>, String> {
        let path = match &image.target {
            LinkTarget::Asset { path } => path,
            LinkTarget::External { url } => return Err(format!("{url} is outside the site and is not downloaded")),
            LinkTarget::Broken { reason } => return Err(reason.clone()),
            LinkTarget::Page { .. } => return Err("it names a page, not an image".to_string()),
        };
        let (number, decoded) = self.pictures.get(&format!("asset:{path}"), || load_asset_image(self.ctx, path))?;
        Ok(Box::new(image_element(number, decoded.dimensions(), self.theme, &self.state)?))
    }

    fn callout(&mut self, callout: &CalloutBlock) -> Box<dyn Element> {
        self.nested(callout.pos, &[&callout.blocks], |w| w.framed_callout(callout))
    }

    fn framed_callout(&mut self, callout: &CalloutBlock) -> Box<dyn Element> {
        let color = rgb(match callout.kind {
            CalloutKind::Note => self.theme.note_color,
            CalloutKind::Info => self.theme.info_color,
            CalloutKind::Warning => self.theme.warning_color,
            CalloutKind::Error => self.theme.error_color,
            CalloutKind::Success => self.theme.success_color,
        });
        let mut layout = LinearLayout::vertical();
        if let Some(title) = callout.title.as_deref().filter(|t| !t.trim().is_empty()) {
            let style = self.body().bold().with_color(color);
            let span = self.span(title, style, callout.pos);
            layout.push(self.plain(vec![span]));
            layout.push(Gap(1.0));
        }
        layout.push(self.blocks_to_pdf(&callout.blocks));
        Box::new(Boxed::new(Box::new(layout), color, Some(rgb(self.theme.rule_color))))
    }

    fn section(&mut self, section: &SectionBlock) -> Elements {
        let mut out = vec![self.heading(section.level, &section.title, section.attr.id.as_deref(), section.pos)];
        out.push(Box::new(self.blocks_to_pdf(&section.blocks)));
        out
    }

    fn card(&mut self, card: &CardBlock) -> Box<dyn Element> {
        let mut spans = vec![self.span(&card.title, self.body().bold(), card.pos)];
        spans.extend(self.target_reference(&card.target, card.pos));
        if let Some(description) = &card.description {
            spans.push(Span::new("\n", self.body()));
            spans.push(self.span(&self.labels.typeset(description), self.body(), card.pos));
        }
        Box::new(BulletPoint::new(self.prose(spans)).with_bullet("▸"))
    }

    fn target_reference(&mut self, target: &LinkTarget, pos: Pos) -> Vec<Span> {
        let small = self.small(self.body());
        let text = match target {
            LinkTarget::Page { key, anchor } => self.page_reference(key, &anchor_key(key, anchor.as_deref())),
            LinkTarget::External { url } => Some(url.clone()),
            LinkTarget::Asset { path } => Some(format!("fichier\u{a0}: {path}")),
            LinkTarget::Broken { .. } => None,
        };
        text.map(|t| vec![Span::new(" ", small), self.span(&format!("({t})"), small, pos)]).unwrap_or_default()
    }

    fn page_list(&mut self, list: &PageListBlock) -> Box<dyn Element> {
        let mut layout = LinearLayout::vertical();
        for item in &list.items {
            let mut spans = vec![self.span(&item.title, self.body().bold(), list.pos)];
            let target = LinkTarget::Page { key: item.key.clone(), anchor: None };
            spans.extend(self.target_reference(&target, list.pos));
            if let Some(summary) = &item.summary {
                spans.push(Span::new("\n", self.body()));
                spans.push(self.span(&self.labels.typeset(summary), self.body(), list.pos));
            }
            layout.push(BulletPoint::new(self.prose(spans)).with_bullet("▸"));
        }
        Box::new(layout)
    }

    /// "See also": each page with its page number.
    pub fn see_also(&mut self, items: &[SeeAlso], pos: Pos) -> Box<dyn Element> {
        let mut layout = LinearLayout::vertical();
        let title = Span::new(self.labels.see_also, self.body().bold().with_color(rgb(self.theme.accent_color)));
        layout.push(self.plain(vec![title]).keep_with_next(self.theme.keep_with_next / 2.0));
        for item in items {
            let title = match &item.target {
                LinkTarget::Page { key, .. } => {
                    self.pages.get(key.as_str()).map_or(item.key.clone(), |p| p.title.clone())
                }
                LinkTarget::Asset { .. } | LinkTarget::External { .. } | LinkTarget::Broken { .. } => item.key.clone(),
            };
            let mut spans = vec![self.span(&title, self.body(), pos)];
            spans.extend(self.target_reference(&item.target, pos));
            layout.push(BulletPoint::new(self.plain(spans)).with_bullet("→"));
        }
        Box::new(layout.padded(Margins::trbl(2, 0, 0, 0)))
    }

    pub fn muted(&self) -> Color {
        rgb(self.theme.muted_color)
    }
}

/// A one-line description of a block for the layout plan.
pub fn block_label(block: &Block) -> String {
    let excerpt = |text: String| {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let short: String = text.chars().take(40).collect();
        if short.len() < text.len() {
            format!("«{short}…»")
        } else {
            format!("«{short}»")
        }
    };
    match block {
        Block::Heading(h) => format!("h{} {}", h.level, excerpt(crate::text::plain_text(&h.content))),
        Block::Paragraph(p) => format!("paragraph {}", excerpt(crate::text::plain_text(&p.content))),
        Block::List(l) => format!("list of {} items", l.items.len()),
        Block::BlockQuote(_) => "quote".to_string(),
        Block::Code(c) => format!("code {} ({} lines)", c.language.as_deref().unwrap_or("-"), c.text.lines().count()),
        Block::Diagram(d) => format!("diagram {}", d.language),
        Block::Table(t) => format!("table {}×{}", t.header.len(), t.rows.len() + 1),
        Block::Figure(f) => format!("figure {}", f.image.src),
        Block::Callout(c) => format!("callout {:?} {}", c.kind, excerpt(c.title.clone().unwrap_or_default())),
        Block::QuoteFigure(_) => "quote figure".to_string(),
        Block::Section(s) => format!("section {}", excerpt(crate::text::plain_text(&s.title))),
        Block::Card(c) => format!("card {}", excerpt(c.title.clone())),
        Block::PageList(l) => format!("page list {} ({} pages)", l.category, l.items.len()),
        Block::SeeAlsoList(l) => format!("see-also list ({} pages)", l.items.len()),
        Block::ThematicBreak(_) => "rule".to_string(),
        Block::Raw(r) => format!("raw {}", r.format),
    }
}
