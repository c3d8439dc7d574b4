//! A SPARQL 1.1 Protocol endpoint over the store (`zhkg serve`).
//!
//! - `GET /query?query=…`, and `POST /query` with an
//!   `application/sparql-query` body or an
//!   `application/x-www-form-urlencoded` body with a `query` field;
//! - results by content negotiation (`Accept`): SELECT and ASK as SPARQL
//!   JSON (default), XML, CSV or TSV; CONSTRUCT and DESCRIBE as Turtle
//!   (default), N-Triples, RDF/XML or JSON-LD;
//! - `default-graph-uri` and `named-graph-uri` set the dataset (they
//!   override `FROM`); without them, and without `FROM`, the default graph
//!   is the union of the named graphs, as in `zhkg query`;
//! - `POST /update` only when the server was started with an update token,
//!   and then only with `Authorization: Bearer <token>` (403 otherwise).
//!
//! The endpoint is meant for a local analyst, so it is defensive: it binds to
//! loopback by default, refuses `SERVICE` (it would make the server fetch
//! URLs) and `LOAD`, stops a query after a time limit (503), stops a result
//! after a number of rows (and says so in the `X-Zhkg-Truncated` and
//! `Warning` headers), and refuses request bodies over a size limit (413).
//!
//! Queries see the union of the named graphs as their default graph, like
//! `zhkg query`. Each query runs on its own thread with a cancellation
//! token: when the time limit passes, the token is cancelled and the client
//! gets its answer at once, while the evaluation stops at its next step.
//! Results are buffered (they are bounded by the row limit) so that a
//! failure in the middle still gives a clean error status.
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

use std::collections::VecDeque;
use std::io::Read;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, QueryEvaluationError, QueryResults, SparqlEvaluator};
use spargebra::algebra::{AggregateExpression, Expression, GraphPattern, OrderExpression};
use spargebra::{GraphUpdateOperation, Query, SparqlParser, Update};
use tiny_http::{Header, Method, Request, Response};

use crate::error::QueryError;
use crate::rdf::vocab::PREFIXES;
use crate::store::GraphStore;

/// The default address: loopback only.
pub const DEFAULT_BIND: &str = "127.0.0.1:7878";

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
}

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
        }
    }
}

/// The `Retry-After` given with a 503 "busy", in seconds.
pub const RETRY_AFTER_SECS: u64 = 10;

/// Counters of a running server, for tests and the status page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ServeStats {
    /// Queries (and updates) being evaluated now, counting timed-out ones
    /// that are still stopping.
    pub evaluating: usize,
    /// The most evaluated at once since the start (never over `workers`).
    pub peak_evaluating: usize,
    /// Requests waiting for an evaluation slot now.
    pub waiting: usize,
    /// The most requests waiting at once since the start.
    pub peak_waiting: usize,
    /// Requests answered 503 because the queue was full.
    pub refused_full: u64,
    /// Requests answered 503 because they waited `queue_wait` in vain.
    pub refused_wait: u64,
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
    http: Arc<tiny_http::Server>,
    addr: SocketAddr,
    dispatcher: JoinHandle<()>,
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
        let _ = self.dispatcher.join();
        self.ctx.gate.wait_until_idle();
        self.ctx.handlers.close();
    }

    /// Stops accepting requests and waits for those in hand to be answered.
    pub fn shutdown(self) {
        self.http.unblock();
        self.join();
    }
}

/// Starts the endpoint on `opts.bind` and returns at once.
///
/// One thread takes the requests as they arrive and hands each to a
/// handler thread (at most `workers + queue` requests in hand at once;
/// beyond that it answers 503 itself); evaluations take a slot from a
/// first-come-first-served gate of `workers` slots.
pub fn start(store: GraphStore, opts: ServeOptions) -> Result<Server, ServeError> {
    if opts.update_token.as_deref() == Some("") {
        return Err(ServeError::EmptyToken);
    }
    let http = tiny_http::Server::http(&opts.bind).map_err(|e| ServeError::Bind {
        bind: opts.bind.clone(),
        message: e.to_string(),
    })?;
    let addr = http.server_addr().to_ip().ok_or_else(|| ServeError::Bind {
        bind: opts.bind.clone(),
        message: "not an IP address".to_owned(),
    })?;
    let http = Arc::new(http);
    let ctx = Arc::new(Context {
        store: Arc::new(store),
        gate: Arc::new(Gate::new(opts.workers.max(1))),
        handlers: Handlers::default(),
        opts,
    });
    let dispatcher = {
        let http = Arc::clone(&http);
        let ctx = Arc::clone(&ctx);
        std::thread::spawn(move || {
            let capacity = ctx.opts.workers.max(1).saturating_add(ctx.opts.queue);
            for request in http.incoming_requests() {
                let arrived = Instant::now();
                if !ctx.gate.admit(capacity) {
                    let a = busy(format!(
                        "the server is busy: {capacity} requests are already in hand (--workers plus --queue); try again shortly"
                    ));
                    respond(request, a);
                    continue;
                }
                Handlers::hand_over(&ctx, request, arrived);
            }
        })
    };
    Ok(Server {
        http,
        addr,
        dispatcher,
        ctx,
    })
}

