//! Reading one module's form (see the parent module) back into the parser's and the name
//! resolution's types. Every read is checked: bytes that end early, a count beyond the end,
//! an unknown tag or a text outside the module's texts give `None`.

use super::{BINARY_OPS, UNARY_OPS};
use crate::names::{
    DefId, DefKind, Definition, Inherit, NameResolution, RefKind, Reference, Resolution, Scope,
    ScopeId, ScopeKind, ScopeNames,
};
use crate::syntax::{
    AttrName, AttrNameKind, Binding, BindingKind, Comment, CommentKind, Expr, ExprKind, FieldType,
    Name, Param, Parse, PatField, Refinement, Span, StrPart, TypeExpr, TypeExprKind,
};
use std::sync::Arc;

/// One module's form, split into its parts.
pub struct Module<'b> {
    texts: &'b str,
    names: &'b [u8],
    tree: &'b [u8],
    resolution: &'b [u8],
}

impl<'b> Module<'b> {
    /// The parts of the form `bytes` (all of them, nothing after), if it has them.
    pub fn read(bytes: &'b [u8]) -> Option<Module<'b>> {
        let mut input = Input { bytes, names: &[] };
        let texts = std::str::from_utf8(input.part()?).ok()?;
        let names = input.part()?;
        let tree = input.part()?;
        let resolution = input.part()?;
        input.bytes.is_empty().then_some(Module {
            texts,
            names,
            tree,
            resolution,
        })
    }
}

/// The form of the module stored as `key` in an archive of modules (a count, then each
/// module's key and form), if it has one.
pub fn find_module<'b>(archive: &'b [u8], key: &str) -> Option<Module<'b>> {
    let mut input = Input {
        bytes: archive,
        names: &[],
    };
    let count = input.count()?;
    for _ in 0..count {
        let found = input.part()? == key.as_bytes();
        let module = input.part()?;
        if found {
            return Module::read(module);
        }
    }
    None
}

/// The module's names, each allocated once and shared by its tree and its resolution.
pub fn decode_names(module: &Module<'_>) -> Option<Vec<Name>> {
    let mut input = Input {
        bytes: module.names,
        names: &[],
    };
    let count = input.count()?;
    let mut names = Vec::with_capacity(count);
    for _ in 0..count {
        names.push(Name::from(input.text(module.texts)?));
    }
    input.bytes.is_empty().then_some(names)
}

/// The module's tree and comments (and no syntax errors: only files without any are
/// stored).
pub fn decode_parse(module: &Module<'_>, names: &[Name]) -> Option<Parse> {
    let mut decoder = Decoder {
        input: Input {
            bytes: module.tree,
            names,
        },
        texts: module.texts,
    };
    let root = decoder.expr()?;
    let count = decoder.input.count()?;
    let mut comments = Vec::with_capacity(count);
    for _ in 0..count {
        comments.push(decoder.comment()?);
    }
    decoder.input.bytes.is_empty().then(|| Parse {
        root: Arc::new(root),
        comments,
        errors: Vec::new(),
    })
}

/// The module's name resolution, its globals the builtins' (as the database resolves).
pub fn decode_resolution(module: &Module<'_>, names: &[Name]) -> Option<NameResolution> {
    let mut decoder = Decoder {
        input: Input {
            bytes: module.resolution,
            names,
        },
        texts: module.texts,
    };
    let resolution = decoder.resolution()?;
    (decoder.input.bytes.is_empty() && ids_in_range(&resolution)).then_some(resolution)
}

/// Whether every scope and definition `resolution` refers to is one of its own (so that
/// looking one up cannot fail).
fn ids_in_range(resolution: &NameResolution) -> bool {
    let scopes = resolution.scopes.len() as u32;
    let definitions = resolution.definitions.len() as u32;
    let scope = |id: Option<ScopeId>| id.is_none_or(|id| id.0 < scopes);
    resolution.scopes.iter().enumerate().all(|(index, s)| {
        // A parent is made before its children.
        s.parent.is_none_or(|parent| (parent.0 as usize) < index)
            && s.names.values().all(|def| def.0 < definitions)
    }) && resolution
        .definitions
        .iter()
        .all(|definition| definition.scope.0 < scopes)
        && resolution.references.iter().all(|reference| {
            scope(reference.scope)
                && match reference.kind {
                    RefKind::Var => true,
                    RefKind::Inherit { defines } => scope(defines),
                }
                && match reference.resolution {
                    Resolution::Local(def) => def.0 < definitions,
                    Resolution::With(id) => id.0 < scopes,
                    Resolution::Global | Resolution::Unbound => true,
                }
        })
}

/// The bytes still to read, and the module's names.
struct Input<'b, 'n> {
    bytes: &'b [u8],
    names: &'n [Name],
}

