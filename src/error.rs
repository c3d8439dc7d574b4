//! Error types. Each stage has its own enum; [`Error`] wraps them for callers
//! that run the whole pipeline. Messages are lower-case, say what went wrong,
//! and where it helps, what to do.

use std::path::PathBuf;

pub use zhkg_text::error::IngestError;

/// Errors of the RDF store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Opening the store failed.
    #[error("cannot open the store at {path}: {source}")]
    Open {
        /// Where the store was looked for.
        path: PathBuf,
        /// Why it failed.
        #[source]
        source: oxigraph::store::StorageError,
    },
    /// Another process holds the store's write lock.
    #[error(
        "the store {} is locked by another zhkg process{}: wait for it to finish or use another --store (zhkg query and export can read it meanwhile)",
        path.display(),
        pid.map(|p| format!(" (pid {p})")).unwrap_or_default()
    )]
    Locked {
        /// The store.
        path: PathBuf,
        /// The process that opened it for writing, when it left its pid.
        pid: Option<u32>,
    },
    /// A storage operation failed.
    #[error(transparent)]
    Storage(#[from] oxigraph::store::StorageError),
    /// Loading RDF into the store failed.
    #[error(transparent)]
    Load(#[from] oxigraph::store::LoaderError),
    /// Writing RDF failed.
    #[error(transparent)]
    Serialize(#[from] oxigraph::store::SerializerError),
    /// Canonicalisation (RDFC-1.0) failed, e.g. on a graph of blank nodes
    /// too symmetric to label within the algorithm's safeguards.
    #[error("cannot canonicalise the graph: {0}")]
    Canonical(String),
    /// Writing the output failed.
    #[error("cannot write: {0}")]
    Write(#[source] std::io::Error),
}

/// Errors of SPARQL queries.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    /// The query text is not valid SPARQL.
    #[error("SPARQL syntax error at line {line}, column {column}: {message}\n{snippet}")]
    Syntax {
        /// One-based line.
        line: u64,
        /// One-based column.
        column: u64,
        /// The parser's message.
        message: String,
        /// The offending line with a caret under the column.
        snippet: String,
    },
    /// No named query of that name exists.
    #[error("no named query {0:?}: `zhkg query --list` shows the available ones")]
    UnknownName(String),
    /// A query parameter is unknown or has no value.
    #[error("{0}")]
    Param(String),
    /// The query is an update and updates were not allowed.
    #[error("this is a SPARQL update; zhkg query only reads unless --update is given")]
    UpdateRefused,
    /// A query's `# pages` line is malformed, or the query cannot be read
    /// by the partitions it declares.
    #[error("{0}")]
    Partition(String),
    /// `--limit`/`--offset` was given for an ASK query.
    #[error("an ASK query has one answer, true or false: --limit and --offset do not apply")]
    AskHasNoPage,
    /// Evaluation failed.
    #[error("query evaluation failed: {0}")]
    Evaluation(#[from] oxigraph::sparql::QueryEvaluationError),
    /// Writing the results failed.
    #[error("cannot write query results: {0}")]
    Write(#[from] std::io::Error),
    /// An update failed.
    #[error("update failed: {0}")]
    Update(#[from] oxigraph::sparql::UpdateEvaluationError),
}

/// Any error of the zhkg library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading an article failed.
    #[error("{path}: {source}")]
    Ingest {
        /// The article file.
        path: PathBuf,
        /// Why.
        #[source]
        source: IngestError,
    },
    /// A store operation failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A query failed.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// Building RDF terms failed (an invalid IRI).
    #[error("invalid IRI {iri:?}: {message}")]
    Iri {
        /// The IRI.
        iri: String,
        /// The parser's message.
        message: String,
    },
    /// Plain I/O.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// Reading gold or predicted summaries failed.
    #[error(transparent)]
    Eval(#[from] crate::eval::EvalError),
}

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
