//! An article's quads as numbers into a table of its distinct terms.
//!
//! The model writes about 500 quads an article in which a few hundred terms
//! recur: a mention's IRI is the subject of four or five of them, the
//! article's IRI names the graph of all of them, a handful of predicates
//! carry them all. Owned [`Quad`](oxigraph::model::Quad)s would copy each term into its own
//! allocation every time (four allocations a quad, two thirds of them
//! copies of a term already held); here each distinct term is stored once,
//! a quad is three numbers, and repeats are found by comparing numbers.
//! Readers get borrowed [`QuadRef`]s: `extract --jsonl` writes them as
//! N-Quads without a copy, the store's transactions and the facts graph
//! read them as they are (the bulk loader copies them into its batches).

use std::borrow::Cow;
use std::hash::{BuildHasher, Hash};

use hashbrown::HashTable;
use oxigraph::model::{
    GraphNameRef, Literal, LiteralRef, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, QuadRef,
    TermRef, vocab::xsd,
};

use super::vocab;

/// What the model puts in a quad's object position: an IRI or a literal
/// (it writes no blank nodes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Object<'a> {
    /// An IRI.
    Node(NamedNodeRef<'a>),
    /// A literal.
    Literal(LiteralRef<'a>),
}

impl<'a> From<NamedNodeRef<'a>> for Object<'a> {
    fn from(n: NamedNodeRef<'a>) -> Self {
        Self::Node(n)
    }
}

impl<'a> From<&'a NamedNode> for Object<'a> {
    fn from(n: &'a NamedNode) -> Self {
        Self::Node(n.as_ref())
    }
}

impl<'a> From<&'a Cow<'_, NamedNode>> for Object<'a> {
    fn from(n: &'a Cow<'_, NamedNode>) -> Self {
        Self::Node(n.as_ref().as_ref())
    }
}

impl<'a> From<LiteralRef<'a>> for Object<'a> {
    fn from(l: LiteralRef<'a>) -> Self {
        Self::Literal(l)
    }
}

impl<'a> From<&'a Literal> for Object<'a> {
    fn from(l: &'a Literal) -> Self {
        Self::Literal(l.as_ref())
    }
}

/// The kind of a stored term; the text of the literals' language tag or
/// datatype IRI is stored beside their value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    /// An IRI.
    Iri,
    /// A literal without language or datatype (`xsd:string`).
    Simple,
    /// A language-tagged literal; the tag is the entry's second text.
    Tagged,
    /// A literal with a datatype; the datatype's IRI is the entry's second text.
    Typed,
}

/// One stored term: its kind and where its texts are in [`Terms::text`].
#[derive(Debug, Clone, Copy)]
struct Entry {
    kind: Kind,
    /// The IRI or the literal's value.
    value: (u32, u32),
    /// The language tag or the datatype's IRI (empty for the other kinds).
    extra: (u32, u32),
}

/// The distinct terms of one article's quads, each stored once.
#[derive(Debug, Clone, Default)]
pub(crate) struct Terms {
    /// The texts of every term, one after another.
    text: String,
    entries: Vec<Entry>,
}

impl Terms {
    fn slice(&self, (start, end): (u32, u32)) -> &str {
        &self.text[start as usize..end as usize]
    }

    fn push_text(&mut self, s: &str) -> (u32, u32) {
        let start = self.text.len();
        self.text.push_str(s);
        (offset(start), offset(self.text.len()))
    }

    /// Term `id`'s IRI or value.
    fn value(&self, id: u32) -> &str {
        self.slice(self.entries[id as usize].value)
    }

    /// The length of term `id`'s IRI or value.
    fn len(&self, id: u32) -> usize {
        let (start, end) = self.entries[id as usize].value;
        (end - start) as usize
    }

    /// Term `id` as it is looked up.
    fn key(&self, id: u32) -> Key<'_> {
        let e = &self.entries[id as usize];
        Key {
            kind: e.kind,
            value: self.slice(e.value),
            extra: self.slice(e.extra),
        }
    }

    /// Term `id` as an IRI (the subject and predicate positions hold only IRIs).
    fn node(&self, id: u32) -> NamedNodeRef<'_> {
        let e = &self.entries[id as usize];
        debug_assert_eq!(e.kind, Kind::Iri);
        NamedNodeRef::new_unchecked(self.slice(e.value))
    }

    /// The quad of `triple` in `graph`.
    fn quad<'a>(&'a self, [s, p, o]: Triple, graph: GraphNameRef<'a>) -> QuadRef<'a> {
        QuadRef::new(
            NamedOrBlankNodeRef::NamedNode(self.node(s)),
            self.node(p),
            self.term(o),
            graph,
        )
    }

    /// Term `id`.
    fn term(&self, id: u32) -> TermRef<'_> {
        let e = &self.entries[id as usize];
        let value = self.slice(e.value);
        match e.kind {
            Kind::Iri => NamedNodeRef::new_unchecked(value).into(),
            Kind::Simple => LiteralRef::new_simple_literal(value).into(),
            Kind::Tagged => {
                LiteralRef::new_language_tagged_literal_unchecked(value, self.slice(e.extra)).into()
            }
            Kind::Typed => LiteralRef::new_typed_literal(
                value,
                NamedNodeRef::new_unchecked(self.slice(e.extra)),
            )
            .into(),
        }
    }
}

