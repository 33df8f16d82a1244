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
        ctx.warn(
            w.start,
            crate::codes::CONTAINER_UNKNOWN,
            format!("{opener}{} is not a container this site registers; its content is kept", w.name),
        );
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
            let image = meaning.title.map(|src| Image {
                pos,
                src,
                target: super::unresolved(),
                alt: String::new(),
                title: None,
            });
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

/// An HTML wrapper on its own lines (`<div class="fr-card">` … `</div>`) is rebuilt as one
/// element, whose children are the HTML blocks and wrappers inside it and, in their places, the
/// blocks of the Markdown, Nunjucks and containers between them; it is then mapped as any HTML
/// is (DSFR components to their blocks, layout wrappers vanishing), so that a component reads
/// the same whether it comes as one block or spread over lines.
fn html_wrapper(ctx: &mut PageCtx, w: &Wrapper) -> Vec<Block> {
    match wrapper_element(ctx, w) {
        Some(element) => html::to_blocks(&[html::HtmlNode::Element(element)], ctx),
        None => to_blocks(ctx, &w.children),
    }
}

fn wrapper_element(ctx: &mut PageCtx, w: &Wrapper) -> Option<html::Element> {
    let (tag, _) = html::parse_tag(&w.args)?;
    let mut element = html::Element { name: tag.name, attrs: tag.attrs, children: Vec::new(), offset: w.start };
    if html::is_navigation(&element) {
        // Dropped whole (with a note): its content is not even read.
        return Some(element);
    }
    for child in &w.children {
        match child {
            Node::HtmlWrapper(inner) => match wrapper_element(ctx, inner) {
                Some(e) => element.children.push(html::HtmlNode::Element(e)),
                None => {
                    let blocks = to_blocks(ctx, &inner.children);
                    element.children.push(html::HtmlNode::Blocks(blocks, inner.start));
                }
            },
            Node::HtmlBlock(range) => {
                element.children.extend(html::parse_fragment(ctx.text, range.clone(), ctx.max_depth));
            }
            Node::Markdown(range) => {
                let blocks = to_blocks(ctx, std::slice::from_ref(child));
                element.children.push(html::HtmlNode::Blocks(blocks, range.start));
            }
            Node::Component { offset, .. } => {
                let blocks = to_blocks(ctx, std::slice::from_ref(child));
                element.children.push(html::HtmlNode::Blocks(blocks, *offset));
            }
            Node::Container(c) => {
                let blocks = to_blocks(ctx, std::slice::from_ref(child));
                element.children.push(html::HtmlNode::Blocks(blocks, c.start));
            }
        }
    }
    Some(element)
}

pub fn alert_kind(class: &str) -> CalloutKind {
    match class {
        c if c.contains("fr-alert--warning") => CalloutKind::Warning,
        c if c.contains("fr-alert--error") => CalloutKind::Error,
        c if c.contains("fr-alert--success") => CalloutKind::Success,
        _ => CalloutKind::Info,
    }
}
