//! Organisations: the curated alias table (Alibaba, Ant Group, Tsinghua and
//! their units, platforms…); the generated gazetteer of ministries,
//! universities, listed companies and other bodies (`org_gazetteer.tsv`);
//! the departments of a government body written after it (农业农村部办公厅,
//! 某某局政策法规司); government bodies formed from a place (巨鹿县政府,
//! 义乌市人社局, 平安区委区政府); and unseen organisations recognised by their
//! head word (…有限公司, …学院, …协会, …基金会) with a left boundary found on
//! jieba's tokens.

use std::sync::LazyLock;

use super::gazetteer::Entry;
use super::names::{head_ending_at, is_generic, start_of_name};
use super::places::code_of;
use super::programmes::{CLOSE_QUOTES, OPEN_QUOTES};
use super::{Category, Context, Details, Entity, EntityKey, EntityKind, Extraction};
use crate::lexicon::{LEXICON, tsv_rows};
use crate::segment::SEGMENTER;

/// Government units that may follow a place name, longest first, with their
/// canonical form.
static GOV_UNITS: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    let mut v: Vec<(String, String)> =
        tsv_rows(include_str!("../lexicon/data/gov_units.tsv"), false)
            .map(|(_, f)| {
                let unit = f[0].trim().to_owned();
                let canon = f
                    .get(1)
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .unwrap_or(&unit)
                    .to_owned();
                (unit, canon)
            })
            .collect();
    v.sort_by_key(|e| std::cmp::Reverse(e.0.chars().count()));
    v
});

/// Head words of organisation names and the type they give, longest first.
const ORG_HEADS: &[(&str, Category)] = &[
    ("股份有限公司", Category::Company),
    ("有限责任公司", Category::Company),
    ("有限公司", Category::Company),
    ("职业技术学院", Category::College),
    ("职业学院", Category::College),
    ("研究中心", Category::ResearchCentre),
    ("研究院", Category::ResearchInstitute),
    ("研究所", Category::ResearchInstitute),
    ("基金会", Category::Foundation),
    ("联合会", Category::Association),
    ("委员会", Category::Government),
    ("合作社", Category::Cooperative),
    ("工作组", Category::Government),
    ("公司", Category::Company),
    ("集团", Category::Company),
    ("大学", Category::University),
    ("学院", Category::College),
    ("学校", Category::School),
    ("协会", Category::Association),
    ("商会", Category::Association),
    ("银行", Category::Company),
    ("传媒", Category::Company),
    ("联盟", Category::Alliance),
    // Only after an organisation's name (阿里巴巴|脱贫基金): alone, a fund is
    // a sum of money (产业基金).
    ("基金", Category::Fund),
];

/// [`ORG_HEADS`] indexed for [`head_ending_at`].
static ORG_HEAD_TABLE: std::sync::LazyLock<super::names::HeadTable<Category>> =
    std::sync::LazyLock::new(|| super::names::HeadTable::new(ORG_HEADS.iter().copied()));

/// Tokens that may not start an organisation name.
const BAD_FIRST: &[&str] = &[
    "该", "本", "这", "这家", "那", "各", "当地", "相关", "一家", "多家", "每家", "全国", "其",
    "此", "有关", "所在", "我们", "他们", "上述", "新", "大", "小",
];

/// Finds organisations.
pub fn extract(cx: &Context<'_>, ex: &mut Extraction) {
    known(cx, ex);
    listed(cx, ex);
    government(cx, ex);
    departments(cx, ex);
    stationed(cx, ex);
    by_head(cx, ex);
    named_businesses(cx, ex);
    enumerated(cx, ex);
}

/// Words for a kind of organisation that end a list (…等快递企业,
/// …等电商平台), with the category each gives its members, longest first
/// where one ends another.
const LIST_HEADS: &[(&str, Category)] = &[
    ("企业", Category::Company),
    ("公司", Category::Company),
    ("平台", Category::Platform),
    ("高校", Category::University),
    ("院校", Category::University),
    ("机构", Category::Organization),
];

