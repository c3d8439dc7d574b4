//! Page furniture: the lines and fragments of a scraped page that are not the
//! article (bylines, editor lines, share widgets, copyright notices, link
//! lists, photo credits), and the metadata lines (dateline, source) that are
//! read into [`Metadata`](super::Metadata) rather than extracted from.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::meta::{self, PartialMeta};
use super::normalize::is_han;
use super::text::{MappedText, byte_to_char_index};

/// Why a piece of the page was left out of the article text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RemovalReason {
    /// A run of short items separated by `|` (e.g. a list of place links).
    LinkList,
    /// Breadcrumb navigation (`人民网>>青海频道>>本网专稿`).
    Navigation,
    /// 责任编辑, 责编, 编审 and similar editor credits.
    EditorLine,
    /// A `来源:` line or another statement of the source.
    SourceLine,
    /// The publication date line.
    Dateline,
    /// Author or reporter credit.
    Byline,
    /// Share buttons, "返回顶部", QR-code prompts, comment prompts.
    PageWidget,
    /// Copyright and reprint notices.
    Copyright,
    /// Photo credit after a caption (`阿里巴巴供图`, `人民网 马可欣摄`).
    PhotoCredit,
    /// The site's name above the article.
    SiteName,
    /// A stand-alone URL.
    Url,
    /// The titles listed under a related-reading heading (相关阅读:).
    RelatedLinks,
}

impl RemovalReason {
    /// A short human explanation.
    pub fn explain(self) -> &'static str {
        match self {
            Self::LinkList => "list of links separated by '|'",
            Self::Navigation => "breadcrumb navigation",
            Self::EditorLine => "editor credit",
            Self::SourceLine => "source statement (read as publisher)",
            Self::Dateline => "dateline (read as publication date)",
            Self::Byline => "author or reporter credit (read as author)",
            Self::PageWidget => "page widget (share, back-to-top, QR code, comments)",
            Self::Copyright => "copyright or reprint notice",
            Self::PhotoCredit => "photo credit",
            Self::SiteName => "site name above the article",
            Self::Url => "stand-alone URL",
            Self::RelatedLinks => "titles listed under a related-reading heading",
        }
    }
}

/// A piece of the page dropped from the article text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Removal {
    /// Why it was dropped.
    pub reason: RemovalReason,
    /// The dropped text (normalised).
    pub text: String,
    /// Its character span in the decoded original.
    pub span: super::OriginalSpan,
}

static EDITOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[(\[【]?\s*(?:责任编辑|责编|编辑|编审|审核|校对|监制|值班编辑|终审|一审|二审|三审|策划|统筹|制图|美编)\s*[:|]\s*(.{1,40}?)\s*[)\]】]?$").expect("valid regex")
});
static SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[(\[【]?\s*(?:文章来源|来源|稿源|出处|转载自)\s*[:|]\s*(.{1,40}?)\s*[)\]】]?$")
        .expect("valid regex")
});
static SOURCE_INLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:文章来源|来源|稿源)\s*[:|]\s*([^\s|()（）]{2,30})").expect("valid regex")
});
static AUTHOR_INLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:作者|记者|文|撰稿)\s*[:|]\s*([\p{Han}·]{2,8}(?:[ 、,][\p{Han}·]{2,8}){0,4})")
        .expect("valid regex")
});
static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:本报|本网)?(?:记者|通讯员|作者|文|撰稿)\s*[:|]?\s*([\p{Han}·]{2,4}(?:[ 、,][\p{Han}·]{2,4}){0,3})$").expect("valid regex")
});
static PHOTO_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:[。.!?！？]|^)\s*([^。!?]{1,24}?(?:供图|摄影?|/摄|图片来源[:：]?[^。]{0,20}))\s*$",
    )
    .expect("valid regex")
});
static TRAILING_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[(（]\s*((?:[\p{Han}]{0,12}?(?:记者|通讯员|实习生))?\s*[\p{Han}·]{2,4}(?:[ 、][\p{Han}·]{2,4}){0,3})\s*[)）]\s*\|?\s*$").expect("valid regex")
});
static WIDGETS: &[&str] = &[
    "返回顶部",
    "分享让更多人看到",
    "扫码阅读手机版",
    "小字号",
    "大字号",
    "电子报",
    "相关新闻",
    "打印本页",
    "关闭窗口",
    "还没有评论",
    "发表第一个评论",
    "分享到",
    "扫一扫",
    "点击进入",
    "上一篇",
    "下一篇",
    "字号:",
    "我要评论",
    "推荐阅读",
    "相关阅读",
    "延伸阅读",
    "相关链接",
    "更多阅读",
    "热点推荐",
    "猜你喜欢",
    "手机看新闻",
    "微信公众号",
    "分享至",
    "收藏本页",
    "网站地图",
];

