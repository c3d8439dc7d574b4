//! A fixed list of phrases searched in one pass: one Aho-Corasick automaton
//! (daachorse's character-wise double array, fast on Chinese text) that
//! finds the same occurrences as a `str::match_indices` loop per phrase.

use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};

/// Phrases to find in texts, built once.
pub struct Phrases {
    /// The distinct phrases.
    ac: CharwiseDoubleArrayAhoCorasick<u32>,
    /// For each distinct phrase, the indices of the listed phrases equal to it.
    owners: Vec<Vec<usize>>,
}

impl Phrases {
    /// The automaton of `phrases`, which must not be empty strings.
    pub fn new<S: AsRef<str>>(phrases: impl IntoIterator<Item = S>) -> Self {
        let mut distinct: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        for (i, p) in phrases.into_iter().enumerate() {
            let p = p.as_ref();
            match distinct.iter().position(|d| d == p) {
                Some(k) => owners[k].push(i),
                None => {
                    distinct.push(p.to_owned());
                    owners.push(vec![i]);
                }
            }
        }
        let ac = CharwiseDoubleArrayAhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&distinct)
            .expect("phrase automaton builds");
        Self { ac, owners }
    }

    /// Every occurrence in `text` as (index of the phrase in the list, byte
    /// offset), exactly as `for (i, p) in phrases { for (b, _) in
    /// text.match_indices(p) { … } }` would visit them: by phrase, then by
    /// offset, and the occurrences of one phrase do not overlap.
    pub fn find_all(&self, text: &str) -> Vec<(usize, usize)> {
        let mut next_free = vec![0usize; self.owners.len()];
        let mut out = Vec::new();
        // Overlapping matches come by end; for one phrase that is also by
        // start, so keeping each one that starts after the last kept one is
        // match_indices's leftmost, non-overlapping choice.
        for m in self.ac.find_overlapping_iter(text) {
            let p = m.value() as usize;
            if m.start() >= next_free[p] {
                next_free[p] = m.end();
                out.extend(self.owners[p].iter().map(|&i| (i, m.start())));
            }
        }
        out.sort_unstable();
        out
    }

    /// True when `text` contains one of the phrases, as `phrases.iter().any(|p|
    /// text.contains(p))` says.
    pub fn any_in(&self, text: &str) -> bool {
        self.ac.find_iter(text).next().is_some()
    }

    /// For each listed phrase, the byte offset of its first occurrence in
    /// `text`, as `text.find(phrase)` gives it.
    pub fn first_of_each(&self, text: &str) -> Vec<Option<usize>> {
        let mut first = vec![None; self.owners.len()];
        // By end is by start for one phrase: the first match is the leftmost.
        for m in self.ac.find_overlapping_iter(text) {
            first[m.value() as usize].get_or_insert(m.start());
        }
        let mut out = vec![None; self.owners.iter().map(Vec::len).sum()];
        for (owners, b) in self.owners.iter().zip(first) {
            for &i in owners {
                out[i] = b;
            }
        }
        out
    }
}

/// Byte offsets where `needle` starts in `haystack`, left to right and not
/// overlapping, as `haystack.match_indices(needle)` gives them, found with
/// memchr's vectorised substring search (the standard library's searcher
/// reads byte by byte): for a name looked for again in a whole article. An
/// empty needle is found nowhere.
pub fn occurrences<'a>(haystack: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    memchr::memmem::find_iter(haystack.as_bytes(), needle.as_bytes())
        .filter(move |_| !needle.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occurrences_are_those_of_match_indices() {
        let cases = [
            ("阿里巴巴数字就业中心在阿里巴巴园区", "阿里巴巴"),
            ("aaaa", "aa"),
            ("哈哈哈", "哈哈"),
            ("", "中心"),
            ("中", "中心"),
            ("调研团队对调研团队", "调研团队"),
        ];
        for (h, n) in cases {
            let want: Vec<usize> = h.match_indices(n).map(|(i, _)| i).collect();
            assert_eq!(occurrences(h, n).collect::<Vec<_>>(), want, "{h} / {n}");
        }
        assert_eq!(occurrences("中心", "").count(), 0);
    }

    #[test]
    fn occurrences_are_those_of_match_indices_per_phrase() {
        let phrases = ["主任", "副主任", "aa", "说", "主任", "a"];
        let text = "副主任说aaa主任说，主任主任aaaa";
        let mut want = Vec::new();
        for (i, p) in phrases.iter().enumerate() {
            want.extend(text.match_indices(p).map(|(b, _)| (i, b)));
        }
        assert_eq!(Phrases::new(phrases).find_all(text), want);
    }

    #[test]
    fn first_occurrences_are_those_of_find() {
        let phrases = ["主任", "副主任", "aa", "说", "主任", "a", "无"];
        let text = "副主任说aaa主任说，主任主任aaaa";
        let want: Vec<Option<usize>> = phrases.iter().map(|p| text.find(p)).collect();
        assert_eq!(Phrases::new(phrases).first_of_each(text), want);
    }

    #[test]
    fn any_is_that_of_contains() {
        let phrases = Phrases::new(["返回顶部", "字号:", "上一篇"]);
        for text in [
            "返回顶部",
            "【字号:大 中 小】",
            "上一篇：县里的客服中心",
            "返回顶",
            "下一篇",
            "",
            "字号",
        ] {
            let want = ["返回顶部", "字号:", "上一篇"]
                .iter()
                .any(|p| text.contains(p));
            assert_eq!(phrases.any_in(text), want, "{text}");
        }
    }
}
