//! A small element tree and its serialisation through quick-xml.
//!
//! Writers build `El` trees instead of streaming events because DITA's content models often
//! decide an element only once its content is known (a heading's section closes when the
//! next heading arrives). Serialisation is the one place where text meets the output: every
//! text and attribute value is cleaned of XML-1.0-invalid characters here (so nothing can
//! slip through) and escaped by quick-xml.

use crate::model::Pos;
use crate::text::xml_safe;
use quick_xml::escape::partial_escape;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use std::borrow::Cow;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    El(El),
    Text(String),
}

/// An element. `pos` is not written: it tells which source construct produced the element,
/// so that characters removed inside it are reported at the right line.
#[derive(Debug, Clone, PartialEq)]
pub struct El {
    pub name: &'static str,
    pub attrs: Vec<(&'static str, String)>,
    pub children: Vec<Node>,
    pub pos: Option<Pos>,
}

impl El {
    pub fn new(name: &'static str) -> Self {
        El { name, attrs: Vec::new(), children: Vec::new(), pos: None }
    }

    pub fn attr(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.attrs.push((name, value.into()));
        self
    }

    pub fn opt_attr(self, name: &'static str, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(v) => self.attr(name, v),
            None => self,
        }
    }

    pub fn child(mut self, node: impl Into<Node>) -> Self {
        self.children.push(node.into());
        self
    }

    pub fn children(mut self, nodes: impl IntoIterator<Item = Node>) -> Self {
        self.children.extend(nodes);
        self
    }

    pub fn text(self, text: impl Into<String>) -> Self {
        self.child(Node::Text(text.into()))
    }

    pub fn at(mut self, pos: Pos) -> Self {
        self.pos = Some(pos);
        self
    }

    pub fn push(&mut self, node: impl Into<Node>) {
        self.children.push(node.into());
    }
}

impl From<El> for Node {
    fn from(el: El) -> Self {
        Node::El(el)
    }
}

/// Elements whose children are laid out one per line. Whitespace between their children is
/// insignificant in DITA, and none of them is ever given text of its own by the writers.
/// A `match`, which compiles to a switch on the name's length and first bytes: a scan of the
/// list for every element was a tenth of the exporter's time.
fn is_structural(name: &str) -> bool {
    matches!(
        name,
        "concept"
            | "task"
            | "map"
            | "conbody"
            | "taskbody"
            | "prolog"
            | "metadata"
            | "keywords"
            | "critdates"
            | "section"
            | "sectiondiv"
            | "ul"
            | "ol"
            | "li"
            | "note"
            | "lq"
            | "fig"
            | "table"
            | "tgroup"
            | "thead"
            | "tbody"
            | "row"
            | "context"
            | "steps"
            | "step"
            | "info"
            | "result"
            | "topicref"
            | "topichead"
            | "topicmeta"
            | "reltable"
            | "relrow"
            | "relcell"
            | "keydef"
    )
}

/// What serialisation removed: characters XML 1.0 forbids, counted by source position
/// (`Pos::default()` when no construct of the page produced the text, e.g. front matter).
pub type Removed = BTreeMap<Pos, usize>;

/// `<?xml …?>`, the DOCTYPE line, then the tree, with a final newline.
pub fn document(doctype: &str, root: &El) -> anyhow::Result<(Vec<u8>, Removed)> {
    let mut writer = Writer::new(Vec::new());
    prologue(&mut writer, doctype)?;
    let mut removed = Removed::new();
    write_el(&mut writer, root, 0, Pos::default(), &mut removed)?;
    let mut bytes = writer.into_inner();
    bytes.push(b'\n');
    Ok((bytes, removed))
}

fn prologue<W: std::io::Write>(writer: &mut Writer<W>, doctype: &str) -> anyhow::Result<()> {
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let out = writer.get_mut();
    out.write_all(b"\n")?;
    out.write_all(doctype.trim().as_bytes())?;
    out.write_all(b"\n")?;
    Ok(())
}

