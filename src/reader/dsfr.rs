//! DSFR components (the French State's design system, as the sites' templates, Markdown
//! containers and raw HTML print them) mapped to the model's blocks: tables stay tables
//! (`html.rs`), cards and tiles become cards, alerts, callouts and highlights callouts, quotes
//! quote figures, accordions and tabs titled sections, tag and badge groups a paragraph of their
//! labels, the summary a list of its links. Site navigation (breadcrumb, back-to-top link,
//! share buttons, pagination) is dropped with a note. Anything else is left to `html.rs`, which
//! keeps its text.

use super::{image, link_with, to_blocks, to_inlines, trim_inlines, Element, HtmlNode};
use crate::model::*;
use crate::reader::PageCtx;

/// The name of the site navigation component `e` is, if it is one: it has no place in a
/// document, which has its own contents, and links nowhere useful on paper.
pub fn navigation(e: &Element) -> Option<&'static str> {
    if e.has_class("fr-breadcrumb") {
        Some("breadcrumb (fr-breadcrumb)")
    } else if e.has_class("fr-share") {
        Some("share buttons (fr-share)")
    } else if e.has_class("fr-pagination") {
        Some("pagination (fr-pagination)")
    } else if e.name == "a" && e.attr("href").is_some_and(|h| h.trim() == "#top") {
        Some("back-to-top link")
    } else {
        None
    }
}

fn drop_navigation(e: &Element, ctx: &mut PageCtx) -> bool {
    let Some(what) = navigation(e) else { return false };
    ctx.note(
        e.offset,
        crate::codes::HTML_NAVIGATION_DROPPED,
        format!("the {what} is site navigation, not content; dropped"),
    );
    true
}

/// Maps `e` if it is a DSFR component met at block level; false leaves it to `html.rs`.
pub(super) fn element_to_blocks(e: &Element, ctx: &mut PageCtx, out: &mut Vec<Block>) -> bool {
    if e.attr("class").is_none() && e.name != "a" {
        return false;
    }
    if drop_navigation(e, ctx) {
        return true;
    }
    if e.has_class("fr-card") || e.has_class("fr-tile") {
        out.push(card(e, ctx));
    } else if e.has_class("fr-alert") {
        out.push(alert(e, ctx));
    } else if e.has_class("fr-callout") {
        out.push(callout(e, ctx));
    } else if e.has_class("fr-highlight") {
        let blocks = to_blocks(&e.children, ctx);
        out.push(Block::Callout(CalloutBlock { pos: ctx.pos(e.offset), kind: CalloutKind::Note, title: None, blocks }));
    } else if e.has_class("fr-quote") {
        out.push(quote(e, ctx));
    } else if e.has_class("fr-accordion") {
        out.push(accordion(e, ctx));
    } else if e.has_class("fr-tabs") {
        tabs(e, ctx, out);
    } else if e.has_class("fr-summary") {
        summary(e, ctx, out);
    } else if e.has_class("fr-tags-group") || e.has_class("fr-badges-group") {
        out.extend(labels(e, ctx));
    } else {
        return false;
    }
    true
}

/// Maps `e` if it is a DSFR component met at inline level: navigation links vanish, a
/// download link keeps its file's format and size after it.
pub(super) fn element_to_inlines(e: &Element, ctx: &mut PageCtx, out: &mut Vec<Inline>) -> bool {
    if e.name != "a" && e.attr("class").is_none() {
        return false;
    }
    if drop_navigation(e, ctx) {
        return true;
    }
    e.name == "a" && download_link(e, ctx, out)
}

fn is_download_detail(e: &Element) -> bool {
    e.has_class("fr-download__detail") || e.has_class("fr-link__detail")
}

/// `<a download href="f.pdf">Title <span class="fr-link__detail">PDF – 61 Ko</span></a>` (also
/// the older `fr-download__detail`): the link to the file, then " (PDF – 61 Ko)".
fn download_link(e: &Element, ctx: &mut PageCtx, out: &mut Vec<Inline>) -> bool {
    let Some(detail) = find(&e.children, &is_download_detail) else {
        return false;
    };
    let detail = trim_inlines(to_inlines(&detail.children, ctx));
    let label = without(&e.children, &is_download_detail);
    out.push(link_with(e, &label, ctx));
    if !detail.is_empty() {
        out.push(Inline::Text(" (".into()));
        out.extend(detail);
        out.push(Inline::Text(")".into()));
    }
    true
}

