//! [`ParagraphText`]: a paragraph's text, a piece of a buffer it shares.

use std::sync::{Arc, LazyLock};

/// A paragraph's cleaned text: a piece of a buffer shared with other
/// paragraphs. Reads as a `&str` (`Deref`), compares, hashes and is
/// serialised as one. Made from a `String`, it is alone in its buffer;
/// [`pack`] puts many paragraphs' texts in a few buffers of some MiB: the
/// window holds 3.4 million paragraphs at 1 GB, and as strings of their own
/// each is rounded up to its allocator size class (9 % at 1 GB) and they
/// sit scattered among the pages loading freed, which then cannot be given
/// back.
#[derive(Clone)]
pub struct ParagraphText {
    /// The buffer (one pointer: a paragraph's text is 16 bytes).
    buffer: Arc<String>,
    /// Bytes `start..end` of the buffer.
    start: u32,
    /// End byte (exclusive).
    end: u32,
}

/// Bytes of text per buffer [`pack`] makes (a paragraph longer than this
/// gets a buffer of its own).
pub const PACKED_BUFFER_BYTES: usize = 4 << 20;

impl ParagraphText {
    /// The text.
    pub fn as_str(&self) -> &str {
        self.buffer.get(self.start as usize..self.end as usize).unwrap_or_default()
    }

    /// True when this text starts, in the same buffer, where `before` ends:
    /// the two read as one run of text ([`ParagraphText::through`]).
    pub fn follows(&self, before: &ParagraphText) -> bool {
        Arc::ptr_eq(&self.buffer, &before.buffer) && self.start == before.end
    }

    /// The buffer from the start of this text to the end of `last`, when
    /// `last` is this text or one that follows it in the same buffer
    /// (through [`ParagraphText::follows`], texts between included); `None`
    /// otherwise. Lets a search read a document's texts in place.
    pub fn through(&self, last: &ParagraphText) -> Option<&str> {
        if !Arc::ptr_eq(&self.buffer, &last.buffer) || last.start < self.start {
            return None;
        }
        self.buffer.get(self.start as usize..last.end as usize)
    }

    /// The texts `buffer` holds one after another, the first ending at
    /// byte `ends[0]`, each next where the one before ends: pieces of one
    /// buffer they share (as [`pack`] makes them, without a copy).
    pub fn pieces(buffer: String, ends: &[usize]) -> impl Iterator<Item = Self> + '_ {
        let buffer = Arc::new(buffer);
        let mut start = 0;
        ends.iter().map(move |&end| {
            // A buffer past 4 GiB cannot occur: see `alone`.
            let end = u32::try_from(end).unwrap_or(u32::MAX);
            Self { buffer: Arc::clone(&buffer), start: std::mem::replace(&mut start, end), end }
        })
    }

    /// The text alone in a buffer of its own.
    fn alone(text: &str) -> Self {
        // Texts come from files, which are read whole: a text past 4 GiB
        // cannot occur, and would be held as its first 4 GiB's worth.
        let end = u32::try_from(text.len()).unwrap_or(u32::MAX);
        Self::owning(text.to_owned(), end)
    }

    /// `text` (`end` bytes long) as the whole of a buffer.
    fn owning(text: String, end: u32) -> Self {
        Self { buffer: Arc::new(text), start: 0, end }
    }
}

/// Packs the texts of `texts` into shared buffers of about
/// [`PACKED_BUFFER_BYTES`] each, in order: the same strings, held in a few
/// allocations. The buffers they held alone are let go as they are copied.
pub fn pack<'a>(texts: impl IntoIterator<Item = &'a mut ParagraphText>) {
    let mut batch: Vec<&'a mut ParagraphText> = Vec::new();
    let mut bytes = 0;
    for text in texts {
        if bytes + text.len() > PACKED_BUFFER_BYTES && !batch.is_empty() {
            pack_batch(&mut batch, bytes);
            bytes = 0;
        }
        bytes += text.len();
        batch.push(text);
    }
    pack_batch(&mut batch, bytes);
}

/// One buffer for the texts of `batch` (`bytes` long in all); empties `batch`.
fn pack_batch(batch: &mut Vec<&mut ParagraphText>, bytes: usize) {
    if batch.is_empty() {
        return;
    }
    let mut joined = String::with_capacity(bytes);
    let mut ends = Vec::with_capacity(batch.len());
    for text in batch.iter() {
        joined.push_str(text.as_str());
        ends.push(joined.len());
    }
    let buffer = Arc::new(joined);
    let mut start = 0;
    for (text, end) in batch.drain(..).zip(ends) {
        // A batch is at most one paragraph past 4 MiB; see `alone`.
        let end = u32::try_from(end).unwrap_or(u32::MAX);
        *text = ParagraphText { buffer: Arc::clone(&buffer), start, end };
        start = end;
    }
}

