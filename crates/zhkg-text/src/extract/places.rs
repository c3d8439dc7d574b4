//! Places: administrative divisions by gazetteer, resolved by context;
//! countries; and villages, communities and streets that follow a division.
//!
//! A name is a candidate for every division it may stand for. Full names that
//! only one division bears confirm that division; the confirmed divisions and
//! their ancestors are the article's context. An ambiguous or short name is
//! accepted for a candidate that the context supports (an ancestor, a
//! descendant, the full name elsewhere in the article, or the division just
//! before it, as in 河北省邢台市巨鹿县); a short name without context only when
//! jieba's dictionary knows it as a place name (`ns`) and it is unambiguous.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use regex::Regex;

use super::gazetteer::{Entry, Hit};
use super::{Category, Context, Details, Entity, EntityKey, EntityKind, Extraction};
use crate::lexicon::divisions::NameForm;
use crate::lexicon::{LEXICON, Level};
use crate::segment::SEGMENTER;

/// Text that may follow a full division name inside one jieba token
/// (巨鹿|县政府): the name still counts.
const GLUED_AFTER: &[&str] = &[
    "政府", "委", "人民", "党委", "人社", "商务", "团委", "妇联", "电商",
];

/// Words for the area around a place that jieba glues to the place's name
/// into one token (南美地区, 非洲地区, 华北地区).
const AREA_AFTER: &[&str] = &["地区", "一带", "等地", "各地", "境内", "全境", "沿线"];

static SUBPLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\p{Han}{1,6}?(?:街道|社区|小区|行政村|村|镇|乡)").expect("valid regex")
});
const SUBPLACE_STOP: &[&str] = &[
    "乡", "农", "城", "本", "该", "全", "各", "新农", "城乡", "乡村", "农村", "山区", "社区",
    "一个", "每个", "所在", "当地", "周边", "附近", "美丽", "淘宝", "电商", "直播", "特色", "示范",
    "重点", "贫困", "全国", "家乡", "老家",
];

/// The division code behind a place key, when it has one.
pub fn code_of(key: &EntityKey) -> Option<u32> {
    if key.kind == EntityKind::Place {
        key.local.parse().ok()
    } else {
        None
    }
}

/// The key of a division.
pub fn division_key(code: u32) -> EntityKey {
    EntityKey::new(EntityKind::Place, code.to_string())
}

/// Adds the division `code` and its ancestors as entities; returns its key.
pub fn add_division(ex: &mut Extraction, code: u32, alias: Option<&str>) -> EntityKey {
    let divs = &LEXICON.divisions;
    let d = divs.get(code).expect("code from the gazetteer");
    let mut e = Entity::new(division_key(code), &d.name, d.category());
    e.details = Details::Place { code: Some(code) };
    e.parent = d.parent.map(division_key);
    if let Some(a) = alias
        && a != d.name
    {
        e.aliases.insert(a.to_owned());
    }
    if let Some(p) = d.parent
        && !ex.entities.contains_key(&division_key(p))
    {
        add_division(ex, p, None);
    }
    ex.add_entity(e)
}

/// True when `range` lies inside one `ns` token that is two division names
/// written together (甘肃兰州, 河北巨鹿 as jieba keeps them), `range` being
/// one of the two.
fn half_of_joined_places(cx: &Context<'_>, range: &std::ops::Range<usize>) -> bool {
    let k = cx.tokens.partition_point(|t| t.end <= range.start);
    let Some(t) = cx.tokens.get(k) else {
        return false;
    };
    if t.tag != "ns"
        || t.start > range.start
        || t.end < range.end
        || (t.start, t.end) == (range.start, range.end)
    {
        return false;
    }
    let divs = &LEXICON.divisions;
    let is_division = |r: std::ops::Range<usize>| !divs.lookup(cx.slice(r)).is_empty();
    (t.start == range.start && is_division(range.end..t.end))
        || (t.end == range.end && is_division(t.start..range.start))
}

