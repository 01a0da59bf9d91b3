// Package withcontexts attaches a context to every request it makes, so the clients it builds or
// defaults to are bounded per request; only the context-less convenience calls are reported.
package withcontexts

import (
	"context"
	"io"
	"net/http"
)

// Client talks to an API; every call takes the caller's context.
type Client struct {
	hc   *http.Client
	base string
}

// New defaults to http.DefaultClient: requests carry contexts, not reported.
func New(base string, hc *http.Client) *Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{hc: hc, base: base}
}

// NewStreaming uses a client without Timeout on purpose (long-lived watch streams): not reported.
func NewStreaming(base string) *Client {
	return &Client{hc: &http.Client{}, base: base}
}

func (c *Client) get(ctx context.Context, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

func (c *Client) post(ctx context.Context, path string, body io.Reader) error {
	req, err := http.NewRequest(http.MethodPost, c.base+path, body)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// The convenience methods take no context: still reported.
func (c *Client) ping() error {
	resp, err := http.DefaultClient.Get(c.base + "/ping") // want "http.DefaultClient has no timeout"
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func (c *Client) health() error {
	resp, err := http.Get(c.base + "/health") // want "http.Get uses http.DefaultClient"
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
