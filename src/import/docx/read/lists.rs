//! Paragraphs put together: list items into (nested) lists, quote paragraphs into quotes.

use super::Flat;
use crate::import::docx::model::{Block, List};

struct Open {
    key: String,
    level: u8,
    list: List,
}

/// Puts list items into (nested) lists and quote paragraphs into block quotes.
pub(super) fn structure(flats: Vec<Flat>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    fn close_top(open: &mut Vec<Open>, out: &mut Vec<Block>) {
        let Some(top) = open.pop() else { return };
        let block = Block::List(top.list);
        match open
            .last_mut()
            .and_then(|parent| parent.list.items.last_mut())
        {
            Some(item) => item.push(block),
            None => out.push(block),
        }
    }
    for flat in flats {
        match flat {
            Flat::Item {
                key,
                level,
                ordered,
                start,
                pieces,
            } => {
                while open.last().is_some_and(|top| top.level > level) {
                    close_top(&mut open, &mut out);
                }
                let continues = open.last().is_some_and(|top| {
                    top.level == level
                        && top.list.ordered == ordered
                        && (top.key == key || level > 0)
                });
                if !continues && open.last().is_some_and(|top| top.level == level) {
                    close_top(&mut open, &mut out);
                }
                if !continues {
                    open.push(Open {
                        key,
                        level,
                        list: List {
                            ordered,
                            start,
                            items: Vec::new(),
                        },
                    });
                }
                if let Some(top) = open.last_mut() {
                    top.list.items.push(vec![Block::Para(pieces)]);
                }
            }
            Flat::Para(pieces, true) if !open.is_empty() => {
                if let Some(item) = open.last_mut().and_then(|top| top.list.items.last_mut()) {
                    item.push(Block::Para(pieces));
                }
            }
            other => {
                while !open.is_empty() {
                    close_top(&mut open, &mut out);
                }
                match other {
                    Flat::Quote(pieces) => match out.last_mut() {
                        Some(Block::Quote(blocks)) => blocks.push(Block::Para(pieces)),
                        _ => out.push(Block::Quote(vec![Block::Para(pieces)])),
                    },
                    Flat::Para(pieces, _) => out.push(Block::Para(pieces)),
                    Flat::Block(block) => out.push(block),
                    Flat::Item { .. } => {}
                }
            }
        }
    }
    while !open.is_empty() {
        close_top(&mut open, &mut out);
    }
    out
}
