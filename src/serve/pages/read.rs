//! Reading what a page shows from the store: index lookups by quad pattern
//! (a subject, or a predicate and an object, in one named graph), never a
//! scan of every entity, and each list capped, so that a page costs about
//! the same on 5 articles and on 20,000.
//!
//! The shapes read are those of README.md's "The graph": descriptions in
//! the entities graph, each fact once in the facts graph, and in each
//! article's graph its text (`nif:isString`), mentions, outcomes and
//! relation assertions, named by RFC 5147 IRIs that carry their offsets.

use std::collections::HashMap;
use std::rc::Rc;

use oxigraph::model::{
    GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Quad, Term, TermRef,
};
use oxigraph::sparql::{CancellationToken, QueryEvaluationError, QueryResults, SparqlEvaluator};
use oxigraph::store::{StorageError, Store};

use crate::ingest::OriginalSpan;
use crate::lexicon::metrics::{Family, Metric};
use crate::rdf::iri::span_of;
use crate::rdf::vocab::{ENTITIES_GRAPH, FACTS_GRAPH, METRIC, nif, rdfs, zhkg};

use super::layout::fallback_label;

/// Why a page could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// The store failed to answer a read.
    #[error("cannot read the store: {0}")]
    Storage(#[from] StorageError),
    /// The time limit passed (the token was cancelled).
    #[error("the page was stopped at the time limit")]
    Cancelled,
    /// A query of a page failed (a bug in zhkg).
    #[error("a query of the page failed (a bug in zhkg, please report the page): {0}")]
    Query(String),
}

/// The result of a read.
pub type Read<T> = Result<T, PageError>;

/// The distinct nodes of `nodes` that `cache` does not hold yet, in order.
fn not_in<'n, V>(nodes: &'n [NamedNode], cache: &HashMap<String, V>) -> Vec<&'n NamedNode> {
    let mut out: Vec<&NamedNode> = nodes
        .iter()
        .filter(|n| !cache.contains_key(n.as_str()))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The most threads one page reads the store with at once.
pub const PARALLEL_READS: usize = 8;

/// A vocabulary IRI as a node.
pub fn n(iri: &str) -> NamedNodeRef<'_> {
    NamedNodeRef::new_unchecked(iri)
}

/// An IRI written into query text (`<…>`), when it is a valid IRI (so it
/// cannot close the brackets or hold a space).
pub fn iri_ref(iri: &str) -> Option<String> {
    NamedNode::new(iri)
        .ok()
        .map(|n| format!("<{}>", n.as_str()))
}

/// The number a `COUNT` gave.
pub fn number(t: Option<&Option<Term>>) -> usize {
    t.and_then(Option::as_ref)
        .and_then(lexical)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// A named graph by IRI.
pub fn graph(iri: &str) -> GraphNameRef<'_> {
    GraphNameRef::NamedNode(n(iri))
}

/// The entities graph.
pub fn entities() -> GraphNameRef<'static> {
    graph(ENTITIES_GRAPH)
}

/// The facts graph.
pub fn facts() -> GraphNameRef<'static> {
    graph(FACTS_GRAPH)
}

/// The decoded original text of an article, with the byte offset of each
/// character (spans count characters).
#[derive(Debug)]
pub struct Original {
    chars: Vec<char>,
}

impl Original {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        Self {
            chars: text.chars().collect(),
        }
    }

    /// Every character.
    pub fn chars(&self) -> &[char] {
        &self.chars
    }

    /// The characters of `span`, or `None` when it is outside the text.
    pub fn slice(&self, span: OriginalSpan) -> Option<&[char]> {
        self.chars.get(chars(span))
    }

    /// The words at `span` as a string (empty outside the text).
    pub fn words(&self, span: OriginalSpan) -> String {
        self.slice(span)
            .map(|c| c.iter().collect())
            .unwrap_or_default()
    }
}

/// The characters a span covers, as a range of indices.
pub fn chars(span: OriginalSpan) -> std::ops::Range<usize> {
    let at = |i: u32| usize::try_from(i).unwrap_or(usize::MAX);
    at(span.start)..at(span.end)
}

