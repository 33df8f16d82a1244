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

/// The nested block lists of a block.
pub fn child_blocks(block: &Block) -> Vec<&[Block]> {
    match block {
        Block::List(l) => l.items.iter().map(|i| i.blocks.as_slice()).collect(),
        Block::BlockQuote(q) => vec![&q.blocks],
        Block::Callout(c) => vec![&c.blocks],
        Block::QuoteFigure(q) => vec![&q.blocks],
        Block::Section(s) => vec![&s.blocks],
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
        | Block::Raw(_) => Vec::new(),
    }
}

/// The inline runs held directly by a block (not by its child blocks).
pub fn block_inlines(block: &Block) -> Vec<&[Inline]> {
    match block {
        Block::Heading(h) => vec![&h.content],
        Block::Paragraph(p) => vec![&p.content],
        Block::Table(t) => t.header.iter().chain(t.rows.iter().flatten()).map(|c| c.as_slice()).collect(),
        Block::Figure(f) => vec![&f.caption],
        Block::Section(s) => vec![&s.title],
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
        | Block::Raw(_) => Vec::new(),
    }
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
    let runs: Vec<&mut Vec<Inline>> = match block {
        Block::Heading(h) => vec![&mut h.content],
        Block::Paragraph(p) => vec![&mut p.content],
        Block::Table(t) => t.header.iter_mut().chain(t.rows.iter_mut().flatten()).collect(),
        Block::Figure(fig) => vec![&mut fig.caption],
        Block::Section(s) => vec![&mut s.title],
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
        | Block::Raw(_) => Vec::new(),
    };
    for run in runs {
        visit_inlines_mut(run, f);
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
