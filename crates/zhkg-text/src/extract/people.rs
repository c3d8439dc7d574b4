//! People: a role or title followed by a name (乡村特派员陈丽娟, 副会长马杰,
//! 中心主任何晓斌), names that jieba tags `nr` before a speech verb
//! (傅江燕说), and names that the statistical recogniser
//! ([`super::person_model`]) proposes from the characters themselves, with
//! no cue at all (a villager who speaks, a streamer named once). A name must
//! start with a known surname, or, after a role or before a speech verb, be
//! written in characters that names transliterated from other languages
//! favour (中心主任吉克阿依, 巴特尔说); it must not overlap a place,
//! organisation or programme already found. The organisation written just
//! before the role is the affiliation; a person node is keyed by name and
//! affiliation, so namesakes stay apart.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use super::person_model::{NameModel, TokenKind};
use super::phrases::Phrases;
use super::places::code_of;
use super::{
    Category, Context, Details, Entity, EntityKey, EntityKind, Extraction, Relation, RelationKind,
};
use crate::ingest::normalize::is_han;
use crate::lexicon::LEXICON;
use crate::segment::SEGMENTER;

/// Words that may follow a name (so the name ends there).
const AFTER_NAME: &[&str] = &[
    "表示", "说", "介绍", "认为", "指出", "告诉", "称", "坦言", "回忆", "透露", "强调", "提到",
    "解释", "感慨", "笑着", "被", "在", "的", "带", "正", "是", "也", "就", "和", "与", "等",
    "不时", "曾", "已", "还", "都", "今年", "每天", "(", ",", "。", ":", "、", "”", " ", "一",
    "对", "从", "当", "刚", "所", "会", "便", "又", "领",
];
const SPEECH: &[&str] = &[
    "说", "表示", "介绍", "认为", "指出", "告诉", "坦言", "回忆", "透露", "感慨",
];
/// Characters after which a name may start (据李红兵介绍, 对记者…, 的包妃燕).
const BEFORE_NAME: &str = "的是和与据对向跟让请给被由";

/// Words after a name that mark it as a person's (张吉英女士).
const HONORIFICS: &[&str] = &["女士", "先生", "老师", "同学", "师傅"];

/// The lexicon's roles, in its order.
static ROLES: LazyLock<Phrases> =
    LazyLock::new(|| Phrases::new(LEXICON.roles.iter().map(|(role, _)| role)));

/// [`SPEECH`] then [`HONORIFICS`]: the words a bare name stands before.
static NAME_CUES: LazyLock<Phrases> =
    LazyLock::new(|| Phrases::new(SPEECH.iter().chain(HONORIFICS)));

/// The statistical name recogniser, with its statistics from
/// `lexicon/data/name_model.tsv` (made by `scripts/gen_name_model.py`).
static NAMES: LazyLock<NameModel> = LazyLock::new(|| {
    NameModel::parse(include_str!("../lexicon/data/name_model.tsv"))
        .expect("the embedded name model parses (a test checks it)")
});

/// The mean score of a name's characters in [`TRANSLITERATION`] from which
/// a span that no surname starts reads as a transliterated name. At this
/// threshold the rule accepts 84% of the source corpus's transliterated name
/// parts and 0.7% of jieba's dictionary words that are not names (the
/// generating script reports both).
const TRANSLITERATED_MEAN: f32 = 2.0;

/// How much more often each character is written in a name transliterated
/// from another language (Yi, Tibetan, Mongolian, Uyghur, foreign names:
/// 吉克阿依, 扎西, 巴特尔, 安娜) than in other text, from
/// `lexicon/data/transliteration_chars.tsv` (made by
/// `scripts/gen_transliteration_chars.py`).
#[derive(Debug)]
struct Transliteration {
    ratios: rustc_hash::FxHashMap<char, f32>,
    /// The score of a character the table does not list.
    default: f32,
}

