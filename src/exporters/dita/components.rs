//! The site's components: callouts and alerts as notes, quotation figures, and the link
//! lists (cards, page lists, see-also lists) as lists of `xref`s.

use super::blocks::Container;
use super::page::PageWriter;
use super::xml::{El, Node};
use crate::model::*;

impl PageWriter<'_> {
    pub fn callout(&mut self, callout: &CalloutBlock, container: Container, out: &mut Vec<Node>) {
        self.pos = callout.pos;
        let title = callout.title.as_deref().map(str::trim).filter(|t| !t.is_empty());
        if container == Container::Note {
            self.warn(
                crate::codes::DITA_NESTED_NOTE,
                "DITA forbids a note inside a note: its title and blocks join the outer one",
            );
            out.extend(title.map(title_paragraph));
            out.extend(self.blocks(&callout.blocks, Container::Note));
            return;
        }
        let (kind, class) = note_type(callout.kind);
        let mut note = El::new("note").at(callout.pos);
        note = match (callout.kind, title) {
            // A titled DSFR callout: DITA-OT prints `othertype` as the note's label.
            (CalloutKind::Note, Some(t)) => note.attr("type", "other").attr("othertype", t),
            (_, Some(t)) => {
                note = note.attr("type", kind);
                note.push(title_paragraph(t));
                note
            }
            (_, None) => note.attr("type", kind),
        };
        let note = note.attr("outputclass", class).children(self.blocks(&callout.blocks, Container::Note));
        out.push(note.into());
    }

    pub fn quote_figure(&mut self, quote: &QuoteFigureBlock, container: Container, out: &mut Vec<Node>) {
        self.pos = quote.pos;
        let image = quote.image.as_ref().map(|i| {
            self.image(i, "break")
                .unwrap_or_else(|| El::new("p").attr("outputclass", "image-unavailable").text(i.alt.clone()))
        });
        if container == Container::Quote {
            self.warn(
                crate::codes::DITA_NESTED_QUOTE,
                "DITA forbids a quotation inside a quotation: its blocks join the outer one",
            );
            out.extend(image.map(Node::from));
            out.extend(self.blocks(&quote.blocks, Container::Quote));
            return;
        }
        let lq = El::new("lq").attr("outputclass", "quote-figure").at(quote.pos);
        out.push(lq.children(image.map(Node::from)).children(self.blocks(&quote.blocks, Container::Quote)).into());
    }

    pub fn card(&mut self, card: &CardBlock) -> El {
        self.pos = card.pos;
        let title = Node::Text(card.title.clone());
        let link = match self.target_xref(&card.target, &card.href) {
            Some(xref) => xref.child(title).into(),
            None => title,
        };
        let mut item = El::new("li").child(El::new("p").child(link));
        item.children.extend(card.description.as_ref().map(|d| El::new("p").text(d.clone()).into()));
        item.children.extend(tags_paragraph(&card.tags).map(Node::from));
        El::new("ul").attr("outputclass", "card").at(card.pos).child(item)
    }

    pub fn page_list(&mut self, list: &PageListBlock) -> Option<Node> {
        self.pos = list.pos;
        if list.items.is_empty() {
            return None;
        }
        let mut ul = El::new("ul").attr("outputclass", format!("page-list {}", list.category)).at(list.pos);
        for entry in &list.items {
            let mut item = El::new("li").child(El::new("p").child(self.page_link(&entry.key, &entry.title)));
            item.children.extend(entry.summary.as_ref().map(|s| El::new("p").text(s.clone()).into()));
            item.children.extend(tags_paragraph(&entry.tags).map(Node::from));
            ul.push(item);
        }
        Some(ul.into())
    }

    pub fn see_also_list(&mut self, list: &SeeAlsoListBlock) -> Option<Node> {
        self.pos = list.pos;
        if list.items.is_empty() {
            return None;
        }
        let mut ul = El::new("ul").attr("outputclass", "see-also").at(list.pos);
        for entry in &list.items {
            let link = match &entry.target {
                LinkTarget::Page { key, .. } => {
                    let title = self.page_title(key).unwrap_or(&entry.key).to_string();
                    self.page_link(key, &title)
                }
                LinkTarget::Asset { .. } | LinkTarget::External { .. } | LinkTarget::Broken { .. } => {
                    Node::Text(entry.key.clone())
                }
            };
            ul.push(El::new("li").child(El::new("p").child(link)));
        }
        Some(ul.into())
    }

    /// An `xref` to a page by key with the given text, or the text alone for an unknown key.
    fn page_link(&mut self, key: &str, text: &str) -> Node {
        let target = LinkTarget::Page { key: key.to_string(), anchor: None };
        match self.target_xref(&target, key) {
            Some(xref) => xref.text(text.to_string()).into(),
            None => Node::Text(text.to_string()),
        }
    }
}

/// DITA note type and `outputclass` of each kind of callout.
fn note_type(kind: CalloutKind) -> (&'static str, &'static str) {
    match kind {
        CalloutKind::Note => ("note", "callout"),
        CalloutKind::Info => ("note", "alert-info"),
        CalloutKind::Warning => ("attention", "alert-warning"),
        CalloutKind::Error => ("caution", "alert-error"),
        CalloutKind::Success => ("note", "alert-success"),
    }
}

fn title_paragraph(title: &str) -> Node {
    El::new("p").attr("outputclass", "note-title").child(El::new("b").text(title.to_string())).into()
}

/// The tags of a card or page-list entry, as keywords.
fn tags_paragraph(tags: &[String]) -> Option<El> {
    if tags.is_empty() {
        return None;
    }
    let mut p = El::new("p").attr("outputclass", "tags");
    for (n, tag) in tags.iter().enumerate() {
        if n > 0 {
            p.push(Node::Text(" ".into()));
        }
        p.push(El::new("keyword").text(tag.clone()));
    }
    Some(p)
}
