// check.js - the assertion helper of the LSP test clients: prints "ok: WHAT" or "FAIL: WHAT: DETAIL"
// and counts the failures.
'use strict';
let failures = 0;
function check(cond, what, detail) {
  if (cond) console.log('ok: ' + what);
  else {
    failures++;
    console.error('FAIL: ' + what + (detail === undefined ? '' : ': ' + JSON.stringify(detail)));
  }
}
module.exports = { check, failures: () => failures };
