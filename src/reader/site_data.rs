//! Eleventy's data files — the inputs of its data cascade — read without running JavaScript.
//!
//! ```text
//! load_global_data(data_dir: &Path) -> (Map<String, Value>, Vec<Diagnostic>)
//!     Every file of `_data/`, keyed by file name (without extension) or folder name.
//! load_directory_data(content_dir: &Path) -> (DirectoryData, Vec<Diagnostic>)
//!     `DIR/DIR.11tydata.{json,js,cjs,mjs}` under the content folder, keyed by the content-relative
//!     folder path ("" for the root, whose file is named after the content folder itself).
//! load_template_data(content_dir: &Path) -> (DirectoryData, Vec<Diagnostic>)
//!     `DIR/NAME.11tydata.*` (NAME other than DIR), keyed by the content-relative template path
//!     without extension ("fr/index" for `fr/index.11tydata.js`, the data of `fr/index.md`).
//! read_js_data(text, file, require: &dyn Fn(&str) -> Option<Value>) -> (Option<Value>, Vec<Diagnostic>)
//!     The object (or array) literal of a CommonJS or ES module data file.
//! i18n_translations(global: &Map<String, Value>) -> Translations
//!     key -> lang -> string, what the `i18n` filter of @codegouvfr/eleventy-plugin-i18n looks up.
//! ```
//!
//! Global data: `_data/NAME.{json,yaml,yml,js,cjs,mjs}` is `NAME`; a folder `_data/NAME/` is its
//! `index.{js,cjs,mjs,json}` when that can be read, otherwise the object of its files and
//! subfolders, recursively (`_data/i18n/fr/index.js` becomes `i18n.fr`). Several sources of one
//! name are merged deeply, a folder first, then YAML, JSON and JavaScript, the last winning.
//! Listings are sorted; hidden files and `node_modules` are skipped; symbolic links to folders are
//! not followed.
//!
//! A JavaScript file is read when it is `module.exports = LITERAL` or `export default LITERAL`,
//! optionally after `const x = require("./x")`, `const {a, b: c} = require("./x")` or
//! `import x from "./x"` lines binding other data files (relative paths, never outside the folder
//! read). The literal is handed to the `json5` crate once a small pass has rewritten what JSON5
//! lacks: template strings without `${}` become strings, bound identifiers (`x`, `x.a.b`,
//! `require("./x")`, shorthand `{ x }`, spreads `...x`) become the JSON of their value, comments go.
//! A property JavaScript computes (function, arrow function, call, `${}` template, an identifier
//! no `require` binds, any other expression) is dropped with a `data/computed` warning; a file
//! that is not such a literal contributes nothing, with one `data/not-a-literal` warning.
//!
//! Diagnostic codes, files named relative to the parent of the folder read (`_data/metadata.js`,
//! `content/fr/fr.11tydata.js`):
//! - `data/computed` (warning): one property dropped, at the value's line and column.
//! - `data/not-a-literal` (warning): a JavaScript file that cannot be read without running it.
//! - `data/index-skipped` (note): a folder's unreadable `index.js` replaced by its other files.
//! - `data/not-an-object` (warning): a directory or template data file whose value is no object.
//! - `data/invalid` (error): a JSON or YAML file with a syntax error.
//! - `data/unreadable` (error): a file that cannot be read.

use crate::diagnostics::Diagnostic;
use crate::js::SiteScript;
use crate::model::Pos;
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// key -> lang -> translated string.
pub type Translations = BTreeMap<String, BTreeMap<String, String>>;
/// Content-relative folder (or template) path -> its data.
pub type DirectoryData = BTreeMap<String, Map<String, Value>>;

/// Objects, arrays and `${}` nested deeper than this make a file unreadable (no stack overflow).
const MAX_NESTING: usize = 128;
/// `require` chains longer than this resolve to nothing (cycles resolve to nothing at once).
const MAX_REQUIRE_DEPTH: usize = 32;
const SCRIPT_EXTS: [&str; 3] = ["js", "cjs", "mjs"];
const INDEX_FILES: [&str; 4] = ["index.js", "index.cjs", "index.mjs", "index.json"];

/// Global data: every file of `data_dir` (`_data/`), keyed by file name without extension, or
/// folder name. Never fails: what cannot be read is left out, with a diagnostic.
pub fn load_global_data(data_dir: &Path) -> (Map<String, Value>, Vec<Diagnostic>) {
    load_global_data_with(data_dir, None)
}

/// `load_global_data` with the site's sandbox: a JavaScript file runs there, and is read as a
/// literal only when it cannot run.
pub fn load_global_data_with(data_dir: &Path, script: Option<&SiteScript>) -> (Map<String, Value>, Vec<Diagnostic>) {
    let loader = Loader::new(data_dir, script);
    let map = loader.folder_object(data_dir, false);
    (map, loader.diags.into_inner())
}

/// Directory data files (`DIR/DIR.11tydata.json`, `.js`, `.cjs`, `.mjs`; JavaScript wins over
/// JSON) under `content_dir`, keyed by the content-relative folder path ("" for the root).
pub fn load_directory_data(content_dir: &Path) -> (DirectoryData, Vec<Diagnostic>) {
    load_content_data(content_dir, true, None)
}

/// `load_directory_data` and `load_template_data` with the site's sandbox.
pub fn load_content_data_with(
    content_dir: &Path,
    script: Option<&SiteScript>,
) -> ((DirectoryData, DirectoryData), Vec<Diagnostic>) {
    let (directory, mut diags) = load_content_data(content_dir, true, script);
    let (templates, more) = load_content_data(content_dir, false, script);
    diags.extend(more);
    ((directory, templates), diags)
}

/// Template data files (`DIR/NAME.11tydata.*` where NAME is not DIR) under `content_dir`, keyed
/// by the content-relative path of their template without extension ("fr/index").
pub fn load_template_data(content_dir: &Path) -> (DirectoryData, Vec<Diagnostic>) {
    load_content_data(content_dir, false, None)
}

