//! Pages of an ordered listing read one partition at a time.
//!
//! Oxigraph evaluates `ORDER BY` by computing every solution and sorting
//! them all, so the first page of a listing over all outcomes costs as much
//! as the whole listing (seconds at 20,000 articles). A listing whose order
//! begins with one thing at a time (an article, an organisation, a county)
//! can instead be read one such thing — one *partition* — at a time: the
//! partitions are listed and sorted first (a few thousand small rows), and
//! the query is evaluated for each in turn with that thing fixed, which the
//! store answers from its indexes in a few milliseconds. A page stops as
//! soon as it holds its rows.
//!
//! Partitions are evaluated in batches, each batch one query (a table of
//! its anchors joined LATERAL with the query's pattern, see `batched`):
//! Oxigraph plans a query and looks up its constants every time it runs
//! one, which cost as much as evaluating a partition of a dozen rows. The
//! next batches run on the thread pool while the rows of the earlier ones
//! are given.
//!
//! A named query says how it is partitioned in a header line:
//!
//! ```text
//! # pages ?a by ?article: ?a schema:identifier ?article
//! ```
//!
//! `?a` is the *anchor* (the variable fixed in each evaluation), `?article`
//! the *key* that orders the partitions, and the pattern after the colon
//! lists every (anchor, key) pair (a superset is harmless: an anchor
//! without solutions adds none). Several keys, each ascending or
//! `DESC(?v)`, order the partitions by the first, then the next
//! (`# pages ?o by ?metric DESC(?value): …`). The query's `ORDER BY` must
//! begin with the keys, in their directions, and then the anchor, so that
//! reading partitions in (keys, anchor) order gives exactly the order of
//! the whole query; [`page`] checks this.
//!
//! Listing the partitions reads the text of every anchor, one lookup in
//! the store each: 84,000 people's IRIs took a second at 20,000 articles,
//! most of the first page of `people`. A pages line that ends its head
//! with `(keys first)` says that its pattern finds the anchors from the
//! keys at once (the keys bound, as a LATERAL join binds them): a page then
//! lists the keys alone, and each batch of keys looks its anchors up before
//! it is evaluated, so a page reads the anchors of its own partitions only.
//! A whole listing still lists every anchor in one query.
//! A test holds every partitioned named query's pages equal to the pages of
//! the whole query.

use std::cmp::Ordering;
use std::collections::VecDeque;
use std::ops::Range;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
use std::sync::{Arc, mpsc};

use oxigraph::model::{Literal, NamedNode, Term, Variable};
use oxigraph::sparql::{QueryEvaluationError, QueryResults, QuerySolution, QuerySolutionIter};
use rustc_hash::FxHashSet;
use spargebra::Query;
use spargebra::algebra::{AggregateExpression, Expression, GraphPattern, OrderExpression};
use spargebra::term::{GroundTerm, NamedNodePattern, TermPattern, TriplePattern};

use super::order::{cmp_terms, sort_rows};
use super::query;
use crate::error::QueryError;
use crate::store::GraphStore;

/// The most partitions evaluated as one query: enough that planning the
/// query costs little beside evaluating it, few enough that a page past
/// its last row wastes little.
const MAX_BATCH: usize = 64;

/// About how many solutions a batch should give: partitions of a dozen
/// solutions go 64 to a batch, a partition of thousands alone (a county's
/// outcomes), so that a short page does not wait for partitions it does
/// not need.
const BATCH_SOLUTIONS: usize = 1024;

/// How a named query is read partition by partition (its `# pages` line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partitioning {
    /// The variable fixed in each evaluation.
    pub anchor: Variable,
    /// The variables whose values order the partitions, first to last.
    pub keys: Vec<Key>,
    /// A group graph pattern binding every (anchor, key) pair.
    pub pattern: String,
    /// True when a page lists the keys alone and looks each batch's
    /// anchors up by their keys (`(keys first)`).
    pub keys_first: bool,
}

/// One variable that orders the partitions, and its direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// The variable.
    pub var: Variable,
    /// True for `DESC(?v)`: the largest value first.
    pub descending: bool,
}

impl std::fmt::Display for Key {
    /// As the `# pages` line and ORDER BY write it: `?v` or `DESC(?v)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.descending {
            true => write!(f, "DESC({})", self.var),
            false => write!(f, "{}", self.var),
        }
    }
}

/// The partitioning a query declares with a `# pages ?ANCHOR by ?KEY:
/// PATTERN` line, if any.
pub fn declared(text: &str) -> Result<Option<Partitioning>, QueryError> {
    let Some(line) = text.lines().find_map(|l| l.trim().strip_prefix("# pages ")) else {
        return Ok(None);
    };
    let bad = || {
        QueryError::Partition(format!(
            "the line `# pages {line}` should read `# pages ?ANCHOR by ?KEY [DESC(?KEY)…] [(keys first)]: PATTERN`"
        ))
    };
    let (head, pattern) = line.split_once(':').ok_or_else(bad)?;
    let (head, keys_first) = match head.trim_end().strip_suffix("(keys first)") {
        Some(head) => (head, true),
        None => (head, false),
    };
    let mut words = head.split_whitespace();
    let (Some(anchor), Some("by")) = (words.next(), words.next()) else {
        return Err(bad());
    };
    let var = |w: &str| {
        w.strip_prefix('?')
            .and_then(|v| Variable::new(v).ok())
            .ok_or_else(bad)
    };
    let keys = words
        .map(|w| {
            let (w, descending) = match w.strip_prefix("DESC(").and_then(|w| w.strip_suffix(')')) {
                Some(inner) => (inner, true),
                None => (w, false),
            };
            Ok(Key {
                var: var(w)?,
                descending,
            })
        })
        .collect::<Result<Vec<_>, QueryError>>()?;
    if keys.is_empty() {
        return Err(bad());
    }
    Ok(Some(Partitioning {
        anchor: var(anchor)?,
        keys,
        pattern: pattern.trim().to_owned(),
        keys_first,
    }))
}

/// Solutions `offset..offset + limit` of the SELECT query `text` (its
/// parameters already bound), read partition by partition: the same
/// solutions, in the same order, as the whole query sliced, but only as
/// many partitions are evaluated as the page needs. Solutions stream as
/// the partitions are read.
pub fn page<'a>(
    store: &'a GraphStore,
    text: &str,
    partitioning: &Partitioning,
    offset: usize,
    limit: Option<usize>,
) -> Result<QueryResults<'a>, QueryError> {
    let Partitioning { anchor, keys, .. } = partitioning;
    let parsed = query::parser()
        .parse_query(text)
        .map_err(|e| query::syntax_error(text, &e))?;
    let Query::Select { pattern: whole, .. } = &parsed else {
        return Err(QueryError::Partition(
            "only a SELECT query is read by partitions".into(),
        ));
    };
    if !orders_by(whole, keys, anchor) {
        let keys: Vec<String> = keys.iter().map(Key::to_string).collect();
        return Err(QueryError::Partition(format!(
            "a query read by partitions must begin its ORDER BY with {} ?{} (the anchor ascending)",
            keys.join(" "),
            anchor.as_str()
        )));
    }
    if partitioning.keys_first {
        // Checked for a whole listing too, which does not use it.
        look_up_query(partitioning, &Variable::new_unchecked("zhkg_partition"))?;
    }
    // A whole listing reads every anchor anyway: in one query.
    let keys_first = partitioning.keys_first && limit.is_some();
    let partitions = partitions(store, partitioning, keys_first)?;
    let variables: Arc<[Variable]> = projected(whole).into();
    let mut anchors = FxHashSet::default();
    let one_each = !keys_first
        && partitions
            .iter()
            .all(|p| p.anchor.as_ref().is_some_and(|a| anchors.insert(a)));
    let batches = Batches::new(
        hoist(store, parsed.clone(), anchor),
        partitioning,
        &variables,
        Mode {
            one_each,
            keys_first,
        },
    )?;
    let mut reader = Reader {
        store: store.clone(),
        distinct: is_distinct(whole),
        batches: Arc::new(batches),
        in_flight: VecDeque::new(),
        dropped: Arc::new(AtomicBool::new(false)),
        key: None,
        seen: FxHashSet::default(),
        partitions: partitions.into(),
        buffer: VecDeque::new(),
        batch: 0,
        read: Tally::default(),
        skip: offset,
        left: limit,
        failed: false,
    };
    // The first partition is read now, so that an error in the query is
    // reported before any output.
    reader.fill()?;
    Ok(QueryResults::Solutions(QuerySolutionIter::new(
        variables, reader,
    )))
}

/// One partition: the values of its keys, and its anchor unless it is
/// looked up by the keys when its batch is evaluated (`(keys first)`: then
/// the partition holds every anchor of its keys).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Part {
    keys: Vec<Term>,
    anchor: Option<NamedNode>,
}