/// A position in [`Terms::text`]: an article's terms are far below 4 GiB,
/// and so are a build's entities and figures (at 200,000 articles, mostly
/// 750,000 people's IRIs of some eighty bytes each).
fn offset(n: usize) -> u32 {
    u32::try_from(n).expect("a table's terms are less than 4 GiB")
}

/// A term as it is looked up: its kind and its two texts.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Key<'a> {
    kind: Kind,
    value: &'a str,
    extra: &'a str,
}

impl<'a> Key<'a> {
    fn node(iri: &'a str) -> Self {
        Key {
            kind: Kind::Iri,
            value: iri,
            extra: "",
        }
    }

    fn object(o: Object<'a>) -> Self {
        match o {
            Object::Node(n) => Key::node(n.as_str()),
            Object::Literal(l) => {
                if let Some(tag) = l.language() {
                    Key {
                        kind: Kind::Tagged,
                        value: l.value(),
                        extra: tag,
                    }
                } else if l.datatype() == xsd::STRING {
                    Key {
                        kind: Kind::Simple,
                        value: l.value(),
                        extra: "",
                    }
                } else {
                    Key {
                        kind: Kind::Typed,
                        value: l.value(),
                        extra: l.datatype().as_str(),
                    }
                }
            }
        }
    }
}

/// Gives each distinct term a number while the quads are written; also
/// the table of terms a build holds across articles (the facts graph's
/// counts and summaries), each term's text stored once in one string.
#[derive(Default)]
pub(crate) struct Interner {
    terms: Terms,
    index: HashTable<u32>,
    hasher: rustc_hash::FxBuildHasher,
    /// The number of each predicate by the address of its text: the
    /// predicates are the vocabulary's constants, a few dozen, each written
    /// hundreds of times an article (a constant written in two places may
    /// have two addresses: both get the one number of its text).
    predicates: rustc_hash::FxHashMap<usize, u32>,
    /// The last subject: the model writes a node's triples one after another.
    subject: Option<u32>,
}

impl Interner {
    /// An interner with room for `terms` distinct terms (growing the table
    /// hashes every term held again) and `bytes` of their text.
    pub(super) fn with_capacity(terms: usize, bytes: usize) -> Self {
        Self {
            terms: Terms {
                text: String::with_capacity(bytes),
                entries: Vec::with_capacity(terms),
            },
            index: HashTable::with_capacity(terms),
            ..Self::default()
        }
    }

    /// The number of term `k`, if it was interned.
    fn find(&self, k: &Key<'_>) -> Option<u32> {
        let hash = self.hasher.hash_one(k);
        self.index.find(hash, |&i| self.terms.key(i) == *k).copied()
    }

    fn intern(&mut self, k: Key<'_>) -> u32 {
        let hash = self.hasher.hash_one(k);
        if let Some(&i) = self.index.find(hash, |&i| self.terms.key(i) == k) {
            return i;
        }
        let id = offset(self.terms.entries.len());
        let value = self.terms.push_text(k.value);
        let extra = self.terms.push_text(k.extra);
        self.terms.entries.push(Entry {
            kind: k.kind,
            value,
            extra,
        });
        let Self {
            terms,
            index,
            hasher,
            ..
        } = self;
        index.insert_unique(hash, id, |&i| hasher.hash_one(terms.key(i)));
        id
    }

    /// The numbers of the triple (`s`, `p`, `o`).
    pub(super) fn triple(&mut self, s: &str, p: &'static str, o: Object<'_>) -> Triple {
        let s = match self.subject {
            Some(i) if self.terms.value(i) == s => i,
            _ => {
                let i = self.intern(Key::node(s));
                self.subject = Some(i);
                i
            }
        };
        // The text at a predicate's address is its text if it is as long.
        let p = match self.predicates.get(&(p.as_ptr() as usize)) {
            Some(&i) if self.terms.len(i) == p.len() => i,
            _ => {
                let i = self.intern(Key::node(p));
                self.predicates.insert(p.as_ptr() as usize, i);
                i
            }
        };
        [s, p, self.intern(Key::object(o))]
    }

