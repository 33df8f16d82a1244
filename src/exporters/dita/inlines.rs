//! `inlines_to_dita → inline_to_dita`: phrases, links and images.

use super::page::PageWriter;
use super::xml::{El, Node};
use crate::model::{Image, Inline, Link, LinkTarget};

/// What the enclosing element allows among phrases: DITA forbids `xref` in titles and
/// `image` in `b`/`i`/`codeph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InlineCtx {
    pub xref: bool,
    pub image: bool,
}

impl InlineCtx {
    /// `p`, `li`, `entry`, `cmd`: everything.
    pub const FULL: InlineCtx = InlineCtx { xref: true, image: true };
    /// `title`, `shortdesc`: no `xref`.
    pub const TITLE: InlineCtx = InlineCtx { xref: false, image: true };

    fn without_image(self) -> Self {
        InlineCtx { image: false, ..self }
    }
}

impl PageWriter<'_> {
    pub fn inlines(&mut self, inlines: &[Inline], ctx: InlineCtx) -> Vec<Node> {
        let mut out = Vec::new();
        for inline in inlines {
            self.inline(inline, ctx, &mut out);
        }
        out
    }

    fn inline(&mut self, inline: &Inline, ctx: InlineCtx, out: &mut Vec<Node>) {
        match inline {
            Inline::Text(t) => out.push(Node::Text(t.clone())),
            Inline::Emphasis(c) => out.push(El::new("i").children(self.inlines(c, ctx.without_image())).into()),
            Inline::Strong(c) => out.push(El::new("b").children(self.inlines(c, ctx.without_image())).into()),
            Inline::Strikethrough(c) => out.push(self.strikethrough(c, ctx).into()),
            Inline::Code(t) => out.push(El::new("codeph").text(t.clone()).into()),
            Inline::LineBreak => out.push(self.line_break()),
            Inline::SoftBreak => out.push(Node::Text("\n".into())),
            Inline::Link(l) => out.extend(self.link(l, ctx)),
            Inline::Image(i) => out.push(self.inline_image(i, ctx)),
        }
    }

    /// DITA 1.2's highlighting domain has no strike-through (`line-through` is DITA 1.3).
    fn strikethrough(&mut self, content: &[Inline], ctx: InlineCtx) -> El {
        self.note(
            crate::codes::DITA_STRIKETHROUGH,
            "DITA 1.2 has no strike-through: written as <ph outputclass=\"line-through\">",
        );
        El::new("ph").attr("outputclass", "line-through").children(self.inlines(content, ctx))
    }

    /// DITA has no line-break element: paragraphs and table entries are split at line breaks
    /// (see `split_lines`); elsewhere a newline keeps the break in the source text.
    fn line_break(&mut self) -> Node {
        self.note(
            crate::codes::DITA_LINE_BREAK,
            "DITA has no line break element: written as a newline, which renders as a space",
        );
        Node::Text("\n".into())
    }

    fn link(&mut self, link: &Link, ctx: InlineCtx) -> Vec<Node> {
        let content_ctx = InlineCtx { xref: false, ..ctx };
        let content = self.inlines(&link.content, content_ctx);
        if !ctx.xref {
            self.warn(
                crate::codes::DITA_LINK_IN_TITLE,
                format!("DITA titles cannot hold links: the link to `{}` is kept as its text only", link.href),
            );
            return content;
        }
        let desc = link.title.as_ref().map(|t| Node::from(El::new("desc").text(t.clone())));
        match self.target_xref(&link.target, &link.href) {
            Some(xref) => vec![xref.children(content).children(desc).into()],
            None => content,
        }
    }

    /// The `xref` for a resolved target, without content; `None` when the target is broken,
    /// whose text then stands alone (the reader has already reported it).
    pub fn target_xref(&mut self, target: &LinkTarget, href: &str) -> Option<El> {
        match target {
            LinkTarget::Page { key, anchor } => match self.plan.xref_href(key, anchor.as_deref()) {
                Some(h) => Some(El::new("xref").attr("href", h).attr("format", "dita")),
                None => {
                    self.warn(
                        crate::codes::DITA_UNKNOWN_PAGE,
                        format!("no topic for page key `{key}`: `{href}` is kept as text"),
                    );
                    None
                }
            },
            LinkTarget::Asset { path } => match self.plan.asset_href(path) {
                Some(h) => {
                    Some(El::new("xref").attr("href", h).attr("format", file_format(path)).attr("scope", "local"))
                }
                None => {
                    self.warn(
                        crate::codes::DITA_ASSET_UNPLANNED,
                        format!("asset `{path}` was not copied: `{href}` is kept as text"),
                    );
                    None
                }
            },
            LinkTarget::External { url } => {
                let href = crate::text::encode_url(url).into_owned();
                Some(El::new("xref").attr("href", href).attr("scope", "external").attr("format", "html"))
            }
            LinkTarget::Broken { .. } => None,
        }
    }

    fn inline_image(&mut self, image: &Image, ctx: InlineCtx) -> Node {
        if !ctx.image {
            self.note(
                crate::codes::DITA_IMAGE_AS_TEXT,
                format!("DITA allows no image here: `{}` is written as its alt text", image.src),
            );
            return Node::Text(image.alt.clone());
        }
        match self.image(image, "inline") {
            Some(el) => el.into(),
            None => El::new("ph").attr("outputclass", "image-unavailable").text(image.alt.clone()).into(),
        }
    }

    /// `<image href><alt/></image>`, or `None` for a broken image (already reported).
    pub fn image(&mut self, image: &Image, placement: &'static str) -> Option<El> {
        if image.title.is_some() {
            self.note(
                crate::codes::DITA_IMAGE_TITLE,
                format!("DITA images have no title: the title of `{}` is dropped", image.src),
            );
        }
        let el = match &image.target {
            LinkTarget::Asset { path } => El::new("image").attr("href", self.plan.asset_href(path)?),
            LinkTarget::External { url } => {
                El::new("image").attr("href", crate::text::encode_url(url).into_owned()).attr("scope", "external")
            }
            LinkTarget::Page { .. } | LinkTarget::Broken { .. } => return None,
        };
        Some(el.attr("placement", placement).child(El::new("alt").text(image.alt.clone())))
    }
}

