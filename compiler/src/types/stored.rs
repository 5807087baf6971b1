//! A compact binary form of what importing and evaluating a file needs of its types: the
//! type of its value and the types of its annotations. The standard library's are encoded
//! once, when it changes, and embedded (`db::prepared`), so that a run decodes them instead
//! of type checking the library again.
//!
//! The form keeps everything a [`Type`] holds, and decodes to a value equal to the encoded
//! one (`db::prepared`'s test checks it for every module): record types once each, however
//! often they are shared; the built-in named types by name (they come back with their
//! hand-written matchers); a field's default as the place it is written, since the
//! expression is the file's own (the host finds it in the file's tree again).

use super::prelude;
use super::ty::{Check, Default, Field, Pattern, Record, Refined, Site, Type};
use crate::diagnostic::FileName;
use crate::syntax::{BindingKind, Expr, ExprKind, Param, Span, TypeExpr, TypeExprKind};
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// What is kept of one file's types.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct StoredTypes {
    pub root: Option<Type>,
    pub annotations: FxHashMap<u32, Type>,
}

/// Writes the types of one file after another; a record type shared by several of them
/// (the options of `<mlflow>`) is written once.
#[derive(Default)]
pub struct Writer {
    out: Vec<u8>,
    /// The number of each record type written so far, by address.
    records: FxHashMap<*const Record, u64>,
}

impl Writer {
    /// Writes one file's types; `Err` names what has no encoding (then they cannot be
    /// stored).
    pub fn types(&mut self, types: &StoredTypes) -> Result<(), String> {
        self.option_type(types.root.as_ref())?;
        let mut annotations: Vec<(&u32, &Type)> = types.annotations.iter().collect();
        annotations.sort_by_key(|(start, _)| **start);
        self.number(annotations.len() as u64);
        for (start, ty) in annotations {
            self.number(u64::from(*start));
            self.ty(ty)?;
        }
        Ok(())
    }

    /// Writes a text (a file's path, for the host's index).
    pub fn text(&mut self, text: &str) {
        self.number(text.len() as u64);
        self.out.extend_from_slice(text.as_bytes());
    }

    /// Writes a number (LEB128).
    pub fn number(&mut self, value: u64) {
        write_number(&mut self.out, value);
    }

    /// Writes raw bytes.
    pub fn bytes(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
    }

    /// Everything written.
    pub fn finish(self) -> Vec<u8> {
        self.out
    }
}

/// Appends `value` to `out` as LEB128: seven bits a byte, the high bit set on every byte
/// but the last (the numbers of this form and of `db::syntax_codec`'s).
pub fn write_number(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let low = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

/// Reads what a [`Writer`] wrote, in the same order. `default` finds the expression of a
/// field's default, written in `file` at `span`.
pub struct Reader<'b, 'd> {
    bytes: &'b [u8],
    records: Vec<Arc<Record>>,
    default: &'d dyn Fn(&FileName, Span) -> Option<Arc<Expr>>,
}

impl<'b, 'd> Reader<'b, 'd> {
    pub fn new(bytes: &'b [u8], default: &'d dyn Fn(&FileName, Span) -> Option<Arc<Expr>>) -> Self {
        Reader {
            bytes,
            records: Vec::new(),
            default,
        }
    }

    /// Reads one file's types.
    pub fn types(&mut self) -> Result<StoredTypes, String> {
        let root = self.option_type()?;
        let count = self.count()?;
        let mut annotations = FxHashMap::default();
        annotations.reserve(count);
        for _ in 0..count {
            let start = self.number()? as u32;
            annotations.insert(start, self.ty()?);
        }
        Ok(StoredTypes { root, annotations })
    }

    /// Whether everything was read.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// What is left to read.
    pub fn remaining(&self) -> &'b [u8] {
        self.bytes
    }
}

