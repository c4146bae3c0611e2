package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"mime"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/smallstep/pkcs7"

	"github.com/partnergate/partnergate/edi"
	"github.com/partnergate/partnergate/gateway"
	"github.com/partnergate/partnergate/partners"
)

// benchAS2Opts configures "partnergate bench as2".
type benchAS2Opts struct {
	url         string // the AS2 endpoint
	from, to    string // AS2-From (the partner) and AS2-To (the gateway)
	certPath    string // the partner's certificate, which signs; "": unsigned
	keyPath     string // the partner's private key; "": unsigned
	theirPath   string // the gateway's certificate: encrypts, verifies MDNs
	sender      string // ISA06 of the generated files
	receiver    string // ISA08 of the generated files
	duration    time.Duration
	concurrency int
	rate        float64
	messages    int // messages built before the run; 0: rate × duration
	sets, lines int
	partner     string // partner ID for the API count
	staffToken  string // enables the API count
	api         string // the API's base URL; default: scheme and host of url
	timeout     time.Duration
	window      time.Duration // p99 by window of the run; 0: none
}

// security describes how the run's messages are protected.
func (o *benchAS2Opts) security() string {
	if o.certPath == "" {
		return "unsigned, AES-256-CBC"
	}
	return "signed SHA-256, AES-256-CBC"
}

// as2Unlimited is the number of messages built for a run without a rate
// when --messages is not given.
const as2Unlimited = 10000

func runBenchAS2(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("bench as2", "--from ID [--cert FILE --key FILE] --their-cert FILE [--url URL] [--rate N] [--duration D]", stderr)
	var o benchAS2Opts
	fs.StringVar(&o.url, "url", "http://127.0.0.1:8080/as2", "the gateway's AS2 endpoint `URL`")
	fs.StringVar(&o.from, "from", "", "the partner's AS2 `ID` (AS2-From); required")
	fs.StringVar(&o.to, "to", "NORTHWIND", "the gateway's AS2 `ID` (AS2-To)")
	fs.StringVar(&o.certPath, "cert", "", "the partner's certificate (PEM `file`) that signs; without --cert and --key the messages are not signed")
	fs.StringVar(&o.keyPath, "key", "", "the partner's private key (PEM `file`, PKCS#1 or PKCS#8)")
	fs.StringVar(&o.theirPath, "their-cert", "", "the gateway's certificate (PEM `file`): messages are encrypted for it and MDNs verified against it; required")
	fs.StringVar(&o.sender, "sender", "ACMERETAIL", "the partner's ISA06 (qualifier ZZ) in the generated files")
	fs.StringVar(&o.receiver, "receiver", "NORTHWIND", "the gateway's ISA08 (qualifier ZZ) in the generated files")
	fs.DurationVar(&o.duration, "duration", 60*time.Second, "how long to post messages")
	fs.IntVar(&o.concurrency, "concurrency", 64, "messages in flight at most")
	fs.Float64Var(&o.rate, "rate", 200, "messages posted per second in all; 0 posts as fast as the gateway answers")
	fs.IntVar(&o.messages, "messages", 0, fmt.Sprintf("messages built before the run (0: rate × duration, or %d without a rate); the run ends when they are posted", as2Unlimited))
	fs.IntVar(&o.sets, "sets", 10, "850 transaction sets per message")
	fs.IntVar(&o.lines, "lines", 8, "PO1 lines per set")
	fs.StringVar(&o.partner, "partner", "acme-retail", "the partner's `ID` in the gateway, for the --staff-token count")
	fs.StringVar(&o.staffToken, "staff-token", "", "a staff API `token`: after the run, count the run's files in GET /api/v1/files?partner=ID")
	fs.StringVar(&o.api, "api", "", "the gateway's API base `URL` (default: the scheme and host of --url)")
	fs.DurationVar(&o.timeout, "timeout", time.Minute, "how long one message may wait for its MDN")
	fs.DurationVar(&o.window, "window", 10*time.Second, "report p50 and p99 for each `span` of the run, by when messages were posted, to show warm-up; 0 does not")
	if code, done := parseFlags(fs, args); done {
		return code
	}
	if o.from == "" || o.theirPath == "" || (o.certPath == "") != (o.keyPath == "") {
		fmt.Fprintln(stderr, "partnergate bench as2: --from and --their-cert are required, and --cert and --key go together")
		return exitUsage
	}
	rep, err := benchAS2(ctx, &o, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "partnergate bench as2: %v\n", err)
		return exitFail
	}
	rep.print(stdout)
	if rep.sent == 0 || rep.processed != rep.sent || (rep.apiFiles >= 0 && rep.apiFiles != rep.processed) {
		return exitFail
	}
	return exitOK
}

