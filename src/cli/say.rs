//! Writing to the person: the lines the subcommands print on stdout and stderr.

/// `writeln!` to the person (stdout or stderr, or the buffers a test gives), through
/// [`told`].
macro_rules! say {
    ($to:expr, $($arg:tt)*) => {
        $crate::cli::say::told(writeln!($to, $($arg)*))
    };
}
pub(crate) use say;

/// What became of a write to the person. One that failed (the stream closed, as with
/// `pistas stats x | head`) is logged at debug and otherwise let go: there is nowhere left
/// to say it, and the exit status still tells how the command went.
pub(crate) fn told(written: std::io::Result<()>) {
    if let Err(e) = written {
        log::debug!("cannot write to the terminal: {e}");
    }
}
