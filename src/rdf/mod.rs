//! Model: an [`Article`] and its [`Extraction`] → RDF quads in the article's
//! named graph (whose name is the article's IRI). Entities get deterministic
//! IRIs ([`iri`]); every mention, observation and relation points to its
//! sentence and character offsets in the original text (NIF), so every fact
//! keeps its provenance.

pub mod graph;
pub mod iri;
pub mod metrics;
pub mod stamp;
pub mod vocab;

use std::borrow::Cow;

use oxigraph::model::{LiteralRef, NamedNode, NamedNodeRef};

pub use self::graph::{ArticleGraph, Object, Quads};
use self::graph::{Interner, Triple, dedup};
use self::vocab::{itsrdf, nif, org, owl, rdf, rdfs, schema, skos, xsd, zhkg};
use crate::extract::{
    Category, Entity, EntityKey, EntityKind, Extraction, Qualifier, RelationKind, numbers::decimal,
};
use crate::ingest::Article;

fn nn(iri: &str) -> NamedNodeRef<'_> {
    NamedNodeRef::new_unchecked(iri)
}

fn zh(s: &str) -> LiteralRef<'_> {
    LiteralRef::new_language_tagged_literal_unchecked(s, "zh")
}

fn text(s: &str) -> LiteralRef<'_> {
    LiteralRef::new_simple_literal(s)
}

fn typed<'a>(v: &'a str, dt: &'a str) -> LiteralRef<'a> {
    LiteralRef::new_typed_literal(v, nn(dt))
}

/// Collects triples: the article's own graph, and the shared graph of
/// entity descriptions, their terms numbered in one table.
struct Sink {
    terms: Interner,
    quads: Vec<Triple>,
    shared: Vec<Triple>,
}

impl Sink {
    fn add<'o>(&mut self, s: &NamedNode, p: &'static str, o: impl Into<Object<'o>>) {
        let t = self.terms.triple(s.as_str(), p, o.into());
        self.quads.push(t);
    }

    /// A triple that describes an entity the same way in every article
    /// (type, label, code, containment): it goes to the shared entities graph,
    /// so that it is stored once however many articles mention the entity.
    fn describe<'o>(&mut self, s: &NamedNode, p: &'static str, o: impl Into<Object<'o>>) {
        let t = self.terms.triple(s.as_str(), p, o.into());
        self.shared.push(t);
    }
}

/// The RDF classes of an entity.
pub fn classes(e: &Entity) -> Vec<&'static str> {
    match e.key.kind {
        EntityKind::Organization => {
            let mut v = vec![schema::ORGANIZATION];
            match e.category {
                Category::Government => v.push(schema::GOVERNMENT_ORGANIZATION),
                c if c.is_educational() => v.push(schema::COLLEGE_OR_UNIVERSITY),
                Category::Company => v.push(schema::CORPORATION),
                c if c.is_ngo() => v.push(schema::NGO),
                Category::Platform => v.push(zhkg::PLATFORM),
                _ => {}
            }
            v
        }
        EntityKind::Place => {
            if e.code().is_some() {
                vec![schema::ADMINISTRATIVE_AREA]
            } else if e.category == Category::Country {
                vec![schema::COUNTRY]
            } else if e.category == Category::WorldRegion {
                vec![schema::PLACE, zhkg::WORLD_REGION]
            } else if e.category == Category::Region {
                vec![schema::PLACE, zhkg::REGION]
            } else {
                vec![schema::PLACE, zhkg::VILLAGE]
            }
        }
        EntityKind::Programme => vec![zhkg::PROGRAMME],
        EntityKind::Document => {
            if e.label.ends_with("报告") {
                vec![zhkg::DOCUMENT, schema::REPORT]
            } else {
                vec![zhkg::DOCUMENT]
            }
        }
        EntityKind::Person => vec![schema::PERSON],
        EntityKind::Group => vec![zhkg::DESCRIBED_GROUP],
    }
}