/// The default of every field of a record type written in the tree `root`, by its span:
/// what a stored field's default refers to. The expressions are copies, as the checker's.
pub fn type_defaults(root: &Expr) -> FxHashMap<(u32, u32), Arc<Expr>> {
    let mut found = FxHashMap::default();
    defaults_in_expr(root, &mut found);
    found
}

fn defaults_in_expr(expr: &Expr, found: &mut FxHashMap<(u32, u32), Arc<Expr>>) {
    match &expr.kind {
        ExprKind::Annotated { ty, .. } => defaults_in_type(ty, found),
        ExprKind::Lambda { param, .. } => match &**param {
            Param::Ident { ty: Some(ty), .. } => defaults_in_type(ty, found),
            Param::Ident { ty: None, .. } => {}
            Param::Pattern { fields, .. } => {
                for ty in fields.iter().filter_map(|field| field.ty.as_ref()) {
                    defaults_in_type(ty, found);
                }
            }
        },
        ExprKind::AttrSet { bindings, .. } | ExprKind::Let { bindings, .. } => {
            for binding in bindings {
                if let Some(ty) = &binding.ty {
                    defaults_in_type(ty, found);
                }
                if let BindingKind::TypeDecl { ty, .. } = &binding.kind {
                    defaults_in_type(ty, found);
                }
            }
        }
        _ => {}
    }
    crate::syntax::walk::for_each_child(expr, &mut |child| defaults_in_expr(child, found));
}

fn defaults_in_type(ty: &TypeExpr, found: &mut FxHashMap<(u32, u32), Arc<Expr>>) {
    if let TypeExprKind::Record { fields, .. } = &ty.kind {
        for default in fields.iter().filter_map(|field| field.default.as_ref()) {
            let span = (default.span.start, default.span.end);
            found.insert(span, Arc::new(default.clone()));
            defaults_in_expr(default, found);
        }
    }
    crate::syntax::walk::for_each_type_child(ty, &mut |child| defaults_in_type(child, found));
}

// The tag of each kind of type.
const DYN: u8 = 0;
const NEVER: u8 = 1;
const NULL: u8 = 2;
const BOOL: u8 = 3;
const INT: u8 = 4;
const FLOAT: u8 = 5;
const NUMBER: u8 = 6;
const STRING: u8 = 7;
const PATH: u8 = 8;
const LITERAL: u8 = 9;
const LIST: u8 = 10;
const MAP: u8 = 11;
/// A record type not seen before in this file: its fields, then it takes the next number.
const RECORD: u8 = 12;
/// A record type seen before, by its number.
const RECORD_AGAIN: u8 = 13;
const FUNCTION: u8 = 14;
const UNION: u8 = 15;
const REFINED: u8 = 16;
const NAMED: u8 = 17;
/// A built-in named type of the prelude, by name.
const BUILT_IN: u8 = 18;
/// The refinement inside a built-in named type, by the type's name.
const BUILT_IN_REFINEMENT: u8 = 19;

impl Writer {
    fn byte(&mut self, byte: u8) {
        self.out.push(byte);
    }

    fn option_text(&mut self, text: Option<&str>) {
        match text {
            Some(text) => {
                self.byte(1);
                self.text(text);
            }
            None => self.byte(0),
        }
    }

    fn span(&mut self, span: Span) {
        self.number(u64::from(span.start));
        self.number(u64::from(span.end));
    }

    fn option_type(&mut self, ty: Option<&Type>) -> Result<(), String> {
        match ty {
            Some(ty) => {
                self.byte(1);
                self.ty(ty)
            }
            None => {
                self.byte(0);
                Ok(())
            }
        }
    }

