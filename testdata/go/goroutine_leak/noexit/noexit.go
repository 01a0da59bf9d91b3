// Package noexit: goroutines whose loops never end.
package noexit

import (
	"log"
	"net"
	"sync"
	"time"
)

type Cache struct {
	mu    sync.Mutex
	items map[string]string
}

// Every cache leaks its janitor.
func NewCache() *Cache {
	c := &Cache{items: map[string]string{}}
	go c.janitor()
	return c
}

func (c *Cache) janitor() {
	for { // want "goroutine-no-exit: this loop never ends and nothing can stop it .*every call of NewCache leaks a goroutine"
		time.Sleep(time.Minute)
		c.mu.Lock()
		c.items = map[string]string{}
		c.mu.Unlock()
	}
}

type Poller struct {
	ticker *time.Ticker
	quit   chan struct{}
}

func (p *Poller) poll() {}

// The break leaves the select, not the loop: Stop cannot end it.
func (p *Poller) Start() {
	go func() {
		for { // want "the goroutine that \\(\\*Poller\\).Start starts runs forever, and \\(\\*Poller\\).Stop cannot end it"
			select {
			case <-p.ticker.C:
				p.poll()
			case <-p.quit:
				break
			}
		}
	}()
}

func (p *Poller) Stop() { close(p.quit) }

type Metrics struct{ samples []float64 }

func (m *Metrics) sample() {}

// A ticker range never ends.
func (m *Metrics) Collect(every time.Duration) {
	go func() {
		for range time.Tick(every) { // want "every call of \\(\\*Metrics\\).Collect leaks a goroutine that runs forever"
			m.sample()
		}
	}()
}

type Server struct {
	handle func(net.Conn)
}

// Accept errors are retried forever, even after the listener is closed.
func (s *Server) Listen(addr string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	go func() {
		for { // want "every call of \\(\\*Server\\).Listen leaks a goroutine"
			conn, err := l.Accept()
			if err != nil {
				log.Print(err)
				continue
			}
			go s.handle(conn)
		}
	}()
	return nil
}

type Dispatcher struct {
	jobs chan func()
}

// Close stops nothing: the worker waits for jobs forever.
func (d *Dispatcher) Run() {
	go func() {
		for { // want "\\(\\*Dispatcher\\).Close cannot end it"
			job := <-d.jobs
			job()
		}
	}()
}

func (d *Dispatcher) Close() error { return nil }

type sink struct {
	startOnce sync.Once
	ticker    *time.Ticker
	flush     func()
}

func (s *sink) start() {
	s.ticker = time.NewTicker(time.Minute)
	go func() {
		for range s.ticker.C { // want "\\(\\*sink\\).Close cannot end it"
			s.flush()
		}
	}()
}

// Once per sink, not once per process; stopping the ticker does not end the range.
func (s *sink) Write(b []byte) {
	s.startOnce.Do(s.start)
}

func (s *sink) Close() error {
	s.ticker.Stop()
	return nil
}
