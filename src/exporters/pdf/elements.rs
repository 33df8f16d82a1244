//! Elements genpdf lacks: framed boxes with a coloured bar, rules, gaps, images fitted to
//! the text block, and contents lines with dot leaders and page numbers.

use super::state::{mm, near_page_top, spot_of, Rect, Shared};
use super::text::{wrap_prose, Span};
use genpdf::style::{Color, Style};
use genpdf::{Context, Element, Margins, Mm, Position, RenderResult, Size};

type Res = Result<RenderResult, genpdf::error::Error>;

fn nothing_yet() -> RenderResult {
    RenderResult { size: Size::new(0, 0), has_more: true }
}

/// Vertical space of a fixed height, dropped at a page break.
pub struct Gap(pub f64);

impl Element for Gap {
    fn render(&mut self, _: &Context, area: genpdf::render::Area<'_>, _: Style) -> Res {
        let h = self.0.min(mm(area.size().height));
        self.0 = 0.0;
        Ok(RenderResult { size: Size::new(0, h), has_more: false })
    }
}

/// A horizontal rule across the text block.
pub struct Rule {
    pub color: Color,
}

impl Element for Rule {
    fn render(&mut self, _: &Context, area: genpdf::render::Area<'_>, _: Style) -> Res {
        let w = area.size().width;
        area.draw_line(vec![Position::new(0, 2), Position::new(w, Mm::from(2))], Style::new().with_color(self.color));
        Ok(RenderResult { size: Size::new(w, 4), has_more: false })
    }
}

/// A box around a block: a thick coloured bar on the left (genpdf has no line width, so the
/// bar is drawn as close parallel lines) and an optional thin frame.
pub struct Boxed {
    pub inner: Box<dyn Element>,
    pub bar: Color,
    pub bar_width: f64,
    pub frame: Option<Color>,
    pub padding: f64,
    pub first: bool,
}

impl Boxed {
    pub fn new(inner: Box<dyn Element>, bar: Color, frame: Option<Color>) -> Boxed {
        Boxed { inner, bar, bar_width: 1.2, frame, padding: 2.5, first: true }
    }

    fn draw(&self, area: &genpdf::render::Area<'_>, height: f64, closed: bool) {
        let width = mm(area.size().width);
        let bar = Style::new().with_color(self.bar);
        let mut x = 0.1;
        while x <= self.bar_width {
            area.draw_line(vec![Position::new(x, 0), Position::new(x, height)], bar);
            x += 0.2;
        }
        let Some(color) = self.frame else { return };
        let frame = Style::new().with_color(color);
        area.draw_line(vec![Position::new(width, 0), Position::new(width, height)], frame);
        if self.first {
            area.draw_line(vec![Position::new(0, 0), Position::new(width, 0)], frame);
        }
        if closed {
            area.draw_line(vec![Position::new(0, height), Position::new(width, height)], frame);
        }
    }
}

impl Element for Boxed {
    fn render(&mut self, context: &Context, area: genpdf::render::Area<'_>, style: Style) -> Res {
        let pad = self.padding;
        let top = if self.first { pad } else { 1.0 };
        let mut inner_area = area.clone();
        inner_area.add_margins(Margins::trbl(top, pad, 0, self.bar_width + pad));
        let room = mm(inner_area.size().height) - pad;
        if room <= 0.0 {
            return Ok(nothing_yet());
        }
        inner_area.set_height(Mm::from(room));
        let result = self.inner.render(context, inner_area, style)?;
        let used = mm(result.size.height);
        if used <= 0.0 && result.has_more {
            return Ok(nothing_yet());
        }
        let height = top + used + if result.has_more { 0.0 } else { pad };
        self.draw(&area, height, !result.has_more);
        self.first = false;
        Ok(RenderResult { size: Size::new(area.size().width, height), has_more: result.has_more })
    }
}

/// An image scaled beforehand; it moves to the next page rather than overflow this one.
pub struct FittedImage {
    pub image: genpdf::elements::Image,
    pub height: f64,
    pub state: Shared,
}

impl Element for FittedImage {
    fn render(&mut self, context: &Context, area: genpdf::render::Area<'_>, style: Style) -> Res {
        let h = mm(area.size().height);
        if self.height > h && !near_page_top(&self.state, area.size().height, self.height) {
            return Ok(nothing_yet());
        }
        self.image.render(context, area, style)
    }
}

