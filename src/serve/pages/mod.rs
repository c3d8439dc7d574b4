//! The HTML pages of `zhkg serve`, rendered on the server (they work with
//! JavaScript off and load nothing from elsewhere), and the Linked Data
//! answers at the same addresses.
//!
//! - `GET /` for a client that prefers `text/html` ([`home`]): what the
//!   graph holds, a search box, the named queries;
//! - `GET /search?q=…` ([`search`]): entities by label or alias, in
//!   simplified or traditional script;
//! - `GET /id/<kind>/<local>` ([`entity`]): the entity whose IRI is
//!   `https://w3id.org/zhkg/id/<kind>/<local>`; by content negotiation a
//!   browser gets its page, `Accept: text/turtle`, `application/n-triples`,
//!   `application/ld+json` or `application/rdf+xml` its description and
//!   facts as RDF;
//! - `GET /id/article/<id>` ([`article`]): the article with every mention
//!   marked, or its named graph as RDF;
//! - `GET /queries/<name>` ([`sparql`]): a named query, ready to send to
//!   `/query`, opening the query page with its parameters as fields;
//! - `GET /sparql?query=…` ([`sparql`]): the query page, a SPARQL editor
//!   with the results of the query below it.
//!
//! Every page is made under the endpoint's gate and time limit, like a
//! query. It reads the store by index lookups only ([`read`]), with every
//! list capped, so a page costs about the same at 5 and at 20,000
//! articles. Every value from an article or the store is escaped by the
//! templates ([`layout`]).

pub mod article;
pub mod chart;
pub mod entity;
pub mod home;
pub mod layout;
pub mod read;
pub mod search;
pub mod sparql;

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use maud::{Markup, html};
use oxhttp::model::header::{CONTENT_SECURITY_POLICY, VARY};
use oxhttp::model::{HeaderName, StatusCode};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::Triple;
use oxigraph::sparql::CancellationToken;
use oxigraph::store::Store;

use super::negotiate::{GRAPH_FORMATS, choose};
use super::protocol::Answer;
use crate::rdf::iri::{decode_segment, encode_segment};
use crate::rdf::vocab::{ID, PREFIXES};
use read::PageError;

/// A request for a page, read from its path and query string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `/`.
    Home,
    /// `/search?q=…`.
    Search(String),
    /// `/queries/<name>`.
    NamedQuery(String),
    /// `/id/…`: the thing whose IRI is `https://w3id.org/zhkg/id/…`.
    Resource(String),
    /// `/sparql?query=…`: the query page.
    Sparql(sparql::Ask),
}

impl Route {
    /// The page `path` (with its `query` string) asks for, if it is one.
    /// `/` is left to the caller, which answers a status text to clients
    /// that do not want HTML.
    pub fn of(path: &str, query: Option<&str>) -> Option<Self> {
        if path == "/search" {
            let q = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
                .find(|(k, _)| k == "q")
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default();
            return Some(Self::Search(q));
        }
        if path == "/sparql" {
            return Some(Self::Sparql(sparql::Ask::of(query)));
        }
        if let Some(name) = path.strip_prefix("/queries/") {
            return Some(Self::NamedQuery(decode_segment(name)));
        }
        let rest = path.strip_prefix("/id/")?;
        // Each segment is decoded and encoded again as the IRIs are minted
        // (`%e5` and a raw character both become `%E5`).
        let normal: Vec<String> = rest
            .split('/')
            .map(|s| encode_segment(&decode_segment(s)))
            .collect();
        Some(Self::Resource(format!("{ID}{}", normal.join("/"))))
    }
}

impl Route {
    /// The query page for a form posted to `/sparql` (a query too long
    /// for a URL).
    pub fn sparql_form(form: &[u8]) -> Self {
        Self::Sparql(sparql::Ask::of_form(form))
    }
}

/// What a client asked for at an entity's or an article's address.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Want {
    /// The HTML page.
    Html,
    /// Its triples in an RDF syntax.
    Rdf(RdfFormat),
}

/// The formats offered at an entity's or article's address: HTML first
/// (for a client that says nothing, or `*/*`), then the RDF syntaxes of
/// the query endpoint.
const OFFERS: [Option<RdfFormat>; 5] = [
    None,
    Some(GRAPH_FORMATS[0]),
    Some(GRAPH_FORMATS[1]),
    Some(GRAPH_FORMATS[2]),
    Some(GRAPH_FORMATS[3]),
];

