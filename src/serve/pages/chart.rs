//! Charts drawn on the server as inline SVG: no script, no font or file
//! from elsewhere, readable by a screen reader (the chart has a `<title>`
//! and a `<desc>`, each bar a `<title>` with its label and count).
//!
//! Two shapes cover what the pages show:
//! - [`bars`]: horizontal bars, one per label, each stacked from parts of
//!   a few keys (an entity's outcomes by metric family; the counties'
//!   outcomes by family on the home page);
//! - [`columns`]: a column per period (a timeline of dated figures, by
//!   year and month).
//!
//! Lengths are proportional to the counts: the longest bar (or highest
//! column) spans the plot, every other is scaled by the same factor.
//! Every label is escaped by maud. An empty series (or one of zeros) gives
//! no chart at all (`None`), rather than an empty frame.

use maud::{Markup, html};

use crate::lexicon::metrics::Family;

/// Width of every chart, in SVG units (the SVG scales to the page).
pub const WIDTH: f64 = 720.0;
/// Room for the labels left of the bars.
const LABEL_WIDTH: f64 = 170.0;
/// Room for the totals right of the bars.
const TOTAL_WIDTH: f64 = 60.0;
/// Height of one bar's row.
const ROW: f64 = 22.0;
/// Height of the plot of a column chart.
const PLOT_HEIGHT: f64 = 160.0;

/// Colours of the keys, in order (repeated past the last).
const PALETTE: [&str; 14] = [
    "#2162a8", "#c26a00", "#2e8540", "#b3261e", "#6a3d9a", "#a68a00", "#0f7c8c", "#d45087",
    "#5a6b7b", "#8c564b", "#7f9c2a", "#e377c2", "#3b3eac", "#999999",
];

/// The colour of key `i`.
pub fn colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// One bar: its label and its parts, each the index of its key and a count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bar {
    /// What the bar is about (a county's name, a family's name).
    pub label: String,
    /// Where the label links to, if anywhere.
    pub href: Option<String>,
    /// The parts, stacked left to right: (key index, count).
    pub parts: Vec<(usize, u64)>,
}

impl Bar {
    /// The bar's length in counts: the sum of its parts.
    pub fn total(&self) -> u64 {
        self.parts.iter().map(|(_, n)| n).sum()
    }
}

/// `n` with a thousands separator (`12,345`).
fn count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Coordinates written with one decimal.
fn f(x: f64) -> String {
    format!("{x:.1}")
}

/// The keys of the metric families: each family's English and Chinese
/// labels, in [`Family::ALL`]'s order, then "other metrics" (a metric in
/// none of the thirteen, or outside the vocabulary).
pub fn family_keys() -> Vec<String> {
    Family::ALL
        .iter()
        .map(|f| format!("{} {}", f.labels().1, f.labels().0))
        .chain(std::iter::once("other metrics".to_owned()))
        .collect()
}

/// The index of a family among [`family_keys`].
pub fn family_key(f: Option<Family>) -> usize {
    f.and_then(|f| Family::ALL.iter().position(|g| *g == f))
        .unwrap_or(Family::ALL.len())
}

/// Counts by family as bars, one per family with a count, largest first.
pub fn family_bars(counts: &std::collections::BTreeMap<Option<Family>, u64>) -> Vec<Bar> {
    let keys = family_keys();
    let mut bars: Vec<Bar> = counts
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(f, n)| Bar {
            label: keys[family_key(*f)].clone(),
            href: None,
            parts: vec![(family_key(*f), *n)],
        })
        .collect();
    bars.sort_by(|a, b| b.total().cmp(&a.total()).then(a.label.cmp(&b.label)));
    bars
}

/// Dates (`2024-03-01`, `2024-03`, `2024`) counted by year and month, a
/// point per month from the first to the last (at most `max_months`, the
/// latest kept), months without a date counted 0. Dates without a month
/// are left out.
pub fn by_month(dates: &[(String, u64)], max_months: usize) -> Vec<(String, u64)> {
    let mut months: std::collections::BTreeMap<(i32, u32), u64> = Default::default();
    for (d, n) in dates {
        let mut parts = d.splitn(3, '-');
        let (Some(y), Some(m)) = (parts.next(), parts.next()) else {
            continue;
        };
        let (Ok(y), Ok(m)) = (y.parse::<i32>(), m.get(..2).unwrap_or(m).parse::<u32>()) else {
            continue;
        };
        if (1..=12).contains(&m) {
            *months.entry((y, m)).or_default() += n;
        }
    }
    let (Some(first), Some(last)) = (months.keys().next(), months.keys().next_back()) else {
        return Vec::new();
    };
    let index = |(y, m): (i32, u32)| i64::from(y) * 12 + i64::from(m) - 1;
    let (a, b) = (index(*first), index(*last));
    let a = a.max(b + 1 - i64::try_from(max_months).unwrap_or(i64::MAX));
    (a..=b)
        .map(|i| {
            let (y, m) = (i.div_euclid(12), i.rem_euclid(12) + 1);
            let key = (
                i32::try_from(y).unwrap_or_default(),
                u32::try_from(m).unwrap_or(1),
            );
            (
                format!("{y:04}-{m:02}"),
                months.get(&key).copied().unwrap_or(0),
            )
        })
        .collect()
}

