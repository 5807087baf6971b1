//! The evaluator proper: expressions to values, thunks forced at most once, function
//! application, variables (where each file's [`super::layout`] says, a `with` only for
//! names no lexical scope binds), and imports.

use super::attrs::BindingMode;
use super::error::{ErrorExt, ErrorKind, EvalError, EvalResult};
use super::layout::{self, Layout, Var};
use super::value::{Env, FileId, Frame, Lambda, Scope, Site, Thunk, ThunkState, Value};
use super::{LoadedFile, Loader};
use crate::diagnostic::{codes, did_you_mean, FileName};
use crate::paths;
use crate::syntax::{AttrName, AttrNameKind, Expr, ExprKind, Param, Span, StrPart, UnaryOp};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use typed_arena::Arena;

/// Evaluation deeper than this many nested evaluations is reported, not run.
const MAX_DEPTH: usize = 20_000;

/// How many levels of [`Evaluator::nested`] run between two looks at the stack's room.
const STACK_CHECK_EVERY: usize = 8;

/// One file the evaluation has seen.
pub struct FileInfo {
    pub path: String,
    pub display: FileName,
    /// The directory relative paths in the file resolve against.
    pub dir: String,
    pub text: Arc<str>,
    /// The file's syntax tree (to widen a finding's place to its binding).
    pub root: Arc<Expr>,
    /// The checker's types of the file's annotations, by type expression start.
    pub annotations: Arc<rustc_hash::FxHashMap<u32, crate::types::Type>>,
    /// Where the file's variables are (computed once per file from its name resolution).
    pub layout: Arc<Layout>,
    /// Whether the file is part of the standard library.
    pub stdlib: bool,
}

pub struct Evaluator<'a> {
    loader: &'a dyn Loader,
    arena: &'a Arena<Arc<Expr>>,
    pub files: Vec<FileInfo>,
    /// Each imported file's value, evaluated at most once per evaluation.
    imports: HashMap<String, Thunk<'a>>,
    pub global: Env<'a>,
    depth: usize,
    ticks: u32,
    /// Where the functions being called right now were called from, innermost last: the
    /// user-level place a `warn` inside a library is about.
    calls: Vec<Site>,
    /// Warnings raised with `builtins.warn`: the place to show, the message, and, for a
    /// warning raised inside the standard library, the library's own place.
    pub warnings: Vec<(Site, String, Option<Site>)>,
    /// What libraries' checks found (`builtins.findings`), and the waivers they were given.
    pub findings: Vec<super::findings::Finding>,
    pub waivers: Vec<super::findings::Waiver>,
    /// Scopes whose names refer back to the scope (`let`, `rec`, pattern defaults): `Rc`
    /// cycles, broken when the evaluation ends so that a long-running host (the language
    /// server, watch mode) does not leak every evaluation.
    recursive_scopes: Vec<std::rc::Weak<Scope<'a>>>,
    /// The aliases made of variables whose thunk was not computed yet (see
    /// [`Evaluator::variable`]): an alias may be part of a cycle no scope is on, which
    /// the end of the evaluation breaks. `None` when the evaluation's values are not freed
    /// at its end ([`super::skip_teardown`]): then nothing is kept (a weak reference keeps
    /// the thunk's memory until the end).
    aliases: Option<Vec<super::value::WeakThunk<'a>>>,
    /// Names written in the trees, shared (see [`Evaluator::intern`]).
    names: rustc_hash::FxHashMap<&'a str, Rc<str>>,
    /// The literals (strings without interpolation, numbers) evaluated so far, each a
    /// thunk ready with its value and place, by the address of their expression (the trees
    /// outlive the evaluation, so an address names one expression) and their file. A
    /// ready thunk never changes, so every use of the literal shares it.
    literals: rustc_hash::FxHashMap<(usize, FileId), Thunk<'a>>,
    /// The shapes of the binding lists of static names built so far, by the address of
    /// the list and its file (see [`super::set_shape`]); `None` for a list assembled
    /// binding by binding.
    shapes: rustc_hash::FxHashMap<(usize, FileId), Option<Rc<[super::set_shape::Field<'a>]>>>,
    /// The values of `builtins.name` selections, by the address of their path and their
    /// file (see [`Evaluator::select`]).
    global_selects: rustc_hash::FxHashMap<(usize, FileId), Value<'a>>,
    /// What a frame's slot holds until it is filled.
    unset: Thunk<'a>,
    /// What a record contract fills in, per record type and annotation (see
    /// [`Evaluator::record_fill`]).
    pub(super) record_fills:
        rustc_hash::FxHashMap<super::contract::RecordFillKey, Rc<super::contract::RecordFill<'a>>>,
}

impl Drop for Evaluator<'_> {
    fn drop(&mut self) {
        for alias in self
            .aliases
            .iter_mut()
            .flat_map(|aliases| aliases.drain(..))
        {
            if let Some(alias) = alias.upgrade() {
                alias.release_alias();
            }
        }
        for scope in self.recursive_scopes.drain(..) {
            if let Some(scope) = scope.upgrade() {
                if let Frame::Slots(names) = &scope.frame {
                    // Dropping the names may drop values whose scopes are cleared here too:
                    // take them out first so no borrow is held while they drop.
                    let names = std::mem::take(&mut *names.borrow_mut());
                    drop(names);
                }
            }
        }
    }
}