/// The members of a list of organisations (京东物流、中国邮政等快递企业):
/// names joined by 、 before 等 and a word for their kind, one of them an
/// organisation already found. The others, whole items of two to eight
/// characters that are not ordinary words, are organisations of that kind.
fn enumerated(cx: &Context<'_>, ex: &mut Extraction) {
    let n = cx.chars.len();
    let mut found: Vec<(std::ops::Range<usize>, Category)> = Vec::new();
    for deng in (0..n).filter(|&i| cx.chars[i] == '等') {
        // 等, then up to four characters of modifier, then the head.
        let after = cx.text(deng + 1..(deng + 9).min(n));
        let Some(kind) = LIST_HEADS.iter().find_map(|(head, kind)| {
            let at = after.find(head)?;
            let before = &after[..at];
            (before.chars().count() <= 4 && before.chars().all(crate::ingest::normalize::is_han))
                .then_some(*kind)
        }) else {
            continue;
        };
        // The items, last first: runs of Han characters between 、.
        let mut items: Vec<std::ops::Range<usize>> = Vec::new();
        let mut end = deng;
        loop {
            let mut start = end;
            while start > 0 && crate::ingest::normalize::is_han(cx.chars[start - 1]) {
                start -= 1;
            }
            let len = end - start;
            if !(2..=8).contains(&len) {
                break;
            }
            items.push(start..end);
            if start == 0 || cx.chars[start - 1] != '、' {
                break;
            }
            end = start - 1;
        }
        // The first item has no 、 before it: it may run on from the words
        // before the list (由京东物流): keep it only when a mention or a
        // token boundary starts it.
        if let Some(first) = items.last()
            && !cx.token_starts.contains(&first.start)
        {
            items.pop();
        }
        if items.len() < 2 {
            continue;
        }
        let is_org = |r: &std::ops::Range<usize>| {
            ex.mentions.iter().any(|m| {
                m.entity.kind == EntityKind::Organization
                    && m.range.start < r.end
                    && r.start < m.range.end
            })
        };
        if !items.iter().any(is_org) {
            continue;
        }
        for r in items {
            let name = cx.text(r.clone());
            // An ordinary word, or words ending in a verb (直播带货), or
            // another name (a place), is no organisation's name.
            let word = SEGMENTER
                .dict_tag(&name)
                .is_some_and(|t| !matches!(t.as_str(), "nt" | "nz" | "j"));
            let verb_last = cx
                .tokens_in(r.clone())
                .last()
                .is_none_or(|t| t.end != r.end || t.tag.starts_with('v'));
            let named = ex
                .mentions
                .iter()
                .any(|m| m.range.start <= r.start && r.end <= m.range.end);
            if is_org(&r) || word || verb_last || named || cx.has_lost(r.clone()) {
                continue;
            }
            found.push((r, kind));
        }
    }
    for (r, kind) in found {
        let name = cx.text(r.clone());
        let key = ex.add_entity(Entity::new(
            EntityKey::new(EntityKind::Organization, &name),
            &name,
            kind,
        ));
        ex.mentions.push(cx.mention(key, r));
    }
}

/// Words that introduce the name of a business (一家名为“…”的网店).
const NAMING_CUES: &[&str] = &["名为", "名叫", "叫做", "取名为", "取名", "名字叫", "叫"];

/// Heads after a business's quoted name, with the category each gives,
/// longest first where one ends another.
const BUSINESS_HEADS: &[(&str, Category)] = &[
    ("淘宝店", Category::Shop),
    ("网店", Category::Shop),
    ("微店", Category::Shop),
    ("店铺", Category::Shop),
    ("小店", Category::Shop),
    ("店", Category::Shop),
    ("有限公司", Category::Company),
    ("公司", Category::Company),
    ("合作社", Category::Cooperative),
    ("工作室", Category::Organization),
];