struct Context {
    store: Arc<GraphStore>,
    opts: ServeOptions,
    /// Evaluation slots and the queue before them.
    gate: Arc<Gate>,
    /// Threads that answer requests, kept for reuse.
    handlers: Handlers,
}

/// The threads that answer requests: one per request in hand, reused
/// rather than spawned each time (a thread that has had nothing to do for
/// [`Handlers::IDLE`] ends). Their number is bounded by the gate's
/// admission (`workers + queue`).
#[derive(Default)]
struct Handlers {
    state: Mutex<HandlersState>,
    /// Signalled when a job is queued, or when the server closes.
    work: Condvar,
    /// Signalled when a thread ends.
    ended: Condvar,
}

#[derive(Default)]
struct HandlersState {
    jobs: VecDeque<(Request, Instant)>,
    idle: usize,
    threads: usize,
    closing: bool,
}

impl Handlers {
    /// How long a thread with nothing to do waits before it ends.
    const IDLE: Duration = Duration::from_secs(30);

    fn lock(&self) -> MutexGuard<'_, HandlersState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Queues an admitted request for a handler thread, starting one when
    /// none is idle.
    fn hand_over(ctx: &Arc<Context>, request: Request, arrived: Instant) {
        let mut st = ctx.handlers.lock();
        st.jobs.push_back((request, arrived));
        if st.jobs.len() <= st.idle {
            ctx.handlers.work.notify_one();
            return;
        }
        st.threads += 1;
        drop(st);
        let worker = Arc::clone(ctx);
        let spawned = std::thread::Builder::new()
            .name("zhkg-serve".to_owned())
            .spawn(move || Self::run(&worker));
        if spawned.is_err() {
            let mut st = ctx.handlers.lock();
            st.threads -= 1;
            // With other threads, the request waits for one of them (still
            // within the admission bound); with none, it is refused.
            if st.threads == 0
                && let Some((request, _)) = st.jobs.pop_back()
            {
                drop(st);
                respond(
                    request,
                    busy("the server cannot start a thread: try again shortly".to_owned()),
                );
                ctx.gate.leave();
            }
        }
    }

    fn run(ctx: &Arc<Context>) {
        loop {
            let mut st = ctx.handlers.lock();
            let job = loop {
                if let Some(job) = st.jobs.pop_front() {
                    break Some(job);
                }
                if st.closing {
                    break None;
                }
                st.idle += 1;
                let (next, timeout) = ctx
                    .handlers
                    .work
                    .wait_timeout(st, Self::IDLE)
                    .unwrap_or_else(|p| p.into_inner());
                st = next;
                st.idle -= 1;
                if timeout.timed_out() && st.jobs.is_empty() {
                    break None;
                }
            };
            let Some((request, arrived)) = job else {
                st.threads -= 1;
                ctx.handlers.ended.notify_all();
                return;
            };
            drop(st);
            ctx.handle(request, arrived);
            ctx.gate.leave();
        }
    }

    /// Ends the idle threads and waits for all of them to end.
    fn close(&self) {
        let mut st = self.lock();
        st.closing = true;
        self.work.notify_all();
        while st.threads > 0 {
            st = self.ended.wait(st).unwrap_or_else(|p| p.into_inner());
        }
    }
}

/// A counting semaphore of evaluation slots that hands freed slots to the
/// waiters in arrival order, with a deadline per waiter; it also counts the
/// requests in hand.
struct Gate {
    slots: usize,
    state: Mutex<GateState>,
    /// Signalled when the last request in hand leaves.
    idle: Condvar,
}

#[derive(Default)]
struct GateState {
    evaluating: usize,
    in_hand: usize,
    waiters: VecDeque<Arc<Waiter>>,
    stats: ServeStats,
}

struct Waiter {
    /// Set (under the gate's lock) when a slot was handed to this waiter.
    granted: AtomicBool,
    wake: Condvar,
}