impl<'a> Evaluator<'a> {
    pub fn new(loader: &'a dyn Loader, arena: &'a Arena<Arc<Expr>>) -> Self {
        Evaluator {
            loader,
            arena,
            files: Vec::new(),
            imports: HashMap::new(),
            global: super::builtins::global_scope(),
            depth: 0,
            ticks: 0,
            calls: Vec::new(),
            warnings: Vec::new(),
            findings: Vec::new(),
            waivers: Vec::new(),
            recursive_scopes: Vec::new(),
            aliases: super::tears_down().then(Vec::new),
            names: Default::default(),
            literals: Default::default(),
            shapes: Default::default(),
            global_selects: Default::default(),
            unset: Thunk::value(Value::Null),
            record_fills: Default::default(),
        }
    }

    /// Remembers a scope that refers to itself, to break the cycle at the end.
    pub fn track_recursive_scope(&mut self, scope: &Env<'a>) {
        self.recursive_scopes.push(Rc::downgrade(scope));
    }

    /// The shared copy of a name written in a tree: each distinct name is allocated once
    /// per evaluation, not each time a set or scope binding it is built.
    pub fn intern(&mut self, name: &'a str) -> Rc<str> {
        if let Some(interned) = self.names.get(name) {
            return interned.clone();
        }
        let interned: Rc<str> = Rc::from(name);
        self.names.insert(name, interned.clone());
        interned
    }

    /// The shape of a binding list of static names, worked out once per evaluation; `None`
    /// when the list is assembled binding by binding.
    /// Its literal values (without an annotation) are their ready thunks, made here once
    /// (with the file: the place is part of the thunk) instead of looked up at each build.
    pub fn set_shape(
        &mut self,
        bindings: &'a [crate::syntax::Binding],
        file: FileId,
    ) -> Option<Rc<[super::set_shape::Field<'a>]>> {
        // The trees outlive the evaluation, so an address names one list (an empty list's
        // address may be shared, and every empty list has the same, empty shape).
        let key = (bindings.as_ptr() as usize, file);
        if let Some(shape) = self.shapes.get(&key) {
            return shape.clone();
        }
        let mut shape = super::set_shape::shape_of(bindings, &mut |name| self.intern(name));
        if let Some(fields) = &mut shape {
            self.ready_literals(fields, file);
        }
        let shape: Option<Rc<[super::set_shape::Field<'a>]>> = shape.map(Rc::from);
        self.shapes.insert(key, shape.clone());
        shape
    }

    /// Gives each literal value of `fields` (and of their nested sets) its ready thunk.
    fn ready_literals(&mut self, fields: &mut [super::set_shape::Field<'a>], file: FileId) {
        use super::set_shape::FieldValue;
        for field in fields {
            match &mut field.value {
                FieldValue::Value {
                    value,
                    ty: None,
                    literal,
                } => *literal = self.literal(value, file),
                FieldValue::Nested(inner) => self.ready_literals(inner, file),
                FieldValue::Value { .. } | FieldValue::Inherit { .. } => {}
            }
        }
    }

    /// Registers a file and returns its id and its root expression, kept alive for `'a`.
    pub fn add_file(&mut self, file: &LoadedFile, dir: String) -> (FileId, &'a Expr) {
        let root: &'a Arc<Expr> = self.arena.alloc(file.root.clone());
        self.files.push(FileInfo {
            path: file.path.clone(),
            display: file.display.clone(),
            dir,
            text: file.text.clone(),
            root: file.root.clone(),
            annotations: file.annotations.clone(),
            layout: file.layout.clone(),
            stdlib: crate::stdlib::is_stdlib_path(&file.path),
        });
        ((self.files.len() - 1) as FileId, root)
    }

    /// Records a warning raised at `site`. Raised inside the standard library, it is shown
    /// at the innermost call from the user's files, which is what it is about.
    pub fn warn(&mut self, site: Site, message: String) {
        let user_call = if self.in_stdlib(&site) {
            self.user_call(site)
        } else {
            None
        };
        let (place, raised) = match user_call {
            Some(call) => (call, Some(site)),
            None => (site, None),
        };
        if !self
            .warnings
            .iter()
            .any(|(s, m, _)| *s == place && *m == message)
        {
            self.warnings.push((place, message, raised));
        }
    }

    /// Whether `site` is in a file of the standard library.
    pub fn in_stdlib(&self, site: &Site) -> bool {
        self.files
            .get(site.file as usize)
            .is_some_and(|info| info.stdlib)
    }

    /// The innermost call being evaluated that was written in a user's file (the user's
    /// `mlflow.deployment { ... }` for code running inside the library), or `site` itself
    /// when it is in a user's file.
    pub fn user_call(&self, site: Site) -> Option<Site> {
        if !self.in_stdlib(&site) {
            return Some(site);
        }
        self.calls
            .iter()
            .rev()
            .find(|call| !self.in_stdlib(call))
            .copied()
    }

    /// The type of the annotation written at `site` (a type expression), if the checker
    /// lowered it.
    pub fn annotation_type(&self, site: Site) -> Option<crate::types::Type> {
        self.files
            .get(site.file as usize)?
            .annotations
            .get(&site.span.start)
            .cloned()
    }

    /// The id of a loaded file by its display name.
    pub fn file_id_by_display(&self, display: &FileName) -> Option<FileId> {
        self.files
            .iter()
            .position(|info| info.display == *display)
            .map(|index| index as FileId)
    }

    /// Keeps a shared expression (a type's default) alive for the evaluation.
    pub fn keep(&self, expr: Arc<Expr>) -> &'a Expr {
        let expr: &'a Arc<Expr> = self.arena.alloc(expr);
        expr
    }

    /// Keeps an expression made by the evaluator itself alive for the evaluation.
    pub fn synthesize(&self, expr: Expr) -> &'a Expr {
        let expr: &'a Arc<Expr> = self.arena.alloc(Arc::new(expr));
        expr
    }

