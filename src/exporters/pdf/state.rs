//! State shared between the page decorator and the elements during one render pass.
//!
//! genpdf tells an element only the area left to it, not where that area is. The decorator
//! knows where each page's text block starts and how tall it is, so an element finds its
//! vertical position as `top + (height at page start - height left)`. The first pass records
//! where every chapter and heading lands; the second prints those page numbers.

use super::theme::{rgb, Theme};
use genpdf::style::Style;
use genpdf::{Context, Element, Mm, Position, RenderResult};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Where something landed: 1-based page and distance from the top of the paper, in mm.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spot {
    pub page: usize,
    pub y: f64,
}

/// A rectangle on a page (mm from the top-left corner of the paper).
#[derive(Debug, Clone, PartialEq)]
pub struct Rect {
    pub page: usize,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

/// What one render pass learned.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PassRecord {
    pub pages: usize,
    /// Anchor key (see `anchor_key`) → where it landed.
    pub spots: BTreeMap<String, Spot>,
    /// Contents lines: where they are drawn and the anchor they lead to.
    pub toc_links: Vec<(Rect, String)>,
    /// Chapter titles by the page they start on, for the running header.
    pub chapters: BTreeMap<usize, String>,
    /// The layout plan: per page, the blocks placed on it.
    pub plan: Vec<(usize, String)>,
    /// Index of each unit of the guide (see `book::units`) → the page it starts on.
    pub unit_pages: BTreeMap<usize, usize>,
    /// Measuring passes only: (unit, top-level element, page) for each element of a chapter
    /// that starts a page cleanly, where a long chapter may be cut (`pieces.rs`).
    pub page_starts: Vec<(usize, usize, usize)>,
}

impl PassRecord {
    pub fn page_of(&self, key: &str) -> Option<usize> {
        self.spots.get(key).map(|s| s.page)
    }

    /// The same layout with every page number moved by `delta`.
    pub fn shifted(&self, delta: i64) -> PassRecord {
        let shift = |page: usize| (page as i64 + delta).max(0) as usize;
        PassRecord {
            pages: shift(self.pages),
            spots: self.spots.iter().map(|(k, s)| (k.clone(), Spot { page: shift(s.page), y: s.y })).collect(),
            toc_links: self
                .toc_links
                .iter()
                .map(|(r, k)| (Rect { page: shift(r.page), ..r.clone() }, k.clone()))
                .collect(),
            chapters: self.chapters.iter().map(|(p, t)| (shift(*p), t.clone())).collect(),
            plan: self.plan.iter().map(|(p, l)| (shift(*p), l.clone())).collect(),
            unit_pages: self.unit_pages.iter().map(|(u, p)| (*u, shift(*p))).collect(),
            page_starts: self.page_starts.iter().map(|(u, e, p)| (*u, *e, shift(*p))).collect(),
        }
    }

    /// Adds the layout of the pages that follow, as one document would have recorded it.
    pub fn append(&mut self, next: PassRecord) {
        self.pages = self.pages.max(next.pages);
        for (key, spot) in next.spots {
            self.spots.entry(key).or_insert(spot);
        }
        self.toc_links.extend(next.toc_links);
        self.chapters.extend(next.chapters);
        self.plan.extend(next.plan);
        self.unit_pages.extend(next.unit_pages);
        self.page_starts.extend(next.page_starts);
    }

    /// The chapter running on `page`: the last one started on it or before.
    pub fn chapter_on(&self, page: usize) -> Option<&str> {
        self.chapters.range(..=page).next_back().map(|(_, t)| t.as_str())
    }
}

/// The live state of a pass, shared by `Rc` between the decorator and the elements.
#[derive(Debug, Default)]
pub struct PassState {
    pub page: usize,
    /// Top of the text block of the current page, from the top of the paper (mm).
    pub top: f64,
    /// Height of the text block when the page started (mm).
    pub height: f64,
    pub left: f64,
    pub width: f64,
    pub record: PassRecord,
    /// A measuring pass: elements take their room but print nothing.
    pub measuring: bool,
    /// Set when a measuring pass has laid out its last element.
    pub measured: bool,
    /// Families for text DejaVu cannot draw, in order of preference (`fallback.rs`).
    pub fallbacks: Vec<genpdf::fonts::FontFamily<genpdf::fonts::Font>>,
}

pub type Shared = Rc<RefCell<PassState>>;

/// Where an area starts, given the height it has left.
pub fn spot_of(state: &Shared, area_height: Mm) -> Spot {
    let s = state.borrow();
    Spot { page: s.page, y: s.top + (s.height - mm(area_height)) }
}

/// Whether an area is (nearly) a whole empty page: moving to the next page would not help.
pub fn near_page_top(state: &Shared, area_height: Mm, slack: f64) -> bool {
    let s = state.borrow();
    s.height - mm(area_height) < slack
}

pub fn mm(value: Mm) -> f64 {
    value.into()
}

pub fn anchor_key(page_key: &str, anchor: Option<&str>) -> String {
    match anchor {
        Some(a) => format!("page:{page_key}#{a}"),
        None => format!("page:{page_key}"),
    }
}

/// Wraps a block: records the pages it is placed on in the plan, and optionally the spot
/// of its first line under an anchor key.
pub struct Traced {
    pub inner: Box<dyn Element>,
    pub label: String,
    pub anchor: Option<String>,
    pub chapter: Option<String>,
    pub state: Shared,
    pub placed: bool,
    /// Whether the block appears in the layout plan (nested headings do not).
    pub in_plan: bool,
}

impl Traced {
    pub fn new(inner: Box<dyn Element>, label: String, state: &Shared) -> Traced {
        Traced { inner, label, anchor: None, chapter: None, state: state.clone(), placed: false, in_plan: true }
    }
}

