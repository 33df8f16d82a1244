//! A bordered table whose header row is drawn again at the top of every page the table
//! continues on. genpdf's `TableLayout` prints the header once, so a long table's later
//! pages would show columns without names.

use super::state::{mm, Shared};
use genpdf::style::Style;
use genpdf::{Context, Element, Mm, Position, RenderResult, Size};

type Res = Result<RenderResult, genpdf::error::Error>;
pub type Cells = Vec<Box<dyn Element>>;

/// Makes a fresh copy of the header row: elements keep their progress, so a row drawn
/// once cannot be drawn again.
pub type RowFactory = Box<dyn Fn() -> Cells>;

pub struct HeadedTable {
    weights: Vec<usize>,
    header: RowFactory,
    /// The header's first copy, then the body rows.
    rows: Vec<Cells>,
    next: usize,
    /// Height of the header as first drawn whole; unknown until then.
    header_height: Option<f64>,
    state: Shared,
}

impl HeadedTable {
    pub fn new(weights: Vec<usize>, header: RowFactory, body: Vec<Cells>, state: &Shared) -> HeadedTable {
        let mut rows = Vec::with_capacity(body.len() + 1);
        rows.push(header());
        rows.extend(body);
        HeadedTable { weights, header, rows, next: 0, header_height: None, state: state.clone() }
    }

    /// Whether the header is drawn again on a page of this height: only when it leaves most
    /// of the page to the rows (a header that fills the page would never let them through).
    fn repeats_header(&self, area_height: Mm) -> bool {
        self.next > 0 && self.header_height.is_some_and(|h| h * 3.0 <= mm(area_height))
    }
}

/// Lays one row out across the columns and frames each of its cells.
fn render_row(
    cells: &mut Cells,
    weights: &[usize],
    drawing: bool,
    context: &Context,
    area: genpdf::render::Area<'_>,
    style: Style,
) -> Res {
    let areas = area.split_horizontally(weights);
    let mut result = RenderResult::default();
    for (area, cell) in areas.iter().zip(cells.iter_mut()) {
        let cell_result = cell.render(context, area.clone(), style)?;
        result.has_more |= cell_result.has_more;
        result.size.height = result.size.height.max(cell_result.size.height);
    }
    if drawing {
        for mut area in areas {
            area.set_height(result.size.height);
            frame(&area, style);
        }
    }
    Ok(result)
}

/// The four sides of a cell, in the order genpdf's `FrameCellDecorator` draws them.
fn frame(area: &genpdf::render::Area<'_>, style: Style) {
    let size = area.size();
    area.draw_line(vec![Position::default(), Position::new(0, size.height)], style);
    area.draw_line(vec![Position::new(size.width, 0), Position::new(size.width, size.height)], style);
    area.draw_line(vec![Position::default(), Position::new(size.width, 0)], style);
    area.draw_line(vec![Position::new(0, size.height), Position::new(size.width, size.height)], style);
}

impl Element for HeadedTable {
    fn render(&mut self, context: &Context, mut area: genpdf::render::Area<'_>, style: Style) -> Res {
        let mut result = RenderResult { size: Size::new(area.size().width, 0), has_more: false };
        if self.weights.is_empty() {
            return Ok(result);
        }
        let drawing = !self.state.borrow().measuring;
        if self.repeats_header(area.size().height) {
            let mut header = (self.header)();
            let row = render_row(&mut header, &self.weights, drawing, context, area.clone(), style)?;
            result.size.height += row.size.height;
            area.add_offset(Position::new(0, row.size.height));
        }
        while let Some(cells) = self.rows.get_mut(self.next) {
            let row = render_row(cells, &self.weights, drawing, context, area.clone(), style)?;
            result.size.height += row.size.height;
            area.add_offset(Position::new(0, row.size.height));
            if row.has_more {
                break;
            }
            if self.next == 0 {
                self.header_height = Some(mm(row.size.height));
            }
            self.next += 1;
        }
        result.has_more = self.next < self.rows.len();
        Ok(result)
    }
}
