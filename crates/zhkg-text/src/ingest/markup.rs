//! Markup → visible text: HTML tags, entities and invisible elements, and
//! Markdown front matter, links and headings. Every visible character keeps
//! its origin in the decoded file.

use std::collections::BTreeMap;
use std::ops::Range;

use super::text::MappedText;

/// The markup language of a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text.
    Text,
    /// HTML (a page or a fragment).
    Html,
    /// Markdown, possibly with YAML front matter.
    Markdown,
}

impl Format {
    /// The lower-case name used in messages and in the graph.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Html => "html",
            Self::Markdown => "markdown",
        }
    }
}

/// Guesses the format from the file extension, then from the content.
pub fn detect_format(extension: Option<&str>, text: &str) -> Format {
    // The first 2048 characters.
    let text = text.trim_start_matches('\u{feff}');
    let head = &text[..text.char_indices().nth(2048).map_or(text.len(), |(b, _)| b)];
    let head_lower = head.to_ascii_lowercase();
    if head.starts_with("---\n") || head.starts_with("---\r\n") {
        return Format::Markdown;
    }
    match extension.map(str::to_ascii_lowercase).as_deref() {
        Some("html" | "htm" | "xhtml" | "shtml") => return Format::Html,
        Some("md" | "markdown") => return Format::Markdown,
        _ => {}
    }
    let trimmed = head_lower.trim_start();
    if trimmed.starts_with("<!doctype html") || trimmed.starts_with("<html") {
        return Format::Html;
    }
    let tags = head_lower.matches("<p").count()
        + head_lower.matches("<div").count()
        + head_lower.matches("<br").count();
    if tags >= 2 {
        return Format::Html;
    }
    Format::Text
}

/// What markup said about the article, before any text heuristics.
#[derive(Debug, Clone, Default)]
pub struct MarkupMeta {
    /// `<title>`, `og:title`, `<h1>` or front-matter `title`, best first.
    pub titles: Vec<String>,
    /// Dates from `<meta>`, `<time datetime>` or front-matter `date`.
    pub dates: Vec<String>,
    /// Publisher or source names (`og:site_name`, front-matter `source`).
    pub sources: Vec<String>,
    /// Authors from `<meta name=author>` or front matter.
    pub authors: Vec<String>,
    /// Canonical or source URL.
    pub url: Option<String>,
    /// Front-matter categories and tags.
    pub categories: Vec<String>,
    /// Problems met while reading the markup (e.g. a malformed front matter).
    pub warnings: Vec<String>,
}

/// Visible text of an HTML document, with its metadata.
pub fn html_to_text(src: &MappedText) -> (MappedText, MarkupMeta) {
    let chars = src.chars();
    let mut out = MappedText::with_capacity(chars.len());
    let mut meta = MarkupMeta::default();
    let mut hidden: Vec<String> = Vec::new();
    let mut capture: Option<(String, String)> = None; // (tag, text so far)
    let mut i = 0;
    let n = chars.len();
    while i < n {
        let c = chars[i];
        if c == '<' {
            // Comment.
            if starts_with(chars, i, "<!--") {
                let end = find(chars, i + 4, "-->").map_or(n, |e| e + 3);
                i = end;
                continue;
            }
            let Some(close) = find_tag_end(chars, i + 1) else {
                // An unclosed '<' is text.
                push_visible(&mut out, &mut capture, &hidden, c, i..i + 1, src);
                i += 1;
                continue;
            };
            let raw: String = chars[i + 1..close].iter().collect();
            let tag = parse_tag(&raw);
            let span = i..close + 1;
            i = close + 1;
            let Some(tag) = tag else { continue };
            if is_hidden(&tag.name) {
                if tag.closing {
                    if let Some(pos) = hidden.iter().rposition(|h| *h == tag.name) {
                        hidden.truncate(pos);
                    }
                } else if !tag.self_closing {
                    hidden.push(tag.name.clone());
                }
                continue;
            }
            if tag.name == "meta" {
                read_meta(&tag.attrs, &mut meta);
            } else if tag.name == "link" {
                if tag.attrs.get("rel").is_some_and(|r| r == "canonical") {
                    meta.url = tag.attrs.get("href").cloned();
                }
            } else if tag.name == "time" && !tag.closing {
                if let Some(d) = tag.attrs.get("datetime") {
                    meta.dates.push(d.clone());
                }
            }
            if matches!(tag.name.as_str(), "title" | "h1") {
                if tag.closing {
                    if let Some((name, text)) = capture.take()
                        && name == tag.name
                    {
                        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                        if !text.is_empty() {
                            if name == "title" {
                                meta.titles.insert(0, text);
                            } else {
                                meta.titles.push(text);
                            }
                        }
                    }
                } else {
                    capture = Some((tag.name.clone(), String::new()));
                }
            }
            if tag.name == "title" {
                continue; // the <title> text is metadata, not body
            }
            if hidden.is_empty() && is_block(&tag.name) {
                let o = src.original_span(span);
                if out.chars().last().is_some_and(|&l| l != '\n') {
                    out.push('\n', o);
                }
            }
            continue;
        }
        if c == '&'
            && let Some((decoded, len)) = decode_entity(chars, i)
        {
            push_visible(&mut out, &mut capture, &hidden, decoded, i..i + len, src);
            i += len;
            continue;
        }
        push_visible(&mut out, &mut capture, &hidden, c, i..i + 1, src);
        i += 1;
    }
    if !hidden.is_empty() {
        meta.warnings.push(format!(
            "unclosed <{}> element: its content was dropped",
            hidden[0]
        ));
    }
    (out, meta)
}

