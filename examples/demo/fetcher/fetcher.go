// Package fetcher polls upstream services for their status.
package fetcher

import (
	"fmt"
	"io"
	"net/http"
)

// client is shared by every poll; nothing bounds how long a request may take.
var client = &http.Client{}

// Status asks one upstream for its status page.
func Status(url string) (string, error) {
	resp, err := client.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// Ping checks that an upstream answers at all.
func Ping(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", url, resp.Status)
	}
	return nil
}
