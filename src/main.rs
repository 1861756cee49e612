//! probe
fn main() {
    for (name, bytes) in sco_reader::corpus::BUNDLED_DOCUMENTS {
        let text = std::str::from_utf8(bytes).unwrap_or_default();
        let c = sco_reader::clean::clean(text, false);
        println!("===== {name}");
        for (i, p) in c.paragraphs.iter().enumerate() {
            println!("[{i}]{} {}", p.heading.map(|h| format!("H{h}")).unwrap_or_default(), p.text);
        }
        for r in &c.removed { println!("  REMOVED {:?} {:?}", r.reason, r.text); }
    }
}
