//! Converting arbitrary bytes as each format (HTML, PDF, Word, and by
//! sniffing), then cleaning the result: never a panic, and every paragraph
//! non-empty. The first byte picks the name the bytes are read under.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else { return };
    let name = ["page.html", "doc.pdf", "doc.docx", "unknown", "a.txt"][usize::from(pick) % 5];
    if let Ok(converted) = sco_reader::corpus::formats::convert(name, bytes) {
        let cleaned = sco_reader::clean::clean_as(&converted.text, converted.layout, sco_reader::knowledge::bundled());
        for p in &cleaned.paragraphs {
            assert!(!p.text.is_empty());
        }
    }
});
