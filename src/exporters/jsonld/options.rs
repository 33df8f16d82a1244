//! `[output.jsonld]` options.

use crate::diagnostics::Diagnostic;
use crate::model::Pos;
use anyhow::bail;

pub const UNKNOWN_OPTION: &str = crate::codes::JSONLD_UNKNOWN_OPTION;

/// What `acceptedAnswer.text` holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerSource {
    /// The abstract followed by the "En bref" callout: the short answer (default).
    Summary,
    /// The whole body of the page.
    Body,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonLdOptions {
    pub answer: AnswerSource,
    /// Write the build date as every page's `dateModified`. Off by default: the build time is
    /// when the site was built, not when each page changed.
    pub date_modified_from_build: bool,
}

impl JsonLdOptions {
    /// Reads the table; a wrong value is an error, an unknown key a warning.
    pub fn from_table(table: &toml::Table, diags: &mut Vec<Diagnostic>) -> anyhow::Result<Self> {
        let mut options = JsonLdOptions { answer: AnswerSource::Summary, date_modified_from_build: false };
        for (key, value) in table {
            match (key.as_str(), value) {
                ("answer", toml::Value::String(s)) if s == "summary" => options.answer = AnswerSource::Summary,
                ("answer", toml::Value::String(s)) if s == "body" => options.answer = AnswerSource::Body,
                ("answer", other) => bail!("[output.jsonld] answer must be \"summary\" or \"body\", got {other}"),
                ("date_modified", toml::Value::String(s)) if s == "none" => options.date_modified_from_build = false,
                ("date_modified", toml::Value::String(s)) if s == "build" => options.date_modified_from_build = true,
                ("date_modified", other) => {
                    bail!("[output.jsonld] date_modified must be \"none\" or \"build\", got {other}")
                }
                (other, _) => diags.push(Diagnostic::warning(
                    UNKNOWN_OPTION,
                    "folio.toml",
                    Pos::default(),
                    format!("[output.jsonld] has no option {other:?}; it is ignored"),
                )),
            }
        }
        Ok(options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (anyhow::Result<JsonLdOptions>, Vec<Diagnostic>) {
        let table: toml::Table = text.parse().unwrap();
        let mut diags = Vec::new();
        (JsonLdOptions::from_table(&table, &mut diags), diags)
    }

    #[test]
    fn defaults_are_the_short_answer_and_no_date() {
        let (options, diags) = parse("");
        assert_eq!(options.unwrap(), JsonLdOptions { answer: AnswerSource::Summary, date_modified_from_build: false });
        assert!(diags.is_empty());
    }

    #[test]
    fn answer_body_selects_the_whole_body() {
        assert_eq!(parse("answer = \"body\"").0.unwrap().answer, AnswerSource::Body);
    }

    #[test]
    fn a_wrong_answer_value_is_an_error() {
        assert!(parse("answer = \"full\"").0.is_err());
    }

    #[test]
    fn an_unknown_key_is_a_warning() {
        let (options, diags) = parse("colour = 1");
        assert!(options.is_ok());
        assert_eq!(diags[0].code, UNKNOWN_OPTION);
    }
}
