//! Export: the store as Turtle (default), N-Triples, N-Quads, TriG, RDF/XML or
//! JSON-LD, with the vocabulary's prefixes; canonical N-Quads (RDFC-1.0); and
//! one file per named graph.
//!
//! Output is deterministic: the same content gives byte-identical files. The
//! store's iteration order is not relied on (the in-memory and RocksDB
//! back-ends differ), so quads are sorted. The line formats (N-Triples,
//! N-Quads) are written one named graph at a time, each sorted on its own,
//! which bounds memory by the largest graph (one article, or the shared
//! entities graph) instead of the whole store. Triple formats merge the
//! article graphs (duplicates removed); quad formats keep one named graph per
//! article.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::{
    GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, NamedOrBlankNodeRef, Quad, QuadRef, Term,
    TermRef, Triple,
};
use sha2::{Digest, Sha256};
use sophia_api::MownStr;
use sophia_api::dataset::MutableDataset;
use sophia_api::term::{BnodeId, IriRef, LanguageTag, SimpleTerm};

use crate::error::StoreError;
use crate::rdf::vocab::{ENTITIES_GRAPH, ONTOLOGY_GRAPH, PREFIXES};
use crate::store::GraphStore;

/// What to export.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Only this named graph.
    pub graph: Option<NamedNode>,
    /// Include the ontology graph.
    pub include_ontology: bool,
    /// Write canonical N-Quads (RDFC-1.0: blank nodes relabelled
    /// canonically, lines in code point order) whatever the format.
    pub canonical: bool,
}

/// Parses a format name (`turtle`, `ttl`, `ntriples`, `nt`, `nquads`, `nq`,
/// `trig`, `rdfxml`, `xml`, `jsonld`).
pub fn format_by_name(name: &str) -> Option<RdfFormat> {
    Some(match name.to_ascii_lowercase().as_str() {
        "turtle" | "ttl" => RdfFormat::Turtle,
        "ntriples" | "nt" | "n-triples" => RdfFormat::NTriples,
        "nquads" | "nq" | "n-quads" => RdfFormat::NQuads,
        "trig" => RdfFormat::TriG,
        "rdfxml" | "rdf" | "xml" | "rdf/xml" | "owl" => RdfFormat::RdfXml,
        "jsonld" | "json-ld" | "json" => RdfFormat::JsonLd {
            profile: JsonLdProfileSet::empty(),
        },
        _ => return None,
    })
}

/// The graphs to export, in output order (sorted by their N-Quads form, the
/// default graph last, as a global sort of the quads would put them).
pub fn graphs(store: &GraphStore, opts: &ExportOptions) -> Result<Vec<GraphName>, StoreError> {
    if let Some(g) = &opts.graph {
        return Ok(vec![GraphName::NamedNode(g.clone())]);
    }
    let ontology = NamedNode::new_unchecked(ONTOLOGY_GRAPH);
    let mut names = Vec::new();
    for g in store.inner().named_graphs() {
        let g = match g? {
            NamedOrBlankNode::NamedNode(n) => {
                if !opts.include_ontology && n == ontology {
                    continue;
                }
                GraphName::NamedNode(n)
            }
            NamedOrBlankNode::BlankNode(b) => GraphName::BlankNode(b),
            #[allow(unreachable_patterns)]
            _ => continue,
        };
        names.push(g);
    }
    if store
        .inner()
        .quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph))
        .next()
        .is_some()
    {
        names.push(GraphName::DefaultGraph);
    }
    names.sort_by_cached_key(ToString::to_string);
    Ok(names)
}

/// The quads of one graph, sorted by subject, predicate and object.
pub fn graph_quads(store: &GraphStore, graph: &GraphName) -> Result<Vec<Quad>, StoreError> {
    let mut quads = store
        .inner()
        .quads_for_pattern(None, None, None, Some(graph.as_ref()))
        .collect::<Result<Vec<_>, _>>()?;
    quads.sort_by_cached_key(|q| {
        (
            q.subject.to_string(),
            q.predicate.to_string(),
            q.object.to_string(),
        )
    });
    Ok(quads)
}

/// The quads to export, sorted (the whole selection in memory).
pub fn collect(store: &GraphStore, opts: &ExportOptions) -> Result<Vec<Quad>, StoreError> {
    let mut quads = Vec::new();
    for g in graphs(store, opts)? {
        quads.extend(graph_quads(store, &g)?);
    }
    Ok(quads)
}

