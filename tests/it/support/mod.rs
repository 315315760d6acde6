//! What the test modules share: `ripplemap()`, the one way to run the built binary, and
//! the random-inventory generator of the property tests (`generator`, in gen.rs).

// `gen` is a reserved word in Rust 2024: the file is gen.rs, the module `generator`.
#[path = "gen.rs"]
pub mod generator;

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The repository root: the working directory of the tests and, unless a test says
/// otherwise, of the binary, so that paths in arguments and output read as they would on
/// the command line (`tests/fixtures/…`, `inventories/…`).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A run of the binary being put together: arguments, standard input, environment and
/// working directory. Started by [`Run::run`] (or [`Run::ok`], [`Run::code`],
/// [`Run::usage_error`], which also check the exit code).
#[must_use = "a Run does nothing until it is run"]
pub struct Run {
    args: Vec<OsString>,
    stdin: Option<Vec<u8>>,
    /// Applied in order: `None` removes the variable.
    env: Vec<(OsString, Option<OsString>)>,
    dir: PathBuf,
}

/// `ripplemap` with no arguments yet, run from the repository root without `NO_COLOR`
/// and the locale variables (`LC_ALL`, `LC_MESSAGES`, `LANG`) from the caller's
/// environment (so colour and language are decided by the flags and the test alone),
/// with its index cache in the tests' own directory (shared by the tests: a second run on
/// an inventory reads its index, so most tests check cached loads too).
pub fn ripplemap() -> Run {
    Run {
        args: Vec::new(),
        stdin: None,
        env: vec![
            ("NO_COLOR".into(), None),
            ("LC_ALL".into(), None),
            ("LC_MESSAGES".into(), None),
            ("LANG".into(), None),
            ("XDG_CACHE_HOME".into(), None),
            ("RIPPLEMAP_CACHE_DIR".into(), Some(test_cache().into())),
        ],
        dir: root().to_path_buf(),
    }
}

/// The index cache the tests' runs share.
pub fn test_cache() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("ripplemap-test-cache")
}

impl Run {
    /// Adds one argument.
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    /// Adds arguments.
    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// Gives the binary these bytes on standard input (otherwise it reads end of file).
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(bytes.into());
        self
    }

    /// Sets an environment variable.
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.env
            .push((key.as_ref().to_owned(), Some(value.as_ref().to_owned())));
        self
    }

    /// Runs in `dir` instead of the repository root (a relative `dir` is taken from the
    /// root): for tests whose point is the relative path a diagnostic echoes.
    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.dir = root().join(dir);
        self
    }

    /// Runs the binary to its end; fails the test if it panicked or printed anything but
    /// UTF-8 on stdout.
    pub fn run(self) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ripplemap"));
        cmd.args(&self.args)
            .current_dir(&self.dir)
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in &self.env {
            match value {
                Some(v) => cmd.env(key, v),
                None => cmd.env_remove(key),
            };
        }
        let command = self.describe();
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start `{command}`: {e}"));
        // Written from another thread, so that a binary that fills its stdout before
        // reading its stdin cannot deadlock the test.
        let feeder = self.stdin.map(|bytes| {
            let mut pipe = child.stdin.take().expect("a piped stdin");
            std::thread::spawn(move || {
                // The binary may exit without reading it all: a broken pipe is fine.
                let _ = pipe.write_all(&bytes);
            })
        });
        let out = child
            .wait_with_output()
            .unwrap_or_else(|e| panic!("running `{command}`: {e}"));
        if let Some(feeder) = feeder {
            feeder.join().expect("the stdin writer");
        }
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let stdout = String::from_utf8(out.stdout).unwrap_or_else(|e| {
            panic!("`{command}` printed non-UTF-8 on stdout: {e}\n--- stderr ---\n{stderr}")
        });
        let output = Output {
            command,
            code: out.status.code(),
            stdout,
            stderr,
        };
        assert!(
            !output.stderr.contains("panicked"),
            "the binary panicked: {output:?}"
        );
        output
    }

    /// Runs and asserts exit code 0; returns stdout.
    pub fn ok(self) -> String {
        self.code(0).stdout
    }

    /// Runs and asserts the exit code.
    pub fn code(self, want: i32) -> Output {
        let out = self.run();
        assert_eq!(out.code, Some(want), "exit code {want} expected: {out:?}");
        out
    }

    /// Runs and asserts exit code 2 with nothing on stdout and an explanation on stderr;
    /// returns stderr.
    pub fn usage_error(self) -> String {
        let out = self.code(2);
        assert!(
            out.stdout.is_empty(),
            "nothing on stdout for an error: {out:?}"
        );
        assert!(
            !out.stderr.trim().is_empty(),
            "the error must be explained on stderr: {out:?}"
        );
        out.stderr
    }

    /// The command line, for messages.
    fn describe(&self) -> String {
        let mut s = String::from("ripplemap");
        for a in &self.args {
            s.push(' ');
            s.push_str(&a.to_string_lossy());
        }
        s
    }
}

/// What one run of the binary did: its exit code and everything it printed.
pub struct Output {
    /// The command line that ran.
    pub command: String,
    /// The exit code (`None` when a signal ended it).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Stdout parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON: {e}\n{self:?}"))
    }
}

/// The strings of a JSON array.
pub fn strs(v: &serde_json::Value) -> Vec<&str> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect()
}

impl fmt::Debug for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}`: exit code {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.command, self.code, self.stdout, self.stderr
        )
    }
}

/// What a renderer writes, as text (every renderer writes UTF-8).
pub fn text(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    write(&mut out).expect("writing to memory");
    String::from_utf8(out).expect("UTF-8")
}

/// A value as the CLI writes it in JSON.
pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    text(|w| ripplemap::render::json::write(value, w))
}
