//! The content folder on disk: which entries are sources, and reading them all.
//!
//! Folders are listed and files parsed by the same pool of threads at once, so no core waits
//! for the listing to end. Each file costs one
//! `open`, one `statx` and its reads: its kind comes from the folder listing, and its size and
//! modification time from the opened file.

use crate::diagnostics::Diagnostic;
use crate::model::Pos;
use std::fs::FileType;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What an entry of a content folder is to the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Folder,
    Source,
    Ignored,
}

/// `.md` and `.njk` files are sources. Folders starting with `_` or `.` (Eleventy data and
/// includes) are not content, and a linked folder is never descended.
pub fn classify(name: &str, kind: FileType) -> EntryKind {
    if name.starts_with('.') || name.starts_with('_') {
        EntryKind::Ignored
    } else if kind.is_dir() {
        EntryKind::Folder
    } else if name.ends_with(".md") || name.ends_with(".njk") {
        EntryKind::Source
    } else {
        EntryKind::Ignored
    }
}

/// One source file found in the content folder.
pub struct SourceFile {
    /// Content-relative, `/`-separated.
    pub rel: String,
    pub path: PathBuf,
    /// The file is a symbolic link (it may lead outside the content folder).
    pub is_link: bool,
}

/// A source file's bytes and modification time (Unix seconds), read with one `statx`.
pub fn read_source(path: &Path) -> std::io::Result<(Vec<u8>, Option<i64>)> {
    let mut file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    let mtime = modified_seconds(&meta);
    // One byte more than the size, so that reaching the end needs no second buffer. Read
    // through `take`: `File::read_to_end` would ask for the size (a second `statx`) itself.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
    (&mut file).take(u64::MAX).read_to_end(&mut bytes)?;
    Ok((bytes, mtime))
}

/// A file's modification time in Unix seconds, when the system tells it.
pub fn modified_seconds(meta: &std::fs::Metadata) -> Option<i64> {
    let modified = meta.modified().ok()?;
    modified.duration_since(std::time::UNIX_EPOCH).ok().map(|d| d.as_secs() as i64)
}

/// What a walk of the content folder gave.
#[derive(Debug)]
pub struct Walked<T> {
    /// (relative path, what was made of the file), sorted by path: the order does not depend
    /// on the threads.
    pub sources: Vec<(String, T)>,
    /// An error for each sub-folder that could not be listed.
    pub unreadable: Vec<Diagnostic>,
}

/// Walks `root` and hands every source file to `each` as soon as it is listed, on the rayon
/// pool. Fails only when `root` itself cannot be listed.
pub fn for_each_source<T: Send>(root: &Path, each: &(dyn Fn(SourceFile) -> T + Sync)) -> anyhow::Result<Walked<T>> {
    let entries = std::fs::read_dir(root).map_err(|e| anyhow::anyhow!("reading folder {}: {e}", root.display()))?;
    let walk = Walk { root, each, found: Mutex::new(Vec::new()), unreadable: Mutex::new(Vec::new()) };
    rayon::scope(|scope| walk.entries(scope, entries));
    let mut sources = walk.found.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
    sources.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut unreadable = walk.unreadable.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
    unreadable.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(Walked { sources, unreadable })
}

struct Walk<'a, T> {
    root: &'a Path,
    each: &'a (dyn Fn(SourceFile) -> T + Sync),
    found: Mutex<Vec<(String, T)>>,
    unreadable: Mutex<Vec<Diagnostic>>,
}

