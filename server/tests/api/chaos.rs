//! A TCP proxy that breaks connections on purpose (in the spirit of
//! crates.io's chaos proxy): each new connection follows the next step of
//! a plan — pass everything, or cut after so many bytes of the request or
//! of the response. Cutting the request mid-way means the server never
//! sees a whole command; cutting the response means it applied the
//! commands and the device never heard.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Clone, Copy, Debug)]
pub enum Cut {
    Pass,
    RequestAfter(usize),
    ResponseAfter(usize),
}

pub struct ChaosProxy {
    pub address: String,
    plan: Arc<Mutex<VecDeque<Cut>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for ChaosProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl ChaosProxy {
    /// A proxy in front of `upstream` (`http://host:port`).
    pub async fn start(upstream: &str) -> ChaosProxy {
        let upstream = upstream.trim_start_matches("http://").to_string();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let address = format!("http://{}", listener.local_addr().expect("address"));
        let plan: Arc<Mutex<VecDeque<Cut>>> = Arc::default();
        let task = tokio::spawn({
            let plan = plan.clone();
            async move {
                while let Ok((client, _)) = listener.accept().await {
                    let cut = plan
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner())
                        .pop_front()
                        .unwrap_or(Cut::Pass);
                    let upstream = upstream.clone();
                    tokio::spawn(async move {
                        if let Ok(server) = TcpStream::connect(&upstream).await {
                            relay(client, server, cut).await;
                        }
                    });
                }
            }
        });
        ChaosProxy {
            address,
            plan,
            task,
        }
    }

    /// The cuts for the next connections, in order; then everything passes.
    pub fn plan(&self, cuts: impl IntoIterator<Item = Cut>) {
        self.plan
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .extend(cuts);
    }
}

/// Copies both ways until either side closes or the cut is reached; then
/// both connections are dropped (the peer sees a reset or an early end).
async fn relay(client: TcpStream, server: TcpStream, cut: Cut) {
    let (client_read, client_write) = client.into_split();
    let (server_read, server_write) = server.into_split();
    let (request_limit, response_limit) = match cut {
        Cut::Pass => (usize::MAX, usize::MAX),
        Cut::RequestAfter(bytes) => (bytes, usize::MAX),
        Cut::ResponseAfter(bytes) => (usize::MAX, bytes),
    };
    tokio::select! {
        () = copy(client_read, server_write, request_limit) => {}
        () = copy(server_read, client_write, response_limit) => {}
    }
}

async fn copy(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    limit: usize,
) {
    let mut buffer = vec![0u8; 4096];
    let mut left = limit;
    while left > 0 {
        let Ok(read) = from.read(&mut buffer).await else {
            return;
        };
        if read == 0 {
            return;
        }
        let passed = read.min(left);
        if to.write_all(&buffer[..passed]).await.is_err() {
            return;
        }
        left -= passed;
    }
}
