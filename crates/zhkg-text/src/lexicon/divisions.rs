//! The administrative divisions of China (GB/T 2260): province, prefecture
//! and county level, with parents, short forms and historical names.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::categories::Category;
use super::{LexiconError, tsv_rows};

/// The level of a division.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// 省, 自治区, 直辖市, 特别行政区.
    Province,
    /// 地级市, 地区, 自治州, 盟.
    Prefecture,
    /// 县, 县级市, 市辖区, 旗, 自治县.
    County,
}

impl Level {
    /// The English name used in the graph and the gold format.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Province => "province",
            Self::Prefecture => "prefecture",
            Self::County => "county",
        }
    }
}

/// One division.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Division {
    /// Six-digit GB/T 2260 code.
    pub code: u32,
    /// Official simplified name.
    pub name: String,
    /// Level.
    pub level: Level,
    /// Parent code (none for provinces).
    pub parent: Option<u32>,
}

impl Division {
    /// A finer type than the level, from the name's ending: `county`,
    /// `county-level city`, `district`, `banner`, `autonomous county`,
    /// `prefecture-level city`, `autonomous prefecture`, `league`,
    /// `municipality`, `autonomous region`, `province`…
    pub fn category(&self) -> Category {
        let n = self.name.as_str();
        match self.level {
            Level::Province => {
                if n.ends_with("自治区") {
                    Category::AutonomousRegion
                } else if n.ends_with("特别行政区") {
                    Category::SpecialAdministrativeRegion
                } else if n.ends_with('市') {
                    Category::Municipality
                } else {
                    Category::Province
                }
            }
            Level::Prefecture => {
                if n.ends_with("自治州") {
                    Category::AutonomousPrefecture
                } else if n.ends_with('盟') {
                    Category::League
                } else if n.ends_with("地区") {
                    Category::Prefecture
                } else {
                    Category::PrefectureLevelCity
                }
            }
            Level::County => {
                if n.ends_with("自治县") {
                    Category::AutonomousCounty
                } else if n.ends_with("自治旗") || n.ends_with('旗') {
                    Category::Banner
                } else if n.ends_with('区') {
                    Category::District
                } else if n.ends_with('市') {
                    Category::CountyLevelCity
                } else {
                    Category::County
                }
            }
        }
    }
}

/// How a name refers to a division.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameForm {
    /// The official full name (巨鹿县).
    Full,
    /// The name without its administrative suffix (巨鹿).
    Short,
    /// A former official name (平安县 for today's 平安区).
    Former,
}

static AUTONOMOUS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\p{Han}{2,4}?)(?:\p{Han}{1,4}族)+自治(?:州|县|旗)$").expect("valid regex")
});

/// The short forms of a division name (without 省/市/县/区/自治州…).
pub fn short_forms(name: &str, level: Level) -> Vec<String> {
    short_forms_with_stem(name, level, None)
}

/// An autonomous unit's name without its 自治州, 自治县 or 自治旗 (place
/// stem and ethnic groups); none for other names.
fn autonomous_body(name: &str) -> Option<&str> {
    ["自治州", "自治县", "自治旗"]
        .iter()
        .find_map(|s| name.strip_suffix(s))
}

/// The ways to split an autonomous unit's name into a place stem and ethnic
/// group names (黔东南|苗族|侗族|自治州): (stem, groups).
fn autonomous_splits(name: &str) -> Vec<(String, Vec<String>)> {
    let Some(body) = autonomous_body(name) else {
        return Vec::new();
    };
    let chars: Vec<char> = body.chars().collect();
    let mut out = Vec::new();
    for stem_len in 2..=4.min(chars.len().saturating_sub(2)) {
        // Split the rest into groups each ending in 族, of 2 to 5 characters.
        fn groups(rest: &[char]) -> Option<Vec<Vec<String>>> {
            if rest.is_empty() {
                return Some(vec![Vec::new()]);
            }
            let mut all = Vec::new();
            for len in 2..=5.min(rest.len()) {
                // An ethnic group's name ends in 族 and never starts with it.
                if rest[len - 1] == '族' && rest[0] != '族' {
                    for mut tail in groups(&rest[len..]).unwrap_or_default() {
                        tail.insert(0, rest[..len].iter().collect());
                        all.push(tail);
                    }
                }
            }
            (!all.is_empty()).then_some(all)
        }
        for g in groups(&chars[stem_len..]).unwrap_or_default() {
            out.push((chars[..stem_len].iter().collect(), g));
        }
    }
    out
}

