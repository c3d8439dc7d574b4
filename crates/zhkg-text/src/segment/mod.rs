//! Segmentation, the stage between ingest and extraction: an article's text
//! is split into [`sentences`], and one jieba-rs instance, built once with
//! the default dictionary plus the lexicon's place, organisation and role
//! names, cuts each sentence into POS-tagged tokens whose character spans
//! index the article text. [`segment`] gives both as one [`Segmentation`].

pub mod sentences;

use std::sync::LazyLock;

use jieba_rs::Jieba;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::ingest::Article;
use crate::lexicon::LEXICON;
use crate::lexicon::divisions::NameForm;

pub use self::sentences::Sentence;

/// An article's text cut into sentences and tokens: what the segmentation
/// stage hands to extraction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segmentation {
    /// The normalised text as one string (the article's characters).
    pub text: String,
    /// For each character offset of `text` (and its end), the byte offset.
    pub char_to_byte: Vec<usize>,
    /// The sentences, in text order.
    pub sentences: Vec<Sentence>,
    /// The tokens of all sentences, in text order.
    pub tokens: Vec<Token>,
}

impl Segmentation {
    /// The index of the sentence holding character `at` (the last sentence
    /// for offsets past the end).
    pub fn sentence_of(&self, at: usize) -> usize {
        sentences::index_of(&self.sentences, at)
    }
}

/// Splits `article`'s normalised text into sentences and each sentence into
/// tokens with the shared [`SEGMENTER`].
pub fn segment(article: &Article) -> Segmentation {
    let chars = article.text.chars();
    let text = article.text.to_string_lossless();
    let mut char_to_byte = Vec::with_capacity(chars.len() + 1);
    char_to_byte.extend(text.char_indices().map(|(b, _)| b));
    char_to_byte.push(text.len());
    let sentences = sentences::split(chars);
    // A token has a character at least: one allocation for every article
    // (with room for a token every two characters, most articles grew it).
    let mut tokens = Vec::with_capacity(chars.len() + 16);
    for s in &sentences {
        let sentence = &text[char_to_byte[s.range.start]..char_to_byte[s.range.end]];
        tokens.extend(SEGMENTER.tokens(sentence, s.range.start));
    }
    Segmentation {
        text,
        char_to_byte,
        sentences,
        tokens,
    }
}

/// A POS-tagged token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The token's text.
    pub word: String,
    /// jieba's part-of-speech tag (`ns` place, `nt` organisation, `nr` person, `m` numeral…).
    pub tag: String,
    /// Start, in characters of the article text.
    pub start: usize,
    /// End (exclusive), in characters of the article text.
    pub end: usize,
}

/// Words that jieba keeps whole but that are 会 ("meeting") plus a localiser.
const MEETING_LOCATIVES: &[&str] = &["会上", "会后", "会中", "会前", "会间"];

/// Words that start with a date unit and belong after a number (2023年底).
const DATE_WORDS: &[&str] = &[
    "年底", "年初", "年末", "年中", "年内", "年间", "年度", "月底", "月初", "月末", "月份", "日起",
];

/// The segmenter shared by all articles and threads.
pub static SEGMENTER: LazyLock<Segmenter> = LazyLock::new(Segmenter::new);

/// jieba with the domain dictionary.
pub struct Segmenter {
    jieba: Jieba,
    /// Tags that replace jieba's for lexicon names (jieba's own dictionary
    /// tags some county names as person names, and `add_word` keeps the old
    /// tag of a known word).
    retag: FxHashMap<String, &'static str>,
    /// Organisation names that jieba's own dictionary knows as ordinary
    /// words (小米 millet, 平安 safe): they need context to be organisations.
    common_words: FxHashSet<String>,
}

impl Default for Segmenter {
    fn default() -> Self {
        Self::new()
    }
}