/// The translations the `i18n` filter looks up: `global["i18n"]["translations"]` when it is an
/// object (key -> lang -> string); otherwise `global["i18n"]` inverted when it is an object of
/// languages each holding an object of strings (`_data/i18n/<lang>/index.js`); otherwise, when
/// `global["i18n"]` is a flat object of strings (`_data/i18n.json`), those strings in the
/// language `global["metadata"]["language"]`. Values that are not strings are left out.
pub fn i18n_translations(global: &Map<String, Value>) -> Translations {
    let mut out = Translations::new();
    let Some(i18n) = global.get("i18n").and_then(Value::as_object) else { return out };
    if let Some(translations) = i18n.get("translations").and_then(Value::as_object) {
        for (key, langs) in translations {
            for (lang, text) in langs.as_object().into_iter().flatten() {
                if let Some(text) = text.as_str() {
                    out.entry(key.clone()).or_default().insert(lang.clone(), text.to_string());
                }
            }
        }
    } else if i18n.values().any(Value::is_object) {
        for (lang, strings) in i18n {
            for (key, text) in strings.as_object().into_iter().flatten() {
                if let Some(text) = text.as_str() {
                    out.entry(key.clone()).or_default().insert(lang.clone(), text.to_string());
                }
            }
        }
    } else if let Some(lang) = global.get("metadata").and_then(|m| m.get("language")).and_then(Value::as_str) {
        for (key, text) in i18n {
            if let Some(text) = text.as_str() {
                out.entry(key.clone()).or_default().insert(lang.to_string(), text.to_string());
            }
        }
    }
    out
}

/// Reads the literal a JavaScript data file exports. `file` names it in diagnostics; `require`
/// gives the value of a `require("./x")` / `import … from "./x"` specifier, or `None`.
/// Returns `None` (and one `data/not-a-literal` warning) when the file is not such a literal.
pub fn read_js_data(
    text: &str,
    file: &str,
    require: &dyn Fn(&str) -> Option<Value>,
) -> (Option<Value>, Vec<Diagnostic>) {
    let mut line_starts = vec![0];
    line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
    let mut reader = JsReader {
        src: text,
        b: text.as_bytes(),
        file,
        require,
        bindings: HashMap::new(),
        out: String::new(),
        diags: Vec::new(),
        line_starts,
    };
    match reader.read() {
        Ok(value) => (Some(value), reader.diags),
        Err((at, why)) => {
            let message = format!(
                "not a data literal ({why}): folio reads `module.exports = {{ … }}` with literal values, after \
                 `require` lines at most, without running JavaScript; the file is ignored, give its values in \
                 folio.toml's [data] table"
            );
            (None, vec![Diagnostic::warning(crate::codes::DATA_NOT_A_LITERAL, file, reader.pos(at), message)])
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Files and folders

/// Reads data files under one folder; `require` cannot leave it. Each file is read once.
struct Loader<'s> {
    /// The site's sandbox, where JavaScript files run when there is one.
    script: Option<&'s SiteScript>,
    /// The folder read, canonical when it exists: no file outside it is read through `require`.
    root: PathBuf,
    /// Diagnostics name files relative to this (the folder's parent).
    display_base: PathBuf,
    cache: RefCell<HashMap<PathBuf, Option<Value>>>,
    /// Files being read, innermost last (cycles of `require`).
    stack: RefCell<Vec<PathBuf>>,
    diags: RefCell<Vec<Diagnostic>>,
}

impl<'s> Loader<'s> {
    fn new(dir: &Path, script: Option<&'s SiteScript>) -> Self {
        Loader {
            script,
            root: dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf()),
            display_base: dir.parent().unwrap_or(Path::new("")).to_path_buf(),
            cache: RefCell::default(),
            stack: RefCell::default(),
            diags: RefCell::default(),
        }
    }

    fn display(&self, path: &Path) -> String {
        path.strip_prefix(&self.display_base).unwrap_or(path).to_string_lossy().replace('\\', "/")
    }

    fn push(&self, diag: Diagnostic) {
        self.diags.borrow_mut().push(diag);
    }

    /// The value of one data file (`None` when it cannot be read or is not data).
    fn load_file(&self, path: &Path) -> Option<Value> {
        let cached = self.cache.borrow().get(path).cloned();
        if let Some(value) = cached {
            return value;
        }
        {
            let stack = self.stack.borrow();
            if stack.len() >= MAX_REQUIRE_DEPTH || stack.iter().any(|p| p == path) {
                return None;
            }
        }
        self.stack.borrow_mut().push(path.to_path_buf());
        let value = self.parse_file(path);
        self.stack.borrow_mut().pop();
        self.cache.borrow_mut().insert(path.to_path_buf(), value.clone());
        value
    }

    fn parse_file(&self, path: &Path) -> Option<Value> {
        let file = self.display(path);
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                self.push(Diagnostic::error(
                    crate::codes::DATA_UNREADABLE,
                    file,
                    Pos::default(),
                    format!("cannot read: {e}"),
                ));
                return None;
            }
        };
        let text = String::from_utf8_lossy(&bytes);
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        match extension(path) {
            "json" => match serde_json::from_str::<Value>(text) {
                Ok(value) => Some(value),
                Err(e) => {
                    let pos = Pos { line: e.line() as u32, col: e.column() as u32 };
                    self.push(Diagnostic::error(crate::codes::DATA_INVALID, file, pos, format!("invalid JSON: {e}")));
                    None
                }
            },
            "yaml" | "yml" => match serde_yaml::from_str::<Value>(text) {
                Ok(value) => Some(value),
                Err(e) => {
                    let pos =
                        e.location().map_or(Pos::default(), |l| Pos { line: l.line() as u32, col: l.column() as u32 });
                    self.push(Diagnostic::error(crate::codes::DATA_INVALID, file, pos, format!("invalid YAML: {e}")));
                    None
                }
            },
            ext if SCRIPT_EXTS.contains(&ext) => {
                if let Some(script) = self.script {
                    match script.load_data(path) {
                        Ok(value) => return Some(value),
                        Err(e) => self.push(crate::js::js_diagnostic(
                            crate::codes::JS_FAILED,
                            script.sandbox.root(),
                            path,
                            &e,
                            "this data file failed to run; its literal values are read instead",
                        )),
                    }
                }
                let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
                let require = |spec: &str| self.require(&dir, spec);
                let (value, diags) = read_js_data(text, &file, &require);
                self.diags.borrow_mut().extend(diags);
                value
            }
            _ => None,
        }
    }

    /// Node's resolution of a relative specifier, restricted to data files inside the root.
    fn require(&self, dir: &Path, spec: &str) -> Option<Value> {
        if !(spec.starts_with("./") || spec.starts_with("../")) {
            return None;
        }
        let mut path = dir.to_path_buf();
        for part in spec.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    path.pop();
                }
                part => path.push(part),
            }
        }
        let mut candidates = vec![path.clone()];
        for ext in [".js", ".cjs", ".json"] {
            let mut with_ext = path.clone().into_os_string();
            with_ext.push(ext);
            candidates.push(PathBuf::from(with_ext));
        }
        candidates.extend(INDEX_FILES.iter().map(|index| path.join(index)));
        let found = candidates.into_iter().find(|c| c.is_file())?;
        let inside = found.canonicalize().is_ok_and(|real| real.starts_with(&self.root));
        if inside {
            self.load_file(&found)
        } else {
            None
        }
    }

    /// A `_data` subfolder: its index file when readable, otherwise its files as an object.
    fn folder_value(&self, dir: &Path) -> Value {
        for index in INDEX_FILES {
            let path = dir.join(index);
            if !path.is_file() {
                continue;
            }
            if let Some(value) = self.load_file(&path) {
                return value;
            }
            let folder = self.display(dir);
            let message = format!(
                "`{}` cannot be read: the data of `{folder}` is made of the folder's other files instead",
                self.display(&path)
            );
            self.push(Diagnostic::note(crate::codes::DATA_INDEX_SKIPPED, self.display(&path), Pos::default(), message));
            break;
        }
        Value::Object(self.folder_object(dir, true))
    }

    /// The data files and subfolders of `dir` as one object (index files left out if asked).
    fn folder_object(&self, dir: &Path, skip_index: bool) -> Map<String, Value> {
        let mut sources = Vec::new();
        for (name, path, is_dir) in list_folder(dir) {
            if is_dir {
                sources.push((name, 0, path, true));
                continue;
            }
            let Some((stem, ext)) = name.rsplit_once('.') else { continue };
            let rank = match ext {
                "yaml" | "yml" => 1,
                "json" => 2,
                ext if SCRIPT_EXTS.contains(&ext) => 3,
                _ => continue,
            };
            if stem.is_empty() || (skip_index && INDEX_FILES.contains(&name.as_str())) {
                continue;
            }
            sources.push((stem.to_string(), rank, path, false));
        }
        sources.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        let mut map = Map::new();
        for (key, _, path, is_dir) in sources {
            let value = if is_dir { Some(self.folder_value(&path)) } else { self.load_file(&path) };
            if let Some(value) = value {
                merge_entry(&mut map, key, value);
            }
        }
        map
    }
}

