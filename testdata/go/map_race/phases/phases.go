// Package phases: maps shared in phases the lock sets alone do not show. Nothing here is reported
// except the last function.
package phases

import (
	"sync"
	"time"
)

type Server struct {
	mu      sync.Mutex
	conns   map[string]int
	pending map[string]time.Time
	cond    *sync.Cond
	wg      sync.WaitGroup
}

func NewServer() *Server {
	s := &Server{conns: map[string]int{}, pending: map[string]time.Time{}}
	s.cond = sync.NewCond(&s.mu)
	s.restore([]string{"a", "b"})
	return s
}

// Called only on the new server, before anyone else has it.
func (s *Server) restore(names []string) {
	for i, n := range names {
		s.conns[n] = i
	}
}

func (s *Server) Add(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conns[name]++
}

func (s *Server) Count(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns[name]
}

// Serve fills the map before it starts the workers, and reads it after they are gone.
func (s *Server) Serve(names []string) {
	s.conns["serve"] = 0
	for _, n := range names {
		s.wg.Add(1)
		go func(n string) {
			defer s.wg.Done()
			s.Add(n)
		}(n)
	}
	s.wg.Wait()
	for n := range s.conns {
		_ = n
	}
}

// The condition variable's lock is the mutex.
func (s *Server) Wait(name string) {
	s.cond.L.Lock()
	for s.conns[name] == 0 {
		s.cond.Wait()
	}
	s.cond.L.Unlock()
}

func (s *Server) withLock(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
}

// A literal handed to a lock wrapper runs under the lock.
func (s *Server) Reset(name string) {
	s.withLock(func() {
		delete(s.conns, name)
	})
}

// Dump is for debugging only and must not be called concurrently with Add.
func (s *Server) Dump() []string {
	var out []string
	for n := range s.conns {
		out = append(out, n)
	}
	return out
}

var (
	zonesOnce sync.Once
	zones     map[string]int
)

func loadZones() {
	zones = map[string]int{}
	zones["utc"] = 0
}

// Filled once under sync.Once through a function value.
func Zone(name string) int {
	zonesOnce.Do(loadZones)
	return zones[name]
}

// Touch forgets the lock: reported.
func (s *Server) Touch(name string) {
	s.pending[name] = time.Now() // want "map s.pending is written without s.mu"
	s.mu.Lock()
	s.pending[name+"/seen"] = time.Now()
	s.mu.Unlock()
}

func (s *Server) Expire(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.pending, name)
}

func (s *Server) Since(name string) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return time.Since(s.pending[name])
}
