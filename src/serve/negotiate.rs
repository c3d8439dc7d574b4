//! Content negotiation: which result format the `Accept` header prefers.
//!
//! The formats offered are fixed lists in the server's order of preference.
//! A media range of the header is matched to a format with Oxigraph's
//! `from_media_type` (so `application/json` means SPARQL JSON results for a
//! SELECT and JSON-LD for a CONSTRUCT, and `text/plain` CSV or N-Triples);
//! `type/*` and `*/*` match by the format's own media type.

use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use oxigraph::sparql::results::QueryResultsFormat;
use spargebra::Query;

/// The formats offered for solutions and booleans (SELECT, ASK), in order
/// of preference.
pub(super) const RESULT_FORMATS: [QueryResultsFormat; 4] = [
    QueryResultsFormat::Json,
    QueryResultsFormat::Xml,
    QueryResultsFormat::Csv,
    QueryResultsFormat::Tsv,
];

/// The formats offered for graphs (CONSTRUCT, DESCRIBE), in order of
/// preference.
pub(super) const GRAPH_FORMATS: [RdfFormat; 4] = [
    RdfFormat::Turtle,
    RdfFormat::NTriples,
    RdfFormat::RdfXml,
    RdfFormat::JsonLd {
        profile: JsonLdProfileSet::empty(),
    },
];

/// The format a query's results are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    /// Solutions or a boolean.
    Results(QueryResultsFormat),
    /// A graph.
    Graph(RdfFormat),
}

impl Format {
    /// The `Content-Type` of an answer in this format (with a charset for
    /// the `text/*` types).
    pub(super) fn content_type(self) -> &'static str {
        match self {
            Self::Results(QueryResultsFormat::Csv) => "text/csv; charset=utf-8",
            Self::Results(QueryResultsFormat::Tsv) => "text/tab-separated-values; charset=utf-8",
            Self::Results(f) => f.media_type(),
            Self::Graph(RdfFormat::Turtle) => "text/turtle; charset=utf-8",
            Self::Graph(f) => f.media_type(),
        }
    }
}

/// The `Accept` header that a `format` parameter of the URL's query
/// string stands for (`csv`, `tsv`, `json`, `xml`, `ttl`, `nt`), so that a
/// link can ask for a format; `json` and `xml` name the SPARQL results
/// formats for SELECT and ASK, and JSON-LD and RDF/XML for graphs.
pub(super) fn format_param(url_query: Option<&str>) -> Option<&'static str> {
    let value = form_urlencoded::parse(url_query?.as_bytes())
        .find(|(k, _)| k == "format")
        .map(|(_, v)| v.to_ascii_lowercase())?;
    Some(match value.as_str() {
        "csv" => "text/csv",
        "tsv" => "text/tab-separated-values",
        "json" => "application/sparql-results+json, application/ld+json;q=0.9",
        "xml" => "application/sparql-results+xml, application/rdf+xml;q=0.9",
        "ttl" | "turtle" => "text/turtle",
        "nt" | "ntriples" => "application/n-triples",
        _ => return None,
    })
}

/// The format for the results of `query` that `accept` prefers, or the
/// media types on offer when it accepts none of them (for a 406).
pub(super) fn for_query(query: &Query, accept: Option<&str>) -> Result<Format, Vec<&'static str>> {
    match query {
        Query::Select { .. } | Query::Ask { .. } => choose(
            accept,
            &RESULT_FORMATS,
            QueryResultsFormat::media_type,
            QueryResultsFormat::from_media_type,
        )
        .map(Format::Results)
        .ok_or_else(|| RESULT_FORMATS.map(QueryResultsFormat::media_type).to_vec()),
        Query::Construct { .. } | Query::Describe { .. } => choose(
            accept,
            &GRAPH_FORMATS,
            RdfFormat::media_type,
            RdfFormat::from_media_type,
        )
        .map(Format::Graph)
        .ok_or_else(|| GRAPH_FORMATS.map(RdfFormat::media_type).to_vec()),
    }
}

