//! Control and errors: `seq`, `deepSeq`, `throw`, `abort`, `tryEval`, `trace`, `warn`,
//! `findings`, `import`.

use super::{arg, builtin, force_string, Builtin};
use crate::diagnostic::codes;
use crate::eval::error::{ErrorExt, ErrorKind, EvalError, EvalResult};
use crate::eval::machine::Evaluator;
use crate::eval::value::{Attrs, Site, Thunk, Value};
use std::collections::BTreeMap;
use std::rc::Rc;

pub static BUILTINS: &[Builtin] = &[
    builtin!("seq", seq),
    builtin!("deepSeq", deep_seq),
    builtin!("throw", throw),
    builtin!("abort", abort),
    builtin!("tryEval", try_eval),
    builtin!("trace", trace),
    builtin!("warn", warn),
    builtin!("findings", findings),
    builtin!("import", import),
];

fn seq<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], _: Site) -> EvalResult<Value<'a>> {
    ev.force(arg(args, 0))?;
    ev.force(arg(args, 1))
}

fn deep_seq<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let value = ev.force(arg(args, 0))?;
    ev.deep_force(value, site)?;
    ev.force(arg(args, 1))
}

fn throw<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let message = force_string(ev, arg(args, 0), site, "as the error message")?;
    Err(
        EvalError::new(codes::E0414, message.to_string(), Some(site))
            .kind(ErrorKind::Throw)
            .label("thrown here"),
    )
}

fn abort<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let message = force_string(ev, arg(args, 0), site, "as the error message")?;
    Err(EvalError::new(
        codes::E0415,
        format!("evaluation aborted: {message}"),
        Some(site),
    )
    .kind(ErrorKind::Abort)
    .label("aborted here"))
}

fn try_eval<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], _: Site) -> EvalResult<Value<'a>> {
    let (success, value) = match ev.force(arg(args, 0)) {
        Ok(value) => (true, value),
        Err(error) if matches!(error.kind, ErrorKind::Throw | ErrorKind::Assert) => {
            (false, Value::Bool(false))
        }
        Err(error) => return Err(error),
    };
    let mut map = BTreeMap::new();
    map.insert(Rc::from("success"), Thunk::value(Value::Bool(success)));
    map.insert(Rc::from("value"), Thunk::value(value));
    Ok(Value::Attrs(Rc::new(Attrs::from(map))))
}

fn trace<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], _: Site) -> EvalResult<Value<'a>> {
    let value = ev.force(arg(args, 0))?;
    let data = ev.force_data(value, None)?;
    eprintln!("trace: {}", data.pretty());
    ev.force(arg(args, 1))
}

/// `warn message value`: records a warning (shown with the diagnostics; an error under
/// `--deny-warnings`) and returns `value`, like Nix 2.23's `builtins.warn`.
fn warn<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let message = force_string(ev, arg(args, 0), site, "as the warning")?;
    ev.warn(site, message.to_string());
    ev.force(arg(args, 1))
}

/// `findings { options; waivers; found; }`: records what a library's checks found about
/// `options` (see `eval::findings`), and returns `true`.
fn findings<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    ev.record_findings(args, site)
}

fn import<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let path = match ev.force(arg(args, 0))? {
        Value::Path(path) => path,
        Value::String(text) if text.starts_with('/') || text.starts_with(crate::stdlib::ROOT) => {
            text
        }
        other => {
            return Err(
                EvalError::type_error("a path to import", other.described(), Some(site)).help(
                    "write a path literal such as `./config.mlc` or a module such as `<mlflow>`",
                ),
            )
        }
    };
    ev.import(&path, site)
}
