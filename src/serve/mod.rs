//! A SPARQL 1.1 Protocol endpoint over the store (`zhkg serve`).
//!
//! - `GET /query?query=…`, and `POST /query` with an
//!   `application/sparql-query` body or an
//!   `application/x-www-form-urlencoded` body with a `query` field;
//! - results by content negotiation (`Accept`): SELECT and ASK as SPARQL
//!   JSON (default), XML, CSV or TSV; CONSTRUCT and DESCRIBE as Turtle
//!   (default), N-Triples, RDF/XML or JSON-LD; a `format` parameter in the
//!   URL (`csv`, `tsv`, `json`, `xml`, `ttl`, `nt`) overrides `Accept`, so
//!   that a plain link downloads a format;
//! - `default-graph-uri` and `named-graph-uri` set the dataset (they
//!   override `FROM`); without them, and without `FROM`, the default graph
//!   is the union of the named graphs, as in `zhkg query`;
//! - `POST /update` only when the server was started with an update token,
//!   and then only with `Authorization: Bearer <token>` (401 otherwise);
//! - `GET /`: a status page (limits and load), or for a browser (a client
//!   that prefers `text/html`) the home page of the graph;
//! - HTML pages of the graph ([`pages`]): `/search?q=…`, entities at their
//!   own IRI paths (`/id/place/130529`) and articles (`/id/article/<id>`),
//!   with content negotiation (HTML for a browser, Turtle, N-Triples,
//!   RDF/XML or JSON-LD for a Linked Data client), and `/queries/<name>`.
//!
//! The HTTP/1.1 layer is [oxhttp](https://crates.io/crates/oxhttp), the
//! server under Oxigraph's own endpoint: one thread per open connection
//! (at most [`max_connections`] of them), keep-alive, and a strict request
//! parser that refuses ambiguous framing (`Content-Length` with
//! `Transfer-Encoding`) and control characters in headers with a 400.
//!
//! The endpoint is meant for a local analyst, so it is defensive: it binds to
//! loopback by default, refuses `LOAD`, never fetches a `SERVICE` (Oxigraph
//! is built without its HTTP client, so a `SERVICE` clause that is evaluated
//! fails, and the answer is 400), stops a query after a time limit (503),
//! stops a result after a number of rows (and says so in the
//! `X-Zhkg-Truncated` and `Warning` headers), and refuses request bodies over
//! a size limit (413).
//!
//! Each request is parsed once (spargebra), as a query at `/query` and as an
//! update at `/update`; the parsed query picks the result formats offered
//! (solutions or a graph), so a 406 costs no evaluation. Each evaluation
//! runs on its own thread with a cancellation token: when the time limit
//! passes, the token is cancelled and the client gets its answer at once,
//! while the evaluation stops at its next step. Results are buffered (they
//! are bounded by the row limit) so that a failure in the middle still gives
//! a clean error status.
//!
//! Load is bounded twice. At most [`ServeOptions::workers`] queries are
//! evaluated at a time (counting timed-out ones that are still stopping), so
//! CPU-bound queries do not multiply; requests beyond them wait their turn,
//! first come first served, in a queue of [`ServeOptions::queue`] places
//! for at most [`ServeOptions::queue_wait`]. A request that finds the queue
//! full, or waits longer than that, gets 503 with `Retry-After`.
//!
//! ```no_run
//! use zhkg::serve::{ServeOptions, start};
//! use zhkg::store::GraphStore;
//!
//! let store = GraphStore::open_read_only(std::path::Path::new("zhkg-store"))?;
//! let server = start(store, ServeOptions { bind: "127.0.0.1:0".into(), ..Default::default() })?;
//! println!("listening on http://{}/query", server.addr());
//! server.join();
//! # Result::<_, Box<dyn std::error::Error>>::Ok(())
//! ```

mod conventions;
mod gate;
mod negotiate;
mod pages;
mod protocol;

use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock, mpsc};
use std::time::{Duration, Instant};

