//! The load generator: N connections, one thread each, sending the same GET back to
//! back over keep-alive for a fixed time, timing every request from its first byte
//! written to the last byte of its response read.

use std::sync::Barrier;
use std::thread;
use std::time::{Duration, Instant};

use super::http::Conn;

/// What one endpoint's run measured.
#[derive(Debug, Default)]
pub struct Stats {
    /// Responses received (any status).
    pub requests: usize,
    /// Responses that were not 2xx, and requests that got no response.
    pub errors: usize,
    /// What the first error was.
    pub first_error: Option<String>,
    pub elapsed: Duration,
    /// Latency of every response received, ascending.
    pub latencies: Vec<Duration>,
}

impl Stats {
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The latency below which a fraction `q` (0..=1) of the responses came.
    pub fn quantile(&self, q: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let rank = (q * self.latencies.len() as f64).ceil() as usize;
        self.latencies[rank.clamp(1, self.latencies.len()) - 1]
    }
}

/// What one connection saw.
#[derive(Default)]
struct Partial {
    requests: usize,
    errors: usize,
    first_error: Option<String>,
    latencies: Vec<Duration>,
}

/// Sends `request` (complete bytes, see [`super::http::request`]) to `addr` over
/// `connections` connections for `duration`. Each connection first sends one request
/// that is not counted (connecting, warming caches); all then start together.
pub fn run(addr: &str, request: &[u8], connections: usize, duration: Duration) -> Stats {
    let start_line = Barrier::new(connections + 1);
    let mut stats = Stats::default();
    thread::scope(|s| {
        let workers: Vec<_> = (0..connections)
            .map(|_| {
                let start_line = &start_line;
                s.spawn(move || {
                    let mut conn = Conn::new(addr, Duration::from_secs(30));
                    let _ = conn.send(request);
                    start_line.wait();
                    hammer(&mut conn, request, Instant::now() + duration)
                })
            })
            .collect();
        start_line.wait();
        let started = Instant::now();
        for w in workers {
            let p = w.join().unwrap_or_default();
            stats.requests += p.requests;
            stats.errors += p.errors;
            if stats.first_error.is_none() {
                stats.first_error = p.first_error;
            }
            stats.latencies.extend(p.latencies);
        }
        // Requests in flight at the deadline finish after it: their time counts too.
        stats.elapsed = started.elapsed();
    });
    stats.latencies.sort_unstable();
    stats
}

fn hammer(conn: &mut Conn, request: &[u8], deadline: Instant) -> Partial {
    let mut p = Partial {
        latencies: Vec::with_capacity(1 << 16),
        ..Partial::default()
    };
    while Instant::now() < deadline {
        let t = Instant::now();
        match conn.send(request) {
            Ok(r) => {
                p.latencies.push(t.elapsed());
                p.requests += 1;
                if !r.ok() {
                    p.errors += 1;
                    p.first_error.get_or_insert_with(|| r.summary());
                }
            }
            Err(e) => {
                p.errors += 1;
                p.first_error
                    .get_or_insert_with(|| format!("no response: {e}"));
                // Not a busy loop against a server that is gone.
                thread::sleep(Duration::from_millis(10));
            }
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;

    /// A server that answers every request on a connection with a small body, the
    /// odd one chunked, and every fifth with 500.
    fn serve() -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                thread::spawn(move || {
                    let mut r = BufReader::new(stream.try_clone().unwrap());
                    let mut w = stream;
                    let mut n = 0u32;
                    loop {
                        let mut line = String::new();
                        loop {
                            line.clear();
                            if r.read_line(&mut line).unwrap_or(0) == 0 {
                                return;
                            }
                            if line == "\r\n" {
                                break;
                            }
                        }
                        n += 1;
                        let reply = if n.is_multiple_of(5) {
                            "HTTP/1.1 500 Oops\r\ncontent-length: 4\r\n\r\noops".to_string()
                        } else if n.is_multiple_of(2) {
                            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"
                                .to_string()
                        } else {
                            "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok".to_string()
                        };
                        if w.write_all(reply.as_bytes()).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        addr
    }

    #[test]
    fn counts_requests_errors_and_latencies_over_keep_alive() {
        let addr = serve();
        let req = super::super::http::request("GET", "/", &addr, &[], b"");
        let stats = run(&addr, &req, 3, Duration::from_millis(300));
        assert!(stats.requests > 30, "{stats:?}");
        assert_eq!(stats.latencies.len(), stats.requests);
        // Every fifth response on each connection (the uncounted first included).
        let expected = stats.requests as f64 / 5.0;
        assert!(
            (stats.errors as f64 - expected).abs() <= 3.0,
            "{} errors of {}",
            stats.errors,
            stats.requests
        );
        assert!(stats.first_error.as_deref().unwrap().contains("HTTP 500"));
        assert!(stats.quantile(0.5) <= stats.quantile(0.99));
        assert!(stats.elapsed >= Duration::from_millis(290));
        assert!(stats.per_second() > 0.0);
    }

    #[test]
    fn quantiles_are_ranks() {
        let stats = Stats {
            latencies: (1..=100).map(Duration::from_millis).collect(),
            ..Stats::default()
        };
        assert_eq!(stats.quantile(0.5), Duration::from_millis(50));
        assert_eq!(stats.quantile(0.99), Duration::from_millis(99));
        assert_eq!(stats.quantile(1.0), Duration::from_millis(100));
        assert_eq!(Stats::default().quantile(0.99), Duration::ZERO);
    }
}
