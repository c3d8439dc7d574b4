//! Programmes, facilities, events and documents: names in quotation marks
//! followed by (or ending in) a head word (“数字木兰”就业培训计划, “热土计划”),
//! titles in 《》, and unquoted names ending in a head word whose left edge is
//! found on jieba's tokens (开化县阿里巴巴公益数字人才基地). Organisations and
//! places inside a name become its operator and location.

use super::orgs::name_tag_ok;
use super::places::code_of;
use super::{Context, Entity, EntityKey, EntityKind, Extraction, Relation, RelationKind};
use crate::lexicon::LEXICON;

const OPEN_QUOTES: &[char] = &['“', '"', '‘', '「', '『'];
const CLOSE_QUOTES: &[char] = &['”', '"', '’', '」', '』'];
/// Heads that make a programme only in quotation marks.
const QUOTED_ONLY: &[&str] = &["活动", "模式", "战略", "品牌", "计划", "工程", "行动"];
const DOCUMENT: &str = "document";
/// Tokens that end the left walk of an unquoted name.
const STOP_WORDS: &[&str] = &[
    "的",
    "和",
    "与",
    "及",
    "等",
    "在",
    "为",
    "了",
    "是",
    "由",
    "将",
    "把",
    "被",
    "对",
    "向",
    "从",
    "该",
    "这",
    "各",
    "其",
    "个",
    "家",
    "所",
    "这个",
    "一个",
    "此",
    "多个",
    "首个",
    "第一个",
    "一批",
    "这些",
];

fn head_of(word_end: &str) -> Option<(&'static str, &'static str)> {
    let lx: &'static crate::lexicon::Lexicon = &LEXICON;
    lx.programme_heads
        .iter()
        .find(|(h, _)| word_end.ends_with(h.as_str()))
        .map(|(h, k)| (h.as_str(), k.as_str()))
}

fn head_kind(name: &str) -> Option<String> {
    LEXICON
        .programme_heads
        .iter()
        .find(|(h, _)| name.ends_with(h.as_str()))
        .map(|(_, k)| k.clone())
}

/// Finds programmes and documents.
pub fn extract(cx: &Context<'_>, ex: &mut Extraction) {
    titles(cx, ex);
    quoted(cx, ex);
    unquoted(cx, ex);
    link_inner(cx, ex);
}

fn add(
    cx: &Context<'_>,
    ex: &mut Extraction,
    name: &str,
    kind: &str,
    range: std::ops::Range<usize>,
) -> EntityKey {
    let ek = if kind == DOCUMENT {
        EntityKind::Document
    } else {
        EntityKind::Programme
    };
    // A later short form of an earlier name (数字人才基地 after 开化县…数字人才基地) is the same node.
    let existing = ex
        .entities
        .values()
        .filter(|e| {
            e.key.kind == ek
                && e.label != name
                && e.label.ends_with(name)
                && name.chars().count() >= 4
        })
        .map(|e| e.key.clone())
        .next();
    let key = match existing {
        Some(k) => {
            if let Some(e) = ex.entities.get_mut(&k) {
                e.aliases.insert(name.to_owned());
            }
            k
        }
        None => ex.add_entity(Entity::new(EntityKey::new(ek, name), name, kind)),
    };
    let written = cx.text(range.clone());
    if written != name
        && let Some(e) = ex.entities.get_mut(&key)
    {
        e.aliases.insert(written);
    }
    ex.mentions.push(cx.mention(key.clone(), range));
    key
}

fn titles(cx: &Context<'_>, ex: &mut Extraction) {
    let c = &cx.chars;
    let mut i = 0;
    while i < c.len() {
        if c[i] == '《'
            && let Some(len) = c[i + 1..].iter().take(40).position(|&x| x == '》')
        {
            let range = i + 1..i + 1 + len;
            let name = cx.text(range.clone());
            if len >= 2 && !cx.has_lost(range.clone()) {
                let kind = match head_kind(&name) {
                    Some(k) if k != DOCUMENT && !name.ends_with("报告") => k,
                    _ => DOCUMENT.to_owned(),
                };
                add(cx, ex, &name, &kind, i..i + len + 2);
            }
            i += len + 2;
            continue;
        }
        i += 1;
    }
}