/// A business named in quotes (double, or single inside a quoted speech)
/// before its kind: “巧妹山货”网店, ‘山里红’淘宝店, or after a
/// naming word, 一家名为“山里红”的淘宝店 (with 的 only after such a word:
/// “直播带货”的公司 describes a company, it does not name one).
fn named_businesses(cx: &Context<'_>, ex: &mut Extraction) {
    let chars = &cx.chars;
    let mut found: Vec<(std::ops::Range<usize>, Category)> = Vec::new();
    // Double quotes, or single ones inside a quoted speech (‘巨福庄园’淘宝店).
    for (open, (o, c)) in chars.iter().enumerate().filter_map(|(i, ch)| {
        let q = OPEN_QUOTES.iter().position(|o| o == ch)?;
        Some((i, (OPEN_QUOTES[q], CLOSE_QUOTES[q])))
    }) {
        let Some(len) = chars[open + 1..].iter().take(17).position(|ch| *ch == c) else {
            continue;
        };
        let name = open + 1..open + 1 + len;
        if !(2..=16).contains(&len)
            || cx.has_lost(name.clone())
            || chars[name.clone()]
                .iter()
                .any(|ch| *ch == o || matches!(ch, ',' | '。' | ';' | ':' | '、'))
        {
            continue;
        }
        let after = name.end + 1;
        let with_de = chars.get(after) == Some(&'的');
        let rest = cx.slice(after + usize::from(with_de)..(after + 6).min(chars.len()));
        let Some((_, category)) = BUSINESS_HEADS.iter().find(|(h, _)| rest.starts_with(h)) else {
            continue;
        };
        let cued = NAMING_CUES
            .iter()
            .any(|c| cx.slice(open.saturating_sub(4)..open).ends_with(c));
        if (with_de && !cued) || covered_by_org(ex, name.start, name.end) {
            continue;
        }
        found.push((name, *category));
    }
    for (range, category) in found {
        let label = cx.text(range.clone());
        let key = ex.add_entity(Entity::new(
            EntityKey::new(EntityKind::Organization, &label),
            &label,
            category,
        ));
        ex.mentions.push(cx.mention(key, range));
    }
}

/// Heads of bodies one organisation keeps in a place.
const STATIONED_HEADS: &[&str] = &["工作组", "工作队", "办事处", "代表处", "联络处", "工作站"];

/// An organisation's body stationed in a place: 国家税务总局驻平安区帮扶工作组.
/// It replaces the mention of the organisation it belongs to, which becomes
/// its parent.
fn stationed(cx: &Context<'_>, ex: &mut Extraction) {
    let orgs: Vec<(std::ops::Range<usize>, EntityKey)> = ex
        .mentions
        .iter()
        .filter(|m| m.entity.kind == EntityKind::Organization)
        .map(|m| (m.range.clone(), m.entity.clone()))
        .collect();
    for (range, parent) in orgs {
        if cx.chars.get(range.end) != Some(&'驻') {
            continue;
        }
        let Some(place) = ex
            .mentions
            .iter()
            .find(|m| m.range.start == range.end + 1 && code_of(&m.entity).is_some())
            .cloned()
        else {
            continue;
        };
        let rest = cx.text(place.range.end..(place.range.end + 10).min(cx.chars.len()));
        let Some((head_at, head)) = STATIONED_HEADS
            .iter()
            .filter_map(|h| rest.find(h).map(|b| (b, *h)))
            .min()
        else {
            continue;
        };
        let between = &rest[..head_at];
        if between
            .chars()
            .any(|c| !crate::ingest::normalize::is_han(c))
        {
            continue;
        }
        let end = place.range.end + rest[..head_at + head.len()].chars().count();
        add_unit(cx, ex, &range, &parent, end, Some(place.entity.clone()));
    }
}

/// A unit of the organisation `parent` mentioned at `range`, its name
/// running on to `end` (a department, a body stationed in a place): a
/// government organisation with `parent` as parent, whose mention replaces
/// the parent's.
fn add_unit(
    cx: &Context<'_>,
    ex: &mut Extraction,
    range: &std::ops::Range<usize>,
    parent: &EntityKey,
    end: usize,
    place: Option<EntityKey>,
) {
    let name = cx.text(range.start..end);
    let mut e = Entity::new(
        EntityKey::new(EntityKind::Organization, &name),
        &name,
        Category::Government,
    );
    e.parent = Some(parent.clone());
    e.place = place;
    let key = ex.add_entity(e);
    ex.mentions
        .retain(|m| !(m.range == *range && m.entity == *parent));
    ex.mentions.push(cx.mention(key, range.start..end));
}

