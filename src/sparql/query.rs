//! SPARQL: named queries (the `queries/*.rq` files, embedded), ad-hoc query
//! text, result formats (aligned table, CSV, TSV, JSON, XML; Turtle for
//! graphs), and syntax errors that point at a line and column.
//!
//! Queries see the union of all named graphs as their default graph unless
//! they name a dataset with `FROM`.

use std::io::Write;
use std::sync::LazyLock;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::Term;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QueryEvaluationError, QueryResults, SparqlEvaluator};
use regex::Regex;

use crate::error::QueryError;
use crate::rdf::vocab::PREFIXES;
use crate::store::GraphStore;

/// A named query kept in `queries/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NamedQuery {
    /// Its name (the file stem).
    pub name: &'static str,
    /// Its text.
    pub text: &'static str,
}

impl NamedQuery {
    /// The one-line description: the first `# ` comment line.
    pub fn description(&self) -> &'static str {
        self.text
            .lines()
            .find_map(|l| l.strip_prefix('#'))
            .map_or("", str::trim)
    }
}

macro_rules! named {
    ($($name:literal),* $(,)?) => {
        &[$(NamedQuery { name: $name, text: include_str!(concat!("../../queries/", $name, ".rq")) }),*]
    };
}

/// The named queries shipped with zhkg.
pub const NAMED_QUERIES: &[NamedQuery] = named![
    "articles",
    "contested-figures",
    "county",
    "entities-by-type",
    "entity-articles",
    "multi-article-entities",
    "organisation",
    "organisations-per-county",
    "outcomes",
    "outcomes-by-county",
    "outcomes-by-family",
    "outcomes-csv",
    "people",
    "person",
    "places",
    "programme",
    "programmes",
    "programmes-by-organisation",
    "provenance",
    "timeline",
    "wages",
];

/// The parameters a query declares with `# param NAME DEFAULT` lines; each is
/// written `$NAME` in the query and replaced by a string literal.
pub fn declared_params(text: &str) -> Vec<(String, Option<String>)> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("# param "))
        .map(|rest| {
            let mut parts = rest.trim().splitn(2, char::is_whitespace);
            let name = parts.next().unwrap_or_default().to_owned();
            let default = parts
                .next()
                .map(|d| d.trim().to_owned())
                .filter(|d| !d.is_empty());
            (name, default)
        })
        .filter(|(n, _)| !n.is_empty())
        .collect()
}

/// Replaces each declared `$NAME` with the given value (or its default) as a
/// SPARQL string literal.
pub fn bind_params(text: &str, given: &[(String, String)]) -> Result<String, QueryError> {
    let declared = declared_params(text);
    for (name, _) in given {
        if !declared.iter().any(|(d, _)| d == name) {
            let names: Vec<&str> = declared.iter().map(|(d, _)| d.as_str()).collect();
            return Err(QueryError::Param(format!(
                "this query has no parameter {name:?} (it has: {})",
                if names.is_empty() {
                    "none".to_owned()
                } else {
                    names.join(", ")
                }
            )));
        }
    }
    let mut out = text.to_owned();
    for (name, default) in declared {
        let value = given
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .or(default)
            .ok_or_else(|| QueryError::Param(format!("give --param {name}=VALUE")))?;
        let literal = format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""));
        let pattern = Regex::new(&format!(r"\${}\b", regex::escape(&name))).expect("valid regex");
        out = pattern
            .replace_all(&out, regex::NoExpand(&literal))
            .into_owned();
    }
    Ok(out)
}

/// Looks up a named query.
pub fn named(name: &str) -> Option<&'static NamedQuery> {
    NAMED_QUERIES.iter().find(|q| q.name == name)
}

/// Output formats for query results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultFormat {
    /// An aligned text table (solutions) or Turtle (graphs).
    Table,
    /// SPARQL 1.1 CSV.
    Csv,
    /// SPARQL 1.1 TSV.
    Tsv,
    /// SPARQL 1.1 JSON.
    Json,
    /// SPARQL 1.1 XML.
    Xml,
    /// An RDF syntax, for CONSTRUCT and DESCRIBE.
    Rdf(RdfFormat),
}

