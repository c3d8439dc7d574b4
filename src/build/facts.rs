//! The facts graph: what articles state about entities, each fact once.
//!
//! An entity's relations (`zhkg:operatedBy`, `zhkg:locatedIn`,
//! `schema:affiliation`…), roles and aliases live in the graph of every
//! article that states them: a programme run by Alibaba is
//! `zhkg:operatedBy` it in each of the thousands of articles that say so.
//! A query that starts from one entity then meets each fact as many times
//! as articles repeat it, and pays for each. After every build this step
//! writes, in the named graph [`FACTS_GRAPH`](crate::rdf::vocab::FACTS_GRAPH),
//! each such triple once, each entity's `zhkg:articleCount` (how many
//! articles mention it), and for each entity and metric a
//! `zhkg:FigureSummary` of the figures reported about it (how many, the
//! lowest and the highest value), and for each entity and month a
//! `zhkg:MonthSummary` of the figures dated in it (how many). The lookup
//! queries (`county`, `organisation`, `programme`, `person`) and the entity
//! pages' tables and timelines read them, so that a lookup of an entity
//! thousands of articles report figures about reads a few summaries, not
//! every figure.
//!
//! The graph is derived data, recomputed from the article graphs whenever a
//! build wrote an article (or the graph is not this version's), and only
//! the difference is written: for the entities a build touched, in one
//! transaction; recomputed whole, one part (predicate) at a time, the
//! version statement last. Either way it is exactly what a fresh build of
//! the same files gives.

use oxigraph::model::{
    GraphName, GraphNameRef, Literal, LiteralRef, NamedNode, NamedNodeRef, NamedOrBlankNode,
    NamedOrBlankNodeRef, Quad, QuadRef, Term, TermRef,
};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeSet;

use oxigraph::sparql::QueryResults;

use crate::error::{Error, QueryError, StoreError};
use crate::rdf::ArticleGraph;
use crate::rdf::graph::Interner;
use crate::rdf::vocab::{self, org, schema, skos, xsd, zhkg};
use crate::sparql::query;
use crate::store::GraphStore;

/// The predicates whose triples are entity facts, gathered once.
const FACT_PREDICATES: &[&str] = &[
    zhkg::OPERATED_BY,
    zhkg::FUNDED_BY,
    zhkg::PARTNER_OF,
    zhkg::LOCATED_IN,
    zhkg::DISPATCHED_TO,
    zhkg::TRAINS,
    zhkg::STUDIES,
    zhkg::ROLE,
    org::MEMBER_OF,
    schema::WORKS_FOR,
    schema::AFFILIATION,
    skos::ALT_LABEL,
];

/// The relations whose statements a `zhkg:RelationSummary` counts: who
/// operates and who funds a programme. The `programmes-by-organisation`
/// listing gives, for each, how many articles state it and the first of
/// them, which over the article graphs meant joining every statement with
/// its article's identifier and sorting the identifiers (nearly all of the
/// listing's first page at 20,000 articles: 1.3 s, against 0.1 s this way).
const SUMMARISED_RELATIONS: &[&str] = &[zhkg::OPERATED_BY, zhkg::FUNDED_BY];

/// What the facts graph holds, in one word: bumped whenever a build of
/// this version would write a different graph from the same articles (a
/// new kind of summary), so that the next build recomputes it whole. The
/// graph names it with `owl:versionInfo`.
pub const VERSION: &str = "facts 5: fact triples, article counts, figure, month and relation summaries, county co-mentions, family and class counts";

/// The version statement of the facts graph: `<graph> owl:versionInfo "…"`.
fn version_quad() -> Quad {
    let g = NamedNode::new_unchecked(vocab::FACTS_GRAPH);
    Quad::new(
        g.clone(),
        NamedNode::new_unchecked(vocab::owl::VERSION_INFO),
        Literal::new_simple_literal(VERSION),
        GraphName::NamedNode(g),
    )
}

/// True when the facts graph was recomputed by this version (it says so);
/// false for a store built before the graph or its latest summaries
/// existed, or one whose articles were all removed.
pub fn is_current(store: &GraphStore) -> Result<bool, Error> {
    Ok(store
        .inner()
        .contains(version_quad().as_ref())
        .map_err(StoreError::from)?)
}

/// Recomputes the facts graph from the article graphs; returns how many
/// quads it holds. It goes part by part (the triples of one fact predicate,
/// the article counts, the summaries), each computed, compared with the
/// stored part and its difference written in transactions of at most
/// [`TX_QUADS`] quads, so that memory holds one part at a time, not the
/// whole graph twice (4.9 GB at 200,000 articles when it did). The version statement is removed
/// first and written last: a build stopped half-way leaves a graph that
/// says it is not current, and the next build recomputes it whole. After a
/// one-article change only a handful of quads are written.
#[allow(
    clippy::print_stderr,
    reason = "ZHKG_PROFILE=1 asks for stage times on standard error"
)]
pub fn rebuild(store: &GraphStore) -> Result<usize, Error> {
    // Whichever version wrote the graph, it is not current from here on.
    let version = version_quad();
    let stated = store
        .inner()
        .quads_for_pattern(
            Some(version.subject.as_ref()),
            Some(version.predicate.as_ref()),
            None,
            Some(version.graph_name.as_ref()),
        )
        .collect::<Result<Vec<Quad>, _>>()
        .map_err(StoreError::from)?;
    for q in &stated {
        store.inner().remove(q.as_ref()).map_err(StoreError::from)?;
    }
    let mut total = 0;
    let mut writer = Writer::new(store);
    // ZHKG_PROFILE=1 prints the time of each part on standard error.
    let profile = zhkg_text::extract::profiling();
    for part in Part::all() {
        let started = std::time::Instant::now();
        if let Part::Summaries = part {
            // Read once, written a predicate at a time ([`rewrite`] would
            // hold the sets of all seven predicates at once).
            let reported = Reported::read(store, None)?;
            if profile {
                eprintln!(
                    "profile: facts summaries read {:.1} s",
                    started.elapsed().as_secs_f64()
                );
            }
            for p in part.predicates() {
                let fresh: Facts = reported
                    .quads()
                    .filter(|q| q.predicate.as_str() == p)
                    .map(|q| (q.subject, q.object))
                    .collect();
                total += replace_predicate(&mut writer, p, fresh)?;
            }
        } else {
            total += rewrite(&mut writer, part)?;
        }
        if profile {
            eprintln!(
                "profile: facts {part:?} {:.1} s",
                started.elapsed().as_secs_f64()
            );
        }
    }
    remove_stale_predicates(&mut writer)?;
    if total > 0 {
        store
            .inner()
            .insert(version_quad().as_ref())
            .map_err(StoreError::from)?;
        total += 1;
    }
    Ok(total)
}

/// Quads a rebuild writes in one transaction. RocksDB holds a
/// transaction's writes in memory until it commits, once per index: one
/// transaction per part held some 1.5 GB at 200,000 articles (750,000
/// people, each with an article count), so a part is written in pieces.
/// The facts graph is not current until its version is written last, so
/// a rebuild stopped between two pieces is finished by the next build.
const TX_QUADS: usize = 20_000;

/// Quads a rebuild writes between two flushes of the store. Until
/// flushed, written quads sit in RocksDB's in-memory write buffers, which
/// grow to hundreds of megabytes each before RocksDB flushes them itself.
const FLUSH_EVERY: usize = 200_000;

/// Writes a rebuild's removals and insertions in transactions of at most
/// [`TX_QUADS`] quads, flushing the store every [`FLUSH_EVERY`].
struct Writer<'a> {
    store: &'a GraphStore,
    /// Quads to remove (false) or insert (true), not yet committed.
    pending: Vec<(bool, Quad)>,
    /// Quads committed since the store was last flushed.
    unflushed: usize,
}

impl<'a> Writer<'a> {
    fn new(store: &'a GraphStore) -> Self {
        Writer {
            store,
            pending: Vec::new(),
            unflushed: 0,
        }
    }

    fn remove(&mut self, q: Quad) -> Result<(), Error> {
        self.push(false, q)
    }

    fn insert(&mut self, q: Quad) -> Result<(), Error> {
        self.push(true, q)
    }

