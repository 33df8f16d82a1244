//! The document model: one typed tree that every exporter reads.
//!
//! `Corpus → Page → Block / Inline`, in the spirit of pandoc's AST. It is built once by the
//! reader, links already resolved, and serialised as-is by the JSON exporter, so every field
//! here is part of folio's public JSON format (see `FORMAT_VERSION`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod block_deserialize;

/// Version of the JSON form of this model. Bump it on any incompatible change.
pub const FORMAT_VERSION: u32 = 1;

/// The whole site: metadata, pages in reading order, data records and the section tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Corpus {
    pub format_version: u32,
    pub site: SiteMeta,
    /// Publishable pages, already sorted in reading order (see `sections`).
    pub pages: Vec<Page>,
    /// `permalink: false` entries: data, not pages (e.g. reference cards).
    pub records: Vec<DataRecord>,
    /// The navigation tree built from URL folders; its leaves are page keys.
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
pub struct SiteMeta {
    pub title: String,
    /// Absolute site URL with a trailing slash, e.g. `https://example.org/`.
    pub url: String,
    /// BCP 47 language tag, e.g. `fr`.
    pub language: String,
    pub description: String,
    pub publisher: String,
}

/// Where a construct was written: 1-based line and column (in characters) of its source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema, Default)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PageKind {
    /// `layouts/page.doc.njk`: a documentation page whose title is a question.
    Question,
    /// `layouts/page.njk`: a section landing page.
    Section,
    /// Any other or no layout.
    Other,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Page {
    /// Stable identifier: the front matter `key`, or one derived from the path.
    pub key: String,
    /// True when `key` was derived from the path because the front matter has none.
    pub key_derived: bool,
    /// Site URL path with a trailing slash, e.g. `/fs/pilotage/pilotage-etapes/`.
    pub url: String,
    /// Path of the source file relative to the content folder, `/`-separated.
    pub source: String,
    pub title: String,
    #[serde(rename = "abstract")]
    pub summary: Option<String>,
    pub category: Option<String>,
    pub tags: Vec<String>,
    /// From `segments`: the trail of parent pages, without the page itself.
    pub breadcrumb: Vec<Crumb>,
    /// Sort order inside the category; `None` sorts as 999.
    pub order: Option<i64>,
    pub kind: PageKind,
    pub navigation: Option<Navigation>,
    /// From `seealso`, in source order, null entries dropped.
    pub see_also: Vec<SeeAlso>,
    /// Every heading and explicit id on the page, in order: the valid `#anchor` targets.
    pub anchors: Vec<String>,
    /// Link targets written in HTML (`<a name="x">`, `<a id="x">`): a link to one lands on the
    /// heading of the section it stands in, or on the page before any heading.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub anchor_aliases: Vec<AnchorAlias>,
    /// BCP 47 tag of the page's language: its data's `lang` or `locale`, else its top folder
    /// when named by a language code (Eleventy's i18n layout), else the site's.
    #[serde(default)]
    pub language: String,
    /// Front matter keys folio does not interpret, kept verbatim.
    pub extra: BTreeMap<String, serde_json::Value>,
    pub blocks: Vec<Block>,
}

impl Page {
    /// The `order` used for sorting: missing means 999, as on the site.
    pub fn sort_order(&self) -> i64 {
        self.order.unwrap_or(999)
    }

