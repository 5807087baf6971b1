//! LSP's framing over stdio (`Content-Length` headers, JSON bodies), written here instead of
//! `lsp-server`'s reader because that one ends the connection on the first malformed frame.
//! A body that is not JSON is answered with a JSON-RPC parse error (-32700), a JSON value
//! that is no message with an invalid-request error (-32600), and reading goes on; a frame
//! whose headers make no sense is skipped. Only the end of the input ends the reader.

use std::io::{self, BufRead, Write};
use std::thread::JoinHandle;

use crossbeam_channel::{select, unbounded, Receiver, Sender};
use lsp_server::{Connection, Message};
use serde_json::{json, Value};

/// The reader and writer threads of [`stdio`].
pub struct IoThreads {
    reader: JoinHandle<()>,
    writer: JoinHandle<io::Result<()>>,
}

impl IoThreads {
    /// Waits for both threads (call after dropping the connection, so the writer ends).
    pub fn join(self) -> io::Result<()> {
        // The reader may still block on stdin when the server exits first: do not wait for
        // it then (the process is about to end).
        drop(self.reader);
        match self.writer.join() {
            Ok(result) => result,
            Err(_) => Err(io::Error::other("the writer thread panicked")),
        }
    }
}

/// A connection over stdin and stdout.
pub fn stdio() -> (Connection, IoThreads) {
    let (to_server, from_client) = unbounded::<Message>();
    let (to_client, outgoing) = unbounded::<Message>();
    let (errors_out, errors) = unbounded::<Value>();
    let reader = std::thread::spawn(move || {
        let stdin = io::stdin();
        read_messages(&mut stdin.lock(), &to_server, &errors_out);
    });
    let writer = std::thread::spawn(move || {
        let stdout = io::stdout();
        write_messages(&mut stdout.lock(), &outgoing, &errors)
    });
    let connection = Connection {
        sender: to_client,
        receiver: from_client,
    };
    (connection, IoThreads { reader, writer })
}

/// One frame read from the input.
#[derive(Debug, PartialEq)]
enum Frame {
    Body(Vec<u8>),
    /// Headers without a usable `Content-Length`.
    BadHeaders,
    End,
}

fn read_frame(input: &mut impl BufRead) -> io::Result<Frame> {
    let mut length: Option<Result<usize, ()>> = None;
    let mut saw_header = false;
    loop {
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            return Ok(if saw_header {
                Frame::BadHeaders
            } else {
                Frame::End
            });
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if !saw_header {
                continue;
            }
            break;
        }
        saw_header = true;
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = Some(value.trim().parse().map_err(|_| ()));
            }
        }
    }
    let Some(Ok(length)) = length else {
        return Ok(Frame::BadHeaders);
    };
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Frame::Body(body))
}

/// The JSON-RPC error response for a request that cannot be read.
fn error_response(id: Value, code: i32, message: String) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

/// Reads frames until the input ends, handing messages to `messages` and the answers to
/// unreadable frames to `errors`.
fn read_messages(input: &mut impl BufRead, messages: &Sender<Message>, errors: &Sender<Value>) {
    loop {
        let body = match read_frame(input) {
            Ok(Frame::Body(body)) => body,
            Ok(Frame::BadHeaders) => {
                let message = "a frame without a valid Content-Length header".to_string();
                let _ = errors.send(error_response(Value::Null, -32700, message));
                continue;
            }
            Ok(Frame::End) | Err(_) => return,
        };
        let value: Value = match serde_json::from_slice(&body) {
            Ok(value) => value,
            Err(err) => {
                let message = format!("the message is not valid JSON: {err}");
                let _ = errors.send(error_response(Value::Null, -32700, message));
                continue;
            }
        };
        let id = value.get("id").cloned().unwrap_or(Value::Null);
        // A request or notification names its method; a response has a result or an error.
        let shaped = value.get("method").is_some_and(Value::is_string)
            || value.get("result").is_some()
            || value.get("error").is_some();
        if !shaped {
            let message = "not a JSON-RPC request, response or notification".to_string();
            let _ = errors.send(error_response(id, -32600, message));
            continue;
        }
        match serde_json::from_value::<Message>(value) {
            Ok(message) => {
                if messages.send(message).is_err() {
                    return;
                }
            }
            Err(err) => {
                let message = format!("not a JSON-RPC request, response or notification: {err}");
                let _ = errors.send(error_response(id, -32600, message));
            }
        }
    }
}

fn write_frame(output: &mut impl Write, body: &str) -> io::Result<()> {
    write!(output, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    output.flush()
}

/// Writes every message and error answer until the server drops its sender.
fn write_messages(
    output: &mut impl Write,
    messages: &Receiver<Message>,
    errors: &Receiver<Value>,
) -> io::Result<()> {
    let mut errors_open = true;
    loop {
        let never = crossbeam_channel::never();
        let errors_channel = if errors_open { errors } else { &never };
        select! {
            recv(messages) -> message => match message {
                Ok(message) => message.write(output)?,
                Err(_) => return Ok(()),
            },
            recv(errors_channel) -> error => match error {
                Ok(error) => write_frame(output, &error.to_string())?,
                Err(_) => errors_open = false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &str) -> (Vec<Message>, Vec<Value>) {
        let (messages_in, messages) = unbounded();
        let (errors_in, errors) = unbounded();
        read_messages(&mut input.as_bytes(), &messages_in, &errors_in);
        drop((messages_in, errors_in));
        (messages.iter().collect(), errors.iter().collect())
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn bad_frames_are_answered_and_reading_goes_on() {
        let ok = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let input = [
            frame("{not json"),
            frame(ok),
            "Content-Length: many\r\n\r\n".to_string(),
            frame(r#"{"jsonrpc":"2.0","id":4,"what":1}"#),
            frame(ok),
        ]
        .concat();
        let (messages, errors) = frames(&input);
        assert_eq!(messages.len(), 2, "{messages:?}");
        let codes: Vec<_> = errors.iter().map(|e| e["error"]["code"].clone()).collect();
        assert_eq!(codes, [json!(-32700), json!(-32700), json!(-32600)]);
        assert_eq!(errors[2]["id"], json!(4));
        assert_eq!(errors[0]["id"], Value::Null);
    }

    #[test]
    fn a_truncated_input_ends_the_reader() {
        let (messages, errors) = frames("Content-Length: 100\r\n\r\n{\"a\"");
        assert!(messages.is_empty() && errors.is_empty());
    }
}
