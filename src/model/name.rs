//! [`Name`]: an interned string, one copy per distinct string in the process.

use ustr::Ustr;

/// A string kept once for the whole process: an entity's text and canonical
/// form, a citation's wording and agreement id, an event's dates and place.
/// A handle is one pointer (8 bytes, `Copy`), equal handles are the same
/// string, and reading it is one indirection. A 1 GB corpus has about 16
/// million mentions but some hundred thousand distinct names, so a mention
/// costs two pointers rather than two strings. Interned strings are never
/// given back (the `ustr` table): a reload of the same corpus finds its
/// names already there. Reads as a `&str`, orders as one (by its bytes),
/// and is serialised as one.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Name(Ustr);

impl Name {
    /// The string.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
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
        Self(Ustr::from(s))
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
        assert_eq!(size_of::<Name>(), 8);
        assert_eq!(size_of::<Option<Name>>(), 8);
    }
}
