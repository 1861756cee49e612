//! Prints jieba's tags for words given on the command line (a development aid).
fn main() {
    let j = sco_reader::knowledge::bundled().segmenter();
    for w in std::env::args().skip(1) {
        let tags: Vec<String> = j.tag(&w, true).iter().map(|t| format!("{}/{}", t.word, t.tag)).collect();
        println!("{w}: {}", tags.join(" "));
    }
}