/// [`WIDGETS`] in one automaton: a line is scanned once, not once a widget.
/// The [`WIDGETS`] that head a list of other articles' titles: the short
/// lines after one are those titles, not the article.
const LIST_HEADINGS: &[&str] = &[
    "相关新闻",
    "推荐阅读",
    "相关阅读",
    "热点推荐",
    "猜你喜欢",
    "延伸阅读",
    "相关链接",
    "更多阅读",
];

/// A title under a related-reading heading: a short line that does not
/// end as a sentence does (湘西电商产业园开园, - 十八洞村的新变化).
fn is_listed_title(t: &str) -> bool {
    t.chars().count() <= 40 && !t.ends_with(['。', '!', '?', '！', '？', '.', ':', '：', ',', '，'])
}

static WIDGET_PHRASES: LazyLock<crate::extract::phrases::Phrases> =
    LazyLock::new(|| crate::extract::phrases::Phrases::new(WIDGETS));

/// The outcome of furniture removal on one article text.
pub struct Cleaned {
    /// The article text with furniture removed.
    pub text: MappedText,
    /// What was removed, in order.
    pub removed: Vec<Removal>,
    /// Metadata read from removed lines and the header.
    pub meta: PartialMeta,
}

enum Verdict {
    Keep,
    Drop(RemovalReason),
    /// Keep the line but cut the given character range (relative to the line).
    Cut(Range<usize>, RemovalReason),
}

/// Removes page furniture and collects metadata from it.
pub fn clean(text: &MappedText) -> Cleaned {
    let lines = text.line_ranges();
    // The text of each line, cut from one string of the whole text (the
    // same lines: both split at every line break).
    let whole = text.to_string_lossless();
    let line_texts: Vec<&str> = whole.split('\n').collect();
    debug_assert_eq!(line_texts.len(), lines.len());
    let mut pm = PartialMeta::default();
    let mut removed = Vec::new();
    let mut cuts: Vec<Range<usize>> = Vec::new();

    let nonempty: Vec<usize> = (0..lines.len())
        .filter(|&k| !line_texts[k].trim().is_empty())
        .collect();
    // The header: lines up to a dateline among the first dozen non-empty lines.
    let header_end = nonempty
        .iter()
        .take(12)
        .position(|&k| meta::find_datetime(line_texts[k]).is_some_and(|d| d.1 < 2))
        .map(|p| nonempty[p]);
    let last_body = nonempty.last().copied();
    // After a related-reading heading, until a line that is no title.
    let mut in_list = false;

    for (k, line) in lines.iter().enumerate() {
        let s = line_texts[k];
        let t = s.trim();
        if t.is_empty() {
            continue;
        }
        let in_header = header_end.is_some_and(|h| k < h);
        let verdict = classify(
            t,
            s,
            k,
            in_header,
            header_end == Some(k),
            &nonempty,
            &mut pm,
        );
        let verdict = match verdict {
            Verdict::Keep => {
                trailing_credit(s, &mut pm, Some(k) == last_body || nonempty.len() < 3)
            }
            v => v,
        };
        // Under a related-reading heading, the lines that are no other
        // furniture (an editor's line still names the editor) are titles
        // until one reads as the article's.
        let verdict = match verdict {
            Verdict::Keep if in_list && is_listed_title(t) => {
                Verdict::Drop(RemovalReason::RelatedLinks)
            }
            Verdict::Keep => {
                in_list = false;
                Verdict::Keep
            }
            v => v,
        };
        match verdict {
            Verdict::Keep => {}
            Verdict::Drop(reason) => {
                if reason == RemovalReason::PageWidget {
                    in_list |= LIST_HEADINGS.iter().any(|h| t.contains(h));
                }
                removed.push(Removal {
                    reason,
                    text: t.to_owned(),
                    span: text.original_span(line.clone()),
                });
                // Drop the line and its line break.
                let end = (line.end + 1).min(text.len());
                cuts.push(line.start..end);
            }
            Verdict::Cut(r, reason) => {
                let abs = line.start + r.start..line.start + r.end;
                removed.push(Removal {
                    reason,
                    text: text.slice(abs.clone()).trim().to_owned(),
                    span: text.original_span(abs.clone()),
                });
                cuts.push(abs);
            }
        }
    }
    cuts.sort_by_key(|r| r.start);
    Cleaned {
        text: text.remove_ranges(&cuts),
        removed,
        meta: pm,
    }
}

