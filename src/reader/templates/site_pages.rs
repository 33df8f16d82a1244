//! The pages a site builds from its templates (`.njk` home pages, tag pages, paginated
//! archives, feeds), known by their URLs as Eleventy computes them: front matter in YAML or
//! `---js`, the data cascade, `pagination` (its data, `before`, `filter`, `reverse`, `size`,
//! `alias`) and `permalink` (a template, a function, `false`, or Eleventy's default path).
//! A link to one of them resolves to the live site rather than being reported broken.

use super::{scope, TemplateSite};
use crate::js::function_id;
use minijinja::value::Value;
use serde_json::{Map, Value as Json};
use std::path::PathBuf;

/// A template file of the content folder.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// Content-relative path.
    pub rel: String,
    pub path: PathBuf,
    pub text: String,
}

/// Why a template's URLs could not be known.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateProblem {
    pub rel: String,
    pub message: String,
}

impl TemplateSite {
    /// Every URL the templates build, and what kept some from being known.
    pub(super) fn template_urls(&self, templates: &[TemplateSource]) -> (Vec<String>, Vec<TemplateProblem>) {
        let mut urls = Vec::new();
        let mut problems = Vec::new();
        for template in templates {
            match self.urls_of(template) {
                Ok(found) => urls.extend(found),
                Err(message) => problems.push(TemplateProblem { rel: template.rel.clone(), message }),
            }
        }
        (urls, problems)
    }

    fn urls_of(&self, template: &TemplateSource) -> Result<Vec<String>, String> {
        let front_matter = self.template_front_matter(template)?;
        let mut data = (*self.global_json).clone();
        scope::deep_merge(&mut data, self.directory.for_page(&template.rel));
        scope::deep_merge(&mut data, front_matter);
        let Some(pagination) = data.get("pagination").and_then(Json::as_object).cloned() else {
            return Ok(self.permalink(template, &data, 0)?.into_iter().collect());
        };
        let items = self.pagination_items(&pagination, &data)?;
        let size = pagination.get("size").and_then(Json::as_u64).unwrap_or(1).max(1) as usize;
        let alias = pagination.get("alias").and_then(Json::as_str);
        let mut urls = Vec::new();
        for (number, chunk) in items.chunks(size).enumerate() {
            let mut page_data = data.clone();
            let mut state = pagination.clone();
            state.insert("items".into(), Json::Array(chunk.to_vec()));
            state.insert("pageNumber".into(), number.into());
            page_data.insert("pagination".into(), Json::Object(state));
            if let Some(alias) = alias {
                let value = if size == 1 { chunk[0].clone() } else { Json::Array(chunk.to_vec()) };
                page_data.insert(alias.to_string(), value);
            }
            urls.extend(self.permalink(template, &page_data, number)?);
        }
        Ok(urls)
    }

    /// `---js` (run in the sandbox), `---json` or YAML front matter.
    fn template_front_matter(&self, template: &TemplateSource) -> Result<Map<String, Json>, String> {
        let text = template.text.trim_start_matches('\u{feff}');
        for (opener, javascript) in [("---js\n", true), ("---json\n", false)] {
            let Some(rest) = text.strip_prefix(opener) else { continue };
            let source = rest.split("\n---").next().unwrap_or("");
            let value = if javascript {
                let script = self.script.as_ref().ok_or("its `---js` front matter needs the site's JavaScript")?;
                script.sandbox.eval_object(&template.path, source).map_err(|e| e.to_string())?
            } else {
                serde_json::from_str(source).map_err(|e| format!("invalid JSON front matter: {e}"))?
            };
            return Ok(value.as_object().cloned().unwrap_or_default());
        }
        let split =
            crate::reader::front_matter::split(text).map_err(|_| "its front matter is never closed".to_string())?;
        Ok(split.map(|s| crate::reader::front_matter::as_json(s.yaml)).unwrap_or_default())
    }

