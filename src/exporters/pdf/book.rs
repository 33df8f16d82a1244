//! The shape of a guide: cover, contents, then one part per section and one chapter per
//! page. Each of these units starts on a new page, which is what lets chunks of them be laid
//! out in parallel (see `chunks.rs`).

use super::elements::{Gap, TocLine};
use super::guides::{Guide, Part};
use super::post::OutlineItem;
use super::state::{anchor_key, Traced};
use super::text::Span;
use super::theme::rgb;
use super::writer::{Elements, Writer};
use crate::model::{Block, Page};
use genpdf::Alignment;

pub fn part_key(index: usize) -> String {
    format!("part:{}", index + 1)
}

/// A run of the guide that starts on a new page.
#[derive(Debug, Clone, Copy)]
pub enum Unit<'g> {
    Cover,
    Contents,
    Part(usize),
    Chapter(&'g Page),
}

/// About the weight of a printed page, to guess a guide's length before it is measured.
pub const WEIGHT_PER_PAGE: usize = 2_000;

impl Unit<'_> {
    /// Whether the unit may be cut into pieces at clean page starts: the ones that grow with
    /// the site, chapters and the contents.
    pub fn can_be_cut(&self) -> bool {
        matches!(self, Unit::Chapter(_) | Unit::Contents)
    }

    /// A rough size, to balance chunks before anything has been measured.
    pub fn weight(&self) -> usize {
        match self {
            Unit::Cover | Unit::Part(_) => 200,
            Unit::Contents => 2_000,
            Unit::Chapter(page) => 500 + 100 * page.blocks.len() + crate::text::blocks_plain_text(&page.blocks).len(),
        }
    }
}

/// The units of the guide, in order.
pub fn units<'g>(guide: &'g Guide<'g>) -> Vec<Unit<'g>> {
    let mut out = vec![Unit::Cover, Unit::Contents];
    for (i, part) in guide.parts.iter().enumerate() {
        out.push(Unit::Part(i));
        out.extend(part.pages.iter().map(|page| Unit::Chapter(page)));
    }
    out
}

/// The elements of one unit, without the page break before it.
pub fn unit_elements(w: &mut Writer<'_, '_>, guide: &Guide, unit: Unit<'_>) -> Elements {
    match unit {
        Unit::Cover => cover(w, guide),
        Unit::Contents => contents(w, guide),
        Unit::Part(i) => guide.parts.get(i).map(|part| part_page(w, i, part)).unwrap_or_default(),
        Unit::Chapter(page) => chapter(w, page),
    }
}

fn centered(w: &Writer<'_, '_>, text: &str, style: genpdf::style::Style) -> Box<dyn genpdf::Element> {
    Box::new(w.plain(vec![Span::new(text, style)]).aligned(Alignment::Center))
}

fn cover(w: &mut Writer<'_, '_>, guide: &Guide) -> Elements {
    let t = w.theme;
    let title_style = w.body().bold().with_font_size(t.cover_title_size).with_color(rgb(t.accent_color));
    let mut layout = genpdf::elements::LinearLayout::vertical();
    layout.push(Gap(70.0));
    for (text, style) in [
        (guide.title.as_str(), title_style),
        ("", w.body()),
        (guide.subtitle.as_str(), w.body().with_font_size(t.cover_subtitle_size)),
    ] {
        w.check_glyphs(text, style, crate::model::Pos::default());
        layout.push(super::writer::Dyn(centered(w, text, style)));
    }
    layout.push(Gap(100.0));
    let publisher = w.ctx.corpus.site.publisher.clone();
    layout.push(super::writer::Dyn(centered(w, &publisher, w.body().bold())));
    let (year, month, day, ..) = w.ctx.build_time.civil();
    let date = w.labels.edition((year, month, day));
    layout.push(super::writer::Dyn(centered(w, &date, w.body())));
    vec![w.traced(Box::new(layout), "cover".to_string())]
}

/// Level-2 headings of a page: the sections listed in the contents and the bookmarks.
fn sections(page: &Page) -> Vec<(String, String)> {
    page.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading(h) if h.level == 2 => {
                Some((crate::text::plain_text(&h.content), h.attr.id.clone().unwrap_or_default()))
            }
            _ => None,
        })
        .collect()
}

