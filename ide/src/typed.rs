//! What the type checker adds to the editor: completion of the fields of a record type
//! (every option of `mlflow.deployment { … }`, nested `storage.` paths, inner sets), of the
//! values of a literal union inside a string (`type = "|"`), hover on a key with its type,
//! default and doc, hover on a variable with its inferred type, and go-to-definition from a
//! key to the field's declaration (into the standard library's files).
//!
//! Everything comes from `mlc::db::file_types` (which sets were checked against which
//! record, which key is which declared field), so it works in unfinished code too: the
//! checker runs on the error-tolerant tree.

use mlc::db::{file_types, parse, Db, SourceFile};
use mlc::syntax::{BindingKind, Expr, ExprKind, Span, StrPart};
use mlc::types::{Field, Record, Type};

use super::completion::{position_at, Candidate, CandidateKind, CompletionSource, Position, Query};
use super::sets::FileSpan;
use super::tree::ancestors_at;

/// Completion from record types; asked before the syntactic source.
pub struct Typed;

impl CompletionSource for Typed {
    fn members(&self, query: &Query<'_>, chain: &[String]) -> Option<Vec<Candidate>> {
        // `storage.` written as a key inside a typed set: the fields of `storage`.
        let text = query.file.source_text(query.db);
        let typed_len: usize = chain.iter().map(|s| s.len() + 1).sum();
        let word = query
            .offset
            .saturating_sub(query.scope_offset.min(query.offset)) as usize;
        let chain_start = (query.offset as usize).checked_sub(typed_len + word)?;
        let root = &parse(query.db, query.file).root;
        let Position::Key { owner } = position_at(root, &text, chain_start as u32) else {
            return None;
        };
        let types = file_types(query.db, query.file);
        let (_, record) = types.records.iter().find(|(span, _)| span.start == owner)?;
        let mut record = record.clone();
        for segment in chain {
            record = record.field(segment)?.ty.as_record()?.clone();
        }
        Some(field_candidates(query.db, &record, &[]))
    }

    fn keys(&self, query: &Query<'_>, owner: u32) -> Option<Vec<Candidate>> {
        let types = file_types(query.db, query.file);
        let (span, record) = types.records.iter().find(|(span, _)| span.start == owner)?;
        let root = &parse(query.db, query.file).root;
        let written = written_keys(root, *span, query.offset);
        Some(field_candidates(query.db, record, &written))
    }
}

/// The fields of `record` not yet written, each with its type, default and doc.
fn field_candidates(db: &dyn Db, record: &Record, written: &[String]) -> Vec<Candidate> {
    record
        .fields
        .iter()
        .filter(|field| !written.iter().any(|w| **w == *field.name))
        .map(|field| Candidate {
            label: field.name.to_string(),
            kind: CandidateKind::Attribute,
            detail: Some(signature(db, field)),
            documentation: field.doc.clone(),
        })
        .collect()
}

/// `Type = default`, or `Type` for a required field.
fn signature(db: &dyn Db, field: &Field) -> String {
    match default_text(db, field) {
        Some(default) => format!("{} = {default}", field.ty),
        None => field.ty.to_string(),
    }
}

