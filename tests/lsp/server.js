// server.js - starts `omen lsp` under a vscode-jsonrpc connection for the LSP test clients: records
// every publishDiagnostics, waits for the next one for a URI, and fails the test when the server
// stops answering.
'use strict';
const cp = require('child_process');
const path = require('path');
const rpc = require('vscode-jsonrpc/node');
const P = require('vscode-languageserver-protocol');

// a file:// URI for an absolute path, percent-encoded per segment
function uriOf(file) {
  return 'file://' + file.split('/').map(encodeURIComponent).join('/');
}

function start(omen, dir, limitSeconds) {
  const child = cp.spawn(omen, ['lsp'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
  const s = { child, stderr: '', published: [] };
  child.stderr.on('data', (d) => (s.stderr += d));
  s.exited = new Promise((resolve) => child.on('exit', (code, sig) => resolve({ code, sig })));
  // a server that stops answering must fail the test, not hang it
  const limit = setTimeout(() => {
    console.error('FAIL: ' + path.basename(process.argv[1]) + ': no progress within ' + limitSeconds +
      ' s (a request got no answer?); passed so far: see above');
    if (s.stderr) console.error(s.stderr);
    child.kill();
    process.exit(1);
  }, limitSeconds * 1000);
  limit.unref();
  s.conn = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  let waiters = [];
  s.conn.onNotification(P.PublishDiagnosticsNotification.type, (p) => {
    s.published.push(p);
    const w = waiters.find((x) => x.uri === p.uri && (x.version === undefined || p.version === x.version));
    if (w) {
      waiters = waiters.filter((x) => x !== w);
      w.resolve(p);
    }
  });
  // the next publishDiagnostics for uri (with that version, when given)
  s.waitPublish = (uri, version, seconds) => new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no publishDiagnostics for ' + uri +
      (version === undefined ? '' : ' version ' + version) + ' within ' + (seconds || 20) + ' s')), (seconds || 20) * 1000);
    waiters.push({ uri, version, resolve: (p) => { clearTimeout(t); resolve(p); } });
  });
  s.conn.listen();
  return s;
}

async function errorOf(promise) {
  try {
    await promise;
    return null;
  } catch (e) {
    return e;
  }
}

// Runs the test's main(): the exit status is 1 when a check failed or main threw (then with the
// server's stderr, and the server killed).
function run(main, server, failures) {
  main().then(
    () => process.exit(failures() ? 1 : 0),
    (e) => {
      console.error('FAIL: ' + (e && e.stack ? e.stack : e));
      if (server.stderr) console.error(server.stderr);
      server.child.kill();
      process.exit(1);
    },
  );
}

module.exports = { start, uriOf, errorOf, run };