fn boundary_ok(cx: &Context<'_>, hit: &Hit, full: bool) -> bool {
    if cx.has_lost(hit.range.clone()) {
        return false;
    }
    if half_of_joined_places(cx, &hit.range) {
        return true;
    }
    if !cx.token_starts.contains(&hit.range.start) {
        return false;
    }
    if cx.token_ends.contains(&hit.range.end) {
        return true;
    }
    // A place glued to a word for its area (南美地区 as one token).
    if let Some(k) = cx.token_at(hit.range.start)
        && cx.tokens[k].end > hit.range.end
        && AREA_AFTER.contains(&cx.slice(hit.range.end..cx.tokens[k].end))
    {
        return true;
    }
    // A place that begins a known organisation's name (浙江|蚂蚁公益基金会).
    if let Some(k) = cx.token_at(hit.range.start)
        && cx.tokens[k].tag == "nt"
    {
        return true;
    }
    full && {
        let after = cx.text(hit.range.end..(hit.range.end + 2).min(cx.chars.len()));
        GLUED_AFTER
            .iter()
            .any(|g| after.starts_with(g) || g.starts_with(after.as_str()) && !after.is_empty())
    }
}

/// Finds divisions, countries and sub-county places.
pub fn extract(cx: &Context<'_>, ex: &mut Extraction) {
    let divs = &LEXICON.divisions;
    let hits: Vec<&Hit> = cx
        .hits
        .iter()
        .filter(|h| {
            h.entries.iter().any(|e| {
                matches!(
                    e,
                    Entry::Division(..) | Entry::Country(_) | Entry::Region(_) | Entry::CnRegion(_)
                )
            })
        })
        .collect();

    // Confirmed divisions: unambiguous full names, and former names no
    // other division's name shares (东乡县, once a county of Jiangxi, is
    // also what 东乡族自治县 is called: it confirms neither).
    let mut confirmed: BTreeSet<u32> = BTreeSet::new();
    for h in &hits {
        let of_form = |wanted: NameForm| -> Vec<u32> {
            h.entries
                .iter()
                .filter_map(|e| match e {
                    Entry::Division(c, form) if *form == wanted => Some(*c),
                    _ => None,
                })
                .collect()
        };
        let divisions = h
            .entries
            .iter()
            .filter(|e| matches!(e, Entry::Division(..)))
            .count();
        let full = of_form(NameForm::Full);
        let former = of_form(NameForm::Former);
        let one = match (full.as_slice(), former.as_slice()) {
            ([c], _) => Some(*c),
            ([], [c]) if divisions == 1 => Some(*c),
            _ => None,
        };
        if let Some(c) = one
            && boundary_ok(cx, h, true)
        {
            confirmed.insert(c);
        }
    }
    let mut context: BTreeSet<u32> = confirmed.clone();
    for &c in &confirmed {
        context.extend(divs.ancestors(c));
    }

    // Choose non-overlapping hits, longest first at each start.
    let mut order: Vec<&Hit> = hits;
    order.sort_by_key(|h| (h.range.start, std::cmp::Reverse(h.range.end)));
    let mut taken_until = 0usize;
    let mut last: Option<(usize, u32)> = None; // (end, code) of the previous division mention
    let mut listed: Vec<(std::ops::Range<usize>, u32, String)> = Vec::new();
    for h in order {
        if h.range.start < taken_until {
            continue;
        }
        let surface = cx.text(h.range.clone());
        let is_full = h.entries.iter().any(|e| {
            matches!(
                e,
                Entry::Division(_, NameForm::Full | NameForm::Former)
                    | Entry::Country(_)
                    | Entry::Region(_)
            )
        });
        if !boundary_ok(cx, h, is_full) {
            continue;
        }
        // 新建|了: a short name before an aspect particle is a verb there
        // (jieba's dictionary knows 新建 as a place, after 新建县).
        if !is_full
            && cx
                .chars
                .get(h.range.end)
                .is_some_and(|c| matches!(c, '了' | '着' | '过'))
        {
            continue;
        }
        // 福田|街道, 江北|小区: a sub-county name that shares a county's short name.
        if !is_full {
            let after = cx.text(h.range.end..(h.range.end + 3).min(cx.chars.len()));
            // …but 巨鹿|乡村 is the county before an ordinary word.
            let two: String = after.chars().take(2).collect();
            let word_after = !["街道", "社区", "小区"].contains(&two.as_str())
                && SEGMENTER.dict_tag(&two).is_some();
            if !word_after
                && ["街道", "社区", "小区", "村", "镇", "乡"]
                    .iter()
                    .any(|s| after.starts_with(s))
            {
                continue;
            }
        }
        let prev = last
            .filter(|(end, _)| *end == h.range.start)
            .map(|(_, c)| c);
        let mut best: Option<(i32, u32)> = None;
        let mut country: Option<(usize, bool)> = None;
        let mut cn_region: Option<usize> = None;
        let candidates = h
            .entries
            .iter()
            .filter(|e| matches!(e, Entry::Division(..)))
            .count();
        // The one division of the highest level the name may stand for
        // (西安: the city 西安市 rather than two districts 西安区; 河北: the
        // province rather than a district of Tianjin), when jieba knows the
        // name as a place: a bare short name means the best-known bearer.
        let levels: Vec<Level> = h
            .entries
            .iter()
            .filter_map(|e| match e {
                Entry::Division(c, _) => divs.get(*c).map(|d| d.level),
                _ => None,
            })
            .collect();
        let top = levels.iter().min().copied();
        let top_alone = levels.iter().filter(|l| Some(**l) == top).count() == 1
            && top != Some(Level::County)
            && SEGMENTER.dict_tag(&surface).as_deref() == Some("ns");
        for e in &h.entries {
            match *e {
                Entry::Division(code, form) => {
                    let anc = divs.ancestors(code);
                    let mut score = 0;
                    if prev.is_some_and(|p| anc.contains(&p)) {
                        score += 8;
                    }
                    if confirmed.contains(&code) {
                        score += 4;
                    }
                    if anc.iter().any(|a| context.contains(a)) {
                        score += 2;
                    }
                    if context.iter().any(|c| divs.ancestors(*c).contains(&code)) {
                        score += 1;
                    }
                    let acceptable = match form {
                        NameForm::Full | NameForm::Former => candidates == 1 || score > 0,
                        NameForm::Short => {
                            // A county's short name needs its full name, its
                            // prefecture, or an ancestor written just before it.
                            let county = divs.get(code).is_some_and(|d| d.level == Level::County);
                            // A short name that is also an ordinary word (资源, 金凤)
                            // needs its full name or its parent right before it.
                            let tag = SEGMENTER.dict_tag(&surface);
                            let plain_word = tag.as_deref().is_some_and(|t| t != "ns");
                            let strong = confirmed.contains(&code)
                                || prev.is_some_and(|p| anc.contains(&p))
                                || (!plain_word
                                    && anc.first().is_some_and(|p| confirmed.contains(p)));
                            let level = divs.get(code).map(|d| d.level);
                            (if county { strong } else { score > 0 })
                                || (candidates == 1
                                    && SEGMENTER.dict_tag(&surface).as_deref() == Some("ns"))
                                || (top_alone && level == top)
                        }
                    };
                    // Prefer full names over short ones, then the highest
                    // level alone at it, at equal score.
                    let highest = top_alone && divs.get(code).map(|d| d.level) == top;
                    let score =
                        score * 4 + 2 * i32::from(form != NameForm::Short) + i32::from(highest);
                    if acceptable && best.is_none_or(|(s, _)| score > s) {
                        best = Some((score, code));
                    } else if acceptable && best.is_some_and(|(s, _)| s == score) {
                        // A tie between divisions with no context: refuse to guess.
                        best = best.filter(|_| candidates == 1);
                    }
                }
                Entry::Country(i) => country = Some((i, false)),
                Entry::Region(i) => country = country.or(Some((i, true))),
                Entry::CnRegion(i) => cn_region = Some(i),
                Entry::Org(_) | Entry::Listed(_) => {}
            }
        }
        if best.is_none() {
            // A county's short name with nothing else behind it waits for
            // a list of places around it (武功、乾县、礼泉).
            let counties: Vec<u32> = h
                .entries
                .iter()
                .filter_map(|e| match e {
                    Entry::Division(c, NameForm::Short) => Some(*c),
                    _ => None,
                })
                .filter(|c| divs.get(*c).is_some_and(|d| d.level == Level::County))
                .collect();
            if let [code] = counties[..]
                && candidates == 1
            {
                listed.push((h.range.clone(), code, surface.clone()));
            }
        }
        if let Some((_, code)) = best {
            let key = add_division(ex, code, Some(&surface));
            ex.mentions.push(cx.mention(key, h.range.clone()));
            taken_until = h.range.end;
            last = Some((h.range.end, code));
            continue;
        }
        if let Some((i, region)) = country {
            let (c, prefix, category) = if region {
                (&LEXICON.regions[i], "region", Category::WorldRegion)
            } else {
                (&LEXICON.countries[i], "country", Category::Country)
            };
            let mut e = Entity::new(
                EntityKey::new(EntityKind::Place, format!("{prefix}-{}", c.iso2)),
                &c.name,
                category,
            );
            if surface != c.name {
                e.aliases.insert(surface.clone());
            }
            let key = ex.add_entity(e);
            ex.mentions.push(cx.mention(key, h.range.clone()));
            taken_until = h.range.end;
            continue;
        }
        // A region that is no division (赣南, 苏北), inside its province.
        if let Some(i) = cn_region {
            let r = &LEXICON.cn_regions[i];
            let mut e = Entity::new(
                EntityKey::new(EntityKind::Place, format!("region-cn-{}", r.name)),
                &r.name,
                Category::Region,
            );
            if let Some(p) = r.province {
                e.parent = Some(add_division(ex, p, None));
            }
            let key = ex.add_entity(e);
            ex.mentions.push(cx.mention(key, h.range.clone()));
            taken_until = h.range.end;
        }
    }
    in_lists(cx, ex, listed);
    subplaces(cx, ex);
}

