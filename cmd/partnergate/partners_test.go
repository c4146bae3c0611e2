package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestPartnersValidate(t *testing.T) {
	t.Parallel()
	bad := t.TempDir()
	files := map[string]string{
		"a.yaml": "id: a\nname: A\nstatus: active\nx12:\n  ack: \"998\"\n",
		"b.yaml": "id: a\nname: B\nstatus: paused\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(bad, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		args    []string
		code    int
		wantOut []string // stdout, line by line; a line may be a regexp
		wantErr string   // substring of stderr
	}{
		{"the samples", []string{"partners", "validate", "../../partner-configs"}, 0,
			[]string{`^4 partners OK \(version [0-9a-f]{16}\)$`}, ""},
		{"problems", []string{"partners", "validate", bad}, 1, []string{
			regexp.QuoteMeta(filepath.Join(bad, "a.yaml") + `:5: x12.ack: "998" is not one of auto, 997, 999, none`),
			regexp.QuoteMeta(filepath.Join(bad, "b.yaml") + `:1: id: partner "a" is already defined in ` + filepath.Join(bad, "a.yaml") + ":1"),
			regexp.QuoteMeta(filepath.Join(bad, "b.yaml") + `:3: status: "paused" is not one of active, testing, suspended`),
		}, ": 3 problems"},
		{"missing dir", []string{"partners", "validate", filepath.Join(bad, "nope")}, 1,
			[]string{"cannot read the partner directory"}, "1 problem\n"},
		{"no subcommand", []string{"partners"}, 2, nil, "no subcommand given"},
		{"unknown subcommand", []string{"partners", "check"}, 2, nil, `unknown subcommand "check"`},
		{"two dirs", []string{"partners", "validate", "a", "b"}, 2, nil, "one DIR at most"},
		{"help", []string{"help", "partners"}, 0, nil, ""},
		{"validate -h", []string{"partners", "validate", "-h"}, 0, nil, "usage: partnergate partners validate [DIR]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out, errOut bytes.Buffer
			code := run(t.Context(), tt.args, &out, &errOut)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out.String(), errOut.String())
			}
			lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
			if tt.wantOut != nil && len(lines) != len(tt.wantOut) {
				t.Fatalf("stdout has %d lines, want %d:\n%s", len(lines), len(tt.wantOut), out.String())
			}
			for i, want := range tt.wantOut {
				if !regexp.MustCompile(want).MatchString(lines[i]) {
					t.Errorf("stdout line %d %q does not match %q", i+1, lines[i], want)
				}
			}
			if !strings.Contains(errOut.String(), tt.wantErr) {
				t.Errorf("stderr %q does not contain %q", errOut.String(), tt.wantErr)
			}
		})
	}
}

// TestPartnersValidateDefaultDir runs the binary in the repository root, where
// the default DIR, partner-configs, is.
func TestPartnersValidateDefaultDir(t *testing.T) {
	t.Chdir("../..")
	var out, errOut bytes.Buffer
	if code := run(t.Context(), []string{"partners", "validate"}, &out, &errOut); code != 0 {
		t.Fatalf("exit code %d\nstdout: %s\nstderr: %s", code, out.String(), errOut.String())
	}
	if !strings.HasPrefix(out.String(), "4 partners OK (version ") {
		t.Errorf("stdout %q", out.String())
	}
}