impl<'b> Input<'b, '_> {
    #[inline]
    fn byte(&mut self) -> Option<u8> {
        let (first, rest) = self.bytes.split_first()?;
        self.bytes = rest;
        Some(*first)
    }

    #[inline]
    fn flag(&mut self) -> Option<bool> {
        match self.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    #[inline]
    fn number(&mut self) -> Option<u64> {
        let first = self.byte()?;
        if first & 0x80 == 0 {
            return Some(u64::from(first));
        }
        let mut value = u64::from(first & 0x7f);
        for shift in (7..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    fn small(&mut self) -> Option<u32> {
        u32::try_from(self.number()?).ok()
    }

    /// A count of items, each of which takes a byte at least.
    fn count(&mut self) -> Option<usize> {
        let count = usize::try_from(self.number()?).ok()?;
        (count <= self.bytes.len()).then_some(count)
    }

    fn part(&mut self) -> Option<&'b [u8]> {
        let len = usize::try_from(self.number()?).ok()?;
        if len > self.bytes.len() {
            return None;
        }
        let (part, rest) = self.bytes.split_at(len);
        self.bytes = rest;
        Some(part)
    }

    fn text<'t>(&mut self, texts: &'t str) -> Option<&'t str> {
        let start = usize::try_from(self.number()?).ok()?;
        let len = usize::try_from(self.number()?).ok()?;
        texts.get(start..start.checked_add(len)?)
    }

    #[inline]
    fn span(&mut self) -> Option<Span> {
        let start = self.small()?;
        let len = self.small()?;
        Some(Span {
            start,
            end: start.checked_add(len)?,
        })
    }

    #[inline]
    fn name(&mut self) -> Option<Name> {
        let number = usize::try_from(self.number()?).ok()?;
        self.names.get(number).cloned()
    }

    fn int(&mut self) -> Option<i64> {
        let zigzag = self.number()?;
        Some((zigzag >> 1) as i64 ^ -((zigzag & 1) as i64))
    }

    fn scope_id(&mut self) -> Option<Option<ScopeId>> {
        Some(self.small()?.checked_sub(1).map(ScopeId))
    }
}

struct Decoder<'b, 'n> {
    input: Input<'b, 'n>,
    texts: &'b str,
}

impl Decoder<'_, '_> {
    fn string(&mut self) -> Option<String> {
        self.input.text(self.texts).map(str::to_string)
    }

    fn option_string(&mut self) -> Option<Option<String>> {
        Some(if self.input.flag()? {
            Some(self.string()?)
        } else {
            None
        })
    }

    fn boxed(&mut self) -> Option<Box<Expr>> {
        self.expr().map(Box::new)
    }

    fn expr(&mut self) -> Option<Expr> {
        let tag = self.input.byte()?;
        let span = self.input.span()?;
        let kind = match tag {
            0 => ExprKind::Int(self.input.int()?),
            1 => {
                let (bits, rest) = self.input.bytes.split_first_chunk::<8>()?;
                self.input.bytes = rest;
                ExprKind::Float(f64::from_bits(u64::from_le_bytes(*bits)))
            }
            2 => {
                let indented = self.input.flag()?;
                ExprKind::Str {
                    parts: self.parts()?,
                    indented,
                }
            }
            3 => ExprKind::Path(self.parts()?),
            4 => ExprKind::SearchPath(self.string()?),
            5 => ExprKind::Var(self.input.name()?),
            6 => {
                let count = self.input.count()?;
                let mut items = Vec::with_capacity(count);
                for _ in 0..count {
                    items.push(self.expr()?);
                }
                ExprKind::List(items)
            }
            7 => {
                let rec = self.input.flag()?;
                ExprKind::AttrSet {
                    rec,
                    bindings: self.bindings()?,
                }
            }
            8 => ExprKind::Let {
                bindings: self.bindings()?,
                body: self.boxed()?,
            },
            9 => ExprKind::With {
                scope: self.boxed()?,
                body: self.boxed()?,
            },
            10 => ExprKind::If {
                cond: self.boxed()?,
                then_: self.boxed()?,
                else_: self.boxed()?,
            },
            11 => ExprKind::Assert {
                cond: self.boxed()?,
                body: self.boxed()?,
            },
            12 => ExprKind::Lambda {
                param: Box::new(self.param()?),
                body: self.boxed()?,
            },
            13 => ExprKind::Apply {
                func: self.boxed()?,
                arg: self.boxed()?,
            },
            14 => {
                let expr = self.boxed()?;
                let path = self.attr_path()?;
                let default = if self.input.flag()? {
                    Some(self.boxed()?)
                } else {
                    None
                };
                ExprKind::Select {
                    expr,
                    path,
                    default,
                }
            }
            15 => ExprKind::HasAttr {
                expr: self.boxed()?,
                path: self.attr_path()?,
            },
            16 => {
                let op = *BINARY_OPS.get(usize::from(self.input.byte()?))?;
                ExprKind::Binary {
                    op,
                    op_span: self.input.span()?,
                    lhs: self.boxed()?,
                    rhs: self.boxed()?,
                }
            }
            17 => {
                let op = *UNARY_OPS.get(usize::from(self.input.byte()?))?;
                ExprKind::Unary {
                    op,
                    expr: self.boxed()?,
                }
            }
            18 => ExprKind::Paren(self.boxed()?),
            19 => ExprKind::Annotated {
                expr: self.boxed()?,
                ty: Box::new(self.type_expr()?),
            },
            20 => ExprKind::Error,
            _ => return None,
        };
        Some(Expr { kind, span })
    }

