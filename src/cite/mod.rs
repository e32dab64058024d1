//! The citation model: sources (CSL-JSON records), citation markers found in brief bodies, and the
//! formatting of notes and references. `load` uses the model and the marker parser; `render` uses
//! the formatter; nothing here reaches back into either.

pub mod bibliography;
pub mod bibtex;
mod cache;
mod cluster;
pub mod export;
mod html;
mod locator;
pub mod markers;
mod reference;
pub mod source;
pub mod style;

pub use source::Source;
