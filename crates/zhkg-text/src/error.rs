//! The text core's one error type: why an article could not be read.

/// Why an article could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IngestError {
    /// The file could not be read.
    #[error("cannot read file: {0}")]
    Io(#[source] std::io::Error),
    /// The path is a directory where a file was expected.
    #[error("is a directory, not an article file")]
    IsDirectory,
    /// The file is empty or only whitespace.
    #[error("file is empty")]
    Empty,
    /// The file looks binary (NUL bytes, control characters).
    #[error("file looks binary, not text: is it really an article?")]
    Binary,
    /// The file is larger than ingest accepts.
    #[error("file is {bytes} bytes, over the {limit}-byte limit: split it into articles")]
    TooLarge {
        /// Size of the file.
        bytes: u64,
        /// The limit.
        limit: u64,
    },
    /// The article's text (after markup is removed) is longer than one
    /// article can be: a concatenation of many articles, or not an article.
    #[error(
        "text is {chars} characters, over the {limit}-character limit for one article: split it into articles"
    )]
    TooLong {
        /// Characters of text.
        chars: usize,
        /// The limit.
        limit: usize,
    },
    /// Nothing remains once markup and page furniture are removed.
    #[error("no article text remains after removing markup and page furniture")]
    NoText,
    /// An unknown `--encoding` label.
    #[error(
        "unknown encoding {0:?}: use a WHATWG label such as utf-8, gb18030, gbk, big5, utf-16le"
    )]
    UnknownEncoding(String),
    /// The extractor failed on this article (a bug in zhkg, caught so that
    /// the rest of the batch goes on).
    #[error(
        "the extractor failed on this article ({0}): this is a bug in zhkg, please report it with the file"
    )]
    ExtractorFailed(String),
}
