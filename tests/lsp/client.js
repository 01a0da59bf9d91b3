// client.js - drives `omen lsp` through vscode-jsonrpc / vscode-languageserver-protocol: lifecycle,
// push and pull diagnostics on a Go file, incremental edits (with é and an emoji before the finding,
// so UTF-16 positions matter both ways), didClose, errors for requests before initialize, unknown
// methods and requests after shutdown, code actions (applied by the test and re-analyzed), and the exit
// status.
// usage: node client.js OMEN WORKDIR   (WORKDIR holds main.go; prints "ok: ..." lines, exits 1 on failure)
'use strict';
const fs = require('fs');
const path = require('path');
const P = require('vscode-languageserver-protocol');
const { start, uriOf, errorOf, run } = require('./server.js');
const { check, failures } = require('./check.js');

const [omen, dir] = process.argv.slice(2);
const RULE = 'missing-timeout/http-no-timeout';
const HREF = 'https://github.com/omen-lint/omen/blob/main/docs/rules.md#' + RULE;
const file = path.join(dir, 'main.go');
const uri = uriOf(file);

const server = start(omen, dir, 90);
const { conn, published, exited } = server;
const waitPublish = (u) => server.waitPublish(u);

// the expected range of the finding: the literal's place in the current text, in UTF-16 units
// (JavaScript string indices are UTF-16 code units, so this oracle is independent of the server)
function literalRange(text) {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const c = lines[i].indexOf('&http.Client{}');
    if (c >= 0) return { start: { line: i, character: c }, end: { line: i, character: c + '&http.Client{}'.length } };
  }
  return null;
}
function findRule(diags) {
  return diags.find((d) => d.code === RULE);
}

// the text after TextEdits whose ranges are in UTF-16 units (JavaScript string indices), applied from
// the last to the first; the text's lines end with \n
function applyEdits(text, edits) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const at = (p) => starts[p.line] + p.character;
  const sorted = edits.map((e, i) => ({ a: at(e.range.start), b: at(e.range.end), t: e.newText, i }))
    .sort((x, y) => y.a - x.a || y.i - x.i);
  for (const e of sorted) text = text.slice(0, e.a) + e.t + text.slice(e.b);
  return text;
}