/// The drawn parts of a bar: key, count, left edge and length.
fn segments(b: &Bar, scale: f64) -> Vec<(usize, u64, f64, f64)> {
    let mut x = LABEL_WIDTH;
    let mut out = Vec::new();
    for &(k, n) in b.parts.iter().filter(|(_, n)| *n > 0) {
        let w = n as f64 * scale;
        out.push((k, n, x, w));
        x += w;
    }
    out
}

/// A horizontal bar chart titled `title`, a bar per item of `bars` (in
/// order), each stacked from parts whose keys are named by `keys` (a
/// legend lists the keys used, when a bar has more than one). `None` when
/// no bar has a count. `id` names the chart (and its title) in the page.
pub fn bars(id: &str, title: &str, keys: &[String], bars: &[Bar]) -> Option<Markup> {
    let bars: Vec<&Bar> = bars.iter().filter(|b| b.total() > 0).collect();
    let max = bars.iter().map(|b| b.total()).max()?;
    let plot = WIDTH - LABEL_WIDTH - TOTAL_WIDTH;
    let scale = plot / max as f64;
    let mut used: Vec<usize> = bars
        .iter()
        .flat_map(|b| b.parts.iter().filter(|(_, n)| *n > 0).map(|(k, _)| *k))
        .collect();
    used.sort_unstable();
    used.dedup();
    // A legend when a bar is stacked from more than one key.
    let legend = bars
        .iter()
        .any(|b| b.parts.iter().filter(|(_, n)| *n > 0).count() > 1);
    let legend_rows = if legend { used.len().div_ceil(4) } else { 0 };
    let height = 8.0 + ROW * bars.len() as f64 + 8.0 + ROW * legend_rows as f64;
    let key = |k: usize| keys.get(k).map_or("", String::as_str);
    let desc = bars
        .iter()
        .map(|b| format!("{}: {}", b.label, b.total()))
        .collect::<Vec<_>>()
        .join("; ");
    Some(frame(
        id,
        title,
        &desc,
        height,
        html! {
                @for (i, b) in bars.iter().enumerate() {
                    @let y = 8.0 + ROW * i as f64;
                    g.bar data-label=(b.label) data-total=(b.total()) {
                        @if let Some(h) = &b.href {
                            a href=(h) {
                                text x=(f(LABEL_WIDTH - 6.0)) y=(f(y + ROW * 0.7)) text-anchor="end" font-size="13" fill="#2162a8" { (b.label) }
                            }
                        } @else {
                            text x=(f(LABEL_WIDTH - 6.0)) y=(f(y + ROW * 0.7)) text-anchor="end" font-size="13" { (b.label) }
                        }
                        @let segments = segments(b, scale);
                        @for (k, n, x, w) in &segments {
                            rect x=(f(*x)) y=(f(y + 3.0)) width=(f(*w)) height=(f(ROW - 6.0)) fill=(colour(*k)) data-count=(n) {
                                title { (b.label) " · " (key(*k)) ": " (count(*n)) }
                            }
                        }
                        text x=(f(LABEL_WIDTH + b.total() as f64 * scale + 5.0)) y=(f(y + ROW * 0.7)) font-size="12" fill="#444" { (count(b.total())) }
                    }
                }
                @if legend {
                    @for (i, k) in used.iter().enumerate() {
                        @let lx = (i % 4) as f64 * (WIDTH / 4.0) + 8.0;
                        @let ly = 16.0 + ROW * bars.len() as f64 + ROW * (i / 4) as f64;
                        g.key {
                            rect x=(f(lx)) y=(f(ly)) width="12" height="12" fill=(colour(*k)) {}
                            text x=(f(lx + 17.0)) y=(f(ly + 11.0)) font-size="12" { (key(*k)) }
                        }
                    }
                }
        },
    ))
}

