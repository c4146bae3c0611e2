package partners_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/partnergate/partnergate/canonical"
	"github.com/partnergate/partnergate/edi"
	"github.com/partnergate/partnergate/partners"
)

func loadAcme(t *testing.T, pairs ...string) *partners.Set {
	t.Helper()
	set, err := partners.Load(writeDir(t, map[string]string{
		"acme.yaml":  acmeWith(pairs...),
		"other.yaml": minimal("other") + "x12: {ids: [{qualifier: \"01\", id: \"123456789\"}], accept: [\"945\"]}\nchannels: {api: {keys: [" + hashB + "]}}\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func TestSetLookups(t *testing.T) {
	t.Parallel()
	set := loadAcme(t)
	tests := []struct {
		name string
		got  func() (*partners.Partner, bool)
		want string // partner ID, "" for none
	}{
		{"ByID", func() (*partners.Partner, bool) { return set.ByID("acme-retail") }, "acme-retail"},
		{"ByID unknown", func() (*partners.Partner, bool) { return set.ByID("acme") }, ""},
		{"BySender", func() (*partners.Partner, bool) { return set.BySender("ZZ", "ACMERETAIL") }, "acme-retail"},
		{"BySender padded", func() (*partners.Partner, bool) { return set.BySender("ZZ", "ACMERETAIL     ") }, "acme-retail"},
		{"BySender other qualifier", func() (*partners.Partner, bool) { return set.BySender("01", "ACMERETAIL") }, ""},
		{"BySender numeric", func() (*partners.Partner, bool) { return set.BySender("01", "123456789      ") }, "other"},
		{"BySender lowercase", func() (*partners.Partner, bool) { return set.BySender("ZZ", "acmeretail") }, ""},
		{"ByAPIKey", func() (*partners.Partner, bool) { return set.ByAPIKey("key-a") }, "acme-retail"},
		{"ByAPIKey other", func() (*partners.Partner, bool) { return set.ByAPIKey("key-b") }, "other"},
		{"ByAPIKey wrong", func() (*partners.Partner, bool) { return set.ByAPIKey("key-c") }, ""},
		{"ByAPIKey the hash itself", func() (*partners.Partner, bool) { return set.ByAPIKey(hashA) }, ""},
		{"ByAPIKey empty", func() (*partners.Partner, bool) { return set.ByAPIKey("") }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, ok := tt.got()
			switch {
			case tt.want == "" && (ok || p != nil):
				t.Errorf("found %q, want nothing", p.ID)
			case tt.want != "" && (!ok || p.ID != tt.want):
				t.Errorf("found %v %v, want %s", p, ok, tt.want)
			}
		})
	}
	all := set.All()
	if len(all) != 2 || all[0].ID != "acme-retail" || all[1].ID != "other" {
		t.Errorf("All() = %v", all)
	}
	all[0] = nil
	if set.All()[0] == nil {
		t.Errorf("All() returned the set's own slice")
	}
}

func TestOwnsSenderAccepts(t *testing.T) {
	t.Parallel()
	p, _ := loadAcme(t).ByID("acme-retail")
	if !p.OwnsSender(" ZZ", "ACMERETAIL   ") || p.OwnsSender("ZZ", "GLOBEX") || p.OwnsSender("01", "ACMERETAIL") {
		t.Errorf("OwnsSender wrong for %v", p.X12.IDs)
	}
	for set, want := range map[string]bool{"850": true, "856": true, " 850": true, "940": false, "997": false, "": false} {
		if got := p.Accepts(set); got != want {
			t.Errorf("Accepts(%q) = %v, want %v", set, got, want)
		}
	}
}

func TestAckOpts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ack, ta1         string // lines in the file; "" keeps the default
		wantType, wantTA string
	}{
		{"ack: auto", "ta1: on_request", edi.AckAuto, edi.TA1PolicyOnRequest},
		{`ack: "997"`, "ta1: always", edi.Ack997, edi.TA1PolicyAlways},
		{"ack: 999", "ta1: never", edi.Ack999, edi.TA1PolicyNever},
		{"ack: none", "ta1: always", edi.AckNone, edi.TA1PolicyAlways},
		{"", "", edi.AckAuto, edi.TA1PolicyOnRequest},
	}
	for _, tt := range tests {
		t.Run(tt.wantType+"/"+tt.wantTA, func(t *testing.T) {
			t.Parallel()
			p, _ := loadAcme(t, "ack: auto", tt.ack, "ta1: on_request", tt.ta1).ByID("acme-retail")
			opts := p.AckOpts()
			if opts == nil || opts.Type != tt.wantType || opts.TA1 != tt.wantTA {
				t.Fatalf("AckOpts() = %+v, want Type %q TA1 %q", opts, tt.wantType, tt.wantTA)
			}
			opts.Type = "changed"
			if p.AckOpts().Type != tt.wantType {
				t.Errorf("AckOpts returns shared options")
			}
		})
	}
}

