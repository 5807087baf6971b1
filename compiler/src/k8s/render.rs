//! Rendering manifests: multi-document YAML ([`super::yaml`]) or a JSON list. Keys are in
//! sorted order (the data is a sorted map), so output is the same byte for byte on every
//! run. One file per object is `crate::build::OutDir`.

use super::Manifest;

/// Multi-document YAML, each document starting with `---`.
pub fn to_yaml(manifests: &[Manifest]) -> Result<String, String> {
    let mut out = String::new();
    for manifest in manifests {
        out.push_str("---\n");
        super::yaml::write_document(&mut out, &manifest.value);
    }
    Ok(out)
}

/// A JSON list of the objects, pretty-printed.
pub fn to_json(manifests: &[Manifest]) -> Result<String, String> {
    let list: Vec<&serde_json::Value> = manifests.iter().map(|m| &m.value).collect();
    serde_json::to_string_pretty(&list)
        .map(|mut text| {
            text.push('\n');
            text
        })
        .map_err(|e| e.to_string())
}