/// The partitions, in (keys, anchor) order: each with its anchor, or, for
/// a `(keys first)` page (`keys_alone`), the distinct values of the keys
/// without their anchors.
fn partitions(
    store: &GraphStore,
    Partitioning {
        anchor,
        keys,
        pattern,
        ..
    }: &Partitioning,
    keys_alone: bool,
) -> Result<Vec<Part>, QueryError> {
    let mut vars: Vec<String> = keys
        .iter()
        .map(|k| format!("?{}", k.var.as_str()))
        .collect();
    if !keys_alone {
        vars.insert(0, format!("?{}", anchor.as_str()));
    }
    let text = format!("SELECT DISTINCT {} WHERE {{ {pattern} }}", vars.join(" "));
    // The branches of a UNION are listed apart, in parallel: reading the
    // anchors' IRIs from the store is most of a long list's time (48,700
    // dated events of `timeline` at 20,000 articles), and one query's rows
    // are read one after the other.
    let listing = query::parser()
        .parse_query(&text)
        .map_err(|e| query::syntax_error(&text, &e))?;
    let branches = union_branches(listing.clone());
    let read = |rows: QueryResults<'_>| -> Result<Vec<Part>, QueryError> {
        let QueryResults::Solutions(rows) = rows else {
            unreachable!("a SELECT query gives solutions")
        };
        let mut parts = Vec::new();
        for row in rows {
            let row = row?;
            let values: Option<Vec<Term>> = keys.iter().map(|k| row.get(&k.var).cloned()).collect();
            let anchor = match row.get(anchor) {
                Some(Term::NamedNode(a)) => Some(a.clone()),
                _ => None,
            };
            if let Some(values) = values
                && (keys_alone || anchor.is_some())
            {
                parts.push(Part {
                    keys: values,
                    anchor,
                });
            }
        }
        Ok(parts)
    };
    let mut parts = if branches.is_empty() {
        read(query::run_parsed(store, listing)?)?
    } else {
        use rayon::prelude::*;
        let lists = branches
            .into_par_iter()
            .map(|q| read(query::run_parsed(store, q)?))
            .collect::<Result<Vec<_>, _>>()?;
        // DISTINCT over the whole union: a partition two branches give is
        // listed once.
        let mut seen = FxHashSet::default();
        lists
            .into_iter()
            .flatten()
            .filter(|p| seen.insert(p.clone()))
            .collect()
    };
    parts.sort_by(|p1, p2| {
        cmp_keys(keys, &p1.keys, &p2.keys).then_with(|| p1.anchor.cmp(&p2.anchor))
    });
    Ok(parts)
}

/// The order of two partitions' keys, each key in its direction.
fn cmp_keys(keys: &[Key], a: &[Term], b: &[Term]) -> Ordering {
    keys.iter()
        .zip(a.iter().zip(b))
        .map(|(k, (x, y))| match k.descending {
            true => cmp_terms(y, x),
            false => cmp_terms(x, y),
        })
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

/// The listing query `query` (`SELECT DISTINCT … WHERE { pattern }`) as one
/// query for each branch of a UNION at the top of its pattern (under its
/// BINDs, which each branch then evaluates: a BIND gives each solution of
/// a union what it gives each solution of its branches); none when the
/// pattern is not such a union.
fn union_branches(query: Query) -> Vec<Query> {
    fn split(p: GraphPattern) -> Vec<GraphPattern> {
        match p {
            GraphPattern::Union { left, right } => {
                let mut branches = split(*left);
                branches.extend(split(*right));
                branches
            }
            GraphPattern::Extend {
                inner,
                variable,
                expression,
            } => split(*inner)
                .into_iter()
                .map(|b| GraphPattern::Extend {
                    inner: Box::new(b),
                    variable: variable.clone(),
                    expression: expression.clone(),
                })
                .collect(),
            p => vec![p],
        }
    }
    let Query::Select {
        dataset,
        pattern: GraphPattern::Distinct { inner },
        base_iri,
    } = query
    else {
        return Vec::new();
    };
    let GraphPattern::Project { inner, variables } = *inner else {
        return Vec::new();
    };
    let branches = split(*inner);
    if branches.len() < 2 {
        return Vec::new();
    }
    branches
        .into_iter()
        .map(|b| Query::Select {
            dataset: dataset.clone(),
            pattern: GraphPattern::Distinct {
                inner: Box::new(GraphPattern::Project {
                    inner: Box::new(b),
                    variables: variables.clone(),
                }),
            },
            base_iri: base_iri.clone(),
        })
        .collect()
}

/// The solutions of one batch of partitions, each partition's apart.
type Solved = Result<Vec<Vec<QuerySolution>>, QueryEvaluationError>;

/// Where a value of a batch's solution comes from.
#[derive(Debug, Clone, Copy)]
enum Source {
    /// This column of the batch query's solution.
    Column(usize),
    /// This key of the solution's partition.
    Key(usize),
}

/// One batch of partitions being evaluated on the thread pool.
struct InFlight {
    /// Its partitions, in order.
    partitions: Vec<Part>,
    /// Where its solutions arrive.
    solved: mpsc::Receiver<Solved>,
}

/// Reads the partitions in order into a buffer of solutions, evaluating
/// the next batches of partitions on the thread pool while the solutions
/// of the earlier ones are given.
struct Reader {
    store: GraphStore,
    /// How a batch of partitions is evaluated.
    batches: Arc<Batches>,
    /// True when the query is SELECT DISTINCT.
    distinct: bool,
    /// The partitions not yet sent to be evaluated.
    partitions: VecDeque<Part>,
    /// The batches being evaluated, in partition order.
    in_flight: VecDeque<InFlight>,
    /// Set when the reader is dropped: batches not yet started are skipped.
    dropped: Arc<AtomicBool>,
    /// The keys of the partition read last.
    key: Option<Vec<Term>>,
    /// For a DISTINCT query whose partitions share a key (two
    /// organisations of one name), the solutions given for this key: such
    /// partitions may give one solution twice, which the whole query gives
    /// once.
    seen: FxHashSet<Vec<Option<Term>>>,
    buffer: VecDeque<QuerySolution>,
    /// How many partitions the last batch sent held.
    batch: usize,
    /// The partitions read so far and the solutions they gave: the
    /// batches' size follows the solutions a partition gives.
    read: Tally,
    /// Solutions still to skip (the page's offset).
    skip: usize,
    /// Solutions still to give (the page's limit), if limited.
    left: Option<usize>,
    failed: bool,
}

/// Partitions read and the solutions they gave.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    partitions: usize,
    solutions: usize,
}

impl Reader {
    /// Reads partitions until the buffer holds a solution to give or none
    /// is left. Partitions are evaluated in batches, each one query (see
    /// [`Batches`]): one batch of one partition per thread first; then a
    /// page reads a window of one batch per thread at a time, and a whole
    /// listing keeps two batches per thread ahead of the one whose
    /// solutions are taken; each batch at most twice the last and about
    /// [`BATCH_SOLUTIONS`] solutions, so that a short page evaluates few
    /// partitions it does not need and a long listing keeps every core
    /// busy.
    fn fill(&mut self) -> Result<(), QueryEvaluationError> {
        while self.buffer.is_empty() && self.left != Some(0) {
            self.send();
            let Some(batch) = self.in_flight.pop_front() else {
                break;
            };
            if self.left.is_none() {
                // A whole listing keeps the pool busy while this batch is
                // read; a page waits to see whether it needs more.
                self.send();
            }
            let rows = batch.solved.recv().unwrap_or_else(|_| {
                Err(QueryEvaluationError::Unexpected(
                    "a batch of partitions was not evaluated".into(),
                ))
            })?;
            self.read.partitions += rows.len();
            self.read.solutions += rows.iter().map(Vec::len).sum::<usize>();
            for (i, (Part { keys: key, .. }, rows)) in batch.partitions.iter().zip(rows).enumerate()
            {
                // Only partitions that share their key may give a solution
                // twice (each is DISTINCT on its own).
                let following = match batch.partitions.get(i + 1) {
                    Some(p) => Some(&p.keys),
                    None => self
                        .in_flight
                        .front()
                        .map(|f| &f.partitions[0].keys)
                        .or(self.partitions.front().map(|p| &p.keys)),
                };
                let shared = self.key.as_ref() == Some(key) || following == Some(key);
                if self.key.as_ref() != Some(key) {
                    self.seen.clear();
                    self.key = Some(key.clone());
                }
                for row in rows {
                    if self.distinct && shared && !self.seen.insert(row.values().to_vec()) {
                        continue;
                    }
                    if self.skip > 0 {
                        self.skip -= 1;
                    } else {
                        self.buffer.push_back(row);
                    }
                }
            }
        }
        Ok(())
    }

    /// Sends batches to the thread pool until enough are in flight.
    fn send(&mut self) {
        let threads = rayon::current_num_threads().max(1);
        // A page (a limit) is read a window of batches at a time, one per
        // thread, the next window sent once this one is read: a full page
        // leaves at most one window's batches to wait for (see `Drop`).
        let page = self.left.is_some();
        if page && !self.in_flight.is_empty() {
            return;
        }
        let (ahead, size) = match self.read {
            Tally { partitions: 0, .. } => (threads, 1),
            Tally {
                partitions,
                solutions,
            } => {
                let each = solutions.div_ceil(partitions).max(1);
                let ahead = if page { threads } else { 2 * threads };
                (ahead, (BATCH_SOLUTIONS / each).clamp(1, MAX_BATCH))
            }
        };
        while self.in_flight.len() < ahead && !self.partitions.is_empty() {
            self.batch = size.min(2 * self.batch).max(1);
            let take = self.batch.min(self.partitions.len());
            let partitions: Vec<Part> = self.partitions.drain(..take).collect();
            let values = partitions.clone();
            let (tx, rx) = mpsc::channel();
            let (store, batches, dropped) = (
                self.store.clone(),
                Arc::clone(&self.batches),
                Arc::clone(&self.dropped),
            );
            let task = move || {
                let solved = (!dropped.load(AtomicOrdering::Relaxed)).then(|| {
                    // A panic in a task of the pool would end the process:
                    // it becomes this query's error.
                    std::panic::catch_unwind(AssertUnwindSafe(|| batches.evaluate(&store, &values)))
                        .unwrap_or_else(|_| {
                            Err(QueryEvaluationError::Unexpected(
                                "the evaluation of a batch of partitions panicked".into(),
                            ))
                        })
                });
                // The store handle goes before the reader hears of this
                // task: the last handle closes the store, which must not
                // happen on this thread while the process is ending.
                drop(store);
                if let Some(solved) = solved {
                    // The reader may be gone: then nobody waits for these.
                    let _ = tx.send(solved);
                }
            };
            // Read from a thread of the pool, the reader would wait for
            // tasks that no free thread may be left to run: it evaluates
            // its batches itself.
            match rayon::current_thread_index() {
                Some(_) => task(),
                None => rayon::spawn(task),
            }
            self.in_flight.push_back(InFlight {
                partitions,
                solved: rx,
            });
        }
    }
}

