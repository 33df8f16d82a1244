//! Eleventy's data cascade for one page, lowest to highest: global data (`_data/` and
//! folio.toml's `[data]`), directory data files from the content root down to the page's
//! folder, and the page's front matter; plus `page` and `collections`.

use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;

/// Directory data, keyed by content-relative folder ("" for the root).
pub type DirectoryData = BTreeMap<String, Map<String, Json>>;

/// Objects merge key by key and lists concatenate (Eleventy's deep data merge); anything else
/// is replaced by the higher layer.
pub fn deep_merge(low: &mut Map<String, Json>, high: Map<String, Json>) {
    for (key, value) in high {
        match (low.get_mut(&key), value) {
            (Some(Json::Object(l)), Json::Object(h)) => deep_merge(l, h),
            (Some(Json::Array(l)), Json::Array(h)) => {
                for item in h {
                    if !l.contains(&item) {
                        l.push(item);
                    }
                }
            }
            (_, value) => {
                low.insert(key, value);
            }
        }
    }
}

/// The directory data that applies to a page at `rel`: every folder from the root down.
pub fn directory_layers(directory: &DirectoryData, rel: &str) -> Map<String, Json> {
    let mut merged = Map::new();
    if directory.is_empty() {
        return merged;
    }
    let folder = rel.rsplit_once('/').map_or("", |(dir, _)| dir);
    let mut prefixes = vec![""];
    for (i, _) in folder.match_indices('/') {
        prefixes.push(&folder[..i]);
    }
    if !folder.is_empty() {
        prefixes.push(folder);
    }
    for prefix in prefixes {
        if let Some(layer) = directory.get(prefix) {
            deep_merge(&mut merged, layer.clone());
        }
    }
    merged
}

/// Directory data and template data files, applied to a page in cascade order.
#[derive(Debug, Clone, Default)]
pub struct Layers {
    pub directory: DirectoryData,
    pub templates: DirectoryData,
}

impl Layers {
    /// The folders' data from the root down, then the page's own data file.
    pub fn for_page(&self, rel: &str) -> Map<String, Json> {
        let mut merged = directory_layers(&self.directory, rel);
        let stem = rel.strip_suffix(".md").or_else(|| rel.strip_suffix(".njk")).unwrap_or(rel);
        if let Some(own) = self.templates.get(stem) {
            deep_merge(&mut merged, own.clone());
        }
        merged
    }
}

/// Language codes Eleventy's i18n plugin recognises as a first URL folder.
pub fn language_folder(rel: &str) -> Option<&str> {
    let first = rel.split('/').next()?;
    let is_code = (first.len() == 2 && first.bytes().all(|b| b.is_ascii_lowercase()))
        || (first.len() == 5 && first.as_bytes()[2] == b'-' && first[..2].bytes().all(|b| b.is_ascii_lowercase()));
    (is_code && rel.contains('/')).then_some(first)
}

/// The `page` variable: url, fileSlug, filePathStem, inputPath, date, lang.
pub fn page_variable(rel: &str, url: &str, data: &Map<String, Json>) -> Json {
    let stem = rel.strip_suffix(".md").or_else(|| rel.strip_suffix(".njk")).unwrap_or(rel);
    let file = stem.rsplit('/').next().unwrap_or(stem);
    let slug = if file == "index" { stem.rsplit('/').nth(1).unwrap_or("") } else { file };
    let lang = data
        .get("lang")
        .or_else(|| data.get("locale"))
        .and_then(Json::as_str)
        .map(str::to_string)
        .or_else(|| language_folder(rel).map(str::to_string));
    let mut page = Map::new();
    page.insert("url".into(), url.into());
    page.insert("fileSlug".into(), slug.into());
    page.insert("filePathStem".into(), format!("/{stem}").into());
    page.insert("inputPath".into(), format!("./{rel}").into());
    page.insert("outputFileExtension".into(), "html".into());
    if let Some(date) = data.get("date").filter(|d| d.is_string()) {
        page.insert("date".into(), date.clone());
    }
    if let Some(lang) = lang {
        page.insert("lang".into(), lang.into());
    }
    Json::Object(page)
}