impl Gate {
    fn new(slots: usize) -> Self {
        Self {
            slots,
            state: Mutex::new(GateState::default()),
            idle: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, GateState> {
        // The state stays consistent even if a holder panicked: every
        // update is a single step.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn stats(&self) -> ServeStats {
        let st = self.lock();
        ServeStats {
            evaluating: st.evaluating,
            waiting: st.waiters.len(),
            ..st.stats
        }
    }

    /// Takes a request in hand unless `capacity` are already.
    fn admit(&self, capacity: usize) -> bool {
        let mut st = self.lock();
        if st.in_hand >= capacity {
            st.stats.refused_full += 1;
            return false;
        }
        st.in_hand += 1;
        true
    }

    /// A request in hand has been answered.
    fn leave(&self) {
        let mut st = self.lock();
        st.in_hand -= 1;
        if st.in_hand == 0 {
            self.idle.notify_all();
        }
    }

    fn wait_until_idle(&self) {
        let mut st = self.lock();
        while st.in_hand > 0 {
            st = self.idle.wait(st).unwrap_or_else(|p| p.into_inner());
        }
    }

    /// Takes an evaluation slot, waiting behind earlier requests until
    /// `deadline`; false when none came in time.
    fn acquire(&self, deadline: Instant) -> bool {
        let mut st = self.lock();
        if st.evaluating < self.slots && st.waiters.is_empty() {
            st.evaluating += 1;
            st.stats.peak_evaluating = st.stats.peak_evaluating.max(st.evaluating);
            return true;
        }
        let me = Arc::new(Waiter {
            granted: AtomicBool::new(false),
            wake: Condvar::new(),
        });
        st.waiters.push_back(Arc::clone(&me));
        st.stats.peak_waiting = st.stats.peak_waiting.max(st.waiters.len());
        loop {
            if me.granted.load(Ordering::SeqCst) {
                return true;
            }
            let now = Instant::now();
            if now >= deadline {
                st.waiters.retain(|w| !Arc::ptr_eq(w, &me));
                st.stats.refused_wait += 1;
                return false;
            }
            st = me
                .wake
                .wait_timeout(st, deadline - now)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    /// Frees a slot: it goes to the first waiter, if any.
    fn release(&self) {
        let mut st = self.lock();
        if let Some(next) = st.waiters.pop_front() {
            // The slot passes on: `evaluating` stays the same.
            next.granted.store(true, Ordering::SeqCst);
            next.wake.notify_one();
        } else {
            st.evaluating -= 1;
        }
    }
}

/// A 503 "busy" with `Retry-After`.
fn busy(message: String) -> Answer {
    let mut a = Answer::text(503, message);
    a.headers
        .push(("Retry-After", RETRY_AFTER_SECS.to_string()));
    a
}

fn respond(request: Request, answer: Answer) {
    // Bodies are buffered: send a Content-Length rather than chunks.
    let mut response = Response::from_data(answer.body)
        .with_status_code(answer.status)
        .with_chunked_threshold(usize::MAX);
    let mut headers = vec![("Content-Type", answer.content_type.to_owned())];
    headers.extend(answer.headers);
    for (k, v) in headers {
        if let Ok(h) = Header::from_bytes(k.as_bytes(), v.as_bytes()) {
            response.add_header(h);
        }
    }
    // The client may have gone: nothing to do about it.
    let _ = request.respond(response);
}

/// What runs under the time limit.
#[derive(Debug, Clone, Copy)]
enum Work {
    Query,
    Update,
}

/// An HTTP answer before it is sent.
#[derive(Debug)]
struct Answer {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    headers: Vec<(&'static str, String)>,
}

impl Answer {
    fn text(status: u16, message: impl Into<String>) -> Self {
        let mut body = message.into().into_bytes();
        body.push(b'\n');
        Self {
            status,
            content_type: "text/plain; charset=utf-8",
            body,
            headers: Vec::new(),
        }
    }
}

/// The formats offered for solutions and booleans, in order of preference.
const RESULT_TYPES: &[(&str, QueryResultsFormat, &str)] = &[
    (
        "application/sparql-results+json",
        QueryResultsFormat::Json,
        "application/sparql-results+json",
    ),
    (
        "application/json",
        QueryResultsFormat::Json,
        "application/sparql-results+json",
    ),
    (
        "application/sparql-results+xml",
        QueryResultsFormat::Xml,
        "application/sparql-results+xml",
    ),
    (
        "application/xml",
        QueryResultsFormat::Xml,
        "application/sparql-results+xml",
    ),
    (
        "text/csv",
        QueryResultsFormat::Csv,
        "text/csv; charset=utf-8",
    ),
    (
        "text/tab-separated-values",
        QueryResultsFormat::Tsv,
        "text/tab-separated-values; charset=utf-8",
    ),
];

/// The formats offered for graphs, in order of preference.
const GRAPH_TYPES: &[(&str, &str)] = &[
    ("text/turtle", "text/turtle; charset=utf-8"),
    ("application/n-triples", "application/n-triples"),
    ("application/rdf+xml", "application/rdf+xml"),
    ("application/ld+json", "application/ld+json"),
];

fn graph_format(media: &str) -> RdfFormat {
    match media {
        "application/n-triples" => RdfFormat::NTriples,
        "application/rdf+xml" => RdfFormat::RdfXml,
        "application/ld+json" => {
            crate::sparql::export::format_by_name("jsonld").expect("known name")
        }
        _ => RdfFormat::Turtle,
    }
}

/// Picks the offer the `Accept` header prefers (highest q, then the
/// server's order); `None` when it accepts none of them. No header, or an
/// empty one, accepts anything.
pub fn negotiate<'a>(accept: Option<&str>, offers: &[&'a str]) -> Option<&'a str> {
    let Some(accept) = accept.filter(|a| !a.trim().is_empty()) else {
        return offers.first().copied();
    };
    let ranges: Vec<(String, f32)> = accept
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
            (!range.is_empty()).then_some((range, q))
        })
        .collect();
    let mut best: Option<(&str, f32)> = None;
    for offer in offers {
        let (kind, _) = offer.split_once('/').unwrap_or((offer, ""));
        // The most specific matching range decides the offer's quality.
        let q = ranges
            .iter()
            .filter_map(|(r, q)| {
                let specificity = if r == offer {
                    3
                } else if r.strip_suffix("/*") == Some(kind) {
                    2
                } else if r == "*/*" {
                    1
                } else {
                    return None;
                };
                Some((specificity, *q))
            })
            .max_by_key(|(s, _)| *s)
            .map(|(_, q)| q);
        if let Some(q) = q
            && q > 0.0
            && best.is_none_or(|(_, b)| q > b)
        {
            best = Some((offer, q));
        }
    }
    best.map(|(o, _)| o)
}

