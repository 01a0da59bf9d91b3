// raw.js - writes hand-made bytes to `omen lsp` (malformed JSON, bad and too-short Content-Length,
// a message over 64 MiB, non-object and id-less messages, lower-case headers with Content-Type)
// and checks the JSON-RPC errors it answers, in order, then that the server still works and exits
// by itself (status 1: no shutdown) when its stdin closes.
// usage: node raw.js OMEN WORKDIR
'use strict';
const cp = require('child_process');

const [omen, dir] = process.argv.slice(2);
const { check, failures } = require('./check.js');

const child = cp.spawn(omen, ['lsp', '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
let stderr = '';
child.stderr.on('data', (d) => (stderr += d));
const exited = new Promise((resolve) => child.on('exit', (code, sig) => resolve({ code, sig })));

// parse the framed replies
let out = Buffer.alloc(0);
const replies = [];
child.stdout.on('data', (d) => {
  out = Buffer.concat([out, d]);
  for (;;) {
    const h = out.indexOf('\r\n\r\n');
    if (h < 0) return;
    const m = /Content-Length: (\d+)/.exec(out.slice(0, h).toString());
    if (!m) throw new Error('reply without Content-Length: ' + out.slice(0, h));
    const n = Number(m[1]);
    if (out.length < h + 4 + n) return;
    replies.push(JSON.parse(out.slice(h + 4, h + 4 + n).toString('utf8')));
    out = out.slice(h + 4 + n);
  }
});

const frame = (body, header) =>
  Buffer.concat([Buffer.from((header || 'Content-Length: ' + Buffer.byteLength(body)) + '\r\n\r\n'), Buffer.from(body)]);
const req = (id, method, params) => JSON.stringify({ jsonrpc: '2.0', id, method, params });

const chunks = [
  frame('{"jsonrpc": "2.0", "id": 1, "method": '),                       // 1. truncated JSON
  frame('{"jsonrpc":"2.0","id":2,"method":"shutdown"} trailing'),        // 2. junk after the value
  frame(req(3, 'shutdown'), 'Content-Length: abc'),                      // 3. bad Content-Length
  frame(req(4, 'shutdown'), 'Content-Length: 10'),                       // 4. too short: a cut body, then junk
  frame('[1, 2]'),                                                       // 5. not an object
  frame('{"jsonrpc":"2.0","id":6}'),                                     // 6. no method
  frame(req(7, 'textDocument/diagnostic', { textDocument: { uri: 'file:///x.go' } })), // 7. before initialize
  frame(req(8, 'initialize', { processId: null, rootUri: null, capabilities: {} }),
    'content-length: ' + Buffer.byteLength(req(8, 'initialize', { processId: null, rootUri: null, capabilities: {} })) +
    '\r\ncontent-type: application/vscode-jsonrpc; charset=utf-8'),    // 8. lower-case headers
  didOpenInvalidUtf8(),                                                  // (a publishDiagnostics)
  Buffer.concat([Buffer.from('Content-Length: ' + (64 * 1024 * 1024 + 1) + '\r\n\r\n'),
    Buffer.alloc(64 * 1024 * 1024 + 1, 0x20)]),                        // 9. over 64 MiB
  frame(JSON.stringify({ jsonrpc: '2.0', method: 'omen/unknownNotification' })), // (no reply)
  frame(req(10, 'omen/unknown', {})),                                    // 10. unknown method
  frame(req(11, 'textDocument/diagnostic', { textDocument: { uri: 'file:///nowhere/x.go' } })), // 11. still alive
  frame(req(12, 'textDocument/diagnostic', {})),                         // 12. missing params
];
const want = [
  [null, -32700, 'truncated JSON'],
  [null, -32700, 'junk after the JSON value'],
  [null, -32700, 'a non-numeric Content-Length'],
  [null, -32700, 'a too short Content-Length'],
  [null, -32600, 'a JSON array'],
  [6, -32600, 'a message without method'],
  [7, -32002, 'a request before initialize'],
  [8, 'result', 'initialize with lower-case headers and a Content-Type, after all that'],
  [null, -32600, 'a message over 64 MiB'],
  [10, -32601, 'an unknown method (and no reply to an unknown notification)'],
  [11, 'result', 'a request after the bad input'],
  [12, -32602, 'textDocument/diagnostic without a document'],
];

// main.go opened with two bytes that are not UTF-8 before the finding on its line: each counts as
// one UTF-16 unit, so the literal starts at 1 (tab) + 2 + 2 + 2 + 1 + 5 ("c := ") = 13
function didOpenInvalidUtf8() {
  const uri = 'file://' + (dir + '/main.go').split('/').map(encodeURIComponent).join('/');
  const text = Buffer.concat([
    Buffer.from('package main\n\nimport "net/http"\n\nfunc main() {\n\t/*'), Buffer.from([0xff, 0xfe]),
    Buffer.from('*/ c := &http.Client{}\n\t_ = c\n}\n'),
  ]);
  const head = '{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":' + JSON.stringify(uri) +
    ',"languageId":"go","version":1,"text":"';
  const body = Buffer.concat([Buffer.from(head), Buffer.from(text.toString('latin1').replace(/\n/g, '\\n').replace(/"/g, '\\"'), 'latin1'), Buffer.from('"}}}')]);
  return Buffer.concat([Buffer.from('Content-Length: ' + body.length + '\r\n\r\n'), body]);
}

(async () => {
  for (const c of chunks) {
    if (!child.stdin.write(c)) await new Promise((r) => child.stdin.once('drain', r));
  }
  child.stdin.end(); // the server must exit by itself
  const ex = await Promise.race([exited, new Promise((r) => setTimeout(() => r(null), 30000))]);
  await new Promise((r) => setImmediate(r));
  check(ex !== null, 'the server exits when its stdin closes', ex);
  if (ex === null) child.kill();
  check(ex && ex.code === 1, 'status 1 when stdin closes without shutdown', ex);
  const notes = replies.filter((r) => r.method);
  const pub = notes.find((r) => r.method === 'textDocument/publishDiagnostics');
  const d = pub && pub.params.diagnostics.find((x) => x.code === 'missing-timeout/http-no-timeout');
  check(d && d.range.start.line === 5 && d.range.start.character === 13 && d.range.end.character === 27,
    'invalid UTF-8 bytes before the finding count one UTF-16 unit each', pub);
  replies.splice(0, replies.length, ...replies.filter((r) => !r.method));
  check(replies.length === want.length, want.length + ' replies', replies);
  want.forEach(([id, code, what], i) => {
    const r = replies[i] || {};
    const got = code === 'result' ? (r.result !== undefined ? 'result' : r.error && r.error.code) : r.error && r.error.code;
    check(r.jsonrpc === '2.0' && r.id === id && got === code, what + ' -> ' + code + ' (id ' + id + ')', r);
  });
  const init = replies[7] && replies[7].result;
  check(init && init.serverInfo && init.serverInfo.name === 'omen', 'the initialize result is the real one', init);
  const pulled = replies[10] && replies[10].result;
  check(pulled && pulled.kind === 'full' && Array.isArray(pulled.items), 'the pull result is a full report', pulled);
  check(!/ERROR: (Address|Leak)Sanitizer|runtime error/.test(stderr), 'no sanitizer report', stderr);
  process.exit(failures() ? 1 : 0);
})();