/// Writes the store in `format` to `out` (canonical N-Quads when
/// `opts.canonical`).
pub fn export(
    store: &GraphStore,
    format: RdfFormat,
    opts: &ExportOptions,
    out: impl Write,
) -> Result<(), StoreError> {
    if opts.canonical {
        return write_canonical(&collect(store, opts)?, out);
    }
    match format {
        RdfFormat::NQuads | RdfFormat::NTriples => stream_lines(store, format, opts, out),
        _ => write_quads(&collect(store, opts)?, format, out),
    }
}

/// N-Triples and N-Quads, one graph at a time. N-Triples drops a triple
/// already written for an earlier graph (remembered by a 128-bit digest).
fn stream_lines(
    store: &GraphStore,
    format: RdfFormat,
    opts: &ExportOptions,
    out: impl Write,
) -> Result<(), StoreError> {
    let mut w = RdfSerializer::from_format(format).for_writer(out);
    let mut seen: HashSet<[u8; 16]> = HashSet::new();
    for g in graphs(store, opts)? {
        for q in graph_quads(store, &g)? {
            if format.supports_datasets() {
                w.serialize_quad(&q)
                    .map_err(oxigraph::store::SerializerError::from)?;
            } else {
                let t = Triple::new(q.subject, q.predicate, q.object);
                let digest = Sha256::digest(t.to_string().as_bytes());
                let mut key = [0; 16];
                key.copy_from_slice(&digest[..16]);
                if seen.insert(key) {
                    w.serialize_triple(&t)
                        .map_err(oxigraph::store::SerializerError::from)?;
                }
            }
        }
    }
    w.finish().map_err(oxigraph::store::SerializerError::from)?;
    Ok(())
}

/// Writes quads in `format` (merging graphs for triple formats).
pub fn write_quads(quads: &[Quad], format: RdfFormat, out: impl Write) -> Result<(), StoreError> {
    if let RdfFormat::JsonLd { .. } = format {
        return write_jsonld(quads, out);
    }
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

/// Appends `quads` to `out` as N-Quads lines, byte for byte what Oxigraph's
/// N-Quads serializer writes, without its formatting machinery: the map step
/// of `zhkg extract --jsonl` writes every quad of every article this way.
pub fn append_nquads<'a>(quads: impl IntoIterator<Item = QuadRef<'a>>, out: &mut Vec<u8>) {
    for q in quads {
        push_subject(q.subject, out);
        out.push(b' ');
        push_iri(q.predicate.as_str(), out);
        out.push(b' ');
        push_term(q.object, out);
        match q.graph_name {
            GraphNameRef::NamedNode(n) => {
                out.push(b' ');
                push_iri(n.as_str(), out);
            }
            GraphNameRef::BlankNode(b) => {
                out.push(b' ');
                push_blank(b.as_str(), out);
            }
            GraphNameRef::DefaultGraph => {}
        }
        out.extend_from_slice(b" .\n");
    }
}

/// Appends term `t` as N-Quads writes it.
pub fn push_term(t: TermRef<'_>, out: &mut Vec<u8>) {
    match t {
        TermRef::NamedNode(n) => push_iri(n.as_str(), out),
        TermRef::BlankNode(b) => push_blank(b.as_str(), out),
        TermRef::Literal(l) => {
            push_quoted(l.value(), out);
            if let Some(lang) = l.language() {
                out.push(b'@');
                out.extend_from_slice(lang.as_bytes());
            } else if l.datatype() != oxigraph::model::vocab::xsd::STRING {
                out.extend_from_slice(b"^^");
                push_iri(l.datatype().as_str(), out);
            }
        }
        #[allow(unreachable_patterns)]
        other => out.extend_from_slice(other.to_string().as_bytes()),
    }
}

fn push_subject(s: NamedOrBlankNodeRef<'_>, out: &mut Vec<u8>) {
    match s {
        NamedOrBlankNodeRef::NamedNode(n) => push_iri(n.as_str(), out),
        NamedOrBlankNodeRef::BlankNode(b) => push_blank(b.as_str(), out),
    }
}

