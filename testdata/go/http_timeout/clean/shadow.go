package clean

import "net/http"

type fakeHTTP struct{ base string }

func (f fakeHTTP) Get(u string) (string, error) { return f.base + u, nil }

type fakeClient struct{ Timeout int }

var DefaultClient = fakeClient{}

// http is a parameter here, not the package.
func shadowedParam(http fakeHTTP) (string, error) {
	return http.Get("/x")
}

// http is a local variable here.
func shadowedLocal() (string, error) {
	http := fakeHTTP{base: "https://example.com"}
	return http.Get("/y")
}

func shadowedInBlock(ok bool) string {
	if http := (fakeHTTP{}); ok {
		s, _ := http.Get("/z")
		return s
	}
	return ""
}

func localDefault() fakeClient { return DefaultClient }

var mux = http.NewServeMux()

func shadowedInClosure() func(fakeHTTP) string {
	return func(http fakeHTTP) string {
		s, _ := http.Get("/c")
		return s
	}
}

func shadowedByRange(clients []fakeHTTP) {
	for _, http := range clients {
		_, _ = http.Get("/r")
	}
}

func shadowedBySwitch(v interface{}) {
	switch http := v.(type) {
	case fakeHTTP:
		_, _ = http.Get("/s")
	}
}

func shadowedDefault() fakeClient {
	var http = struct{ DefaultClient fakeClient }{}
	return http.DefaultClient
}