use oxhttp::ListeningServer;
use oxhttp::model::header::{
    ACCEPT, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_MAX_AGE,
    ALLOW, AUTHORIZATION, HOST, VARY, WARNING, WWW_AUTHENTICATE,
};
use oxhttp::model::{Body, HeaderName, Method, Request, Response, StatusCode};
use oxigraph::io::RdfSerializer;
use oxigraph::sparql::results::QueryResultsSerializer;
use oxigraph::sparql::{
    CancellationToken, QueryEvaluationError, QueryResults, SparqlEvaluator, UpdateEvaluationError,
};

use gate::Gate;
pub use gate::ServeStats;
use negotiate::Format;
use protocol::{Answer, header};

use crate::rdf::vocab::PREFIXES;
use crate::store::GraphStore;

/// The default address: loopback only.
pub const DEFAULT_BIND: &str = "127.0.0.1:7878";

/// The `Retry-After` given with a 503 "busy", in seconds.
pub const RETRY_AFTER_SECS: u64 = 10;

/// How long a connection may wait on a read or a write of the client (an
/// idle keep-alive connection is closed after it).
pub const IO_TIMEOUT: Duration = Duration::from_secs(30);

/// Limits and switches of the endpoint.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to listen on (`host:port`; port 0 picks a free port).
    pub bind: String,
    /// Time limit of one query or update.
    pub timeout: Duration,
    /// Most solutions (SELECT) or triples (CONSTRUCT, DESCRIBE) returned.
    pub max_rows: usize,
    /// Largest accepted request body (and query string), in bytes.
    pub max_body: usize,
    /// When set, `POST /update` is allowed with this bearer token.
    pub update_token: Option<String>,
    /// The most queries (and updates) evaluated at once, counting
    /// timed-out ones that are still stopping.
    pub workers: usize,
    /// The most requests held beyond `workers`: they wait for an
    /// evaluation slot in arrival order. Beyond this the answer is 503.
    pub queue: usize,
    /// The longest a request waits for an evaluation slot (from its
    /// arrival); after it the answer is 503 with `Retry-After`.
    pub queue_wait: Duration,
    /// Answer cross-origin reads (`Access-Control-Allow-Origin: *` on
    /// queries, pages and graph reads, and `OPTIONS` preflights), so that a
    /// page served elsewhere may query the endpoint. Updates never are.
    pub cors: bool,
    /// The store's folder, for a store opened read-only: the server looks
    /// at it every [`REOPEN_CHECK`] and, once a build has changed it (and
    /// it has stayed unchanged for one more look, or has kept changing for
    /// [`REOPEN_AT_MOST`]), reopens its snapshot; requests in flight finish
    /// on the snapshot they started with.
    pub watch: Option<std::path::PathBuf>,
}

/// The most solutions of an ordered query the endpoint sorts itself, once
/// decoded (see `query::evaluate_sorted`); one that gives more is sorted by
/// the store, in less memory. A quarter of `zhkg query`'s bound: several
/// queries run at once here.
const MAX_SORTED_BY_ENDPOINT: usize = 1 << 18;

/// How often a read-only server looks for a build's changes to its store.
pub const REOPEN_CHECK: Duration = Duration::from_secs(1);

/// The longest a read-only server keeps an old snapshot while a build goes
/// on changing the store.
pub const REOPEN_AT_MOST: Duration = Duration::from_secs(30);

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            bind: DEFAULT_BIND.to_owned(),
            timeout: Duration::from_secs(10),
            max_rows: 10_000,
            max_body: 1 << 20,
            update_token: None,
            workers: 4,
            queue: 256,
            queue_wait: Duration::from_secs(10),
            cors: false,
            watch: None,
        }
    }
}

impl ServeOptions {
    /// The most requests in hand at once: `workers` plus `queue`.
    fn capacity(&self) -> usize {
        self.workers.max(1).saturating_add(self.queue)
    }
}

