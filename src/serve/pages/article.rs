//! The page of an article (`/id/article/<id>`), and its named graph as RDF.
//!
//! The article's graph is read once (a few hundred quads): its node (title,
//! date, publisher, script, source, read warnings, its decoded text as
//! `nif:isString`), its mentions, outcomes and relation assertions. The
//! text is shown as stored (an HTML page as its reader reads it, the marks
//! moved onto the characters shown for their words), every mention marked
//! by kind and linked to its
//! entity, every figure marked; each mark's `id` is the RFC 5147 fragment
//! of its words (`char=b,e`), so `/id/article/<id>#char=b,e` opens the
//! article at those words.
//!
//! The furniture removed when the article was read (bylines, share
//! widgets…) is not in the graph; the page finds it again by reading the
//! stored text with this zhkg's reader, and says so.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use maud::{Markup, html};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Triple};

use super::layout::{Kind, Mark, entity_link, legend, marked, page, path_of};
use super::read::{Original, Outcome, Read, Reader, chars, graph, lexical, node};
use super::{Made, PageContext, Want};
use crate::ingest::{ArticleId, IngestOptions, MappedText, OriginalSpan, markup, parse_article};
use crate::rdf::iri::span_of;
use crate::rdf::vocab::{itsrdf, nif, rdf, schema, zhkg};

/// The most quads of one article graph read.
const MAX_QUADS: usize = 100_000;

/// Answers at an article's address: its page or its graph as RDF; `None`
/// when the store has no such article.
pub fn answer(cx: &PageContext<'_>, iri: &str, want: Want) -> Read<Option<Made>> {
    let mut r = Reader::new(cx.store, cx.token);
    let a = super::read::n(iri);
    let g = graph(iri);
    if !r.has(
        a,
        super::read::n(rdf::TYPE),
        super::read::n(schema::NEWS_ARTICLE).into(),
        g,
    )? {
        return Ok(None);
    }
    let quads = r.quads(None, None, None, Some(g), MAX_QUADS)?;
    Ok(Some(match want {
        Want::Rdf(f) => Made::Rdf(quads.into_iter().map(Triple::from).collect(), f),
        Want::Html => {
            let mut by_subject: HashMap<NamedNode, Vec<(NamedNode, Term)>> = HashMap::new();
            for q in quads {
                if let NamedOrBlankNode::NamedNode(s) = q.subject {
                    by_subject
                        .entry(s)
                        .or_default()
                        .push((q.predicate, q.object));
                }
            }
            Made::Html(render(&mut r, iri, &by_subject)?)
        }
    }))
}

/// A mention: its offsets, its words and the entity it names.
#[derive(Debug, Clone)]
struct Mention {
    span: OriginalSpan,
    entity: NamedNode,
}

/// A relation assertion of the article.
#[derive(Debug, Clone)]
struct Assertion {
    subject: NamedNode,
    predicate: String,
    object: NamedNode,
    trigger: Option<String>,
    confidence: Option<String>,
}

