//! Search over labels and aliases: `/search?q=…`.
//!
//! The words are looked up as given and in simplified script (through the
//! reader's own converter), first as whole labels and aliases (index
//! lookups: `rdfs:label` in the entities graph, `skos:altLabel` in the
//! facts and resolved graphs, in `zh` and `zh-Hant`), then as part of a
//! label (one filtered pass over the labels of the entities graph, stopped
//! after [`MAX_HITS`]). Six digits are also tried as a division code.

use std::collections::BTreeMap;

use maud::html;
use oxigraph::model::{Literal, Term};

use super::layout::{Kind, entity_link};
use super::read::{Read, Reader, entities, graph, n, string_literal};
use super::{Made, PageContext};
use crate::ingest::normalize::simplify_str;
use crate::rdf::vocab::{ENTITIES_GRAPH, FACTS_GRAPH, ID, RESOLVED_GRAPH, rdfs, skos};

/// The most entities a search lists.
pub const MAX_HITS: usize = 100;

/// The longest query searched (in characters).
const MAX_QUERY_CHARS: usize = 100;

/// An entity found, and how.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hit {
    /// 0 for a whole label, 1 for a whole alias, 2 for part of a label.
    pub rank: u8,
    /// Its label.
    pub label: String,
    /// Its IRI.
    pub iri: String,
    /// The alias that matched, when not the label.
    pub alias: Option<String>,
}

/// Finds the entities whose label or alias is `q` or contains it.
pub fn find(r: &mut Reader<'_>, q: &str) -> Read<Vec<Hit>> {
    let q: String = q.trim().chars().take(MAX_QUERY_CHARS).collect();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let simple = simplify_str(&q);
    let mut forms = vec![q.clone()];
    if simple != q {
        forms.push(simple.clone());
    }
    let mut hits: BTreeMap<String, Hit> = BTreeMap::new();
    let mut add = |r: &mut Reader<'_>, rank: u8, iri: &str, alias: Option<String>| -> Read<()> {
        if Kind::of_iri(iri).is_none_or(|k| k == Kind::Article) {
            return Ok(());
        }
        let label = r.label(iri)?;
        let hit = Hit {
            rank,
            alias: alias.filter(|a| *a != label),
            label,
            iri: iri.to_owned(),
        };
        match hits.get(iri) {
            Some(h) if h.rank <= rank => {}
            _ => {
                hits.insert(iri.to_owned(), hit);
            }
        }
        Ok(())
    };
    if q.len() == 6 && q.bytes().all(|b| b.is_ascii_digit()) {
        let iri = format!("{ID}place/{q}");
        if r.literal(n(&iri), rdfs::LABEL, entities())?.is_some() {
            add(r, 0, &iri, None)?;
        }
    }
    for form in &forms {
        for (lang, rank, p, g) in [
            ("zh", 0, rdfs::LABEL, ENTITIES_GRAPH),
            ("zh", 1, skos::ALT_LABEL, FACTS_GRAPH),
            ("zh-Hant", 1, skos::ALT_LABEL, FACTS_GRAPH),
            ("zh", 1, skos::ALT_LABEL, RESOLVED_GRAPH),
        ] {
            let lit = Term::from(Literal::new_language_tagged_literal_unchecked(
                form.as_str(),
                lang,
            ));
            for s in r.subjects(p, lit.as_ref(), graph(g), MAX_HITS)? {
                add(r, rank, s.as_str(), Some(form.clone()))?;
            }
        }
    }
    // Part of a label: one filtered pass over the labels (their strings
    // only are decoded), stopped once enough are found.
    let contains: Vec<String> = forms
        .iter()
        .map(|f| format!("CONTAINS(STR(?l), {})", string_literal(f)))
        .collect();
    let partial = r.select(
        &format!(
            "SELECT DISTINCT ?x WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ ?x rdfs:label ?l }} FILTER ({}) }} LIMIT {MAX_HITS}",
            contains.join(" || ")
        ),
        MAX_HITS,
    )?;
    for row in partial {
        if let Some(Some(Term::NamedNode(x))) = row.first() {
            add(r, 2, x.as_str(), None)?;
        }
    }
    // Aliases that merely contain the words are not searched (they are
    // many, and unindexed); their entity's label usually is.
    let mut out: Vec<Hit> = hits.into_values().collect();
    out.sort();
    out.truncate(MAX_HITS);
    Ok(out)
}

/// The search page.
pub fn page_for(q: &str, hits: &[Hit]) -> maud::Markup {
    super::layout::page(
        &format!("Search: {q}"),
        html! {
            h1 { "Search" }
            form action="/search" method="get" {
                input type="search" name="q" value=(q) size="30" aria-label="search";
                " " button type="submit" { "Search" }
            }
            @if q.trim().is_empty() {
                p { "Type a name or an alias (simplified or traditional script), or a six-digit division code." }
            } @else if hits.is_empty() {
                p #no-hits { "Nothing in the graph is named " q { (q) } "." }
            } @else {
                p.muted { (hits.len()) " found" @if hits.len() == MAX_HITS { " (the first " (MAX_HITS) ")" } }
                table #hits {
                    tr { th { "entity" } th { "kind" } th { "matched" } }
                    @for h in hits {
                        tr {
                            td { (entity_link(&h.iri, &h.label, false)) }
                            td { (Kind::of_iri(&h.iri).map_or("", Kind::name)) }
                            td {
                                @match (h.rank, &h.alias) {
                                    (0, _) => "name",
                                    (1, Some(a)) => { "alias " (a) }
                                    (1, None) => "alias",
                                    _ => "part of the name",
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// Answers `/search?q=…`.
pub fn page(cx: &PageContext<'_>, q: &str) -> Read<Made> {
    let mut r = Reader::new(cx.store, cx.token);
    let hits = find(&mut r, q)?;
    Ok(Made::Html(page_for(q, &hits)))
}
