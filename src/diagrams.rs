//! Diagrams drawn once per distinct source and shared by every exporter.
//!
//! The reader stores each diagram's source and a digest in the model; the build renders
//! every distinct digest once into this store. An exporter that finds no rendering for a
//! digest prints the diagram's source as code instead, so nothing is lost.

use crate::model::{Block, Corpus, DiagramBlock};
use rayon::prelude::*;
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
                found.push((page.source.as_str(), &**d));
            }
        });
    }
    found
}

/// The participants of a Mermaid sequence diagram, by the names readers see, in order of
/// first appearance (`participant U as Utilisateur` is "Utilisateur", also when arrows say `U`).
pub fn sequence_participants(source: &str) -> Vec<String> {
    let mut aliases: Vec<(String, String)> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut add = |id: &str, aliases: &[(String, String)]| {
        let id = id.trim();
        let name = aliases.iter().find(|(i, _)| i == id).map_or(id, |(_, n)| n.as_str()).to_string();
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    };
    for line in source.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("participant ").or_else(|| line.strip_prefix("actor ")) {
            let (id, name) = rest.split_once(" as ").unwrap_or((rest, rest));
            aliases.push((id.trim().to_string(), name.trim().to_string()));
            add(id, &aliases);
        } else if let Some((from, rest)) = split_arrow(line) {
            add(from, &aliases);
            add(rest.split(':').next().unwrap_or(""), &aliases);
        }
    }
    names
}

/// Splits `A->>B: text` into `("A", "B: text")` for any Mermaid arrow.
fn split_arrow(line: &str) -> Option<(&str, &str)> {
    const ARROWS: [&str; 10] = ["-->>", "->>", "-->", "->", "--x", "-x", "--)", "-)", "<<->>", "<<-->>"];
    let (idx, arrow) =
        ARROWS.iter().filter_map(|a| line.find(a).map(|i| (i, *a))).min_by_key(|(i, a)| (*i, usize::MAX - a.len()))?;
    let rest = line[idx + arrow.len()..].trim_start_matches(['+', '-']);
    Some((&line[..idx], rest))
}

/// The alt text of a diagram, in the site's language (French or English): its kind plus its
/// participants.
pub fn describe(source: &str, language: &str) -> String {
    let kind = source.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("diagram");
    let participants = sequence_participants(source);
    let french = crate::text::is_french(language);
    match (kind.starts_with("sequenceDiagram") && !participants.is_empty(), french) {
        (true, true) => format!("Diagramme de séquence entre {}", participants.join(", ")),
        (true, false) => format!("Sequence diagram between {}", participants.join(", ")),
        (false, true) => format!("Diagramme ({kind})"),
        (false, false) => format!("Diagram ({kind})"),
    }
}

/// Renders every distinct diagram of the corpus once. Diagrams that cannot be drawn are
/// reported here, once, with their file and line, and left out of the store: exporters then
/// print their source, so nothing is lost.
pub fn render_all(corpus: &Corpus, diags: &mut Vec<crate::diagnostics::Diagnostic>) -> DiagramStore {
    let mut distinct: BTreeMap<&str, (&str, &DiagramBlock)> = BTreeMap::new();
    for (file, diagram) in corpus_diagrams(corpus) {
        distinct.entry(diagram.digest.as_str()).or_insert((file, diagram));
    }
    let mut store = DiagramStore::empty();
    if distinct.is_empty() {
        return store;
    }
    let renderer = match crate::mermaid::MermaidRenderer::new() {
        Ok(r) => r,
        Err(e) => {
            diags.push(crate::diagnostics::Diagnostic::error(
                crate::codes::DIAGRAM_RENDERER,
                "",
                crate::model::Pos::default(),
                e,
            ));
            return store;
        }
    };
    // Distinct diagrams are drawn side by side; the store and the diagnostics keep the
    // order of their digests.
    let language = corpus.site.language.as_str();
    let drawn: Vec<_> = distinct
        .into_par_iter()
        .map(|(digest, (file, diagram))| (digest, file, diagram, draw(&renderer, diagram, language)))
        .collect();
    for (digest, file, diagram, result) in drawn {
        match result {
            Ok(rendered) => store.insert(digest.to_string(), rendered),
            Err(e) => diags.push(crate::diagnostics::Diagnostic::warning(
                crate::codes::DIAGRAM_INVALID,
                file,
                diagram.pos,
                format!("cannot draw this Mermaid diagram ({e}); its source is printed instead"),
            )),
        }
    }
    store
}

fn draw(
    renderer: &crate::mermaid::MermaidRenderer,
    diagram: &DiagramBlock,
    language: &str,
) -> Result<RenderedDiagram, String> {
    let id = format!("diagram-{}", diagram.digest.get(..12).unwrap_or(&diagram.digest));
    // The renderer is third-party code fed untrusted text: a panic must cost one diagram only.
    let drawn = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| renderer.draw(&diagram.source, &id)))
        .map_err(|_| "the renderer crashed on it".to_string())??;
    Ok(RenderedDiagram {
        svg: drawn.svg,
        width: drawn.width,
        height: drawn.height,
        description: describe(&diagram.source, language),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn participants_come_from_declarations_and_arrows() {
        let src = "sequenceDiagram\n participant U as Usager\n U->>FS: clic\n FS-->>FC: redirect\n";
        assert_eq!(sequence_participants(src), ["Usager", "FS", "FC"]);
    }

    #[test]
    fn description_names_the_participants() {
        assert_eq!(describe("sequenceDiagram\nA->>B: hi", "en"), "Sequence diagram between A, B");
        assert_eq!(describe("sequenceDiagram\nA->>B: hi", "fr"), "Diagramme de séquence entre A, B");
    }
}
