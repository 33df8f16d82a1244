//! Diagnostics: every problem folio finds, with a stable code, a severity and a location.
//!
//! Codes are `area/name` strings (`link/broken`, `html/dropped`, …) and never change meaning
//! once published; `docs` in the README lists them. Diagnostics are collected, sorted, and
//! printed once, rustc-style.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code, `area/name`.
    pub code: &'static str,
    pub severity: Severity,
    /// Path as given to folio (content-relative for pages), `/`-separated.
    pub file: String,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: u32,
    /// 1-based, in characters; 0 when unknown.
    pub col: u32,
    pub message: String,
}

impl Diagnostic {
    pub fn new(
        code: &'static str,
        severity: Severity,
        file: impl Into<String>,
        pos: crate::model::Pos,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic { code, severity, file: file.into(), line: pos.line, col: pos.col, message: message.into() }
    }

    pub fn error(
        code: &'static str,
        file: impl Into<String>,
        pos: crate::model::Pos,
        message: impl Into<String>,
    ) -> Self {
        Self::new(code, Severity::Error, file, pos, message)
    }

    pub fn warning(
        code: &'static str,
        file: impl Into<String>,
        pos: crate::model::Pos,
        message: impl Into<String>,
    ) -> Self {
        Self::new(code, Severity::Warning, file, pos, message)
    }

    pub fn note(
        code: &'static str,
        file: impl Into<String>,
        pos: crate::model::Pos,
        message: impl Into<String>,
    ) -> Self {
        Self::new(code, Severity::Note, file, pos, message)
    }

    /// `file:line:col`, omitting what is unknown.
    pub fn location(&self) -> String {
        match (self.line, self.col) {
            (0, _) => self.file.clone(),
            (l, 0) => format!("{}:{}", self.file, l),
            (l, c) => format!("{}:{}:{}", self.file, l, c),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]: {}\n  --> {}", self.severity, self.code, self.message, self.location())
    }
}

/// Sorts diagnostics by file, position, severity and code, and removes exact duplicates,
/// so that output does not depend on thread scheduling.
pub fn sort_diagnostics(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.col, a.severity, a.code, &a.message)
            .cmp(&(&b.file, b.line, b.col, b.severity, b.code, &b.message))
    });
    diags.dedup();
}

/// Counts by severity, for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

pub fn summarize(diags: &[Diagnostic]) -> Summary {
    let mut s = Summary::default();
    for d in diags {
        match d.severity {
            Severity::Error => s.errors += 1,
            Severity::Warning => s.warnings += 1,
            Severity::Note => s.notes += 1,
        }
    }
    s
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} error(s), {} warning(s), {} note(s)", self.errors, self.warnings, self.notes)
    }
}
