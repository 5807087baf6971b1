//! Reading an evaluated object into a typed Kubernetes object while keeping track of where
//! the reader is: a serde `Deserializer` over the evaluated `&Data` (borrowed, never copied
//! into JSON first) whose errors carry the path
//! of the value that caused them, and which takes out the keys a struct does not declare,
//! recording each with the names the struct does declare (for "did you mean").
//!
//! It serves every typed schema the same way: k8s-openapi's types and mlc's own custom
//! resource types (`crds/`) both describe their fields to serde through
//! `deserialize_struct`, so the field lists come from the types themselves. Paths are
//! linked frames on the stack and are only turned into strings when something is wrong.

use crate::eval::{json_float, Data, DataKind};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;
use std::cell::RefCell;
use std::fmt;

/// A key that an object has and its type does not declare.
#[derive(Debug, PartialEq)]
pub struct UnknownField {
    /// Where the key is, ending with the key itself (`["spec", "containers", "0", "imag"]`).
    pub path: Vec<String>,
    /// The fields the type does declare at that place.
    pub known: &'static [&'static str],
}

/// Why a value does not read as its type, and where (boxed: errors travel through every
/// level of the reader).
#[derive(Debug, PartialEq)]
pub struct Error(Box<Failure>);

#[derive(Debug, PartialEq)]
pub struct Failure {
    /// Where the value is (empty for the object itself).
    pub path: Vec<String>,
    pub message: String,
    /// For a string outside a fixed set: the string and the values allowed.
    pub choice: Option<(String, &'static [&'static str])>,
    /// For a required field left out: its name.
    pub missing: Option<&'static str>,
    /// How to write the value so the schema takes it, when that is clear.
    pub hint: Option<String>,
    /// Whether `path` has been set (by the innermost reader the error passed through).
    located: bool,
}

impl std::ops::Deref for Error {
    type Target = Failure;

    fn deref(&self) -> &Failure {
        &self.0
    }
}

impl std::ops::DerefMut for Error {
    fn deref_mut(&mut self) -> &mut Failure {
        &mut self.0
    }
}

impl Error {
    /// An error found by a rule of the schema beyond types (at `path`).
    pub fn at(path: Vec<String>, message: String) -> Error {
        Error(Box::new(Failure {
            path,
            message,
            choice: None,
            missing: None,
            hint: None,
            located: true,
        }))
    }

