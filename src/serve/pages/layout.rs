//! The frame every page shares (head with an inline style sheet, a
//! navigation bar with the search box) and the small pieces pages are made
//! of: kinds of entity, links to entity pages, text with marked words.
//!
//! Nothing is loaded from elsewhere: no script, no font, no image. Every
//! value spliced into a template is escaped by maud (`(value)`); nothing
//! from the store or an article is ever spliced with `PreEscaped`.

use std::ops::Range;

use maud::{DOCTYPE, Markup, html};

use crate::ingest::OriginalSpan;
use crate::rdf::iri::decode_segment;
use crate::rdf::vocab::ID;

/// The style sheet, inline (the pages load nothing from elsewhere).
const STYLE: &str = "
body{font-family:system-ui,'Noto Sans CJK SC','PingFang SC',sans-serif;margin:0;color:#1d232a;background:#fbfbf8;line-height:1.55}
header{background:#23395b;color:#fff;padding:.5em 1.2em;display:flex;gap:1.5em;align-items:center;flex-wrap:wrap}
header a{color:#fff;text-decoration:none;font-weight:600}
header form{margin-left:auto}
main{max-width:72em;margin:0 auto;padding:1em 1.2em 3em}
h1{font-size:1.6em;margin:.4em 0 .2em}
h2{font-size:1.15em;margin:1.6em 0 .4em;border-bottom:1px solid #d8d8d0}
table{border-collapse:collapse;width:100%;font-size:.93em}
th,td{text-align:left;padding:.25em .5em;border-bottom:1px solid #e6e6df;vertical-align:top}
th{background:#eef0ea}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.muted{color:#6b7178;font-size:.9em}
.iri{font-family:monospace;font-size:.85em;word-break:break-all;color:#6b7178}
.kind{display:inline-block;font-size:.75em;padding:0 .45em;border-radius:.6em;background:#e3e6ea;color:#333;margin-left:.3em;vertical-align:middle}
.text{white-space:pre-wrap;background:#fff;border:1px solid #e0e0d8;padding:1em;font-size:1.05em;line-height:1.9}
blockquote{margin:.2em 0;padding:.1em .6em;border-left:3px solid #c9ccd1;background:#fff}
mark{background:none;border-bottom:2px solid #999;padding:0 .05em}
mark a{color:inherit;text-decoration:none}
mark.place{background:#dff3e1;border-color:#2e8540}
mark.org{background:#dde9f8;border-color:#2162a8}
mark.programme{background:#fdebd3;border-color:#c26a00}
mark.document{background:#eadff5;border-color:#6a3d9a}
mark.person{background:#fbe0e0;border-color:#b3261e}
mark.group{background:#ececec;border-color:#666}
mark.figure{background:#fff6b8;border-color:#a68a00;font-weight:600}
mark.removed{background:#eee;color:#888;border-color:#bbb;text-decoration:line-through}
.legend mark{margin-right:.6em}
ul.flat{padding-left:1.2em}
.counts td{width:50%}
.error{color:#a1140c}
pre{white-space:pre-wrap;background:#fff;border:1px solid #e0e0d8;padding:.6em;font-size:.9em}
";

/// The kinds of thing that have a page, read from their IRI
/// (`…/id/<kind>/…`), the way the named queries read an entity's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// An administrative division, village, region or country.
    Place,
    /// An organisation.
    Org,
    /// A programme.
    Programme,
    /// A report or policy document.
    Document,
    /// A person.
    Person,
    /// A group an article describes without naming it.
    Group,
    /// An article.
    Article,
}

impl Kind {
    /// Every kind of entity (articles apart), in the order pages list them.
    pub const ENTITIES: [Kind; 6] = [
        Kind::Place,
        Kind::Org,
        Kind::Programme,
        Kind::Document,
        Kind::Person,
        Kind::Group,
    ];

    /// The kind of the thing `iri` names, when it is one of zhkg's.
    pub fn of_iri(iri: &str) -> Option<Self> {
        let rest = iri.strip_prefix(ID)?;
        let (segment, local) = rest.split_once('/')?;
        if local.is_empty() {
            return None;
        }
        Self::of_segment(segment)
    }

    /// The kind whose IRI path segment is `segment`.
    pub fn of_segment(segment: &str) -> Option<Self> {
        Some(match segment {
            "place" => Self::Place,
            "org" => Self::Org,
            "programme" => Self::Programme,
            "document" => Self::Document,
            "person" => Self::Person,
            "group" => Self::Group,
            "article" => Self::Article,
            _ => return None,
        })
    }

    /// The IRI path segment, also the CSS class of its marks.
    pub fn segment(self) -> &'static str {
        match self {
            Self::Place => "place",
            Self::Org => "org",
            Self::Programme => "programme",
            Self::Document => "document",
            Self::Person => "person",
            Self::Group => "group",
            Self::Article => "article",
        }
    }

    /// Its name for people, singular.
    pub fn name(self) -> &'static str {
        match self {
            Self::Place => "place",
            Self::Org => "organisation",
            Self::Programme => "programme",
            Self::Document => "document",
            Self::Person => "person",
            Self::Group => "described group",
            Self::Article => "article",
        }
    }

    /// Its name for people, plural.
    pub fn plural(self) -> &'static str {
        match self {
            Self::Place => "places",
            Self::Org => "organisations",
            Self::Programme => "programmes",
            Self::Document => "documents",
            Self::Person => "people",
            Self::Group => "described groups",
            Self::Article => "articles",
        }
    }
}

/// The path of the page of `iri` on this server (`/id/place/130529`), when
/// it is one of zhkg's IRIs: the IRI without `https://w3id.org/zhkg`, its
/// fragment dropped.
pub fn path_of(iri: &str) -> Option<String> {
    let rest = iri.strip_prefix(ID)?;
    let rest = rest.split_once('#').map_or(rest, |(r, _)| r);
    Some(format!("/id/{rest}"))
}

/// A readable name for an IRI that has no label: its last path segment,
/// decoded.
pub fn fallback_label(iri: &str) -> String {
    let tail = iri.rsplit(['/', '#']).next().unwrap_or(iri);
    decode_segment(tail)
}

/// A whole page: `title` in the head and as the heading, then `body`.
pub fn page(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · zhkg" }
                style { (maud::PreEscaped(STYLE)) }
            }
            body {
                header {
                    a href="/" { "zhkg" }
                    a href="/sparql" { "Query" }
                    span.muted style="color:#cfd8e6" { "knowledge graph of digital employment in Chinese counties" }
                    form action="/search" method="get" {
                        input type="search" name="q" placeholder="名称 / 別名 / code" aria-label="search labels and aliases";
                        " "
                        button type="submit" { "Search" }
                    }
                }
                main {
                    (body)
                }
            }
        }
    }
}

/// A link to the page of the entity `iri`, named `label`, with its kind as
/// a small badge when `badge` is set.
pub fn entity_link(iri: &str, label: &str, badge: bool) -> Markup {
    let kind = Kind::of_iri(iri);
    html! {
        @if let Some(path) = path_of(iri) {
            a href=(path) title=(iri) { (label) }
        } @else {
            span title=(iri) { (label) }
        }
        @if badge {
            @if let Some(k) = kind {
                span.kind { (k.name()) }
            }
        }
    }
}

/// A stretch of text to mark: its character range (in the text being
/// shown), the class of its mark, where it links to, and a tooltip.
#[derive(Debug, Clone)]
pub struct Mark {
    /// Characters of the shown text.
    pub range: Range<usize>,
    /// The CSS class (a [`Kind::segment`], `figure` or `removed`).
    pub class: &'static str,
    /// The page the words link to.
    pub href: Option<String>,
    /// The tooltip (the entity's label, the figure's reading).
    pub title: String,
    /// The words' offsets in their article, shown in `data-char`.
    pub anchor: Option<OriginalSpan>,
    /// Whether the mark's `id` is `char=b,e` (the RFC 5147 fragment of the
    /// words' IRI), so that a link can open the page at the words; only
    /// on the article's own page, where each span is marked once.
    pub id: bool,
}

/// `text` (a slice of characters) with `marks` as `<mark>` elements, each
/// with its link inside. Marks that start inside an earlier one are left
/// out (the longest of those starting at the same place is kept); the
/// text itself is never changed, split or dropped.
pub fn marked(text: &[char], marks: &mut [Mark]) -> Markup {
    marks.sort_by(|a, b| {
        a.range
            .start
            .cmp(&b.range.start)
            .then(b.range.end.cmp(&a.range.end))
    });
    let mut pieces: Vec<(Range<usize>, Option<&Mark>)> = Vec::new();
    let mut at = 0;
    for m in marks.iter() {
        let Range { start, end } = m.range;
        if start < at || end > text.len() || start >= end {
            continue;
        }
        if start > at {
            pieces.push((at..start, None));
        }
        pieces.push((start..end, Some(m)));
        at = end;
    }
    if at < text.len() {
        pieces.push((at..text.len(), None));
    }
    let s = |r: &Range<usize>| text[r.clone()].iter().collect::<String>();
    html! {
        @for (range, mark) in &pieces {
            @match mark {
                None => { (s(range)) }
                Some(m) => {
                    mark class=(m.class)
                        id=[m.anchor.filter(|_| m.id).map(|a| format!("char={},{}", a.start, a.end))]
                        data-char=[m.anchor.map(|a| format!("{},{}", a.start, a.end))]
                        title=(m.title) {
                        @if let Some(h) = &m.href {
                            a href=(h) { (s(range)) }
                        } @else {
                            (s(range))
                        }
                    }
                }
            }
        }
    }
}

/// The legend of the marks' colours.
pub fn legend() -> Markup {
    html! {
        p.legend.muted {
            @for k in Kind::ENTITIES {
                mark class=(k.segment()) { (k.name()) }
            }
            mark.figure { "figure" }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_paths_come_from_iris() {
        let place = "https://w3id.org/zhkg/id/place/130529";
        assert_eq!(Kind::of_iri(place), Some(Kind::Place));
        assert_eq!(path_of(place).as_deref(), Some("/id/place/130529"));
        assert_eq!(
            path_of("https://w3id.org/zhkg/id/article/a#char=1,3").as_deref(),
            Some("/id/article/a")
        );
        assert_eq!(Kind::of_iri("https://w3id.org/zhkg/id/place/"), None);
        assert_eq!(Kind::of_iri("https://example.org/id/place/1"), None);
        assert_eq!(
            fallback_label("https://w3id.org/zhkg/id/org/%E6%B7%98%E5%AE%9D"),
            "淘宝"
        );
    }

    #[test]
    fn marks_keep_every_character_and_escape_it() {
        let text: Vec<char> = "<b>在巨鹿县&开化</b>".chars().collect();
        let mut marks = vec![
            Mark {
                range: 4..7,
                class: "place",
                href: Some("/id/place/130529".into()),
                title: "巨鹿县".into(),
                anchor: Some(OriginalSpan::new(4, 7)),
                id: true,
            },
            // Starts inside the first: left out.
            Mark {
                range: 5..6,
                class: "org",
                href: None,
                title: String::new(),
                anchor: None,
                id: false,
            },
        ];
        let html = marked(&text, &mut marks).into_string();
        assert_eq!(
            html,
            "&lt;b&gt;在<mark class=\"place\" id=\"char=4,7\" data-char=\"4,7\" title=\"巨鹿县\"><a href=\"/id/place/130529\">巨鹿县</a></mark>&amp;开化&lt;/b&gt;"
        );
    }
}
