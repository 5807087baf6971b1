//! Writing one module's form (see the parent module): only the test that prepares the
//! standard library's bytes writes it.

use crate::names::{
    DefKind, Definition, Inherit, NameResolution, RefKind, Reference, Resolution, Scope, ScopeId,
    ScopeKind,
};
use crate::syntax::{
    AttrName, AttrNameKind, BinaryOp, Binding, BindingKind, Comment, CommentKind, Expr, ExprKind,
    FieldType, Param, Parse, PatField, Refinement, Span, StrPart, TypeExpr, TypeExprKind, UnaryOp,
};
use rustc_hash::FxHashMap;

/// The form of one file's parse and resolution; `Err` when it cannot be stored (syntax
/// errors, or globals other than the builtins').
pub fn encode_module(parse: &Parse, names: &NameResolution) -> Result<Vec<u8>, String> {
    if !parse.errors.is_empty() {
        return Err(format!("{} syntax errors", parse.errors.len()));
    }
    let globals: Vec<&str> = names.globals.iter().map(|name| &**name).collect();
    if globals != crate::builtins::global_names() {
        return Err("the globals are not the builtins'".to_string());
    }
    let mut texts = Texts::default();
    let mut tree = Out::default();
    tree.expr(&parse.root, &mut texts);
    tree.number(parse.comments.len() as u64);
    for comment in &parse.comments {
        tree.comment(comment, &mut texts);
    }
    let mut resolution = Out::default();
    resolution.resolution(names, &mut texts);

    let mut table = Out::default();
    table.number(texts.names.len() as u64);
    for (start, len) in &texts.names {
        table.number(u64::from(*start));
        table.number(u64::from(*len));
    }
    let mut out = Out::default();
    for part in [
        texts.text.as_bytes(),
        &table.bytes,
        &tree.bytes,
        &resolution.bytes,
    ] {
        out.number(part.len() as u64);
        out.bytes.extend_from_slice(part);
    }
    Ok(out.bytes)
}

/// An archive of modules for [`super::find_module`]: each module's key and form.
pub fn encode_archive(modules: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Out::default();
    out.number(modules.len() as u64);
    for (key, module) in modules {
        for part in [key.as_bytes(), module] {
            out.number(part.len() as u64);
            out.bytes.extend_from_slice(part);
        }
    }
    out.bytes
}

/// The texts of a module, each written once.
#[derive(Default)]
struct Texts {
    text: String,
    places: FxHashMap<String, (u32, u32)>,
    /// The names, by number: places in `text`.
    names: Vec<(u32, u32)>,
    name_numbers: FxHashMap<String, u32>,
}

impl Texts {
    fn place(&mut self, text: &str) -> (u32, u32) {
        if let Some(place) = self.places.get(text) {
            return *place;
        }
        let place = (self.text.len() as u32, text.len() as u32);
        self.text.push_str(text);
        self.places.insert(text.to_string(), place);
        place
    }

    fn name(&mut self, name: &str) -> u32 {
        if let Some(number) = self.name_numbers.get(name) {
            return *number;
        }
        let place = self.place(name);
        let number = self.names.len() as u32;
        self.names.push(place);
        self.name_numbers.insert(name.to_string(), number);
        number
    }
}

#[derive(Default)]
struct Out {
    bytes: Vec<u8>,
}

pub(super) fn binary_op(op: BinaryOp) -> u8 {
    match op {
        BinaryOp::Add => 0,
        BinaryOp::Sub => 1,
        BinaryOp::Mul => 2,
        BinaryOp::Div => 3,
        BinaryOp::Concat => 4,
        BinaryOp::Update => 5,
        BinaryOp::Eq => 6,
        BinaryOp::NotEq => 7,
        BinaryOp::Less => 8,
        BinaryOp::LessEq => 9,
        BinaryOp::Greater => 10,
        BinaryOp::GreaterEq => 11,
        BinaryOp::And => 12,
        BinaryOp::Or => 13,
        BinaryOp::Implies => 14,
    }
}

pub(super) fn unary_op(op: UnaryOp) -> u8 {
    match op {
        UnaryOp::Neg => 0,
        UnaryOp::Not => 1,
    }
}

impl Out {
    fn byte(&mut self, byte: u8) {
        self.bytes.push(byte);
    }

    fn flag(&mut self, flag: bool) {
        self.byte(u8::from(flag));
    }