    fn new(message: String) -> Error {
        Error(Box::new(Failure {
            path: Vec::new(),
            message,
            choice: None,
            missing: None,
            hint: None,
            located: false,
        }))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Error {
        Error::new(message.to_string())
    }

    fn invalid_type(unexpected: de::Unexpected<'_>, expected: &dyn de::Expected) -> Error {
        let expected = plain_expected(&expected.to_string());
        let mut error = Error::new(format!(
            "expected {expected}, found {}",
            plain_unexpected(unexpected)
        ));
        // `port = "5000";`: the value is right, the quotes are not.
        if let de::Unexpected::Str(text) = unexpected {
            let unquoted = match expected.as_str() {
                "an integer" => text.parse::<i64>().is_ok(),
                "a number" => text.parse::<f64>().is_ok(),
                "a boolean" => text == "true" || text == "false",
                _ => false,
            };
            if unquoted {
                error.hint = Some(format!("write it without quotes: `{text}`"));
            }
        }
        error
    }

    fn invalid_value(unexpected: de::Unexpected<'_>, expected: &dyn de::Expected) -> Error {
        Error::new(format!(
            "{} is not allowed here: expected {}",
            plain_unexpected(unexpected),
            plain_expected(&expected.to_string())
        ))
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Error {
        let mut error = Error::new(format!(
            "`{variant}` is not one of the allowed values ({})",
            quoted_list(expected)
        ));
        error.choice = Some((variant.to_string(), expected));
        error
    }

    fn missing_field(field: &'static str) -> Error {
        let mut error = Error::new(format!("the required field `{field}` is missing"));
        error.missing = Some(field);
        error
    }
}

/// `i32` as people who write manifests say it.
fn plain_expected(expected: &str) -> String {
    match expected {
        "i8" | "i16" | "i32" | "i64" | "i128" | "u8" | "u16" | "u32" | "u64" | "u128" => {
            "an integer".to_string()
        }
        "f32" | "f64" => "a number".to_string(),
        other => other.to_string(),
    }
}

/// A value as it would have been written in `.mlc`.
fn plain_unexpected(unexpected: de::Unexpected<'_>) -> String {
    match unexpected {
        de::Unexpected::Str(s) => format!("the string {}", serde_json::Value::from(s)),
        de::Unexpected::Unsigned(n) => format!("the number {n}"),
        de::Unexpected::Signed(n) => format!("the number {n}"),
        de::Unexpected::Float(n) => format!("the number {n}"),
        de::Unexpected::Bool(b) => format!("`{b}`"),
        de::Unexpected::Map => "an attribute set".to_string(),
        de::Unexpected::Seq => "a list".to_string(),
        de::Unexpected::Unit | de::Unexpected::Option => "null".to_string(),
        other => other.to_string(),
    }
}

fn quoted_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads `value` as a `T`: the typed value (or why it is not one), and every key found
/// that `T` does not declare, whatever its value (null included: an unknown key is a
/// mistake even when its value is null). A declared field set to null is unset, as
/// Kubernetes reads it.
pub fn read<T: DeserializeOwned>(value: &Data) -> (Result<T, Error>, Vec<UnknownField>) {
    let unknown = RefCell::new(Vec::new());
    let result = T::deserialize(Reader {
        value,
        path: &Path::Root,
        unknown: &unknown,
    });
    (result, unknown.into_inner())
}

/// Where a reader is: a chain of frames from the value back to the object.
#[derive(Clone, Copy)]
enum Path<'v, 'p> {
    Root,
    Key(&'p Path<'v, 'p>, &'v str),
    Index(&'p Path<'v, 'p>, usize),
}

impl Path<'_, '_> {
    fn to_vec(self) -> Vec<String> {
        let mut steps = Vec::new();
        let mut current = self;
        loop {
            match current {
                Path::Root => break,
                Path::Key(parent, key) => {
                    steps.push(key.to_string());
                    current = *parent;
                }
                Path::Index(parent, index) => {
                    steps.push(index.to_string());
                    current = *parent;
                }
            }
        }
        steps.reverse();
        steps
    }
}

struct Reader<'v, 'p> {
    value: &'v Data,
    path: &'p Path<'v, 'p>,
    unknown: &'p RefCell<Vec<UnknownField>>,
}

impl Reader<'_, '_> {
    /// Gives an error that does not know its place yet this reader's place.
    fn locate<T>(&self, result: Result<T, Error>) -> Result<T, Error> {
        result.map_err(|mut error| {
            if !error.located {
                error.path = self.path.to_vec();
                error.located = true;
            }
            error
        })
    }
}

/// What a value is, in `.mlc` words.
fn describe(value: &Data) -> de::Unexpected<'_> {
    match &value.kind {
        DataKind::Null => de::Unexpected::Unit,
        DataKind::Bool(b) => de::Unexpected::Bool(*b),
        DataKind::Int(n) => match u64::try_from(*n) {
            Ok(u) => de::Unexpected::Unsigned(u),
            Err(_) => de::Unexpected::Signed(*n),
        },
        DataKind::Float(f) => de::Unexpected::Float(json_float(*f)),
        DataKind::String(s) | DataKind::Path(s) => de::Unexpected::Str(s),
        DataKind::List(_) => de::Unexpected::Seq,
        DataKind::Attrs(_) => de::Unexpected::Map,
        DataKind::Function(_) => de::Unexpected::Other("a function"),
    }
}

impl<'de> de::Deserializer<'de> for Reader<'de, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let result = match &self.value.kind {
            DataKind::Null => visitor.visit_unit(),
            DataKind::Bool(b) => visitor.visit_bool(*b),
            DataKind::Int(n) => match u64::try_from(*n) {
                Ok(u) => visitor.visit_u64(u),
                Err(_) => visitor.visit_i64(*n),
            },
            DataKind::Float(f) => visitor.visit_f64(json_float(*f)),
            DataKind::String(s) | DataKind::Path(s) => visitor.visit_borrowed_str(s),
            // Objects with a function in them are reported before they are read.
            DataKind::Function(_) => Err(de::Error::invalid_type(describe(self.value), &visitor)),
            DataKind::List(items) => visitor.visit_seq(SeqReader {
                items: items.iter().enumerate(),
                path: self.path,
                unknown: self.unknown,
            }),
            DataKind::Attrs(entries) => visitor.visit_map(MapReader {
                entries: entries.iter(),
                pending: None,
                path: self.path,
                fields: None,
                unknown: self.unknown,
            }),
        };
        self.locate(result)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value.kind {
            DataKind::Null => {
                let result = visitor.visit_none();
                self.locate(result)
            }
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let result = match &self.value.kind {
            DataKind::Attrs(entries) => visitor.visit_map(MapReader {
                entries: entries.iter(),
                pending: None,
                path: self.path,
                fields: Some(fields),
                unknown: self.unknown,
            }),
            // Not `deserialize_any`: a struct visitor would read a list positionally.
            _ => Err(de::Error::invalid_type(
                describe(self.value),
                &"an attribute set",
            )),
        };
        self.locate(result)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let result = match &self.value.kind {
            DataKind::String(s) | DataKind::Path(s) => {
                visitor.visit_enum(s.as_str().into_deserializer())
            }
            _ => Err(de::Error::invalid_type(describe(self.value), &"a string")),
        };
        self.locate(result)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map identifier
    }
}