fn render(
    r: &mut Reader<'_>,
    iri: &str,
    by_subject: &HashMap<NamedNode, Vec<(NamedNode, Term)>>,
) -> Read<Markup> {
    let empty = Vec::new();
    let props = by_subject
        .get(&NamedNode::new_unchecked(iri))
        .unwrap_or(&empty);
    let values = |p: &str| -> Vec<&Term> {
        props
            .iter()
            .filter(|(q, _)| q.as_str() == p)
            .map(|(_, t)| t)
            .collect()
    };
    let value = |p: &str| {
        values(p)
            .first()
            .and_then(|t| lexical(t))
            .map(str::to_owned)
    };
    let title = value(schema::HEADLINE);
    let id = value(schema::IDENTIFIER).unwrap_or_default();
    let original = Original::new(&value(nif::IS_STRING).unwrap_or_default());

    let mut mentions = Vec::new();
    let mut outcomes = Vec::new();
    let mut assertions = Vec::new();
    for (s, ps) in by_subject {
        let has_type = |c: &str| {
            ps.iter()
                .any(|(p, o)| p.as_str() == rdf::TYPE && node(o).is_some_and(|o| o.as_str() == c))
        };
        if let Some(target) = ps
            .iter()
            .find(|(p, _)| p.as_str() == itsrdf::TA_IDENT_REF)
            .and_then(|(_, t)| node(t))
            && let Some(span) = span_of(s.as_str())
        {
            mentions.push(Mention {
                span,
                entity: target,
            });
        }
        if has_type(zhkg::OUTCOME) {
            outcomes.push(Outcome::from_props(
                s.clone(),
                NamedNode::new_unchecked(iri),
                ps,
            ));
        }
        if has_type(zhkg::RELATION_ASSERTION) {
            let get = |p: &str| ps.iter().find(|(q, _)| q.as_str() == p).map(|(_, t)| t);
            if let (Some(subject), Some(Term::NamedNode(pred)), Some(object)) = (
                get(rdf::SUBJECT).and_then(node),
                get(rdf::PREDICATE),
                get(rdf::OBJECT).and_then(node),
            ) {
                assertions.push(Assertion {
                    subject,
                    predicate: pred.as_str().to_owned(),
                    object,
                    trigger: get(zhkg::TRIGGER).and_then(lexical).map(str::to_owned),
                    confidence: get(zhkg::CONFIDENCE).and_then(lexical).map(str::to_owned),
                });
            }
        }
    }
    mentions.sort_by_key(|m| (m.span.start, m.span.end));
    outcomes.sort_by_key(|o| o.span().map(|s| (s.start, s.end)));
    assertions.sort_by(|a, b| {
        (&a.predicate, &a.subject, &a.object).cmp(&(&b.predicate, &b.subject, &b.object))
    });

    // The marks of the text.
    let mut marks = Vec::new();
    for m in &mentions {
        let label = r.label(m.entity.as_str())?;
        marks.push(Mark {
            range: chars(m.span),
            class: Kind::of_iri(m.entity.as_str()).map_or("group", Kind::segment),
            href: path_of(m.entity.as_str()),
            title: label,
            anchor: Some(m.span),
            id: true,
        });
    }
    for o in &outcomes {
        if let Some(span) = o.span() {
            marks.push(Mark {
                range: chars(span),
                class: "figure",
                href: None,
                title: format!("{} {} {}", o.metric, o.value_text(), o.unit_text()),
                anchor: Some(span),
                id: true,
            });
        }
    }
    let removed = furniture(&id, &original, value(zhkg::SOURCE_FILE).as_deref());
    for (span, why) in &removed {
        marks.push(Mark {
            range: chars(*span),
            class: "removed",
            href: None,
            title: (*why).to_owned(),
            anchor: None,
            id: false,
        });
    }
    // An HTML source is shown as a reader sees it; the marks, placed by
    // offsets in the original, move onto the characters shown for them.
    let html_source = value(zhkg::SOURCE_FORMAT).as_deref() == Some("html");
    let (shown_chars, origins) = shown(&original, html_source);
    for m in &mut marks {
        m.range = to_shown(&origins, m.range.clone());
    }
    let text = marked(&shown_chars, &mut marks);

    // Entities mentioned, with how often.
    let mut named: BTreeMap<(Option<Kind>, String, String), usize> = BTreeMap::new();
    for m in &mentions {
        let label = r.label(m.entity.as_str())?;
        *named
            .entry((
                Kind::of_iri(m.entity.as_str()),
                label,
                m.entity.as_str().to_owned(),
            ))
            .or_default() += 1;
    }
    let mut people = Vec::new();
    for p in [schema::AUTHOR, schema::EDITOR] {
        for t in values(p) {
            if let Some(n) = node(t) {
                let l = r.label(n.as_str())?;
                people.push((p, n, l));
            }
        }
    }
    let publisher = match values(schema::PUBLISHER).first().and_then(|t| node(t)) {
        Some(p) => Some((r.label(p.as_str())?, p)),
        None => None,
    };
    let mut outcome_rows = Vec::new();
    for o in &outcomes {
        let about = match &o.subject {
            Some(s) => Some((s.clone(), r.label(s.as_str())?)),
            None => None,
        };
        outcome_rows.push((o, about));
    }
    let mut assertion_rows = Vec::new();
    for a in &assertions {
        let s = r.label(a.subject.as_str())?;
        let o = r.label(a.object.as_str())?;
        assertion_rows.push((a, s, o));
    }
    let warnings: Vec<String> = values(zhkg::READ_WARNING)
        .into_iter()
        .filter_map(|t| lexical(t).map(str::to_owned))
        .collect();
    let heading = title.clone().unwrap_or_else(|| id.clone());

    Ok(page(
        &heading,
        html! {
            h1 { (heading) span.kind { "article" } }
            p.iri { (iri) }
            table.head {
                @if let Some(d) = value(schema::DATE_PUBLISHED) { tr { th { "published" } td #date { (d) } } }
                @if let Some((l, p)) = &publisher {
                    tr { th { "publisher" } td #publisher {
                        (entity_link(p.as_str(), l, true))
                        @if let Some(c) = value(zhkg::CHANNEL) { " · " (c) }
                    } }
                }
                @for (p, n, l) in &people {
                    tr { th { (if *p == schema::AUTHOR { "author" } else { "editor" }) } td { (entity_link(n.as_str(), l, false)) } }
                }
                @if let Some(s) = value(zhkg::SCRIPT) { tr { th { "script" } td #script { (s) } } }
                tr { th { "source" } td {
                    (value(zhkg::SOURCE_FILE).unwrap_or_default())
                    @if let Some(f) = value(zhkg::SOURCE_FORMAT) { " · " (f) }
                    @if let Some(e) = value(zhkg::SOURCE_ENCODING) { " · " (e) }
                } }
                @if let Some(u) = value(schema::URL) { tr { th { "URL" } td { (u) } } }
                @let keywords: Vec<String> = values(schema::KEYWORDS).into_iter().filter_map(|t| lexical(t).map(str::to_owned)).collect();
                @if !keywords.is_empty() { tr { th { "keywords" } td { (keywords.join(", ")) } } }
                tr { th { "recognised" } td { (mentions.len()) " mentions of " (named.len()) " entities, " (outcomes.len()) " figures, " (assertions.len()) " relations" } }
            }
            @if !warnings.is_empty() {
                h2 { "Read warnings" }
                ul #warnings { @for w in &warnings { li { (w) } } }
            }
            h2 { "Text" }
            (legend())
            div.text #text { (text) }
            @if !removed.is_empty() {
                h2 { "Removed furniture" }
                p.muted { "Left out of the text the extractors read (struck through above). The graph does not record it: this zhkg's reader found it again in the stored text." }
                table #removed {
                    tr { th { "words" } th { "why" } }
                    @for (span, why) in &removed {
                        tr { td { (original.words(*span)) } td { (why) } }
                    }
                }
            }
            h2 { "Figures" }
            @if outcome_rows.is_empty() {
                p.muted { "No figure was recognised." }
            } @else {
                table #outcomes {
                    tr { th { "words" } th { "metric" } th { "family" } th { "value" } th { "unit" } th { "qualifier" } th { "date" } th { "about" } }
                    @for (o, about) in &outcome_rows {
                        tr {
                            td { @if let Some(s) = o.span() { a href=(format!("#char={},{}", s.start, s.end)) { (original.words(s)) } } }
                            td { @if let Some(m) = o.metric_def() { (m.def().label_zh) " " } span.muted { (o.metric) } }
                            td { (o.family().map_or("", |f| f.as_str())) }
                            td.num { (o.value_text()) }
                            td { (o.unit_text()) }
                            td { (o.qualifier_text()) @if o.target { " (target)" } }
                            td { (o.as_of.as_deref().unwrap_or("")) }
                            td { @if let Some((s, l)) = about { (entity_link(s.as_str(), l, true)) } @else { span.muted { "unknown" } } }
                        }
                    }
                }
            }
            h2 { "Relations" }
            @if assertion_rows.is_empty() {
                p.muted { "No relation was recognised." }
            } @else {
                table #relations {
                    tr { th { "subject" } th { "relation" } th { "object" } th { "trigger" } th { "confidence" } }
                    @for (a, s, o) in &assertion_rows {
                        tr {
                            td { (entity_link(a.subject.as_str(), s, true)) }
                            td { (super::layout::fallback_label(&a.predicate)) }
                            td { (entity_link(a.object.as_str(), o, true)) }
                            td { (a.trigger.as_deref().unwrap_or("")) }
                            td.num { (a.confidence.as_deref().unwrap_or("")) }
                        }
                    }
                }
            }
            h2 { "Entities mentioned" }
            table #entities {
                tr { th { "entity" } th { "kind" } th { "mentions" } }
                @for ((k, l, e), c) in &named {
                    tr { td { (entity_link(e, l, false)) } td { (k.map_or("", Kind::name)) } td.num { (c) } }
                }
            }
        },
    ))
}

