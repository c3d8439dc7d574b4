//! Character-level normalisation for matching: inline pinyin annotations are
//! removed, characters lost as `?` become [`LOST`], full-width forms are
//! folded to ASCII, and traditional characters become simplified ones
//! (OpenCC `t2s`). Each step keeps the span map intact.

use std::sync::LazyLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use regex::Regex;

use rustc_hash::FxHashMap;

use super::text::{MappedText, byte_to_char_index};

/// Stands for a character lost in transmission (a `?` inside Chinese text, or
/// an undecodable byte). Extractors never match across it.
pub const LOST: char = '\u{FFFD}';

const TONED: &str = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ";

static PINYIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[(（]([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,6})[)）]").expect("valid regex")
});
// A `?` that swallowed a character and the opening parenthesis of its pinyin.
static LOST_WITH_PINYIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\?([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,6})[)）]").expect("valid regex")
});
static SYLLABLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?(?:a|o|e|ai|ei|ao|ou|an|en|ang|eng|ong|er|i|ia|ie|iao|iu|ian|in|iang|ing|iong|u|ua|uo|uai|ui|uan|un|uang|ueng|ü|üe|üan|ün|v|ve)$",
    )
    .expect("valid regex")
});
/// Every character in a key of OpenCC's t2s dictionaries
/// (`src/lexicon/data/t2s_chars.txt`, made by `scripts/gen_t2s_chars.py`).
static T2S_CHARS: LazyLock<CharSet> = LazyLock::new(|| {
    include_str!("../lexicon/data/t2s_chars.txt")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(str::chars)
        .collect()
});

/// A set of characters that every character of a text is looked up in: one
/// bit per character of the Basic Multilingual Plane, a hash set beyond it.
struct CharSet {
    /// The bits of U+0000..U+FFFF, 64 to a word.
    bmp: Vec<u64>,
    /// The characters beyond U+FFFF.
    beyond: rustc_hash::FxHashSet<char>,
    /// Every character once, in the order first given.
    all: Vec<char>,
}

impl CharSet {
    /// True when `c` is in the set.
    fn contains(&self, c: char) -> bool {
        let u = c as usize;
        match self.bmp.get(u >> 6) {
            Some(word) => word >> (u & 63) & 1 == 1,
            None => self.beyond.contains(&c),
        }
    }

    /// The characters of the set.
    fn chars(&self) -> &[char] {
        &self.all
    }
}

impl FromIterator<char> for CharSet {
    fn from_iter<I: IntoIterator<Item = char>>(chars: I) -> Self {
        let mut set = Self {
            bmp: vec![0; 0x10000 / 64],
            beyond: rustc_hash::FxHashSet::default(),
            all: Vec::new(),
        };
        for c in chars {
            if set.contains(c) {
                continue;
            }
            let u = c as usize;
            match set.bmp.get_mut(u >> 6) {
                Some(word) => *word |= 1 << (u & 63),
                None => {
                    set.beyond.insert(c);
                }
            }
            set.all.push(c);
        }
        set
    }
}

static T2S: LazyLock<Option<OpenCC>> =
    LazyLock::new(|| OpenCC::from_config(BuiltinConfig::T2s).ok());

/// OpenCC's t2s conversion as tables, for text converted a line at a time.
///
/// OpenCC replaces, from left to right, the longest dictionary key starting
/// at each position. Only the keys of two characters or more
/// (`src/lexicon/data/t2s_phrases.txt`, made by `scripts/gen_t2s_chars.py
/// --phrases`) need looking ahead; everywhere else a character converts on
/// its own. Both tables hold what OpenCC itself makes of each key, so the
/// result is OpenCC's.
struct T2sTables {
    /// What each dictionary character converts to on its own, when that differs.
    single: FxHashMap<char, Box<str>>,
    /// Keys of two characters or more by their first character, longest
    /// first, with their conversion.
    phrases: FxHashMap<char, Vec<(Vec<char>, Vec<char>)>>,
}

