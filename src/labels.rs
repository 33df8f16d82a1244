//! Every word folio adds to a document, in the document's language: one table per language.
//!
//! Adding a language is one `Labels` constant and one line in `for_language`. Labels with a
//! number or a date in them are functions of it, since word order differs between languages.

use crate::model::CalloutKind;

/// The words of one language.
#[derive(Debug)]
pub struct Labels {
    /// Its primary language subtag, e.g. `fr`.
    pub language: &'static str,
    /// The contents, in every format that prints one.
    pub contents: &'static str,
    pub title_page: &'static str,
    pub see_also: &'static str,
    pub breadcrumb: &'static str,
    /// The part of the guide holding the pages in no section.
    pub other_pages: &'static str,
    /// The EPUB's list of landmarks (title page, contents, start of the text).
    pub landmarks: &'static str,
    /// Printed before the source of an image that could not be embedded.
    pub image_unavailable: &'static str,
    /// The short word an image is named by in running text, e.g. `[image: logo.png]`.
    pub image: &'static str,
    pub callout_info: &'static str,
    pub callout_warning: &'static str,
    pub callout_error: &'static str,
    pub callout_success: &'static str,
    part: fn(usize) -> String,
    edition: fn(&str) -> String,
    table_part: fn(usize, usize, &str, usize) -> String,
    columns: fn(usize, usize) -> String,
    months: [&'static str; 12],
    date_order: DateOrder,
}

#[derive(Debug, PartialEq, Eq)]
enum DateOrder {
    /// `3 décembre 2026`.
    DayMonthYear,
    /// `December 3, 2026`.
    MonthDayYear,
}

pub const FRENCH: Labels = Labels {
    language: "fr",
    contents: "Table des matières",
    title_page: "Page de titre",
    see_also: "Voir aussi",
    breadcrumb: "Fil d’Ariane",
    other_pages: "Autres pages",
    landmarks: "Repères",
    image_unavailable: "Image non disponible",
    image: "image",
    callout_info: "Information",
    callout_warning: "Attention",
    callout_error: "Erreur",
    callout_success: "Succès",
    part: |n| format!("Partie {n}"),
    edition: |date| format!("Édition du {date}"),
    table_part: |n, of, shown, columns| format!("Tableau, partie {n} sur {of} ({shown} sur {columns})"),
    columns: |first, last| {
        if first == 2 {
            format!("colonnes 1 à {last}")
        } else {
            format!("colonne 1, colonnes {first} à {last}")
        }
    },
    months: crate::text::FRENCH_MONTHS,
    date_order: DateOrder::DayMonthYear,
};

pub const ENGLISH: Labels = Labels {
    language: "en",
    contents: "Contents",
    title_page: "Title page",
    see_also: "See also",
    breadcrumb: "Breadcrumb",
    other_pages: "Other pages",
    landmarks: "Landmarks",
    image_unavailable: "Image not available",
    image: "image",
    callout_info: "Information",
    callout_warning: "Warning",
    callout_error: "Error",
    callout_success: "Success",
    part: |n| format!("Part {n}"),
    edition: |date| format!("Edition of {date}"),
    table_part: |n, of, shown, columns| format!("Table, part {n} of {of} ({shown} of {columns})"),
    columns: |first, last| {
        if first == 2 {
            format!("columns 1 to {last}")
        } else {
            format!("column 1, columns {first} to {last}")
        }
    },
    months: crate::text::ENGLISH_MONTHS,
    date_order: DateOrder::MonthDayYear,
};

/// The labels of a BCP 47 language tag, by its primary subtag; English for a language folio
/// has no table for.
pub fn for_language(language: &str) -> &'static Labels {
    let primary = language.trim().split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    match primary.as_str() {
        "fr" => &FRENCH,
        _ => &ENGLISH,
    }
}

impl Labels {
    /// `Partie 2`, `Part 2`.
    pub fn part(&self, number: usize) -> String {
        (self.part)(number)
    }

    /// The cover's edition line for a build date.
    pub fn edition(&self, (year, month, day): (i64, u32, u32)) -> String {
        (self.edition)(&self.date(year, month, day))
    }

    /// A date written out: `3 décembre 2026`, `December 3, 2026`.
    pub fn date(&self, year: i64, month: u32, day: u32) -> String {
        let name = self.months[(month.clamp(1, 12) - 1) as usize];
        match self.date_order {
            // French writes the first of the month as an ordinal: « 1er mars ».
            DateOrder::DayMonthYear if day == 1 && self.is_french() => format!("1er {name} {year}"),
            DateOrder::DayMonthYear => format!("{day} {name} {year}"),
            DateOrder::MonthDayYear => {
                let mut capitalised = name.chars();
                let first = capitalised.next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
                format!("{first}{} {day}, {year}", capitalised.as_str())
            }
        }
    }

    /// The label of one part of a table too wide for the page: part `n` of `of`, showing
    /// columns 1 and `first..=last` of `columns`.
    pub fn table_part(&self, n: usize, of: usize, (first, last): (usize, usize), columns: usize) -> String {
        (self.table_part)(n, of, &(self.columns)(first, last), columns)
    }

    /// The title a callout of `kind` is given when its source has none; `None`: untitled.
    pub fn callout(&self, kind: CalloutKind) -> Option<&'static str> {
        match kind {
            CalloutKind::Info => Some(self.callout_info),
            CalloutKind::Warning => Some(self.callout_warning),
            CalloutKind::Error => Some(self.callout_error),
            CalloutKind::Success => Some(self.callout_success),
            CalloutKind::Note => None,
        }
    }

    /// What stands between a label and what it labels: ` : ` in French (a no-break space
    /// before the colon), `: ` elsewhere.
    pub fn colon(&self) -> &'static str {
        if self.is_french() {
            "\u{a0}: "
        } else {
            ": "
        }
    }

    /// Whether French typography applies (no-break spaces before `: ; ! ?` and inside « »).
    pub fn is_french(&self) -> bool {
        self.language == "fr"
    }

    /// `text` with the typography of this language.
    pub fn typeset<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        if self.is_french() {
            crate::text::french_spacing(text)
        } else {
            std::borrow::Cow::Borrowed(text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regional_tag_takes_its_language_s_labels() {
        assert_eq!(for_language("fr-CA").contents, "Table des matières");
        assert_eq!(for_language("en-GB").contents, "Contents");
    }

    #[test]
    fn a_language_without_a_table_is_given_english() {
        assert_eq!(for_language("de").see_also, "See also");
    }

    #[test]
    fn dates_follow_each_language_s_order() {
        assert_eq!(FRENCH.date(2024, 12, 25), "25 décembre 2024");
        assert_eq!(FRENCH.date(2026, 12, 3), "3 décembre 2026");
        assert_eq!(FRENCH.date(2024, 3, 1), "1er mars 2024");
        assert_eq!(ENGLISH.date(2026, 12, 3), "December 3, 2026");
    }

    #[test]
    fn french_typography_applies_to_french_only() {
        assert_eq!(FRENCH.typeset("Quoi ?"), "Quoi\u{202f}?");
        assert_eq!(ENGLISH.typeset("What ?"), "What ?");
    }
}
