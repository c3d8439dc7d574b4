//! Corpus-wide resolution of programme variants, after a build.
//!
//! Within one article the extractors already merge the variants of a
//! programme's name into one node. Across articles each name is its own
//! node (乡村特派员 in one article, 阿里巴巴乡村振兴特派员 in another). This
//! step groups them by the same stated rules
//! ([`zhkg_text::extract::programmes::variant_groups`]: owner in front,
//! scheme word after, one short insertion; editions and facilities never)
//! and writes, in the named graph [`RESOLVED_GRAPH`](crate::rdf::vocab::RESOLVED_GRAPH),
//! `variant owl:sameAs canonical` and the variant's label as a
//! `skos:altLabel` of the canonical node. The named queries fold variants
//! into their canonical node through these links.
//!
//! Beside the links it states, for each canonical node that has variants,
//! `zhkg:articleCount`: how many articles mention it or any of its
//! variants (an article naming two of them counts once), so that a listing
//! ordered by how widely an entity is reported reads one number instead of
//! counting every mention. (The facts graph's `zhkg:articleCount` of the
//! same node counts its own mentions only.)
//!
//! The graph is derived data: a build clears it before writing articles (so
//! that no stale link keeps a dropped programme alive) and writes it anew at
//! the end, in one transaction.

use oxigraph::model::{GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, Quad, Term};
use oxigraph::sparql::QueryResults;
use rustc_hash::FxHashSet;

use crate::error::{Error, QueryError, StoreError};
use crate::rdf::vocab::{self, owl, skos, xsd, zhkg};
use crate::sparql::query;
use crate::store::GraphStore;

const PROGRAMMES: &str = r#"
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX zhkg: <https://w3id.org/zhkg/ontology#>
SELECT ?p ?label WHERE {
  GRAPH <https://w3id.org/zhkg/graph/entities> {
    ?p a zhkg:Programme ; rdfs:label ?label ; zhkg:programmeKind ?kind .
  }
  FILTER (?kind != "facility")
}
"#;

const OWNERS: &str = r#"
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
SELECT DISTINCT ?name WHERE {
  GRAPH <https://w3id.org/zhkg/graph/entities> { ?o a schema:Organization }
  { GRAPH <https://w3id.org/zhkg/graph/entities> { ?o rdfs:label ?name } }
  UNION { GRAPH ?g { ?o skos:altLabel ?name } }
}
"#;

fn column(store: &GraphStore, text: &str, vars: &[&str]) -> Result<Vec<Vec<Term>>, Error> {
    let results = query::parse(text)?
        .on_store(store.inner())
        .execute()
        .map_err(QueryError::from)?;
    let QueryResults::Solutions(sols) = results else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for s in sols {
        let s = s.map_err(QueryError::from)?;
        let row: Option<Vec<Term>> = vars.iter().map(|v| s.get(*v).cloned()).collect();
        out.extend(row);
    }
    Ok(out)
}

fn literal(t: &Term) -> Option<&str> {
    match t {
        Term::Literal(l) => Some(l.value()),
        _ => None,
    }
}

/// Removes the resolution graph (before articles are written).
pub fn clear(store: &GraphStore) -> Result<(), Error> {
    replace(store, &[])
}

/// Replaces the resolution graph by `quads`, in one transaction; into an
/// empty resolution graph (a build clears it first) with the bulk loader,
/// whose sorted files leave RocksDB's memtables empty: the flush and the
/// compaction that end a large build then need not wait for the compaction
/// of the articles just loaded (about 7 s at 20,000 articles).
fn replace(store: &GraphStore, quads: &[Quad]) -> Result<(), Error> {
    let g = NamedNodeRef::new_unchecked(vocab::RESOLVED_GRAPH);
    let empty = store
        .inner()
        .quads_for_pattern(None, None, None, Some(g.into()))
        .next()
        .is_none();
    if empty {
        if !quads.is_empty() {
            let mut loader = store.inner().bulk_loader();
            loader
                .load_quads(quads.iter().cloned())
                .map_err(StoreError::from)?;
            loader.commit().map_err(StoreError::from)?;
        }
        return Ok(());
    }
    let mut tx = store
        .inner()
        .start_transaction()
        .map_err(StoreError::from)?;
    tx.clear_graph(GraphNameRef::NamedNode(g))
        .map_err(StoreError::from)?;
    if !quads.is_empty() {
        tx.insert_named_graph(g);
        tx.extend(quads.iter().map(Quad::as_ref));
    }
    tx.commit().map_err(StoreError::from)?;
    Ok(())
}

/// Groups the store's programmes into variants and rewrites the resolution
/// graph; returns how many programme nodes were folded into another.
pub fn programmes(store: &GraphStore) -> Result<usize, Error> {
    let mut programmes: Vec<(NamedNode, String)> = column(store, PROGRAMMES, &["p", "label"])?
        .into_iter()
        .filter_map(|row| match (&row[0], literal(&row[1])) {
            (Term::NamedNode(p), Some(l)) => Some((p.clone(), l.to_owned())),
            _ => None,
        })
        .collect();
    // One label per node, in a stable order.
    programmes.sort();
    programmes.dedup_by(|a, b| a.0 == b.0);
    let mut owners: Vec<String> = column(store, OWNERS, &["name"])?
        .iter()
        .filter_map(|row| literal(&row[0]).map(str::to_owned))
        .filter(|n| n.chars().count() >= 2)
        .collect();
    owners.sort();
    owners.dedup();
    let labels: Vec<&str> = programmes.iter().map(|(_, l)| l.as_str()).collect();
    let graph = GraphName::NamedNode(NamedNode::new_unchecked(vocab::RESOLVED_GRAPH));
    let mut quads = Vec::new();
    let mut folded = 0;
    for (keep, others) in zhkg_text::extract::programmes::variant_groups(&labels, &owners) {
        let canonical = &programmes[keep].0;
        let members = std::iter::once(keep).chain(others.iter().copied());
        let articles = articles_of(store, members.map(|i| programmes[i].0.as_ref()))?;
        quads.push(Quad::new(
            canonical.clone(),
            NamedNode::new_unchecked(zhkg::ARTICLE_COUNT),
            Literal::new_typed_literal(
                articles.to_string(),
                NamedNode::new_unchecked(xsd::INTEGER),
            ),
            graph.clone(),
        ));
        for i in others {
            let (variant, label) = &programmes[i];
            quads.push(Quad::new(
                variant.clone(),
                NamedNode::new_unchecked(owl::SAME_AS),
                canonical.clone(),
                graph.clone(),
            ));
            quads.push(Quad::new(
                canonical.clone(),
                NamedNode::new_unchecked(skos::ALT_LABEL),
                Literal::new_language_tagged_literal_unchecked(label, "zh"),
                graph.clone(),
            ));
            folded += 1;
        }
    }
    replace(store, &quads)?;
    Ok(folded)
}

/// How many distinct articles mention any of `nodes` (each article graph
/// states `zhkg:mentionedIn` of the nodes it mentions, naming itself).
fn articles_of<'a>(
    store: &GraphStore,
    nodes: impl Iterator<Item = NamedNodeRef<'a>>,
) -> Result<usize, Error> {
    let mentioned = NamedNodeRef::new_unchecked(zhkg::MENTIONED_IN);
    let mut articles = FxHashSet::default();
    for node in nodes {
        for q in store
            .inner()
            .quads_for_pattern(Some(node.into()), Some(mentioned), None, None)
        {
            let q = q.map_err(StoreError::from)?;
            if super::facts::is_article_graph(&q.graph_name) {
                articles.insert(q.object);
            }
        }
    }
    Ok(articles.len())
}
