//! Programmes, facilities, events and documents: names in quotation marks
//! followed by (or ending in) a head word (“数字木兰”就业培训计划, “热土计划”),
//! titles in 《》, and unquoted names ending in a head word whose left edge is
//! found on jieba's tokens (开化县阿里巴巴公益数字人才基地). Organisations and
//! places inside a name become its operator and location.

use super::names::{head_ending_at, is_generic, start_of_name};
use super::places::code_of;
use super::{Context, Entity, EntityKey, EntityKind, Extraction, Relation, RelationKind};
use crate::lexicon::LEXICON;

const OPEN_QUOTES: &[char] = &['“', '"', '‘', '「', '『'];
const CLOSE_QUOTES: &[char] = &['”', '"', '’', '」', '』'];
/// Heads that make a programme only in quotation marks.
const QUOTED_ONLY: &[&str] = &[
    "活动", "模式", "战略", "品牌", "计划", "工程", "行动", "补贴", "补助", "培训",
];
const DOCUMENT: &str = "document";

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
    link_inner(ex);
    merge_facilities(ex);
}

/// Heads of facilities that an article names in several ways.
const FACILITY_HEADS: &[&str] = &["中心", "基地", "星站", "产业园", "创业园"];

/// Facilities of one place with the same head are one facility, named in
/// several ways in one article (阿里巴巴巨鹿县客户体验中心, 巨鹿客服中心): the
/// longest name is kept, the others become aliases.
fn merge_facilities(ex: &mut Extraction) {
    let mut groups: std::collections::BTreeMap<(EntityKey, &str), Vec<EntityKey>> =
        std::collections::BTreeMap::new();
    for e in ex.entities.values() {
        if e.key.kind != EntityKind::Programme || e.subtype != "facility" {
            continue;
        }
        let (Some(place), Some(head)) = (
            &e.place,
            FACILITY_HEADS.iter().find(|h| e.label.ends_with(*h)),
        ) else {
            continue;
        };
        groups
            .entry((place.clone(), head))
            .or_default()
            .push(e.key.clone());
    }
    for (_, keys) in groups {
        let Some(keep) = keys
            .iter()
            .max_by_key(|k| ex.entities.get(k).map_or(0, |e| e.label.chars().count()))
            .cloned()
        else {
            continue;
        };
        let long = ex
            .entities
            .get(&keep)
            .map(|e| e.label.clone())
            .unwrap_or_default();
        for k in keys.iter().filter(|k| **k != keep) {
            let short = ex
                .entities
                .get(k)
                .map(|e| e.label.clone())
                .unwrap_or_default();
            // Most characters of the shorter name occur in the longer one
            // (巨鹿客服中心 ~ 阿里巴巴巨鹿县客户体验中心), so it reads as an abbreviation.
            let shared = short.chars().filter(|c| long.contains(*c)).count();
            if shared * 10 >= short.chars().count() * 7 {
                ex.merge_entity(k, &keep);
            }
        }
    }
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
    let existing = ex
        .entities
        .values()
        .filter(|e| e.key.kind == ek && e.label != name && same_programme(&e.label, name))
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

/// True when `new` names the same programme as `existing` in one article:
/// - a later short form (数字人才基地 after 开化县阿里巴巴公益数字人才基地);
/// - the name with a place before it or a short word after it
///   (平安区蚂蚁服务星站客服职场, 蚂蚁服务星站项目 for 蚂蚁服务星站);
/// - an abbreviation keeping the first words and the head
///   (互联网营销师证书 for 互联网营销师职业技能等级证书).
fn same_programme(existing: &str, new: &str) -> bool {
    let (e, n) = (existing.chars().count(), new.chars().count());
    if n >= 4 && existing.ends_with(new) {
        return true;
    }
    let (long, short) = if e > n {
        (existing, new)
    } else {
        (new, existing)
    };
    if short.chars().count() >= 4
        && let Some(at) = long.find(short)
    {
        let before = &long[..at];
        let after = &long[at + short.len()..];
        let place_before = before.is_empty() || !LEXICON.divisions.lookup(before).is_empty();
        if place_before && after.chars().count() <= 4 {
            return true;
        }
    }
    if let Some((head, _)) = head_of(short)
        && long.ends_with(head)
    {
        let stem = &short[..short.len() - head.len()];
        if stem.chars().count() >= 3 && long.starts_with(stem) && long.len() > short.len() {
            return true;
        }
    }
    false
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
        let Some(q) = OPEN_QUOTES.iter().position(|q| *q == c[i]) else {
            i += 1;
            continue;
        };
        let close_quote = CLOSE_QUOTES[q];
        let Some(len) = c[i + 1..].iter().take(24).position(|x| *x == close_quote) else {
            i += 1;
            continue;
        };
        let open = i;
        let inner = i + 1..i + 1 + len;
        let close = i + 1 + len;
        i = close + 1;
        let name = cx.text(inner.clone());
        // Sentences and lists in quotation marks are not names.
        if len < 2
            || name.chars().any(|ch| "。!?;:“”—、+/".contains(ch))
            || cx.has_lost(inner.clone())
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
            for t in &cx.tokens[t0..(t0 + 6).min(cx.tokens.len())] {
                if t.start - after_start > 12
                    || !t.word.chars().all(crate::ingest::normalize::is_han)
                    || crate::extract::names::STOP_WORDS.contains(&t.word.as_str())
                {
                    break;
                }
                if let Some((_, kind)) = head_of(&t.word) {
                    end = Some((t.end, kind));
                    break;
                }
            }
        }
        if let Some((end, kind)) = end {
            // The mention covers the quoted name and the words after it.
            let full = cx.text(open..end);
            let key = add(cx, ex, &name, kind, open..end);
            if let Some(e) = ex.entities.get_mut(&key) {
                e.aliases
                    .insert(full.replace(OPEN_QUOTES, "").replace(CLOSE_QUOTES, ""));
            }
        }
    }
}

fn unquoted(cx: &Context<'_>, ex: &mut Extraction) {
    let lx: &'static crate::lexicon::Lexicon = &LEXICON;
    for (i, t) in cx.tokens.iter().enumerate() {
        let Some((head_start, head, kind)) = head_ending_at(cx, i, &lx.programme_heads) else {
            continue;
        };
        let kind = kind.as_str();
        if kind == DOCUMENT {
            continue;
        }
        // Part of a longer name (…专场|对接会): the last head makes the name.
        if (i + 1..(i + 3).min(cx.tokens.len())).any(|k| {
            head_ending_at(cx, k, &lx.programme_heads)
                .is_some_and(|(hs, _, _)| hs >= t.end && hs <= t.end)
        }) {
            continue;
        }
        // 计划, 工程, 行动 also name programmes without quotes when they are
        // nouns here and follow at least two words (电商扶贫计划).
        let end = t.end;
        let Some(start) = start_of_name(cx, ex, head_start, end) else {
            continue;
        };
        if QUOTED_ONLY.contains(&head) {
            let words = cx
                .tokens
                .iter()
                .filter(|x| x.start >= start && x.end <= end)
                .count();
            if !(t.tag.starts_with('n') && words >= 3 && matches!(head, "计划" | "工程" | "行动"))
            {
                continue;
            }
        }
        if cx.has_lost(start..end) || is_generic(cx, start, end, head) {
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
fn link_inner(ex: &mut Extraction) {
    let progs: Vec<(std::ops::Range<usize>, EntityKey, usize)> = ex
        .mentions
        .iter()
        .filter(|m| m.entity.kind == EntityKind::Programme)
        .map(|m| (m.range.clone(), m.entity.clone(), m.sentence))
        .collect();
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