/// The `<svg>` element of a chart: its size, and its title and
/// description for screen readers, around `body`.
fn frame(id: &str, title: &str, desc: &str, height: f64, body: Markup) -> Markup {
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    html! {
        svg.chart #(id) xmlns="http://www.w3.org/2000/svg" role="img"
            viewBox=(format!("0 0 {} {}", WIDTH, f(height)))
            width="100%" style=(format!("max-width:{WIDTH}px"))
            aria-labelledby=(format!("{title_id} {desc_id}")) {
            title #(title_id) { (title) }
            desc #(desc_id) { (desc) }
            (body)
        }
    }
}

/// A column chart titled `title`: a column per point of `points` (a
/// period's label and a count), in order, with the labels under the
/// columns (every few when there are many); `what` names the counted
/// things in each column's tooltip. `None` when no point has a count.
pub fn columns(id: &str, title: &str, what: &str, points: &[(String, u64)]) -> Option<Markup> {
    let max = points.iter().map(|(_, n)| *n).max().filter(|m| *m > 0)?;
    let left = 40.0;
    let plot = WIDTH - left - 10.0;
    let step = plot / points.len() as f64;
    let width = (step * 0.8).max(1.0);
    let scale = PLOT_HEIGHT / max as f64;
    // At most about twelve labels under the axis.
    let every = points.len().div_ceil(12).max(1);
    let top = 10.0;
    let height = top + PLOT_HEIGHT + 30.0;
    let desc = points
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(l, n)| format!("{l}: {n}"))
        .collect::<Vec<_>>()
        .join("; ");
    Some(frame(
        id,
        title,
        &desc,
        height,
        html! {
                line x1=(f(left)) y1=(f(top + PLOT_HEIGHT)) x2=(f(WIDTH - 10.0)) y2=(f(top + PLOT_HEIGHT)) stroke="#888" {}
                text x=(f(left - 5.0)) y=(f(top + 10.0)) text-anchor="end" font-size="11" fill="#444" { (count(max)) }
                text x=(f(left - 5.0)) y=(f(top + PLOT_HEIGHT)) text-anchor="end" font-size="11" fill="#444" { "0" }
                @for (i, (label, n)) in points.iter().enumerate() {
                    @let x = left + step * i as f64 + (step - width) / 2.0;
                    @let h = *n as f64 * scale;
                    g.column data-label=(label) data-count=(n) {
                        @if *n > 0 {
                            rect x=(f(x)) y=(f(top + PLOT_HEIGHT - h)) width=(f(width)) height=(f(h)) fill=(colour(0)) data-count=(n) {
                                title { (label) ": " (count(*n)) " " (what) }
                            }
                        }
                        @if i % every == 0 {
                            text x=(f(x + width / 2.0)) y=(f(top + PLOT_HEIGHT + 16.0)) text-anchor="middle" font-size="11" { (label) }
                        }
                    }
                }
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    /// The `width` (bars) or `height` (columns) of each `<rect>` with a
    /// count, and that count.
    fn rects(svg: &str, dim: &str) -> Vec<(f64, u64)> {
        let re = Regex::new(&format!(
            r#"<rect [^>]*{dim}="([0-9.]+)"[^>]*data-count="(\d+)""#
        ))
        .unwrap();
        re.captures_iter(svg)
            .map(|c| (c[1].parse().unwrap(), c[2].parse().unwrap()))
            .collect()
    }

    fn bar(label: &str, parts: &[(usize, u64)]) -> Bar {
        Bar {
            label: label.to_owned(),
            href: None,
            parts: parts.to_vec(),
        }
    }

    #[test]
    fn bars_are_proportional_and_labels_escaped() {
        let keys: Vec<String> = ["wage", "sales<&>"].map(str::to_owned).to_vec();
        // (bars, expected bars drawn, expected rects, expected legend keys)
        let cases: Vec<(Vec<Bar>, usize, usize, usize)> = vec![
            (vec![], 0, 0, 0),
            (vec![bar("零", &[(0, 0)])], 0, 0, 0),
            (vec![bar("巨鹿县", &[(0, 4)])], 1, 1, 0),
            (
                vec![
                    bar("巨鹿县", &[(0, 4), (1, 2)]),
                    bar("<b>开化县</b>", &[(1, 3)]),
                ],
                2,
                3,
                2,
            ),
            (
                vec![
                    bar("a", &[(0, 1)]),
                    bar("b", &[(0, 0)]),
                    bar("c", &[(0, 10)]),
                ],
                2,
                2,
                0,
            ),
        ];
        for (i, (input, n_bars, n_rects, n_keys)) in cases.into_iter().enumerate() {
            let svg = bars("c", "title <x>", &keys, &input).map(Markup::into_string);
            if n_bars == 0 {
                assert_eq!(svg, None, "case {i}: an empty series gives no chart");
                continue;
            }
            let svg = svg.unwrap();
            assert_eq!(svg.matches("<g class=\"bar\"").count(), n_bars, "case {i}");
            assert_eq!(svg.matches("<g class=\"key\"").count(), n_keys, "case {i}");
            let r = rects(&svg, "width");
            assert_eq!(r.len(), n_rects, "case {i}: {svg}");
            // Every length is its count times the same scale, and the
            // longest bar spans the plot.
            let scale = r[0].0 / r[0].1 as f64;
            for (w, n) in &r {
                assert!((w - *n as f64 * scale).abs() < 0.1, "case {i}: {w} for {n}");
            }
            let max = input.iter().map(Bar::total).max().unwrap();
            let plot = WIDTH - LABEL_WIDTH - TOTAL_WIDTH;
            assert!((max as f64 * scale - plot).abs() < 0.2, "case {i}");
            assert!(!svg.contains("<b>") && !svg.contains("<x>") && !svg.contains("<&>"));
            assert!(svg.contains("<title id=\"c-title\">title &lt;x&gt;</title>"));
        }
    }

    #[test]
    fn columns_are_proportional_and_empty_series_draw_nothing() {
        let p = |l: &str, n: u64| (l.to_owned(), n);
        let cases: Vec<(Vec<(String, u64)>, usize)> = vec![
            (vec![], 0),
            (vec![p("2024-01", 0)], 0),
            (vec![p("2024-01", 3)], 1),
            (vec![p("2024-01", 3), p("2024-02", 0), p("2024-03", 6)], 2),
            (
                (1..=30).map(|i| (format!("<{i}>"), i)).collect::<Vec<_>>(),
                30,
            ),
        ];
        for (i, (points, n)) in cases.into_iter().enumerate() {
            let svg = columns("t", "timeline", "figures", &points).map(Markup::into_string);
            if n == 0 {
                assert_eq!(svg, None, "case {i}");
                continue;
            }
            let svg = svg.unwrap();
            assert_eq!(svg.matches("<g class=\"column\"").count(), points.len());
            let r = rects(&svg, "height");
            assert_eq!(r.len(), n, "case {i}");
            let max = points.iter().map(|(_, n)| *n).max().unwrap();
            for (h, c) in &r {
                assert!(
                    (h - PLOT_HEIGHT * *c as f64 / max as f64).abs() < 0.1,
                    "case {i}: {h} for {c}"
                );
            }
            assert!(!svg.contains("<1>"), "labels are escaped");
            // At most about twelve labels under the axis.
            assert!(svg.matches("text-anchor=\"middle\"").count() <= 12);
        }
    }

    #[test]
    fn dates_are_counted_by_month_without_gaps() {
        let d = |s: &str, n: u64| (s.to_owned(), n);
        type Points = Vec<(String, u64)>;
        // (dates, most months, expected points)
        let cases: Vec<(Points, usize, Points)> = vec![
            (vec![], 12, vec![]),
            (vec![d("2024", 3)], 12, vec![]),
            (
                vec![d("2023-11-05", 1), d("2024-01", 2), d("2023-11", 1)],
                12,
                vec![d("2023-11", 2), d("2023-12", 0), d("2024-01", 2)],
            ),
            (
                vec![d("2020-01-01", 1), d("2024-02-01", 5)],
                2,
                vec![d("2024-01", 0), d("2024-02", 5)],
            ),
            (vec![d("2024-13-01", 1), d("x-y", 1)], 12, vec![]),
        ];
        for (i, (dates, max, expected)) in cases.into_iter().enumerate() {
            assert_eq!(by_month(&dates, max), expected, "case {i}");
        }
    }

    #[test]
    fn families_are_bars_largest_first() {
        let mut counts = std::collections::BTreeMap::new();
        counts.insert(Some(Family::Wage), 2);
        counts.insert(Some(Family::Sales), 5);
        counts.insert(None, 1);
        counts.insert(Some(Family::Age), 0);
        let b = family_bars(&counts);
        let keys = family_keys();
        assert_eq!(b.len(), 3);
        assert_eq!(b[0].label, keys[family_key(Some(Family::Sales))]);
        assert_eq!(b[2].label, "other metrics");
        assert_eq!(b.iter().map(Bar::total).sum::<u64>(), 8);
    }

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1234567), "1,234,567");
    }
}