/// The text the page shows, each character with the original characters
/// it stands for: an HTML source as its reader sees it (tags left out,
/// character references decoded, block ends as line breaks, as the reader
/// that built the graph did), any other source as stored.
pub fn shown(original: &Original, html: bool) -> (Vec<char>, Vec<Range<usize>>) {
    if !html {
        let n = original.chars().len();
        return (
            original.chars().to_vec(),
            (0..n).map(|i| i..i + 1).collect(),
        );
    }
    let text: String = original.chars().iter().collect();
    let (visible, _) = markup::html_to_text(&MappedText::from_original(&text));
    let origins = visible.origins().iter().map(|o| chars(*o)).collect();
    (visible.chars().to_vec(), origins)
}

/// The shown characters that stand for the original characters `r`: from
/// the first whose origin starts in it to the last whose origin ends in it
/// (origins run in the original's order).
fn to_shown(origins: &[Range<usize>], r: Range<usize>) -> Range<usize> {
    let start = origins.partition_point(|o| o.start < r.start);
    let end = origins.partition_point(|o| o.end <= r.end).max(start);
    start..end
}

/// The furniture the reader leaves out of the stored text, with why: the
/// article read again from its `nif:isString` (the decoded original),
/// with the format its file name says.
fn furniture(
    id: &str,
    original: &Original,
    file: Option<&str>,
) -> Vec<(OriginalSpan, &'static str)> {
    let text: String = original.chars().iter().collect();
    let extension = file.and_then(|f| f.rsplit_once('.')).map(|(_, e)| e);
    match parse_article(
        ArticleId::new(id),
        text.as_bytes(),
        extension,
        &IngestOptions::default(),
    ) {
        Ok(a) => a
            .removed
            .iter()
            .map(|r| (r.span, r.reason.explain()))
            .collect(),
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (HTML source, the text shown, a span of the source, the words shown
    /// for it): tags go, references are decoded, marks follow.
    #[test]
    fn an_html_source_is_shown_as_read_with_marks_moved_onto_it() {
        let cases = [
            ("<p>巨鹿县&amp;邢台</p>", "巨鹿县&邢台", 3..6, "巨鹿县"),
            ("<p>巨鹿县&amp;邢台</p>", "巨鹿县&邢台", 6..11, "&"),
            ("<div><b>阿里</b>巴巴</div>", "阿里巴巴", 8..16, "阿里巴巴"),
        ];
        for (html, want, span, words) in cases {
            let (chars, origins) = shown(&Original::new(html), true);
            let text: String = chars.iter().collect();
            assert_eq!(text.trim(), want, "{html}");
            let r = to_shown(&origins, span.clone());
            let got: String = chars[r].iter().collect();
            assert_eq!(got, words, "{html} {span:?}");
        }
        // A text source is shown as stored, marks where they were.
        let (chars, origins) = shown(&Original::new("<b>x</b>"), false);
        assert_eq!(chars.iter().collect::<String>(), "<b>x</b>");
        assert_eq!(to_shown(&origins, 3..4), 3..4);
    }
}