static POSITION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"at (\d+):(\d+)").expect("valid regex"));

/// A SPARQL parser (spargebra's, for queries rewritten before they run)
/// that knows the prefixes named queries may use undeclared.
pub fn parser() -> spargebra::SparqlParser {
    let mut parser = spargebra::SparqlParser::new();
    for (p, ns) in PREFIXES {
        parser = parser.with_prefix(*p, *ns).expect("valid prefix IRIs");
    }
    parser
}

/// Parses query text, turning syntax errors into [`QueryError::Syntax`].
pub fn parse(text: &str) -> Result<oxigraph::sparql::PreparedSparqlQuery, QueryError> {
    parse_with(SparqlEvaluator::new(), text)
}

/// [`parse`] with an evaluator set up by the caller (a cancellation token,
/// no SERVICE handler…); the vocabulary's prefixes are added.
pub fn parse_with(
    mut ev: SparqlEvaluator,
    text: &str,
) -> Result<oxigraph::sparql::PreparedSparqlQuery, QueryError> {
    for (p, ns) in PREFIXES {
        ev = ev.with_prefix(*p, *ns).expect("valid prefix IRIs");
    }
    match ev.parse_query(text) {
        Ok(q) => Ok(q),
        Err(e) => {
            if is_update(text) {
                return Err(QueryError::UpdateRefused);
            }
            Err(syntax_error(text, &e))
        }
    }
}

/// The [`QueryError::Syntax`] for a parse error of `text` (from oxigraph or
/// spargebra): the line and column, the parser's message tidied, and the
/// offending line with a caret under the column.
pub fn syntax_error(text: &str, error: &impl std::fmt::Display) -> QueryError {
    let raw = error.to_string();
    let message = tidy_message(&raw);
    let (line, column) = POSITION
        .captures(&raw)
        .and_then(|c| Some((c[1].parse().ok()?, c[2].parse().ok()?)))
        .unwrap_or((1, 1));
    QueryError::Syntax {
        line,
        column,
        snippet: caret(text, line, column),
        message,
    }
}

/// The parser's message without its position prefix, and with a long list
/// of expected tokens cut to its first few.
fn tidy_message(raw: &str) -> String {
    let m = raw
        .split_once(": ")
        .filter(|(a, _)| a.starts_with("error at"))
        .map_or(raw, |(_, b)| b);
    match m.split_once("expected one of ") {
        Some((_, list)) if list.len() > 80 => {
            let items: Vec<&str> = list
                .split(", ")
                .filter(|i| i.starts_with('"') || i.chars().all(|c| c.is_ascii_uppercase()))
                .take(8)
                .collect();
            format!("unexpected input; expected one of {}, …", items.join(", "))
        }
        _ => m.to_owned(),
    }
}

fn is_update(text: &str) -> bool {
    static UPDATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*(?:(?:PREFIX|BASE)\s[^\n]*\n\s*)*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b").expect("valid regex")
    });
    let without_comments: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    UPDATE.is_match(&without_comments)
}

fn caret(text: &str, line: u64, column: u64) -> String {
    let Some(l) = text.lines().nth(line.saturating_sub(1) as usize) else {
        return String::new();
    };
    let pad: String = l
        .chars()
        .take(column.saturating_sub(1) as usize)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    format!("  {l}\n  {pad}^")
}

/// A query restricted to one page of its results ([`page`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The query text with the page's OFFSET and LIMIT (full IRIs, no
    /// prefixes needed).
    pub text: String,
    /// True when the query orders its results (ORDER BY), so that pages
    /// follow that order.
    pub ordered: bool,
}