fn push_iri(iri: &str, out: &mut Vec<u8>) {
    out.push(b'<');
    out.extend_from_slice(iri.as_bytes());
    out.push(b'>');
}

fn push_blank(id: &str, out: &mut Vec<u8>) {
    out.extend_from_slice(b"_:");
    out.extend_from_slice(id.as_bytes());
}

/// A quoted N-Quads string, escaped as `oxrdf::literal::print_quoted_str` does.
///
/// The bytes are read, not the characters: every character that needs an
/// escape is an ASCII control, `"`, `\`, DEL, or one of the noncharacters
/// U+FFFE and U+FFFF (EF BF BE, EF BF BF), so runs of other bytes are copied
/// whole (an article's text is the longest literal of its graph). Blocks of
/// [`BLOCK`] bytes are passed over at once while none may start an escape
/// ([`may_need_escape`]).
fn push_quoted(value: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    let bytes = value.as_bytes();
    let (mut plain, mut i) = (0, 0);
    while i < bytes.len() {
        if let Some(block) = bytes.get(i..=i + BLOCK)
            && !may_need_escape(block)
        {
            i += BLOCK;
            continue;
        }
        // A block that may hold an escape, or the last bytes: byte by byte.
        let end = (i + BLOCK).min(bytes.len());
        while i < end {
            let b = bytes[i];
            let special = b < 0x20
                || matches!(b, b'"' | b'\\' | 0x7F)
                || (b == 0xEF
                    && bytes.get(i + 1) == Some(&0xBF)
                    && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)));
            if !special {
                i += 1;
                continue;
            }
            out.extend_from_slice(&bytes[plain..i]);
            let c = value[i..]
                .chars()
                .next()
                .expect("a character starts at a lead byte");
            match c {
                '\u{8}' => out.extend_from_slice(b"\\b"),
                '\t' => out.extend_from_slice(b"\\t"),
                '\n' => out.extend_from_slice(b"\\n"),
                '\u{C}' => out.extend_from_slice(b"\\f"),
                '\r' => out.extend_from_slice(b"\\r"),
                '"' => out.extend_from_slice(b"\\\""),
                '\\' => out.extend_from_slice(b"\\\\"),
                _ => out.extend_from_slice(format!("\\u{:04X}", u32::from(c)).as_bytes()),
            }
            i += c.len_utf8();
            plain = i;
        }
    }
    out.extend_from_slice(&bytes[plain..]);
    out.push(b'"');
}

/// The bytes [`push_quoted`] tests at once.
const BLOCK: usize = 16;

/// True when one of the first [`BLOCK`] bytes of `block` (which holds one
/// more, the byte after them) may start an escape: an ASCII control, `"`,
/// `\`, DEL, or EF followed by BF (the first two bytes of U+FFFE and
/// U+FFFF; the third is looked at byte by byte). Every byte is tested,
/// without stopping at the first, so that the compiler tests them side by
/// side: some thirty instructions a block, where the test byte by byte took
/// ten a byte (the writing of a Chinese text's literals was a fortieth of
/// extract's work).
fn may_need_escape(block: &[u8]) -> bool {
    let (Some(bytes), Some(next)) = (
        block.first_chunk::<BLOCK>(),
        block.get(1..).and_then(<[u8]>::first_chunk::<BLOCK>),
    ) else {
        return true;
    };
    // One fold per test: folded together, the compiler tested `"`, `\` and
    // DEL by shifting a bit mask, at three times the instructions.
    let any = |x: u8| bytes.iter().fold(false, |found, &b| found | (b == x));
    let control = bytes.iter().fold(false, |found, &b| found | (b < 0x20));
    let nonchar =
        (bytes.iter().zip(next)).fold(false, |found, (&b, &n)| found | ((b == 0xEF) & (n == 0xBF)));
    control | any(b'"') | any(b'\\') | any(0x7F) | nonchar
}

/// Writes quads as JSON-LD with the vocabulary's prefixes as `@context`
/// (oxrdfio's generic serializer drops prefixes for JSON-LD, so oxjsonld is
/// used directly). Terms are written as full IRIs: the context declares the
/// prefixes for consumers that compact, see `ontology/context.jsonld`.
fn write_jsonld(quads: &[Quad], out: impl Write) -> Result<(), StoreError> {
    let mut ser = oxjsonld::JsonLdSerializer::new();
    for (p, ns) in PREFIXES {
        ser = ser.with_prefix(*p, *ns).expect("valid prefix IRIs");
    }
    let mut w = ser.for_writer(out);
    for q in quads {
        w.serialize_quad(q)
            .map_err(|e| StoreError::Serialize(e.into()))?;
    }
    w.finish().map_err(|e| StoreError::Serialize(e.into()))?;
    Ok(())
}

