//! # zhkg-text
//!
//! The text core of zhkg: from the bytes of a Chinese news article to the
//! entities, outcomes and relations it states, each tied to a sentence and a
//! character span of the original. Nothing here knows RDF or the store; the
//! `zhkg` crate turns an [`extract::Extraction`] into quads.
//!
//! The stages, in pipeline order, with typed values between them:
//!
//! - [`ingest`]: bytes → [`ingest::Article`] (encoding, markup, script,
//!   furniture, metadata, and a map back to the original characters);
//! - [`segment`]: jieba-rs with the domain dictionary → tokens;
//! - [`extract`]: entities, mentions, outcomes and relations →
//!   [`extract::Extraction`];
//!
//! with [`lexicon`] (the gazetteers and word lists every stage reads) and
//! [`error`] (why an article could not be read).
//!
//! ```
//! use zhkg_text::ingest::{ArticleId, IngestOptions, parse_article};
//!
//! let text = "阿里巴巴巨鹿县客户体验中心有当地员工196人。";
//! let article = parse_article(ArticleId::new("demo"), text.as_bytes(), None, &IngestOptions::default())?;
//! let extraction = zhkg_text::extract::extract(&article);
//! assert!(extraction.entities.values().any(|e| e.label == "巨鹿县" && e.code() == Some(130529)));
//! assert_eq!(extraction.observations[0].metric, "employees");
//! # Result::<_, Box<dyn std::error::Error>>::Ok(())
//! ```

pub mod error;
pub mod extract;
pub mod ingest;
pub mod lexicon;
pub mod segment;

pub use error::IngestError;

/// A fingerprint of this crate's code and data (see `build.rs`): it changes
/// whenever an extractor, a lexicon or the ingest rules change, so that a
/// store built by an older extractor is rebuilt.
pub const FINGERPRINT: &str = env!("ZHKG_TEXT_FINGERPRINT");