/// `fr-card` / `fr-tile`: title and link from `__title` (else the first heading; the link
/// else the first link of the card, e.g. the footer's external link), the description from
/// `__desc`, then every `__detail` (date, file format) and badge after it; the tags as tags.
fn card(e: &Element, ctx: &mut PageCtx) -> Block {
    let base = if e.has_class("fr-card") { "fr-card" } else { "fr-tile" };
    let (title_class, desc_class, detail_class) =
        (format!("{base}__title"), format!("{base}__desc"), format!("{base}__detail"));
    let title_el = find(&e.children, &|x| x.has_class(&title_class)).or_else(|| find(&e.children, &is_heading));
    let title = title_el.map(|t| plain(&t.children, ctx)).unwrap_or_default();
    let has_href = |x: &Element| x.name == "a" && x.attr("href").is_some_and(|h| !h.trim().is_empty());
    let link = title_el.and_then(|t| find(&t.children, &has_href)).or_else(|| find(&e.children, &has_href));
    let href = link.and_then(|a| a.attr("href")).unwrap_or("").trim().to_string();
    let mut parts = Vec::new();
    let described = |x: &Element| x.has_class(&desc_class) || x.has_class(&detail_class) || x.has_class("fr-badge");
    for part in find_all(&e.children, &described, &|_| false) {
        let text = plain(&part.children, ctx);
        if !text.is_empty() {
            parts.push(text);
        }
    }
    let tag_elements = find_all(&e.children, &|x| x.has_class("fr-tag"), &|_| false);
    let tags = tag_elements.iter().map(|t| plain(&t.children, ctx)).filter(|t| !t.is_empty()).collect();
    // Text in none of the card's parts (a start line, a footer's note) is shown on the site
    // too: it follows the description rather than vanish. The card's link is the card.
    let taken: Vec<usize> = title_el
        .into_iter()
        .chain(link)
        .chain(find_all(&e.children, &described, &|_| false))
        .chain(tag_elements)
        .map(|x| x.offset)
        .collect();
    let rest = without(&e.children, &|x| taken.contains(&x.offset) || x.name == "img");
    let rest = super::collapse_ws(&super::text_content(&rest)).trim().to_string();
    if !rest.is_empty() {
        parts.push(rest);
    }
    if let Some(img) = find(&e.children, &|x| x.name == "img") {
        let alt = img.attr("alt").unwrap_or("").trim();
        let what = if alt.is_empty() { "a decorative image".to_string() } else { format!("the image \"{alt}\"") };
        ctx.note(
            img.offset,
            crate::codes::HTML_CARD_IMAGE_DROPPED,
            format!("a card has no picture in the model; {what} is left out"),
        );
    }
    let description = (!parts.is_empty()).then(|| parts.join(" — "));
    Block::Card(Box::new(CardBlock {
        pos: ctx.pos(e.offset),
        title,
        description,
        href,
        target: super::super::unresolved(),
        tags,
    }))
}

/// `fr-alert fr-alert--KIND`: a callout of KIND titled by `fr-alert__title` (the small
/// variant, `fr-alert--sm`, has no title: its first heading, if any, stays in the content).
fn alert(e: &Element, ctx: &mut PageCtx) -> Block {
    let kind = super::super::structure::alert_kind(e.attr("class").unwrap_or(""));
    let (title, rest) = split_title(&e.children, "fr-alert__title", !e.has_class("fr-alert--sm"));
    let title = title.map(|t| plain(&t.children, ctx)).filter(|t| !t.is_empty());
    Block::Callout(CalloutBlock { pos: ctx.pos(e.offset), kind, title, blocks: to_blocks(&rest, ctx) })
}

/// `fr-callout`: a note titled by `fr-callout__title`; its text and button link are content.
fn callout(e: &Element, ctx: &mut PageCtx) -> Block {
    let (title, rest) = split_title(&e.children, "fr-callout__title", false);
    let title = title.map(|t| plain(&t.children, ctx)).filter(|t| !t.is_empty());
    Block::Callout(CalloutBlock {
        pos: ctx.pos(e.offset),
        kind: CalloutKind::Note,
        title,
        blocks: to_blocks(&rest, ctx),
    })
}

/// `<figure class="fr-quote">`: the quotation, its author and its source (and the `cite` URL)
/// as blocks, the portrait as the figure's image.
fn quote(e: &Element, ctx: &mut PageCtx) -> Block {
    let has_src = |x: &Element| x.name == "img" && x.attr("src").is_some_and(|s| !s.trim().is_empty());
    let img = find(&e.children, &has_src);
    let mut nodes = Vec::new();
    quote_nodes(&e.children, img.map(|i| i.offset), &mut nodes);
    if let Some(cite) = find(&e.children, &|x| x.name == "blockquote").and_then(|b| b.attr("cite")) {
        if !cite.trim().is_empty() {
            let text = HtmlNode::Text(cite.trim().to_string(), e.offset);
            let a = synthetic("a", vec![("href".into(), cite.trim().to_string())], vec![text], e.offset);
            nodes.push(synthetic("p", Vec::new(), vec![a], e.offset));
        }
    }
    let image = img.map(|i| image(i, ctx));
    Block::QuoteFigure(Box::new(QuoteFigureBlock { pos: ctx.pos(e.offset), image, blocks: to_blocks(&nodes, ctx) }))
}