/// Writes quads as canonical N-Quads (RDFC-1.0 with SHA-256, via
/// `sophia_c14n`): the same dataset always gives the same bytes, whatever
/// its blank node labels and order.
pub fn write_canonical(quads: &[Quad], out: impl Write) -> Result<(), StoreError> {
    let mut ds = sophia_inmem::dataset::FastDataset::new();
    for q in quads {
        let g = match &q.graph_name {
            GraphName::NamedNode(n) => Some(iri(n.as_str())),
            GraphName::BlankNode(b) => Some(bnode(b.as_str())),
            GraphName::DefaultGraph => None,
        };
        ds.insert(
            to_sophia(&q.subject.clone().into()),
            iri(q.predicate.as_str()),
            to_sophia(&q.object),
            g,
        )
        .map_err(|e| StoreError::Canonical(e.to_string()))?;
    }
    sophia_c14n::rdfc10::normalize(&ds, out).map_err(|e| match e {
        sophia_c14n::C14nError::Io(e) => StoreError::Write(e),
        e => StoreError::Canonical(e.to_string()),
    })
}

fn iri(s: &str) -> SimpleTerm<'static> {
    SimpleTerm::Iri(IriRef::new_unchecked(MownStr::from(s.to_owned())))
}

fn bnode(s: &str) -> SimpleTerm<'static> {
    SimpleTerm::BlankNode(BnodeId::new_unchecked(MownStr::from(s.to_owned())))
}

/// True when the triples of `a` and `b` (graph names ignored, duplicates
/// removed) form isomorphic graphs, blank nodes matched up (sophia's
/// isomorphism check): compares an export with the store it came from, or
/// two builds.
pub fn isomorphic_triples(a: &[Quad], b: &[Quad]) -> bool {
    let triples = |quads: &[Quad]| {
        let mut v: Vec<[SimpleTerm<'static>; 3]> = quads
            .iter()
            .map(|q| {
                [
                    to_sophia(&q.subject.clone().into()),
                    to_sophia(&q.predicate.clone().into()),
                    to_sophia(&q.object),
                ]
            })
            .collect();
        v.sort_by_key(|t| format!("{t:?}"));
        v.dedup();
        v
    };
    let (a, b) = (triples(a), triples(b));
    a.len() == b.len() && sophia_isomorphism::isomorphic_graphs(&a, &b).unwrap_or(false)
}

fn to_sophia(t: &Term) -> SimpleTerm<'static> {
    match t {
        Term::NamedNode(n) => iri(n.as_str()),
        Term::BlankNode(b) => bnode(b.as_str()),
        Term::Literal(l) => match l.language() {
            Some(lang) => SimpleTerm::LiteralLanguage(
                MownStr::from(l.value().to_owned()),
                LanguageTag::new_unchecked(MownStr::from(lang.to_owned())),
                None,
            ),
            None => SimpleTerm::LiteralDatatype(
                MownStr::from(l.value().to_owned()),
                IriRef::new_unchecked(MownStr::from(l.datatype().as_str().to_owned())),
            ),
        },
        // RDF 1.2 triple terms are not produced by zhkg; write them as an
        // opaque literal rather than panic.
        #[allow(unreachable_patterns)]
        other => SimpleTerm::LiteralDatatype(
            MownStr::from(other.to_string()),
            IriRef::new_unchecked(MownStr::from(crate::rdf::vocab::xsd::STRING.to_owned())),
        ),
    }
}