/// An outcome (a figure the text states), as stored in its article graph.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Its IRI (`…/article/<id>#char=b,e`).
    pub iri: NamedNode,
    /// The article (its graph).
    pub article: NamedNode,
    /// What it is about, when known.
    pub subject: Option<NamedNode>,
    /// The metric's notation (`employees`).
    pub metric: String,
    /// The value as written in the graph (a decimal).
    pub value: String,
    /// The top of a range.
    pub max: Option<String>,
    /// The unit IRI.
    pub unit: String,
    /// The qualifier IRI (`zhkg:Exact`…).
    pub qualifier: String,
    /// The date it is given for.
    pub as_of: Option<String>,
    /// A target rather than an achievement.
    pub target: bool,
    /// A figure of context (not about the subject's own work).
    pub context: bool,
    /// Its sentence.
    pub sentence: Option<NamedNode>,
}

impl Outcome {
    /// Reads an outcome from its properties.
    pub fn from_props(iri: NamedNode, article: NamedNode, props: &[(NamedNode, Term)]) -> Self {
        let mut o = Self {
            iri,
            article,
            subject: None,
            metric: String::new(),
            value: String::new(),
            max: None,
            unit: String::new(),
            qualifier: String::new(),
            as_of: None,
            target: false,
            context: false,
            sentence: None,
        };
        for (p, v) in props {
            let text = || match v {
                Term::Literal(l) => l.value().to_owned(),
                Term::NamedNode(n) => n.as_str().to_owned(),
                _ => String::new(),
            };
            match p.as_str() {
                zhkg::SUBJECT => o.subject = node(v),
                zhkg::METRIC => o.metric = text().strip_prefix(METRIC).unwrap_or("").to_owned(),
                zhkg::VALUE => o.value = text(),
                zhkg::MAX_VALUE => o.max = Some(text()),
                zhkg::UNIT => o.unit = text(),
                zhkg::QUALIFIER => o.qualifier = text(),
                zhkg::AS_OF => o.as_of = Some(text()),
                zhkg::IS_TARGET => o.target = text() == "true",
                nif::SENTENCE_PROP => o.sentence = node(v),
                crate::rdf::vocab::rdf::TYPE if text() == zhkg::CONTEXT_FIGURE => {
                    o.context = true;
                }
                _ => {}
            }
        }
        o
    }

    /// The words' offsets (from the IRI).
    pub fn span(&self) -> Option<OriginalSpan> {
        span_of(self.iri.as_str())
    }

    /// The metric of the vocabulary, when it has this notation.
    pub fn metric_def(&self) -> Option<Metric> {
        Metric::named(&self.metric)
    }

    /// The metric's family.
    pub fn family(&self) -> Option<Family> {
        self.metric_def().and_then(Metric::family)
    }

    /// The value (and the top of a range) for people.
    pub fn value_text(&self) -> String {
        match &self.max {
            Some(m) => format!("{}–{m}", self.value),
            None => self.value.clone(),
        }
    }

    /// The unit for people.
    pub fn unit_text(&self) -> &str {
        let tail = self.unit.rsplit(['/', '#']).next().unwrap_or("");
        match tail {
            "CCY_CNY" => "yuan (CNY)",
            "PERCENT" => "%",
            "YR" => "years",
            "MO" => "months",
            "DAY" => "days",
            "HR" => "hours",
            "MIN" => "minutes",
            "M2" => "m²",
            "TONNE" => "tonnes",
            "KiloM" => "km",
            "person" => "people",
            "person-time" => "person-times",
            other => other,
        }
    }

    /// The qualifier for people.
    pub fn qualifier_text(&self) -> &'static str {
        match self.qualifier.as_str() {
            zhkg::EXACT => "exact",
            zhkg::APPROXIMATE => "about",
            zhkg::LOWER_BOUND => "at least",
            zhkg::UPPER_BOUND => "at most",
            _ => "",
        }
    }
}

