// Package http is not net/http: calls into it must not be reported.
package http

type Client struct{ Jar int }

var DefaultClient = &Client{}

func Get(u string) string { return u }
