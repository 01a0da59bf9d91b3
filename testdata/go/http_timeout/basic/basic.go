// Package basic sends requests through the default client, which has no timeout.
package basic

import (
	"io"
	"net/http"
	"net/url"
	"strings"
)

func get(u string) ([]byte, error) {
	resp, err := http.Get(u) // want "http.Get uses http.DefaultClient, which has no timeout: a server that stops responding blocks this call and its goroutine forever"
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

func head(u string) (int, error) {
	resp, err := http.Head(u) // want "http.Head uses http.DefaultClient"
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func post(u, body string) error {
	resp, err := http.Post(u, "text/plain", strings.NewReader(body)) // want "http.Post uses http.DefaultClient"
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func postForm(u string) error {
	resp, err := http.PostForm(u, url.Values{"q": {"omen"}}) // want "http.PostForm uses http.DefaultClient"
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func do(req *http.Request) (*http.Response, error) {
	return http.DefaultClient.Do(req) // want "^missing-timeout/http-no-timeout: http.DefaultClient has no timeout"
}

var shared = http.DefaultClient // want "http.DefaultClient has no timeout"

func fanOut(urls []string) {
	for _, u := range urls {
		go func(u string) {
			resp, err := http.Get(u) // want "http.Get uses http.DefaultClient"
			if err == nil {
				resp.Body.Close()
			}
		}(u)
	}
}

func sharedDo(req *http.Request) (*http.Response, error) {
	return shared.Do(req)
}

type fake struct{}

func (fake) Get(string) error { return nil }

// The local http is declared after the call, so the call is still net/http's.
func shadowedLater(u string) error {
	resp, err := http.Get(u) // want "http.Get uses http.DefaultClient"
	if err != nil {
		return err
	}
	resp.Body.Close()
	http := fake{}
	return http.Get(u)
}
