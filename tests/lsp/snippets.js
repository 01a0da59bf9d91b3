// snippets.js - the editor set-ups of docs/editors.md that cannot be run here (VS Code, Helix): the
// VS Code settings block parses as JSON and starts `omen lsp` for Go, C and C++; the Helix block
// parses as TOML (smol-toml) and declares the server and adds it to those languages.
// usage: node snippets.js DOCS/editors.md
'use strict';
const fs = require('fs');
const toml = require('smol-toml');
const { check, failures } = require('./check.js');

const md = fs.readFileSync(process.argv[2], 'utf8');
// the first ```LANG block after the heading that starts with title
function block(title, lang) {
  const at = md.indexOf('\n## ' + title);
  if (at < 0) return null;
  const m = new RegExp('\\n```' + lang + '\\n([\\s\\S]*?)\\n```\\n').exec(md.slice(at));
  return m ? m[1] : null;
}

let vs = null;
try { vs = JSON.parse(block('VS Code', 'json')); } catch (e) { vs = null; }
check(vs && vs['glspc.server.command'] === 'omen' && JSON.stringify(vs['glspc.server.commandArguments']) === '["lsp"]' &&
  JSON.stringify(vs['glspc.server.languageId']) === '["go","c","cpp"]' &&
  typeof vs['glspc.server.initializationOptions'].omen.debounceMs === 'number',
'the VS Code settings of docs/editors.md are JSON that start omen lsp for go, c and cpp', vs);

let hx = null;
try { hx = toml.parse(block('Helix', 'toml')); } catch (e) { hx = String(e); }
const srv = hx && hx['language-server'] && hx['language-server'].omen;
const langs = (hx && hx.language) || [];
const uses = ['go', 'c', 'cpp'].map((n) => langs.find((l) => l.name === n)).filter((l) => l && l['language-servers'].includes('omen'));
check(srv && srv.command === 'omen' && JSON.stringify(srv.args) === '["lsp"]' && typeof srv.config.omen.debounceMs === 'number' &&
  uses.length === 3, 'the Helix languages.toml of docs/editors.md parses and adds omen to go, c and cpp', hx);

process.exit(failures() ? 1 : 0);
