//! The document's own images: found in its blocks, extracted from the package under safe,
//! unique names.

use std::collections::{HashMap, HashSet};

use super::model::{Atom, Block, Piece};
use super::package::{Package, Problem};
use super::parts::Parts;

/// The document's own images (their targets in the package, each once) and the anchors its links
/// lead to.
pub(super) fn images_and_anchors(parts: &Parts) -> (Vec<String>, HashSet<String>) {
    let mut targets = Vec::new();
    let mut linked = HashSet::new();
    walk_pieces(&parts.body, &mut |p| visit(p, &mut targets, &mut linked));
    for blocks in parts.notes.values() {
        walk_pieces(blocks, &mut |p| visit(p, &mut targets, &mut linked));
    }
    (targets, linked)
}

/// The images `targets`, extracted under static/images/<slug>/: each target's link, relative to
/// the brief's page, and the files to write (by name). A missing image is counted in the report.
#[allow(clippy::type_complexity)]
pub(super) fn extract_images(
    package: &mut Package,
    parts: &mut Parts,
    targets: Vec<String>,
    slug: &str,
) -> Result<(HashMap<String, String>, Vec<(String, Vec<u8>)>), Problem> {
    let mut images = HashMap::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut names = HashSet::new();
    for target in targets {
        let Some(bytes) = package.media(&target)? else {
            parts.report.missing_images += 1;
            continue;
        };
        let name = image_name(&target, &mut names);
        images.insert(target, format!("../images/{slug}/{name}"));
        files.push((name, bytes));
    }
    Ok((images, files))
}

fn walk_pieces(blocks: &[Block], f: &mut dyn FnMut(&Piece)) {
    for block in blocks {
        match block {
            Block::Para(pieces) | Block::Heading(_, pieces) => pieces.iter().for_each(&mut *f),
            Block::Quote(blocks) => walk_pieces(blocks, f),
            Block::List(list) => list.items.iter().for_each(|item| walk_pieces(item, f)),
            Block::Table(table) => table
                .rows
                .iter()
                .flatten()
                .for_each(|cell| walk_pieces(&cell.blocks, f)),
        }
    }
}

fn visit(piece: &Piece, targets: &mut Vec<String>, linked: &mut HashSet<String>) {
    if let Atom::Image(image) = &piece.atom
        && !image.external
        && !targets.contains(&image.target)
    {
        targets.push(image.target.clone());
    }
    if let Some(anchor) = piece.link.as_deref().and_then(|l| l.strip_prefix('#')) {
        linked.insert(anchor.to_owned());
    }
}

/// A safe, unique file name for an image: its own name's letters, digits, `.`, `-` and `_`.
fn image_name(target: &str, taken: &mut HashSet<String>) -> String {
    let base = target.rsplit('/').next().unwrap_or(target);
    let (stem, ext) = base.rsplit_once('.').unwrap_or((base, "bin"));
    let clean = |s: &str, max: usize| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .take(max)
            .collect::<String>()
            .trim_matches('-')
            .to_owned()
    };
    let stem = match clean(stem, 60) {
        s if s.is_empty() => "image".to_owned(),
        s => s,
    };
    let ext = match clean(ext, 8) {
        e if e.is_empty() => "bin".to_owned(),
        e => e,
    };
    let mut name = format!("{stem}.{ext}");
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{stem}-{n}.{ext}");
        n += 1;
    }
    name
}
