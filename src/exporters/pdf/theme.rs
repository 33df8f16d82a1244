//! The layout theme: sizes, margins and colours, from `exporters/pdf/theme.toml` (compiled in)
//! with the `[output.pdf.theme]` table of `folio.toml` laid over it.

use anyhow::Context as _;
use genpdf::style::Color;
use serde::Deserialize;

const DEFAULT_THEME: &str = include_str!("../../../exporters/pdf/theme.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    pub paper_width: f64,
    pub paper_height: f64,
    pub margin_top: f64,
    pub margin_bottom: f64,
    pub margin_left: f64,
    pub margin_right: f64,
    pub header_height: f64,
    pub body_size: u8,
    pub small_size: u8,
    pub code_size: u8,
    pub lead_size: u8,
    pub h1_size: u8,
    pub h2_size: u8,
    pub h3_size: u8,
    pub h4_size: u8,
    pub cover_title_size: u8,
    pub cover_subtitle_size: u8,
    pub line_spacing: f64,
    pub block_gap: f64,
    pub keep_with_next: f64,
    pub image_max_height: f64,
    pub table_max_columns: usize,
    pub text_color: [u8; 3],
    pub muted_color: [u8; 3],
    pub accent_color: [u8; 3],
    pub link_color: [u8; 3],
    pub rule_color: [u8; 3],
    pub note_color: [u8; 3],
    pub info_color: [u8; 3],
    pub warning_color: [u8; 3],
    pub error_color: [u8; 3],
    pub success_color: [u8; 3],
    pub quote_color: [u8; 3],
    pub code_color: [u8; 3],
}

impl Theme {
    /// The compiled-in theme with `overrides` (the `theme` table of the options) laid over it.
    pub fn load(overrides: Option<&toml::Value>) -> anyhow::Result<Theme> {
        let mut table: toml::Table = DEFAULT_THEME.parse().context("exporters/pdf/theme.toml")?;
        if let Some(value) = overrides {
            let extra = value.as_table().context("[output.pdf.theme] must be a table")?;
            for (key, value) in extra {
                table.insert(key.clone(), value.clone());
            }
        }
        let theme: Theme = toml::Value::Table(table).try_into().context("invalid [output.pdf.theme]")?;
        anyhow::ensure!(theme.table_max_columns >= 2, "theme.table_max_columns must be at least 2");
        anyhow::ensure!(theme.text_width() > 40.0, "the theme's margins leave no room for text");
        Ok(theme)
    }

    /// Width of the text block in millimetres.
    pub fn text_width(&self) -> f64 {
        self.paper_width - self.margin_left - self.margin_right
    }

    /// Height of the text block of a page (under the running header), in millimetres.
    pub fn text_height(&self) -> f64 {
        self.paper_height - self.margin_top - self.margin_bottom - self.header_height
    }

    pub fn heading_size(&self, level: u8) -> u8 {
        match level {
            0 | 1 => self.h1_size,
            2 => self.h2_size,
            3 => self.h3_size,
            _ => self.h4_size,
        }
    }
}

pub fn rgb(c: [u8; 3]) -> Color {
    Color::Rgb(c[0], c[1], c[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_theme_parses() {
        let theme = Theme::load(None).unwrap();
        assert_eq!(theme.body_size, 10);
    }

    #[test]
    fn options_override_the_default_theme() {
        let value: toml::Value = toml::from_str::<toml::Table>("body_size = 12").unwrap().into();
        assert_eq!(Theme::load(Some(&value)).unwrap().body_size, 12);
    }

    #[test]
    fn unknown_theme_keys_are_refused() {
        let value: toml::Value = toml::from_str::<toml::Table>("bodysize = 12").unwrap().into();
        assert!(Theme::load(Some(&value)).is_err());
    }
}