/// A document written into `out` one child of its root at a time, byte for byte as `document`
/// writes the whole tree: a large map is never held as one tree, nor as one buffer.
pub struct StreamedDocument<W: std::io::Write> {
    writer: Writer<W>,
    root: El,
    removed: Removed,
    opened: bool,
}

impl<W: std::io::Write> StreamedDocument<W> {
    /// Starts the document; `root` is a structural element, whose children come by `child`.
    pub fn new(out: W, doctype: &str, root: El) -> anyhow::Result<Self> {
        anyhow::ensure!(is_structural(root.name), "<{}> cannot be written a child at a time", root.name);
        anyhow::ensure!(root.children.is_empty(), "the root's children are written by `child`");
        let mut writer = Writer::new(out);
        prologue(&mut writer, doctype)?;
        Ok(StreamedDocument { writer, root, removed: Removed::new(), opened: false })
    }

    pub fn child(&mut self, child: &El) -> anyhow::Result<()> {
        if !self.opened {
            let start = start_tag(&self.root, Pos::default(), &mut self.removed);
            self.writer.write_event(Event::Start(start))?;
            self.opened = true;
        }
        newline(&mut self.writer, 1)?;
        write_el(&mut self.writer, child, 1, Pos::default(), &mut self.removed)
    }

    /// Closes the root and the document; returns what serialisation removed.
    pub fn finish(mut self) -> anyhow::Result<Removed> {
        if self.opened {
            newline(&mut self.writer, 0)?;
            self.writer.write_event(Event::End(BytesEnd::new(self.root.name)))?;
        } else {
            let start = start_tag(&self.root, Pos::default(), &mut self.removed);
            self.writer.write_event(Event::Empty(start))?;
        }
        self.writer.get_mut().write_all(b"\n")?;
        Ok(self.removed)
    }
}

fn start_tag<'e>(el: &'e El, pos: Pos, removed: &mut Removed) -> BytesStart<'e> {
    let values: Vec<Cow<str>> = el.attrs.iter().map(|(_, v)| attribute_value(v, pos, removed)).collect();
    BytesStart::new(el.name).with_attributes(
        el.attrs.iter().zip(&values).map(|((name, _), v)| Attribute::from((name.as_bytes(), v.as_bytes()))),
    )
}

fn write_el<W: std::io::Write>(
    w: &mut Writer<W>,
    el: &El,
    depth: usize,
    pos: Pos,
    removed: &mut Removed,
) -> anyhow::Result<()> {
    let pos = el.pos.unwrap_or(pos);
    let start = start_tag(el, pos, removed);
    if el.children.is_empty() {
        w.write_event(Event::Empty(start))?;
        return Ok(());
    }
    w.write_event(Event::Start(start))?;
    let laid_out = is_structural(el.name) && el.children.iter().all(|c| matches!(c, Node::El(_)));
    for child in &el.children {
        if laid_out {
            newline(w, depth + 1)?;
        }
        match child {
            Node::El(c) => write_el(w, c, depth + 1, pos, removed)?,
            Node::Text(t) => {
                let clean = clean(t, pos, removed);
                // Quotes need no escaping in text: only `<`, `>` and `&` are escaped.
                w.write_event(Event::Text(BytesText::from_escaped(partial_escape(clean.as_ref()))))?;
            }
        }
    }
    if laid_out {
        newline(w, depth)?;
    }
    w.write_event(Event::End(BytesEnd::new(el.name)))?;
    Ok(())
}

fn newline<W: std::io::Write>(w: &mut Writer<W>, depth: usize) -> std::io::Result<()> {
    const SPACES: &[u8] = &[b' '; 64];
    let out = w.get_mut();
    out.write_all(b"\n")?;
    let mut indent = depth * 2;
    while indent > 0 {
        let n = indent.min(SPACES.len());
        out.write_all(&SPACES[..n])?;
        indent -= n;
    }
    Ok(())
}

