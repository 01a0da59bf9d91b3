// Package pergo: a goroutine started per item of an unbounded source.
package pergo

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log"

	"example.com/analysistest/internal/errgroup"
	"example.com/analysistest/internal/pb"
)

type Job struct{ ID int }

type Worker struct {
	jobs chan Job
	out  chan int
}

func (w *Worker) process(j Job) { w.out <- j.ID }

func (w *Worker) Run() {
	for job := range w.jobs {
		go w.process(job) // want "goroutine-per-item: a goroutine is started for every one of the values received from w.jobs with no limit"
	}
}

func (w *Worker) Select(ctx context.Context, sub <-chan Job) {
	for {
		select {
		case j := <-sub:
			go func() { // want "a goroutine is started for every one of the values received from sub"
				w.process(j)
			}()
		case <-ctx.Done():
			return
		}
	}
}

type Server struct{ w *Worker }

func (s *Server) Upload(stream pb.Store_UploadServer) error {
	for {
		c, err := stream.Recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		go s.w.process(Job{ID: len(c.Data)}) // want "for every one of the messages received from stream"
	}
}

func lines(r io.Reader, handle func(string)) error {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		go handle(line) // want "for every one of the lines scanned from r"
	}
	return sc.Err()
}

func (w *Worker) group(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	for job := range w.jobs {
		job := job
		g.Go(func() error { // want "an errgroup goroutine \\(no SetLimit\\) is started for every one of the values received from w.jobs"
			w.process(job)
			return ctx.Err()
		})
	}
	return g.Wait()
}

func consume(ch <-chan Job, w *Worker) {
	for j := range ch {
		if j.ID == 0 {
			continue
		}
		go w.process(j) // want "values received from ch"
	}
}

func decodeAll(r io.Reader, w *Worker) {
	dec := json.NewDecoder(r)
	for dec.More() {
		var j Job
		if err := dec.Decode(&j); err != nil {
			log.Print(err)
			return
		}
		go w.process(j) // want "values decoded from r"
	}
}

func fanOut(in <-chan Job, ws []*Worker) {
	for j := range in {
		for _, w := range ws {
			go w.process(j) // want "values received from in"
		}
	}
}