/// Restricts a query to one page of its results: `offset` solutions
/// skipped, then at most `limit`. A LIMIT or OFFSET the query has already
/// is kept: the page is taken inside it (`LIMIT 50` and `--offset 40
/// --limit 20` give its solutions 40 to 49). ASK has no page.
pub fn page(text: &str, offset: usize, limit: Option<usize>) -> Result<Page, QueryError> {
    use spargebra::Query;
    let mut query = match parser().parse_query(text) {
        Ok(q) => q,
        Err(_) if is_update(text) => return Err(QueryError::UpdateRefused),
        Err(e) => return Err(syntax_error(text, &e)),
    };
    let pattern = match &mut query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. } => pattern,
        Query::Ask { .. } => return Err(QueryError::AskHasNoPage),
    };
    let ordered = is_ordered(pattern);
    let inner = std::mem::take(pattern);
    *pattern = slice(inner, offset, limit);
    Ok(Page {
        text: query.to_string(),
        ordered,
    })
}

/// `pattern` with `offset` more solutions skipped and at most `limit` kept.
fn slice(
    pattern: spargebra::algebra::GraphPattern,
    offset: usize,
    limit: Option<usize>,
) -> spargebra::algebra::GraphPattern {
    use spargebra::algebra::GraphPattern;
    match pattern {
        GraphPattern::Slice {
            inner,
            start,
            length,
        } => {
            let left = length.map(|l| l.saturating_sub(offset));
            GraphPattern::Slice {
                inner,
                start: start + offset,
                length: match (left, limit) {
                    (Some(l), Some(m)) => Some(l.min(m)),
                    (l, m) => l.or(m),
                },
            }
        }
        inner => GraphPattern::Slice {
            inner: Box::new(inner),
            start: offset,
            length: limit,
        },
    }
}

/// True when the solutions are sorted (an ORDER BY under the slice,
/// projection and DISTINCT the parser wraps them in).
fn is_ordered(pattern: &spargebra::algebra::GraphPattern) -> bool {
    use spargebra::algebra::GraphPattern;
    match pattern {
        GraphPattern::OrderBy { .. } => true,
        GraphPattern::Slice { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Project { inner, .. } => is_ordered(inner),
        _ => false,
    }
}

/// Runs a read-only query on the store.
pub fn run<'a>(store: &'a GraphStore, text: &str) -> Result<QueryResults<'a>, QueryError> {
    execute(store, parse(text)?)
}

/// The most solutions [`run_sorted`] holds to sort them itself; a query
/// that gives more is evaluated again with the store's own ORDER BY, whose
/// rows take less memory (numbers, not text).
const MAX_SORTED_BY_QUERY: usize = 1 << 20;

/// Runs a read-only query like [`run`]; a SELECT whose ORDER BY is made
/// of projected variables alone is evaluated without it and its solutions
/// sorted here (see [`evaluate_sorted`]).
pub fn run_sorted<'a>(store: &'a GraphStore, text: &str) -> Result<QueryResults<'a>, QueryError> {
    match parser().parse_query(text) {
        Ok(parsed) => evaluate_sorted(parsed, MAX_SORTED_BY_QUERY, |q| run_parsed(store, q)),
        // `run` reports the error with the query's own text.
        Err(_) => run(store, text),
    }
}

/// Evaluates `query` with `evaluate`; a SELECT whose ORDER BY is made of
/// projected variables alone is evaluated without it, its solutions (up to
/// `most` of them) sorted here, then sliced for its LIMIT and OFFSET. A
/// query that gives more solutions is evaluated again as it is, with the
/// store's own ORDER BY, whose rows take less memory (numbers, not text).
///
/// Oxigraph 0.5.13 sorts the solutions before it turns them into terms,
/// reading the text of a compared value (a name, an IRI) from the store on
/// every comparison of its sort: the 2,352 rows of one organisation's
/// lookup at 20,000 articles made some 26,000 comparisons. Sorted here,
/// each value's text is read once. The order is SPARQL's (see
/// [`super::order`]); solutions its ORDER BY ties may come in another
/// order than the store's, which is free to give them in any.
pub fn evaluate_sorted<'a, E: From<QueryEvaluationError>>(
    query: spargebra::Query,
    most: usize,
    evaluate: impl Fn(spargebra::Query) -> Result<QueryResults<'a>, E>,
) -> Result<QueryResults<'a>, E> {
    let Some(sorted) = SortedHere::of(query.clone()) else {
        return evaluate(query);
    };
    let QueryResults::Solutions(solutions) = evaluate(sorted.unordered)? else {
        return evaluate(query);
    };
    let variables: std::sync::Arc<[oxigraph::model::Variable]> = solutions.variables().into();
    let mut rows = Vec::new();
    for solution in solutions {
        if rows.len() == most {
            return evaluate(query);
        }
        rows.push(solution?.values().to_vec());
    }
    let page = super::order::sort_rows(rows, &sorted.columns)
        .into_iter()
        .skip(sorted.start)
        .take(sorted.length.unwrap_or(usize::MAX));
    let shared = std::sync::Arc::clone(&variables);
    Ok(QueryResults::Solutions(
        oxigraph::sparql::QuerySolutionIter::new(
            variables,
            page.map(move |values| {
                Ok(oxigraph::sparql::QuerySolution::from((
                    std::sync::Arc::clone(&shared),
                    values,
                )))
            }),
        ),
    ))
}

