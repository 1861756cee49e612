//! Decoding and cleaning arbitrary bytes: never a panic, and every paragraph non-empty.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(decoded) = sco_reader::corpus::decode_bytes(data) {
        for markdown in [false, true] {
            let cleaned = sco_reader::clean::clean(&decoded.text, markdown, sco_reader::knowledge::bundled());
            for p in &cleaned.paragraphs {
                assert!(!p.text.is_empty());
                let n = p.text.chars().count();
                let _ = p.source_position(n.saturating_sub(1));
            }
        }
    }
});
