//! Tasks: the pages that are a numbered procedure, written as `steps/step/cmd`.
//!
//! A page is a task when, and only when:
//! 1. its body has at least two headings outside any container, all of one level;
//! 2. their texts start, in order, with the ordinals `1.`, `2.`, … (or `1)`, `2)`, …) written
//!    as plain text at the start of the heading;
//! 3. there is no other heading or accordion anywhere in the page (the steps are the page's
//!    whole structure).
//!
//! Then the blocks before the first step are the `<context>`, each heading is a `<step>`
//! (its text without the ordinal is the `<cmd>`, DITA numbers steps itself), the blocks up
//! to the next step are its `<info>`, and "En bref" callouts that end the page are its
//! `<result>` (the site's short answer, not part of the last step).

use super::blocks::Container;
use super::inlines::InlineCtx;
use super::page::PageWriter;
use super::xml::El;
use crate::model::{Block, HeadingBlock, Inline, Page};
use crate::walk::{child_blocks, visit_blocks};

pub struct Step<'a> {
    pub heading: &'a HeadingBlock,
    pub command: Vec<Inline>,
    pub info: &'a [Block],
}

pub struct TaskShape<'a> {
    pub context: &'a [Block],
    pub steps: Vec<Step<'a>>,
    pub result: &'a [Block],
}

pub fn is_task(page: &Page) -> bool {
    task_shape(page).is_some()
}

pub fn task_shape(page: &Page) -> Option<TaskShape<'_>> {
    let blocks = page.blocks.as_slice();
    let heads: Vec<(usize, &HeadingBlock)> = blocks
        .iter()
        .enumerate()
        .filter_map(|(i, b)| if let Block::Heading(h) = b { Some((i, &**h)) } else { None })
        .collect();
    let (first_index, first) = *heads.first()?;
    if heads.len() < 2 || heads.iter().any(|(_, h)| h.level != first.level) || has_nested_structure(blocks) {
        return None;
    }
    let mut steps = Vec::new();
    for (n, (index, heading)) in heads.iter().enumerate() {
        let command = strip_ordinal(&heading.content, n + 1)?;
        let end = heads.get(n + 1).map_or(blocks.len(), |(next, _)| *next);
        steps.push(Step { heading, command, info: blocks.get(index + 1..end)? });
    }
    let last = steps.last_mut()?;
    let keep = last.info.len() - trailing_summaries(last.info);
    let (info, result) = last.info.split_at(keep);
    last.info = info;
    Some(TaskShape { context: blocks.get(..first_index)?, steps, result })
}

/// An accordion anywhere, or a heading inside any container.
fn has_nested_structure(blocks: &[Block]) -> bool {
    let mut found = false;
    for block in blocks {
        for children in child_blocks(block) {
            visit_blocks(children, &mut |b| found |= matches!(b, Block::Heading(_) | Block::Section(_)));
        }
        found |= matches!(block, Block::Section(_));
    }
    found
}

fn trailing_summaries(blocks: &[Block]) -> usize {
    blocks.iter().rev().take_while(|b| matches!(b, Block::Callout(c) if c.is_summary())).count()
}

/// The heading's inlines without the leading `N.` / `N)`, when its first text has it.
fn strip_ordinal(content: &[Inline], n: usize) -> Option<Vec<Inline>> {
    let (Inline::Text(first), rest) = content.split_first()? else { return None };
    let text = first.trim_start();
    let after = text.strip_prefix(&n.to_string())?;
    let after = after.strip_prefix('.').or_else(|| after.strip_prefix(')'))?;
    let command_text = after.trim_start();
    if !after.starts_with(char::is_whitespace) || (command_text.is_empty() && rest.is_empty()) {
        return None;
    }
    let mut command = vec![Inline::Text(command_text.to_string())];
    command.extend(rest.iter().cloned());
    Some(command)
}

impl PageWriter<'_> {
    pub fn task_body(&mut self, shape: &TaskShape) -> El {
        let mut body = El::new("taskbody");
        if !shape.context.is_empty() {
            body.push(El::new("context").children(self.blocks(shape.context, Container::Flow)));
        }
        let mut steps = El::new("steps");
        for step in &shape.steps {
            self.pos = step.heading.pos;
            let cmd = El::new("cmd").children(self.inlines(&step.command, InlineCtx::FULL));
            let mut el =
                El::new("step").opt_attr("id", self.element_id(&step.heading.attr)).at(step.heading.pos).child(cmd);
            if !step.info.is_empty() {
                el.push(El::new("info").children(self.blocks(step.info, Container::Flow)));
            }
            steps.push(el);
        }
        body.push(steps);
        if !shape.result.is_empty() {
            body.push(El::new("result").children(self.blocks(shape.result, Container::Flow)));
        }
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Vec<Inline> {
        vec![Inline::Text(s.into())]
    }

    #[test]
    fn ordinal_is_stripped_from_the_command() {
        assert_eq!(strip_ordinal(&text("2. Demander"), 2), Some(text("Demander")));
        assert_eq!(strip_ordinal(&text("3) Réaliser"), 3), Some(text("Réaliser")));
    }

    #[test]
    fn heading_without_the_expected_ordinal_is_not_a_step() {
        assert_eq!(strip_ordinal(&text("2. Demander"), 1), None);
        assert_eq!(strip_ordinal(&text("1.5 Version"), 1), None);
        assert_eq!(strip_ordinal(&text("Demander"), 1), None);
    }
}
