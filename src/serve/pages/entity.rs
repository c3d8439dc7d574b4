//! The page of an entity (`/id/place/130529`, `/id/org/…`,
//! `/id/programme/…`, `/id/person/…`), and its description as RDF.
//!
//! Everything starts from the entity's IRI, as the lookup queries
//! (`queries/county.rq`, `organisation.rq`, `programme.rq`, `person.rq`)
//! do: its description in the entities graph, its facts in the facts graph
//! (each once, however many articles state it), its outcomes by the index
//! of `zhkg:subject`, and for each fact one relation assertion of an
//! article that states it, whose sentence is quoted from the article's own
//! text with the words marked. Every list is capped; a cap that bites is
//! said on the page.

use std::collections::HashSet;

use maud::{Markup, html};
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, Term, Triple};

use super::chart;
use super::layout::{Kind, Mark, entity_link, legend, page, path_of};
use super::read::{Read, Reader, chars, entities, facts, graph, iri_ref, lexical, n, node, number};
use super::{Made, PageContext, Want};
use crate::ingest::OriginalSpan;
use crate::lexicon::metrics::Metric;
use crate::rdf::iri::span_of;
use crate::rdf::vocab::{
    FACTS_GRAPH, METRIC, RESOLVED_GRAPH, itsrdf, nif, org, owl, rdf, schema, skos, zhkg,
};

/// The most related entities listed (each way).
pub const MAX_RELATED: usize = 300;
/// The most facts whose evidence is looked up on one page.
pub const MAX_EVIDENCE: usize = 60;
/// The most outcomes shown.
pub const MAX_OUTCOMES: usize = 100;

/// The most months a timeline shows (the latest).
pub const MAX_MONTHS: usize = 120;
/// The most articles listed under "mentioned in".
pub const MAX_ARTICLES: usize = 30;
/// The most sub-divisions or units listed.
pub const MAX_PARTS: usize = 300;

/// Facts of the facts graph shown in the entity's head, not as relations.
const HEAD_FACTS: [&str; 3] = [skos::ALT_LABEL, zhkg::ARTICLE_COUNT, zhkg::ROLE];

/// How a relation reads from its subject and from its object.
fn relation_names(p: &str) -> (&'static str, &'static str) {
    match p {
        zhkg::OPERATED_BY => ("run by", "runs"),
        zhkg::FUNDED_BY => ("funded by", "funds"),
        zhkg::PARTNER_OF => ("partner of", "partner of"),
        zhkg::LOCATED_IN => ("located in", "located here"),
        zhkg::STUDIES => ("studies", "studied by"),
        zhkg::DISPATCHED_TO => ("dispatched to", "dispatched here"),
        zhkg::TRAINS => ("trains", "trained by"),
        org::MEMBER_OF => ("member of", "has member"),
        schema::WORKS_FOR => ("works for", "employs"),
        schema::AFFILIATION => ("affiliated with", "affiliated person"),
        schema::PUBLISHER => ("published by", "publishes"),
        _ => ("related to", "related to"),
    }
}

/// Answers at an entity's address: its page or its description as RDF;
/// `None` when the graph has no such entity.
pub fn answer(cx: &PageContext<'_>, iri: &str, want: Want) -> Read<Option<Made>> {
    let mut r = Reader::new(cx.store, cx.token);
    let described = r.props(n(iri), entities(), 256)?;
    if described.is_empty() && r.props(n(iri), facts(), 1)?.is_empty() {
        return Ok(None);
    }
    Ok(Some(match want {
        Want::Rdf(f) => Made::Rdf(description(&r, iri, cx.max_rows)?, f),
        Want::Html => Made::Html(render(&mut r, iri, &described)?),
    }))
}

