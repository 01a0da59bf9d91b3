package request

import (
	"context"
	"net/http"
)

// The request gets its context later: not reported.
func do(ctx context.Context, c *http.Client, req *http.Request) (*http.Response, error) {
	return c.Do(req.WithContext(ctx))
}

func boundByCall(ctx context.Context) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, "/", nil)
	if err != nil {
		return nil, err
	}
	return do(ctx, client, req)
}

func boundByWithContext(ctx context.Context) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, "/", nil)
	if err != nil {
		return nil, err
	}
	req = req.WithContext(ctx)
	return client.Do(req)
}

// Passed along without the context: reported.
func unbound(ctx context.Context) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, "/", nil) // want "http.NewRequest ignores the context ctx"
	if err != nil {
		return nil, err
	}
	return client.Do(req)
}