/// A SELECT query split for [`evaluate_sorted`]: its pattern without the ORDER
/// BY and slice, the columns and directions of the ORDER BY, and the slice.
struct SortedHere {
    unordered: spargebra::Query,
    columns: Vec<(usize, bool)>,
    start: usize,
    length: Option<usize>,
}

impl SortedHere {
    /// The split of `query`, when it is a SELECT ordered by projected
    /// variables alone (under its slice, DISTINCT or REDUCED and
    /// projection, where the parser puts the ORDER BY).
    fn of(query: spargebra::Query) -> Option<Self> {
        use spargebra::Query;
        use spargebra::algebra::{Expression, GraphPattern, OrderExpression};
        let Query::Select {
            dataset,
            pattern,
            base_iri,
        } = query
        else {
            return None;
        };
        let (pattern, start, length) = match pattern {
            GraphPattern::Slice {
                inner,
                start,
                length,
            } => (*inner, start, length),
            p => (p, 0, None),
        };
        let (pattern, wrap): (GraphPattern, fn(GraphPattern) -> GraphPattern) = match pattern {
            GraphPattern::Distinct { inner } => {
                (*inner, |p| GraphPattern::Distinct { inner: Box::new(p) })
            }
            GraphPattern::Reduced { inner } => {
                (*inner, |p| GraphPattern::Reduced { inner: Box::new(p) })
            }
            p => (p, |p| p),
        };
        let GraphPattern::Project { inner, variables } = pattern else {
            return None;
        };
        let GraphPattern::OrderBy { inner, expression } = *inner else {
            return None;
        };
        let columns = expression
            .iter()
            .map(|e| {
                let (v, descending) = match e {
                    OrderExpression::Asc(Expression::Variable(v)) => (v, false),
                    OrderExpression::Desc(Expression::Variable(v)) => (v, true),
                    _ => return None,
                };
                Some((variables.iter().position(|x| x == v)?, descending))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Self {
            unordered: Query::Select {
                dataset,
                pattern: wrap(GraphPattern::Project { inner, variables }),
                base_iri,
            },
            columns,
            start,
            length,
        })
    }
}

/// Runs a query already parsed (a spargebra algebra, as [`page`] and the
/// partitioned pages rewrite it), with the same default graph as [`run`].
pub fn run_parsed(
    store: &GraphStore,
    query: spargebra::Query,
) -> Result<QueryResults<'_>, QueryError> {
    execute(store, SparqlEvaluator::new().for_query(query))
}

/// Evaluates a prepared query; without a dataset of its own, its default
/// graph is the union of the named graphs.
fn execute(
    store: &GraphStore,
    mut q: oxigraph::sparql::PreparedSparqlQuery,
) -> Result<QueryResults<'_>, QueryError> {
    if q.dataset().is_default_dataset() {
        q.dataset_mut().set_default_graph_as_union();
    }
    Ok(q.on_store(store.inner()).execute()?)
}

