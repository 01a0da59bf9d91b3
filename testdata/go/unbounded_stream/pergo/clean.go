package pergo

import (
	"context"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"example.com/analysistest/internal/errgroup"
)

func (w *Worker) Semaphore() {
	sem := make(chan struct{}, 8)
	for job := range w.jobs {
		sem <- struct{}{}
		go func(j Job) {
			defer func() { <-sem }()
			w.process(j)
		}(job)
	}
}

func (w *Worker) Inside() {
	sem := make(chan struct{}, 8)
	for job := range w.jobs {
		go func(j Job) {
			sem <- struct{}{}
			defer func() { <-sem }()
			w.process(j)
		}(job)
	}
}

func (w *Worker) Limited(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for job := range w.jobs {
		job := job
		g.Go(func() error {
			w.process(job)
			return ctx.Err()
		})
	}
	return g.Wait()
}

func serve(l net.Listener, handle func(net.Conn)) error {
	for {
		conn, err := l.Accept()
		if err != nil {
			return err
		}
		go handle(conn)
	}
}

func (w *Worker) Refresh(t *time.Ticker, refresh func()) {
	for range t.C {
		go refresh()
	}
}

func (w *Worker) Slice(jobs []Job) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func(j Job) {
			defer wg.Done()
			w.process(j)
		}(j)
	}
	wg.Wait()
}

func (w *Worker) Batches(batches chan []Job) {
	for b := range batches {
		var wg sync.WaitGroup
		for _, j := range b {
			wg.Add(1)
			go func(j Job) {
				defer wg.Done()
				w.process(j)
			}(j)
		}
		wg.Wait()
	}
}

func (w *Worker) Stop(ctx context.Context, cleanup func()) {
	for {
		select {
		case j := <-w.jobs:
			w.process(j)
		case <-ctx.Done():
			go cleanup()
			return
		}
	}
}

func (w *Worker) Kick(kick chan struct{}, refresh func()) {
	for range kick {
		go refresh()
	}
}

func (w *Worker) Wait() {
	done := make(chan struct{})
	for job := range w.jobs {
		go func(j Job) {
			w.process(j)
			done <- struct{}{}
		}(job)
		<-done
	}
}

func (w *Worker) Pool(n int) {
	for i := 0; i < n; i++ {
		go func() {
			for j := range w.jobs {
				w.process(j)
			}
		}()
	}
}

func (w *Worker) Counted(max int64) {
	var active int64
	for job := range w.jobs {
		if atomic.LoadInt64(&active) >= max {
			continue
		}
		atomic.AddInt64(&active, 1)
		go func(j Job) {
			defer atomic.AddInt64(&active, -1)
			w.process(j)
		}(job)
	}
}

// Conns hands each connection to its own goroutine: the accept loop of a server, in channel form.
type Conns struct {
	incoming chan net.Conn
	streams  func() <-chan net.Conn
}

func (c *Conns) Serve(handle func(net.Conn)) {
	for conn := range c.incoming {
		go handle(conn)
	}
}

func (c *Conns) Listen(shutdown <-chan struct{}, handle func(net.Conn)) {
	for {
		select {
		case conn := <-c.streams():
			go handle(conn)
		case <-shutdown:
			return
		}
	}
}

// Watchers starts one long-lived goroutine per subscriber.
type Watchers struct {
	reqs chan chan Job
	jobs chan Job
}

func (w *Watchers) run() {
	for sub := range w.reqs {
		go w.serve(sub)
	}
}

func (w *Watchers) serve(sub chan Job) {
	for j := range w.jobs {
		sub <- j
	}
}

// walk visits a graph: the goroutines feed the worklist themselves.
func walk(root Job, children func(Job) []Job) {
	grays := make(chan Job, 64)
	var wg sync.WaitGroup
	wg.Add(1)
	grays <- root
	go func() {
		wg.Wait()
		close(grays)
	}()
	for gray := range grays {
		go func(n Job) {
			defer wg.Done()
			for _, c := range children(n) {
				wg.Add(1)
				grays <- c
			}
		}(gray)
	}
}

// Reader reads frames one at a time, each in a goroutine so that closing stays responsive.
func (w *Worker) Reader(read func() (Job, error), closing <-chan struct{}) {
	ready := make(chan struct{}, 1)
	for {
		var j Job
		var err error
		go func() {
			j, err = read()
			ready <- struct{}{}
		}()
		select {
		case <-ready:
			if err != nil {
				log.Print(err)
				return
			}
			w.process(j)
		case <-closing:
			return
		}
	}
}
