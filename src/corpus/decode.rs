//! Bytes → text: BOM sniffing, UTF-8, UTF-16 (with or without BOM), GB18030/GBK
//! and other legacy encodings detected by `chardetng`, binary rejection.

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

/// Why a file could not be turned into text.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    /// NUL bytes or many control characters: not a text file.
    #[error("binary file (contains {0}); not a text document")]
    Binary(&'static str),
    /// Too many bytes that decode to nothing in any plausible encoding.
    #[error("cannot decode: {invalid} of {total} characters are invalid in {encoding}")]
    Undecodable {
        /// Encoding that was tried last.
        encoding: &'static str,
        /// Number of replacement characters produced.
        invalid: usize,
        /// Number of characters decoded.
        total: usize,
    },
}

/// Decoded text of one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The text, with `\n` line ends and no BOM.
    pub text: String,
    /// Name of the encoding used.
    pub encoding: &'static str,
    /// Non-fatal problems, e.g. replaced bytes.
    pub warnings: Vec<String>,
}

/// Decodes a file's bytes, detecting the encoding.
pub fn decode_bytes(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return finish(&text, encoding, had_errors);
    }
    // The SIMD check: most files are UTF-8, and std's check was 2 % of the analysis's profile.
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        if text.contains('\0') {
            return utf16_without_bom(bytes).ok_or(DecodeError::Binary("NUL bytes"));
        }
        return finish(text, UTF_8, false);
    }
    if bytes.contains(&0) {
        return utf16_without_bom(bytes).ok_or(DecodeError::Binary("NUL bytes"));
    }
    // Not UTF-8: a few bad bytes in otherwise valid UTF-8 stay UTF-8 (with a
    // warning); anything else goes to chardetng's guess.
    let invalid_utf8 = count_invalid_utf8(bytes);
    // A few damaged sequences (each may count as up to four errors) in
    // otherwise valid UTF-8: keep UTF-8 and replace them.
    if invalid_utf8 <= 12.max(bytes.len() / 400) {
        let text = String::from_utf8_lossy(bytes).into_owned();
        return finish(&text, UTF_8, true);
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let guess = detector.guess(None, true);
    // chardetng answers GBK for Chinese; GB18030 is its superset, so decode with that.
    let encoding = if guess == encoding_rs::GBK { GB18030 } else { guess };
    if let Some(decoded) = utf16_without_bom(bytes) {
        // CJK text in UTF-16 without a BOM has no NUL bytes; prefer it when it
        // is clearly more plausible than the legacy guess.
        let (legacy, _) = encoding.decode_without_bom_handling(bytes);
        if plausibility(&decoded.text) > plausibility(&legacy) + 0.1 {
            return Ok(decoded);
        }
    }
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    finish(&text, encoding, had_errors)
}

fn finish(text: &str, encoding: &'static Encoding, had_errors: bool) -> Result<Decoded, DecodeError> {
    let mut warnings = Vec::new();
    if text.contains('\0') {
        return Err(DecodeError::Binary("NUL characters"));
    }
    let (total, controls) = (text.chars().count(), count_binary_controls(text));
    if controls > 8.max(total / 100) {
        return Err(DecodeError::Binary("control characters"));
    }
    if had_errors {
        let invalid = text.chars().filter(|&c| c == char::REPLACEMENT_CHARACTER).count();
        if invalid * 20 > total.max(1) {
            return Err(DecodeError::Undecodable { encoding: encoding.name(), invalid, total });
        }
        warnings.push(format!("{invalid} invalid byte sequence(s) in {} replaced with U+FFFD", encoding.name()));
    }
    let text = normalize_line_ends(text.strip_prefix('\u{feff}').unwrap_or(text));
    Ok(Decoded { text, encoding: encoding.name(), warnings })
}

/// Tries UTF-16LE and UTF-16BE for a file with no BOM; returns the plausible one.
fn utf16_without_bom(bytes: &[u8]) -> Option<Decoded> {
    if bytes.len() < 2 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let mut best: Option<(f64, &'static Encoding, String)> = None;
    for encoding in [UTF_16LE, UTF_16BE] {
        let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
        if had_errors || text.contains('\0') {
            continue;
        }
        let score = plausibility(&text);
        if score >= 0.9 && best.as_ref().is_none_or(|(s, _, _)| score > *s) {
            best = Some((score, encoding, text.into_owned()));
        }
    }
    let (_, encoding, text) = best?;
    finish(&text, encoding, false).ok()
}

/// Share of characters that are usual in Chinese or Latin text.
fn plausibility(text: &str) -> f64 {
    let mut good = 0usize;
    let mut total = 0usize;
    for c in text.chars() {
        total += 1;
        let usual = matches!(c,
            '\n' | '\r' | '\t' | ' '..='~'
            | '\u{3000}'..='\u{303f}'   // CJK punctuation
            | '\u{4e00}'..='\u{9fff}'   // CJK unified ideographs
            | '\u{ff00}'..='\u{ffef}'   // full-width forms
            | '\u{2010}'..='\u{2027}'   // dashes, quotes
            | '\u{00b7}');
        if usual {
            good += 1;
        }
    }
    if total == 0 { 0.0 } else { good as f64 / total as f64 }
}

/// How many chars of `text` are controls that do not stand in text (C0
/// but tab, line ends and form feed; DEL; C1), counted in its bytes (a loop
/// the compiler vectorises, where a loop over chars decodes each).
fn count_binary_controls(text: &str) -> usize {
    let bytes = text.as_bytes();
    // C0 controls but the usual ones, and DEL: one byte each.
    let ascii = bytes.iter().filter(|&&b| (b < b' ' && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)) || b == 0x7f).count();
    // C1 controls, U+0080..=U+009F: 0xC2 then 0x80..=0x9F (0xC2 is rare in Chinese text).
    let c1 = memchr::memchr_iter(0xc2, bytes).filter(|&i| bytes.get(i + 1).is_some_and(|b| (0x80..=0x9f).contains(b))).count();
    ascii + c1
}

