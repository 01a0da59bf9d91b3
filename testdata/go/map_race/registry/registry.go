// Package registry: struct maps whose mutex is not taken on every write.
package registry

import (
	"errors"
	"net/http"
	"sync"
)

type Service struct {
	Name string
	Addr string
}

type Registry struct {
	mu       sync.Mutex
	services map[string]*Service
	refs     map[string]int
	bytes    map[string]int64
}

func NewRegistry() *Registry {
	r := &Registry{
		services: map[string]*Service{},
		refs:     map[string]int{},
		bytes:    map[string]int64{},
	}
	r.services["self"] = &Service{Name: "self"}
	return r
}

func (r *Registry) Lookup(name string) (*Service, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, ok := r.services[name]
	if !ok {
		return nil, errors.New("not found")
	}
	r.refs[name]++
	return s, nil
}

func (r *Registry) Retain(name string) {
	r.mu.Lock()
	r.refs[name]++
	r.mu.Unlock()
}

func (r *Registry) Usage(name string) (int, int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.refs[name], r.bytes[name]
}

func (r *Registry) Register(s *Service) {
	r.services[s.Name] = s // want "unguarded-write: map r.services is written without r.mu, which guards it at line 35.*concurrent map writes"
}

func (r *Registry) Deregister(name string) {
	delete(r.services, name) // want "map r.services is written without r.mu"
}

func (r *Registry) Release(name string) {
	r.refs[name]-- // want "map r.refs is written without r.mu"
}

func (r *Registry) Account(name string, n int64) {
	r.mu.Lock()
	r.bytes[name] += n
	r.mu.Unlock()
}

// The lock is released before the write.
func (r *Registry) Rename(from, to string) {
	r.mu.Lock()
	s := r.services[from]
	r.mu.Unlock()
	if s == nil {
		return
	}
	r.bytes[to] = r.bytesOf(from) // want "map r.bytes is written without r.mu"
}

func (r *Registry) bytesOf(name string) int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.bytes[name]
}

// Locked on one branch only.
func (r *Registry) Touch(name string, force bool) {
	if !force {
		r.mu.Lock()
		defer r.mu.Unlock()
	}
	r.refs[name] = 1 // want "map r.refs is written without r.mu"
}

// Taken around the statement: the function locks elsewhere.
func (r *Registry) Move(from, to string) *Service {
	r.mu.Lock()
	s := r.services[from]
	r.mu.Unlock()
	r.refs[to] = 1 // want "map r.refs is written without r.mu"
	return s
}

type Pool struct {
	sync.Mutex
	conns map[string]int
}

func (p *Pool) Get(addr string) int {
	p.Lock()
	defer p.Unlock()
	return p.conns[addr]
}

func (p *Pool) Close(addr string) {
	p.Lock()
	delete(p.conns, addr)
	p.Unlock()
}

func (p *Pool) Put(addr string, c int) {
	p.conns[addr] = c // want "map p.conns is written without p.Mutex"
}

// A handler's receiver is shared by every request.
type Stats struct {
	byPath map[string]int
}

func (s *Stats) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.byPath[r.URL.Path]++ // want "map s.byPath is written in an HTTP handler without a lock: every request shares the handler"
}