/// Picks the offer the `Accept` header prefers: the highest quality, then
/// the first in `offers`; `None` when it accepts none of them. An offer's
/// quality is that of the most specific range that matches it (its own
/// type or an alias, then `type/*`, then `*/*`); quality 0 refuses it. No
/// header, or an empty one, accepts the first offer.
pub(super) fn choose<F: Copy + PartialEq>(
    accept: Option<&str>,
    offers: &[F],
    media_type: impl Fn(F) -> &'static str,
    from_media_type: impl Fn(&str) -> Option<F>,
) -> Option<F> {
    let Some(accept) = accept.filter(|a| !a.trim().is_empty()) else {
        return offers.first().copied();
    };
    // (range, the format it names if any, quality)
    let ranges: Vec<(String, Option<F>, f32)> = accept
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let range = parts.next()?.trim().to_ascii_lowercase();
            let mut q = 1.0;
            for p in parts {
                if let Some((k, v)) = p.split_once('=')
                    && k.trim().eq_ignore_ascii_case("q")
                {
                    q = v.trim().parse().unwrap_or(0.0);
                }
            }
            if range.is_empty() {
                return None;
            }
            let named = if range.ends_with("/*") {
                None
            } else {
                from_media_type(&range)
            };
            Some((range, named, q))
        })
        .collect();
    let mut best: Option<(F, f32)> = None;
    for &offer in offers {
        let (kind, _) = media_type(offer).split_once('/').unwrap_or_default();
        // The most specific matching ranges decide the offer's quality.
        let mut found: Option<(u8, f32)> = None;
        for (range, named, q) in &ranges {
            let specificity = if *named == Some(offer) {
                3
            } else if range.strip_suffix("/*") == Some(kind) {
                2
            } else if range == "*/*" {
                1
            } else {
                continue;
            };
            found = match found {
                Some((s, best_q)) if s > specificity || (s == specificity && best_q >= *q) => {
                    Some((s, best_q))
                }
                _ => Some((specificity, *q)),
            };
        }
        if let Some((_, q)) = found
            && q > 0.0
            && best.is_none_or(|(_, b)| q > b)
        {
            best = Some((offer, q));
        }
    }
    best.map(|(o, _)| o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_format_parameter_stands_for_an_accept_header() {
        let select = spargebra::SparqlParser::new()
            .parse_query("SELECT * {}")
            .unwrap();
        let construct = spargebra::SparqlParser::new()
            .parse_query("CONSTRUCT WHERE { ?s ?p ?o }")
            .unwrap();
        let f = |q: &Query, url: &str| for_query(q, format_param(Some(url)));
        assert_eq!(
            f(&select, "query=x&format=csv"),
            Ok(Format::Results(QueryResultsFormat::Csv))
        );
        assert_eq!(
            f(&select, "format=TSV"),
            Ok(Format::Results(QueryResultsFormat::Tsv))
        );
        assert_eq!(
            f(&select, "format=json"),
            Ok(Format::Results(QueryResultsFormat::Json))
        );
        assert_eq!(
            f(&select, "format=xml"),
            Ok(Format::Results(QueryResultsFormat::Xml))
        );
        assert!(matches!(
            f(&construct, "format=json"),
            Ok(Format::Graph(RdfFormat::JsonLd { .. }))
        ));
        assert_eq!(
            f(&construct, "format=xml"),
            Ok(Format::Graph(RdfFormat::RdfXml))
        );
        assert_eq!(format_param(Some("format=pdf")), None);
        assert_eq!(format_param(Some("query=x")), None);
        assert_eq!(format_param(None), None);
    }

    fn results(accept: Option<&str>) -> Option<QueryResultsFormat> {
        choose(
            accept,
            &RESULT_FORMATS,
            QueryResultsFormat::media_type,
            QueryResultsFormat::from_media_type,
        )
    }

    fn graph(accept: Option<&str>) -> Option<RdfFormat> {
        choose(
            accept,
            &GRAPH_FORMATS,
            RdfFormat::media_type,
            RdfFormat::from_media_type,
        )
    }

    #[test]
    fn negotiation_follows_quality_and_specificity() {
        use QueryResultsFormat::{Csv, Json, Tsv, Xml};
        assert_eq!(results(None), Some(Json));
        assert_eq!(results(Some("")), Some(Json));
        assert_eq!(results(Some("text/csv")), Some(Csv));
        assert_eq!(
            results(Some("text/csv;q=0.5, application/*;q=0.9")),
            Some(Json)
        );
        assert_eq!(results(Some("*/*;q=0.1, text/*")), Some(Csv));
        assert_eq!(results(Some("image/png")), None);
        assert_eq!(results(Some("text/csv;q=0, */*")), Some(Json));
        assert_eq!(
            results(Some("*/*, application/*;q=0, text/csv;q=0")),
            Some(Tsv)
        );
        // Aliases, through Oxigraph's media type table.
        assert_eq!(results(Some("application/json")), Some(Json));
        assert_eq!(results(Some("application/xml")), Some(Xml));
        assert_eq!(results(Some("text/tab-separated-values")), Some(Tsv));
        assert_eq!(results(Some("Text/CSV; charset=utf-8")), Some(Csv));
    }

    #[test]
    fn graphs_negotiate_among_rdf_syntaxes() {
        assert_eq!(graph(None), Some(RdfFormat::Turtle));
        assert_eq!(
            graph(Some("application/n-triples")),
            Some(RdfFormat::NTriples)
        );
        assert!(matches!(
            graph(Some("text/html;q=0.9, application/ld+json;q=0.5")),
            Some(RdfFormat::JsonLd { .. })
        ));
        assert_eq!(graph(Some("text/csv")), None);
        // N-Quads and TriG are syntaxes Oxigraph knows, but not offered.
        assert_eq!(graph(Some("application/n-quads")), None);
    }

    #[test]
    fn the_kind_of_query_picks_the_offers() {
        let parse = |q: &str| spargebra::SparqlParser::new().parse_query(q).unwrap();
        let ask = parse("ASK {}");
        let construct = parse("CONSTRUCT WHERE { ?s ?p ?o }");
        assert_eq!(
            for_query(&ask, Some("text/csv")),
            Ok(Format::Results(QueryResultsFormat::Csv))
        );
        assert_eq!(
            Format::Results(QueryResultsFormat::Csv).content_type(),
            "text/csv; charset=utf-8"
        );
        let offered = for_query(&construct, Some("text/csv")).unwrap_err();
        assert!(offered.contains(&"text/turtle"), "{offered:?}");
    }
}