impl T2sTables {
    fn new(cc: &OpenCC) -> Self {
        let mut single = FxHashMap::default();
        for &c in T2S_CHARS.chars() {
            let mut buf = [0u8; 4];
            let s = c.encode_utf8(&mut buf);
            let converted = cc.convert(s);
            if converted != *s {
                single.insert(c, converted.into_boxed_str());
            }
        }
        let mut phrases: FxHashMap<char, Vec<(Vec<char>, Vec<char>)>> = FxHashMap::default();
        for key in include_str!("../lexicon/data/t2s_phrases.txt")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let chars: Vec<char> = key.chars().collect();
            let converted = cc.convert(key).chars().collect();
            phrases
                .entry(chars[0])
                .or_default()
                .push((chars, converted));
        }
        for keys in phrases.values_mut() {
            keys.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
        }
        Self { single, phrases }
    }

    /// Appends the conversion of `line` to `out`. `keys` holds every
    /// character of the tables' keys: a character outside it converts to
    /// itself, and no phrase starts at a character whose next one is
    /// outside it (most characters of a simplified text are looked up in
    /// the bit set alone).
    fn convert(&self, line: &[char], keys: &CharSet, out: &mut Vec<char>) {
        let mut i = 0;
        while i < line.len() {
            let rest = &line[i..];
            if !keys.contains(rest[0]) {
                out.push(rest[0]);
                i += 1;
                continue;
            }
            let phrase = rest
                .get(1)
                .filter(|&&next| keys.contains(next))
                .and_then(|_| self.phrases.get(&rest[0]))
                .and_then(|phrases| phrases.iter().find(|(k, _)| rest.starts_with(k)));
            if let Some((key, converted)) = phrase {
                out.extend_from_slice(converted);
                i += key.len();
                continue;
            }
            self.push_single(rest[0], out);
            i += 1;
        }
    }

    /// Appends what `c` converts to on its own.
    fn push_single(&self, c: char, out: &mut Vec<char>) {
        match self.single.get(&c) {
            Some(s) => out.extend(s.chars()),
            None => out.push(c),
        }
    }
}

static T2S_TABLES: LazyLock<Option<T2sTables>> = LazyLock::new(|| T2S.as_ref().map(T2sTables::new));

/// Counts of what normalisation changed in one text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct NormalizeStats {
    /// Inline pinyin annotations removed.
    pub pinyin_removed: usize,
    /// Characters marked as lost.
    pub lost_chars: usize,
    /// Characters changed by traditional → simplified conversion.
    pub converted_chars: usize,
    /// Han characters in the text.
    pub han_chars: usize,
}

impl NormalizeStats {
    /// True when the text was mostly written in traditional characters.
    pub fn is_traditional(&self) -> bool {
        self.han_chars > 0 && self.converted_chars * 25 > self.han_chars
    }
}

/// True for CJK unified ideographs (the characters names are made of).
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

fn is_pinyin(word: &str) -> bool {
    if word.chars().any(|c| TONED.contains(c)) {
        return true;
    }
    SYLLABLE.is_match(word)
}

/// Removes pinyin annotations after Hanzi and marks lost characters.
pub fn strip_pinyin_and_mark_lost(text: &MappedText, stats: &mut NormalizeStats) -> MappedText {
    let chars = text.chars();
    // Both expressions need a `?` or an opening parenthesis: a text without
    // one is not made into a string and searched.
    let (mut lost, mut paren) = (false, false);
    for &c in chars {
        lost |= c == '?';
        paren |= matches!(c, '(' | '（');
    }
    let s = if lost || paren {
        text.to_string_lossless()
    } else {
        String::new()
    };
    // Built at the first match.
    let b2c = std::cell::LazyCell::new(|| byte_to_char_index(&s));
    let mut cuts: Vec<(usize, usize, Option<char>)> = Vec::new(); // (start, end, replacement)
    for m in LOST_WITH_PINYIN.captures_iter(if lost { &s } else { "" }) {
        let whole = m.get(0).expect("match");
        let word = m.get(1).expect("group").as_str();
        if is_pinyin(word) {
            cuts.push((b2c[whole.start()], b2c[whole.end()], Some(LOST)));
        }
    }
    for m in PINYIN.captures_iter(if paren { &s } else { "" }) {
        let whole = m.get(0).expect("match");
        let (start, end) = (b2c[whole.start()], b2c[whole.end()]);
        let before = start.checked_sub(1).map(|k| chars[k]);
        let word = m.get(1).expect("group").as_str();
        if before.is_some_and(|c| is_han(c) || c == '?' || c == LOST) && is_pinyin(word) {
            cuts.push((start, end, None));
        }
    }
    // Lone `?` between (or next to) Han characters: a lost character.
    for (i, &c) in chars.iter().enumerate() {
        if lost && c == '?' {
            let prev = i.checked_sub(1).map(|k| chars[k]);
            let next = chars.get(i + 1).copied();
            if prev.is_some_and(is_han) || next.is_some_and(is_han) {
                cuts.push((i, i + 1, Some(LOST)));
            }
        }
    }
    cuts.sort_by_key(|c| (c.0, std::cmp::Reverse(c.1)));
    let mut out = MappedText::with_capacity(text.len());
    let mut at = 0;
    for (start, end, repl) in cuts {
        if start < at {
            continue;
        }
        out.extend_from(text, at..start);
        match repl {
            Some(r) => {
                stats.lost_chars += 1;
                out.push(r, text.original_span(start..end));
            }
            None => stats.pinyin_removed += 1,
        }
        at = end;
    }
    out.extend_from(text, at..text.len());
    out
}

