// gen.js - generated source for the LSP tests and the latency benchmark (bench/lsp.sh): Go files of n
// functions (about 34 lines each) doing what services do (HTTP clients, goroutines, channels, locks,
// maps, SQL rows), so that every analyzer has work, and C files alike. Deterministic.
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

// A C file of n functions (about 30 lines each) with threads, locks and files, all handled correctly.
function cFile(n) {
  const out = ['#include <pthread.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n',
    'static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;\nstatic long total;\n',
    'static void *work(void *arg) {\n  pthread_mutex_lock(&lock);\n  total += (long)(size_t)arg;\n  pthread_mutex_unlock(&lock);\n  return NULL;\n}\n'];
  for (let i = 0; i < n; i++) {
    out.push(`/* count_${i} counts the lines of a file with a helper thread. */
int count_${i}(const char *path, long *lines) {
  FILE *f = fopen(path, "r");
  if (f == NULL)
    return -1;
  char buf[256];
  long n = 0;
  while (fgets(buf, sizeof buf, f) != NULL) {
    if (strchr(buf, '\\n') != NULL)
      n++;
  }
  fclose(f);
  pthread_t t;
  if (pthread_create(&t, NULL, work, (void *)(size_t)n) != 0)
    return -1;
  pthread_join(t, NULL);
  pthread_mutex_lock(&lock);
  if (total < 0) {
    pthread_mutex_unlock(&lock);
    return -1;
  }
  *lines = total;
  pthread_mutex_unlock(&lock);
  return 0;
}
`);
  }
  return out.join('\n');
}

module.exports = { goFile, cFile };