    fn number(&mut self, value: u64) {
        crate::types::stored::write_number(&mut self.bytes, value);
    }

    fn span(&mut self, span: Span) {
        self.number(u64::from(span.start));
        self.number(u64::from(span.end.wrapping_sub(span.start)));
    }

    fn text(&mut self, text: &str, texts: &mut Texts) {
        let (start, len) = texts.place(text);
        self.number(u64::from(start));
        self.number(u64::from(len));
    }

    fn name(&mut self, name: &str, texts: &mut Texts) {
        let number = texts.name(name);
        self.number(u64::from(number));
    }

    fn option_text(&mut self, text: Option<&str>, texts: &mut Texts) {
        self.flag(text.is_some());
        if let Some(text) = text {
            self.text(text, texts);
        }
    }

    fn scope_id(&mut self, scope: Option<ScopeId>) {
        // 0 is none, n + 1 is scope n.
        self.number(scope.map_or(0, |id| u64::from(id.0) + 1));
    }

    fn expr(&mut self, expr: &Expr, texts: &mut Texts) {
        let tag: u8 = match &expr.kind {
            ExprKind::Int(_) => 0,
            ExprKind::Float(_) => 1,
            ExprKind::Str { .. } => 2,
            ExprKind::Path(_) => 3,
            ExprKind::SearchPath(_) => 4,
            ExprKind::Var(_) => 5,
            ExprKind::List(_) => 6,
            ExprKind::AttrSet { .. } => 7,
            ExprKind::Let { .. } => 8,
            ExprKind::With { .. } => 9,
            ExprKind::If { .. } => 10,
            ExprKind::Assert { .. } => 11,
            ExprKind::Lambda { .. } => 12,
            ExprKind::Apply { .. } => 13,
            ExprKind::Select { .. } => 14,
            ExprKind::HasAttr { .. } => 15,
            ExprKind::Binary { .. } => 16,
            ExprKind::Unary { .. } => 17,
            ExprKind::Paren(_) => 18,
            ExprKind::Annotated { .. } => 19,
            ExprKind::Error => 20,
        };
        self.byte(tag);
        self.span(expr.span);
        match &expr.kind {
            ExprKind::Int(value) => self.number(((value << 1) ^ (value >> 63)) as u64),
            ExprKind::Float(value) => self.bytes.extend_from_slice(&value.to_bits().to_le_bytes()),
            ExprKind::Str { parts, indented } => {
                self.flag(*indented);
                self.parts(parts, texts);
            }
            ExprKind::Path(parts) => self.parts(parts, texts),
            ExprKind::SearchPath(name) => self.text(name, texts),
            ExprKind::Var(name) => self.name(name, texts),
            ExprKind::List(items) => {
                self.number(items.len() as u64);
                for item in items {
                    self.expr(item, texts);
                }
            }
            ExprKind::AttrSet { rec, bindings } => {
                self.flag(*rec);
                self.bindings(bindings, texts);
            }
            ExprKind::Let { bindings, body } => {
                self.bindings(bindings, texts);
                self.expr(body, texts);
            }
            ExprKind::With { scope, body } => {
                self.expr(scope, texts);
                self.expr(body, texts);
            }
            ExprKind::If { cond, then_, else_ } => {
                self.expr(cond, texts);
                self.expr(then_, texts);
                self.expr(else_, texts);
            }
            ExprKind::Assert { cond, body } => {
                self.expr(cond, texts);
                self.expr(body, texts);
            }
            ExprKind::Lambda { param, body } => {
                self.param(param, texts);
                self.expr(body, texts);
            }
            ExprKind::Apply { func, arg } => {
                self.expr(func, texts);
                self.expr(arg, texts);
            }
            ExprKind::Select {
                expr,
                path,
                default,
            } => {
                self.expr(expr, texts);
                self.attr_path(path, texts);
                self.flag(default.is_some());
                if let Some(default) = default {
                    self.expr(default, texts);
                }
            }
            ExprKind::HasAttr { expr, path } => {
                self.expr(expr, texts);
                self.attr_path(path, texts);
            }
            ExprKind::Binary {
                op,
                op_span,
                lhs,
                rhs,
            } => {
                self.byte(binary_op(*op));
                self.span(*op_span);
                self.expr(lhs, texts);
                self.expr(rhs, texts);
            }
            ExprKind::Unary { op, expr } => {
                self.byte(unary_op(*op));
                self.expr(expr, texts);
            }
            ExprKind::Paren(inner) => self.expr(inner, texts),
            ExprKind::Annotated { expr, ty } => {
                self.expr(expr, texts);
                self.type_expr(ty, texts);
            }
            ExprKind::Error => {}
        }
    }

