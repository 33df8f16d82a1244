//! The site's JavaScript, run as Eleventy runs it, in an embedded sandbox (QuickJS through
//! `rquickjs`): its configuration (filters, shortcodes, collections, global data, folders), its
//! JavaScript data files and the functions they hold (`permalink`, `eleventyComputed`).
//!
//! ```text
//! SiteScript::open(site_root) -> (Option<SiteScript>, Vec<Diagnostic>)
//!     The sandbox, and the site's Eleventy configuration run in it when the site has one.
//! SiteScript::load_data(file) -> Result<Json, JsError>
//!     A data file's value; functions inside stay callable as {"$fn": id}.
//! SiteScript::call(id, this, args) -> Result<Json, JsError>
//! ```
//!
//! Diagnostic codes: `js/failed` (a call threw or ran past a limit: its file:line, and the
//! page that made it), `js/config-failed` (the configuration could not run; folio reads the
//! site without it), `js/stand-in` (a package the site requires is not installed: an inert
//! stand-in takes its place).

mod config;
mod sandbox;

pub use config::{EleventyConfig, EleventyDirs};
pub use sandbox::{function_id, JsError, Limits, Sandbox};

use crate::diagnostics::Diagnostic;
use crate::model::Pos;
use serde_json::Value as Json;
use std::path::{Path, PathBuf};

/// The names Eleventy looks for, in its order.
pub const CONFIG_FILES: [&str; 4] =
    [".eleventy.js", "eleventy.config.js", "eleventy.config.cjs", "eleventy.config.mjs"];

/// A site's sandbox and what its configuration recorded.
pub struct SiteScript {
    pub sandbox: Sandbox,
    pub config: EleventyConfig,
    /// The configuration file, when the site has one.
    pub config_file: Option<PathBuf>,
}

impl std::fmt::Debug for SiteScript {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SiteScript").field("root", &self.sandbox.root()).field("config", &self.config).finish()
    }
}

impl SiteScript {
    /// The sandbox over `root`, with the site's configuration run in it. A configuration that
    /// fails leaves an empty one and a diagnostic: the site is then read without it.
    pub fn open(root: &Path, limits: Limits) -> (Option<SiteScript>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let sandbox = match Sandbox::new(root, limits) {
            Ok(s) => s,
            Err(e) => {
                diags.push(Diagnostic::error(
                    crate::codes::JS_FAILED,
                    root.to_string_lossy().as_ref(),
                    Pos::default(),
                    e.message,
                ));
                return (None, diags);
            }
        };
        let config_file = CONFIG_FILES.iter().map(|name| sandbox.root().join(name)).find(|p| p.is_file());
        let config = match &config_file {
            Some(file) => match sandbox.run_config(file) {
                Ok(recorded) => EleventyConfig::from_recorded(&recorded),
                Err(e) => {
                    diags.push(js_diagnostic(
                        crate::codes::JS_CONFIG_FAILED,
                        sandbox.root(),
                        file,
                        &e,
                        "the site's Eleventy configuration failed; folio reads the site without it",
                    ));
                    EleventyConfig::default()
                }
            },
            None => EleventyConfig::default(),
        };
        let script = SiteScript { sandbox, config, config_file };
        diags.extend(script.notes());
        (Some(script), diags)
    }

    /// A data file's value (a function export called, a promise awaited).
    pub fn load_data(&self, file: &Path) -> Result<Json, JsError> {
        self.sandbox.load_data(file, &[])
    }

    pub fn call(&self, id: u64, this: &Json, args: &[Json]) -> Result<Json, JsError> {
        self.sandbox.call(id, this, args)
    }

    /// The stand-ins used since the last look, as notes.
    pub fn notes(&self) -> Vec<Diagnostic> {
        let file = self.config_file.as_ref().map_or_else(String::new, |f| relative(self.sandbox.root(), f));
        self.sandbox
            .take_notes()
            .into_iter()
            .map(|note| Diagnostic::note(crate::codes::JS_STAND_IN, &file, Pos::default(), note))
            .collect()
    }
}

/// Where a site's folders are, as its Eleventy configuration says (Eleventy's defaults
/// without one): the content (`dir.input`), `_includes` and `_data` (relative to the input, as
/// Eleventy reads them), and the assets: the folder the site copies to its root, else the input.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteLayout {
    pub content: PathBuf,
    pub includes: PathBuf,
    pub data: PathBuf,
    pub assets: PathBuf,
}

impl SiteLayout {
    pub fn of(site: &Path) -> (SiteLayout, Vec<Diagnostic>) {
        let (script, diags) = SiteScript::open(site, Limits::default());
        let config = script.map(|s| s.config).unwrap_or_default();
        let clean = |p: PathBuf| p.canonicalize().unwrap_or_else(|_| lexically_normal(&p));
        let content = clean(site.join(&config.dirs.input));
        let to_root = config
            .passthrough
            .iter()
            .find(|(from, to)| matches!(to.trim_matches('/'), "" | ".") && site.join(from).is_dir());
        let layout = SiteLayout {
            includes: clean(content.join(&config.dirs.includes)),
            data: clean(content.join(&config.dirs.data)),
            assets: to_root.map_or_else(|| content.clone(), |(from, _)| clean(site.join(from))),
            content,
        };
        (layout, diags)
    }
}

/// Whether a JavaScript file whose name `wanted` accepts lies under `dir` (hidden folders and
/// `node_modules` skipped): the cheap look that spares a site without JavaScript the engine.
pub fn has_script(dir: &Path, wanted: &dyn Fn(&str) -> bool) -> bool {
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            match entry.file_type() {
                Ok(t) if t.is_dir() && !name.starts_with('.') && name != "node_modules" => pending.push(entry.path()),
                Ok(t) if t.is_file() && [".js", ".cjs", ".mjs"].iter().any(|e| name.ends_with(e)) && wanted(&name) => {
                    return true
                }
                _ => {}
            }
        }
    }
    false
}

/// `a/b/../c` as `a/c`, for a folder that does not exist (and so cannot be canonicalised).
fn lexically_normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// A failed call as a diagnostic at its JavaScript file:line when the engine named it, else at
/// `file` (the file whose code was called); `context` says what was being done.
pub fn js_diagnostic(code: &'static str, root: &Path, file: &Path, error: &JsError, context: &str) -> Diagnostic {
    let (at, pos) = match &error.file {
        Some(js) => (relative(root, Path::new(js)), Pos { line: error.line, col: error.col }),
        None => (relative(root, file), Pos::default()),
    };
    Diagnostic::warning(code, &at, pos, format!("{context}: {}", error.message))
}

/// `file` named relative to the site's folder.
pub fn relative(root: &Path, file: &Path) -> String {
    let real = file.canonicalize().unwrap_or_else(|_| file.to_path_buf());
    real.strip_prefix(root).unwrap_or(&real).to_string_lossy().replace('\\', "/")
}
