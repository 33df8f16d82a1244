//! The site around a content folder: its `_includes`, its `_data`, its directory data files
//! and the Nunjucks options its Eleventy configuration sets, gathered into the template site
//! every page renders in.

use super::containers::{ContainerRule, ContainerRules};
use super::identity::Identity;
use super::templates::site_pages::TemplateSource;
use super::templates::{self, scope, PageSource, TemplateSettings, TemplateSite};
use super::{front_matter, site_data};
use crate::diagnostics::Diagnostic;
use crate::js::SiteScript;
use crate::model::Pos;
use serde_json::{Map, Value as Json};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where a site's template inputs are. `discover` finds them beside the content folder, as
/// the sites of this family lay them out; the configuration and the CLI may name others.
#[derive(Debug, Clone, Default)]
pub struct SiteFolders {
    pub includes: Option<PathBuf>,
    pub data: Option<PathBuf>,
    /// folio.toml's `[data]`: values the site computes in JavaScript, given by hand.
    pub config_data: Map<String, Json>,
    /// `None`: as the site's Eleventy configuration sets them (Nunjucks' default: off).
    pub trim_blocks: Option<bool>,
    pub lstrip_blocks: Option<bool>,
    /// folio.toml's `[containers.NAME]`.
    pub containers: Vec<(String, ContainerRule)>,
    /// folio.toml's `[site]` is given: the site's own metadata does not replace it.
    pub site_given: bool,
}

/// What every page of a site is read with: its templates and its containers.
pub struct Site {
    pub templates: TemplateSite,
    pub containers: ContainerRules,
    /// What the site's data says about the site itself.
    pub identity: Identity,
}

impl Site {
    /// The site around `content`, and what reading its data reported.
    /// `script` is the site's JavaScript (`open_script`), when it has any.
    pub fn new(
        content: &Path,
        folders: &SiteFolders,
        language: &str,
        sources: &[SourceText],
        script: Option<Arc<SiteScript>>,
    ) -> (Site, Vec<Diagnostic>) {
        let (templates, identity, diagnostics) = template_site(content, folders, language, sources, script);
        let containers = ContainerRules::default().with(folders.containers.iter().cloned());
        (Site { templates, containers, identity }, diagnostics)
    }

    /// A page alone: no site folders, the built-in containers.
    pub fn standalone() -> &'static Site {
        static SITE: std::sync::OnceLock<Site> = std::sync::OnceLock::new();
        SITE.get_or_init(|| Site {
            templates: TemplateSite::new(TemplateSettings::default(), Vec::new(), &[]),
            containers: ContainerRules::default(),
            identity: Identity::default(),
        })
    }
}