// code actions on db/rows.go: two *sql.Rows leaks (safe fixes) and an http.Client without a Timeout
// (an unsafe fix); each action is applied to the client's copy and the result re-analyzed
async function codeActions() {
  const SQL = 'resource-leak/sql-rows-not-closed';
  const rUri = uri.replace(/main\.go$/, 'db/rows.go');
  const orig = fs.readFileSync(path.join(dir, 'db', 'rows.go'), 'utf8');
  const sqlAt = (p, s) => p.diagnostics.find((x) => x.code === SQL && p.diagnostics && x.range.start.line === orig.split('\n').findIndex((l) => l.includes(s)));
  const sqlCount = (p) => p.diagnostics.filter((x) => x.code === SQL).length;
  let version = 1;
  async function change(text) {
    const pub = waitPublish(rUri);
    await conn.sendNotification(P.DidChangeTextDocumentNotification.type, {
      textDocument: { uri: rUri, version: ++version }, contentChanges: [{ text }],
    });
    return pub;
  }
  const actionsFor = (diags, only) => conn.sendRequest(P.CodeActionRequest.type, {
    textDocument: { uri: rUri }, range: diags.length ? diags[0].range : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: only ? { diagnostics: diags, only } : { diagnostics: diags },
  });
  const editsOf = (a) => (a && a.edit && a.edit.changes && a.edit.changes[rUri]) || [];

  let pub = waitPublish(rUri);
  await conn.sendNotification(P.DidOpenTextDocumentNotification.type, { textDocument: { uri: rUri, languageId: 'go', version: 1, text: orig } });
  let p = await pub;
  const s1 = sqlAt(p, 'return id, err'), s2 = sqlAt(p, 'return n, err'), h = findRule(p.diagnostics);
  check(s1 && s2 && h && p.diagnostics.every((x) => x.data && x.data.version === 1 && Number.isInteger(x.data.index)),
    'rows.go: two rows leaks and a client without Timeout, each with data naming version 1', p.diagnostics);
  if (!s1 || !s2 || !h) return;

  // the first leak: its safe fix (preferred), the ignore comment, and the fix-all action
  let acts = await actionsFor([s1]);
  const qf = acts.find((a) => a.kind === 'quickfix' && /defer rows\.Close\(\)/.test(a.title));
  const ig = acts.find((a) => a.kind === 'quickfix' && a.title === 'Ignore ' + SQL + ' on this line');
  const fa = acts.find((a) => a.kind === 'source.fixAll.omen');
  check(qf && !/unsafe/.test(qf.title) && qf.isPreferred === true && qf.diagnostics && qf.diagnostics[0].code === SQL,
    'the safe fix is a preferred quickfix for the finding', acts);
  check(acts.length === 3 && Object.keys((qf && qf.edit.changes) || {}).join() === rUri,
    'three actions (fix, ignore, fix all), editing rows.go only', acts);
  const fixed1 = orig.replace('{ return 0, err }\n', '{ return 0, err }\n\tdefer rows.Close()\n');
  check(applyEdits(orig, editsOf(qf)) === fixed1, 'the fix inserts defer rows.Close() after é and an emoji on its line (UTF-16 range)',
    editsOf(qf));
  const ignored = orig.replace('\t/*é😀*/ return id, err', '\t//omen:ignore ' + SQL + ' reason\n\t/*é😀*/ return id, err');
  check(applyEdits(orig, editsOf(ig)) === ignored, 'the ignore action puts //omen:ignore RULE reason above the line, indented alike',
    editsOf(ig));
  const fixedAll = fixed1.replace('\t\treturn 0, err\n\t}\n', '\t\treturn 0, err\n\t}\n\tdefer rows.Close()\n');
  check(applyEdits(orig, editsOf(fa)) === fixedAll, 'fix all applies both safe fixes and not the unsafe one', editsOf(fa));

  // the unsafe fix: marked, not preferred
  acts = await actionsFor([h], ['quickfix']);
  const uf = acts.find((a) => / \(unsafe\)$/.test(a.title));
  check(uf && uf.isPreferred !== true && /Timeout/.test(uf.title), 'an unsafe fix says so in its title and is not preferred', acts);

  // context.only, and diagnostics that are not omen's
  acts = await actionsFor([s1], ['quickfix']);
  check(acts.length === 2 && acts.every((a) => a.kind === 'quickfix'), 'only: [quickfix] gives the quick fixes only', acts);
  for (const k of ['source', 'source.fixAll', 'source.fixAll.omen']) {
    acts = await actionsFor([s1], [k]);
    check(acts.length === 1 && acts[0].kind === 'source.fixAll.omen', 'only: [' + k + '] gives fix all only', acts);
  }
  acts = await actionsFor([s1], ['refactor']);
  check(acts.length === 0, 'only: [refactor] gives nothing', acts);
  acts = await actionsFor([Object.assign({}, s1, { source: 'gopls' })], ['quickfix']);
  check(acts.length === 0, 'a diagnostic of another source gets no quick fix', acts);

  // a stale version in data gets nothing; the republished finding does
  p = await change(orig);
  acts = await actionsFor([s1], ['quickfix']);
  check(acts.length === 0, 'a diagnostic of an older version gets no quick fix', acts);
  const n1 = sqlAt(p, 'return id, err');
  acts = await actionsFor(n1 ? [n1] : [], ['quickfix']);
  check(n1 && n1.data.version === 2 && acts.length === 2, 'the republished finding (version 2) gets its quick fixes', acts);

  // applied and re-analyzed
  p = await change(applyEdits(orig, editsOf(qf)));
  check(!sqlAt(p, 'return id, err') && sqlCount(p) === 1, 'after the quick fix only the other leak is left', p.diagnostics);
  p = await change(applyEdits(orig, editsOf(ig)).replace(' reason\n', ' the caller drains and closes them\n'));
  check(sqlCount(p) === 1 && !sqlAt(p, 'return id, err') && !p.diagnostics.some((x) => /^omen\//.test(x.code)),
    'after the ignore comment (with a reason) the finding is suppressed', p.diagnostics);
  p = await change(applyEdits(orig, editsOf(fa)));
  check(sqlCount(p) === 0 && findRule(p.diagnostics) && p.diagnostics.length === 1, 'after fix all only the unsafe finding is left', p.diagnostics);
  acts = await actionsFor([], ['source.fixAll.omen']);
  check(acts.length === 0, 'with no safe fix left, no fix-all action', acts);
  const junk = [1, null, 'x', { source: 'omen', data: 'x' }, { source: 'omen', data: { version, index: -1 } },
    { source: 'omen', data: { version: 1e300, index: 0 } }, { source: 'omen', code: 'no/such', data: { version, index: 0 } },
    { source: 'omen', data: { version, index: 4294967295 } }];
  acts = await conn.sendRequest(P.CodeActionRequest.type, { textDocument: { uri: rUri }, range: s1.range, context: { diagnostics: junk, only: ['quickfix'] } });
  check(Array.isArray(acts) && acts.length === 0, 'malformed or foreign diagnostic data gets no action', acts);
  acts = await conn.sendRequest('textDocument/codeAction', { textDocument: { uri: rUri } });
  const noParams = await errorOf(conn.sendRequest('textDocument/codeAction', {}));
  check(Array.isArray(acts) && acts.length === 0 && noParams && noParams.code === -32602,
    'a request without context answers nothing; one without a document is invalid params', [acts, noParams && noParams.code]);
  await conn.sendNotification(P.DidCloseTextDocumentNotification.type, { textDocument: { uri: rUri } });
}

async function main() {
  let text = fs.readFileSync(file, 'utf8');

  const early = await errorOf(conn.sendRequest(P.DocumentDiagnosticRequest.type, { textDocument: { uri } }));
  check(early && early.code === -32002, 'a request before initialize gets -32002', early && early.code);

  const init = await conn.sendRequest(P.InitializeRequest.type, {
    processId: process.pid, rootUri: 'file://' + dir, capabilities: {}, workspaceFolders: null,
  });
  const caps = init.capabilities;
  check(caps.textDocumentSync && caps.textDocumentSync.openClose === true && caps.textDocumentSync.change === 2 &&
    caps.textDocumentSync.save === true, 'initialize advertises incremental sync with open/close and save', caps.textDocumentSync);
  check(caps.diagnosticProvider && caps.diagnosticProvider.interFileDependencies === true &&
    caps.diagnosticProvider.workspaceDiagnostics === false, 'initialize advertises pull diagnostics', caps.diagnosticProvider);
  check(init.serverInfo && init.serverInfo.name === 'omen' && /^\d+\.\d+/.test(init.serverInfo.version),
    'serverInfo names omen and its version', init.serverInfo);
  check(caps.codeActionProvider && caps.codeActionProvider.resolveProvider === false &&
    JSON.stringify(caps.codeActionProvider.codeActionKinds) === '["quickfix","source.fixAll.omen"]',
    'initialize advertises quickfix and source.fixAll.omen code actions', caps.codeActionProvider);
  const again = await errorOf(conn.sendRequest(P.InitializeRequest.type, { processId: null, rootUri: null, capabilities: {} }));
  check(again && again.code === -32600, 'a second initialize is an invalid request', again && again.code);
  await conn.sendNotification(P.InitializedNotification.type, {});

  // another file of the package, opened first: analyzing main.go publishes for it too
  const otherUri = uri.replace(/main\.go$/, 'other.go');
  let pub = waitPublish(otherUri);
  await conn.sendNotification(P.DidOpenTextDocumentNotification.type, {
    textDocument: { uri: otherUri, languageId: 'go', version: 7, text: fs.readFileSync(path.join(dir, 'other.go'), 'utf8') },
  });
  let p = await pub;
  check(p.version === 7 && p.diagnostics.length === 1 && findRule(p.diagnostics), 'other.go has its own finding', p);
  const before = published.length;

  // open: the finding, with range, severity, code, href and source
  pub = waitPublish(uri);
  await conn.sendNotification(P.DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'go', version: 1, text },
  });
  p = await pub;
  let d = findRule(p.diagnostics);
  check(published.slice(before).some((q) => q.uri === otherUri && q.version === 7 && q.diagnostics.length === 1),
    'opening main.go publishes for the open other.go of its package too', published.slice(before));
  check(p.diagnostics.length === 1, 'main.go gets only its own finding', p.diagnostics);
  check(p.version === 1, 'publishDiagnostics carries the version opened', p.version);
  check(d, 'didOpen publishes the ' + RULE + ' finding', p.diagnostics);
  if (d) {
    check(JSON.stringify(d.range) === JSON.stringify(literalRange(text)), 'its range covers the literal', [d.range, literalRange(text)]);
    check(d.severity === 2 && d.source === 'omen', 'severity warning (2), source omen', [d.severity, d.source]);
    check(d.codeDescription && d.codeDescription.href === HREF, 'codeDescription.href points to the rule doc', d.codeDescription);
    check(typeof d.message === 'string' && /Timeout/.test(d.message), 'the message is the finding', d.message);
  }

  // pull diagnostics answer the same finding
  const pulled = await conn.sendRequest(P.DocumentDiagnosticRequest.type, { textDocument: { uri } });
  check(pulled.kind === 'full' && findRule(pulled.items), 'textDocument/diagnostic answers a full report with the finding', pulled);

  // é and an emoji inserted before the finding on its line, then the "*/" right after the emoji
  // replaced by "*/ _ = 1;" (a range that is only right when counted in UTF-16 units: counted
  // otherwise, it covers the emoji and leaves a stray "*/", a syntax error)
  const lr = literalRange(text).start.line;
  const tab = text.split('\n')[lr].indexOf('c :=');
  pub = waitPublish(uri);
  await conn.sendNotification(P.DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 2 },
    contentChanges: [
      { range: { start: { line: lr, character: tab }, end: { line: lr, character: tab } }, text: '/*é😀*/ ' },
      { range: { start: { line: lr, character: tab + 5 }, end: { line: lr, character: tab + 7 } }, text: '*/ _ = 1;' },
    ],
  });
  const lines = text.split('\n');
  lines[lr] = lines[lr].slice(0, tab) + '/*é😀*/ _ = 1; ' + lines[lr].slice(tab);
  text = lines.join('\n');
  p = await pub;
  d = findRule(p.diagnostics);
  check(p.version === 2, 'the edit publishes with the new version', p.version);
  check(d && JSON.stringify(d.range) === JSON.stringify(literalRange(text)),
    'after é and an emoji on the line the range is in UTF-16 units', [d && d.range, literalRange(text)]);
  check(p.diagnostics.length === 1, 'the edits were applied where they belong (no syntax error)', p.diagnostics);

  // an edit that removes the finding: an empty list for version 3
  const r = literalRange(text);
  pub = waitPublish(uri);
  await conn.sendNotification(P.DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 3 },
    contentChanges: [{ range: { start: { line: r.end.line, character: r.end.character - 1 }, end: r.end }, text: 'Timeout: 5e9}' }],
  });
  p = await pub;
  check(p.version === 3 && !findRule(p.diagnostics), 'an edit adding Timeout publishes version 3 without the finding', p);
  const pulled2 = await conn.sendRequest(P.DocumentDiagnosticRequest.type, { textDocument: { uri } });
  check(pulled2.kind === 'full' && !findRule(pulled2.items), 'pull diagnostics follow the edit', pulled2);

  // a full-text change brings it back
  pub = waitPublish(uri);
  await conn.sendNotification(P.DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 4 }, contentChanges: [{ text: fs.readFileSync(file, 'utf8') }],
  });
  p = await pub;
  check(p.version === 4 && findRule(p.diagnostics), 'a full-text change is applied too', p);

  // a suppression comment added in the editor hides the finding
  text = fs.readFileSync(file, 'utf8');
  const sl = literalRange(text).end;
  const lineEnd = text.split('\n')[sl.line].length;
  pub = waitPublish(uri);
  await conn.sendNotification(P.DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 5 },
    contentChanges: [{ range: { start: { line: sl.line, character: lineEnd }, end: { line: sl.line, character: lineEnd } },
      text: ' //omen:ignore ' + RULE + ' the tests set deadlines' }],
  });
  p = await pub;
  check(p.version === 5 && p.diagnostics.length === 0, 'a suppression comment typed in the editor hides the finding', p);

  // a C file, analyzed from its unsaved text (non-ASCII before the finding, not on disk), with the
  // related location of the thread handle
  const cUri = uri.replace(/main\.go$/, 't.c');
  const cText = fs.readFileSync(path.join(dir, 't.c'), 'utf8').replace('  pthread_create', '  /* é😀 */ pthread_create');
  pub = waitPublish(cUri);
  await conn.sendNotification(P.DidOpenTextDocumentNotification.type, { textDocument: { uri: cUri, languageId: 'c', version: 1, text: cText } });
  p = await pub;
  d = p.diagnostics.find((x) => x.code === 'thread-leak/thread-not-joined');
  const cLines = cText.split('\n');
  const callLine = cLines.findIndex((l) => l.includes('pthread_create'));
  const declLine = cLines.findIndex((l) => l.includes('pthread_t t;'));
  check(d && d.range.start.line === callLine && d.range.start.character === cLines[callLine].indexOf('pthread_create'),
    'a C finding from the unsaved buffer, its range in UTF-16 units', [d, callLine, cLines[callLine].indexOf('pthread_create')]);
  const rel = d && d.relatedInformation && d.relatedInformation[0];
  check(rel && rel.location.uri === cUri && rel.location.range.start.line === declLine &&
    rel.location.range.start.character === cLines[declLine].indexOf('t;') && /thread/.test(rel.message),
    'relatedInformation points to the thread handle', d && d.relatedInformation);
  // the ignore action in C: the comment above the call, indented alike, hides the finding
  const cActs = d ? await conn.sendRequest(P.CodeActionRequest.type, { textDocument: { uri: cUri }, range: d.range, context: { diagnostics: [d] } }) : [];
  const cIg = cActs.find((a) => a.title === 'Ignore thread-leak/thread-not-joined on this line');
  const cIgnored = cText.replace('  /* é😀 */ pthread_create', '  //omen:ignore thread-leak/thread-not-joined reason\n  /* é😀 */ pthread_create');
  const cAfter = cIg ? applyEdits(cText, cIg.edit.changes[cUri]) : null;
  check(cAfter === cIgnored, 'in C the ignore action puts the comment above the line, indented alike', cActs);
  pub = waitPublish(cUri);
  await conn.sendNotification(P.DidChangeTextDocumentNotification.type, { textDocument: { uri: cUri, version: 2 }, contentChanges: [{ text: cAfter || cText }] });
  p = await pub;
  check(cAfter && p.diagnostics.length === 0, 'and, applied, it suppresses the C finding', p.diagnostics);
  await conn.sendNotification(P.DidCloseTextDocumentNotification.type, { textDocument: { uri: cUri } });

  await codeActions();

  // unknown request and notification
  const unknown = await errorOf(conn.sendRequest('omen/noSuchMethod', {}));
  check(unknown && unknown.code === -32601, 'an unknown request gets -32601', unknown && unknown.code);
  await conn.sendNotification('omen/noSuchNotification', {});

  // didClose publishes an empty list
  pub = waitPublish(uri);
  await conn.sendNotification(P.DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  p = await pub;
  check(Array.isArray(p.diagnostics) && p.diagnostics.length === 0, 'didClose publishes an empty list', p);

  // shutdown, a request after it, exit: status 0
  const sd = await conn.sendRequest(P.ShutdownRequest.type);
  check(sd === null, 'shutdown answers null', sd);
  const late = await errorOf(conn.sendRequest(P.DocumentDiagnosticRequest.type, { textDocument: { uri } }));
  check(late && late.code === -32600, 'a request after shutdown is an invalid request', late && late.code);
  await conn.sendNotification(P.ExitNotification.type);
  const ex = await Promise.race([exited, new Promise((res) => setTimeout(() => res(null), 10000))]);
  check(ex && ex.code === 0, 'exit after shutdown ends the server with status 0', ex);
  check(!/ERROR: (Address|Leak)Sanitizer|runtime error/.test(server.stderr), 'no sanitizer report', server.stderr);
  conn.dispose();
}

run(main, server, failures);
