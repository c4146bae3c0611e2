package ui_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium returns the path of a Chromium or Chrome, or fails t when CI is
// set and none is installed, else skips t.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	msg := "no chromium, chromium-browser or google-chrome on PATH; install Debian's chromium to run the dashboard's browser test"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip("SKIPPED: " + msg)
	return ""
}

// artifacts returns the folder of the screenshots: $PARTNERGATE_ARTIFACTS
// when set, else a temporary one.
func artifacts(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("PARTNERGATE_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots go to %s", dir)
	return dir
}

// TestBrowser drives headless Chromium through the dashboard as staff use
// it: sign in with a token, read the overview and a partner, release a held
// document from the queue, search an order's lifecycle and open a file with
// a finding. It saves a screenshot of each page.
func TestBrowser(t *testing.T) {
	t.Parallel()
	path := chromium(t)
	dir := artifacts(t)
	b := setup(t, nil)
	b.send(t, "acme-retail", "850-po.edi", order(t, 1001, "PO-BR1", "ACMERETAIL"))
	b.send(t, "acme-retail", "850-po-again.edi", order(t, 1002, "PO-BR1", "ACMERETAIL")) // held
	b.send(t, "acme-retail", "856-asn.edi", shipNotice(t, 1003, "ASN-BR1", "PO-BR1"))
	bad := b.send(t, "acme-retail", "856-bad.edi",
		strings.Replace(shipNotice(t, 1004, "ASN-BR2", "PO-BR2"), "HL*4*3*I~", "HL*4*9*I~", 1))
	hold := openHoldID(t, b)
	if hold == "" || strings.Contains(hold, ",") {
		t.Fatalf("want one open hold, got %q", hold)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.Headless, chromedp.DisableGPU, chromedp.WindowSize(1440, 900))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	defer cancelTimeout()

	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	shot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		file := filepath.Join(dir, name+".png")
		if err := os.WriteFile(file, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot %s", file)
	}
	timed := func(what string, start time.Time) { t.Logf("%s: %v", what, time.Since(start).Round(time.Millisecond)) }

	// Sign in: the dashboard sends the browser to the form first.
	start := time.Now()
	do("open the dashboard", chromedp.Navigate(b.srv.URL+"/ui/"), chromedp.WaitVisible(chromedp.ID("token")))
	shot("01-sign-in")
	do("sign in", chromedp.SendKeys(chromedp.ID("token"), tokOnboard),
		chromedp.Click(chromedp.CSS(`form.login button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS("svg.spark")))
	timed("sign-in to overview", start)
	if got := text("main table tbody"); !strings.Contains(got, "acme-retail") || !strings.Contains(got, "globex") {
		t.Fatalf("overview rows: %q", got)
	}
	if got := text("header.top .who"); !strings.Contains(got, "otto") {
		t.Errorf("signed in as %q", got)
	}
	shot("02-overview")

	// A partner.
	start = time.Now()
	do("open acme-retail", chromedp.Click(chromedp.CSS(`tbody a[href^="/ui/partners/acme-retail"]`)),
		chromedp.WaitVisible(chromedp.CSS("svg.chart")))
	timed("partner page", start)
	if got := text("section[aria-labelledby=sc] table"); !strings.Contains(got, "Exception rate") {
		t.Errorf("scorecard: %q", got)
	}
	shot("03-partner")

	// Release the held order from the queue.
	start = time.Now()
	do("open the queue", chromedp.Click(chromedp.CSS(`header.top nav a[href="/ui/exceptions"]`)),
		chromedp.WaitVisible(chromedp.ID("x"+hold)))
	timed("exception queue", start)
	shot("04-queue")
	do("release", chromedp.Click(chromedp.ID("x"+hold)), chromedp.Click(chromedp.CSS(`button[value=release]`)),
		chromedp.WaitVisible(chromedp.CSS("div.flash")))
	if got := text("div.flash"); !strings.Contains(got, "Released 1 exception (#"+hold+")") || !strings.Contains(got, "Accepted 1 document") {
		t.Fatalf("flash: %q", got)
	}
	if openHoldID(t, b) != "" {
		t.Fatal("the hold is still open")
	}
	shot("05-released")

	// The order's lifecycle: both 850s, then the 856.
	start = time.Now()
	do("search", chromedp.SendKeys(chromedp.ID("top-q"), "PO-BR1"),
		chromedp.Click(chromedp.CSS(`header.top form.search button`)), chromedp.WaitVisible(chromedp.CSS("ol.timeline")))
	timed("search", start)
	got := text("ol.timeline")
	first, asn := strings.Index(got, "850 · purchase_order PO-BR1"), strings.Index(got, "856 · ship_notice ASN-BR1")
	if first < 0 || asn < first || strings.Count(got, "850 · purchase_order PO-BR1") != 2 {
		t.Fatalf("lifecycle: %q", got)
	}
	if !strings.Contains(got, "released") {
		t.Errorf("the released exception is not in the lifecycle: %q", got)
	}
	shot("06-search")

	// A file with a finding, highlighted.
	start = time.Now()
	do("open a file", chromedp.Navigate(fmt.Sprintf("%s/ui/files/%d", b.srv.URL, bad)),
		chromedp.WaitVisible(chromedp.CSS("li.finding.error")))
	timed("file page", start)
	if got := text("li.finding.error"); !strings.Contains(got, "HL*4*9*I") || !strings.Contains(got, "error 7 at HL02") {
		t.Errorf("highlighted segment: %q", got)
	}
	shot("07-file")

	// Signing out ends the session.
	do("sign out", chromedp.Click(chromedp.CSS(`header.top .who button`)), chromedp.WaitVisible(chromedp.ID("token")))
	do("come back", chromedp.Navigate(b.srv.URL+"/ui/exceptions"), chromedp.WaitVisible(chromedp.ID("token")))
}