fn relation_predicate(kind: RelationKind) -> (&'static str, bool) {
    // (predicate, swap): the triple is (object, p, subject) when swap is true.
    match kind {
        RelationKind::Operates => (zhkg::OPERATED_BY, true),
        RelationKind::Funds => (zhkg::FUNDED_BY, true),
        RelationKind::PartnerOf => (zhkg::PARTNER_OF, false),
        RelationKind::LocatedIn => (zhkg::LOCATED_IN, false),
        RelationKind::Publishes => (schema::PUBLISHER, true),
        RelationKind::Studies => (zhkg::STUDIES, false),
        RelationKind::DispatchedTo => (zhkg::DISPATCHED_TO, false),
        RelationKind::MemberOf => (org::MEMBER_OF, false),
        RelationKind::Trains => (zhkg::TRAINS, false),
        RelationKind::WorksFor => (schema::WORKS_FOR, false),
    }
}

fn qualifier_iri(q: Qualifier) -> &'static str {
    match q {
        Qualifier::Exact => zhkg::EXACT,
        Qualifier::Approximate => zhkg::APPROXIMATE,
        Qualifier::LowerBound => zhkg::LOWER_BOUND,
        Qualifier::UpperBound => zhkg::UPPER_BOUND,
    }
}

fn date_literal(s: &str) -> LiteralRef<'_> {
    match s.len() {
        10 => typed(s, xsd::DATE),
        7 => typed(s, xsd::G_YEAR_MONTH),
        4 => typed(s, xsd::G_YEAR),
        _ => text(s),
    }
}

/// The original words of a mention without pinyin annotations and with
/// full-width forms folded, when that differs from the simplified anchor
/// (開(kāi)化縣 → 開化縣 for 开化县).
fn traditional_form(original: &str, simplified: &str) -> Option<String> {
    use crate::ingest::normalize::{LOST, NormalizeStats, fold_width, strip_pinyin_and_mark_lost};
    let t = strip_pinyin_and_mark_lost(
        &crate::ingest::MappedText::from_original(original),
        &mut NormalizeStats::default(),
    );
    let t = fold_width(&t).to_string_lossless();
    (t != simplified && !t.contains(LOST) && t.chars().count() == simplified.chars().count())
        .then_some(t)
}

/// The article being written: its IRI and the IRIs of its sentences and
/// entities.
struct Doc<'a> {
    a: NamedNode,
    article: &'a Article,
    /// The IRI of each sentence, by index ([`iri::span`]).
    sentences: Vec<NamedNode>,
    /// The IRI of each entity of the extraction, encoded once: an entity is
    /// named by every mention, figure and relation about it.
    entities: rustc_hash::FxHashMap<&'a EntityKey, NamedNode>,
}

impl Doc<'_> {
    /// The IRI of sentence `n`.
    fn sentence(&self, n: usize) -> &NamedNode {
        &self.sentences[n]
    }

    /// The IRI of the entity `key` ([`iri::entity`]).
    fn entity(&self, key: &EntityKey) -> Cow<'_, NamedNode> {
        self.entities
            .get(key)
            .map_or_else(|| Cow::Owned(iri::entity(key)), Cow::Borrowed)
    }
}

/// The quads of one article: its named graph and its entity descriptions.
pub fn article_quads(article: &Article, ex: &Extraction) -> ArticleGraph {
    let a = iri::article(&article.id);
    let doc = Doc {
        sentences: ex
            .sentences
            .iter()
            .map(|s| iri::span(&a, article.text.original_span(s.range.clone())))
            .collect(),
        entities: ex.entities.keys().map(|k| (k, iri::entity(k))).collect(),
        a,
        article,
    };
    // Room for the quads up front (a few per mention, figure, relation and
    // sentence; a few per entity for the shared graph): an article has
    // hundreds, and growing a vector of quads one doubling at a time copies
    // them over and over.
    let facts = ex.mentions.len() + ex.observations.len() + ex.relations.len() + ex.sentences.len();
    let mut g = Sink {
        terms: Interner::with_capacity(
            64 + 3 * facts + 4 * ex.entities.len(),
            2 * article.original.len() + 128 * facts,
        ),
        quads: Vec::with_capacity(64 + 8 * facts),
        shared: Vec::with_capacity(8 * ex.entities.len()),
    };
    article_block(&mut g, &doc, ex);
    entity_descriptions(&mut g, &doc, ex);
    mentions(&mut g, &doc, ex);
    observations(&mut g, &doc, ex);
    dates(&mut g, &doc, ex);
    relations(&mut g, &doc, ex);
    // Last: only the sentences the blocks above tie a fact to.
    sentences(&mut g, &doc, ex);
    ArticleGraph::new(doc.a, g.terms.into_terms(), dedup(g.quads), dedup(g.shared))
}

