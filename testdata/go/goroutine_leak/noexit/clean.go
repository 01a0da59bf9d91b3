package noexit

import (
	"context"
	"log"
	"net"
	"sync"
	"time"
)

var refresh sync.Once

func reload() {}

// Started once for the process.
func init() {
	go func() {
		for {
			time.Sleep(time.Hour)
			reload()
		}
	}()
}

// Started once, inside sync.Once.
func EnsureRefresher() {
	refresh.Do(func() {
		go func() {
			for range time.Tick(time.Minute) {
				reload()
			}
		}()
	})
}

// The context ends the loop.
func Watch(ctx context.Context, every time.Duration) {
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				reload()
			case <-ctx.Done():
				return
			}
		}
	}()
}

// A labeled break leaves the loop.
func (p *Poller) Run() {
	go func() {
	loop:
		for {
			select {
			case <-p.ticker.C:
				p.poll()
			case <-p.quit:
				break loop
			}
		}
		log.Print("poller stopped")
	}()
}

// The accept loop ends when the listener is closed.
func Serve(l net.Listener, handle func(net.Conn)) {
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go handle(conn)
		}
	}()
}

// A fatal error ends the process.
func MustServe(l net.Listener, handle func(net.Conn)) {
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				log.Fatal(err)
			}
			go handle(conn)
		}
	}()
}

// A range over a channel ends when it is closed.
func Consume(in <-chan string) {
	go func() {
		for s := range in {
			log.Print(s)
		}
	}()
}

// A condition ends the loop.
func Countdown(n int) {
	go func() {
		for n > 0 {
			n--
			time.Sleep(time.Second)
		}
	}()
}

var (
	arbiterMu      sync.Mutex
	arbiterStarted bool
)

func tickAll() {}

// Started at most once per process, guarded by package state.
func Register() {
	arbiterMu.Lock()
	defer arbiterMu.Unlock()
	if !arbiterStarted {
		arbiterStarted = true
		go func() {
			for range time.Tick(5 * time.Second) {
				tickAll()
			}
		}()
	}
}

// Global setup: no parameters, no results.
func setupGC() {
	go func() {
		for range time.Tick(30 * time.Second) {
			reload()
		}
	}()
}

var ingressOnce sync.Once

type daemon struct{ jobs chan func() }

func (d *daemon) startWorker() {
	go func() {
		for {
			job := <-d.jobs
			job()
		}
	}()
}

// A method value run once per process by a package-level Once.
func (d *daemon) Enqueue(job func()) {
	ingressOnce.Do(d.startWorker)
	d.jobs <- job
}
