//! The SPARQL 1.1 Protocol over HTTP: reading a request (its URL, headers
//! and body, within the size limit), parsing the query or update it carries
//! once, and writing an answer.
//!
//! The HTTP/1.1 framing itself (request line, headers, `Content-Length`
//! or chunked bodies, keep-alive) is oxhttp's: it answers 400 to a request
//! with both `Content-Length` and `Transfer-Encoding`, with a control
//! character in a header, with an obsolete folded header line, or with a
//! head over 8 KiB, and closes the connection, before zhkg sees it.

use std::io::{Read, sink};
use std::sync::LazyLock;

use oxhttp::model::header::{CONNECTION, CONTENT_TYPE};
use oxhttp::model::{Body, HeaderName, HeaderValue, Request, Response, StatusCode};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode};
use oxigraph::sparql::PreparedSparqlQuery;
use spargebra::{GraphUpdateOperation, Query, SparqlParser, Update};

use crate::rdf::vocab::PREFIXES;

/// An HTTP answer before it is sent.
#[derive(Debug)]
pub(super) struct Answer {
    /// The status.
    pub status: StatusCode,
    /// The `Content-Type` of the body.
    pub content_type: &'static str,
    /// The body, whole (answers are buffered, so a failure in the middle
    /// still gives a clean status).
    pub body: Vec<u8>,
    /// More headers.
    pub headers: Vec<(HeaderName, String)>,
}

impl Answer {
    /// A plain-text answer (a line break is added).
    pub(super) fn text(status: StatusCode, message: impl Into<String>) -> Self {
        let mut body = message.into().into_bytes();
        body.push(b'\n');
        Self {
            status,
            content_type: "text/plain; charset=utf-8",
            body,
            headers: Vec::new(),
        }
    }

    /// A 503 "busy" with `Retry-After`.
    pub(super) fn busy(message: impl Into<String>) -> Self {
        Self::text(StatusCode::SERVICE_UNAVAILABLE, message).with_header(
            oxhttp::model::header::RETRY_AFTER,
            super::RETRY_AFTER_SECS.to_string(),
        )
    }

    /// The answer with one more header.
    pub(super) fn with_header(mut self, name: HeaderName, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// The oxhttp response. A header value that HTTP does not allow (a
    /// control character such as CR or LF) is left out rather than sent.
    pub(super) fn into_response(self) -> Response<Body> {
        let mut response = Response::new(Body::from(self.body));
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(self.content_type));
        for (name, value) in self.headers {
            if let Ok(value) = HeaderValue::try_from(value) {
                headers.append(name, value);
            }
        }
        response
    }
}

/// The value of a request header, when it is given once and is visible
/// ASCII.
pub(super) fn header<'a>(request: &'a Request<Body>, name: &HeaderName) -> Option<&'a str> {
    let mut values = request.headers().get_all(name).iter();
    let value = values.next()?;
    if values.next().is_some() {
        return None;
    }
    value.to_str().ok()
}