/// The JSON-LD context of zhkg (`ontology/context.jsonld`): the
/// vocabulary's prefixes, plus one term per class and property the ontology
/// declares in the zhkg namespace (object properties typed `@id`; a term
/// named like a prefix is left out), so that
/// JSON-LD consumers can compact zhkg data to short keys.
pub fn jsonld_context() -> serde_json::Value {
    use crate::rdf::vocab::{owl, rdf, zhkg};
    let mut ctx = serde_json::Map::new();
    for (p, ns) in PREFIXES {
        ctx.insert((*p).to_owned(), serde_json::Value::from(*ns));
    }
    let quads = oxigraph::io::RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(crate::store::ONTOLOGY.as_bytes())
        .filter_map(Result::ok);
    for q in quads {
        if q.predicate.as_str() != rdf::TYPE {
            continue;
        }
        let (NamedOrBlankNode::NamedNode(s), Term::NamedNode(kind)) = (&q.subject, &q.object)
        else {
            continue;
        };
        // A term named like a prefix (`metric`, `unit`) stays `zhkg:metric`.
        let Some(local) = s
            .as_str()
            .strip_prefix(zhkg::NS)
            .filter(|l| !PREFIXES.iter().any(|(p, _)| p == l))
        else {
            continue;
        };
        let value = match kind.as_str().strip_prefix(owl::NS) {
            Some("ObjectProperty") => {
                serde_json::json!({"@id": format!("zhkg:{local}"), "@type": "@id"})
            }
            Some("Class" | "DatatypeProperty" | "AnnotationProperty" | "NamedIndividual") => {
                serde_json::Value::from(format!("zhkg:{local}"))
            }
            _ => continue,
        };
        // An object property wins over another declaration of the same term.
        if !ctx.get(local).is_some_and(serde_json::Value::is_object) {
            ctx.insert(local.to_owned(), value);
        }
    }
    serde_json::json!({ "@context": ctx })
}

/// The usual file extension of a format (`nq` for canonical output).
pub fn extension(format: RdfFormat, canonical: bool) -> &'static str {
    if canonical {
        return "nq";
    }
    match format {
        RdfFormat::JsonLd { .. } => "jsonld",
        f => f.file_extension(),
    }
}

/// A file stem for a graph: the last segment of its IRI (the article id for
/// article graphs, `entities` for the shared entities graph), decoded, with
/// anything but letters, digits, `-`, `_` and `.` replaced by `_`.
pub fn file_stem(graph: &GraphName) -> String {
    let raw = match graph {
        GraphName::NamedNode(n) if n.as_str() == ENTITIES_GRAPH => "entities".to_owned(),
        GraphName::NamedNode(n) => {
            let s = n.as_str().trim_end_matches(['/', '#']);
            crate::rdf::iri::decode_segment(s.rsplit(['/', '#', ':']).next().unwrap_or(s))
        }
        GraphName::BlankNode(b) => format!("bnode-{}", b.as_str()),
        GraphName::DefaultGraph => "default".to_owned(),
    };
    let stem: String = raw
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stem = stem.trim_start_matches('.').to_owned();
    if stem.is_empty() {
        "graph".to_owned()
    } else {
        stem
    }
}

/// Writes one file per graph into `dir` (created if needed), named by
/// [`file_stem`] with the format's extension. Each file is written to a
/// temporary name first and renamed, so a failure never leaves half a file.
/// Returns the files written, in graph order.
pub fn export_split(
    store: &GraphStore,
    format: RdfFormat,
    opts: &ExportOptions,
    dir: &Path,
) -> Result<Vec<PathBuf>, crate::Error> {
    std::fs::create_dir_all(dir)?;
    let ext = extension(format, opts.canonical);
    let mut used = HashSet::new();
    let mut written = Vec::new();
    for g in graphs(store, opts)? {
        let base = file_stem(&g);
        let mut stem = base.clone();
        let mut n = 1;
        while !used.insert(stem.clone()) {
            n += 1;
            stem = format!("{base}-{n}");
        }
        let path = dir.join(format!("{stem}.{ext}"));
        let one = ExportOptions {
            graph: match &g {
                GraphName::NamedNode(n) => Some(n.clone()),
                _ => None,
            },
            ..opts.clone()
        };
        write_atomically(&path, |w| {
            if one.graph.is_some() {
                export(store, format, &one, w)
            } else {
                // The default graph or a blank-node graph: no --graph form.
                let quads = graph_quads(store, &g)?;
                if opts.canonical {
                    write_canonical(&quads, w)
                } else {
                    write_quads(&quads, format, w)
                }
            }
        })?;
        written.push(path);
    }
    Ok(written)
}

