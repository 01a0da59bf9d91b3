// Package body holds HTTP response bodies that leak and look-alikes that do not.
package body

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// The status check returns before the body is closed.
func status(c *http.Client, req *http.Request) error {
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode) // want "response-body-not-closed: the body of resp \(from c.Do on line 16\) is not closed when the function returns here: its connection is never reused or released"
	}
	defer resp.Body.Close()
	return nil
}

// Reading the body to the end does not close it.
func fetch(u string) ([]byte, error) {
	resp, err := http.Get(u)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(resp.Body) // want "the body of resp \(from http.Get on line 29\) is not closed when the function returns here"
}

// Decoding does not close it either; the error path and the status path both leak.
func decode(c *http.Client, u string, v interface{}) error {
	resp, err := c.Get(u)
	if err != nil || resp.StatusCode != http.StatusOK {
		return errors.New("bad response") // want "the body of resp \(from c.Get on line 38\) is not closed"
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// The response is dropped.
func ping(u string) {
	http.Get(u) // want "response-body-not-closed: the \*http.Response from http.Get is discarded, so its body is never closed"
}

// The response is dropped with the blank identifier.
func notify(c *http.Client, u string, form url.Values) error {
	_, err := c.PostForm(u, form) // want "the \*http.Response from c.PostForm is discarded"
	return err
}

// A retry loop sends the request again with the previous body still open.
func retry(c *http.Client, u string) (*http.Response, error) {
	for i := 0; ; i++ {
		resp, err := c.Post(u, "text/plain", bytes.NewReader(nil)) // want "the body of resp \(from c.Post on line 59\) is not closed before the loop comes back here and replaces it"
		if err != nil {
			return nil, err
		}
		if resp.StatusCode == http.StatusServiceUnavailable && i < 3 {
			continue
		}
		return resp, nil
	}
}

// Doer mirrors http.Client's Do: its responses are the caller's to close.
type Doer interface {
	Do(req *http.Request) (*http.Response, error)
}

// Falls off the end with the body open.
func send(d Doer, req *http.Request, log func(string)) {
	resp, err := d.Do(req)
	if err != nil {
		log(err.Error())
		return
	}
	log(resp.Status)
} // want "the body of resp \(from d.Do on line 77\) is not closed when the function ends here"

// ---- look-alikes that must stay silent ----

// Deferred Close after the check.
func deferred(c *http.Client, req *http.Request) ([]byte, error) {
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	return io.ReadAll(resp.Body)
}

// The response is returned to the caller.
func get(c *http.Client, u string) (*http.Response, error) {
	resp, err := c.Get(u)
	if err != nil {
		return nil, err
	}
	return resp, nil
}

func handle(resp *http.Response) error {
	defer resp.Body.Close()
	return nil
}

// Handed off with the response.
func handedOff(u string) error {
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	return handle(resp)
}

func drainAndClose(r io.ReadCloser) {
	_, _ = io.Copy(io.Discard, r)
	_ = r.Close()
}

// The body is handed to a function that closes it, in a defer.
func deferredHelper(u string) (int, error) {
	resp, err := http.Get(u)
	if err != nil {
		return 0, err
	}
	defer drainAndClose(resp.Body)
	return resp.StatusCode, nil
}

// Nil-guarded deferred Close before the error check.
func guarded(c *http.Client, req *http.Request) error {
	resp, err := c.Do(req)
	if resp != nil {
		defer resp.Body.Close()
	}
	return err
}

// Closed on every path by hand.
func everyPath(c *http.Client, req *http.Request) (bool, error) {
	resp, err := c.Do(req)
	if err != nil {
		return false, err
	}
	switch resp.StatusCode {
	case http.StatusOK:
		resp.Body.Close()
		return true, nil
	case http.StatusNotFound:
		resp.Body.Close()
		return false, nil
	default:
		if err := resp.Body.Close(); err != nil {
			return false, err
		}
	}
	return false, errors.New("unexpected status")
}

type stream struct {
	body io.ReadCloser
}

// The body is kept in a field, closed later.
func (s *stream) open(c *http.Client, u string) error {
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	s.body = resp.Body
	return nil
}

// A client of the package that reads and closes the body itself.
type apiClient struct {
	hc *http.Client
}

func (a *apiClient) Do(req *http.Request, v interface{}) (*http.Response, error) {
	resp, err := a.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return resp, json.NewDecoder(resp.Body).Decode(v)
}

// Its responses have no open body.
func useAPI(a *apiClient, req *http.Request) (int, error) {
	var v map[string]string
	resp, err := a.Do(req, &v)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Closed in a deferred closure with a nil check on the body.
func closure(c *http.Client, req *http.Request) error {
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer func() {
		if resp.Body != nil {
			resp.Body.Close()
		}
	}()
	return nil
}

// A nil body needs no Close.
func nilBody(c *http.Client, req *http.Request) {
	res, err := c.Do(req)
	if err != nil {
		return
	}
	if res.Body != nil {
		res.Body.Close()
	}
}

// A HEAD response has no body: the transport frees the connection at once.
func head(u string) (int, error) {
	resp, err := http.Head(u)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// A HEAD request sent with Do: no body either.
func exists(c *http.Client, u string) (bool, error) {
	req, err := http.NewRequest(http.MethodHead, u, nil)
	if err != nil {
		return false, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return false, err
	}
	return resp.StatusCode == http.StatusOK, nil
}
