use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Limits and knobs of the plugin sandbox. Every field has a production default.
#[derive(Debug, Clone)]
pub struct RuntimeConfig {
    /// How long one plugin call may take, wall clock (guest code and the host calls it
    /// makes).
    pub call_deadline: Duration,
    /// How much CPU one call's guest code may use (counted in epoch ticks of 10 ms while
    /// it runs; time waiting on HTTP does not count).
    pub cpu_budget: Duration,
    /// The most linear memory one call's instance may grow to.
    pub memory_limit_bytes: usize,
    /// Timeout of one outbound HTTP request.
    pub http_timeout: Duration,
    /// The largest HTTP answer body handed to a plugin.
    pub http_max_body_bytes: usize,
    /// Where compiled components are cached (`None`: compile at every start).
    pub cache_dir: Option<PathBuf>,
    /// How many plugin calls may be in flight at once (sizes the instance pool).
    pub max_concurrent_calls: u32,
    /// Extra CA certificates (PEM) trusted for outbound HTTPS, beside the system's.
    pub extra_root_certs_pem: Vec<Vec<u8>>,
    /// Lets plugins reach plain `http://` URLs, loopback (127.0.0.0/8, ::1), the
    /// unspecified address and the appliance's own listen addresses. Off in production;
    /// on for the demo and for tests against local fakes. Link-local addresses
    /// (169.254.0.0/16, fe80::/10: cloud metadata) stay refused even when on.
    pub allow_local_http: bool,
    /// The addresses the appliance itself listens on; plugins may not call them, on any
    /// port, unless `allow_local_http` is on. An unspecified address (0.0.0.0, ::) stands
    /// for every address of this machine.
    pub own_addresses: Vec<IpAddr>,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        Self {
            call_deadline: Duration::from_secs(60),
            cpu_budget: Duration::from_secs(10),
            memory_limit_bytes: 64 << 20,
            http_timeout: Duration::from_secs(30),
            http_max_body_bytes: 32 << 20,
            cache_dir: None,
            max_concurrent_calls: 64,
            extra_root_certs_pem: Vec::new(),
            allow_local_http: false,
            own_addresses: Vec::new(),
        }
    }
}

/// How often the epoch ticks; CPU budgets are counted in these, and guest code yields
/// to the async runtime at every one.
pub(crate) const EPOCH_TICK: Duration = Duration::from_millis(10);
