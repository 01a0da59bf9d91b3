// Package grpc is a stand-in for google.golang.org/grpc: go-timeouts recognizes gRPC by an import
// path ending in "/grpc", so the testdata needs only the standard library.
package grpc

import "context"

// ClientConn is a client connection.
type ClientConn struct{}

// DialOption configures a dial.
type DialOption struct{ name string }

// Dial connects to target.
func Dial(target string, opts ...DialOption) (*ClientConn, error) { return &ClientConn{}, nil }

// DialContext connects to target until ctx is done.
func DialContext(ctx context.Context, target string, opts ...DialOption) (*ClientConn, error) {
	return &ClientConn{}, ctx.Err()
}

// WithBlock makes Dial wait for the connection.
func WithBlock() DialOption { return DialOption{"block"} }

// WithInsecure disables transport security.
func WithInsecure() DialOption { return DialOption{"insecure"} }

// WithTimeout bounds a blocking Dial.
func WithTimeout(d int64) DialOption { return DialOption{"timeout"} }

// Close closes the connection.
func (c *ClientConn) Close() error { return nil }
