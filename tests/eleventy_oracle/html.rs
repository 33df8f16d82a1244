//! What a visitor reads in one page as Eleventy renders it: its text and its links.
//!
//! A small HTML scanner written for the oracle, on purpose independent of folio's own readers:
//! the text of `script`, `style`, `nav`, `svg` and `button` is left out (code, chrome and
//! widgets, not prose), and so is every element the caller names as dropped on purpose; an
//! image contributes its `alt`, and every `<a href>` is kept.

/// Elements whose whole subtree is not read as text (shared/docs/validators.md).
const SKIPPED: [&str; 5] = ["script", "style", "nav", "svg", "button"];

/// Elements whose content is raw text, not markup: a `<` inside them opens no tag.
const RAW_TEXT: [&str; 2] = ["script", "style"];

/// Elements that never have content, so never a closing tag.
const VOID: [&str; 14] =
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];

/// Inline elements: a word may run across their tags (`foo<em>bar</em>` is one word).
/// Every other tag separates words.
const INLINE: [&str; 23] = [
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "del", "dfn", "em", "i", "ins", "kbd", "mark", "q", "s", "small",
    "span", "strong", "sub", "sup", "u", "var",
];

/// An element folio leaves out on purpose, found by its tag and one attribute: its text and
/// links are not read.
pub struct Dropped {
    pub tag: &'static str,
    pub attribute: &'static str,
    /// The attribute's whole value, or for `class` one of its classes.
    pub value: &'static str,
    pub reason: &'static str,
}

impl Dropped {
    fn matches(&self, tag: &Tag) -> bool {
        if tag.closing || tag.name != self.tag {
            return false;
        }
        let Some(value) = attribute(tag.attrs, self.attribute) else { return false };
        if self.attribute == "class" {
            value.split_whitespace().any(|c| c == self.value)
        } else {
            value.trim() == self.value
        }
    }
}

/// The readable part of a rendering.
#[derive(Debug, Default)]
pub struct Rendering {
    /// The text a visitor reads, entities decoded.
    pub text: String,
    /// The `href` of every `<a>` outside the skipped elements, entities decoded, in order.
    pub links: Vec<String>,
    /// How many elements each `Dropped` of the caller's list matched.
    pub dropped: Vec<usize>,
}

/// One start or end tag.
struct Tag<'a> {
    name: String,
    closing: bool,
    self_closing: bool,
    attrs: &'a str,
}

/// Reads `html` into its text and links, leaving out the `dropped` elements.
pub fn read(html: &str, dropped: &[Dropped]) -> Rendering {
    let mut out = Rendering { dropped: vec![0; dropped.len()], ..Rendering::default() };
    // The skipped element being left out, and how many of its kind are open inside it.
    let mut skipping: Option<(String, usize)> = None;
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        if skipping.is_none() {
            out.text.push_str(&decode(&rest[..lt]));
        }
        rest = &rest[lt..];
        let Some((markup, after)) = next_markup(rest) else {
            // A `<` that opens nothing is text.
            if skipping.is_none() {
                out.text.push('<');
            }
            rest = &rest[1..];
            continue;
        };
        rest = after;
        let Some(tag) = markup else { continue };
        if !tag.closing && RAW_TEXT.contains(&tag.name.as_str()) {
            rest = skip_raw_text(rest, &tag.name);
            continue;
        }
        if skipping.is_none() {
            if let Some(i) = dropped.iter().position(|d| d.matches(&tag)) {
                out.dropped[i] += 1;
                skipping = (!is_leaf(&tag)).then(|| (tag.name.clone(), 1));
                continue;
            }
        }
        skipping = track_skipped(skipping, &tag);
        if skipping.is_none() {
            take_tag(&tag, &mut out);
        }
    }
    if skipping.is_none() {
        out.text.push_str(&decode(rest));
    }
    out
}

/// The markup at the start of `s` (which starts with `<`) and what follows it: a tag, or
/// `None` for a comment, doctype or processing instruction, which is passed over.
/// `None` altogether when the `<` opens no markup.
fn next_markup(s: &str) -> Option<(Option<Tag<'_>>, &str)> {
    if let Some(body) = s.strip_prefix("<!--") {
        return Some((None, body.find("-->").map_or("", |i| &body[i + 3..])));
    }
    if s.starts_with("<!") || s.starts_with("<?") {
        return Some((None, s.find('>').map_or("", |i| &s[i + 1..])));
    }
    let (closing, body) = match s[1..].strip_prefix('/') {
        Some(b) => (true, b),
        None => (false, &s[1..]),
    };
    let name_len = body.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(body.len());
    if name_len == 0 || !body.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let end = tag_end(body)?;
    let inner = body[name_len..end].trim_end();
    let self_closing = inner.ends_with('/');
    let tag =
        Tag { name: body[..name_len].to_ascii_lowercase(), closing, self_closing, attrs: inner.trim_end_matches('/') };
    Some((Some(tag), &body[end + 1..]))
}