impl Drop for Reader {
    /// Skips the batches not yet started and waits for those running, so
    /// that no task still reads the store once the reader is gone (the
    /// process may be ending).
    fn drop(&mut self) {
        self.dropped.store(true, AtomicOrdering::Relaxed);
        for batch in self.in_flight.drain(..) {
            // A skipped task hangs up without a message.
            let _ = batch.solved.recv();
        }
    }
}

/// How a batch of partitions is evaluated as one query (see [`batched`]).
struct Batches {
    /// The query of every batch (see [`batched`]), its table of anchors
    /// empty: a batch fills it in.
    template: Query,
    anchor: Variable,
    /// The variable that numbers the partitions of a batch.
    index: Variable,
    /// The columns of the keys and their directions, when every key is
    /// projected: the rows of a partition are then put in key order here,
    /// after they are in the order of the rest of the ORDER BY.
    key_columns: Option<Vec<(usize, bool)>>,
    /// The columns and directions of the rest of the ORDER BY (after the
    /// keys and the anchor), when the rows are put in that order here:
    /// the batch's query is then not ordered at all (see
    /// [`Batches::with_index`]).
    rest_columns: Option<Vec<(usize, bool)>>,
    /// The variables every solution binds, in order.
    variables: Arc<[Variable]>,
    /// True when the keys are not projected by the batch's query but
    /// written into each solution from its partition (see
    /// [`Batches::with_index`]).
    filled: bool,
    /// For partitions listed without their anchors (`(keys first)`), the
    /// query that finds the anchors of a batch's keys: its table of keys
    /// (numbered like the partitions) empty, a batch fills it in.
    look_up: Option<Query>,
    /// The keys' variables, in order (the columns of `look_up`'s table
    /// before the index).
    look_up_keys: Vec<Variable>,
}

/// How the partitions of a page are listed.
#[derive(Debug, Clone, Copy)]
struct Mode {
    /// Each anchor is in one partition only.
    one_each: bool,
    /// The partitions are listed without their anchors, which each batch
    /// looks up by its keys.
    keys_first: bool,
}

impl Batches {
    /// The batches of `query` (a SELECT, its anchor-free OPTIONAL parts
    /// hoisted), partitioned as `partitioning` says and listed as `mode`
    /// says, whose solutions bind `variables`.
    fn new(
        query: Query,
        partitioning: &Partitioning,
        variables: &[Variable],
        mode: Mode,
    ) -> Result<Self, QueryError> {
        let text = format!("{query} {}", partitioning.pattern);
        let mut name = String::from("zhkg_partition");
        while text.contains(&format!("?{name}")) || text.contains(&format!("${name}")) {
            name.push('_');
        }
        Self::with_index(
            query,
            partitioning,
            variables,
            mode,
            Variable::new_unchecked(name),
        )
    }

    /// [`Batches::new`] with the variable that numbers the partitions.
    ///
    /// When every key is projected and each anchor is in one partition,
    /// the batch's query does not project the keys: each solution gets its
    /// partition's keys, already read with the list of partitions. The
    /// reader puts a partition's solutions under its keys, so they bind
    /// those keys (an anchor in one partition has one value of each); the
    /// store would otherwise look the same text up again for every
    /// solution (an article's identifier for each of its outcomes).
    ///
    /// Each anchor of a batch has a number of its own, in (partition,
    /// anchor) order, so that the batch's query need not order by the
    /// anchor (Oxigraph compares IRIs by their text, read from the store on
    /// every comparison).
    ///
    /// When the keys and every expression of the rest of the ORDER BY are
    /// projected variables (and the query takes no slice of its own), the
    /// batch's query is not ordered: each anchor's rows are sorted here,
    /// by [`sort_rows`], after the store has turned them into terms.
    /// Oxigraph 0.5.13 reads a value's text from the store on each
    /// comparison of its own sort, as it does to evaluate an expression
    /// (the outcome's IRI behind the offset `?begin` of `outcomes-csv`):
    /// a sixth of that listing's time in a profile, its whole table 6.1 to
    /// 5.5 s at 20,000 articles.
    fn with_index(
        query: Query,
        partitioning: &Partitioning,
        variables: &[Variable],
        mode: Mode,
        index: Variable,
    ) -> Result<Self, QueryError> {
        let key_columns: Option<Vec<(usize, bool)>> = partitioning
            .keys
            .iter()
            .map(|k| {
                let column = variables.iter().position(|v| *v == k.var)?;
                Some((column, k.descending))
            })
            .collect();
        // The anchor is one value for each number; keys sorted here after
        // the query are left out of its order too.
        let keys = partitioning.keys.len();
        let rest_columns = match (&key_columns, order_of(&query)) {
            (Some(_), Some(order)) => order
                .get(keys + 1..)
                .unwrap_or_default()
                .iter()
                .map(|e| match e {
                    OrderExpression::Asc(Expression::Variable(v)) => {
                        Some((variables.iter().position(|x| x == v)?, false))
                    }
                    OrderExpression::Desc(Expression::Variable(v)) => {
                        Some((variables.iter().position(|x| x == v)?, true))
                    }
                    _ => None,
                })
                .collect(),
            _ => None,
        };
        let unordered = match (&rest_columns, &key_columns) {
            (Some(_), _) => None,
            (None, Some(_)) => Some(0..keys + 1),
            (None, None) => Some(keys..keys + 1),
        };
        let look_up = match mode.keys_first {
            true => Some(look_up_query(partitioning, &index)?),
            false => None,
        };
        let anchor = &partitioning.anchor;
        let filled = mode.one_each && key_columns.is_some();
        let keys: Vec<Variable> = match filled {
            true => partitioning.keys.iter().map(|k| k.var.clone()).collect(),
            false => Vec::new(),
        };
        let template = map_select(query, |p| batched(p, anchor, &index, unordered, &keys));
        Ok(Batches {
            template,
            anchor: anchor.clone(),
            index,
            key_columns,
            rest_columns,
            variables: variables.into(),
            filled,
            look_up,
            look_up_keys: partitioning.keys.iter().map(|k| k.var.clone()).collect(),
        })
    }

    /// The query of one batch: the template with the batch's anchors, each
    /// with the number of its partition in the batch, in its table.
    fn query_for(&self, anchors: &[(NamedNode, usize)]) -> Query {
        let rows: Vec<Vec<Option<GroundTerm>>> = anchors
            .iter()
            .map(|(v, i)| {
                vec![
                    Some(GroundTerm::NamedNode(v.clone())),
                    Some(GroundTerm::Literal(Literal::from(*i as i64))),
                ]
            })
            .collect();
        let table = [self.anchor.clone(), self.index.clone()];
        map_select(self.template.clone(), |p| with_table(p, &table, &rows))
    }

    /// The solutions of the query for each partition of `batch` (its keys
    /// and the value of its anchor), in the batch's order: for each
    /// partition the solutions, in their order, that the query gives with
    /// the anchor fixed to that value.
    fn evaluate(&self, store: &GraphStore, batch: &[Part]) -> Solved {
        // Each anchor with its partition, in (partition, anchor) order; the
        // batch's query numbers the anchors in that order.
        let anchors = match &self.look_up {
            Some(q) => self.anchors_of(store, q, batch)?,
            None => batch
                .iter()
                .enumerate()
                .filter_map(|(i, p)| Some((p.anchor.clone()?, i)))
                .collect(),
        };
        let numbered: Vec<(NamedNode, usize)> = anchors
            .iter()
            .enumerate()
            .map(|(j, (a, _))| (a.clone(), j))
            .collect();
        let rows = solutions(store, self.query_for(&numbered))?;
        let at = rows
            .variables()
            .iter()
            .position(|v| *v == self.index)
            .expect("the batch index is projected");
        // Where each of the solution's values is: the batch's column, or
        // the partition's key.
        let sources: Vec<Source> = self
            .variables
            .iter()
            .map(|v| {
                let key = self
                    .key_columns
                    .iter()
                    .flatten()
                    .position(|&(c, _)| self.filled && self.variables[c] == *v);
                match key {
                    Some(k) => Source::Key(k),
                    None => Source::Column(
                        rows.variables()
                            .iter()
                            .position(|x| x == v)
                            .expect("the batch projects every variable but the filled keys"),
                    ),
                }
            })
            .collect();
        let mut each: Vec<Vec<Vec<Option<Term>>>> =
            (0..anchors.len()).map(|_| Vec::new()).collect();
        for row in rows {
            let row = row?;
            let j = number_of(row.values().get(at).and_then(Option::as_ref))
                .expect("every solution carries its anchor's number");
            let keys = &batch[anchors[j].1].keys;
            let values = sources
                .iter()
                .map(|s| match *s {
                    Source::Column(c) => row.values()[c].clone(),
                    Source::Key(k) => Some(keys[k].clone()),
                })
                .collect();
            each[j].push(values);
        }
        let mut parts: Vec<Vec<Vec<Option<Term>>>> = (0..batch.len()).map(|_| Vec::new()).collect();
        for ((_, i), rows) in anchors.iter().zip(each) {
            // Stable: rows the rest of the order ties keep the query's.
            parts[*i].extend(match &self.rest_columns {
                Some(columns) => sort_rows(rows, columns),
                None => rows,
            });
        }
        if let (Some(columns), false) = (&self.key_columns, self.filled) {
            for (rows, part) in parts.iter_mut().zip(batch) {
                // An anchor of two keys (a person of two names) is in two
                // partitions, and its solutions of the other key belong
                // to the other.
                rows.retain(|r| {
                    columns
                        .iter()
                        .zip(&part.keys)
                        .all(|(&(c, _), key)| r[c].as_ref().is_none_or(|v| v == key))
                });
                // Stable: rows of equal keys keep their order.
                *rows = sort_rows(std::mem::take(rows), columns);
            }
        }
        Ok(parts
            .into_iter()
            .map(|rows| {
                rows.into_iter()
                    .map(|values| QuerySolution::from((Arc::clone(&self.variables), values)))
                    .collect()
            })
            .collect())
    }
}