/// The empty text, shared.
static EMPTY: LazyLock<Arc<String>> = LazyLock::new(|| Arc::new(String::new()));

impl Default for ParagraphText {
    fn default() -> Self {
        Self { buffer: Arc::clone(&EMPTY), start: 0, end: 0 }
    }
}

impl std::ops::Deref for ParagraphText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for ParagraphText {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for ParagraphText {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for ParagraphText {
    fn from(s: &str) -> Self {
        Self::alone(s)
    }
}

impl From<String> for ParagraphText {
    fn from(s: String) -> Self {
        let end = u32::try_from(s.len()).unwrap_or(u32::MAX);
        Self::owning(s, end)
    }
}

impl From<&String> for ParagraphText {
    fn from(s: &String) -> Self {
        Self::alone(s)
    }
}

impl From<ParagraphText> for String {
    fn from(t: ParagraphText) -> Self {
        t.as_str().to_owned()
    }
}

impl PartialEq for ParagraphText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for ParagraphText {}

impl std::hash::Hash for ParagraphText {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialEq<str> for ParagraphText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for ParagraphText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for ParagraphText {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<ParagraphText> for str {
    fn eq(&self, other: &ParagraphText) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<ParagraphText> for &str {
    fn eq(&self, other: &ParagraphText) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<ParagraphText> for String {
    fn eq(&self, other: &ParagraphText) -> bool {
        self.as_str() == other.as_str()
    }
}

impl std::fmt::Display for ParagraphText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for ParagraphText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl serde::Serialize for ParagraphText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Read as bytes and checked as UTF-8 with SIMD: postcard and serde_json
/// both hand a string's bytes to a bytes visitor, and this check is 10×
/// faster than the one a `String` gets, which was the largest cost of
/// reading a cached analysis back. Inside [`read_into_one_buffer`],
/// appended to its buffer.
impl<'de> serde::Deserialize<'de> for ParagraphText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = ParagraphText;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }

            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<ParagraphText, E> {
                Ok(ParagraphText::read(s))
            }

            fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<ParagraphText, E> {
                match simdutf8::basic::from_utf8(bytes) {
                    Ok(s) => Ok(ParagraphText::read(s)),
                    Err(_) => Err(E::invalid_value(serde::de::Unexpected::Bytes(bytes), &self)),
                }
            }