    fn push(&mut self, insert: bool, q: Quad) -> Result<(), Error> {
        self.pending.push((insert, q));
        if self.pending.len() >= TX_QUADS {
            self.commit()?;
        }
        Ok(())
    }

    /// Commits what is pending in one transaction.
    fn commit(&mut self) -> Result<(), Error> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut tx = self
            .store
            .inner()
            .start_transaction()
            .map_err(StoreError::from)?;
        if self.pending.iter().any(|(insert, _)| *insert) {
            tx.insert_named_graph(NamedNodeRef::new_unchecked(vocab::FACTS_GRAPH));
        }
        for (insert, q) in self.pending.drain(..) {
            if insert {
                tx.insert(q.as_ref());
            } else {
                tx.remove(q.as_ref());
            }
            self.unflushed += 1;
        }
        tx.commit().map_err(StoreError::from)?;
        if self.unflushed >= FLUSH_EVERY {
            self.store.flush()?;
            self.unflushed = 0;
        }
        Ok(())
    }
}

/// Recomputes one part of the facts graph whole and writes the difference;
/// returns how many triples it holds.
fn rewrite(writer: &mut Writer<'_>, part: Part) -> Result<usize, Error> {
    let predicates = part.predicates();
    let mut fresh: FxHashMap<&str, Facts> =
        predicates.iter().map(|p| (*p, Facts::default())).collect();
    part.each_fresh(writer.store, None, &mut |q| {
        if let Some(f) = fresh.get_mut(q.predicate.as_str()) {
            f.insert((q.subject, q.object));
        }
    })?;
    let mut total = 0;
    for p in predicates {
        total += replace_predicate(writer, p, fresh.remove(p).unwrap_or_default())?;
    }
    Ok(total)
}

/// The triples of one predicate of the facts graph, as (subject, object)
/// pairs: the predicate and graph are the same for all, and a pair takes
/// half the memory of a quad (750,000 article counts at 200,000 articles).
type Facts = FxHashSet<(NamedOrBlankNode, Term)>;

/// Makes the facts graph's triples of predicate `p` exactly `fresh`;
/// returns how many there are. The stored triples are streamed past
/// `fresh` (only `fresh` and the triples to remove are held).
fn replace_predicate(writer: &mut Writer<'_>, p: &str, mut fresh: Facts) -> Result<usize, Error> {
    let graph = NamedNode::new_unchecked(vocab::FACTS_GRAPH);
    let predicate = NamedNode::new_unchecked(p);
    let count = fresh.len();
    let mut gone = Vec::new();
    for q in writer.store.inner().quads_for_pattern(
        None,
        Some(predicate.as_ref()),
        None,
        Some(graph.as_ref().into()),
    ) {
        let q = q.map_err(StoreError::from)?;
        // Stored and still true: nothing to write.
        let pair = (q.subject, q.object);
        if !fresh.remove(&pair) {
            gone.push(pair);
        }
    }
    let quad = |(s, o): (NamedOrBlankNode, Term)| Quad::new(s, predicate.clone(), o, graph.clone());
    for pair in gone {
        writer.remove(quad(pair))?;
    }
    for pair in fresh {
        writer.insert(quad(pair))?;
    }
    writer.commit()?;
    Ok(count)
}

/// Removes from the facts graph the triples of predicates no part of this
/// version writes (those an older version wrote).
fn remove_stale_predicates(writer: &mut Writer<'_>) -> Result<(), Error> {
    let store = writer.store;
    let known: Vec<&str> = Part::all()
        .flat_map(|part| part.predicates())
        .chain([vocab::owl::VERSION_INFO])
        .collect();
    let used = query::parse(&format!(
        "SELECT DISTINCT ?p WHERE {{ GRAPH <{}> {{ ?s ?p ?o }} }}",
        vocab::FACTS_GRAPH
    ))?
    .on_store(store.inner())
    .execute()
    .map_err(QueryError::from)?;
    let QueryResults::Solutions(used) = used else {
        return Ok(());
    };
    let g = GraphNameRef::NamedNode(NamedNodeRef::new_unchecked(vocab::FACTS_GRAPH));
    let mut stale = Vec::new();
    for row in used {
        let row = row.map_err(QueryError::from)?;
        if let Some(Term::NamedNode(p)) = row.get("p")
            && !known.contains(&p.as_str())
        {
            stale.push(p.clone());
        }
    }
    for p in stale {
        for q in store
            .inner()
            .quads_for_pattern(None, Some(p.as_ref()), None, Some(g))
        {
            writer.remove(q.map_err(StoreError::from)?)?;
        }
        writer.commit()?;
    }
    Ok(())
}

/// One part of the facts graph, computed and written on its own.
#[derive(Debug, Clone, Copy)]
enum Part {
    /// The distinct triples of one fact predicate.
    Stated(&'static str),
    /// Each mentioned entity's `zhkg:articleCount`.
    ArticleCounts,
    /// Each county's `zhkg:mentionedWith`: the organisations the articles
    /// that mention it mention.
    Alongside,
    /// Each metric family's counts over the corpus (`zhkg:outcomeCount`,
    /// `zhkg:metricCount`, `zhkg:reportCount`, `zhkg:targetCount`) and
    /// each entity class's `zhkg:articlesMentioning`: global, not about
    /// one entity, so written whole by a rebuild and by the difference of
    /// the written articles by an update.
    Families,
    /// The figure, month and relation summaries.
    Summaries,
}

impl Part {
    /// Every part, in the order a rebuild writes them.
    fn all() -> impl Iterator<Item = Part> {
        FACT_PREDICATES.iter().map(|p| Part::Stated(p)).chain([
            Part::ArticleCounts,
            Part::Alongside,
            Part::Families,
            Part::Summaries,
        ])
    }

    /// The predicates of its triples in the facts graph.
    fn predicates(&self) -> Vec<&'static str> {
        match self {
            Part::Stated(p) => vec![p],
            Part::ArticleCounts => vec![zhkg::ARTICLE_COUNT],
            Part::Alongside => vec![zhkg::MENTIONED_WITH],
            Part::Families => vec![
                zhkg::OUTCOME_COUNT,
                zhkg::METRIC_COUNT,
                zhkg::REPORT_COUNT,
                zhkg::TARGET_COUNT,
                zhkg::ARTICLES_MENTIONING,
            ],
            Part::Summaries => vec![
                vocab::rdf::TYPE,
                zhkg::SUMMARISES,
                zhkg::METRIC,
                zhkg::FIGURE_COUNT,
                zhkg::LOWEST_VALUE,
                zhkg::HIGHEST_VALUE,
                zhkg::MONTH,
                zhkg::RELATION,
                zhkg::RELATED_TO,
                zhkg::SOURCE_COUNT,
                zhkg::FIRST_SOURCE,
            ],
        }
    }

    /// Its quads as the article graphs give them, of one subject or all,
    /// each given to `emit` (a triple several articles state, once per
    /// article: callers keep each once).
    fn each_fresh(
        &self,
        store: &GraphStore,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        emit: &mut dyn FnMut(Quad),
    ) -> Result<(), Error> {
        let graph = GraphName::NamedNode(NamedNode::new_unchecked(vocab::FACTS_GRAPH));
        match self {
            Part::Stated(p) => {
                let p = NamedNodeRef::new_unchecked(p);
                for q in store
                    .inner()
                    .quads_for_pattern(subject, Some(p), None, None)
                {
                    let q = q.map_err(StoreError::from)?;
                    if is_article_graph(&q.graph_name) {
                        emit(Quad::new(q.subject, q.predicate, q.object, graph.clone()));
                    }
                }
            }
            Part::ArticleCounts => {
                let mentioned = NamedNodeRef::new_unchecked(zhkg::MENTIONED_IN);
                let mut articles: FxHashMap<NamedOrBlankNode, u64> = FxHashMap::default();
                for q in store
                    .inner()
                    .quads_for_pattern(subject, Some(mentioned), None, None)
                {
                    let q = q.map_err(StoreError::from)?;
                    // One mentionedIn triple per article graph, naming that article.
                    if is_article_graph(&q.graph_name) {
                        *articles.entry(q.subject).or_default() += 1;
                    }
                }
                let count = NamedNode::new_unchecked(zhkg::ARTICLE_COUNT);
                for (s, n) in articles {
                    emit(Quad::new(s, count.clone(), integer(n), graph.clone()));
                }
            }
            Part::Alongside => alongside(store, subject, emit)?,
            // About no entity: written whole by rebuild and update alike.
            Part::Families if subject.is_some() => {}
            Part::Families => families(store, emit)?,
            Part::Summaries => Reported::read(store, subject)?.quads().for_each(emit),
        }
        Ok(())
    }
}

