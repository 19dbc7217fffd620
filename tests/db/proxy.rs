//! A loopback TCP proxy that can drop the connection after so many bytes from the client
//! (a network that fails in the middle of a transfer), or freeze: hold every byte either
//! way while the connections stay open (a server stopped with SIGSTOP, as seen from the
//! client).

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

pub struct Proxy {
    pub port: u16,
    pub cut: Arc<AtomicBool>,
    /// While true, nothing is forwarded either way.
    pub frozen: Arc<AtomicBool>,
}

/// Waits while `frozen` holds.
fn hold(frozen: &AtomicBool) {
    while frozen.load(Ordering::SeqCst) {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// Forwards connections to `target_port`; once more than `limit` bytes came from the
/// client side, closes both directions.
pub fn start(target_port: u16, limit: usize) -> Proxy {
    let listener = TcpListener::bind("127.0.0.1:0").expect("proxy port");
    let port = listener.local_addr().expect("addr").port();
    let sent = Arc::new(AtomicUsize::new(0));
    let cut = Arc::new(AtomicBool::new(false));
    let frozen = Arc::new(AtomicBool::new(false));
    let (s, c, f) = (sent.clone(), cut.clone(), frozen.clone());
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let Ok(server) = TcpStream::connect(("127.0.0.1", target_port)) else {
                continue;
            };
            let (s, c) = (s.clone(), c.clone());
            let (f1, f2) = (f.clone(), f.clone());
            let (mut c_read, mut c_write) = (client.try_clone().expect("clone"), client);
            let (mut s_read, mut s_write) = (server.try_clone().expect("clone"), server);
            let (s2, c2) = (s.clone(), c.clone());
            let up_client = c_write.try_clone().expect("clone");
            let up_server = s_read.try_clone().expect("clone");
            std::thread::spawn(move || {
                let mut buf = [0u8; 16 * 1024];
                loop {
                    let n = match c_read.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => n,
                    };
                    hold(&f1);
                    if c2.load(Ordering::SeqCst) {
                        break;
                    }
                    if s2.fetch_add(n, Ordering::SeqCst) + n > limit {
                        c2.store(true, Ordering::SeqCst);
                        break;
                    }
                    if s_write.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
                let _ = s_write.shutdown(Shutdown::Both);
                let _ = up_client.shutdown(Shutdown::Both);
            });
            std::thread::spawn(move || {
                let mut buf = [0u8; 16 * 1024];
                loop {
                    let n = match s_read.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => n,
                    };
                    hold(&f2);
                    if c.load(Ordering::SeqCst) || c_write.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
                let _ = c_write.shutdown(Shutdown::Both);
                let _ = up_server.shutdown(Shutdown::Both);
            });
        }
    });
    Proxy { port, cut, frozen }
}
