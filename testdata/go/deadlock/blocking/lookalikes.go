package blocking

import (
	"sync"
	"time"
)

// ---- shapes from real code that block under a lock safely ----

type Builder struct {
	mu    sync.Mutex
	ready chan bool
	queue []int
}

// NewBuilder sizes the channel for every action, so sends never wait.
func NewBuilder(n int) *Builder {
	b := &Builder{ready: make(chan bool, n)}
	for i := 0; i < 4; i++ {
		go b.work()
	}
	return b
}

func (b *Builder) work() {
	for range b.ready {
		b.mu.Lock()
		b.queue = b.queue[1:]
		b.mu.Unlock()
	}
}

// Push sends under the lock on the buffered channel: fine.
func (b *Builder) Push(x int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.queue = append(b.queue, x)
	b.ready <- true
}

type Proxy struct {
	connsMu sync.Mutex // protects conns.Add/Wait from concurrent access
	conns   sync.WaitGroup
	closing chan struct{}
}

func (p *Proxy) handle() {
	p.connsMu.Lock()
	p.conns.Add(1)
	p.connsMu.Unlock()
	defer p.conns.Done()
	<-p.closing
}

func (p *Proxy) Serve(n int) {
	for i := 0; i < n; i++ {
		go p.handle()
	}
}

// Close waits under the lock that only guards Add: the handlers take it before Add, not before Done: fine.
func (p *Proxy) Close() {
	close(p.closing)
	p.connsMu.Lock()
	p.conns.Wait()
	p.connsMu.Unlock()
}

type Poller struct {
	mu      sync.Mutex
	results chan int
	last    int
}

func (p *Poller) Start() {
	go p.collect()
}

func (p *Poller) collect() {
	for {
		select {
		case r := <-p.results:
			p.mu.Lock()
			p.last = r
			p.mu.Unlock()
		case <-time.After(time.Second):
			return
		}
	}
}

// Report sends under the lock to a receiver that gives up after a second: fine.
func (p *Poller) Report(r int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.results <- r
}
