//! Programmes, facilities, events and documents: names in quotation marks
//! followed by (or ending in) a head word (“数字木兰”就业培训计划, “热土计划”),
//! titles in 《》, and unquoted names ending in a head word whose left edge is
//! found on jieba's tokens (开化县阿里巴巴公益数字人才基地). Organisations and
//! places inside a name become its operator and location.

use super::names::{head_ending_at, is_generic, start_of_name};
use super::places::code_of;
use super::{Category, Context, Entity, EntityKey, EntityKind, Extraction, Relation, RelationKind};
use crate::lexicon::LEXICON;

/// Opening quotation marks, paired by position with [`CLOSE_QUOTES`].
pub(super) const OPEN_QUOTES: &[char] = &['“', '"', '‘', '「', '『'];
/// Closing quotation marks, paired by position with [`OPEN_QUOTES`].
pub(super) const CLOSE_QUOTES: &[char] = &['”', '"', '’', '」', '』'];
/// Heads that make a programme only in quotation marks.
const QUOTED_ONLY: &[&str] = &[
    "活动", "模式", "战略", "品牌", "计划", "工程", "行动", "补贴", "补助", "培训", "评价", "服务",
];
/// Verbs of a change between two quoted stages (从“试点”走向“推广”).
const TRANSITIONS: &[&str] = &["走向", "迈向", "转向", "变为", "变成", "到"];
/// Words before a quotation that make it a figure of speech (堪称电商“梦工厂”).
const METAPHOR_CUES: &[&str] = &["堪称", "称为", "誉为", "号称", "称作", "喻为", "俨然"];

/// The lexicon's programme heads indexed for [`head_ending_at`].
static PROGRAMME_HEADS: std::sync::LazyLock<super::names::HeadTable<Category>> =
    std::sync::LazyLock::new(|| {
        super::names::HeadTable::new(LEXICON.programme_heads.iter().cloned())
    });

fn head_of(word_end: &str) -> Option<(&'static str, Category)> {
    let lx: &'static crate::lexicon::Lexicon = &LEXICON;
    lx.programme_heads
        .iter()
        .find(|(h, _)| word_end.ends_with(h.as_str()))
        .map(|(h, k)| (h.as_str(), *k))
}

fn head_kind(name: &str) -> Option<Category> {
    LEXICON
        .programme_heads
        .iter()
        .find(|(h, _)| name.ends_with(h.as_str()))
        .map(|(_, k)| *k)
}

/// Finds programmes and documents (their later mentions are found by
/// [`re_mentions`], once short forms are known).
pub fn extract(cx: &Context<'_>, ex: &mut Extraction) {
    titles(cx, ex);
    quoted(cx, ex);
    unquoted(cx, ex);
    editions(cx, ex);
    link_editions(ex);
    link_inner(ex);
    merge_facilities(ex);
    merge_owner_facilities(ex);
    merge_variants(ex);
    merge_appositions(cx, ex);
}

/// A description and a quoted name side by side are one programme: the
/// quoted name is its name and the description an alias (直播助农计划“村播计划”,
/// “青禾计划”人才培养项目). Only where the two are of one category, so that a
/// centre beside the quoted name of an initiative stays a centre.
fn merge_appositions(cx: &Context<'_>, ex: &mut Extraction) {
    let quoted = |r: &std::ops::Range<usize>| {
        r.start > 0
            && OPEN_QUOTES.contains(&cx.chars[r.start - 1])
            && cx
                .chars
                .get(r.end)
                .is_some_and(|c| CLOSE_QUOTES.contains(c))
    };
    let spans: Vec<(std::ops::Range<usize>, EntityKey)> = ex
        .mentions_of(EntityKind::Programme)
        .map(|m| (m.range.clone(), m.entity.clone()))
        .collect();
    let category = |k: &EntityKey| ex.entities.get(k).map(|e| e.category);
    let mut pairs: Vec<(EntityKey, EntityKey)> = Vec::new();
    for (name, named) in spans.iter().filter(|(r, _)| quoted(r)) {
        for (desc, described) in spans.iter().filter(|(r, _)| !quoted(r)) {
            let beside = desc.end + 1 == name.start || name.end + 1 == desc.start;
            if beside
                && described != named
                && category(described).is_some()
                && category(described) == category(named)
                && !pairs.iter().any(|(f, _)| f == described)
            {
                pairs.push((described.clone(), named.clone()));
            }
        }
    }
    for (from, into) in pairs {
        ex.merge_entity(&from, &into);
    }
}

/// Every further occurrence of a programme's name or alias in the article is
/// a mention of it (阿里数字客服县项目员工… after “阿里数字客服县”项目), so that
/// figures and relations there find it. Occurrences must sit on token
/// boundaries and not overlap another name.
pub fn re_mentions(cx: &Context<'_>, ex: &mut Extraction) {
    let mut names: Vec<(String, EntityKey)> = ex
        .entities
        .values()
        .filter(|e| matches!(e.key.kind, EntityKind::Programme | EntityKind::Document))
        .flat_map(|e| {
            std::iter::once(e.label.clone())
                .chain(e.aliases.iter().cloned())
                .map(move |n| (n, e.key.clone()))
        })
        .filter(|(n, _)| n.chars().count() >= 3 && n.chars().all(|c| c != crate::ingest::LOST))
        .collect();
    names.sort_by(|a, b| b.0.chars().count().cmp(&a.0.chars().count()).then(a.cmp(b)));
    names.dedup_by(|a, b| a.0 == b.0);
    let text = cx.string.as_str();
    let mut taken = super::SpanSet::of(&ex.mentions, |m| {
        m.entity.kind != EntityKind::Place && m.entity.kind != EntityKind::Person
    });
    let mut found = Vec::new();
    for (name, key) in &names {
        for b in super::phrases::occurrences(text, name) {
            let range = cx.char_at_byte(b)..cx.char_at_byte(b + name.len());
            // Long names may end inside a token (AI智创服务|平台 cut as 服务平台).
            let end_ok = cx.token_ends.contains(&range.end) || range.len() >= 5;
            if !cx.token_starts.contains(&range.start) || !end_ok {
                continue;
            }
            // Names inside this one (阿里 in 阿里数字客服县) stay; a crossing
            // or enclosing name wins.
            if taken.crosses(&range) {
                continue;
            }
            taken.insert(range.clone());
            found.push(cx.mention(key.clone(), range));
        }
    }
    ex.mentions.extend(found);
}

