//! The web UI over HTTP for tests: an in-process Tenure, a client that does not follow
//! redirects, and helpers to sign in and to read cookies and CSRF tokens.

use super::InProcess;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};
use tenure::app::AppState;
use tenure::auth::password::hash_password;
use tenure_store::UserRecord;

pub struct Ui {
    pub base: String,
    pub http: reqwest::Client,
    pub state: AppState,
    _server: InProcess,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn location(&self) -> &str {
        self.headers
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The session cookie's value, when this reply sets one.
    pub fn session(&self) -> Option<String> {
        self.headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("tenure_session="))
            .map(|c| {
                c["tenure_session=".len()..]
                    .split(';')
                    .next()
                    .unwrap()
                    .to_string()
            })
    }

    /// The CSRF token of the page's forms.
    pub fn csrf(&self) -> String {
        let at = self
            .body
            .find("name=\"csrf\" value=\"")
            .expect("a form with a CSRF token");
        let rest = &self.body[at + "name=\"csrf\" value=\"".len()..];
        rest[..rest.find('"').unwrap()].to_string()
    }
}

impl Ui {
    pub async fn start() -> Ui {
        Ui::on(InProcess::start().await)
    }

    /// The UI of a server started with its own configuration.
    pub fn on(server: InProcess) -> Ui {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Ui {
            base: server.base.clone(),
            http,
            state: server.state.clone(),
            _server: server,
        }
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> Reply {
        let r = req.send().await.unwrap();
        Reply {
            status: r.status(),
            headers: r.headers().clone(),
            body: String::from_utf8_lossy(&r.bytes().await.unwrap()).into_owned(),
        }
    }

    pub async fn get(&self, path: &str, session: Option<&str>) -> Reply {
        let mut req = self.http.get(format!("{}{path}", self.base));
        if let Some(s) = session {
            req = req.header("cookie", format!("tenure_session={s}"));
        }
        self.send(req).await
    }

    pub async fn post(&self, path: &str, session: Option<&str>, form: &[(&str, &str)]) -> Reply {
        match session {
            Some(s) => {
                let cookie = format!("tenure_session={s}");
                self.post_with(path, &[("cookie", &cookie)], form).await
            }
            None => self.post_with(path, &[], form).await,
        }
    }

    /// Posts a form with extra headers (a session cookie, a forged `Host` or `Origin`).
    pub async fn post_with(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        form: &[(&str, &str)],
    ) -> Reply {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let mut req = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        self.send(req).await
    }

    pub fn add_user(&self, id: &str, admin: bool) {
        self.state
            .store
            .create_user(&UserRecord {
                id: id.into(),
                name: id.to_uppercase(),
                email: format!("{id}@acme.test"),
                admin,
                password_hash: hash_password("a long enough password").unwrap(),
                created_at: 0,
                disabled: false,
                oidc_subject: None,
            })
            .unwrap();
    }

    pub async fn sign_in(&self, id: &str) -> String {
        let r = self
            .post(
                "/login",
                None,
                &[
                    ("user", id),
                    ("password", "a long enough password"),
                    ("next", "/tasks"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        r.session().expect("a session cookie")
    }
}

/// A champion entry for a test user added with [`Ui::add_user`].
pub fn champion(id: &str) -> tenure_domain::Champion {
    tenure_domain::Champion {
        user: tenure_domain::UserId(id.into()),
        name: id.into(),
        email: format!("{id}@acme.test"),
    }
}

impl Ui {
    /// Replaces the catalog, as `by` (an admin's id).
    pub async fn set_catalog(&self, catalog: tenure_domain::Catalog, by: &str) {
        self.state
            .engine
            .set_catalog(catalog, tenure_domain::UserId(by.into()))
            .await
            .unwrap();
    }

    /// Adds a pre-hire through the "Add employee" form as `session`; the reply
    /// redirects to its Complete IT Setup task.
    pub async fn add_pre_hire(&self, session: &str, given: &str, email: &str) -> Reply {
        let csrf = self.get("/employees/new", Some(session)).await.csrf();
        self.post(
            "/employees",
            Some(session),
            &[
                ("csrf", &csrf),
                ("given_name", given),
                ("family_name", "New"),
                ("work_email", email),
            ],
        )
        .await
    }
}

/// The flash of a redirect travels in a cookie; send it back with the session.
pub fn with_flash(reply: &Reply, session: &str) -> String {
    let flash = reply
        .headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("tenure_flash="))
        .map(|c| c.split(';').next().unwrap().to_string())
        .unwrap();
    format!("{session}; {flash}")
}