impl Transliteration {
    /// Reads the table: a `default` line and one `char<TAB>ratio` line per
    /// character, `#` lines being comments.
    fn parse(text: &str) -> Result<Self, String> {
        let mut ratios = rustc_hash::FxHashMap::default();
        let mut default = None;
        for (i, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let bad = || format!("transliteration_chars.tsv line {}: `{line}`", i + 1);
            let (key, value) = line.split_once('\t').ok_or_else(bad)?;
            let value: f32 = value.trim().parse().map_err(|_| bad())?;
            let mut chars = key.chars();
            match (key, chars.next(), chars.next()) {
                ("default", ..) => default = Some(value),
                (_, Some(c), None) => {
                    ratios.insert(c, value);
                }
                _ => return Err(bad()),
            }
        }
        Ok(Self {
            ratios,
            default: default.ok_or("transliteration_chars.tsv has no `default` line")?,
        })
    }

    /// True when `name` (two to five Han characters) reads as a
    /// transliterated name: its characters' mean score at least
    /// [`TRANSLITERATED_MEAN`], at most one of them below zero (阿苏拉则:
    /// 则 is rare in names).
    fn reads_as_name(&self, name: &[char]) -> bool {
        if !(2..=5).contains(&name.len()) || !name.iter().all(|&c| is_han(c)) {
            return false;
        }
        let scores: Vec<f32> = name
            .iter()
            .map(|c| self.ratios.get(c).copied().unwrap_or(self.default))
            .collect();
        let mean = scores.iter().sum::<f32>() / scores.len() as f32;
        mean >= TRANSLITERATED_MEAN && scores.iter().filter(|&&s| s < 0.0).count() <= 1
    }
}

/// The transliteration table, embedded.
static TRANSLITERATION: LazyLock<Transliteration> = LazyLock::new(|| {
    Transliteration::parse(include_str!("../lexicon/data/transliteration_chars.tsv"))
        .expect("the embedded transliteration table parses (a test checks it)")
});

/// A name of characters `start..end` that starts with no surname but reads
/// as a transliterated name: jieba's tokens begin at both ends (the name
/// runs into no word; but jieba may read a name with the word after it as
/// one name, 格桑卓玛带|着), no word that follows names starts inside it
/// (格桑卓玛|带着), the span is no word of the dictionary but a name
/// (扎西 is a place there, 阿克苏 too, 克拉 a unit), and it holds no lost
/// character.
fn transliterated(cx: &Context<'_>, start: usize, end: usize) -> bool {
    end <= cx.chars.len()
        && !(start + 1..end).any(|k| {
            let rest = cx.text(k..(k + 2).min(end));
            AFTER_NAME.iter().any(|w| rest.starts_with(w))
        })
        && cx.token_starts.contains(&start)
        && (end == cx.chars.len()
            || cx.token_starts.contains(&end)
            || cx
                .tokens
                .partition_point(|t| t.start <= end)
                .checked_sub(1)
                .is_some_and(|k| {
                    let t = &cx.tokens[k];
                    let rest = cx.text(end..t.end.max(end));
                    t.tag.starts_with("nr") && AFTER_NAME.iter().any(|w| rest.starts_with(w))
                }))
        && !cx.has_lost(start..end)
        && TRANSLITERATION.reads_as_name(&cx.chars[start..end])
        && SEGMENTER
            .dict_tag(&cx.text(start..end))
            .is_none_or(|t| t.starts_with("nr"))
}

/// The length of a transliterated name right after a role at `at`
/// (中心主任吉克阿依介绍): the longest that ends where a name may end.
fn transliterated_after(cx: &Context<'_>, at: usize) -> Option<usize> {
    (2..=5)
        .rev()
        .find(|&n| transliterated(cx, at, at + n) && ends_name(cx, at + n))
}

