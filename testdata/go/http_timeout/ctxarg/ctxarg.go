// Package ctxarg hands http.DefaultClient to helpers; with a context beside it the helper can bound
// the request, without one it cannot.
package ctxarg

import (
	"context"
	"net/http"
)

type fetcher interface {
	Fetch(ctx context.Context, c *http.Client, url string) (*http.Response, error)
	FetchAll(c *http.Client, urls []string) error
}

// Not reported: the context travels with the client.
func anonymous(ctx context.Context, f fetcher, url string) error {
	resp, err := f.Fetch(ctx, http.DefaultClient, url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Reported: nothing bounds the requests the helper makes.
func all(f fetcher, urls []string) error {
	return f.FetchAll(http.DefaultClient, urls) // want "http.DefaultClient has no timeout"
}