fn classify(
    t: &str,
    raw: &str,
    k: usize,
    in_header: bool,
    is_dateline: bool,
    nonempty: &[usize],
    pm: &mut PartialMeta,
) -> Verdict {
    let n_chars = t.chars().count();
    if is_link_list(t) {
        return Verdict::Drop(RemovalReason::LinkList);
    }
    if n_chars < 60 && (t.contains(">>") || t.contains('»') || t.matches('>').count() >= 2) {
        return Verdict::Drop(RemovalReason::Navigation);
    }
    if (t.starts_with("http://") || t.starts_with("https://") || t.starts_with("www."))
        && !t.contains(' ')
    {
        pm.url.get_or_insert_with(|| t.to_owned());
        return Verdict::Drop(RemovalReason::Url);
    }
    // An editor's or a source's line has its label's colon or bar.
    let labelled = t.bytes().any(|b| b == b':' || b == b'|');
    if labelled && let Some(c) = EDITOR.captures(t) {
        pm.editors.extend(split_names(&c[1]));
        return Verdict::Drop(RemovalReason::EditorLine);
    }
    if is_dateline
        || (n_chars < 60
            && meta::find_datetime(t).is_some_and(|d| d.1 < 2)
            && nonempty.iter().take(15).any(|&n| n == k))
    {
        if let Some((dt, _)) = meta::find_datetime(t) {
            pm.published.get_or_insert(dt);
        }
        if let Some(c) = SOURCE_INLINE.captures(t) {
            pm.sources.push(c[1].to_owned());
        }
        if let Some(c) = AUTHOR_INLINE.captures(t) {
            pm.authors.extend(split_names(&c[1]));
        }
        return Verdict::Drop(RemovalReason::Dateline);
    }
    // A byline on its own line: 记者 刀艳芳, 通讯员 张三 李四.
    if t.starts_with(['本', '记', '通', '作', '文', '撰'])
        && let Some(c) = BYLINE.captures(t)
    {
        pm.authors.extend(split_names(&c[1]));
        return Verdict::Drop(RemovalReason::Byline);
    }
    if labelled && let Some(c) = SOURCE.captures(t) {
        pm.sources.push(c[1].to_owned());
        return Verdict::Drop(RemovalReason::SourceLine);
    }
    if n_chars <= 24 && WIDGET_PHRASES.any_in(t) {
        return Verdict::Drop(RemovalReason::PageWidget);
    }
    // A notice is a short line of its own; an article pasted as one long line
    // that ends in a notice is still an article.
    if n_chars <= 300
        && (t.contains("Copyright")
            || t.contains('©')
            || ((t.contains("版权") || t.contains("著作权"))
                && (t.contains("所有") || t.contains("未经") || t.contains("转载")))
            || (t.contains("不得转载") || t.contains("禁止转载")))
    {
        return Verdict::Drop(RemovalReason::Copyright);
    }
    if in_header {
        let han = t.chars().filter(|&c| is_han(c)).count();
        let first = nonempty.first() == Some(&k);
        if first
            && n_chars <= 8
            && (t.ends_with('网')
                || t.ends_with('报')
                || t.ends_with("新闻")
                || t.ends_with("频道")
                || t.ends_with("在线"))
        {
            pm.sources.push(t.to_owned());
            return Verdict::Drop(RemovalReason::SiteName);
        }
        if (2..=4).contains(&han) && han == n_chars {
            pm.authors.push(t.to_owned());
            return Verdict::Drop(RemovalReason::Byline);
        }
        if han >= 4 && !t.contains('。') {
            pm.header_lines.push(t.to_owned());
        }
    }
    // Every credit names 摄 (摄, 摄影, /摄), 供图 or 图片来源: lines without
    // them skip the expression.
    if (raw.contains('摄') || raw.contains("供图") || raw.contains("图片来源"))
        && let Some(c) = PHOTO_CREDIT.captures(raw)
    {
        let m = c.get(1).expect("group");
        let b2c = byte_to_char_index(raw);
        let credit = m.as_str();
        // A credit is short and does not read like a sentence.
        if credit.chars().count() <= 24 && !credit.contains(',') {
            return Verdict::Cut(b2c[m.start()]..b2c[m.end()], RemovalReason::PhotoCredit);
        }
    }
    Verdict::Keep
}

