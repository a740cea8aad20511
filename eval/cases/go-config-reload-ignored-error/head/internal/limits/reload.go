package limits

import (
	"encoding/json"
	"log/slog"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
)

type Limits struct {
	RequestsPerMinute int            `json:"requests_per_minute"`
	Burst             int            `json:"burst"`
	PerPlan           map[string]int `json:"per_plan"`
}

var current atomic.Pointer[Limits]

func Current() *Limits { return current.Load() }

// WatchReload re-reads path whenever the process receives SIGHUP.
func WatchReload(path string, log *slog.Logger) {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGHUP)
	go func() {
		for range signals {
			data, err := os.ReadFile(path)
			if err != nil {
				log.Error("cannot read limits", "path", path, "err", err)
				continue
			}
			var next Limits
			_ = json.Unmarshal(data, &next)
			current.Store(&next)
			log.Info("limits reloaded", "rpm", next.RequestsPerMinute, "burst", next.Burst)
		}
	}()
}