// as2Keys are the key material of a run.
type as2Keys struct {
	cert  *x509.Certificate // ours (the partner's): signs; nil: unsigned
	key   crypto.PrivateKey
	their *x509.Certificate // the gateway's: encrypts, verifies MDNs
}

func loadAS2Keys(o *benchAS2Opts) (*as2Keys, error) {
	var k as2Keys
	var err error
	if k.their, err = readCertificate(o.theirPath); err != nil {
		return nil, err
	}
	if o.certPath == "" {
		return &k, nil
	}
	if k.cert, err = readCertificate(o.certPath); err != nil {
		return nil, err
	}
	if k.key, err = readPrivateKey(o.keyPath); err != nil {
		return nil, err
	}
	return &k, nil
}

// readCertificate reads the first certificate of a PEM or DER file.
func readCertificate(path string) (*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	certs, err := partners.ParseCertificates(data)
	if err != nil || len(certs) == 0 {
		return nil, fmt.Errorf("%s: no certificate (%v)", path, err)
	}
	return certs[0], nil
}

// readPrivateKey reads an unencrypted PEM private key.
func readPrivateKey(path string) (crypto.Signer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	k, err := gateway.ParsePrivateKey(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// as2Message is one prepared AS2 POST.
type as2Message struct {
	id          string // Message-ID
	filename    string
	contentType string
	body        []byte // DER EnvelopedData
	mic         string // base64 SHA-256 of the signed (or, unsigned, the encrypted) entity, as the MDN must return it
}

// as2Builder builds distinct signed and encrypted messages of a run.
type as2Builder struct {
	o    *benchAS2Opts
	keys *as2Keys
	base int64 // run tag: ISA13s, Message-IDs and filenames derive from it
}

// newAS2Builder prepares a builder. It sets pkcs7.ContentEncryptionAlgorithm
// (the library has no per-call option), so it is called once per process
// before any message is built.
func newAS2Builder(o *benchAS2Opts, keys *as2Keys) *as2Builder {
	pkcs7.ContentEncryptionAlgorithm = pkcs7.EncryptionAlgorithmAES256CBC
	return &as2Builder{o: o, keys: keys, base: 100000000 + rand.Int64N(800000000)}
}

// filePrefix starts the filename of every message of the run.
func (b *as2Builder) filePrefix() string { return fmt.Sprintf("bench-as2-%d-", b.base) }

// build returns the n-th message: a generated 850 file as an
// application/edi-x12 entity, signed (multipart/signed, SHA-256, detached)
// with the partner's key unless the run is unsigned, then enveloped with
// AES-256-CBC for the gateway.
func (b *as2Builder) build(n int64) (*as2Message, error) {
	o := b.o
	var x12 bytes.Buffer
	if _, err := edi.GenerateOrders(&x12, &edi.GenerateOpts{Interchanges: 1, SetsPerGroup: o.sets, LinesPerSet: o.lines,
		Seed: b.base + n, FirstControl: int(b.base + n), Sender: o.sender, Receiver: o.receiver}); err != nil {
		return nil, err
	}
	m := &as2Message{filename: fmt.Sprintf("%s%d.edi", b.filePrefix(), n)}
	m.id = fmt.Sprintf("<bench-%d-%d@partnergate.bench>", b.base, n)
	var entity bytes.Buffer
	entity.WriteString("Content-Type: application/edi-x12\r\nContent-Transfer-Encoding: binary\r\n")
	fmt.Fprintf(&entity, "Content-Disposition: attachment; filename=%s\r\n\r\n", m.filename)
	entity.Write(x12.Bytes())
	sum := sha256.Sum256(entity.Bytes())
	m.mic = base64.StdEncoding.EncodeToString(sum[:])
	m.contentType = "application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m"
	if b.keys.cert == nil {
		var err error
		if m.body, err = pkcs7.Encrypt(entity.Bytes(), []*x509.Certificate{b.keys.their}); err != nil {
			return nil, fmt.Errorf("encrypt: %w", err)
		}
		return m, nil
	}

	sd, err := pkcs7.NewSignedData(entity.Bytes())
	if err != nil {
		return nil, err
	}
	sd.SetDigestAlgorithm(pkcs7.OIDDigestAlgorithmSHA256)
	if err := sd.AddSigner(b.keys.cert, b.keys.key, pkcs7.SignerInfoConfig{}); err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	sd.Detach()
	sig, err := sd.Finish()
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	boundary := fmt.Sprintf("----=_bench_%d_%d", b.base, n)
	var signed bytes.Buffer
	fmt.Fprintf(&signed, "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=\"%s\"\r\n\r\n", boundary)
	fmt.Fprintf(&signed, "--%s\r\n", boundary)
	signed.Write(entity.Bytes())
	fmt.Fprintf(&signed, "\r\n--%s\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\n", boundary)
	signed.WriteString("Content-Disposition: attachment; filename=smime.p7s\r\n\r\n")
	enc := base64.StdEncoding.EncodeToString(sig)
	for len(enc) > 76 {
		signed.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	fmt.Fprintf(&signed, "%s\r\n--%s--\r\n", enc, boundary)

	m.body, err = pkcs7.Encrypt(signed.Bytes(), []*x509.Certificate{b.keys.their})
	if err != nil {
		return nil, fmt.Errorf("encrypt: %w", err)
	}
	return m, nil
}

// buildAll builds count messages on every CPU.
func (b *as2Builder) buildAll(ctx context.Context, count int) ([]*as2Message, error) {
	msgs := make([]*as2Message, count)
	var (
		next atomic.Int64
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= int64(count) {
					return
				}
				m, err := b.build(i + 1)
				if err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
					return
				}
				msgs[i] = m
			}
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		return nil, errs[0]
	}
	return msgs, ctx.Err()
}

// as2Headers quotes an AS2 ID that has spaces or quotes (RFC 4130 §6.2).
func as2Header(id string) string {
	if strings.ContainsAny(id, " \t\"\\") {
		return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(id) + `"`
	}
	return id
}

// as2Result is the outcome of one message.
type as2Result struct {
	sent        bool
	at          time.Duration // request start, from the start of the run
	latency     time.Duration // request start to MDN read
	disposition string        // "" when no MDN was read
	err         error         // transport, status, MDN or signature problems
}

// post sends m and checks its synchronous MDN.
func (b *as2Builder) post(ctx context.Context, client *http.Client, m *as2Message) (res as2Result) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.o.url, bytes.NewReader(m.body))
	if err != nil {
		res.err = err
		return res
	}
	h := req.Header
	h.Set("Content-Type", m.contentType)
	h.Set("Content-Transfer-Encoding", "binary")
	h.Set("MIME-Version", "1.0")
	h.Set("AS2-Version", "1.2")
	h.Set("AS2-From", as2Header(b.o.from))
	h.Set("AS2-To", as2Header(b.o.to))
	h.Set("Message-ID", m.id)
	h.Set("Subject", "partnergate bench as2")
	h.Set("Disposition-Notification-To", "bench@partnergate.invalid")
	h.Set("Disposition-Notification-Options", "signed-receipt-protocol=optional, pkcs7-signature; signed-receipt-micalg=optional, sha-256")
	start := time.Now()
	res.sent = true
	resp, err := client.Do(req)
	if err != nil {
		res.err = err
		return res
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	res.latency = time.Since(start)
	if err != nil {
		res.err = err
		return res
	}
	if resp.StatusCode != http.StatusOK {
		res.err = fmt.Errorf("%s: %.200s", resp.Status, body)
		return res
	}
	res.disposition, res.err = b.checkMDN(resp.Header.Get("Content-Type"), body, m)
	return res
}

