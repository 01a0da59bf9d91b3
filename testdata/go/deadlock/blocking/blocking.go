// Package blocking holds channel operations and waits inside critical sections whose other side needs
// the same lock, and look-alikes that are fine.
package blocking

import (
	"context"
	"sync"
	"time"
)

// ---- pub/sub: publishing under the lock, subscribers lock to count ----

type Message struct {
	Topic string
	Body  []byte
}

type subscriber struct {
	ch     chan Message
	broker *Broker
}

type Broker struct {
	mu        sync.Mutex
	subs      map[string][]*subscriber
	delivered int
}

func (b *Broker) Subscribe(topic string, handle func(Message)) {
	s := &subscriber{ch: make(chan Message), broker: b}
	b.mu.Lock()
	b.subs[topic] = append(b.subs[topic], s)
	b.mu.Unlock()
	go s.loop(handle)
}

func (s *subscriber) loop(handle func(Message)) {
	for m := range s.ch {
		handle(m)
		s.broker.mu.Lock()
		s.broker.delivered++
		s.broker.mu.Unlock()
	}
}

// Publish sends while holding b.mu; a subscriber that is counting waits for b.mu and never receives.
func (b *Broker) Publish(m Message) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.subs[m.Topic] {
		s.ch <- m // want "deadlock/blocking-under-lock: send on s.ch while holding b.mu \(locked on line 48\): the receiver \(subscriber.loop\) locks Broker.mu before it receives again, so both block forever"
	}
}

// PublishCopy copies the subscribers under the lock and sends outside it: fine.
func (b *Broker) PublishCopy(m Message) {
	b.mu.Lock()
	subs := append([]*subscriber(nil), b.subs[m.Topic]...)
	b.mu.Unlock()
	for _, s := range subs {
		s.ch <- m
	}
}

// TryPublish drops the message when a subscriber is busy: fine.
func (b *Broker) TryPublish(m Message) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.subs[m.Topic] {
		select {
		case s.ch <- m:
		default:
		}
	}
}

// PublishCtx gives up when the context ends: fine.
func (b *Broker) PublishCtx(ctx context.Context, m Message) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.subs[m.Topic] {
		select {
		case s.ch <- m:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// ---- a cache with an eviction goroutine ----

type Cache struct {
	mu        sync.Mutex
	items     map[string][]byte
	evictions chan string
}

func NewCache() *Cache {
	c := &Cache{items: map[string][]byte{}, evictions: make(chan string)}
	go c.evictLoop()
	return c
}

func (c *Cache) evictLoop() {
	for k := range c.evictions {
		c.mu.Lock()
		delete(c.items, k)
		c.mu.Unlock()
	}
}

// Invalidate queues the eviction with c.mu held.
func (c *Cache) Invalidate(k string) {
	c.mu.Lock()
	if _, ok := c.items[k]; ok {
		c.evictions <- k // want "blocking-under-lock: send on c.evictions while holding c.mu \(locked on line 115\): the receiver \(Cache.evictLoop\) locks Cache.mu"
	}
	c.mu.Unlock()
}

// ---- a worker that reports back ----

type Worker struct {
	mu       sync.Mutex
	quit     chan struct{}
	done     chan struct{}
	flushed  int
	stopping bool
}

func (w *Worker) Start() {
	go w.run()
}

func (w *Worker) run() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-w.quit:
			w.mu.Lock()
			w.flushed++
			w.mu.Unlock()
			w.done <- struct{}{}
			return
		}
	}
}

// Stop waits for the worker while holding the lock the worker needs to finish.
func (w *Worker) Stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopping = true
	close(w.quit)
	<-w.done // want "blocking-under-lock: receive from w.done while holding w.mu \(locked on line 154\): the sender \(Worker.run\) locks Worker.mu before it sends, so both block forever"
}

// ---- a pool that waits for its workers ----

type Pool struct {
	mu     sync.Mutex
	wg     sync.WaitGroup
	closed bool
	served int
	jobs   chan func()
}