/// The most connections open at once with these options: twice the
/// requests that may be in hand (`workers + queue`), and at least 512, so
/// that idle keep-alive connections do not keep a request from being read
/// (and refused with 503 when the queue is full). A connection beyond it
/// waits in the system's listen backlog until another closes.
pub fn max_connections(opts: &ServeOptions) -> usize {
    opts.capacity().saturating_mul(2).max(512)
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// Binding the address failed.
    #[error(
        "cannot listen on {bind}: {message} (is another server using the port? try --bind 127.0.0.1:0)"
    )]
    Bind {
        /// The address.
        bind: String,
        /// Why.
        message: String,
    },
    /// An update token was given but is empty.
    #[error("the update token is empty: give a long random --token")]
    EmptyToken,
}

/// A running server.
pub struct Server {
    addr: SocketAddr,
    listening: ListeningServer,
    ctx: Arc<Context>,
}

impl Server {
    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// What the server is doing now, and its peaks so far.
    pub fn stats(&self) -> ServeStats {
        self.ctx.gate.stats()
    }

    /// Waits until the server stops (it does not on its own).
    pub fn join(self) {
        let _ = self.listening.join();
        self.ctx.gate.wait_until_idle();
    }

    /// Stops taking requests and waits for those in hand to be answered.
    ///
    /// Requests that arrive afterwards are answered 503. oxhttp cannot close
    /// its listening socket, so the port stays bound (and its thread alive)
    /// until the process ends.
    pub fn shutdown(self) {
        self.ctx.closing.store(true, Ordering::SeqCst);
        self.ctx.gate.wait_until_idle();
    }
}

/// Starts the endpoint on `opts.bind` and returns at once.
///
/// oxhttp answers each connection on its own thread; a request is taken in
/// hand unless `workers + queue` already are (then it gets 503 at once),
/// and its evaluation takes a slot from a first-come-first-served gate of
/// `workers` slots.
pub fn start(store: GraphStore, opts: ServeOptions) -> Result<Server, ServeError> {
    if opts.update_token.as_deref() == Some("") {
        return Err(ServeError::EmptyToken);
    }
    let ctx = Arc::new(Context {
        store: RwLock::new(Arc::new(store)),
        site: Arc::new(pages::Site::default()),
        gate: Arc::new(Gate::new(opts.workers)),
        closing: AtomicBool::new(false),
        opts,
    });
    pages::home::warm(ctx.store(), Arc::clone(&ctx.site));
    if let Some(dir) = ctx.opts.watch.clone() {
        watch(Arc::clone(&ctx), dir);
    }
    let bind_error = |message: String| ServeError::Bind {
        bind: ctx.opts.bind.clone(),
        message,
    };
    // oxhttp binds the address itself and does not tell which port it got,
    // so a free port (for port 0) is found first with a listener that is
    // closed at once; should another program take that port in between,
    // a new one is tried.
    let mut tries = 0;
    loop {
        tries += 1;
        let probe = TcpListener::bind(&ctx.opts.bind).map_err(|e| bind_error(e.to_string()))?;
        let addr = probe.local_addr().map_err(|e| bind_error(e.to_string()))?;
        drop(probe);
        let handler = Arc::clone(&ctx);
        let server = oxhttp::Server::new(move |request| handler.on_request(request))
            .bind(addr)
            .with_global_timeout(IO_TIMEOUT)
            .with_max_concurrent_connections(max_connections(&ctx.opts));
        let server = match server.with_server_name(concat!("zhkg/", env!("CARGO_PKG_VERSION"))) {
            Ok(s) => s,
            Err(e) => return Err(bind_error(e.to_string())),
        };
        match server.spawn() {
            Ok(listening) => {
                return Ok(Server {
                    addr,
                    listening,
                    ctx,
                });
            }
            Err(e)
                if e.kind() == std::io::ErrorKind::AddrInUse
                    && tries < 5
                    && ctx.opts.bind.ends_with(":0") => {}
            Err(e) => return Err(bind_error(e.to_string())),
        }
    }
}

