//! Eleventy's own build of a shared corpus, as tests/validators/eleventy.sh saves it:
//! `$FOLIO_ELEVENTY/<corpus>.json`, the array `npx @11ty/eleventy --to=json` prints.

use serde::Deserialize;
use std::path::PathBuf;

/// Eleventy's input folder for the shared corpora (their configs say `dir.input: "content"`),
/// which is the content folder folio reads: `inputPath` minus this is folio's `source`.
const INPUT_PREFIX: &str = "./content/";

/// One output of the build.
#[derive(Debug, Deserialize)]
struct Item {
    /// The page's URL, or `false` for `permalink: false`.
    url: serde_json::Value,
    #[serde(rename = "inputPath")]
    input_path: String,
    /// The page rendered without a layout (eleventy.sh sets `layout: false` for all).
    content: String,
}

/// One output, read.
#[derive(Debug)]
pub struct Output {
    /// Path of the template relative to the content folder, `/`-separated.
    pub source: String,
    /// `None` when Eleventy writes no page for it (`permalink: false`).
    pub url: Option<String>,
    pub content: String,
}

impl Output {
    /// A Markdown page: folio's pages are these, one to one.
    pub fn is_markdown(&self) -> bool {
        self.source.ends_with(".md")
    }
}

/// The build of `site`, or `None` (with a message) when it is not there. Under `CI=true` its
/// absence is a failure: CI runs tests/validators/install.sh, which builds it.
pub fn load(site: &str) -> Option<Vec<Output>> {
    let path = match std::env::var_os("FOLIO_ELEVENTY") {
        Some(dir) => PathBuf::from(dir).join(format!("{site}.json")),
        None => return unavailable(site, "FOLIO_ELEVENTY is not set"),
    };
    let Ok(json) = std::fs::read_to_string(&path) else {
        return unavailable(site, &format!("{} is missing", path.display()));
    };
    let items: Vec<Item> =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{}: not Eleventy's JSON output: {e}", path.display()));
    Some(items.into_iter().map(read_item).collect())
}

fn read_item(item: Item) -> Output {
    let source = item.input_path.strip_prefix(INPUT_PREFIX).unwrap_or(&item.input_path).to_string();
    let url = item.url.as_str().map(str::to_string);
    Output { source, url, content: item.content }
}

fn unavailable(site: &str, why: &str) -> Option<Vec<Output>> {
    let how = "run tests/validators/eleventy.sh (or install.sh) and source ${FOLIO_TOOLS}/env.sh";
    assert!(
        !std::env::var("CI").is_ok_and(|v| v == "true"),
        "Eleventy's build of {site} is unavailable ({why}); {how}"
    );
    eprintln!("skipped {site}: Eleventy's build is unavailable ({why}); {how}");
    None
}
