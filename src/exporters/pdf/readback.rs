//! Reading the guides back for the fidelity audit, through poppler's `pdftotext` when it is
//! installed (the PDF's fonts are subset with glyph-index encodings, which need a real text
//! extractor). Line-end hyphens are joined, as a reader would, and so are code lines the
//! guide wrapped with its `↩` marker.

use crate::exporter::Outputs;
use crate::fidelity::ReadBack;
use std::process::Command;

pub fn read_back(files: &dyn Outputs) -> anyhow::Result<Option<ReadBack>> {
    let mut text = String::new();
    for name in files.paths().into_iter().filter(|n| n.ends_with(".pdf")) {
        let path = std::env::temp_dir().join(format!("folio-audit-{}-{name}", std::process::id()));
        std::fs::write(&path, files.read(name)?)?;
        let output = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&path).arg("-").output();
        let _ = std::fs::remove_file(&path);
        match output {
            Ok(out) if out.status.success() => {
                text.push_str(&join_wrapped_lines(&String::from_utf8_lossy(&out.stdout)))
            }
            // Without poppler there is nothing trustworthy to read the PDF with: not audited.
            _ => return Ok(None),
        }
    }
    Ok(Some(ReadBack::of_text(&text, None)))
}

/// `inté-\ngration` → `intégration`; `eyJzdWIi↩\nOiI3` → `eyJzdWIiOiI3`.
fn join_wrapped_lines(text: &str) -> String {
    let marker = format!("{}\n", super::text::WRAP_MARKER);
    text.replace("-\n", "").replace(&marker, "")
}

#[cfg(test)]
mod tests {
    #[test]
    fn hyphenated_words_and_wrapped_code_lines_are_joined() {
        assert_eq!(super::join_wrapped_lines("inté-\ngration eyJzd↩\nWIi"), "intégration eyJzdWIi");
    }
}
