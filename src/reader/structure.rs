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
            Node::Component { index, offset } => blocks.extend(nunjucks::component(ctx, *index, *offset)),
        }
    }
    blocks
}

/// The containers these sites register with markdown-it-container: `callout TITLE`, `quote
/// [IMAGE]`, `table` (a styling wrapper), the DSFR starter's alerts `info|success|warning|error
/// [TITLE]` and `highlight`, and its `?` accordions (`??? TITLE`, grouped by
/// `????accordionsgroup`).
fn container(ctx: &mut PageCtx, w: &Wrapper) -> Vec<Block> {
    let pos = ctx.pos(w.start);
    let mut blocks = to_blocks(ctx, &w.children);
    let args = (!w.args.is_empty()).then(|| w.args.clone());
    if w.marker == '?' {
        if w.name == "accordionsgroup" {
            return blocks;
        }
        let title = format!("{} {}", w.name, w.args).trim().to_string();
        let title = vec![Inline::Text(title)];
        return vec![Block::Section(Box::new(SectionBlock { pos, level: 3, attr: Attr::default(), title, blocks }))];
    }
    let callout = |kind: CalloutKind, title: Option<String>, blocks: Vec<Block>| vec![Block::Callout(CalloutBlock { pos, kind, title, blocks })];
    match w.name.as_str() {
        "callout" => callout(CalloutKind::Note, args, blocks),
        "info" => callout(CalloutKind::Info, args, blocks),
        "success" => callout(CalloutKind::Success, args, blocks),
        "warning" => callout(CalloutKind::Warning, args, blocks),
        "error" => callout(CalloutKind::Error, args, blocks),
        "highlight" => callout(CalloutKind::Note, args, blocks),
        "quote" => {
            let image = args.map(|src| Image { pos, src, target: super::unresolved(), alt: String::new(), title: None });
            vec![Block::QuoteFigure(Box::new(QuoteFigureBlock { pos, image, blocks }))]
        }
        // A styling wrapper: the table inside carries the meaning.
        "table" => blocks,
        other => {
            ctx.warn(w.start, "container/unknown", format!(":::{other} is not a known container; its content is kept"));
            if let Some(args) = args {
                let pos = ctx.pos(w.start);
                blocks.insert(0, Block::Paragraph(ParagraphBlock { pos, content: vec![Inline::Text(args)] }));
            }
            blocks
        }
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
