//! A small HTTP/1.1 client over `std::net::TcpStream`: keep-alive, requests built once
//! and sent as bytes, responses read whole (`Content-Length`, chunked, or to the end
//! of the connection) before the next request.

use std::io::{self, BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::Duration;

use super::json::Json;

/// One response, body read in full.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    /// Header names lower-cased, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Result<Json, String> {
        Json::parse(&self.text())
    }

    /// `NAME=value` of a `Set-Cookie` header setting cookie `name`.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .filter(|(k, _)| k == "set-cookie")
            .filter_map(|(_, v)| v.split(';').next())
            .find(|kv| kv.split_once('=').is_some_and(|(k, _)| k.trim() == name))
            .map(|kv| kv.trim().to_string())
    }

    /// Status and the start of the body, for error messages.
    pub fn summary(&self) -> String {
        let text = self.text();
        let short: String = text.chars().take(300).collect();
        format!("HTTP {}: {}", self.status, short.trim())
    }
}

/// The bytes of one request. `Host` names `host` (the server refuses names that are
/// not its own); a body, or a POST, gets `Content-Length`.
pub fn request(
    method: &str,
    path: &str,
    host: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Vec<u8> {
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || method != "GET" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// A keep-alive connection to one server, opened on first use and again after the
/// server closed it.
pub struct Conn {
    addr: String,
    timeout: Duration,
    stream: Option<BufReader<TcpStream>>,
}

impl Conn {
    /// `addr` is `127.0.0.1:PORT`; `timeout` bounds each read and write.
    pub fn new(addr: &str, timeout: Duration) -> Conn {
        Conn {
            addr: addr.to_string(),
            timeout,
            stream: None,
        }
    }

    fn connect(&mut self) -> io::Result<&mut BufReader<TcpStream>> {
        if self.stream.is_none() {
            let s = TcpStream::connect(&self.addr)?;
            s.set_nodelay(true)?;
            s.set_read_timeout(Some(self.timeout))?;
            s.set_write_timeout(Some(self.timeout))?;
            self.stream = Some(BufReader::with_capacity(64 * 1024, s));
        }
        Ok(self.stream.as_mut().expect("just connected"))
    }

    /// Sends `req` (from [`request`]) and reads the whole response. Any error closes
    /// the connection; the next call opens a new one.
    pub fn send(&mut self, req: &[u8]) -> io::Result<Response> {
        let head_only = req.starts_with(b"HEAD ");
        let result = self.connect().and_then(|s| {
            s.get_mut().write_all(req)?;
            read_response(s, head_only)
        });
        match result {
            Ok((response, keep_alive)) => {
                if !keep_alive {
                    self.stream = None;
                }
                Ok(response)
            }
            Err(e) => {
                self.stream = None;
                Err(e)
            }
        }
    }

    /// [`Self::send`], once more on a new connection if a reused one was found closed
    /// before any answer (the server drops idle keep-alive connections).
    pub fn send_retrying(&mut self, req: &[u8]) -> io::Result<Response> {
        let reused = self.stream.is_some();
        match self.send(req) {
            Err(e)
                if reused
                    && matches!(
                        e.kind(),
                        io::ErrorKind::UnexpectedEof
                            | io::ErrorKind::ConnectionReset
                            | io::ErrorKind::BrokenPipe
                    ) =>
            {
                self.send(req)
            }
            other => other,
        }
    }

    pub fn get(&mut self, path: &str, headers: &[(&str, &str)]) -> io::Result<Response> {
        let req = request("GET", path, &self.addr, headers, b"");
        self.send_retrying(&req)
    }

    pub fn post(
        &mut self,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> io::Result<Response> {
        let req = request("POST", path, &self.addr, headers, body);
        self.send_retrying(&req)
    }
}

fn invalid(what: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what)
}

/// One line without its CRLF; EOF before any byte is `UnexpectedEof`.
fn line(r: &mut impl BufRead) -> io::Result<String> {
    let mut buf = Vec::new();
    if r.read_until(b'\n', &mut buf)? == 0 {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "connection closed",
        ));
    }
    while buf.last().is_some_and(|c| *c == b'\n' || *c == b'\r') {
        buf.pop();
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// Reads one response (skipping interim 1xx ones). Returns it and whether the
/// connection may carry another request.
pub fn read_response(r: &mut impl BufRead, head_only: bool) -> io::Result<(Response, bool)> {
    loop {
        let status_line = line(r)?;
        let mut parts = status_line.splitn(3, ' ');
        let version = parts.next().unwrap_or("");
        let status: u16 = parts
            .next()
            .and_then(|s| s.parse().ok())
            .filter(|_| version.starts_with("HTTP/1."))
            .ok_or_else(|| invalid(format!("not an HTTP status line: {status_line:?}")))?;
        let mut headers = Vec::new();
        loop {
            let l = line(r)?;
            if l.is_empty() {
                break;
            }
            let (k, v) = l
                .split_once(':')
                .ok_or_else(|| invalid(format!("bad header line: {l:?}")))?;
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
        if (100..200).contains(&status) && status != 101 {
            continue;
        }
        let has = |name: &str, token: &str| {
            headers
                .iter()
                .filter(|(k, _)| k == name)
                .any(|(_, v)| v.to_ascii_lowercase().contains(token))
        };
        let mut keep_alive = version == "HTTP/1.1" && !has("connection", "close");
        let body = if head_only || status == 204 || status == 304 {
            Vec::new()
        } else if has("transfer-encoding", "chunked") {
            read_chunked(r)?
        } else if let Some((_, len)) = headers.iter().find(|(k, _)| k == "content-length") {
            let len: usize = len
                .parse()
                .map_err(|_| invalid(format!("bad Content-Length: {len:?}")))?;
            let mut body = vec![0; len];
            r.read_exact(&mut body)?;
            body
        } else {
            keep_alive = false;
            let mut body = Vec::new();
            r.read_to_end(&mut body)?;
            body
        };
        return Ok((
            Response {
                status,
                headers,
                body,
            },
            keep_alive,
        ));
    }
}

fn read_chunked(r: &mut impl BufRead) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let size_line = line(r)?;
        let size = size_line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size, 16)
            .map_err(|_| invalid(format!("bad chunk size: {size_line:?}")))?;
        if size == 0 {
            // Trailers, then the empty line.
            while !line(r)?.is_empty() {}
            return Ok(body);
        }
        let start = body.len();
        body.resize(start + size, 0);
        r.read_exact(&mut body[start..])?;
        if !line(r)?.is_empty() {
            return Err(invalid("chunk longer than its size".into()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(raw: &str) -> Vec<(u16, String, bool)> {
        let mut r = BufReader::new(raw.as_bytes());
        let mut out = Vec::new();
        while let Ok((resp, keep)) = read_response(&mut r, false) {
            out.push((resp.status, resp.text(), keep));
            if !keep {
                break;
            }
        }
        out
    }

    #[test]
    fn reads_length_chunked_and_close_delimited_bodies_back_to_back() {
        let raw = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello\
                   HTTP/1.1 100 Continue\r\n\r\n\
                   HTTP/1.1 201 Created\r\ntransfer-encoding: chunked\r\n\r\n\
                   3;ext=1\r\nabc\r\nA\r\n0123456789\r\n0\r\nx-trailer: y\r\n\r\n\
                   HTTP/1.1 204 No Content\r\n\r\n\
                   HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\nthe rest";
        assert_eq!(
            read(raw),
            vec![
                (200, "hello".into(), true),
                (201, "abc0123456789".into(), true),
                (204, String::new(), true),
                (404, "the rest".into(), false),
            ]
        );
    }

    #[test]
    fn refuses_what_is_not_http() {
        let mut r = BufReader::new(&b"SSH-2.0-OpenSSH\r\n\r\n"[..]);
        assert!(read_response(&mut r, false).is_err());
        let mut r =
            BufReader::new(&b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n"[..]);
        assert!(read_response(&mut r, false).is_err());
        let mut r = BufReader::new(&b""[..]);
        let e = read_response(&mut r, false).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::UnexpectedEof);
    }

    #[test]
    fn builds_requests_with_host_and_length() {
        let get = request("GET", "/x?q=1", "127.0.0.1:9", &[("Cookie", "a=b")], b"");
        assert_eq!(
            String::from_utf8(get).unwrap(),
            "GET /x?q=1 HTTP/1.1\r\nHost: 127.0.0.1:9\r\nCookie: a=b\r\n\r\n"
        );
        let post = request("POST", "/s", "h", &[], b"");
        assert!(
            String::from_utf8(post)
                .unwrap()
                .ends_with("Content-Length: 0\r\n\r\n")
        );
    }

    #[test]
    fn finds_a_cookie() {
        let r = Response {
            status: 303,
            headers: vec![
                ("set-cookie".into(), "flash=; Path=/".into()),
                (
                    "set-cookie".into(),
                    "tenure_session=abc; Path=/; HttpOnly".into(),
                ),
            ],
            body: vec![],
        };
        assert_eq!(
            r.cookie("tenure_session").as_deref(),
            Some("tenure_session=abc")
        );
        assert_eq!(r.cookie("other"), None);
    }
}