    /// The list a template paginates over, as its `pagination` settings give it.
    fn pagination_items(&self, pagination: &Map<String, Json>, data: &Map<String, Json>) -> Result<Vec<Json>, String> {
        let path = pagination.get("data").and_then(Json::as_str).ok_or("its pagination names no data")?;
        let collections = serde_json::to_value(self.collections_value()).unwrap_or(Json::Null);
        let mut value = Json::Null;
        for (i, part) in path.split('.').enumerate() {
            value = match (i, part) {
                (0, "collections") => collections.clone(),
                (0, _) => data.get(part).cloned().unwrap_or(Json::Null),
                _ => value.get(part).cloned().unwrap_or(Json::Null),
            };
        }
        let resolve_values = pagination.get("resolve").and_then(Json::as_str) == Some("values");
        let mut items: Vec<Json> = match value {
            Json::Array(items) => items,
            Json::Object(map) if resolve_values => map.into_values().collect(),
            Json::Object(map) => map.into_iter().map(|(k, _)| Json::String(k)).collect(),
            // A tag no page carries is an empty collection, as in Eleventy.
            Json::Null if path.starts_with("collections.") => Vec::new(),
            Json::Null => return Err(format!("its pagination data `{path}` has no value")),
            other => vec![other],
        };
        if let Some(id) = pagination.get("before").and_then(function_id) {
            let script = self.script.as_ref().ok_or("its pagination `before` needs the site's JavaScript")?;
            let full = Json::Object(data.clone());
            let result = script.call(id, &Json::Null, &[Json::Array(items), full]).map_err(|e| e.to_string())?;
            items = match result {
                Json::Array(items) => items,
                _ => Vec::new(),
            };
        }
        if let Some(filter) = pagination.get("filter") {
            let excluded = scope::tag_list(Some(filter));
            items.retain(|item| !item.as_str().is_some_and(|s| excluded.iter().any(|e| e == s)));
        }
        if pagination.get("reverse") == Some(&Json::Bool(true)) {
            items.reverse();
        }
        Ok(items)
    }

    /// The URL of one output of a template, or `None` for `permalink: false`.
    fn permalink(
        &self,
        template: &TemplateSource,
        data: &Map<String, Json>,
        number: usize,
    ) -> Result<Option<String>, String> {
        let default = default_url(&template.rel, number);
        let mut data = data.clone();
        data.insert("page".into(), scope::page_variable(&template.rel, &default, &data));
        let written = match data.get("permalink") {
            None | Some(Json::Null) => return Ok(Some(default)),
            Some(Json::Bool(false)) => return Ok(None),
            Some(Json::String(s)) => s.clone(),
            Some(value) => {
                let id = function_id(value).ok_or("its permalink is neither text nor a function")?;
                let script = self.script.as_ref().ok_or("its permalink function needs the site's JavaScript")?;
                match script.call(id, &Json::Null, &[Json::Object(data.clone())]).map_err(|e| e.to_string())? {
                    Json::String(s) => s,
                    Json::Bool(false) => return Ok(None),
                    _ => return Ok(Some(default)),
                }
            }
        };
        let rendered = if super::syntax::has_template_syntax(&written) {
            let context = Value::from(minijinja::value::Serde(&data));
            self.env.render_str(&written, context).map_err(|e| format!("its permalink `{written}` fails: {e}"))?
        } else {
            written
        };
        Ok(Some(permalink_url(rendered.trim())))
    }
}

/// Eleventy's URL for a permalink: a folder keeps its slash, `x/index.html` is `/x/`, a file
/// keeps its name.
pub fn permalink_url(permalink: &str) -> String {
    let path = permalink.trim_start_matches('/');
    let path = path.strip_suffix("index.html").unwrap_or(path);
    format!("/{path}")
}

/// Eleventy's default URL for a template: its path without extension, `index` and a name equal
/// to its folder's standing for the folder; page `n` of a pagination under `n/`.
pub fn default_url(rel: &str, number: usize) -> String {
    let stem = rel.rsplit_once('.').map_or(rel, |(stem, _)| stem);
    let (folder, name) = stem.rsplit_once('/').unwrap_or(("", stem));
    let folder_name = folder.rsplit('/').next().unwrap_or("");
    let mut url = if name == "index" || (!folder.is_empty() && name == folder_name) {
        if folder.is_empty() {
            "/".to_string()
        } else {
            format!("/{folder}/")
        }
    } else {
        format!("/{stem}/")
    };
    if number > 0 {
        url.push_str(&format!("{number}/"));
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_urls_follow_eleventys_rules() {
        assert_eq!(default_url("fr/index.njk", 0), "/fr/");
        assert_eq!(default_url("index.njk", 0), "/");
        assert_eq!(default_url("sitemap/sitemap.njk", 0), "/sitemap/");
        assert_eq!(default_url("fr/search-results.njk", 0), "/fr/search-results/");
        assert_eq!(default_url("fr/blog/index.njk", 2), "/fr/blog/2/");
    }

    #[test]
    fn permalinks_become_urls() {
        assert_eq!(permalink_url("404.html"), "/404.html");
        assert_eq!(permalink_url("/calendar.ics"), "/calendar.ics");
        assert_eq!(permalink_url("/fr/blog/tags/"), "/fr/blog/tags/");
        assert_eq!(permalink_url("blog/index.html"), "/blog/");
    }
}
