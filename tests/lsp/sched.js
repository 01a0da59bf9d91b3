// sched.js - when `omen lsp` analyzes: the debounce (a burst of changes is analyzed once, for its
// last version), pull requests that wait for the current version instead of answering stale
// findings, $/cancelRequest, a newer change canceling a running analysis, settings (from
// initializationOptions, workspace/didChangeConfiguration and the workspace/configuration pull),
// .omen.yml (found, changed, broken), watched-file registration, a Go buffer never saved, and a C
// file whose compile_commands.json is outside the workspace folder.
// usage: node sched.js OMEN WORKDIR   (creates WORKDIR/sched, WORKDIR/big, WORKDIR/cproj)
'use strict';
const fs = require('fs');
const path = require('path');
const P = require('vscode-languageserver-protocol');
const rpc = require('vscode-jsonrpc/node');
const { start, uriOf, errorOf, run } = require('./server.js');
const { check, failures } = require('./check.js');
const { goFile } = require('./gen.js');

const [omen, dir] = process.argv.slice(2);
const RULE = 'missing-timeout/http-no-timeout';
const TNJ = 'thread-leak/thread-not-joined';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// fixtures
const sd = path.join(dir, 'sched');
fs.mkdirSync(sd, { recursive: true });
const CFG = 'version: 1\nrules:\n  missing-timeout/http-no-timeout: error\n';
fs.writeFileSync(path.join(sd, '.omen.yml'), CFG);
fs.writeFileSync(path.join(sd, 'alt.yml'), 'version: 1\nrules:\n  missing-timeout/http-no-timeout: off\n');
const BAD = 'package main\n\nimport "net/http"\n\nfunc main() {\n\tc := &http.Client{}\n\t_ = c\n}\n';
const GOOD = BAD.replace('&http.Client{}', '&http.Client{Timeout: 5e9}');
fs.writeFileSync(path.join(sd, 'app.go'), BAD);
const big = path.join(dir, 'big');
fs.mkdirSync(big, { recursive: true });
for (let f = 0; f < 20; f++) fs.writeFileSync(path.join(big, `f${f}.go`), goFile('big', 100, f));
// C: the finding exists only with the flag from a compile database in ../build, outside the
// workspace folder (src); the same file elsewhere, without a database, has none
const C = '#include <pthread.h>\n\nstatic void *work(void *arg) { return arg; }\n\nint main(void) {\n#ifdef OMEN_LSP_THREADS\n  pthread_t t;\n  pthread_create(&t, NULL, work, NULL);\n#endif\n  return 0;\n}\n';
for (const p of ['cproj/src', 'cproj/build', 'cbare/src']) fs.mkdirSync(path.join(dir, p), { recursive: true });
fs.writeFileSync(path.join(dir, 'cproj/src/t.c'), C);
fs.writeFileSync(path.join(dir, 'cbare/src/t.c'), C);
fs.mkdirSync(path.join(dir, 'cdb2'), { recursive: true });
fs.writeFileSync(path.join(dir, 'cdb2/compile_commands.json'), JSON.stringify([{
  directory: path.join(dir, 'cbare/src'), file: 't.c', arguments: ['cc', '-DOMEN_LSP_THREADS', '-c', 't.c'],
}]));
fs.writeFileSync(path.join(dir, 'cproj/build/compile_commands.json'), JSON.stringify([{
  directory: path.join(dir, 'cproj/build'), file: '../src/t.c', arguments: ['cc', '-DOMEN_LSP_THREADS', '-c', '../src/t.c'],
}]));

const server = start(omen, dir, 150);
const { conn, published } = server;
const shown = [];
conn.onNotification('window/showMessage', (p) => shown.push(p));
const registrations = [];
conn.onRequest('client/registerCapability', (p) => { registrations.push(p); return null; });
let settings = { debounceMs: 3000, configFile: null };
const pulls = [];
conn.onRequest('workspace/configuration', (p) => { pulls.push(p); return p.items.map(() => settings); });

const appUri = uriOf(path.join(sd, 'app.go'));
let version = 1;
const change = (uri, v, text) => conn.sendNotification(P.DidChangeTextDocumentNotification.type, {
  textDocument: { uri, version: v }, contentChanges: [{ text }],
});
const finding = (p) => p.diagnostics.find((d) => d.code === RULE);

