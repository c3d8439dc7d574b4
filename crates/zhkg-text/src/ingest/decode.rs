//! Bytes → text: BOM sniffing, UTF-8 validation, and legacy Chinese encodings
//! (GB18030/GBK, Big5) guessed with `chardetng` and decoded with `encoding_rs`.

use encoding_rs::Encoding;

use crate::error::IngestError;

/// The result of decoding one file.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The decoded text, without any byte-order mark.
    pub text: String,
    /// The WHATWG name of the encoding used (`UTF-8`, `gb18030`, `Big5`, `UTF-16LE`, …).
    pub encoding: &'static str,
    /// How many malformed sequences were replaced with U+FFFD.
    pub replaced: usize,
}

/// Decodes `bytes`, detecting the encoding unless `forced` names one.
///
/// Refuses empty input and input that looks binary (NUL bytes or many control
/// characters outside UTF-16).
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Decoded, IngestError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(IngestError::Empty);
    }
    let bom = match forced {
        None => Encoding::for_bom(bytes),
        Some(_) => None,
    };
    // Valid UTF-8 without a byte-order mark, the usual case, is taken as
    // it is: decoding it would validate it a second time.
    let utf8 = match (forced, bom) {
        (None, None) => std::str::from_utf8(bytes).ok(),
        _ => None,
    };
    let (encoding, text, had_errors) = if let Some(text) = utf8 {
        (encoding_rs::UTF_8, text.to_owned(), false)
    } else {
        let (encoding, bom_len) = match (forced, bom) {
            (Some(e), _) => (e, 0),
            (None, Some((e, len))) => (e, len),
            (None, None) => (sniff(bytes)?, 0),
        };
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        (encoding, text.into_owned(), had_errors)
    };
    let replaced = if had_errors {
        text.chars().filter(|&c| c == '\u{FFFD}').count()
    } else {
        0
    };
    if looks_binary(&text) {
        return Err(IngestError::Binary);
    }
    Ok(Decoded {
        text,
        encoding: encoding.name(),
        replaced,
    })
}

/// Looks up an encoding by label (`gbk`, `gb18030`, `big5`, `utf-16le`, …).
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes())
}

/// The encoding of `bytes`, which are not valid UTF-8 and have no
/// byte-order mark.
fn sniff(bytes: &[u8]) -> Result<&'static Encoding, IngestError> {
    // UTF-16 without a BOM: many NULs at alternating positions.
    let nul_even = bytes.iter().step_by(2).filter(|&&b| b == 0).count();
    let nul_odd = bytes.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let half = bytes.len() / 2;
    if half > 8 && nul_odd * 3 > half && nul_even * 10 < half {
        return Ok(encoding_rs::UTF_16LE);
    }
    if half > 8 && nul_even * 3 > half && nul_odd * 10 < half {
        return Ok(encoding_rs::UTF_16BE);
    }
    if bytes.contains(&0) {
        return Err(IngestError::Binary);
    }
    // A file that is UTF-8 except for a truncated last character.
    if let Err(e) = std::str::from_utf8(bytes)
        && e.error_len().is_none()
        && e.valid_up_to() + 4 > bytes.len()
    {
        return Ok(encoding_rs::UTF_8);
    }
    // Chinese text in UTF-8 with a few bad bytes (a damaged download, a
    // character lost in copying): UTF-8 with replacements, not a guess that
    // would turn all of it into mojibake.
    let lossy = String::from_utf8_lossy(bytes);
    let han = lossy
        .chars()
        .filter(|&c| crate::ingest::normalize::is_han(c))
        .count();
    let bad = lossy.chars().filter(|&c| c == '\u{FFFD}').count();
    if han >= 4 && bad * 4 <= han {
        return Ok(encoding_rs::UTF_8);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    // Not the last chunk: a file cut inside a character must not disqualify
    // its real encoding.
    detector.feed(bytes, false);
    let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
    // Between the Chinese encodings, chardetng decides; anything else that is
    // mostly valid UTF-8 stays UTF-8 with replacements.
    if guess == encoding_rs::GBK || guess == encoding_rs::GB18030 {
        return Ok(encoding_rs::GB18030);
    }
    if guess == encoding_rs::BIG5 {
        return Ok(guess);
    }
    let valid = String::from_utf8_lossy(bytes);
    let bad = valid.chars().filter(|&c| c == '\u{FFFD}').count();
    if bad * 50 < valid.chars().count() {
        return Ok(encoding_rs::UTF_8);
    }
    Ok(guess)
}

/// Control characters (NUL among them) in more than a tenth of the text, or
/// replacement characters in more than a third of it (a few bad bytes in
/// Chinese text are damage, not binary data; a stray NUL is read as a space
/// later).
fn looks_binary(text: &str) -> bool {
    let mut total = 0usize;
    let mut control = 0usize;
    let mut replaced = 0usize;
    for c in text.chars().take(65_536) {
        total += 1;
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}') {
            control += 1;
        } else if c == '\u{FFFD}' {
            replaced += 1;
        }
    }
    total > 0 && (control * 10 > total || replaced * 3 > total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode("巨鹿县".as_bytes(), None).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("巨鹿县", "UTF-8"));
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice("巨鹿县".as_bytes());
        assert_eq!(decode(&b, None).unwrap().text, "巨鹿县");
    }

    #[test]
    fn gb18030_and_big5_are_detected() {
        let text = "阿里巴巴在巨鹿探索数字化就业助力乡村振兴，为当地提供就业岗位、吸引人才回流。";
        let (gb, _, _) = encoding_rs::GB18030.encode(text);
        let d = decode(&gb, None).unwrap();
        assert_eq!(d.text, text);
        let trad = "阿里巴巴在巨鹿探索數字化就業助力鄉村振興，為當地提供就業崗位、吸引人才回流。";
        let (b5, _, _) = encoding_rs::BIG5.encode(trad);
        let d = decode(&b5, None).unwrap();
        assert_eq!(d.text, trad);
        assert_eq!(d.encoding, "Big5");
    }

    #[test]
    fn utf16_with_bom() {
        let mut b = vec![0xFF, 0xFE];
        for u in "义乌市".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&b, None).unwrap().text, "义乌市");
    }

    #[test]
    fn empty_and_binary_are_refused() {
        assert!(matches!(decode(b"  \n", None), Err(IngestError::Empty)));
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0";
        assert!(matches!(decode(png, None), Err(IngestError::Binary)));
    }

    #[test]
    fn invalid_sequences_are_counted_not_fatal() {
        let mut b = "数字客服县项目为当地提供就业岗位".as_bytes().to_vec();
        b.insert(6, 0xFF);
        let d = decode(&b, Some(encoding_rs::UTF_8)).unwrap();
        assert_eq!(d.replaced, 1);
    }
}