/// The sources Eleventy ignores: the configuration's `ignores` and the lines of the site's
/// `.eleventyignore` (beside the configuration and in the content folder), as globs relative
/// to the site (`content/drafts/**`) or to the content folder; a plain folder ignores all in it.
pub fn ignored_sources(content: &Path, script: Option<&SiteScript>) -> Vec<String> {
    let mut patterns: Vec<String> = script.map(|s| s.config.ignores.clone()).unwrap_or_default();
    let site = content.canonicalize().ok().and_then(|c| c.parent().map(Path::to_path_buf));
    for dir in site.iter().map(PathBuf::as_path).chain([content]) {
        if let Ok(text) = std::fs::read_to_string(dir.join(".eleventyignore")) {
            patterns.extend(
                text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string),
            );
        }
    }
    let input = content.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    patterns
        .into_iter()
        .map(|p| {
            let p = p.trim_start_matches("./").trim_end_matches('/');
            p.strip_prefix(&format!("{input}/")).unwrap_or(p).to_string()
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// Whether a content-relative path matches one of `patterns` (`**` any folders, `*` and `?`
/// within a name; a pattern without them is the path or a folder above it).
pub fn is_ignored(rel: &str, patterns: &[String]) -> bool {
    patterns.iter().any(|p| {
        if p.contains(['*', '?']) {
            glob_match(p.as_bytes(), rel.as_bytes())
        } else {
            rel == p || rel.starts_with(&format!("{p}/"))
        }
    })
}

fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    match pattern {
        [] => text.is_empty(),
        [b'*', b'*', b'/', rest @ ..] => {
            glob_match(rest, text)
                || text.iter().enumerate().any(|(i, c)| *c == b'/' && glob_match(rest, &text[i + 1..]))
        }
        [b'*', b'*', rest @ ..] => (0..=text.len()).any(|i| glob_match(rest, &text[i..])),
        [b'*', rest @ ..] => {
            let limit = text.iter().position(|c| *c == b'/').unwrap_or(text.len());
            (0..=limit).any(|i| glob_match(rest, &text[i..]))
        }
        [b'?', rest @ ..] => text.first().is_some_and(|c| *c != b'/') && glob_match(rest, &text[1..]),
        [c, rest @ ..] => text.first() == Some(c) && glob_match(rest, &text[1..]),
    }
}

impl SiteFolders {
    pub fn discover(content: &Path) -> SiteFolders {
        let beside = |name: &str| content.parent().map(|p| p.join(name)).filter(|p| p.is_dir());
        SiteFolders { includes: beside("_includes"), data: beside("_data"), ..SiteFolders::default() }
    }

    /// Fills what is not set with what `discover` finds.
    pub fn or_discovered(mut self, content: &Path) -> SiteFolders {
        let found = SiteFolders::discover(content);
        self.includes = self.includes.or(found.includes);
        self.data = self.data.or(found.data);
        self
    }
}

/// One source before parsing: its content-relative path and its text when it is UTF-8.
pub struct SourceText<'a> {
    pub rel: &'a str,
    pub text: Option<&'a str>,
}

/// The template site for a content folder, and what reading its data reported.
fn template_site(
    content: &Path,
    folders: &SiteFolders,
    language: &str,
    sources: &[SourceText],
    script: Option<Arc<SiteScript>>,
) -> (TemplateSite, Identity, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut global = match &folders.data {
        Some(dir) => {
            let (data, diags) = site_data::load_global_data_with(dir, script.as_deref());
            diagnostics.extend(diags);
            data
        }
        None => Map::new(),
    };
    if let Some(script) = &script {
        // Functions become the templates' functions (templates::js_calls), not data.
        let data = script.config.global_data.iter().filter(|(_, v)| crate::js::function_id(v).is_none());
        scope::deep_merge(&mut global, data.map(|(k, v)| (k.clone(), v.clone())).collect());
    }
    scope::deep_merge(&mut global, folders.config_data.clone());
    let ((directory, template_data), diags) = site_data::load_content_data_with(content, script.as_deref());
    diagnostics.extend(diags);
    if let Some(script) = &script {
        diagnostics.extend(script.notes());
    }
    let identity = Identity::find(&global, folders.includes.as_deref());
    let language = match &identity.language {
        Some((found, _)) if !folders.site_given => found.as_str(),
        _ => language,
    };
    let translations = site_data::i18n_translations(&global);
    let (trim, lstrip) = match script.as_ref().filter(|s| s.config.loaded) {
        Some(s) => {
            let option = |k: &str| s.config.nunjucks_options.get(k).and_then(Json::as_bool).unwrap_or(false);
            (option("trimBlocks"), option("lstripBlocks"))
        }
        None => nunjucks_options(content),
    };
    let settings = TemplateSettings {
        includes: folders.includes.clone(),
        global,
        directory,
        template_data,
        translations,
        trim_blocks: folders.trim_blocks.unwrap_or(trim),
        lstrip_blocks: folders.lstrip_blocks.unwrap_or(lstrip),
        site_language: language.to_string(),
        script,
        templates: template_sources(content, sources),
    };
    let mut page_sources = Vec::new();
    let mut texts = Vec::new();
    for source in sources {
        let Some(text) = source.text else { continue };
        // Only the YAML is kept: it is read if and when a template asks for `collections`.
        let yaml = front_matter::split(text).ok().flatten().map(|s| s.yaml).unwrap_or("");
        page_sources.push(PageSource { rel: source.rel.to_string(), front_matter_yaml: yaml.to_string() });
        if templates::syntax::has_template_syntax(text) {
            texts.push(text);
        }
    }
    let site = TemplateSite::new(settings, page_sources, &texts);
    for problem in &site.template_problems {
        let message = format!(
            "the URLs this template builds are unknown ({}); links to them are reported broken",
            problem.message
        );
        diagnostics.push(Diagnostic::warning(
            crate::codes::SOURCE_TEMPLATE_URLS,
            &problem.rel,
            Pos::default(),
            message,
        ));
    }
    (site, identity, diagnostics)
}

