//! The query page (`GET /sparql`): a plain text area to write SPARQL in,
//! the implicit prefixes listed, and the results of the query sent with
//! the form (`/sparql?query=…`) shown on the same page.
//!
//! The page needs no script: the form is sent with `GET`, so a result is a
//! link that can be kept (a text too long for a URL is posted instead). The query is evaluated inside the page's work,
//! which the server runs under the same gate, time limit and row limit as
//! `/query`; the query is parsed with the vocabulary's prefixes and the
//! union of the named graphs as default graph, as at `/query`, and a
//! `SERVICE` clause fails (nothing is fetched). SELECT results are a
//! table whose entities and articles link to their pages under their
//! labels, ASK a yes or no, CONSTRUCT and DESCRIBE Turtle; download links
//! send the same query to `/query` with `format=csv|json|tsv|xml`.
//!
//! A named query opens here too (`/sparql?named=county&param.county=…`):
//! its parameters are bound in its text, which fills the text area.

use maud::{Markup, html};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::Term;
use oxigraph::sparql::{QueryEvaluationError, QueryResults, SparqlEvaluator};

use super::layout::{entity_link, path_of};
use super::read::{PageError, Read, Reader};
use super::{Made, PageContext};
use crate::error::QueryError;
use crate::rdf::vocab::PREFIXES;
use crate::sparql::query::{bind_params, declared_params, named};

/// The most solutions shown as a table; the download links give up to the
/// server's row limit.
pub const MAX_SHOWN: usize = 1000;

/// The query a person starts from when the form is empty.
const EXAMPLE: &str = "SELECT ?county ?label WHERE {\n  GRAPH <https://w3id.org/zhkg/graph/entities> {\n    ?county a schema:AdministrativeArea ; rdfs:label ?label .\n  }\n}\nORDER BY ?label\nLIMIT 20\n";

/// What the query page was asked: the query text, or a named query and
/// values of its parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ask {
    /// The `query` field.
    pub query: Option<String>,
    /// The `named` field: a named query to open.
    pub named: Option<String>,
    /// `param.<name>` fields: values of the named query's parameters.
    pub params: Vec<(String, String)>,
}

impl Ask {
    /// Reads the fields of the URL's query string.
    pub fn of(query: Option<&str>) -> Self {
        Self::of_form(query.unwrap_or_default().as_bytes())
    }

    /// Reads the fields of a URL-encoded form.
    pub fn of_form(form: &[u8]) -> Self {
        let mut a = Self::default();
        for (k, v) in form_urlencoded::parse(form) {
            match k.as_ref() {
                "query" => a.query = Some(v.into_owned()),
                "named" => a.named = Some(v.into_owned()),
                k => {
                    if let Some(p) = k.strip_prefix("param.")
                        && !v.trim().is_empty()
                    {
                        a.params.push((p.to_owned(), v.into_owned()));
                    }
                }
            }
        }
        a
    }
}

/// A URL-encoded form value.
pub fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The link to `/query` that answers `text` in `format`
/// (`csv`, `json`, `tsv` or `xml`).
pub fn download_link(text: &str, format: &str) -> String {
    format!("/query?query={}&format={format}", encode(text))
}

/// The query page for `ask`.
pub fn page(cx: &PageContext<'_>, ask: &Ask) -> Read<Made> {
    let (text, error) = match (&ask.query, &ask.named) {
        (Some(q), _) => (Some(q.clone()), None),
        (None, Some(name)) => match named(name) {
            Some(q) => match bind_params(q.text, &ask.params) {
                Ok(t) => (Some(t), None),
                Err(e) => (Some(q.text.to_owned()), Some(e.to_string())),
            },
            None => (None, Some(format!("there is no named query {name:?}"))),
        },
        (None, None) => (None, None),
    };
    let results = match (&text, &error) {
        (Some(t), None) if !t.trim().is_empty() => Some(evaluate(cx, t)?),
        _ => None,
    };
    let refused = error.is_some()
        || matches!(
            results,
            Some(Evaluated::NotAQuery(_) | Evaluated::Failed(_))
        );
    let made = if refused { Made::Refused } else { Made::Html };
    Ok(made(super::layout::page(
        "SPARQL query",
        html! {
            h1 { "SPARQL query" }
            (editor(text.as_deref().unwrap_or(EXAMPLE), ask.named.as_deref()))
            @if let Some(e) = &error {
                p.error role="alert" { (e) }
            }
            @if let (Some(t), Some(r)) = (&text, &results) {
                (show(t, r))
            }
            (prefixes())
        },
    )))
}

