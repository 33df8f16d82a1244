//! The XHTML writer's state and its escaping: every string that reaches a chapter goes
//! through `text` or `attr`, which strip what XML 1.0 forbids (with a diagnostic) and escape
//! markup characters, so source text can never become markup.

use super::media::Media;
use super::plan::BookPlan;
use crate::diagnostics::Diagnostic;
use crate::exporter::ExportContext;
use crate::model::Pos;
use std::borrow::Cow;
use std::collections::BTreeSet;

/// Writes one XHTML document of the book.
pub struct Writer<'a> {
    pub ctx: &'a ExportContext<'a>,
    pub plan: &'a BookPlan,
    pub media: &'a Media,
    pub diags: &'a mut Vec<Diagnostic>,
    /// Source file the document comes from, for diagnostics.
    pub source: String,
    /// Key of the page being written, when the document is a chapter.
    pub page_key: Option<String>,
    /// Where the block being written starts, for diagnostics about its inlines.
    pub pos: Pos,
    /// XHTML ids already given in this document.
    used_ids: BTreeSet<String>,
    /// The words folio adds, and the typography of running text, in the document's language.
    pub labels: &'static crate::labels::Labels,
    pub out: String,
}

impl<'a> Writer<'a> {
    pub fn new(
        ctx: &'a ExportContext<'a>,
        plan: &'a BookPlan,
        media: &'a Media,
        diags: &'a mut Vec<Diagnostic>,
        source: &str,
        page_key: Option<&str>,
    ) -> Self {
        Writer {
            ctx,
            plan,
            media,
            diags,
            source: source.to_string(),
            page_key: page_key.map(str::to_string),
            pos: Pos::default(),
            used_ids: BTreeSet::new(),
            labels: crate::languages::book_labels(ctx.corpus),
            out: String::new(),
        }
    }

    pub fn push(&mut self, markup: &str) {
        self.out.push_str(markup);
    }

    /// Appends `text` as escaped character data.
    pub fn text(&mut self, text: &str) {
        let clean = self.clean(text);
        crate::text::push_escaped(&mut self.out, &clean, false);
    }

    /// Running text: in French, the spaces before `; : ! ?` and inside « » become no-break
    /// spaces, so a line never starts with the punctuation (code is left alone).
    pub fn prose(&mut self, text: &str) {
        let typeset = self.labels.typeset(text);
        self.text(&typeset);
    }

    /// `text` escaped for a double-quoted attribute value.
    pub fn attr(&mut self, text: &str) -> String {
        let clean = self.clean(text);
        let mut out = String::with_capacity(clean.len());
        crate::text::push_escaped(&mut out, &clean, true);
        out
    }

    /// `text` without the characters XML 1.0 forbids; reports how many were removed.
    /// Borrowed when nothing is removed, which is almost always: no copy per text run.
    pub fn clean<'t>(&mut self, text: &'t str) -> Cow<'t, str> {
        let (clean, removed) = crate::text::xml_safe(text);
        self.report_removed(removed);
        clean
    }

    /// Reports characters removed because XML 1.0 forbids them, if any were.
    pub fn report_removed(&mut self, removed: usize) {
        if removed > 0 {
            self.warn(
                crate::codes::EPUB_INVALID_CHAR,
                format!("{removed} character(s) not allowed in XML 1.0 removed (control characters)"),
            );
        }
    }

    pub fn warn(&mut self, code: &'static str, message: impl Into<String>) {
        self.diags.push(Diagnostic::warning(code, self.source.clone(), self.pos, message));
    }

    /// ` id="…"` for a heading or section of the current page, or nothing when the model id
    /// has no XHTML id or that id was already given (a duplicate id in the source).
    pub fn id_attr(&mut self, model_id: Option<&str>) -> String {
        let Some(model_id) = model_id else { return String::new() };
        let planned = self.page_key.as_deref().and_then(|key| self.plan.id(key, model_id)).map(str::to_string);
        match planned {
            Some(id) if self.used_ids.insert(id.clone()) => format!(" id=\"{}\"", self.attr(&id)),
            Some(_) | None => {
                self.warn(
                    crate::codes::EPUB_DUPLICATE_ID,
                    format!("id `{model_id}` is used twice on this page; only its first use keeps it"),
                );
                String::new()
            }
        }
    }

    /// Reserves an id the template writes itself.
    pub fn reserve_id(&mut self, id: &str) {
        self.used_ids.insert(id.to_string());
    }
}

/// `text` escaped as character data, without XML-forbidden characters (no diagnostic: for
/// strings already reported when they were written in a chapter).
pub fn escape_clean(text: &str) -> String {
    let (clean, _) = crate::text::xml_safe(text);
    let mut out = String::with_capacity(clean.len());
    crate::text::push_escaped(&mut out, &clean, true);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped() {
        let mut out = String::new();
        crate::text::push_escaped(&mut out, "</p> ]]> & <script>", false);
        assert_eq!(out, "&lt;/p&gt; ]]&gt; &amp; &lt;script&gt;");
    }

    #[test]
    fn quotes_are_escaped_only_in_attributes() {
        let mut out = String::new();
        crate::text::push_escaped(&mut out, "a\"b", true);
        assert_eq!(out, "a&quot;b");
        assert_eq!(escape_clean("x\u{1}\"y"), "x&quot;y");
    }
}