func (p *Pool) Go(n int) {
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go p.work()
	}
}

func (p *Pool) work() {
	defer p.wg.Done()
	for j := range p.jobs {
		j()
		p.mu.Lock()
		p.served++
		p.mu.Unlock()
	}
}

// Close waits for the workers with p.mu held; a worker that finishes a job waits for p.mu.
func (p *Pool) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	close(p.jobs)
	p.wg.Wait() // want "blocking-under-lock: p.wg.Wait\(\) while holding p.mu \(locked on line 190\): the goroutines it waits for \(Pool.work\) lock Pool.mu before Done, so both block forever"
}

// Shutdown closes under the lock and waits after releasing it: fine.
func (p *Pool) Shutdown() {
	p.mu.Lock()
	p.closed = true
	close(p.jobs)
	p.mu.Unlock()
	p.wg.Wait()
}

// ---- a server that waits for a cleanup goroutine ----

type Server struct {
	mu    sync.Mutex
	conns map[int]bool
	wg    sync.WaitGroup
	stats int
}

// Shutdown waits for a goroutine that needs s.mu to make progress.
func (s *Server) Shutdown() {
	done := make(chan struct{})
	go func() {
		s.mu.Lock()
		s.conns = nil
		s.mu.Unlock()
		close(done)
	}()
	s.mu.Lock()
	defer s.mu.Unlock()
	<-done // want "blocking-under-lock: receive from done while holding s.mu \(locked on line 224\): the sender \(a goroutine started in Server.Shutdown\) locks Server.mu before it closes the channel, so both block forever"
}

// Wait waits for goroutines that never touch s.mu: fine.
func (s *Server) Wait(ids []int) {
	for range ids {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			time.Sleep(time.Millisecond)
		}()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wg.Wait()
	s.stats++
}

// ---- condition variables ----

type Queue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []int
}

func NewQueue() *Queue {
	q := &Queue{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

func (q *Queue) Put(x int) {
	q.mu.Lock()
	q.items = append(q.items, x)
	q.mu.Unlock()
	q.cond.Signal()
}

// Take waits on the condition of its own lock, which Wait releases: fine.
func (q *Queue) Take() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait()
	}
	x := q.items[0]
	q.items = q.items[1:]
	return x
}

// ---- a logger with a consumer that does not lock ----

type Logger struct {
	mu    sync.Mutex
	lines chan string
	n     int
}

func NewLogger(write func(string)) *Logger {
	l := &Logger{lines: make(chan string, 64)}
	go func() {
		for s := range l.lines {
			write(s)
		}
	}()
	return l
}

// Log sends under the lock to a consumer that never takes it: fine.
func (l *Logger) Log(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n++
	l.lines <- s
}

// ---- a condition variable waited on while holding another lock ----

type Mailbox struct {
	mu    sync.Mutex // serializes readers and writers
	cmu   sync.Mutex
	cond  *sync.Cond
	mail  []string
	reads int
}

func NewMailbox() *Mailbox {
	m := &Mailbox{}
	m.cond = sync.NewCond(&m.cmu)
	return m
}

func (m *Mailbox) Deliver(s string) {
	m.mu.Lock()
	m.cmu.Lock()
	m.mail = append(m.mail, s)
	m.cmu.Unlock()
	m.mu.Unlock()
	m.cond.Broadcast()
}

// Read waits with m.mu held; Wait releases only m.cmu, and Deliver needs m.mu.
func (m *Mailbox) Read() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.cmu.Lock()
	defer m.cmu.Unlock()
	for len(m.mail) == 0 {
		m.cond.Wait() // want "blocking-under-lock: m.cond.Wait\(\) while holding m.mu \(locked on line 330\): Wait releases only m.cmu, and the signaller \(Mailbox.Deliver\) locks Mailbox.mu before it signals, so both block forever"
	}
	s := m.mail[0]
	m.mail = m.mail[1:]
	m.reads++
	return s
}