fn offer_media_type(o: Option<RdfFormat>) -> &'static str {
    o.map_or("text/html", RdfFormat::media_type)
}

fn offer_of_media_type(m: &str) -> Option<Option<RdfFormat>> {
    if m == "text/html" || m == "application/xhtml+xml" {
        Some(None)
    } else {
        RdfFormat::from_media_type(m).map(Some)
    }
}

/// What `accept` prefers at an entity's or article's address, or the media
/// types offered (for a 406).
pub fn want(accept: Option<&str>) -> Result<Want, Vec<&'static str>> {
    match choose(accept, &OFFERS, offer_media_type, offer_of_media_type) {
        Some(None) => Ok(Want::Html),
        Some(Some(f)) => Ok(Want::Rdf(f)),
        None => Err(OFFERS.map(offer_media_type).to_vec()),
    }
}

/// Whether `accept` prefers HTML to plain text (a browser), for `/`.
pub fn wants_html(accept: Option<&str>) -> bool {
    let offers = ["text/plain", "text/html"];
    choose(
        accept,
        &offers,
        |o| o,
        |m| offers.iter().copied().find(|o| *o == m),
    ) == Some("text/html")
}

/// State the pages keep between requests: the home page's counts and the
/// search's labels, which hold until the store changes.
#[derive(Default)]
pub struct Site {
    /// Bumped by every update of the store.
    generation: AtomicU64,
    /// The home page's counts.
    summary: Kept<home::Summary>,
    /// The search's labels in memory.
    labels: Kept<search::Labels>,
}

/// Something read from the store once per version of it, and the version
/// (generation) it was read at.
pub struct Kept<T>(Mutex<Option<(u64, std::sync::Arc<T>)>>);

impl<T> Default for Kept<T> {
    fn default() -> Self {
        Self(Mutex::new(None))
    }
}

impl<T> Kept<T> {
    /// What was read at the site's current generation, or `read` now. It is
    /// read holding the lock: a request that comes while the warming thread
    /// reads it waits for that rather than reading it a second time beside
    /// it.
    pub fn get(
        &self,
        site: &Site,
        read: impl FnOnce() -> read::Read<T>,
    ) -> read::Read<std::sync::Arc<T>> {
        let generation = site.generation.load(Ordering::SeqCst);
        let mut kept = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((g, t)) = &*kept
            && *g == generation
        {
            return Ok(std::sync::Arc::clone(t));
        }
        let t = std::sync::Arc::new(read()?);
        *kept = Some((generation, std::sync::Arc::clone(&t)));
        Ok(t)
    }
}

impl Site {
    /// The store has changed: counts and labels read before are stale.
    pub fn changed(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }
}

/// What a page needs to be made.
pub struct PageContext<'a> {
    /// The store.
    pub store: &'a Store,
    /// Cancelled at the time limit.
    pub token: &'a CancellationToken,
    /// State kept between requests.
    pub site: &'a Site,
    /// Most triples in an RDF answer.
    pub max_rows: usize,
}