impl<'a, T: Send> Walk<'a, T> {
    fn entries<'s>(&'s self, scope: &rayon::Scope<'s>, entries: std::fs::ReadDir) {
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else { continue };
            let name = entry.file_name();
            match classify(&name.to_string_lossy(), kind) {
                EntryKind::Ignored => {}
                EntryKind::Folder => {
                    let path = entry.path();
                    scope.spawn(move |scope| self.folder(scope, path));
                }
                EntryKind::Source => {
                    let path = entry.path();
                    let rel = path.strip_prefix(self.root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                    let file = SourceFile { rel, path, is_link: kind.is_symlink() };
                    scope.spawn(move |_| self.source(file));
                }
            }
        }
    }

    fn folder<'s>(&'s self, scope: &rayon::Scope<'s>, path: PathBuf) {
        match std::fs::read_dir(&path) {
            Ok(entries) => self.entries(scope, entries),
            Err(e) => {
                let rel = path.strip_prefix(self.root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                let message = format!("cannot list this folder: {e}; the pages in it are not published");
                lock(&self.unreadable).push(Diagnostic::error(
                    crate::codes::SOURCE_UNREADABLE,
                    rel,
                    Pos::default(),
                    message,
                ));
            }
        }
    }

    fn source(&self, file: SourceFile) {
        let rel = file.rel.clone();
        let outcome = (self.each)(file);
        lock(&self.found).push((rel, outcome));
    }
}

/// A lock whose holder panicked still holds whole entries: each push is one operation.
fn lock<V>(mutex: &Mutex<V>) -> std::sync::MutexGuard<'_, V> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        for rel in files {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
            std::fs::write(&path, rel.as_bytes()).expect("write");
        }
        dir
    }

    fn found(root: &Path) -> Vec<String> {
        let walked = for_each_source(root, &|file| file.rel).expect("walk");
        assert!(walked.unreadable.is_empty());
        walked
            .sources
            .into_iter()
            .map(|(rel, same)| {
                assert_eq!(rel, same);
                rel
            })
            .collect()
    }

    #[test]
    fn sources_are_markdown_and_nunjucks_files_outside_underscore_and_dot_folders() {
        let dir = tree(&["a.md", "b.njk", "c.txt", "_data/d.md", ".git/e.md", "f/_g.md", "f/h.md"]);
        assert_eq!(found(dir.path()), ["a.md", "b.njk", "f/h.md"]);
    }

    #[test]
    fn every_source_is_handed_over_once_and_the_result_is_in_path_order() {
        let files: Vec<String> = (0..300).map(|i| format!("d{}/s{}/p{i}.md", i % 7, i % 3)).collect();
        let dir = tree(&files.iter().map(String::as_str).collect::<Vec<_>>());
        let mut expected = files.clone();
        expected.sort();
        assert_eq!(found(dir.path()), expected);
    }

    #[test]
    fn a_linked_folder_is_not_descended_and_a_linked_file_is_marked() {
        let dir = tree(&["real/a.md", "b.md"]);
        std::os::unix::fs::symlink(dir.path().join("real"), dir.path().join("linked")).expect("link folder");
        std::os::unix::fs::symlink(dir.path().join("b.md"), dir.path().join("c.md")).expect("link file");
        let walked = for_each_source(dir.path(), &|file| file.is_link).expect("walk");
        assert_eq!(
            walked.sources,
            [("b.md".to_string(), false), ("c.md".to_string(), true), ("real/a.md".to_string(), false)]
        );
    }

    #[test]
    fn a_missing_root_is_an_error_naming_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let missing = dir.path().join("nowhere");
        let error = for_each_source(&missing, &|_| ()).expect_err("an error");
        assert!(error.to_string().contains("nowhere"), "{error}");
    }

    #[test]
    fn a_source_is_read_whole_with_its_modification_time() {
        let dir = tree(&["a.md"]);
        let text = "é".repeat(10_000);
        std::fs::write(dir.path().join("a.md"), &text).expect("write");
        let (bytes, mtime) = read_source(&dir.path().join("a.md")).expect("read");
        assert_eq!(bytes, text.as_bytes());
        let now =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("after 1970").as_secs() as i64;
        assert!(mtime.is_some_and(|t| (now - 60..=now + 60).contains(&t)), "{mtime:?}");
    }
}
