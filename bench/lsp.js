// lsp.js - the time from a change to its findings in `omen lsp`, as an editor sees it: a client on
// vscode-jsonrpc opens a generated 3,000-line Go file (and a 3,000-line C file), then edits it (adds
// or removes a defer resp.Body.Close(), a pthread_join) and measures from sending didChange to
// receiving publishDiagnostics for that version. Single edits come after a pause (the common case:
// an edit, an applied fix); a typing burst is measured from its last keystroke. Prints figures.
// usage: node bench/lsp.js OMEN [SAMPLES]   (NODE_PATH must hold vscode-jsonrpc and the protocol)
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const P = require('vscode-languageserver-protocol');
const { start, uriOf } = require('../tests/lsp/server.js');
const { goFile, cFile } = require('../tests/lsp/gen.js');

const [omen, samplesArg] = process.argv.slice(2);
const SAMPLES = Number(samplesArg || 30);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omen-lsp-bench-'));

function stats(ms) {
  const v = ms.slice().sort((a, b) => a - b);
  const q = (f) => v[Math.min(v.length - 1, Math.floor(f * v.length))];
  return `median ${q(0.5).toFixed(1)} ms, p90 ${q(0.9).toFixed(1)} ms, min ${v[0].toFixed(1)} ms, max ${v[v.length - 1].toFixed(1)} ms (${v.length} edits)`;
}

// the file's text with a finding toggled on odd steps
async function measure(server, label, file, lang, text, toggle) {
  const { conn } = server;
  const uri = uriOf(file);
  let version = 1;
  let pub = server.waitPublish(uri, 1, 120);
  let t0 = process.hrtime.bigint();
  await conn.sendNotification(P.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: lang, version, text } });
  await pub;
  const open = Number(process.hrtime.bigint() - t0) / 1e6;
  const single = [];
  let findings = new Set();
  for (let i = 0; i < SAMPLES; i++) {
    await sleep(250); // a pause longer than the debounce: a single edit
    version++;
    pub = server.waitPublish(uri, version, 120);
    t0 = process.hrtime.bigint();
    await conn.sendNotification(P.DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text: toggle(text, i) }] });
    const p = await pub;
    single.push(Number(process.hrtime.bigint() - t0) / 1e6);
    findings.add(p.diagnostics.length);
  }
  // typing: 10 keystrokes 30 ms apart at the end of the file; from the last one to its findings
  const burst = [];
  for (let i = 0; i < Math.max(3, SAMPLES / 6); i++) {
    await sleep(250);
    let t = toggle(text, 0);
    for (let k = 0; k < 10; k++) {
      t += '/'.repeat(k === 0 ? 2 : 0) + (k ? 'x' : '');
      version++;
      if (k === 9) {
        pub = server.waitPublish(uri, version, 120);
        t0 = process.hrtime.bigint();
      }
      await conn.sendNotification(P.DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text: t }] });
      if (k < 9) await sleep(30);
    }
    await pub;
    burst.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const lines = text.split('\n').length;
  console.log(`${label} (${lines} lines): didOpen to findings ${open.toFixed(1)} ms`);
  console.log(`  single edit after a pause, didChange to findings: ${stats(single)}`);
  console.log(`  last keystroke of a typing burst to findings (debounce 100 ms included): ${stats(burst)}`);
  if (findings.size !== 2) console.log(`  WARNING: the edits did not toggle the finding (counts seen: ${[...findings]})`);
  await conn.sendNotification(P.DidCloseTextDocumentNotification.type, { textDocument: { uri } });
}

async function main() {
  const server = start(omen, dir, 600);
  await server.conn.sendRequest(P.InitializeRequest.type, { processId: process.pid, rootUri: uriOf(dir), capabilities: {} });
  await server.conn.sendNotification(P.InitializedNotification.type, {});
  const go = goFile('bench', 88, 0);
  const close = go.lastIndexOf('\tdefer resp.Body.Close()\n');
  await measure(server, 'Go', path.join(dir, 'bench.go'), 'go', go,
    (t, i) => (i % 2 ? t : t.slice(0, close) + t.slice(close + '\tdefer resp.Body.Close()\n'.length)));
  const c = cFile(115);
  await measure(server, 'C', path.join(dir, 'bench.c'), 'c', c,
    (t, i) => (i % 2 ? t : t.replace('  pthread_join(t, NULL);\n  pthread_mutex_lock(&lock);\n  if (total < 0) {', '  pthread_mutex_lock(&lock);\n  if (total < 0) {')));
  await server.conn.sendRequest(P.ShutdownRequest.type);
  await server.conn.sendNotification(P.ExitNotification.type);
  await server.exited;
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error('bench/lsp.js: ' + (e && e.stack ? e.stack : e));
  process.exit(1);
});