/// Adds a curated organisation (and its parents) as an entity.
pub fn add_known(ex: &mut Extraction, idx: usize, alias: Option<&str>) -> EntityKey {
    let o = &LEXICON.orgs[idx];
    let mut e = Entity::new(
        EntityKey::new(EntityKind::Organization, &o.name),
        &o.name,
        o.kind,
    );
    e.details = Details::Organization {
        wikidata: o.wikidata.clone(),
    };
    if let Some(a) = alias
        && a != o.name
    {
        e.aliases.insert(a.to_owned());
    }
    if let Some(p) = &o.parent
        && let Some(&pi) = LEXICON.org_index.get(p)
    {
        e.parent = Some(add_known(ex, pi, None));
    }
    ex.add_entity(e)
}

/// The gazetteer hits holding an entry that `pick` maps to an index, with
/// that index, by start and longest first.
fn hits_of<'c>(
    cx: &'c Context<'_>,
    pick: impl Fn(&Entry) -> Option<usize>,
) -> Vec<(&'c super::gazetteer::Hit, usize)> {
    let mut hits: Vec<_> = cx
        .hits
        .iter()
        .filter_map(|h| h.entries.iter().find_map(&pick).map(|i| (h, i)))
        .collect();
    hits.sort_by_key(|(h, _)| (h.range.start, std::cmp::Reverse(h.range.end)));
    hits
}

fn known(cx: &Context<'_>, ex: &mut Extraction) {
    let hits = hits_of(cx, |e| match e {
        Entry::Org(i) => Some(*i),
        _ => None,
    });
    let mut taken_until = 0;
    for (h, idx) in hits {
        if h.range.start < taken_until || cx.has_lost(h.range.clone()) {
            continue;
        }
        let surface = cx.text(h.range.clone());
        // Start on a token boundary; short aliases (阿里, 清华) also end on one.
        let start_ok = cx.token_starts.contains(&h.range.start)
            || surface.chars().count() >= 4
            || h.range.start == 0
            || !crate::ingest::normalize::is_han(cx.chars[h.range.start - 1]);
        // Short names end on a token boundary too (人社部 is not in 人社部门).
        let end_ok = surface.chars().count() >= 4 || cx.token_ends.contains(&h.range.end);
        if !(start_ok && end_ok) {
            continue;
        }
        // A name that is also an ordinary word (黄小米 millet) is an
        // organisation only with an organisation word in its sentence.
        if SEGMENTER.is_common_word(&surface) && !org_context(cx, h.range.clone()) {
            continue;
        }
        if in_figure(cx, h.range.clone()) {
            continue;
        }
        let key = add_known(ex, idx, Some(&surface));
        ex.mentions.push(cx.mention(key, h.range.clone()));
        taken_until = h.range.end;
    }
}

/// Characters that, right after a number, make it a figure: numerals and
/// the units and measure words counted things take (1688万, 1688人, 1688年).
const FIGURE_FOLLOWERS: &str =
    "万亿千百十元人个家名年月日号次倍户件台套座所项条位岁度吨斤米份多余%％";

/// True when `range` holds digits alone (a name such as 1688) that are part
/// of a written figure: next to another digit or after a decimal point, or
/// followed by a decimal part, a thousands group, a numeral or a unit
/// (1688.6亿元, 21688元, 1688户, 1688,320元). A platform of that name is
/// written on its own (开到了1688上). A comma is a thousands separator
/// only before exactly three digits: before other digits it ends a clause,
/// and what follows is a figure of its own (入驻1688，2年里…).
fn in_figure(cx: &Context<'_>, range: std::ops::Range<usize>) -> bool {
    let is_digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    if !cx.chars[range.clone()].iter().all(|&c| is_digit(c)) {
        return false;
    }
    let at = |i: usize| cx.chars.get(i).copied();
    let digit_at = |i: usize| at(i).is_some_and(is_digit);
    let before = range.start.checked_sub(1).and_then(at);
    let after = at(range.end);
    let decimal = after.is_some_and(|c| matches!(c, '.' | '．')) && digit_at(range.end + 1);
    let thousands = after.is_some_and(|c| matches!(c, ',' | '，'))
        && (range.end + 1..range.end + 4).all(digit_at)
        && !digit_at(range.end + 4);
    before.is_some_and(|c| is_digit(c) || matches!(c, '.' | '．'))
        || after.is_some_and(|c| is_digit(c) || FIGURE_FOLLOWERS.contains(c))
        || decimal
        || thousands
}

