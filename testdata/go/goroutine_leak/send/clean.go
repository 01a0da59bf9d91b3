package send

import (
	"context"
	"log"
	"os"
	"time"
)

// Buffered for its one sender: the send never waits.
func FetchBuffered(ctx context.Context, url string) (Result, error) {
	ch := make(chan Result, 1)
	go func() {
		ch <- get(url)
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
}

// The goroutine gives up too when the context ends.
func FetchWatching(ctx context.Context, url string) (Result, error) {
	ch := make(chan Result)
	go func() {
		select {
		case ch <- get(url):
		case <-ctx.Done():
		}
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
}

// The spawner drains the channel on the way out.
func FetchDrain(url string, d time.Duration) (Result, bool) {
	ch := make(chan Result)
	go func() {
		ch <- get(url)
	}()
	select {
	case r := <-ch:
		return r, true
	case <-time.After(d):
		<-ch
		return Result{}, false
	}
}

// A buffer with room for every sender.
func FetchAllBuffered(urls []string) ([]Result, error) {
	results := make(chan Result, len(urls))
	for _, u := range urls {
		go func(u string) {
			results <- get(u)
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

// Every value is received before the function returns.
func Gather(urls []string) []Result {
	results := make(chan Result)
	for _, u := range urls {
		go func(u string) {
			results <- get(u)
		}(u)
	}
	out := make([]Result, 0, len(urls))
	for range urls {
		out = append(out, <-results)
	}
	return out
}

// The sender closes the channel and the spawner ranges to the end.
func Stream(urls []string) []Result {
	ch := make(chan Result)
	go func() {
		defer close(ch)
		for _, u := range urls {
			ch <- get(u)
		}
	}()
	var out []Result
	for r := range ch {
		out = append(out, r)
	}
	return out
}

// The channel is returned: the caller receives.
func Start(url string) <-chan Result {
	ch := make(chan Result)
	go func() {
		ch <- get(url)
	}()
	return ch
}

// Another goroutine drains what the spawner leaves behind.
func FetchWithDrainer(ctx context.Context, url string) (Result, error) {
	ch := make(chan Result)
	go func() {
		ch <- get(url)
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-ctx.Done():
		go func() { <-ch }()
		return Result{}, ctx.Err()
	}
}

// One sender, one receive, no way to leave in between.
func Compute(x int) int {
	ch := make(chan int)
	go func() {
		ch <- x * x
	}()
	return <-ch
}

// The process exits after the first answer: nothing is left to leak.
func ServeAll(srvs []func() error) {
	errc := make(chan error)
	for _, s := range srvs {
		go func(s func() error) {
			errc <- s()
		}(s)
	}
	log.Print(<-errc)
	os.Exit(1)
}

// The loop returns only after the last worker has reported.
func Coordinate(workers []func() error) error {
	errc := make(chan error)
	for _, w := range workers {
		go func(w func() error) {
			errc <- w()
		}(w)
	}
	active := len(workers)
	var first error
	for {
		err := <-errc
		if first == nil {
			first = err
		}
		active--
		if active == 0 {
			return first
		}
	}
}
