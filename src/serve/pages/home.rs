//! The home page: what the graph holds, the search box, the named queries.
//!
//! The counts read every article node, every label of the entities graph
//! and every outcome's metric once; they are kept until the store changes
//! (an update through `/update`), so only the first visit pays for them.

use std::collections::BTreeMap;
use std::sync::Arc;

use maud::html;

use super::chart;
use super::layout::Kind;
use super::read::{Read, Reader, node, number};
use super::{Made, PageContext};
use crate::lexicon::metrics::{Family, Metric};
use crate::rdf::vocab::{ENTITIES_GRAPH, FACTS_GRAPH, METRIC, schema, zhkg};
use crate::sparql::query::NAMED_QUERIES;

/// What the graph holds, in counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Articles (`schema:NewsArticle` nodes).
    pub articles: usize,
    /// Entities with a label, by kind.
    pub entities: BTreeMap<Kind, usize>,
    /// Outcomes by metric family (`None`: a metric outside the vocabulary).
    pub outcomes: BTreeMap<Option<Family>, usize>,
    /// The counties with the most figures (about them or what is located
    /// in them), at most [`TOP_COUNTIES`], most first: IRI, label, and
    /// figures by family.
    pub counties: Vec<(String, String, BTreeMap<Option<Family>, u64>)>,
}

/// The most counties in the home page's chart.
pub const TOP_COUNTIES: usize = 12;

impl Summary {
    /// Counts what the store holds: three grouped counts, evaluated on the
    /// store's term ids (a few hundred milliseconds at 20,000 articles).
    /// An entity's kind is read from its class (each kind has its own).
    pub fn read(r: &Reader<'_>) -> Read<Self> {
        let mut s = Self {
            articles: number(
                r.select(
                    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a a schema:NewsArticle } }",
                    1,
                )?
                .first()
                .and_then(|row| row.first()),
            ),
            ..Self::default()
        };
        let classes = r.select(
            &format!(
                "SELECT ?c (COUNT(*) AS ?n) WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ ?x a ?c }} }} GROUP BY ?c"
            ),
                        usize::MAX,
        )?;
        for row in &classes {
            let kind = match row.first().and_then(Option::as_ref).and_then(node) {
                Some(c) => match c.as_str() {
                    schema::ADMINISTRATIVE_AREA | schema::COUNTRY | schema::PLACE => Kind::Place,
                    schema::ORGANIZATION => Kind::Org,
                    zhkg::PROGRAMME => Kind::Programme,
                    zhkg::DOCUMENT => Kind::Document,
                    schema::PERSON => Kind::Person,
                    zhkg::DESCRIBED_GROUP => Kind::Group,
                    _ => continue,
                },
                None => continue,
            };
            *s.entities.entry(kind).or_default() += number(row.get(1));
        }
        let metrics = r.select(
            "SELECT ?m (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?o zhkg:metric ?m } } GROUP BY ?m",
            usize::MAX,
        )?;
        for row in &metrics {
            let name = row
                .first()
                .and_then(Option::as_ref)
                .and_then(node)
                .and_then(|m| m.as_str().strip_prefix(METRIC).map(str::to_owned))
                .unwrap_or_default();
            *s.outcomes
                .entry(Metric::named(&name).and_then(Metric::family))
                .or_default() += number(row.get(1));
        }
        // Figures per county and metric, from the facts graph's summaries
        // (one per entity and metric): about the county or about what is
        // located in it, as the county's page counts them.
        let per_county = r.select(
            &format!(
                "SELECT ?c ?m (SUM(?n) AS ?count) WHERE {{ GRAPH <{FACTS_GRAPH}> {{ ?f zhkg:summarises ?s ; zhkg:metric ?m ; zhkg:figureCount ?n }} ?s zhkg:locatedIn? ?c . ?c zhkg:level \"county\" }} GROUP BY ?c ?m"
            ),
            usize::MAX,
        )?;
        let mut counties: BTreeMap<String, BTreeMap<Option<Family>, u64>> = BTreeMap::new();
        for row in &per_county {
            let Some(c) = row.first().and_then(Option::as_ref).and_then(node) else {
                continue;
            };
            let name = row
                .get(1)
                .and_then(Option::as_ref)
                .and_then(node)
                .and_then(|m| m.as_str().strip_prefix(METRIC).map(str::to_owned))
                .unwrap_or_default();
            *counties
                .entry(c.as_str().to_owned())
                .or_default()
                .entry(Metric::named(&name).and_then(Metric::family))
                .or_default() += number(row.get(2)) as u64;
        }
        let mut top: Vec<(String, BTreeMap<Option<Family>, u64>)> = counties.into_iter().collect();
        top.sort_by(|a, b| {
            b.1.values()
                .sum::<u64>()
                .cmp(&a.1.values().sum::<u64>())
                .then(a.0.cmp(&b.0))
        });
        top.truncate(TOP_COUNTIES);
        for (c, by_family) in top {
            let label = r
                .literal(
                    super::read::n(&c),
                    crate::rdf::vocab::rdfs::LABEL,
                    super::read::entities(),
                )?
                .unwrap_or_else(|| super::layout::fallback_label(&c));
            s.counties.push((c, label, by_family));
        }
        Ok(s)
    }
}