/// Organisations of the generated gazetteer, where the curated table found
/// nothing: whole tokens (or names of four characters or more starting on
/// a token), and not ordinary words of the dictionary.
fn listed(cx: &Context<'_>, ex: &mut Extraction) {
    let hits = hits_of(cx, |e| match e {
        Entry::Listed(i) => Some(*i),
        _ => None,
    });
    let mut taken_until = 0;
    for (h, idx) in hits {
        let r = h.range.clone();
        if r.start < taken_until || cx.has_lost(r.clone()) {
            continue;
        }
        let overlaps_org = ex.mentions.iter().any(|m| {
            m.entity.kind == EntityKind::Organization
                && m.range.start < r.end
                && r.start < m.range.end
        });
        if overlaps_org {
            continue;
        }
        let surface = cx.text(r.clone());
        let long = surface.chars().count() >= 4;
        let start_ok = cx.token_starts.contains(&r.start);
        let end_ok = long || cx.token_ends.contains(&r.end);
        // A name that is an ordinary word of the dictionary (not tagged as
        // an organisation) needs an organisation word in its sentence.
        let plain = SEGMENTER
            .dict_tag(&surface)
            .is_some_and(|t| !matches!(t.as_str(), "nt" | "nz" | "j"));
        if !(start_ok && end_ok) || (plain && !org_context(cx, r.clone())) {
            continue;
        }
        let o = &LEXICON.listed_orgs[idx];
        let mut e = Entity::new(
            EntityKey::new(EntityKind::Organization, &o.name),
            &o.name,
            o.kind,
        );
        if surface != o.name {
            e.aliases.insert(surface);
        }
        let key = ex.add_entity(e);
        ex.mentions.push(cx.mention(key, r.clone()));
        taken_until = r.end;
    }
}

/// A department of a government body written right after it: its general
/// office (办公厅) or one of its 司, 局, 处 (one to eight characters of name).
/// The department replaces the body's mention and has it as parent.
fn departments(cx: &Context<'_>, ex: &mut Extraction) {
    let bodies: Vec<(std::ops::Range<usize>, EntityKey)> = ex
        .mentions
        .iter()
        .filter(|m| {
            m.entity.kind == EntityKind::Organization
                && ex
                    .entities
                    .get(&m.entity)
                    .is_some_and(|e| e.category == Category::Government)
        })
        .map(|m| (m.range.clone(), m.entity.clone()))
        .collect();
    for (range, parent) in bodies {
        let rest = cx.text(range.end..(range.end + 10).min(cx.chars.len()));
        let len = if rest.starts_with("办公厅") {
            3
        } else {
            // 政策法规司: Han characters up to a 司, 局 or 处 that ends a token.
            let chars: Vec<char> = rest.chars().collect();
            let Some(i) = chars
                .iter()
                .take(9)
                .take_while(|c| crate::ingest::normalize::is_han(**c))
                .position(|c| matches!(c, '司' | '局' | '处'))
            else {
                continue;
            };
            if i == 0 || !cx.token_ends.contains(&(range.end + i + 1)) {
                continue;
            }
            // Not a clause: no function word, number or predicate verb
            // inside (印发|…局).
            let inner: String = chars[..i].iter().collect();
            if inner
                .chars()
                .any(|c| "的了是在和与及对把被将为从".contains(c))
                || cx
                    .tokens_in(range.end..range.end + i)
                    .iter()
                    .any(|t| t.tag == "m" || super::names::is_predicate_verb(&t.word))
            {
                continue;
            }
            i + 1
        };
        add_unit(cx, ex, &range, &parent, range.end + len, None);
    }
}

/// Words that show a sentence talks about organisations.
const ORG_CUES: &[&str] = &[
    "公司",
    "集团",
    "企业",
    "旗下",
    "平台",
    "品牌",
    "科技",
    "合作",
    "携手",
    "联合",
    "创始人",
    "总裁",
    "董事长",
    "手机",
    "上市",
    "电商",
    "网店",
    "店铺",
    "总部",
];

/// True when the sentence around `range` has an organisation word outside the name.
fn org_context(cx: &Context<'_>, range: std::ops::Range<usize>) -> bool {
    let s = &cx.sentences[cx.sentence_of(range.start)].range;
    let before = cx.text(s.start..range.start);
    let after = cx.text(range.end..s.end);
    ORG_CUES
        .iter()
        .any(|c| before.contains(c) || after.contains(c))
}

