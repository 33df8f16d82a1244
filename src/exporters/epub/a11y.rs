//! EPUB Accessibility 1.1 metadata: the conformance claim and the schema.org discovery
//! metadata, whose picture, table and hazard claims are counted from the book as built, so
//! that the package never says what the book does not do.

use super::media::Media;
use crate::model::{Block, Corpus};

/// The conformance claim (EPUB Accessibility 1.1, § 2.1), which DAISY Ace checks.
pub const CONFORMS_TO: &str = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA";

/// What the claims of the package depend on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    /// Pictures shown in the chapters (each use counts), and those among them with no text
    /// alternative.
    pub pictures: usize,
    pub pictures_without_alt: usize,
    /// Whether a picture may move (GIF), so that no flashing hazard can be ruled out.
    pub animated_pictures: bool,
    /// Tables, and those among them whose header row has no text.
    pub tables: usize,
    pub tables_without_header: usize,
}

impl Facts {
    pub fn of_book(corpus: &Corpus, media: &Media) -> Facts {
        let (mut tables, mut tables_without_header) = (0, 0);
        for page in &corpus.pages {
            crate::walk::visit_blocks(&page.blocks, &mut |block| {
                if let Block::Table(t) = block {
                    tables += 1;
                    tables_without_header += usize::from(!super::blocks::has_header(t));
                }
            });
        }
        let pictures = media.pictures();
        Facts {
            pictures: pictures.shown,
            pictures_without_alt: pictures.without_alt,
            animated_pictures: media.resources().any(|(_, r)| r.media_type == "image/gif"),
            tables,
            tables_without_header,
        }
    }
}

/// `(property, value)` of every `<meta>` the package carries for accessibility, in order.
/// Values are plain text without markup characters: epub-builder writes them verbatim.
pub fn metadata(facts: &Facts, language: &str) -> Vec<(&'static str, String)> {
    let all_described = facts.pictures_without_alt == 0;
    let mut meta = vec![("dcterms:conformsTo", CONFORMS_TO.to_string()), ("schema:accessMode", "textual".into())];
    if facts.pictures > 0 {
        meta.push(("schema:accessMode", "visual".into()));
        meta.push(("schema:accessModeSufficient", "textual,visual".into()));
    }
    if all_described {
        meta.push(("schema:accessModeSufficient", "textual".into()));
    }
    let mut features = vec!["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"];
    if facts.pictures > 0 && all_described {
        features.push("alternativeText");
    }
    meta.extend(features.into_iter().map(|f| ("schema:accessibilityFeature", f.to_string())));
    let hazard = if facts.animated_pictures { "unknown" } else { "none" };
    meta.push(("schema:accessibilityHazard", hazard.into()));
    meta.push(("schema:accessibilitySummary", summary(facts, language)));
    meta
}

/// The summary, in French for a French book, else in English.
fn summary(facts: &Facts, language: &str) -> String {
    let french = language.split('-').next().is_some_and(|l| l.eq_ignore_ascii_case("fr"));
    let text = if french { &FRENCH } else { &ENGLISH };
    let pictures = match (facts.pictures, facts.pictures_without_alt) {
        (0, _) => text.no_picture.to_string(),
        (n, 0) => text.pictures_described.replace("{n}", &n.to_string()),
        (n, 1) => text.picture_undescribed.replace("{n}", &n.to_string()),
        (n, k) => text.pictures_undescribed.replace("{n}", &n.to_string()).replace("{k}", &k.to_string()),
    };
    let tables = match (facts.tables, facts.tables_without_header) {
        (0, _) => String::new(),
        (_, 0) => format!(" {}", text.tables_with_header),
        (n, 1) => format!(" {}", text.table_without_header.replace("{n}", &n.to_string())),
        (n, k) => {
            format!(" {}", text.tables_without_header.replace("{n}", &n.to_string()).replace("{k}", &k.to_string()))
        }
    };
    let hazard = if facts.animated_pictures { format!(" {}", text.animated) } else { String::new() };
    format!("{} {pictures}{tables}{hazard} {}", text.structure, text.style)
}

struct Sentences {
    structure: &'static str,
    no_picture: &'static str,
    pictures_described: &'static str,
    picture_undescribed: &'static str,
    pictures_undescribed: &'static str,
    tables_with_header: &'static str,
    table_without_header: &'static str,
    tables_without_header: &'static str,
    animated: &'static str,
    style: &'static str,
}

