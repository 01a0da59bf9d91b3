// Package grpcsend: server-streaming loops that ignore Send errors and the client's context.
package grpcsend

import (
	"time"

	"example.com/analysistest/internal/pb"
)

type Bus struct {
	subs map[string]chan *pb.Event
}

func (b *Bus) Subscribe(topic string) <-chan *pb.Event {
	ch := make(chan *pb.Event, 16)
	b.subs[topic] = ch
	return ch
}

type Server struct {
	events chan *pb.Event
	bus    *Bus
	ticker *time.Ticker
	latest func() *pb.Event
	alive  func() bool
}

func (s *Server) Watch(req *pb.WatchRequest, stream pb.Store_WatchServer) error {
	for ev := range s.events {
		stream.Send(ev) // want "grpc-send-unchecked: error of stream.Send\\(ev\\) is ignored in a loop that never checks stream.Context\\(\\)"
	}
	return nil
}

func (s *Server) Poll(req *pb.WatchRequest, stream pb.Store_WatchServer) error {
	for {
		time.Sleep(time.Second)
		stream.Send(s.latest()) // want "error of stream.Send\\(s.latest\\(\\)\\) is ignored"
	}
}

func (s *Server) Tick(req *pb.WatchRequest, srv pb.Store_WatchServer) error {
	for {
		select {
		case <-s.ticker.C:
			_ = srv.Send(s.latest()) // want "error of srv.Send\\(s.latest\\(\\)\\) is ignored in a loop that never checks srv.Context\\(\\)"
		}
	}
}

func (s *Server) While(req *pb.WatchRequest, stream pb.Store_WatchServer) error {
	for s.alive() {
		if ev := s.latest(); ev != nil {
			stream.Send(ev) // want "error of stream.Send\\(ev\\) is ignored"
		}
	}
	return nil
}

func (s *Server) Topic(req *pb.WatchRequest, stream pb.Store_WatchServer) error {
	for ev := range s.bus.Subscribe(req.Topic) {
		switch ev.Name {
		case "":
			continue
		default:
			stream.Send(ev) // want "error of stream.Send\\(ev\\) is ignored"
		}
	}
	return nil
}

// Lit sends from a func literal: reported, but a return there would not leave the method.
func (s *Server) Lit(req *pb.WatchRequest, stream pb.Store_WatchServer) error {
	emit := func() {
		for ev := range s.events {
			stream.Send(ev) // want "error of stream.Send\\(ev\\) is ignored"
		}
	}
	emit()
	return nil
}