/// One line of the contents: title, dot leaders, page number; recorded as a link rectangle.
pub struct TocLine {
    pub spans: Vec<Span>,
    pub indent: f64,
    pub number: String,
    pub target: String,
    pub state: Shared,
    pub done: bool,
}

/// Width kept for page numbers so that both passes lay out the contents identically.
const NUMBER_COLUMN: f64 = 12.0;

impl Element for TocLine {
    fn render(&mut self, context: &Context, area: genpdf::render::Area<'_>, style: Style) -> Res {
        if self.done {
            return Ok(RenderResult::default());
        }
        let width = mm(area.size().width);
        let spans: Vec<Span> = self.spans.iter().map(|s| Span::new(s.text.clone(), style.and(s.style))).collect();
        let base = spans.first().map_or(style, |s| s.style);
        let line_h = mm(base.line_height(&context.font_cache));
        let fallbacks = self.state.borrow().fallbacks.clone();
        let lines = wrap_prose(context, &fallbacks, &spans, width - self.indent - NUMBER_COLUMN - 2.0);
        let height = line_h * lines.len() as f64;
        if height > mm(area.size().height) && !near_page_top(&self.state, area.size().height, height) {
            return Ok(nothing_yet());
        }
        if self.state.borrow().measuring {
            self.record(area.size().height, area.size().width, height);
            self.done = true;
            return Ok(RenderResult { size: Size::new(width, height), has_more: false });
        }
        let mut y = 0.0;
        let mut last_end = 0.0;
        let cache = &context.font_cache;
        let rtl = super::bidi::rtl_paragraph(&spans.iter().map(|s| s.text.as_str()).collect::<String>());
        for line in &lines {
            if let Some(mut section) = area.text_section(cache, Position::new(self.indent, y), base) {
                super::bidi::print_line(&mut section, cache, line, rtl)?;
            }
            last_end = self.indent + super::bidi::line_width(cache, line, rtl);
            y += line_h;
        }
        self.draw_leader(context, &area, base, last_end, y - line_h)?;
        self.record(area.size().height, area.size().width, y);
        self.done = true;
        Ok(RenderResult { size: Size::new(width, y), has_more: false })
    }
}

impl TocLine {
    fn draw_leader(
        &self,
        context: &Context,
        area: &genpdf::render::Area<'_>,
        style: Style,
        from: f64,
        y: f64,
    ) -> Result<(), genpdf::error::Error> {
        let width = mm(area.size().width);
        let number_width = mm(style.str_width(&context.font_cache, &self.number));
        let dot = mm(style.str_width(&context.font_cache, ". "));
        let room = width - NUMBER_COLUMN - from - 2.0;
        if dot > 0.0 && room > dot {
            let dots = ". ".repeat((room / dot) as usize);
            let muted = style.with_color(Color::Rgb(150, 150, 150));
            let x = width - NUMBER_COLUMN - 1.0 - mm(muted.str_width(&context.font_cache, &dots));
            area.print_str(&context.font_cache, Position::new(x, y), muted, dots)?;
        }
        area.print_str(&context.font_cache, Position::new(width - number_width, y), style, &self.number)?;
        Ok(())
    }

    fn record(&self, area_height: Mm, area_width: Mm, height: f64) {
        let spot = spot_of(&self.state, area_height);
        let mut s = self.state.borrow_mut();
        let x0 = s.left + s.width - mm(area_width);
        let x1 = s.left + s.width;
        let rect = Rect { page: spot.page, x0, y0: spot.y, x1, y1: spot.y + height };
        s.record.toc_links.push((rect, self.target.clone()));
    }
}

/// Starts its block on the next page unless `room` mm are left, so that a table, a code
/// block or a callout does not begin with a sliver at the foot of a page.
pub struct NeedsRoom {
    pub inner: Box<dyn Element>,
    pub room: f64,
    pub state: Shared,
    pub started: bool,
}

impl Element for NeedsRoom {
    fn render(&mut self, context: &Context, area: genpdf::render::Area<'_>, style: Style) -> Res {
        let height = area.size().height;
        if !self.started && mm(height) < self.room && !near_page_top(&self.state, height, self.room) {
            return Ok(nothing_yet());
        }
        self.started = true;
        self.inner.render(context, area, style)
    }
}
