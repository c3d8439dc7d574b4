//! [`MappedText`]: text whose every character remembers where it came from.
//!
//! Every transformation in ingest (markup stripping, furniture removal, pinyin
//! stripping, width folding, traditional → simplified conversion) consumes one
//! `MappedText` and produces another, so that a span of the final text can
//! always be traced back to the characters of the decoded original file.

use std::ops::Range;

/// A half-open span of characters (Unicode scalar values) of the decoded
/// original file: the third kind of offset, apart from character ranges of
/// the normalised text (`Range<usize>`, what extractors work in) and byte
/// offsets (which never leave the code that searches a string).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub struct OriginalSpan {
    /// First character.
    pub start: u32,
    /// One past the last character.
    pub end: u32,
}

impl OriginalSpan {
    /// The span `start..end`.
    pub const fn new(start: u32, end: u32) -> Self {
        Self { start, end }
    }

    /// The empty span at `at`.
    pub const fn empty_at(at: u32) -> Self {
        Self { start: at, end: at }
    }

    /// Number of characters.
    pub const fn len(self) -> usize {
        self.end.saturating_sub(self.start) as usize
    }

    /// True when the span holds no character.
    pub const fn is_empty(self) -> bool {
        self.end <= self.start
    }
}

impl From<Range<u32>> for OriginalSpan {
    fn from(r: Range<u32>) -> Self {
        Self::new(r.start, r.end)
    }
}

/// Text paired with, for each of its characters, the span of original
/// characters it stands for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MappedText {
    chars: Vec<char>,
    origin: Vec<OriginalSpan>,
}

impl MappedText {
    /// Wraps an original text: character `i` maps to `i..i+1`.
    pub fn from_original(text: &str) -> Self {
        let chars: Vec<char> = text.chars().collect();
        let origin = (0..chars.len() as u32)
            .map(|i| OriginalSpan::new(i, i + 1))
            .collect();
        Self { chars, origin }
    }

    /// An empty text with room for `n` characters.
    pub fn with_capacity(n: usize) -> Self {
        Self {
            chars: Vec::with_capacity(n),
            origin: Vec::with_capacity(n),
        }
    }

    /// Appends one character standing for `origin` in the original.
    pub fn push(&mut self, c: char, origin: OriginalSpan) {
        self.chars.push(c);
        self.origin.push(origin);
    }

    /// Appends characters `range` of `other`, keeping their origins.
    pub fn extend_from(&mut self, other: &MappedText, range: Range<usize>) {
        self.chars.extend_from_slice(&other.chars[range.clone()]);
        self.origin.extend_from_slice(&other.origin[range]);
    }

    /// Appends `chars`, character `i` standing for `origins[i]`: a line
    /// converted character for character.
    ///
    /// # Panics
    ///
    /// When the two slices differ in length.
    pub fn extend_with(&mut self, chars: &[char], origins: &[OriginalSpan]) {
        assert_eq!(chars.len(), origins.len(), "one origin per character");
        self.chars.extend_from_slice(chars);
        self.origin.extend_from_slice(origins);
    }

    /// Number of characters.
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// True when there are no characters.
    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// The characters.
    pub fn chars(&self) -> &[char] {
        &self.chars
    }

    /// The origin of each character.
    pub fn origins(&self) -> &[OriginalSpan] {
        &self.origin
    }

    /// The text as a `String`.
    pub fn to_string_lossless(&self) -> String {
        string_of(&self.chars)
    }

    /// The span of the original covered by characters `range` of this text.
    ///
    /// An empty range maps to the empty span just before the character at
    /// `range.start` (or at the end of the original).
    pub fn original_span(&self, range: Range<usize>) -> OriginalSpan {
        if range.start >= range.end {
            let at = self
                .origin
                .get(range.start)
                .map(|o| o.start)
                .or_else(|| self.origin.last().map(|o| o.end))
                .unwrap_or(0);
            return OriginalSpan::empty_at(at);
        }
        let start = self.origin[range.start].start;
        let end = self.origin[range.end - 1].end;
        OriginalSpan::new(start, end.max(start))
    }