async function settingsAndConfig() {
  const init = await conn.sendRequest(P.InitializeRequest.type, {
    processId: process.pid, rootUri: uriOf(sd), workspaceFolders: null,
    capabilities: { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } } },
    initializationOptions: { omen: { debounceMs: 5000, configFile: 'alt.yml' } },
  });
  check(init.capabilities.textDocumentSync.change === 2, 'initialize answers', init.capabilities.textDocumentSync);
  await conn.sendNotification(P.InitializedNotification.type, {});
  for (let i = 0; i < 100 && pulls.length === 0; i++) await sleep(50);
  await sleep(200); // the answer to the pull is applied
  let pub = server.waitPublish(appUri, 1);
  await conn.sendNotification(P.DidOpenTextDocumentNotification.type, { textDocument: { uri: appUri, languageId: 'go', version: 1, text: BAD } });
  let p = await pub;
  check(finding(p) && finding(p).severity === 1,
    'the settings pulled after initialized replace initializationOptions, and the .omen.yml of the folder applies (the rule raised to error)',
    p.diagnostics);
  await sleep(200);
  check(registrations.length === 1 && JSON.stringify(registrations[0].registrations[0].registerOptions.watchers.map((w) => w.globPattern)) ===
    '["**/.omen.yml","**/.omen.yaml","**/compile_commands.json"]' && registrations[0].registrations[0].method === 'workspace/didChangeWatchedFiles',
  'after initialized the server registers to watch .omen.yml and compile_commands.json', registrations);
  check(pulls.length === 1 && pulls[0].items[0].section === 'omen', 'and asks the client for its "omen" settings', pulls);

  // the debounce (3 s, from the pulled settings): a single change after a pause is analyzed at once;
  // changes that follow it within the debounce wait until they stop, and are analyzed once, for the last
  let sentAt = Date.now();
  let pub2 = server.waitPublish(appUri, 2);
  await change(appUri, 2, GOOD);
  p = await pub2;
  check(!finding(p) && Date.now() - sentAt < 2500, 'a single change after a pause is analyzed without waiting for the debounce',
    { ms: Date.now() - sentAt });
  const before = published.length;
  pub = server.waitPublish(appUri, 7);
  for (let v = 3; v <= 7; v++) await change(appUri, v, v % 2 ? BAD : GOOD);
  sentAt = Date.now();
  p = await pub;
  const waited = Date.now() - sentAt;
  const mine = published.slice(before).filter((q) => q.uri === appUri);
  check(mine.length === 1 && mine[0].version === 7 && finding(p), 'a burst of 5 changes publishes once, for the last version', mine.map((q) => q.version));
  check(waited >= 2500, 'not before the debounce has passed since the last change', { waited });
  version = 7;

  // a pull request while a change waits is answered for the new version, not with older findings
  await change(appUri, ++version, GOOD);
  const pulled = await conn.sendRequest(P.DocumentDiagnosticRequest.type, { textDocument: { uri: appUri } });
  check(pulled.kind === 'full' && pulled.items.length === 0, 'a pull during the debounce waits for the analysis of the new text', pulled);
  const again = await conn.sendRequest(P.DocumentDiagnosticRequest.type, { textDocument: { uri: appUri }, previousResultId: pulled.resultId });
  check(typeof pulled.resultId === 'string' && again.kind === 'unchanged' && again.resultId === pulled.resultId,
    'asked again with its resultId, the answer is "unchanged"', again);

  // $/cancelRequest of a waiting pull: RequestCancelled (the settings now come pushed, debounce 5 s)
  pub = server.waitPublish(appUri, version);
  await conn.sendNotification(P.DidChangeConfigurationNotification.type, { settings: { omen: { debounceMs: 5000 } } });
  await pub; // a settings change analyzes the open documents again
  await change(appUri, ++version, GOOD);
  await change(appUri, ++version, BAD); // within the debounce of the one before: waits 5 s
  const src = new rpc.CancellationTokenSource();
  const waiting = errorOf(conn.sendRequest(P.DocumentDiagnosticRequest.type, { textDocument: { uri: appUri } }, src.token));
  await sleep(100);
  src.cancel();
  const cancelled = await waiting;
  check(cancelled && cancelled.code === -32800, '$/cancelRequest answers the waiting pull with RequestCancelled (-32800)', cancelled && cancelled.code);
  pub = server.waitPublish(appUri, version);
  await conn.sendNotification(P.DidChangeConfigurationNotification.type, { settings: { omen: { debounceMs: 0 } } });
  p = await pub;
  check(finding(p), 'the analysis itself goes on and publishes', p.diagnostics);

  // settings: another configuration file, none, and back
  const republish = async (s) => {
    const w = server.waitPublish(appUri, version);
    await conn.sendNotification(P.DidChangeConfigurationNotification.type, { settings: s });
    return w;
  };
  p = await republish({ omen: { configFile: 'alt.yml' } });
  check(!finding(p), 'configFile (relative to the folder) replaces .omen.yml: the rule is off', p.diagnostics);
  p = await republish({ omen: { configFile: null, noConfig: true } });
  check(finding(p) && finding(p).severity === 2, 'noConfig: the rule has its default severity (warning)', p.diagnostics);
  p = await republish({ noConfig: false });
  check(finding(p) && finding(p).severity === 1, 'settings given without the "omen" section apply too', p.diagnostics);
  const nShown = shown.length;
  await conn.sendNotification(P.DidChangeConfigurationNotification.type, { settings: { omen: { debounceMs: 'fast' } } });
  await sleep(300);
  check(shown.length === nShown + 1 && shown[nShown].type === 2 && /debounceMs/.test(shown[nShown].message),
    'a setting of the wrong type is shown as a warning naming it', shown.slice(nShown));

  // the pull model: didChangeConfiguration without settings makes the server ask
  settings = { configFile: 'alt.yml', debounceMs: 0 };
  pub = server.waitPublish(appUri, version);
  await conn.sendNotification(P.DidChangeConfigurationNotification.type, { settings: null });
  p = await pub;
  check(pulls.length === 2 && !finding(p), 'a change notice without settings: the server pulls them and applies them', [pulls.length, p.diagnostics]);
  settings = { configFile: null, debounceMs: 0 };
  pub = server.waitPublish(appUri, version);
  await conn.sendNotification(P.DidChangeConfigurationNotification.type, { settings: null });
  await pub;

  // .omen.yml broken on disk, reported once; repaired, the findings come back
  const cfgUri = uriOf(path.join(sd, '.omen.yml'));
  fs.writeFileSync(path.join(sd, '.omen.yml'), 'version: 1\nrulez:\n  x: off\n');
  const n0 = shown.length;
  await conn.sendNotification(P.DidChangeWatchedFilesNotification.type, { changes: [{ uri: cfgUri, type: 2 }] });
  await sleep(1000);
  await change(appUri, ++version, BAD);
  await sleep(1000);
  const pulledBroken = await conn.sendRequest(P.DocumentDiagnosticRequest.type, { textDocument: { uri: appUri } });
  check(pulledBroken.kind === 'full' && pulledBroken.items.length === 0,
    'while the configuration is broken a pull is answered, with no findings (none at old places)', pulledBroken);
  const errs = shown.slice(n0).filter((m) => m.type === 1);
  check(errs.length === 1 && /\.omen\.yml:2:1: .*rulez/.test(errs[0].message),
    'a broken .omen.yml is shown once as an error with its line and column', shown.slice(n0));
  fs.writeFileSync(path.join(sd, '.omen.yml'), CFG);
  pub = server.waitPublish(appUri, version);
  await conn.sendNotification(P.DidChangeWatchedFilesNotification.type, { changes: [{ uri: cfgUri, type: 2 }] });
  p = await pub;
  check(finding(p) && finding(p).severity === 1, 'repaired (a watched-file change), the findings come back', p.diagnostics);
  // .omen.yml opened and saved from the editor: everything open is analyzed again with it
  await conn.sendNotification(P.DidOpenTextDocumentNotification.type, { textDocument: { uri: cfgUri, languageId: 'yaml', version: 1, text: CFG } });
  fs.writeFileSync(path.join(sd, '.omen.yml'), 'version: 1\nrules:\n  missing-timeout/http-no-timeout: note\n');
  pub = server.waitPublish(appUri, version);
  await conn.sendNotification(P.DidSaveTextDocumentNotification.type, { textDocument: { uri: cfgUri } });
  p = await pub;
  check(finding(p) && finding(p).severity === 3, 'a .omen.yml saved from the editor applies at once (the rule now a note)', p.diagnostics);
  fs.writeFileSync(path.join(sd, '.omen.yml'), CFG);
  pub = server.waitPublish(appUri, version);
  await conn.sendNotification(P.DidSaveTextDocumentNotification.type, { textDocument: { uri: cfgUri } });
  await pub;
  await conn.sendNotification(P.DidCloseTextDocumentNotification.type, { textDocument: { uri: cfgUri } });

  // a Go buffer that was never saved, in the package of app.go
  const freshUri = uriOf(path.join(sd, 'fresh.go'));
  pub = server.waitPublish(freshUri, 1);
  await conn.sendNotification(P.DidOpenTextDocumentNotification.type, {
    textDocument: { uri: freshUri, languageId: 'go', version: 1, text: 'package main\n\nimport "net/http"\n\nvar fresh = &http.Client{}\n' },
  });
  p = await pub;
  check(finding(p) && finding(p).range.start.line === 4, 'a Go buffer never saved is analyzed with its package', p.diagnostics);
  await conn.sendNotification(P.DidCloseTextDocumentNotification.type, { textDocument: { uri: freshUri } });
}

