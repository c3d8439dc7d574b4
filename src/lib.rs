//! # zhkg
//!
//! zhkg turns Chinese news articles about digital employment in Chinese
//! counties into an RDF knowledge graph with provenance.
//!
//! The text core (reading, segmenting, extracting) is the `zhkg-text`
//! crate, re-exported here; this crate holds the graph side, in pipeline
//! order:
//!
//! - [`ingest`] → [`segment`] → [`extract`] (from `zhkg-text`): bytes →
//!   article → sentences and tokens → entities, mentions, outcomes and
//!   relations;
//! - [`rdf`]: an extraction → RDF quads in the article's named graph
//!   (vocabulary, IRIs, the article-graph builder);
//! - [`store`]: the Oxigraph store (on disk or in memory);
//! - [`build`]: runs the stages over files and folders into the store
//!   (discovery, content stamps, the file index, the JSON-lines stream);
//! - [`sparql`]: named queries and results, export, load;
//! - [`shacl`]: validation of the graph against its shapes;
//! - [`serve`]: the SPARQL endpoint;
//! - [`eval`]: scoring extraction against gold annotations.
//!
//! ```
//! use zhkg::ingest::{ArticleId, IngestOptions, parse_article};
//!
//! let text = "阿里巴巴巨鹿县客户体验中心有当地员工196人。";
//! let article = parse_article(ArticleId::new("demo"), text.as_bytes(), None, &IngestOptions::default())?;
//! let extraction = zhkg::extract::extract(&article);
//! assert!(extraction.entities.values().any(|e| e.label == "巨鹿县" && e.code() == Some(130529)));
//! assert_eq!(extraction.observations[0].metric, "employees");
//! # Result::<_, Box<dyn std::error::Error>>::Ok(())
//! ```

pub mod build;
pub mod error;
pub mod eval;
pub mod rdf;
pub mod serve;
pub mod shacl;
pub mod sparql;
pub mod store;
pub mod table;

pub use error::{Error, Result};
/// The text core's stages, re-exported so that `zhkg::extract` and
/// `zhkg_text::extract` name the same module.
pub use zhkg_text::{extract, ingest, lexicon, segment};
