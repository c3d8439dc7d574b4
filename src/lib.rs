//! # zhkg
//!
//! zhkg turns Chinese news articles about digital employment in Chinese
//! counties into an RDF knowledge graph with provenance.
//!
//! The pipeline has one module per stage, with typed values between them:
//!
//! - [`ingest`]: bytes → [`ingest::Article`] (encoding, markup, script,
//!   furniture, metadata, and a map back to the original characters);
//! - [`segment`]: jieba-rs with the domain dictionary → tokens;
//! - [`extract`]: entities, mentions, outcomes and relations →
//!   [`extract::Extraction`];
//! - [`model`]: an extraction → RDF quads in the article's named graph;
//! - [`store`]: the Oxigraph store (on disk or in memory);
//! - [`query`] and [`export`]: SPARQL and RDF output.
//!
//! [`pipeline`] runs them over files and folders; [`file_index`] lets a
//! rebuild skip unchanged files without reading them.
//!
//! ```
//! use zhkg::ingest::{ArticleId, IngestOptions, parse_article};
//!
//! let text = "阿里巴巴巨鹿县客户体验中心有当地员工196人。";
//! let article = parse_article(ArticleId::new("demo"), text.as_bytes(), None, &IngestOptions::default())?;
//! let extraction = zhkg::extract::extract(&article);
//! assert!(extraction.entities.values().any(|e| e.label == "巨鹿县" && e.code == Some(130529)));
//! assert_eq!(extraction.observations[0].metric, "employees");
//! # Result::<_, Box<dyn std::error::Error>>::Ok(())
//! ```

#![warn(missing_docs)]

pub mod error;
pub mod eval;
pub mod export;
pub mod extract;
pub mod file_index;
pub mod ingest;
pub mod lexicon;
pub mod load;
pub mod model;
pub mod pipeline;
pub mod query;
pub mod segment;
pub mod serve;
pub mod store;
pub mod stream;
pub mod summary;
pub mod validate;

pub use error::{Error, Result};
