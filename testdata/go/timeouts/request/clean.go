package request

import (
	"context"
	"net/http"
	"net/http/httptest"

	other "example.com/analysistest/internal/http"
)

// Already bound to the context.
func good(ctx context.Context) (*http.Request, error) {
	return http.NewRequestWithContext(ctx, http.MethodGet, "/", nil)
}

// No context in scope.
func noContext(url string) (*http.Request, error) {
	return http.NewRequest(http.MethodGet, url, nil)
}

// context.Background() is no context to pass.
func background() (*http.Request, error) {
	ctx := context.Background()
	_ = ctx
	return http.NewRequest(http.MethodGet, "/", nil)
}

// httptest.NewRequest and another package's NewRequest.
func lookalikes(ctx context.Context) string {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	return other.NewRequest(r.Method, "/")
}

// A goroutine outlives the function: its context is not in scope there.
func detached(ctx context.Context) {
	go func() {
		if req, err := http.NewRequest(http.MethodGet, "/", nil); err == nil {
			_ = req
		}
	}()
	defer func() {
		_, _ = http.NewRequest(http.MethodGet, "/", nil)
	}()
}

// The context is declared after the call.
func after() {
	_, _ = http.NewRequest(http.MethodGet, "/", nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_ = ctx
}

// A helper that takes a request is not bound to its lifetime.
func copyRequest(in *http.Request) *http.Request {
	out, _ := http.NewRequest(in.Method, in.URL.String(), nil)
	for k, v := range in.Header {
		out.Header[k] = v
	}
	return out
}

// A context made with WithCancel counts: it can be cancelled.
func cancellable() error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	return withContext(ctx)
}

func withContext(ctx context.Context) error {
	req, err := http.NewRequest(http.MethodGet, "/", nil)
	if err != nil {
		return err
	}
	req.Cancel = ctx.Done()
	return nil
}