/// The entity's description and facts as triples: what the entities, facts
/// and resolved graphs say about it, and the facts that point to it.
pub fn description(r: &Reader<'_>, iri: &str, max: usize) -> Read<Vec<Triple>> {
    let node = n(iri);
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let mut push = |t: Triple| {
        if seen.insert(t.clone()) {
            out.push(t);
        }
    };
    for g in [entities(), facts(), graph(RESOLVED_GRAPH)] {
        for q in r.quads(Some(node), None, None, Some(g), max + 1)? {
            push(q.into());
        }
    }
    for g in [facts(), graph(RESOLVED_GRAPH)] {
        for q in r.quads(None, None, Some(node.into()), Some(g), max + 1)? {
            push(q.into());
        }
    }
    Ok(out)
}

/// A sentence that states a fact, and the words to mark in it.
#[derive(Debug, Clone)]
pub struct Evidence {
    /// The article (its graph).
    pub article: NamedNode,
    /// The sentence (its IRI carries its offsets).
    pub sentence: NamedNode,
    /// The words to mark, with their class (offsets in the article).
    pub words: Vec<(OriginalSpan, &'static str)>,
}

/// The mentions of `targets` in `sentence` of the graph `g`.
fn mentions_in(
    r: &Reader<'_>,
    sentence: &NamedNode,
    g: GraphNameRef<'_>,
    targets: &[NamedNodeRef<'_>],
) -> Read<Vec<(OriginalSpan, &'static str)>> {
    let mut out = Vec::new();
    for q in r.quads(
        None,
        Some(n(nif::SENTENCE_PROP)),
        Some(sentence.as_ref().into()),
        Some(g),
        500,
    )? {
        let oxigraph::model::NamedOrBlankNode::NamedNode(m) = &q.subject else {
            continue;
        };
        for t in targets {
            if r.has(m.as_ref(), n(itsrdf::TA_IDENT_REF), (*t).into(), g)?
                && let Some(span) = span_of(m.as_str())
            {
                out.push((
                    span,
                    Kind::of_iri(t.as_str()).map_or("group", Kind::segment),
                ));
            }
        }
    }
    Ok(out)
}

/// One sentence of an article that asserts `s p o` (a relation assertion
/// with that subject, predicate and object), with the mentions of `s` and
/// `o` in it.
pub fn evidence(
    r: &Reader<'_>,
    s: NamedNodeRef<'_>,
    p: NamedNodeRef<'_>,
    o: NamedNodeRef<'_>,
) -> Read<Option<Evidence>> {
    let (Some(si), Some(pi), Some(oi)) = (
        iri_ref(s.as_str()),
        iri_ref(p.as_str()),
        iri_ref(o.as_str()),
    ) else {
        return Ok(None);
    };
    // A join on term ids: no assertion is decoded but the one found.
    let rows = r.select(
        &format!(
            "SELECT ?g ?s WHERE {{ GRAPH ?g {{ ?ra rdf:subject {si} ; rdf:predicate {pi} ; rdf:object {oi} ; nif:sentence ?s }} }} LIMIT 1"
        ),
                1,
    )?;
    let Some([Some(Term::NamedNode(g)), Some(Term::NamedNode(sentence))]) = rows
        .into_iter()
        .next()
        .and_then(|row| <[Option<Term>; 2]>::try_from(row).ok())
    else {
        return Ok(None);
    };
    let words = mentions_in(r, &sentence, GraphNameRef::NamedNode(g.as_ref()), &[s, o])?;
    Ok(Some(Evidence {
        article: g,
        sentence,
        words,
    }))
}

/// The sentence of `ev`, quoted from its article's original text with its
/// words marked, and a link to the article at the first of them.
pub fn quote(r: &mut Reader<'_>, ev: &Evidence) -> Read<Markup> {
    let Some(sentence) = span_of(ev.sentence.as_str()) else {
        return Ok(html! {});
    };
    let Some(text) = r.original(ev.article.as_str())? else {
        return Ok(html! {});
    };
    let Some(sentence_chars) = text.slice(sentence) else {
        return Ok(html! {});
    };
    let mut marks: Vec<Mark> = ev
        .words
        .iter()
        .filter(|(w, _)| w.start >= sentence.start && w.end <= sentence.end)
        .map(|(w, class)| Mark {
            range: chars(OriginalSpan::new(
                w.start - sentence.start,
                w.end - sentence.start,
            )),
            class,
            href: None,
            title: String::new(),
            anchor: Some(*w),
            id: false,
        })
        .collect();
    let at = ev.words.first().map_or(sentence, |(w, _)| *w);
    let title = r.label(ev.article.as_str())?;
    let href = path_of(ev.article.as_str())
        .map(|p| format!("{p}#char={},{}", at.start, at.end))
        .unwrap_or_default();
    Ok(html! {
        blockquote { (super::layout::marked(sentence_chars, &mut marks)) }
        span.muted { "— " a.source href=(href) { (title) } }
    })
}

/// A related entity on the page.
struct Related {
    name: &'static str,
    iri: String,
    label: String,
    detail: String,
    /// The fact: subject, predicate, object.
    fact: (NamedNode, NamedNode, NamedNode),
    evidence: Option<Evidence>,
}

/// A short description of an entity for lists: a person's roles, an
/// organisation's category, a programme's kind, a place's code.
fn detail(r: &Reader<'_>, iri: &str) -> Read<String> {
    let e = n(iri);
    let mut parts: Vec<String> = Vec::new();
    for t in r.objects(e, zhkg::ROLE, facts(), 4)? {
        parts.extend(lexical(&t).map(str::to_owned));
    }
    for p in [zhkg::CATEGORY, zhkg::PROGRAMME_KIND, zhkg::DIVISION_CODE] {
        if let Some(v) = r.literal(e, p, entities())? {
            parts.push(v);
        }
    }
    Ok(parts.join(", "))
}

/// Literal values with their language, for aliases.
fn literals(terms: &[Term]) -> Vec<(String, String)> {
    terms
        .iter()
        .filter_map(|t| match t {
            Term::Literal(l) => Some((
                l.value().to_owned(),
                l.language().unwrap_or_default().to_owned(),
            )),
            _ => None,
        })
        .collect()
}

/// A chain of parents by `p` in the entities graph (`containedInPlace`,
/// `subOrganizationOf`), nearest first.
fn chain(r: &Reader<'_>, iri: &str, p: &str) -> Read<Vec<String>> {
    let mut out = Vec::new();
    let mut at = iri.to_owned();
    while out.len() < 8 {
        let Some(up) = r.object(n(&at), p, entities())?.as_ref().and_then(node) else {
            break;
        };
        if up.as_str() == iri || out.iter().any(|o: &String| o == up.as_str()) {
            break;
        }
        at = up.as_str().to_owned();
        out.push(at.clone());
    }
    Ok(out)
}

fn render(r: &mut Reader<'_>, iri: &str, described: &[(NamedNode, Term)]) -> Read<Markup> {
    let e = n(iri);
    let kind = Kind::of_iri(iri);
    let label = r.label(iri)?;
    let value = |p: &str| {
        described
            .iter()
            .find(|(q, _)| q.as_str() == p)
            .and_then(|(_, t)| lexical(t))
            .map(str::to_owned)
    };
    let types: Vec<String> = described
        .iter()
        .filter(|(p, _)| p.as_str() == rdf::TYPE)
        .filter_map(|(_, t)| node(t))
        .map(|t| super::layout::fallback_label(t.as_str()))
        .collect();
    let mut aliases = literals(&r.objects(e, skos::ALT_LABEL, facts(), 100)?);
    aliases.extend(literals(&r.objects(
        e,
        skos::ALT_LABEL,
        graph(RESOLVED_GRAPH),
        100,
    )?));
    aliases.sort();
    aliases.dedup();
    let roles = literals(&r.objects(e, zhkg::ROLE, facts(), 20)?);
    let article_count = r.literal(e, zhkg::ARTICLE_COUNT, facts())?;
    let wikidata: Vec<NamedNode> = described
        .iter()
        .filter(|(p, _)| p.as_str() == owl::SAME_AS)
        .filter_map(|(_, t)| node(t))
        .collect();

    // Up and down: divisions for places, parent organisations and units.
    let (up_p, up_name, down_name) = match kind {
        Some(Kind::Place) => (
            schema::CONTAINED_IN_PLACE,
            "division chain",
            "divisions in it",
        ),
        _ => (org::SUB_ORGANIZATION_OF, "part of", "units"),
    };
    let mut ups = Vec::new();
    for u in chain(r, iri, up_p)? {
        let l = r.label(&u)?;
        ups.push((u, l));
    }
    let mut downs = Vec::new();
    let parts = r.subjects(up_p, e.into(), entities(), MAX_PARTS + 1)?;
    let more_parts = parts.len() > MAX_PARTS;
    for d in parts.into_iter().take(MAX_PARTS) {
        let l = r.label(d.as_str())?;
        downs.push((d.as_str().to_owned(), l));
    }
    downs.sort_by(|a, b| a.1.cmp(&b.1));
    let mut variants = Vec::new();
    for q in r.quads(
        Some(e),
        Some(n(owl::SAME_AS)),
        None,
        Some(graph(RESOLVED_GRAPH)),
        50,
    )? {
        if let Some(v) = node(&q.object) {
            variants.push(v);
        }
    }
    variants.extend(r.subjects(owl::SAME_AS, e.into(), graph(RESOLVED_GRAPH), 50)?);
    let mut variant_rows = Vec::new();
    for v in variants {
        let l = r.label(v.as_str())?;
        variant_rows.push((v, l));
    }
    let variants = variant_rows;

    // Facts, each way, from the facts graph.
    let mut related = Vec::new();
    let out_facts: Vec<_> = r
        .quads(Some(e), None, None, Some(facts()), MAX_RELATED + 10)?
        .into_iter()
        .filter(|q| !HEAD_FACTS.contains(&q.predicate.as_str()))
        .collect();
    let in_facts = r.quads(None, None, Some(e.into()), Some(facts()), MAX_RELATED + 1)?;
    let more_related = out_facts.len() > MAX_RELATED || in_facts.len() > MAX_RELATED;
    for (outgoing, q) in out_facts
        .iter()
        .take(MAX_RELATED)
        .map(|q| (true, q))
        .chain(in_facts.iter().take(MAX_RELATED).map(|q| (false, q)))
    {
        let other = if outgoing {
            node(&q.object)
        } else {
            match &q.subject {
                oxigraph::model::NamedOrBlankNode::NamedNode(s) => Some(s.clone()),
                _ => None,
            }
        };
        let (Some(other), oxigraph::model::NamedOrBlankNode::NamedNode(s)) = (other, &q.subject)
        else {
            continue;
        };
        let o = if outgoing {
            other.clone()
        } else {
            NamedNode::new_unchecked(iri)
        };
        let (name_out, name_in) = relation_names(q.predicate.as_str());
        related.push(Related {
            name: if outgoing { name_out } else { name_in },
            label: r.label(other.as_str())?,
            detail: detail(r, other.as_str())?,
            iri: other.as_str().to_owned(),
            fact: (s.clone(), q.predicate.clone(), o),
            evidence: None,
        });
    }
    related.sort_by(|a, b| (a.name, &a.label).cmp(&(b.name, &b.label)));
    // The stating sentences of the first facts in the order shown.
    let shown: Vec<_> = related
        .iter()
        .take(MAX_EVIDENCE)
        .map(|rel| rel.fact.clone())
        .collect();
    let found = r.each_in_parallel(&shown, |r, (s, p, o)| {
        evidence(r, s.as_ref(), p.as_ref(), o.as_ref())
    })?;
    for (rel, ev) in related.iter_mut().zip(found) {
        rel.evidence = ev;
    }

    // Outcomes about the entity, and for a place about what is located in it.
    // One query counts them and one lists the first, joined on term ids
    // (a county's dozens of located entities, each with its figures).
    let mut found = Vec::new();
    let mut total = 0;
    let mut by_metric: Vec<(String, usize, String, String)> = Vec::new();
    let mut dates: Vec<(String, u64)> = Vec::new();
    if let Some(x) = iri_ref(iri) {
        let subjects = if kind == Some(Kind::Place) {
            format!(
                "{{ VALUES ?s {{ {x} }} }} UNION {{ GRAPH <{FACTS_GRAPH}> {{ ?s zhkg:locatedIn {x} }} }}"
            )
        } else {
            format!("VALUES ?s {{ {x} }}")
        };
        let pattern = format!("{subjects} GRAPH ?g {{ ?o zhkg:subject ?s }}");
        // All of them by metric, from the figure summaries the facts graph
        // keeps per entity and metric (a county's thousands of figures are
        // a few hundred summaries).
        for row in r.select(
            &format!(
                "SELECT ?m (SUM(?c) AS ?n) (MIN(?l) AS ?low) (MAX(?h) AS ?high) WHERE {{ {subjects} GRAPH <{FACTS_GRAPH}> {{ ?f zhkg:summarises ?s ; zhkg:metric ?m ; zhkg:figureCount ?c ; zhkg:lowestValue ?l ; zhkg:highestValue ?h }} }} GROUP BY ?m ORDER BY DESC(?n) ?m"
            ),
            1000,
        )? {
            let text = |i: usize| row.get(i).and_then(Option::as_ref).and_then(lexical).unwrap_or("").to_owned();
            let metric = row
                .first()
                .and_then(Option::as_ref)
                .and_then(node)
                .and_then(|m| m.as_str().strip_prefix(METRIC).map(str::to_owned))
                .unwrap_or_default();
            let n = number(row.get(1));
            total += n;
            by_metric.push((metric, n, text(2), text(3)));
        }
        // The dated figures, counted by month, for the timeline: from the
        // month summaries of the facts graph.
        for row in r.select(
            &format!(
                "SELECT ?d (SUM(?c) AS ?n) WHERE {{ {subjects} GRAPH <{FACTS_GRAPH}> {{ ?f zhkg:summarises ?s ; zhkg:month ?d ; zhkg:figureCount ?c }} }} GROUP BY ?d"
            ),
            5000,
        )? {
            if let Some(d) = row.first().and_then(Option::as_ref).and_then(lexical) {
                dates.push((d.to_owned(), number(row.get(1)) as u64));
            }
        }
        for row in r.select(
            &format!("SELECT ?o ?g WHERE {{ {pattern} }} LIMIT {MAX_OUTCOMES}"),
            MAX_OUTCOMES,
        )? {
            if let [Some(Term::NamedNode(o)), Some(Term::NamedNode(g))] = row.as_slice() {
                found.push((o.clone(), g.clone()));
            }
        }
    }
    let mut outcomes = r.each_in_parallel(&found, |r, (o, g)| r.outcome(o, g))?;
    outcomes.sort_by(|a, b| {
        (
            a.family().map(|f| f.as_str()),
            &a.metric,
            &a.as_of,
            a.iri.as_str(),
        )
            .cmp(&(
                b.family().map(|f| f.as_str()),
                &b.metric,
                &b.as_of,
                b.iri.as_str(),
            ))
    });
    // Each figure's sentence and the words to mark in it, then the texts
    // and titles of the articles quoted and the labels of the subjects,
    // read several at once.
    let sources = r.each_in_parallel(&outcomes, |r, o| {
        let (Some(sentence), Some(span)) = (&o.sentence, o.span()) else {
            return Ok(None);
        };
        let g = GraphNameRef::NamedNode(o.article.as_ref());
        let mut words = vec![(span, "figure")];
        if let Some(s) = &o.subject {
            words.extend(mentions_in(r, sentence, g, &[s.as_ref()])?);
        }
        Ok(Some(Evidence {
            article: o.article.clone(),
            sentence: sentence.clone(),
            words,
        }))
    })?;
    let quoted: Vec<NamedNode> = sources
        .iter()
        .flatten()
        .chain(related.iter().filter_map(|rel| rel.evidence.as_ref()))
        .map(|ev| ev.article.clone())
        .collect();
    let subjects: Vec<NamedNode> = outcomes.iter().filter_map(|o| o.subject.clone()).collect();
    r.prefetch(&quoted, &subjects)?;
    let mut outcome_rows = Vec::new();
    for (o, source) in outcomes.iter().zip(&sources) {
        let about = match &o.subject {
            Some(s) if s.as_str() != iri => Some((s.as_str().to_owned(), r.label(s.as_str())?)),
            _ => None,
        };
        let source = match source {
            Some(ev) => quote(r, ev)?,
            None => html! {},
        };
        outcome_rows.push((o, about, source));
    }

    // The articles that mention it.
    let mut articles = Vec::new();
    for q in r.quads(
        Some(e),
        Some(n(zhkg::MENTIONED_IN)),
        None,
        None,
        MAX_ARTICLES,
    )? {
        if let Some(a) = node(&q.object) {
            let title = r.label(a.as_str())?;
            let date = r.literal(a.as_ref(), schema::DATE_PUBLISHED, graph(a.as_str()))?;
            articles.push((a, title, date));
        }
    }
    let mut quotes = Vec::new();
    for rel in &related {
        quotes.push(match &rel.evidence {
            Some(ev) => quote(r, ev)?,
            None => html! {},
        });
    }

    // Charts: the figures by metric family, and the dated ones by month.
    let mut by_family = std::collections::BTreeMap::new();
    for (m, n, _, _) in &by_metric {
        *by_family
            .entry(Metric::named(m).and_then(Metric::family))
            .or_insert(0u64) += *n as u64;
    }
    let family_chart = chart::bars(
        "chart-families",
        &format!("Figures about {label} by metric family"),
        &chart::family_keys(),
        &chart::family_bars(&by_family),
    );
    let timeline = chart::columns(
        "chart-timeline",
        &format!("Dated figures about {label}, by month"),
        "figures",
        &chart::by_month(&dates, MAX_MONTHS),
    );

    let kind_name = kind.map_or("entity", Kind::name);
    Ok(page(
        &label,
        html! {
            h1 { (label) span.kind { (kind_name) } }
            p.iri { (iri) }
            table.head {
                @if !types.is_empty() { tr { th { "types" } td { (types.join(", ")) } } }
                @if let Some(c) = value(zhkg::DIVISION_CODE) { tr { th { "division code" } td #code { (c) } } }
                @if let Some(l) = value(zhkg::LEVEL) { tr { th { "level" } td { (l) } } }
                @if let Some(c) = value(zhkg::CATEGORY) { tr { th { "category" } td { (c) } } }
                @if let Some(c) = value(zhkg::PROGRAMME_KIND) { tr { th { "kind" } td { (c) } } }
                @if !roles.is_empty() {
                    tr { th { "roles" } td { @for (i, (v, _)) in roles.iter().enumerate() { @if i > 0 { ", " } (v) } } }
                }
                @if !aliases.is_empty() {
                    tr { th { "also written" } td #aliases {
                        @for (i, (v, lang)) in aliases.iter().enumerate() {
                            @if i > 0 { ", " }
                            span.alias lang=(lang) { (v) }
                        }
                    } }
                }
                @if !ups.is_empty() {
                    tr { th { (up_name) } td #up {
                        @for (i, (u, l)) in ups.iter().enumerate() {
                            @if i > 0 { " ‹ " }
                            (entity_link(u, l, false))
                        }
                    } }
                }
                @if !variants.is_empty() {
                    tr { th { "same programme as" } td {
                        @for (i, (v, l)) in variants.iter().enumerate() {
                            @if i > 0 { ", " }
                            (entity_link(v.as_str(), l, false))
                        }
                    } }
                }
                @for w in &wikidata {
                    tr { th { "same as" } td {
                        // Only web addresses are links (a loaded graph may hold any IRI).
                        @if w.as_str().starts_with("http://") || w.as_str().starts_with("https://") {
                            a href=(w.as_str()) rel="external noreferrer" { (w.as_str()) }
                        } @else {
                            (w.as_str())
                        }
                    } }
                }
                @if let Some(c) = &article_count { tr { th { "articles" } td #article-count { (c) } } }
            }
            @if family_chart.is_some() || timeline.is_some() {
                h2 #charts { "Figures at a glance" }
                div style="display:flex;flex-wrap:wrap;gap:1em" {
                    @if let Some(c) = &family_chart { figure style="flex:1 1 30em;margin:0" { (c) figcaption.muted { "Figures by metric family (details under Outcomes)." } } }
                    @if let Some(c) = &timeline { figure style="flex:1 1 30em;margin:0" { (c) figcaption.muted { "Figures by the month they are dated (their as-of date)." } } }
                }
            }
            @if !downs.is_empty() {
                h2 { (down_name) }
                p #down {
                    @for (i, (d, l)) in downs.iter().enumerate() {
                        @if i > 0 { ", " }
                        (entity_link(d, l, false))
                    }
                    @if more_parts { " … (the first " (MAX_PARTS) ")" }
                }
            }
            h2 { "Related" }
            @if related.is_empty() {
                p.muted { "No relation is recorded." }
            } @else {
                @if more_related { p.muted { "Only the first " (MAX_RELATED) " facts each way are listed." } }
                @if related.len() > MAX_EVIDENCE { p.muted { "The stating sentence is shown for the first " (MAX_EVIDENCE) " facts." } }
                table #related {
                    tr { th { "relation" } th { "entity" } th { "detail" } th { "stated in" } }
                    @for (rel, q) in related.iter().zip(&quotes) {
                        tr {
                            td { (rel.name) }
                            td { (entity_link(&rel.iri, &rel.label, true)) }
                            td { (rel.detail) }
                            td { (q) }
                        }
                    }
                }
            }
            h2 #outcomes { "Outcomes" }
            @if outcome_rows.is_empty() {
                p.muted { "No figure is recorded about it." }
            } @else {
                p.muted {
                    (total) " figures"
                    @if kind == Some(Kind::Place) { " about it and what is located in it" }
                    @if total > outcome_rows.len() { "; the first " (outcome_rows.len()) " are shown" }
                    "."
                }
                table #by-metric {
                    tr { th { "metric" } th { "family" } th { "figures" } th { "lowest" } th { "highest" } }
                    @for (m, n, low, high) in &by_metric {
                        @let def = Metric::named(m);
                        tr {
                            td { @if let Some(d) = def { (d.def().label_zh) " " } span.muted { (m) } }
                            td { (def.and_then(Metric::family).map_or("", |f| f.as_str())) }
                            td.num { (n) }
                            td.num { (low) }
                            td.num { (high) }
                        }
                    }
                }
                p.muted { "Each figure with its sentence" @if total > outcome_rows.len() { " (the first " (outcome_rows.len()) ")" } ":" }
                (legend())
                table #outcomes {
                    tr { th { "metric" } th { "family" } th { "value" } th { "unit" } th { "qualifier" } th { "date" } th { "about" } th { "source" } }
                    @for (o, about, source) in &outcome_rows {
                        tr {
                            td {
                                @if let Some(m) = o.metric_def() { (m.def().label_zh) br; span.muted { (o.metric) } } @else { (o.metric) }
                            }
                            td { (o.family().map_or("", |f| f.as_str())) }
                            td.num { (o.value_text()) }
                            td { (o.unit_text()) }
                            td { (o.qualifier_text()) @if o.target { " (target)" } }
                            td { (o.as_of.as_deref().unwrap_or("")) }
                            td { @if let Some((a, l)) = about { (entity_link(a, l, true)) } }
                            td { (source) }
                        }
                    }
                }
            }
            h2 { "Mentioned in" }
            ul #articles.flat {
                @for (a, title, date) in &articles {
                    li {
                        a href=[path_of(a.as_str())] { (title) }
                        @if let Some(d) = date { " " span.muted { (d.get(..10).unwrap_or(d)) } }
                    }
                }
            }
            @if let Some(c) = &article_count {
                @if c.parse::<usize>().is_ok_and(|c| c > articles.len()) {
                    p.muted { "The first " (articles.len()) " of " (c) " articles." }
                }
            }
            p.muted {
                "As RDF: "
                @if let Some(p) = path_of(iri) { code { "curl -H 'Accept: text/turtle' http://HOST" (p) } }
            }
        },
    ))
}
