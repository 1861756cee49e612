//! Strings read back from the analysis cache, checked as UTF-8 with SIMD.

/// Deserialises a `String` (or a [`super::ParagraphText`]), checking its UTF-8 with SIMD: for the long
/// texts of an analysis (`#[serde(deserialize_with = "crate::model::utf8::string")]`).
/// The bytes are taken as bytes — postcard and serde_json both hand a
/// string's bytes to a bytes visitor — and checked here, 10× faster than
/// the check a `String` gets otherwise, which was the largest cost of
/// reading a cached analysis back.
pub fn string<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: for<'s> From<&'s str> + From<String>,
{
    struct Visitor<T>(std::marker::PhantomData<T>);
    impl<T: for<'s> From<&'s str> + From<String>> serde::de::Visitor<'_> for Visitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<T, E> {
            Ok(T::from(s))
        }

        fn visit_string<E: serde::de::Error>(self, s: String) -> Result<T, E> {
            Ok(T::from(s))
        }

        fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<T, E> {
            match simdutf8::basic::from_utf8(bytes) {
                Ok(s) => Ok(T::from(s)),
                Err(_) => Err(E::invalid_value(serde::de::Unexpected::Bytes(bytes), &self)),
            }
        }

        fn visit_byte_buf<E: serde::de::Error>(self, bytes: Vec<u8>) -> Result<T, E> {
            String::from_utf8(bytes).map(T::from).map_err(|e| E::invalid_value(serde::de::Unexpected::Bytes(e.as_bytes()), &self))
        }
    }
    deserializer.deserialize_bytes(Visitor(std::marker::PhantomData))
}