fn push_visible(
    out: &mut MappedText,
    capture: &mut Option<(String, String)>,
    hidden: &[String],
    c: char,
    range: Range<usize>,
    src: &MappedText,
) {
    if !hidden.is_empty() {
        return;
    }
    if let Some((_, text)) = capture {
        text.push(c);
        if capture.as_ref().is_some_and(|(n, _)| n == "title") {
            return;
        }
    }
    out.push(c, src.original_span(range));
}

fn starts_with(chars: &[char], i: usize, pat: &str) -> bool {
    pat.chars()
        .enumerate()
        .all(|(k, p)| chars.get(i + k).map(|c| c.to_ascii_lowercase()) == Some(p))
}

fn find(chars: &[char], from: usize, pat: &str) -> Option<usize> {
    (from..chars.len()).find(|&i| starts_with(chars, i, pat))
}

fn find_tag_end(chars: &[char], from: usize) -> Option<usize> {
    // A tag must start with a letter, '/', or '!'; it ends at the first '>'
    // outside quotes, and may not span more than 4096 characters.
    let first = *chars.get(from)?;
    if !(first.is_ascii_alphabetic() || first == '/' || first == '!' || first == '?') {
        return None;
    }
    let mut quote: Option<char> = None;
    for (k, &c) in chars.iter().enumerate().skip(from).take(4096) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '>' => return Some(k),
            None if c == '<' => return None,
            None => {}
        }
    }
    None
}

struct Tag {
    name: String,
    closing: bool,
    self_closing: bool,
    attrs: BTreeMap<String, String>,
}

fn parse_tag(raw: &str) -> Option<Tag> {
    let raw = raw.trim();
    if raw.starts_with('!') || raw.starts_with('?') {
        return None;
    }
    let (closing, rest) = match raw.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, raw),
    };
    let self_closing = rest.ends_with('/');
    let rest = rest.trim_end_matches('/');
    let name_end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
    let name = rest[..name_end].to_ascii_lowercase();
    if name.is_empty() {
        return None;
    }
    let attrs = parse_attrs(&rest[name_end..]);
    Some(Tag {
        name,
        closing,
        self_closing,
        attrs,
    })
}

fn parse_attrs(s: &str) -> BTreeMap<String, String> {
    let mut attrs = BTreeMap::new();
    let b: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && b[i].is_whitespace() {
            i += 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_whitespace() && b[i] != '=' {
            i += 1;
        }
        let key: String = b[start..i].iter().collect::<String>().to_ascii_lowercase();
        while i < b.len() && b[i].is_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == '=' {
            i += 1;
            while i < b.len() && b[i].is_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == '"' || b[i] == '\'') {
                let q = b[i];
                i += 1;
                let vs = i;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                value = b[vs..i].iter().collect();
                i += 1;
            } else {
                let vs = i;
                while i < b.len() && !b[i].is_whitespace() {
                    i += 1;
                }
                value = b[vs..i].iter().collect();
            }
        }
        if !key.is_empty() {
            attrs.insert(key, decode_entities_str(&value));
        }
    }
    attrs
}

fn read_meta(attrs: &BTreeMap<String, String>, meta: &mut MarkupMeta) {
    let key = attrs
        .get("property")
        .or_else(|| attrs.get("name"))
        .or_else(|| attrs.get("itemprop"))
        .map(|k| k.to_ascii_lowercase());
    let (Some(key), Some(content)) = (key, attrs.get("content")) else {
        return;
    };
    let content = content.trim().to_owned();
    if content.is_empty() {
        return;
    }
    match key.as_str() {
        "og:title" | "twitter:title" => meta.titles.push(content),
        "og:site_name" | "source" | "publisher" | "article:publisher" => meta.sources.push(content),
        "author" | "article:author" => meta.authors.push(content),
        "og:url" => meta.url = Some(content),
        k if k.contains("date") || k.contains("published") || k == "pubdate" => {
            meta.dates.push(content)
        }
        _ => {}
    }
}