    fn option_expr(&mut self, expr: Option<&Expr>, texts: &mut Texts) {
        self.flag(expr.is_some());
        if let Some(expr) = expr {
            self.expr(expr, texts);
        }
    }

    fn parts(&mut self, parts: &[StrPart], texts: &mut Texts) {
        self.number(parts.len() as u64);
        for part in parts {
            match part {
                StrPart::Lit(text) => {
                    self.byte(0);
                    self.text(text, texts);
                }
                StrPart::Interp(expr) => {
                    self.byte(1);
                    self.expr(expr, texts);
                }
            }
        }
    }

    fn attr_path(&mut self, path: &[AttrName], texts: &mut Texts) {
        self.number(path.len() as u64);
        for name in path {
            self.attr_name(name, texts);
        }
    }

    fn attr_name(&mut self, name: &AttrName, texts: &mut Texts) {
        self.span(name.span);
        match &name.kind {
            AttrNameKind::Static(text) => {
                self.byte(0);
                self.name(text, texts);
            }
            AttrNameKind::Dynamic(expr) => {
                self.byte(1);
                self.expr(expr, texts);
            }
        }
    }

    fn bindings(&mut self, bindings: &[Binding], texts: &mut Texts) {
        self.number(bindings.len() as u64);
        for binding in bindings {
            self.span(binding.span);
            self.option_type(binding.ty.as_ref(), texts);
            self.option_text(binding.doc.as_deref(), texts);
            match &binding.kind {
                BindingKind::Attr { path, value } => {
                    self.byte(0);
                    self.attr_path(path, texts);
                    self.expr(value, texts);
                }
                BindingKind::Inherit { from, names } => {
                    self.byte(1);
                    self.option_expr(from.as_deref(), texts);
                    self.attr_path(names, texts);
                }
                BindingKind::TypeDecl {
                    name,
                    name_span,
                    ty,
                } => {
                    self.byte(2);
                    self.name(name, texts);
                    self.span(*name_span);
                    self.type_expr(ty, texts);
                }
            }
        }
    }

    fn param(&mut self, param: &Param, texts: &mut Texts) {
        match param {
            Param::Ident { name, span, ty } => {
                self.byte(0);
                self.name(name, texts);
                self.span(*span);
                self.option_type(ty.as_ref(), texts);
            }
            Param::Pattern {
                fields,
                ellipsis,
                bind,
                span,
            } => {
                self.byte(1);
                self.number(fields.len() as u64);
                for field in fields {
                    self.pat_field(field, texts);
                }
                self.flag(*ellipsis);
                self.flag(bind.is_some());
                if let Some((name, span)) = bind {
                    self.name(name, texts);
                    self.span(*span);
                }
                self.span(*span);
            }
        }
    }

    fn pat_field(&mut self, field: &PatField, texts: &mut Texts) {
        self.name(&field.name, texts);
        self.span(field.span);
        self.option_type(field.ty.as_ref(), texts);
        self.option_expr(field.default.as_ref(), texts);
    }

    fn option_type(&mut self, ty: Option<&TypeExpr>, texts: &mut Texts) {
        self.flag(ty.is_some());
        if let Some(ty) = ty {
            self.type_expr(ty, texts);
        }
    }

