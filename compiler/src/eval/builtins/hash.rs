//! `hashString`: sha256 and sha512 digests in lowercase hexadecimal.

use super::{arg, builtin, force_string, string, Builtin};
use crate::diagnostic::codes;
use crate::eval::error::{EvalError, EvalResult};
use crate::eval::machine::Evaluator;
use crate::eval::value::{Site, Thunk, Value};
use sha2::{Digest, Sha256, Sha512};

pub static BUILTINS: &[Builtin] = &[builtin!("hashString", hash_string)];

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hash_string<'a>(
    ev: &mut Evaluator<'a>,
    args: &[Thunk<'a>],
    site: Site,
) -> EvalResult<Value<'a>> {
    let algorithm = force_string(ev, arg(args, 0), site, "naming the hash algorithm")?;
    let text = force_string(ev, arg(args, 1), site, "to hash")?;
    let digest = match &*algorithm {
        "sha256" => hex(&Sha256::digest(text.as_bytes())),
        "sha512" => hex(&Sha512::digest(text.as_bytes())),
        other => {
            return Err(EvalError::new(
                codes::E0412,
                format!("unknown hash algorithm `{other}`: mlc supports `sha256` and `sha512`"),
                Some(site),
            ))
        }
    };
    Ok(string(digest))
}
