// Package dotimport reaches net/http through a dot import.
package dotimport

import (
	. "net/http"
)

func Fetch(u string) error {
	resp, err := Get(u) // want "Get uses http.DefaultClient"
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

var client = &Client{} // want "Client literal has no Timeout"

func Client2() *Client { return client }