fn extension(path: &Path) -> &str {
    path.extension().and_then(|e| e.to_str()).unwrap_or("")
}

/// `dir`'s entries (name, path, is a folder), sorted by name, without hidden files,
/// `node_modules`, symbolic links to folders, or names that are not UTF-8.
fn list_folder(dir: &Path) -> Vec<(String, PathBuf, bool)> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out: Vec<_> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            if name.starts_with('.') || name == "node_modules" {
                return None;
            }
            let kind = entry.file_type().ok()?;
            let is_dir = kind.is_dir();
            let is_file = kind.is_file() || (kind.is_symlink() && entry.path().is_file());
            (is_dir || is_file).then(|| (name, entry.path(), is_dir))
        })
        .collect();
    out.sort();
    out
}

/// Sets `key`, merging objects deeply (the new value wins elsewhere).
fn merge_entry(map: &mut Map<String, Value>, key: String, value: Value) {
    match (map.get_mut(&key), value) {
        (Some(Value::Object(old)), Value::Object(new)) => {
            for (k, v) in new {
                merge_entry(old, k, v);
            }
        }
        (_, value) => {
            map.insert(key, value);
        }
    }
}

fn load_content_data(
    content_dir: &Path,
    directories: bool,
    script: Option<&SiteScript>,
) -> (DirectoryData, Vec<Diagnostic>) {
    let loader = Loader::new(content_dir, script);
    let root_name = loader.root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut out = DirectoryData::new();
    let mut pending = vec![(content_dir.to_path_buf(), String::new(), root_name)];
    while let Some((dir, rel, dir_name)) = pending.pop() {
        // Per template (or the folder itself): its data files, JSON before JavaScript.
        let mut files: BTreeMap<String, Vec<(u8, PathBuf)>> = BTreeMap::new();
        for (name, path, is_dir) in list_folder(&dir) {
            if is_dir {
                let sub = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
                pending.push((path, sub, name));
                continue;
            }
            let Some((stem, ext)) = name.rsplit_once(".11tydata.") else { continue };
            let rank = match ext {
                "json" => 0,
                ext if SCRIPT_EXTS.contains(&ext) => 1,
                _ => continue,
            };
            if (stem == dir_name) == directories {
                files.entry(stem.to_string()).or_default().push((rank, path));
            }
        }
        for (stem, mut paths) in files {
            paths.sort();
            let mut data: Option<Map<String, Value>> = None;
            for (_, path) in paths {
                match loader.load_file(&path) {
                    Some(Value::Object(map)) => {
                        let merged = data.get_or_insert_with(Map::new);
                        for (k, v) in map {
                            merged.insert(k, v);
                        }
                    }
                    Some(_) => {
                        let message = "the data is not an object of keys and values: ignored";
                        loader.push(Diagnostic::warning(
                            crate::codes::DATA_NOT_AN_OBJECT,
                            loader.display(&path),
                            Pos::default(),
                            message,
                        ));
                    }
                    None => {}
                }
            }
            let key = match (directories, rel.is_empty()) {
                (true, _) => rel.clone(),
                (false, true) => stem,
                (false, false) => format!("{rel}/{stem}"),
            };
            if let Some(data) = data {
                out.insert(key, data);
            }
        }
    }
    (out, loader.diags.into_inner())
}