fn quoted(cx: &Context<'_>, ex: &mut Extraction) {
    let c = &cx.chars;
    let mut i = 0;
    while i < c.len() {
        if !OPEN_QUOTES.contains(&c[i]) {
            i += 1;
            continue;
        }
        let close_quote = CLOSE_QUOTES[OPEN_QUOTES.iter().position(|q| *q == c[i]).unwrap_or(0)];
        let Some(len) = c[i + 1..].iter().take(24).position(|x| *x == close_quote) else {
            i += 1;
            continue;
        };
        let inner = i + 1..i + 1 + len;
        let close = i + 1 + len;
        i = close + 1;
        let name = cx.text(inner.clone());
        if len < 2 || name.chars().any(|ch| "。!?;:“”".contains(ch)) || cx.has_lost(inner.clone())
        {
            continue;
        }
        // Name ends in a head word itself: “热土计划”, “蚂蚁服务星站”.
        if let Some(kind) = head_kind(&name) {
            add(cx, ex, &name, &kind, inner.clone());
            continue;
        }
        // Followed by modifiers and a head word: “数字木兰”就业培训计划, “阿里客服县”项目.
        let after_start = close + 1;
        let mut end = None;
        if let Some(t0) = cx.token_at(after_start) {
            for t in &cx.tokens[t0..(t0 + 4).min(cx.tokens.len())] {
                if !name_tag_ok(&t.tag) && head_of(&t.word).is_none() {
                    break;
                }
                if let Some((_, kind)) = head_of(&t.word) {
                    end = Some((t.end, kind));
                    break;
                }
            }
        }
        if let Some((end, kind)) = end {
            let full = cx.text(i - 1 - len - 1..end);
            let key = add(cx, ex, &name, kind, inner.clone());
            if let Some(e) = ex.entities.get_mut(&key) {
                e.aliases
                    .insert(full.replace(OPEN_QUOTES, "").replace(CLOSE_QUOTES, ""));
            }
        }
    }
}

const MEASURE_WORDS: &str = "家个所座间名支场批项条位";

/// Moves the start of an unquoted name past a measure word after a numeral
/// (29家|电商产业园) and past leading provinces and prefectures followed by a
/// more specific place (青海省海东市|平安区…). `None` when nothing remains.
pub fn trim_name_start(
    cx: &Context<'_>,
    ex: &Extraction,
    mut start: usize,
    end: usize,
) -> Option<usize> {
    let numeral =
        |c: char| c.is_ascii_digit() || "零一二两三四五六七八九十百千万亿多余几".contains(c);
    if start < end
        && MEASURE_WORDS.contains(cx.chars[start])
        && start > 0
        && numeral(cx.chars[start - 1])
    {
        start += 1;
    }
    loop {
        let lead = ex.mentions.iter().find(|m| {
            m.range.start == start
                && m.range.end < end
                && code_of(&m.entity).is_some_and(|c| {
                    LEXICON
                        .divisions
                        .get(c)
                        .is_some_and(|d| d.level != crate::lexicon::Level::County)
                })
        });
        let Some(lead) = lead else { break };
        let next_is_place = ex.mentions.iter().any(|m| {
            m.range.start == lead.range.end && m.range.end < end && code_of(&m.entity).is_some()
        });
        if !next_is_place {
            break;
        }
        start = lead.range.end;
    }
    (start < end).then_some(start)
}