fn contents(w: &mut Writer<'_, '_>, guide: &Guide) -> Elements {
    let mut out: Elements = Vec::new();
    let contents = w.labels.contents;
    let title =
        Span::new(contents, w.body().bold().with_font_size(w.theme.h1_size).with_color(rgb(w.theme.accent_color)));
    let mut traced = Traced::new(Box::new(w.plain(vec![title])), "contents".to_string(), &w.state);
    traced.chapter = Some(contents.to_string());
    out.push(Box::new(traced));
    out.push(Box::new(Gap(4.0)));
    for (i, part) in guide.parts.iter().enumerate() {
        out.push(Box::new(Gap(2.0)));
        out.push(toc_line(w, &part.title, part_key(i), 0.0, w.body().bold()));
        for page in &part.pages {
            out.push(toc_line(w, &page.title, anchor_key(&page.key, None), 5.0, w.body()));
            for (title, id) in sections(page) {
                let style = w.body().with_font_size(w.theme.small_size).with_color(w.muted());
                out.push(toc_line(w, &title, anchor_key(&page.key, Some(&id)), 10.0, style));
            }
        }
    }
    out
}

fn toc_line(
    w: &mut Writer<'_, '_>,
    title: &str,
    target: String,
    indent: f64,
    style: genpdf::style::Style,
) -> Box<dyn genpdf::Element> {
    let number = w.previous.and_then(|p| p.page_of(&target)).map(|n| n.to_string()).unwrap_or_default();
    let span = w.span(&w.labels.typeset(title), style, crate::model::Pos::default());
    Box::new(TocLine { spans: vec![span], indent, number, target, state: w.state.clone(), done: false })
}

fn part_page(w: &mut Writer<'_, '_>, index: usize, part: &Part) -> Elements {
    let t = w.theme;
    let mut out: Elements = vec![Box::new(Gap(60.0))];
    let label = Span::new(w.labels.part(index + 1), w.body().with_color(w.muted()));
    let title = Span::new(
        part.title.clone(),
        w.body().bold().with_font_size(t.cover_subtitle_size + 6).with_color(rgb(t.accent_color)),
    );
    let mut layout = genpdf::elements::LinearLayout::vertical();
    layout.push(w.plain(vec![label]));
    layout.push(w.plain(vec![title]));
    layout.push(Gap(8.0));
    for page in &part.pages {
        let number = w.page_reference(&page.key, &anchor_key(&page.key, None)).unwrap_or_default();
        let spans = vec![
            Span::new(w.labels.typeset(&page.title), w.body()),
            Span::new(format!(" ({number})"), w.small(w.body())),
        ];
        layout.push(genpdf::elements::BulletPoint::new(w.plain(spans)).with_bullet("•"));
    }
    let mut traced = Traced::new(Box::new(layout), format!("part «{}»", part.title), &w.state);
    traced.anchor = Some(part_key(index));
    traced.chapter = Some(part.title.clone());
    out.push(Box::new(traced));
    out
}

fn chapter(w: &mut Writer<'_, '_>, page: &Page) -> Elements {
    w.source = page.source.clone();
    w.page_key = page.key.clone();
    let t = w.theme;
    let mut out: Elements = Vec::new();
    if !page.breadcrumb.is_empty() {
        let trail: Vec<&str> = page.breadcrumb.iter().map(|c| c.title.as_str()).collect();
        let span = w.span(&trail.join(" › "), w.small(w.body()), crate::model::Pos::default());
        out.push(Box::new(w.plain(vec![span])));
        out.push(Box::new(Gap(1.5)));
    }
    let style = w.body().bold().with_font_size(t.h1_size).with_color(rgb(t.accent_color));
    let title = w.span(&w.labels.typeset(&page.title), style, crate::model::Pos::default());
    let mut traced = Traced::new(Box::new(w.plain(vec![title])), format!("chapter «{}»", page.title), &w.state);
    traced.anchor = Some(anchor_key(&page.key, None));
    traced.chapter = Some(page.title.clone());
    out.push(Box::new(traced));
    out.push(Box::new(Gap(3.0)));
    if let Some(summary) = page.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        let style = w.body().italic().with_font_size(t.lead_size).with_color(w.muted());
        let span = w.span(&w.labels.typeset(summary), style, crate::model::Pos::default());
        out.push(w.traced(Box::new(w.prose(vec![span])), "lead".to_string()));
        out.push(Box::new(Gap(t.block_gap * 1.5)));
    }
    out.extend(w.chapter_blocks(&page.blocks));
    if !page.see_also.is_empty() {
        let see_also = w.see_also(&page.see_also, crate::model::Pos::default());
        out.push(w.traced(see_also, "see also".to_string()));
    }
    out
}

/// Bookmarks: parts > chapters > level-2 headings.
pub fn outline(guide: &Guide) -> Vec<OutlineItem> {
    guide
        .parts
        .iter()
        .enumerate()
        .map(|(i, part)| OutlineItem {
            title: part.title.clone(),
            key: part_key(i),
            children: part
                .pages
                .iter()
                .map(|page| OutlineItem {
                    title: page.title.clone(),
                    key: anchor_key(&page.key, None),
                    children: sections(page)
                        .into_iter()
                        .map(|(title, id)| OutlineItem {
                            title,
                            key: anchor_key(&page.key, Some(&id)),
                            children: Vec::new(),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}
