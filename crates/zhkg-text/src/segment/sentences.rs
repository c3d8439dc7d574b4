//! Sentence splitting on Chinese and ASCII terminators and line breaks. A
//! closing quote or bracket right after a terminator stays with its sentence.

use std::ops::Range;

use serde::Serialize;

/// A sentence: a range of the normalised text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sentence {
    /// Index in the article.
    pub index: usize,
    /// Character range in the normalised text (without surrounding blanks).
    pub range: Range<usize>,
}

const TERMINATORS: &[char] = &['。', '!', '?', '！', '？', ';', '；', '…'];
const CLOSERS: &[char] = &['”', '’', '"', '\'', ')', '）', '」', '』', '】', '》'];

/// The index of the sentence of `sentences` (in text order) that holds
/// character `at`; the last one for offsets past the end.
pub fn index_of(sentences: &[Sentence], at: usize) -> usize {
    sentences
        .partition_point(|s| s.range.end <= at)
        .min(sentences.len().saturating_sub(1))
}

/// Splits characters into sentences; empty stretches are skipped.
pub fn split(chars: &[char]) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let push = |s: usize, e: usize, out: &mut Vec<Sentence>| {
        let mut s = s;
        let mut e = e;
        while s < e && chars[s].is_whitespace() {
            s += 1;
        }
        while e > s && chars[e - 1].is_whitespace() {
            e -= 1;
        }
        if s < e {
            out.push(Sentence {
                index: out.len(),
                range: s..e,
            });
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            push(start, i, &mut out);
            start = i + 1;
        } else if TERMINATORS.contains(&c) {
            let mut end = i + 1;
            while end < chars.len()
                && (TERMINATORS.contains(&chars[end]) || CLOSERS.contains(&chars[end]))
            {
                end += 1;
            }
            push(start, end, &mut out);
            start = end;
            i = end;
            continue;
        }
        i += 1;
    }
    push(start, chars.len(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        let chars: Vec<char> = s.chars().collect();
        split(&chars)
            .iter()
            .map(|x| chars[x.range.clone()].iter().collect())
            .collect()
    }

    #[test]
    fn splits_on_terminators_and_lines() {
        assert_eq!(texts("一句。二句!\n三句"), ["一句。", "二句!", "三句"]);
        assert_eq!(
            texts("他说:“好。”然后走了。"),
            ["他说:“好。”", "然后走了。"]
        );
        assert_eq!(texts("  \n\n"), Vec::<String>::new());
        assert_eq!(texts("等等……结束"), ["等等……", "结束"]);
    }
}