impl Batches {
    /// The anchors of the partitions of `batch`, listed without them, each
    /// with the number of its partition in the batch, in (number, anchor)
    /// order: `look_up` with the batch's keys in its table.
    fn anchors_of(
        &self,
        store: &GraphStore,
        look_up: &Query,
        batch: &[Part],
    ) -> Result<Vec<(NamedNode, usize)>, QueryEvaluationError> {
        let rows: Vec<Vec<Option<GroundTerm>>> = batch
            .iter()
            .enumerate()
            .map(|(i, p)| {
                // The keys come from a SELECT DISTINCT's solutions: a
                // blank node or a triple (no ground term) would match
                // nothing.
                p.keys
                    .iter()
                    .map(ground)
                    .chain([Some(GroundTerm::Literal(Literal::from(i as i64)))])
                    .collect()
            })
            .collect();
        let table: Vec<Variable> = self
            .look_up_keys
            .iter()
            .chain([&self.index])
            .cloned()
            .collect();
        let query = map_select(look_up.clone(), |p| with_table(p, &table, &rows));
        let mut anchors = Vec::new();
        for row in solutions(store, query)? {
            let row = row?;
            let i = number_of(row.get(&self.index));
            if let (Some(Term::NamedNode(a)), Some(i)) = (row.get(&self.anchor), i) {
                anchors.push((a.clone(), i));
            }
        }
        anchors.sort_by(|(a1, i1), (a2, i2)| i1.cmp(i2).then_with(|| a1.cmp(a2)));
        anchors.dedup();
        Ok(anchors)
    }
}

/// The solutions of the SELECT query `q`, its errors as evaluation errors.
fn solutions(store: &GraphStore, q: Query) -> Result<QuerySolutionIter<'_>, QueryEvaluationError> {
    match query::run_parsed(store, q) {
        Ok(QueryResults::Solutions(rows)) => Ok(rows),
        Ok(_) => unreachable!("a SELECT query gives solutions"),
        Err(QueryError::Evaluation(e)) => Err(e),
        Err(e) => Err(QueryEvaluationError::Unexpected(Box::new(e))),
    }
}

/// `p` with `rows` in its (empty) table of the variables `table`.
fn with_table(
    p: GraphPattern,
    table: &[Variable],
    rows: &[Vec<Option<GroundTerm>>],
) -> GraphPattern {
    match p {
        GraphPattern::Values { variables, .. } if variables == table => GraphPattern::Values {
            variables,
            bindings: rows.to_vec(),
        },
        p => map_children(p, &|c| with_table(c, table, rows)),
    }
}

/// The number a batch gives a partition, as a solution binds it.
fn number_of(t: Option<&Term>) -> Option<usize> {
    match t {
        Some(Term::Literal(l)) => l.value().parse().ok(),
        _ => None,
    }
}

/// `t` as a term a table may hold: an IRI or a literal.
fn ground(t: &Term) -> Option<GroundTerm> {
    match t {
        Term::NamedNode(n) => Some(GroundTerm::NamedNode(n.clone())),
        Term::Literal(l) => Some(GroundTerm::Literal(l.clone())),
        _ => None,
    }
}

/// The query that finds the anchors of a batch of keys: a table of the
/// keys, each row numbered (empty here, see [`Batches::anchors_of`]),
/// joined LATERAL with the partitions' pattern, which so finds the anchors
/// with the keys bound. A pattern that cannot take them bound (one that
/// BINDs a key) is an error.
fn look_up_query(partitioning: &Partitioning, index: &Variable) -> Result<Query, QueryError> {
    let keys: Vec<String> = partitioning
        .keys
        .iter()
        .map(|k| k.var.to_string())
        .collect();
    let text = format!(
        "SELECT DISTINCT {anchor} {index} WHERE {{ {{ VALUES ({keys} {index}) {{}} }} LATERAL {{ {pattern} }} }}",
        anchor = partitioning.anchor,
        keys = keys.join(" "),
        pattern = partitioning.pattern,
    );
    query::parser().parse_query(&text).map_err(|e| {
        QueryError::Partition(format!(
            "the pattern of a `(keys first)` pages line must take its keys bound, as a LATERAL join binds them ({e}): {}",
            partitioning.pattern
        ))
    })
}

impl Iterator for Reader {
    type Item = Result<QuerySolution, QueryEvaluationError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.left == Some(0) {
            return None;
        }
        if let Err(e) = self.fill() {
            self.failed = true;
            return Some(Err(e));
        }
        let row = self.buffer.pop_front()?;
        if let Some(n) = &mut self.left {
            *n -= 1;
        }
        Some(Ok(row))
    }
}

