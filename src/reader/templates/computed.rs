//! `eleventyComputed` and `permalink` functions, run as Eleventy runs them: after the rest of
//! the cascade, computed values first (in two rounds, so one may read another), then a
//! `permalink` that is a function is called with the page's data. Each page is computed once;
//! the page and the collections read the same result.

use super::{scope, syntax};
use crate::js::{function_id, SiteScript};
use serde_json::{Map, Value as Json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A failure met computing a page's data: what was computed and the engine's error.
#[derive(Debug, Clone)]
pub struct ComputeFailure {
    pub key: String,
    pub error: crate::js::JsError,
}

/// The values computed for one page (keys it sets, `permalink` included), and what failed.
#[derive(Debug, Clone, Default)]
pub struct Computed {
    pub values: Map<String, Json>,
    pub failures: Vec<ComputeFailure>,
}

/// Computes pages' data in the site's sandbox, each page once.
#[derive(Debug)]
pub struct Computer {
    script: Arc<SiteScript>,
    global: Arc<Map<String, Json>>,
    done: Mutex<HashMap<String, Arc<Computed>>>,
}

/// What renders a computed value written as a template (a string with `{{ }}`).
pub type RenderTemplate<'a> = &'a dyn Fn(&str, &Map<String, Json>) -> Option<String>;

impl Computer {
    pub fn new(script: Arc<SiteScript>, global: Arc<Map<String, Json>>) -> Computer {
        // Sent once: each call then carries only the page's own layers. Without it, calls
        // still run, with the page's layers alone.
        let _ = script.sandbox.set_global(&Json::Object((*global).clone()));
        Computer { script, global, done: Mutex::new(HashMap::new()) }
    }

    /// Whether a page whose cascade (without global data) is `layers` computes anything.
    fn computes(&self, layers: &Map<String, Json>) -> bool {
        let has = |m: &Map<String, Json>| {
            m.get("eleventyComputed").is_some_and(Json::is_object) || m.get("permalink").and_then(function_id).is_some()
        };
        has(&self.global) || has(layers)
    }

    /// The page's computed values; `layers` is its directory, template and front matter data.
    pub fn page(&self, rel: &str, layers: Map<String, Json>, render: RenderTemplate) -> Option<Arc<Computed>> {
        if !self.computes(&layers) {
            return None;
        }
        if let Some(found) = self.done.lock().unwrap_or_else(|p| p.into_inner()).get(rel) {
            return Some(found.clone());
        }
        let computed = Arc::new(self.compute(rel, layers, render));
        self.done.lock().unwrap_or_else(|p| p.into_inner()).insert(rel.to_string(), computed.clone());
        Some(computed)
    }

    /// The collections the site defines (`addCollection`), each run over `collections.all`
    /// and added beside the native ones; one that fails is reported and left empty.
    pub fn add_site_collections(&self, collections: &mut Json) {
        let config = &self.script.config;
        if config.collections.is_empty() {
            return;
        }
        let all = collections.get("all").cloned().unwrap_or(Json::Array(Vec::new()));
        let input = config.dirs.input.trim_start_matches("./").trim_end_matches('/').to_string();
        for (name, id) in &config.collections {
            let items = match self.script.sandbox.run_collection(*id, &all, &input) {
                Ok(items) => items,
                Err(e) => {
                    // Built while a page renders: reported at the tag that read `collections`.
                    let message = format!("the site's collection `{name}` failed: {e}; it is empty");
                    super::hooks::warn(crate::codes::JS_FAILED, message);
                    Json::Array(Vec::new())
                }
            };
            if let Some(map) = collections.as_object_mut() {
                map.insert(name.clone(), if items.is_array() { items } else { Json::Array(Vec::new()) });
            }
        }
    }

    fn compute(&self, rel: &str, layers: Map<String, Json>, render: RenderTemplate) -> Computed {
        // The global data is in the sandbox already: calls send the page's layers (`own`).
        let mut own = layers;
        let mut rules = self.global.get("eleventyComputed").and_then(Json::as_object).cloned().unwrap_or_default();
        if let Some(Json::Object(page_rules)) = own.get("eleventyComputed") {
            scope::deep_merge(&mut rules, page_rules.clone());
        }
        let mut out = Computed::default();
        let path_url = crate::reader::page::url_of(rel);
        let rounds = if rules.len() > 1 { 2 } else { 1 };
        for round in 0..rounds {
            for (key, rule) in &rules {
                let page = scope::page_variable(rel, &path_url, &own);
                own.insert("page".into(), page);
                let value = match function_id(rule) {
                    Some(id) => match self.script.sandbox.call_on_data(id, &Json::Object(own.clone())) {
                        Ok(v) => v,
                        Err(error) => {
                            if round + 1 == rounds {
                                out.failures.push(ComputeFailure { key: key.clone(), error });
                            }
                            continue;
                        }
                    },
                    None => match rule.as_str().filter(|t| syntax::has_template_syntax(t)) {
                        Some(template) => render(template, &self.merged(&own)).map_or(Json::Null, Json::String),
                        None => rule.clone(),
                    },
                };
                own.insert(key.clone(), value.clone());
                out.values.insert(key.clone(), value);
            }
        }
        let permalink = own.get("permalink").or_else(|| self.global.get("permalink"));
        if let Some(id) = permalink.and_then(function_id) {
            let page = scope::page_variable(rel, &path_url, &own);
            own.insert("page".into(), page);
            match self.script.sandbox.call_on_data(id, &Json::Object(own.clone())) {
                Ok(v) => {
                    out.values.insert("permalink".into(), v);
                }
                Err(error) => {
                    out.values.insert("permalink".into(), Json::Null);
                    out.failures.push(ComputeFailure { key: "permalink".into(), error });
                }
            }
        }
        out
    }

    /// The page's whole data: the global data under its own layers.
    fn merged(&self, own: &Map<String, Json>) -> Map<String, Json> {
        let mut data = (*self.global).clone();
        scope::deep_merge(&mut data, own.clone());
        data
    }
}

/// Computed values laid over a page's front matter: a `permalink` that computed to nothing
/// leaves the page at its default URL.
pub fn apply(front_matter: &mut Map<String, Json>, computed: &Computed) {
    for (key, value) in &computed.values {
        match (key.as_str(), value) {
            ("permalink", Json::String(_) | Json::Bool(false)) => {
                front_matter.insert(key.clone(), value.clone());
            }
            ("permalink", _) => {
                front_matter.remove("permalink");
            }
            _ => {
                front_matter.insert(key.clone(), value.clone());
            }
        }
    }
}
