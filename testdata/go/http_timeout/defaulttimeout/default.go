// Package defaulttimeout gives the default client a timeout, so using it is fine.
package defaulttimeout

import (
	"net/http"
	"time"
)

func init() {
	http.DefaultClient.Timeout = 30 * time.Second
}

func fetch(u string) error {
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func do(req *http.Request) (*http.Response, error) {
	return http.DefaultClient.Do(req)
}
