//! Reading the topics back, for the fidelity audit, with what a DITA processor prints
//! beyond the text: the label of a note of type "other" (its `othertype`, where a callout's
//! title goes) and the numbers of the steps of a task (where a heading's "2." goes).

use crate::exporter::MemorySink;
use crate::fidelity::{count, markup_text, Counts, ReadBack};

pub fn read_back(files: &MemorySink) -> ReadBack {
    let mut rb = ReadBack::default();
    for (name, bytes) in files.files.iter().filter(|(n, _)| n.starts_with("topics/") && n.ends_with(".dita")) {
        let text = String::from_utf8_lossy(bytes);
        rb.text.push_str(&markup_text(&text));
        rb.text.push('\n');
        rb.text.push_str(&printed_labels(&text));
        tally(name, &text, rb.counts.get_or_insert_with(Counts::default));
    }
    rb
}

/// Note labels and step numbers, one per line.
fn printed_labels(topic: &str) -> String {
    let mut out = String::new();
    for (i, _) in topic.match_indices(" othertype=\"") {
        let value = &topic[i + 12..];
        if let Some(end) = value.find('"') {
            out.push_str(&html_escape::decode_html_entities(&value[..end]));
            out.push('\n');
        }
    }
    for steps in topic.split("<steps>").skip(1) {
        let body = steps.split("</steps>").next().unwrap_or("");
        for n in 1..=count(body, "<step>") + count(body, "<step ") {
            out.push_str(&format!("{n}\n"));
        }
    }
    out
}

fn tally(_name: &str, topic: &str, counts: &mut Counts) {
    counts.pages += 1;
    counts.links += count(topic, "<xref ");
    // Drawn diagrams are the SVG files under images/diagrams/ (pictures there are assets).
    let diagrams = topic.match_indices("<image href=\"../images/diagrams/").filter(|(i, _)| topic[*i..].split('"').nth(1).is_some_and(|h| h.ends_with(".svg"))).count();
    counts.diagrams += diagrams;
    counts.images += count(topic, "<image ") - diagrams;
}

#[cfg(test)]
mod tests {
    #[test]
    fn note_labels_and_step_numbers_are_read_as_printed() {
        let topic = r#"<note type="other" othertype="En bref"><p>x</p></note><steps><step><cmd>a</cmd></step><step><cmd>b</cmd></step></steps>"#;
        assert_eq!(super::printed_labels(topic), "En bref\n1\n2\n");
    }
}