/// A page as it appears in `collections`.
#[derive(Debug, Clone)]
pub struct CollectionEntry {
    pub rel: String,
    pub url: String,
    /// Directory data and front matter merged.
    pub data: Map<String, Json>,
}

/// `collections.all` and one collection per tag, sorted by date then input path as
/// Eleventy sorts them.
pub fn collections(mut entries: Vec<CollectionEntry>) -> Json {
    entries.sort_by(|a, b| date_key(a).cmp(&date_key(b)).then_with(|| a.rel.cmp(&b.rel)));
    let mut all = Vec::with_capacity(entries.len());
    let mut by_tag: BTreeMap<String, Vec<Json>> = BTreeMap::new();
    for entry in entries {
        let page = page_variable(&entry.rel, &entry.url, &entry.data);
        let tags = tag_list(entry.data.get("tags"));
        let mut item = match &page {
            Json::Object(p) => p.clone(),
            _ => Map::new(),
        };
        item.insert("page".into(), page);
        item.insert("data".into(), Json::Object(entry.data));
        let item = Json::Object(item);
        for tag in tags {
            by_tag.entry(tag).or_default().push(item.clone());
        }
        all.push(item);
    }
    let mut out = Map::new();
    for (tag, items) in by_tag {
        out.insert(tag, Json::Array(items));
    }
    out.insert("all".into(), Json::Array(all));
    Json::Object(out)
}

fn date_key(entry: &CollectionEntry) -> String {
    entry.data.get("date").and_then(Json::as_str).unwrap_or("").to_string()
}

pub fn tag_list(tags: Option<&Json>) -> Vec<String> {
    match tags {
        Some(Json::String(s)) => vec![s.clone()],
        Some(Json::Array(items)) => items.iter().filter_map(|t| t.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Json) -> Map<String, Json> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn higher_layers_win_and_objects_merge() {
        let mut low = map(json!({"a": 1, "o": {"x": 1, "y": 1}, "tags": ["posts"]}));
        deep_merge(&mut low, map(json!({"a": 2, "o": {"y": 2}, "tags": ["DSFR"]})));
        assert_eq!(Json::Object(low), json!({"a": 2, "o": {"x": 1, "y": 2}, "tags": ["posts", "DSFR"]}));
    }

    #[test]
    fn deeper_directory_data_overrides_its_parents() {
        let mut dirs = DirectoryData::new();
        dirs.insert("fr".into(), map(json!({"lang": "fr", "layout": "a"})));
        dirs.insert("fr/blog".into(), map(json!({"layout": "b"})));
        dirs.insert("en".into(), map(json!({"lang": "en"})));
        assert_eq!(Json::Object(directory_layers(&dirs, "fr/blog/post.md")), json!({"lang": "fr", "layout": "b"}));
    }

    #[test]
    fn page_language_comes_from_data_then_from_a_language_folder() {
        assert_eq!(page_variable("en/about.md", "/en/about/", &Map::new())["lang"], "en");
        assert_eq!(
            page_variable("en/about.md", "/en/about/", &map(json!({"lang": "fr"}))).get("lang"),
            Some(&json!("fr"))
        );
        assert_eq!(page_variable("docs/about.md", "/docs/about/", &Map::new()).get("lang"), None);
    }

    #[test]
    fn index_pages_take_their_folder_as_slug() {
        assert_eq!(page_variable("fr/about/index.md", "/fr/about/", &Map::new())["fileSlug"], "about");
    }

    #[test]
    fn collections_group_pages_by_tag() {
        let entry = |rel: &str, tags: Json| CollectionEntry {
            rel: rel.into(),
            url: format!("/{rel}/"),
            data: map(json!({"tags": tags})),
        };
        let c = collections(vec![
            entry("b.md", json!(["posts"])),
            entry("a.md", json!("posts")),
            entry("c.md", json!(null)),
        ]);
        assert_eq!(c["all"].as_array().map(Vec::len), Some(3));
        assert_eq!(c["posts"][0]["inputPath"], "./a.md");
    }
}
