//! Reading the topics back, for the fidelity audit.

use crate::exporter::MemorySink;
use crate::fidelity::{count, markup_text, Counts, ReadBack};

pub fn read_back(files: &MemorySink) -> ReadBack {
    let mut rb = ReadBack::default();
    for (name, bytes) in files.files.iter().filter(|(n, _)| n.starts_with("topics/") && n.ends_with(".dita")) {
        let text = String::from_utf8_lossy(bytes);
        rb.text.push_str(&markup_text(&text));
        rb.text.push('\n');
        tally(name, &text, rb.counts.get_or_insert_with(Counts::default));
    }
    rb
}

fn tally(_name: &str, topic: &str, counts: &mut Counts) {
    counts.pages += 1;
    counts.links += count(topic, "<xref ");
    // Drawn diagrams are the SVG files under images/diagrams/ (pictures there are assets).
    let diagrams = topic.match_indices("<image href=\"../images/diagrams/").filter(|(i, _)| topic[*i..].split('"').nth(1).is_some_and(|h| h.ends_with(".svg"))).count();
    counts.diagrams += diagrams;
    counts.images += count(topic, "<image ") - diagrams;
}
