package dial

import "net"

type direct struct{}

// Dial mirrors net.Dial: its callers choose the timeout.
func (direct) Dial(network, addr string) (net.Conn, error) {
	return net.Dial(network, addr)
}

// Not a pass-through wrapper: reported.
func DialDefault(addr string) (net.Conn, error) {
	return net.Dial("tcp", addr) // want "net.Dial has no timeout"
}