/// The spans the statistical recogniser reads as person names, over the
/// whole text with jieba's tokens and their kinds (dictionary word,
/// dictionary name, other).
fn statistical_names(cx: &Context<'_>) -> Vec<std::ops::Range<usize>> {
    let tokens: Vec<(usize, usize, TokenKind)> = cx
        .tokens
        .iter()
        .map(|t| {
            let kind = if t.tag.starts_with("nr") {
                TokenKind::Name
            } else if t.tag != "x" && SEGMENTER.has_word(&t.word) {
                TokenKind::Word
            } else {
                TokenKind::Other
            };
            (t.start, t.end, kind)
        })
        .collect();
    NAMES
        .propose_tagged(&cx.chars, &tokens)
        .into_iter()
        .map(|c| c.range)
        .collect()
}

struct Found {
    name: String,
    role: Option<String>,
    affiliation: Option<EntityKey>,
    place: Option<EntityKey>,
    envoy: bool,
}

impl Found {
    /// A name found without a role.
    fn named(name: String) -> Self {
        Self {
            name,
            role: None,
            affiliation: None,
            place: None,
            envoy: false,
        }
    }
}

fn name_after(cx: &Context<'_>, at: usize) -> Option<usize> {
    for n in [3usize, 2] {
        if at + n > cx.chars.len() {
            continue;
        }
        let name = cx.text(at..at + n);
        if !plausible_name_at(cx, at, at + n) || cx.has_lost(at..at + n) {
            continue;
        }
        // The surname starts an ordinary word that runs into the name (占比|达).
        if let Some(k) = cx.token_at(at)
            && cx.tokens[k].end > at + 1
            && cx.tokens[k].end < at + n
            && !cx.tokens[k].tag.starts_with("nr")
            && SEGMENTER.dict_tag(&cx.tokens[k].word).is_some()
        {
            continue;
        }
        // jieba reads these very characters as one ordinary word (员工|占比).
        if let Some(k) = cx.token_at(at)
            && cx.tokens[k].end == at + n
            && !cx.tokens[k].tag.starts_with("nr")
            && cx.tokens[k].tag != "x"
        {
            continue;
        }
        let boundary = ends_name(cx, at + n);
        // A three-character name may end in a character that also follows
        // names (吴志|刚, 李建|正) when jieba cuts the three as one name.
        let jieba_name = cx
            .token_at(at)
            .is_some_and(|k| cx.tokens[k].end == at + n && cx.tokens[k].tag.starts_with("nr"));
        if boundary && (n == 2 || jieba_name || !AFTER_NAME.iter().any(|w| name.ends_with(w))) {
            return Some(n);
        }
    }
    None
}

/// True when a name may end before character `end`: where the text ends, a
/// listed word follows, or jieba starts a verb, adverb, preposition or
/// function word.
fn ends_name(cx: &Context<'_>, end: usize) -> bool {
    let rest = cx.text(end..(end + 2).min(cx.chars.len()));
    let next_tag = cx.token_at(end).map(|k| cx.tokens[k].tag.as_str());
    rest.is_empty()
        || AFTER_NAME.iter().any(|w| rest.starts_with(w))
        || next_tag.is_some_and(|t| {
            t.starts_with('v')
                || t.starts_with('u')
                || matches!(t, "p" | "d" | "c" | "r" | "f" | "x" | "w" | "m")
        })
}

/// The dots that join the parts of a name written in transliteration.
const NAME_DOTS: [char; 4] = ['·', '•', '・', '‧'];

