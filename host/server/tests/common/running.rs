//! The real `tenure` binary with an admin API token, as the end-to-end tests drive it.

use super::{BIN, Server, Smtp};
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;

/// The running binary and an API client with an admin token.
pub struct Tenure {
    pub server: Server,
    pub base: String,
    pub token: String,
    pub data: std::path::PathBuf,
    pub config: std::path::PathBuf,
    pub http: reqwest::Client,
}

impl Tenure {
    /// `extra` is appended to the configuration file (integrations, `[jobs]`...).
    pub fn start(dir: &Path, extra: &str, smtp: &Smtp) -> Tenure {
        let data = dir.join("data");
        let config = dir.join("tenure.toml");
        std::fs::write(
            &config,
            format!(
                "[runtime]\nallow_local_http = true\n\n{extra}\n[email]\nsmtp_host = \"127.0.0.1\"\nsmtp_port = {}\n\
                 security = \"none\"\nfrom = \"Tenure <tenure@acme.test>\"\n\
                 public_url = \"https://tenure.acme.test\"\n\n\
                 [lifecycle]\ncompany_time_zone = \"UTC\"\nsync_interval_minutes = 0\n",
                smtp.port
            ),
        )
        .unwrap();
        let out = Command::new(BIN)
            .args(["token", "create", "--name", "journeys", "--data-dir"])
            .arg(&data)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let token = String::from_utf8(out.stdout)
            .unwrap()
            .split_whitespace()
            .last()
            .unwrap()
            .to_string();
        let server = Server::start(&data, &config);
        Tenure {
            base: format!("{}/api/v1", server.base),
            server,
            token,
            data,
            config,
            http: reqwest::Client::new(),
        }
    }

    /// `kill -9` of the server process.
    pub fn kill_hard(&mut self) {
        self.server.kill_hard();
    }

    /// Starts the server again on the same data and configuration.
    pub fn restart(&mut self) {
        self.server = Server::start(&self.data, &self.config);
        self.base = format!("{}/api/v1", self.server.base);
    }

    pub async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let req = self
            .http
            .request(method.parse().unwrap(), format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        let req = match body {
            Some(b) => req
                .header("content-type", "application/json")
                .body(b.to_string()),
            None => req,
        };
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let value: Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
        assert!(status.is_success(), "{method} {path}: {status} {value}");
        value
    }

    pub async fn get(&self, path: &str) -> Value {
        self.call("GET", path, None).await
    }

    /// Syncs now; returns the one source's report.
    pub async fn sync(&self) -> Value {
        let answer = self.call("POST", "/sync", None).await;
        assert_eq!(answer["errors"], json!([]), "{answer}");
        answer["reports"][0].clone()
    }

    pub async fn find(&self, q: &str) -> Value {
        let found = self.get(&format!("/employees?q={q}")).await;
        assert_eq!(found["total"], 1, "one match for {q}: {found}");
        found["items"][0].clone()
    }

    pub async fn tasks(&self, query: &str) -> Vec<Value> {
        let page = self.get(&format!("/tasks?{query}")).await;
        page["items"].as_array().unwrap().clone()
    }

    /// Like [`Tenure::call`] without judging the answer, and with any content type
    /// (`body` is the content type and the text): the status and the JSON body (`null`
    /// when it is not JSON).
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<(&str, String)>,
    ) -> (reqwest::StatusCode, Value) {
        let req = self
            .http
            .request(method.parse().unwrap(), format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        let req = match body {
            Some((content_type, text)) => req.header("content-type", content_type).body(text),
            None => req,
        };
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let bytes = resp.bytes().await.unwrap();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }
}
