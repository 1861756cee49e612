//! [`Name`]: an interned string, one copy per distinct string in the process.
//!
//! The table is written by hand over two crates: `boxcar`'s append-only
//! vector (number → string, read without a lock) and a hash map per shard
//! under a mutex (string → number, only when a name is made), the strings
//! copied into blocks of 64 KiB. `ustr` gives
//! 8-byte pointers and `lasso`'s threaded interner locks to read a name;
//! here a name is 4 bytes and reading one is an index (ARCHITECTURE.md).

use rustc_hash::FxHashMap;
use std::hash::BuildHasher;
use std::num::NonZeroU32;
use std::sync::{LazyLock, Mutex, PoisonError};

/// A string kept once for the whole process: an entity's canonical form, a
/// citation's wording and agreement id, an event's dates and place. A handle
/// is a number (4 bytes, `Copy`; `Option<Name>` is 4 bytes too), equal
/// handles are the same string, and reading it is one lookup in a table
/// read without a lock. A 1 GB corpus has about 16 million mentions but
/// some hundred thousand distinct names. Interned strings are never given
/// back: a reload of the same corpus finds its names already there. Reads
/// as a `&str`, orders as one (by its bytes), and is serialised as one;
/// hashes as its number.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Name(NonZeroU32);

/// Shards of the string → number side: loading threads interning names at
/// once rarely wait for each other.
const SHARDS: usize = 16;

/// Bytes of the blocks names are copied into: names are some hundred
/// thousand short strings made while loading, and one allocation each
/// would sit scattered among loading's short-lived ones, keeping their
/// pages from being given back.
const BLOCK_BYTES: usize = 64 << 10;

/// The process's names.
struct Table {
    /// Name `n` is `strings[n - 1]`.
    strings: boxcar::Vec<&'static str>,
    /// String → name, split by the string's hash.
    shards: [Mutex<Shard>; SHARDS],
}

/// One shard of the string → name side.
#[derive(Default)]
struct Shard {
    /// String → name.
    numbers: FxHashMap<&'static str, Name>,
    /// What is left of the block this shard copies its names into.
    room: &'static mut [u8],
}

impl Shard {
    /// `s`, copied into this shard's block (a new block when it is full).
    fn keep(&mut self, s: &str) -> &'static str {
        if s.len() > BLOCK_BYTES / 8 {
            return Box::leak(Box::from(s));
        }
        if self.room.len() < s.len() {
            self.room = Box::leak(vec![0u8; BLOCK_BYTES].into_boxed_slice());
        }
        let (kept, rest) = std::mem::take(&mut self.room).split_at_mut(s.len());
        kept.copy_from_slice(s.as_bytes());
        self.room = rest;
        let kept: &'static [u8] = kept;
        // The bytes of a `&str`: always UTF-8.
        std::str::from_utf8(kept).unwrap_or_default()
    }
}

static TABLE: LazyLock<Table> =
    LazyLock::new(|| Table { strings: boxcar::Vec::new(), shards: std::array::from_fn(|_| Mutex::new(Shard::default())) });

impl Name {
    /// The name of `s`, made if it is new.
    fn intern(s: &str) -> Self {
        let shard = &TABLE.shards[(rustc_hash::FxBuildHasher.hash_one(s) >> 7) as usize % SHARDS];
        let mut shard = shard.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(&name) = shard.numbers.get(s) {
            return name;
        }
        let kept = shard.keep(s);
        let at = TABLE.strings.push(kept);
        // More than 4 billion distinct names would need more than 4 GB of
        // names; the last number is shared rather than wrapping round.
        let number = u32::try_from(at + 1).ok().and_then(NonZeroU32::new).unwrap_or(NonZeroU32::MAX);
        let name = Self(number);
        shard.numbers.insert(kept, name);
        name
    }

    /// The string.
    pub fn as_str(&self) -> &'static str {
        TABLE.strings.get(self.0.get() as usize - 1).copied().unwrap_or("")
    }
}

impl Default for Name {
    fn default() -> Self {
        Self::from("")
    }
}

impl PartialOrd for Name {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Name {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::ops::Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Self {
        Self::intern(s)
    }
}

impl From<String> for Name {
    fn from(s: String) -> Self {
        Self::from(s.as_str())
    }
}

impl From<&String> for Name {
    fn from(s: &String) -> Self {
        Self::from(s.as_str())
    }
}

impl From<Name> for String {
    fn from(n: Name) -> Self {
        n.as_str().to_owned()
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Name> for String {
    fn eq(&self, other: &Name) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Name> for str {
    fn eq(&self, other: &Name) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        *self == other.as_str()
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl serde::Serialize for Name {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Name {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl serde::de::Visitor<'_> for Visit {
            type Value = Name;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Name, E> {
                Ok(Name::from(s))
            }
        }
        // Borrowed where the format allows: no `String` made to be interned.
        deserializer.deserialize_str(Visit)
    }
}

#[cfg(test)]
mod tests {
    use super::Name;

    #[test]
    fn names_compare_order_and_serialise_as_their_strings() {
        let (a, b) = (Name::from("上海"), Name::from(String::from("上海")));
        assert_eq!(a, b);
        assert_eq!(a, "上海");
        assert!(Name::from("b") > Name::from("a"));
        assert!(Name::from("上海合作组织") > Name::from("上海"));
        let mut names = [Name::from("俄罗斯"), Name::from("中国"), Name::from("")];
        names.sort();
        assert_eq!(names.iter().map(Name::as_str).collect::<Vec<_>>(), ["", "中国", "俄罗斯"]);
        let json = serde_json::to_string(&a).unwrap_or_default();
        assert_eq!(json, "\"上海\"");
        let back: Name = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, a);
        assert_eq!(size_of::<Name>(), 4);
        assert_eq!(size_of::<Option<Name>>(), 4);
    }

    #[test]
    fn threads_making_the_same_names_get_the_same_handles() {
        let made: Vec<Vec<Name>> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..4)
                .map(|t| scope.spawn(move || (0..2_000).map(|i| Name::from(format!("名{}", (i * 7 + t) % 1_500))).collect()))
                .collect();
            workers.into_iter().filter_map(|w| w.join().ok()).collect()
        });
        assert_eq!(made.len(), 4);
        for (t, names) in made.iter().enumerate() {
            for (i, name) in names.iter().enumerate() {
                let s = format!("名{}", (i * 7 + t) % 1_500);
                assert_eq!(name.as_str(), s);
                assert_eq!(*name, Name::from(s.as_str()));
            }
        }
    }
}
