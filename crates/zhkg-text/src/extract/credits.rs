//! Who made the article: its publisher, authors and editors, read from the
//! metadata (front matter, HTML meta, bylines) rather than the text.
//!
//! The publisher is an organisation of kind `publisher`; each author and
//! editor is a person scoped to the publisher (or to the article when there
//! is none), with 记者 or 编辑 as role and the publisher as affiliation. They
//! have no mentions: the graph links them to the article
//! (`schema:publisher`, `schema:author`, `schema:editor`), not to its words.

use super::{Category, Details, Entity, EntityKey, EntityKind, Extraction};
use crate::ingest::Article;

/// The article's credits, as keys of entities in the extraction.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Credits {
    /// The publisher.
    pub publisher: Option<EntityKey>,
    /// The publisher's channel or section (`青海频道`).
    pub channel: Option<String>,
    /// Authors and reporters.
    pub authors: Vec<EntityKey>,
    /// Editors.
    pub editors: Vec<EntityKey>,
}

/// Adds the publisher, authors and editors of `article` to `ex` (the
/// publisher only when the text has not already named it as an
/// organisation) and records them in `ex.credits`.
pub fn extract(article: &Article, ex: &mut Extraction) {
    let m = &article.meta;
    let publisher = m.publisher.as_ref().map(|p| {
        let key = EntityKey::new(EntityKind::Organization, p.as_str());
        if !ex.entities.contains_key(&key) {
            ex.entities.insert(
                key.clone(),
                Entity::new(key.clone(), p.as_str(), Category::Publisher),
            );
        }
        key
    });
    let scope = m
        .publisher
        .clone()
        .unwrap_or_else(|| format!("article:{}", article.id));
    let mut people = |names: &[String], role: &str| -> Vec<EntityKey> {
        names
            .iter()
            .map(|n| {
                let key = EntityKey::new(EntityKind::Person, format!("{n}@{scope}"));
                let mut e = Entity::new(key.clone(), n.as_str(), Category::Person);
                e.details = Details::Person {
                    role: Some(role.to_owned()),
                    affiliation: publisher.clone(),
                };
                ex.entities.insert(key.clone(), e);
                key
            })
            .collect()
    };
    let authors = people(&m.authors, "记者");
    let editors = people(&m.editors, "编辑");
    ex.credits = Credits {
        publisher,
        channel: m.channel.clone(),
        authors,
        editors,
    };
}

#[cfg(test)]
mod tests {
    use crate::ingest::{ArticleId, parse_article};

    #[test]
    fn credits_come_from_the_metadata() {
        let md = "---\ntitle: 县里来了新主播\nsource: 山河日报\nauthor: 陈明\n---\n\n村里办起了直播间，每天都有人来看。\n\n（责任编辑：王丽）\n";
        let a = parse_article(
            ArticleId::new("t"),
            md.as_bytes(),
            Some("md"),
            &Default::default(),
        )
        .unwrap();
        let ex = crate::extract::extract(&a);
        let c = &ex.credits;
        let publisher = c.publisher.as_ref().expect("publisher");
        assert_eq!(ex.entities[publisher].category, super::Category::Publisher);
        assert_eq!(c.authors.len(), 1);
        let author = &ex.entities[&c.authors[0]];
        assert_eq!(
            (author.label.as_str(), author.role()),
            ("陈明", Some("记者"))
        );
        assert_eq!(author.affiliation(), Some(publisher));
        assert_eq!(ex.entities[&c.editors[0]].role(), Some("编辑"));
        // Credits are no mentions of the text.
        assert!(ex.mentions.iter().all(|m| m.entity != c.authors[0]));
    }
}
