package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/partnergate/partnergate/edi"
	"github.com/partnergate/partnergate/gateway/dbtest"
)

// mainEnv makes the test binary behave as partnergate itself, so that tests
// can check real process exit codes and signal handling.
const mainEnv = "PARTNERGATE_TEST_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(mainEnv) == "1" {
		main()
		return
	}
	dbtest.Main(m)
}

func TestRunExitCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		args       []string
		code       int
		wantOut    string // substring of stdout
		wantErrOut string // substring of stderr
	}{
		{"no args", nil, 2, "", "Usage:"},
		{"unknown", []string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{"help", []string{"help"}, 0, "Commands:", ""},
		{"--help", []string{"--help"}, 0, "generate", ""},
		{"-h", []string{"-h"}, 0, "translate", ""},
		{"help help", []string{"help", "help"}, 0, "Commands:", ""},
		{"help generate", []string{"help", "generate"}, 0, "-size", ""},
		{"help unknown", []string{"help", "frobnicate"}, 2, "", "unknown command"},
		{"help too many", []string{"help", "a", "b"}, 2, "", "usage:"},
		{"version", []string{"version"}, 0, "partnergate ", ""},
		{"version extra", []string{"version", "now"}, 2, "", "unexpected arguments"},
		{"generate -h", []string{"generate", "-h"}, 0, "", "-release"},
		{"generate no size", []string{"generate"}, 2, "", "--size is required"},
		{"generate bad size", []string{"generate", "--size", "lots"}, 2, "", "not a positive size"},
		{"generate zero size", []string{"generate", "--size", "0"}, 2, "", "not a positive size"},
		{"generate negative size", []string{"generate", "--size", "-5MB"}, 2, "", "not a positive size"},
		{"generate bad release", []string{"generate", "--size", "1KB", "--release", "003050"}, 2, "", "use 004010 or 005010"},
		{"generate unknown flag", []string{"generate", "--bogus"}, 2, "", "flag provided but not defined"},
		{"generate extra args", []string{"generate", "--size", "1KB", "out.edi"}, 2, "", "unexpected arguments"},
		{"generate bad seed", []string{"generate", "--size", "1KB", "--seed", "x"}, 2, "", "invalid value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out, errOut bytes.Buffer
			code := run(t.Context(), tt.args, &out, &errOut)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out.String(), errOut.String())
			}
			if !strings.Contains(out.String(), tt.wantOut) {
				t.Errorf("stdout %q does not contain %q", out.String(), tt.wantOut)
			}
			if !strings.Contains(errOut.String(), tt.wantErrOut) {
				t.Errorf("stderr %q does not contain %q", errOut.String(), tt.wantErrOut)
			}
			if tt.code == 2 && out.Len() > 0 {
				t.Errorf("a usage error wrote to stdout: %q", out.String())
			}
		})
	}
}

func TestParseSize(t *testing.T) {
	t.Parallel()
	good := map[string]int64{
		"1": 1, "200KB": 200_000, "50MB": 50_000_000, "1GB": 1_000_000_000, "1gb": 1_000_000_000,
		"64MiB": 64 << 20, "2KiB": 2048, "1GiB": 1 << 30, "512B": 512, " 3 MB ": 3_000_000,
	}
	for in, want := range good {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "MB", "0", "-1", "1.5GB", "12XB", "99999999999GB", "1 G B"} {
		if got, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) = %d, want an error", in, got)
		}
	}
}

// checkX12 reads data with edi.NewReader and fails on any envelope finding;
// it returns the number of transaction sets.
func checkX12(t *testing.T, data []byte) int {
	t.Helper()
	r := edi.NewReader(bytes.NewReader(data), nil)
	sets := 0
	for {
		ev, err := r.Next()
		if errors.Is(err, io.EOF) {
			return sets
		}
		if err != nil {
			t.Fatal(err)
		}
		switch ev.Kind {
		case edi.Garbage:
			t.Errorf("garbage: %v", ev.Err)
		case edi.InterchangeEnd:
			for _, e := range ev.Interchange.Errors {
				t.Errorf("interchange: %v", e)
			}
		case edi.GroupEnd:
			for _, e := range ev.Group.Errors {
				t.Errorf("group: %v", e)
			}
		case edi.TransactionSet:
			sets++
			for _, e := range ev.Transaction.Errors {
				t.Errorf("set %s: %v", ev.Transaction.ControlNumber, e)
			}
		}
	}
}