/// The article node: its types, metadata, stamp and credits.
fn article_block(g: &mut Sink, doc: &Doc<'_>, ex: &Extraction) {
    let (a, article) = (&doc.a, doc.article);
    g.add(a, rdf::TYPE, nn(schema::NEWS_ARTICLE));
    g.add(a, rdf::TYPE, nn(nif::CONTEXT));
    g.add(a, schema::IDENTIFIER, text(article.id.as_str()));
    g.add(a, nif::IS_STRING, text(article.original.as_str()));
    g.add(a, schema::IN_LANGUAGE, text("zh"));
    g.add(
        a,
        zhkg::SCRIPT,
        text(if article.is_traditional() {
            "traditional"
        } else {
            "simplified"
        }),
    );
    g.add(
        a,
        zhkg::CONTENT_HASH,
        &stamp::Stamp::of(&article.content_hash).to_literal(),
    );
    g.add(a, zhkg::SOURCE_ENCODING, text(article.encoding));
    g.add(a, zhkg::SOURCE_FORMAT, text(article.format.as_str()));
    for w in &article.warnings {
        g.add(a, zhkg::READ_WARNING, text(w.as_str()));
    }
    if let Some(name) = article.path.as_ref().and_then(|p| p.file_name()) {
        g.add(a, zhkg::SOURCE_FILE, text(&name.to_string_lossy()));
    }
    let m = &article.meta;
    if let Some(t) = &m.title {
        g.add(a, schema::HEADLINE, zh(t));
    }
    if let Some(d) = &m.published {
        let dt = if d.has_time() {
            xsd::DATE_TIME
        } else {
            xsd::DATE
        };
        g.add(a, schema::DATE_PUBLISHED, typed(&d.to_xsd(), dt));
    }
    if let Some(u) = &m.url {
        g.add(a, schema::URL, text(u.as_str()));
    }
    for c in &m.categories {
        g.add(a, schema::KEYWORDS, text(c.as_str()));
    }
    if let Some(key) = &ex.credits.publisher {
        g.add(a, schema::PUBLISHER, &doc.entity(key));
        if let Some(c) = &ex.credits.channel {
            g.add(a, zhkg::CHANNEL, zh(c));
        }
    }
    for (keys, prop) in [
        (&ex.credits.authors, schema::AUTHOR),
        (&ex.credits.editors, schema::EDITOR),
    ] {
        for key in keys {
            g.add(a, prop, &doc.entity(key));
        }
    }
}

/// The sentences that hold a fact (a mention, an outcome, a date or a
/// relation points to them with `nif:sentence`), as NIF strings whose IRI
/// carries their offsets into the original text. The others are left out:
/// nothing refers to them, and the article's text is in its `nif:isString`.
fn sentences(g: &mut Sink, doc: &Doc<'_>, ex: &Extraction) {
    let Some(sentence_prop) = g.terms.find_node(nif::SENTENCE_PROP) else {
        return;
    };
    let held: rustc_hash::FxHashSet<u32> = g
        .quads
        .iter()
        .filter(|[_, p, _]| *p == sentence_prop)
        .map(|[_, _, o]| *o)
        .collect();
    for (s, si) in ex.sentences.iter().zip(&doc.sentences) {
        if !g
            .terms
            .find_node(si.as_str())
            .is_some_and(|i| held.contains(&i))
        {
            continue;
        }
        g.add(si, rdf::TYPE, nn(nif::SENTENCE));
        g.add(si, nif::REFERENCE_CONTEXT, &doc.a);
        g.add(
            si,
            nif::ANCHOR_OF,
            text(&doc.article.text.slice(s.range.clone())),
        );
    }
}

