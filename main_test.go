package main

import (
	"os"
	"testing"

	"github.com/mcptether/mcptether/cli"
	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"mcptether": func() { os.Exit(cli.Main(os.Args[1:])) },
	})
}

// TestScripts runs the CLI scenarios in testdata/script: each is a small
// repository and the exact output expected from the binary.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "testdata/script", Setup: func(e *testscript.Env) error {
		e.Setenv("MCPTETHER_OFFLINE", "true") // scripts that go online start fake registries
		return nil
	}})
}
