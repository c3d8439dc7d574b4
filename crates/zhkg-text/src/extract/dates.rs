//! Dates and times in the text: absolute (2022年5月17日, 2023年6月, 2019年),
//! and relative to the article's publication date (5月17日 → its year,
//! 今年3月, 去年11月底, 明年). Each becomes a [`DateMention`] with an ISO date
//! or partial date, and whether the year was inferred.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::Context;

/// A date written in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateMention {
    /// Span in the normalised text.
    pub range: Range<usize>,
    /// ISO date or partial date: `2022-05-17`, `2023-06`, `2020`.
    pub date: String,
    /// True when the year comes from the publication date.
    pub year_inferred: bool,
    /// Sentence index.
    pub sentence: usize,
}

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        // A year (absolute or relative) with an optional month and day, or a
        // month with an optional day. Every match is non-empty, so the search
        // skips ahead between dates instead of matching at every character.
        r"(?:(?P<y>\d{4})\s*年|(?P<rel>今年|去年|前年|明年|当年))(?:\s*(?P<m>\d{1,2})\s*月(?:(?P<d>\d{1,2})\s*[日号])?)?|(?P<m2>\d{1,2})\s*月(?:(?P<d2>\d{1,2})\s*[日号])?",
    )
    .expect("valid regex")
});

/// Finds the dates of the article; `published` anchors years that the text leaves out.
pub fn find(cx: &Context<'_>) -> Vec<DateMention> {
    let year = cx.article.meta.published.map(|p| p.year);
    let mut out = Vec::new();
    for c in DATE.captures_iter(&cx.string) {
        let whole = c.get(0).expect("match");
        if whole.as_str().trim().is_empty() {
            continue;
        }
        let m = c.name("m").or_else(|| c.name("m2"));
        let d = c.name("d").or_else(|| c.name("d2"));
        let month: Option<u32> = m
            .and_then(|m| m.as_str().parse().ok())
            .filter(|m| (1..=12).contains(m));
        let day: Option<u32> = d
            .and_then(|d| d.as_str().parse().ok())
            .filter(|d| (1..=31).contains(d));
        if m.is_some() && month.is_none() {
            continue;
        }
        let (y, inferred) = match (c.name("y"), c.name("rel").map(|r| r.as_str())) {
            (Some(y), _) => match y.as_str().parse::<i32>() {
                Ok(v) if (1900..=2100).contains(&v) => (Some(v), false),
                _ => continue,
            },
            (None, Some(rel)) => {
                let offset = match rel {
                    "去年" => -1,
                    "前年" => -2,
                    "明年" => 1,
                    _ => 0,
                };
                (year.map(|y| y + offset), true)
            }
            (None, None) => (if month.is_some() { year } else { None }, true),
        };
        let Some(y) = y else { continue };
        // A bare 4-digit year needs 年 and no measure after it (2020年, not 5年).
        let date = match (month, day) {
            (Some(m), Some(d)) => format!("{y:04}-{m:02}-{d:02}"),
            (Some(m), None) => format!("{y:04}-{m:02}"),
            _ => format!("{y:04}"),
        };
        let start = cx.char_at_byte(
            whole.start() + (whole.as_str().len() - whole.as_str().trim_start().len()),
        );
        let end = cx.char_at_byte(whole.end());
        if cx.has_lost(start..end) {
            continue;
        }
        out.push(DateMention {
            sentence: cx.sentence_of(start),
            range: start..end,
            date,
            year_inferred: inferred,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::ingest::{ArticleId, parse_article};

    fn dates(body: &str) -> Vec<(String, bool, String)> {
        let text = format!("标题在此处\n2023-03-12 20:43:44 来源:某报\n{body}\n");
        let a = parse_article(
            ArticleId::new("t"),
            text.as_bytes(),
            None,
            &Default::default(),
        )
        .unwrap();
        let cx = super::Context::new(&a, crate::segment::segment(&a));
        super::find(&cx)
            .into_iter()
            .map(|d| (d.date, d.year_inferred, cx.text(d.range)))
            .collect()
    }

    #[test]
    fn absolute_and_relative_dates() {
        let cases: &[(&str, &[(&str, bool)])] = &[
            ("2022年5月17日,中心发布报告。", &[("2022-05-17", false)]),
            ("截至2023年6月,工资累计发放。", &[("2023-06", false)]),
            ("2019年6月起,分三批遴选。", &[("2019-06", false)]),
            ("改变,始于2020年。", &[("2020", false)]),
            ("5月17日,中心发布报告。", &[("2023-05-17", true)]),
            ("去年11月底,协会组团。", &[("2022-11", true)]),
            ("今年3月底,证书已颁发。", &[("2023-03", true)]),
            ("明年将扩建。", &[("2024", true)]),
            ("工作5年,月入3000元。", &[]),
        ];
        for (body, expected) in cases {
            let got: Vec<(String, bool)> =
                dates(body).into_iter().map(|(d, i, _)| (d, i)).collect();
            let want: Vec<(String, bool)> = expected
                .iter()
                .map(|(d, i)| ((*d).to_owned(), *i))
                .collect();
            assert_eq!(got, want, "{body}");
        }
    }
}