const FRENCH: Sentences = Sentences {
    structure: "Chaque page du site est un chapitre, dans l’ordre de lecture, avec des intertitres hiérarchisés \
                sans niveau sauté ; la table des matières imbrique sections, pages et intertitres.",
    no_picture: "Le livre ne contient aucune image.",
    pictures_described: "Chacune des {n} images a un texte de remplacement.",
    picture_undescribed: "Une des {n} images n’a pas de texte de remplacement.",
    pictures_undescribed: "{k} des {n} images n’ont pas de texte de remplacement.",
    tables_with_header: "Les tableaux ont une ligne d’en-tête.",
    table_without_header: "Un des {n} tableaux n’a pas de ligne d’en-tête.",
    tables_without_header: "{k} des {n} tableaux n’ont pas de ligne d’en-tête.",
    animated: "Des images GIF peuvent être animées.",
    style: "La feuille de style ne fixe ni la taille de base ni la couleur du texte.",
};

const ENGLISH: Sentences = Sentences {
    structure: "Each page of the site is a chapter, in reading order, with nested headings that skip no level; \
                the table of contents nests sections, pages and headings.",
    no_picture: "The book has no pictures.",
    pictures_described: "Each of the {n} pictures has a text alternative.",
    picture_undescribed: "One of the {n} pictures has no text alternative.",
    pictures_undescribed: "{k} of the {n} pictures have no text alternative.",
    tables_with_header: "Tables have a header row.",
    table_without_header: "One of the {n} tables has no header row.",
    tables_without_header: "{k} of the {n} tables have no header row.",
    animated: "GIF pictures may be animated.",
    style: "The stylesheet sets neither the base size nor the colour of the text.",
};

#[cfg(test)]
mod tests {
    use super::*;

    fn values<'a>(meta: &'a [(&str, String)], property: &str) -> Vec<&'a str> {
        meta.iter().filter(|(p, _)| *p == property).map(|(_, v)| v.as_str()).collect()
    }

    #[test]
    fn the_package_claims_epub_accessibility_1_1_at_wcag_2_2_aa() {
        let meta = metadata(&Facts::default(), "fr");
        assert_eq!(values(&meta, "dcterms:conformsTo"), ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]);
    }

    #[test]
    fn a_book_without_pictures_is_textual_and_claims_no_alternative_text() {
        let meta = metadata(&Facts::default(), "fr");
        assert_eq!(values(&meta, "schema:accessMode"), ["textual"]);
        assert_eq!(values(&meta, "schema:accessModeSufficient"), ["textual"]);
        assert!(!values(&meta, "schema:accessibilityFeature").contains(&"alternativeText"));
        assert!(values(&meta, "schema:accessibilitySummary")[0].contains("aucune image"));
    }

    #[test]
    fn pictures_that_all_have_alt_text_make_text_alone_sufficient() {
        let meta = metadata(&Facts { pictures: 3, ..Facts::default() }, "fr");
        assert_eq!(values(&meta, "schema:accessMode"), ["textual", "visual"]);
        assert_eq!(values(&meta, "schema:accessModeSufficient"), ["textual,visual", "textual"]);
        assert!(values(&meta, "schema:accessibilityFeature").contains(&"alternativeText"));
        assert!(values(&meta, "schema:accessibilitySummary")[0].contains("Chacune des 3 images"));
    }

    #[test]
    fn a_picture_without_alt_text_withdraws_the_textual_claims_and_is_counted() {
        let meta = metadata(&Facts { pictures: 3, pictures_without_alt: 2, ..Facts::default() }, "en");
        assert_eq!(values(&meta, "schema:accessModeSufficient"), ["textual,visual"]);
        assert!(!values(&meta, "schema:accessibilityFeature").contains(&"alternativeText"));
        assert!(
            values(&meta, "schema:accessibilitySummary")[0].contains("2 of the 3 pictures have no text alternative")
        );
    }

    #[test]
    fn tables_without_a_header_row_are_counted_in_the_summary() {
        let meta = metadata(&Facts { tables: 4, tables_without_header: 2, ..Facts::default() }, "fr");
        assert!(
            values(&meta, "schema:accessibilitySummary")[0].contains("2 des 4 tableaux n’ont pas de ligne d’en-tête")
        );
    }

    #[test]
    fn a_gif_leaves_the_flashing_hazard_unknown() {
        let meta = metadata(&Facts { pictures: 1, animated_pictures: true, ..Facts::default() }, "fr");
        assert_eq!(values(&meta, "schema:accessibilityHazard"), ["unknown"]);
    }
}