/// The source text of a field's default, on one line.
fn default_text(db: &dyn Db, field: &Field) -> Option<String> {
    let default = field.default.as_ref()?;
    let file = db.file_named(&default.file)?;
    let text = file.source_text(db);
    let written = text.get(default.expr.span.range())?;
    Some(written.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The first key of every binding directly in the set at `span`, but the one being typed at
/// `cursor`.
fn written_keys(root: &Expr, span: Span, cursor: u32) -> Vec<String> {
    let Some(set) = super::tree::expr_at(root, span) else {
        return Vec::new();
    };
    let ExprKind::AttrSet { bindings, .. } = &set.kind else {
        return Vec::new();
    };
    bindings
        .iter()
        .filter_map(|binding| match &binding.kind {
            BindingKind::Attr { path, .. } => path
                .first()
                .filter(|name| !(name.span.start <= cursor && cursor <= name.span.end))
                .and_then(|name| match &name.kind {
                    mlc::syntax::AttrNameKind::Static(text) => Some(text.to_string()),
                    mlc::syntax::AttrNameKind::Dynamic(_) => None,
                }),
            _ => None,
        })
        .collect()
}

/// Inside the string value of a key whose field is a literal union (`type = "Cl|"`): the
/// allowed values, and the byte offset where the string's text starts.
/// Syntactic tests come first: elsewhere (most completions) the file is not type checked.
pub fn union_values(db: &dyn Db, file: SourceFile, offset: u32) -> Option<(u32, Vec<Candidate>)> {
    let root = &parse(db, file).root;
    let chain = ancestors_at(root, offset);
    let (string, owner) = chain
        .iter()
        .rev()
        .zip(chain.iter().rev().skip(1))
        .find_map(|(inner, outer)| {
            matches!(inner.kind, ExprKind::Str { .. }).then_some((*inner, *outer))
        })?;
    if let ExprKind::Str { parts, .. } = &string.kind {
        if parts.iter().any(|p| matches!(p, StrPart::Interp(_))) {
            return None;
        }
    }
    // The binding whose value the string is: its last key names the field.
    let ExprKind::AttrSet { bindings, .. } = &owner.kind else {
        return None;
    };
    let key = bindings.iter().find_map(|binding| match &binding.kind {
        BindingKind::Attr { path, value } if value.span == string.span => path.last(),
        _ => None,
    })?;
    let (_, field) = file_types(db, file).key_at(key.span.start)?;
    let values = field.ty.literal_members()?;
    let candidates = values
        .into_iter()
        .map(|value| Candidate {
            label: value.to_string(),
            kind: CandidateKind::Keyword,
            detail: Some(field.ty.to_string()),
            documentation: field.doc.clone(),
        })
        .collect();
    Some((string.span.start + 1, candidates))
}

/// Hover on a key checked against a declared field: its type, default and doc.
pub fn key_hover(db: &dyn Db, file: SourceFile, offset: u32) -> Option<(Span, String)> {
    let types = file_types(db, file);
    let (span, field) = types.key_at(offset)?;
    let mut markdown = format!("```mlc\n{} :: {}\n```", field.name, field.ty);
    if let Some(default) = default_text(db, field) {
        markdown.push_str(&format!("\ndefault: `{default}`"));
    } else if !field.can_be_omitted() {
        markdown.push_str("\nrequired");
    }
    if let Some(doc) = &field.doc {
        markdown.push_str(&format!("\n\n{doc}"));
    }
    Some((span, markdown))
}

/// Where the field of the key at `offset` is declared.
pub fn key_definition(db: &dyn Db, file: SourceFile, offset: u32) -> Option<FileSpan> {
    let types = file_types(db, file);
    let (_, field) = types.key_at(offset)?;
    let site = field.site.as_ref()?;
    Some(FileSpan {
        file: db.file_named(&site.file)?,
        span: site.span,
    })
}

/// The inferred type of the name defined at `definition` (a let binding, a parameter), as
/// the first line of a hover.
pub fn definition_type(
    db: &dyn Db,
    file: SourceFile,
    name: &str,
    definition: Span,
) -> Option<String> {
    let types = file_types(db, file);
    let ty = types.definitions.get(&definition.start)?;
    if matches!(ty, Type::Dyn) {
        return None;
    }
    Some(format!("```mlc\n{name} :: {}\n```", shown(ty)))
}

/// A type for hover: a record's fields one per line when there are many.
fn shown(ty: &Type) -> String {
    match ty {
        Type::Record(record) if record.fields.len() > 4 => {
            let fields: Vec<String> = record
                .fields
                .iter()
                .map(|f| format!("  {} :: {},", f.name, f.ty))
                .collect();
            let open = if record.open { "\n  ..." } else { "" };
            format!("{{\n{}{open}\n}}", fields.join("\n"))
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use crate::fixture::single;

    fn labels(text: &str) -> Vec<String> {
        let f = single(text);
        crate::completion::completions(&f.db, f.file, "/fixture/main.mlc", f.offset)
            .items
            .into_iter()
            .map(|c| c.label)
            .collect()
    }

    const HEAD: &str = "let mlflow = import <mlflow>; in\nmlflow.deployment {\n";

    #[test]
    fn a_key_being_typed_is_a_key() {
        for body in [
            "  replicas = 1;\n  sto$0\n  image.tag = \"x\";\n}\n",
            "  replicas = 1;\n  sto$0\n}\n",
            "  sto$0\n}\n",
            "  sto$0",
        ] {
            let got = labels(&format!("{HEAD}{body}"));
            assert!(got.contains(&"storage".to_string()), "{body:?}: {got:?}");
            assert!(!got.contains(&"map".to_string()), "{body:?}: {got:?}");
        }
    }

    #[test]
    fn nested_keys_partial_paths_and_keys_already_written() {
        // Nested, in a set being written and after a partial path.
        for body in [
            "  storage = { si$0
}
",
            "  storage = { enabled = true; si$0 };
}
",
            "  storage.si$0
}
",
        ] {
            let got = labels(&format!("{HEAD}{body}"));
            assert!(got.contains(&"size".to_string()), "{body:?}: {got:?}");
            assert!(!got.contains(&"map".to_string()), "{body:?}: {got:?}");
        }
        // Keys written already are not offered again, the one being typed is.
        let got = labels(&format!("{HEAD}  replicaCount = 1;\n  storage$0\n}}\n"));
        assert!(got.contains(&"storage".to_string()), "{got:?}");
        assert!(!got.contains(&"replicaCount".to_string()), "{got:?}");
    }

    /// Sets that flow into a typed parameter get their record type from there: the
    /// checker records it (`FileTypes::records`) and completion reads it like any other.
    #[test]
    fn let_bound_and_merged_sets_complete_their_options() {
        for text in [
            "let mlflow = import <mlflow>;\n  opts = { sto$0 };\nin mlflow.deployment opts\n",
            "let mlflow = import <mlflow>;\n  common = { replicaCount = 1; };\nin mlflow.deployment (common // { sto$0 })\n",
        ] {
            let got = labels(text);
            assert!(got.contains(&"storage".to_string()), "{text:?}: {got:?}");
        }
    }
}
