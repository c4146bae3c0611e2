package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/smallstep/pkcs7"

	"github.com/partnergate/partnergate/gateway/as2"
	"github.com/partnergate/partnergate/gateway/gatewaytest"
	"github.com/partnergate/partnergate/gateway/store"
)

// TestBenchAS2 posts messages built by the tool to the real AS2 handler.
// It is not parallel: newAS2Builder sets a pkcs7 package variable.
func TestBenchAS2(t *testing.T) {
	us, them := t.TempDir(), t.TempDir()
	writeAS2Key(t, us)   // the gateway
	writeAS2Key(t, them) // the partner
	env := gatewaytest.Start(t, gatewaytest.Partner{
		// Not require_signed, for the unsigned run.
		Extra: "  as2:\n    as2_id: \"ACME AS2\"\n    certificates: [\"file:" + filepath.Join(them, "as2.crt") + "\"]\n    require_encrypted: true\n" +
			"    require_signed: false\n"})
	app := env.App
	cert, err := readCertificate(filepath.Join(us, "as2.crt"))
	if err != nil {
		t.Fatal(err)
	}
	key, err := readPrivateKey(filepath.Join(us, "as2.key"))
	if err != nil {
		t.Fatal(err)
	}
	h, err := as2.New(as2.Config{Partners: app.Partners, Store: app.Store, DB: app.Pool, Pipeline: app.Pipeline,
		ID: "NORTHWIND", Keys: []as2.Key{{Cert: cert, Key: key}}, Logger: app.Logger})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	args := []string{"--url", srv.URL + "/as2", "--from", "ACME AS2", "--to", "NORTHWIND",
		"--cert", filepath.Join(them, "as2.crt"), "--key", filepath.Join(them, "as2.key"),
		"--their-cert", filepath.Join(us, "as2.crt"), "--sets", "2", "--lines", "2", "--concurrency", "2"}

	t.Run("one message", func(t *testing.T) {
		o := &benchAS2Opts{url: srv.URL + "/as2", from: "ACME AS2", to: "NORTHWIND", certPath: filepath.Join(them, "as2.crt"),
			keyPath: filepath.Join(them, "as2.key"), theirPath: filepath.Join(us, "as2.crt"),
			sender: "ACMERETAIL", receiver: "NORTHWIND", sets: 3, lines: 2}
		keys, err := loadAS2Keys(o)
		if err != nil {
			t.Fatal(err)
		}
		b := newAS2Builder(o, keys)
		m, err := b.build(1)
		if err != nil {
			t.Fatal(err)
		}
		r := b.post(context.Background(), http.DefaultClient, m)
		if r.err != nil || r.disposition != as2.DispositionProcessed {
			t.Fatalf("disposition %q, err %v", r.disposition, r.err)
		}
		rec, err := app.Store.AS2Message(context.Background(), app.Pool, "acme-retail", m.id)
		if err != nil || rec.FileID == nil {
			t.Fatalf("AS2Message(%s): %+v, %v", m.id, rec, err)
		}
		f := env.WaitProcessed(t, *rec.FileID, 1)
		if f.Status != store.FileAccepted || f.Channel != "as2" || f.Filename != m.filename {
			t.Errorf("file %+v", f)
		}
		// The same message again is a duplicate, which the tool counts
		// as not processed.
		if r := b.post(context.Background(), http.DefaultClient, m); r.err != nil || r.disposition != as2.DispositionDuplicate {
			t.Errorf("repeat: disposition %q, err %v", r.disposition, r.err)
		}
	})

	t.Run("a run", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		code := runBenchAS2(context.Background(), append(args, "--messages", "6", "--rate", "0"), &stdout, &stderr)
		if code != exitOK || !strings.Contains(stdout.String(), "processed         6 ") ||
			!strings.Contains(stdout.String(), "lost              0 of 6") || !strings.Contains(stdout.String(), "from 0s               6 messages, p50 ") {
			t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, &stdout, &stderr)
		}
	})

	t.Run("unsigned", func(t *testing.T) {
		o := &benchAS2Opts{url: srv.URL + "/as2", from: "ACME AS2", to: "NORTHWIND", theirPath: filepath.Join(us, "as2.crt"),
			sender: "ACMERETAIL", receiver: "NORTHWIND", sets: 1, lines: 1}
		keys, err := loadAS2Keys(o)
		if err != nil {
			t.Fatal(err)
		}
		b := newAS2Builder(o, keys)
		m, err := b.build(1)
		if err != nil {
			t.Fatal(err)
		}
		p7, err := pkcs7.Parse(m.body)
		if err != nil {
			t.Fatal(err)
		}
		inner, err := p7.Decrypt(cert, key)
		if err != nil || !bytes.HasPrefix(inner, []byte("Content-Type: application/edi-x12\r\n")) {
			t.Fatalf("the decrypted message is not the bare 850 entity (%v): %.80q", err, inner)
		}
		if r := b.post(context.Background(), http.DefaultClient, m); r.err != nil || r.disposition != as2.DispositionProcessed {
			t.Fatalf("disposition %q, err %v", r.disposition, r.err)
		}
	})

	t.Run("a wrong gateway certificate fails the run", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		bad := append(slices.Clone(args), "--messages", "2", "--rate", "0", "--timeout", "30s")
		for i, a := range bad {
			if a == filepath.Join(us, "as2.crt") {
				bad[i] = filepath.Join(them, "as2.crt") // encrypted for the partner itself
			}
		}
		code := runBenchAS2(context.Background(), bad, &stdout, &stderr)
		if code != exitFail || !strings.Contains(stdout.String(), "lost              2 of 2") {
			t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, &stdout, &stderr)
		}
	})
}