/// Makes the home page's counts now, reads the search's labels and loads
/// its script converter, on a thread of their own, so that the first
/// visitor does not wait for them.
#[allow(clippy::print_stderr, reason = "the server logs on standard error")]
pub fn warm(store: std::sync::Arc<crate::store::GraphStore>, site: Arc<super::Site>) {
    let _ = std::thread::Builder::new()
        .name("zhkg-warm".to_owned())
        .spawn(move || {
            let token = oxigraph::sparql::CancellationToken::new();
            let cx = PageContext {
                store: store.inner(),
                token: &token,
                site: &site,
                max_rows: 0,
            };
            let started = std::time::Instant::now();
            let counted = summary(&cx);
            let labels = super::search::labels(&cx);
            // The search's script converter loads its tables on first use.
            let _ = crate::ingest::normalize::simplify_str("開");
            // Until now a home page or a search waited for these.
            match (counted, labels) {
                (Ok(_), Ok(l)) => eprintln!(
                    "zhkg: pages ready: the home page's counts and {} labels for search read in {:.1} s",
                    l.len(),
                    started.elapsed().as_secs_f64()
                ),
                (Err(e), _) | (_, Err(e)) => eprintln!(
                    "zhkg: the home page's counts or the search's labels could not be read ({e}); the first visit reads them again"
                ),
            }
        });
}

/// The counts, made once per version of the store.
fn summary(cx: &PageContext<'_>) -> Read<Arc<Summary>> {
    cx.site
        .summary
        .get(cx.site, || Summary::read(&Reader::new(cx.store, cx.token)))
}

/// The home page.
pub fn page(cx: &PageContext<'_>) -> Read<Made> {
    let s = summary(cx)?;
    let total_outcomes: usize = s.outcomes.values().sum();
    Ok(Made::Html(super::layout::page(
        "zhkg",
        html! {
            h1 { "What the graph holds" }
            p {
                "Built from news articles about digital employment in Chinese counties: "
                "every entity, figure and relation keeps the sentence it came from."
            }
            form action="/search" method="get" {
                input type="search" name="q" size="30" placeholder="巨鹿县, 阿里巴巴, 淘寶, 130529…" aria-label="search";
                " "
                button type="submit" { "Search labels and aliases" }
                span.muted { " simplified or traditional script, or a division code" }
            }
            table.counts {
                tr { th { "articles" } td.num id="count-articles" { (s.articles) } }
            }
            @let bars: Vec<chart::Bar> = s.counties.iter().map(|(c, l, f)| chart::Bar {
                label: l.clone(),
                href: super::layout::path_of(c),
                parts: f.iter().map(|(f, n)| (chart::family_key(*f), *n)).collect(),
            }).collect();
            @if let Some(c) = chart::bars(
                "chart-counties",
                &format!("Figures per county by metric family (the {} counties with the most)", bars.len()),
                &chart::family_keys(),
                &bars,
            ) {
                h2 { "Outcomes per county" }
                figure { (c) figcaption.muted { "Figures about each county or about what is located in it, by metric family." } }
            }
            h2 { "Entities by kind" }
            table.counts {
                @for (k, c) in &s.entities {
                    tr { th { (k.plural()) } td.num data-kind=(k.segment()) { (c) } }
                }
            }
            h2 { "Outcomes by family" }
            table.counts {
                @for (f, c) in &s.outcomes {
                    tr {
                        @match f {
                            Some(f) => {
                                th { (f.labels().1) " " span.muted { (f.labels().0) } }
                                td.num data-family=(f.as_str()) { (c) }
                            }
                            None => { th { "other metrics" } td.num data-family="" { (c) } }
                        }
                    }
                }
                tr { th { "all outcomes" } td.num id="count-outcomes" { (total_outcomes) } }
            }
            h2 { "Named queries" }
            p.muted {
                "Each opens the " a href="/sparql" #query-page { "query page" }
                " with its text and its parameters as fields; the SPARQL endpoint is at /query."
            }
            ul.flat {
                @for q in NAMED_QUERIES {
                    li {
                        a href=(format!("/queries/{}", q.name)) { (q.name) }
                        " — " (q.description())
                    }
                }
            }
        },
    )))
}