/// The node a term is, if it is a named node.
pub fn node(t: &Term) -> Option<NamedNode> {
    match t {
        Term::NamedNode(n) => Some(n.clone()),
        _ => None,
    }
}

/// A literal's lexical form.
pub fn lexical(t: &Term) -> Option<&str> {
    match t {
        Term::Literal(l) => Some(l.value()),
        _ => None,
    }
}

/// Reads pages' data from the store, checking the time limit between
/// reads, and keeping labels and article texts it has read.
pub struct Reader<'a> {
    store: &'a Store,
    token: &'a CancellationToken,
    labels: HashMap<String, String>,
    texts: HashMap<String, Option<Rc<Original>>>,
}

impl<'a> Reader<'a> {
    /// A reader of `store` that stops when `token` is cancelled.
    pub fn new(store: &'a Store, token: &'a CancellationToken) -> Self {
        Self {
            store,
            token,
            labels: HashMap::new(),
            texts: HashMap::new(),
        }
    }

    /// Fails once the time limit has passed.
    pub fn check(&self) -> Read<()> {
        if self.token.is_cancelled() {
            Err(PageError::Cancelled)
        } else {
            Ok(())
        }
    }

    /// The quads matching a pattern, at most `cap` of them.
    pub fn quads(
        &self,
        s: Option<NamedNodeRef<'_>>,
        p: Option<NamedNodeRef<'_>>,
        o: Option<TermRef<'_>>,
        g: Option<GraphNameRef<'_>>,
        cap: usize,
    ) -> Read<Vec<Quad>> {
        self.check()?;
        let mut out = Vec::new();
        for q in self
            .store
            .quads_for_pattern(s.map(NamedOrBlankNodeRef::from), p, o, g)
            .take(cap)
        {
            out.push(q?);
        }
        Ok(out)
    }

    /// The solutions of a SELECT (the union of the named graphs is its
    /// default graph, and the vocabulary's prefixes are declared), at most
    /// `cap`, each the values of its variables in order. Values are
    /// written into the text with [`iri_ref`].
    ///
    /// A query evaluates joins and counts on the store's term ids, where
    /// reading quads decodes every term: it is the faster way to count, to
    /// filter and to join.
    pub fn select(&self, text: &str, cap: usize) -> Read<Vec<Vec<Option<Term>>>> {
        self.check()?;
        let evaluator = SparqlEvaluator::new().with_cancellation_token(self.token.clone());
        let mut q = crate::sparql::query::parse_with(evaluator, text)
            .map_err(|e| PageError::Query(e.to_string()))?;
        if q.dataset().is_default_dataset() {
            q.dataset_mut().set_default_graph_as_union();
        }
        let failed = |e: QueryEvaluationError| match e {
            QueryEvaluationError::Cancelled => PageError::Cancelled,
            e => PageError::Query(e.to_string()),
        };
        let QueryResults::Solutions(solutions) =
            q.on_store(self.store).execute().map_err(failed)?
        else {
            return Err(PageError::Query(format!("not a SELECT: {text}")));
        };
        let mut rows = Vec::new();
        for s in solutions.take(cap) {
            rows.push(s.map_err(failed)?.values().to_vec());
        }
        Ok(rows)
    }

    /// Whether the store holds the quad.
    pub fn has(
        &self,
        s: NamedNodeRef<'_>,
        p: NamedNodeRef<'_>,
        o: TermRef<'_>,
        g: GraphNameRef<'_>,
    ) -> Read<bool> {
        Ok(self
            .store
            .contains(oxigraph::model::QuadRef::new(s, p, o, g))?)
    }

    /// The objects of `s p ?o` in `g`.
    pub fn objects(
        &self,
        s: NamedNodeRef<'_>,
        p: &str,
        g: GraphNameRef<'_>,
        cap: usize,
    ) -> Read<Vec<Term>> {
        Ok(self
            .quads(Some(s), Some(n(p)), None, Some(g), cap)?
            .into_iter()
            .map(|q| q.object)
            .collect())
    }

