//! Private-use characters threaded through a page's template so that its rendered text can be
//! traced back: where each source line went, which output came whole from a component or an
//! include (an HTML island, read as one HTML fragment as markdown-it reads an HTML block), and
//! where a component known by its meaning stands.

use std::ops::Range;

const LINE: char = '\u{E000}';
const LINE_END: char = '\u{E001}';
const ISLAND_OPEN: char = '\u{E002}';
const ISLAND_CLOSE: char = '\u{E003}';
pub const COMPONENT: char = '\u{E004}';
pub const COMPONENT_END: char = '\u{E005}';

/// True when a text already holds one of these characters: it is then rendered without line
/// markers, since they could not be told apart.
pub fn collides(text: &str) -> bool {
    text.contains(|c: char| ('\u{E000}'..='\u{E005}').contains(&c))
}

pub fn line_marker(line: u32) -> String {
    format!("{LINE}{line}{LINE_END}")
}

pub fn island(content: &str) -> String {
    format!("{ISLAND_OPEN}{content}{ISLAND_CLOSE}")
}

pub const ISLAND_OPEN_STR: &str = "\u{E002}";
pub const ISLAND_CLOSE_STR: &str = "\u{E003}";

pub fn component_placeholder(index: usize) -> String {
    format!("{COMPONENT}{index}{COMPONENT_END}")
}

/// `text` starts with a component placeholder: its index and length.
pub fn component_at(text: &str) -> Option<(usize, usize)> {
    let rest = text.strip_prefix(COMPONENT)?;
    let end = rest.find(COMPONENT_END)?;
    let index = rest[..end].parse().ok()?;
    Some((index, COMPONENT.len_utf8() + end + COMPONENT_END.len_utf8()))
}

/// A rendered text with its markers taken out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Traced {
    pub text: String,
    /// (offset in `text`, source line) at each traced line start, in order.
    pub lines: Vec<(usize, u32)>,
    /// Outermost islands, in order.
    pub islands: Vec<Range<usize>>,
}

pub fn strip(rendered: &str) -> Traced {
    let mut out = Traced { text: String::with_capacity(rendered.len()), ..Traced::default() };
    let mut depth = 0usize;
    let mut island_start = 0;
    let mut rest = rendered;
    while let Some(i) = rest.find(|c: char| ('\u{E000}'..='\u{E003}').contains(&c)) {
        out.text.push_str(&rest[..i]);
        let c = rest[i..].chars().next().unwrap_or(LINE);
        rest = &rest[i + c.len_utf8()..];
        match c {
            LINE => {
                let end = rest.find(LINE_END).unwrap_or(rest.len());
                if let Ok(line) = rest[..end].parse() {
                    out.lines.push((out.text.len(), line));
                }
                rest = rest.get(end + LINE_END.len_utf8()..).unwrap_or("");
            }
            ISLAND_OPEN => {
                if depth == 0 {
                    island_start = out.text.len();
                }
                depth += 1;
            }
            ISLAND_CLOSE if depth > 0 => {
                depth -= 1;
                if depth == 0 && out.text.len() > island_start {
                    out.islands.push(island_start..out.text.len());
                }
            }
            _ => {}
        }
    }
    out.text.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_markers_are_removed_and_remembered() {
        let t = strip(&format!("{}a\n{}b", line_marker(3), line_marker(4)));
        assert_eq!(t.text, "a\nb");
        assert_eq!(t.lines, vec![(0, 3), (2, 4)]);
    }

    #[test]
    fn only_the_outermost_island_is_kept() {
        let t = strip(&format!("x\n{}", island(&format!("<div>{}</div>", island("<p>a</p>")))));
        assert_eq!(t.text, "x\n<div><p>a</p></div>");
        assert_eq!(t.islands, vec![2..t.text.len()]);
    }

    #[test]
    fn component_placeholder_reads_back() {
        let p = component_placeholder(12);
        assert_eq!(component_at(&format!("{p} tail")), Some((12, p.len())));
    }
}
