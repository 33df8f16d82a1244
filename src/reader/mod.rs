//! The reader: source files → model. Parsing a page is pure (`parse_page` takes a string);
//! only `read_corpus` touches the filesystem.

pub mod body;
mod compact;
mod flow_args;
pub mod front_matter;
pub mod html;
pub mod markdown;
pub mod nunjucks;
mod page;
pub mod sections;
mod structure;

pub use page::{parse_page, Parsed};

use crate::assets::AssetStore;
use crate::diagnostics::Diagnostic;
use crate::model::*;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Containers nested deeper than this are flattened (content kept, reported).
pub const MAX_DEPTH: usize = 64;

/// Parsing state of one page: its text, its line index and the diagnostics found so far.
pub struct PageCtx<'a> {
    pub text: &'a str,
    pub file: &'a str,
    line_starts: Vec<usize>,
    pub diags: Vec<Diagnostic>,
    pub max_depth: usize,
    /// The page's `seealso` keys, for `component("links", { keys: seealso })`.
    pub see_also_keys: Vec<String>,
}

impl<'a> PageCtx<'a> {
    pub fn new(text: &'a str, file: &'a str) -> Self {
        let mut line_starts = Vec::with_capacity(text.len() / 40 + 1);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        PageCtx { text, file, line_starts, diags: Vec::new(), max_depth: MAX_DEPTH, see_also_keys: Vec::new() }
    }

    /// Line and column (in characters) of a byte offset.
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let col = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count()) + 1;
        Pos { line: line as u32, col: col as u32 }
    }

    pub fn error(&mut self, offset: usize, code: &'static str, message: String) {
        let pos = self.pos(offset);
        self.diags.push(Diagnostic::error(code, self.file, pos, message));
    }

    pub fn warn(&mut self, offset: usize, code: &'static str, message: String) {
        let pos = self.pos(offset);
        self.diags.push(Diagnostic::warning(code, self.file, pos, message));
    }

    pub fn note(&mut self, offset: usize, code: &'static str, message: String) {
        let pos = self.pos(offset);
        self.diags.push(Diagnostic::note(code, self.file, pos, message));
    }
}

/// The target every link has until `links::resolve_links` runs (an empty reason: it
/// allocates nothing, and resolution replaces it on every link).
pub fn unresolved() -> LinkTarget {
    LinkTarget::Broken { reason: String::new() }
}

/// Hex SHA-256 of a text: the identity of a diagram source.
pub fn digest(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// What reading a content folder produced.
pub struct ReadOutcome {
    pub corpus: Corpus,
    pub diagnostics: Vec<Diagnostic>,
    /// Newest modification time of a source file, in Unix seconds.
    pub newest_mtime: Option<i64>,
    pub bytes_read: u64,
}

/// Reads every page under `content`, resolves links against the whole corpus and `assets`,
/// and orders pages for reading. Never fails as a whole: unreadable pages become errors.
pub fn read_corpus(content: &Path, assets: &AssetStore, site: SiteMeta) -> anyhow::Result<ReadOutcome> {
    let files = list_sources(content)?;
    let root = content.canonicalize().map_err(|e| anyhow::anyhow!("content folder {}: {e}", content.display()))?;
    let results: Vec<FileOutcome> = files
        .par_iter()
        .map(|(rel, path)| read_one(rel, path, &root))
        .collect();
    Ok(gather(results, site, assets))
}

/// Parses in-memory sources, given as (content-relative path, bytes), and assembles them
/// exactly as `read_corpus` does a folder, without touching the disk (fuzzing, tests).
pub fn read_sources(sources: &[(String, Vec<u8>)], assets: &AssetStore, site: SiteMeta) -> ReadOutcome {
    let results = sources.iter().map(|(rel, bytes)| parse_one(rel, bytes, None)).collect();
    gather(results, site, assets)
}

/// The files' outcomes, in order, assembled into one corpus.
fn gather(results: Vec<FileOutcome>, site: SiteMeta, assets: &AssetStore) -> ReadOutcome {
    let mut diagnostics = Vec::new();
    let mut parsed = Vec::new();
    let (mut newest, mut bytes_read) = (None, 0u64);
    for (p, diags, mtime, len) in results {
        diagnostics.extend(diags);
        parsed.extend(p);
        newest = newest.max(mtime);
        bytes_read += len;
    }
    let corpus = page::assemble(parsed, site, assets, &mut diagnostics);
    ReadOutcome { corpus, diagnostics, newest_mtime: newest, bytes_read }
}

/// `.njk` files are Eleventy templates, not content: a note, and nothing to parse.
fn template_skipped(rel: &str) -> Option<Diagnostic> {
    rel.ends_with(".njk").then(|| Diagnostic::note("source/template-skipped", rel, Pos::default(), "Nunjucks template, not content: skipped"))
}

/// One file read: what it became, its diagnostics, its mtime and its size.
type FileOutcome = (Option<Parsed>, Vec<Diagnostic>, Option<i64>, u64);

fn read_one(rel: &str, path: &Path, root: &Path) -> FileOutcome {
    // One `lstat` tells both whether the file is a link and, when it is not, its mtime.
    let own = std::fs::symlink_metadata(path);
    let is_link = own.as_ref().is_ok_and(|m| m.file_type().is_symlink());
    let mtime = if is_link { std::fs::metadata(path) } else { own }
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as i64);
    if let Some(note) = template_skipped(rel) {
        return (None, vec![note], mtime, 0);
    }
    // `list_sources` descends no linked folder, so only a file that is itself a symbolic link
    // can lead outside the content folder; only those pay for resolving the path.
    if is_link && !path.canonicalize().is_ok_and(|real| real.starts_with(root)) {
        let message = "a symbolic link leads outside the content folder (or nowhere): skipped";
        return (None, vec![Diagnostic::error("source/outside", rel, Pos { line: 1, col: 0 }, message)], mtime, 0);
    }
    match std::fs::read(path) {
        Ok(bytes) => parse_one(rel, &bytes, mtime),
        Err(e) => (None, vec![Diagnostic::error("source/unreadable", rel, Pos::default(), format!("cannot read: {e}"))], mtime, 0),
    }
}

/// One source's bytes parsed (a template is skipped with a note).
fn parse_one(rel: &str, bytes: &[u8], mtime: Option<i64>) -> FileOutcome {
    if let Some(note) = template_skipped(rel) {
        return (None, vec![note], mtime, 0);
    }
    let (parsed, diags) = parse_page(rel, bytes);
    (parsed, diags, mtime, bytes.len() as u64)
}

/// `.md` and `.njk` files under `root`, sorted, as (content-relative path, full path).
/// Folders starting with `_` or `.` (Eleventy data and includes) are not content.
pub fn list_sources(root: &Path) -> anyhow::Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| anyhow::anyhow!("reading folder {}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name.starts_with('_') {
                continue;
            }
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_dir() {
                pending.push(path);
            } else if name.ends_with(".md") || name.ends_with(".njk") {
                let rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                out.push((rel, path));
            }
        }
    }
    out.sort();
    Ok(out)
}