    fn ty(&mut self, ty: &Type) -> Result<(), String> {
        match ty {
            Type::Dyn => self.byte(DYN),
            Type::Never => self.byte(NEVER),
            Type::Null => self.byte(NULL),
            Type::Bool => self.byte(BOOL),
            Type::Int => self.byte(INT),
            Type::Float => self.byte(FLOAT),
            Type::Number => self.byte(NUMBER),
            Type::String => self.byte(STRING),
            Type::Path => self.byte(PATH),
            Type::Literal(text) => {
                self.byte(LITERAL);
                self.text(text);
            }
            Type::List(item) => {
                self.byte(LIST);
                self.ty(item)?;
            }
            Type::Map(value) => {
                self.byte(MAP);
                self.ty(value)?;
            }
            Type::Record(record) => self.record(record)?,
            Type::Function(from, to) => {
                self.byte(FUNCTION);
                self.ty(from)?;
                self.ty(to)?;
            }
            Type::Union(members) => {
                self.byte(UNION);
                self.number(members.len() as u64);
                for member in members.iter() {
                    self.ty(member)?;
                }
            }
            Type::Refined(refined) => self.refined(refined)?,
            Type::Named(name, inner) => {
                if prelude::named_type(name).as_ref() == Some(ty) {
                    self.byte(BUILT_IN);
                    self.text(name);
                } else {
                    self.byte(NAMED);
                    self.text(name);
                    self.ty(inner)?;
                }
            }
        }
        Ok(())
    }

    fn record(&mut self, record: &Arc<Record>) -> Result<(), String> {
        if let Some(number) = self.records.get(&Arc::as_ptr(record)) {
            let number = *number;
            self.byte(RECORD_AGAIN);
            self.number(number);
            return Ok(());
        }
        self.byte(RECORD);
        self.byte(u8::from(record.open));
        self.number(record.fields.len() as u64);
        for field in &record.fields {
            self.field(field)?;
        }
        self.number(record.types.len() as u64);
        for (name, ty) in &record.types {
            self.text(name);
            self.ty(ty)?;
        }
        // Numbered after its fields, as the decoder can only then make it.
        let number = self.records.len() as u64;
        self.records.insert(Arc::as_ptr(record), number);
        Ok(())
    }

    fn field(&mut self, field: &Field) -> Result<(), String> {
        self.text(&field.name);
        self.ty(&field.ty)?;
        match &field.default {
            Some(default) => {
                self.byte(1);
                self.text(&default.file);
                self.span(default.expr.span);
            }
            None => self.byte(0),
        }
        self.option_text(field.doc.as_deref());
        match &field.site {
            Some(site) => {
                self.byte(1);
                self.text(&site.file);
                self.span(site.span);
            }
            None => self.byte(0),
        }
        self.byte(u8::from(field.optional));
        Ok(())
    }

    fn refined(&mut self, refined: &Refined) -> Result<(), String> {
        if let Some(description) = refined.description {
            // Only the prelude's refinements describe themselves.
            let name = prelude::named_type_names().into_iter().find(|name| {
                matches!(prelude::named_type(name), Some(Type::Named(_, inner))
                    if matches!(&*inner, Type::Refined(built_in) if **built_in == *refined))
            });
            let Some(name) = name else {
                return Err(format!("a refinement described as `{description}`"));
            };
            self.byte(BUILT_IN_REFINEMENT);
            self.text(name);
            return Ok(());
        }
        self.byte(REFINED);
        self.ty(&refined.base)?;
        match &refined.check {
            Check::Range { min, max } => {
                self.byte(0);
                for end in [min, max] {
                    match end {
                        Some(value) => {
                            self.byte(1);
                            self.out.extend_from_slice(&value.to_le_bytes());
                        }
                        None => self.byte(0),
                    }
                }
            }
            Check::Pattern(pattern) => {
                self.byte(1);
                self.text(pattern.source());
            }
        }
        Ok(())
    }
}

