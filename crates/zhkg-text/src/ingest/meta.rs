//! Article metadata: publication date and time, publisher, authors, editors,
//! title; gathered from markup, header lines and furniture.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

/// A publication date, with the time of day when the source gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct PubDate {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day, 1–31.
    pub day: u32,
    /// Hour, minute, second, when stated.
    pub time: Option<(u32, u32, u32)>,
    /// Offset from UTC in minutes; China Standard Time (+08:00) unless stated.
    pub offset_minutes: i32,
}

impl PubDate {
    /// `xsd:dateTime` lexical form when a time is known, else `xsd:date`.
    pub fn to_xsd(&self) -> String {
        match self.time {
            Some((h, mi, s)) => {
                let sign = if self.offset_minutes < 0 { '-' } else { '+' };
                let off = self.offset_minutes.abs();
                format!(
                    "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}",
                    self.year,
                    self.month,
                    self.day,
                    h,
                    mi,
                    s,
                    sign,
                    off / 60,
                    off % 60
                )
            }
            None => self.date_string(),
        }
    }

    /// The `YYYY-MM-DD` form.
    pub fn date_string(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// True when a time of day is known.
    pub fn has_time(&self) -> bool {
        self.time.is_some()
    }
}

static DATETIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*(?:-|/|\.|月)\s*(\d{1,2})\s*日?(?:\s*T?\s*(\d{1,2})\s*[:时]\s*(\d{2})(?:\s*[:分]\s*(\d{2}))?(?:\s*([+-])(\d{2}):?(\d{2}))?)?",
    )
    .expect("valid regex")
});
static NOT_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:来源|作者|记者|编辑|责编|发布时间|发布日期|时间|日期|稿源|浏览次数|阅读|字号)\s*[:|]?\s*[^\s|]*").expect("valid regex")
});

/// Finds the first date (and time) in `line`; also returns how many Han
/// characters of the line are neither the date nor a source/author/time
/// label, so that a dateline (`2023-03-12 20:43:44 来源:河北日报`) can be told
/// from a sentence that merely contains a date.
pub fn find_datetime(line: &str) -> Option<(PubDate, usize)> {
    // A year is read from ASCII digits only (other digits do not parse
    // below): a line without one holds no date.
    if !line.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let c = DATETIME.captures(line)?;
    let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let year = num(1)? as i32;
    let (month, day) = (num(2)?, num(3)?);
    if !(1900..=2100).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let time = match (num(4), num(5)) {
        (Some(h), Some(mi)) if h < 24 && mi < 60 => Some((h, mi, num(6).unwrap_or(0).min(59))),
        _ => None,
    };
    let offset_minutes = match (c.get(7), num(8), num(9)) {
        (Some(sign), Some(h), Some(m)) => {
            let v = (h * 60 + m) as i32;
            if sign.as_str() == "-" { -v } else { v }
        }
        _ => 8 * 60,
    };
    let whole = c.get(0)?;
    let rest = format!("{}{}", &line[..whole.start()], &line[whole.end()..]);
    let rest = NOT_DATE.replace_all(&rest, "");
    let noise = rest
        .chars()
        .filter(|&ch| super::normalize::is_han(ch))
        .count();
    Some((
        PubDate {
            year,
            month,
            day,
            time,
            offset_minutes,
        },
        noise,
    ))
}

/// Metadata gathered piecemeal while reading an article.
#[derive(Debug, Clone, Default)]
pub struct PartialMeta {
    /// Publication date from a dateline.
    pub published: Option<PubDate>,
    /// Source or publisher names, as written (`人民网-青海频道`).
    pub sources: Vec<String>,
    /// Authors and reporters.
    pub authors: Vec<String>,
    /// Editors.
    pub editors: Vec<String>,
    /// The source URL.
    pub url: Option<String>,
    /// Header lines that may be the title.
    pub header_lines: Vec<String>,
}

/// What the graph records about an article besides its facts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Metadata {
    /// The headline.
    pub title: Option<String>,
    /// Publication date (and time).
    pub published: Option<PubDate>,
    /// The publisher (`人民网`, `河北日报`).
    pub publisher: Option<String>,
    /// The channel or section of the publisher (`青海频道`), when given.
    pub channel: Option<String>,
    /// Authors and reporters.
    pub authors: Vec<String>,
    /// Editors.
    pub editors: Vec<String>,
    /// The source URL, when present.
    pub url: Option<String>,
    /// Categories or tags from front matter.
    pub categories: Vec<String>,
}

static REPORTED_BY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*据([\p{Han}]{2,8}?)(?:报道|消息|讯)").expect("valid regex"));

/// Splits `人民网-青海频道` into publisher and channel.
pub fn split_source(s: &str) -> (String, Option<String>) {
    let s = s
        .trim()
        .trim_matches(|c| c == '(' || c == ')' || c == '（' || c == '）');
    for sep in ['-', '—', '－', '·', ' '] {
        if let Some((a, b)) = s.split_once(sep) {
            let (a, b) = (a.trim(), b.trim());
            if !a.is_empty() && !b.is_empty() {
                return (a.to_owned(), Some(b.to_owned()));
            }
        }
    }
    (s.to_owned(), None)
}

/// Publisher from the body's opening words (`据潮新闻报道`).
pub fn publisher_from_body(body: &str) -> Option<String> {
    REPORTED_BY.captures(body).map(|c| c[1].to_owned())
}

/// Parses a metadata date string (`2022-05-18 15:29:52 +0800`, `2024-04-02`).
pub fn parse_date(s: &str) -> Option<PubDate> {
    find_datetime(s).map(|(d, _)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_seed_date_forms() {
        let d = parse_date("2023-03-12 20:43:44").unwrap();
        assert_eq!(d.to_xsd(), "2023-03-12T20:43:44+08:00");
        let d = parse_date("2023年09月28日10:35").unwrap();
        assert_eq!(d.to_xsd(), "2023-09-28T10:35:00+08:00");
        let d = parse_date("2022-05-18 15:29:52 +0800").unwrap();
        assert_eq!(d.to_xsd(), "2022-05-18T15:29:52+08:00");
        let d = parse_date("2024/4/2").unwrap();
        assert_eq!(d.to_xsd(), "2024-04-02");
        assert!(parse_date("2023-13-01").is_none());
    }

    #[test]
    fn datelines_are_told_from_sentences() {
        assert_eq!(
            find_datetime("2023-03-12 20:43:44 来源:河北日报")
                .unwrap()
                .1,
            0
        );
        assert!(find_datetime("2022年5月17日,清华大学发布了报告").unwrap().1 > 2);
    }

    #[test]
    fn sources_split_into_publisher_and_channel() {
        assert_eq!(
            split_source("人民网-青海频道"),
            ("人民网".into(), Some("青海频道".into()))
        );
        assert_eq!(split_source("潮新闻"), ("潮新闻".into(), None));
        assert_eq!(
            publisher_from_body("据潮新闻报道 4月2日"),
            Some("潮新闻".into())
        );
    }
}
