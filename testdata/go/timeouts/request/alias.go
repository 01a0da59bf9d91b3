package request

import (
	"context"
	nethttp "net/http"
)

func aliased(ctx context.Context) (*nethttp.Request, error) {
	return nethttp.NewRequest(nethttp.MethodHead, "http://x/", nil) // want "nethttp.NewRequest ignores the context ctx"
}

func callback(ctx context.Context, each func(func() error) error) error {
	return each(func() error {
		_, err := nethttp.NewRequest("GET", "/", nil) // want "nethttp.NewRequest ignores the context ctx"
		return err
	})
}
