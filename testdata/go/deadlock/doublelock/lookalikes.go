package doublelock

import (
	"sync"
	"time"
)

// ---- shapes from real code that look like double locks and are not ----

type Config2 struct {
	mu   sync.RWMutex
	keys []string
}

// initKeysRLocked expects a read lock, drops it, and takes the write lock.
func (c *Config2) initKeysRLocked() {
	if len(c.keys) > 0 {
		return
	}
	c.mu.RUnlock()
	defer c.mu.RLock()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.keys = []string{"default"}
}

// Keys calls the upgrade helper with the read lock held: fine.
func (c *Config2) Keys() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.initKeysRLocked()
	return c.keys
}

// waitStarted uses a mutex as a one-shot signal that another goroutine unlocks: fine.
func waitStarted(start func(onStarted func())) {
	var mu sync.Mutex
	mu.Lock()
	go start(func() { mu.Unlock() })
	mu.Lock()
}

// waitNotified hands the unlock to a callback as a method value: fine.
func waitNotified(run func(done func())) {
	var mu sync.Mutex
	mu.Lock()
	go run(mu.Unlock)
	mu.Lock()
}

type table struct {
	mu    sync.Mutex
	props map[string]int
}

func (t *table) lookup(k string, lockTable bool) int {
	if lockTable {
		t.mu.Lock()
		defer t.mu.Unlock()
	}
	return t.props[k]
}

// fill calls lookup with the flag that says the lock is already held: fine.
func (t *table) fill(keys []string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, k := range keys {
		t.props[k] = t.lookup(k, false) + 1
	}
}

type tree struct {
	mu     sync.Mutex
	parent *tree
	origin *tree
	names  []string
}

// walk moves up the tree: each iteration locks another node's mutex: fine.
func (t *tree) walk() int {
	n := 0
	for p := t.parent; p != nil; p = p.parent {
		p.mu.Lock()
		n += len(p.names)
		p.mu.Unlock()
	}
	return n
}

func (t *tree) names0() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.names
}

// expand reads the origin's names: the origin is another tree.
func (t *tree) expand() []string {
	return t.origin.names0()
}

// Expand holds t.mu while expand locks the origin's mutex: fine.
func (t *tree) Expand() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.expand()
}

// Retry drops the lock around the sleep in each iteration: fine.
func (t *tree) Retry(n int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i := 0; i < n; i++ {
		t.mu.Unlock()
		time.Sleep(time.Millisecond)
		t.mu.Lock()
	}
}