/// Borrowed when nothing is removed, which is almost always: no copy per text node.
fn clean<'t>(text: &'t str, pos: Pos, removed: &mut Removed) -> Cow<'t, str> {
    let (clean, count) = xml_safe(text);
    if count > 0 {
        *removed.entry(pos).or_insert(0) += count;
    }
    clean
}

/// An attribute value escaped by quick-xml, plus the double quote that delimits it and the whitespace characters that attribute
/// normalisation would otherwise turn into spaces, so that values survive a round trip.
fn attribute_value<'v>(value: &'v str, pos: Pos, removed: &mut Removed) -> Cow<'v, str> {
    let clean = clean(value, pos, removed);
    // Most values (ids, classes, hrefs) need no escaping: kept as they are.
    if !clean.contains(['<', '>', '&', '"', '\n', '\r', '\t']) {
        return clean;
    }
    let escaped = partial_escape(clean.as_ref())
        .replace('"', "&quot;")
        .replace('\n', "&#10;")
        .replace('\r', "&#13;")
        .replace('\t', "&#9;");
    Cow::Owned(escaped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_written_a_child_at_a_time_is_the_whole_tree_written_at_once() {
        let title = El::new("title").text("Site & co");
        let entry = El::new("topicref").attr("href", "a.dita").child(El::new("topicmeta").text("A\u{1}"));
        let whole = El::new("map").attr("xml:lang", "fr").child(title.clone()).child(entry.clone());
        let mut streamed = Vec::new();
        let mut doc = StreamedDocument::new(&mut streamed, "<!DOCTYPE map>", El::new("map").attr("xml:lang", "fr"))
            .expect("a map is structural");
        doc.child(&title).and_then(|()| doc.child(&entry)).expect("written");
        let removed = doc.finish().expect("closed");
        let (expected, expected_removed) = document("<!DOCTYPE map>", &whole).expect("written");
        assert_eq!(String::from_utf8_lossy(&streamed), String::from_utf8_lossy(&expected));
        assert_eq!(removed, expected_removed);
    }

    #[test]
    fn a_streamed_document_without_children_closes_its_root_as_empty() {
        let mut streamed = Vec::new();
        let doc = StreamedDocument::new(&mut streamed, "<!DOCTYPE map>", El::new("map")).expect("started");
        doc.finish().expect("closed");
        assert_eq!(streamed, document("<!DOCTYPE map>", &El::new("map")).expect("written").0);
    }

    fn body(el: &El) -> String {
        let (bytes, _) = document("<!DOCTYPE x>", el).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        text.lines().skip(2).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn text_and_attributes_are_escaped() {
        let el = El::new("p").attr("outputclass", "a\"b<c\nd").text("</topic> ]]> &amp; <script>");
        assert_eq!(
            body(&el),
            "<p outputclass=\"a&quot;b&lt;c&#10;d\">&lt;/topic&gt; ]]&gt; &amp;amp; &lt;script&gt;</p>"
        );
    }

    #[test]
    fn forbidden_characters_are_removed_and_counted_at_their_position() {
        let at = Pos { line: 3, col: 1 };
        let el = El::new("conbody").child(El::new("p").at(at).text("a\u{1}b\u{FFFF}"));
        let (bytes, removed) = document("<!DOCTYPE x>", &el).unwrap();
        assert!(String::from_utf8(bytes).unwrap().contains("<p>ab</p>"));
        assert_eq!(removed.get(&at), Some(&2));
    }

    #[test]
    fn structural_elements_are_indented_and_mixed_content_is_not() {
        let el = El::new("section").child(El::new("p").text("a ").child(El::new("b").text("b")));
        assert_eq!(body(&el), "<section>\n  <p>a <b>b</b></p>\n</section>");
    }
}