/// The variables a SELECT pattern projects, in order.
fn projected(pattern: &GraphPattern) -> Vec<Variable> {
    match pattern {
        GraphPattern::Project { variables, .. } => variables.clone(),
        GraphPattern::Slice { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::OrderBy { inner, .. } => projected(inner),
        _ => Vec::new(),
    }
}

/// True when the solution modifiers hold a DISTINCT.
fn is_distinct(pattern: &GraphPattern) -> bool {
    match pattern {
        GraphPattern::Distinct { .. } => true,
        GraphPattern::Slice { inner, .. }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Project { inner, .. }
        | GraphPattern::OrderBy { inner, .. } => is_distinct(inner),
        _ => false,
    }
}

/// The expressions of a SELECT query's ORDER BY, unless it has none or
/// takes a slice of its solutions (a LIMIT or OFFSET of its own, which
/// must see them ordered).
fn order_of(query: &Query) -> Option<&[OrderExpression]> {
    fn of(pattern: &GraphPattern) -> Option<&[OrderExpression]> {
        match pattern {
            GraphPattern::OrderBy { expression, .. } => Some(expression),
            GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::Project { inner, .. } => of(inner),
            _ => None,
        }
    }
    match query {
        Query::Select { pattern, .. } => of(pattern),
        _ => None,
    }
}

/// True when the solution modifiers hold an ORDER BY that begins with
/// `keys`, in their directions, then ascending `anchor`.
fn orders_by(pattern: &GraphPattern, keys: &[Key], anchor: &Variable) -> bool {
    match pattern {
        GraphPattern::OrderBy { expression, .. } => {
            let is = |e: Option<&OrderExpression>, v: &Variable, descending: bool| match e {
                Some(OrderExpression::Asc(Expression::Variable(x))) => x == v && !descending,
                Some(OrderExpression::Desc(Expression::Variable(x))) => x == v && descending,
                _ => false,
            };
            keys.iter()
                .enumerate()
                .all(|(i, k)| is(expression.get(i), &k.var, k.descending))
                && is(expression.get(keys.len()), anchor, false)
        }
        GraphPattern::Slice { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Project { inner, .. } => orders_by(inner, keys, anchor),
        _ => false,
    }
}

/// The SELECT pattern evaluated once for a batch of partitions, the
/// anchor taking each value of a table in turn (empty here, see
/// [`Batches::query_for`]): the solution modifiers are kept, the projection
/// gains `index` (the value's position in the batch) and the order begins
/// with it, without its `unordered` expressions (the anchor, one value for
/// each index, and the keys when [`Batches::evaluate`] sorts them), or
/// leaves altogether when `unordered` is `None` (the rows are sorted
/// after the query); below
/// them the pattern becomes the LATERAL join of a table of
/// (anchor, index) rows with the pattern, so that the pattern is evaluated
/// once for each anchor with the anchor bound (Oxigraph's SEP-0006
/// semantics: the binding reaches every part of the pattern that shares
/// the variable, sub-queries that project it included), and the query is
/// planned once for the whole batch instead of once per partition.
///
/// The pattern is wrapped in a projection of its own variables and the
/// anchor: Oxigraph's evaluation of a projection keeps the bindings it is
/// given (the index) and passes the anchor down, also through a GROUP BY,
/// whose own solutions hold only its keys and aggregates.
///
/// The `filled` variables (the keys, when [`Batches::evaluate`] writes
/// them from the partition) leave the projection.
fn batched(
    pattern: GraphPattern,
    anchor: &Variable,
    index: &Variable,
    unordered: Option<Range<usize>>,
    filled: &[Variable],
) -> GraphPattern {
    let b = |p: Box<GraphPattern>| Box::new(batched(*p, anchor, index, unordered.clone(), filled));
    match pattern {
        GraphPattern::Slice {
            inner,
            start,
            length,
        } => GraphPattern::Slice {
            inner: b(inner),
            start,
            length,
        },
        GraphPattern::Distinct { inner } => GraphPattern::Distinct { inner: b(inner) },
        GraphPattern::Reduced { inner } => GraphPattern::Reduced { inner: b(inner) },
        GraphPattern::Project {
            inner,
            mut variables,
        } => {
            variables.retain(|v| !filled.contains(v));
            variables.push(index.clone());
            GraphPattern::Project {
                inner: b(inner),
                variables,
            }
        }
        GraphPattern::OrderBy { inner, .. } if unordered.is_none() => *b(inner),
        GraphPattern::OrderBy {
            inner,
            mut expression,
        } => {
            expression.drain(unordered.clone().unwrap_or_default());
            expression.insert(0, OrderExpression::Asc(Expression::Variable(index.clone())));
            GraphPattern::OrderBy {
                inner: b(inner),
                expression,
            }
        }
        other => {
            let table = GraphPattern::Values {
                variables: vec![anchor.clone(), index.clone()],
                bindings: Vec::new(),
            };
            let probe = Substitute {
                var: anchor,
                value: &NamedNode::new_unchecked("urn:zhkg:anchor"),
            };
            lateral(other, &table, &probe)
        }
    }
}

/// `pattern` joined LATERAL with `table` (the batch's anchors), the join
/// placed below the parts of the pattern that do not mention the anchor
/// (`probe` changes what does): a join with such a part, an OPTIONAL
/// whose right side and condition are such parts, a FILTER or BIND whose
/// expression is one. Each of those gives the same solutions evaluated
/// once over the union of the anchors' solutions as once per anchor, and
/// is then evaluated once per batch: the notation of each metric, say,
/// read once for 64 articles instead of once per article.
fn lateral(pattern: GraphPattern, table: &GraphPattern, probe: &Substitute) -> GraphPattern {
    let free = |p: &GraphPattern| probe.pattern(p.clone()) == *p;
    let free_expr = |e: &Expression| probe.expr(e.clone()) == *e;
    let down = |p: Box<GraphPattern>| Box::new(lateral(*p, table, probe));
    match pattern {
        GraphPattern::Join { left, right } if free(&right) => GraphPattern::Join {
            left: down(left),
            right,
        },
        GraphPattern::Join { left, right } if free(&left) => GraphPattern::Join {
            left,
            right: down(right),
        },
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } if free(&right) && expression.as_ref().is_none_or(free_expr) => GraphPattern::LeftJoin {
            left: down(left),
            right,
            expression,
        },
        GraphPattern::Filter { expr, inner } if free_expr(&expr) => GraphPattern::Filter {
            expr,
            inner: down(inner),
        },
        GraphPattern::Extend {
            inner,
            variable,
            expression,
        } if free_expr(&expression) && variable != *probe.var => GraphPattern::Extend {
            inner: down(inner),
            variable,
            expression,
        },
        other => {
            let mut variables = vec![probe.var.clone()];
            other.on_in_scope_variable(|v| {
                if !variables.contains(v) {
                    variables.push(v.clone());
                }
            });
            GraphPattern::Lateral {
                left: Box::new(table.clone()),
                right: Box::new(GraphPattern::Project {
                    inner: Box::new(other),
                    variables,
                }),
            }
        }
    }
}

/// A SELECT query with `f` applied to its pattern; other queries as they are.
fn map_select(query: Query, f: impl FnOnce(GraphPattern) -> GraphPattern) -> Query {
    match query {
        Query::Select {
            dataset,
            pattern,
            base_iri,
        } => Query::Select {
            dataset,
            pattern: f(pattern),
            base_iri,
        },
        other => other,
    }
}

/// `p` with `f` applied to each of its direct sub-patterns (those inside
/// expressions excepted); triples, paths and tables are returned as they are.
fn map_children(p: GraphPattern, f: &dyn Fn(GraphPattern) -> GraphPattern) -> GraphPattern {
    let b = |p: Box<GraphPattern>| Box::new(f(*p));
    match p {
        GraphPattern::Join { left, right } => GraphPattern::Join {
            left: b(left),
            right: b(right),
        },
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } => GraphPattern::LeftJoin {
            left: b(left),
            right: b(right),
            expression,
        },
        GraphPattern::Lateral { left, right } => GraphPattern::Lateral {
            left: b(left),
            right: b(right),
        },
        GraphPattern::Filter { expr, inner } => GraphPattern::Filter {
            expr,
            inner: b(inner),
        },
        GraphPattern::Union { left, right } => GraphPattern::Union {
            left: b(left),
            right: b(right),
        },
        GraphPattern::Graph { name, inner } => GraphPattern::Graph {
            name,
            inner: b(inner),
        },
        GraphPattern::Extend {
            inner,
            variable,
            expression,
        } => GraphPattern::Extend {
            inner: b(inner),
            variable,
            expression,
        },
        GraphPattern::Minus { left, right } => GraphPattern::Minus {
            left: b(left),
            right: b(right),
        },
        GraphPattern::OrderBy { inner, expression } => GraphPattern::OrderBy {
            inner: b(inner),
            expression,
        },
        GraphPattern::Project { inner, variables } => GraphPattern::Project {
            inner: b(inner),
            variables,
        },
        GraphPattern::Distinct { inner } => GraphPattern::Distinct { inner: b(inner) },
        GraphPattern::Reduced { inner } => GraphPattern::Reduced { inner: b(inner) },
        GraphPattern::Slice {
            inner,
            start,
            length,
        } => GraphPattern::Slice {
            inner: b(inner),
            start,
            length,
        },
        GraphPattern::Group {
            inner,
            variables,
            aggregates,
        } => GraphPattern::Group {
            inner: b(inner),
            variables,
            aggregates,
        },
        GraphPattern::Service {
            name,
            inner,
            silent,
        } => GraphPattern::Service {
            name,
            inner: b(inner),
            silent,
        },
        p
        @ (GraphPattern::Bgp { .. } | GraphPattern::Path { .. } | GraphPattern::Values { .. }) => p,
    }
}

/// Replaces one variable by an IRI in a pattern, its expressions and its
/// sub-queries that project it: [`hoist`] tells by it whether a part of a
/// query mentions the anchor (the part changes).
struct Substitute<'s> {
    var: &'s Variable,
    value: &'s NamedNode,
}

