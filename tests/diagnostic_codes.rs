//! Every diagnostic code folio can emit is documented: in README's tables or in its format's
//! README under `exporters/`.

use std::path::Path;

/// The areas of diagnostic codes (`area/name`).
const AREAS: &[&str] = &[
    "source",
    "front-matter",
    "page",
    "container",
    "markdown",
    "heading",
    "html",
    "nunjucks",
    "data",
    "js",
    "site",
    "link",
    "seealso",
    "image",
    "asset",
    "diagram",
    "export",
    "external",
    "epub",
    "dita",
    "jsonld",
    "pdf",
    "fidelity",
    "build",
];

/// Media types written as string literals, which look like codes.
const MEDIA_TYPES: &[&str] = &["image/png", "image/jpeg", "image/gif", "image/webp", "image/svg"];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") && !path.to_string_lossy().ends_with("_tests.rs") {
            out.push(path);
        }
    }
}

/// `"area/name"` string literals of the sources, by file.
fn codes_in_sources(root: &Path) -> Vec<(std::path::PathBuf, String)> {
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut codes = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("source");
        for literal in text.split('"').skip(1).step_by(2) {
            let Some((area, name)) = literal.split_once('/') else { continue };
            let is_code = AREAS.contains(&area)
                && !name.is_empty()
                && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !MEDIA_TYPES.iter().any(|m| literal.starts_with(m));
            if is_code {
                codes.push((file.clone(), literal.to_string()));
            }
        }
    }
    codes.sort();
    codes.dedup();
    codes
}

fn documentation(root: &Path) -> String {
    let mut docs = std::fs::read_to_string(root.join("README.md")).expect("README");
    for entry in std::fs::read_dir(root.join("exporters")).expect("exporters").flatten() {
        if let Ok(text) = std::fs::read_to_string(entry.path().join("README.md")) {
            docs.push_str(&text);
        }
    }
    docs
}

#[test]
fn every_diagnostic_code_is_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = documentation(root);
    let codes: Vec<String> = codes_in_sources(root).into_iter().map(|(_, code)| code).collect();
    assert!(codes.len() > 50, "the scan found too few codes: {codes:?}");
    let missing: Vec<&String> = codes.iter().filter(|c| !docs.contains(&format!("`{c}`"))).collect();
    assert!(missing.is_empty(), "codes documented nowhere: {missing:?}");
}

#[test]
fn every_diagnostic_code_is_a_constant_of_src_codes_rs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let elsewhere: Vec<String> = codes_in_sources(root)
        .into_iter()
        .filter(|(file, _)| !file.ends_with("src/codes.rs"))
        .map(|(file, code)| format!("{}: {code}", file.display()))
        .collect();
    assert!(elsewhere.is_empty(), "codes written as literals outside src/codes.rs: {elsewhere:?}");
}
