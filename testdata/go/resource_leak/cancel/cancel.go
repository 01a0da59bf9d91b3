// Package cancel holds context cancel functions that are lost and look-alikes that are not.
package cancel

import (
	"context"
	"errors"
	"time"
)

func step(ctx context.Context) error { return ctx.Err() }

// The early return skips cancel.
func early(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	if err := step(ctx); err != nil {
		return err // want "resource-leak/cancel-not-called: cancel \(from context.WithTimeout on line 14\) is not called when the function returns here: the context and its timer stay alive until the parent is canceled"
	}
	cancel()
	return nil
}

// The cancel function is discarded.
func discarded(ctx context.Context) error {
	c, _ := context.WithCancel(ctx) // want "cancel-not-called: the cancel function from context.WithCancel is discarded"
	return step(c)
}

// Called in one branch only; the other falls off the end.
func oneBranch(ctx context.Context, fast bool) {
	ctx, stop := context.WithCancel(ctx)
	if fast {
		stop()
		return
	}
	_ = step(ctx)
} // want "stop \(from context.WithCancel on line 30\) is not called when the function ends here"

// A switch case forgets it.
func byMode(ctx context.Context, mode int, at time.Time) error {
	ctx, cancel := context.WithDeadline(ctx, at)
	switch mode {
	case 0:
		defer cancel()
		return step(ctx)
	case 1:
		return errors.New("mode 1") // want "cancel \(from context.WithDeadline on line 40\) is not called when the function returns here"
	default:
		cancel()
	}
	return nil
}

// The deferred call captured the first cancel function; the second one is lost.
func rewrap(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, time.Second)
	return step(ctx) // want "cancel \(from context.WithTimeout on line 57\) is not called when the function returns here"
}

// Each iteration makes a context; failed attempts never cancel theirs.
func waitReady(check func(context.Context) error) {
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second) // want "cancel \(from context.WithTimeout on line 64\) is not called before the loop comes back here and replaces it"
		if err := check(ctx); err != nil {
			time.Sleep(time.Millisecond)
			continue
		}
		cancel()
		break
	}
}

// ---- look-alikes that must stay silent ----

func deferred(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	return step(ctx)
}

// Returned to the caller.
func derive(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	return ctx, cancel
}

type worker struct {
	ctx    context.Context
	cancel context.CancelFunc
}

// Stored in a field, called by stop.
func (w *worker) start(parent context.Context) {
	w.ctx, w.cancel = context.WithCancel(parent)
}

func (w *worker) startLocal(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	w.ctx = ctx
	w.cancel = cancel
}

func (w *worker) stop() { w.cancel() }

// Handed to a timer.
func later(ctx context.Context, d time.Duration) context.Context {
	ctx, cancel := context.WithCancel(ctx)
	time.AfterFunc(d, cancel)
	return ctx
}

// Called by a goroutine when the work is done.
func background(ctx context.Context, done <-chan struct{}) context.Context {
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		<-done
		cancel()
	}()
	return ctx
}

// Called on every path by hand, including inside a loop.
func everyPath(ctx context.Context, items []int) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	for _, it := range items {
		if it < 0 {
			cancel()
			return errors.New("negative")
		}
		if err := step(ctx); err != nil {
			cancel()
			return err
		}
	}
	cancel()
	return nil
}

// Each iteration cancels its own context.
func eachIteration(ctx context.Context, n int) {
	for i := 0; i < n; i++ {
		c, cancel := context.WithTimeout(ctx, time.Second)
		err := step(c)
		cancel()
		if err != nil {
			break
		}
	}
}

// A cleanup hook owns it.
func withCleanup(ctx context.Context, cleanup func(func())) context.Context {
	ctx, cancel := context.WithCancel(ctx)
	cleanup(cancel)
	return ctx
}

// WithValue has nothing to cancel.
func value(ctx context.Context) context.Context {
	return context.WithValue(ctx, key{}, 1)
}

type key struct{}
