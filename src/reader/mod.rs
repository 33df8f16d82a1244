//! The reader: source files → model. Parsing a page is pure (`parse_page` takes a string);
//! only `read_corpus` touches the filesystem.

mod assemble;
pub mod body;
mod compact;
pub mod containers;
pub mod front_matter;
mod heading_levels;
pub mod html;
pub mod identity;
pub mod markdown;
pub mod nunjucks;
pub(crate) mod page;
pub mod sections;
mod site;
pub mod site_data;
mod source_files;
mod structure;
pub mod templates;

pub use page::{parse_page, Parsed};

use crate::assets::AssetStore;
use crate::diagnostics::Diagnostic;
use crate::model::*;
use rayon::prelude::*;
pub use site::{Site, SiteFolders};
use source_files::{EntryKind, SourceFile};
use std::path::{Path, PathBuf};

/// Containers nested deeper than this are flattened (content kept, reported).
pub const MAX_DEPTH: usize = 64;

/// Parsing state of one page: its text, its line index and the diagnostics found so far.
pub struct PageCtx<'a> {
    pub text: &'a str,
    /// The containers the site registers.
    pub containers: &'a containers::ContainerRules,
    pub file: &'a str,
    line_starts: Vec<usize>,
    pub diags: Vec<Diagnostic>,
    pub max_depth: usize,
    /// The page's `seealso` keys, for `component("links", { keys: seealso })`.
    pub see_also_keys: Vec<String>,
    /// Where the rendered body's lines came from, when the body was a template.
    trace: Option<Trace>,
    /// Output of components and includes, each read as one HTML fragment (offsets in `text`).
    pub islands: Vec<std::ops::Range<usize>>,
    /// Components kept for their meaning, by placeholder index.
    pub components: Vec<templates::KeptComponent>,
    /// `<a name|id>` link targets met, with where they stand.
    pub anchor_names: Vec<(String, Pos)>,
}

fn default_containers() -> &'static containers::ContainerRules {
    static RULES: std::sync::OnceLock<containers::ContainerRules> = std::sync::OnceLock::new();
    RULES.get_or_init(containers::ContainerRules::default)
}

/// Rendered body offsets → source lines.
struct Trace {
    body_offset: usize,
    first_line: u32,
    /// (offset in the page text, source line), in order.
    lines: Vec<(usize, u32)>,
}

impl<'a> PageCtx<'a> {
    pub fn new(text: &'a str, file: &'a str) -> Self {
        let mut line_starts = Vec::with_capacity(text.len() / 40 + 1);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        PageCtx {
            text,
            containers: default_containers(),
            file,
            line_starts,
            diags: Vec::new(),
            max_depth: MAX_DEPTH,
            see_also_keys: Vec::new(),
            trace: None,
            islands: Vec::new(),
            components: Vec::new(),
            anchor_names: Vec::new(),
        }
    }

    /// Takes the trace of a rendered body that starts at `body_offset` of the text.
    pub fn trace(&mut self, body_offset: usize, first_line: u32, rendered: &templates::Rendered) {
        let lines = rendered.traced.lines.iter().map(|(o, l)| (o + body_offset, *l)).collect();
        self.trace = Some(Trace { body_offset, first_line, lines });
        self.islands = rendered.traced.islands.iter().map(|r| r.start + body_offset..r.end + body_offset).collect();
        self.components = rendered.components.clone();
    }

    /// Line and column (in characters) of a byte offset: in the source, also for a rendered
    /// body (the line its text came from).
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        if let Some(trace) = self.trace.as_ref().filter(|t| offset >= t.body_offset) {
            let i = trace.lines.partition_point(|(o, _)| *o <= offset);
            let (start, line) = if i == 0 { (trace.body_offset, trace.first_line) } else { trace.lines[i - 1] };
            let line_start = self.text[start..offset].rfind('\n').map_or(start, |n| start + n + 1);
            let col = self.text.get(line_start..offset).map_or(0, |s| s.chars().count()) + 1;
            return Pos { line, col: col as u32 };
        }
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
    /// Each page's source → model audit, in the order the pages were read.
    pub source_audit: Vec<crate::source_audit::PageAudit>,
}

/// Reads every page under `content`, resolves links against the whole corpus and `assets`,
/// and orders pages for reading. The site's `_includes` and `_data` are found beside the
/// content folder. Never fails as a whole: unreadable pages become errors.
pub fn read_corpus(content: &Path, assets: &AssetStore, site: SiteMeta) -> anyhow::Result<ReadOutcome> {
    read_site(content, assets, site, &SiteFolders::discover(content))
}