/// County short names written as items of a list (、) next to a county
/// already found (周边的武功、乾县、礼泉): the list is the support a short name
/// needs. The list is followed item by item, both ways.
fn in_lists(
    cx: &Context<'_>,
    ex: &mut Extraction,
    mut waiting: Vec<(std::ops::Range<usize>, u32, String)>,
) {
    let divs = &LEXICON.divisions;
    let county_at = |ex: &Extraction, r: &std::ops::Range<usize>| {
        ex.mentions.iter().any(|m| {
            (m.range.end + 1 == r.start && cx.chars.get(m.range.end) == Some(&'、')
                || r.end + 1 == m.range.start && cx.chars.get(r.end) == Some(&'、'))
                && code_of(&m.entity)
                    .and_then(|c| divs.get(c))
                    .is_some_and(|d| d.level == Level::County)
        })
    };
    while let Some(i) = waiting.iter().position(|(r, _, _)| county_at(ex, r)) {
        let (range, code, surface) = waiting.swap_remove(i);
        let key = add_division(ex, code, Some(&surface));
        ex.mentions.push(cx.mention(key, range));
    }
}

/// Villages, communities, streets and towns written right after a division
/// (某县王家庄村, 义乌市福田街道振兴社区), chained; later bare mentions of
/// the same names are linked too.
fn subplaces(cx: &Context<'_>, ex: &mut Extraction) {
    let mut found: Vec<(String, EntityKey)> = Vec::new();
    let anchors: Vec<(usize, EntityKey)> = ex
        .mentions_of(EntityKind::Place)
        .filter(|m| code_of(&m.entity).is_some())
        .map(|m| (m.range.end, m.entity.clone()))
        .collect();
    for (mut at, mut parent) in anchors {
        for _ in 0..4 {
            let rest = cx.text(at..(at + 10).min(cx.chars.len()));
            let Some(m) = SUBPLACE.find(&rest) else { break };
            let name = m.as_str();
            let n = name.chars().count();
            let stem: String = name.chars().take(n - suffix_len(name)).collect();
            if SUBPLACE_STOP.contains(&stem.as_str())
                || stem.chars().any(|c| "的和与在及等了是为个".contains(c))
                || cx.has_lost(at..at + n)
                || !cx.token_starts.contains(&at)
            {
                break;
            }
            let kind = match &name[name.len() - suffix_len(name) * 3..] {
                "街道" => Category::Street,
                "社区" => Category::Community,
                "小区" => Category::ResidentialCompound,
                "镇" => Category::Town,
                "乡" => Category::Township,
                _ => Category::Village,
            };
            let key = EntityKey::new(EntityKind::Place, format!("{}/{}", parent.local, name));
            let mut e = Entity::new(key.clone(), name, kind);
            e.parent = Some(parent.clone());
            ex.add_entity(e);
            ex.mentions.push(cx.mention(key.clone(), at..at + n));
            found.push((name.to_owned(), key.clone()));
            at += n;
            parent = key;
        }
    }
    // Bare later mentions of the same sub-places.
    // One key per name (the first place it was found under).
    let mut names: BTreeMap<String, EntityKey> = BTreeMap::new();
    for (name, key) in found {
        names.entry(name).or_insert(key);
    }
    // Place mentions by start, with the furthest end so far: a range is
    // covered when some mention starting at or before it ends at or after it.
    let mut spans: Vec<(usize, usize)> = ex
        .mentions_of(EntityKind::Place)
        .map(|m| (m.range.start, m.range.end))
        .collect();
    spans.sort_unstable();
    let mut reach = Vec::with_capacity(spans.len());
    let mut furthest = 0;
    for &(_, end) in &spans {
        furthest = furthest.max(end);
        reach.push(furthest);
    }
    let covered = |r: &std::ops::Range<usize>| {
        let k = spans.partition_point(|&(start, _)| start <= r.start);
        k > 0 && reach[k - 1] >= r.end
    };
    let text = cx.string.as_str();
    let mut added = Vec::new();
    for (name, key) in &names {
        for b in super::phrases::occurrences(text, name) {
            let start = cx.char_at_byte(b);
            let range = start..start + name.chars().count();
            if !covered(&range) {
                added.push(cx.mention(key.clone(), range));
            }
        }
    }
    ex.mentions.extend(added);
}

