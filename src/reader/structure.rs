//! Scanner nodes → blocks: containers, HTML wrappers, HTML blocks, Nunjucks and Markdown.

use super::body::{Node, Wrapper};
use super::containers::ContainerKind;
use super::{html, markdown, nunjucks, PageCtx};
use crate::model::*;

pub fn to_blocks(ctx: &mut PageCtx, nodes: &[Node]) -> Vec<Block> {
    let mut blocks = Vec::new();
    for node in nodes {
        match node {
            Node::Markdown(range) => blocks.extend(markdown::parse(ctx, range.clone())),
            Node::Container(w) => blocks.extend(container(ctx, w)),
            Node::HtmlWrapper(w) => blocks.extend(html_wrapper(ctx, w)),
            Node::HtmlBlock(range) => {
                let nodes = html::parse_fragment(ctx.text, range.clone(), ctx.max_depth);
                blocks.extend(html::to_blocks(&nodes, ctx));
            }
            Node::Component { index, offset } => blocks.extend(nunjucks::component(ctx, *index, *offset)),
        }
    }
    blocks
}

/// A container, as the site's rules say (`containers.rs`); an unknown one keeps its content
/// and the text of its arguments, with a warning.
fn container(ctx: &mut PageCtx, w: &Wrapper) -> Vec<Block> {
    let pos = ctx.pos(w.start);
    let mut blocks = to_blocks(ctx, &w.children);
    let Some(meaning) = ctx.containers.resolve(w.marker, &w.name, &w.args) else {
        let opener = String::from(w.marker).repeat(w.markers.min(4));
        ctx.warn(w.start, "container/unknown", format!("{opener}{} is not a container this site registers; its content is kept", w.name));
        if !w.args.is_empty() {
            blocks.insert(0, Block::Paragraph(ParagraphBlock { pos, content: vec![Inline::Text(w.args.clone())] }));
        }
        return blocks;
    };
    let callout = |title, blocks| vec![Block::Callout(CalloutBlock { pos, kind: meaning.callout, title, blocks })];
    match meaning.kind {
        ContainerKind::Alert | ContainerKind::Callout => callout(meaning.title, blocks),
        ContainerKind::Highlight => {
            if let Some(title) = meaning.title {
                blocks.insert(0, Block::Paragraph(ParagraphBlock { pos, content: vec![Inline::Text(title)] }));
            }
            callout(None, blocks)
        }
        ContainerKind::Quote => {
            let image = meaning.title.map(|src| Image { pos, src, target: super::unresolved(), alt: String::new(), title: None });
            vec![Block::QuoteFigure(Box::new(QuoteFigureBlock { pos, image, blocks }))]
        }
        ContainerKind::Accordion => {
            let title = meaning.title.map(|t| vec![Inline::Text(t)]).unwrap_or_default();
            vec![Block::Section(Box::new(SectionBlock { pos, level: 3, attr: Attr::default(), title, blocks }))]
        }
        // Styling and grouping: the content carries the meaning.
        ContainerKind::AccordionGroup | ContainerKind::Wrapper => blocks,
    }
}

/// `<section class="fr-accordion">` and `<div class="fr-alert">` carry meaning; any other
/// wrapper (`fr-table`, grid rows and columns) is layout and vanishes, content kept.
fn html_wrapper(ctx: &mut PageCtx, w: &Wrapper) -> Vec<Block> {
    let element = html::parse_tag(&w.args).map(|(tag, _)| html::Element { name: tag.name, attrs: tag.attrs, children: Vec::new(), offset: w.start });
    let pos = ctx.pos(w.start);
    let mut blocks = to_blocks(ctx, &w.children);
    let Some(element) = element else { return blocks };
    if element.name == "section" && element.has_class("fr-accordion") {
        let (title, level) = take_title(&mut blocks, "fr-accordion__title");
        return vec![Block::Section(Box::new(SectionBlock { pos, level: level.unwrap_or(3), attr: Attr::default(), title, blocks }))];
    }
    if element.name == "div" && element.has_class("fr-alert") {
        let class = element.attr("class").unwrap_or("");
        let kind = alert_kind(class);
        let (title, _) = take_title(&mut blocks, "fr-alert__title");
        let title = (!title.is_empty()).then(|| crate::text::plain_text(&title));
        return vec![Block::Callout(CalloutBlock { pos, kind, title, blocks })];
    }
    blocks
}

pub fn alert_kind(class: &str) -> CalloutKind {
    match class {
        c if c.contains("fr-alert--warning") => CalloutKind::Warning,
        c if c.contains("fr-alert--error") => CalloutKind::Error,
        c if c.contains("fr-alert--success") => CalloutKind::Success,
        _ => CalloutKind::Info,
    }
}

/// Removes the title heading (the one with `class`, else the first heading) from `blocks`.
fn take_title(blocks: &mut Vec<Block>, class: &str) -> (Vec<Inline>, Option<u8>) {
    let is_titled = |b: &Block| matches!(b, Block::Heading(h) if h.attr.classes.iter().any(|c| c == class));
    let idx = blocks.iter().position(is_titled).or_else(|| blocks.iter().position(|b| matches!(b, Block::Heading(_))));
    match idx.map(|i| blocks.remove(i)) {
        Some(Block::Heading(h)) => (h.content, Some(h.level)),
        _ => (Vec::new(), None),
    }
}
