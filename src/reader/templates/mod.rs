//! Nunjucks evaluated as Eleventy evaluates it before Markdown: each page body is rendered
//! through minijinja with the site's data cascade in scope and its `_includes` as search path.
//! Nunjucks syntax that minijinja does not speak is rewritten first (`syntax`, `compile`), the
//! filters the sites define in JavaScript are native (`filters`), and the rendered text keeps a
//! trace back to the source lines (`markers`).

mod compile;
pub mod computed;
mod engine;
pub mod filters;
mod hooks;
mod js_calls;
mod js_values;
pub mod markers;
mod render;
pub mod scope;
pub mod site_pages;
pub mod syntax;

pub use engine::SEMANTIC_COMPONENTS;
pub use hooks::KeptComponent;
pub use render::{PlacedNote, Rendered};

use minijinja::value::{Object, Value};
use serde_json::{Map, Value as Json};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// Where a site's template inputs are, and how its Nunjucks is configured.
#[derive(Debug, Clone, Default)]
pub struct TemplateSettings {
    /// `_includes`: components and partials.
    pub includes: Option<PathBuf>,
    /// Global data: `_data` merged with folio.toml's `[data]`.
    pub global: Map<String, Json>,
    /// Directory data files, by content-relative folder.
    pub directory: scope::DirectoryData,
    /// Template data files (`NAME.11tydata.*`), by template path without extension.
    pub template_data: scope::DirectoryData,
    pub translations: filters::Translations,
    pub trim_blocks: bool,
    pub lstrip_blocks: bool,
    pub site_language: String,
    /// The site's JavaScript, when it has any.
    pub script: Option<Arc<crate::js::SiteScript>>,
    /// The site's template pages (`.njk`), for the URLs they build.
    pub templates: Vec<site_pages::TemplateSource>,
}

/// One page's source as the collections see it: its path and its front matter's YAML.
#[derive(Debug, Clone)]
pub struct PageSource {
    pub rel: String,
    pub front_matter_yaml: String,
}

/// The site's template environment and data, built once and shared by every page.
pub struct TemplateSite {
    env: minijinja::Environment<'static>,
    global: Value,
    directory: scope::Layers,
    collections: Value,
    /// `eleventyComputed` and `permalink` functions, when the site has JavaScript.
    computer: Option<Arc<computed::Computer>>,
    global_json: Arc<Map<String, Json>>,
    script: Option<Arc<crate::js::SiteScript>>,
    lazy: Arc<LazyCollections>,
    /// Template pages whose URLs could not be computed.
    pub template_problems: Vec<site_pages::TemplateProblem>,
}

impl TemplateSite {
    /// `sources` are every page's front matter, for `collections` (built on first use);
    /// `page_texts` the page bodies, searched for the names of filters.
    pub fn new(settings: TemplateSettings, sources: Vec<PageSource>, page_texts: &[&str]) -> Self {
        let mut filter_names: Vec<String> = Vec::new();
        let includes_text = settings.includes.as_deref().map(read_templates).unwrap_or_default();
        for text in page_texts.iter().copied().chain(includes_text.iter().map(String::as_str)) {
            if !syntax::has_template_syntax(text) {
                continue;
            }
            for tag in syntax::tags(text) {
                for name in syntax::filter_names(&text[tag.inner.clone()]) {
                    if !filter_names.iter().any(|n| n == name) {
                        filter_names.push(name.to_string());
                    }
                }
            }
        }
        let options = engine::EngineOptions {
            includes: settings.includes.clone(),
            trim_blocks: settings.trim_blocks,
            lstrip_blocks: settings.lstrip_blocks,
            translations: Arc::new(settings.translations),
            site_language: settings.site_language,
            filter_names,
            script: settings.script.clone(),
        };
        let directory = scope::Layers { directory: settings.directory, templates: settings.template_data };
        let global = Arc::new(settings.global);
        let computer = settings.script.clone().map(|script| Arc::new(computed::Computer::new(script, global.clone())));
        let lazy = Arc::new(LazyCollections {
            sources: Arc::new(sources),
            directory: directory.clone(),
            computer: computer.clone(),
            built: OnceLock::new(),
            entries: OnceLock::new(),
            urls: OnceLock::new(),
            template_urls: OnceLock::new(),
        });
        let mut env = engine::environment(&options);
        let pages = lazy.clone();
        let default_language = options.site_language.clone();
        env.add_filter("locale_url", move |state: &minijinja::State, url: Value, lang: Option<String>| -> Value {
            let Some(text) = url.as_str() else { return url };
            let page_url = state.lookup("page").and_then(|p| p.get_attr("url").ok()).map(|u| u.to_string());
            let from_page = page_url
                .as_deref()
                .and_then(|u| u.split('/').nth(1))
                .filter(|first| scope::language_folder(&format!("{first}/x")).is_some());
            let lang = lang.or(from_page.map(str::to_string)).unwrap_or_else(|| default_language.clone());
            Value::from(locale_url(&|u| pages.has_url(u), text, &lang))
        });
        let mut site = TemplateSite {
            env,
            global: Value::from(minijinja::value::Serde(&*global)),
            directory,
            collections: Value::from_dyn_object(lazy.clone()),
            computer,
            global_json: global,
            script: settings.script.clone(),
            lazy,
            template_problems: Vec::new(),
        };
        let (urls, problems) = site.template_urls(&settings.templates);
        let _ = site.lazy.template_urls.set(urls.into_iter().collect());
        site.template_problems = problems;
        site
    }

