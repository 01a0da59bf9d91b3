package literals

import (
	"errors"
	"net/http"
	"net/http/cookiejar"
	"time"
)

var started = time.Now()

func noRedirect(req *http.Request, via []*http.Request) error {
	return errors.New("no redirects")
}

func newMulti() (*http.Client, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	c := &http.Client{ // want "http.Client literal has no Timeout"
		Jar: jar,
	}
	return c, nil
}

func newRedirect() *http.Client {
	return &http.Client{ // want "http.Client literal has no Timeout"
		CheckRedirect: noRedirect,
		Jar:           nil,
	}
}

func newTransport() *http.Client {
	return &http.Client{ // want "http.Client literal has no Timeout"
		Transport: &http.Transport{
			MaxIdleConns:    10,
			IdleConnTimeout: 90 * time.Second,
		},
		Jar: nil,
	}
}

func newBlank() *http.Client {
	return &http.Client{ // want "http.Client literal has no Timeout"
		Jar: nil,

		CheckRedirect: noRedirect,
	}
}

func newCommented() *http.Client {
	return &http.Client{ // want "http.Client literal has no Timeout"
		Jar: nil,
		// a timeout belongs here
	}
}

func newTrailing() *http.Client {
	return &http.Client{ // want "http.Client literal has no Timeout"
		Jar:           nil,        // no cookies
		CheckRedirect: noRedirect, // stay put
	}
}

func newEmptyMulti() *http.Client {
	return &http.Client{ // want "http.Client literal has no Timeout"
	}
}