/// Folds full-width ASCII forms and the ideographic space; turns CR and
/// other control characters into spaces or line breaks.
pub fn fold_width(text: &MappedText) -> MappedText {
    text.map_chars(|c, emit| match c {
        '\u{FF01}'..='\u{FF5E}' => emit(char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)),
        '\u{3000}' | '\u{00A0}' | '\t' => emit(' '),
        '\r' | '\u{FEFF}' | '\u{200B}' | '\u{200C}' | '\u{200D}' => {}
        '\u{2028}' | '\u{2029}' => emit('\n'),
        c if c.is_control() && c != '\n' => emit(' '),
        c => emit(c),
    })
}

/// Converts traditional characters to simplified ones, one line at a time,
/// keeping a one-to-one character map (lines whose phrase-level conversion
/// changes length fall back to character-by-character conversion).
pub fn to_simplified(text: &MappedText, stats: &mut NormalizeStats) -> MappedText {
    stats.han_chars += text.chars().iter().filter(|&&c| is_han(c)).count();
    let Some(tables) = T2S_TABLES.as_ref() else {
        return text.clone();
    };
    let t2s_chars = &*T2S_CHARS;
    let mut out = MappedText::with_capacity(text.len());
    let lines = text.line_ranges();
    let (mut converted, mut one) = (Vec::new(), Vec::new());
    for (k, line) in lines.iter().enumerate() {
        let originals = &text.chars()[line.clone()];
        // A line without a character of the dictionaries' keys converts to
        // itself: copied as it is.
        if !originals.iter().any(|&c| t2s_chars.contains(c)) {
            out.extend_from(text, line.clone());
            if k + 1 < lines.len() {
                out.extend_from(text, line.end..line.end + 1);
            }
            continue;
        }
        converted.clear();
        tables.convert(originals, t2s_chars, &mut converted);
        if converted.len() == line.len() {
            stats.converted_chars += converted
                .iter()
                .zip(originals)
                .filter(|(c, o)| c != o)
                .count();
            out.extend_with(&converted, &text.origins()[line.clone()]);
        } else {
            for i in line.clone() {
                let c = text.chars()[i];
                one.clear();
                tables.push_single(c, &mut one);
                let n = if one.len() == 1 { one[0] } else { c };
                if n != c {
                    stats.converted_chars += 1;
                }
                out.push(n, text.origins()[i]);
            }
        }
        if k + 1 < lines.len() {
            out.extend_from(text, line.end..line.end + 1);
        }
    }
    out
}

