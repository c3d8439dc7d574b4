//! zhkg's integration tests, as one test binary (one link of the store, not
//! one per file): the library on the seed articles and the `zhkg` binary,
//! one module per concern.
//!
//! Extraction cases on single sentences live with the extractors, in the
//! `zhkg-text` crate's table tests; these tests need the graph side.

mod common;

mod bad_input;
mod browser;
mod crash;
mod export;
mod integration;
mod load;
mod pages;
mod properties;
mod serve;
mod store_errors;
mod stream;
mod validate;
