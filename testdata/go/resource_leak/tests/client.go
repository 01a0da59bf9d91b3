// Package tests checks that test files are analyzed too.
package tests

import "net/http"

// Fetch returns the response to the caller.
func Fetch(c *http.Client, u string) (*http.Response, error) {
	return c.Get(u)
}
