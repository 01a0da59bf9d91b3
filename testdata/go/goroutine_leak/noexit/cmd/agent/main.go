// Command agent runs background loops for the life of the process.
package main

import (
	"log"
	"time"
)

func heartbeat() {
	for {
		log.Print("alive")
		time.Sleep(10 * time.Second)
	}
}

func startBackground() {
	go heartbeat()
	go func() {
		for range time.Tick(time.Minute) {
			log.Print("tick")
		}
	}()
}

func main() {
	startBackground()
	go func() {
		for {
			time.Sleep(time.Second)
		}
	}()
	select {}
}
