package hblock

import (
	"context"
	"log"
	"net/http"
	"sync"
	"time"
)

type Pool struct {
	ctx     context.Context
	jobs    chan Job
	results chan string
	quit    chan struct{}
	store   func(ctx context.Context, j Job) error
}

// Watches the server's context.
func (p *Pool) Submit(w http.ResponseWriter, r *http.Request) {
	job := Job{Path: r.URL.Path}
	go func() {
		select {
		case p.jobs <- job:
		case <-p.ctx.Done():
		}
	}()
	w.WriteHeader(http.StatusAccepted)
}

// Watches the request's context.
func (p *Pool) SubmitOrLeave(w http.ResponseWriter, r *http.Request) {
	job := Job{Path: r.URL.Path}
	go func() {
		select {
		case p.jobs <- job:
		case <-r.Context().Done():
		}
	}()
	w.WriteHeader(http.StatusAccepted)
}

// Gives up when the queue is full, or after a while.
func (p *Pool) TrySubmit(w http.ResponseWriter, r *http.Request) {
	job := Job{Path: r.URL.Path}
	go func() {
		select {
		case p.jobs <- job:
		default:
			log.Print("queue full")
		}
	}()
	go func() {
		select {
		case p.jobs <- job:
		case <-time.After(time.Second):
		}
	}()
	w.WriteHeader(http.StatusAccepted)
}

// Watches a quit channel.
func (p *Pool) Queue(w http.ResponseWriter, r *http.Request) {
	job := Job{Path: r.URL.Path}
	go func() {
		select {
		case p.jobs <- job:
		case <-p.quit:
		}
	}()
	w.WriteHeader(http.StatusAccepted)
}

// The handler waits for its goroutine.
func (p *Pool) Batch(w http.ResponseWriter, r *http.Request) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		p.jobs <- Job{Path: r.URL.Path}
	}()
	wg.Wait()
	w.WriteHeader(http.StatusOK)
}

// The handler receives what the goroutine sends.
func (p *Pool) Ask(w http.ResponseWriter, r *http.Request) {
	go func() {
		p.results <- "answer"
	}()
	w.Write([]byte(<-p.results))
}

// Blocking reads on a hijacked connection: the websocket pattern.
func Hijack(w http.ResponseWriter, r *http.Request) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	go func() {
		defer conn.Close()
		buf := make([]byte, 512)
		for {
			n, err := conn.Read(buf)
			if err != nil {
				return
			}
			log.Printf("%q", buf[:n])
		}
	}()
}

// Only sleeps.
func Later(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	go func() {
		time.Sleep(time.Second)
		log.Print(path)
	}()
	w.WriteHeader(http.StatusAccepted)
}

// A buffered channel made for the goroutine: the send never waits.
func Buffered(w http.ResponseWriter, r *http.Request) {
	ch := make(chan string, 1)
	go func() {
		ch <- r.URL.Path
	}()
	w.WriteHeader(http.StatusAccepted)
}

// Hands a server context to its work.
func (p *Pool) Store(w http.ResponseWriter, r *http.Request) {
	job := Job{Path: r.URL.Path}
	ctx := p.ctx
	go func() {
		if err := p.store(ctx, job); err == nil {
			p.results <- job.Path
		}
	}()
	w.WriteHeader(http.StatusAccepted)
}

var (
	started bool
	events  = make(chan string)
)

// Started once per process, not once per request.
func Start(w http.ResponseWriter, r *http.Request) {
	if !started {
		started = true
		go func() {
			for ev := range events {
				log.Print(ev)
			}
		}()
	}
	w.WriteHeader(http.StatusOK)
}

// Not a handler: a worker started by a constructor.
func NewPool() *Pool {
	p := &Pool{jobs: make(chan Job), results: make(chan string), quit: make(chan struct{})}
	go func() {
		for j := range p.jobs {
			p.results <- j.Path
		}
	}()
	return p
}

// A channel made by the function that builds the handler, buffered and received from there.
func Collect(n int) (http.Handler, <-chan string) {
	seen := make(chan string, n)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		go func() {
			seen <- p
		}()
		w.WriteHeader(http.StatusAccepted)
	})
	return h, seen
}

type Cache struct {
	warm chan struct{}
	data map[string]string
}

func (c *Cache) markWarm() { close(c.warm) }

// Waits for a broadcast: the package closes c.warm once the cache is filled.
func (c *Cache) Prefetch(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("key")
	go func() {
		<-c.warm
		log.Print(c.data[key])
	}()
	w.WriteHeader(http.StatusAccepted)
}