impl<'b> Reader<'b, '_> {
    fn byte(&mut self) -> Result<u8, String> {
        let (first, rest) = self.bytes.split_first().ok_or("the types end early")?;
        self.bytes = rest;
        Ok(*first)
    }

    fn flag(&mut self) -> Result<bool, String> {
        Ok(self.byte()? != 0)
    }

    /// Reads a number (LEB128).
    pub fn number(&mut self) -> Result<u64, String> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("a number is too long".to_string())
    }

    fn count(&mut self) -> Result<usize, String> {
        let count = self.number()? as usize;
        // Every item takes a byte at least: a count beyond that is corrupt.
        if count > self.bytes.len() {
            return Err("a count beyond the end".to_string());
        }
        Ok(count)
    }

    /// Reads a text.
    pub fn text(&mut self) -> Result<&'b str, String> {
        let len = self.count()?;
        let (text, rest) = self.bytes.split_at(len);
        self.bytes = rest;
        std::str::from_utf8(text).map_err(|_| "a text is not UTF-8".to_string())
    }

    fn shared_text(&mut self) -> Result<Arc<str>, String> {
        self.text().map(Arc::from)
    }

    fn span(&mut self) -> Result<Span, String> {
        let start = self.number()? as u32;
        let end = self.number()? as u32;
        Ok(Span { start, end })
    }

    fn option_type(&mut self) -> Result<Option<Type>, String> {
        Ok(if self.flag()? { Some(self.ty()?) } else { None })
    }

    fn ty(&mut self) -> Result<Type, String> {
        Ok(match self.byte()? {
            DYN => Type::Dyn,
            NEVER => Type::Never,
            NULL => Type::Null,
            BOOL => Type::Bool,
            INT => Type::Int,
            FLOAT => Type::Float,
            NUMBER => Type::Number,
            STRING => Type::String,
            PATH => Type::Path,
            LITERAL => Type::Literal(self.shared_text()?),
            LIST => Type::List(Arc::new(self.ty()?)),
            MAP => Type::Map(Arc::new(self.ty()?)),
            RECORD => Type::Record(self.record()?),
            RECORD_AGAIN => {
                let number = self.number()? as usize;
                let record = self.records.get(number).ok_or("an unknown record")?;
                Type::Record(record.clone())
            }
            FUNCTION => {
                let from = self.ty()?;
                let to = self.ty()?;
                Type::Function(Arc::new(from), Arc::new(to))
            }
            UNION => {
                let count = self.count()?;
                let members: Vec<Type> = (0..count).map(|_| self.ty()).collect::<Result<_, _>>()?;
                // As encoded: a union is already flat.
                Type::Union(Arc::from(members))
            }
            REFINED => Type::Refined(Arc::new(self.refined()?)),
            NAMED => {
                let name = self.shared_text()?;
                Type::Named(name, Arc::new(self.ty()?))
            }
            BUILT_IN => {
                let name = self.text()?;
                prelude::named_type(name).ok_or_else(|| format!("no built-in type `{name}`"))?
            }
            BUILT_IN_REFINEMENT => {
                let name = self.text()?;
                match prelude::named_type(name) {
                    Some(Type::Named(_, inner)) if matches!(&*inner, Type::Refined(_)) => {
                        (*inner).clone()
                    }
                    _ => return Err(format!("no built-in refinement `{name}`")),
                }
            }
            tag => return Err(format!("an unknown type tag {tag}")),
        })
    }

    fn record(&mut self) -> Result<Arc<Record>, String> {
        let open = self.flag()?;
        let count = self.count()?;
        let fields = (0..count).map(|_| self.field()).collect::<Result<_, _>>()?;
        let count = self.count()?;
        let mut types = Vec::with_capacity(count);
        for _ in 0..count {
            let name = self.shared_text()?;
            types.push((name, self.ty()?));
        }
        let record = Arc::new(Record {
            fields,
            open,
            types,
        });
        self.records.push(record.clone());
        Ok(record)
    }

    fn field(&mut self) -> Result<Field, String> {
        let name = self.shared_text()?;
        let ty = self.ty()?;
        let default = if self.flag()? {
            let file: FileName = self.shared_text()?;
            let span = self.span()?;
            let expr = (self.default)(&file, span)
                .ok_or_else(|| format!("no default at {}..{} in `{file}`", span.start, span.end))?;
            Some(Default { expr, file })
        } else {
            None
        };
        let doc = if self.flag()? {
            Some(self.text()?.to_string())
        } else {
            None
        };
        let site = if self.flag()? {
            let file = self.shared_text()?;
            let span = self.span()?;
            Some(Site { file, span })
        } else {
            None
        };
        let optional = self.flag()?;
        Ok(Field {
            name,
            ty,
            default,
            doc,
            site,
            optional,
        })
    }

    fn refined(&mut self) -> Result<Refined, String> {
        let base = self.ty()?;
        let check = if self.flag()? {
            Check::Pattern(Arc::new(Pattern::trusted(self.text()?.to_string())))
        } else {
            let mut ends = [None, None];
            for end in &mut ends {
                if self.flag()? {
                    let (value, rest) = self
                        .bytes
                        .split_first_chunk::<8>()
                        .ok_or("the types end early")?;
                    *end = Some(i64::from_le_bytes(*value));
                    self.bytes = rest;
                }
            }
            Check::Range {
                min: ends[0],
                max: ends[1],
            }
        };
        Ok(Refined {
            base,
            check,
            description: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(source: &str) -> (StoredTypes, StoredTypes) {
        let parse = crate::syntax::parse(source);
        assert!(parse.errors.is_empty(), "{:?}", parse.errors);
        let names = crate::names::resolve(&parse.root, &crate::builtins::global_names());
        let checked = super::super::check_file(
            &parse,
            &names,
            FileName::from("<stdlib>/t.mlc"),
            &super::super::NoImports,
        );
        assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
        let stored = StoredTypes {
            root: checked.root,
            annotations: (*checked.annotations).clone(),
        };
        let mut writer = Writer::default();
        writer.types(&stored).unwrap_or_else(|e| panic!("{e}"));
        // Twice: the second time, its records are written as the first's again.
        writer.types(&stored).unwrap_or_else(|e| panic!("{e}"));
        let bytes = writer.finish();
        let defaults = type_defaults(&parse.root);
        let find = |_: &FileName, span: Span| defaults.get(&(span.start, span.end)).cloned();
        let mut reader = Reader::new(&bytes, &find);
        let decoded = reader.types().unwrap_or_else(|e| panic!("{e}"));
        let again = reader.types().unwrap_or_else(|e| panic!("{e}"));
        assert!(reader.is_empty());
        assert_eq!(decoded, again);
        (stored, decoded)
    }

    #[test]
    fn types_come_back_equal() {
        let (stored, decoded) = round_trip(
            r#"let
              type Inner = { port :: Port = 80, name :: K8sName? };
              type Outer = {
                # Documented.
                a :: Inner,
                b :: Inner = { },
                c :: ("x" | "y")? = "x",
                d :: [Int(0..10)],
                e :: { [String]: String(/[a-z]+/) },
                f :: Quantity?,
                g :: String -> Int,
                ...
              };
              f = (o :: Outer): o;
            in { type T = Outer; inherit f; n = 1; s = "s"; l = [ 1 ]; }"#,
        );
        assert_eq!(stored, decoded);
        assert!(!decoded.annotations.is_empty());
    }

    #[test]
    fn built_in_refinements_keep_their_matchers() {
        let (_, decoded) = round_trip("{ f = (p :: Port): p; n = (x :: K8sName): x; }");
        let names: Vec<String> = decoded.annotations.values().map(Type::to_string).collect();
        assert!(names.iter().any(|name| name == "K8sName"), "{names:?}");
        for ty in decoded.annotations.values() {
            if let Type::Named(_, inner) = ty {
                if let Type::Refined(refined) = &**inner {
                    assert!(refined.description.is_some());
                }
            }
        }
    }

    #[test]
    fn corrupt_bytes_are_an_error_not_a_panic() {
        let find = |_: &FileName, _: Span| None;
        let cases: [&[u8]; 3] = [&[1, 200], &[1, RECORD, 0, 255, 255, 255], &[7]];
        for bytes in cases {
            assert!(Reader::new(bytes, &find).types().is_err(), "{bytes:?}");
        }
    }
}
