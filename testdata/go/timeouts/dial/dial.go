// Package dial: dials that can hang.
package dial

import (
	"context"
	"crypto/tls"
	"net"
	"time"

	"example.com/analysistest/internal/grpc"
)

var started = time.Now()

func connect(addr string) (net.Conn, error) {
	return net.Dial("tcp", addr) // want "dial-no-timeout: net.Dial has no timeout: a host that does not answer blocks this call for minutes"
}

func connectNetwork(network, addr string) (net.Conn, error) {
	return net.Dial(network, addr) // want "net.Dial has no timeout"
}

func connectLines(addr string) (net.Conn, error) {
	return net.Dial( // want "net.Dial has no timeout"
		"tcp4",
		addr,
	)
}

func secure(addr string, cfg *tls.Config) (*tls.Conn, error) {
	return tls.Dial("tcp", addr, cfg) // want "dial-no-timeout: tls.Dial has no timeout: a peer that accepts the connection but never completes the TLS handshake"
}

func blocking(addr string) (*grpc.ClientConn, error) {
	return grpc.Dial(addr, grpc.WithInsecure(), grpc.WithBlock()) // want "dial-no-timeout: grpc.Dial with WithBlock\\(\\) has no deadline"
}

func blockingBackground(addr string) (*grpc.ClientConn, error) {
	return grpc.DialContext(context.Background(), addr, grpc.WithBlock()) // want "grpc.DialContext with WithBlock\\(\\) and a context with no deadline"
}

func blockingCancel(addr string) (*grpc.ClientConn, error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	return grpc.DialContext(ctx, addr, grpc.WithBlock()) // want "grpc.DialContext with WithBlock\\(\\) and a context with no deadline"
}