            fn visit_byte_buf<E: serde::de::Error>(self, bytes: Vec<u8>) -> Result<ParagraphText, E> {
                self.visit_bytes(&bytes)
            }
        }
        deserializer.deserialize_bytes(Visitor)
    }
}

thread_local! {
    /// While [`read_into_one_buffer`] runs on this thread: the texts read
    /// so far, one after another.
    static READING: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

impl ParagraphText {
    /// A text read by a deserialiser: alone in a buffer, or appended to
    /// the buffer of [`read_into_one_buffer`] (its buffer given later).
    fn read(s: &str) -> Self {
        READING.with_borrow_mut(|reading| match reading {
            Some(joined) => {
                let start = u32::try_from(joined.len()).unwrap_or(u32::MAX);
                joined.push_str(s);
                let end = u32::try_from(joined.len()).unwrap_or(u32::MAX);
                Self { buffer: Arc::clone(&EMPTY), start, end }
            }
            None => Self::alone(s),
        })
    }
}

/// The buffer the texts [`read_into_one_buffer`] read are pieces of.
pub struct ReadTexts(Arc<String>);

impl ReadTexts {
    /// Gives `text`, read by the call that made this, its buffer.
    pub fn give(&self, text: &mut ParagraphText) {
        text.buffer = Arc::clone(&self.0);
    }
}

/// Runs `read` (a deserialisation on this thread) with the texts it reads
/// appended to one buffer of `capacity` bytes at first: one allocation for
/// a document rather than one per paragraph. Each text read is a piece of
/// nothing until [`ReadTexts::give`] gives it the buffer.
pub fn read_into_one_buffer<T>(capacity: usize, read: impl FnOnce() -> T) -> (T, ReadTexts) {
    /// Puts back what `READING` held before, even if `read` panics.
    struct Restore(Option<Option<String>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            if let Some(outer) = self.0.take() {
                READING.set(outer);
            }
        }
    }
    let restore = Restore(Some(READING.replace(Some(String::with_capacity(capacity)))));
    let value = read();
    let joined = READING.take().unwrap_or_default();
    drop(restore);
    // `capacity` is a bound, not the size: a buffer of its own size (the
    // allocator keeps a block shrunk by less than half).
    let joined = if joined.capacity() > joined.len() { joined.as_str().to_owned() } else { joined };
    (value, ReadTexts(Arc::new(joined)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_texts_read_as_they_were_and_share_buffers() {
        assert_eq!(size_of::<ParagraphText>(), 16);
        let words: Vec<String> = (0..5_000).map(|i| format!("第{i}段 上合组织{}", "。".repeat(i % 7))).collect();
        let mut texts: Vec<ParagraphText> = words.iter().map(ParagraphText::from).collect();
        texts.push(ParagraphText::default());
        texts.push(ParagraphText::from("x".repeat(PACKED_BUFFER_BYTES + 3)));
        texts.push(ParagraphText::from("末"));
        let before: Vec<String> = texts.iter().map(|t| t.to_string()).collect();
        pack(texts.iter_mut());
        let after: Vec<String> = texts.iter().map(|t| t.to_string()).collect();
        assert_eq!(after, before);
        assert!(Arc::ptr_eq(&texts[0].buffer, &texts[4_999].buffer));
        // The long one is alone; the one after it starts a new buffer.
        assert!(!Arc::ptr_eq(&texts[5_001].buffer, &texts[5_002].buffer));
        assert!(!Arc::ptr_eq(&texts[0].buffer, &texts[5_001].buffer));
        assert_eq!(texts[1], "第1段 上合组织。");
        assert_eq!(&texts[2][..3], "第");
        assert_eq!(serde_json::to_string(&texts[1]).ok().as_deref(), Some("\"第1段 上合组织。\""));
    }

    #[test]
    fn pieces_of_one_buffer_read_as_their_texts_and_follow_each_other() {
        let texts: Vec<ParagraphText> = ParagraphText::pieces("上合组织塔什干x".to_owned(), &[12, 12, 21, 22]).collect();
        let read: Vec<&str> = texts.iter().map(ParagraphText::as_str).collect();
        assert_eq!(read, ["上合组织", "", "塔什干", "x"]);
        assert!(texts.windows(2).all(|pair| pair[1].follows(&pair[0])));
        assert_eq!(texts[0].through(&texts[3]), Some("上合组织塔什干x"));
        assert_eq!(ParagraphText::pieces(String::new(), &[]).count(), 0);
    }

    #[test]
    fn packed_texts_that_follow_each_other_read_as_one_run() {
        let mut texts: Vec<ParagraphText> = ["上合组织", "", "塔什干"].into_iter().map(ParagraphText::from).collect();
        let alone = texts.clone();
        assert!(!alone[1].follows(&alone[0]));
        assert_eq!(alone[0].through(&alone[2]), None);
        assert_eq!(alone[2].through(&alone[2]), Some("塔什干"));
        pack(texts.iter_mut());
        assert!(texts[1].follows(&texts[0]) && texts[2].follows(&texts[1]));
        assert!(!texts[0].follows(&texts[2]));
        assert_eq!(texts[0].through(&texts[2]), Some("上合组织塔什干"));
        assert_eq!(texts[2].through(&texts[0]), None);
        assert_eq!(texts[0].through(&alone[2]), None);
    }

    #[test]
    fn texts_read_into_one_buffer_share_it_and_read_back() {
        let written: Vec<ParagraphText> = ["上合组织", "", "a\"b", "塔什干"].into_iter().map(ParagraphText::from).collect();
        let bytes = postcard::to_stdvec(&written).unwrap_or_default();
        let (read, texts) = read_into_one_buffer(bytes.len(), || postcard::from_bytes::<Vec<ParagraphText>>(&bytes));
        let mut read = read.unwrap_or_default();
        for t in &mut read {
            texts.give(t);
        }
        assert_eq!(read, written);
        assert!(Arc::ptr_eq(&read[0].buffer, &read[3].buffer));
        // Outside, each is read alone again.
        let alone: Vec<ParagraphText> = postcard::from_bytes(&bytes).unwrap_or_default();
        assert_eq!(alone, written);
        assert!(!Arc::ptr_eq(&alone[0].buffer, &alone[3].buffer));
    }
}
