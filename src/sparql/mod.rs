//! SPARQL and RDF in and out of the store: [`query`] (named queries and
//! ad-hoc SPARQL, with the results writers), [`export`] (the store as
//! Turtle, N-Quads, JSON-LD… or canonical N-Quads), [`load`] (RDF files
//! into named graphs), [`partition`] (pages of a listing read one
//! partition at a time) and [`order`] (the order of ORDER BY, for rows
//! sorted outside the store).

pub mod export;
pub mod load;
pub mod order;
pub mod partition;
pub mod query;
