//! Endpoint conventions beyond queries: the SPARQL 1.1 Service Description
//! at the query endpoint, read-only Graph Store Protocol `GET`, and the
//! headers of cross-origin reads (`--cors`).
//!
//! - `GET /query` without a `query` parameter describes the service
//!   ([SPARQL 1.1 Service Description](https://www.w3.org/TR/sparql11-service-description/)):
//!   its endpoint, languages, result formats and features, in the RDF
//!   format the client accepts (Turtle by default).
//! - `GET /store?graph=IRI` gives one named graph and `GET /store?default`
//!   the default graph, which here is the union of all graphs as for
//!   queries ([SPARQL 1.1 Graph Store HTTP Protocol](https://www.w3.org/TR/sparql11-http-rdf-update/),
//!   reads only: `PUT`, `POST` and `DELETE` are refused with 405). A graph
//!   is read as a CONSTRUCT query, so it keeps the query limits (time,
//!   rows, the evaluation gate) and the formats of CONSTRUCT answers.

use oxhttp::model::StatusCode;
use oxigraph::model::{Literal, NamedNode, Triple};
use oxigraph::sparql::{QueryEvaluationError, QueryResults, QueryTripleIter};
use spargebra::Query;

use super::protocol::{Answer, form_field};

/// W3C namespaces of the description.
const SD: &str = "http://www.w3.org/ns/sparql-service-description#";
const FORMATS: &str = "http://www.w3.org/ns/formats/";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const DCT_TITLE: &str = "http://purl.org/dc/terms/title";

/// What a Graph Store Protocol request reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum GraphTarget {
    /// `?default`: the default graph (the union of all graphs).
    Default,
    /// `?graph=IRI`: one named graph.
    Named(NamedNode),
}

impl GraphTarget {
    /// Reads `?graph=IRI` or `?default` from a request's query string.
    pub(super) fn from_query_string(query: &str) -> Result<Self, Answer> {
        let has_default = form_urlencoded::parse(query.as_bytes()).any(|(k, _)| k == "default");
        match (form_field(query.as_bytes(), "graph"), has_default) {
            (Some(iri), false) => NamedNode::new(iri.as_str()).map(Self::Named).map_err(|e| {
                Answer::text(
                    StatusCode::BAD_REQUEST,
                    format!("the graph IRI <{iri}> is invalid: {e}"),
                )
            }),
            (None, true) => Ok(Self::Default),
            _ => Err(Answer::text(
                StatusCode::BAD_REQUEST,
                "give one graph: ?graph=IRI (URL-encoded) or ?default",
            )),
        }
    }

    /// The CONSTRUCT query that reads the graph.
    pub(super) fn query(&self) -> Query {
        let text = match self {
            Self::Default => "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }".to_owned(),
            Self::Named(g) => {
                format!("CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }}")
            }
        };
        spargebra::SparqlParser::new()
            .parse_query(&text)
            .expect("a valid CONSTRUCT query")
    }
}

/// The service description of the endpoint at `endpoint` (its absolute
/// URL), as the results of a CONSTRUCT query, so that it is written in any
/// graph format the client accepts.
pub(super) fn service_description(endpoint: &str, updates: bool) -> QueryResults<'static> {
    let n = |iri: &str| NamedNode::new_unchecked(iri);
    let sd = |local: &str| n(&format!("{SD}{local}"));
    let service = match NamedNode::new(format!("{endpoint}#service")) {
        Ok(s) => s,
        Err(_) => n("urn:zhkg:service"),
    };
    let mut triples = vec![
        Triple::new(service.clone(), n(RDF_TYPE), sd("Service")),
        Triple::new(
            service.clone(),
            n(DCT_TITLE),
            Literal::new_simple_literal("zhkg knowledge graph (read-only SPARQL endpoint)"),
        ),
        Triple::new(
            service.clone(),
            sd("endpoint"),
            NamedNode::new(endpoint).unwrap_or_else(|_| n("urn:zhkg:endpoint")),
        ),
        Triple::new(
            service.clone(),
            sd("supportedLanguage"),
            sd("SPARQL11Query"),
        ),
        // Queries see the union of the named graphs as their default graph.
        Triple::new(service.clone(), sd("feature"), sd("UnionDefaultGraph")),
    ];
    if updates {
        triples.push(Triple::new(
            service.clone(),
            sd("supportedLanguage"),
            sd("SPARQL11Update"),
        ));
    }
    for format in [
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "RDF_XML",
        "JSON-LD",
    ] {
        triples.push(Triple::new(
            service.clone(),
            sd("resultFormat"),
            n(&format!("{FORMATS}{format}")),
        ));
    }
    QueryResults::Graph(QueryTripleIter::new(
        triples.into_iter().map(Ok::<_, QueryEvaluationError>),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_targets_are_read_from_the_query_string() {
        // (query string, the target or None for a 400)
        let cases: &[(&str, Option<GraphTarget>)] = &[
            ("default", Some(GraphTarget::Default)),
            ("default=", Some(GraphTarget::Default)),
            (
                "graph=https%3A%2F%2Fw3id.org%2Fzhkg%2Fgraph%2Ffacts",
                Some(GraphTarget::Named(NamedNode::new_unchecked(
                    "https://w3id.org/zhkg/graph/facts",
                ))),
            ),
            ("", None),
            ("graph=x&default", None),
            ("graph=not%20an%20iri", None),
        ];
        for (q, want) in cases {
            let got = GraphTarget::from_query_string(q).ok();
            assert_eq!(&got, want, "{q:?}");
        }
    }

    #[test]
    fn the_description_names_the_endpoint_and_its_features() {
        let QueryResults::Graph(triples) = service_description("http://127.0.0.1:1/query", true)
        else {
            panic!("not a graph")
        };
        let text: Vec<String> = triples.map(|t| t.unwrap().to_string()).collect();
        for want in [
            "<http://127.0.0.1:1/query#service> <http://www.w3.org/ns/sparql-service-description#endpoint> <http://127.0.0.1:1/query>",
            "UnionDefaultGraph",
            "SPARQL11Query",
            "SPARQL11Update",
            "SPARQL_Results_JSON",
        ] {
            assert!(text.iter().any(|t| t.contains(want)), "{want}: {text:#?}");
        }
    }
}