// ---------------------------------------------------------------------------------------------
// JavaScript literals

/// A reason a file is not a literal, at a byte offset.
type Fail = (usize, String);

/// What reading one value gave.
enum Val {
    /// Written to the output; ends at this offset.
    Done(usize),
    /// `undefined`: left out silently.
    Absent(usize),
    /// Computed by JavaScript (what it is): skipped up to this offset.
    Computed(usize, String),
}

/// `function (p) { return `…`; }`, `(p) => `…`` or `(p) => { return `…`; }` whose `${}` are
/// all fields of `p`, as a Nunjucks template; `None` for anything else.
pub fn function_as_template(src: &str) -> Option<String> {
    let src = src.trim();
    let (param, body) = if let Some(rest) = src.strip_prefix("function") {
        let rest = rest.trim_start();
        let open = rest.find('(')?;
        let close = rest.find(')')?;
        let body = rest.get(close + 1..)?.trim();
        if !body.starts_with('{') {
            return None;
        }
        (rest.get(open + 1..close)?.trim(), body)
    } else {
        let (param, body) = src.split_once("=>")?;
        (param.trim().trim_start_matches('(').trim_end_matches(')').trim(), body.trim())
    };
    if param.is_empty() || !param.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$') {
        return None;
    }
    let body = match body.strip_prefix('{') {
        Some(block) => {
            block.trim_end().strip_suffix('}')?.trim().strip_prefix("return")?.trim().trim_end_matches(';').trim()
        }
        None => body.trim_end_matches(';').trim(),
    };
    let inner = body.strip_prefix('`')?.strip_suffix('`')?;
    let mut out = String::new();
    let mut rest = inner;
    while let Some(start) = rest.find("${") {
        let literal = &rest[..start];
        if literal.contains(['`', '\\']) || literal.contains("{{") || literal.contains("{%") {
            return None;
        }
        out.push_str(literal);
        let close = rest[start..].find('}')? + start;
        let path = rest[start + 2..close].trim().strip_prefix(param)?.strip_prefix('.')?;
        if path.is_empty() || !path.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.') {
            return None;
        }
        out.push_str(&format!("{{{{ {path} }}}}"));
        rest = &rest[close + 1..];
    }
    if rest.contains(['`', '\\']) || rest.contains("{{") {
        return None;
    }
    out.push_str(rest);
    Some(out)
}

struct JsReader<'a> {
    src: &'a str,
    b: &'a [u8],
    file: &'a str,
    require: &'a dyn Fn(&str) -> Option<Value>,
    bindings: HashMap<String, Value>,
    /// The literal rewritten as JSON5.
    out: String,
    diags: Vec<Diagnostic>,
    line_starts: Vec<usize>,
}

impl<'a> JsReader<'a> {
    fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.src.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        let col = self.src.get(start..offset).map_or(offset - start, |s| s.chars().count()) + 1;
        Pos { line: line as u32, col: col as u32 }
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    fn read(&mut self) -> Result<Value, Fail> {
        let mut i = 0;
        if self.src.starts_with("#!") {
            i = self.src.find('\n').unwrap_or(self.src.len());
        }
        let start = loop {
            i = self.trivia(i);
            match self.at(i) {
                None => return Err((i, "no `module.exports = …` in the file".into())),
                Some(b';') => {
                    i += 1;
                    continue;
                }
                Some(b'"' | b'\'') => {
                    i = self.string_end(i)?; // a directive: "use strict"
                    continue;
                }
                _ => {}
            }
            let Some((word, end)) = self.ident(i) else { return Err((i, "code before `module.exports`".into())) };
            match word {
                "const" | "let" | "var" => i = self.binding(i, end)?,
                "import" => i = self.import(end)?,
                "module" => {
                    let j = self.trivia(end);
                    let after_exports = match (self.at(j), self.ident(self.trivia(j + 1))) {
                        (Some(b'.'), Some(("exports", e))) => Some(self.trivia(e)),
                        _ => None,
                    };
                    match after_exports {
                        Some(k) if self.at(k) == Some(b'=') && self.at(k + 1) != Some(b'=') => {
                            break self.trivia(k + 1)
                        }
                        _ => return Err((i, "`module` is used otherwise than in `module.exports = …`".into())),
                    }
                }
                "export" => {
                    let j = self.trivia(end);
                    match self.ident(j) {
                        Some(("default", e)) => break self.trivia(e),
                        _ => return Err((i, "an `export` other than `export default`".into())),
                    }
                }
                _ => {
                    return Err((
                        i,
                        format!("`{word} …` before `module.exports` is code, not a `require` of a data file"),
                    ))
                }
            }
        };
        let end = match self.value(start, "", 0)? {
            Val::Done(end) => end,
            Val::Absent(_) => return Err((start, "`module.exports` is undefined".into())),
            Val::Computed(_, what) => {
                return Err((start, format!("`module.exports` is computed by JavaScript ({what})")))
            }
        };
        let mut i = end;
        loop {
            i = self.trivia(i);
            match self.at(i) {
                None => break,
                Some(b';') => i += 1,
                Some(_) => return Err((i, "code after `module.exports = …`".into())),
            }
        }
        json5::from_str::<Value>(&self.out).map_err(|e| (start, format!("the literal is not valid JSON5 ({e})")))
    }

