//! Loading RDF files back into the store (`zhkg load`): corrections,
//! exports of another store, or data to join with the articles.
//!
//! Each file goes into its own named graph, by default
//! `https://w3id.org/zhkg/graph/loaded/<file stem>`; N-Quads and TriG files
//! keep the graph names they state (their default-graph triples go to the
//! file's graph). A file is parsed completely before anything is written,
//! then its graphs are replaced in one transaction: loading the same file
//! again replaces what it loaded before, and a file with a syntax error
//! leaves the store unchanged. Queries see loaded graphs like article graphs,
//! since their default graph is the union of all named graphs.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use oxigraph::io::{RdfFormat, RdfParser, RdfSyntaxError};
use oxigraph::model::{GraphName, NamedNode, Quad};

use crate::error::StoreError;
use crate::rdf::vocab::ONTOLOGY_GRAPH;
use crate::store::GraphStore;

/// The namespace of the graphs files are loaded into.
pub const LOADED_GRAPH_BASE: &str = "https://w3id.org/zhkg/graph/loaded/";

/// How to load files.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// The RDF syntax of every file (default: from each file's extension).
    pub format: Option<RdfFormat>,
    /// Put every quad of every file into this graph, whatever the file says.
    pub graph: Option<NamedNode>,
}

/// What one file added.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The file.
    pub path: PathBuf,
    /// The graphs it replaced, sorted.
    pub graphs: Vec<NamedNode>,
    /// How many quads it holds.
    pub quads: usize,
}

/// Why a file could not be loaded. The store is unchanged for that file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file's RDF syntax is unknown.
    #[error(
        "{}: cannot tell the RDF syntax from the file name: use a .ttl, .nt, .nq, .trig, .rdf or .jsonld extension, or --format",
        path.display()
    )]
    UnknownFormat {
        /// The file.
        path: PathBuf,
    },
    /// The file could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid RDF.
    #[error("{}:{line}:{column}: {message} (nothing from this file was loaded)", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// One-based line.
        line: u64,
        /// One-based column (in characters).
        column: u64,
        /// The parser's message.
        message: String,
    },
    /// The file names a graph that is not allowed.
    #[error("{}: {message}", path.display())]
    Graph {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Writing to the store failed.
    #[error("{}: {source}", path.display())]
    Store {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: StoreError,
    },
}

/// The graph a file is loaded into by default: [`LOADED_GRAPH_BASE`] plus
/// its file stem (percent-encoded).
pub fn default_graph_for(path: &Path) -> NamedNode {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "file".to_owned());
    NamedNode::new_unchecked(format!(
        "{LOADED_GRAPH_BASE}{}",
        crate::rdf::iri::encode_segment(&stem)
    ))
}

/// The syntax of a file from its extension (`.ttl`, `.nt`, `.nq`, `.trig`,
/// `.rdf`/`.owl`/`.xml`, `.jsonld`/`.json`). Not `.txt`, which oxrdfio
/// would read as N-Triples: here it is an article.
pub fn format_for(path: &Path) -> Option<RdfFormat> {
    crate::sparql::export::format_by_name(path.extension()?.to_str()?)
}

/// Loads one file into the store (see the module documentation).
pub fn load_file(store: &GraphStore, path: &Path, opts: &LoadOptions) -> Result<Loaded, LoadError> {
    let format =
        opts.format
            .or_else(|| format_for(path))
            .ok_or_else(|| LoadError::UnknownFormat {
                path: path.to_path_buf(),
            })?;
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let target = opts
        .graph
        .clone()
        .unwrap_or_else(|| default_graph_for(path));
    let mut quads = Vec::new();
    for q in RdfParser::from_format(format).for_slice(&bytes) {
        let mut q = q.map_err(|e| syntax_error(path, e))?;
        if opts.graph.is_some() || q.graph_name.is_default_graph() {
            q.graph_name = target.clone().into();
        }
        quads.push(q);
    }
    let mut graphs = BTreeSet::new();
    graphs.insert(target.clone());
    for q in &quads {
        match &q.graph_name {
            GraphName::NamedNode(n) => {
                graphs.insert(n.clone());
            }
            GraphName::BlankNode(_) => {
                return Err(LoadError::Graph {
                    path: path.to_path_buf(),
                    message: "a graph is named by a blank node, which cannot be replaced on a later load: give the graphs IRIs or use --graph".to_owned(),
                });
            }
            GraphName::DefaultGraph => {}
        }
    }
    if graphs.iter().any(|g| g.as_str() == ONTOLOGY_GRAPH) {
        return Err(LoadError::Graph {
            path: path.to_path_buf(),
            message: format!(
                "the file writes into the ontology graph <{ONTOLOGY_GRAPH}>, which zhkg rewrites on every start: use another graph name"
            ),
        });
    }
    // Only the graphs that received quads (and the target, emptied when the
    // file is empty) are replaced.
    let graphs: Vec<NamedNode> = graphs
        .into_iter()
        .filter(|g| *g == target || quads.iter().any(|q| q.graph_name == g.as_ref().into()))
        .collect();
    write(store, &graphs, &quads).map_err(|source| LoadError::Store {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(Loaded {
        path: path.to_path_buf(),
        graphs,
        quads: quads.len(),
    })
}

fn write(store: &GraphStore, graphs: &[NamedNode], quads: &[Quad]) -> Result<(), StoreError> {
    let mut tx = store.inner().start_transaction()?;
    for g in graphs {
        tx.clear_graph(g.as_ref())?;
        tx.insert_named_graph(g.as_ref());
    }
    tx.extend(quads.iter().map(Quad::as_ref));
    tx.commit()?;
    Ok(())
}

fn syntax_error(path: &Path, e: RdfSyntaxError) -> LoadError {
    let (line, column) = e
        .location()
        .map_or((1, 1), |r| (r.start.line + 1, r.start.column + 1));
    let raw = e.to_string();
    // The position is in our prefix already.
    let message = match raw.split_once(": ") {
        Some((head, rest)) if head.starts_with("Parser error") => rest.to_owned(),
        _ => raw,
    };
    LoadError::Syntax {
        path: path.to_path_buf(),
        line,
        column,
        message,
    }
}

/// Loads files one after the other; a failed file does not stop the others.
pub fn load_files(
    store: &GraphStore,
    paths: &[PathBuf],
    opts: &LoadOptions,
) -> Vec<Result<Loaded, LoadError>> {
    paths.iter().map(|p| load_file(store, p, opts)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_graphs_come_from_the_file_stem() {
        assert_eq!(
            default_graph_for(Path::new("fixes/巨鹿 fix.ttl")).as_str(),
            format!(
                "{LOADED_GRAPH_BASE}{}",
                crate::rdf::iri::encode_segment("巨鹿 fix")
            )
        );
        assert!(NamedNode::new(default_graph_for(Path::new("a b.nq")).as_str()).is_ok());
        assert_eq!(format_for(Path::new("x.TTL")), Some(RdfFormat::Turtle));
        assert_eq!(format_for(Path::new("x.nq")), Some(RdfFormat::NQuads));
        assert_eq!(format_for(Path::new("x.txt")), None);
    }
}