/// For one county (or every county): the organisations mentioned in the
/// articles that mention it, each `<county> zhkg:mentionedWith <org>`
/// (possibly several times: callers keep each once). The
/// `organisations-per-county` listing reads them instead of joining every
/// mention of a county with every mention in its articles.
fn alongside(
    store: &GraphStore,
    subject: Option<NamedOrBlankNodeRef<'_>>,
    emit: &mut dyn FnMut(Quad),
) -> Result<(), Error> {
    let level = NamedNodeRef::new_unchecked(zhkg::LEVEL);
    let county = LiteralRef::new_simple_literal("county");
    let entities = GraphNameRef::NamedNode(NamedNodeRef::new_unchecked(vocab::ENTITIES_GRAPH));
    let counties: Vec<NamedOrBlankNode> = match subject {
        Some(s) => {
            let is_county = store
                .inner()
                .contains(QuadRef::new(s, level, county, entities))
                .map_err(StoreError::from)?;
            if is_county {
                vec![s.into_owned()]
            } else {
                Vec::new()
            }
        }
        None => store
            .inner()
            .quads_for_pattern(None, Some(level), Some(county.into()), Some(entities))
            .map(|q| q.map(|q| q.subject))
            .collect::<Result<_, _>>()
            .map_err(StoreError::from)?,
    };
    let mentioned = NamedNodeRef::new_unchecked(zhkg::MENTIONED_IN);
    let organisation = NamedNodeRef::new_unchecked(schema::ORGANIZATION);
    let a = NamedNodeRef::new_unchecked(vocab::rdf::TYPE);
    let with = NamedNode::new_unchecked(zhkg::MENTIONED_WITH);
    let graph = GraphName::NamedNode(NamedNode::new_unchecked(vocab::FACTS_GRAPH));
    if counties.is_empty() {
        return Ok(());
    }
    // The organisations, a few thousand, read once: the people and places
    // the articles also mention are hundreds of thousands.
    let organisations: FxHashSet<NamedOrBlankNode> = store
        .inner()
        .quads_for_pattern(None, Some(a), Some(organisation.into()), Some(entities))
        .map(|q| q.map(|q| q.subject))
        .collect::<Result<_, _>>()
        .map_err(StoreError::from)?;
    for c in counties {
        let mut mentioned_with: FxHashSet<NamedOrBlankNode> = FxHashSet::default();
        for q in store
            .inner()
            .quads_for_pattern(Some(c.as_ref()), Some(mentioned), None, None)
        {
            let q = q.map_err(StoreError::from)?;
            let (Term::NamedNode(article), true) = (&q.object, is_article_graph(&q.graph_name))
            else {
                continue;
            };
            for m in store.inner().quads_for_pattern(
                None,
                Some(mentioned),
                Some(article.as_ref().into()),
                Some(q.graph_name.as_ref()),
            ) {
                let e = m.map_err(StoreError::from)?.subject;
                if organisations.contains(&e) {
                    mentioned_with.insert(e);
                }
            }
        }
        for o in mentioned_with {
            emit(Quad::new(c.clone(), with.clone(), o, graph.clone()));
        }
    }
    Ok(())
}

/// What the corpus reports under one metric family (FORMAT.md's
/// thirteen), read by the `outcomes-by-family` listing: how many outcomes
/// (`zhkg:outcomeCount`), of how many metrics (`zhkg:metricCount`), in how
/// many articles (`zhkg:reportCount`), how many of them targets
/// (`zhkg:targetCount`), each on the family's concept. The article graphs
/// are read one at a time, so nothing grows with the corpus but the counts.
fn families(store: &GraphStore, emit: &mut dyn FnMut(Quad)) -> Result<(), Error> {
    let metric = NamedNodeRef::new_unchecked(zhkg::METRIC);
    let target = NamedNodeRef::new_unchecked(zhkg::IS_TARGET);
    let yes = Literal::from(true);
    let mut families = Families::default();
    for g in store.inner().named_graphs() {
        let NamedOrBlankNode::NamedNode(g) = g.map_err(StoreError::from)? else {
            continue;
        };
        let g = GraphName::NamedNode(g);
        if !is_article_graph(&g) {
            continue;
        }
        let metrics = store
            .inner()
            .quads_for_pattern(None, Some(metric), None, Some(g.as_ref()))
            .map(|q| q.map(|q| (q.subject, q.object)))
            .collect::<Result<Vec<_>, _>>()
            .map_err(StoreError::from)?;
        let targets = store
            .inner()
            .quads_for_pattern(
                None,
                Some(target),
                Some(yes.as_ref().into()),
                Some(g.as_ref()),
            )
            .map(|q| q.map(|q| q.subject))
            .collect::<Result<Vec<_>, _>>()
            .map_err(StoreError::from)?;
        let classes = stored_classes(store, g.as_ref())?;
        families.add_article(store, metrics, targets, classes)?;
    }
    families.quads().for_each(emit);
    Ok(())
}

/// The classes (`rdf:type` in the entities graph) of the entities that
/// article graph `g` as stored mentions.
fn stored_classes(store: &GraphStore, g: GraphNameRef<'_>) -> Result<FxHashSet<NamedNode>, Error> {
    let mentioned = NamedNodeRef::new_unchecked(zhkg::MENTIONED_IN);
    let a = NamedNodeRef::new_unchecked(vocab::rdf::TYPE);
    let entities = GraphNameRef::NamedNode(NamedNodeRef::new_unchecked(vocab::ENTITIES_GRAPH));
    let mut classes = FxHashSet::default();
    for q in store
        .inner()
        .quads_for_pattern(None, Some(mentioned), None, Some(g))
    {
        let e = q.map_err(StoreError::from)?.subject;
        for t in store
            .inner()
            .quads_for_pattern(Some(e.as_ref()), Some(a), None, Some(entities))
        {
            if let Term::NamedNode(c) = t.map_err(StoreError::from)?.object {
                classes.insert(c);
            }
        }
    }
    Ok(classes)
}

/// The classes (`rdf:type` in its entity descriptions) of the entities
/// an article graph mentions.
fn article_classes(graph: &ArticleGraph) -> FxHashSet<NamedNode> {
    let mentioned: FxHashSet<NamedOrBlankNodeRef<'_>> = graph
        .quads()
        .filter(|q| q.predicate.as_str() == zhkg::MENTIONED_IN)
        .map(|q| q.subject)
        .collect();
    graph
        .entities()
        .filter(|q| q.predicate.as_str() == vocab::rdf::TYPE && mentioned.contains(&q.subject))
        .filter_map(|q| match q.object {
            TermRef::NamedNode(c) => Some(c.into_owned()),
            _ => None,
        })
        .collect()
}

/// The metric family counts over the articles added so far, and how many
/// of them mention an entity of each class (the `entities-by-type`
/// listing reads these instead of every mention of every entity).
#[derive(Default)]
struct Families {
    /// Each metric's family (its `skos:broader`), read once.
    family_of: FxHashMap<NamedNode, Option<NamedNode>>,
    by_family: FxHashMap<NamedNode, FamilyCounts>,
    /// Articles that mention an entity of the class.
    by_class: FxHashMap<NamedNode, u64>,
}

/// What one metric family counts.
#[derive(Default)]
struct FamilyCounts {
    outcomes: u64,
    metrics: FxHashSet<NamedNode>,
    articles: u64,
    targets: u64,
}

impl Families {
    /// The family of metric `m`, from the ontology in the store.
    fn family(&mut self, store: &GraphStore, m: &NamedNode) -> Result<Option<NamedNode>, Error> {
        if let Some(f) = self.family_of.get(m) {
            return Ok(f.clone());
        }
        let broader = NamedNodeRef::new_unchecked(skos::BROADER);
        let mut f = None;
        for q in store
            .inner()
            .quads_for_pattern(Some(m.as_ref().into()), Some(broader), None, None)
        {
            if let Term::NamedNode(n) = q.map_err(StoreError::from)?.object {
                f = Some(n);
                break;
            }
        }
        self.family_of.insert(m.clone(), f.clone());
        Ok(f)
    }