/// `format` of a link to a copied file: its extension, as DITA expects for non-DITA targets.
fn file_format(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((_, ext)) if !ext.is_empty() => ext.to_ascii_lowercase(),
        _ => "unknown".to_string(),
    }
}

/// The runs between hard line breaks at the top level of `inlines`, without empty runs.
/// DITA has no line break, but paragraphs and table entries can be split at them.
pub fn split_lines(inlines: &[Inline]) -> Vec<&[Inline]> {
    inlines
        .split(|i| matches!(i, Inline::LineBreak))
        .map(|run| {
            let start = run.iter().take_while(|i| matches!(i, Inline::SoftBreak)).count();
            run.get(start..).unwrap_or_default()
        })
        .filter(|run| !run.is_empty())
        .collect()
}

/// A title's inlines without the blanks HTML headings often carry at either end.
pub fn trimmed(inlines: &[Inline]) -> Vec<Inline> {
    let blank = |i: &Inline| {
        matches!(i, Inline::SoftBreak | Inline::LineBreak) || matches!(i, Inline::Text(t) if t.trim().is_empty())
    };
    let start = inlines.iter().take_while(|i| blank(i)).count();
    let end = inlines.len() - inlines.iter().rev().take_while(|i| blank(i)).count();
    let mut run: Vec<Inline> = inlines.get(start..end.max(start)).unwrap_or_default().to_vec();
    if let Some(Inline::Text(t)) = run.first_mut() {
        *t = t.trim_start().to_string();
    }
    if let Some(Inline::Text(t)) = run.last_mut() {
        *t = t.trim_end().to_string();
    }
    run
}