/// The stem of each autonomous unit's name, chosen so that its ethnic group
/// names are the ones other autonomous units also use (黔东南|苗族侗族, not
/// 黔东|南苗族侗族); ties go to the shorter stem (恩施|土家族, not 恩施土|家族).
/// Names no such split fits get theirs from [`bare_group_stem`].
fn autonomous_stems<'a>(names: impl Iterator<Item = &'a str>) -> HashMap<String, String> {
    let (splits, unsplit): (Vec<_>, Vec<_>) = names
        .filter(|n| autonomous_body(n).is_some())
        .map(|n| (n.to_owned(), autonomous_splits(n)))
        .partition(|(_, s)| !s.is_empty());
    let mut freq: HashMap<String, usize> = HashMap::new();
    for (_, options) in &splits {
        let mut seen: Vec<&String> = options.iter().flat_map(|(_, g)| g).collect();
        seen.sort();
        seen.dedup();
        for g in seen {
            *freq.entry(g.clone()).or_default() += 1;
        }
    }
    let bare: Vec<(String, String)> = unsplit
        .into_iter()
        .filter_map(|(name, _)| bare_group_stem(&name, &freq).map(|stem| (name, stem)))
        .collect();
    splits
        .into_iter()
        .filter_map(|(name, options)| {
            let best = options.into_iter().max_by_key(|(stem, groups)| {
                let support = groups
                    .iter()
                    .map(|g| freq.get(g).copied().unwrap_or(0))
                    .min()
                    .unwrap_or(0);
                (support, std::cmp::Reverse(stem.chars().count()))
            })?;
            Some((name, best.0))
        })
        .chain(bare)
        .collect()
}

/// The stem of an autonomous unit's name that no split into groups ending
/// in 族 fits: a name that is its group's (东乡族自治县 → 东乡, called
/// 东乡县), or one whose group is written without 族 (伊犁哈萨克自治州 →
/// 伊犁, where 哈萨克族 is a group other names spell out in `groups`).
fn bare_group_stem(name: &str, groups: &HashMap<String, usize>) -> Option<String> {
    let body = autonomous_body(name)?;
    let stem = match body.strip_suffix('族') {
        Some(group) => group,
        None => groups
            .keys()
            .filter_map(|g| body.strip_suffix(g.strip_suffix('族')?))
            .min_by_key(|stem| stem.chars().count())?,
    };
    (stem.chars().count() >= 2).then(|| stem.to_owned())
}

/// [`short_forms`] with the stem of an autonomous unit already chosen.
fn short_forms_with_stem(name: &str, level: Level, stem: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    let chars = name.chars().count();
    let mut push = |s: &str| {
        if s.chars().count() >= 2 && s != name && !out.iter().any(|o: &String| o == s) {
            out.push(s.to_owned());
        }
    };
    let regex_stem = AUTONOMOUS.captures(name).map(|c| c[1].to_owned());
    if let Some(stem) = stem.map(str::to_owned).or(regex_stem) {
        push(&stem);
        // 黔东南州, 恩施州, 长阳县: the stem with the level's character.
        if let Some(level_char) = name.chars().last() {
            push(&format!("{stem}{level_char}"));
        }
    }
    match level {
        Level::Province => {
            for suffix in [
                "特别行政区",
                "壮族自治区",
                "回族自治区",
                "维吾尔自治区",
                "自治区",
                "省",
                "市",
            ] {
                if let Some(s) = name.strip_suffix(suffix) {
                    push(s);
                    break;
                }
            }
        }
        Level::Prefecture => {
            for suffix in ["地区", "市", "盟"] {
                if let Some(s) = name.strip_suffix(suffix) {
                    push(s);
                    break;
                }
            }
        }
        Level::County => {
            if chars >= 3 && !name.ends_with("自治县") && !name.ends_with("自治旗") {
                for suffix in ["新区", "林区", "特区", "县", "市", "区", "旗"] {
                    if let Some(s) = name.strip_suffix(suffix) {
                        push(s);
                        break;
                    }
                }
            }
        }
    }
    out
}

