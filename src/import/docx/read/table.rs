//! Tables: header rows, cells spanning columns, and vertically merged cells as row spans.

use std::collections::HashMap;

use roxmltree::Node;

use super::Reader;
use crate::import::docx::model::{Block, Cell, Table};
use crate::import::docx::xml::{attr, child, on_off};

impl Reader<'_> {
    pub(super) fn table(&mut self, tbl: Node<'_, '_>) -> Option<Block> {
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        let mut header_rows = 0;
        let mut counting_headers = true;
        // Grid column -> (row, cell) of the cell a vertical merge started at.
        let mut merges: HashMap<usize, (usize, usize)> = HashMap::new();
        for tr in nested(tbl, "tr") {
            let trpr = child(tr, "trPr");
            if counting_headers && trpr.and_then(|n| child(n, "tblHeader")).is_some_and(on_off) {
                header_rows += 1;
            } else {
                counting_headers = false;
            }
            let mut column = trpr
                .and_then(|n| child(n, "gridBefore"))
                .and_then(|n| attr(n, "val"))
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0);
            let row_index = rows.len();
            let mut row = Vec::new();
            for tc in nested(tr, "tc") {
                let (span, vmerge) = cell_merge(tc);
                let continues = matches!(vmerge, Some(None | Some("continue")));
                if continues && let Some(&(r, c)) = merges.get(&column) {
                    rows[r][c].rowspan += 1;
                    column += span as usize;
                    continue;
                }
                if matches!(vmerge, Some(Some("restart"))) {
                    merges.insert(column, (row_index, row.len()));
                } else {
                    merges.remove(&column);
                }
                row.push(Cell {
                    blocks: self.blocks(tc),
                    colspan: span,
                    rowspan: 1,
                });
                column += span as usize;
            }
            rows.push(row);
        }
        if rows.iter().all(Vec::is_empty) {
            return None;
        }
        if header_rows == 0 && first_row_look(tbl) {
            header_rows = 1;
        }
        Some(Block::Table(Table { rows, header_rows }))
    }
}

/// Whether the table's look marks its first row as a header (`tblLook`, by attribute or in the
/// older bit mask).
fn first_row_look(tbl: Node<'_, '_>) -> bool {
    child(tbl, "tblPr")
        .and_then(|n| child(n, "tblLook"))
        .is_some_and(|look| {
            attr(look, "firstRow").map_or_else(
                || {
                    attr(look, "val")
                        .and_then(|v| u32::from_str_radix(v, 16).ok())
                        .is_some_and(|v| v & 0x20 != 0)
                },
                |v| v == "1" || v == "true",
            )
        })
}

/// The rows of a table or the cells of a row, also those inside content controls or tracked
/// insertions.
fn nested<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Vec<Node<'a, 'i>> {
    node.children()
        .flat_map(|n| match n.tag_name().name() {
            found if found == name => vec![n],
            "sdt" | "customXml" => n
                .descendants()
                .filter(|d| d.tag_name().name() == name)
                .collect(),
            _ => Vec::new(),
        })
        .collect()
}

/// The columns a cell spans, and its vertical merge (`None` if it has none, `Some(None)` for a
/// bare `vMerge`, which continues one).
fn cell_merge<'a>(tc: Node<'a, '_>) -> (u32, Option<Option<&'a str>>) {
    let tcpr = child(tc, "tcPr");
    let span = tcpr
        .and_then(|n| child(n, "gridSpan"))
        .and_then(|n| attr(n, "val"))
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(1)
        .clamp(1, 1000);
    let vmerge = tcpr
        .and_then(|n| child(n, "vMerge"))
        .map(|n| attr(n, "val"));
    (span, vmerge)
}
