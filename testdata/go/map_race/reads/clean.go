package reads

import "sync"

func (s *Store) Get(k string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.data[k]
	return v, ok
}

// The caller holds the lock.
func (s *Store) ownerLocked(k string) string {
	return s.owners[k]
}

func (s *Store) Owner(k string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ownerLocked(k)
}

// Every caller holds the lock.
func (s *Store) valueOf(k string) string {
	return s.data[k]
}

func (s *Store) Pair(k string) (string, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.valueOf(k), s.owners[k]
}

// Read while filling a new store that nobody else sees yet.
func Copy(src map[string]string) *Store {
	s := NewStore()
	for k, v := range src {
		s.data[k] = v
	}
	_ = s.data["x"]
	return s
}

// Written only before the struct is shared, so reads need no lock.
type Codes struct {
	mu    sync.Mutex
	names map[int]string
	last  int
}

func NewCodes() *Codes {
	c := &Codes{names: map[int]string{}}
	c.names[200] = "OK"
	c.names[404] = "Not Found"
	return c
}

func (c *Codes) Name(code int) string {
	return c.names[code]
}

func (c *Codes) Record(code int) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.last = code
	return c.names[code]
}

type Metrics struct {
	mu     sync.RWMutex
	counts map[string]int
}

func (m *Metrics) Inc(k string) {
	m.mu.Lock()
	m.counts[k]++
	m.mu.Unlock()
}

// Read under the read lock.
func (m *Metrics) Get(k string) int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.counts[k]
}
