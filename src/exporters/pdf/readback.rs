//! Reading the guides back for the fidelity audit, through poppler's `pdftotext` when it is
//! installed (the PDF's fonts are subset with glyph-index encodings, which need a real text
//! extractor). Line-end hyphens are joined, as a reader would.

use crate::exporter::MemorySink;
use crate::fidelity::ReadBack;
use std::process::Command;

pub fn read_back(files: &MemorySink) -> anyhow::Result<Option<ReadBack>> {
    let mut text = String::new();
    for (name, bytes) in files.files.iter().filter(|(n, _)| n.ends_with(".pdf")) {
        let path = std::env::temp_dir().join(format!("folio-audit-{}-{name}", std::process::id()));
        std::fs::write(&path, bytes)?;
        let output = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&path).arg("-").output();
        let _ = std::fs::remove_file(&path);
        match output {
            Ok(out) if out.status.success() => text.push_str(&join_hyphens(&String::from_utf8_lossy(&out.stdout))),
            // Without poppler there is nothing trustworthy to read the PDF with: not audited.
            _ => return Ok(None),
        }
    }
    Ok(Some(ReadBack { text, counts: None }))
}

/// `inté-\ngration` → `intégration`.
fn join_hyphens(text: &str) -> String {
    text.replace("-\n", "")
}
