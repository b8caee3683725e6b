//! plansite: compiles structured Markdown + YAML policy plans into a bilingual, cross-linked
//! static site where every policy traces to its goal.
//!
//! The pipeline runs one way: [`config`] → [`load`] → [`graph`] → [`markdown`]/[`render`] →
//! [`output`]; [`check`] and [`review`] read the same graph. Only [`output`] writes files.

// A `Diagnostic` is the error value of several small helpers; boxing it would only add noise.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod check;
pub mod config;
pub mod dates;
pub mod diagnostic;
pub mod diagram;
pub mod graph;
pub mod ground;
pub mod incremental;
pub mod list;
pub mod load;
pub mod markdown;
pub mod metrics;
pub mod model;
pub mod output;
pub mod render;
pub mod review;
pub mod schema;
pub mod search;
#[cfg(feature = "serve")]
pub mod serve;
pub mod site;
pub mod source;
pub mod stamp;
pub mod trace;