// a newer change cancels the analysis of the older one, which never publishes
async function cancellation() {
  const bigUri = uriOf(path.join(big, 'f0.go'));
  const text = fs.readFileSync(path.join(big, 'f0.go'), 'utf8');
  let pub = server.waitPublish(bigUri, 1, 60);
  await conn.sendNotification(P.DidOpenTextDocumentNotification.type, { textDocument: { uri: bigUri, languageId: 'go', version: 1, text } });
  await pub;
  const before = published.length;
  const errBefore = server.stderr.length;
  pub = server.waitPublish(bigUri, 3, 60);
  await change(bigUri, 2, text + '\n// two\n');
  await sleep(20);
  await change(bigUri, 3, text + '\n// three\n');
  const p = await pub;
  const mine = published.slice(before).filter((q) => q.uri === bigUri);
  check(mine.length === 1 && mine[0].version === 3 && p.diagnostics.length === 0,
    'a change during the analysis of a 68,000-line package: only the newer version is published', mine.map((q) => q.version));
  check(/analysis canceled/.test(server.stderr.slice(errBefore)), 'the older analysis was canceled, not run to the end', server.stderr.slice(errBefore));
  await conn.sendNotification(P.DidCloseTextDocumentNotification.type, { textDocument: { uri: bigUri } });
}