    /// The number of the IRI `iri`, if a quad holds it.
    pub(super) fn find_node(&self, iri: &str) -> Option<u32> {
        self.find(&Key::node(iri))
    }

    /// The number of the IRI `iri`, given it if it has none yet.
    pub(crate) fn node(&mut self, iri: NamedNodeRef<'_>) -> u32 {
        self.intern(Key::node(iri.as_str()))
    }

    /// The number of the literal `l`, given it if it has none yet.
    pub(crate) fn literal(&mut self, l: LiteralRef<'_>) -> u32 {
        self.intern(Key::object(Object::Literal(l)))
    }

    /// Term `id`, which [`Self::node`] or [`Self::literal`] gave.
    pub(crate) fn term(&self, id: u32) -> TermRef<'_> {
        self.terms.term(id)
    }

    /// IRI `id`, which [`Self::node`] gave.
    pub(crate) fn iri(&self, id: u32) -> NamedNodeRef<'_> {
        self.terms.node(id)
    }

    /// The table, for the finished graph.
    pub(super) fn into_terms(self) -> Terms {
        self.terms
    }
}

/// A triple as the numbers of its subject, predicate and object.
pub(super) type Triple = [u32; 3];

/// Removes repeated triples, keeping the first of each in place: the order
/// the model wrote them in, which is deterministic, is kept.
pub(super) fn dedup(mut triples: Vec<Triple>) -> Vec<Triple> {
    let mut seen =
        rustc_hash::FxHashSet::with_capacity_and_hasher(triples.len(), Default::default());
    triples.retain(|t| seen.insert(*t));
    triples
}

/// The quads an article contributes.
#[derive(Debug, Clone)]
pub struct ArticleGraph {
    /// The article's IRI, also the name of its graph.
    pub graph: NamedNode,
    terms: Terms,
    /// The article graph's triples.
    own: Vec<Triple>,
    /// The shared entities graph's triples.
    shared: Vec<Triple>,
}

impl ArticleGraph {
    pub(super) fn new(
        graph: NamedNode,
        terms: Terms,
        own: Vec<Triple>,
        shared: Vec<Triple>,
    ) -> Self {
        Self {
            graph,
            terms,
            own,
            shared,
        }
    }

    /// Quads of the article's graph: the article, sentences, mentions,
    /// aliases, outcomes, relations, roles: everything the article says.
    pub fn quads(&self) -> Quads<'_> {
        Quads {
            terms: &self.terms,
            graph: self.graph.as_ref().into(),
            triples: self.own.iter(),
        }
    }

    /// Quads of the shared entities graph: type, label, code, level and
    /// parent of each entity, identical whichever article mentions it.
    pub fn entities(&self) -> Quads<'_> {
        Quads {
            terms: &self.terms,
            graph: entities_graph(),
            triples: self.shared.iter(),
        }
    }

    /// Every quad: the article's graph's, then the entity descriptions.
    pub fn all(&self) -> impl Iterator<Item = QuadRef<'_>> + Clone {
        self.quads().chain(self.entities())
    }

    /// Keeps only the entity descriptions for which `keep` is true (in
    /// their order).
    pub fn retain_entities(&mut self, mut keep: impl FnMut(QuadRef<'_>) -> bool) {
        let Self { terms, shared, .. } = self;
        shared.retain(|&t| keep(terms.quad(t, entities_graph())));
    }

    /// Appends every quad ([`ArticleGraph::all`]) to `out` as N-Quads
    /// lines, byte for byte what [`append_nquads`] writes for them, each
    /// distinct term encoded once (a subject is written four or five
    /// times, a predicate or the graph's name hundreds of times).
    ///
    /// [`append_nquads`]: crate::sparql::export::append_nquads
    pub fn append_nquads(&self, out: &mut Vec<u8>) {
        use crate::sparql::export::push_term;
        let n = self.terms.entries.len();
        let mut encoded = Vec::with_capacity(self.terms.text.len() + 4 * n);
        let spans: Vec<(usize, usize)> = (0..offset(n))
            .map(|i| {
                let start = encoded.len();
                push_term(self.terms.term(i), &mut encoded);
                (start, encoded.len())
            })
            .collect();
        let term = |i: u32| {
            let (start, end) = spans[i as usize];
            &encoded[start..end]
        };
        for (graph, triples) in [
            (self.graph.as_str(), &self.own),
            (vocab::ENTITIES_GRAPH, &self.shared),
        ] {
            let tail = [b" <", graph.as_bytes(), b"> .\n"].concat();
            for &[s, p, o] in triples {
                out.extend_from_slice(term(s));
                out.push(b' ');
                out.extend_from_slice(term(p));
                out.push(b' ');
                out.extend_from_slice(term(o));
                out.extend_from_slice(&tail);
            }
        }
    }

    /// How many quads [`ArticleGraph::all`] gives.
    pub fn len(&self) -> usize {
        self.own.len() + self.shared.len()
    }

    /// True when the article contributes no quad.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The shared graph of entity descriptions ([`vocab::ENTITIES_GRAPH`]).
fn entities_graph() -> GraphNameRef<'static> {
    NamedNodeRef::new_unchecked(vocab::ENTITIES_GRAPH).into()
}

