// Package literals builds http.Client values without Timeout, in the shapes the fix must handle.
package literals

import (
	"net/http"
)

func newEmpty() *http.Client {
	return &http.Client{} // want "http.Client literal has no Timeout: a server that stops responding blocks requests through this client, and their goroutines, forever"
}
