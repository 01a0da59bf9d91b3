// Package servertest is a test-helper package: its clients talk to loopback servers the test owns.
package servertest

import "net/http"

// Client returns a client for the test server.
func Client() *http.Client {
	return &http.Client{}
}

// Ping asks the test server for its root page.
func Ping(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
