//! Rendering manifests: multi-document YAML ([`super::yaml`]) or a JSON list. Keys are in
//! sorted order (the data is a sorted map), so output is the same byte for byte on every
//! run. One file per object is `crate::build::OutDir`.

use super::Manifest;

/// Multi-document YAML, each document starting with `---`.
pub fn to_yaml(manifests: &[Manifest]) -> Result<String, String> {
    let mut out = String::new();
    for manifest in manifests {
        push_yaml_document(&mut out, manifest);
    }
    Ok(out)
}

/// [`to_yaml`]'s text written to `out` one document at a time, never held whole: growing
/// one string to the megabytes of a large build copied it at every doubling, into pages
/// the kernel had to map first (3% of the time and 6% of the memory of a build of a
/// thousand deployments). `out` should be buffered.
pub fn write_yaml(manifests: &[Manifest], out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut document = String::new();
    for manifest in manifests {
        document.clear();
        push_yaml_document(&mut document, manifest);
        out.write_all(document.as_bytes())?;
    }
    Ok(())
}

/// Appends one object as a YAML document, with its `---` line.
fn push_yaml_document(out: &mut String, manifest: &Manifest) {
    out.push_str("---\n");
    super::yaml::write_document(out, &manifest.value);
}

/// A JSON list of the objects, pretty-printed.
pub fn to_json(manifests: &[Manifest]) -> Result<String, String> {
    let mut out = Vec::new();
    write_json(manifests, &mut out).map_err(|e| e.to_string())?;
    String::from_utf8(out).map_err(|e| e.to_string())
}

/// [`to_json`]'s text written to `out` as it is made. `out` should be buffered.
pub fn write_json(manifests: &[Manifest], out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let list: Vec<&crate::eval::Data> = manifests.iter().map(|m| &m.value).collect();
    serde_json::to_writer_pretty(&mut *out, &list)?;
    out.write_all(b"\n")
}