/// The index of the `>` that ends a tag, quotes respected.
fn tag_end(body: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in body.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// What follows the end tag of a raw-text element.
fn skip_raw_text<'a>(s: &'a str, name: &str) -> &'a str {
    let close = format!("</{name}");
    let lower = s.to_ascii_lowercase();
    match lower.find(&close) {
        Some(i) => s[i..].find('>').map_or("", |j| &s[i + j + 1..]),
        None => "",
    }
}

/// Whether the tag has no content to follow it.
fn is_leaf(tag: &Tag) -> bool {
    tag.self_closing || VOID.contains(&tag.name.as_str())
}

/// Updates the element being skipped with one more tag.
fn track_skipped(skipping: Option<(String, usize)>, tag: &Tag) -> Option<(String, usize)> {
    let leaf = is_leaf(tag);
    match skipping {
        None if !tag.closing && !leaf && SKIPPED.contains(&tag.name.as_str()) => Some((tag.name.clone(), 1)),
        Some((name, depth)) if name == tag.name && !leaf => {
            let depth = if tag.closing { depth - 1 } else { depth + 1 };
            (depth > 0).then_some((name, depth))
        }
        other => other,
    }
}

/// What a tag outside the skipped elements adds: a word break, an image's alt, a link.
fn take_tag(tag: &Tag, out: &mut Rendering) {
    let name = tag.name.as_str();
    if !INLINE.contains(&name) {
        out.text.push(' ');
    }
    if tag.closing {
        return;
    }
    if name == "img" {
        if let Some(alt) = attribute(tag.attrs, "alt") {
            out.text.push(' ');
            out.text.push_str(&alt);
            out.text.push(' ');
        }
    }
    if name == "a" {
        if let Some(href) = attribute(tag.attrs, "href") {
            out.links.push(href);
        }
    }
}

/// The value of attribute `name`, entities decoded.
fn attribute(attrs: &str, name: &str) -> Option<String> {
    let mut rest = attrs.trim_start();
    while !rest.is_empty() {
        let key_len = rest.find(|c: char| c.is_whitespace() || c == '=').unwrap_or(rest.len());
        let key = &rest[..key_len];
        rest = rest[key_len..].trim_start();
        let value = match rest.strip_prefix('=') {
            Some(v) => {
                let v = v.trim_start();
                let (value, after) = match v.chars().next() {
                    Some(q @ ('"' | '\'')) => {
                        let end = v[1..].find(q).map_or(v.len(), |i| i + 1);
                        (&v[1..end], v.get(end + 1..).unwrap_or(""))
                    }
                    _ => {
                        let end = v.find(char::is_whitespace).unwrap_or(v.len());
                        (&v[..end], &v[end..])
                    }
                };
                rest = after.trim_start();
                value
            }
            None => "",
        };
        if key.eq_ignore_ascii_case(name) {
            return Some(decode(value));
        }
    }
    None
}

fn decode(text: &str) -> String {
    html_escape::decode_html_entities(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skipped_elements_alt_and_links() {
        let dropped = [Dropped { tag: "a", attribute: "href", value: "#top", reason: "" }];
        let r = read(
            r##"<p>Un <a class="x" href="#top">Haut de <b>page</b></a> <em>mot</em>s&eacute; <a href="/a/?x=1&amp;y=2">lien</a></p><nav><nav>x</nav>y</nav>
               <script>if (a < b) {}</script><button>Ouvrir</button><img src="i.png" alt="Logo &quot;X&quot;">
               <svg><use href="#i"/></svg><!-- <p>commentaire</p> --><a href='/b/'>b</a>"##,
            &dropped,
        );
        let words: Vec<&str> = r.text.split_whitespace().collect();
        assert_eq!(words, ["Un", "motsé", "lien", "Logo", "\"X\"", "b"]);
        assert_eq!(r.links, ["/a/?x=1&y=2", "/b/"]);
        assert_eq!(r.dropped, [1]);
    }
}