    fn option_expr(&mut self) -> Option<Option<Expr>> {
        Some(if self.input.flag()? {
            Some(self.expr()?)
        } else {
            None
        })
    }

    fn parts(&mut self) -> Option<Vec<StrPart>> {
        let count = self.input.count()?;
        let mut parts = Vec::with_capacity(count);
        for _ in 0..count {
            parts.push(match self.input.byte()? {
                0 => StrPart::Lit(self.string()?),
                1 => StrPart::Interp(self.expr()?),
                _ => return None,
            });
        }
        Some(parts)
    }

    fn attr_path(&mut self) -> Option<Vec<AttrName>> {
        let count = self.input.count()?;
        let mut path = Vec::with_capacity(count);
        for _ in 0..count {
            let span = self.input.span()?;
            let kind = match self.input.byte()? {
                0 => AttrNameKind::Static(self.input.name()?),
                1 => AttrNameKind::Dynamic(self.boxed()?),
                _ => return None,
            };
            path.push(AttrName { kind, span });
        }
        Some(path)
    }

    fn bindings(&mut self) -> Option<Vec<Binding>> {
        let count = self.input.count()?;
        let mut bindings = Vec::with_capacity(count);
        for _ in 0..count {
            let span = self.input.span()?;
            let ty = self.option_type()?;
            let doc = self.option_string()?;
            let kind = match self.input.byte()? {
                0 => BindingKind::Attr {
                    path: self.attr_path()?,
                    value: self.expr()?,
                },
                1 => BindingKind::Inherit {
                    from: self.option_expr()?.map(Box::new),
                    names: self.attr_path()?,
                },
                2 => BindingKind::TypeDecl {
                    name: self.input.name()?,
                    name_span: self.input.span()?,
                    ty: self.type_expr()?,
                },
                _ => return None,
            };
            bindings.push(Binding {
                kind,
                ty,
                doc,
                span,
            });
        }
        Some(bindings)
    }

    fn param(&mut self) -> Option<Param> {
        Some(match self.input.byte()? {
            0 => Param::Ident {
                name: self.input.name()?,
                span: self.input.span()?,
                ty: self.option_type()?,
            },
            1 => {
                let count = self.input.count()?;
                let mut fields = Vec::with_capacity(count);
                for _ in 0..count {
                    fields.push(PatField {
                        name: self.input.name()?,
                        span: self.input.span()?,
                        ty: self.option_type()?,
                        default: self.option_expr()?,
                    });
                }
                let ellipsis = self.input.flag()?;
                let bind = if self.input.flag()? {
                    Some((self.input.name()?, self.input.span()?))
                } else {
                    None
                };
                Param::Pattern {
                    fields,
                    ellipsis,
                    bind,
                    span: self.input.span()?,
                }
            }
            _ => return None,
        })
    }

    fn option_type(&mut self) -> Option<Option<TypeExpr>> {
        Some(if self.input.flag()? {
            Some(self.type_expr()?)
        } else {
            None
        })
    }

    fn boxed_type(&mut self) -> Option<Box<TypeExpr>> {
        self.type_expr().map(Box::new)
    }

