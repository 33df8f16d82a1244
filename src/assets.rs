//! The assets folder: the only place from which files are ever read into an output.

use rustc_hash::FxHashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::RwLock;

#[derive(Debug)]
pub struct AssetStore {
    /// Canonical path of the assets folder.
    root: PathBuf,
    /// `resolve`'s answers by reference: a corpus cites the same few pictures on many pages,
    /// and each check costs a `realpath` and a `stat`.
    resolved: RwLock<FxHashMap<String, Result<String, AssetError>>>,
    /// Looked in when a file is missing from the root: the content folder, where Eleventy sites
    /// keep pictures beside their pages, when the assets are elsewhere.
    fallback: Option<Box<AssetStore>>,
}

impl Clone for AssetStore {
    fn clone(&self) -> Self {
        AssetStore { root: self.root.clone(), resolved: RwLock::default(), fallback: self.fallback.clone() }
    }
}

/// Why an asset reference was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssetError {
    /// `..` or an absolute path in the reference itself.
    Escapes,
    /// The file exists, but a symlink leads outside the assets folder.
    SymlinkEscapes,
    Missing,
}

impl std::fmt::Display for AssetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            AssetError::Escapes => "the path leaves the assets folder",
            AssetError::SymlinkEscapes => "a symbolic link leads outside the assets folder",
            AssetError::Missing => "no such file in the assets folder",
        })
    }
}

impl AssetStore {
    pub fn new(root: &Path) -> std::io::Result<Self> {
        Ok(AssetStore { root: root.canonicalize()?, resolved: RwLock::default(), fallback: None })
    }

    /// This store, looking in `other` for what its own folder lacks (not when it is the same).
    pub fn with_fallback(mut self, other: &Path) -> Self {
        match AssetStore::new(other) {
            Ok(store) if store.root != self.root => self.fallback = Some(Box::new(store)),
            _ => {}
        }
        self
    }

