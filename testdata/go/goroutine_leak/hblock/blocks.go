// Package hblock: goroutines of HTTP handlers that can block forever on server-wide channels and
// WaitGroups, watching no context.
package hblock

import (
	"log"
	"net/http"
	"sync"
)

type Job struct {
	Path string
}

type Server struct {
	jobs     chan Job
	events   chan string
	updates  chan string
	acks     chan bool
	out      chan string
	inflight sync.WaitGroup
	mu       sync.Mutex
	ready    *sync.Cond
	loaded   bool
}

var tokens = make(chan struct{})

// A send on the server's job queue: blocks forever when the workers are busy or gone.
func (s *Server) Enqueue(w http.ResponseWriter, r *http.Request) {
	job := Job{Path: r.URL.Path}
	go func() {
		s.jobs <- job // want "handler-goroutine-blocks: the goroutine started by \\(\\*Server\\).Enqueue can block here forever \\(a channel send on s.jobs, which outlives the request\\) and watches no context"
	}()
	w.WriteHeader(http.StatusAccepted)
}

func (s *Server) publish(ev string) {
	s.events <- ev // want "the goroutine started by \\(\\*Server\\).Publish can block here forever \\(a channel send on s.events"
}

// The same through a method of the package.
func (s *Server) Publish(w http.ResponseWriter, r *http.Request) {
	go s.publish(r.URL.Path)
	w.WriteHeader(http.StatusNoContent)
}

// A receive from a package-level channel nobody may ever send on again.
func Acquire(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	go func() {
		<-tokens // want "the goroutine started by Acquire can block here forever \\(a channel receive on tokens"
		log.Printf("acquired for %s", name)
	}()
	w.WriteHeader(http.StatusAccepted)
}

// A range over a server-wide channel: one more goroutine per request until the server closes it.
func (s *Server) Watch(w http.ResponseWriter, r *http.Request) {
	go func() {
		for u := range s.updates { // want "can block here forever \\(a range over a channel on s.updates"
			log.Print(u)
		}
	}()
	w.WriteHeader(http.StatusOK)
}

// A wait on a server-wide WaitGroup.
func (s *Server) Drain(w http.ResponseWriter, r *http.Request) {
	go func() {
		s.inflight.Wait() // want "started by \\(\\*Server\\).Drain can block here forever \\(a WaitGroup wait on s.inflight"
		log.Print("drained")
	}()
	w.WriteHeader(http.StatusAccepted)
}

// A select whose cases all wait on server channels, with no way out.
func (s *Server) Either(w http.ResponseWriter, r *http.Request) {
	go func() {
		select { // want "started by \\(\\*Server\\).Either can block here forever \\(a select with no way out on channels that outlive the request\\)"
		case s.events <- "either":
		case <-s.acks:
		}
	}()
	w.WriteHeader(http.StatusAccepted)
}

// A sync.Cond wait.
func (s *Server) Await(w http.ResponseWriter, r *http.Request) {
	go func() {
		s.mu.Lock()
		for !s.loaded {
			s.ready.Wait() // want "started by \\(\\*Server\\).Await can block here forever \\(a sync.Cond wait on s.ready"
		}
		s.mu.Unlock()
	}()
	w.WriteHeader(http.StatusAccepted)
}

// A channel captured from the function that builds the handler.
func NewHandler(results chan<- string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		go func() {
			results <- p // want "started by NewHandler can block here forever \\(a channel send on results"
		}()
		w.WriteHeader(http.StatusAccepted)
	}
}

func (s *Server) push(v string) {
	s.out <- v // want "started by \\(\\*Server\\).Forward can block here forever \\(a channel send on s.out"
}

func (s *Server) relay(v string) {
	log.Print(v)
	s.push(v)
}

// Two calls deep.
func (s *Server) Forward(w http.ResponseWriter, r *http.Request) {
	go s.relay(r.URL.Path)
	w.WriteHeader(http.StatusAccepted)
}