/// The longest URL-encoded text sent with GET (a link that can be kept);
/// a longer one is posted, since the server reads at most 8 KiB of a
/// request's head.
pub const MAX_GET: usize = 4000;

/// The text area and its button, sent to this page: with GET, or with
/// POST when `text` is too long for a URL.
pub fn editor(text: &str, named: Option<&str>) -> Markup {
    let method = if encode(text).len() > MAX_GET {
        "post"
    } else {
        "get"
    };
    html! {
        form action="/sparql" method=(method) {
            textarea name="query" id="query" rows="10" cols="100" spellcheck="false" aria-label="SPARQL query" style="width:100%;font-family:monospace" {
                (text)
            }
            p {
                button type="submit" { "Run" }
                span.muted {
                    " The prefixes below are declared; the default graph is the union of the named graphs."
                    @if let Some(n) = named { " From the named query " a href=(format!("/queries/{n}")) { (n) } "." }
                }
            }
        }
    }
}

/// The implicit prefixes, as a table.
pub fn prefixes() -> Markup {
    html! {
        details {
            summary { "Implicit prefixes" }
            table #prefixes {
                @for (p, ns) in PREFIXES {
                    tr { th { code { (p) ":" } } td.iri { (ns) } }
                }
            }
        }
    }
}

/// One cell of a results table: the term, and its label when it has a
/// page; `None` when the variable is unbound.
pub type Cell = Option<(Term, Option<String>)>;

/// What the evaluation gave.
#[derive(Debug)]
pub enum Evaluated {
    /// The text is not a query (a syntax error, an update).
    NotAQuery(String),
    /// The evaluation failed (a `SERVICE`, …).
    Failed(String),
    /// SELECT solutions: variables, rows (values as terms, with the label
    /// of each term that has a page), and whether rows were left out.
    Table {
        /// The variables.
        vars: Vec<String>,
        /// Each row's cells: the term and its label when it has one.
        rows: Vec<Vec<Cell>>,
        /// Rows were left out at [`MAX_SHOWN`] or the row limit.
        truncated: bool,
    },
    /// ASK.
    Boolean(bool),
    /// CONSTRUCT or DESCRIBE as Turtle, and whether triples were left out.
    Turtle(String, bool),
}