struct Context {
    /// The store, swapped for a new snapshot when a build changed it (see
    /// [`ServeOptions::watch`]); each request takes its own handle.
    store: RwLock<Arc<GraphStore>>,
    /// What the pages keep between requests.
    site: Arc<pages::Site>,
    opts: ServeOptions,
    /// Evaluation slots and the queue before them.
    gate: Arc<Gate>,
    /// Set by [`Server::shutdown`]: new requests are refused.
    closing: AtomicBool,
}

/// What runs under the time limit.
#[derive(Debug, Clone, Copy)]
enum Work {
    Query,
    Update,
    Page,
}

/// Looks at the store's folder every [`REOPEN_CHECK`] and reopens the
/// snapshot after a build changed it, on a thread of its own.
fn watch(ctx: Arc<Context>, dir: std::path::PathBuf) {
    let _ = std::thread::Builder::new()
        .name("zhkg-watch".to_owned())
        .spawn(move || {
            let mut opened = folder_state(&dir);
            let mut last = opened.clone();
            let mut changing_since: Option<Instant> = None;
            while !ctx.closing.load(Ordering::SeqCst) {
                std::thread::sleep(REOPEN_CHECK);
                let now = folder_state(&dir);
                if now == opened {
                    changing_since = None;
                    last = now;
                    continue;
                }
                let since = *changing_since.get_or_insert_with(Instant::now);
                let settled = now == last;
                last = now.clone();
                if !(settled || since.elapsed() >= REOPEN_AT_MOST) {
                    continue;
                }
                // A failed open (a file compacted away while it was read)
                // keeps the old snapshot; the next look tries again.
                if let Ok(store) = GraphStore::open_read_only(&dir) {
                    let store = Arc::new(store);
                    *ctx.store.write().unwrap_or_else(|p| p.into_inner()) = Arc::clone(&store);
                    ctx.site.changed();
                    pages::home::warm(store, Arc::clone(&ctx.site));
                    opened = now;
                    changing_since = None;
                }
            }
        });
}

/// One file of a store's folder: its name, size and modification time.
type FileState = (std::ffi::OsString, u64, Option<std::time::SystemTime>);

/// The files of a store's folder: a build that commits anything changes
/// them.
fn folder_state(dir: &std::path::Path) -> Vec<FileState> {
    let mut files: Vec<FileState> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let m = e.metadata().ok()?;
            Some((e.file_name(), m.len(), m.modified().ok()))
        })
        .collect();
    files.sort();
    files
}

