//! Ingest: a file's bytes → an [`Article`] with clean, normalised text, its
//! metadata, and a map from every character back to the decoded original.
//!
//! The steps, in order: [`decode`] (encoding detection), [`markup`] (HTML and
//! Markdown to visible text), [`normalize`] (pinyin, lost characters, width,
//! traditional → simplified) and [`furniture`] (page furniture and metadata
//! lines). Each step maps [`MappedText`] to [`MappedText`], so offsets that the
//! extractors record are offsets into the *original* decoded text.

pub mod decode;
pub mod furniture;
pub mod markup;
pub mod meta;
pub mod normalize;
pub mod text;

use std::fmt;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub use self::furniture::{Removal, RemovalReason};
pub use self::markup::Format;
pub use self::meta::{Metadata, PubDate};
pub use self::normalize::{LOST, NormalizeStats};
pub use self::text::{MappedText, OriginalSpan};
use crate::error::IngestError;

/// Largest file ingest reads; bigger files are refused with a clear error.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Most characters of text (after markup is removed) one article may have;
/// longer texts are refused with a clear error. A long news feature has
/// some tens of thousands; a million is a book, or many articles in one file.
pub const MAX_TEXT_CHARS: usize = 1_000_000;

/// Fewer Chinese characters than this in an article draws a warning.
pub const MIN_HAN: usize = 10;

/// A stable identifier for an article: the file name without extension,
/// restricted to characters that are safe in an IRI path segment.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ArticleId(String);

impl ArticleId {
    /// Builds an id from any string; characters outside `[A-Za-z0-9_.-]` are
    /// replaced by a short hash of the whole name so that ids stay unique.
    pub fn new(raw: &str) -> Self {
        let clean: String = raw
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "_.-".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if clean == raw && !raw.is_empty() {
            Self(clean)
        } else {
            let h = Sha256::digest(raw.as_bytes());
            Self(format!("{}-{}", clean.trim_matches('_'), hex(&h[..4])))
        }
    }

    /// The id from a file path (its stem).
    pub fn from_path(path: &Path) -> Self {
        Self::new(
            &path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        )
    }

    /// The id as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Options for reading articles.
#[derive(Debug, Clone, Copy, Default)]
pub struct IngestOptions {
    /// Force this encoding instead of detecting it.
    pub encoding: Option<&'static encoding_rs::Encoding>,
}

/// One article, read and normalised.
#[derive(Debug, Clone)]
pub struct Article {
    /// Stable id (from the file name).
    pub id: ArticleId,
    /// The file it came from, when it came from a file.
    pub path: Option<PathBuf>,
    /// The decoded original text; recorded spans index its characters.
    pub original: String,
    /// The normalised article text used by the extractors.
    pub text: MappedText,
    /// Markup format.
    pub format: Format,
    /// Encoding the bytes were decoded from.
    pub encoding: &'static str,
    /// Undecodable byte sequences replaced while decoding.
    pub replaced_sequences: usize,
    /// What normalisation changed.
    pub stats: NormalizeStats,
    /// Title, date, publisher, authors…
    pub meta: Metadata,
    /// Page furniture left out of `text`, with reasons.
    pub removed: Vec<Removal>,
    /// Non-fatal problems (replaced bytes, malformed front matter…).
    pub warnings: Vec<String>,
    /// SHA-256 of the file's bytes, hex.
    pub content_hash: String,
}

impl Article {
    /// The normalised text as a `String`.
    pub fn body(&self) -> String {
        self.text.to_string_lossless()
    }

    /// An index for taking slices of the original (the characters at a span) in constant time each.
    pub fn original_index(&self) -> OriginalIndex<'_> {
        let mut starts: Vec<usize> = self.original.char_indices().map(|(b, _)| b).collect();
        starts.push(self.original.len());
        OriginalIndex {
            text: &self.original,
            starts,
        }
    }

    /// True when the article was written in traditional characters.
    pub fn is_traditional(&self) -> bool {
        self.stats.is_traditional()
    }
}

/// Byte offsets of the characters of an original text.
pub struct OriginalIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl OriginalIndex<'_> {
    /// The original characters at `span` (clamped to the text).
    pub fn slice(&self, span: &OriginalSpan) -> &str {
        let last = self.starts.len() - 1;
        let a = self.starts[(span.start as usize).min(last)];
        let b = self.starts[(span.end as usize).min(last)];
        &self.text[a..b.max(a)]
    }
}

