package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var resultHeader = regexp.MustCompile(`^[^\r\n]+[,;\t]row[,;\t]status[,;\t]error\r\n`)

func TestTranslateCSV(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "partner-configs")
	example := func(name string) string { return filepath.Join("..", "..", "examples", name) }
	tests := []struct {
		name     string
		args     []string
		code     int
		accepted int
		want     string // in the output
	}{
		{"marketplace orders", []string{"--partner", "bazaar-market", example("orders_20261126.txt")}, 0, 2, "José Müller"},
		{"3PL confirmations with a bad date", []string{"--partner", "swift-3pl", example("SHIPCONF_20261126.csv")}, 1, 2,
			`not a date in the expected format (DD.MM.YYYY)`},
		{"3PL returns", []string{"--partner", "swift-3pl", example("RET_20261126.csv")}, 0, 2, `"disposition":"scrap"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out, errOut bytes.Buffer
			code := run(t.Context(), append([]string{"translate", "--partners", dir}, tt.args...), &out, &errOut)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tt.code, errOut.String())
			}
			var got struct {
				Documents []json.RawMessage `json:"documents"`
				Results   []csvResult       `json:"results"`
				Result    string            `json:"result_file"`
			}
			if err := json.Unmarshal(out.Bytes(), &got); err != nil {
				t.Fatalf("%v: %s", err, out.String())
			}
			if len(got.Documents) != tt.accepted || !strings.Contains(out.String(), tt.want) {
				t.Errorf("%d documents, want %d; output has %q: %v", len(got.Documents), tt.accepted, tt.want,
					strings.Contains(out.String(), tt.want))
			}
			// The result file is written in the profile's dialect.
			if len(got.Results) == 0 || !resultHeader.MatchString(got.Result) {
				t.Errorf("results %+v, result file %q", got.Results, got.Result)
			}
		})
	}
}

func TestTranslateCSVUnknownPartner(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	code := run(t.Context(), []string{"translate", "--partners", filepath.Join("..", "..", "partner-configs"),
		"--partner", "nobody", "x.csv"}, &out, &errOut)
	if code != exitUsage || !strings.Contains(errOut.String(), `no partner "nobody"`) {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
}
