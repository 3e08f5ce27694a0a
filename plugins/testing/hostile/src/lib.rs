//! A plugin that does what the sandbox must survive. `fetch(since = command, cursor = arg)`:
//! - `loop`: spins forever (the epoch deadline must stop it);
//! - `bomb`: allocates until the memory cap stops it;
//! - `http`: GETs `arg` (a host outside the manifest must be refused);
//! - `secret`: reads secret `arg` and reports whether it was there;
//! - `kv-write` / `kv-read`: writes `arg` under key "k" / reads key "k";
//! - `http-host`: GETs `arg` with a forged `Host` header; answers with the body it got;
//! - `socket`: opens a raw TCP connection to `arg` (`host:port`) behind the host's back;
//! - `panic`: panics;
//! - anything else: answers one employee, normally.
//!
//! `test_connection` spins forever when the setting `on_test` is `loop`.

use tenure_sdk::{EmploymentStatus, Error, HrEmployee, HrPage, HrSource, http, kv, settings};

struct Hostile;

/// Burns CPU forever: only the host's CPU budget or deadline ends it.
fn spin() -> ! {
    let mut n: u64 = 0;
    loop {
        n = std::hint::black_box(n.wrapping_add(1));
    }
}

fn page_with(name: &str) -> HrPage {
    HrPage {
        employees: vec![HrEmployee {
            source_id: "1".into(),
            work_email: Some("ok@example.com".into()),
            personal_email: None,
            given_name: name.into(),
            family_name: "Test".into(),
            preferred_name: None,
            department: None,
            groups: vec![],
            title: None,
            manager_source_id: None,
            work_location: None,
            work_time_zone: None,
            work_country: None,
            status: EmploymentStatus::Active,
            start_date: None,
            termination_date: None,
            deleted: false,
        }],
        next_cursor: None,
    }
}

impl HrSource for Hostile {
    fn test_connection() -> Result<(), Error> {
        if settings::config("on_test").as_deref() == Some("loop") {
            spin();
        }
        Ok(())
    }

    fn fetch(since: Option<String>, cursor: Option<String>) -> Result<HrPage, Error> {
        let arg = cursor.unwrap_or_default();
        match since.as_deref() {
            Some("loop") => spin(),
            Some("bomb") => {
                let mut hoard: Vec<Vec<u8>> = Vec::new();
                loop {
                    hoard.push(vec![1u8; 1 << 20]);
                    std::hint::black_box(&hoard);
                }
            }
            Some("http") => {
                let resp = http::get(&arg).send_raw()?;
                Ok(page_with(&format!("status {}", resp.status)))
            }
            Some("http-host") => {
                let resp = http::get(&arg).header("host", "evil.example").send_raw()?;
                Ok(page_with(&resp.text()))
            }
            Some("socket") => Ok(page_with(
                match std::net::TcpStream::connect(arg.as_str()) {
                    Ok(_) => "connected",
                    Err(_) => "refused",
                },
            )),
            Some("secret") => Ok(page_with(match settings::secret(&arg) {
                Some(_) => "present",
                None => "absent",
            })),
            Some("kv-write") => {
                kv::set("k", arg.as_bytes(), None);
                Ok(page_with("written"))
            }
            Some("kv-read") => Ok(page_with(
                &kv::get("k")
                    .map(|v| String::from_utf8_lossy(&v).into_owned())
                    .unwrap_or_else(|| "absent".into()),
            )),
            Some("panic") => panic!("the hostile plugin panics on purpose"),
            _ => Ok(page_with("ok")),
        }
    }
}

tenure_sdk::export_hr_source!(Hostile);
