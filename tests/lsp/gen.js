// gen.js - generated Go source for the LSP tests and the latency benchmark: a file of n functions
// (about 30 lines each) doing what services do (HTTP clients, goroutines, channels, locks, maps,
// SQL rows), so that every analyzer has work. Deterministic.
'use strict';

function goFile(pkg, n, seed) {
  const out = [`package ${pkg}\n`, 'import (\n\t"context"\n\t"database/sql"\n\t"net/http"\n\t"sync"\n\t"time"\n)\n',
    'type store struct {\n\tmu    sync.Mutex\n\tm     map[string]int\n\tdb    *sql.DB\n\tjobs  chan int\n\tquit  chan struct{}\n}\n'];
  for (let i = 0; i < n; i++) {
    const k = `${seed}_${i}`;
    out.push(`// fetch${k} asks a peer and records the answer.
func (s *store) fetch${k}(ctx context.Context, url string) (int, error) {
\tclient := &http.Client{Timeout: 5 * time.Second}
\treq, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
\tif err != nil {
\t\treturn 0, err
\t}
\tresp, err := client.Do(req)
\tif err != nil {
\t\treturn 0, err
\t}
\tdefer resp.Body.Close()
\ts.mu.Lock()
\ts.m[url] += resp.StatusCode
\tv := s.m[url]
\ts.mu.Unlock()
\tdone := make(chan int, 1)
\tgo func() {
\t\tselect {
\t\tcase done <- v:
\t\tcase <-ctx.Done():
\t\t}
\t}()
\trows, err := s.db.QueryContext(ctx, "SELECT n FROM t WHERE k = ?", url)
\tif err != nil {
\t\treturn 0, err
\t}
\tdefer rows.Close()
\tfor rows.Next() {
\t\tv++
\t}
\treturn v + <-done, rows.Err()
}
`);
  }
  return out.join('\n');
}

module.exports = { goFile };