/// The site's template pages (`.njk` files of the content folder), read for their URLs.
fn template_sources(content: &Path, sources: &[SourceText]) -> Vec<TemplateSource> {
    sources
        .iter()
        .filter(|s| s.rel.ends_with(".njk"))
        .filter_map(|s| {
            let path = content.join(s.rel);
            let text = std::fs::read_to_string(&path).ok()?;
            Some(TemplateSource { rel: s.rel.to_string(), path, text })
        })
        .collect()
}

/// The site's JavaScript sandbox, over the folder that holds the content folder (where Eleventy
/// runs and finds its configuration).
/// A site with no JavaScript at all (no configuration, no JavaScript data file) opens none.
pub fn open_script(content: &Path, data: Option<&Path>) -> (Option<Arc<SiteScript>>, Vec<Diagnostic>) {
    let Some(root) = content.canonicalize().ok().and_then(|c| c.parent().map(Path::to_path_buf)) else {
        return (None, Vec::new());
    };
    let has_config = crate::js::CONFIG_FILES.iter().any(|name| root.join(name).is_file());
    let has_data_script = |dir: &Path, only_data_files: bool| {
        crate::js::has_script(dir, &|name| !only_data_files || name.contains(".11tydata."))
    };
    if !has_config && !data.is_some_and(|d| has_data_script(d, false)) && !has_data_script(content, true) {
        return (None, Vec::new());
    }
    let (script, diags) = SiteScript::open(&root, crate::js::Limits::default());
    (script.map(Arc::new), diags)
}

/// `trimBlocks` and `lstripBlocks` as the site's Eleventy configuration files beside the
/// content folder set them (`setNunjucksEnvironmentOptions`): read, never run.
fn nunjucks_options(content: &Path) -> (bool, bool) {
    let Some(site) = content.parent() else { return (false, false) };
    let mut configs = Vec::new();
    for dir in [site.to_path_buf(), site.join("site-config"), site.join("config")] {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if name.starts_with("eleventy")
                && (name.ends_with(".js") || name.ends_with(".cjs") || name.ends_with(".mjs"))
            {
                configs.extend(std::fs::read_to_string(entry.path()).ok());
            }
        }
    }
    let set = |option: &str| {
        configs.iter().any(|text| {
            text.match_indices(option).any(|(i, _)| {
                let after = text[i + option.len()..].trim_start();
                after.strip_prefix(':').is_some_and(|v| v.trim_start().starts_with("true"))
            })
        })
    };
    (set("trimBlocks"), set("lstripBlocks"))
}

#[cfg(test)]
mod ignore_tests {
    use super::is_ignored;

    #[test]
    fn globs_and_folders_ignore_as_eleventy_does() {
        let patterns = vec!["drafts".to_string(), "**/README.md".to_string(), "fr/*.tmp.md".to_string()];
        assert!(is_ignored("drafts/a.md", &patterns));
        assert!(is_ignored("README.md", &patterns));
        assert!(is_ignored("fr/blog/README.md", &patterns));
        assert!(is_ignored("fr/x.tmp.md", &patterns));
        assert!(!is_ignored("fr/blog/x.tmp.md", &patterns));
        assert!(!is_ignored("draftsman.md", &patterns));
    }
}
