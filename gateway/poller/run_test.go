package poller_test

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/partnergate/partnergate/gateway/gatewaytest"
	"github.com/partnergate/partnergate/gateway/poller"
	"github.com/partnergate/partnergate/gateway/sshdtest"
)

// TestUnreachableBacksOff runs the schedules of two partners, one whose
// server refuses connections and one on a real sshd: the first is tried
// once, recorded with an exception and left alone during its backoff,
// while the second, configured after Run started, is polled on schedule.
func TestUnreachableBacksOff(t *testing.T) {
	t.Parallel()
	env := gatewaytest.Start(t, gatewaytest.Partner{ID: "good"}, gatewaytest.Partner{ID: "down", Sender: "DOWN"})
	s := sshdtest.Start(t)
	gatewaytest.WriteFile(t, filepath.Join(env.PartnersDir, "client.key"), sshdtest.ReadFile(t, s.ClientKey))
	good := remote{Port: s.Port, User: s.User, HostKey: s.HostKey, PrivateKey: "file:client.key",
		Inbound: s.Dir(t, "in"), Outbound: s.Dir(t, "out"), Schedule: "@every 1s"}
	down := good
	down.Port = sshdtest.FreePort(t)
	configure(t, env, gatewaytest.Partner{ID: "down", Sender: "DOWN"}, down)

	var mu sync.Mutex
	dials := map[int]int{} // by port
	a := env.App
	p, err := poller.New(poller.Config{Partners: a.Partners, Store: a.Store, Pool: a.Pool, Pipeline: a.Pipeline,
		Backoff: poller.Backoff{Min: time.Hour}, ReloadEvery: 50 * time.Millisecond,
		Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
			_, port, _ := net.SplitHostPort(addr)
			var n int
			_, _ = fmt.Sscan(port, &n)
			mu.Lock()
			dials[n]++
			mu.Unlock()
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error, 1)
	go func() { stopped <- p.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-stopped; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	dialsTo := func(port int) int {
		mu.Lock()
		defer mu.Unlock()
		return dials[port]
	}
	waitUntil(t, "the first poll of the down partner", func() bool { return dialsTo(down.Port) > 0 })

	configure(t, env, gatewaytest.Partner{ID: "good"}, good)
	b := &testBundle{env: env, in: good.Inbound}
	for i := range 2 {
		name := fmt.Sprintf("po-%d.edi", i)
		b.put(t, name, gatewaytest.Fixture(t, "850-004010.edi"))
		waitUntil(t, name+" taken", func() bool { return len(names(t, good.Inbound)) == 0 })
	}
	if n := countFiles(t, b, "good"); n != 2 {
		t.Errorf("good: %d files stored, want 2", n)
	}
	if n := dialsTo(down.Port); n != 1 {
		t.Errorf("down: %d connection attempts during its backoff, want 1", n)
	}
	checkUnreachable(t, b, "down", "dial", "connection refused")
}
