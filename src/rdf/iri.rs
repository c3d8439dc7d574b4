//! Minting IRIs: deterministic, ASCII (non-ASCII characters are
//! percent-encoded as UTF-8), so that the same entity gets the same IRI in
//! every article and every run, and every RDF tool accepts it.

use oxigraph::model::NamedNode;

use super::vocab::{ID, METRIC, UNIT};
use crate::extract::{EntityKey, Unit};
use crate::ingest::{ArticleId, OriginalSpan};

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    push_encoded(&mut out, s);
    out
}

/// Appends `s` percent-encoded (as [`encode_segment`]) to `out`. The
/// encoded bytes are written to a buffer on the stack and appended a
/// bufferful at a time: appending the three characters of each byte of a
/// Chinese name one by one took three times the instructions.
fn push_encoded(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut buf = [0u8; 96];
    let mut n = 0;
    for b in s.bytes() {
        if n + 3 > buf.len() {
            out.push_str(ascii(&buf[..n]));
            n = 0;
        }
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            buf[n] = b;
            n += 1;
        } else {
            buf[n..n + 3].copy_from_slice(&[
                b'%',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 15)],
            ]);
            n += 3;
        }
    }
    out.push_str(ascii(&buf[..n]));
}

/// Bytes that [`push_encoded`] wrote, all ASCII, as text.
fn ascii(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).expect("percent-encoding writes ASCII only")
}

/// Decodes a percent-encoded segment (for display).
pub fn decode_segment(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len() + 1
            && let Some(h) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(h);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn node(iri: String) -> NamedNode {
    NamedNode::new_unchecked(iri)
}

/// The IRI of an entity: `id/place/130529`, `id/org/<name>`, `id/person/<name@affiliation>`.
pub fn entity(key: &EntityKey) -> NamedNode {
    let mut iri = String::with_capacity(ID.len() + 16 + key.local.len() * 3);
    iri.push_str(ID);
    iri.push_str(key.kind.segment());
    // Each '/'-separated part of the local id is encoded on its own.
    for part in key.local.split('/') {
        iri.push('/');
        push_encoded(&mut iri, part);
    }
    node(iri)
}

/// The IRI of an article, which is also the name of its graph.
pub fn article(id: &ArticleId) -> NamedNode {
    node(format!("{ID}article/{}", encode_segment(id.as_str())))
}

/// The IRI of a string of an article's text (a sentence, a mention, a
/// date): the article's IRI with an RFC 5147 fragment giving its character
/// offsets in the original text (`…/article/x#char=10,15`), the way NIF 2.0
/// names strings. The offsets are in the IRI, so no triples repeat them.
pub fn span(article: &NamedNode, span: OriginalSpan) -> NamedNode {
    node(format!(
        "{}#char={},{}",
        article.as_str(),
        span.start,
        span.end
    ))
}

/// The character offsets an RFC 5147 IRI of [`span`] carries.
pub fn span_of(iri: &str) -> Option<OriginalSpan> {
    let (_, frag) = iri.rsplit_once("#char=")?;
    let (b, e) = frag.split_once(',')?;
    Some(OriginalSpan::new(b.parse().ok()?, e.parse().ok()?))
}

/// The IRI of relation assertion `n` of an article.
pub fn relation(id: &ArticleId, n: usize) -> NamedNode {
    node(format!(
        "{ID}article/{}/relation/{n}",
        encode_segment(id.as_str())
    ))
}

/// The IRI of a metric concept.
pub fn metric(notation: &str) -> NamedNode {
    node(format!("{METRIC}{notation}"))
}

/// The IRI of a unit: QUDT where QUDT has the unit, else a zhkg individual.
pub fn unit(u: Unit) -> NamedNode {
    const QUDT: &str = "http://qudt.org/vocab/unit/";
    node(match u {
        Unit::Cny => format!("{QUDT}CCY_CNY"),
        Unit::Percent => format!("{QUDT}PERCENT"),
        Unit::Year => format!("{QUDT}YR"),
        Unit::Month => format!("{QUDT}MO"),
        Unit::Day => format!("{QUDT}DAY"),
        Unit::Hour => format!("{QUDT}HR"),
        Unit::Minute => format!("{QUDT}MIN"),
        Unit::M2 => format!("{QUDT}M2"),
        Unit::Tonne => format!("{QUDT}TONNE"),
        Unit::Km => format!("{QUDT}KiloM"),
        Unit::Person => format!("{UNIT}person"),
        Unit::PersonTime => format!("{UNIT}person-time"),
        Unit::Count => format!("{UNIT}count"),
        Unit::Times => format!("{UNIT}times"),
        Unit::Mu => format!("{UNIT}mu"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::EntityKind;

    #[test]
    fn iris_are_ascii_and_deterministic() {
        let k = EntityKey::new(EntityKind::Organization, "阿里巴巴集团");
        let a = entity(&k);
        assert!(a.as_str().is_ascii());
        assert_eq!(a, entity(&k));
        assert_eq!(
            entity(&EntityKey::new(EntityKind::Place, "130529")).as_str(),
            "https://w3id.org/zhkg/id/place/130529"
        );
        assert_eq!(
            decode_segment(&encode_segment("周建华@阿里 巴巴")),
            "周建华@阿里 巴巴"
        );
    }

    /// Unreserved characters stay; every other byte is `%XX`, also across
    /// the encoder's buffer (a name longer than 32 encoded bytes).
    #[test]
    fn segments_are_percent_encoded_byte_by_byte() {
        let long = "浙江省金华市义乌市电子商务人才培训中心".repeat(3);
        let table: &[(&str, String)] = &[
            ("", String::new()),
            ("AZaz09-._~", "AZaz09-._~".to_owned()),
            (" /?#%@+", "%20%2F%3F%23%25%40%2B".to_owned()),
            ("县", "%E5%8E%BF".to_owned()),
            ("a县b", "a%E5%8E%BFb".to_owned()),
            ("é~", "%C3%A9~".to_owned()),
            (
                &long,
                long.bytes()
                    .map(|b| format!("%{b:02X}"))
                    .collect::<String>(),
            ),
        ];
        for (raw, encoded) in table {
            assert_eq!(&encode_segment(raw), encoded, "{raw}");
            assert_eq!(&decode_segment(encoded), raw);
        }
    }

    #[test]
    fn string_iris_carry_their_offsets_as_rfc_5147_fragments() {
        let a = article(&ArticleId::new("county-jobs"));
        let m = span(&a, OriginalSpan::new(10, 15));
        assert_eq!(
            m.as_str(),
            "https://w3id.org/zhkg/id/article/county-jobs#char=10,15"
        );
        assert_eq!(span_of(m.as_str()), Some(OriginalSpan::new(10, 15)));
        assert_eq!(span_of(a.as_str()), None);
        assert_eq!(span_of("x#char=3"), None);
    }
}