/// `read_corpus` with the site's template folders and data given.
pub fn read_site(
    content: &Path,
    assets: &AssetStore,
    site: SiteMeta,
    folders: &SiteFolders,
) -> anyhow::Result<ReadOutcome> {
    let root = content.canonicalize().map_err(|e| anyhow::anyhow!("content folder {}: {e}", content.display()))?;
    let mut walked = source_files::for_each_source(content, &|file| load_one(&file, &root))?;
    let (script, mut site_diagnostics) = site::open_script(content, folders.data.as_deref());
    let ignored = site::ignored_sources(content, script.as_deref());
    if !ignored.is_empty() {
        walked.sources.retain(|(rel, _)| {
            let skip = site::is_ignored(rel, &ignored);
            if skip {
                let message = "ignored by the site's Eleventy configuration (`ignores` or `.eleventyignore`), as Eleventy ignores it";
                site_diagnostics.push(Diagnostic::note(crate::codes::SOURCE_IGNORED, rel.as_str(), Pos::default(), message));
            }
            !skip
        });
    }
    let texts: Vec<site::SourceText> = walked
        .sources
        .iter()
        .map(|(rel, loaded)| site::SourceText { rel, text: loaded.bytes().and_then(|b| std::str::from_utf8(b).ok()) })
        .collect();
    let (reader_site, diagnostics) = Site::new(content, folders, &site.language, &texts, script);
    site_diagnostics.extend(diagnostics);
    drop(texts);
    let site = if folders.site_given {
        site
    } else {
        let data = folders.data.as_deref().and_then(Path::file_name).map_or("_data".into(), |n| n.to_string_lossy());
        site_diagnostics.extend(reader_site.identity.note(&data));
        reader_site.identity.apply(site)
    };
    let results: Vec<FileOutcome> = walked
        .sources
        .into_par_iter()
        .map(|(rel, loaded)| match loaded {
            Loaded::Bytes(bytes, mtime) => parse_one(&rel, bytes, mtime, &reader_site),
            Loaded::Done(outcome) => outcome,
        })
        .collect();
    let site_urls = reader_site.templates.template_page_urls();
    let mut outcome = gather(results, site, assets, &site_urls);
    let mut diagnostics = walked.unreadable;
    diagnostics.extend(site_diagnostics);
    diagnostics.append(&mut outcome.diagnostics);
    outcome.diagnostics = diagnostics;
    Ok(outcome)
}

/// Parses in-memory sources, given as (content-relative path, bytes), and assembles them
/// exactly as `read_corpus` does a folder, without touching the disk (fuzzing, tests).
pub fn read_sources(sources: &[(String, Vec<u8>)], assets: &AssetStore, site: SiteMeta) -> ReadOutcome {
    let results = sources.iter().map(|(rel, bytes)| parse_one(rel, bytes.clone(), None, Site::standalone())).collect();
    gather(results, site, assets, &Default::default())
}

/// The files' outcomes, in order, assembled into one corpus.
/// `site_urls`: the URLs the site builds from templates, which links may name.
fn gather(
    results: Vec<FileOutcome>,
    site: SiteMeta,
    assets: &AssetStore,
    site_urls: &std::collections::HashSet<String>,
) -> ReadOutcome {
    let mut diagnostics = Vec::new();
    let mut parsed = Vec::new();
    let (mut newest, mut bytes_read, mut source_audit) = (None, 0u64, Vec::new());
    for (p, diags, mtime, len, audit) in results {
        diagnostics.extend(diags);
        parsed.extend(p);
        newest = newest.max(mtime);
        bytes_read += len;
        source_audit.extend(audit);
    }
    let corpus = assemble::assemble(parsed, site, assets, site_urls, &mut diagnostics);
    ReadOutcome { corpus, diagnostics, newest_mtime: newest, bytes_read, source_audit }
}

/// `.njk` files are Eleventy templates, not content: a note, and nothing to parse.
fn template_skipped(rel: &str) -> Option<Diagnostic> {
    rel.ends_with(".njk").then(|| {
        Diagnostic::note(
            crate::codes::SOURCE_TEMPLATE_SKIPPED,
            rel,
            Pos::default(),
            "Nunjucks template, not content: skipped",
        )
    })
}

/// One file read: what it became, its diagnostics, its mtime, its size and its source audit.
type FileOutcome = (Option<Parsed>, Vec<Diagnostic>, Option<i64>, u64, Option<crate::source_audit::PageAudit>);

/// A source as the walk leaves it: its bytes to parse once the site is known, or already
/// settled (skipped or unreadable).
enum Loaded {
    Bytes(Vec<u8>, Option<i64>),
    Done(FileOutcome),
}

impl Loaded {
    fn bytes(&self) -> Option<&[u8]> {
        match self {
            Loaded::Bytes(b, _) => Some(b),
            Loaded::Done(_) => None,
        }
    }
}

fn load_one(file: &SourceFile, root: &Path) -> Loaded {
    let rel = file.rel.as_str();
    if let Some(note) = template_skipped(rel) {
        let mtime = std::fs::metadata(&file.path).ok().and_then(|m| source_files::modified_seconds(&m));
        return Loaded::Done((None, vec![note], mtime, 0, None));
    }
    // Folders are listed without following links, so only a file that is itself a symbolic
    // link can lead outside the content folder; only those pay for resolving the path.
    if file.is_link && !file.path.canonicalize().is_ok_and(|real| real.starts_with(root)) {
        let message = "a symbolic link leads outside the content folder (or nowhere): skipped";
        let outside = Diagnostic::error(crate::codes::SOURCE_OUTSIDE, rel, Pos { line: 1, col: 0 }, message);
        return Loaded::Done((None, vec![outside], None, 0, None));
    }
    match source_files::read_source(&file.path) {
        Ok((bytes, mtime)) => Loaded::Bytes(bytes, mtime),
        Err(e) => {
            let unreadable =
                Diagnostic::error(crate::codes::SOURCE_UNREADABLE, rel, Pos::default(), format!("cannot read: {e}"));
            Loaded::Done((None, vec![unreadable], None, 0, None))
        }
    }
}

/// One source's bytes parsed (a template is skipped with a note).
fn parse_one(rel: &str, bytes: Vec<u8>, mtime: Option<i64>, site: &Site) -> FileOutcome {
    if let Some(note) = template_skipped(rel) {
        return (None, vec![note], mtime, 0, None);
    }
    let len = bytes.len() as u64;
    let (parsed, diags, audit) = page::parse_page_in(rel, bytes, site);
    (parsed, diags, mtime, len, audit)
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
