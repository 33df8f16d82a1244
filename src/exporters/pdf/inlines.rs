//! Inlines to styled spans: `inlines_to_spans → inline_to_spans`, plus French spacing and
//! the glyph check.

use super::text::Span;
use super::theme::rgb;
use super::writer::Writer;
use crate::diagnostics::Diagnostic;
use crate::model::{Image, Inline, Link, LinkTarget, Pos};
use genpdf::style::Style;

impl Writer<'_, '_> {
    pub fn inlines_to_spans(&mut self, inlines: &[Inline], style: Style, pos: Pos) -> Vec<Span> {
        let mut out = Vec::new();
        for inline in inlines {
            self.inline_to_spans(inline, style, pos, &mut out);
        }
        super::text::place_suffixes(out)
    }

    fn inline_to_spans(&mut self, inline: &Inline, style: Style, pos: Pos, out: &mut Vec<Span>) {
        match inline {
            Inline::Text(text) => out.push(self.span(&self.labels.typeset(text), style, pos)),
            Inline::Emphasis(c) => out.extend(self.inlines_to_spans(c, style.italic(), pos)),
            Inline::Strong(c) => out.extend(self.inlines_to_spans(c, style.bold(), pos)),
            Inline::Strikethrough(c) => {
                self.note_once(
                    crate::codes::PDF_STRIKETHROUGH,
                    pos,
                    "struck-through text is printed in grey: PDF text here has no strike-through",
                );
                out.extend(self.inlines_to_spans(c, style.with_color(rgb(self.theme.muted_color)), pos));
            }
            Inline::Code(code) => out.push(self.span(code, style.with_font_family(self.mono), pos)),
            Inline::LineBreak => out.push(Span::new("\n", style)),
            Inline::SoftBreak => out.push(Span::new(" ", style)),
            Inline::Link(link) => self.link_to_spans(link, style, out),
            Inline::Image(image) => self.inline_image_to_spans(image, style, out.as_mut_slice()),
        }
    }

    fn link_to_spans(&mut self, link: &Link, style: Style, out: &mut Vec<Span>) {
        let text_style = style.with_color(rgb(self.theme.link_color));
        let content = self.inlines_to_spans(&link.content, text_style, link.pos);
        let shown = crate::text::plain_text(&link.content);
        out.extend(content);
        let small = self.small(style);
        match &link.target {
            LinkTarget::Page { key, anchor } => {
                let key_anchor = super::state::anchor_key(key, anchor.as_deref());
                if let Some(reference) = self.page_reference(key, &key_anchor) {
                    out.push(Span::suffix(format!("\u{a0}({reference})"), small));
                }
            }
            LinkTarget::External { url } => {
                let bare = url.strip_prefix("mailto:").unwrap_or(url);
                if shown.trim() != url && shown.trim() != bare {
                    self.check_glyphs(url, small, link.pos);
                    out.push(Span::suffix(format!(" <{url}>"), small));
                }
            }
            LinkTarget::Asset { path } => out.push(Span::suffix(format!(" (fichier\u{a0}: {path})"), small)),
            // The reader has already reported a broken link; its text stays readable.
            LinkTarget::Broken { .. } => {}
        }
    }

    /// An image inside running text is drawn after its paragraph, its alt text as caption.
    fn inline_image_to_spans(&mut self, image: &Image, _style: Style, _out: &mut [Span]) {
        self.pending_images.push(image.clone());
    }

    /// A span, after checking that the font has every glyph of `text`.
    pub fn span(&mut self, text: &str, style: Style, pos: Pos) -> Span {
        let text = self.without_controls(text, pos);
        self.check_glyphs(&text, style, pos);
        Span::new(text, style)
    }

    /// The text less control characters and Unicode noncharacters, which have no glyph and
    /// no meaning on paper; what was removed is reported.
    fn without_controls<'t>(&mut self, text: &'t str, pos: Pos) -> std::borrow::Cow<'t, str> {
        let unwanted = |c: char| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(u32::from(c), 0xFDD0..=0xFDEF)
                || u32::from(c) & 0xFFFE == 0xFFFE
        };
        if !text.chars().any(unwanted) {
            return std::borrow::Cow::Borrowed(text);
        }
        let mut removed: Vec<String> =
            text.chars().filter(|&c| unwanted(c)).map(|c| format!("U+{:04X}", u32::from(c))).collect();
        removed.sort();
        removed.dedup();
        let message = format!("control characters removed from the printed text: {}", removed.join(", "));
        self.diags.push(Diagnostic::warning(crate::codes::PDF_CONTROL_CHAR, self.source.clone(), pos, message));
        std::borrow::Cow::Owned(text.chars().filter(|&c| !unwanted(c)).collect())
    }

    pub fn small(&self, style: Style) -> Style {
        style.with_font_size(self.theme.small_size).with_color(rgb(self.theme.muted_color))
    }

    /// Reports characters that neither DejaVu nor a fallback font can draw.
    pub fn check_glyphs(&mut self, text: &str, style: Style, pos: Pos) {
        if text.is_ascii() {
            return;
        }
        let fallbacks = self.state.borrow().fallbacks.clone();
        let missing: Vec<char> = text
            .chars()
            .filter(|&c| super::fallback::style_for(self.font_cache, &fallbacks, style, c).is_none())
            .collect();
        if missing.is_empty() {
            return;
        }
        let mut listed: Vec<String> = missing.iter().map(|c| format!("{c} (U+{:04X})", u32::from(*c))).collect();
        listed.dedup();
        self.unprintable.extend(missing.iter().copied());
        let message = format!("no font has these characters, shown as empty boxes: {}", listed.join(", "));
        self.diags.push(Diagnostic::warning(crate::codes::PDF_MISSING_GLYPH, self.source.clone(), pos, message));
    }
}
