// Package order holds pairs of mutexes taken in opposite orders on two paths, and look-alikes that
// are fine.
package order

import (
	"sync"
	"time"
)

// ---- a server and its sessions ----

type Server struct {
	mu       sync.Mutex
	sessions map[string]*Session
}

type Session struct {
	mu     sync.Mutex
	id     string
	server *Server
	closed bool
}

// Evict locks the server, then each session.
func (s *Server) Evict(idle time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, sess := range s.sessions {
		sess.mu.Lock()
		if sess.closed {
			delete(s.sessions, id)
		}
		sess.mu.Unlock()
	}
}

func (s *Server) remove(id string) {
	s.mu.Lock()
	delete(s.sessions, id)
	s.mu.Unlock()
}

// Close locks the session, then the server through remove.
func (sess *Session) Close() {
	sess.mu.Lock()
	defer sess.mu.Unlock()
	sess.closed = true
	sess.server.remove(sess.id) // want "deadlock/lock-order-inversion: Server.mu is locked \(in sess.server.remove\) while holding Session.mu here, but Server.Evict locks them in the opposite order \(line 29\): when both run at once each waits for the other forever"
}

// ---- two package-level mutexes ----

var (
	configMu sync.Mutex
	statsMu  sync.Mutex
	config   = map[string]string{}
	stats    = map[string]int{}
)

func Reload(next map[string]string) {
	configMu.Lock()
	defer configMu.Unlock()
	config = next
	statsMu.Lock()
	stats["reloads"]++
	statsMu.Unlock()
}

func Report() map[string]int {
	statsMu.Lock()
	defer statsMu.Unlock()
	configMu.Lock() // want "lock-order-inversion: configMu is locked while holding statsMu here, but Reload locks them in the opposite order \(line 64\)"
	stats["keys"] = len(config)
	configMu.Unlock()
	out := map[string]int{}
	for k, v := range stats {
		out[k] = v
	}
	return out
}

// ---- a client with two field mutexes ----

type Client struct {
	connMu  sync.Mutex
	stateMu sync.Mutex
	conn    []byte
	state   int
}

func (c *Client) Dial() {
	c.connMu.Lock()
	defer c.connMu.Unlock()
	c.stateMu.Lock()
	c.state = 1
	c.stateMu.Unlock()
	c.conn = []byte{}
}

func (c *Client) setState(s int) {
	c.stateMu.Lock()
	defer c.stateMu.Unlock()
	c.state = s
	if s == 0 {
		c.connMu.Lock() // want "lock-order-inversion: Client.connMu is locked while holding Client.stateMu here, but Client.Dial locks them in the opposite order \(line 94\)"
		c.conn = nil
		c.connMu.Unlock()
	}
}

// ---- a registry and its services, read and write locks ----

type Registry struct {
	mu       sync.RWMutex
	services map[string]*Service
}

type Service struct {
	mu       sync.Mutex
	name     string
	healthy  bool
	registry *Registry
}

func (svc *Service) Healthy() bool {
	svc.mu.Lock()
	defer svc.mu.Unlock()
	return svc.healthy
}

// Healthy lists the healthy services under the registry's read lock.
func (r *Registry) Healthy() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []string
	for name, svc := range r.services {
		if svc.Healthy() {
			out = append(out, name)
		}
	}
	return out
}

func (r *Registry) drop(name string) {
	r.mu.Lock()
	delete(r.services, name)
	r.mu.Unlock()
}

// Deregister holds the service lock while it takes the registry's write lock.
func (svc *Service) Deregister() {
	svc.mu.Lock()
	defer svc.mu.Unlock()
	svc.healthy = false
	svc.registry.drop(svc.name) // want "lock-order-inversion: Registry.mu is locked \(in svc.registry.drop\) while holding Service.mu here, but Registry.Healthy locks them in the opposite order \(line 137\)"
}

// ---- an index and a cache that read each other ----

type Index struct {
	mu   sync.RWMutex
	keys []string
}

type Store struct {
	mu    sync.RWMutex
	data  map[string][]byte
	index *Index
}

// Rebuild write-locks the index, then read-locks the store.
func (ix *Index) Rebuild(s *Store) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.keys = ix.keys[:0]
	s.mu.RLock()
	for k := range s.data {
		ix.keys = append(ix.keys, k)
	}
	s.mu.RUnlock()
}

// Put write-locks the store, then read-locks the index.
func (s *Store) Put(k string, v []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data[k] = v
	s.index.mu.RLock() // want "lock-order-inversion: Index.mu is read-locked while holding Store.mu here, but Index.Rebuild locks them in the opposite order \(line 176\)"
	_ = len(s.index.keys)
	s.index.mu.RUnlock()
}

// ---- look-alikes ----

type Account struct {
	mu      sync.Mutex
	balance int
	ledger  *Ledger
}

type Ledger struct {
	mu      sync.Mutex
	entries []int
}

// Deposit locks the account, then the ledger.
func (a *Account) Deposit(n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.balance += n
	a.ledger.mu.Lock()
	a.ledger.entries = append(a.ledger.entries, n)
	a.ledger.mu.Unlock()
}

// Withdraw takes them in the same order: fine.
func (a *Account) Withdraw(n int) {
	a.mu.Lock()
	a.balance -= n
	a.ledger.mu.Lock()
	a.ledger.entries = append(a.ledger.entries, -n)
	a.ledger.mu.Unlock()
	a.mu.Unlock()
}

// Audit releases the ledger before it locks the account: fine.
func (l *Ledger) Audit(a *Account) int {
	l.mu.Lock()
	n := len(l.entries)
	l.mu.Unlock()
	a.mu.Lock()
	defer a.mu.Unlock()
	return n + a.balance
}

// Rotate uses TryLock for the second lock, so it never waits holding the first: fine.
func (l *Ledger) Rotate(a *Account) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !a.mu.TryLock() {
		return false
	}
	defer a.mu.Unlock()
	l.entries = nil
	return true
}

// Notify starts a goroutine for the other lock instead of waiting for it: fine.
func (l *Ledger) Notify(a *Account) {
	l.mu.Lock()
	defer l.mu.Unlock()
	go func() {
		a.mu.Lock()
		a.balance++
		a.mu.Unlock()
	}()
}

// ---- read locks on both sides never wait for each other ----

type Routes struct {
	mu    sync.RWMutex
	table map[string]string
	peers *Peers
}

type Peers struct {
	mu    sync.RWMutex
	addrs []string
}

func (r *Routes) Lookup(k string) (string, int) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	r.peers.mu.RLock()
	n := len(r.peers.addrs)
	r.peers.mu.RUnlock()
	return r.table[k], n
}

func (p *Peers) Describe(r *Routes) int {
	p.mu.RLock()
	defer p.mu.RUnlock()
	r.mu.RLock()
	n := len(r.table)
	r.mu.RUnlock()
	return n + len(p.addrs)
}

// ---- both orders in one function, one after the other ----

var (
	aMu, bMu sync.Mutex
	a, b     int
)

func Swap() {
	aMu.Lock()
	bMu.Lock()
	a, b = b, a
	bMu.Unlock()
	aMu.Unlock()

	bMu.Lock()
	aMu.Lock()
	a++
	aMu.Unlock()
	bMu.Unlock()
}
