package dial

import (
	"context"
	"crypto/tls"
	"net"
	"time"

	"example.com/analysistest/internal/grpc"
)

func withTimeout(addr string) (net.Conn, error) {
	return net.DialTimeout("tcp", addr, 3*time.Second)
}

func datagram(addr string) (net.Conn, error) {
	if c, err := net.Dial("udp", addr); err == nil {
		return c, nil
	}
	return net.Dial("unix", "/run/app.sock")
}

func dialer(addr string) (net.Conn, error) {
	d := &net.Dialer{Timeout: time.Second}
	return d.Dial("tcp", addr)
}

func tlsDialer(addr string) (*tls.Conn, error) {
	return tls.DialWithDialer(&net.Dialer{Timeout: time.Second}, "tcp", addr, nil)
}

func nonBlocking(addr string) (*grpc.ClientConn, error) {
	return grpc.Dial(addr, grpc.WithInsecure())
}

func deadline(addr string) (*grpc.ClientConn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return grpc.DialContext(ctx, addr, grpc.WithBlock())
}

func callerContext(ctx context.Context, addr string) (*grpc.ClientConn, error) {
	return grpc.DialContext(ctx, addr, grpc.WithBlock())
}

func optionTimeout(addr string) (*grpc.ClientConn, error) {
	return grpc.Dial(addr, grpc.WithBlock(), grpc.WithTimeout(5))
}