impl Substitute<'_> {
    fn pattern(&self, p: GraphPattern) -> GraphPattern {
        let b = |p: Box<GraphPattern>| Box::new(self.pattern(*p));
        match p {
            GraphPattern::Bgp { patterns } => GraphPattern::Bgp {
                patterns: patterns.into_iter().map(|t| self.triple(t)).collect(),
            },
            GraphPattern::Path {
                subject,
                path,
                object,
            } => GraphPattern::Path {
                subject: self.term(subject),
                path,
                object: self.term(object),
            },
            GraphPattern::LeftJoin {
                left,
                right,
                expression,
            } => GraphPattern::LeftJoin {
                left: b(left),
                right: b(right),
                expression: expression.map(|e| self.expr(e)),
            },
            GraphPattern::Filter { expr, inner } => GraphPattern::Filter {
                expr: self.expr(expr),
                inner: b(inner),
            },
            GraphPattern::Graph { name, inner } => GraphPattern::Graph {
                name: match name {
                    NamedNodePattern::Variable(v) if v == *self.var => {
                        NamedNodePattern::NamedNode(self.value.clone())
                    }
                    n => n,
                },
                inner: b(inner),
            },
            GraphPattern::Extend {
                inner,
                variable,
                expression,
            } => GraphPattern::Extend {
                inner: b(inner),
                variable,
                expression: self.expr(expression),
            },
            GraphPattern::Values {
                variables,
                bindings,
            } => self.values(variables, bindings),
            GraphPattern::OrderBy { inner, expression } => GraphPattern::OrderBy {
                inner: b(inner),
                expression: expression
                    .into_iter()
                    .map(|e| match e {
                        OrderExpression::Asc(e) => OrderExpression::Asc(self.expr(e)),
                        OrderExpression::Desc(e) => OrderExpression::Desc(self.expr(e)),
                    })
                    .collect(),
            },
            // A sub-query shares only the variables it projects.
            GraphPattern::Project { inner, variables } if variables.contains(self.var) => {
                GraphPattern::Project {
                    inner: b(inner),
                    variables: variables.into_iter().filter(|v| v != self.var).collect(),
                }
            }
            p @ GraphPattern::Project { .. } => p,
            GraphPattern::Group {
                inner,
                variables,
                aggregates,
            } => GraphPattern::Group {
                inner: b(inner),
                variables: variables.into_iter().filter(|v| v != self.var).collect(),
                aggregates: aggregates
                    .into_iter()
                    .map(|(v, a)| (v, self.aggregate(a)))
                    .collect(),
            },
            p => map_children(p, &|c| self.pattern(c)),
        }
    }

    fn values(
        &self,
        variables: Vec<Variable>,
        bindings: Vec<Vec<Option<GroundTerm>>>,
    ) -> GraphPattern {
        let Some(i) = variables.iter().position(|v| v == self.var) else {
            return GraphPattern::Values {
                variables,
                bindings,
            };
        };
        let fixed = GroundTerm::NamedNode(self.value.clone());
        GraphPattern::Values {
            variables: variables.into_iter().filter(|v| v != self.var).collect(),
            bindings: bindings
                .into_iter()
                .filter(|row| row[i].as_ref().is_none_or(|t| *t == fixed))
                .map(|mut row| {
                    row.remove(i);
                    row
                })
                .collect(),
        }
    }

    fn triple(&self, t: TriplePattern) -> TriplePattern {
        TriplePattern {
            subject: self.term(t.subject),
            predicate: match t.predicate {
                NamedNodePattern::Variable(v) if v == *self.var => {
                    NamedNodePattern::NamedNode(self.value.clone())
                }
                p => p,
            },
            object: self.term(t.object),
        }
    }

    fn term(&self, t: TermPattern) -> TermPattern {
        match t {
            TermPattern::Variable(v) if v == *self.var => {
                TermPattern::NamedNode(self.value.clone())
            }
            t => t,
        }
    }

    fn aggregate(&self, a: AggregateExpression) -> AggregateExpression {
        match a {
            AggregateExpression::FunctionCall {
                name,
                expr,
                distinct,
            } => AggregateExpression::FunctionCall {
                name,
                expr: self.expr(expr),
                distinct,
            },
            a => a,
        }
    }

    fn expr(&self, e: Expression) -> Expression {
        let b = |e: Box<Expression>| Box::new(self.expr(*e));
        match e {
            Expression::Variable(v) if v == *self.var => Expression::NamedNode(self.value.clone()),
            Expression::Bound(v) if v == *self.var => {
                Expression::Literal(oxigraph::model::Literal::from(true))
            }
            Expression::Or(x, y) => Expression::Or(b(x), b(y)),
            Expression::And(x, y) => Expression::And(b(x), b(y)),
            Expression::Equal(x, y) => Expression::Equal(b(x), b(y)),
            Expression::SameTerm(x, y) => Expression::SameTerm(b(x), b(y)),
            Expression::Greater(x, y) => Expression::Greater(b(x), b(y)),
            Expression::GreaterOrEqual(x, y) => Expression::GreaterOrEqual(b(x), b(y)),
            Expression::Less(x, y) => Expression::Less(b(x), b(y)),
            Expression::LessOrEqual(x, y) => Expression::LessOrEqual(b(x), b(y)),
            Expression::In(x, list) => {
                Expression::In(b(x), list.into_iter().map(|e| self.expr(e)).collect())
            }
            Expression::Add(x, y) => Expression::Add(b(x), b(y)),
            Expression::Subtract(x, y) => Expression::Subtract(b(x), b(y)),
            Expression::Multiply(x, y) => Expression::Multiply(b(x), b(y)),
            Expression::Divide(x, y) => Expression::Divide(b(x), b(y)),
            Expression::UnaryPlus(x) => Expression::UnaryPlus(b(x)),
            Expression::UnaryMinus(x) => Expression::UnaryMinus(b(x)),
            Expression::Not(x) => Expression::Not(b(x)),
            Expression::Exists(p) => Expression::Exists(Box::new(self.pattern(*p))),
            Expression::If(x, y, z) => Expression::If(b(x), b(y), b(z)),
            Expression::Coalesce(list) => {
                Expression::Coalesce(list.into_iter().map(|e| self.expr(e)).collect())
            }
            Expression::FunctionCall(f, args) => {
                Expression::FunctionCall(f, args.into_iter().map(|e| self.expr(e)).collect())
            }
            e => e,
        }
    }
}

/// The most solutions of an OPTIONAL part that [`hoist`] replaces by a
/// table: the table is copied into every partition's query.
const HOIST_MAX: usize = 256;

/// The SELECT query with its OPTIONAL parts that do not depend on the
/// anchor (the family of a metric, from the ontology) evaluated once and
/// replaced by a VALUES table of their solutions, which each partition then
/// joins in memory instead of reading the store again for every partition
/// (the whole outcomes table about 10% faster at 20,000 articles). In
/// SPARQL's bottom-up semantics a pattern's solutions do not depend on what
/// surrounds it, except inside EXISTS, LATERAL's right side and a GRAPH
/// (whose active graph is another), which are left alone; so are parts with
/// more than [`HOIST_MAX`] solutions, a blank node in a solution, a SERVICE,
/// or an error (the partition's own evaluation reports it). Only OPTIONAL
/// parts: a table joined with the rest of a group lets Oxigraph's planner
/// loop over the table first, which made the outcomes table three times
/// slower.
fn hoist(store: &GraphStore, query: Query, anchor: &Variable) -> Query {
    let hoister = Hoister {
        store,
        probe: Substitute {
            var: anchor,
            value: &NamedNode::new_unchecked("urn:zhkg:anchor"),
        },
    };
    map_select(query, |p| hoister.pattern(p))
}

/// Walks a query for OPTIONAL parts [`hoist`] can evaluate once.
struct Hoister<'a> {
    store: &'a GraphStore,
    /// Replaces the anchor: a pattern it changes mentions the anchor.
    probe: Substitute<'a>,
}

