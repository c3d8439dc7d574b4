//! Export: the store as Turtle (default), N-Triples, N-Quads, TriG, RDF/XML or
//! JSON-LD, with the vocabulary's prefixes. Output is deterministic: quads are
//! sorted before writing, so the same store gives byte-identical files.
//! Triple formats merge the article graphs (duplicates removed); quad formats
//! keep one named graph per article.

use std::io::Write;

use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, Quad, Triple};

use crate::error::StoreError;
use crate::model::vocab::{ONTOLOGY_GRAPH, PREFIXES};
use crate::store::GraphStore;

/// What to export.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Only this named graph.
    pub graph: Option<NamedNode>,
    /// Include the ontology graph.
    pub include_ontology: bool,
}

/// Parses a format name (`turtle`, `ttl`, `ntriples`, `nt`, `nquads`, `nq`,
/// `trig`, `rdfxml`, `xml`, `jsonld`).
pub fn format_by_name(name: &str) -> Option<RdfFormat> {
    Some(match name.to_ascii_lowercase().as_str() {
        "turtle" | "ttl" => RdfFormat::Turtle,
        "ntriples" | "nt" | "n-triples" => RdfFormat::NTriples,
        "nquads" | "nq" | "n-quads" => RdfFormat::NQuads,
        "trig" => RdfFormat::TriG,
        "rdfxml" | "rdf" | "xml" | "rdf/xml" => RdfFormat::RdfXml,
        "jsonld" | "json-ld" | "json" => RdfFormat::JsonLd {
            profile: JsonLdProfileSet::empty(),
        },
        _ => return None,
    })
}

/// The quads to export, sorted.
pub fn collect(store: &GraphStore, opts: &ExportOptions) -> Result<Vec<Quad>, StoreError> {
    let ontology = NamedNode::new_unchecked(ONTOLOGY_GRAPH);
    let graph = opts.graph.as_ref().map(|g| GraphName::NamedNode(g.clone()));
    let mut quads = Vec::new();
    for q in
        store
            .inner()
            .quads_for_pattern(None, None, None, graph.as_ref().map(GraphName::as_ref))
    {
        let q = q?;
        if !opts.include_ontology && q.graph_name == GraphName::NamedNode(ontology.clone()) {
            continue;
        }
        quads.push(q);
    }
    quads.sort_by_cached_key(|q| {
        (
            q.graph_name.to_string(),
            q.subject.to_string(),
            q.predicate.to_string(),
            q.object.to_string(),
        )
    });
    Ok(quads)
}

/// Writes the store in `format` to `out`.
pub fn export(
    store: &GraphStore,
    format: RdfFormat,
    opts: &ExportOptions,
    out: impl Write,
) -> Result<(), StoreError> {
    let quads = collect(store, opts)?;
    write_quads(&quads, format, out)
}

/// Writes quads in `format` (merging graphs for triple formats).
pub fn write_quads(quads: &[Quad], format: RdfFormat, out: impl Write) -> Result<(), StoreError> {
    let mut ser = RdfSerializer::from_format(format);
    for (p, ns) in PREFIXES {
        ser = ser.with_prefix(*p, *ns).expect("valid prefix IRIs");
    }
    let mut w = ser.for_writer(out);
    if format.supports_datasets() {
        for q in quads {
            w.serialize_quad(q)
                .map_err(oxigraph::store::SerializerError::from)?;
        }
    } else {
        let mut triples: Vec<Triple> = quads
            .iter()
            .map(|q| Triple::new(q.subject.clone(), q.predicate.clone(), q.object.clone()))
            .collect();
        triples.sort_by_cached_key(|t| {
            (
                t.subject.to_string(),
                t.predicate.to_string(),
                t.object.to_string(),
            )
        });
        triples.dedup();
        for t in &triples {
            w.serialize_triple(t)
                .map_err(oxigraph::store::SerializerError::from)?;
        }
    }
    w.finish().map_err(oxigraph::store::SerializerError::from)?;
    Ok(())
}