/// [`count_binary_controls`] char by char.
#[cfg(test)]
fn is_binary_control(c: char) -> bool {
    (c < ' ' && !matches!(c, '\n' | '\r' | '\t' | '\x0c')) || ('\u{7f}'..='\u{9f}').contains(&c)
}

fn count_invalid_utf8(mut bytes: &[u8]) -> usize {
    let mut invalid = 0;
    loop {
        match std::str::from_utf8(bytes) {
            Ok(_) => return invalid,
            Err(e) => {
                invalid += 1;
                let skip = e.valid_up_to() + e.error_len().unwrap_or(bytes.len() - e.valid_up_to()).max(1);
                if skip >= bytes.len() {
                    return invalid;
                }
                bytes = &bytes[skip..];
            }
        }
    }
}

/// CRLF and lone CR become `\n`.
pub fn normalize_line_ends(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "上海合作组织成员国元首理事会会议在阿斯塔纳举行。\n哈萨克斯坦共和国总统纳扎尔巴耶夫主持会议。";

    #[test]
    fn controls_counted_in_bytes_are_those_counted_in_chars() {
        let texts = ["上合组织\n\t\r\x0c", "a\x01b\x7f\u{80}\u{9f}\u{a0}·\u{c2}", "\u{1f}\u{85}塔什干\u{2028}", ""];
        let mut all = String::new();
        for c in (0..0x300u32).filter_map(char::from_u32) {
            all.push(c);
        }
        for text in texts.iter().copied().chain([all.as_str()]) {
            assert_eq!(count_binary_controls(text), text.chars().filter(|&c| is_binary_control(c)).count(), "{text:?}");
        }
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode_bytes(SAMPLE.as_bytes()).expect("utf8");
        assert_eq!(plain.text, SAMPLE);
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice(SAMPLE.as_bytes());
        let bom = decode_bytes(&with_bom).expect("utf8 bom");
        assert_eq!(bom.text, SAMPLE);
    }

    #[test]
    fn utf16_both_orders_with_and_without_bom() {
        for (encoding, bom) in [(UTF_16LE, [0xFF, 0xFE]), (UTF_16BE, [0xFE, 0xFF])] {
            let units: Vec<u8> = SAMPLE
                .encode_utf16()
                .flat_map(|u| if encoding == UTF_16LE { u.to_le_bytes() } else { u.to_be_bytes() })
                .collect();
            let mut with_bom = bom.to_vec();
            with_bom.extend_from_slice(&units);
            assert_eq!(decode_bytes(&with_bom).expect("bom").text, SAMPLE);
            let without = decode_bytes(&units).expect("no bom");
            assert_eq!(without.text, SAMPLE, "{}", encoding.name());
            assert_eq!(without.encoding, encoding.name());
        }
    }

    #[test]
    fn gb18030_is_detected() {
        let (bytes, _, _) = GB18030.encode(SAMPLE);
        let decoded = decode_bytes(&bytes).expect("gb18030");
        assert_eq!(decoded.text, SAMPLE);
        assert!(decoded.encoding.eq_ignore_ascii_case("gb18030"), "{}", decoded.encoding);
    }

    #[test]
    fn few_invalid_bytes_are_replaced_with_a_warning() {
        let mut bytes = SAMPLE.repeat(20).into_bytes();
        bytes.insert(30, 0xFF);
        let decoded = decode_bytes(&bytes).expect("lossy");
        assert_eq!(decoded.encoding, "UTF-8");
        assert_eq!(decoded.warnings.len(), 1);
        assert!(decoded.text.contains('\u{fffd}'));
    }

    #[test]
    fn binary_is_rejected() {
        let bytes: Vec<u8> = (0..2000u32).map(|i| (i * 7 % 256) as u8).collect();
        assert!(decode_bytes(&bytes).is_err());
        assert!(matches!(decode_bytes(b"abc\0\0\0\x01\x02def\0"), Err(DecodeError::Binary(_))));
    }

    #[test]
    fn line_ends_are_normalized() {
        assert_eq!(normalize_line_ends("a\r\nb\rc\nd"), "a\nb\nc\nd");
        assert_eq!(decode_bytes(b"a\r\nb\rc").expect("text").text, "a\nb\nc");
    }

    #[test]
    fn empty_is_empty_text() {
        assert_eq!(decode_bytes(b"").expect("empty").text, "");
    }
}
