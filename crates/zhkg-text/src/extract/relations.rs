//! Relations from trigger words within a sentence: who operates, funds,
//! publishes or studies what, who partners with whom, and where a programme
//! is located. The subject is the nearest fitting mention before the trigger,
//! the object the nearest fitting one after it.

use std::sync::LazyLock;

use super::phrases::Phrases;
use super::places::code_of;
use super::{Context, EntityKind, Extraction, Mention, Relation, RelationKind};

struct Trigger {
    words: &'static [&'static str],
    kind: RelationKind,
    subject: &'static [EntityKind],
    object: &'static [EntityKind],
    confidence: f32,
}

const TRIGGERS: &[Trigger] = &[
    Trigger {
        words: &["发布了", "发布", "出台了", "出台", "印发"],
        kind: RelationKind::Publishes,
        subject: &[EntityKind::Organization, EntityKind::Place],
        object: &[EntityKind::Document],
        confidence: 0.85,
    },
    Trigger {
        words: &["联合", "携手", "合作"],
        kind: RelationKind::PartnerOf,
        subject: &[EntityKind::Organization],
        object: &[EntityKind::Organization],
        confidence: 0.7,
    },
    Trigger {
        words: &["提供场地", "提供", "投入", "出资", "捐赠", "追加投入"],
        kind: RelationKind::Funds,
        subject: &[EntityKind::Organization],
        object: &[EntityKind::Programme],
        confidence: 0.6,
    },
    Trigger {
        words: &[
            "运营", "设立", "建立", "开展", "开设", "举办", "打造", "引入", "引进", "启动", "推出",
        ],
        kind: RelationKind::Operates,
        subject: &[EntityKind::Organization],
        object: &[EntityKind::Programme],
        confidence: 0.7,
    },
    Trigger {
        words: &["落地", "落户", "入驻", "坐落于", "位于"],
        kind: RelationKind::LocatedIn,
        subject: &[EntityKind::Programme, EntityKind::Organization],
        object: &[EntityKind::Place],
        confidence: 0.7,
    },
    Trigger {
        words: &["选取", "调研", "深入"],
        kind: RelationKind::Studies,
        subject: &[EntityKind::Organization, EntityKind::Document],
        object: &[EntityKind::Place],
        confidence: 0.6,
    },
    Trigger {
        words: &["培训了", "培训", "培养", "授课"],
        kind: RelationKind::Trains,
        subject: &[EntityKind::Organization, EntityKind::Programme],
        object: &[EntityKind::Place, EntityKind::Organization],
        confidence: 0.6,
    },
    Trigger {
        words: &["入职", "就职于", "任职于", "就业于", "受聘于"],
        kind: RelationKind::WorksFor,
        subject: &[EntityKind::Person],
        object: &[EntityKind::Organization, EntityKind::Programme],
        confidence: 0.75,
    },
    Trigger {
        words: &["派驻到", "派驻", "奔赴", "驻"],
        kind: RelationKind::DispatchedTo,
        subject: &[EntityKind::Person],
        object: &[EntityKind::Place],
        confidence: 0.7,
    },
];

/// The words of every trigger, in the order of [`TRIGGERS`].
static TRIGGER_WORDS: LazyLock<Phrases> =
    LazyLock::new(|| Phrases::new(TRIGGERS.iter().flat_map(|t| t.words)));

fn fits(m: &Mention, kinds: &[EntityKind]) -> bool {
    kinds.contains(&m.entity.kind)
        && (m.entity.kind != EntityKind::Place || code_of(&m.entity).is_some())
}

/// Verbs after 由 + organisation that make it the programme's operator or funder.
const PASSIVE_VERBS: &[(&str, RelationKind)] = &[
    ("投资", RelationKind::Funds),
    ("出资", RelationKind::Funds),
    ("提供", RelationKind::Funds),
    ("建设", RelationKind::Operates),
    ("运营", RelationKind::Operates),
    ("主办", RelationKind::Operates),
    ("承办", RelationKind::Operates),
    ("举办", RelationKind::Operates),
    ("组织", RelationKind::Operates),
    ("负责", RelationKind::Operates),
    ("牵头", RelationKind::Operates),
    ("发起", RelationKind::Operates),
];

