//! One window per data directory: a second launch hands its files or its
//! `sco-reader://` link to the running window through a local socket and
//! exits. No network: a Unix socket in `$XDG_RUNTIME_DIR` (private to the
//! user), else in the data directory, named after the data directory so
//! that two data directories are two readers.
//!
//! The message is one line of JSON, the arguments (paths made absolute,
//! since the running window has another working directory); the window
//! answers `ok` once it has them. A socket left by a crash answers nothing:
//! it is detected (the connection is refused) and replaced. Only a socket
//! is ever removed, never a file of another kind.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a second launch waits for the running window to answer.
pub const ANSWER_TIMEOUT: Duration = Duration::from_millis(800);
/// Longest message read (a few thousand paths).
const MAX_MESSAGE_BYTES: u64 = 1 << 20;

/// Where the socket of `data_dir`'s window is.
pub fn socket_path(data_dir: &Path) -> PathBuf {
    let name = format!("sco-reader-{}.sock", &blake3::hash(data_dir.as_os_str().as_encoded_bytes()).to_hex()[..16]);
    match std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from).filter(|d| d.is_absolute() && d.is_dir()) {
        Some(runtime) => runtime.join(name),
        None => data_dir.join(name),
    }
}

/// What became of a hand-over.
#[derive(Debug, PartialEq, Eq)]
pub enum HandOver {
    /// The running window has the arguments.
    Delivered,
    /// No window is running (or it did not answer): open one.
    NoWindow,
}

/// The arguments as the running window should read them: paths absolute,
/// links as they are.
pub fn absolute_args(args: &[String]) -> Vec<String> {
    args.iter()
        .map(|a| {
            if a.starts_with("sco-reader:") {
                a.clone()
            } else {
                std::path::absolute(a).map_or_else(|_| a.clone(), |p| p.to_string_lossy().into_owned())
            }
        })
        .collect()
}

#[cfg(unix)]
mod imp {
    use super::{ANSWER_TIMEOUT, HandOver, MAX_MESSAGE_BYTES};
    use std::io::{BufRead as _, BufReader, Read as _, Write as _};
    use std::os::unix::fs::FileTypeExt as _;
    use std::os::unix::net::{UnixListener, UnixStream};
    use std::path::{Path, PathBuf};

    /// Sends `args` to the window listening at `socket`.
    pub fn hand_over(socket: &Path, args: &[String]) -> HandOver {
        let Ok(mut stream) = UnixStream::connect(socket) else { return HandOver::NoWindow };
        let _ = stream.set_write_timeout(Some(ANSWER_TIMEOUT));
        let _ = stream.set_read_timeout(Some(ANSWER_TIMEOUT));
        let Ok(mut line) = serde_json::to_string(&super::absolute_args(args)) else { return HandOver::NoWindow };
        line.push('\n');
        if stream.write_all(line.as_bytes()).is_err() {
            return HandOver::NoWindow;
        }
        let mut answer = String::new();
        match BufReader::new(stream).take(16).read_line(&mut answer) {
            Ok(_) if answer.trim() == "ok" => HandOver::Delivered,
            _ => HandOver::NoWindow,
        }
    }

    /// The running window's end: removes its socket when dropped.
    pub struct Listener {
        path: PathBuf,
    }

    impl Drop for Listener {
        fn drop(&mut self) {
            remove_socket(&self.path);
        }
    }