    /// A thunk of `expr` in `env`. A literal is the one ready thunk the evaluation keeps
    /// for it (see [`Evaluator::literal`]).
    pub fn thunk(&mut self, expr: &'a Expr, env: &Env<'a>, file: FileId) -> Thunk<'a> {
        if let Some(thunk) = self.literal(expr, file) {
            return thunk;
        }
        if let Some(thunk) = self.variable(expr, env, file) {
            return thunk;
        }
        Thunk::expr(expr, env.clone(), file)
    }

    /// The thunk of a variable, made from the thunk it is bound to. When that thunk's value
    /// is computed already, a variable of the standard library shares the thunk (as Nix
    /// passes a variable's value: a third of the library's thunks were wrappers of a
    /// variable), and a user's variable gets the value in a thunk of its own, which
    /// remembers where the user wrote it (where the checks' findings point). Otherwise the
    /// variable is an alias of the bound thunk, remembered so that the end of the
    /// evaluation can break a cycle through it. (A computed value was made before the
    /// thunk that now holds it, so sharing it closes no cycle.) `None` for any other
    /// expression, and for a name not bound yet (a slot of a scope still being filled) or
    /// only a `with` may provide: those are evaluated when forced, as any expression.
    fn variable(&mut self, expr: &'a Expr, env: &Env<'a>, file: FileId) -> Option<Thunk<'a>> {
        let ExprKind::Var(name) = &expr.kind else {
            return None;
        };
        let site = Site {
            file,
            span: expr.span,
        };
        let Bound::Thunk(target) = self.bound(name, env, site) else {
            return None;
        };
        if target.same(&self.unset) {
            return None;
        }
        if let Some(value) = target.ready() {
            return Some(if self.in_stdlib(&site) {
                target
            } else {
                Thunk::value_at(value.clone(), site)
            });
        }
        let alias = Thunk::new(ThunkState::Alias { target, expr, file });
        if let Some(aliases) = &mut self.aliases {
            aliases.push(alias.downgrade());
        }
        Some(alias)
    }

    /// The ready thunk of a literal (a string without interpolation, a number) of `file`,
    /// made once per evaluation however often the expression is evaluated; `None` for any
    /// other expression.
    fn literal(&mut self, expr: &'a Expr, file: FileId) -> Option<Thunk<'a>> {
        let literal = match &expr.kind {
            ExprKind::Str { parts, .. } => matches!(parts.as_slice(), [] | [StrPart::Lit(_)]),
            ExprKind::Int(_) | ExprKind::Float(_) => true,
            _ => false,
        };
        if !literal {
            return None;
        }
        // (With the file: the place is part of the thunk.)
        let key = (expr as *const Expr as usize, file);
        if let Some(thunk) = self.literals.get(&key) {
            return Some(thunk.clone());
        }
        let site = Site {
            file,
            span: expr.span,
        };
        let value = match &expr.kind {
            ExprKind::Str { parts, .. } => match parts.as_slice() {
                [StrPart::Lit(text)] => Value::String(Rc::from(text.as_str())),
                _ => Value::String(Rc::from("")),
            },
            ExprKind::Int(n) => Value::Int(*n),
            ExprKind::Float(f) => Value::Float(*f),
            _ => return None,
        };
        let thunk = Thunk::value_at(value, site);
        self.literals.insert(key, thunk.clone());
        Some(thunk)
    }

    /// Evaluates `expr` in `env` to a value (weak head normal form).
    pub fn eval(&mut self, expr: &'a Expr, env: &Env<'a>, file: FileId) -> EvalResult<Value<'a>> {
        self.ticks = self.ticks.wrapping_add(1);
        if self.ticks.is_multiple_of(4096) {
            self.loader.tick();
        }
        let site = Site {
            file,
            span: expr.span,
        };
        // A leaf is evaluated without a level of its own (it calls nothing that nests): a
        // number, a literal string, a function, a variable whose value is computed already.
        // A variable still to compute is forced one level down, as any other expression.
        match &expr.kind {
            ExprKind::Int(n) => return Ok(Value::Int(*n)),
            ExprKind::Float(f) => return Ok(Value::Float(*f)),
            ExprKind::Str { .. } => {
                if let Some(text) = self.literal(expr, file).and_then(|t| t.done()) {
                    return Ok(text);
                }
            }
            ExprKind::Lambda { param, body } => return Ok(self.closure(param, body, env, site)),
            // Parentheses are no level of their own: what they hold is.
            ExprKind::Paren(inner) => return self.eval(inner, env, file),
            ExprKind::Var(name) => {
                if let Bound::Thunk(thunk) = self.bound(name, env, site) {
                    if let Some(value) = thunk.ready() {
                        return Ok(value.clone());
                    }
                    return self.nested(Some(site), |ev| ev.force_variable(name, &thunk, site));
                }
            }
            _ => {}
        }
        self.nested(Some(site), |ev| ev.eval_inner(expr, env, file))
    }

    /// The function an `x: body` or `{ ... }: body` expression at `site` makes in `env`.
    fn closure(&self, param: &'a Param, body: &'a Expr, env: &Env<'a>, site: Site) -> Value<'a> {
        Value::Lambda(Rc::new(Lambda {
            param,
            body,
            env: env.clone(),
            file: site.file,
            span: site.span,
        }))
    }

    /// Runs one level of a recursive walk over user data (evaluation, application,
    /// equality, comparison, string coercion, forcing): the one depth discipline of the
    /// evaluator. The depth counts against [`MAX_DEPTH`] (an error at `site` beyond it) and
    /// the stack grows on demand, so the limit, not the thread's stack, decides.
    pub fn nested<T>(
        &mut self,
        site: Option<Site>,
        walk: impl FnOnce(&mut Self) -> EvalResult<T>,
    ) -> EvalResult<T> {
        if self.depth >= MAX_DEPTH {
            return Err(EvalError::new(
                codes::E0409,
                format!("evaluation nests more than {MAX_DEPTH} calls deep"),
                site,
            )
            .help("this is usually a function that calls itself without end, or a value that contains itself"));
        }
        self.depth += 1;
        // The stack is looked at every few levels, with room for those levels (even a debug
        // build's frames take less than the red zone): each look costs a thread-local read.
        let result = if self.depth.is_multiple_of(STACK_CHECK_EVERY) {
            stacker::maybe_grow(1024 * 1024, 8 * 1024 * 1024, || walk(self))
        } else {
            walk(self)
        };
        self.depth -= 1;
        result
    }

    fn eval_inner(&mut self, expr: &'a Expr, env: &Env<'a>, file: FileId) -> EvalResult<Value<'a>> {
        let site = Site {
            file,
            span: expr.span,
        };
        match &expr.kind {
            ExprKind::Int(n) => Ok(Value::Int(*n)),
            ExprKind::Float(f) => Ok(Value::Float(*f)),
            ExprKind::Str { parts, .. } => match self.literal(expr, file).and_then(|t| t.done()) {
                Some(text) => Ok(text),
                None => self
                    .interpolate(parts, env, file)
                    .map(|s| Value::String(s.into())),
            },
            ExprKind::Path(parts) => {
                let text = self.interpolate(parts, env, file)?;
                Ok(Value::Path(self.resolve_path(&text, file).into()))
            }
            ExprKind::SearchPath(name) => match self.loader.search_path(name) {
                Some(path) => Ok(Value::Path(path.into())),
                None => Err(EvalError::new(
                    codes::E0211,
                    format!("no standard library module `<{name}>`"),
                    Some(site),
                )
                .help(format!(
                    "the standard library has: {}",
                    self.loader.stdlib_modules().join(", ")
                ))),
            },
            ExprKind::Var(name) => self.lookup(name, env, site),
            ExprKind::List(items) => Ok(Value::List(Rc::new(
                items
                    .iter()
                    .map(|item| self.thunk(item, env, file))
                    .collect(),
            ))),
            ExprKind::AttrSet { rec, bindings } => {
                let mode = if *rec {
                    BindingMode::Rec
                } else {
                    BindingMode::Plain
                };
                self.attr_set(expr.span.start, bindings, env, file, mode)
            }
            ExprKind::Let { bindings, body } => {
                let scope = self.let_scope(expr.span.start, bindings, env, file)?;
                self.eval(body, &scope, file)
            }
            ExprKind::With { scope, body } => {
                let scope_thunk = Thunk::expr(scope, env.clone(), file);
                let inner = Rc::new(Scope {
                    frame: Frame::With(scope_thunk),
                    parent: Some(env.clone()),
                });
                self.eval(body, &inner, file)
            }
            ExprKind::If { cond, then_, else_ } => {
                if self.eval_bool(cond, env, file, "the condition of `if`")? {
                    self.eval(then_, env, file)
                } else {
                    self.eval(else_, env, file)
                }
            }
            ExprKind::Assert { cond, body } => {
                if self.eval_bool(cond, env, file, "an assertion")? {
                    self.eval(body, env, file)
                } else {
                    let text = self.source_text(file, cond.span);
                    Err(EvalError::new(
                        codes::E0404,
                        format!("assertion `{text}` failed"),
                        Some(Site {
                            file,
                            span: cond.span,
                        }),
                    )
                    .kind(ErrorKind::Assert))
                }
            }
            ExprKind::Lambda { param, body } => Ok(self.closure(param, body, env, site)),
            ExprKind::Apply { func, arg } => {
                let callee = self.eval_callee(func, env, file)?;
                let arg = self.thunk(arg, env, file);
                self.apply_callee(callee, arg, site).map(Callee::into_value)
            }
            ExprKind::Select {
                expr: target,
                path,
                default,
            } => self.select(target, path, default.as_deref(), env, file),
            ExprKind::HasAttr { expr: target, path } => {
                let mut value = self.eval(target, env, file)?;
                for name in path {
                    let key = match self.attr_name(name, env, file)? {
                        Some(key) => key,
                        None => return Ok(Value::Bool(false)),
                    };
                    let next = match &value {
                        Value::Attrs(attrs) => attrs.get(key.as_str()).cloned(),
                        _ => None,
                    };
                    match next {
                        Some(thunk) => value = self.force(&thunk)?,
                        None => return Ok(Value::Bool(false)),
                    }
                }
                Ok(Value::Bool(true))
            }
            ExprKind::Binary {
                op,
                op_span,
                lhs,
                rhs,
            } => self.binary(
                *op,
                Site {
                    file,
                    span: *op_span,
                },
                lhs,
                rhs,
                env,
                file,
            ),
            ExprKind::Unary { op, expr: operand } => {
                let value = self.eval(operand, env, file)?;
                match (op, value) {
                    (UnaryOp::Not, Value::Bool(b)) => Ok(Value::Bool(!b)),
                    (UnaryOp::Neg, Value::Int(n)) => {
                        n.checked_neg().map(Value::Int).ok_or_else(|| {
                            EvalError::new(codes::E0403, "integer overflow in negation", Some(site))
                        })
                    }
                    (UnaryOp::Neg, Value::Float(f)) => Ok(Value::Float(-f)),
                    (UnaryOp::Not, other) => Err(EvalError::type_error(
                        "a Boolean after `!`",
                        other.described(),
                        Some(Site {
                            file,
                            span: operand.span,
                        }),
                    )),
                    (UnaryOp::Neg, other) => Err(EvalError::type_error(
                        "a number after `-`",
                        other.described(),
                        Some(Site {
                            file,
                            span: operand.span,
                        }),
                    )),
                }
            }
            ExprKind::Paren(inner) => self.eval(inner, env, file),
            ExprKind::Annotated { expr: inner, ty } => {
                let thunk = Thunk::expr(inner, env.clone(), file);
                let annotation = Site {
                    file,
                    span: ty.span,
                };
                match self.annotation_type(annotation) {
                    Some(ty) => self.apply_contract(&thunk, &ty, annotation),
                    None => self.force(&thunk),
                }
            }
            ExprKind::Error => Err(EvalError::new(
                codes::E0101,
                "this expression has a syntax error",
                Some(site),
            )),
        }
    }

    pub fn eval_bool(
        &mut self,
        expr: &'a Expr,
        env: &Env<'a>,
        file: FileId,
        what: &str,
    ) -> EvalResult<bool> {
        match self.eval(expr, env, file)? {
            Value::Bool(b) => Ok(b),
            other => Err(EvalError::type_error(
                &format!("a Boolean for {what}"),
                other.described(),
                Some(Site {
                    file,
                    span: expr.span,
                }),
            )),
        }
    }

    /// Forces a thunk, computing its value the first time (a forced thunk's value is read
    /// in place).
    #[inline]
    pub fn force(&mut self, thunk: &Thunk<'a>) -> EvalResult<Value<'a>> {
        match thunk.ready() {
            Some(value) => Ok(value.clone()),
            None => self.compute(thunk),
        }
    }

    /// Computes the value of a thunk not forced yet.
    fn compute(&mut self, thunk: &Thunk<'a>) -> EvalResult<Value<'a>> {
        let (state, site) = thunk.begin();
        let result = match &state {
            ThunkState::Expr { expr, env, file } => self.eval(expr, env, *file),
            ThunkState::Alias { target, expr, file } => {
                let site = Site {
                    file: *file,
                    span: expr.span,
                };
                let name = match &expr.kind {
                    ExprKind::Var(name) => &**name,
                    _ => "",
                };
                self.nested(Some(site), |ev| ev.force_variable(name, target, site))
            }
            ThunkState::Apply(application) => self.apply(
                application.func.clone(),
                application.arg.clone(),
                application.site,
            ),
            ThunkState::Contract(checked) => {
                self.apply_contract(&checked.value, &checked.ty, checked.annotation)
            }
            // (A thunk is `Done` only once its value is stored, and then it is read above.)
            ThunkState::Done(_) | ThunkState::Forcing { .. } => Err(EvalError::new(
                codes::E0402,
                "infinite recursion: this value depends on itself",
                site,
            )
            .label("evaluating this needs its own value")),
        };
        match result {
            Ok(value) => {
                thunk.finish(value.clone(), site);
                Ok(value)
            }
            Err(error) => {
                // A failed thunk fails again when forced again (after `tryEval`), rather
                // than staying in `Forcing`, which would misreport the next force as a cycle.
                thunk.restore(state);
                Err(error)
            }
        }
    }

    /// Evaluates the function of an application. An application written in its place
    /// (`f a` of `f a b`) gets the level that evaluating it would get, and a builtin it leaves
    /// short of arguments stays unboxed: `builtins.replaceStrings a b c` collects its three
    /// arguments in one vector and makes no partial application on the way.
    fn eval_callee(
        &mut self,
        expr: &'a Expr,
        env: &Env<'a>,
        file: FileId,
    ) -> EvalResult<Callee<'a>> {
        let ExprKind::Apply { func, arg } = &expr.kind else {
            return Ok(Callee::Value(self.eval(expr, env, file)?));
        };
        let site = Site {
            file,
            span: expr.span,
        };
        self.nested(Some(site), |ev| {
            let callee = ev.eval_callee(func, env, file)?;
            let arg = ev.thunk(arg, env, file);
            ev.apply_callee(callee, arg, site)
        })
    }

    /// Applies what [`Evaluator::eval_callee`] gave to one more argument, at `site`.
    fn apply_callee(
        &mut self,
        callee: Callee<'a>,
        arg: Thunk<'a>,
        site: Site,
    ) -> EvalResult<Callee<'a>> {
        let (builtin, mut args) = match callee {
            Callee::Partial { builtin, args } => (builtin, args),
            Callee::Value(Value::Builtin(app)) => {
                // Sized for every argument: a clone and a push would allocate twice.
                let mut args = Vec::with_capacity(app.builtin.arity);
                args.extend_from_slice(&app.args);
                (app.builtin, args)
            }
            Callee::Value(func) => return self.apply(func, arg, site).map(Callee::Value),
        };
        args.push(arg);
        if args.len() < builtin.arity {
            return Ok(Callee::Partial { builtin, args });
        }
        (builtin.run)(self, &args, site)
            .map(Callee::Value)
            .map_err(|e| {
                let name = builtin.name;
                e.frame(site, format!("while calling `{name}`"))
            })
    }

    /// Applies a function value to an argument.
    pub fn apply(&mut self, func: Value<'a>, arg: Thunk<'a>, site: Site) -> EvalResult<Value<'a>> {
        match func {
            Value::Lambda(lambda) => {
                self.calls.push(site);
                let result = self.call_lambda(&lambda, arg, site);
                self.calls.pop();
                result.map_err(|e| e.frame(site, "while calling this function"))
            }
            builtin @ Value::Builtin(_) => self
                .apply_callee(Callee::Value(builtin), arg, site)
                .map(Callee::into_value),
            Value::Attrs(attrs) if attrs.get("__functor").is_some() => {
                let functor = attrs.get("__functor").cloned();
                let functor = match functor {
                    Some(thunk) => self.force(&thunk)?,
                    None => Value::Null,
                };
                // `{ __functor = self: self; } 1` calls itself forever: one level each time.
                self.nested(Some(site), |ev| {
                    let partial = ev.apply(functor, Thunk::value(Value::Attrs(attrs)), site)?;
                    ev.apply(partial, arg, site)
                })
            }
            other => Err(EvalError::new(
                codes::E0405,
                format!(
                    "attempt to call {}, which is not a function",
                    other.described()
                ),
                Some(site),
            )
            .label("called here")),
        }
    }

    fn call_lambda(
        &mut self,
        lambda: &Lambda<'a>,
        arg: Thunk<'a>,
        site: Site,
    ) -> EvalResult<Value<'a>> {
        let file = lambda.file;
        match lambda.param {
            Param::Ident { ty, .. } => {
                let arg = self.annotated(arg, ty.as_ref(), file);
                let scope = Rc::new(Scope {
                    frame: Frame::Param(arg),
                    parent: Some(lambda.env.clone()),
                });
                self.eval(lambda.body, &scope, file)
            }
            Param::Pattern {
                fields,
                ellipsis,
                bind,
                span,
            } => {
                let pattern_site = Site { file, span: *span };
                let arg_value = self.force(&arg)?;
                let Value::Attrs(attrs) = &arg_value else {
                    return Err(EvalError::type_error(
                        "an attribute set as the function's argument",
                        arg_value.described(),
                        Some(site),
                    )
                    .related(pattern_site, "the function takes a set pattern"));
                };
                if !*ellipsis {
                    if let Some(unexpected) = attrs
                        .keys()
                        .find(|key| !fields.iter().any(|f| *f.name == ***key))
                    {
                        let mut error = EvalError::new(
                            codes::E0406,
                            format!("the function does not take an argument `{unexpected}`"),
                            Some(site),
                        )
                        .label(format!("`{unexpected}` passed here"))
                        .related(pattern_site, "the function's parameters are declared here");
                        if let Some(similar) =
                            did_you_mean(unexpected, fields.iter().map(|f| &*f.name))
                        {
                            error = error.help(format!("did you mean `{similar}`?"));
                        }
                        return Err(error);
                    }
                }
                let scope = Scope::slots(Some(lambda.env.clone()), Vec::new());
                let layout = self.frame_layout(file, lambda.span.start);
                let mut slots = vec![self.unset.clone(); layout.len()];
                let set = |slots: &mut Vec<Thunk<'a>>, name: &str, thunk: Thunk<'a>| {
                    if let Some(slot) = layout::slot_of(&layout, name) {
                        slots[slot] = thunk;
                    }
                };
                for field in fields {
                    let thunk = match (attrs.get(&field.name), &field.default) {
                        (Some(given), _) => given.clone(),
                        (None, Some(default)) => {
                            self.track_recursive_scope(&scope);
                            Thunk::expr(default, scope.clone(), file)
                        }
                        (None, None) => {
                            return Err(EvalError::new(
                                codes::E0406,
                                format!(
                                    "the function requires an argument `{}`, which is missing",
                                    field.name
                                ),
                                Some(site),
                            )
                            .label("called here without it")
                            .related(
                                Site {
                                    file,
                                    span: field.span,
                                },
                                "the parameter is declared here",
                            ));
                        }
                    };
                    let thunk = self.annotated(thunk, field.ty.as_ref(), file);
                    set(&mut slots, &field.name, thunk);
                }
                if let Some((name, _)) = bind {
                    set(&mut slots, name, arg);
                }
                if let Frame::Slots(cell) = &scope.frame {
                    *cell.borrow_mut() = slots;
                }
                self.eval(lambda.body, &scope, file)
            }
        }
    }

    /// The slot names of the scope the expression at `start` of `file` makes (empty when
    /// the layout has none: then no variable points into it).
    pub fn frame_layout(&self, file: FileId, start: u32) -> Arc<[crate::syntax::Name]> {
        self.files
            .get(file as usize)
            .and_then(|info| info.layout.frame(start).cloned())
            .unwrap_or_else(|| Arc::from(Vec::new()))
    }

    /// What the name written at `site` is bound to in `env`, as the file's layout says:
    /// a thunk, or nothing lexical (a `with` may provide it).
    #[inline]
    pub fn bound(&self, name: &str, env: &Env<'a>, site: Site) -> Bound<'a> {
        let var = self
            .files
            .get(site.file as usize)
            .and_then(|info| info.layout.var(site.span.start, name));
        match var {
            Some(Var::Local { depth, slot }) => env
                .outer(depth)
                .and_then(|scope| scope.frame.slot(slot))
                .map_or(Bound::Unbound, Bound::Thunk),
            Some(Var::Global(slot)) => self
                .global
                .frame
                .slot(slot)
                .map_or(Bound::Unbound, Bound::Thunk),
            Some(Var::With) => Bound::With,
            Some(Var::Unbound) => Bound::Unbound,
            // A name the evaluator wrote itself (a type's default, read in the global
            // scope; an inherited name only a `with` has): the globals, then the `with`s.
            None => crate::builtins::global_names()
                .iter()
                .position(|global| *global == name)
                .and_then(|slot| self.global.frame.slot(slot as u32))
                .map_or(Bound::With, Bound::Thunk),
        }
    }

    /// Looks a variable up: where the layout says, or in the `with` scopes around.
    pub fn lookup(&mut self, name: &str, env: &Env<'a>, site: Site) -> EvalResult<Value<'a>> {
        let thunk = match self.bound(name, env, site) {
            Bound::Thunk(thunk) => Some(thunk),
            Bound::With => self.lookup_in_withs(name, env)?,
            Bound::Unbound => None,
        };
        if let Some(thunk) = thunk {
            return self.force_variable(name, &thunk, site);
        }
        let mut error = EvalError::new(
            codes::E0407,
            format!("undefined variable `{name}`"),
            Some(site),
        )
        .label("not defined in this scope");
        let visible = self
            .files
            .get(site.file as usize)
            .map_or_else(Vec::new, |info| info.layout.visible(site.span.start));
        if let Some(similar) = did_you_mean(name, visible.iter().map(|n| &**n)) {
            error = error.help(format!("did you mean `{similar}`?"));
        }
        Err(error)
    }

    /// The value of the variable `name`, bound to `thunk`, used at `site`.
    fn force_variable(
        &mut self,
        name: &str,
        thunk: &Thunk<'a>,
        site: Site,
    ) -> EvalResult<Value<'a>> {
        // In a cycle, each variable on the way is part of the answer: list them.
        self.force(thunk).map_err(|error| {
            if error.code == codes::E0402 {
                error.frame(site, format!("`{name}` is needed here"))
            } else {
                error
            }
        })
    }

    /// `name` from the innermost `with` set around that has it.
    fn lookup_in_withs(&mut self, name: &str, env: &Env<'a>) -> EvalResult<Option<Thunk<'a>>> {
        let mut scope = Some(env);
        while let Some(current) = scope {
            if let Frame::With(with_thunk) = &current.frame {
                match self.force(with_thunk)? {
                    Value::Attrs(attrs) => {
                        if let Some(thunk) = attrs.get(name) {
                            return Ok(Some(thunk.clone()));
                        }
                    }
                    other => {
                        return Err(EvalError::type_error(
                            "an attribute set after `with`",
                            other.described(),
                            with_thunk.site(),
                        ))
                    }
                }
            }
            scope = current.parent.as_ref();
        }
        Ok(None)
    }

    /// The name an attribute path component stands for; `None` for a dynamic `null`. A
    /// static name is borrowed from the tree, not copied.
    pub fn attr_name(
        &mut self,
        name: &'a AttrName,
        env: &Env<'a>,
        file: FileId,
    ) -> EvalResult<Option<Key<'a>>> {
        match &name.kind {
            AttrNameKind::Static(text) => Ok(Some(Key::Static(text))),
            AttrNameKind::Dynamic(expr) => match self.eval(expr, env, file)? {
                Value::String(s) => Ok(Some(Key::Computed(s))),
                Value::Path(p) => Ok(Some(Key::Computed(p))),
                Value::Null => Ok(None),
                other => Err(EvalError::type_error(
                    "a string as an attribute name",
                    other.described(),
                    Some(Site {
                        file,
                        span: name.span,
                    }),
                )),
            },
        }
    }

    fn select(
        &mut self,
        target: &'a Expr,
        path: &'a [AttrName],
        default: Option<&'a Expr>,
        env: &Env<'a>,
        file: FileId,
    ) -> EvalResult<Value<'a>> {
        let ExprKind::Var(name) = &target.kind else {
            return self.select_path(target, path, default, env, file);
        };
        if default.is_some() || **name != *"builtins" {
            return self.select_path(target, path, default, env, file);
        }
        // `builtins.name` is the same value everywhere in an evaluation (the global scope
        // never changes): it is looked up once, then read by the address of its path.
        let key = (path.as_ptr() as usize, file);
        if let Some(value) = self.global_selects.get(&key) {
            return Ok(value.clone());
        }
        let value = self.select_path(target, path, default, env, file)?;
        let global = self
            .files
            .get(file as usize)
            .and_then(|info| info.layout.var(target.span.start, name));
        let static_path = path
            .iter()
            .all(|name| matches!(name.kind, AttrNameKind::Static(_)));
        if static_path && matches!(global, Some(Var::Global(_))) {
            self.global_selects.insert(key, value.clone());
        }
        Ok(value)
    }

    fn select_path(
        &mut self,
        target: &'a Expr,
        path: &'a [AttrName],
        default: Option<&'a Expr>,
        env: &Env<'a>,
        file: FileId,
    ) -> EvalResult<Value<'a>> {
        let mut value = self.eval(target, env, file)?;
        // The computed keys selected so far, for messages (`attribute `b` missing in
        // `x.${n}``): a static key is read from the path itself when a message needs it.
        let mut computed: Vec<Rc<str>> = Vec::new();
        for (index, name) in path.iter().enumerate() {
            let key = self.attr_name(name, env, file)?;
            let site = Site {
                file,
                span: name.span,
            };
            let found = match (&value, &key) {
                (Value::Attrs(attrs), Some(key)) => attrs.get(key.as_str()).cloned(),
                _ => None,
            };
            match found {
                Some(thunk) => {
                    value = self.force(&thunk).map_err(|e| {
                        let walked = self.walked_text(file, target, &path[..index], &computed);
                        e.frame(
                            site,
                            format!(
                                "while evaluating `{walked}.{}`",
                                key.as_ref().map_or("", Key::as_str)
                            ),
                        )
                    })?;
                }
                None => {
                    if let Some(default) = default {
                        return self.eval(default, env, file);
                    }
                    let walked = self.walked_text(file, target, &path[..index], &computed);
                    let key = key.as_ref().map_or("null", Key::as_str);
                    return Err(match &value {
                        Value::Attrs(attrs) => {
                            let mut error = EvalError::new(
                                codes::E0408,
                                format!("attribute `{key}` missing in `{walked}`"),
                                Some(site),
                            )
                            .label("no such attribute");
                            if let Some(similar) = did_you_mean(key, attrs.keys().map(|k| &**k)) {
                                error = error.help(format!("did you mean `{similar}`?"));
                            }
                            error
                        }
                        other => EvalError::type_error(
                            &format!("an attribute set to select `{key}` from"),
                            other.described(),
                            Some(site),
                        )
                        .label(format!("`{walked}` is {}", other.described())),
                    });
                }
            }
            if let (Some(Key::Computed(key)), true) = (key, index + 1 < path.len()) {
                computed.push(key);
            }
        }
        Ok(value)
    }

    /// `target.a.b`: the selected expression and the names selected from it so far, with
    /// `computed` the values of their computed names, in order.
    fn walked_text(
        &self,
        file: FileId,
        target: &Expr,
        walked: &[AttrName],
        computed: &[Rc<str>],
    ) -> String {
        let mut text = self.source_text(file, target.span);
        let mut computed = computed.iter();
        for name in walked {
            text.push('.');
            match &name.kind {
                AttrNameKind::Static(key) => text.push_str(key),
                AttrNameKind::Dynamic(_) => text.push_str(computed.next().map_or("", |key| key)),
            }
        }
        text
    }

    /// Concatenates string parts, coercing interpolated values as Nix does.
    fn interpolate(
        &mut self,
        parts: &'a [StrPart],
        env: &Env<'a>,
        file: FileId,
    ) -> EvalResult<String> {
        // Room for the literal parts and short interpolated values: most strings are built
        // without growing.
        let literal: usize = parts
            .iter()
            .map(|part| match part {
                StrPart::Lit(text) => text.len(),
                StrPart::Interp(_) => 16,
            })
            .sum();
        let mut out = String::with_capacity(literal);
        for part in parts {
            match part {
                StrPart::Lit(text) => out.push_str(text),
                StrPart::Interp(expr) => {
                    let value = self.eval(expr, env, file)?;
                    let site = Site {
                        file,
                        span: expr.span,
                    };
                    match &value {
                        // A string is copied in as it is, without a copy of its own first.
                        Value::String(text) => {
                            super::limits::push_str_within(&mut out, text, site)?
                        }
                        _ => {
                            let text = self.coerce_to_string(&value, false, site)?;
                            super::limits::push_str_within(&mut out, &text, site)?;
                        }
                    }
                }
            }
        }
        Ok(out)
    }

    /// Resolves a path literal against the directory of the file it is written in.
    fn resolve_path(&self, text: &str, file: FileId) -> String {
        let dir = self
            .files
            .get(file as usize)
            .map_or("/", |f| f.dir.as_str());
        paths::normalize(dir, text)
    }

    /// Imports the file at `path` (a path value), evaluating it once per evaluation.
    pub fn import(&mut self, path: &str, site: Site) -> EvalResult<Value<'a>> {
        if let Some(thunk) = self.imports.get(path).cloned() {
            return self
                .force(&thunk)
                .map_err(|e| e.frame(site, "while importing this file"));
        }
        let loaded = self.loader.load(path).map_err(|reason| {
            EvalError::new(
                codes::E0210,
                format!("cannot import `{path}`: {reason}"),
                Some(site),
            )
        })?;
        let dir = paths::parent_dir(&loaded.path).to_string();
        let (file, root) = self.add_file(&loaded, dir);
        let global = self.global.clone();
        let thunk = Thunk::expr(root, global, file);
        self.imports.insert(path.to_string(), thunk.clone());
        self.force(&thunk).map_err(|e| {
            if e.code == codes::E0402 && e.site.is_none() {
                EvalError::new(
                    codes::E0212,
                    format!("import cycle: `{path}` imports itself"),
                    Some(site),
                )
            } else {
                e.frame(site, "while importing this file")
            }
        })
    }

    /// The source text of a span, for messages ("assertion `x > 0` failed").
    pub fn source_text(&self, file: FileId, span: Span) -> String {
        self.files
            .get(file as usize)
            .and_then(|info| info.text.get(span.range()))
            .unwrap_or_default()
            .to_string()
    }
}

