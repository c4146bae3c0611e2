package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/partnergate/partnergate/gateway"
	"github.com/partnergate/partnergate/gateway/as2"
	"github.com/partnergate/partnergate/partners"
)

// runAS2 dispatches "partnergate as2 send" and "partnergate as2 keygen".
func runAS2(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) > 0 && args[0] == "send":
		return runAS2Send(ctx, args[1:], stdout, stderr)
	case len(args) > 0 && args[0] == "keygen":
		return runAS2Keygen(args[1:], stdout, stderr)
	}
	fmt.Fprintln(stderr, "usage: partnergate as2 send --config FILE --partner ID FILE\n"+
		"       partnergate as2 keygen --cert FILE --key FILE --cn NAME [--days N]")
	return exitUsage
}

// runAS2Keygen implements "partnergate as2 keygen": it creates an RSA 2048
// key pair with a self-signed certificate unless both files exist.
func runAS2Keygen(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("as2 keygen", "--cert FILE --key FILE --cn NAME [--days N]", stderr)
	certPath := fs.String("cert", "", "the certificate `FILE` to write (PEM); give it to partners")
	keyPath := fs.String("key", "", "the private key `FILE` to write (PEM, PKCS#8, mode 0600); keep it secret")
	cn := fs.String("cn", "", "the certificate's common `NAME`, such as our AS2 ID")
	days := fs.Int("days", 365, "how many `days` the certificate is valid")
	if code, done := parseFlags(fs, args); done {
		return code
	}
	if *certPath == "" || *keyPath == "" || *cn == "" || fs.NArg() != 0 || *days < 1 {
		return usageError(fs, "want --cert FILE, --key FILE, --cn NAME and no arguments; --days at least 1")
	}
	created, err := as2.EnsureKeyPair(&as2.EnsureKeyPairParams{CertPath: *certPath, KeyPath: *keyPath, CommonName: *cn,
		ValidFor: time.Duration(*days) * 24 * time.Hour})
	if err != nil {
		fmt.Fprintf(stderr, "partnergate as2 keygen: %v\n", err)
		return exitFail
	}
	if created {
		fmt.Fprintf(stdout, "created %s and %s (CN=%s, %d days)\n", *certPath, *keyPath, *cn, *days)
	} else {
		fmt.Fprintf(stdout, "kept %s and %s: both exist\n", *certPath, *keyPath)
	}
	return exitOK
}

// runAS2Send implements "partnergate as2 send": it sends a file to a
// partner over AS2 as a test, asking for a synchronous MDN even from a
// partner whose channels.as2.mdn is async, and prints the MDN.
func runAS2Send(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("as2 send", "--config FILE --partner ID FILE", stderr)
	path := fs.String("config", "gateway.yaml", "the service configuration `FILE`, for our AS2 ID and key")
	partnerID := fs.String("partner", "", "the partner `ID` to send to (its channels.as2)")
	if code, done := parseFlags(fs, args); done {
		return code
	}
	if *partnerID == "" || fs.NArg() != 1 {
		return usageError(fs, "want --partner ID and one FILE")
	}
	cfg, err := gateway.LoadConfig(*path, os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "partnergate as2 send: %v\n", err)
		return exitFail
	}
	if cfg.AS2.ID == "" || len(cfg.AS2.Keys) == 0 {
		fmt.Fprintln(stderr, "partnergate as2 send: the configuration has no as2 section with a key")
		return exitFail
	}
	res, err := as2Send(ctx, cfg.PartnersDir, *partnerID, fs.Arg(0), as2.SenderConfig{ID: cfg.AS2.ID,
		Key: as2.Key{Cert: cfg.AS2.Keys[0].Cert, Key: cfg.AS2.Keys[0].Signer}})
	if res != nil {
		fmt.Fprintf(stdout, "Message-ID: %s\nMIC: %s, %s\nDisposition: %s\n\n%s", res.MessageID, res.MIC, res.MICAlg,
			res.Disposition, res.MDN)
	}
	if err != nil {
		fmt.Fprintf(stderr, "partnergate as2 send: %v\n", err)
		return exitFail
	}
	return exitOK
}

func as2Send(ctx context.Context, dir, partnerID, file string, sc as2.SenderConfig) (*as2.SendResult, error) {
	set, err := partners.Load(dir)
	if err != nil {
		return nil, err
	}
	p, ok := set.ByID(partnerID)
	if !ok || p.Channels.AS2 == nil || p.Channels.AS2.URL == "" {
		return nil, fmt.Errorf("partner %q has no channels.as2 with a url in %s", partnerID, dir)
	}
	// The MDN is printed, so it is asked for synchronously whatever
	// channels.as2.mdn says.
	c := *p.Channels.AS2
	c.MDN = partners.MDNSync
	q := *p
	q.Channels.AS2 = &c
	p = &q
	payload, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	sender, err := as2.NewSender(sc)
	if err != nil {
		return nil, err
	}
	return sender.Send(ctx, &as2.SendParams{Partner: p, Filename: filepath.Base(file), Payload: payload})
}
