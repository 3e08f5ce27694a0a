//! The 0.1 host imports, each forwarding to the one 0.2 implementation
//! ([`crate::host_impl`]) with its records converted. 0.1 has no `sign-jwt` or
//! `signing-identity`, so a 0.1 plugin can never reach a signing key.

use crate::bindings::v0_1::imports::tenure::plugin::{host, http, types};
use crate::bindings::v0_2::imports::tenure::plugin::{host as host2, http as http2};
use crate::state::CallState;

impl types::Host for CallState {}

impl host::Host for CallState {
    async fn log(&mut self, level: host::Level, message: String) {
        host2::Host::log(self, level.into(), message).await
    }

    async fn config(&mut self, key: String) -> Option<String> {
        host2::Host::config(self, key).await
    }

    async fn secret(&mut self, key: String) -> Option<String> {
        host2::Host::secret(self, key).await
    }

    async fn kv_get(&mut self, key: String) -> Option<Vec<u8>> {
        host2::Host::kv_get(self, key).await
    }

    async fn kv_set(&mut self, key: String, value: Vec<u8>, ttl_seconds: Option<u32>) {
        host2::Host::kv_set(self, key, value, ttl_seconds).await
    }

    async fn kv_delete(&mut self, key: String) {
        host2::Host::kv_delete(self, key).await
    }

    async fn now(&mut self) -> String {
        host2::Host::now(self).await
    }
}

impl http::Host for CallState {
    async fn send(&mut self, req: http::Request) -> Result<http::Response, http::HttpError> {
        http2::Host::send(self, req.into())
            .await
            .map(Into::into)
            .map_err(Into::into)
    }
}

impl From<host::Level> for host2::Level {
    fn from(l: host::Level) -> Self {
        match l {
            host::Level::Debug => host2::Level::Debug,
            host::Level::Info => host2::Level::Info,
            host::Level::Warn => host2::Level::Warn,
            host::Level::Error => host2::Level::Error,
        }
    }
}

impl From<http::Method> for http2::Method {
    fn from(m: http::Method) -> Self {
        match m {
            http::Method::Get => http2::Method::Get,
            http::Method::Head => http2::Method::Head,
            http::Method::Post => http2::Method::Post,
            http::Method::Put => http2::Method::Put,
            http::Method::Patch => http2::Method::Patch,
            http::Method::Delete => http2::Method::Delete,
        }
    }
}

impl From<http::Request> for http2::Request {
    fn from(r: http::Request) -> Self {
        http2::Request {
            method: r.method.into(),
            url: r.url,
            headers: r.headers,
            body: r.body,
        }
    }
}

impl From<http2::Response> for http::Response {
    fn from(r: http2::Response) -> Self {
        http::Response {
            status: r.status,
            headers: r.headers,
            body: r.body,
        }
    }
}

impl From<http2::HttpError> for http::HttpError {
    fn from(e: http2::HttpError) -> Self {
        match e {
            http2::HttpError::Denied(m) => http::HttpError::Denied(m),
            http2::HttpError::Timeout => http::HttpError::Timeout,
            http2::HttpError::Transport(m) => http::HttpError::Transport(m),
            http2::HttpError::Invalid(m) => http::HttpError::Invalid(m),
        }
    }
}