/// The function of an application, evaluated (see [`Evaluator::eval_callee`]).
enum Callee<'a> {
    Value(Value<'a>),
    /// A builtin and the arguments it has so far, fewer than it takes.
    Partial {
        builtin: &'static super::builtins::Builtin,
        args: Vec<Thunk<'a>>,
    },
}

impl<'a> Callee<'a> {
    /// As a value: a builtin short of arguments becomes its partial application.
    fn into_value(self) -> Value<'a> {
        match self {
            Callee::Value(value) => value,
            Callee::Partial { builtin, args } => {
                Value::Builtin(Rc::new(super::value::BuiltinApp { builtin, args }))
            }
        }
    }
}

/// What a name is bound to (see [`Evaluator::bound`]).
pub enum Bound<'a> {
    Thunk(Thunk<'a>),
    /// Bound by no lexical scope: look in the `with` sets around.
    With,
    /// Bound nowhere.
    Unbound,
}

/// An attribute name as a path component gives it: borrowed from the syntax tree when
/// written, shared when computed.
pub enum Key<'a> {
    Static(&'a str),
    Computed(Rc<str>),
}

impl Key<'_> {
    pub fn as_str(&self) -> &str {
        match self {
            Key::Static(text) => text,
            Key::Computed(text) => text,
        }
    }
}