/// Writes a file through a temporary sibling and a rename.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<(), StoreError>,
) -> Result<(), crate::Error> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".zhkg-tmp");
    let tmp = path.with_file_name(name);
    let result = (|| {
        let f = std::fs::File::create(&tmp)?;
        let mut w = std::io::BufWriter::new(f);
        write(&mut w)?;
        w.flush()?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&tmp, path)?;
        Ok::<_, crate::Error>(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_nquads_are_what_oxigraph_writes() {
        use oxigraph::model::{BlankNode, Literal};
        let g = GraphName::NamedNode(NamedNode::new("https://w3id.org/zhkg/id/article/a").unwrap());
        let s = NamedNode::new("https://w3id.org/zhkg/id/org/%E9%98%BF").unwrap();
        let p = NamedNode::new("http://schema.org/name").unwrap();
        let dt = NamedNode::new("http://www.w3.org/2001/XMLSchema#integer").unwrap();
        let objects: Vec<Term> = vec![
            Literal::new_simple_literal(
                "阿里 \"引号\" 反斜\\杠\n换行\r\t制表\u{8}\u{c}\u{1}\u{7f}\u{fffe}，\u{fffd}\u{ffff}\u{efbf}末",
            )
            .into(),
            Literal::new_language_tagged_literal_unchecked("县", "zh-Hant").into(),
            Literal::new_typed_literal("42", dt).into(),
            Literal::new_simple_literal("").into(),
            NamedNode::new("http://example.com/x").unwrap().into(),
            BlankNode::new("b0").unwrap().into(),
        ];
        let mut quads: Vec<Quad> = objects
            .into_iter()
            .map(|o| Quad::new(s.clone(), p.clone(), o, g.clone()))
            .collect();
        quads.push(Quad::new(
            BlankNode::new("b1").unwrap(),
            p.clone(),
            s.clone(),
            GraphName::DefaultGraph,
        ));
        let mut expected = Vec::new();
        write_quads(&quads, RdfFormat::NQuads, &mut expected).unwrap();
        let mut fast = Vec::new();
        append_nquads(quads.iter().map(Quad::as_ref), &mut fast);
        assert_eq!(
            String::from_utf8(fast).unwrap(),
            String::from_utf8(expected).unwrap()
        );
    }

    #[test]
    fn file_stems_come_from_the_graph_iri() {
        let g = |s: &str| GraphName::NamedNode(NamedNode::new(s).unwrap());
        assert_eq!(
            file_stem(&g("https://w3id.org/zhkg/id/article/001_5adaab2c0589cb8c")),
            "001_5adaab2c0589cb8c"
        );
        assert_eq!(file_stem(&g(ENTITIES_GRAPH)), "entities");
        assert_eq!(
            file_stem(&g(
                "https://w3id.org/zhkg/id/article/%E5%B7%A8%E9%B9%BF%20x"
            )),
            "巨鹿_x"
        );
        assert_eq!(file_stem(&g("https://example.org/../")), "graph");
        assert_eq!(file_stem(&GraphName::DefaultGraph), "default");
    }

    #[test]
    fn canonical_output_ignores_blank_node_labels_and_order() {
        let parse = |s: &str| -> Vec<Quad> {
            oxigraph::io::RdfParser::from_format(RdfFormat::NQuads)
                .for_slice(s.as_bytes())
                .collect::<Result<_, _>>()
                .unwrap()
        };
        let a = parse(
            "_:x <http://e/p> \"a\" <http://e/g> .\n_:y <http://e/p> _:x <http://e/g> .\n<http://e/s> <http://e/q> \"中\"@zh .\n",
        );
        let b = parse(
            "<http://e/s> <http://e/q> \"中\"@zh .\n_:b2 <http://e/p> _:b1 <http://e/g> .\n_:b1 <http://e/p> \"a\" <http://e/g> .\n",
        );
        let (mut x, mut y) = (Vec::new(), Vec::new());
        write_canonical(&a, &mut x).unwrap();
        write_canonical(&b, &mut y).unwrap();
        let x = String::from_utf8(x).unwrap();
        assert_eq!(x, String::from_utf8(y).unwrap());
        assert!(x.contains("_:c14n0") && x.contains("_:c14n1"), "{x}");
        let mut lines: Vec<&str> = x.lines().collect();
        lines.sort_unstable();
        assert_eq!(lines, x.lines().collect::<Vec<_>>(), "lines are sorted");
    }
}
