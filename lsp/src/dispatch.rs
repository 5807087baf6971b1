//! Routing of requests to handlers, with every handler run behind `catch_unwind` so a panic
//! in one request becomes an error response and the server goes on.

use std::panic::{catch_unwind, AssertUnwindSafe};

use lsp_server::{ErrorCode, Request, RequestId, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Runs `handler` on the request's params if the method is `R`'s; returns `Err(req)`
/// unchanged for other methods so the caller can try the next route.
pub fn on_request<R, F>(req: Request, handler: F) -> Result<Response, Request>
where
    R: lsp_types::request::Request,
    R::Params: DeserializeOwned,
    R::Result: Serialize,
    F: FnOnce(R::Params) -> Result<R::Result, String>,
{
    on_request_json::<R, _>(req, |params| {
        serde_json::to_value(handler(params)?).map_err(|err| err.to_string())
    })
}

/// As [`on_request`], for a handler that writes its result as JSON itself: a large result
/// (thousands of completion items) built straight into `serde_json::Value`s, its strings
/// moved in, instead of typed values that serialising copies once more.
pub fn on_request_json<R, F>(req: Request, handler: F) -> Result<Response, Request>
where
    R: lsp_types::request::Request,
    R::Params: DeserializeOwned,
    F: FnOnce(R::Params) -> Result<serde_json::Value, String>,
{
    if req.method != R::METHOD {
        return Err(req);
    }
    let id = req.id.clone();
    let params: R::Params = match serde_json::from_value(req.params) {
        Ok(params) => params,
        Err(err) => return Ok(error(id, ErrorCode::InvalidParams, err.to_string())),
    };
    Ok(match catch_unwind(AssertUnwindSafe(|| handler(params))) {
        // Built by hand: `Response::new_ok` would serialise the value again, a deep copy.
        Ok(Ok(result)) => Response {
            id,
            result: Some(result),
            error: None,
        },
        Ok(Err(message)) => error(id, ErrorCode::RequestFailed, message),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            error(
                id,
                ErrorCode::InternalError,
                format!("mlc-lsp panicked in {}: {what}", R::METHOD),
            )
        }
    })
}

pub fn error(id: RequestId, code: ErrorCode, message: String) -> Response {
    Response::new_err(id, code as i32, message)
}

/// Deserialises a notification's params if the method is `N`'s.
pub fn notification_params<N>(not: &lsp_server::Notification) -> Option<N::Params>
where
    N: lsp_types::notification::Notification,
    N::Params: DeserializeOwned,
{
    if not.method != N::METHOD {
        return None;
    }
    serde_json::from_value(not.params.clone()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::request::Shutdown;

    #[test]
    fn a_panicking_handler_becomes_an_internal_error_response() {
        let req = Request::new(RequestId::from(7), "shutdown".to_string(), ());
        let resp = on_request::<Shutdown, _>(req, |()| panic!("boom"));
        let resp = resp.unwrap_or_else(|_| panic!("route should match"));
        let err = resp.error.unwrap_or_else(|| panic!("expected an error"));
        assert_eq!(err.code, ErrorCode::InternalError as i32);
        assert!(err.message.contains("boom"), "{}", err.message);
    }

    #[test]
    fn other_methods_fall_through() {
        let req = Request::new(RequestId::from(1), "textDocument/hover".to_string(), ());
        assert!(on_request::<Shutdown, _>(req, |()| Ok(())).is_err());
    }
}
