package registry

import "sync"

// Helpers named ...Locked expect the caller to hold the lock.
func (r *Registry) addLocked(s *Service) {
	r.services[s.Name] = s
}

func (r *Registry) AddAll(ss []*Service) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range ss {
		r.addLocked(s)
	}
}

// Every caller holds the lock.
func (r *Registry) forget(name string) {
	delete(r.refs, name)
	delete(r.bytes, name)
}

func (r *Registry) Forget(name string) {
	r.mu.Lock()
	r.forget(name)
	r.mu.Unlock()
}

func (r *Registry) Reset(names []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range names {
		r.forget(n)
	}
}

// The copy is new and not shared yet.
func (r *Registry) Clone() *Registry {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := NewRegistry()
	for k, v := range r.services {
		c.services[k] = v
	}
	return c
}

// Consistently guarded with an RWMutex.
type Table struct {
	mu   sync.RWMutex
	rows map[int]string
}

func (t *Table) Get(id int) string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.rows[id]
}

func (t *Table) Set(id int, v string) {
	t.mu.Lock()
	t.rows[id] = v
	t.mu.Unlock()
}

func (t *Table) Drop(id int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.rows, id)
}

// Another type with a field of the same name has no mutex and is not shared.
type Builder struct {
	services map[string]*Service
}

func (b *Builder) Add(s *Service) *Builder {
	b.services[s.Name] = s
	return b
}

// Built locally, then published.
func Seed(names []string) *Table {
	t := &Table{rows: map[int]string{}}
	for i, n := range names {
		t.rows[i] = n
	}
	return t
}