/// Runs a read-only query like [`run`] and also gives Oxigraph's plan for
/// it, with the time and row count of each step once the results have been
/// read to the end (`zhkg query --explain`).
pub fn explain<'a>(
    store: &'a GraphStore,
    text: &str,
) -> Result<(QueryResults<'a>, oxigraph::sparql::QueryExplanation), QueryError> {
    let mut q = parse(text)?;
    if q.dataset().is_default_dataset() {
        q.dataset_mut().set_default_graph_as_union();
    }
    let (results, plan) = q.on_store(store.inner()).compute_statistics().explain();
    Ok((results?, plan))
}

/// Runs a SPARQL update (only with `--update`).
pub fn update(store: &GraphStore, text: &str) -> Result<(), QueryError> {
    update_with(SparqlEvaluator::new(), store, text)
}

/// [`update`] with an evaluator set up by the caller.
pub fn update_with(
    mut ev: SparqlEvaluator,
    store: &GraphStore,
    text: &str,
) -> Result<(), QueryError> {
    for (p, ns) in PREFIXES {
        ev = ev.with_prefix(*p, *ns).expect("valid prefix IRIs");
    }
    let u = ev.parse_update(text).map_err(|e| syntax_error(text, &e))?;
    u.on_store(store.inner()).execute()?;
    Ok(())
}