/// Evaluates `text` on the store, under the page's cancellation token.
pub fn evaluate(cx: &PageContext<'_>, text: &str) -> Read<Evaluated> {
    let evaluator = SparqlEvaluator::new().with_cancellation_token(cx.token.clone());
    let mut q = match crate::sparql::query::parse_with(evaluator, text) {
        Ok(q) => q,
        Err(QueryError::UpdateRefused) => {
            return Ok(Evaluated::NotAQuery(
                "this is an update: the query page only reads".to_owned(),
            ));
        }
        Err(e) => return Ok(Evaluated::NotAQuery(e.to_string())),
    };
    if q.dataset().is_default_dataset() {
        q.dataset_mut().set_default_graph_as_union();
    }
    let failed = |e: QueryEvaluationError| match e {
        QueryEvaluationError::Cancelled => Err(PageError::Cancelled),
        e @ (QueryEvaluationError::Service(_)
        | QueryEvaluationError::UnsupportedService(_)
        | QueryEvaluationError::UnboundService
        | QueryEvaluationError::InvalidServiceName(_)) => Ok(Evaluated::Failed(format!(
            "SERVICE is not allowed: this endpoint does not fetch other endpoints ({e})"
        ))),
        e => Ok(Evaluated::Failed(format!("query evaluation failed: {e}"))),
    };
    let results = match q.on_store(cx.store).execute() {
        Ok(r) => r,
        Err(e) => return failed(e),
    };
    let cap = cx.max_rows.min(MAX_SHOWN);
    let mut reader = Reader::new(cx.store, cx.token);
    match results {
        QueryResults::Boolean(b) => Ok(Evaluated::Boolean(b)),
        QueryResults::Solutions(solutions) => {
            let vars: Vec<String> = solutions
                .variables()
                .iter()
                .map(|v| v.as_str().to_owned())
                .collect();
            let mut rows = Vec::new();
            let mut truncated = false;
            for s in solutions {
                let s = match s {
                    Ok(s) => s,
                    Err(e) => return failed(e),
                };
                if rows.len() == cap {
                    truncated = true;
                    break;
                }
                let mut row = Vec::with_capacity(vars.len());
                for v in s.values() {
                    row.push(match v {
                        Some(t @ Term::NamedNode(n)) if path_of(n.as_str()).is_some() => {
                            let label = reader.label(n.as_str())?;
                            Some((t.clone(), Some(label)))
                        }
                        Some(t) => Some((t.clone(), None)),
                        None => None,
                    });
                }
                rows.push(row);
            }
            Ok(Evaluated::Table {
                vars,
                rows,
                truncated,
            })
        }
        QueryResults::Graph(triples) => {
            let mut ser = RdfSerializer::from_format(RdfFormat::Turtle);
            for (p, ns) in PREFIXES {
                ser = ser.with_prefix(*p, *ns).expect("valid prefix IRIs");
            }
            let mut body = Vec::new();
            let mut w = ser.for_writer(&mut body);
            let mut truncated = false;
            for (i, t) in triples.enumerate() {
                let t = match t {
                    Ok(t) => t,
                    Err(e) => return failed(e),
                };
                if i == cx.max_rows {
                    truncated = true;
                    break;
                }
                w.serialize_triple(&t)
                    .map_err(|e| PageError::Query(e.to_string()))?;
            }
            w.finish().map_err(|e| PageError::Query(e.to_string()))?;
            Ok(Evaluated::Turtle(
                String::from_utf8_lossy(&body).into_owned(),
                truncated,
            ))
        }
    }
}

/// One cell of a results table.
fn cell(t: &Term, label: Option<&str>) -> Markup {
    html! {
        @match (t, label) {
            (Term::NamedNode(n), Some(l)) => { (entity_link(n.as_str(), l, true)) }
            (Term::NamedNode(n), None) => { span.iri { (n.as_str()) } }
            (Term::Literal(l), _) => {
                (l.value())
                @if let Some(lang) = l.language() { span.muted { " @" (lang) } }
            }
            (t, _) => { span.iri { (t.to_string()) } }
        }
    }
}

