//! Reading the topics back, for the fidelity audit, with what a DITA processor prints
//! beyond the text: the label of a note of type "other" (its `othertype`, where a callout's
//! title goes) and the numbers of the steps of a task (where a heading's "2." goes).

use crate::exporter::Outputs;
use crate::fidelity::{count, markup_text, Counts, ReadBack};
use memchr::memmem;
use rayon::prelude::*;
use std::borrow::Cow;

pub fn read_back(files: &dyn Outputs) -> anyhow::Result<ReadBack> {
    let topics: Vec<&str> =
        files.paths().into_iter().filter(|n| n.starts_with("topics/") && n.ends_with(".dita")).collect();
    ReadBack::gather_texts(topics.par_iter().map(|path| {
        let bytes = files.read(path)?;
        // Topics folio wrote are UTF-8: the strict check is the fast one.
        let topic = std::str::from_utf8(&bytes).map_or_else(|_| String::from_utf8_lossy(&bytes), Cow::Borrowed);
        let mut text = markup_text(&topic);
        text.push('\n');
        text.push_str(&printed_labels(&topic));
        Ok(Some((text, Some(tally(&topic)))))
    }))
}

/// Note labels and step numbers, one per line.
fn printed_labels(topic: &str) -> String {
    let mut out = String::new();
    const OTHERTYPE: &str = " othertype=\"";
    for i in memmem::find_iter(topic.as_bytes(), OTHERTYPE) {
        let value = &topic[i + OTHERTYPE.len()..];
        if let Some(end) = value.find('"') {
            out.push_str(&html_escape::decode_html_entities(&value[..end]));
            out.push('\n');
        }
    }
    // What follows each `<steps>`, up to the next one, and in it up to `</steps>`.
    const STEPS: &str = "<steps>";
    let starts: Vec<usize> = memmem::find_iter(topic.as_bytes(), STEPS).map(|i| i + STEPS.len()).collect();
    for (k, &start) in starts.iter().enumerate() {
        let piece = &topic[start..starts.get(k + 1).map_or(topic.len(), |next| next - STEPS.len())];
        let body = memmem::find(piece.as_bytes(), b"</steps>").map_or(piece, |end| &piece[..end]);
        for n in 1..=count(body, "<step>") + count(body, "<step ") {
            out.push_str(&format!("{n}\n"));
        }
    }
    out
}

fn tally(topic: &str) -> Counts {
    // Drawn diagrams are the SVG files under images/diagrams/ (pictures there are assets).
    let diagrams = memmem::find_iter(topic.as_bytes(), "<image href=\"../images/diagrams/")
        .filter(|i| topic[*i..].split('"').nth(1).is_some_and(|h| h.ends_with(".svg")))
        .count();
    Counts { pages: 1, links: count(topic, "<xref "), images: count(topic, "<image ") - diagrams, diagrams }
}

#[cfg(test)]
mod tests {
    #[test]
    fn note_labels_and_step_numbers_are_read_as_printed() {
        let topic = r#"<note type="other" othertype="En bref"><p>x</p></note><steps><step><cmd>a</cmd></step><step><cmd>b</cmd></step></steps>"#;
        assert_eq!(super::printed_labels(topic), "En bref\n1\n2\n");
    }

    #[test]
    fn each_steps_list_is_numbered_from_one_up_to_its_own_end() {
        let topic = "<steps><step>a</step></steps><step>outside</step><steps><step/><step>b</step><step>c</step>";
        assert_eq!(super::printed_labels(topic), "1\n1\n2\n");
    }
}