    /// The first object of `s p ?o` in `g`.
    pub fn object(&self, s: NamedNodeRef<'_>, p: &str, g: GraphNameRef<'_>) -> Read<Option<Term>> {
        Ok(self.objects(s, p, g, 1)?.into_iter().next())
    }

    /// The lexical form of the first literal of `s p ?o` in `g`.
    pub fn literal(
        &self,
        s: NamedNodeRef<'_>,
        p: &str,
        g: GraphNameRef<'_>,
    ) -> Read<Option<String>> {
        Ok(self
            .object(s, p, g)?
            .as_ref()
            .and_then(lexical)
            .map(str::to_owned))
    }

    /// The subjects of `?s p o` in `g` (named nodes only).
    pub fn subjects(
        &self,
        p: &str,
        o: TermRef<'_>,
        g: GraphNameRef<'_>,
        cap: usize,
    ) -> Read<Vec<NamedNode>> {
        Ok(self
            .quads(None, Some(n(p)), Some(o), Some(g), cap)?
            .into_iter()
            .filter_map(|q| match q.subject {
                oxigraph::model::NamedOrBlankNode::NamedNode(s) => Some(s),
                _ => None,
            })
            .collect())
    }

    /// The label of an entity (its `rdfs:label` in the entities graph), of
    /// an article (its headline), or its IRI's last segment.
    pub fn label(&mut self, iri: &str) -> Read<String> {
        if let Some(l) = self.labels.get(iri) {
            return Ok(l.clone());
        }
        let node = n(iri);
        let label = match self.literal(node, rdfs::LABEL, entities())? {
            Some(l) => l,
            None => match self.literal(node, crate::rdf::vocab::schema::HEADLINE, graph(iri))? {
                Some(h) => h,
                None => fallback_label(iri),
            },
        };
        self.labels.insert(iri.to_owned(), label.clone());
        Ok(label)
    }