/// Names written in transliteration, their parts joined by a dot (比尔·盖茨,
/// 阿卜杜拉·艾买提): on each side of the dot, the Han tokens that jieba
/// tags as names (`nr`, `nrt`, `nrfg`) or knows no word for, stopping at a
/// role, a verb or any other word. Both sides must hold such a part.
fn dotted_names(cx: &Context<'_>) -> Vec<std::ops::Range<usize>> {
    let part = |t: &crate::segment::Token| {
        t.word.chars().all(crate::ingest::normalize::is_han)
            && (t.tag.starts_with("nr") || (t.tag == "x" && !SEGMENTER.has_word(&t.word)))
    };
    let is_dot =
        |t: &crate::segment::Token| t.end == t.start + 1 && NAME_DOTS.contains(&cx.chars[t.start]);
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    let mut k = 0;
    while k < cx.tokens.len() {
        let t = &cx.tokens[k];
        if !is_dot(t) || k == 0 || !part(&cx.tokens[k - 1]) {
            k += 1;
            continue;
        }
        // Leftwards from the dot, at most six characters.
        let mut first = k - 1;
        while first > 0 && part(&cx.tokens[first - 1]) && t.start - cx.tokens[first - 1].start <= 6
        {
            first -= 1;
        }
        // Rightwards over parts and further dots, at most twelve characters.
        let mut last = None;
        let mut j = k + 1;
        while let Some(n) = cx.tokens.get(j) {
            let dot = is_dot(n);
            let next_is_part = cx.tokens.get(j + 1).is_some_and(&part);
            if n.end - cx.tokens[first].start > 12 || !(part(n) || dot && next_is_part) {
                break;
            }
            if !dot {
                last = Some(j);
            }
            j += 1;
        }
        match last {
            Some(l) => {
                out.push(cx.tokens[first].start..cx.tokens[l].end);
                k = l + 1;
            }
            None => k += 1,
        }
    }
    out
}

/// Characters that the surname list holds (from names in jieba's dictionary)
/// but that start ordinary phrases far more often than names.
const FUNCTION_CHARS: &str = "和与的在这那是了也就都又而及或并从对把被让给向往有";

/// A surname, then a given name that is not an ordinary word (商户|和人才).
pub fn plausible_name(name: &str) -> bool {
    plausible(name, false)
}

/// [`plausible_name`] for the characters `start..end`, which may also start
/// with a surname that is a function character too (向晓燕, 和平安) when
/// jieba cuts exactly those characters as one name.
fn plausible_name_at(cx: &Context<'_>, start: usize, end: usize) -> bool {
    let jieba_name = cx.token_at(start).is_some_and(|k| {
        let t = &cx.tokens[k];
        t.start == start && t.end == end && t.tag.starts_with("nr")
    });
    plausible(&cx.text(start..end), jieba_name)
}

/// [`plausible_name`], with a first character that is also a function
/// character allowed when `jieba_name`.
fn plausible(name: &str, jieba_name: bool) -> bool {
    let known_surname = LEXICON.looks_like_person_name(name)
        || (name.chars().count() <= 4
            && name
                .chars()
                .next()
                .is_some_and(|c| NAMES.is_surname_start(c)));
    if !known_surname || (!jieba_name && name.starts_with(|c| FUNCTION_CHARS.contains(c))) {
        return false;
    }
    let chars: Vec<char> = name.chars().collect();
    // Given names are often ordinary words themselves (红梅, 海燕, 超越), so a
    // given name is refused only when it is a function word (和|人才 is
    // already refused by its first character).
    let function_word = |w: &str| {
        SEGMENTER
            .dict_tag(w)
            .is_some_and(|t| matches!(t.as_str(), "r" | "m" | "q" | "p" | "c" | "u" | "f" | "d"))
    };
    if chars.len() == 3 && function_word(&chars[1..].iter().collect::<String>()) {
        return false;
    }
    // A "name" that is an ordinary word of the dictionary is a word (金融,
    // 占比, 白花 z).
    let ordinary = |w: &str| {
        SEGMENTER.dict_tag(w).is_some_and(|t| {
            !t.starts_with("nr")
                && (t.starts_with('n')
                    || t.starts_with('v')
                    || t.starts_with('z')
                    || t.starts_with('a')
                    || function_word(w))
        })
    };
    !ordinary(name)
}