impl Context {
    /// The store's current snapshot.
    fn store(&self) -> Arc<GraphStore> {
        Arc::clone(&self.store.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// Answers one request, on its connection's thread.
    fn on_request(&self, request: &mut Request<Body>) -> Response<Body> {
        let arrived = Instant::now();
        let answer = if self.closing.load(Ordering::SeqCst) {
            Answer::busy("the server is shutting down")
        } else if let Some(_in_hand) = self.gate.admit(self.opts.capacity()) {
            self.answer(request, arrived)
        } else {
            Answer::busy(format!(
                "the server is busy: {} requests are already in hand (--workers plus --queue); try again shortly",
                self.opts.capacity()
            ))
        };
        // The body may be unread (an early refusal) or partly read (413).
        protocol::finish_body(request, self.opts.max_body);
        let answer = if self.opts.cors && request.uri().path() != "/update" {
            answer.with_header(ACCESS_CONTROL_ALLOW_ORIGIN, "*")
        } else {
            answer
        };
        answer.into_response()
    }

    fn answer(&self, request: &mut Request<Body>, arrived: Instant) -> Answer {
        let path_and_query = request.uri().path_and_query().map_or("", |p| p.as_str());
        if path_and_query.len() > self.opts.max_body {
            return Answer::text(
                StatusCode::URI_TOO_LONG,
                format!(
                    "the URL is over {} bytes: POST the query instead",
                    self.opts.max_body
                ),
            );
        }
        let path = request.uri().path().to_owned();
        let method = request.method().clone();
        match (path.as_str(), &method) {
            // A cross-origin preflight (only with --cors; never for updates).
            ("/query" | "/store", &Method::OPTIONS) if self.opts.cors => Answer {
                status: StatusCode::NO_CONTENT,
                content_type: "text/plain; charset=utf-8",
                body: Vec::new(),
                headers: Vec::new(),
            }
            // No Access-Control-Allow-Methods: oxhttp drops that header,
            // and without it browsers allow GET and POST, all this needs.
            .with_header(ACCESS_CONTROL_ALLOW_HEADERS, "Accept, Content-Type")
            .with_header(ACCESS_CONTROL_MAX_AGE, "600"),
            // The service description: the endpoint without a query.
            ("/query", &Method::GET) if !has_query_parameter(request) => {
                let host = header(request, &HOST).unwrap_or("127.0.0.1");
                let description = conventions::service_description(
                    &format!("http://{host}/query"),
                    self.opts.update_token.is_some(),
                );
                let graph_query = conventions::GraphTarget::Default.query();
                match negotiate::for_query(&graph_query, header(request, &ACCEPT)) {
                    Ok(format) => write_results(description, format, self.opts.max_rows),
                    Err(offers) => not_acceptable(&offers),
                }
            }
            // Graph Store Protocol, reads only.
            ("/store", &Method::GET) => self.graph(arrived, request),
            ("/store", _) => Answer::text(
                StatusCode::METHOD_NOT_ALLOWED,
                format!(
                    "{method} is not allowed on /store: the graph store is read-only (GET ?graph=IRI or ?default)"
                ),
            )
            .with_header(ALLOW, "GET"),
            ("/query", &Method::GET | &Method::POST) => {
                let accept = negotiate::format_param(request.uri().query())
                    .or(header(request, &ACCEPT))
                    .map(str::to_owned);
                match protocol::query_request(request, self.opts.max_body) {
                    Ok(q) => self.query(arrived, q, accept.as_deref()),
                    Err(a) => a,
                }
            }
            ("/update", &Method::POST) => self.update(arrived, request),
            ("/sparql", &Method::POST) => match protocol::read_body(request, self.opts.max_body) {
                Ok(form) => self.page(arrived, pages::Route::sparql_form(&form), pages::Want::Html),
                Err(a) => a,
            },
            ("/query" | "/update", _) => Answer::text(
                StatusCode::METHOD_NOT_ALLOWED,
                format!("{method} is not allowed on {path}"),
            )
            .with_header(
                ALLOW,
                if path == "/query" {
                    "GET, POST"
                } else {
                    "POST"
                },
            ),
            ("/", &Method::GET) => {
                let accept = header(request, &ACCEPT);
                if pages::wants_html(accept) {
                    self.page(arrived, pages::Route::Home, pages::Want::Html)
                } else {
                    self.status_page()
                }
            }
            (_, &Method::GET)
                if let Some(route) = pages::Route::of(&path, request.uri().query()) =>
            {
                match pages::want(header(request, &ACCEPT)) {
                    Ok(want) => self.page(arrived, route, want),
                    Err(offers) => Answer::text(
                        StatusCode::NOT_ACCEPTABLE,
                        format!(
                            "cannot answer in any type the Accept header allows; available: {}",
                            offers.join(", ")
                        ),
                    )
                    .with_header(VARY, "Accept"),
                }
            }
            _ => Answer::text(
                StatusCode::NOT_FOUND,
                format!("no {path} here: the endpoint is /query"),
            ),
        }
    }

    /// Reads one graph (Graph Store Protocol `GET`) as a CONSTRUCT query,
    /// with the query limits and formats; 404 for a graph the store lacks.
    fn graph(&self, arrived: Instant, request: &Request<Body>) -> Answer {
        let accept = header(request, &ACCEPT);
        match conventions::GraphTarget::from_query_string(request.uri().query().unwrap_or_default())
        {
            Ok(conventions::GraphTarget::Named(g))
                if !self
                    .store()
                    .inner()
                    .contains_named_graph(&g)
                    .unwrap_or(false) =>
            {
                Answer::text(StatusCode::NOT_FOUND, format!("the store has no graph {g}"))
            }
            Ok(target) => self.query(
                arrived,
                protocol::QueryRequest {
                    query: target.query(),
                    dataset: protocol::DatasetParams::default(),
                },
                accept,
            ),
            Err(a) => a,
        }
    }

    /// Makes a page (or an RDF answer at an entity's address) under the
    /// gate and the time limit, like a query.
    fn page(&self, arrived: Instant, route: pages::Route, want: pages::Want) -> Answer {
        let token = CancellationToken::new();
        let store = self.store();
        let site = Arc::clone(&self.site);
        let max_rows = self.opts.max_rows;
        let cancel = token.clone();
        self.with_time_limit(Work::Page, arrived, token, move || {
            let cx = pages::PageContext {
                store: store.inner(),
                token: &cancel,
                site: &site,
                max_rows,
            };
            pages::answer(&cx, &route, want)
        })
    }

    fn status_page(&self) -> Answer {
        let st = self.gate.stats();
        Answer::text(
            StatusCode::OK,
            format!(
                "zhkg SPARQL endpoint\nGET or POST /query (SPARQL 1.1 Protocol); updates {}\npages for browsers: / (send Accept: text/html), /search?q=NAME, /id/<kind>/<id> (also as RDF by Accept)\nlimits: {} s per query, {} rows, {} bytes per request, {} queries evaluated at once, {} more requests waiting at most {} s, {} connections open at once\nevaluating: {} (most at once: {})\nwaiting: {} (most at once: {})\nrefused: {} (queue full), {} (waited too long)",
                if self.opts.update_token.is_some() {
                    "at POST /update with a bearer token"
                } else {
                    "refused (read-only)"
                },
                self.opts.timeout.as_secs_f64(),
                self.opts.max_rows,
                self.opts.max_body,
                self.opts.workers.max(1),
                self.opts.queue,
                self.opts.queue_wait.as_secs_f64(),
                max_connections(&self.opts),
                st.evaluating,
                st.peak_evaluating,
                st.waiting,
                st.peak_waiting,
                st.refused_full,
                st.refused_wait,
            ),
        )
    }

    fn query(
        &self,
        arrived: Instant,
        request: protocol::QueryRequest,
        accept: Option<&str>,
    ) -> Answer {
        let format = match negotiate::for_query(&request.query, accept) {
            Ok(f) => f,
            Err(offers) => {
                return Answer::text(
                    StatusCode::NOT_ACCEPTABLE,
                    format!(
                        "cannot answer in any type the Accept header allows; available: {}",
                        offers.join(", ")
                    ),
                );
            }
        };
        let token = CancellationToken::new();
        // The dataset's parameters are checked before the query waits for
        // a turn: a bad graph IRI is answered at once.
        let protocol::QueryRequest { query, dataset } = request;
        let dataset = match dataset.resolve() {
            Ok(d) => d,
            Err(a) => return a,
        };
        let store = self.store();
        let max_rows = self.opts.max_rows;
        let cancel = token.clone();
        self.with_time_limit(Work::Query, arrived, token, move || {
            // Oxigraph is built without its HTTP client: a SERVICE clause
            // that is evaluated fails (400 below) and nothing is fetched.
            let evaluate = |q| {
                let mut prepared = SparqlEvaluator::new()
                    .with_cancellation_token(cancel.clone())
                    .for_query(q);
                dataset.apply(&mut prepared);
                prepared.on_store(store.inner()).execute()
            };
            // Ordered by projected variables alone: sorted once its rows
            // are decoded (see `query::evaluate_sorted`).
            match crate::sparql::query::evaluate_sorted(query, MAX_SORTED_BY_ENDPOINT, evaluate) {
                Ok(results) => write_results(results, format, max_rows),
                Err(e) => evaluation_error(&e),
            }
        })
    }

    /// Runs `work` on its own thread once it gets an evaluation slot; after
    /// the time limit, cancels it and answers 503 without waiting for it.
    ///
    /// oxigraph checks the token each time it reads the store, so some
    /// CPU-bound steps (a cross product joined in memory) run on after the
    /// answer. To bound that, at most `workers` evaluations run at a time,
    /// counting those still stopping. A request waits for a slot behind the
    /// earlier ones until `queue_wait` after its arrival; then the answer is
    /// 503 "busy" with `Retry-After`.
    fn with_time_limit(
        &self,
        what: Work,
        arrived: Instant,
        token: CancellationToken,
        work: impl FnOnce() -> Answer + Send + 'static,
    ) -> Answer {
        let Some(slot) = self.gate.acquire(arrived + self.opts.queue_wait) else {
            return Answer::busy(format!(
                "the server is busy: {} queries are being evaluated (some may be earlier ones over the time limit that are still stopping) and this request waited {:.1} s for a turn; try again shortly",
                self.opts.workers.max(1),
                arrived.elapsed().as_secs_f64()
            ));
        };
        let (tx, rx) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("zhkg-evaluate".to_owned())
            .spawn(move || {
                // The slot is freed when the evaluation ends, even on a panic.
                let _slot = slot;
                let _ = tx.send(work());
            });
        if spawned.is_err() {
            return Answer::busy("the server cannot start a thread: try again shortly");
        }
        match rx.recv_timeout(self.opts.timeout) {
            Ok(_) if token.is_cancelled() => self.timed_out(what),
            Ok(a) => a,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                token.cancel();
                self.timed_out(what)
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => Answer::text(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the evaluation failed unexpectedly (a bug in zhkg or oxigraph): please report the request",
            ),
        }
    }

    fn timed_out(&self, what: Work) -> Answer {
        let limit = self.opts.timeout.as_secs_f64();
        Answer::text(
            StatusCode::SERVICE_UNAVAILABLE,
            match what {
                Work::Query => format!(
                    "the query ran over the {limit} s time limit and was stopped: add LIMIT, narrow the patterns, or ask for a longer --timeout"
                ),
                Work::Page => format!(
                    "the page took over the {limit} s time limit and was stopped: try again shortly, or ask for a longer --timeout"
                ),
                Work::Update => format!(
                    "the update ran over the {limit} s time limit and was cancelled; if it was nearly done it may still be applied: check with a query before sending it again"
                ),
            },
        )
    }

    fn update(&self, arrived: Instant, request: &mut Request<Body>) -> Answer {
        let Some(expected) = &self.opts.update_token else {
            return Answer::text(
                StatusCode::FORBIDDEN,
                "this endpoint is read-only: start zhkg serve with --allow-update --token TOKEN to accept updates",
            );
        };
        let given = header(request, &AUTHORIZATION)
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim);
        if !given.is_some_and(|g| constant_time_eq(g.as_bytes(), expected.as_bytes())) {
            return Answer::text(
                StatusCode::UNAUTHORIZED,
                "updates need the header Authorization: Bearer <the server's --token>",
            )
            .with_header(WWW_AUTHENTICATE, "Bearer realm=\"zhkg\"");
        }
        let update = match protocol::update_request(request, self.opts.max_body) {
            Ok(u) => u,
            Err(a) => return a,
        };
        let token = CancellationToken::new();
        // Oxigraph is built without its HTTP client: a SERVICE clause in
        // the WHERE part fails (400 below) and nothing is fetched.
        let prepared = SparqlEvaluator::new()
            .with_cancellation_token(token.clone())
            .for_update(update);
        let store = self.store();
        let site = Arc::clone(&self.site);
        self.with_time_limit(Work::Update, arrived, token, move || {
            match prepared.on_store(store.inner()).execute() {
                Ok(()) => {
                    // The home page's counts are stale now.
                    site.changed();
                    Answer {
                        status: StatusCode::NO_CONTENT,
                        content_type: "text/plain; charset=utf-8",
                        body: Vec::new(),
                        headers: Vec::new(),
                    }
                }
                Err(
                    e @ (UpdateEvaluationError::UnsupportedService(_)
                    | UpdateEvaluationError::UnboundService
                    | UpdateEvaluationError::InvalidServiceName(_)
                    | UpdateEvaluationError::Service(_)),
                ) => service_refused(&e),
                Err(e) => Answer::text(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("update failed: {e}"),
                ),
            }
        })
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The 400 for a `SERVICE` clause that the evaluator refused.
fn service_refused(e: &dyn std::fmt::Display) -> Answer {
    Answer::text(
        StatusCode::BAD_REQUEST,
        format!("SERVICE is not allowed: this endpoint does not fetch other endpoints ({e})"),
    )
}

fn evaluation_error(e: &QueryEvaluationError) -> Answer {
    match e {
        QueryEvaluationError::Cancelled => {
            Answer::text(StatusCode::SERVICE_UNAVAILABLE, "the query was cancelled")
        }
        QueryEvaluationError::Service(_)
        | QueryEvaluationError::UnsupportedService(_)
        | QueryEvaluationError::UnboundService
        | QueryEvaluationError::InvalidServiceName(_) => service_refused(e),
        _ => Answer::text(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("query evaluation failed: {e}"),
        ),
    }
}

/// Serializes results in `format` (chosen for the query's kind), stopping
/// after `max_rows`.
fn write_results(results: QueryResults<'_>, format: Format, max_rows: usize) -> Answer {
    let internal = |e: std::io::Error| {
        Answer::text(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot write the results: {e}"),
        )
    };
    let mismatch = || {
        Answer::text(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the results are not of the query's kind (a bug in zhkg): please report the query",
        )
    };
    let mut truncated = false;
    let mut body = Vec::new();
    let written = match (results, format) {
        (QueryResults::Boolean(b), Format::Results(f)) => QueryResultsSerializer::from_format(f)
            .serialize_boolean_to_writer(&mut body, b)
            .map(|_| ())
            .map_err(internal),
        (QueryResults::Solutions(solutions), Format::Results(f)) => (|| {
            let vars = solutions.variables().to_vec();
            let mut w = QueryResultsSerializer::from_format(f)
                .serialize_solutions_to_writer(&mut body, vars)
                .map_err(internal)?;
            for (n, s) in solutions.enumerate() {
                let s = s.map_err(|e| evaluation_error(&e))?;
                if n == max_rows {
                    truncated = true;
                    break;
                }
                w.serialize(s.iter()).map_err(internal)?;
            }
            w.finish().map_err(internal)?;
            Ok(())
        })(),
        (QueryResults::Graph(triples), Format::Graph(f)) => (|| {
            let mut ser = RdfSerializer::from_format(f);
            for (p, ns) in PREFIXES {
                ser = ser.with_prefix(*p, *ns).expect("valid prefix IRIs");
            }
            let mut w = ser.for_writer(&mut body);
            for (n, t) in triples.enumerate() {
                let t = t.map_err(|e| evaluation_error(&e))?;
                if n == max_rows {
                    truncated = true;
                    break;
                }
                w.serialize_triple(&t).map_err(internal)?;
            }
            w.finish().map_err(internal)?;
            Ok(())
        })(),
        _ => Err(mismatch()),
    };
    if let Err(a) = written {
        return a;
    }
    let mut answer = Answer {
        status: StatusCode::OK,
        content_type: format.content_type(),
        body,
        headers: Vec::new(),
    };
    if truncated {
        answer = answer
            .with_header(
                HeaderName::from_static("x-zhkg-truncated"),
                max_rows.to_string(),
            )
            .with_header(
                WARNING,
                format!(
                    "199 zhkg \"results truncated after {max_rows} rows: add LIMIT/OFFSET to page\""
                ),
            );
    }
    answer
}

/// True when the request's URL carries a `query` parameter.
fn has_query_parameter(request: &Request<Body>) -> bool {
    request
        .uri()
        .query()
        .is_some_and(|q| form_urlencoded::parse(q.as_bytes()).any(|(k, _)| k == "query"))
}

/// 406 with the types that are offered.
fn not_acceptable(offers: &[&str]) -> Answer {
    Answer::text(
        StatusCode::NOT_ACCEPTABLE,
        format!(
            "cannot answer in any type the Accept header allows; available: {}",
            offers.join(", ")
        ),
    )
}
