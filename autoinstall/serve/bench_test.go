package serve

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// benchClients is the number of concurrent installers the benchmark
// simulates.
const benchClients = 64

// BenchmarkServeInstallConf measures install.conf requests over a real
// listener with 64 concurrent keep-alive clients, through the whole
// server: grammar, lookup, trail recording (with the state directory
// written in the background) and the cached render from autoinstall. It
// reports requests per second, the 99th percentile latency, and the live
// heap growth over the run (run with -benchtime 100000x to see memory stay
// flat over 100,000 requests).
func BenchmarkServeInstallConf(b *testing.B) {
	sets, _, _ := mirror(b)
	store, err := OpenStore(filepath.Join(b.TempDir(), "state"), nil)
	if err != nil {
		b.Fatal(err)
	}
	srv, err := New(Config{Renderer: Autoinstall{}, Store: store, SetsDir: sets,
		Log: slog.New(slog.DiscardHandler)}, NewSnapshot(loadSite(b, siteFS(b, "")), time.Now()))
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go store.Run(ctx)
	go func() { done <- srv.Serve(ctx, ln, 0) }()
	defer func() { cancel(); <-done }()

	url := "http://" + ln.Addr().String() + "/" + laptopMAC + "-install.conf?path=7.8/amd64"
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: benchClients, MaxIdleConnsPerHost: benchClients}}
	get := func() error {
		resp, err := client.Get(url)
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Errorf("status %d", resp.StatusCode)
		}
		return err
	}
	if err := get(); err != nil { // warm the render cache
		b.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)

	lat := make([]time.Duration, b.N)
	var next atomic.Int64
	b.SetParallelism((benchClients + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			t0 := time.Now()
			if err := get(); err != nil {
				b.Error(err)
				return
			}
			lat[next.Add(1)-1] = time.Since(t0)
		}
	})
	elapsed := time.Since(start)
	b.StopTimer()
	runtime.GC()
	runtime.ReadMemStats(&after)
	lat = lat[:next.Load()]
	slices.Sort(lat)
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20), "heap-growth-MB")
}
