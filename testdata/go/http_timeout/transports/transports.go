// Package transports builds clients over transports: a RoundTripper from elsewhere may enforce its own
// deadlines and is not reported; the standard transport has no response timeout and is.
package transports

import (
	"net"
	"net/http"
	"time"
)

// The caller's RoundTripper (it may set connection read deadlines): not reported.
func overRoundTripper(rt http.RoundTripper) *http.Client {
	return &http.Client{Transport: rt}
}

type peer struct {
	rt http.RoundTripper
}

// A field's RoundTripper: not reported.
func (p *peer) client() *http.Client {
	return &http.Client{Transport: p.rt}
}

// A transport another function builds: not reported.
func overBuilt() *http.Client {
	return &http.Client{Transport: newTimeoutTransport(time.Second)}
}

func newTimeoutTransport(d time.Duration) http.RoundTripper {
	return &http.Transport{ResponseHeaderTimeout: d}
}

// The standard transports have no overall timeout: reported.
func overDefault() *http.Client {
	return &http.Client{Transport: http.DefaultTransport} // want "http.Client literal has no Timeout"
}

func overLiteral() *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConns: 10}} // want "http.Client literal has no Timeout"
}

func overNew() *http.Client {
	tr := new(http.Transport)
	tr.DisableCompression = true
	return &http.Client{Transport: tr} // want "http.Client literal has no Timeout"
}

func overLocalLiteral() *http.Client {
	tr := &http.Transport{DialContext: (&net.Dialer{Timeout: time.Second}).DialContext}
	return &http.Client{Transport: tr} // want "http.Client literal has no Timeout"
}