/// Reads and normalises the article at `path`.
pub fn read_article(path: &Path, opts: &IngestOptions) -> Result<Article, IngestError> {
    let bytes = read_file(path)?;
    parse_file(path, &bytes, opts)
}

/// Reads the bytes of the article file at `path`, refusing folders and
/// files over [`MAX_FILE_BYTES`].
pub fn read_file(path: &Path) -> Result<Vec<u8>, IngestError> {
    check_file(path)?;
    std::fs::read(path).map_err(IngestError::Io)
}

/// The metadata of the article file at `path`, refusing folders and files
/// over [`MAX_FILE_BYTES`].
pub fn check_file(path: &Path) -> Result<std::fs::Metadata, IngestError> {
    let md = std::fs::metadata(path).map_err(IngestError::Io)?;
    if md.is_dir() {
        return Err(IngestError::IsDirectory);
    }
    if md.len() > MAX_FILE_BYTES {
        return Err(IngestError::TooLarge {
            bytes: md.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    Ok(md)
}

/// Reads and normalises the `bytes` of the file at `path` (read with
/// [`read_file`]): its id comes from the file name, its format from the
/// extension or the content.
pub fn parse_file(path: &Path, bytes: &[u8], opts: &IngestOptions) -> Result<Article, IngestError> {
    let ext = path.extension().map(|e| e.to_string_lossy().into_owned());
    let mut article = parse_article(ArticleId::from_path(path), bytes, ext.as_deref(), opts)?;
    article.path = Some(path.to_path_buf());
    Ok(article)
}

/// The content hash of a file's bytes (SHA-256, hex), as recorded in
/// [`Article::content_hash`].
pub fn content_hash(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Reads and normalises an article from bytes; `extension` helps detect the format.
pub fn parse_article(
    id: ArticleId,
    bytes: &[u8],
    extension: Option<&str>,
    opts: &IngestOptions,
) -> Result<Article, IngestError> {
    let decoded = decode::decode(bytes, opts.encoding)?;
    let mut warnings = Vec::new();
    let line_of = |text: &str, c: char| {
        text.find(c)
            .map(|b| text[..b].matches('\n').count() + 1)
            .unwrap_or(0)
    };
    if decoded.replaced > 0 {
        warnings.push(format!(
            "line {}: {} malformed {} sequence(s) replaced (first here); check the file's encoding or pass --encoding",
            line_of(&decoded.text, '\u{FFFD}'),
            decoded.replaced,
            decoded.encoding
        ));
    }
    // NUL bytes inside text are read as spaces, so offsets stay put.
    let nuls = decoded.text.matches('\0').count();
    let original = if nuls > 0 {
        warnings.push(format!(
            "line {}: {nuls} NUL byte(s) read as spaces",
            line_of(&decoded.text, '\0')
        ));
        decoded.text.replace('\0', " ")
    } else {
        decoded.text
    };
    let format = markup::detect_format(extension, &original);
    let raw = MappedText::from_original(&original);
    let (visible, markup_meta) = match format {
        Format::Html => markup::html_to_text(&raw),
        Format::Markdown => markup::markdown_to_text(&raw),
        Format::Text => (raw, markup::MarkupMeta::default()),
    };
    if visible.len() > MAX_TEXT_CHARS {
        return Err(IngestError::TooLong {
            chars: visible.len(),
            limit: MAX_TEXT_CHARS,
        });
    }
    warnings.extend(markup_meta.warnings.iter().cloned());
    let mut stats = NormalizeStats::default();
    let t = normalize::strip_pinyin_and_mark_lost(&visible, &mut stats);
    let t = normalize::fold_width(&t);
    let t = normalize::to_simplified(&t, &mut stats);
    let cleaned = furniture::clean(&t);
    let meta = assemble_meta(&markup_meta, &cleaned.meta, &cleaned.text);
    if cleaned.text.chars().iter().all(|c| c.is_whitespace()) {
        return Err(IngestError::NoText);
    }
    let han = cleaned
        .text
        .chars()
        .iter()
        .filter(|&&c| normalize::is_han(c))
        .count();
    if han < MIN_HAN {
        warnings.push(format!(
            "only {han} Chinese character(s): zhkg's extractors read Chinese articles, so little will be found"
        ));
    }
    Ok(Article {
        id,
        path: None,
        original,
        text: cleaned.text,
        format,
        encoding: decoded.encoding,
        replaced_sequences: decoded.replaced,
        stats,
        meta,
        removed: cleaned.removed,
        warnings,
        content_hash: content_hash(bytes),
    })
}

fn assemble_meta(m: &markup::MarkupMeta, p: &meta::PartialMeta, body: &MappedText) -> Metadata {
    let simplify = |s: &str| normalize::simplify_str(s.trim());
    let title = m
        .titles
        .first()
        .map(|t| simplify(t))
        .or_else(|| {
            p.header_lines
                .iter()
                .max_by_key(|l| l.chars().count())
                .cloned()
        })
        .or_else(|| {
            let first = body
                .line_ranges()
                .into_iter()
                .map(|r| body.slice(r))
                .find(|l| !l.trim().is_empty())?;
            let first = first.trim();
            let han = first.chars().filter(|&c| normalize::is_han(c)).count();
            (han >= 4
                && first.chars().count() <= 40
                && !first.contains('。')
                && !first.contains(','))
            .then(|| first.to_owned())
        });
    let published = m
        .dates
        .iter()
        .find_map(|d| meta::parse_date(d))
        .or(p.published);
    let source = m.sources.first().or(p.sources.first()).map(|s| simplify(s));
    let (publisher, channel) = match source {
        Some(s) => {
            let (a, b) = meta::split_source(&s);
            (Some(a), b)
        }
        None => (meta::publisher_from_body(&body.to_string_lossless()), None),
    };
    let mut authors: Vec<String> = m.authors.iter().map(|a| simplify(a)).collect();
    authors.extend(p.authors.iter().cloned());
    authors.dedup();
    Metadata {
        title,
        published,
        publisher,
        channel,
        authors,
        editors: p.editors.clone(),
        url: m.url.clone().or_else(|| p.url.clone()),
        categories: m.categories.clone(),
    }
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed(name: &str) -> Article {
        let p = crate::seeds_dir().join(name);
        read_article(&p, &IngestOptions::default()).unwrap()
    }

    #[test]
    fn seed_metadata() {
        let a = seed("001_5adaab2c0589cb8c.txt");
        assert_eq!(
            a.meta.published.unwrap().to_xsd(),
            "2023-03-12T20:43:44+08:00"
        );
        assert_eq!(a.meta.publisher.as_deref(), Some("河北日报"));
        assert_eq!(
            a.meta.title.as_deref(),
            Some("阿里巴巴在巨鹿探索数字化就业助力乡村振兴")
        );
        assert_eq!(a.meta.editors, ["孙明霞"]);
        assert!(!a.body().contains("版权均为"));

        let a = seed("002_1fed51fe8e6e65f5.txt");
        assert_eq!(a.meta.publisher.as_deref(), Some("人民网"));
        assert_eq!(a.meta.published.unwrap().date_string(), "2023-09-28");
        assert!(a.is_traditional());
        assert!(!a.body().contains("沙湾县"));
        assert!(a.body().contains("海东市平安区"));

        let a = seed("003_9421ed248777a9a2.txt");
        assert_eq!(a.format, Format::Markdown);
        assert_eq!(
            a.meta.title.as_deref(),
            Some("清华大学报告:数字化就业增强县域发展活力")
        );
        assert_eq!(a.meta.publisher.as_deref(), Some("经济参考网"));
        assert!(!a.body().contains("<p>"));

        let a = seed("004_ea3e46f43a65e07f.txt");
        assert_eq!(a.meta.publisher.as_deref(), Some("潮新闻"));
        assert!(!a.body().contains("还没有评论"));
    }

    #[test]
    fn every_char_maps_into_the_original() {
        for name in [
            "000_dcc119682babf503.txt",
            "002_1fed51fe8e6e65f5.txt",
            "003_9421ed248777a9a2.txt",
        ] {
            let a = seed(name);
            let total = a.original.chars().count() as u32;
            for o in a.text.origins() {
                assert!(o.start <= o.end && o.end <= total, "{name}: {o:?}");
            }
        }
    }

    #[test]
    fn article_ids_are_safe() {
        assert_eq!(ArticleId::new("001_abc").as_str(), "001_abc");
        let id = ArticleId::new("巨鹿 新闻");
        assert!(id.as_str().is_ascii());
        assert_ne!(id, ArticleId::new("义乌 新闻"));
    }
}
