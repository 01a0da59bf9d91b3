package grpcsend

import (
	"io"

	"example.com/analysistest/internal/pb"
)

type Clean struct {
	events chan *pb.Event
	bus    *Bus
	all    []*pb.Event
}

func (c *Clean) Checked(req *pb.WatchRequest, stream pb.Store_WatchServer) error {
	for ev := range c.events {
		if err := stream.Send(ev); err != nil {
			return err
		}
	}
	return nil
}

func (c *Clean) Selects(req *pb.WatchRequest, stream pb.Store_WatchServer) error {
	for {
		select {
		case <-stream.Context().Done():
			return stream.Context().Err()
		case ev := <-c.events:
			stream.Send(ev)
		}
	}
}

func (c *Clean) Context(req *pb.WatchRequest, stream pb.Store_WatchServer) error {
	ctx := stream.Context()
	for ev := range c.events {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		stream.Send(ev)
	}
	return nil
}

// Snapshot sends a fixed list: the loop ends by itself.
func (c *Clean) Snapshot(req *pb.WatchRequest, stream pb.Store_WatchServer) error {
	for _, ev := range c.all {
		stream.Send(ev)
	}
	for i := 0; i < 3; i++ {
		stream.Send(&pb.Event{Name: "done"})
	}
	return nil
}

// Echo receives from the same stream: Recv fails once the client is gone and ends the loop.
func (c *Clean) Echo(stream pb.Store_ChatServer) error {
	for {
		in, err := stream.Recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		stream.Send(in)
	}
}

// Pump hands the stream to a helper, which may watch its context.
func (c *Clean) Pump(req *pb.WatchRequest, stream pb.Store_WatchServer) error {
	go watchContext(stream)
	for ev := range c.events {
		stream.Send(ev)
	}
	return nil
}

func watchContext(stream pb.Store_WatchServer) {
	<-stream.Context().Done()
}

// mailer is not a gRPC stream.
type mailer struct{ out chan string }

func (m *mailer) Send(s string) error {
	m.out <- s
	return nil
}

func (c *Clean) notify(m *mailer) {
	for ev := range c.events {
		m.Send(ev.Name)
	}
}