fn government(cx: &Context<'_>, ex: &mut Extraction) {
    let places: Vec<(usize, usize, EntityKey)> = ex
        .mentions_of(EntityKind::Place)
        .filter(|m| code_of(&m.entity).is_some())
        .map(|m| (m.range.start, m.range.end, m.entity.clone()))
        .collect();
    for (start, end, place) in places {
        let mut at = end;
        let mut units: Vec<&str> = Vec::new();
        // The suffix of the place's full name may be split off (巨鹿 + 县政府).
        let full = ex
            .entities
            .get(&place)
            .map(|e| e.label.clone())
            .unwrap_or_default();
        let surface = cx.text(start..end);
        let missing_suffix = full.strip_prefix(surface.as_str()).unwrap_or("");
        if !missing_suffix.is_empty()
            && cx.text(at..at + missing_suffix.chars().count()) == missing_suffix
        {
            at += missing_suffix.chars().count();
        }
        let unit_start = at;
        'outer: loop {
            let rest = cx.text(at..(at + 12).min(cx.chars.len()));
            for (unit, canon) in GOV_UNITS.iter() {
                if rest.starts_with(unit.as_str()) {
                    units.push(canon);
                    at += unit.chars().count();
                    continue 'outer;
                }
            }
            break;
        }
        if units.is_empty() || cx.has_lost(start..at) {
            continue;
        }
        let written = cx.text(start..at);
        // The Party committee and the government named together are one body
        // (平安区党委政府, 平安区委区政府, 巨鹿县委县政府).
        let units: Vec<&str> = units
            .into_iter()
            .map(|u| {
                if matches!(
                    u,
                    "党委政府" | "委区政府" | "区委区政府" | "县委县政府" | "市委市政府"
                ) {
                    "党委和政府"
                } else {
                    u
                }
            })
            .collect();
        // 政府 → 人民政府 only when it is the whole unit (巨鹿县政府电商办 stays as written).
        let canonical = if units.len() == 1 || units[0] == "党委和政府" {
            format!("{full}{}", units[0])
        } else {
            format!("{full}{}", cx.text(unit_start..at))
        };
        let mut e = Entity::new(
            EntityKey::new(EntityKind::Organization, &canonical),
            &canonical,
            Category::Government,
        );
        if written != canonical {
            e.aliases.insert(written);
        }
        e.place = Some(place.clone());
        let key = ex.add_entity(e);
        ex.mentions.push(cx.mention(key, start..at));
        coordinated_units(cx, ex, &place, &full, at);
    }
}

/// Units listed after a place's own unit share its place (礼县团委、妇联等单位:
/// 礼县妇联 too): each bare unit that makes a whole list item, after 、 or
/// 和/及, is that place's unit. Governments and Party committees are left
/// out (县委、县政府 repeats the place; a bare 政府 is any government).
fn coordinated_units(
    cx: &Context<'_>,
    ex: &mut Extraction,
    place: &EntityKey,
    full: &str,
    mut at: usize,
) {
    let len = cx.chars.len();
    while at < len && matches!(cx.chars[at], '、' | '和' | '及') {
        let item = at + 1;
        let rest = cx.text(item..(item + 12).min(len));
        let Some((unit, canon)) = GOV_UNITS.iter().find(|(u, _)| {
            u.chars().count() >= 2
                && !u.ends_with("政府")
                && !u.ends_with("党委")
                && rest.starts_with(u.as_str())
        }) else {
            break;
        };
        let end = item + unit.chars().count();
        // The item ends at a separator, or (the last of the list) where
        // jieba ends a word (…和残联|为…).
        let ends_item = cx
            .chars
            .get(end)
            .is_none_or(|c| "、和及等,，。;；".contains(*c))
            || cx.token_ends.contains(&end);
        if !ends_item || cx.has_lost(item..end) || covered_by_org(ex, item, end) {
            break;
        }
        let canonical = format!("{full}{canon}");
        let mut e = Entity::new(
            EntityKey::new(EntityKind::Organization, &canonical),
            &canonical,
            Category::Government,
        );
        e.aliases.insert(unit.clone());
        e.place = Some(place.clone());
        let key = ex.add_entity(e);
        ex.mentions.push(cx.mention(key, item..end));
        at = end;
    }
}