    fn type_expr(&mut self) -> Option<TypeExpr> {
        let tag = self.input.byte()?;
        let span = self.input.span()?;
        let kind = match tag {
            0 => {
                let count = self.input.count()?;
                let mut segments = Vec::with_capacity(count);
                for _ in 0..count {
                    segments.push((self.input.name()?, self.input.span()?));
                }
                TypeExprKind::Name(segments)
            }
            1 => TypeExprKind::Literal(self.string()?),
            2 => {
                let count = self.input.count()?;
                let mut members = Vec::with_capacity(count);
                for _ in 0..count {
                    members.push(self.type_expr()?);
                }
                TypeExprKind::Union(members)
            }
            3 => TypeExprKind::Optional(self.boxed_type()?),
            4 => TypeExprKind::List(self.boxed_type()?),
            5 => TypeExprKind::Map(self.boxed_type()?),
            6 => {
                let count = self.input.count()?;
                let mut fields = Vec::with_capacity(count);
                for _ in 0..count {
                    fields.push(FieldType {
                        name: self.input.name()?,
                        name_span: self.input.span()?,
                        ty: self.type_expr()?,
                        default: self.option_expr()?,
                        doc: self.option_string()?,
                        span: self.input.span()?,
                    });
                }
                TypeExprKind::Record {
                    fields,
                    open: self.input.flag()?,
                }
            }
            7 => TypeExprKind::Function(self.boxed_type()?, self.boxed_type()?),
            8 => {
                let base = self.boxed_type()?;
                let refinement = match self.input.byte()? {
                    0 => {
                        let mut ends = [None, None];
                        for end in &mut ends {
                            if self.input.flag()? {
                                *end = Some(self.input.int()?);
                            }
                        }
                        Refinement::Range {
                            min: ends[0],
                            max: ends[1],
                        }
                    }
                    1 => Refinement::Pattern(self.string()?),
                    _ => return None,
                };
                TypeExprKind::Refined { base, refinement }
            }
            9 => TypeExprKind::Paren(self.boxed_type()?),
            10 => TypeExprKind::Error,
            _ => return None,
        };
        Some(TypeExpr { kind, span })
    }

    fn comment(&mut self) -> Option<Comment> {
        let span = self.input.span()?;
        let kind = if self.input.flag()? {
            CommentKind::Block
        } else {
            CommentKind::Line
        };
        Some(Comment {
            span,
            kind,
            text: self.string()?,
        })
    }

    fn resolution(&mut self) -> Option<NameResolution> {
        let count = self.input.count()?;
        let mut scopes = Vec::with_capacity(count);
        for _ in 0..count {
            scopes.push(self.scope()?);
        }
        let count = self.input.count()?;
        let mut definitions = Vec::with_capacity(count);
        for _ in 0..count {
            definitions.push(self.definition()?);
        }
        let count = self.input.count()?;
        let mut references = Vec::with_capacity(count);
        for _ in 0..count {
            references.push(self.reference()?);
        }
        Some(NameResolution {
            scopes,
            definitions,
            references,
            globals: crate::builtins::global_names()
                .into_iter()
                .map(Name::from)
                .collect(),
        })
    }

    fn scope(&mut self) -> Option<Scope> {
        let parent = self.input.scope_id()?;
        let kind = match self.input.byte()? {
            0 => ScopeKind::Let,
            1 => ScopeKind::RecSet,
            2 => ScopeKind::Lambda,
            3 => ScopeKind::With {
                scope: self.input.span()?,
            },
            _ => return None,
        };
        let span = self.input.span()?;
        let count = self.input.count()?;
        // Written in the map's order, which is kept.
        let mut names = ScopeNames::with_capacity_and_hasher(count, Default::default());
        for _ in 0..count {
            names.insert(self.input.name()?, DefId(self.input.small()?));
        }
        Some(Scope {
            parent,
            kind,
            span,
            names,
        })
    }

    fn inherit(&mut self) -> Option<Inherit> {
        Some(match self.input.byte()? {
            0 => Inherit::No,
            1 => Inherit::Lexical,
            2 => Inherit::From,
            _ => return None,
        })
    }

    fn definition(&mut self) -> Option<Definition> {
        let name = self.input.name()?;
        let kind = match self.input.byte()? {
            0 => DefKind::Let {
                inherit: self.inherit()?,
            },
            1 => DefKind::RecAttr {
                inherit: self.inherit()?,
            },
            2 => DefKind::Param,
            3 => DefKind::PatField,
            4 => DefKind::PatBind,
            _ => return None,
        };
        let count = self.input.count()?;
        let mut spans = smallvec::SmallVec::with_capacity(count);
        for _ in 0..count {
            spans.push(self.input.span()?);
        }
        Some(Definition {
            name,
            kind,
            spans,
            binding_span: self.input.span()?,
            scope: ScopeId(self.input.small()?),
        })
    }

    fn reference(&mut self) -> Option<Reference> {
        let name = self.input.name()?;
        let span = self.input.span()?;
        let scope = self.input.scope_id()?;
        let kind = match self.input.byte()? {
            0 => RefKind::Var,
            1 => RefKind::Inherit {
                defines: self.input.scope_id()?,
            },
            _ => return None,
        };
        let resolution = match self.input.byte()? {
            0 => Resolution::Local(DefId(self.input.small()?)),
            1 => Resolution::Global,
            2 => Resolution::With(ScopeId(self.input.small()?)),
            3 => Resolution::Unbound,
            _ => return None,
        };
        Some(Reference {
            name,
            span,
            scope,
            kind,
            resolution,
        })
    }
}
