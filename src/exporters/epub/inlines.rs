//! Inlines to XHTML, and where every link of the book points.

use super::writer::Writer;
use crate::model::{Image, Inline, Link, LinkTarget};

/// URL schemes that may become links; anything else (`javascript:`, `data:`, `file:`…)
/// stays text.
pub const ALLOWED_SCHEMES: [&str; 5] = ["http", "https", "mailto", "tel", "ftp"];

/// Whether `url` has a scheme that may be linked. Browsers ignore tabs, newlines and
/// leading spaces inside a scheme (`java\tscript:`), so they are ignored here too.
pub fn is_safe_scheme(url: &str) -> bool {
    let compact: String = url.chars().filter(|c| !c.is_ascii_whitespace() && !c.is_control()).collect();
    let Some((scheme, _)) = compact.split_once(':') else { return false };
    ALLOWED_SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme))
}

/// Where a link goes: an escaped `href`, or nowhere, and then its content stays text.
pub enum Href {
    To(String),
    Text,
}

impl Writer<'_> {
    pub fn inlines_to_xhtml(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            self.inline_to_xhtml(inline);
        }
    }

    fn inline_to_xhtml(&mut self, inline: &Inline) {
        match inline {
            Inline::Text(t) => self.prose(t),
            Inline::Emphasis(c) => self.wrap_inlines("em", c),
            Inline::Strong(c) => self.wrap_inlines("strong", c),
            Inline::Strikethrough(c) => self.wrap_inlines("del", c),
            Inline::Code(t) => {
                self.push("<code>");
                self.text(t);
                self.push("</code>");
            }
            Inline::LineBreak => self.push("<br/>"),
            Inline::SoftBreak => self.push("\n"),
            Inline::Link(l) => self.link_to_xhtml(l),
            Inline::Image(i) => self.image_to_xhtml(i, "inline"),
        }
    }

    fn wrap_inlines(&mut self, tag: &str, content: &[Inline]) {
        self.push(&format!("<{tag}>"));
        self.inlines_to_xhtml(content);
        self.push(&format!("</{tag}>"));
    }

    fn link_to_xhtml(&mut self, link: &Link) {
        let saved = self.pos;
        self.pos = link.pos;
        match self.href(&link.target) {
            Href::To(href) => {
                let title = match &link.title {
                    Some(t) => format!(" title=\"{}\"", self.attr(t)),
                    None => String::new(),
                };
                self.push(&format!("<a href=\"{href}\"{title}>"));
                self.inlines_to_xhtml(&link.content);
                // A link without words cannot be read out (Ace's link-name): it shows its address.
                if !super::blocks::has_text(&link.content) {
                    self.text(&link.href);
                }
                self.push("</a>");
            }
            Href::Text => self.inlines_to_xhtml(&link.content),
        }
        self.pos = saved;
    }

    /// The escaped `href` of a link target. Broken targets and unsafe schemes are text:
    /// the reader has already reported broken links, unsafe schemes are reported here.
    pub fn href(&mut self, target: &LinkTarget) -> Href {
        match target {
            LinkTarget::Page { key, anchor } => self.page_href(key, anchor.as_deref()),
            LinkTarget::Asset { path } => {
                // Downloads stay on the site: the book holds only what it shows.
                let url = format!("{}{}", self.ctx.corpus.site.url, crate::text::encode_path(path));
                Href::To(self.attr(&url))
            }
            LinkTarget::External { url } if is_safe_scheme(url) => Href::To(self.attr(&crate::text::encode_url(url))),
            LinkTarget::External { url } => {
                self.warn(
                    crate::codes::EPUB_UNSAFE_LINK,
                    format!("link to `{url}` kept as text: only {} links are allowed", ALLOWED_SCHEMES.join(", ")),
                );
                Href::Text
            }
            LinkTarget::Broken { .. } => Href::Text,
        }
    }

    /// `chapter.xhtml#id`, or `#id` inside the current chapter.
    pub fn page_href(&mut self, key: &str, anchor: Option<&str>) -> Href {
        let Some(file) = self.plan.file(key).map(str::to_string) else {
            self.warn(
                crate::codes::EPUB_MISSING_CHAPTER,
                format!("link to page `{key}`, which has no chapter in the book, kept as text"),
            );
            return Href::Text;
        };
        let fragment = match anchor {
            None => None,
            Some(a) => match self.plan.id(key, a) {
                Some(id) => Some(id.to_string()),
                None => {
                    self.warn(crate::codes::EPUB_ANCHOR_LOST, format!("anchor `#{a}` of page `{key}` has no element in its chapter; the link points at the chapter"));
                    None
                }
            },
        };
        let same_page = self.page_key.as_deref() == Some(key);
        let href = match (fragment, same_page) {
            (Some(id), true) => format!("#{id}"),
            (Some(id), false) => format!("{file}#{id}"),
            (None, _) => file,
        };
        Href::To(self.attr(&href))
    }

    /// An image: embedded when it is a readable picture of the assets folder, else a text
    /// placeholder saying what is missing (with a diagnostic).
    pub fn image_to_xhtml(&mut self, image: &Image, class: &str) {
        let saved = self.pos;
        self.pos = image.pos;
        match self.embed_image(image) {
            Some(src) => {
                let alt = self.attr(&image.alt);
                let title = match &image.title {
                    Some(t) => format!(" title=\"{}\"", self.attr(t)),
                    None => String::new(),
                };
                self.push(&format!("<img class=\"{class}\" src=\"{src}\" alt=\"{alt}\"{title}/>"));
            }
            None => {
                self.push("<span class=\"image-missing\">[");
                let label = format!("{}{}", self.labels.image_unavailable, self.labels.colon());
                self.text(&label);
                let label = if image.alt.trim().is_empty() { image.src.as_str() } else { image.alt.as_str() };
                self.text(label);
                self.push("]</span>");
            }
        }
        self.pos = saved;
    }

    /// The escaped path of the image inside the book, after reporting why it is absent.
    fn embed_image(&mut self, image: &Image) -> Option<String> {
        match &image.target {
            LinkTarget::Asset { path } => match self.media.asset_image(path) {
                Ok(name) => Some(self.attr(&name)),
                Err(reason) => {
                    self.warn(
                        crate::codes::EPUB_IMAGE_UNUSABLE,
                        format!("image `{}` not embedded: {reason}", image.src),
                    );
                    None
                }
            },
            LinkTarget::External { .. } | LinkTarget::Page { .. } => {
                self.warn(
                    crate::codes::EPUB_IMAGE_REMOTE,
                    format!("image `{}` is not a file of the assets folder and is not embedded", image.src),
                );
                None
            }
            LinkTarget::Broken { reason } => {
                self.warn(crate::codes::EPUB_IMAGE_MISSING, format!("image `{}` not embedded: {reason}", image.src));
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_and_mail_schemes_are_safe() {
        assert!(is_safe_scheme("https://example.org/"));
        assert!(is_safe_scheme("MAILTO:a@b.fr"));
    }

    #[test]
    fn script_and_data_schemes_are_unsafe_even_disguised() {
        assert!(!is_safe_scheme("javascript:alert(1)"));
        assert!(!is_safe_scheme(" java\tscript:alert(1)"));
        assert!(!is_safe_scheme("data:text/html,<script>"));
        assert!(!is_safe_scheme("//example.org/"));
    }
}
