//! Surveys: a study that an organisation's team carries out
//! (…大学…调研团队赴7个省…, …研究院课题组发放问卷…). The survey is a
//! programme of kind `survey`, named after the organisation
//! (清华大学调研), run by it, with the team's words as an alias, so that
//! the figures of its sample (provinces visited, people interviewed,
//! questionnaires) are about the survey and not about the places it went to
//! or the people it met.

use super::{Category, Context, Entity, EntityKey, EntityKind, Extraction, Relation, RelationKind};

/// Words for the team that carries out a study.
const TEAM_WORDS: &[&str] = &[
    "调研团队",
    "调研小组",
    "调研组",
    "调查组",
    "调查团队",
    "课题组",
    "研究团队",
];

/// The most characters between the organisation and the team's words: a
/// person and a title (杨某某教授), a department (公共管理学院).
const MAX_GAP: usize = 10;

/// Finds surveys: a team word right after an organisation in the same
/// clause (nothing between them but a department, a person or a title).
pub fn extract(cx: &Context<'_>, ex: &mut Extraction) {
    let text = cx.string.as_str();
    let mut found = Vec::new();
    for word in TEAM_WORDS {
        for b in super::phrases::occurrences(text, word) {
            let start = cx.char_at_byte(b);
            let end = start + word.chars().count();
            if !cx.token_starts.contains(&start) {
                continue;
            }
            let Some(org) = ex
                .mentions
                .iter()
                .filter(|m| m.entity.kind == EntityKind::Organization && m.range.end <= start)
                .max_by_key(|m| m.range.end)
            else {
                continue;
            };
            let gap = cx.slice(org.range.end..start);
            // Only nouns between (a department, a person, a title): a verb
            // makes the organisation something else than the team's
            // (…、阿里研究院组成联合课题组 is a joint team of a list).
            let nouns_only = cx
                .tokens_in(org.range.end..start)
                .iter()
                .all(|t| t.tag.starts_with('n') || t.tag == "r" || t.word == "的");
            let listed = org
                .range
                .start
                .checked_sub(1)
                .is_some_and(|i| matches!(cx.chars.get(i), Some('、' | '和' | '与')));
            if start - org.range.end > MAX_GAP
                || gap.contains(|c: char| ",;:。!?、()\"“”".contains(c))
                || !nouns_only
                || listed
            {
                continue;
            }
            found.push((org.entity.clone(), org.range.start..end, word.to_string()));
        }
    }
    found.sort_by_key(|(_, r, _)| r.start);
    let mut taken = super::SpanSet::of(&ex.mentions, |m| m.entity.kind != EntityKind::Place);
    let mut surveys: Vec<String> = Vec::new();
    for (org, range, word) in found {
        let Some(owner) = ex.entities.get(&org).map(|e| e.label.clone()) else {
            continue;
        };
        let label = format!("{owner}调研");
        let key = ex.add_entity(Entity::new(
            EntityKey::new(EntityKind::Programme, label.as_str()),
            label.as_str(),
            Category::Survey,
        ));
        if let Some(e) = ex.entities.get_mut(&key) {
            e.aliases.insert(word.clone());
        }
        let sentence = cx.sentence_of(range.start);
        taken.insert(range.clone());
        ex.mentions.push(cx.mention(key.clone(), range));
        surveys.push(word);
        if !ex
            .relations
            .iter()
            .any(|r| r.subject == org && r.object == key)
        {
            ex.relations.push(Relation {
                subject: org,
                kind: RelationKind::Operates,
                object: key,
                sentence,
                trigger: None,
                confidence: 0.7,
            });
        }
    }
    surveys.sort();
    surveys.dedup();
    // The team's words alone later in the article (调研团队对…进行访谈)
    // mention the last survey named before them.
    let mut later = Vec::new();
    for word in &surveys {
        for b in super::phrases::occurrences(text, word) {
            let start = cx.char_at_byte(b);
            let range = start..start + word.chars().count();
            if taken.crosses(&range) || taken.covers(&range) {
                continue;
            }
            let Some(key) = ex
                .mentions
                .iter()
                .filter(|m| m.range.end <= start && is_survey(ex, &m.entity))
                .max_by_key(|m| m.range.end)
                .map(|m| m.entity.clone())
            else {
                continue;
            };
            taken.insert(range.clone());
            later.push(cx.mention(key, range));
        }
    }
    ex.mentions.extend(later);
}

/// True for a survey.
pub fn is_survey(ex: &Extraction, key: &EntityKey) -> bool {
    ex.entities
        .get(key)
        .is_some_and(|e| e.category == Category::Survey)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::table;

    #[test]
    fn a_team_after_an_organisation_makes_a_survey() {
        // (passage, surveys wanted, labels not wanted)
        let cases: &[(&str, &[&str], &[&str])] = &[
            (
                "今年夏天，复旦大学王某某教授调研团队先后赴5个省开展实地走访。",
                &["复旦大学调研"],
                &[],
            ),
            (
                "浙江大学课题组在丽水市发放问卷900份。",
                &["浙江大学调研"],
                &[],
            ),
            // A team without an organisation before it is no survey.
            ("调研团队在当地走访了两周。", &[], &["调研"]),
            // A joint team of several organisations is no one's survey.
            (
                "由清华大学、复旦大学组成联合课题组开展调研。",
                &[],
                &["复旦大学调研", "清华大学调研"],
            ),
            // Another clause: the organisation is not the team's.
            (
                "阿里巴巴建立了客服中心，调研团队随后到访。",
                &[],
                &["阿里巴巴集团调研"],
            ),
        ];
        let failures = table::check(EntityKind::Programme, cases);
        assert!(failures.is_empty(), "{failures:#?}");
    }

    #[test]
    fn the_teams_words_later_in_the_article_mention_the_survey() {
        let ex = table::extraction("复旦大学调研团队赴5个省走访。调研团队对120人进行深度访谈。");
        let survey = EntityKey::new(EntityKind::Programme, "复旦大学调研");
        assert_eq!(ex.mentions.iter().filter(|m| m.entity == survey).count(), 2);
        assert!(ex.relations.iter().any(|r| r.object == survey
            && r.kind == RelationKind::Operates
            && r.subject.kind == EntityKind::Organization));
    }
}
