package dial

import "net"

// Networks that do not wait for a peer, through constants, range variables and parameters.
const metricsNetwork = "udp"

type reporter struct{ conn net.Conn }

func (r *reporter) connect(network, addr string) error {
	c, err := net.Dial(network, addr)
	if err != nil {
		return err
	}
	r.conn = c
	return nil
}

func startMetrics(r *reporter, addr string) error {
	const network = "udp"
	if err := r.connect(network, addr); err != nil {
		return err
	}
	return r.connect(metricsNetwork, addr)
}

func localSyslog() (net.Conn, error) {
	types := []string{"unixgram", "unix"}
	for _, network := range types {
		if c, err := net.Dial(network, "/dev/log"); err == nil {
			return c, nil
		}
	}
	return nil, net.ErrClosed
}

// One caller passes "tcp": reported.
func open(network, addr string) (net.Conn, error) {
	return net.Dial(network, addr) // want "net.Dial has no timeout"
}

func openBoth(addr string) {
	if c, err := open("udp", addr); err == nil {
		c.Close()
	}
	if c, err := open("tcp", addr); err == nil {
		c.Close()
	}
}