    /// Splits into lines (without their `\n`), as character ranges.
    pub fn line_ranges(&self) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, &c) in self.chars.iter().enumerate() {
            if c == '\n' {
                out.push(start..i);
                start = i + 1;
            }
        }
        out.push(start..self.chars.len());
        out
    }

    /// The characters of `range` as a `String`.
    pub fn slice(&self, range: Range<usize>) -> String {
        string_of(&self.chars[range])
    }

    /// Maps every character through `f`, which may return several characters
    /// (all standing for the same origin) or none (the character is dropped).
    pub fn map_chars(&self, mut f: impl FnMut(char, &mut dyn FnMut(char))) -> Self {
        let mut out = Self::with_capacity(self.len());
        for (c, o) in self.chars.iter().zip(&self.origin) {
            f(*c, &mut |n| out.push(n, *o));
        }
        out
    }

    /// Removes the character ranges in `cuts` (sorted, non-overlapping).
    pub fn remove_ranges(&self, cuts: &[Range<usize>]) -> Self {
        let mut out = Self::with_capacity(self.len());
        let mut at = 0;
        for cut in cuts {
            if cut.start > at {
                out.extend_from(self, at..cut.start);
            }
            at = at.max(cut.end);
        }
        if at < self.len() {
            out.extend_from(self, at..self.len());
        }
        out
    }

    /// Replaces characters `range` with `with`, all standing for the union of
    /// the replaced characters' origins.
    pub fn replace_range(&self, range: Range<usize>, with: &str) -> Self {
        let span = self.original_span(range.clone());
        let mut out = Self::with_capacity(self.len());
        out.extend_from(self, 0..range.start);
        for c in with.chars() {
            out.push(c, span);
        }
        out.extend_from(self, range.end..self.len());
        out
    }
}

/// Maps byte offsets of a `&str` to character offsets.
pub fn byte_to_char_index(s: &str) -> Vec<usize> {
    let mut map = Vec::with_capacity(s.len() + 1);
    let mut chars = 0;
    // A byte that is no UTF-8 continuation byte (10xxxxxx) starts a
    // character; the bytes after it up to the next such byte belong to it.
    map.extend(s.bytes().map(|b| {
        chars += usize::from(!is_continuation_byte(b));
        chars - 1
    }));
    map.push(chars);
    map
}

/// True for the bytes after the first of a UTF-8 encoded character.
fn is_continuation_byte(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// The characters as a `String`, with room for three bytes a character
/// (the Han characters'; it grows only for characters outside the Basic
/// Multilingual Plane): counting the bytes first took a third of the time
/// of a conversion, and an article's text is converted whole several times.
pub fn string_of(chars: &[char]) -> String {
    let mut s = String::with_capacity(3 * chars.len());
    s.extend(chars);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn original_spans_survive_removal_and_replacement() {
        let t = MappedText::from_original("開(kāi)化縣");
        let t = t.remove_ranges(std::slice::from_ref(&(1..6)));
        assert_eq!(t.to_string_lossless(), "開化縣");
        assert_eq!(t.original_span(1..3), OriginalSpan::new(6, 8));
        let t = t.replace_range(0..1, "开");
        assert_eq!(t.to_string_lossless(), "开化縣");
        assert_eq!(t.original_span(0..3), OriginalSpan::new(0, 8));
    }

    #[test]
    fn empty_range_maps_to_a_point() {
        let t = MappedText::from_original("abc");
        assert_eq!(t.original_span(1..1), OriginalSpan::empty_at(1));
        assert_eq!(t.original_span(3..3), OriginalSpan::empty_at(3));
    }

    #[test]
    fn byte_offsets_map_to_char_offsets() {
        let m = byte_to_char_index("a中b");
        assert_eq!(m[0], 0);
        assert_eq!(m[1], 1);
        assert_eq!(m[4], 2);
        assert_eq!(m[5], 3);
        assert_eq!(m, [0, 1, 1, 1, 2, 3]);
        assert_eq!(byte_to_char_index(""), [0]);
    }

    #[test]
    fn chars_make_the_same_string_as_collect() {
        // One, two, three and four bytes a character.
        let text = "a中𝄞bé開(kāi)化縣";
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(string_of(&chars), text);
        // Every boundary between lengths.
        let edges = "\0\u{7F}\u{80}\u{7FF}\u{800}\u{FFFD}\u{FFFF}\u{10000}\u{10FFFF}";
        let chars: Vec<char> = edges.chars().collect();
        assert_eq!(string_of(&chars), edges);
        // Past the room made for three bytes a character.
        let wide: Vec<char> = std::iter::repeat_n('𝄞', 100).collect();
        assert_eq!(string_of(&wide), "𝄞".repeat(100));
        assert_eq!(string_of(&[]), "");
    }
}
