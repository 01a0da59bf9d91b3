// Package send: goroutines that send on an unbuffered channel their spawner stops receiving from.
package send

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

type Result struct {
	Body []byte
	Err  error
}

func get(url string) Result { return Result{} }

// The caller's context ends before the result arrives.
func Fetch(ctx context.Context, url string) (Result, error) {
	ch := make(chan Result)
	go func() {
		ch <- get(url) // want "goroutine-send-blocks: this send blocks forever when Fetch returns at line 29 without receiving from ch"
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
}

// A timeout instead of a context.
func FetchTimeout(url string, d time.Duration) (Result, error) {
	done := make(chan Result, 0)
	go func() {
		r := get(url)
		done <- r // want "this send blocks forever when FetchTimeout returns at line 44 without receiving from done"
	}()
	select {
	case r := <-done:
		return r, nil
	case <-time.After(d):
		return Result{}, errors.New("timeout")
	}
}

// The server's error is only read when nothing else failed first.
func Serve(ctx context.Context, srv *http.Server, l net.Listener, ready func() error) error {
	errc := make(chan error)
	go func() {
		errc <- srv.Serve(l) // want "this send blocks forever when Serve returns at line 55 without receiving from errc"
	}()
	if err := ready(); err != nil {
		return err
	}
	return <-errc
}

// The first answer wins; the other replicas block forever.
func Query(replicas []string, q string) Result {
	c := make(chan Result)
	for _, r := range replicas {
		go func(addr string) {
			c <- get(addr + "/" + q) // want "Query receives one value from c but a loop of goroutines send on it"
		}(r)
	}
	return <-c
}

// An early return on the first error leaves the remaining workers blocked.
func FetchAll(urls []string) ([]Result, error) {
	results := make(chan Result)
	for _, u := range urls {
		go func(u string) {
			results <- get(u) // want "FetchAll returns at line 83 from the loop that receives from results while other goroutines may still be sending"
		}(u)
	}
	var out []Result
	for range urls {
		r := <-results
		if r.Err != nil {
			return nil, r.Err
		}
		out = append(out, r)
	}
	return out, nil
}

// The send happens in a function of the package the goroutine runs.
func resolve(host string, out chan<- []string) {
	addrs, _ := net.LookupHost(host)
	out <- addrs // want "this send blocks forever when Lookup returns at line 103 without receiving from ch"
}

func Lookup(ctx context.Context, host string) ([]string, error) {
	ch := make(chan []string)
	go resolve(host, ch)
	select {
	case addrs := <-ch:
		return addrs, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// The spawner waits for shutdown and never reads the server's error.
func Run(ctx context.Context, srv *http.Server) error {
	errCh := make(chan error)
	go func() {
		errCh <- srv.ListenAndServe() // want "this send blocks forever when Run returns at line 114 without receiving from errCh"
	}()
	<-ctx.Done()
	return srv.Shutdown(context.Background())
}

// Results for each worker in a counted loop, and a select that gives up.
func Probe(ctx context.Context, n int) int {
	acks := make(chan int)
	for i := 0; i < n; i++ {
		go func(i int) {
			acks <- i // want "Probe returns at line 131 from the loop that receives from acks"
		}(i)
	}
	got := 0
	for got < n {
		select {
		case <-acks:
			got++
		case <-ctx.Done():
			return got
		}
	}
	return got
}
