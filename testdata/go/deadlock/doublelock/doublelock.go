// Package doublelock holds mutexes locked twice by the same goroutine and look-alikes that are fine.
package doublelock

import (
	"errors"
	"sync"
	"time"
)

// ---- a cache whose methods call each other ----

type entry struct {
	val     []byte
	expires time.Time
}

type Cache struct {
	mu      sync.Mutex
	items   map[string]entry
	max     int
	onEvict func(string)
	hits    int
}

// evict drops expired entries; it takes the lock itself.
func (c *Cache) evict(now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.items {
		if now.After(e.expires) {
			delete(c.items, k)
		}
	}
}

// evictLocked is the variant for callers that hold c.mu.
func (c *Cache) evictLocked(now time.Time) {
	for k, e := range c.items {
		if now.After(e.expires) {
			delete(c.items, k)
		}
	}
}

// Put calls evict, which locks c.mu again.
func (c *Cache) Put(k string, v []byte, ttl time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.items) >= c.max {
		c.evict(time.Now()) // want "deadlock/double-lock: c.evict locks c.mu, which is already held here \(locked on line 47\): the goroutine blocks on itself forever"
	}
	c.items[k] = entry{val: v, expires: time.Now().Add(ttl)}
}

// Set uses the locked variant: fine.
func (c *Cache) Set(k string, v []byte, ttl time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.items) >= c.max {
		c.evictLocked(time.Now())
	}
	c.items[k] = entry{val: v, expires: time.Now().Add(ttl)}
}

// Sweep releases the lock before calling evict: fine.
func (c *Cache) Sweep() int {
	c.mu.Lock()
	n := len(c.items)
	c.mu.Unlock()
	c.evict(time.Now())
	return n
}

// Refresh starts evict in its own goroutine, which just waits for the lock: fine.
func (c *Cache) Refresh() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hits = 0
	go c.evict(time.Now())
}

// SetHook stores a callback that locks; it does not run under the lock: fine.
func (c *Cache) SetHook() {
	c.mu.Lock()
	c.onEvict = func(k string) {
		c.mu.Lock()
		delete(c.items, k)
		c.mu.Unlock()
	}
	c.mu.Unlock()
}

// ---- a registry that locks twice directly ----

type Handler func([]byte) error

type Registry struct {
	mu       sync.Mutex
	handlers map[string]Handler
}

// Register meant to unlock at the end and locked again instead.
func (r *Registry) Register(name string, h Handler) {
	r.mu.Lock()
	r.handlers[name] = h
	r.mu.Lock() // want "double-lock: r.mu is locked again while already held \(locked on line 104\): the goroutine blocks on itself forever"
}

// ---- read locks ----

type Config struct {
	mu     sync.RWMutex
	values map[string]string
	stale  bool
	other  sync.RWMutex
	loaded time.Time
}

func (c *Config) reload() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.values = map[string]string{}
	c.stale = false
}

// Get upgrades its read lock by calling reload, which needs the write lock.
func (c *Config) Get(k string) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.stale {
		c.reload() // want "double-lock: c.reload locks c.mu while this goroutine holds a read lock on it \(line 128\): Lock waits for every reader, this one included, forever"
	}
	return c.values[k]
}

// Keys takes the read lock.
func (c *Config) Keys() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	keys := make([]string, 0, len(c.values))
	for k := range c.values {
		keys = append(keys, k)
	}
	return keys
}

// Len read-locks again through Keys.
func (c *Config) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.Keys()) // want "double-lock: c.Keys read-locks c.mu, which this goroutine already read-locks \(line 149\): if a writer calls Lock in between, both block forever"
}

// Loaded reads under a different RWMutex: fine.
func (c *Config) Loaded() time.Time {
	c.other.RLock()
	defer c.other.RUnlock()
	_ = c.Keys()
	return c.loaded
}