async function main() {
  await settingsAndConfig();
  await cancellation();
  await conn.sendRequest(P.ShutdownRequest.type);
  await conn.sendNotification(P.ExitNotification.type);
  const ex = await server.exited;
  check(ex.code === 0, 'shutdown and exit: status 0', ex);

  // C: compile_commands.json in ../build of the workspace folder src/
  const c = start(omen, dir, 60);
  await c.conn.sendRequest(P.InitializeRequest.type, { processId: process.pid, rootUri: uriOf(path.join(dir, 'cproj/src')), capabilities: {} });
  await c.conn.sendNotification(P.InitializedNotification.type, {});
  const results = {};
  for (const p of ['cproj/src/t.c', 'cbare/src/t.c']) {
    const u = uriOf(path.join(dir, p));
    const w = c.waitPublish(u, 1, 40);
    await c.conn.sendNotification(P.DidOpenTextDocumentNotification.type, { textDocument: { uri: u, languageId: 'c', version: 1, text: C } });
    results[p] = (await w).diagnostics.filter((d) => d.code === TNJ).length;
  }
  check(results['cproj/src/t.c'] === 1 && results['cbare/src/t.c'] === 0,
    'a C file takes its flags from compile_commands.json in ../build, outside the workspace folder', results);
  // the compileCommandsDir setting names a database elsewhere (relative to the workspace folder)
  const bareUri = uriOf(path.join(dir, 'cbare/src/t.c'));
  const w = c.waitPublish(bareUri, 1, 40);
  await c.conn.sendNotification(P.DidChangeConfigurationNotification.type, { settings: { omen: { compileCommandsDir: '../../cdb2' } } });
  const bare = (await w).diagnostics.filter((d) => d.code === TNJ).length;
  check(bare === 1, 'compileCommandsDir (relative to the workspace folder) gives a file its database', bare);
  await c.conn.sendRequest(P.ShutdownRequest.type);
  await c.conn.sendNotification(P.ExitNotification.type);
  await c.exited;
  for (const s of [server, c])
    check(!/ERROR: (Address|Leak)Sanitizer|runtime error|ThreadSanitizer/.test(s.stderr), 'no sanitizer report', s.stderr);
}

run(main, server, failures);