/// True when a parsed query uses `SERVICE` anywhere.
pub fn query_uses_service(query: &Query) -> bool {
    match query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern_uses_service(pattern),
    }
}

fn pattern_uses_service(p: &GraphPattern) -> bool {
    match p {
        GraphPattern::Service { .. } => true,
        GraphPattern::Bgp { .. } | GraphPattern::Path { .. } | GraphPattern::Values { .. } => false,
        GraphPattern::Join { left, right }
        | GraphPattern::Union { left, right }
        | GraphPattern::Minus { left, right } => {
            pattern_uses_service(left) || pattern_uses_service(right)
        }
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } => {
            pattern_uses_service(left)
                || pattern_uses_service(right)
                || expression.as_ref().is_some_and(expression_uses_service)
        }
        GraphPattern::Filter { expr, inner } => {
            expression_uses_service(expr) || pattern_uses_service(inner)
        }
        GraphPattern::Extend {
            inner, expression, ..
        } => expression_uses_service(expression) || pattern_uses_service(inner),
        GraphPattern::OrderBy { inner, expression } => {
            pattern_uses_service(inner)
                || expression.iter().any(|o| match o {
                    OrderExpression::Asc(e) | OrderExpression::Desc(e) => {
                        expression_uses_service(e)
                    }
                })
        }
        GraphPattern::Group {
            inner, aggregates, ..
        } => {
            pattern_uses_service(inner)
                || aggregates.iter().any(|(_, a)| match a {
                    AggregateExpression::FunctionCall { expr, .. } => expression_uses_service(expr),
                    AggregateExpression::CountSolutions { .. } => false,
                })
        }
        GraphPattern::Graph { inner, .. }
        | GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. } => pattern_uses_service(inner),
        // A variant added by a later spargebra (LATERAL…): look at its
        // algebra text rather than let it through.
        #[allow(unreachable_patterns)]
        other => format!("{other:?}").contains("Service {"),
    }
}

