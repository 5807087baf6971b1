//! The reference of a standard-library record type (`mlc doc`; by default every option of
//! `mlflow.deployment`, the type `Options` of `<mlflow>`): the type looked up in its module,
//! and its Markdown table generated from the type's declaration and doc comments
//! ([`crate::types::docs`]).

use crate::db::{file_types, Db, RootDatabase};
use crate::diagnostic::did_you_mean;
use crate::types::{docs, Type};

/// The record type `type_name` that module `<module>` declares.
pub fn record_type(db: &RootDatabase, module: &str, type_name: &str) -> Result<Type, String> {
    let Some(path) = db.stdlib().module_path(module) else {
        return Err(format!("`<{module}>` is not a standard library module"));
    };
    let root = file_types(db, db.file(&path))
        .root
        .clone()
        .unwrap_or(Type::Dyn);
    root.as_record()
        .and_then(|r| r.exported_type(type_name))
        .cloned()
        .ok_or_else(|| format!("`<{module}>` declares no type `{type_name}`"))
}

/// The Markdown reference of `type_name` declared by module `<module>`.
pub fn markdown(module: &str, type_name: &str) -> Result<String, String> {
    let db = RootDatabase::default().with_prepared_stdlib();
    let Some(path) = db.stdlib().module_path(module) else {
        let names = db.stdlib().module_names();
        let hint = did_you_mean(module, names.iter().copied())
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_default();
        return Err(format!(
            "`<{module}>` is not a standard library module{hint}"
        ));
    };
    let file = db.file(&path);
    let root = file_types(&db, file).root.clone().unwrap_or(Type::Dyn);
    let exported: Vec<String> = root
        .as_record()
        .map(|r| r.types.iter().map(|(n, _)| n.to_string()).collect())
        .unwrap_or_default();
    let Some(ty) = root.as_record().and_then(|r| r.exported_type(type_name)) else {
        let hint = did_you_mean(type_name, exported.iter().map(String::as_str))
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_else(|| format!("; it declares: {}", exported.join(", ")));
        return Err(format!("`<{module}>` declares no type `{type_name}`{hint}"));
    };
    let default_text = |default: &crate::types::Default| {
        let source = db.file_by_name(&default.file)?;
        let text = source.source_text(&db);
        text.get(default.expr.span.range()).map(str::to_string)
    };
    Ok(docs::markdown(ty, &default_text))
}