// checkMDN verifies a synchronous signed MDN against the gateway's
// certificate and returns its Disposition; the MDN must answer m and, when
// processed, carry m's MIC.
func (b *as2Builder) checkMDN(contentType string, body []byte, m *as2Message) (string, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return "", fmt.Errorf("MDN Content-Type %q: %w", contentType, err)
	}
	if mt != "multipart/signed" {
		return "", fmt.Errorf("MDN is %s, want a signed MDN (multipart/signed)", mt)
	}
	parts, err := mimeParts(body, params["boundary"])
	if err != nil || len(parts) != 2 {
		return "", fmt.Errorf("MDN: want 2 parts of multipart/signed, got %d (%v)", len(parts), err)
	}
	if err := b.verifySignature(parts[0], parts[1]); err != nil {
		return "", fmt.Errorf("MDN signature: %w", err)
	}
	report := string(parts[0])
	fields := mdnFields(report)
	if got := fields["original-message-id"]; got != m.id {
		return "", fmt.Errorf("MDN answers Message-ID %q, want %q", got, m.id)
	}
	d := fields["disposition"]
	if d == "" {
		return "", errors.New("MDN has no Disposition")
	}
	if dispositionProcessed(d) {
		mic, _, _ := strings.Cut(fields["received-content-mic"], ",")
		if strings.TrimSpace(mic) != m.mic {
			return d, fmt.Errorf("MDN MIC %q, want %q", mic, m.mic)
		}
	}
	return d, nil
}

