//! The body of a concept: headings become `section`s and `sectiondiv`s.
//!
//! DITA sections cannot nest, so the rule is:
//! - a heading opens a `<section>` unless an open section has a shallower level;
//! - a deeper heading opens a `<sectiondiv>` inside it (closing deeper-or-equal ones), whose
//!   first child is a bold title paragraph — sectiondivs nest, so h3 ⊃ h4 ⊃ h5 is kept;
//! - a `SectionBlock` (accordion) is a `sectiondiv` of the open section, whatever its level,
//!   since on the site it belongs to the heading above it; with no open section it is a
//!   `<section>` itself;
//! - blocks before the first heading stay in `conbody` ahead of the sections, and blocks left
//!   after a section-level accordion go into an untitled `<section>`, since `conbody`
//!   accepts no block after its first section.

use super::blocks::Container;
use super::inlines::{trimmed, InlineCtx};
use super::page::PageWriter;
use super::xml::El;
use crate::model::{Attr, Block, Inline, Pos, SectionBlock};

/// Deeper than any heading: an untitled section is closed by whatever heading comes next.
const UNTITLED: u8 = 7;

struct Frame {
    level: u8,
    el: El,
}

/// Open sections: `frames[0]` is a `section`, the others nested `sectiondiv`s.
struct Outline {
    body: El,
    frames: Vec<Frame>,
    had_section: bool,
}

impl Outline {
    fn close_top(&mut self) {
        if let Some(frame) = self.frames.pop() {
            match self.frames.last_mut() {
                Some(parent) => parent.el.push(frame.el),
                None => {
                    self.body.push(frame.el);
                    self.had_section = true;
                }
            }
        }
    }

    /// Closes frames above `floor` whose level is `level` or deeper.
    fn close_to(&mut self, level: u8, floor: usize) {
        while self.frames.len() > floor && self.frames.last().is_some_and(|f| f.level >= level) {
            self.close_top();
        }
    }

    fn append(&mut self, nodes: Vec<super::xml::Node>) {
        if self.frames.is_empty() && self.had_section && !nodes.is_empty() {
            self.frames.push(Frame { level: UNTITLED, el: El::new("section") });
        }
        match self.frames.last_mut() {
            Some(frame) => frame.el.children.extend(nodes),
            None => self.body.children.extend(nodes),
        }
    }
}

impl PageWriter<'_> {
    pub fn concept_body(&mut self, blocks: &[Block]) -> El {
        let mut outline = Outline { body: El::new("conbody"), frames: Vec::new(), had_section: false };
        self.outline_blocks(blocks, &mut outline, 0);
        outline.close_to(0, 0);
        outline.body
    }

    fn outline_blocks(&mut self, blocks: &[Block], outline: &mut Outline, floor: usize) {
        for block in blocks {
            // Only headings and sections shape the outline; `block` maps every other kind.
            if let Block::Heading(h) = block {
                self.pos = h.pos;
                outline.close_to(h.level, floor);
                let el = self.opened(outline, h.level, &h.attr, &h.content, h.pos);
                outline.frames.push(Frame { level: h.level, el });
            } else if let Block::Section(s) = block {
                self.section_block(s, outline);
            } else {
                let mut nodes = Vec::new();
                self.block(block, Container::Flow, &mut nodes);
                outline.append(nodes);
            }
        }
    }

    /// An accordion: its content is outlined inside it, then it is closed.
    fn section_block(&mut self, section: &SectionBlock, outline: &mut Outline) {
        self.pos = section.pos;
        if outline.frames.last().is_some_and(|f| f.level == UNTITLED) {
            outline.close_top();
        }
        let el = self.opened(outline, section.level, &section.attr, &section.title, section.pos);
        outline.frames.push(Frame { level: section.level, el });
        let depth = outline.frames.len();
        self.outline_blocks(&section.blocks, outline, depth);
        while outline.frames.len() >= depth {
            outline.close_top();
        }
    }

    /// The element a heading opens: a titled `section` at the top, else a `sectiondiv`.
    fn opened(&mut self, outline: &Outline, level: u8, attr: &Attr, title: &[Inline], pos: Pos) -> El {
        let id = self.element_id(attr);
        let title = &trimmed(title);
        if outline.frames.is_empty() {
            let title = El::new("title").children(self.inlines(title, InlineCtx::TITLE));
            return El::new("section").opt_attr("id", id).attr("outputclass", format!("h{level}")).at(pos).child(title);
        }
        let bold = El::new("b").children(self.inlines(title, InlineCtx { xref: true, image: false }));
        let title = El::new("p").attr("outputclass", "title").child(bold);
        El::new("sectiondiv").opt_attr("id", id).attr("outputclass", format!("h{level}")).at(pos).child(title)
    }
}
