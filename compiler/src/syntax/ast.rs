//! The abstract syntax tree of mlc: what the parser produces and every later stage reads.
//!
//! Every node carries the byte [`Span`] of the source text it came from. The tree is plain
//! owned data (no salsa, no interning) so it can be built, compared and snapshot-tested on
//! its own. Comments are not nodes: they are kept beside the tree in [`crate::syntax::Parse`]
//! (`comments`), ordered by position, where the formatter and the language server find them.

pub use crate::span::Span;
use std::fmt;
use std::sync::Arc;

/// An identifier or attribute name. Shared, cheap to clone.
pub type Name = Arc<str>;

/// An expression with the span it was written at.
#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

/// Spans first: after an edit, the database compares a file's new tree with its old one
/// (to reuse what depends on it), and the spans around an edit that changes the text's
/// length differ at once, where the kinds would be compared all the way down first.
impl PartialEq for Expr {
    fn eq(&self, other: &Self) -> bool {
        // Every field, so that a new one is not forgotten here.
        let Expr { kind, span } = self;
        *span == other.span && *kind == other.kind
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// `42`. Literals that overflow `i64` are a parse error.
    Int(i64),
    /// `1.5`, `.5`, `1e3`.
    Float(f64),
    /// `"..."` or `''...''`: literal text and `${...}` interpolations. For indented strings
    /// the parser has already stripped the common indentation and resolved `''$`/`'''`/`''\x`.
    Str { parts: Vec<StrPart>, indented: bool },
    /// A path literal such as `./x.mlc` or `../lib/y.mlc`, as written (may interpolate).
    Path(Vec<StrPart>),
    /// `<name>` or `<name/sub>`: a standard library module.
    SearchPath(String),
    /// A variable reference. `true`, `false` and `null` are variables bound in the global
    /// scope, exactly as in Nix.
    Var(Name),
    /// `[ a b c ]`.
    List(Vec<Expr>),
    /// `{ ... }` or `rec { ... }`.
    AttrSet { rec: bool, bindings: Vec<Binding> },
    /// `let bindings in body`.
    Let {
        bindings: Vec<Binding>,
        body: Box<Expr>,
    },
    /// `with scope; body`.
    With { scope: Box<Expr>, body: Box<Expr> },
    /// `if cond then then_ else else_`.
    If {
        cond: Box<Expr>,
        then_: Box<Expr>,
        else_: Box<Expr>,
    },
    /// `assert cond; body`.
    Assert { cond: Box<Expr>, body: Box<Expr> },
    /// `param: body`. The parameter is boxed, as the type of `Annotated` is: inline, the
    /// larger of them made every node of every tree 88 bytes instead of 48.
    Lambda { param: Box<Param>, body: Box<Expr> },
    /// `func arg`.
    Apply { func: Box<Expr>, arg: Box<Expr> },
    /// `expr.a.b` or `expr.a.b or default`.
    Select {
        expr: Box<Expr>,
        path: AttrPath,
        default: Option<Box<Expr>>,
    },
    /// `expr ? a.b`.
    HasAttr { expr: Box<Expr>, path: AttrPath },
    /// A binary operator application.
    Binary {
        op: BinaryOp,
        op_span: Span,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `-e` or `!e`.
    Unary { op: UnaryOp, expr: Box<Expr> },
    /// `( e )`, kept so that the formatter and the language server see what was written.
    Paren(Box<Expr>),
    /// `(e :: T)`: a type ascription; the span covers the parentheses.
    Annotated { expr: Box<Expr>, ty: Box<TypeExpr> },
    /// Something that did not parse; the parser has reported an error covering `span`.
    Error,
}

/// A piece of a string or path literal.
#[derive(Clone, Debug, PartialEq)]
pub enum StrPart {
    /// Literal text, escapes already resolved.
    Lit(String),
    /// `${ expr }`.
    Interp(Expr),
}

/// `a.b."c".${d}`: the components of an attribute path.
pub type AttrPath = Vec<AttrName>;

#[derive(Clone, Debug, PartialEq)]
pub struct AttrName {
    pub kind: AttrNameKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum AttrNameKind {
    /// `a`, or `"a"` without interpolation.
    Static(Name),
    /// `${e}` or `"a${e}"`: the name is computed. The expression is the string/interpolation.
    Dynamic(Box<Expr>),
}

/// One entry of an attribute set or `let`.
#[derive(Clone, Debug)]
pub struct Binding {
    pub kind: BindingKind,
    /// `name :: Type = value;`: the annotation of an attribute binding.
    pub ty: Option<TypeExpr>,
    /// Its doc comment, without the markers ([`crate::syntax::doc_comment`]).
    pub doc: Option<String>,
    /// The whole binding, from its first token to the `;`.
    pub span: Span,
}

/// Spans first, as for [`Expr`].
impl PartialEq for Binding {
    fn eq(&self, other: &Self) -> bool {
        let Binding {
            kind,
            ty,
            doc,
            span,
        } = self;
        *span == other.span && *kind == other.kind && *ty == other.ty && *doc == other.doc
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum BindingKind {
    /// `a.b.c = value;`
    Attr { path: AttrPath, value: Expr },
    /// `inherit a b;` or `inherit (from) a b;`. Names are static or `"quoted"`.
    Inherit {
        from: Option<Box<Expr>>,
        names: Vec<AttrName>,
    },
    /// `type Name = Type;`: a named type, visible in the whole `let` or attribute set and
    /// exported by an attribute set (`mod.Name` in a type).
    TypeDecl {
        name: Name,
        name_span: Span,
        ty: TypeExpr,
    },
}

/// The parameter of a lambda.
#[derive(Clone, Debug, PartialEq)]
pub enum Param {
    /// `x: body`, or `(x :: Type): body` with `ty`.
    Ident {
        name: Name,
        span: Span,
        ty: Option<TypeExpr>,
    },
    /// `{ a, b ? 1, ... }: body`, `args@{ a }: body` or `{ a }@args: body`.
    Pattern {
        fields: Vec<PatField>,
        ellipsis: bool,
        bind: Option<(Name, Span)>,
        /// The span of the `{ ... }` pattern itself.
        span: Span,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct PatField {
    pub name: Name,
    pub span: Span,
    /// `{ a :: Type }`.
    pub ty: Option<TypeExpr>,
    pub default: Option<Expr>,
}

/// A type as written: in annotations (`::`), `type` declarations and ascriptions.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeExpr {
    pub kind: TypeExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeExprKind {
    /// `Int`, `Port`, `tls.Options`: a named type, maybe qualified by variables that hold
    /// attribute sets declaring it. Each segment with its span.
    Name(Vec<(Name, Span)>),
    /// `"ClusterIP"`: exactly this string (a member of a literal union).
    Literal(String),
    /// `A | B | C`.
    Union(Vec<TypeExpr>),
    /// `T?`: `T` or `null`.
    Optional(Box<TypeExpr>),
    /// `[T]`.
    List(Box<TypeExpr>),
    /// `{ [String]: T }`: any attribute names, every value a `T`.
    Map(Box<TypeExpr>),
    /// `{ a :: T, b :: U = default, ... }`.
    Record {
        fields: Vec<FieldType>,
        /// `...`: other attributes are allowed.
        open: bool,
    },
    /// `A -> B`.
    Function(Box<TypeExpr>, Box<TypeExpr>),
    /// `Int(1..65535)` or `String(/regex/)`: a base type narrowed by a check at run time.
    Refined {
        base: Box<TypeExpr>,
        refinement: Refinement,
    },
    /// `( T )`.
    Paren(Box<TypeExpr>),
    /// Something that did not parse (an error was reported).
    Error,
}

/// One field of a record type.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldType {
    pub name: Name,
    pub name_span: Span,
    pub ty: TypeExpr,
    /// `= value`: the field may be left out and then takes this value.
    pub default: Option<Expr>,
    /// Its doc comment, without the markers ([`crate::syntax::doc_comment`]).
    pub doc: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Refinement {
    /// `(min..max)`, both ends included, either may be left out.
    Range { min: Option<i64>, max: Option<i64> },
    /// `(/regex/)`: the whole string must match.
    Pattern(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `++`
    Concat,
    /// `//`
    Update,
    /// `==`
    Eq,
    /// `!=`
    NotEq,
    /// `<`
    Less,
    /// `<=`
    LessEq,
    /// `>`
    Greater,
    /// `>=`
    GreaterEq,
    /// `&&`
    And,
    /// `||`
    Or,
    /// `->`
    Implies,
}

impl BinaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Concat => "++",
            BinaryOp::Update => "//",
            BinaryOp::Eq => "==",
            BinaryOp::NotEq => "!=",
            BinaryOp::Less => "<",
            BinaryOp::LessEq => "<=",
            BinaryOp::Greater => ">",
            BinaryOp::GreaterEq => ">=",
            BinaryOp::And => "&&",
            BinaryOp::Or => "||",
            BinaryOp::Implies => "->",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    /// `-e`
    Neg,
    /// `!e`
    Not,
}

/// A comment, kept beside the tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub span: Span,
    pub kind: CommentKind,
    /// The text without the `#` or `/*`/`*/` markers.
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentKind {
    /// `# ...` to the end of the line.
    Line,
    /// `/* ... */`.
    Block,
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        Expr { kind, span }
    }
}

/// One line of source-like text, for snapshots and messages (`{ a :: Int, b :: String = … }`);
/// defaults show as `…` (the formatter prints them in full).
impl fmt::Display for TypeExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            TypeExprKind::Name(segments) => {
                for (index, (name, _)) in segments.iter().enumerate() {
                    if index > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(name)?;
                }
                Ok(())
            }
            TypeExprKind::Literal(text) => write!(f, "{text:?}"),
            TypeExprKind::Union(members) => {
                for (index, member) in members.iter().enumerate() {
                    if index > 0 {
                        f.write_str(" | ")?;
                    }
                    write!(f, "{member}")?;
                }
                Ok(())
            }
            TypeExprKind::Optional(inner) => write!(f, "{inner}?"),
            TypeExprKind::List(item) => write!(f, "[{item}]"),
            TypeExprKind::Map(value) => write!(f, "{{ [String]: {value} }}"),
            TypeExprKind::Record { fields, open } => {
                f.write_str("{")?;
                for (index, field) in fields.iter().enumerate() {
                    f.write_str(if index > 0 { ", " } else { " " })?;
                    write!(f, "{} :: {}", field.name, field.ty)?;
                    if field.default.is_some() {
                        f.write_str(" = …")?;
                    }
                }
                if *open {
                    f.write_str(if fields.is_empty() { " ..." } else { ", ..." })?;
                }
                f.write_str(if fields.is_empty() && !open {
                    "}"
                } else {
                    " }"
                })
            }
            TypeExprKind::Function(from, to) => write!(f, "{from} -> {to}"),
            TypeExprKind::Refined { base, refinement } => write!(f, "{base}{refinement}"),
            TypeExprKind::Paren(inner) => write!(f, "({inner})"),
            TypeExprKind::Error => f.write_str("<error>"),
        }
    }
}

impl fmt::Display for Refinement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refinement::Range { min, max } => {
                f.write_str("(")?;
                if let Some(min) = min {
                    write!(f, "{min}")?;
                }
                f.write_str("..")?;
                if let Some(max) = max {
                    write!(f, "{max}")?;
                }
                f.write_str(")")
            }
            Refinement::Pattern(regex) => write!(f, "(/{}/)", regex.replace('/', "\\/")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_takes_48_bytes() {
        // Every file's tree is made of these, the embedded standard library's too: a
        // larger variant inline (a parameter, a type) makes every node larger, and every
        // run that reads the standard library touches more fresh memory.
        assert_eq!(std::mem::size_of::<Expr>(), 48);
    }
}