/// The gazetteer of divisions.
#[derive(Debug, Default)]
pub struct Divisions {
    list: Vec<Division>,
    by_code: rustc_hash::FxHashMap<u32, usize>,
    names: HashMap<String, Vec<(u32, NameForm)>>,
}

impl Divisions {
    /// Parses `divisions.tsv` and `divisions_renamed.tsv`.
    pub fn parse(divisions: &str, renamed: &str) -> Result<Self, LexiconError> {
        let err = |file, line, message: &str| LexiconError {
            file,
            line,
            message: message.to_owned(),
        };
        let mut d = Self::default();
        for (line, f) in tsv_rows(divisions, true) {
            if f.len() != 4 {
                return Err(err(
                    "divisions.tsv",
                    line,
                    "expected code<TAB>name<TAB>level<TAB>parent",
                ));
            }
            let code: u32 = f[0]
                .parse()
                .map_err(|_| err("divisions.tsv", line, "code is not a number"))?;
            let level = match f[2] {
                "province" => Level::Province,
                "prefecture" => Level::Prefecture,
                "county" => Level::County,
                _ => {
                    return Err(err(
                        "divisions.tsv",
                        line,
                        "level is not province|prefecture|county",
                    ));
                }
            };
            let parent = if f[3].is_empty() {
                None
            } else {
                Some(
                    f[3].parse()
                        .map_err(|_| err("divisions.tsv", line, "parent is not a number"))?,
                )
            };
            d.by_code.insert(code, d.list.len());
            d.list.push(Division {
                code,
                name: f[1].to_owned(),
                level,
                parent,
            });
        }
        let stems = autonomous_stems(d.list.iter().map(|d| d.name.as_str()));
        for div in &d.list {
            d.names
                .entry(div.name.clone())
                .or_default()
                .push((div.code, NameForm::Full));
            for s in short_forms_with_stem(
                &div.name,
                div.level,
                stems.get(&div.name).map(String::as_str),
            ) {
                d.names
                    .entry(s)
                    .or_default()
                    .push((div.code, NameForm::Short));
            }
        }
        for (line, f) in tsv_rows(renamed, true) {
            if f.len() != 5 {
                return Err(err("divisions_renamed.tsv", line, "expected 5 fields"));
            }
            let new_code: u32 = f[2]
                .parse()
                .map_err(|_| err("divisions_renamed.tsv", line, "new_code is not a number"))?;
            // Follow chains to the division that exists today.
            let current = d.current_code(new_code, renamed);
            if let Some(code) = current
                && f[1] != f[3]
                && !d
                    .names
                    .get(f[1])
                    .is_some_and(|v| v.iter().any(|(_, form)| *form == NameForm::Full))
            {
                let entry = d.names.entry(f[1].to_owned()).or_default();
                if !entry.iter().any(|(c, _)| *c == code) {
                    entry.push((code, NameForm::Former));
                }
            }
        }
        Ok(d)
    }

    fn current_code(&self, mut code: u32, renamed: &str) -> Option<u32> {
        for _ in 0..8 {
            if self.by_code.contains_key(&code) {
                return Some(code);
            }
            code = tsv_rows(renamed, true)
                .find(|(_, f)| f.first().and_then(|c| c.parse::<u32>().ok()) == Some(code))
                .and_then(|(_, f)| f.get(2).and_then(|c| c.parse().ok()))?;
        }
        None
    }

    /// Number of divisions.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// All divisions, by code.
    pub fn iter(&self) -> impl Iterator<Item = &Division> {
        self.list.iter()
    }

    /// The division with this code.
    pub fn get(&self, code: u32) -> Option<&Division> {
        self.by_code.get(&code).map(|&i| &self.list[i])
    }

    /// Divisions a name may refer to, with the form of the name.
    pub fn lookup(&self, name: &str) -> &[(u32, NameForm)] {
        self.names.get(name).map_or(&[], Vec::as_slice)
    }

    /// Every name (full, short, former) in the gazetteer.
    pub fn names(&self) -> impl Iterator<Item = (&String, &Vec<(u32, NameForm)>)> {
        self.names.iter()
    }

    /// The parent chain of `code`, nearest first (not including `code`).
    pub fn ancestors(&self, code: u32) -> Vec<u32> {
        let mut out = Vec::new();
        let mut at = self.get(code).and_then(|d| d.parent);
        while let Some(c) = at {
            out.push(c);
            at = self.get(c).and_then(|d| d.parent);
        }
        out
    }