    fn type_expr(&mut self, ty: &TypeExpr, texts: &mut Texts) {
        let tag: u8 = match &ty.kind {
            TypeExprKind::Name(_) => 0,
            TypeExprKind::Literal(_) => 1,
            TypeExprKind::Union(_) => 2,
            TypeExprKind::Optional(_) => 3,
            TypeExprKind::List(_) => 4,
            TypeExprKind::Map(_) => 5,
            TypeExprKind::Record { .. } => 6,
            TypeExprKind::Function(..) => 7,
            TypeExprKind::Refined { .. } => 8,
            TypeExprKind::Paren(_) => 9,
            TypeExprKind::Error => 10,
        };
        self.byte(tag);
        self.span(ty.span);
        match &ty.kind {
            TypeExprKind::Name(segments) => {
                self.number(segments.len() as u64);
                for (name, span) in segments {
                    self.name(name, texts);
                    self.span(*span);
                }
            }
            TypeExprKind::Literal(text) => self.text(text, texts),
            TypeExprKind::Union(members) => {
                self.number(members.len() as u64);
                for member in members {
                    self.type_expr(member, texts);
                }
            }
            TypeExprKind::Optional(inner)
            | TypeExprKind::List(inner)
            | TypeExprKind::Map(inner)
            | TypeExprKind::Paren(inner) => self.type_expr(inner, texts),
            TypeExprKind::Record { fields, open } => {
                self.number(fields.len() as u64);
                for field in fields {
                    self.field_type(field, texts);
                }
                self.flag(*open);
            }
            TypeExprKind::Function(from, to) => {
                self.type_expr(from, texts);
                self.type_expr(to, texts);
            }
            TypeExprKind::Refined { base, refinement } => {
                self.type_expr(base, texts);
                match refinement {
                    Refinement::Range { min, max } => {
                        self.byte(0);
                        for end in [min, max] {
                            self.flag(end.is_some());
                            if let Some(value) = end {
                                self.number(((value << 1) ^ (value >> 63)) as u64);
                            }
                        }
                    }
                    Refinement::Pattern(pattern) => {
                        self.byte(1);
                        self.text(pattern, texts);
                    }
                }
            }
            TypeExprKind::Error => {}
        }
    }

    fn field_type(&mut self, field: &FieldType, texts: &mut Texts) {
        self.name(&field.name, texts);
        self.span(field.name_span);
        self.type_expr(&field.ty, texts);
        self.option_expr(field.default.as_ref(), texts);
        self.option_text(field.doc.as_deref(), texts);
        self.span(field.span);
    }

    fn comment(&mut self, comment: &Comment, texts: &mut Texts) {
        self.span(comment.span);
        self.flag(matches!(comment.kind, CommentKind::Block));
        self.text(&comment.text, texts);
    }

    fn resolution(&mut self, names: &NameResolution, texts: &mut Texts) {
        self.number(names.scopes.len() as u64);
        for scope in &names.scopes {
            self.scope(scope, texts);
        }
        self.number(names.definitions.len() as u64);
        for definition in &names.definitions {
            self.definition(definition, texts);
        }
        self.number(names.references.len() as u64);
        for reference in &names.references {
            self.reference(reference, texts);
        }
    }

    fn scope(&mut self, scope: &Scope, texts: &mut Texts) {
        self.scope_id(scope.parent);
        match scope.kind {
            ScopeKind::Let => self.byte(0),
            ScopeKind::RecSet => self.byte(1),
            ScopeKind::Lambda => self.byte(2),
            ScopeKind::With { scope } => {
                self.byte(3);
                self.span(scope);
            }
        }
        self.span(scope.span);
        self.number(scope.names.len() as u64);
        for (name, def) in &scope.names {
            self.name(name, texts);
            self.number(u64::from(def.0));
        }
    }

    fn inherit(&mut self, inherit: Inherit) {
        self.byte(match inherit {
            Inherit::No => 0,
            Inherit::Lexical => 1,
            Inherit::From => 2,
        });
    }

    fn definition(&mut self, definition: &Definition, texts: &mut Texts) {
        self.name(&definition.name, texts);
        match definition.kind {
            DefKind::Let { inherit } => {
                self.byte(0);
                self.inherit(inherit);
            }
            DefKind::RecAttr { inherit } => {
                self.byte(1);
                self.inherit(inherit);
            }
            DefKind::Param => self.byte(2),
            DefKind::PatField => self.byte(3),
            DefKind::PatBind => self.byte(4),
        }
        self.number(definition.spans.len() as u64);
        for span in &definition.spans {
            self.span(*span);
        }
        self.span(definition.binding_span);
        self.number(u64::from(definition.scope.0));
    }

    fn reference(&mut self, reference: &Reference, texts: &mut Texts) {
        self.name(&reference.name, texts);
        self.span(reference.span);
        self.scope_id(reference.scope);
        match reference.kind {
            RefKind::Var => self.byte(0),
            RefKind::Inherit { defines } => {
                self.byte(1);
                self.scope_id(defines);
            }
        }
        match reference.resolution {
            Resolution::Local(def) => {
                self.byte(0);
                self.number(u64::from(def.0));
            }
            Resolution::Global => self.byte(1),
            Resolution::With(scope) => {
                self.byte(2);
                self.number(u64::from(scope.0));
            }
            Resolution::Unbound => self.byte(3),
        }
    }
}
