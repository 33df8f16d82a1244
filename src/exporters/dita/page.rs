//! The state of writing one page as a topic: the plan, the page, its diagnostics, the extra
//! files it needs, and the element ids already given out.

use super::plan::{Plan, TopicPlan};
use crate::diagnostics::Diagnostic;
use crate::diagrams::DiagramStore;
use crate::model::{Attr, Corpus, Page, Pos};
use std::collections::{BTreeMap, BTreeSet};

pub struct PageWriter<'a> {
    pub plan: &'a Plan,
    pub corpus: &'a Corpus,
    pub diagrams: &'a DiagramStore,
    pub page: &'a Page,
    pub topic: &'a TopicPlan,
    pub diags: Vec<Diagnostic>,
    /// Files this topic needs besides itself (drawn diagrams), by path inside `dita/`.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Where the block being written starts, for diagnostics.
    pub pos: Pos,
    given_ids: BTreeSet<String>,
}

impl<'a> PageWriter<'a> {
    pub fn new(
        plan: &'a Plan,
        corpus: &'a Corpus,
        diagrams: &'a DiagramStore,
        page: &'a Page,
        topic: &'a TopicPlan,
    ) -> Self {
        PageWriter {
            plan,
            corpus,
            diagrams,
            page,
            topic,
            diags: Vec::new(),
            files: BTreeMap::new(),
            pos: Pos::default(),
            given_ids: BTreeSet::new(),
        }
    }

    /// A warning about the block being written.
    pub fn warn(&mut self, code: &'static str, message: impl Into<String>) {
        self.diags.push(Diagnostic::warning(code, &self.page.source, self.pos, message));
    }

    /// A note about the block being written.
    pub fn note(&mut self, code: &'static str, message: impl Into<String>) {
        self.diags.push(Diagnostic::note(code, &self.page.source, self.pos, message));
    }

    /// The element id for a heading's or section's `attr`, as planned, given out once: a
    /// second element claiming the same anchor gets none, since links can only mean the first.
    pub fn element_id(&mut self, attr: &Attr) -> Option<String> {
        let anchor = attr.id.as_deref()?;
        let id = self.topic.anchors.get(anchor)?.clone();
        self.given_ids.insert(id.clone()).then_some(id)
    }

    /// Title of the page with this key, for the text of generated links.
    pub fn page_title(&self, key: &str) -> Option<&'a str> {
        let (index, _) = self.plan.topic(key)?;
        self.corpus.pages.get(index).map(|p| p.title.as_str())
    }
}