    /// Renders a page body (`first_line` is its first line in the file).
    pub fn render(
        &self,
        rel: &str,
        url: &str,
        body: &str,
        first_line: u32,
        front_matter: Map<String, Json>,
    ) -> Rendered {
        let mut data = self.directory.for_page(rel);
        scope::deep_merge(&mut data, front_matter);
        let page = scope::page_variable(rel, url, &data);
        data.insert("page".into(), page);
        let layer = Value::from(minijinja::value::Serde(&Json::Object(data)));
        // The last map that has a key wins.
        let context = minijinja::value::merge_maps([
            self.global.clone(),
            minijinja::context! { collections => self.collections.clone() },
            layer,
        ]);
        render::render(&self.env, body, first_line, &context)
    }

    /// The URLs the site's template pages build (tag pages, archives, feeds, home pages).
    pub fn template_page_urls(&self) -> std::collections::HashSet<String> {
        self.lazy.template_urls.get().cloned().unwrap_or_default()
    }

    fn collections_value(&self) -> &Value {
        self.lazy.value()
    }

    /// What the site's `eleventyComputed` and `permalink` functions compute for a page whose front
    /// matter is `front_matter`; `None` when the site computes nothing for it.
    pub fn computed(&self, rel: &str, front_matter: &Map<String, Json>) -> Option<Arc<computed::Computed>> {
        let computer = self.computer.as_ref()?;
        let mut layers = self.directory.for_page(rel);
        scope::deep_merge(&mut layers, front_matter.clone());
        computer.page(rel, layers, &|template, data| {
            self.env.render_str(template, Value::from(minijinja::value::Serde(data))).ok()
        })
    }

    /// The `permalink` a page inherits from its directory or template data, if any.
    pub fn inherited_permalink(&self, rel: &str) -> Option<Json> {
        if self.directory.directory.is_empty() && self.directory.templates.is_empty() {
            return None;
        }
        self.directory.for_page(rel).remove("permalink")
    }

    /// `lang` or `locale` as the page's directory and template data files give it.
    pub fn inherited_language(&self, rel: &str) -> Option<String> {
        if self.directory.directory.is_empty() && self.directory.templates.is_empty() {
            return None;
        }
        let data = self.directory.for_page(rel);
        ["lang", "locale"].iter().find_map(|k| data.get(*k)?.as_str().map(str::to_string))
    }

    /// A permalink written as a template (`/{{ lang }}/blog/{{ page.fileSlug }}/`), rendered
    /// with the page's data as Eleventy renders it; `None` when it cannot be.
    pub fn render_permalink(
        &self,
        rel: &str,
        path_url: &str,
        template: &str,
        front_matter: Map<String, Json>,
    ) -> Option<String> {
        let mut data = self.directory.for_page(rel);
        scope::deep_merge(&mut data, front_matter);
        let page = scope::page_variable(rel, path_url, &data);
        data.insert("page".into(), page);
        let context = minijinja::value::merge_maps([
            self.global.clone(),
            Value::from(minijinja::value::Serde(&Json::Object(data))),
        ]);
        let url = self.env.render_str(template, context).ok()?;
        let url = url.trim();
        (!url.is_empty() && !url.contains("{{")).then(|| url.to_string())
    }
}

