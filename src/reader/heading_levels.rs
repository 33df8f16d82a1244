//! Heading levels without gaps: every format publishes a page's headings one level at a time
//! below its title, as accessibility checkers require (a title `h1` followed by an `h3` skips
//! a level), while keeping the source's nesting.
//!
//! The page title is level 1. Each heading (and each titled section, such as a DSFR accordion)
//! takes the level one below the nearest heading before it whose source level is shallower
//! than its own, or below the title when there is none: `h1` title, `h3`, `h4`, `h3` becomes
//! 2, 3, 2. A heading whose level changes gets a `heading/level-shifted` note at its position.
//! Only levels change: ids, and so anchors and links, stay as they were.

use crate::diagnostics::Diagnostic;
use crate::model::{Block, Pos};

/// The deepest heading level of HTML.
const DEEPEST: u8 = 6;

/// An open heading: its level in the source, its published level, and where it is.
#[derive(Clone, Copy)]
struct Open {
    source: u8,
    level: u8,
    pos: Option<Pos>,
}

/// Renumbers the headings of a page's `blocks` (in document order) and reports each change.
pub fn normalise(file: &str, blocks: &mut [Block], diags: &mut Vec<Diagnostic>) {
    // The title is never closed: it stands below every source level.
    let mut open = vec![Open { source: 0, level: 1, pos: None }];
    crate::walk::visit_blocks_mut(blocks, &mut |block| {
        let (level, pos) = match block {
            Block::Heading(h) => (&mut h.level, h.pos),
            Block::Section(s) => (&mut s.level, s.pos),
            _ => return,
        };
        let source = *level;
        while open.len() > 1 && open.last().is_some_and(|o| o.source >= source) {
            open.pop();
        }
        let Some(&parent) = open.last() else { return };
        let published = (parent.level + 1).min(DEEPEST);
        open.push(Open { source, level: published, pos: Some(pos) });
        if published != source {
            *level = published;
            diags.push(Diagnostic::note(
                crate::codes::HEADING_LEVEL_SHIFTED,
                file,
                pos,
                shifted_message(source, published, parent),
            ));
        }
    });
}

fn shifted_message(source: u8, published: u8, parent: Open) -> String {
    let under = match parent.pos {
        None => "the page title (level 1)".to_string(),
        Some(at) => format!("the heading of line {} (published as level {})", at.line, parent.level),
    };
    format!("heading of level {source} published as level {published}, one below {under}, so that no level is skipped")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Attr, HeadingBlock, SectionBlock};

    fn heading(level: u8, line: u32) -> Block {
        let attr = Attr { id: Some(format!("h{line}")), ..Attr::default() };
        Block::Heading(Box::new(HeadingBlock { pos: Pos { line, col: 1 }, level, attr, content: Vec::new() }))
    }

    fn levels(blocks: &[Block]) -> Vec<u8> {
        let mut out = Vec::new();
        crate::walk::visit_blocks(blocks, &mut |b| match b {
            Block::Heading(h) => out.push(h.level),
            Block::Section(s) => out.push(s.level),
            _ => {}
        });
        out
    }

    fn normalised(mut blocks: Vec<Block>) -> (Vec<u8>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        normalise("p.md", &mut blocks, &mut diags);
        (levels(&blocks), diags)
    }

    #[test]
    fn an_h3_right_after_the_title_becomes_an_h2_with_a_note_at_its_position() {
        let (levels, diags) = normalised(vec![heading(3, 4)]);
        assert_eq!(levels, [2]);
        assert_eq!(diags.len(), 1);
        let d = &diags[0];
        assert_eq!(
            (d.code, d.severity, d.file.as_str(), d.line, d.col),
            (crate::codes::HEADING_LEVEL_SHIFTED, crate::diagnostics::Severity::Note, "p.md", 4, 1)
        );
        assert!(d.message.contains("level 3 published as level 2"), "{}", d.message);
    }

    #[test]
    fn consecutive_levels_are_kept_without_a_note() {
        let (levels, diags) = normalised(vec![heading(2, 1), heading(3, 2), heading(4, 3), heading(2, 4)]);
        assert_eq!(levels, [2, 3, 4, 2]);
        assert!(diags.is_empty(), "{diags:?}");
    }

    #[test]
    fn deeper_nesting_is_kept_relative_to_the_shifted_heading() {
        let (levels, diags) =
            normalised(vec![heading(3, 1), heading(5, 2), heading(3, 3), heading(2, 4), heading(4, 5)]);
        assert_eq!(levels, [2, 3, 2, 2, 3]);
        assert_eq!(diags.iter().map(|d| d.line).collect::<Vec<_>>(), [1, 2, 3, 5]);
    }

    #[test]
    fn a_level_1_heading_in_the_body_goes_below_the_title_and_takes_its_subheadings_along() {
        let (levels, _) = normalised(vec![heading(2, 1), heading(1, 2), heading(2, 3), heading(2, 4)]);
        assert_eq!(levels, [2, 2, 3, 3]);
    }

    #[test]
    fn an_accordion_title_is_a_heading_of_the_outline_and_its_content_nests_under_it() {
        let accordion = Block::Section(Box::new(SectionBlock {
            pos: Pos { line: 2, col: 1 },
            level: 3,
            attr: Attr::default(),
            title: Vec::new(),
            blocks: vec![heading(4, 3)],
        }));
        let (levels, _) = normalised(vec![accordion, heading(3, 4)]);
        assert_eq!(levels, [2, 3, 2]);
    }

    #[test]
    fn levels_never_go_past_6() {
        let blocks = (1..=6).map(|l| heading(l, u32::from(l))).collect();
        assert_eq!(normalised(blocks).0, [2, 3, 4, 5, 6, 6]);
    }

    #[test]
    fn ids_are_left_as_they_were() {
        let mut blocks = vec![heading(4, 7)];
        normalise("p.md", &mut blocks, &mut Vec::new());
        let Block::Heading(h) = &blocks[0] else { unreachable!() };
        assert_eq!(h.attr.id.as_deref(), Some("h7"));
    }
}