/// A term as plain text for tables: IRIs in angle brackets shortened with
/// the prefixes, literals by value.
pub fn display_term(t: &Term) -> String {
    match t {
        Term::NamedNode(n) => {
            for (p, ns) in PREFIXES {
                if let Some(local) = n.as_str().strip_prefix(ns)
                    && !local.contains(['/', '#'])
                {
                    return format!("{p}:{}", crate::rdf::iri::decode_segment(local));
                }
            }
            format!("<{}>", crate::rdf::iri::decode_segment(n.as_str()))
        }
        Term::BlankNode(b) => b.to_string(),
        Term::Literal(l) => l.value().to_owned(),
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

/// Writes results in `format`.
pub fn write_results(
    results: QueryResults<'_>,
    format: ResultFormat,
    out: &mut dyn Write,
) -> Result<(), QueryError> {
    match results {
        QueryResults::Solutions(solutions) => {
            let vars = solutions.variables().to_vec();
            let rf = match format {
                ResultFormat::Table | ResultFormat::Rdf(_) => {
                    let mut rows: Vec<Vec<String>> = Vec::new();
                    for s in solutions {
                        let s = s?;
                        rows.push(
                            vars.iter()
                                .map(|v| s.get(v).map(display_term).unwrap_or_default())
                                .collect(),
                        );
                    }
                    let header: Vec<String> = vars.iter().map(|v| v.as_str().to_owned()).collect();
                    write_table(&header, &rows, out)?;
                    return Ok(());
                }
                ResultFormat::Csv => QueryResultsFormat::Csv,
                ResultFormat::Tsv => QueryResultsFormat::Tsv,
                ResultFormat::Json => QueryResultsFormat::Json,
                ResultFormat::Xml => QueryResultsFormat::Xml,
            };
            let mut ser =
                QueryResultsSerializer::from_format(rf).serialize_solutions_to_writer(out, vars)?;
            for s in solutions {
                let s = s?;
                ser.serialize(s.iter())?;
            }
            ser.finish()?;
        }
        QueryResults::Boolean(b) => match format {
            ResultFormat::Table | ResultFormat::Rdf(_) => writeln!(out, "{b}")?,
            ResultFormat::Csv | ResultFormat::Tsv | ResultFormat::Json | ResultFormat::Xml => {
                let rf = match format {
                    ResultFormat::Csv => QueryResultsFormat::Csv,
                    ResultFormat::Tsv => QueryResultsFormat::Tsv,
                    ResultFormat::Xml => QueryResultsFormat::Xml,
                    _ => QueryResultsFormat::Json,
                };
                QueryResultsSerializer::from_format(rf).serialize_boolean_to_writer(out, b)?;
            }
        },
        QueryResults::Graph(triples) => {
            let rdf = match format {
                ResultFormat::Rdf(f) => f,
                _ => RdfFormat::Turtle,
            };
            let mut ser = RdfSerializer::from_format(rdf);
            for (p, ns) in PREFIXES {
                ser = ser.with_prefix(*p, *ns).expect("valid prefix IRIs");
            }
            let mut w = ser.for_writer(out);
            for t in triples {
                w.serialize_triple(&t?)?;
            }
            w.finish()?;
        }
    }
    Ok(())
}

fn write_table(
    header: &[String],
    rows: &[Vec<String>],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    out.write_all(crate::table::render(header, rows, Some(60)).as_bytes())?;
    writeln!(
        out,
        "({} row{})",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_taken_inside_the_querys_own_limit_and_offset() {
        // (query tail, --offset, --limit, expected OFFSET, expected LIMIT)
        let rows: &[(&str, usize, Option<usize>, usize, Option<usize>)] = &[
            ("", 0, Some(10), 0, Some(10)),
            ("", 20, Some(10), 20, Some(10)),
            ("", 5, None, 5, None),
            ("LIMIT 50", 40, Some(20), 40, Some(10)),
            ("LIMIT 50", 60, Some(20), 60, Some(0)),
            ("LIMIT 50", 0, Some(100), 0, Some(50)),
            ("OFFSET 7", 3, Some(2), 10, Some(2)),
            ("LIMIT 5 OFFSET 7", 3, None, 10, Some(2)),
        ];
        for (tail, offset, limit, start, length) in rows {
            let q = format!("SELECT ?s WHERE {{ ?s ?p ?o }} ORDER BY ?s {tail}");
            let page = page(&q, *offset, *limit).unwrap();
            assert!(page.ordered, "{q}");
            let parsed = spargebra::SparqlParser::new()
                .parse_query(&page.text)
                .unwrap();
            let spargebra::Query::Select { pattern, .. } = parsed else {
                panic!("{}", page.text)
            };
            let spargebra::algebra::GraphPattern::Slice {
                start: s,
                length: l,
                ..
            } = pattern
            else {
                panic!("no slice in {}", page.text)
            };
            assert_eq!(
                (s, l),
                (*start, *length),
                "{q} --offset {offset} --limit {limit:?}"
            );
        }
        let unordered = page("SELECT * WHERE { ?s ?p ?o }", 0, Some(1)).unwrap();
        assert!(!unordered.ordered);
        assert!(matches!(
            page("ASK { ?s ?p ?o }", 0, Some(1)),
            Err(QueryError::AskHasNoPage)
        ));
        // The vocabulary's prefixes need no declaration, as in `zhkg query`.
        assert!(page("SELECT ?c WHERE { ?c zhkg:divisionCode ?x }", 1, Some(1)).is_ok());
        assert!(matches!(
            page("SELECT ?x WHERE {\n ?x ?y }", 0, Some(1)),
            Err(QueryError::Syntax { line: 2, .. })
        ));
    }

    #[test]
    fn params_bind_as_literals() {
        let q = "# param county 巨鹿县\nSELECT * WHERE { ?c ?p $county . ?c ?q $countyx }";
        assert_eq!(
            declared_params(q),
            [("county".to_owned(), Some("巨鹿县".to_owned()))]
        );
        let bound = bind_params(q, &[]).unwrap();
        assert!(
            bound.contains("?p \"巨鹿县\" .") && bound.contains("$countyx"),
            "{bound}"
        );
        let bound = bind_params(q, &[("county".into(), "a\"b".into())]).unwrap();
        assert!(bound.contains(r#"?p "a\"b" ."#), "{bound}");
        assert!(matches!(
            bind_params(q, &[("x".into(), "1".into())]),
            Err(QueryError::Param(_))
        ));
    }

    /// (query, whether it is sorted here): a query ordered by projected
    /// variables gives, sorted here, the store's own rows in the store's
    /// own order, with its DISTINCT, its slice and a page taken inside it;
    /// any other is left to the store.
    #[test]
    fn queries_ordered_by_their_columns_are_sorted_here_as_the_store_sorts() {
        let store = GraphStore::in_memory().unwrap();
        store
            .inner()
            .load_from_reader(
                oxigraph::io::RdfFormat::Turtle,
                r#"@prefix ex: <http://x/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
                   ex:a ex:name "乙" ; ex:n 10 ; ex:day "2021-01-02"^^xsd:date ; ex:k ex:t1 .
                   ex:b ex:name "甲" ; ex:n 9.5 ; ex:k ex:t2 .
                   ex:c ex:name "甲"@zh ; ex:n -2 ; ex:day "2020-05-01"^^xsd:date ; ex:k ex:t1 .
                   ex:d ex:n 3 ; ex:k ex:t2 .
                   ex:e ex:name "丙" ; ex:k ex:t1 ."#
                    .as_bytes(),
            )
            .unwrap();
        let head = "PREFIX ex: <http://x/> ";
        let cases = [
            (
                "SELECT ?s ?name ?n WHERE { ?s ex:k ?k OPTIONAL { ?s ex:name ?name } OPTIONAL { ?s ex:n ?n } } ORDER BY ?name DESC(?n)",
                true,
            ),
            (
                "SELECT DISTINCT ?k ?day WHERE { ?s ex:k ?k OPTIONAL { ?s ex:day ?day } } ORDER BY DESC(?k) ?day LIMIT 3",
                true,
            ),
            (
                "SELECT ?s ?n WHERE { ?s ex:n ?n } ORDER BY ?n OFFSET 1 LIMIT 2",
                true,
            ),
            (
                "SELECT ?k (COUNT(?s) AS ?c) WHERE { ?s ex:k ?k } GROUP BY ?k ORDER BY DESC(?c) ?k",
                true,
            ),
            ("SELECT * WHERE { ?s ex:n ?n } ORDER BY ?s", true),
            // An expression, a variable not projected, no ORDER BY.
            (
                "SELECT ?s ?n WHERE { ?s ex:n ?n } ORDER BY DESC(ABS(?n))",
                false,
            ),
            ("SELECT ?s WHERE { ?s ex:n ?n } ORDER BY ?n", false),
            ("SELECT ?s WHERE { ?s ex:n ?n }", false),
        ];
        let rows = |r: QueryResults<'_>| -> Vec<Vec<Option<Term>>> {
            let QueryResults::Solutions(s) = r else {
                panic!("a SELECT query gives solutions")
            };
            s.map(|s| s.unwrap().values().to_vec()).collect()
        };
        for (query, here) in cases {
            let text = format!("{head}{query}");
            let parsed = parse_query_text(&text);
            assert_eq!(SortedHere::of(parsed).is_some(), here, "{query}");
            let theirs = rows(run(&store, &text).unwrap());
            assert!(!theirs.is_empty(), "{query}");
            assert_eq!(rows(run_sorted(&store, &text).unwrap()), theirs, "{query}");
            let paged = page(&text, 1, Some(2)).unwrap().text;
            assert_eq!(
                rows(run_sorted(&store, &paged).unwrap()),
                rows(run(&store, &paged).unwrap()),
                "{query} (a page)"
            );
        }
    }

    fn parse_query_text(text: &str) -> spargebra::Query {
        spargebra::SparqlParser::new().parse_query(text).unwrap()
    }

    #[test]
    fn every_named_query_parses_and_has_a_description() {
        for q in NAMED_QUERIES {
            let text = bind_params(q.text, &[]).unwrap();
            if let Err(e) = parse(&text) {
                panic!("{}: {e}", q.name);
            }
            assert!(!q.description().is_empty(), "{} has no description", q.name);
        }
    }

    #[test]
    fn syntax_errors_point_at_line_and_column() {
        let Err(err) = parse("SELECT ?x\nWHERE { ?x ?y }") else {
            panic!("parsed")
        };
        let QueryError::Syntax {
            line,
            column,
            snippet,
            ..
        } = err
        else {
            panic!("{err}")
        };
        assert_eq!(line, 2);
        assert!(column > 1);
        assert!(snippet.contains('^'));
    }

    #[test]
    fn updates_are_refused_by_parse() {
        let r = parse("INSERT DATA { <a:b> <a:c> <a:d> }");
        assert!(matches!(r, Err(QueryError::UpdateRefused)));
    }
}