    /// `const x = require("./x")` or `const {a, b: c} = require("./x").d` (after the keyword).
    fn binding(&mut self, statement: usize, i: usize) -> Result<usize, Fail> {
        let i = self.trivia(i);
        let (names, after) = if self.at(i) == Some(b'{') {
            self.pattern(i + 1, b':')?
        } else {
            let (name, end) =
                self.ident(i).ok_or((i, "a declaration other than `const name = require(…)`".to_string()))?;
            (vec![(None, name.to_string())], end)
        };
        let j = self.trivia(after);
        if self.at(j) != Some(b'=') || self.at(j + 1) == Some(b'=') {
            return Err((i, "a declaration without a value".into()));
        }
        let k = self.trivia(j + 1);
        let Some((value, end)) = self.require_call(k)? else {
            return Err((statement, "a declaration other than `const name = require(…)`".into()));
        };
        if let Some(value) = value {
            self.bind(names, value);
        }
        Ok(end)
    }

    /// `import x from "./x"`, `import {a, b as c} from "./x"` or `import * as x from "./x"`.
    fn import(&mut self, i: usize) -> Result<usize, Fail> {
        let i = self.trivia(i);
        let (names, after) = match self.at(i) {
            Some(b'{') => self.pattern(i + 1, b'a')?,
            Some(b'*') => {
                let j = self.trivia(i + 1);
                let name = match self.ident(j) {
                    Some(("as", e)) => self.ident(self.trivia(e)),
                    _ => None,
                };
                let (name, end) = name.ok_or((i, "an unexpected `import`".to_string()))?;
                (vec![(None, name.to_string())], end)
            }
            _ => {
                let (name, end) = self.ident(i).ok_or((i, "an unexpected `import`".to_string()))?;
                (vec![(None, name.to_string())], end)
            }
        };
        let j = self.trivia(after);
        let k = match self.ident(j) {
            Some(("from", e)) => self.trivia(e),
            _ => return Err((j, "an `import` without `from`".into())),
        };
        if !matches!(self.at(k), Some(b'"' | b'\'')) {
            return Err((k, "an `import` from something other than a string".into()));
        }
        let end = self.string_end(k)?;
        let spec = self.src.get(k + 1..end - 1).unwrap_or("");
        let mut after = end;
        // `with { type: "json" }` / `assert { … }`
        let j = self.trivia(end);
        if let Some(("with" | "assert", e)) = self.ident(j) {
            let open = self.trivia(e);
            if self.at(open) == Some(b'{') {
                after = self.skip(open + 1, false, 0) + 1;
            }
        }
        if let Some(value) = (self.require)(spec) {
            self.bind(names, value);
        }
        Ok(after)
    }

    /// `{a, b: c}` (`sep` b':') or `{a, b as c}` (`sep` b'a'), from after the brace:
    /// (property or None for the whole value, local name), and the offset after `}`.
    #[allow(clippy::type_complexity)]
    fn pattern(&self, mut i: usize, sep: u8) -> Result<(Vec<(Option<String>, String)>, usize), Fail> {
        let mut names = Vec::new();
        loop {
            i = self.trivia(i);
            if self.at(i) == Some(b'}') {
                return Ok((names, i + 1));
            }
            let (prop, end) = self.ident(i).ok_or((i, "a destructuring pattern folio cannot read".to_string()))?;
            let mut local = prop;
            let mut j = self.trivia(end);
            if sep == b':' && self.at(j) == Some(b':') {
                let (name, e) =
                    self.ident(self.trivia(j + 1)).ok_or((j, "a nested destructuring pattern".to_string()))?;
                local = name;
                j = self.trivia(e);
            } else if sep == b'a' && self.ident(j).is_some_and(|(w, _)| w == "as") {
                let after_as = self.ident(j).map_or(j, |(_, e)| e);
                let (name, e) = self.ident(self.trivia(after_as)).ok_or((j, "an `as` without a name".to_string()))?;
                local = name;
                j = self.trivia(e);
            }
            names.push((Some(prop.to_string()), local.to_string()));
            match self.at(j) {
                Some(b',') => i = j + 1,
                Some(b'}') => i = j,
                _ => return Err((j, "a destructuring pattern folio cannot read".into())),
            }
        }
    }

    fn bind(&mut self, names: Vec<(Option<String>, String)>, value: Value) {
        for (prop, local) in names {
            let bound = match prop {
                None => Some(value.clone()),
                Some(prop) => value.get(&prop).cloned(),
            };
            if let Some(bound) = bound {
                self.bindings.insert(local, bound);
            }
        }
    }

    /// `require("spec")` then `.a.b` at `i`: `None` when there is no such call, `Some(None)` when
    /// it does not resolve, else its value and end.
    #[allow(clippy::type_complexity)]
    fn require_call(&self, i: usize) -> Result<Option<(Option<Value>, usize)>, Fail> {
        let Some(("require", end)) = self.ident(i) else { return Ok(None) };
        let j = self.trivia(end);
        if self.at(j) != Some(b'(') {
            return Ok(None);
        }
        let k = self.trivia(j + 1);
        if !matches!(self.at(k), Some(b'"' | b'\'')) {
            return Ok(None);
        }
        let send = self.string_end(k)?;
        let close = self.trivia(send);
        if self.at(close) != Some(b')') {
            return Ok(None);
        }
        let spec = self.src.get(k + 1..send - 1).unwrap_or("");
        Ok(Some(match (self.require)(spec) {
            Some(value) => match self.access(value, close + 1) {
                Some((value, end)) => (Some(value), end),
                None => (None, self.member_chain_end(close + 1)),
            },
            None => (None, self.member_chain_end(close + 1)),
        }))
    }

    /// Follows `.name` accesses after a value ending at `end`: None when one is missing.
    fn access(&self, mut value: Value, mut end: usize) -> Option<(Value, usize)> {
        loop {
            let j = self.trivia(end);
            if self.at(j) != Some(b'.') || self.at(j + 1) == Some(b'.') {
                return Some((value, end));
            }
            let (name, e) = self.ident(self.trivia(j + 1))?;
            value = value.get(name)?.clone();
            end = e;
        }
    }