// Reset drops the read lock before it reloads: fine.
func (c *Config) Reset() {
	c.mu.RLock()
	stale := c.stale
	c.mu.RUnlock()
	if stale {
		c.reload()
	}
}

// ---- a pool whose lock is reached two calls down, through an embedded mutex ----

type conn struct {
	id     int
	closed bool
}

type Pool struct {
	sync.Mutex
	idle []*conn
	open int
}

func (p *Pool) release() {
	p.Lock()
	p.open--
	p.Unlock()
}

func (p *Pool) closeConn(c *conn) {
	c.closed = true
	p.release()
}

// Close holds the pool lock while closeConn reaches release.
func (p *Pool) Close() {
	p.Lock()
	defer p.Unlock()
	for _, c := range p.idle {
		p.closeConn(c) // want "double-lock: p.closeConn locks p.Mutex, which is already held here \(locked on line 198\)"
	}
	p.idle = nil
}

// Drain closes the connections after releasing the lock: fine.
func (p *Pool) Drain() {
	p.Lock()
	idle := p.idle
	p.idle = nil
	p.Unlock()
	for _, c := range idle {
		p.closeConn(c)
	}
}

// ---- a package-level mutex ----

var (
	codecsMu sync.Mutex
	codecs   = map[string]func([]byte) error{}
)

func lookup(name string) func([]byte) error {
	codecsMu.Lock()
	defer codecsMu.Unlock()
	return codecs[name]
}

// RegisterCodec checks for duplicates with lookup, which locks codecsMu again.
func RegisterCodec(name string, fn func([]byte) error) error {
	codecsMu.Lock()
	defer codecsMu.Unlock()
	if lookup(name) != nil { // want "double-lock: lookup locks codecsMu, which is already held here \(locked on line 232\)"
		return errors.New("codec already registered: " + name)
	}
	codecs[name] = fn
	return nil
}

// ---- a loop that skips the unlock ----

type job struct {
	id   int
	done bool
}

type Queue struct {
	mu      sync.Mutex
	pending []job
}

// Enqueue continues without unlocking; the next iteration locks again.
func (q *Queue) Enqueue(jobs []job) {
	for _, j := range jobs {
		q.mu.Lock() // want "double-lock: q.mu is locked again in the next iteration while still held: the path through line 258 skips the Unlock"
		if j.done {
			continue
		}
		q.pending = append(q.pending, j)
		q.mu.Unlock()
	}
}

// EnqueueAll unlocks before continuing: fine.
func (q *Queue) EnqueueAll(jobs []job) {
	for _, j := range jobs {
		q.mu.Lock()
		if j.done {
			q.mu.Unlock()
			continue
		}
		q.pending = append(q.pending, j)
		q.mu.Unlock()
	}
}

// ---- trees: the same field of another instance ----

type node struct {
	mu       sync.Mutex
	parent   *node
	children []*node
	size     int
}

func (n *node) grow(d int) {
	n.mu.Lock()
	n.size += d
	n.mu.Unlock()
}

// Add locks the child and then grows the parent: another node, another mutex: fine.
func (n *node) Add(c *node) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.children = append(n.children, c)
	if n.parent != nil {
		n.parent.grow(1)
	}
}

// ---- conditional locking and TryLock ----

type Counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *Counter) inc(k string) {
	c.mu.Lock()
	c.n[k]++
	c.mu.Unlock()
}

// tryInc does not block when the lock is taken.
func (c *Counter) tryInc(k string) bool {
	if !c.mu.TryLock() {
		return false
	}
	defer c.mu.Unlock()
	c.n[k]++
	return true
}

// Bump holds the lock only when asked to, and inc runs outside it: fine.
func (c *Counter) Bump(k string, locked bool) {
	if locked {
		c.mu.Lock()
		c.n[k]--
		c.mu.Unlock()
	}
	c.inc(k)
}

// Touch calls tryInc, which gives up instead of blocking: fine.
func (c *Counter) Touch(k string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tryInc(k)
}