/// Normalised form of a short string (metadata, labels): full-width folded
/// and simplified.
pub fn simplify_str(s: &str) -> String {
    let folded = fold_width(&MappedText::from_original(s)).to_string_lossless();
    match T2S.as_ref() {
        Some(cc) => cc.convert(&folded),
        None => folded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_char_set_holds_what_it_was_given_and_nothing_else() {
        let set: CharSet = "國國a𠀀".chars().collect();
        assert_eq!(set.chars(), ['國', 'a', '𠀀']);
        for c in ['國', 'a', '𠀀'] {
            assert!(set.contains(c), "{c}");
        }
        for c in ['国', 'b', '𠀁', '\u{FFFF}', char::MAX] {
            assert!(!set.contains(c), "{c}");
        }
    }

    fn run(s: &str) -> (String, NormalizeStats, MappedText) {
        let mut stats = NormalizeStats::default();
        let t = MappedText::from_original(s);
        let t = strip_pinyin_and_mark_lost(&t, &mut stats);
        let t = fold_width(&t);
        let t = to_simplified(&t, &mut stats);
        (t.to_string_lossless(), stats, t)
    }

    #[test]
    fn pinyin_is_stripped_and_script_simplified() {
        let (s, stats, _) = run("浙江省衢州市開(kāi)化縣阿里巴巴公益數(shù)字人才基地");
        assert_eq!(s, "浙江省衢州市开化县阿里巴巴公益数字人才基地");
        assert_eq!(stats.pinyin_removed, 2);
        assert!(stats.is_traditional());
    }

    #[test]
    fn every_tone_mark_and_umlaut() {
        for py in ["lǜ", "nǚ", "lüè", "ài", "ō", "ēr", "yǐ", "zhù", "ǹg"] {
            let (s, _, _) = run(&format!("字({py})字"));
            assert_eq!(s, "字字", "{py}");
        }
    }

    /// Each of the quick checks (a `?`, an ASCII or a full-width opening
    /// parenthesis) lets its own case through alone (invented lines).
    #[test]
    fn lost_characters_and_pinyin_alone() {
        let (s, stats, _) = run("常山（cháng）县的胡柚");
        assert_eq!(s, "常山县的胡柚");
        assert_eq!(stats.pinyin_removed, 1);
        let (s, stats, _) = run("全县?个村都通了网");
        assert_eq!(s, format!("全县{LOST}个村都通了网"));
        assert_eq!(stats.lost_chars, 1);
        let (s, stats, _) = run("没有注音的句子");
        assert_eq!(s, "没有注音的句子");
        assert_eq!((stats.lost_chars, stats.pinyin_removed), (0, 0));
    }

    #[test]
    fn ascii_in_parentheses_is_kept() {
        let (s, _, _) = run("杭州MCN机构(MCN)和阿里(2022)");
        assert_eq!(s, "杭州MCN机构(MCN)和阿里(2022)");
    }

    #[test]
    fn lost_characters_become_markers() {
        let (s, stats, _) = run("當?shù)亟?jīng)濟(jì)發(fā)展");
        assert!(s.starts_with('当'), "{s}");
        assert!(s.contains(LOST), "{s}");
        assert!(stats.lost_chars >= 1);
        assert!(!s.contains('?'));
    }

    /// `convert` passes over characters outside the key set without a look-up:
    /// right only while every character of every key is in it.
    #[test]
    fn every_key_character_is_in_the_key_set() {
        let tables = T2S_TABLES.as_ref().expect("t2s tables");
        for c in tables.single.keys() {
            assert!(T2S_CHARS.contains(*c), "{c}");
        }
        for (key, _) in tables.phrases.values().flatten() {
            for c in key {
                assert!(
                    T2S_CHARS.contains(*c),
                    "{c} of {}",
                    key.iter().collect::<String>()
                );
            }
        }
    }

    #[test]
    fn tables_convert_as_opencc_does() {
        let cc = T2S.as_ref().expect("t2s config");
        let tables = T2S_TABLES.as_ref().expect("t2s tables");
        let seeds = std::fs::read_dir(crate::seeds_dir())
            .expect("seeds folder")
            .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("seed text"));
        // Every phrase key, alone, glued to its neighbours and cut short.
        let keys = include_str!("../lexicon/data/t2s_phrases.txt")
            .lines()
            .filter(|l| !l.starts_with('#'));
        let phrases: String = keys.clone().collect();
        let shortened: String = keys
            .map(|k| {
                format!(
                    "{}。",
                    &k[..k.len() - k.chars().last().map_or(0, char::len_utf8)]
                )
            })
            .collect();
        for text in seeds.chain([
            phrases,
            shortened,
            "乾隆於是發現了一目瞭然的頭髮".to_owned(),
        ]) {
            for line in text.lines() {
                let chars: Vec<char> = line.chars().collect();
                let mut out = Vec::new();
                tables.convert(&chars, &T2S_CHARS, &mut out);
                assert_eq!(
                    out.into_iter().collect::<String>(),
                    cc.convert(line),
                    "{line}"
                );
            }
        }
    }

    #[test]
    fn full_width_is_folded_and_spans_kept() {
        let orig = "培训２０００余人次，占比８０％";
        let (s, _, t) = run(orig);
        assert_eq!(s, "培训2000余人次,占比80%");
        let pos = s.find("80%").map(|b| s[..b].chars().count()).unwrap();
        let span = t.original_span(pos..pos + 3);
        let o: String = orig
            .chars()
            .skip(span.start as usize)
            .take(span.len())
            .collect();
        assert_eq!(o, "８０％");
    }
}
