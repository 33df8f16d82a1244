//! What a page's rendering reports back: the tag being evaluated, notes raised by filters and
//! shortcodes, and the components kept for their meaning. A page renders on one thread from
//! start to end, so these live in thread-locals reset for each page.

use std::cell::{Cell, RefCell};

/// A finding of the rendering, placed later at its tag's source position.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub code: &'static str,
    pub severity: crate::diagnostics::Severity,
    pub message: String,
    /// The page tag being evaluated, when known.
    pub tag: Option<usize>,
}

/// A component known by its meaning (`post-list`, `card-simple`, `links`): the reader turns it
/// into a block instead of reading the site's HTML.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptComponent {
    pub name: String,
    pub params: serde_json::Value,
    pub tag: Option<usize>,
}

thread_local! {
    static CURRENT_TAG: Cell<Option<usize>> = const { Cell::new(None) };
    static NOTES: RefCell<Vec<Note>> = const { RefCell::new(Vec::new()) };
    static COMPONENTS: RefCell<Vec<KeptComponent>> = const { RefCell::new(Vec::new()) };
}

thread_local! {
    static NEXT_ID: Cell<usize> = const { Cell::new(0) };
}

/// A fresh id within the page being rendered.
pub fn next_id() -> usize {
    NEXT_ID.with(|n| {
        n.set(n.get() + 1);
        n.get()
    })
}

pub fn reset() {
    NEXT_ID.with(|n| n.set(0));
    CURRENT_TAG.with(|t| t.set(None));
    NOTES.with(|n| n.borrow_mut().clear());
    COMPONENTS.with(|c| c.borrow_mut().clear());
}

pub fn set_current_tag(tag: usize) {
    CURRENT_TAG.with(|t| t.set(Some(tag)));
}

pub fn current_tag() -> Option<usize> {
    CURRENT_TAG.with(Cell::get)
}

pub fn warn(code: &'static str, message: String) {
    push(code, crate::diagnostics::Severity::Warning, message);
}

pub fn note(code: &'static str, message: String) {
    push(code, crate::diagnostics::Severity::Note, message);
}

fn push(code: &'static str, severity: crate::diagnostics::Severity, message: String) {
    let tag = current_tag();
    NOTES.with(|n| {
        let mut notes = n.borrow_mut();
        // A filter inside a loop would say the same thing once per item.
        if !notes.iter().any(|x| x.code == code && x.message == message && x.tag == tag) {
            notes.push(Note { code, severity, message, tag });
        }
    });
}

/// Keeps a component for its meaning; returns its index.
pub fn keep_component(name: String, params: serde_json::Value) -> usize {
    let tag = current_tag();
    COMPONENTS.with(|c| {
        let mut list = c.borrow_mut();
        list.push(KeptComponent { name, params, tag });
        list.len() - 1
    })
}

/// Everything reported since the last `reset`.
pub fn take() -> (Vec<Note>, Vec<KeptComponent>) {
    (NOTES.with(|n| std::mem::take(&mut *n.borrow_mut())), COMPONENTS.with(|c| std::mem::take(&mut *c.borrow_mut())))
}

thread_local! {
    static TAG_TEXTS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// The source text of each page tag, for what cannot be evaluated and is printed as written.
pub fn set_tag_texts(texts: Vec<String>) {
    TAG_TEXTS.with(|t| *t.borrow_mut() = texts);
}

pub fn tag_text(tag: usize) -> String {
    TAG_TEXTS.with(|t| t.borrow().get(tag).cloned().unwrap_or_default())
}