    /// Removes `path` if it is a socket (never a file of another kind).
    fn remove_socket(path: &Path) {
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_socket()) {
            let _ = std::fs::remove_file(path);
        }
    }

    /// Listens at `socket`, calling `deliver` with each launch's arguments
    /// on a thread of its own. Fails when another window is listening
    /// there, or when something other than a socket holds the name.
    pub fn listen(socket: &Path, deliver: impl Fn(Vec<String>) + Send + 'static) -> std::io::Result<Listener> {
        let listener = match UnixListener::bind(socket) {
            Ok(l) => l,
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                if UnixStream::connect(socket).is_ok() {
                    return Err(std::io::Error::new(std::io::ErrorKind::AddrInUse, "another window is running"));
                }
                // A socket left by a crash: nobody answers; replace it.
                if !std::fs::symlink_metadata(socket).is_ok_and(|m| m.file_type().is_socket()) {
                    return Err(e);
                }
                remove_socket(socket);
                UnixListener::bind(socket)?
            }
            Err(e) => return Err(e),
        };
        std::thread::Builder::new().name("sco-reader-instance".to_owned()).spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let _ = stream.set_read_timeout(Some(ANSWER_TIMEOUT));
                let _ = stream.set_write_timeout(Some(ANSWER_TIMEOUT));
                let mut line = String::new();
                let Ok(reader) = stream.try_clone() else { continue };
                if BufReader::new(reader).take(MAX_MESSAGE_BYTES).read_line(&mut line).is_err() {
                    continue;
                }
                let Ok(args) = serde_json::from_str::<Vec<String>>(line.trim_end()) else { continue };
                deliver(args);
                let mut stream = stream;
                let _ = stream.write_all(b"ok\n");
            }
        })?;
        Ok(Listener { path: socket.to_path_buf() })
    }
}

#[cfg(not(unix))]
mod imp {
    use super::HandOver;
    use std::path::Path;

    /// No hand-over on this system: every launch opens a window.
    pub fn hand_over(_socket: &Path, _args: &[String]) -> HandOver {
        HandOver::NoWindow
    }

    /// Nothing to remove.
    pub struct Listener;

    /// No listening on this system.
    pub fn listen(_socket: &Path, _deliver: impl Fn(Vec<String>) + Send + 'static) -> std::io::Result<Listener> {
        Err(std::io::Error::new(std::io::ErrorKind::Unsupported, "one window per user needs Unix sockets"))
    }
}

pub use imp::{Listener, hand_over, listen};

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_second_launch_hands_its_arguments_to_the_listener() {
        let dir = tempfile::tempdir().expect("tmp");
        let socket = dir.path().join("s.sock");
        assert_eq!(hand_over(&socket, &["x".to_owned()]), HandOver::NoWindow, "nobody listens yet");
        let (tx, rx) = std::sync::mpsc::channel();
        let listener = listen(&socket, move |args| {
            let _ = tx.send(args);
        })
        .expect("listen");
        let link = "sco-reader://open?doc=a%2Fb&p=3".to_owned();
        assert_eq!(hand_over(&socket, &[link.clone(), "rel/file.txt".to_owned()]), HandOver::Delivered);
        let got = rx.recv_timeout(Duration::from_secs(2)).expect("delivered");
        assert_eq!(got[0], link);
        assert!(Path::new(&got[1]).is_absolute() && got[1].ends_with("rel/file.txt"), "{got:?}");
        // A second window at the same place is refused while this one runs.
        assert!(listen(&socket, |_| {}).is_err());
        drop(listener);
        assert!(!socket.exists(), "the socket goes with the window");
    }

    #[test]
    fn a_socket_left_by_a_crash_is_replaced_and_other_files_are_not() {
        let dir = tempfile::tempdir().expect("tmp");
        let socket = dir.path().join("s.sock");
        // A crashed window's socket: bound, never removed, nobody accepting.
        drop(std::os::unix::net::UnixListener::bind(&socket).expect("bind"));
        assert!(socket.exists());
        assert_eq!(hand_over(&socket, &[]), HandOver::NoWindow);
        let listener = listen(&socket, |_| {}).expect("replaces the stale socket");
        assert_eq!(hand_over(&socket, &[]), HandOver::Delivered);
        drop(listener);
        // A regular file under that name is never removed.
        std::fs::write(&socket, "mine").expect("write");
        assert!(listen(&socket, |_| {}).is_err());
        assert_eq!(std::fs::read_to_string(&socket).expect("read"), "mine");
    }
}