/// Every template file of the includes folder (for the filter names they use).
fn read_templates(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() => pending.push(path),
                Ok(t) if t.is_file() => out.extend(std::fs::read_to_string(&path).ok()),
                _ => {}
            }
        }
    }
    out
}

/// `collections`, built the first time a template reads it.
#[derive(Debug)]
struct LazyCollections {
    sources: Arc<Vec<PageSource>>,
    directory: scope::Layers,
    computer: Option<Arc<computed::Computer>>,
    built: OnceLock<Value>,
    /// Each page as collections hold it, read once for both `collections` and the URLs.
    entries: OnceLock<Vec<scope::CollectionEntry>>,
    urls: OnceLock<std::collections::HashSet<String>>,
    template_urls: OnceLock<std::collections::HashSet<String>>,
}

impl LazyCollections {
    /// Each page as collections hold it (a `permalink: false` page is none), with its data.
    fn entries(&self) -> &[scope::CollectionEntry] {
        self.entries.get_or_init(|| self.read_entries())
    }

    fn read_entries(&self) -> Vec<scope::CollectionEntry> {
        self.sources
            .iter()
            .filter_map(|s| {
                let mut front_matter = crate::reader::front_matter::as_json(&s.front_matter_yaml);
                if let Some(computer) = &self.computer {
                    let mut layers = self.directory.for_page(&s.rel);
                    scope::deep_merge(&mut layers, front_matter.clone());
                    if let Some(computed) = computer.page(&s.rel, layers, &|_, _| None) {
                        computed::apply(&mut front_matter, &computed);
                    }
                }
                // A data record (`permalink: false`) is in no collection.
                if front_matter.get("permalink") == Some(&Json::Bool(false)) {
                    return None;
                }
                let url = front_matter
                    .get("permalink")
                    .and_then(Json::as_str)
                    .map(crate::reader::page::normalize_url)
                    .unwrap_or_else(|| crate::reader::page::url_of(&s.rel));
                let mut data = self.directory.for_page(&s.rel);
                scope::deep_merge(&mut data, front_matter);
                Some(scope::CollectionEntry { rel: s.rel.clone(), url, data })
            })
            .collect()
    }

    fn value(&self) -> &Value {
        self.built.get_or_init(|| {
            let mut collections = scope::collections(self.entries().to_vec());
            if let Some(computer) = &self.computer {
                computer.add_site_collections(&mut collections);
            }
            Value::from(minijinja::value::Serde(&collections))
        })
    }

    /// Whether a page or a template page of the site has this URL, for `locale_url`.
    fn has_url(&self, url: &str) -> bool {
        let pages = self.urls.get_or_init(|| self.entries().iter().map(|e| e.url.clone()).collect());
        pages.contains(url) || self.template_urls.get().is_some_and(|t| t.contains(url))
    }
}

/// Eleventy's i18n plugin's `locale_url`: a URL in the current page's language when the site has
/// it (`/x/` on a French page is `/fr/x/` when that page exists), else the URL unchanged.
fn locale_url(has_url: &dyn Fn(&str) -> bool, url: &str, lang: &str) -> String {
    let known = |u: &str| has_url(u) || (!u.ends_with('/') && has_url(&format!("{u}/")));
    if lang.is_empty() || !(url.is_empty() || url.starts_with('/')) || url.starts_with("//") {
        return url.to_string();
    }
    let swapped = match url.split('/').nth(1) {
        Some(first) if scope::language_folder(&format!("{first}/x")).is_some() && first != lang => {
            Some(format!("/{lang}{}", &url[1 + first.len()..]))
        }
        _ => None,
    };
    if let Some(other) = swapped.filter(|u| known(u)) {
        return other;
    }
    let prepended = format!("/{lang}{url}");
    if known(&prepended) {
        return prepended;
    }
    url.to_string()
}

impl Object for LazyCollections {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let found = self.value().get_item(key).ok().filter(|v| !v.is_undefined());
        // A tag no page carries is an empty collection, as in Eleventy.
        Some(found.unwrap_or_else(|| Value::from(Vec::<Value>::new())))
    }

    fn enumerate(self: &Arc<Self>) -> minijinja::value::Enumerator {
        let keys: Vec<Value> = self.value().try_iter().map(|it| it.collect()).unwrap_or_default();
        minijinja::value::Enumerator::Values(keys)
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
