//! folio reads an Eleventy documentation corpus into one typed model and publishes it in
//! many formats at once. See the README for the architecture.

pub mod allocator;
pub mod assets;
pub mod build;
pub mod codes;
pub mod config;
pub mod deflate;
pub mod diagnostics;
pub mod diagrams;
pub mod exporter;
pub mod exporters;
pub mod fidelity;
pub mod folder_sink;
#[cfg(feature = "dev-tools")]
pub mod fuzzing;
pub mod js;
pub mod json_strings;
pub mod labels;
pub mod languages;
pub mod links;
pub mod mermaid;
pub mod model;
pub mod random_access;
pub mod reader;
#[cfg(feature = "dev-tools")]
pub mod scale;
pub mod source_audit;
pub mod text;
pub mod walk;
pub mod word_keys;
