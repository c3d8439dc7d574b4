//! People: a role or title followed by a name (乡村特派员陈丽娟, 副会长马杰,
//! 中心主任何晓斌), and names that jieba tags `nr` before a speech verb
//! (傅江燕说). A name must start with a known surname. The organisation
//! written just before the role is the affiliation; a person node is keyed by
//! name and affiliation, so namesakes stay apart.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use super::phrases::Phrases;
use super::places::code_of;
use super::{Context, Entity, EntityKey, EntityKind, Extraction, Relation, RelationKind};
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
        if !plausible_name(&name) || cx.has_lost(at..at + n) {
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
        let rest = cx.text(at + n..(at + n + 2).min(cx.chars.len()));
        // The name ends where a listed word follows, or where jieba starts a
        // verb, adverb, preposition or function word.
        let next_tag = cx.token_at(at + n).map(|k| cx.tokens[k].tag.as_str());
        let boundary = rest.is_empty()
            || AFTER_NAME.iter().any(|w| rest.starts_with(w))
            || next_tag.is_some_and(|t| {
                t.starts_with('v')
                    || t.starts_with('u')
                    || matches!(t, "p" | "d" | "c" | "r" | "f" | "x" | "w" | "m")
            });
        if boundary && (n == 2 || !AFTER_NAME.iter().any(|w| name.ends_with(w))) {
            return Some(n);
        }
    }
    None
}

/// Characters that the surname list holds (from names in jieba's dictionary)
/// but that start ordinary phrases far more often than names.
const FUNCTION_CHARS: &str = "和与的在这那是了也就都又而及或并从对把被让给向往有";

/// A surname, then a given name that is not an ordinary word (商户|和人才).
pub fn plausible_name(name: &str) -> bool {
    if !LEXICON.looks_like_person_name(name) || name.starts_with(|c| FUNCTION_CHARS.contains(c)) {
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
    // A two-character "name" that is an ordinary noun or function word is a word (金融, 占比).
    let ordinary = |w: &str| {
        SEGMENTER.dict_tag(w).is_some_and(|t| {
            !t.starts_with("nr") && (t.starts_with('n') || t.starts_with('v') || function_word(w))
        })
    };
    !ordinary(name)
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
        let Some(n) = name_after(cx, re) else {
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
        let role_text = cx.text(role_start..re);
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
    // A name right before a speech verb, after a boundary (，包妃燕说).
    for (_, b) in NAME_CUES.find_all(text) {
        let at = cx.char_at_byte(b);
        for n in [3usize, 2] {
            if at < n {
                continue;
            }
            let start = at - n;
            let before = start.checked_sub(1).map(|k| cx.chars[k]);
            let bounded = before
                .is_none_or(|c| !crate::ingest::normalize::is_han(c) || BEFORE_NAME.contains(c));
            let name = cx.text(start..at);
            if bounded
                && plausible_name(&name)
                && cx.token_starts.contains(&start)
                && !claimed(ex, start, at)
            {
                found.push(Found::named(name));
                break;
            }
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
        if bounded && plausible_name(&name) && !claimed(ex, start, t.end) {
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
        let mut e = Entity::new(
            key.clone(),
            &name,
            f.role.clone().unwrap_or_else(|| "person".into()),
        );
        e.role = f.role.clone();
        e.affiliation = f.affiliation.clone();
        e.place = f.place.clone();
        ex.add_entity(e);
        let mut first_sentence = None;
        for (b, _) in text.match_indices(name.as_str()) {
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