    /// Adds one article: its outcomes' `zhkg:metric` (outcome, metric)
    /// pairs, the outcomes it marks as targets, and the classes of the
    /// entities it mentions.
    fn add_article(
        &mut self,
        store: &GraphStore,
        metrics: Vec<(NamedOrBlankNode, Term)>,
        targets: Vec<NamedOrBlankNode>,
        classes: FxHashSet<NamedNode>,
    ) -> Result<(), Error> {
        for c in classes {
            *self.by_class.entry(c).or_default() += 1;
        }
        let mut here: FxHashSet<NamedNode> = FxHashSet::default();
        let mut metric_of: FxHashMap<NamedOrBlankNode, NamedNode> = FxHashMap::default();
        for (outcome, m) in metrics {
            let Term::NamedNode(m) = m else {
                continue;
            };
            let Some(f) = self.family(store, &m)? else {
                continue;
            };
            let counts = self.by_family.entry(f.clone()).or_default();
            counts.outcomes += 1;
            counts.metrics.insert(m.clone());
            here.insert(f);
            metric_of.insert(outcome, m);
        }
        for outcome in targets {
            if let Some(m) = metric_of.get(&outcome)
                && let Some(f) = self.family(store, &m.clone())?
            {
                self.by_family.entry(f).or_default().targets += 1;
            }
        }
        for f in here {
            self.by_family.entry(f).or_default().articles += 1;
        }
        Ok(())
    }

    /// The counts' quads in the facts graph.
    fn quads(self) -> impl Iterator<Item = Quad> {
        let graph = GraphName::NamedNode(NamedNode::new_unchecked(vocab::FACTS_GRAPH));
        let by_class: Vec<Quad> = self
            .by_class
            .into_iter()
            .map(|(c, n)| {
                Quad::new(
                    c,
                    NamedNode::new_unchecked(zhkg::ARTICLES_MENTIONING),
                    integer(n),
                    graph.clone(),
                )
            })
            .collect();
        let by_family = self.by_family.into_iter().flat_map(move |(f, c)| {
            let graph = graph.clone();
            [
                (zhkg::OUTCOME_COUNT, c.outcomes),
                (zhkg::METRIC_COUNT, c.metrics.len() as u64),
                (zhkg::REPORT_COUNT, c.articles),
                (zhkg::TARGET_COUNT, c.targets),
            ]
            .into_iter()
            .map(move |(p, n)| {
                Quad::new(
                    f.clone(),
                    NamedNode::new_unchecked(p),
                    integer(n),
                    graph.clone(),
                )
            })
        });
        by_family.chain(by_class)
    }
}

/// The facts graph of a build into a store that holds no article yet,
/// gathered from each article's quads as the build loads them instead of
/// read back from the store afterwards (at 20,000 articles the reading
/// took as long as a third of the loading). The entity facts each article
/// states go to the store with the article ([`Gathered::stated`]); the
/// counts and summaries are added up here and written by
/// [`Gathered::write`]. The result is the graph [`rebuild`] computes from
/// the same articles (a test compares the two): every part is a sum over
/// article graphs, and what an entity is (a county, an organisation) is
/// in the entity descriptions each article carries, identical in all.
///
/// It holds an entity once, as a number in the summaries' table of terms
/// ([`Reported`]): at 200,000 articles the counts alone are about 750,000
/// people's.
#[derive(Default)]
pub struct Gathered {
    /// How many articles mention each entity, by its number (0 for the
    /// numbers of other terms).
    counts: Vec<u32>,
    /// (county, organisation) mentioned in one article, by their numbers.
    alongside: FxHashSet<(u32, u32)>,
    families: Families,
    reported: Reported,
}

impl Gathered {
    /// True when a build into `store` can gather its facts graph: no
    /// article is stored and the facts graph is empty.
    pub fn possible(store: &GraphStore) -> Result<bool, Error> {
        let facts = GraphNameRef::NamedNode(NamedNodeRef::new_unchecked(vocab::FACTS_GRAPH));
        if store
            .inner()
            .quads_for_pattern(None, None, None, Some(facts))
            .next()
            .is_some()
        {
            return Ok(false);
        }
        for g in store.inner().named_graphs() {
            if is_article_graph(&g.map_err(StoreError::from)?.into()) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The facts-graph copies of the entity facts an article states, to be
    /// loaded with it (a fact many articles state is one quad in the store).
    pub fn stated(graph: &ArticleGraph) -> impl Iterator<Item = Quad> + '_ {
        let facts = GraphName::NamedNode(NamedNode::new_unchecked(vocab::FACTS_GRAPH));
        graph
            .quads()
            .filter(|q| FACT_PREDICATES.contains(&q.predicate.as_str()))
            .map(move |q| {
                Quad::new(
                    q.subject.into_owned(),
                    q.predicate.into_owned(),
                    q.object.into_owned(),
                    facts.clone(),
                )
            })
    }

    /// Adds one article's counts and figures.
    pub fn add<'g>(&mut self, store: &GraphStore, graph: &'g ArticleGraph) -> Result<(), Error> {
        let a = vocab::rdf::TYPE;
        let mut counties = Vec::new();
        let mut organisations = Vec::new();
        for q in graph.entities() {
            match (q.predicate.as_str(), q.object) {
                (zhkg::LEVEL, TermRef::Literal(l))
                    if l == LiteralRef::new_simple_literal("county") =>
                {
                    counties.push(q.subject);
                }
                (p, TermRef::NamedNode(c)) if p == a && c.as_str() == schema::ORGANIZATION => {
                    organisations.push(q.subject);
                }
                _ => {}
            }
        }
        let mut mentioned = FxHashSet::default();
        let mut metrics = Vec::new();
        let mut targets = Vec::new();
        let mut subjects = Vec::new();
        let mut relations = Vec::new();
        let mut outcomes: FxHashMap<NamedOrBlankNodeRef<'_>, OutcomeTriples> = FxHashMap::default();
        let terms = &mut self.reported.terms;
        for q in graph.quads() {
            match q.predicate.as_str() {
                zhkg::MENTIONED_IN => {
                    // The model writes no blank nodes.
                    if let NamedOrBlankNodeRef::NamedNode(entity) = q.subject {
                        let id = terms.node(entity) as usize;
                        if id >= self.counts.len() {
                            self.counts.resize(id + 1, 0);
                        }
                        self.counts[id] += 1;
                    }
                    mentioned.insert(q.subject);
                }
                zhkg::IS_TARGET if q.object == yes() => {
                    targets.push(q.subject.into_owned());
                }
                p if SUMMARISED_RELATIONS.contains(&p) => {
                    if let (
                        NamedOrBlankNodeRef::NamedNode(s),
                        TermRef::NamedNode(o),
                        GraphNameRef::NamedNode(article),
                    ) = (q.subject, q.object, q.graph_name)
                    {
                        relations.push((s, q.predicate, o, article));
                    }
                }
                zhkg::SUBJECT => {
                    if let TermRef::NamedNode(entity) = q.object {
                        subjects.push((q.subject, entity));
                    }
                }
                p @ (zhkg::METRIC | zhkg::VALUE | zhkg::AS_OF) => {
                    if p == zhkg::METRIC {
                        metrics.push((q.subject.into_owned(), q.object.into_owned()));
                    }
                    outcomes
                        .entry(q.subject)
                        .or_default()
                        .add(p, q.object.into_owned());
                }
                _ => {}
            }
        }
        let mentioned_iris = |nodes: Vec<NamedOrBlankNodeRef<'g>>| {
            nodes
                .into_iter()
                .filter(|n| mentioned.contains(n))
                .filter_map(|n| match n {
                    NamedOrBlankNodeRef::NamedNode(n) => Some(n),
                    NamedOrBlankNodeRef::BlankNode(_) => None,
                })
                .collect::<Vec<_>>()
        };
        let organisations = mentioned_iris(organisations);
        for c in mentioned_iris(counties) {
            let c = self.reported.terms.node(c);
            for &o in &organisations {
                let o = self.reported.terms.node(o);
                self.alongside.insert((c, o));
            }
        }
        self.families
            .add_article(store, metrics, targets, article_classes(graph))?;
        for (s, p, o, article) in relations {
            self.reported.add_relation(s, p, o, article);
        }
        for (outcome, entity) in subjects {
            let read = outcomes.get(&outcome);
            let triples = OutcomeTriples {
                metric: read.and_then(|r| r.metric.clone()),
                value: read.and_then(|r| r.value.clone()),
                as_of: read.and_then(|r| r.as_of.clone()),
            };
            self.reported.add_one(entity, triples.outcome());
        }
        Ok(())
    }

    /// Writes the counts and summaries (the facts graph is empty but for
    /// the stated facts loaded with the articles), then the version
    /// statement; returns how many quads it wrote.
    pub fn write(self, store: &GraphStore) -> Result<usize, Error> {
        let graph = GraphName::NamedNode(NamedNode::new_unchecked(vocab::FACTS_GRAPH));
        let count = NamedNode::new_unchecked(zhkg::ARTICLE_COUNT);
        let with = NamedNode::new_unchecked(zhkg::MENTIONED_WITH);
        let Gathered {
            counts,
            alongside,
            families,
            reported,
        } = self;
        let mut written = 0;
        let terms = &reported.terms;
        let iri = |id| terms.iri(id).into_owned();
        let quads = (0..)
            .zip(&counts)
            .filter(|&(_, &n)| n > 0)
            .map(|(id, &n)| Quad::new(iri(id), count.clone(), integer(n.into()), graph.clone()))
            .chain(
                alongside
                    .iter()
                    .map(|&(c, o)| Quad::new(iri(c), with.clone(), iri(o), graph.clone())),
            )
            .chain(families.quads())
            .chain(reported.quads())
            .inspect(|_| written += 1)
            // The version statement in the same load: no write of the build's
            // end goes through RocksDB's memtables (see resolve::replace).
            .chain(std::iter::once(version_quad()));
        // Batches as small as the build's own (a million quads a thread by
        // default: 2.7 GB peak at 200,000 articles).
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let mut loader = store
            .inner()
            .bulk_loader()
            .with_num_threads(threads)
            .with_max_memory_size_in_megabytes(128 * threads);
        loader.load_quads(quads).map_err(StoreError::from)?;
        loader.commit().map_err(StoreError::from)?;
        Ok(written + 1)
    }
}