/// Each entity's description: types, labels and kind-specific links (shared across articles where it is the same).
fn entity_descriptions(g: &mut Sink, doc: &Doc<'_>, ex: &Extraction) {
    for e in ex.entities.values() {
        let s = doc.entity(&e.key);
        for c in classes(e) {
            g.describe(&s, rdf::TYPE, nn(c));
        }
        g.describe(&s, rdfs::LABEL, zh(&e.label));
        for alias in &e.aliases {
            if alias != &e.label {
                g.add(&s, skos::ALT_LABEL, zh(alias));
            }
        }
        match e.key.kind {
            EntityKind::Place => {
                if let Some(code) = e.code() {
                    g.describe(&s, zhkg::DIVISION_CODE, text(&format!("{code:06}")));
                    let level = crate::lexicon::LEXICON
                        .divisions
                        .get(code)
                        .map(|d| d.level.as_str())
                        .unwrap_or("county");
                    g.describe(&s, zhkg::LEVEL, text(level));
                }
                g.describe(&s, zhkg::CATEGORY, text(e.category.as_str()));
                if let Some(p) = &e.parent {
                    g.describe(&s, schema::CONTAINED_IN_PLACE, &doc.entity(p));
                }
            }
            EntityKind::Organization => {
                g.describe(&s, zhkg::CATEGORY, text(e.category.as_str()));
                if let Some(p) = &e.parent {
                    g.describe(&s, org::SUB_ORGANIZATION_OF, &doc.entity(p));
                }
                if let Some(p) = &e.place {
                    g.add(&s, zhkg::LOCATED_IN, &doc.entity(p));
                }
            }
            EntityKind::Programme | EntityKind::Document => {
                g.describe(&s, zhkg::PROGRAMME_KIND, text(e.category.as_str()));
                if let Some(p) = &e.place {
                    g.add(&s, zhkg::LOCATED_IN, &doc.entity(p));
                }
            }
            EntityKind::Person => {
                if let Some(r) = e.role() {
                    g.add(&s, zhkg::ROLE, zh(r));
                }
                if let Some(aff) = e.affiliation() {
                    g.add(&s, schema::AFFILIATION, &doc.entity(aff));
                }
                if let Some(p) = &e.place {
                    g.add(&s, zhkg::LOCATED_IN, &doc.entity(p));
                }
            }
            EntityKind::Group => {}
        }
        if let Some(q) = e.wikidata() {
            g.describe(&s, owl::SAME_AS, nn(&format!("{}{q}", vocab::WIKIDATA)));
        }
    }
}

/// Each mention: its words, the entity it names and its sentence. Its IRI
/// carries its offsets ([`iri::span`]); its article is its sentence's.
fn mentions(g: &mut Sink, doc: &Doc<'_>, ex: &Extraction) {
    let original_index = doc.article.original_index();
    for mention in &ex.mentions {
        let mi = iri::span(&doc.a, mention.span);
        let target = doc.entity(&mention.entity);
        g.add(&mi, nif::SENTENCE_PROP, doc.sentence(mention.sentence));
        g.add(&mi, nif::ANCHOR_OF, text(mention.text.as_str()));
        let original = original_index.slice(&mention.span).to_owned();
        if original != mention.text {
            // The traditional form, pinyin removed, is an alternative label.
            if let Some(hant) = traditional_form(&original, &mention.text) {
                g.add(
                    &target,
                    skos::ALT_LABEL,
                    LiteralRef::new_language_tagged_literal_unchecked(&hant, "zh-Hant"),
                );
            }
            g.add(&mi, zhkg::ORIGINAL_TEXT, text(&original));
        }
        g.add(&mi, itsrdf::TA_IDENT_REF, &target);
        g.add(&target, zhkg::MENTIONED_IN, &doc.a);
    }
}

