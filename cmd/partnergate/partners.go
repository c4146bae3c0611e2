package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/partnergate/partnergate/partners"
)

const partnersUsage = `usage: partnergate partners validate [DIR]

validate loads every partner file (*.yaml, *.yml; not gateway.yaml) of DIR,
default partner-configs, as the gateway does, and prints every problem, one
per line as "file:line: field: message". With none it prints the number of
partners and the configuration version.

Exit status: 0 when the configuration is valid, 1 when it has problems,
2 on usage errors.
`

// runPartners implements "partnergate partners", whose one subcommand is
// validate.
func runPartners(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("partners", "", stderr)
	fs.Usage = func() { fmt.Fprint(fs.Output(), partnersUsage) }
	if code, done := parseFlags(fs, args); done {
		return code
	}
	switch {
	case fs.NArg() == 0:
		return usageError(fs, "no subcommand given")
	case fs.Arg(0) != "validate":
		return usageError(fs, "unknown subcommand %q", fs.Arg(0))
	}
	return runPartnersValidate(fs.Args()[1:], stdout, stderr)
}

// runPartnersValidate implements "partnergate partners validate".
func runPartnersValidate(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("partners validate", "[DIR]", stderr)
	fs.Usage = func() { fmt.Fprint(fs.Output(), partnersUsage) }
	if code, done := parseFlags(fs, args); done {
		return code
	}
	if fs.NArg() > 1 {
		return usageError(fs, "one DIR at most, got %q", fs.Args())
	}
	dir := "partner-configs"
	if fs.NArg() == 1 {
		dir = fs.Arg(0)
	}
	set, err := partners.Load(dir)
	var le *partners.LoadError
	switch {
	case errors.As(err, &le):
		for _, p := range le.Problems {
			fmt.Fprintln(stdout, p.Error())
		}
		fmt.Fprintf(stderr, "partnergate partners validate: %s: %d %s\n", dir, len(le.Problems), plural(len(le.Problems), "problem"))
		return exitFail
	case err != nil:
		fmt.Fprintf(stderr, "partnergate partners validate: %v\n", err)
		return exitFail
	}
	fmt.Fprintf(stdout, "%d %s OK (version %s)\n", set.Len(), plural(set.Len(), "partner"), set.Version())
	return exitOK
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
