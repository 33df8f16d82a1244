//! `folio.toml`: site metadata, default folders, limits, and one raw table per output.
//!
//! Core settings are typed and reject unknown keys (a typo is an error, exit 2). Each
//! `[output.NAME]` table stays raw and is read by that exporter, as mdBook does.

use anyhow::Context;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub site: SiteConfig,
    #[serde(default)]
    pub build: BuildConfig,
    #[serde(default)]
    pub limits: LimitsConfig,
    /// `[output.NAME]` tables. A table with a `command` declares an external exporter.
    #[serde(default)]
    pub output: BTreeMap<String, toml::Table>,
    /// `[data]`: global template data the site computes in JavaScript, given by hand; it
    /// lies over `_data/`.
    #[serde(default)]
    pub data: toml::Table,
    #[serde(default)]
    pub templates: TemplatesConfig,
    /// `[containers.NAME]`: markdown-it containers the site registers, by name.
    #[serde(default)]
    pub containers: BTreeMap<String, crate::reader::containers::ContainerRule>,
    /// Folder the config file is in: relative paths in it are relative to this.
    #[serde(skip)]
    pub root: PathBuf,
    /// Whether the file has a `[site]` table; without one, the site's own metadata is used.
    #[serde(skip)]
    pub site_given: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    pub url: String,
    pub language: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub publisher: String,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Documentation".into(),
            url: "https://example.org/".into(),
            language: "en".into(),
            description: String::new(),
            publisher: String::new(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildConfig {
    pub content: Option<PathBuf>,
    pub assets: Option<PathBuf>,
    pub out: Option<PathBuf>,
    /// Formats built when `--format` is not given; default: every built-in and declared one.
    pub formats: Option<Vec<String>>,
    /// The site's `_includes` (default: beside the content folder).
    pub includes: Option<PathBuf>,
    /// The site's `_data` (default: beside the content folder).
    pub data: Option<PathBuf>,
}

/// `[templates]`: Nunjucks options; by default as the site's Eleventy configuration sets them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplatesConfig {
    pub trim_blocks: Option<bool>,
    pub lstrip_blocks: Option<bool>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsConfig {
    #[serde(default = "default_max_image_pixels")]
    pub max_image_pixels: u64,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig { max_image_pixels: default_max_image_pixels() }
    }
}

fn default_max_image_pixels() -> u64 {
    crate::exporter::Limits::default().max_image_pixels
}

impl Config {
    pub fn from_file(path: &Path) -> anyhow::Result<Config> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let mut config = Config::parse(&text).with_context(|| format!("in {}", path.display()))?;
        config.root = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Ok(config)
    }

    pub fn parse(text: &str) -> anyhow::Result<Config> {
        let mut config: Config = toml::from_str(text)?;
        config.site_given = text.parse::<toml::Table>().is_ok_and(|t| t.contains_key("site"));
        if !config.site.url.ends_with('/') {
            config.site.url.push('/');
        }
        Ok(config)
    }

    /// A path from the config, made relative to the config's folder.
    pub fn resolve_path(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.root.join(p)
        }
    }

    pub fn site_meta(&self) -> crate::model::SiteMeta {
        crate::model::SiteMeta {
            title: self.site.title.clone(),
            url: self.site.url.clone(),
            language: self.site.language.clone(),
            description: self.site.description.clone(),
            publisher: self.site.publisher.clone(),
        }
    }

    /// The `[data]` table as template data.
    pub fn template_data(&self) -> serde_json::Map<String, serde_json::Value> {
        match serde_json::to_value(&self.data) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        }
    }

    /// Names of the external exporters declared with a `command`.
    pub fn external_exporters(&self) -> Vec<(String, ExternalSpec)> {
        self.output
            .iter()
            .filter_map(|(name, table)| {
                let command = table.get("command")?.as_str()?.to_string();
                let optional = table.get("optional").and_then(|v| v.as_bool()).unwrap_or(false);
                Some((name.clone(), ExternalSpec { command, optional }))
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalSpec {
    /// A command line, split on whitespace; the output folder is appended as last argument.
    pub command: String,
    /// A missing command is then a warning, not an error.
    pub optional: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_core_key_is_rejected() {
        assert!(Config::parse("[site]\ntitle='a'\nurl='u'\nlanguage='fr'\ncolour='red'\n").is_err());
    }

    #[test]
    fn output_tables_stay_raw_and_commands_declare_externals() {
        let c =
            Config::parse("[output.epub]\nname='x'\n[output.wc]\ncommand='python3 wc.py'\noptional=true\n").unwrap();
        assert_eq!(c.output["epub"]["name"].as_str(), Some("x"));
        assert_eq!(
            c.external_exporters(),
            vec![("wc".to_string(), ExternalSpec { command: "python3 wc.py".into(), optional: true })]
        );
    }

    #[test]
    fn data_templates_and_containers_tables_are_read() {
        let c = Config::parse(
            "[data.metadata]\nurl='https://x.org/'\n[templates]\ntrim_blocks=true\n[containers.tip]\nkind='alert'\ntype='success'\n",
        )
        .unwrap();
        assert_eq!(c.template_data()["metadata"]["url"], "https://x.org/");
        assert_eq!(c.templates.trim_blocks, Some(true));
        assert_eq!(c.containers["tip"].kind, crate::reader::containers::ContainerKind::Alert);
    }

    #[test]
    fn site_url_gets_a_trailing_slash() {
        let c = Config::parse("[site]\ntitle='a'\nurl='https://x.org'\nlanguage='fr'\n").unwrap();
        assert_eq!(c.site.url, "https://x.org/");
    }
}
