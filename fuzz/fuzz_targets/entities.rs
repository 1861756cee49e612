//! Entity extraction on arbitrary text: spans always inside their paragraph.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let knowledge = sco_reader::knowledge::bundled();
    let mut year = None;
    for line in text.split('\n') {
        let scan = sco_reader::entities::scan_paragraph(line, knowledge, &mut year);
        let n = scan.chars.len();
        for h in &scan.hits {
            assert!(h.start < h.end && h.end <= n);
        }
        for d in &scan.dates {
            assert!(d.start < d.end && d.end <= n);
        }
        for p in &scan.persons {
            assert!(p.start < p.end && p.end <= n);
        }
    }
});
