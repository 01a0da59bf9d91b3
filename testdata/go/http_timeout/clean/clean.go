// Package clean uses HTTP clients that do have a timeout; nothing here may be reported.
package clean

import (
	"context"
	"net/http"
	"time"
)

var client = &http.Client{Timeout: 10 * time.Second}

func withTimeout() *http.Client {
	return &http.Client{
		Transport: http.DefaultTransport,
		Timeout:   5 * time.Second,
	}
}

// The timeout is set right after the literal.
func assignedLater() *http.Client {
	c := &http.Client{}
	c.Timeout = time.Minute
	return c
}

func assignedLaterValue() http.Client {
	var c = http.Client{Transport: http.DefaultTransport}
	c.Timeout = time.Minute
	return c
}

// A context deadline bounds the request; the client has a timeout too.
func withContext(ctx context.Context, u string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Get on a client value, not the package function.
func clientGet(u string) error {
	resp, err := client.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func handler(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusNoContent)
}