    /// A store that holds nothing: every lookup is `Missing`.
    pub fn empty() -> Self {
        AssetStore { root: PathBuf::new(), resolved: RwLock::default(), fallback: None }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Checks that `rel` (a `/`-separated path relative to the folder, already
    /// percent-decoded) names a regular file inside the folder, symlinks resolved.
    /// Returns the normalised relative path.
    /// Answers are remembered for the build: the folder does not change while it runs
    /// (`read` checks again before it reads).
    pub fn resolve(&self, rel: &str) -> Result<String, AssetError> {
        if let Some(known) = self.resolved.read().ok().and_then(|map| map.get(rel).cloned()) {
            return known;
        }
        let answer = match (self.check(rel), &self.fallback) {
            (Err(AssetError::Missing), Some(other)) => other.resolve(rel),
            (answer, _) => answer,
        };
        if let Ok(mut map) = self.resolved.write() {
            map.insert(rel.to_string(), answer.clone());
        }
        answer
    }

    /// `resolve`, asking the file system every time.
    fn check(&self, rel: &str) -> Result<String, AssetError> {
        let mut parts = Vec::new();
        for comp in Path::new(rel).components() {
            match comp {
                Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
                Component::CurDir => {}
                Component::ParentDir | Component::RootDir | Component::Prefix(_) => return Err(AssetError::Escapes),
            }
        }
        if parts.is_empty() || self.root.as_os_str().is_empty() {
            return Err(AssetError::Missing);
        }
        self.confined_file(&parts)?;
        Ok(parts.join("/"))
    }

    /// Whether `parts`, below the folder, name a regular file inside it. Each part is looked
    /// at once (`lstat`) below the root, which is canonical already; only a symbolic link
    /// costs resolving the whole path, where every part of it is looked up again.
    fn confined_file(&self, parts: &[String]) -> Result<(), AssetError> {
        let mut path = self.root.clone();
        for (i, part) in parts.iter().enumerate() {
            path.push(part);
            let meta = std::fs::symlink_metadata(&path).map_err(|_| AssetError::Missing)?;
            if meta.file_type().is_symlink() {
                let canonical = parts[i + 1..]
                    .iter()
                    .fold(path, |p, rest| p.join(rest))
                    .canonicalize()
                    .map_err(|_| AssetError::Missing)?;
                if !canonical.starts_with(&self.root) {
                    return Err(AssetError::SymlinkEscapes);
                }
                return if canonical.is_file() { Ok(()) } else { Err(AssetError::Missing) };
            }
            let wanted = if i + 1 == parts.len() { meta.is_file() } else { meta.is_dir() };
            if !wanted {
                return Err(AssetError::Missing);
            }
        }
        Ok(())
    }

    /// Reads a file previously accepted by `resolve`, re-checking confinement.
    pub fn read(&self, rel: &str) -> anyhow::Result<Vec<u8>> {
        if let (Err(AssetError::Missing), Some(other)) = (self.check(rel), &self.fallback) {
            return other.read(rel);
        }
        let rel = self.check(rel).map_err(|e| anyhow::anyhow!("asset {rel:?}: {e}"))?;
        let path = self.root.join(&rel);
        std::fs::read(&path).map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_remembered_but_a_read_checks_again() {
        let root = std::env::temp_dir().join(format!("folio-assets-{}", std::process::id()));
        std::fs::create_dir_all(root.join("img")).expect("mkdir");
        std::fs::write(root.join("img/logo.png"), b"png").expect("write");
        let store = AssetStore::new(&root).expect("store");
        assert_eq!(store.resolve("./img/logo.png"), Ok("img/logo.png".to_string()));
        assert_eq!(store.resolve("img/none.png"), Err(AssetError::Missing));
        assert_eq!(store.resolve("../etc/passwd"), Err(AssetError::Escapes));
        std::fs::remove_file(root.join("img/logo.png")).expect("remove");
        assert_eq!(store.resolve("./img/logo.png"), Ok("img/logo.png".to_string()), "remembered");
        assert!(store.read("img/logo.png").is_err(), "a read asks the file system again");
        std::fs::remove_dir_all(root).expect("cleanup");
    }

    fn store_with(files: &[&str]) -> (tempfile::TempDir, AssetStore) {
        let dir = tempfile::tempdir().expect("temp dir");
        for rel in files {
            let path = dir.path().join("assets").join(rel);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
            std::fs::write(path, b"x").expect("write");
        }
        let store = AssetStore::new(&dir.path().join("assets")).expect("store");
        (dir, store)
    }

    #[test]
    fn a_link_that_stays_inside_the_folder_is_followed() {
        let (dir, store) = store_with(&["img/fs/logo.png"]);
        std::os::unix::fs::symlink(dir.path().join("assets/img/fs"), dir.path().join("assets/linked")).expect("link");
        assert_eq!(store.resolve("linked/logo.png"), Ok("linked/logo.png".to_string()));
        assert_eq!(store.resolve("linked/none.png"), Err(AssetError::Missing));
    }

    #[test]
    fn a_link_that_leaves_the_folder_is_refused_at_any_depth() {
        let (dir, store) = store_with(&["img/logo.png"]);
        std::fs::write(dir.path().join("secret.png"), b"x").expect("write");
        std::os::unix::fs::symlink(dir.path(), dir.path().join("assets/img/up")).expect("link folder");
        std::os::unix::fs::symlink(dir.path().join("secret.png"), dir.path().join("assets/img/leak.png"))
            .expect("link file");
        assert_eq!(store.resolve("img/up/secret.png"), Err(AssetError::SymlinkEscapes));
        assert_eq!(store.resolve("img/leak.png"), Err(AssetError::SymlinkEscapes));
    }

    #[test]
    fn only_a_regular_file_is_an_asset() {
        let (_dir, store) = store_with(&["img/logo.png"]);
        assert_eq!(store.resolve("img"), Err(AssetError::Missing), "a folder");
        assert_eq!(store.resolve("img/logo.png/more.png"), Err(AssetError::Missing), "a file used as a folder");
    }
}
