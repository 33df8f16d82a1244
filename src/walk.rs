//! Generic traversal of the block tree, for code that needs every block whatever its depth.

use crate::model::{Block, Inline};

/// Calls `f` on every block, parents before children.
pub fn visit_blocks<'a>(blocks: &'a [Block], f: &mut dyn FnMut(&'a Block)) {
    for block in blocks {
        f(block);
        for child in child_blocks(block) {
            visit_blocks(child, f);
        }
    }
}

/// The nested block lists of a block (no allocation: walks run over every block).
pub fn child_blocks(block: &Block) -> impl Iterator<Item = &[Block]> {
    let (single, items) = match block {
        Block::List(l) => (None, Some(&l.items)),
        Block::BlockQuote(q) => (Some(&q.blocks), None),
        Block::Callout(c) => (Some(&c.blocks), None),
        Block::QuoteFigure(q) => (Some(&q.blocks), None),
        Block::Section(s) => (Some(&s.blocks), None),
        Block::Heading(_)
        | Block::Paragraph(_)
        | Block::Code(_)
        | Block::Diagram(_)
        | Block::Table(_)
        | Block::Figure(_)
        | Block::Card(_)
        | Block::PageList(_)
        | Block::SeeAlsoList(_)
        | Block::ThematicBreak(_)
        | Block::Raw(_) => (None, None),
    };
    single.into_iter().chain(items.into_iter().flatten().map(|item| &item.blocks)).map(Vec::as_slice)
}

/// The inline runs held directly by a block (not by its child blocks).
pub fn block_inlines(block: &Block) -> impl Iterator<Item = &[Inline]> {
    let (single, table) = match block {
        Block::Heading(h) => (Some(&h.content), None),
        Block::Paragraph(p) => (Some(&p.content), None),
        Block::Table(t) => (None, Some(t)),
        Block::Figure(f) => (Some(&f.caption), None),
        Block::Section(s) => (Some(&s.title), None),
        Block::List(_)
        | Block::BlockQuote(_)
        | Block::Code(_)
        | Block::Diagram(_)
        | Block::Callout(_)
        | Block::QuoteFigure(_)
        | Block::Card(_)
        | Block::PageList(_)
        | Block::SeeAlsoList(_)
        | Block::ThematicBreak(_)
        | Block::Raw(_) => (None, None),
    };
    let cells = table.into_iter().flat_map(|t| t.header.iter().chain(t.rows.iter().flatten()));
    single.into_iter().chain(cells).map(Vec::as_slice)
}

/// Calls `f` on every inline, containers before their content.
pub fn visit_inlines<'a>(inlines: &'a [Inline], f: &mut dyn FnMut(&'a Inline)) {
    for inline in inlines {
        f(inline);
        match inline {
            Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strikethrough(c) => visit_inlines(c, f),
            Inline::Link(l) => visit_inlines(&l.content, f),
            Inline::Text(_) | Inline::Code(_) | Inline::LineBreak | Inline::SoftBreak | Inline::Image(_) => {}
        }
    }
}

/// Calls `f` on every block, mutably, parents before children.
pub fn visit_blocks_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Block)) {
    for block in blocks {
        f(block);
        match block {
            Block::List(l) => l.items.iter_mut().for_each(|i| visit_blocks_mut(&mut i.blocks, f)),
            Block::BlockQuote(q) => visit_blocks_mut(&mut q.blocks, f),
            Block::Callout(c) => visit_blocks_mut(&mut c.blocks, f),
            Block::QuoteFigure(q) => visit_blocks_mut(&mut q.blocks, f),
            Block::Section(s) => visit_blocks_mut(&mut s.blocks, f),
            Block::Heading(_)
            | Block::Paragraph(_)
            | Block::Code(_)
            | Block::Diagram(_)
            | Block::Table(_)
            | Block::Figure(_)
            | Block::Card(_)
            | Block::PageList(_)
            | Block::SeeAlsoList(_)
            | Block::ThematicBreak(_)
            | Block::Raw(_) => {}
        }
    }
}

/// Calls `f` on every inline of a block (not of its child blocks), mutably, recursively.
pub fn visit_block_inlines_mut(block: &mut Block, f: &mut dyn FnMut(&mut Inline)) {
    match block {
        Block::Heading(h) => visit_inlines_mut(&mut h.content, f),
        Block::Paragraph(p) => visit_inlines_mut(&mut p.content, f),
        Block::Table(t) => {
            t.header.iter_mut().chain(t.rows.iter_mut().flatten()).for_each(|cell| visit_inlines_mut(cell, f))
        }
        Block::Figure(fig) => visit_inlines_mut(&mut fig.caption, f),
        Block::Section(s) => visit_inlines_mut(&mut s.title, f),
        Block::List(_)
        | Block::BlockQuote(_)
        | Block::Code(_)
        | Block::Diagram(_)
        | Block::Callout(_)
        | Block::QuoteFigure(_)
        | Block::Card(_)
        | Block::PageList(_)
        | Block::SeeAlsoList(_)
        | Block::ThematicBreak(_)
        | Block::Raw(_) => {}
    }
}

pub fn visit_inlines_mut(inlines: &mut [Inline], f: &mut dyn FnMut(&mut Inline)) {
    for inline in inlines {
        f(inline);
        match inline {
            Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strikethrough(c) => visit_inlines_mut(c, f),
            Inline::Link(l) => visit_inlines_mut(&mut l.content, f),
            Inline::Text(_) | Inline::Code(_) | Inline::LineBreak | Inline::SoftBreak | Inline::Image(_) => {}
        }
    }
}