    /// `f` of each of `items`, read on up to [`PARALLEL_READS`] threads at
    /// once, each with a reader of its own; in the order of `items`. A page
    /// that reads many scattered things (dozens of sentences in as many
    /// articles) waits on the disk when the file cache is cold, and the
    /// disk answers several reads at once as fast as one.
    pub fn each_in_parallel<T: Sync, U: Send>(
        &self,
        items: &[T],
        f: impl Fn(&mut Reader<'_>, &T) -> Read<U> + Sync,
    ) -> Read<Vec<U>> {
        let (store, token) = (self.store, self.token);
        if items.len() < 2 {
            let mut r = Reader::new(store, token);
            return items.iter().map(|t| f(&mut r, t)).collect();
        }
        let chunk = items.len().div_ceil(PARALLEL_READS);
        let f = &f;
        std::thread::scope(|scope| {
            let threads: Vec<_> = items
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || {
                        let mut r = Reader::new(store, token);
                        part.iter().map(|t| f(&mut r, t)).collect::<Read<Vec<U>>>()
                    })
                })
                .collect();
            let mut out = Vec::with_capacity(items.len());
            for t in threads {
                out.extend(t.join().unwrap_or_else(|p| std::panic::resume_unwind(p))?);
            }
            Ok(out)
        })
    }

    /// Reads the texts and titles of `articles` and the labels of
    /// `entities` into this reader's caches, several at once (see
    /// [`Reader::each_in_parallel`]).
    pub fn prefetch(&mut self, articles: &[NamedNode], entities: &[NamedNode]) -> Read<()> {
        let articles = not_in(articles, &self.texts);
        let read = self.each_in_parallel(&articles, |r, a| {
            let text = r
                .literal(a.as_ref(), nif::IS_STRING, graph(a.as_str()))?
                .map(|t| Original::new(&t));
            Ok((text, r.label(a.as_str())?))
        })?;
        for (a, (text, title)) in articles.into_iter().zip(read) {
            self.texts.insert(a.as_str().to_owned(), text.map(Rc::new));
            self.labels.insert(a.as_str().to_owned(), title);
        }
        let entities = not_in(entities, &self.labels);
        let labels = self.each_in_parallel(&entities, |r, e| r.label(e.as_str()))?;
        for (e, label) in entities.into_iter().zip(labels) {
            self.labels.insert(e.as_str().to_owned(), label);
        }
        Ok(())
    }

    /// Takes `label` as the label of `iri` (known from elsewhere, such as
    /// the search's labels in memory).
    pub fn know_label(&mut self, iri: &str, label: &str) {
        self.labels.insert(iri.to_owned(), label.to_owned());
    }

    /// The decoded original text of an article (its `nif:isString`), read
    /// once per page.
    pub fn original(&mut self, article: &str) -> Read<Option<Rc<Original>>> {
        if let Some(t) = self.texts.get(article) {
            return Ok(t.clone());
        }
        let text = self
            .literal(n(article), nif::IS_STRING, graph(article))?
            .map(|t| Rc::new(Original::new(&t)));
        self.texts.insert(article.to_owned(), text.clone());
        Ok(text)
    }

    /// The properties of `s` in graph `g`.
    pub fn props(
        &self,
        s: NamedNodeRef<'_>,
        g: GraphNameRef<'_>,
        cap: usize,
    ) -> Read<Vec<(NamedNode, Term)>> {
        Ok(self
            .quads(Some(s), None, None, Some(g), cap)?
            .into_iter()
            .map(|q| (q.predicate, q.object))
            .collect())
    }

    /// The outcome `iri` of the article graph `article`.
    pub fn outcome(&self, iri: &NamedNode, article: &NamedNode) -> Read<Outcome> {
        let props = self.props(iri.as_ref(), GraphNameRef::NamedNode(article.as_ref()), 64)?;
        Ok(Outcome::from_props(iri.clone(), article.clone(), &props))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rdf::vocab::schema;
    use oxigraph::model::{Literal, Quad};

    #[test]
    fn reads_in_parallel_keep_their_order_and_stop_at_the_time_limit() {
        let store = Store::new().unwrap();
        let token = CancellationToken::new();
        let r = Reader::new(&store, &token);
        for n in [0, 1, 2, PARALLEL_READS, 3 * PARALLEL_READS + 1] {
            let items: Vec<usize> = (0..n).collect();
            let got = r
                .each_in_parallel(&items, |r, i| {
                    r.check()?;
                    Ok(i * 10)
                })
                .unwrap();
            assert_eq!(got, items.iter().map(|i| i * 10).collect::<Vec<_>>());
        }
        token.cancel();
        let items: Vec<usize> = (0..20).collect();
        assert!(matches!(
            r.each_in_parallel(&items, |r, _| r.check()),
            Err(PageError::Cancelled)
        ));
    }

    #[test]
    fn prefetched_articles_read_as_the_store_holds_them() {
        let store = Store::new().unwrap();
        let articles: Vec<NamedNode> = (0..12)
            .map(|i| NamedNode::new(format!("https://w3id.org/zhkg/id/article/a{i}")).unwrap())
            .collect();
        for (i, a) in articles.iter().enumerate() {
            for (p, o) in [
                (nif::IS_STRING, format!("第{i}篇：县里开了{i}家网店。")),
                (schema::HEADLINE, format!("标题{i}")),
            ] {
                store
                    .insert(&Quad::new(
                        a.clone(),
                        NamedNode::new(p).unwrap(),
                        Literal::new_simple_literal(o),
                        a.clone(),
                    ))
                    .unwrap();
            }
        }
        let token = CancellationToken::new();
        let mut fresh = Reader::new(&store, &token);
        let mut warm = Reader::new(&store, &token);
        warm.prefetch(&articles, &[]).unwrap();
        for a in &articles {
            let (x, y) = (
                fresh.original(a.as_str()).unwrap(),
                warm.original(a.as_str()).unwrap(),
            );
            assert_eq!(x.map(|t| t.chars().to_vec()), y.map(|t| t.chars().to_vec()));
            assert_eq!(
                fresh.label(a.as_str()).unwrap(),
                warm.label(a.as_str()).unwrap()
            );
        }
        assert_eq!(warm.label(articles[3].as_str()).unwrap(), "标题3");
    }
}