    fn member_chain_end(&self, mut end: usize) -> usize {
        loop {
            let j = self.trivia(end);
            if self.at(j) != Some(b'.') || self.at(j + 1) == Some(b'.') {
                return end;
            }
            match self.ident(self.trivia(j + 1)) {
                Some((_, e)) => end = e,
                None => return end,
            }
        }
    }

    fn computed(&mut self, at: usize, key: &str, what: &str) {
        let key = if key.is_empty() { "a value" } else { key };
        let message = format!(
            "`{key}` is computed by JavaScript ({what}): folio cannot run it and leaves it out; \
             give its value in folio.toml's [data] table"
        );
        self.diags.push(Diagnostic::warning(crate::codes::DATA_COMPUTED, self.file, self.pos(at), message));
    }

    fn push_json(&mut self, value: &Value) {
        if let Ok(json) = serde_json::to_string(value) {
            self.out.push_str(&json);
        }
    }

    /// One value at `i` (after trivia), written to the output when it is literal.
    fn value(&mut self, i: usize, path: &str, depth: usize) -> Result<Val, Fail> {
        if depth > MAX_NESTING {
            return Err((i, "the literal is nested too deeply".into()));
        }
        let Some(c) = self.at(i) else { return Err((i, "unexpected end of file".into())) };
        match c {
            b'{' => self.object(i, path, depth + 1),
            b'[' => self.array(i, path, depth + 1),
            b'"' | b'\'' => {
                let end = self.string_end(i)?;
                let src = self.src;
                self.out.push_str(src.get(i..end).unwrap_or("\"\""));
                Ok(Val::Done(end))
            }
            b'`' => self.template(i),
            b'0'..=b'9' | b'.' | b'-' | b'+' => Ok(self.number(i)),
            b'(' => {
                let end = self.skip(i, true, 0);
                Ok(self
                    .template_function(i, end)
                    .unwrap_or(Val::Computed(end, "an arrow function or an expression".into())))
            }
            _ => match self.ident(i) {
                Some((word, end)) => self.word(i, word, end),
                None => Ok(Val::Computed(self.skip(i, true, 0), "an expression".into())),
            },
        }
    }

    /// A value inside an object or an array: one followed by anything but `,` or the closing
    /// bracket is an expression (`"a" + b`, `x ? y : z`), computed.
    fn member(&mut self, i: usize, path: &str, depth: usize) -> Result<Val, Fail> {
        let (mark, diag_mark) = (self.out.len(), self.diags.len());
        let val = self.value(i, path, depth)?;
        let val = match val {
            Val::Done(end) | Val::Absent(end) if !matches!(self.at(self.trivia(end)), Some(b',' | b'}' | b']')) => {
                self.diags.truncate(diag_mark);
                Val::Computed(self.skip(i, true, 0), "an expression".into())
            }
            val => val,
        };
        if !matches!(val, Val::Done(_)) {
            self.out.truncate(mark);
        }
        Ok(val)
    }

    fn word(&mut self, i: usize, word: &str, end: usize) -> Result<Val, Fail> {
        match word {
            "true" | "false" | "null" => {
                self.out.push_str(word);
                return Ok(Val::Done(end));
            }
            "undefined" => return Ok(Val::Absent(end)),
            "function" | "async" => {
                let end = self.skip(i, true, 0);
                return Ok(self.template_function(i, end).unwrap_or(Val::Computed(end, "a function".into())));
            }
            "new" | "class" | "this" => return Ok(Val::Computed(self.skip(i, true, 0), "an expression".into())),
            _ => {}
        }
        if let Some((value, end)) = self.require_call(i)? {
            return Ok(match value {
                Some(value) => {
                    self.push_json(&value);
                    Val::Done(end)
                }
                None => Val::Computed(self.skip(i, true, 0), "a `require` folio cannot resolve".into()),
            });
        }
        if let Some(value) = self.bindings.get(word).cloned() {
            return Ok(match self.access(value, end) {
                Some((value, end)) => {
                    self.push_json(&value);
                    Val::Done(end)
                }
                None => Val::Computed(self.skip(i, true, 0), format!("a property `{word}` does not have")),
            });
        }
        let j = self.trivia(end);
        let what = match (self.at(j), self.at(j + 1)) {
            (Some(b'='), Some(b'>')) => "an arrow function".to_string(),
            (Some(b'('), _) => "a call".to_string(),
            _ => format!("the identifier `{word}`, which no `require` binds"),
        };
        Ok(Val::Computed(self.skip(i, true, 0), what))
    }

