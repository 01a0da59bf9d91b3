// Package alias reaches net/http through an import alias.
package alias

import (
	"fmt"
	nethttp "net/http"
)

func Fetch(u string) error {
	resp, err := nethttp.Get(u) // want "nethttp.Get uses http.DefaultClient"
	if err != nil {
		return fmt.Errorf("fetch %s: %w", u, err)
	}
	return resp.Body.Close()
}

func NewClient() *nethttp.Client {
	return &nethttp.Client{} // want "nethttp.Client literal has no Timeout"
}
