// Package recv: goroutines that wait on channels nobody closes.
package recv

import (
	"errors"
	"log"
	"os"
)

type Item struct {
	ID   int
	Data []byte
}

func handle(it Item)               {}
func validate(it Item) error       { return nil }
func store(it Item) error          { return nil }
func cleanup(path string)          {}
func check(path string) error      { return nil }
func emit(out chan<- Item, v Item) { out <- v }

// The producer forgets to close: the consumer's range never ends.
func Process(items []Item) {
	jobs := make(chan Item)
	go func() {
		for it := range jobs { // want "goroutine-recv-never-closed: the goroutine waits here forever: it receives from jobs until it is closed, but Process reaches its end at line 33 without closing jobs"
			handle(it)
		}
	}()
	for _, it := range items {
		jobs <- it
	}
}

// An early return skips the close at the end.
func Import(items []Item) error {
	queue := make(chan Item, 16)
	go func() {
		for it := range queue { // want "Import returns at line 47 without closing queue"
			if err := store(it); err != nil {
				log.Print(err)
			}
		}
	}()
	for _, it := range items {
		if err := validate(it); err != nil {
			return err
		}
		queue <- it
	}
	close(queue)
	return nil
}

// A receive loop that stops on close, but nothing closes.
func Drain(items []Item) int {
	in := make(chan Item)
	go func() {
		for {
			it, ok := <-in // want "receives from in until it is closed, but Drain returns at line 70"
			if !ok {
				return
			}
			handle(it)
		}
	}()
	for _, it := range items {
		in <- it
	}
	return len(items)
}

// The cleanup goroutine waits for a signal an early return never sends.
func Watch(path string) error {
	stop := make(chan struct{})
	go func() {
		<-stop // want "the goroutine waits here forever: Watch returns at line 81 without sending on or closing stop"
		cleanup(path)
	}()
	if err := check(path); err != nil {
		return err
	}
	close(stop)
	return nil
}

// The consumer is a function of the package that ranges over its parameter.
func consume(in <-chan Item, dir string) {
	for it := range in { // want "receives from in \\(ch of Export\\) until it is closed, but Export reaches its end at line 103"
		if f, err := os.Create(dir); err == nil {
			f.Write(it.Data)
			f.Close()
		}
	}
}

func Export(items []Item, dir string) {
	ch := make(chan Item)
	go consume(ch, dir)
	for _, it := range items {
		emit(ch, it)
	}
}

// The results collector never learns that the workers are done.
func Collect(items []Item) error {
	errs := make(chan error)
	go func() {
		for err := range errs { // want "receives from errs until it is closed, but Collect returns at line 118"
			log.Print(err)
		}
	}()
	for _, it := range items {
		if it.ID < 0 {
			errs <- errors.New("negative id")
		}
	}
	return nil
}