fn suffix_len(name: &str) -> usize {
    if ["街道", "社区", "小区"].iter().any(|s| name.ends_with(s)) {
        2
    } else if name.ends_with("行政村") {
        3
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::EntityKind;
    use crate::extract::table::check;

    /// Sentences written for this table, with the places each must and must
    /// not yield.
    const CASES: &[(&str, &[&str], &[&str])] = &[
        // Regions that are no division, alone or after their province.
        (
            "她出生在江西赣南的一个小山村，后来去苏北打工。",
            &["赣南", "苏北"],
            &[],
        ),
        ("长三角和华南的订单越来越多。", &["长三角", "华南"], &[]),
        // A company named like a region is no region.
        ("京东在县里建了仓库。", &[], &["京东"]),
        // A province's short form before a county's: both places.
        (
            "这家企业先后在河北巨鹿、甘肃礼县建起了工厂。",
            &["河北省", "巨鹿县", "甘肃省", "礼县"],
            &["河北区"],
        ),
        // A county's short name in a list of counties.
        (
            "项目覆盖了周边的吴堡、佳县、子洲等地。",
            &["吴堡县", "佳县", "子洲县"],
            &[],
        ),
        // Two places that jieba keeps as one word.
        (
            "董事长在甘肃兰州出席了签约仪式。",
            &["甘肃省", "兰州市"],
            &[],
        ),
        // A bare city name means the city, not a namesake district.
        ("毕业后他在西安工作了三年。", &["西安市"], &["西安区"]),
        // The country.
        ("中国的县域电商发展很快。", &["中国"], &[]),
        // A region glued to a word for its area (南美地区 as one token).
        (
            "合作社的茶叶已经卖到南美地区和东欧地区。",
            &["南美洲", "东欧"],
            &[],
        ),
        ("华北地区的农户也来学习直播。", &["华北"], &[]),
        // A region opening an organisation's name is no place mention.
        (
            "华中科技大学和西北农林科技大学的老师来县里授课。",
            &[],
            &["华中", "西北"],
        ),
        // A school named after its place does not mention the place; the
        // place mentioned on its own still counts.
        ("他毕业于西安交通大学，后来回乡创业。", &[], &["西安市"]),
        (
            "她在江西制造职业技术学院读书，毕业后回到江西南昌。",
            &["江西省", "南昌市"],
            &[],
        ),
        // A former name that is also another county's usual name confirms
        // neither: the prefecture named before decides (东乡县 of Linxia,
        // not the old 东乡县 of Jiangxi, now 东乡区).
        (
            "临夏回族自治州今年新建了五个服务点。东乡县的服务点招收了一百名妇女。",
            &["临夏回族自治州", "东乡族自治县"],
            &["东乡区"],
        ),
        // A country opening an organisation's name found in a list of
        // organisations is no place mention.
        (
            "京东物流、中国邮政等快递企业在县里设立了分拨中心。",
            &[],
            &["中国"],
        ),
        // A short name before an aspect particle is the verb it spells.
        ("村里今年新建了一座冷库。", &[], &["新建区"]),
        ("他在新建区开了一家网店。", &["新建区"], &[]),
        // A name that runs past the token it starts (开化|县政府).
        ("项目由开化县政府牵头，村民积极参与。", &["开化县"], &[]),
    ];

    #[test]
    fn places_table() {
        let failures = check(EntityKind::Place, CASES);
        assert!(
            failures.is_empty(),
            "{} failures:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
}
