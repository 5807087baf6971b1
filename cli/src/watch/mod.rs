//! `mlc build FILE --watch`: build, then build again each time the file or one of the files
//! it imports changes, through one salsa database (a [`Session`]), until Ctrl-C.
//!
//! The loop: wait for a burst of relevant file events to end ([`debounce`]), read every
//! watched file again (unchanged ones cost salsa nothing), rebuild if one changed, print the
//! diagnostics or a one-line summary, then watch the files of the new import closure
//! ([`files`]). A broken build never touches the output: `--out-dir` keeps the last good
//! files, and stdout prints only successful builds.
//!
//! Ctrl-C is handled with the `ctrlc` crate rather than left to the default signal action:
//! the handler only sends a message on the loop's own channel, so the loop finishes the
//! write in progress (no stray temporary file) and exits with 130, the shell's code for
//! "stopped by Ctrl-C". A second Ctrl-C exits at once, in case a build is stuck.

mod debounce;
mod files;

use super::build::{finish, render, BuildArgs, Format};
use super::report::{input_errors, usage_error, write_stdout, Reporter};
use super::MessageFormat;
use debounce::{next_batch, Batch, Message, Timing};
use files::FileWatcher;
use mlc::build::{Build, OutDir, Session, Written};
use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Sender};
use std::time::{Duration, Instant};

/// Editors write a file in several steps within a few milliseconds; a change is built once
/// they are done, and a file written without pause is still built every second.
const TIMING: Timing = Timing {
    quiet: Duration::from_millis(80),
    longest: Duration::from_secs(1),
};

/// Exit code after Ctrl-C, as a shell reports a process stopped by SIGINT.
const INTERRUPTED: u8 = 130;

pub fn run(args: &BuildArgs, reporter: &Reporter, root: Option<&str>) -> ExitCode {
    let (sender, receiver) = mpsc::channel();
    install_interrupt_handler(sender.clone());
    let watcher = notify::recommended_watcher(move |event| {
        // The loop is gone only when the process is exiting.
        let _ = sender.send(Message::Fs(event));
    });
    let watcher = match watcher {
        Ok(watcher) => watcher,
        Err(error) => {
            eprintln!("error: cannot watch files: {error}");
            return input_errors();
        }
    };
    let output = match &args.out_dir {
        Some(dir) => match OutDir::new(dir) {
            Ok(dir) => Output::Dir(dir),
            Err(message) => return usage_error(&message),
        },
        None => Output::Stdout {
            format: args.output,
            last: None,
        },
    };
    let session = Session::new(
        super::project::database(root, &[&args.file]),
        &args.file,
        reporter.build_options(),
    );
    let mut watch = Watch {
        session,
        watcher: FileWatcher::new(watcher),
        watched: Vec::new(),
        output,
        args,
        reporter,
        json: reporter.format() == MessageFormat::Json,
        builds: 0,
    };
    watch.rebuild(Instant::now());
    watch.follow_imports();
    loop {
        let batch = next_batch(
            &receiver,
            TIMING,
            |event| watch.watcher.set().is_relevant(event),
            |error| eprintln!("warning: file watcher: {error}"),
        );
        match batch {
            Batch::Changed => {
                let started = Instant::now();
                if watch.reload() {
                    watch.rebuild(started);
                }
                watch.follow_imports();
            }
            Batch::Interrupted => return ExitCode::from(INTERRUPTED),
            Batch::Closed => return ExitCode::SUCCESS,
        }
    }
}

/// The first Ctrl-C asks the loop to stop; the second exits at once.
fn install_interrupt_handler(sender: Sender<Message>) {
    let interrupted = AtomicBool::new(false);
    let installed = ctrlc::set_handler(move || {
        if interrupted.swap(true, Ordering::SeqCst) {
            std::process::exit(INTERRUPTED.into());
        }
        let _ = sender.send(Message::Interrupt);
    });
    if let Err(error) = installed {
        // Ctrl-C still stops the process, only without the clean-up.
        eprintln!("warning: cannot handle Ctrl-C: {error}");
    }
}

/// Where successful builds go.
enum Output {
    Dir(OutDir),
    /// Printed, unless the text is the same as the last build's.
    Stdout {
        format: Format,
        last: Option<String>,
    },
}

struct Watch<'r> {
    session: Session,
    watcher: FileWatcher<notify::RecommendedWatcher>,
    /// The files watched now (absolute paths, entry first).
    watched: Vec<String>,
    output: Output,
    args: &'r BuildArgs,
    reporter: &'r Reporter,
    json: bool,
    builds: usize,
}

