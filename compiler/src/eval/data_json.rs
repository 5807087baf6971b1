//! [`Data`] as JSON without a copy into `serde_json::Value`: reading it by key and index the
//! way one reads a `Value` (`object["metadata"]["name"].as_str()`, a missing part reads as
//! null), serialising it with serde exactly as its `to_json` form serialises, finding the
//! first part that has no JSON form, and building `Data` from JSON (objects made by mlc
//! itself, tests).

use super::data::{Data, DataKind, JsonError};
use super::data_attrs::DataAttrs;
use super::numfmt;
use serde::ser::{Error as _, SerializeMap, SerializeSeq};

/// What a missing key or index reads as.
static NULL: Data = Data {
    kind: DataKind::Null,
    origin: None,
};

impl Data {
    /// A string (or a path, which JSON holds as a string).
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            DataKind::String(text) | DataKind::Path(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_attrs(&self) -> Option<&DataAttrs> {
        match &self.kind {
            DataKind::Attrs(attrs) => Some(attrs),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Data]> {
        match &self.kind {
            DataKind::List(items) => Some(items),
            _ => None,
        }
    }

    /// The value of `key` in this set; null when there is none or this is not a set.
    pub fn field(&self, key: &str) -> &Data {
        self.as_attrs()
            .and_then(|attrs| attrs.get(key))
            .unwrap_or(&NULL)
    }

    /// Sets the value at `path` of keys to `value`, making sets on the way where a key is
    /// missing or its value is not a set.
    pub fn set(&mut self, path: &[&str], value: Data) {
        let Some((key, rest)) = path.split_first() else {
            *self = value;
            return;
        };
        if !matches!(self.kind, DataKind::Attrs(_)) {
            self.kind = DataKind::Attrs(DataAttrs::default());
        }
        if let DataKind::Attrs(attrs) = &mut self.kind {
            attrs.entry(key).set(rest, value);
        }
    }

    /// The first part (in the order of [`Data::to_json`]) that has no JSON form: a
    /// function, an infinite or NaN float.
    pub fn json_form_error(&self) -> Option<JsonError> {
        match &self.kind {
            DataKind::Float(f) if json_number(*f).is_none() => Some(self.no_json_form()),
            DataKind::Function(_) => Some(self.no_json_form()),
            DataKind::List(items) => items.iter().find_map(Data::json_form_error),
            DataKind::Attrs(attrs) => attrs.iter().find_map(|(_, value)| value.json_form_error()),
            _ => None,
        }
    }

    /// `value` as data written nowhere.
    pub fn from_json(value: &serde_json::Value) -> Data {
        use serde_json::Value as Json;
        let kind = match value {
            Json::Null => DataKind::Null,
            Json::Bool(b) => DataKind::Bool(*b),
            Json::Number(n) => match n.as_i64() {
                Some(i) => DataKind::Int(i),
                None => DataKind::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            Json::String(s) => DataKind::String(s.clone()),
            Json::Array(items) => DataKind::List(items.iter().map(Data::from_json).collect()),
            Json::Object(entries) => {
                let mut entries: Vec<(String, Data)> = entries
                    .iter()
                    .map(|(key, value)| (key.clone(), Data::from_json(value)))
                    .collect();
                // In order already, unless serde_json keeps insertion order.
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                DataKind::Attrs(DataAttrs::from_sorted(entries))
            }
        };
        Data { kind, origin: None }
    }
}

/// A float as its JSON form holds it: in Nix's `%g` precision, so output agrees with Nix.
pub fn json_float(f: f64) -> f64 {
    numfmt::general(f).parse().unwrap_or(f)
}

/// A float's JSON number ([`json_float`]'s), none when it has none (infinite, NaN).
pub fn json_number(f: f64) -> Option<serde_json::Number> {
    serde_json::Number::from_f64(json_float(f))
}

impl std::ops::Index<&str> for Data {
    type Output = Data;

    fn index(&self, key: &str) -> &Data {
        self.field(key)
    }
}

impl std::ops::Index<usize> for Data {
    type Output = Data;

    fn index(&self, index: usize) -> &Data {
        self.as_list()
            .and_then(|items| items.get(index))
            .unwrap_or(&NULL)
    }
}

impl serde::Serialize for Data {
    /// As [`Data::to_json`]'s value serialises: sets with their names in order, paths as
    /// strings, floats in `%g` precision; a function or a non-finite float is an error.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.kind {
            DataKind::Null => serializer.serialize_unit(),
            DataKind::Bool(b) => serializer.serialize_bool(*b),
            DataKind::Int(n) => serializer.serialize_i64(*n),
            DataKind::Float(f) => match json_number(*f) {
                Some(number) => number.serialize(serializer),
                None => Err(S::Error::custom(self.no_json_form())),
            },
            DataKind::String(s) | DataKind::Path(s) => serializer.serialize_str(s),
            DataKind::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            DataKind::Attrs(attrs) => {
                let mut map = serializer.serialize_map(Some(attrs.len()))?;
                for (key, value) in attrs {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
            DataKind::Function(_) => Err(S::Error::custom(self.no_json_form())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> serde_json::Value {
        json!({
            "apiVersion": "v1",
            "metadata": { "name": "x", "labels": { "a": "b" } },
            "spec": { "ports": [ { "port": 80 }, { "port": -1, "weight": 0.5 } ], "on": true, "off": null },
            "": "empty key",
        })
    }

    #[test]
    fn reads_like_json() {
        let data = Data::from_json(&sample());
        assert_eq!(data["metadata"]["name"].as_str(), Some("x"));
        assert_eq!(data["spec"]["ports"][1]["port"].kind, DataKind::Int(-1));
        assert_eq!(data["spec"]["ports"][2].kind, DataKind::Null);
        assert_eq!(data["missing"]["deeper"].kind, DataKind::Null);
        assert_eq!(data["apiVersion"]["not a set"].kind, DataKind::Null);
        assert!(data["spec"]["ports"].as_list().is_some());
        assert!(data["metadata"]["labels"].as_attrs().is_some());
    }

    #[test]
    fn serialises_as_its_json_value_does() {
        let data = Data::from_json(&sample());
        assert_eq!(data.to_json(), Ok(sample()));
        assert_eq!(
            serde_json::to_string_pretty(&data).ok(),
            serde_json::to_string_pretty(&sample()).ok()
        );
        let float = Data {
            kind: DataKind::Float(0.1 + 0.2),
            origin: None,
        };
        assert_eq!(
            serde_json::to_string(&float).ok(),
            float.to_json().ok().map(|value| value.to_string())
        );
    }

    #[test]
    fn finds_the_first_part_without_a_json_form() {
        let mut data = Data::from_json(&sample());
        assert_eq!(data.json_form_error(), None);
        let infinity = Data {
            kind: DataKind::Float(f64::INFINITY),
            origin: None,
        };
        data.set(&["spec", "b"], infinity);
        let function = Data {
            kind: DataKind::Function("<lambda>".to_string()),
            origin: None,
        };
        data.set(&["spec", "a"], function);
        let error = data.json_form_error();
        assert_eq!(error.as_ref().map(|e| e.what.as_str()), Some("a function"));
        assert_eq!(error, data.to_json().err());
        assert!(serde_json::to_string(&data).is_err());
    }

    #[test]
    fn changes_make_the_sets_on_the_way() {
        let mut data = Data::from_json(&sample());
        let shared = data.clone();
        data.set(&["metadata", "labels", "c"], Data::from_json(&json!("d")));
        data.set(&["apiVersion", "now", "a set"], Data::from_json(&json!(1)));
        assert_eq!(data["metadata"]["labels"]["c"].as_str(), Some("d"));
        assert_eq!(data["metadata"]["labels"]["a"].as_str(), Some("b"));
        assert_eq!(data["apiVersion"]["now"]["a set"].kind, DataKind::Int(1));
        assert_eq!(shared.to_json(), Ok(sample()));
    }
}