/// The media type of a `Content-Type` header, lowercase, without parameters.
fn media_type(content_type: Option<&str>) -> String {
    content_type
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Reads the whole request body, refusing one over `limit` bytes (413).
pub(super) fn read_body(request: &mut Request<Body>, limit: usize) -> Result<Vec<u8>, Answer> {
    let too_large = || {
        Answer::text(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is over the {limit}-byte limit (--max-body)"),
        )
    };
    let limit64 = u64::try_from(limit).unwrap_or(u64::MAX);
    if request.body().len().is_some_and(|n| n > limit64) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    request
        .body_mut()
        .take(limit64.saturating_add(1))
        .read_to_end(&mut body)
        .map_err(|e| {
            Answer::text(
                StatusCode::BAD_REQUEST,
                format!("cannot read the request body: {e}"),
            )
        })?;
    if body.len() > limit {
        return Err(too_large());
    }
    Ok(body)
}

/// Reads what is left of the request body, up to `limit` bytes, so that the
/// connection can take the next request; when more is left (or it cannot be
/// read) the connection is closed after the answer instead, so no byte of an
/// unread body is ever taken for a request.
pub(super) fn finish_body(request: &mut Request<Body>, limit: usize) {
    let limit = u64::try_from(limit).unwrap_or(u64::MAX);
    let drained = std::io::copy(
        &mut request.body_mut().take(limit.saturating_add(1)),
        &mut sink(),
    );
    if !matches!(drained, Ok(n) if n <= limit) {
        request
            .headers_mut()
            .insert(CONNECTION, HeaderValue::from_static("close"));
        *request.body_mut() = Body::empty();
    }
}

/// The parser of every request: the vocabulary's prefixes are predeclared.
static PARSER: LazyLock<SparqlParser> = LazyLock::new(|| {
    let mut p = SparqlParser::new();
    for (prefix, ns) in PREFIXES {
        p = p.with_prefix(*prefix, *ns).expect("valid prefix IRIs");
    }
    p
});

/// Parses the text of a query request. A text that is not a query is tried
/// as an update only to say that it belongs at `/update` (403).
pub(super) fn parse_query(text: &str) -> Result<Query, Answer> {
    PARSER.clone().parse_query(text).map_err(|e| {
        if PARSER.clone().parse_update(text).is_ok() {
            Answer::text(
                StatusCode::FORBIDDEN,
                "this is an update: POST it to /update (refused unless the server allows updates)",
            )
        } else {
            Answer::text(
                StatusCode::BAD_REQUEST,
                crate::sparql::query::syntax_error(text, &e).to_string(),
            )
        }
    })
}

/// Parses the text of an update request, refusing `LOAD` (it would make the
/// server fetch a URL).
pub(super) fn parse_update(text: &str) -> Result<Update, Answer> {
    let update = PARSER.clone().parse_update(text).map_err(|e| {
        Answer::text(
            StatusCode::BAD_REQUEST,
            crate::sparql::query::syntax_error(text, &e).to_string(),
        )
    })?;
    if update
        .operations
        .iter()
        .any(|op| matches!(op, GraphUpdateOperation::Load { .. }))
    {
        return Err(Answer::text(
            StatusCode::BAD_REQUEST,
            "LOAD is not allowed here: use `zhkg load FILE` on the server",
        ));
    }
    Ok(update)
}

/// A query request: the parsed query and the protocol's dataset parameters.
#[derive(Debug)]
pub(super) struct QueryRequest {
    /// The query, parsed once.
    pub query: Query,
    /// `default-graph-uri` and `named-graph-uri`.
    pub dataset: DatasetParams,
}

/// Reads a query request: `GET /query?query=…` or `POST /query` with an
/// `application/sparql-query` body or a form with a `query` field.
pub(super) fn query_request(
    request: &mut Request<Body>,
    max_body: usize,
) -> Result<QueryRequest, Answer> {
    let url_query = request.uri().query().unwrap_or_default().to_owned();
    if request.method() == oxhttp::model::Method::GET {
        let Some(text) = form_field(url_query.as_bytes(), "query") else {
            return Err(Answer::text(
                StatusCode::BAD_REQUEST,
                "give the query as ?query=… (URL-encoded SPARQL)",
            ));
        };
        return Ok(QueryRequest {
            query: parse_query(&text)?,
            dataset: DatasetParams::from_form(url_query.as_bytes()),
        });
    }
    let content_type = media_type(header(request, &CONTENT_TYPE));
    let (text, dataset) = match content_type.as_str() {
        "application/sparql-query" => {
            let body = read_body(request, max_body)?;
            match String::from_utf8(body) {
                Ok(t) => (t, DatasetParams::from_form(url_query.as_bytes())),
                Err(_) => {
                    return Err(Answer::text(
                        StatusCode::BAD_REQUEST,
                        "the query is not valid UTF-8",
                    ));
                }
            }
        }
        "application/x-www-form-urlencoded" => {
            let body = read_body(request, max_body)?;
            match form_field(&body, "query") {
                Some(q) => (q, DatasetParams::from_form(&body)),
                None => {
                    return Err(Answer::text(
                        StatusCode::BAD_REQUEST,
                        "the form has no `query` field",
                    ));
                }
            }
        }
        other => {
            return Err(Answer::text(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "unsupported Content-Type {other:?}: use application/sparql-query or application/x-www-form-urlencoded"
                ),
            ));
        }
    };
    Ok(QueryRequest {
        query: parse_query(&text)?,
        dataset,
    })
}