// dispositionProcessed reports whether d is a plain "processed".
func dispositionProcessed(d string) bool {
	_, mod, _ := strings.Cut(d, ";")
	return strings.EqualFold(strings.TrimSpace(mod), "processed")
}

// mdnFields returns the header-style fields of a multipart/report (its
// headers, its parts' headers and the disposition-notification fields),
// keyed in lower case; the last occurrence wins.
func mdnFields(report string) map[string]string {
	f := map[string]string{}
	for line := range strings.SplitSeq(report, "\r\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok || strings.ContainsAny(k, " \t") {
			continue
		}
		f[strings.ToLower(k)] = strings.TrimSpace(v)
	}
	return f
}

// verifySignature checks a detached PKCS#7 signature part over content
// and that the gateway's certificate made it.
func (b *as2Builder) verifySignature(content, sigPart []byte) error {
	hdr, body, ok := bytes.Cut(sigPart, []byte("\r\n\r\n"))
	if !ok {
		return errors.New("the signature part has no header end")
	}
	th, err := textproto.NewReader(bufio.NewReader(bytes.NewReader(append(hdr, "\r\n\r\n"...)))).ReadMIMEHeader()
	if err != nil {
		return err
	}
	der := body
	if strings.EqualFold(strings.TrimSpace(th.Get("Content-Transfer-Encoding")), "base64") {
		clean := bytes.Map(func(r rune) rune {
			if r == '\r' || r == '\n' || r == ' ' || r == '\t' {
				return -1
			}
			return r
		}, body)
		der = make([]byte, base64.StdEncoding.DecodedLen(len(clean)))
		n, err := base64.StdEncoding.Decode(der, clean)
		if err != nil {
			return err
		}
		der = der[:n]
	}
	p7, err := pkcs7.Parse(der)
	if err != nil {
		return err
	}
	p7.Content = content
	if err := p7.Verify(); err != nil {
		return err
	}
	if s := p7.GetOnlySigner(); s == nil || !s.Equal(b.keys.their) {
		return errors.New("not signed by --their-cert")
	}
	return nil
}

