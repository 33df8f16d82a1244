//! The build's sink: every file goes to disk as soon as its exporter hands it over, into a
//! staging folder that the build swaps into place once the format has succeeded. No format
//! is ever whole in memory, and a
//! failed format leaves the previous output untouched.

use crate::exporter::{ensure_safe, Outputs, Sink};
use crate::random_access::RandomAccess;
use anyhow::Context;
use rustc_hash::FxHashSet;
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Writes a format's files under `root`, remembering which it wrote.
#[derive(Debug)]
pub struct FolderSink {
    root: PathBuf,
    written: BTreeSet<String>,
    /// Folders already created under `root`, so each is created once.
    folders: FxHashSet<String>,
}

impl FolderSink {
    /// A sink into an empty `root`: whatever an earlier, interrupted build left there is
    /// removed first.
    pub fn create(root: PathBuf) -> anyhow::Result<Self> {
        if root.exists() {
            std::fs::remove_dir_all(&root).with_context(|| format!("clearing {}", root.display()))?;
        }
        std::fs::create_dir_all(&root).with_context(|| format!("creating {}", root.display()))?;
        Ok(FolderSink { root, written: BTreeSet::new(), folders: FxHashSet::default() })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Every path written, sorted.
    pub fn written(&self) -> impl Iterator<Item = &str> {
        self.written.iter().map(String::as_str)
    }

    /// The file's full path, its folder created, once the path is known to be safe.
    fn prepare(&mut self, path: &str) -> anyhow::Result<PathBuf> {
        ensure_safe(path)?;
        if let Some((folder, _)) = path.rsplit_once('/') {
            if !self.folders.contains(folder) {
                let full = self.root.join(folder);
                std::fs::create_dir_all(&full).with_context(|| format!("creating {}", full.display()))?;
                self.folders.insert(folder.to_string());
            }
        }
        self.written.insert(path.to_string());
        Ok(self.root.join(path))
    }

    /// Where a file this sink wrote is on disk; only those are read back.
    fn written_file(&self, path: &str) -> anyhow::Result<PathBuf> {
        anyhow::ensure!(self.written.contains(path), "{path} was not written");
        Ok(self.root.join(path))
    }

    /// A file this sink wrote, opened for reading, with its full path for error messages.
    fn open_written(&self, path: &str) -> anyhow::Result<(std::fs::File, PathBuf)> {
        let full = self.written_file(path)?;
        let file = std::fs::File::open(&full).with_context(|| format!("reading {}", full.display()))?;
        Ok((file, full))
    }
}

impl Sink for FolderSink {
    fn write(&mut self, path: &str, bytes: Vec<u8>) -> anyhow::Result<()> {
        let full = self.prepare(path)?;
        std::fs::write(&full, bytes).with_context(|| format!("writing {}", full.display()))
    }

    fn write_with(
        &mut self,
        path: &str,
        produce: &mut dyn FnMut(&mut dyn Write) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let full = self.prepare(path)?;
        let file = std::fs::File::create(&full).with_context(|| format!("creating {}", full.display()))?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        produce(&mut out).with_context(|| format!("writing {}", full.display()))?;
        out.flush().with_context(|| format!("writing {}", full.display()))
    }
}

impl Outputs for FolderSink {
    fn paths(&self) -> Vec<&str> {
        self.written().collect()
    }

    fn read(&self, path: &str) -> anyhow::Result<Cow<'_, [u8]>> {
        let full = self.written_file(path)?;
        Ok(Cow::Owned(std::fs::read(&full).with_context(|| format!("reading {}", full.display()))?))
    }

    fn open(&self, path: &str) -> anyhow::Result<Box<dyn std::io::BufRead + '_>> {
        let (file, _) = self.open_written(path)?;
        Ok(Box::new(std::io::BufReader::with_capacity(1 << 20, file)))
    }

    fn random_access(&self, path: &str) -> anyhow::Result<RandomAccess<'_>> {
        let (file, full) = self.open_written(path)?;
        let len = file.metadata().with_context(|| format!("reading {}", full.display()))?.len();
        Ok(RandomAccess::File { file, len })
    }

    fn disk_path(&self, path: &str) -> Option<PathBuf> {
        self.written_file(path).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        std::env::temp_dir().join(format!("folio-folder-sink-{}-{name}", std::process::id()))
    }

    #[test]
    fn files_reach_the_disk_as_they_are_written_and_read_back() {
        let root = scratch("write");
        let mut sink = FolderSink::create(root.clone()).expect("sink");
        sink.write("topics/a.dita", b"<topic/>".to_vec()).expect("write");
        sink.write_with("corpus.json", &mut |out| Ok(out.write_all(b"{}\n")?)).expect("write_with");
        assert_eq!(std::fs::read(root.join("topics/a.dita")).expect("on disk"), b"<topic/>");
        assert_eq!(sink.paths(), vec!["corpus.json", "topics/a.dita"]);
        assert_eq!(&*sink.read("corpus.json").expect("read"), b"{}\n");
        assert!(sink.read("other.json").is_err(), "only written files are read back");
        let mut streamed = Vec::new();
        sink.open("corpus.json").expect("open").read_to_end(&mut streamed).expect("read");
        assert_eq!(streamed, b"{}\n");
        assert!(sink.open("other.json").is_err(), "only written files are opened");
        std::fs::remove_dir_all(root).expect("cleanup");
    }

    #[test]
    fn a_written_file_is_read_at_any_offset_from_disk_not_from_a_copy_in_memory() {
        use std::io::{Read, Seek, SeekFrom};
        let root = scratch("random");
        let mut sink = FolderSink::create(root.clone()).expect("sink");
        sink.write("book.epub", b"0123456789".to_vec()).expect("write");
        let book = sink.random_access("book.epub").expect("random access");
        assert!(matches!(book, RandomAccess::File { len: 10, .. }), "the file is read where it lies");
        let mut reader = book.reader();
        reader.seek(SeekFrom::Start(4)).expect("seek");
        let mut rest = String::new();
        reader.read_to_string(&mut rest).expect("read");
        assert_eq!(rest, "456789");
        assert!(sink.random_access("other.epub").is_err(), "only written files are opened");
        std::fs::remove_dir_all(root).expect("cleanup");
    }

    #[test]
    fn a_stale_staging_folder_is_emptied_and_unsafe_paths_are_refused() {
        let root = scratch("stale");
        std::fs::create_dir_all(&root).expect("mkdir");
        std::fs::write(root.join("left-over.txt"), b"x").expect("write");
        let mut sink = FolderSink::create(root.clone()).expect("sink");
        assert!(!root.join("left-over.txt").exists());
        assert!(sink.write("../escape.txt", Vec::new()).is_err());
        assert!(sink.write_with("/abs.txt", &mut |_| Ok(())).is_err());
        assert!(sink.paths().is_empty());
        std::fs::remove_dir_all(root).expect("cleanup");
    }
}