/// Words after a programme's name that name the same programme
/// (乡村振兴特派员制度 is the 乡村振兴特派员 scheme, 数字客服县项目 the
/// 数字客服县 programme).
const SCHEME_SUFFIXES: &[&str] = &["制度", "机制", "体系", "项目"];

/// A programme name without its owner in front (阿里巴巴乡村振兴特派员 →
/// 乡村振兴特派员: an organisation of the article, or of the lexicon, that
/// starts the name) and without a scheme word at its end; and whether an
/// owner was there.
fn core_name<'n>(name: &'n str, owners: &[String]) -> (&'n str, bool) {
    let mut core = name;
    let mut owned = false;
    if let Some(o) = owners
        .iter()
        .filter(|o| core.starts_with(o.as_str()) && core.len() > o.len())
        .max_by_key(|o| o.len())
    {
        core = &core[o.len()..];
        owned = true;
    }
    for s in SCHEME_SUFFIXES {
        if let Some(c) = core.strip_suffix(s)
            && c.chars().count() >= 3
        {
            core = c;
        }
    }
    (core, owned)
}

/// True when `long` is `short` with one run of at most two characters (no
/// digits) added inside, both with the same last three characters: two ways
/// of writing one name (乡村特派员, 乡村振兴特派员).
fn one_short_insertion(short: &str, long: &str) -> bool {
    let (s, l): (Vec<char>, Vec<char>) = (short.chars().collect(), long.chars().collect());
    if s.len() < 4 || l.len() <= s.len() || l.len() - s.len() > 2 {
        return false;
    }
    let head = s.iter().zip(&l).take_while(|(a, b)| a == b).count();
    let tail = s
        .iter()
        .rev()
        .zip(l.iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let inserted = &l[head..l.len() - (s.len() - head.min(s.len()))];
    head + tail >= s.len() && tail >= 3 && head >= 1 && !inserted.iter().any(char::is_ascii_digit)
}

/// One programme, one node: names that differ only by their owner in front
/// (阿里巴巴乡村振兴特派员, 乡村振兴特派员), a scheme word after (…制度), or one
/// short run of characters inside (乡村特派员) are merged into the fullest
/// name (an owner in front, no scheme word, then the longest); editions
/// (热土计划2022) and facilities of other places stay apart.
fn merge_variants(ex: &mut Extraction) {
    let mut owners: Vec<String> = ex
        .entities
        .values()
        .filter(|e| e.key.kind == EntityKind::Organization)
        .flat_map(|e| std::iter::once(e.label.clone()).chain(e.aliases.iter().cloned()))
        .collect();
    owners.sort();
    owners.dedup();
    let names: Vec<(EntityKey, String)> = ex
        .entities
        .values()
        .filter(|e| e.key.kind == EntityKind::Programme && e.category != Category::Facility)
        .map(|e| (e.key.clone(), e.label.clone()))
        .collect();
    let labels: Vec<&str> = names.iter().map(|(_, l)| l.as_str()).collect();
    for (keep, others) in variant_groups(&labels, &owners) {
        for i in others {
            ex.merge_entity(&names[i].0, &names[keep].0);
        }
    }
}

/// Groups programme names that are variants of one programme, by the rules
/// of [`merge_variants`] (within an article) and of the corpus-wide
/// resolution after a build: the same name once an owner in front (one of
/// `owners`, organisation names and aliases) and a scheme word after
/// (制度, 机制, 体系) are removed, or one short run of characters inserted
/// (乡村特派员, 乡村振兴特派员). Names with a year after them (editions) are
/// never grouped. Returns, for each group of two or more, the index of the
/// fullest name (an owner in front, no scheme word, the longest core, the
/// longest name, then the first in code point order) and the others'.
/// Facilities are not to be passed: they are told apart by their place.
pub fn variant_groups(names: &[&str], owners: &[String]) -> Vec<(usize, Vec<usize>)> {
    let mut group: Vec<usize> = (0..names.len()).collect();
    fn root(g: &mut [usize], i: usize) -> usize {
        let mut i = i;
        while g[i] != i {
            g[i] = g[g[i]];
            i = g[i];
        }
        i
    }
    let cores: Vec<&str> = names.iter().map(|n| core_name(n, owners).0).collect();
    // Bucket by the last three characters of the core: variants share them.
    let mut by_tail: std::collections::HashMap<String, Vec<usize>> = Default::default();
    for (i, c) in cores.iter().enumerate() {
        if split_year_suffix(c).1.is_some() {
            continue;
        }
        let tail: String = {
            let v: Vec<char> = c.chars().collect();
            v[v.len().saturating_sub(3)..].iter().collect()
        };
        by_tail.entry(tail).or_default().push(i);
    }
    for members in by_tail.values() {
        for (x, &a) in members.iter().enumerate() {
            for &b in &members[x + 1..] {
                let (ca, cb) = (cores[a], cores[b]);
                if ca == cb || one_short_insertion(ca, cb) || one_short_insertion(cb, ca) {
                    let (ra, rb) = (root(&mut group, a), root(&mut group, b));
                    group[rb] = ra;
                }
            }
        }
    }
    let mut members: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for i in 0..names.len() {
        let r = root(&mut group, i);
        members.entry(r).or_default().push(i);
    }
    let rank = |i: usize| {
        let name = names[i];
        let (core, owned) = core_name(name, owners);
        let suffix = SCHEME_SUFFIXES.iter().any(|s| name.ends_with(s));
        (
            owned,
            !suffix,
            core.chars().count(),
            name.chars().count(),
            std::cmp::Reverse(name),
        )
    };
    members
        .into_values()
        .filter(|m| m.len() >= 2)
        .filter_map(|m| {
            let keep = m.iter().copied().max_by_key(|&i| rank(i))?;
            Some((keep, m.into_iter().filter(|&i| i != keep).collect()))
        })
        .collect()
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
        if e.key.kind != EntityKind::Programme || e.category != Category::Facility {
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

/// A facility named by its owner and head alone (阿里巴巴客服中心, with no
/// place) is the article's one facility of that owner and head that has a
/// place (阿里巴巴桐庐客户体验中心): it is merged into it. With two or more
/// such facilities it stays apart, since it cannot be told which it is.
fn merge_owner_facilities(ex: &mut Extraction) {
    let owners: Vec<String> = ex
        .entities
        .values()
        .filter(|e| e.key.kind == EntityKind::Organization)
        .flat_map(|e| std::iter::once(e.label.clone()).chain(e.aliases.iter().cloned()))
        .filter(|o| o.chars().count() >= 2)
        .collect();
    let facilities: Vec<(EntityKey, String, bool)> = ex
        .entities
        .values()
        .filter(|e| e.key.kind == EntityKind::Programme && e.category == Category::Facility)
        .map(|e| (e.key.clone(), e.label.clone(), e.place.is_some()))
        .collect();
    let owner_and_head = |label: &str| -> Option<(String, &'static str)> {
        let owner = owners
            .iter()
            .filter(|o| label.starts_with(o.as_str()) && label.len() > o.len())
            .max_by_key(|o| o.len())?;
        let head = FACILITY_HEADS.iter().find(|h| label.ends_with(*h))?;
        Some((owner.clone(), head))
    };
    for (key, label, placed) in &facilities {
        let Some((owner, head)) = (!placed).then(|| owner_and_head(label)).flatten() else {
            continue;
        };
        // Owner, at most four characters, head: a generic name.
        if label.chars().count() > owner.chars().count() + 4 + head.chars().count() {
            continue;
        }
        let mut same = facilities.iter().filter(|(k, l, p)| {
            k != key && *p && owner_and_head(l).is_some_and(|(o, h)| o == owner && h == head)
        });
        if let (Some((into, _, _)), None) = (same.next(), same.next()) {
            ex.merge_entity(key, into);
        }
    }
}

fn add(
    cx: &Context<'_>,
    ex: &mut Extraction,
    name: &str,
    kind: Category,
    range: std::ops::Range<usize>,
) -> EntityKey {
    let ek = kind.kind();
    let existing = ex
        .entities
        .values()
        .filter(|e| e.key.kind == ek && e.label != name)
        .find_map(|e| same_programme(&e.label, name).map(|s| (e.key.clone(), s)));
    let key = match existing {
        // A full name after its abbreviation (互联网营销师证书, later
        // 互联网营销师职业技能等级证书): the full name becomes the label.
        Some((k, Same::FullerName)) => {
            let full = ex.add_entity(Entity::new(EntityKey::new(ek, name), name, kind));
            ex.merge_entity(&k, &full);
            full
        }
        Some((k, Same::Alias)) => {
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

/// How a new name relates to a programme already found in the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Same {
    /// The new name is another way of writing the existing one.
    Alias,
    /// The existing name abbreviates the new, fuller one.
    FullerName,
}

/// Whether `new` names the same programme as `existing` in one article:
/// - a later short form (数字人才基地 after 开化县阿里巴巴公益数字人才基地);
/// - the name with a place before it or a short word after it
///   (平安区蚂蚁服务星站客服职场, 蚂蚁服务星站项目 for 蚂蚁服务星站);
/// - an abbreviation keeping the first words and the head
///   (互联网营销师证书 for 互联网营销师职业技能等级证书), in either order.
fn same_programme(existing: &str, new: &str) -> Option<Same> {
    // An edition (热土计划2022) is not the programme (热土计划).
    let stem = |s| split_year_suffix(s).0;
    if stem(existing) != existing || stem(new) != new {
        return None;
    }
    let (e, n) = (existing.chars().count(), new.chars().count());
    if n >= 4 && existing.ends_with(new) {
        return Some(Same::Alias);
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
            return Some(Same::Alias);
        }
    }
    if let Some((head, _)) = head_of(short)
        && long.ends_with(head)
    {
        let stem = &short[..short.len() - head.len()];
        if stem.chars().count() >= 3 && long.starts_with(stem) && long.len() > short.len() {
            // A much longer name is the full form (互联网营销师证书 →
            // 互联网营销师职业技能等级证书); a slightly longer one a variant.
            let full = long.chars().count() * 2 >= short.chars().count() * 3;
            return Some(if long == new && full {
                Same::FullerName
            } else {
                Same::Alias
            });
        }
    }
    None
}

fn titles(cx: &Context<'_>, ex: &mut Extraction) {
    let c = &cx.chars;
    let mut i = 0;
    while i < c.len() {
        // A title closes on its own line: 《 with no 》 before the line
        // break is a stray bracket, not a title spanning paragraphs.
        if c[i] == '《'
            && let Some(len) = c[i + 1..]
                .iter()
                .take(40)
                .take_while(|&&x| x != '\n')
                .position(|&x| x == '》')
        {
            let range = i + 1..i + 1 + len;
            let name = cx.text(range.clone());
            // A title names something: punctuation and spaces alone
            // (《 ——》) are a typesetting remnant, and a full stop or a
            // markup bracket inside means the marks enclose running text.
            if len >= 2
                && name.chars().any(char::is_alphanumeric)
                && !name.chars().any(|ch| matches!(ch, '。' | '<' | '>'))
                && !cx.has_lost(range.clone())
            {
                let kind = match head_kind(&name) {
                    Some(k) if k != Category::Document && !name.ends_with("报告") => k,
                    _ => Category::Document,
                };
                add(cx, ex, &name, kind, i..i + len + 2);
            }
            i += len + 2;
            continue;
        }
        i += 1;
    }
}

/// True when the quotation from `open` to `close` (the marks' offsets) is
/// one of two stages of a change, not a name: 从“零星试点”走向“规模发展”,
/// 从“输血”到“造血”.
fn is_stage(cx: &Context<'_>, open: usize, close: usize) -> bool {
    let c = &cx.chars;
    let lead = cx.slice(open.saturating_sub(3)..open);
    let after = cx.slice(close + 1..(close + 3).min(c.len()));
    let to_next = TRANSITIONS.iter().any(|w| {
        after.starts_with(w)
            && c.get(close + 1 + w.chars().count())
                .is_some_and(|x| OPEN_QUOTES.contains(x))
    });
    let from_previous = TRANSITIONS.iter().any(|w| {
        let n = w.chars().count();
        lead.ends_with(w) && open > n && CLOSE_QUOTES.contains(&c[open - n - 1])
    });
    (lead.ends_with('从') && to_next) || from_previous
}

/// The inner spans of the quotations that are stages of a change ([`is_stage`]).
fn stage_spans(cx: &Context<'_>) -> Vec<std::ops::Range<usize>> {
    let c = &cx.chars;
    (0..c.len())
        .filter_map(|open| {
            let q = OPEN_QUOTES.iter().position(|q| *q == c[open])?;
            let len = c[open + 1..]
                .iter()
                .take(24)
                .position(|x| *x == CLOSE_QUOTES[q])?;
            let close = open + 1 + len;
            is_stage(cx, open, close).then_some(open + 1..close)
        })
        .collect()
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
        // Sentences and lists in quotation marks are not names, nor is a
        // quotation that runs across a line break.
        if len < 2
            || name.chars().any(|ch| "。!?;:“”—、+/\n".contains(ch))
            || cx.has_lost(inner.clone())
        {
            continue;
        }
        // A figure of speech, not a name: 堪称电商“梦工厂”, 被誉为“…”.
        let lead = cx.text(open.saturating_sub(6)..open);
        if METAPHOR_CUES.iter().any(|c| lead.contains(c)) {
            continue;
        }
        if is_stage(cx, open, close) {
            continue;
        }
        // Name ends in a head word itself: “热土计划”, “蚂蚁服务星站”, also
        // with its year or edition after it (“青苗计划2023”).
        if let Some(kind) = head_kind(&name).or_else(|| {
            let (stem, year) = split_year_suffix(&name);
            year.and_then(|_| head_kind(stem))
        }) {
            add(cx, ex, &name, kind, inner.clone());
            continue;
        }
        // A quoted run of verbs is a slogan of actions (“引育留用”), not a name.
        let inner_tokens: Vec<_> = cx.tokens_in(inner.start..inner.end).iter().collect();
        if !inner_tokens.is_empty() && inner_tokens.iter().all(|t| t.tag == "v") {
            continue;
        }
        // Followed by modifiers and a head word: “数字木兰”就业培训计划, “阿里客服县”项目.
        let after_start = close + 1;
        let mut end = None;
        if let Some(t0) = cx.token_at(after_start) {
            for t in &cx.tokens[t0..(t0 + 6).min(cx.tokens.len())] {
                if t.start - after_start > 12
                    || !t.word.chars().all(crate::ingest::normalize::is_han)
                    || crate::extract::names::is_stop_word(&t.word)
                {
                    break;
                }
                if let Some((head, kind)) = head_of(&t.word) {
                    // Heads too common to make a name of a quoted
                    // qualifier (“一站式”服务).
                    if !matches!(head, "服务" | "评价") {
                        end = Some((t.end, kind));
                    }
                    break;
                }
            }
        }
        if let Some((end, kind)) = end
            && matches!(kind, Category::Event | Category::Competition)
        {
            // An event or a competition of a named programme (“数字木兰”
            // 女性发展年会) is a node of its own. When the article names the
            // programme again outside the event's name, the programme is a
            // node too, and the event part of it.
            let full = cx
                .text(open..end)
                .replace(OPEN_QUOTES, "")
                .replace(CLOSE_QUOTES, "");
            let event = add(cx, ex, &full, kind, open..end);
            let programme = EntityKey::new(EntityKind::Programme, name.as_str());
            let named_again = cx.string.matches(name.as_str()).count() > 1;
            if named_again && programme != event {
                ex.add_entity(Entity::new(
                    programme.clone(),
                    name.as_str(),
                    Category::Initiative,
                ));
                ex.mentions
                    .push(cx.mention(programme.clone(), inner.clone()));
                if let Some(e) = ex.entities.get_mut(&event)
                    && e.parent.is_none()
                {
                    e.parent = Some(programme);
                }
            }
        } else if let Some((end, kind)) = end {
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

/// Verbs that launch or hold a programme: the object after one of them is
/// a named activity even when its head word alone would not make it one
/// (举办跨境电商万人培训, 开展直播电商人才评价, 上线AI智创服务).
const LAUNCH_VERBS: &[&str] = &[
    "举办", "举行", "开展", "启动", "实施", "推出", "发起", "上线", "组织", "开设", "开办",
];

/// Verbs by which an organisation owns a programme that the text only
/// describes (阿里公益有一个电商扶贫计划, 阿里巴巴…建立了37家客服中心).
const OWNING_VERBS: &[&str] = &[
    "有", "建立", "设立", "建设", "开设", "推出", "发起", "启动", "实施", "运营", "打造", "共建",
    "合建", "创建", "创办", "开办", "组建", "成立",
];

/// Measure words that follow an ordinal (第五|个).
const MEASURES: &[&str] = &["个", "家", "张", "所", "座", "批", "项", "支"];

/// Words before a description that make it a common noun phrase, not a
/// name (青海省首个数字化就业职场, 全国第五个…).
fn ordinal_before(cx: &Context<'_>, start: usize) -> bool {
    let Some(k) = cx.token_at(start) else {
        return false;
    };
    let prev = |n: usize| (k >= n).then(|| cx.tokens[k - n].word.as_str());
    let ordinal = |w: &str| w.starts_with('第') || w.starts_with('首');
    match prev(1) {
        Some(w) if MEASURES.contains(&w) => prev(2).is_some_and(ordinal),
        Some(w) => ordinal(w) && w.chars().count() <= 4 && w.chars().count() >= 2,
        None => false,
    }
}

/// True for a word that is a count: digits or numeral characters
/// (12, 两, 二十多).
fn is_count_word(w: &str) -> bool {
    !w.is_empty()
        && w.chars()
            .all(|c| c.is_ascii_digit() || "零一二两三四五六七八九十百千万亿多余几".contains(c))
}

/// A count of two or more right before a description (100个|创业致富项目):
/// a kind of thing counted, not a name. (一个 is an article: 有一个电商扶贫计划
/// introduces one.)
fn count_before(cx: &Context<'_>, start: usize) -> bool {
    let Some(k) = cx.token_at(start) else {
        return false;
    };
    let prev = |n: usize| (k >= n).then(|| cx.tokens[k - n].word.as_str());
    let count = |w: &str| w != "一" && is_count_word(w);
    match prev(1) {
        Some(w) if MEASURES.contains(&w) => prev(2).is_some_and(count),
        Some(w) => MEASURES
            .iter()
            .find(|m| w.len() > m.len() && w.ends_with(*m))
            .is_some_and(|m| count(&w[..w.len() - m.len()])),
        None => false,
    }
}

/// A distributive word right before a description (各县|数字就业基地,
/// 各地|服务中心, 每个|…): one of many of a kind, not a name.
fn distributive_before(cx: &Context<'_>, start: usize) -> bool {
    cx.token_at(start)
        .and_then(|k| k.checked_sub(1))
        .map(|k| &cx.tokens[k])
        .is_some_and(|p| {
            p.end == start
                && (p.tag == "r" || p.word.chars().count() == 1)
                && p.word.starts_with(['各', '每'])
        })
}

/// The launch verb token that ends right where the name starts.
fn launched(cx: &Context<'_>, start: usize) -> bool {
    cx.token_at(start).is_some_and(|k| {
        k > 0 && {
            let p = &cx.tokens[k - 1];
            p.end == start && LAUNCH_VERBS.contains(&p.word.as_str())
        }
    })
}

/// A described programme (`start..end`) owned by the organisation that is
/// the subject of its clause: named after the organisation as written
/// (阿里公益 + 电商扶贫计划), with the description as an alias and the
/// organisation as operator.
fn owned(cx: &Context<'_>, ex: &mut Extraction, start: usize, end: usize, kind: Category) -> bool {
    // The nearest before it: the mentions are in the order they were
    // found, not in the text's.
    let Some(org) = ex
        .mentions
        .iter()
        .filter(|m| m.entity.kind == EntityKind::Organization && m.range.end <= start)
        .max_by_key(|m| (m.range.end, std::cmp::Reverse(m.range.start)))
        .cloned()
    else {
        return false;
    };
    let gap = org.range.end..start;
    if gap.len() > 20
        || cx
            .text(gap.clone())
            .contains(|c: char| ",，。;；:：!?！？、".contains(c))
    {
        return false;
    }
    // Through 的 the organisation describes what it runs (阿里公益开设的|
    // 电商培训项目: its trainings, not one named programme); only a
    // facility so described is one place (共建的|客户服务中心).
    if kind != Category::Facility && cx.text(gap.clone()).ends_with('的') {
        return false;
    }
    let Some(verb) = cx
        .tokens_in(gap.start..gap.end)
        .iter()
        .find(|t| OWNING_VERBS.contains(&t.word.as_str()))
        .map(|t| t.word.clone())
    else {
        return false;
    };
    // A county named in the clause places the programme there and into its
    // name (阿里巴巴公益在张北县设立了数字就业中心 → 阿里巴巴公益张北县数字就业中心).
    let place = ex
        .mentions
        .iter()
        .filter(|m| m.range.start >= gap.start && m.range.end <= gap.end)
        .rfind(|m| {
            code_of(&m.entity).is_some_and(|c| {
                LEXICON
                    .divisions
                    .get(c)
                    .is_some_and(|d| d.level == crate::lexicon::Level::County)
            })
        })
        .cloned();
    let place_text = place.as_ref().map_or(String::new(), |p| {
        ex.entities
            .get(&p.entity)
            .map_or_else(|| cx.text(p.range.clone()), |e| e.label.clone())
    });
    let name = format!(
        "{}{place_text}{}",
        cx.text(org.range.clone()),
        cx.text(start..end)
    );
    let key = add(cx, ex, &name, kind, start..end);
    if let Some(p) = place
        && let Some(e) = ex.entities.get_mut(&key)
        && e.place.is_none()
    {
        e.place = Some(p.entity.clone());
        ex.relations.push(Relation {
            subject: key.clone(),
            kind: RelationKind::LocatedIn,
            object: p.entity,
            sentence: org.sentence,
            trigger: None,
            confidence: 0.7,
        });
    }
    ex.relations.push(Relation {
        subject: org.entity.clone(),
        kind: RelationKind::Operates,
        object: key,
        sentence: org.sentence,
        trigger: Some(verb),
        confidence: 0.7,
    });
    true
}

/// Verbs that bring a facility into being (建成了12个|电商实训基地).
const BUILDING_VERBS: &[&str] = &["建立", "建设", "建成", "设立", "打造", "成立", "落地"];

/// A facility the text describes as built, with no owner named in its
/// clause (当地建立了3个乡村电商服务中心, 陆续建成了12个电商实训基地): the
/// description, of two words or more, names the facilities of the article.
fn built_facility(cx: &Context<'_>, ex: &mut Extraction, start: usize, end: usize, kind: Category) {
    if kind != Category::Facility || end - start < 4 || cx.has_lost(start..end) {
        return;
    }
    let Some(k) = cx.token_at(start) else {
        return;
    };
    if cx.tokens_in(start..end).len() < 2 {
        return;
    }
    // Back over a count and its measure word, and 了.
    let mut j = k;
    let skip = |w: &str| w == "了" || MEASURES.contains(&w) || is_count_word(w);
    while j > 0 && k - j < 3 && skip(cx.tokens[j - 1].word.as_str()) {
        j -= 1;
    }
    if j == 0 || !BUILDING_VERBS.contains(&cx.tokens[j - 1].word.as_str()) {
        return;
    }
    let name = cx.text(start..end);
    add(cx, ex, &name, kind, start..end);
}

fn unquoted(cx: &Context<'_>, ex: &mut Extraction) {
    // Names found so far (kept up to date as this pass adds programmes),
    // and the quoted stages of a change, which hold no name.
    let mut covering = super::SpanSet::default();
    for r in stage_spans(cx) {
        covering.insert(r);
    }
    let mut seen = 0;
    for (i, t) in cx.tokens.iter().enumerate() {
        let Some((head_start, head, kind)) = head_ending_at(cx, i, &PROGRAMME_HEADS) else {
            continue;
        };
        let kind = *kind;
        // Part of a longer name (…专场|对接会): the last head makes the name.
        if (i + 1..(i + 3).min(cx.tokens.len()))
            .any(|k| head_ending_at(cx, k, &PROGRAMME_HEADS).is_some_and(|(hs, _, _)| hs == t.end))
        {
            continue;
        }
        let end = t.end;
        // A number right before an event's head is part of its name (95公益周).
        let numbered = (kind == Category::Event)
            .then(|| cx.token_at(head_start))
            .flatten()
            .and_then(|k| k.checked_sub(1))
            .map(|k| &cx.tokens[k])
            .filter(|p| {
                p.end == head_start
                    && (1..=4).contains(&p.word.len())
                    && p.word.bytes().all(|b| b.is_ascii_digit())
            })
            .map(|p| p.start);
        // A head after a head (寻乌客服县|项目): the name starts where the
        // inner head's name starts.
        let after_head = || {
            let k = cx.token_at(head_start)?.checked_sub(1)?;
            let (inner_start, _, _) = head_ending_at(cx, k, &PROGRAMME_HEADS)?;
            start_of_name(cx, ex, inner_start, cx.tokens[k].end)
        };
        let Some(start) = numbered
            .or_else(|| start_of_name(cx, ex, head_start, end))
            .or_else(after_head)
        else {
            // A long head alone (…建立了20家|客服中心) describes; it may
            // still be an organisation's programme.
            if end - head_start >= 4
                && !cx.has_lost(head_start..end)
                && kind != Category::Document
                && !owned(cx, ex, head_start, end, kind)
            {
                built_facility(cx, ex, head_start, end, kind);
            }
            continue;
        };
        // An event or a document is dated by the year that starts its name
        // (2021乡村致富大会, 2023年中央一号文件); a document without quotes or
        // title marks is a name only so dated.
        let dated = matches!(kind, Category::Event | Category::Document)
            .then(|| year_before(cx, start))
            .flatten();
        if kind == Category::Document && dated.is_none() && !issuer_numbered(cx.slice(start..end)) {
            continue;
        }
        let start = dated.unwrap_or(start);
        if cx.has_lost(start..end)
            || ordinal_before(cx, start)
            || distributive_before(cx, start)
            || (kind != Category::Facility && count_before(cx, start))
        {
            continue;
        }
        // Already inside a quoted or titled programme, or an organisation name.
        let names = super::SpanSet::of(&ex.mentions[seen..], |m| {
            matches!(
                m.entity.kind,
                EntityKind::Programme | EntityKind::Document | EntityKind::Organization
            )
        });
        seen = ex.mentions.len();
        covering.extend_from(names);
        if covering.covers(&(start..end)) {
            continue;
        }
        let words = cx.tokens_in(start..end).iter().count();
        // 计划, 工程, 行动 also name programmes without quotes when they are
        // nouns here and follow at least two words (电商扶贫计划); any of
        // these heads does after a launch verb (举办跨境电商万人培训).
        if QUOTED_ONLY.contains(&head) {
            let plan =
                t.tag.starts_with('n') && words >= 3 && matches!(head, "计划" | "工程" | "行动");
            if !(plan || (words >= 3 && launched(cx, start))) {
                continue;
            }
        }
        if is_generic(cx, start, end, head) {
            if !owned(cx, ex, start, end, kind) {
                built_facility(cx, ex, start, end, kind);
            }
            continue;
        }
        let name = cx.text(start..end);
        add(cx, ex, &name, kind, start..end);
    }
}

/// A document named by its issuer and its number (中央一号文件,
/// 国务院二号文件): a name even without a year.
fn issuer_numbered(name: &str) -> bool {
    const ISSUERS: &[&str] = &[
        "中共中央",
        "中央",
        "国务院",
        "省委",
        "省政府",
        "市委",
        "市政府",
        "县委",
        "县政府",
    ];
    ISSUERS.iter().any(|i| {
        name.strip_prefix(i)
            .and_then(|rest| rest.strip_suffix("号文件"))
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| "一二三四五六七八九十".contains(c)))
    })
}

/// A year of four digits (1950–2099) written as digits.
fn is_year_digits(s: &str) -> bool {
    s.len() == 4
        && s.bytes().all(|b| b.is_ascii_digit())
        && (s.starts_with("19") || s.starts_with("20"))
        && s >= "1950"
}

/// A name and the year written right after it (热土计划2022 → 热土计划, 2022).
fn split_year_suffix(name: &str) -> (&str, Option<&str>) {
    match name.char_indices().rev().nth(3) {
        Some((b, _)) if is_year_digits(&name[b..]) && b > 0 => (&name[..b], Some(&name[b..])),
        _ => (name, None),
    }
}

/// The year that starts a name at `start` or is written just before it,
/// with or without 年 (2021乡村致富大会, 2023年中央一号文件): its start, or
/// `None`.
fn year_before(cx: &Context<'_>, start: usize) -> Option<usize> {
    let k = cx.token_at(start)?;
    if is_year_digits(&cx.tokens[k].word) {
        return Some(start);
    }
    let mut j = k.checked_sub(1)?;
    if cx.tokens[j].word == "年" {
        j = j.checked_sub(1)?;
    }
    let t = &cx.tokens[j];
    let first = j == 0
        || !cx.tokens[j - 1]
            .word
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.');
    (is_year_digits(&t.word) && first && cx.tokens[j..k].windows(2).all(|w| w[0].end == w[1].start))
        .then_some(t.start)
}

/// A programme's edition: its name with the year written right after it
/// (热土计划2022, 青苗计划 2023 without 年) is a programme of its own, the
/// edition of that year.
fn editions(cx: &Context<'_>, ex: &mut Extraction) {
    let found: Vec<(std::ops::Range<usize>, EntityKey)> = ex
        .mentions
        .iter()
        .filter(|m| m.entity.kind == EntityKind::Programme)
        .map(|m| (m.range.clone(), m.entity.clone()))
        .collect();
    for (range, base) in found {
        // After a closing quotation mark too: “热土计划”2022.
        let mut at = range.end;
        if cx.chars.get(at).is_some_and(|c| CLOSE_QUOTES.contains(c)) {
            at += 1;
        }
        let Some(k) = cx.token_at(at) else { continue };
        let t = &cx.tokens[k];
        let next = cx.chars.get(t.end).copied();
        if !is_year_digits(&t.word)
            || next.is_some_and(|c| c.is_ascii_digit() || "年月日级届期".contains(c))
        {
            continue;
        }
        let Some(label) = ex
            .entities
            .get(&base)
            .map(|e| (e.label.clone(), e.category))
        else {
            continue;
        };
        // Its own node, not an alias of the programme (which `add` would
        // make of a name with a short word after it).
        let name = format!("{}{}", label.0, t.word);
        let mut e = Entity::new(EntityKey::new(EntityKind::Programme, &name), &name, label.1);
        e.parent = Some(base.clone());
        let key = ex.add_entity(e);
        ex.mentions
            .retain(|m| !(m.range == range && m.entity == base));
        ex.mentions.push(cx.mention(key, range.start..t.end));
    }
}

/// An edition (热土计划2022) has the programme (热土计划) as parent when the
/// article names both.
fn link_editions(ex: &mut Extraction) {
    let links: Vec<(EntityKey, EntityKey)> = ex
        .entities
        .values()
        .filter(|e| e.key.kind == EntityKind::Programme && e.parent.is_none())
        .filter_map(|e| {
            let (stem, year) = split_year_suffix(&e.label);
            year?;
            let base = EntityKey::new(EntityKind::Programme, stem);
            ex.entities
                .contains_key(&base)
                .then(|| (e.key.clone(), base))
        })
        .collect();
    for (edition, base) in links {
        if let Some(e) = ex.entities.get_mut(&edition) {
            e.parent = Some(base);
        }
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

#[cfg(test)]
mod tests {
    use super::variant_groups;
    use crate::extract::EntityKind;
    use crate::extract::table::{check, labels};

    /// Sentences written for this table (not taken from the seeds), with the
    /// programmes each must yield and the ones it must not.
    const CASES: &[(&str, &[&str], &[&str])] = &[
        // A measure word after a numeral is the count's, not the name's.
        (
            "宣恩县今年举办了20期电商培训班，又办了三届直播大赛。",
            &[],
            &["期电商培训班", "届直播大赛"],
        ),
        // A resultative verb (建起, 办成) starts the clause, not the name.
        (
            "去年，一家企业在县城建起数字就业基地，又在镇上办成了电商服务站。",
            &["数字就业基地"],
            &["县城建起数字就业基地"],
        ),
        // After 各 or 每 a description is one of many of its kind, not a
        // name; without it, the same words name one.
        (
            "调研团队走访了各县数字就业基地和龙头企业。",
            &[],
            &["数字就业基地"],
        ),
        ("各地乡村振兴服务中心纷纷成立。", &[], &["乡村振兴服务中心"]),
        (
            "县里的乡村振兴服务中心上月成立。",
            &["乡村振兴服务中心"],
            &[],
        ),
        // A description beside a quoted name is that programme, on either
        // side of it.
        (
            "团县委推出青年创业扶持计划“青禾计划”，首批支持200名青年。",
            &["青禾计划"],
            &["青年创业扶持计划"],
        ),
        (
            "在系统性的电商助农计划“春苗计划”上线两年后，网店增加了。",
            &["春苗计划"],
            &["电商助农计划"],
        ),
        (
            "“云雀计划”乡村电商人才培养项目今年在两个县落地。",
            &["云雀计划"],
            &["乡村电商人才培养项目"],
        ),
        // A facility built with no owner in its clause is named by its
        // description; a one-word description names nothing.
        (
            "近年来，全省陆续建成了12个电商实训基地，带动青年就业。",
            &["电商实训基地"],
            &[],
        ),
        (
            "在各方支持下，当地建立了3个乡村电商服务中心，吸引返乡青年。",
            &["乡村电商服务中心"],
            &[],
        ),
        ("该县还建立了中心，方便群众办事。", &[], &["中心"]),
        // Two words of one kind joined by 和 inside a plan's name.
        (
            "蚂蚁集团农村金融和数字金融计划已惠及20万农户。",
            &["蚂蚁集团农村金融和数字金融计划"],
            &["数字金融计划"],
        ),
        // Not built: only mentioned.
        ("村民常去电商实训基地学习直播。", &[], &["电商实训基地"]),
        // A launch verb makes a described activity a named one.
        (
            "县人社局举办农村电商万人培训，吸引大批青年。",
            &["农村电商万人培训"],
            &[],
        ),
        (
            "该县在全省率先开展乡村工匠人才评价。",
            &["乡村工匠人才评价"],
            &[],
        ),
        (
            "今年3月，平台正式上线ABC智能选品服务。",
            &["ABC智能选品服务"],
            &[],
        ),
        // Without one, 培训 alone is an activity, not a name.
        ("每年有三百人参加电商培训。", &[], &["电商培训"]),
        // A numeral word starts a list item.
        (
            "学员可参加直播训练营、一周研习社等培训。",
            &["直播训练营", "一周研习社"],
            &[],
        ),
        // The event's name ends in 会 before 上.
        (
            "在京东物流仓储培训会上，讲师演示了新系统。",
            &["京东物流仓储培训会"],
            &["仓储培训会"],
        ),
        // A predicate verb before a name is the clause's, though jieba
        // tags it a noun (建设 vn).
        (
            "明年县里还将投入600万元,建设县级农产品冷链集配中心。",
            &["县级农产品冷链集配中心"],
            &["建设县级农产品冷链集配中心"],
        ),
        // An organisation's described programme is named after it.
        (
            "京东在全国多个县域建立了20家客服中心。",
            &["京东客服中心"],
            &["客服中心"],
        ),
        // …whether it founds it alone or with the county (共建, 成立).
        (
            "京东与河南省商丘市宁陵县共建的客户服务中心于去年投入运营。",
            &["京东宁陵县客户服务中心"],
            &["客户服务中心"],
        ),
        (
            "2022年，京东在宁陵县成立了数字就业中心。",
            &["京东宁陵县数字就业中心"],
            &["数字就业中心"],
        ),
        // Through 的 an organisation describes what it runs: only a
        // facility so described is named.
        (
            "京东开设的直播培训项目覆盖了全县。",
            &[],
            &["京东直播培训项目"],
        ),
        // The owner is the organisation nearest before, though a
        // government body named earlier was found after it.
        (
            "宁陵县商务局介绍，京东将在宁陵县设立数字就业中心。",
            &["京东宁陵县数字就业中心"],
            &["数字就业中心"],
        ),
        // Ordinals describe; figures of speech are not names.
        (
            "该县打造了全省首个数字化就业职场。",
            &[],
            &["数字化就业职场"],
        ),
        ("这座小城堪称电商“孵化基地”。", &[], &["孵化基地"]),
        // Two quoted stages of a change are no names.
        (
            "县域电商已经从“零星试点”走向“示范基地”，从“输血工程”到“造血工程”。",
            &[],
            &["零星试点", "示范基地", "输血工程", "造血工程"],
        ),
        ("全链条服务推动人才“引育留用”。", &[], &["引育留用"]),
        ("学院为学生提供“一站式”服务。", &[], &["一站式"]),
        // The full name wins over an earlier abbreviation.
        (
            "已有80人拿到电子商务师证书。全市累计发放电子商务师职业技能等级证书120份。",
            &["电子商务师职业技能等级证书"],
            &["电子商务师证书"],
        ),
        // A predicate verb or a person's sex does not start a name.
        (
            "公司今年选派了一批乡村振兴特派员，其中有女乡村振兴特派员12名。",
            &["乡村振兴特派员"],
            &["女乡村振兴特派员", "公司今年选派了一批乡村振兴特派员"],
        ),
        // One programme, one node: its owner in front, a scheme word after,
        // or two characters more inside are one name.
        (
            "蚂蚁集团乡村振兴特派员已有三十人。乡村特派员制度让干部驻村，乡村振兴特派员们常年住在村里。",
            &["蚂蚁集团乡村振兴特派员"],
            &["乡村特派员", "乡村振兴特派员", "乡村特派员制度"],
        ),
        // An event of a named programme is named in full; the programme is
        // a node of its own only when the article names it again.
        (
            "首届“巧手妈妈”女性创业年会在成都举办。",
            &["巧手妈妈女性创业年会"],
            &["巧手妈妈"],
        ),
        (
            "首届“巧手妈妈”女性创业年会在成都举办。“巧手妈妈”已在五省培训绣娘。",
            &["巧手妈妈女性创业年会", "巧手妈妈"],
            &[],
        ),
        // Verbs inside do not make a name (…管理赋能提升职场).
        (
            "平台通过数字化管理赋能提升职场效率。",
            &[],
            &["数字化管理赋能提升职场"],
        ),
        // A programme's edition: its year written after its name.
        (
            "今年7月，这家公司发布了“青苗计划2023”。",
            &["青苗计划2023"],
            &["青苗计划"],
        ),
        // The programme and its edition, both named: two nodes.
        (
            "“青苗计划”已办三年。今年发布的“青苗计划2023”新增了直播课。",
            &["青苗计划", "青苗计划2023"],
            &[],
        ),
        (
            "公司正式启动了“春芽计划”2024，面向返乡青年。",
            &["春芽计划2024"],
            &[],
        ),
        // Events: conferences and annual meetings, dated by a leading year.
        (
            "2022年全国县域电商发展大会在义乌举行。",
            &["2022年全国县域电商发展大会"],
            &[],
        ),
        (
            "2020西湖论坛和2021中西部电商大会先后召开。",
            &["2020西湖论坛", "2021中西部电商大会"],
            &[],
        ),
        (
            "活动期间恰逢99公益日和95公益周。",
            &["99公益日", "95公益周"],
            &[],
        ),
        // A year after a number is a quantity, not an edition.
        ("培训计划覆盖2023名学员。", &[], &["培训计划2023"]),
        // A count before a description makes it a kind of thing counted.
        (
            "今年新增了100个乡村振兴示范项目。",
            &[],
            &["乡村振兴示范项目"],
        ),
        ("全县建成3家电商产业园。", &[], &["电商产业园"]),
        // The owner's generic centre is the article's one centre of that owner.
        (
            "阿里巴巴桐庐客户体验中心开业了。有人问她在哪上班，她说：“阿里巴巴客服中心！”",
            &["阿里巴巴桐庐客户体验中心"],
            &["阿里巴巴客服中心"],
        ),
    ];

    /// Marks around something that is not a name give no programme or
    /// document at all: a quotation cut by a line break, title marks around
    /// punctuation alone or around running text and markup.
    #[test]
    fn marks_around_no_name_give_nothing() {
        let texts = [
            "他说“把茶叶卖到全国\n”报告会上掌声不断。",
            "版面上只剩下《 ——》和一张图。",
            "村里今天很热闹。《山区的茶叶今年卖得很好。》这一段没有标题。",
        ];
        for text in texts {
            for kind in [EntityKind::Document, EntityKind::Programme] {
                let got = labels(text, kind);
                assert!(got.is_empty(), "{text:?}: {kind:?} {got:?}");
            }
        }
    }

    /// Documents: a dated document title without quotes or title marks.
    const DOCUMENT_CASES: &[(&str, &[&str], &[&str])] = &[
        (
            "2023年中央一号文件提出要发展县域经济。",
            &["2023年中央一号文件"],
            &[],
        ),
        ("这份报告很详细。", &[], &["报告"]),
        // Named by its issuer and number, a document needs no year.
        (
            "今年2月，中央一号文件提出要培育县域特色产业。",
            &["中央一号文件"],
            &[],
        ),
        ("这份一号文件很重要。", &[], &["一号文件"]),
    ];

    #[test]
    fn variant_groups_follow_the_stated_rules() {
        let owners = vec!["蚂蚁集团".to_owned(), "阿里巴巴".to_owned()];
        // (names, groups as (kept, others) by name)
        let cases: &[(&[&str], &[(&str, &[&str])])] = &[
            // Owner in front, one short insertion, scheme word after.
            (
                &["乡村特派员", "蚂蚁集团乡村振兴特派员", "乡村振兴特派员制度"],
                &[(
                    "蚂蚁集团乡村振兴特派员",
                    &["乡村特派员", "乡村振兴特派员制度"],
                )],
            ),
            // Editions stay apart from their programme.
            (&["青苗计划", "青苗计划2023"], &[]),
            // Different names with the same ending are not variants.
            (&["数字工匠计划", "乡村工匠计划"], &[]),
            // Equal cores: the owned name wins.
            (
                &["共富工坊", "阿里巴巴共富工坊"],
                &[("阿里巴巴共富工坊", &["共富工坊"])],
            ),
        ];
        for (names, want) in cases {
            let got: Vec<(&str, Vec<&str>)> = variant_groups(names, &owners)
                .into_iter()
                .map(|(k, o)| (names[k], o.into_iter().map(|i| names[i]).collect()))
                .collect();
            let want: Vec<(&str, Vec<&str>)> = want.iter().map(|(k, o)| (*k, o.to_vec())).collect();
            assert_eq!(got, want, "{names:?}");
        }
    }

    #[test]
    fn document_table() {
        let failures = check(EntityKind::Document, DOCUMENT_CASES);
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn programme_table() {
        let failures = check(EntityKind::Programme, CASES);
        assert!(
            failures.is_empty(),
            "{}",
            failures.join(
                "
"
            )
        );
    }
}