// mimeParts splits a multipart body into its parts as they are, headers
// included, without the CRLF before each delimiter.
func mimeParts(body []byte, boundary string) ([][]byte, error) {
	if boundary == "" {
		return nil, errors.New("no boundary")
	}
	delim := []byte("\r\n--" + boundary)
	rest := append([]byte("\r\n"), body...)
	i := bytes.Index(rest, delim)
	if i < 0 {
		return nil, errors.New("no first delimiter")
	}
	rest = rest[i+len(delim):]
	var parts [][]byte
	for !bytes.HasPrefix(rest, []byte("--")) {
		eol := bytes.Index(rest, []byte("\r\n"))
		if eol < 0 {
			return parts, errors.New("truncated delimiter line")
		}
		rest = rest[eol+2:]
		end := bytes.Index(rest, delim)
		if end < 0 {
			return parts, errors.New("no closing delimiter")
		}
		parts = append(parts, rest[:end])
		rest = rest[end+len(delim):]
	}
	return parts, nil
}

// benchAS2Report is what an AS2 load run measured.
type benchAS2Report struct {
	opts         *benchAS2Opts
	built        int
	buildTime    time.Duration
	sent         int
	processed    int // 200, signed MDN verified, disposition processed, MIC right
	failed       int
	wall         time.Duration // first post to last MDN
	latencies    []time.Duration
	windows      [][]time.Duration // latencies by window of opts.window, by request start
	dispositions map[string]int
	errors       map[string]int // failures by message, with counts
	apiFiles     int            // -1: not counted
	apiErr       error
}

func benchAS2(ctx context.Context, o *benchAS2Opts, progress io.Writer) (*benchAS2Report, error) {
	keys, err := loadAS2Keys(o)
	if err != nil {
		return nil, err
	}
	count := o.messages
	if count <= 0 {
		count = as2Unlimited
		if o.rate > 0 {
			count = int(math.Ceil(o.rate * o.duration.Seconds()))
		}
	}
	b := newAS2Builder(o, keys)
	start := time.Now()
	msgs, err := b.buildAll(ctx, count)
	if err != nil {
		return nil, fmt.Errorf("building messages: %w", err)
	}
	rep := &benchAS2Report{opts: o, built: count, buildTime: time.Since(start), apiFiles: -1,
		dispositions: map[string]int{}, errors: map[string]int{}}
	fmt.Fprintf(progress, "built %d %s messages in %s; posting\n", count, o.security(), rep.buildTime.Round(time.Millisecond))
	results := b.run(ctx, msgs, rep)
	for _, r := range results {
		if !r.sent {
			continue
		}
		rep.sent++
		if r.disposition != "" {
			rep.dispositions[r.disposition]++
		}
		switch {
		case r.err != nil:
			rep.failed++
			msg := r.err.Error()
			if len(msg) > 160 {
				msg = msg[:160] + "…"
			}
			rep.errors[msg]++
		case !dispositionProcessed(r.disposition):
			rep.failed++
		default:
			rep.processed++
			rep.latencies = append(rep.latencies, r.latency)
			if o.window > 0 {
				w := int(r.at / o.window)
				for len(rep.windows) <= w {
					rep.windows = append(rep.windows, nil)
				}
				rep.windows[w] = append(rep.windows[w], r.latency)
			}
		}
	}
	if o.staffToken != "" {
		rep.apiFiles, rep.apiErr = b.countFiles(ctx)
	}
	return rep, nil
}

