package background

import (
	"context"
	"net/http"
)

type Runtime struct{}

func (Runtime) cleanupAfterDeadShim(ctx context.Context, id string) error { return nil }

func (Runtime) OpenLog(ctx context.Context, path string) error { return nil }

func (Runtime) WithNamespace(ctx context.Context, ns string) context.Context { return ctx }

func (Runtime) Exec(ctx context.Context, id string) error { return nil }

// Detached on purpose: cleanup, long-lived opens, derived contexts, and explained choices.
func (rt Runtime) Delete(ctx context.Context, id string, wrap func(context.Context) (context.Context, error)) error {
	if err := rt.cleanupAfterDeadShim(context.Background(), id); err != nil {
		return err
	}
	if err := rt.OpenLog(context.Background(), "/var/log/"+id); err != nil {
		return err
	}
	nctx := rt.WithNamespace(context.Background(), "default")
	if _, err := wrap(context.Background()); err != nil {
		return err
	}
	_ = nctx
	// The exec must outlive the request, so it is not canceled with it.
	return rt.Exec(context.Background(), id)
}

// context.TODO() marks an unplumbed context: reported.
func (rt Runtime) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := rt.Exec(context.TODO(), r.URL.Path); err != nil { // want "context.TODO\\(\\) passed to rt.Exec although r.Context\\(\\) is in scope"
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}
