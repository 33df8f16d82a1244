//! The reader: source files → model. Parsing a page is pure (`parse_page` takes a string);
//! only `read_corpus` touches the filesystem.

mod assemble;
pub mod body;
mod compact;
mod flow_args;
pub mod front_matter;
pub mod html;
pub mod markdown;
pub mod nunjucks;
mod page;
pub mod sections;
mod source_files;
mod structure;

pub use page::{parse_page, Parsed};

use crate::assets::AssetStore;
use crate::diagnostics::Diagnostic;
use crate::model::*;
use source_files::{EntryKind, SourceFile};
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
    let root = content.canonicalize().map_err(|e| anyhow::anyhow!("content folder {}: {e}", content.display()))?;
    let walked = source_files::for_each_source(content, &|file| read_one(&file, &root))?;
    let mut outcome = gather(walked.sources.into_iter().map(|(_, outcome)| outcome).collect(), site, assets);
    let mut diagnostics = walked.unreadable;
    diagnostics.append(&mut outcome.diagnostics);
    outcome.diagnostics = diagnostics;
    Ok(outcome)
}

/// Parses in-memory sources, given as (content-relative path, bytes), and assembles them
/// exactly as `read_corpus` does a folder, without touching the disk (fuzzing, tests).
pub fn read_sources(sources: &[(String, Vec<u8>)], assets: &AssetStore, site: SiteMeta) -> ReadOutcome {
    let results = sources.iter().map(|(rel, bytes)| parse_one(rel, bytes.clone(), None)).collect();
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
    let corpus = assemble::assemble(parsed, site, assets, &mut diagnostics);
    ReadOutcome { corpus, diagnostics, newest_mtime: newest, bytes_read }
}

/// `.njk` files are Eleventy templates, not content: a note, and nothing to parse.
fn template_skipped(rel: &str) -> Option<Diagnostic> {
    rel.ends_with(".njk").then(|| Diagnostic::note("source/template-skipped", rel, Pos::default(), "Nunjucks template, not content: skipped"))
}

/// One file read: what it became, its diagnostics, its mtime and its size.
type FileOutcome = (Option<Parsed>, Vec<Diagnostic>, Option<i64>, u64);

fn read_one(file: &SourceFile, root: &Path) -> FileOutcome {
    let rel = file.rel.as_str();
    if let Some(note) = template_skipped(rel) {
        let mtime = std::fs::metadata(&file.path).ok().and_then(|m| source_files::modified_seconds(&m));
        return (None, vec![note], mtime, 0);
    }
    // Folders are listed without following links, so only a file that is itself a symbolic
    // link can lead outside the content folder; only those pay for resolving the path.
    if file.is_link && !file.path.canonicalize().is_ok_and(|real| real.starts_with(root)) {
        let message = "a symbolic link leads outside the content folder (or nowhere): skipped";
        return (None, vec![Diagnostic::error("source/outside", rel, Pos { line: 1, col: 0 }, message)], None, 0);
    }
    match source_files::read_source(&file.path) {
        Ok((bytes, mtime)) => parse_one(rel, bytes, mtime),
        Err(e) => (None, vec![Diagnostic::error("source/unreadable", rel, Pos::default(), format!("cannot read: {e}"))], None, 0),
    }
}

/// One source's bytes parsed (a template is skipped with a note).
fn parse_one(rel: &str, bytes: Vec<u8>, mtime: Option<i64>) -> FileOutcome {
    if let Some(note) = template_skipped(rel) {
        return (None, vec![note], mtime, 0);
    }
    let len = bytes.len() as u64;
    let (parsed, diags) = page::parse_page_bytes(rel, bytes);
    (parsed, diags, mtime, len)
}

/// Source files under `root` (as `source_files::classify` says), sorted, as (content-relative
/// path, full path), listed on one thread: the benchmarks' plain pass and corpus generator.
pub fn list_sources(root: &Path) -> anyhow::Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| anyhow::anyhow!("reading folder {}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else { continue };
            match source_files::classify(&entry.file_name().to_string_lossy(), kind) {
                EntryKind::Ignored => {}
                EntryKind::Folder => pending.push(path),
                EntryKind::Source => {
                    let rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                    out.push((rel, path));
                }
            }
        }
    }
    out.sort();
    Ok(out)
}
