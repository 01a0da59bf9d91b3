package order

import "sync"

// ---- shapes from real code that take two locks in both orders safely ----

type backend struct {
	mu      sync.RWMutex
	batchMu sync.Mutex
	readMu  sync.Mutex
	pages   int
}

func (b *backend) begin() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.pages
}

// commit is called with b.batchMu held; it takes readMu, then mu through begin.
func (b *backend) commit() {
	b.readMu.Lock()
	b.pages = b.begin() + 1
	b.readMu.Unlock()
}

func (b *backend) Commit() {
	b.batchMu.Lock()
	b.commit()
	b.batchMu.Unlock()
}

// Defrag takes them in the other order, but under batchMu like every commit: fine.
func (b *backend) Defrag() {
	b.batchMu.Lock()
	defer b.batchMu.Unlock()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.readMu.Lock()
	b.pages = 0
	b.readMu.Unlock()
}

type manager struct {
	stateMu sync.Mutex
	state   map[string]int
	renewal map[string]*renewal
}

type renewal struct {
	timerMu sync.Mutex
	m       *manager
	key     string
}

func (r *renewal) start() {
	r.timerMu.Lock()
	defer r.timerMu.Unlock()
	r.key += "!"
}

// renew holds its timer lock while it updates the manager.
func (r *renewal) renew() {
	r.timerMu.Lock()
	defer r.timerMu.Unlock()
	r.m.update(r.key)
}

func (m *manager) update(k string) {
	m.stateMu.Lock()
	defer m.stateMu.Unlock()
	m.state[k]++
}

// Cert starts a renewal it has just made: no one else can hold its timer lock: fine.
func (m *manager) Cert(k string) {
	m.stateMu.Lock()
	defer m.stateMu.Unlock()
	r := &renewal{m: m, key: k}
	m.renewal[k] = r
	r.start()
}

type bucket struct {
	mu     sync.Mutex
	traces []*trace
}

type trace struct {
	mu      sync.Mutex
	buckets []*bucket
	refs    int
}

func (t *trace) unref() {
	t.mu.Lock()
	t.refs--
	t.mu.Unlock()
}

// add evicts an old trace (one that no one else holds) while holding the bucket.
func (b *bucket) add(t *trace) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.traces) > 10 {
		b.traces[0].unref()
		b.traces = b.traces[1:]
	}
	b.traces = append(b.traces, t)
}

// Finish adds the trace to its buckets while holding it; the buckets only lock other traces: fine.
func (t *trace) Finish() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, b := range t.buckets {
		b.add(t)
	}
}
