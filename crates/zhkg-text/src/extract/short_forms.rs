//! Short forms an article defines for a name it has just written:
//! `X(下称“Y”)`, `X（以下简称Y）`, `X（以下简称《Y》）`, `X，简称“Y”`, and a bare abbreviation or
//! acronym in brackets, `X(Y)`, when Y's characters all come from X in
//! order (中华全国妇女联合会（全国妇联）) or Y is a Latin acronym. Y becomes an
//! alias of X's entity, and an entity the extractors made of Y alone (a
//! programme 寻乌中心 beside 阿里巴巴寻乌客户体验中心) is merged into it, so
//! that one thing is one node and later mentions of Y find it.

use std::sync::LazyLock;

use regex::Regex;

use super::{Context, EntityKey, Extraction};

/// `(` + a defining word + the short form + `)` right after a name, or
/// `，简称“…”`. Group 1 is the defining word (absent in a bare bracket),
/// group 2 the short form.
static DEFINITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"^[”"」』》]?(?:[(（]\s*(以下简称|以下称|以下统称|下文简称|下称|简称|统称)?[:：]?\s*[“"「『《]?([^“”"「」『』《》()（）,，。;；、]{2,16}?)[”"」』》]?\s*[)）]|[,，]\s*(?:以下)?(简称|称|统称)[“"「『《]([^“”"「」『』《》()（）,，。;；、]{2,16})[”"」』》])"#,
    )
    .expect("valid regex")
});

/// Finds the short forms the article defines and attaches them.
pub fn extract(cx: &Context<'_>, ex: &mut Extraction) {
    let named: Vec<(EntityKey, usize)> = ex
        .mentions
        .iter()
        .filter(|m| m.entity.kind.is_written_name())
        .map(|m| (m.entity.clone(), m.range.end))
        .collect();
    let len = cx.chars.len();
    for (key, end) in named {
        let after = cx.slice(end..(end + 28).min(len));
        let Some(caps) = DEFINITION.captures(after) else {
            continue;
        };
        let defined = caps.get(1).or_else(|| caps.get(3)).is_some();
        let Some(short) = caps
            .get(2)
            .or_else(|| caps.get(4))
            .map(|m| m.as_str().trim())
        else {
            continue;
        };
        let Some(label) = ex.entities.get(&key).map(|e| e.label.clone()) else {
            continue;
        };
        if short == label || !(defined || abbreviates(short, &label)) {
            continue;
        }
        define(ex, &key, short);
    }
}

/// Makes `short` an alias of `key`'s entity and merges into it another
/// entity of the same kind that has `short` as its name.
fn define(ex: &mut Extraction, key: &EntityKey, short: &str) {
    let other = ex
        .entities
        .values()
        .find(|e| e.key != *key && e.key.kind == key.kind && e.label == short)
        .map(|e| e.key.clone());
    if let Some(other) = other {
        ex.merge_entity(&other, key);
    }
    if let Some(e) = ex.entities.get_mut(key) {
        e.aliases.insert(short.to_owned());
    }
}

/// True when `short` reads as an abbreviation of `long` without a defining
/// word: a Latin acronym (WTO), or two or more characters of `long` in
/// order, shorter than it.
fn abbreviates(short: &str, long: &str) -> bool {
    if short
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && short.chars().any(|c| c.is_ascii_uppercase())
    {
        return short.len() >= 2;
    }
    let n = short.chars().count();
    if n < 2 || n >= long.chars().count() {
        return false;
    }
    let mut rest = long.chars();
    short.chars().all(|c| rest.any(|l| l == c))
}

#[cfg(test)]
mod tests {
    use super::super::{EntityKind, table};
    use super::*;

    #[test]
    fn short_forms_are_aliases_of_the_name_they_follow() {
        // (text, kind, full name, short form that must be its alias)
        let cases = [
            (
                "阿里巴巴桐庐客户体验中心(下称“桐庐中心”)已招收客服120人。桐庐中心的员工大多是返乡青年。",
                EntityKind::Programme,
                "阿里巴巴桐庐客户体验中心",
                "桐庐中心",
            ),
            (
                "中华全国妇女联合会（以下简称“全国妇联”）与蚂蚁集团签署协议。",
                EntityKind::Organization,
                "中华全国妇女联合会",
                "全国妇联",
            ),
            (
                "“乡村数字工匠培养计划”（简称“工匠计划”）今年在三个县落地。",
                EntityKind::Programme,
                "乡村数字工匠培养计划",
                "工匠计划",
            ),
            // A document's short title in its own title marks.
            (
                "县政府印发《青山县农村电商人才培育实施方案》（以下简称《方案》），明确了补贴标准。",
                EntityKind::Document,
                "青山县农村电商人才培育实施方案",
                "方案",
            ),
        ];
        for (text, kind, full, short) in cases {
            let ex = table::extraction(text);
            let key = EntityKey::new(kind, full);
            let e = ex
                .entities
                .get(&key)
                .unwrap_or_else(|| panic!("{full} not found in {text}: {:?}", ex.entities.keys()));
            assert!(e.aliases.contains(short), "{text}: {:?}", e.aliases);
            assert!(
                !ex.entities.values().any(|e| e.label == short),
                "{text}: {short} is still an entity of its own"
            );
        }
    }

    #[test]
    fn abbreviations_without_a_defining_word() {
        // (short, long, reads as its abbreviation)
        let cases = [
            ("全国妇联", "中华全国妇女联合会", true),
            ("WTO", "世界贸易组织", true),
            ("桐庐中心", "阿里巴巴桐庐客户体验中心", true),
            ("中国", "阿里巴巴集团", false),
            ("试点", "乡村数字工匠培养计划", false),
            ("计划", "计划", false),
            ("A", "世界贸易组织", false),
        ];
        for (short, long, want) in cases {
            assert_eq!(abbreviates(short, long), want, "{short} / {long}");
        }
    }
}