/// The passive pattern: PROGRAMME (…) 由 ORG (和 ORG) VERB (勐海县电商产业园由
/// 勐海县人民政府投资…建设; 该项目由政府提供场地).
fn passive(cx: &Context<'_>, ex: &Extraction) -> Vec<Relation> {
    let mut out = Vec::new();
    let grouped = by_sentence(cx, ex);
    for s in &cx.sentences {
        let text = cx.slice(s.range.clone());
        for (b, _) in text.match_indices('由') {
            let at = s.range.start + text[..b].chars().count();
            let prog = grouped[s.index]
                .iter()
                .filter(|m| m.range.end <= at && m.entity.kind == EntityKind::Programme)
                .max_by_key(|m| m.range.end);
            let Some(prog) = prog else { continue };
            // Organisations right after 由, joined by 和/与/、.
            let mut orgs = Vec::new();
            let mut pos = at + 1;
            while let Some(m) = ex
                .mentions
                .iter()
                .filter(|m| m.range.start == pos && m.entity.kind == EntityKind::Organization)
                .max_by_key(|m| m.range.end)
            {
                orgs.push(m.entity.clone());
                pos = m.range.end;
                if cx.chars.get(pos).is_some_and(|c| "和与、及".contains(*c)) {
                    pos += 1;
                } else {
                    break;
                }
            }
            let rest = cx.text(pos..(pos + 12).min(s.range.end));
            let Some(&(verb, kind)) = PASSIVE_VERBS
                .iter()
                .filter(|(v, _)| rest.contains(v))
                .min_by_key(|(v, _)| rest.find(v))
            else {
                continue;
            };
            for org in orgs {
                out.push(Relation {
                    subject: org,
                    kind,
                    object: prog.entity.clone(),
                    sentence: s.index,
                    trigger: Some(format!("由…{verb}")),
                    confidence: 0.75,
                });
            }
        }
    }
    out
}

/// Two organisations joined by 与/和/同 in a sentence about cooperation
/// (京东集团与巴东县人民政府签署合作协议) are partners.
fn joint(cx: &Context<'_>, ex: &Extraction) -> Vec<Relation> {
    let mut out = Vec::new();
    let grouped = by_sentence(cx, ex);
    for s in &cx.sentences {
        let text = cx.slice(s.range.clone());
        if !text.contains("合作") && !text.contains("签约") && !text.contains("携手") {
            continue;
        }
        let orgs: Vec<&Mention> = grouped[s.index]
            .iter()
            .copied()
            .filter(|m| m.entity.kind == EntityKind::Organization)
            .collect();
        for a in &orgs {
            let Some(&joiner) = cx.chars.get(a.range.end) else {
                continue;
            };
            if !"与和同".contains(joiner) {
                continue;
            }
            // The partner starts right after the joiner, possibly after its place.
            let partner = orgs
                .iter()
                .filter(|b| {
                    b.range.start > a.range.end
                        && b.range.start <= a.range.end + 24
                        && b.entity != a.entity
                })
                .filter(|b| {
                    !cx.text(a.range.end + 1..b.range.start)
                        .contains([',', '。', ';'])
                })
                .min_by_key(|b| (b.range.start, std::cmp::Reverse(b.range.end)));
            if let Some(b) = partner {
                out.push(Relation {
                    subject: a.entity.clone(),
                    kind: RelationKind::PartnerOf,
                    object: b.entity.clone(),
                    sentence: s.index,
                    trigger: Some(format!("{joiner}…合作")),
                    confidence: 0.7,
                });
            }
        }
    }
    out
}

/// The mentions of each sentence (one pass, so that relation finding stays
/// linear in the article's length).
fn by_sentence<'a>(cx: &Context<'_>, ex: &'a Extraction) -> Vec<Vec<&'a Mention>> {
    let mut v: Vec<Vec<&Mention>> = vec![Vec::new(); cx.sentences.len()];
    for m in &ex.mentions {
        if let Some(s) = v.get_mut(m.sentence) {
            s.push(m);
        }
    }
    v
}

/// Finds relations and adds the sub-organisation links of the entities.
pub fn extract(cx: &Context<'_>, ex: &mut Extraction) {
    let mut found = Vec::new();
    let grouped = by_sentence(cx, ex);
    for s in &cx.sentences {
        let text = cx.slice(s.range.clone());
        let in_sentence: &[&Mention] = grouped.get(s.index).map_or(&[], Vec::as_slice);
        // Outermost mentions only: a place inside a programme name is not a separate argument.
        let outer: Vec<&Mention> = in_sentence
            .iter()
            .copied()
            .filter(|m| {
                !in_sentence.iter().any(|o| {
                    o.range.start <= m.range.start
                        && o.range.end >= m.range.end
                        && o.range != m.range
                })
            })
            .collect();
        // A relation joins two of them.
        if outer.len() < 2 {
            continue;
        }
        let first = TRIGGER_WORDS.first_of_each(text);
        let mut firsts = first.as_slice();
        for t in TRIGGERS {
            // The first occurrence of each of this trigger's words.
            let (own, rest) = firsts.split_at(t.words.len());
            firsts = rest;
            for (w, &b) in t.words.iter().zip(own) {
                let Some(b) = b else { continue };
                let at = s.range.start + text[..b].chars().count();
                let after = at + w.chars().count();
                if outer
                    .iter()
                    .any(|m| m.range.start < after && at < m.range.end)
                {
                    continue; // the trigger is inside a name
                }
                let subj = outer
                    .iter()
                    .filter(|m| m.range.end <= at && fits(m, t.subject))
                    .max_by_key(|m| m.range.end);
                // Whom a training is for is named in its own clause.
                let mut obj = outer
                    .iter()
                    .filter(|m| m.range.start >= after && fits(m, t.object))
                    .filter(|m| {
                        t.kind != RelationKind::Trains
                            || !cx.text(after..m.range.start).contains([',', ';', '。'])
                    })
                    .min_by_key(|m| m.range.start);
                // A chain of places (海东市平安区): the most specific one.
                while let Some(o) = obj {
                    match outer
                        .iter()
                        .find(|m| m.range.start == o.range.end && fits(m, t.object))
                    {
                        Some(next) if o.entity.kind == EntityKind::Place => obj = Some(next),
                        _ => break,
                    }
                }
                if let (Some(sm), Some(om)) = (subj, obj)
                    && sm.entity != om.entity
                {
                    found.push(Relation {
                        subject: sm.entity.clone(),
                        kind: t.kind,
                        object: om.entity.clone(),
                        sentence: s.index,
                        trigger: Some((*w).to_owned()),
                        confidence: t.confidence,
                    });
                }
                break;
            }
        }
    }
    found.extend(passive(cx, ex));
    found.extend(joint(cx, ex));
    found.extend(trained_places(cx, ex));
    // Programmes whose place is unknown take the place of a LocatedIn relation.
    for r in &found {
        if r.kind == RelationKind::LocatedIn
            && let Some(e) = ex.entities.get_mut(&r.subject)
            && e.place.is_none()
        {
            e.place = Some(r.object.clone());
        }
    }
    ex.relations.extend(found);
}