impl Segmenter {
    /// Builds the segmenter: jieba's default dictionary, then every lexicon
    /// name that jieba does not know yet, so that names are cut whole.
    pub fn new() -> Self {
        let mut jieba = Jieba::new();
        let lx = &*LEXICON;
        // Full names are always (re)tagged: jieba's dictionary tags some
        // county names as person names (巨鹿县 nr). Short forms are added only
        // when jieba does not know them, since many are ordinary words (平安).
        let mut common_words = FxHashSet::default();
        for o in &lx.orgs {
            for w in std::iter::once(&o.name).chain(&o.aliases) {
                if jieba.has_word(w) {
                    let tags = jieba.tag(w, false);
                    if tags.len() == 1
                        && !matches!(tags[0].tag, "nt" | "nz" | "eng" | "nr" | "nrt" | "ns")
                    {
                        common_words.insert(w.clone());
                    }
                }
            }
        }
        let mut retag: FxHashMap<String, &'static str> = FxHashMap::default();
        let mut add = |w: &str, tag: &'static str, force: bool| {
            if w.chars().count() < 2 {
                return;
            }
            if !jieba.has_word(w) {
                jieba.add_word(w, None, Some(tag));
            } else if force {
                retag.insert(w.to_owned(), tag);
            }
        };
        for (name, hits) in lx.divisions.names() {
            let full = hits.iter().any(|(_, form)| *form != NameForm::Short);
            add(name, "ns", full);
        }
        for c in &lx.countries {
            add(&c.name, "ns", true);
        }
        for o in &lx.orgs {
            add(&o.name, "nt", true);
            for a in &o.aliases {
                add(a, "nt", true);
            }
        }
        for (role, _) in &lx.roles {
            add(role, "n", false);
        }
        Self {
            jieba,
            retag,
            common_words,
        }
    }

    /// Cuts `text` (which starts at character `offset` of the article) into tagged tokens.
    pub fn tokens(&self, text: &str, offset: usize) -> Vec<Token> {
        let tags = self.jieba.tag(text, true);
        let mut out = Vec::with_capacity(tags.len() + 2);
        for t in tags {
            let (start, end) = (offset + t.start, offset + t.end);
            // 会上, 会后, 会中: "at the meeting" ends an event's name
            // (…培训|会上); cut the localiser off so the name ends in 会.
            if t.word.starts_with('会')
                && let Some(loc) = MEETING_LOCATIVES.iter().find(|w| **w == t.word)
            {
                out.push(Token {
                    word: "会".to_owned(),
                    tag: "n".to_owned(),
                    start,
                    end: start + 1,
                });
                out.push(Token {
                    word: loc[3..].to_owned(),
                    tag: "f".to_owned(),
                    start: start + 1,
                    end,
                });
                continue;
            }
            // jieba's HMM glues 等 to a single character (研习|社等): a
            // two-character word that is not in the dictionary and ends in
            // 等 is that character plus 等.
            if t.word.ends_with('等') && t.word.chars().count() == 2 && !self.jieba.has_word(t.word)
            {
                let first = &t.word[..t.word.len() - '等'.len_utf8()];
                out.push(Token {
                    word: first.to_owned(),
                    tag: "n".to_owned(),
                    start,
                    end: start + 1,
                });
                out.push(Token {
                    word: "等".to_owned(),
                    tag: "u".to_owned(),
                    start: start + 1,
                    end,
                });
                continue;
            }
            // 人社局局长, 农业农村厅厅长: jieba keeps the body's last
            // character with the head of body (人社|局局长); cut it off so
            // that the role is a word of its own (人社局|局长 reads 局|局长).
            let mut chars = t.word.chars();
            if let (Some(a), Some(b), Some('长'), None) =
                (chars.next(), chars.next(), chars.next(), chars.next())
                && a == b
            {
                let n = a.len_utf8();
                out.push(Token {
                    word: t.word[..n].to_owned(),
                    tag: "n".to_owned(),
                    start,
                    end: start + 1,
                });
                out.push(Token {
                    word: t.word[n..].to_owned(),
                    tag: "n".to_owned(),
                    start: start + 1,
                    end,
                });
                continue;
            }
            // Only names of two characters or more are retagged.
            let tag = match end - start {
                0 | 1 => t.tag,
                _ => self.retag.get(t.word).copied().unwrap_or(t.tag),
            };
            out.push(Token {
                word: t.word.to_owned(),
                tag: tag.to_owned(),
                start,
                end,
            });
        }
        self.unglue_dates(out)
    }

    /// After a number, a word starting with 年/月/日 glues the date unit to
    /// the next word (2021|年入|职): cut the unit off and join the rest to the
    /// following token when jieba knows the result (年|入职).
    fn unglue_dates(&self, toks: Vec<Token>) -> Vec<Token> {
        // Most sentences have no such unit right after digits: nothing to
        // rebuild (a token changed below is never all digits, so this pair
        // in the input is needed for any change).
        let glued = toks.windows(2).any(|w| {
            w[0].end == w[1].start
                && w[1].word.starts_with(['年', '月', '日'])
                && w[0].word.chars().all(|c| c.is_ascii_digit())
        });
        if !glued {
            return toks;
        }
        let mut out: Vec<Token> = Vec::with_capacity(toks.len());
        let mut toks = toks.into_iter().peekable();
        while let Some(t) = toks.next() {
            let unit = t
                .word
                .chars()
                .next()
                .filter(|c| matches!(c, '年' | '月' | '日'));
            let after_number = || {
                out.last()
                    .is_some_and(|p| p.end == t.start && p.word.chars().all(|c| c.is_ascii_digit()))
            };
            if let Some(u) = unit
                && after_number()
                && t.word.chars().count() >= 2
                && !DATE_WORDS.contains(&t.word.as_str())
            {
                let rest = &t.word[u.len_utf8()..];
                out.push(Token {
                    word: u.to_string(),
                    tag: "m".to_owned(),
                    start: t.start,
                    end: t.start + 1,
                });
                let joined = toks
                    .peek()
                    .filter(|n| n.start == t.end)
                    .filter(|n| {
                        self.jieba.has_word(&format!("{rest}{}", n.word))
                            // Two stranded characters make a word (入|职).
                            || (rest.chars().count() == 1 && n.word.chars().count() == 1)
                    })
                    .map(|n| format!("{rest}{}", n.word));
                match joined {
                    Some(word) => {
                        let next = toks.next().expect("the joined token was peeked");
                        out.push(Token {
                            // Words after a date are mostly predicates (2021年|入职).
                            tag: self.dict_tag(&word).unwrap_or_else(|| "v".to_owned()),
                            word,
                            start: t.start + 1,
                            end: next.end,
                        });
                    }
                    None => {
                        out.push(Token {
                            word: rest.to_owned(),
                            tag: t.tag.clone(),
                            start: t.start + 1,
                            end: t.end,
                        });
                    }
                }
                continue;
            }
            out.push(t);
        }
        out
    }

    /// True when `name`, an organisation's name in the lexicon, is also an
    /// ordinary word in jieba's dictionary (小米, 平安).
    pub fn is_common_word(&self, name: &str) -> bool {
        self.common_words.contains(name)
    }

    /// True when `word` is in the segmenter's dictionary (jieba's own or
    /// added from the lexicon): a cheap look-up, unlike [`Self::dict_tag`].
    pub fn has_word(&self, word: &str) -> bool {
        self.jieba.has_word(word)
    }

    /// The dictionary tag of `word` when jieba knows it as one word.
    pub fn dict_tag(&self, word: &str) -> Option<String> {
        // The cheap test first: most words asked about are not in the dictionary.
        if !self.jieba.has_word(word) {
            return None;
        }
        // Tagging a word is some thousand instructions, and the same place
        // names are asked about in article after article: each thread keeps
        // the answers it has found (a few thousand words at most; every
        // segmenter is built from the same dictionaries, so they hold for
        // all).
        thread_local! {
            static KNOWN: std::cell::RefCell<FxHashMap<String, Option<String>>> =
                std::cell::RefCell::new(FxHashMap::default());
        }
        if let Some(known) = KNOWN.with_borrow(|k| k.get(word).cloned()) {
            return known;
        }
        let tags = self.jieba.tag(word, false);
        let tag = (tags.len() == 1).then(|| {
            self.retag
                .get(word)
                .copied()
                .unwrap_or(tags[0].tag)
                .to_owned()
        });
        KNOWN.with_borrow_mut(|k| k.insert(word.to_owned(), tag.clone()));
        tag
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_unit_glued_after_digits_is_cut_off() {
        let words = |text: &str| -> Vec<String> {
            SEGMENTER
                .tokens(text, 0)
                .into_iter()
                .map(|t| t.word)
                .collect()
        };
        let w = words("客服组长李晓梅2021年入职阿里巴巴客户体验中心。");
        assert!(
            w.windows(2).any(|p| p[0] == "年" && p[1] == "入职"),
            "{w:?}"
        );
        // Without digits before it, 年 stays where jieba put it.
        let w = words("客服组长李晓梅去年入职阿里巴巴客户体验中心。");
        assert!(!w.iter().any(|t| t == "年"), "{w:?}");
    }

    #[test]
    fn dictionary_tags_are_the_same_when_remembered() {
        for word in ["北京", "巨鹿县", "电商", "县里有员工"] {
            let first = SEGMENTER.dict_tag(word);
            assert_eq!(SEGMENTER.dict_tag(word), first, "{word}");
            // Another thread, with nothing remembered yet, agrees.
            let other = std::thread::scope(|s| s.spawn(|| SEGMENTER.dict_tag(word)).join());
            assert_eq!(other.unwrap(), first, "{word}");
        }
        assert_eq!(SEGMENTER.dict_tag("北京").as_deref(), Some("ns"));
        assert_eq!(SEGMENTER.dict_tag("县里有员工"), None);
    }

    #[test]
    fn tokens_cover_the_text_with_spans() {
        let text = "阿里巴巴巨鹿县客户体验中心有当地员工196人";
        let toks = SEGMENTER.tokens(text, 10);
        let joined: String = toks.iter().map(|t| t.word.as_str()).collect();
        assert_eq!(joined, text);
        assert_eq!(toks[0].start, 10);
        assert_eq!(toks.last().unwrap().end, 10 + text.chars().count());
        assert!(
            toks.iter().any(|t| t.word == "巨鹿县" && t.tag == "ns"),
            "{toks:?}"
        );
    }

    /// A head of body that jieba glues to the body's last character
    /// (人社|局局长) is cut into the character and the role, with spans.
    #[test]
    fn a_role_glued_to_its_body_is_cut_off() {
        for (text, body, role) in [
            ("宣恩县人社局局长黄建华介绍", "局", "局长"),
            ("省农业农村厅厅长出席", "厅", "厅长"),
            ("镇卫生院院长说", "院", "院长"),
        ] {
            let toks = SEGMENTER.tokens(text, 0);
            let joined: String = toks.iter().map(|t| t.word.as_str()).collect();
            assert_eq!(joined, text);
            let k = toks
                .iter()
                .position(|t| t.word == role)
                .unwrap_or_else(|| panic!("{text}: no token {role} in {toks:?}"));
            assert!(
                k > 0 && toks[k - 1].word.ends_with(body),
                "{text}: {toks:?}"
            );
            assert_eq!(toks[k].end - toks[k].start, 2, "{text}: {toks:?}");
            assert!(
                toks.iter()
                    .all(|t| t.word.chars().count() != 3 || !t.word.ends_with(role))
            );
        }
    }
}
