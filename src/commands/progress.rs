//! A progress bar on standard error for the whole-inventory analyses.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::analysis::Progress;

/// Drawn only when standard error is a terminal, not under `--quiet`, and only once the
/// work has lasted a second (short work stays silent).
pub(crate) struct Bar {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: AtomicBool,
}

impl Bar {
    /// A bar, hidden under `quiet`.
    pub fn new(quiet: bool) -> Self {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
            if let Ok(st) =
                ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta} left)")
            {
                bar.set_style(st.progress_chars("=> "));
            }
            bar
        });
        Bar {
            bar,
            started: Instant::now(),
            shown: AtomicBool::new(false),
        }
    }
}

impl Progress for Bar {
    fn start(&self, len: u64, what: &str) {
        if let Some(b) = &self.bar {
            b.set_length(len);
            b.set_position(0);
            b.set_message(what.to_owned());
        }
    }

    fn advance(&self, n: u64) {
        if let Some(b) = &self.bar {
            b.inc(n);
            if self.started.elapsed().as_secs_f64() > 1.0
                && !self.shown.swap(true, Ordering::Relaxed)
            {
                b.set_draw_target(ProgressDrawTarget::stderr());
            }
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