/// The quads of one graph of an [`ArticleGraph`], borrowed from it.
#[derive(Debug, Clone)]
pub struct Quads<'a> {
    terms: &'a Terms,
    graph: GraphNameRef<'a>,
    triples: std::slice::Iter<'a, Triple>,
}

impl<'a> Iterator for Quads<'a> {
    type Item = QuadRef<'a>;

    fn next(&mut self) -> Option<QuadRef<'a>> {
        let &t = self.triples.next()?;
        Some(self.terms.quad(t, self.graph))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.triples.size_hint()
    }
}

impl ExactSizeIterator for Quads<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_come_back_as_they_went_in_and_repeats_share_a_number() {
        let mut i = Interner::default();
        let s = "https://example.org/s";
        let p = "https://example.org/p";
        let objects = [
            Object::Node(NamedNodeRef::new_unchecked("https://example.org/o")),
            LiteralRef::new_simple_literal("县").into(),
            LiteralRef::new_language_tagged_literal_unchecked("县", "zh").into(),
            LiteralRef::new_language_tagged_literal_unchecked("縣", "zh-Hant").into(),
            LiteralRef::new_typed_literal("12", xsd::DECIMAL).into(),
            LiteralRef::new_typed_literal("12", xsd::INTEGER).into(),
            LiteralRef::new_simple_literal("").into(),
        ];
        let triples: Vec<Triple> = objects.iter().map(|o| i.triple(s, p, *o)).collect();
        // The subject and predicate are numbered once; each object apart
        // (the same text in another kind, tag or datatype is another term).
        assert!(
            triples
                .iter()
                .all(|t| t[0] == triples[0][0] && t[1] == triples[0][1])
        );
        let distinct: rustc_hash::FxHashSet<u32> = triples.iter().map(|t| t[2]).collect();
        assert_eq!(distinct.len(), objects.len());
        assert_eq!(i.triple(s, p, objects[3]), triples[3]);
        assert_eq!(i.find_node(s), Some(triples[0][0]));
        assert_eq!(i.find_node("https://example.org/none"), None);

        let g = ArticleGraph::new(
            NamedNode::new_unchecked("https://example.org/g"),
            i.into_terms(),
            dedup([triples.clone(), triples.clone()].concat()),
            vec![triples[0]],
        );
        assert_eq!(g.len(), objects.len() + 1);
        for (q, o) in g.quads().zip(objects) {
            assert_eq!(q.subject.to_string(), format!("<{s}>"));
            assert_eq!(q.predicate.as_str(), p);
            let want = match o {
                Object::Node(n) => TermRef::from(n),
                Object::Literal(l) => TermRef::from(l),
            };
            assert_eq!(q.object, want);
            assert_eq!(q.graph_name.to_string(), "<https://example.org/g>");
        }
        let e: Vec<QuadRef<'_>> = g.entities().collect();
        assert_eq!(
            e[0].graph_name,
            GraphNameRef::NamedNode(NamedNodeRef::new_unchecked(vocab::ENTITIES_GRAPH))
        );

        // Its N-Quads, each term encoded once, are Oxigraph's for its quads.
        let owned: Vec<_> = g.all().map(QuadRef::into_owned).collect();
        let mut expected = Vec::new();
        crate::sparql::export::write_quads(&owned, oxigraph::io::RdfFormat::NQuads, &mut expected)
            .unwrap();
        let mut written = Vec::new();
        g.append_nquads(&mut written);
        assert_eq!(
            String::from_utf8(written).unwrap(),
            String::from_utf8(expected).unwrap()
        );
    }

    #[test]
    fn dedup_keeps_the_first_of_each_in_place() {
        let t = |n: u32| [n, 0, n];
        assert_eq!(
            dedup(vec![t(3), t(1), t(3), t(2), t(1)]),
            vec![t(3), t(1), t(2)]
        );
    }
}