impl Hoister<'_> {
    /// The pattern with its anchor-free OPTIONAL parts hoisted.
    fn pattern(&self, p: GraphPattern) -> GraphPattern {
        let b = |p: Box<GraphPattern>| Box::new(self.pattern(*p));
        match p {
            GraphPattern::LeftJoin {
                left,
                right,
                expression,
            } => GraphPattern::LeftJoin {
                left: b(left),
                right: match self.table(&right) {
                    Some(table) => Box::new(table),
                    None => b(right),
                },
                expression,
            },
            // LATERAL's right side is evaluated for each solution of its left.
            GraphPattern::Lateral { left, right } => GraphPattern::Lateral {
                left: b(left),
                right,
            },
            // GRAPH changes the active graph of what it holds.
            p @ (GraphPattern::Graph { .. } | GraphPattern::Service { .. }) => p,
            p => map_children(p, &|c| self.pattern(c)),
        }
    }

    /// The solutions of `p` as a VALUES table, when `p` may be hoisted.
    fn table(&self, p: &GraphPattern) -> Option<GraphPattern> {
        if matches!(p, GraphPattern::Values { .. }) || self.probe.pattern(p.clone()) != *p {
            return None;
        }
        // Their evaluation depends on more than the pattern itself (a
        // literal that reads so only keeps the part from being hoisted).
        let text = p.to_string();
        if text.contains("EXISTS {") || text.contains("SERVICE ") {
            return None;
        }
        let query = Query::Select {
            dataset: None,
            pattern: GraphPattern::Slice {
                inner: Box::new(p.clone()),
                start: 0,
                length: Some(HOIST_MAX + 1),
            },
            base_iri: None,
        };
        let Ok(QueryResults::Solutions(rows)) = query::run_parsed(self.store, query) else {
            return None;
        };
        let variables = rows.variables().to_vec();
        let mut bindings = Vec::new();
        for row in rows {
            let row = row.ok()?;
            if bindings.len() == HOIST_MAX {
                return None;
            }
            let values = variables
                .iter()
                .map(|v| match row.get(v) {
                    None => Some(None),
                    Some(t) => ground(t).map(Some),
                })
                .collect::<Option<Vec<_>>>()?;
            bindings.push(values);
        }
        Some(GraphPattern::Values {
            variables,
            bindings,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rows of a SELECT query's results, each value written as
    /// N-Triples writes it.
    fn rows(results: QueryResults<'_>) -> Vec<Vec<Option<String>>> {
        let QueryResults::Solutions(rows) = results else {
            panic!("a SELECT query gives solutions")
        };
        rows.map(|r| {
            r.unwrap()
                .values()
                .iter()
                .map(|t| t.as_ref().map(Term::to_string))
                .collect()
        })
        .collect()
    }

    /// Asserts that the whole of `text` gives `count` rows and that each
    /// page of it read by its partitions (the first `limit` rows, or all)
    /// is the whole query's first rows.
    fn pages_are_the_whole_querys(
        store: &GraphStore,
        text: &str,
        count: usize,
        limits: &[Option<usize>],
    ) {
        let whole = rows(query::run(store, text).unwrap());
        assert_eq!(whole.len(), count, "{whole:?}");
        let p = declared(text).unwrap().unwrap();
        for &limit in limits {
            let got = rows(page(store, text, &p, 0, limit).unwrap());
            let end = limit.map_or(whole.len(), |l| l.min(whole.len()));
            assert_eq!(got, whole[..end], "{text} --limit {limit:?}");
        }
    }

    /// An in-memory store holding `data`.
    fn loaded(format: oxigraph::io::RdfFormat, data: &str) -> GraphStore {
        let store = GraphStore::in_memory().unwrap();
        store
            .inner()
            .load_from_reader(format, data.as_bytes())
            .unwrap();
        store
    }

    #[test]
    fn the_pages_line_is_read() {
        let text = "# listing\n# pages ?a by ?article: ?a schema:identifier ?article\nSELECT …";
        let p = declared(text).unwrap().unwrap();
        assert_eq!(p.anchor.as_str(), "a");
        assert_eq!(
            p.keys,
            [Key {
                var: Variable::new("article").unwrap(),
                descending: false
            }]
        );
        let two = declared("# pages ?o by ?metric DESC(?value): ?o zhkg:value ?value")
            .unwrap()
            .unwrap();
        let directions: Vec<(&str, bool)> = two
            .keys
            .iter()
            .map(|k| (k.var.as_str(), k.descending))
            .collect();
        assert_eq!(directions, [("metric", false), ("value", true)]);
        assert_eq!(p.pattern, "?a schema:identifier ?article");
        assert!(!p.keys_first && !two.keys_first);
        let first = declared("# pages ?p by ?name (keys first): ?p rdfs:label ?name")
            .unwrap()
            .unwrap();
        assert!(first.keys_first);
        assert_eq!(
            first.keys,
            p.keys
                .iter()
                .map(|_| Key {
                    var: Variable::new("name").unwrap(),
                    descending: false
                })
                .collect::<Vec<_>>()
        );
        assert_eq!(first.pattern, "?p rdfs:label ?name");
        assert_eq!(declared("SELECT * WHERE { ?s ?p ?o }").unwrap(), None);
        for bad in [
            "# pages ?a ?article: x",
            "# pages a by ?k: x",
            "# pages ?a by ?k x",
            "# pages ?a by: x",
            "# pages ?a by DESC(k): x",
            "# pages ?a by (keys first): x",
            "# pages ?a by ?k (keys): x",
        ] {
            assert!(declared(bad).is_err(), "{bad}");
        }
    }

    /// (query, keys, what the batched query holds, what it must not):
    /// the index joins the projection and leads the order, the anchor
    /// leaves the order, projected keys leave it too (they are sorted
    /// after the query) while a key that is not projected stays; with the
    /// keys and the rest of the order projected variables, the query is
    /// not ordered at all (its rows are sorted after it). The pattern is
    /// the LATERAL join of the batch's table with the pattern wrapped in a
    /// projection that passes the anchor down.
    #[test]
    fn a_batch_is_one_lateral_query_ordered_by_its_index() {
        let cases = [
            (
                "SELECT ?k ?b WHERE { GRAPH ?a { ?a <http://x/p> ?k ; <http://x/q> ?b } } ORDER BY ?k ?a ?b",
                vec![
                    "SELECT ?k ?b ?i",
                    "VALUES ( ?a ?i ) { ( <http://x/x> \"0\"^^<http://www.w3.org/2001/XMLSchema#integer> ) ( <http://x/y> \"1\"^^",
                    "LATERAL { { SELECT ?a ?k ?b WHERE",
                ],
                vec!["ORDER BY"],
            ),
            // An expression in the rest of the order: the query orders.
            (
                "SELECT ?k ?b WHERE { ?a <http://x/p> ?k ; <http://x/q> ?b } ORDER BY ?k ?a STRLEN(?b) ?b",
                vec!["ORDER BY ASC(?i) ASC(STRLEN(?b)) ASC(?b)"],
                vec!["ASC(?k)", "ASC(?a)"],
            ),
            // A slice of its own must see its rows ordered.
            (
                "SELECT ?k ?b WHERE { ?a <http://x/p> ?k ; <http://x/q> ?b } ORDER BY ?k ?a ?b LIMIT 5",
                vec!["ORDER BY ASC(?i) ASC(?b)", "LIMIT 5"],
                vec!["ASC(?k)", "ASC(?a)"],
            ),
            (
                "SELECT ?b WHERE { ?a <http://x/p> ?k ; <http://x/q> ?b } ORDER BY DESC(?k) ?a ?b",
                vec!["SELECT ?b ?i", "ORDER BY ASC(?i) DESC(?k) ASC(?b)"],
                vec!["ASC(?a)"],
            ),
            (
                "SELECT ?k (COUNT(?b) AS ?n) WHERE { ?a <http://x/p> ?k ; <http://x/q> ?b } GROUP BY ?k ORDER BY ?k ?a",
                vec!["GROUP BY ?k", "LATERAL { { SELECT ?a "],
                vec!["ORDER BY"],
            ),
            // What does not mention the anchor is joined outside the
            // LATERAL, once per batch; what does stays inside.
            (
                "SELECT ?k ?n ?f ?g WHERE { { ?a <http://x/p> ?k } OPTIONAL { ?a <http://x/g> ?g } ?k <http://x/n> ?n OPTIONAL { ?k <http://x/f> ?f } FILTER (?n != 0) } ORDER BY ?k ?a",
                vec![
                    "LATERAL { { SELECT ?a ?k ?g WHERE { ?a <http://x/p> ?k . OPTIONAL { ?a <http://x/g> ?g . } } } } ?k <http://x/n> ?n . OPTIONAL { ?k <http://x/f> ?f . } FILTER(",
                ],
                vec![],
            ),
        ];
        let x = [
            (NamedNode::new_unchecked("http://x/x"), 0),
            (NamedNode::new_unchecked("http://x/y"), 1),
        ];
        for (text, present, absent) in cases {
            let query = spargebra::SparqlParser::new().parse_query(text).unwrap();
            let Query::Select { pattern, .. } = &query else {
                panic!()
            };
            let variables = projected(pattern);
            let partitioning = declared(&format!("# pages ?a by ?k: ?a <http://x/p> ?k\n{text}"))
                .unwrap()
                .unwrap();
            let partitioning = Partitioning {
                keys: vec![Key {
                    var: Variable::new_unchecked("k"),
                    descending: text.contains("DESC(?k)"),
                }],
                ..partitioning
            };
            let batches = Batches::with_index(
                query.clone(),
                &partitioning,
                &variables,
                Mode {
                    one_each: false,
                    keys_first: false,
                },
                Variable::new_unchecked("i"),
            )
            .unwrap();
            let one = batches.query_for(&x).to_string();
            for p in present {
                assert!(one.contains(p), "{text}\n→ {one}\nmissing {p}");
            }
            for p in absent {
                assert!(!one.contains(p), "{text}\n→ {one}\nhas {p}");
            }
            // The batched query is valid SPARQL.
            spargebra::SparqlParser::new().parse_query(&one).unwrap();
        }
    }

    /// Keys written from the partitions: the batch's query projects the
    /// other variables and the index only, and each solution comes back
    /// with its partition's keys in their columns, as the query itself
    /// gives them; with the keys projected, or when an anchor is in two
    /// partitions, the query projects them. Partitions listed by their
    /// keys alone find their anchors (two articles of one key here, in
    /// the order of their IRIs) and give the same solutions.
    #[test]
    fn keys_come_from_the_partition_when_each_anchor_has_one() {
        let store = loaded(
            oxigraph::io::RdfFormat::TriG,
            "@prefix ex: <http://x/> .
                 ex:g1 { ex:g1 ex:id \"first article\" ; ex:day 3 . ex:o1 ex:v 1 . ex:o2 ex:v 2 . }
                 ex:g3 { ex:g3 ex:id \"second article\" ; ex:day 1 . ex:o4 ex:v 0 . }
                 ex:g2 { ex:g2 ex:id \"second article\" ; ex:day 1 . ex:o3 ex:v 3 . }",
        );
        let text = "PREFIX ex: <http://x/>
            SELECT ?v ?id ?day WHERE { GRAPH ?a { ?a ex:id ?id ; ex:day ?day . ?o ex:v ?v } }
            ORDER BY ?id DESC(?day) ?a ?v";
        let partitioning = declared(
            "# pages ?a by ?id DESC(?day): GRAPH ?a { ?a <http://x/id> ?id ; <http://x/day> ?day }",
        )
        .unwrap()
        .unwrap();
        let query = spargebra::SparqlParser::new().parse_query(text).unwrap();
        let Query::Select { pattern, .. } = &query else {
            panic!()
        };
        let variables = projected(pattern);
        let parts = partitions(&store, &partitioning, false).unwrap();
        let key =
            |id: &str, day: i64| vec![Term::from(Literal::from(id)), Literal::from(day).into()];
        assert_eq!(
            parts.iter().map(|p| p.keys.clone()).collect::<Vec<_>>(),
            [
                key("first article", 3),
                key("second article", 1),
                key("second article", 1)
            ]
        );
        let solved = |one_each: bool, keys_first: bool| {
            let batches = Batches::with_index(
                query.clone(),
                &partitioning,
                &variables,
                Mode {
                    one_each,
                    keys_first,
                },
                Variable::new_unchecked("i"),
            )
            .unwrap();
            let parts = match keys_first {
                true => partitions(&store, &partitioning, true).unwrap(),
                false => parts.clone(),
            };
            let anchors: Vec<(NamedNode, usize)> = parts
                .iter()
                .enumerate()
                .filter_map(|(i, p)| Some((p.anchor.clone()?, i)))
                .collect();
            let projects = batches.query_for(&anchors).to_string();
            let head = projects.split("WHERE").next().unwrap().to_owned();
            let rows: Vec<Vec<String>> = batches
                .evaluate(&store, &parts)
                .unwrap()
                .into_iter()
                .flatten()
                .map(|s| {
                    assert_eq!(s.variables(), variables.as_slice());
                    s.values()
                        .iter()
                        .map(|t| match t {
                            Some(Term::Literal(l)) => l.value().to_owned(),
                            t => t.as_ref().map_or(String::new(), Term::to_string),
                        })
                        .collect()
                })
                .collect();
            (head, rows)
        };
        let (filled_head, filled) = solved(true, false);
        let (projected_head, read) = solved(false, false);
        // Listed without their anchors, the partitions look them up and
        // the keys stay projected.
        let (_, looked_up) = solved(false, true);
        assert_eq!(filled_head.trim(), "SELECT ?v ?i");
        assert_eq!(projected_head.trim(), "SELECT ?v ?id ?day ?i");
        assert_eq!(filled, read);
        assert_eq!(looked_up, read);
        assert_eq!(
            filled,
            [
                ["1", "first article", "3"],
                ["2", "first article", "3"],
                ["3", "second article", "1"],
                ["0", "second article", "1"],
            ]
            .map(|r| r.map(String::from).to_vec())
        );
    }

    /// An anchor of two keys (an entity of two names) is in a partition
    /// for each: its rows come once each, under their own key, listed
    /// with the anchors or by the keys first, as the whole query gives
    /// them.
    #[test]
    fn an_anchor_of_two_keys_gives_each_row_once() {
        let store = loaded(
            oxigraph::io::RdfFormat::Turtle,
            "@prefix ex: <http://x/> .
                 ex:p1 ex:name \"b\", \"d\" ; ex:x 1, 2 .
                 ex:p2 ex:name \"c\" ; ex:x 3 .
                 ex:p3 ex:name \"a\", \"c\" ; ex:x 4 .",
        );
        for head in ["", " (keys first)"] {
            for select in ["SELECT", "SELECT DISTINCT"] {
                let text = format!(
                    "# pages ?p by ?name{head}: ?p <http://x/name> ?name
                     {select} ?name ?x WHERE {{ ?p <http://x/name> ?name ; <http://x/x> ?x }}
                     ORDER BY ?name ?p DESC(?x)"
                );
                pages_are_the_whole_querys(&store, &text, 7, &[None, Some(3), Some(100)]);
            }
        }
    }

    /// A pages pattern that is a UNION (under a BIND) is listed branch by
    /// branch: the split gives one query per branch, each with the BIND,
    /// and the partitions are the whole pattern's, a partition that two
    /// branches give listed once; every page is the whole query's.
    #[test]
    fn a_union_is_listed_branch_by_branch() {
        let listing = |pattern: &str| {
            query::parser()
                .parse_query(&format!("SELECT DISTINCT ?e ?day WHERE {{ {pattern} }}"))
                .unwrap()
        };
        let union = "{ { ?e <http://x/on> ?d } UNION { ?e <http://x/at> ?d } } UNION { ?e <http://x/in> ?d } BIND (STR(?d) AS ?day)";
        let branches = union_branches(listing(union));
        assert_eq!(branches.len(), 3);
        for b in &branches {
            let text = b.to_string();
            assert!(
                text.contains("STR(?d) AS ?day)") && !text.contains("UNION"),
                "{text}"
            );
        }
        assert!(union_branches(listing("?e <http://x/on> ?d BIND (STR(?d) AS ?day)")).is_empty());
        assert!(
            union_branches(listing("{ ?e <http://x/on> ?d } UNION { ?e <http://x/at> ?d } ?e <http://x/k> ?k BIND (STR(?d) AS ?day)")).is_empty(),
            "a union joined with more is one query"
        );
        let store = loaded(
            oxigraph::io::RdfFormat::Turtle,
            "@prefix ex: <http://x/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
             ex:e1 ex:on \"2021-03-01\"^^xsd:date ; ex:at \"2021-03-01\"^^xsd:date ; ex:w \"a\" .
             ex:e2 ex:at \"2020\"^^xsd:gYear ; ex:w \"b\" .
             ex:e3 ex:in \"2021-03\"^^xsd:gYearMonth , \"2019\"^^xsd:gYear ; ex:w \"c\" .
             ex:e4 ex:on \"2020\"^^xsd:gYear ; ex:w \"d\" .",
        );
        let partitioning = declared(&format!("# pages ?e by ?day: {union}"))
            .unwrap()
            .unwrap();
        let parts = partitions(&store, &partitioning, false).unwrap();
        let listed: Vec<(String, String)> = parts
            .iter()
            .map(|p| {
                (
                    p.keys[0].to_string(),
                    p.anchor.as_ref().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            listed,
            [
                ("\"2019\"", "<http://x/e3>"),
                ("\"2020\"", "<http://x/e2>"),
                ("\"2020\"", "<http://x/e4>"),
                ("\"2021-03\"", "<http://x/e3>"),
                ("\"2021-03-01\"", "<http://x/e1>"),
            ]
            .map(|(k, a)| (k.to_owned(), a.to_owned()))
        );
        let text = format!(
            "# pages ?e by ?day: {union}
             SELECT ?day ?w WHERE {{ {union} ?e <http://x/w> ?w }} ORDER BY ?day ?e ?w"
        );
        pages_are_the_whole_querys(&store, &text, 6, &[None, Some(1), Some(2)]);
    }

    /// Rows sorted after the query, by the rest of its order: unbound
    /// values, numbers of several datatypes, dates descending, strings;
    /// several anchors of one key, listed with their anchors or by the
    /// keys first. Every page is the whole query's.
    #[test]
    fn rows_sorted_after_the_query_are_in_the_querys_order() {
        let store = loaded(
            oxigraph::io::RdfFormat::Turtle,
            "@prefix ex: <http://x/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
             ex:p1 ex:name \"b\" ; ex:row [ ex:n 10 ; ex:day \"2021-03-01\"^^xsd:date ] ,
                 [ ex:n 9.5 ; ex:day \"2021-03-01\"^^xsd:date ] , [ ex:n 2 ] ,
                 [ ex:n \"2.5e0\"^^xsd:double ; ex:day \"2020-12-31\"^^xsd:date ; ex:t \"z\" ] .
             ex:p2 ex:name \"b\" ; ex:row [ ex:n -1 ; ex:t \"a\" ] , [ ex:t \"b\" ] .
             ex:p3 ex:name \"a\" ; ex:row [ ex:n 3 ; ex:day \"2022-01-01\"^^xsd:date ] .",
        );
        for head in ["", " (keys first)"] {
            let text = format!(
                "# pages ?p by ?name{head}: ?p <http://x/name> ?name
                 SELECT ?name ?day ?n ?t WHERE {{ ?p <http://x/name> ?name ; <http://x/row> ?r
                   OPTIONAL {{ ?r <http://x/n> ?n }} OPTIONAL {{ ?r <http://x/day> ?day }}
                   OPTIONAL {{ ?r <http://x/t> ?t }} }}
                 ORDER BY ?name ?p DESC(?day) ?n ?t"
            );
            pages_are_the_whole_querys(&store, &text, 7, &[None, Some(2), Some(5)]);
        }
    }

    /// (query, whether an OPTIONAL part is hoisted into a table): only an
    /// OPTIONAL part that does not mention the anchor, outside any GRAPH,
    /// without EXISTS, with few solutions; and the pages read with the
    /// tables are the whole query's rows.
    #[test]
    fn optional_parts_without_the_anchor_are_evaluated_once() {
        let mut trig = String::from(
            "@prefix ex: <http://x/> .
             @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
             ex:terms { ex:m1 skos:notation \"m1\" ; skos:broader ex:f1 . ex:f1 skos:notation \"f1\" .
                        ex:m2 skos:notation \"m2\" . }
             ex:meta { ex:g1 ex:id \"1\" . ex:g2 ex:id \"2\" . ex:g3 ex:id \"3\" . }
             ex:g1 { ex:o1 ex:metric ex:m1 . ex:o2 ex:metric ex:m2 ; ex:note \"n\" . }
             ex:g2 { ex:o3 ex:metric ex:m1 . }
             ex:g3 { ex:o4 ex:metric ex:m2 . }
             ex:sizes { ",
        );
        for n in 0..300 {
            trig.push_str(&format!("ex:o{} ex:size {n} . ", n % 5));
        }
        trig.push('}');
        let store = loaded(oxigraph::io::RdfFormat::TriG, &trig);
        let partitioning = declared("# pages ?a by ?id: ?a <http://x/id> ?id")
            .unwrap()
            .unwrap();
        let head = "PREFIX ex: <http://x/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
                    SELECT * WHERE { ?a ex:id ?id GRAPH ?a { ?o ex:metric ?m ";
        let cases = [
            (
                "} OPTIONAL { ?m skos:broader/skos:notation ?family } }",
                true,
            ),
            (
                "} OPTIONAL { ?m skos:notation ?code FILTER (?code != \"m2\") } }",
                true,
            ),
            // It names the anchor.
            ("} OPTIONAL { ?a ex:id ?again } }", false),
            // Inside the article's graph.
            ("OPTIONAL { ?o ex:note ?note } } }", false),
            // The OPTIONAL's own filter stays with it, read for each solution.
            (
                "} OPTIONAL { ?m skos:notation ?code FILTER EXISTS { ?m skos:broader ?f } } }",
                true,
            ),
            // An EXISTS inside the part keeps it (though it reads only the part).
            (
                "} OPTIONAL { { ?m skos:notation ?code FILTER EXISTS { ?m skos:broader ?f } } } }",
                false,
            ),
            // 300 solutions: too many for a table.
            ("} OPTIONAL { ?o ex:size ?size } }", false),
        ];
        for (tail, hoisted) in cases {
            let text = format!("{head}{tail} ORDER BY ?id ?a ?o ?size");
            let parsed = spargebra::SparqlParser::new().parse_query(&text).unwrap();
            let rewritten = hoist(&store, parsed, &partitioning.anchor).to_string();
            assert_eq!(
                rewritten.contains("VALUES"),
                hoisted,
                "{tail}\n→ {rewritten}"
            );
            let whole = rows(query::run(&store, &text).unwrap());
            assert!(!whole.is_empty(), "{tail}");
            let paged = rows(page(&store, &text, &partitioning, 0, None).unwrap());
            assert_eq!(paged, whole, "{tail}");
        }
    }
}
