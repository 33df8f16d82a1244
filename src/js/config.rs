//! What a site's Eleventy configuration recorded, read from the JSON the sandbox returns.

use super::sandbox::function_id;
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;

/// The `dir` settings Eleventy takes from the configuration's return value, relative to the site.
#[derive(Debug, Clone, PartialEq)]
pub struct EleventyDirs {
    pub input: String,
    pub includes: String,
    pub data: String,
    pub layouts: Option<String>,
    pub output: String,
}

impl Default for EleventyDirs {
    fn default() -> Self {
        EleventyDirs {
            input: ".".into(),
            includes: "_includes".into(),
            data: "_data".into(),
            layouts: None,
            output: "_site".into(),
        }
    }
}

/// A site's configuration as folio reads it; functions are sandbox ids.
#[derive(Debug, Clone, Default)]
pub struct EleventyConfig {
    pub filters: BTreeMap<String, u64>,
    pub shortcodes: BTreeMap<String, u64>,
    pub paired_shortcodes: BTreeMap<String, u64>,
    pub collections: BTreeMap<String, u64>,
    pub global_data: Map<String, Json>,
    pub dirs: EleventyDirs,
    /// `setNunjucksEnvironmentOptions`.
    pub nunjucks_options: Map<String, Json>,
    pub markdown_template_engine: Option<String>,
    pub template_formats: Vec<String>,
    pub ignores: Vec<String>,
    /// `addPassthroughCopy`: (source, where it lands in the site), relative to the site.
    pub passthrough: Vec<(String, String)>,
    /// Whether the site had a configuration that ran.
    pub loaded: bool,
}

impl EleventyConfig {
    pub fn from_recorded(recorded: &Json) -> EleventyConfig {
        let functions = |key: &str| -> BTreeMap<String, u64> {
            let pairs = recorded.get(key).and_then(Json::as_array).into_iter().flatten();
            pairs.filter_map(|pair| Some((pair.get(0)?.as_str()?.to_string(), function_id(pair.get(1)?)?))).collect()
        };
        let returned = recorded.get("returned").cloned().unwrap_or(Json::Null);
        let mut dirs = EleventyDirs::default();
        if let Some(dir) = returned.get("dir").and_then(Json::as_object) {
            let text = |k: &str| dir.get(k).and_then(Json::as_str).map(str::to_string);
            dirs.input = text("input").unwrap_or(dirs.input);
            dirs.includes = text("includes").unwrap_or(dirs.includes);
            dirs.data = text("data").unwrap_or(dirs.data);
            dirs.layouts = text("layouts");
            dirs.output = text("output").unwrap_or(dirs.output);
        }
        let strings = |v: Option<&Json>| -> Vec<String> {
            v.and_then(Json::as_array).into_iter().flatten().filter_map(|s| s.as_str().map(str::to_string)).collect()
        };
        let mut template_formats = strings(returned.get("templateFormats"));
        if template_formats.is_empty() {
            template_formats = strings(recorded.get("templateFormats"));
        }
        if template_formats.is_empty() {
            if let Some(list) = returned.get("templateFormats").and_then(Json::as_str) {
                template_formats = list.split(',').map(|s| s.trim().to_string()).collect();
            }
        }
        EleventyConfig {
            filters: functions("filters"),
            shortcodes: functions("shortcodes"),
            paired_shortcodes: functions("pairedShortcodes"),
            collections: functions("collections"),
            global_data: recorded.get("globalData").and_then(Json::as_object).cloned().unwrap_or_default(),
            dirs,
            nunjucks_options: recorded.get("nunjucksOptions").and_then(Json::as_object).cloned().unwrap_or_default(),
            markdown_template_engine: returned.get("markdownTemplateEngine").and_then(Json::as_str).map(str::to_string),
            template_formats,
            ignores: strings(recorded.get("ignores")),
            passthrough: passthrough(recorded.get("passthrough")),
            loaded: true,
        }
    }
}

/// `addPassthroughCopy("public")` lands at `public/`; `{ "./public/": "/" }` at the site's root.
fn passthrough(value: Option<&Json>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in value.and_then(Json::as_array).into_iter().flatten() {
        match entry {
            Json::String(from) => out.push((from.clone(), from.clone())),
            Json::Object(map) => {
                out.extend(map.iter().filter_map(|(from, to)| Some((from.clone(), to.as_str()?.to_string()))))
            }
            _ => {}
        }
    }
    out
}