fn expression_uses_service(e: &Expression) -> bool {
    match e {
        Expression::Exists(p) => pattern_uses_service(p),
        Expression::Or(a, b)
        | Expression::And(a, b)
        | Expression::Equal(a, b)
        | Expression::SameTerm(a, b)
        | Expression::Greater(a, b)
        | Expression::GreaterOrEqual(a, b)
        | Expression::Less(a, b)
        | Expression::LessOrEqual(a, b)
        | Expression::Add(a, b)
        | Expression::Subtract(a, b)
        | Expression::Multiply(a, b)
        | Expression::Divide(a, b) => expression_uses_service(a) || expression_uses_service(b),
        Expression::In(a, list) => {
            expression_uses_service(a) || list.iter().any(expression_uses_service)
        }
        Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => {
            expression_uses_service(a)
        }
        Expression::If(a, b, c) => {
            expression_uses_service(a) || expression_uses_service(b) || expression_uses_service(c)
        }
        Expression::Coalesce(list) | Expression::FunctionCall(_, list) => {
            list.iter().any(expression_uses_service)
        }
        Expression::NamedNode(_)
        | Expression::Literal(_)
        | Expression::Variable(_)
        | Expression::Bound(_) => false,
        #[allow(unreachable_patterns)]
        other => format!("{other:?}").contains("Service {"),
    }
}

fn update_refusal(update: &Update) -> Option<&'static str> {
    for op in &update.operations {
        match op {
            GraphUpdateOperation::Load { .. } => {
                return Some("LOAD is not allowed here: use `zhkg load FILE` on the server");
            }
            GraphUpdateOperation::DeleteInsert { pattern, .. } if pattern_uses_service(pattern) => {
                return Some(
                    "SERVICE is not allowed: this endpoint does not fetch other endpoints",
                );
            }
            _ => {}
        }
    }
    None
}

