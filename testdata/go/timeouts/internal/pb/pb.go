// Package pb stands in for generated protobuf and gRPC code.
package pb

import "context"

type GetRequest struct{ Key string }

type GetResponse struct{ Value string }

type PingReq struct{}

type PingReply struct{}

// Store_WatchServer is the server side of a streaming method.
type Store_WatchServer interface {
	Send(*GetResponse) error
	Context() context.Context
}