/// The results of `text`, with download links.
pub fn show(text: &str, outcome: &Evaluated) -> Markup {
    let downloads = |formats: &[&str]| {
        html! {
            p.downloads {
                "Download: "
                @if encode(text).len() > MAX_GET {
                    // Too long for a link: each format is a button posting
                    // the text to /query.
                    @for f in formats {
                        form action=(format!("/query?format={f}")) method="post" style="display:inline" {
                            input type="hidden" name="query" value=(text);
                            button type="submit" data-format=(f) { (f.to_uppercase()) }
                        }
                        " "
                    }
                } @else {
                    @for (i, f) in formats.iter().enumerate() {
                        @if i > 0 { " · " }
                        a href=(download_link(text, f)) data-format=(f) { (f.to_uppercase()) }
                    }
                }
            }
        }
    };
    html! {
        h2 { "Results" }
        @match outcome {
            Evaluated::NotAQuery(e) => {
                p.error role="alert" { "The text is not a query:" }
                pre.error #syntax-error { (e) }
            }
            Evaluated::Failed(e) => { p.error role="alert" #query-error { (e) } }
            Evaluated::Boolean(b) => {
                p #ask-answer data-answer=(b) { strong { @if *b { "yes" } @else { "no" } } }
                (downloads(&["json", "xml", "csv", "tsv"]))
            }
            Evaluated::Table { vars, rows, truncated } => {
                p.muted #row-count {
                    (rows.len()) " rows"
                    @if *truncated { " shown; more in the downloads (up to the server's row limit)" }
                }
                (downloads(&["csv", "json", "tsv", "xml"]))
                table #results {
                    tr { @for v in vars { th { "?" (v) } } }
                    @for row in rows {
                        tr {
                            @for c in row {
                                td {
                                    @if let Some((t, l)) = c { (cell(t, l.as_deref())) }
                                }
                            }
                        }
                    }
                }
            }
            Evaluated::Turtle(ttl, truncated) => {
                @if *truncated { p.muted { "Triples left out after the server's row limit." } }
                pre #turtle { (ttl) }
            }
        }
    }
}

/// The page of a named query: its description, its parameters as fields
/// (sent to the query page, which binds them), and its text in the query
/// page's editor. `None` when there is no such query.
pub fn named_query_page(name: &str) -> Option<Made> {
    let q = named(name)?;
    let text = bind_params(q.text, &[]).ok();
    let params = declared_params(q.text);
    Some(Made::Html(super::layout::page(
        q.name,
        html! {
            h1 { "Named query " code { (q.name) } }
            p { (q.description()) }
            @if !params.is_empty() {
                form action="/sparql" method="get" #params {
                    input type="hidden" name="named" value=(q.name);
                    @for (p, d) in &params {
                        label {
                            code { "$" (p) } " "
                            input type="text" name=(format!("param.{p}")) placeholder=(d.as_deref().unwrap_or("")) value=(d.as_deref().unwrap_or(""));
                        }
                        " "
                    }
                    button type="submit" { "Run with these values" }
                }
            }
            p.muted { "Or edit the text and run it on the query page:" }
            (editor(text.as_deref().unwrap_or(q.text), Some(q.name)))
            p.muted { "At the command line: " code { "zhkg query " (q.name) } }
        },
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_read_from_the_url() {
        let a = Ask::of(Some(
            "named=county&param.county=%E5%B7%A8%E9%B9%BF&param.x=+",
        ));
        assert_eq!(a.named.as_deref(), Some("county"));
        assert_eq!(a.params, vec![("county".to_owned(), "巨鹿".to_owned())]);
        assert_eq!(
            Ask::of(Some("query=ASK%7B%7D")).query.as_deref(),
            Some("ASK{}")
        );
        assert_eq!(Ask::of(None), Ask::default());
    }

    #[test]
    fn download_links_carry_the_query_encoded() {
        let l = download_link("SELECT * { ?s ?p \"a&b\" }", "csv");
        assert!(l.starts_with("/query?query=SELECT+*"), "{l}");
        assert!(l.ends_with("&format=csv"), "{l}");
        assert!(!l.contains('"') && !l.contains(' '), "{l}");
    }

    #[test]
    fn errors_and_literals_are_escaped() {
        let html = show("x", &Evaluated::NotAQuery("<script>".into())).into_string();
        assert!(html.contains("&lt;script&gt;") && !html.contains("<script>"));
        let t = Term::Literal(oxigraph::model::Literal::new_simple_literal("<b>&"));
        assert_eq!(cell(&t, None).into_string(), "&lt;b&gt;&amp;");
    }
}
