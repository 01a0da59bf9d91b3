// Package accum: receive loops that keep every item of an external stream.
package accum

import (
	"bufio"
	"crypto/tls"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"time"

	"example.com/analysistest/internal/pb"
)

type Server struct {
	store func([]*pb.Chunk) error
}

func (s *Server) Upload(stream pb.Store_UploadServer) error {
	var chunks []*pb.Chunk
	for {
		c, err := stream.Recv()
		if err == io.EOF {
			return s.store(chunks)
		}
		if err != nil {
			return err
		}
		chunks = append(chunks, c) // want "recv-loop-accumulates: chunks keeps every one of the messages received from stream with no bound: a client that keeps sending"
	}
}

func (s *Server) Dedup(stream pb.Store_UploadServer) error {
	seen := map[string]*pb.Chunk{}
	for {
		c, err := stream.Recv()
		if err != nil {
			break
		}
		seen[c.ID] = c // want "seen keeps every one of the messages received from stream"
	}
	return stream.SendAndClose(&pb.UploadSummary{Count: len(seen)})
}

func lines(w http.ResponseWriter, r *http.Request) {
	var all []string
	sc := bufio.NewScanner(r.Body)
	for sc.Scan() {
		all = append(all, sc.Text()) // want "all keeps every one of the lines scanned from r.Body"
	}
	w.WriteHeader(len(all))
}

func readConn(conn net.Conn) []string {
	var msgs []string
	sc := bufio.NewScanner(bufio.NewReader(conn))
	for sc.Scan() {
		msgs = append(msgs, sc.Text()) // want "msgs keeps every one of the lines scanned from bufio.NewReader\\(conn\\)"
	}
	return msgs
}

type Event struct{ Kind string }

func decodeAll(conn net.Conn) ([]Event, error) {
	var out []Event
	dec := json.NewDecoder(conn)
	for dec.More() {
		var ev Event
		if err := dec.Decode(&ev); err != nil {
			return nil, err
		}
		out = append(out, ev) // want "out keeps every one of the values decoded from conn"
	}
	return out, nil
}

func batch(conn *tls.Conn) int {
	dec := json.NewDecoder(conn)
	var evs []Event
	for {
		var ev Event
		if err := dec.Decode(&ev); err != nil {
			break
		}
		if ev.Kind == "" {
			continue
		}
		evs = append(evs, ev) // want "evs keeps every one of the values decoded from conn"
	}
	return len(evs)
}

type Watcher struct {
	events  chan Event
	history []Event
	sub     func() <-chan Event
}

func (w *Watcher) run() {
	for ev := range w.events {
		w.history = append(w.history, ev) // want "w.history keeps every one of the values received from w.events with no bound: a producer that never stops"
	}
}

// Feed keeps a log of every update of a subscription for the life of the process.
type Feed struct {
	log  []Event
	tick *time.Ticker
}

func (f *Feed) run(updates <-chan Event, sub func() <-chan Event) {
	more := sub()
	for {
		select {
		case ev := <-more:
			f.log = append(f.log, ev) // want "f.log keeps every one of the values received from more"
		case <-f.tick.C:
		}
	}
}