    /// The province of `code` (itself when it is one).
    pub fn province_of(&self, code: u32) -> Option<&Division> {
        let d = self.get(code)?;
        if d.level == Level::Province {
            return Some(d);
        }
        self.ancestors(code)
            .into_iter()
            .filter_map(|c| self.get(c))
            .find(|d| d.level == Level::Province)
    }

    /// The prefecture of `code` (itself when it is one).
    pub fn prefecture_of(&self, code: u32) -> Option<&Division> {
        let d = self.get(code)?;
        if d.level == Level::Prefecture {
            return Some(d);
        }
        self.ancestors(code)
            .into_iter()
            .filter_map(|c| self.get(c))
            .find(|d| d.level == Level::Prefecture)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::LEXICON;

    #[test]
    fn short_forms_of_each_level() {
        assert_eq!(short_forms("巨鹿县", Level::County), ["巨鹿"]);
        assert_eq!(short_forms("义乌市", Level::County), ["义乌"]);
        assert_eq!(short_forms("河北省", Level::Province), ["河北"]);
        assert_eq!(short_forms("广西壮族自治区", Level::Province), ["广西"]);
        assert_eq!(short_forms("新疆维吾尔自治区", Level::Province), ["新疆"]);
        assert_eq!(
            short_forms("恩施土家族苗族自治州", Level::Prefecture),
            ["恩施", "恩施州"]
        );
        assert_eq!(
            short_forms("大厂回族自治县", Level::County),
            ["大厂", "大厂县"]
        );
        assert!(short_forms("城区", Level::County).is_empty());
    }

    #[test]
    fn autonomous_stems_come_from_recurring_ethnic_names() {
        let d = &LEXICON.divisions;
        for (short, code) in [
            ("黔东南州", 522600),
            ("黔东南", 522600),
            ("恩施州", 422800),
            ("湘西州", 433100),
            ("延边", 222400),
        ] {
            assert!(
                d.lookup(short).iter().any(|(c, _)| *c == code),
                "{short}: {:?}",
                d.lookup(short)
            );
        }
        assert!(d.lookup("黔东").is_empty());
    }

    #[test]
    fn autonomous_units_named_after_their_group_or_without_zu_have_stems() {
        // Every (short form, code) pair is computed from the official names
        // alone: the group 哈萨克族 and 蒙古族 spelled out in other units.
        let d = &LEXICON.divisions;
        let code_of = |name: &str| {
            d.lookup(name)
                .iter()
                .find(|(_, f)| *f == NameForm::Full)
                .map(|(c, _)| *c)
                .unwrap_or_else(|| panic!("{name} is in the table"))
        };
        for (short, full) in [
            ("东乡县", "东乡族自治县"),
            ("伊犁州", "伊犁哈萨克自治州"),
            ("伊犁", "伊犁哈萨克自治州"),
            ("巴里坤县", "巴里坤哈萨克自治县"),
            ("博尔塔拉", "博尔塔拉蒙古自治州"),
            ("和布克赛尔县", "和布克赛尔蒙古自治县"),
        ] {
            let code = code_of(full);
            assert!(
                d.lookup(short).contains(&(code, NameForm::Short)),
                "{short} → {full}: {:?}",
                d.lookup(short)
            );
        }
    }

    #[test]
    fn seed_places_resolve_with_hierarchy() {
        let d = &LEXICON.divisions;
        let jl = d.get(130529).unwrap();
        assert_eq!(
            (jl.name.as_str(), jl.category()),
            ("巨鹿县", Category::County)
        );
        assert_eq!(d.ancestors(130529), [130500, 130000]);
        assert_eq!(d.prefecture_of(630203).unwrap().name, "海东市");
        assert_eq!(d.province_of(630203).unwrap().name, "青海省");
        assert_eq!(d.get(330782).unwrap().category(), Category::CountyLevelCity);
        assert!(d.lookup("义乌").contains(&(330782, NameForm::Short)));
        assert!(d.lookup("鼓楼区").len() >= 4);
    }

    #[test]
    fn former_names_point_to_current_codes() {
        let d = &LEXICON.divisions;
        let hits = d.lookup("密云县");
        assert!(hits.contains(&(110118, NameForm::Former)), "{hits:?}");
    }
}
