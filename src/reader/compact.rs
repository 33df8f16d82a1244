//! Gives every list of a finished page an allocation of exactly its length.
//!
//! The builders push into `Vec`s, which grow from four elements by doubling, while most runs
//! of inlines hold one or two: much of the model's memory was room never used. The Markdown
//! builder gives a first element room for exactly one; a list that grew past that is moved
//! here into an allocation of its length (mimalloc does not shrink a block in place), and its
//! old block goes back to the thread's free list, where the next page's builder picks it up.

use crate::model::*;

pub fn blocks(blocks: &mut Vec<Block>) {
    exact(blocks);
    blocks.iter_mut().for_each(block);
}

fn block(block: &mut Block) {
    match block {
        Block::Heading(h) => inlines(&mut h.content),
        Block::Paragraph(p) => inlines(&mut p.content),
        Block::List(l) => {
            exact(&mut l.items);
            l.items.iter_mut().for_each(|item| blocks(&mut item.blocks));
        }
        Block::BlockQuote(q) => blocks(&mut q.blocks),
        Block::Table(t) => {
            exact(&mut t.header);
            t.header.iter_mut().for_each(inlines);
            exact(&mut t.rows);
            for row in &mut t.rows {
                exact(row);
                row.iter_mut().for_each(inlines);
            }
        }
        Block::Figure(f) => inlines(&mut f.caption),
        Block::Callout(c) => blocks(&mut c.blocks),
        Block::QuoteFigure(q) => blocks(&mut q.blocks),
        Block::Section(s) => {
            inlines(&mut s.title);
            blocks(&mut s.blocks);
        }
        Block::Card(c) => exact(&mut c.tags),
        Block::PageList(l) => exact(&mut l.items),
        Block::SeeAlsoList(l) => exact(&mut l.items),
        Block::Code(_) | Block::Diagram(_) | Block::ThematicBreak(_) | Block::Raw(_) => {}
    }
}

fn inlines(inlines: &mut Vec<Inline>) {
    exact(inlines);
    for inline in inlines {
        match inline {
            Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strikethrough(c) => self::inlines(c),
            Inline::Link(link) => self::inlines(&mut link.content),
            Inline::Text(_) | Inline::Code(_) | Inline::LineBreak | Inline::SoftBreak | Inline::Image(_) => {}
        }
    }
}

/// `list` moved into an allocation of its length, when it has room to spare.
fn exact<T>(list: &mut Vec<T>) {
    if list.capacity() > list.len() {
        let mut tight = Vec::with_capacity(list.len());
        tight.append(list);
        *list = tight;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.to_string())
    }

    #[test]
    fn nested_lists_keep_their_content_and_lose_their_spare_room() {
        let mut emphasis = Vec::with_capacity(16);
        emphasis.push(text("deux"));
        let mut content = Vec::with_capacity(8);
        content.extend([text("un "), Inline::Emphasis(emphasis)]);
        let mut item_blocks = Vec::with_capacity(4);
        item_blocks.push(Block::Paragraph(ParagraphBlock { pos: Pos::default(), content }));
        let mut page = Vec::with_capacity(4);
        page.push(Block::List(ListBlock {
            pos: Pos::default(),
            start: None,
            items: vec![ListItem { blocks: item_blocks }],
        }));
        let before = page.clone();

        blocks(&mut page);

        assert_eq!(page, before);
        assert_eq!(page.capacity(), 1);
        let Block::List(list) = &page[0] else { unreachable!("a list") };
        assert_eq!(list.items[0].blocks.capacity(), 1);
        let Block::Paragraph(p) = &list.items[0].blocks[0] else { unreachable!("a paragraph") };
        assert_eq!(p.content.capacity(), 2);
        let Inline::Emphasis(e) = &p.content[1] else { unreachable!("emphasis") };
        assert_eq!(e.capacity(), 1);
    }

    #[test]
    fn an_empty_list_frees_its_allocation() {
        let mut empty: Vec<Block> = Vec::with_capacity(4);
        blocks(&mut empty);
        assert_eq!(empty.capacity(), 0);
    }
}