fn sparql_parser() -> SparqlParser {
    let mut p = SparqlParser::new();
    for (prefix, ns) in PREFIXES {
        p = p.with_prefix(*prefix, *ns).expect("valid prefix IRIs");
    }
    p
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

fn media_type(content_type: Option<&str>) -> String {
    content_type
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// The protocol's `default-graph-uri` and `named-graph-uri` parameters.
#[derive(Debug, Default)]
struct DatasetParams {
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

    /// Overrides the query's dataset (and its FROM clauses), as the
    /// protocol says, when any parameter is given.
    fn apply(&self, q: &mut oxigraph::sparql::PreparedSparqlQuery) -> Result<bool, Answer> {
        if self.default.is_empty() && self.named.is_empty() {
            return Ok(false);
        }
        let iri = |s: &String| {
            oxigraph::model::NamedNode::new(s.as_str())
                .map_err(|e| Answer::text(400, format!("the graph IRI <{s}> is invalid: {e}")))
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
        q.dataset_mut().set_default_graph(default);
        q.dataset_mut().set_available_named_graphs(named);
        Ok(true)
    }
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(body)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

impl Context {
    fn handle(&self, mut request: Request, arrived: Instant) {
        let answer = self.answer(&mut request, arrived);
        respond(request, answer);
    }

    fn answer(&self, request: &mut Request, arrived: Instant) -> Answer {
        let url = request.url().to_owned();
        if url.len() > self.opts.max_body {
            return Answer::text(
                414,
                format!(
                    "the URL is over {} bytes: POST the query instead",
                    self.opts.max_body
                ),
            );
        }
        let (path, query_string) = url.split_once('?').unwrap_or((&url, ""));
        let method = request.method().clone();
        match (path, &method) {
            ("/query", Method::Get) => match form_field(query_string.as_bytes(), "query") {
                Some(q) => self.query(
                    arrived,
                    &q,
                    &DatasetParams::from_form(query_string.as_bytes()),
                    header(request, "Accept"),
                ),
                None => Answer::text(400, "give the query as ?query=… (URL-encoded SPARQL)"),
            },
            ("/query", Method::Post) => {
                let body = match self.read_body(request) {
                    Ok(b) => b,
                    Err(a) => return a,
                };
                let (text, dataset) = match media_type(header(request, "Content-Type")).as_str() {
                    "application/sparql-query" => match String::from_utf8(body) {
                        Ok(t) => (t, DatasetParams::from_form(query_string.as_bytes())),
                        Err(_) => return Answer::text(400, "the query is not valid UTF-8"),
                    },
                    "application/x-www-form-urlencoded" => match form_field(&body, "query") {
                        Some(q) => (q, DatasetParams::from_form(&body)),
                        None => return Answer::text(400, "the form has no `query` field"),
                    },
                    other => {
                        return Answer::text(
                            415,
                            format!(
                                "unsupported Content-Type {other:?}: use application/sparql-query or application/x-www-form-urlencoded"
                            ),
                        );
                    }
                };
                self.query(arrived, &text, &dataset, header(request, "Accept"))
            }
            ("/update", Method::Post) => self.update(arrived, request),
            ("/query" | "/update", _) => {
                let mut a = Answer::text(405, format!("{method} is not allowed on {path}"));
                a.headers.push((
                    "Allow",
                    if path == "/query" {
                        "GET, POST"
                    } else {
                        "POST"
                    }
                    .to_owned(),
                ));
                a
            }
            ("/", Method::Get) => {
                let st = self.gate.stats();
                Answer::text(
                    200,
                    format!(
                        "zhkg SPARQL endpoint\nGET or POST /query (SPARQL 1.1 Protocol); updates {}\nlimits: {} s per query, {} rows, {} bytes per request, {} queries evaluated at once, {} more requests waiting at most {} s\nevaluating: {} (most at once: {})\nwaiting: {} (most at once: {})\nrefused: {} (queue full), {} (waited too long)",
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
                        st.evaluating,
                        st.peak_evaluating,
                        st.waiting,
                        st.peak_waiting,
                        st.refused_full,
                        st.refused_wait,
                    ),
                )
            }
            _ => Answer::text(404, format!("no {path} here: the endpoint is /query")),
        }
    }

    fn read_body(&self, request: &mut Request) -> Result<Vec<u8>, Answer> {
        let limit = self.opts.max_body;
        let too_large = || {
            Answer::text(
                413,
                format!("the request body is over the {limit}-byte limit"),
            )
        };
        if request.body_length().is_some_and(|n| n > limit) {
            return Err(too_large());
        }
        let mut body = Vec::new();
        request
            .as_reader()
            .take(limit as u64 + 1)
            .read_to_end(&mut body)
            .map_err(|e| Answer::text(400, format!("cannot read the request body: {e}")))?;
        if body.len() > limit {
            return Err(too_large());
        }
        Ok(body)
    }

    fn query(
        &self,
        arrived: Instant,
        text: &str,
        dataset: &DatasetParams,
        accept: Option<&str>,
    ) -> Answer {
        match sparql_parser().parse_query(text) {
            Ok(q) if query_uses_service(&q) => {
                return Answer::text(
                    400,
                    "SERVICE is not allowed: this endpoint does not fetch other endpoints",
                );
            }
            Ok(_) => {}
            Err(_) => {
                if sparql_parser().parse_update(text).is_ok() {
                    return Answer::text(
                        403,
                        "this is an update: POST it to /update (refused unless the server allows updates)",
                    );
                }
                // query::parse_with below gives the error with a caret.
            }
        }
        let token = CancellationToken::new();
        // oxigraph is built without its HTTP client, so SERVICE could not
        // fetch anything anyway; it is refused above with a clear message.
        let evaluator = SparqlEvaluator::new().with_cancellation_token(token.clone());
        let mut prepared = match crate::sparql::query::parse_with(evaluator, text) {
            Ok(p) => p,
            Err(QueryError::UpdateRefused) => {
                return Answer::text(403, "this is an update: POST it to /update");
            }
            Err(e) => return Answer::text(400, e.to_string()),
        };
        match dataset.apply(&mut prepared) {
            Ok(true) => {}
            Ok(false) => {
                if prepared.dataset().is_default_dataset() {
                    prepared.dataset_mut().set_default_graph_as_union();
                }
            }
            Err(a) => return a,
        }
        let store = Arc::clone(&self.store);
        let accept = accept.map(str::to_owned);
        let max_rows = self.opts.max_rows;
        self.with_time_limit(Work::Query, arrived, token, move || {
            match prepared.on_store(store.inner()).execute() {
                Ok(results) => write_results(results, accept.as_deref(), max_rows),
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
        if !self.gate.acquire(arrived + self.opts.queue_wait) {
            return busy(format!(
                "the server is busy: {} queries are being evaluated (some may be earlier ones over the time limit that are still stopping) and this request waited {:.1} s for a turn; try again shortly",
                self.opts.workers.max(1),
                arrived.elapsed().as_secs_f64()
            ));
        }
        let gate = Arc::clone(&self.gate);
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            // The slot is freed even if the evaluation panics.
            struct Slot(Arc<Gate>);
            impl Drop for Slot {
                fn drop(&mut self) {
                    self.0.release();
                }
            }
            let _slot = Slot(gate);
            let answer = work();
            let _ = tx.send(answer);
        });
        match rx.recv_timeout(self.opts.timeout) {
            Ok(a) if a.status == 503 && token.is_cancelled() => self.timed_out(what),
            Ok(a) => a,
            Err(_) => {
                token.cancel();
                self.timed_out(what)
            }
        }
    }

    fn timed_out(&self, what: Work) -> Answer {
        let limit = self.opts.timeout.as_secs_f64();
        Answer::text(
            503,
            match what {
                Work::Query => format!(
                    "the query ran over the {limit} s time limit and was stopped: add LIMIT, narrow the patterns, or ask for a longer --timeout"
                ),
                Work::Update => format!(
                    "the update ran over the {limit} s time limit and was cancelled; if it was nearly done it may still be applied: check with a query before sending it again"
                ),
            },
        )
    }

    fn update(&self, arrived: Instant, request: &mut Request) -> Answer {
        let Some(expected) = &self.opts.update_token else {
            return Answer::text(
                403,
                "this endpoint is read-only: start zhkg serve with --allow-update --token TOKEN to accept updates",
            );
        };
        let given = header(request, "Authorization")
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim);
        if !given.is_some_and(|g| constant_time_eq(g.as_bytes(), expected.as_bytes())) {
            let mut a = Answer::text(
                401,
                "updates need the header Authorization: Bearer <the server's --token>",
            );
            a.headers
                .push(("WWW-Authenticate", "Bearer realm=\"zhkg\"".to_owned()));
            return a;
        }
        let body = match self.read_body(request) {
            Ok(b) => b,
            Err(a) => return a,
        };
        let text = match media_type(header(request, "Content-Type")).as_str() {
            "application/sparql-update" => match String::from_utf8(body) {
                Ok(t) => t,
                Err(_) => return Answer::text(400, "the update is not valid UTF-8"),
            },
            "application/x-www-form-urlencoded" => match form_field(&body, "update") {
                Some(u) => u,
                None => return Answer::text(400, "the form has no `update` field"),
            },
            other => {
                return Answer::text(
                    415,
                    format!(
                        "unsupported Content-Type {other:?}: use application/sparql-update or application/x-www-form-urlencoded"
                    ),
                );
            }
        };
        match sparql_parser().parse_update(&text) {
            Ok(u) => {
                if let Some(why) = update_refusal(&u) {
                    return Answer::text(400, why);
                }
            }
            Err(e) => return Answer::text(400, format!("SPARQL update syntax error: {e}")),
        }
        let token = CancellationToken::new();
        // oxigraph is built without its HTTP client, so SERVICE could not
        // fetch anything anyway; it is refused above with a clear message.
        let evaluator = SparqlEvaluator::new().with_cancellation_token(token.clone());
        let store = Arc::clone(&self.store);
        self.with_time_limit(Work::Update, arrived, token, move || {
            match crate::sparql::query::update_with(evaluator, &store, &text) {
                Ok(()) => Answer {
                    status: 204,
                    content_type: "text/plain; charset=utf-8",
                    body: Vec::new(),
                    headers: Vec::new(),
                },
                Err(QueryError::Update(e)) => Answer::text(500, format!("update failed: {e}")),
                Err(e) => Answer::text(400, e.to_string()),
            }
        })
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn evaluation_error(e: &QueryEvaluationError) -> Answer {
    match e {
        QueryEvaluationError::Cancelled => Answer::text(503, "the query was cancelled"),
        QueryEvaluationError::Service(_) | QueryEvaluationError::UnsupportedService(_) => {
            Answer::text(400, format!("SERVICE is not allowed: {e}"))
        }
        _ => Answer::text(500, format!("query evaluation failed: {e}")),
    }
}

/// Serializes results in the negotiated format, stopping after `max_rows`.
fn write_results(results: QueryResults<'_>, accept: Option<&str>, max_rows: usize) -> Answer {
    let not_acceptable = |offers: &[&str]| {
        Answer::text(
            406,
            format!(
                "cannot answer in any type the Accept header allows; available: {}",
                offers.join(", ")
            ),
        )
    };
    let mut truncated = false;
    let mut body = Vec::new();
    let content_type = match results {
        QueryResults::Solutions(_) | QueryResults::Boolean(_) => {
            let offers: Vec<&str> = RESULT_TYPES.iter().map(|(m, _, _)| *m).collect();
            let Some(chosen) = negotiate(accept, &offers) else {
                return not_acceptable(&offers);
            };
            let (_, format, content_type) = RESULT_TYPES
                .iter()
                .find(|(m, _, _)| *m == chosen)
                .expect("an offer");
            let ser = QueryResultsSerializer::from_format(*format);
            let written = match results {
                QueryResults::Boolean(b) => ser
                    .serialize_boolean_to_writer(&mut body, b)
                    .map(|_| ())
                    .map_err(|e| Answer::text(500, e.to_string())),
                QueryResults::Solutions(solutions) => (|| {
                    let vars = solutions.variables().to_vec();
                    let mut w = ser
                        .serialize_solutions_to_writer(&mut body, vars)
                        .map_err(|e| Answer::text(500, e.to_string()))?;
                    for (n, s) in solutions.enumerate() {
                        let s = s.map_err(|e| evaluation_error(&e))?;
                        if n == max_rows {
                            truncated = true;
                            break;
                        }
                        w.serialize(s.iter())
                            .map_err(|e| Answer::text(500, e.to_string()))?;
                    }
                    w.finish().map_err(|e| Answer::text(500, e.to_string()))?;
                    Ok(())
                })(),
                QueryResults::Graph(_) => unreachable!("matched above"),
            };
            if let Err(a) = written {
                return a;
            }
            *content_type
        }
        QueryResults::Graph(triples) => {
            let offers: Vec<&str> = GRAPH_TYPES.iter().map(|(m, _)| *m).collect();
            let Some(chosen) = negotiate(accept, &offers) else {
                return not_acceptable(&offers);
            };
            let (_, content_type) = GRAPH_TYPES
                .iter()
                .find(|(m, _)| *m == chosen)
                .expect("an offer");
            let written = (|| {
                let mut ser = RdfSerializer::from_format(graph_format(chosen));
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
                    w.serialize_triple(&t)
                        .map_err(|e| Answer::text(500, e.to_string()))?;
                }
                w.finish().map_err(|e| Answer::text(500, e.to_string()))?;
                Ok::<_, Answer>(())
            })();
            if let Err(a) = written {
                return a;
            }
            *content_type
        }
    };
    let mut headers = Vec::new();
    if truncated {
        headers.push(("X-Zhkg-Truncated", format!("{max_rows}")));
        headers.push((
            "Warning",
            format!(
                "199 zhkg \"results truncated after {max_rows} rows: add LIMIT/OFFSET to page\""
            ),
        ));
    }
    Answer {
        status: 200,
        content_type,
        body,
        headers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFERS: &[&str] = &["application/sparql-results+json", "text/csv"];

    #[test]
    fn negotiation_follows_quality_and_specificity() {
        assert_eq!(negotiate(None, OFFERS), Some(OFFERS[0]));
        assert_eq!(negotiate(Some("text/csv"), OFFERS), Some("text/csv"));
        assert_eq!(
            negotiate(Some("text/csv;q=0.5, application/*;q=0.9"), OFFERS),
            Some(OFFERS[0])
        );
        assert_eq!(
            negotiate(Some("*/*;q=0.1, text/*"), OFFERS),
            Some("text/csv")
        );
        assert_eq!(negotiate(Some("image/png"), OFFERS), None);
        assert_eq!(
            negotiate(Some("text/csv;q=0, */*"), OFFERS),
            Some(OFFERS[0])
        );
        assert_eq!(negotiate(Some("*/*, text/csv;q=0"), &["text/csv"]), None);
    }

    #[test]
    fn service_is_found_anywhere() {
        let uses = |q: &str| query_uses_service(&sparql_parser().parse_query(q).unwrap());
        assert!(uses("SELECT * { SERVICE <http://e/s> { ?s ?p ?o } }"));
        assert!(uses(
            "SELECT * { ?s ?p ?o FILTER EXISTS { SERVICE SILENT <http://e/s> { ?s ?p ?o } } }"
        ));
        assert!(uses(
            "SELECT (COUNT(*) AS ?n) { { SELECT ?s { OPTIONAL { SERVICE <http://e/s> { ?s ?p ?o } } } } }"
        ));
        assert!(!uses(
            "SELECT ?s { ?s rdfs:label \"SERVICE <http://e/s> { }\" }"
        ));
        let update = |u: &str| update_refusal(&sparql_parser().parse_update(u).unwrap());
        assert!(update("LOAD <http://e/data.ttl>").is_some());
        assert!(update("INSERT { ?s ?p 1 } WHERE { SERVICE <http://e/s> { ?s ?p ?o } }").is_some());
        assert!(update("INSERT DATA { <http://e/a> <http://e/b> 1 }").is_none());
    }
}
