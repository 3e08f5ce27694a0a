//! The one stylesheet, inlined into every page (no asset requests, works offline).

pub const CSS: &str = r#"
:root{--ink:#1f2933;--muted:#52606d;--line:#d9e2ec;--bg:#f5f7fa;--brand:#243b53;--accent:#2f6fdb;--ok:#0e7c3a;--err:#b42318;--warn:#8d5b00}
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:var(--ink);background:var(--bg)}
a{color:var(--accent)}
header.top{background:var(--brand);color:#fff;display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.25rem;padding:.6rem 1rem}
header.top a{color:#fff;text-decoration:none;padding:.25rem .1rem;border-bottom:2px solid transparent}
header.top a[aria-current=page]{border-bottom-color:#f0b429}
header.top .brand{font-weight:700;font-size:1.15rem;margin-right:.5rem}
header.top .who{margin-left:auto;display:flex;gap:.75rem;align-items:center}
header.top form{margin:0}
header.top button{background:transparent;color:#fff;border:1px solid #9fb3c8;padding:.2rem .6rem}
main{max-width:68rem;margin:1.25rem auto;padding:0 1rem 3rem}
h1{font-size:1.5rem;margin:.25rem 0 1rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.card{background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:1rem 1.25rem;margin:0 0 1rem}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:.5rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:.85rem;color:var(--muted);font-weight:600}
.table-wrap{overflow-x:auto;border:1px solid var(--line);border-radius:.5rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
form.inline{display:inline-block;margin:0 .3rem 0 0}
label.inline{display:inline-flex;gap:.4rem;align-items:center;font-weight:400;margin:.2rem 1rem .2rem 0}
input[type=text],input[type=email],input[type=password],input[type=date],input[type=search],input[type=url],select,textarea{font:inherit;width:100%;max-width:32rem;padding:.45rem .6rem;border:1px solid #9fb3c8;border-radius:.35rem;background:#fff}
textarea{min-height:4.5rem}
button,.button{font:inherit;cursor:pointer;background:var(--accent);color:#fff;border:0;border-radius:.35rem;padding:.5rem 1rem;text-decoration:none;display:inline-block}
button.secondary,.button.secondary{background:#fff;color:var(--accent);border:1px solid var(--accent)}
button.danger{background:var(--err)}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:1rem;align-items:center}
.muted{color:var(--muted)}.ok{color:var(--ok)}.err{color:var(--err)}.warn{color:var(--warn)}
.flash{padding:.6rem 1rem;border-radius:.4rem;margin-bottom:1rem}
.flash.ok{background:#e3f9e5;color:#0e5a2c}.flash.err{background:#ffe3e3;color:#8a1c1c}
.badge{display:inline-block;font-size:.8rem;border-radius:.25rem;padding:.05rem .45rem;background:#e4e7eb;color:var(--ink)}
.badge.open{background:#dceefb;color:#0b4f8a}.badge.done{background:#e3f9e5;color:#0e5a2c}.badge.late,.badge.cancelled{background:#ffe3e3;color:#8a1c1c}
.badge.demo{background:#f0b429;color:var(--brand)}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:1rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
fieldset{border:1px solid var(--line);border-radius:.4rem;padding:.5rem 1rem;margin:.75rem 0}legend{font-weight:600;padding:0 .25rem}
.choice td{white-space:nowrap}
progress{width:100%;max-width:32rem;height:1.1rem}
.pager{display:flex;gap:1rem;align-items:center;margin-top:.75rem}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
@media (max-width:40rem){body{font-size:15px}th,td{padding:.4rem}header.top .who{margin-left:0}.hide-sm{display:none}}
"#;