func TestSetCheck(t *testing.T) {
	t.Parallel()
	p, _ := loadAcme(t).ByID("acme-retail")
	check := p.SetCheck()
	tests := []struct {
		set     string
		wantErr bool
	}{{"850", false}, {"856", false}, {"940", true}, {"997", true}, {"810", true}}
	for _, tt := range tests {
		err := check(&edi.Transaction{SetID: tt.set, ControlNumber: "0001"})
		if !tt.wantErr {
			if err != nil {
				t.Errorf("set %s: %v", tt.set, err)
			}
			continue
		}
		var se *edi.SetError
		if !errors.As(err, &se) {
			t.Fatalf("set %s: error %T %v, want *edi.SetError", tt.set, err, err)
		}
		if se.Code != "1" || se.Segment != "ST" || se.Position != 1 || se.Severity != edi.SeverityError {
			t.Errorf("set %s: %+v", tt.set, se)
		}
		if !strings.Contains(se.Msg, `"`+tt.set+`"`) || !strings.Contains(se.Msg, `"acme-retail"`) {
			t.Errorf("set %s: message %q names neither the set nor the partner", tt.set, se.Msg)
		}
		if !errors.Is(err, edi.ErrSet) {
			t.Errorf("set %s: not an edi.ErrSet", tt.set)
		}
	}
}

// TestSetCheckRejectsInProcess runs the example purchase order through
// edi.Process for a partner that does not accept 850s.
func TestSetCheckRejectsInProcess(t *testing.T) {
	t.Parallel()
	other, _ := loadAcme(t).ByID("other") // accepts 945 only
	data, err := os.ReadFile("../examples/850-acme.edi")
	if err != nil {
		t.Fatal(err)
	}
	sink := &setSink{}
	if _, err := edi.Process(bytes.NewReader(data), sink, &edi.ProcessOpts{SetCheck: other.SetCheck(), Ack: other.AckOpts()}); err != nil {
		t.Fatal(err)
	}
	if len(sink.results) != 1 || sink.results[0].Status != edi.SetRejected {
		t.Fatalf("results %+v, want one rejected set", sink.results)
	}
	if !strings.Contains(sink.acks, "AK5*R*1~") {
		t.Errorf("the 997 does not reject the set with AK502 1:\n%s", sink.acks)
	}
}

// setSink keeps the set results and acknowledgments of edi.Process.
type setSink struct {
	results []*edi.SetResult
	acks    string
}

func (s *setSink) InterchangeStart(*edi.Interchange) error { return nil }
func (s *setSink) GroupStart(*edi.Group) error             { return nil }
func (s *setSink) GroupEnd(*edi.Group, bool) error         { return nil }
func (s *setSink) Garbage(*edi.EnvelopeError) error        { return nil }

func (s *setSink) Set(_ *edi.Transaction, r *edi.SetResult, _ canonical.Document) error {
	s.results = append(s.results, r)
	return nil
}

func (s *setSink) InterchangeEnd(_ *edi.Interchange, _ bool, acks []edi.Ack) error {
	for _, a := range acks {
		s.acks += string(a.X12)
	}
	return nil
}

func TestSecret(t *testing.T) {
	t.Parallel()
	good := partners.SecretOf("key-a").Hex()
	tests := []struct {
		in   string
		want error
	}{
		{good, nil},
		{"key-a", partners.ErrSecretFormat},
		{strings.TrimPrefix(good, "sha256:"), partners.ErrSecretFormat},
		{"SHA256:" + good[7:], partners.ErrSecretFormat},
		{"sha256:" + strings.ToUpper(good[7:]), partners.ErrSecretFormat},
		{good[:len(good)-1], partners.ErrSecretFormat},
		{good + "0", partners.ErrSecretFormat},
		{good[:len(good)-1] + "g", partners.ErrSecretFormat},
		{" " + good, partners.ErrSecretFormat},
		{"", partners.ErrSecretFormat},
		{partners.SecretOf("").Hex(), partners.ErrSecretEmpty},
	}
	for _, tt := range tests {
		s, err := partners.ParseSecret(tt.in)
		if !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
			t.Errorf("ParseSecret(%q) error %v, want %v", tt.in, err, tt.want)
		}
		if err == nil && (!s.Match("key-a") || s.Match("key-b") || s.Match("") || s.Hex() != good) {
			t.Errorf("ParseSecret(%q) matches wrongly", tt.in)
		}
		if err != nil && strings.Contains(err.Error(), tt.in) && tt.in != "" {
			t.Errorf("ParseSecret(%q) error repeats the input: %v", tt.in, err)
		}
	}
	var zero partners.Secret
	if zero.Match("") || zero.Match("key-a") || !zero.IsZero() || zero.Hex() != "" {
		t.Errorf("the zero Secret matches")
	}
}

func TestSecretNeverPrinted(t *testing.T) {
	t.Parallel()
	s, _ := partners.ParseSecret(partners.SecretOf("key-a").Hex())
	hexPart := strings.TrimPrefix(s.Hex(), "sha256:")
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("key", "secret", s, "channel", partners.APIChannel{Keys: []partners.Secret{s}})
	js, _ := json.Marshal(struct{ Keys []partners.Secret }{[]partners.Secret{s}})
	outputs := map[string]string{
		"%v": fmt.Sprintf("%v", s), "%s": fmt.Sprintf("[%s]", s), "%+v": fmt.Sprintf("%+v", s), "%#v": fmt.Sprintf("%#v", s),
		"struct %+v": fmt.Sprintf("%+v", partners.APIChannel{Keys: []partners.Secret{s}}),
		"slog":       logged.String(), "json": string(js),
	}
	for how, out := range outputs {
		if strings.Contains(out, hexPart[:8]) || strings.Contains(out, "key-a") {
			t.Errorf("%s reveals the secret: %s", how, out)
		}
		if !strings.Contains(out, "sha256:…") {
			t.Errorf("%s does not show sha256:…: %s", how, out)
		}
	}
}