/// Who trains whom, from the figures: a trainee count about an organisation
/// or programme, in a sentence that names a place or says 当地/本地, means
/// the organisation trains people of that place (累计培训上千人次 … 巨鹿).
fn trained_places(cx: &Context<'_>, ex: &Extraction) -> Vec<Relation> {
    let mut out = Vec::new();
    for o in &ex.observations {
        let Some(subject) = &o.subject else { continue };
        if o.metric != "trainees"
            || !matches!(
                subject.kind,
                EntityKind::Organization | EntityKind::Programme
            )
        {
            continue;
        }
        let Some(s) = cx.sentences.get(o.sentence) else {
            continue;
        };
        let in_sentence = ex
            .mentions
            .iter()
            .filter(|m| m.sentence == o.sentence && code_of(&m.entity).is_some())
            .max_by_key(|m| m.range.len())
            .map(|m| m.entity.clone());
        let local = cx.slice(s.range.clone()).contains("当地")
            || cx.slice(s.range.clone()).contains("本地");
        let place = in_sentence.or_else(|| {
            local
                .then(|| {
                    ex.mentions
                        .iter()
                        .filter(|m| m.range.end <= s.range.start && code_of(&m.entity).is_some())
                        .max_by_key(|m| m.range.end)
                        .map(|m| m.entity.clone())
                })
                .flatten()
        });
        if let Some(place) = place
            && place != *subject
        {
            out.push(Relation {
                subject: subject.clone(),
                kind: RelationKind::Trains,
                object: place,
                sentence: o.sentence,
                trigger: None,
                confidence: 0.5,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::extract::RelationKind;

    /// (subject label, kind, object label) of every relation in `text`.
    fn relations(text: &str) -> Vec<(String, RelationKind, String)> {
        let ex = crate::extract::table::extraction(text);
        let label = |k| {
            ex.entities
                .get(k)
                .map_or(String::new(), |e| e.label.clone())
        };
        ex.relations
            .iter()
            .map(|r| (label(&r.subject), r.kind, label(&r.object)))
            .collect()
    }

    /// Passages written for this table: each must yield the relation given.
    const CASES: &[(&str, (&str, RelationKind, &str))] = &[
        (
            "客服组长赵晓梅2021年入职阿里巴巴张北县客户体验中心。",
            (
                "赵晓梅",
                RelationKind::WorksFor,
                "阿里巴巴张北县客户体验中心",
            ),
        ),
        (
            "张北县电商协会今年累计培训3000人次，学员大多来自张北县。",
            ("张北县电商协会", RelationKind::Trains, "张北县"),
        ),
        (
            "阿里巴巴公益在张北县设立了数字就业中心。",
            (
                "阿里巴巴公益",
                RelationKind::Operates,
                "阿里巴巴公益张北县数字就业中心",
            ),
        ),
    ];

    #[test]
    fn relation_table() {
        let mut failures = Vec::new();
        for (text, (s, k, o)) in CASES {
            let got = relations(text);
            if !got.iter().any(|(gs, gk, go)| gs == s && gk == k && go == o) {
                failures.push(format!("{text}: want {s} {k:?} {o}, got {got:?}"));
            }
        }
        // A trainer named after the training's clause is not whom it trains.
        let got = relations("阿里公益开展电商培训，邀请淘宝大学讲师授课。");
        assert!(
            !got.iter()
                .any(|(_, k, o)| *k == RelationKind::Trains && o == "淘宝大学"),
            "{got:?}"
        );
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