/// Answers a page request.
pub fn answer(cx: &PageContext<'_>, route: &Route, want: Want) -> Answer {
    let made = match route {
        Route::Home => home::page(cx).map(Some),
        Route::Search(q) => search::page(cx, q).map(Some),
        Route::NamedQuery(name) => Ok(sparql::named_query_page(name)),
        Route::Sparql(ask) => sparql::page(cx, ask).map(Some),
        Route::Resource(iri) => resource(cx, iri, want),
    };
    match made {
        Ok(Some(Made::Html(markup))) => html_answer(StatusCode::OK, markup),
        Ok(Some(Made::Refused(markup))) => html_answer(StatusCode::BAD_REQUEST, markup),
        Ok(Some(Made::Rdf(triples, format))) => rdf_answer(triples, format, cx.max_rows),
        Ok(None) => not_found(route, want),
        Err(PageError::Cancelled) => Answer::text(
            StatusCode::SERVICE_UNAVAILABLE,
            "the page was stopped at the time limit",
        ),
        Err(e) => Answer::text(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

/// A page made: HTML, or triples to write in an RDF syntax.
pub enum Made {
    /// An HTML page.
    Html(Markup),
    /// An HTML page that says why the request cannot be answered (a query
    /// with a syntax error): sent with 400.
    Refused(Markup),
    /// Triples and the syntax asked for.
    Rdf(Vec<Triple>, RdfFormat),
}

fn resource(cx: &PageContext<'_>, iri: &str, want: Want) -> read::Read<Option<Made>> {
    match layout::Kind::of_iri(iri) {
        Some(layout::Kind::Article) => article::answer(cx, iri, want),
        Some(_) => entity::answer(cx, iri, want),
        None => Ok(None),
    }
}

/// A 200 (or other) HTML answer, with headers that forbid scripts and
/// framing and keep the browser from guessing types.
pub fn html_answer(status: StatusCode, markup: Markup) -> Answer {
    Answer {
        status,
        content_type: "text/html; charset=utf-8",
        body: markup.into_string().into_bytes(),
        headers: Vec::new(),
    }
    .with_header(
        CONTENT_SECURITY_POLICY,
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    )
    .with_header(HeaderName::from_static("x-content-type-options"), "nosniff")
    .with_header(HeaderName::from_static("referrer-policy"), "no-referrer")
    .with_header(VARY, "Accept")
}

fn rdf_answer(mut triples: Vec<Triple>, format: RdfFormat, max_rows: usize) -> Answer {
    let internal = |e: std::io::Error| {
        Answer::text(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot write the triples: {e}"),
        )
    };
    let truncated = triples.len() > max_rows;
    triples.truncate(max_rows);
    let mut ser = RdfSerializer::from_format(format);
    for (p, ns) in PREFIXES {
        ser = ser.with_prefix(*p, *ns).expect("valid prefix IRIs");
    }
    let mut body = Vec::new();
    let mut w = ser.for_writer(&mut body);
    for t in &triples {
        if let Err(e) = w.serialize_triple(t) {
            return internal(e);
        }
    }
    if let Err(e) = w.finish() {
        return internal(e);
    }
    let mut a = Answer {
        status: StatusCode::OK,
        content_type: super::negotiate::Format::Graph(format).content_type(),
        body,
        headers: Vec::new(),
    }
    .with_header(VARY, "Accept");
    if truncated {
        a = a.with_header(
            HeaderName::from_static("x-zhkg-truncated"),
            max_rows.to_string(),
        );
    }
    a
}

fn not_found(route: &Route, want: Want) -> Answer {
    let what = match route {
        Route::Resource(iri) => format!("nothing in the graph is named <{iri}>"),
        Route::NamedQuery(name) => format!("there is no named query {name:?}"),
        _ => "no such page".to_owned(),
    };
    match want {
        Want::Html => html_answer(
            StatusCode::NOT_FOUND,
            layout::page(
                "Not found",
                html! {
                    h1 { "Not found" }
                    p { (what) }
                    p { "Search for it by name, or go " a href="/" { "home" } "." }
                },
            ),
        ),
        Want::Rdf(_) => Answer::text(StatusCode::NOT_FOUND, what),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_normalise_the_iri_path() {
        assert_eq!(
            Route::of("/id/place/130529", None),
            Some(Route::Resource(
                "https://w3id.org/zhkg/id/place/130529".into()
            ))
        );
        let encoded = Route::of("/id/org/%e6%b7%98%e5%ae%9d", None);
        assert_eq!(
            encoded,
            Some(Route::Resource(
                "https://w3id.org/zhkg/id/org/%E6%B7%98%E5%AE%9D".into()
            ))
        );
        assert_eq!(
            Route::of("/search", Some("q=%E6%B7%98%E5%AF%B6&x=1")),
            Some(Route::Search("淘寶".into()))
        );
        assert_eq!(Route::of("/elsewhere", None), None);
    }

    #[test]
    fn browsers_get_html_and_linked_data_clients_get_rdf() {
        let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert_eq!(want(Some(browser)), Ok(Want::Html));
        assert_eq!(want(None), Ok(Want::Html));
        assert_eq!(want(Some("text/turtle")), Ok(Want::Rdf(RdfFormat::Turtle)));
        assert_eq!(
            want(Some("application/n-triples, text/html;q=0.5")),
            Ok(Want::Rdf(RdfFormat::NTriples))
        );
        assert!(matches!(
            want(Some("application/ld+json")),
            Ok(Want::Rdf(RdfFormat::JsonLd { .. }))
        ));
        assert!(want(Some("image/png")).is_err());
        assert!(wants_html(Some(browser)));
        assert!(!wants_html(None));
        assert!(!wants_html(Some("*/*")));
        assert!(!wants_html(Some("text/plain")));
    }
}
