//! Number parsing: Chinese and Arabic numerals, multipliers, fractions and
//! the quantity finder, on any text. Values must be finite, not negative,
//! and writable as `xsd:decimal`; ranges must lie in the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhkg_text::extract::numbers::{
    decimal, find_quantities, parse_chinese_int, parse_fraction_percent, parse_number,
};
use zhkg_fuzz::{check_quantities, check_value};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    check_quantities(text, &find_quantities(text));
    // The parsers on their own: no panic on anything; on numerals (what the
    // quantity pattern hands them) a writable value.
    let numeral = !text.is_empty()
        && text
            .chars()
            .all(|c| "零〇一二两三四五六七八九十百千万亿".contains(c));
    if let Some(v) = parse_chinese_int(text)
        && numeral
    {
        check_value(v, "parse_chinese_int");
    }
    if let Some(v) = parse_number(text) {
        let _ = decimal(v);
        if numeral {
            check_value(v, "parse_number");
        }
    }
    if let Some(v) = parse_fraction_percent(text) {
        let _ = decimal(v);
    }
});