fn covered_by_org(ex: &Extraction, start: usize, end: usize) -> bool {
    ex.mentions.iter().any(|m| {
        m.entity.kind == EntityKind::Organization && m.range.start <= start && m.range.end >= end
    })
}

fn by_head(cx: &Context<'_>, ex: &mut Extraction) {
    for (i, t) in cx.tokens.iter().enumerate() {
        // The head may be a whole token or the end of one (工商学院).
        let Some((head_start, head, &kind)) = head_ending_at(cx, i, &ORG_HEAD_TABLE) else {
            continue;
        };
        let end = t.end;
        let Some(start) = start_of_name(cx, ex, head_start, end) else {
            continue;
        };
        if cx.has_lost(start..end)
            || covered_by_org(ex, start, end)
            || is_generic(cx, start, end, head)
        {
            continue;
        }
        let name = cx.text(start..end);
        // 武汉一家互联网公司: a place, then a determiner: a description of
        // some company, not a name.
        if BAD_FIRST.iter().any(|b| name.starts_with(b))
            || ["一家", "一个", "某"].iter().any(|d| name.contains(d))
        {
            continue;
        }
        // A place at the start links the organisation to it, and its full
        // name makes the canonical one (义乌|跨境电商协会 → 义乌市跨境电商协会).
        let lead = ex
            .mentions
            .iter()
            .find(|m| m.range.start == start && m.range.end < end && code_of(&m.entity).is_some())
            .cloned();
        // Schools and companies keep the place as written (云南农业大学);
        // associations and public bodies take the full place name.
        let expand = matches!(
            kind,
            Category::Association
                | Category::Government
                | Category::Alliance
                | Category::Cooperative
        );
        let canonical = match lead.as_ref().filter(|_| expand) {
            Some(m) => {
                let full = ex
                    .entities
                    .get(&m.entity)
                    .map(|e| e.label.clone())
                    .unwrap_or_default();
                let rest = cx.text(m.range.end..end);
                if rest.starts_with(|c: char| "省市县区".contains(c)) {
                    name.clone()
                } else {
                    format!("{full}{rest}")
                }
            }
            None => name.clone(),
        };
        let parent = ex
            .mentions
            .iter()
            .find(|m| {
                m.range.start == start
                    && m.range.end < end
                    && m.entity.kind == EntityKind::Organization
            })
            .map(|m| m.entity.clone());
        if head == "基金" && parent.is_none() {
            continue;
        }
        // A shorter name of an organisation already found (跨境电商协会 after
        // 义乌市跨境电商协会) is the same organisation.
        let existing = ex
            .entities
            .values()
            .find(|e| {
                e.key.kind == EntityKind::Organization
                    && e.label != canonical
                    && e.label.ends_with(&canonical)
            })
            .map(|e| e.key.clone());
        let key = match existing {
            Some(k) => k,
            None => {
                let mut e = Entity::new(
                    EntityKey::new(EntityKind::Organization, &canonical),
                    &canonical,
                    kind,
                );
                e.place = lead.map(|m| m.entity);
                e.parent = parent;
                ex.add_entity(e)
            }
        };
        if let Some(e) = ex.entities.get_mut(&key)
            && e.label != name
        {
            e.aliases.insert(name.clone());
        }
        ex.mentions.push(cx.mention(key, start..end));
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::EntityKind;
    use crate::extract::table::check;

    /// Sentences written for this table, with organisations each must and
    /// must not yield.
    const CASES: &[(&str, &[&str], &[&str])] = &[
        // A name written in digits alone is not read inside a figure.
        ("县里网络零售额达到1688.6亿元，居全省第一。", &[], &["1688"]),
        ("全镇共有1688户参与电商培训。", &[], &["1688"]),
        ("每人补贴共计21688元。", &[], &["1688"]),
        ("这座老作坊1688年就已开张。", &[], &["1688"]),
        ("她把店铺开到了1688上，批发订单翻了一番。", &["1688"], &[]),
        ("通过1688，商家把货卖到了全国。", &["1688"], &[]),
        // A comma before three digits groups thousands; before other
        // digits it ends the clause.
        ("账上共有1688,320元。", &[], &["1688"]),
        ("全县网商销售额达1688，500万元。", &[], &["1688"]),
        ("她入驻1688，2年里接了上百张批发订单。", &["1688"], &[]),
        ("货都挂在1688，12位客服轮班接单。", &["1688"], &[]),
        // A business named in quotes: before its kind, or after a naming
        // word with 的; with 的 but no naming word the quotes describe.
        (
            "退伍后，他在老家开了一家名为“山里红”的淘宝店。",
            &["山里红"],
            &[],
        ),
        ("她注册了“巧妹山货”网店，专卖自家腊肉。", &["巧妹山货"], &[]),
        (
            "他说：“我要把‘溪口人家’网店一直开下去。”",
            &["溪口人家"],
            &[],
        ),
        (
            "几个年轻人合伙成立了一家名叫“云上果园”的公司。",
            &["云上果园"],
            &[],
        ),
        ("这是一家专做“直播带货”的公司。", &[], &["直播带货"]),
        // A fund after an organisation's name is an organisation; a fund
        // alone is money.
        (
            "“蚂蚁集团助学基金”成立于2019年，已投入2亿元。",
            &["蚂蚁集团助学基金"],
            &[],
        ),
        ("县里设立了电商发展基金，支持创业。", &[], &["电商发展基金"]),
        // A company name that is also an ordinary word needs context.
        ("农家种的黄小米富含硒，很受欢迎。", &[], &["小米"]),
        ("小米公司在县里开设了手机售后网点。", &["小米"], &[]),
        (
            "菜鸟驿站覆盖了全县的村庄，物流企业纷纷入驻。",
            &["菜鸟"],
            &[],
        ),
        ("他还是个菜鸟，第一次做直播。", &[], &["菜鸟"]),
        // An industry association is named by its industry.
        (
            "跨境电商协会协助玩具协会邀约数百家商户。",
            &["玩具协会"],
            &[],
        ),
        // A broad head after one ordinary noun describes.
        ("村里新开了一家物流公司。", &[], &["物流公司"]),
        // Organisations of the generated gazetteer: universities, companies.
        (
            "研究由西南财经大学和兰州大学的学者共同完成。",
            &["西南财经大学", "兰州大学"],
            &[],
        ),
        // A commission written with 委 alone.
        (
            "国家卫生健康委派出的挂职干部到了村里。",
            &["国家卫生健康委员会"],
            &[],
        ),
        // The members of a list of organisations are organisations, when
        // one of them is known; not verbs, words or places.
        (
            "京东物流、中国邮政等快递企业在县里设立了分拨中心。",
            &["中国邮政"],
            &["直播带货"],
        ),
        (
            "淘宝、直播带货等平台都有当地的茶叶。",
            &["淘宝"],
            &["直播带货"],
        ),
        ("直播、短视频等平台带火了当地的茶叶。", &[], &["短视频"]),
        // A place and a determiner before the head describe some
        // organisation; they do not name one.
        ("他在杭州一家电商公司做过运营。", &[], &["杭州一家电商公司"]),
        // The Party committee's departments, with the committee written
        // after the place's name or with 委 after its full name.
        (
            "据曹县县委宣传部统计，全县网店超过一万家。",
            &["曹县县委宣传部"],
            &[],
        ),
        (
            "巨鹿县委组织部为返乡青年举办了座谈会。",
            &["巨鹿县委组织部"],
            &[],
        ),
        // Units listed after a place's own unit share its place.
        (
            "活动由礼县人社局、妇联、团委等单位联合主办。",
            &["礼县人力资源和社会保障局", "礼县妇联", "礼县团委"],
            &[],
        ),
        (
            "巨鹿县商务局和残联为返乡青年开设了培训班。",
            &["巨鹿县商务局", "巨鹿县残联"],
            &[],
        ),
        // Only a whole list item, and no bare government.
        (
            "义乌市人社局、政府部门和团委书记都来了。",
            &["义乌市人力资源和社会保障局"],
            &["义乌市人民政府", "义乌市团委"],
        ),
        // A ministry's department is an organisation under the ministry.
        ("文件由农业农村部办公厅印发。", &["农业农村部办公厅"], &[]),
        (
            "会议由人力资源和社会保障部就业促进司主持。",
            &["人力资源和社会保障部就业促进司"],
            &[],
        ),
    ];

    #[test]
    fn organisation_table() {
        let failures = check(EntityKind::Organization, CASES);
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
