//! The default corpus, embedded in the binary so the app works from any directory.

/// `(file name, bytes)` of each bundled document, in file-name order.
pub const BUNDLED_DOCUMENTS: &[(&str, &[u8])] = &[
    ("000_5b2f4bf0cced573e.txt", include_bytes!("../../assets/corpus/000_5b2f4bf0cced573e.txt")),
    ("001_740a038ea85bf232.txt", include_bytes!("../../assets/corpus/001_740a038ea85bf232.txt")),
    ("002_2016864b0a6fc1ce.txt", include_bytes!("../../assets/corpus/002_2016864b0a6fc1ce.txt")),
    ("003_b1dedeb09271b6b9.txt", include_bytes!("../../assets/corpus/003_b1dedeb09271b6b9.txt")),
    ("004_d8588e6ce5c340ca.txt", include_bytes!("../../assets/corpus/004_d8588e6ce5c340ca.txt")),
];
