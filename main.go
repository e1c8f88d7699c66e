// Command mcptether is a supply-chain linter for Model Context Protocol
// server configs.
package main

import (
	"os"

	"github.com/mcptether/mcptether/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:]))
}