/// A reporter or author credit in parentheses at the end of the last paragraph:
/// `(河北日报记者米彦泽)`, `(皮磊)`.
fn trailing_credit(raw: &str, pm: &mut PartialMeta, last: bool) -> Verdict {
    // A credit closes the line: `)` or `）`, then only spaces and one `|`.
    let end = raw.trim_end();
    if !end
        .strip_suffix('|')
        .unwrap_or(end)
        .trim_end()
        .ends_with([')', '）'])
    {
        return Verdict::Keep;
    }
    let Some(c) = TRAILING_CREDIT.captures(raw) else {
        return Verdict::Keep;
    };
    let inner = c.get(1).expect("group").as_str();
    if !last && !inner.contains("记者") {
        return Verdict::Keep;
    }
    let whole = c.get(0).expect("match");
    let names = inner
        .rsplit_once("记者")
        .or_else(|| inner.rsplit_once("通讯员"))
        .or_else(|| inner.rsplit_once("实习生"))
        .map_or(inner, |(_, n)| n);
    pm.authors.extend(split_names(names));
    if let Some((org, _)) = inner.split_once("记者")
        && !org.is_empty()
    {
        pm.sources.push(org.to_owned());
    }
    let b2c = byte_to_char_index(raw);
    Verdict::Cut(b2c[whole.start()]..b2c[whole.end()], RemovalReason::Byline)
}

fn split_names(s: &str) -> Vec<String> {
    s.split([' ', '、', ',', '，'])
        .map(|n| n.trim().trim_end_matches([')', '）']))
        .map(|n| n.split(['(', '（']).next().unwrap_or(n).trim())
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect()
}

