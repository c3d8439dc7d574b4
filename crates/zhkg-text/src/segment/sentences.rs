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

const OPENERS: &[char] = &['“', '‘', '(', '（', '「', '『', '【', '《'];

/// True when the blanks starting at `i` stand for a line break lost when
/// the text was flattened: Chinese prose puts no blank between two Han
/// characters, so a blank between a Han character (or a closing quote) and
/// a Han character (or an opening quote) ends a heading or a paragraph
/// (热土计划:扎扎实实 “某基金”成立于…).
fn lost_line_break(chars: &[char], i: usize) -> bool {
    let blank = |c: char| c == ' ' || c == '\u{3000}';
    if i == 0 || !blank(chars[i]) || blank(chars[i - 1]) {
        return false;
    }
    let mut j = i;
    while j < chars.len() && blank(chars[j]) {
        j += 1;
    }
    let han = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    j < chars.len()
        && (han(chars[i - 1]) || chars[i - 1] == '”')
        && (han(chars[j]) || chars[j] == '“')
}

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
    // Depth of quotation marks and brackets: a blank inside them is no break.
    let mut depth = 0usize;
    while i < chars.len() {
        let c = chars[i];
        if OPENERS.contains(&c) {
            depth += 1;
        } else if depth > 0 && CLOSERS.contains(&c) && c != '"' && c != '\'' {
            depth -= 1;
        }
        if c == '\n' {
            push(start, i, &mut out);
            start = i + 1;
            depth = 0;
        } else if depth == 0 && lost_line_break(chars, i) {
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
        // A blank between Han characters is a lost line break, except
        // inside quotation marks or brackets.
        assert_eq!(
            texts("青禾计划:稳扎稳打 “某某基金”成立于2019年。"),
            ["青禾计划:稳扎稳打", "“某某基金”成立于2019年。"]
        );
        assert_eq!(
            texts("他们举办了“乡村好货 山里好物”直播。(记者王某 李某)"),
            ["他们举办了“乡村好货 山里好物”直播。", "(记者王某 李某)"]
        );
        assert_eq!(texts("“我就告诉他 , 你来。”"), ["“我就告诉他 , 你来。”"]);
    }
}
