// stress.js - a long, seeded, fast sequence of opens, edits, pulls, code actions, settings changes and
// closes over a few Go files (one never saved) and a C file, with a 0-19 ms debounce, so analyses are
// started, canceled and finished while the main thread keeps taking messages: every pull must be
// answered (a lost waiting request would hang this script until its time limit), no publish may go
// back to a version older than one already published for that file, and the server must exit with
// status 0 and no sanitizer report. (Also run by hand under ThreadSanitizer: clean.)
// usage: node stress.js OMEN WORKDIR   (creates WORKDIR/stress)
'use strict';
const fs = require('fs');
const path = require('path');
const P = require('vscode-languageserver-protocol');
const { start, uriOf, run } = require('./server.js');
const { check, failures } = require('./check.js');

const [omen, work] = process.argv.slice(2);
const dir = path.join(work, 'stress');
fs.mkdirSync(dir, { recursive: true });
for (let i = 0; i < 3; i++) fs.writeFileSync(path.join(dir, `f${i}.go`), `package main\n\nimport "net/http"\n\nvar c${i} = &http.Client{}\n`);
fs.writeFileSync(path.join(dir, 'm.c'), 'int main(void) { return 0; }\n');

const server = start(omen, dir, 120);
const { conn } = server;
let seed = 42;
const rnd = (n) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};

async function main() {
  await conn.sendRequest(P.InitializeRequest.type, {
    processId: null, rootUri: uriOf(dir), capabilities: {}, initializationOptions: { omen: { debounceMs: 5 } },
  });
  await conn.sendNotification(P.InitializedNotification.type, {});
  const files = ['f0.go', 'f1.go', 'f2.go', 'new.go', 'm.c'];
  const open = new Map();
  const pulls = [];
  let actions = 0;
  for (let step = 0; step < 3000; step++) {
    const f = files[rnd(files.length)];
    const u = uriOf(path.join(dir, f));
    const op = rnd(10);
    if (!open.has(u)) {
      open.set(u, 1);
      const text = f.endsWith('.c') ? 'int main(void) { return 0; }\n' : `package main\n\nimport "net/http"\n\nvar x${step} = &http.Client{}\n`;
      await conn.sendNotification(P.DidOpenTextDocumentNotification.type, { textDocument: { uri: u, languageId: f.endsWith('.c') ? 'c' : 'go', version: 1, text } });
    } else if (op < 5) {
      const v = open.get(u) + 1;
      open.set(u, v);
      await conn.sendNotification(P.DidChangeTextDocumentNotification.type, {
        textDocument: { uri: u, version: v }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '//x\n' }],
      });
    } else if (op < 7) {
      pulls.push(conn.sendRequest(P.DocumentDiagnosticRequest.type, { textDocument: { uri: u } }).then((r) => r, (e) => e));
    } else if (op < 8) {
      open.delete(u);
      await conn.sendNotification(P.DidCloseTextDocumentNotification.type, { textDocument: { uri: u } });
    } else if (op < 9) {
      const a = await conn.sendRequest(P.CodeActionRequest.type, {
        textDocument: { uri: u }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] },
      });
      if (Array.isArray(a)) actions++;
    } else {
      await conn.sendNotification(P.DidChangeConfigurationNotification.type, { settings: { omen: { debounceMs: rnd(20) } } });
    }
    if (step % 100 === 0) await new Promise((r) => setTimeout(r, rnd(50)));
  }
  const res = await Promise.all(pulls);
  check(res.length > 100 && res.every((r) => r && (r.kind === 'full' || r.kind === 'unchanged')),
    `every one of ${res.length} pull requests is answered with a report`, res.filter((r) => !r || !r.kind).slice(0, 3));
  check(actions > 100, `every code action request is answered (${actions})`, actions);
  const last = new Map();
  let backwards = 0;
  for (const p of server.published) {
    if (p.version === undefined) { last.delete(p.uri); continue; } // a close: the next open starts again
    if (last.has(p.uri) && p.version < last.get(p.uri)) backwards++;
    last.set(p.uri, p.version);
  }
  check(server.published.length > 20 && backwards === 0, `no publish goes back to an older version (${server.published.length} publishes)`, backwards);
  await conn.sendRequest(P.ShutdownRequest.type);
  await conn.sendNotification(P.ExitNotification.type);
  const ex = await server.exited;
  check(ex.code === 0, 'the server exits with status 0 after all that', ex);
  check(!/Sanitizer|runtime error/.test(server.stderr), 'no sanitizer report', server.stderr.slice(0, 2000));
}

run(main, server, failures);