/// Above this many entities touched by a build, [`update`] gives way to a
/// whole [`rebuild`] (one scan per predicate beats one per entity).
pub const UPDATE_MAX: usize = 10_000;

/// Recomputes the facts of the entities in `touched` only (those the
/// articles a build wrote refer to, before or after): every fact's subject
/// (or, for a summary, the entity it summarises) is an entity of
/// each article that states it, so the facts of the other entities cannot
/// have changed. Writes the difference in one transaction.
#[allow(
    clippy::print_stderr,
    reason = "ZHKG_PROFILE=1 asks for stage times on standard error"
)]
pub fn update(
    store: &GraphStore,
    touched: &BTreeSet<NamedNode>,
    families: FamilyChange,
) -> Result<(), Error> {
    // ZHKG_PROFILE=1 prints the time of each step on standard error.
    let profile = zhkg_text::extract::profiling();
    let started = std::time::Instant::now();
    // Each entity's facts, part by part, on the thread pool: an entity
    // thousands of articles mention (a hub such as 阿里巴巴集团) takes
    // most of an update's time in one or two of its parts, and the other
    // entities' parts run beside them. An entity's pieces are its parts as
    // the article graphs give them (`Some`), then its facts as stored
    // (`None`), in that order, so that they come back as one chunk each.
    let pieces: Vec<(&NamedNode, Option<Part>)> = touched
        .iter()
        .flat_map(|e| Part::all().map(Some).chain([None]).map(move |p| (e, p)))
        .collect();
    let mut read = pieces
        .par_iter()
        .map(|&(e, part)| {
            let t = std::time::Instant::now();
            let subject = e.as_ref().into();
            let facts = match part {
                Some(part) => {
                    let mut facts = FxHashSet::default();
                    part.each_fresh(store, Some(subject), &mut |q| {
                        facts.insert(q);
                    })?;
                    facts
                }
                None => stored(store, subject)?,
            };
            if profile && t.elapsed().as_millis() >= 100 {
                let what = part.map_or("stored".to_owned(), |p| format!("{p:?}"));
                eprintln!(
                    "profile: facts of {e}, {what}: {:.2} s",
                    t.elapsed().as_secs_f64()
                );
            }
            Ok(facts)
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let mut tx = store
        .inner()
        .start_transaction()
        .map_err(StoreError::from)?;
    tx.insert_named_graph(NamedNodeRef::new_unchecked(vocab::FACTS_GRAPH));
    let per_entity = Part::all().count() + 1;
    for sets in read.chunks_mut(per_entity) {
        let (was, parts) = sets.split_last_mut().expect("an entity's pieces");
        let fresh: FxHashSet<Quad> = parts.iter_mut().flat_map(std::mem::take).collect();
        write_difference(&mut tx, was, &fresh);
    }
    tx.commit().map_err(StoreError::from)?;
    if profile {
        eprintln!(
            "profile: facts of {} entities updated {:.1} s",
            touched.len(),
            started.elapsed().as_secs_f64()
        );
    }
    // The family counts are about the whole corpus: the written articles'
    // difference is added to them (recounting them read every article
    // graph: 40 s at 200,000 articles).
    let started = std::time::Instant::now();
    if !families.apply(store)? {
        let mut writer = Writer::new(store);
        rewrite(&mut writer, Part::Families)?;
    }
    if profile {
        eprintln!(
            "profile: facts family counts updated {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// `"true"^^xsd:boolean`, as the model writes its flags.
fn yes() -> TermRef<'static> {
    LiteralRef::new_typed_literal("true", oxigraph::model::vocab::xsd::BOOLEAN).into()
}

/// The (outcome, metric) pairs and the target outcomes of one article
/// graph: what it adds to the metric family counts.
fn family_terms<'a>(
    quads: impl Iterator<Item = QuadRef<'a>>,
) -> (Vec<(NamedOrBlankNode, Term)>, Vec<NamedOrBlankNode>) {
    let yes = yes();
    let mut metrics = Vec::new();
    let mut targets = Vec::new();
    for q in quads {
        match q.predicate.as_str() {
            zhkg::METRIC => metrics.push((q.subject.into_owned(), q.object.into_owned())),
            zhkg::IS_TARGET if q.object == yes => targets.push(q.subject.into_owned()),
            _ => {}
        }
    }
    (metrics, targets)
}

/// How the articles a build writes into a store that already holds the
/// facts graph change the metric family and class counts: each article's old
/// version (read before it is replaced) and new version are counted
/// apart, and [`FamilyChange::apply`] adds the difference to the stored
/// counts. A metric counts for its family while any article reports it,
/// so a metric the written articles drop or add is looked up in the
/// other articles.
#[derive(Default)]
pub struct FamilyChange {
    old: Families,
    new: Families,
    /// The written articles' graphs.
    written: FxHashSet<NamedNode>,
}

impl FamilyChange {
    /// Counts the old version of article graph `graph` as stored (nothing
    /// when it is new); call it before the new version is written.
    pub fn before(&mut self, store: &GraphStore, graph: &NamedNode) -> Result<(), Error> {
        // Index scans of the graph, not the whole graph (and of its
        // mentions, for the classes they are of).
        let g = GraphNameRef::NamedNode(graph.as_ref());
        let mut stored = Vec::new();
        for p in [zhkg::METRIC, zhkg::IS_TARGET] {
            for q in store.inner().quads_for_pattern(
                None,
                Some(NamedNodeRef::new_unchecked(p)),
                None,
                Some(g),
            ) {
                stored.push(q.map_err(StoreError::from)?);
            }
        }
        let (metrics, targets) = family_terms(stored.iter().map(Quad::as_ref));
        let classes = stored_classes(store, g)?;
        self.old.add_article(store, metrics, targets, classes)?;
        self.written.insert(graph.clone());
        Ok(())
    }

    /// Counts the new version of an article graph.
    pub fn after(&mut self, store: &GraphStore, graph: &ArticleGraph) -> Result<(), Error> {
        let (metrics, targets) = family_terms(graph.quads());
        self.new
            .add_article(store, metrics, targets, article_classes(graph))?;
        self.written.insert(graph.graph.clone());
        Ok(())
    }

    /// True when an article graph other than the written ones reports
    /// metric `m`.
    fn reported_elsewhere(&self, store: &GraphStore, m: &NamedNode) -> Result<bool, Error> {
        let metric = NamedNodeRef::new_unchecked(zhkg::METRIC);
        for q in store
            .inner()
            .quads_for_pattern(None, Some(metric), Some(m.as_ref().into()), None)
        {
            let q = q.map_err(StoreError::from)?;
            if let GraphName::NamedNode(g) = &q.graph_name
                && is_article_graph(&q.graph_name)
                && !self.written.contains(g)
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Adds the difference to the stored family and class counts (once
    /// the new versions are written). False, writing nothing, when a family
    /// or class the old versions count has no stored counts (the graph was
    /// not what it should be): the caller then recounts.
    pub fn apply(self, store: &GraphStore) -> Result<bool, Error> {
        let facts = GraphName::NamedNode(NamedNode::new_unchecked(vocab::FACTS_GRAPH));
        let predicates = [
            zhkg::OUTCOME_COUNT,
            zhkg::METRIC_COUNT,
            zhkg::REPORT_COUNT,
            zhkg::TARGET_COUNT,
        ];
        let families = keys_of_both(&self.old.by_family, &self.new.by_family);
        let none = FamilyCounts::default();
        let diff = |n: u64, o: u64| {
            i64::try_from(n).unwrap_or(i64::MAX) - i64::try_from(o).unwrap_or(i64::MAX)
        };
        let mut tx = store
            .inner()
            .start_transaction()
            .map_err(StoreError::from)?;
        for f in families {
            let mut stored = [0_i64; 4];
            let mut found = Vec::new();
            for (i, p) in predicates.iter().enumerate() {
                let p = NamedNodeRef::new_unchecked(p);
                stored[i] = stored_count(store, f.as_ref(), p, &mut found)?;
            }
            let old = self.old.by_family.get(f).unwrap_or(&none);
            let new = self.new.by_family.get(f).unwrap_or(&none);
            if found.is_empty() && old.outcomes > 0 {
                return Ok(false);
            }
            let mut metrics = 0_i64;
            for m in old.metrics.union(&new.metrics) {
                let elsewhere = self.reported_elsewhere(store, m)?;
                let was = elsewhere || old.metrics.contains(m);
                let is = elsewhere || new.metrics.contains(m);
                metrics += i64::from(is) - i64::from(was);
            }
            let counts = [
                stored[0] + diff(new.outcomes, old.outcomes),
                stored[1] + metrics,
                stored[2] + diff(new.articles, old.articles),
                stored[3] + diff(new.targets, old.targets),
            ];
            for q in &found {
                tx.remove(q.as_ref());
            }
            // A family no article reports any more has no counts, as in
            // a fresh build.
            if counts[0] > 0 {
                for (p, n) in predicates.iter().zip(counts) {
                    let n = u64::try_from(n).unwrap_or(0);
                    let q = Quad::new(
                        f.clone(),
                        NamedNode::new_unchecked(*p),
                        integer(n),
                        facts.clone(),
                    );
                    tx.insert(q.as_ref());
                }
            }
        }
        let classes = keys_of_both(&self.old.by_class, &self.new.by_class);
        let mentioning = NamedNodeRef::new_unchecked(zhkg::ARTICLES_MENTIONING);
        for c in classes {
            let mut found = Vec::new();
            let stored = stored_count(store, c.as_ref(), mentioning, &mut found)?;
            let old = self.old.by_class.get(c).copied().unwrap_or(0);
            let new = self.new.by_class.get(c).copied().unwrap_or(0);
            if found.is_empty() && old > 0 {
                return Ok(false);
            }
            for q in &found {
                tx.remove(q.as_ref());
            }
            // A class no article mentions any more has no count, as in a
            // fresh build.
            let n = u64::try_from(stored + diff(new, old)).unwrap_or(0);
            if n > 0 {
                let q = Quad::new(
                    c.clone(),
                    mentioning.into_owned(),
                    integer(n),
                    facts.clone(),
                );
                tx.insert(q.as_ref());
            }
        }
        tx.commit().map_err(StoreError::from)?;
        Ok(true)
    }
}

/// The keys of either map, each once, in order.
fn keys_of_both<'a, K: Ord, V, W>(
    a: &'a FxHashMap<K, V>,
    b: &'a FxHashMap<K, W>,
) -> BTreeSet<&'a K> {
    a.keys().chain(b.keys()).collect()
}

/// The count `subject predicate n` as the facts graph states it (0 when it
/// does not), each quad that states it added to `found`.
fn stored_count(
    store: &GraphStore,
    subject: NamedNodeRef<'_>,
    predicate: NamedNodeRef<'_>,
    found: &mut Vec<Quad>,
) -> Result<i64, Error> {
    let facts = GraphNameRef::NamedNode(NamedNodeRef::new_unchecked(vocab::FACTS_GRAPH));
    let mut n = 0;
    for q in
        store
            .inner()
            .quads_for_pattern(Some(subject.into()), Some(predicate), None, Some(facts))
    {
        let q = q.map_err(StoreError::from)?;
        if let Term::Literal(l) = &q.object {
            n = l.value().parse().unwrap_or(0);
        }
        found.push(q);
    }
    Ok(n)
}

/// Removes the stored facts that are no longer true and inserts the new.
fn write_difference(
    tx: &mut oxigraph::store::Transaction<'_>,
    stored: &FxHashSet<Quad>,
    fresh: &FxHashSet<Quad>,
) {
    for q in stored.difference(fresh) {
        tx.remove(q.as_ref());
    }
    for q in fresh.difference(stored) {
        tx.insert(q.as_ref());
    }
}

/// True for the name of an article's graph (not the entities, ontology,
/// resolved or facts graph).
pub(crate) fn is_article_graph(g: &GraphName) -> bool {
    match g {
        GraphName::NamedNode(n) => n.as_str().starts_with(vocab::ID),
        _ => false,
    }
}

/// The facts graph as stored about one entity: its facts and those of its
/// summaries.
fn stored(store: &GraphStore, entity: NamedOrBlankNodeRef<'_>) -> Result<FxHashSet<Quad>, Error> {
    let g = GraphNameRef::NamedNode(NamedNodeRef::new_unchecked(vocab::FACTS_GRAPH));
    let of = |s: NamedOrBlankNodeRef<'_>| {
        store
            .inner()
            .quads_for_pattern(Some(s), None, None, Some(g))
            .collect::<Result<FxHashSet<Quad>, _>>()
            .map_err(StoreError::from)
    };
    let mut facts = of(entity)?;
    let summarises = NamedNodeRef::new_unchecked(zhkg::SUMMARISES);
    for q in store
        .inner()
        .quads_for_pattern(None, Some(summarises), Some(entity.into()), Some(g))
    {
        let q = q.map_err(StoreError::from)?;
        facts.extend(of(q.subject.as_ref())?);
    }
    Ok(facts)
}

/// The figures reported about one entity under one metric: how many, and
/// the lowest and the highest value (each the literal as stored, by its
/// number in [`Reported::terms`]).
#[derive(Debug)]
struct Figures {
    count: u64,
    lowest: (f64, u32),
    highest: (f64, u32),
}

impl Figures {
    /// Adds a figure: `value`, written as literal `literal` of `terms`. Of
    /// equal values written differently (`80`, `80.0`) the lexically
    /// smaller literal is kept, so the summary does not depend on the
    /// order the figures come in.
    fn add(&mut self, value: f64, literal: u32, terms: &Interner) {
        self.count += 1;
        let text = |id| match terms.term(id) {
            TermRef::Literal(l) => l.value(),
            _ => "",
        };
        let (lo, lo_literal) = self.lowest;
        if value < lo || (value == lo && text(literal) < text(lo_literal)) {
            self.lowest = (value, literal);
        }
        let (hi, hi_literal) = self.highest;
        if value > hi || (value == hi && text(literal) < text(hi_literal)) {
            self.highest = (value, literal);
        }
    }

    /// The summary node `<entity>#figures-<metric>` and its triples.
    fn quads(
        &self,
        entity: NamedNodeRef<'_>,
        metric: NamedNodeRef<'_>,
        terms: &Interner,
        graph: &GraphName,
    ) -> Vec<Quad> {
        let notation = metric
            .as_str()
            .strip_prefix(vocab::METRIC)
            .unwrap_or("other");
        let node = NamedNode::new_unchecked(format!(
            "{}#figures-{}",
            entity.as_str(),
            crate::rdf::iri::encode_segment(notation)
        ));
        let p = NamedNode::new_unchecked;
        [
            (p(vocab::rdf::TYPE), p(zhkg::FIGURE_SUMMARY).into()),
            (p(zhkg::SUMMARISES), entity.into_owned().into()),
            (p(zhkg::METRIC), metric.into_owned().into()),
            (p(zhkg::FIGURE_COUNT), integer(self.count).into()),
            (
                p(zhkg::LOWEST_VALUE),
                terms.term(self.lowest.1).into_owned(),
            ),
            (
                p(zhkg::HIGHEST_VALUE),
                terms.term(self.highest.1).into_owned(),
            ),
        ]
        .into_iter()
        .map(|(pred, object): (NamedNode, Term)| {
            Quad::new(node.clone(), pred, object, graph.clone())
        })
        .collect()
    }
}

/// A count as the facts graph states it: an `xsd:integer`.
fn integer(n: u64) -> Literal {
    Literal::new_typed_literal(n.to_string(), NamedNode::new_unchecked(xsd::INTEGER))
}

/// The summary node `<entity>#month-<YYYY-MM>` of the figures about
/// `entity` dated in `month`, and its triples.
fn month_quads(entity: NamedNodeRef<'_>, month: Month, count: u64, graph: &GraphName) -> Vec<Quad> {
    let node = NamedNode::new_unchecked(format!("{}#month-{month}", entity.as_str()));
    let p = NamedNode::new_unchecked;
    [
        (p(vocab::rdf::TYPE), p(zhkg::MONTH_SUMMARY).into()),
        (p(zhkg::SUMMARISES), entity.into_owned().into()),
        (
            p(zhkg::MONTH),
            Literal::new_typed_literal(month.to_string(), p(xsd::G_YEAR_MONTH)).into(),
        ),
        (p(zhkg::FIGURE_COUNT), integer(count).into()),
    ]
    .into_iter()
    .map(|(pred, object): (NamedNode, Term)| Quad::new(node.clone(), pred, object, graph.clone()))
    .collect()
}

/// A calendar month as an outcome's date gives it; written `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Month {
    year: u16,
    month: u8,
}

impl Month {
    /// The month of a `zhkg:asOf` date: an `xsd:date` or `xsd:gYearMonth`
    /// (a year alone has none).
    fn of(date: &Literal) -> Option<Self> {
        let dated = [xsd::DATE, xsd::G_YEAR_MONTH].contains(&date.datatype().as_str());
        let v = date.value();
        let (y, m) = (v.get(..4)?, v.get(5..7)?);
        if !(dated
            && v.as_bytes().get(4) == Some(&b'-')
            && y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit())
            && ("01"..="12").contains(&m))
        {
            return None;
        }
        Some(Self {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
        })
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// What the article graphs report about entities (one or all): the figures
/// by entity and metric, the dated ones by entity and month, and the
/// articles that state each programme's operators and funders. The
/// entities, metrics and values are numbers in one table of terms, each
/// text held once: at 200,000 articles the summaries are about 750,000
/// people, whose IRIs a key of their own each would hold several times
/// over, in as many small allocations.
#[derive(Default)]
struct Reported {
    terms: Interner,
    /// By (entity, metric).
    by_metric: FxHashMap<(u32, u32), Figures>,
    /// By (entity, month).
    by_month: FxHashMap<(u32, Month), u64>,
    /// By (subject, predicate, object) of a [`SUMMARISED_RELATIONS`]
    /// statement.
    by_relation: FxHashMap<(u32, u32, u32), Sources>,
}

impl Reported {
    /// The summaries' quads in the facts graph.
    fn quads(&self) -> impl Iterator<Item = Quad> + '_ {
        let graph = GraphName::NamedNode(NamedNode::new_unchecked(vocab::FACTS_GRAPH));
        let terms = &self.terms;
        let by_metric = self
            .by_metric
            .iter()
            .flat_map(move |(&(entity, metric), figures)| {
                figures.quads(terms.iri(entity), terms.iri(metric), terms, &graph)
            });
        let graph = GraphName::NamedNode(NamedNode::new_unchecked(vocab::FACTS_GRAPH));
        let by_month = self
            .by_month
            .iter()
            .flat_map(move |(&(entity, month), count)| {
                month_quads(terms.iri(entity), month, *count, &graph)
            });
        let graph = GraphName::NamedNode(NamedNode::new_unchecked(vocab::FACTS_GRAPH));
        let by_relation = self
            .by_relation
            .iter()
            .flat_map(move |(&(s, p, o), sources)| {
                sources.quads([terms.iri(s), terms.iri(p), terms.iri(o)], terms, &graph)
            });
        by_metric.chain(by_month).chain(by_relation)
    }

    /// Reads every outcome whose `zhkg:subject` is the entity (or any),
    /// with its metric, value and date, in one scan of its own article
    /// graph. The outcomes are read a chunk at a time, the chunk's in
    /// parallel, and added in the order the store lists them, so that the
    /// result does not depend on the number of threads. Then reads the
    /// entity's (or every) [`SUMMARISED_RELATIONS`] statement in the
    /// article graphs, one index scan per relation.
    fn read(store: &GraphStore, subject: Option<NamedOrBlankNodeRef<'_>>) -> Result<Self, Error> {
        let about = NamedNodeRef::new_unchecked(zhkg::SUBJECT);
        let mut out = Self::default();
        let mut chunk = Vec::with_capacity(OUTCOME_CHUNK);
        for q in store
            .inner()
            .quads_for_pattern(None, Some(about), subject.map(Into::into), None)
        {
            let q = q.map_err(StoreError::from)?;
            let (Term::NamedNode(entity), true) = (q.object, is_article_graph(&q.graph_name))
            else {
                continue;
            };
            chunk.push((q.subject, q.graph_name, entity));
            if chunk.len() == OUTCOME_CHUNK {
                out.add(store, &mut chunk)?;
            }
        }
        out.add(store, &mut chunk)?;
        for p in SUMMARISED_RELATIONS {
            let p = NamedNodeRef::new_unchecked(p);
            for q in store
                .inner()
                .quads_for_pattern(subject, Some(p), None, None)
            {
                let q = q.map_err(StoreError::from)?;
                if let (
                    NamedOrBlankNode::NamedNode(s),
                    Term::NamedNode(o),
                    GraphName::NamedNode(article),
                ) = (&q.subject, &q.object, &q.graph_name)
                    && is_article_graph(&q.graph_name)
                {
                    out.add_relation(s.as_ref(), p, o.as_ref(), article.as_ref());
                }
            }
        }
        Ok(out)
    }

    /// Adds one article's statement `subject predicate object` (an article
    /// states a triple once: its graph is a set).
    fn add_relation(
        &mut self,
        subject: NamedNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
        object: NamedNodeRef<'_>,
        article: NamedNodeRef<'_>,
    ) {
        let key = (
            self.terms.node(subject),
            self.terms.node(predicate),
            self.terms.node(object),
        );
        let id = article_id(article);
        let article = self.terms.node(article);
        self.by_relation
            .entry(key)
            .and_modify(|s| s.add(article, &id))
            .or_insert_with(|| Sources {
                count: 1,
                first: (id, article),
            });
    }

    /// Reads the outcomes of `chunk` (outcome, its graph, its subject) in
    /// parallel and adds them in order, leaving `chunk` empty.
    fn add(
        &mut self,
        store: &GraphStore,
        chunk: &mut Vec<(NamedOrBlankNode, GraphName, NamedNode)>,
    ) -> Result<(), Error> {
        let read: Vec<Result<Outcome, Error>> = chunk
            .par_iter()
            .map(|(o, g, _)| Outcome::read(store, o.as_ref(), g.as_ref()))
            .collect();
        for ((_, _, entity), outcome) in chunk.drain(..).zip(read) {
            self.add_one(entity.as_ref(), outcome?);
        }
        Ok(())
    }

    /// Adds one outcome about `entity`.
    fn add_one(&mut self, entity: NamedNodeRef<'_>, outcome: Outcome) {
        let Outcome {
            metric,
            value,
            month,
        } = outcome;
        let entity = self.terms.node(entity);
        if let Some(month) = month {
            *self.by_month.entry((entity, month)).or_default() += 1;
        }
        let (Some(metric), Some(value)) = (metric, value) else {
            return;
        };
        let Ok(v) = value.value().parse::<f64>() else {
            return;
        };
        let metric = self.terms.node(metric.as_ref());
        let literal = self.terms.literal(value.as_ref());
        let Self {
            terms, by_metric, ..
        } = self;
        by_metric
            .entry((entity, metric))
            .and_modify(|f| f.add(v, literal, terms))
            .or_insert_with(|| Figures {
                count: 1,
                lowest: (v, literal),
                highest: (v, literal),
            });
    }
}

/// The articles that state one relation: how many, and the first by
/// identifier (its identifier and its IRI, by number in
/// [`Reported::terms`]).
#[derive(Debug)]
struct Sources {
    count: u64,
    first: (String, u32),
}

impl Sources {
    /// Adds an article, `article` by number, identified by `id`.
    fn add(&mut self, article: u32, id: &str) {
        self.count += 1;
        if id < self.first.0.as_str() {
            self.first = (id.to_owned(), article);
        }
    }

    /// The summary node `<subject>#<predicate's name>-<object>` (the
    /// object's IRI past the entity namespace) and its triples.
    fn quads(
        &self,
        [subject, predicate, object]: [NamedNodeRef<'_>; 3],
        terms: &Interner,
        graph: &GraphName,
    ) -> Vec<Quad> {
        let name = predicate
            .as_str()
            .rsplit(['#', '/'])
            .next()
            .unwrap_or_default();
        let node = NamedNode::new_unchecked(match object.as_str().strip_prefix(vocab::ID) {
            Some(tail) => format!("{}#{name}-{tail}", subject.as_str()),
            None => format!(
                "{}#{name}-{}",
                subject.as_str(),
                crate::rdf::iri::encode_segment(object.as_str())
            ),
        });
        let p = NamedNode::new_unchecked;
        [
            (p(vocab::rdf::TYPE), p(zhkg::RELATION_SUMMARY).into()),
            (p(zhkg::SUMMARISES), subject.into_owned().into()),
            (p(zhkg::RELATION), predicate.into_owned().into()),
            (p(zhkg::RELATED_TO), object.into_owned().into()),
            (p(zhkg::SOURCE_COUNT), integer(self.count).into()),
            (
                p(zhkg::FIRST_SOURCE),
                terms.iri(self.first.1).into_owned().into(),
            ),
        ]
        .into_iter()
        .map(|(pred, object): (NamedNode, Term)| {
            Quad::new(node.clone(), pred, object, graph.clone())
        })
        .collect()
    }
}

/// The identifier of the article whose graph (and IRI) is `article`, as
/// its `schema:identifier` gives it: the IRI's last segment, decoded.
fn article_id(article: NamedNodeRef<'_>) -> String {
    let iri = article.as_str();
    crate::rdf::iri::decode_segment(iri.rsplit('/').next().unwrap_or(iri))
}

/// Outcomes read together by [`Reported::read`]: enough to keep every
/// thread busy, few enough to hold (their IRIs) at 200,000 articles.
const OUTCOME_CHUNK: usize = 4096;

/// What a figure summary needs of one outcome.
struct Outcome {
    metric: Option<NamedNode>,
    value: Option<Literal>,
    month: Option<Month>,
}

impl Outcome {
    /// The outcome's first metric, value and month, from one scan of its
    /// triples in its article graph.
    fn read(
        store: &GraphStore,
        outcome: NamedOrBlankNodeRef<'_>,
        graph: GraphNameRef<'_>,
    ) -> Result<Self, Error> {
        let mut read = OutcomeTriples::default();
        for p in store
            .inner()
            .quads_for_pattern(Some(outcome), None, None, Some(graph))
        {
            let p = p.map_err(StoreError::from)?;
            read.add(p.predicate.as_str(), p.object);
        }
        Ok(read.outcome())
    }
}

/// An outcome's metric, value and date as its triples come in. Should an
/// outcome have two of one, the lexically smallest is kept, so that the
/// order of its triples does not matter.
#[derive(Default)]
struct OutcomeTriples {
    metric: Option<NamedNode>,
    value: Option<Literal>,
    as_of: Option<Literal>,
}

impl OutcomeTriples {
    fn add(&mut self, predicate: &str, object: Term) {
        match (predicate, object) {
            (zhkg::METRIC, Term::NamedNode(m))
                if self.metric.as_ref().is_none_or(|k| m.as_str() < k.as_str()) =>
            {
                self.metric = Some(m);
            }
            (zhkg::VALUE, Term::Literal(v))
                if self.value.as_ref().is_none_or(|k| v.value() < k.value()) =>
            {
                self.value = Some(v);
            }
            (zhkg::AS_OF, Term::Literal(d))
                if self.as_of.as_ref().is_none_or(|k| d.value() < k.value()) =>
            {
                self.as_of = Some(d);
            }
            _ => {}
        }
    }

    fn outcome(self) -> Outcome {
        Outcome {
            metric: self.metric,
            value: self.value,
            month: self.as_of.as_ref().and_then(Month::of),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A date's month as the summary node's IRI and `zhkg:month` write it.
    #[test]
    fn a_dated_figure_falls_in_its_calendar_month() {
        let typed = |v: &str, dt: &str| Literal::new_typed_literal(v, NamedNode::new_unchecked(dt));
        let table = [
            (typed("2023-07-15", xsd::DATE), Some("2023-07")),
            (typed("2021-12", xsd::G_YEAR_MONTH), Some("2021-12")),
            (typed("0998-01-02", xsd::DATE), Some("0998-01")),
            (typed("2023", xsd::G_YEAR), None),
            (typed("2023-13", xsd::G_YEAR_MONTH), None),
            (typed("2023-00-01", xsd::DATE), None),
            (typed("2023/07/15", xsd::DATE), None),
            (Literal::new_simple_literal("2023-07-15"), None),
        ];
        for (date, month) in table {
            assert_eq!(
                Month::of(&date).map(|m| m.to_string()).as_deref(),
                month,
                "{date}"
            );
        }
    }

    /// Of equal values written differently the lexically smaller literal is
    /// the summary's, whichever comes first; the count counts both.
    #[test]
    fn figures_keep_the_extremes_and_the_smaller_spelling_of_a_tie() {
        let decimal =
            |v: &str| Literal::new_typed_literal(v, NamedNode::new_unchecked(xsd::DECIMAL));
        let entity = NamedNode::new_unchecked("https://example.org/county");
        let metric = NamedNode::new_unchecked(format!("{}headcount", vocab::METRIC));
        for values in [["80.0", "80", "120", "95"], ["120", "95", "80", "80.0"]] {
            let mut reported = Reported::default();
            for v in values {
                reported.add_one(
                    entity.as_ref(),
                    Outcome {
                        metric: Some(metric.clone()),
                        value: Some(decimal(v)),
                        month: None,
                    },
                );
            }
            let objects = |p: &str| -> Vec<String> {
                reported
                    .quads()
                    .filter(|q| q.predicate.as_str() == p)
                    .map(|q| q.object.to_string())
                    .collect()
            };
            let xsd_decimal = format!("^^<{}>", xsd::DECIMAL);
            assert_eq!(
                objects(zhkg::LOWEST_VALUE),
                [format!("\"80\"{xsd_decimal}")]
            );
            assert_eq!(
                objects(zhkg::HIGHEST_VALUE),
                [format!("\"120\"{xsd_decimal}")]
            );
            assert_eq!(
                objects(zhkg::FIGURE_COUNT),
                [format!("\"4\"^^<{}>", xsd::INTEGER)]
            );
        }
    }
}