// run posts msgs at the rate with at most o.concurrency in flight, until
// all are posted or the duration is over.
func (b *as2Builder) run(ctx context.Context, msgs []*as2Message, rep *benchAS2Report) []as2Result {
	o := b.o
	client := &http.Client{Timeout: o.timeout, Transport: &http.Transport{
		MaxIdleConnsPerHost: o.concurrency, MaxConnsPerHost: o.concurrency}}
	results := make([]as2Result, len(msgs))
	var (
		next atomic.Int64
		wg   sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(o.duration)
	for range o.concurrency {
		wg.Go(func() {
			for ctx.Err() == nil {
				n := next.Add(1) - 1
				if n >= int64(len(msgs)) {
					return
				}
				if o.rate > 0 {
					time.Sleep(time.Until(start.Add(time.Duration(float64(n) / o.rate * float64(time.Second)))))
				}
				if time.Now().After(deadline) {
					return
				}
				at := time.Since(start)
				results[n] = b.post(ctx, client, msgs[n])
				results[n].at = at
			}
		})
	}
	wg.Wait()
	rep.wall = time.Since(start)
	return results
}

// countFiles counts the run's files the gateway lists for the partner.
func (b *as2Builder) countFiles(ctx context.Context) (int, error) {
	o := b.o
	base := o.api
	if base == "" {
		u, err := url.Parse(o.url)
		if err != nil {
			return 0, err
		}
		base = u.Scheme + "://" + u.Host
	}
	client := &http.Client{Timeout: time.Minute}
	prefix := b.filePrefix()
	n, cursor := 0, ""
	for {
		q := url.Values{"partner": {o.partner}, "limit": {"500"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/files?"+q.Encode(), nil)
		if err != nil {
			return n, err
		}
		req.Header.Set("Authorization", "Bearer "+o.staffToken)
		resp, err := client.Do(req)
		if err != nil {
			return n, err
		}
		var page struct {
			Items []struct {
				Filename string `json:"filename"`
				Channel  string `json:"channel"`
			} `json:"items"`
			NextCursor string `json:"next_cursor"`
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			return n, fmt.Errorf("GET /api/v1/files: %s", resp.Status)
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			return n, err
		}
		for _, f := range page.Items {
			if f.Channel == "as2" && strings.HasPrefix(f.Filename, prefix) {
				n++
			}
		}
		if page.NextCursor == "" {
			return n, nil
		}
		cursor = page.NextCursor
	}
}

func (r *benchAS2Report) print(w io.Writer) {
	o := r.opts
	slices.Sort(r.latencies)
	fmt.Fprintf(w, "messages built    %d (%d sets of %d lines each, %s) in %s, outside the timing\n",
		r.built, o.sets, o.lines, o.security(), r.buildTime.Round(time.Millisecond))
	fmt.Fprintf(w, "posted            %d in %s, %d concurrent, rate %s\n", r.sent, r.wall.Round(time.Millisecond),
		o.concurrency, rateWord(o.rate, "messages"))
	fmt.Fprintf(w, "processed         %d (signed MDN verified, disposition processed, MIC matches), %d failed\n", r.processed, r.failed)
	fmt.Fprintf(w, "throughput        %.1f messages/s processed\n", rate(r.processed, r.wall))
	fmt.Fprintf(w, "post→signed MDN   p50 %s  p90 %s  p99 %s  max %s\n", pct(r.latencies, 50), pct(r.latencies, 90),
		pct(r.latencies, 99), pct(r.latencies, 100))
	for i, l := range r.windows {
		slices.Sort(l)
		fmt.Fprintf(w, "from %-12s %5d messages, p50 %s  p99 %s  max %s\n", fmt.Sprint(time.Duration(i)*o.window), len(l),
			pct(l, 50), pct(l, 99), pct(l, 100))
	}
	fmt.Fprintf(w, "dispositions      %v\n", r.dispositions)
	if r.sent < r.built {
		fmt.Fprintf(w, "not posted        %d (the duration ended first)\n", r.built-r.sent)
	}
	fmt.Fprintf(w, "lost              %d of %d posted without a processed MDN\n", r.sent-r.processed, r.sent)
	for msg, n := range r.errors {
		fmt.Fprintf(w, "error ×%d          %s\n", n, msg)
	}
	switch {
	case r.apiErr != nil:
		fmt.Fprintf(w, "gateway files     not counted: %v\n", r.apiErr)
	case r.apiFiles >= 0:
		fmt.Fprintf(w, "gateway files     %d of this run listed for partner %s (want %d processed)\n", r.apiFiles, o.partner, r.processed)
	}
}
