//! Search over labels and aliases: `/search?q=…`.
//!
//! The words are looked up as given and in simplified script (through the
//! reader's own converter), first as whole labels and aliases (index
//! lookups: `rdfs:label` in the entities graph, `skos:altLabel` in the
//! facts and resolved graphs, in `zh` and `zh-Hant`), then as part of a
//! label: a pass over [`Labels`], the entities graph's distinct labels kept
//! in memory (read when the server starts and again whenever the store
//! changes), the shortest labels first, their entities then found through
//! the index. Filtering the labels in the store on every search cost a
//! random read per label on a cold file cache (0.4 s at 20,000 articles).
//! Six digits are also tried as a division code.

use std::collections::BTreeMap;
use std::sync::Arc;

use maud::html;
use oxigraph::model::{Literal, Term};

use super::layout::{Kind, entity_link};
use super::read::{Read, Reader, entities, graph, n};
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

/// The distinct labels of the entities graph, in memory (their words and
/// language tags; their entities are found through the store's index).
#[derive(Debug, Default)]
pub struct Labels {
    /// Every distinct label.
    labels: Vec<Literal>,
}

impl Labels {
    /// Reads every distinct `rdfs:label` of the entities graph: one query
    /// that decodes the labels only, not their entities (about 0.4 s at
    /// 20,000 articles on a cold file cache, where decoding each entity's
    /// IRI too took ten times as long).
    pub fn read(r: &Reader<'_>) -> Read<Self> {
        let rows = r.select(
            &format!(
                "SELECT DISTINCT ?l WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ ?x rdfs:label ?l }} }}"
            ),
            usize::MAX,
        )?;
        let labels = rows
            .into_iter()
            .filter_map(|row| match row.into_iter().next() {
                Some(Some(Term::Literal(l))) => Some(l),
                _ => None,
            })
            .collect();
        Ok(Self { labels })
    }

    /// How many distinct labels are kept.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// True when no label is kept (a store without entities).
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The labels that contain one of `forms`, the shortest (the closest
    /// matches) first, then in order; at most `max`.
    pub fn containing(&self, forms: &[String], max: usize) -> Vec<&Literal> {
        let mut found: Vec<&Literal> = self
            .labels
            .iter()
            .filter(|l| forms.iter().any(|f| l.value().contains(f.as_str())))
            .collect();
        found.sort_by(|x, y| {
            (x.value().chars().count(), x.value(), x.language()).cmp(&(
                y.value().chars().count(),
                y.value(),
                y.language(),
            ))
        });
        found.truncate(max);
        found
    }
}

/// The labels in memory, made once per version of the store (at start-up
/// by the warming thread, or by the first search).
pub fn labels(cx: &PageContext<'_>) -> Read<Arc<Labels>> {
    cx.site
        .labels
        .get(cx.site, || Labels::read(&Reader::new(cx.store, cx.token)))
}

/// Finds the entities whose label or alias is `q`, or whose label (one of
/// `labels`) contains it.
pub fn find(r: &mut Reader<'_>, labels: &Labels, q: &str) -> Read<Vec<Hit>> {
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
    // Part of a label: the labels in memory that contain the words, and
    // their entities from the store's index.
    let mut partial = 0;
    let found = if labels.is_empty() {
        Vec::new()
    } else {
        labels.containing(&forms, MAX_HITS)
    };
    for label in found {
        for x in r.subjects(rdfs::LABEL, label.into(), entities(), MAX_HITS - partial)? {
            r.know_label(x.as_str(), label.value());
            add(r, 2, x.as_str(), None)?;
            partial += 1;
        }
        if partial >= MAX_HITS {
            break;
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
    let labels = labels(cx)?;
    let mut r = Reader::new(cx.store, cx.token);
    let hits = find(&mut r, &labels, q)?;
    Ok(Made::Html(page_for(q, &hits)))
}

#[cfg(test)]
mod tests {
    use super::super::read::PageError;
    use super::*;
    use oxigraph::model::{NamedNode, Quad};
    use oxigraph::sparql::CancellationToken;
    use oxigraph::store::Store;

    /// A store whose entities graph labels each of `names`.
    fn labelled(names: &[(&str, &str)]) -> Store {
        let store = Store::new().unwrap();
        for (iri, label) in names {
            store
                .insert(&Quad::new(
                    NamedNode::new(*iri).unwrap(),
                    NamedNode::new(rdfs::LABEL).unwrap(),
                    Literal::new_language_tagged_literal(*label, "zh").unwrap(),
                    NamedNode::new(ENTITIES_GRAPH).unwrap(),
                ))
                .unwrap();
        }
        store
    }

    #[test]
    fn labels_containing_the_words_come_shortest_first() {
        let names = [
            ("https://w3id.org/zhkg/id/programme/a", "青田县电商服务中心"),
            ("https://w3id.org/zhkg/id/org/b", "服务中心"),
            ("https://w3id.org/zhkg/id/org/c", "县服务中心"),
            ("https://w3id.org/zhkg/id/org/e", "县服务中心"),
            ("https://w3id.org/zhkg/id/place/d", "青田县"),
        ];
        let store = labelled(&names);
        let token = CancellationToken::new();
        let labels = Labels::read(&Reader::new(&store, &token)).unwrap();
        // (words, the labels found in order: each label once)
        let table: &[(&[&str], &[&str])] = &[
            (
                &["服务中心"],
                &["服务中心", "县服务中心", "青田县电商服务中心"],
            ),
            (&["青田"], &["青田县", "青田县电商服务中心"]),
            (&["云和", "县服"], &["县服务中心"]),
            (&["没有"], &[]),
        ];
        for (forms, want) in table {
            let forms: Vec<String> = forms.iter().map(|f| (*f).to_owned()).collect();
            let got: Vec<&str> = labels
                .containing(&forms, 10)
                .into_iter()
                .map(Literal::value)
                .collect();
            assert_eq!(&got, want, "{forms:?}");
        }
        assert_eq!(labels.containing(&["县".to_owned()], 2).len(), 2);
        assert_eq!(labels.len(), 4, "distinct labels");
        // The search finds both entities of a shared label, each once.
        let mut r = Reader::new(&store, &token);
        let hits = find(&mut r, &labels, "县服").unwrap();
        let iris: Vec<&str> = hits.iter().map(|h| h.iri.as_str()).collect();
        assert_eq!(
            iris,
            [
                "https://w3id.org/zhkg/id/org/c",
                "https://w3id.org/zhkg/id/org/e"
            ]
        );
        assert!(hits.iter().all(|h| h.rank == 2 && h.label == "县服务中心"));
    }

    #[test]
    fn reading_labels_stops_at_the_time_limit() {
        let store = labelled(&[("https://w3id.org/zhkg/id/org/b", "服务中心")]);
        let token = CancellationToken::new();
        token.cancel();
        assert!(matches!(
            Labels::read(&Reader::new(&store, &token)),
            Err(PageError::Cancelled)
        ));
    }
}