/// Reads an update request: `POST /update` with an
/// `application/sparql-update` body or a form with an `update` field.
pub(super) fn update_request(
    request: &mut Request<Body>,
    max_body: usize,
) -> Result<Update, Answer> {
    let content_type = media_type(header(request, &CONTENT_TYPE));
    let text = match content_type.as_str() {
        "application/sparql-update" => match String::from_utf8(read_body(request, max_body)?) {
            Ok(t) => t,
            Err(_) => {
                return Err(Answer::text(
                    StatusCode::BAD_REQUEST,
                    "the update is not valid UTF-8",
                ));
            }
        },
        "application/x-www-form-urlencoded" => {
            match form_field(&read_body(request, max_body)?, "update") {
                Some(u) => u,
                None => {
                    return Err(Answer::text(
                        StatusCode::BAD_REQUEST,
                        "the form has no `update` field",
                    ));
                }
            }
        }
        other => {
            return Err(Answer::text(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "unsupported Content-Type {other:?}: use application/sparql-update or application/x-www-form-urlencoded"
                ),
            ));
        }
    };
    parse_update(&text)
}

pub(super) fn form_field(form: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(form)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The protocol's `default-graph-uri` and `named-graph-uri` parameters.
#[derive(Debug, Default)]
pub(super) struct DatasetParams {
    default: Vec<String>,
    named: Vec<String>,
}

impl DatasetParams {
    fn from_form(form: &[u8]) -> Self {
        let mut d = Self::default();
        for (k, v) in form_urlencoded::parse(form) {
            match k.as_ref() {
                "default-graph-uri" => d.default.push(v.into_owned()),
                "named-graph-uri" => d.named.push(v.into_owned()),
                _ => {}
            }
        }
        d
    }

    /// The graphs the parameters name, checked: a 400 for an invalid IRI.
    pub(super) fn resolve(&self) -> Result<Dataset, Answer> {
        if self.default.is_empty() && self.named.is_empty() {
            return Ok(Dataset { graphs: None });
        }
        let iri = |s: &String| {
            NamedNode::new(s.as_str()).map_err(|e| {
                Answer::text(
                    StatusCode::BAD_REQUEST,
                    format!("the graph IRI <{s}> is invalid: {e}"),
                )
            })
        };
        let default = self
            .default
            .iter()
            .map(|s| iri(s).map(Into::into))
            .collect::<Result<Vec<_>, _>>()?;
        let named = self
            .named
            .iter()
            .map(|s| iri(s).map(Into::into))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Dataset {
            graphs: Some((default, named)),
        })
    }
}

/// The dataset a query request asks for, its graph IRIs checked (see
/// [`DatasetParams::resolve`]).
pub(super) struct Dataset {
    /// The default graphs and the named graphs the parameters give; none
    /// when they give none.
    graphs: Option<(Vec<GraphName>, Vec<NamedOrBlankNode>)>,
}

impl Dataset {
    /// Sets the query's dataset: the parameters' graphs when any is given
    /// (they override the query's `FROM`, as the protocol says); else the
    /// query's own `FROM`; else the union of the named graphs as the
    /// default graph, as in `zhkg query`.
    pub(super) fn apply(&self, q: &mut PreparedSparqlQuery) {
        match &self.graphs {
            Some((default, named)) => {
                q.dataset_mut().set_default_graph(default.clone());
                q.dataset_mut().set_available_named_graphs(named.clone());
            }
            None if q.dataset().is_default_dataset() => {
                q.dataset_mut().set_default_graph_as_union();
            }
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_and_updates_are_told_apart_by_the_parser() {
        assert!(parse_query("SELECT ?s { ?s rdfs:label ?l }").is_ok());
        let update = parse_query("INSERT DATA { <https://e/a> <https://e/b> 1 }").unwrap_err();
        assert_eq!(update.status, StatusCode::FORBIDDEN);
        let bad = parse_query("SELECT ?x\nWHERE { ?x ?y }").unwrap_err();
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(String::from_utf8_lossy(&bad.body).contains("line 2"));
        assert!(parse_update("INSERT DATA { <https://e/a> <https://e/b> 1 }").is_ok());
        let load = parse_update("LOAD SILENT <http://e/data.ttl>").unwrap_err();
        assert!(String::from_utf8_lossy(&load.body).contains("LOAD"));
    }

    #[test]
    fn header_values_with_line_breaks_are_not_sent() {
        let a = Answer::text(StatusCode::OK, "ok")
            .with_header(oxhttp::model::header::WARNING, "199 zhkg \"fine\"")
            .with_header(HeaderName::from_static("x-injected"), "a\r\nSet-Cookie: b");
        let r = a.into_response();
        assert!(r.headers().get("warning").is_some());
        assert!(r.headers().get("x-injected").is_none());
    }
}