    fn object(&mut self, open: usize, path: &str, depth: usize) -> Result<Val, Fail> {
        let src = self.src;
        self.out.push('{');
        let mut first = true;
        let mut i = open + 1;
        loop {
            i = self.trivia(i);
            let Some(c) = self.at(i) else { return Err((open, "an object that is never closed".into())) };
            if c == b'}' {
                self.out.push('}');
                return Ok(Val::Done(i + 1));
            }
            let start = i;
            if src.get(i..).is_some_and(|s| s.starts_with("...")) {
                let j = self.trivia(i + 3);
                let spread = self.ident(j).and_then(|(w, e)| self.access(self.bindings.get(w)?.clone(), e));
                match spread {
                    Some((Value::Object(map), end)) if matches!(self.at(self.trivia(end)), Some(b',' | b'}')) => {
                        for (k, v) in map {
                            if !first {
                                self.out.push(',');
                            }
                            first = false;
                            self.push_json(&Value::String(k));
                            self.out.push(':');
                            self.push_json(&v);
                        }
                        i = end;
                    }
                    _ => {
                        i = self.skip(start, true, 0);
                        self.computed(start, &join(path, "…"), "a spread of a value no `require` gives");
                    }
                }
                i = self.after_member(i)?;
                continue;
            }
            let (key, key_end, shorthand_ok) = match c {
                b'"' | b'\'' => {
                    let end = self.string_end(i)?;
                    (src.get(i + 1..end - 1).unwrap_or("").to_string(), end, false)
                }
                b'[' => {
                    i = self.skip(start, true, 0);
                    self.computed(start, &join(path, "[…]"), "a computed key");
                    i = self.after_member(i)?;
                    continue;
                }
                b'0'..=b'9' => {
                    let end = self.scan_while(i, |c| c.is_ascii_alphanumeric() || c == b'.');
                    (src.get(i..end).unwrap_or("").to_string(), end, false)
                }
                _ => match self.ident(i) {
                    Some((word, end)) => (word.to_string(), end, true),
                    None => return Err((i, "an object key folio cannot read".into())),
                },
            };
            let key_path = join(path, &key);
            let j = self.trivia(key_end);
            match self.at(j) {
                Some(b':') => {
                    let value_start = self.trivia(j + 1);
                    let mark = self.out.len();
                    if !first {
                        self.out.push(',');
                    }
                    self.push_json(&Value::String(key));
                    self.out.push(':');
                    match self.member(value_start, &key_path, depth)? {
                        Val::Done(end) => {
                            first = false;
                            i = end;
                        }
                        Val::Absent(end) => {
                            self.out.truncate(mark);
                            i = end;
                        }
                        Val::Computed(end, what) => {
                            self.out.truncate(mark);
                            self.computed(value_start, &key_path, &what);
                            i = end;
                        }
                    }
                }
                Some(b',' | b'}') if shorthand_ok => {
                    match self.bindings.get(&key).cloned() {
                        Some(value) => {
                            if !first {
                                self.out.push(',');
                            }
                            first = false;
                            self.push_json(&Value::String(key.clone()));
                            self.out.push(':');
                            self.push_json(&value);
                        }
                        None => {
                            let what = format!("the identifier `{key}`, which no `require` binds");
                            self.computed(start, &key_path, &what);
                        }
                    }
                    i = key_end;
                }
                _ => {
                    i = self.skip(start, true, 0);
                    self.computed(start, &key_path, "a method or an accessor");
                }
            }
            i = self.after_member(i)?;
        }
    }

    fn array(&mut self, open: usize, path: &str, depth: usize) -> Result<Val, Fail> {
        self.out.push('[');
        let mut first = true;
        let mut i = open + 1;
        let mut index = 0usize;
        loop {
            i = self.trivia(i);
            let Some(c) = self.at(i) else { return Err((open, "an array that is never closed".into())) };
            if c == b']' {
                self.out.push(']');
                return Ok(Val::Done(i + 1));
            }
            if c == b',' {
                return Err((i, "an array with a hole".into()));
            }
            let elem_path = format!("{path}[{index}]");
            index += 1;
            if self.src.get(i..).is_some_and(|s| s.starts_with("...")) {
                let j = self.trivia(i + 3);
                let spread = self.ident(j).and_then(|(w, e)| self.access(self.bindings.get(w)?.clone(), e));
                match spread {
                    Some((Value::Array(items), end)) if matches!(self.at(self.trivia(end)), Some(b',' | b']')) => {
                        for item in items {
                            if !first {
                                self.out.push(',');
                            }
                            first = false;
                            self.push_json(&item);
                        }
                        i = end;
                    }
                    _ => {
                        let start = i;
                        i = self.skip(start, true, 0);
                        self.computed(start, &elem_path, "a spread of a value no `require` gives");
                    }
                }
                i = self.after_member(i)?;
                continue;
            }
            let mark = self.out.len();
            if !first {
                self.out.push(',');
            }
            match self.member(i, &elem_path, depth)? {
                Val::Done(end) => {
                    first = false;
                    i = end;
                }
                Val::Absent(end) => {
                    self.out.truncate(mark);
                    i = end;
                }
                Val::Computed(end, what) => {
                    self.out.truncate(mark);
                    self.computed(i, &elem_path, &what);
                    i = end;
                }
            }
            i = self.after_member(i)?;
        }
    }

    /// After a member: past its `,`, or at the closing bracket.
    fn after_member(&self, i: usize) -> Result<usize, Fail> {
        let i = self.trivia(i);
        match self.at(i) {
            Some(b',') => Ok(i + 1),
            Some(b'}' | b']') => Ok(i),
            _ => Err((i, "expected `,` or the end of the object or array".into())),
        }
    }

    /// A number token, written for JSON5 (`_` separators removed, `0b`/`0o` made decimal).
    fn number(&mut self, i: usize) -> Val {
        let mut j = i;
        if matches!(self.at(j), Some(b'-' | b'+')) {
            j += 1;
        }
        let digits = j;
        if !matches!(self.at(j), Some(b'0'..=b'9' | b'.')) {
            return Val::Computed(self.skip(i, true, 0), "an expression".into());
        }
        let hex = matches!(self.src.get(digits..digits + 2), Some("0x" | "0X"));
        while let Some(c) = self.at(j) {
            let exponent_sign = (c == b'+' || c == b'-') && !hex && matches!(self.at(j - 1), Some(b'e' | b'E'));
            if c.is_ascii_alphanumeric() || c == b'.' || c == b'_' || exponent_sign {
                j += 1;
            } else {
                break;
            }
        }
        let token: String = self.src.get(i..j).unwrap_or("").chars().filter(|&c| c != '_').collect();
        let (sign, body) = if token.starts_with(['-', '+']) { token.split_at(1) } else { ("", token.as_str()) };
        let radix = match body.get(..2) {
            Some("0b" | "0B") => 2,
            Some("0o" | "0O") => 8,
            _ => 0,
        };
        if body.ends_with('n') && !hex {
            return Val::Computed(self.skip(i, true, 0), "a BigInt".into());
        }
        if radix != 0 {
            match body.get(2..).and_then(|d| i64::from_str_radix(d, radix).ok()) {
                Some(n) => self.out.push_str(&format!("{sign}{n}")),
                None => return Val::Computed(self.skip(i, true, 0), "an expression".into()),
            }
        } else {
            self.out.push_str(&token);
        }
        Val::Done(j)
    }