/// The quote's content in order, `blockquote` and `figcaption` unwrapped (the Markdown
/// container puts the caption inside the blockquote), the image left out, the source list
/// made one paragraph.
fn quote_nodes(children: &[HtmlNode], image: Option<usize>, out: &mut Vec<HtmlNode>) {
    for node in children {
        match node {
            HtmlNode::Element(x) if x.name == "blockquote" || x.name == "figcaption" => {
                quote_nodes(&x.children, image, out)
            }
            HtmlNode::Element(x) if x.has_class("fr-quote__image") && x.name != "img" => {
                // Anything but the portrait in it is kept.
                let rest = without(&x.children, &|i| {
                    i.name == "img" && (Some(i.offset) == image || i.attr("src").is_none_or(|s| s.trim().is_empty()))
                });
                out.extend(rest);
            }
            HtmlNode::Element(x) if x.name == "img" && Some(x.offset) == image => {}
            HtmlNode::Element(x) if x.has_class("fr-quote__source") => out.push(joined_paragraph(x)),
            other => out.push(other.clone()),
        }
    }
}

/// The items of a list as one paragraph, separated by commas (blank items left out).
fn joined_paragraph(list: &Element) -> HtmlNode {
    let mut children = Vec::new();
    for node in &list.children {
        let (content, offset) = match node {
            HtmlNode::Element(li) if li.name == "li" => (li.children.clone(), li.offset),
            HtmlNode::Text(t, _) if t.trim().is_empty() => continue,
            other => (vec![other.clone()], list.offset),
        };
        if super::text_content(&content).trim().is_empty() && !content.iter().any(|n| matches!(n, HtmlNode::Blocks(..)))
        {
            continue;
        }
        if !children.is_empty() {
            children.push(HtmlNode::Text(", ".into(), offset));
        }
        children.extend(content);
    }
    synthetic("p", Vec::new(), children, list.offset)
}

/// `fr-accordion`: a section titled by `fr-accordion__title` (else the first heading).
fn accordion(e: &Element, ctx: &mut PageCtx) -> Block {
    let (title, rest) = split_title(&e.children, "fr-accordion__title", true);
    let level = title.and_then(heading_level).unwrap_or(3);
    let title = title.map(|t| trim_inlines(to_inlines(&t.children, ctx))).unwrap_or_default();
    Block::Section(Box::new(SectionBlock {
        pos: ctx.pos(e.offset),
        level,
        attr: Attr::default(),
        title,
        blocks: to_blocks(&rest, ctx),
    }))
}

/// `fr-tabs`: one section per panel, in order, titled by the tab that controls it (by id,
/// else by position); a tab with no panel still gives its (empty) section. Tabs have no
/// heading level: their sections are level 3, as accordions.
fn tabs(e: &Element, ctx: &mut PageCtx, out: &mut Vec<Block>) {
    let is_panel = |x: &Element| x.has_class("fr-tabs__panel") || x.attr("role") == Some("tabpanel");
    let is_tab = |x: &Element| x.has_class("fr-tabs__tab") || x.attr("role") == Some("tab");
    let buttons = find_all(&e.children, &is_tab, &is_panel);
    let panels = find_all(&e.children, &is_panel, &|_| false);
    let mut used = vec![false; buttons.len()];
    let section = |ctx: &mut PageCtx, offset, title, blocks| {
        Block::Section(Box::new(SectionBlock { pos: ctx.pos(offset), level: 3, attr: Attr::default(), title, blocks }))
    };
    for (i, panel) in panels.iter().enumerate() {
        let controls = |t: &&Element| panel.attr("id").is_some_and(|id| t.attr("aria-controls") == Some(id));
        let labels = |t: &&Element| panel.attr("aria-labelledby").is_some_and(|id| t.attr("id") == Some(id));
        let by_id = buttons.iter().position(controls).or_else(|| buttons.iter().position(labels));
        let idx = by_id.or_else(|| (i < buttons.len() && !used[i]).then_some(i));
        let title = match idx {
            Some(j) => {
                used[j] = true;
                trim_inlines(to_inlines(&buttons[j].children, ctx))
            }
            None => Vec::new(),
        };
        let blocks = to_blocks(&panel.children, ctx);
        out.push(section(ctx, panel.offset, title, blocks));
    }
    for (_, button) in buttons.iter().enumerate().filter(|(j, _)| !used[*j]) {
        let title = trim_inlines(to_inlines(&button.children, ctx));
        out.push(section(ctx, button.offset, title, Vec::new()));
    }
}