impl Watch<'_> {
    /// Reads every watched file again; says whether one changed.
    fn reload(&mut self) -> bool {
        let watched = std::mem::take(&mut self.watched);
        let changed = self.session.reload(watched.iter().map(String::as_str));
        self.watched = watched;
        changed
    }

    /// Builds, writes the output if the build succeeded, and says what happened.
    fn rebuild(&mut self, started: Instant) {
        self.builds += 1;
        let build = self.session.build();
        self.reporter.report(&build.diagnostics, self.session.db());
        let Build {
            manifests: Some(mut manifests),
            ..
        } = build
        else {
            self.status(Status::Failed, started.elapsed());
            return;
        };
        let status = match finish(self.args, &mut manifests).and_then(|()| self.write(&manifests)) {
            Ok(status) => status,
            Err(message) => {
                eprintln!("error: {message}");
                Status::Failed
            }
        };
        self.status(status, started.elapsed());
    }

    fn write(&mut self, manifests: &[mlc::k8s::Manifest]) -> Result<Status, String> {
        let objects = manifests.len();
        match &mut self.output {
            Output::Dir(dir) => Ok(Status::Written {
                objects,
                written: dir.write(manifests)?,
            }),
            Output::Stdout { format, last } => {
                let text = render(*format, manifests)?;
                if last.as_ref() == Some(&text) {
                    return Ok(Status::Printed {
                        objects,
                        changed: false,
                    });
                }
                let header = (*format == Format::Yaml).then(|| {
                    let name = self.session.entry().name(self.session.db());
                    format!("# mlc: build {} of {name}\n", self.builds)
                });
                write_stdout(|out| {
                    out.write_all(header.unwrap_or_default().as_bytes())?;
                    out.write_all(text.as_bytes())
                })?;
                *last = Some(text);
                Ok(Status::Printed {
                    objects,
                    changed: true,
                })
            }
        }
    }

    /// Watches the files of the current import closure; when they changed, says so, and
    /// reads them again in case one changed before its directory was watched.
    fn follow_imports(&mut self) {
        // Each round can only add files that exist now; a few rounds settle any chain.
        for _ in 0..4 {
            let files = self.session.watched_files();
            if files == self.watched {
                return;
            }
            for (dir, error) in self.watcher.update(&files) {
                eprintln!("warning: cannot watch `{}`: {error}", dir.display());
            }
            self.watched = files;
            self.print_watched();
            let started = Instant::now();
            if !self.reload() {
                return;
            }
            self.rebuild(started);
        }
    }

    fn print_watched(&self) {
        let db = self.session.db();
        let names: Vec<String> = self
            .watched
            .iter()
            .map(|path| match db.existing_file(path) {
                Some(file) => file.name(db).to_string(),
                None => path.clone(),
            })
            .collect();
        let line = if self.json {
            serde_json::json!({ "event": "watching", "files": names }).to_string()
        } else {
            let imported = match names.len() {
                0 | 1 => String::new(),
                2 => " and 1 file it imports".to_string(),
                n => format!(" and {} files it imports", n - 1),
            };
            let entry = names.first().map(String::as_str).unwrap_or_default();
            format!("mlc: watching {entry}{imported} for changes (Ctrl-C to stop)")
        };
        status_line(&line);
    }

    fn status(&self, status: Status, took: Duration) {
        let db = self.session.db();
        let entry = self.session.entry().name(db);
        let took_text = format_duration(took);
        let line = if self.json {
            let mut object = serde_json::json!({
                "event": "build",
                "file": entry.as_ref(),
                "build": self.builds,
                "success": !matches!(status, Status::Failed),
                "millis": took.as_secs_f64() * 1000.0,
            });
            match status {
                Status::Written { objects, written } => {
                    object["objects"] = objects.into();
                    object["written"] = written.written.into();
                    object["unchanged"] = written.unchanged.into();
                    object["removed"] = written.removed.into();
                }
                Status::Printed { objects, changed } => {
                    object["objects"] = objects.into();
                    object["printed"] = changed.into();
                }
                Status::Failed => {}
            }
            object.to_string()
        } else {
            match status {
                Status::Written { objects, written } => {
                    let dir = match &self.output {
                        Output::Dir(dir) => dir.path().display().to_string(),
                        Output::Stdout { .. } => String::new(),
                    };
                    let mut line = format!(
                        "mlc: built {entry} in {took_text}: {}, {} written to {dir}",
                        plural(objects, "object"),
                        written.written,
                    );
                    if written.unchanged > 0 {
                        line.push_str(&format!(", {} unchanged", written.unchanged));
                    }
                    if written.removed > 0 {
                        line.push_str(&format!(", {} removed", plural(written.removed, "file")));
                    }
                    line
                }
                Status::Printed { objects, changed } => format!(
                    "mlc: built {entry} in {took_text}: {}{}",
                    plural(objects, "object"),
                    if changed { "" } else { ", output unchanged" }
                ),
                Status::Failed => {
                    let kept = match &self.output {
                        Output::Dir(dir) => {
                            format!("`{}` keeps the last good build", dir.path().display())
                        }
                        Output::Stdout { .. } => "nothing printed".to_string(),
                    };
                    format!(
                        "mlc: build of {entry} failed in {took_text}; {kept}; waiting for changes"
                    )
                }
            }
        };
        status_line(&line);
    }
}

/// What one rebuild did.
enum Status {
    Written { objects: usize, written: Written },
    Printed { objects: usize, changed: bool },
    Failed,
}

fn status_line(line: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{line}");
}

fn plural(count: usize, what: &str) -> String {
    match count {
        1 => format!("1 {what}"),
        n => format!("{n} {what}s"),
    }
}

/// `0.8 ms`, `12.3 ms`, `1.25 s`.
fn format_duration(duration: Duration) -> String {
    let millis = duration.as_secs_f64() * 1000.0;
    if millis < 1000.0 {
        format!("{millis:.1} ms")
    } else {
        format!("{:.2} s", millis / 1000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_well() {
        assert_eq!(format_duration(Duration::from_micros(830)), "0.8 ms");
        assert_eq!(format_duration(Duration::from_micros(12_340)), "12.3 ms");
        assert_eq!(format_duration(Duration::from_millis(1250)), "1.25 s");
    }

    #[test]
    fn counts_read_well() {
        assert_eq!(plural(1, "object"), "1 object");
        assert_eq!(plural(4, "object"), "4 objects");
    }
}