func TestGenerateFile(t *testing.T) {
	t.Parallel()
	for _, release := range []string{"004010", "005010"} {
		t.Run(release, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "850.edi")
			var out, errOut bytes.Buffer
			code := run(t.Context(), []string{"generate", "--size", "200KB", "--release", release, "--seed", "7", "-o", path}, &out, &errOut)
			if code != 0 {
				t.Fatalf("exit code %d: %s", code, errOut.String())
			}
			if out.Len() != 0 {
				t.Errorf("generate -o wrote to stdout: %q", out.String())
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(data) < 200_000 {
				t.Errorf("wrote %d bytes, want at least 200000", len(data))
			}
			if sets := checkX12(t, data); sets == 0 {
				t.Error("no transaction sets")
			}
			if !strings.Contains(string(data), "GS*PO*ACMERETAIL*NORTHWIND*") || !strings.Contains(string(data), "*X*"+release+"~") {
				t.Errorf("unexpected GS in %.300s", data)
			}
			if !strings.Contains(errOut.String(), "wrote ") || !strings.Contains(errOut.String(), " sets (850)") {
				t.Errorf("no stats on stderr: %q", errOut.String())
			}
		})
	}
}

func TestGenerateStdoutDeterministic(t *testing.T) {
	t.Parallel()
	gen := func(seed string) []byte {
		var out, errOut bytes.Buffer
		if code := run(t.Context(), []string{"generate", "--size", "20KB", "--seed", seed}, &out, &errOut); code != 0 {
			t.Fatalf("exit code %d: %s", code, errOut.String())
		}
		return out.Bytes()
	}
	a, b, c := gen("3"), gen("3"), gen("4")
	if !bytes.Equal(a, b) || bytes.Equal(a, c) {
		t.Error("the same seed must give the same bytes and another seed other bytes")
	}
	checkX12(t, a)
}

func TestGenerateUnwritable(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "missing", "850.edi")
	var out, errOut bytes.Buffer
	if code := run(t.Context(), []string{"generate", "--size", "1KB", "-o", path}, &out, &errOut); code != 1 {
		t.Errorf("exit code %d, want 1; stderr %q", code, errOut.String())
	}
}

// selfCommand runs the test binary as partnergate.
func selfCommand(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), mainEnv+"=1")
	return cmd
}

func TestProcessExitCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		code int
	}{
		{nil, 2},
		{[]string{"frobnicate"}, 2},
		{[]string{"help"}, 0},
		{[]string{"version"}, 0},
		{[]string{"generate", "--size", "ten"}, 2},
		{[]string{"generate", "--size", "10KB"}, 0},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			var out, errOut bytes.Buffer
			cmd := selfCommand(t, tt.args...)
			cmd.Stdout, cmd.Stderr = &out, &errOut
			err := cmd.Run()
			var ee *exec.ExitError
			if err != nil && !errors.As(err, &ee) {
				t.Fatal(err)
			}
			if got := cmd.ProcessState.ExitCode(); got != tt.code {
				t.Errorf("exit code %d, want %d; stderr %q", got, tt.code, errOut.String())
			}
			if len(tt.args) > 0 && tt.args[0] == "generate" && tt.code == 0 {
				checkX12(t, out.Bytes())
			}
		})
	}
}

// TestGenerateInterrupt checks that SIGINT stops a long generate promptly,
// with exit code 1 and the partial file removed.
func TestGenerateInterrupt(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "big.edi")
	var errOut bytes.Buffer
	cmd := selfCommand(t, "generate", "--size", "100GB", "-o", path)
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	// Once the file has data, the signal handler is installed.
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	for {
		if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("generate ended early: %v; stderr %q", err, errOut.String())
		case <-ctx.Done():
			cmd.Process.Kill()
			t.Fatal("generate wrote nothing")
		case <-time.After(10 * time.Millisecond):
		}
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("generate did not stop within 20s of SIGINT")
	}
	if got := cmd.ProcessState.ExitCode(); got != 1 {
		t.Errorf("exit code %d, want 1; stderr %q", got, errOut.String())
	}
	if !strings.Contains(errOut.String(), "interrupted") {
		t.Errorf("stderr %q does not say interrupted", errOut.String())
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the partial file is still there: %v", err)
	}
}