/// True when the words before the head are one ordinary noun with no proper
/// name in them (物流|公司, 实训|基地): such names are descriptions, not names.
pub fn is_generic(cx: &Context<'_>, start: usize, head_start: usize) -> bool {
    let toks: Vec<&crate::segment::Token> = cx
        .tokens
        .iter()
        .filter(|t| t.start >= start && t.end <= head_start)
        .collect();
    let proper = toks.iter().any(|t| {
        matches!(
            t.tag.as_str(),
            "ns" | "nr" | "nrt" | "nrfg" | "nz" | "nt" | "eng" | "j"
        ) || t.word.chars().any(|c| c.is_ascii_alphanumeric())
    });
    !proper && toks.len() <= 1
}

fn unquoted(cx: &Context<'_>, ex: &mut Extraction) {
    let toks = &cx.tokens;
    for (i, t) in toks.iter().enumerate() {
        let Some((head, kind)) = head_of(&t.word) else {
            continue;
        };
        if kind == DOCUMENT || QUOTED_ONLY.contains(&head) {
            continue;
        }
        let end = t.end;
        let mut start = t.start;
        let mut parts = usize::from(t.word.chars().count() > head.chars().count());
        let mut j = i;
        while j > 0 {
            let p = &toks[j - 1];
            let anchored_verb = matches!(p.tag.as_str(), "v" | "vn")
                && p.word.chars().count() == 2
                && j >= 2
                && matches!(toks[j - 2].tag.as_str(), "ns" | "nt" | "nz");
            if p.end != toks[j].start
                || STOP_WORDS.contains(&p.word.as_str())
                || !(name_tag_ok(&p.tag) || anchored_verb)
                || p.word
                    .chars()
                    .any(|c| !crate::ingest::normalize::is_han(c) && !c.is_ascii_alphabetic())
            {
                break;
            }
            j -= 1;
            parts += 1;
            start = toks[j].start;
            if parts >= 7 || end - start > 24 {
                break;
            }
        }
        let Some(start) = trim_name_start(cx, ex, start, end) else {
            continue;
        };
        if parts == 0
            || cx.has_lost(start..end)
            || is_generic(cx, start, end - head.chars().count())
        {
            continue;
        }
        // Already inside a quoted or titled programme, or an organisation name.
        if ex.mentions.iter().any(|m| {
            m.range.start <= start
                && m.range.end >= end
                && matches!(
                    m.entity.kind,
                    EntityKind::Programme | EntityKind::Document | EntityKind::Organization
                )
        }) {
            continue;
        }
        let name = cx.text(start..end);
        add(cx, ex, &name, kind, start..end);
    }
}

/// Organisations and places inside a programme's name: operator and location.
fn link_inner(cx: &Context<'_>, ex: &mut Extraction) {
    let progs: Vec<(std::ops::Range<usize>, EntityKey, usize)> = ex
        .mentions
        .iter()
        .filter(|m| m.entity.kind == EntityKind::Programme)
        .map(|m| (m.range.clone(), m.entity.clone(), m.sentence))
        .collect();
    let _ = cx;
    for (range, key, sentence) in progs {
        let inner: Vec<EntityKey> = ex
            .mentions
            .iter()
            .filter(|m| m.range.start >= range.start && m.range.end <= range.end && m.entity != key)
            .map(|m| m.entity.clone())
            .collect();
        for e in inner {
            let kind = match e.kind {
                EntityKind::Organization => RelationKind::Operates,
                EntityKind::Place if code_of(&e).is_some() => RelationKind::LocatedIn,
                _ => continue,
            };
            let (subject, object) = if kind == RelationKind::Operates {
                (e.clone(), key.clone())
            } else {
                (key.clone(), e.clone())
            };
            if kind == RelationKind::LocatedIn
                && let Some(p) = ex.entities.get_mut(&key)
                && p.place.is_none()
            {
                p.place = Some(e.clone());
            }
            ex.relations.push(Relation {
                subject,
                kind,
                object,
                sentence,
                trigger: None,
                confidence: 0.9,
            });
        }
    }
}