fn is_hidden(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "nav"
            | "noscript"
            | "template"
            | "svg"
            | "iframe"
            | "button"
            | "select"
            | "form"
    )
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "li"
            | "ul"
            | "ol"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "tr"
            | "table"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "aside"
            | "blockquote"
            | "figure"
            | "figcaption"
            | "hr"
            | "dd"
            | "dt"
            | "body"
            | "main"
            | "pre"
    )
}

fn decode_entity(chars: &[char], i: usize) -> Option<(char, usize)> {
    let end = (i + 1..chars.len().min(i + 12)).find(|&k| chars[k] == ';')?;
    let name: String = chars[i + 1..end].iter().collect();
    let c = if let Some(num) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
        char::from_u32(u32::from_str_radix(num, 16).ok()?)?
    } else if let Some(num) = name.strip_prefix('#') {
        char::from_u32(num.parse().ok()?)?
    } else {
        match name.as_str() {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
            "middot" => '·',
            "hellip" => '…',
            "mdash" => '—',
            "ndash" => '–',
            "ldquo" => '“',
            "rdquo" => '”',
            "lsquo" => '‘',
            "rsquo" => '’',
            "copy" => '©',
            "times" => '×',
            _ => return None,
        }
    };
    Some((c, end - i + 1))
}

fn decode_entities_str(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '&'
            && let Some((c, len)) = decode_entity(&chars, i)
        {
            out.push(c);
            i += len;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Splits off a YAML front matter (`---` … `---`) and reads its simple keys;
/// returns the body and the metadata. Markdown links become their text,
/// autolinks and heading marks disappear, and inline HTML is stripped.
pub fn markdown_to_text(src: &MappedText) -> (MappedText, MarkupMeta) {
    let mut meta = MarkupMeta::default();
    let lines = src.line_ranges();
    let mut body_start_line = 0;
    if lines
        .first()
        .is_some_and(|l| src.slice(l.clone()).trim_end() == "---")
    {
        let close = lines
            .iter()
            .enumerate()
            .skip(1)
            .find(|(_, l)| matches!(src.slice((*l).clone()).trim_end(), "---" | "..."));
        match close {
            Some((k, _)) => {
                for (n, l) in lines[1..k].iter().enumerate() {
                    let before = meta.warnings.len();
                    read_front_matter_line(&src.slice(l.clone()), &mut meta);
                    // Say where: line numbers count from the opening ---.
                    for w in &mut meta.warnings[before..] {
                        *w = format!("line {}: {w}", n + 2);
                    }
                }
                body_start_line = k + 1;
            }
            None => meta
                .warnings
                .push("front matter opened with --- is never closed: read as text".into()),
        }
    }
    let mut body = MappedText::with_capacity(src.len());
    for l in &lines[body_start_line.min(lines.len())..] {
        let line = src.slice(l.clone());
        let trimmed = line.trim();
        if let Some(url) = trimmed.strip_prefix('<').and_then(|r| r.strip_suffix('>'))
            && (url.starts_with("http://") || url.starts_with("https://"))
        {
            meta.url.get_or_insert_with(|| url.to_owned());
            continue;
        }
        let mut line_text = MappedText::with_capacity(l.len());
        line_text.extend_from(src, l.clone());
        let line_text = strip_md_links(&strip_heading(&line_text));
        body.extend_from(&line_text, 0..line_text.len());
        if l.end < src.len() {
            body.push('\n', src.original_span(l.end..l.end + 1));
        }
    }
    if body.chars().iter().filter(|&&c| c == '<').count() >= 2 {
        let (stripped, hmeta) = html_to_text(&body);
        meta.warnings.extend(hmeta.warnings);
        body = stripped;
    }
    (body, meta)
}

fn read_front_matter_line(line: &str, meta: &mut MarkupMeta) {
    let Some((key, value)) = line.split_once(':') else {
        if !line.trim().is_empty()
            && !line.trim_start().starts_with('-')
            && !line.trim_start().starts_with('#')
        {
            meta.warnings.push(format!(
                "front matter line is not `key: value`: {}",
                line.trim()
            ));
        }
        return;
    };
    // YAML that zhkg cannot read as a plain value: an unclosed list, map or
    // quotation (title: [unclosed).
    let v = value.trim();
    let unbalanced = |open: char, close: char| v.starts_with(open) && !v.ends_with(close);
    if unbalanced('[', ']')
        || unbalanced('{', '}')
        || unbalanced('"', '"')
        || unbalanced('\'', '\'')
        || (v.len() == 1 && (v == "\"" || v == "'"))
    {
        meta.warnings.push(format!(
            "front matter value of `{}` is malformed YAML ({v}): ignored",
            key.trim()
        ));
        return;
    }
    let value = value
        .trim()
        .trim_matches('"')
        .trim_matches('\'')
        .trim()
        .to_owned();
    match key.trim().to_ascii_lowercase().as_str() {
        "title" => meta.titles.insert(0, value),
        "date" | "published" | "pubdate" => meta.dates.insert(0, value),
        "source" | "publisher" | "site" => meta.sources.push(value),
        "author" | "authors" => meta.authors.push(value),
        "url" | "link" | "source_url" => meta.url = Some(value),
        "categories" | "category" | "tags" => meta.categories.extend(
            value
                .trim_matches(|c| c == '[' || c == ']')
                .split([',', ' '])
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty()),
        ),
        _ => {}
    }
}

fn strip_heading(line: &MappedText) -> MappedText {
    let hashes = line.chars().iter().take_while(|&&c| c == '#').count();
    if hashes > 0 && hashes <= 6 && line.chars().get(hashes) == Some(&' ') {
        line.remove_ranges(std::slice::from_ref(&(0..hashes + 1)))
    } else {
        line.clone()
    }
}

/// `[text](url)` → `text`; a link whose text is navigation (返回…) disappears.
fn strip_md_links(line: &MappedText) -> MappedText {
    let chars = line.chars();
    let mut cuts = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '['
            && let Some(close) = (i + 1..chars.len()).find(|&k| chars[k] == ']')
            && chars.get(close + 1) == Some(&'(')
            && let Some(paren) = (close + 2..chars.len()).find(|&k| chars[k] == ')')
        {
            cuts.push(i..i + 1);
            cuts.push(close..paren + 1);
            i = paren + 1;
            continue;
        }
        i += 1;
    }
    line.remove_ranges(&cuts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(s: &str) -> (String, MarkupMeta, MappedText) {
        let (t, m) = html_to_text(&MappedText::from_original(s));
        (t.to_string_lossless(), m, t)
    }

    #[test]
    fn html_keeps_visible_text_and_reads_metadata() {
        let src = r#"<html><head><title>义乌电商</title><meta property="og:title" content="OG"><meta name="pubdate" content="2024-04-02"></head>
<body><nav>首页 | 新闻</nav><script>var x="巨鹿县";</script><h1>标题</h1><p>义乌&amp;巨鹿&#21439;</p><time datetime="2024-04-03">x</time></body></html>"#;
        let (text, meta, mapped) = html(src);
        assert!(!text.contains("首页"));
        assert!(!text.contains("var x"));
        assert!(text.contains("义乌&巨鹿县"), "{text}");
        assert_eq!(meta.titles[0], "义乌电商");
        assert!(meta.titles.contains(&"标题".to_owned()));
        assert!(meta.dates.contains(&"2024-04-02".to_owned()));
        assert!(meta.dates.contains(&"2024-04-03".to_owned()));
        // The entity &#21439; maps back to its 7 source characters.
        let pos = text.chars().position(|c| c == '县').unwrap();
        let span = mapped.original_span(pos..pos + 1);
        let orig: String = src
            .chars()
            .skip(span.start as usize)
            .take(span.len())
            .collect();
        assert_eq!(orig, "&#21439;");
    }

    #[test]
    fn unclosed_html_does_not_panic() {
        let (text, _, _) = html("<div><p>巨鹿<b>县<div");
        assert!(text.contains("巨鹿县"));
        let (_, meta, _) = html("<p>a<script>b");
        assert!(!meta.warnings.is_empty());
    }

    #[test]
    fn markdown_front_matter_and_links() {
        let src = "---\ntitle: \"清华大学报告\"\ndate: 2022-05-18 15:29:52 +0800\ncategories: a b\n---\n<p>正文一</p><p>正文二</p>\n\n<http://x.y/z>\n\n[返回首页](//x/)｜[新闻](//y)\n";
        let (body, meta) = markdown_to_text(&MappedText::from_original(src));
        let body_s = body.to_string_lossless();
        assert_eq!(meta.titles[0], "清华大学报告");
        assert_eq!(meta.dates[0], "2022-05-18 15:29:52 +0800");
        assert_eq!(meta.url.as_deref(), Some("http://x.y/z"));
        assert!(body_s.contains("正文一\n正文二"), "{body_s}");
        assert!(body_s.contains("返回首页｜新闻"), "{body_s}");
        assert!(!body_s.contains("title:"));
    }

    #[test]
    fn formats_are_detected_by_content() {
        assert_eq!(detect_format(None, "<!DOCTYPE html><html>"), Format::Html);
        assert_eq!(
            detect_format(Some("txt"), "---\ntitle: x\n---\n"),
            Format::Markdown
        );
        assert_eq!(detect_format(None, "<p>a</p><p>b</p>"), Format::Html);
        assert_eq!(detect_format(None, "巨鹿县"), Format::Text);
    }
}