    /// A function that only returns a template string of its argument's fields
    /// (`function (data) { return `/${data.lang}/blog/${data.page.fileSlug}/`; }`, a computed
    /// `permalink`) is the Nunjucks template that prints the same: `/{{ lang }}/blog/…`.
    fn template_function(&mut self, i: usize, end: usize) -> Option<Val> {
        let template = function_as_template(self.src.get(i..end)?)?;
        self.out.push_str(&serde_json::to_string(&template).ok()?);
        Some(Val::Done(end))
    }

    /// A template string: a plain JSON string when it has no `${}`.
    fn template(&mut self, i: usize) -> Result<Val, Fail> {
        let (end, substitutions) = self.template_end(i, 0)?;
        if substitutions {
            return Ok(Val::Computed(end, "a template string with `${…}`".into()));
        }
        let raw = self.src.get(i + 1..end - 1).unwrap_or("");
        let out = &mut self.out;
        out.push('"');
        let mut chars = raw.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some(c @ ('`' | '$' | '{' | '}')) => out.push(c),
                    Some('\r') => {
                        chars.next_if_eq(&'\n');
                    }
                    Some('\n') | None => {}
                    Some(c) => {
                        out.push('\\');
                        out.push(c);
                    }
                },
                '"' => out.push_str("\\\""),
                '\r' => {
                    chars.next_if_eq(&'\n');
                    out.push_str("\\n");
                }
                '\n' => out.push_str("\\n"),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        Ok(Val::Done(end))
    }

    // Lexing ---------------------------------------------------------------------------------

    /// Past whitespace (a byte-order mark included) and comments.
    fn trivia(&self, mut i: usize) -> usize {
        loop {
            match self.at(i) {
                Some(b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) => i += 1,
                Some(b'/') if self.at(i + 1) == Some(b'/') => {
                    i = memchr::memchr(b'\n', self.b.get(i..).unwrap_or(&[])).map_or(self.b.len(), |n| i + n + 1);
                }
                Some(b'/') if self.at(i + 1) == Some(b'*') => {
                    let rest = self.b.get(i + 2..).unwrap_or(&[]);
                    i = memchr::memmem::find(rest, b"*/").map_or(self.b.len(), |n| i + 2 + n + 2);
                }
                Some(c) if c >= 0x80 => match self.src.get(i..).and_then(|s| s.chars().next()) {
                    Some(ch) if ch.is_whitespace() || ch == '\u{feff}' => i += ch.len_utf8(),
                    _ => return i,
                },
                _ => return i,
            }
        }
    }

    fn scan_while(&self, mut i: usize, keep: impl Fn(u8) -> bool) -> usize {
        while self.at(i).is_some_and(&keep) {
            i += 1;
        }
        i
    }

    /// An identifier at `i` (ASCII letters, digits, `_`, `$`, and any non-ASCII letter).
    fn ident(&self, i: usize) -> Option<(&'a str, usize)> {
        let first = self.at(i)?;
        if !(first.is_ascii_alphabetic() || first == b'_' || first == b'$' || first >= 0x80) {
            return None;
        }
        if first >= 0x80 {
            let ch = self.src.get(i..)?.chars().next()?;
            if !ch.is_alphabetic() {
                return None;
            }
        }
        let end = self.scan_while(i, |c| c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80);
        Some((self.src.get(i..end)?, end))
    }

    /// The end (past the closing quote) of the string opening at `i`.
    fn string_end(&self, i: usize) -> Result<usize, Fail> {
        let quote = self.at(i).unwrap_or(b'"');
        let mut j = i + 1;
        loop {
            match self.at(j) {
                None | Some(b'\n') => return Err((i, "a string that is never closed".into())),
                Some(b'\\') => j += 2,
                Some(c) if c == quote => return Ok(j + 1),
                Some(_) => j += 1,
            }
        }
    }

    /// The end of the template string opening at `i`, and whether it has `${…}`.
    fn template_end(&self, i: usize, nesting: usize) -> Result<(usize, bool), Fail> {
        if nesting > MAX_NESTING {
            return Err((i, "template strings nested too deeply".into()));
        }
        let mut j = i + 1;
        let mut substitutions = false;
        loop {
            match self.at(j) {
                None => return Err((i, "a template string that is never closed".into())),
                Some(b'\\') => j += 2,
                Some(b'`') => return Ok((j + 1, substitutions)),
                Some(b'$') if self.at(j + 1) == Some(b'{') => {
                    substitutions = true;
                    let close = self.skip(j + 2, false, nesting + 1);
                    if self.at(close) != Some(b'}') {
                        return Err((i, "a template string that is never closed".into()));
                    }
                    j = close + 1;
                }
                Some(_) => j += 1,
            }
        }
    }

    /// Skips JavaScript from `i` to the first `,` (when `at_comma`) or closing bracket outside
    /// any bracket, string or comment: the end of an expression inside an object or array.
    fn skip(&self, i: usize, at_comma: bool, nesting: usize) -> usize {
        let len = self.b.len();
        if nesting > MAX_NESTING {
            return len;
        }
        let mut depth = 0usize;
        let mut j = i;
        while let Some(c) = self.at(j) {
            match c {
                b'"' | b'\'' => {
                    j = self.string_end(j).unwrap_or(len);
                    continue;
                }
                b'`' => {
                    j = self.template_end(j, nesting + 1).map_or(len, |(end, _)| end);
                    continue;
                }
                b'/' if matches!(self.at(j + 1), Some(b'/' | b'*')) => {
                    j = self.trivia(j);
                    continue;
                }
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => {
                    if depth == 0 {
                        return j;
                    }
                    depth -= 1;
                }
                b',' if depth == 0 && at_comma => return j,
                _ => {}
            }
            j += 1;
        }
        len
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

#[cfg(test)]
#[path = "site_data_tests.rs"]
mod tests;
