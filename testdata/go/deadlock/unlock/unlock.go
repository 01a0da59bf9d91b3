// Package unlock holds functions that return with a mutex still locked, and look-alikes that are fine.
package unlock

import (
	"errors"
	"fmt"
	"log"
	"sync"
)

var (
	errNotFound = errors.New("not found")
	ErrClosed   = errors.New("pool closed")
)

// ---- a cache ----

type Cache struct {
	mu    sync.Mutex
	items map[string][]byte
	hits  int
}

// Get returns the cached value of k.
func (c *Cache) Get(k string) ([]byte, error) {
	c.mu.Lock()
	v, ok := c.items[k]
	if !ok {
		return nil, errNotFound // want "deadlock/return-without-unlock: c.mu \(locked on line 26\) is still held when the function returns here: every later Lock of c.mu blocks forever"
	}
	c.hits++
	c.mu.Unlock()
	return v, nil
}

// Peek unlocks on every path: fine.
func (c *Cache) Peek(k string) ([]byte, bool) {
	c.mu.Lock()
	v, ok := c.items[k]
	if !ok {
		c.mu.Unlock()
		return nil, false
	}
	c.mu.Unlock()
	return v, true
}

// Len defers the unlock: fine.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

// ---- a connection pool ----

type Conn struct{ id int }

type Pool struct {
	mu     sync.Mutex
	closed bool
	idle   []*Conn
	next   int
}

// Get hands out an idle connection or a new one.
func (p *Pool) Get() (*Conn, error) {
	p.mu.Lock()
	if p.closed {
		return nil, ErrClosed // want "return-without-unlock: p.mu \(locked on line 68\) is still held when the function returns here"
	}
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return c, nil
	}
	p.next++
	c := &Conn{id: p.next}
	p.mu.Unlock()
	return c, nil
}

// acquire returns holding the lock when it succeeds; its callers unlock: fine.
func (p *Pool) acquire() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return ErrClosed
	}
	return nil
}

// Put uses acquire and unlocks itself.
func (p *Pool) Put(c *Conn) error {
	if err := p.acquire(); err != nil {
		return err
	}
	p.idle = append(p.idle, c)
	p.mu.Unlock()
	return nil
}

// idleList returns the idle connections; see Idle.
func (p *Pool) idleList() ([]*Conn, bool) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, false
	}
	return p.idle, true
}

// Idle unlocks after idleList: fine.
func (p *Pool) Idle() int {
	idle, ok := p.idleList()
	if !ok {
		return 0
	}
	n := len(idle)
	p.mu.Unlock()
	return n
}

// ---- read locks ----

type Index struct {
	mu    sync.RWMutex
	terms map[string][]int
}

// Lookup returns the documents that contain term.
func (ix *Index) Lookup(term string) []int {
	ix.mu.RLock()
	if len(ix.terms) == 0 {
		return nil // want "return-without-unlock: ix.mu \(read-locked on line 134\) is still held when the function returns here: every later Lock of ix.mu blocks forever"
	}
	docs := ix.terms[term]
	ix.mu.RUnlock()
	return docs
}

// Has unlocks in a deferred closure: fine.
func (ix *Index) Has(term string) (found bool) {
	ix.mu.RLock()
	defer func() {
		ix.mu.RUnlock()
	}()
	_, found = ix.terms[term]
	return found
}

// ---- a switch with one case that forgets ----

type Limiter struct {
	mu     sync.Mutex
	tokens int
	mode   int
}

func (l *Limiter) Take() error {
	l.mu.Lock()
	switch l.mode {
	case 0:
		l.tokens--
	case 1:
		if l.tokens == 0 {
			return fmt.Errorf("limiter: no tokens (mode %d)", 1) // want "return-without-unlock: l.mu \(locked on line 162\) is still held when the function returns here"
		}
		l.tokens--
	default:
		l.mu.Unlock()
		return errors.New("limiter: unknown mode")
	}
	l.mu.Unlock()
	return nil
}

// ---- validation inside the critical section ----

type Table struct {
	mu   sync.Mutex
	rows map[string]int
}

func validate(k string) error {
	if k == "" {
		return errors.New("empty key")
	}
	return nil
}

// Insert counts the keys.
func (t *Table) Insert(keys []string) error {
	t.mu.Lock()
	for _, k := range keys {
		if err := validate(k); err != nil {
			return err // want "return-without-unlock: t.mu \(locked on line 195\) is still held when the function returns here"
		}
		t.rows[k]++
	}
	t.mu.Unlock()
	return nil
}

// ---- the end of the function ----

type Buffer struct {
	mu    sync.Mutex
	lines []string
	max   int
}

// Append adds a line if there is room.
func (b *Buffer) Append(s string) {
	b.mu.Lock()
	if len(b.lines) < b.max {
		b.lines = append(b.lines, s)
		b.mu.Unlock()
	}
} // want "return-without-unlock: b.mu \(locked on line 216\) is still held when the function ends here"

// ---- a package-level mutex ----

var (
	routesMu sync.Mutex
	routes   = map[string]func(){}
)

func Route(path string, h func()) error {
	routesMu.Lock()
	if _, dup := routes[path]; dup {
		return fmt.Errorf("duplicate route %q", path) // want "return-without-unlock: routesMu \(locked on line 231\) is still held"
	}
	routes[path] = h
	routesMu.Unlock()
	return nil
}

// ---- look-alikes ----

// lock is a helper that returns holding the lock: fine.
func (t *Table) lock() { t.mu.Lock() }

// Bump uses the helper.
func (t *Table) Bump(k string) {
	t.lock()
	t.rows[k]++
	t.mu.Unlock()
}

// TryBump gives up when the lock is busy: the early return holds nothing.
func (t *Table) TryBump(k string) bool {
	if !t.mu.TryLock() {
		return false
	}
	t.rows[k]++
	t.mu.Unlock()
	return true
}

// Sync locks only when asked to, and unlocks under the same condition: fine.
func (t *Table) Sync(k string, locked bool) int {
	if locked {
		t.mu.Lock()
	}
	n := t.rows[k]
	if locked {
		t.mu.Unlock()
	}
	return n
}

// Must exits the process on the bad path; nothing is left waiting: fine.
func (t *Table) Must(k string) int {
	t.mu.Lock()
	n, ok := t.rows[k]
	if !ok {
		log.Fatalf("missing row %q", k)
	}
	t.mu.Unlock()
	return n
}

// Release returns the unlock function to the caller: fine.
func (t *Table) Release() func() {
	t.mu.Lock()
	return t.mu.Unlock
}