    /// The page's language, else the site's (a model read from JSON may give none).
    pub fn language_or<'a>(&'a self, site: &'a SiteMeta) -> &'a str {
        if self.language.trim().is_empty() {
            &site.language
        } else {
            &self.language
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AnchorAlias {
    pub name: String,
    /// The heading id it lands on; `None`: the top of the page.
    pub heading: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Crumb {
    pub title: String,
    pub href: String,
    pub target: LinkTarget,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SeeAlso {
    /// Where the key is written (its `seealso` entry, or the `links` component call).
    pub pos: Pos,
    pub key: String,
    pub target: LinkTarget,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Navigation {
    pub key: Option<String>,
    pub title: Option<String>,
    pub parent: Option<String>,
    pub order: Option<i64>,
}

/// A `permalink: false` file: structured data the site shows elsewhere (cards, logos).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DataRecord {
    pub source: String,
    pub title: Option<String>,
    pub order: Option<i64>,
    pub tags: Vec<String>,
    /// Every front matter key, verbatim.
    pub fields: BTreeMap<String, serde_json::Value>,
    pub blocks: Vec<Block>,
}

/// A node of the navigation tree: a URL folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Section {
    /// URL of the folder, e.g. `/fs/pilotage/`.
    pub url: String,
    pub title: String,
    /// Key of the folder's `index.md` page, if it has one.
    pub index: Option<String>,
    /// The folder's other pages grouped by category, in reading order.
    pub groups: Vec<CategoryGroup>,
    pub children: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CategoryGroup {
    pub category: Option<String>,
    /// Page keys, sorted by `order` then title.
    pub pages: Vec<String>,
}

/// Identifier and classes of an element (`{#id .class}` or the heading slug).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
pub struct Attr {
    pub id: Option<String>,
    pub classes: Vec<String>,
}

/// Where a link points, resolved against the whole corpus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LinkTarget {
    /// A page of the corpus, optionally an anchor on it (anchor verified to exist).
    Page { key: String, anchor: Option<String> },
    /// A file inside the assets folder; `path` is relative to it, `/`-separated.
    Asset { path: String },
    /// Anything outside the site: `https:`, `mailto:`, …
    External { url: String },
    /// Could not be resolved; the original text is in the link's `href`.
    Broken { reason: String },
}

/// The larger variants are boxed, so that a block costs 64 bytes, not 168: a corpus holds
/// millions of them (the JSON form does not change).
// Read back by `block_deserialize`, without serde's buffering of internally tagged enums.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    Heading(Box<HeadingBlock>),
    Paragraph(ParagraphBlock),
    List(ListBlock),
    BlockQuote(BlockQuoteBlock),
    Code(CodeBlock),
    Diagram(Box<DiagramBlock>),
    Table(Box<TableBlock>),
    Figure(Box<FigureBlock>),
    Callout(CalloutBlock),
    QuoteFigure(Box<QuoteFigureBlock>),
    Section(Box<SectionBlock>),
    Card(Box<CardBlock>),
    PageList(PageListBlock),
    SeeAlsoList(SeeAlsoListBlock),
    ThematicBreak(ThematicBreakBlock),
    Raw(RawBlock),
}

impl Block {
    /// Where the block was written.
    pub fn pos(&self) -> Pos {
        match self {
            Block::Heading(b) => b.pos,
            Block::Paragraph(b) => b.pos,
            Block::List(b) => b.pos,
            Block::BlockQuote(b) => b.pos,
            Block::Code(b) => b.pos,
            Block::Diagram(b) => b.pos,
            Block::Table(b) => b.pos,
            Block::Figure(b) => b.pos,
            Block::Callout(b) => b.pos,
            Block::QuoteFigure(b) => b.pos,
            Block::Section(b) => b.pos,
            Block::Card(b) => b.pos,
            Block::PageList(b) => b.pos,
            Block::SeeAlsoList(b) => b.pos,
            Block::ThematicBreak(b) => b.pos,
            Block::Raw(b) => b.pos,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct HeadingBlock {
    pub pos: Pos,
    /// 1–6: as written, shifted where the source skips a level below the page title, which
    /// is level 1 (`heading/level-shifted`).
    pub level: u8,
    /// `attr.id` is always set: the slug, or the `{#id}` given in the source.
    pub attr: Attr,
    pub content: Vec<Inline>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ParagraphBlock {
    pub pos: Pos,
    pub content: Vec<Inline>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ListBlock {
    pub pos: Pos,
    /// `Some(n)` for an ordered list starting at n.
    pub start: Option<u64>,
    pub items: Vec<ListItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ListItem {
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BlockQuoteBlock {
    pub pos: Pos,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CodeBlock {
    pub pos: Pos,
    /// The fence's info word (`http`, `json`, …), if any.
    pub language: Option<String>,
    pub text: String,
}

/// A diagram written as source (a `mermaid` fence). Exporters draw it through the shared
/// diagram store, keyed by `digest`, and fall back to the source as code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DiagramBlock {
    pub pos: Pos,
    /// `mermaid`.
    pub language: String,
    pub source: String,
    /// Hex SHA-256 of `source`: the key of its rendering in the diagram store.
    pub digest: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    None,
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TableBlock {
    pub pos: Pos,
    pub alignments: Vec<Align>,
    /// The header row; each cell is a run of inlines.
    pub header: Vec<Vec<Inline>>,
    pub rows: Vec<Vec<Vec<Inline>>>,
}

/// An image standing alone as a block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FigureBlock {
    pub pos: Pos,
    pub image: Image,
    pub caption: Vec<Inline>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CalloutKind {
    /// `:::callout` — the DSFR highlighted box.
    Note,
    Info,
    Warning,
    Error,
    Success,
}

/// `:::callout TITLE` or a DSFR alert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CalloutBlock {
    pub pos: Pos,
    pub kind: CalloutKind,
    pub title: Option<String>,
    pub blocks: Vec<Block>,
}

impl CalloutBlock {
    /// "En bref" callouts are the page's short answer.
    pub fn is_summary(&self) -> bool {
        self.title.as_deref().is_some_and(|t| t.trim().eq_ignore_ascii_case("en bref"))
    }
}

/// `:::quote [IMAGE]`: a quotation figure, optionally illustrated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QuoteFigureBlock {
    pub pos: Pos,
    pub image: Option<Image>,
    pub blocks: Vec<Block>,
}

/// A titled section that is not a heading in the source, e.g. a DSFR accordion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SectionBlock {
    pub pos: Pos,
    /// The heading level of its title (an accordion title is an `h3` in the source), shifted
    /// as a heading's is where the source skips a level.
    pub level: u8,
    pub attr: Attr,
    pub title: Vec<Inline>,
    pub blocks: Vec<Block>,
}

/// `component("card-simple", {...})`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CardBlock {
    pub pos: Pos,
    pub title: String,
    pub description: Option<String>,
    pub href: String,
    pub target: LinkTarget,
    pub tags: Vec<String>,
}

/// `component("post-list", {category})`, expanded to the category's pages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PageListBlock {
    pub pos: Pos,
    pub category: String,
    pub items: Vec<PageListItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PageListItem {
    pub key: String,
    pub title: String,
    pub summary: Option<String>,
    pub tags: Vec<String>,
}

/// `component("links", {keys})`: a "Voir aussi" list inside the body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SeeAlsoListBlock {
    pub pos: Pos,
    pub items: Vec<SeeAlso>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ThematicBreakBlock {
    pub pos: Pos,
}

/// Source text kept verbatim because it has no meaning folio can map (reported).
/// Exporters must print it as text, never inject it as markup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RawBlock {
    pub pos: Pos,
    pub format: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Image {
    pub pos: Pos,
    /// As written in the source.
    pub src: String,
    /// `Asset` when the file is inside the assets folder, else `External` or `Broken`.
    pub target: LinkTarget,
    pub alt: String,
    pub title: Option<String>,
}

/// Links and images are boxed, so that an inline costs 32 bytes, not 136: most inlines are
/// text runs (the JSON form does not change).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Inline {
    Text(String),
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    Strikethrough(Vec<Inline>),
    Code(String),
    /// A hard line break (`<br>`, two trailing spaces, backslash).
    LineBreak,
    /// A newline inside a paragraph: a space when reflowed.
    SoftBreak,
    Link(Box<Link>),
    Image(Box<Image>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Link {
    pub pos: Pos,
    /// As written in the source.
    pub href: String,
    pub target: LinkTarget,
    pub title: Option<String>,
    pub content: Vec<Inline>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A corpus holds millions of these: the model's memory is mostly their size.
    #[test]
    fn inlines_and_blocks_stay_small() {
        assert_eq!(std::mem::size_of::<Inline>(), 32);
        assert_eq!(std::mem::size_of::<Block>(), 64);
    }
}