/// Each outcome: subject, metric, value, unit, qualifier, flags, date and words.
fn observations(g: &mut Sink, doc: &Doc<'_>, ex: &Extraction) {
    for o in &ex.observations {
        // Named by the offsets of its words, like a mention: the words are
        // the NIF string the outcome annotates.
        let oi = iri::span(&doc.a, o.span);
        // One type: zhkg:Outcome is a qb:Observation by the ontology.
        g.add(&oi, rdf::TYPE, nn(zhkg::OUTCOME));
        if o.context {
            g.add(&oi, rdf::TYPE, nn(zhkg::CONTEXT_FIGURE));
        }
        if let Some(s) = &o.subject {
            g.add(&oi, zhkg::SUBJECT, &doc.entity(s));
        } else {
            g.add(&oi, zhkg::SUBJECT_UNKNOWN, typed("true", xsd::BOOLEAN));
        }
        g.add(&oi, zhkg::METRIC, &iri::metric(o.metric.name()));
        g.add(
            &oi,
            zhkg::VALUE,
            typed(&decimal(o.quantity.value), xsd::DECIMAL),
        );
        if let Some(max) = o.quantity.max {
            g.add(&oi, zhkg::MAX_VALUE, typed(&decimal(max), xsd::DECIMAL));
        }
        g.add(&oi, zhkg::UNIT, &iri::unit(o.quantity.unit));
        g.add(
            &oi,
            zhkg::QUALIFIER,
            nn(qualifier_iri(o.quantity.qualifier)),
        );
        if let Some(d) = &o.as_of {
            g.add(&oi, zhkg::AS_OF, date_literal(d));
        }
        if o.target {
            g.add(&oi, zhkg::IS_TARGET, typed("true", xsd::BOOLEAN));
        }
        g.add(&oi, nif::ANCHOR_OF, text(o.text.as_str()));
        // The article is the sentence's nif:referenceContext.
        g.add(&oi, nif::SENTENCE_PROP, doc.sentence(o.sentence));
    }
}

/// The dates written in the text, named by their offsets like mentions.
fn dates(g: &mut Sink, doc: &Doc<'_>, ex: &Extraction) {
    for d in &ex.dates {
        let di = iri::span(&doc.a, doc.article.text.original_span(d.range.clone()));
        g.add(&di, rdf::TYPE, nn(zhkg::TEMPORAL_EXPRESSION));
        g.add(&di, nif::SENTENCE_PROP, doc.sentence(d.sentence));
        g.add(
            &di,
            nif::ANCHOR_OF,
            text(&doc.article.text.slice(d.range.clone())),
        );
        g.add(&di, zhkg::DATE, date_literal(&d.date));
        if d.year_inferred {
            g.add(&di, zhkg::YEAR_INFERRED, typed("true", xsd::BOOLEAN));
        }
    }
}

/// Relations: the direct triple plus a reified assertion with its evidence.
fn relations(g: &mut Sink, doc: &Doc<'_>, ex: &Extraction) {
    for (n, r) in ex.relations.iter().enumerate() {
        let (p, swap) = relation_predicate(r.kind);
        let (s, o) = if swap {
            (&r.object, &r.subject)
        } else {
            (&r.subject, &r.object)
        };
        let (si, oi) = (doc.entity(s), doc.entity(o));
        g.add(&si, p, &oi);
        let ri = iri::relation(&doc.article.id, n);
        g.add(&ri, rdf::TYPE, nn(zhkg::RELATION_ASSERTION));
        g.add(&ri, rdf::SUBJECT, &si);
        g.add(&ri, rdf::PREDICATE, nn(p));
        g.add(&ri, rdf::OBJECT, &oi);
        g.add(&ri, nif::SENTENCE_PROP, doc.sentence(r.sentence));
        g.add(
            &ri,
            zhkg::CONFIDENCE,
            typed(&decimal(f64::from(r.confidence)), xsd::DECIMAL),
        );
        if let Some(t) = &r.trigger {
            g.add(&ri, zhkg::TRIGGER, zh(t));
        }
        // The date of the event, when its sentence gives exactly one.
        let mut dates = ex.dates.iter().filter(|d| d.sentence == r.sentence);
        if let (Some(d), None) = (dates.next(), dates.next()) {
            g.add(&ri, zhkg::DATE, date_literal(&d.date));
        }
    }
}