impl Element for Traced {
    fn render(
        &mut self,
        context: &Context,
        area: genpdf::render::Area<'_>,
        style: Style,
    ) -> Result<RenderResult, genpdf::error::Error> {
        let spot = spot_of(&self.state, area.size().height);
        let result = self.inner.render(context, area, style)?;
        if mm(result.size.height) > 0.0 || !result.has_more {
            let mut s = self.state.borrow_mut();
            let suffix = if self.placed { " (suite)" } else { "" };
            if self.in_plan {
                s.record.plan.push((spot.page, format!("{}{suffix}", self.label)));
            }
            if !self.placed {
                if let Some(key) = &self.anchor {
                    s.record.spots.entry(key.clone()).or_insert(spot);
                }
                if let Some(title) = &self.chapter {
                    s.record.chapters.insert(spot.page, title.clone());
                }
            }
            self.placed = true;
        }
        Ok(result)
    }
}

/// Draws the running header (guide title, current chapter) and footer ("page X / N"),
/// and tells the shared state where each page's text block is.
pub struct Decorator {
    pub theme: Theme,
    pub guide_title: String,
    /// The layout of the previous pass, shared by every chunk of this one.
    pub previous: Option<std::sync::Arc<PassRecord>>,
    pub state: Shared,
}

impl genpdf::PageDecorator for Decorator {
    fn decorate_page<'a>(
        &mut self,
        context: &Context,
        mut area: genpdf::render::Area<'a>,
        style: Style,
    ) -> Result<genpdf::render::Area<'a>, genpdf::error::Error> {
        let t = &self.theme;
        let page = {
            let mut s = self.state.borrow_mut();
            s.page += 1;
            s.page
        };
        let measuring = self.state.borrow().measuring;
        // The cover has neither header nor footer.
        if page > 1 && !measuring {
            self.draw_footer(context, &area, style, page)?;
        }
        area.add_margins(genpdf::Margins::trbl(t.margin_top, t.margin_right, t.margin_bottom, t.margin_left));
        if page > 1 && !measuring {
            self.draw_header(context, &area, style, page)?;
        }
        area.add_offset(Position::new(0, t.header_height));
        let mut s = self.state.borrow_mut();
        s.top = t.margin_top + t.header_height;
        s.height = mm(area.size().height);
        s.left = t.margin_left;
        s.width = mm(area.size().width);
        s.record.pages = page;
        Ok(area)
    }
}

impl Decorator {
    fn small(&self, style: Style) -> Style {
        style.with_font_size(self.theme.small_size).with_color(rgb(self.theme.muted_color))
    }

    fn draw_header(
        &self,
        context: &Context,
        area: &genpdf::render::Area<'_>,
        style: Style,
        page: usize,
    ) -> Result<(), genpdf::error::Error> {
        let small = self.small(style);
        let width = mm(area.size().width);
        let title = self.fitted(context, small, &self.guide_title, width * 0.45);
        self.print(context, area, Position::new(0, 0), small, &title)?;
        let chapter = self.previous.as_ref().and_then(|p| p.chapter_on(page)).unwrap_or("");
        let chapter = self.fitted(context, small, chapter, width * 0.5);
        let chapter_width = self.width(context, small, &chapter);
        self.print(context, area, Position::new(width - chapter_width, 0), small, &chapter)?;
        let rule = Style::new().with_color(rgb(self.theme.rule_color));
        let y = self.theme.header_height - 3.0;
        area.draw_line(vec![Position::new(0, y), Position::new(width, y)], rule);
        Ok(())
    }

    /// `text` cut where the font that draws it changes: the header shows chapter titles in any script.
    fn runs(&self, context: &Context, style: Style, text: &str) -> Vec<(String, Style)> {
        let fallbacks = self.state.borrow().fallbacks.clone();
        super::fallback::runs(&context.font_cache, &fallbacks, text, style)
    }

    fn width(&self, context: &Context, style: Style, text: &str) -> f64 {
        let rtl = super::bidi::rtl_paragraph(text);
        super::bidi::line_width(&context.font_cache, &self.runs(context, style, text), rtl)
    }

    /// `text`, shortened with an ellipsis to fit `width` mm.
    fn fitted(&self, context: &Context, style: Style, text: &str, width: f64) -> String {
        if self.width(context, style, text) <= width {
            return text.to_string();
        }
        let mut out: String = text.to_string();
        while !out.is_empty() && self.width(context, style, &format!("{out}…")) > width {
            out.pop();
        }
        format!("{}…", out.trim_end())
    }

    fn print(
        &self,
        context: &Context,
        area: &genpdf::render::Area<'_>,
        at: Position,
        style: Style,
        text: &str,
    ) -> Result<(), genpdf::error::Error> {
        let cache = &context.font_cache;
        if let Some(mut section) = area.text_section(cache, at, style) {
            let rtl = super::bidi::rtl_paragraph(text);
            super::bidi::print_line(&mut section, cache, &self.runs(context, style, text), rtl)?;
        }
        Ok(())
    }

    fn draw_footer(
        &self,
        context: &Context,
        area: &genpdf::render::Area<'_>,
        style: Style,
        page: usize,
    ) -> Result<(), genpdf::error::Error> {
        let t = &self.theme;
        let total = self.previous.as_ref().map_or(0, |p| p.pages);
        let text = format!("page {page} / {total}");
        let small = self.small(style);
        let text_width = mm(small.str_width(&context.font_cache, &text));
        let x = t.margin_left + (t.text_width() - text_width) / 2.0;
        let y = t.paper_height - t.margin_bottom + 6.0;
        area.print_str(&context.font_cache, Position::new(x, y), small, &text)?;
        Ok(())
    }
}
