/** The one stylesheet, served at /style.css (the CSP allows styles from the app only). */
export const STYLE = `
:root { --ink: #1d2733; --muted: #5b6773; --line: #dde3ea; --accent: #0b6bcb; --bad: #b42318; --bad-bg: #fef3f2; --ok-bg: #ecfdf3; --ok: #067647; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f6f8fa; }
header, main, footer { max-width: 860px; margin: 0 auto; padding: 0 20px; }
header { display: flex; align-items: center; justify-content: space-between; padding-top: 18px; padding-bottom: 10px; }
header h1 { font-size: 20px; margin: 0; }
header h1 a { color: inherit; text-decoration: none; }
a { color: var(--accent); }
.button, button { display: inline-block; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 6px; padding: 6px 14px; font: inherit; text-decoration: none; cursor: pointer; }
.button.secondary, button.secondary { background: #fff; color: var(--accent); }
button.danger { background: var(--bad); border-color: var(--bad); }
.notice, .problem { border-radius: 6px; padding: 10px 14px; margin: 12px 0; }
.notice { background: var(--ok-bg); color: var(--ok); border: 1px solid #abefc6; }
.problem { background: var(--bad-bg); color: var(--bad); border: 1px solid #fecdca; overflow-wrap: anywhere; }
.problem strong { display: block; }
table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
td { padding: 10px 12px; border-top: 1px solid var(--line); vertical-align: top; }
tr:first-child td { border-top: 0; }
td.photo { width: 84px; }
img.photo, .no-photo { width: 64px; height: 80px; object-fit: cover; border-radius: 4px; background: var(--line); display: block; }
img.portrait { width: 120px; height: 160px; object-fit: cover; border-radius: 6px; display: block; margin-bottom: 8px; }
.name { font-weight: 600; }
.meta { color: var(--muted); font-size: 14px; }
.badge { display: inline-block; font-size: 12px; background: #eef4fb; color: var(--accent); border-radius: 10px; padding: 1px 8px; margin: 2px 4px 0 0; }
td.actions { text-align: right; white-space: nowrap; }
form.employee { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 18px; display: grid; gap: 14px; }
label { display: grid; gap: 4px; font-weight: 600; font-size: 14px; }
input[type=text] { font: inherit; font-weight: 400; padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px; }
fieldset { border: 1px solid var(--line); border-radius: 6px; display: flex; flex-wrap: wrap; gap: 6px 16px; }
fieldset label { display: inline-flex; gap: 6px; font-weight: 400; }
.empty { color: var(--muted); background: #fff; border: 1px dashed var(--line); border-radius: 8px; padding: 24px; text-align: center; }
footer { color: var(--muted); font-size: 13px; padding-top: 18px; padding-bottom: 24px; }
`;