/// A role without the batch it opens with (第二批乡村特派员 → 乡村特派员,
/// 首批, 第3届): the batch is when the person came, not what they are.
fn without_batch(role: &str) -> &str {
    let rest = role
        .strip_prefix('第')
        .map(|r| {
            r.trim_start_matches(|c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
        })
        .filter(|r| r.len() + '第'.len_utf8() < role.len())
        .or_else(|| role.strip_prefix('首'))
        .or_else(|| role.strip_prefix("新一"));
    match rest.and_then(|r| r.strip_prefix(['批', '届', '期'])) {
        Some(r) if !r.is_empty() => r,
        _ => role,
    }
}

/// Finds people.
pub fn extract(cx: &Context<'_>, ex: &mut Extraction) {
    let text = cx.string.as_str();
    let mut found: Vec<Found> = Vec::new();
    let claimed = |ex: &Extraction, s: usize, e: usize| {
        ex.mentions
            .iter()
            .any(|m| m.range.start < e && s < m.range.end && m.entity.kind != EntityKind::Place)
    };
    // Role + name.
    let mut role_hits: Vec<(usize, usize, &str, &str)> = Vec::new();
    for (i, b) in ROLES.find_all(text) {
        let (role, class) = &LEXICON.roles[i];
        let s = cx.char_at_byte(b);
        role_hits.push((s, s + role.chars().count(), role, class));
    }
    role_hits.sort_by_key(|h| (h.1, std::cmp::Reverse(h.1 - h.0)));
    role_hits.dedup_by_key(|h| h.1);
    for (rs, re, role, class) in role_hits {
        let Some(n) = name_after(cx, re).or_else(|| transliterated_after(cx, re)) else {
            continue;
        };
        if claimed(ex, re, re + n) {
            continue;
        }
        let name = cx.text(re..re + n);
        // The organisation written just before the role.
        let org = ex
            .mentions
            .iter()
            .filter(|m| {
                matches!(
                    m.entity.kind,
                    EntityKind::Organization | EntityKind::Programme
                ) && m.range.end <= rs
                    && rs - m.range.end <= 8
                    && !cx.chars[m.range.end..rs]
                        .iter()
                        .any(|c| ",。;:!?、“”()".contains(*c))
            })
            .max_by_key(|m| (m.range.end, std::cmp::Reverse(m.range.start)))
            .cloned();
        let role_start = org.as_ref().map_or(rs, |m| m.range.end);
        let role_text = without_batch(&cx.text(role_start..re)).to_owned();
        let place = ex
            .mentions
            .iter()
            .find(|m| {
                m.range.start >= role_start && m.range.end <= rs && code_of(&m.entity).is_some()
            })
            .map(|m| m.entity.clone());
        found.push(Found {
            name,
            role: Some(if role_text.is_empty() {
                role.to_owned()
            } else {
                role_text
            }),
            affiliation: org.map(|m| m.entity),
            place,
            envoy: class == "envoy",
        });
    }
    // A name right before a speech verb, after a boundary (，包妃燕说), or
    // else a transliterated one (，巴特尔说), the longest that starts after a
    // boundary.
    let bounded = |start: usize| {
        start
            .checked_sub(1)
            .map(|k| cx.chars[k])
            .is_none_or(|c| !is_han(c) || BEFORE_NAME.contains(c))
    };
    for (_, b) in NAME_CUES.find_all(text) {
        let at = cx.char_at_byte(b);
        let surnamed = [3usize, 2]
            .into_iter()
            .filter_map(|n| at.checked_sub(n))
            .find(|&start| {
                bounded(start)
                    && plausible_name_at(cx, start, at)
                    && cx.token_starts.contains(&start)
                    && !claimed(ex, start, at)
            });
        let start = surnamed.or_else(|| {
            (2..=5)
                .rev()
                .filter_map(|n| at.checked_sub(n))
                .find(|&s| bounded(s) && transliterated(cx, s, at) && !claimed(ex, s, at))
        });
        if let Some(start) = start {
            found.push(Found::named(cx.text(start..at)));
        }
    }
    // nr tokens before a speech verb; a single surname token before the
    // token belongs to the name (薛|海燕|说).
    for (k, w) in cx.tokens.windows(2).enumerate() {
        let (t, next) = (&w[0], &w[1]);
        if !(t.tag == "nr" || t.tag == "nrfg") || !SPEECH.contains(&next.word.as_str()) {
            continue;
        }
        let prev = k.checked_sub(1).map(|p| &cx.tokens[p]);
        let (start, name) = match prev {
            Some(p)
                if p.end == t.start
                    && p.word.chars().count() == 1
                    && LEXICON.surnames.contains(&p.word) =>
            {
                (p.start, format!("{}{}", p.word, t.word))
            }
            _ => (t.start, t.word.clone()),
        };
        let bounded = start == 0
            || !crate::ingest::normalize::is_han(cx.chars[start - 1])
            || BEFORE_NAME.contains(cx.chars[start - 1]);
        if bounded && plausible_name_at(cx, start, t.end) && !claimed(ex, start, t.end) {
            found.push(Found::named(name));
        }
    }
    // Names in transliteration, dot and all (谢丽尔·桑德伯格); the parts
    // of such a name are no names of their own.
    let dotted: Vec<std::ops::Range<usize>> = dotted_names(cx)
        .into_iter()
        .filter(|r| !claimed(ex, r.start, r.end) && !cx.has_lost(r.clone()))
        .collect();
    let dotted_of = |name: &str| {
        dotted.iter().map(|r| cx.text(r.clone())).find(|full| {
            *full != name
                && full
                    .split(NAME_DOTS)
                    .any(|p| p.contains(name) || name.contains(p))
        })
    };
    let in_dotted = |name: &str| dotted_of(name).is_some();
    // A part found with a role (运营官谢丽尔) gives the whole name its role.
    for f in &mut found {
        if let Some(full) = dotted_of(&f.name) {
            f.name = full;
        }
    }
    for r in &dotted {
        let name = cx.text(r.clone());
        if !found.iter().any(|f| f.name == name) {
            found.push(Found::named(name));
        }
    }
    // Names from the characters themselves, where no rule above found one.
    // They must not touch anything already recognised, places included
    // (徐闻, 凌云 start with surnames), nor lost characters.
    for r in statistical_names(cx) {
        let touches = ex
            .mentions
            .iter()
            .any(|m| m.range.start < r.end && r.start < m.range.end);
        if touches || cx.has_lost(r.clone()) {
            continue;
        }
        // jieba's dictionary tags some three-character words as names
        // (黄金周, 金银花 nr); their first two characters are an ordinary word
        // (黄金, 金银), which a name's surname and given name rarely are.
        let name = cx.text(r.clone());
        let starts_a_word = name.chars().count() == 3 && {
            let head: String = name.chars().take(2).collect();
            SEGMENTER
                .dict_tag(&head)
                .is_some_and(|t| !t.starts_with("nr"))
        };
        if !starts_a_word
            && plausible_name_at(cx, r.start, r.end)
            && !in_dotted(&name)
            && !found.iter().any(|f| f.name == name)
        {
            found.push(Found::named(name));
        }
    }
    // One node per name in the article: the first affiliation found wins.
    let mut people: BTreeMap<String, Found> = BTreeMap::new();
    for f in found {
        match people.get_mut(&f.name) {
            Some(old) => {
                let better = old.affiliation.is_none() && f.affiliation.is_some();
                if better {
                    old.affiliation = f.affiliation;
                }
                if better || old.role.is_none() {
                    old.role = f.role.or(old.role.take());
                }
                if old.place.is_none() {
                    old.place = f.place;
                }
                old.envoy |= f.envoy;
            }
            None => {
                people.insert(f.name.clone(), f);
            }
        }
    }
    let article = cx.article.id.as_str();
    for (name, f) in people {
        let scope = match &f.affiliation {
            Some(a) => ex
                .entities
                .get(a)
                .map_or_else(|| a.local.clone(), |e| e.label.clone()),
            None => format!("article:{article}"),
        };
        let key = EntityKey::new(EntityKind::Person, format!("{name}@{scope}"));
        let mut e = Entity::new(key.clone(), &name, Category::Person);
        e.details = Details::Person {
            role: f.role.clone(),
            affiliation: f.affiliation.clone(),
        };
        e.place = f.place.clone();
        ex.add_entity(e);
        let mut first_sentence = None;
        for b in super::phrases::occurrences(text, &name) {
            let s = cx.char_at_byte(b);
            let range = s..s + name.chars().count();
            if claimed(ex, range.start, range.end) {
                continue;
            }
            let m = cx.mention(key.clone(), range);
            first_sentence.get_or_insert(m.sentence);
            ex.mentions.push(m);
        }
        let sentence = first_sentence.unwrap_or(0);
        if let Some(a) = f.affiliation {
            ex.relations.push(Relation {
                subject: key.clone(),
                kind: RelationKind::MemberOf,
                object: a,
                sentence,
                trigger: f.role.clone(),
                confidence: 0.8,
            });
        }
        if f.envoy
            && let Some(p) = f.place
        {
            ex.relations.push(Relation {
                subject: key.clone(),
                kind: RelationKind::DispatchedTo,
                object: p,
                sentence,
                trigger: f.role.clone(),
                confidence: 0.8,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::plausible_name;
    use crate::extract::EntityKind;
    use crate::extract::table::check;

    /// Sentences written for this table, with the people each must and must
    /// not yield.
    const CASES: &[(&str, &[&str], &[&str])] = &[
        // Role cues, as before.
        ("合作社理事长覃德明介绍了今年的收成。", &["覃德明"], &[]),
        // Names in transliteration keep their dot and every part; the
        // parts are not people of their own.
        (
            "脸书首席运营官谢丽尔·桑德伯格曾到访杭州。",
            &["谢丽尔·桑德伯格"],
            &["谢丽尔", "桑德伯格"],
        ),
        (
            "会上，新疆喀什的阿卜杜拉·艾买提介绍了合作社的情况。",
            &["阿卜杜拉·艾买提"],
            &["艾买提"],
        ),
        (
            "乡村教师古丽米拉·吐尔逊说，学生们很喜欢直播课。",
            &["古丽米拉·吐尔逊"],
            &["古丽", "吐尔逊"],
        ),
        // A dot between words that are no names joins nothing.
        ("产品·服务·体验是三个方面。", &[], &["产品·服务"]),
        // No cue at all: a name the recogniser reads from its characters.
        (
            "清晨六点，郑秀英已经把当天的订单打包好了。",
            &["郑秀英"],
            &[],
        ),
        (
            "去年返乡的胡晓峰在镇上开了一家网店，卖自家种的猕猴桃。",
            &["胡晓峰"],
            &[],
        ),
        ("这批学员里，年纪最小的是19岁的邓佳琪。", &["邓佳琪"], &[]),
        // A name right after a place or a company.
        (
            "来自云南的杨丽萍和来自四川的罗建国一起参加了培训。",
            &["杨丽萍", "罗建国"],
            &[],
        ),
        // Words and places that start with a surname are not people.
        (
            "山坡上种满了金银花，远看白花花一片。",
            &[],
            &["金银花", "白花花"],
        ),
        (
            "电商企业提高效率的关键在于高速物流。",
            &[],
            &["高效率", "高速"],
        ),
        ("他先后去过徐闻县和凌云县考察。", &[], &["徐闻", "凌云"]),
        ("全县今年的黄金周客流创了新高。", &[], &["黄金周"]),
        // A name ending in a character that also follows names (刚, 正)
        // keeps it when jieba reads the three as a name.
        (
            "镇党委书记王志刚认为，电商培训要办到村里。",
            &["王志刚"],
            &["王志"],
        ),
        // A surname that is also a preposition (向) when jieba reads the
        // whole name as one.
        ("28岁的向晓燕是村里第一个开网店的人。", &["向晓燕"], &[]),
        ("向晓燕告诉记者，网店生意越来越好。", &["向晓燕"], &[]),
        ("他向李明学习直播技巧。", &["李明"], &["向李明"]),
        // A name that ends like a county (章新县) is still a name.
        ("驻村特派员章新县在村里住了三年。", &["章新县"], &[]),
        // No surname starts these: transliterated names (Yi, Tibetan,
        // Mongolian) after a role or before a speech verb, the longest that
        // ends where a name may end.
        (
            "服务中心主任吉克阿依介绍，今年新招了一批客服。",
            &["吉克阿依"],
            &["吉克", "阿依"],
        ),
        (
            "村民阿苏拉则告诉记者，他每月都去镇上发货。",
            &["阿苏拉则"],
            &[],
        ),
        (
            "驻村第一书记格桑卓玛带着大家学习直播。",
            &["格桑卓玛"],
            &["格桑"],
        ),
        ("会后，巴特尔说草原上的网速快多了。", &["巴特尔"], &[]),
        (
            "收工以后，阿苏拉则说想再开一家网店。",
            &["阿苏拉则"],
            &["拉则"],
        ),
        // A role or a speech verb next to ordinary words or a place name
        // gives no transliterated name (阿克苏, 吐鲁番 are places in the
        // dictionary).
        ("客服主任介绍了今年的考核办法。", &[], &["介绍"]),
        ("主播阿克苏的苹果卖得很好。", &[], &["阿克苏"]),
        ("记者吐鲁番报道，葡萄干网上热销。", &[], &["吐鲁番"]),
    ];

    #[test]
    fn the_transliteration_table_parses_and_scores() {
        let table = &*super::TRANSLITERATION;
        assert!(
            table.ratios.len() > 100,
            "{} characters",
            table.ratios.len()
        );
        let reads = |s: &str| table.reads_as_name(&s.chars().collect::<Vec<_>>());
        assert!(reads("吉克阿依") && reads("巴特尔"));
        assert!(!reads("就业") && !reads("阿") && !reads("阿克苏拉巴特"));
        // One character rare in such names is let through (则 in 阿尔克则),
        // not two (则, 果), however high the others score; a name of
        // common characters (多吉才让, mean 1.4) needs a surname or a dot.
        assert!(reads("阿尔克则") && !reads("阿尔克则果"));
        assert!(!reads("多吉才让"));
        assert!(
            super::Transliteration::parse("阿\t4.2\n").is_err(),
            "no default line"
        );
        assert!(super::Transliteration::parse("default\t-2\n阿克\t1\n").is_err());
    }

    #[test]
    fn people_table() {
        let failures = check(EntityKind::Person, CASES);
        assert!(
            failures.is_empty(),
            "{} failures:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn a_role_does_not_keep_the_batch_it_opens_with() {
        // (passage, person, role)
        let cases = [
            (
                "公益基金会第二批乡村特派员刘晓东来到了凉山。",
                "刘晓东",
                "乡村特派员",
            ),
            ("阿里巴巴首批乡村特派员李明来到县里。", "李明", "乡村特派员"),
            // A role that only starts like a batch keeps its words.
            ("第一书记王强到任。", "王强", "第一书记"),
        ];
        for (text, person, role) in cases {
            let ex = crate::extract::table::extraction(text);
            let e = ex
                .entities
                .values()
                .find(|e| e.label == person)
                .unwrap_or_else(|| panic!("{text}: no {person}"));
            assert_eq!(e.role(), Some(role), "{text}");
        }
        assert_eq!(super::without_batch("第二批乡村特派员"), "乡村特派员");
        assert_eq!(super::without_batch("第一书记"), "第一书记");
    }

    #[test]
    fn dictionary_words_are_not_names() {
        for w in ["白花", "高速", "金融", "王国"] {
            assert!(!plausible_name(w), "{w}");
        }
        for w in ["郑秀英", "王芳", "欧阳明"] {
            assert!(plausible_name(w), "{w}");
        }
    }
}
