//! File names of the output: page keys and section URLs made safe and unique.

use crate::diagnostics::Diagnostic;
use crate::model::{Page, Pos};
use crate::text::slugify;
use std::collections::{BTreeMap, BTreeSet};

pub const FILE_NAME: &str = crate::codes::JSONLD_FILE_NAME;

/// Hands out file stems, never the same twice: a clash gets `-2`, `-3`, … (reported).
#[derive(Default)]
pub struct UniqueNames {
    taken: BTreeSet<String>,
}

impl UniqueNames {
    pub fn claim(&mut self, wanted: &str, source: &str, diags: &mut Vec<Diagnostic>) -> String {
        let mut name = wanted.to_string();
        let mut n = 1;
        while self.taken.contains(&name) {
            n += 1;
            name = format!("{wanted}-{n}");
        }
        if name != wanted {
            diags.push(Diagnostic::warning(
                FILE_NAME,
                source,
                Pos::default(),
                format!("output name {wanted:?} is already taken: written as {name:?}"),
            ));
        }
        self.taken.insert(name.clone());
        name
    }
}

/// A file stem for every page, by key: the key itself when it is a safe file name.
pub fn page_file_names<'a>(pages: &'a [Page], diags: &mut Vec<Diagnostic>) -> BTreeMap<&'a str, String> {
    let mut names = UniqueNames::default();
    let mut by_key = BTreeMap::new();
    for page in pages {
        if by_key.contains_key(page.key.as_str()) {
            diags.push(Diagnostic::warning(
                FILE_NAME,
                &page.source,
                Pos::default(),
                format!("another page already has the key {:?}: this page gets no JSON-LD file", page.key),
            ));
            continue;
        }
        let wanted = if is_safe_stem(&page.key) { page.key.clone() } else { fallback_stem(&page.key) };
        if wanted != page.key {
            diags.push(Diagnostic::warning(
                FILE_NAME,
                &page.source,
                Pos::default(),
                format!("key {:?} is not a safe file name: written as {wanted:?}", page.key),
            ));
        }
        by_key.insert(page.key.as_str(), names.claim(&wanted, &page.source, diags));
    }
    by_key
}

/// ASCII letters, digits, `-`, `_` and inner dots: portable on every file system and URL.
fn is_safe_stem(stem: &str) -> bool {
    !stem.is_empty()
        && !stem.starts_with('.')
        && stem.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn fallback_stem(key: &str) -> String {
    let slug = slugify(key);
    if slug.is_empty() {
        "page".to_string()
    } else {
        slug
    }
}

/// `/fs/pilotage/` → `fs-pilotage`; the site root → `home`.
pub fn section_slug(url: &str) -> String {
    let slug = slugify(url);
    if slug.is_empty() {
        "home".to_string()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_slug_joins_folders_with_dashes() {
        assert_eq!(section_slug("/fs/pilotage/"), "fs-pilotage");
        assert_eq!(section_slug("/"), "home");
    }

    #[test]
    fn clashing_names_get_a_number_and_a_warning() {
        let mut names = UniqueNames::default();
        let mut diags = Vec::new();
        assert_eq!(names.claim("a", "x.md", &mut diags), "a");
        assert_eq!(names.claim("a", "y.md", &mut diags), "a-2");
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, FILE_NAME);
    }

    #[test]
    fn keys_with_slashes_are_not_safe_stems() {
        assert!(!is_safe_stem("../etc/passwd"));
        assert!(!is_safe_stem("a/b"));
        assert!(is_safe_stem("fs-pilotage_2.1"));
    }
}
