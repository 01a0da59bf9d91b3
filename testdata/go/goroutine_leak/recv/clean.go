package recv

import (
	"context"
	"log"
	"os"
	"os/signal"
)

// The producer closes with defer.
func ProcessDefer(items []Item) {
	jobs := make(chan Item)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for it := range jobs {
			handle(it)
		}
	}()
	defer func() { <-done }()
	defer close(jobs)
	for _, it := range items {
		jobs <- it
	}
}

// Closed after the last send, and no way around it.
func ProcessClose(items []Item) {
	jobs := make(chan Item)
	go func() {
		for it := range jobs {
			handle(it)
		}
	}()
	for _, it := range items {
		jobs <- it
	}
	close(jobs)
}

// The consumer also watches the context.
func ProcessCtx(ctx context.Context, items []Item) {
	jobs := make(chan Item)
	go func() {
		for {
			select {
			case it := <-jobs:
				handle(it)
			case <-ctx.Done():
				return
			}
		}
	}()
	for _, it := range items {
		select {
		case jobs <- it:
		case <-ctx.Done():
			return
		}
	}
}

// Another goroutine produces and closes.
func Pipeline(items []Item) {
	ch := make(chan Item)
	go func() {
		defer close(ch)
		for _, it := range items {
			ch <- it
		}
	}()
	go func() {
		for it := range ch {
			handle(it)
		}
	}()
}

// The channel is handed to the signal package: not followed.
func Signals() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	go func() {
		for s := range sigs {
			log.Print(s)
		}
	}()
}

// One value on every path.
func Once(path string) error {
	res := make(chan error)
	go func() {
		log.Print(<-res)
	}()
	if err := check(path); err != nil {
		res <- err
		return err
	}
	res <- nil
	return nil
}

// The consumer function's channel is closed by the spawner.
func ExportClose(items []Item, dir string) {
	ch := make(chan Item)
	go consume(ch, dir)
	for _, it := range items {
		ch <- it
	}
	close(ch)
}

// The work queue is filled and closed before the workers start.
func Prefilled(items []Item, workers int) {
	queue := make(chan Item, len(items))
	for _, it := range items {
		queue <- it
	}
	close(queue)
	for i := 0; i < workers; i++ {
		go func() {
			for it := range queue {
				handle(it)
			}
		}()
	}
}

// A semaphore: the slot is taken before the goroutine starts and released by it.
func Limited(items []Item) {
	sem := make(chan struct{}, 4)
	for _, it := range items {
		sem <- struct{}{}
		go func(it Item) {
			handle(it)
			<-sem
		}(it)
	}
	for i := 0; i < cap(sem); i++ {
		sem <- struct{}{}
	}
}
