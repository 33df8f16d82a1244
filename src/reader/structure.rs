//! Scanner nodes → blocks: containers, HTML wrappers, HTML blocks, Nunjucks and Markdown.

use super::body::{Node, Wrapper};
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
            Node::Nunjucks(range) => blocks.extend(nunjucks::interpret(ctx, range.clone())),
        }
    }
    blocks
}

/// `:::callout TITLE`, `:::quote [IMAGE]`, `:::table`.
fn container(ctx: &mut PageCtx, w: &Wrapper) -> Vec<Block> {
    let pos = ctx.pos(w.start);
    let blocks = to_blocks(ctx, &w.children);
    let args = (!w.args.is_empty()).then(|| w.args.clone());
    match w.name.as_str() {
        "callout" => vec![Block::Callout(CalloutBlock { pos, kind: CalloutKind::Note, title: args, blocks })],
        "quote" => {
            let image = args.map(|src| Image { pos, src, target: super::unresolved(), alt: String::new(), title: None });
            vec![Block::QuoteFigure(Box::new(QuoteFigureBlock { pos, image, blocks }))]
        }
        // A styling wrapper: the table inside carries the meaning.
        "table" => blocks,
        other => {
            ctx.warn(w.start, "container/unknown", format!(":::{other} is not a known container; its content is kept"));
            blocks
        }
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
            Node::Markdown(range) | Node::Nunjucks(range) => {
                let blocks = to_blocks(ctx, std::slice::from_ref(child));
                element.children.push(html::HtmlNode::Blocks(blocks, range.start));
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
