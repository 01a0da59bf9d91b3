/* analyzers.h - the analyzer descriptors, one per file in analyzers/. */
#ifndef OMEN_ANALYZERS_H
#define OMEN_ANALYZERS_H

#include "omen.h"

/* Go */
extern const omen_analyzer omen_go_inspect;      /* base: one walk, sites by kind */
extern const omen_analyzer omen_go_types;        /* base: package index and type-lite */
extern const omen_analyzer omen_go_cfg;          /* base: control flow of each function */
extern const omen_analyzer omen_go_context;      /* base: concurrency context, handlers, contexts in scope */
extern const omen_analyzer omen_go_locks; /* base: lock sets and lock summaries */
extern const omen_analyzer omen_go_summary; /* base: blocking, channel and WaitGroup summaries */
extern const omen_analyzer omen_go_http_timeout; /* missing-timeout/http-no-timeout */
extern const omen_analyzer omen_go_timeouts;     /* missing-timeout: sql, requests, servers, dials, contexts */
extern const omen_analyzer omen_go_resource_leak; /* resource-leak: rows, bodies, cancel functions */
extern const omen_analyzer omen_go_unbounded_stream; /* unbounded-stream: request bodies, gRPC streams, receive loops, goroutines per item */
extern const omen_analyzer omen_go_goroutine_leak; /* thread-leak: goroutines that block or loop forever */
extern const omen_analyzer omen_go_deadlock; /* deadlock: double locks, returns without unlock, blocking under a lock, lock order */
extern const omen_analyzer omen_go_map_race; /* map-race: maps shared between goroutines without their mutex */

/* C/C++ */
extern const omen_analyzer omen_c_inspect;     /* base: one walk, functions and calls */
extern const omen_analyzer omen_c_thread_join; /* thread-leak/thread-not-joined */
extern const omen_analyzer omen_c_threads;         /* base: thread start sites, call graph, thread context */
extern const omen_analyzer omen_c_thread_lifetime; /* thread-leak: std::thread destroyed joinable, heap threads, routines that never exit */
extern const omen_analyzer omen_c_resource_leak;   /* resource-leak: descriptors, FILE*, DIR*, CURL, attrs */
extern const omen_analyzer omen_c_timeouts;        /* missing-timeout: curl, TCP sockets, db/cache clients, gRPC */
extern const omen_analyzer omen_c_unbounded_stream; /* unbounded-stream: peer-fed buffers and wire lengths */
extern const omen_analyzer omen_c_locks;           /* base: lock operations, lock sets, lock summaries */
extern const omen_analyzer omen_c_deadlock;        /* deadlock: leaked locks on return, double locks, order inversions */
extern const omen_analyzer omen_c_map_race;        /* map-race: shared containers and structs changed without their mutex */

/* Any language */
extern const omen_analyzer omen_rule_pack; /* the declarative rules of the loaded rule packs */

#endif
