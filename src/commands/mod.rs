//! One file per command.

pub mod build;
pub mod check;
mod external;
pub mod fara;
pub mod import;
pub mod init;
pub mod new;
pub mod schema;
pub mod serve;
