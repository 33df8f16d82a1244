//! The site's own identity (title, URL, language, description, publisher), as its global data
//! (`metadata` in this family) and its base layout's `<html lang>` state it. folio.toml's
//! `[site]` wins when it is given; otherwise each field found here replaces folio's default, and
//! one note says where each came from.

use crate::diagnostics::Diagnostic;
use crate::model::{Pos, SiteMeta};
use serde_json::{Map, Value as Json};
use std::path::Path;

/// Global data objects read for the identity, in order: the first that gives a field wins.
const METADATA_KEYS: [&str; 3] = ["metadata", "site", "siteMetadata"];

/// What the site says about itself; each field with where it was read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Identity {
    pub title: Option<(String, String)>,
    pub url: Option<(String, String)>,
    pub language: Option<(String, String)>,
    pub description: Option<(String, String)>,
    pub publisher: Option<(String, String)>,
}

impl Identity {
    /// Reads `global` data, then the `<html lang>` of the layouts under `includes`.
    pub fn find(global: &Map<String, Json>, includes: Option<&Path>) -> Identity {
        let mut found = Identity::default();
        for key in METADATA_KEYS {
            let Some(meta) = global.get(key).and_then(Json::as_object) else { continue };
            let text = |field: &str| -> Option<(String, String)> {
                let value = meta.get(field)?.as_str()?.trim();
                (!value.is_empty()).then(|| (value.to_string(), format!("{key}.{field}")))
            };
            found.title = found.title.or_else(|| text("title").or_else(|| text("name")));
            found.url = found.url.or_else(|| text("url").filter(|(u, _)| u.starts_with("http")));
            found.language = found.language.or_else(|| text("language").or_else(|| text("lang")));
            found.description = found.description.or_else(|| text("description"));
            found.publisher = found.publisher.or_else(|| {
                text("publisher").or_else(|| text("service")).or_else(|| {
                    let name = meta.get("author")?.get("name")?.as_str()?.trim();
                    (!name.is_empty()).then(|| (name.to_string(), format!("{key}.author.name")))
                })
            });
        }
        if found.language.is_none() {
            found.language = includes.and_then(layout_language);
        }
        found
    }

    /// `defaults` with each field the site states laid over it.
    pub fn apply(&self, mut defaults: SiteMeta) -> SiteMeta {
        let take = |field: &Option<(String, String)>, into: &mut String| {
            if let Some((value, _)) = field {
                *into = value.clone();
            }
        };
        take(&self.title, &mut defaults.title);
        take(&self.url, &mut defaults.url);
        if !defaults.url.ends_with('/') {
            defaults.url.push('/');
        }
        take(&self.language, &mut defaults.language);
        take(&self.description, &mut defaults.description);
        take(&self.publisher, &mut defaults.publisher);
        defaults
    }

    /// One note (on `file`, the data folder) naming where each field was read, or `None` when the site states nothing.
    pub fn note(&self, file: &str) -> Option<Diagnostic> {
        let fields = [
            ("title", &self.title),
            ("url", &self.url),
            ("language", &self.language),
            ("description", &self.description),
            ("publisher", &self.publisher),
        ];
        let parts: Vec<String> = fields
            .iter()
            .filter_map(|(name, field)| field.as_ref().map(|(value, from)| format!("{name} \"{value}\" ({from})")))
            .collect();
        (!parts.is_empty()).then(|| {
            let message = format!(
                "the site's identity is taken from its own data, as folio.toml sets no [site]: {}",
                parts.join(", ")
            );
            Diagnostic::note(crate::codes::SITE_IDENTITY, file, Pos::default(), message)
        })
    }
}

/// The language a layout of the site writes literally in `<html lang="…">` (a base layout
/// first); a template expression there says nothing about the site as a whole.
fn layout_language(includes: &Path) -> Option<(String, String)> {
    let mut layouts: Vec<_> = ["layouts", ""]
        .iter()
        .filter_map(|sub| std::fs::read_dir(includes.join(sub)).ok())
        .flat_map(|entries| entries.flatten().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    layouts.sort_by_key(|p| (!p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("base")), p.clone()));
    for path in layouts {
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let Some(start) = text.find("<html") else { continue };
        let tag = &text[start..text[start..].find('>').map_or(text.len(), |e| start + e)];
        let Some(at) = tag.find("lang=") else { continue };
        let value = tag[at + 5..].trim_start_matches(['"', '\'']);
        let lang: String = value.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
        if !lang.is_empty() && !value[lang.len()..].starts_with("{{") {
            let name = path.strip_prefix(includes).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            return Some((lang, format!("<html lang> of _includes/{name}")));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn global(value: Json) -> Map<String, Json> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn metadata_gives_title_url_language_description_and_publisher() {
        let data =
            global(json!({ "metadata": { "title": "Docs", "url": "https://docs.example.gouv.fr", "language": "fr",
            "description": "Guide", "service": "DINUM", "author": { "name": "Someone" } } }));
        let site = Identity::find(&data, None).apply(SiteMeta::default());
        assert_eq!(site.title, "Docs");
        assert_eq!(site.url, "https://docs.example.gouv.fr/");
        assert_eq!(site.language, "fr");
        assert_eq!(site.description, "Guide");
        assert_eq!(site.publisher, "DINUM");
    }

    #[test]
    fn empty_fields_and_urls_that_are_not_absolute_are_not_taken() {
        let data = global(json!({ "metadata": { "title": " ", "url": "/" } }));
        assert_eq!(Identity::find(&data, None), Identity::default());
    }

    #[test]
    fn a_literal_html_lang_in_the_base_layout_gives_the_language() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("layouts")).expect("mkdir");
        std::fs::write(dir.path().join("layouts/base.njk"), "<!doctype html>\n<html lang=\"fr\" dir=\"ltr\">")
            .expect("write");
        let found = Identity::find(&Map::new(), Some(dir.path()));
        assert_eq!(found.language.map(|(l, _)| l).as_deref(), Some("fr"));
    }

    #[test]
    fn an_html_lang_written_as_a_template_gives_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("layouts")).expect("mkdir");
        std::fs::write(dir.path().join("layouts/base.njk"), "<html lang=\"{{ page.lang }}\">").expect("write");
        assert_eq!(Identity::find(&Map::new(), Some(dir.path())).language, None);
    }

    #[test]
    fn the_note_names_each_source() {
        let data = global(json!({ "metadata": { "title": "Docs" } }));
        let note = Identity::find(&data, None).note("_data").expect("a note");
        assert!(note.message.contains("title \"Docs\" (metadata.title)"), "{}", note.message);
    }
}