/// `fr-summary`: its title as a paragraph (not a heading: it is no part of the outline), its
/// list of links as a list.
fn summary(e: &Element, ctx: &mut PageCtx, out: &mut Vec<Block>) {
    for node in &e.children {
        match node {
            HtmlNode::Element(t) if t.has_class("fr-summary__title") || is_heading(t) => {
                let content = trim_inlines(to_inlines(&t.children, ctx));
                if !content.is_empty() {
                    out.push(Block::Paragraph(ParagraphBlock { pos: ctx.pos(t.offset), content }));
                }
            }
            other => out.extend(to_blocks(std::slice::from_ref(other), ctx)),
        }
    }
}

/// `fr-tags-group` / `fr-badges-group`: the labels, in one paragraph, separated by commas
/// (a linked tag keeps its link).
fn labels(e: &Element, ctx: &mut PageCtx) -> Option<Block> {
    let mut content = Vec::new();
    for node in &e.children {
        let label = trim_inlines(to_inlines(std::slice::from_ref(node), ctx));
        if label.is_empty() {
            continue;
        }
        if !content.is_empty() {
            content.push(Inline::Text(", ".into()));
        }
        content.extend(label);
    }
    let content = trim_inlines(content);
    (!content.is_empty()).then(|| Block::Paragraph(ParagraphBlock { pos: ctx.pos(e.offset), content }))
}

/// Finds the title among `children` (the element with `class`, else, when `any_heading`, the
/// first heading) and returns it and the other nodes.
fn split_title<'a>(children: &'a [HtmlNode], class: &str, any_heading: bool) -> (Option<&'a Element>, Vec<HtmlNode>) {
    let idx = children.iter().position(|n| matches!(n, HtmlNode::Element(e) if e.has_class(class))).or_else(|| {
        any_heading.then(|| children.iter().position(|n| matches!(n, HtmlNode::Element(e) if is_heading(e))))?
    });
    match idx.map(|i| (i, &children[i])) {
        Some((i, HtmlNode::Element(t))) => {
            let rest = children.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, n)| n.clone()).collect();
            (Some(t), rest)
        }
        _ => (None, children.to_vec()),
    }
}

fn heading_level(e: &Element) -> Option<u8> {
    is_heading(e).then(|| e.name[1..].parse().ok()).flatten()
}

fn is_heading(e: &Element) -> bool {
    matches!(e.name.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// The plain text of nodes, spaces collapsed and trimmed.
fn plain(nodes: &[HtmlNode], ctx: &mut PageCtx) -> String {
    crate::text::plain_text(&trim_inlines(to_inlines(nodes, ctx))).trim().to_string()
}

fn synthetic(name: &str, attrs: Vec<(String, String)>, children: Vec<HtmlNode>, offset: usize) -> HtmlNode {
    HtmlNode::Element(Element { name: name.to_string(), attrs, children, offset })
}

/// The first element (depth first, in order) matching `pred`.
fn find<'a>(nodes: &'a [HtmlNode], pred: &dyn Fn(&Element) -> bool) -> Option<&'a Element> {
    nodes.iter().find_map(|n| match n {
        HtmlNode::Element(e) if pred(e) => Some(e),
        HtmlNode::Element(e) => find(&e.children, pred),
        _ => None,
    })
}

/// Every element matching `pred`, in order, not looking inside a match nor inside an element
/// matching `stop`.
fn find_all<'a>(
    nodes: &'a [HtmlNode],
    pred: &dyn Fn(&Element) -> bool,
    stop: &dyn Fn(&Element) -> bool,
) -> Vec<&'a Element> {
    let mut found = Vec::new();
    let mut pending: Vec<&'a [HtmlNode]> = vec![nodes];
    // Depth first, in document order: a stack of the remaining siblings of each level.
    while let Some(level) = pending.pop() {
        let Some((first, rest)) = level.split_first() else {
            continue;
        };
        pending.push(rest);
        if let HtmlNode::Element(e) = first {
            if pred(e) {
                found.push(e);
            } else if !stop(e) {
                pending.push(&e.children);
            }
        }
    }
    found
}

/// A copy of `nodes` without the elements matching `pred` (at any depth).
fn without(nodes: &[HtmlNode], pred: &dyn Fn(&Element) -> bool) -> Vec<HtmlNode> {
    nodes
        .iter()
        .filter(|n| !matches!(n, HtmlNode::Element(e) if pred(e)))
        .map(|n| match n {
            HtmlNode::Element(e) => HtmlNode::Element(Element { children: without(&e.children, pred), ..e.clone() }),
            other => other.clone(),
        })
        .collect()
}
