// Package pb stands in for generated protobuf and gRPC code.
package pb

type GetRequest struct{ Key string }

type GetResponse struct{ Value string }

type PutRequest struct {
	Key   string
	Value string
}

type PutReply struct{}

type CountReq struct{ Key string }

type CountResp struct{ N int }
