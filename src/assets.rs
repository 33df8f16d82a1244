//! The assets folder: the only place from which files are ever read into an output.

use std::path::{Component, Path, PathBuf};

#[derive(Debug, Clone)]
pub struct AssetStore {
    /// Canonical path of the assets folder.
    root: PathBuf,
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
        Ok(AssetStore { root: root.canonicalize()? })
    }

    /// A store that holds nothing: every lookup is `Missing`.
    pub fn empty() -> Self {
        AssetStore { root: PathBuf::new() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Checks that `rel` (a `/`-separated path relative to the folder, already
    /// percent-decoded) names a regular file inside the folder, symlinks resolved.
    /// Returns the normalised relative path.
    pub fn resolve(&self, rel: &str) -> Result<String, AssetError> {
        let mut parts = Vec::new();
        for comp in Path::new(rel).components() {
            match comp {
                Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
                Component::CurDir => {}
                Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                    return Err(AssetError::Escapes)
                }
            }
        }
        if parts.is_empty() || self.root.as_os_str().is_empty() {
            return Err(AssetError::Missing);
        }
        let full = self.root.join(parts.join("/"));
        let canonical = full.canonicalize().map_err(|_| AssetError::Missing)?;
        if !canonical.starts_with(&self.root) {
            return Err(AssetError::SymlinkEscapes);
        }
        if !canonical.is_file() {
            return Err(AssetError::Missing);
        }
        Ok(parts.join("/"))
    }

    /// Reads a file previously accepted by `resolve`, re-checking confinement.
    pub fn read(&self, rel: &str) -> anyhow::Result<Vec<u8>> {
        let rel = self
            .resolve(rel)
            .map_err(|e| anyhow::anyhow!("asset {rel:?}: {e}"))?;
        let path = self.root.join(&rel);
        std::fs::read(&path).map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))
    }
}