fn is_link_list(t: &str) -> bool {
    if t.contains('|') && t.chars().all(|c| c == '|' || c.is_whitespace()) {
        return true;
    }
    let items: Vec<&str> = t.split('|').map(str::trim).collect();
    if items.len() < 3 {
        return false;
    }
    let nonempty: Vec<&&str> = items.iter().filter(|s| !s.is_empty()).collect();
    let short = nonempty.iter().filter(|s| s.chars().count() <= 12).count();
    nonempty.len() >= 2 && short * 10 >= nonempty.len() * 8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> Cleaned {
        clean(&MappedText::from_original(s))
    }

    #[test]
    fn link_lists_and_widgets_are_dropped() {
        let c =
            run("正文一句。\n分享让更多人看到\n返回顶部\n沙湾县| 牙克石市| 玛纳斯县| 颍上县|\n");
        assert_eq!(c.text.to_string_lossless().trim(), "正文一句。");
        let reasons: Vec<_> = c.removed.iter().map(|r| r.reason).collect();
        assert_eq!(
            reasons,
            [
                RemovalReason::PageWidget,
                RemovalReason::PageWidget,
                RemovalReason::LinkList
            ]
        );
    }

    #[test]
    fn titles_under_a_related_reading_heading_are_dropped() {
        // (text, what is kept): invented pages.
        let cases: &[(&str, &str)] = &[
            (
                "正文最后一句。\n相关阅读：\n- 某县电商产业园开园\n- 山村的新变化\n",
                "正文最后一句。",
            ),
            (
                "正文。\n推荐阅读\n县里开了第一家直播间\n\n返乡青年的网店\n",
                "正文。",
            ),
            // A sentence after the list is the article again.
            (
                "正文。\n延伸阅读:\n春茶上市\n编者按：以下是第二部分。\n",
                "正文。\n编者按：以下是第二部分。",
            ),
            // An editor's line under the list is still read as one.
            (
                "正文。\n相关新闻\n某县新建冷库\n(责任编辑:王小林)\n",
                "正文。",
            ),
            // Other widgets head no list.
            (
                "正文。\n返回顶部\n最后一段没有句号\n",
                "正文。\n最后一段没有句号",
            ),
        ];
        for (page, kept) in cases {
            let c = run(page);
            assert_eq!(c.text.to_string_lossless().trim(), *kept, "{page}");
        }
        let c = run(cases[0].0);
        assert!(
            c.removed
                .iter()
                .any(|r| r.reason == RemovalReason::RelatedLinks)
        );
        assert_eq!(run(cases[3].0).meta.editors, ["王小林"]);
    }

    #[test]
    fn header_dateline_source_and_byline() {
        let c = run(
            "人民网\n人民网>>青海频道>>本网专稿\n青海平安插上翅膀\n马可欣\n2023年09月28日10:35 | 来源:人民网-青海频道\n小字号\n正文。\n(责编:刘沛然、张莉萍)\n",
        );
        let m = &c.meta;
        assert_eq!(m.authors, ["马可欣"]);
        assert_eq!(m.editors, ["刘沛然", "张莉萍"]);
        assert!(m.sources.contains(&"人民网-青海频道".to_owned()));
        assert_eq!(
            m.published.as_ref().unwrap().to_xsd(),
            "2023-09-28T10:35:00+08:00"
        );
        assert_eq!(
            c.text.to_string_lossless().trim(),
            "青海平安插上翅膀\n正文。"
        );
    }

    #[test]
    fn trailing_reporter_credit_and_photo_credit() {
        let c = run("图为村民在直播。阿里巴巴供图\n最后一段。(河北日报记者米彦泽)\n");
        assert_eq!(
            c.text.to_string_lossless(),
            "图为村民在直播。\n最后一段。\n"
        );
        assert_eq!(c.meta.authors, ["米彦泽"]);
        assert_eq!(c.meta.sources, ["河北日报"]);
    }

    /// The quick checks before the credit expressions (a closing bracket at
    /// the end, past spaces and one bar; 摄, 供图 or 图片来源) let every
    /// credit through: a table of invented lines.
    #[test]
    fn credits_pass_the_quick_checks() {
        let cases: &[(&str, &str, &str)] = &[
            // (text, kept, author)
            (
                "第一段。\n最后一段。(记者王小林) | \n",
                "第一段。\n最后一段。\n",
                "王小林",
            ),
            (
                "第一段。\n最后一段。（李青） \n",
                "第一段。\n最后一段。\n",
                "李青",
            ),
            (
                "村口的新仓库。张伟/摄\n正文。\n",
                "村口的新仓库。\n正文。\n",
                "",
            ),
            (
                "村口的新仓库。县融媒体中心供图\n正文。\n",
                "村口的新仓库。\n正文。\n",
                "",
            ),
            (
                "他说（这是旧事）还在讲。\n",
                "他说（这是旧事）还在讲。\n",
                "",
            ),
        ];
        for (text, kept, author) in cases {
            let c = run(text);
            assert_eq!(c.text.to_string_lossless(), *kept, "{text}");
            let authors: Vec<&str> = c.meta.authors.iter().map(String::as_str).collect();
            assert_eq!(
                authors,
                if author.is_empty() {
                    vec![]
                } else {
                    vec![*author]
                },
                "{text}"
            );
        }
    }

    #[test]
    fn spans_point_into_the_original() {
        let src = "正文。\n责任编辑:孙明霞\n";
        let c = run(src);
        let r = &c.removed[0];
        let o: String = src
            .chars()
            .skip(r.span.start as usize)
            .take(r.span.len())
            .collect();
        assert_eq!(o, "责任编辑:孙明霞");
    }
}