struct SeqReader<'v, 'p> {
    items: std::iter::Enumerate<std::slice::Iter<'v, Data>>,
    path: &'p Path<'v, 'p>,
    unknown: &'p RefCell<Vec<UnknownField>>,
}

impl<'de> de::SeqAccess<'de> for SeqReader<'de, '_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some((index, value)) = self.items.next() else {
            return Ok(None);
        };
        let path = Path::Index(self.path, index);
        seed.deserialize(Reader {
            value,
            path: &path,
            unknown: self.unknown,
        })
        .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct MapReader<'v, 'p> {
    entries: crate::eval::DataAttrsIter<'v>,
    pending: Option<(&'v str, &'v Data)>,
    path: &'p Path<'v, 'p>,
    /// The fields of the struct being read; `None` for a free-form map.
    fields: Option<&'static [&'static str]>,
    unknown: &'p RefCell<Vec<UnknownField>>,
}

impl<'de> de::MapAccess<'de> for MapReader<'de, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        for (key, value) in self.entries.by_ref() {
            if let Some(fields) = self.fields {
                if !fields.contains(&key.as_str()) {
                    // Null too: `replcias = null;` is a misspelt field all the same.
                    self.unknown.borrow_mut().push(UnknownField {
                        path: Path::Key(self.path, key).to_vec(),
                        known: fields,
                    });
                    continue;
                }
            }
            self.pending = Some((key, value));
            return seed
                .deserialize(de::value::BorrowedStrDeserializer::new(key))
                .map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some((key, value)) = self.pending.take() else {
            return Err(de::Error::custom("a value was asked for before its key"));
        };
        let path = Path::Key(self.path, key);
        seed.deserialize(Reader {
            value,
            path: &path,
            unknown: self.unknown,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    fn read<T: DeserializeOwned>(
        json: &serde_json::Value,
    ) -> (Result<T, Error>, Vec<UnknownField>) {
        super::read(&Data::from_json(json))
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Port {
        name: Option<String>,
        container_port: i32,
        protocol: Option<Protocol>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    enum Protocol {
        #[serde(rename = "TCP")]
        Tcp,
        #[serde(rename = "UDP")]
        Udp,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Container {
        ports: Vec<Port>,
        labels: Option<std::collections::BTreeMap<String, String>>,
    }

    #[test]
    fn collects_every_unknown_key_with_its_path_and_the_known_names() {
        let (result, unknown) = read::<Container>(&json!({
            "ports": [ { "containerPort": 1, "nmae": "a" }, { "containerPort": 2, "portocol": "TCP" } ],
            "lables": { "a": "b" },
            "ignored": null,
        }));
        assert!(result.is_ok());
        let paths: Vec<Vec<String>> = unknown.iter().map(|u| u.path.clone()).collect();
        assert_eq!(
            paths,
            [
                vec!["ignored".to_string()],
                vec!["lables".to_string()],
                vec!["ports".to_string(), "0".into(), "nmae".into()],
                vec!["ports".to_string(), "1".into(), "portocol".into()],
            ]
        );
        assert_eq!(unknown[2].known, ["name", "containerPort", "protocol"]);
    }

    #[test]
    fn free_form_maps_take_any_key() {
        let (result, unknown) = read::<Container>(&json!({ "ports": [], "labels": { "x": "y" } }));
        assert!(result.is_ok());
        assert!(unknown.is_empty());
    }

    #[test]
    fn wrong_types_are_errors_at_the_innermost_value() {
        let (result, _) = read::<Container>(&json!({ "ports": [ { "containerPort": "http" } ] }));
        let error = result.expect_err("a string is not a port number");
        assert_eq!(error.path, ["ports", "0", "containerPort"]);
        assert_eq!(
            error.message,
            "expected an integer, found the string \"http\""
        );
        assert_eq!(error.hint, None);

        let (result, _) = read::<Container>(&json!({ "ports": [ { "containerPort": "5000" } ] }));
        let error = result.expect_err("a string is not a port number");
        assert_eq!(
            error.hint.as_deref(),
            Some("write it without quotes: `5000`")
        );
    }

    #[test]
    fn values_outside_a_fixed_set_name_the_allowed_ones() {
        let (result, _) =
            read::<Container>(&json!({ "ports": [ { "containerPort": 1, "protocol": "TPC" } ] }));
        let error = result.expect_err("TPC is no protocol");
        assert_eq!(error.path, ["ports", "0", "protocol"]);
        assert_eq!(error.choice, Some(("TPC".to_string(), &["TCP", "UDP"][..])));
    }

    #[test]
    fn missing_fields_and_lists_for_structs_are_errors_at_the_struct() {
        let (result, _) = read::<Container>(&json!({ "ports": [ { "name": "x" } ] }));
        let error = result.expect_err("containerPort is required");
        assert_eq!(error.path, ["ports", "0"]);
        assert_eq!(
            error.message,
            "the required field `containerPort` is missing"
        );

        let (result, _) = read::<Container>(&json!({ "ports": [ [ 1 ] ] }));
        let error = result.expect_err("a list is not a port");
        assert_eq!(error.message, "expected an attribute set, found a list");
    }

    #[test]
    fn reads_kubernetes_types_with_their_own_field_lists() {
        let (result, unknown) = read::<k8s_openapi::api::core::v1::Service>(&json!({
            "apiVersion": "v1", "kind": "Service", "metadata": { "name": "x", "lables": {} },
            "spec": { "ports": [ { "port": 80, "targetPort": "http" } ] }
        }));
        assert!(result.is_ok());
        assert_eq!(unknown.len(), 1);
        assert_eq!(unknown[0].path, ["metadata", "lables"]);
        assert!(unknown[0].known.contains(&"labels"));
    }
}
