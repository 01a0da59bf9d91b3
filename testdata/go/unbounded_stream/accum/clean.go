package accum

import (
	"bufio"
	"errors"
	"io"
	"net/http"
	"os"
	"time"

	"example.com/analysistest/internal/pb"
)

const maxChunks = 1024

func (s *Server) Bounded(stream pb.Store_UploadServer) error {
	var chunks []*pb.Chunk
	for {
		c, err := stream.Recv()
		if err == io.EOF {
			return s.store(chunks)
		}
		if err != nil {
			return err
		}
		if len(chunks) == maxChunks {
			return errors.New("upload too large")
		}
		chunks = append(chunks, c)
	}
}

func (s *Server) Flush(stream pb.Store_UploadServer) error {
	var batch []*pb.Chunk
	for {
		c, err := stream.Recv()
		if err != nil {
			return s.store(batch)
		}
		batch = append(batch, c)
		if c.ID == "flush" {
			if err := s.store(batch); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
}

func (s *Server) Counted(stream pb.Store_UploadServer) error {
	var chunks []*pb.Chunk
	n := 0
	for {
		c, err := stream.Recv()
		if err != nil {
			break
		}
		n++
		if n > maxChunks {
			break
		}
		chunks = append(chunks, c)
	}
	return s.store(chunks)
}

func (s *Server) PerMessage(stream pb.Store_UploadServer) error {
	for {
		c, err := stream.Recv()
		if err != nil {
			return err
		}
		var parts [][]byte
		parts = append(parts, c.Data)
		_ = parts
	}
}

// fanIn collects one result per job from a channel it made itself.
func fanIn(jobs []string) []int {
	results := make(chan int)
	for _, j := range jobs {
		go func(j string) { results <- len(j) }(j)
	}
	var out []int
	for range jobs {
		out = append(out, <-results)
	}
	for i := 0; i < len(jobs); i++ {
		out = append(out, <-results)
	}
	return out
}

// drain collects what its caller's channel holds: the caller knows how much that is.
func drain(ch <-chan Event) []Event {
	var out []Event
	for ev := range ch {
		out = append(out, ev)
	}
	return out
}

func fileLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, sc.Err()
}

// listAll reads a server-streaming response: the client asked for it.
func listAll(stream pb.Store_WatchClient) ([]*pb.Event, error) {
	var all []*pb.Event
	for {
		ev, err := stream.Recv()
		if err == io.EOF {
			return all, nil
		}
		if err != nil {
			return nil, err
		}
		all = append(all, ev)
	}
}

func (w *Watcher) samples(done <-chan struct{}) []time.Time {
	var ticks []time.Time
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case now := <-t.C:
			ticks = append(ticks, now)
		case <-done:
			return ticks
		}
	}
}

func limitedLines(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	var all []string
	sc := bufio.NewScanner(r.Body)
	for sc.Scan() {
		all = append(all, sc.Text())
	}
	w.WriteHeader(len(all))
}

// Ring keeps the last events only: the field is trimmed elsewhere.
type Ring struct {
	events chan Event
	last   []Event
}

func (r *Ring) run() {
	for ev := range r.events {
		r.last = append(r.last, ev)
		r.trim()
	}
}

func (r *Ring) trim() {
	if len(r.last) > 100 {
		r.last = r.last[1:]
	}
}

// Mirror keeps the latest value per key of a subscription.
type Mirror struct {
	updates chan Event
	state   map[string]Event
}

func (m *Mirror) run() {
	for ev := range m.updates {
		m.state[ev.Kind] = ev
	}
}

// collect gathers what a subscription delivers until done: a local its caller gets back.
func (w *Watcher) collect(done <-chan struct{}) []Event {
	var got []Event
	updates := w.sub()
	for {
		select {
		case ev := <-updates:
			got = append(got, ev)
		case <-done:
			return got
		}
	}
}

// Drainer takes what is buffered, without waiting for more.
type Drainer struct {
	in      chan Event
	pending []Event
}

func (d *Drainer) drain() {
	for {
		select {
		case ev := <-d.in:
			d.pending = append(d.pending, ev)
		default:
			return
		}
	}
}

// Closer keeps the errors reported while it shuts down.
type Closer struct {
	errors chan error
	errs   []error
}

func (c *Closer) Close() error {
	var errs []error
	for err := range c.errors {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return errs[0]
	}
	return nil
}
