package dial

import (
	"fmt"
	stdnet "net"
)

func describe(addr string) string {
	c, err := stdnet.Dial("tcp", addr) // want "stdnet.Dial has no timeout"
	if err != nil {
		return err.Error()
	}
	defer c.Close()
	return fmt.Sprint(c.RemoteAddr())
}
